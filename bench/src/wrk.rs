//! One load run of Debian's `wrk` (4.1) and what its report says: requests per second
//! and the latency percentiles of `--latency`, plus the error counts that would make
//! those figures meaningless.

use std::path::Path;
use std::process::{Command, Stdio};

use anyhow::{Context, Result, bail};

use crate::child::describe;

/// Open connections, as the issue asks.
pub const CONNECTIONS: u32 = 64;
/// wrk's threads: one per core of the 2-core machines the figures come from.
const THREADS: u32 = 2;

/// What one run measured.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Load {
    pub requests_per_sec: f64,
    pub p50_ms: f64,
    pub p99_ms: f64,
    /// Answers with a status outside 200–399 (wrk's "Non-2xx or 3xx responses").
    pub non_2xx: u64,
    /// Connect, read, write errors and timeouts, together.
    pub socket_errors: u64,
}

/// `wrk -c 64 -t 2 -d <seconds>s --latency [-H header]... <url>`, with `wrk` the
/// path of Debian's wrk (4.1).
pub fn run(wrk: &Path, url: &str, seconds: u64, headers: &[String]) -> Result<Load> {
    let mut cmd = Command::new(wrk);
    cmd.args(["-c", &CONNECTIONS.to_string(), "-t", &THREADS.to_string()])
        .args(["-d", &format!("{seconds}s"), "--latency"]);
    for header in headers {
        cmd.args(["-H", header]);
    }
    cmd.arg(url).stdin(Stdio::null());
    let shown = describe(&cmd);
    let out = cmd
        .output()
        .with_context(|| format!("could not start `{shown}`"))?;
    let text = String::from_utf8_lossy(&out.stdout);
    if !out.status.success() {
        bail!(
            "`{shown}` failed ({}):\n{text}{}",
            out.status,
            String::from_utf8_lossy(&out.stderr)
        );
    }
    parse(&text).with_context(|| format!("reading the report of `{shown}`:\n{text}"))
}

/// Reads wrk's report (see the test for one).
pub fn parse(report: &str) -> Result<Load> {
    let mut requests_per_sec = None;
    let (mut p50_ms, mut p99_ms) = (None, None);
    let (mut non_2xx, mut socket_errors) = (0, 0);
    for line in report.lines().map(str::trim) {
        if let Some(rest) = line.strip_prefix("Requests/sec:") {
            requests_per_sec = rest.trim().parse::<f64>().ok();
        } else if let Some(rest) = line.strip_prefix("50%") {
            p50_ms = duration_ms(rest.trim());
        } else if let Some(rest) = line.strip_prefix("99%") {
            p99_ms = duration_ms(rest.trim());
        } else if let Some(rest) = line.strip_prefix("Non-2xx or 3xx responses:") {
            non_2xx = rest.trim().parse().context("the count of error answers")?;
        } else if let Some(rest) = line.strip_prefix("Socket errors:") {
            // "connect 0, read 0, write 0, timeout 0"
            for part in rest.split(',') {
                let count = part.split_whitespace().nth(1).unwrap_or("0");
                socket_errors += count.parse::<u64>().context("a socket error count")?;
            }
        }
    }
    Ok(Load {
        requests_per_sec: requests_per_sec.context("no `Requests/sec:` line")?,
        p50_ms: p50_ms.context("no 50% latency line (was --latency given?)")?,
        p99_ms: p99_ms.context("no 99% latency line (was --latency given?)")?,
        non_2xx,
        socket_errors,
    })
}

/// A duration as wrk prints it (`812.00us`, `2.93ms`, `1.20s`, `1.00m`), in ms.
fn duration_ms(text: &str) -> Option<f64> {
    let split = text.find(|c: char| c.is_ascii_alphabetic())?;
    let (number, unit) = text.split_at(split);
    let value: f64 = number.parse().ok()?;
    let scale = match unit {
        "us" => 0.001,
        "ms" => 1.0,
        "s" => 1_000.0,
        "m" => 60_000.0,
        "h" => 3_600_000.0,
        _ => return None,
    };
    Some(value * scale)
}

#[cfg(test)]
mod tests {
    use super::*;

    const REPORT: &str = "Running 5s test @ http://127.0.0.1:39369/api/v1/tasks/task-65f3
  2 threads and 64 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     7.60ms    2.86ms  28.92ms   74.33%
    Req/Sec     4.24k   838.33     5.69k    57.00%
  Latency Distribution
     50%    6.96ms
     75%    8.98ms
     90%   11.34ms
     99%   16.57ms
  42251 requests in 5.02s, 19.91MB read
Requests/sec:   8424.07
Transfer/sec:      3.97MB
";

    #[test]
    fn reads_a_clean_report() {
        let load = parse(REPORT).unwrap();
        assert_eq!(
            load,
            Load {
                requests_per_sec: 8424.07,
                p50_ms: 6.96,
                p99_ms: 16.57,
                non_2xx: 0,
                socket_errors: 0,
            }
        );
    }

    #[test]
    fn counts_errors() {
        let report = REPORT.replace(
            "Requests/sec:",
            "  Socket errors: connect 0, read 3, write 1, timeout 2\n  Non-2xx or 3xx responses: 137141\nRequests/sec:",
        );
        let load = parse(&report).unwrap();
        assert_eq!((load.non_2xx, load.socket_errors), (137_141, 6));
    }

    #[test]
    fn reads_every_unit() {
        assert_eq!(duration_ms("812.00us"), Some(0.812));
        assert_eq!(duration_ms("2.93ms"), Some(2.93));
        assert_eq!(duration_ms("1.20s"), Some(1_200.0));
        assert_eq!(duration_ms("1.00m"), Some(60_000.0));
        assert_eq!(duration_ms("3.1"), None);
        assert_eq!(duration_ms("3.1xs"), None);
    }

    #[test]
    fn refuses_a_report_without_figures() {
        assert!(parse("unable to connect to 127.0.0.1:1 Connection refused").is_err());
        let no_latency: String = REPORT
            .lines()
            .filter(|l| !l.contains('%') || l.contains("Stdev"))
            .collect::<Vec<_>>()
            .join("\n");
        assert!(parse(&no_latency).is_err());
    }
}
