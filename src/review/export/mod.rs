//! Exports of one session or of a group's series: Markdown, or one self-contained,
//! printable HTML file with the charts drawn as inline SVG (no scripts, no links out).
//! Every piece of text from a summary is escaped for the format it goes into.

mod html;
mod wrapup;

use std::fmt::Write as _;

use super::browser::Supervised;
use super::series::{Series, presence_mark};
use super::wrapup::Found;
use super::{Format, fmt};
use crate::observations::{Attached, How};
use crate::summary::{Summary, to_markdown};
use crate::supervision::{Action, Record, Review, Status, Target, note_key};
use crate::text::markdown;

pub use html::escape;

/// The export of one session, with any trainee observations of it, its wrap-up (in full,
/// not redacted: the supervisor's record) and its supervision.
/// `problems` are what the review found wrong around the session (a record or a file that
/// did not open, a synced folder's conflict copies): said first, as the view says them.
pub fn session(
    format: Format,
    summary: &Summary,
    observations: &[Attached],
    supervised: &Supervised,
    wrapup: &Found,
    problems: &[String],
) -> String {
    match format {
        Format::Md => session_markdown(summary, observations, supervised, wrapup, problems),
        Format::Html => html::session(summary, observations, supervised, wrapup, problems),
    }
}

/// The status in words: "Signed by Dr. Amal Chowdhury on 2025-03-05 10:15".
pub fn status_words(supervised: &Supervised) -> String {
    if let Some(original) = &supervised.conflict_of {
        return format!(
            "CONFLICT COPY of {original}, left by a synced folder: not the record (its status is the original's)"
        );
    }
    let known = known_status_words(supervised);
    match supervised.unread_records {
        0 => known,
        n => format!(
            "UNKNOWN: {n} record(s) beside it did not open, so the status may be newer than the \
             one the others give ({known})"
        ),
    }
}

/// The status the records that opened give.
fn known_status_words(supervised: &Supervised) -> String {
    let review = &supervised.review;
    let last = |kind: fn(&Action) -> bool| review.session_records().filter(|r| kind(&r.action)).last();
    match review.status {
        Status::Draft => "Draft: not submitted for sign-off".into(),
        Status::Submitted => {
            last(|a| matches!(a, Action::Submitted { .. })).map_or("Submitted".into(), |r| {
                format!(
                    "Submitted by {} on {}",
                    r.author,
                    super::doc::session::when(&r.at)
                )
            })
        }
        Status::Signed => review.signed.as_ref().map_or("Signed".into(), |s| {
            format!("Signed by {} on {}", s.by, super::doc::session::when(&s.at))
        }),
        Status::Returned => last(|a| matches!(a, Action::Returned)).map_or("Returned".into(), |r| {
            format!(
                "Returned by {} on {}: {}",
                r.author,
                super::doc::session::when(&r.at),
                r.text
            )
        }),
    }
}

/// The warning a report carries when the summary is not what was signed.
pub const CHANGED_AFTER_SIGN_OFF: &str =
    "CHANGED AFTER SIGN-OFF: this summary or its wrap-up differs from what was signed.";

/// A record as one line: "2025-03-05 10:15 Dr. X signed off: text".
pub fn record_words(r: &Record) -> String {
    let what = match &r.action {
        Action::Submitted { .. } => "submitted",
        Action::Signed { .. } => "signed off",
        Action::Returned => "returned it",
        Action::Comment => "commented",
        Action::Addendum => "ADDENDUM",
    };
    let at = super::doc::session::when(&r.at);
    if r.text.is_empty() {
        format!("{at} {} {what}", r.author)
    } else {
        format!("{at} {} {what}: {}", r.author, r.text)
    }
}

/// A record of the session's history in words, and what a sign-off signed that the
/// record before it did not (see [`Review::signed_another_version`]).
pub fn history_words(review: &Review, r: &Record) -> String {
    match review.signed_another_version(r) {
        Some(note) => format!("{} (⚠ {note})", record_words(r)),
        None => record_words(r),
    }
}

/// How observations were matched, in words.
pub fn how_words(how: How) -> &'static str {
    match how {
        How::SessionId => "taken following the live session",
        How::TimeOverlap => "offline notes, matched by plan, date and time",
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

/// The status first (and a change after sign-off, loudly), the summary's own report, the
/// supervisors' comments on notes, the trainees' observations with the feedback on them,
/// the wrap-up, then every supervision record.
pub fn session_markdown(
    summary: &Summary,
    observations: &[Attached],
    supervised: &Supervised,
    wrapup: &Found,
    problems: &[String],
) -> String {
    let mut out = String::new();
    out!(out, "> **Status:** {}", markdown(&status_words(supervised)));
    for problem in problems {
        out!(out, ">");
        out!(out, "> ⚠ {}", markdown(problem));
    }
    if supervised.changed_after_sign_off {
        out!(out, ">");
        out!(out, "> **⚠ {CHANGED_AFTER_SIGN_OFF}**");
    }
    out!(out);
    out.push_str(&to_markdown(summary));
    // The summary's report ends with a list: a heading right after it would join it.
    out.truncate(out.trim_end_matches('\n').len());
    out.push_str("\n\n");
    let review = &supervised.review;
    let commented: Vec<_> = summary
        .notes
        .iter()
        .filter(|n| {
            review
                .about(&Target::Note(note_key(&n.at, &n.about, &n.text)))
                .next()
                .is_some()
        })
        .collect();
    if !commented.is_empty() {
        out!(out, "## Supervisor comments on notes");
        out!(out);
        for n in commented {
            out!(
                out,
                "- {} · {} · {}",
                markdown(&n.at),
                markdown(&n.about),
                markdown(&n.text)
            );
            for r in review.about(&Target::Note(note_key(&n.at, &n.about, &n.text))) {
                out!(out, "  - ↳ {}", markdown(&record_words(r)));
            }
        }
        out!(out);
    }
    for a in observations {
        let obs = &a.observations;
        out!(out, "## Observations by {}", markdown(&a.author_label()));
        out!(out);
        out!(out, "{}.", how_words(a.how));
        out!(out);
        if obs.notes.is_empty() {
            out!(out, "No observations.");
        }
        for note in &obs.notes {
            let segment = note
                .segment
                .as_deref()
                .map(|s| format!(" · {}", markdown(s)))
                .unwrap_or_default();
            out!(
                out,
                "- {}{segment} · {} · {}",
                markdown(&note.at),
                markdown(&note.about),
                markdown(&note.text_with_tags()),
            );
            let target = Target::Observation {
                trainee: obs.trainee.clone(),
                note: note_key(&note.at, &note.about, &note.text),
            };
            for r in review.about(&target) {
                out!(out, "  - ↳ {}", markdown(&record_words(r)));
            }
        }
        out!(out);
    }
    let present = commentable(summary, observations);
    let stranded: Vec<_> = review.comments_not_on(&present).collect();
    if !stranded.is_empty() {
        out!(out, "## {COMMENTS_ON_CHANGED}");
        out!(out);
        for r in stranded {
            out!(out, "- ↳ {}", markdown(&record_words(r)));
        }
        out!(out);
    }
    out.push_str(&wrapup::markdown(wrapup));
    let records: Vec<_> = review.session_records().collect();
    if !records.is_empty() {
        out!(out, "## Supervision");
        out!(out);
        for r in records {
            out!(out, "- {}", markdown(&history_words(review, r)));
        }
        out!(out);
    }
    out
}

/// What comments in a session can be about: its notes and the trainees' observations, as
/// they are now.
pub fn commentable(summary: &Summary, observations: &[Attached]) -> Vec<Target> {
    let notes = summary
        .notes
        .iter()
        .map(|n| Target::Note(note_key(&n.at, &n.about, &n.text)));
    let observed = observations.iter().flat_map(|a| {
        a.observations.notes.iter().map(|n| Target::Observation {
            trainee: a.observations.trainee.clone(),
            note: note_key(&n.at, &n.about, &n.text),
        })
    });
    notes.chain(observed).collect()
}

/// The heading over comments whose note has changed since.
pub const COMMENTS_ON_CHANGED: &str =
    "Comments on notes that have changed since (corrected, or the file edited)";

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
        "| # | Date | Session | Title | Present | Over/under | Flags | Status |"
    );
    out!(out, "|---|---|---|---|---|---|---|---|");
    for (i, x) in s.sessions.iter().enumerate() {
        out!(
            out,
            "| {} | {} {} | {} | {} | {}/{} | {} | {} | {} |",
            i + 1,
            markdown(&x.date),
            markdown(&x.time),
            markdown(&x.label),
            markdown(&x.title),
            x.present,
            x.roster,
            fmt::over_under(x.over_under_secs),
            fmt::flags(x.risk, x.follow_up),
            markdown(&x.status)
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
    for m in s.member_order() {
        let name = &member_label(s, m);
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
    for m in s.member_order() {
        let name = &member_label(s, m);
        let cells: String = s
            .sessions
            .iter()
            .enumerate()
            .map(
                |(c, _)| match s.airtime.get(m).and_then(|row| row.get(c)).copied().flatten() {
                    Some(secs) => format!(" {} |", fmt::minutes(secs)),
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

    out!(out, "## Flag trend");
    out!(out);
    out!(out, "Flagged notes per session, oldest to newest.");
    out!(out);
    out!(out, "| Flag |{header} Total |");
    out!(
        out,
        "|---|{}---|",
        s.sessions.iter().map(|_| "--:|").collect::<String>()
    );
    for (label, counts) in [
        ("Risk", s.sessions.iter().map(|x| x.risk).collect::<Vec<_>>()),
        ("Follow-up", s.sessions.iter().map(|x| x.follow_up).collect()),
    ] {
        let cells: String = counts.iter().map(|c| format!(" {c} |")).collect();
        out!(out, "| {label} |{cells} {} |", counts.iter().sum::<usize>());
    }
    out!(out);

    let (all, risk, follow) = s.flag_counts();
    out!(out, "## Flags");
    out!(out);
    out!(
        out,
        "{all} flagged notes: {risk} risk, {follow} follow-up (a note with both counts once)."
    );
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

/// A member's name in a group report, `(former)` after it when not on the newest roster.
pub fn member_label(s: &Series, m: usize) -> String {
    let name = s.members.get(m).cloned().unwrap_or_default();
    if s.former.contains(&m) {
        format!("{name} (former)")
    } else {
        name
    }
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
