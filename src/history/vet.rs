//! Vetting records before they are rendered or stored.
//!
//! Storage is outside the app's control (another tab, an extension, a user in the
//! devtools can write anything there) and messages come from the network, so every
//! record read back or written goes through [`TaskRecord::sanitize`]: result URLs
//! must pass the contract's [`is_http_url`] before they can reach an `<img src>`,
//! and nothing that looks like image data is kept.

use seedream_contract::answer::MAX_ERROR_MESSAGE_CHARS;
use seedream_contract::is_http_url;

use super::record::TaskRecord;
use super::state::RecordState;
use crate::api::{ReadError, SubmitError, Unknown};

impl RecordState {
    /// The text the state holds that came from the network, to vet.
    fn network_text_mut(&mut self) -> Option<&mut String> {
        match self {
            Self::Failed { reason } => Some(reason),
            Self::NotAccepted(SubmitError::Rejected(error))
            | Self::NotAccepted(SubmitError::OutcomeUnknown(Unknown::Gateway { error, .. }))
            | Self::GaveUp(ReadError::Api { error, .. }) => Some(&mut error.message),
            _ => None,
        }
    }

    /// As [`RecordState::network_text_mut`], to read.
    fn network_text(&self) -> Option<&str> {
        match self {
            Self::Failed { reason } => Some(reason),
            Self::NotAccepted(SubmitError::Rejected(error))
            | Self::NotAccepted(SubmitError::OutcomeUnknown(Unknown::Gateway { error, .. }))
            | Self::GaveUp(ReadError::Api { error, .. }) => Some(&error.message),
            _ => None,
        }
    }
}

impl TaskRecord {
    /// Makes the record safe to render and small to store, returning whether
    /// anything changed: drops any input address that is not http(s) (a data URI),
    /// drops result URLs that fail [`is_http_url`] (counted as skipped), cuts
    /// the state's text from the network (a reason, an API message) at any embedded
    /// `data:` and to
    /// [`MAX_ERROR_MESSAGE_CHARS`], and replaces times JSON cannot hold.
    pub fn sanitize(&mut self) -> bool {
        let mut changed = false;
        // JSON has no NaN or infinity: such a time would be written as `null` and
        // make the record unreadable on the next load.
        if !self.submitted_at_ms.is_finite() {
            self.submitted_at_ms = 0.0;
            changed = true;
        }
        if self.finished_at_ms.is_some_and(|at| !at.is_finite()) {
            self.finished_at_ms = None;
            changed = true;
        }
        if self.updated_at_ms.is_some_and(|at| !at.is_finite()) {
            self.updated_at_ms = None;
            changed = true;
        }
        for input in &mut self.inputs {
            if input.url.as_deref().is_some_and(|url| !is_http_url(url)) {
                input.url = None;
                changed = true;
            }
        }
        match &mut self.state {
            RecordState::Done { results, skipped } => {
                let before = results.len();
                results.retain(|result| is_http_url(&result.url));
                let dropped = before - results.len();
                if dropped > 0 {
                    *skipped = skipped.saturating_add(dropped);
                    changed = true;
                }
            }
            state => {
                if let Some(text) = state.network_text_mut()
                    && let Some(clean) = clean_message(text)
                {
                    *text = clean;
                    changed = true;
                }
            }
        }
        changed
    }

    /// True when [`TaskRecord::sanitize`] would change nothing (checked without
    /// cloning, so saving clean records copies nothing).
    pub fn is_clean(&self) -> bool {
        let times_ok = self.submitted_at_ms.is_finite()
            && self.finished_at_ms.is_none_or(|at| at.is_finite())
            && self.updated_at_ms.is_none_or(|at| at.is_finite());
        let inputs_ok = self
            .inputs
            .iter()
            .all(|input| input.url.as_deref().is_none_or(is_http_url));
        let results_ok = match &self.state {
            RecordState::Done { results, .. } => {
                results.iter().all(|result| is_http_url(&result.url))
            }
            state => state
                .network_text()
                .is_none_or(|text| clean_message(text).is_none()),
        };
        times_ok && inputs_ok && results_ok
    }
}

/// A message fit to store, or `None` when it already is: messages come from the
/// network and could echo a request, so they are cut where a data URI starts
/// (`data:` followed directly by more text; "data: x" in prose is left alone) and
/// to the contract's longest kept message, the way the contract shortens it
/// ([`MAX_ERROR_MESSAGE_CHARS`] plus an ellipsis), so a shortened message stays
/// as it is on the next save.
fn clean_message(text: &str) -> Option<String> {
    // ASCII lowering keeps byte offsets, so positions are valid in `text`.
    let lower = text.to_ascii_lowercase();
    let data_uri_at = lower.match_indices("data:").map(|(at, _)| at).find(|&at| {
        text.get(at + 5..)
            .and_then(|rest| rest.chars().next())
            .is_some_and(|next| !next.is_whitespace())
    });
    let kept = text
        .get(..data_uri_at.unwrap_or(text.len()))
        .unwrap_or_default();
    let too_long = kept.chars().nth(MAX_ERROR_MESSAGE_CHARS + 1).is_some();
    if data_uri_at.is_none() && !too_long {
        return None;
    }
    let limited = match kept.char_indices().nth(MAX_ERROR_MESSAGE_CHARS) {
        Some((at, _)) if too_long => kept.get(..at).unwrap_or_default(),
        _ => kept,
    };
    let mut out = limited.trim_end().to_owned();
    out.push('…');
    Some(out)
}
