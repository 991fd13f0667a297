//! What a stored image is kept under: one key per image, readable in the devtools.
//!
//! A result belongs to one task, so its key names the task's local id and its
//! position. A local input is kept once per content (its SHA-256, as the mock's
//! `/__mock/tasks/{id}/inputs` reports it), however many tasks sent it, and counts
//! the tasks that use it.

use std::fmt;

/// The key of one stored image.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ImageKey {
    /// Result `index` (0-based) of the task with local id `record`.
    Result { record: String, index: usize },
    /// A local input image, by the hex SHA-256 of its bytes.
    Input { sha256: String },
}

impl ImageKey {
    /// The key of result `index` of `record`.
    pub fn result(record: &str, index: usize) -> ImageKey {
        ImageKey::Result {
            record: record.to_owned(),
            index,
        }
    }

    /// Reads a key as [`fmt::Display`] writes it; `None` for anything else.
    pub fn parse(text: &str) -> Option<ImageKey> {
        if let Some(rest) = text.strip_prefix("result:") {
            let (record, index) = rest.rsplit_once(':')?;
            if record.is_empty() {
                return None;
            }
            let index = index.parse().ok()?;
            return Some(ImageKey::result(record, index));
        }
        let sha256 = text.strip_prefix("input:")?;
        let hex = sha256.len() == 64 && sha256.bytes().all(|b| b.is_ascii_hexdigit());
        hex.then(|| ImageKey::Input {
            sha256: sha256.to_ascii_lowercase(),
        })
    }
}

/// `result:<record>:<index>` or `input:<sha256>`.
impl fmt::Display for ImageKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ImageKey::Result { record, index } => write!(f, "result:{record}:{index}"),
            ImageKey::Input { sha256 } => write!(f, "input:{sha256}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_read_back_as_written() {
        let sha = "ab".repeat(32);
        for key in [
            ImageKey::result("m3k9-2", 3),
            ImageKey::result("a:b", 0),
            ImageKey::Input {
                sha256: sha.clone(),
            },
        ] {
            assert_eq!(ImageKey::parse(&key.to_string()), Some(key));
        }
        assert_eq!(ImageKey::result("t1", 2).to_string(), "result:t1:2");
        assert_eq!(
            ImageKey::Input {
                sha256: sha.clone()
            }
            .to_string(),
            format!("input:{sha}")
        );
    }

    #[test]
    fn anything_else_is_no_key() {
        for text in [
            "",
            "result:",
            "result::1",
            "result:t1:x",
            "input:abc",
            "other:1",
        ] {
            assert_eq!(ImageKey::parse(text), None, "{text}");
        }
        let not_hex = format!("input:{}", "zz".repeat(32));
        assert_eq!(ImageKey::parse(&not_hex), None);
    }
}
