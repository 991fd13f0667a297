//! The form's starting values: what a new form shows and "Reset" returns to. A page
//! may set them (the embedding options hold one), so they are a form type that
//! `embed` uses, and the form never needs to know about embedding.

use leptos::prelude::*;
use seedream_contract::{DEFAULT_MAX_IMAGES, OutputFormat, SequentialMode};

use super::{FormState, SizeChoice};

/// The values a form starts with.
#[derive(Clone, Debug, PartialEq)]
pub struct FormDefaults {
    pub size: SizeChoice,
    pub format: OutputFormat,
    pub sequential: SequentialMode,
    pub max_images: u8,
}

impl Default for FormDefaults {
    fn default() -> Self {
        FormDefaults {
            size: SizeChoice::default(),
            format: OutputFormat::Jpeg,
            sequential: SequentialMode::Disabled,
            max_images: DEFAULT_MAX_IMAGES,
        }
    }
}

impl FormState {
    /// An empty form with these defaults.
    pub fn with_defaults(defaults: &FormDefaults) -> FormState {
        let form = FormState::default();
        form.apply_defaults(defaults);
        form
    }

    /// Empties the form back to these defaults.
    pub fn reset(self, defaults: &FormDefaults) {
        self.prompt.set(String::new());
        self.intake.clear();
        self.batch.intake.clear();
        self.batch.mode.set(crate::form::Mode::Single);
        self.notice.set(None);
        self.apply_defaults(defaults);
    }

    fn apply_defaults(self, defaults: &FormDefaults) {
        self.size.set(defaults.size.clone());
        self.format.set(defaults.format);
        self.sequential.set(defaults.sequential);
        self.max_images.set(defaults.max_images);
    }
}
