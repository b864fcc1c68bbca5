//! The pure session core: commands in, events out, state = fold of events.
//!
//! Nothing here reads the clock, a file or the terminal: the time is passed in as
//! milliseconds since the Unix epoch, so every behaviour is a deterministic unit test.
//! The journal, the summary, resume and shadowing all reuse the same [`Event`]s.

mod alerts;
mod attendance;
mod carried;
mod decide;
mod notes;
pub mod rebalance;
mod speaking;
mod state;
mod undo;

use serde::{Deserialize, Serialize};

pub use alerts::{Alert, alerts_between};
pub use attendance::{Attendance, Presence};
pub use carried::{Carried, CarriedItem, CarriedKind};
pub use decide::{PASS_WINDOW_MS, decide};
pub use notes::{About, FirstWritten, Note, Tag, parse_tags};
pub use speaking::{RoundState, Turn};
pub use state::{FoldError, SegmentProgress, SegmentStatus, State};
pub use undo::Undoable;

use crate::plan::{Plan, Roster};

/// Milliseconds since the Unix epoch: wall-clock time, passed in by the caller.
pub type Millis = i64;

/// Index of a member in the roster.
pub type MemberIx = usize;

/// What the facilitator asks for. A command may produce no event (e.g. "next" on the last
/// segment), so a key that does nothing changes nothing.
#[derive(Debug, Clone, PartialEq)]
pub enum Command {
    /// Start the clock, or pause it when it runs.
    StartPause,
    NextSegment,
    PreviousSegment,
    JumpTo(usize),
    /// Mark the current segment skipped and move on.
    Skip,
    /// Lengthen (positive) or shorten (negative) the current segment, in seconds.
    Adjust(i64),
    NextStep,
    PreviousStep,
    /// End the current turn and give the floor to the next speaker of the round or queue.
    NextSpeaker,
    /// The current (or next) speaker passes; the floor moves on.
    Pass,
    /// End the current turn without starting another.
    EndTurn,
    /// Give the floor to this member now.
    GiveFloor(MemberIx),
    /// Put a member in the open floor's queue, or take them out if already there.
    ToggleHand(MemberIx),
    MarkAttendance(MemberIx, Attendance),
    AddNote {
        about: About,
        tags: Vec<Tag>,
        text: String,
    },
    /// Correct a note (its text, tags or subject); the record keeps when.
    AmendNote {
        index: usize,
        about: About,
        tags: Vec<Tag>,
        text: String,
    },
    /// Withdraw a note: it stays in the record, marked withdrawn.
    WithdrawNote(usize),
    /// Take back the last action (a skip, a pass, a mark, an end of turn, an extension, a
    /// turn given).
    Undo,
    ToggleCurtain,
    /// Accept a rebalanced rest of the agenda: new planned seconds by segment index.
    AcceptRebalance(Vec<(usize, u64)>),
    /// Replace the plan (live reload); what has happened is kept.
    ReloadPlan(Box<Plan>),
    /// Close an item carried from an earlier session (by its id): it was dealt with.
    CloseCarried(String),
    /// Open a closed carried item again: closed by mistake.
    ReopenCarried(String),
    End,
}

/// Where sharing listens and the code that lets trainees in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShareLink {
    pub code: String,
    pub bind: std::net::SocketAddr,
}

/// How time spent down (after a crash) is counted on resume.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Downtime {
    /// As if the clock had been paused.
    Paused,
    /// As if the session went on: the clock kept running.
    Elapsed,
}

/// Something that happened. Events are the only thing written to the journal.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Event {
    Started {
        at: Millis,
        plan: Plan,
        roster: Roster,
        seed: u64,
    },
    ClockStarted {
        at: Millis,
    },
    ClockPaused {
        at: Millis,
    },
    SegmentEntered {
        at: Millis,
        index: usize,
    },
    SegmentSkipped {
        at: Millis,
        index: usize,
    },
    SegmentAdjusted {
        at: Millis,
        index: usize,
        delta_secs: i64,
    },
    StepEntered {
        at: Millis,
        step: usize,
    },
    RoundStarted {
        at: Millis,
        segment: usize,
        order: Vec<MemberIx>,
    },
    TurnStarted {
        at: Millis,
        member: MemberIx,
    },
    TurnEnded {
        at: Millis,
    },
    Passed {
        at: Millis,
        member: MemberIx,
    },
    HandToggled {
        at: Millis,
        member: MemberIx,
    },
    AttendanceMarked {
        at: Millis,
        member: MemberIx,
        status: Attendance,
    },
    NoteAdded {
        at: Millis,
        note: Note,
    },
    /// A note (by its place in the session's notes) corrected.
    NoteAmended {
        at: Millis,
        index: usize,
        about: About,
        tags: Vec<Tag>,
        text: String,
    },
    NoteWithdrawn {
        at: Millis,
        index: usize,
    },
    /// An action that can be taken back begins; the next `events` events are its own.
    Did {
        at: Millis,
        action: Undoable,
        events: usize,
    },
    /// The last action was taken back: what it changed is as it was before.
    Undone {
        at: Millis,
    },
    /// Sharing with trainees turned on (with its join code and address) or off (`None`).
    /// Kept so a resumed session shares again with the same code: trainees reconnect by
    /// themselves. Never sent to trainees.
    Shared {
        at: Millis,
        link: Option<ShareLink>,
    },
    CurtainSet {
        at: Millis,
        on: bool,
    },
    Rebalanced {
        at: Millis,
        planned: Vec<(usize, u64)>,
    },
    PlanReloaded {
        at: Millis,
        plan: Plan,
    },
    /// Appended now and then while the clock runs, so a crash's time is known.
    Heartbeat {
        at: Millis,
    },
    Resumed {
        at: Millis,
        down_since: Millis,
        counted: Downtime,
    },
    /// What the last session of the series left open, shown at this one's start. Never
    /// sent to trainees: it holds names and clinical text.
    CarriedShown {
        at: Millis,
        from_session: u32,
        items: Vec<CarriedItem>,
    },
    CarriedClosed {
        at: Millis,
        id: String,
    },
    CarriedReopened {
        at: Millis,
        id: String,
    },
    Ended {
        at: Millis,
    },
}

/// The time field of every event, by reference (shared or mutable, as `$event` is).
macro_rules! time_of {
    ($event:expr) => {
        match $event {
            Event::Started { at, .. }
            | Event::ClockStarted { at }
            | Event::ClockPaused { at }
            | Event::SegmentEntered { at, .. }
            | Event::SegmentSkipped { at, .. }
            | Event::SegmentAdjusted { at, .. }
            | Event::StepEntered { at, .. }
            | Event::RoundStarted { at, .. }
            | Event::TurnStarted { at, .. }
            | Event::TurnEnded { at }
            | Event::Passed { at, .. }
            | Event::HandToggled { at, .. }
            | Event::AttendanceMarked { at, .. }
            | Event::NoteAdded { at, .. }
            | Event::NoteAmended { at, .. }
            | Event::NoteWithdrawn { at, .. }
            | Event::Did { at, .. }
            | Event::Undone { at }
            | Event::Shared { at, .. }
            | Event::CurtainSet { at, .. }
            | Event::Rebalanced { at, .. }
            | Event::PlanReloaded { at, .. }
            | Event::Heartbeat { at }
            | Event::Resumed { at, .. }
            | Event::CarriedShown { at, .. }
            | Event::CarriedClosed { at, .. }
            | Event::CarriedReopened { at, .. }
            | Event::Ended { at } => at,
        }
    };
}

impl Event {
    pub fn at(&self) -> Millis {
        *time_of!(self)
    }

    /// The event's time, to correct (a journal read back with impossible times).
    pub fn at_mut(&mut self) -> &mut Millis {
        time_of!(self)
    }

    /// Whether a trainee following the session may see this event. Notes and what was
    /// carried from the last session never leave the facilitator's machine.
    pub fn is_shareable(&self) -> bool {
        !matches!(
            self,
            Event::NoteAdded { .. }
                | Event::NoteAmended { .. }
                | Event::NoteWithdrawn { .. }
                | Event::Shared { .. }
                | Event::CarriedShown { .. }
                | Event::CarriedClosed { .. }
                | Event::CarriedReopened { .. }
        )
    }
}

#[cfg(test)]
mod tests;
