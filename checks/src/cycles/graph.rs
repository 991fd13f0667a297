//! From the paths a crate writes to the edges between sibling modules, and the cycles
//! among them.
//!
//! A path written in module A is resolved to the module T it lands in, through
//! child modules, `use` bindings (re-exports, `pub` or not) and crate-internal globs.
//! The edge is drawn at their lowest common ancestor P, from P's child holding A to
//! P's child holding T. None when T is P itself (A uses an item its ancestor defines),
//! when T is inside A, or when the path leaves the crate.

use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::fmt;

use super::parse::{Crate, ModPath};

/// How deep re-exports are followed before a path is given up as circular.
const MAX_HOPS: usize = 32;

/// Where one module uses another: the first place met, and the path written there.
#[derive(Debug, Clone)]
pub struct Example {
    pub site: String,
    pub written: String,
}

/// One group of sibling modules that use each other in a circle.
#[derive(Debug)]
pub struct Cycle {
    pub crate_name: String,
    /// Their parent module.
    pub level: ModPath,
    /// One shortest circle through the group's first member, back to it.
    pub chain: Vec<(String, String, Example)>,
    /// The group's other edges, which also need to go for it to be acyclic.
    pub others: Vec<(String, String, Example)>,
}

impl Cycle {
    /// The members' full paths, sorted (each uses another member: the chain's and the
    /// other edges' sources are all of them).
    pub fn members(&self) -> Vec<String> {
        let edges = self.chain.iter().chain(&self.others);
        let names: BTreeSet<&String> = edges.map(|(from, _, _)| from).collect();
        names.into_iter().map(|name| self.full(name)).collect()
    }

    fn full(&self, name: &str) -> String {
        let mut path = self.level.clone();
        path.push(name.to_owned());
        path.join("::")
    }
}

impl fmt::Display for Cycle {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        let mut circle: Vec<String> = self
            .chain
            .iter()
            .map(|(from, _, _)| self.full(from))
            .collect();
        circle.push(circle[0].clone());
        writeln!(f, "{}: {}", self.crate_name, circle.join(" → "))?;
        let edge = |f: &mut fmt::Formatter, (from, to, example): &(String, String, Example)| {
            let (from, to) = (self.full(from), self.full(to));
            writeln!(
                f,
                "    {from} uses {to} at {} ({})",
                example.site, example.written
            )
        };
        for step in &self.chain {
            edge(f, step)?;
        }
        if !self.others.is_empty() {
            writeln!(f, "  and within the same group:")?;
            for step in &self.others {
                edge(f, step)?;
            }
        }
        Ok(())
    }
}

/// Every edge between siblings, by parent: from, to, first example.
type Edges = BTreeMap<ModPath, BTreeMap<String, BTreeMap<String, Example>>>;

fn edges(krate: &Crate) -> Edges {
    let mut edges = Edges::new();
    for reference in &krate.references {
        let Some(target) = krate
            .absolute(&reference.module, &reference.path)
            .and_then(|path| krate.target(&path, 0))
        else {
            continue;
        };
        let from = &reference.module;
        let common = from.iter().zip(&target).take_while(|(a, b)| a == b).count();
        if common == from.len() || common == target.len() {
            continue;
        }
        edges
            .entry(from[..common].to_vec())
            .or_default()
            .entry(from[common].clone())
            .or_default()
            .entry(target[common].clone())
            .or_insert_with(|| Example {
                site: reference.site.clone(),
                written: reference.path.join("::"),
            });
    }
    edges
}

/// The groups of siblings that use each other in a circle, at every level.
pub fn cycles(krate: &Crate) -> Vec<Cycle> {
    let mut cycles = Vec::new();
    for (level, graph) in edges(krate) {
        let reach = |start: &String| {
            let mut seen = BTreeSet::new();
            let mut next = vec![start.clone()];
            while let Some(node) = next.pop() {
                for to in graph.get(&node).into_iter().flat_map(BTreeMap::keys) {
                    if seen.insert(to.clone()) {
                        next.push(to.clone());
                    }
                }
            }
            seen
        };
        let mut grouped = BTreeSet::new();
        for start in graph.keys() {
            if grouped.contains(start) {
                continue;
            }
            let from_start = reach(start);
            if !from_start.contains(start) {
                continue;
            }
            let group: BTreeSet<String> = from_start
                .into_iter()
                .filter(|node| reach(node).contains(start))
                .collect();
            grouped.extend(group.iter().cloned());
            let chain = shortest_circle(&graph, start, &group);
            let others = group
                .iter()
                .flat_map(|from| {
                    graph[from]
                        .iter()
                        .map(move |(to, example)| (from, to, example))
                })
                .filter(|(from, to, _)| {
                    group.contains(*to) && !chain.iter().any(|(f, t, _)| f == *from && t == *to)
                })
                .map(|(from, to, example)| (from.clone(), to.clone(), example.clone()))
                .collect();
            cycles.push(Cycle {
                crate_name: krate.name.clone(),
                level: level.clone(),
                chain,
                others,
            });
        }
    }
    cycles
}

/// A shortest way from `start` back to it within `group` (breadth first).
fn shortest_circle(
    graph: &BTreeMap<String, BTreeMap<String, Example>>,
    start: &String,
    group: &BTreeSet<String>,
) -> Vec<(String, String, Example)> {
    let mut came_from: BTreeMap<&String, &String> = BTreeMap::new();
    let mut queue = VecDeque::from([start]);
    while let Some(node) = queue.pop_front() {
        for to in graph[node].keys().filter(|to| group.contains(*to)) {
            if to == start {
                let mut chain = vec![(node.clone(), start.clone(), graph[node][start].clone())];
                let mut at = node;
                while at != start {
                    let before = came_from[at];
                    chain.push((before.clone(), at.clone(), graph[before][at].clone()));
                    at = before;
                }
                chain.reverse();
                return chain;
            }
            if !came_from.contains_key(to) {
                came_from.insert(to, node);
                queue.push_back(to);
            }
        }
    }
    unreachable!("{start} is in a circle of {group:?}")
}

impl Crate {
    /// `path` as written in `module`, from the crate's root; None if it leaves the crate.
    pub fn absolute(&self, module: &ModPath, path: &[String]) -> Option<Vec<String>> {
        let (first, rest) = path.split_first()?;
        match first.as_str() {
            "crate" => Some(rest.to_vec()),
            "self" | "super" => {
                let mut base = module.clone();
                let mut rest = path;
                while let Some((first, tail)) = rest.split_first() {
                    match first.as_str() {
                        "self" => {}
                        "super" => {
                            base.pop()?;
                        }
                        _ => break,
                    }
                    rest = tail;
                }
                base.extend_from_slice(rest);
                Some(base)
            }
            _ if self.modules.get(module)?.holds(first) => {
                Some(module.iter().chain(path).cloned().collect())
            }
            _ => None,
        }
    }

    /// The module an absolute `path` lands in: the module itself, or the module that
    /// defines its item, through bindings and globs. A name nobody defines (generated
    /// code, a variant) lands in the module it is looked up in.
    pub fn target(&self, path: &[String], hops: usize) -> Option<ModPath> {
        if hops > MAX_HOPS {
            return None;
        }
        let mut here = ModPath::new();
        for (at, name) in path.iter().enumerate() {
            let module = self.modules.get(&here)?;
            if module.children.contains(name) {
                here.push(name.clone());
                continue;
            }
            if module.items.contains(name) {
                return Some(here);
            }
            let rest = &path[at + 1..];
            if let Some(bound) = module.bindings.get(name) {
                let mut bound = self.absolute(&here, bound)?;
                bound.extend_from_slice(rest);
                return self.target(&bound, hops + 1);
            }
            for glob in &module.globs {
                let Some(source) = self
                    .absolute(&here, glob)
                    .and_then(|g| self.target(&g, hops + 1))
                else {
                    continue;
                };
                if source != here && self.modules.get(&source).is_some_and(|m| m.holds(name)) {
                    let through: Vec<String> = source.iter().chain(&path[at..]).cloned().collect();
                    return self.target(&through, hops + 1);
                }
            }
            return Some(here);
        }
        Some(here)
    }
}
