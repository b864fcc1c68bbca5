//! The session plan and the roster: their types, loading from RON, and validation.
//!
//! The shipped plans and `tests/fixtures/formats/` are the public contract: every field
//! there loads with exactly that meaning. Fields added here are optional, so old files keep
//! loading.

mod duration;
pub mod load;
pub mod names;
mod validate;

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde::{Deserialize, Serialize};

pub use duration::{DurationError, PlanDuration};
pub use load::{Loaded, load_plan_with_roster, load_roster, parse_plan, parse_roster, reload_blocking};
pub use validate::{validate_plan, validate_roster};

/// The most members a group may hold; larger groups are refused by `check`.
pub const MAX_MEMBERS: usize = 30;

/// Thresholds used when neither the plan nor the segment names any.
pub const DEFAULT_WARNINGS: [PlanDuration; 2] = [PlanDuration::from_mins(2), PlanDuration::from_secs(30)];

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Plan {
    pub title: String,
    pub kind: GroupKind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub series: Option<Series>,
    pub duration: PlanDuration,
    /// Relative to the plan file; `--roster FILE` overrides it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub roster: Option<PathBuf>,
    /// Default warning thresholds before a segment's end.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<PlanDuration>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ground_rules: Vec<String>,
    pub agenda: Vec<Segment>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub exercises: BTreeMap<String, Exercise>,
    /// The progress-note format of this group's wrap-up; else the config's, else DAP.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note_template: Option<NoteTemplate>,
}

/// The progress-note formats clinics use.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum)]
pub enum NoteTemplate {
    /// Subjective, Objective, Assessment, Plan.
    Soap,
    /// Data, Assessment, Plan.
    #[default]
    Dap,
    /// Behaviour, Intervention, Response, Plan.
    Birp,
    /// Goal, Intervention, Response, Plan.
    Girp,
}

impl NoteTemplate {
    pub const ALL: [NoteTemplate; 4] = [
        NoteTemplate::Soap,
        NoteTemplate::Dap,
        NoteTemplate::Birp,
        NoteTemplate::Girp,
    ];

    pub fn name(self) -> &'static str {
        match self {
            NoteTemplate::Soap => "SOAP",
            NoteTemplate::Dap => "DAP",
            NoteTemplate::Birp => "BIRP",
            NoteTemplate::Girp => "GIRP",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum GroupKind {
    Support,
    Cbt,
    SkillsTraining,
    Process,
    Psychoeducation,
    Interpersonal,
    Custom(String),
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Series {
    pub name: String,
    pub session: u32,
    pub of: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Segment {
    pub title: String,
    pub kind: SegmentKind,
    pub duration: PlanDuration,
    /// The shortest this segment may become when the agenda is rebalanced.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min: Option<PlanDuration>,
    /// The longest this segment may become when the agenda is rebalanced; without it, one and
    /// a half times its duration.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<PlanDuration>,
    /// A fixed segment is never rebalanced.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub fixed: bool,
    /// Overrides the plan's warning thresholds for this segment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub warnings: Option<Vec<PlanDuration>>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub prompts: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub materials: Vec<String>,
    #[serde(default, skip_serializing_if = "Speaking::is_none")]
    pub speaking: Speaking,
    /// Key into the plan's `exercises`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exercise: Option<String>,
    /// Private cues for the facilitator, shown with the segment on their screen only:
    /// hidden under the curtain, never sent to trainees, never in a summary.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub facilitator_notes: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum SegmentKind {
    Opening,
    GroundRules,
    CheckIn,
    Psychoeducation,
    Exercise,
    Discussion,
    Break,
    CheckOut,
    Closing,
    Custom(String),
}

/// How the floor is shared during a segment.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Speaking {
    #[default]
    None,
    /// Everyone present speaks in turn.
    Round {
        per_speaker: PlanDuration,
        #[serde(default)]
        order: RoundOrder,
    },
    /// Members raise a hand and are taken from a queue.
    OpenFloor {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        per_speaker: Option<PlanDuration>,
    },
}

impl Speaking {
    pub fn is_none(&self) -> bool {
        matches!(self, Speaking::None)
    }

    pub fn per_speaker(&self) -> Option<PlanDuration> {
        match self {
            Speaking::None => None,
            Speaking::Round { per_speaker, .. } => Some(*per_speaker),
            Speaking::OpenFloor { per_speaker } => *per_speaker,
        }
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum RoundOrder {
    /// The roster's order.
    #[default]
    Roster,
    /// Each round starts one member later than the last.
    Rotate,
    /// A fresh random order each round.
    Shuffle,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Exercise {
    pub title: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    pub steps: Vec<Step>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Step {
    pub text: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration: Option<PlanDuration>,
}

impl Roster {
    /// Every name in Unicode's composed form (NFC) and trimmed, so a name typed with a
    /// combining accent and one typed with the accented letter are the same name.
    pub fn normalize_names(&mut self) {
        for person in &mut self.facilitators {
            person.name = names::normalize(&person.name);
        }
        for trainee in &mut self.trainees {
            *trainee = names::normalize(trainee);
        }
        for member in &mut self.members {
            member.name = names::normalize(&member.name);
        }
    }
}

impl Plan {
    /// The sum of the agenda's planned durations.
    pub fn agenda_total(&self) -> PlanDuration {
        PlanDuration::from_secs(self.agenda.iter().map(|s| s.duration.as_secs()).sum())
    }

    /// Warning thresholds for one segment: its own, else the plan's, else the defaults.
    pub fn warnings_for(&self, segment: &Segment) -> Vec<PlanDuration> {
        match &segment.warnings {
            Some(own) => own.clone(),
            None if !self.warnings.is_empty() => self.warnings.clone(),
            None => DEFAULT_WARNINGS.to_vec(),
        }
    }

    pub fn exercise_of(&self, segment: &Segment) -> Option<&Exercise> {
        segment.exercise.as_ref().and_then(|key| self.exercises.get(key))
    }

    /// The plan as a trainee may see it: without the facilitator's private cues.
    pub fn without_private_cues(&self) -> Plan {
        let mut plan = self.clone();
        for segment in &mut plan.agenda {
            segment.facilitator_notes = None;
        }
        plan
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;

    /// The format contract: the example plan and roster always load, every field meant.
    #[test]
    fn the_format_examples_load() {
        let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/formats");
        let loaded =
            load_plan_with_roster(&fixtures.join("plan.example.ron"), None).expect("the example plan");
        assert!(
            loaded.warnings.iter().all(|w| !w.is_error()),
            "{:?}",
            loaded.warnings
        );
        let psycho = &loaded.plan.agenda[2];
        assert!(
            psycho
                .facilitator_notes
                .as_deref()
                .is_some_and(|n| n.contains("triangle"))
        );
        assert_eq!(
            loaded.roster.members.len(),
            load_roster(&fixtures.join("roster.example.ron"))
                .map(|r| r.0.members.len())
                .expect("the example roster")
        );
        assert!(
            loaded
                .plan
                .without_private_cues()
                .agenda
                .iter()
                .all(|s| s.facilitator_notes.is_none())
        );
    }
}

/// Who is in the room. Client data: kept apart from plans, owner-only on disk.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Roster {
    #[serde(default)]
    pub group: String,
    #[serde(default)]
    pub facilitators: Vec<Person>,
    #[serde(default)]
    pub trainees: Vec<String>,
    #[serde(default)]
    pub members: Vec<Member>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Person {
    pub name: String,
    pub role: Role,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Role {
    Lead,
    CoFacilitator,
    Observer,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Member {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pronouns: Option<String>,
}

/// The plan compiled into the binary, run by `holdspace run` with no arguments.
pub const BUILTIN_PLAN: &str = include_str!("../../session-plans/cbt-anxiety-session-3.ron");
/// The fictional roster that goes with the built-in plan.
pub const BUILTIN_ROSTER: &str = include_str!("../../session-plans/rosters/tuesday-anxiety.ron");
