//! Small text helpers shared by the error messages.
//!
//! Kept in one place so every message formats numbers the same way: users read
//! "3,686,400 pixels" and "11.2 MB", never raw byte counts without separators.

/// Formats an integer with comma thousands separators (`3686400` -> `3,686,400`).
pub fn thousands(value: u64) -> String {
    let digits = value.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    let len = digits.len();
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (len - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

/// Formats a byte count in megabytes (MiB) with one decimal, rounding *up*.
///
/// Rounding up matters at the limit: an image one byte over 10 MiB must not be
/// described as "10.0 MB", which would read as allowed.
pub fn megabytes_ceil(bytes: u64) -> String {
    const MIB: u64 = 1024 * 1024;
    // Tenths of a MiB, rounded up, computed in integers so no float noise appears.
    let tenths = bytes.saturating_mul(10).div_ceil(MIB);
    format!("{}.{} MB", tenths / 10, tenths % 10)
}

/// Keeps at most `max_chars` characters of `text`, adding an ellipsis when cut.
///
/// Used for values echoed back in messages (an unknown enum value, a failure reason
/// from the network) so a hostile or broken peer cannot flood the interface.
pub fn truncate_chars(text: &str, max_chars: usize) -> String {
    match text.char_indices().nth(max_chars) {
        Some((cut, _)) => {
            let mut out = text.get(..cut).unwrap_or_default().to_owned();
            out.push('…');
            out
        }
        None => text.to_owned(),
    }
}

/// Describes a character for a message: printable ASCII is quoted, anything else
/// (spaces, controls, invisible marks) is shown as its code point so it is visible.
pub fn describe_char(ch: char) -> String {
    if ch.is_ascii_graphic() {
        format!("'{ch}'")
    } else {
        format!("U+{:04X}", u32::from(ch))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1000), "1,000");
        assert_eq!(thousands(3_686_400), "3,686,400");
        assert_eq!(megabytes_ceil(10 * 1024 * 1024), "10.0 MB");
        assert_eq!(megabytes_ceil(10 * 1024 * 1024 + 1), "10.1 MB");
        assert_eq!(truncate_chars("héllo", 2), "hé…");
        assert_eq!(truncate_chars("hé", 2), "hé");
        assert_eq!(describe_char(' '), "U+0020");
        assert_eq!(describe_char('"'), "'\"'");
    }
}
