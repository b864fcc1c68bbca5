//! Snapshots of the console at several sizes and in its main states. Times are fixed and
//! the offset is UTC, so a snapshot changes only when the drawing does.

use std::path::Path;

use chrono::FixedOffset;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::layout::Rect;
use ratatui_textarea::TextArea;

use super::*;
use crate::keymap::Keymap;
use crate::plan::{BUILTIN_PLAN, BUILTIN_ROSTER, parse_plan, parse_roster};
use crate::session::{Attendance, Command, State, decide};

const T0: Millis = 1_764_061_200_000; // 2025-11-25 09:00 UTC
const MIN: Millis = 60_000;

fn session() -> State {
    let plan = parse_plan(BUILTIN_PLAN, Path::new("plan.ron")).expect("built-in plan");
    let roster = parse_roster(BUILTIN_ROSTER, Path::new("roster.ron")).expect("built-in roster");
    State::new(plan, roster, 1, T0)
}

fn play(state: &mut State, steps: &[(Millis, Command)]) {
    for (at, command) in steps {
        for event in decide(state, command.clone(), T0 + at) {
            state.apply(&event);
        }
    }
}

/// A check-in round under way: two turns, a pass, a late member, an absent one, notes.
fn mid_session() -> State {
    sample_session(T0).expect("the sample session")
}

fn render(state: &State, now: Millis, overlay: Overlay, width: u16, height: u16) -> String {
    let keys = Keymap::default();
    let view = View {
        overlay,
        ..View::new(state, now, FixedOffset::east_opt(0).expect("UTC"), &keys)
    };
    let mut terminal = Terminal::new(TestBackend::new(width, height)).expect("test backend");
    terminal
        .draw(|frame| draw(frame, &view, &Theme::dark()))
        .expect("draw");
    format!("{}", terminal.backend())
}

#[test]
fn main_screen_at_80x24() {
    insta::assert_snapshot!(render(&mid_session(), T0 + 11 * MIN, Overlay::None, 80, 24));
}

#[test]
fn main_screen_at_120x40() {
    insta::assert_snapshot!(render(&mid_session(), T0 + 11 * MIN, Overlay::None, 120, 40));
}

#[test]
fn a_tiny_terminal_gets_a_clear_message() {
    let screen = render(&mid_session(), T0, Overlay::None, 10, 5);
    insta::assert_snapshot!(screen);
    let wide = render(&mid_session(), T0, Overlay::None, 79, 30);
    assert!(wide.contains("Terminal too small"), "{wide}");
}

#[test]
fn overtime_shows_a_sign_and_the_word() {
    let mut state = session();
    play(&mut state, &[(0, Command::StartPause)]);
    let screen = render(&state, T0 + 7 * MIN + 5_000, Overlay::None, 80, 24);
    assert!(screen.contains("OVERTIME"), "{screen}");
    insta::assert_snapshot!(screen);
}

#[test]
fn the_curtain_hides_names_and_notes() {
    let mut state = mid_session();
    play(&mut state, &[(11 * MIN, Command::ToggleCurtain)]);
    let screen = render(&state, T0 + 11 * MIN, Overlay::None, 120, 40);
    for member in &state.roster.members {
        assert!(
            !screen.contains(&member.name),
            "{} is visible under the curtain:\n{screen}",
            member.name
        );
    }
    assert!(
        !screen.contains("sleeping"),
        "a note is visible under the curtain"
    );
    insta::assert_snapshot!(screen);
}

#[test]
fn help_lists_every_action() {
    let screen = render(&mid_session(), T0 + 11 * MIN, Overlay::Help, 120, 40);
    for action in crate::keymap::Action::ALL {
        assert!(screen.contains(action.help()), "help lacks {action:?}");
    }
    insta::assert_snapshot!(screen);
}

#[test]
fn note_editor_and_quit_confirmation() {
    let state = mid_session();
    let mut editor = TextArea::default();
    editor.insert_str("worried about work");
    let tags = [crate::session::Tag::FollowUp];
    let overlay = Overlay::Note {
        editor: &editor,
        about: crate::session::About::Member(3),
        tags: &tags,
    };
    insta::assert_snapshot!("note_editor", render(&state, T0 + 11 * MIN, overlay, 80, 24));
    insta::assert_snapshot!(
        "confirm_quit",
        render(&state, T0 + 11 * MIN, Overlay::ConfirmQuit, 80, 24)
    );
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
    state.attendance = vec![Attendance::Present; 30];
    let screen = render(&state, T0, Overlay::Attendance { selected: 29 }, 80, 24);
    assert!(screen.contains("Attendance"));
    assert!(
        screen.contains("Member name 29"),
        "the chosen member is in view:\n{screen}"
    );
    let mut empty = session();
    empty.roster.members.clear();
    empty.attendance.clear();
    let screen = render(&empty, T0, Overlay::None, 80, 24);
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
    // Two header lines, then the members.
    assert_eq!(
        hit(&areas, &state, areas.speakers.x + 5, areas.speakers.y + 3),
        Some(Hit::Member(0))
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

#[test]
fn help_fits_every_key_at_80x24() {
    let screen = render(&mid_session(), T0 + 11 * MIN, Overlay::Help, 80, 24);
    for action in crate::keymap::Action::ALL {
        assert!(
            screen.contains(action.help()),
            "help at 80x24 lacks {action:?}:\n{screen}"
        );
    }
    insta::assert_snapshot!(screen);
}
