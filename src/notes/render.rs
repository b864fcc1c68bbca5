//! The wrap-up as documents a clinician files: the group part once (`group.md`), and one
//! progress note per member in the chosen template, as Markdown and as plain text for
//! pasting into an EHR field.
//!
//! Every text from the wrap-up goes through [`Names`] on its way in: a member's note names
//! no other member, the group part names nobody. What is not finished is said plainly
//! ("(not written)", "INCOMPLETE: …"), never left blank.
//!
//! A note is first built as a small [`Doc`] (a title, alerts, sections of lines) and then
//! written out as Markdown or as plain text, so both always say the same.

use super::redact::{Names, Warning};
use super::{MemberNote, Template, WrapUp};
use crate::summary::Presence;

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
        group: group_with(wrapup, &names),
        members: wrapup
            .members
            .iter()
            .enumerate()
            .map(|(i, m)| MemberDocument {
                member: i,
                name: m.name.clone(),
                note: member_with(wrapup, &names, i, template),
            })
            .collect(),
    }
}

/// `group.md`: the session for the group as a whole, naming no member.
pub fn group_note(wrapup: &WrapUp) -> Rendered {
    group_with(wrapup, &Names::of(wrapup))
}

/// The progress note of member `member` in `template` (None when there is no such
/// member), naming no other member.
pub fn member_note(wrapup: &WrapUp, member: usize, template: Template) -> Option<Rendered> {
    (member < wrapup.members.len()).then(|| member_with(wrapup, &Names::of(wrapup), member, template))
}

// The document model.

struct Doc {
    title: String,
    /// Said first, on their own line: what is unfinished.
    alerts: Vec<String>,
    sections: Vec<Section>,
}

struct Section {
    heading: &'static str,
    lines: Vec<Line>,
}

enum Line {
    /// A labelled value: "Attendance: present".
    Field(&'static str, String),
    /// A paragraph of free text.
    Text(String),
    /// One of a list (flags).
    Item(String),
    /// One of a list under the field before it (the notes about a member).
    SubItem(String),
    /// A field the facilitator has not written yet.
    NotWritten,
}

const NOT_WRITTEN: &str = "(not written)";

impl Doc {
    fn markdown(&self) -> String {
        let md = crate::text::markdown;
        let mut out = format!("# {}\n\n", md(&self.title));
        for alert in &self.alerts {
            out.push_str(&format!("**{}**\n\n", md(alert)));
        }
        for section in &self.sections {
            out.push_str(&format!("## {}\n\n", section.heading));
            let mut in_list = false;
            for line in &section.lines {
                let (item, text) = match line {
                    Line::Field(label, value) if value.is_empty() => (true, format!("- **{label}:**")),
                    Line::Field(label, value) => (true, format!("- **{label}:** {}", md(value))),
                    Line::Item(value) => (true, format!("- {}", md(value))),
                    Line::SubItem(value) => (true, format!("  - {}", md(value))),
                    Line::Text(value) => (false, md(value)),
                    Line::NotWritten => (false, NOT_WRITTEN.to_owned()),
                };
                if in_list && !item {
                    out.push('\n');
                }
                out.push_str(&text);
                out.push_str(if item { "\n" } else { "\n\n" });
                in_list = item;
            }
            if in_list {
                out.push('\n');
            }
        }
        out.truncate(out.trim_end().len());
        out.push('\n');
        out
    }

    /// Plain text: no Markdown, no control characters, line breaks kept.
    fn text(&self) -> String {
        let mut out = format!("{}\n", plain(&self.title));
        for alert in &self.alerts {
            out.push_str(&format!("{}\n", plain(alert)));
        }
        for section in &self.sections {
            out.push('\n');
            match section.lines.as_slice() {
                // A field with one short answer reads on one line: "Assessment: (not written)".
                [Line::NotWritten] => out.push_str(&format!("{}: {NOT_WRITTEN}\n", section.heading)),
                [Line::Text(value)] if !value.contains('\n') => {
                    out.push_str(&format!("{}: {}\n", section.heading, plain(value)));
                }
                lines => {
                    out.push_str(&format!("{}:\n", section.heading));
                    for line in lines {
                        let text = match line {
                            Line::Field(label, value) if value.is_empty() => format!("{label}:"),
                            Line::Field(label, value) => format!("{label}: {}", plain(value)),
                            Line::Item(value) | Line::SubItem(value) => format!("  {}", plain(value)),
                            Line::Text(value) => plain(value),
                            Line::NotWritten => NOT_WRITTEN.to_owned(),
                        };
                        out.push_str(&text);
                        out.push('\n');
                    }
                }
            }
        }
        out
    }
}

/// Text for a plain file: each line made safe for a terminal (a `.txt` is `cat` as often
/// as pasted), the line breaks themselves kept.
fn plain(text: &str) -> String {
    text.lines()
        .map(crate::text::terminal)
        .collect::<Vec<_>>()
        .join("\n")
}

fn rendered(doc: &Doc, warnings: Vec<FieldWarning>) -> Rendered {
    Rendered {
        markdown: doc.markdown(),
        text: doc.text(),
        warnings,
    }
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
        let redacted = match self.own {
            Some(member) => self.names.for_member(member, text),
            None => self.names.for_group(text),
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

// The group part.

fn group_with(wrapup: &WrapUp, names: &Names) -> Rendered {
    let mut r = Redactor {
        names,
        own: None,
        warnings: Vec::new(),
    };
    let group = &wrapup.group;
    let title = format!("Group session: {}", r.clean("Topic", &group.topic));
    let mut sections = vec![
        Section {
            heading: "Session",
            lines: session_lines(wrapup, &mut r),
        },
        Section {
            heading: "Attendance",
            lines: attendance_counts(wrapup),
        },
        Section {
            heading: "Interventions",
            lines: vec![r.typed("Interventions", &group.interventions)],
        },
        Section {
            heading: "Themes",
            lines: vec![r.typed("Themes", &group.themes)],
        },
    ];
    if !group.homework.trim().is_empty() {
        sections.push(Section {
            heading: "Group homework",
            lines: vec![r.typed("Group homework", &group.homework)],
        });
    }
    let mut risks = Vec::new();
    for risk in &wrapup.risks {
        let about = r.about(wrapup, &risk.about);
        let text = r.clean(&format!("risk at {}", risk.at), &risk.text);
        let closed = risk_closure(&mut r, &risk.at, &risk.action, &risk.told);
        risks.push(Line::Item(format!(
            "{}, about {about}: \u{201c}{text}\u{201d}. {closed}",
            risk.at
        )));
    }
    sections.push(Section {
        heading: "Risk flags",
        lines: none_if_empty(risks, "No risk flags."),
    });
    let mut follow_ups = Vec::new();
    for follow_up in &wrapup.follow_ups {
        let about = r.about(wrapup, &follow_up.about);
        let field = format!("follow-up at {}", follow_up.at);
        let text = r.clean(&field, &follow_up.text);
        let owner = follow_up_owner(&mut r, &field, &follow_up.owner, follow_up.due.as_deref());
        follow_ups.push(Line::Item(format!(
            "{}, about {about}: \u{201c}{text}\u{201d}. {owner}",
            follow_up.at
        )));
    }
    sections.push(Section {
        heading: "Follow-ups",
        lines: none_if_empty(follow_ups, "No follow-ups."),
    });
    let doc = Doc {
        title,
        alerts: group_alerts(wrapup),
        sections,
    };
    rendered(&doc, r.warnings)
}

fn none_if_empty(lines: Vec<Line>, none: &str) -> Vec<Line> {
    if lines.is_empty() {
        vec![Line::Text(none.to_owned())]
    } else {
        lines
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

/// What is unfinished, counted, naming nobody.
fn group_alerts(wrapup: &WrapUp) -> Vec<String> {
    use super::Missing;
    let missing = wrapup.missing();
    if missing.is_empty() {
        return if wrapup.finished {
            Vec::new()
        } else {
            vec!["DRAFT: the facilitator has not marked this wrap-up finished.".to_owned()]
        };
    }
    let count = |f: fn(&Missing) -> bool| missing.iter().filter(|m| f(m)).count();
    let parts = [
        (
            count(|m| matches!(m, Missing::RiskAction { .. })),
            "risk flag(s) without an action and who was told",
        ),
        (
            count(|m| matches!(m, Missing::FollowUpOwner { .. })),
            "follow-up(s) without an owner",
        ),
        (
            count(|m| matches!(m, Missing::MemberAssessment { .. })),
            "member note(s) without an assessment",
        ),
        (
            count(|m| matches!(m, Missing::MemberPlan { .. })),
            "member note(s) without a plan",
        ),
    ];
    let said: Vec<String> = parts
        .iter()
        .filter(|(n, _)| *n > 0)
        .map(|(n, what)| format!("{n} {what}"))
        .collect();
    vec![format!(
        "INCOMPLETE: this wrap-up is not finished: {}.",
        said.join("; ")
    )]
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

/// Attendance as counts, naming nobody.
fn attendance_counts(wrapup: &WrapUp) -> Vec<Line> {
    let count = |p: Presence| wrapup.members.iter().filter(|m| m.attendance == p).count();
    let attended = wrapup.present().count();
    let mut lines = vec![Line::Field(
        "Attended",
        format!(
            "{attended} of {} (present {}, late {}, left early {})",
            wrapup.members.len(),
            count(Presence::Present),
            count(Presence::Late),
            count(Presence::LeftEarly)
        ),
    )];
    lines.push(Line::Field("Absent", count(Presence::Absent).to_string()));
    lines.push(Line::Field(
        "Not recorded",
        count(Presence::NotRecorded).to_string(),
    ));
    lines
}

/// A length in words: "45 s", "12 min", "7 min 30 s".
fn span(secs: u64) -> String {
    match (secs / 60, secs % 60) {
        (0, s) => format!("{s} s"),
        (m, 0) => format!("{m} min"),
        (m, s) => format!("{m} min {s} s"),
    }
}

// A member's note.

fn member_with(wrapup: &WrapUp, names: &Names, i: usize, template: Template) -> Rendered {
    let member = &wrapup.members[i];
    let mut r = Redactor {
        names,
        own: Some(i),
        warnings: Vec::new(),
    };
    if !member.attendance.attended() {
        return did_not_attend(wrapup, member, &mut r);
    }
    let mut header = header_lines(wrapup, &mut r, template);
    if template != Template::Girp && !member.fields.goal.trim().is_empty() {
        header.push(Line::Field("Goal", r.clean("Goal", member.fields.goal.trim())));
    }
    let mut sections = vec![Section {
        heading: "Session",
        lines: header,
    }];
    let risks = member_risks(wrapup, member, &mut r);
    if !risks.is_empty() {
        sections.push(Section {
            heading: "Risk",
            lines: risks,
        });
    }
    let fields = &member.fields;
    let captured = captured_lines(member, &mut r, template);
    let body: Vec<Section> = match template {
        Template::Soap => vec![
            Section {
                heading: "Subjective",
                lines: vec![r.typed("Subjective", &fields.subjective)],
            },
            Section {
                heading: "Objective",
                lines: captured,
            },
            Section {
                heading: "Assessment",
                lines: vec![r.typed("Assessment", &fields.assessment)],
            },
        ],
        Template::Dap => vec![
            Section {
                heading: "Data",
                lines: captured,
            },
            Section {
                heading: "Assessment",
                lines: vec![r.typed("Assessment", &fields.assessment)],
            },
        ],
        Template::Birp => vec![
            Section {
                heading: "Behaviour",
                lines: captured,
            },
            Section {
                heading: "Intervention",
                lines: vec![r.typed("Interventions", &wrapup.group.interventions)],
            },
            Section {
                heading: "Response",
                lines: vec![r.typed("Response", &fields.assessment)],
            },
        ],
        Template::Girp => vec![
            Section {
                heading: "Goal",
                lines: vec![r.typed("Goal", &fields.goal)],
            },
            Section {
                heading: "Intervention",
                lines: vec![r.typed("Interventions", &wrapup.group.interventions)],
            },
            Section {
                heading: "Participation",
                lines: captured,
            },
            Section {
                heading: "Response",
                lines: vec![r.typed("Response", &fields.assessment)],
            },
        ],
    };
    sections.extend(body);
    sections.push(Section {
        heading: "Plan",
        lines: plan_lines(wrapup, member, &mut r),
    });
    let doc = Doc {
        title: format!("Progress note ({}): {}", template.name(), member.name),
        alerts: member_alerts(wrapup, member),
        sections,
    };
    rendered(&doc, r.warnings)
}

/// The one-line entry of a member who did not attend (some charts need it).
fn did_not_attend(wrapup: &WrapUp, member: &MemberNote, r: &mut Redactor<'_>) -> Rendered {
    let why = match member.attendance {
        Presence::Absent => "did not attend (marked absent)",
        _ => "not recorded as attending (attendance not recorded); no progress note",
    };
    let topic = r.clean("Topic", &wrapup.group.topic);
    let line = format!(
        "{}: {}, group session \u{201c}{topic}\u{201d}: {why}.",
        member.name,
        or_unknown(&wrapup.group.schedule.date)
    );
    Rendered {
        markdown: format!("{}\n", crate::text::markdown(&line)),
        text: format!("{}\n", plain(&line)),
        warnings: std::mem::take(&mut r.warnings),
    }
}

/// What every member's note begins with, so it stands alone in the chart.
fn header_lines(wrapup: &WrapUp, r: &mut Redactor<'_>, template: Template) -> Vec<Line> {
    let mut lines = session_lines(wrapup, r);
    lines.push(Line::Field(
        "Format",
        format!("group session; {} note", template.name()),
    ));
    // BIRP and GIRP have their own Intervention section.
    if matches!(template, Template::Soap | Template::Dap) && !wrapup.group.interventions.trim().is_empty() {
        lines.push(Line::Field(
            "Interventions",
            r.clean("Interventions", wrapup.group.interventions.trim()),
        ));
    }
    lines
}

/// What was captured live about the member: attendance, time, participation, the notes.
fn captured_lines(member: &MemberNote, r: &mut Redactor<'_>, template: Template) -> Vec<Line> {
    let mut attendance = member.attendance.label().to_owned();
    if let Some(arrived) = &member.arrived {
        attendance.push_str(&format!(", arrived {arrived}"));
    }
    if let Some(left) = &member.left {
        attendance.push_str(&format!(", left {left}"));
    }
    let attended = member
        .attended_secs
        .map_or_else(|| "not recorded".to_owned(), span);
    let passes = match member.passes {
        0 => String::new(),
        1 => ", passed once".to_owned(),
        n => format!(", passed {n} times"),
    };
    let speaking = match member.turns {
        0 => format!("did not take a turn{passes}"),
        turns => format!(
            "{turns} turn{}, {} ({:.0}% of the group's speaking time){passes}",
            if turns == 1 { "" } else { "s" },
            span(member.airtime_secs),
            if member.share.is_finite() {
                member.share * 100.0
            } else {
                0.0
            }
        ),
    };
    let mut lines = vec![
        Line::Field("Attendance", attendance),
        Line::Field("Time attended", attended),
        Line::Field("Speaking", speaking),
    ];
    if template != Template::Soap && !member.fields.subjective.trim().is_empty() {
        let reported = r.clean("Subjective", member.fields.subjective.trim());
        lines.push(Line::Field("Member's report", reported));
    }
    if member.notes.is_empty() {
        lines.push(Line::Field("Facilitator's notes", "none".to_owned()));
    } else {
        lines.push(Line::Field("Facilitator's notes", String::new()));
        for note in &member.notes {
            let text = r.clean(&format!("note at {}", note.at), &note.text);
            let tags = if note.tags.is_empty() {
                String::new()
            } else {
                format!(" ({})", note.tags.join(", "))
            };
            lines.push(Line::SubItem(format!(
                "{}{tags}: \u{201c}{text}\u{201d}",
                note.at
            )));
        }
    }
    lines
}

/// The member's risk flags and how each was closed.
fn member_risks(wrapup: &WrapUp, member: &MemberNote, r: &mut Redactor<'_>) -> Vec<Line> {
    wrapup
        .risks
        .iter()
        .filter(|risk| risk.about == member.name)
        .map(|risk| {
            let text = r.clean(&format!("risk at {}", risk.at), &risk.text);
            let closed = risk_closure(r, &risk.at, &risk.action, &risk.told);
            Line::Item(format!("{}: \u{201c}{text}\u{201d}. {closed}", risk.at))
        })
        .collect()
}

/// The plan, the homework given, and the follow-ups about the member.
fn plan_lines(wrapup: &WrapUp, member: &MemberNote, r: &mut Redactor<'_>) -> Vec<Line> {
    let mut lines = vec![r.typed("Plan", &member.fields.plan)];
    if !member.fields.homework.trim().is_empty() {
        lines.push(Line::Field(
            "Homework",
            r.clean("Homework", member.fields.homework.trim()),
        ));
    }
    if !wrapup.group.homework.trim().is_empty() {
        lines.push(Line::Field(
            "Group homework",
            r.clean("Group homework", wrapup.group.homework.trim()),
        ));
    }
    for follow_up in wrapup.follow_ups.iter().filter(|f| f.about == member.name) {
        let field = format!("follow-up at {}", follow_up.at);
        let text = r.clean(&field, &follow_up.text);
        let owner = follow_up_owner(r, &field, &follow_up.owner, follow_up.due.as_deref());
        lines.push(Line::Field(
            "Follow-up",
            format!("\u{201c}{text}\u{201d}. {owner}"),
        ));
    }
    lines
}

/// What is unfinished in this member's note.
fn member_alerts(wrapup: &WrapUp, member: &MemberNote) -> Vec<String> {
    let mut missing = Vec::new();
    if member.fields.assessment.trim().is_empty() {
        missing.push("assessment not written");
    }
    if member.fields.plan.trim().is_empty() {
        missing.push("plan not written");
    }
    let open_risk = wrapup
        .risks
        .iter()
        .any(|r| r.about == member.name && (r.action.trim().is_empty() || r.told.trim().is_empty()));
    if open_risk {
        missing.push("a risk flag has no action and who was told");
    }
    if missing.is_empty() {
        Vec::new()
    } else {
        vec![format!("INCOMPLETE: {}.", missing.join("; "))]
    }
}
