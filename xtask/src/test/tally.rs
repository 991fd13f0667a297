//! The `test result:` lines of every suite, added up, so a run ends with one total.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use anyhow::{Context, Result};

use crate::process::describe;

/// What the `test result:` lines of a run add up to.
#[derive(Default, Debug, PartialEq)]
pub struct Tally {
    pub passed: u64,
    pub failed: u64,
    pub ignored: u64,
}

impl Tally {
    pub fn add(&mut self, other: &Tally) {
        self.passed += other.passed;
        self.failed += other.failed;
        self.ignored += other.ignored;
    }

    /// Reads a libtest (or wasm-bindgen-test) summary such as
    /// `test result: ok. 12 passed; 0 failed; 1 ignored; 0 measured; ...`.
    fn parse(line: &str) -> Option<Tally> {
        let rest = line.trim().strip_prefix("test result: ")?;
        let mut tally = Tally::default();
        for part in rest.split(';') {
            let mut words = part.split_whitespace().rev();
            let (Some(label), Some(count)) = (words.next(), words.next()) else {
                continue;
            };
            let Ok(count) = count.parse::<u64>() else {
                continue;
            };
            match label {
                "passed" => tally.passed = count,
                "failed" => tally.failed = count,
                "ignored" => tally.ignored = count,
                _ => {}
            }
        }
        Some(tally)
    }
}

/// Runs `cmd`, echoing its standard output while adding up its test summaries.
pub fn run_counting(cmd: &mut Command) -> Result<(Tally, bool)> {
    let shown = describe(cmd);
    let mut child = cmd
        .stdout(Stdio::piped())
        .spawn()
        .with_context(|| format!("could not start `{shown}`"))?;
    let mut tally = Tally::default();
    if let Some(stdout) = child.stdout.take() {
        for line in BufReader::new(stdout).lines() {
            let line = line?;
            println!("{line}");
            if let Some(found) = Tally::parse(&line) {
                tally.add(&found);
            }
        }
    }
    let status = child.wait()?;
    Ok((tally, status.success()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_libtest_summaries() {
        let line = "test result: FAILED. 12 passed; 2 failed; 1 ignored; 0 measured; 0 filtered out; finished in 0.31s";
        assert_eq!(
            Tally::parse(line),
            Some(Tally {
                passed: 12,
                failed: 2,
                ignored: 1
            })
        );
    }

    #[test]
    fn ignores_other_lines() {
        assert_eq!(Tally::parse("running 3 tests"), None);
        assert_eq!(Tally::parse("test size::parses ... ok"), None);
    }
}
