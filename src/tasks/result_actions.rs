//! What a result can be used for, shared by the gallery, its toolbar and the
//! lightbox: which result the lightbox shows, and the actions' signals and callbacks.

use leptos::prelude::*;

use super::Tasks;
use super::share::{Share, ShareOutcome};
use crate::media::{FromResult, Source};

/// Which image the lightbox shows.
#[derive(Clone, Debug, PartialEq)]
pub struct Viewing {
    /// The record's local id.
    pub record: String,
    /// The result's position among the record's shown results
    /// ([`crate::history::RecordState::shown_results`]).
    pub index: usize,
}

/// What a result can be used for beyond the page; shared by the gallery and the
/// lightbox.
#[derive(Clone, Copy)]
pub struct ResultActions {
    /// Adds a result to the form as the next input image: its address, or its kept
    /// bytes once the address has expired.
    pub use_as_input: Callback<(Source, FromResult)>,
    /// Opens the lightbox.
    pub view: WriteSignal<Option<Viewing>>,
    /// Downloads or copies a result of a record; the outcome becomes the record's
    /// note, and is the action's value for the lightbox to show.
    pub share: Action<(String, Share), ShareOutcome>,
    /// Where kept results are read from.
    pub tasks: Tasks,
}

/// Adds result `index` of record `record` to the form: resolved first, since after
/// its link expires it is the kept copy that goes.
pub fn use_result(actions: ResultActions, record: &str, index: usize, link: &str, name: &str) {
    let from = FromResult {
        record: record.to_owned(),
        index,
    };
    let (link, name) = (link.to_owned(), name.to_owned());
    leptos::task::spawn_local(async move {
        let source = actions.tasks.result_as_input(&from, link, name).await;
        actions.use_as_input.run((source, from));
    });
}
