//! Turning a picked file or a typed address into an [`InputImage`], in the browser.
//!
//! The bytes of a 10 MB image never enter wasm memory: the size comes from
//! `File.size`, the format and pixel size from the file's first bytes
//! ([`media::probe`], EXIF orientation applied), and the thumbnail from an object
//! URL the browser draws itself. Only a header the probe cannot read (a TIFF whose
//! directory is deep in the file) is left to the browser's decoder.

use js_sys::{Array, Promise};
use seedream_contract::image::{ImageError, ImageFormat};
use seedream_contract::url::parse_http_url;
use seedream_contract::{check_image_bytes, check_local};
use wasm_bindgen::JsValue;
use wasm_bindgen_futures::JsFuture;
use web_sys::{Blob, File, HtmlImageElement};

use super::model::InputImage;
pub use super::name::Name;
use super::name::shorten;
pub use super::problem::{FileProblem, Problem};
use crate::media::probe::{ProbeError, probe};
use crate::media::{LocalImage, ObjectUrl, Source};

/// How long a typed address may take to load before it is added unchecked.
const URL_LOAD_TIMEOUT_MS: i32 = 10_000;
/// A local file the header did not describe is decoded by the browser; this only
/// guards against a decoder that never answers, so "Reading..." cannot hang forever.
const FILE_DECODE_TIMEOUT_MS: i32 = 20_000;

/// Reads a local file into a checked image: its header, then the contract's rules.
pub async fn read_file(file: File, id: u32) -> Result<InputImage, FileProblem> {
    let name = Name::of_file(&file.name());
    let given = match &name {
        Name::Given(shown) => shown.clone(),
        // A pasted image without a name keeps none: the card names it when shown.
        _ => String::new(),
    };
    let (local, size, load) = local_image(file.into(), given, &name, id).await?;
    Ok(complete(local, size, load, id).await)
}

/// Puts back an image sent earlier ("Edit again"): an address is checked again; a
/// local file, still held by this page, is read again, which also tells whether the
/// browser can still read it. `index` is the position it will take.
pub async fn restore(source: Source, id: u32, index: usize) -> Result<InputImage, FileProblem> {
    match source {
        Source::Url(url) => from_url(&url, id).await,
        Source::Local(local) => {
            let name = Name::of_restored(&local.name, index);
            let unreadable = || FileProblem::new(id, name.clone(), Problem::Unreadable);
            // Read again: the file may have changed since, and then it cannot be sent.
            let probed = probe(local.blob()).await.map_err(|_| unreadable())?;
            if probed.format != local.format {
                return Err(unreadable());
            }
            let load = probed
                .size
                .is_none()
                .then(|| ImageLoad::start(local.preview()))
                .flatten();
            Ok(complete(local, probed.size, load, id).await)
        }
    }
}

/// A local image of `blob`, probed and checked, shown through a fresh object URL;
/// with its pixel size when the header gave it.
///
/// The browser starts loading the object URL as the probe begins, so the file is
/// on its way to the card's thumbnail (the same URL, which the browser's image
/// cache shares) while its header is read; where the header says nothing, that
/// load gives the size.
async fn local_image(
    blob: Blob,
    given_name: String,
    name: &Name,
    id: u32,
) -> Result<(LocalImage, Option<(u32, u32)>, Option<ImageLoad>), FileProblem> {
    let refuse = |error: ImageError| FileProblem::new(id, name.clone(), Problem::Refused(error));
    let unreadable = || FileProblem::new(id, name.clone(), Problem::Unreadable);
    // `as` saturates (and maps NaN to 0), so a strange size cannot wrap around.
    let bytes = blob.size() as u64;
    // Before any read: an oversize file is refused unread.
    check_image_bytes(bytes).map_err(refuse)?;
    let preview = ObjectUrl::for_blob(&blob).ok_or_else(unreadable)?;
    let load = ImageLoad::start(preview.as_str());
    let probed = match probe(&blob).await {
        Ok(probed) => probed,
        Err(ProbeError::Unreadable) => return Err(unreadable()),
        Err(ProbeError::Unrecognised) => return Err(refuse(ImageError::UnrecognisedContent)),
    };
    check_local(bytes, probed.format).map_err(refuse)?;
    let local = LocalImage::new(blob, preview, given_name, bytes, probed.format);
    Ok((local, probed.size, load))
}

/// The image of `local`, with the pixel size its header gave, else what `load`
/// (of its object URL) gives (a TIFF Chromium cannot decode stays without one).
async fn complete(
    local: LocalImage,
    header_size: Option<(u32, u32)>,
    load: Option<ImageLoad>,
    id: u32,
) -> InputImage {
    let size = match (header_size, load) {
        (Some(size), _) => Some(size),
        (None, Some(load)) => load.finish(FILE_DECODE_TIMEOUT_MS).await,
        (None, None) => None,
    };
    InputImage {
        id,
        name: local.name.clone(),
        format: Some(local.format),
        width: size.map(|(width, _)| width),
        height: size.map(|(_, height)| height),
        source: Source::Local(local),
        unreadable: false,
        from: None,
    }
}

/// Checks a typed address and, when it is a valid http(s) URL, tries to load it
/// for its pixel size.
///
/// A load that fails or times out does not refuse the image: the service fetches
/// the address itself, and this page may simply be blocked from it (CORS-free
/// `<img>` loads still meet content policies and intranets). See
/// [`url_load_warning`].
pub async fn from_url(url: &str, id: u32) -> Result<InputImage, FileProblem> {
    let url = url.trim();
    let shown = shorten(url);
    let checked = parse_http_url(url)
        .map_err(|error| FileProblem::new(id, Name::Given(shown), Problem::BadAddress(error)))?;
    let name = url_name(url).unwrap_or_else(|| checked.host().to_owned());
    let format = name
        .rsplit_once('.')
        .and_then(|(_, extension)| ImageFormat::from_mime_subtype(extension));
    let size = match ImageLoad::start(url) {
        Some(load) => load.finish(URL_LOAD_TIMEOUT_MS).await,
        None => None,
    };
    Ok(InputImage {
        id,
        source: Source::Url(url.to_owned()),
        name: shorten(&name),
        format,
        width: size.map(|(width, _)| width),
        height: size.map(|(_, height)| height),
        unreadable: false,
        from: None,
    })
}

/// The note to show when an address was added but could not be loaded here.
pub fn url_load_warning(image: &InputImage) -> Option<FileProblem> {
    if image.is_local() || image.width.is_some() {
        return None;
    }
    let address = shorten(image.preview());
    Some(FileProblem::new(
        image.id,
        image.name(),
        Problem::NotLoaded { address },
    ))
}

/// The last path segment of an address, without query or fragment.
fn url_name(url: &str) -> Option<String> {
    let without_query = url.split(['?', '#']).next()?;
    let after_scheme = without_query.split_once("://")?.1;
    let path = after_scheme.split_once('/')?.1;
    let last = path.rsplit('/').next()?;
    (!last.is_empty()).then(|| last.to_owned())
}

/// An image element loading a URL off-page, to read its natural size.
struct ImageLoad {
    element: HtmlImageElement,
    done: Promise,
}

impl ImageLoad {
    /// Starts loading `src`; `None` only if the browser cannot create an image.
    fn start(src: &str) -> Option<Self> {
        let element = HtmlImageElement::new().ok()?;
        let done = Promise::new(&mut |resolve, reject| {
            element.set_onload(Some(&resolve));
            element.set_onerror(Some(&reject));
        });
        // The size is all that is wanted: no referrer leaks to a typed address.
        element.set_referrer_policy("no-referrer");
        element.set_decoding("async");
        element.set_src(src);
        Some(Self { element, done })
    }

    /// Waits for the load (at most `timeout_ms`) and returns the natural size, or
    /// `None` when it failed, timed out or has no size.
    async fn finish(self, timeout_ms: i32) -> Option<(u32, u32)> {
        let race = Promise::race(&Array::of2(&self.done, &timer(timeout_ms)));
        let outcome = JsFuture::from(race).await;
        self.element.set_onload(None);
        self.element.set_onerror(None);
        // The timer resolves with `undefined`; a load resolves with its event.
        let loaded = outcome.is_ok_and(|value| !value.is_undefined());
        let size = (self.element.natural_width(), self.element.natural_height());
        if !loaded {
            // Stops a slow download that nobody waits for any more.
            let _ = self.element.remove_attribute("src");
        }
        (loaded && size.0 > 0 && size.1 > 0).then_some(size)
    }
}

/// A promise resolving with `undefined` after `ms` milliseconds (at once when
/// there is no window to time with).
fn timer(ms: i32) -> Promise {
    Promise::new(&mut |resolve, _reject| {
        let scheduled = web_sys::window().is_some_and(|window| {
            window
                .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms)
                .is_ok()
        });
        if !scheduled {
            let _ = resolve.call0(&JsValue::UNDEFINED);
        }
    })
}
