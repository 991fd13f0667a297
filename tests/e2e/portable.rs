//! Taking the history to another browser, through the interface: "Export history"
//! downloads one zip; on an empty studio (storage cleared, as another browser's),
//! "Import…" brings the edit back with its kept result and says so; the same file
//! again adds nothing; "Download all" on a card downloads that edit alone, and chosen
//! edits are what the export takes.

use seedream_studio::archive::Archive;

use crate::harness::{self, Studio};
use crate::mock::fixture_png;
use crate::page::{TASK_CARDS, js_str};

const QUICK: [&str; 4] = ["--queue-time", "300ms", "--processing-time", "700ms"];
const IMPORT_INPUT: &str = ".carry input[type=file]";

/// Waits until the export and import status line reads `lines`.
async fn wait_for_status_lines(studio: &Studio, lines: &[&str]) {
    let expected = serde_json::to_string(lines).expect("JSON of the lines");
    studio
        .wait_for(
            &format!("the export/import status to read {lines:?}"),
            &format!(
                "return JSON.stringify(Array.from(document.querySelectorAll('.carry-status p'), p => p.textContent.trim())) === {};",
                js_str(&expected)
            ),
        )
        .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_history_exported_here_imports_on_an_empty_studio() {
    harness::run("portable", &QUICK, |studio| async move {
        studio.open().await;
        studio.send_edit(&fixture_png(200, 150), "Carry me home").await;
        studio.wait_for_status("Done").await;
        studio
            .wait_for(
                "the edit to be kept",
                &format!("return document.querySelector('{TASK_CARDS} [data-action=\"download-all\"]') !== null;"),
            )
            .await;

        // "Download all" on the card: a zip of that edit.
        studio.click(&format!("{TASK_CARDS} [data-action=\"download-all\"]")).await;
        wait_for_status_lines(&studio, &["Exported 1 edit."]).await;

        // Chosen edits are what the export takes; with none chosen, everything.
        studio.click(&format!("{TASK_CARDS} [data-action=\"select\"]")).await;
        studio
            .wait_for(
                "the export to take the chosen edit",
                "return document.querySelector('[data-action=\"export-history\"]')?.textContent.trim() === 'Export 1 selected';",
            )
            .await;
        studio.click("[data-action=\"clear-selection\"]").await;
        studio
            .wait_for(
                "the export to take everything again",
                "return document.querySelector('[data-action=\"export-history\"]')?.textContent.trim() === 'Export history' \
                 && !document.querySelector('[data-action=\"select\"]').checked;",
            )
            .await;

        studio.click("[data-action=\"export-history\"]").await;
        let name = studio
            .js("const d = new Date(); return `seedream-studio-${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}.zip`;", vec![])
            .await;
        let saved = studio.downloads.join(name.as_str().expect("a file name"));
        let zip = studio.wait_for_file(&saved).await;
        assert!(zip.starts_with(b"PK\x03\x04"), "a zip");

        // Another browser: nothing stored. The page's own connection closes with the
        // reload, and the database goes then.
        let database = Archive::name_for(seedream_studio::history::STORAGE_KEY);
        studio
            .js(&format!("indexedDB.deleteDatabase({}); localStorage.clear();", js_str(&database)), vec![])
            .await;
        studio.reload().await;
        studio.wait_for("an empty list", &format!("return document.querySelectorAll('{TASK_CARDS}').length === 0;")).await;

        let input = studio.find(IMPORT_INPUT).await;
        input.send_keys(saved.to_str().expect("a UTF-8 path")).await.expect("the file input takes a path");
        wait_for_status_lines(&studio, &["Imported 1 edit."]).await;
        let prompts = studio.texts(&format!("{TASK_CARDS} .task-prompt")).await;
        assert_eq!(prompts, ["Carry me home"]);
        studio
            .wait_for(
                "the imported result to show from this browser",
                &format!(
                    "const img = document.querySelector('{TASK_CARDS} li.result img'); \
                     return img !== null && img.src.startsWith('blob:') && img.complete && img.naturalWidth > 0;"
                ),
            )
            .await;
        let hint = studio.texts(&format!("{TASK_CARDS} .results > p.hint")).await;
        assert_eq!(hint, ["Kept in this browser."]);

        // The same file again: nothing new.
        let input = studio.find(IMPORT_INPUT).await;
        input.send_keys(saved.to_str().expect("a UTF-8 path")).await.expect("the file input takes a path");
        wait_for_status_lines(&studio, &["Imported 0 edits.", "1 already here were left as they were."]).await;
        assert_eq!(studio.count(TASK_CARDS).await, 1);
    })
    .await;
}
