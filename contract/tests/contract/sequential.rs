//! Sequential generation: modes, the max-images range and the 15-image budget.

use SequentialMode::{Auto, Disabled};
use seedream_contract::sequential::{default_max_images, validate_max_images, validate_sequential};
use seedream_contract::{
    DEFAULT_MAX_IMAGES, MAX_IMAGES_RANGE, MAX_TOTAL_IMAGES, SequentialError, SequentialMode,
    effective_max_outputs, max_images_limit,
};

#[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
fn constants_and_serde() {
    assert_eq!(MAX_TOTAL_IMAGES, 15);
    assert_eq!(MAX_IMAGES_RANGE, 1..=15);
    assert_eq!(DEFAULT_MAX_IMAGES, 15);
    assert_eq!(SequentialMode::default(), Disabled);
    assert_eq!(serde_json::to_string(&Auto).expect("ser"), "\"auto\"");
    assert_eq!(
        serde_json::to_string(&Disabled).expect("ser"),
        "\"disabled\""
    );
    assert_eq!(
        serde_json::from_str::<SequentialMode>("\"auto\"").expect("de"),
        Auto
    );
    assert!(serde_json::from_str::<SequentialMode>("\"Auto\"").is_err());
    assert_eq!(SequentialMode::parse("disabled"), Some(Disabled));
    assert_eq!(SequentialMode::parse("on"), None);
    assert_eq!(Auto.as_str(), "auto");
}

#[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
fn max_images_range() {
    for bad in [
        0i128,
        16,
        -1,
        255,
        256,
        i128::from(i64::MIN),
        i128::from(u64::MAX),
    ] {
        assert_eq!(
            validate_max_images(bad),
            Err(SequentialError::MaxImagesOutOfRange { value: bad })
        );
    }
    assert_eq!(validate_max_images(1), Ok(1));
    assert_eq!(validate_max_images(15), Ok(15));
    assert_eq!(
        SequentialError::MaxImagesOutOfRange { value: 16 }.to_string(),
        "The maximum number of generated images must be between 1 and 15; 16 is not."
    );
}

#[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
fn range_applies_in_both_modes() {
    for mode in [Auto, Disabled] {
        assert!(validate_sequential(mode, 0, 1).is_err());
        assert!(validate_sequential(mode, 16, 1).is_err());
        assert!(validate_sequential(mode, 1, 1).is_ok());
    }
}

#[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
fn sum_rule_in_auto_mode() {
    assert_eq!(validate_sequential(Auto, 14, 1), Ok(()));
    assert_eq!(
        validate_sequential(Auto, 15, 1),
        Err(SequentialError::TooManyTotal {
            inputs: 1,
            max_images: 15
        })
    );
    assert_eq!(validate_sequential(Auto, 1, 14), Ok(()));
    assert!(validate_sequential(Auto, 2, 14).is_err());
    assert_eq!(validate_sequential(Auto, 12, 3), Ok(()));
    assert_eq!(
        validate_sequential(Auto, 13, 3)
            .expect_err("16")
            .to_string(),
        "3 input images + up to 13 generated images makes 16; the total may be at most 15, so \
         allow at most 12 generated images."
    );
    assert_eq!(
        validate_sequential(Auto, 15, 1)
            .expect_err("16")
            .to_string(),
        "1 input image + up to 15 generated images makes 16; the total may be at most 15, so \
         allow at most 14 generated images."
    );
}

#[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
fn sum_not_checked_when_disabled() {
    assert_eq!(validate_sequential(Disabled, 15, 14), Ok(()));
}

#[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
fn limits_and_effective_outputs() {
    assert_eq!(max_images_limit(0), 15);
    assert_eq!(max_images_limit(1), 14);
    assert_eq!(max_images_limit(14), 1);
    assert_eq!(max_images_limit(15), 0);
    assert_eq!(max_images_limit(usize::MAX), 0);

    assert_eq!(default_max_images(Auto, 3), 12);
    assert_eq!(default_max_images(Auto, 14), 1);
    assert_eq!(default_max_images(Auto, 15), 1);
    assert_eq!(default_max_images(Disabled, 3), 15);

    assert_eq!(effective_max_outputs(Disabled, None, 3), 1);
    assert_eq!(effective_max_outputs(Disabled, Some(10), 3), 1);
    assert_eq!(effective_max_outputs(Auto, None, 3), 12);
    assert_eq!(effective_max_outputs(Auto, None, 1), 14);
    assert_eq!(effective_max_outputs(Auto, Some(4), 3), 4);
    assert_eq!(effective_max_outputs(Auto, Some(15), 3), 12);
    assert_eq!(effective_max_outputs(Auto, None, 15), 0);
    assert_eq!(effective_max_outputs(Auto, None, 100), 0);
}
