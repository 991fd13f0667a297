//! A strict, hand-written check for `http(s)` URLs.
//!
//! Two jobs share it: validating the image addresses a user types, and vetting
//! every URL the network hands back (result images) before the app renders it as
//! an `<img src>` or a link. The second job is why it is strict rather than
//! forgiving: anything that is not plainly `http://host/...` or `https://host/...`
//! is refused, so `javascript:`, `data:`, credentials smuggled as
//! `https://good.com@evil.com`, and look-alike tricks with whitespace, control
//! characters, invisible marks or backslashes (which browsers read as `/`) never
//! reach the page. It is deliberately not a full WHATWG parser (no url crate: this
//! runs in wasm and must stay small); it only decides "safe http(s) URL or not".

use crate::text::{describe_char, thousands, truncate_chars};

/// The longest URL accepted, in bytes. Real image URLs, signed CDN links included,
/// stay well under this; anything longer is more likely garbage or an attack.
pub const MAX_URL_BYTES: usize = 8 * 1024;

/// The two schemes the contract allows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Scheme {
    /// `http://`
    Http,
    /// `https://`
    Https,
}

/// A URL that passed [`parse_http_url`], borrowing the checked text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HttpUrl<'a> {
    text: &'a str,
    scheme: Scheme,
    host: &'a str,
    port: Option<u16>,
}

impl<'a> HttpUrl<'a> {
    /// The whole URL, exactly as given.
    pub fn as_str(&self) -> &'a str {
        self.text
    }

    /// `http` or `https`.
    pub fn scheme(&self) -> Scheme {
        self.scheme
    }

    /// The host as written (an IPv6 literal keeps its brackets).
    pub fn host(&self) -> &'a str {
        self.host
    }

    /// The explicit port, if any.
    pub fn port(&self) -> Option<u16> {
        self.port
    }
}

/// Why a string is not an acceptable http(s) URL. Serialised by name (`"empty"`,
/// `{"too_long": {"len": 3000}}`): a task history keeps it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UrlError {
    /// Nothing was given.
    Empty,
    /// Longer than [`MAX_URL_BYTES`].
    TooLong {
        /// The length in bytes.
        len: usize,
    },
    /// Whitespace, a control or invisible character, or one of `" < > \ ``.
    ForbiddenCharacter {
        /// The offending character.
        ch: char,
    },
    /// No `scheme:` at the start.
    MissingScheme,
    /// A scheme other than http or https (`ftp`, `javascript`, `data`, ...).
    UnsupportedScheme {
        /// The scheme as written (shortened if long).
        scheme: String,
    },
    /// Nothing (or no `//`) after the scheme.
    MissingHost,
    /// `user:password@` before the host.
    UserInfo,
    /// A port that is empty, not a number or above 65535.
    BadPort,
    /// A host with characters or a layout no host name has.
    BadHost,
}

impl UrlError {
    /// The message with a chosen subject, e.g. "Image 2's address is empty.".
    ///
    /// The image rules reuse these sentences with the image's position as subject.
    pub fn describe(&self, subject: &str) -> String {
        match self {
            Self::Empty => format!("{subject} is empty."),
            Self::TooLong { len } => format!(
                "{subject} is {} bytes long; the limit is {} bytes.",
                thousands(*len as u64),
                thousands(MAX_URL_BYTES as u64)
            ),
            Self::ForbiddenCharacter { ch } => format!(
                "{subject} contains a forbidden character ({}); spaces, control or invisible \
                 characters, quotes, angle brackets, backticks and backslashes are not allowed.",
                describe_char(*ch)
            ),
            Self::MissingScheme => {
                format!("{subject} does not start with http:// or https://.")
            }
            Self::UnsupportedScheme { scheme } => format!(
                "{subject} uses the {scheme}: scheme; only http:// and https:// are allowed."
            ),
            Self::MissingHost => format!("{subject} has no host name after http(s)://."),
            Self::UserInfo => {
                format!("{subject} contains a user name or password before '@'; remove that part.")
            }
            Self::BadPort => format!("{subject} has an invalid port number."),
            Self::BadHost => format!("{subject} has an invalid host name."),
        }
    }
}

impl std::fmt::Display for UrlError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.describe("The address"))
    }
}

/// True when `text` is an acceptable http(s) URL (see [`parse_http_url`]).
pub fn is_http_url(text: &str) -> bool {
    parse_http_url(text).is_ok()
}

/// Checks that `text` is a plain `http://` or `https://` URL with a host.
///
/// Rules, checked in this order: not empty; at most [`MAX_URL_BYTES`]; scheme
/// `http` or `https` in any case (so `javascript:` is named as such even when it
/// also has spaces); no whitespace, control, invisible (bidi, zero-width)
/// characters or `" < > \ `` anywhere; `//` after the scheme; no `user:pass@`;
/// a non-empty host made of letters, digits, `-`, `.`, `_`, `~` (or a bracketed
/// IPv6 literal); an optional numeric port.
pub fn parse_http_url(text: &str) -> Result<HttpUrl<'_>, UrlError> {
    if text.is_empty() {
        return Err(UrlError::Empty);
    }
    if text.len() > MAX_URL_BYTES {
        return Err(UrlError::TooLong { len: text.len() });
    }
    // A leading space (a common paste accident) is named as such, not as a
    // missing scheme.
    if let Some(ch) = text.chars().next().filter(|&ch| is_forbidden(ch)) {
        return Err(UrlError::ForbiddenCharacter { ch });
    }
    let (scheme_text, rest) = split_scheme(text).ok_or(UrlError::MissingScheme)?;
    let scheme = if scheme_text.eq_ignore_ascii_case("http") {
        Scheme::Http
    } else if scheme_text.eq_ignore_ascii_case("https") {
        Scheme::Https
    } else {
        return Err(UrlError::UnsupportedScheme {
            scheme: truncate_chars(scheme_text, 20),
        });
    };
    if let Some(ch) = text.chars().find(|&ch| is_forbidden(ch)) {
        return Err(UrlError::ForbiddenCharacter { ch });
    }
    let after_slashes = rest.strip_prefix("//").ok_or(UrlError::MissingHost)?;
    let authority_end = after_slashes
        .find(['/', '?', '#'])
        .unwrap_or(after_slashes.len());
    let authority = after_slashes.get(..authority_end).unwrap_or_default();
    if authority.contains('@') {
        return Err(UrlError::UserInfo);
    }
    let (host, port) = split_host_port(authority)?;
    Ok(HttpUrl {
        text,
        scheme,
        host,
        port,
    })
}

/// Characters never allowed in a URL we accept.
///
/// Besides whitespace and controls, this refuses the invisible formatting marks
/// used to disguise addresses (zero-width and bidirectional controls), and the
/// ASCII characters browsers either percent-encode or reinterpret (`\` becomes
/// `/`), so what the user sees is what the browser fetches.
fn is_forbidden(ch: char) -> bool {
    ch.is_whitespace()
        || ch.is_control()
        || matches!(ch, '"' | '<' | '>' | '\\' | '`')
        || matches!(
            ch,
            '\u{00AD}'
                | '\u{180E}'
                | '\u{200B}'..='\u{200F}'
                | '\u{202A}'..='\u{202E}'
                | '\u{2060}'..='\u{2064}'
                | '\u{2066}'..='\u{2069}'
                | '\u{FEFF}'
        )
}

/// Splits `scheme:rest` when the start is a syntactically valid scheme
/// (a letter, then letters, digits, `+`, `-` or `.`).
fn split_scheme(text: &str) -> Option<(&str, &str)> {
    let colon = text.find(':')?;
    let scheme = text.get(..colon)?;
    let mut chars = scheme.chars();
    let first_ok = chars.next().is_some_and(|c| c.is_ascii_alphabetic());
    let rest_ok = chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    if first_ok && rest_ok {
        Some((scheme, text.get(colon + 1..)?))
    } else {
        None
    }
}

/// Splits `host[:port]`, checking both parts.
fn split_host_port(authority: &str) -> Result<(&str, Option<u16>), UrlError> {
    if authority.is_empty() {
        return Err(UrlError::MissingHost);
    }
    let (host, port_text) = if authority.starts_with('[') {
        let close = authority.find(']').ok_or(UrlError::BadHost)?;
        let host = authority.get(..=close).ok_or(UrlError::BadHost)?;
        let inner = host.get(1..close).unwrap_or_default();
        if inner.is_empty()
            || !inner
                .chars()
                .all(|c| c.is_ascii_hexdigit() || c == ':' || c == '.')
        {
            return Err(UrlError::BadHost);
        }
        let after = authority.get(close + 1..).unwrap_or_default();
        match after.strip_prefix(':') {
            Some(port) => (host, Some(port)),
            None if after.is_empty() => (host, None),
            None => return Err(UrlError::BadHost),
        }
    } else {
        match authority.split_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (authority, None),
        }
    };
    if host.is_empty() {
        return Err(UrlError::MissingHost);
    }
    if !host.starts_with('[') && !is_reg_name(host) {
        return Err(UrlError::BadHost);
    }
    let port = match port_text {
        None => None,
        Some(text) => Some(parse_port(text)?),
    };
    Ok((host, port))
}

/// A registered host name: labels of letters (any script), digits, `-`, `_`, `~`,
/// separated by single dots, with at most one trailing dot.
fn is_reg_name(host: &str) -> bool {
    let trimmed = host.strip_suffix('.').unwrap_or(host);
    !trimmed.is_empty()
        && trimmed.split('.').all(|label| {
            !label.is_empty()
                && label
                    .chars()
                    .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '~'))
        })
}

/// A port: 1 to 5 ASCII digits, at most 65535.
fn parse_port(text: &str) -> Result<u16, UrlError> {
    if text.is_empty() || text.len() > 5 || !text.bytes().all(|b| b.is_ascii_digit()) {
        return Err(UrlError::BadPort);
    }
    text.parse::<u16>().map_err(|_| UrlError::BadPort)
}
