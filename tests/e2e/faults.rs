//! What goes wrong, as the mock makes it go wrong (`--fault`, `--require-key`), and
//! what the page says about it: each message as the user needs it, and nothing lost
//! (the form keeps its prompt and images, the card stays in the list).

use fantoccini::key::Key;

use crate::harness::{self, Studio};
use crate::mock::fixture_png;
use crate::page::{EDIT_BUTTON, TASK_CARDS};

const PROMPT: &str = "Make the sky a deep orange sunset";

/// Opens the app and fills the form with one real image and [`PROMPT`].
async fn fill_form(studio: &Studio) {
    studio.open().await;
    studio.upload(&fixture_png(400, 300)).await;
    studio.set_prompt(PROMPT).await;
}

/// The form still holds what the user entered.
async fn assert_form_kept(studio: &Studio) {
    let (prompt, images) = studio.form_contents().await;
    assert_eq!(prompt, PROMPT, "the form should keep the prompt");
    assert_eq!(images.len(), 1, "the form should keep its image");
}

/// The newest card's error message, once it has one.
async fn message(studio: &Studio) -> String {
    studio
        .wait_for(
            "an error message on the newest task card",
            &format!(
                "return document.querySelector('{TASK_CARDS} p.task-message')?.textContent.trim();"
            ),
        )
        .await
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

/// Sets the API key in the connection settings (Enter applies it).
async fn set_key(studio: &Studio, key: &str) {
    let open = studio
        .js(
            "return document.querySelector('details.settings').open;",
            vec![],
        )
        .await;
    if open != true {
        studio.click("details.settings > summary").await;
    }
    let field = studio.find("#api-key").await;
    field.clear().await.expect("the key field clears");
    field
        .send_keys(&format!("{key}{}", &*Key::Enter))
        .await
        .expect("the key field takes text");
    let check = format!(
        "return document.querySelector('#api-key').value === {};",
        crate::page::js_str(key)
    );
    studio
        .wait_for("the key field to hold the key", &check)
        .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_missing_or_wrong_key_says_to_check_it_and_the_right_key_works() {
    let flags = ["--require-key", "e2e-secret-key"];
    harness::run("unauthorized", &flags, |studio| async move {
        fill_form(&studio).await;
        studio.submit().await;
        studio.wait_for_status("Rejected").await;
        let text = message(&studio).await;
        assert!(
            text.contains("missing API key") && text.contains("Check the API key in the settings."),
            "without a key the card should say one is missing and to check it: {text:?}"
        );
        assert_form_kept(&studio).await;

        set_key(&studio, "not-the-key").await;
        studio.submit().await;
        studio.wait_for_status("Rejected").await;
        let text = message(&studio).await;
        assert!(
            text.contains("invalid API key") && text.contains("Check the API key in the settings."),
            "with a wrong key the card should say it is invalid and to check it: {text:?}"
        );
        assert_form_kept(&studio).await;

        set_key(&studio, "e2e-secret-key").await;
        studio.submit().await;
        studio.wait_for_status("Done").await;
        studio.wait_for_loaded_results(1).await;
        assert_eq!(
            studio.count(TASK_CARDS).await,
            3,
            "the two refused edits should stay in the list beside the one that worked"
        );
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_low_balance_says_to_top_up_and_the_edit_can_be_sent_again() {
    harness::run("balance", &["--fault", "submit:402"], |studio| async move {
        fill_form(&studio).await;
        studio.submit().await;
        studio.wait_for_status("Rejected").await;
        let text = message(&studio).await;
        assert!(
            text.contains("Insufficient balance") && text.contains("balance is too low"),
            "the card should say the balance is too low: {text:?}"
        );
        assert_form_kept(&studio).await;

        studio.submit().await;
        studio.wait_for_status("Done").await;
        studio.wait_for_loaded_results(1).await;
        assert_eq!(
            studio.count(TASK_CARDS).await,
            2,
            "the refused edit stays listed"
        );
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refusal_inside_a_success_answer_says_to_change_the_request_and_offers_no_resend() {
    // A provider that answers HTTP 200 with `{"code": 400, ...}` inside.
    harness::run(
        "envelope",
        &["--fault", "submit:envelope=400"],
        |studio| async move {
            fill_form(&studio).await;
            studio.submit().await;
            studio.wait_for_status("Rejected").await;
            let text = message(&studio).await;
            assert!(
                text.contains("Invalid parameters") && text.contains("Correct the field it names"),
                "the card should say to change the request: {text:?}"
            );
            let buttons = studio
                .texts(&format!("{TASK_CARDS} .task-actions button"))
                .await;
            assert_eq!(
                buttons,
                ["Edit again", "Remove"],
                "the same refused request is not offered again"
            );
            assert_form_kept(&studio).await;
        },
    )
    .await;
}

/// One query answered with `fault`, then the task is followed to Done; the card said
/// it was waiting to check again, in words containing `said`.
async fn query_fault_is_retried(name: &str, fault: &str, said: &'static str) {
    harness::run(name, &["--fault", fault], move |studio| async move {
        fill_form(&studio).await;
        studio.submit().await;
        studio.wait_for_status("Done").await;
        studio.wait_for_loaded_results(1).await;

        let notes = studio.seen_notes().await;
        assert!(
            notes
                .iter()
                .any(|n| n.to_lowercase().contains(said) && n.contains("Checking again in")),
            "the card should have said {said:?} and that it checks again: {notes:?}"
        );
        assert_eq!(
            studio.card_text("p.hint[role=status]").await,
            "",
            "the note should be gone once the task is done"
        );
        assert_eq!(
            studio.count(&format!("{TASK_CARDS} .task-message")).await,
            0,
            "a retried query is no error"
        );
        assert_form_kept(&studio).await;
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rate_limited_query_waits_and_retries() {
    query_fault_is_retried("rate_limited", "task:429", "rate limit").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unavailable_service_is_retried() {
    query_fault_is_retried("unavailable", "task:503:2", "unavailable").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failed_task_shows_its_reason() {
    let fault = "submit:fail=The model could not find a sky in image 1";
    harness::run("failed", &["--fault", fault], |studio| async move {
        fill_form(&studio).await;
        studio.submit().await;
        studio.wait_for_status("Failed").await;
        let text = message(&studio).await;
        assert_eq!(
            text, "The edit failed: The model could not find a sky in image 1",
            "the card should give the reason the task failed"
        );
        assert!(
            studio.seen_statuses().await.contains(&"Queued".to_owned()),
            "the task should have been queued before it failed"
        );
        assert_eq!(
            studio.count(&format!("{TASK_CARDS} ul.gallery")).await,
            0,
            "a failed task has no results"
        );
        assert_form_kept(&studio).await;
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_malformed_answer_stops_checking_until_check_now() {
    harness::run(
        "malformed",
        &["--fault", "task:malformed"],
        |studio| async move {
            fill_form(&studio).await;
            studio.submit().await;
            studio.wait_for_status("Stopped").await;
            let text = message(&studio).await;
            assert!(
                text.contains("Malformed answer") && text.contains("Use Check now to try again."),
                "the card should say the answer could not be read and offer Check now: {text:?}"
            );
            assert_form_kept(&studio).await;

            studio.click_card_button("Check now").await;
            studio.wait_for_status("Done").await;
            studio.wait_for_loaded_results(1).await;
            assert_eq!(
                studio.count(TASK_CARDS).await,
                1,
                "the same card went on to Done"
            );
        },
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dropped_submit_is_of_unknown_outcome_and_can_be_sent_again() {
    // Chromium resends a request by itself when a reused keep-alive connection closes
    // before any answer, once per idle connection it holds to the server (the page's
    // own files opened several), so one dropped connection would go unnoticed: every
    // connection is dropped until the page has given up, then the rest are cleared
    // before the user submits again.
    harness::run(
        "dropped",
        &["--fault", "submit:drop:50"],
        |studio| async move {
            fill_form(&studio).await;
            studio.submit().await;
            studio.wait_for_status("Outcome unknown").await;
            assert_eq!(
                studio
                    .count(&format!("{TASK_CARDS} span.status.status-unknown"))
                    .await,
                1,
                "the badge should be styled as unknown"
            );
            let text = message(&studio).await;
            assert!(
                text.contains("It is not known whether the edit was received"),
                "the card should say the outcome is unknown: {text:?}"
            );
            assert_form_kept(&studio).await;

            studio.clear_faults().await;
            // The page sends one edit at a time and stays closed for a moment after
            // each press; "Submit again" is ignored until then, so wait as a person
            // would see it: until Edit is enabled again.
            let idle = format!(
                "return document.querySelector({}).disabled === false;",
                crate::page::js_str(EDIT_BUTTON)
            );
            studio.wait_for("Edit to be enabled again", &idle).await;
            studio.click_card_button("Submit again").await;
            let two = format!("return document.querySelectorAll('{TASK_CARDS}').length === 2;");
            studio
                .wait_for("a second card for the edit sent again", &two)
                .await;
            studio.wait_for_status("Done").await;
            studio.wait_for_loaded_results(1).await;
            let statuses = studio.texts(&format!("{TASK_CARDS} span.status")).await;
            assert_eq!(
                statuses,
                ["Done", "Outcome unknown"],
                "the edit sent again is done, and the unknown one is still listed"
            );
        },
    )
    .await;
}
