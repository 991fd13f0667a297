//! The request written around its images (`EditRequest::json_frame`), as the browser
//! app fills it in: the parts joined must parse to exactly the request, whatever the
//! prompt holds and whatever mix of addresses and local images it carries.

use seedream_contract::image::data_uri_for;
use seedream_contract::{
    AsImageRef, EditRequest, ImageError, ImageFormat, ImageRef, OutputFormat, SequentialMode, Size,
    ValidationError, check_local, parse_submit_body,
};

/// What the app's request holds: an address, or a local image known by its bytes.
#[derive(Debug, Clone)]
enum Held {
    Url(String),
    Local(Vec<u8>),
}

impl AsImageRef for Held {
    fn as_image_ref(&self) -> ImageRef<'_> {
        match self {
            Held::Url(url) => ImageRef::Text(url),
            Held::Local(bytes) => ImageRef::Local {
                bytes: bytes.len() as u64,
                format: ImageFormat::sniff(bytes).unwrap_or(ImageFormat::Png),
            },
        }
    }
}

/// A tiny valid PNG (1×1).
const PNG: &[u8] = &[
    0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, b'I', b'H', b'D', b'R', 0, 0, 0,
    1, 0, 0, 0, 1, 8, 6, 0, 0, 0, 0x1F, 0x15, 0xC4, 0x89,
];

/// Joins the frame and the images the way the app's body does: each image its own
/// part, commas between.
fn assemble(request: &EditRequest<Held>) -> String {
    let frame = request.json_frame().expect("a frame");
    let images: Vec<String> = request
        .image
        .iter()
        .map(|image| match image {
            Held::Url(url) => serde_json::to_string(url).expect("a string"),
            Held::Local(bytes) => format!("\"{}\"", data_uri_for(bytes).expect("an image")),
        })
        .collect();
    format!("{}{}{}", frame.head, images.join(","), frame.tail)
}

/// The same request with its images as the text they travel as.
fn as_text(request: &EditRequest<Held>) -> EditRequest {
    let image = request
        .image
        .iter()
        .map(|image| match image {
            Held::Url(url) => url.clone(),
            Held::Local(bytes) => data_uri_for(bytes).expect("an image"),
        })
        .collect();
    EditRequest {
        prompt: request.prompt.clone(),
        image,
        size: request.size,
        sequential_image_generation: request.sequential_image_generation,
        sequential_image_generation_max_images: request.sequential_image_generation_max_images,
        optimize_prompt_mode: request.optimize_prompt_mode,
        output_format: request.output_format,
    }
}

#[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
fn frame_and_parts_parse_to_exactly_the_request() {
    // Quotes, backslashes, the key's own text and the array's brackets in the prompt
    // cannot open a second hole: inside a JSON string every quote is escaped.
    let prompt = "put the hat from \"image 2\" on image 1 \\\"image\":[] \"image\":[]\\ 把帽子放上去 \u{1F3A9}\n\t\u{0}]}";
    let request = EditRequest::new(
        prompt,
        vec![
            Held::Local(PNG.to_vec()),
            Held::Url("https://example.com/hat.png?a=1&b=%222%22".to_owned()),
        ],
    )
    .with_size(Size::new(2304, 1728))
    .with_output_format(OutputFormat::Png)
    .with_sequential(SequentialMode::Auto, Some(3));
    request.validate().expect("a valid request");

    let body = assemble(&request);
    let parsed = parse_submit_body(body.as_bytes()).expect("the mock accepts it");
    assert_eq!(parsed, as_text(&request));
}

#[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
fn frame_leaves_the_image_array_open_and_nothing_else() {
    let request = EditRequest::new("p", vec![Held::Url("https://e.example/a.png".into())]);
    let frame = request.json_frame().expect("a frame");
    assert!(frame.head.starts_with('{'), "{}", frame.head);
    assert!(frame.head.ends_with("\"image\":["), "{}", frame.head);
    assert!(
        frame.tail.starts_with(']') && frame.tail.ends_with('}'),
        "{}",
        frame.tail
    );
    let whole = format!("{}{}", frame.head, frame.tail);
    assert_eq!(whole.matches("\"image\"").count(), 1, "{whole}");
    for field in [
        "prompt",
        "size",
        "sequential_image_generation",
        "sequential_image_generation_max_images",
        "optimize_prompt_mode",
        "output_format",
    ] {
        assert!(whole.contains(&format!("\"{field}\":")), "{field}");
    }
}

#[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
fn local_images_follow_the_same_size_rules_as_data_uris() {
    assert_eq!(check_local(0, ImageFormat::Png), Err(ImageError::Empty));
    let limit = seedream_contract::MAX_IMAGE_BYTES as u64;
    assert!(check_local(limit, ImageFormat::Jpeg).is_ok());
    assert_eq!(
        check_local(limit + 1, ImageFormat::Jpeg),
        Err(ImageError::TooLarge { bytes: limit + 1 })
    );
    let request = EditRequest::new(
        "p",
        vec![
            Held::Url("https://e.example/a.png".into()),
            Held::Local(Vec::new()),
        ],
    );
    assert_eq!(
        request.validate(),
        Err(ValidationError::Image {
            index: 1,
            error: ImageError::Empty
        })
    );
}
