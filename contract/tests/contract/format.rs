//! Output format and prompt mode: closed sets, exact wire spellings, defaults.

use seedream_contract::{OptimizePromptMode, OutputFormat};

#[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
fn output_format() {
    assert_eq!(OutputFormat::default(), OutputFormat::Jpeg);
    assert_eq!(
        serde_json::to_string(&OutputFormat::Png).expect("ser"),
        "\"png\""
    );
    assert_eq!(
        serde_json::from_str::<OutputFormat>("\"jpeg\"").expect("de"),
        OutputFormat::Jpeg
    );
    for bad in ["\"jpg\"", "\"JPEG\"", "\"gif\"", "1"] {
        assert!(serde_json::from_str::<OutputFormat>(bad).is_err(), "{bad}");
    }
    assert_eq!(OutputFormat::parse("png"), Some(OutputFormat::Png));
    assert_eq!(OutputFormat::parse("webp"), None);
    assert_eq!(OutputFormat::WIRE_VALUES, ["jpeg", "png"]);
    assert_eq!(OutputFormat::Jpeg.mime_type(), "image/jpeg");
    assert_eq!(OutputFormat::Jpeg.extension(), "jpg");
    assert_eq!(OutputFormat::Png.as_str(), "png");
}

#[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
fn optimize_prompt_mode() {
    assert_eq!(OptimizePromptMode::default(), OptimizePromptMode::Standard);
    assert_eq!(
        serde_json::to_string(&OptimizePromptMode::Standard).expect("ser"),
        "\"standard\""
    );
    assert!(serde_json::from_str::<OptimizePromptMode>("\"fast\"").is_err());
    assert_eq!(
        OptimizePromptMode::parse("standard"),
        Some(OptimizePromptMode::Standard)
    );
    assert_eq!(OptimizePromptMode::parse("creative"), None);
    assert_eq!(OptimizePromptMode::Standard.as_str(), "standard");
}
