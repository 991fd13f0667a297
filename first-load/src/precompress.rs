//! Precompressed copies of a built site's files: `<name>.br` (Brotli, quality 11) and
//! `<name>.gz` (gzip written by Zopfli) beside each compressible file, for servers that
//! pick one by `Accept-Encoding` instead of compressing every answer again (this
//! project's server, nginx's `brotli_static` and `gzip_static`, most CDNs).
//!
//! The copies are made with the settings the first-load sizes are measured with, so
//! the bench's brotli and gzip columns are what is sent.

use std::io::{self, Write};
use std::num::NonZeroU64;
use std::path::{Path, PathBuf};

/// The suffix of a Brotli copy, as nginx's `brotli_static` and tower-http look for it.
pub const BROTLI_SUFFIX: &str = ".br";
/// The suffix of a gzip copy, as nginx's `gzip_static` and tower-http look for it.
pub const GZIP_SUFFIX: &str = ".gz";

/// Extensions of the text and wasm a site serves: what compresses. Images and fonts
/// are compressed formats already.
const COMPRESSIBLE: [&str; 8] = ["html", "js", "mjs", "css", "wasm", "svg", "json", "txt"];

/// Smaller files are sent as they are stored. Compressed, a file this size saves a few
/// hundred bytes at most, less than one packet, and a copy written beside it is one
/// more thing to keep in step when it is edited; a server still compresses it on the
/// fly if it likes.
pub const MIN_LEN: u64 = 1024;

/// The deployment's own options: edited on the host after the build, when a copy made
/// at build time would go on being sent in its place.
const EDITED_AFTER_BUILD: &str = "config.json";

/// One file given copies, with its sizes.
#[derive(Debug, Clone, PartialEq)]
pub struct Precompressed {
    /// Relative to the folder, `/`-separated.
    pub path: String,
    pub raw: u64,
    pub brotli: u64,
    pub gzip: u64,
}

/// Writes `<name>.br` and `<name>.gz` beside every compressible file of `dir` (by
/// extension, at least [`MIN_LEN`] bytes, `config.json` aside) and removes stale copies
/// beside the others; returns the files given copies, sorted by path. The output is
/// the same on every run: copies are rewritten from their file, never compressed again.
pub fn precompress_dir(dir: &Path) -> io::Result<Vec<Precompressed>> {
    let mut files = Vec::new();
    collect_files(dir, &mut files)?;
    files.sort();
    let mut written = Vec::new();
    for file in files {
        if is_copy(&file) {
            continue;
        }
        let relative = file.strip_prefix(dir).unwrap_or(&file);
        let raw = std::fs::metadata(&file)?.len();
        if !worth_compressing(relative, raw) {
            remove_copies(&file)?;
            continue;
        }
        let bytes = std::fs::read(&file).map_err(|err| about(&file, "reading", err))?;
        let (brotli, gzip) = (brotli(&bytes)?, gzip(&bytes)?);
        write_copy(&file, BROTLI_SUFFIX, &brotli)?;
        write_copy(&file, GZIP_SUFFIX, &gzip)?;
        written.push(Precompressed {
            path: relative.to_string_lossy().replace('\\', "/"),
            raw,
            brotli: brotli.len() as u64,
            gzip: gzip.len() as u64,
        });
    }
    Ok(written)
}

/// True for `<name>.br` or `<name>.gz` beside its `<name>`: a copy, not a file served
/// under its own name.
pub fn is_copy(path: &Path) -> bool {
    let Some(name) = path.file_name().and_then(|name| name.to_str()) else {
        return false;
    };
    [BROTLI_SUFFIX, GZIP_SUFFIX].iter().any(|suffix| {
        name.strip_suffix(suffix)
            .is_some_and(|original| path.with_file_name(original).is_file())
    })
}

/// Zopfli's passes over each block. Measured on the wasm (1.65 MB): 5 passes give
/// 624,476 bytes against zlib's level 9's 651,711 (4.2% less) in 2.6 s; Zopfli's
/// default 15 took 4.3 s and gave 767 bytes more.
const ZOPFLI_ITERATIONS: NonZeroU64 = NonZeroU64::new(5).unwrap();

/// `bytes` gzip-compressed as small as the format allows in reasonable time: Zopfli's
/// exhaustive search writes ordinary deflate that every gzip reader takes, 4% smaller
/// than zlib's best level. No name or time in the header, so the same input gives the
/// same output.
pub fn gzip(bytes: &[u8]) -> io::Result<Vec<u8>> {
    let options = zopfli::Options {
        iteration_count: ZOPFLI_ITERATIONS,
        ..zopfli::Options::default()
    };
    let mut out = Vec::with_capacity(bytes.len() / 2);
    zopfli::compress(options, zopfli::Format::Gzip, bytes, &mut out)?;
    Ok(out)
}

/// `bytes` Brotli-compressed at quality 11 (the best) with a 4 MB window (22, the
/// format's default and what every browser decodes; the app's files are smaller).
pub fn brotli(bytes: &[u8]) -> io::Result<Vec<u8>> {
    let mut writer = brotli::CompressorWriter::new(Vec::new(), 64 * 1024, 11, 22);
    writer.write_all(bytes)?;
    Ok(writer.into_inner())
}

/// A compressible extension, large enough, and not the deployment's options.
fn worth_compressing(relative: &Path, len: u64) -> bool {
    let compressible = relative
        .extension()
        .and_then(|extension| extension.to_str())
        .is_some_and(|extension| {
            COMPRESSIBLE
                .iter()
                .any(|known| extension.eq_ignore_ascii_case(known))
        });
    compressible && len >= MIN_LEN && relative != Path::new(EDITED_AFTER_BUILD)
}

/// Writes `<file><suffix>` through a hidden temporary file and a rename, so a server
/// reading the folder meanwhile sends the old copy or the new one, never half of one.
fn write_copy(file: &Path, suffix: &str, bytes: &[u8]) -> io::Result<()> {
    let copy = with_suffix(file, suffix);
    let name = copy.file_name().unwrap_or_default().to_string_lossy();
    let partial = copy.with_file_name(format!(".{name}.partial"));
    std::fs::write(&partial, bytes).map_err(|err| about(&partial, "writing", err))?;
    std::fs::rename(&partial, &copy).map_err(|err| about(&copy, "writing", err))
}

/// Removes `<file>.br` and `<file>.gz` if present: left from an earlier build, they
/// would be sent in place of the file as it is now.
fn remove_copies(file: &Path) -> io::Result<()> {
    for suffix in [BROTLI_SUFFIX, GZIP_SUFFIX] {
        let copy = with_suffix(file, suffix);
        match std::fs::remove_file(&copy) {
            Err(err) if err.kind() != io::ErrorKind::NotFound => {
                return Err(about(&copy, "removing", err));
            }
            _ => {}
        }
    }
    Ok(())
}

fn with_suffix(file: &Path, suffix: &str) -> PathBuf {
    let mut name = file.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

/// The files under `dir`, hidden ones aside: a server never sends them (trunk's
/// `.stage/` while it builds, the temporary files of [`write_copy`]).
fn collect_files(dir: &Path, out: &mut Vec<PathBuf>) -> io::Result<()> {
    for entry in std::fs::read_dir(dir).map_err(|err| about(dir, "reading", err))? {
        let entry = entry?;
        if entry.file_name().to_string_lossy().starts_with('.') {
            continue;
        }
        let path = entry.path();
        if path.is_dir() {
            collect_files(&path, out)?;
        } else {
            out.push(path);
        }
    }
    Ok(())
}

/// `err` with what was being done to which file, so the message stands on its own.
fn about(path: &Path, doing: &str, err: io::Error) -> io::Error {
    io::Error::new(err.kind(), format!("{doing} {}: {err}", path.display()))
}

#[cfg(test)]
mod tests {
    use std::io::Read;

    use super::*;

    /// A fresh folder under the system's temp dir, removed when dropped.
    struct TempDir(PathBuf);

    impl TempDir {
        fn new(name: &str) -> TempDir {
            let path = std::env::temp_dir().join(format!(
                "seedream-precompress-{name}-{}",
                std::process::id()
            ));
            let _ = std::fs::remove_dir_all(&path);
            std::fs::create_dir_all(&path).unwrap();
            TempDir(path)
        }

        fn write(&self, name: &str, bytes: &[u8]) {
            let file = self.0.join(name);
            std::fs::create_dir_all(file.parent().unwrap()).unwrap();
            std::fs::write(file, bytes).unwrap();
        }

        /// Every file's path, hidden ones included, relative and sorted.
        fn listing(&self) -> Vec<String> {
            fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
                for entry in std::fs::read_dir(dir).unwrap() {
                    let path = entry.unwrap().path();
                    if path.is_dir() {
                        walk(&path, out);
                    } else {
                        out.push(path);
                    }
                }
            }
            let mut files = Vec::new();
            walk(&self.0, &mut files);
            let mut names: Vec<String> = files
                .iter()
                .map(|f| f.strip_prefix(&self.0).unwrap().to_string_lossy().into())
                .collect();
            names.sort();
            names
        }

        fn read(&self, name: &str) -> Vec<u8> {
            std::fs::read(self.0.join(name)).unwrap()
        }
    }

    impl Drop for TempDir {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }

    fn text(line: &str) -> Vec<u8> {
        line.repeat(2000 / line.len() + 1).into_bytes()
    }

    /// A trunk-like build: the page, its hashed code, the loader, the example portal,
    /// and what must not be compressed.
    fn site(name: &str) -> TempDir {
        let dir = TempDir::new(name);
        dir.write("index.html", &text("<p>Seedream Studio</p>\n"));
        dir.write("app-0123456789abcdef.js", &text("export const x = 1;\n"));
        let mut wasm = b"\0asm\x01\0\0\0".to_vec();
        wasm.extend((0..60_000u32).map(|i| (i % 251) as u8));
        dir.write("app-0123456789abcdef_bg.wasm", &wasm);
        dir.write("studio-0123456789abcdef.css", &text("body { margin: 0 }\n"));
        dir.write("page-0123456789abcdef.css", b"body { margin: 0 }\n");
        dir.write("embed.js", &text("await import('./app.js');\n"));
        dir.write("examples/portal/index.html", &text("<h1>Portal</h1>\n"));
        dir.write("examples/portal/portal.js", &text("console.log(1);\n"));
        dir.write("config.json", &text("{\"a\": 1}\n"));
        dir.write("logo.png", &text("not really a png"));
        dir.write(".stage/app.js", &text("trunk's work in progress\n"));
        dir
    }

    const COMPRESSED: [&str; 7] = [
        "app-0123456789abcdef.js",
        "app-0123456789abcdef_bg.wasm",
        "embed.js",
        "examples/portal/index.html",
        "examples/portal/portal.js",
        "index.html",
        "studio-0123456789abcdef.css",
    ];

    fn unbrotli(bytes: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        brotli::Decompressor::new(bytes, 4096)
            .read_to_end(&mut out)
            .unwrap();
        out
    }

    fn ungzip(bytes: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        flate2::read::GzDecoder::new(bytes)
            .read_to_end(&mut out)
            .unwrap();
        out
    }

    #[test]
    fn every_copy_decompresses_to_its_file() {
        let dir = site("decompress");
        let written = precompress_dir(&dir.0).unwrap();
        let paths: Vec<&str> = written.iter().map(|f| f.path.as_str()).collect();
        assert_eq!(paths, COMPRESSED);
        for file in &written {
            let original = dir.read(&file.path);
            let brotli = dir.read(&format!("{}.br", file.path));
            let gzip = dir.read(&format!("{}.gz", file.path));
            assert_eq!(unbrotli(&brotli), original, "{}", file.path);
            assert_eq!(ungzip(&gzip), original, "{}", file.path);
            assert_eq!(file.raw, original.len() as u64);
            assert_eq!(
                (file.brotli, file.gzip),
                (brotli.len() as u64, gzip.len() as u64)
            );
            assert!(file.brotli < file.raw && file.gzip < file.raw, "{file:?}");
        }
    }

    #[test]
    fn nothing_else_is_compressed() {
        let dir = site("else");
        let mut expected = dir.listing();
        precompress_dir(&dir.0).unwrap();
        for file in COMPRESSED {
            expected.extend([format!("{file}.br"), format!("{file}.gz")]);
        }
        expected.sort();
        assert_eq!(dir.listing(), expected);
    }

    #[test]
    fn a_second_run_rewrites_the_same_copies_and_compresses_none_again() {
        let dir = site("twice");
        let first = precompress_dir(&dir.0).unwrap();
        let listing = dir.listing();
        let wasm = dir.read("app-0123456789abcdef_bg.wasm.br");
        // A copy changed by hand (or left from another build) is rewritten from its file.
        dir.write("index.html.gz", b"stale");
        let second = precompress_dir(&dir.0).unwrap();
        assert_eq!(first, second);
        assert_eq!(dir.listing(), listing);
        assert_eq!(dir.read("app-0123456789abcdef_bg.wasm.br"), wasm);
        assert_eq!(ungzip(&dir.read("index.html.gz")), dir.read("index.html"));
    }

    #[test]
    fn copies_of_a_file_no_longer_worth_compressing_are_removed() {
        let dir = site("stale");
        precompress_dir(&dir.0).unwrap();
        dir.write("embed.js", b"import('./app.js');\n");
        dir.write("config.json.br", b"from some other tool");
        precompress_dir(&dir.0).unwrap();
        let listing = dir.listing();
        for gone in ["embed.js.br", "embed.js.gz", "config.json.br"] {
            assert!(!listing.contains(&gone.to_owned()), "{gone}: {listing:?}");
        }
    }

    #[test]
    fn copies_are_told_from_files_by_their_sibling() {
        let dir = site("copies");
        precompress_dir(&dir.0).unwrap();
        dir.write("archive.tar.gz", b"a download of its own");
        assert!(is_copy(&dir.0.join("index.html.br")));
        assert!(is_copy(&dir.0.join("examples/portal/portal.js.gz")));
        assert!(!is_copy(&dir.0.join("index.html")));
        assert!(!is_copy(&dir.0.join("archive.tar.gz")));
    }

    #[test]
    fn output_is_deterministic() {
        let data = text("seedream studio ");
        assert_eq!(gzip(&data).unwrap(), gzip(&data).unwrap());
        assert_eq!(brotli(&data).unwrap(), brotli(&data).unwrap());
        // No time stamp in the gzip header (bytes 4 to 7).
        assert_eq!(&gzip(&data).unwrap()[4..8], [0, 0, 0, 0]);
    }
}
