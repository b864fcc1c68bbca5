//! Snapshots of the console at several sizes and in its main states. Times are fixed and
//! the offset is UTC, so a snapshot changes only when the drawing does.

use std::path::Path;

use chrono::FixedOffset;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::layout::Rect;

use super::*;
use crate::keymap::Keymap;
use crate::plan::{BUILTIN_PLAN, BUILTIN_ROSTER, parse_plan, parse_roster};
use crate::session::{Presence, State};

const T0: Millis = 1_764_061_200_000; // 2025-11-25 09:00 UTC

fn session() -> State {
    let plan = parse_plan(BUILTIN_PLAN, Path::new("plan.ron")).expect("built-in plan");
    let roster = parse_roster(BUILTIN_ROSTER, Path::new("roster.ron")).expect("built-in roster");
    State::new(plan, roster, 1, T0)
}

/// A check-in round under way: two turns, a pass, a late member, an absent one, notes.
fn mid_session() -> State {
    sample_session(T0).expect("the sample session")
}

fn render(state: &State, now: Millis, width: u16, height: u16) -> String {
    let keys = Keymap::default();
    let view = View::new(state, now, FixedOffset::east_opt(0).expect("UTC"), &keys);
    let mut terminal = Terminal::new(TestBackend::new(width, height)).expect("test backend");
    terminal
        .draw(|frame| draw(frame, &view, &Theme::dark()))
        .expect("draw");
    format!("{}", terminal.backend())
}

#[test]
fn a_roster_of_thirty_and_none_still_draw() {
    let mut state = session();
    state.roster.members = (0..30)
        .map(|i| crate::plan::Member {
            name: format!("Member name {i}"),
            pronouns: None,
        })
        .collect();
    state.attendance = vec![Presence::EXPECTED; 30];
    let screen = render(&state, T0, 80, 24);
    assert!(screen.contains("Member name 0"), "{screen}");
    let mut empty = session();
    empty.roster.members.clear();
    empty.attendance.clear();
    let screen = render(&empty, T0, 80, 24);
    assert!(screen.contains("No roster"), "{screen}");
}

#[test]
fn clicks_land_on_agenda_rows_members_and_notes() {
    let state = mid_session();
    let areas = layout(Rect::new(0, 0, 80, 24), &state, false).expect("80x24 fits");
    // The agenda's first row is just inside its border.
    assert_eq!(
        hit(&areas, &state, areas.agenda.x + 3, areas.agenda.y + 1),
        Some(Hit::Segment(0))
    );
    assert_eq!(
        hit(&areas, &state, areas.agenda.x + 3, areas.agenda.y + 4),
        Some(Hit::Segment(3))
    );
    // Two header lines, then the members, the list starting just before the speaker.
    assert_eq!(
        hit(&areas, &state, areas.speakers.x + 5, areas.speakers.y + 3),
        Some(Hit::Member(2))
    );
    // The line saying how many more there are is no member.
    assert_eq!(
        hit(&areas, &state, areas.speakers.x + 5, areas.speakers.y + 9),
        None
    );
    assert_eq!(
        hit(&areas, &state, areas.speakers.x + 5, areas.speakers.y + 1),
        None
    );
    assert_eq!(
        hit(&areas, &state, areas.notes.x + 2, areas.notes.y + 2),
        Some(Hit::Notes)
    );
    assert_eq!(hit(&areas, &state, 0, 0), None);
    assert!(layout(Rect::new(0, 0, 40, 10), &state, false).is_none());
}
