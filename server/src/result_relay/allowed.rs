//! Which result URLs this server fetches: `https` only, on a host its operator listed
//! (`--result-host`), on that entry's one port, with no credentials.
//!
//! Hosts are compared as the `url` crate normalises them, the same parser for the
//! entries and the URLs: names lowercased (and punycoded), IPv4 addresses in dotted
//! form whatever way they were written (`127.1` is `127.0.0.1`). A name never matches
//! an address, so an IP literal is fetched only when listed as one. There are no
//! wildcards: a listed `cdn.example` does not let `evil.cdn.example` in.

use anyhow::{Result, bail};
use url::{Host, Url};

use super::error::ResultError;

/// The longest result URL accepted. The provider's signed links are a few hundred
/// bytes; this bounds what is parsed, and what a request line may make us send.
pub const MAX_URL_BYTES: usize = 8192;

/// One `--result-host`: a host and the one port fetched from it.
#[derive(Debug, Clone, PartialEq, Eq)]
struct ResultHost {
    host: Host<String>,
    port: u16,
}

/// The listed result hosts; empty when none were given.
#[derive(Debug, Clone, Default)]
pub struct ResultHosts(Vec<ResultHost>);

impl ResultHosts {
    /// Parses `--result-host` flags: `name`, `name:port`, `192.0.2.7`, `[2001:db8::1]:8443`.
    /// Without a port an entry allows 443 only, https's own.
    pub fn parse(flags: &[String]) -> Result<ResultHosts> {
        flags
            .iter()
            .map(|flag| parse_entry(flag))
            .collect::<Result<_>>()
            .map(ResultHosts)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// `text` as a URL to fetch, when it may be fetched: without its fragment, which is
    /// never sent.
    pub fn check(&self, text: &str) -> Result<Url, ResultError> {
        if text.len() > MAX_URL_BYTES {
            return Err(ResultError::NotAUrl(MAX_URL_BYTES));
        }
        let mut url = Url::parse(text).map_err(|_| ResultError::NotAUrl(MAX_URL_BYTES))?;
        if url.scheme() != "https" {
            return Err(ResultError::NotHttps);
        }
        if !url.username().is_empty() || url.password().is_some() {
            return Err(ResultError::Credentials);
        }
        let (Some(host), Some(port)) = (url.host(), url.port_or_known_default()) else {
            return Err(ResultError::NotAUrl(MAX_URL_BYTES));
        };
        let host = host.to_owned();
        if !self
            .0
            .iter()
            .any(|listed| listed.host == host && listed.port == port)
        {
            return Err(ResultError::HostNotListed);
        }
        url.set_fragment(None);
        Ok(url)
    }
}

/// One entry, refused unless it is exactly a host with an optional port: no scheme,
/// path, user, wildcard or anything the URL parser would quietly drop or rewrite.
fn parse_entry(flag: &str) -> Result<ResultHost> {
    let explain = || {
        format!(
            "--result-host {flag:?} is not a host name or IP address with an optional port, \
             such as results.example.com, results.example.com:8443 or 192.0.2.7"
        )
    };
    // An empty port (`host:`) would parse as none.
    let plain = !flag.is_empty()
        && !flag.ends_with(':')
        && flag
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b".-_:[]".contains(&b));
    if !plain {
        bail!(explain());
    }
    let Ok(url) = Url::parse(&format!("https://{flag}/")) else {
        bail!(explain());
    };
    match (url.host(), url.port_or_known_default()) {
        (Some(host), Some(port)) if url.path() == "/" => Ok(ResultHost {
            host: host.to_owned(),
            port,
        }),
        _ => bail!(explain()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hosts(flags: &[&str]) -> ResultHosts {
        let flags: Vec<String> = flags.iter().map(|f| (*f).to_owned()).collect();
        ResultHosts::parse(&flags).unwrap()
    }

    fn refusal(hosts: &ResultHosts, url: &str) -> String {
        match hosts.check(url) {
            Ok(url) => panic!("{url} was accepted"),
            Err(error) => format!("{error:?}"),
        }
    }

    #[test]
    fn only_listed_hosts_exactly() {
        let listed = hosts(&["Results.Example.com", "cdn.example"]);
        let ok = listed
            .check("https://RESULTS.example.com/a/b.png?X-Sig=abc%2Bd#frag")
            .unwrap();
        assert_eq!(
            ok.as_str(),
            "https://results.example.com/a/b.png?X-Sig=abc%2Bd"
        );
        assert!(listed.check("https://cdn.example/x.jpeg").is_ok());
        for other in [
            "https://evil.cdn.example/x.png",
            "https://cdn.example.evil/x.png",
            "https://example.com/x.png",
            "https://cdn.example./x.png",
            "https://results-example.com/x.png",
        ] {
            assert_eq!(refusal(&listed, other), "HostNotListed", "{other}");
        }
    }

    #[test]
    fn port_443_unless_an_entry_names_another() {
        let listed = hosts(&["cdn.example", "store.example:8443", "both.example:443"]);
        assert!(listed.check("https://cdn.example:443/x.png").is_ok());
        assert!(listed.check("https://both.example/x.png").is_ok());
        assert!(listed.check("https://store.example:8443/x.png").is_ok());
        for other in [
            "https://cdn.example:8443/x.png",
            "https://store.example/x.png",
            "https://store.example:443/x.png",
        ] {
            assert_eq!(refusal(&listed, other), "HostNotListed", "{other}");
        }
    }

    #[test]
    fn https_only_and_no_credentials() {
        let listed = hosts(&["cdn.example"]);
        for other in [
            "http://cdn.example/x.png",
            "ftp://cdn.example/x.png",
            "wss://cdn.example/",
        ] {
            assert_eq!(refusal(&listed, other), "NotHttps", "{other}");
        }
        for other in [
            "https://user@cdn.example/x.png",
            "https://u:p@cdn.example/x.png",
        ] {
            assert_eq!(refusal(&listed, other), "Credentials", "{other}");
        }
        let long = format!("https://cdn.example/{}", "a".repeat(MAX_URL_BYTES));
        for other in ["", "cdn.example/x.png", "/x.png", "https://", long.as_str()] {
            assert_eq!(refusal(&listed, other), "NotAUrl(8192)", "{other}");
        }
    }

    #[test]
    fn addresses_only_when_listed_as_addresses() {
        let names = hosts(&["localhost", "cdn.example"]);
        for other in [
            "https://127.0.0.1/x.png",
            "https://[::1]/x.png",
            "https://10.0.0.1/x",
        ] {
            assert_eq!(refusal(&names, other), "HostNotListed", "{other}");
        }
        let listed = hosts(&["192.0.2.7", "[2001:db8::1]:8443"]);
        assert!(listed.check("https://192.0.2.7/x.png").is_ok());
        // Another spelling of the same address is the same address.
        assert!(listed.check("https://3221225991/x.png").is_ok());
        assert!(listed.check("https://[2001:DB8:0::1]:8443/x.png").is_ok());
        assert_eq!(refusal(&listed, "https://192.0.2.8/x.png"), "HostNotListed");
        assert_eq!(
            refusal(&listed, "https://[2001:db8::1]/x.png"),
            "HostNotListed"
        );
    }

    #[test]
    fn entries_are_hosts_and_nothing_else() {
        for bad in [
            "",
            "*.cdn.example",
            "https://cdn.example",
            "cdn.example/results",
            "user@cdn.example",
            "cdn.example:99999",
            "cdn.example:",
            "cdn example",
            "cdn.example?x",
        ] {
            let flags = [bad.to_owned()];
            assert!(ResultHosts::parse(&flags).is_err(), "{bad:?} was accepted");
        }
        assert!(hosts(&[]).is_empty());
    }
}
