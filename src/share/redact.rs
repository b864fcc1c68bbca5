//! What the privacy curtain hides from the trainees too: while it is drawn, the names in
//! the roster never leave the facilitator's machine. Events name members by index only,
//! so the roster carried by `Started` is the one place to blank.

use crate::plan::{Member, Person, Roster};
use crate::session::Event;

/// The shareable events with every name of the roster replaced by a stand-in
/// ("Member 1", "Facilitator 1", "Trainee 1", "Group"); pronouns are dropped. The
/// facilitator's notes are left out, as always.
pub fn redact_for_curtain(events: &[Event]) -> Vec<Event> {
    events
        .iter()
        .filter(|e| e.is_shareable())
        .map(redact_event)
        .collect()
}

/// One event as it may leave the facilitator's machine at all: a plan without the
/// facilitator's private cues (`facilitator_notes`), which are never sent.
pub fn without_private_cues(event: &Event) -> Event {
    match event {
        Event::Started {
            at,
            plan,
            roster,
            seed,
        } => Event::Started {
            at: *at,
            plan: plan.without_private_cues(),
            roster: roster.clone(),
            seed: *seed,
        },
        Event::PlanReloaded { at, plan } => Event::PlanReloaded {
            at: *at,
            plan: plan.without_private_cues(),
        },
        other => other.clone(),
    }
}

/// One event as the curtain lets it out.
pub fn redact_event(event: &Event) -> Event {
    match event {
        Event::Started {
            at,
            plan,
            roster,
            seed,
        } => Event::Started {
            at: *at,
            plan: plan.clone(),
            roster: redact_roster(roster),
            seed: *seed,
        },
        other => other.clone(),
    }
}

/// The roster's shape (how many, which roles) without a name in it.
pub fn redact_roster(roster: &Roster) -> Roster {
    Roster {
        group: if roster.group.is_empty() {
            String::new()
        } else {
            "Group".to_owned()
        },
        facilitators: (roster.facilitators.iter().enumerate())
            .map(|(i, person)| Person {
                name: format!("Facilitator {}", i + 1),
                role: person.role,
            })
            .collect(),
        trainees: (1..=roster.trainees.len())
            .map(|i| format!("Trainee {i}"))
            .collect(),
        members: (1..=roster.members.len())
            .map(|i| Member {
                name: format!("Member {i}"),
                pronouns: None,
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::plan::{BUILTIN_PLAN, BUILTIN_ROSTER, parse_plan, parse_roster};
    use crate::session::{About, Note, State};

    fn started() -> Event {
        Event::Started {
            at: 1,
            plan: parse_plan(BUILTIN_PLAN, Path::new("p.ron")).expect("plan"),
            roster: parse_roster(BUILTIN_ROSTER, Path::new("r.ron")).expect("roster"),
            seed: 7,
        }
    }

    #[test]
    fn the_curtain_blanks_every_name_and_keeps_the_shape() {
        let original = started();
        let Event::Started { roster, .. } = &original else {
            unreachable!()
        };
        let events = vec![
            original.clone(),
            Event::TurnStarted { at: 2, member: 1 },
            Event::NoteAdded {
                at: 3,
                note: Note::new(3, About::Member(1), vec![], "private"),
            },
            Event::CurtainSet { at: 4, on: true },
        ];
        let redacted = redact_for_curtain(&events);
        assert_eq!(redacted.len(), 3, "the note is gone");
        let Event::Started {
            roster: hidden,
            plan,
            seed,
            at,
        } = &redacted[0]
        else {
            panic!("Started first")
        };
        assert_eq!((*at, *seed), (1, 7));
        let Event::Started { plan: plan0, .. } = &original else {
            unreachable!()
        };
        assert_eq!(plan, plan0, "the plan is no client data and stays");
        assert_eq!(hidden.members.len(), roster.members.len());
        assert_eq!(hidden.members[0].name, "Member 1");
        assert_eq!(hidden.members[7].name, "Member 8");
        assert!(hidden.members.iter().all(|m| m.pronouns.is_none()));
        assert_eq!(hidden.facilitators[0].name, "Facilitator 1");
        assert_eq!(hidden.facilitators[1].role, roster.facilitators[1].role);
        assert_eq!(hidden.trainees, vec!["Trainee 1".to_owned()]);
        assert_eq!(hidden.group, "Group");
        assert_eq!(
            &redacted[1..],
            &events[1..2]
                .iter()
                .chain(&events[3..])
                .cloned()
                .collect::<Vec<_>>()[..]
        );

        let text = ron::to_string(&redacted).expect("serializes");
        for name in roster.members.iter().map(|m| m.name.as_str()) {
            assert!(!text.contains(name), "{name} leaked");
        }
        for name in roster
            .facilitators
            .iter()
            .map(|p| p.name.as_str())
            .chain(roster.trainees.iter().map(String::as_str))
        {
            assert!(!text.contains(name), "{name} leaked");
        }
        // The plan's series may carry the group's name too: plans are no client data, so
        // only the roster is checked for it.
        assert!(
            !ron::to_string(hidden)
                .expect("serializes")
                .contains(&roster.group)
        );
        assert!(!text.contains("private"));

        // What a trainee folds from it is the same session, curtain drawn.
        let shown = State::fold(&redacted).expect("folds");
        assert!(shown.curtain);
        assert_eq!(shown.current_turn().map(|t| t.member), Some(1));
    }

    #[test]
    fn other_events_pass_unchanged() {
        let event = Event::AttendanceMarked {
            at: 9,
            member: 2,
            status: crate::session::Attendance::Absent,
        };
        assert_eq!(redact_event(&event), event);
        assert_eq!(redact_roster(&Roster::default()), Roster::default());
    }
}
