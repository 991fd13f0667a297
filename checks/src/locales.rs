//! The translations check: every language has exactly the keys of English, each with
//! the same `{{ variables }}`, and no empty text. leptos_i18n only warns about a key
//! missing from a language (and shows the English text there), so `cargo xtask test`
//! runs this check (a unit test) to make a half-translated interface fail instead.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::fs;
use std::path::Path;

use anyhow::{Context, Result, bail};
use serde_json::Value;

/// The language every other one is compared with.
const REFERENCE: &str = "en";

/// One language's texts: `namespace.key.subkey` -> text.
pub type Catalog = BTreeMap<String, String>;

/// What is wrong with one key of one language.
#[derive(Debug, PartialEq, Eq)]
enum Problem {
    Missing { language: String, key: String },
    Extra { language: String, key: String },
    Variables { language: String, key: String },
    Empty { language: String, key: String },
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Missing { language, key } => write!(f, "{language}: `{key}` is missing"),
            Self::Extra { language, key } => {
                write!(f, "{language}: `{key}` is not in {REFERENCE}")
            }
            Self::Variables { language, key } => write!(
                f,
                "{language}: `{key}` does not use the same {{{{ variables }}}} as {REFERENCE}"
            ),
            Self::Empty { language, key } => write!(f, "{language}: `{key}` is empty"),
        }
    }
}

/// Checks `locales/` (one folder per language, one JSON file per namespace).
pub fn check(root: &Path) -> Result<String> {
    let locales = root.join("locales");
    let catalogs = catalogs(root)?;
    let Some(reference) = catalogs.get(REFERENCE) else {
        bail!("{} has no `{REFERENCE}` folder", locales.display());
    };
    let problems: Vec<Problem> = catalogs
        .iter()
        .flat_map(|(language, catalog)| compare(reference, language, catalog))
        .collect();
    if !problems.is_empty() {
        let list: Vec<String> = problems.iter().map(|p| format!("  {p}")).collect();
        bail!("the translations disagree:\n{}", list.join("\n"));
    }
    Ok(format!(
        "{} languages, {} keys each, the same variables",
        catalogs.len(),
        reference.len()
    ))
}

/// Every language's catalog, by folder name.
pub(crate) fn catalogs(root: &Path) -> Result<BTreeMap<String, Catalog>> {
    let locales = root.join("locales");
    let mut catalogs = BTreeMap::new();
    for entry in fs::read_dir(&locales).with_context(|| format!("reading {}", locales.display()))? {
        let path = entry?.path();
        if path.is_dir() {
            let language = path
                .file_name()
                .map(|name| name.to_string_lossy().into_owned())
                .unwrap_or_default();
            catalogs.insert(language, load(&path)?);
        }
    }
    Ok(catalogs)
}

/// Every `<namespace>.json` of one language folder, flattened.
fn load(folder: &Path) -> Result<Catalog> {
    let mut catalog = Catalog::new();
    for entry in fs::read_dir(folder)? {
        let path = entry?.path();
        if path.extension().is_none_or(|ext| ext != "json") {
            continue;
        }
        let namespace = path
            .file_stem()
            .map(|stem| stem.to_string_lossy().into_owned())
            .unwrap_or_default();
        let text =
            fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
        let value: Value =
            serde_json::from_str(&text).with_context(|| format!("parsing {}", path.display()))?;
        flatten(&namespace, &value, &mut catalog)
            .with_context(|| format!("reading the keys of {}", path.display()))?;
    }
    Ok(catalog)
}

fn flatten(prefix: &str, value: &Value, catalog: &mut Catalog) -> Result<()> {
    match value {
        Value::Object(map) => {
            for (key, value) in map {
                flatten(&format!("{prefix}.{key}"), value, catalog)?;
            }
        }
        Value::String(text) => {
            catalog.insert(prefix.to_owned(), text.clone());
        }
        _ => bail!("`{prefix}` is neither text nor a group of keys"),
    }
    Ok(())
}

/// The problems of `language`'s catalog against the reference.
fn compare(reference: &Catalog, language: &str, catalog: &Catalog) -> Vec<Problem> {
    let problem =
        |make: fn(String, String) -> Problem, key: &String| make(language.to_owned(), key.clone());
    let mut problems = Vec::new();
    for (key, text) in catalog {
        match reference.get(key) {
            None => problems.push(problem(
                |language, key| Problem::Extra { language, key },
                key,
            )),
            Some(original) if variables(original) != variables(text) => problems.push(problem(
                |language, key| Problem::Variables { language, key },
                key,
            )),
            Some(_) => {}
        }
        if text.trim().is_empty() {
            problems.push(problem(
                |language, key| Problem::Empty { language, key },
                key,
            ));
        }
    }
    for key in reference.keys().filter(|key| !catalog.contains_key(*key)) {
        problems.push(problem(
            |language, key| Problem::Missing { language, key },
            key,
        ));
    }
    problems
}

/// The names in a text's `{{ name }}` interpolations.
fn variables(text: &str) -> BTreeSet<&str> {
    text.split("{{")
        .skip(1)
        .filter_map(|rest| rest.split_once("}}").map(|(name, _)| name.trim()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn catalog(entries: &[(&str, &str)]) -> Catalog {
        entries
            .iter()
            .map(|(key, text)| ((*key).to_owned(), (*text).to_owned()))
            .collect()
    }

    #[test]
    fn the_same_keys_and_variables_pass() {
        let en = catalog(&[
            ("form.count", "{{ count }} of {{ max }}"),
            ("app.title", "Studio"),
        ]);
        let zh = catalog(&[
            ("form.count", "{{ max }} 中的 {{count}}"),
            ("app.title", "工作室"),
        ]);
        assert_eq!(compare(&en, "zh-CN", &zh), Vec::new());
    }

    #[test]
    fn a_missing_or_extra_key_is_named() {
        let en = catalog(&[("app.title", "Studio"), ("app.tagline", "Edit")]);
        let zh = catalog(&[("app.title", "工作室"), ("app.stray", "多余")]);
        let problems = compare(&en, "zh-CN", &zh);
        assert!(problems.contains(&Problem::Missing {
            language: "zh-CN".into(),
            key: "app.tagline".into()
        }));
        assert!(problems.contains(&Problem::Extra {
            language: "zh-CN".into(),
            key: "app.stray".into()
        }));
        assert_eq!(problems.len(), 2);
    }

    #[test]
    fn different_variables_or_empty_text_fail() {
        let en = catalog(&[
            ("form.count", "{{ count }} images"),
            ("app.title", "Studio"),
        ]);
        let zh = catalog(&[("form.count", "{{ number }} 张图片"), ("app.title", " ")]);
        let problems = compare(&en, "zh-CN", &zh);
        assert_eq!(
            problems,
            vec![
                Problem::Empty {
                    language: "zh-CN".into(),
                    key: "app.title".into()
                },
                Problem::Variables {
                    language: "zh-CN".into(),
                    key: "form.count".into()
                },
            ]
        );
    }

    #[test]
    fn nested_groups_flatten_to_dotted_keys() -> Result<()> {
        let value: Value = serde_json::from_str(r#"{"a": {"b": "x"}, "c": "y"}"#)?;
        let mut flat = Catalog::new();
        flatten("ns", &value, &mut flat)?;
        assert_eq!(flat, catalog(&[("ns.a.b", "x"), ("ns.c", "y")]));
        let bad: Value = serde_json::from_str(r#"{"a": 1}"#)?;
        assert!(flatten("ns", &bad, &mut Catalog::new()).is_err());
        Ok(())
    }

    #[test]
    fn the_project_translations_agree() -> Result<()> {
        check(&crate::project_root()).map(drop)
    }
}
