//! Behaviour of the session core, with a fake clock: every time is a number we choose.

use std::path::Path;

use super::*;
use crate::plan::{BUILTIN_PLAN, BUILTIN_ROSTER, parse_plan, parse_roster};

const T0: Millis = 1_700_000_000_000;
const SEC: Millis = 1000;
const MIN: Millis = 60 * SEC;

/// A session of the built-in plan (8 members) with every command's events folded in.
struct Run {
    state: State,
    events: Vec<Event>,
}

impl Run {
    fn new() -> Run {
        let plan = parse_plan(BUILTIN_PLAN, Path::new("plan.ron")).expect("built-in plan");
        let roster = parse_roster(BUILTIN_ROSTER, Path::new("roster.ron")).expect("built-in roster");
        let started = Event::Started {
            at: T0,
            plan: plan.clone(),
            roster: roster.clone(),
            seed: 7,
        };
        Run {
            state: State::new(plan, roster, 7, T0),
            events: vec![started],
        }
    }

    fn at(&mut self, offset: Millis, command: Command) -> Vec<Event> {
        let events = decide(&self.state, command, T0 + offset);
        for event in &events {
            self.state.apply(event);
        }
        self.events.extend(events.clone());
        events
    }
}

#[test]
fn the_clock_counts_only_while_running() {
    let mut run = Run::new();
    run.at(0, Command::StartPause);
    run.at(2 * MIN, Command::StartPause);
    assert_eq!(run.state.segment_elapsed(0, T0 + 10 * MIN), 2 * MIN);
    run.at(10 * MIN, Command::StartPause);
    assert_eq!(run.state.segment_elapsed(0, T0 + 11 * MIN), 3 * MIN);
    assert_eq!(run.state.segment_remaining(T0 + 11 * MIN), 2 * MIN);
    // The 8 minutes of pause push the planned end back.
    assert_eq!(run.state.paused_ms, 8 * MIN);
}

#[test]
fn overtime_is_negative_remaining() {
    let mut run = Run::new();
    run.at(0, Command::StartPause);
    assert_eq!(run.state.segment_remaining(T0 + 7 * MIN), -2 * MIN);
}

#[test]
fn next_previous_jump_and_skip_move_through_the_agenda() {
    let mut run = Run::new();
    run.at(0, Command::StartPause);
    run.at(MIN, Command::NextSegment);
    assert_eq!(run.state.current, 1);
    assert_eq!(run.state.segments[0].status, SegmentStatus::Done);
    assert_eq!(run.state.segments[0].elapsed_ms, MIN);
    run.at(2 * MIN, Command::PreviousSegment);
    assert_eq!(run.state.current, 0);
    run.at(3 * MIN, Command::JumpTo(4));
    assert_eq!(run.state.current, 4);
    run.at(4 * MIN, Command::Skip);
    assert_eq!(run.state.segments[4].status, SegmentStatus::Skipped);
    assert_eq!(run.state.current, 5);
    assert!(
        run.at(5 * MIN, Command::JumpTo(99)).is_empty(),
        "an index past the agenda does nothing"
    );
    run.at(5 * MIN, Command::JumpTo(6));
    assert!(
        run.at(6 * MIN, Command::NextSegment).is_empty(),
        "next on the last segment does nothing"
    );
}

#[test]
fn extend_and_shorten_change_the_plan_but_never_below_a_minute() {
    let mut run = Run::new();
    run.at(0, Command::Adjust(5 * 60));
    assert_eq!(run.state.segments[0].planned_ms, 10 * MIN);
    run.at(0, Command::Adjust(-60));
    assert_eq!(run.state.segments[0].adjusted_secs, 4 * 60);
    run.at(0, Command::Adjust(-60 * 60));
    assert_eq!(run.state.segments[0].planned_ms, MIN);
    assert!(run.at(0, Command::Adjust(-60)).is_empty());
}

#[test]
fn exercise_steps_are_stepped_through_on_the_segment_clock() {
    let mut run = Run::new();
    run.at(0, Command::JumpTo(3));
    run.at(0, Command::StartPause);
    run.at(2 * MIN, Command::NextStep);
    assert_eq!(run.state.step, 1);
    assert_eq!(run.state.step_entered_ms, 2 * MIN);
    for _ in 0..10 {
        run.at(3 * MIN, Command::NextStep);
    }
    assert_eq!(run.state.step, 5, "stops at the last of six steps");
    run.at(3 * MIN, Command::PreviousStep);
    assert_eq!(run.state.step, 4);
}

#[test]
fn a_rotating_round_with_a_pass_and_an_absent_member() {
    let mut run = Run::new();
    run.at(0, Command::StartPause);
    run.at(0, Command::MarkAttendance(2, Attendance::Absent));
    run.at(MIN, Command::NextSegment); // Check-in: Round, Rotate
    run.at(MIN, Command::NextSpeaker);
    assert_eq!(run.state.current_turn().map(|t| t.member), Some(0));
    run.at(2 * MIN, Command::NextSpeaker);
    assert_eq!(run.state.current_turn().map(|t| t.member), Some(1));
    // Member 1 passes: the floor goes to 3 (2 is absent).
    run.at(2 * MIN + 5 * SEC, Command::Pass);
    assert_eq!(run.state.current_turn().map(|t| t.member), Some(3));
    assert!(run.state.turns.iter().any(|t| t.member == 1 && t.passed));
    assert!(!run.state.has_spoken(1));
    assert_eq!(run.state.airtime(0, T0 + 10 * MIN), MIN);
    for minute in 3..10 {
        run.at(minute * MIN, Command::NextSpeaker);
    }
    assert_eq!(run.state.next_speaker(), None, "everyone present has had a turn");
    assert!(run.state.current_turn().is_none());
    let spoken: Vec<_> = run.state.turns.iter().map(|t| t.member).collect();
    assert_eq!(spoken, vec![0, 1, 3, 4, 5, 6, 7]);
}

#[test]
fn the_next_round_starts_one_member_later() {
    let mut run = Run::new();
    run.at(0, Command::JumpTo(1));
    run.at(0, Command::NextSpeaker);
    // Check-out (segment 6) is in Roster order; make a second rotating round by reloading
    // the check-in's order into segment 6 is overkill: the counter is what matters.
    assert_eq!(run.state.rounds_started, 1);
    let second = speaking::round_order(crate::plan::RoundOrder::Rotate, 8, run.state.rounds_started, 7);
    assert_eq!(second[0], 1);
}

#[test]
fn open_floor_takes_hands_in_order() {
    let mut run = Run::new();
    run.at(0, Command::JumpTo(5)); // Open discussion
    run.at(0, Command::ToggleHand(4));
    run.at(0, Command::ToggleHand(2));
    run.at(0, Command::ToggleHand(6));
    run.at(0, Command::ToggleHand(6)); // lowered again
    assert_eq!(run.state.queue, vec![4, 2]);
    run.at(0, Command::NextSpeaker);
    assert_eq!(run.state.current_turn().map(|t| t.member), Some(4));
    assert_eq!(run.state.queue, vec![2]);
    run.at(MIN, Command::NextSpeaker);
    assert_eq!(run.state.current_turn().map(|t| t.member), Some(2));
    run.at(2 * MIN, Command::NextSpeaker);
    assert!(run.state.current_turn().is_none(), "an empty queue ends the turn");
    run.at(3 * MIN, Command::GiveFloor(7));
    assert_eq!(run.state.current_turn().map(|t| t.member), Some(7));
    run.at(4 * MIN, Command::EndTurn);
    assert_eq!(run.state.airtime(7, T0 + 9 * MIN), MIN);
}

#[test]
fn attendance_late_left_and_absent() {
    let mut run = Run::new();
    run.at(
        5 * MIN,
        Command::MarkAttendance(1, Attendance::Late { at: T0 + 5 * MIN }),
    );
    run.at(
        6 * MIN,
        Command::MarkAttendance(3, Attendance::LeftEarly { at: T0 + 6 * MIN }),
    );
    run.at(6 * MIN, Command::MarkAttendance(4, Attendance::Absent));
    assert!(run.state.attendance[1].is_here());
    assert!(!run.state.attendance[3].is_here());
    assert!(
        run.at(6 * MIN, Command::GiveFloor(4)).is_empty(),
        "an absent member cannot be given the floor"
    );
    assert_eq!(run.state.present_members().count(), 6);
}

#[test]
fn notes_take_hashtags_and_sort_flags_first() {
    let mut run = Run::new();
    run.at(
        MIN,
        Command::AddNote {
            about: About::Member(2),
            tags: vec![],
            text: "said #risk of relapse".into(),
        },
    );
    run.at(
        2 * MIN,
        Command::AddNote {
            about: About::Group,
            tags: vec![Tag::Insight],
            text: "warm".into(),
        },
    );
    assert!(
        run.at(
            3 * MIN,
            Command::AddNote {
                about: About::Group,
                tags: vec![],
                text: "   ".into()
            }
        )
        .is_empty()
    );
    assert_eq!(run.state.notes.len(), 2);
    assert!(run.state.notes[0].is_risk());
    assert_eq!(run.state.notes[0].at, T0 + MIN);
    assert_eq!(run.state.notes[1].priority(), 2);
}

#[test]
fn projected_end_and_behind_plan() {
    let mut run = Run::new();
    run.at(0, Command::StartPause);
    // 90-minute plan, 10 minutes into a 5-minute opening: 5 minutes behind.
    let now = T0 + 10 * MIN;
    assert_eq!(run.state.session_remaining(now), 85 * MIN);
    assert_eq!(run.state.behind_by(now), 5 * MIN);
    assert_eq!(run.state.projected_end(now), T0 + 95 * MIN);
}

#[test]
fn warnings_fire_once_at_each_threshold_and_at_time_up() {
    let mut run = Run::new();
    run.at(0, Command::StartPause);
    let (from, to) = (T0 + 2 * MIN + 59 * SEC, T0 + 3 * MIN + SEC);
    let alerts = alerts_between(&run.state, from, to);
    assert_eq!(
        alerts,
        vec![Alert::SegmentWarning {
            segment: "Welcome and group agreements".into(),
            remaining_secs: 120
        }]
    );
    assert!(alerts_between(&run.state, to, to + SEC).is_empty());
    let up = alerts_between(&run.state, T0 + 4 * MIN + 59 * SEC, T0 + 5 * MIN);
    assert_eq!(
        up,
        vec![Alert::SegmentTimeUp {
            segment: "Welcome and group agreements".into()
        }]
    );
    for alert in up {
        assert!(!alert.message().contains("Farhana"));
    }
}

#[test]
fn the_speaker_time_up_alert_fires_at_the_target() {
    let mut run = Run::new();
    run.at(0, Command::JumpTo(1));
    run.at(0, Command::StartPause);
    run.at(0, Command::NextSpeaker);
    let target = run.state.speaker_target(T0).expect("a round has a target");
    // 15 minutes for 8 speakers: 112.5 s each, within 1.5 × 90 s.
    assert_eq!(target, 112_500);
    let alerts = alerts_between(&run.state, T0 + target - SEC, T0 + target);
    assert_eq!(alerts, vec![Alert::SpeakerTimeUp]);
}

#[test]
fn the_curtain_toggles() {
    let mut run = Run::new();
    run.at(0, Command::ToggleCurtain);
    assert!(run.state.curtain);
    run.at(0, Command::ToggleCurtain);
    assert!(!run.state.curtain);
}

#[test]
fn an_ended_session_takes_no_more_commands() {
    let mut run = Run::new();
    run.at(0, Command::StartPause);
    run.at(0, Command::JumpTo(1));
    run.at(0, Command::NextSpeaker);
    run.at(MIN, Command::End);
    assert!(run.state.is_ended());
    assert_eq!(run.state.turns[0].end, Some(T0 + MIN));
    assert!(run.at(2 * MIN, Command::StartPause).is_empty());
}

#[test]
fn fold_of_the_events_equals_the_live_state() {
    let mut run = Run::new();
    run.at(0, Command::StartPause);
    run.at(MIN, Command::NextSegment);
    run.at(MIN, Command::NextSpeaker);
    run.at(2 * MIN, Command::Pass);
    run.at(
        3 * MIN,
        Command::AddNote {
            about: About::Group,
            tags: vec![],
            text: "x #conflict".into(),
        },
    );
    run.at(4 * MIN, Command::Adjust(300));
    let folded = State::fold(&run.events).expect("starts with Started");
    assert_eq!(format!("{folded:?}"), format!("{:?}", run.state));
    assert_eq!(State::fold(&run.events[1..]).err(), Some(FoldError::NoStart));
    assert_eq!(State::fold(&[]).err(), Some(FoldError::Empty));
}

#[test]
fn resuming_with_downtime_paused_or_elapsed() {
    let mut run = Run::new();
    run.at(0, Command::StartPause);
    run.at(MIN, Command::NextSegment);
    run.at(MIN, Command::NextSpeaker);
    // Crash at 2 min (the last record), resume at 12 min.
    let crash = T0 + 2 * MIN;
    let mut paused = run.state.clone();
    paused.apply(&Event::Heartbeat { at: crash });
    paused.apply(&Event::Resumed {
        at: T0 + 12 * MIN,
        down_since: crash,
        counted: Downtime::Paused,
    });
    assert_eq!(paused.segment_elapsed(1, T0 + 12 * MIN), MIN);
    assert_eq!(paused.airtime(0, T0 + 12 * MIN), MIN);
    let mut elapsed = run.state.clone();
    elapsed.apply(&Event::Resumed {
        at: T0 + 12 * MIN,
        down_since: crash,
        counted: Downtime::Elapsed,
    });
    assert_eq!(elapsed.segment_elapsed(1, T0 + 12 * MIN), 11 * MIN);
}

#[test]
fn the_invite_suggestion_is_the_least_heard_present_member_but_not_the_last_speaker() {
    let mut run = Run::new();
    run.at(0, Command::JumpTo(5)); // Open discussion
    run.at(0, Command::MarkAttendance(0, Attendance::Absent));
    // Nobody has spoken: the first present member in roster order, never the absent one.
    assert_eq!(run.state.suggest_invite(T0), Some(1));
    run.at(0, Command::GiveFloor(1));
    run.at(MIN, Command::EndTurn);
    assert_eq!(
        run.state.suggest_invite(T0 + MIN),
        Some(2),
        "the next who has not spoken"
    );
    let mut at = MIN;
    for member in 3..8 {
        run.at(at, Command::GiveFloor(member));
        at += 2 * MIN;
        run.at(at, Command::EndTurn);
    }
    // Member 2 speaks last, briefly: the least heard, but just heard, so member 1 is next.
    run.at(at, Command::GiveFloor(2));
    run.at(at + SEC, Command::EndTurn);
    assert_eq!(run.state.suggest_invite(T0 + at + SEC), Some(1));
}

mod properties {
    use proptest::prelude::*;

    use super::*;

    fn command() -> impl Strategy<Value = Command> {
        prop_oneof![
            Just(Command::StartPause),
            Just(Command::NextSegment),
            Just(Command::PreviousSegment),
            (0usize..10).prop_map(Command::JumpTo),
            Just(Command::Skip),
            (-400i64..400).prop_map(Command::Adjust),
            Just(Command::NextStep),
            Just(Command::PreviousStep),
            Just(Command::NextSpeaker),
            Just(Command::Pass),
            Just(Command::EndTurn),
            (0usize..10).prop_map(Command::GiveFloor),
            (0usize..10).prop_map(Command::ToggleHand),
            (0usize..10, 0u8..5).prop_map(|(m, s)| Command::MarkAttendance(
                m,
                match s {
                    0 => Attendance::Present,
                    1 => Attendance::Late { at: T0 },
                    2 => Attendance::LeftEarly { at: T0 },
                    3 => Attendance::Expected,
                    _ => Attendance::Absent,
                }
            )),
            Just(Command::Undo),
            (0usize..4, "[a-z]{1,6}").prop_map(|(index, text)| Command::AmendNote {
                index,
                about: About::Member(1),
                tags: vec![Tag::FollowUp],
                text
            }),
            (0usize..4).prop_map(Command::WithdrawNote),
            "[a-z #]{0,12}".prop_map(|text| Command::AddNote {
                about: About::Group,
                tags: vec![],
                text
            }),
            Just(Command::ToggleCurtain),
            Just(Command::End),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        /// Any sequence of commands at increasing times: no panic, the fold of the events
        /// equals the live state, and the state stays sound.
        #[test]
        fn any_command_sequence_keeps_the_state_sound(
            steps in proptest::collection::vec((0i64..120_000, command()), 0..80)
        ) {
            let mut run = Run::new();
            let mut offset = 0;
            for (gap, command) in steps {
                offset += gap;
                run.at(offset, command);
            }
            let now = T0 + offset;
            let state = &run.state;
            let folded = State::fold(&run.events).expect("starts with Started");
            prop_assert_eq!(format!("{folded:?}"), format!("{state:?}"));
            prop_assert!(state.current < state.segments.len());
            prop_assert!(state.turns.iter().filter(|t| t.end.is_none()).count() <= 1);
            prop_assert!(state.turns.iter().all(|t| t.end.is_none_or(|end| end >= t.start)));
            prop_assert!(state.segments.iter().all(|s| s.elapsed_ms >= 0 && s.planned_ms >= 0));
            let wall = now - T0;
            let airtime: i64 = (0..state.roster.members.len()).map(|m| state.airtime(m, now)).sum();
            prop_assert!(airtime <= wall, "airtime {airtime} exceeds the time passed {wall}");
            prop_assert!(state.session_elapsed(now) <= wall);
            prop_assert!(state.queue.iter().all(|m| state.attendance[*m].is_here()));

            // Airtime, turns, passes and "never spoke" agree: spoke ⇔ airtime > 0 ⇔ not in
            // never spoke; a pass adds no airtime; shares add up to 100 %.
            let summary = crate::summary::derive(state, "prop", chrono::FixedOffset::east_opt(0).expect("UTC"));
            for a in &summary.airtime {
                prop_assert_eq!(a.spoke, a.secs > 0, "{:?}", a);
                prop_assert_eq!(a.spoke, !summary.never_spoke.contains(&a.member), "{:?}", a);
            }
            for turn in state.turns.iter().filter(|t| t.passed) {
                prop_assert_eq!(turn.length(now), 0, "a pass took airtime: {:?}", turn);
            }
            let shares: f64 = summary.airtime.iter().map(|a| a.share).sum();
            let anyone_spoke = summary.airtime.iter().any(|a| a.spoke);
            prop_assert!(!anyone_spoke || (shares - 1.0).abs() < 0.01, "shares add up to {}", shares);
            // Attendance times: never negative, never longer than the session.
            let end = state.ended_at.unwrap_or(state.last_seen);
            let start = state.started_at.unwrap_or(state.created_at);
            for presence in &state.attendance {
                if let Some(ms) = presence.attended_ms(start, end) {
                    prop_assert!((0..=(end - start).max(0)).contains(&ms), "{:?}", presence);
                }
            }
        }
    }
}

#[test]
fn members_start_expected_and_speaking_marks_them_present() {
    let mut run = Run::new();
    assert!(
        run.state
            .attendance
            .iter()
            .all(|a| a.mark == Attendance::Expected)
    );
    run.at(0, Command::StartPause);
    run.at(0, Command::NextSegment);
    let events = run.at(MIN, Command::NextSpeaker);
    assert!(
        events.contains(&Event::AttendanceMarked {
            at: T0 + MIN,
            member: 0,
            status: Attendance::Present
        }),
        "{events:?}"
    );
    // A raised hand is someone in the room too.
    run.at(2 * MIN, Command::ToggleHand(5));
    assert_eq!(run.state.attendance[5].mark, Attendance::Present);
    // Arrived late and left early, to the second.
    run.at(
        3 * MIN,
        Command::MarkAttendance(
            6,
            Attendance::Late {
                at: T0 + 3 * MIN + 5 * SEC,
            },
        ),
    );
    run.at(
        9 * MIN,
        Command::MarkAttendance(6, Attendance::LeftEarly { at: T0 + 9 * MIN }),
    );
    assert_eq!(
        run.state.attendance[6].attended_ms(T0, T0 + 90 * MIN),
        Some(6 * MIN - 5 * SEC)
    );
    // After the end, only attendance can still be marked.
    run.at(10 * MIN, Command::End);
    assert!(run.at(11 * MIN, Command::NextSegment).is_empty());
    let events = run.at(11 * MIN, Command::MarkAttendance(7, Attendance::Absent));
    assert_eq!(events.len(), 1, "no undo point after the end: {events:?}");
    assert_eq!(run.state.attendance[7].mark, Attendance::Absent);
}

#[test]
fn a_pass_takes_no_airtime_and_a_late_pass_ends_the_turn_as_spoken() {
    let mut run = Run::new();
    run.at(0, Command::StartPause);
    run.at(0, Command::NextSegment);
    run.at(0, Command::NextSpeaker);
    // Farhana says "I pass" after 4 seconds: a pass, no airtime.
    run.at(4 * SEC, Command::Pass);
    assert_eq!(run.state.airtime(0, T0 + MIN), 0);
    assert!(!run.state.has_spoken(0));
    // Rafiq speaks a minute; `x` then ends his turn as spoken, no pass recorded.
    let events = run.at(64 * SEC, Command::Pass);
    assert!(
        !events.iter().any(|e| matches!(e, Event::Passed { .. })),
        "{events:?}"
    );
    assert_eq!(run.state.airtime(1, T0 + 2 * MIN), MIN);
    assert!(run.state.has_spoken(1));
    assert!(
        run.state
            .turns
            .iter()
            .filter(|t| t.member == 1)
            .all(|t| !t.passed)
    );
}

#[test]
fn skipping_the_last_segment_stops_the_clock() {
    let mut run = Run::new();
    run.at(0, Command::StartPause);
    let last = run.state.segments.len() - 1;
    run.at(MIN, Command::JumpTo(last));
    run.at(4 * MIN, Command::Skip);
    assert!(!run.state.is_running());
    assert!(run.state.agenda_done());
    assert_eq!(run.state.segment_elapsed(last, T0 + 60 * MIN), 3 * MIN);
    assert!(
        run.at(5 * MIN, Command::StartPause).is_empty(),
        "nothing left to run"
    );
}

#[test]
fn undo_takes_back_the_last_action_and_only_that() {
    let mut run = Run::new();
    run.at(0, Command::StartPause);
    run.at(0, Command::NextSegment);
    run.at(MIN, Command::NextSpeaker);
    // A skip by mistake, a note, then undo: back in the round, Farhana still speaking,
    // the note kept.
    run.at(2 * MIN, Command::Skip);
    run.at(
        2 * MIN + SEC,
        Command::AddNote {
            about: About::Group,
            tags: vec![],
            text: "kept".into(),
        },
    );
    assert!(matches!(
        run.state.undo.as_ref().map(|u| u.action),
        Some(Undoable::Skip { segment: 1 })
    ));
    run.at(2 * MIN + 2 * SEC, Command::Undo);
    assert_eq!(run.state.current, 1);
    assert_eq!(run.state.current_turn().map(|t| t.member), Some(0));
    assert_eq!(run.state.segments[1].status, SegmentStatus::Current);
    assert_eq!(run.state.notes.len(), 1);
    assert_eq!(run.state.undone.len(), 1);
    // The time since the skip counts in the segment, as if it had never happened.
    assert_eq!(run.state.segment_elapsed(1, T0 + 3 * MIN), 3 * MIN);
    // Nothing more to undo.
    assert!(run.at(3 * MIN, Command::Undo).is_empty());

    // An attendance mark and an extension are taken back too.
    run.at(4 * MIN, Command::MarkAttendance(3, Attendance::Absent));
    run.at(4 * MIN, Command::Undo);
    assert_eq!(run.state.attendance[3].mark, Attendance::Expected);
    let planned = run.state.segments[1].planned_ms;
    run.at(5 * MIN, Command::Adjust(300));
    run.at(5 * MIN, Command::Undo);
    assert_eq!(run.state.segments[1].planned_ms, planned);

    // A pause after the action puts it out of reach.
    run.at(6 * MIN, Command::EndTurn);
    run.at(6 * MIN, Command::StartPause);
    assert!(run.at(7 * MIN, Command::Undo).is_empty());

    // Folding the journal gives the same state, undo point included.
    let folded = State::fold(&run.events).expect("starts with Started");
    assert_eq!(format!("{folded:?}"), format!("{:?}", run.state));
}

#[test]
fn notes_are_corrected_and_withdrawn_in_the_record() {
    let mut run = Run::new();
    run.at(
        0,
        Command::AddNote {
            about: About::Member(1),
            tags: vec![Tag::Risk],
            text: "about the wrong person".into(),
        },
    );
    run.at(
        MIN,
        Command::AmendNote {
            index: 0,
            about: About::Member(2),
            tags: vec![Tag::Risk, Tag::FollowUp],
            text: "moved to the right member".into(),
        },
    );
    let note = &run.state.notes[0];
    assert_eq!((note.about, note.amended), (About::Member(2), Some(T0 + MIN)));
    assert_eq!(note.text, "moved to the right member");
    let first = note.first.as_ref().expect("what it first said is kept");
    assert_eq!(
        (first.about, first.text.as_str()),
        (About::Member(1), "about the wrong person")
    );
    // An amendment that changes nothing records nothing.
    let same = Command::AmendNote {
        index: 0,
        about: About::Member(2),
        tags: vec![Tag::Risk, Tag::FollowUp],
        text: "moved to the right member".into(),
    };
    assert!(run.at(2 * MIN, same).is_empty());
    run.at(3 * MIN, Command::WithdrawNote(0));
    assert_eq!(run.state.notes[0].withdrawn, Some(T0 + 3 * MIN));
    assert!(!run.state.notes[0].is_risk(), "a withdrawn note is no flag");
    assert!(run.at(4 * MIN, Command::WithdrawNote(0)).is_empty());
    assert!(
        run.events
            .iter()
            .all(|e| !e.is_shareable() || !matches!(e, Event::NoteAmended { .. }))
    );
}
