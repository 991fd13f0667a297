//! The app's own files as a build's `index.html` links them: its stylesheets, the
//! wasm-bindgen script and the wasm. `cargo xtask dist` writes the embedding loader
//! from them, and the bench's floor page fetches the same files.

use std::path::Path;

/// The hashed files of one build, relative to `dist/`.
#[derive(Debug, Clone, PartialEq)]
pub struct AppFiles {
    /// Every stylesheet, in the page's order.
    pub styles: Vec<String>,
    /// `seedream-studio-<hash>.js`, the wasm-bindgen glue.
    pub script: String,
    /// `seedream-studio-<hash>_bg.wasm`.
    pub wasm: String,
}

/// The app's files as `dist/index.html` links them, each checked to be in `dist`.
pub fn app_files_in(dist: &Path) -> Result<AppFiles, String> {
    let index = dist.join("index.html");
    let html = std::fs::read_to_string(&index)
        .map_err(|err| format!("reading {}: {err}", index.display()))?;
    let files = app_files(&html)?;
    for file in files.styles.iter().chain([&files.script, &files.wasm]) {
        if !dist.join(file).is_file() {
            return Err(format!(
                "{} names {file}, which is not in {}",
                index.display(),
                dist.display()
            ));
        }
    }
    Ok(files)
}

/// Reads `html` as trunk writes it, minified or not; the error says which part is
/// missing.
pub fn app_files(html: &str) -> Result<AppFiles, String> {
    let mut styles = Vec::new();
    for tag in html.split("<link").skip(1) {
        let tag = tag.split('>').next().unwrap_or_default();
        if attribute(tag, "rel") == Some("stylesheet")
            && let Some(href) = attribute(tag, "href")
        {
            styles.push(href.trim_start_matches('/').to_owned());
        }
    }
    // trunk's inline loader: `import init, ... from '/<name>.js'` and
    // `init({ module_or_path: '/<name>_bg.wasm' })`.
    let quoted = |suffix: &str| {
        html.split(['\'', '"'])
            .find(|part| part.starts_with('/') && part.ends_with(suffix))
            .map(|part| part.trim_start_matches('/').to_owned())
    };
    let wasm =
        quoted("_bg.wasm").ok_or("index.html loads no _bg.wasm: did trunk change its loader?")?;
    let script = quoted(".js").ok_or("index.html imports no .js: did trunk change its loader?")?;
    if styles.is_empty() {
        return Err("index.html links no stylesheet: did trunk change its output?".to_owned());
    }
    Ok(AppFiles {
        styles,
        script,
        wasm,
    })
}

/// The value of `name="..."` in the attributes of one tag.
fn attribute<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
    // Quoted as written (`rel="stylesheet"`) or bare as a minified page has it
    // (`rel=stylesheet`).
    let start = tag.find(&format!(" {name}="))? + name.len() + 2;
    let rest = &tag[start..];
    match rest.strip_prefix('"') {
        Some(quoted) => quoted.split('"').next(),
        None => rest
            .split(char::is_whitespace)
            .next()
            .filter(|value| !value.is_empty()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_every_stylesheet_in_order_the_script_and_the_wasm() {
        const MINIFIED: &str = "<link href=data:, rel=icon><link href=/page-0123.css \
            integrity=sha384-y rel=stylesheet><link href=\"/studio-4bf4.css\" rel=\"stylesheet\">\
            <script type=module>import init, * as bindings from '/seedream-studio-239b.js';\n\
            const wasm = await init({ module_or_path: '/seedream-studio-239b_bg.wasm' });</script>";
        assert_eq!(
            app_files(MINIFIED).unwrap(),
            AppFiles {
                styles: vec!["page-0123.css".into(), "studio-4bf4.css".into()],
                script: "seedream-studio-239b.js".into(),
                wasm: "seedream-studio-239b_bg.wasm".into(),
            }
        );
    }

    #[test]
    fn a_page_without_the_app_says_what_is_missing() {
        assert!(app_files("<html></html>").unwrap_err().contains("_bg.wasm"));
        let no_style = "<script type=module>import init from '/a.js'; init({ module_or_path: '/a_bg.wasm' })</script>";
        assert!(app_files(no_style).unwrap_err().contains("stylesheet"));
    }
}
