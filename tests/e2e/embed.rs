//! Embedding: the studio inside other pages. The example portal (`examples/portal/`,
//! copied into `dist/` by the build) with its theme and a hostile global stylesheet;
//! the host element's commands and options. (Framed by another origin: `frame.rs`.)

use serde_json::{Value, json};

use crate::harness::{self, Studio};
use crate::mock::fixture_png;
use crate::page::{IMAGE_CARDS, PROMPT, TASK_CARDS, js_str};

/// The portal's accent (`--studio-accent: #0b6e4f` in `examples/portal/portal.css`).
const PORTAL_ACCENT: &str = "rgb(11, 110, 79)";
/// `button { background: hotpink }` in `examples/portal/hostile.css`.
const HOTPINK: &str = "rgb(255, 105, 180)";

impl Studio {
    /// Opens `url` and waits until the studio in it says it is ready.
    async fn open_host_page(&self, url: &str) {
        self.browser.goto(url).await.expect("the host page loads");
        self.wait_for(
            "the studio to mount and mark its host ready",
            "const h = document.querySelector('[data-seedream-studio]'); \
             return h !== null && h.dataset.ready === 'true' && h.querySelector('.studio') !== null;",
        )
        .await;
        self.find(PROMPT).await;
    }

    /// The portal's event log, oldest first: `[{type, detail}]`.
    async fn portal_log(&self) -> Vec<Value> {
        let log = self
            .js(
                "return Array.from(document.querySelectorAll('#event-log li')).reverse() \
                 .map(li => ({type: li.dataset.type, detail: JSON.parse(li.dataset.detail)}));",
                vec![],
            )
            .await;
        serde_json::from_value(log).expect("the portal's log")
    }

    /// Waits until the portal has logged an event of `kind` and returns the log.
    async fn wait_for_logged(&self, kind: &str) -> Vec<Value> {
        let check = format!(
            "return Array.from(document.querySelectorAll('#event-log li')) \
             .some(li => li.dataset.type === {});",
            js_str(kind)
        );
        self.wait_for(&format!("the portal to log {kind}"), &check)
            .await;
        self.portal_log().await
    }

    /// A computed style property of the first element matching `css`.
    async fn style_of(&self, css: &str, property: &str) -> String {
        let script = format!(
            "const e = document.querySelector({}); \
             return e === null ? 'absent' : getComputedStyle(e).getPropertyValue({});",
            js_str(css),
            js_str(property)
        );
        self.js(&script, vec![])
            .await
            .as_str()
            .unwrap_or_default()
            .to_owned()
    }

    /// Replaces the text of a plain (non-studio) field of the host page.
    async fn fill(&self, css: &str, text: &str) {
        let field = self.find(css).await;
        field.clear().await.expect("the field clears");
        field.send_keys(text).await.expect("the field takes text");
    }
}

/// The events of one kind in a log, in order.
fn of_kind<'a>(log: &'a [Value], kind: &str) -> Vec<&'a Value> {
    log.iter().filter(|entry| entry["type"] == kind).collect()
}

/// Checks the submitted / progress / completed events of one successful edit and
/// returns the result URLs `completed` gave.
pub(crate) fn check_edit_events(log: &[Value], prompt: &str, images: u64) -> Vec<String> {
    let submitted = of_kind(log, "seedream:submitted");
    assert_eq!(submitted.len(), 1, "one submitted event: {log:#?}");
    let detail = &submitted[0]["detail"];
    assert_eq!(
        detail["prompt"], prompt,
        "submitted names the prompt: {detail}"
    );
    assert_eq!(
        detail["images"], images,
        "submitted counts the images: {detail}"
    );
    let id = detail["id"].clone();
    assert!(!id.is_null(), "submitted carries the edit's id: {detail}");

    let progress = of_kind(log, "seedream:progress");
    let statuses: Vec<&str> = progress
        .iter()
        .map(|event| event["detail"]["status"].as_str().unwrap_or("?"))
        .collect();
    assert!(
        statuses.contains(&"generating"),
        "progress should report generating: {statuses:?}"
    );
    assert!(
        statuses
            .iter()
            .all(|status| ["queued", "generating"].contains(status)),
        "progress statuses are queued or generating: {statuses:?}"
    );
    assert!(
        progress.iter().all(|event| event["detail"]["id"] == id
            && event["detail"]["taskId"]
                .as_str()
                .is_some_and(|t| !t.is_empty())),
        "progress names the edit and its task: {progress:#?}"
    );

    let completed = of_kind(log, "seedream:completed");
    assert_eq!(completed.len(), 1, "one completed event: {log:#?}");
    let detail = &completed[0]["detail"];
    assert_eq!(detail["id"], id, "completed names the edit: {detail}");
    assert_eq!(
        detail["taskId"], progress[0]["detail"]["taskId"],
        "completed names the task progress named: {detail}"
    );
    assert!(
        of_kind(log, "seedream:failed").is_empty(),
        "no failure: {log:#?}"
    );
    let results = detail["results"]
        .as_array()
        .expect("completed lists results");
    results
        .iter()
        .map(|result| {
            assert!(
                result["width"].as_u64().is_some_and(|w| w > 0)
                    && result["height"].as_u64().is_some_and(|h| h > 0)
                    && result["format"].as_str().is_some(),
                "each result has its size and format: {result}"
            );
            result["url"].as_str().expect("a result URL").to_owned()
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_example_portal_themes_the_studio_keeps_its_own_styles_and_logs_an_edit() {
    harness::run("embed_portal", &[], |studio| async move {
        studio
            .open_host_page(&studio.url("/examples/portal/?hostile"))
            .await;
        assert_eq!(
            studio.count("#studio > .studio").await,
            1,
            "the studio mounts in the portal's element"
        );
        // The hostile sheet is added once the studio is ready; outside the studio it
        // applies, which is also the proof that it has loaded.
        studio
            .wait_for(
                "the portal's hostile global styles to apply to its own buttons",
                &format!(
                    "return getComputedStyle(document.querySelector('#log-clear')).backgroundColor === '{HOTPINK}';"
                ),
            )
            .await;

        // The portal's theme, through the custom properties on its host element.
        assert_eq!(
            studio
                .style_of("form.edit-form button[type=submit].primary", "background-color")
                .await,
            PORTAL_ACCENT,
            "the Edit button takes the portal's --studio-accent"
        );
        assert_eq!(
            studio.style_of(".studio", "font-family").await,
            "\"Trebuchet MS\", \"Segoe UI\", sans-serif",
            "the studio takes the portal's --studio-font"
        );
        assert_eq!(
            studio.style_of(".studio .edit-form", "border-top-left-radius").await,
            "2px",
            "the studio takes the portal's --studio-radius"
        );

        // The hostile global rules do not reach inside the studio.
        let inside = studio
            .js(
                "const s = (sel, p) => getComputedStyle(document.querySelector(sel)).getPropertyValue(p); \
                 const edit = document.querySelector('form.edit-form button[type=submit].primary'); \
                 const r = edit.getBoundingClientRect(); \
                 return { \
                   editTransform: s('form.edit-form button[type=submit].primary', 'text-transform'), \
                   editVisible: r.width > 20 && r.height > 10, \
                   summaryButtonBg: s('.studio .settings button', 'background-color'), \
                   promptWidth: document.querySelector('#prompt').getBoundingClientRect().width, \
                   promptBg: s('#prompt', 'background-color'), \
                   titleColor: s('.studio-title', 'color'), \
                   taglineSize: s('.studio-tagline', 'font-size'), \
                   taglineMargin: s('.studio-tagline', 'margin-left'), \
                   boxSizing: s('#prompt', 'box-sizing'), \
                   formMargin: s('form.edit-form', 'margin-top'), \
                 };",
                vec![],
            )
            .await;
        assert_eq!(inside["editTransform"], "none", "{inside}");
        assert_eq!(inside["editVisible"], true, "{inside}");
        assert_ne!(inside["summaryButtonBg"], HOTPINK, "{inside}");
        assert!(
            inside["promptWidth"].as_f64().unwrap_or(0.0) > 200.0,
            "`input, textarea {{ width: 50px }}` must not shrink the prompt: {inside}"
        );
        assert_ne!(inside["promptBg"], "rgb(255, 255, 0)", "{inside}");
        assert_ne!(inside["titleColor"], "rgb(255, 0, 0)", "{inside}");
        assert_ne!(inside["taglineSize"], "22px", "{inside}");
        assert_ne!(inside["taglineMargin"], "44px", "{inside}");
        assert_eq!(inside["boxSizing"], "border-box", "{inside}");
        assert_eq!(inside["formMargin"], "0px", "{inside}");

        // And the studio's rules do not reach out: the portal's own elements keep the
        // host's styles.
        let outside = studio
            .js(
                "const s = (sel, p) => getComputedStyle(document.querySelector(sel)).getPropertyValue(p); \
                 return { \
                   buttonTransform: s('#log-clear', 'text-transform'), \
                   noteSize: s('#portal-note', 'font-size'), \
                   inputBg: s('#command-prompt', 'background-color'), \
                   inputSizing: s('#command-prompt', 'box-sizing'), \
                   bodyMargin: s('body', 'margin-top'), \
                   heading: s('#log-title', 'color'), \
                 };",
                vec![],
            )
            .await;
        assert_eq!(
            outside,
            json!({
                "buttonTransform": "uppercase",
                "noteSize": "22px",
                "inputBg": "rgb(255, 255, 0)",
                "inputSizing": "content-box",
                "bodyMargin": "0px",
                "heading": "rgb(255, 0, 0)",
            }),
            "the portal's own elements keep the portal's styles"
        );

        // An edit against the mock, followed in the portal's log.
        studio.upload(&fixture_png(320, 240)).await;
        let prompt = "Make it look like a spring campaign poster";
        studio.set_prompt(prompt).await;
        studio.submit().await;
        studio.wait_for_status("Done").await;
        let shown = studio.wait_for_loaded_results(1).await;
        let log = studio.wait_for_logged("seedream:completed").await;
        assert_eq!(
            log.first().map(|entry| &entry["type"]),
            Some(&json!("seedream:ready")),
            "the log starts with ready: {log:#?}"
        );
        let results = check_edit_events(&log, prompt, 1);
        assert_eq!(
            results, shown,
            "completed gives the URLs of the results the studio shows"
        );
        let links = studio.texts("#event-log a.portal-result").await;
        assert!(
            links.iter().any(|text| text.ends_with(&results[0])),
            "the portal prints the result URL: {links:?}"
        );

        // The studio's images are not framed by the host's `img { border }`.
        assert_eq!(
            studio
                .style_of(&format!("{TASK_CARDS} ul.gallery li.result img"), "border-top-width")
                .await,
            "0px",
            "result images keep no host border"
        );
        assert_eq!(
            studio
                .style_of("ol.task-list", "list-style-type")
                .await,
            "none",
            "the studio's lists keep no host list style"
        );
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_host_commands_drive_an_edit_to_completion() {
    harness::run("embed_commands", &[], |studio| async move {
        studio
            .open_host_page(&studio.url("/examples/portal/"))
            .await;
        let address = studio.result_url_from_api().await;

        // The portal's buttons call host.seedreamStudio.
        let prompt = "Put this on a billboard";
        studio.fill("#command-prompt", prompt).await;
        studio.click("#command-set-prompt").await;
        studio
            .wait_for(
                "setPrompt to fill the prompt",
                &format!(
                    "return document.querySelector('#prompt').value === {};",
                    js_str(prompt)
                ),
            )
            .await;
        studio.fill("#command-image-url", &address).await;
        studio.click("#command-add-image").await;
        studio.wait_for_image_cards(1).await;
        studio
            .wait_for(
                "the Edit button to be enabled",
                "const b = document.querySelector('form.edit-form button[type=submit].primary'); \
                 return b !== null && !b.disabled;",
            )
            .await;
        studio.click("#command-submit").await;
        studio
            .wait_for(
                "a task card after the submit command",
                &format!(
                    "return document.querySelectorAll({}).length === 1;",
                    js_str(TASK_CARDS)
                ),
            )
            .await;
        studio.wait_for_status("Done").await;
        let shown = studio.wait_for_loaded_results(1).await;
        let log = studio.wait_for_logged("seedream:completed").await;
        assert_eq!(check_edit_events(&log, prompt, 1), shown);

        // The portal's Reset empties the form. (The host object's commands, called
        // directly, are the browser test
        // `embed::an_instance_takes_commands_from_its_host_and_reports_back`.)
        studio.click("#command-reset").await;
        studio
            .wait_for(
                "reset to empty the prompt and the images",
                &format!(
                    "return document.querySelector('#prompt').value === '' && \
                     document.querySelectorAll({}).length === 0;",
                    js_str(IMAGE_CARDS)
                ),
            )
            .await;
    })
    .await;
}

/// A host page of the test's own, same origin as the app, with `attributes` on its
/// host element.
fn host_page(attributes: &str) -> String {
    format!(
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Host</title>\
         <script type=\"module\" src=\"/embed.js\"></script></head><body>\
         <div data-seedream-studio {attributes}></div></body></html>"
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn host_options_lock_the_address_hide_the_key_and_report_invalid_values() {
    let page = host_page(
        "data-api-base-locked=\"true\" data-show-key=\"false\" data-size=\"9999x1\" data-format=\"png\"",
    );
    let dist = harness::dist_copy("embed_options", &[("host.html", &page)]);
    harness::run_in("embed_options", &dist, &[], |studio| async move {
        studio.open_host_page(&studio.url("/host.html")).await;

        // The invalid size is reported, naming the option, and the default applies.
        let problems = studio.texts(".studio .config-problems").await;
        assert_eq!(problems.len(), 1, "one problems box: {problems:?}");
        assert!(
            problems[0].contains("data-size") && problems[0].contains("default"),
            "the problem names the option and says the default applies: {problems:?}"
        );
        let size = studio
            .js("return document.querySelector('#size').value;", vec![])
            .await;
        assert_eq!(size, "preset:2048x2048", "the default size applies instead");
        assert_eq!(
            studio.count(".studio .config-problems li").await,
            1,
            "only the invalid option is reported (data-format=png is fine)"
        );

        // The key field is not there at all; the address field cannot be changed.
        assert_eq!(studio.count("#api-key").await, 0, "no key field");
        assert_eq!(
            studio.count(".studio input[type=password]").await,
            0,
            "no key field"
        );
        studio.click(".studio .settings summary").await;
        let before = studio
            .js("return document.querySelector('#api-base').value;", vec![])
            .await;
        let locked = studio
            .js(
                "const f = document.querySelector('#api-base'); return f.readOnly || f.disabled;",
                vec![],
            )
            .await;
        assert_eq!(locked, true, "the address field is read-only");
        let field = studio.find("#api-base").await;
        // Typing into a read-only field is refused by the browser, or does nothing.
        let _ = field.send_keys("https://elsewhere.example").await;
        let _ = studio
            .js(
                "document.querySelector('#api-base').dispatchEvent(new Event('change', {bubbles: true}));",
                vec![],
            )
            .await;
        let after = studio
            .js("return document.querySelector('#api-base').value;", vec![])
            .await;
        assert_eq!(after, before, "the locked address does not change");
        let summary = studio.texts(".studio .settings summary").await;
        assert!(
            !summary[0].contains("elsewhere"),
            "the connection still goes where the page said: {summary:?}"
        );
    })
    .await;
}
