//! What a first visit downloads from the release build in `dist/`: `index.html` and
//! every file of `dist/` it names (the hashed stylesheets, script and wasm), raw, gzip
//! (Zopfli, the smallest deflate) and brotli (quality 11). `embed.js` and `examples/`
//! are for portals, not the page, so they are left out.
//!
//! One count for both of its readers: `cargo xtask test` checks the gzip total against
//! its budget, and the bench prints every file as rows of its table. The same
//! compressors write the copies a server sends ([`precompress`]), so those columns
//! are what is sent.

pub mod page;
pub mod precompress;

use std::collections::BTreeSet;
use std::io;
use std::path::Path;

/// The largest first load, all files gzip-compressed, that meets the issue's target:
/// the bench's row is measured against it, and the test command's budget (a ratchet
/// above it) names it as where the budget is headed.
pub const FIRST_LOAD_GZIP_TARGET: u64 = 120_000;

/// One file of the first load.
#[derive(Debug, Clone, PartialEq)]
pub struct Sizes {
    pub path: String,
    pub raw: u64,
    pub gzip: u64,
    pub brotli: u64,
}

/// `index.html` first, then the files it names, sorted; fails when a file cannot be
/// read or the page names no script and wasm (not trunk's build).
pub fn first_load(dist: &Path) -> io::Result<Vec<Sizes>> {
    let index = dist.join("index.html");
    let html = std::fs::read_to_string(&index).map_err(|err| about(&index, "reading", err))?;
    let named = referenced_files(&html);
    let mut files = vec!["index.html".to_owned()];
    files.extend(named.into_iter().filter(|file| dist.join(file).is_file()));
    if files.len() < 3 {
        return Err(io::Error::new(
            io::ErrorKind::InvalidData,
            format!(
                "{} names no .js and .wasm in {}: is it trunk's build?",
                index.display(),
                dist.display()
            ),
        ));
    }
    files
        .into_iter()
        .map(|path| {
            let full = dist.join(&path);
            let bytes = std::fs::read(&full).map_err(|err| about(&full, "reading", err))?;
            Ok(Sizes {
                raw: bytes.len() as u64,
                gzip: gzip_len(&bytes)?,
                brotli: brotli_len(&bytes)?,
                path,
            })
        })
        .collect()
}

/// The sum of every column, named `total`.
pub fn total(files: &[Sizes]) -> Sizes {
    Sizes {
        path: "total".to_owned(),
        raw: files.iter().map(|f| f.raw).sum(),
        gzip: files.iter().map(|f| f.gzip).sum(),
        brotli: files.iter().map(|f| f.brotli).sum(),
    }
}

/// The same-origin files `html` loads: every quoted absolute path (`href="/x.css"`,
/// `from '/x.js'`, `fetch(\`/x_bg.wasm\`)`, a template literal as the minifier writes a
/// string) and every bare attribute value
/// that is one, as a minified page writes them (`href=/x.css`), with a file
/// extension, once each, without the leading `/`.
pub fn referenced_files(html: &str) -> BTreeSet<String> {
    let quoted = html.split(['\'', '"', '`']);
    let bare = html
        .split(|c: char| c.is_whitespace() || c == '<' || c == '>')
        .filter_map(|token| token.split_once('=').map(|(_, value)| value));
    quoted
        .chain(bare)
        .filter(|part| part.starts_with('/') && !part.starts_with("//"))
        .map(|part| part.trim_start_matches('/'))
        .filter(|file| {
            !file.is_empty()
                && !file.contains(['/', '?', '#', '<', '>', '='])
                && !file.contains(char::is_whitespace)
                && file
                    .rsplit_once('.')
                    .is_some_and(|(_, ext)| !ext.is_empty())
        })
        .map(str::to_owned)
        .collect()
}

/// The size of `bytes` gzip-compressed by Zopfli, as [`precompress`] writes them.
pub fn gzip_len(bytes: &[u8]) -> io::Result<u64> {
    Ok(precompress::gzip(bytes)?.len() as u64)
}

/// The size of `bytes` brotli-compressed at quality 11 with a 4 MB window, as
/// [`precompress`] writes them.
pub fn brotli_len(bytes: &[u8]) -> io::Result<u64> {
    Ok(precompress::brotli(bytes)?.len() as u64)
}

/// `err` with what was being done to which file, so the message stands on its own.
fn about(path: &Path, doing: &str, err: io::Error) -> io::Error {
    io::Error::new(err.kind(), format!("{doing} {}: {err}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_files_trunk_links() {
        let html = r#"<link rel="icon" href="data:," />
<link rel="stylesheet" href="/main-1.css" integrity="sha384-x"/>
<script type="module">
import init, * as bindings from '/app-2.js';
const wasm = await init({ module_or_path: '/app-2_bg.wasm' });
</script>
<link rel="modulepreload" href="/app-2.js" crossorigin="anonymous">
<a href="/examples/portal/">x</a> <a href="//cdn.example/x.js">y</a> <a href="/">home</a>
<p>Studio's page</p> <div data-seedream-studio data-config="config.json"></div>"#;
        let files: Vec<String> = referenced_files(html).into_iter().collect();
        assert_eq!(files, ["app-2.js", "app-2_bg.wasm", "main-1.css"]);
    }

    #[test]
    fn finds_them_in_a_minified_page_too() {
        let html = "<link href=data:, rel=icon><link href=/page-1.css integrity=sha384-x \
            rel=stylesheet><link href=/main-1.css rel=stylesheet><script>window.w=\
            fetch(`/app-2_bg.wasm`)</script><script type=module>import init from '/app-2.js';\
            init({ module_or_path: window.w })</script><p>1 / 600";
        let files: Vec<String> = referenced_files(html).into_iter().collect();
        assert_eq!(
            files,
            ["app-2.js", "app-2_bg.wasm", "main-1.css", "page-1.css"]
        );
    }

    #[test]
    fn compressors_shrink_repetitive_data() -> io::Result<()> {
        let data = b"seedream studio ".repeat(1000);
        let (gzip, brotli) = (gzip_len(&data)?, brotli_len(&data)?);
        assert!(gzip > 0 && gzip < 300, "gzip: {gzip}");
        assert!(brotli > 0 && brotli < 300, "brotli: {brotli}");
        Ok(())
    }

    #[test]
    fn totals_add_up() {
        let file = |raw, gzip, brotli| Sizes {
            path: "f".into(),
            raw,
            gzip,
            brotli,
        };
        let sum = total(&[file(10, 5, 4), file(100, 50, 40)]);
        assert_eq!((sum.raw, sum.gzip, sum.brotli), (110, 55, 44));
        assert_eq!(sum.path, "total");
    }

    #[test]
    fn measures_the_page_and_what_it_names_only() -> io::Result<()> {
        let dist = std::env::temp_dir().join(format!("first-load-test-{}", std::process::id()));
        std::fs::create_dir_all(dist.join("examples"))?;
        let html = r#"<link rel="stylesheet" href="/a.css"><script type="module">import init from '/app.js'; init({ module_or_path: '/app_bg.wasm' });</script>"#;
        for (file, text) in [
            ("index.html", html),
            ("a.css", "body { color: red }"),
            ("app.js", "export default () => {}"),
            ("app_bg.wasm", "\0asm"),
            ("embed.js", "not part of the page"),
            ("examples/portal.html", "nor this"),
        ] {
            std::fs::write(dist.join(file), text)?;
        }
        let files = first_load(&dist);
        let _ = std::fs::remove_dir_all(&dist);
        let paths: Vec<String> = files?.into_iter().map(|f| f.path).collect();
        assert_eq!(paths, ["index.html", "a.css", "app.js", "app_bg.wasm"]);
        Ok(())
    }

    #[test]
    fn a_page_without_the_app_is_refused() {
        let dist = std::env::temp_dir().join(format!("first-load-empty-{}", std::process::id()));
        let written = std::fs::create_dir_all(&dist)
            .and_then(|()| std::fs::write(dist.join("index.html"), "<p>hello</p>"));
        assert!(written.is_ok());
        let refused = first_load(&dist);
        let _ = std::fs::remove_dir_all(&dist);
        assert!(refused.is_err_and(|err| err.to_string().contains("is it trunk's build")));
    }
}
