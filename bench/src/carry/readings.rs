//! What the carry part reads from the pages, checked (pure functions, tested here): the
//! app's marks and status lines once an export or import has ended, the plain pages'
//! figures, and the file the app's export saved.

use anyhow::{Result, bail};
use serde_json::Value;

use super::fixture::Fixture;
use crate::inputs;

/// An export or import as the app ended it, from the wait's answer `{from: [ms], to:
/// [ms], lines: [text]}` (its start and end marks, its status lines): the time from
/// the one start mark to the one end mark, once the lines say what `expected` says.
/// A failed export or import says so in its lines and makes no end mark.
pub(super) fn ended(what: &str, found: &Value, expected: &str) -> Result<f64> {
    let lines: Vec<&str> = found["lines"]
        .as_array()
        .map(|lines| lines.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    if lines != [expected] {
        bail!("the app's {what} ended with the status {lines:?}, not [{expected:?}]");
    }
    let times = |name: &str| -> Vec<f64> {
        found[name]
            .as_array()
            .map(|all| all.iter().filter_map(Value::as_f64).collect())
            .unwrap_or_default()
    };
    let (from, to) = (times("from"), times("to"));
    let ([from], [to]) = (from.as_slice(), to.as_slice()) else {
        bail!(
            "expected one start and one end mark of the app's {what}, found {} and {}",
            from.len(),
            to.len()
        );
    };
    if to < from {
        bail!("the app's {what} ended ({to} ms) before it started ({from} ms)");
    }
    Ok(to - from)
}

/// The wasm memory's growth from `before` to `after` (each its `byteLength`, as the
/// probe reads it), bytes.
pub(super) fn growth(what: &str, before: &Value, after: &Value) -> Result<f64> {
    match (before.as_f64(), after.as_f64()) {
        (Some(before), Some(after)) => Ok(after - before),
        _ => bail!(
            "the app's wasm memory could not be read around its {what} (no \
             TrunkApplicationStarted event?): {before} then {after}"
        ),
    }
}

/// A plain page's time, once it did all it was given: `count` blobs of `bytes` in all.
pub(super) fn plain(what: &str, recorded: &Value, count: usize, bytes: u64) -> Result<f64> {
    let ms = inputs::read_stamp(what, recorded)?;
    let (found, held) = (recorded["count"].as_u64(), recorded["bytes"].as_u64());
    if found != Some(count as u64) || held != Some(bytes) {
        bail!(
            "{what} handled {} blobs of {} bytes, not {count} of {bytes}",
            recorded["count"],
            recorded["bytes"]
        );
    }
    Ok(ms)
}

/// The app's export, as saved, holds the results imported: the same names, sizes and
/// CRC-32s (its manifest is its own: written at another time).
pub(super) fn check_export(saved: &Fixture, imported: &Fixture) -> Result<()> {
    let sorted = |fixture: &Fixture| {
        let mut results = fixture.results.clone();
        results.sort();
        results
    };
    let (saved_results, imported_results) = (sorted(saved), sorted(imported));
    if saved_results != imported_results {
        let differ = saved_results
            .iter()
            .zip(&imported_results)
            .find(|(a, b)| a != b);
        bail!(
            "the exported file holds {} results, the imported one {} (first difference: \
             {differ:?})",
            saved_results.len(),
            imported_results.len()
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn an_export_or_import_counts_once_its_lines_say_it_worked() {
        let found = |lines: Value, from: Value, to: Value| json!({ "lines": lines, "from": from, "to": to });
        let ok = found(
            json!(["Imported 30 edits."]),
            json!([1_000.0]),
            json!([2_250.5]),
        );
        assert_eq!(
            ended("import", &ok, "Imported 30 edits.").ok(),
            Some(1_250.5)
        );
        let refused = found(
            json!(["These edits need 150 MB and the archive has 20 MB free."]),
            json!([1_000.0]),
            json!([]),
        );
        let failed = ended("import", &refused, "Imported 30 edits.");
        assert!(failed.is_err_and(|e| e.to_string().contains("archive has 20 MB")));
        let skipped = found(
            json!([
                "Imported 29 edits.",
                "Skipped “x”: its entry is incomplete."
            ]),
            json!([1.0]),
            json!([2.0]),
        );
        assert!(ended("import", &skipped, "Imported 30 edits.").is_err());
        let twice = found(
            json!(["Exported 30 edits."]),
            json!([1.0, 5.0]),
            json!([9.0]),
        );
        let twice = ended("export", &twice, "Exported 30 edits.");
        assert!(twice.is_err_and(|e| e.to_string().contains("found 2 and 1")));
        let backwards = found(json!(["Exported 30 edits."]), json!([5.0]), json!([4.0]));
        assert!(ended("export", &backwards, "Exported 30 edits.").is_err());
    }

    #[test]
    fn growth_needs_both_readings() {
        assert_eq!(
            growth("import", &json!(1_114_112), &json!(2_162_688)).ok(),
            Some(1_048_576.0)
        );
        assert!(growth("export", &Value::Null, &json!(2_162_688)).is_err());
    }

    #[test]
    fn a_plain_page_counts_only_when_it_handled_every_blob() {
        let recorded = json!({ "ms": 812.0, "count": 30, "bytes": 150_000_000 });
        assert_eq!(plain("p", &recorded, 30, 150_000_000).ok(), Some(812.0));
        let short = json!({ "ms": 12.0, "count": 29, "bytes": 145_000_000 });
        assert!(plain("p", &short, 30, 150_000_000).is_err_and(|e| e.to_string().contains("29")));
        let failed = json!({ "error": "QuotaExceededError" });
        assert!(plain("p", &failed, 30, 1).is_err_and(|e| e.to_string().contains("Quota")));
    }

    #[test]
    fn the_export_must_hold_what_was_imported() {
        let fixture = |results: &[(&str, u64, u32)]| Fixture {
            path: "f.zip".into(),
            bytes: 0,
            ranges: Vec::new(),
            results: results
                .iter()
                .map(|(name, size, crc)| ((*name).to_owned(), *size, *crc))
                .collect(),
        };
        let imported = fixture(&[("results/a-1.jpeg", 5, 1), ("results/b-1.jpeg", 6, 2)]);
        let reordered = fixture(&[("results/b-1.jpeg", 6, 2), ("results/a-1.jpeg", 5, 1)]);
        assert!(check_export(&reordered, &imported).is_ok());
        let damaged = fixture(&[("results/b-1.jpeg", 6, 3), ("results/a-1.jpeg", 5, 1)]);
        assert!(check_export(&damaged, &imported).is_err());
        let fewer = fixture(&[("results/a-1.jpeg", 5, 1)]);
        assert!(check_export(&fewer, &imported).is_err());
    }
}
