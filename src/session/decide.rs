//! Turning a command into events, given the state and the time.

use super::speaking::round_order;
use super::{Command, Event, Millis, Note, State, parse_tags};
use crate::plan::Speaking;

/// The events a command produces now. Commands that make no sense in this state (next on
/// the last segment, pass with nobody left) produce none. An ended session takes none.
pub fn decide(state: &State, command: Command, now: Millis) -> Vec<Event> {
    if state.is_ended() {
        return Vec::new();
    }
    let at = now;
    let last = state.segments.len().saturating_sub(1);
    match command {
        Command::StartPause if state.is_running() => vec![Event::ClockPaused { at }],
        Command::StartPause => vec![Event::ClockStarted { at }],
        Command::NextSegment if state.current < last => vec![Event::SegmentEntered {
            at,
            index: state.current + 1,
        }],
        Command::PreviousSegment if state.current > 0 => {
            vec![Event::SegmentEntered {
                at,
                index: state.current - 1,
            }]
        }
        Command::JumpTo(index) if index <= last && index != state.current => {
            vec![Event::SegmentEntered { at, index }]
        }
        Command::Skip => {
            let mut events = vec![Event::SegmentSkipped {
                at,
                index: state.current,
            }];
            if state.current < last {
                events.push(Event::SegmentEntered {
                    at,
                    index: state.current + 1,
                });
            }
            events
        }
        Command::Adjust(delta_secs) => {
            let planned = state
                .segments
                .get(state.current)
                .map_or(0, |s| s.planned_ms / 1000);
            // Shortening stops at one minute (a segment shortened to nothing is a skip) and
            // never lengthens a segment that is already shorter.
            let delta_secs = if delta_secs < 0 {
                delta_secs.max(planned.min(60) - planned)
            } else {
                delta_secs
            };
            if delta_secs == 0 {
                Vec::new()
            } else {
                vec![Event::SegmentAdjusted {
                    at,
                    index: state.current,
                    delta_secs,
                }]
            }
        }
        Command::NextStep => {
            let steps = state
                .plan
                .agenda
                .get(state.current)
                .and_then(|s| state.plan.exercise_of(s))
                .map_or(0, |e| e.steps.len());
            if state.step + 1 < steps {
                vec![Event::StepEntered {
                    at,
                    step: state.step + 1,
                }]
            } else {
                Vec::new()
            }
        }
        Command::PreviousStep if state.step > 0 => vec![Event::StepEntered {
            at,
            step: state.step - 1,
        }],
        Command::NextSpeaker => {
            let mut events = start_round_if_needed(state, at);
            let next = next_after_round_start(state, &events);
            match next {
                Some(member) => events.push(Event::TurnStarted { at, member }),
                None if state.current_turn().is_some() => events.push(Event::TurnEnded { at }),
                None => {}
            }
            events
        }
        Command::Pass => {
            let mut events = start_round_if_needed(state, at);
            let passer = state
                .current_turn()
                .map(|t| t.member)
                .or_else(|| next_after_round_start(state, &events));
            let Some(member) = passer else { return events };
            events.push(Event::Passed { at, member });
            // The floor moves on to whoever follows the one who passed.
            let mut after = state.clone();
            for event in &events {
                after.apply(event);
            }
            if let Some(next) = after.next_speaker()
                && matches!(state.speaking_here(), Speaking::Round { .. })
            {
                events.push(Event::TurnStarted { at, member: next });
            }
            events
        }
        Command::EndTurn if state.current_turn().is_some() => vec![Event::TurnEnded { at }],
        Command::GiveFloor(member) if is_here(state, member) => {
            if state.current_turn().map(|t| t.member) == Some(member) {
                Vec::new()
            } else {
                let mut events = start_round_if_needed(state, at);
                events.push(Event::TurnStarted { at, member });
                events
            }
        }
        Command::ToggleHand(member) if is_here(state, member) || state.queue.contains(&member) => {
            vec![Event::HandToggled { at, member }]
        }
        Command::MarkAttendance(member, status)
            if state
                .attendance
                .get(member)
                .is_some_and(|current| *current != status) =>
        {
            vec![Event::AttendanceMarked { at, member, status }]
        }
        Command::AddNote {
            about,
            mut tags,
            text,
        } => {
            let text = text.trim().to_owned();
            if text.is_empty() {
                return Vec::new();
            }
            for tag in parse_tags(&text) {
                if !tags.contains(&tag) {
                    tags.push(tag);
                }
            }
            vec![Event::NoteAdded {
                at,
                note: Note {
                    at,
                    about,
                    tags,
                    text,
                },
            }]
        }
        Command::ToggleCurtain => vec![Event::CurtainSet {
            at,
            on: !state.curtain,
        }],
        Command::AcceptRebalance(planned) if !planned.is_empty() => vec![Event::Rebalanced { at, planned }],
        Command::ReloadPlan(plan) => vec![Event::PlanReloaded { at, plan: *plan }],
        Command::End => vec![Event::Ended { at }],
        _ => Vec::new(),
    }
}

fn is_here(state: &State, member: usize) -> bool {
    state.attendance.get(member).is_some_and(|a| a.is_here())
}

/// A round segment's first turn starts its round: the order is fixed then, so that
/// attendance marked at the start of the segment is taken into account.
fn start_round_if_needed(state: &State, at: Millis) -> Vec<Event> {
    match state.speaking_here() {
        Speaking::Round { order, .. } if state.round_here().is_none() => {
            let order = round_order(
                *order,
                state.roster.members.len(),
                state.rounds_started,
                state.seed,
            );
            vec![Event::RoundStarted {
                at,
                segment: state.current,
                order,
            }]
        }
        _ => Vec::new(),
    }
}

fn next_after_round_start(state: &State, events: &[Event]) -> Option<usize> {
    if events.is_empty() {
        return state.next_speaker();
    }
    let mut after = state.clone();
    for event in events {
        after.apply(event);
    }
    after.next_speaker()
}
