//! How a card names a task's parameters, in the user's language.

use seedream_contract::SequentialMode;

use crate::history::TaskRecord;
use crate::i18n::{Locale, td_string};
use crate::locale::format::count;

/// "2 input images · 2048x2048 · JPEG, a set of up to 4".
pub fn params_line(locale: Locale, record: &TaskRecord) -> String {
    let number = record.inputs.len();
    let inputs = if number == 1 {
        td_string!(locale, tasks.params.inputs_one).to_string()
    } else {
        let count = count(locale, number as f64);
        td_string!(locale, tasks.params.inputs, count).to_string()
    };
    let set = match record.sequential {
        SequentialMode::Auto => {
            let count = count(locale, record.max_images);
            td_string!(locale, tasks.params.set, count).to_string()
        }
        SequentialMode::Disabled => String::new(),
    };
    let size = record.size.to_string();
    let format = record.output_format.as_str().to_uppercase();
    td_string!(locale, tasks.params.line, inputs, size, format, set).to_string()
}
