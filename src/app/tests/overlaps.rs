//! Sequences and overlaps of modes a person meets in a real session: the curtain during
//! the ending, a label that is also a global key, a trainee before anything arrived, the
//! wrap-up submitted half done.

use super::{Harness, T0, example_session};
use crate::app::LoopEffect;
use crate::app::effect::Exit;
use crate::app::modes::Mode;
use crate::session::Attendance;
use crate::share::{FollowError, FollowState};

fn mode_is<F: Fn(&Mode) -> bool>(harness: &Harness, check: F) -> bool {
    check(harness.console.mode())
}

#[test]
fn c_is_the_twelfth_member_where_members_are_picked_and_ctrl_o_the_curtain() {
    let mut h = example_session(15);
    h.keys("a c X");
    assert_eq!(h.console.session().attendance[11].mark, Attendance::Absent);
    assert!(!h.console.session().curtain, "c picked a member, it drew nothing");
    assert!(mode_is(&h, |m| matches!(m, Mode::Attendance(_))));
    h.keys("Ctrl-o");
    assert!(h.console.session().curtain);
    assert!(mode_is(&h, |m| matches!(m, Mode::Main)), "the names went away");
    // On the main screen, `c` is the curtain again.
    h.keys("c");
    assert!(!h.console.session().curtain);
    h.keys("g c");
    assert!(
        !h.console.session().curtain,
        "g then c gives the floor, never the curtain"
    );
}

#[test]
fn the_curtain_during_the_ending_keeps_the_question_and_veils_the_wrap_up() {
    let mut h = example_session(4);
    h.keys("Space Right Tab");
    h.keys("q y");
    assert!(mode_is(&h, |m| matches!(m, Mode::Closing(_))));
    h.keys("Ctrl-o");
    assert!(
        mode_is(&h, |m| matches!(m, Mode::Closing(_))),
        "the question stays: it is the ending"
    );
    let asked = h.render(80, 24);
    assert!(asked.contains("Who was here?"), "{asked}");
    assert!(!asked.contains("Person 0"), "stand-ins only:\n{asked}");
    // `c` is a label here (the twelfth member), never a way out of the ending.
    h.keys("c P Enter");
    assert!(
        mode_is(&h, |m| matches!(m, Mode::WrapUp(_))),
        "the summary is written"
    );
    let veiled = h.render(100, 30);
    assert!(veiled.contains("the wrap-up is hidden"), "{veiled}");
    assert!(!veiled.contains("Person 0"), "{veiled}");
    // Keys wait behind the veil: nothing is saved or typed blind.
    h.keys("Ctrl-s x");
    assert!(mode_is(&h, |m| matches!(m, Mode::WrapUp(_))));
    h.keys("Ctrl-o");
    let shown = h.render(100, 30);
    assert!(
        shown.contains("Wrap-up ·") && shown.contains("Person 0"),
        "{shown}"
    );
}

#[test]
fn an_incomplete_wrap_up_asks_before_it_is_submitted() {
    let mut h = example_session(3);
    h.keys("Space Right Tab");
    h.keys("q y Enter");
    assert!(mode_is(&h, |m| matches!(m, Mode::WrapUp(_))));
    h.keys("Ctrl-t");
    assert!(mode_is(&h, |m| matches!(m, Mode::WrapUp(_))), "not submitted yet");
    let asked = h.render(100, 30);
    assert!(asked.contains("again submits it incomplete"), "{asked}");
    // Any other key goes on typing; asking again starts over.
    h.keys("Tab Ctrl-t");
    assert!(mode_is(&h, |m| matches!(m, Mode::WrapUp(_))));
    h.keys("Ctrl-t");
    assert!(
        mode_is(&h, |m| !matches!(m, Mode::WrapUp(_))),
        "the second Ctrl-t submits it as it is"
    );
}

#[test]
fn a_trainee_sees_nothing_of_the_local_plan_until_the_facilitators_arrives() {
    let mut h = Harness::trainee_connecting(true);
    let waiting = h.render(80, 24);
    assert!(waiting.contains("Connecting"), "{waiting}");
    assert!(!waiting.contains("Agenda"), "{waiting}");
    h.keys("n");
    assert!(
        mode_is(&h, |m| matches!(m, Mode::Main)),
        "no note against a plan not theirs"
    );
    // A refused code before anything arrived: nothing to follow, said plainly.
    let refused = FollowState {
        finished: true,
        error: Some(FollowError::CodeRefused),
        ..Default::default()
    };
    let effects = h.console.follow(&refused, T0);
    assert!(
        matches!(effects.as_slice(), [LoopEffect::Exit(Exit::Failed(why))] if why.contains("refused")),
        "{effects:?}"
    );
    // `q` leaves while waiting.
    let mut h = Harness::trainee_connecting(true);
    h.keys("q");
    assert!(
        matches!(h.effects.as_slice(), [LoopEffect::Exit(Exit::Observed(None))]),
        "{:?}",
        h.effects
    );
}

#[test]
fn a_trainee_under_the_facilitators_curtain_is_told_it_is_theirs() {
    let mut h = Harness::trainee(true);
    let mut veiled = h.console.session().clone();
    veiled.curtain = true;
    let followed = FollowState {
        connected: true,
        state: Some(veiled),
        session: Some("facilitators-session".into()),
        ..Default::default()
    };
    h.console.follow(&followed, T0);
    h.keys("N");
    let screen = h.render(120, 30);
    assert!(
        screen.contains("The facilitator has drawn the curtain"),
        "{screen}"
    );
    assert!(!screen.contains("lift it"), "{screen}");
}

#[test]
fn keys_wait_while_the_terminal_is_too_small() {
    let mut h = example_session(3);
    h.render(10, 5);
    h.keys("Space n");
    assert!(h.console.session().started_at.is_none(), "nothing was done blind");
    assert!(mode_is(&h, |m| matches!(m, Mode::Main)));
    h.keys("c");
    assert!(h.console.session().curtain, "the curtain works at any size");
    h.render(80, 24);
    h.keys("c Space");
    assert!(h.console.session().started_at.is_some());
}

#[test]
fn the_last_burst_of_wrap_up_typing_is_kept_a_second_later_without_another_key() {
    let mut h = example_session(3);
    h.keys("Space Right Tab");
    h.keys("q y Enter");
    h.wait(5_000);
    h.type_text("typed just before a crash");
    let wake = h.console.next_change(h.now).expect("a wake-up for the draft");
    assert!(wake <= h.now + 1_000, "the loop wakes within a second");
    h.wait(1_000);
    let session = h.console.session_id().to_owned();
    let draft = crate::notes::read_draft(&crate::vault::Vault::plain(), &h.data(), &session)
        .expect("a draft")
        .expect("it reads");
    assert!(
        draft.group.topic.ends_with("typed just before a crash"),
        "{:?}",
        draft.group.topic
    );
}

#[test]
fn a_signal_files_the_note_being_typed_and_the_draft_kept_with_esc() {
    let mut h = example_session(3);
    h.keys("Space Right Tab n");
    h.type_text("kept with Esc");
    h.keys("Esc");
    let (_, whole) = h.console.stop(h.now);
    assert!(whole);
    let texts = h.note_texts();
    assert_eq!(texts, ["kept with Esc"], "nothing typed is lost to SIGTERM");

    let mut h = example_session(3);
    h.keys("Space Right Tab n");
    h.type_text("still being typed");
    h.console.stop(h.now);
    let texts = h.note_texts();
    assert_eq!(texts, ["still being typed"]);
}

#[test]
fn a_note_being_typed_survives_a_crash_and_comes_back_as_the_draft() {
    let mut first = Harness::facilitator();
    first.keys("Space Right Tab n");
    first.type_text("Disclosed a hard week at home");
    first.wait(1_000);
    let found = first.unfinished();
    // kill -9: nothing more runs.
    drop(first.console);

    let mut h = Harness::facilitator_over(first.dir);
    h.now = T0 + 60_000;
    h.console.begin(Some(found), h.now);
    h.keys("p");
    let told = h.render(100, 30);
    assert!(
        told.contains("The note you were writing is kept as a draft"),
        "{told}"
    );
    h.keys("n");
    let reopened = h.render(100, 30);
    assert!(reopened.contains("Disclosed a hard week at home"), "{reopened}");
    assert!(reopened.contains("Farhana"), "it keeps its subject:\n{reopened}");
    h.keys("Enter");
    assert_eq!(h.console.session().notes.len(), 1);
    assert!(
        crate::app::note_draft::read(&crate::vault::Vault::plain(), &h.data(), h.console.session_id())
            .is_none(),
        "saved, the draft is gone"
    );
}

#[test]
fn at_80x24_the_wrap_up_shows_a_long_risk_note_whole() {
    let mut h = example_session(3);
    h.keys("Space Right Tab n");
    h.type_text(
        "Said she has thought about ending it more than once this week, \
         and that her sister does not know; agreed to stay after the group #risk",
    );
    h.keys("Enter");
    h.keys("q y Enter Ctrl-n");
    let screen = h.render(80, 24);
    let joined: String = screen
        .lines()
        .map(|l| l.trim_matches('"').trim_end())
        .collect::<Vec<_>>()
        .join(" ");
    assert!(joined.contains("agreed to stay after"), "{screen}");
}

#[test]
fn sharing_turned_off_and_on_again_keeps_its_code_so_trainees_reconnect_by_themselves() {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    let _inside = runtime.enter();
    let mut h = example_session(3);
    h.keys("Space");
    let loopback = std::net::SocketAddr::from(([127, 0, 0, 1], 0));
    h.console.start_sharing(loopback, h.now).expect("sharing starts");
    let code = |h: &Harness| h.console.sharing_status().map(|s| s.borrow().code.clone());
    let first = code(&h).expect("a code");
    h.keys("T");
    assert_eq!(code(&h), None, "off");
    h.keys("T");
    assert_eq!(
        code(&h),
        Some(first),
        "on again, with the code trainees were given"
    );
}
