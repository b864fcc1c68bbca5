//! Taking back the last action. An undoable command's events begin with `Did`, which says
//! how many events follow as part of it; folding `Did` keeps what the action is about to
//! change, and `Undone` puts it back. Any later action that moves the session on (the
//! clock, another segment, a new turn…) replaces or forgets what can be undone, so undo
//! never reaches past it. Everything is in the journal, so a resumed session can still
//! undo, and the record shows what was taken back.

use serde::{Deserialize, Serialize};

use super::speaking::{RoundState, Turn};
use super::{Attendance, MemberIx, Millis, Presence, SegmentProgress};

/// An action that can be taken back, with what it was about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Undoable {
    Skip {
        segment: usize,
    },
    Adjust {
        segment: usize,
        delta_secs: i64,
    },
    Pass {
        member: MemberIx,
    },
    EndTurn {
        member: MemberIx,
    },
    /// The floor given to a member (by name, by the round's order or by invitation).
    Floor {
        member: MemberIx,
    },
    Mark {
        member: MemberIx,
        status: Attendance,
    },
}

/// What an undoable action changes: the agenda's position and times, the floor and
/// attendance. Notes, the curtain and the clock's pauses are never part of it.
#[derive(Debug, Clone)]
pub(super) struct Floor {
    pub current: usize,
    pub running_since: Option<Millis>,
    pub segments: Vec<SegmentProgress>,
    pub step: usize,
    pub step_entered_ms: i64,
    pub steps_left_at: Vec<(usize, i64)>,
    pub attendance: Vec<Presence>,
    pub turns: Vec<Turn>,
    pub rounds: Vec<RoundState>,
    pub rounds_started: usize,
    pub queue: Vec<MemberIx>,
}

/// The last action that can still be taken back.
#[derive(Debug, Clone)]
pub struct UndoPoint {
    pub action: Undoable,
    pub at: Millis,
    pub(super) before: Box<Floor>,
    /// Events still to come that belong to the action.
    pub(super) events_left: usize,
}

impl Undoable {
    /// In words, e.g. "the skip of Check-in round", naming members and segments through
    /// `name` and `title` (so the caller decides what a curtain hides).
    pub fn describe(&self, name: impl Fn(MemberIx) -> String, title: impl Fn(usize) -> String) -> String {
        match *self {
            Undoable::Skip { segment } => format!("the skip of {}", title(segment)),
            Undoable::Adjust { segment, delta_secs } => {
                let sign = if delta_secs < 0 { '−' } else { '+' };
                let change = crate::plan::PlanDuration::from_secs(delta_secs.unsigned_abs());
                format!("{sign}{change} on {}", title(segment))
            }
            Undoable::Pass { member } => format!("the pass of {}", name(member)),
            Undoable::EndTurn { member } => format!("the end of {}'s turn", name(member)),
            Undoable::Floor { member } => format!("the floor given to {}", name(member)),
            Undoable::Mark { member, status } => {
                let status = match status {
                    Attendance::Expected => "not arrived yet",
                    Attendance::Present => "present",
                    Attendance::Late { .. } => "late",
                    Attendance::LeftEarly { .. } => "left early",
                    Attendance::Absent => "absent",
                };
                format!("{} marked {status}", name(member))
            }
        }
    }
}
