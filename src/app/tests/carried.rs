//! What the last session of the series left open, at the start of this one: shown, closed
//! and opened again through the journal, hidden by the curtain, kept in the summary; and
//! the last session's plans in the wrap-up.

use std::path::PathBuf;

use super::{Harness, MIN};
use crate::app::LoopEffect;
use crate::app::earlier::Earlier;
use crate::app::effect::Exit;
use crate::notes::Carried;
use crate::session::{CarriedItem, CarriedKind, Event};

fn item(n: u32, about: &str, text: &str) -> CarriedItem {
    CarriedItem {
        id: format!("s4/follow-up/{n}"),
        kind: CarriedKind::FollowUp,
        raised_session: 4,
        raised_date: "2025-03-04".into(),
        about: about.into(),
        text: text.into(),
        owner: "Samir Akter".into(),
        due: Some("2025-03-11".into()),
    }
}

fn earlier() -> Earlier {
    Earlier {
        carried: Some(Carried {
            from_session: 4,
            from_date: "2025-03-04".into(),
            from_session_id: "s4".into(),
            from_summary: PathBuf::from("s4.ron"),
            wrapup_finished: true,
            items: vec![
                item(0, "Farhana", "ask about sleep"),
                item(1, "group", "bring the worksheet"),
            ],
        }),
        unreadable: 0,
        plans: [("Farhana".to_owned(), "Keep the sleep diary".to_owned())].into(),
    }
}

#[test]
fn open_items_are_shown_at_the_start_closed_in_the_journal_and_kept_in_the_summary() {
    let mut h = Harness::facilitator_after(earlier());
    let screen = h.render(100, 30);
    assert!(screen.contains("Carried forward"), "{screen}");
    assert!(
        screen.contains("From session 4: follow-up about Farhana"),
        "{screen}"
    );
    assert_eq!(h.count(|e| matches!(e, Event::CarriedShown { .. })), 1);

    // The first is dealt with: closed, in the journal.
    h.keys("Enter");
    assert_eq!(h.count(|e| matches!(e, Event::CarriedClosed { .. })), 1);
    // The curtain hides the list (names); lifting it leaves the main screen.
    h.keys("c");
    assert!(!h.render(100, 30).contains("Farhana"));
    h.keys("c");
    assert!(!h.render(100, 30).contains("Carried forward"));
    // `f` opens it again; closed by mistake, opened again.
    h.keys("f");
    assert!(h.render(100, 30).contains("1 of 2 still open"));
    h.keys("Enter");
    assert_eq!(h.count(|e| matches!(e, Event::CarriedReopened { .. })), 1);
    h.keys("Down Enter Esc");
    assert!(h.console.session().carried[1].closed.is_some());
    // Never to a trainee.
    assert!(
        h.events()
            .iter()
            .filter(|e| matches!(e, Event::CarriedShown { .. }))
            .all(|e| !e.is_shareable())
    );

    h.keys("Space");
    h.wait(MIN);
    h.keys("q y Enter Esc q");
    let Some(LoopEffect::Exit(Exit::Saved { ron, .. })) = h.effects.first().cloned() else {
        panic!("expected the summary to be saved, got {:?}", h.effects);
    };
    let summary = crate::summary::read_summary(&ron).expect("the summary reads");
    let closed: Vec<bool> = summary.carried.iter().map(|c| c.closed.is_some()).collect();
    assert_eq!(
        closed,
        [false, true],
        "the first was opened again, the second closed"
    );
    let markdown = std::fs::read_to_string(ron.with_extension("md")).expect("the report");
    assert!(markdown.contains("Carried from earlier sessions"), "{markdown}");
    assert!(markdown.contains("**still open**"), "{markdown}");
}

#[test]
fn nothing_carried_opens_nothing_and_f_says_so() {
    let mut h = Harness::facilitator();
    assert!(!h.render(100, 30).contains("Carried forward"));
    h.keys("f");
    assert!(h.render(100, 30).contains("Nothing was carried"));
}

#[test]
fn the_plan_of_last_session_is_one_key_away_in_the_wrap_up() {
    let mut h = Harness::facilitator_after(earlier());
    // Farhana (the roster's first) is marked present.
    h.keys("Esc a P Esc Space");
    h.wait(MIN);
    h.keys("q y Enter");
    // To Farhana's page: the group page first, then one per member present.
    let mut pages = 0;
    while !h.render(120, 40).contains("Farhana ·") && pages < 40 {
        h.keys("Ctrl-n");
        pages += 1;
    }
    // To the plan field.
    let mut fields = 0;
    while !h.render(120, 40).contains("plan as last session") && fields < 8 {
        h.keys("Tab");
        fields += 1;
    }
    h.keys("Ctrl-l");
    let screen = h.render(120, 40);
    assert!(screen.contains("Keep the sleep diary"), "{screen}");
}

#[test]
fn found_after_the_start_it_opens_on_the_main_screen_and_never_over_a_note_being_typed() {
    let mut h = Harness::facilitator();
    h.console.found_earlier(earlier(), h.now);
    assert!(h.render(100, 30).contains("Carried forward"));
    assert_eq!(h.count(|e| matches!(e, Event::CarriedShown { .. })), 1);

    let mut h = Harness::facilitator();
    h.keys("n");
    h.type_text("half a thought");
    h.console.found_earlier(earlier(), h.now);
    let screen = h.render(100, 30);
    assert!(
        screen.contains("half a thought"),
        "the note stays open:\n{screen}"
    );
    h.keys("Esc");
    let screen = h.render(100, 30);
    assert!(!screen.contains("Carried forward"), "{screen}");
    assert!(
        screen.contains("2 item(s) still open from session 4: f shows them"),
        "{screen}"
    );
    assert_eq!(h.count(|e| matches!(e, Event::CarriedShown { .. })), 1);
    // Found again (it never is, but a resumed session that already has it): not twice.
    h.console.found_earlier(earlier(), h.now);
    assert_eq!(h.count(|e| matches!(e, Event::CarriedShown { .. })), 1);
}
