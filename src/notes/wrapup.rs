//! The wrap-up of a session: what a clinician files. The group part once, every risk flag
//! closed with the action taken, every follow-up with an owner, and one progress note per
//! member present, pre-filled from what was captured live.
//!
//! # The file format (version 1)
//!
//! `<summary>.wrapup.ron` beside the summary (`.wrapup.ron.age` when encryption is on),
//! owner-only, written atomically, tied to its summary by `session_id`. It is written once
//! when the wrap-up is finished; while it is being edited, a draft is kept in the data
//! dir's journal folder after every change, so a crash loses nothing.
//!
//! The captured facts (attendance, minutes, turns, airtime, the notes quoted) are copied
//! from the summary when the wrap-up begins, so the file stands alone; member names in it
//! are as captured. Every note rendered from it for a member's chart is rewritten so that
//! no other member is named (see `redact`).

use serde::{Deserialize, Serialize};

pub use crate::plan::NoteTemplate as Template;
use crate::summary::{NoteSummary, Presence, Summary};

/// The version this holdspace writes, and the newest it reads.
pub const WRAPUP_VERSION: u32 = 1;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename = "WrapUp")]
pub struct WrapUp {
    pub version: u32,
    /// The summary's session id: which session this wraps up.
    pub session_id: String,
    pub template: Template,
    pub group: GroupPart,
    /// Every risk flag of the session, each to be closed with the action taken.
    pub risks: Vec<RiskFlag>,
    /// Every follow-up of the session, each with an owner.
    pub follow_ups: Vec<FollowUp>,
    /// Every member on the roster, in roster order: a progress note for those who attended,
    /// a one-line entry for the others.
    pub members: Vec<MemberNote>,
    /// Finished by the facilitator (every required field may still be incomplete: see
    /// [`WrapUp::missing`]).
    #[serde(default)]
    pub finished: bool,
}

/// What is written once for the whole group.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename = "Group")]
pub struct GroupPart {
    /// The session's topic: the plan's title unless changed.
    pub topic: String,
    /// Interventions used: pre-filled from the segments and exercises actually run.
    pub interventions: String,
    /// Themes of the session, in the facilitator's words.
    #[serde(default)]
    pub themes: String,
    /// Homework given to the whole group, if any.
    #[serde(default)]
    pub homework: String,
    pub schedule: Schedule,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename = "Schedule")]
pub struct Schedule {
    /// `YYYY-MM-DD`.
    pub date: String,
    /// Local `HH:MM` of the start and the end (empty when unknown).
    pub start: String,
    pub end: String,
    pub planned_secs: u64,
    pub actual_secs: u64,
}

/// A risk note, and how it was closed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename = "Risk")]
pub struct RiskFlag {
    /// Local `HH:MM:SS` of the note.
    pub at: String,
    /// The member's name, or "group", or a segment's title.
    pub about: String,
    pub text: String,
    /// What was done: "safety plan reviewed; on-call informed".
    #[serde(default)]
    pub action: String,
    /// Who was told.
    #[serde(default)]
    pub told: String,
}

/// A follow-up note, with who does it and by when.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename = "FollowUp")]
pub struct FollowUp {
    pub at: String,
    pub about: String,
    pub text: String,
    /// A facilitator's name.
    #[serde(default)]
    pub owner: String,
    /// `YYYY-MM-DD`, when set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub due: Option<String>,
}

/// One member's progress note: the facts captured live, and what the facilitator types.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename = "Member")]
pub struct MemberNote {
    pub name: String,
    pub attendance: Presence,
    /// Local `HH:MM:SS` of arriving late and of leaving early, when so.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub arrived: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub left: Option<String>,
    /// Time in the session, when recorded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attended_secs: Option<u64>,
    pub turns: u32,
    pub passes: u32,
    pub airtime_secs: u64,
    /// Fraction (0..1) of the session's speaking time.
    pub share: f64,
    /// The facilitator's notes about this member, as taken (withdrawn ones left out).
    pub notes: Vec<QuotedNote>,
    /// Typed by the facilitator; which of them a template uses is in `render`.
    #[serde(default)]
    pub fields: MemberFields,
}

/// A note about a member, quoted with its time and tags.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename = "Quote")]
pub struct QuotedNote {
    pub at: String,
    pub tags: Vec<String>,
    pub text: String,
}

/// What the facilitator types for a member. Every template reads the ones it has: SOAP
/// the subjective, assessment and plan; DAP assessment and plan; BIRP and GIRP the
/// response (`assessment`) and plan, GIRP the goal too.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename = "Fields")]
pub struct MemberFields {
    #[serde(default)]
    pub subjective: String,
    #[serde(default)]
    pub goal: String,
    /// The assessment (SOAP, DAP), or the member's response (BIRP, GIRP).
    #[serde(default)]
    pub assessment: String,
    #[serde(default)]
    pub plan: String,
    #[serde(default)]
    pub homework: String,
}

/// What still stops the wrap-up from being complete, in words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Missing {
    RiskAction {
        at: String,
    },
    FollowUpOwner {
        at: String,
    },
    /// A due date that is not a date (`YYYY-MM-DD`): nobody could act on "next tuesday".
    FollowUpDue {
        at: String,
    },
    MemberAssessment {
        member: usize,
    },
    MemberPlan {
        member: usize,
    },
}

impl FollowUp {
    /// No due date, or one written `YYYY-MM-DD`.
    pub fn due_is_valid(&self) -> bool {
        self.due
            .as_deref()
            .map(str::trim)
            .is_none_or(|due| due.is_empty() || chrono::NaiveDate::parse_from_str(due, "%Y-%m-%d").is_ok())
    }
}

impl MemberNote {
    /// What was captured live about the member, in one line: "late · arrived 18:20:00 ·
    /// 70 min in the room · 3 turns, 5 min (29%) · passed once".
    pub fn facts(&self) -> String {
        let span = super::render::span;
        let mut facts = vec![self.attendance.label().to_owned()];
        if let Some(arrived) = &self.arrived {
            facts.push(format!("arrived {arrived}"));
        }
        if let Some(left) = &self.left {
            facts.push(format!("left {left}"));
        }
        if let Some(secs) = self.attended_secs {
            facts.push(format!("{} in the room", span(secs)));
        }
        let share = if self.share.is_finite() {
            self.share * 100.0
        } else {
            0.0
        };
        facts.push(match self.turns {
            0 => "no turn".to_owned(),
            1 => format!("1 turn, {} ({share:.0}%)", span(self.airtime_secs)),
            n => format!("{n} turns, {} ({share:.0}%)", span(self.airtime_secs)),
        });
        match self.passes {
            0 => {}
            1 => facts.push("passed once".to_owned()),
            n => facts.push(format!("passed {n} times")),
        }
        facts.join(" · ")
    }
}

impl WrapUp {
    /// The wrap-up as it is kept: a due date left empty is no due date.
    pub fn tidied(mut self) -> WrapUp {
        for follow_up in &mut self.follow_ups {
            follow_up.due = follow_up.due.take().filter(|d| !d.trim().is_empty());
        }
        self
    }

    /// A wrap-up pre-filled from a session's summary, in `template`.
    pub fn from_summary(summary: &Summary, template: Template) -> WrapUp {
        let flagged = |n: &&NoteSummary| n.withdrawn.is_none();
        let risks = summary
            .notes
            .iter()
            .filter(flagged)
            .filter(|n| n.risk)
            .map(|n| RiskFlag {
                at: n.at.clone(),
                about: n.about.clone(),
                text: n.text.clone(),
                ..RiskFlag::default()
            })
            .collect();
        let follow_ups = summary
            .notes
            .iter()
            .filter(flagged)
            .filter(|n| n.follow_up)
            .map(|n| FollowUp {
                at: n.at.clone(),
                about: n.about.clone(),
                text: n.text.clone(),
                owner: summary
                    .facilitators
                    .first()
                    .map(|f| f.name.clone())
                    .unwrap_or_default(),
                due: None,
            })
            .collect();
        let members = summary
            .attendance
            .iter()
            .map(|a| {
                let airtime = summary.airtime.iter().find(|t| t.member == a.name);
                MemberNote {
                    name: a.name.clone(),
                    attendance: a.status,
                    arrived: a.arrived.clone(),
                    left: a.left.clone(),
                    attended_secs: a.attended_secs,
                    turns: airtime.map_or(0, |t| t.turns),
                    passes: airtime.map_or(0, |t| t.passes),
                    airtime_secs: airtime.map_or(0, |t| t.secs),
                    share: airtime.map_or(0.0, |t| t.share),
                    notes: summary
                        .notes
                        .iter()
                        .filter(|n| n.about == a.name && n.withdrawn.is_none())
                        .map(|n| QuotedNote {
                            at: n.at.clone(),
                            tags: n.tags.clone(),
                            text: n.text.clone(),
                        })
                        .collect(),
                    fields: MemberFields::default(),
                }
            })
            .collect();
        WrapUp {
            version: WRAPUP_VERSION,
            session_id: summary.session_id.clone(),
            template,
            group: GroupPart {
                topic: summary.title.clone(),
                interventions: interventions(summary),
                themes: String::new(),
                homework: String::new(),
                schedule: Schedule {
                    date: summary.date.clone(),
                    start: local_hm(summary.started.as_deref()),
                    end: local_hm(summary.ended.as_deref()),
                    planned_secs: summary.planned_secs,
                    actual_secs: summary.actual_secs,
                },
            },
            risks,
            follow_ups,
            members,
            finished: false,
        }
    }

    /// Members who attended: they get a progress note each.
    pub fn present(&self) -> impl Iterator<Item = (usize, &MemberNote)> {
        self.members
            .iter()
            .enumerate()
            .filter(|(_, m)| m.attendance.attended())
    }

    /// Everything still needed before the record is complete: an action for every risk,
    /// an owner for every follow-up, an assessment and a plan for every member present.
    pub fn missing(&self) -> Vec<Missing> {
        let mut missing = Vec::new();
        for risk in &self.risks {
            if risk.action.trim().is_empty() || risk.told.trim().is_empty() {
                missing.push(Missing::RiskAction { at: risk.at.clone() });
            }
        }
        for follow_up in &self.follow_ups {
            if follow_up.owner.trim().is_empty() {
                missing.push(Missing::FollowUpOwner {
                    at: follow_up.at.clone(),
                });
            }
            if !follow_up.due_is_valid() {
                missing.push(Missing::FollowUpDue {
                    at: follow_up.at.clone(),
                });
            }
        }
        for (i, member) in self.present() {
            if member.fields.assessment.trim().is_empty() {
                missing.push(Missing::MemberAssessment { member: i });
            }
            if member.fields.plan.trim().is_empty() {
                missing.push(Missing::MemberPlan { member: i });
            }
        }
        missing
    }

    /// Whether the record is complete: nothing is missing.
    pub fn is_complete(&self) -> bool {
        self.missing().is_empty()
    }
}

/// The segments and exercises actually run, as the interventions used.
fn interventions(summary: &Summary) -> String {
    let mut used: Vec<String> = Vec::new();
    for segment in &summary.segments {
        if segment.status == crate::summary::Outcome::Done && segment.actual_secs > 0 {
            let item = format!("{} ({})", segment.title, segment.kind);
            if !used.contains(&item) {
                used.push(item);
            }
        }
    }
    used.join("; ")
}

/// `HH:MM` of an RFC 3339 time, as it was written (its own offset); empty when absent.
fn local_hm(rfc3339: Option<&str>) -> String {
    rfc3339
        .and_then(|t| chrono::DateTime::parse_from_rfc3339(t).ok())
        .map(|t| t.format("%H:%M").to_string())
        .unwrap_or_default()
}
