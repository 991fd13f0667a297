//! Output size: a recommended 2K/3K size, the nearest valid size to Image 1's shape, or a
//! custom width x height explained live when out of bounds.

use crate::embed::ids::dom_id;
use leptos::prelude::*;
use seedream_contract::size::{DEFAULT_SIZE, RECOMMENDED, Size, nearest_valid_size};

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
    pub fn resolve(&self, first_image: Option<(u32, u32)>) -> Result<Size, String> {
        match self {
            SizeChoice::Preset(size) => Ok(*size),
            SizeChoice::MatchFirstImage => first_image
                .map(|(w, h)| nearest_valid_size(w, h))
                .ok_or_else(|| {
                    "Image 1's pixel size is not known yet, so there is nothing to match: add an image or pick a size.".to_owned()
                }),
            SizeChoice::Custom { width, height } => {
                let size = Size::parse_lenient(&format!("{}x{}", width.trim(), height.trim()))
                    .map_err(|err| err.to_string())?;
                size.validate().map_err(|err| err.to_string())?;
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

#[component]
pub fn SizeField(
    choice: RwSignal<SizeChoice>,
    first_image: Signal<Option<(u32, u32)>>,
    resolved: Signal<Result<Size, String>>,
) -> impl IntoView {
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
            <label for=dom_id("size")>"Size"</label>
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
                <optgroup label="Recommended">
                    {RECOMMENDED
                        .iter()
                        .flat_map(|rec| [("2K", rec.k2), ("3K", rec.k3)].map(move |(tier, size)| (rec.ratio, tier, size)))
                        .map(|(ratio, tier, size)| {
                            view! { <option value=format!("preset:{size}")>{format!("{ratio} · {tier} · {size}")}</option> }
                        })
                        .collect_view()}
                </optgroup>
                <option value="match" disabled=move || first_image.get().is_none()>"Match Image 1"</option>
                <option value="custom">"Custom…"</option>
            </select>
            <Show when=custom>
                <div class="size-custom">
                    <label>
                        "Width"
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
                        "Height"
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
                {move || match resolved.get() {
                    Ok(size) => format!("{size} · {:.1} megapixels", size.pixels() as f64 / 1_000_000.0),
                    Err(reason) => reason,
                }}
            </p>
        </div>
    }
}
