//! The Seedream Studio server: static hosting of the built app, beside either a
//! faithful mock of the Modellix API or a proxy that holds the API key.
//!
//! Every rule of the API comes from `seedream-contract`, so the app and the mock
//! can never disagree.

pub mod api_error;
pub mod app;
pub mod config;
pub mod connections;
pub mod header_limits;
pub mod hosts;
pub mod mock;
pub mod observability;
pub mod proxy;
pub mod result_relay;
pub mod static_files;

pub use app::{Running, spawn};
pub use config::Config;
