//! Finds where a value sits in RON source, so that problems found after parsing
//! (an undefined exercise, a duplicate name) can still name their line and column.
//!
//! It is a small tokenizer and a walker over brackets: enough to follow a path such as
//! `agenda[3].min` through any RON that serde accepted, with or without struct names.

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
    Close,
    Comma,
    Colon,
    Other,
}

/// An index of the tokens of one RON document.
pub struct Locator {
    tokens: Vec<(Tok, Position)>,
}

impl Locator {
    pub fn new(source: &str) -> Self {
        Self {
            tokens: tokenize(source),
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
            Some((Tok::Open(_), _)) => {
                let mut depth = 0usize;
                while let Some((tok, _)) = self.tokens.get(i) {
                    match tok {
                        Tok::Open(_) => depth += 1,
                        Tok::Close => {
                            depth = depth.saturating_sub(1);
                            if depth == 0 {
                                return i + 1;
                            }
                        }
                        _ => {}
                    }
                    i += 1;
                }
                i
            }
            Some(_) => i + 1,
            None => i,
        }
    }

    /// The first token of each element of the bracketed value at `i`, with the
    /// key (for `field:` or `"key":` entries) when there is one.
    fn children(&self, i: usize) -> Vec<(Option<&str>, usize)> {
        let mut i = i;
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
                Tok::Close => break,
                Tok::Comma => i += 1,
                Tok::Ident(name) | Tok::Str(name)
                    if matches!(self.tokens.get(i + 1), Some((Tok::Colon, _))) =>
                {
                    out.push((Some(name.as_str()), i + 2));
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
                .find(|(key, _)| *key == Some(name))
                .map(|(_, value)| (value.saturating_sub(2), *value)),
        }
    }
}

fn tokenize(source: &str) -> Vec<(Tok, Position)> {
    let mut tokens = Vec::new();
    let mut chars = source.chars().peekable();
    let (mut line, mut col) = (1usize, 1usize);
    let advance = |ch: char, line: &mut usize, col: &mut usize| {
        if ch == '\n' {
            *line += 1;
            *col = 1;
        } else {
            *col += 1;
        }
    };
    while let Some(ch) = chars.next() {
        let here = Position { line, col };
        advance(ch, &mut line, &mut col);
        match ch {
            '/' if chars.peek() == Some(&'/') => {
                for c in chars.by_ref() {
                    advance(c, &mut line, &mut col);
                    if c == '\n' {
                        break;
                    }
                }
            }
            '/' if chars.peek() == Some(&'*') => {
                let mut prev = ' ';
                for c in chars.by_ref() {
                    advance(c, &mut line, &mut col);
                    if prev == '*' && c == '/' {
                        break;
                    }
                    prev = c;
                }
            }
            '"' => {
                let mut text = String::new();
                let mut escaped = false;
                for c in chars.by_ref() {
                    advance(c, &mut line, &mut col);
                    if escaped {
                        escaped = false;
                        text.push(c);
                    } else if c == '\\' {
                        escaped = true;
                    } else if c == '"' {
                        break;
                    } else {
                        text.push(c);
                    }
                }
                tokens.push((Tok::Str(text), here));
            }
            '(' | '[' | '{' => tokens.push((Tok::Open(ch), here)),
            ')' | ']' | '}' => tokens.push((Tok::Close, here)),
            ',' => tokens.push((Tok::Comma, here)),
            ':' => tokens.push((Tok::Colon, here)),
            c if c.is_alphanumeric() || c == '_' => {
                let mut word = c.to_string();
                while let Some(&next) = chars.peek() {
                    if next.is_alphanumeric() || next == '_' || next == '.' {
                        word.push(next);
                        advance(next, &mut line, &mut col);
                        chars.next();
                    } else {
                        break;
                    }
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
    fn falls_back_to_the_nearest_existing_parent() {
        let loc = Locator::new(SOURCE);
        assert_eq!(
            loc.find(&[PathStep::Field("agenda"), PathStep::Index(7)]),
            Position { line: 5, col: 5 }
        );
        assert_eq!(Locator::new("").find(&[PathStep::Field("x")]), Position::START);
    }
}
