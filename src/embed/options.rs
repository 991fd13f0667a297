//! The options a page gives an instance, from three sources, checked one by one.
//!
//! Precedence, highest first: the host element's `data-*` attributes (the embedding
//! page's explicit choice), the JSON file named by `data-config` (the deployment's
//! choice), the page URL's query (a visitor's link), then the defaults. The query may
//! only set harmless form defaults ([`QUERY_OPTIONS`]): a link must never redirect the
//! key to another API base or let another origin drive or listen to the app.
//!
//! Nothing here touches the browser, so every rule is tested directly. A problem is
//! kept as data ([`Reason`]); `problems` puts it into the user's language.

use seedream_contract::sequential::{SequentialMode, validate_max_images};
use seedream_contract::size::Size;
use seedream_contract::url::Scheme;
use seedream_contract::{OutputFormat, SizeError, SizeParseError, UrlError, parse_http_url};

use crate::api::{ApiConfig, ConfigError};
use crate::form::{FormDefaults, SizeChoice};
use crate::i18n::Locale;
use crate::locale::from_tag;

/// Options a URL query may set.
pub const QUERY_OPTIONS: &[&str] = &["size", "format", "sequential", "max-images", "language"];

/// Every option's name, as written after `data-` and in the JSON file.
pub const ALL_OPTIONS: &[&str] = &[
    "api-base",
    "api-base-locked",
    "show-key",
    "size",
    "format",
    "sequential",
    "max-images",
    "language",
    "allowed-origins",
    "storage-key",
    "price-per-image",
    "currency",
];

/// An instance's configuration, after precedence and checks.
#[derive(Clone, Debug, PartialEq)]
pub struct Options {
    /// The API base the page sets; `None` leaves it to the user's saved choice.
    pub api_base: Option<String>,
    /// True when users may not change the API base.
    pub api_base_locked: bool,
    /// False hides the key field (a portal behind its own proxy needs no key).
    pub show_key: bool,
    /// What the form starts with (and returns to on reset).
    pub form: FormDefaults,
    /// The interface language the page asks for; `None` follows the browser.
    pub language: Option<Locale>,
    /// Origins allowed to exchange messages with the app (exact `scheme://host[:port]`).
    pub allowed_origins: Vec<String>,
    /// Names this instance's storage (history, settings), so instances stay apart.
    pub storage_key: String,
    /// What the page's own server answers `/api` with, when its configuration file
    /// said (not an option a page sets: the server's header on that file).
    pub served_by: Option<seedream_contract::ServedBy>,
    /// What one output image costs, as the hosting page says (never the URL's query,
    /// so a link cannot show a false price); `None` shows no price.
    pub price_per_image: Option<f64>,
    /// The price's currency (an ISO 4217 code, `USD`), when the page names one.
    pub currency: Option<String>,
}

impl Options {
    /// The defaults of the instance at `index` on its page (0 for the first).
    pub fn defaults(index: usize) -> Options {
        Options {
            api_base: None,
            api_base_locked: false,
            show_key: true,
            form: FormDefaults::default(),
            language: None,
            allowed_origins: Vec::new(),
            served_by: None,
            price_per_image: None,
            currency: None,
            storage_key: if index == 0 {
                "default".to_owned()
            } else {
                format!("instance-{}", index + 1)
            },
        }
    }
}

impl Options {
    /// The browser-storage name of one of this instance's items (`history.v1`,
    /// `api-base`, ...). The first instance keeps the names of a page with one.
    pub fn storage_name(&self, item: &str) -> String {
        if self.storage_key == "default" {
            format!("seedream-studio.{item}")
        } else {
            format!("seedream-studio.{}.{item}", self.storage_key)
        }
    }
}

/// Where a value came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Source {
    Attribute,
    ConfigFile,
    Query,
}

/// What a problem is about, named the way the page's author wrote it (see
/// `problems`, which says it in the user's language).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Setting {
    /// One option from one source: `data-size`, `"size"` in the file, `?size`.
    Option { source: Source, name: String },
    /// The configuration file itself, at this address.
    ConfigFile { url: String },
}

/// One option that could not be used, for the page to show.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OptionProblem {
    /// The option, or the file.
    pub option: Setting,
    /// Why, and what is used instead.
    pub reason: Reason,
}

/// Why an option could not be used, with what is used instead. Typed, so the
/// interface says it in the user's language.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Reason {
    /// Not an option of the app ([`ALL_OPTIONS`] are).
    Unknown,
    /// Not one of the [`QUERY_OPTIONS`], in the query; ignored.
    NotFromQuery,
    /// An unusable API address; this page's server is used.
    ApiBase(ConfigError),
    /// Not true or false; ignored.
    NotBoolean { value: String },
    /// Not a size; the default size is used.
    SizeFormat(SizeParseError),
    /// A size outside the model's limits; the default size is used.
    Size(SizeError),
    /// Not jpeg or png; jpeg is used.
    Format { value: String },
    /// Not disabled or auto; disabled is used.
    Sequential { value: String },
    /// Not a whole number; `kept` is used.
    MaxImagesNotNumber { value: String, kept: u8 },
    /// Outside [`seedream_contract::MAX_IMAGES_RANGE`]; `kept` is used.
    MaxImagesOutOfRange { value: i128, kept: u8 },
    /// Not a language the interface has; the browser's language is followed.
    Language { value: String },
    /// Not 1 to [`MAX_STORAGE_KEY`] letters, digits, `-` or `_`; `kept` is used.
    StorageKey { kept: String },
    /// `*` among the allowed origins; none is allowed.
    AnyOrigin,
    /// An allowed origin that is not an http(s) address; none is allowed.
    OriginUrl { origin: String, error: UrlError },
    /// An address with more than an origin (a path, say), which would be `exact`;
    /// none is allowed.
    NotAnOrigin { origin: String, exact: String },
    /// Not a price (a number from 0 to [`MAX_PRICE`]); no price is shown.
    Price { value: String },
    /// Not a currency code (three letters, `USD`); the price is shown without one.
    Currency { value: String },
    /// The configuration file could not be fetched; the other options apply.
    FileUnreachable,
    /// The configuration file's address answered with an error status.
    FileStatus { status: u16 },
    /// The file is not JSON (where the parser stopped); its options are ignored.
    FileNotJson { line: usize, column: usize },
    /// The file is JSON but not one object; it is ignored.
    FileNotObject,
}

/// The highest price per image accepted (a typo's guard, in any currency).
pub const MAX_PRICE: f64 = 1_000.0;

/// The longest storage key accepted.
pub const MAX_STORAGE_KEY: usize = 64;

/// Builds the options from `(source, name, value)` entries given lowest precedence
/// first (query, then file, then attributes), so a later entry overrides an earlier.
pub fn resolve<'a>(
    index: usize,
    entries: impl IntoIterator<Item = (Source, &'a str, &'a str)>,
) -> (Options, Vec<OptionProblem>) {
    let mut options = Options::defaults(index);
    let mut problems = Vec::new();
    for (source, name, value) in entries {
        if let Err(reason) = apply(&mut options, source, name, value.trim()) {
            problems.push(OptionProblem {
                option: Setting::Option {
                    source,
                    name: name.to_owned(),
                },
                reason,
            });
        }
    }
    (options, problems)
}

/// Sets one option, or says why it was not set (the earlier value stays).
fn apply(options: &mut Options, source: Source, name: &str, value: &str) -> Result<(), Reason> {
    if !ALL_OPTIONS.contains(&name) {
        return Err(Reason::Unknown);
    }
    if source == Source::Query && !QUERY_OPTIONS.contains(&name) {
        return Err(Reason::NotFromQuery);
    }
    let text = || value.to_owned();
    match name {
        "api-base" => {
            let candidate = ApiConfig::new(value, None);
            candidate.validate().map_err(Reason::ApiBase)?;
            options.api_base = Some(candidate.base);
        }
        "api-base-locked" => options.api_base_locked = boolean(value)?,
        "show-key" => options.show_key = boolean(value)?,
        "size" => options.form.size = size(value)?,
        "format" => {
            options.form.format =
                OutputFormat::parse(value).ok_or_else(|| Reason::Format { value: text() })?
        }
        "sequential" => {
            options.form.sequential =
                SequentialMode::parse(value).ok_or_else(|| Reason::Sequential { value: text() })?
        }
        "max-images" => {
            let kept = options.form.max_images;
            let number: i128 = value.parse().map_err(|_| Reason::MaxImagesNotNumber {
                value: text(),
                kept,
            })?;
            options.form.max_images =
                validate_max_images(number).map_err(|_| Reason::MaxImagesOutOfRange {
                    value: number,
                    kept,
                })?;
        }
        "language" => {
            options.language =
                Some(from_tag(value).ok_or_else(|| Reason::Language { value: text() })?)
        }
        "allowed-origins" => options.allowed_origins = origins(value)?,
        "price-per-image" => {
            let price = decimal(value).filter(|price| *price <= MAX_PRICE);
            options.price_per_image = Some(price.ok_or_else(|| Reason::Price { value: text() })?);
        }
        "currency" => {
            let code = value.len() == 3 && value.chars().all(|c| c.is_ascii_alphabetic());
            if !code {
                return Err(Reason::Currency { value: text() });
            }
            options.currency = Some(value.to_ascii_uppercase());
        }
        "storage-key" => {
            let valid = !value.is_empty()
                && value.len() <= MAX_STORAGE_KEY
                && value
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
            if !valid {
                return Err(Reason::StorageKey {
                    kept: options.storage_key.clone(),
                });
            }
            options.storage_key = value.to_owned();
        }
        _ => {}
    }
    Ok(())
}

/// A plain decimal number ("0.035", "12"): digits, then a point and digits. Read by
/// hand: the standard library's float parser would ship 15 KB of wasm for one option.
fn decimal(value: &str) -> Option<f64> {
    let (whole, fraction) = value.split_once('.').unwrap_or((value, ""));
    let digits = |text: &str| text.len() <= 9 && text.bytes().all(|b| b.is_ascii_digit());
    if whole.is_empty() && fraction.is_empty() || !digits(whole) || !digits(fraction) {
        return None;
    }
    let number = |text: &str| text.bytes().fold(0u64, |n, b| n * 10 + u64::from(b - b'0'));
    let scale = 10u64.pow(fraction.len() as u32);
    Some(number(whole) as f64 + number(fraction) as f64 / scale as f64)
}

fn boolean(value: &str) -> Result<bool, Reason> {
    match value.to_ascii_lowercase().as_str() {
        // A bare attribute (`data-api-base-locked`) means yes.
        "" | "true" | "yes" | "1" => Ok(true),
        "false" | "no" | "0" => Ok(false),
        _ => Err(Reason::NotBoolean {
            value: value.to_owned(),
        }),
    }
}

fn size(value: &str) -> Result<SizeChoice, Reason> {
    if value.eq_ignore_ascii_case("match") {
        return Ok(SizeChoice::MatchFirstImage);
    }
    let size: Size = value.parse().map_err(Reason::SizeFormat)?;
    size.validate().map_err(Reason::Size)?;
    Ok(SizeChoice::from_size(size))
}

/// Exact origins, space-separated. `*` is refused: messages carry prompts and
/// results, and commands spend the user's balance.
fn origins(value: &str) -> Result<Vec<String>, Reason> {
    value
        .split_whitespace()
        .map(|origin| {
            if origin == "*" {
                return Err(Reason::AnyOrigin);
            }
            let url = parse_http_url(origin).map_err(|error| Reason::OriginUrl {
                origin: origin.to_owned(),
                error,
            })?;
            let scheme = match url.scheme() {
                Scheme::Http => "http",
                Scheme::Https => "https",
            };
            let port = url.port().map(|p| format!(":{p}")).unwrap_or_default();
            // As browsers write `MessageEvent.origin`: lower-case, no path.
            let exact = format!("{scheme}://{}{port}", url.host().to_ascii_lowercase());
            if !exact.eq_ignore_ascii_case(origin.trim_end_matches('/')) {
                return Err(Reason::NotAnOrigin {
                    origin: origin.to_owned(),
                    exact,
                });
            }
            Ok(exact)
        })
        .collect()
}

// Natively only: `cargo xtask test` runs the app's unit tests outside a browser.
#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests;
