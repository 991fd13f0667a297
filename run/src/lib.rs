//! What xtask and the bench both do outside their own process: run commands with a
//! readable account of what failed, ask a tool for its output, copy a folder.

use std::ffi::OsStr;
use std::path::Path;
use std::process::{Command, Stdio};

use anyhow::{Context, Result, bail};

/// A command line shown to the user exactly as it will run.
pub fn describe(cmd: &Command) -> String {
    let mut text = cmd.get_program().to_string_lossy().into_owned();
    for arg in cmd.get_args() {
        text.push(' ');
        text.push_str(&arg.to_string_lossy());
    }
    text
}

/// Runs `cmd` with inherited output and fails unless it exits successfully.
pub fn run(cmd: &mut Command) -> Result<()> {
    let shown = describe(cmd);
    let status = cmd
        .status()
        .with_context(|| format!("could not start `{shown}`"))?;
    if !status.success() {
        bail!("`{shown}` failed ({status})");
    }
    Ok(())
}

/// Runs `program` quietly and returns its trimmed standard output, or `None` when it
/// is missing or fails: used to ask tools for their versions.
pub fn output_of(program: impl AsRef<OsStr>, args: &[&str]) -> Option<String> {
    let out = Command::new(program)
        .args(args)
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output()
        .ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).trim().to_owned())
}

/// Copies the folder `from` into `to` (created if needed), recursively.
pub fn copy_dir(from: &Path, to: &Path) -> Result<()> {
    std::fs::create_dir_all(to).with_context(|| format!("creating {}", to.display()))?;
    for entry in std::fs::read_dir(from).with_context(|| format!("reading {}", from.display()))? {
        let entry = entry?;
        let target = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            copy_dir(&entry.path(), &target)?;
        } else {
            std::fs::copy(entry.path(), &target).with_context(|| {
                format!("copying {} to {}", entry.path().display(), target.display())
            })?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_command_is_shown_as_it_runs_and_a_failure_names_it() {
        let mut cmd = Command::new("sh");
        cmd.args(["-c", "exit 3"]);
        assert_eq!(describe(&cmd), "sh -c exit 3");
        let error = run(&mut cmd).unwrap_err().to_string();
        assert!(error.contains("`sh -c exit 3` failed"), "{error}");
        assert_eq!(
            output_of("sh", &["-c", "echo ' hi '"]).as_deref(),
            Some("hi")
        );
        assert_eq!(output_of("no-such-program-here", &[]), None);
    }

    #[test]
    fn a_folder_is_copied_with_its_subfolders() -> Result<()> {
        let root = std::env::temp_dir().join(format!("seedream-run-copy-{}", std::process::id()));
        let from = root.join("from");
        std::fs::create_dir_all(from.join("inner"))?;
        std::fs::write(from.join("a.txt"), "a")?;
        std::fs::write(from.join("inner/b.txt"), "b")?;
        copy_dir(&from, &root.join("to"))?;
        assert_eq!(std::fs::read_to_string(root.join("to/a.txt"))?, "a");
        assert_eq!(std::fs::read_to_string(root.join("to/inner/b.txt"))?, "b");
        std::fs::remove_dir_all(&root)?;
        Ok(())
    }
}
