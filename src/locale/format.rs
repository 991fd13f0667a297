//! Numbers, byte sizes and times written the way the language writes them. Digits
//! and grouping come from the browser's `Intl`, so the
//! wasm carries no locale data; the words around them come from `locales/*/units.json`.

use js_sys::{Array, Date, Intl, Object, Reflect};
use wasm_bindgen::JsValue;

use super::tag;
use crate::i18n::{Locale, td_string};

/// `value` with exactly `fraction_digits` decimals, grouped for the language.
pub fn number(locale: Locale, value: f64, fraction_digits: u8) -> String {
    let options = Object::new();
    let digits = JsValue::from(fraction_digits);
    // Setting a plain property on a fresh object cannot fail.
    let _ = Reflect::set(&options, &"minimumFractionDigits".into(), &digits);
    let _ = Reflect::set(&options, &"maximumFractionDigits".into(), &digits);
    let locales = Array::of1(&JsValue::from_str(tag(locale)));
    Intl::NumberFormat::new(&locales, &options)
        .format()
        .call1(&JsValue::UNDEFINED, &JsValue::from(value))
        .ok()
        .and_then(|formatted| formatted.as_string())
        // `Intl` is in every browser the app runs in; digits alone are still right.
        .unwrap_or_else(|| format!("{value:.*}", usize::from(fraction_digits)))
}

/// A whole count, grouped for the language ("12,345").
pub fn count(locale: Locale, value: impl Into<f64>) -> String {
    number(locale, value.into(), 0)
}

/// A byte count for people: "812 bytes", "38.5 KB", "2.4 MB" (binary units, as the
/// 10 MB limit is read as 10 MiB).
pub fn bytes(locale: Locale, bytes: u64) -> String {
    const KIB: f64 = 1024.0;
    let value = bytes as f64;
    if bytes == 1 {
        td_string!(locale, units.bytes_one).to_string()
    } else if value < KIB {
        td_string!(locale, units.bytes, count = count(locale, value)).to_string()
    } else if value < KIB * KIB {
        let kilobytes = number(locale, value / KIB, 1);
        td_string!(locale, units.kilobytes, count = kilobytes).to_string()
    } else {
        let megabytes = number(locale, value / (KIB * KIB), 1);
        td_string!(locale, units.megabytes, count = megabytes).to_string()
    }
}

/// A duration to the second: "42 s", "3 min 05 s" ("42 秒", "3 分 05 秒").
pub fn duration(locale: Locale, ms: f64) -> String {
    let total = (ms.max(0.0) / 1000.0).round() as u64;
    if total < 60 {
        td_string!(locale, units.seconds, seconds = total).to_string()
    } else {
        let (minutes, seconds) = (total / 60, format!("{:02}", total % 60));
        td_string!(locale, units.minutes_seconds, minutes, seconds).to_string()
    }
}

/// The time of day of a timestamp (ms since the epoch), as the language writes it.
pub fn clock(locale: Locale, ms: f64) -> String {
    Date::new(&JsValue::from(ms))
        .to_locale_time_string(tag(locale))
        .into()
}
