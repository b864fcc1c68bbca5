//! A small session under way on the built-in plan, for theme previews, snapshots and the
//! frame benchmark: a round with turns and a pass, a late and an absent member, two notes.

use std::path::Path;

use crate::plan::{BUILTIN_PLAN, BUILTIN_ROSTER, parse_plan, parse_roster};
use crate::session::{About, Attendance, Command, Millis, State, decide};
use crate::source::LoadError;

const MIN: Millis = 60_000;

/// The sample session, started at `t0`; its last action is at `t0 + 10m`.
pub fn sample_session(t0: Millis) -> Result<State, LoadError> {
    let plan = parse_plan(BUILTIN_PLAN, Path::new("built-in plan"))?;
    let roster = parse_roster(BUILTIN_ROSTER, Path::new("built-in roster"))?;
    let mut state = State::new(plan, roster, 1, t0);
    for (at, command) in sample_steps(t0) {
        for event in decide(&state, command, at) {
            state.apply(&event);
        }
    }
    Ok(state)
}

/// What the facilitator does in the sample session, with when (seed 1, built-in plan).
pub fn sample_steps(t0: Millis) -> Vec<(Millis, Command)> {
    let note = |about, text: &str| Command::AddNote {
        about,
        tags: vec![],
        text: text.into(),
    };
    let steps = [
        (0, Command::StartPause),
        (0, Command::MarkAttendance(2, Attendance::Absent)),
        (
            4 * MIN,
            Command::MarkAttendance(5, Attendance::Late { at: t0 + 4 * MIN }),
        ),
        (6 * MIN, Command::NextSegment),
        (6 * MIN, Command::NextSpeaker),
        (8 * MIN, Command::NextSpeaker),
        (9 * MIN, Command::Pass),
        (
            9 * MIN + 30_000,
            note(About::Member(0), "mentioned not sleeping #risk"),
        ),
        (10 * MIN, note(About::Group, "good energy today #insight")),
    ];
    steps
        .into_iter()
        .map(|(at, command)| (t0 + at, command))
        .collect()
}
