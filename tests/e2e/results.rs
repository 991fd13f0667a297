//! What can be done with an edit once it is done: the lightbox (real keys, real
//! images, before/after), a result used as a new input, "Edit again", and each
//! result's download and copy-link actions.

use fantoccini::key::Key;

use crate::harness::{self, Studio};
use crate::mock::fixture_png;
use crate::page::{IMAGE_CARDS, TASK_CARDS, js_str};

/// Quick tasks: these tests are about what happens after one ends.
const QUICK: [&str; 4] = ["--queue-time", "500ms", "--processing-time", "1s"];

const LIGHTBOX: &str = "dialog.lightbox[open]";

/// Runs an edit of one uploaded PNG (and `extra` image addresses) asking for a set of
/// `set` images; returns the result URLs once all are shown.
async fn finished_edit(studio: &Studio, prompt: &str, extra: &[&str], set: u8) -> Vec<String> {
    studio.upload(&fixture_png(640, 480)).await;
    for url in extra {
        studio.add_url(url).await;
    }
    studio.set_prompt(prompt).await;
    studio.ask_for_set(set).await;
    studio.submit().await;
    studio.wait_for_status("Done").await;
    studio.wait_for_loaded_results(usize::from(set)).await
}

/// The lightbox's position text and its image, once the image has loaded.
async fn lightbox_shows(studio: &Studio, position: &str, url: &str) {
    let check = format!(
        "const d = document.querySelector('{LIGHTBOX}'); if (!d) return null; \
         const img = d.querySelector('img.lightbox-image'); \
         const pos = d.querySelector('.lightbox-position')?.textContent.trim(); \
         return pos === {} && img !== null && img.dataset.link === {} && img.complete && img.naturalWidth > 0;",
        js_str(position),
        js_str(url)
    );
    studio
        .wait_for(&format!("the lightbox to show {position} ({url})"), &check)
        .await;
}

/// `aria-pressed` of a lightbox button.
async fn pressed(studio: &Studio, action: &str) -> String {
    let script = format!(
        "return document.querySelector('{LIGHTBOX} [data-action=\"{action}\"]')?.getAttribute('aria-pressed');"
    );
    studio
        .js(&script, vec![])
        .await
        .as_str()
        .unwrap_or("(none)")
        .to_owned()
}

async fn wait_pressed(studio: &Studio, action: &str, value: bool) {
    let check = format!(
        "return document.querySelector('{LIGHTBOX} [data-action=\"{action}\"]')?.getAttribute('aria-pressed') === '{value}';"
    );
    studio
        .wait_for(&format!("{action} to be aria-pressed={value}"), &check)
        .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_lightbox_follows_the_keyboard_and_compares() {
    // What needs a real browser and server: the results' own images loading in the
    // open dialog, real key presses reaching it (focus), the comparison of two real
    // images, and Escape closing the native dialog. Its buttons (previous, next,
    // zoom, compare, close) are the browser test
    // `results::the_lightbox_pages_zooms_compares_and_closes`.
    harness::run("lightbox", &QUICK, |studio| async move {
        studio.open().await;
        let urls = finished_edit(&studio, "Three moods of this photo", &[], 3).await;

        studio
            .click(&format!("{TASK_CARDS}:first-child li.result:nth-child(1) button.result-view"))
            .await;
        lightbox_shows(&studio, "1 of 3", &urls[0]).await;

        studio.press(Key::Right).await;
        lightbox_shows(&studio, "2 of 3", &urls[1]).await;
        studio.press(Key::Right).await;
        lightbox_shows(&studio, "3 of 3", &urls[2]).await;
        studio.press(Key::Left).await;
        lightbox_shows(&studio, "2 of 3", &urls[1]).await;

        assert_eq!(pressed(&studio, "compare").await, "false", "compare starts off");
        studio
            .click(&format!("{LIGHTBOX} [data-action=\"compare\"]"))
            .await;
        wait_pressed(&studio, "compare", true).await;
        let compare = format!(
            "const c = document.querySelector('{LIGHTBOX} .compare'); if (!c) return null; \
             const loaded = i => i !== null && i.complete && i.naturalWidth > 0; \
             const before = c.querySelector('img.compare-before'), after = c.querySelector('img.compare-after'); \
             const divider = c.querySelector('input.compare-divider[type=range]'); \
             return loaded(before) && loaded(after) && divider !== null && after.src === document.querySelector('{TASK_CARDS}:first-child li.result:nth-child(2) img').src && before.src !== after.src;"
        );
        studio
            .wait_for("the compare view with the input before and the result after", &compare)
            .await;

        studio.press(Key::Escape).await;
        studio
            .wait_for(
                "Escape to close the lightbox",
                "return document.querySelector('dialog.lightbox[open]') === null;",
            )
            .await;
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_result_can_be_used_as_a_new_input() {
    harness::run("use_as_input", &QUICK, |studio| async move {
        studio.open().await;
        let urls = finished_edit(&studio, "Two takes on this", &[], 2).await;
        studio.wait_for_image_cards(1).await;

        studio
            .click(&format!(
                "{TASK_CARDS}:first-child li.result:nth-child(2) [data-action=\"use-as-input\"]"
            ))
            .await;
        studio.wait_for_image_cards(2).await;
        let (_, images) = studio.form_contents().await;
        assert_eq!(
            images[1], urls[1],
            "the new image card should show the result it was made from"
        );
        let labels = studio.texts(&format!("{IMAGE_CARDS} .image-label")).await;
        assert_eq!(labels[1], "Image 2", "the result joins the form as Image 2");
        let notice = studio.texts(".form-notice p").await;
        assert!(
            notice.len() == 1 && notice[0].contains("added as Image 2"),
            "the form should say where the result went: {notice:?}"
        );

        // The same from the lightbox, which then closes.
        studio
            .click(&format!(
                "{TASK_CARDS}:first-child li.result:nth-child(1) button.result-view"
            ))
            .await;
        lightbox_shows(&studio, "1 of 2", &urls[0]).await;
        studio
            .click(&format!("{LIGHTBOX} [data-action=\"use-as-input\"]"))
            .await;
        studio.wait_for_image_cards(3).await;
        studio
            .wait_for(
                "the lightbox to close once its result is used",
                "return document.querySelector('dialog.lightbox[open]') === null;",
            )
            .await;
        let (_, images) = studio.form_contents().await;
        assert_eq!(images[2], urls[0], "Image 3 should be result 1");
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn edit_again_restores_the_form_from_the_task() {
    harness::run("edit_again", &QUICK, |studio| async move {
        studio.open().await;
        let address = studio.result_url_from_api().await;
        let prompt = "Put the cup from image 2 on the desk in image 1";
        // A size other than the default, to see it restored.
        let size: String = serde_json::from_value(
            studio
                .js(
                    "const s = document.querySelector('#size'); return s.options[1].value;",
                    vec![],
                )
                .await,
        )
        .expect("the second size option's value");
        studio
            .find("#size")
            .await
            .select_by_value(&size)
            .await
            .expect("the size can be chosen");
        finished_edit(&studio, prompt, &[&address], 2).await;
        let (_, sent) = studio.form_contents().await;

        // Empty the form: remove every image and the prompt.
        while studio.count(IMAGE_CARDS).await > 0 {
            let left = studio.count(IMAGE_CARDS).await;
            studio.click(&format!("{IMAGE_CARDS} .image-remove")).await;
            studio.wait_for_image_cards(left - 1).await;
        }
        studio.set_prompt("").await;
        studio
            .find("#size")
            .await
            .select_by_index(0)
            .await
            .expect("the size goes back to the first option");

        studio
            .click(&format!(
                "{TASK_CARDS}:first-child [data-action=\"edit-again\"]"
            ))
            .await;
        studio.wait_for_image_cards(2).await;
        let check = format!(
            "return document.querySelector('#prompt').value === {};",
            js_str(prompt)
        );
        studio
            .wait_for("Edit again to restore the prompt", &check)
            .await;
        let (_, restored) = studio.form_contents().await;
        assert_eq!(
            restored[1], sent[1],
            "Image 2 should be the same address as sent"
        );
        let details = studio.texts(&format!("{IMAGE_CARDS} .image-details")).await;
        assert!(
            details[0].contains("PNG") && details[0].contains("640 × 480"),
            "Image 1 should be the PNG file sent, restored: {details:?}"
        );
        let form = studio
            .js(
                "return [document.querySelector('#size').value, \
                  document.querySelector('#max-images')?.value ?? null];",
                vec![],
            )
            .await;
        assert_eq!(
            form,
            serde_json::json!([size, "2"]),
            "the size and the set's maximum should be restored"
        );
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_result_can_be_downloaded_and_its_link_copied() {
    harness::run("result_actions", &QUICK, |studio| async move {
        studio.open().await;
        let urls = finished_edit(&studio, "A brighter version", &[], 2).await;
        let tile = |n: usize| format!("{TASK_CARDS}:first-child li.result:nth-child({n})");

        // (Each result's Open link, its address, new tab and no link back, is the
        // browser test `results::the_gallery_shows_each_safe_result_with_its_actions`.)
        // Download: the browser saves the image itself under a name with the task.
        let task_id = studio.card_text("code.task-id").await;
        let name = format!("seedream-{task_id}-2.jpeg");
        studio
            .click(&format!("{} [data-action=\"download\"]", tile(2)))
            .await;
        let said = format!(
            "return document.querySelector('{TASK_CARDS} p.hint[role=status]')?.textContent.trim() === {};",
            js_str(&format!("Saving {name}."))
        );
        studio.wait_for("the card to say the result is being saved", &said).await;
        let bytes = studio.wait_for_file(&studio.downloads.join(&name)).await;
        let picture = image::load_from_memory(&bytes).expect("the download is an image");
        assert_eq!(
            (picture.width(), picture.height()),
            (2048, 2048),
            "the download should be the full result"
        );

        // Copy link: the clipboard of a headless browser is not readable here, so what
        // the page writes to it is recorded instead.
        studio
            .js(
                "window.__copied = []; \
                 Object.defineProperty(navigator, 'clipboard', { configurable: true, value: { \
                   writeText: text => { window.__copied.push(text); return Promise.resolve(); } } });",
                vec![],
            )
            .await;
        studio
            .click(&format!("{} [data-action=\"copy-link\"]", tile(2)))
            .await;
        let check = format!(
            "return window.__copied.length === 1 && window.__copied[0] === {};",
            js_str(&urls[1])
        );
        studio
            .wait_for("Copy link to put the result's URL on the clipboard", &check)
            .await;
        let said = format!(
            "return document.querySelector('{TASK_CARDS} p.hint[role=status]')?.textContent.trim().startsWith('Link copied.');"
        );
        studio.wait_for("the card to say the link was copied", &said).await;
    })
    .await;
}
