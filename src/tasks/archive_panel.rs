//! What the archive holds and what the browser allows, shown in the settings: the
//! budget the person sets (a share of the browser's quota), and persistent storage,
//! asked for when they press for it.

use gloo_storage::Storage as _;
use leptos::prelude::*;

use super::Tasks;
use crate::archive::quota::{self, Estimate};
use crate::archive::{Archive, ArchiveError};
use crate::i18n::{t, t_string, td_string, use_i18n};
use crate::ids::dom_id;
use crate::locale::format::{bytes, count};

/// The shares of the browser's quota a person can give the archive, in percent.
pub const BUDGET_SHARES: [u8; 4] = [10, 25, 50, 80];

/// The archive as the interface shows it: one home for its figures.
#[derive(Clone, Debug, PartialEq)]
pub struct ArchiveStatus {
    /// Whether the database is open; why not, when the browser refused it.
    pub open: Result<bool, ArchiveError>,
    /// Bytes of images kept (each image once).
    pub held_bytes: u64,
    /// True once `held_bytes` was counted from the archive (false until then).
    pub counted: bool,
    /// Tasks with images kept.
    pub held_tasks: usize,
    /// The share of the quota the archive may use, in percent.
    pub share: u8,
    /// The browser's estimate, asked once.
    pub estimate: Option<Estimate>,
    /// Whether the browser keeps this origin's storage until the person clears it.
    pub persisted: bool,
    /// Archived edits older than the list's oldest (see `older`).
    pub older: usize,
}

impl Default for ArchiveStatus {
    fn default() -> Self {
        ArchiveStatus {
            open: Ok(false),
            held_bytes: 0,
            counted: false,
            held_tasks: 0,
            share: quota::DEFAULT_SHARE_PERCENT,
            estimate: None,
            persisted: false,
            older: 0,
        }
    }
}

impl ArchiveStatus {
    /// The most bytes of images kept.
    pub fn budget(&self) -> u64 {
        self.estimate.map_or(quota::FALLBACK_BUDGET, |estimate| {
            estimate.share(self.share)
        })
    }
}

/// Where the person's budget share is remembered, beside the archive it applies to.
fn share_key(archive_name: &str) -> String {
    format!("{archive_name}.budget-share")
}

/// The remembered share, when it is one of [`BUDGET_SHARES`].
pub fn remembered_share(archive_name: &str) -> Option<u8> {
    let share: u8 = gloo_storage::LocalStorage::get(share_key(archive_name)).ok()?;
    BUDGET_SHARES.contains(&share).then_some(share)
}

impl Tasks {
    /// Reads what the archive holds into [`ArchiveStatus`].
    pub(super) fn refresh_archive_status(self) {
        let Some(archive) = self.archive() else {
            return;
        };
        leptos::task::spawn_local(async move {
            if let Ok(holdings) = archive.holdings().await {
                self.archive_status.try_update(|status| {
                    status.held_bytes = holdings.total();
                    status.counted = true;
                    status.held_tasks = holdings.tasks.len();
                });
            }
        });
    }

    fn set_share(self, share: u8) {
        self.archive_status.update(|status| status.share = share);
        let name = self
            .history
            .with_value(|store| Archive::name_for(store.key()));
        // Not remembered, it still applies until the page closes.
        let _ = gloo_storage::LocalStorage::set(share_key(&name), share);
    }
}

/// The archive's section of the settings.
#[component]
pub fn ArchivePanel(tasks: Tasks) -> impl IntoView {
    let i18n = use_i18n();
    let status = tasks.archive_status;
    let persist = Action::new_local(move |_: &()| async move {
        let granted = quota::persist().await;
        status.try_update(|status| status.persisted = granted);
        granted
    });
    let held = move || {
        let locale = i18n.get_locale();
        status.with(|s| {
            let size = bytes(locale, s.held_bytes);
            let tasks = count(locale, s.held_tasks as f64);
            let budget = bytes(locale, s.budget());
            td_string!(locale, settings.archive.held, size, tasks, budget).to_string()
        })
    };
    let allowed = move || {
        let locale = i18n.get_locale();
        status.with(|s| {
            s.estimate.map(|estimate| {
                let quota = bytes(locale, estimate.quota as u64);
                let used = bytes(locale, estimate.usage as u64);
                td_string!(locale, settings.archive.allowed, quota, used).to_string()
            })
        })
    };
    let refused = move || {
        status
            .with(|s| s.open.is_err())
            .then(|| t_string!(i18n, settings.archive.refused).to_string())
    };
    let share_options = BUDGET_SHARES
        .iter()
        .map(|&share| {
            let percent = share;
            view! {
                <option value=percent.to_string() selected=move || status.with(|s| s.share == share)>
                    {move || {
                        let percent = count(i18n.get_locale(), f64::from(percent));
                        t_string!(i18n, settings.archive.share, percent).to_string()
                    }}
                </option>
            }
        })
        .collect_view();
    view! {
        <section class="archive-settings" aria-labelledby=dom_id("archive-title")>
            <h2 id=dom_id("archive-title")>{t!(i18n, settings.archive.title)}</h2>
            <p role="status">{held}</p>
            <p class="hint">{allowed}</p>
            <p class="field-error" role="alert">{refused}</p>
            <div class="field">
                <label for=dom_id("archive-share")>{t!(i18n, settings.archive.budget_label)}</label>
                <select id=dom_id("archive-share") on:change=move |ev| {
                    let percent: Option<u8> = event_target_value(&ev).parse().ok();
                    if let Some(share) = percent.filter(|p| BUDGET_SHARES.contains(p)) {
                        tasks.set_share(share);
                    }
                }>
                    {share_options}
                </select>
            </div>
            <div class="actions">
                <button type="button" data-action="persist"
                    disabled=move || status.with(|s| s.persisted) || persist.pending().get()
                    on:click=move |_| { persist.dispatch_local(()); }>
                    {move || if status.with(|s| s.persisted) {
                        t_string!(i18n, settings.archive.persisted)
                    } else {
                        t_string!(i18n, settings.archive.persist)
                    }}
                </button>
                <p class="hint" role="status">{move || persist.value().get().map(|granted| if granted {
                    t_string!(i18n, settings.archive.persist_granted).to_string()
                } else {
                    t_string!(i18n, settings.archive.persist_refused).to_string()
                })}</p>
            </div>
        </section>
    }
}
