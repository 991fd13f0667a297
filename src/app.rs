//! The page shell: the product header, the edit form and the edits it produced.

use leptos::prelude::*;

use crate::form::{EditForm, FormState};
use crate::settings::{self, SettingsPanel};
use crate::tasks::{TaskList, Tasks};

#[component]
pub fn App() -> impl IntoView {
    // Same origin unless the user chose otherwise: the page is served beside the mock or
    // the key-holding proxy.
    let (saved, remembered) = settings::load();
    let config = RwSignal::new(saved);
    let remember = RwSignal::new(remembered);
    let tasks = Tasks::new(config.into());
    let form = FormState::default();
    view! {
        <div class="studio">
            <header class="studio-header">
                <h1 class="studio-title">"Seedream Studio"</h1>
                <p class="studio-tagline">
                    "Edit images with Seedream 5.0 Lite: give one to fourteen images and an instruction."
                </p>
                <SettingsPanel config remember />
            </header>
            <main class="studio-main">
                <EditForm state=form on_submit=move |request| tasks.submit(request) sending=tasks.sending />
                <TaskList tasks />
            </main>
        </div>
    }
}
