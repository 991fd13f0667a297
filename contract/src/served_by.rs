//! What a studio server answers `/api` with, as it tells its page: a header on the
//! page's configuration file (`config.json`), which the page asks for anyway. The
//! provider has no such header; a page served elsewhere knows nothing of it.

/// The header's name.
pub const SERVED_BY_HEADER: &str = "seedream-api";

/// What answers `/api` on the page's own server.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ServedBy {
    /// The mock: no key needed, nothing paid.
    Mock,
    /// The proxy holding the provider's key.
    Proxy,
}

impl ServedBy {
    /// The header's value.
    pub fn as_str(self) -> &'static str {
        match self {
            ServedBy::Mock => "mock",
            ServedBy::Proxy => "proxy",
        }
    }

    /// Reads the header's value; `None` for anything else.
    pub fn read(value: &str) -> Option<ServedBy> {
        [ServedBy::Mock, ServedBy::Proxy]
            .into_iter()
            .find(|kind| kind.as_str() == value.trim())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_kind_reads_back_and_nothing_else_does() {
        for kind in [ServedBy::Mock, ServedBy::Proxy] {
            assert_eq!(ServedBy::read(kind.as_str()), Some(kind));
        }
        assert_eq!(ServedBy::read(" proxy "), Some(ServedBy::Proxy));
        assert_eq!(ServedBy::read("Mock"), None);
        assert_eq!(ServedBy::read(""), None);
    }
}
