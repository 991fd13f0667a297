//! Running inside other pages: mount into any host element, read its options, tell
//! the page what happens and take its commands.
//!
//! - [`options`]: the options and their precedence, checked (no browser needed);
//! - [`problems`]: the unusable ones, in the user's language;
//! - [`host`]: finding host elements and reading options from attributes, the
//!   configuration file and the query;
//! - [`events`]: `seedream:*` DOM events on the host, and `postMessage` when framed;
//! - [`commands`]: `host.seedreamStudio` and the same commands by `postMessage`.

pub mod commands;
pub mod events;
pub mod host;
pub mod options;
pub mod problems;

pub use events::{HostEvent, HostLink};
pub use options::{OptionProblem, Options};
