//! A session's wrap-up as the review shows it: found beside the summary (or, never saved,
//! among the data dir's drafts), then laid out once as an [`Outline`] that the session
//! view ([`super::doc::wrapup`]) and the Markdown and HTML reports ([`super::export`]) each
//! write in their own way, so the three always say the same.
//!
//! Nothing here is redacted: the review is the supervisor's full record, like the summary
//! itself. A member's own note, which names no other member, is what the notes export
//! writes (see [`crate::notes::export`]).

use std::path::Path;

use crate::notes::render::{Part, layout};
use crate::notes::{MemberNote, Missing, Template, WrapUp, WrapUpError, read_draft, read_wrapup_of};
use crate::review::fmt;
use crate::storage::DataDir;
use crate::vault::Vault;

/// What the review found of a session's wrap-up.
#[derive(Clone, Debug, Default, PartialEq)]
pub enum Found {
    /// None was written.
    #[default]
    NotWritten,
    /// The wrap-up saved beside the summary; `draft`: changes not saved yet wait in a
    /// draft on this machine.
    Saved { wrapup: Box<WrapUp>, draft: bool },
    /// Only a draft on this machine: begun, left to finish later, never saved.
    Draft(Box<WrapUp>),
    /// It did not open (another key, damage, another session's): why, in words.
    Failed(String),
}

/// The wrap-up of the session `session_id` whose summary is at `summary`: the one saved
/// beside it, and any draft left in `drafts` (the data dir of this machine).
pub fn find(summary: &Path, session_id: &str, vault: &Vault, drafts: Option<&DataDir>) -> Found {
    let draft = drafts.and_then(|data| read_draft(vault, data, session_id));
    match (read_wrapup_of(vault, summary, session_id), draft) {
        (Some(Ok(wrapup)), draft) => Found::Saved {
            wrapup: Box::new(wrapup),
            draft: draft.is_some(),
        },
        (Some(Err(error)), _) => Found::failed(&error, summary),
        (None, Some(Ok(draft))) => Found::Draft(Box::new(draft)),
        (None, Some(Err(error))) => Found::Failed(format!("its unsaved draft: {error}")),
        (None, None) => Found::NotWritten,
    }
}

impl Found {
    /// The wrap-up beside the summary at `summary` did not open: why, its file named
    /// without the folder, which is the summary's own (a whole path would not fit a line).
    pub fn failed(error: &WrapUpError, summary: &Path) -> Found {
        let said = error.to_string();
        let folder = summary
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .map(|p| p.join("").display().to_string());
        Found::Failed(match folder {
            Some(folder) if folder != "/" => said.replace(&folder, ""),
            _ => said,
        })
    }
}

/// How loudly a status line is said.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Level {
    /// Finished and complete.
    Done,
    /// Nothing wrong, nothing to do here.
    Quiet,
    /// Not finished: a draft.
    Warning,
    /// Something the record lacks, or a file that did not open.
    Alarm,
}

/// The wrap-up laid out: where it stands, then its sections.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Outline {
    pub status: Vec<(String, Level)>,
    pub sections: Vec<Section>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Section {
    pub heading: String,
    pub lines: Vec<Line>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Line {
    /// "Topic: Managing anxiety"; a value of several lines keeps its breaks.
    Field { label: String, value: String },
    /// A field the facilitator has not written.
    NotWritten { label: String },
    /// A risk flag or a follow-up: what it was, then how it is closed; `open` when it is
    /// not, which is said loudly.
    Flag {
        head: String,
        closed: String,
        open: bool,
    },
    /// Said as it is: "No risk flags."
    Plain(String),
}

/// What a field not written shows.
pub const NOT_WRITTEN: &str = "(not written)";

/// The one line of a session without a wrap-up.
pub const NOT_WRITTEN_YET: &str = "Not written yet (holdspace wrapup SUMMARY writes it).";

impl Outline {
    pub fn of(found: &Found) -> Outline {
        let (wrapup, mut status) = match found {
            Found::NotWritten => return Outline::said(NOT_WRITTEN_YET, Level::Quiet),
            Found::Failed(why) => return Outline::said(&format!("⚠ It did not open: {why}"), Level::Alarm),
            Found::Saved { wrapup, draft } => {
                let mut status = vec![saved_status(wrapup)];
                if *draft {
                    status.push((
                        "Changes not saved yet wait in a draft on this machine \
                         (holdspace wrapup SUMMARY goes on with them)."
                            .to_owned(),
                        Level::Warning,
                    ));
                }
                (wrapup, status)
            }
            Found::Draft(wrapup) => (
                wrapup,
                vec![(
                    "⚠ DRAFT, NOT SAVED: begun on this machine and left to finish later \
                     (holdspace wrapup SUMMARY goes on with it). What it holds so far:"
                        .to_owned(),
                    Level::Warning,
                )],
            ),
        };
        let missing = wrapup.missing();
        if !missing.is_empty() {
            let said: Vec<String> = missing.iter().map(|m| missing_words(wrapup, m)).collect();
            status.push((format!("Missing: {}.", said.join("; ")), Level::Alarm));
        }
        let mut sections = vec![group(wrapup), risks(wrapup), follow_ups(wrapup)];
        sections.extend(wrapup.present().map(|(_, m)| member(wrapup, m)));
        let away: Vec<Line> = wrapup
            .members
            .iter()
            .filter(|m| !m.attendance.attended())
            .map(|m| Line::Plain(format!("{}: {}", m.name, m.attendance.label())))
            .collect();
        if !away.is_empty() {
            sections.push(Section {
                heading: "Did not attend".to_owned(),
                lines: away,
            });
        }
        Outline { status, sections }
    }

    fn said(text: &str, level: Level) -> Outline {
        Outline {
            status: vec![(text.to_owned(), level)],
            sections: Vec::new(),
        }
    }
}

/// Where a saved wrap-up stands.
fn saved_status(wrapup: &WrapUp) -> (String, Level) {
    let template = wrapup.template.name();
    let notes = wrapup.present().count();
    match (wrapup.finished, wrapup.is_complete()) {
        (true, true) => (
            format!("✓ Finished: {template} notes for {notes} member(s), every flag closed."),
            Level::Done,
        ),
        (true, false) => (
            format!(
                "⚠ INCOMPLETE: saved, with {} thing(s) missing ({template} notes).",
                wrapup.missing().len()
            ),
            Level::Alarm,
        ),
        (false, _) => (
            format!("⚠ DRAFT: saved, not marked finished ({template} notes)."),
            Level::Warning,
        ),
    }
}

/// One missing thing, in words, naming whom it is about (the supervisor's record).
fn missing_words(wrapup: &WrapUp, missing: &Missing) -> String {
    let name = |i: &usize| wrapup.members.get(*i).map_or("a member", |m| m.name.as_str());
    match missing {
        Missing::RiskAction { at } => {
            let about = wrapup
                .risks
                .iter()
                .find(|r| &r.at == at)
                .map(|r| r.about.as_str());
            format!(
                "the risk flag at {at}{} has no action taken and who was told",
                about.map(|a| format!(" about {a}")).unwrap_or_default()
            )
        }
        Missing::FollowUpOwner { at } => format!("the follow-up at {at} has no owner"),
        Missing::FollowUpDue { at } => {
            format!("the follow-up at {at} has a due date that is not YYYY-MM-DD")
        }
        Missing::MemberAssessment { member } => {
            format!(
                "{}: no {}",
                name(member),
                assessment_label(wrapup.template).to_lowercase()
            )
        }
        Missing::MemberPlan { member } => format!("{}: no plan", name(member)),
    }
}

/// What the template calls the assessment: "Assessment", or "Response".
fn assessment_label(template: Template) -> &'static str {
    layout(template)
        .iter()
        .find(|(_, part)| *part == Part::Assessment)
        .map_or("Assessment", |(name, _)| name)
}

fn field(label: &str, value: &str) -> Line {
    if value.trim().is_empty() {
        Line::NotWritten {
            label: label.to_owned(),
        }
    } else {
        Line::Field {
            label: label.to_owned(),
            value: value.trim().to_owned(),
        }
    }
}

fn group(wrapup: &WrapUp) -> Section {
    let g = &wrapup.group;
    let s = &g.schedule;
    let time = match (s.start.as_str(), s.end.as_str()) {
        ("", "") => String::new(),
        (start, "") => format!(" from {start}"),
        (start, end) => format!(" {start}–{end}"),
    };
    let mut lines = vec![
        field("Topic", &g.topic),
        field("Date", &format!("{}{time}", s.date)),
        Line::Field {
            label: "Duration".to_owned(),
            value: format!(
                "{} of {} planned",
                fmt::duration(s.actual_secs),
                fmt::duration(s.planned_secs)
            ),
        },
        field("Interventions", &g.interventions),
        field("Themes", &g.themes),
    ];
    if !g.homework.trim().is_empty() {
        lines.push(field("Group homework", &g.homework));
    }
    Section {
        heading: "Group".to_owned(),
        lines,
    }
}

fn risks(wrapup: &WrapUp) -> Section {
    let lines = wrapup
        .risks
        .iter()
        .map(|r| {
            let (action, told) = (r.action.trim(), r.told.trim());
            let closed = match (action.is_empty(), told.is_empty()) {
                (false, false) => format!("Action taken: {action} · Told: {told}"),
                (true, true) => "⚠ INCOMPLETE: no action taken, nobody recorded as told".to_owned(),
                (true, false) => format!("⚠ INCOMPLETE: no action taken · Told: {told}"),
                (false, true) => {
                    format!("Action taken: {action} · ⚠ INCOMPLETE: who was told is not recorded")
                }
            };
            Line::Flag {
                head: format!("{} {}: {}", r.at, r.about, r.text),
                closed,
                open: action.is_empty() || told.is_empty(),
            }
        })
        .collect();
    Section {
        heading: "Risk flags".to_owned(),
        lines: or_none(lines, "No risk flags."),
    }
}

fn follow_ups(wrapup: &WrapUp) -> Section {
    let lines = wrapup
        .follow_ups
        .iter()
        .map(|f| {
            let owner = f.owner.trim();
            let due = f
                .due
                .as_deref()
                .map(str::trim)
                .filter(|d| !d.is_empty())
                .map_or_else(|| "no due date".to_owned(), |d| format!("due {d}"));
            let closed = if owner.is_empty() {
                format!("⚠ INCOMPLETE: no owner · {due}")
            } else {
                format!("Owner: {owner} · {due}")
            };
            Line::Flag {
                head: format!("{} {}: {}", f.at, f.about, f.text),
                closed,
                open: owner.is_empty(),
            }
        })
        .collect();
    Section {
        heading: "Follow-ups".to_owned(),
        lines: or_none(lines, "No follow-ups."),
    }
}

fn or_none(lines: Vec<Line>, none: &str) -> Vec<Line> {
    if lines.is_empty() {
        vec![Line::Plain(none.to_owned())]
    } else {
        lines
    }
}

/// A member present: what was captured, then what the facilitator wrote, under the
/// template's own section names.
fn member(wrapup: &WrapUp, m: &MemberNote) -> Section {
    let f = &m.fields;
    let mut lines = Vec::new();
    for &(name, part) in layout(wrapup.template) {
        match part {
            Part::Subjective => lines.push(field(name, &f.subjective)),
            Part::Goal => lines.push(field(name, &f.goal)),
            Part::Captured => lines.push(Line::Field {
                label: name.to_owned(),
                value: captured(m),
            }),
            // The group's interventions: said once, in the group part.
            Part::Intervention => {}
            Part::Assessment => lines.push(field(name, &f.assessment)),
        }
    }
    // What the template has no section for is shown when written, as the note does.
    if wrapup.template != Template::Soap && !f.subjective.trim().is_empty() {
        lines.push(field("Member's report", &f.subjective));
    }
    if wrapup.template != Template::Girp && !f.goal.trim().is_empty() {
        lines.push(field("Goal", &f.goal));
    }
    lines.push(field("Plan", &f.plan));
    if !f.homework.trim().is_empty() {
        lines.push(field("Homework", &f.homework));
    }
    Section {
        heading: m.name.clone(),
        lines,
    }
}

/// What was captured live about a member, in one line, and how many notes are about them
/// (the notes themselves are in the session's notes above).
fn captured(m: &MemberNote) -> String {
    let notes = match m.notes.len() {
        0 => "no notes".to_owned(),
        1 => "1 note".to_owned(),
        n => format!("{n} notes"),
    };
    format!("{} · {notes}", m.facts())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::summary::parse_summary;

    const V1: &str = include_str!("../../tests/fixtures/summary-v1.ron");

    /// The fixture session's wrap-up in `template`, nothing written yet.
    fn begun(template: Template) -> WrapUp {
        let summary = parse_summary(V1).expect("the fixture parses");
        WrapUp::from_summary(&summary, template)
    }

    fn status(found: &Found) -> Vec<(String, Level)> {
        Outline::of(found).status
    }

    #[test]
    fn a_wrap_up_not_begun_is_one_quiet_line() {
        let outline = Outline::of(&Found::NotWritten);
        assert_eq!(outline.status, vec![(NOT_WRITTEN_YET.to_owned(), Level::Quiet)]);
        assert!(outline.sections.is_empty());
    }

    #[test]
    fn what_is_missing_is_named_in_the_templates_words() {
        let mut w = begun(Template::Girp);
        w.finished = true;
        w.follow_ups[0].owner.clear();
        let said = status(&Found::Saved {
            wrapup: Box::new(w),
            draft: false,
        });
        assert_eq!(said[0].1, Level::Alarm);
        assert!(
            said[0]
                .0
                .starts_with("⚠ INCOMPLETE: saved, with 17 thing(s) missing (GIRP")
        );
        let missing = &said[1].0;
        assert!(
            missing.contains("the risk flag at 18:13:00 about Shirin has no action"),
            "{missing}"
        );
        assert!(
            missing.contains("the follow-up at 18:13:00 has no owner"),
            "{missing}"
        );
        assert!(
            missing.contains("Farhana: no response; Farhana: no plan"),
            "{missing}"
        );
        assert!(
            !missing.contains("Tanvir"),
            "an absent member owes no note: {missing}"
        );
    }

    #[test]
    fn a_draft_is_said_to_be_one_saved_or_not() {
        let mut w = begun(Template::Dap);
        let draft_only = status(&Found::Draft(Box::new(w.clone())));
        assert!(draft_only[0].0.starts_with("⚠ DRAFT, NOT SAVED"));
        assert_eq!(draft_only[0].1, Level::Warning);
        w.finished = false;
        for r in &mut w.risks {
            r.action = "Reviewed".into();
            r.told = "Lead".into();
        }
        for m in &mut w.members {
            m.fields.assessment = "Engaged".into();
            m.fields.plan = "Continue".into();
        }
        let saved = status(&Found::Saved {
            wrapup: Box::new(w.clone()),
            draft: true,
        });
        assert_eq!(saved[0].0, "⚠ DRAFT: saved, not marked finished (DAP notes).");
        assert!(saved[1].0.starts_with("Changes not saved yet wait in a draft"));
        assert_eq!(saved.len(), 2, "nothing missing: {saved:?}");
        w.finished = true;
        let done = status(&Found::Saved {
            wrapup: Box::new(w),
            draft: false,
        });
        assert_eq!(done[0].1, Level::Done);
    }

    #[test]
    fn each_member_present_gets_the_templates_sections_and_the_absent_one_a_line() {
        let mut w = begun(Template::Soap);
        w.members[0].fields.goal = "Sleep before midnight".into();
        w.members[0].fields.homework = "Worry log".into();
        let outline = Outline::of(&Found::Draft(Box::new(w)));
        let farhana = outline
            .sections
            .iter()
            .find(|s| s.heading == "Farhana")
            .expect("a section for Farhana");
        let labels: Vec<&str> = farhana
            .lines
            .iter()
            .filter_map(|l| match l {
                Line::Field { label, .. } | Line::NotWritten { label } => Some(label.as_str()),
                _ => None,
            })
            .collect();
        assert_eq!(
            labels,
            [
                "Subjective",
                "Objective",
                "Assessment",
                "Goal",
                "Plan",
                "Homework"
            ]
        );
        assert!(!outline.sections.iter().any(|s| s.heading == "Tanvir"));
        let away = outline.sections.last().expect("sections");
        assert_eq!(away.heading, "Did not attend");
        assert_eq!(away.lines, vec![Line::Plain("Tanvir: absent".into())]);
    }

    #[test]
    fn an_open_risk_says_which_half_is_missing() {
        let mut w = begun(Template::Dap);
        w.risks[0].action = "Safety plan".into();
        w.risks[1].told = "On call".into();
        let outline = Outline::of(&Found::Draft(Box::new(w)));
        let risks = outline
            .sections
            .iter()
            .find(|s| s.heading == "Risk flags")
            .expect("risk flags");
        let closed: Vec<(&str, bool)> = risks
            .lines
            .iter()
            .filter_map(|l| match l {
                Line::Flag { closed, open, .. } => Some((closed.as_str(), *open)),
                _ => None,
            })
            .collect();
        assert_eq!(
            closed,
            [
                (
                    "Action taken: Safety plan · ⚠ INCOMPLETE: who was told is not recorded",
                    true
                ),
                ("⚠ INCOMPLETE: no action taken · Told: On call", true)
            ]
        );
    }

    #[test]
    fn a_failure_names_the_file_without_the_summarys_folder() {
        let error = WrapUpError::Parse {
            file: "/srv/clinic/summaries/s.wrapup.ron".into(),
            message: "line 1, column 1: oops".into(),
        };
        let found = Found::failed(&error, Path::new("/srv/clinic/summaries/s.ron"));
        assert_eq!(
            found,
            Found::Failed("s.wrapup.ron: this is not a wrap-up: line 1, column 1: oops".into())
        );
        let here = Found::failed(&error, Path::new("s.ron"));
        assert_eq!(
            here,
            Found::Failed(
                "/srv/clinic/summaries/s.wrapup.ron: this is not a wrap-up: line 1, column 1: oops".into()
            )
        );
    }
}
