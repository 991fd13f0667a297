//! How a card names a task's parameters, in the user's language.

use crate::history::TaskRecord;
use crate::i18n::Locale;
use crate::locale::params::Params;

/// "2 input images · 2048x2048 · JPEG, a set of up to 4".
pub fn params_line(locale: Locale, record: &TaskRecord) -> String {
    let size = record.size.to_string();
    let params = Params {
        inputs: record.inputs.len(),
        size: &size,
        format: record.output_format,
        sequential: record.sequential,
        max_images: record.max_images,
    };
    crate::locale::params::params_line(locale, &params)
}
