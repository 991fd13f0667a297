//! Compiles the interface's translations (`locales/<lang>.json`) into the `i18n` module
//! with leptos_i18n: a key missing from a language or a wrong interpolation is reported
//! here, at build time, not met by a user.

use std::error::Error;
use std::path::PathBuf;

use leptos_i18n_build::{Config, ParseOptions, TranslationsInfos};

/// The parts of the interface, each a file in every language's folder.
const NAMESPACES: [&str; 11] = [
    "app",
    "settings",
    "form",
    "images",
    "tasks",
    "results",
    "errors",
    "validation",
    "embed",
    "units",
    "notify",
];

fn main() -> Result<(), Box<dyn Error>> {
    println!("cargo::rerun-if-changed=build.rs");
    let out_dir = std::env::var_os("OUT_DIR").ok_or("cargo sets OUT_DIR for build scripts")?;
    // Values such as counts and names are interpolated through `Display`, so a message
    // can carry a number formatted for its language as a plain string.
    let options = ParseOptions::default().interpolate_display(true);
    // One file per language and part of the interface: locales/<lang>/<namespace>.json.
    let config = Config::new("en")?
        .add_locale("zh-CN")?
        .add_namespaces(NAMESPACES)?
        .parse_options(options);
    let translations = TranslationsInfos::parse(config)?;
    translations.emit_diagnostics();
    translations.rerun_if_locales_changed();
    translations.generate_i18n_module(PathBuf::from(out_dir).join("i18n"))?;
    Ok(())
}
