//! The edit form as a user meets it: a message beside each field as it changes, Edit
//! closed with its reason, "Match Image 1", restoring an earlier edit, and typing
//! Chinese through an input method.
#![cfg(target_arch = "wasm32")]

use std::time::Duration;

use leptos::prelude::*;
use seedream_contract::{OutputFormat, SequentialMode};
use seedream_studio::form::images::InputImage;
use seedream_studio::form::{EditForm, FormState, SizeChoice};
use seedream_studio::history::EditAgain;
use seedream_studio::i18n::Locale;
use seedream_studio::media::Source;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use web_sys::{Element, HtmlButtonElement, HtmlElement};

wasm_bindgen_test_configure!(run_in_browser);

mod common;

struct Page {
    host: HtmlElement,
    form: FormState,
    sent: RwSignal<usize>,
    _mounted: Box<dyn std::any::Any>,
}

impl Page {
    fn mount() -> Page {
        let host = common::host();
        let form = FormState::default();
        let sent = RwSignal::new(0);
        let mounted = leptos::mount::mount_to(host.clone(), move || {
            // The app gives each instance its language; here it is English, as the
            // assertions are.
            seedream_studio::locale::provide(Locale::en);
            view! { <EditForm state=form on_submit=move |_| sent.update(|n| *n += 1) sending=false /> }
        });
        Page {
            host,
            form,
            sent,
            _mounted: Box::new(mounted),
        }
    }

    fn text(&self, selector: &str) -> String {
        self.host
            .query_selector(selector)
            .ok()
            .flatten()
            .and_then(|e| e.text_content())
            .unwrap_or_default()
    }

    fn find(&self, selector: &str) -> Element {
        self.host
            .query_selector(selector)
            .ok()
            .flatten()
            .unwrap_or_else(|| panic!("no {selector}"))
    }

    /// Types into the prompt as a user would (an `input` event, so it counts as touched).
    fn type_prompt(&self, text: &str) {
        let field = self.find("#prompt");
        js_sys::Reflect::set(&field, &"value".into(), &text.into()).expect("set the value");
        let init = web_sys::EventInit::new();
        init.set_bubbles(true);
        let event =
            web_sys::Event::new_with_event_init_dict("input", &init).expect("an input event");
        field.dispatch_event(&event).expect("dispatch");
    }

    fn edit_button(&self) -> HtmlButtonElement {
        self.host
            .query_selector("button[type=\"submit\"]")
            .ok()
            .flatten()
            .expect("an Edit button")
            .unchecked_into()
    }
}

fn url_image(width: u32, height: u32) -> InputImage {
    InputImage {
        id: seedream_studio::form::images::model::next_id(),
        source: Source::Url("https://example.com/photo.png".to_owned()),
        name: "photo.png".to_owned(),
        format: None,
        width: Some(width),
        height: Some(height),
        unreadable: false,
    }
}

async fn settle() {
    gloo_timers::future::sleep(Duration::from_millis(20)).await;
}

#[wasm_bindgen_test]
async fn edit_stays_closed_with_the_reason_until_the_form_is_valid() {
    let page = Page::mount();
    settle().await;
    assert!(page.edit_button().disabled());
    assert!(
        page.text(".blocked-reason").contains("image"),
        "first missing: an image"
    );

    page.form.intake.images.set(vec![url_image(1600, 900)]);
    settle().await;
    assert!(page.edit_button().disabled());
    assert!(
        page.text(".blocked-reason")
            .to_lowercase()
            .contains("prompt")
    );

    page.type_prompt(&"字".repeat(601));
    settle().await;
    assert!(
        page.text("#prompt-error").contains("600"),
        "the limit beside the prompt"
    );
    assert_eq!(page.text("#prompt-count"), "601 / 600");
    assert!(page.edit_button().disabled());

    page.type_prompt("把它变成水彩画");
    settle().await;
    assert_eq!(page.text("#prompt-error"), "");
    assert_eq!(page.text(".blocked-reason"), "");
    assert!(!page.edit_button().disabled());
    page.edit_button().click();
    settle().await;
    assert_eq!(page.sent.get_untracked(), 1);
}

#[wasm_bindgen_test]
async fn size_matches_image_1_and_explains_a_custom_size_out_of_bounds() {
    let page = Page::mount();
    page.form.intake.images.set(vec![url_image(1600, 900)]);
    page.form.size.set(SizeChoice::MatchFirstImage);
    settle().await;
    let expected = seedream_contract::nearest_valid_size(1600, 900);
    assert!(
        page.text("#size-note").starts_with(&expected.to_string()),
        "the note names the matched size {expected}: {}",
        page.text("#size-note")
    );

    page.form.size.set(SizeChoice::Custom {
        width: "100".to_owned(),
        height: "100".to_owned(),
    });
    settle().await;
    let note = page
        .host
        .query_selector("#size-note")
        .ok()
        .flatten()
        .expect("a size note");
    assert_eq!(note.class_name(), "field-error");
    assert!(page.edit_button().disabled());
    assert!(!page.text("#size-note").is_empty());
}

#[wasm_bindgen_test]
async fn edit_again_restores_every_field_and_says_what_is_missing() {
    let page = Page::mount();
    page.form.restore(EditAgain {
        prompt: "Put the hat from image 2 on image 1".to_owned(),
        images: vec![Source::Url("http://127.0.0.1:9/a.png".to_owned())],
        missing: vec![2],
        size: "2048x2048".to_owned(),
        sequential: SequentialMode::Auto,
        max_images: 4,
        output_format: OutputFormat::Png,
    });
    settle().await;
    assert_eq!(
        page.form.prompt.get_untracked(),
        "Put the hat from image 2 on image 1"
    );
    assert_eq!(
        page.form.size.get_untracked(),
        SizeChoice::Preset("2048x2048".parse().expect("a size"))
    );
    assert_eq!(page.form.sequential.get_untracked(), SequentialMode::Auto);
    assert_eq!(page.form.max_images.get_untracked(), 4);
    assert_eq!(page.form.format.get_untracked(), OutputFormat::Png);
    assert!(
        page.text(".form-notice")
            .contains("Image 2 was a local file")
    );

    // The address joins the list once checked (it cannot load here: it is added anyway).
    for _ in 0..200 {
        if page.form.intake.images.with_untracked(Vec::len) == 1 {
            break;
        }
        settle().await;
    }
    let sources: Vec<Source> = page
        .form
        .intake
        .images
        .with_untracked(|list| list.iter().map(|i| i.source.clone()).collect());
    assert_eq!(
        sources,
        [Source::Url("http://127.0.0.1:9/a.png".to_owned())]
    );

    // A size that is not a preset comes back as a custom size.
    page.form.restore(EditAgain {
        prompt: "p".to_owned(),
        images: vec![],
        missing: vec![],
        size: "1500x1700".to_owned(),
        sequential: SequentialMode::Disabled,
        max_images: 1,
        output_format: OutputFormat::Jpeg,
    });
    assert_eq!(
        page.form.size.get_untracked(),
        SizeChoice::Custom {
            width: "1500".to_owned(),
            height: "1700".to_owned()
        }
    );
}

/// `new <constructor>(kind, init)`, for events whose init dictionaries the crate's
/// web-sys features do not cover (`CompositionEvent`, `InputEvent`).
fn event(constructor: &str, kind: &str, init: &[(&str, JsValue)]) -> web_sys::Event {
    let class: js_sys::Function = js_sys::Reflect::get(&js_sys::global(), &constructor.into())
        .expect("a global constructor")
        .unchecked_into();
    let dict = js_sys::Object::new();
    for (key, value) in [("bubbles", JsValue::TRUE), ("cancelable", JsValue::TRUE)]
        .into_iter()
        .chain(init.iter().map(|(k, v)| (*k, v.clone())))
    {
        js_sys::Reflect::set(&dict, &key.into(), &value).expect("set a property");
    }
    let args = js_sys::Array::of2(&kind.into(), &dict);
    js_sys::Reflect::construct(&class, &args)
        .expect("constructs")
        .unchecked_into()
}

/// Enter as an input method sends it while a candidate is being picked.
fn composing_enter() -> web_sys::Event {
    event(
        "KeyboardEvent",
        "keydown",
        &[("key", "Enter".into()), ("isComposing", JsValue::TRUE)],
    )
}

#[wasm_bindgen_test]
async fn an_input_method_composing_chinese_neither_submits_nor_flashes_errors() {
    let page = Page::mount();
    page.form.intake.images.set(vec![url_image(1600, 900)]);
    // Two characters short of the limit: the pinyin typed next is longer than that.
    let start = "水".repeat(598);
    page.type_prompt(&start);
    settle().await;
    assert!(!page.edit_button().disabled());
    let field = page.find("#prompt");
    let dispatch = |event: web_sys::Event| {
        field.dispatch_event(&event).expect("dispatch");
    };
    let set_value = |text: &str| {
        js_sys::Reflect::set(&field, &"value".into(), &text.into()).expect("set the value");
    };

    dispatch(event(
        "CompositionEvent",
        "compositionstart",
        &[("data", "".into())],
    ));
    for partial in ["s", "shui", "shuic", "shuicai"] {
        set_value(&format!("{start}{partial}"));
        dispatch(event(
            "CompositionEvent",
            "compositionupdate",
            &[("data", partial.into())],
        ));
        dispatch(event(
            "InputEvent",
            "input",
            &[
                ("data", partial.into()),
                ("inputType", "insertCompositionText".into()),
                ("isComposing", JsValue::TRUE),
            ],
        ));
        settle().await;
        assert_eq!(
            page.text("#prompt-error"),
            "",
            "no error while composing {partial:?}"
        );
        assert_eq!(
            page.form.prompt.get_untracked(),
            start,
            "the pinyin is not the prompt"
        );
        assert!(!page.edit_button().disabled(), "Edit stays open");
    }
    // Enter picks the candidate: it must not submit the form.
    dispatch(composing_enter());
    set_value(&format!("{start}水彩"));
    // Chrome's order: the last input, still composing, then compositionend.
    dispatch(event(
        "InputEvent",
        "input",
        &[
            ("data", "水彩".into()),
            ("inputType", "insertCompositionText".into()),
            ("isComposing", JsValue::TRUE),
        ],
    ));
    dispatch(event(
        "CompositionEvent",
        "compositionend",
        &[("data", "水彩".into())],
    ));
    settle().await;
    assert_eq!(page.sent.get_untracked(), 0, "nothing was submitted");
    assert_eq!(page.form.prompt.get_untracked(), format!("{start}水彩"));
    assert_eq!(page.text("#prompt-count"), "600 / 600");
    assert_eq!(page.text("#prompt-error"), "");

    // In the address field, Enter picking a candidate does not add the address.
    let address = page.find("input[type=url]");
    js_sys::Reflect::set(&address, &"value".into(), &"https://example.com/图".into())
        .expect("set the value");
    address
        .dispatch_event(&event("InputEvent", "input", &[]))
        .expect("dispatch");
    address
        .dispatch_event(&composing_enter())
        .expect("dispatch");
    settle().await;
    assert_eq!(page.text(".image-pending"), "", "nothing is being checked");
    assert_eq!(page.form.intake.images.with_untracked(Vec::len), 1);
    assert_eq!(page.sent.get_untracked(), 0);
}

/// An image in the form, as the picker makes one.
fn input(source: Source, name: &str) -> InputImage {
    InputImage {
        id: seedream_studio::form::images::model::next_id(),
        source,
        name: name.to_owned(),
        format: Some(seedream_contract::ImageFormat::Png),
        width: Some(1),
        height: Some(1),
        unreadable: false,
    }
}

#[wasm_bindgen_test]
async fn a_file_the_browser_can_no_longer_read_is_marked_and_nothing_is_sent() {
    let page = Page::mount();
    let kept = common::local_png(common::ONE_PIXEL_PNG, "kept.png");
    let changed = common::local_png(common::ONE_PIXEL_PNG, "changed.png");
    // What the browser does once a picked file changed on disk: every read fails.
    let blob = changed.local().expect("a local image").blob().clone();
    let refuse =
        js_sys::Function::new_no_args("throw new DOMException('changed', 'NotReadableError');");
    js_sys::Reflect::set(&blob, &"slice".into(), &refuse).expect("install the refusal");
    let (kept, changed) = (input(kept, "kept.png"), input(changed, "changed.png"));
    let (kept_id, changed_id) = (kept.id, changed.id);
    page.form.intake.images.set(vec![kept, changed]);
    page.type_prompt("Put the hat from image 2 on image 1");
    settle().await;
    page.edit_button().click();
    for _ in 0..200 {
        if !page.text(".image-card-problem").is_empty() {
            break;
        }
        settle().await;
    }
    let problem = page.text(&format!(
        "[data-image-id='{changed_id}'] .image-card-problem"
    ));
    assert!(problem.contains("moved, changed or deleted"), "{problem:?}");
    assert_eq!(
        page.text(&format!("[data-image-id='{kept_id}'] .image-card-problem")),
        "",
        "only the file that changed is marked"
    );
    let error = page.text(".actions .field-error");
    assert!(
        error.contains("Nothing was sent") && error.contains("Image 2"),
        "{error:?}"
    );
    assert_eq!(page.sent.get_untracked(), 0, "the submit did not go out");
    assert!(!page.edit_button().disabled(), "Edit is open again");
}
