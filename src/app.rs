//! The page shell: the product header and the edit form.

use leptos::prelude::*;

use crate::form::EditForm;

#[component]
pub fn App() -> impl IntoView {
    view! {
        <div class="studio">
            <header class="studio-header">
                <h1 class="studio-title">"Seedream Studio"</h1>
                <p class="studio-tagline">
                    "Edit images with Seedream 5.0 Lite: give one to fourteen images and an instruction."
                </p>
            </header>
            <main class="studio-main">
                <EditForm />
            </main>
        </div>
    }
}
