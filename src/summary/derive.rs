//! From the session's state to a [`Summary`]: a pure function of the state and an offset.

use chrono::{DateTime, FixedOffset, SecondsFormat};

use super::{
    AttendanceEntry, CarriedSummary, DowntimeSummary, Facilitator, Flags, NoteSummary, Outcome, Presence,
    RebalanceChange, RebalanceSummary, SUMMARY_VERSION, SegmentSummary, SeriesInfo, Summary, TurnSummary,
    UndoneSummary,
};
use crate::plan::{GroupKind, Role, SegmentKind};
use crate::session::{About, Attendance, Downtime, Millis, SegmentStatus, State, Tag};

/// The summary of a session. No clock is read: "now" for anything still open is the end,
/// or the last event seen when the session was never ended; `offset` is the local offset
/// the times are written in.
pub fn derive(state: &State, session_id: &str, offset: FixedOffset) -> Summary {
    let now = state.ended_at.unwrap_or(state.last_seen);
    let clock = Clock(offset);
    let planned_secs = state.plan.duration.as_secs();
    let actual_secs = secs(state.session_elapsed(now));
    let segments = segments(state, now);
    let airtime = airtime(state, now);
    let never_spoke = airtime
        .iter()
        .filter(|a| !a.spoke)
        .map(|a| a.member.clone())
        .collect();
    let notes = notes(state, &clock);
    let flags = Flags {
        risk: notes.iter().filter(|n| n.risk).count(),
        follow_up: notes.iter().filter(|n| n.follow_up).count(),
    };
    Summary {
        version: SUMMARY_VERSION,
        session_id: session_id.to_owned(),
        title: state.plan.title.clone(),
        kind: group_kind(&state.plan.kind),
        series: state.plan.series.as_ref().map(|s| SeriesInfo {
            name: s.name.clone(),
            session: s.session,
            of: s.of,
        }),
        group: state.roster.group.clone(),
        date: clock.date(state.started_at.unwrap_or(state.created_at)),
        started: state.started_at.map(|at| clock.rfc3339(at)),
        ended: state.ended_at.map(|at| clock.rfc3339(at)),
        planned_secs,
        actual_secs,
        over_under_secs: signed_diff(actual_secs, planned_secs),
        paused_secs: paused_secs(state, now),
        facilitators: state
            .roster
            .facilitators
            .iter()
            .map(|p| Facilitator {
                name: p.name.clone(),
                role: role(p.role).to_owned(),
            })
            .collect(),
        trainees: state.roster.trainees.clone(),
        attendance: attendance(state, now, &clock),
        segments,
        turns: turns(state, now, &clock),
        airtime,
        never_spoke,
        notes,
        rebalances: rebalances(state, &clock),
        downtimes: downtimes(state, &clock),
        undone: undone(state, &clock),
        plan_reloads: u32::try_from(state.plan_reloads).unwrap_or(u32::MAX),
        flags,
        carried: carried(state, &clock),
    }
}

/// Local wall-clock text at a fixed offset.
struct Clock(FixedOffset);

impl Clock {
    fn at(&self, ms: Millis) -> Option<DateTime<FixedOffset>> {
        DateTime::from_timestamp_millis(ms).map(|t| t.with_timezone(&self.0))
    }

    fn format(&self, ms: Millis, pattern: &str) -> String {
        self.at(ms)
            .map_or_else(|| "?".to_owned(), |t| t.format(pattern).to_string())
    }

    fn date(&self, ms: Millis) -> String {
        self.format(ms, "%Y-%m-%d")
    }

    fn hms(&self, ms: Millis) -> String {
        self.format(ms, "%H:%M:%S")
    }

    fn rfc3339(&self, ms: Millis) -> String {
        self.at(ms).map_or_else(
            || "?".to_owned(),
            |t| t.to_rfc3339_opts(SecondsFormat::Secs, false),
        )
    }
}

/// Milliseconds to whole seconds, rounded to the nearest; negative lengths count as zero.
fn secs(ms: i64) -> u64 {
    u64::try_from(ms.max(0).saturating_add(500) / 1000).unwrap_or(0)
}

fn signed_diff(a: u64, b: u64) -> i64 {
    i64::try_from(a)
        .unwrap_or(i64::MAX)
        .saturating_sub(i64::try_from(b).unwrap_or(i64::MAX))
}

fn paused_secs(state: &State, now: Millis) -> u64 {
    // A pause still open at the end counts up to the end.
    let open = match (state.paused_since, state.running_since) {
        (Some(since), None) => (now - since).max(0),
        _ => 0,
    };
    secs(state.paused_ms + open)
}

fn group_kind(kind: &GroupKind) -> String {
    match kind {
        GroupKind::Support => "Support".into(),
        GroupKind::Cbt => "CBT".into(),
        GroupKind::SkillsTraining => "Skills training".into(),
        GroupKind::Process => "Process".into(),
        GroupKind::Psychoeducation => "Psychoeducation".into(),
        GroupKind::Interpersonal => "Interpersonal".into(),
        GroupKind::Custom(name) => name.clone(),
    }
}

fn segment_kind(kind: &SegmentKind) -> String {
    match kind {
        SegmentKind::Opening => "Opening".into(),
        SegmentKind::GroundRules => "Ground rules".into(),
        SegmentKind::CheckIn => "Check-in".into(),
        SegmentKind::Psychoeducation => "Psychoeducation".into(),
        SegmentKind::Exercise => "Exercise".into(),
        SegmentKind::Discussion => "Discussion".into(),
        SegmentKind::Break => "Break".into(),
        SegmentKind::CheckOut => "Check-out".into(),
        SegmentKind::Closing => "Closing".into(),
        SegmentKind::Custom(name) => name.clone(),
    }
}

fn role(role: Role) -> &'static str {
    match role {
        Role::Lead => "lead",
        Role::CoFacilitator => "co-facilitator",
        Role::Observer => "observer",
    }
}

fn member_name(state: &State, member: usize) -> String {
    state
        .roster
        .members
        .get(member)
        .map_or_else(|| format!("member {}", member + 1), |m| m.name.clone())
}

fn segment_title(state: &State, index: usize) -> String {
    state
        .plan
        .agenda
        .get(index)
        .map_or_else(|| format!("segment {}", index + 1), |s| s.title.clone())
}

fn attendance(state: &State, now: Millis, clock: &Clock) -> Vec<AttendanceEntry> {
    // Minutes attended count from the clock's first start to the end, less time down
    // that was counted as paused (as the session's duration leaves it out).
    let start = state.started_at.unwrap_or(state.created_at);
    let not_counted: Vec<(Millis, Millis)> = state
        .downtimes
        .iter()
        .filter(|(_, _, counted)| *counted == crate::session::Downtime::Paused)
        .map(|(from, to, _)| (*from, *to))
        .collect();
    state
        .roster
        .members
        .iter()
        .enumerate()
        .map(|(i, member)| {
            let presence = state
                .attendance
                .get(i)
                .copied()
                .unwrap_or(crate::session::Presence::EXPECTED);
            let (status, at) = match presence.mark {
                Attendance::Expected => (Presence::NotRecorded, None),
                Attendance::Present => (Presence::Present, None),
                Attendance::Late { at } => (Presence::Late, Some(clock.hms(at))),
                Attendance::LeftEarly { at } => (Presence::LeftEarly, Some(clock.hms(at))),
                Attendance::Absent => (Presence::Absent, None),
            };
            AttendanceEntry {
                name: member.name.clone(),
                status,
                at,
                arrived: presence.arrived.map(|t| clock.hms(t)),
                left: presence.left.map(|t| clock.hms(t)),
                attended_secs: presence.attended_ms_except(start, now, &not_counted).map(secs),
                stepped_out: presence
                    .stepped_out
                    .map(|(from, to)| format!("{}\u{2013}{}", clock.hms(from), clock.hms(to))),
                away_secs: (presence.away_ms > 0).then(|| secs(presence.away_ms)),
            }
        })
        .collect()
}

fn segments(state: &State, now: Millis) -> Vec<SegmentSummary> {
    state
        .plan
        .agenda
        .iter()
        .enumerate()
        .map(|(i, segment)| {
            let progress = state.segments.get(i);
            let elapsed = state.segment_elapsed(i, now);
            let status = match progress.map(|p| p.status) {
                Some(SegmentStatus::Skipped) => Outcome::Skipped,
                Some(SegmentStatus::Done) => Outcome::Done,
                // The current segment of a session that was never ended, or one left
                // before the clock ran in it.
                _ if elapsed > 0 => Outcome::Done,
                _ => Outcome::NotReached,
            };
            let rebalanced = state
                .rebalances
                .iter()
                .flat_map(|r| &r.changes)
                .any(|(index, from, to)| *index == i && from != to);
            SegmentSummary {
                title: segment.title.clone(),
                kind: segment_kind(&segment.kind),
                planned_secs: segment.duration.as_secs(),
                final_planned_secs: progress.map_or(segment.duration.as_secs(), |p| secs(p.planned_ms)),
                actual_secs: secs(elapsed),
                status,
                adjusted_secs: progress.map_or(0, |p| p.adjusted_secs),
                rebalanced,
            }
        })
        .collect()
}

fn turns(state: &State, now: Millis, clock: &Clock) -> Vec<TurnSummary> {
    state
        .turns
        .iter()
        .map(|turn| TurnSummary {
            member: member_name(state, turn.member),
            segment: segment_title(state, turn.segment),
            start: clock.hms(turn.start),
            length_secs: secs(turn.length(now)),
            passed: turn.passed,
        })
        .collect()
}

/// Shares are rounded to four places: exact enough for a chart, short enough to read.
fn round4(x: f64) -> f64 {
    (x * 10_000.0).round() / 10_000.0
}

fn airtime(state: &State, now: Millis) -> Vec<super::Airtime> {
    let attended: Vec<bool> = (0..state.roster.members.len())
        .map(|i| state.attendance.get(i).is_some_and(|a| a.attended()))
        .collect();
    let present = attended.iter().filter(|a| **a).count();
    let total: i64 = (0..state.roster.members.len())
        .map(|m| state.airtime(m, now))
        .sum();
    let equal_share = if present == 0 {
        0.0
    } else {
        round4(1.0 / present as f64)
    };
    state
        .roster
        .members
        .iter()
        .enumerate()
        .filter_map(|(i, member)| {
            let ms = state.airtime(i, now);
            let had_turn = state.turns.iter().any(|t| t.member == i);
            if !attended[i] && !had_turn {
                return None;
            }
            let theirs = || state.turns.iter().filter(move |t| t.member == i);
            let turns = theirs().filter(|t| !t.passed && t.length(now) > 0).count();
            let passes = theirs().filter(|t| t.passed).count();
            Some(super::Airtime {
                member: member.name.clone(),
                // Any time spoken shows as at least a second, so "spoke" and the time agree.
                secs: if ms > 0 { secs(ms).max(1) } else { 0 },
                turns: u32::try_from(turns).unwrap_or(u32::MAX),
                passes: u32::try_from(passes).unwrap_or(u32::MAX),
                share: if total > 0 {
                    round4(ms as f64 / total as f64)
                } else {
                    0.0
                },
                equal_share,
                spoke: ms > 0,
            })
        })
        .collect()
}

fn tag_label(tag: &Tag) -> String {
    tag.label().to_owned()
}

fn notes(state: &State, clock: &Clock) -> Vec<NoteSummary> {
    let mut notes: Vec<_> = state.notes.iter().collect();
    // Stable: notes with the same priority and time keep the order they were taken in.
    notes.sort_by_key(|n| (n.priority(), n.at));
    notes
        .into_iter()
        .map(|note| NoteSummary {
            at: clock.hms(note.at),
            about: about_name(state, note.about),
            tags: note.tags.iter().map(tag_label).collect(),
            text: note.text.clone(),
            risk: note.is_risk(),
            follow_up: note.withdrawn.is_none() && note.tags.contains(&Tag::FollowUp),
            amended: note.amended.map(|t| clock.hms(t)),
            withdrawn: note.withdrawn.map(|t| clock.hms(t)),
            first_text: note
                .first
                .as_ref()
                .filter(|first| first.text != note.text)
                .map(|first| first.text.clone()),
            first_about: note
                .first
                .as_ref()
                .filter(|first| first.about != note.about)
                .map(|first| about_name(state, first.about)),
        })
        .collect()
}

/// "group", a member's name, or a segment's title.
fn about_name(state: &State, about: About) -> String {
    match about {
        About::Group => "group".to_owned(),
        About::Member(m) => member_name(state, m),
        About::Segment(s) => segment_title(state, s),
    }
}

fn undone(state: &State, clock: &Clock) -> Vec<UndoneSummary> {
    state
        .undone
        .iter()
        .map(|(at, action)| UndoneSummary {
            at: clock.hms(*at),
            what: action.describe(|m| member_name(state, m), |s| segment_title(state, s)),
        })
        .collect()
}

fn carried(state: &State, clock: &Clock) -> Vec<CarriedSummary> {
    state
        .carried
        .iter()
        .map(|c| CarriedSummary {
            id: c.item.id.clone(),
            kind: c.item.kind,
            raised_session: c.item.raised_session,
            raised_date: c.item.raised_date.clone(),
            about: c.item.about.clone(),
            text: c.item.text.clone(),
            owner: c.item.owner.clone(),
            due: c.item.due.clone(),
            closed: c.closed.map(|t| clock.hms(t)),
        })
        .collect()
}

fn rebalances(state: &State, clock: &Clock) -> Vec<RebalanceSummary> {
    state
        .rebalances
        .iter()
        .map(|r| RebalanceSummary {
            at: clock.hms(r.at),
            changes: r
                .changes
                .iter()
                .filter(|(_, from, to)| from != to)
                .map(|(index, from, to)| RebalanceChange {
                    segment: segment_title(state, *index),
                    from_secs: *from,
                    to_secs: *to,
                })
                .collect(),
        })
        .collect()
}

fn downtimes(state: &State, clock: &Clock) -> Vec<DowntimeSummary> {
    state
        .downtimes
        .iter()
        .map(|(from, to, counted)| DowntimeSummary {
            from: clock.hms(*from),
            to: clock.hms(*to),
            secs: secs(to - from),
            counted: match counted {
                Downtime::Paused => "paused".into(),
                Downtime::Elapsed => "elapsed".into(),
            },
        })
        .collect()
}
