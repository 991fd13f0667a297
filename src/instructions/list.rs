//! The rules of the instructions a person keeps, as plain data: which recent ones are
//! offered, what a saved one may hold, and which match what is typed. Nothing here
//! touches the browser, so all of it is tested natively.

use seedream_contract::prompt::{PROMPT_MAX_CHARS, prompt_char_count};
use seedream_contract::text::truncate_chars;

use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;

/// The most instructions saved with a name: a screenful of names to scroll, and a
/// few tens of KB of storage at the prompt's limit.
pub const MAX_SAVED: usize = 100;
/// The longest name kept.
pub const MAX_NAME_CHARS: usize = 60;
/// The most recent instructions offered.
pub const MAX_RECENT: usize = 20;
/// The most suggestions listed at once: the list stays a glance, and typing narrows it.
pub const MAX_SHOWN: usize = 8;
/// A default name's length: the instruction's first words.
const DEFAULT_NAME_CHARS: usize = 40;

/// An instruction saved with a name.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SavedInstruction {
    pub name: String,
    pub text: String,
}

impl SavedInstruction {
    /// The entry a person (or a file) asked for, tidied: the text trimmed, non-empty
    /// and within the prompt's limit; the name trimmed, cut to [`MAX_NAME_CHARS`], and
    /// when empty the text's first words. `None` when the text cannot be saved.
    pub fn vetted(name: &str, text: &str) -> Option<SavedInstruction> {
        let text = text.trim();
        if text.is_empty() || prompt_char_count(text) > PROMPT_MAX_CHARS {
            return None;
        }
        let name = one_line(name);
        let name = if name.is_empty() {
            default_name(text)
        } else {
            truncate_chars(&name, MAX_NAME_CHARS)
        };
        Some(SavedInstruction {
            name,
            text: text.to_owned(),
        })
    }
}

/// The name offered for `text` before the person types one: its first line, cut
/// after a whole word where it has spaces (Chinese has none: cut at the length).
pub fn default_name(text: &str) -> String {
    let first = one_line(text.trim().lines().next().unwrap_or_default());
    let Some((cut, _)) = first.char_indices().nth(DEFAULT_NAME_CHARS) else {
        return first;
    };
    let head = first.get(..cut).unwrap_or_default();
    // At a space, unless that leaves less than half.
    let head = match head.rfind(' ') {
        Some(space)
            if head
                .get(..space)
                .is_some_and(|w| w.chars().count() * 2 >= DEFAULT_NAME_CHARS) =>
        {
            head.get(..space).unwrap_or(head)
        }
        _ => head,
    };
    format!("{}…", head.trim_end_matches([',', '.', ';', ':', ' ']))
}

/// `text` with its runs of whitespace (line breaks too) made one space, trimmed.
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Whether two instructions say the same: equal once whitespace runs are one space.
/// "Turn it into a watercolour" and "Turn it  into a watercolour\n" are one.
pub fn same_text(a: &str, b: &str) -> bool {
    a.split_whitespace().eq(b.split_whitespace())
}

/// The recent instructions, from `prompts` newest first (the history's order): each
/// once (its newest use), none empty, at most [`MAX_RECENT`].
pub fn recent<'a>(prompts: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for prompt in prompts {
        if out.len() == MAX_RECENT {
            break;
        }
        let prompt = prompt.trim();
        if !prompt.is_empty() && !out.iter().any(|seen| same_text(seen, prompt)) {
            out.push(prompt.to_owned());
        }
    }
    out
}

/// The list is full: nothing was saved.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Full;

/// `list` with `entry` saved first. An entry with the same text is replaced (saving
/// again renames it); else a full list refuses it.
pub fn with_saved(
    list: &[SavedInstruction],
    entry: SavedInstruction,
) -> Result<Vec<SavedInstruction>, Full> {
    let others: Vec<SavedInstruction> = list
        .iter()
        .filter(|saved| !same_text(&saved.text, &entry.text))
        .cloned()
        .collect();
    if others.len() >= MAX_SAVED {
        return Err(Full);
    }
    Ok(std::iter::once(entry).chain(others).collect())
}

/// `list` without the entry saying `text`.
pub fn without(list: &[SavedInstruction], text: &str) -> Vec<SavedInstruction> {
    list.iter()
        .filter(|saved| !same_text(&saved.text, text))
        .cloned()
        .collect()
}

/// `list` with those of `incoming` it does not say yet, after its own, up to
/// [`MAX_SAVED`]; and how many were added. What is here already wins (its name too).
pub fn merged(
    list: &[SavedInstruction],
    incoming: &[SavedInstruction],
) -> (Vec<SavedInstruction>, usize) {
    let mut out = list.to_vec();
    let mut added = 0;
    for entry in incoming {
        if out.len() >= MAX_SAVED {
            break;
        }
        if !out.iter().any(|saved| same_text(&saved.text, &entry.text)) {
            out.push(entry.clone());
            added += 1;
        }
    }
    (out, added)
}

/// What the instruction field offers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Suggestion {
    Saved(SavedInstruction),
    Recent(String),
}

impl Suggestion {
    /// The instruction it fills in.
    pub fn text(&self) -> &str {
        match self {
            Suggestion::Saved(saved) => &saved.text,
            Suggestion::Recent(text) => text,
        }
    }
}

/// The suggestions for what the field holds (`typed`): those whose name or text
/// contains it, ignoring case and spacing (all of them for an empty field); the saved
/// first, in their order, then the recent ones not saved; at most [`MAX_SHOWN`].
pub fn suggestions(typed: &str, saved: &[SavedInstruction], recent: &[String]) -> Vec<Suggestion> {
    let wanted = folded(typed);
    let matches = |text: &str| wanted.is_empty() || folded(text).contains(&wanted);
    let saved_matches = saved
        .iter()
        .filter(|entry| matches(&entry.name) || matches(&entry.text))
        .map(|entry| Suggestion::Saved(entry.clone()));
    let recent_matches = recent
        .iter()
        .filter(|text| !saved.iter().any(|entry| same_text(&entry.text, text)))
        .filter(|text| matches(text))
        .map(|text| Suggestion::Recent(text.clone()));
    saved_matches
        .chain(recent_matches)
        .take(MAX_SHOWN)
        .collect()
}

/// `text` for matching: ASCII letters in lower case, whitespace runs as one space,
/// trimmed. Only ASCII is folded: Chinese has no case, and full Unicode case tables
/// would cost the first load about 19 KB of wasm for the rare accented capital.
fn folded(text: &str) -> String {
    one_line(text).to_ascii_lowercase()
}

/// The saved instructions in stored JSON (an array), each entry read on its own: a
/// damaged or unknown entry is left out rather than losing the others.
pub fn read_stored(json: &str) -> Vec<SavedInstruction> {
    let Ok(values) = serde_json::from_str::<Vec<&RawValue>>(json) else {
        return Vec::new();
    };
    let entries: Vec<SavedInstruction> = values
        .into_iter()
        .filter_map(|value| serde_json::from_str::<SavedInstruction>(value.get()).ok())
        .collect();
    vetted_all(&entries)
}

/// `entries` as they may be kept: each vetted, no text twice, at most [`MAX_SAVED`].
pub fn vetted_all(entries: &[SavedInstruction]) -> Vec<SavedInstruction> {
    let vetted: Vec<SavedInstruction> = entries
        .iter()
        .filter_map(|entry| SavedInstruction::vetted(&entry.name, &entry.text))
        .collect();
    merged(&[], &vetted).0
}

#[cfg(test)]
#[path = "list_tests.rs"]
mod tests;
