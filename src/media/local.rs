//! What an input image is: a local file held by the browser, or an address.

use std::fmt;
use std::sync::Arc;

use seedream_contract::{AsImageRef, ImageFormat, ImageRef};
use send_wrapper::SendWrapper;
use web_sys::Blob;

use super::ObjectUrl;

/// A local image: the browser's `File` (or a pasted `Blob`) and what the rules need.
///
/// Cloning copies handles, never bytes. The blob sits in a [`SendWrapper`] because
/// leptos signals require `Send` values and a JS handle is not; wasm in the browser
/// has one thread, so the wrapper's thread check never fails.
#[derive(Clone)]
pub struct LocalImage {
    blob: SendWrapper<Blob>,
    preview: Arc<ObjectUrl>,
    /// The file's name; empty for a pasted image that came without one.
    pub name: String,
    /// `File.size`.
    pub bytes: u64,
    /// What its first bytes are.
    pub format: ImageFormat,
}

impl LocalImage {
    /// A local image of `blob`, shown through `preview` (an object URL of it).
    pub fn new(
        blob: Blob,
        preview: Arc<ObjectUrl>,
        name: String,
        bytes: u64,
        format: ImageFormat,
    ) -> LocalImage {
        LocalImage {
            blob: SendWrapper::new(blob),
            preview,
            name,
            bytes,
            format,
        }
    }

    /// A local image of a stored `blob` (a result kept in this browser), named
    /// `name`, its format from the blob's type; `None` for a type the contract does
    /// not take, or when the browser refuses an object URL.
    pub fn of_blob(blob: Blob, name: String) -> Option<LocalImage> {
        let format = ImageFormat::from_mime_type(&blob.type_())?;
        let preview = ObjectUrl::for_blob(&blob)?;
        // A blob's size is a whole number of bytes.
        let bytes = blob.size() as u64;
        Some(LocalImage::new(blob, preview, name, bytes, format))
    }

    /// The browser's handle to the bytes.
    pub fn blob(&self) -> &Blob {
        &self.blob
    }

    /// The object URL that shows it.
    pub fn preview(&self) -> &str {
        self.preview.as_str()
    }
}

/// Two handles are the same image when they show through the same object URL (a
/// URL is made once per image added).
impl PartialEq for LocalImage {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.preview, &other.preview)
    }
}

impl fmt::Debug for LocalImage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LocalImage")
            .field("name", &self.name)
            .field("bytes", &self.bytes)
            .field("format", &self.format)
            .field("preview", &self.preview)
            .finish()
    }
}

/// An input image as the request carries it.
#[derive(Clone, Debug, PartialEq)]
pub enum Source {
    /// An http(s) address, sent as it is; the service fetches it.
    Url(String),
    /// A local image, sent as a data URI written at send time.
    Local(LocalImage),
}

impl Source {
    /// What an `<img src>` shows of it: the address, or the local image's object URL.
    pub fn preview(&self) -> &str {
        match self {
            Source::Url(url) => url,
            Source::Local(local) => local.preview(),
        }
    }

    /// The local image, when it is one.
    pub fn local(&self) -> Option<&LocalImage> {
        match self {
            Source::Local(local) => Some(local),
            Source::Url(_) => None,
        }
    }

    /// The address, when it is one.
    pub fn url(&self) -> Option<&str> {
        match self {
            Source::Url(url) => Some(url),
            Source::Local(_) => None,
        }
    }
}

impl AsImageRef for Source {
    fn as_image_ref(&self) -> ImageRef<'_> {
        match self {
            Source::Url(url) => ImageRef::Text(url),
            Source::Local(local) => ImageRef::Local {
                bytes: local.bytes,
                format: local.format,
            },
        }
    }
}
