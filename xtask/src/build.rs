//! The app's release build with trunk, always offline, its imports given short names,
//! its script minified by terser and its stylesheets put into the page,
//! and what is added beside it: `embed.js`, the stable loader for pages that embed the
//! studio, the examples, and a Brotli and a gzip copy of every compressible file for
//! servers to send as they are.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result, bail};
use seedream_first_load::page::{AppFiles, app_files_in, inline_stylesheets};
use seedream_first_load::precompress::precompress_dir;
use sha2::{Digest, Sha256};

use crate::bootstrap::Toolchain;
use crate::process::{outside_cargo_run, path_with, run};
use crate::short_imports::shorten_imports;

/// The app's binary, which trunk names the script and the wasm after.
const APP_NAME: &str = "seedream-studio";

/// The loader's name in `dist/`: never hashed, so a portal can link it for good.
pub const EMBED_JS: &str = "embed.js";

/// Builds the app into `dist/` (wasm-opt runs in release builds), shortens the wasm's
/// import names, minifies its script, names both after their bytes, puts the
/// stylesheets into the page, writes `embed.js`, copies `examples/` to
/// `dist/examples/`, then writes the `.br` and `.gz` copies (last, so the loader and
/// the examples have theirs); returns `dist/`.
pub fn release(root: &Path, tools: &Toolchain) -> Result<PathBuf> {
    let dist = root.join("dist");
    let dirs: Vec<&Path> = tools.bin_dirs.iter().map(PathBuf::as_path).collect();
    let mut trunk = Command::new("trunk");
    // trunk runs cargo, which must see the environment a shell gives it.
    outside_cargo_run(&mut trunk);
    run(trunk
        .args(["build", "--release", "--offline", "--dist"])
        .arg(&dist)
        .current_dir(root)
        .env("PATH", path_with(&dirs)?)
        // trunk must never download a tool: `--offline` makes a missing one an error.
        .env("TRUNK_OFFLINE", "true"))?;
    let trunk_assets = Assets::in_dist(&dist)?;
    shorten_imports_in(&dist, &trunk_assets)?;
    minify_script(&tools.terser, &dist.join(&trunk_assets.script))?;
    let assets = name_after_content(&dist, &trunk_assets)?;
    inline_stylesheets_in(&dist)?;
    write_embed_loader(&dist, &assets)?;
    copy_dir(&root.join("examples"), &dist.join("examples"))?;
    precompress_dir(&dist).with_context(|| format!("precompressing {}", dist.display()))?;
    Ok(dist)
}

/// Gives the wasm's imports short names, in the wasm and in its script (see
/// `short_imports`).
fn shorten_imports_in(dist: &Path, assets: &Assets) -> Result<()> {
    let (wasm_path, script_path) = (dist.join(&assets.wasm), dist.join(&assets.script));
    let wasm = read(&wasm_path)?;
    let script = String::from_utf8(read(&script_path)?)
        .with_context(|| format!("{} is not UTF-8", script_path.display()))?;
    let shortened = shorten_imports(&wasm, &script)
        .with_context(|| format!("shortening the imports of {}", assets.wasm))?;
    write(&wasm_path, shortened.wasm)?;
    write(&script_path, shortened.script)
}

fn read(path: &Path) -> Result<Vec<u8>> {
    std::fs::read(path).with_context(|| format!("reading {}", path.display()))
}

fn write(path: &Path, contents: impl AsRef<[u8]>) -> Result<()> {
    std::fs::write(path, contents).with_context(|| format!("writing {}", path.display()))
}

/// `dist/index.html`, rewritten by `change`.
fn rewrite_page(dist: &Path, change: impl FnOnce(&str) -> Result<String>) -> Result<()> {
    let path = dist.join("index.html");
    let page = String::from_utf8(read(&path)?)
        .with_context(|| format!("{} is not UTF-8", path.display()))?;
    write(&path, change(&page)?)
}

/// Minifies the wasm-bindgen glue in place: an ES module, so its top-level names may be
/// shortened too; its exports and the wasm's import names are properties, kept. The
/// page loads it without an integrity hash (trunk gives one to the stylesheets only).
fn minify_script(terser: &Path, script: &Path) -> Result<()> {
    run(Command::new(terser)
        .arg(script)
        .args(["--module", "--compress", "--mangle", "--output"])
        .arg(script))
    .with_context(|| format!("minifying {}", script.display()))
}

/// Renames the script and the wasm after the bytes they ship with, and `index.html`'s
/// links to them; returns the build's files under their new names.
///
/// trunk names both after the wasm rustc wrote, before this step and wasm-opt changed
/// them, so a change to either alone (a wasm-opt flag, the import names) would keep the
/// names a browser or a CDN holds an older pair under for good. The script and the wasm
/// must come from one build (the import names bind them), so one hash of both names
/// the pair.
fn name_after_content(dist: &Path, assets: &Assets) -> Result<Assets> {
    let digest = Sha256::new()
        .chain_update(read(&dist.join(&assets.script))?)
        .chain_update(read(&dist.join(&assets.wasm))?)
        .finalize();
    let hex: String = digest[..8]
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect();
    let old_base = assets.script.trim_end_matches(".js");
    let new_base = format!("{APP_NAME}-{hex}");
    if assets.wasm != format!("{old_base}_bg.wasm") {
        bail!(
            "trunk named the wasm {} for the script {}",
            assets.wasm,
            assets.script
        );
    }
    for (old, new) in [
        (assets.script.clone(), format!("{new_base}.js")),
        (assets.wasm.clone(), format!("{new_base}_bg.wasm")),
    ] {
        std::fs::rename(dist.join(&old), dist.join(&new))
            .with_context(|| format!("renaming {old} to {new}"))?;
    }
    rewrite_page(dist, |page| Ok(page.replace(old_base, &new_base)))?;
    let renamed = Assets::in_dist(dist)?;
    if renamed.script != format!("{new_base}.js") {
        bail!("index.html still links {}", renamed.script);
    }
    Ok(renamed)
}

/// Puts the stylesheets `index.html` links into it, so the static shell paints with the
/// page itself: a round trip sooner on a first visit, and the wasm, requested after
/// that paint, with it. The files stay beside it for `embed.js`, whose hosts link them;
/// the server allows the `<style>` elements by their hashes.
fn inline_stylesheets_in(dist: &Path) -> Result<()> {
    rewrite_page(dist, |page| {
        inline_stylesheets(page, |file| {
            std::fs::read_to_string(dist.join(file)).map_err(|err| format!("reading {file}: {err}"))
        })
        .map_err(anyhow::Error::msg)
    })
}

/// Writes `dist/embed.js` for the build trunk just wrote into `dist`.
fn write_embed_loader(dist: &Path, assets: &Assets) -> Result<()> {
    write(&dist.join(EMBED_JS), assets.loader())
}

/// The hashed files of one build, as trunk linked them from `index.html`, relative to
/// `dist/`.
#[derive(Debug, PartialEq)]
struct Assets {
    /// The app's stylesheets, in the page's order (`page-*.css`, the standalone page's
    /// own rules for `<body>`, is left out: a portal's body is its own).
    styles: Vec<String>,
    /// `seedream-studio-<hash>.js`, the wasm-bindgen glue.
    script: String,
    /// `seedream-studio-<hash>_bg.wasm`.
    wasm: String,
}

impl Assets {
    /// The files `dist/index.html` links, each checked to be in `dist`.
    fn in_dist(dist: &Path) -> Result<Assets> {
        Ok(Assets::of(app_files_in(dist).map_err(anyhow::Error::msg)?))
    }

    /// The app's files less the standalone page's stylesheet: a portal's body is its
    /// own.
    fn of(files: AppFiles) -> Assets {
        Assets {
            styles: files
                .styles
                .into_iter()
                .filter(|file| !file.starts_with("page-"))
                .collect(),
            script: files.script,
            wasm: files.wasm,
        }
    }

    /// The loader: an ES module with no dependencies, a few hundred bytes.
    fn loader(&self) -> String {
        let styles = self
            .styles
            .iter()
            .map(|file| format!("\"{file}\""))
            .collect::<Vec<_>>()
            .join(", ");
        format!(
            r#"// Seedream Studio's loader for pages that embed it (written by `cargo xtask dist`).
// Its URL is stable; the files it loads are this build's hashed ones, beside it.
// Usage: <div data-seedream-studio></div> <script type="module" src=".../embed.js"></script>
// Adds the studio's stylesheets once, then starts the app, which mounts into every
// [data-seedream-studio] element. `ready` resolves once the wasm has started.
const here = (file) => new URL(file, import.meta.url).href;
const present = new Set([...document.querySelectorAll('link[rel~="stylesheet"]')].map((l) => l.href));
const styled = [{styles}].map(here).filter((href) => !present.has(href)).map((href) => {{
  const link = Object.assign(document.createElement("link"), {{ rel: "stylesheet", href }});
  const loaded = new Promise((done) => {{ link.onload = link.onerror = done; }});
  document.head.append(link);
  return loaded;
}});
const {{ default: init }} = await import(here("{script}"));
// Styles first, so the studio never shows unstyled.
await Promise.all(styled);
export const ready = init({{ module_or_path: here("{wasm}") }});
await ready;
"#,
            script = self.script,
            wasm = self.wasm,
        )
    }
}

/// Copies `from` into `to` (replacing what was there); nothing when `from` is absent.
fn copy_dir(from: &Path, to: &Path) -> Result<()> {
    if !from.is_dir() {
        return Ok(());
    }
    if to.exists() {
        std::fs::remove_dir_all(to).with_context(|| format!("removing {}", to.display()))?;
    }
    seedream_run::copy_dir(from, to)
}

#[cfg(test)]
mod tests {
    use super::*;
    use seedream_first_load::page::app_files;

    const INDEX: &str = r#"<head>
    <link rel="icon" href="data:," />
    <link rel="stylesheet" href="/main-66c480e4af9c852.css" integrity="sha384-x"/>
    <link rel="stylesheet" href="/page-0123456789abcdef.css" integrity="sha384-y"/>
    <link rel="stylesheet" href="/tasks-4bf49a6f0344c1a7.css" integrity="sha384-z"/>
<script type="module">
import init, * as bindings from '/seedream-studio-239ba7cd0135df5c.js';
const wasm = await init({ module_or_path: '/seedream-studio-239ba7cd0135df5c_bg.wasm' });
</script>
  <link rel="modulepreload" href="/seedream-studio-239ba7cd0135df5c.js" crossorigin="anonymous"></head>"#;

    #[test]
    fn finds_the_hashed_files_trunk_linked() {
        let assets = Assets::of(app_files(INDEX).unwrap());
        assert_eq!(
            assets,
            Assets {
                styles: vec![
                    "main-66c480e4af9c852.css".into(),
                    "tasks-4bf49a6f0344c1a7.css".into()
                ],
                script: "seedream-studio-239ba7cd0135df5c.js".into(),
                wasm: "seedream-studio-239ba7cd0135df5c_bg.wasm".into(),
            }
        );
    }

    #[test]
    fn the_loader_names_them_relative_to_itself() {
        let loader = Assets::of(app_files(INDEX).unwrap()).loader();
        assert!(loader.contains(r#"["main-66c480e4af9c852.css", "tasks-4bf49a6f0344c1a7.css"]"#));
        assert!(loader.contains(r#"import(here("seedream-studio-239ba7cd0135df5c.js"))"#));
        assert!(
            loader.contains(r#"module_or_path: here("seedream-studio-239ba7cd0135df5c_bg.wasm")"#)
        );
        assert!(loader.contains("import.meta.url"));
        assert!(!loader.contains("'/"), "no absolute paths: {loader}");
    }

    #[test]
    fn reads_a_minified_page_as_well() {
        const MINIFIED: &str = "<link href=data:, rel=icon><link href=/page-0123.css \
            integrity=sha384-y rel=stylesheet><link href=/studio-4bf4.css integrity=sha384-z \
            rel=stylesheet><script type=module>import init, * as bindings from \
            '/seedream-studio-239b.js';\nconst wasm = await init({ module_or_path: \
            '/seedream-studio-239b_bg.wasm' });</script>";
        assert_eq!(
            Assets::of(app_files(MINIFIED).unwrap()),
            Assets {
                styles: vec!["studio-4bf4.css".into()],
                script: "seedream-studio-239b.js".into(),
                wasm: "seedream-studio-239b_bg.wasm".into(),
            }
        );
    }
}
