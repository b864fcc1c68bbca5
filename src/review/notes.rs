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
        }
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
