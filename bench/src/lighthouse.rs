//! Lighthouse's view of a first visit: its default mobile profile (a mid-range phone,
//! simulated slow 4G and a 4x slower CPU) on the app as `cargo xtask demo` serves it,
//! several runs, each figure's median. Lighthouse is the npm package pinned in
//! `xtask/src/bootstrap.rs` (`--lighthouse` names its script); the browser is Debian's
//! Chromium.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result};
use serde_json::Value;

use super::report::{Row, Summary, secs, target, whole};
use crate::child::run;

/// The categories audited (SEO and PWA say nothing about this app).
const CATEGORIES: &str = "performance,accessibility,best-practices";

/// Targets: a first visit on a mid-range phone over slow 4G scores as well as a
/// static page, with its largest paint early and nothing moving.
const PERFORMANCE_TARGET: f64 = 98.0;
const LCP_TARGET_MS: f64 = 2_000.0;
const CLS_TARGET: f64 = 0.02;
const FULL_SCORE: f64 = 100.0;

/// What one Lighthouse run reported.
#[derive(Debug, Clone, PartialEq)]
pub struct Audit {
    /// Category scores, 0 to 100.
    pub performance: f64,
    pub accessibility: f64,
    pub best_practices: f64,
    /// Simulated timings, ms.
    pub first_contentful_paint: f64,
    pub largest_contentful_paint: f64,
    pub total_blocking_time: f64,
    pub cumulative_layout_shift: f64,
    /// Bytes over the (simulated) network.
    pub total_bytes: f64,
    /// What the page logged as errors.
    pub console_errors: usize,
    /// The element of the largest paint, as Lighthouse quotes it.
    pub lcp_element: String,
}

/// Runs Lighthouse `runs` times on `url`, keeping each report in `work`.
pub fn audit(
    script: &Path,
    chromium: &Path,
    url: &str,
    work: &Path,
    runs: usize,
) -> Result<Vec<Audit>> {
    std::fs::create_dir_all(work).with_context(|| format!("creating {}", work.display()))?;
    (1..=runs)
        .map(|i| {
            eprintln!("bench: Lighthouse run {i}/{runs} on {url}");
            let report = work.join(format!("lighthouse-{i}.json"));
            run(Command::new("node")
                .arg(script)
                .arg(url)
                .args(["--quiet", "--output=json", "--only-categories", CATEGORIES])
                .arg(format!("--output-path={}", report.display()))
                // As root in a container Chromium needs --no-sandbox.
                .arg("--chrome-flags=--headless=new --no-sandbox --disable-gpu")
                .env("CHROME_PATH", chromium))?;
            read(&report)
        })
        .collect()
}

fn read(report: &PathBuf) -> Result<Audit> {
    let text =
        std::fs::read_to_string(report).with_context(|| format!("reading {}", report.display()))?;
    let json: Value =
        serde_json::from_str(&text).with_context(|| format!("parsing {}", report.display()))?;
    parse(&json).with_context(|| format!("reading the figures of {}", report.display()))
}

/// The figures of one report (Lighthouse 12's JSON).
fn parse(report: &Value) -> Result<Audit> {
    let score = |category: &str| {
        report["categories"][category]["score"]
            .as_f64()
            .map(|score| (score * 100.0).round())
            .with_context(|| format!("no {category} score"))
    };
    let numeric = |audit: &str| {
        report["audits"][audit]["numericValue"]
            .as_f64()
            .with_context(|| format!("no value for {audit}"))
    };
    let console_errors = report["audits"]["errors-in-console"]["details"]["items"]
        .as_array()
        .map_or(0, Vec::len);
    // A list of tables; the first names the element.
    let lcp_element = report["audits"]["largest-contentful-paint-element"]["details"]["items"][0]
        ["items"][0]["node"]["snippet"]
        .as_str()
        .unwrap_or("(none reported)")
        .to_owned();
    Ok(Audit {
        performance: score("performance")?,
        accessibility: score("accessibility")?,
        best_practices: score("best-practices")?,
        first_contentful_paint: numeric("first-contentful-paint")?,
        largest_contentful_paint: numeric("largest-contentful-paint")?,
        total_blocking_time: numeric("total-blocking-time")?,
        cumulative_layout_shift: numeric("cumulative-layout-shift")?,
        total_bytes: numeric("total-byte-weight")?,
        console_errors,
        lcp_element,
    })
}

/// A target: its text in the table, and whether a median meets it.
struct Goal {
    text: String,
    met: fn(f64) -> bool,
}

/// One figure of the table: how to read it from a run and show it.
struct Figure {
    name: &'static str,
    pick: fn(&Audit) -> f64,
    show: fn(f64) -> String,
    unit: &'static str,
    goal: Option<Goal>,
}

fn score(value: f64) -> String {
    format!("{value:.0}")
}

fn figures() -> Vec<Figure> {
    let goal = |text: String, met: fn(f64) -> bool| Some(Goal { text, met });
    let figure = |name, pick, show, unit, goal| Figure {
        name,
        pick,
        show,
        unit,
        goal,
    };
    vec![
        figure(
            "performance",
            |a| a.performance,
            score,
            "",
            goal(format!(">= {PERFORMANCE_TARGET:.0}"), |v| {
                v >= PERFORMANCE_TARGET
            }),
        ),
        figure(
            "first contentful paint",
            |a| a.first_contentful_paint,
            secs,
            "s",
            None,
        ),
        figure(
            "largest contentful paint",
            |a| a.largest_contentful_paint,
            secs,
            "s",
            goal(format!("<= {} s", secs(LCP_TARGET_MS)), |v| {
                v <= LCP_TARGET_MS
            }),
        ),
        figure(
            "total blocking time",
            |a| a.total_blocking_time,
            whole,
            "ms",
            None,
        ),
        figure(
            "cumulative layout shift",
            |a| a.cumulative_layout_shift,
            |v| format!("{v:.3}"),
            "",
            goal(format!("<= {CLS_TARGET}"), |v| v <= CLS_TARGET),
        ),
        figure(
            "accessibility",
            |a| a.accessibility,
            score,
            "",
            goal("100".into(), |v| v >= FULL_SCORE),
        ),
        figure(
            "best practices",
            |a| a.best_practices,
            score,
            "",
            goal("100".into(), |v| v >= FULL_SCORE),
        ),
        figure(
            "bytes",
            |a| a.total_bytes,
            |v| format!("{:.0}", v / 1024.0),
            "KiB",
            None,
        ),
        figure(
            "console errors",
            |a| a.console_errors as f64,
            score,
            "",
            goal("0".into(), |v| v == 0.0),
        ),
    ]
}

/// One row per figure: the median over the runs, with their range, against its target.
pub fn rows(audits: &[Audit]) -> Vec<Row> {
    let runs = audits.len();
    let mut rows: Vec<Row> = figures()
        .into_iter()
        .map(|figure| {
            let name = format!("Lighthouse mobile, {runs} runs: {}", figure.name);
            let values: Vec<f64> = audits.iter().map(figure.pick).collect();
            let Some(summary) = Summary::of(&values) else {
                return Row::new(name, "no runs");
            };
            let row = Row::new(name, summary.show(figure.show, figure.unit));
            match figure.goal {
                Some(goal) => row.target(target(&goal.text, (goal.met)(summary.median))),
                None => row,
            }
        })
        .collect();
    let mut elements: Vec<&str> = audits.iter().map(|a| a.lcp_element.as_str()).collect();
    elements.dedup();
    rows.push(Row::new(
        format!("Lighthouse mobile, {runs} runs: largest contentful paint's element"),
        elements.join(" / "),
    ));
    rows
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn report(performance: f64, lcp_ms: f64) -> Value {
        json!({
            "categories": {
                "performance": { "score": performance },
                "accessibility": { "score": 1.0 },
                "best-practices": { "score": 0.96 }
            },
            "audits": {
                "first-contentful-paint": { "numericValue": 900.0 },
                "largest-contentful-paint": { "numericValue": lcp_ms },
                "total-blocking-time": { "numericValue": 40.0 },
                "cumulative-layout-shift": { "numericValue": 0.001 },
                "total-byte-weight": { "numericValue": 300_000.0 },
                "errors-in-console": { "details": { "items": [{ "source": "network" }] } },
                "largest-contentful-paint-element": { "details": { "items": [
                    { "type": "table", "items": [{ "node": { "snippet": "<p class=\"hint\">" } }] }
                ] } }
            }
        })
    }

    #[test]
    fn a_report_gives_its_figures() {
        let audit = parse(&report(0.99, 1_500.0)).unwrap();
        assert_eq!(audit.performance, 99.0);
        assert_eq!(audit.best_practices, 96.0);
        assert_eq!(audit.largest_contentful_paint, 1_500.0);
        assert_eq!(audit.console_errors, 1);
        assert_eq!(audit.lcp_element, "<p class=\"hint\">");
    }

    #[test]
    fn a_report_without_a_score_is_an_error() {
        let mut broken = report(0.99, 1_500.0);
        broken["categories"]["performance"]["score"] = Value::Null;
        assert!(parse(&broken).is_err());
    }

    #[test]
    fn rows_show_medians_against_the_targets() {
        let audits: Vec<Audit> = [(0.97, 2_400.0), (0.99, 1_500.0), (0.98, 1_900.0)]
            .into_iter()
            .map(|(p, lcp)| parse(&report(p, lcp)).unwrap())
            .collect();
        let rows = rows(&audits);
        let find = |name: &str| rows.iter().find(|r| r.figure.ends_with(name)).unwrap();
        assert!(
            find(": performance").target.ends_with("met"),
            "{:?}",
            find(": performance")
        );
        assert!(find(": largest contentful paint").value.starts_with("1.9"));
        assert!(find(": best practices").target.ends_with("NOT met"));
        assert!(find(": console errors").target.ends_with("NOT met"));
        assert_eq!(find("element").value, "<p class=\"hint\">");
    }
}
