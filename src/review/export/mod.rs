//! Exports of one session or of a group's series: Markdown, or one self-contained,
//! printable HTML file with the charts drawn as inline SVG (no scripts, no links out).
//! Every piece of text from a summary is escaped for the format it goes into.

mod html;

use std::fmt::Write as _;

use super::series::{Series, presence_mark};
use super::{Format, fmt};
use crate::observations::Observations;
use crate::summary::{Summary, to_markdown};
use crate::text::markdown;

pub use html::escape;

/// The export of one session, with any trainee observations of it.
pub fn session(format: Format, summary: &Summary, observations: &[Observations]) -> String {
    match format {
        Format::Md => session_markdown(summary, observations),
        Format::Html => html::session(summary, observations),
    }
}

/// The export of a group across its sessions.
pub fn group(format: Format, series: &Series) -> String {
    match format {
        Format::Md => group_markdown(series),
        Format::Html => html::group(series),
    }
}

// `write!` to a String cannot fail; the results are ignored on purpose.
macro_rules! out {
    ($out:expr) => { $out.push('\n') };
    ($out:expr, $($arg:tt)*) => {{ let _ = writeln!($out, $($arg)*); }};
}

/// The summary's own report, then the trainees' observations.
pub fn session_markdown(summary: &Summary, observations: &[Observations]) -> String {
    let mut out = to_markdown(summary);
    for obs in observations {
        out!(out, "## Observations by {} (trainee)", markdown(&obs.trainee));
        out!(out);
        if obs.notes.is_empty() {
            out!(out, "No observations.");
        }
        for note in &obs.notes {
            let tags: String = note.tags.iter().map(|t| format!(" #{}", markdown(t))).collect();
            out!(
                out,
                "- {} · {} · {}{}",
                markdown(&note.at),
                markdown(&note.about),
                markdown(&note.text),
                tags
            );
        }
        out!(out);
    }
    out
}

/// A group across its sessions: the sessions, attendance, airtime and every flag.
pub fn group_markdown(s: &Series) -> String {
    let mut out = String::new();
    out!(out, "# {}", markdown(&s.group));
    out!(out);
    let (first, last) = (s.sessions.first(), s.sessions.last());
    if let (Some(first), Some(last)) = (first, last) {
        out!(
            out,
            "{} sessions, {} to {}; {} members; {} flags.",
            s.sessions.len(),
            first.date,
            last.date,
            s.members.len(),
            s.flags.len()
        );
        out!(out);
    }
    out!(out, "## Sessions");
    out!(out);
    out!(
        out,
        "| # | Date | Session | Title | Present | Over/under | Flags |"
    );
    out!(out, "|---|---|---|---|---|---|---|");
    for (i, x) in s.sessions.iter().enumerate() {
        out!(
            out,
            "| {} | {} {} | {} | {} | {}/{} | {} | {} |",
            i + 1,
            markdown(&x.date),
            markdown(&x.time),
            markdown(&x.label),
            markdown(&x.title),
            x.present,
            x.roster,
            fmt::over_under(x.over_under_secs),
            fmt::flags(x.risk, x.follow_up)
        );
    }
    out!(out);

    let header: String = (1..=s.sessions.len()).map(|i| format!(" {i} |")).collect();
    let rule: String = s.sessions.iter().map(|_| ":-:|").collect();
    out!(out, "## Attendance");
    out!(out);
    out!(
        out,
        "P present · L late · E left early · · absent · blank: not on the roster. Columns are the sessions above."
    );
    out!(out);
    out!(out, "| Member |{header} Attended |");
    out!(out, "|---|{rule}---|");
    for (m, name) in s.members.iter().enumerate() {
        let marks: String = s
            .sessions
            .iter()
            .enumerate()
            .map(|(c, _)| {
                let p = s.attendance.get(m).and_then(|row| row.get(c)).copied().flatten();
                format!(" {} |", presence_mark(p))
            })
            .collect();
        let t = s.totals.get(m).cloned().unwrap_or_default();
        out!(
            out,
            "| {} |{marks} {}/{} |",
            markdown(name),
            t.attended,
            t.on_roster
        );
    }
    out!(out);

    out!(out, "## Airtime");
    out!(out);
    out!(
        out,
        "Minutes spoken per session; – not there. Silent: sessions attended without a turn."
    );
    out!(out);
    out!(out, "| Member |{header} Total | Turns | Silent |");
    out!(
        out,
        "|---|{}---|---|---|",
        s.sessions.iter().map(|_| "--:|").collect::<String>()
    );
    for (m, name) in s.members.iter().enumerate() {
        let cells: String = s
            .sessions
            .iter()
            .enumerate()
            .map(
                |(c, _)| match s.airtime.get(m).and_then(|row| row.get(c)).copied().flatten() {
                    Some(secs) => format!(" {} |", minutes(secs)),
                    None => " – |".into(),
                },
            )
            .collect();
        let t = s.totals.get(m).cloned().unwrap_or_default();
        out!(
            out,
            "| {} |{cells} {} | {} | {} |",
            markdown(name),
            fmt::duration(t.secs),
            t.turns,
            t.silent
        );
    }
    out!(out);

    out!(out, "## Flags");
    out!(out);
    if s.flags.is_empty() {
        out!(out, "No risk or follow-up flags in this group.");
    }
    for f in &s.flags {
        out!(
            out,
            "- **{}** {} {} ({}) · {} · {} · {}",
            flag_label(f.note.risk, f.note.follow_up),
            f.date,
            markdown(&f.session),
            markdown(&f.title),
            markdown(&f.note.at),
            markdown(&f.note.about),
            markdown(&f.note.text)
        );
    }
    out!(out);
    out
}

/// Whole minutes, rounded: `4`, `0`.
fn minutes(secs: u64) -> String {
    ((secs + 30) / 60).to_string()
}

/// `RISK`, `FOLLOW-UP` or `RISK + FOLLOW-UP`.
pub fn flag_label(risk: bool, follow_up: bool) -> &'static str {
    match (risk, follow_up) {
        (true, true) => "RISK + FOLLOW-UP",
        (true, false) => "RISK",
        (false, true) => "FOLLOW-UP",
        (false, false) => "NOTE",
    }
}
