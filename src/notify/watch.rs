//! Watching the task store for ends: a notification for each edit (or whole batch)
//! that ends while the tab is hidden, and on the standalone page the title's counts.

use std::collections::HashSet;

use leptos::prelude::*;
use leptos_use::use_document_visibility;
use web_sys::VisibilityState;

use super::Notifier;
use super::decide;
use crate::batch::Batches;
use crate::batch::state::{Progress, TaskEnd};
use crate::history::RecordState;
use crate::i18n::{td_string, use_i18n};
use crate::locale;
use crate::tasks::{Announcement, Tasks};

/// The page is the studio's own, at the top of its tab: its title is the studio's to
/// change. An embedded instance never touches its host's title.
#[derive(Clone, Debug)]
pub struct Standalone {
    /// The title as the page set it.
    pub base_title: String,
}

impl Standalone {
    /// The standalone page's instance: its host is marked `data-standalone` (as
    /// `index.html`'s is) and the page is not in a frame.
    pub fn of(host: &web_sys::HtmlElement) -> Option<Standalone> {
        let window = web_sys::window()?;
        let on_top = super::browser::is_top(&window);
        let document = window.document()?;
        (host.has_attribute("data-standalone") && on_top).then(|| Standalone {
            base_title: document.title(),
        })
    }
}

/// Tells of ends through `notifier`, and keeps the standalone page's title.
pub fn watch(tasks: Tasks, batches: Batches, notifier: Notifier, standalone: Option<Standalone>) {
    let i18n = use_i18n();
    let visibility = use_document_visibility();
    let hidden = move || visibility.get_untracked() == VisibilityState::Hidden;
    // Edits that ended while the person looked elsewhere; seen once the tab shows.
    let unseen = RwSignal::new(0usize);
    Effect::new(move |_| {
        if visibility.get() == VisibilityState::Visible {
            unseen.set(0);
        }
    });
    let tell = move |tag: String, title: String, body: String| {
        let lang = locale::tag(i18n.get_locale_untracked());
        notifier.tell(&tag, &title, &body, lang, hidden());
    };

    // Each edit's end (a batch's edits are told of as one, below).
    Effect::new(move |before: Option<HashSet<String>>| {
        let (ended, unfinished) = tasks.with_entries(|entries| {
            decide::newly_ended(
                &before.unwrap_or_default(),
                entries
                    .iter()
                    .map(|entry| (entry.record.id.as_str(), entry.record.state.is_final())),
            )
        });
        for id in ended {
            if hidden() {
                unseen.update(|n| *n += 1);
            }
            if untrack(|| batches.item_of(&id)).is_some() {
                continue;
            }
            let Some((done, said)) = tasks.with_record_untracked(&id, |record| {
                let done = matches!(record.state, RecordState::Done { .. });
                (done, Announcement::of(record))
            }) else {
                continue;
            };
            let locale = i18n.get_locale_untracked();
            let title = if done {
                td_string!(locale, notify.edit).to_string()
            } else {
                td_string!(locale, notify.edit_problem).to_string()
            };
            tell(
                format!("seedream-studio:{id}"),
                title,
                said.describe(locale),
            );
        }
        unfinished
    });

    // A batch's end: every item ended.
    Effect::new(move |was_running: Option<Option<String>>| {
        let progress = batches.state.with(|state| {
            state.as_ref().map(|state| {
                let progress = Progress::of(&state.queue, |record| {
                    tasks.with_record(record, |r| TaskEnd::of(&r.state))
                });
                (state.id.clone(), progress)
            })
        });
        let running = progress
            .as_ref()
            .filter(|(_, progress)| !progress.ended())
            .map(|(id, _)| id.clone());
        if let (Some(Some(was)), Some((id, progress))) = (&was_running, &progress)
            && was == id
            && progress.ended()
        {
            let locale = i18n.get_locale_untracked();
            let n = |value: usize| locale::format::count(locale, value as f64);
            let (done, failed, total) = (n(progress.done), n(progress.failed), n(progress.total));
            let body = td_string!(locale, notify.batch_body, done, failed, total).to_string();
            let title = td_string!(locale, notify.batch).to_string();
            tell(format!("seedream-studio:batch-{id}"), title, body);
        }
        running
    });

    // The standalone page's title: edits running, and those finished unseen.
    if let Some(Standalone { base_title }) = standalone {
        Effect::new(move |_| {
            let title = decide::title(
                i18n.get_locale(),
                &base_title,
                tasks.unfinished_count(),
                unseen.get(),
            );
            if let Some(document) = web_sys::window().and_then(|w| w.document()) {
                document.set_title(&title);
            }
        });
    }
}
