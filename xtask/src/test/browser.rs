//! The browsers the wasm and end-to-end suites run in, and how each suite's command
//! is pointed at one.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::bootstrap::{CHROMEDRIVER, CHROMIUM, FIREFOX};

/// Longest one wasm test binary may run in Firefox, in seconds (the runner's default,
/// 20, is for small binaries): Firefox starts more slowly than Chromium on a loaded
/// machine.
const FIREFOX_TIMEOUT_S: &str = "60";

/// A browser the wasm and end-to-end tests run in, through its WebDriver.
pub enum Browser {
    /// Debian's Chromium and ChromeDriver.
    Chromium,
    /// Debian's Firefox ESR and geckodriver (installed by cargo).
    Firefox { geckodriver: PathBuf },
}

impl Browser {
    pub fn name(&self) -> &'static str {
        match self {
            Browser::Chromium => "chromium",
            Browser::Firefox { .. } => "firefox",
        }
    }

    /// Points wasm-bindgen-test-runner at this browser: it takes `GECKODRIVER` over
    /// `CHROMEDRIVER` when both are set, so the other one is removed; and gives it the
    /// browser's capabilities (headless, off the network, a fixed window).
    pub fn for_wasm_runner(&self, cmd: &mut Command, root: &Path) {
        let (driver, path, other, capabilities) = match self {
            Browser::Chromium => (
                "CHROMEDRIVER",
                PathBuf::from(CHROMEDRIVER),
                "GECKODRIVER",
                "webdriver.json",
            ),
            Browser::Firefox { geckodriver } => (
                "GECKODRIVER",
                geckodriver.clone(),
                "CHROMEDRIVER",
                "webdriver-firefox.json",
            ),
        };
        cmd.env(driver, path).env_remove(other).env(
            "WASM_BINDGEN_TEST_WEBDRIVER_JSON",
            root.join("tests").join(capabilities),
        );
        if let Browser::Firefox { .. } = self {
            cmd.env("WASM_BINDGEN_TEST_TIMEOUT", FIREFOX_TIMEOUT_S);
        }
    }

    /// Points the end-to-end harness (`tests/e2e/harness.rs`) at this browser.
    pub fn for_end_to_end(&self, cmd: &mut Command) {
        match self {
            Browser::Chromium => {
                cmd.env("E2E_BROWSER", "chromium")
                    .env("CHROMEDRIVER", CHROMEDRIVER)
                    .env("CHROMIUM", CHROMIUM);
            }
            Browser::Firefox { geckodriver } => {
                cmd.env("E2E_BROWSER", "firefox")
                    .env("GECKODRIVER", geckodriver)
                    .env("FIREFOX", FIREFOX);
            }
        }
    }
}
