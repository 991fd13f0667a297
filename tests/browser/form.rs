//! The edit form as a user meets it: a message beside each field as it changes, Edit
//! closed with its reason, "Match Image 1", restoring an earlier edit, and typing
//! Chinese through an input method.

use leptos::prelude::*;
use seedream_contract::{OutputFormat, SequentialMode};
use seedream_studio::api::ApiConfig;
use seedream_studio::form::images::InputImage;
use seedream_studio::form::{
    EditAgain, EditForm, FormState, Outgoing, Refusal, RequestProblem, SizeChoice,
};
use seedream_studio::i18n::Locale;
use seedream_studio::media::Source;
use seedream_studio::tasks::{Press, Pressed, PressedIn, Tasks, form_refusal, presses};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::wasm_bindgen_test;
use web_sys::{HtmlButtonElement, HtmlElement};

use crate::common;

use crate::common::{get, text, texts, until};

/// Why Edit is closed while no image is given.
const NO_IMAGE: &str = "Add at least 1 image; an edit needs 1 to 14 images.";

struct Page {
    host: HtmlElement,
    form: FormState,
    /// How many times Edit handed on a request.
    sent: RwSignal<usize>,
    /// The app's own sending of those requests, when mounted with it.
    presses: Option<Action<Press, Pressed>>,
    _mounted: Box<dyn std::any::Any>,
}

impl Page {
    /// The form alone: Edit hands its request to a counter.
    fn mount() -> Page {
        let host = common::host();
        let form = FormState::default();
        let sent = RwSignal::new(0);
        let mounted = leptos::mount::mount_to(host.clone(), move || {
            // The app gives each instance its language; here it is English, as the
            // assertions are.
            seedream_studio::locale::provide(Locale::en);
            view! {
                <EditForm
                    state=form
                    on_press=move |_| sent.update(|n| *n += 1)
                    pending=false
                    refusal=Signal::stored(None::<Refusal>)
                />
            }
        });
        Page {
            host,
            form,
            sent,
            presses: None,
            _mounted: Box::new(mounted),
        }
    }

    /// The form with the app's sending behind Edit, as the app wires it (to an
    /// address that refuses connections).
    async fn mount_sending() -> Page {
        common::fresh_storage().await;
        let host = common::host();
        let form = FormState::default();
        let sent = RwSignal::new(0);
        let made = std::rc::Rc::new(std::cell::Cell::new(None));
        let mounted = leptos::mount::mount_to(host.clone(), {
            let made = std::rc::Rc::clone(&made);
            move || {
                seedream_studio::locale::provide(Locale::en);
                let config = ApiConfig::new("http://127.0.0.1:9", None);
                let presses = presses(Tasks::new(Signal::stored(config)));
                made.set(Some(presses));
                let press = move |outgoing: Outgoing| {
                    sent.update(|n| *n += 1);
                    presses.dispatch_local(Press {
                        request: outgoing.request,
                        origins: outgoing.origins,
                        from: PressedIn::Form {
                            image_ids: outgoing.image_ids,
                        },
                    });
                };
                view! {
                    <EditForm
                        state=form
                        on_press=press
                        pending=presses.pending()
                        refusal=form_refusal(presses)
                    />
                }
            }
        });
        Page {
            host,
            form,
            sent,
            presses: made.get(),
            _mounted: Box::new(mounted),
        }
    }

    fn text(&self, selector: &str) -> String {
        text(&self.host, selector)
    }

    /// Types into the prompt as a user would (an `input` event, so it counts as touched).
    fn type_prompt(&self, text: &str) {
        let field = get(&self.host, "#prompt");
        js_sys::Reflect::set(&field, &"value".into(), &text.into()).expect("set the value");
        let init = web_sys::EventInit::new();
        init.set_bubbles(true);
        let event =
            web_sys::Event::new_with_event_init_dict("input", &init).expect("an input event");
        field.dispatch_event(&event).expect("dispatch");
    }

    fn edit_button(&self) -> HtmlButtonElement {
        get(&self.host, "button[type=\"submit\"]").unchecked_into()
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
        from: None,
    }
}

#[wasm_bindgen_test]
async fn edit_stays_closed_with_the_reason_until_the_form_is_valid() {
    let page = Page::mount();
    until("Edit to say why it is closed", || {
        page.text(".blocked-reason") == NO_IMAGE
    })
    .await;
    assert!(page.edit_button().disabled());

    page.form.intake.images.set(vec![url_image(1600, 900)]);
    until("the reason to move on to the prompt", || {
        page.text(".blocked-reason") == "The prompt is empty; describe the edit you want."
    })
    .await;
    assert!(page.edit_button().disabled());

    page.type_prompt(&"字".repeat(601));
    until("the prompt's limit beside it", || {
        page.text("#prompt-error") == "The prompt is 601 characters long; the limit is 600."
    })
    .await;
    assert_eq!(page.text("#prompt-count"), "601 / 600");
    assert!(page.edit_button().disabled());

    page.type_prompt("把它变成水彩画");
    until("Edit to open", || !page.edit_button().disabled()).await;
    assert_eq!(page.text("#prompt-error"), "");
    assert_eq!(page.text(".blocked-reason"), "");
    page.edit_button().click();
    until("the edit to be handed on", || {
        page.sent.get_untracked() == 1
    })
    .await;
}

#[wasm_bindgen_test]
async fn size_matches_image_1_and_explains_a_custom_size_out_of_bounds() {
    let page = Page::mount();
    page.form.intake.images.set(vec![url_image(1600, 900)]);
    page.form.size.set(SizeChoice::MatchFirstImage);
    let expected = seedream_contract::nearest_valid_size(1600, 900);
    let megapixels = expected.pixels() as f64 / 1_000_000.0;
    let note = format!("{expected} · {megapixels:.1} megapixels");
    until(
        &format!("the note to name the matched size: {note}"),
        || page.text("#size-note") == note,
    )
    .await;

    page.form.size.set(SizeChoice::Custom {
        width: "100".to_owned(),
        height: "100".to_owned(),
    });
    let refusal = "100x100 has 10,000 pixels; the minimum is 3,686,400 (2560x1440).";
    until("the note to say why 100x100 cannot be used", || {
        page.text("#size-note") == refusal
    })
    .await;
    assert_eq!(get(&page.host, "#size-note").class_name(), "field-error");
    assert!(page.edit_button().disabled());
}

#[wasm_bindgen_test]
async fn edit_again_restores_every_field_and_says_what_is_missing() {
    let page = Page::mount();
    page.form.restore(EditAgain {
        prompt: "Put the hat from image 2 on image 1".to_owned(),
        images: vec![Source::Url("http://127.0.0.1:9/a.png".to_owned())],
        origins: vec![],
        missing: vec![1],
        size: Ok("2048x2048".parse().expect("a size")),
        sequential: SequentialMode::Auto,
        max_images: 4,
        output_format: OutputFormat::Png,
    });
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
    let notice = "The form now holds that edit: change what you like and press Edit. Image 2 \
                  was a local file that this browser did not keep, so it could not be restored. \
                  Add it again, and check that the prompt's image numbers still match.";
    until("the notice to name the image left out", || {
        texts(&page.host, ".form-notice p") == [notice]
    })
    .await;

    // The address joins the list once checked (it cannot load here: it is added anyway).
    until("the restored address to join the list", || {
        page.form.intake.images.with_untracked(Vec::len) == 1
    })
    .await;
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
        origins: vec![],
        missing: vec![],
        size: Ok("1500x1700".parse().expect("a size")),
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
pub(crate) fn event(constructor: &str, kind: &str, init: &[(&str, JsValue)]) -> web_sys::Event {
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
pub(crate) fn composing_enter() -> web_sys::Event {
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
    until("Edit to open", || !page.edit_button().disabled()).await;
    let field = get(&page.host, "#prompt");
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
        // Nothing may follow from the pinyin: once what it scheduled has run, there
        // is still no error and the prompt is unchanged.
        common::after_pending_work().await;
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
    until("the composed characters to join the prompt", || {
        page.text("#prompt-count") == "600 / 600"
    })
    .await;
    assert_eq!(page.form.prompt.get_untracked(), format!("{start}水彩"));
    assert_eq!(page.text("#prompt-error"), "");
    assert_eq!(page.sent.get_untracked(), 0, "nothing was submitted");

    // In the address field, Enter picking a candidate does not add the address.
    let address = get(&page.host, "input[type=url]");
    js_sys::Reflect::set(&address, &"value".into(), &"https://example.com/图".into())
        .expect("set the value");
    address
        .dispatch_event(&event("InputEvent", "input", &[]))
        .expect("dispatch");
    address
        .dispatch_event(&composing_enter())
        .expect("dispatch");
    // Nothing may start: once what the key scheduled has run, nothing is being read.
    common::after_pending_work().await;
    assert_eq!(
        texts(&page.host, ".image-pending li"),
        Vec::<String>::new(),
        "nothing is being checked"
    );
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
        from: None,
    }
}

#[wasm_bindgen_test]
async fn a_file_the_browser_can_no_longer_read_is_marked_and_nothing_is_sent() {
    let page = Page::mount_sending().await;
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
    until("Edit to open", || !page.edit_button().disabled()).await;
    page.edit_button().click();
    let changed_card = format!("[data-image-id='{changed_id}']");
    until("the changed file's card to say so", || {
        texts(&page.host, &format!("{changed_card} .image-card-problem")).concat()
            == "This file was moved, changed or deleted after it was added, so it cannot be \
                sent. Remove it and add it again."
    })
    .await;
    assert_eq!(
        texts(
            &page.host,
            &format!("[data-image-id='{kept_id}'] .image-card-problem")
        )
        .concat(),
        "",
        "only the file that changed is marked"
    );
    assert_eq!(
        page.text(".actions .field-error"),
        "Nothing was sent: Image 2 could not be read (moved, changed or deleted after it was \
         added). Remove it and add it again."
    );
    assert_eq!(page.sent.get_untracked(), 1, "one press");
    let presses = page.presses.expect("mounted with sending");
    assert_eq!(
        presses.value().get_untracked(),
        Some(Err((
            PressedIn::Form {
                image_ids: vec![kept_id, changed_id]
            },
            RequestProblem::Unreadable(vec![1])
        ))),
        "the submit did not go out"
    );
    until("Edit to open again", || !page.edit_button().disabled()).await;
}

#[wasm_bindgen_test]
async fn references_follow_the_images_when_one_moves_or_goes_with_undo() {
    let page = Page::mount();
    page.form
        .intake
        .images
        .set(vec![url_image(800, 600), url_image(640, 480)]);
    page.type_prompt("put the hat from Image 2 on the person in image 1");
    until("the images' cards", || {
        texts(&page.host, ".image-card").len() == 2
    })
    .await;
    let click = |selector: &str| {
        get(&page.host, selector)
            .dyn_into::<HtmlElement>()
            .expect("a button")
            .click();
    };
    click(".image-card:nth-child(2) .image-earlier");
    until("the instruction to follow the move", || {
        page.form.prompt.get_untracked() == "put the hat from Image 1 on the person in image 2"
    })
    .await;
    until("the notice to say so", || {
        texts(&page.host, ".form-notice p")
            == ["The instruction now names the images by their new positions (2 references changed)."]
    })
    .await;
    click("[data-action=undo-instruction]");
    until("Undo to put the words back", || {
        page.form.prompt.get_untracked() == "put the hat from Image 2 on the person in image 1"
    })
    .await;

    // A removed image's references are marked, never deleted; the rest move up.
    click(".image-card:nth-child(1) .image-remove");
    until("the removed image's reference to be marked", || {
        page.form.prompt.get_untracked() == "put the hat from Image 1 on the person in image ?"
    })
    .await;
    until("the notice to explain the mark", || {
        texts(&page.host, ".form-notice p")
            == ["The instruction now names the images by their new positions (1 reference changed). \
                1 reference named the removed image and is now marked “?”: say which image you mean."]
    })
    .await;
}

#[wasm_bindgen_test]
async fn edit_says_the_most_images_it_can_make_and_with_a_price_their_cost() {
    use seedream_studio::form::cost::{Price, PriceSetting};
    let host = common::host();
    let form = FormState::default();
    let _mounted = leptos::mount::mount_to(host.clone(), move || {
        seedream_studio::locale::provide(Locale::en);
        provide_context(PriceSetting(Some(Price {
            per_image: 0.035,
            currency: Some("USD".to_owned()),
        })));
        view! {
            <EditForm
                state=form
                on_press=move |_| {}
                pending=false
                refusal=Signal::stored(None::<Refusal>)
            />
        }
    });
    form.intake.images.set(vec![url_image(800, 600)]);
    until("one image's cost", || {
        text(&host, ".request-cost") == "Up to 1 image · at most USD 0.035"
    })
    .await;
    form.sequential.set(SequentialMode::Auto);
    form.max_images.set(4);
    until("a set's cost", || {
        text(&host, ".request-cost") == "Up to 4 images · at most USD 0.140"
    })
    .await;
}
