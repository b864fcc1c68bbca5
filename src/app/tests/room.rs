//! In the room (issue 14): what a facilitator reads at a glance, at 80×24 and 120×40.

use super::{Harness, MIN, T0, example_session};
use crate::app::modes::Mode;

const SIZES: [(u16, u16); 2] = [(80, 24), (120, 40)];

#[test]
fn the_countdown_scales_with_its_panel() {
    let mut h = example_session(6);
    h.keys("Space");
    h.now = T0 + MIN;
    let small = h.render(80, 24);
    let large = h.render(120, 40);
    let digit_rows = |screen: &str| screen.lines().filter(|l| l.contains('█')).count();
    assert_eq!(digit_rows(&small), 5, "{small}");
    assert!(digit_rows(&large) >= 7, "{large}");
    for (w, h2) in SIZES {
        insta::assert_snapshot!(format!("countdown_{w}x{h2}"), h.render(w, h2));
    }
}

#[test]
fn ending_and_overtime_are_words_not_only_colours() {
    let mut h = example_session(6);
    h.keys("Space");
    // Two minutes before the end of the 5-minute opening: inside its warning threshold.
    h.now = T0 + 3 * MIN + 30_000;
    assert!(h.render(80, 24).contains("ENDING"));
    h.now = T0 + 5 * MIN + 1_000;
    assert!(h.render(80, 24).contains("OVERTIME"));
    h.keys("Space");
    assert!(h.render(80, 24).contains("PAUSED"));
}

#[test]
fn every_prompt_and_material_is_reachable_and_cues_stay_private() {
    let mut h = example_session(6);
    // The psychoeducation segment: materials and the facilitator's cue.
    h.keys("j 3");
    let large = h.render(120, 40);
    assert!(
        large.contains("Materials") && large.contains("Your notes"),
        "{large}"
    );
    assert!(large.contains("Draw the triangle"), "{large}");
    insta::assert_snapshot!("cues_120x40", large);
    // The opening's two prompts at 80×24: both shown when they fit.
    h.keys("j 1");
    let small = h.render(80, 24);
    assert!(
        small.contains("Prompt 1/2") && small.contains("Prompt 2/2"),
        "{small}"
    );
    // Under the curtain the cue is gone.
    h.keys("j 3 c");
    assert!(!h.render(120, 40).contains("Draw the triangle"));
}

#[test]
fn what_does_not_fit_is_paged_with_a_key() {
    let mut h = example_session(6);
    // The psychoeducation segment: its materials and a long cue do not fit at 80×24.
    h.keys("j 3");
    let first = h.render(80, 24);
    assert!(first.contains("m more · 1/"), "the page and its key:\n{first}");
    h.keys("m");
    let second = h.render(80, 24);
    assert!(second.contains("m more · 2/"), "{second}");
    assert_ne!(first, second);
    insta::assert_snapshot!("paged_80x24", first);
}

#[test]
fn a_timed_step_has_the_big_clock_and_its_overrun_a_word() {
    let mut h = example_session(6);
    h.keys("Space j 4");
    // Step 1 is 2 minutes: 30 s in, the big clock says 1:30; the segment's time is in the title.
    h.now = T0 + 30_000;
    let screen = h.render(120, 40);
    assert!(screen.contains("Step 1/6"), "{screen}");
    assert!(screen.contains("segment 19:30"), "{screen}");
    insta::assert_snapshot!("step_120x40", screen);
    h.now = T0 + 2 * MIN + 10_000;
    assert!(h.render(80, 24).contains("STEP OVER"));
    // Leaving and coming back returns to the step it was on.
    h.keys("Down Down Right Left");
    assert!(h.render(80, 24).contains("Step 3/6"));
    // Extending the segment stretches its steps.
    let before = h.console.session().step_length(2);
    h.keys("]");
    assert!(h.console.session().step_length(2) > before);
}

#[test]
fn ground_rules_are_read_aloud_from_a_key() {
    let mut h = example_session(6);
    h.keys("G");
    assert!(matches!(h.console.mode(), Mode::GroundRules));
    for (w, hh) in SIZES {
        let screen = h.render(w, hh);
        assert!(screen.contains("What is said here stays here."), "{screen}");
        assert!(screen.contains("You may always pass."), "{screen}");
    }
    h.keys("x");
    assert!(matches!(h.console.mode(), Mode::Main));
}

#[test]
fn notes_wrap_and_risk_stays_pinned() {
    let mut h = example_session(6);
    h.keys("Space Right Tab n");
    h.type_text("said she stopped her medication last week and feels unsafe #risk");
    h.keys("Enter");
    for i in 0..6 {
        h.keys("n");
        h.type_text(&format!("an ordinary note number {i} about the group"));
        h.keys("Enter");
    }
    for (w, hh) in SIZES {
        let screen = h.render(w, hh);
        let notes: Vec<&str> = screen.lines().filter(|l| l.contains("Notes (7)")).collect();
        assert_eq!(notes.len(), 1, "{screen}");
        assert!(
            screen.contains("!RISK"),
            "the risk note is pinned in view:\n{screen}"
        );
        assert!(screen.contains("unsafe"), "wrapped, not cut:\n{screen}");
        insta::assert_snapshot!(format!("notes_{w}x{hh}"), screen);
    }
}

#[test]
fn fifteen_members_at_80x24_keep_the_speaker_and_the_next_in_view() {
    let mut h = example_session(15);
    h.keys("Space Right");
    for _ in 0..12 {
        h.keys("Tab");
    }
    let screen = h.render(80, 24);
    let speaking = h
        .console
        .session()
        .current_turn()
        .map(|t| t.member)
        .expect("a speaker");
    let name = format!("Person {:02}", speaking + 1);
    assert!(
        screen.lines().any(|l| l.contains(&name) && l.contains('▶')),
        "{screen}"
    );
    assert!(screen.contains("more above"), "{screen}");
    assert!(
        screen.contains("session 3 of 8"),
        "the header keeps the series:\n{screen}"
    );
    for hint in ["+ +1m", "x pass", "a attend", "? help"] {
        assert!(screen.contains(hint), "{hint} missing:\n{screen}");
    }
    insta::assert_snapshot!("fifteen_80x24", screen);
}

#[test]
fn the_note_editor_covers_neither_the_countdown_nor_the_speaker() {
    let mut h = example_session(15);
    h.keys("Space Right Tab n");
    for (w, hh) in SIZES {
        let screen = h.render(w, hh);
        assert!(screen.contains("Speaking Person 01"), "{screen}");
        let digits = screen.lines().filter(|l| l.contains('█')).count();
        assert!(digits >= 5, "the countdown is covered:\n{screen}");
        assert!(screen.contains("╔ Note"), "{screen}");
    }
}

#[test]
fn popups_show_all_their_lines_at_every_size() {
    let mut h = Harness::facilitator();
    h.keys("Space");
    let mut found = h.unfinished();
    found.plan_title = "A very long plan title that goes on and on, as plans written by committees do".into();
    drop(h.console);
    let mut again = Harness::facilitator_over(h.dir);
    again.console.begin(Some(found), T0 + MIN);
    for (w, hh) in [(80, 24), (100, 30), (120, 40)] {
        let screen = again.render(w, hh);
        assert!(screen.contains("start a new session"), "{w}x{hh}:\n{screen}");
        assert!(screen.contains("leave for now"), "{w}x{hh}:\n{screen}");
    }
    let mut trainee = Harness::trainee(true);
    trainee.keys("q");
    for (w, hh) in SIZES {
        let screen = trainee.render(w, hh);
        assert!(
            screen.contains("y yes, leave") && screen.contains("no, stay"),
            "{screen}"
        );
    }
}
