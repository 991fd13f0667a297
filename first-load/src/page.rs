//! The app's own files as a build's `index.html` links them: its stylesheets, the
//! wasm-bindgen script and the wasm. `cargo xtask dist` writes the embedding loader
//! from them and puts the stylesheets into the page, and the bench's floor page
//! fetches the same files and carries the same styles.

use std::path::Path;

/// The hashed files of one build, relative to `dist/`.
#[derive(Debug, Clone, PartialEq)]
pub struct AppFiles {
    /// Every linked stylesheet, in the page's order.
    pub styles: Vec<String>,
    /// The text of every `<style>` element, in the page's order.
    pub inline_styles: Vec<String>,
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
    // The inline loader (`pattern_script` in Trunk.toml): `import init, ... from
    // '/<name>.js'` and the wasm's address, `fetch(\`/<name>_bg.wasm\`)` once minified.
    let quoted = |suffix: &str| {
        html.split(['\'', '"', '`'])
            .find(|part| part.starts_with('/') && part.ends_with(suffix))
            .map(|part| part.trim_start_matches('/').to_owned())
    };
    let wasm =
        quoted("_bg.wasm").ok_or("index.html loads no _bg.wasm: did trunk change its loader?")?;
    let script = quoted(".js").ok_or("index.html imports no .js: did trunk change its loader?")?;
    let inline_styles: Vec<String> = html
        .split("<style")
        .skip(1)
        .filter_map(|rest| rest.split_once('>')?.1.split_once("</style>"))
        .map(|(css, _)| css.to_owned())
        .collect();
    if styles.is_empty() && inline_styles.is_empty() {
        return Err("index.html has no stylesheet: did trunk change its output?".to_owned());
    }
    Ok(AppFiles {
        styles,
        inline_styles,
        script,
        wasm,
    })
}

/// `html` with each stylesheet link replaced by a `<style>` element holding the
/// stylesheet, which `css_of` reads by its file name: the page then paints without
/// waiting for another request.
pub fn inline_stylesheets(
    html: &str,
    mut css_of: impl FnMut(&str) -> Result<String, String>,
) -> Result<String, String> {
    let mut parts = html.split("<link");
    let mut out = parts.next().unwrap_or_default().to_owned();
    for part in parts {
        let (tag, rest) = part
            .split_once('>')
            .ok_or("index.html has an unclosed <link")?;
        match attribute(tag, "href").filter(|_| attribute(tag, "rel") == Some("stylesheet")) {
            Some(href) => {
                let css = css_of(href.trim_start_matches('/'))?;
                if css.to_ascii_lowercase().contains("</style") {
                    return Err(format!(
                        "{href} holds \"</style\", which would end its element"
                    ));
                }
                out.push_str("<style>");
                out.push_str(&css);
                out.push_str("</style>");
            }
            None => {
                out.push_str("<link");
                out.push_str(tag);
                out.push('>');
            }
        }
        out.push_str(rest);
    }
    Ok(out)
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
            <script>window.seedreamWasm=new Promise(a=>a()).then(()=>\
            fetch(`/seedream-studio-239b_bg.wasm`))</script><script type=module>import init, * \
            as bindings from '/seedream-studio-239b.js';\n\
            const wasm = await init({ module_or_path: window.seedreamWasm });</script>";
        assert_eq!(
            app_files(MINIFIED).unwrap(),
            AppFiles {
                styles: vec!["page-0123.css".into(), "studio-4bf4.css".into()],
                inline_styles: Vec::new(),
                script: "seedream-studio-239b.js".into(),
                wasm: "seedream-studio-239b_bg.wasm".into(),
            }
        );
    }

    #[test]
    fn stylesheets_go_into_the_page_in_place_and_are_read_back() {
        const PAGE: &str = "<link href=data:, rel=icon><link href=/page-0123.css \
            integrity=sha384-y rel=stylesheet><link href=\"/studio-4bf4.css\" rel=\"stylesheet\">\
            <script type=module>import init from '/s-1.js'; init({ module_or_path: '/s-1_bg.wasm' })</script>";
        let css = |file: &str| Ok(format!("/*{file}*/b{{c:d}}"));
        let inlined = inline_stylesheets(PAGE, css).unwrap();
        assert_eq!(
            inlined,
            "<link href=data:, rel=icon><style>/*page-0123.css*/b{c:d}</style>\
             <style>/*studio-4bf4.css*/b{c:d}</style><script type=module>import init from \
             '/s-1.js'; init({ module_or_path: '/s-1_bg.wasm' })</script>"
        );
        let files = app_files(&inlined).unwrap();
        assert!(files.styles.is_empty());
        assert_eq!(
            files.inline_styles,
            ["/*page-0123.css*/b{c:d}", "/*studio-4bf4.css*/b{c:d}"]
        );
    }

    #[test]
    fn a_stylesheet_that_would_end_its_element_or_is_missing_is_refused() {
        let page = "<link rel=stylesheet href=/a.css>";
        let closing = |_: &str| Ok("a::after{content:\"</STYLE>\"}".to_owned());
        assert!(
            inline_stylesheets(page, closing)
                .unwrap_err()
                .contains("</style")
        );
        let missing = |file: &str| Err(format!("no {file}"));
        assert_eq!(inline_stylesheets(page, missing).unwrap_err(), "no a.css");
    }

    #[test]
    fn a_page_without_the_app_says_what_is_missing() {
        assert!(app_files("<html></html>").unwrap_err().contains("_bg.wasm"));
        let no_style = "<script type=module>import init from '/a.js'; init({ module_or_path: '/a_bg.wasm' })</script>";
        assert!(app_files(no_style).unwrap_err().contains("stylesheet"));
    }
}
