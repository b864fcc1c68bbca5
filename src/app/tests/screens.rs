//! Snapshots of the whole console, drawn through it as the real program draws, at several
//! sizes and in its main states. Times are fixed and the offset is UTC.

use super::{Harness, MIN, T0};
use crate::session::Command;
use crate::ui::sample_steps;

/// The sample session: a check-in round under way, two turns and a pass, a late member,
/// an absent one, two notes; the clock read at 09:11.
fn mid_session() -> Harness {
    let mut harness = Harness::facilitator();
    for (at, command) in sample_steps(T0) {
        harness.console.command(command, at);
    }
    harness.now = T0 + 11 * MIN;
    harness.settle();
    harness
}

#[test]
fn main_screen_at_80x24() {
    insta::assert_snapshot!(mid_session().render(80, 24));
}

#[test]
fn main_screen_at_120x40() {
    insta::assert_snapshot!(mid_session().render(120, 40));
}

#[test]
fn a_tiny_terminal_gets_a_clear_message() {
    let mut harness = mid_session();
    insta::assert_snapshot!(harness.render(10, 5));
    // A popup opened on a tiny terminal is not drawn over the message.
    harness.keys("?");
    let tiny = harness.render(79, 30);
    assert!(tiny.contains("Terminal too small"), "{tiny}");
    assert!(!tiny.contains("this help"), "{tiny}");
}

#[test]
fn overtime_shows_a_sign_and_the_word() {
    let mut harness = Harness::facilitator();
    harness.keys("Space");
    harness.now = T0 + 7 * MIN + 5_000;
    let screen = harness.render(80, 24);
    assert!(screen.contains("OVERTIME"), "{screen}");
    insta::assert_snapshot!(screen);
}

#[test]
fn the_curtain_hides_names_and_notes() {
    let mut harness = mid_session();
    harness.console.command(Command::ToggleCurtain, harness.now);
    harness.settle();
    let screen = harness.render(120, 40);
    for member in &harness.console.session().roster.members {
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
fn help_lists_every_key_of_the_main_screen() {
    let mut harness = mid_session();
    harness.keys("?");
    for (width, height) in [(120, 40), (80, 24)] {
        let screen = harness.render(width, height);
        for action in crate::keymap::Action::ALL {
            if matches!(
                action.context(),
                crate::keymap::Context::Main | crate::keymap::Context::Global
            ) {
                assert!(
                    screen.contains(action.help()),
                    "help at {width}x{height} lacks {action:?}:\n{screen}"
                );
            }
        }
        insta::assert_snapshot!(format!("help_{width}x{height}"), screen);
    }
}

#[test]
fn note_editor_and_quit_confirmation() {
    let mut harness = mid_session();
    harness.keys("n");
    harness.type_text("worried about work");
    harness.keys("Alt-f");
    insta::assert_snapshot!("note_editor", harness.render(80, 24));
    harness.keys("Esc q");
    insta::assert_snapshot!("confirm_quit", harness.render(80, 24));
}
