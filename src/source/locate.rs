//! Finds where a value sits in RON source, so that problems found after parsing
//! (an undefined exercise, a duplicate name) can still name their line and column.
//!
//! It is a small tokenizer and a walker over brackets: enough to follow a path such as
//! `agenda[3].min` through any RON that serde accepted, with or without struct names.
//! Each bracket's children are listed once and kept, so finding every segment of a long
//! agenda takes time in proportion to the file, not to its square.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

/// A 1-based line and column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Position {
    pub line: usize,
    pub col: usize,
}

impl Position {
    pub const START: Position = Position { line: 1, col: 1 };
}

/// One step of a path into a RON document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PathStep<'a> {
    Field(&'a str),
    Index(usize),
    /// A map entry by its key (a string key, without quotes).
    Key(&'a str),
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Tok {
    Ident(String),
    Str(String),
    Open(char),
    Close(char),
    Comma,
    Colon,
    Other,
}

/// The children of one bracketed value: the token index of each one's key (for `field:`
/// or `"key":` entries) and where its value starts.
type Children = Rc<Vec<(Option<usize>, usize)>>;

/// An index of the tokens of one RON document.
pub struct Locator {
    tokens: Vec<(Tok, Position)>,
    /// For each opening bracket, the index just past its closing one.
    past_close: HashMap<usize, usize>,
    children: RefCell<HashMap<usize, Children>>,
}

impl Locator {
    pub fn new(source: &str) -> Self {
        let tokens = tokenize(source);
        let mut past_close = HashMap::new();
        let mut open = Vec::new();
        for (i, (tok, _)) in tokens.iter().enumerate() {
            match tok {
                Tok::Open(_) => open.push(i),
                Tok::Close(_) => {
                    if let Some(start) = open.pop() {
                        past_close.insert(start, i + 1);
                    }
                }
                _ => {}
            }
        }
        Self {
            tokens,
            past_close,
            children: RefCell::new(HashMap::new()),
        }
    }

    fn key(&self, token: usize) -> Option<&str> {
        match self.tokens.get(token) {
            Some((Tok::Ident(name) | Tok::Str(name), _)) => Some(name),
            _ => None,
        }
    }

    /// Where the value at `path` starts, or the nearest enclosing value that exists.
    pub fn find(&self, path: &[PathStep]) -> Position {
        let mut at = self.root();
        let mut found = self.position(at);
        for step in path {
            match self.descend(at, *step) {
                Some((report, value)) => {
                    at = value;
                    found = self.position(report);
                }
                None => break,
            }
        }
        found
    }

    /// The keys of the map or struct at `path`, with where each is written, in file order.
    /// Unlike serde, this sees a key written twice.
    pub fn keys_at(&self, path: &[PathStep]) -> Vec<(String, Position)> {
        let mut at = self.root();
        for step in path {
            match self.descend(at, *step) {
                Some((_, value)) => at = value,
                None => return Vec::new(),
            }
        }
        self.children(at)
            .iter()
            .filter_map(|(key, value)| {
                let key = self.key((*key)?)?;
                Some((key.to_owned(), self.position(value.saturating_sub(2))))
            })
            .collect()
    }

    /// The first bracket that does not match: a closing one of the wrong kind, or an
    /// opening one never closed. Said in words a person can act on.
    pub fn unbalanced(&self) -> Option<(Position, String)> {
        let mut open: Vec<(char, Position)> = Vec::new();
        for (tok, at) in &self.tokens {
            match tok {
                Tok::Open(c) => open.push((*c, *at)),
                Tok::Close(c) => match open.pop() {
                    Some((o, _)) if closer(o) == *c => {}
                    Some((o, from)) => {
                        return Some((
                            *at,
                            format!(
                                "found `{c}` but the `{o}` opened at line {}, column {} is not closed: expected `{}` first",
                                from.line,
                                from.col,
                                closer(o)
                            ),
                        ));
                    }
                    None => return Some((*at, format!("found `{c}` with nothing open to close"))),
                },
                _ => {}
            }
        }
        open.pop().map(|(o, from)| {
            (
                from,
                format!(
                    "this `{o}` is never closed: expected `{}` before the end of the file",
                    closer(o)
                ),
            )
        })
    }

    /// The struct name of the top-level value (`Plan` in `Plan(…)`), if it has one.
    pub fn root_name(&self) -> Option<&str> {
        match self.tokens.get(self.root()) {
            Some((Tok::Ident(name), _)) => Some(name),
            _ => None,
        }
    }

    fn position(&self, index: usize) -> Position {
        self.tokens.get(index).map_or(Position::START, |(_, p)| *p)
    }

    /// The first token of the top-level value: skips `#![enable(…)]` attributes.
    fn root(&self) -> usize {
        let mut i = 0;
        while let Some((Tok::Other, _)) = self.tokens.get(i) {
            // `#` `!` `[` … `]`: skip the attribute's bracket group.
            i += 1;
            if let Some((Tok::Other, _)) = self.tokens.get(i) {
                i += 1;
            }
            if let Some((Tok::Open(_), _)) = self.tokens.get(i) {
                i = self.skip_value(i);
            }
        }
        i
    }

    /// Index just past the value starting at `i`.
    fn skip_value(&self, mut i: usize) -> usize {
        if let Some((Tok::Ident(_), _)) = self.tokens.get(i) {
            i += 1;
            if !matches!(self.tokens.get(i), Some((Tok::Open(_), _))) {
                return i;
            }
        }
        match self.tokens.get(i) {
            // An unclosed bracket runs to the end.
            Some((Tok::Open(_), _)) => self.past_close.get(&i).copied().unwrap_or(self.tokens.len()),
            Some(_) => i + 1,
            None => i,
        }
    }

    /// The first token of each element of the bracketed value at `i`, with the token of
    /// its key (for `field:` or `"key":` entries) when there is one. Listed once, then kept.
    fn children(&self, i: usize) -> Children {
        if let Some(known) = self.children.borrow().get(&i) {
            return known.clone();
        }
        let listed = Rc::new(self.list_children(i));
        self.children.borrow_mut().insert(i, listed.clone());
        listed
    }

    fn list_children(&self, mut i: usize) -> Vec<(Option<usize>, usize)> {
        if let Some((Tok::Ident(_), _)) = self.tokens.get(i) {
            i += 1;
        }
        if !matches!(self.tokens.get(i), Some((Tok::Open(_), _))) {
            return Vec::new();
        }
        i += 1;
        let mut out = Vec::new();
        while let Some((tok, _)) = self.tokens.get(i) {
            match tok {
                Tok::Close(_) => break,
                Tok::Comma => i += 1,
                Tok::Ident(_) | Tok::Str(_) if matches!(self.tokens.get(i + 1), Some((Tok::Colon, _))) => {
                    out.push((Some(i), i + 2));
                    i = self.skip_value(i + 2);
                }
                _ => {
                    out.push((None, i));
                    i = self.skip_value(i);
                }
            }
        }
        out
    }

    /// The child of `at` named by `step`: the token to report (a field's key, an
    /// element's first token) and the index where its value starts.
    fn descend(&self, at: usize, step: PathStep) -> Option<(usize, usize)> {
        let children = self.children(at);
        match step {
            PathStep::Index(n) => children.get(n).map(|(_, i)| (*i, *i)),
            PathStep::Field(name) | PathStep::Key(name) => children
                .iter()
                .find(|(key, _)| key.and_then(|k| self.key(k)) == Some(name))
                .map(|(_, value)| (value.saturating_sub(2), *value)),
        }
    }
}

fn closer(open: char) -> char {
    match open {
        '(' => ')',
        '[' => ']',
        _ => '}',
    }
}

/// A cursor over the source that keeps the line and column of the next character.
struct Scanner {
    chars: Vec<char>,
    at: usize,
    line: usize,
    col: usize,
}

impl Scanner {
    fn peek(&self, ahead: usize) -> Option<char> {
        self.chars.get(self.at + ahead).copied()
    }

    fn bump(&mut self) -> Option<char> {
        let ch = self.peek(0)?;
        self.at += 1;
        if ch == '\n' {
            self.line += 1;
            self.col = 1;
        } else {
            self.col += 1;
        }
        Some(ch)
    }

    fn position(&self) -> Position {
        Position {
            line: self.line,
            col: self.col,
        }
    }

    /// Skips a block comment after its `/*`; RON's block comments nest.
    fn block_comment(&mut self) {
        let mut depth = 1usize;
        while depth > 0 {
            match (self.bump(), self.peek(0)) {
                (Some('*'), Some('/')) => {
                    self.bump();
                    depth -= 1;
                }
                (Some('/'), Some('*')) => {
                    self.bump();
                    depth += 1;
                }
                (None, _) => return,
                _ => {}
            }
        }
    }

    /// Reads a quoted string after its opening quote, with backslash escapes.
    fn string(&mut self, quote: char) -> String {
        let mut text = String::new();
        while let Some(c) = self.bump() {
            match c {
                '\\' => {
                    if let Some(escaped) = self.bump() {
                        text.push(escaped);
                    }
                }
                c if c == quote => break,
                c => text.push(c),
            }
        }
        text
    }

    /// Reads a raw string `r#"…"#` after its `r`: no escapes, ends at `"` and as many `#`.
    fn raw_string(&mut self) -> String {
        let mut hashes = 0;
        while self.peek(0) == Some('#') {
            self.bump();
            hashes += 1;
        }
        self.bump(); // the opening quote
        let mut text = String::new();
        while let Some(c) = self.bump() {
            if c == '"' && (0..hashes).all(|i| self.peek(i) == Some('#')) {
                for _ in 0..hashes {
                    self.bump();
                }
                break;
            }
            text.push(c);
        }
        text
    }

    fn is_raw_string_start(&self) -> bool {
        let mut i = 0;
        while self.peek(i) == Some('#') {
            i += 1;
        }
        self.peek(i) == Some('"')
    }
}

fn tokenize(source: &str) -> Vec<(Tok, Position)> {
    let mut tokens = Vec::new();
    let mut scan = Scanner {
        chars: source.chars().collect(),
        at: 0,
        line: 1,
        col: 1,
    };
    while let Some(ch) = scan.peek(0) {
        let here = scan.position();
        scan.bump();
        match ch {
            '/' if scan.peek(0) == Some('/') => {
                while let Some(c) = scan.bump() {
                    if c == '\n' {
                        break;
                    }
                }
            }
            '/' if scan.peek(0) == Some('*') => {
                scan.bump();
                scan.block_comment();
            }
            '"' => tokens.push((Tok::Str(scan.string('"')), here)),
            '\'' => tokens.push((Tok::Str(scan.string('\'')), here)),
            'r' | 'b' if scan.is_raw_string_start() && (ch == 'r' || scan.peek(0) == Some('"')) => {
                let text = if ch == 'r' {
                    scan.raw_string()
                } else {
                    scan.bump().map_or_else(String::new, |_| scan.string('"'))
                };
                tokens.push((Tok::Str(text), here));
            }
            '(' | '[' | '{' => tokens.push((Tok::Open(ch), here)),
            ')' | ']' | '}' => tokens.push((Tok::Close(ch), here)),
            ',' => tokens.push((Tok::Comma, here)),
            ':' => tokens.push((Tok::Colon, here)),
            c if c.is_alphanumeric() || c == '_' => {
                let mut word = c.to_string();
                while let Some(next) = scan
                    .peek(0)
                    .filter(|n| n.is_alphanumeric() || *n == '_' || *n == '.')
                {
                    word.push(next);
                    scan.bump();
                }
                tokens.push((Tok::Ident(word), here));
            }
            c if c.is_whitespace() => {}
            _ => tokens.push((Tok::Other, here)),
        }
    }
    tokens
}

#[cfg(test)]
mod tests {
    use super::*;

    const SOURCE: &str = r#"// comment with ( brackets [
#![enable(implicit_some)]
Plan(
    title: "A (tricky) title",
    agenda: [
        Segment(title: "one", duration: "5m"),
        (title: "two",
         min: "9m"),
    ],
    exercises: { "breath": Exercise(title: "x") },
)
"#;

    #[test]
    fn finds_fields_indices_and_keys() {
        let loc = Locator::new(SOURCE);
        assert_eq!(
            loc.find(&[PathStep::Field("title")]),
            Position { line: 4, col: 5 }
        );
        assert_eq!(
            loc.find(&[PathStep::Field("agenda"), PathStep::Index(0)]),
            Position { line: 6, col: 9 }
        );
        assert_eq!(
            loc.find(&[
                PathStep::Field("agenda"),
                PathStep::Index(1),
                PathStep::Field("min")
            ]),
            Position { line: 8, col: 10 }
        );
        assert_eq!(
            loc.find(&[PathStep::Field("exercises"), PathStep::Key("breath")]),
            Position { line: 10, col: 18 }
        );
    }

    #[test]
    fn raw_strings_chars_and_nested_comments_do_not_confuse_it() {
        let source = "Plan(\n  a: r#\"he said \"(\" once\"#,\n  /* outer /* inner */ ( still */\n  b: '(',\n  c: 1,\n)";
        let loc = Locator::new(source);
        assert_eq!(loc.find(&[PathStep::Field("c")]), Position { line: 5, col: 3 });
    }

    #[test]
    fn falls_back_to_the_nearest_existing_parent() {
        let loc = Locator::new(SOURCE);
        assert_eq!(
            loc.find(&[PathStep::Field("agenda"), PathStep::Index(7)]),
            Position { line: 5, col: 5 }
        );
        assert_eq!(Locator::new("").find(&[PathStep::Field("x")]), Position::START);
    }
}
