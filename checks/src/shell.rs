//! The check of `index.html`'s static shells (the first screen painted before the wasm
//! has loaded, one per language): every text and placeholder marked with a key
//! (`data-text="app.tagline"`, `data-placeholder="..."`) is that key's text in the
//! shell's language, with the values the first screen shows for its variables. The
//! shells are written by hand; this keeps them from drifting from `locales/`, the one
//! source of the interface's words.

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::{Context, Result, bail};
use seedream_contract::{MAX_IMAGE_BYTES, MAX_IMAGES, MIN_IMAGES, PROMPT_MAX_CHARS};

use crate::locales::{self, Catalog};

/// Every language's texts, by language.
type Catalogs = BTreeMap<String, Catalog>;

/// The class every shell's root carries, with its `lang`.
const SHELL_ROOT: &str = r#"class="studio studio-shell" lang=""#;

/// Checks the shells of the project's `index.html` against `locales/`.
fn check_page(root: &Path) -> Result<String> {
    let index = root.join("index.html");
    let html =
        std::fs::read_to_string(&index).with_context(|| format!("reading {}", index.display()))?;
    let shown = check(&html, &locales::catalogs(root)?)?;
    Ok(format!(
        "index.html's shells show {shown} texts as locales/ writes them"
    ))
}

/// Checks every shell in `html` against `catalogs`; returns how many texts matched.
fn check(html: &str, catalogs: &Catalogs) -> Result<usize> {
    let shells = shells(html);
    let languages: Vec<&String> = shells.iter().map(|(language, _)| language).collect();
    let expected: Vec<&String> = catalogs.keys().collect();
    if languages != expected {
        bail!("index.html has shells for {languages:?}; the interface has {expected:?}");
    }
    let mut problems = Vec::new();
    let mut checked = 0;
    for (language, markup) in &shells {
        let catalog = &catalogs[language];
        for (key, shown) in marked(markup) {
            checked += 1;
            match catalog.get(&key) {
                None => problems.push(format!("{language}: `{key}` is not a key")),
                Some(text) => {
                    let expected = filled(&key, text);
                    if shown != expected {
                        problems.push(format!(
                            "{language}: `{key}` shows {shown:?}, not {expected:?}"
                        ));
                    }
                }
            }
        }
    }
    if checked == 0 {
        bail!("index.html's shells mark no text with data-text");
    }
    if !problems.is_empty() {
        bail!(
            "index.html's shells disagree with locales/:\n  {}",
            problems.join("\n  ")
        );
    }
    Ok(checked)
}

/// Each shell's language and markup (up to the next shell, or the end).
fn shells(html: &str) -> Vec<(String, &str)> {
    html.split(SHELL_ROOT)
        .skip(1)
        .filter_map(|rest| {
            let (language, markup) = rest.split_once('"')?;
            Some((language.to_owned(), markup))
        })
        .collect()
}

/// Every marked text in `markup`: the key, and the element's text (the text up to
/// the next tag) or its `placeholder`.
fn marked(markup: &str) -> Vec<(String, String)> {
    let mut found = Vec::new();
    for (marker, from_placeholder) in [("data-text=\"", false), ("data-placeholder=\"", true)] {
        for rest in markup.split(marker).skip(1) {
            let Some((key, after)) = rest.split_once('"') else {
                continue;
            };
            let (tag_rest, content) = after.split_once('>').unwrap_or((after, ""));
            let shown = if from_placeholder {
                tag_rest
                    .split("placeholder=\"")
                    .nth(1)
                    .and_then(|value| value.split_once('"'))
                    .map_or("", |(value, _)| value)
            } else {
                content.split('<').next().unwrap_or_default()
            };
            found.push((key.to_owned(), unescape(shown)));
        }
    }
    found
}

/// The few entities a text may need in HTML.
fn unescape(text: &str) -> String {
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

/// `text` with the values the first screen shows for `key`'s variables (those the
/// app fills from the contract's limits; numbers below 1,000 are plain digits in
/// both languages).
fn filled(key: &str, text: &str) -> String {
    let values: Vec<(&str, String)> = match key {
        "form.prompt.counter" => vec![("count", "0".into()), ("max", PROMPT_MAX_CHARS.to_string())],
        "form.images.hint" => vec![
            ("min", MIN_IMAGES.to_string()),
            ("max", MAX_IMAGES.to_string()),
            ("limit", (MAX_IMAGE_BYTES / (1024 * 1024)).to_string()),
        ],
        _ => Vec::new(),
    };
    values.iter().fold(text.to_owned(), |text, (name, value)| {
        text.replace(&format!("{{{{ {name} }}}}"), value)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn catalogs() -> Catalogs {
        let catalog = |pairs: &[(&str, &str)]| {
            pairs
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect()
        };
        BTreeMap::from([
            (
                "en".to_owned(),
                catalog(&[
                    ("app.title", "Studio"),
                    ("form.prompt.counter", "{{ count }} / {{ max }}"),
                    ("form.prompt.placeholder", "Say \"what\""),
                ]),
            ),
            (
                "zh-CN".to_owned(),
                catalog(&[
                    ("app.title", "工作室"),
                    ("form.prompt.counter", "{{ count }} / {{ max }}"),
                ]),
            ),
        ])
    }

    fn page(en_title: &str) -> String {
        format!(
            r#"<div class="studio studio-shell" lang="en"><h1 data-text="app.title">{en_title}</h1>
<p class="counter" data-text="form.prompt.counter">0 / {PROMPT_MAX_CHARS}</p>
<textarea data-placeholder="form.prompt.placeholder" placeholder="Say &quot;what&quot;"></textarea></div>
<div class="studio studio-shell" lang="zh-CN"><h1 data-text="app.title">工作室</h1></div>"#
        )
    }

    #[test]
    fn the_projects_page_matches_its_translations() {
        let checked = check_page(&crate::project_root()).unwrap();
        assert!(checked.contains("shells show"), "{checked}");
    }

    #[test]
    fn shells_that_match_the_translations_pass() {
        assert_eq!(check(&page("Studio"), &catalogs()).unwrap(), 4);
    }

    #[test]
    fn a_text_that_drifted_is_named() {
        let error = check(&page("Old title"), &catalogs())
            .unwrap_err()
            .to_string();
        assert!(
            error.contains("en: `app.title` shows \"Old title\", not \"Studio\""),
            "{error}"
        );
    }

    #[test]
    fn a_missing_language_or_key_fails() {
        let one_shell = page("Studio").replace("lang=\"zh-CN\"", "lang=\"fr\"");
        assert!(check(&one_shell, &catalogs()).is_err());
        let unknown = page("Studio").replace("app.title", "app.name");
        let error = check(&unknown, &catalogs()).unwrap_err().to_string();
        assert!(error.contains("`app.name` is not a key"), "{error}");
        assert!(check("<div></div>", &BTreeMap::new()).is_err());
    }
}
