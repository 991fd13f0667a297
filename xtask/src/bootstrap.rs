//! Installs the pinned tools the build and the tests need, and is silent when they are
//! already there.
//!
//! Every version has one source of truth: trunk's is here, wasm-bindgen's is the
//! `wasm-bindgen` crate in `Cargo.lock` (the CLI must match it exactly), and wasm-opt's
//! is `[tools] wasm_opt` in `Trunk.toml` (trunk refuses any other version offline).
//! The npm packages (binaryen's wasm-opt, terser, Lighthouse, axe-core) go into folders
//! of `.tools/`, each at an exact version.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result, bail};

use crate::process::{cargo, output_of, run};

const WASM_TARGET: &str = "wasm32-unknown-unknown";
/// trunk 0.22 needs a newer rustc than these machines have.
const TRUNK_VERSION: &str = "0.21.14";
/// Debian's chromium and its driver; their paths are fixed by the packages.
pub const CHROMIUM: &str = "/usr/bin/chromium";
pub const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
/// A Chinese font (Debian's WenQuanYi Zen Hei): without one, Chinese text is drawn as
/// narrow "tofu" boxes, and the Chinese pages' layout checks (`tests/e2e/axe.rs`)
/// would measure those instead of the glyphs Chinese readers see.
pub const CJK_FONT: &str = "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc";
/// Debian's Firefox ESR; geckodriver (its WebDriver) comes from crates.io, pinned here.
pub const FIREFOX: &str = "/usr/bin/firefox-esr";
const GECKODRIVER_VERSION: &str = "0.37.1";
/// Debian's wrk (4.1.0 in Debian 12), for the bench's proxy rows.
pub const WRK: &str = "/usr/bin/wrk";
/// Debian's nginx (1.22 in Debian 12), the bench's reference reverse proxy.
pub const NGINX: &str = "/usr/sbin/nginx";

/// Where the project-local tools live (git-ignored).
pub fn tools_dir(root: &Path) -> PathBuf {
    root.join(".tools")
}

/// Directories to put in front of `PATH` for trunk and the test runner, and the
/// minifier the release build runs on the script.
pub struct Toolchain {
    pub bin_dirs: Vec<PathBuf>,
    pub terser: PathBuf,
}

/// The wasm target, trunk, wasm-bindgen-cli, wasm-opt and terser.
pub fn build_tools(root: &Path) -> Result<Toolchain> {
    ensure_wasm_target()?;
    let cargo_bin = cargo_bin_dir();
    ensure_cargo_tool(&cargo_bin, "trunk", "trunk", TRUNK_VERSION, true)?;
    let bindgen = locked_version(root, "wasm-bindgen")?;
    // Not `--locked`: the registry here lacks one dependency version that the CLI's own
    // lockfile names, so cargo resolves the CLI's dependencies afresh.
    ensure_cargo_tool(
        &cargo_bin,
        "wasm-bindgen-cli",
        "wasm-bindgen",
        &bindgen,
        false,
    )?;
    let binaryen_bin = ensure_wasm_opt(root)?;
    Ok(Toolchain {
        bin_dirs: vec![binaryen_bin, cargo_bin],
        terser: ensure_terser(root)?,
    })
}

/// Debian's Chromium and ChromeDriver, for the browser tests, and a Chinese font for
/// the pages they show in Chinese ([`CJK_FONT`]).
pub fn browser() -> Result<()> {
    apt_install(
        "the browser tests need Debian's Chromium and ChromeDriver",
        &[CHROMIUM, CHROMEDRIVER],
        &["chromium", "chromium-driver"],
    )?;
    apt_install(
        "the browser tests lay Chinese pages out with a Chinese font",
        &[CJK_FONT],
        &["fonts-wqy-zenhei"],
    )
}

/// Debian's Firefox ESR and geckodriver (`cargo install`, Debian has no package of
/// it), for the browser tests that run in Firefox too; returns geckodriver's path.
pub fn firefox() -> Result<PathBuf> {
    apt_install(
        "the browser tests need Debian's Firefox ESR",
        &[FIREFOX],
        &["firefox-esr"],
    )?;
    let cargo_bin = cargo_bin_dir();
    ensure_cargo_tool(
        &cargo_bin,
        "geckodriver",
        "geckodriver",
        GECKODRIVER_VERSION,
        true,
    )?;
    Ok(cargo_bin.join("geckodriver"))
}

/// Debian's wrk, the load generator of the bench's proxy rows.
pub fn wrk() -> Result<()> {
    apt_install(
        "the bench's proxy rows need Debian's wrk (the load generator)",
        &[WRK],
        &["wrk"],
    )
}

/// Debian's nginx, run by the bench with its own configuration and prefix as the
/// reference the proxy is compared with; the system service is never used.
pub fn nginx() -> Result<()> {
    apt_install(
        "the bench's proxy rows compare with Debian's nginx as a reverse proxy",
        &[NGINX],
        &["nginx"],
    )
}

/// Installs Debian `packages` with apt-get unless every one of `paths` exists; when not
/// root (or without apt), fails with the command to run, `needed_for` saying why.
fn apt_install(needed_for: &str, paths: &[&str], packages: &[&str]) -> Result<()> {
    if paths.iter().all(|path| Path::new(path).exists()) {
        return Ok(());
    }
    let is_root = output_of("id", &["-u"]).as_deref() == Some("0");
    let has_apt = output_of("apt-get", &["--version"]).is_some();
    let list = packages.join(" ");
    if !(is_root && has_apt) {
        bail!(
            "{needed_for} ({}).\n\
             Install {list} as root, then run this again:\n    \
             apt-get update && apt-get install -y {list}",
            paths.join(", ")
        );
    }
    eprintln!("xtask: installing {list} with apt-get");
    run(Command::new("apt-get").args(["update", "-qq"]))?;
    run(Command::new("apt-get")
        .args(["install", "-y", "-qq"])
        .args(packages)
        .env("DEBIAN_FRONTEND", "noninteractive"))
}

fn ensure_wasm_target() -> Result<()> {
    let installed = output_of("rustup", &["target", "list", "--installed"]).unwrap_or_default();
    if installed.lines().any(|line| line.trim() == WASM_TARGET) {
        return Ok(());
    }
    eprintln!("xtask: adding the {WASM_TARGET} target");
    run(Command::new("rustup").args(["target", "add", WASM_TARGET]))
}

/// `cargo install`s `krate` unless `binary --version` already reports `version`.
fn ensure_cargo_tool(
    cargo_bin: &Path,
    krate: &str,
    binary: &str,
    version: &str,
    locked: bool,
) -> Result<()> {
    let reported = output_of(cargo_bin.join(binary), &["--version"]).unwrap_or_default();
    // Both tools print "<name> <version>" (wasm-bindgen may append a commit hash).
    if reported.split_whitespace().nth(1) == Some(version) {
        return Ok(());
    }
    eprintln!("xtask: installing {krate} {version} (once; this takes a few minutes)");
    let mut cmd = cargo();
    cmd.args(["install", krate, "--version", version]);
    if locked {
        cmd.arg("--locked");
    }
    run(&mut cmd)
}

/// wasm-opt from the npm package `binaryen`, in `.tools/binaryen`: Debian's binaryen is
/// too old for today's Rust output, and trunk must never download one itself.
fn ensure_wasm_opt(root: &Path) -> Result<PathBuf> {
    let required = required_wasm_opt(root)?;
    let prefix = tools_dir(root).join("binaryen");
    let bin = prefix.join("node_modules").join(".bin");
    // wasm-opt reports "wasm-opt version 132 (version_132)"; trunk compares the last part.
    let reported = output_of(bin.join("wasm-opt"), &["--version"]).unwrap_or_default();
    if reported.contains(&format!("({required})")) {
        return Ok(bin);
    }
    let npm_version = required
        .strip_prefix("version_")
        .with_context(|| format!("Trunk.toml: wasm_opt = {required:?} is not version_<N>"))?;
    npm_install(&prefix, "binaryen", npm_version, "wasm-opt")?;
    Ok(bin)
}

/// terser, the JavaScript minifier: trunk's own fails on the wasm-bindgen glue's
/// `export default` and ships it as written (96 KB; 45 KB minified).
const TERSER_VERSION: &str = "5.51.4";

/// terser from npm, in `.tools/terser`, unless that version is already there; returns
/// its command.
fn ensure_terser(root: &Path) -> Result<PathBuf> {
    let prefix = tools_dir(root).join("terser");
    let bin = prefix.join("node_modules").join(".bin").join("terser");
    let reported = output_of(&bin, &["--version"]).unwrap_or_default();
    if reported.trim() != format!("terser {TERSER_VERSION}") {
        npm_install(&prefix, "terser", TERSER_VERSION, "terser")?;
    }
    Ok(bin)
}

/// `npm install`s `package` at exactly `version` into `prefix` (a folder of
/// `.tools/`), for `tool`.
fn npm_install(prefix: &Path, package: &str, version: &str, tool: &str) -> Result<()> {
    eprintln!(
        "xtask: installing {tool} (npm {package} {version}) into {}",
        prefix.display()
    );
    std::fs::create_dir_all(prefix)?;
    run(Command::new("npm")
        .args([
            "install",
            "--no-audit",
            "--no-fund",
            "--save-exact",
            "--prefix",
        ])
        .arg(prefix)
        .arg(format!("{package}@{version}")))
    .with_context(|| {
        format!("installing {tool} needs Node.js and npm (apt-get install nodejs npm)")
    })
}

/// Lighthouse 12 (13 needs Node 22; these machines have Node 20), for the bench's
/// page-load audit (`bench --only lighthouse`).
const LIGHTHOUSE_VERSION: &str = "12.8.2";

/// Lighthouse from npm, in `.tools/lighthouse`; returns its command-line script.
pub fn lighthouse(root: &Path) -> Result<PathBuf> {
    let prefix = tools_dir(root).join("lighthouse");
    let package = prefix.join("node_modules").join("lighthouse");
    let installed = std::fs::read_to_string(package.join("package.json")).unwrap_or_default();
    let wanted = format!("\"version\": \"{LIGHTHOUSE_VERSION}\"");
    if !installed.contains(&wanted) {
        npm_install(&prefix, "lighthouse", LIGHTHOUSE_VERSION, "Lighthouse")?;
    }
    Ok(package.join("cli").join("index.js"))
}

/// axe-core, the accessibility rules engine the end-to-end test `axe::` injects into
/// the page (its own `axe.min.js`, run as a WebDriver script: the page's CSP refuses
/// inline scripts). Pinned exactly: a new version brings new rules, so new findings
/// come with a deliberate bump, not with a fresh clone.
const AXE_CORE_VERSION: &str = "4.14.1";

/// The environment variable naming `axe.min.js` for the end-to-end tests: `cargo
/// xtask test` sets it; without it the tests look at [`axe_core_script`]'s path.
pub const AXE_CORE_ENV: &str = "SEEDREAM_AXE_CORE";

/// Where axe-core's `axe.min.js` is once [`axe_core`] has installed it.
pub fn axe_core_script(root: &Path) -> PathBuf {
    tools_dir(root)
        .join("axe-core")
        .join("node_modules")
        .join("axe-core")
        .join("axe.min.js")
}

/// axe-core from npm, in `.tools/axe-core`, unless that version is already there;
/// returns the path of its `axe.min.js` (see [`AXE_CORE_ENV`]).
pub fn axe_core(root: &Path) -> Result<PathBuf> {
    let prefix = tools_dir(root).join("axe-core");
    let script = axe_core_script(root);
    let installed =
        std::fs::read_to_string(script.with_file_name("package.json")).unwrap_or_default();
    let wanted = format!("\"version\": \"{AXE_CORE_VERSION}\"");
    if !(installed.contains(&wanted) && script.is_file()) {
        npm_install(&prefix, "axe-core", AXE_CORE_VERSION, "axe-core")?;
    }
    if !script.is_file() {
        bail!(
            "npm installed axe-core {AXE_CORE_VERSION}, but {} is missing",
            script.display()
        );
    }
    Ok(script)
}

/// The wasm-opt version trunk is told to use, from `Trunk.toml`.
fn required_wasm_opt(root: &Path) -> Result<String> {
    let path = root.join("Trunk.toml");
    let text =
        std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
    let config: toml::Table = text
        .parse()
        .with_context(|| format!("parsing {}", path.display()))?;
    config
        .get("tools")
        .and_then(|tools| tools.get("wasm_opt"))
        .and_then(|version| version.as_str())
        .map(str::to_owned)
        .with_context(|| format!("{} has no [tools] wasm_opt", path.display()))
}

/// The version of `package` recorded in `Cargo.lock`.
pub fn locked_version(root: &Path, package: &str) -> Result<String> {
    let path = root.join("Cargo.lock");
    let text =
        std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
    let lock: toml::Table = text
        .parse()
        .with_context(|| format!("parsing {}", path.display()))?;
    let packages = lock.get("package").and_then(|p| p.as_array());
    let mut versions = packages
        .into_iter()
        .flatten()
        .filter(|p| p.get("name").and_then(|n| n.as_str()) == Some(package))
        .filter_map(|p| p.get("version").and_then(|v| v.as_str()));
    match (versions.next(), versions.next()) {
        (Some(version), None) => Ok(version.to_owned()),
        (None, _) => bail!("{package} is not in Cargo.lock"),
        (Some(_), Some(_)) => bail!("Cargo.lock holds two versions of {package}; pin one with `=`"),
    }
}

fn cargo_bin_dir() -> PathBuf {
    let cargo_home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".cargo")))
        .unwrap_or_else(|| PathBuf::from(".cargo"));
    cargo_home.join("bin")
}
