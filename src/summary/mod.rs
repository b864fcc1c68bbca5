//! The summary written when a session ends: a versioned RON file for the review and a
//! Markdown report for people, both derived from the session's state.
//!
//! The RON file is a format other versions of holdspace must keep opening:
//! - `version` says which version wrote it; a reader refuses a newer one with a clear message;
//! - every field added after version 1 carries `#[serde(default)]`, so older files still load;
//! - the names written into the file (`Summary(`, `Turn(`…) are fixed by `#[serde(rename)]`,
//!   so renaming a Rust type never breaks a saved summary;
//! - `tests/fixtures/summary-v1.ron` is a frozen version-1 file that must always load.
//!
//! Times are saved as local wall-clock text (the offset passed to [`derive`]), lengths as
//! whole seconds, shares as fractions of 1, so the file reads well on its own.

mod derive;
mod file;
mod markdown;

#[cfg(test)]
mod tests;

use serde::{Deserialize, Serialize};

pub use derive::derive;
pub use file::{
    FlagsOnly, ListFields, MAX_SUMMARY_BYTES, PresenceOnly, SummaryError, bytes_sha256, content_sha256,
    file_sha256, parse_list_fields, parse_summary, parse_summary_bytes, read_list_fields,
    read_list_fields_with, read_notes, read_notes_with, read_summary, read_summary_with, to_ron,
    write_summary, write_summary_with,
};
pub use markdown::to_markdown;

/// The version this holdspace writes, and the newest it reads.
///
/// Version 2: members start "not recorded" instead of present, attendance has arrival,
/// departure and time attended, notes can be amended or withdrawn, airtime counts no pass.
pub const SUMMARY_VERSION: u32 = 3;

/// One session, as the supervisor reviews it.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(rename = "Summary")]
pub struct Summary {
    pub version: u32,
    /// The journal's id of the session, so a summary can be traced back to its events.
    pub session_id: String,
    pub title: String,
    /// The group kind as shown to people: "CBT", "Support", "Skills training"…
    pub kind: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub series: Option<SeriesInfo>,
    /// The roster's group name: the key the review uses to follow a group.
    pub group: String,
    /// Local date of the start, `YYYY-MM-DD`.
    pub date: String,
    /// When the clock first started, RFC 3339 with the local offset.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub started: Option<String>,
    /// When the session was ended; `None` when it never was (derived from a crashed journal).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ended: Option<String>,
    /// The plan's total duration.
    pub planned_secs: u64,
    /// Time the clock ran across all segments (pauses not counted).
    pub actual_secs: u64,
    /// `actual_secs - planned_secs`: positive when the session ran over.
    pub over_under_secs: i64,
    /// Time the clock stood still after the first start, downtime counted as paused included.
    pub paused_secs: u64,
    pub facilitators: Vec<Facilitator>,
    pub trainees: Vec<String>,
    /// Every member on the roster, in roster order.
    pub attendance: Vec<AttendanceEntry>,
    pub segments: Vec<SegmentSummary>,
    pub turns: Vec<TurnSummary>,
    /// Members present (and anyone who had a turn), in roster order.
    pub airtime: Vec<Airtime>,
    /// Present members who never took a turn (a pass is not a turn), in roster order.
    pub never_spoke: Vec<String>,
    /// Risk first, then follow-up, then the rest; by time within each.
    pub notes: Vec<NoteSummary>,
    pub rebalances: Vec<RebalanceSummary>,
    pub downtimes: Vec<DowntimeSummary>,
    /// Actions the facilitator took back (undo), in order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub undone: Vec<UndoneSummary>,
    /// How often the plan file was reloaded during the session.
    pub plan_reloads: u32,
    pub flags: Flags,
    /// What the last session of the series left open, and which of it was closed in this
    /// one (version 3). The next session carries forward what is still open.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub carried: Vec<CarriedSummary>,
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[serde(rename = "Series")]
pub struct SeriesInfo {
    pub name: String,
    pub session: u32,
    pub of: u32,
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[serde(rename = "Facilitator")]
pub struct Facilitator {
    pub name: String,
    /// "lead", "co-facilitator" or "observer".
    pub role: String,
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[serde(rename = "Attendance")]
pub struct AttendanceEntry {
    pub name: String,
    pub status: Presence,
    /// Local `HH:MM:SS` of arriving late or leaving early (`HH:MM` in older files).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at: Option<String>,
    /// Local `HH:MM:SS` of arriving, when after the start (version 2).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub arrived: Option<String>,
    /// Local `HH:MM:SS` of leaving, when before the end (version 2).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub left: Option<String>,
    /// Time in the session, from the clock's first start (or arrival) to the end (or
    /// departure), less any time they stepped out; `None` for the absent and the not
    /// recorded (version 2).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attended_secs: Option<u64>,
    /// The last time they stepped out and came back, `HH:MM:SS–HH:MM:SS` (version 3).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stepped_out: Option<String>,
    /// All the time they were out before coming back (version 3).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub away_secs: Option<u64>,
}

#[derive(Serialize, Deserialize, Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Presence {
    Present,
    Late,
    LeftEarly,
    Absent,
    /// Never marked and never asked about: unknown, never taken for present.
    #[default]
    NotRecorded,
}

impl Presence {
    /// Attended at least part of the session, as recorded.
    pub fn attended(self) -> bool {
        matches!(self, Presence::Present | Presence::Late | Presence::LeftEarly)
    }

    pub fn label(self) -> &'static str {
        match self {
            Presence::Present => "present",
            Presence::Late => "late",
            Presence::LeftEarly => "left early",
            Presence::Absent => "absent",
            Presence::NotRecorded => "not recorded",
        }
    }
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[serde(rename = "Segment")]
pub struct SegmentSummary {
    pub title: String,
    /// The segment kind as shown to people: "Check-in", "Exercise"…
    pub kind: String,
    /// As the plan had it.
    pub planned_secs: u64,
    /// After the facilitator's extensions and accepted rebalances.
    pub final_planned_secs: u64,
    pub actual_secs: u64,
    pub status: Outcome,
    /// Net seconds the facilitator added (+) or removed (−).
    pub adjusted_secs: i64,
    /// An accepted rebalance changed this segment's planned length.
    pub rebalanced: bool,
}

#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    Done,
    Skipped,
    NotReached,
}

impl Outcome {
    pub fn label(self) -> &'static str {
        match self {
            Outcome::Done => "done",
            Outcome::Skipped => "skipped",
            Outcome::NotReached => "not reached",
        }
    }
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[serde(rename = "Turn")]
pub struct TurnSummary {
    pub member: String,
    /// The title of the segment the turn was taken in.
    pub segment: String,
    /// Local `HH:MM:SS`.
    pub start: String,
    pub length_secs: u64,
    pub passed: bool,
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(rename = "Airtime")]
pub struct Airtime {
    pub member: String,
    pub secs: u64,
    /// Turns taken, passes not counted.
    pub turns: u32,
    /// Passes (version 2).
    #[serde(default)]
    pub passes: u32,
    /// Fraction (0..1) of all speaking time in the session.
    pub share: f64,
    /// What an even split among those present would give: 1 / present.
    pub equal_share: f64,
    pub spoke: bool,
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[serde(rename = "Note")]
pub struct NoteSummary {
    /// Local `HH:MM:SS`.
    pub at: String,
    /// "group", a member's name, or a segment's title.
    pub about: String,
    /// Tag labels: "risk", "follow-up", "conflict", "insight" or a custom word.
    pub tags: Vec<String>,
    pub text: String,
    pub risk: bool,
    pub follow_up: bool,
    /// Local time of the last correction (`HH:MM:SS`; `HH:MM` in files before December
    /// 2026); the text is the corrected one (version 2).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amended: Option<String>,
    /// Local time it was withdrawn: kept in the record, counted as no flag (version 2).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub withdrawn: Option<String>,
    /// The text as first written, when a correction changed it (version 3).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_text: Option<String>,
    /// Whom (or what) it was about as first written, when a correction moved it (version 3).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_about: Option<String>,
}

impl NoteSummary {
    /// What became of the note, in words for beside it: "WITHDRAWN 18:21:10", "amended
    /// 18:20:05; first written about Joy: “…”"; `None` for a note never corrected. Plain
    /// text: each output escapes it its own way.
    pub fn correction(&self) -> Option<String> {
        let mut words = Vec::new();
        if let Some(at) = &self.withdrawn {
            words.push(format!("WITHDRAWN {at}"));
        }
        if let Some(at) = &self.amended {
            let mut was = Vec::new();
            if let Some(about) = &self.first_about {
                was.push(format!("about {about}"));
            }
            if let Some(text) = &self.first_text {
                was.push(format!("\u{201c}{text}\u{201d}"));
            }
            words.push(if was.is_empty() {
                format!("amended {at}")
            } else {
                format!("amended {at}; first written {}", was.join(": "))
            });
        }
        (!words.is_empty()).then(|| words.join("; "))
    }
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[serde(rename = "Rebalance")]
pub struct RebalanceSummary {
    /// Local `HH:MM:SS` the facilitator accepted it.
    pub at: String,
    /// Only the segments whose planned length changed.
    pub changes: Vec<RebalanceChange>,
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[serde(rename = "Change")]
pub struct RebalanceChange {
    pub segment: String,
    pub from_secs: u64,
    pub to_secs: u64,
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[serde(rename = "Downtime")]
pub struct DowntimeSummary {
    /// Local `HH:MM:SS` of the last event before the crash.
    pub from: String,
    /// Local `HH:MM:SS` of the resume.
    pub to: String,
    pub secs: u64,
    /// "paused" (the clock stood still) or "elapsed" (the clock kept running).
    pub counted: String,
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[serde(rename = "Undone")]
pub struct UndoneSummary {
    /// Local `HH:MM:SS` it was taken back.
    pub at: String,
    /// What was taken back, e.g. "skip of Check-in round".
    pub what: String,
}

/// An item carried from an earlier session of the series.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[serde(rename = "Carried")]
pub struct CarriedSummary {
    /// Stays the same from session to session while the item is carried.
    pub id: String,
    pub kind: crate::session::CarriedKind,
    pub raised_session: u32,
    pub raised_date: String,
    /// A member's name, "group", or a segment's title.
    pub about: String,
    pub text: String,
    #[serde(default)]
    pub owner: String,
    #[serde(default)]
    pub due: Option<String>,
    /// Local `HH:MM:SS` it was closed in this session (`HH:MM` in older files); `None`:
    /// still open, carried on.
    #[serde(default)]
    pub closed: Option<String>,
}

#[derive(Serialize, Deserialize, Clone, Copy, Debug, Default, PartialEq, Eq)]
#[serde(rename = "Flags")]
pub struct Flags {
    /// Notes tagged risk.
    pub risk: usize,
    /// Notes tagged follow-up (a note tagged both counts in both).
    pub follow_up: usize,
}

impl Summary {
    /// Members who attended at least part of the session.
    pub fn present_count(&self) -> usize {
        self.attendance.iter().filter(|a| a.status.attended()).count()
    }
}
