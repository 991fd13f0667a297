//! The first screen before the wasm: `index.html`'s static shell is what the browser
//! paints first, in the language the app will start in (never English to a Chinese
//! reader), and the app takes its place without moving anything.

use serde_json::{Value, json};

use crate::harness::{self, Studio};
use crate::page::PROMPT;

/// The shell on show: its language, how many there are, and whether it is visible
/// and out of reach (inert, hidden from assistive technology); and whether each of the
/// page's own `<style>` elements applies (the server's policy allows them by hash: a
/// refused one has no sheet).
const SHELL: &str = "const shown = Array.from(document.querySelectorAll('.studio-shell')) \
    .filter((s) => s.offsetHeight > 0); \
    const styles = Array.from(document.querySelectorAll('style')); \
    return { chosen: document.documentElement.dataset.shell ?? null, \
             styled: styles.length > 0 && styles.every((s) => s.sheet?.cssRules.length > 0), \
             shells: document.querySelectorAll('.studio-shell').length, \
             shown: shown.map((s) => s.lang), \
             inert: shown.every((s) => s.inert && s.getAttribute('aria-hidden') === 'true'), \
             title: shown[0]?.querySelector('h1')?.textContent ?? null };";

/// What the page recorded of its own load, once the app is up: its layout shifts,
/// whose were its largest paints (an entry's element is the app's if it is in the
/// app's tree now; the shell's is gone from the page), the app's language and the
/// shells left.
const AFTER_START: &str = "const [done] = arguments; \
    const seen = { 'layout-shift': [], 'largest-contentful-paint': [] }; \
    for (const type of Object.keys(seen)) { \
        new PerformanceObserver((list) => seen[type].push(...list.getEntries())) \
            .observe({ type, buffered: true }); } \
    /* Buffered entries arrive in a task of their own; a page with none calls back never. */ \
    setTimeout(() => done({ \
        shift: seen['layout-shift'].reduce((sum, e) => sum + e.value, 0), \
        paints: seen['largest-contentful-paint'].map((e) => \
            e.element?.closest('.studio:not(.studio-shell)') ? 'the app' : 'the shell'), \
        lang: document.querySelector('.studio')?.lang ?? null, \
        shells: document.querySelectorAll('.studio-shell').length }), 250);";

async fn shell_on(studio: &Studio, path: &str) -> Value {
    studio
        .browser
        .goto(&studio.url(path))
        .await
        .expect("the page loads");
    studio.js(SHELL, vec![]).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn before_the_wasm_the_shell_shows_in_the_language_the_app_will_use() {
    // The page as the browser has it before the app's script runs: trunk's loader
    // taken out, so the shell stays.
    let dist = harness::dist_dir();
    let page = std::fs::read_to_string(dist.join("index.html")).expect("dist/index.html");
    // The release page is minified: `<script type=module>`.
    let start = page
        .find("<script type=module>")
        .expect("the page has its module loader");
    let end = start + page[start..].find("</script>").expect("the loader ends") + "</script>".len();
    let without_app = format!("{}{}", &page[..start], &page[end..]);
    let dist = harness::dist_copy("first_paint_shell", &[("index.html", &without_app)]);
    harness::run_in("first_paint_shell", &dist, &[], |studio| async move {
        // The test browser speaks English.
        let english = shell_on(&studio, "/").await;
        assert_eq!(
            english,
            json!({ "chosen": "en", "styled": true, "shells": 2, "shown": ["en"], "inert": true, "title": "Seedream Studio" }),
            "an English reader should see the English shell only, out of reach, styled"
        );
        let linked = shell_on(&studio, "/?language=zh").await;
        assert_eq!(
            linked["shown"],
            json!(["zh-CN"]),
            "a link asking for Chinese should show the Chinese shell: {linked}"
        );
        // The language remembered on this device wins over the link, as in the app.
        studio
            .js(
                "localStorage.setItem('seedream-studio.language', JSON.stringify('zh-CN'));",
                vec![],
            )
            .await;
        let remembered = shell_on(&studio, "/?language=en").await;
        assert_eq!(
            remembered["shown"],
            json!(["zh-CN"]),
            "the remembered Chinese should win over ?language=en: {remembered}"
        );
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_app_replaces_the_shell_in_place_after_the_largest_paint() {
    harness::run("first_paint", &[], |studio| async move {
        for (path, language) in [("/", "en"), ("/?language=zh", "zh-CN")] {
            studio
                .browser
                .goto(&studio.url(path))
                .await
                .expect("the page loads");
            studio.find(PROMPT).await;
            let load = studio
                .browser
                .execute_async(AFTER_START, vec![])
                .await
                .expect("the page reports its load");
            assert_eq!(load["shells"], 0, "the app removes the shells: {load}");
            assert_eq!(load["lang"], language, "{path}: the app's language: {load}");
            let shift = load["shift"].as_f64().expect("a layout shift sum");
            assert!(
                shift <= 0.02,
                "{path}: the page moved by {shift} as the app took over: {load}"
            );
            // The wasm is only fetched once the shell has been painted, and nothing the
            // app renders is larger than the shell's own texts: every largest paint is
            // the shell's (a later, larger one of the app's would make the browser
            // report a new entry, and the largest paint wait for the wasm).
            let paints = load["paints"].as_array().expect("the largest paints");
            assert!(
                !paints.is_empty() && paints.iter().all(|whose| whose == "the shell"),
                "{path}: the largest paint should be the shell's alone: {load}"
            );
        }
    })
    .await;
}
