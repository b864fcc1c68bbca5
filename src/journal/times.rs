//! Times no session can have, found when a journal is read back: a record dated before
//! the session's start or more than a year after it, a downtime that ends before it
//! begins, a segment lengthened by more than a day. A hand-edited or crafted journal is the
//! only source; each such value is set to the nearest possible one and reported with the
//! other damage, so nothing downstream (the resume prompt's downtime, the clock, the
//! summary) ever computes with it.

use crate::session::{Attendance, Event, Millis};

/// The latest a Unix time in milliseconds can be and still be a date (9999-12-31).
const LAST_DATE: Millis = 253_402_300_799_999;
/// The longest a session's journal spans, resumes included.
const LONGEST_SPAN: Millis = 366 * 24 * 3600 * 1000;
/// The most a segment can be lengthened or planned, as a plan's times.
const LONGEST_SECS: u64 = 24 * 3600;

/// Corrects impossible times in `events` (the journal's, `Started` first), adding a
/// `(line, message)` problem for each record corrected. `lines[i]` is event `i`'s line.
pub(super) fn correct(
    events: &mut [Event],
    lines: &[usize],
    created: Millis,
    problems: &mut Vec<(usize, String)>,
) {
    let Some(first) = events.first_mut() else {
        return;
    };
    let line_of = |i: usize| lines.get(i).copied().unwrap_or(0);
    let start = *first.at_mut();
    let start = if (0..=LAST_DATE).contains(&start) {
        start
    } else {
        let fixed = created.clamp(0, LAST_DATE);
        *first.at_mut() = fixed;
        problems.push((line_of(0), impossible(line_of(0), "the session's start", start)));
        fixed
    };
    let possible = start..=start.saturating_add(LONGEST_SPAN);
    let mut previous = start;
    for (i, event) in events.iter_mut().enumerate().skip(1) {
        let line = line_of(i);
        let mut fixed: Vec<String> = Vec::new();
        let at = *event.at_mut();
        if !possible.contains(&at) {
            *event.at_mut() = previous;
            fixed.push(impossible(line, "its time", at));
        }
        let at = *event.at_mut();
        match event {
            Event::Resumed { down_since, .. } if !(start..=at).contains(down_since) => {
                fixed.push(impossible(line, "the start of the downtime", *down_since));
                *down_since = (*down_since).clamp(start, at);
            }
            Event::SegmentAdjusted { delta_secs, .. } if delta_secs.unsigned_abs() > LONGEST_SECS => {
                fixed.push(format!("line {line}: a change of {delta_secs}s to a segment is impossible; it was limited to a day"));
                *delta_secs = (*delta_secs).clamp(-(LONGEST_SECS as i64), LONGEST_SECS as i64);
            }
            Event::Rebalanced { planned, .. } if planned.iter().any(|(_, secs)| *secs > LONGEST_SECS) => {
                fixed.push(format!(
                    "line {line}: a rebalanced segment over a day is impossible; it was limited to a day"
                ));
                for (_, secs) in planned.iter_mut() {
                    *secs = (*secs).min(LONGEST_SECS);
                }
            }
            Event::AttendanceMarked {
                status: Attendance::Late { at: when } | Attendance::LeftEarly { at: when },
                ..
            }
            | Event::NoteAdded {
                note: crate::session::Note { at: when, .. },
                ..
            } if !possible.contains(when) => {
                fixed.push(impossible(line, "the time it gives", *when));
                *when = at;
            }
            _ => {}
        }
        previous = at;
        problems.extend(fixed.into_iter().map(|message| (line, message)));
    }
}

fn impossible(line: usize, what: &str, value: Millis) -> String {
    format!(
        "line {line}: {what} is impossible ({value} ms since 1970); it was set to the nearest possible time"
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::{BUILTIN_PLAN, BUILTIN_ROSTER, parse_plan, parse_roster};
    use crate::session::Downtime;

    const T0: Millis = 1_700_000_000_000;

    fn started(at: Millis) -> Event {
        Event::Started {
            at,
            plan: parse_plan(BUILTIN_PLAN, std::path::Path::new("p")).expect("plan"),
            roster: parse_roster(BUILTIN_ROSTER, std::path::Path::new("r")).expect("roster"),
            seed: 1,
        }
    }

    #[test]
    fn extreme_numbers_are_corrected_and_reported() {
        let mut events = vec![
            started(T0),
            Event::ClockStarted { at: T0 + 1000 },
            Event::Heartbeat { at: i64::MAX },
            Event::SegmentAdjusted {
                at: i64::MIN,
                index: 0,
                delta_secs: i64::MAX,
            },
            Event::Resumed {
                at: T0 + 5000,
                down_since: i64::MIN,
                counted: Downtime::Paused,
            },
            Event::AttendanceMarked {
                at: T0 + 6000,
                member: 0,
                status: Attendance::Late { at: -5 },
            },
        ];
        let mut problems = Vec::new();
        correct(&mut events, &[2, 3, 4, 5, 6, 7], T0, &mut problems);
        let lines: Vec<usize> = problems.iter().map(|(line, _)| *line).collect();
        assert_eq!(lines, vec![4, 5, 5, 6, 7], "{problems:#?}");
        assert!(
            problems[0].1.starts_with("line 4: its time is impossible"),
            "{}",
            problems[0].1
        );
        assert_eq!(events[2].at(), T0 + 1000, "the time before it");
        assert_eq!(events[3].at(), T0 + 1000);
        assert!(matches!(
            events[3],
            Event::SegmentAdjusted {
                delta_secs: 86_400,
                ..
            }
        ));
        assert!(matches!(events[4], Event::Resumed { down_since: T0, .. }));
        assert!(matches!(
            events[5],
            Event::AttendanceMarked {
                status: Attendance::Late { at },
                ..
            } if at == T0 + 6000
        ));
        let last = events.iter().map(Event::at).max();
        assert_eq!(last, Some(T0 + 6000), "the latest time is a real one");
    }

    #[test]
    fn a_crafted_journal_reads_back_with_real_times_and_says_so() -> std::io::Result<()> {
        use super::super::JournalHeader;
        use super::super::format::{event_line, header_line, parse};
        let header = JournalHeader {
            version: 1,
            session: "s".into(),
            created: T0,
        };
        let mut text = header_line(&header)?;
        for event in [
            started(T0),
            Event::ClockStarted { at: T0 + 1000 },
            Event::Heartbeat { at: i64::MAX },
        ] {
            text.push_str(&event_line(&event)?);
        }
        let parsed = parse(
            std::path::Path::new("s.journal"),
            text.as_bytes(),
            &crate::vault::Vault::plain(),
        )
        .map_err(std::io::Error::other)?;
        let recovered = parsed.recovered;
        assert_eq!(recovered.events.iter().map(Event::at).max(), Some(T0 + 1000));
        assert_eq!(recovered.problems.len(), 1);
        assert!(
            recovered.problems[0].starts_with("line 4: its time is impossible"),
            "{:?}",
            recovered.problems
        );
        Ok(())
    }

    #[test]
    fn a_start_that_is_no_date_takes_the_journal_s_creation() {
        let mut events = vec![started(i64::MAX), Event::ClockStarted { at: T0 + 1 }];
        let mut problems = Vec::new();
        correct(&mut events, &[2, 3], T0, &mut problems);
        assert_eq!(events[0].at(), T0);
        assert_eq!(events[1].at(), T0 + 1);
        assert_eq!(problems.len(), 1);
    }

    #[test]
    fn possible_times_are_left_alone() {
        let mut events = vec![
            started(T0),
            Event::ClockStarted { at: T0 + 1 },
            Event::Resumed {
                at: T0 + 90 * 24 * 3600 * 1000,
                down_since: T0 + 2,
                counted: Downtime::Elapsed,
            },
        ];
        let before = events.clone();
        let mut problems = Vec::new();
        correct(&mut events, &[2, 3, 4], T0, &mut problems);
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(events, before);
    }
}
