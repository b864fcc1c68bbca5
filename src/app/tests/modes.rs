//! Every mode and popup of the console, in-process: what its keys do to the record, what
//! its hints say (read from the same bindings), and how it ends.

use super::{Harness, MIN, T0};
use crate::app::LoopEffect;
use crate::app::effect::Exit;
use crate::app::modes::Mode;
use crate::session::{About, Attendance, Event, Tag};

fn is<F: Fn(&Mode) -> bool>(harness: &Harness, check: F) -> bool {
    check(harness.console.mode())
}

#[test]
fn the_main_screen_runs_the_clock_the_agenda_and_the_floor() {
    let mut h = Harness::facilitator();
    h.keys("Space");
    assert_eq!(h.count(|e| matches!(e, Event::ClockStarted { .. })), 1);
    h.wait(MIN);
    h.keys("Right Tab");
    assert_eq!(
        h.count(|e| matches!(e, Event::SegmentEntered { index: 1, .. })),
        1
    );
    assert_eq!(h.count(|e| matches!(e, Event::TurnStarted { member: 0, .. })), 1);
    h.keys("+ x");
    assert_eq!(
        h.count(|e| matches!(e, Event::SegmentAdjusted { delta_secs: 60, .. })),
        1
    );
    assert_eq!(h.count(|e| matches!(e, Event::Passed { member: 0, .. })), 1);
    let screen = h.render(100, 30);
    for hint in ["Space start/pause", "n note", "? help", "q end"] {
        assert!(screen.contains(hint), "the hint line lacks {hint}:\n{screen}");
    }
}

#[test]
fn help_opens_and_any_key_closes_it() {
    let mut h = Harness::facilitator();
    h.keys("?");
    assert!(is(&h, |m| matches!(m, Mode::Help)));
    assert!(h.render(120, 40).contains("privacy curtain on / off"));
    h.keys("x");
    assert!(is(&h, |m| matches!(m, Mode::Main)));
    assert_eq!(
        h.count(|e| matches!(e, Event::Passed { .. })),
        0,
        "the closing key did nothing else"
    );
}

#[test]
fn ending_asks_first_and_then_writes_the_summary() {
    let mut h = Harness::facilitator();
    h.keys("Space q");
    assert!(h.render(80, 24).contains("End the session now"));
    h.keys("n");
    assert!(is(&h, |m| matches!(m, Mode::Main)));
    assert_eq!(h.count(|e| matches!(e, Event::Ended { .. })), 0);
    h.keys("q y");
    assert_eq!(h.count(|e| matches!(e, Event::Ended { .. })), 1);
    match h.effects.as_slice() {
        [LoopEffect::Exit(Exit::Saved(ron, md))] => {
            assert!(ron.starts_with(h.data().summaries()) && ron.exists() && md.exists());
        }
        other => panic!("expected the summary to be saved, got {other:?}"),
    }
    let archived = std::fs::read_dir(h.data().archive())
        .map(|d| d.count())
        .unwrap_or(0);
    assert_eq!(archived, 1, "the journal is archived once the summary is written");
}

#[test]
fn a_trainee_leaves_with_their_notes_saved() {
    let mut h = Harness::trainee(false);
    h.keys("n");
    h.type_text("the check-in felt rushed");
    h.keys("Enter q");
    let screen = h.render(80, 24);
    assert!(screen.contains("Stop following?"), "{screen}");
    assert!(screen.contains("yes, leave"), "{screen}");
    h.keys("y");
    match h.effects.as_slice() {
        [LoopEffect::Exit(Exit::Observed(Some(path)))] => {
            let text = std::fs::read_to_string(path).expect("the observations file");
            assert!(text.contains("the check-in felt rushed"), "{text}");
        }
        other => panic!("expected the trainee to leave with notes, got {other:?}"),
    }
    assert!(
        h.events().is_empty(),
        "a trainee's console records no session events"
    );
}

#[test]
fn the_note_editor_files_a_note_about_its_subject() {
    let mut h = Harness::facilitator();
    h.keys("Space Right Tab n");
    h.type_text("slept badly #sleep");
    h.keys("Alt-r Enter");
    let note = h.events().iter().find_map(|e| match e {
        Event::NoteAdded { note, .. } => Some(note.clone()),
        _ => None,
    });
    let note = note.expect("a note was filed");
    assert_eq!(note.about, About::Member(0));
    assert_eq!(note.tags, vec![Tag::Risk, Tag::Custom("sleep".into())]);
    assert!(is(&h, |m| matches!(m, Mode::Main)));
}

#[test]
fn a_kept_draft_keeps_its_subject_across_the_next_speaker() {
    let mut h = Harness::facilitator();
    // Farhana speaks; a note about her is started, then put aside with Esc.
    h.keys("Space Right Tab n");
    h.type_text("Disclosed self-harm last week");
    h.keys("Esc");
    assert_eq!(h.console.draft().map(|d| d.about), Some(About::Member(0)));
    // The floor moves on; reopening brings back the draft about Farhana, not the speaker.
    h.keys("Tab n");
    let screen = h.render(80, 24);
    assert!(screen.contains("About Farhana"), "{screen}");
    assert!(
        screen.contains("close, keep draft"),
        "the hint says what Esc does:\n{screen}"
    );
    h.keys("Enter");
    let about: Vec<About> = h
        .events()
        .iter()
        .filter_map(|e| match e {
            Event::NoteAdded { note, .. } => Some(note.about),
            _ => None,
        })
        .collect();
    assert_eq!(about, vec![About::Member(0)]);
}

#[test]
fn the_curtain_closes_the_note_editor_and_keeps_the_draft_hidden() {
    let mut h = Harness::facilitator();
    h.keys("n");
    h.type_text("private text here");
    // In text entry `c` is a letter; Ctrl-o draws the curtain without typing.
    h.keys("c Ctrl-o");
    assert!(is(&h, |m| matches!(m, Mode::Main)));
    let screen = h.render(80, 24);
    assert!(!screen.contains("private text"), "{screen}");
    assert_eq!(
        h.console.draft().map(|d| d.text.as_str()),
        Some("private text herec"),
        "the draft is kept"
    );
    assert_eq!(h.count(|e| matches!(e, Event::CurtainSet { on: true, .. })), 1);
}

#[test]
fn attendance_marks_and_moves_down_the_list() {
    let mut h = Harness::facilitator();
    h.keys("a");
    assert!(h.render(80, 24).contains("Attendance"));
    h.keys("p x 4 l Esc");
    let marked: Vec<(usize, Attendance)> = h
        .events()
        .iter()
        .filter_map(|e| match e {
            Event::AttendanceMarked { member, status, .. } => Some((*member, *status)),
            _ => None,
        })
        .collect();
    // Member 1 is already present: marking it again records nothing.
    assert_eq!(
        marked,
        vec![(1, Attendance::Absent), (3, Attendance::Late { at: T0 })]
    );
    assert!(is(&h, |m| matches!(m, Mode::Main)));
}

#[test]
fn choosing_a_member_gives_the_floor_or_cancels() {
    let mut h = Harness::facilitator();
    h.keys("g");
    assert!(
        h.render(80, 24)
            .contains("Give the floor: press a member's label")
    );
    h.keys("Esc");
    assert!(is(&h, |m| matches!(m, Mode::Main)));
    h.keys("g 3");
    assert_eq!(h.count(|e| matches!(e, Event::TurnStarted { member: 2, .. })), 1);
    h.keys("N 2");
    assert!(is(&h, |m| matches!(m, Mode::Note(_))));
    assert!(h.render(80, 24).contains("About Rafiq"));
}

#[test]
fn jumping_to_a_segment_by_its_number() {
    let mut h = Harness::facilitator();
    h.keys("j");
    assert!(h.render(80, 24).contains("Jump to which segment?"));
    h.keys("4");
    assert_eq!(
        h.count(|e| matches!(e, Event::SegmentEntered { index: 3, .. })),
        1
    );
    assert!(is(&h, |m| matches!(m, Mode::Main)));
}

#[test]
fn rebalancing_is_offered_and_accepted_or_said_to_be_needless() {
    let mut h = Harness::facilitator();
    h.keys("Space r");
    assert!(
        h.render(80, 24).contains("already ends on time"),
        "a message, not an offer"
    );
    h.keys("Esc");
    h.keys("]");
    h.keys("r");
    let screen = h.render(80, 24);
    assert!(screen.contains("rebalanced to end on time"), "{screen}");
    assert!(screen.contains("Enter accept"), "{screen}");
    h.keys("Enter");
    assert_eq!(h.count(|e| matches!(e, Event::Rebalanced { .. })), 1);
}

#[test]
fn saving_elsewhere_reports_where_and_a_failure_asks_again() {
    let mut h = Harness::facilitator();
    let elsewhere = h.dir.path().join("usb");
    h.keys("S");
    h.type_text(&elsewhere.display().to_string());
    h.keys("Enter");
    assert!(
        h.render(120, 30).contains("Summary so far saved to"),
        "where it went"
    );
    h.keys("Esc");
    assert!(is(&h, |m| matches!(m, Mode::Main)));
    assert_eq!(std::fs::read_dir(&elsewhere).map(|d| d.count()).unwrap_or(0), 2);
    // A folder that cannot be made: the prompt stays, with the reason and what was typed.
    h.keys("S");
    h.type_text("/proc/holdspace-cannot-be-here");
    h.keys("Enter");
    let screen = h.render(80, 24);
    assert!(is(&h, |m| matches!(m, Mode::SaveAs(_))), "{screen}");
    assert!(screen.contains("could not save the summary"), "{screen}");
    h.keys("Esc");
    assert!(is(&h, |m| matches!(m, Mode::Main)));
}

#[test]
fn an_unfinished_session_is_offered_and_resumed() {
    let mut first = Harness::facilitator();
    first.keys("Space Right Tab");
    let journal = first.console.journal().expect("a journal on disk");
    let found = crate::journal::find_unfinished(journal.parent().expect("the journal folder"))
        .into_iter()
        .next()
        .expect("the unfinished session");
    drop(first.console);

    let mut h = Harness::facilitator_over(first.dir);
    h.now = T0 + 5 * MIN;
    h.console.begin(Some(found), h.now);
    let screen = h.render(80, 24);
    assert!(screen.contains("An unfinished session was found"), "{screen}");
    assert!(screen.contains("start a new session"), "{screen}");
    h.keys("p");
    assert!(is(&h, |m| matches!(m, Mode::Main)));
    assert_eq!(h.count(|e| matches!(e, Event::Resumed { .. })), 1);
    assert_eq!(h.count(|e| matches!(e, Event::TurnStarted { member: 0, .. })), 1);
}

#[test]
fn a_trainee_following_may_only_observe() {
    let mut h = Harness::trainee(true);
    h.keys("Right Tab a");
    assert!(is(&h, |m| matches!(m, Mode::Main)));
    assert_eq!(h.console.session().current, 0);
    let screen = h.render(100, 30);
    assert!(
        screen.contains("n observe") && screen.contains("q leave"),
        "{screen}"
    );
    assert!(!screen.contains("start/pause"), "{screen}");
    h.keys("?");
    let help = h.render(100, 40);
    assert!(help.contains("note: speaker or group"), "{help}");
    assert!(
        !help.contains("next speaker"),
        "help shows only what a trainee may do:\n{help}"
    );
}

#[test]
fn an_offline_trainee_steps_along() {
    let mut h = Harness::trainee(false);
    h.keys("Space Right");
    assert_eq!(h.console.session().current, 1);
    h.keys("Tab");
    assert!(h.console.session().turns.is_empty(), "no turns for a trainee");
}
