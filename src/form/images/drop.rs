//! Files (or a link dragged from another page) dropped on the form.
//!
//! The whole form takes a drop, not only the drop zone: once images are added the zone
//! shrinks to a row, and a person dragging a file aims at the form they see.
//! [`FileDrop`] is bound to the form's drag events; the form shows it is a target
//! while something droppable is over it.

use leptos::prelude::*;
use web_sys::{DataTransfer, DragEvent};

use super::intake::{Intake, files_of};

/// The drop target's state and handlers. `Copy`, so each handler holds it.
#[derive(Clone, Copy)]
pub struct FileDrop {
    /// Where dropped images go (the batch's list in batch mode).
    intake: Signal<Intake>,
    /// True while something droppable is over the target.
    pub active: RwSignal<bool>,
    /// dragenter/dragleave fire for every child crossed; counted to know when the
    /// pointer really left.
    depth: RwSignal<u32>,
}

impl FileDrop {
    pub fn new(intake: Signal<Intake>) -> Self {
        Self {
            intake,
            active: RwSignal::new(false),
            depth: RwSignal::new(0),
        }
    }

    pub fn enter(self, ev: DragEvent) {
        if droppable(ev.data_transfer().as_ref()) {
            ev.prevent_default();
            self.depth.update(|d| *d = d.saturating_add(1));
            self.active.set(true);
        }
    }

    pub fn over(self, ev: DragEvent) {
        if let Some(transfer) = ev.data_transfer().filter(|t| droppable(Some(t))) {
            ev.prevent_default();
            transfer.set_drop_effect("copy");
        }
    }

    pub fn leave(self) {
        self.depth.update(|d| *d = d.saturating_sub(1));
        if self.depth.get_untracked() == 0 {
            self.active.set(false);
        }
    }

    pub fn drop(self, ev: DragEvent) {
        self.depth.set(0);
        self.active.set(false);
        let Some(transfer) = ev.data_transfer().filter(|t| droppable(Some(t))) else {
            return;
        };
        ev.prevent_default();
        let files = files_of(transfer.files());
        let intake = self.intake.get_untracked();
        if !files.is_empty() {
            intake.add_files(files);
        } else if let Some(url) = dropped_link(&transfer) {
            intake.add_url(url);
        }
    }
}

/// True for drags that carry files or a link.
fn droppable(transfer: Option<&DataTransfer>) -> bool {
    transfer.is_some_and(|t| carries_files(t) || t.types().includes(&"text/uri-list".into(), 0))
}

/// True when a drag or paste carries files.
pub fn carries_files(transfer: &DataTransfer) -> bool {
    transfer.types().includes(&"Files".into(), 0)
}

/// The first link of a `text/uri-list` (lines starting with `#` are comments).
fn dropped_link(transfer: &DataTransfer) -> Option<String> {
    let list = transfer.get_data("text/uri-list").ok()?;
    list.lines()
        .map(str::trim)
        .find(|line| !line.is_empty() && !line.starts_with('#'))
        .map(str::to_owned)
}
