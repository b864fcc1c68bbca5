//! Confidentiality by construction: every text placed in a member's progress note is
//! rewritten so that no *other* member is named, and the group part names no member at all.
//!
//! How a name is found:
//! - whole words only, with Unicode word boundaries ("Dev" in "development" is untouched);
//! - case-insensitive, with diacritics and compatibility forms folded ("Zoë", "zoe", "ZOE");
//! - the full name, and each part of it alone ("Farhana Akter", "Farhana", "Akter"), each
//!   half of a hyphenated part too ("Adebayo-Williams": "Adebayo", "Williams"), except
//!   single letters and particles after the first part ("de", "van", "bin"…);
//! - a possessive keeps its ending: "Rafiq's" becomes "another group member's".
//!
//! What is not rewritten but warned about, so the facilitator decides:
//! - a name that is also an everyday word (Joy, Will, Grace…: see `common_names`);
//! - in a member's own note, a name another member shares with them (two called Sam);
//! - any word left that is part of another member's name (one no rule above rewrote).
//!
//! Warnings point into the text as given (byte ranges), so an editor can mark the word
//! beside the field that holds it.

use std::collections::HashMap;
use std::ops::Range;

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

use super::WrapUp;
use super::common_names::is_common_word;

/// What another member's name becomes in a member's note.
pub const ANOTHER_MEMBER: &str = "another group member";
/// What any member's name becomes in the group part.
pub const A_MEMBER: &str = "a group member";

/// Name parts that are not names on their own when they follow the first part.
const PARTICLES: &[&str] = &[
    "al", "bin", "bint", "da", "das", "de", "del", "della", "der", "di", "dos", "du", "el", "ibn", "la",
    "le", "st", "ter", "van", "von",
];

/// The roster's names, prepared once for looking them up in many texts.
#[derive(Debug, Clone, Default)]
pub struct Names {
    members: Vec<MemberForms>,
    /// Folded first word → (member, form) that start with it.
    by_first: HashMap<String, Vec<(usize, usize)>>,
}

#[derive(Debug, Clone, Default)]
struct MemberForms {
    /// The ways the name can be written: token sequences, folded.
    forms: Vec<Form>,
    /// Every folded word of the name (two letters or more), for the final check and to
    /// tell a member's own words apart.
    words: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Form {
    tokens: Vec<String>,
    /// Only ever warned about: an everyday word.
    common: bool,
    /// A word of the name that is looked for only to recognise the member's own name
    /// (a particle, or half of a hyphenated part).
    own_only: bool,
}

/// A text with names rewritten, and what the facilitator should look at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Redacted {
    pub text: String,
    pub warnings: Vec<Warning>,
}

/// A word that may name a member and was left as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    /// The word (or words) as written.
    pub word: String,
    /// Where it is in the text that was given, in bytes.
    pub range: Range<usize>,
    /// Whose name it may be: an index into the roster.
    pub member: usize,
    pub reason: Reason,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reason {
    /// The name is also an everyday word ("Joy", "Will"), so it was not rewritten.
    CommonWord,
    /// The member whose note this is has this name too: it may be them, or the other.
    SharesOwnName,
    /// A word of another member's name that no rule rewrote (half of a hyphenated name).
    PartOfName,
}

impl Reason {
    /// The reason in two or three words, for a list of words to check.
    pub fn short(self) -> &'static str {
        match self {
            Reason::CommonWord => "an everyday word",
            Reason::SharesOwnName => "two members' name",
            Reason::PartOfName => "part of a name",
        }
    }
}

impl Warning {
    /// The warning in words, for beside the field or on the command line.
    pub fn message(&self) -> String {
        let why = match self.reason {
            Reason::CommonWord => "is a member's name and an everyday word; it was left as written",
            Reason::SharesOwnName => "is this member's name and another member's too; it was left as written",
            Reason::PartOfName => "is part of another member's name and was left as written",
        };
        format!(
            "\u{201c}{}\u{201d} {why}: check that it names no other member",
            self.word
        )
    }

    /// 1-based line and column (in characters) of the word in `text`, the text it was found in.
    pub fn line_col(&self, text: &str) -> (usize, usize) {
        let before = text.get(..self.range.start).unwrap_or(text);
        let line = before.matches('\n').count() + 1;
        let col = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
        (line, col)
    }
}

/// `text` lowercased, with diacritics and compatibility forms folded: "Zoë" → "zoe",
/// "ß" → "ss", "ＡＢ" → "ab". Letters that do not decompose get a plain look-alike.
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in text.nfkd() {
        if is_combining_mark(ch) || is_ignorable(ch) {
            continue;
        }
        match ch {
            'ø' | 'Ø' => out.push('o'),
            'ł' | 'Ł' => out.push('l'),
            'đ' | 'Đ' | 'ð' | 'Ð' => out.push('d'),
            'ħ' | 'Ħ' => out.push('h'),
            'ŧ' | 'Ŧ' => out.push('t'),
            'ı' => out.push('i'),
            'ς' => out.push('σ'),
            'æ' | 'Æ' => out.push_str("ae"),
            'œ' | 'Œ' => out.push_str("oe"),
            'ß' | 'ẞ' => out.push_str("ss"),
            'þ' | 'Þ' => out.push_str("th"),
            c => out.extend(c.to_lowercase().filter(|c| !is_combining_mark(*c))),
        }
    }
    out
}

/// Invisible characters that may sit inside a word (a zero-width space pasted in, a soft
/// hyphen, a control or direction character that the Markdown and terminal escapers
/// remove): they must not split a name in two, or the name would be whole again once they
/// are removed.
fn is_ignorable(ch: char) -> bool {
    (ch.is_control() && !ch.is_whitespace())
        || matches!(
            ch,
            '\u{ad}' | '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2060}'..='\u{2069}' | '\u{feff}'
        )
}

fn is_word_char(ch: char) -> bool {
    ch.is_alphanumeric() || is_combining_mark(ch) || is_ignorable(ch)
}

/// What may stand between the words of one name: "Farhana Akter", "Mary-Jane", "O'Neil".
fn joins_name(between: &str) -> bool {
    !between.is_empty()
        && between.chars().all(|c| {
            c.is_whitespace() || matches!(c, '-' | '\'' | '\u{2010}' | '\u{2011}' | '\u{2018}' | '\u{2019}')
        })
}

/// A title before a name ("Mr. Islam", "Dr Akter"): rewritten with the name, so that no
/// "Mr. another group member" is left.
fn is_honorific(folded: &str) -> bool {
    matches!(folded, "dr" | "miss" | "mister" | "mr" | "mrs" | "ms" | "mx")
}

/// The gap between a title and a name: spaces, or a full stop and spaces.
fn follows_title(between: &str) -> bool {
    let rest = between.strip_prefix('.').unwrap_or(between);
    !rest.is_empty() && rest.chars().all(char::is_whitespace)
}

/// A word of a text: where it is, its folded form, and what lies between it and the word
/// before.
#[derive(Debug, Clone)]
struct Token {
    range: Range<usize>,
    folded: String,
    /// What separates it from the word before (empty for the first word).
    gap: Range<usize>,
}

fn tokens(text: &str) -> Vec<Token> {
    let mut ranges = Vec::new();
    let mut start = None;
    for (i, ch) in text.char_indices() {
        match (is_word_char(ch), start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                ranges.push(s..i);
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        ranges.push(s..text.len());
    }
    let mut out: Vec<Token> = Vec::with_capacity(ranges.len());
    for range in ranges {
        let folded = fold(&text[range.clone()]);
        // A word of marks or invisible characters alone folds to nothing: it is no word.
        if folded.is_empty() {
            continue;
        }
        let gap = out.last().map_or(0..0, |before| before.range.end..range.start);
        out.push(Token { range, folded, gap });
    }
    out
}

/// The words placed in for a name: adding them must never create a name, so a name made of
/// them is only warned about (they are in the everyday-word list) and never part of a
/// longer form.
fn is_replacement_word(word: &str) -> bool {
    matches!(word, "a" | "another" | "group" | "member")
}

impl MemberForms {
    fn of(name: &str) -> MemberForms {
        let mut forms: Vec<Form> = Vec::new();
        let mut add = |form: Form| {
            if !form.tokens.is_empty() && !forms.iter().any(|f| f.tokens == form.tokens) {
                forms.push(form);
            }
        };
        let all: Vec<String> = tokens(name).into_iter().map(|t| t.folded).collect();
        let multi = |tokens: Vec<String>| {
            let usable = tokens.len() >= 2
                && !tokens.first().is_some_and(|t| is_replacement_word(t))
                && !tokens.last().is_some_and(|t| is_replacement_word(t));
            usable.then_some(Form {
                tokens,
                common: false,
                own_only: false,
            })
        };
        if let Some(full) = multi(all.clone()) {
            add(full);
        }
        for (i, part) in name.split_whitespace().enumerate() {
            let words: Vec<String> = tokens(part).into_iter().map(|t| t.folded).collect();
            match words.as_slice() {
                [] => {}
                [word] => {
                    if word.chars().count() < 2 || (i > 0 && PARTICLES.contains(&word.as_str())) {
                        continue;
                    }
                    add(Form {
                        common: is_common_word(word),
                        tokens: vec![word.clone()],
                        own_only: false,
                    });
                }
                _ => {
                    // Each half of "Adebayo-Williams" names its member on its own too; an
                    // everyday-word half ("Grace-Ann") is only warned about.
                    for word in &words {
                        if word.chars().count() >= 2 && !PARTICLES.contains(&word.as_str()) {
                            add(Form {
                                common: is_common_word(word),
                                tokens: vec![word.clone()],
                                own_only: false,
                            });
                        }
                    }
                    if let Some(form) = multi(words) {
                        add(form);
                    }
                }
            }
        }
        let words: Vec<String> = all.into_iter().filter(|w| w.chars().count() >= 2).collect();
        // Every word alone, for recognising the member's own name in their own note.
        for word in &words {
            add(Form {
                tokens: vec![word.clone()],
                common: is_common_word(word),
                own_only: true,
            });
        }
        MemberForms { forms, words }
    }

    /// Words of the name that, left in a text, may still name the member.
    fn telling_words(&self) -> impl Iterator<Item = &String> {
        self.words
            .iter()
            .filter(|w| !PARTICLES.contains(&w.as_str()) && !is_replacement_word(w))
    }
}

/// What to do with the words found at one place.
enum Found {
    /// This member's own name, in their own note: kept.
    Own,
    /// Another member's name: rewritten.
    Replace,
    /// Left as written, with a warning: whose name it may be, and why.
    Warn(usize, Reason),
}

impl Names {
    /// The names of a roster, in roster order (indices are roster indices).
    pub fn new<I, S>(names: I) -> Names
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let members: Vec<MemberForms> = names.into_iter().map(|n| MemberForms::of(n.as_ref())).collect();
        let mut by_first: HashMap<String, Vec<(usize, usize)>> = HashMap::new();
        for (m, member) in members.iter().enumerate() {
            for (f, form) in member.forms.iter().enumerate() {
                if let Some(first) = form.tokens.first() {
                    by_first.entry(first.clone()).or_default().push((m, f));
                }
            }
        }
        Names { members, by_first }
    }

    /// The names of a wrap-up's members.
    pub fn of(wrapup: &WrapUp) -> Names {
        Names::new(wrapup.members.iter().map(|m| m.name.as_str()))
    }

    /// `text` for the note of member `member`: every other member's name becomes
    /// "another group member". An index outside the roster treats everyone as another.
    pub fn for_member(&self, member: usize, text: &str) -> Redacted {
        self.rewrite(text, Some(member), None, ANOTHER_MEMBER)
    }

    /// `text` for the group part: every member's name becomes "a group member".
    pub fn for_group(&self, text: &str) -> Redacted {
        self.rewrite(text, None, None, A_MEMBER)
    }

    /// `text` for the group part, known to be about member `about` (a flag about them):
    /// their name is rewritten even when it is an everyday word, since here it is them.
    pub fn for_group_about(&self, about: usize, text: &str) -> Redacted {
        self.rewrite(text, None, Some(about), A_MEMBER)
    }

    /// The longest name starting at token `i`, and what to do with it.
    fn find(
        &self,
        text: &str,
        words: &[Token],
        i: usize,
        own: Option<usize>,
        about: Option<usize>,
    ) -> Option<(usize, Found)> {
        let candidates = self.by_first.get(&words[i].folded)?;
        let mut best: Option<(usize, Vec<(usize, usize)>)> = None;
        for &(m, f) in candidates {
            let form = &self.members[m].forms[f];
            if form.own_only && Some(m) != own {
                continue;
            }
            if !matches_at(text, words, i, &form.tokens) {
                continue;
            }
            let len = form.tokens.len();
            match &mut best {
                Some((best_len, found)) if *best_len == len => found.push((m, f)),
                Some((best_len, _)) if *best_len > len => {}
                _ => best = Some((len, vec![(m, f)])),
            }
        }
        let (len, found) = best?;
        let is_own = |&&(m, _): &&(usize, usize)| Some(m) == own;
        let other = found.iter().find(|mf| !is_own(mf));
        let action = match (found.iter().find(is_own), other) {
            (Some(_), Some(&(m, _))) => Found::Warn(m, Reason::SharesOwnName),
            (Some(_), None) => Found::Own,
            (None, Some(&(m, f))) if self.members[m].forms[f].common && Some(m) != about => {
                Found::Warn(m, Reason::CommonWord)
            }
            (None, Some(_)) => Found::Replace,
            (None, None) => return None,
        };
        Some((len, action))
    }

    fn rewrite(&self, text: &str, own: Option<usize>, about: Option<usize>, replacement: &str) -> Redacted {
        let words = tokens(text);
        let mut out = String::with_capacity(text.len());
        let mut warnings = Vec::new();
        let mut copied = 0;
        // Tokens that need no final check: rewritten, warned about, or the member's own.
        let mut settled = vec![false; words.len()];
        let mut i = 0;
        while i < words.len() {
            let Some((len, found)) = self.find(text, &words, i, own, about) else {
                i += 1;
                continue;
            };
            let mut range = words[i].range.start..words[i + len - 1].range.end;
            settled[i..i + len].fill(true);
            match found {
                Found::Own => {}
                Found::Warn(member, reason) => warnings.push(Warning {
                    word: text[range.clone()].to_owned(),
                    range,
                    member,
                    reason,
                }),
                Found::Replace => {
                    let title = i.checked_sub(1).filter(|&t| {
                        !settled[t]
                            && is_honorific(&words[t].folded)
                            && follows_title(&text[words[i].gap.clone()])
                    });
                    if let Some(t) = title {
                        settled[t] = true;
                        range.start = words[t].range.start;
                    }
                    out.push_str(&text[copied..range.start]);
                    if starts_sentence(&text[..range.start]) {
                        out.push_str(&capitalised(replacement));
                    } else {
                        out.push_str(replacement);
                    }
                    copied = range.end;
                }
            }
            i += len;
        }
        out.push_str(&text[copied..]);
        // The last check: a word of another member's name that nothing above caught.
        for (word, _) in words.iter().zip(&settled).filter(|(_, settled)| !**settled) {
            let named = self
                .members
                .iter()
                .enumerate()
                .filter(|(m, _)| Some(*m) != own)
                .find(|(_, member)| member.telling_words().any(|w| *w == word.folded));
            if let Some((member, _)) = named {
                warnings.push(Warning {
                    word: text[word.range.clone()].to_owned(),
                    range: word.range.clone(),
                    member,
                    reason: Reason::PartOfName,
                });
            }
        }
        warnings.sort_by_key(|w| w.range.start);
        Redacted { text: out, warnings }
    }
}

/// Whether the words of `form` are at token `i` of `text`, joined as a name's words are.
fn matches_at(text: &str, words: &[Token], i: usize, form: &[String]) -> bool {
    let Some(window) = words.get(i..i + form.len()) else {
        return false;
    };
    window.iter().zip(form).all(|(w, f)| w.folded == *f)
        && window.iter().skip(1).all(|w| joins_name(&text[w.gap.clone()]))
}

/// Whether what comes before begins a sentence: nothing, or a full stop, a question or
/// exclamation mark, or a line break, then spaces.
fn starts_sentence(before: &str) -> bool {
    match before.trim_end_matches([' ', '\t']).chars().next_back() {
        None => true,
        Some(c) => matches!(c, '.' | '!' | '?' | '\n' | '\r'),
    }
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}
