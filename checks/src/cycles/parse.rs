//! A crate's sources as a module tree: which names each module holds (child modules,
//! items, `use` bindings and globs) and every path its code writes, each with the
//! module it is written in and its `file:line`.
//!
//! Parsed exactly with `syn`; what is read:
//! - the module files from the crate root through each `mod x;` (`x.rs` or `x/mod.rs`,
//!   beside the root or `mod.rs`, else in the folder named after the file), and inline
//!   `mod x { … }` blocks; `#[path = …]` is refused rather than guessed;
//! - every `use` (groups, `self`, renames, globs, `pub` or not, also inside function
//!   bodies, where they count as the module's own);
//! - every path in code, types, patterns and attributes with at least two segments
//!   or starting with `crate`, `super` or `self`, and such paths among the tokens of
//!   macro calls (`view! { … }`, `format!(…)`): what they mean is not parsed, so an
//!   identifier followed by `::` counts as a path there.
//!
//! Not read: items compiled for tests only, `#[cfg(test)]` or `#[cfg(all(test, …))]`
//! (test modules, inline or in their own file, and test-only imports: tests may reach
//! anywhere; `any(test, …)` is read); code from `include!` (such as the generated
//! `i18n` module: a path into it stays in the module that includes it); textually
//! scoped `macro_rules!` (`#[macro_use]`), which have no path; doc comments (an
//! intra-doc link is no dependency).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, anyhow, bail};
use proc_macro2::{Spacing, TokenStream, TokenTree};
use syn::punctuated::Punctuated;
use syn::visit::{self, Visit};
use syn::{Attribute, Item, ItemUse, Macro, Meta, Token, UseTree};

/// A module's path from its crate's root (empty for the root).
pub type ModPath = Vec<String>;

/// The names one module holds.
#[derive(Debug, Default)]
pub struct Module {
    pub children: BTreeSet<String>,
    /// Items defined here (functions, types, constants, traits, macros).
    pub items: BTreeSet<String>,
    /// Names brought in by `use`, with the path as written (relative to this module).
    pub bindings: BTreeMap<String, Vec<String>>,
    /// The paths of `use …::*`, as written.
    pub globs: Vec<Vec<String>>,
}

impl Module {
    pub fn holds(&self, name: &str) -> bool {
        self.children.contains(name)
            || self.items.contains(name)
            || self.bindings.contains_key(name)
    }
}

/// A path written in the code of `module`, at `site` (`file:line`).
#[derive(Debug)]
pub struct Reference {
    pub module: ModPath,
    pub path: Vec<String>,
    pub site: String,
}

/// One crate (one root file): its modules and every path they write.
#[derive(Debug)]
pub struct Crate {
    pub name: String,
    pub modules: BTreeMap<ModPath, Module>,
    pub references: Vec<Reference>,
}

/// Reads the crate whose root is `root_file` (a path relative to the workspace, as
/// `read` takes and the sites name them).
pub fn load(name: &str, root_file: &Path, read: &dyn Fn(&Path) -> Option<String>) -> Result<Crate> {
    let mut krate = Crate {
        name: name.to_owned(),
        modules: BTreeMap::new(),
        references: Vec::new(),
    };
    let folder = root_file.parent().unwrap_or(Path::new("")).to_path_buf();
    load_file(&mut krate, Vec::new(), root_file, folder, read)?;
    Ok(krate)
}

/// Where a module's code is and where its `mod x;` files are.
struct Place<'a> {
    file: &'a str,
    folder: PathBuf,
}

fn load_file(
    krate: &mut Crate,
    module: ModPath,
    file: &Path,
    folder: PathBuf,
    read: &dyn Fn(&Path) -> Option<String>,
) -> Result<()> {
    let text = read(file).with_context(|| format!("reading {}", file.display()))?;
    let shown = file.display().to_string();
    let parsed = syn::parse_file(&text).map_err(|error| {
        let at = error.span().start();
        anyhow!("{shown}:{}:{}: {error}", at.line, at.column + 1)
    })?;
    let place = Place {
        file: &shown,
        folder,
    };
    load_items(krate, module, &parsed.items, &place, read)
}

fn load_items(
    krate: &mut Crate,
    module: ModPath,
    items: &[Item],
    place: &Place,
    read: &dyn Fn(&Path) -> Option<String>,
) -> Result<()> {
    krate.modules.entry(module.clone()).or_default();
    for item in items {
        if is_cfg_test(attributes(item)) {
            continue;
        }
        match item {
            Item::Mod(child) => {
                if child.attrs.iter().any(|attr| attr.path().is_ident("path")) {
                    bail!(
                        "{}: `#[path]` on `mod {}` is not followed",
                        place.file,
                        child.ident
                    );
                }
                let name = child.ident.to_string();
                let mut path = module.clone();
                path.push(name.clone());
                let folder = place.folder.join(&name);
                krate
                    .modules
                    .entry(module.clone())
                    .or_default()
                    .children
                    .insert(name.clone());
                match &child.content {
                    Some((_, items)) => {
                        let inline = Place {
                            file: place.file,
                            folder,
                        };
                        load_items(krate, path, items, &inline, read)?;
                    }
                    None => {
                        let beside = place.folder.join(format!("{name}.rs"));
                        let file = if read(&beside).is_some() {
                            beside
                        } else {
                            folder.join("mod.rs")
                        };
                        load_file(krate, path, &file, folder, read)?;
                    }
                }
            }
            Item::Use(import) => record_use(krate, &module, import, place.file),
            _ => {
                if let Some(name) = item_name(item) {
                    krate
                        .modules
                        .entry(module.clone())
                        .or_default()
                        .items
                        .insert(name);
                }
                Paths {
                    krate,
                    module: &module,
                    file: place.file,
                }
                .visit_item(item);
            }
        }
    }
    Ok(())
}

/// Collects the paths inside one item (and its nested `use`s).
struct Paths<'a> {
    krate: &'a mut Crate,
    module: &'a ModPath,
    file: &'a str,
}

impl<'ast> Visit<'ast> for Paths<'_> {
    fn visit_item(&mut self, item: &'ast Item) {
        if is_cfg_test(attributes(item)) {
            return;
        }
        match item {
            Item::Use(import) => record_use(self.krate, self.module, import, self.file),
            _ => visit::visit_item(self, item),
        }
    }

    fn visit_path(&mut self, path: &'ast syn::Path) {
        if path.leading_colon.is_none() {
            let segments: Vec<String> = path.segments.iter().map(|s| s.ident.to_string()).collect();
            if let Some(first) = path.segments.first() {
                self.reference(segments, first.ident.span().start().line);
            }
        }
        visit::visit_path(self, path);
    }

    fn visit_macro(&mut self, mac: &'ast Macro) {
        let mut found = Vec::new();
        paths_in_tokens(mac.tokens.clone(), &mut found);
        for (segments, line) in found {
            self.reference(segments, line);
        }
        visit::visit_macro(self, mac);
    }
}

impl Paths<'_> {
    fn reference(&mut self, path: Vec<String>, line: usize) {
        let anchored = matches!(path[0].as_str(), "crate" | "super" | "self");
        if path.len() >= 2 || anchored {
            self.krate.references.push(Reference {
                module: self.module.clone(),
                path,
                site: format!("{}:{line}", self.file),
            });
        }
    }
}

/// Each `ident(::ident)+` run in `tokens`, in groups too, with the line it starts on.
fn paths_in_tokens(tokens: TokenStream, found: &mut Vec<(Vec<String>, usize)>) {
    let tokens: Vec<TokenTree> = tokens.into_iter().collect();
    let colons = |at: usize| {
        matches!((tokens.get(at), tokens.get(at + 1)),
            (Some(TokenTree::Punct(a)), Some(TokenTree::Punct(b)))
                if a.as_char() == ':' && a.spacing() == Spacing::Joint && b.as_char() == ':')
    };
    let mut at = 0;
    while at < tokens.len() {
        match &tokens[at] {
            TokenTree::Group(group) => paths_in_tokens(group.stream(), found),
            // An identifier right after `::` is in an external path (`::std::…`) or one
            // broken by generics (`Vec::<u8>::new`), never the start of one.
            TokenTree::Ident(first) if !(at >= 2 && colons(at - 2)) => {
                let mut path = vec![first.to_string()];
                while colons(at + 1) {
                    let Some(TokenTree::Ident(next)) = tokens.get(at + 3) else {
                        break;
                    };
                    path.push(next.to_string());
                    at += 3;
                }
                found.push((path, first.span().start().line));
            }
            _ => {}
        }
        at += 1;
    }
}

/// Records a `use` in `module`: a reference per imported path, and its bindings.
fn record_use(krate: &mut Crate, module: &ModPath, import: &ItemUse, file: &str) {
    if import.leading_colon.is_some() {
        return;
    }
    let mut leaves = Vec::new();
    flatten(&import.tree, &mut Vec::new(), &mut leaves);
    for (name, path, line) in leaves {
        let names = krate.modules.entry(module.clone()).or_default();
        match name {
            None => names.globs.push(path.clone()),
            Some(name) if name != "_" => {
                names.bindings.entry(name).or_insert_with(|| path.clone());
            }
            Some(_) => {}
        }
        krate.references.push(Reference {
            module: module.clone(),
            path,
            site: format!("{file}:{line}"),
        });
    }
}

/// The leaves of a `use` tree: the name bound (None for a glob), the full path as
/// written, and its line.
fn flatten(
    tree: &UseTree,
    prefix: &mut Vec<String>,
    leaves: &mut Vec<(Option<String>, Vec<String>, usize)>,
) {
    match tree {
        UseTree::Path(step) => {
            prefix.push(step.ident.to_string());
            flatten(&step.tree, prefix, leaves);
            prefix.pop();
        }
        UseTree::Name(leaf) => leaves.push(leaf_of(prefix, &leaf.ident, &leaf.ident)),
        UseTree::Rename(leaf) => leaves.push(leaf_of(prefix, &leaf.ident, &leaf.rename)),
        UseTree::Glob(glob) => {
            leaves.push((None, prefix.clone(), glob.star_token.spans[0].start().line))
        }
        UseTree::Group(group) => {
            for tree in &group.items {
                flatten(tree, prefix, leaves);
            }
        }
    }
}

/// `prefix::ident as bound`; `self` in a group names the prefix itself.
fn leaf_of(
    prefix: &[String],
    ident: &syn::Ident,
    bound: &syn::Ident,
) -> (Option<String>, Vec<String>, usize) {
    let line = ident.span().start().line;
    let mut path = prefix.to_vec();
    if ident == "self" && !prefix.is_empty() {
        let name = if bound == "self" {
            prefix[prefix.len() - 1].clone()
        } else {
            bound.to_string()
        };
        return (Some(name), path, line);
    }
    path.push(ident.to_string());
    (Some(bound.to_string()), path, line)
}

/// Whether `attrs` compile their item for tests only: `#[cfg(test)]`, or `test` among
/// the terms of `#[cfg(all(…))]`.
fn is_cfg_test(attrs: &[Attribute]) -> bool {
    fn test_only(meta: &Meta) -> bool {
        match meta {
            Meta::Path(path) => path.is_ident("test"),
            Meta::List(list) if list.path.is_ident("all") => list
                .parse_args_with(Punctuated::<Meta, Token![,]>::parse_terminated)
                .is_ok_and(|terms| terms.iter().any(test_only)),
            _ => false,
        }
    }
    attrs.iter().any(|attr| {
        attr.path().is_ident("cfg") && attr.parse_args::<Meta>().is_ok_and(|meta| test_only(&meta))
    })
}

fn attributes(item: &Item) -> &[Attribute] {
    match item {
        Item::Const(item) => &item.attrs,
        Item::Enum(item) => &item.attrs,
        Item::ExternCrate(item) => &item.attrs,
        Item::Fn(item) => &item.attrs,
        Item::ForeignMod(item) => &item.attrs,
        Item::Impl(item) => &item.attrs,
        Item::Macro(item) => &item.attrs,
        Item::Mod(item) => &item.attrs,
        Item::Static(item) => &item.attrs,
        Item::Struct(item) => &item.attrs,
        Item::Trait(item) => &item.attrs,
        Item::TraitAlias(item) => &item.attrs,
        Item::Type(item) => &item.attrs,
        Item::Union(item) => &item.attrs,
        Item::Use(item) => &item.attrs,
        _ => &[],
    }
}

/// The name an item defines in its module, if any.
fn item_name(item: &Item) -> Option<String> {
    let ident = match item {
        Item::Const(item) => &item.ident,
        Item::Enum(item) => &item.ident,
        Item::Fn(item) => &item.sig.ident,
        Item::Macro(item) => item.ident.as_ref()?,
        Item::Static(item) => &item.ident,
        Item::Struct(item) => &item.ident,
        Item::Trait(item) => &item.ident,
        Item::TraitAlias(item) => &item.ident,
        Item::Type(item) => &item.ident,
        Item::Union(item) => &item.ident,
        _ => return None,
    };
    Some(ident.to_string())
}
