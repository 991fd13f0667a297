//! A history saved in format 1 (by the app before format 2; the fixture was written by
//! that code) loads into today's list with every task, result and error.

use gloo_storage::{LocalStorage, Storage};
use seedream_studio::history::LEGACY_STORAGE_KEY;

use super::*;

const FIXTURE: &str = include_str!("../../fixtures/history-v1.json");

/// The badge format 1's state kind stands for.
fn badge(kind: &str) -> &'static str {
    match kind {
        "queued" => "Queued",
        "generating" => "Generating",
        "done" => "Done",
        "failed" => "Failed",
        "rejected" => "Rejected",
        // An unanswered submit from a closed tab is marked on load.
        "submitting" | "outcome_unknown" => "Outcome unknown",
        "gave_up" => "Stopped",
        other => panic!("a format 1 state the fixture lacks: {other}"),
    }
}

/// The English account format 1 kept in a failed state.
fn account(state: &serde_json::Value) -> Option<&str> {
    ["message", "detail", "reason"]
        .iter()
        .find_map(|field| state[field].as_str())
}

#[wasm_bindgen_test]
async fn a_format_1_history_loads_with_every_task_result_and_error() {
    let fixture: Vec<serde_json::Value> = serde_json::from_str(FIXTURE).expect("the fixture");
    common::fresh_storage().await;
    LocalStorage::raw()
        .set_item(LEGACY_STORAGE_KEY, FIXTURE)
        .expect("setItem");

    // Every record, every result.
    let loaded = HistoryStore::new().load();
    assert_eq!(loaded.warning, None);
    assert_eq!(loaded.records.len(), fixture.len());
    for (record, old) in loaded.records.iter().zip(&fixture) {
        assert_eq!(record.id, old["id"].as_str().expect("an id"));
        assert_eq!(record.prompt, old["prompt"].as_str().expect("a prompt"));
        assert_eq!(
            record.inputs.len(),
            old["inputs"].as_array().map_or(0, Vec::len)
        );
        if let Some(results) = old["state"]["results"].as_array() {
            let RecordState::Done {
                results: kept,
                skipped,
            } = &record.state
            else {
                panic!("{} is no longer done: {:?}", record.id, record.state);
            };
            let urls: Vec<&str> = results.iter().filter_map(|r| r["url"].as_str()).collect();
            assert_eq!(
                kept.iter().map(|r| r.url.as_str()).collect::<Vec<_>>(),
                urls
            );
            assert_eq!(Some(*skipped as u64), old["state"]["skipped"].as_u64());
        }
    }

    // Every card, with its status and what went wrong, in the same words.
    let page = Page::mount_stored();
    // A long history shows its newest cards first; every one is asked for here.
    until("the first cards", || page.count(".task-card") > 0).await;
    while find(&page.host, ".show-more").is_some() {
        let shown = page.count(".task-card");
        page.click(".show-more");
        until("older cards", || page.count(".task-card") > shown).await;
    }
    assert_eq!(page.count(".task-card"), fixture.len());
    for old in &fixture {
        let id = old["id"].as_str().expect("an id");
        let card = format!(".task-card[data-record-id=\"{id}\"]");
        let kind = old["state"]["kind"].as_str().expect("a kind");
        assert_eq!(page.text(&format!("{card} .status")), badge(kind), "{id}");
        if let Some(account) = account(&old["state"]) {
            let told = page.text(&format!("{card} .task-message"));
            // Records from before errors were kept as data have only their words;
            // a refusal's are the API's message now, said after its kind.
            let expected = if old.get("error").is_some() || kind != "rejected" {
                account
            } else {
                "invalid API key"
            };
            assert!(told.contains(expected), "{id}: {told:?} lacks {expected:?}");
        }
    }

    // The first save writes format 2 and lets format 1 go.
    HistoryStore::new().save(&loaded.records).expect("save");
    assert_eq!(
        LocalStorage::raw()
            .get_item(LEGACY_STORAGE_KEY)
            .ok()
            .flatten(),
        None
    );
    assert_eq!(HistoryStore::new().load().records, loaded.records);
}
