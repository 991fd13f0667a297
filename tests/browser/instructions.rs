//! The saved and recent instructions offered from the instruction field: opened from
//! the keyboard, filtered by what is typed, picked with Enter (never an input method's
//! Enter), removed, and saved with a name, in storage.

use leptos::prelude::*;
use seedream_studio::form::{EditForm, FormState, Refusal};
use seedream_studio::i18n::Locale;
use seedream_studio::instructions::{InstructionBook, SavedInstruction};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::wasm_bindgen_test;
use web_sys::HtmlElement;

use crate::common::{self, get, texts, until};
use crate::form::{composing_enter, event};

const KEY: &str = "test.instructions";

struct Page {
    host: HtmlElement,
    form: FormState,
    book: InstructionBook,
    _mounted: Box<dyn std::any::Any>,
}

impl Page {
    /// The form with a book of two recent instructions and one saved.
    async fn mount() -> Page {
        common::fresh_storage().await;
        let host = common::host();
        let form = FormState::default();
        let made = std::rc::Rc::new(std::cell::Cell::new(None));
        let mounted = leptos::mount::mount_to(host.clone(), {
            let made = std::rc::Rc::clone(&made);
            move || {
                seedream_studio::locale::provide(Locale::en);
                let recent = Signal::stored(vec![
                    "Make the sky purple".to_owned(),
                    "Turn it into a watercolour".to_owned(),
                ]);
                let book = InstructionBook::new(KEY.to_owned(), recent);
                provide_context(book);
                made.set(Some(book));
                view! {
                    <EditForm state=form on_press=move |_| {} pending=false
                        refusal=Signal::stored(None::<Refusal>) />
                }
            }
        });
        let book = made.take().expect("the book");
        book.save("Night", "Make it night").expect("saved");
        Page {
            host,
            form,
            book,
            _mounted: Box::new(mounted),
        }
    }

    fn field(&self) -> HtmlElement {
        get(&self.host, "#prompt")
    }

    fn type_text(&self, text: &str) {
        let field = self.field();
        js_sys::Reflect::set(&field, &"value".into(), &text.into()).expect("set the value");
        let init = web_sys::EventInit::new();
        init.set_bubbles(true);
        let input = web_sys::Event::new_with_event_init_dict("input", &init).expect("an event");
        field.dispatch_event(&input).expect("dispatch");
    }

    fn key(&self, key: &str, modifiers: &[&str]) {
        let init: Vec<(&str, JsValue)> = std::iter::once(("key", key.into()))
            .chain(modifiers.iter().map(|m| (*m, JsValue::TRUE)))
            .collect();
        self.field()
            .dispatch_event(&event("KeyboardEvent", "keydown", &init))
            .expect("dispatch");
    }

    fn offered(&self) -> Vec<String> {
        texts(&self.host, ".suggest:not([hidden]) .suggestion-text")
    }

    fn stored(&self) -> Vec<SavedInstruction> {
        let json = web_sys::window()
            .and_then(|w| w.local_storage().ok().flatten())
            .and_then(|s| s.get_item(KEY).ok().flatten())
            .unwrap_or_default();
        serde_json::from_str(&json).unwrap_or_default()
    }
}

#[wasm_bindgen_test]
async fn the_field_offers_saved_then_recent_filtered_as_typed_and_enter_fills_it() {
    let page = Page::mount().await;
    // Alt+Down opens the list: everything for an empty field, saved first.
    page.key("ArrowDown", &["altKey"]);
    until("all three offered", || {
        page.offered()
            == [
                "Make it night",
                "Make the sky purple",
                "Turn it into a watercolour",
            ]
    })
    .await;
    assert_eq!(
        texts(&page.host, ".suggestion-kind"),
        ["Saved", "Recent", "Recent"]
    );
    // Typing filters it.
    page.type_text("SKY");
    until("the one matching", || {
        page.offered() == ["Make the sky purple"]
    })
    .await;
    page.key("ArrowDown", &[]);
    until("the option to be active", || {
        page.field()
            .get_attribute("aria-activedescendant")
            .as_deref()
            == Some("prompt-suggestion-0")
    })
    .await;
    // An input method's Enter picks its candidate, not the option.
    page.field()
        .dispatch_event(&composing_enter())
        .expect("dispatch");
    common::after_pending_work().await;
    assert_eq!(page.form.prompt.get_untracked(), "SKY");
    page.key("Enter", &[]);
    until("Enter to fill the field", || {
        page.form.prompt.get_untracked() == "Make the sky purple"
    })
    .await;
    until("the list to close", || page.offered().is_empty()).await;
    until("the notice with Undo", || {
        texts(&page.host, ".form-notice p")
            == ["The instruction field now holds the one you picked."]
    })
    .await;
    get(&page.host, "[data-action=undo-instruction]").click();
    until("Undo to bring back what was typed", || {
        page.form.prompt.get_untracked() == "SKY"
    })
    .await;

    // Shift+Delete removes the active saved one, here and in storage.
    page.type_text("");
    page.key("ArrowDown", &[]);
    until("the saved one active", || {
        page.field()
            .get_attribute("aria-activedescendant")
            .as_deref()
            == Some("prompt-suggestion-0")
    })
    .await;
    page.key("Delete", &["shiftKey"]);
    until("the saved one gone", || {
        page.offered() == ["Make the sky purple", "Turn it into a watercolour"]
    })
    .await;
    assert!(page.stored().is_empty());
    page.key("Escape", &[]);
    until("Escape to close", || page.offered().is_empty()).await;
}

#[wasm_bindgen_test]
async fn save_names_the_instruction_and_keeps_it_in_storage() {
    let page = Page::mount().await;
    page.type_text("Paint it softly, in pastel colours and a warm evening light");
    let save = get(&page.host, "[data-action=save-instruction]");
    until("Save to open", || {
        !save
            .unchecked_ref::<web_sys::HtmlButtonElement>()
            .disabled()
    })
    .await;
    save.click();
    let name: web_sys::HtmlInputElement =
        get(&page.host, "#save-instruction-name").unchecked_into();
    until("the name to be its first words", || {
        name.value() == "Paint it softly, in pastel colours and…"
    })
    .await;
    name.set_value("Soft pastel");
    name.dispatch_event(&event("InputEvent", "input", &[]))
        .expect("dispatch");
    get(&page.host, "[data-action=confirm-save-instruction]").click();
    until("the save to be said", || {
        texts(&page.host, ".saved-note")
            == ["Saved as “Soft pastel”: it is offered from the instruction field."]
    })
    .await;
    let soft = SavedInstruction {
        name: "Soft pastel".to_owned(),
        text: "Paint it softly, in pastel colours and a warm evening light".to_owned(),
    };
    assert_eq!(page.stored().first(), Some(&soft));
    assert_eq!(page.book.saved.get_untracked().first(), Some(&soft));
    // Saved: the button now renames it.
    until("the button to say so", || {
        save.get_attribute("aria-label").as_deref() == Some("Rename saved instruction")
    })
    .await;
}
