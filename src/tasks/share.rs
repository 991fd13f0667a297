//! Taking a result out of the page: download it, copy its link, open it.
//!
//! Every URL handled here has passed `is_http_url` (the gallery renders nothing else).
//! A download fetches the image and saves it under a meaningful name; result hosts
//! that refuse cross-origin reads (or a portal's content policy) make that fail, and
//! then the image opens in a new tab, where the browser's own "Save image" works.

use js_sys::Promise;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{HtmlAnchorElement, Response, Url};

use crate::history::ResultRecord;
use crate::i18n::{Locale, td_string};

/// What came of taking a result out of the page, to tell the user.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ShareOutcome {
    /// The download has started, under this file name.
    Saving { name: String },
    /// The result's host refused a download from here, so it opened in a new tab.
    OpenedInstead,
    /// The link is on the clipboard.
    Copied,
    /// The browser refused the clipboard.
    CopyRefused,
}

impl ShareOutcome {
    /// What to tell the user, in `locale`.
    pub fn describe(&self, locale: Locale) -> String {
        match self {
            Self::Saving { name } => td_string!(locale, results.share.saving, name).to_string(),
            Self::OpenedInstead => td_string!(locale, results.share.opened_instead).to_string(),
            Self::Copied => td_string!(locale, results.share.copied).to_string(),
            Self::CopyRefused => td_string!(locale, results.share.copy_refused).to_string(),
        }
    }
}

/// The file name a result is saved under: `seedream-<task>-<n>.<ext>`.
pub fn file_name(task: &str, index: usize, result: &ResultRecord) -> String {
    let extension = match result.format.as_deref() {
        Some(format) if format.eq_ignore_ascii_case("png") => "png",
        Some(_) => "jpeg",
        // Unknown format: the address's own extension when it has a plausible one.
        None => url_extension(&result.url).unwrap_or("jpeg"),
    };
    // Task ids are checked to be short and plain; a local id is made of digits and
    // letters. Anything else is dropped rather than trusted in a file name.
    let task: String = task
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .take(64)
        .collect();
    format!("seedream-{task}-{}.{extension}", index + 1)
}

fn url_extension(url: &str) -> Option<&'static str> {
    let path = url.split(['?', '#']).next()?;
    let (_, extension) = path.rsplit_once('.')?;
    match extension.to_ascii_lowercase().as_str() {
        "png" => Some("png"),
        "jpg" | "jpeg" => Some("jpeg"),
        _ => None,
    }
}

/// What the user asked to do with a result.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Share {
    /// Save it as `name` (or open it in a new tab when it cannot be fetched from here).
    Download { url: String, name: String },
    /// Copy its address to the clipboard.
    CopyLink { url: String },
}

impl Share {
    /// Does it; returns what to tell the user.
    pub async fn run(self) -> ShareOutcome {
        match self {
            Share::Download { url, name } => download(&url, &name).await,
            Share::CopyLink { url } => copy_link(&url).await,
        }
    }
}

async fn download(url: &str, name: &str) -> ShareOutcome {
    match save(url, name).await {
        Ok(()) => ShareOutcome::Saving {
            name: name.to_owned(),
        },
        Err(_) => {
            open_in_new_tab(url);
            ShareOutcome::OpenedInstead
        }
    }
}

async fn save(url: &str, name: &str) -> Result<(), JsValue> {
    // A kept copy is already this page's: saved as it is, without a fetch (which the
    // page's `connect-src` would not allow for a `blob:` URL).
    if url.starts_with("blob:") {
        return click_link(url, Some(name));
    }
    let window = web_sys::window().ok_or(JsValue::NULL)?;
    let response: Response = JsFuture::from(window.fetch_with_str(url))
        .await?
        .dyn_into()?;
    if !response.ok() {
        return Err(JsValue::from(response.status()));
    }
    let blob: web_sys::Blob = JsFuture::from(response.blob()?).await?.dyn_into()?;
    save_blob(&blob, name)
}

/// Saves `blob` as a download named `name`.
pub fn save_blob(blob: &web_sys::Blob, name: &str) -> Result<(), JsValue> {
    save_object_url(Url::create_object_url_with_blob(blob)?, name)
}

/// Saves what `object_url` (made for this download) holds as a download named `name`.
pub fn save_object_url(object_url: String, name: &str) -> Result<(), JsValue> {
    let saved = click_link(&object_url, Some(name));
    // The browser has started the download when `click` returns; the object URL is
    // released a moment later rather than at once, for browsers that read it late.
    release_later(object_url);
    saved
}

/// Opens `url` in a new tab, with no link back to this page and no referrer.
pub fn open_in_new_tab(url: &str) {
    let _ = click_link(url, None);
}

fn click_link(href: &str, download: Option<&str>) -> Result<(), JsValue> {
    let document = web_sys::window()
        .and_then(|w| w.document())
        .ok_or(JsValue::NULL)?;
    let link: HtmlAnchorElement = document.create_element("a")?.dyn_into()?;
    link.set_href(href);
    link.set_rel("noopener noreferrer");
    match download {
        Some(name) => link.set_download(name),
        None => link.set_target("_blank"),
    }
    link.click();
    Ok(())
}

fn release_later(object_url: String) {
    leptos::task::spawn_local(async move {
        gloo_timers::future::sleep(std::time::Duration::from_secs(10)).await;
        let _ = Url::revoke_object_url(&object_url);
    });
}

async fn copy_link(url: &str) -> ShareOutcome {
    let copied = match web_sys::window() {
        Some(window) => {
            let promise: Promise = window.navigator().clipboard().write_text(url);
            JsFuture::from(promise).await.is_ok()
        }
        None => false,
    };
    if copied {
        ShareOutcome::Copied
    } else {
        ShareOutcome::CopyRefused
    }
}
