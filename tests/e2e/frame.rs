//! The studio framed by a page on another origin: commands by `postMessage` from the
//! allowed parent only, and its events posted to that parent only.

use serde_json::{Value, json};

use crate::embed::check_edit_events;
use crate::harness::{self, Studio};
use crate::origin::OtherOrigin;
use crate::page::js_str;

/// The parent page on another origin: it frames the app named by `?app=`, logs every
/// message from it, and sends it commands (`window.send(command, value)`).
const PARENT_HTML: &str = "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">\
    <title>A portal on another origin</title></head><body>\
    <h1>Portal</h1><iframe id=\"app\" title=\"Seedream Studio\" width=\"1200\" height=\"900\"></iframe>\
    <ol id=\"log\"></ol><script src=\"/parent.js\"></script></body></html>";
const PARENT_JS: &str = "
    const app = new URL(new URLSearchParams(location.search).get('app'));
    const frame = document.getElementById('app');
    window.received = [];
    addEventListener('message', (event) => {
        if (event.origin !== app.origin || event.data?.source !== 'seedream-studio') return;
        window.received.push({ type: event.data.type, detail: event.data.detail });
        const item = document.createElement('li');
        item.textContent = event.data.type + ' ' + JSON.stringify(event.data.detail ?? null);
        document.getElementById('log').append(item);
    });
    window.send = (command, value) =>
        frame.contentWindow.postMessage({ target: 'seedream-studio', command, value }, app.origin);
    frame.src = app.href;
";

/// A host page that frames the app, on a new origin.
async fn parent_origin() -> OtherOrigin {
    OtherOrigin::serve(&[
        ("/parent.html", "text/html; charset=utf-8", PARENT_HTML),
        ("/parent.js", "text/javascript", PARENT_JS),
    ])
    .await
}

impl Studio {
    /// The messages the parent page received from the framed app (run in the parent).
    async fn received(&self) -> Vec<Value> {
        serde_json::from_value(self.js("return window.received;", vec![]).await)
            .expect("the parent's messages")
    }

    /// Sends a command to the framed app by postMessage (run in the parent).
    async fn send(&self, command: &str, value: Option<&str>) {
        self.js(
            "window.send(arguments[0], arguments[1] ?? undefined);",
            vec![json!(command), json!(value)],
        )
        .await;
    }

    /// Runs `check` inside the frame, then returns to the parent.
    async fn in_frame<F, Fut, T>(&self, check: F) -> T
    where
        F: FnOnce(Studio) -> Fut,
        Fut: std::future::Future<Output = T>,
    {
        self.browser.enter_frame(0).await.expect("the app's frame");
        let out = check(self.clone()).await;
        self.browser
            .enter_parent_frame()
            .await
            .expect("back to the parent page");
        out
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_framed_app_takes_commands_from_its_allowed_parent_only_and_posts_it_its_events() {
    let parent = parent_origin().await;
    let stranger = parent_origin().await;
    let config = json!({ "allowed-origins": parent.origin }).to_string();
    let dist = harness::dist_copy("embed_frame", &[("config.json", &config)]);
    let ancestors = format!("'self' {} {}", parent.origin, stranger.origin);
    let flags = ["--frame-ancestors", ancestors.as_str()];
    harness::run_in("embed_frame", &dist, &flags, |studio| async move {
        let app = studio.url("/");
        let address = studio.result_url_from_api().await;

        // A page on an origin the app does not list: framing is allowed (CSP), but its
        // commands are ignored and it hears nothing.
        studio
            .browser
            .goto(&format!("{}?app={app}", stranger.url("/parent.html")))
            .await
            .expect("the stranger's page loads");
        studio
            .in_frame(|framed| async move {
                framed
                    .wait_for(
                        "the framed app to be ready",
                        "return document.querySelector('[data-seedream-studio]')?.dataset.ready === 'true';",
                    )
                    .await;
            })
            .await;
        studio.send("setPrompt", Some("from a stranger")).await;
        studio.send("addImageUrl", Some(&address)).await;
        tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
        let (prompt, images) = studio
            .in_frame(|framed| async move { framed.form_contents().await })
            .await;
        assert_ne!(prompt, "from a stranger", "a stranger's command must be ignored");
        assert!(images.is_empty(), "a stranger's image must be ignored: {images:?}");
        assert_eq!(
            studio.received().await,
            Vec::<Value>::new(),
            "the app posts nothing to an origin it does not list"
        );

        // The allowed parent: it drives an edit and hears every step.
        studio
            .browser
            .goto(&format!("{}?app={app}", parent.url("/parent.html")))
            .await
            .expect("the parent page loads");
        studio
            .wait_for(
                "the framed app to post seedream:ready to its parent",
                "return window.received.some(m => m.type === 'seedream:ready');",
            )
            .await;
        let prompt = "Turn this into a watercolour";
        studio.send("setPrompt", Some(prompt)).await;
        studio.send("addImageUrl", Some(&address)).await;
        studio
            .in_frame(|framed| async move {
                framed.wait_for_image_cards(1).await;
                framed
                    .wait_for(
                        "the posted prompt in the form, and Edit enabled",
                        &format!(
                            "const b = document.querySelector('form.edit-form button[type=submit].primary'); \
                             return document.querySelector('#prompt').value === {} && b !== null && !b.disabled;",
                            js_str(prompt)
                        ),
                    )
                    .await;
            })
            .await;
        studio.send("submit", None).await;
        studio
            .wait_for(
                "the framed app to post seedream:completed",
                "return window.received.some(m => m.type === 'seedream:completed');",
            )
            .await;
        let received = studio.received().await;
        let results = check_edit_events(&received, prompt, 1);
        let shown = studio
            .in_frame(|framed| async move {
                framed.wait_for_status("Done").await;
                framed.wait_for_loaded_results(1).await
            })
            .await;
        assert_eq!(results, shown, "the parent hears the results the app shows");
        let logged = studio.texts("#log li").await;
        assert!(
            logged.iter().any(|line| line.starts_with("seedream:completed")),
            "the parent page logs what it hears: {logged:?}"
        );
        drop((parent, stranger));
    })
    .await;
}
