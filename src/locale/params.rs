//! A request's parameters in one line, in the user's language: the form's action bar
//! says what Edit will send, and each card what was sent, in the same words.

use seedream_contract::{OutputFormat, SequentialMode};

use crate::i18n::{Locale, td_string};
use crate::locale::format::count;

/// What the line names.
pub struct Params<'a> {
    pub inputs: usize,
    /// `WIDTHxHEIGHT`, or the text a record kept.
    pub size: &'a str,
    pub format: OutputFormat,
    pub sequential: SequentialMode,
    pub max_images: u8,
}

/// "2 input images · 2048x2048 · JPEG, a set of up to 4".
pub fn params_line(locale: Locale, params: &Params) -> String {
    let inputs = if params.inputs == 1 {
        td_string!(locale, tasks.params.inputs_one).to_string()
    } else {
        let count = count(locale, params.inputs as f64);
        td_string!(locale, tasks.params.inputs, count).to_string()
    };
    let set = match params.sequential {
        SequentialMode::Auto => {
            let count = count(locale, params.max_images);
            td_string!(locale, tasks.params.set, count).to_string()
        }
        SequentialMode::Disabled => String::new(),
    };
    let size = params.size;
    let format = params.format.as_str().to_uppercase();
    td_string!(locale, tasks.params.line, inputs, size, format, set).to_string()
}
