//! Field deserializers that never fail, for optional fields the network may send
//! in odd shapes (`"width": "1024"`, `"format": 5`, `null`).
//!
//! A strange optional value should cost that value, not the whole answer: the
//! user still gets their images.

use serde::Deserialize as _;
use serde_json::Value;

/// An optional non-negative integer that fits `u32`; accepts `1024`, `1024.0`
/// and `"1024"`; anything else (null, negative, fractional, text) is `None`.
pub fn opt_u32<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Option<u32>, D::Error> {
    let value = Value::deserialize(deserializer)?;
    Ok(match value {
        Value::Number(n) => n
            .as_u64()
            .or_else(|| {
                n.as_f64()
                    .filter(|f| f.fract() == 0.0 && *f >= 0.0 && *f <= f64::from(u32::MAX))
                    .map(|f| f as u64)
            })
            .and_then(|v| u32::try_from(v).ok()),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    })
}

/// An optional string; any non-string is `None`.
pub fn opt_string<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<String>, D::Error> {
    Ok(match Value::deserialize(deserializer)? {
        Value::String(s) => Some(s),
        _ => None,
    })
}

/// A resource's `type`: the string if one is given, else `"image"`.
pub fn kind<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<String, D::Error> {
    Ok(match Value::deserialize(deserializer)? {
        Value::String(s) => s,
        _ => default_kind(),
    })
}

/// The default resource type.
pub fn default_kind() -> String {
    "image".to_owned()
}

/// Any JSON value except `null`.
pub fn opt_value<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<Value>, D::Error> {
    Ok(Some(Value::deserialize(deserializer)?).filter(|v| !v.is_null()))
}
