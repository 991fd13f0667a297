//! The pure half of the bench: summaries of repeated measurements and the
//! one table it prints (Markdown, so it can be pasted into `docs/performance.md` as it is).

/// Repeated measurements of one figure, summarised.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Summary {
    pub median: f64,
    pub min: f64,
    pub max: f64,
    pub mean: f64,
    pub count: usize,
}

impl Summary {
    /// The median (the mean of the middle two for an even count), min, max and mean of
    /// `values`; `None` when there are none or one is not a number.
    pub fn of(values: &[f64]) -> Option<Summary> {
        if values.is_empty() || values.iter().any(|v| v.is_nan()) {
            return None;
        }
        let mut sorted = values.to_vec();
        sorted.sort_by(f64::total_cmp);
        let n = sorted.len();
        let median = if n % 2 == 1 {
            sorted[n / 2]
        } else {
            (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0
        };
        Some(Summary {
            median,
            min: sorted[0],
            max: sorted[n - 1],
            mean: sorted.iter().sum::<f64>() / n as f64,
            count: n,
        })
    }

    /// `median unit (min–max)`, each number shown by `number`; a single measurement
    /// is shown alone: `312 ms (290–355)`, `11 queries`.
    pub fn show(&self, number: impl Fn(f64) -> String, unit: &str) -> String {
        let unit = if unit.is_empty() {
            String::new()
        } else {
            format!(" {unit}")
        };
        if self.count == 1 {
            format!("{}{unit}", number(self.median))
        } else {
            format!(
                "{}{unit} ({}–{})",
                number(self.median),
                number(self.min),
                number(self.max)
            )
        }
    }
}

/// A whole number: `123`.
pub fn whole(value: f64) -> String {
    format!("{value:.0}")
}

/// Seconds from milliseconds, two decimals: `1.73`.
pub fn secs(ms: f64) -> String {
    format!("{:.2}", ms / 1000.0)
}

/// A count: `11`, or `11.5` for the median of an even number of counts.
pub fn count(value: f64) -> String {
    if value.fract() == 0.0 {
        format!("{value:.0}")
    } else {
        format!("{value:.1}")
    }
}

/// Bytes in kilobytes of 1000 bytes, one decimal: `118.4 KB`.
pub fn kb(bytes: u64) -> String {
    format!("{:.1} KB", bytes as f64 / 1000.0)
}

/// `value / baseline` as `2.35×`; `—` when the baseline is not positive.
pub fn ratio(value: f64, baseline: f64) -> String {
    if baseline > 0.0 && value.is_finite() {
        format!("{:.2}×", value / baseline)
    } else {
        "—".to_owned()
    }
}

/// A target and whether this run met it: `ratio <= 1.5: met`.
pub fn target(text: &str, met: bool) -> String {
    format!("{text}: {}", if met { "met" } else { "NOT met" })
}

/// One row of the table.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub figure: String,
    pub value: String,
    pub baseline: String,
    pub ratio: String,
    pub target: String,
}

impl Row {
    pub fn new(figure: impl Into<String>, value: impl Into<String>) -> Row {
        Row {
            figure: figure.into(),
            value: value.into(),
            baseline: "—".to_owned(),
            ratio: "—".to_owned(),
            target: "—".to_owned(),
        }
    }

    pub fn baseline(mut self, baseline: impl Into<String>, ratio: impl Into<String>) -> Row {
        self.baseline = baseline.into();
        self.ratio = ratio.into();
        self
    }

    pub fn target(mut self, target: impl Into<String>) -> Row {
        self.target = target.into();
        self
    }

    fn cells(&self) -> [&str; 5] {
        [
            &self.figure,
            &self.value,
            &self.baseline,
            &self.ratio,
            &self.target,
        ]
    }
}

const HEADER: [&str; 5] = [
    "figure",
    "value (median, min–max)",
    "baseline (same run)",
    "ratio",
    "target",
];

/// The rows as a Markdown table with aligned columns (`|` in a cell is escaped).
pub fn table(rows: &[Row]) -> String {
    let escape = |cell: &str| cell.replace('|', "\\|");
    let body: Vec<[String; 5]> = std::iter::once(HEADER.map(str::to_owned))
        .chain(rows.iter().map(|row| row.cells().map(escape)))
        .collect();
    let mut widths = [0usize; 5];
    for cells in &body {
        for (width, cell) in widths.iter_mut().zip(cells) {
            *width = (*width).max(cell.chars().count());
        }
    }
    let line = |cells: &[String; 5]| {
        let padded: Vec<String> = cells
            .iter()
            .zip(widths)
            .map(|(cell, width)| {
                let pad = width - cell.chars().count();
                format!("{cell}{}", " ".repeat(pad))
            })
            .collect();
        format!("| {} |\n", padded.join(" | "))
    };
    let mut out = line(&body[0]);
    let rule: Vec<String> = widths.iter().map(|w| "-".repeat(*w)).collect();
    out += &format!("|-{}-|\n", rule.join("-|-"));
    for cells in &body[1..] {
        out += &line(cells);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summary_of_an_odd_count() {
        let s = Summary::of(&[5.0, 1.0, 3.0]).unwrap();
        assert_eq!(
            (s.median, s.min, s.max, s.mean, s.count),
            (3.0, 1.0, 5.0, 3.0, 3)
        );
    }

    #[test]
    fn summary_of_an_even_count_takes_the_middle_two() {
        let s = Summary::of(&[4.0, 1.0, 2.0, 10.0]).unwrap();
        assert_eq!((s.median, s.min, s.max), (3.0, 1.0, 10.0));
        assert_eq!(s.mean, 4.25);
    }

    #[test]
    fn no_summary_of_nothing_or_nan() {
        assert_eq!(Summary::of(&[]), None);
        assert_eq!(Summary::of(&[1.0, f64::NAN]), None);
    }

    #[test]
    fn shows_median_then_range() {
        let s = Summary::of(&[120.4, 98.0, 140.6]).unwrap();
        assert_eq!(s.show(whole, "ms"), "120 ms (98–141)");
        assert_eq!(
            Summary::of(&[7.0]).unwrap().show(count, "queries"),
            "7 queries"
        );
        assert_eq!(
            Summary::of(&[7.0, 8.0]).unwrap().show(count, ""),
            "7.5 (7–8)"
        );
        assert_eq!(Summary::of(&[1734.0]).unwrap().show(secs, "s"), "1.73 s");
    }

    #[test]
    fn formats_units() {
        assert_eq!(secs(1734.0), "1.73");
        assert_eq!(whole(0.4), "0");
        assert_eq!(kb(118_449), "118.4 KB");
        assert_eq!(count(11.0), "11");
    }

    #[test]
    fn ratios_need_a_positive_baseline() {
        assert_eq!(ratio(300.0, 100.0), "3.00×");
        assert_eq!(ratio(123.0, 100.0), "1.23×");
        assert_eq!(ratio(1.0, 0.0), "—");
        assert_eq!(ratio(f64::INFINITY, 1.0), "—");
    }

    #[test]
    fn targets_say_whether_they_were_met() {
        assert_eq!(target("ratio <= 1.5", true), "ratio <= 1.5: met");
        assert_eq!(target("ratio <= 1.5", false), "ratio <= 1.5: NOT met");
    }

    #[test]
    fn table_aligns_columns_and_escapes_pipes() {
        let rows = [
            Row::new("time to ready", "300 ms (250–400 ms)")
                .baseline("100 ms", ratio(300.0, 100.0))
                .target(target("ratio <= 1.5", false)),
            Row::new("a|b", "not measured yet"),
        ];
        let text = table(&rows);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 4, "{text}");
        assert!(lines[0].starts_with("| figure "));
        assert!(lines[1].starts_with("|---") && !lines[1].contains(' '));
        assert!(lines[2].contains("| 3.00× |") && lines[2].ends_with("ratio <= 1.5: NOT met |"));
        assert!(lines[3].starts_with("| a\\|b ") && lines[3].contains("not measured yet"));
        let widths: Vec<usize> = lines.iter().map(|l| l.chars().count()).collect();
        assert!(widths.iter().all(|w| *w == widths[0]), "{text}");
    }
}
