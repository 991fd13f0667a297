//! A finished task's results in the page: the gallery, the lightbox's keyboard,
//! zoom and comparison, "Use as input" and "Edit again", and expiry.
#![cfg(target_arch = "wasm32")]

use std::time::Duration;

use gloo_storage::{LocalStorage, Storage};
use leptos::prelude::*;
use seedream_contract::EditRequest;
use seedream_studio::api::ApiConfig;
use seedream_studio::history::{
    EditAgain, HistoryStore, RESULT_TTL_MS, RecordState, ResultRecord, TaskRecord, now_ms,
};
use seedream_studio::i18n::Locale;
use seedream_studio::media::Source;
use seedream_studio::tasks::{CARDS_PER_PAGE, TaskList, Tasks};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use web_sys::{Element, HtmlElement, KeyboardEvent, KeyboardEventInit};

wasm_bindgen_test_configure!(run_in_browser);

mod common;
#[path = "results/migration.rs"]
mod migration;

const INPUT: &str = "https://example.com/input-1.png";

/// A done task, finished `ago_ms` before now, with `urls` as its results.
fn done_record(urls: &[&str], ago_ms: f64) -> TaskRecord {
    let request = EditRequest::new("Turn this into a watercolour", vec![INPUT.to_owned()]);
    let finished = now_ms() - ago_ms;
    let mut record = TaskRecord::from_request(&request, finished - 5_000.0);
    record.task_id = Some("task-0123abcd".to_owned());
    let results = urls
        .iter()
        .map(|url| ResultRecord {
            url: (*url).to_owned(),
            width: Some(2048),
            height: Some(2048),
            format: Some("jpeg".to_owned()),
        })
        .collect();
    record.set_state(
        RecordState::Done {
            results,
            skipped: 0,
        },
        finished,
    );
    record
}

struct Page {
    host: HtmlElement,
    used: RwSignal<Vec<String>>,
    restored: RwSignal<Vec<EditAgain>>,
    _mounted: Box<dyn std::any::Any>,
}

impl Page {
    /// The task list over a history holding `records`.
    fn mount(records: &[TaskRecord]) -> Page {
        LocalStorage::clear();
        HistoryStore::new()
            .save(records)
            .expect("the history fits in storage");
        Self::mount_stored()
    }

    /// The task list over the history storage holds now.
    fn mount_stored() -> Page {
        let host = common::host();
        let used = RwSignal::new(Vec::new());
        let restored = RwSignal::new(Vec::new());
        let mounted = leptos::mount::mount_to(host.clone(), move || {
            // Made inside the mount, as the app does: its listeners belong to the page.
            let tasks = Tasks::new(Signal::stored(ApiConfig::new("http://127.0.0.1:9", None)));
            // The app gives each instance its language; here, English.
            provide_context(leptos_i18n::context::init_i18n_subcontext::<Locale>(Some(
                Signal::stored(Locale::en),
            )));
            view! {
                <TaskList
                    tasks
                    on_use_as_input=move |url| used.update(|u| u.push(url))
                    on_edit_again=move |edit| restored.update(|r| r.push(edit))
                />
            }
        });
        Page {
            host,
            used,
            restored,
            _mounted: Box::new(mounted),
        }
    }

    fn find(&self, selector: &str) -> Option<Element> {
        self.host.query_selector(selector).ok().flatten()
    }

    fn get(&self, selector: &str) -> HtmlElement {
        self.find(selector)
            .unwrap_or_else(|| panic!("expected an element matching {selector}"))
            .unchecked_into()
    }

    fn text(&self, selector: &str) -> String {
        self.get(selector).text_content().unwrap_or_default()
    }

    fn count(&self, selector: &str) -> u32 {
        self.host
            .query_selector_all(selector)
            .map_or(0, |list| list.length())
    }

    fn dialog_open(&self) -> bool {
        self.get("dialog.lightbox").has_attribute("open")
    }

    fn press(&self, key: &str) {
        let init = KeyboardEventInit::new();
        init.set_key(key);
        init.set_bubbles(true);
        init.set_cancelable(true);
        let event = KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init)
            .expect("a keyboard event");
        self.get("dialog.lightbox")
            .dispatch_event(&event)
            .expect("dispatch");
    }

    fn click(&self, selector: &str) {
        self.get(selector).click();
    }
}

async fn settle() {
    gloo_timers::future::sleep(Duration::from_millis(30)).await;
}

#[wasm_bindgen_test]
async fn the_gallery_shows_each_safe_result_with_its_actions() {
    // An unsafe address from the network is never rendered, only counted.
    let record = done_record(
        &[
            "http://127.0.0.1:9/r/1.jpeg",
            "javascript:alert(1)",
            "http://127.0.0.1:9/r/3.jpeg",
        ],
        // Half a minute ago, so the time left is 23 h 59 min whatever the test's pace.
        30_000.0,
    );
    let page = Page::mount(&[record]);
    settle().await;
    assert_eq!(page.count(".gallery .result"), 2);
    assert!(
        page.text(".results")
            .contains("1 result(s) had an unsafe address")
    );
    assert!(
        page.text(".results")
            .contains("Results expire in 23 h 59 min.")
    );
    assert_eq!(page.text(".result-meta"), "2048 × 2048");
    let open = page.get(".result a[data-action=\"open\"]");
    assert_eq!(
        open.get_attribute("href").as_deref(),
        Some("http://127.0.0.1:9/r/1.jpeg")
    );
    assert_eq!(open.get_attribute("target").as_deref(), Some("_blank"));
    assert_eq!(
        open.get_attribute("rel").as_deref(),
        Some("noopener noreferrer")
    );
    for action in ["use-as-input", "download", "copy-link"] {
        assert!(
            page.find(&format!(".result button[data-action=\"{action}\"]"))
                .is_some(),
            "each result offers {action}"
        );
    }
}

#[wasm_bindgen_test]
async fn the_lightbox_moves_with_the_arrow_keys_zooms_and_compares() {
    let urls = [
        "http://127.0.0.1:9/r/1.jpeg",
        "http://127.0.0.1:9/r/2.jpeg",
        "http://127.0.0.1:9/r/3.jpeg",
    ];
    let page = Page::mount(&[done_record(&urls, 0.0)]);
    settle().await;
    assert!(!page.dialog_open());
    let second: HtmlElement = page
        .host
        .query_selector_all(".result-view")
        .expect("result buttons")
        .get(1)
        .expect("a second result")
        .unchecked_into();
    second.click();
    settle().await;
    assert!(page.dialog_open(), "a thumbnail opens the lightbox");
    assert_eq!(page.text(".lightbox-position"), "2 of 3");
    assert_eq!(
        page.get(".lightbox-image").get_attribute("src").as_deref(),
        Some(urls[1])
    );

    page.press("ArrowRight");
    settle().await;
    assert_eq!(page.text(".lightbox-position"), "3 of 3");
    page.press("ArrowRight");
    settle().await;
    assert_eq!(
        page.text(".lightbox-position"),
        "1 of 3",
        "the last wraps to the first"
    );
    page.press("ArrowLeft");
    settle().await;
    assert_eq!(page.text(".lightbox-position"), "3 of 3");
    assert_eq!(
        page.get(".lightbox-image").get_attribute("src").as_deref(),
        Some(urls[2])
    );

    let zoom = page.get(".lightbox [data-action=\"zoom\"]");
    assert_eq!(zoom.get_attribute("aria-pressed").as_deref(), Some("false"));
    zoom.click();
    settle().await;
    assert_eq!(zoom.get_attribute("aria-pressed").as_deref(), Some("true"));
    assert!(page.get(".lightbox-stage").class_list().contains("zoomed"));
    page.press("-");
    settle().await;
    assert_eq!(zoom.get_attribute("aria-pressed").as_deref(), Some("false"));

    // The input was an address, so it can be compared with.
    page.get(".lightbox [data-action=\"compare\"]").click();
    settle().await;
    assert_eq!(
        page.get(".compare-before").get_attribute("src").as_deref(),
        Some(INPUT)
    );
    assert_eq!(
        page.get(".compare-after").get_attribute("src").as_deref(),
        Some(urls[2])
    );
    let divider: web_sys::HtmlInputElement = page.get(".compare-divider").unchecked_into();
    assert_eq!(divider.value(), "50");

    page.get(".lightbox [data-action=\"close\"]").click();
    settle().await;
    assert!(!page.dialog_open(), "Close closes it");
    assert_eq!(page.count(".lightbox-image"), 0);
}

#[wasm_bindgen_test]
async fn use_as_input_and_edit_again_hand_the_form_what_it_needs() {
    let url = "http://127.0.0.1:9/r/1.jpeg";
    let page = Page::mount(&[done_record(&[url], 0.0)]);
    settle().await;
    page.get(".result [data-action=\"use-as-input\"]").click();
    assert_eq!(page.used.get_untracked(), [url]);

    page.get(".result-view").click();
    settle().await;
    page.get(".lightbox [data-action=\"use-as-input\"]").click();
    settle().await;
    assert_eq!(page.used.get_untracked(), [url, url]);
    assert!(
        !page.dialog_open(),
        "using a result closes the lightbox for the form"
    );

    page.get("[data-action=\"edit-again\"]").click();
    let restored = page.restored.get_untracked();
    assert_eq!(restored.len(), 1);
    assert_eq!(restored[0].prompt, "Turn this into a watercolour");
    assert_eq!(restored[0].images, [Source::Url(INPUT.to_owned())]);
    assert!(restored[0].missing.is_empty());
}

#[wasm_bindgen_test]
async fn expired_results_are_no_longer_shown() {
    let page = Page::mount(&[done_record(
        &["http://127.0.0.1:9/r/1.jpeg"],
        RESULT_TTL_MS + 1.0,
    )]);
    settle().await;
    assert_eq!(page.count(".gallery .result"), 0);
    assert!(page.text(".results").contains("Results expired"));
    assert!(page.find(".results .expired").is_some());
}

#[wasm_bindgen_test]
async fn a_long_history_shows_its_newest_cards_first_and_the_rest_on_request() {
    let older = 5;
    let total = CARDS_PER_PAGE + older;
    let records: Vec<TaskRecord> = (0..total as u32)
        .map(|i| {
            let mut record = done_record(&["http://127.0.0.1:9/r/1.jpeg"], 60_000.0 * f64::from(i));
            record.id = format!("record-{i:02}");
            record
        })
        .collect();
    let page = Page::mount(&records);
    settle().await;
    assert_eq!(page.count(".task-card"), CARDS_PER_PAGE as u32);
    let more = page.get(".show-more");
    assert_eq!(
        more.text_content().as_deref(),
        Some(format!("Show older edits ({older} more)").as_str())
    );
    more.click();
    settle().await;
    assert_eq!(page.count(".task-card"), total as u32);
    assert!(page.find(".show-more").is_none(), "nothing left to show");
}
