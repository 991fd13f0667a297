//! Assembling the server: the API (mock or proxy), the static app, and the layers
//! every request passes through.

use std::net::SocketAddr;
use std::sync::Arc;

use anyhow::{Context, Result};
use axum::Router;
use axum::http::StatusCode;
use axum::http::{HeaderValue, Method, header};
use axum::routing::{any, get};
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;
use tower_http::cors::{AllowOrigin, CorsLayer};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::RequestBodyTimeoutLayer;

use seedream_contract::ServedBy;

use crate::api_error::{api_not_found, status_response};
use crate::config::Config;
use crate::proxy::limit::{Clients, Rate};
use crate::proxy::origin::PageOrigins;
use crate::{
    connections, header_limits, hosts, mock, observability, proxy, result_relay, static_files,
};

/// The whole application for `config`.
pub fn router(config: &Config) -> Result<Router> {
    let public_hosts = hosts::parse_public_hosts(&config.public_hosts)?;
    let origins = Arc::new(PageOrigins::new(
        public_hosts.clone(),
        &config.allow_origins,
    )?);
    let api = if config.mock {
        mock::router(&config.mock_options)?
    } else {
        proxy::router(&config.proxy_options, Arc::clone(&origins))?
    };
    let results = result_relay::router(
        &config.results,
        origins,
        Rate::per_second(config.proxy_options.client_rate_limit),
        &Clients::new(&config.proxy_options.trusted_proxies),
    )?;
    // Every other path under /api answers 404 in the contract's envelope, never the
    // app; a wrong method on a contract route answers 405 in it. Both stay inside the
    // CORS layer so a portal's preflight and error answers carry its headers.
    let mut api = api
        .merge(results)
        .route("/api", any(api_not_found))
        .route("/api/", any(api_not_found))
        .route("/api/{*rest}", any(api_not_found))
        .method_not_allowed_fallback(|| async { status_response(StatusCode::METHOD_NOT_ALLOWED) })
        // Between the body's chunks, not over the whole upload: a slow phone sending
        // 190 MB keeps moving, a client that stops sending is cut off.
        .layer(RequestBodyTimeoutLayer::new(
            config.connections.body_timeout,
        ));
    // Without portals to allow, no answer carries CORS headers or varies by origin,
    // and the layer would only cost every request its work (3% of a task query's).
    if !config.allow_origins.is_empty() {
        api = api.layer(cors(&config.allow_origins)?);
    }

    let mut app = Router::new()
        .route("/healthz", get(|| async { "ok" }))
        .merge(api);
    if let Some(dir) = &config.static_dir {
        let api = if config.mock {
            ServedBy::Mock
        } else {
            ServedBy::Proxy
        };
        app = app.merge(static_files::router(dir, &config.page, api)?);
    }
    // Before every route, so none sees a header line over the limit; inside the layers
    // below, so the refusal carries their headers too.
    app = header_limits::layer(app);
    // Every answer says nosniff, the API's too: no JSON answer may be sniffed into a
    // page. Overriding, so an answer that already has the header keeps one copy.
    app = app.layer(SetResponseHeaderLayer::overriding(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    ));
    if config.hsts {
        // A year, and this host only: sibling subdomains may still serve plain http,
        // and opting them in is their owner's decision, not this server's.
        app = app.layer(SetResponseHeaderLayer::overriding(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000"),
        ));
    }
    Ok(observability::layer(hosts::only_public_hosts(
        app,
        public_hosts,
    )))
}

/// Cross-origin calls to /api from the configured portals only.
fn cors(origins: &[String]) -> Result<CorsLayer> {
    let origins = origins
        .iter()
        .map(|origin| {
            HeaderValue::from_str(origin)
                .with_context(|| format!("--allow-origin {origin:?} is not a valid origin"))
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(CorsLayer::new()
        .allow_origin(AllowOrigin::list(origins))
        .allow_methods([Method::GET, Method::POST])
        .allow_headers([header::AUTHORIZATION, header::CONTENT_TYPE])
        .expose_headers([
            header::HeaderName::from_static("x-ratelimit-reset"),
            header::RETRY_AFTER,
            header::HeaderName::from_static("x-request-id"),
        ]))
}

/// A server started in the background (for tests and benchmarks).
pub struct Running {
    /// Where it listens.
    pub addr: SocketAddr,
    stop: Option<oneshot::Sender<()>>,
    task: JoinHandle<Result<()>>,
}

impl Running {
    /// `http://<addr><path>`.
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// Stops accepting, waits for in-flight requests, and reports how it ended.
    pub async fn stop(mut self) -> Result<()> {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        (&mut self.task).await.context("the server task panicked")?
    }
}

/// Binds `config.listen` (port 0 picks a free one) and serves in the background.
pub async fn spawn(config: Config) -> Result<Running> {
    let app = router(&config)?;
    let listener = bind(config.listen).await?;
    let addr = listener.local_addr()?;
    let (stop, stopped) = oneshot::channel::<()>();
    let task = tokio::spawn(connections::serve(
        app,
        listener,
        config.connections.limits(),
        async {
            let _ = stopped.await;
        },
    ));
    Ok(Running {
        addr,
        stop: Some(stop),
        task,
    })
}

/// Binds with an error that says what to do about a port in use.
pub async fn bind(addr: SocketAddr) -> Result<TcpListener> {
    TcpListener::bind(addr).await.with_context(|| {
        format!("cannot listen on {addr}: is another server using that port? Choose another with --listen")
    })
}
