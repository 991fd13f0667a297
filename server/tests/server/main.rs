//! The server's integration tests, one binary: each module starts its own servers on
//! free ports, so they run side by side, and the workspace links the server's
//! dependencies into one test executable instead of one per file (about 38 MB and a
//! link step each). The access-log tests stay apart (`../logs.rs`): they install a
//! process-wide tracing subscriber that would record every other test's requests.

#[path = "../common/mod.rs"]
mod common;

mod conformance;
mod connections;
mod faults;
mod header_limits;
mod lifecycle;
mod mock_bounds;
mod precompressed;
mod proxy;
mod proxy_edges;
mod proxy_origins;
mod result_callers;
mod results;
mod static_files;
mod static_paths;
