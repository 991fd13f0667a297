//! References that follow the images: when an input image is moved or removed, the
//! instruction's references to images by position ("Image 2", "the second image",
//! "图2", "第二张图") are rewritten to the images' new positions, in English and
//! Chinese. A removed image's references become a visible marker ("Image ?", "图?");
//! nothing is deleted. Other numbers never change ("2 cats", "2048", "2K", "保留2只猫"),
//! and neither does a number beyond the images there were.
//!
//! Plain text scanning, no regular expressions (their engine would ship in the wasm):
//! a reference is a keyword and a number, or an ordinal and a keyword.

use seedream_contract::PROMPT_MAX_CHARS;

/// What happened to the list.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ListEdit {
    /// The image at `from` is now at `to` (0-based).
    Moved { from: usize, to: usize },
    /// The image at `index` was removed.
    Removed { index: usize },
}

impl ListEdit {
    /// Where the image at `old` (0-based) is now; `None` once removed.
    pub fn new_position(self, old: usize) -> Option<usize> {
        match self {
            ListEdit::Moved { from, to } if old == from => Some(to),
            ListEdit::Moved { from, to } if from < to && (from + 1..=to).contains(&old) => {
                Some(old - 1)
            }
            ListEdit::Moved { from, to } if to < from && (to..from).contains(&old) => Some(old + 1),
            ListEdit::Moved { .. } => Some(old),
            ListEdit::Removed { index } if old == index => None,
            ListEdit::Removed { index } if old > index => Some(old - 1),
            ListEdit::Removed { .. } => Some(old),
        }
    }
}

/// What following a list edit did to an instruction.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Followed {
    /// The instruction, rewritten: `moved` references now name other positions,
    /// `orphaned` name a removed image (marked `?`).
    Rewritten {
        text: String,
        moved: usize,
        orphaned: usize,
    },
    /// The rewrite would make it longer than the limit: left as it was.
    TooLong { chars: usize },
}

/// Rewrites `prompt`'s references to images (of `count` images before the edit) as
/// `edit` moved them; `None` when no reference changes.
pub fn follow(prompt: &str, count: usize, edit: ListEdit) -> Option<Followed> {
    let mut out = String::with_capacity(prompt.len() + 8);
    let (mut moved, mut orphaned) = (0, 0);
    let mut rest = prompt;
    while !rest.is_empty() {
        let at_word_start = out
            .chars()
            .last()
            .is_none_or(|c| !c.is_ascii_alphanumeric());
        if let Some(found) =
            reference(rest, at_word_start).filter(|f| (1..=count).contains(&f.number))
        {
            let new = edit.new_position(found.number - 1).map(|i| i + 1);
            match new {
                Some(new) if new == found.number => out.push_str(&rest[..found.len]),
                Some(new) => {
                    moved += 1;
                    out.push_str(&rest[..found.number_at]);
                    out.push_str(&found.style.write(new));
                    out.push_str(&rest[found.number_end..found.len]);
                }
                None => {
                    orphaned += 1;
                    out.push_str(&rest[..found.number_at]);
                    out.push('?');
                    out.push_str(&rest[found.number_end..found.len]);
                }
            }
            rest = &rest[found.len..];
            continue;
        }
        let next = rest.chars().next().map_or(1, char::len_utf8);
        out.push_str(&rest[..next]);
        rest = &rest[next..];
    }
    if moved == 0 && orphaned == 0 {
        return None;
    }
    let chars = out.chars().count();
    Some(if chars > PROMPT_MAX_CHARS {
        Followed::TooLong { chars }
    } else {
        Followed::Rewritten {
            text: out,
            moved,
            orphaned,
        }
    })
}

/// How a reference wrote its number, so the new one is written alike.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Style {
    Digits,
    /// "2nd", "3rd".
    DigitOrdinal,
    /// "second".
    WordOrdinal {
        capital: bool,
    },
    /// 二, 十四.
    Chinese,
}

impl Style {
    fn write(self, n: usize) -> String {
        match self {
            Style::Digits => n.to_string(),
            Style::DigitOrdinal => {
                let suffix = match (n % 10, n % 100) {
                    (_, 11..=13) => "th",
                    (1, _) => "st",
                    (2, _) => "nd",
                    (3, _) => "rd",
                    _ => "th",
                };
                format!("{n}{suffix}")
            }
            Style::WordOrdinal { capital } => {
                let word = ORDINALS.get(n.wrapping_sub(1)).copied().unwrap_or("?");
                if capital {
                    let mut chars = word.chars();
                    chars
                        .next()
                        .map(|first| first.to_uppercase().chain(chars).collect())
                        .unwrap_or_default()
                } else {
                    word.to_owned()
                }
            }
            Style::Chinese => chinese_numeral(n),
        }
    }
}

/// A reference at the start of a text: its byte length, where its number is, which
/// number (1-based) and how it is written.
#[derive(Debug)]
struct Found {
    len: usize,
    number_at: usize,
    number_end: usize,
    number: usize,
    style: Style,
}

const KEYWORDS: [&str; 5] = ["picture", "image", "photo", "img", "pic"];
const ORDINALS: [&str; 14] = [
    "first",
    "second",
    "third",
    "fourth",
    "fifth",
    "sixth",
    "seventh",
    "eighth",
    "ninth",
    "tenth",
    "eleventh",
    "twelfth",
    "thirteenth",
    "fourteenth",
];
const CHINESE_DIGITS: [char; 10] = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九'];

/// The reference `text` starts with, if any (English ones only at a word's start).
fn reference(text: &str, at_word_start: bool) -> Option<Found> {
    if at_word_start && let Some(found) = english_keyword(text).or_else(|| english_ordinal(text)) {
        return Some(found);
    }
    chinese(text)
}

/// "Image 2", "image #2", "img 2", "picture 2", "photo 2", any case.
fn english_keyword(text: &str) -> Option<Found> {
    let keyword = KEYWORDS.iter().find(|k| {
        text.get(..k.len())
            .is_some_and(|t| t.eq_ignore_ascii_case(k))
    })?;
    let mut at = keyword.len();
    at += spaces(&text[at..]);
    if text[at..].starts_with('#') {
        at += 1;
        at += spaces(&text[at..]);
    }
    let digits = digits(&text[at..]);
    if digits == 0 {
        return None;
    }
    let end = at + digits;
    if text[end..].starts_with(|c: char| c.is_ascii_alphanumeric()) {
        return None;
    }
    Some(Found {
        len: end,
        number_at: at,
        number_end: end,
        number: text[at..end].parse().ok()?,
        style: Style::Digits,
    })
}

/// "the second image", "the 2nd image" (the ordinal and its keyword).
fn english_ordinal(text: &str) -> Option<Found> {
    let (number, number_end, style) = if let Some((index, word)) =
        ORDINALS.iter().enumerate().find(|(_, w)| {
            text.get(..w.len())
                .is_some_and(|t| t.eq_ignore_ascii_case(w))
        }) {
        let capital = text.starts_with(|c: char| c.is_uppercase());
        (index + 1, word.len(), Style::WordOrdinal { capital })
    } else {
        let digits = digits(text);
        let suffix = text.get(digits..digits + 2)?;
        if digits == 0
            || !["st", "nd", "rd", "th"]
                .iter()
                .any(|s| suffix.eq_ignore_ascii_case(s))
        {
            return None;
        }
        (
            text[..digits].parse().ok()?,
            digits + 2,
            Style::DigitOrdinal,
        )
    };
    let gap = spaces(&text[number_end..]);
    if gap == 0 {
        return None;
    }
    let after = &text[number_end + gap..];
    let keyword = KEYWORDS.iter().find(|k| {
        after
            .get(..k.len())
            .is_some_and(|t| t.eq_ignore_ascii_case(k))
    })?;
    let end = number_end + gap + keyword.len();
    if text[end..].starts_with(|c: char| c.is_ascii_alphanumeric()) {
        return None;
    }
    Some(Found {
        len: end,
        number_at: 0,
        number_end,
        number,
        style,
    })
}

/// "图2", "图 2", "图片2", "图二", "第2张图", "第二张图", "第2张图片".
fn chinese(text: &str) -> Option<Found> {
    if let Some(after) = text.strip_prefix('第') {
        let at = '第'.len_utf8();
        let (number, len, style) = number_at(after)?;
        let tail = &after[len..];
        let tail = tail.strip_prefix('张')?;
        let word = if tail.starts_with("图片") {
            "图片".len()
        } else if tail.starts_with('图') {
            '图'.len_utf8()
        } else {
            return None;
        };
        return Some(Found {
            len: at + len + '张'.len_utf8() + word,
            number_at: at,
            number_end: at + len,
            number,
            style,
        });
    }
    let word = if text.starts_with("图片") {
        "图片".len()
    } else if text.starts_with('图') {
        '图'.len_utf8()
    } else {
        return None;
    };
    let at = word + spaces(&text[word..]);
    let (number, len, style) = number_at(&text[at..])?;
    // A Chinese numeral directly after 图 only (图 二 is not written).
    if style == Style::Chinese && at != word {
        return None;
    }
    let end = at + len;
    if style == Style::Digits && text[end..].starts_with(|c: char| c.is_ascii_alphanumeric()) {
        return None;
    }
    Some(Found {
        len: end,
        number_at: at,
        number_end: end,
        number,
        style,
    })
}

/// A number at the start of `text`, in digits or Chinese numerals (1 to 99): its
/// value, byte length and style.
fn number_at(text: &str) -> Option<(usize, usize, Style)> {
    let digits = digits(text);
    if digits > 0 {
        return Some((text[..digits].parse().ok()?, digits, Style::Digits));
    }
    let numerals: String = text
        .chars()
        .take_while(|c| *c == '十' || CHINESE_DIGITS[1..].contains(c))
        .take(3)
        .collect();
    let value = parse_chinese(&numerals)?;
    Some((value, numerals.len(), Style::Chinese))
}

fn parse_chinese(text: &str) -> Option<usize> {
    let digit = |c: char| CHINESE_DIGITS.iter().position(|d| *d == c);
    let chars: Vec<char> = text.chars().collect();
    match chars.as_slice() {
        [one] if *one != '十' => digit(*one),
        ['十'] => Some(10),
        ['十', one] => Some(10 + digit(*one)?),
        [tens, '十'] => Some(digit(*tens)? * 10),
        [tens, '十', one] => Some(digit(*tens)? * 10 + digit(*one)?),
        _ => None,
    }
}

fn chinese_numeral(n: usize) -> String {
    let digit = |d: usize| CHINESE_DIGITS.get(d).copied().unwrap_or('?');
    match n {
        1..=9 => digit(n).to_string(),
        10 => "十".to_owned(),
        11..=19 => format!("十{}", digit(n - 10)),
        20..=99 if n.is_multiple_of(10) => format!("{}十", digit(n / 10)),
        20..=99 => format!("{}十{}", digit(n / 10), digit(n % 10)),
        _ => n.to_string(),
    }
}

fn spaces(text: &str) -> usize {
    text.len() - text.trim_start_matches([' ', '\u{a0}']).len()
}

fn digits(text: &str) -> usize {
    text.len() - text.trim_start_matches(|c: char| c.is_ascii_digit()).len()
}

// Natively only: `cargo xtask test` runs the app's unit tests outside a browser.
#[cfg(all(test, not(target_arch = "wasm32")))]
#[path = "references_tests.rs"]
mod tests;
