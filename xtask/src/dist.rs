//! `cargo xtask dist`: the release build and a table of what a browser downloads.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use seedream_first_load::gzip_len;

use crate::{bootstrap, build};

pub fn run(root: &Path) -> Result<()> {
    let tools = bootstrap::build_tools(root)?;
    let dist = build::release(root, &tools)?;
    let sizes = measure(&dist)?;
    print!("{}", table(&sizes));
    Ok(())
}

/// One file of the build, with its size as stored and as sent gzip-compressed.
pub struct FileSize {
    pub path: String,
    pub raw: u64,
    pub gzip: u64,
}

/// Every file under `dist`, sorted by path.
pub fn measure(dist: &Path) -> Result<Vec<FileSize>> {
    let mut files = Vec::new();
    collect_files(dist, &mut files)?;
    files.sort();
    files
        .into_iter()
        .map(|path| {
            let bytes =
                std::fs::read(&path).with_context(|| format!("reading {}", path.display()))?;
            let shown = path
                .strip_prefix(dist)
                .unwrap_or(&path)
                .display()
                .to_string();
            Ok(FileSize {
                path: shown,
                raw: bytes.len() as u64,
                gzip: gzip_len(&bytes)?,
            })
        })
        .collect()
}

/// The table printed by `cargo xtask dist`, with a total row.
pub fn table(sizes: &[FileSize]) -> String {
    let width = sizes
        .iter()
        .map(|f| f.path.len())
        .max()
        .unwrap_or(0)
        .max("total".len());
    let mut out = format!(
        "{:<width$}  {:>12}  {:>12}\n",
        "file", "raw bytes", "gzip bytes"
    );
    for file in sizes {
        out += &format!(
            "{:<width$}  {:>12}  {:>12}\n",
            file.path, file.raw, file.gzip
        );
    }
    let raw: u64 = sizes.iter().map(|f| f.raw).sum();
    let gzip: u64 = sizes.iter().map(|f| f.gzip).sum();
    out += &format!("{:<width$}  {:>12}  {:>12}\n", "total", raw, gzip);
    out
}

fn collect_files(dir: &Path, out: &mut Vec<PathBuf>) -> Result<()> {
    for entry in std::fs::read_dir(dir).with_context(|| format!("reading {}", dir.display()))? {
        let path = entry?.path();
        if path.is_dir() {
            collect_files(&path, out)?;
        } else {
            out.push(path);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_lists_every_file_and_the_totals() {
        let sizes = [
            FileSize {
                path: "index.html".into(),
                raw: 1000,
                gzip: 400,
            },
            FileSize {
                path: "app_bg.wasm".into(),
                raw: 300_000,
                gzip: 90_000,
            },
        ];
        let text = table(&sizes);
        let rows: Vec<&str> = text.lines().collect();
        assert_eq!(rows.len(), 4, "{text}");
        assert!(rows[1].starts_with("index.html") && rows[1].ends_with("400"));
        assert!(
            rows[3].starts_with("total")
                && rows[3].contains("301000")
                && rows[3].ends_with("90400")
        );
    }
}
