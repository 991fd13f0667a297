//! Two tabs of the studio share one history: neither overwrites the other's edits, a
//! removal in one stays removed in both, and each follows the other's changes live.

use fantoccini::wd::WindowHandle;

use crate::harness::{self, Studio};
use crate::mock::fixture_png;
use crate::page::{TASK_CARDS, TASK_SUMMARIES, js_str};

async fn switch_to(studio: &Studio, tab: &WindowHandle) {
    studio
        .browser
        .switch_to_window(tab.clone())
        .await
        .expect("the tab can be switched to");
}

/// Waits until the current tab's list shows exactly `prompts`, each card "Done".
async fn wait_for_done(studio: &Studio, prompts: &[&str], tab: &str) {
    let mut expected: Vec<&str> = prompts.to_vec();
    expected.sort_unstable();
    let check = format!(
        "const cards = {TASK_SUMMARIES}; \
         const prompts = cards.map(c => c.prompt).sort(); \
         return JSON.stringify(prompts) === {expected} && cards.every(c => c.status === 'Done');",
        expected = js_str(&serde_json::to_string(&expected).expect("JSON of the prompts")),
    );
    studio
        .wait_for(&format!("{tab} to show {prompts:?}, each done"), &check)
        .await;
}

/// Presses Remove on the card whose prompt is `prompt`.
async fn remove(studio: &Studio, prompt: &str) {
    let script = format!(
        "const card = Array.from(document.querySelectorAll({cards})) \
             .find(c => c.querySelector('.task-prompt')?.textContent.trim() === {prompt}); \
         const button = card && Array.from(card.querySelectorAll('button')) \
             .find(b => b.textContent.trim() === 'Remove'); \
         if (!button) return false; button.click(); return true;",
        cards = js_str(TASK_CARDS),
        prompt = js_str(prompt),
    );
    studio
        .wait_for(&format!("a Remove button on {prompt:?}"), &script)
        .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_tabs_keep_each_others_edits_and_removals() {
    let flags = ["--queue-time", "1s", "--processing-time", "2s"];
    harness::run("two_tabs", &flags, |studio| async move {
        let (from_a, from_b) = ("An edit sent from tab A", "An edit sent from tab B");
        studio.open().await;
        let tab_a = studio.browser.window().await.expect("the first tab");
        let tab_b = studio
            .browser
            .new_window(true)
            .await
            .expect("a second tab opens")
            .handle;
        switch_to(&studio, &tab_b).await;
        studio.open().await;

        // Each tab sends one edit; each saves its whole list as it goes.
        studio.send_edit(&fixture_png(160, 120), from_b).await;
        switch_to(&studio, &tab_a).await;
        studio.send_edit(&fixture_png(160, 120), from_a).await;
        wait_for_done(&studio, &[from_a, from_b], "tab A").await;
        switch_to(&studio, &tab_b).await;
        wait_for_done(&studio, &[from_a, from_b], "tab B").await;

        // Both survive a reload: neither tab's save overwrote the other's edit.
        studio.reload().await;
        wait_for_done(&studio, &[from_a, from_b], "tab B after a reload").await;

        // A removal in one tab reaches the other at once, and stays after reloads.
        remove(&studio, from_a).await;
        wait_for_done(&studio, &[from_b], "tab B after removing A's edit").await;
        switch_to(&studio, &tab_a).await;
        wait_for_done(&studio, &[from_b], "tab A after tab B removed its edit").await;
        studio.reload().await;
        wait_for_done(&studio, &[from_b], "tab A after a reload").await;
    })
    .await;
}
