//! A summary's list fields read by a small hand scanner over the RON text, about twenty
//! times faster than the serde parser (which tokenises the skipped turns and airtime into
//! values even when told to ignore them).
//!
//! It reads a strict subset of RON — what holdspace writes, with any layout: no comments,
//! raw or byte strings, characters, maps, exponents or number suffixes, and struct names
//! written out — and checks the whole text, skipped parts included, against that subset.
//! Whatever it is not sure the full parser reads the same way, it declines (`None`), and
//! the caller falls back to [`crate::summary::parse_list_fields`]; so a file either gives
//! exactly what the full parser gives, or is read by the full parser. The property test
//! in `tests.rs` holds it to that on generated and damaged summaries.

use std::borrow::Cow;

use crate::summary::SUMMARY_VERSION;

/// The list fields of a summary, borrowed from its text where no escape needed decoding.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Fields<'a> {
    pub version: u32,
    pub session_id: Cow<'a, str>,
    pub title: Cow<'a, str>,
    pub kind: Cow<'a, str>,
    pub group: Cow<'a, str>,
    pub date: Cow<'a, str>,
    /// Series name, session, of.
    pub series: Option<(Cow<'a, str>, u32, u32)>,
    pub started: Option<Cow<'a, str>>,
    pub ended: Option<Cow<'a, str>>,
    pub planned_secs: u64,
    pub actual_secs: u64,
    pub over_under_secs: i64,
    /// Facilitators' names (their roles are checked, not kept).
    pub facilitators: Vec<Cow<'a, str>>,
    pub trainees: Vec<Cow<'a, str>>,
    /// Members who attended at least part of the session.
    pub present: usize,
    /// Members on the roster.
    pub roster: usize,
    /// Notes tagged risk or follow-up (each once).
    pub flagged_notes: usize,
    /// The summary's own counts of risk and follow-up notes.
    pub risk: usize,
    pub follow_up: usize,
}

/// The list fields of a summary's text, or `None` when the full parser must decide.
pub fn list_fields(source: &str) -> Option<Fields<'_>> {
    if source.contains('\0') {
        return None;
    }
    let mut s = Scan {
        b: source.as_bytes(),
        src: source,
        i: 0,
        depth: 0,
    };
    s.ws();
    // The extension holdspace writes; the reader has it on anyway. Any other changes
    // what values mean.
    if s.peek() == Some(b'#') {
        s.literal(b"#![enable(implicit_some)]")?;
    }
    let fields = s.summary()?;
    s.ws();
    (s.i == s.b.len()).then_some(fields)
}

/// How deep values may nest: well inside the full parser's limit of 128 (which may count
/// two of these levels as more than two of its own).
const MAX_DEPTH: u32 = 32;

/// Integers longer than this are left to the full parser (none overflows `i64`).
const MAX_DIGITS: usize = 18;

/// The bytes that continue an identifier.
const IDENT: [bool; 256] = {
    let mut table = [false; 256];
    let mut c = 0;
    while c < 256 {
        table[c] = matches!(c as u8, b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'_');
        c += 1;
    }
    table
};

/// Where the next `"` or `\\` is: most strings are short, so a plain loop first.
fn find_quote_or_escape(b: &[u8]) -> Option<usize> {
    let head = b.len().min(24);
    match b[..head].iter().position(|&c| c == b'"' || c == b'\\') {
        Some(at) => Some(at),
        None => memchr::memchr2(b'"', b'\\', &b[head..]).map(|at| at + head),
    }
}

struct Scan<'a> {
    src: &'a str,
    b: &'a [u8],
    i: usize,
    depth: u32,
}

/// Identifiers that are values of their own (never followed by a parenthesis).
const SPECIAL: [&str; 9] = [
    "true", "false", "None", "inf", "inff32", "inff64", "NaN", "NaNf32", "NaNf64",
];

/// What a skipped value has open, innermost last: `]` a list, `)` values, `:` named
/// fields, `1` the one value of `Some(…)`.
struct Open {
    closers: [u8; MAX_DEPTH as usize],
    depth: usize,
    /// How deep it may go: what [`MAX_DEPTH`] leaves below the value's own depth.
    room: usize,
}

impl Open {
    /// Nothing open yet, for a value at `depth`.
    fn at(depth: u32) -> Open {
        Open {
            closers: [0; MAX_DEPTH as usize],
            depth: 0,
            room: MAX_DEPTH.saturating_sub(depth) as usize,
        }
    }

    /// Opens one more; `None` past [`MAX_DEPTH`] in all.
    fn push(&mut self, closer: u8) -> Option<()> {
        if self.depth >= self.room {
            return None;
        }
        *self.closers.get_mut(self.depth)? = closer;
        self.depth += 1;
        Some(())
    }

    fn pop(&mut self) {
        self.depth = self.depth.saturating_sub(1);
    }

    fn top(&self) -> Option<u8> {
        self.closers.get(self.depth.checked_sub(1)?).copied()
    }
}

/// The fields of a summary that must be there (the rest default or are ignored).
#[derive(Clone, Copy)]
enum Required {
    Version = 0,
    SessionId,
    Title,
    Kind,
    Group,
    Date,
    PlannedSecs,
    ActualSecs,
    OverUnderSecs,
    Facilitators,
    Trainees,
    Attendance,
    Notes,
    Flags,
    Segments,
    Turns,
    Airtime,
    NeverSpoke,
    Rebalances,
    Downtimes,
    PausedSecs,
    PlanReloads,
}

const ALL_REQUIRED: u32 = (1 << (Required::PlanReloads as u32 + 1)) - 1;

/// Bits of the optional fields, so a second one is refused like the full parser does.
const SERIES: u32 = 1 << 24;
const STARTED: u32 = 1 << 25;
const ENDED: u32 = 1 << 26;

impl<'a> Scan<'a> {
    fn peek(&self) -> Option<u8> {
        self.b.get(self.i).copied()
    }

    #[inline]
    fn ws(&mut self) {
        const SPACES: u64 = u64::from_ne_bytes(*b"        ");
        let b = self.b;
        let mut i = self.i;
        while let Some(&c) = b.get(i) {
            match c {
                b' ' | b'\t' | b'\n' | b'\r' => i += 1,
                _ => break,
            }
            // Indentation comes in runs of spaces: eight at a time.
            while let Some(word) = b.get(i..).and_then(<[u8]>::first_chunk::<8>)
                && u64::from_ne_bytes(*word) == SPACES
            {
                i += 8;
            }
        }
        self.i = i;
    }

    fn literal(&mut self, text: &[u8]) -> Option<()> {
        let end = self.i + text.len();
        (self.b.get(self.i..end)? == text).then(|| self.i = end)
    }

    /// After whitespace, the byte `c`.
    #[inline]
    fn expect(&mut self, c: u8) -> Option<()> {
        self.ws();
        (self.peek()? == c).then(|| self.i += 1)
    }

    /// After whitespace, `c` if it is next.
    #[inline]
    fn eat(&mut self, c: u8) -> bool {
        self.ws();
        let there = self.peek() == Some(c);
        if there {
            self.i += 1;
        }
        there
    }

    /// An ASCII identifier. One running on into other letters, or touching a quote or
    /// `#` (raw and byte strings, raw identifiers), is declined.
    fn ident(&mut self) -> Option<&'a str> {
        self.ws();
        let b = self.b;
        let start = self.i;
        if !matches!(b.get(start)?, b'A'..=b'Z' | b'a'..=b'z' | b'_') {
            return None;
        }
        let mut i = start + 1;
        while let Some(&c) = b.get(i)
            && IDENT[usize::from(c)]
        {
            i += 1;
        }
        if let Some(&c) = b.get(i)
            && (c >= 0x80 || c == b'"' || c == b'#' || c == b'\'')
        {
            return None;
        }
        self.i = i;
        self.src.get(start..i)
    }

    /// A string, its escapes decoded.
    fn string(&mut self) -> Option<Cow<'a, str>> {
        self.expect(b'"')?;
        let start = self.i;
        let mut owned: Option<String> = None;
        let mut from = start;
        loop {
            let at = self.i + find_quote_or_escape(self.b.get(self.i..)?)?;
            if self.b[at] == b'"' {
                self.i = at + 1;
                let tail = self.src.get(from..at)?;
                return Some(match owned {
                    None => Cow::Borrowed(tail),
                    Some(mut text) => {
                        text.push_str(tail);
                        Cow::Owned(text)
                    }
                });
            }
            let text = owned.get_or_insert_with(String::new);
            text.push_str(self.src.get(from..at)?);
            self.i = at + 1;
            text.push(self.escape()?);
            from = self.i;
        }
    }

    /// A string skipped, its escapes checked.
    fn skip_string(&mut self) -> Option<()> {
        self.expect(b'"')?;
        loop {
            let at = self.i + find_quote_or_escape(self.b.get(self.i..)?)?;
            self.i = at + 1;
            if self.b[at] == b'"' {
                return Some(());
            }
            self.escape()?;
        }
    }

    /// The character of an escape, after its backslash: those the full parser reads as
    /// one character (`\x` only for ASCII).
    fn escape(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.i += 1;
        Some(match c {
            b'\'' => '\'',
            b'"' => '"',
            b'\\' => '\\',
            b'n' => '\n',
            b'r' => '\r',
            b't' => '\t',
            b'0' => '\0',
            b'x' => {
                let hex = self.src.get(self.i..self.i + 2)?;
                let code = u8::from_str_radix(hex, 16).ok().filter(|c| c.is_ascii())?;
                if !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
                    return None;
                }
                self.i += 2;
                char::from(code)
            }
            b'u' => {
                self.literal(b"{")?;
                let start = self.i;
                while self.peek().is_some_and(|b| b.is_ascii_hexdigit()) && self.i - start < 6 {
                    self.i += 1;
                }
                let digits = self.src.get(start..self.i).filter(|d| !d.is_empty())?;
                self.literal(b"}")?;
                char::from_u32(u32::from_str_radix(digits, 16).ok()?)?
            }
            _ => return None,
        })
    }

    /// Digits of a number as the full parser surely reads them: no leading zeros, no
    /// sign or suffix glued on, at most [`MAX_DIGITS`].
    fn digits(&mut self) -> Option<u64> {
        let start = self.i;
        while self.peek().is_some_and(|b| b.is_ascii_digit()) {
            self.i += 1;
        }
        let digits = self.b.get(start..self.i)?;
        if digits.is_empty() || digits.len() > MAX_DIGITS || (digits.len() > 1 && digits[0] == b'0') {
            return None;
        }
        Some(digits.iter().fold(0, |n, d| n * 10 + u64::from(d - b'0')))
    }

    /// A number's end: nothing that would make it another kind of number.
    fn number_ends(&self) -> Option<()> {
        match self.peek() {
            Some(c) if c.is_ascii_alphanumeric() || c == b'_' || c == b'.' || c >= 0x80 => None,
            _ => Some(()),
        }
    }

    fn unsigned(&mut self) -> Option<u64> {
        self.ws();
        let n = self.digits()?;
        self.number_ends()?;
        Some(n)
    }

    fn signed(&mut self) -> Option<i64> {
        self.ws();
        let negative = self.peek() == Some(b'-');
        if negative {
            self.i += 1;
        }
        let n = i64::try_from(self.digits()?).ok()?;
        self.number_ends()?;
        match (negative, n) {
            (true, 0) => None,
            (true, n) => Some(-n),
            (false, n) => Some(n),
        }
    }

    fn boolean(&mut self) -> Option<bool> {
        match self.ident()? {
            "true" => Some(true),
            "false" => Some(false),
            _ => None,
        }
    }

    /// A list: `each` reads one element.
    fn list(&mut self, mut each: impl FnMut(&mut Self) -> Option<()>) -> Option<()> {
        self.expect(b'[')?;
        self.nested(|s| {
            if s.eat(b']') {
                return Some(());
            }
            loop {
                each(s)?;
                if s.eat(b']') {
                    return Some(());
                }
                s.expect(b',')?;
                if s.eat(b']') {
                    return Some(());
                }
            }
        })
    }

    /// A struct written with its name: `field` reads the value of each field by name.
    fn structure(&mut self, name: &str, field: impl FnMut(&mut Self, &'a str) -> Option<()>) -> Option<()> {
        if self.ident()? != name {
            return None;
        }
        self.expect(b'(')?;
        self.nested(|s| s.fields(field))
    }

    /// Named fields up to the closing parenthesis.
    fn fields(&mut self, mut field: impl FnMut(&mut Self, &'a str) -> Option<()>) -> Option<()> {
        if self.eat(b')') {
            return Some(());
        }
        loop {
            let key = self.ident()?;
            self.expect(b':')?;
            field(self, key)?;
            if self.eat(b')') {
                return Some(());
            }
            self.expect(b',')?;
            if self.eat(b')') {
                return Some(());
            }
        }
    }

    fn nested(&mut self, inner: impl FnOnce(&mut Self) -> Option<()>) -> Option<()> {
        if self.depth >= MAX_DEPTH {
            return None;
        }
        self.depth += 1;
        let done = inner(self);
        self.depth -= 1;
        done
    }

    /// `None`, `Some(value)`, or (the reader's implicit `Some`) the value itself.
    fn option<T>(&mut self, value: impl FnOnce(&mut Self) -> Option<T>) -> Option<Option<T>> {
        self.ws();
        let mark = self.i;
        match self.ident() {
            Some("None") => return Some(None),
            Some("Some") => return self.some(value).map(Some),
            _ => self.i = mark,
        }
        value(self).map(Some)
    }

    /// After `Some`: `(value)`, a trailing comma allowed.
    fn some<T>(&mut self, value: impl FnOnce(&mut Self) -> Option<T>) -> Option<T> {
        self.expect(b'(')?;
        let mut inner = None;
        self.nested(|s| {
            inner = Some(value(s)?);
            Some(())
        })?;
        self.eat(b',');
        self.expect(b')')?;
        inner
    }

    /// Any value, checked and skipped: one loop over its tokens, with a stack of what is
    /// open (the skipped turns and airtime are most of a summary's bytes).
    fn skip(&mut self) -> Option<()> {
        let mut open = Open::at(self.depth);
        loop {
            // A value.
            self.ws();
            match self.peek()? {
                b'"' => self.skip_string()?,
                b'0'..=b'9' | b'-' => self.skip_number()?,
                b'[' => {
                    self.i += 1;
                    open.push(b']')?;
                    if self.eat(b']') {
                        open.pop();
                    } else {
                        continue;
                    }
                }
                b'(' => {
                    self.i += 1;
                    if self.opens(&mut open)? {
                        continue;
                    }
                }
                _ => {
                    let ident = self.ident()?;
                    // Without a parenthesis: a unit variant, a boolean, `None`, `inf`, `NaN`.
                    if !self.eat(b'(') {
                        if ident == "Some" {
                            return None;
                        }
                    } else if ident == "Some" {
                        // One value, then `)` (a trailing comma allowed).
                        open.push(b'1')?;
                        continue;
                    } else if SPECIAL.contains(&ident) {
                        // Values of their own: a parenthesis after them is not theirs.
                        return None;
                    } else if self.opens(&mut open)? {
                        continue;
                    }
                }
            }
            // After a value: close what ends here, or go on to the next value.
            loop {
                let Some(closer) = open.top() else {
                    return Some(());
                };
                self.ws();
                let c = self.peek()?;
                self.i += 1;
                match (c, closer) {
                    (b')', b'1' | b')' | b':') | (b']', b']') => open.pop(),
                    (b',', b'1') => {
                        self.expect(b')')?;
                        open.pop();
                    }
                    (b',', _) => {
                        self.ws();
                        if self.peek() == Some(if closer == b']' { b']' } else { b')' }) {
                            self.i += 1;
                            open.pop();
                        } else {
                            if closer == b':' {
                                self.ident()?;
                                self.expect(b':')?;
                            }
                            break;
                        }
                    }
                    _ => return None,
                }
            }
        }
    }

    /// After `(`: opens named fields (if an identifier and a colon come first: that field
    /// is read up to its value) or values; `false` when it closes at once.
    fn opens(&mut self, open: &mut Open) -> Option<bool> {
        let mark = self.i;
        if self.ident().is_some() && self.eat(b':') {
            open.push(b':')?;
            return Some(true);
        }
        self.i = mark;
        if self.eat(b')') {
            return Some(false);
        }
        open.push(b')')?;
        Some(true)
    }

    fn skip_number(&mut self) -> Option<()> {
        let negative = self.peek() == Some(b'-');
        if negative {
            self.i += 1;
        }
        let whole = self.digits()?;
        if self.peek() != Some(b'.') && negative && whole == 0 {
            return None;
        }
        if self.peek() == Some(b'.') {
            self.i += 1;
            let start = self.i;
            while self.peek().is_some_and(|b| b.is_ascii_digit()) {
                self.i += 1;
            }
            if self.i == start || self.i - start > 40 {
                return None;
            }
        }
        self.number_ends()
    }

    fn string_list(&mut self) -> Option<Vec<Cow<'a, str>>> {
        let mut out = Vec::new();
        self.list(|s| {
            out.push(s.string()?);
            Some(())
        })?;
        Some(out)
    }

    /// Marks `bit` seen; a field given twice is declined (the full parser refuses it).
    fn once(seen: &mut u32, bit: u32) -> Option<()> {
        if *seen & bit != 0 {
            return None;
        }
        *seen |= bit;
        Some(())
    }

    fn summary(&mut self) -> Option<Fields<'a>> {
        let mut f = Fields::default();
        let mut seen = 0u32;
        self.structure("Summary", |s, key| {
            let required = |r: Required| 1u32 << r as u32;
            match key {
                "version" => {
                    Self::once(&mut seen, required(Required::Version))?;
                    f.version = u32::try_from(s.unsigned()?).ok()?;
                }
                "session_id" => {
                    Self::once(&mut seen, required(Required::SessionId))?;
                    f.session_id = s.string()?;
                }
                "title" => {
                    Self::once(&mut seen, required(Required::Title))?;
                    f.title = s.string()?;
                }
                "kind" => {
                    Self::once(&mut seen, required(Required::Kind))?;
                    f.kind = s.string()?;
                }
                "group" => {
                    Self::once(&mut seen, required(Required::Group))?;
                    f.group = s.string()?;
                }
                "date" => {
                    Self::once(&mut seen, required(Required::Date))?;
                    f.date = s.string()?;
                }
                "series" => {
                    Self::once(&mut seen, SERIES)?;
                    f.series = s.option(Self::series)?;
                }
                "started" => {
                    Self::once(&mut seen, STARTED)?;
                    f.started = s.option(Self::string)?;
                }
                "ended" => {
                    Self::once(&mut seen, ENDED)?;
                    f.ended = s.option(Self::string)?;
                }
                "planned_secs" => {
                    Self::once(&mut seen, required(Required::PlannedSecs))?;
                    f.planned_secs = s.unsigned()?;
                }
                "actual_secs" => {
                    Self::once(&mut seen, required(Required::ActualSecs))?;
                    f.actual_secs = s.unsigned()?;
                }
                "over_under_secs" => {
                    Self::once(&mut seen, required(Required::OverUnderSecs))?;
                    f.over_under_secs = s.signed()?;
                }
                "facilitators" => {
                    Self::once(&mut seen, required(Required::Facilitators))?;
                    f.facilitators = s.facilitators()?;
                }
                "trainees" => {
                    Self::once(&mut seen, required(Required::Trainees))?;
                    f.trainees = s.string_list()?;
                }
                "attendance" => {
                    Self::once(&mut seen, required(Required::Attendance))?;
                    (f.present, f.roster) = s.attendance()?;
                }
                "notes" => {
                    Self::once(&mut seen, required(Required::Notes))?;
                    f.flagged_notes = s.notes()?;
                }
                "flags" => {
                    Self::once(&mut seen, required(Required::Flags))?;
                    (f.risk, f.follow_up) = s.flags()?;
                }
                other => {
                    let skipped = match other {
                        "segments" => Some(Required::Segments),
                        "turns" => Some(Required::Turns),
                        "airtime" => Some(Required::Airtime),
                        "never_spoke" => Some(Required::NeverSpoke),
                        "rebalances" => Some(Required::Rebalances),
                        "downtimes" => Some(Required::Downtimes),
                        "paused_secs" => Some(Required::PausedSecs),
                        "plan_reloads" => Some(Required::PlanReloads),
                        // Not a field of the list: ignored, as often as it comes.
                        _ => None,
                    };
                    if let Some(r) = skipped {
                        Self::once(&mut seen, required(r))?;
                    }
                    s.skip()?;
                }
            }
            Some(())
        })?;
        let complete = seen & ALL_REQUIRED == ALL_REQUIRED;
        (complete && (1..=SUMMARY_VERSION).contains(&f.version)).then_some(f)
    }

    fn series(&mut self) -> Option<(Cow<'a, str>, u32, u32)> {
        let (mut name, mut session, mut of) = (None, None, None);
        self.structure("Series", |s, key| {
            match key {
                "name" if name.is_none() => name = Some(s.string()?),
                "session" if session.is_none() => session = Some(u32::try_from(s.unsigned()?).ok()?),
                "of" if of.is_none() => of = Some(u32::try_from(s.unsigned()?).ok()?),
                "name" | "session" | "of" => return None,
                _ => s.skip()?,
            }
            Some(())
        })?;
        Some((name?, session?, of?))
    }

    fn facilitators(&mut self) -> Option<Vec<Cow<'a, str>>> {
        let mut names = Vec::new();
        self.list(|s| {
            let (mut name, mut role) = (None, None);
            s.structure("Facilitator", |s, key| {
                match key {
                    "name" if name.is_none() => name = Some(s.string()?),
                    "role" if role.is_none() => role = Some(s.skip_string()?),
                    "name" | "role" => return None,
                    _ => s.skip()?,
                }
                Some(())
            })?;
            role?;
            names.push(name?);
            Some(())
        })?;
        Some(names)
    }

    /// Members present (late and left early count) and on the roster.
    fn attendance(&mut self) -> Option<(usize, usize)> {
        let (mut present, mut roster) = (0, 0);
        self.list(|s| {
            let mut attended = None;
            s.structure("Attendance", |s, key| {
                match key {
                    "status" if attended.is_none() => {
                        attended = Some(match s.ident()? {
                            "Present" | "Late" | "LeftEarly" => true,
                            "Absent" | "NotRecorded" => false,
                            _ => return None,
                        });
                    }
                    "status" => return None,
                    _ => s.skip()?,
                }
                Some(())
            })?;
            present += usize::from(attended?);
            roster += 1;
            Some(())
        })?;
        Some((present, roster))
    }

    /// Notes tagged risk or follow-up.
    fn notes(&mut self) -> Option<usize> {
        let mut flagged = 0;
        self.list(|s| {
            let (mut risk, mut follow_up) = (None, None);
            s.structure("Note", |s, key| {
                match key {
                    "risk" if risk.is_none() => risk = Some(s.boolean()?),
                    "follow_up" if follow_up.is_none() => follow_up = Some(s.boolean()?),
                    "risk" | "follow_up" => return None,
                    _ => s.skip()?,
                }
                Some(())
            })?;
            // Both must be there (no `||` that would skip the second).
            let (risk, follow_up) = (risk?, follow_up?);
            flagged += usize::from(risk || follow_up);
            Some(())
        })?;
        Some(flagged)
    }

    fn flags(&mut self) -> Option<(usize, usize)> {
        let (mut risk, mut follow_up) = (None, None);
        self.structure("Flags", |s, key| {
            match key {
                "risk" if risk.is_none() => risk = Some(usize::try_from(s.unsigned()?).ok()?),
                "follow_up" if follow_up.is_none() => follow_up = Some(usize::try_from(s.unsigned()?).ok()?),
                "risk" | "follow_up" => return None,
                _ => s.skip()?,
            }
            Some(())
        })?;
        Some((risk?, follow_up?))
    }
}
