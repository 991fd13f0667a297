//! Driving the studio from one state to the next in one session, as
//! `tests/e2e/axe.rs` does: the empty studio; an image added and a prompt typed; an
//! edit running (the mock's processing time set far longer than the run); a set of
//! three done and kept in this browser; the lightbox open on its first result; the
//! connection settings open; and, once the set's links have expired (the mock's
//! `result_ttl_ms`) and the page is reloaded, its results shown from this browser;
//! last, a batch of three running.
//! Each state is shot in every configuration by [`Camera::state`].

use std::path::Path;
use std::time::Duration;

use anyhow::{Context, Result};
use fantoccini::Locator;
use fantoccini::key::Key;
use serde_json::{Value, json};

use super::State;
use super::capture::Camera;
use crate::browser::Session;
use crate::polling::{self, Mock, TASK_CARDS};

/// How long the running edit would take: far longer than the run.
const RUNNING_MS: u64 = 600_000;

/// How long the set's result links live after it is done: past the done, lightbox and
/// settings states' shots (their results show from this browser anyway), short enough
/// not to wait long for them to expire.
const RESULT_TTL_MS: u64 = 4_000;

/// The longest any one step is awaited.
const WAIT: Duration = Duration::from_secs(30);

const PROMPT: &str = "Turn this photo into a watercolour painting";
const SET_PROMPT: &str = "Three moods of this photo: dawn, noon and dusk";

/// Visits every state of [`super::STATES`] in order on the studio at `origin` (the
/// page's and the mock's), shooting each with `camera`; the fixture image is written
/// to `work`.
pub async fn visit(camera: &mut Camera<'_>, origin: &str, work: &Path) -> Result<()> {
    let session = camera.session;
    let http = crate::http::client(None)?;
    let mock = Mock {
        origin,
        http: &http,
    };
    let png = polling::fixture_png(&work.join("screenshots"))?;

    polling::open(session, origin).await?;
    camera.forget();
    camera.switch_to(super::ACTING).await?;
    camera.state(State::Empty).await?;

    // One image and a prompt in the form.
    polling::fill_form(session, &png).await?;
    set_prompt(session, PROMPT).await?;
    wait(
        session,
        "the image card's thumbnail to load",
        "const img = document.querySelector('form.edit-form li.image-card img'); \
         return img !== null && img.complete && img.naturalWidth > 0;",
    )
    .await?;
    camera.state(State::ImagesAdded).await?;

    // An edit that stays running: its processing time is the mock's setting when it
    // is sent.
    mock.settings(json!({"processing_ms": RUNNING_MS})).await?;
    submit(session).await?;
    wait_for_badge(session, "generating").await?;
    camera.state(State::Running).await?;

    // A quick set of three, its links expiring soon after it is done.
    mock.settings(json!({"processing_ms": 1000, "result_ttl_ms": RESULT_TTL_MS}))
        .await?;
    polling::fill_form(session, &png).await?;
    set_prompt(session, SET_PROMPT).await?;
    ask_for_set(session, 3).await?;
    submit(session).await?;
    wait_for_badge(session, "done").await?;
    let links = wait_for_results(session, false).await?;
    wait(
        session,
        "the set's results to be kept in this browser",
        &format!(
            "return document.querySelector('{TASK_CARDS}:first-child .results > p.hint')\
             ?.textContent.trim() === 'Kept in this browser.';"
        ),
    )
    .await?;
    camera.state(State::Done).await?;

    click(
        session,
        &format!("{TASK_CARDS}:first-child li.result:nth-child(1) button.result-view"),
    )
    .await?;
    wait(
        session,
        "the lightbox to show the first result",
        "const img = document.querySelector('dialog.lightbox[open] img.lightbox-image'); \
         return img !== null && img.complete && img.naturalWidth > 0;",
    )
    .await?;
    camera.state(State::Lightbox).await?;
    click(session, "dialog.lightbox[open] [data-action=\"close\"]").await?;
    wait(
        session,
        "the lightbox to close",
        "return document.querySelector('dialog[open]') === null;",
    )
    .await?;

    click(session, "details.settings > summary").await?;
    wait(
        session,
        "the settings to open",
        "return document.querySelector('details.settings[open]') !== null;",
    )
    .await?;
    camera.state(State::Settings).await?;
    click(session, "details.settings > summary").await?;

    // The set's links expire; loaded again, the page shows its results from this
    // browser.
    let link = links.first().context("the set has no result links")?;
    wait(
        session,
        "the set's links to expire",
        &format!(
            "return fetch({}, {{cache: 'no-store'}}).then(r => r.status === 404);",
            json!(link)
        ),
    )
    .await?;
    polling::open(session, origin).await?;
    camera.forget();
    camera.switch_to(super::ACTING).await?;
    wait_for_results(session, true).await?;
    camera.state(State::Kept).await?;

    // A batch of three running: the form in batch mode, the batch above the edits.
    mock.settings(json!({"processing_ms": RUNNING_MS})).await?;
    click(
        session,
        "form.edit-form .batch-mode .mode-option:nth-child(2) input",
    )
    .await?;
    let path = png.to_str().context("the PNG's path is not UTF-8")?;
    session
        .client
        .find(Locator::Css("form.edit-form .batch-mode input[type=file]"))
        .await?
        .send_keys(&[path, path, path].join("\n"))
        .await
        .context("choosing the batch's images")?;
    wait(
        session,
        "three images to edit",
        "return document.querySelectorAll('form.edit-form .batch-list > li img').length === 3;",
    )
    .await?;
    set_prompt(session, "Put this product on a white marble table").await?;
    click(session, "form.edit-form button[type=submit].primary").await?;
    wait(
        session,
        "the batch to be sending",
        "return document.querySelector('section.batch-panel .batch-progress')?.textContent.includes('running') || null;",
    )
    .await?;
    camera.state(State::Batch).await
}

/// Polls `script` until it returns something other than `null` or `false`.
async fn wait(session: &Session, what: &str, script: &str) -> Result<Value> {
    session
        .wait_for(what, script, WAIT, Duration::from_millis(50))
        .await
}

/// Clicks the first element matching `css` once it exists and is enabled.
async fn click(session: &Session, css: &str) -> Result<()> {
    let selector = json!(css);
    wait(
        session,
        &format!("an enabled `{css}`"),
        &format!("const e = document.querySelector({selector}); return e !== null && !e.disabled;"),
    )
    .await?;
    session
        .js(&format!(
            "document.querySelector({selector}).scrollIntoView({{block: 'center'}}); return true;"
        ))
        .await?;
    let element = session.client.find(Locator::Css(css)).await?;
    element
        .click()
        .await
        .with_context(|| format!("clicking `{css}`"))?;
    Ok(())
}

/// Types `text` in the prompt, replacing what was there (selected and deleted, as a
/// person would: the app listens to the input events that fires).
async fn set_prompt(session: &Session, text: &str) -> Result<()> {
    let field = session.client.find(Locator::Css("#prompt")).await?;
    field.send_keys(&(Key::Control + "a")).await?;
    field.send_keys(&Key::Backspace).await?;
    field.send_keys(text).await?;
    wait(
        session,
        "the prompt to hold the typed text",
        &format!(
            "return document.querySelector('#prompt').value === {};",
            json!(text)
        ),
    )
    .await?;
    Ok(())
}

/// Turns on "Generate a set" and asks for at most `n` images.
async fn ask_for_set(session: &Session, n: u8) -> Result<()> {
    click(session, "form.edit-form fieldset.sets input[type=checkbox]").await?;
    let field = session.client.find(Locator::Css("#max-images")).await?;
    field.clear().await?;
    field.send_keys(&n.to_string()).await?;
    wait(
        session,
        &format!("the set's maximum to read {n}"),
        &format!("return document.querySelector('#max-images').value === '{n}';"),
    )
    .await?;
    Ok(())
}

/// Presses Edit once it is enabled and waits for the new task card.
async fn submit(session: &Session) -> Result<()> {
    let before = session
        .js(&format!(
            "return document.querySelectorAll('{TASK_CARDS}').length;"
        ))
        .await?
        .as_u64()
        .unwrap_or(0);
    click(session, polling::EDIT_BUTTON).await?;
    wait(
        session,
        "a new task card after pressing Edit",
        &format!(
            "return document.querySelectorAll('{TASK_CARDS}').length === {};",
            before + 1
        ),
    )
    .await?;
    Ok(())
}

/// The newest task card's status badge is `badge` (`generating`, `done`).
async fn wait_for_badge(session: &Session, badge: &str) -> Result<()> {
    wait(
        session,
        &format!("the newest task card to be {badge}"),
        &format!(
            "return document.querySelector('{TASK_CARDS} span.status.status-{badge}') !== null;"
        ),
    )
    .await?;
    Ok(())
}

/// Waits until the newest card shows three results, each loaded (from this browser,
/// a `blob:` URL, when `kept`); returns their links.
async fn wait_for_results(session: &Session, kept: bool) -> Result<Vec<String>> {
    let results = wait(
        session,
        "three loaded results on the newest task card",
        &format!(
            "const imgs = Array.from(document.querySelectorAll('{TASK_CARDS}:first-child ul.gallery li.result img')); \
             imgs.forEach(i => i.scrollIntoView({{block: 'nearest'}})); \
             if (imgs.length !== 3 || !imgs.every(i => i.complete && i.naturalWidth > 0)) return null; \
             if ({kept} && !imgs.every(i => i.src.startsWith('blob:'))) return null; \
             return imgs.map(i => i.closest('li.result').dataset.link);"
        ),
    )
    .await?;
    serde_json::from_value(results).context("the results' links")
}
