//! A finished task's results: the gallery, how long it lasts, and what can be done
//! with each image.

use leptos::prelude::*;
use leptos_i18n::I18nContext;

use super::expiry::expiry_text;
use super::kept_src::result_src;
use super::result_actions::{ResultActions, Viewing};
use super::result_toolbar::{ResultToolbar, Subject};
use super::share;
use crate::history::{Kept, RecordState, ResultRecord, TaskRecord};
use crate::i18n::{Locale, t_string, td_string, use_i18n};
use crate::locale::format::count;

/// The gallery of a done record, or nothing for any other state.
pub fn results(record: &TaskRecord, now: Signal<f64>, actions: ResultActions) -> Option<AnyView> {
    let RecordState::Done { results, skipped } = &record.state else {
        return None;
    };
    let i18n = use_i18n();
    let shown = record.state.shown_results();
    let skipped = skipped + results.len() - shown.len();
    let (expiring, expired) = (record.clone(), record.clone());
    // A kept task's results outlive their links.
    let kept = record.kept == Kept::Yes;
    let expired = Memo::new(move |_| !kept && expired.is_expired(now.get()));
    let name = record.task_id.clone().unwrap_or_else(|| record.id.clone());
    let id = record.id.clone();
    let tiles: Vec<Tile> = shown
        .into_iter()
        .enumerate()
        .map(|(index, result)| Tile {
            record: id.clone(),
            file_name: share::file_name(&name, index, &result),
            src: result_src(actions.tasks, kept, &record.id, index, result.url.clone()),
            index,
            result,
        })
        .collect();
    Some(
        view! {
            <div class="results">
                <p class="hint" class:expired=expired class:kept=kept>{move || expiry_text(&expiring, i18n.get_locale(), now.get())}</p>
                <Show when=move || !expired.get()>
                    <ul class="gallery">
                        {tiles.iter().cloned().map(|tile| tile.view(i18n, actions)).collect_view()}
                    </ul>
                </Show>
                {(skipped > 0).then(|| view! {
                    <p class="hint">{move || {
                        let count = count(i18n.get_locale(), skipped as f64);
                        t_string!(i18n, results.skipped, count).to_string()
                    }}</p>
                })}
            </div>
        }
        .into_any(),
    )
}

/// One result in the gallery.
#[derive(Clone)]
struct Tile {
    record: String,
    index: usize,
    result: ResultRecord,
    file_name: String,
    /// The kept copy's address, or the link.
    src: Signal<Option<String>>,
}

impl Tile {
    fn view(self, i18n: I18nContext<Locale>, actions: ResultActions) -> impl IntoView {
        let Tile {
            record,
            index,
            result,
            file_name,
            src,
        } = self;
        // The number as the language writes it, for labels.
        let number = move || count(i18n.get_locale(), (index + 1) as f64);
        let dims = result.clone();
        let link = result.url.clone();
        let subject = Subject {
            record: record.clone(),
            index,
            url: result.url.clone(),
            file_name,
        };
        let open = move |_| {
            actions.view.set(Some(Viewing {
                record: record.clone(),
                index,
            }))
        };
        view! {
            // The link, whatever the image is shown from (devtools, tests).
            <li class="result" data-link=link>
                <button type="button" class="result-view" aria-label=move || t_string!(i18n, results.tile.view, number = number()).to_string() on:click=open>
                    <img
                        src=move || src.get()
                        alt=move || t_string!(i18n, results.tile.alt, number = number()).to_string()
                        loading="lazy"
                        decoding="async"
                        referrerpolicy="no-referrer"
                        width=result.width.map(|w| w.to_string())
                        height=result.height.map(|h| h.to_string())
                    />
                </button>
                <span class="result-meta">{move || dimensions(i18n.get_locale(), &dims)}</span>
                <ResultToolbar actions subject src />
            </li>
        }
    }
}

/// "2048 × 2048", or that the service did not say, in `locale`. Pixel counts are
/// written without grouping, as sizes are ("2048x2048").
pub fn dimensions(locale: Locale, result: &ResultRecord) -> String {
    match (result.width, result.height) {
        (Some(width), Some(height)) => {
            td_string!(locale, results.dimensions, width, height).to_string()
        }
        _ => td_string!(locale, results.size_unknown).to_string(),
    }
}
