//! The session state: a fold of events, and what can be read off it at a given time.

use serde::{Deserialize, Serialize};

use super::speaking::{RoundState, Turn};
use super::undo::{Floor, UndoPoint};
use super::{Carried, Downtime, Event, FirstWritten, MemberIx, Millis, Note, Presence, ShareLink, Undoable};
use crate::plan::{Plan, Roster};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum SegmentStatus {
    Upcoming,
    Current,
    Done,
    Skipped,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SegmentProgress {
    /// Planned length now, after adjustments and rebalancing.
    pub planned_ms: i64,
    /// Time the clock ran in this segment, not counting the current run.
    pub elapsed_ms: i64,
    pub status: SegmentStatus,
    /// Net seconds added (+) or removed (−) by the facilitator.
    pub adjusted_secs: i64,
}

/// A rebalance the facilitator accepted: (segment, old planned seconds, new).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rebalance {
    pub at: Millis,
    pub changes: Vec<(usize, u64, u64)>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FoldError {
    #[error("the journal holds no events")]
    Empty,
    #[error("the journal does not begin with the session's start")]
    NoStart,
}

#[derive(Debug, Clone)]
pub struct State {
    pub plan: Plan,
    pub roster: Roster,
    pub seed: u64,
    pub created_at: Millis,
    /// When the clock first started.
    pub started_at: Option<Millis>,
    pub ended_at: Option<Millis>,
    pub current: usize,
    pub running_since: Option<Millis>,
    pub segments: Vec<SegmentProgress>,
    pub step: usize,
    /// The current segment's elapsed time when the current step was entered.
    pub step_entered_ms: i64,
    /// Where each segment left its exercise: (step, its `step_entered_ms`), so returning
    /// to a segment returns to the step it was on.
    pub steps_left_at: Vec<(usize, i64)>,
    pub attendance: Vec<Presence>,
    pub turns: Vec<Turn>,
    pub rounds: Vec<RoundState>,
    pub rounds_started: usize,
    pub queue: Vec<MemberIx>,
    pub notes: Vec<Note>,
    pub curtain: bool,
    /// Time paused after the first start. The planned end does not move with it: the
    /// room is booked until then, so a pause is time the rest of the agenda must give up.
    pub paused_ms: i64,
    pub paused_since: Option<Millis>,
    /// The latest time any event was recorded: a crash happened after it.
    pub last_seen: Millis,
    pub rebalances: Vec<Rebalance>,
    pub downtimes: Vec<(Millis, Millis, Downtime)>,
    pub plan_reloads: usize,
    /// The last action that can still be taken back.
    pub undo: Option<UndoPoint>,
    /// Actions taken back, and when.
    pub undone: Vec<(Millis, Undoable)>,
    /// Sharing with trainees, while it is on.
    pub sharing: Option<ShareLink>,
    /// What the last session of the series left open, and the session it came from.
    pub carried: Vec<Carried>,
    pub carried_from: Option<u32>,
}

impl State {
    pub fn new(plan: Plan, roster: Roster, seed: u64, at: Millis) -> State {
        let segments = progress_for(&plan);
        let attendance = vec![Presence::EXPECTED; roster.members.len()];
        State {
            plan,
            roster,
            seed,
            created_at: at,
            started_at: None,
            ended_at: None,
            current: 0,
            running_since: None,
            segments,
            step: 0,
            step_entered_ms: 0,
            steps_left_at: Vec::new(),
            attendance,
            turns: Vec::new(),
            rounds: Vec::new(),
            rounds_started: 0,
            queue: Vec::new(),
            notes: Vec::new(),
            curtain: false,
            paused_ms: 0,
            paused_since: None,
            last_seen: at,
            rebalances: Vec::new(),
            downtimes: Vec::new(),
            plan_reloads: 0,
            undo: None,
            undone: Vec::new(),
            sharing: None,
            carried: Vec::new(),
            carried_from: None,
        }
    }

    /// Rebuilds a state from its events, as on resume or when following a live session.
    pub fn fold<'a>(events: impl IntoIterator<Item = &'a Event>) -> Result<State, FoldError> {
        let mut events = events.into_iter();
        let mut state = match events.next() {
            Some(Event::Started {
                at,
                plan,
                roster,
                seed,
            }) => State::new(plan.clone(), roster.clone(), *seed, *at),
            Some(_) => return Err(FoldError::NoStart),
            None => return Err(FoldError::Empty),
        };
        for event in events {
            state.apply(event);
        }
        Ok(state)
    }

    /// Folds one event in. Indices out of range (a hand-edited journal) are ignored.
    pub fn apply(&mut self, event: &Event) {
        let at = event.at();
        self.last_seen = self.last_seen.max(at);
        self.follow_undo_point(event);
        match event {
            Event::Started { .. } | Event::Heartbeat { .. } => {}
            Event::ClockStarted { at } => {
                if self.running_since.is_none() {
                    self.running_since = Some(*at);
                    self.started_at.get_or_insert(*at);
                    if let Some(since) = self.paused_since.take() {
                        self.paused_ms += at - since;
                    }
                }
            }
            Event::ClockPaused { at } => {
                self.stop_clock(*at);
                self.paused_since = Some(*at);
            }
            Event::SegmentEntered { at, index } => self.enter_segment(*index, *at),
            Event::SegmentSkipped { at, index } => {
                self.close_turn(*at);
                // The last segment skipped: nothing is left for the clock to run in.
                if *index == self.current && *index + 1 >= self.segments.len() {
                    self.stop_clock(*at);
                }
                if let Some(segment) = self.segments.get_mut(*index) {
                    segment.status = SegmentStatus::Skipped;
                }
            }
            Event::SegmentAdjusted {
                index, delta_secs, ..
            } => {
                if let Some(segment) = self.segments.get_mut(*index) {
                    segment.planned_ms = (segment.planned_ms + delta_secs * 1000).max(0);
                    segment.adjusted_secs += delta_secs;
                }
            }
            Event::StepEntered { at, step } => {
                self.step = *step;
                self.step_entered_ms = self.segment_elapsed(self.current, *at);
            }
            Event::RoundStarted { segment, order, .. } => {
                self.rounds.retain(|r| r.segment != *segment);
                self.rounds.push(RoundState {
                    segment: *segment,
                    order: order.clone(),
                    done: Vec::new(),
                });
                self.rounds_started += 1;
            }
            Event::TurnStarted { at, member } => {
                self.close_turn(*at);
                self.queue.retain(|m| m != member);
                self.turns.push(Turn {
                    member: *member,
                    segment: self.current,
                    start: *at,
                    end: None,
                    passed: false,
                    paused_ms: 0,
                });
                self.mark_done_in_round(*member);
            }
            Event::TurnEnded { at } => self.close_turn(*at),
            Event::Passed { at, member } => {
                let speaking_now = self.current_turn().map(|t| t.member) == Some(*member);
                if speaking_now {
                    // A pass takes no airtime: the moments before "I pass" are not a turn.
                    if let Some(turn) = self.turns.last_mut() {
                        turn.passed = true;
                        turn.end = Some(turn.start);
                    }
                } else {
                    self.close_turn(*at);
                    self.turns.push(Turn {
                        member: *member,
                        segment: self.current,
                        start: *at,
                        end: Some(*at),
                        passed: true,
                        paused_ms: 0,
                    });
                }
                self.queue.retain(|m| m != member);
                self.mark_done_in_round(*member);
            }
            Event::HandToggled { member, .. } => {
                if self.queue.contains(member) {
                    self.queue.retain(|m| m != member);
                } else if *member < self.roster.members.len() {
                    self.queue.push(*member);
                }
            }
            Event::AttendanceMarked { at, member, status } => {
                if let Some(presence) = self.attendance.get_mut(*member) {
                    presence.mark(*status, *at);
                }
                if !status.is_here() {
                    self.queue.retain(|m| m != member);
                    if self.current_turn().map(|t| t.member) == Some(*member) {
                        self.close_turn(*at);
                    }
                }
            }
            Event::NoteAdded { note, .. } => self.notes.push(note.clone()),
            Event::NoteAmended {
                at,
                index,
                about,
                tags,
                text,
            } => {
                if let Some(note) = self.notes.get_mut(*index) {
                    if note.first.is_none() {
                        note.first = Some(FirstWritten {
                            about: note.about,
                            text: note.text.clone(),
                        });
                    }
                    note.about = *about;
                    note.tags = tags.clone();
                    note.text = text.clone();
                    note.amended = Some(*at);
                }
            }
            Event::NoteWithdrawn { at, index } => {
                if let Some(note) = self.notes.get_mut(*index) {
                    note.withdrawn = Some(*at);
                }
            }
            Event::Did { at, action, events } => {
                self.undo = Some(UndoPoint {
                    action: *action,
                    at: *at,
                    before: Box::new(self.floor()),
                    events_left: *events,
                });
            }
            Event::Shared { link, .. } => self.sharing = link.clone(),
            Event::CarriedShown {
                from_session, items, ..
            } => {
                self.carried_from = Some(*from_session);
                for item in items {
                    if !self.carried.iter().any(|c| c.item.id == item.id) {
                        self.carried.push(Carried {
                            item: item.clone(),
                            closed: None,
                        });
                    }
                }
            }
            Event::CarriedClosed { at, id } => {
                if let Some(carried) = self.carried.iter_mut().find(|c| c.item.id == *id) {
                    carried.closed = Some(*at);
                }
            }
            Event::CarriedReopened { id, .. } => {
                if let Some(carried) = self.carried.iter_mut().find(|c| c.item.id == *id) {
                    carried.closed = None;
                }
            }
            Event::Undone { at } => {
                if let Some(point) = self.undo.take() {
                    self.restore(*point.before);
                    self.undone.push((*at, point.action));
                }
            }
            Event::CurtainSet { on, .. } => self.curtain = *on,
            Event::Rebalanced { at, planned } => {
                let mut changes = Vec::new();
                for (index, secs) in planned {
                    if let Some(segment) = self.segments.get_mut(*index) {
                        let old = (segment.planned_ms / 1000).max(0) as u64;
                        segment.planned_ms = *secs as i64 * 1000;
                        changes.push((*index, old, *secs));
                    }
                }
                self.rebalances.push(Rebalance { at: *at, changes });
            }
            Event::PlanReloaded { plan, .. } => self.reload(plan.clone()),
            Event::Resumed {
                at,
                down_since,
                counted,
            } => {
                self.downtimes.push((*down_since, *at, *counted));
                if *counted == Downtime::Paused {
                    let down = (at - down_since).max(0);
                    if let Some(since) = self.running_since {
                        // The clock stopped at the crash and runs again from now.
                        self.running_since = Some(since + down);
                    }
                    self.paused_ms += down;
                    if let Some(turn) = self.turns.last_mut().filter(|t| t.end.is_none()) {
                        turn.paused_ms += down;
                    }
                }
            }
            Event::Ended { at } => {
                self.close_turn(*at);
                self.stop_clock(*at);
                if let Some(segment) = self.segments.get_mut(self.current)
                    && segment.status == SegmentStatus::Current
                {
                    segment.status = SegmentStatus::Done;
                }
                self.ended_at = Some(*at);
            }
        }
    }

    /// Keeps the undo point while its own events arrive; anything else that moves the
    /// session on puts it out of reach.
    fn follow_undo_point(&mut self, event: &Event) {
        let Some(point) = &mut self.undo else { return };
        if point.events_left > 0 {
            point.events_left -= 1;
            return;
        }
        let aside = matches!(
            event,
            Event::NoteAdded { .. }
                | Event::NoteAmended { .. }
                | Event::NoteWithdrawn { .. }
                | Event::CurtainSet { .. }
                | Event::Heartbeat { .. }
                | Event::Undone { .. }
                | Event::Shared { .. }
                | Event::CarriedShown { .. }
                | Event::CarriedClosed { .. }
                | Event::CarriedReopened { .. }
        );
        if !aside {
            self.undo = None;
        }
    }

    /// What an undoable action may change, as it is now.
    fn floor(&self) -> Floor {
        Floor {
            current: self.current,
            running_since: self.running_since,
            segments: self.segments.clone(),
            step: self.step,
            step_entered_ms: self.step_entered_ms,
            steps_left_at: self.steps_left_at.clone(),
            attendance: self.attendance.clone(),
            turns: self.turns.clone(),
            rounds: self.rounds.clone(),
            rounds_started: self.rounds_started,
            queue: self.queue.clone(),
        }
    }

    fn restore(&mut self, floor: Floor) {
        let Floor {
            current,
            running_since,
            segments,
            step,
            step_entered_ms,
            steps_left_at,
            attendance,
            turns,
            rounds,
            rounds_started,
            queue,
        } = floor;
        self.current = current;
        self.running_since = running_since;
        self.segments = segments;
        self.step = step;
        self.step_entered_ms = step_entered_ms;
        self.steps_left_at = steps_left_at;
        self.attendance = attendance;
        self.turns = turns;
        self.rounds = rounds;
        self.rounds_started = rounds_started;
        self.queue = queue;
    }

    fn stop_clock(&mut self, at: Millis) {
        if let Some(since) = self.running_since.take()
            && let Some(segment) = self.segments.get_mut(self.current)
        {
            segment.elapsed_ms += (at - since).max(0);
        }
    }

    fn close_turn(&mut self, at: Millis) {
        if let Some(turn) = self.turns.last_mut()
            && turn.end.is_none()
        {
            turn.end = Some(at.max(turn.start));
        }
    }

    fn mark_done_in_round(&mut self, member: MemberIx) {
        let current = self.current;
        if let Some(round) = self.rounds.iter_mut().find(|r| r.segment == current)
            && !round.done.contains(&member)
        {
            round.done.push(member);
        }
    }

    fn enter_segment(&mut self, index: usize, at: Millis) {
        if index >= self.segments.len() || index == self.current {
            return;
        }
        self.close_turn(at);
        let running = self.running_since.is_some();
        self.stop_clock(at);
        // Each segment keeps its place in its exercise, to come back to it.
        if self.steps_left_at.len() < self.segments.len() {
            self.steps_left_at.resize(self.segments.len(), (0, 0));
        }
        if let Some(left) = self.steps_left_at.get_mut(self.current) {
            *left = (self.step, self.step_entered_ms);
        }
        if let Some(old) = self.segments.get_mut(self.current)
            && old.status == SegmentStatus::Current
        {
            old.status = if old.elapsed_ms > 0 {
                SegmentStatus::Done
            } else {
                SegmentStatus::Upcoming
            };
        }
        self.current = index;
        self.queue.clear();
        if let Some(new) = self.segments.get_mut(index) {
            new.status = SegmentStatus::Current;
        }
        (self.step, self.step_entered_ms) = self
            .steps_left_at
            .get(index)
            .copied()
            .unwrap_or((0, self.segment_elapsed(index, at)));
        if running {
            self.running_since = Some(at);
        }
    }

    fn reload(&mut self, plan: Plan) {
        let fresh = progress_for(&plan);
        let old = std::mem::take(&mut self.segments);
        self.segments = fresh
            .into_iter()
            .enumerate()
            .map(|(i, mut segment)| {
                if let Some(previous) = old.get(i) {
                    segment.elapsed_ms = previous.elapsed_ms;
                    segment.status = previous.status;
                    segment.adjusted_secs = previous.adjusted_secs;
                    segment.planned_ms = (segment.planned_ms + previous.adjusted_secs * 1000).max(0);
                }
                segment
            })
            .collect();
        if self.current >= self.segments.len() {
            self.current = self.segments.len().saturating_sub(1);
        }
        if let Some(segment) = self.segments.get_mut(self.current) {
            segment.status = SegmentStatus::Current;
        }
        self.plan = plan;
        self.plan_reloads += 1;
    }

    // ---- reading the state at a given time ----

    pub fn is_running(&self) -> bool {
        self.running_since.is_some()
    }

    pub fn is_ended(&self) -> bool {
        self.ended_at.is_some()
    }

    pub fn segment_elapsed(&self, index: usize, now: Millis) -> i64 {
        let base = self.segments.get(index).map_or(0, |s| s.elapsed_ms);
        match self.running_since {
            Some(since) if index == self.current => base + (now - since).max(0),
            _ => base,
        }
    }

    /// How long step `step` of the current segment's exercise lasts now: the plan's length
    /// scaled as the segment was extended, shortened or rebalanced (whole seconds).
    pub fn step_length(&self, step: usize) -> Option<i64> {
        let segment = self.plan.agenda.get(self.current)?;
        let planned = self
            .plan
            .exercise_of(segment)?
            .steps
            .get(step)?
            .duration?
            .as_millis();
        let now = self.segments.get(self.current).map_or(0, |s| s.planned_ms);
        let was = segment.duration.as_millis().max(1);
        Some((i128::from(planned) * i128::from(now) / i128::from(was) / 1000 * 1000) as i64)
    }

    /// Time left in the current exercise step, if it has a length; negative when over.
    pub fn step_remaining(&self, now: Millis) -> Option<i64> {
        let in_step = self.segment_elapsed(self.current, now) - self.step_entered_ms;
        self.step_length(self.step).map(|length| length - in_step)
    }

    /// Time left in the current segment; negative in overtime.
    pub fn segment_remaining(&self, now: Millis) -> i64 {
        let planned = self.segments.get(self.current).map_or(0, |s| s.planned_ms);
        planned - self.segment_elapsed(self.current, now)
    }

    /// Time the clock has run across the whole session.
    pub fn session_elapsed(&self, now: Millis) -> i64 {
        (0..self.segments.len())
            .map(|i| self.segment_elapsed(i, now))
            .sum()
    }

    /// Planned time still to come: the rest of the current segment and every upcoming one.
    pub fn session_remaining(&self, now: Millis) -> i64 {
        self.segments
            .iter()
            .enumerate()
            .map(|(i, s)| match s.status {
                SegmentStatus::Current => (s.planned_ms - self.segment_elapsed(i, now)).max(0),
                SegmentStatus::Upcoming => (s.planned_ms - s.elapsed_ms).max(0),
                SegmentStatus::Done | SegmentStatus::Skipped => 0,
            })
            .sum()
    }

    /// When the session ends at the current pace: now plus what is still planned.
    pub fn projected_end(&self, now: Millis) -> Millis {
        match self.ended_at {
            Some(end) => end,
            None => now + self.session_remaining(now),
        }
    }

    /// When the plan said it would end: the first start plus the plan's duration.
    pub fn planned_end(&self, now: Millis) -> Millis {
        self.started_at.unwrap_or(now) + self.plan.duration.as_millis()
    }

    /// Positive when running behind the plan, negative when ahead.
    pub fn behind_by(&self, now: Millis) -> i64 {
        self.projected_end(now) - self.planned_end(now)
    }

    pub fn current_turn(&self) -> Option<&Turn> {
        self.turns.last().filter(|t| t.end.is_none())
    }

    /// Cumulative speaking time of a member across the session.
    pub fn airtime(&self, member: MemberIx, now: Millis) -> i64 {
        self.turns
            .iter()
            .filter(|t| t.member == member)
            .map(|t| t.length(now))
            .sum()
    }

    /// Whether a member has spoken: a turn that is under way or took time. A pass never
    /// counts, so this holds exactly when their airtime is above zero (or they speak now).
    pub fn has_spoken(&self, member: MemberIx) -> bool {
        self.turns
            .iter()
            .any(|t| t.member == member && !t.passed && t.end.is_none_or(|end| end - t.start > t.paused_ms))
    }

    /// Whether nothing happened yet: the clock never ran, no turn, note or mark was
    /// recorded. Such a session needs no summary unless asked.
    pub fn nothing_recorded(&self) -> bool {
        self.started_at.is_none()
            && self.turns.is_empty()
            && self.notes.is_empty()
            && self
                .attendance
                .iter()
                .all(|a| a.mark == crate::session::Attendance::Expected)
    }

    /// Whether the clock has no segment to run in: the last one was skipped (or the session
    /// ended). Jumping back to a segment gives it one again.
    pub fn agenda_done(&self) -> bool {
        self.segments
            .get(self.current)
            .is_none_or(|s| s.status != SegmentStatus::Current)
    }

    pub fn round_here(&self) -> Option<&RoundState> {
        self.rounds.iter().find(|r| r.segment == self.current)
    }

    /// Members who may speak: here, or expected and not marked away; in roster order.
    pub fn present_members(&self) -> impl Iterator<Item = MemberIx> + '_ {
        self.attendance
            .iter()
            .enumerate()
            .filter(|(_, a)| a.may_speak())
            .map(|(i, _)| i)
    }
}

fn progress_for(plan: &Plan) -> Vec<SegmentProgress> {
    plan.agenda
        .iter()
        .enumerate()
        .map(|(i, s)| SegmentProgress {
            planned_ms: s.duration.as_millis(),
            elapsed_ms: 0,
            status: if i == 0 {
                SegmentStatus::Current
            } else {
                SegmentStatus::Upcoming
            },
            adjusted_secs: 0,
        })
        .collect()
}
