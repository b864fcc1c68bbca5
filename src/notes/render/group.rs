//! `group.md`: the session for the group as a whole, naming no member.

use super::doc::rendered;
use super::{Doc, Line, Redactor, Rendered, Section, follow_up_owner, risk_closure, session_lines};
use crate::notes::redact::Names;
use crate::notes::{Missing, WrapUp};
use crate::summary::Presence;

pub(super) fn group_with(wrapup: &WrapUp, names: &Names) -> Rendered {
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
        let member = wrapup.members.iter().position(|m| m.name == risk.about);
        let text = r.clean_about(&format!("risk at {}", risk.at), &risk.text, member);
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
        let member = wrapup.members.iter().position(|m| m.name == follow_up.about);
        let text = r.clean_about(&field, &follow_up.text, member);
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

/// What is unfinished, counted, naming nobody.
fn group_alerts(wrapup: &WrapUp) -> Vec<String> {
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
            count(|m| matches!(m, Missing::FollowUpDue { .. })),
            "follow-up(s) with a due date that is not YYYY-MM-DD",
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
