//! Who speaks: turns, rounds in roster / rotating / shuffled order, the open floor's queue.

use super::{MemberIx, Millis, State};
use crate::plan::{RoundOrder, Speaking};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Turn {
    pub member: MemberIx,
    pub segment: usize,
    pub start: Millis,
    /// `None` while the member is speaking.
    pub end: Option<Millis>,
    pub passed: bool,
    /// Time within the turn that does not count: the program was down and the
    /// facilitator chose to count that time as paused.
    pub paused_ms: i64,
}

impl Turn {
    pub fn length(&self, now: Millis) -> i64 {
        (self.end.unwrap_or(now) - self.start - self.paused_ms).max(0)
    }
}

/// A round in one segment: its order and who has had their turn.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoundState {
    pub segment: usize,
    pub order: Vec<MemberIx>,
    pub done: Vec<MemberIx>,
}

/// The order of a new round of `count` members.
pub fn round_order(order: RoundOrder, count: usize, rounds_before: usize, seed: u64) -> Vec<MemberIx> {
    let mut members: Vec<MemberIx> = (0..count).collect();
    match order {
        RoundOrder::Roster => {}
        RoundOrder::Rotate if count > 0 => members.rotate_left(rounds_before % count),
        RoundOrder::Rotate => {}
        RoundOrder::Shuffle => {
            // Fisher–Yates with a small deterministic generator: the same seed and round
            // give the same order, so a resumed session keeps its order.
            let mut rng = SplitMix(seed ^ (rounds_before as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15));
            for i in (1..members.len()).rev() {
                let j = (rng.next() % (i as u64 + 1)) as usize;
                members.swap(i, j);
            }
        }
    }
    members
}

struct SplitMix(u64);

impl SplitMix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
}

impl State {
    pub fn speaking_here(&self) -> &Speaking {
        self.plan
            .agenda
            .get(self.current)
            .map_or(&Speaking::None, |s| &s.speaking)
    }

    /// Who would speak next in this segment: the round's next present member who has
    /// not had a turn, or the head of the open floor's queue.
    pub fn next_speaker(&self) -> Option<MemberIx> {
        let speaking_now = self.current_turn().map(|t| t.member);
        match self.speaking_here() {
            Speaking::Round { order, .. } => {
                let fresh;
                let (order, done): (&[MemberIx], &[MemberIx]) = match self.round_here() {
                    Some(round) => (&round.order, &round.done),
                    None => {
                        fresh =
                            round_order(*order, self.roster.members.len(), self.rounds_started, self.seed);
                        (&fresh, &[])
                    }
                };
                order.iter().copied().find(|m| {
                    !done.contains(m)
                        && Some(*m) != speaking_now
                        && self.attendance.get(*m).is_some_and(|a| a.may_speak())
                })
            }
            Speaking::OpenFloor { .. } | Speaking::None => {
                self.queue.iter().copied().find(|m| Some(*m) != speaking_now)
            }
        }
    }

    /// The number a member goes by while the curtain is drawn ("Member 5"): a shuffle of
    /// the roster fixed for the session, so the stand-ins say nothing of the roster's order.
    pub fn stand_in(&self, member: MemberIx) -> usize {
        let count = self.roster.members.len();
        let order = round_order(RoundOrder::Shuffle, count, 0, self.seed ^ 0x5EED_C0DE_CAFE_F00D);
        order.iter().position(|m| *m == member).map_or(member, |at| at) + 1
    }

    /// Every member in the order they speak here: the round's order in a round (the order it
    /// will have, before it starts), else the roster's.
    pub fn speaking_order(&self) -> Vec<MemberIx> {
        match (self.round_here(), self.speaking_here()) {
            (Some(round), _) => round.order.clone(),
            (None, Speaking::Round { order, .. }) => {
                round_order(*order, self.roster.members.len(), self.rounds_started, self.seed)
            }
            (None, _) => (0..self.roster.members.len()).collect(),
        }
    }

    /// Members of this segment's round who are here and have not had their turn.
    pub fn still_to_speak(&self) -> usize {
        let Some(round) = self.round_here() else {
            return match self.speaking_here() {
                Speaking::Round { .. } => self.present_members().count(),
                _ => 0,
            };
        };
        let speaking_now = self.current_turn().map(|t| t.member);
        round
            .order
            .iter()
            .filter(|m| !round.done.contains(m) || Some(**m) == speaking_now)
            .filter(|m| self.attendance.get(**m).is_some_and(|a| a.may_speak()))
            .count()
    }
}

impl State {
    /// Whom to invite next on the open floor: the present member with the least airtime,
    /// never the one speaking now or the one who spoke last. Ties go to roster order.
    pub fn suggest_invite(&self, now: Millis) -> Option<MemberIx> {
        let last = self.turns.last().map(|t| t.member);
        self.present_members()
            .filter(|m| Some(*m) != last)
            .min_by_key(|m| (self.airtime(*m, now), *m))
    }
}

/// The shortest turn an adapted target suggests: below this a turn is not a turn.
const MIN_TARGET_MS: i64 = 15_000;

/// Share `time_left` among `speakers`, bounded by half and one and a half of the planned
/// per-speaker time.
fn adapted(per_speaker: i64, time_left: i64, speakers: usize) -> i64 {
    if speakers == 0 {
        return per_speaker;
    }
    let share = time_left.max(0) / speakers as i64;
    share.clamp(
        (per_speaker / 2).max(MIN_TARGET_MS).min(per_speaker),
        per_speaker * 3 / 2,
    )
}

impl State {
    /// The current speaker's target: the plan's per-speaker time, adapted in a round to the
    /// time the segment had left and the members still to speak when the turn began.
    pub fn speaker_target(&self, _now: Millis) -> Option<i64> {
        let turn = self.current_turn()?;
        let per_speaker = self.speaking_here().per_speaker()?.as_millis();
        match self.speaking_here() {
            Speaking::Round { .. } => {
                let speakers = self.still_to_speak().max(1);
                Some(adapted(per_speaker, self.segment_remaining(turn.start), speakers))
            }
            _ => Some(per_speaker),
        }
    }

    /// The target for whoever speaks next: the time left once the current speaker has had
    /// their target, shared among those still to speak.
    pub fn next_target(&self, now: Millis) -> Option<i64> {
        let per_speaker = self.speaking_here().per_speaker()?.as_millis();
        let Speaking::Round { .. } = self.speaking_here() else {
            return Some(per_speaker);
        };
        let mut time_left = self.segment_remaining(now);
        let mut speakers = self.still_to_speak();
        if let (Some(turn), Some(target)) = (self.current_turn(), self.speaker_target(now)) {
            time_left -= (target - turn.length(now)).max(0);
            speakers = speakers.saturating_sub(1);
        }
        Some(adapted(per_speaker, time_left, speakers.max(1)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn adapted_target_shares_the_time_left_within_bounds() {
        // 10 minutes for 5 speakers planned at 90 s: 120 s each, within 1.5 × 90 s.
        assert_eq!(adapted(90_000, 600_000, 5), 120_000);
        // Plenty of time: capped at 135 s.
        assert_eq!(adapted(90_000, 6_000_000, 5), 135_000);
        // Little time: never below half the plan.
        assert_eq!(adapted(90_000, 60_000, 5), 45_000);
        // Overtime: still half the plan, not a negative target.
        assert_eq!(adapted(90_000, -60_000, 5), 45_000);
        assert_eq!(adapted(20_000, 10_000, 5), 15_000);
    }

    #[test]
    fn rotate_starts_one_later_each_round() {
        assert_eq!(round_order(RoundOrder::Rotate, 4, 0, 1), vec![0, 1, 2, 3]);
        assert_eq!(round_order(RoundOrder::Rotate, 4, 1, 1), vec![1, 2, 3, 0]);
        assert_eq!(round_order(RoundOrder::Rotate, 4, 5, 1), vec![1, 2, 3, 0]);
        assert_eq!(round_order(RoundOrder::Rotate, 0, 5, 1), Vec::<usize>::new());
    }

    #[test]
    fn shuffle_is_a_deterministic_permutation() {
        let a = round_order(RoundOrder::Shuffle, 10, 2, 42);
        assert_eq!(a, round_order(RoundOrder::Shuffle, 10, 2, 42));
        let mut sorted = a.clone();
        sorted.sort_unstable();
        assert_eq!(sorted, (0..10).collect::<Vec<_>>());
        assert_ne!(a, round_order(RoundOrder::Shuffle, 10, 3, 42));
    }
}
