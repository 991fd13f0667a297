//! What the keep part reads, checked: a result's type and size, the app's marks, the
//! pages' Resource Timing (pure functions, tested here).

use std::io::Cursor;

use anyhow::{Context, Result, bail};
use serde_json::Value;

use super::SIDE;

/// A result as the row says: a JPEG of `SIDE`×`SIDE`.
pub(super) fn check_result(url: &str, content_type: Option<&str>, body: &[u8]) -> Result<()> {
    if content_type != Some("image/jpeg") {
        bail!("{url} is served as {content_type:?}, not image/jpeg");
    }
    let (width, height) =
        image::ImageReader::with_format(Cursor::new(body), image::ImageFormat::Jpeg)
            .into_dimensions()
            .with_context(|| format!("{url} is not a readable JPEG"))?;
    if (width, height) != (SIDE, SIDE) {
        bail!("{url} is {width}x{height}, not {SIDE}x{SIDE}");
    }
    Ok(())
}

/// The app's `task-done` mark and its keeping time, from its marks `{done: [ms], kept:
/// [ms]}`: one of each, the kept after the done.
pub(super) fn keep_time(marks: &Value) -> Result<(f64, f64)> {
    let times = |name: &str| -> Vec<f64> {
        marks[name]
            .as_array()
            .map(|all| all.iter().filter_map(Value::as_f64).collect())
            .unwrap_or_default()
    };
    let (done, kept) = (times("done"), times("kept"));
    let ([done], [kept]) = (done.as_slice(), kept.as_slice()) else {
        bail!(
            "expected one task-done and one task-kept mark in the app, found {} and {}",
            done.len(),
            kept.len()
        );
    };
    if kept < done {
        bail!("the app marked task-kept ({kept} ms) before task-done ({done} ms)");
    }
    Ok((*done, kept - done))
}

/// When the first `fetch` of the results started and the last one's answer ended,
/// ms after `since`: where the app's time went, for the progress line.
pub(super) fn fetch_span(entries: &Value, since: f64) -> Option<(f64, f64)> {
    let fetches: Vec<&Value> = entries
        .as_array()?
        .iter()
        .filter(|e| e["by"] == "fetch")
        .collect();
    let first = fetches
        .iter()
        .filter_map(|e| e["start"].as_f64())
        .reduce(f64::min)?;
    let last = fetches
        .iter()
        .filter_map(|e| e["end"].as_f64())
        .reduce(f64::max)?;
    Some((first - since, last - since))
}

pub(super) fn check_fetches(side: &str, urls: &[String], entries: &Value) -> Result<()> {
    let entries = entries.as_array().map(Vec::as_slice).unwrap_or_default();
    for url in urls {
        let fetched = entries
            .iter()
            .any(|e| e["name"] == url.as_str() && e["by"] == "fetch");
        if !fetched {
            bail!("{side} did not fetch {url}");
        }
    }
    if let Some(cached) = entries.iter().find(|e| e["bytes"].as_f64() == Some(0.0)) {
        bail!(
            "{side} took {} from a cache ({} request): the cache should be disabled",
            cached["name"],
            cached["by"]
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn jpeg(side: u32) -> Vec<u8> {
        let picture = image::RgbImage::from_pixel(side, side, image::Rgb([200, 120, 40]));
        let mut out = Cursor::new(Vec::new());
        picture
            .write_to(&mut out, image::ImageFormat::Jpeg)
            .expect("a JPEG");
        out.into_inner()
    }

    #[test]
    fn results_must_be_jpegs_of_the_default_size() {
        assert_eq!(SIDE, 2048);
        let full = jpeg(SIDE);
        assert!(check_result("u", Some("image/jpeg"), &full).is_ok());
        let small = check_result("u", Some("image/jpeg"), &jpeg(16));
        assert!(small.is_err_and(|e| e.to_string().contains("16x16")));
        let png = check_result("u", Some("image/png"), &full);
        assert!(png.is_err_and(|e| e.to_string().contains("image/png")));
        assert!(check_result("u", Some("image/jpeg"), b"not a picture").is_err());
    }

    #[test]
    fn the_keep_time_is_from_the_one_done_mark_to_the_one_kept_mark() {
        let time = |marks: Value| keep_time(&marks);
        assert_eq!(
            time(json!({ "done": [9_012.5], "kept": [9_100.0] })).ok(),
            Some((9_012.5, 87.5))
        );
        let none = time(json!({ "done": [], "kept": [9_100.0] }));
        assert!(none.is_err_and(|e| e.to_string().contains("found 0 and 1")));
        assert!(time(json!({ "done": [1.0, 2.0], "kept": [3.0] })).is_err());
        let backwards = time(json!({ "done": [5.0], "kept": [4.0] }));
        assert!(backwards.is_err_and(|e| e.to_string().contains("before")));
    }

    #[test]
    fn the_fetch_span_is_the_fetches_alone_from_the_mark() {
        let entries = json!([
            { "by": "fetch", "start": 1_004.0, "end": 1_010.0 },
            { "by": "img", "start": 1_001.0, "end": 1_030.0 },
            { "by": "fetch", "start": 1_012.0, "end": 1_020.5 },
        ]);
        assert_eq!(fetch_span(&entries, 1_000.0), Some((4.0, 20.5)));
        assert_eq!(fetch_span(&json!([]), 0.0), None);
    }

    #[test]
    fn every_result_must_be_fetched_and_none_from_a_cache() {
        let urls = vec!["http://h/0.jpeg".to_owned(), "http://h/1.jpeg".to_owned()];
        let entry =
            |name: &str, by: &str, bytes: u64| json!({ "name": name, "by": by, "bytes": bytes });
        let fetched = json!([
            entry("http://h/0.jpeg", "fetch", 120_300),
            entry("http://h/0.jpeg", "img", 120_300),
            entry("http://h/1.jpeg", "fetch", 98_000),
        ]);
        assert!(check_fetches("app", &urls, &fetched).is_ok());
        let only_shown = json!([
            entry("http://h/0.jpeg", "fetch", 120_300),
            entry("http://h/1.jpeg", "img", 98_000),
        ]);
        let missing = check_fetches("app", &urls, &only_shown);
        assert!(missing.is_err_and(|e| e.to_string().contains("did not fetch http://h/1.jpeg")));
        let cached = json!([
            entry("http://h/0.jpeg", "fetch", 120_300),
            entry("http://h/1.jpeg", "fetch", 98_000),
            entry("http://h/1.jpeg", "img", 0),
        ]);
        let from_cache = check_fetches("app", &urls, &cached);
        assert!(from_cache.is_err_and(|e| e.to_string().contains("from a cache")));
    }
}
