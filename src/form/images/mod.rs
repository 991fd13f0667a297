//! The input images: reading files and URLs into checked images, and the ordered list.
//!
//! - [`model`]: the list as plain data (add within the limit, remove, reorder,
//!   and what a card shows); no browser needed, so it is tested directly.
//! - [`read`]: a `File` or an address becomes an [`InputImage`] from its first
//!   bytes (a handle, never the bytes), so 14 large files are ready at once.
//! - [`ImagePicker`]: file picker, paste and address field, with per-file
//!   "Reading…" states and messages; [`FileDrop`]: files dropped on the whole form.
//! - [`ImageList`]: the cards, reordered by dragging a handle (pointer events, so
//!   touch too), by keyboard or by buttons, and removed.
//! - [`name`]: what messages call an image (its name, "The pasted image",
//!   "Image 2");
//! - [`problem`]: why a file was refused, kept as data and described when shown, in
//!   the user's language.
//!
//! Both components share one `RwSignal<Vec<InputImage>>`; the request's `image`
//! array is [`model::sources`] of it.

pub(crate) mod card;
mod drop;
pub mod intake;
mod list;
pub mod model;
pub mod name;
mod picker;
pub mod problem;
pub mod read;
mod reorder;

pub use card::Card;
pub use drop::FileDrop;
pub use intake::Intake;
pub use list::ImageList;
pub use model::InputImage;
pub use name::Name;
pub use picker::ImagePicker;
pub use problem::{FileProblem, Problem};
pub use read::{from_url, read_file};
