//! The index of a folder of summaries: one [`Row`] per summary (or conflict copy), its list
//! fields or the reason it did not open, and its supervision status from the sidecar
//! records beside it.
//!
//! [`Scanner::scan`] lists the folder, and reads only what it does not know yet: what was
//! read before is reused while the file is provably the same (see [`known::Stamp`]), and
//! a supervision status while the names of the summary's records are the same (records
//! are never edited; a new action is a new file). What was read lives in memory for a
//! browser session and, optionally, on disk in the platform's cache dir (see
//! [`super::cache`]); never beside the summaries. Summaries are read in parallel by a
//! small hand scanner ([`quick`]) that falls back to the full parser when in doubt.
//!
//! The folder may be synced while it is read: partial and temporary files are skipped
//! ([`names`]), a file that vanishes between the listing and the read is left out, and one
//! that changes is read again on the next scan.
//!
//! Encrypted files (`….ron.age`) are opened with the scanner's vault. What they hold stays
//! in memory: the index on disk keeps only their names and stamps (see [`known::Known`]).

pub mod beside;
mod folder;
pub mod known;
pub mod names;
mod parallel;
pub mod quick;
mod read;
mod records;
mod scan;
pub mod text;

#[cfg(test)]
mod tests;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::Serialize;

pub use beside::Beside;
pub use known::{RACY_SECS, Stamp, now_ns};
pub use parallel::map_parallel;
pub use read::{load_all, parse_list_entry, read_list_fields};
pub use scan::Scanner;
use text::{Interner, Names, Text};

use crate::summary::{ListFields, Summary, SummaryError};
use crate::supervision::Status;

/// What the list shows of one summary. Texts that repeat across summaries (groups,
/// titles, names, dates) are shared.
#[derive(Serialize, Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    pub version: u32,
    pub session_id: Text,
    pub title: Text,
    pub kind: Text,
    pub group: Text,
    /// `YYYY-MM-DD`, as the summary has it.
    pub date: Text,
    /// Local `HH:MM` of the start, empty when the summary has none.
    pub time: Text,
    /// The seconds of the start's minute: sessions begun within one minute are ordered
    /// by them. Not shown, and not in the JSON list (`time` says the minute).
    #[serde(skip)]
    pub second: u8,
    /// The offset of the local times, `+06:00`; empty when the summary has no times.
    pub timezone: Text,
    pub series: Option<InSeries>,
    pub facilitators: Names,
    pub trainees: Names,
    /// Members who attended at least part of the session.
    pub present: u32,
    /// Members on the roster.
    pub roster: u32,
    pub planned_secs: u64,
    pub actual_secs: u64,
    pub over_under_secs: i64,
    /// Notes tagged risk.
    pub risk: u32,
    /// Notes tagged follow-up.
    pub follow_up: u32,
    /// Notes tagged risk, follow-up or both: each counts once.
    pub flagged_notes: u32,
}

/// A session's place in its series.
#[derive(Serialize, Clone, Debug, PartialEq, Eq)]
pub struct InSeries {
    pub name: Text,
    pub session: u32,
    pub of: u32,
}

impl Entry {
    pub fn from_summary(s: &Summary) -> Entry {
        let mut texts = Interner::default();
        let facilitators: Vec<&str> = s.facilitators.iter().map(|f| f.name.as_str()).collect();
        let trainees: Vec<&str> = s.trainees.iter().map(String::as_str).collect();
        Entry::build(
            &mut texts,
            Parts {
                version: s.version,
                session_id: &s.session_id,
                title: &s.title,
                kind: &s.kind,
                group: &s.group,
                date: &s.date,
                series: s.series.as_ref().map(|x| (x.name.as_str(), x.session, x.of)),
                started: s.started.as_deref(),
                ended: s.ended.as_deref(),
                facilitators: &facilitators,
                trainees: &trainees,
                present: s.present_count(),
                roster: s.attendance.len(),
                planned_secs: s.planned_secs,
                actual_secs: s.actual_secs,
                over_under_secs: s.over_under_secs,
                risk: s.flags.risk,
                follow_up: s.flags.follow_up,
                flagged_notes: s.notes.iter().filter(|n| n.risk || n.follow_up).count(),
            },
        )
    }

    /// The entry of list fields read by the full parser.
    pub fn from_list_fields(s: &ListFields, texts: &mut Interner) -> Entry {
        let facilitators: Vec<&str> = s.facilitators.iter().map(|f| f.name.as_str()).collect();
        let trainees: Vec<&str> = s.trainees.iter().map(String::as_str).collect();
        Entry::build(
            texts,
            Parts {
                version: s.version,
                session_id: &s.session_id,
                title: &s.title,
                kind: &s.kind,
                group: &s.group,
                date: &s.date,
                series: s.series.as_ref().map(|x| (x.name.as_str(), x.session, x.of)),
                started: s.started.as_deref(),
                ended: s.ended.as_deref(),
                facilitators: &facilitators,
                trainees: &trainees,
                present: s.attendance.iter().filter(|a| a.status.attended()).count(),
                roster: s.attendance.len(),
                planned_secs: s.planned_secs,
                actual_secs: s.actual_secs,
                over_under_secs: s.over_under_secs,
                risk: s.flags.risk,
                follow_up: s.flags.follow_up,
                flagged_notes: s.notes.iter().filter(|n| n.risk || n.follow_up).count(),
            },
        )
    }

    /// The entry of list fields read by the hand scanner.
    pub fn from_quick(f: &quick::Fields<'_>, texts: &mut Interner) -> Entry {
        let facilitators: Vec<&str> = f.facilitators.iter().map(|n| &**n).collect();
        let trainees: Vec<&str> = f.trainees.iter().map(|n| &**n).collect();
        Entry::build(
            texts,
            Parts {
                version: f.version,
                session_id: &f.session_id,
                title: &f.title,
                kind: &f.kind,
                group: &f.group,
                date: &f.date,
                series: f
                    .series
                    .as_ref()
                    .map(|(name, session, of)| (&**name, *session, *of)),
                started: f.started.as_deref(),
                ended: f.ended.as_deref(),
                facilitators: &facilitators,
                trainees: &trainees,
                present: f.present,
                roster: f.roster,
                planned_secs: f.planned_secs,
                actual_secs: f.actual_secs,
                over_under_secs: f.over_under_secs,
                risk: f.risk,
                follow_up: f.follow_up,
                flagged_notes: f.flagged_notes,
            },
        )
    }

    fn build(texts: &mut Interner, p: Parts<'_>) -> Entry {
        let moment = p
            .started
            .or(p.ended)
            .and_then(|t| chrono::DateTime::parse_from_rfc3339(t).ok());
        let (time, second, timezone) = match moment {
            Some(t) => (
                texts.text(&t.format("%H:%M").to_string()),
                u8::try_from(chrono::Timelike::second(&t)).unwrap_or(0),
                texts.text(&t.format("%:z").to_string()),
            ),
            None => (texts.text(""), 0, texts.text("")),
        };
        let names = |texts: &mut Interner, names: &[&str]| {
            let list = names.iter().map(|n| texts.text(n)).collect();
            texts.names(list)
        };
        Entry {
            version: p.version,
            // Unique to each summary: not worth interning.
            session_id: Text::from(p.session_id),
            title: texts.text(p.title),
            kind: texts.text(p.kind),
            group: texts.text(p.group),
            date: texts.text(p.date),
            time,
            second,
            timezone,
            series: p.series.map(|(name, session, of)| InSeries {
                name: texts.text(name),
                session,
                of,
            }),
            facilitators: names(texts, p.facilitators),
            trainees: names(texts, p.trainees),
            // Counts of members and notes (a summary is at most 16 MB: they fit).
            present: count(p.present),
            roster: count(p.roster),
            planned_secs: p.planned_secs,
            actual_secs: p.actual_secs,
            over_under_secs: p.over_under_secs,
            risk: count(p.risk),
            follow_up: count(p.follow_up),
            flagged_notes: count(p.flagged_notes),
        }
    }

    pub fn flagged(&self) -> bool {
        self.risk + self.follow_up > 0
    }

    /// "3 of 8", or empty outside a series.
    pub fn session_label(&self) -> String {
        self.series
            .as_ref()
            .map(|s| format!("{} of {}", s.session, s.of))
            .unwrap_or_default()
    }
}

/// What every reader of a summary gives [`Entry::build`].
struct Parts<'a> {
    version: u32,
    session_id: &'a str,
    title: &'a str,
    kind: &'a str,
    group: &'a str,
    date: &'a str,
    series: Option<(&'a str, u32, u32)>,
    started: Option<&'a str>,
    ended: Option<&'a str>,
    facilitators: &'a [&'a str],
    trainees: &'a [&'a str],
    present: usize,
    roster: usize,
    planned_secs: u64,
    actual_secs: u64,
    over_under_secs: i64,
    risk: usize,
    follow_up: usize,
    flagged_notes: usize,
}

/// A count as the list keeps it.
fn count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// Local `HH:MM` of a summary's start (else its end), from its RFC 3339 text.
pub fn start_time(s: &Summary) -> String {
    start_moment(s)
        .map(|t| t.format("%H:%M").to_string())
        .unwrap_or_default()
}

/// Local seconds since midnight of a summary's start (else its end): orders sessions
/// begun within one minute.
pub fn start_second_of_day(s: &Summary) -> Option<u32> {
    start_moment(s).map(|t| chrono::Timelike::num_seconds_from_midnight(&t))
}

fn start_moment(s: &Summary) -> Option<chrono::DateTime<chrono::FixedOffset>> {
    s.started
        .as_deref()
        .or(s.ended.as_deref())
        .and_then(|t| chrono::DateTime::parse_from_rfc3339(t).ok())
}

/// A summary's supervision as the list shows it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ReviewInfo {
    pub status: Status,
    pub signed_by: Option<Text>,
    /// RFC 3339, as recorded.
    pub signed_at: Option<Text>,
    /// The summary or its wrap-up differs from what was signed.
    pub changed_after_sign_off: bool,
    /// Records beside the summary (status changes, comments, addenda).
    pub records: usize,
    /// Records beside it that did not open: its status may be older than the real one.
    pub unread_records: usize,
}

/// One summary of the folder: its list fields, or why it did not open.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Row {
    /// The folder the file is in, shared by every row of it (a path per row would be a
    /// tenth of a large list's memory): see [`Row::path`].
    dir: Arc<Path>,
    /// The file's name, for display.
    pub file: Text,
    /// Shared with the scanner's memory of the file, so a rescan copies no text.
    pub entry: Result<Arc<Entry>, String>,
    pub review: ReviewInfo,
    /// This file is a Syncthing conflict copy of the summary with this file name.
    pub conflict_of: Option<String>,
}

impl Row {
    /// A row of a plain summary at `path` (named `file`), with no supervision yet.
    pub fn new(path: &Path, file: String, entry: Result<Entry, String>) -> Row {
        Row {
            dir: Arc::from(path.parent().unwrap_or(Path::new(""))),
            file: Text::from(file),
            entry: entry.map(Arc::new),
            review: ReviewInfo::default(),
            conflict_of: None,
        }
    }

    pub fn ok(&self) -> Option<&Entry> {
        self.entry.as_deref().ok()
    }

    /// The file's path.
    pub fn path(&self) -> PathBuf {
        self.dir.join(self.file.as_str())
    }

    /// Whether this is the row of the file at `path` (without making its path).
    pub fn is_at(&self, path: &Path) -> bool {
        path.parent() == Some(&*self.dir) && path.file_name().is_some_and(|name| name == self.file.as_str())
    }
}

/// A scanned folder.
#[derive(Clone, Debug, Default)]
pub struct Index {
    pub dir: PathBuf,
    /// Sorted by file name.
    pub rows: Vec<Row>,
    /// Observation files handed in to this folder.
    pub handins: Vec<PathBuf>,
    pub stats: ScanStats,
}

impl Index {
    /// The row of the file at `path`, found by name among rows sorted by it.
    pub fn row_at(&self, path: &Path) -> Option<&Row> {
        let name = path.file_name()?.to_str()?;
        let at = self.rows.binary_search_by(|r| r.file.as_str().cmp(name)).ok()?;
        self.rows.get(at).filter(|r| r.is_at(path))
    }

    pub fn errors(&self) -> usize {
        self.rows.iter().filter(|r| r.entry.is_err()).count()
    }
}

/// How a scan went, for the benchmark and the tests.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ScanStats {
    /// Summaries (and conflict copies) listed.
    pub files: usize,
    /// Files known unchanged from memory or the index (summaries, wrap-ups, hand-ins),
    /// and records whose summary's status was known.
    pub reused: usize,
    /// Files read (summaries, wrap-ups, hand-ins, records).
    pub parsed: usize,
    /// The folder was known unchanged, so it was not listed again (only its files'
    /// times were looked at).
    pub listing_reused: bool,
    pub millis: u128,
}

/// The reason a summary did not open, without the file name (the row shows it).
pub fn reason(error: &SummaryError) -> String {
    if let Some(encrypted) = error.encrypted_reason() {
        return encrypted;
    }
    match error {
        SummaryError::Io { source, .. } => format!("cannot read: {source}"),
        SummaryError::TooLarge { bytes, .. } => {
            format!(
                "{:.1} MB: too large for a summary (at most 16 MB)",
                *bytes as f64 / 1e6
            )
        }
        SummaryError::Empty { .. } => "the file is empty".into(),
        SummaryError::NotText { .. } => "not a summary: the file is not UTF-8 text".into(),
        SummaryError::Parse {
            line, col, message, ..
        } => format!("damaged or not a summary: line {line}, column {col}: {message}"),
        SummaryError::TooNew { found, .. } => {
            format!("written by a newer holdspace (version {found}): update holdspace to open it")
        }
        SummaryError::NoVersion { .. } => "damaged or not a summary: version 0".into(),
    }
}
