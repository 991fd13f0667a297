//! What a first visit downloads: `index.html` and every file of `dist/` it names (the
//! hashed stylesheets, script and wasm), raw, gzip (best) and brotli (quality 11).
//! `embed.js` and `examples/` are for portals, not the page, so they are left out.

use std::collections::BTreeSet;
use std::io::Write;
use std::path::Path;

use anyhow::{Context, Result, bail};
use flate2::Compression;
use flate2::write::GzEncoder;

/// One file of the first load.
#[derive(Debug, Clone, PartialEq)]
pub struct Sizes {
    pub path: String,
    pub raw: u64,
    pub gzip: u64,
    pub brotli: u64,
}

/// `index.html` first, then the files it names, sorted.
pub fn first_load(dist: &Path) -> Result<Vec<Sizes>> {
    let index = dist.join("index.html");
    let html =
        std::fs::read_to_string(&index).with_context(|| format!("reading {}", index.display()))?;
    let named = referenced_files(&html);
    let mut files = vec!["index.html".to_owned()];
    files.extend(named.into_iter().filter(|file| dist.join(file).is_file()));
    if files.len() < 3 {
        bail!(
            "{} names no .js and .wasm in {}: is it trunk's build?",
            index.display(),
            dist.display()
        );
    }
    files
        .into_iter()
        .map(|path| {
            let full = dist.join(&path);
            let bytes =
                std::fs::read(&full).with_context(|| format!("reading {}", full.display()))?;
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
/// `from '/x.js'`, `module_or_path: '/x_bg.wasm'`) with a file extension, once each,
/// without the leading `/`.
pub fn referenced_files(html: &str) -> BTreeSet<String> {
    html.split(['\'', '"'])
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

pub fn gzip_len(bytes: &[u8]) -> Result<u64> {
    let mut encoder = GzEncoder::new(Vec::new(), Compression::best());
    encoder.write_all(bytes)?;
    Ok(encoder.finish()?.len() as u64)
}

pub fn brotli_len(bytes: &[u8]) -> Result<u64> {
    let mut out = Vec::new();
    {
        // Quality 11 (the best), a 4 MB window: what a static host precompresses with.
        let mut writer = brotli::CompressorWriter::new(&mut out, 64 * 1024, 11, 22);
        writer.write_all(bytes)?;
        writer.flush()?;
    }
    Ok(out.len() as u64)
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
    fn compressors_shrink_repetitive_data() -> Result<()> {
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
}
