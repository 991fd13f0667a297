//! Numbers, byte sizes and times written the way the language writes them. Grouping
//! and larger numbers come from the browser's `Intl`, so the wasm carries no locale
//! data; numbers below 1,000 and the time of day, which both languages write in plain
//! digits, are written here (a browser's first `Intl` formatter is slow to make). The
//! words around them come from `locales/*/units.json`.

use std::cell::RefCell;

use js_sys::{Array, Date, Function, Intl, Object, Reflect};
use wasm_bindgen::JsValue;

use super::tag;
use crate::i18n::{Locale, td_string};

/// `value` with exactly `fraction_digits` decimals, grouped for the language.
pub fn number(locale: Locale, value: f64, fraction_digits: u8) -> String {
    if let Some(plain) = below_a_thousand(locale, value, fraction_digits) {
        return plain;
    }
    cached_format(fraction_digits, locale)
        .call1(&JsValue::UNDEFINED, &JsValue::from(value))
        .ok()
        .and_then(|formatted| formatted.as_string())
        // `Intl` is in every browser the app runs in; digits alone are still right.
        .unwrap_or_else(|| format!("{value:.*}", usize::from(fraction_digits)))
}

/// `value` written without `Intl`, when the language writes it in plain digits: a
/// number below 1,000 needs no grouping, and the languages here write decimals with
/// a point. Most numbers shown are such ("Image 2", "4.2 MP"), and the browser's
/// first `Intl.NumberFormat` loads its locale data: 15 to 20 ms of the first render.
/// Rounds half away from zero, as `Intl` does.
fn below_a_thousand(locale: Locale, value: f64, fraction_digits: u8) -> Option<String> {
    // Exhaustive: a new language decides here how it writes numbers.
    let point = match locale {
        Locale::en | Locale::zh_CN => '.',
    };
    let scale = 10u64.checked_pow(u32::from(fraction_digits))?;
    let scaled = (value.abs() * scale as f64).round();
    if !scaled.is_finite() || scaled >= 1000.0 * scale as f64 {
        return None;
    }
    let scaled = scaled as u64;
    let sign = if value < 0.0 && scaled > 0 { "-" } else { "" };
    let whole = scaled / scale;
    Some(match fraction_digits {
        0 => format!("{sign}{whole}"),
        digits => {
            let fraction = scaled % scale;
            let width = usize::from(digits);
            format!("{sign}{whole}{point}{fraction:0width$}")
        }
    })
}

thread_local! {
    /// Each number formatter's `format` function, made once per language and
    /// precision: building an `Intl` formatter costs far more than using one.
    static FORMATS: RefCell<Vec<(u8, Locale, Function)>> = const { RefCell::new(Vec::new()) };
}

/// The `format` function of `locale`'s number formatter with `digits` decimals.
fn cached_format(digits: u8, locale: Locale) -> Function {
    FORMATS.with_borrow_mut(|formats| {
        if let Some((_, _, format)) = formats
            .iter()
            .find(|(d, l, _)| *d == digits && *l == locale)
        {
            return format.clone();
        }
        let locales = Array::of1(&JsValue::from_str(tag(locale)));
        let options = Object::new();
        // Setting plain properties on a fresh object cannot fail.
        let set = |name: &str, value: JsValue| {
            let _ = Reflect::set(&options, &name.into(), &value);
        };
        set("minimumFractionDigits", digits.into());
        set("maximumFractionDigits", digits.into());
        let format = Intl::NumberFormat::new(&locales, &options).format();
        formats.push((digits, locale, format.clone()));
        format
    })
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

/// The time of day of a timestamp (ms since the epoch), in the page's time zone, as
/// the language writes it: "7:05:09 PM", "19:05:09". Written here rather than by
/// `Intl`: every card shows one, and the browser's first `Intl.DateTimeFormat`
/// loads its locale data (about 20 ms of a long history's first render).
pub fn clock(locale: Locale, ms: f64) -> String {
    let date = Date::new(&JsValue::from(ms));
    let (hours, minutes, seconds) = (date.get_hours(), date.get_minutes(), date.get_seconds());
    // Exhaustive: a new language decides here how it writes the time.
    match locale {
        // As `Intl` writes it, with a narrow no-break space before the period.
        Locale::en => {
            let period = if hours < 12 { "AM" } else { "PM" };
            let hour = match hours % 12 {
                0 => 12,
                hour => hour,
            };
            format!("{hour}:{minutes:02}:{seconds:02}\u{202f}{period}")
        }
        Locale::zh_CN => format!("{hours:02}:{minutes:02}:{seconds:02}"),
    }
}

// Natively only: `cargo xtask test` runs the app's unit tests outside a browser.
#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    #[test]
    fn numbers_below_a_thousand_are_written_as_intl_writes_them() {
        let plain = |value, digits| below_a_thousand(Locale::en, value, digits);
        assert_eq!(plain(0.0, 0).as_deref(), Some("0"));
        assert_eq!(plain(14.0, 0).as_deref(), Some("14"));
        assert_eq!(plain(999.0, 0).as_deref(), Some("999"));
        assert_eq!(plain(38.5, 1).as_deref(), Some("38.5"));
        assert_eq!(plain(4.194_304, 1).as_deref(), Some("4.2"));
        assert_eq!(
            plain(2.0, 1).as_deref(),
            Some("2.0"),
            "the decimals asked for"
        );
        assert_eq!(
            plain(1.25, 1).as_deref(),
            Some("1.3"),
            "half away from zero"
        );
        assert_eq!(plain(-2.5, 0).as_deref(), Some("-3"));
        assert_eq!(plain(-0.01, 1).as_deref(), Some("0.0"), "no sign on a zero");
        assert_eq!(
            below_a_thousand(Locale::zh_CN, 4.2, 1).as_deref(),
            Some("4.2")
        );
        // Grouping, and what rounds up to a thousand, are left to `Intl`.
        assert_eq!(plain(1000.0, 0), None);
        assert_eq!(plain(999.96, 1), None);
        assert_eq!(plain(f64::NAN, 0), None);
        assert_eq!(plain(f64::INFINITY, 0), None);
    }
}
