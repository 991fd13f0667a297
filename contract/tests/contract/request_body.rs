//! Parsing incoming submit bodies (the mock): precise errors, defaults, every rule.

use crate::common::{URL, parse, with};
use seedream_contract::{
    EditRequest, Field, OutputFormat, PromptError, SequentialMode, Size, ValidationError,
    parse_submit_body,
};
use serde_json::{Value, json};

#[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
fn minimal_body_gets_defaults() {
    let parsed = parse(json!({"prompt": "p", "image": [URL]})).expect("valid");
    assert_eq!(parsed, EditRequest::new("p", vec![URL.to_owned()]));
}

#[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
fn full_body_and_provider_example() {
    let parsed = parse(json!({
        "prompt": "preserve composition, convert to watercolor style with rich texture and soft shadows",
        "image": ["https://example.com/input-1.jpg", "https://example.com/input-2.jpg"],
        "size": "2304x1728",
        "sequential_image_generation": "auto",
        "sequential_image_generation_max_images": 3,
        "optimize_prompt_mode": "standard",
        "output_format": "png",
        "unknown_extra": {"ignored": true}
    }))
    .expect("valid");
    assert_eq!(parsed.size, Size::new(2304, 1728));
    assert_eq!(parsed.sequential_image_generation, SequentialMode::Auto);
    assert_eq!(parsed.sequential_image_generation_max_images, 3);
    assert_eq!(parsed.output_format, OutputFormat::Png);
    assert_eq!(parsed.max_outputs(), 3);
}

#[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
fn nulls_are_absent() {
    let parsed = parse(json!({
        "prompt": "p", "image": [URL], "size": null, "sequential_image_generation": null,
        "sequential_image_generation_max_images": null, "optimize_prompt_mode": null,
        "output_format": null
    }))
    .expect("valid");
    assert_eq!(parsed, EditRequest::new("p", vec![URL.to_owned()]));
    assert_eq!(
        parse(json!({"prompt": null, "image": [URL]})),
        Err(ValidationError::Missing(Field::Prompt))
    );
}

#[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
fn invalid_json_uses_contract_message() {
    for raw in [
        &b""[..],
        b"{",
        b"not json",
        b"{\"prompt\":}",
        b"\xff\xfe",
        b"{'a':1}",
    ] {
        let error = parse_submit_body(raw).expect_err("invalid");
        assert_eq!(error, ValidationError::InvalidJson);
        assert_eq!(error.api_message(), "Invalid format: invalid JSON format");
        assert_eq!(error.field(), None);
    }
    // Deep nesting is refused, not a stack overflow.
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    assert_eq!(
        parse_submit_body(deep.as_bytes()),
        Err(ValidationError::InvalidJson)
    );
}

#[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
fn non_object_bodies() {
    for raw in ["[]", "\"prompt\"", "42", "null", "true"] {
        let error = parse_submit_body(raw.as_bytes()).expect_err(raw);
        assert_eq!(error, ValidationError::NotAnObject);
        assert_eq!(
            error.api_message(),
            "Invalid format: the request body must be a JSON object"
        );
    }
}

#[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
fn missing_required_fields() {
    let error = parse(json!({"image": [URL]})).expect_err("no prompt");
    assert_eq!(error, ValidationError::Missing(Field::Prompt));
    assert_eq!(
        error.api_message(),
        "Invalid parameters: parameter 'prompt' is required"
    );
    assert_eq!(error.field(), Some(Field::Prompt));
    assert_eq!(
        error.error_body(),
        "{\"code\":400,\"message\":\"Invalid parameters: parameter 'prompt' is required\"}"
    );
    let error = parse(json!({"prompt": "p"})).expect_err("no image");
    assert_eq!(
        error.api_message(),
        "Invalid parameters: parameter 'image' is required"
    );
    assert_eq!(
        parse(json!({})),
        Err(ValidationError::Missing(Field::Prompt))
    );
}

#[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
fn wrong_types() {
    let cases: Vec<(&str, Value, Field, &str)> = vec![
        ("prompt", json!(5), Field::Prompt, "a string"),
        ("prompt", json!(["p"]), Field::Prompt, "a string"),
        ("image", json!(URL), Field::Image, "an array of strings"),
        (
            "image",
            json!({"0": URL}),
            Field::Image,
            "an array of strings",
        ),
        ("size", json!(2048), Field::Size, "a string"),
        ("size", json!([2048, 2048]), Field::Size, "a string"),
        (
            "sequential_image_generation",
            json!(true),
            Field::SequentialImageGeneration,
            "a string",
        ),
        (
            "sequential_image_generation_max_images",
            json!("3"),
            Field::SequentialImageGenerationMaxImages,
            "an integer",
        ),
        (
            "sequential_image_generation_max_images",
            json!(3.5),
            Field::SequentialImageGenerationMaxImages,
            "an integer",
        ),
        (
            "sequential_image_generation_max_images",
            json!(3.0),
            Field::SequentialImageGenerationMaxImages,
            "an integer",
        ),
        (
            "optimize_prompt_mode",
            json!(1),
            Field::OptimizePromptMode,
            "a string",
        ),
        ("output_format", json!({}), Field::OutputFormat, "a string"),
    ];
    for (name, value, field, expected) in cases {
        let error = with(name, Some(value.clone())).expect_err(name);
        assert_eq!(
            error,
            ValidationError::WrongType { field, expected },
            "{name} = {value}"
        );
        assert_eq!(error.field(), Some(field));
        assert_eq!(
            error.api_message(),
            format!("Invalid parameters: parameter '{name}' must be {expected}")
        );
    }
    let error = with("image", Some(json!([URL, 7]))).expect_err("item");
    assert_eq!(error, ValidationError::ImageNotString { index: 1 });
    assert_eq!(
        error.to_string(),
        "Image 2 must be a string (an http(s) address or a data URI)."
    );
}

#[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
fn unknown_enum_values() {
    for (name, value, field) in [
        (
            "sequential_image_generation",
            "AUTO",
            Field::SequentialImageGeneration,
        ),
        (
            "sequential_image_generation",
            "enabled",
            Field::SequentialImageGeneration,
        ),
        ("optimize_prompt_mode", "fast", Field::OptimizePromptMode),
        (
            "optimize_prompt_mode",
            "Standard",
            Field::OptimizePromptMode,
        ),
        ("optimize_prompt_mode", "", Field::OptimizePromptMode),
        ("output_format", "gif", Field::OutputFormat),
        ("output_format", "JPEG", Field::OutputFormat),
        ("output_format", "jpg", Field::OutputFormat),
        ("output_format", "webp", Field::OutputFormat),
    ] {
        let error = with(name, Some(json!(value))).expect_err(value);
        assert!(
            matches!(&error, ValidationError::UnsupportedValue { field: f, value: v, .. }
                if *f == field && v == value),
            "{name}={value}: {error:?}"
        );
        assert_eq!(error.field(), Some(field));
    }
    assert_eq!(
        with("output_format", Some(json!("gif")))
            .expect_err("gif")
            .api_message(),
        "Invalid parameters: parameter 'output_format' must be \"jpeg\" or \"png\"; \"gif\" is \
         not supported"
    );
    assert_eq!(
        with("optimize_prompt_mode", Some(json!("fast")))
            .expect_err("fast")
            .to_string(),
        "parameter 'optimize_prompt_mode' must be \"standard\"; \"fast\" is not supported"
    );
    // The echoed value is shortened.
    let long = "z".repeat(10_000);
    let error = with("output_format", Some(json!(long))).expect_err("long");
    assert!(error.api_message().len() < 200);
}

#[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
fn first_problem_wins_in_contract_order() {
    // Missing prompt is reported before a bad size.
    assert_eq!(
        parse(json!({"image": [URL], "size": "bad"})),
        Err(ValidationError::Missing(Field::Prompt))
    );
    // Type problems are reported before value rules.
    assert!(matches!(
        parse(json!({"prompt": "", "image": [URL], "output_format": 1})),
        Err(ValidationError::WrongType {
            field: Field::OutputFormat,
            ..
        })
    ));
    // Among value rules, the prompt comes first.
    assert_eq!(
        parse(json!({"prompt": "", "image": [], "size": "1x1"})),
        Err(ValidationError::Prompt(PromptError::Empty))
    );
}
