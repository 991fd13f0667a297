//! The prompt rule at every boundary, ASCII and Chinese.

use seedream_contract::{PROMPT_MAX_CHARS, PromptError, prompt_char_count, validate_prompt};

#[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
fn limit_is_600() {
    assert_eq!(PROMPT_MAX_CHARS, 600);
}

#[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
fn empty_and_whitespace_only_are_empty() {
    for prompt in ["", " ", "\t\n  \r", "\u{3000}\u{3000}", "\u{00A0}"] {
        assert_eq!(
            validate_prompt(prompt),
            Err(PromptError::Empty),
            "{prompt:?}"
        );
    }
}

#[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
fn one_character_is_valid() {
    assert_eq!(validate_prompt("a"), Ok(()));
    assert_eq!(validate_prompt("画"), Ok(()));
    assert_eq!(validate_prompt(" a "), Ok(()));
}

#[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
fn ascii_600_valid_601_not() {
    assert_eq!(validate_prompt(&"a".repeat(600)), Ok(()));
    assert_eq!(
        validate_prompt(&"a".repeat(601)),
        Err(PromptError::TooLong { chars: 601 })
    );
}

#[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
fn chinese_counts_characters_not_bytes() {
    let ok = "水".repeat(600);
    assert_eq!(ok.len(), 1800);
    assert_eq!(prompt_char_count(&ok), 600);
    assert_eq!(validate_prompt(&ok), Ok(()));
    assert_eq!(
        validate_prompt(&"水".repeat(601)),
        Err(PromptError::TooLong { chars: 601 })
    );
}

#[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
fn astral_characters_count_once() {
    assert_eq!(prompt_char_count("🎨"), 1);
    assert_eq!(validate_prompt(&"🎨".repeat(600)), Ok(()));
    assert!(validate_prompt(&"🎨".repeat(601)).is_err());
}

#[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
fn whitespace_counts_towards_length() {
    let prompt = format!("{}{}", "a".repeat(599), "  ");
    assert_eq!(
        validate_prompt(&prompt),
        Err(PromptError::TooLong { chars: 601 })
    );
}

#[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
fn messages() {
    assert_eq!(
        PromptError::TooLong { chars: 601 }.to_string(),
        "The prompt is 601 characters long; the limit is 600."
    );
    assert_eq!(
        PromptError::Empty.to_string(),
        "The prompt is empty; describe the edit you want."
    );
}
