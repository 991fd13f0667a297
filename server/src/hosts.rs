//! Which host a request is for, and whether it is this server's.
//!
//! DNS rebinding points an attacker's name at this server's address: the browser then
//! treats the attacker's page and this server as one origin, and sends
//! `Host: attacker.example`. Listing the server's public hosts (`--public-host`)
//! refuses such requests before any route sees them. The same comparison tells the
//! proxy whether a submit's `Origin` is the server's own page.

use std::sync::Arc;

use anyhow::{Result, bail};
use axum::Router;
use axum::extract::{Request, State};
use axum::http::{StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};

use crate::api_error::error_response;

/// A host name (lowercase, IPv6 in brackets) and its port when one was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HostPort {
    host: String,
    port: Option<u16>,
}

impl HostPort {
    /// `example.com`, `example.com:8080`, `127.0.0.1:80`, `[::1]:8080`; None for
    /// anything else (paths, credentials, empty names, bad ports).
    pub fn parse(text: &str) -> Option<HostPort> {
        let text = text.trim();
        let (host, port) = match text.rsplit_once(':') {
            // An IPv6 address without a port is all colons inside its brackets.
            Some((host, port)) if !port.contains(']') => (host, Some(port.parse().ok()?)),
            _ => (text, None),
        };
        let valid = !host.is_empty()
            && host.chars().all(|c| {
                c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_' | '[' | ']' | ':')
            });
        valid.then(|| HostPort {
            host: host.trim_end_matches('.').to_ascii_lowercase(),
            port,
        })
    }

    /// The host and port of an `Origin` such as `https://example.com:8443`; None for
    /// `null` and anything that is not an http(s) origin.
    pub fn of_origin(origin: &str) -> Option<HostPort> {
        let url = url::Url::parse(origin).ok()?;
        if !matches!(url.scheme(), "http" | "https") {
            return None;
        }
        let host = match url.host()? {
            url::Host::Ipv6(ip) => format!("[{ip}]"),
            other => other.to_string(),
        };
        Some(HostPort {
            host: host.to_ascii_lowercase(),
            port: url.port(),
        })
    }

    /// The same host and port. A port left out is the scheme's default, and schemes are
    /// not compared (a TLS terminator turns `https://host` into plain `Host: host`), so
    /// it matches 80 and 443.
    pub fn matches(&self, other: &HostPort) -> bool {
        let default = |port: Option<u16>| port.is_none_or(|p| p == 80 || p == 443);
        self.host == other.host
            && match (self.port, other.port) {
                (Some(a), Some(b)) => a == b,
                (a, b) => default(a) && default(b),
            }
    }
}

/// The host a request names: its `Host` header (HTTP/1.1 requires one), else the
/// authority of an absolute request target.
pub fn requested_host(request: &Request) -> Option<HostPort> {
    match request.headers().get(header::HOST) {
        Some(value) => HostPort::parse(value.to_str().ok()?),
        None => HostPort::parse(request.uri().authority()?.as_str()),
    }
}

/// The server's public hosts, parsed from `--public-host` flags.
pub fn parse_public_hosts(flags: &[String]) -> Result<Vec<HostPort>> {
    flags
        .iter()
        .map(|flag| match HostPort::parse(flag) {
            Some(host) => Ok(host),
            None => bail!(
                "--public-host {flag:?} is not a host name with an optional port, \
                 such as studio.example.com or studio.example.com:8443"
            ),
        })
        .collect()
}

/// Refuses requests for any host but `hosts` with 421 Misdirected Request; no check
/// when `hosts` is empty. `/healthz` is exempt: load balancers check it by address.
pub fn only_public_hosts(app: Router, hosts: Vec<HostPort>) -> Router {
    if hosts.is_empty() {
        return app;
    }
    app.layer(middleware::from_fn_with_state(
        Arc::new(hosts),
        refuse_other_hosts,
    ))
}

async fn refuse_other_hosts(
    State(hosts): State<Arc<Vec<HostPort>>>,
    request: Request,
    next: Next,
) -> Response {
    let ours =
        requested_host(&request).is_some_and(|asked| hosts.iter().any(|h| h.matches(&asked)));
    if ours || request.uri().path() == "/healthz" {
        return next.run(request).await;
    }
    let status = StatusCode::MISDIRECTED_REQUEST;
    if request.uri().path().starts_with("/api") {
        error_response(
            status,
            "Misdirected request: this server does not serve that host",
        )
    } else {
        (status, "This server does not serve that host.\n").into_response()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn host(text: &str) -> HostPort {
        HostPort::parse(text).unwrap()
    }

    #[test]
    fn parses_hosts_with_and_without_ports() {
        assert_eq!(host("Example.COM."), host("example.com"));
        assert_eq!(host("example.com:8080").port, Some(8080));
        assert_eq!(host("[::1]:8080").host, "[::1]");
        assert_eq!(host("[::1]").port, None);
        for bad in ["", "a b", "x:99999", "x:", "user@x", "x/y"] {
            assert!(HostPort::parse(bad).is_none(), "{bad:?} parsed");
        }
    }

    #[test]
    fn origins_match_hosts_whatever_the_scheme() {
        let origin = |o: &str| HostPort::of_origin(o).unwrap();
        assert!(origin("https://studio.example").matches(&host("studio.example")));
        assert!(origin("http://studio.example").matches(&host("studio.example:443")));
        assert!(origin("http://127.0.0.1:8080").matches(&host("127.0.0.1:8080")));
        assert!(origin("http://[::1]:8080").matches(&host("[::1]:8080")));
        assert!(!origin("http://127.0.0.1:8081").matches(&host("127.0.0.1:8080")));
        assert!(!origin("https://studio.example:8443").matches(&host("studio.example")));
        assert!(!origin("https://evil.example").matches(&host("studio.example")));
        assert!(!origin("https://studio.example.evil").matches(&host("studio.example")));
        for bad in ["null", "file://", "chrome-extension://abc", "not an origin"] {
            assert!(HostPort::of_origin(bad).is_none(), "{bad} parsed");
        }
    }
}
