//! The bench's command line: the user's flags (which parts, how many runs) and the
//! paths `cargo xtask bench` gives it, and what the parts asked for need.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::{polling, screenshots};

#[derive(Parser)]
#[command(
    name = "cargo xtask bench",
    about = "Measure first-load bytes, time to ready, polling cost, keeping a task's results, \
             gallery scale, input preparation, export and import, and a batch of edits in \
             headless Chromium, Lighthouse's audit, and the proxy's overhead under wrk, against baselines, and \
             print one table"
)]
pub struct Cli {
    #[command(flatten)]
    pub args: BenchArgs,
    #[command(flatten)]
    pub paths: Paths,
    /// Print what the parts asked for need, as `{"needs": [<flag>, ...]}` naming the
    /// flags under "Paths", and exit: `cargo xtask bench` asks this first.
    #[arg(long, hide = true)]
    pub print_needs: bool,
    /// Something other than the measurements, which then do not run.
    #[command(subcommand)]
    pub mode: Option<Mode>,
}

/// What the bench does instead of measuring, when asked by name: a plain run (every
/// part, or `--only`) never does it.
#[derive(Subcommand)]
pub enum Mode {
    /// Save PNGs of the studio in each state, language, size and colour scheme, not a
    /// measurement (`cargo xtask screenshots`).
    Screenshots(screenshots::ScreenshotsArgs),
}

impl Mode {
    /// What it needs, as [`BenchArgs::needs`] says for the parts.
    pub fn needs(&self) -> Vec<Need> {
        match self {
            Mode::Screenshots(_) => screenshots::NEEDS.to_vec(),
        }
    }
}

#[derive(Args)]
pub struct BenchArgs {
    /// Measure only these parts (comma-separated), e.g. `--only proxy,polling`.
    #[arg(long, value_delimiter = ',')]
    pub only: Vec<Part>,
    /// Measured loads of each page (app and baseline) for the time to ready.
    #[arg(long, default_value_t = 15)]
    pub loads: usize,
    /// The task lengths, in seconds, followed for the polling cost, e.g. `--tasks 5,30`.
    /// Each is run as `--spread` tasks around it (repeat a length for more).
    #[arg(long, value_delimiter = ',', default_values_t = [5, 30])]
    pub tasks: Vec<u64>,
    /// Tasks per length, their lengths spread evenly over one 4 s poll interval
    /// centred on it; the delay reported is their mean. 1 runs the length itself.
    #[arg(long, default_value_t = 4, value_parser = clap::value_parser!(u16).range(1..=32))]
    pub spread: u16,
    /// Runs of keeping a finished task's four results: each a fresh load of the app and
    /// of the plain page.
    #[arg(long, default_value_t = 5)]
    pub keep_runs: usize,
    /// Loads of the long seeded history for the gallery scale.
    #[arg(long, default_value_t = 5)]
    pub gallery_loads: usize,
    /// Runs of the intake and submit of 14 large images: each a fresh load of the app
    /// and of each baseline page.
    #[arg(long, default_value_t = 3)]
    pub input_runs: usize,
    /// Runs of importing and exporting a history of 30 results of about 5 MB: each
    /// from an empty origin, a fresh load of the app and of each plain page.
    #[arg(long, default_value_t = 3)]
    pub carry_runs: usize,
    /// First and repeat visits of the app and of its floor page on a slow phone
    /// connection (throttled network and CPU).
    #[arg(long, default_value_t = 5)]
    pub slow_loads: usize,
    /// Lighthouse runs (mobile profile) whose medians are reported.
    #[arg(long, default_value_t = 3)]
    pub lighthouse_runs: usize,
    /// Seconds of each wrk run for the proxy overhead.
    #[arg(long, default_value_t = 6, value_parser = clap::value_parser!(u64).range(1..))]
    pub proxy_seconds: u64,
    /// wrk runs of each side (straight to the mock, through the proxy, through nginx),
    /// alternating.
    #[arg(long, default_value_t = 5)]
    pub proxy_runs: usize,
}

/// The parts of the bench, in the table's order.
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Part {
    /// First-load bytes of `dist/` (needs the build, not the browser).
    Bytes,
    /// Time to ready and the bytes on the wire.
    Ready,
    /// Time to ready on a slow phone connection, first and repeat visits.
    Slow,
    /// Polling cost: task queries and result delay.
    Polling,
    /// Keeping a finished task's results in the browser.
    Keep,
    /// Gallery scale.
    Gallery,
    /// Intake and submit of 14 large images.
    Inputs,
    /// Export and import of a history of 30 large results.
    Carry,
    /// A batch of 40 edits, two at once, at the mock's default task time.
    Batch,
    /// Lighthouse's mobile audit of a first visit.
    Lighthouse,
    /// Proxy overhead (needs neither the app's build nor the browser).
    Proxy,
}

impl BenchArgs {
    pub fn wants(&self, part: Part) -> bool {
        self.only.is_empty() || self.only.contains(&part)
    }

    /// Parts driven through ChromeDriver.
    pub fn wants_driver(&self) -> bool {
        [
            Part::Ready,
            Part::Slow,
            Part::Polling,
            Part::Keep,
            Part::Gallery,
            Part::Inputs,
            Part::Carry,
            Part::Batch,
        ]
        .into_iter()
        .any(|part| self.wants(part))
    }

    /// Parts that load the app in a browser (Lighthouse drives its own).
    pub fn wants_browser(&self) -> bool {
        self.wants_driver() || self.wants(Part::Lighthouse)
    }

    /// What the parts asked for need, in the order to prepare it: each a flag of
    /// [`Paths`].
    pub fn needs(&self) -> Vec<Need> {
        let mut needs = Vec::new();
        if self.wants(Part::Bytes) || self.wants_browser() {
            needs.push(Need::Dist);
        }
        if self.wants(Part::Inputs) || self.wants(Part::Proxy) {
            needs.push(Need::Server);
        }
        if self.wants_browser() {
            needs.push(Need::Chromium);
        }
        if self.wants_driver() {
            needs.push(Need::Chromedriver);
        }
        if self.wants(Part::Lighthouse) {
            needs.push(Need::Lighthouse);
        }
        if self.wants(Part::Proxy) {
            needs.extend([Need::Wrk, Need::Nginx]);
        }
        needs
    }

    /// Every task's length in ms, after checking each lasts at least the mock's queue.
    pub fn task_lengths(&self) -> Result<Vec<u64>> {
        let nominal: Vec<u64> = self.tasks.iter().map(|s| s.saturating_mul(1000)).collect();
        let spread = usize::from(self.spread);
        let shortest = nominal
            .iter()
            .flat_map(|&ms| polling::spread_lengths(ms, spread, polling::POLL_INTERVAL_MS))
            .min();
        if shortest.is_some_and(|ms| ms < polling::QUEUE_MS) {
            bail!(
                "every task lasts at least the mock's queue time, {} ms, and with --spread {} \
                 the shortest task is {} ms shorter than its length: raise --tasks",
                polling::QUEUE_MS,
                self.spread,
                polling::POLL_INTERVAL_MS / 2 - polling::POLL_INTERVAL_MS / (2 * spread as u64)
            );
        }
        Ok(nominal)
    }
}

/// A build or tool the bench is given the path of, named as its flag in [`Paths`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Need {
    Dist,
    Server,
    Chromium,
    Chromedriver,
    Lighthouse,
    Wrk,
    Nginx,
}

impl Need {
    pub fn flag(self) -> &'static str {
        match self {
            Need::Dist => "dist",
            Need::Server => "server",
            Need::Chromium => "chromium",
            Need::Chromedriver => "chromedriver",
            Need::Lighthouse => "lighthouse",
            Need::Wrk => "wrk",
            Need::Nginx => "nginx",
        }
    }
}

/// Where the builds and tools are. Each flag is named as its [`Need`].
#[derive(Args)]
#[command(next_help_heading = "Paths (`cargo xtask bench` gives these)")]
pub struct Paths {
    /// The app's release build (`cargo xtask dist`'s `dist/`).
    #[arg(long)]
    dist: Option<PathBuf>,
    /// The release build of `seedream-server`, for the intake, submit and proxy rows.
    #[arg(long)]
    server: Option<PathBuf>,
    /// Chromium.
    #[arg(long)]
    pub chromium: Option<PathBuf>,
    /// ChromeDriver, for the parts driven in Chromium.
    #[arg(long)]
    chromedriver: Option<PathBuf>,
    /// Lighthouse's command-line script (`cli/index.js`, run with node).
    #[arg(long)]
    lighthouse: Option<PathBuf>,
    /// wrk, the load generator of the proxy rows.
    #[arg(long)]
    wrk: Option<PathBuf>,
    /// nginx, the proxy rows' reference reverse proxy.
    #[arg(long)]
    nginx: Option<PathBuf>,
}

impl Paths {
    /// The path of `need`, or what to do when it was not given.
    pub fn get(&self, need: Need) -> Result<&Path> {
        let path = match need {
            Need::Dist => &self.dist,
            Need::Server => &self.server,
            Need::Chromium => &self.chromium,
            Need::Chromedriver => &self.chromedriver,
            Need::Lighthouse => &self.lighthouse,
            Need::Wrk => &self.wrk,
            Need::Nginx => &self.nginx,
        };
        path.as_deref().with_context(|| {
            format!(
                "the parts asked for need --{}: run the bench as `cargo xtask bench`, which \
                 builds or installs it and gives its path",
                need.flag()
            )
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(flags: &[&str]) -> BenchArgs {
        let argv = std::iter::once("bench").chain(flags.iter().copied());
        match Cli::try_parse_from(argv) {
            Ok(cli) => cli.args,
            Err(err) => panic!("{flags:?}: {err}"),
        }
    }

    #[test]
    fn each_part_needs_only_its_own_builds_and_tools() {
        use Need::*;
        assert_eq!(args(&["--only", "proxy"]).needs(), [Server, Wrk, Nginx]);
        assert_eq!(args(&["--only", "bytes"]).needs(), [Dist]);
        assert_eq!(
            args(&["--only", "ready,polling"]).needs(),
            [Dist, Chromium, Chromedriver]
        );
        assert_eq!(
            args(&["--only", "keep"]).needs(),
            [Dist, Chromium, Chromedriver]
        );
        assert_eq!(
            args(&["--only", "carry"]).needs(),
            [Dist, Chromium, Chromedriver]
        );
        assert_eq!(
            args(&["--only", "batch"]).needs(),
            [Dist, Chromium, Chromedriver]
        );
        assert_eq!(
            args(&["--only", "inputs"]).needs(),
            [Dist, Server, Chromium, Chromedriver]
        );
        assert_eq!(
            args(&["--only", "lighthouse"]).needs(),
            [Dist, Chromium, Lighthouse]
        );
        assert_eq!(
            args(&[]).needs(),
            [Dist, Server, Chromium, Chromedriver, Lighthouse, Wrk, Nginx]
        );
    }

    #[test]
    fn every_need_is_a_path_flag() {
        let flags = [
            "--only", "proxy", "--server", "/s", "--wrk", "/w", "--nginx", "/n",
        ];
        let argv = std::iter::once("bench").chain(flags);
        let cli = Cli::try_parse_from(argv).expect("the flags parse");
        for need in cli.args.needs() {
            assert!(cli.paths.get(need).is_ok(), "{need:?}");
        }
        let missing = cli.paths.get(Need::Dist).expect_err("no --dist given");
        assert!(missing.to_string().contains("--dist"), "{missing}");
    }

    #[test]
    fn tasks_shorter_than_the_queue_are_refused() {
        assert!(
            args(&["--tasks", "1", "--spread", "4"])
                .task_lengths()
                .is_err()
        );
        assert_eq!(
            args(&["--tasks", "5,30"]).task_lengths().ok(),
            Some(vec![5_000, 30_000])
        );
    }
}
