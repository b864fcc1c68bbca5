//! A member's progress note in a template, naming no other member; a one-line entry for a
//! member who did not attend.

use super::doc::{plain, rendered};
use super::{
    Doc, Line, Redactor, Rendered, Section, follow_up_owner, or_unknown, risk_closure, session_lines, span,
};
use crate::notes::redact::Names;
use crate::notes::{MemberNote, Template, WrapUp};
use crate::summary::Presence;

pub(super) fn member_with(wrapup: &WrapUp, names: &Names, i: usize, template: Template) -> Rendered {
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
    for &(heading, part) in layout(template) {
        let fields = &member.fields;
        let lines = match part {
            Part::Subjective => vec![r.typed("Subjective", &fields.subjective)],
            Part::Goal => vec![r.typed("Goal", &fields.goal)],
            Part::Captured => captured_lines(member, &mut r, template),
            Part::Intervention => vec![r.typed("Interventions", &wrapup.group.interventions)],
            Part::Assessment => vec![r.typed(heading, &fields.assessment)],
        };
        sections.push(Section { heading, lines });
    }
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

/// What a template's section holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Part {
    Subjective,
    Goal,
    /// What was captured live (see [`captured_lines`]).
    Captured,
    /// The group's interventions.
    Intervention,
    /// The assessment, or the member's response.
    Assessment,
}

/// The sections of each template between the session and the plan, in order, by name.
pub fn layout(template: Template) -> &'static [(&'static str, Part)] {
    match template {
        Template::Soap => &[
            ("Subjective", Part::Subjective),
            ("Objective", Part::Captured),
            ("Assessment", Part::Assessment),
        ],
        Template::Dap => &[("Data", Part::Captured), ("Assessment", Part::Assessment)],
        Template::Birp => &[
            ("Behaviour", Part::Captured),
            ("Intervention", Part::Intervention),
            ("Response", Part::Assessment),
        ],
        Template::Girp => &[
            ("Goal", Part::Goal),
            ("Intervention", Part::Intervention),
            ("Participation", Part::Captured),
            ("Response", Part::Assessment),
        ],
    }
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
            let field = format!("note at {}", note.at);
            let text = r.clean(&field, &note.text);
            // A custom tag is typed too ("#sadia"), so it is redacted like the text.
            let tags = if note.tags.is_empty() {
                String::new()
            } else {
                format!(" ({})", r.clean(&format!("{field}: tags"), &note.tags.join(", ")))
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
