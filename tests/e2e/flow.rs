//! The main path: images in, an instruction, Edit, the task followed to the end, and
//! its results shown; and the same task surviving a reload of the page.

use crate::harness::{self, Studio};
use crate::mock::fixture_png;
use crate::page::{IMAGE_CARDS, TASK_CARDS};

/// Adds a real 640x480 PNG file and, by address, a real JPEG this server serves (a
/// mock result); returns that address.
async fn add_two_images(studio: &Studio) -> String {
    let photo = fixture_png(640, 480);
    let address = studio.result_url_from_api().await;
    studio.upload(&photo).await;
    studio.add_url(&address).await;

    let cards = studio.texts(&format!("{IMAGE_CARDS} .image-label")).await;
    assert_eq!(
        cards,
        ["Image 1", "Image 2"],
        "the file and the address should be Image 1 and Image 2, in the order added"
    );
    let details = studio.texts(&format!("{IMAGE_CARDS} .image-details")).await;
    assert!(
        details[0].contains("PNG") && details[0].contains("640 × 480"),
        "the file's card should give its format and pixel size: {details:?}"
    );
    assert!(
        details[1].contains("URL") && details[1].contains("2048 × 2048"),
        "the address's card should say it is a URL and give the image's pixel size: {details:?}"
    );
    let (_, thumbnails) = studio.form_contents().await;
    assert_eq!(
        thumbnails[1], address,
        "the address's card should preview the address itself"
    );

    // Reordered by dragging a handle with a real pointer: a mouse, then a finger.
    let names_css = format!("{IMAGE_CARDS} .image-name");
    let names = || studio.texts(&names_css);
    let added = names().await;
    studio.drag_image(1, 0, false).await;
    let swapped: Vec<String> = added.iter().rev().cloned().collect();
    assert_eq!(names().await, swapped, "a mouse drag moves Image 2 first");
    studio.drag_image(1, 0, true).await;
    assert_eq!(names().await, added, "and back, as added");
    address
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_edit_is_queued_then_generated_then_shows_every_result() {
    let flags = ["--queue-time", "2s", "--processing-time", "4s"];
    harness::run("happy_path", &flags, |studio| async move {
        studio.open().await;
        add_two_images(&studio).await;
        let prompt = "Put the product from image 2 on the table in image 1";
        studio.set_prompt(prompt).await;
        let count = studio.texts("#prompt-count").await;
        assert!(
            count[0].starts_with(&format!("{} / ", prompt.chars().count())),
            "the counter should count the prompt's characters: {count:?}"
        );
        studio.ask_for_set(3).await;
        studio.submit().await;

        studio.wait_for_status("Done").await;
        let urls = studio.wait_for_loaded_results(3).await;
        for url in &urls {
            assert!(
                url.starts_with(&studio.url("/mock/results/")),
                "results should come from the mock's result route: {url}"
            );
        }

        let statuses = studio.seen_statuses().await;
        let at = |label: &str| statuses.iter().position(|s| s == label);
        let (queued, generating, done) = (at("Queued"), at("Generating"), at("Done"));
        assert!(
            queued.is_some() && generating.is_some() && done.is_some(),
            "the card should have shown Queued, Generating and Done: {statuses:?}"
        );
        assert!(
            queued < generating && generating < done,
            "the statuses should come in order: {statuses:?}"
        );
        assert_eq!(
            studio.card_text(".task-prompt").await,
            prompt,
            "the card should show the prompt sent"
        );
        let params = studio.card_text(".task-params").await;
        assert!(
            params.starts_with("2 input images") && params.contains("a set of up to 3"),
            "the card should describe what was sent: {params:?}"
        );
        // Until they are kept, how long their links last; then that they are kept.
        studio
            .wait_for(
                "the card to say its results are kept in this browser",
                &format!(
                    "return document.querySelector('{TASK_CARDS} .results > p.hint')?.textContent.trim() === 'Kept in this browser.';"
                ),
            )
            .await;
        assert_eq!(
            studio.count(&format!("{TASK_CARDS} .task-message")).await,
            0,
            "a successful edit shows no error"
        );
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_task_running_during_a_reload_is_followed_to_the_end() {
    let flags = ["--queue-time", "3s", "--processing-time", "4s"];
    harness::run("reload", &flags, |studio| async move {
        studio.open().await;
        studio.upload(&fixture_png(320, 240)).await;
        studio.set_prompt("Turn this into a watercolour").await;
        studio.submit().await;
        studio.wait_for_status("Queued").await;

        studio.reload().await;
        // The cards render just after the app says it is ready: wait for them.
        let still_running = format!(
            "const s = Array.from(document.querySelectorAll('{TASK_CARDS} span.status')); \
             return s.length === 1 && ['Queued', 'Generating'].includes(s[0].textContent.trim());"
        );
        studio
            .wait_for(
                "the card to be back after the reload, still running",
                &still_running,
            )
            .await;
        assert_eq!(
            studio.card_text(".task-prompt").await,
            "Turn this into a watercolour",
            "the reloaded card should keep its prompt"
        );

        studio.wait_for_status("Done").await;
        let urls = studio.wait_for_loaded_results(1).await;
        assert_eq!(urls.len(), 1, "one result without a set");
        let statuses = studio.seen_statuses().await;
        assert_eq!(
            statuses.last().map(String::as_str),
            Some("Done"),
            "the reloaded page should have followed the task to Done: {statuses:?}"
        );
        assert_ne!(
            statuses.first().map(String::as_str),
            Some("Done"),
            "the task should still have been running when the page came back: {statuses:?}"
        );
    })
    .await;
}
