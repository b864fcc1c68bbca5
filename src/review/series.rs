//! A group across its sessions: attendance as a members × sessions grid, airtime per
//! member across sessions, and every flag with its session. And the flags of all
//! summaries, newest first. Pure functions of summaries already read.

use std::collections::HashMap;
use std::path::PathBuf;

use super::index::{start_second_of_day, start_time};
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
    /// Its supervision, in words ("signed", "signed, CHANGED AFTER SIGN-OFF", "draft"…);
    /// empty until read beside the summary (see `review::load::series`).
    pub status: String,
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
    /// Seconds in the room: the session's time, less what a late arrival or an early
    /// leave missed.
    pub attended_secs: u64,
    /// Flagged notes about the member (risk or follow-up; a note with both counts once).
    pub flags: usize,
}

impl MemberTotal {
    /// Share of the sessions on the roster attended, in whole percent.
    pub fn attendance_rate(&self) -> u64 {
        (self.attended as u64 * 100)
            .checked_div(self.on_roster as u64)
            .unwrap_or(0)
    }
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
    /// Members on the newest session's roster come first; these (an index into `members`)
    /// were on earlier rosters only: former members.
    pub former: Vec<usize>,
    /// Newest first.
    pub flags: Vec<FlagNote>,
}

impl Series {
    /// Members on the current roster, in order of first appearance, then former members.
    pub fn member_order(&self) -> Vec<usize> {
        let current = (0..self.members.len()).filter(|m| !self.former.contains(m));
        current.chain(self.former.iter().copied()).collect()
    }

    /// Flagged notes in all (each note once), risk notes, follow-up notes.
    pub fn flag_counts(&self) -> (usize, usize, usize) {
        let risk = self.flags.iter().filter(|f| f.note.risk).count();
        let follow = self.flags.iter().filter(|f| f.note.follow_up).count();
        (self.flags.len(), risk, follow)
    }
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

/// Newest session first, and within a session the newest note first (risk before
/// follow-up at the same moment).
pub fn sort_newest_first(flags: &mut [FlagNote]) {
    flags.sort_by(|a, b| {
        (&b.date, &b.time, &b.path)
            .cmp(&(&a.date, &a.time, &a.path))
            .then_with(|| b.note.at.cmp(&a.note.at))
            .then_with(|| b.note.risk.cmp(&a.note.risk))
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
                start_second_of_day(s),
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
                grid.totals[m].attended_secs += attended_secs(s, a);
            }
        }
        for n in s.notes.iter().filter(|n| n.risk || n.follow_up) {
            if let Some(&m) = grid.index.get(&n.about) {
                grid.totals[m].flags += 1;
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
            status: String::new(),
        });
        flags.extend(flag_notes(path, s));
    }
    sort_newest_first(&mut flags);
    let former = match summaries.last() {
        Some((_, newest)) => (0..grid.members.len())
            .filter(|&m| !newest.attendance.iter().any(|a| a.name == grid.members[m]))
            .collect(),
        None => Vec::new(),
    };
    Series {
        group: group.to_owned(),
        sessions,
        members: grid.members,
        attendance: grid.attendance,
        airtime: grid.airtime,
        totals: grid.totals,
        former,
        flags,
    }
}

/// Seconds a member was in the room: the clock's time, less the part before a late
/// arrival or after an early leave (by their `HH:MM` against the start and end).
fn attended_secs(s: &Summary, a: &crate::summary::AttendanceEntry) -> u64 {
    let clock = |t: &Option<String>| {
        t.as_deref()
            .and_then(|t| chrono::DateTime::parse_from_rfc3339(t).ok())
            .map(|t| u64::from(chrono::Timelike::num_seconds_from_midnight(&t)))
    };
    let at = a.at.as_deref().and_then(super::fmt::time_of_day);
    let whole = s.actual_secs;
    match (a.status, at, clock(&s.started), clock(&s.ended)) {
        (Presence::Late, Some(at), Some(start), _) => whole.saturating_sub(at.saturating_sub(start)),
        (Presence::LeftEarly, Some(at), _, Some(end)) => whole.saturating_sub(end.saturating_sub(at)),
        _ => whole,
    }
}

/// A sparkline of `values`, one block per value, highest the tallest: `▁▃▅█`; `·` where
/// there is no value.
pub fn sparkline(values: &[Option<u64>]) -> String {
    const BLOCKS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
    let most = values.iter().flatten().copied().max().unwrap_or(0);
    values
        .iter()
        .map(|v| match v {
            None => '·',
            Some(_) if most == 0 => BLOCKS[0],
            Some(v) => BLOCKS[((v * 7) / most) as usize],
        })
        .collect()
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::summary::parse_summary;

    const V1: &str = include_str!("../../tests/fixtures/summary-v1.ron");

    #[test]
    fn members_history_rates_minutes_flags_and_former_members() -> Result<(), crate::summary::SummaryError> {
        let first = parse_summary(V1)?;
        let mut second = first.clone();
        second.date = "2025-03-11".into();
        second.attendance.retain(|a| a.name != "Tanvir");
        let series = build(
            "g",
            vec![(PathBuf::from("b"), second), (PathBuf::from("a"), first.clone())],
        );
        let tanvir = series
            .members
            .iter()
            .position(|m| m == "Tanvir")
            .unwrap_or(usize::MAX);
        assert_eq!(series.former, vec![tanvir], "not on the newest roster");
        assert_eq!(series.member_order().last(), Some(&tanvir));
        let shirin = series
            .members
            .iter()
            .position(|m| m == "Shirin")
            .unwrap_or(usize::MAX);
        let t = &series.totals[shirin];
        assert_eq!(t.attendance_rate(), 100);
        assert!(t.attended_secs < 2 * first.actual_secs, "she left early: {t:?}");
        assert!(t.flags >= 2, "flagged notes about her: {t:?}");
        let (all, risk, follow) = series.flag_counts();
        assert!(
            all <= risk + follow && all >= risk.max(follow),
            "a note with both counts once"
        );
        Ok(())
    }

    #[test]
    fn sessions_begun_in_one_minute_follow_each_other_by_the_second()
    -> Result<(), crate::summary::SummaryError> {
        let mut later = parse_summary(V1)?;
        let mut earlier = later.clone();
        earlier.started = Some("2025-03-04T18:00:05+06:00".into());
        later.started = Some("2025-03-04T18:00:40+06:00".into());
        later.title = "the later one".into();
        // The later one's file name sorts first: the second must decide.
        let series = build(
            "g",
            vec![(PathBuf::from("a"), later), (PathBuf::from("b"), earlier)],
        );
        let titles: Vec<&str> = series.sessions.iter().map(|s| s.title.as_str()).collect();
        assert_eq!(titles.last(), Some(&"the later one"), "{titles:?}");
        Ok(())
    }

    #[test]
    fn sparklines() {
        assert_eq!(sparkline(&[Some(0), Some(7), None, Some(14)]), "▁▄·█");
        assert_eq!(sparkline(&[Some(0), Some(0)]), "▁▁");
    }
}
