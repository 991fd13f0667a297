//! A finished task's results in the page: the gallery, the lightbox's keyboard,
//! buttons, zoom and comparison, "Use as input" and "Edit again", and expiry. (Real
//! key presses reaching the open lightbox, its real images and Escape closing it:
//! the end-to-end test `results::the_lightbox_follows_the_keyboard_and_compares`.)

use leptos::prelude::*;
use seedream_contract::EditRequest;
use seedream_studio::api::ApiConfig;
use seedream_studio::form::EditAgain;
use seedream_studio::history::{
    HistoryStore, RESULT_TTL_MS, RecordState, ResultRecord, TaskRecord, now_ms,
};
use seedream_studio::i18n::Locale;
use seedream_studio::media::{FromResult, Source};
use seedream_studio::tasks::{CARDS_PER_PAGE, TaskList, Tasks, presses};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::wasm_bindgen_test;
use web_sys::{HtmlElement, KeyboardEvent, KeyboardEventInit};

use crate::common;
mod migration;

use crate::common::{all, count, find, get, text, texts, until, until_eq};

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
    used: RwSignal<Vec<(Source, FromResult)>>,
    restored: RwSignal<Vec<EditAgain>>,
    _mounted: Box<dyn std::any::Any>,
}

impl Page {
    /// The task list over a history holding `records`.
    async fn mount(records: &[TaskRecord]) -> Page {
        common::fresh_storage().await;
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
            seedream_studio::locale::provide(Locale::en);
            view! {
                <TaskList
                    tasks
                    presses=presses(tasks)
                    on_use_as_input=move |used_result| used.update(|u| u.push(used_result))
                    on_edit_again=move |edit| restored.update(|r| r.push(edit))
                    on_example=|_| ()
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

    fn text(&self, selector: &str) -> String {
        text(&self.host, selector)
    }

    fn count(&self, selector: &str) -> usize {
        count(&self.host, selector)
    }

    fn dialog_open(&self) -> bool {
        get(&self.host, "dialog.lightbox").has_attribute("open")
    }

    /// The lightbox's position ("2 of 3") and the address of the image it shows.
    fn showing(&self) -> (String, Option<String>) {
        (
            texts(&self.host, ".lightbox-position").concat(),
            find(&self.host, ".lightbox-image").and_then(|img| img.get_attribute("src")),
        )
    }

    fn press(&self, key: &str) {
        let init = KeyboardEventInit::new();
        init.set_key(key);
        init.set_bubbles(true);
        init.set_cancelable(true);
        let event = KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init)
            .expect("a keyboard event");
        get(&self.host, "dialog.lightbox")
            .dispatch_event(&event)
            .expect("dispatch");
    }

    fn click(&self, selector: &str) {
        get(&self.host, selector).click();
    }

    fn pressed(&self, action: &str) -> Option<String> {
        get(&self.host, &format!(".lightbox [data-action=\"{action}\"]"))
            .get_attribute("aria-pressed")
    }
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
    let page = Page::mount(&[record]).await;
    until("the gallery", || page.count(".gallery .result") == 2).await;
    // The studio tries to keep the results at once; nothing answers at their address,
    // so the card says they are not kept, beside the time their links have left.
    common::until_eq(
        "the results' lines",
        vec![
            "Not kept in this browser: the results could not be fetched from here. Results \
             expire in 23 h 59 min."
                .to_owned(),
            "1 result(s) had an unsafe address and are not shown.".to_owned(),
        ],
        || texts(&page.host, ".results > .hint"),
    )
    .await;
    assert_eq!(texts(&page.host, ".result-meta"), ["2048 × 2048"; 2]);
    let open = get(&page.host, ".result a[data-action=\"open\"]");
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
        assert_eq!(
            page.count(&format!(".result button[data-action=\"{action}\"]")),
            2,
            "each result offers {action}"
        );
    }
}

#[wasm_bindgen_test]
async fn the_lightbox_pages_zooms_compares_and_closes() {
    let urls = [
        "http://127.0.0.1:9/r/1.jpeg",
        "http://127.0.0.1:9/r/2.jpeg",
        "http://127.0.0.1:9/r/3.jpeg",
    ];
    let page = Page::mount(&[done_record(&urls, 0.0)]).await;
    until("the gallery", || page.count(".result-view") == 3).await;
    assert!(!page.dialog_open());
    let second: HtmlElement = all(&page.host, ".result-view")[1].clone().unchecked_into();
    second.click();
    let shows = |position: &str, url: &str| (position.to_owned(), Some(url.to_owned()));
    until("a thumbnail to open the lightbox on its result", || {
        page.dialog_open() && page.showing() == shows("2 of 3", urls[1])
    })
    .await;

    // The arrow keys, wrapping round at the ends.
    for (key, position, url) in [
        ("ArrowRight", "3 of 3", urls[2]),
        ("ArrowRight", "1 of 3", urls[0]),
        ("ArrowLeft", "3 of 3", urls[2]),
    ] {
        page.press(key);
        until(&format!("{key} to show {position}"), || {
            page.showing() == shows(position, url)
        })
        .await;
    }
    // The buttons, the same way.
    page.click(".lightbox [data-action=\"previous\"]");
    until("Previous to show 2 of 3", || {
        page.showing() == shows("2 of 3", urls[1])
    })
    .await;
    page.click(".lightbox [data-action=\"next\"]");
    until("Next to show 3 of 3", || {
        page.showing() == shows("3 of 3", urls[2])
    })
    .await;

    // Zoom: by its button, on and off, and by the keyboard.
    assert_eq!(page.pressed("zoom").as_deref(), Some("false"));
    page.click(".lightbox [data-action=\"zoom\"]");
    until("zoom to turn on", || {
        page.pressed("zoom").as_deref() == Some("true")
    })
    .await;
    assert!(
        get(&page.host, ".lightbox-stage")
            .class_list()
            .contains("zoomed")
    );
    page.click(".lightbox [data-action=\"zoom\"]");
    until("zoom to turn off", || {
        page.pressed("zoom").as_deref() == Some("false")
    })
    .await;
    page.press("+");
    until("+ to zoom in", || {
        page.pressed("zoom").as_deref() == Some("true")
    })
    .await;
    page.press("-");
    until("- to zoom out", || {
        page.pressed("zoom").as_deref() == Some("false")
    })
    .await;

    // The input was an address, so it can be compared with.
    assert_eq!(page.pressed("compare").as_deref(), Some("false"));
    page.click(".lightbox [data-action=\"compare\"]");
    until("the comparison", || {
        find(&page.host, ".compare-after").is_some()
    })
    .await;
    assert_eq!(page.pressed("compare").as_deref(), Some("true"));
    assert_eq!(
        get(&page.host, ".compare-before")
            .get_attribute("src")
            .as_deref(),
        Some(INPUT)
    );
    assert_eq!(
        get(&page.host, ".compare-after")
            .get_attribute("src")
            .as_deref(),
        Some(urls[2])
    );
    let divider: web_sys::HtmlInputElement = get(&page.host, ".compare-divider").unchecked_into();
    assert_eq!(divider.value(), "50");
    page.click(".lightbox [data-action=\"compare\"]");
    until("the comparison to close", || {
        page.pressed("compare").as_deref() == Some("false")
            && page.showing() == shows("3 of 3", urls[2])
    })
    .await;

    page.click(".lightbox [data-action=\"close\"]");
    until("Close to close the lightbox", || !page.dialog_open()).await;
    until("the lightbox to empty", || {
        page.count(".lightbox-image") == 0
    })
    .await;
}

#[wasm_bindgen_test]
async fn use_as_input_and_edit_again_hand_the_form_what_it_needs() {
    let url = "http://127.0.0.1:9/r/1.jpeg";
    let page = Page::mount(&[done_record(&[url], 0.0)]).await;
    until("the gallery", || page.count(".result-view") == 1).await;
    page.click(".result [data-action=\"use-as-input\"]");
    // Its link, while the link works, with where it came from.
    until_eq(
        "the result handed to the form",
        vec![(Source::Url(url.to_owned()), 0)],
        || {
            page.used.with(|used| {
                used.iter()
                    .map(|(source, from)| (source.clone(), from.index))
                    .collect()
            })
        },
    )
    .await;

    page.click(".result-view");
    until("the lightbox", || page.dialog_open()).await;
    until("its Use as input", || {
        find(&page.host, ".lightbox [data-action=\"use-as-input\"]").is_some()
    })
    .await;
    page.click(".lightbox [data-action=\"use-as-input\"]");
    until(
        "the lightbox's Use as input to hand the form the same result",
        || page.used.with(|used| used.len() == 2 && used[0] == used[1]),
    )
    .await;
    until("using a result to close the lightbox for the form", || {
        !page.dialog_open()
    })
    .await;

    page.click("[data-action=\"edit-again\"]");
    until("Edit again to hand the form the edit", || {
        page.restored.with(Vec::len) == 1
    })
    .await;
    let restored = page.restored.get_untracked();
    assert_eq!(restored[0].prompt, "Turn this into a watercolour");
    assert_eq!(restored[0].images, [Source::Url(INPUT.to_owned())]);
    assert!(restored[0].missing.is_empty());
}

#[wasm_bindgen_test]
async fn expired_results_are_no_longer_shown() {
    let page = Page::mount(&[done_record(
        &["http://127.0.0.1:9/r/1.jpeg"],
        RESULT_TTL_MS + 1.0,
    )])
    .await;
    until("the card", || page.count(".task-card") == 1).await;
    assert_eq!(
        page.text(".results .expired"),
        "Results expired: their links last 24 hours after the task."
    );
    assert_eq!(page.count(".gallery .result"), 0);
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
    let page = Page::mount(&records).await;
    until("the first page of cards", || {
        page.count(".task-card") == CARDS_PER_PAGE
    })
    .await;
    assert_eq!(
        page.text(".show-more"),
        format!("Show older edits ({older} more)")
    );
    page.click(".show-more");
    until("every card", || page.count(".task-card") == total).await;
    assert!(
        find(&page.host, ".show-more").is_none(),
        "nothing left to show"
    );
}
