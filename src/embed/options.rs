//! The options a page gives an instance, from three sources, checked one by one.
//!
//! Precedence, highest first: the host element's `data-*` attributes (the embedding
//! page's explicit choice), the JSON file named by `data-config` (the deployment's
//! choice), the page URL's query (a visitor's link), then the defaults. The query may
//! only set harmless form defaults ([`QUERY_OPTIONS`]): a link must never redirect the
//! key to another API base or let another origin drive or listen to the app.
//!
//! Nothing here touches the browser, so every rule is tested directly.

use seedream_contract::sequential::{MAX_IMAGES_RANGE, SequentialMode, validate_max_images};
use seedream_contract::size::Size;
use seedream_contract::url::Scheme;
use seedream_contract::{OutputFormat, parse_http_url};

use crate::api::ApiConfig;
use crate::form::SizeChoice;

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
];

/// Interface languages.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Language {
    #[default]
    English,
    Chinese,
}

/// An instance's configuration, after precedence and checks.
#[derive(Clone, Debug, PartialEq)]
pub struct Options {
    /// The API base the page sets; `None` leaves it to the user's saved choice.
    pub api_base: Option<String>,
    /// True when users may not change the API base.
    pub api_base_locked: bool,
    /// False hides the key field (a portal behind its own proxy needs no key).
    pub show_key: bool,
    pub size: SizeChoice,
    pub format: OutputFormat,
    pub sequential: SequentialMode,
    pub max_images: u8,
    pub language: Language,
    /// Origins allowed to exchange messages with the app (exact `scheme://host[:port]`).
    pub allowed_origins: Vec<String>,
    /// Names this instance's storage (history, settings), so instances stay apart.
    pub storage_key: String,
}

impl Options {
    /// The defaults of the instance at `index` on its page (0 for the first).
    pub fn defaults(index: usize) -> Options {
        Options {
            api_base: None,
            api_base_locked: false,
            show_key: true,
            size: SizeChoice::default(),
            format: OutputFormat::Jpeg,
            sequential: SequentialMode::Disabled,
            max_images: seedream_contract::DEFAULT_MAX_IMAGES,
            language: Language::English,
            allowed_origins: Vec::new(),
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

/// Where a value came from; names the option the way its author wrote it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Source {
    Attribute,
    ConfigFile,
    Query,
}

impl Source {
    /// The option as its author wrote it: `data-size`, `"size" in config.json`, `?size`.
    pub fn name(self, option: &str) -> String {
        match self {
            Source::Attribute => format!("data-{option}"),
            Source::ConfigFile => format!("\"{option}\" in the configuration file"),
            Source::Query => format!("?{option} in the address"),
        }
    }
}

/// One option that could not be used, for the page to show.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OptionProblem {
    /// The option as written (see [`Source::name`]).
    pub option: String,
    /// Why, and what is used instead.
    pub reason: String,
}

impl std::fmt::Display for OptionProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.option, self.reason)
    }
}

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
                option: source.name(name),
                reason,
            });
        }
    }
    (options, problems)
}

/// Sets one option, or says why it was not set (the earlier value stays).
fn apply(options: &mut Options, source: Source, name: &str, value: &str) -> Result<(), String> {
    if !ALL_OPTIONS.contains(&name) {
        return Err(format!(
            "not an option of Seedream Studio; the options are {}.",
            ALL_OPTIONS.join(", ")
        ));
    }
    if source == Source::Query && !QUERY_OPTIONS.contains(&name) {
        return Err(
            "this option cannot be set from the address, since anyone can make a link; \
             it is ignored."
                .to_owned(),
        );
    }
    match name {
        "api-base" => {
            let candidate = ApiConfig::new(value, None);
            candidate
                .validate()
                .map_err(|e| format!("{e} Using this page's server."))?;
            options.api_base = Some(candidate.base);
        }
        "api-base-locked" => options.api_base_locked = boolean(value)?,
        "show-key" => options.show_key = boolean(value)?,
        "size" => options.size = size(value)?,
        "format" => {
            options.format = OutputFormat::parse(value)
                .ok_or_else(|| format!("“{value}” is not jpeg or png; using jpeg."))?
        }
        "sequential" => {
            options.sequential = SequentialMode::parse(value)
                .ok_or_else(|| format!("“{value}” is not disabled or auto; using disabled."))?
        }
        "max-images" => {
            let number: i128 = value.parse().map_err(|_| {
                format!(
                    "“{value}” is not a whole number; using {}.",
                    options.max_images
                )
            })?;
            options.max_images = validate_max_images(number).map_err(|_| {
                format!(
                    "{number} is outside {} to {}; using {}.",
                    MAX_IMAGES_RANGE.start(),
                    MAX_IMAGES_RANGE.end(),
                    options.max_images
                )
            })?;
        }
        "language" => {
            options.language = match value.to_ascii_lowercase().as_str() {
                "en" | "en-us" | "en-gb" | "english" => Language::English,
                "zh" | "zh-cn" | "zh-hans" | "chinese" => Language::Chinese,
                _ => return Err(format!("“{value}” is not en or zh; using en.")),
            }
        }
        "allowed-origins" => options.allowed_origins = origins(value)?,
        "storage-key" => {
            let valid = !value.is_empty()
                && value.len() <= 64
                && value
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
            if !valid {
                return Err(format!(
                    "use 1 to 64 letters, digits, - or _; using “{}”.",
                    options.storage_key
                ));
            }
            options.storage_key = value.to_owned();
        }
        _ => {}
    }
    Ok(())
}

fn boolean(value: &str) -> Result<bool, String> {
    match value.to_ascii_lowercase().as_str() {
        // A bare attribute (`data-api-base-locked`) means yes.
        "" | "true" | "yes" | "1" => Ok(true),
        "false" | "no" | "0" => Ok(false),
        _ => Err(format!("“{value}” is not true or false; it is ignored.")),
    }
}

fn size(value: &str) -> Result<SizeChoice, String> {
    if value.eq_ignore_ascii_case("match") {
        return Ok(SizeChoice::MatchFirstImage);
    }
    let size: Size = value
        .parse()
        .map_err(|e| format!("{e} Using the default size."))?;
    size.validate()
        .map_err(|e| format!("{e} Using the default size."))?;
    Ok(SizeChoice::from_size(size))
}

/// Exact origins, space-separated. `*` is refused: messages carry prompts and
/// results, and commands spend the user's balance.
fn origins(value: &str) -> Result<Vec<String>, String> {
    value
        .split_whitespace()
        .map(|origin| {
            if origin == "*" {
                return Err("“*” is not allowed: list each origin, such as https://portal.example.".to_owned());
            }
            let url = parse_http_url(origin)
                .map_err(|e| format!("{} No origin is allowed.", e.describe(origin)))?;
            let scheme = match url.scheme() {
                Scheme::Http => "http",
                Scheme::Https => "https",
            };
            let port = url.port().map(|p| format!(":{p}")).unwrap_or_default();
            // As browsers write `MessageEvent.origin`: lower-case, no path.
            let exact = format!("{scheme}://{}{port}", url.host().to_ascii_lowercase());
            if !exact.eq_ignore_ascii_case(origin.trim_end_matches('/')) {
                return Err(format!(
                    "{origin} is not an origin (scheme, host and port only, like {exact}); no origin is allowed."
                ));
            }
            Ok(exact)
        })
        .collect()
}
