//! Notes grouped by tag, and the turns of a session laid on a time line: shared by the
//! screen and the exports.

use super::fmt::time_of_day;
use crate::summary::{NoteSummary, Summary};

/// Tags in the order a supervisor reads them; custom tags follow alphabetically.
pub const BUILTIN_TAGS: [&str; 4] = ["risk", "follow-up", "conflict", "insight"];

/// `(tag, notes)` with risk first, then follow-up, conflict, insight, custom tags
/// alphabetically, and `None` for untagged notes last. A note with several tags appears
/// under each. Within a tag, notes keep the summary's order.
pub fn by_tag(notes: &[NoteSummary]) -> Vec<(Option<String>, Vec<&NoteSummary>)> {
    let mut custom: Vec<&str> = notes
        .iter()
        .flat_map(|n| n.tags.iter().map(String::as_str))
        .filter(|t| !BUILTIN_TAGS.contains(t))
        .collect();
    custom.sort_unstable();
    custom.dedup();
    let mut groups: Vec<(Option<String>, Vec<&NoteSummary>)> = BUILTIN_TAGS
        .iter()
        .copied()
        .chain(custom)
        .map(|tag| {
            let tagged = notes.iter().filter(|n| n.tags.iter().any(|t| t == tag)).collect();
            (Some(tag.to_owned()), tagged)
        })
        .filter(|(_, tagged): &(_, Vec<_>)| !tagged.is_empty())
        .collect();
    let untagged: Vec<&NoteSummary> = notes.iter().filter(|n| n.tags.is_empty()).collect();
    if !untagged.is_empty() {
        groups.push((None, untagged));
    }
    groups
}

/// The segment a note written at local `at` (`HH:MM[:SS]`) falls in, by time: each
/// segment starts where the one before it ran out (its actual time counted from where it
/// started), never before a turn of an earlier segment (pauses make the reckoning early),
/// and at its own first turn when that is earlier. `None` before the start or without
/// times. An estimate: the summary keeps no segment start times.
pub fn segment_at(s: &Summary, at: &str) -> Option<usize> {
    let at = time_of_day(at)?;
    let start = s
        .started
        .as_deref()
        .and_then(|t| chrono::DateTime::parse_from_rfc3339(t).ok())
        .map(|t| u64::from(chrono::Timelike::num_seconds_from_midnight(&t)))?;
    let since = |t: u64| (t + 24 * 3600 - start) % (24 * 3600);
    let mut reckoned = 0;
    let mut floor = 0;
    let mut found = None;
    for (i, seg) in s.segments.iter().enumerate() {
        let turns: Vec<u64> = s
            .turns
            .iter()
            .filter(|t| t.segment == seg.title)
            .filter_map(|t| time_of_day(&t.start).map(since))
            .collect();
        let mut begins = reckoned.max(floor);
        if let Some(first) = turns.iter().min() {
            begins = begins.min(*first);
        }
        if seg.actual_secs > 0 && since(at) >= begins {
            found = Some(i);
        }
        reckoned = begins + seg.actual_secs;
        floor = floor.max(turns.iter().max().map_or(0, |t| t + 1));
    }
    // Past the last segment's end by more than an hour: not in this session's segments.
    found.filter(|_| since(at) <= reckoned + 3600)
}

/// One turn on the time line, in seconds from the session's start.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Span {
    pub from: u64,
    pub to: u64,
    pub passed: bool,
}

/// Who spoke when.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Timeline {
    /// Local time of day of the start, in seconds.
    pub start: u64,
    /// Seconds from the start to the last moment shown.
    pub length: u64,
    /// Every member with a turn, in roster order, with their turns.
    pub rows: Vec<(String, Vec<Span>)>,
}

/// The turns of `s` laid out from the start of the session; `None` without turns.
pub fn timeline(s: &Summary) -> Option<Timeline> {
    let starts: Vec<u64> = s.turns.iter().filter_map(|t| time_of_day(&t.start)).collect();
    let first = *starts.first()?;
    let start = s
        .started
        .as_deref()
        .and_then(|t| chrono::DateTime::parse_from_rfc3339(t).ok())
        .map(|t| u64::from(chrono::Timelike::num_seconds_from_midnight(&t)))
        .filter(|start| first.wrapping_sub(*start) < 12 * 3600)
        .unwrap_or(first);
    let offset = |t: u64| {
        if t >= start {
            t - start
        } else {
            t + 24 * 3600 - start
        }
    };
    let mut order: Vec<String> = s.airtime.iter().map(|a| a.member.clone()).collect();
    for t in &s.turns {
        if !order.contains(&t.member) {
            order.push(t.member.clone());
        }
    }
    let mut length = s.actual_secs + s.paused_secs;
    let mut rows: Vec<(String, Vec<Span>)> = order.into_iter().map(|m| (m, Vec::new())).collect();
    for t in &s.turns {
        let Some(at) = time_of_day(&t.start) else { continue };
        let from = offset(at);
        let span = Span {
            from,
            to: from + t.length_secs,
            passed: t.passed,
        };
        length = length.max(span.to);
        if let Some((_, spans)) = rows.iter_mut().find(|(m, _)| *m == t.member) {
            spans.push(span);
        }
    }
    rows.retain(|(_, spans)| !spans.is_empty());
    Some(Timeline {
        start,
        length: length.max(60),
        rows,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn note(tags: &[&str]) -> NoteSummary {
        NoteSummary {
            at: "18:00:00".into(),
            about: "group".into(),
            tags: tags.iter().map(|t| (*t).to_owned()).collect(),
            text: tags.join("+"),
            risk: tags.contains(&"risk"),
            follow_up: tags.contains(&"follow-up"),
            amended: None,
            withdrawn: None,
            first_text: None,
            first_about: None,
        }
    }

    #[test]
    fn notes_fall_in_the_segment_running_at_their_time() -> Result<(), crate::summary::SummaryError> {
        let s = crate::summary::parse_summary(include_str!("../../tests/fixtures/summary-v1.ron"))?;
        let start = s.started.clone().unwrap_or_default();
        let hhmm = start.get(11..19).unwrap_or("18:00:00").to_owned();
        assert_eq!(segment_at(&s, &hhmm), Some(0), "at the start: the first segment");
        assert_eq!(segment_at(&s, "not a time"), None);
        let mut later = None;
        for t in &s.turns {
            if let Some(i) = segment_at(&s, &t.start) {
                later = Some(i);
                assert_eq!(s.segments[i].title, t.segment, "turn at {}", t.start);
            }
        }
        assert!(later.is_some());
        Ok(())
    }

    #[test]
    fn risk_first_then_builtin_then_custom_then_untagged() {
        let notes = vec![
            note(&[]),
            note(&["sleep"]),
            note(&["insight", "risk"]),
            note(&["follow-up"]),
        ];
        let groups = by_tag(&notes);
        let names: Vec<Option<&str>> = groups.iter().map(|(t, _)| t.as_deref()).collect();
        assert_eq!(
            names,
            vec![
                Some("risk"),
                Some("follow-up"),
                Some("insight"),
                Some("sleep"),
                None
            ]
        );
        assert_eq!(groups[0].1[0].text, "insight+risk");
    }
}
