//! Output size: a recommended 2K/3K size, the nearest valid size to Image 1's shape, or a
//! custom width x height explained live when out of bounds.

use leptos::prelude::*;
use seedream_contract::size::{DEFAULT_SIZE, RECOMMENDED, Size, nearest_valid_size};
use seedream_contract::{SizeError, SizeParseError};

use crate::i18n::{Locale, t, t_string, td_string, use_i18n};
use crate::ids::dom_id;
use crate::locale::format::number;
use crate::locale::validation;

/// What the user picked; resolved against Image 1 into a [`Size`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SizeChoice {
    Preset(Size),
    MatchFirstImage,
    Custom { width: String, height: String },
}

impl Default for SizeChoice {
    fn default() -> Self {
        SizeChoice::Preset(DEFAULT_SIZE)
    }
}

impl SizeChoice {
    /// The choice for a given size: its preset when it is one, otherwise the same
    /// width and height as a custom size.
    pub fn from_size(size: Size) -> SizeChoice {
        if RECOMMENDED.iter().any(|r| r.k2 == size || r.k3 == size) {
            SizeChoice::Preset(size)
        } else {
            SizeChoice::Custom {
                width: size.width.to_string(),
                height: size.height.to_string(),
            }
        }
    }

    /// The size to send, or why there is none. `first_image` is Image 1's pixel size
    /// when known.
    pub fn resolve(&self, first_image: Option<(u32, u32)>) -> Result<Size, SizeProblem> {
        match self {
            SizeChoice::Preset(size) => Ok(*size),
            SizeChoice::MatchFirstImage => first_image
                .map(|(w, h)| nearest_valid_size(w, h))
                .ok_or(SizeProblem::NothingToMatch),
            SizeChoice::Custom { width, height } => {
                let size = Size::parse_lenient(&format!("{}x{}", width.trim(), height.trim()))
                    .map_err(SizeProblem::Unreadable)?;
                size.validate().map_err(SizeProblem::OutOfBounds)?;
                Ok(size)
            }
        }
    }

    /// The `<select>` value for this choice.
    fn key(&self) -> String {
        match self {
            SizeChoice::Preset(size) => format!("preset:{size}"),
            SizeChoice::MatchFirstImage => "match".to_owned(),
            SizeChoice::Custom { .. } => "custom".to_owned(),
        }
    }

    /// The choice a `<select>` value stands for, keeping typed custom values.
    fn from_key(key: &str, current: &SizeChoice) -> SizeChoice {
        match key {
            "match" => SizeChoice::MatchFirstImage,
            "custom" => match current {
                SizeChoice::Custom { .. } => current.clone(),
                _ => {
                    let start = current.resolve(None).unwrap_or(DEFAULT_SIZE);
                    SizeChoice::Custom {
                        width: start.width.to_string(),
                        height: start.height.to_string(),
                    }
                }
            },
            other => other
                .strip_prefix("preset:")
                .and_then(|s| s.parse::<Size>().ok())
                .map_or_else(SizeChoice::default, SizeChoice::Preset),
        }
    }
}

/// Why the size field gives no size.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SizeProblem {
    /// "Match Image 1" with no known pixel size for Image 1.
    NothingToMatch,
    /// The custom width and height do not make a size.
    Unreadable(SizeParseError),
    /// The custom size is outside the model's bounds.
    OutOfBounds(SizeError),
}

impl SizeProblem {
    pub fn describe(&self, locale: Locale) -> String {
        match self {
            SizeProblem::NothingToMatch => {
                td_string!(locale, form.size.nothing_to_match).to_string()
            }
            SizeProblem::Unreadable(error) => validation::size_parse(locale, error),
            SizeProblem::OutOfBounds(error) => validation::size(locale, error),
        }
    }
}

/// "2048x2048 · 4.2 megapixels".
fn size_note(locale: Locale, size: Size) -> String {
    let megapixels = number(locale, size.pixels() as f64 / 1_000_000.0, 1);
    td_string!(locale, form.size.note, size, megapixels).to_string()
}

#[component]
pub fn SizeField(
    choice: RwSignal<SizeChoice>,
    first_image: Signal<Option<(u32, u32)>>,
    resolved: Signal<Result<Size, SizeProblem>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let custom = move || matches!(choice.get(), SizeChoice::Custom { .. });
    let set_custom = move |width: Option<String>, height: Option<String>| {
        choice.update(|c| {
            if let SizeChoice::Custom {
                width: w,
                height: h,
            } = c
            {
                if let Some(width) = width {
                    *w = width;
                }
                if let Some(height) = height {
                    *h = height;
                }
            }
        });
    };
    let custom_value = move |pick: fn(&SizeChoice) -> Option<String>| {
        move || pick(&choice.get()).unwrap_or_default()
    };
    view! {
        <div class="field size">
            <label for=dom_id("size")>{t!(i18n, form.size.label)}</label>
            <select
                id=dom_id("size")
                name="size"
                aria-describedby=dom_id("size-note")
                prop:value=move || choice.with(SizeChoice::key)
                on:change=move |ev| {
                    let key = event_target_value(&ev);
                    choice.update(|c| *c = SizeChoice::from_key(&key, c));
                }
            >
                <optgroup label=move || t_string!(i18n, form.size.recommended).to_string()>
                    {RECOMMENDED
                        .iter()
                        .flat_map(|rec| [("2K", rec.k2), ("3K", rec.k3)].map(move |(tier, size)| (rec.ratio, tier, size)))
                        .map(|(ratio, tier, size)| {
                            view! {
                                <option value=format!("preset:{size}")>
                                    {move || t_string!(i18n, form.size.preset, ratio, tier, size).to_string()}
                                </option>
                            }
                        })
                        .collect_view()}
                </optgroup>
                <option value="match" disabled=move || first_image.get().is_none()>{t!(i18n, form.size.match_first)}</option>
                <option value="custom">{t!(i18n, form.size.custom)}</option>
            </select>
            <Show when=custom>
                <div class="size-custom">
                    <label>
                        {t!(i18n, form.size.width)}
                        <input
                            type="number"
                            inputmode="numeric"
                            min="1"
                            prop:value=custom_value(|c| match c { SizeChoice::Custom { width, .. } => Some(width.clone()), _ => None })
                            on:input=move |ev| set_custom(Some(event_target_value(&ev)), None)
                        />
                    </label>
                    <span aria-hidden="true">"×"</span>
                    <label>
                        {t!(i18n, form.size.height)}
                        <input
                            type="number"
                            inputmode="numeric"
                            min="1"
                            prop:value=custom_value(|c| match c { SizeChoice::Custom { height, .. } => Some(height.clone()), _ => None })
                            on:input=move |ev| set_custom(None, Some(event_target_value(&ev)))
                        />
                    </label>
                </div>
            </Show>
            <p id=dom_id("size-note") class=move || if resolved.get().is_ok() { "hint" } else { "field-error" } role="status">
                {move || {
                    let locale = i18n.get_locale();
                    match resolved.get() {
                        Ok(size) => size_note(locale, size),
                        Err(problem) => problem.describe(locale),
                    }
                }}
            </p>
        </div>
    }
}
