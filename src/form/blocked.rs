//! Why Edit (or Start) is closed: the first thing to fix, said beside it.

use seedream_contract::{ImageCountError, PromptError};

use super::SizeProblem;
use super::batch;
use crate::i18n::{Locale, td_string};
use crate::locale::format::count;
use crate::locale::validation;

/// Why Edit is closed: the first thing to fix, in the order the form reads.
#[derive(Clone, Debug, PartialEq)]
pub(super) enum Blocked {
    Images(ImageCountError),
    Prompt(PromptError),
    Size(SizeProblem),
    /// An edit is on its way.
    Sending,
    /// Batch mode with no image to edit.
    BatchEmpty,
    /// Batch mode with more shared images than leave room for Image 1.
    TooManyShared,
    /// A batch is still sending: one at a time.
    BatchRunning,
}

impl Blocked {
    pub(super) fn describe(&self, locale: Locale) -> String {
        match self {
            Blocked::Images(error) => validation::image_count(locale, error),
            Blocked::Prompt(error) => validation::prompt(locale, error),
            Blocked::Size(problem) => problem.describe(locale),
            Blocked::Sending => td_string!(locale, form.actions.sending).to_string(),
            Blocked::BatchEmpty => td_string!(locale, form.batch.empty).to_string(),
            Blocked::TooManyShared => {
                let max = count(locale, batch::MAX_SHARED as f64);
                td_string!(locale, form.batch.too_many_shared, max).to_string()
            }
            Blocked::BatchRunning => td_string!(locale, form.batch.running).to_string(),
        }
    }
}
