//! Sorting and filtering the list: pure functions of the rows.
//!
//! A filter is written as a query, the same in the browser's `/` prompt and on the command
//! line: free words must all appear (in the title, group, kind, date, facilitators,
//! trainees, series or file name), and `group:WORD`, `fac:WORD`, `from:DATE`, `to:DATE`,
//! `status:draft|submitted|signed|returned|changed|conflict` and `flags` narrow further. Words are matched case-insensitively as parts; a value with
//! spaces is quoted: `group:"tuesday evening"`. Dates compare as text, so `from:2025-03`
//! starts in March 2025 and `to:2025-03` ends with it.

use super::index::{Entry, Row};
use super::keys::{Keys, contains};
use crate::supervision::Status;

/// What `status:` asks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StatusFilter {
    Is(Status),
    /// Signed, then changed.
    Changed,
    /// Syncthing conflict copies (and the summaries they conflict with).
    Conflict,
}

impl StatusFilter {
    pub fn parse(word: &str) -> Option<StatusFilter> {
        match word {
            "changed" => Some(StatusFilter::Changed),
            "conflict" | "conflicts" => Some(StatusFilter::Conflict),
            _ => Status::parse(word).map(StatusFilter::Is),
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            StatusFilter::Is(s) => s.label(),
            StatusFilter::Changed => "changed",
            StatusFilter::Conflict => "conflict",
        }
    }

    pub fn matches(self, row: &Row) -> bool {
        match self {
            StatusFilter::Is(s) => row.conflict_of.is_none() && row.review.status == s,
            StatusFilter::Changed => row.review.changed_after_sign_off,
            StatusFilter::Conflict => row.conflict_of.is_some(),
        }
    }
}

/// A column of the list, in the order `s` cycles through them.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, clap::ValueEnum)]
pub enum Column {
    #[default]
    Date,
    Group,
    Session,
    Facilitators,
    Attendance,
    Time,
    Flags,
}

impl Column {
    pub const ALL: [Column; 7] = [
        Column::Date,
        Column::Group,
        Column::Session,
        Column::Facilitators,
        Column::Attendance,
        Column::Time,
        Column::Flags,
    ];

    pub fn next(self) -> Column {
        let i = Column::ALL.iter().position(|c| *c == self).unwrap_or(0);
        Column::ALL[(i + 1) % Column::ALL.len()]
    }

    /// Dates and flags read best largest first; the rest from A, or smallest.
    pub fn natural_descending(self) -> bool {
        matches!(self, Column::Date | Column::Flags)
    }

    pub fn label(self) -> &'static str {
        match self {
            Column::Date => "date",
            Column::Group => "group",
            Column::Session => "session",
            Column::Facilitators => "facilitators",
            Column::Attendance => "attendance",
            Column::Time => "over/under",
            Column::Flags => "flags",
        }
    }
}

/// Which column, and which way.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Sort {
    pub column: Column,
    pub descending: bool,
}

impl Default for Sort {
    /// Newest first.
    fn default() -> Sort {
        Sort {
            column: Column::Date,
            descending: true,
        }
    }
}

impl Sort {
    pub fn arrow(self) -> &'static str {
        if self.descending { "↓" } else { "↑" }
    }
}

/// What the list shows. Empty shows everything.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Filter {
    /// Lowercase words that must all appear somewhere in the row.
    pub words: Vec<String>,
    /// Lowercase part of the group's name.
    pub group: Option<String>,
    /// Lowercase part of a facilitator's name.
    pub facilitator: Option<String>,
    /// Earliest date, `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
    pub from: Option<String>,
    /// Latest date, `YYYY`, `YYYY-MM` or `YYYY-MM-DD` (inclusive).
    pub to: Option<String>,
    /// Only sessions with a risk or follow-up flag.
    pub flagged: bool,
    /// Only sessions of this supervision status.
    pub status: Option<StatusFilter>,
    /// A part of the query that could not be taken (a date that is no date, a status that
    /// is none), said rather than silently matching everything or nothing.
    pub problem: Option<String>,
}

/// A date bound as the filter takes it: `YYYY`, `YYYY-MM` or `YYYY-MM-DD`, a real one.
pub fn is_date_bound(text: &str) -> bool {
    match text.len() {
        4 => text.bytes().all(|b| b.is_ascii_digit()),
        7 => chrono::NaiveDate::parse_from_str(&format!("{text}-01"), "%Y-%m-%d").is_ok(),
        10 => chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d").is_ok(),
        _ => false,
    }
}

/// The keys a query's words may have (`group:tuesday`).
const KEYS: &[&str] = &[
    "group",
    "g",
    "fac",
    "facilitator",
    "f",
    "from",
    "since",
    "to",
    "until",
    "status",
    "is",
];

impl Filter {
    /// Parses a query such as `anxiety group:tuesday fac:rahman from:2025-03 flags`.
    pub fn parse(query: &str) -> Filter {
        let mut filter = Filter::default();
        for token in tokens(query) {
            let lower = token.to_lowercase();
            let (key, value) = match lower.split_once(':') {
                Some((key, value)) if !value.is_empty() => (key, value.to_owned()),
                Some((key, _)) if KEYS.contains(&key) => {
                    filter.say(format!("{key}: needs a value after the colon"));
                    continue;
                }
                _ => ("", lower.clone()),
            };
            match key {
                "group" | "g" => filter.group = Some(value),
                "fac" | "facilitator" | "f" => filter.facilitator = Some(value),
                "from" | "since" | "to" | "until" if !is_date_bound(&value) => {
                    filter.say(format!(
                        "{key}:{value} is not a date (YYYY, YYYY-MM or YYYY-MM-DD)"
                    ));
                }
                "from" | "since" => filter.from = Some(value),
                "to" | "until" => filter.to = Some(value),
                "status" | "is" if StatusFilter::parse(&value).is_some() => {
                    if let Some(before) = filter.status {
                        filter.say(format!(
                            "one status at a time: status:{} is replaced by status:{value}",
                            before.label()
                        ));
                    }
                    filter.status = StatusFilter::parse(&value);
                }
                "status" => {
                    filter.say(format!(
                        "status:{value} is no status (draft, submitted, signed, returned, changed, conflict)"
                    ));
                }
                _ if lower == "flags" || lower == "flagged" || lower == "is:flagged" => filter.flagged = true,
                _ => filter.words.push(lower),
            }
        }
        filter
    }

    /// Adds a problem with a part of the query to what is said of it: every one, not the last.
    fn say(&mut self, problem: String) {
        self.problem = Some(match self.problem.take() {
            Some(before) => format!("{before}; {problem}"),
            None => problem,
        });
    }

    /// The query that parses back to this filter.
    pub fn to_query(&self) -> String {
        let quote = |v: &str| {
            if v.contains(' ') {
                format!("\"{v}\"")
            } else {
                v.to_owned()
            }
        };
        let mut parts: Vec<String> = self.words.iter().map(|w| quote(w)).collect();
        if let Some(g) = &self.group {
            parts.push(format!("group:{}", quote(g)));
        }
        if let Some(f) = &self.facilitator {
            parts.push(format!("fac:{}", quote(f)));
        }
        if let Some(d) = &self.from {
            parts.push(format!("from:{d}"));
        }
        if let Some(d) = &self.to {
            parts.push(format!("to:{d}"));
        }
        if let Some(status) = self.status {
            parts.push(format!("status:{}", status.label()));
        }
        if self.flagged {
            parts.push("flags".into());
        }
        parts.join(" ")
    }

    pub fn is_empty(&self) -> bool {
        *self == Filter::default()
    }

    /// Whether the row passes. A row that did not open passes only a filter of free words
    /// (matched against its file name and reason): it has no group, date or flags.
    pub fn matches(&self, row: &Row) -> bool {
        if let Some(status) = self.status
            && !status.matches(row)
        {
            return false;
        }
        match &row.entry {
            Err(reason) => {
                self.group.is_none()
                    && self.status.is_none()
                    && self.facilitator.is_none()
                    && self.from.is_none()
                    && self.to.is_none()
                    && !self.flagged
                    && self
                        .words
                        .iter()
                        .all(|w| contains(&row.file, w) || contains(reason, w))
            }
            Ok(entry) => self.matches_entry(entry, &row.file),
        }
    }

    /// Whether `date` is within `from:` and `to:` (a `to:` date includes everything it
    /// starts).
    pub fn date_passes(&self, date: &str) -> bool {
        if let Some(from) = &self.from
            && date < from.as_str()
        {
            return false;
        }
        if let Some(to) = &self.to {
            let end = date
                .char_indices()
                .nth(to.chars().count())
                .map_or(date.len(), |(i, _)| i);
            if date.get(..end).is_some_and(|head| head > to.as_str()) {
                return false;
            }
        }
        true
    }

    fn matches_entry(&self, e: &Entry, file: &str) -> bool {
        if self.flagged && !e.flagged() {
            return false;
        }
        if let Some(g) = &self.group
            && !contains(&e.group, g)
        {
            return false;
        }
        if let Some(f) = &self.facilitator
            && !e.facilitators.iter().any(|name| contains(name, f))
        {
            return false;
        }
        if !self.date_passes(&e.date) {
            return false;
        }
        self.words.iter().all(|w| {
            contains(&e.title, w)
                || contains(&e.group, w)
                || contains(&e.kind, w)
                || contains(&e.date, w)
                || contains(file, w)
                || e.facilitators.iter().any(|n| contains(n, w))
                || e.trainees.iter().any(|n| contains(n, w))
                || e.series.as_ref().is_some_and(|s| contains(&s.name, w))
        })
    }
}

/// Splits on spaces, keeping `"quoted parts"` (also after `key:`) together.
fn tokens(query: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    let mut quoted = false;
    for ch in query.chars() {
        match ch {
            '"' => quoted = !quoted,
            c if c.is_whitespace() && !quoted => {
                if !current.is_empty() {
                    out.push(std::mem::take(&mut current));
                }
            }
            c => current.push(c),
        }
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

/// The rows to show, as indices into `rows`: those that pass `filter`, ordered by `sort`,
/// each conflict copy right after the summary it conflicts with, and after them every row
/// that did not open (by file name), so errors never hide among sessions.
pub fn apply(rows: &[Row], filter: &Filter, sort: Sort) -> Vec<usize> {
    let mut shown = Vec::new();
    Keys::new(rows).apply(rows, filter, sort, &mut shown);
    shown
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::*;
    use crate::review::index::InSeries;
    use crate::review::index::text::{Names, Text};

    fn entry(date: &str, group: &str, fac: &str, over: i64, risk: u32) -> Entry {
        Entry {
            version: 1,
            session_id: format!("{group}-{date}").into(),
            timezone: "+06:00".into(),
            flagged_notes: risk,
            title: format!("{group} on {date}").into(),
            kind: "CBT".into(),
            group: group.into(),
            date: date.into(),
            time: "18:00".into(),
            second: 0,
            series: Some(InSeries {
                name: group.into(),
                session: date.len() as u32 % 5,
                of: 8,
            }),
            facilitators: vec![Text::from(fac)].into(),
            trainees: Names::default(),
            present: 6,
            roster: 8,
            planned_secs: 5400,
            actual_secs: (5400 + over) as u64,
            over_under_secs: over,
            risk,
            follow_up: 0,
        }
    }

    fn row(file: &str, entry: Result<Entry, String>) -> Row {
        Row::new(&PathBuf::from(file), file.into(), entry)
    }

    fn rows() -> Vec<Row> {
        vec![
            row(
                "a.ron",
                Ok(entry("2025-03-04", "Tuesday anxiety", "Dr. Nadia Rahman", 120, 1)),
            ),
            row("bad.ron", Err("the file is empty".into())),
            row(
                "b.ron",
                Ok(entry("2025-02-01", "Bereavement circle", "Samir Akter", -300, 0)),
            ),
            row(
                "c.ron",
                Ok(entry("2025-04-15", "Tuesday anxiety", "Samir Akter", 0, 0)),
            ),
        ]
    }

    #[test]
    fn the_default_is_newest_first_with_errors_last() {
        assert_eq!(
            apply(&rows(), &Filter::default(), Sort::default()),
            vec![3, 0, 2, 1]
        );
    }

    #[test]
    fn every_column_sorts_both_ways() {
        let rows = rows();
        for column in Column::ALL {
            let up = apply(
                &rows,
                &Filter::default(),
                Sort {
                    column,
                    descending: false,
                },
            );
            let down = apply(
                &rows,
                &Filter::default(),
                Sort {
                    column,
                    descending: true,
                },
            );
            assert_eq!(up.len(), 4, "{column:?}");
            assert_eq!(up.last(), Some(&1), "errors stay last for {column:?}");
            assert_eq!(down.last(), Some(&1), "errors stay last for {column:?}");
        }
        let by_time = apply(
            &rows,
            &Filter::default(),
            Sort {
                column: Column::Time,
                descending: false,
            },
        );
        assert_eq!(by_time, vec![2, 3, 0, 1]);
        let by_group = apply(
            &rows,
            &Filter::default(),
            Sort {
                column: Column::Group,
                descending: false,
            },
        );
        assert_eq!(by_group, vec![2, 3, 0, 1], "ties newest first");
    }

    #[test]
    fn sessions_begun_in_one_minute_are_ordered_by_the_second() {
        let at = |second: u8| {
            let mut e = entry("2025-03-04", "Tuesday anxiety", "Dr. Nadia Rahman", 0, 0);
            e.second = second;
            Ok(e)
        };
        // Named against their order, so the file name cannot be what orders them.
        let rows = vec![row("a.ron", at(40)), row("b.ron", at(5)), row("c.ron", at(59))];
        assert_eq!(apply(&rows, &Filter::default(), Sort::default()), vec![2, 0, 1]);
    }

    #[test]
    fn cycling_columns_comes_back() {
        let mut c = Column::Date;
        for _ in 0..Column::ALL.len() {
            c = c.next();
        }
        assert_eq!(c, Column::Date);
    }

    #[test]
    fn queries_parse_and_print_back() {
        let f = Filter::parse(r#"Anxiety group:"tuesday evening" fac:Rahman from:2025-03 to:2025-04 flags"#);
        assert_eq!(f.words, vec!["anxiety"]);
        assert_eq!(f.group.as_deref(), Some("tuesday evening"));
        assert_eq!(f.facilitator.as_deref(), Some("rahman"));
        assert_eq!(f.from.as_deref(), Some("2025-03"));
        assert_eq!(f.to.as_deref(), Some("2025-04"));
        assert!(f.flagged);
        assert_eq!(Filter::parse(&f.to_query()), f);
        assert!(Filter::parse("   ").is_empty());
        let empty = Filter::parse("group:");
        assert!(empty.words.is_empty() && empty.group.is_none());
        assert!(
            empty
                .problem
                .as_deref()
                .is_some_and(|p| p.contains("needs a value")),
            "{empty:?}"
        );
        let several = Filter::parse("status:bogus from:2021-13 fac:");
        let said = several.problem.unwrap_or_default();
        for part in ["status:bogus", "from:2021-13", "fac:"] {
            assert!(said.contains(part), "every one is said: {said}");
        }
        let two = Filter::parse("status:returned status:signed");
        assert_eq!(two.status, Some(StatusFilter::Is(Status::Signed)));
        assert!(
            two.problem
                .as_deref()
                .is_some_and(|p| p.contains("one status at a time"))
        );
        assert_eq!(
            Filter::parse("note:sleep").words,
            vec!["note:sleep"],
            "a word with a colon that is no key is a word"
        );
    }

    #[test]
    fn filters_narrow() {
        let rows = rows();
        let show = |q: &str| apply(&rows, &Filter::parse(q), Sort::default());
        assert_eq!(show("tuesday"), vec![3, 0]);
        assert_eq!(show("group:bereave"), vec![2]);
        assert_eq!(show("fac:akter"), vec![3, 2]);
        assert_eq!(show("from:2025-03"), vec![3, 0]);
        assert_eq!(show("to:2025-03"), vec![0, 2], "to: includes the whole month");
        assert_eq!(show("from:2025-03-05 to:2025-04-15"), vec![3]);
        assert_eq!(show("flags"), vec![0]);
        assert_eq!(show("empty"), vec![1], "errors match their reason");
        assert_eq!(show("bad"), vec![1], "and their file name");
        assert_eq!(show("RAHMAN anxiety"), vec![0], "all words, any case");
        assert_eq!(show("nobody"), Vec::<usize>::new());
    }

    #[test]
    fn statuses_filter_and_conflict_copies_sit_beside_their_original() {
        let mut rows = rows();
        rows[0].review.status = Status::Signed;
        rows[0].review.changed_after_sign_off = true;
        rows[2].review.status = Status::Submitted;
        let mut copy = row(
            "c.sync-conflict-20250416-101500-ABC.ron",
            Ok(rows[3].ok().cloned().unwrap_or_else(|| entry("", "", "", 0, 0))),
        );
        copy.conflict_of = Some("c.ron".into());
        rows.push(copy);
        let show = |q: &str| apply(&rows, &Filter::parse(q), Sort::default());
        assert_eq!(show(""), vec![3, 4, 0, 2, 1], "the copy right after c.ron");
        assert_eq!(show("status:signed"), vec![0]);
        assert_eq!(show("status:changed"), vec![0]);
        assert_eq!(show("status:submitted"), vec![2]);
        assert_eq!(show("status:draft"), vec![3]);
        assert_eq!(
            show("status:conflict"),
            vec![3, 4],
            "each copy right after the summary it conflicts with"
        );
        assert_eq!(Filter::parse("status:signed").to_query(), "status:signed");
        let nonsense = Filter::parse("status:nonsense");
        assert!(nonsense.words.is_empty() && nonsense.status.is_none());
        assert!(
            nonsense
                .problem
                .as_deref()
                .is_some_and(|p| p.contains("no status"))
        );
        for bad in ["from:2021-13", "to:garbage", "since:2021-02-30"] {
            let f = Filter::parse(bad);
            assert!(f.from.is_none() && f.to.is_none(), "{bad}");
            assert!(
                f.problem.as_deref().is_some_and(|p| p.contains("not a date")),
                "{bad}"
            );
        }
    }

    #[test]
    fn conflict_copies_whose_original_is_gone_follow_the_sort() {
        let copy = |file: &str, date: &str| {
            let mut copy = row(file, Ok(entry(date, "Tuesday anxiety", "Dr. Nadia Rahman", 0, 0)));
            copy.conflict_of = Some("gone.ron".into());
            copy
        };
        let rows = vec![
            copy("a.sync-conflict-20250101-000000-A.ron", "2025-01-01"),
            copy("b.sync-conflict-20250101-000000-B.ron", "2025-03-01"),
            copy("c.sync-conflict-20250101-000000-C.ron", "2025-02-01"),
        ];
        let newest_first = apply(&rows, &Filter::parse("status:conflict"), Sort::default());
        assert_eq!(newest_first, vec![1, 2, 0]);
        let oldest_first = Sort {
            descending: false,
            ..Sort::default()
        };
        assert_eq!(
            apply(&rows, &Filter::parse("status:conflict"), oldest_first),
            vec![0, 2, 1]
        );
    }

    #[test]
    fn non_ascii_matches_case_insensitively() {
        assert!(contains("Tomás Ortega", "tomás"));
        assert!(contains("ÉLODIE", "élodie"));
        assert!(!contains("abc", "abcd"));
    }
}
