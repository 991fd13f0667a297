//! No one click loses work: clearing leaves running edits alone, and a removal can be
//! undone for a while, surviving a reload once undone.

use crate::harness::{self, Studio};
use crate::mock::fixture_png;
use crate::page::{TASK_SUMMARIES, js_str};

/// Waits until the list shows exactly `prompts`, newest first.
async fn wait_for_prompts(studio: &Studio, prompts: &[&str], when: &str) {
    let check = format!(
        "return JSON.stringify({TASK_SUMMARIES}.map(c => c.prompt)) === {expected};",
        expected = js_str(&serde_json::to_string(prompts).expect("JSON of the prompts")),
    );
    studio
        .wait_for(&format!("the list to show {prompts:?} {when}"), &check)
        .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn clearing_keeps_running_edits_and_removals_can_be_undone() {
    // Long enough that the second edit is still running while the list is cleared.
    let flags = ["--queue-time", "1s", "--processing-time", "3s"];
    harness::run("undo", &flags, |studio| async move {
        let (finished, running) = ("A finished edit", "A running edit");
        studio.open().await;
        // Two pictures, each written once: the form refuses a file changed after it was added.
        studio.send_edit(&fixture_png(160, 120), finished).await;
        studio.wait_for_status("Done").await;
        studio.send_edit(&fixture_png(200, 120), running).await;

        studio.click(".tasks-head button").await;
        wait_for_prompts(&studio, &[running], "after clearing").await;
        let notice = studio.texts(".undo-notice").await.join(" ");
        assert!(
            notice.contains("Removed an edit") && notice.contains("One still running was kept"),
            "the notice should say what went and what stayed: {notice:?}"
        );
        studio.click(".undo-notice button").await;
        wait_for_prompts(&studio, &[running, finished], "after Undo").await;
        assert_eq!(studio.count(".undo-notice").await, 0, "Undo is done");

        // Undone is saved: the edit is back after a reload too.
        studio.reload().await;
        wait_for_prompts(&studio, &[running, finished], "after a reload").await;
        studio.wait_for_status("Done").await;

        // With nothing running, the button clears all; Undo brings all back.
        studio.click(".tasks-head button").await;
        wait_for_prompts(&studio, &[], "after clearing all").await;
        let notice = studio.texts(".undo-notice").await.join(" ");
        assert!(notice.contains("Removed 2 edits"), "{notice:?}");
        studio.click(".undo-notice button").await;
        wait_for_prompts(&studio, &[running, finished], "after the second Undo").await;
    })
    .await;
}
