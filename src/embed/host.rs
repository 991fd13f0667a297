//! Finding the elements to mount into and reading each one's options from the page.

use leptos::prelude::*;
use seedream_contract::{SERVED_BY_HEADER, ServedBy};
use wasm_bindgen::JsCast;
use web_sys::{HtmlElement, UrlSearchParams};

use super::options::{self, ALL_OPTIONS, OptionProblem, Options, Reason, Setting, Source};

/// The attribute that marks a host element.
pub const HOST_ATTRIBUTE: &str = "data-seedream-studio";

/// Every host element on the page, in document order; when there is none (a page
/// that only loads the script), one is added at the end of `<body>`.
pub fn hosts() -> Vec<HtmlElement> {
    let document = document();
    let found: Vec<HtmlElement> = document
        .query_selector_all(&format!("[{HOST_ATTRIBUTE}]"))
        .map(|list| {
            (0..list.length())
                .filter_map(|i| list.get(i))
                .filter_map(|node| node.dyn_into::<HtmlElement>().ok())
                .collect()
        })
        .unwrap_or_default();
    if !found.is_empty() {
        return found;
    }
    let created = document
        .create_element("div")
        .ok()
        .and_then(|el| el.dyn_into::<HtmlElement>().ok());
    match (created, document.body()) {
        (Some(host), Some(body)) => {
            let _ = host.set_attribute(HOST_ATTRIBUTE, "");
            let _ = body.append_child(&host);
            vec![host]
        }
        _ => Vec::new(),
    }
}

/// The class of the static shells a page may paint inside a host until the app
/// mounts (the standalone `index.html` has one per language).
pub const SHELL_CLASS: &str = "studio-shell";

/// Removes the host's static shells. Called in the same task as the mount, so the
/// browser never paints the host empty in between.
pub fn remove_shell(host: &HtmlElement) {
    let Ok(shells) = host.query_selector_all(&format!(":scope > .{SHELL_CLASS}")) else {
        return;
    };
    for shell in (0..shells.length()).filter_map(|i| shells.get(i)) {
        if let Some(parent) = shell.parent_node() {
            let _ = parent.remove_child(&shell);
        }
    }
}

/// The options of the host at `index`: its attributes over its configuration file
/// over the page's query.
pub async fn read_options(host: &HtmlElement, index: usize) -> (Options, Vec<OptionProblem>) {
    let query = query_entries();
    let (file, mut problems, served_by) = match host.get_attribute("data-config") {
        Some(url) if !url.trim().is_empty() => config_file(url.trim()).await,
        _ => (Vec::new(), Vec::new(), None),
    };
    let attributes = attribute_entries(host);
    let entries = query
        .iter()
        .map(|(n, v)| (Source::Query, n.as_str(), v.as_str()))
        .chain(
            file.iter()
                .map(|(n, v)| (Source::ConfigFile, n.as_str(), v.as_str())),
        )
        .chain(
            attributes
                .iter()
                .map(|(n, v)| (Source::Attribute, n.as_str(), v.as_str())),
        );
    let (mut options, mut more) = options::resolve(index, entries);
    options.served_by = served_by;
    problems.append(&mut more);
    (options, problems)
}

/// The host's `data-*` options (other `data-` attributes are the page's own business).
fn attribute_entries(host: &HtmlElement) -> Vec<(String, String)> {
    ALL_OPTIONS
        .iter()
        .filter_map(|name| {
            host.get_attribute(&format!("data-{name}"))
                .map(|value| ((*name).to_owned(), value))
        })
        .collect()
}

/// The query's options; other parameters belong to the page.
fn query_entries() -> Vec<(String, String)> {
    let search = window().location().search().unwrap_or_default();
    let Ok(params) = UrlSearchParams::new_with_str(&search) else {
        return Vec::new();
    };
    ALL_OPTIONS
        .iter()
        .filter_map(|name| params.get(name).map(|value| ((*name).to_owned(), value)))
        .collect()
}

/// The options in the JSON file at `url`, and what its server said its `/api` is. A
/// missing file is normal (the static page names one that a deployment may or may not
/// provide); anything else wrong with it is reported.
async fn config_file(url: &str) -> (Vec<(String, String)>, Vec<OptionProblem>, Option<ServedBy>) {
    let problem = |reason: Reason, served_by| {
        (
            Vec::new(),
            vec![OptionProblem {
                option: Setting::ConfigFile {
                    url: url.to_owned(),
                },
                reason,
            }],
            served_by,
        )
    };
    let response = match gloo_net::http::Request::get(url).send().await {
        Ok(response) => response,
        Err(_) => return problem(Reason::FileUnreachable, None),
    };
    let served_by = response
        .headers()
        .get(SERVED_BY_HEADER)
        .as_deref()
        .and_then(ServedBy::read);
    if response.status() == 404 {
        return (Vec::new(), Vec::new(), served_by);
    }
    if !response.ok() {
        let status = response.status();
        return problem(Reason::FileStatus { status }, served_by);
    }
    let text = response.text().await.unwrap_or_default();
    match parse_config(&text) {
        Ok(entries) => (entries, Vec::new(), served_by),
        Err(reason) => problem(reason, served_by),
    }
}

/// The entries of a configuration file: one JSON object of strings, booleans and
/// numbers, read as their text.
pub fn parse_config(text: &str) -> Result<Vec<(String, String)>, Reason> {
    // Where the parser stopped helps the file's author; serde's words are not shown.
    let value: serde_json::Value = serde_json::from_str(text).map_err(|e| Reason::FileNotJson {
        line: e.line(),
        column: e.column(),
    })?;
    let serde_json::Value::Object(map) = value else {
        return Err(Reason::FileNotObject);
    };
    Ok(map
        .into_iter()
        .map(|(name, value)| {
            let text = match value {
                serde_json::Value::String(text) => text,
                serde_json::Value::Array(items) => items
                    .iter()
                    .map(|item| {
                        item.as_str()
                            .map_or_else(|| item.to_string(), str::to_owned)
                    })
                    .collect::<Vec<_>>()
                    .join(" "),
                other => other.to_string(),
            };
            (name, text)
        })
        .collect())
}

// Natively only: `cargo xtask test` runs the app's unit tests outside a browser.
#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests;
