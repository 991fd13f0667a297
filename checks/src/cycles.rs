//! The check that no modules import each other in a circle, in the app (`src/`), the
//! contract (`contract/src/`) and the server (`server/src/`, its mock included).
//!
//! At every level of the module tree, the children of one module form a graph: an
//! edge from A to B when something inside A uses something inside B (`super::b::…`,
//! `crate::parent::b::…`, or an item of the parent that the parent re-exports from
//! B). That graph must be acyclic. An item the parent defines itself (`super::Item`)
//! is no edge. So data flows one way at every level, and each module can be read,
//! tested and moved with only what it depends on.
//!
//! It runs as unit tests, so `cargo xtask test` fails on a cycle: `cargo test -p
//! seedream-checks cycles` prints each one as its chain of modules, with where each uses the
//! next. [`parse`] says exactly what is read (tests are not), [`graph`] how a path
//! becomes an edge.

mod graph;
mod parse;
#[cfg(test)]
mod tests;

use std::path::Path;

use anyhow::{Result, bail};

pub use graph::Cycle;

/// The app's crate roots (library and binary).
pub const APP: [&str; 2] = ["src/lib.rs", "src/main.rs"];
pub const CONTRACT: [&str; 1] = ["contract/src/lib.rs"];
pub const SERVER: [&str; 2] = ["server/src/lib.rs", "server/src/main.rs"];

/// The cycles among the modules of the crates rooted at `roots` (relative to the
/// workspace `root`).
pub fn find(root: &Path, roots: &[&str]) -> Result<Vec<Cycle>> {
    let read = |file: &Path| std::fs::read_to_string(root.join(file)).ok();
    let mut cycles = Vec::new();
    for file in roots {
        let krate = parse::load(file, Path::new(file), &read)?;
        cycles.extend(graph::cycles(&krate));
    }
    Ok(cycles)
}

/// Fails with every cycle among the modules of the crates rooted at `roots`.
pub fn check(root: &Path, roots: &[&str]) -> Result<()> {
    let cycles = find(root, roots)?;
    if !cycles.is_empty() {
        let shown: Vec<String> = cycles.iter().map(Cycle::to_string).collect();
        bail!(
            "{} import cycle(s); move what one side needs so that only one uses the other:\n\n{}",
            cycles.len(),
            shown.join("\n")
        );
    }
    Ok(())
}
