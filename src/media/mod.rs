//! Images as the browser holds them: handles, never bytes.
//!
//! Wasm memory never shrinks, and phones kill tabs far below 1 GB, so the bytes of a
//! local image (up to 10 MB each, fourteen per edit) stay in browser objects: the
//! `File` or `Blob` the user gave, an object URL for showing it, and, only while a
//! submit is being written, the browser's own base64 text of one image at a time.
//! Rust holds the handles and what the rules need: byte size, format, pixel size.
//!
//! - [`ObjectUrl`]: an object URL, revoked when its last holder lets go.
//! - [`LocalImage`] and [`Source`]: what an input image is (a local file or an
//!   address), cheap to clone, checked by the contract through
//!   [`AsImageRef`](seedream_contract::AsImageRef).
//! - [`FromResult`]: which studio result an input image came from.
//! - [`probe`]: format and pixel size from a file's first bytes, EXIF orientation
//!   applied, read in steps.
//! - [`encode`]: one local image as its `"data:image/…;base64,…"` part of a request
//!   body, written by the browser's encoder into a `Blob`.
//!
//! Nothing here knows about the form, the API or the tasks: they all use it.

pub mod encode;
mod from_result;
mod jpeg;
mod local;
mod object_url;
pub mod probe;

pub use from_result::FromResult;
pub use local::{LocalImage, Source};
pub use object_url::ObjectUrl;
