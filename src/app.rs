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
                <EditForm state=form on_submit=move |request| tasks.submit(request, form.previews()) sending=tasks.sending />
                <TaskList
                    tasks
                    on_use_as_input=move |url| {
                        form.use_as_input(url);
                        bring_into_view(".edit-form .images");
                    }
                    on_edit_again=move |edit| {
                        form.restore(edit);
                        bring_into_view("#prompt");
                    }
                />
            </main>
        </div>
    }
}

/// Scrolls the form part that just changed into view and focuses it, so a user
/// acting in the task list (below the form on a phone) sees what happened.
fn bring_into_view(selector: &str) {
    let Some(element) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.query_selector(selector).ok().flatten())
    else {
        return;
    };
    element.scroll_into_view();
    if let Some(element) = wasm_bindgen::JsCast::dyn_ref::<web_sys::HtmlElement>(&element) {
        let _ = element.focus();
    }
}
