//! Rebalancing the rest of the agenda so that the session still ends on time.
//!
//! Upcoming flexible segments shrink (or grow) in proportion to their planned length, never
//! below their minimum; fixed segments keep their length. When even every flexible segment at
//! its minimum cannot end on time, the proposal says by how much the session will overrun.
//!
//! Everything is whole seconds in wide integers, never floats, so the same input gives the same
//! proposal on every machine, and no input can overflow or panic.

use std::cmp::Reverse;

use super::{Millis, SegmentStatus, State};

/// The floor of a segment whose plan names no `min`: one minute, or its planned length if shorter.
pub const DEFAULT_MIN_SECS: u64 = 60;

/// Proposed lengths are rounded to multiples of this many seconds when that still keeps the
/// exact total and every minimum (only the odd seconds of the total land on one segment).
const QUANTUM_SECS: u128 = 15;

/// One upcoming segment as the rebalancer sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Slot {
    pub index: usize,
    pub planned_secs: u64,
    pub min_secs: u64,
    pub fixed: bool,
}

/// A proposed rest of the agenda.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Proposal {
    /// (segment index, planned seconds now, proposed seconds), for every upcoming slot, in agenda order.
    pub rows: Vec<(usize, u64, u64)>,
    /// Seconds the session still overruns its planned end with this proposal (0 when it ends on time).
    pub overrun_secs: u64,
}

impl Proposal {
    /// The rows whose length would change, as `(segment index, new seconds)`: what
    /// [`Command::AcceptRebalance`](super::Command::AcceptRebalance) takes. Empty when accepting
    /// would change nothing.
    pub fn changes(&self) -> Vec<(usize, u64)> {
        self.rows
            .iter()
            .filter(|(_, old, new)| old != new)
            .map(|&(index, _, new)| (index, new))
            .collect()
    }
}

/// Fits `slots` (the upcoming segments, in agenda order) into `time_left_secs`.
///
/// Fixed slots keep their length and are taken off first. Flexible slots share what is left in
/// proportion to their planned length (equally when every one is planned at zero), each clamped
/// at its minimum, the others re-scaled until stable. The proposed lengths add up to exactly
/// `max(time_left, fixed + minimums)` whenever there is a flexible slot; with none, nothing
/// changes and only the overrun is reported.
pub fn rebalance(slots: &[Slot], time_left_secs: i64) -> Proposal {
    let time_left = i128::from(time_left_secs);
    let fixed_total = to_i128(sum(slots
        .iter()
        .filter(|s| s.fixed)
        .map(|s| u128::from(s.planned_secs))));
    let flex: Vec<&Slot> = slots.iter().filter(|s| !s.fixed).collect();
    let min_total = to_i128(sum(flex.iter().map(|s| u128::from(s.min_secs))));
    let target = time_left.saturating_sub(fixed_total);

    let (flex_secs, overrun): (Vec<u64>, i128) = if flex.is_empty() {
        (Vec::new(), fixed_total.saturating_sub(time_left))
    } else if target <= min_total {
        let over = fixed_total.saturating_add(min_total).saturating_sub(time_left);
        (flex.iter().map(|s| s.min_secs).collect(), over)
    } else {
        let planned: Vec<u64> = flex.iter().map(|s| s.planned_secs).collect();
        let mins: Vec<u64> = flex.iter().map(|s| s.min_secs).collect();
        // `target > min_total >= 0` here, and `target <= time_left <= i64::MAX`.
        (fill(&planned, &mins, u128::try_from(target).unwrap_or(0)), 0)
    };

    let mut flex_secs = flex_secs.into_iter();
    let rows = slots
        .iter()
        .map(|s| {
            let new = if s.fixed {
                s.planned_secs
            } else {
                flex_secs.next().unwrap_or(s.min_secs)
            };
            (s.index, s.planned_secs, new)
        })
        .collect();
    Proposal {
        rows,
        overrun_secs: to_u64(overrun),
    }
}

impl State {
    /// A rebalanced rest of the agenda so the session ends at its planned end, or `None` when
    /// there is nothing upcoming to change (or the session has ended).
    ///
    /// The current segment keeps what remains of it; the upcoming segments share the rest.
    /// The proposal is returned even when it changes nothing (see [`Proposal::changes`]).
    pub fn propose_rebalance(&self, now: Millis) -> Option<Proposal> {
        if self.is_ended() {
            return None;
        }
        let slots: Vec<Slot> = self
            .segments
            .iter()
            .enumerate()
            .filter(|(index, s)| *index > self.current && s.status == SegmentStatus::Upcoming)
            .map(|(index, s)| {
                let planned_secs = u64::try_from(s.planned_ms.max(0) / 1000).unwrap_or(0);
                let segment = self.plan.agenda.get(index);
                let min_secs = segment
                    .and_then(|seg| seg.min)
                    .map_or(planned_secs.min(DEFAULT_MIN_SECS), |min| min.as_secs());
                let fixed = segment.is_some_and(|seg| seg.fixed);
                Slot {
                    index,
                    planned_secs,
                    min_secs,
                    fixed,
                }
            })
            .collect();
        if slots.is_empty() {
            return None;
        }
        let left_ms = self
            .planned_end(now)
            .saturating_sub(now)
            .saturating_sub(self.segment_remaining(now).max(0));
        Some(rebalance(&slots, left_ms.div_euclid(1000)))
    }
}

/// Shares `target` seconds among flexible slots; requires `target > sum(mins)`.
fn fill(planned: &[u64], mins: &[u64], target: u128) -> Vec<u64> {
    let clamped = water_fill(planned, mins, target);
    let free: Vec<usize> = (0..planned.len()).filter(|&i| !clamped[i]).collect();
    let clamped_total = sum((0..planned.len())
        .filter(|&i| clamped[i])
        .map(|i| u128::from(mins[i])));
    let share = target.saturating_sub(clamped_total);
    let weights = weights_of(free.iter().map(|&i| planned[i]));
    let free_mins: Vec<u128> = free.iter().map(|&i| u128::from(mins[i])).collect();

    let (mut values, exact) = apportion(&weights, share);
    if !exact && let Some(rounded) = quantised(&weights, share, &free_mins) {
        values = rounded;
    }

    let mut out: Vec<u64> = mins.to_vec();
    for (&i, value) in free.iter().zip(values) {
        out[i] = u64::try_from(value).unwrap_or(u64::MAX);
    }
    out
}

/// Which slots end at their minimum: the classic water-filling. Scale the free slots to the
/// time not taken by clamped ones; clamp every free slot that falls below its minimum; repeat.
/// The scale only ever falls, so a clamped slot never needs releasing, and since the target is
/// above the sum of minimums at least one slot always stays free.
fn water_fill(planned: &[u64], mins: &[u64], target: u128) -> Vec<bool> {
    let mut clamped = vec![false; planned.len()];
    loop {
        let free: Vec<usize> = (0..planned.len()).filter(|&i| !clamped[i]).collect();
        if free.is_empty() {
            return clamped;
        }
        let clamped_total = sum((0..planned.len())
            .filter(|&i| clamped[i])
            .map(|i| u128::from(mins[i])));
        let share = target.saturating_sub(clamped_total);
        let weights = weights_of(free.iter().map(|&i| planned[i]));
        let weight_total = sum(weights.iter().copied());
        let mut changed = false;
        for (&i, &weight) in free.iter().zip(&weights) {
            // weight * share / weight_total < min, without dividing.
            if product_less(weight, share, u128::from(mins[i]), weight_total) {
                clamped[i] = true;
                changed = true;
            }
        }
        if !changed {
            return clamped;
        }
    }
}

/// Planned lengths as weights; all ones when they are all zero, so the time is shared equally.
fn weights_of(planned: impl Iterator<Item = u64>) -> Vec<u128> {
    let weights: Vec<u128> = planned.map(u128::from).collect();
    if weights.iter().all(|&w| w == 0) {
        vec![1; weights.len()]
    } else {
        weights
    }
}

/// Splits `total` whole units in proportion to `weights`: each gets the floor of its share,
/// and the units left over go one each to the largest remainders, ties to the earlier slot.
/// Also says whether every share was whole (no rounding happened).
fn apportion(weights: &[u128], total: u128) -> (Vec<u128>, bool) {
    let weight_total = sum(weights.iter().copied());
    if weight_total == 0 {
        return (vec![0; weights.len()], total == 0);
    }
    let mut values = Vec::with_capacity(weights.len());
    let mut remainders = Vec::with_capacity(weights.len());
    for &weight in weights {
        let scaled = weight.saturating_mul(total);
        values.push(scaled / weight_total);
        remainders.push(scaled % weight_total);
    }
    let exact = remainders.iter().all(|&r| r == 0);
    let left = total.saturating_sub(sum(values.iter().copied()));
    let mut order: Vec<usize> = (0..weights.len()).collect();
    order.sort_by_key(|&i| (Reverse(remainders[i]), i));
    for &i in order.iter().take(usize::try_from(left).unwrap_or(usize::MAX)) {
        values[i] += 1;
    }
    (values, exact)
}

/// The same split in whole quanta of [`QUANTUM_SECS`], the odd seconds of `total` added to the
/// largest share (the earliest among equals). `None` when that would put a slot below its minimum.
fn quantised(weights: &[u128], total: u128, mins: &[u128]) -> Option<Vec<u128>> {
    let (units, _) = apportion(weights, total / QUANTUM_SECS);
    let mut values: Vec<u128> = units
        .into_iter()
        .map(|u| u.saturating_mul(QUANTUM_SECS))
        .collect();
    let largest = (0..values.len()).min_by_key(|&i| (Reverse(values[i]), i))?;
    values[largest] = values[largest].saturating_add(total % QUANTUM_SECS);
    values
        .iter()
        .zip(mins)
        .all(|(value, min)| value >= min)
        .then_some(values)
}

/// `a * b < c * d`, exactly, for the ranges met here: `a * b` never overflows (a second count
/// times at most `i64::MAX`), so an overflowing `c * d` is simply larger.
fn product_less(a: u128, b: u128, c: u128, d: u128) -> bool {
    match (a.checked_mul(b), c.checked_mul(d)) {
        (Some(left), Some(right)) => left < right,
        (Some(_), None) => true,
        (None, _) => false,
    }
}

fn sum(values: impl Iterator<Item = u128>) -> u128 {
    values.fold(0, u128::saturating_add)
}

fn to_i128(value: u128) -> i128 {
    i128::try_from(value).unwrap_or(i128::MAX)
}

/// Seconds of overrun: zero when negative, saturating at `u64::MAX`.
fn to_u64(value: i128) -> u64 {
    if value <= 0 {
        0
    } else {
        u64::try_from(value).unwrap_or(u64::MAX)
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use proptest::prelude::*;

    use super::*;
    use crate::plan::{BUILTIN_PLAN, Roster, parse_plan};
    use crate::session::Event;

    fn flex(index: usize, planned_secs: u64, min_secs: u64) -> Slot {
        Slot {
            index,
            planned_secs,
            min_secs,
            fixed: false,
        }
    }

    fn fixed(index: usize, planned_secs: u64) -> Slot {
        Slot {
            index,
            planned_secs,
            min_secs: planned_secs.min(DEFAULT_MIN_SECS),
            fixed: true,
        }
    }

    fn proposed(p: &Proposal) -> Vec<u64> {
        p.rows.iter().map(|r| r.2).collect()
    }

    fn total(p: &Proposal) -> u128 {
        p.rows.iter().map(|r| u128::from(r.2)).sum()
    }

    #[test]
    fn shrinks_in_proportion() {
        let slots = [flex(1, 600, 60), flex(2, 1200, 60), fixed(3, 300)];
        let p = rebalance(&slots, 1500);
        assert_eq!(p.rows, vec![(1, 600, 400), (2, 1200, 800), (3, 300, 300)]);
        assert_eq!(p.overrun_secs, 0);
    }

    #[test]
    fn grows_in_proportion() {
        let p = rebalance(&[flex(4, 600, 60), flex(5, 1200, 60)], 2700);
        assert_eq!(p.rows, vec![(4, 600, 900), (5, 1200, 1800)]);
        assert_eq!(p.overrun_secs, 0);
    }

    #[test]
    fn on_time_changes_nothing() {
        let slots = [flex(1, 607, 60), fixed(2, 300), flex(3, 593, 60)];
        let p = rebalance(&slots, 1500);
        assert_eq!(proposed(&p), vec![607, 300, 593]);
        assert!(p.changes().is_empty());
    }

    #[test]
    fn clamps_at_min_and_rescales_the_rest() {
        // Scaled by 1500/2400 the first would get 375 s, under its 500 s minimum: it is held at
        // 500 and the other two share the remaining 1000 s as 2:1, in 15 s steps with the
        // 10 odd seconds on the larger one.
        let slots = [flex(0, 600, 500), flex(1, 1200, 60), flex(2, 600, 60)];
        let p = rebalance(&slots, 1500);
        assert_eq!(proposed(&p), vec![500, 670, 330]);
        assert_eq!(p.overrun_secs, 0);
    }

    #[test]
    fn clamping_cascades() {
        // At half scale only the first is under its minimum (50 < 100); once it is held at 100
        // the scale falls to 550/1200 and the second (91.7 s) drops under its 95 s as well.
        let slots = [flex(0, 100, 100), flex(1, 200, 95), flex(2, 1000, 60)];
        let p = rebalance(&slots, 650);
        assert_eq!(proposed(&p), vec![100, 95, 455]);
    }

    #[test]
    fn rounds_to_quarter_minutes_when_it_can() {
        let p = rebalance(&[flex(0, 900, 60), flex(1, 900, 60), flex(2, 1200, 60)], 2700);
        // Exactly 810, 810, 1080 already.
        assert_eq!(proposed(&p), vec![810, 810, 1080]);
        let p = rebalance(&[flex(0, 900, 60), flex(1, 900, 60), flex(2, 1200, 60)], 2000);
        // 600, 600, 800 exactly.
        assert_eq!(proposed(&p), vec![600, 600, 800]);
        let p = rebalance(&[flex(0, 700, 60), flex(1, 700, 60), flex(2, 700, 60)], 2000);
        // 666.67 s each: 133 quarter minutes split 45, 44, 44, and the 5 odd seconds go on
        // the largest.
        assert_eq!(proposed(&p), vec![680, 660, 660]);
    }

    #[test]
    fn falls_back_to_seconds_when_quarters_break_a_minimum() {
        // The second slot's ideal share is 61.9 s against a 61 s minimum: a 15 s step would
        // put it at 60 s, so plain seconds are used.
        let p = rebalance(&[flex(0, 2000, 60), flex(1, 130, 61)], 1014);
        assert_eq!(total(&p), 1014);
        assert!(p.rows[1].2 >= 61);
        assert_eq!(proposed(&p), vec![952, 62]);
    }

    #[test]
    fn fixed_slots_are_untouched() {
        let slots = [fixed(0, 300), flex(1, 900, 60), fixed(2, 600)];
        for left in [-500, 0, 500, 1000, 1800, 5000] {
            let p = rebalance(&slots, left);
            assert_eq!(p.rows[0], (0, 300, 300), "{left}");
            assert_eq!(p.rows[2], (2, 600, 600), "{left}");
        }
    }

    #[test]
    fn reports_the_overrun_when_every_minimum_is_too_much() {
        let p = rebalance(&[flex(0, 600, 300), fixed(1, 600)], 700);
        assert_eq!(p.rows, vec![(0, 600, 300), (1, 600, 600)]);
        assert_eq!(p.overrun_secs, 200);
        // Exactly at the minimum: on time.
        let p = rebalance(&[flex(0, 600, 300), fixed(1, 600)], 900);
        assert_eq!(proposed(&p), vec![300, 600]);
        assert_eq!(p.overrun_secs, 0);
    }

    #[test]
    fn only_fixed_slots_change_nothing() {
        let p = rebalance(&[fixed(0, 300), fixed(1, 600)], 600);
        assert_eq!(proposed(&p), vec![300, 600]);
        assert_eq!(p.overrun_secs, 300);
        let p = rebalance(&[fixed(0, 300)], 900);
        assert_eq!(proposed(&p), vec![300]);
        assert_eq!(p.overrun_secs, 0);
    }

    #[test]
    fn empty() {
        assert_eq!(
            rebalance(&[], 100),
            Proposal {
                rows: Vec::new(),
                overrun_secs: 0
            }
        );
        assert_eq!(rebalance(&[], 0).overrun_secs, 0);
        assert_eq!(rebalance(&[], -100).overrun_secs, 100);
    }

    #[test]
    fn negative_time_left_gives_minimums_and_the_overrun() {
        let p = rebalance(&[flex(0, 600, 60), fixed(1, 300)], -120);
        assert_eq!(proposed(&p), vec![60, 300]);
        assert_eq!(p.overrun_secs, 60 + 300 + 120);
        let p = rebalance(&[flex(0, 600, 60)], 0);
        assert_eq!(proposed(&p), vec![60]);
        assert_eq!(p.overrun_secs, 60);
    }

    #[test]
    fn zero_length_slots_share_equally() {
        let p = rebalance(&[flex(0, 0, 0), flex(1, 0, 0)], 100);
        assert_eq!(proposed(&p), vec![50, 50]);
        // A zero-length slot next to a real one stays at zero.
        let p = rebalance(&[flex(0, 0, 0), flex(1, 600, 60)], 900);
        assert_eq!(proposed(&p), vec![0, 900]);
    }

    #[test]
    fn a_slot_below_its_minimum_is_raised() {
        let p = rebalance(&[flex(0, 120, 300), flex(1, 600, 60)], 1200);
        assert!(p.rows[0].2 >= 300);
        assert_eq!(total(&p), 1200);
    }

    #[test]
    fn extremes_do_not_panic() {
        let huge = [
            flex(0, u64::MAX, u64::MAX),
            fixed(1, u64::MAX),
            flex(2, u64::MAX, 0),
        ];
        for left in [i64::MIN, -1, 0, 1, i64::MAX] {
            let p = rebalance(&huge, left);
            assert_eq!(p.rows.len(), 3);
            assert_eq!(p.rows[1].2, u64::MAX);
        }
        let p = rebalance(&[flex(0, 1, 0), flex(1, u64::MAX, 0)], i64::MAX);
        assert_eq!(total(&p), i64::MAX as u128);
    }

    #[test]
    fn changes_lists_only_what_moves() {
        let p = Proposal {
            rows: vec![(1, 600, 600), (2, 900, 840), (3, 300, 300)],
            overrun_secs: 0,
        };
        assert_eq!(p.changes(), vec![(2, 840)]);
    }

    // ---- on a real session ----

    const MIN: i64 = 60_000;
    const T0: Millis = 1_700_000_000_000;

    fn started() -> State {
        let plan = parse_plan(BUILTIN_PLAN, Path::new("p.ron")).expect("the built-in plan loads");
        let mut state = State::new(plan, Roster::default(), 7, T0);
        state.apply(&Event::ClockStarted { at: T0 });
        state
    }

    fn fixed_indices(state: &State) -> Vec<usize> {
        state
            .plan
            .agenda
            .iter()
            .enumerate()
            .filter(|(_, s)| s.fixed)
            .map(|(i, _)| i)
            .collect()
    }

    #[test]
    fn ten_minutes_late_in_the_first_segment_ends_on_time() {
        let mut state = started();
        // The opening is planned at 5 minutes; it is still going at 15.
        let now = T0 + 15 * MIN;
        assert_eq!(state.behind_by(now), 10 * MIN);
        let p = state.propose_rebalance(now).expect("segments are upcoming");

        let indices: Vec<usize> = p.rows.iter().map(|r| r.0).collect();
        assert_eq!(indices, (1..state.plan.agenda.len()).collect::<Vec<_>>());
        assert_eq!(p.overrun_secs, 0);
        assert_eq!(total(&p), 75 * 60);
        assert!(!fixed_indices(&state).is_empty());
        for &(index, old, new) in &p.rows {
            let segment = &state.plan.agenda[index];
            if segment.fixed {
                assert_eq!(old, new, "{} is fixed", segment.title);
            } else {
                assert!(new < old, "{} shrinks", segment.title);
                let min = segment.min.map_or(DEFAULT_MIN_SECS, |m| m.as_secs());
                assert!(new >= min);
            }
        }

        // Accepting it puts the projected end back on the planned end.
        state.apply(&Event::Rebalanced {
            at: now,
            planned: p.changes(),
        });
        assert_eq!(state.projected_end(now), state.planned_end(now));
        assert_eq!(state.behind_by(now), 0);
        // And proposing again changes nothing.
        let again = state.propose_rebalance(now).expect("still upcoming");
        assert!(again.changes().is_empty());
    }

    #[test]
    fn the_current_segment_keeps_its_remaining_time() {
        let mut state = started();
        state.apply(&Event::SegmentEntered {
            at: T0 + 15 * MIN,
            index: 1,
        });
        // Five minutes into the 15-minute check-in: 10 minutes of it remain.
        let now = T0 + 20 * MIN;
        let p = state.propose_rebalance(now).expect("segments are upcoming");
        assert_eq!(p.rows.first().map(|r| r.0), Some(2));
        assert_eq!(total(&p), (90 - 20 - 10) * 60);
        assert_eq!(p.overrun_secs, 0);
        state.apply(&Event::Rebalanced {
            at: now,
            planned: p.changes(),
        });
        assert_eq!(state.behind_by(now), 0);
    }

    #[test]
    fn far_behind_reports_the_overrun() {
        let state = started();
        let now = T0 + 80 * MIN;
        let p = state.propose_rebalance(now).expect("segments are upcoming");
        // 10 minutes left; fixed 15 minutes, minimums 8 + 1 + 1 + 1 minutes.
        let fixed_secs = 15 * 60;
        let min_secs = (8 + 1 + 1 + 1) * 60;
        assert_eq!(p.overrun_secs, fixed_secs + min_secs - 10 * 60);
        for &(index, _, new) in &p.rows {
            let segment = &state.plan.agenda[index];
            let expected = if segment.fixed {
                segment.duration.as_secs()
            } else {
                segment.min.map_or(DEFAULT_MIN_SECS, |m| m.as_secs())
            };
            assert_eq!(new, expected, "{}", segment.title);
        }
    }

    #[test]
    fn nothing_upcoming_or_ended_gives_none() {
        let mut state = started();
        let last = state.plan.agenda.len() - 1;
        state.apply(&Event::SegmentEntered {
            at: T0 + MIN,
            index: last,
        });
        assert_eq!(state.propose_rebalance(T0 + 2 * MIN), None);

        let mut state = started();
        state.apply(&Event::Ended { at: T0 + MIN });
        assert_eq!(state.propose_rebalance(T0 + 2 * MIN), None);
    }

    // ---- properties ----

    fn arb_slots() -> impl Strategy<Value = Vec<Slot>> {
        prop::collection::vec((0u64..7200, 0u64..3600, any::<bool>()), 0..8).prop_map(|raw| {
            raw.into_iter()
                .enumerate()
                .map(|(i, (planned_secs, min_secs, fixed))| Slot {
                    index: 2 * i + 1,
                    planned_secs,
                    min_secs,
                    fixed,
                })
                .collect()
        })
    }

    fn arb_extreme_slots() -> impl Strategy<Value = Vec<Slot>> {
        prop::collection::vec((any::<u64>(), any::<u64>(), any::<bool>(), any::<usize>()), 0..6).prop_map(
            |raw| {
                raw.into_iter()
                    .map(|(planned_secs, min_secs, fixed, index)| Slot {
                        index,
                        planned_secs,
                        min_secs,
                        fixed,
                    })
                    .collect()
            },
        )
    }

    /// Every invariant that holds for any input.
    fn check_invariants(slots: &[Slot], left: i64, p: &Proposal) -> Result<(), TestCaseError> {
        prop_assert_eq!(p.rows.len(), slots.len());
        let fixed_total: u128 = slots
            .iter()
            .filter(|s| s.fixed)
            .map(|s| u128::from(s.planned_secs))
            .sum();
        let mins: u128 = slots
            .iter()
            .filter(|s| !s.fixed)
            .map(|s| u128::from(s.min_secs))
            .sum();
        for (slot, &(index, old, new)) in slots.iter().zip(&p.rows) {
            prop_assert_eq!(index, slot.index);
            prop_assert_eq!(old, slot.planned_secs);
            if slot.fixed {
                prop_assert_eq!(new, slot.planned_secs);
            } else {
                prop_assert!(
                    new >= slot.min_secs,
                    "{} below its minimum {}",
                    new,
                    slot.min_secs
                );
            }
        }
        let left = i128::from(left);
        let floor = (fixed_total + mins) as i128;
        if slots.iter().any(|s| !s.fixed) {
            prop_assert_eq!(total(p) as i128, left.max(floor));
            prop_assert_eq!(
                i128::from(p.overrun_secs),
                (floor - left).max(0).min(i128::from(u64::MAX))
            );
        } else {
            prop_assert_eq!(total(p), fixed_total);
            prop_assert_eq!(
                i128::from(p.overrun_secs),
                (fixed_total as i128 - left).max(0).min(i128::from(u64::MAX))
            );
        }
        Ok(())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        #[test]
        fn total_is_the_time_left_whenever_possible(slots in arb_slots(), left in -7200i64..40_000) {
            let p = rebalance(&slots, left);
            let floor: u64 = slots.iter().map(|s| if s.fixed { s.planned_secs } else { s.min_secs }).sum();
            if slots.iter().any(|s| !s.fixed) && i128::from(floor) <= i128::from(left) {
                prop_assert_eq!(total(&p), left as u128);
                prop_assert_eq!(p.overrun_secs, 0);
            }
            check_invariants(&slots, left, &p)?;
        }

        #[test]
        fn no_row_below_its_minimum_and_fixed_unchanged(slots in arb_slots(), left in -7200i64..40_000) {
            let p = rebalance(&slots, left);
            for (slot, row) in slots.iter().zip(&p.rows) {
                if slot.fixed {
                    prop_assert_eq!(row.2, slot.planned_secs);
                } else {
                    prop_assert!(row.2 >= slot.min_secs);
                }
            }
        }

        #[test]
        fn deterministic(slots in arb_slots(), left in -7200i64..40_000) {
            prop_assert_eq!(rebalance(&slots, left), rebalance(&slots, left));
        }

        #[test]
        fn accepting_then_proposing_again_changes_nothing(slots in arb_slots(), left in -7200i64..40_000) {
            let p = rebalance(&slots, left);
            let accepted: Vec<Slot> = slots
                .iter()
                .zip(&p.rows)
                .map(|(s, row)| Slot { planned_secs: row.2, ..*s })
                .collect();
            let again = rebalance(&accepted, left);
            prop_assert!(again.changes().is_empty(), "{:?}", again);
            prop_assert_eq!(again.overrun_secs, p.overrun_secs);
        }

        #[test]
        fn never_panics(slots in arb_extreme_slots(), left in any::<i64>()) {
            let p = rebalance(&slots, left);
            check_invariants(&slots, left, &p)?;
        }
    }
}
