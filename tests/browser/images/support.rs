//! Test helpers: real `File`s built from bytes, browser events built the way the
//! browser builds them, and a mounted picker + list (in a box that takes drops, as the
//! form does) to drive.

use js_sys::{Array, Function, Object, Reflect, Uint8Array};
use leptos::prelude::*;
use seedream_studio::form::images::{FileDrop, ImageList, ImagePicker, InputImage, Intake};
use seedream_studio::i18n::Locale;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{
    DataTransfer, Element, Event, File, HtmlElement, HtmlImageElement, HtmlInputElement,
};

/// A valid 2 x 3 RGBA PNG (77 bytes).
pub const PNG_2X3: &[u8] = &[
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x03, 0x08, 0x06, 0x00, 0x00, 0x00, 0xb9, 0xea, 0xde,
    0x81, 0x00, 0x00, 0x00, 0x14, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0xf8, 0xcf, 0xc0, 0xf0,
    0x1f, 0x84, 0x41, 0x08, 0x02, 0xa1, 0x02, 0xff, 0x01, 0x9b, 0x7f, 0x0b, 0xf5, 0x55, 0x94, 0x2c,
    0x21, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82,
];

/// A valid 1 x 1 GIF (43 bytes).
pub const GIF_1X1: &[u8] = b"GIF89a\x01\x00\x01\x00\x80\x00\x00\xff\xff\xff\x00\x00\x00!\xf9\x04\x01\x00\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;";

fn window() -> web_sys::Window {
    web_sys::window().expect("a browser test has a window")
}

fn document() -> web_sys::Document {
    window().document().expect("a document")
}

/// `new <constructor>(...args)` for constructors whose option dictionaries the
/// crate's web-sys features do not cover.
fn construct(constructor: &str, args: &[JsValue]) -> JsValue {
    let class: Function = Reflect::get(&js_sys::global(), &constructor.into())
        .expect("a global constructor")
        .unchecked_into();
    let args: Array = args.iter().collect();
    Reflect::construct(&class, &args).expect("constructs")
}

/// A plain object from key/value pairs.
fn object(pairs: &[(&str, JsValue)]) -> JsValue {
    let object = Object::new();
    for (key, value) in pairs {
        Reflect::set(&object, &(*key).into(), value).expect("set a property");
    }
    object.into()
}

/// A `File` of `bytes`, with the given name and claimed type.
pub fn file_of(bytes: &[u8], name: &str, mime: &str) -> File {
    let parts: Array = [Uint8Array::from(bytes)].iter().collect();
    construct(
        "File",
        &[parts.into(), name.into(), object(&[("type", mime.into())])],
    )
    .unchecked_into()
}

/// A PNG-typed `File` of `mib` MiB, built from one shared 1 MiB buffer.
pub fn oversize_file(name: &str, mib: usize) -> File {
    let chunk = Uint8Array::new_with_length(1 << 20);
    let parts: Array = std::iter::repeat_n(chunk, mib).collect();
    construct(
        "File",
        &[
            parts.into(),
            name.into(),
            object(&[("type", "image/png".into())]),
        ],
    )
    .unchecked_into()
}

/// The file with every way of reading it replaced by a trap that records the
/// attempt and fails; see [`was_read`].
pub fn trapped(file: File, _name: &str) -> File {
    Reflect::set(&js_sys::global(), &"__imagesRead".into(), &false.into()).expect("reset");
    let trap = Function::new_no_args("globalThis.__imagesRead = true; throw new Error('trapped');");
    for method in ["slice", "arrayBuffer", "bytes", "stream", "text"] {
        Reflect::set(&file, &method.into(), &trap).expect("install a trap");
    }
    file
}

/// Whether a [`trapped`] file was read.
pub fn was_read() -> bool {
    Reflect::get(&js_sys::global(), &"__imagesRead".into()).is_ok_and(|v| v.is_truthy())
}

/// Standard base64 by the browser's `btoa`, to compare data URIs with.
pub fn base64_of(bytes: &[u8]) -> String {
    let latin1: String = bytes.iter().map(|&b| char::from(b)).collect();
    window().btoa(&latin1).expect("btoa")
}

pub fn now() -> f64 {
    js_sys::Date::now()
}

/// The natural size of the image at `url`, or `None` when it does not load.
pub async fn load_size(url: &str) -> Option<(u32, u32)> {
    let image = HtmlImageElement::new().expect("an image");
    let loaded = js_sys::Promise::new(&mut |resolve, reject| {
        image.set_onload(Some(&resolve));
        image.set_onerror(Some(&reject));
    });
    image.set_src(url);
    wasm_bindgen_futures::JsFuture::from(loaded).await.ok()?;
    Some((image.natural_width(), image.natural_height()))
}

/// Whether the browser still serves the object URL `url`: a revoked one fails to
/// fetch in every browser (an `<img>` may still show it from the image cache, as
/// Firefox's does).
pub async fn is_served(url: &str) -> bool {
    wasm_bindgen_futures::JsFuture::from(window().fetch_with_str(url))
        .await
        .is_ok()
}

/// The accessible name (`aria-label`) of the focused element.
pub fn focused_label() -> Option<String> {
    document().active_element()?.get_attribute("aria-label")
}

fn transfer_of(files: &[File]) -> DataTransfer {
    let transfer = DataTransfer::new().expect("a DataTransfer");
    for file in files {
        transfer.items().add_with_file(file).expect("add a file");
    }
    transfer
}

/// `event` with `transfer` as its `name` property. Chromium takes it from the event's
/// init dictionary; Firefox gives synthetic events an empty one of its own, so it is
/// set on the event itself, which both read.
fn carrying(event: JsValue, name: &str, transfer: &DataTransfer) -> Event {
    let descriptor: Object = object(&[("value", transfer.into())]).unchecked_into();
    let target: &Object = event.unchecked_ref();
    Reflect::define_property(target, &name.into(), &descriptor).expect("define the transfer");
    event.unchecked_into()
}

/// A bubbling, cancelable drag event carrying `files`.
pub fn drag_event(kind: &str, files: &[File]) -> Event {
    let transfer = transfer_of(files);
    let init = object(&[
        ("bubbles", true.into()),
        ("cancelable", true.into()),
        ("dataTransfer", transfer.clone().into()),
    ]);
    carrying(
        construct("DragEvent", &[kind.into(), init]),
        "dataTransfer",
        &transfer,
    )
}

/// A pointer event of the primary mouse pointer at `(x, y)` in client pixels.
pub fn pointer_event(kind: &str, (x, y): (f64, f64)) -> Event {
    let init = object(&[
        ("bubbles", true.into()),
        ("cancelable", true.into()),
        ("pointerId", 1.into()),
        ("pointerType", "mouse".into()),
        ("isPrimary", true.into()),
        (
            "button",
            (if kind == "pointermove" { -1 } else { 0 }).into(),
        ),
        ("clientX", x.into()),
        ("clientY", y.into()),
    ]);
    construct("PointerEvent", &[kind.into(), init]).unchecked_into()
}

/// A key pressed on the focused element's place: a bubbling, cancelable keydown.
pub fn key_event(key: &str) -> Event {
    let init = object(&[
        ("bubbles", true.into()),
        ("cancelable", true.into()),
        ("key", key.into()),
    ]);
    construct("KeyboardEvent", &["keydown".into(), init]).unchecked_into()
}

/// The centre of `element`'s box, in client pixels.
pub fn centre(element: &Element) -> (f64, f64) {
    let rect = element.get_bounding_client_rect();
    (
        rect.left() + rect.width() / 2.0,
        rect.top() + rect.height() / 2.0,
    )
}

/// Pastes `files` on the page, as Ctrl+V with files on the clipboard does.
pub fn paste(files: &[File]) {
    let transfer = transfer_of(files);
    let init = object(&[
        ("bubbles", true.into()),
        ("cancelable", true.into()),
        ("clipboardData", transfer.clone().into()),
    ]);
    let event = carrying(
        construct("ClipboardEvent", &["paste".into(), init]),
        "clipboardData",
        &transfer,
    );
    document()
        .body()
        .expect("a body")
        .dispatch_event(&event)
        .expect("dispatch");
}

/// An `ImagePicker` and an `ImageList` sharing one list, mounted on the page.
pub struct Studio {
    pub images: RwSignal<Vec<InputImage>>,
    pub intake: Intake,
    host: HtmlElement,
    _mounted: Box<dyn std::any::Any>,
}

impl Studio {
    pub fn mount() -> Self {
        let host = crate::common::host();
        host.set_class_name("studio");
        let images = RwSignal::new(Vec::new());
        let intake = Intake::new(images);
        let mounted = leptos::mount::mount_to(host.clone(), move || {
            // The app gives each instance its language; here it is English, as the
            // assertions are.
            seedream_studio::locale::provide(Locale::en);
            // The form takes dropped files; here a box stands in for it.
            let drop = FileDrop::new(Signal::stored(intake));
            view! {
                <div
                    on:dragenter=move |ev| drop.enter(ev)
                    on:dragover=move |ev| drop.over(ev)
                    on:dragleave=move |_| drop.leave()
                    on:drop=move |ev| drop.drop(ev)
                >
                    <ImagePicker intake />
                    <ImageList images />
                </div>
            }
        });
        Self {
            images,
            intake,
            host,
            _mounted: Box::new(mounted),
        }
    }

    pub fn query(&self, selector: &str) -> Element {
        crate::common::get(&self.host, selector).into()
    }

    /// The element the picker and the list are mounted in.
    pub fn root(&self) -> &Element {
        &self.host
    }

    /// The text of each element matching `selector`.
    pub fn all(&self, selector: &str) -> Vec<String> {
        crate::common::texts(&self.host, selector)
    }

    pub fn text(&self, selector: &str) -> String {
        crate::common::text(&self.host, selector)
    }

    pub fn attr(&self, selector: &str, name: &str) -> Option<String> {
        self.query(selector).get_attribute(name)
    }

    /// The button whose accessible name is `name`.
    pub fn button(&self, name: &str) -> HtmlElement {
        self.query(&format!("button[aria-label=\"{name}\"]"))
            .unchecked_into()
    }

    pub fn dispatch(&self, selector: &str, event: Event) {
        self.query(selector)
            .dispatch_event(&event)
            .expect("dispatch");
    }

    /// Picks `files` in the file input, as the browser's file dialog does.
    pub fn choose(&self, files: &[File]) {
        let input: HtmlInputElement = self.query("input[type=file]").unchecked_into();
        input.set_files(transfer_of(files).files().as_ref());
        let change = construct(
            "Event",
            &["change".into(), object(&[("bubbles", true.into())])],
        );
        input
            .dispatch_event(change.unchecked_ref())
            .expect("dispatch change");
    }

    /// Types `url` in the address field and presses Enter.
    pub fn type_url(&self, url: &str) {
        let input: HtmlInputElement = self.query("input[type=url]").unchecked_into();
        input.set_value(url);
        let typed = construct(
            "InputEvent",
            &["input".into(), object(&[("bubbles", true.into())])],
        );
        input
            .dispatch_event(typed.unchecked_ref())
            .expect("dispatch input");
        let init = object(&[
            ("key", "Enter".into()),
            ("bubbles", true.into()),
            ("cancelable", true.into()),
        ]);
        let enter = construct("KeyboardEvent", &["keydown".into(), init]);
        input
            .dispatch_event(enter.unchecked_ref())
            .expect("dispatch keydown");
    }

    /// Waits until the list holds `count` images and shows a card for each.
    pub async fn wait_for_images(&self, count: usize) {
        crate::common::until(&format!("{count} images in the list"), || {
            self.images.with_untracked(Vec::len) == count
                && crate::common::count(&self.host, ".image-card") == count
        })
        .await;
    }

    pub fn names(&self) -> Vec<String> {
        self.images
            .with_untracked(|list| list.iter().map(|image| image.name.clone()).collect())
    }
}

impl Drop for Studio {
    fn drop(&mut self) {
        self.host.remove();
    }
}

/// The image's part of a request body, as the browser writes it (a local image).
pub async fn sent_as(image: &InputImage) -> String {
    let local = image.source.local().expect("a local image");
    let part = seedream_studio::media::encode::data_uri_part(local)
        .await
        .expect("a readable file");
    wasm_bindgen_futures::JsFuture::from(part.text())
        .await
        .expect("the part's text")
        .as_string()
        .expect("a string")
}

/// A JPEG header, as far as a probe reads: SOI, an EXIF segment with `orientation`
/// (none when `None`), `padding` bytes of other metadata in 60 KiB APP2 segments, a
/// baseline frame header of `width` x `height`, and the start of a scan.
pub fn jpeg_header(width: u16, height: u16, orientation: Option<u16>, padding: usize) -> Vec<u8> {
    let mut bytes = vec![0xFF, 0xD8];
    if let Some(orientation) = orientation {
        // "Exif\0\0", a big-endian TIFF header, IFD0 at 8 with one entry: 0x0112 SHORT.
        let mut exif = b"Exif\0\0MM\0\x2A\0\0\0\x08\0\x01\x01\x12\0\x03\0\0\0\x01".to_vec();
        exif.extend_from_slice(&orientation.to_be_bytes());
        exif.extend_from_slice(&[0, 0, 0, 0, 0, 0]);
        bytes.extend_from_slice(&[0xFF, 0xE1]);
        bytes.extend_from_slice(&((exif.len() + 2) as u16).to_be_bytes());
        bytes.extend_from_slice(&exif);
    }
    let mut left = padding;
    while left > 0 {
        let chunk = left.min(60 * 1024);
        bytes.extend_from_slice(&[0xFF, 0xE2]);
        bytes.extend_from_slice(&((chunk + 2) as u16).to_be_bytes());
        bytes.extend(std::iter::repeat_n(0x5A, chunk));
        left -= chunk;
    }
    bytes.extend_from_slice(&[0xFF, 0xC0, 0x00, 0x11, 0x08]);
    bytes.extend_from_slice(&height.to_be_bytes());
    bytes.extend_from_slice(&width.to_be_bytes());
    bytes.extend_from_slice(&[3, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1]);
    bytes.extend_from_slice(&[0xFF, 0xDA, 0x00, 0x02]);
    bytes
}
