//! No one click loses work: clearing leaves running edits alone, and a removal can be
//! undone for a while, surviving a reload once undone. A removed running edit costs no
//! more queries, whichever window removed it, until it is undone.

use std::time::{Duration, Instant};

use crate::harness::{self, Studio};
use crate::mock::fixture_png;
use crate::page::{TASK_SUMMARIES, WAIT, js_str};

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

        // Undone is saved (under the history's lock, a moment after the click): the
        // edit is back after a reload too.
        let stored = format!(
            "const raw = localStorage.getItem({key}); \
             return raw !== null && JSON.parse(raw).map(r => r.prompt).sort().join('|') === {both};",
            key = js_str(seedream_studio::history::STORAGE_KEY),
            both = js_str(&[finished, running].join("|"))
        );
        studio.wait_for("the undone edit to be stored", &stored).await;
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

/// Longer than the poller's steady interval (4 s): a followed task is asked at least
/// once in this time.
const LONGER_THAN_A_POLL: Duration = Duration::from_secs(6);

/// Waits until the mock counts a task query it had not counted yet.
async fn wait_for_a_query(studio: &Studio, when: &str) {
    let before = studio.mock_count("task_queries").await;
    let deadline = Instant::now() + WAIT;
    while studio.mock_count("task_queries").await <= before {
        assert!(
            Instant::now() < deadline,
            "the task should be queried {when}, but the mock counted no query in {WAIT:?}"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// Checks that no task is queried for longer than a poll's interval. A wait of fixed
/// length, because what is checked is that nothing happens in it.
async fn assert_no_queries(studio: &Studio, when: &str) {
    // A query already on its way when the task went may still be counted.
    tokio::time::sleep(Duration::from_secs(1)).await;
    let before = studio.mock_count("task_queries").await;
    tokio::time::sleep(LONGER_THAN_A_POLL).await;
    let after = studio.mock_count("task_queries").await;
    assert_eq!(
        after - before,
        0,
        "no task should be queried {when}, but the mock counted {} queries in {LONGER_THAN_A_POLL:?}",
        after - before
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_removed_running_edit_is_not_queried_until_undone() {
    // Running for the whole test: only a removal can stop its queries.
    let flags = ["--queue-time", "1s", "--processing-time", "600s"];
    harness::run("removal_queries", &flags, |studio| async move {
        let prompt = "A long edit";
        studio.open().await;
        studio.send_edit(&fixture_png(160, 120), prompt).await;
        studio.wait_for_status("Generating").await;
        wait_for_a_query(&studio, "while it runs").await;

        // Removed here: its queries stop, and Undo brings them back.
        studio.click_card_button("Remove").await;
        wait_for_prompts(&studio, &[], "after Remove").await;
        assert_no_queries(&studio, "once it is removed").await;
        studio.click(".undo-notice button").await;
        wait_for_prompts(&studio, &[prompt], "after Undo").await;
        wait_for_a_query(&studio, "after Undo").await;

        // Removed in another window, which follows it too: both stop asking.
        let first = studio.browser.window().await.expect("the first window");
        let second = studio
            .browser
            .new_window(false)
            .await
            .expect("a second window opens")
            .handle;
        studio
            .browser
            .switch_to_window(second)
            .await
            .expect("the second window");
        studio.open().await;
        studio.wait_for_status("Generating").await;
        studio.click_card_button("Remove").await;
        wait_for_prompts(&studio, &[], "in the window that removed it").await;
        studio
            .browser
            .switch_to_window(first.clone())
            .await
            .expect("the first window");
        wait_for_prompts(&studio, &[], "in the first window").await;
        assert_no_queries(&studio, "once another window removed it").await;

        // Undone there: followed again, here too.
        let second = studio
            .browser
            .windows()
            .await
            .expect("the windows")
            .into_iter()
            .find(|window| *window != first)
            .expect("the second window is still open");
        studio
            .browser
            .switch_to_window(second)
            .await
            .expect("the second window");
        studio.click(".undo-notice button").await;
        wait_for_a_query(&studio, "after Undo in the other window").await;
        studio
            .browser
            .switch_to_window(first)
            .await
            .expect("the first window");
        wait_for_prompts(&studio, &[prompt], "back in the first window").await;
    })
    .await;
}
