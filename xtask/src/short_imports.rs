//! Short import names for the release wasm and its script.
//!
//! wasm-bindgen names each function the wasm imports from its script after the Rust
//! binding and a 16-digit hash (`__wbg_appendChild_dbf7ad2f48413560`), and writes every
//! name twice: in the wasm's import section and as a key of the imports object in the
//! script. The hashes are random digits to a compressor, and each file is compressed on
//! its own, so they cost both files; this step gives every import a name of one or two
//! letters in both files at once. The names are never seen by anyone: a wasm import is
//! looked up by its exact name in the object the script hands to `instantiate`.
//!
//! Everything but the import names stays byte for byte: the other sections are copied
//! as they are, and only the script's identifier tokens equal to an old name change.
//! Each old name must be one token of the script exactly once (its key), so a glue
//! that names an import elsewhere too, or not at all, stops the build instead of
//! shipping a wasm whose imports the script does not provide.

use std::collections::HashMap;

use anyhow::{Context, Result, bail};
use wasm_encoder::reencode::{Reencode, RoundtripReencoder};
use wasm_encoder::{ImportSection, Module, RawSection};
use wasmparser::{Parser, Payload};

/// The wasm and its script with every import renamed.
pub struct Shortened {
    pub wasm: Vec<u8>,
    pub script: String,
}

/// Renames each import of `wasm` to a short name, and the key that provides it in
/// `script`.
pub fn shorten_imports(wasm: &[u8], script: &str) -> Result<Shortened> {
    let mut names = HashMap::new();
    let mut module = Module::new();
    for payload in Parser::new(0).parse_all(wasm) {
        let payload = payload.context("reading the wasm")?;
        if let Payload::ImportSection(reader) = payload {
            let mut imports = ImportSection::new();
            for import in reader.into_imports() {
                let import = import.context("reading the wasm's imports")?;
                let short = short_name(names.len());
                if names
                    .insert(import.name.to_owned(), short.clone())
                    .is_some()
                {
                    bail!("the wasm imports {:?} twice", import.name);
                }
                let ty = RoundtripReencoder
                    .entity_type(import.ty)
                    .context("re-encoding an import's type")?;
                imports.import(import.module, &short, ty);
            }
            module.section(&imports);
        } else if let Some((id, range)) = payload.as_section() {
            module.section(&RawSection {
                id,
                data: &wasm[range],
            });
        }
    }
    let script = rename_tokens(script, &names)?;
    Ok(Shortened {
        wasm: module.finish(),
        script,
    })
}

/// The `index`th name of `a`…`z`, `A`…`Z`, `aa`, `ab`…: each a valid property name.
fn short_name(mut index: usize) -> String {
    const LETTERS: &[u8] = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
    let mut name = Vec::new();
    loop {
        name.push(char::from(LETTERS[index % LETTERS.len()]));
        index /= LETTERS.len();
        if index == 0 {
            break;
        }
        index -= 1;
    }
    name.iter().rev().collect()
}

/// `script` with each identifier token found in `names` replaced; every name must be
/// found exactly once.
fn rename_tokens(script: &str, names: &HashMap<String, String>) -> Result<String> {
    let is_ident = |byte: u8| byte.is_ascii_alphanumeric() || byte == b'_' || byte == b'$';
    let bytes = script.as_bytes();
    let mut out = String::with_capacity(script.len());
    let mut seen: HashMap<&str, usize> = HashMap::new();
    let mut start = 0;
    while start < bytes.len() {
        let end = if is_ident(bytes[start]) {
            start + bytes[start..].iter().take_while(|&&b| is_ident(b)).count()
        } else {
            // Up to the next ASCII identifier byte: a char boundary.
            start + bytes[start..].iter().take_while(|&&b| !is_ident(b)).count()
        };
        let token = &script[start..end];
        match names.get_key_value(token) {
            Some((old, short)) => {
                *seen.entry(old.as_str()).or_default() += 1;
                out.push_str(short);
            }
            None => out.push_str(token),
        }
        start = end;
    }
    for old in names.keys() {
        match seen.get(old.as_str()).copied().unwrap_or(0) {
            1 => {}
            0 => bail!("the script does not provide the wasm's import {old:?}"),
            n => bail!("the script names the wasm's import {old:?} {n} times, not once"),
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_encoder::{EntityType, ExportKind, ExportSection, TypeSection, ValType};

    /// A module importing `names` (one function type each) and exporting `memory`.
    fn module_importing(names: &[&str]) -> Vec<u8> {
        let mut types = TypeSection::new();
        types.ty().function([ValType::I32], [ValType::I32]);
        let mut imports = ImportSection::new();
        for name in names {
            imports.import("./app_bg.js", name, EntityType::Function(0));
        }
        imports.import(
            "./app_bg.js",
            "__wbindgen_memory_0000000000000001",
            wasm_encoder::MemoryType {
                minimum: 1,
                maximum: None,
                memory64: false,
                shared: false,
                page_size_log2: None,
            },
        );
        let mut exports = ExportSection::new();
        exports.export("memory", ExportKind::Memory, 0);
        let mut module = Module::new();
        module.section(&types).section(&imports).section(&exports);
        module.finish()
    }

    fn imports_of(wasm: &[u8]) -> Vec<(String, String)> {
        let mut found = Vec::new();
        for payload in Parser::new(0).parse_all(wasm) {
            if let Ok(Payload::ImportSection(reader)) = payload {
                for import in reader.into_imports().flatten() {
                    found.push((import.module.to_owned(), import.name.to_owned()));
                }
            }
        }
        found
    }

    #[test]
    fn renames_each_import_in_both_files_and_keeps_the_rest() {
        let wasm = module_importing(&[
            "__wbg_append_0123456789abcdef",
            "__wbg_now_fedcba9876543210",
        ]);
        let script = "const n={__proto__:null,__wbg_append_0123456789abcdef:function(n,e){n.append(e)},\
                      __wbg_now_fedcba9876543210:()=>Date.now(),\
                      \"__wbindgen_memory_0000000000000001\":m};n.__wbg_append_0123456789abcdefx=1;";
        let shortened = shorten_imports(&wasm, script).expect("renamed");

        assert_eq!(
            imports_of(&shortened.wasm),
            [
                ("./app_bg.js", "a"),
                ("./app_bg.js", "b"),
                ("./app_bg.js", "c")
            ]
            .map(|(m, n)| (m.to_owned(), n.to_owned()))
        );
        assert_eq!(
            shortened.script,
            "const n={__proto__:null,a:function(n,e){n.append(e)},b:()=>Date.now(),\"c\":m};\
             n.__wbg_append_0123456789abcdefx=1;"
        );
        wasmparser::validate(&shortened.wasm).expect("a valid module");
        // The memory import keeps its type, the export section is copied.
        assert_eq!(
            &shortened.wasm[shortened.wasm.len() - 10..],
            &wasm[wasm.len() - 10..]
        );
    }

    #[test]
    fn stops_when_the_script_does_not_provide_an_import_once() {
        let wasm = module_importing(&["__wbg_now_fedcba9876543210"]);
        let missing = "const n={__wbindgen_memory_0000000000000001:m};";
        let error = shorten_imports(&wasm, missing)
            .err()
            .expect("refused")
            .to_string();
        assert!(
            error.contains("does not provide") && error.contains("__wbg_now"),
            "{error}"
        );

        let twice = "const n={__wbg_now_fedcba9876543210:f,__wbindgen_memory_0000000000000001:m};\
                     n.__wbg_now_fedcba9876543210();";
        let error = shorten_imports(&wasm, twice)
            .err()
            .expect("refused")
            .to_string();
        assert!(error.contains("2 times"), "{error}");
    }

    #[test]
    fn short_names_are_unique_letters() {
        let names: Vec<String> = (0..52 * 53 + 5).map(short_name).collect();
        assert_eq!(names[0], "a");
        assert_eq!(names[51], "Z");
        assert_eq!(names[52], "aa");
        assert_eq!(names[52 + 52 * 52], "aaa");
        let unique: std::collections::HashSet<&String> = names.iter().collect();
        assert_eq!(unique.len(), names.len());
        assert!(
            names
                .iter()
                .all(|n| n.bytes().all(|b| b.is_ascii_alphabetic()))
        );
    }
}
