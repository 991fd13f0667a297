//! The studio in Chinese, end to end: a Chinese-speaking user edits an image from the
//! first screen to the results without meeting an English word, and the language
//! picked in the studio is remembered over the page's own after a reload. (A refusal
//! told in Chinese is the browser test `locale::an_api_error_is_told_in_chinese`:
//! what the card says of the mock's own 401 answer, without a server.)
//!
//! Expected texts are read from `locales/` by their English wording, so the test
//! follows the translations rather than copying them.

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::Value;

use crate::harness::{self, Studio};
use crate::mock::fixture_png;
use crate::page::PROMPT;

/// A Chinese prompt (with no Latin letters, so any left on the page are the app's).
const PROMPT_ZH: &str = "把背景换成海边的日落";

/// Latin words a Chinese interface keeps: names, formats, units, and keys as printed on
/// keyboards ("按 Home 或 End").
const KEPT: [&str; 22] = [
    "Studio", "Seedream", "Lite", "Modellix", "API", "JPEG", "PNG", "WEBP", "BMP", "TIFF", "GIF",
    "URL", "MB", "KB", "English", "Home", "End", "Alt", "Enter", "Shift", "Delete", "Esc",
];

/// Every text of one language: `namespace.key` -> text.
fn texts(language: &str) -> BTreeMap<String, String> {
    fn flatten(prefix: &str, value: &Value, into: &mut BTreeMap<String, String>) {
        match value {
            Value::Object(map) => {
                for (key, value) in map {
                    flatten(&format!("{prefix}.{key}"), value, into);
                }
            }
            Value::String(text) => {
                into.insert(prefix.to_owned(), text.clone());
            }
            _ => {}
        }
    }
    let folder = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("locales")
        .join(language);
    let mut all = BTreeMap::new();
    for entry in std::fs::read_dir(&folder).expect("the locales folder") {
        let path = entry.expect("a locale file").path();
        let namespace = path
            .file_stem()
            .and_then(|stem| stem.to_str())
            .expect("a namespace")
            .to_owned();
        let json = std::fs::read_to_string(&path).expect("a readable locale file");
        let value: Value = serde_json::from_str(&json).expect("a JSON locale file");
        flatten(&namespace, &value, &mut all);
    }
    all
}

/// The Chinese for the interface text that reads `english` in English.
fn chinese_for(english: &str) -> String {
    let en = texts("en");
    let zh = texts("zh-CN");
    let key = en
        .iter()
        .find(|(_, text)| text.as_str() == english)
        .map(|(key, _)| key.clone())
        .unwrap_or_else(|| panic!("no English text reads {english:?} in locales/en"));
    zh.get(&key)
        .cloned()
        .unwrap_or_else(|| panic!("{key} has no Chinese text"))
}

/// Latin words on the page that are not names, formats or units.
fn english_words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_ascii_alphabetic())
        .filter(|word| word.len() > 1 && !KEPT.contains(word))
        .map(str::to_owned)
        .collect()
}

/// What the page shows a reader, minus what the user typed or named themselves and
/// the page's own address (the settings show the API address).
async fn visible_text(studio: &Studio, own: &[&str]) -> String {
    let mut text = studio
        .js("return document.body.innerText;", vec![])
        .await
        .as_str()
        .unwrap_or_default()
        .to_owned();
    for mine in own.iter().chain([&studio.origin.as_str()]) {
        text = text.replace(mine, " ");
    }
    text
}

async fn open_at(studio: &Studio, path: &str) {
    studio
        .browser
        .goto(&studio.url(path))
        .await
        .expect("the page loads");
    studio.find(PROMPT).await;
}

async fn lang(studio: &Studio) -> String {
    studio
        .js(
            "return document.querySelector('.studio')?.getAttribute('lang') ?? '';",
            vec![],
        )
        .await
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_edit_in_chinese_meets_no_english() {
    let flags = ["--queue-time", "1s", "--processing-time", "2s"];
    harness::run("chinese_edit", &flags, |studio| async move {
        // The page's link asks for Chinese (the test browser itself is English).
        open_at(&studio, "/?language=zh").await;
        assert_eq!(lang(&studio).await, "zh-CN");
        let first_screen = visible_text(&studio, &[]).await;
        assert!(
            english_words(&first_screen).is_empty(),
            "the first screen should be all Chinese: {:?}\n{first_screen}",
            english_words(&first_screen)
        );

        let photo = fixture_png(640, 480);
        let file_name = photo
            .file_name()
            .and_then(|name| name.to_str())
            .expect("a file name")
            .to_owned();
        studio.upload(&photo).await;
        studio.set_prompt(PROMPT_ZH).await;
        let count = studio.texts("#prompt-count").await.join(" ");
        assert!(
            count.contains(&PROMPT_ZH.chars().count().to_string()),
            "the counter counts Chinese characters: {count}"
        );
        studio.submit().await;

        studio.wait_for_status(&chinese_for("Done")).await;
        studio.wait_for_loaded_results(1).await;
        assert_eq!(studio.card_text(".task-prompt").await, PROMPT_ZH);
        // The task's id is the API's identifier, shown as code, not a word.
        let task_id = studio.card_text(".task-id").await;
        let done = visible_text(&studio, &[PROMPT_ZH, &file_name, &task_id]).await;
        assert!(
            english_words(&done).is_empty(),
            "the finished edit should be all Chinese: {:?}\n{done}",
            english_words(&done)
        );

        // Switching to English turns the same card English, and is remembered over
        // the page's own choice.
        let pick = "const s = document.querySelector('.language-picker select'); \
             s.value = 'en'; s.dispatchEvent(new Event('change', {bubbles: true})); \
             return true;";
        studio.js(pick, vec![]).await;
        studio.wait_for_status("Done").await;
        open_at(&studio, "/?language=zh").await;
        assert_eq!(
            lang(&studio).await,
            "en",
            "the user's choice wins after a reload"
        );
        studio.wait_for_status("Done").await;
    })
    .await;
}
