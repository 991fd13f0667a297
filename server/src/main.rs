//! `seedream-server`: see `--help`.

use anyhow::{Context, Result};

use seedream_server::{Config, app, connections, observability};

fn main() -> Result<()> {
    let _logs = observability::init_logging();
    let config = Config::from_args_and_env();
    config
        .connections
        .runtime()
        .context("cannot start the server's threads")?
        .block_on(serve(config))
}

async fn serve(config: Config) -> Result<()> {
    // Building the router first turns bad flags and a missing key into clear errors
    // before anything listens.
    let router = app::router(&config)?;
    let listener = app::bind(config.listen).await?;
    let local = listener.local_addr()?;
    let mode = if config.mock {
        "with the mock API (no key needed)".to_owned()
    } else {
        format!("proxying the API to {}", config.proxy_options.upstream)
    };
    println!("Seedream Studio is running at http://{local}/ {mode}. Ctrl-C stops it.");
    connections::serve(
        router,
        listener,
        config.connections.limits(),
        shutdown_signal(),
    )
    .await
}

/// Resolves on Ctrl-C or SIGTERM so in-flight requests can finish.
async fn shutdown_signal() {
    let ctrl_c = async {
        if let Err(err) = tokio::signal::ctrl_c().await {
            tracing::warn!(%err, "cannot listen for Ctrl-C");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(err) => {
                tracing::warn!(%err, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down");
}
