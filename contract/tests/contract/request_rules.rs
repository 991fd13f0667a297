//! The value rules applied to incoming bodies: prompt, images, size, max images, the sum.

use crate::common::{URL, data_uri, parse, small, with};
use seedream_contract::{
    Field, ImageCountError, ImageError, ImageFormat, MAX_IMAGE_BYTES, PromptError, SequentialError,
    SizeError, SizeParseError, ValidationError,
};
use serde_json::json;

#[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
fn prompt_bounds_in_body() {
    assert!(with("prompt", Some(json!("a".repeat(600)))).is_ok());
    assert!(with("prompt", Some(json!("画".repeat(600)))).is_ok());
    let error = with("prompt", Some(json!("画".repeat(601)))).expect_err("601");
    assert_eq!(
        error,
        ValidationError::Prompt(PromptError::TooLong { chars: 601 })
    );
    assert_eq!(
        error.api_message(),
        "Invalid parameters: The prompt is 601 characters long; the limit is 600."
    );
    assert_eq!(
        with("prompt", Some(json!(""))),
        Err(ValidationError::Prompt(PromptError::Empty))
    );
    assert_eq!(
        with("prompt", Some(json!("   "))),
        Err(ValidationError::Prompt(PromptError::Empty))
    );
}

#[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
fn image_count_bounds_in_body() {
    assert_eq!(
        with("image", Some(json!([]))),
        Err(ValidationError::ImageCount(ImageCountError::None))
    );
    assert!(with("image", Some(json!([URL]))).is_ok());
    assert!(with("image", Some(json!(vec![URL; 14]))).is_ok());
    let error = with("image", Some(json!(vec![URL; 15]))).expect_err("15");
    assert_eq!(
        error,
        ValidationError::ImageCount(ImageCountError::TooMany { count: 15 })
    );
    assert_eq!(error.field(), Some(Field::Image));
}

#[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
fn image_errors_name_the_position() {
    let images = json!([
        URL,
        small(ImageFormat::Png),
        data_uri("png", ImageFormat::Jpeg, 60)
    ]);
    let error = with("image", Some(images)).expect_err("mismatch");
    assert_eq!(
        error,
        ValidationError::Image {
            index: 2,
            error: ImageError::TypeMismatch {
                declared: ImageFormat::Png,
                actual: ImageFormat::Jpeg
            }
        }
    );
    assert_eq!(
        error.api_message(),
        "Invalid parameters: Image 3 says it is PNG but its bytes are JPEG."
    );
    let big = data_uri("jpeg", ImageFormat::Jpeg, MAX_IMAGE_BYTES + 1);
    let error = with("image", Some(json!([URL, big]))).expect_err("big");
    assert!(
        error.to_string().starts_with("Image 2 is 10.1 MB;"),
        "{error}"
    );
    let error = with("image", Some(json!(["ftp://x.com/a.png"]))).expect_err("ftp");
    assert_eq!(error.field(), Some(Field::Image));
}

#[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
fn size_in_body() {
    for garbage in [
        "",
        "x",
        "2048",
        "2048x",
        "x2048",
        "-1x5",
        "+2048x2048",
        "2048 x 2048",
    ] {
        let error = with("size", Some(json!(garbage))).expect_err(garbage);
        assert!(matches!(error, ValidationError::SizeFormat(_)), "{garbage}");
        assert_eq!(error.field(), Some(Field::Size));
    }
    assert!(matches!(
        with("size", Some(json!("0x5000"))),
        Err(ValidationError::SizeFormat(SizeParseError::Zero { .. }))
    ));
    assert!(matches!(
        with("size", Some(json!("99999999999x1"))),
        Err(ValidationError::SizeFormat(SizeParseError::TooLarge { .. }))
    ));
    assert!(matches!(
        with("size", Some(json!("1919x1921"))),
        Err(ValidationError::Size(SizeError::TooFewPixels { .. }))
    ));
    assert!(with("size", Some(json!("2560x1440"))).is_ok());
    assert!(with("size", Some(json!("2547x4085"))).is_ok());
    assert!(matches!(
        with("size", Some(json!("3226x3226"))),
        Err(ValidationError::Size(SizeError::TooManyPixels { .. }))
    ));
    assert!(matches!(
        with("size", Some(json!("7681x480"))),
        Err(ValidationError::Size(SizeError::AspectTooWide { .. }))
    ));
    assert!(with("size", Some(json!("7680x480"))).is_ok());
    assert_eq!(
        with("size", Some(json!("2000x1000")))
            .expect_err("small")
            .api_message(),
        "Invalid parameters: 2000x1000 has 2,000,000 pixels; the minimum is 3,686,400 (2560x1440)."
    );
}

#[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
fn max_images_in_body() {
    let field = "sequential_image_generation_max_images";
    for bad in [json!(0), json!(16), json!(-1), json!(1000), json!(u64::MAX)] {
        let error = with(field, Some(bad.clone())).expect_err("range");
        assert!(
            matches!(
                error,
                ValidationError::Sequential(SequentialError::MaxImagesOutOfRange { .. })
            ),
            "{bad}"
        );
        assert_eq!(
            error.field(),
            Some(Field::SequentialImageGenerationMaxImages)
        );
    }
    assert!(with(field, Some(json!(1))).is_ok());
    // Disabled mode: 15 with one input is fine.
    assert!(with(field, Some(json!(15))).is_ok());
}

#[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
fn sum_rule_in_body() {
    let auto = |inputs: usize, max: Option<u64>| {
        let mut value = json!({
            "prompt": "p", "image": vec![URL; inputs], "sequential_image_generation": "auto"
        });
        if let Some(max) = max {
            value["sequential_image_generation_max_images"] = json!(max);
        }
        parse(value)
    };
    // Explicit: inputs + max at 15 passes, at 16 is refused naming both numbers.
    assert!(auto(1, Some(14)).is_ok());
    assert!(auto(14, Some(1)).is_ok());
    assert!(auto(3, Some(12)).is_ok());
    let error = auto(3, Some(13)).expect_err("16");
    assert_eq!(
        error,
        ValidationError::Sequential(SequentialError::TooManyTotal {
            inputs: 3,
            max_images: 13
        })
    );
    assert!(error.api_message().contains("3 input images + up to 13"));
    assert!(auto(1, Some(15)).is_err());
    // Absent: the default is an upper bound, filled with the effective limit.
    let filled = auto(3, None).expect("absent max is fine");
    assert_eq!(filled.sequential_image_generation_max_images, 12);
    assert_eq!(filled.max_outputs(), 12);
    let filled = auto(14, None).expect("absent max is fine");
    assert_eq!(filled.sequential_image_generation_max_images, 1);
}
