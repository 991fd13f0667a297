//! The bench's rows of the first load: every file a first visit downloads, as
//! `seedream-first-load` counts them (the count `cargo xtask test`'s budget uses).

use seedream_first_load::{Sizes, total};

use super::report::{Row, kb};

/// One cell for `file`: `738.9 KB raw · 300.1 KB gzip · 239.6 KB br`.
pub fn shown(file: &Sizes) -> String {
    format!(
        "{} raw · {} gzip · {} br",
        kb(file.raw),
        kb(file.gzip),
        kb(file.brotli)
    )
}

/// A row for every file of the first load, then their total.
pub fn rows(files: &[Sizes]) -> (Vec<Row>, Sizes) {
    let mut rows: Vec<Row> = files
        .iter()
        .map(|file| Row::new(format!("first load: {}", file.path), shown(file)))
        .collect();
    let total = total(files);
    rows.push(Row::new("first load: total", shown(&total)));
    (rows, total)
}
