//! Per-client rate limiting for the proxy, answered in the contract's envelope so the
//! app treats it like the provider's own 429.

use std::time::Duration;

use axum::Router;
use tower_governor::GovernorError;
use tower_governor::GovernorLayer;
use tower_governor::governor::GovernorConfigBuilder;
use tower_governor::key_extractor::PeerIpKeyExtractor;

use crate::api_error::status_response;
use crate::mock::guard::rate_limited;

/// Allows `per_second` requests per client address per second with bursts of twice
/// that; 0 turns the limit off.
pub fn per_client(routes: Router, per_second: u32) -> Router {
    if per_second == 0 {
        return routes;
    }
    let config = GovernorConfigBuilder::default()
        .period(Duration::from_secs(1) / per_second)
        .burst_size(per_second.saturating_mul(2))
        .key_extractor(PeerIpKeyExtractor)
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
