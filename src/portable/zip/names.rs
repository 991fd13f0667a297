//! Entry names: which ones a file may hold, and which ones an archive tool added.
//!
//! An imported name is never used as a path on disk here, but it names the images a
//! manifest refers to, and an export writes names as given: so both sides hold names
//! to the rules every extracting tool is safe with (relative, `/`-separated, no `..`).

/// Why a name is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BadName {
    /// The name is empty.
    Empty,
    /// The name starts with `/`.
    Absolute,
    /// A path segment is `..`.
    ParentDirectory,
    /// The name holds `\`, a separator on Windows that ZIP names never use.
    Backslash,
    /// The name holds a NUL character, which ends it in C strings.
    Nul,
    /// The name starts with a drive letter (`C:`), absolute or drive-relative on Windows.
    DriveLetter,
}

/// Checks that `name` is a relative `/`-separated path no tool would write outside
/// the folder it extracts to: `"inputs/a.png"` is fine; `"/x"`, `"a/../b"`, `".."`,
/// `"a\\b"`, `"a\0b"`, `"C:x"` and `"c:/x"` are refused.
pub fn check_name(name: &str) -> Result<(), BadName> {
    if name.is_empty() {
        return Err(BadName::Empty);
    }
    if name.contains('\0') {
        return Err(BadName::Nul);
    }
    if name.contains('\\') {
        return Err(BadName::Backslash);
    }
    if name.starts_with('/') {
        return Err(BadName::Absolute);
    }
    let mut chars = name.chars();
    if chars.next().is_some_and(|c| c.is_ascii_alphabetic()) && chars.next() == Some(':') {
        return Err(BadName::DriveLetter);
    }
    if name.split('/').any(|segment| segment == "..") {
        return Err(BadName::ParentDirectory);
    }
    Ok(())
}

/// Entries a system's archive tool adds beside the files (`__MACOSX/…`, `.DS_Store`,
/// `Thumbs.db`, `desktop.ini`, directory entries ending in `/`).
///
/// macOS's Archive Utility adds `__MACOSX/` (resource forks) and Finder's
/// `.DS_Store`; Windows Explorer's thumbnail cache and folder settings come along
/// when a folder is zipped there (their names compared ignoring case, as Windows does).
pub fn is_clutter(name: &str) -> bool {
    if name.ends_with('/') || name.split('/').any(|segment| segment == "__MACOSX") {
        return true;
    }
    let file = name.rsplit('/').next().unwrap_or(name);
    file == ".DS_Store"
        || file.eq_ignore_ascii_case("Thumbs.db")
        || file.eq_ignore_ascii_case("desktop.ini")
}

/// The one top-level folder every non-clutter entry sits in (as when a folder is
/// re-zipped), e.g. `"export/"` — `None` when the names do not all share one, or when
/// some name sits at the top (or there is no name but clutter).
pub fn common_folder<'a>(names: impl IntoIterator<Item = &'a str>) -> Option<String> {
    let mut folder: Option<&str> = None;
    for name in names.into_iter().filter(|name| !is_clutter(name)) {
        let (top, _) = name.split_once('/')?;
        if top.is_empty() {
            return None;
        }
        match folder {
            None => folder = Some(top),
            Some(seen) if seen == top => {}
            Some(_) => return None,
        }
    }
    folder.map(|top| format!("{top}/"))
}

// Natively only: `cargo xtask test` runs the app's unit tests outside a browser.
#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    #[test]
    fn each_bad_name_is_refused_for_its_reason() {
        let cases = [
            ("", BadName::Empty),
            ("/x", BadName::Absolute),
            ("/", BadName::Absolute),
            ("a/../b", BadName::ParentDirectory),
            ("..", BadName::ParentDirectory),
            ("../a.png", BadName::ParentDirectory),
            ("a/..", BadName::ParentDirectory),
            ("a\\b", BadName::Backslash),
            ("..\\a", BadName::Backslash),
            ("a\0b", BadName::Nul),
            ("C:x", BadName::DriveLetter),
            ("c:/x", BadName::DriveLetter),
            ("z:", BadName::DriveLetter),
        ];
        for (name, reason) in cases {
            assert_eq!(check_name(name), Err(reason), "{name:?}");
        }
    }

    #[test]
    fn ordinary_names_are_fine() {
        for name in [
            "inputs/a.png",
            "manifest.json",
            "结果/图片 1.png",
            "a..b/c.png",
            "...",
            ".hidden",
            "inputs/",
            "ab:c.png",
            "1:x",
        ] {
            assert_eq!(check_name(name), Ok(()), "{name:?}");
        }
    }

    #[test]
    fn clutter_is_what_tools_add_and_nothing_else() {
        for name in [
            "__MACOSX/export/._manifest.json",
            "__MACOSX/",
            "export/.DS_Store",
            ".DS_Store",
            "export/Thumbs.db",
            "export/thumbs.db",
            "Desktop.ini",
            "export/",
            "export/inputs/",
        ] {
            assert!(is_clutter(name), "{name:?}");
        }
        for name in [
            "export/manifest.json",
            "inputs/a.png",
            "DS_Store",
            "Thumbs.db.png",
            "MACOSX/a",
        ] {
            assert!(!is_clutter(name), "{name:?}");
        }
    }

    #[test]
    fn the_common_folder_is_found_only_when_every_file_shares_it() {
        let exported = [
            "export/",
            "export/manifest.json",
            "export/inputs/a.png",
            "__MACOSX/export/._a",
            ".DS_Store",
        ];
        assert_eq!(common_folder(exported), Some("export/".to_owned()));
        assert_eq!(common_folder(["manifest.json", "inputs/a.png"]), None);
        assert_eq!(common_folder(["a/manifest.json", "b/x.png"]), None);
        assert_eq!(common_folder(["a/manifest.json", "manifest.json"]), None);
        assert_eq!(common_folder(["/a/x", "/a/y"]), None);
        assert_eq!(common_folder(["export/", ".DS_Store"]), None);
        assert_eq!(common_folder(Vec::<&str>::new()), None);
        assert_eq!(
            common_folder(["导出/a.png", "导出/b/c.png"]),
            Some("导出/".to_owned())
        );
    }
}
