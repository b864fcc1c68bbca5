//! The wrap-up as documents a clinician files: the group part once (`group.md`), and one
//! progress note per member in the chosen template, as Markdown and as plain text for
//! pasting into an EHR field.
//!
//! Every text from the wrap-up goes through [`Names`] on its way in: a member's note names
//! no other member, the group part names nobody. What is not finished is said plainly
//! ("(not written)", "INCOMPLETE: …"), never left blank.
//!
//! A note is first built as a small `Doc` (a title, alerts, sections of lines) and then
//! written out as Markdown or as plain text, so both always say the same (`doc`); `group`
//! and `member` build the two kinds of document.

mod doc;
mod group;
mod member;

use self::doc::{Doc, Line, Section};
pub use self::member::{Part, layout};
use super::redact::{Names, Warning};
use super::{Template, WrapUp};

/// One rendered document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    pub markdown: String,
    /// The same without any Markdown: for pasting into an EHR's text field.
    pub text: String,
    /// Words that may name a member and were left as written, by field.
    pub warnings: Vec<FieldWarning>,
}

/// A redaction warning, and the field of the wrap-up it is in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldWarning {
    /// The field in words: "Assessment", "note at 18:11:00", "Themes"…
    pub field: String,
    /// 1-based line and column of the word in that field's text.
    pub line: usize,
    pub column: usize,
    pub warning: Warning,
}

impl std::fmt::Display for FieldWarning {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}, line {}, column {}: {}",
            self.field,
            self.line,
            self.column,
            self.warning.message()
        )
    }
}

/// What `holdspace notes` writes: the group part and every member's note.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notes {
    pub group: Rendered,
    /// In roster order, one per member (a one-line entry for those who did not attend).
    pub members: Vec<MemberDocument>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MemberDocument {
    /// The member's index in the wrap-up (and the roster).
    pub member: usize,
    pub name: String,
    pub note: Rendered,
}

/// The group part and one note per member, in `template`.
pub fn render_all(wrapup: &WrapUp, template: Template) -> Notes {
    let names = Names::of(wrapup);
    Notes {
        group: group::group_with(wrapup, &names),
        members: wrapup
            .members
            .iter()
            .enumerate()
            .map(|(i, m)| MemberDocument {
                member: i,
                name: m.name.clone(),
                note: member::member_with(wrapup, &names, i, template),
            })
            .collect(),
    }
}

/// `group.md`: the session for the group as a whole, naming no member.
pub fn group_note(wrapup: &WrapUp) -> Rendered {
    group::group_with(wrapup, &Names::of(wrapup))
}

/// The progress note of member `member` in `template` (None when there is no such
/// member), naming no other member.
pub fn member_note(wrapup: &WrapUp, member: usize, template: Template) -> Option<Rendered> {
    (member < wrapup.members.len()).then(|| member::member_with(wrapup, &Names::of(wrapup), member, template))
}

/// Redacts every text on its way into one document, and keeps the warnings by field.
struct Redactor<'a> {
    names: &'a Names,
    /// Whose note it is; `None` for the group part.
    own: Option<usize>,
    warnings: Vec<FieldWarning>,
}

impl Redactor<'_> {
    fn clean(&mut self, field: &str, text: &str) -> String {
        self.clean_about(field, text, None)
    }

    /// [`Redactor::clean`] of a text about member `about` (a flag about them): in the
    /// group part their name goes even when it is an everyday word.
    fn clean_about(&mut self, field: &str, text: &str, about: Option<usize>) -> String {
        let redacted = match (self.own, about) {
            (Some(member), _) => self.names.for_member(member, text),
            (None, Some(about)) => self.names.for_group_about(about, text),
            (None, None) => self.names.for_group(text),
        };
        for warning in redacted.warnings {
            let (line, column) = warning.line_col(text);
            self.warnings.push(FieldWarning {
                field: field.to_owned(),
                line,
                column,
                warning,
            });
        }
        redacted.text
    }

    /// A typed field: its redacted text, or "(not written)".
    fn typed(&mut self, field: &str, text: &str) -> Line {
        if text.trim().is_empty() {
            Line::NotWritten
        } else {
            Line::Text(self.clean(field, text.trim()))
        }
    }

    /// Who a flag is about, for a document that may not name them: a member is "a group
    /// member" whatever their name (an everyday-word name included).
    fn about(&mut self, wrapup: &WrapUp, about: &str) -> String {
        if about == "group" {
            "the group".to_owned()
        } else if wrapup.members.iter().any(|m| m.name == about) {
            super::redact::A_MEMBER.to_owned()
        } else {
            self.clean("flag subject", about)
        }
    }
}

/// How a risk was closed, or that it was not.
fn risk_closure(r: &mut Redactor<'_>, at: &str, action: &str, told: &str) -> String {
    let action = action.trim();
    let told = told.trim();
    if action.is_empty() {
        return "INCOMPLETE: no action recorded.".to_owned();
    }
    let action = r.clean(&format!("risk at {at}: action"), action);
    if told.is_empty() {
        format!("Action taken: {action}. INCOMPLETE: who was told is not recorded.")
    } else {
        let told = r.clean(&format!("risk at {at}: who was told"), told);
        format!("Action taken: {action}. Told: {told}.")
    }
}

fn follow_up_owner(r: &mut Redactor<'_>, field: &str, owner: &str, due: Option<&str>) -> String {
    let owner = if owner.trim().is_empty() {
        "INCOMPLETE: no owner".to_owned()
    } else {
        format!("Owner: {}", r.clean(&format!("{field}: owner"), owner.trim()))
    };
    match due {
        Some(due) if !due.trim().is_empty() => format!("{owner}; due {}.", crate::text::terminal(due.trim())),
        _ => format!("{owner}; no due date."),
    }
}

/// Date, time and length of the session, planned against actual.
fn session_lines(wrapup: &WrapUp, r: &mut Redactor<'_>) -> Vec<Line> {
    let schedule = &wrapup.group.schedule;
    let time = match (schedule.start.as_str(), schedule.end.as_str()) {
        ("", "") => "not recorded".to_owned(),
        (start, "") => format!("from {start} (no end recorded)"),
        ("", end) => format!("until {end}"),
        (start, end) => format!("{start}\u{2013}{end}"),
    };
    let over = schedule.actual_secs as i64 - schedule.planned_secs as i64;
    let against = match over {
        0 => "as planned".to_owned(),
        o if o > 0 => format!("{} over", span(o.unsigned_abs())),
        o => format!("{} under", span(o.unsigned_abs())),
    };
    vec![
        Line::Field("Topic", r.clean("Topic", &wrapup.group.topic)),
        Line::Field("Date", or_unknown(&schedule.date)),
        Line::Field("Time", time),
        Line::Field(
            "Duration",
            format!(
                "{} (planned {}; {against})",
                span(schedule.actual_secs),
                span(schedule.planned_secs)
            ),
        ),
    ]
}

fn or_unknown(text: &str) -> String {
    if text.trim().is_empty() {
        "not recorded".to_owned()
    } else {
        crate::text::terminal(text.trim())
    }
}

/// A length in words: "45 s", "12 min", "7 min 30 s".
pub fn span(secs: u64) -> String {
    match (secs / 60, secs % 60) {
        (0, s) => format!("{s} s"),
        (m, 0) => format!("{m} min"),
        (m, s) => format!("{m} min {s} s"),
    }
}
