//! The readable report: what a supervisor wants first (flags), then attendance, timing,
//! airtime, turns, every note by tag, and what departed from the plan.

use std::fmt::Write as _;

use chrono::DateTime;

use super::{CarriedSummary, NoteSummary, Outcome, Presence, Summary};
use crate::session::CarriedKind;
use crate::text::markdown;

/// Width of the airtime bar of whoever spoke most.
const BAR_WIDTH: usize = 20;

/// The Markdown report of a summary.
pub fn to_markdown(s: &Summary) -> String {
    let mut out = String::new();
    header(&mut out, s);
    flags(&mut out, s);
    carried(&mut out, s);
    attendance(&mut out, s);
    agenda(&mut out, s);
    airtime(&mut out, s);
    never_spoke(&mut out, s);
    turns(&mut out, s);
    notes_by_tag(&mut out, s);
    deviations(&mut out, s);
    out
}

// `write!` to a String cannot fail; the results are ignored on purpose.
macro_rules! line {
    ($out:expr) => { $out.push('\n') };
    ($out:expr, $($arg:tt)*) => {{ let _ = writeln!($out, $($arg)*); }};
}

fn header(out: &mut String, s: &Summary) {
    line!(out, "# {}", markdown(&s.title));
    line!(out);
    let group = if s.group.is_empty() {
        "—".to_owned()
    } else {
        markdown(&s.group)
    };
    line!(out, "- **Group:** {group} ({})", markdown(&s.kind));
    if let Some(series) = &s.series {
        line!(
            out,
            "- **Series:** {}, session {} of {}",
            markdown(&series.name),
            series.session,
            series.of
        );
    }
    line!(out, "- **Date:** {}{}", markdown(&s.date), times(s));
    line!(
        out,
        "- **Time:** {} against {} planned ({})",
        duration(s.actual_secs),
        duration(s.planned_secs),
        over_under(s.over_under_secs)
    );
    if s.paused_secs > 0 {
        line!(out, "- **Paused:** {}", duration(s.paused_secs));
    }
    line!(
        out,
        "- **Facilitators:** {}",
        people(s.facilitators.iter().map(|f| format!("{} ({})", f.name, f.role)))
    );
    line!(out, "- **Trainees:** {}", people(s.trainees.iter().cloned()));
    line!(
        out,
        "- **Attendance:** {} of {} on the roster",
        s.present_count(),
        s.attendance.len()
    );
    line!(out, "- **Session:** `{}`", s.session_id.replace('`', "'"));
    line!(out);
}

fn times(s: &Summary) -> String {
    let clock = |t: &Option<String>| {
        t.as_deref()
            .and_then(|t| DateTime::parse_from_rfc3339(t).ok())
            .map(|t| (t.format("%H:%M").to_string(), t))
    };
    match (clock(&s.started), clock(&s.ended)) {
        (Some((from, t)), Some((to, _))) => format!(", {from}–{to} (UTC{})", t.format("%:z")),
        (Some((from, t)), None) => format!(", from {from} (UTC{}), never ended", t.format("%:z")),
        (None, Some((to, t))) => format!(", ended {to} (UTC{})", t.format("%:z")),
        (None, None) => String::new(),
    }
}

fn people(names: impl Iterator<Item = String>) -> String {
    let names: Vec<String> = names.map(|n| markdown(&n)).collect();
    if names.is_empty() {
        "—".to_owned()
    } else {
        names.join(", ")
    }
}

fn flags(out: &mut String, s: &Summary) {
    line!(out, "## Flags");
    line!(out);
    let flagged: Vec<&NoteSummary> = s.notes.iter().filter(|n| n.risk || n.follow_up).collect();
    if flagged.is_empty() {
        line!(out, "No risk or follow-up flags.");
        line!(out);
        return;
    }
    line!(out, "**{} risk, {} follow-up**", s.flags.risk, s.flags.follow_up);
    line!(out);
    for note in flagged {
        let label = if note.risk { "RISK" } else { "FOLLOW-UP" };
        line!(
            out,
            "- **{label}** {} · {} · {}{}{}",
            note.at,
            markdown(&note.about),
            markdown(&note.text),
            tags_suffix(note),
            amended(note)
        );
    }
    line!(out);
}

/// What the last session of the series left open: closed here, or carried on.
fn carried(out: &mut String, s: &Summary) {
    if s.carried.is_empty() {
        return;
    }
    line!(out, "## Carried from earlier sessions");
    line!(out);
    for item in &s.carried {
        line!(out, "- {}", carried_line(item));
    }
    line!(out);
}

fn carried_line(item: &CarriedSummary) -> String {
    let what = match item.kind {
        CarriedKind::FollowUp => "follow-up",
        CarriedKind::Homework => "homework",
    };
    let owner = if item.owner.trim().is_empty() {
        String::new()
    } else {
        format!(" ({})", markdown(item.owner.trim()))
    };
    let due = item
        .due
        .as_deref()
        .map_or_else(String::new, |due| format!(", due {}", markdown(due)));
    let state = match &item.closed {
        Some(at) => format!("**closed** at {at}"),
        None => "**still open**".to_owned(),
    };
    format!(
        "{state} · {what} from session {} ({}) · {} · {}{owner}{due}",
        item.raised_session,
        markdown(&item.raised_date),
        markdown(&item.about),
        markdown(&item.text),
    )
}

/// The note's tags its text does not already say (`#risk` typed in it is not repeated).
fn tags_suffix(note: &NoteSummary) -> String {
    let unsaid: Vec<String> = note
        .tags
        .iter()
        .filter(|t| !crate::text::says_tag(&note.text, t))
        .map(|t| format!("#{}", markdown(t)))
        .collect();
    if unsaid.is_empty() {
        String::new()
    } else {
        format!(" ({})", unsaid.join(" "))
    }
}

fn attendance(out: &mut String, s: &Summary) {
    line!(out, "## Attendance");
    line!(out);
    if s.attendance.is_empty() {
        line!(out, "No members on the roster.");
        line!(out);
        return;
    }
    line!(out, "| Member | Status | Arrived | Left | Attended |");
    line!(out, "|---|---|---|---|---:|");
    for a in &s.attendance {
        // Version 1 summaries have only the one time, of arriving late or leaving early.
        let (arrived, left) = match (&a.arrived, &a.left, a.status) {
            (None, None, Presence::Late) => (a.at.as_deref(), None),
            (None, None, Presence::LeftEarly) => (None, a.at.as_deref()),
            (arrived, left, _) => (arrived.as_deref(), left.as_deref()),
        };
        line!(
            out,
            "| {} | {} | {} | {} | {} |",
            markdown(&a.name),
            match &a.stepped_out {
                Some(out) => format!("{} · stepped out {out}", a.status.label()),
                None => a.status.label().to_owned(),
            },
            arrived.unwrap_or(""),
            left.unwrap_or(""),
            a.attended_secs.map_or_else(String::new, duration)
        );
    }
    line!(out);
}

fn agenda(out: &mut String, s: &Summary) {
    line!(out, "## Agenda: planned vs actual");
    line!(out);
    line!(
        out,
        "| # | Segment | Kind | Planned | Actual | Difference | Status |"
    );
    line!(out, "|---:|---|---|---:|---:|---:|---|");
    for (i, seg) in s.segments.iter().enumerate() {
        let planned = if seg.final_planned_secs == seg.planned_secs {
            duration(seg.planned_secs)
        } else {
            format!(
                "{} → {}",
                duration(seg.planned_secs),
                duration(seg.final_planned_secs)
            )
        };
        let difference = match seg.status {
            Outcome::Done => signed(diff(seg.actual_secs, seg.final_planned_secs)),
            Outcome::Skipped | Outcome::NotReached => String::new(),
        };
        let mut marks = vec![match seg.status {
            Outcome::Skipped if seg.actual_secs > 0 => format!("skipped after {}", duration(seg.actual_secs)),
            status => status.label().to_owned(),
        }];
        if seg.adjusted_secs > 0 {
            marks.push(format!("extended {}", signed(seg.adjusted_secs)));
        } else if seg.adjusted_secs < 0 {
            marks.push(format!("shortened {}", signed(seg.adjusted_secs)));
        }
        if seg.rebalanced {
            marks.push("rebalanced".into());
        }
        line!(
            out,
            "| {} | {} | {} | {planned} | {} | {difference} | {} |",
            i + 1,
            markdown(&seg.title),
            markdown(&seg.kind),
            duration(seg.actual_secs),
            marks.join(", ")
        );
    }
    line!(
        out,
        "| | **Total** | | **{}** | **{}** | **{}** | |",
        duration(s.planned_secs),
        duration(s.actual_secs),
        signed(s.over_under_secs)
    );
    line!(out);
}

fn airtime(out: &mut String, s: &Summary) {
    line!(out, "## Airtime");
    line!(out);
    if s.airtime.is_empty() {
        line!(out, "No members present.");
        line!(out);
        return;
    }
    let equal = s.airtime.first().map_or(0.0, |a| a.equal_share);
    line!(
        out,
        "An even share among the {} present would be {}. Bars are scaled to the largest share.",
        s.present_count(),
        percent(equal)
    );
    line!(out);
    let most = s.airtime.iter().map(|a| a.share).fold(0.0, f64::max);
    line!(out, "| Member | Airtime | Turns | Passes | Share | |");
    line!(out, "|---|---:|---:|---:|---:|---|");
    for a in &s.airtime {
        line!(
            out,
            "| {} | {} | {} | {} | {} | `{}` |",
            markdown(&a.member),
            duration(a.secs),
            a.turns,
            a.passes,
            percent(a.share),
            bar(a.share, most)
        );
    }
    line!(out);
}

/// A text bar: `share` against the largest share `most`, so differences show even when
/// everyone's share is small.
fn bar(share: f64, most: f64) -> String {
    let fraction = if most > 0.0 {
        (share / most).clamp(0.0, 1.0)
    } else {
        0.0
    };
    let filled = ((fraction * BAR_WIDTH as f64).round() as usize).min(BAR_WIDTH);
    format!("{}{}", "█".repeat(filled), "░".repeat(BAR_WIDTH - filled))
}

fn percent(share: f64) -> String {
    format!("{:.0}%", share * 100.0)
}

fn never_spoke(out: &mut String, s: &Summary) {
    line!(out, "## Never spoke");
    line!(out);
    if s.never_spoke.is_empty() {
        line!(out, "Everyone present spoke.");
    } else {
        for name in &s.never_spoke {
            line!(out, "- {}", markdown(name));
        }
    }
    line!(out);
}

fn turns(out: &mut String, s: &Summary) {
    line!(out, "## Turns");
    line!(out);
    if s.turns.is_empty() {
        line!(out, "No turns were taken.");
        line!(out);
        return;
    }
    line!(out, "| Start | Member | Segment | Length | |");
    line!(out, "|---|---|---|---:|---|");
    for t in &s.turns {
        line!(
            out,
            "| {} | {} | {} | {} | {} |",
            t.start,
            markdown(&t.member),
            markdown(&t.segment),
            duration(t.length_secs),
            if t.passed { "passed" } else { "" }
        );
    }
    line!(out);
}

/// Built-in tags in the order a supervisor reads them, then custom tags alphabetically,
/// then untagged notes. A note with several tags appears under each.
fn notes_by_tag(out: &mut String, s: &Summary) {
    line!(out, "## Notes by tag");
    line!(out);
    if s.notes.is_empty() {
        line!(out, "No notes were taken.");
        line!(out);
        return;
    }
    let builtin = ["risk", "follow-up", "conflict", "insight"];
    let mut custom: Vec<&str> = s
        .notes
        .iter()
        .flat_map(|n| n.tags.iter().map(String::as_str))
        .filter(|t| !builtin.contains(t))
        .collect();
    custom.sort_unstable();
    custom.dedup();
    // `notes` is already in reading order: flags first, then by time.
    for tag in builtin.iter().copied().chain(custom) {
        let tagged: Vec<&NoteSummary> = s
            .notes
            .iter()
            .filter(|n| n.tags.iter().any(|t| t == tag))
            .collect();
        if tagged.is_empty() {
            continue;
        }
        line!(out, "### #{}", markdown(tag));
        line!(out);
        for note in tagged {
            line!(out, "{}", note_line(note));
        }
        line!(out);
    }
    let untagged: Vec<&NoteSummary> = s.notes.iter().filter(|n| n.tags.is_empty()).collect();
    if !untagged.is_empty() {
        line!(out, "### Untagged");
        line!(out);
        for note in untagged {
            line!(out, "{}", note_line(note));
        }
        line!(out);
    }
}

/// `- 18:12:00 · Rafiq · text`, with "(amended 18:20:05; first written …)" when
/// corrected, and "**WITHDRAWN 18:21:10**" first when withdrawn.
fn note_line(note: &NoteSummary) -> String {
    let line = format!(
        "- {} · {} · {}{}",
        note.at,
        markdown(&note.about),
        markdown(&note.text),
        amended(note)
    );
    match &note.withdrawn {
        Some(at) => format!("- **WITHDRAWN {at}** {}", &line[2..]),
        None => line,
    }
}

/// " (amended 18:20:05; first written about Joy: “…”)": when a note was corrected, and
/// what it said before; empty for a note never corrected. (Withdrawn is said up front.)
fn amended(note: &NoteSummary) -> String {
    let amended_only = NoteSummary {
        withdrawn: None,
        ..note.clone()
    };
    amended_only
        .correction()
        .map_or_else(String::new, |words| format!(" ({})", markdown(&words)))
}

fn deviations(out: &mut String, s: &Summary) {
    line!(out, "## Deviations from the plan");
    line!(out);
    let mut items = Vec::new();
    for seg in &s.segments {
        let title = markdown(&seg.title);
        match seg.status {
            Outcome::Skipped if seg.actual_secs > 0 => items.push(format!(
                "Skipped **{title}** after {} (planned {})",
                duration(seg.actual_secs),
                duration(seg.planned_secs)
            )),
            Outcome::Skipped => items.push(format!(
                "Skipped **{title}** (planned {})",
                duration(seg.planned_secs)
            )),
            Outcome::NotReached => items.push(format!(
                "Did not reach **{title}** (planned {})",
                duration(seg.planned_secs)
            )),
            Outcome::Done => {}
        }
        if seg.adjusted_secs > 0 {
            items.push(format!(
                "Extended **{title}** by {}",
                duration(seg.adjusted_secs.unsigned_abs())
            ));
        } else if seg.adjusted_secs < 0 {
            items.push(format!(
                "Shortened **{title}** by {}",
                duration(seg.adjusted_secs.unsigned_abs())
            ));
        }
    }
    for r in &s.rebalances {
        let changes: Vec<String> = r
            .changes
            .iter()
            .map(|c| {
                format!(
                    "{} {} → {}",
                    markdown(&c.segment),
                    duration(c.from_secs),
                    duration(c.to_secs)
                )
            })
            .collect();
        let changes = if changes.is_empty() {
            "no change".to_owned()
        } else {
            changes.join("; ")
        };
        items.push(format!("Rebalanced the agenda at {}: {changes}", r.at));
    }
    for d in &s.downtimes {
        let counted = match d.counted.as_str() {
            "paused" => "counted as a pause (the clock stood still)".to_owned(),
            "elapsed" => "counted as session time (the clock kept running)".to_owned(),
            other => format!("counted as {}", markdown(other)),
        };
        items.push(format!(
            "Down from {} to {} ({}), {counted}",
            d.from,
            d.to,
            duration(d.secs)
        ));
    }
    for u in &s.undone {
        items.push(format!("Took back {} at {}", markdown(&u.what), u.at));
    }
    if s.plan_reloads > 0 {
        let times = if s.plan_reloads == 1 {
            "once".to_owned()
        } else {
            format!("{} times", s.plan_reloads)
        };
        items.push(format!(
            "The plan file was edited and reloaded {times} during the session"
        ));
    }
    if s.over_under_secs != 0 {
        items.push(format!("The session ran {}", over_under(s.over_under_secs)));
    }
    if items.is_empty() {
        line!(out, "None: the session followed the plan.");
    } else {
        for item in items {
            line!(out, "- {item}");
        }
    }
}

fn diff(a: u64, b: u64) -> i64 {
    i64::try_from(a)
        .unwrap_or(i64::MAX)
        .saturating_sub(i64::try_from(b).unwrap_or(i64::MAX))
}

/// `1h 05m`, `15m`, `2m 05s`, `45s`.
fn duration(secs: u64) -> String {
    let (h, m, s) = (secs / 3600, secs / 60 % 60, secs % 60);
    match (h, m, s) {
        (0, 0, s) => format!("{s}s"),
        (0, m, 0) => format!("{m}m"),
        (0, m, s) => format!("{m}m {s:02}s"),
        (h, m, 0) => format!("{h}h {m:02}m"),
        (h, m, s) => format!("{h}h {m:02}m {s:02}s"),
    }
}

/// `+2m`, `-45s`, `0s`.
fn signed(secs: i64) -> String {
    match secs {
        0 => "0s".to_owned(),
        s if s > 0 => format!("+{}", duration(s.unsigned_abs())),
        s => format!("-{}", duration(s.unsigned_abs())),
    }
}

fn over_under(secs: i64) -> String {
    match secs {
        0 => "on time".to_owned(),
        s if s > 0 => format!("{} over", duration(s.unsigned_abs())),
        s => format!("{} under", duration(s.unsigned_abs())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_well() {
        assert_eq!(duration(0), "0s");
        assert_eq!(duration(45), "45s");
        assert_eq!(duration(900), "15m");
        assert_eq!(duration(125), "2m 05s");
        assert_eq!(duration(3900), "1h 05m");
        assert_eq!(duration(3905), "1h 05m 05s");
        assert_eq!(signed(-60), "-1m");
        assert_eq!(signed(130), "+2m 10s");
        assert_eq!(over_under(-30), "30s under");
    }

    #[test]
    fn bars_fill_with_the_share() {
        assert_eq!(bar(0.0, 0.4), "░".repeat(20));
        assert_eq!(bar(0.2, 0.4), format!("{}{}", "█".repeat(10), "░".repeat(10)));
        assert_eq!(bar(0.4, 0.4), "█".repeat(20));
        assert_eq!(bar(0.0, 0.0), "░".repeat(20));
    }
}
