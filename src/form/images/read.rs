//! Turning a picked file or a typed address into an [`InputImage`], in the browser.
//!
//! The bytes of a 10 MB image never pass through Rust code that looks at them: the
//! size comes from `File.size`, the format from the first 32 bytes, the data URI
//! from the browser's own `FileReader.readAsDataURL` (native base64, far faster
//! than encoding in wasm), and the pixel size from the browser's image decoder.
//! Only the data URI's short header is rewritten, as a JavaScript string
//! operation, so the declared type matches the bytes whatever `File.type` said.

use js_sys::{Array, JsString, Promise, Uint8Array};
use seedream_contract::image::{
    ImageError, ImageFormat, ImageSource, MAX_IMAGE_BYTES, validate_image_ref,
};
use seedream_contract::url::parse_http_url;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{File, FileReader, HtmlImageElement, Url};

use super::model::InputImage;
use super::problem::shorten;
pub use super::problem::{FileProblem, Name, Problem};

/// How many leading bytes are read to recognise the format (the contract needs 12).
const HEAD_BYTES: f64 = 32.0;
/// How long a typed address may take to load before it is added unchecked.
const URL_LOAD_TIMEOUT_MS: i32 = 10_000;
/// A local file's header decodes in milliseconds; this only guards against a
/// decoder that never answers, so "Reading..." cannot hang forever.
const FILE_DECODE_TIMEOUT_MS: i32 = 20_000;

/// Reads a local file into a checked image.
///
/// In order, cheapest first: the size from `File.size` (an oversize file is never
/// read), the first bytes for the format, then the browser's base64 encoding and
/// the decoder's pixel size, started together. A TIFF that the browser cannot
/// decode is still accepted, with no pixel size.
pub async fn read_file(file: File, id: u32) -> Result<InputImage, FileProblem> {
    let name = Name::of_file(&file.name());
    let refuse = |error: ImageError| FileProblem::new(id, name.clone(), Problem::Refused(error));
    let unreadable = || FileProblem::new(id, name.clone(), Problem::Unreadable);

    // `as` saturates (and maps NaN to 0), so a strange size cannot wrap around.
    let bytes = file.size() as u64;
    if bytes > MAX_IMAGE_BYTES as u64 {
        return Err(refuse(ImageError::TooLarge { bytes }));
    }
    if bytes == 0 {
        return Err(refuse(ImageError::Empty));
    }
    let head = read_head(&file).await.map_err(|_| unreadable())?;
    let format =
        ImageFormat::sniff(&head).ok_or_else(|| refuse(ImageError::UnrecognisedContent))?;

    let preview = Url::create_object_url_with_blob(&file).map_err(|_| unreadable())?;
    let load = ImageLoad::start(&preview);
    let source = match read_data_url(&file)
        .await
        .ok()
        .and_then(|uri| declare(&uri, format))
    {
        Some(source) => source,
        None => {
            revoke_url(&preview);
            return Err(unreadable());
        }
    };
    if let Err(error) = validate_image_ref(&source) {
        revoke_url(&preview);
        return Err(refuse(error));
    }
    let size = match load {
        Some(load) => load.finish(FILE_DECODE_TIMEOUT_MS).await,
        None => None,
    };
    Ok(InputImage {
        id,
        source,
        // A pasted image without a name keeps none: the card names it when shown.
        name: match name {
            Name::Given(name) => name,
            _ => String::new(),
        },
        format: Some(format),
        width: size.map(|(width, _)| width),
        height: size.map(|(_, height)| height),
        bytes: Some(bytes),
        preview,
    })
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
        source: url.to_owned(),
        name: shorten(&name),
        format,
        width: size.map(|(width, _)| width),
        height: size.map(|(_, height)| height),
        bytes: None,
        preview: url.to_owned(),
    })
}

/// Turns a data URI this page read earlier back into an image ("Edit again").
///
/// The URI is checked again (it comes from memory, but the form must only ever hold
/// valid images) and decoded by the browser for its pixel size. It is its own
/// preview: restoring is rare, and an object URL would need a copy of the bytes.
///
/// `index` is the position it will take, which names it in messages.
pub async fn from_data_uri(
    source: String,
    id: u32,
    index: usize,
) -> Result<InputImage, FileProblem> {
    let name = Name::Restored(index);
    let checked = validate_image_ref(&source)
        .map_err(|error| FileProblem::new(id, name.clone(), Problem::Refused(error)))?;
    let ImageSource::DataUri {
        format,
        decoded_len,
    } = checked
    else {
        return Err(FileProblem::new(id, name, Problem::NotLocal));
    };
    let size = match ImageLoad::start(&source) {
        Some(load) => load.finish(FILE_DECODE_TIMEOUT_MS).await,
        None => None,
    };
    Ok(InputImage {
        id,
        preview: source.clone(),
        source,
        // Named when shown ("restored local file"), in the user's language.
        name: String::new(),
        format: Some(format),
        width: size.map(|(width, _)| width),
        height: size.map(|(_, height)| height),
        bytes: Some(decoded_len as u64),
    })
}

/// The note to show when an address was added but could not be loaded here.
pub fn url_load_warning(image: &InputImage) -> Option<FileProblem> {
    if image.is_data_uri() || image.width.is_some() {
        return None;
    }
    let address = shorten(&image.source);
    Some(FileProblem::new(
        image.id,
        Name::of_image(image),
        Problem::NotLoaded { address },
    ))
}

/// Frees the image's object URL (a no-op for address inputs).
pub fn revoke(image: &InputImage) {
    if image.has_object_url() {
        revoke_url(&image.preview);
    }
}

/// Frees an object URL; failure only means it was already gone.
pub fn revoke_url(url: &str) {
    let _ = Url::revoke_object_url(url);
}

/// The last path segment of an address, without query or fragment.
fn url_name(url: &str) -> Option<String> {
    let without_query = url.split(['?', '#']).next()?;
    let after_scheme = without_query.split_once("://")?.1;
    let path = after_scheme.split_once('/')?.1;
    let last = path.rsplit('/').next()?;
    (!last.is_empty()).then(|| last.to_owned())
}

/// The file's first [`HEAD_BYTES`] bytes.
async fn read_head(file: &File) -> Result<Vec<u8>, JsValue> {
    let head = file.slice_with_f64_and_f64(0.0, HEAD_BYTES)?;
    let buffer = JsFuture::from(head.array_buffer()).await?;
    Ok(Uint8Array::new(&buffer).to_vec())
}

/// The file as the browser's `data:<type>;base64,...` string, left in JavaScript.
async fn read_data_url(file: &File) -> Result<JsString, JsValue> {
    let reader = FileReader::new()?;
    let done = Promise::new(&mut |resolve, reject| {
        reader.set_onload(Some(&resolve));
        reader.set_onerror(Some(&reject));
        reader.set_onabort(Some(&reject));
    });
    reader.read_as_data_url(file)?;
    let outcome = JsFuture::from(done).await;
    reader.set_onload(None);
    reader.set_onerror(None);
    reader.set_onabort(None);
    outcome?;
    reader.result()?.dyn_into::<JsString>()
}

/// The data URI with its header replaced by the sniffed format's
/// `data:image/<fmt>;base64` (the browser writes `File.type`, which may be empty
/// or wrong). The payload is not touched: the concatenation happens on the
/// JavaScript string and is copied into Rust once.
fn declare(data_url: &JsString, format: ImageFormat) -> Option<String> {
    let comma = u32::try_from(data_url.index_of(",", 0)).ok()?;
    let header = data_url.slice(0, comma).as_string()?;
    if !header.to_ascii_lowercase().ends_with(";base64") {
        return None;
    }
    let wanted = format!("data:{};base64", format.mime_type());
    if header == wanted {
        return data_url.as_string();
    }
    JsString::from(wanted)
        .concat(&data_url.slice(comma, data_url.length()))
        .as_string()
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
