//! The prompt rule: 1 to 600 characters, counted as Unicode characters.
//!
//! The contract counts characters, not bytes, because Chinese prompts are common:
//! 600 Chinese characters are 1,800 UTF-8 bytes and still valid. We count Unicode
//! scalar values (`str::chars`), the same unit JavaScript-free Rust code and the
//! server agree on. A prompt made only of whitespace carries no instruction, so it
//! is treated as empty even though its length is not zero.

/// The longest prompt the contract accepts, in Unicode characters.
pub const PROMPT_MAX_CHARS: usize = 600;

/// Why a prompt is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PromptError {
    /// Empty, or only whitespace.
    #[error("The prompt is empty; describe the edit you want.")]
    Empty,
    /// Longer than [`PROMPT_MAX_CHARS`].
    #[error("The prompt is {chars} characters long; the limit is {PROMPT_MAX_CHARS}.")]
    TooLong {
        /// The prompt's length in Unicode characters.
        chars: usize,
    },
}

/// The prompt's length as the contract counts it: Unicode scalar values.
pub fn prompt_char_count(prompt: &str) -> usize {
    prompt.chars().count()
}

/// Checks the prompt rule: not empty or whitespace-only, at most 600 characters.
pub fn validate_prompt(prompt: &str) -> Result<(), PromptError> {
    if prompt.trim().is_empty() {
        return Err(PromptError::Empty);
    }
    let chars = prompt_char_count(prompt);
    if chars > PROMPT_MAX_CHARS {
        return Err(PromptError::TooLong { chars });
    }
    Ok(())
}
