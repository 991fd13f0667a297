//! The submit request as the app builds it: defaults, wire names, round trips, body limit.

use crate::common::{data_uri, small};
use seedream_contract::{
    DEFAULT_SIZE, EditRequest, Field, ImageFormat, MAX_IMAGE_BYTES, MAX_SUBMIT_BODY_BYTES,
    OptimizePromptMode, OutputFormat, SequentialError, SequentialMode, Size, ValidationError,
    parse_submit_body,
};

const URL: &str = "https://example.com/input-1.jpg";

#[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
fn new_fills_documented_defaults() {
    let request = EditRequest::new("p", vec![URL.to_owned()]);
    assert_eq!(request.size, DEFAULT_SIZE);
    assert_eq!(
        request.sequential_image_generation,
        SequentialMode::Disabled
    );
    assert_eq!(request.sequential_image_generation_max_images, 15);
    assert_eq!(request.optimize_prompt_mode, OptimizePromptMode::Standard);
    assert_eq!(request.output_format, OutputFormat::Jpeg);
    assert_eq!(request.validate(), Ok(()));
    assert_eq!(request.max_outputs(), 1);
}

#[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
fn serialises_every_field_with_wire_names() {
    let request = EditRequest::new("p", vec![URL.to_owned()]);
    assert_eq!(
        serde_json::to_string(&request).expect("json"),
        format!(
            "{{\"prompt\":\"p\",\"image\":[\"{URL}\"],\"size\":\"2048x2048\",\
             \"sequential_image_generation\":\"disabled\",\
             \"sequential_image_generation_max_images\":15,\
             \"optimize_prompt_mode\":\"standard\",\"output_format\":\"jpeg\"}}"
        )
    );
}

#[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
fn builder_methods() {
    let images = vec![URL.to_owned(); 3];
    let request = EditRequest::new("p", images)
        .with_size(Size::new(2304, 1728))
        .with_output_format(OutputFormat::Png)
        .with_sequential(SequentialMode::Auto, None);
    assert_eq!(request.sequential_image_generation_max_images, 12);
    assert_eq!(request.max_outputs(), 12);
    assert_eq!(request.validate(), Ok(()));
    let explicit = request
        .clone()
        .with_sequential(SequentialMode::Auto, Some(13));
    assert_eq!(
        explicit.validate(),
        Err(ValidationError::Sequential(SequentialError::TooManyTotal {
            inputs: 3,
            max_images: 13
        }))
    );
    let disabled = request.with_sequential(SequentialMode::Disabled, None);
    assert_eq!(disabled.sequential_image_generation_max_images, 15);
}

#[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
fn field_names() {
    let names: Vec<_> = Field::ALL.iter().map(|f| f.name()).collect();
    assert_eq!(
        names,
        [
            "prompt",
            "image",
            "size",
            "sequential_image_generation",
            "sequential_image_generation_max_images",
            "optimize_prompt_mode",
            "output_format"
        ]
    );
}

#[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
fn round_trip_through_the_wire() {
    let request = EditRequest::new(
        "把天空改成日落",
        vec![URL.to_owned(), small(ImageFormat::Gif)],
    )
    .with_size(Size::new(3136, 1344))
    .with_output_format(OutputFormat::Png)
    .with_sequential(SequentialMode::Auto, Some(5));
    let bytes = serde_json::to_vec(&request).expect("json");
    assert_eq!(parse_submit_body(&bytes), Ok(request.clone()));
    // The derived Deserialize reads it back too.
    assert_eq!(
        serde_json::from_slice::<EditRequest>(&bytes).expect("derive"),
        request
    );
}

#[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
fn body_limit_arithmetic() {
    assert_eq!(MAX_SUBMIT_BODY_BYTES, 195_807_382);
    // One maximal image serialised: its share, times 14, plus a worst-case
    // escaped prompt, fits under the limit.
    let image = data_uri("x-ms-bmp", ImageFormat::Bmp, MAX_IMAGE_BYTES);
    let one = serde_json::to_vec(&EditRequest::new("p", vec![image.clone()])).expect("json");
    let per_image = image.len() + 3;
    let prompt_worst = 600 * 12 + 2;
    let fixed = one.len() - per_image - 3;
    assert!(14 * per_image + prompt_worst + fixed <= MAX_SUBMIT_BODY_BYTES);
    // And an escaped astral prompt really costs 12 bytes per character.
    let escaped = "\\ud83c\\udfa8".repeat(600);
    let raw = format!("{{\"prompt\":\"{escaped}\",\"image\":[\"{URL}\"]}}");
    let parsed = parse_submit_body(raw.as_bytes()).expect("valid");
    assert_eq!(parsed.prompt.chars().count(), 600);
}
