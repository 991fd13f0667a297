//! What a person does on the page, and what they would see: the helpers every
//! end-to-end test is written with.
//!
//! Conditions are checked in the page with small scripts and polled until they hold
//! or [`WAIT`] runs out, so no test depends on a fixed sleep; a timeout says what was
//! awaited and what the page last showed.

use std::time::{Duration, Instant};

use fantoccini::Locator;
use fantoccini::actions::{
    ActionSequence, InputSource, MOUSE_BUTTON_LEFT, MouseActions, PointerAction, TouchActions,
};
use fantoccini::elements::Element;
use fantoccini::key::Key;
use serde_json::{Value, json};

use super::harness::Studio;

/// The longest any one condition is awaited: generous, for a loaded 2-core machine.
pub const WAIT: Duration = Duration::from_secs(30);

pub const PROMPT: &str = "#prompt";
pub const FILE_INPUT: &str = "form.edit-form input[type=file]";
pub const URL_INPUT: &str = "form.edit-form .image-url input[type=url]";
pub const URL_ADD: &str = "form.edit-form .image-url button";
pub const IMAGE_CARDS: &str = "form.edit-form li.image-card[data-image-id]";
pub const EDIT_BUTTON: &str = "form.edit-form button[type=submit].primary";
pub const TASK_CARDS: &str = "ol.task-list > li.task-card";
/// A script expression: every task card's prompt and status, newest first.
pub const TASK_SUMMARIES: &str = "Array.from(document.querySelectorAll('ol.task-list > li.task-card')) \
    .map(c => ({prompt: c.querySelector('.task-prompt')?.textContent.trim(), \
                status: c.querySelector('span.status')?.textContent.trim()}))";

impl Studio {
    /// Runs `script` (a function body; `arguments` holds `args`) in the page.
    pub async fn js(&self, script: &str, args: Vec<Value>) -> Value {
        self.browser
            .execute(script, args)
            .await
            .unwrap_or_else(|err| panic!("the page could not run a script: {err}\n{script}"))
    }

    /// Polls `script` until it returns something truthy, and returns that; fails
    /// after [`WAIT`] saying `what` was expected and what the page showed.
    pub async fn wait_for(&self, what: &str, script: &str) -> Value {
        let deadline = Instant::now() + WAIT;
        loop {
            let last = match self.browser.execute(script, vec![]).await {
                Ok(value) if truthy(&value) => return value,
                Ok(value) => value,
                Err(err) => json!(format!("script error: {err}")),
            };
            if Instant::now() >= deadline {
                let shown = self.js(SHOWN, vec![]).await;
                panic!(
                    "expected {what} within {WAIT:?}; the check last gave {last}.\nThe page showed:\n{}",
                    shown.as_str().unwrap_or_default()
                );
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// The first element matching `css`, once there is one.
    pub async fn find(&self, css: &str) -> Element {
        let check = format!("return document.querySelector({}) !== null;", js_str(css));
        self.wait_for(&format!("an element matching `{css}`"), &check)
            .await;
        self.browser
            .find(Locator::Css(css))
            .await
            .unwrap_or_else(|err| panic!("`{css}` was there, then could not be found: {err}"))
    }

    /// Clicks the first element matching `css` once it exists and is enabled.
    pub async fn click(&self, css: &str) {
        let check = format!(
            "const e = document.querySelector({}); return e !== null && !e.disabled;",
            js_str(css)
        );
        self.wait_for(&format!("an enabled `{css}`"), &check).await;
        let element = self.find(css).await;
        self.js(
            "arguments[0].scrollIntoView({block: 'center'});",
            vec![elem_arg(&element)],
        )
        .await;
        element
            .click()
            .await
            .unwrap_or_else(|err| panic!("clicking `{css}` failed: {err}"));
    }

    /// Clicks the button labelled `label` on the newest task card ("Check now",
    /// "Submit again" ...), once it is there and enabled.
    pub async fn click_card_button(&self, label: &str) {
        let xpath = format!(
            "(//ol[contains(@class,'task-list')]/li[contains(@class,'task-card')])[1]\
             //button[normalize-space()={}]",
            js_str(label)
        );
        let check = format!(
            "const e = document.evaluate({}, document, null, XPathResult.FIRST_ORDERED_NODE_TYPE, null) \
                .singleNodeValue; return e !== null && !e.disabled;",
            js_str(&xpath)
        );
        self.wait_for(
            &format!("a {label:?} button on the newest task card"),
            &check,
        )
        .await;
        let button = self
            .browser
            .find(Locator::XPath(&xpath))
            .await
            .unwrap_or_else(|err| panic!("the {label:?} button could not be found: {err}"));
        button
            .click()
            .await
            .unwrap_or_else(|err| panic!("clicking {label:?} failed: {err}"));
    }

    /// The text of every element matching `css`, trimmed.
    pub async fn texts(&self, css: &str) -> Vec<String> {
        let script = format!(
            "return Array.from(document.querySelectorAll({})).map(e => e.textContent.trim());",
            js_str(css)
        );
        serde_json::from_value(self.js(&script, vec![]).await).expect("a list of texts")
    }

    /// How many elements match `css`.
    pub async fn count(&self, css: &str) -> usize {
        let script = format!("return document.querySelectorAll({}).length;", js_str(css));
        self.js(&script, vec![]).await.as_u64().unwrap_or(0) as usize
    }

    /// Opens the app and waits for it to start (the wasm mounts the form).
    pub async fn open(&self) {
        self.browser
            .goto(&self.url("/"))
            .await
            .expect("the page loads");
        self.find(PROMPT).await;
        self.watch_first_card().await;
    }

    /// Reloads the page and waits for the app to start again.
    pub async fn reload(&self) {
        self.browser.refresh().await.expect("the page reloads");
        self.find(PROMPT).await;
        self.watch_first_card().await;
    }

    /// Types the prompt (replacing what was there).
    pub async fn set_prompt(&self, text: &str) {
        let field = self.find(PROMPT).await;
        // Select all and delete, as a person would: unlike WebDriver's clear, this
        // fires the input events the app listens to.
        field
            .send_keys(&(Key::Control + "a"))
            .await
            .expect("the prompt's text is selected");
        field
            .send_keys(&Key::Backspace)
            .await
            .expect("the prompt clears");
        if !text.is_empty() {
            field.send_keys(text).await.expect("the prompt takes text");
        }
        let check = format!(
            "return document.querySelector('#prompt').value === {};",
            js_str(text)
        );
        self.wait_for("the prompt to hold the typed text", &check)
            .await;
    }

    /// Picks a file in the images field, as the file dialog would, and waits until it
    /// is one more image card.
    pub async fn upload(&self, path: &std::path::Path) {
        let before = self.count(IMAGE_CARDS).await;
        let input = self.find(FILE_INPUT).await;
        input
            .send_keys(path.to_str().expect("a UTF-8 path"))
            .await
            .expect("the file input takes a path");
        self.wait_for_image_cards(before + 1).await;
    }

    /// Adds the picture at `path`, types `prompt` and presses Edit: one more task card.
    pub async fn send_edit(&self, path: &std::path::Path, prompt: &str) {
        self.upload(path).await;
        self.set_prompt(prompt).await;
        self.submit().await;
    }

    /// Types an address in the image address field and presses Add; waits until it is
    /// one more image card.
    pub async fn add_url(&self, url: &str) {
        let before = self.count(IMAGE_CARDS).await;
        let field = self.find(URL_INPUT).await;
        field
            .send_keys(url)
            .await
            .expect("the address field takes text");
        self.click(URL_ADD).await;
        self.wait_for_image_cards(before + 1).await;
    }

    pub async fn wait_for_image_cards(&self, n: usize) {
        let check = format!(
            "return document.querySelectorAll({}).length === {n};",
            js_str(IMAGE_CARDS)
        );
        self.wait_for(&format!("{n} image card(s) in the form"), &check)
            .await;
    }

    /// Presses Edit once it is enabled and waits for the new task card.
    pub async fn submit(&self) {
        let before = self.count(TASK_CARDS).await;
        self.click(EDIT_BUTTON).await;
        let check = format!(
            "return document.querySelectorAll({}).length === {};",
            js_str(TASK_CARDS),
            before + 1
        );
        self.wait_for("a new task card after pressing Edit", &check)
            .await;
    }

    /// Turns on "Generate a set" and asks for at most `n` images.
    pub async fn ask_for_set(&self, n: u8) {
        self.click("form.edit-form fieldset.sets input[type=checkbox]")
            .await;
        let field = self.find("#max-images").await;
        field.clear().await.expect("the maximum clears");
        field
            .send_keys(&n.to_string())
            .await
            .expect("the maximum takes a number");
        let check = format!("return document.querySelector('#max-images').value === '{n}';");
        self.wait_for(&format!("the set maximum to read {n}"), &check)
            .await;
    }

    /// The status badge of the newest task card reads `label` ("Done", "Failed" ...).
    pub async fn wait_for_status(&self, label: &str) {
        let check = format!(
            "const s = document.querySelector('{TASK_CARDS} span.status'); \
             return s !== null && s.textContent.trim() === {};",
            js_str(label)
        );
        self.wait_for(&format!("the newest task card to say {label:?}"), &check)
            .await;
    }

    /// The newest task card's text at `css` (inside the card), "" when absent.
    pub async fn card_text(&self, css: &str) -> String {
        let script = format!(
            "const e = document.querySelector('{TASK_CARDS} ' + {}); \
             return e === null ? '' : e.textContent.trim();",
            js_str(css)
        );
        self.js(&script, vec![])
            .await
            .as_str()
            .unwrap_or_default()
            .to_owned()
    }

    /// Records, in the page, every status and note the newest task card shows, so a
    /// test can tell which states it went through however briefly they lasted.
    async fn watch_first_card(&self) {
        self.js(WATCH, vec![]).await;
    }

    /// The statuses the newest card showed since the page loaded, in order.
    pub async fn seen_statuses(&self) -> Vec<String> {
        let seen = self.js("return window.__e2eSeen.status;", vec![]).await;
        serde_json::from_value(seen).expect("a list of statuses")
    }

    /// The notes (`p.hint[role=status]`) the newest card showed since the page loaded.
    pub async fn seen_notes(&self) -> Vec<String> {
        let seen = self.js("return window.__e2eSeen.note;", vec![]).await;
        serde_json::from_value(seen).expect("a list of notes")
    }

    /// Waits until the newest card shows `n` results, each image loaded in the browser
    /// (`naturalWidth > 0`) with its "W × H" caption matching its real pixel size;
    /// returns their links (`data-link`: a kept result shows from a `blob:` URL).
    pub async fn wait_for_loaded_results(&self, n: usize) -> Vec<String> {
        let check = format!(
            "const imgs = Array.from(document.querySelectorAll('{TASK_CARDS}:first-child ul.gallery li.result img')); \
             imgs.forEach(i => i.scrollIntoView({{block: 'nearest'}})); \
             if (imgs.length !== {n} || !imgs.every(i => i.complete && i.naturalWidth > 0)) return null; \
             return imgs.map(i => ({{url: i.closest('li.result').dataset.link, w: i.naturalWidth, h: i.naturalHeight, \
                 caption: i.closest('li.result').querySelector('.result-meta')?.textContent.trim() ?? ''}}));"
        );
        let results = self
            .wait_for(
                &format!("{n} loaded result image(s) on the newest card"),
                &check,
            )
            .await;
        let results = results.as_array().expect("a list of results");
        results
            .iter()
            .map(|result| {
                let (w, h) = (&result["w"], &result["h"]);
                assert_eq!(
                    result["caption"].as_str(),
                    Some(format!("{w} × {h}").as_str()),
                    "each result's caption should give its real pixel size: {result}"
                );
                result["url"].as_str().expect("a URL").to_owned()
            })
            .collect()
    }

    /// Waits until the browser has saved a download at `path`; returns its bytes.
    pub async fn wait_for_file(&self, path: &std::path::Path) -> Vec<u8> {
        let deadline = std::time::Instant::now() + WAIT;
        loop {
            // Chromium writes to a temporary name and renames when done.
            if let Ok(bytes) = std::fs::read(path) {
                return bytes;
            }
            assert!(
                std::time::Instant::now() < deadline,
                "the download should be saved as {}",
                path.display()
            );
            tokio::time::sleep(std::time::Duration::from_millis(200)).await;
        }
    }

    /// The prompt field's value and the image cards' thumbnails (their `src`).
    pub async fn form_contents(&self) -> (String, Vec<String>) {
        let script = format!(
            "return [document.querySelector('#prompt').value, \
              Array.from(document.querySelectorAll({})).map(c => c.querySelector('img.image-thumb')?.getAttribute('src') ?? '')];",
            js_str(IMAGE_CARDS)
        );
        serde_json::from_value(self.js(&script, vec![]).await).expect("the form's contents")
    }

    /// Drags the handle of input image `from` (0-based) onto the card of image `onto`
    /// with a real pointer (a mouse, or a finger where the browser can simulate one),
    /// and waits for the drag to end.
    pub async fn drag_image(&self, from: usize, onto: usize, touch: bool) {
        let card = |i: usize| format!("{IMAGE_CARDS}:nth-child({})", i + 1);
        let target = self.find(&card(onto)).await;
        // A pointer can only be moved within the window.
        self.js(
            "arguments[0].scrollIntoView({ block: 'center' });",
            vec![elem_arg(&target)],
        )
        .await;
        let handle = self.find(&format!("{} .image-handle", card(from))).await;
        let steps = [
            PointerAction::MoveToElement {
                element: handle,
                duration: None,
                x: 0.0,
                y: 0.0,
            },
            PointerAction::Down {
                button: MOUSE_BUTTON_LEFT,
            },
            PointerAction::MoveToElement {
                element: target,
                duration: Some(Duration::from_millis(150)),
                x: 0.0,
                y: 0.0,
            },
            PointerAction::Up {
                button: MOUSE_BUTTON_LEFT,
            },
        ];
        let sequence: ActionSequence = if touch {
            steps
                .into_iter()
                .fold(TouchActions::new("finger".into()), InputSource::then)
                .into()
        } else {
            steps
                .into_iter()
                .fold(MouseActions::new("mouse".into()), InputSource::then)
                .into()
        };
        self.browser
            .perform_actions(sequence)
            .await
            .expect("the browser performs the drag");
        self.wait_for(
            "the drag to end",
            "return document.querySelector('.image-card.dragging') === null;",
        )
        .await;
    }

    /// Sends keys to whatever has focus (for keyboard shortcuts).
    pub async fn press(&self, key: Key) {
        let focused = self
            .browser
            .active_element()
            .await
            .expect("something has focus");
        focused.send_keys(&key).await.expect("the key is sent");
    }
}

/// A string as a JavaScript literal.
pub fn js_str(text: &str) -> String {
    Value::from(text).to_string()
}

/// An element as a script argument.
pub fn elem_arg(element: &Element) -> Value {
    serde_json::to_value(element).expect("an element serialises as a reference")
}

fn truthy(value: &Value) -> bool {
    match value {
        Value::Null => false,
        Value::Bool(b) => *b,
        Value::Number(n) => n.as_f64().is_some_and(|n| n != 0.0),
        Value::String(s) => !s.is_empty(),
        Value::Array(_) | Value::Object(_) => true,
    }
}

/// What the page shows, for a timeout's message: the form, the task list and any
/// open dialog, as text.
const SHOWN: &str = "
    const part = (label, sel) => {
        const e = document.querySelector(sel);
        return e ? `--- ${label}:\\n${e.innerText.trim()}` : `--- ${label}: (absent)`;
    };
    return [part('form', 'form.edit-form'), part('tasks', 'section.tasks'), part('dialog', 'dialog[open]')].join('\\n');
";

/// Installs the recorder behind [`Studio::seen_statuses`] and [`Studio::seen_notes`].
const WATCH: &str = "
    const seen = { status: [], note: [] };
    window.__e2eSeen = seen;
    const push = (list, text) => {
        if (text && list[list.length - 1] !== text) list.push(text);
    };
    const record = () => {
        const card = document.querySelector('ol.task-list > li.task-card');
        if (!card) return;
        push(seen.status, card.querySelector('span.status')?.textContent.trim());
        push(seen.note, card.querySelector('p.hint[role=status]')?.textContent.trim());
    };
    new MutationObserver(record).observe(document.body, { subtree: true, childList: true, characterData: true });
    record();
";
