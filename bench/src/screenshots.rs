//! Screenshots, not a measurement: `cargo xtask screenshots` runs the bench as
//! `seedream-bench screenshots`, which a plain `cargo xtask bench` never does. PNGs of
//! the studio in every state a person meets ([`STATES`]), each in every
//! [`Configuration`]: English and Chinese, a phone's 390x844 and a desktop's 1440x900,
//! light and dark, 8 x 8 = 64 files named `<state>-<lang>-<width>x<height>-<scheme>.png`
//! ([`file_name`]) in `target/screenshots/` (or `--out`).
//!
//! The app's build is served with the mock API by a server in this process, as for the
//! bench's other browser parts, and driven in one headless Chromium session through
//! ChromeDriver, the way the end-to-end accessibility test (`tests/e2e/axe.rs`) visits
//! the same states ([`states`]): each state is reached once, in one page load (the
//! last after a reload), and shot there in every configuration, switched in place
//! ([`capture`]): the language with the studio's own picker, the viewport through
//! WebDriver (a phone's also emulated as a mobile device), the colour scheme emulated
//! through ChromeDriver's DevTools endpoint. Each shot is WebDriver's screenshot of the
//! viewport, taken once the images in view have loaded and the page has drawn two
//! more frames.

mod capture;
mod states;

use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{Context, Result};
use clap::Args;
use seedream_server::Running;

use crate::browser::ChromeDriver;
use crate::cli::{Need, Paths};
use crate::{project_root, work_dir};

/// What the screenshots need: the app's build, the browser and its driver.
pub const NEEDS: [Need; 3] = [Need::Dist, Need::Chromium, Need::Chromedriver];

/// The mock's phases: quick, but for the edit that stays running (its own processing
/// time is set through the mock's settings before it is sent, see [`states`]).
const MOCK_FLAGS: [&str; 4] = ["--queue-time", "300ms", "--processing-time", "1s"];

#[derive(Args)]
pub struct ScreenshotsArgs {
    /// Where the PNGs go (default `target/screenshots/`); the files this run writes
    /// are removed from it first, nothing else.
    #[arg(long)]
    pub out: Option<PathBuf>,
}

/// A state of the studio that is shot, in the order they are reached.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum State {
    /// The studio as a first visit finds it.
    Empty,
    /// One image added and a prompt typed.
    ImagesAdded,
    /// An edit running (the mock's processing time set far longer than the run).
    Running,
    /// An edit done with a set of three results, kept in this browser.
    Done,
    /// The lightbox open on the set's first result.
    Lightbox,
    /// The connection settings open.
    Settings,
    /// The set's results shown from this browser after their links expired (the page
    /// reloaded).
    Kept,
    /// A batch of three edits running, the form in batch mode.
    Batch,
}

/// Every state shot, in the order the run reaches them.
pub const STATES: [State; 8] = [
    State::Empty,
    State::ImagesAdded,
    State::Running,
    State::Done,
    State::Lightbox,
    State::Settings,
    State::Kept,
    State::Batch,
];

impl State {
    /// The state's part of the file names.
    pub fn name(self) -> &'static str {
        match self {
            State::Empty => "empty",
            State::ImagesAdded => "images-added",
            State::Running => "running",
            State::Done => "done",
            State::Lightbox => "lightbox",
            State::Settings => "settings",
            State::Kept => "kept",
            State::Batch => "batch",
        }
    }
}

/// The studio's languages, as its picker's options (and `.studio[lang]`) name them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Language {
    English,
    Chinese,
}

impl Language {
    pub fn tag(self) -> &'static str {
        match self {
            Language::English => "en",
            Language::Chinese => "zh-CN",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scheme {
    Light,
    Dark,
}

impl Scheme {
    /// The `prefers-color-scheme` value, and the scheme's part of the file names.
    pub fn name(self) -> &'static str {
        match self {
            Scheme::Light => "light",
            Scheme::Dark => "dark",
        }
    }
}

/// A viewport, in CSS pixels (the browser's device pixel ratio is 1, so the PNGs are
/// this size too).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Viewport {
    pub width: u32,
    pub height: u32,
    /// A phone's: emulated as a mobile device, whose scrollbars are drawn over the
    /// page and take none of its width (a desktop's would take 15 px of 390).
    pub mobile: bool,
}

pub const PHONE: Viewport = Viewport {
    width: 390,
    height: 844,
    mobile: true,
};

pub const DESKTOP: Viewport = Viewport {
    width: 1440,
    height: 900,
    mobile: false,
};

/// One way a state is shot.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Configuration {
    pub language: Language,
    pub viewport: Viewport,
    pub scheme: Scheme,
}

const fn configuration(language: Language, viewport: Viewport, scheme: Scheme) -> Configuration {
    Configuration {
        language,
        viewport,
        scheme,
    }
}

/// Every configuration each state is shot in, ordered so that each differs from the
/// one before in one thing only (the last from the first too, in its language): going
/// through them, and back to the first to act in, the page is switched nine times.
pub const CONFIGURATIONS: [Configuration; 8] = {
    use Language::{Chinese, English};
    use Scheme::{Dark, Light};
    [
        configuration(English, PHONE, Light),
        configuration(English, PHONE, Dark),
        configuration(English, DESKTOP, Dark),
        configuration(English, DESKTOP, Light),
        configuration(Chinese, DESKTOP, Light),
        configuration(Chinese, DESKTOP, Dark),
        configuration(Chinese, PHONE, Dark),
        configuration(Chinese, PHONE, Light),
    ]
};

/// The configuration the run acts in between states (its waits read English).
pub const ACTING: Configuration = CONFIGURATIONS[0];

/// `<state>-<lang>-<width>x<height>-<scheme>.png`, e.g. `done-en-1440x900-light.png`.
pub fn file_name(state: State, configuration: Configuration) -> String {
    let Configuration {
        language,
        viewport,
        scheme,
    } = configuration;
    format!(
        "{}-{}-{}x{}-{}.png",
        state.name(),
        language.tag(),
        viewport.width,
        viewport.height,
        scheme.name()
    )
}

/// Every file a run writes, in the order it writes them.
pub fn all_files() -> Vec<String> {
    STATES
        .iter()
        .flat_map(|&state| CONFIGURATIONS.map(|configuration| file_name(state, configuration)))
        .collect()
}

/// Serves the build with the mock, shoots every state in every configuration into the
/// folder, and prints it with the number of files and their total size.
pub async fn run(args: &ScreenshotsArgs, paths: &Paths) -> Result<()> {
    let started = Instant::now();
    let out = args
        .out
        .clone()
        .unwrap_or_else(|| project_root().join("target").join("screenshots"));
    std::fs::create_dir_all(&out).with_context(|| format!("creating {}", out.display()))?;
    for name in all_files() {
        let _ = std::fs::remove_file(out.join(name));
    }
    let work = work_dir();
    let server = crate::in_browser::start_server(paths.get(Need::Dist)?, &MOCK_FLAGS).await?;
    let shot = shoot(paths, &work, &server, &out).await;
    let _ = server.stop().await;
    let written = shot?;
    let bytes: u64 = written
        .iter()
        .filter_map(|path| std::fs::metadata(path).ok())
        .map(|meta| meta.len())
        .sum();
    println!(
        "screenshots: {} PNGs ({:.1} MB) in {} ({:.0} s)",
        written.len(),
        bytes as f64 / 1e6,
        out.display(),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// Starts the browser and visits every state in one session.
async fn shoot(paths: &Paths, work: &Path, server: &Running, out: &Path) -> Result<Vec<PathBuf>> {
    let driver = ChromeDriver::start(
        paths.get(Need::Chromedriver)?,
        paths.get(Need::Chromium)?,
        &project_root().join("tests"),
        work.join("screenshots-chromium"),
    )
    .await?;
    let session = driver.session().await?;
    let mut camera = capture::Camera::new(&session, out);
    let visited = states::visit(&mut camera, &server.url(""), work).await;
    let written = camera.written();
    session.close().await;
    visited?;
    Ok(written)
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use clap::Parser as _;

    use super::*;
    use crate::cli::{Cli, Mode};

    #[test]
    fn files_are_named_by_state_language_size_and_scheme() {
        let done = configuration(Language::English, DESKTOP, Scheme::Light);
        assert_eq!(file_name(State::Done, done), "done-en-1440x900-light.png");
        let kept = configuration(Language::Chinese, PHONE, Scheme::Dark);
        assert_eq!(file_name(State::Kept, kept), "kept-zh-CN-390x844-dark.png");
        assert_eq!(
            file_name(State::ImagesAdded, ACTING),
            "images-added-en-390x844-light.png"
        );
    }

    #[test]
    fn every_combination_is_shot_once() {
        for (at, configuration) in CONFIGURATIONS.iter().enumerate() {
            assert!(
                !CONFIGURATIONS[at + 1..].contains(configuration),
                "{configuration:?}"
            );
        }
        let files = all_files();
        let names: BTreeSet<&String> = files.iter().collect();
        assert_eq!(files.len(), 64);
        assert_eq!(names.len(), 64);
        for state in STATES {
            for language in [Language::English, Language::Chinese] {
                for viewport in [PHONE, DESKTOP] {
                    for scheme in [Scheme::Light, Scheme::Dark] {
                        let name = file_name(state, configuration(language, viewport, scheme));
                        assert!(names.contains(&name), "{name}");
                    }
                }
            }
        }
    }

    #[test]
    fn each_configuration_differs_from_the_one_before_in_one_thing() {
        let differences = |a: &Configuration, b: &Configuration| {
            usize::from(a.language != b.language)
                + usize::from(a.viewport != b.viewport)
                + usize::from(a.scheme != b.scheme)
        };
        for pair in CONFIGURATIONS.windows(2) {
            assert_eq!(differences(&pair[0], &pair[1]), 1, "{pair:?}");
        }
        // And back to the one the run acts in.
        assert_eq!(differences(&CONFIGURATIONS[7], &ACTING), 1);
        assert_eq!(ACTING.language, Language::English);
    }

    #[test]
    fn screenshots_are_a_subcommand_a_plain_run_never_takes() {
        let argv = ["bench", "--dist", "/d", "--chromium", "/c", "screenshots"];
        let cli = Cli::try_parse_from(argv).expect("the flags parse");
        let Some(Mode::Screenshots(args)) = &cli.mode else {
            panic!("`screenshots` chose no screenshots");
        };
        assert_eq!(args.out, None);
        assert_eq!(cli.mode.as_ref().map(Mode::needs), Some(NEEDS.to_vec()));
        assert!(cli.paths.get(Need::Dist).is_ok());

        let plain = Cli::try_parse_from(["bench"]).expect("no flags parse");
        assert!(plain.mode.is_none());
    }
}
