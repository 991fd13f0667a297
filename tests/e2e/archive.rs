//! Results that last: a finished edit's results and its local input kept in the
//! browser, and everything done with them after the links expired and the page was
//! reloaded: shown, downloaded, used as an input, the local input back in the form, and
//! the new edit linking to the one it was made from; a result fetched once; a removed
//! edit's images freed once its Undo has expired.

use seedream_studio::archive::{Archive, ImageKey};
use serde_json::json;
use sha2::{Digest, Sha256};

use crate::harness::{self, Studio};
use crate::mock::fixture_png;
use crate::page::{IMAGE_CARDS, TASK_CARDS, js_str};

/// Quick tasks: this test is about what happens after one ends.
const QUICK: [&str; 4] = ["--queue-time", "500ms", "--processing-time", "1s"];

/// The hex SHA-256 of what `blob` (a script expression giving a promise of a `Blob`)
/// holds, computed in the page.
async fn sha256_in_page(studio: &Studio, blob: &str) -> String {
    let script = format!(
        "return (async () => {{ const blob = await ({blob}); \
           const digest = await crypto.subtle.digest('SHA-256', await blob.arrayBuffer()); \
           return Array.from(new Uint8Array(digest), b => b.toString(16).padStart(2, '0')).join(''); }})();"
    );
    let digest = studio.js(&script, vec![]).await;
    digest.as_str().expect("a digest").to_owned()
}

/// The card of the edit with local id `record` (made of letters, digits and dashes).
fn card(record: &str) -> String {
    format!("{TASK_CARDS}[data-record-id=\"{record}\"]")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_finished_edit_outlives_its_links_and_a_reload() {
    harness::run("archive", &QUICK, |studio| async move {
        studio.open().await;
        // Result links that expire 3 s after their task ends.
        studio.mock_settings(json!({"result_ttl_ms": 3000})).await;
        let input = fixture_png(320, 240);
        let input_sha = format!("{:x}", Sha256::digest(std::fs::read(&input).expect("the fixture")));
        studio.send_edit(&input, "Keep this one").await;
        studio.wait_for_status("Done").await;
        let links = studio.wait_for_loaded_results(1).await;
        let first = studio
            .js(&format!("return document.querySelector('{TASK_CARDS}').dataset.recordId;"), vec![])
            .await;
        let first = first.as_str().expect("the card's record id").to_owned();
        studio
            .wait_for(
                "the card to say its results are kept",
                &format!(
                    "return document.querySelector('{TASK_CARDS} .results > p.hint')?.textContent.trim() === 'Kept in this browser.';"
                ),
            )
            .await;
        // The card showed the bytes the keep downloaded: the link crossed the network
        // once, not once for the card and once for the archive.
        let requests = studio
            .js(&format!("return performance.getEntriesByName({}).length;", js_str(&links[0])), vec![])
            .await;
        assert_eq!(requests, 1, "the result's link should be fetched once");
        let served = sha256_in_page(&studio, &format!("fetch({}).then(r => r.blob())", js_str(&links[0]))).await;

        // The link expires: the mock answers 404 for it from then on.
        studio
            .wait_for(
                "the result's link to expire",
                &format!("return fetch({}, {{cache: 'no-store'}}).then(r => r.status === 404);", js_str(&links[0])),
            )
            .await;
        studio.reload().await;

        // Shown from the copy kept in this browser, with the bytes the link served.
        let tile = format!("{} li.result", card(&first));
        studio
            .wait_for(
                "the kept result to show after the reload",
                &format!(
                    "const img = document.querySelector('{tile} img'); \
                     return img !== null && img.src.startsWith('blob:') && img.complete && img.naturalWidth > 0;"
                ),
            )
            .await;
        let hint = studio.texts(&format!("{} .results > p.hint", card(&first))).await;
        assert_eq!(hint, ["Kept in this browser."], "no countdown for a kept result");

        // Downloaded from the kept copy (the page's CSP lets no script fetch a `blob:`
        // URL, so its bytes are checked here): the image the link served.
        studio.click(&format!("{tile} [data-action=\"download\"]")).await;
        let task_id = studio.card_text("code.task-id").await;
        let saved = studio.downloads.join(format!("seedream-{task_id}-1.jpeg"));
        let bytes = studio.wait_for_file(&saved).await;
        assert_eq!(format!("{:x}", Sha256::digest(&bytes)), served, "the download's bytes");

        // Used as an input: its link is dead, so its kept bytes go.
        let cards = studio.count(IMAGE_CARDS).await;
        studio.click(&format!("{tile} [data-action=\"use-as-input\"]")).await;
        studio.wait_for_image_cards(cards + 1).await;
        studio.set_prompt("Now in autumn").await;
        studio.submit().await;
        studio
            .wait_for(
                "the new edit's card",
                &format!("return document.querySelectorAll('{TASK_CARDS}').length === 2;"),
            )
            .await;
        studio.wait_for_status("Done").await;
        let second_task = studio.card_text("code.task-id").await;
        let inputs = studio.task_inputs(&second_task).await;
        let digests: Vec<&str> = inputs
            .as_array()
            .expect("the task's inputs")
            .iter()
            .filter_map(|input| input["sha256"].as_str())
            .collect();
        assert!(
            digests.contains(&served.as_str()),
            "the mock should have received the kept result's bytes: {inputs}"
        );

        // The new edit names where it came from; the first counts what was made from it.
        let lineage = studio.texts(&format!("{TASK_CARDS}:first-child .lineage li")).await;
        assert_eq!(lineage, ["From result 1 of “Keep this one”"]);
        let children = studio.texts(&format!("{} .lineage li", card(&first))).await;
        assert_eq!(children, ["1 edit made from it"]);
        studio
            .click(&format!("{TASK_CARDS}:first-child [data-action=\"show-parent\"]"))
            .await;
        studio
            .wait_for(
                "the parent's card to take focus",
                &format!("return document.activeElement?.dataset.recordId === {};", js_str(&first)),
            )
            .await;

        // "Edit again" on the first edit brings its local file back from the archive.
        studio.click(&format!("{} [data-action=\"edit-again\"]", card(&first))).await;
        studio
            .wait_for(
                "the form to hold the first edit",
                "return document.querySelector('#prompt')?.value === 'Keep this one' \
                 && document.querySelector('.form-notice p') !== null;",
            )
            .await;
        studio.wait_for_image_cards(1).await;
        let (prompt, previews) = studio.form_contents().await;
        assert_eq!(prompt, "Keep this one");
        assert!(previews[0].starts_with("blob:"), "the local file, from this browser: {previews:?}");
        let notice = studio.texts(".form-notice p").await;
        assert!(
            notice.len() == 1 && !notice[0].contains("did not keep"),
            "nothing should be missing: {notice:?}"
        );
        // Sent again, the mock receives the very file first sent.
        studio.submit().await;
        studio
            .wait_for(
                "the third edit's card",
                &format!("return document.querySelectorAll('{TASK_CARDS}').length === 3;"),
            )
            .await;
        studio.wait_for_status("Done").await;
        let third_task = studio.card_text("code.task-id").await;
        let inputs = studio.task_inputs(&third_task).await;
        assert_eq!(
            inputs[0]["sha256"].as_str(),
            Some(input_sha.as_str()),
            "the restored input should be the file sent: {inputs}"
        );

        // Removed, the third edit's images stay while Undo is offered, then its result
        // goes; the input it shares with the first edit stays for that one.
        let third = studio
            .js(&format!("return document.querySelector('{TASK_CARDS}').dataset.recordId;"), vec![])
            .await;
        let third = third.as_str().expect("the card's record id").to_owned();
        let third_result = ImageKey::result(&third, 0).to_string();
        let shared_input = ImageKey::Input { sha256: input_sha.clone() }.to_string();
        studio
            .wait_for("the third edit's result to be kept", &holds(&third_result, true))
            .await;
        studio.click(&format!("{} [data-action=\"remove\"]", card(&third))).await;
        assert_eq!(studio.js(&holds(&third_result, true), vec![]).await, true, "kept while Undo is offered");
        studio
            .wait_for("the removed edit's result to go once Undo expired", &holds(&third_result, false))
            .await;
        assert_eq!(studio.js(&holds(&shared_input, true), vec![]).await, true, "the first edit's input stays");
    })
    .await;
}

/// A script answering whether the archive's `blobs` store holds `key` as `held` says.
fn holds(key: &str, held: bool) -> String {
    let database = Archive::name_for(seedream_studio::history::STORAGE_KEY);
    format!(
        "return new Promise((resolve) => {{
           const open = indexedDB.open({database});
           open.onerror = () => resolve(null);
           open.onsuccess = () => {{
             const db = open.result;
             const get = db.transaction('blobs').objectStore('blobs').getKey({key});
             get.onsuccess = () => {{ db.close(); resolve((get.result !== undefined) === {held}); }};
             get.onerror = () => {{ db.close(); resolve(null); }};
           }};
         }});",
        database = js_str(&database),
        key = js_str(key),
    )
}
