//! Small pictures of a task's input images, for its card.
//!
//! A local input's object URL shows the whole image: fourteen 10 MB pictures decoded
//! for 48-pixel squares would cost the page hundreds of MB. So once the submit has
//! been answered (never while it uploads), each input is drawn once, small, on a
//! canvas; the card keeps that JPEG of a few kilobytes for the session. (Storage
//! keeps none: the history must stay small. After a reload a local file shows as
//! its label; an address shows itself.)

use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement, HtmlImageElement};

/// The longest side of a thumbnail, in pixels (twice the card's display size, for
/// sharp high-density screens).
const LONGEST_SIDE: f64 = 128.0;

/// A small JPEG data URI of the image at `src`, or `None` when it cannot be decoded
/// here or read back (a cross-origin address without CORS taints the canvas).
pub async fn thumbnail(src: &str) -> Option<String> {
    let document = web_sys::window()?.document()?;
    let image = HtmlImageElement::new().ok()?;
    image.set_src(src);
    JsFuture::from(image.decode()).await.ok()?;
    let (width, height) = (
        f64::from(image.natural_width()),
        f64::from(image.natural_height()),
    );
    if width < 1.0 || height < 1.0 {
        return None;
    }
    let scale = (LONGEST_SIDE / width.max(height)).min(1.0);
    let (w, h) = (
        (width * scale).round().max(1.0),
        (height * scale).round().max(1.0),
    );
    let canvas: HtmlCanvasElement = document.create_element("canvas").ok()?.dyn_into().ok()?;
    canvas.set_width(w as u32);
    canvas.set_height(h as u32);
    let context: CanvasRenderingContext2d = canvas.get_context("2d").ok()??.dyn_into().ok()?;
    context
        .draw_image_with_html_image_element_and_dw_and_dh(&image, 0.0, 0.0, w, h)
        .ok()?;
    canvas
        .to_data_url_with_type_and_encoder_options("image/jpeg", &0.8.into())
        .ok()
}
