//! Turning a command into events, given the state and the time.

use super::speaking::round_order;
use super::{Attendance, Command, Event, MemberIx, Millis, Note, State, Undoable};
use crate::plan::Speaking;

/// A pass within this long of a turn's start is a pass: the member said "I pass" and it
/// takes no airtime. Later, the same key ends the turn as spoken.
pub const PASS_WINDOW_MS: Millis = 10_000;

/// The events a command produces now. Commands that make no sense in this state (next on
/// the last segment, pass with nobody left) produce none. An ended session takes only
/// attendance marks: who was there is asked after the end.
pub fn decide(state: &State, command: Command, now: Millis) -> Vec<Event> {
    if state.is_ended() && !matches!(command, Command::MarkAttendance(..)) {
        return Vec::new();
    }
    let at = now;
    let last = state.segments.len().saturating_sub(1);
    match command {
        Command::StartPause if state.is_running() => vec![Event::ClockPaused { at }],
        // Every segment done or skipped: there is nothing for the clock to run in.
        Command::StartPause if state.agenda_done() => Vec::new(),
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
            undoable(
                at,
                Undoable::Skip {
                    segment: state.current,
                },
                events,
            )
        }
        Command::Adjust(delta_secs) => adjust(state, delta_secs, at),
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
            match next_after(state, &events) {
                Some(member) => {
                    events.extend(arrive(state, member, at));
                    events.push(Event::TurnStarted { at, member });
                    undoable(at, Undoable::Floor { member }, events)
                }
                None => match state.current_turn() {
                    Some(turn) => {
                        events.push(Event::TurnEnded { at });
                        undoable(at, Undoable::EndTurn { member: turn.member }, events)
                    }
                    None => events,
                },
            }
        }
        Command::Pass => pass(state, at),
        Command::EndTurn => match state.current_turn() {
            Some(turn) => undoable(
                at,
                Undoable::EndTurn { member: turn.member },
                vec![Event::TurnEnded { at }],
            ),
            None => Vec::new(),
        },
        Command::GiveFloor(member) if may_speak(state, member) => {
            if state.current_turn().map(|t| t.member) == Some(member) {
                Vec::new()
            } else {
                let mut events = arrive(state, member, at).into_iter().collect::<Vec<_>>();
                events.extend(start_round_if_needed(state, at));
                events.push(Event::TurnStarted { at, member });
                undoable(at, Undoable::Floor { member }, events)
            }
        }
        Command::ToggleHand(member) if may_speak(state, member) || state.queue.contains(&member) => {
            // A raised hand is someone in the room.
            let mut events: Vec<Event> = arrive(state, member, at).into_iter().collect();
            events.push(Event::HandToggled { at, member });
            events
        }
        Command::MarkAttendance(member, status)
            if state
                .attendance
                .get(member)
                .is_some_and(|current| current.mark != status) =>
        {
            let events = vec![Event::AttendanceMarked { at, member, status }];
            if state.is_ended() {
                // Asked after the end: nothing is left to take back.
                events
            } else {
                undoable(at, Undoable::Mark { member, status }, events)
            }
        }
        Command::AddNote { about, tags, text } => Note::typed(at, about, tags, &text)
            .map(|note| vec![Event::NoteAdded { at, note }])
            .unwrap_or_default(),
        Command::AmendNote {
            index,
            about,
            tags,
            text,
        } => {
            let Some(note) = state.notes.get(index).filter(|n| n.withdrawn.is_none()) else {
                return Vec::new();
            };
            match Note::typed(at, about, tags, &text) {
                Some(typed)
                    if (note.about, &note.tags, &note.text) != (typed.about, &typed.tags, &typed.text) =>
                {
                    vec![Event::NoteAmended {
                        at,
                        index,
                        about: typed.about,
                        tags: typed.tags,
                        text: typed.text,
                    }]
                }
                _ => Vec::new(),
            }
        }
        Command::WithdrawNote(index) if state.notes.get(index).is_some_and(|n| n.withdrawn.is_none()) => {
            vec![Event::NoteWithdrawn { at, index }]
        }
        Command::Undo if state.undo.is_some() => vec![Event::Undone { at }],
        Command::ToggleCurtain => vec![Event::CurtainSet {
            at,
            on: !state.curtain,
        }],
        Command::AcceptRebalance(planned) if !planned.is_empty() => vec![Event::Rebalanced { at, planned }],
        Command::ReloadPlan(plan) => vec![Event::PlanReloaded { at, plan: *plan }],
        Command::CloseCarried(id) if state.carried.iter().any(|c| c.item.id == id && c.is_open()) => {
            vec![Event::CarriedClosed { at, id }]
        }
        Command::ReopenCarried(id) if state.carried.iter().any(|c| c.item.id == id && !c.is_open()) => {
            vec![Event::CarriedReopened { at, id }]
        }
        Command::End => vec![Event::Ended { at }],
        _ => Vec::new(),
    }
}

/// `events` as one action that can be taken back.
fn undoable(at: Millis, action: Undoable, events: Vec<Event>) -> Vec<Event> {
    let mut out = Vec::with_capacity(events.len() + 1);
    out.push(Event::Did {
        at,
        action,
        events: events.len(),
    });
    out.extend(events);
    out
}

fn adjust(state: &State, delta_secs: i64, at: Millis) -> Vec<Event> {
    let planned = state
        .segments
        .get(state.current)
        .map_or(0, |s| s.planned_ms / 1000);
    // Shortening stops at one minute (a segment shortened to nothing is a skip) and never
    // lengthens a segment that is already shorter.
    let delta_secs = if delta_secs < 0 {
        delta_secs.max(planned.min(60) - planned)
    } else {
        delta_secs
    };
    if delta_secs == 0 {
        return Vec::new();
    }
    let segment = state.current;
    undoable(
        at,
        Undoable::Adjust { segment, delta_secs },
        vec![Event::SegmentAdjusted {
            at,
            index: segment,
            delta_secs,
        }],
    )
}

/// The speaker passes, or, with nobody speaking, the next in the round does. A speaker who
/// has already spoken a while has their turn ended as spoken instead: that is no pass.
fn pass(state: &State, at: Millis) -> Vec<Event> {
    let is_round = matches!(state.speaking_here(), Speaking::Round { .. });
    if let Some(turn) = state.current_turn()
        && turn.length(at) >= PASS_WINDOW_MS
    {
        let mut events = vec![Event::TurnEnded { at }];
        let mut after = state.clone();
        after.apply(&events[0]);
        if let Some(next) = after.next_speaker().filter(|_| is_round) {
            events.extend(arrive(state, next, at));
            events.push(Event::TurnStarted { at, member: next });
        }
        return undoable(at, Undoable::EndTurn { member: turn.member }, events);
    }
    let mut events = start_round_if_needed(state, at);
    let passer = state
        .current_turn()
        .map(|t| t.member)
        .or_else(|| next_after(state, &events));
    let Some(member) = passer else { return events };
    events.extend(arrive(state, member, at));
    events.push(Event::Passed { at, member });
    // The floor moves on to whoever follows the one who passed.
    let mut after = state.clone();
    for event in &events {
        after.apply(event);
    }
    if let Some(next) = after.next_speaker().filter(|_| is_round) {
        events.extend(arrive(&after, next, at));
        events.push(Event::TurnStarted { at, member: next });
    }
    undoable(at, Undoable::Pass { member }, events)
}

/// A note's text trimmed and its tags with the `#tags` written in it; `None` when empty.
fn may_speak(state: &State, member: MemberIx) -> bool {
    state.attendance.get(member).is_some_and(|a| a.may_speak())
}

/// A member still expected who speaks, passes or raises a hand is here: marked present.
fn arrive(state: &State, member: MemberIx, at: Millis) -> Option<Event> {
    state
        .attendance
        .get(member)
        .filter(|a| a.mark == Attendance::Expected)
        .map(|_| Event::AttendanceMarked {
            at,
            member,
            status: Attendance::Present,
        })
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

/// Who speaks next once `events` have happened.
fn next_after(state: &State, events: &[Event]) -> Option<MemberIx> {
    if events.is_empty() {
        return state.next_speaker();
    }
    let mut after = state.clone();
    for event in events {
        after.apply(event);
    }
    after.next_speaker()
}
