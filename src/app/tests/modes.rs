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
    for hint in [
        "Space pause",
        "+ +1m",
        "x pass",
        "a attend",
        "n note",
        "? help",
        "q end",
    ] {
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
fn ending_asks_first_then_about_those_never_marked_then_writes_the_summary() {
    let mut h = Harness::facilitator();
    h.keys("Space Right Tab q");
    assert!(h.render(80, 24).contains("End the session now"));
    h.keys("n");
    assert!(is(&h, |m| matches!(m, Mode::Main)));
    assert_eq!(h.count(|e| matches!(e, Event::Ended { .. })), 0);
    h.keys("q y");
    // The end is journaled before anyone is asked about.
    assert_eq!(h.count(|e| matches!(e, Event::Ended { .. })), 1);
    let screen = h.render(80, 30);
    assert!(
        screen.contains("Who was here?") && screen.contains("Rafiq"),
        "{screen}"
    );
    assert!(
        !screen.lines().any(|l| l.contains('║') && l.contains("Farhana")),
        "Farhana spoke: she is already present\n{screen}"
    );
    assert!(
        screen.contains("Farhana marked present (they took part)"),
        "and the screen said so when it happened\n{screen}"
    );
    // Rafiq was here, Joy absent, the rest left unanswered.
    h.keys("P X Enter");
    let marks: Vec<(usize, Attendance)> = h
        .events()
        .iter()
        .filter_map(|e| match e {
            Event::AttendanceMarked { member, status, .. } if *member != 0 => Some((*member, *status)),
            _ => None,
        })
        .collect();
    assert_eq!(marks, vec![(1, Attendance::Present), (2, Attendance::Absent)]);
    // The summary is written first; then the wrap-up opens, to finish later (Esc).
    assert!(is(&h, |m| matches!(m, Mode::WrapUp(_))));
    assert!(h.render(100, 30).contains("Wrap-up · DAP"));
    h.keys("Esc");
    let Some(LoopEffect::Exit(Exit::Saved {
        ron,
        markdown: md,
        wrapup: None,
        ..
    })) = h.effects.first().cloned()
    else {
        panic!("expected the summary to be saved, got {:?}", h.effects);
    };
    assert!(ron.starts_with(h.data().summaries()) && ron.exists() && md.exists());
    let summary = crate::summary::read_summary(&ron).expect("the summary reads back");
    let status = |name: &str| {
        summary
            .attendance
            .iter()
            .find(|a| a.name == name)
            .map(|a| a.status)
    };
    assert_eq!(status("Rafiq"), Some(crate::summary::Presence::Present));
    assert_eq!(status("Joy"), Some(crate::summary::Presence::Absent));
    assert_eq!(status("Kamal"), Some(crate::summary::Presence::NotRecorded));
    let archived = std::fs::read_dir(h.data().archive())
        .map(|d| d.count())
        .unwrap_or(0);
    assert_eq!(archived, 1, "the journal is archived once the summary is written");
}

#[test]
fn a_session_that_never_started_leaves_without_a_summary_unless_asked() {
    let mut h = Harness::facilitator();
    h.keys("q");
    assert!(h.render(80, 24).contains("The session never started"));
    h.keys("n");
    assert!(is(&h, |m| matches!(m, Mode::Main)));
    h.keys("q y");
    assert_eq!(h.effects, vec![LoopEffect::Exit(Exit::NeverStarted)]);
    assert!(!h.data().summaries().exists(), "no summary was written");
    // Asked for, a summary is written anyway.
    let mut h = Harness::facilitator();
    h.keys("q s");
    h.keys("Enter Esc");
    assert!(
        matches!(h.effects.as_slice(), [LoopEffect::Exit(Exit::Saved { .. })]),
        "{:?}",
        h.effects
    );
}

#[test]
fn with_nothing_on_disk_only_a_typed_discard_leaves() {
    let mut h = Harness::facilitator_over(tempfile::tempdir().expect("a temp dir"));
    // The data dir is a file: neither the journal nor the summary can be written.
    std::fs::write(h.dir.path().join("journal"), "not a folder").expect("a file");
    std::fs::write(h.dir.path().join("summaries"), "not a folder").expect("a file");
    h.console.begin(None, T0);
    h.keys("Space Right Tab");
    assert!(h.render(100, 30).contains("NOT SAVED"), "{}", h.render(100, 30));
    h.keys("q y Enter");
    // The summary could not be written: save it elsewhere, or leave with a typed discard.
    assert!(is(&h, |m| matches!(m, Mode::SaveAs(_))));
    h.keys("Esc q");
    assert!(
        is(&h, |m| matches!(m, Mode::Discard(_))),
        "quitting again asks again"
    );
    h.type_text("discar");
    h.keys("Enter");
    assert!(h.effects.is_empty() && is(&h, |m| matches!(m, Mode::Discard(_))));
    h.keys("Esc q");
    h.type_text("discard");
    h.keys("Enter");
    assert_eq!(h.effects, vec![LoopEffect::Exit(Exit::Discarded)]);
}

#[test]
fn undo_takes_back_a_skip_and_says_so() {
    let mut h = Harness::facilitator();
    h.keys("Space Right s");
    assert_eq!(h.console.session().current, 2);
    h.keys("u");
    assert_eq!(h.console.session().current, 1);
    let screen = h.render(120, 30);
    assert!(screen.contains("Undone: the skip of Check-in round."), "{screen}");
    h.keys("u");
    assert!(h.render(120, 30).contains("Nothing to undo"));
}

#[test]
fn a_note_is_corrected_moved_and_withdrawn_from_the_notes_list() {
    let mut h = Harness::facilitator();
    h.keys("Space Right Tab n");
    h.type_text("wrote this about the wrong person");
    h.keys("Enter l");
    assert!(h.render(100, 30).contains("wrote this about the wrong person"));
    // Correct it: move it to the next subject and change the text.
    h.keys("Enter");
    assert!(h.render(100, 30).contains("Correcting the note of"));
    h.keys("Tab");
    h.type_text(" (moved)");
    h.keys("Enter");
    let amended = h.events().iter().find_map(|e| match e {
        Event::NoteAmended { about, text, .. } => Some((*about, text.clone())),
        _ => None,
    });
    assert_eq!(
        amended,
        Some((
            About::Member(1),
            "wrote this about the wrong person (moved)".into()
        ))
    );
    // Withdraw it, after a question.
    h.keys("l W n W y Esc");
    assert_eq!(h.count(|e| matches!(e, Event::NoteWithdrawn { index: 0, .. })), 1);
    assert!(h.console.session().notes[0].withdrawn.is_some());
}

#[test]
fn shift_tab_steps_back_through_subjects() {
    let mut h = Harness::facilitator();
    h.keys("n");
    assert!(h.render(80, 24).contains("About the group"));
    h.keys("BackTab");
    assert!(
        h.render(80, 24).contains("About Kamal"),
        "back from the group is the last member"
    );
    h.keys("Tab Tab");
    assert!(h.render(80, 24).contains("About Welcome and group agreements"));
}

#[test]
fn the_floor_is_not_given_to_an_absent_member_but_a_note_about_them_is_fine() {
    let mut h = Harness::facilitator();
    h.keys("a");
    h.keys("3 X Esc g 3");
    assert!(is(&h, |m| matches!(m, Mode::PickMember(_))));
    assert!(h.render(80, 24).contains("Joy is marked absent"));
    h.keys("Esc N 3");
    assert!(h.render(80, 24).contains("About Joy"));
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
        screen.contains("Esc keep draft"),
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
    let screen = h.render(80, 24);
    assert!(
        screen.contains("Attendance") && screen.contains("not arrived yet"),
        "{screen}"
    );
    // A roll call: present, absent, then member 4 chosen by label arrives late.
    h.keys("P X 4 L");
    // Labels are never marks: `d` chooses member 13 (none here), `x` is no mark.
    h.keys("x d Esc");
    let marked: Vec<(usize, Attendance)> = h
        .events()
        .iter()
        .filter_map(|e| match e {
            Event::AttendanceMarked { member, status, .. } => Some((*member, *status)),
            _ => None,
        })
        .collect();
    assert_eq!(
        marked,
        vec![
            (0, Attendance::Present),
            (1, Attendance::Absent),
            (3, Attendance::Late { at: T0 })
        ]
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
    let found = first.unfinished();
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

#[test]
fn under_the_curtain_no_name_label_or_note_shows_and_private_popups_stay_shut() {
    let mut h = Harness::facilitator();
    h.keys("Space Right Tab c");
    let screen = h.render(100, 30);
    for member in &h.console.session().roster.members {
        assert!(!screen.contains(&member.name), "{} shows:\n{screen}", member.name);
    }
    // Stand-ins are not the roster's order: Farhana (first on the roster) speaks.
    let speaking = format!("Speaking Member {}", h.console.session().stand_in(0));
    assert!(screen.contains(&speaking), "{screen}");
    assert_ne!(
        h.console.session().stand_in(0),
        1,
        "the seed of this session shuffles her"
    );
    // No label column under the curtain: "1 ▶" would say who she is.
    assert!(!screen.contains("1 ▶"), "{screen}");
    // The note editor, the notes and attendance do not open; the screen says why.
    h.keys("n");
    assert!(is(&h, |m| matches!(m, Mode::Main)));
    assert!(h.render(100, 30).contains("The curtain is drawn"));
    h.keys("a l");
    assert!(is(&h, |m| matches!(m, Mode::Main)));
}

#[test]
fn a_trainees_own_curtain_stays_until_they_lift_it() {
    let mut h = Harness::trainee(true);
    let facilitator = Harness::facilitator();
    let mut followed = crate::share::FollowState {
        connected: true,
        error: None,
        finished: false,
        events: facilitator.events().to_vec(),
        state: Some(facilitator.console.session().clone()),
        links: 1,
        updates: 1,
        ended: false,
        session: Some(facilitator.console.session_id().to_owned()),
    };
    h.console.follow(&followed, h.now);
    h.keys("c");
    assert!(!h.render(100, 30).contains("Farhana"));
    // A facilitator update (their curtain is up) does not lift the trainee's own.
    followed.updates += 1;
    h.console.follow(&followed, h.now);
    assert!(!h.render(100, 30).contains("Farhana"));
    h.keys("c");
    assert!(h.render(100, 30).contains("Farhana"));
    // The facilitator's curtain hides names even then, and the screen says why.
    let mut veiled = facilitator.console.session().clone();
    veiled.curtain = true;
    followed.state = Some(veiled);
    h.console.follow(&followed, h.now);
    let screen = h.render(120, 30);
    assert!(!screen.contains("Farhana"), "{screen}");
    assert!(
        screen.contains("The facilitator has drawn the curtain"),
        "{screen}"
    );
}

#[test]
fn a_resume_counts_the_time_up_to_the_crash_from_the_clock_mark() {
    let mut first = Harness::facilitator();
    first.keys("Space");
    // Seven seconds of a running clock, no event since the start: only the mark knows.
    for _ in 0..7 {
        first.wait(1000);
    }
    let found = first.unfinished();
    assert_eq!(found.last_event_at, T0, "the journal alone says T0");
    drop(first.console);

    let mut h = Harness::facilitator_over(first.dir);
    h.now = T0 + MIN;
    h.console.begin(Some(found), h.now);
    h.keys("p");
    let down_since = h.events().iter().find_map(|e| match e {
        Event::Resumed { down_since, .. } => Some(*down_since),
        _ => None,
    });
    assert_eq!(down_since, Some(T0 + 7_000), "counted to the second of the mark");
    // Seven seconds ran before the crash, counted as elapsed in the first segment.
    assert_eq!(h.console.session().segment_elapsed(0, T0 + MIN), 7_000);
}

#[test]
fn far_ahead_the_offer_grows_the_rest_within_bounds_and_marks_the_segment_now() {
    let mut h = Harness::facilitator();
    // Two segments skipped at once: 20 minutes ahead of the plan.
    h.keys("Space s s r");
    let screen = h.render(100, 30);
    assert!(screen.contains("rebalanced to end on time"), "{screen}");
    assert!(
        screen.contains("  now"),
        "the current segment is in the offer:\n{screen}"
    );
    h.keys("Enter");
    let session = h.console.session();
    let plan = &session.plan;
    for (index, segment) in session.segments.iter().enumerate() {
        let planned = plan.agenda[index].duration.as_millis();
        assert!(
            segment.planned_ms * 2 <= planned * 3,
            "segment {index} grew past 1.5x"
        );
    }
}

#[test]
fn the_wrap_up_is_filled_page_by_page_kept_as_a_draft_and_saved_beside_the_summary() {
    let mut h = Harness::facilitator();
    h.keys("Space");
    h.wait(MIN);
    h.keys("Right Tab");
    h.wait(MIN);
    h.keys("n");
    h.type_text("Said she has thought of ending it #risk");
    h.keys("Enter Tab n");
    h.type_text("Ask about the new job #follow-up");
    h.keys("Enter q y Enter");
    assert!(is(&h, |m| matches!(m, Mode::WrapUp(_))));
    // Group page: topic, interventions (pre-filled), themes, homework.
    let screen = h.render(120, 40);
    assert!(
        screen.contains("Interventions used") && screen.contains("Check-in round"),
        "{screen}"
    );
    h.keys("Tab Tab");
    h.type_text("Grief and worry about work");
    // The risk flag's page: the action and who was told.
    h.keys("Ctrl-n");
    assert!(h.render(120, 40).contains("Said she has thought of ending it"));
    h.type_text("Safety plan reviewed; on-call informed");
    h.keys("Tab");
    h.type_text("Dr. Nadia Rahman");
    // The draft is kept as it goes.
    h.now += 2_000;
    h.keys("Tab");
    let session = h.console.session_id().to_owned();
    let draft = crate::notes::read_draft(&crate::vault::Vault::plain(), &h.data(), &session)
        .expect("a draft")
        .expect("it reads");
    assert_eq!(draft.risks[0].action, "Safety plan reviewed; on-call informed");
    // Save: the wrap-up goes beside the summary; the draft goes.
    h.keys("Ctrl-s");
    let Some(LoopEffect::Exit(Exit::Saved {
        ron,
        wrapup: Some(saved),
        ..
    })) = h.effects.first().cloned()
    else {
        panic!("expected the wrap-up to be saved, got {:?}", h.effects);
    };
    assert_eq!(saved.path, crate::notes::wrapup_path(&ron));
    assert!(saved.to_do > 0, "saved half done: not finished");
    let on_disk = crate::notes::read_wrapup(&crate::vault::Vault::plain(), &ron)
        .expect("saved")
        .expect("it reads");
    assert!(!on_disk.finished, "a half-done wrap-up is never marked finished");
    assert_eq!(on_disk.group.themes, "Grief and worry about work");
    assert_eq!(on_disk.risks[0].told, "Dr. Nadia Rahman");
    assert!(!on_disk.is_complete(), "the members' notes are not written yet");
    assert!(crate::notes::read_draft(&crate::vault::Vault::plain(), &h.data(), &session).is_none());
}

#[test]
fn a_member_field_that_names_others_says_so_beside_it() {
    let mut h = Harness::facilitator();
    // Farhana (the roster's first) is marked present.
    h.keys("a P Esc Space");
    h.wait(MIN);
    h.keys("q y Enter");
    let mut pages = 0;
    while !h.render(120, 40).contains("Farhana · ") && pages < 40 {
        h.keys("Ctrl-n");
        pages += 1;
    }
    h.type_text("Rafiq supported her; Joy said little");
    let screen = h.render(120, 40);
    assert!(
        screen.contains("read “another group member”"),
        "Rafiq will be rewritten:\n{screen}"
    );
    // Every word left as written is listed, none pushed out of sight by another.
    let joined: String = screen
        .lines()
        .map(|l| l.trim_matches('"').trim())
        .collect::<Vec<_>>()
        .join(" ");
    assert!(
        joined.contains("“Joy” (an everyday word)"),
        "Joy is left as written and warned about:\n{screen}"
    );
    // A field without names says nothing.
    h.keys("Tab");
    h.type_text("Practise the breathing");
    let screen = h.render(120, 40);
    assert!(!screen.contains("⚠"), "{screen}");
}

#[test]
fn the_wrap_up_saved_with_ctrl_t_submits_the_session_for_supervision_as_the_lead() {
    let mut h = Harness::facilitator();
    h.keys("Space");
    h.wait(MIN);
    h.keys("q y Enter");
    assert!(is(&h, |m| matches!(m, Mode::WrapUp(_))));
    assert!(h.render(160, 40).contains("save & submit for supervision"));
    h.keys("Ctrl-t");
    let Some(LoopEffect::Exit(Exit::Saved {
        ron,
        wrapup: Some(_),
        submitted: Some(Ok(())),
        ..
    })) = h.effects.first().cloned()
    else {
        panic!("expected a saved and submitted wrap-up, got {:?}", h.effects);
    };
    let (review, problems) = crate::supervision::store::review_of(&ron, &crate::vault::Vault::plain());
    assert!(problems.is_empty(), "{problems:?}");
    assert_eq!(review.status, crate::supervision::Status::Submitted);
    let record = review.records.last().expect("a record");
    assert_eq!(record.author, "Dr. Nadia Rahman", "the roster's lead submits");
}
