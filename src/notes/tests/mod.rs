//! Tests of the notes: redaction, rendering, what is carried forward.

mod carry;
mod redact;
mod render;

use super::{
    FollowUp, GroupPart, MemberFields, MemberNote, QuotedNote, RiskFlag, Schedule, Template, WrapUp,
};
use crate::summary::Presence;

fn quote(at: &str, tags: &[&str], text: &str) -> QuotedNote {
    QuotedNote {
        at: at.into(),
        tags: tags.iter().map(|t| (*t).to_owned()).collect(),
        text: text.into(),
    }
}

/// A wrap-up of five members: Farhana Akter (present, a note naming Rafiq), Rafiq (late),
/// Joy (left early), Tanvir (absent), Kamal (not recorded); one risk closed, one open; one
/// follow-up with an owner and a due date, one without an owner.
fn wrapup() -> WrapUp {
    let member = |name: &str, attendance: Presence| MemberNote {
        name: name.into(),
        attendance,
        ..MemberNote::default()
    };
    let farhana = MemberNote {
        attended_secs: Some(89 * 60),
        turns: 3,
        passes: 1,
        airtime_secs: 7 * 60 + 30,
        share: 0.234,
        notes: vec![
            quote("18:11:00", &["follow-up"], "Mentioned sleep problems"),
            quote("18:40:10", &[], "Said Rafiq's story helped her; Joy smiled"),
        ],
        fields: MemberFields {
            assessment: "Engaged; linked thoughts and feelings.".into(),
            plan: "Continue thought records; sleep diary.".into(),
            homework: "Two thought records".into(),
            ..MemberFields::default()
        },
        ..member("Farhana Akter", Presence::Present)
    };
    let rafiq = MemberNote {
        arrived: Some("18:12:00".into()),
        attended_secs: Some(77 * 60),
        turns: 1,
        airtime_secs: 45,
        share: 0.04,
        notes: vec![quote(
            "18:16:00",
            &["risk", "sleep"],
            "Talked about self-harm urges with Farhana",
        )],
        ..member("Rafiq", Presence::Late)
    };
    let joy = MemberNote {
        left: Some("19:18:00".into()),
        attended_secs: Some(78 * 60),
        ..member("Joy", Presence::LeftEarly)
    };
    WrapUp {
        version: super::WRAPUP_VERSION,
        session_id: "2025-03-04T12-00-00Z-test".into(),
        template: Template::Dap,
        group: GroupPart {
            topic: "Managing Anxiety, session 3".into(),
            interventions: "Check-in round (Check-in); Thought record (Exercise)".into(),
            themes: "Sleep and worry; Farhana and Rafiq compared notes".into(),
            homework: "Practise box breathing daily".into(),
            schedule: Schedule {
                date: "2025-03-04".into(),
                start: "18:00".into(),
                end: "19:29".into(),
                planned_secs: 90 * 60,
                actual_secs: 78 * 60,
            },
        },
        risks: vec![
            RiskFlag {
                at: "18:16:00".into(),
                about: "Rafiq".into(),
                text: "Talked about self-harm urges with Farhana".into(),
                action: "Safety plan reviewed with Rafiq".into(),
                told: "On-call psychiatrist".into(),
            },
            RiskFlag {
                at: "18:20:00".into(),
                about: "Farhana Akter".into(),
                text: "Said she cannot go on".into(),
                ..RiskFlag::default()
            },
        ],
        follow_ups: vec![
            FollowUp {
                at: "18:11:00".into(),
                about: "Farhana Akter".into(),
                text: "Mentioned sleep problems".into(),
                owner: "Dr. Nadia Rahman".into(),
                due: Some("2025-03-11".into()),
            },
            FollowUp {
                at: "18:50:00".into(),
                about: "group".into(),
                text: "Send the breathing handout".into(),
                ..FollowUp::default()
            },
        ],
        members: vec![
            farhana,
            rafiq,
            joy,
            member("Tanvir", Presence::Absent),
            member("Kamal", Presence::NotRecorded),
        ],
        finished: false,
    }
}

#[test]
fn a_due_date_must_be_a_date_nobody_has_to_guess() {
    let mut wrapup = wrapup();
    let due = |w: &WrapUp| {
        w.missing()
            .into_iter()
            .filter(|m| matches!(m, super::Missing::FollowUpDue { .. }))
            .count()
    };
    assert_eq!(due(&wrapup), 0, "2025-03-11 and none are both fine");
    for unclear in ["next tuesday", "11/03/2025", "2025-02-30", "2025-3-1x"] {
        wrapup.follow_ups[0].due = Some(unclear.into());
        assert_eq!(due(&wrapup), 1, "{unclear}");
    }
    wrapup.follow_ups[0].due = Some("   ".into());
    assert_eq!(due(&wrapup), 0, "blank is no due date");
}

#[test]
fn a_members_captured_facts_read_as_one_line() {
    let w = wrapup();
    let facts: Vec<String> = w.members.iter().take(3).map(MemberNote::facts).collect();
    assert_eq!(
        facts,
        [
            "present · 89 min in the room · 3 turns, 7 min 30 s (23%) · passed once",
            "late · arrived 18:12:00 · 77 min in the room · 1 turn, 45 s (4%)",
            "left early · left 19:18:00 · 78 min in the room · no turn",
        ]
    );
}
