//! Command-line configuration: which mode the server runs in and its limits.

use std::net::{IpAddr, SocketAddr};
use std::num::NonZeroUsize;
use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, Parser};
use ipnet::IpNet;
use rustls::pki_types::CertificateDer;
use seedream_contract::DEFAULT_BASE_URL;

use crate::mock::MockOptions;

/// Serves the built app and, beside it, either a faithful mock of the Modellix API
/// (`--mock`) or a proxy that holds the API key (`--upstream`).
#[derive(Parser, Debug, Clone)]
#[command(name = "seedream-server", version, about)]
pub struct Config {
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub listen: SocketAddr,

    /// Serve the built app (trunk's dist/ folder) from this directory.
    #[arg(long = "static", value_name = "DIR")]
    pub static_dir: Option<PathBuf>,

    /// Serve a mock of the Modellix API instead of proxying to the real one.
    #[arg(long, conflicts_with = "upstream")]
    pub mock: bool,

    #[command(flatten)]
    pub mock_options: MockOptions,

    #[command(flatten)]
    pub proxy_options: ProxyOptions,

    #[command(flatten)]
    pub page: PageOptions,

    #[command(flatten)]
    pub results: ResultOptions,

    /// Origins allowed to call /api from another origin (CORS), to submit edits
    /// through the proxy and to fetch results through /api/results; repeatable.
    #[arg(long = "allow-origin", value_name = "ORIGIN")]
    pub allow_origins: Vec<String>,

    /// The host (with its port unless 80 or 443) clients reach this server by, e.g.
    /// `studio.example.com`; when given, requests naming any other `Host` are refused
    /// with 421 (against DNS rebinding); repeatable.
    #[arg(long = "public-host", value_name = "HOST")]
    pub public_hosts: Vec<String>,

    /// Browsers reach this server only over HTTPS (TLS ends in front of it): every
    /// answer tells them to use HTTPS for this host for a year (Strict-Transport-Security).
    /// Off by default: a browser told so could not reach a plain-http host, such as
    /// http://localhost, for that year.
    #[arg(long)]
    pub hsts: bool,

    #[command(flatten)]
    pub connections: ConnectionOptions,
}

/// How long clients may take, and how many may be connected at once.
#[derive(Args, Debug, Clone)]
pub struct ConnectionOptions {
    /// Close a connection whose request headers take longer than this to arrive; also
    /// closes keep-alive connections left idle that long.
    #[arg(long, default_value = "10s", value_parser = humantime::parse_duration)]
    pub header_timeout: Duration,

    /// Fail an upload that sends nothing for this long (408); a slow upload that keeps
    /// moving is never cut.
    #[arg(long, default_value = "30s", value_parser = humantime::parse_duration)]
    pub body_timeout: Duration,

    /// Connections open at once; further clients wait until one closes. Keep it well
    /// under the process's file-descriptor limit (`ulimit -n`): a proxied request holds
    /// a second descriptor upstream.
    #[arg(long, default_value_t = 1000)]
    pub max_connections: usize,

    /// Threads serving requests; default one per core. With 1 everything runs on one
    /// thread, like a single nginx worker: the least CPU per request, because no
    /// thread wakes another (a proxied task query took about 45 µs of CPU instead of
    /// 60 on two cores shared with the upstream). The proxy streams bodies through;
    /// the mock parses each submit's JSON on these threads, so with `--mock` one
    /// thread pauses other requests while a large submit is read.
    #[arg(long, value_name = "N")]
    pub threads: Option<NonZeroUsize>,
}

impl ConnectionOptions {
    /// The runtime that serves requests: one thread, or a pool of them.
    pub fn runtime(&self) -> std::io::Result<tokio::runtime::Runtime> {
        let mut builder = match self.threads {
            Some(threads) if threads.get() == 1 => tokio::runtime::Builder::new_current_thread(),
            Some(threads) => {
                let mut builder = tokio::runtime::Builder::new_multi_thread();
                builder.worker_threads(threads.get());
                builder
            }
            None => tokio::runtime::Builder::new_multi_thread(),
        };
        builder.enable_all().build()
    }

    pub fn limits(&self) -> crate::connections::ConnectionLimits {
        crate::connections::ConnectionLimits {
            header_timeout: self.header_timeout,
            max_connections: self.max_connections,
        }
    }
}

/// Behaviour of the proxy (the default mode, without `--mock`).
#[derive(Args, Clone)]
pub struct ProxyOptions {
    /// The API key, from the MODELLIX_API_KEY environment variable only (see
    /// [`Config::from_args_and_env`]): there is deliberately no flag, so it never shows in
    /// a process list or shell history.
    #[arg(skip)]
    pub api_key: Option<String>,

    /// The API to forward to. The key comes from MODELLIX_API_KEY only.
    #[arg(long, default_value = DEFAULT_BASE_URL, value_name = "URL")]
    pub upstream: String,

    /// How long to wait for the upstream to answer a task query.
    #[arg(long, default_value = "30s", value_parser = humantime::parse_duration)]
    pub upstream_timeout: Duration,

    /// How long a submit (up to ~190 MB of images) may take to upload and be answered.
    #[arg(long, default_value = "5m", value_parser = humantime::parse_duration)]
    pub submit_timeout: Duration,

    /// Task queries allowed per client per second, with bursts of twice that; 0 means
    /// no limit. Result fetches (/api/results, in both modes) are counted apart at the
    /// same rate.
    #[arg(long, default_value_t = 10)]
    pub client_rate_limit: u32,

    /// Submits (paid edits) allowed per client per minute, with bursts of a quarter of
    /// that (at least one); 0 means no limit.
    #[arg(long, default_value_t = 12)]
    pub submit_rate_limit: u32,

    /// A load balancer in front of this server, as an address or CIDR range
    /// (`10.0.0.0/8`): requests from it are counted against the client its
    /// `X-Forwarded-For` names, not against the balancer; repeatable.
    #[arg(long = "trusted-proxy", value_name = "CIDR", value_parser = parse_network)]
    pub trusted_proxies: Vec<IpNet>,
}

/// `10.0.0.0/8`, or a single address (`10.0.0.7`).
fn parse_network(text: &str) -> Result<IpNet, String> {
    text.parse::<IpNet>()
        .or_else(|_| text.parse::<IpAddr>().map(IpNet::from))
        .map_err(|_| format!("{text:?} is neither an IP address nor a CIDR range"))
}

impl std::fmt::Debug for ProxyOptions {
    /// Everything but the key.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ProxyOptions")
            .field("api_key", &self.api_key.as_ref().map(|_| "<redacted>"))
            .field("upstream", &self.upstream)
            .field("upstream_timeout", &self.upstream_timeout)
            .field("submit_timeout", &self.submit_timeout)
            .field("client_rate_limit", &self.client_rate_limit)
            .field("submit_rate_limit", &self.submit_rate_limit)
            .field("trusted_proxies", &self.trusted_proxies)
            .finish()
    }
}

/// The environment variable that holds the proxy's API key; nothing else does.
pub const API_KEY_VAR: &str = "MODELLIX_API_KEY";

impl Config {
    /// The command line, plus the API key from [`API_KEY_VAR`].
    pub fn from_args_and_env() -> Config {
        let mut config = Config::parse();
        config.proxy_options.api_key = std::env::var(API_KEY_VAR)
            .ok()
            .map(|key| key.trim().to_owned())
            .filter(|key| !key.is_empty());
        config
    }
}

/// The result route's (`GET /api/results`, both modes) hosts and limits.
#[derive(Args, Debug, Clone)]
pub struct ResultOptions {
    /// A host the page may have this server fetch result images from (`GET
    /// /api/results`), to keep results whose host sends no CORS headers or is not in
    /// the page's connect-src: the provider's result hosts. Exact names, no wildcards;
    /// `HOST:PORT` for a port other than 443; an IP address only when listed as one.
    /// Fetched over https only. None by default: the route refuses every request.
    /// Repeatable.
    #[arg(long = "result-host", value_name = "HOST")]
    pub result_hosts: Vec<String>,

    /// The largest result image relayed, in megabytes (10^6 bytes). The contract's
    /// largest output (10.4 megapixels) is 31 MB as a PNG that does not compress at all,
    /// 42 MB with an alpha channel.
    #[arg(long, value_name = "MB", default_value_t = 48,
          value_parser = clap::value_parser!(u64).range(1..))]
    pub max_result_mb: u64,

    /// How long a result fetch may take, from connecting to the host to the last byte
    /// relayed (a slow client's too); connecting alone may take at most 10 s.
    #[arg(long, default_value = "2m", value_parser = humantime::parse_duration)]
    pub result_timeout: Duration,

    /// Result fetches in flight at once, across all clients; more answer 503.
    #[arg(long, value_name = "N", default_value_t = 32,
          value_parser = clap::value_parser!(u32).range(1..))]
    pub max_result_fetches: u32,

    /// Certificates trusted for result hosts beside the public web roots. For tests,
    /// whose result hosts have certificates of their own; deliberately no flag: the
    /// provider's hosts have publicly trusted ones.
    #[arg(skip)]
    pub extra_roots: Vec<CertificateDer<'static>>,
}

/// Headers of the served page.
#[derive(Args, Debug, Clone)]
pub struct PageOptions {
    /// Who may frame the page (CSP frame-ancestors), e.g. `'self' https://portal.example`.
    #[arg(long, default_value = "'self'", value_name = "SOURCES")]
    pub frame_ancestors: String,

    /// Extra origins the page may call or load result images from, beyond its own
    /// and the provider's (CSP connect-src and img-src); repeatable.
    #[arg(long = "connect-origin", value_name = "ORIGIN")]
    pub connect_origins: Vec<String>,
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    use super::*;

    #[test]
    fn help_describes_the_binary_as_it_is() {
        let help = Config::command().render_long_help().to_string();
        assert!(!help.contains("to follow"), "{help}");
        assert!(help.contains("mock") && help.contains("proxy"), "{help}");
        assert!(help.contains("--hsts"), "{help}");
    }

    #[test]
    fn threads_choose_the_runtime() {
        use tokio::runtime::RuntimeFlavor;
        let flavor = |args: &[&str]| {
            let config = Config::try_parse_from([&["seedream-server"], args].concat()).unwrap();
            let runtime = config.connections.runtime().unwrap();
            runtime.handle().runtime_flavor()
        };
        assert_eq!(flavor(&["--threads", "1"]), RuntimeFlavor::CurrentThread);
        assert_eq!(flavor(&["--threads", "3"]), RuntimeFlavor::MultiThread);
        assert_eq!(flavor(&[]), RuntimeFlavor::MultiThread);
        assert!(Config::try_parse_from(["seedream-server", "--threads", "0"]).is_err());
    }
}
