//! The instruction keeping up with the person, in a real browser: its references to
//! images follow a reorder (and Undo puts the words back), a saved instruction is
//! offered from the field and fills it, the page's price gives what an edit can cost,
//! and the standalone page's title counts the edits running.

use fantoccini::key::Key;
use serde_json::json;

use crate::harness;
use crate::mock::fixture_png;
use crate::page::{PROMPT, js_str};

const ORIGINAL: &str = "Put the hat from Image 2 on the person in Image 1";
const SWAPPED: &str = "Put the hat from Image 1 on the person in Image 2";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_instruction_follows_the_images_offers_saved_ones_and_prices_the_edit() {
    // The price comes from the page's configuration file, never from the link.
    let config = json!({ "price-per-image": "0.035", "currency": "USD" }).to_string();
    let dist = harness::dist_copy("instructions", &[("config.json", &config)]);
    let flags = ["--processing-time", "3s"];
    harness::run_in("instructions", &dist, &flags, |studio| async move {
        studio.open().await;
        studio.upload(&fixture_png(640, 480)).await;
        studio.upload(&fixture_png(320, 240)).await;
        studio.set_prompt(ORIGINAL).await;
        let prompt_is = |text: &str| {
            format!(
                "return document.querySelector('{PROMPT}').value === {};",
                js_str(text)
            )
        };

        // Image 2 moved first with its button: the instruction follows, in the field.
        studio.click(".image-card:nth-child(2) .image-earlier").await;
        studio
            .wait_for("the references to follow the move", &prompt_is(SWAPPED))
            .await;
        // Dragged back: so do they.
        studio.drag_image(1, 0, false).await;
        studio
            .wait_for("the references to follow the drag back", &prompt_is(ORIGINAL))
            .await;
        // Moved again, then Undo: the words as they were, the images as they are.
        studio.click(".image-card:nth-child(2) .image-earlier").await;
        studio
            .wait_for("the references to follow again", &prompt_is(SWAPPED))
            .await;
        studio.click("[data-action=undo-instruction]").await;
        studio
            .wait_for("Undo to put the words back", &prompt_is(ORIGINAL))
            .await;

        // The most an edit can cost, with the set's maximum.
        let cost_is = |text: &str| {
            format!(
                "return document.querySelector('.request-cost')?.textContent.trim() === {};",
                js_str(text)
            )
        };
        studio
            .wait_for(
                "one image's price",
                &cost_is("Up to 1 image · at most USD 0.035"),
            )
            .await;
        studio.ask_for_set(3).await;
        studio
            .wait_for("a set's price", &cost_is("Up to 3 images · at most USD 0.105"))
            .await;

        // Saved with a name, then offered from the empty field and picked by keyboard.
        studio.click("[data-action=save-instruction]").await;
        let name = studio.find("#save-instruction-name").await;
        name.send_keys(&(Key::Control + "a"))
            .await
            .expect("the name is selected");
        name.send_keys("Hat swap").await.expect("the name is typed");
        name.send_keys(&Key::Enter).await.expect("Enter saves");
        studio
            .wait_for(
                "the save to be said",
                "return document.querySelector('.saved-note')?.textContent.includes('Hat swap');",
            )
            .await;
        studio.set_prompt("").await;
        let field = studio.find(PROMPT).await;
        field
            .send_keys(&Key::Down)
            .await
            .expect("Down opens the list");
        studio
            .wait_for(
                "the saved instruction offered and active",
                "const active = document.querySelector('.suggestion.active'); \
                 return active !== null && active.querySelector('.suggestion-name')?.textContent === 'Hat swap';",
            )
            .await;
        field.send_keys(&Key::Enter).await.expect("Enter picks it");
        studio
            .wait_for("the saved instruction in the field", &prompt_is(ORIGINAL))
            .await;

        // Sent: the page's title counts it while it runs, and lets go once it is done.
        studio.submit().await;
        studio
            .wait_for(
                "the title to count the running edit",
                "return document.title === '1 running — Seedream Studio';",
            )
            .await;
        studio.wait_for_status("Done").await;
        studio
            .wait_for(
                "the title to be the page's again",
                "return document.title === 'Seedream Studio';",
            )
            .await;
        // And the instruction is now a recent one too (once: it is saved).
        studio.set_prompt("hat").await;
        studio
            .find(PROMPT)
            .await
            .send_keys(&(Key::Alt + &Key::Down))
            .await
            .expect("Alt+Down opens the list");
        studio
            .wait_for(
                "the saved one offered once",
                "return Array.from(document.querySelectorAll('.suggest:not([hidden]) .suggestion-text')).map(e => e.textContent).join('|') === 'Put the hat from Image 2 on the person in Image 1';",
            )
            .await;
    })
    .await;
}
