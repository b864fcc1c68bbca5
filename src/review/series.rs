//! A group across its sessions: attendance as a members × sessions grid, airtime per
//! member across sessions, and every flag with its session. And the flags of all
//! summaries, newest first. Pure functions of summaries already read.

use std::collections::HashMap;
use std::path::PathBuf;

use super::index::start_time;
use crate::summary::{NoteSummary, Presence, Summary};

/// One session of a group, as a column of the grids.
#[derive(Clone, Debug, PartialEq)]
pub struct SeriesSession {
    pub path: PathBuf,
    pub date: String,
    /// Local `HH:MM` of the start, or empty.
    pub time: String,
    /// `3/8` in a series, else empty.
    pub label: String,
    pub title: String,
    pub present: usize,
    pub roster: usize,
    pub actual_secs: u64,
    pub over_under_secs: i64,
    pub risk: usize,
    pub follow_up: usize,
}

/// What one member did across the series.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MemberTotal {
    /// Sessions attended (late and left early count).
    pub attended: usize,
    /// Sessions the member was on the roster for.
    pub on_roster: usize,
    pub secs: u64,
    pub turns: u32,
    /// Sessions attended without taking a turn.
    pub silent: usize,
}

/// A risk or follow-up note with the session it was written in.
#[derive(Clone, Debug, PartialEq)]
pub struct FlagNote {
    pub path: PathBuf,
    pub date: String,
    pub time: String,
    pub group: String,
    pub title: String,
    /// `3/8` in a series, else empty.
    pub session: String,
    pub note: NoteSummary,
}

/// A group across its sessions, oldest first.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Series {
    pub group: String,
    pub sessions: Vec<SeriesSession>,
    /// Everyone on any session's roster, in order of first appearance.
    pub members: Vec<String>,
    /// `[member][session]`: `None` when not on that session's roster.
    pub attendance: Vec<Vec<Option<Presence>>>,
    /// `[member][session]`: seconds spoken; `None` when not there.
    pub airtime: Vec<Vec<Option<u64>>>,
    pub totals: Vec<MemberTotal>,
    /// Newest first.
    pub flags: Vec<FlagNote>,
}

fn label(s: &Summary) -> String {
    s.series
        .as_ref()
        .map(|x| format!("{}/{}", x.session, x.of))
        .unwrap_or_default()
}

/// The flagged notes of one summary, risk first as the summary orders them.
pub fn flag_notes(path: &std::path::Path, s: &Summary) -> Vec<FlagNote> {
    let time = start_time(s);
    s.notes
        .iter()
        .filter(|n| n.risk || n.follow_up)
        .map(|n| FlagNote {
            path: path.to_owned(),
            date: s.date.clone(),
            time: time.clone(),
            group: s.group.clone(),
            title: s.title.clone(),
            session: label(s),
            note: n.clone(),
        })
        .collect()
}

/// Newest session first; within a session risk before follow-up, then by time.
pub fn sort_newest_first(flags: &mut [FlagNote]) {
    flags.sort_by(|a, b| {
        (&b.date, &b.time, &b.path)
            .cmp(&(&a.date, &a.time, &a.path))
            .then_with(|| b.note.risk.cmp(&a.note.risk))
            .then_with(|| a.note.at.cmp(&b.note.at))
    });
}

/// Every flag of the summaries, newest first.
pub fn all_flags<'a>(summaries: impl IntoIterator<Item = (&'a PathBuf, &'a Summary)>) -> Vec<FlagNote> {
    let mut flags: Vec<FlagNote> = summaries
        .into_iter()
        .flat_map(|(path, s)| flag_notes(path, s))
        .collect();
    sort_newest_first(&mut flags);
    flags
}

/// The series of `group` from its summaries (in any order).
pub fn build(group: &str, mut summaries: Vec<(PathBuf, Summary)>) -> Series {
    summaries.sort_by(|(pa, a), (pb, b)| {
        let key = |s: &Summary| {
            (
                s.date.clone(),
                start_time(s),
                s.series.as_ref().map(|x| x.session),
            )
        };
        key(a).cmp(&key(b)).then_with(|| pa.cmp(pb))
    });
    let n = summaries.len();
    let mut grid = Grid {
        sessions: n,
        ..Grid::default()
    };
    let mut sessions = Vec::with_capacity(n);
    let mut flags = Vec::new();
    for (col, (path, s)) in summaries.iter().enumerate() {
        for a in &s.attendance {
            let m = grid.member(&a.name);
            grid.attendance[m][col] = Some(a.status);
            grid.totals[m].on_roster += 1;
            if a.status.attended() {
                grid.totals[m].attended += 1;
            }
        }
        for a in &s.airtime {
            let m = grid.member(&a.member);
            grid.airtime[m][col] = Some(a.secs);
            grid.totals[m].secs += a.secs;
            grid.totals[m].turns += a.turns;
        }
        for name in &s.never_spoke {
            let m = grid.member(name);
            grid.totals[m].silent += 1;
        }
        sessions.push(SeriesSession {
            path: path.clone(),
            date: s.date.clone(),
            time: start_time(s),
            label: label(s),
            title: s.title.clone(),
            present: s.present_count(),
            roster: s.attendance.len(),
            actual_secs: s.actual_secs,
            over_under_secs: s.over_under_secs,
            risk: s.flags.risk,
            follow_up: s.flags.follow_up,
        });
        flags.extend(flag_notes(path, s));
    }
    sort_newest_first(&mut flags);
    Series {
        group: group.to_owned(),
        sessions,
        members: grid.members,
        attendance: grid.attendance,
        airtime: grid.airtime,
        totals: grid.totals,
        flags,
    }
}

#[derive(Default)]
struct Grid {
    sessions: usize,
    members: Vec<String>,
    index: HashMap<String, usize>,
    attendance: Vec<Vec<Option<Presence>>>,
    airtime: Vec<Vec<Option<u64>>>,
    totals: Vec<MemberTotal>,
}

impl Grid {
    /// The member's row, added on first sight.
    fn member(&mut self, name: &str) -> usize {
        if let Some(&m) = self.index.get(name) {
            return m;
        }
        self.members.push(name.to_owned());
        self.attendance.push(vec![None; self.sessions]);
        self.airtime.push(vec![None; self.sessions]);
        self.totals.push(MemberTotal::default());
        self.index.insert(name.to_owned(), self.members.len() - 1);
        self.members.len() - 1
    }
}

/// One letter per presence, so the grid needs no colour: `P`resent, `L`ate, `E`arly
/// leaver, `·` absent, `?` not recorded, blank when not on the roster.
pub fn presence_mark(p: Option<Presence>) -> &'static str {
    match p {
        Some(Presence::Present) => "P",
        Some(Presence::Late) => "L",
        Some(Presence::LeftEarly) => "E",
        Some(Presence::Absent) => "·",
        Some(Presence::NotRecorded) => "?",
        None => " ",
    }
}
