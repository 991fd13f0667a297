//! Checking base64 without decoding it.
//!
//! An image may be 10 MB, i.e. about 14 MB of base64, and the check runs in the
//! browser's wasm on every edit of the form. Decoding would allocate the whole
//! image; a single byte scan against a lookup table proves the payload decodes,
//! and arithmetic on its length gives the decoded size.

use base64::Engine as _;

/// True for the 64 characters of the standard alphabet (`A-Z a-z 0-9 + /`).
/// (Compiles to a few range comparisons; as fast as a table, and cannot index.)
fn in_alphabet(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || byte == b'+' || byte == b'/'
}

/// The 6-bit value of a standard-alphabet character (only called on valid ones).
fn sextet(byte: u8) -> u8 {
    match byte {
        b'A'..=b'Z' => byte - b'A',
        b'a'..=b'z' => byte - b'a' + 26,
        b'0'..=b'9' => byte - b'0' + 52,
        b'+' => 62,
        _ => 63,
    }
}

/// The decoded length of a padded standard base64 text, computed from its length
/// and padding alone, or `None` when the length is not a multiple of 4.
///
/// Meant to run *before* [`is_canonical_base64`], so an oversized payload is
/// reported without scanning it.
pub fn decoded_len(payload: &[u8]) -> Option<usize> {
    if !payload.len().is_multiple_of(4) {
        return None;
    }
    let padding = payload.iter().rev().take(2).filter(|&&b| b == b'=').count();
    Some(payload.len() / 4 * 3 - padding)
}

/// True when `payload` is canonical padded standard base64: length a multiple of
/// 4, every byte in the alphabet except one or two trailing `=`, and the unused
/// bits of the last character zero (what strict decoders, the `base64` crate's
/// `STANDARD` engine included, demand).
pub fn is_canonical_base64(payload: &[u8]) -> bool {
    if !payload.len().is_multiple_of(4) {
        return false;
    }
    let padding = match payload {
        [.., b'=', b'='] => 2,
        [.., b'='] => 1,
        _ => 0,
    };
    let body = payload.get(..payload.len() - padding).unwrap_or_default();
    if !body.iter().all(|&b| in_alphabet(b)) {
        return false;
    }
    // With padding, the last data character carries bits that must be zero.
    match (padding, body.last()) {
        (0, _) => true,
        (1, Some(&last)) => sextet(last) & 0b11 == 0,
        (2, Some(&last)) => sextet(last) & 0b1111 == 0,
        _ => false,
    }
}

/// Decodes just enough of the start of a valid payload to sniff its format.
///
/// Takes the first 16 characters (a multiple of 4, so they decode on their own to
/// 12 bytes), which covers the longest signature.
pub fn decode_prefix(payload: &[u8]) -> Option<Vec<u8>> {
    let prefix = payload.get(..payload.len().min(16))?;
    base64::engine::general_purpose::STANDARD
        .decode(prefix)
        .ok()
}
