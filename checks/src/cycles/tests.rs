use std::collections::BTreeMap;
use std::path::Path;

use super::*;

/// The crate made of `files` (path, source), rooted at `src/lib.rs`.
fn crate_of(files: &[(&str, &str)]) -> Result<parse::Crate> {
    let files: BTreeMap<&Path, &str> = files
        .iter()
        .map(|(path, text)| (Path::new(*path), *text))
        .collect();
    parse::load("fixture", Path::new("src/lib.rs"), &|file| {
        files.get(file).map(|text| (*text).to_owned())
    })
}

fn cycles_of(files: &[(&str, &str)]) -> Vec<Cycle> {
    graph::cycles(&crate_of(files).unwrap())
}

/// Each cycle's members, as `a, b`.
fn members(files: &[(&str, &str)]) -> Vec<String> {
    cycles_of(files)
        .iter()
        .map(|cycle| cycle.members().join(", "))
        .collect()
}

#[test]
fn the_app_has_no_import_cycles() {
    if let Err(cycles) = check(&crate::project_root(), &APP) {
        panic!("{cycles:#}");
    }
}

#[test]
fn the_contract_has_no_import_cycles() {
    if let Err(cycles) = check(&crate::project_root(), &CONTRACT) {
        panic!("{cycles:#}");
    }
}

#[test]
fn the_server_has_no_import_cycles() {
    if let Err(cycles) = check(&crate::project_root(), &SERVER) {
        panic!("{cycles:#}");
    }
}

#[test]
fn a_circle_through_super_sibling_is_found_with_its_lines() {
    let files = [
        ("src/lib.rs", "mod a;\nmod b;\n"),
        ("src/a.rs", "use super::b::Thing;\npub fn make() {}\n"),
        (
            "src/b.rs",
            "pub struct Thing;\nfn f() {\n    super::a::make();\n}\n",
        ),
    ];
    let cycles = cycles_of(&files);
    assert_eq!(cycles.len(), 1);
    let shown = cycles[0].to_string();
    assert!(shown.starts_with("fixture: a → b → a\n"), "{shown}");
    assert!(
        shown.contains("a uses b at src/a.rs:1 (super::b::Thing)"),
        "{shown}"
    );
    assert!(
        shown.contains("b uses a at src/b.rs:3 (super::a::make)"),
        "{shown}"
    );
}

#[test]
fn an_item_of_the_parent_itself_is_no_edge() {
    let files = [
        (
            "src/lib.rs",
            "mod a;\nmod b;\npub struct Shared;\nfn run() { a::go(); b::go(); }\n",
        ),
        (
            "src/a.rs",
            "use super::Shared;\nuse crate::b::helper;\npub fn go() {}\n",
        ),
        (
            "src/b.rs",
            "use crate::Shared;\npub fn helper() { let _ = super::Shared; }\npub fn go() {}\n",
        ),
    ];
    assert!(members(&files).is_empty());
}

#[test]
fn an_item_the_parent_re_exports_from_a_sibling_is_an_edge() {
    let files = [
        (
            "src/lib.rs",
            "mod a;\nmod b;\npub use a::Thing;\nuse b::Other as Renamed;\n",
        ),
        (
            "src/a.rs",
            "pub struct Thing;\nfn f(_: crate::Renamed) {}\n",
        ),
        ("src/b.rs", "use super::Thing;\npub struct Other;\n"),
    ];
    assert_eq!(members(&files), ["a, b"]);
}

#[test]
fn grouped_renamed_and_self_imports_are_each_an_edge() {
    let files = [
        ("src/lib.rs", "mod a;\nmod b;\nmod c;\n"),
        (
            "src/a.rs",
            "use crate::{b::{self, X as Y}, c::{Z}};\npub struct W;\n",
        ),
        ("src/b.rs", "pub struct X;\n"),
        (
            "src/c.rs",
            "pub struct Z;\nuse super::a::{self as alias};\n",
        ),
    ];
    let cycles = cycles_of(&files);
    assert_eq!(cycles.len(), 1);
    let shown = cycles[0].to_string();
    assert!(
        shown.contains("a uses c at src/a.rs:1 (crate::c::Z)"),
        "{shown}"
    );
    assert!(
        shown.contains("c uses a at src/c.rs:2 (super::a)"),
        "{shown}"
    );
    // `b` is outside the circle.
    assert!(!shown.contains(" b "), "{shown}");
}

#[test]
fn a_circle_between_folders_is_found_at_its_level() {
    let files = [
        ("src/lib.rs", "pub mod outer;\nmod top;\n"),
        ("src/top.rs", "use crate::outer::one::Tool;\n"),
        ("src/outer.rs", "mod one;\nmod two;\n"),
        ("src/outer/one/mod.rs", "pub mod deep;\npub struct Tool;\n"),
        (
            "src/outer/one/deep.rs",
            "pub fn f() { super::super::two::inner::g(); }\n",
        ),
        ("src/outer/two.rs", "pub mod inner;\n"),
        (
            "src/outer/two/inner.rs",
            "use crate::outer::one;\npub fn g() { one::deep::f(); }\n",
        ),
    ];
    let cycles = cycles_of(&files);
    assert_eq!(cycles.len(), 1);
    assert_eq!(cycles[0].members(), ["outer::one", "outer::two"]);
    let shown = cycles[0].to_string();
    assert!(
        shown.contains("at src/outer/one/deep.rs:1 (super::super::two::inner::g)"),
        "{shown}"
    );
}

#[test]
fn paths_inside_macros_and_through_a_module_alias_count() {
    let files = [
        ("src/lib.rs", "mod a;\nmod b;\n"),
        (
            "src/a.rs",
            "fn f() -> String {\n    format!(\"{}\", crate::b::NAME)\n}\n",
        ),
        (
            "src/b.rs",
            "use crate::a as there;\npub const NAME: &str = \"\";\nfn g() { there::f(); }\n",
        ),
    ];
    let cycles = cycles_of(&files);
    assert_eq!(cycles.len(), 1);
    let shown = cycles[0].to_string();
    assert!(shown.contains("at src/a.rs:2 (crate::b::NAME)"), "{shown}");
}

#[test]
fn a_glob_re_export_is_followed_to_its_module() {
    let files = [
        ("src/lib.rs", "mod a;\nmod b;\npub use a::*;\n"),
        ("src/a.rs", "pub fn f() { crate::b::g(); }\n"),
        ("src/b.rs", "pub fn g() { crate::f(); }\n"),
    ];
    assert_eq!(members(&files), ["a, b"]);
}

#[test]
fn test_code_and_external_crates_are_left_out() {
    let files = [
        (
            "src/lib.rs",
            "mod a;\nmod b;\n#[cfg(test)]\nmod fixtures;\n",
        ),
        ("src/a.rs", "use std::sync::Arc;\nuse super::b::X;\n"),
        (
            "src/b.rs",
            "pub struct X;\n#[cfg(test)]\nmod tests {\n    use super::super::a;\n}\n\
             #[cfg(test)]\nuse crate::a::Arc;\n\
             #[cfg(all(test, not(target_arch = \"wasm32\")))]\nmod native {\n    use crate::a;\n}\n",
        ),
    ];
    assert!(members(&files).is_empty());
    let also_built = files[2].1.replace("all(test,", "any(test,");
    let files = [files[0], files[1], ("src/b.rs", &also_built)];
    assert_eq!(members(&files), ["a, b"]);
}

#[test]
fn a_circle_of_three_names_the_group_s_other_edges() {
    let files = [
        ("src/lib.rs", "mod a;\nmod b;\nmod c;\nmod d;\n"),
        ("src/a.rs", "use crate::b::B;\npub struct A;\n"),
        ("src/b.rs", "use crate::c::C;\npub struct B;\n"),
        (
            "src/c.rs",
            "use crate::{a::A, b::B, d::D};\npub struct C;\n",
        ),
        ("src/d.rs", "pub struct D;\n"),
    ];
    let cycles = cycles_of(&files);
    assert_eq!(cycles.len(), 1);
    assert_eq!(cycles[0].members(), ["a", "b", "c"]);
    let shown = cycles[0].to_string();
    assert!(shown.starts_with("fixture: a → b → c → a\n"), "{shown}");
    assert!(
        shown.contains("within the same group:\n    c uses b at src/c.rs:1"),
        "{shown}"
    );
    // Two circles through `a`: one group, whose members the chain alone does not name.
    let files = [
        ("src/lib.rs", "mod a;\nmod b;\nmod c;\n"),
        ("src/a.rs", "use crate::{b::B, c::C};\npub struct A;\n"),
        ("src/b.rs", "use crate::a::A;\npub struct B;\n"),
        ("src/c.rs", "use crate::a::A;\npub struct C;\n"),
    ];
    let cycles = cycles_of(&files);
    assert_eq!(cycles.len(), 1);
    assert_eq!(cycles[0].members(), ["a", "b", "c"]);
}

#[test]
fn a_missing_module_file_or_a_path_attribute_is_an_error() {
    assert!(crate_of(&[("src/lib.rs", "mod gone;\n")]).is_err());
    let moved = [
        ("src/lib.rs", "#[path = \"x.rs\"]\nmod a;\n"),
        ("src/x.rs", ""),
    ];
    assert!(crate_of(&moved).is_err());
}
