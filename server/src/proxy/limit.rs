//! Per-client rate limits for the proxy, answered in the contract's envelope so the
//! app treats them like the provider's own 429: one for task queries (free reads, a
//! poller's steady pace) and a lower one for submits (each one is paid).
//!
//! A client is its address, or behind a trusted load balancer the address its
//! `X-Forwarded-For` names: otherwise every user would share the balancer's bucket,
//! while trusting the header from anyone would let each request pick its own.

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::ConnectInfo;
use axum::http::{HeaderMap, Request};
use ipnet::IpNet;
use tower_governor::GovernorError;
use tower_governor::GovernorLayer;
use tower_governor::governor::GovernorConfigBuilder;
use tower_governor::key_extractor::KeyExtractor;

use crate::api_error::status_response;
use crate::mock::guard::rate_limited;

/// How many requests a client may make: one every `period`, with bursts of `burst`.
#[derive(Debug, Clone, Copy)]
pub struct Rate {
    period: Duration,
    burst: u32,
}

impl Rate {
    /// `n` a second with bursts of `2n`; None (no limit) for 0.
    pub fn per_second(n: u32) -> Option<Rate> {
        (n > 0).then(|| Rate {
            period: Duration::from_secs(1) / n,
            burst: n.saturating_mul(2),
        })
    }

    /// `n` a minute with bursts of `n / 4` (at least one); None (no limit) for 0.
    pub fn per_minute(n: u32) -> Option<Rate> {
        (n > 0).then(|| Rate {
            period: Duration::from_secs(60) / n,
            burst: (n / 4).max(1),
        })
    }
}

/// Limits `routes` to `rate` per client; no limit for None.
pub fn per_client(routes: Router, rate: Option<Rate>, clients: &Clients) -> Router {
    let Some(rate) = rate else {
        return routes;
    };
    let config = GovernorConfigBuilder::default()
        .period(rate.period)
        .burst_size(rate.burst)
        .key_extractor(clients.clone())
        .finish();
    let Some(config) = config else {
        return routes;
    };
    routes.layer(
        GovernorLayer::new(config).error_handler(|error| match error {
            GovernorError::TooManyRequests { wait_time, .. } => rate_limited(
                "Rate limit exceeded: too many requests from this client",
                Duration::from_secs(wait_time.max(1)),
            ),
            _ => status_response(axum::http::StatusCode::INTERNAL_SERVER_ERROR),
        }),
    )
}

/// Tells clients apart by address, through the trusted load balancers.
#[derive(Debug, Clone, Default)]
pub struct Clients {
    trusted: Arc<[IpNet]>,
}

impl Clients {
    pub fn new(trusted: &[IpNet]) -> Clients {
        Clients {
            trusted: trusted.into(),
        }
    }

    fn is_trusted(&self, ip: IpAddr) -> bool {
        self.trusted.iter().any(|net| net.contains(&ip))
    }

    /// The client of a request that arrived from `peer`: the peer itself unless it is
    /// a trusted balancer; then the nearest address in `X-Forwarded-For` that is not
    /// one (each balancer appends the address it received from, so the entries
    /// further left were written by the client and prove nothing).
    pub fn client(&self, peer: IpAddr, headers: &HeaderMap) -> IpAddr {
        if !self.is_trusted(peer) {
            return peer;
        }
        let hops = headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|value| value.to_str().ok())
            .flat_map(|value| value.split(','))
            .map(str::trim)
            .collect::<Vec<_>>();
        let mut client = peer;
        for hop in hops.into_iter().rev() {
            let Ok(ip) = hop.parse::<IpAddr>() else {
                break; // A mangled entry: the last address read is the best known.
            };
            client = ip;
            if !self.is_trusted(ip) {
                break;
            }
        }
        client
    }
}

impl KeyExtractor for Clients {
    type Key = IpAddr;

    fn extract<T>(&self, request: &Request<T>) -> Result<IpAddr, GovernorError> {
        let peer = request
            .extensions()
            .get::<ConnectInfo<SocketAddr>>()
            .map(|ConnectInfo(addr)| addr.ip())
            .ok_or(GovernorError::UnableToExtractKey)?;
        Ok(self.client(peer, request.headers()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap()
    }

    fn forwarded(values: &[&'static str]) -> HeaderMap {
        let mut headers = HeaderMap::new();
        for value in values {
            headers.append("x-forwarded-for", HeaderValue::from_static(value));
        }
        headers
    }

    #[test]
    fn the_header_counts_only_from_a_trusted_balancer() {
        let clients = Clients::new(&["10.0.0.0/8".parse().unwrap()]);
        let headers = forwarded(&["198.51.100.7"]);
        assert_eq!(
            clients.client(ip("203.0.113.1"), &headers),
            ip("203.0.113.1")
        );
        assert_eq!(clients.client(ip("10.1.2.3"), &headers), ip("198.51.100.7"));
        assert_eq!(
            clients.client(ip("10.1.2.3"), &HeaderMap::new()),
            ip("10.1.2.3")
        );
    }

    #[test]
    fn the_nearest_untrusted_hop_is_the_client() {
        let clients = Clients::new(&["10.0.0.0/8".parse().unwrap()]);
        // The client forged the first entry; the balancers appended the rest.
        let headers = forwarded(&["1.2.3.4, 198.51.100.7", "10.0.0.9"]);
        assert_eq!(clients.client(ip("10.0.0.1"), &headers), ip("198.51.100.7"));
        let mangled = forwarded(&["198.51.100.7, not-an-ip, 10.0.0.9"]);
        assert_eq!(clients.client(ip("10.0.0.1"), &mangled), ip("10.0.0.9"));
    }

    #[test]
    fn rates() {
        assert!(Rate::per_second(0).is_none() && Rate::per_minute(0).is_none());
        let submits = Rate::per_minute(12).unwrap();
        assert_eq!((submits.period, submits.burst), (Duration::from_secs(5), 3));
        assert_eq!(Rate::per_minute(2).unwrap().burst, 1);
        assert_eq!(Rate::per_second(10).unwrap().burst, 20);
    }
}
