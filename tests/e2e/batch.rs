//! One instruction over many images: a batch of edits sent by its queue, against the
//! mock's real limits and faults, through a reload.

use crate::harness::{self, Studio};
use crate::mock::fixture_png;
use crate::page::{TASK_CARDS, js_str};

/// Quick tasks: the batch's rules are the subject, not the wait.
const QUICK: [&str; 4] = ["--queue-time", "300ms", "--processing-time", "700ms"];
const PROMPT: &str = "Put this product on a white marble table";
const BATCH_INPUT: &str = "form.edit-form .batch-mode input[type=file]";
const BATCH_ITEMS: &str = "form.edit-form .batch-list > li.batch-item";
const START: &str = "form.edit-form button[type=submit].primary";
const PANEL: &str = "section.batch-panel";

/// One shared image, then batch mode with `items` images to edit and the prompt.
async fn fill_batch(studio: &Studio, items: u32) {
    studio.open().await;
    studio.upload(&fixture_png(300, 200)).await;
    studio
        .click("form.edit-form .batch-mode .mode-option:nth-child(2) input")
        .await;
    let paths: Vec<String> = (0..items)
        .map(|i| fixture_png(320 + i, 240).display().to_string())
        .collect();
    let input = studio.find(BATCH_INPUT).await;
    input
        .send_keys(&paths.join("\n"))
        .await
        .expect("the batch's file input takes paths");
    let check = format!(
        "return document.querySelectorAll({}).length === {items};",
        js_str(BATCH_ITEMS)
    );
    studio
        .wait_for(&format!("{items} images to edit"), &check)
        .await;
    studio.set_prompt(PROMPT).await;
}

/// The panel's text at `css`.
async fn panel_text(studio: &Studio, css: &str) -> String {
    studio.texts(&format!("{PANEL} {css}")).await.join(" ")
}

/// Waits until the panel's progress line reads `text`.
async fn wait_progress(studio: &Studio, what: &str, text: &str) {
    let check = format!(
        "return document.querySelector('{PANEL} .batch-progress')?.textContent.trim() === {};",
        js_str(text)
    );
    studio.wait_for(what, &check).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_batch_runs_every_item_two_at_a_time() {
    harness::run("batch", &QUICK, |studio| async move {
        fill_batch(&studio, 5).await;
        let label = studio.texts(START).await;
        assert_eq!(label, ["Start 5 edits"]);
        let summary = studio.texts("form.edit-form .request-summary").await;
        assert!(
            summary[0].starts_with("5 edits × 2 input images"),
            "the summary says what each edit sends: {summary:?}"
        );
        studio.click(START).await;
        wait_progress(
            &studio,
            "the batch to finish",
            "Finished: 5 of 5 done, 0 failed.",
        )
        .await;
        let statuses = studio.texts(&format!("{TASK_CARDS} span.status")).await;
        assert_eq!(statuses, ["Done"; 5], "every item reached its results");
        let groups = studio.texts(&format!("{TASK_CARDS} .task-group")).await;
        assert_eq!(
            groups,
            (1..=5)
                .rev()
                .map(|n| format!("Batch · edit {n} of 5"))
                .collect::<Vec<_>>(),
            "each card says its place in the batch, newest first"
        );
        let params = studio.texts(&format!("{TASK_CARDS} .task-params")).await;
        assert!(
            params.iter().all(|p| p.starts_with("2 input images")),
            "each edit got its image and the shared one: {params:?}"
        );
        assert_eq!(
            studio.mock_count("most_unfinished").await,
            2,
            "two at once, never more"
        );
        assert_eq!(studio.mock_count("submits").await, 5, "each item sent once");
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_one_task_allowed_the_queue_waits_out_each_429() {
    harness::run("batch_429", &QUICK, |studio| async move {
        studio
            .mock_settings(serde_json::json!({"max_concurrent_tasks": 1}))
            .await;
        fill_batch(&studio, 3).await;
        studio.click(START).await;
        wait_progress(
            &studio,
            "the batch to finish",
            "Finished: 3 of 3 done, 0 failed.",
        )
        .await;
        assert_eq!(
            studio.count(TASK_CARDS).await,
            3,
            "a refused try leaves no card of its own"
        );
        assert_eq!(studio.mock_count("most_unfinished").await, 1);
        assert_eq!(studio.mock_count("submits").await, 3, "accepted once each");
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refusal_for_the_account_pauses_and_an_unknown_outcome_stops_and_asks() {
    harness::run("batch_faults", &QUICK, |studio| async move {
        fill_batch(&studio, 3).await;
        studio.add_faults(&["submit:402"]).await;
        studio.click(START).await;
        let check = format!(
            "return document.querySelector('{PANEL} .batch-paused')?.textContent.startsWith('Paused: the service refused');"
        );
        studio.wait_for("the batch to pause on the 402", &check).await;
        assert_eq!(studio.mock_count("submits").await, 0);
        // Resumed: the refused item goes again, and its answer never comes, which
        // stops the queue; it never sends that item again by itself. (Chromium resends
        // a request on its own when a reused connection closes unanswered, once per
        // idle connection: every connection is dropped until the page has given up.)
        studio.add_faults(&["submit:drop:50"]).await;
        studio.click(&format!("{PANEL} [data-action=resume-batch]")).await;
        let check = format!(
            "return document.querySelector('{PANEL} .batch-paused')?.textContent.startsWith('Paused: no answer came');"
        );
        studio.wait_for("the batch to stop on the lost answer", &check).await;
        studio.clear_faults().await;
        let submitted = studio.mock_count("submits").await;
        studio.click(&format!("{PANEL} [data-action=resume-batch]")).await;
        wait_progress(&studio, "the batch to finish", "Finished: 2 of 3 done, 1 failed.").await;
        assert_eq!(
            studio.mock_count("submits").await,
            submitted + 2,
            "the rest went once each; the lost one was not resent"
        );
        let progress = panel_text(&studio, ".batch-progress").await;
        assert!(progress.contains("2 of 3 done"), "{progress}");
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reload_keeps_the_unsent_items_paused_and_resumable() {
    let slow = ["--queue-time", "1s", "--processing-time", "3s"];
    harness::run("batch_reload", &slow, |studio| async move {
        studio
            .mock_settings(serde_json::json!({"max_concurrent_tasks": 0}))
            .await;
        fill_batch(&studio, 4).await;
        // One at a time, so most items are still waiting at the reload.
        studio
            .click("form.edit-form .batch-concurrency select")
            .await;
        studio
            .js(
                "const s = document.querySelector('form.edit-form .batch-concurrency select'); \
                 s.value = '1'; s.dispatchEvent(new Event('change', { bubbles: true }));",
                vec![],
            )
            .await;
        studio.click(START).await;
        let check = format!("return document.querySelectorAll({}).length >= 1;", js_str(TASK_CARDS));
        studio.wait_for("the first item to be sent", &check).await;
        studio.reload().await;
        let check = format!(
            "return document.querySelector('{PANEL} .batch-paused')?.textContent.startsWith('Paused when the page was reloaded');"
        );
        studio.wait_for("the batch to be paused after the reload", &check).await;
        studio.click(&format!("{PANEL} [data-action=resume-batch]")).await;
        wait_progress(&studio, "the batch to finish after resuming", "Finished: 4 of 4 done, 0 failed.").await;
        assert_eq!(studio.mock_count("submits").await, 4, "each item sent once");
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_batch_of_a_hundred_images_keeps_wasm_memory_small() {
    // Tasks that stay running: the batch holds all 100 items while two are sent.
    let running = ["--queue-time", "0ms", "--processing-time", "600s"];
    harness::run("batch_memory", &running, |studio| async move {
        studio.open().await;
        let memory = "return window.wasmBindings.wasm_memory_bytes();";
        let before = studio.js(memory, vec![]).await.as_f64().expect("the wasm memory's size");
        studio
            .click("form.edit-form .batch-mode .mode-option:nth-child(2) input")
            .await;
        let paths: Vec<String> = (0..100)
            .map(|i| fixture_png(16 + i, 16).display().to_string())
            .collect();
        studio
            .find(BATCH_INPUT)
            .await
            .send_keys(&paths.join("\n"))
            .await
            .expect("the batch's file input takes paths");
        let check = format!(
            "return document.querySelectorAll({}).length === 100;",
            js_str(BATCH_ITEMS)
        );
        studio.wait_for("100 images to edit", &check).await;
        studio.set_prompt(PROMPT).await;
        studio.click(START).await;
        wait_progress(&studio, "two of the batch to be sent", "2 of 100 sent · 2 running · 0 done · 0 failed").await;
        let after = studio.js(memory, vec![]).await.as_f64().expect("the wasm memory's size");
        let grown_mb = (after - before) / 1024.0 / 1024.0;
        eprintln!("a batch of 100 images grew wasm memory by {grown_mb:.1} MB");
        assert!(grown_mb <= 16.0, "the batch grew wasm memory by {grown_mb:.1} MB");
        studio.click(&format!("{PANEL} [data-action=cancel-batch]")).await;
        let check = format!(
            "return document.querySelector('{PANEL} .batch-progress')?.textContent.includes('98 cancelled');"
        );
        studio.wait_for("the rest to be cancelled", &check).await;
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_second_tab_follows_the_batch_and_never_sends_it() {
    let flags = ["--queue-time", "500ms", "--processing-time", "1500ms"];
    harness::run("batch_tabs", &flags, |studio| async move {
        fill_batch(&studio, 4).await;
        studio.click(START).await;
        let check = format!("return document.querySelectorAll({}).length >= 1;", js_str(TASK_CARDS));
        studio.wait_for("the first item to be sent", &check).await;
        let tab_b = studio
            .browser
            .new_window(true)
            .await
            .expect("a second tab opens")
            .handle;
        studio
            .browser
            .switch_to_window(tab_b)
            .await
            .expect("the second tab");
        studio.open().await;
        let check = format!(
            "return document.querySelector('{PANEL} .batch-notice')?.textContent.startsWith('Another tab is sending this batch');"
        );
        studio.wait_for("the second tab to say another tab sends", &check).await;
        assert!(
            studio.texts(&format!("{PANEL} .batch-actions button")).await.is_empty(),
            "its controls are the sending tab's"
        );
        wait_progress(&studio, "the second tab to see the batch finish", "Finished: 4 of 4 done, 0 failed.").await;
        assert_eq!(studio.mock_count("submits").await, 4, "each item sent once, by one tab");
    })
    .await;
}
