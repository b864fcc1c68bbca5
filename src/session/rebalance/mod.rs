//! Rebalancing the rest of the agenda so that the session still ends on time.
//!
//! The current segment and the upcoming ones share the time until the planned end in
//! proportion to their planned length. Behind schedule they shrink, never below a segment's
//! minimum nor the current segment below what has already run; ahead they grow, never past a
//! segment's maximum (the plan's `max`, else one and a half times its planned length). Fixed
//! segments keep their length. When even every minimum cannot end on time the proposal says by
//! how much the session overruns; when even every maximum cannot fill the time, by how much it
//! ends early. New lengths are whole minutes (half minutes under five), the odd seconds on one
//! segment.
//!
//! Everything is whole seconds in wide integers, never floats, so the same input gives the same
//! proposal on every machine, and no input can overflow or panic.

mod grid;
mod share;

use super::{Millis, SegmentProgress, SegmentStatus, State};

/// The floor of a segment whose plan names no `min`: one minute, or its planned length if shorter.
pub const DEFAULT_MIN_SECS: u64 = 60;

/// How far a segment whose plan names no `max` may grow: this many halves of its planned length.
const DEFAULT_MAX_HALVES: u64 = 3;

/// One segment as the rebalancer sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Slot {
    pub index: usize,
    pub planned_secs: u64,
    /// The shortest it may become; for the current segment, at least the time it has run.
    pub min_secs: u64,
    /// The longest it may become. A maximum below the minimum yields to the minimum.
    pub max_secs: u64,
    pub fixed: bool,
}

impl Slot {
    fn bounds(&self) -> (u64, u64) {
        (self.min_secs, self.max_secs.max(self.min_secs))
    }
}

/// A proposed rest of the agenda.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Proposal {
    /// (segment index, planned seconds now, proposed seconds), for the current segment (whole
    /// length, not what remains of it) and every upcoming one (those jumped over too), in
    /// agenda order.
    pub rows: Vec<(usize, u64, u64)>,
    /// Seconds the session still overruns its planned end with this proposal, because every
    /// flexible segment is at its shortest (0 when it ends on time).
    pub overrun_secs: u64,
    /// Seconds the session ends before its planned end with this proposal, because every
    /// flexible segment is at its longest (0 when it ends on time).
    pub ends_early_secs: u64,
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

/// Fits `slots` (in agenda order) into `time_left_secs`, the total length they should add up to.
///
/// Fixed slots keep their length and are taken off first; the flexible ones share the rest
/// (see [`share::fill`]) and are rounded to the grid (see [`grid::round`]). A flexible slot
/// whose share is its planned length exactly keeps it, rounded or not, so a session on time
/// changes nothing. The proposed lengths add up to `time_left` whenever the bounds allow it;
/// otherwise every flexible slot is at its minimum (and the overrun is reported) or at its
/// maximum (and how early it ends is reported).
pub fn rebalance(slots: &[Slot], time_left_secs: i64) -> Proposal {
    let time_left = i128::from(time_left_secs);
    let fixed_total = to_i128(sum(slots
        .iter()
        .filter(|s| s.fixed)
        .map(|s| u128::from(s.planned_secs))));
    let flex: Vec<&Slot> = slots.iter().filter(|s| !s.fixed).collect();
    let planned: Vec<u64> = flex.iter().map(|s| s.planned_secs).collect();
    let (lo, hi): (Vec<u64>, Vec<u64>) = flex.iter().map(|s| s.bounds()).unzip();
    let target = time_left.saturating_sub(fixed_total);

    let flex_secs = if target <= to_i128(sum(lo.iter().map(|&s| u128::from(s)))) {
        lo
    } else if target >= to_i128(sum(hi.iter().map(|&s| u128::from(s)))) {
        hi
    } else {
        // `sum(lo) < target <= time_left <= i64::MAX` here.
        let ideal = share::fill(&planned, &lo, &hi, u128::try_from(target).unwrap_or(0));
        round_changed(&planned, ideal, &lo, &hi)
    };

    let mut flex_secs = flex_secs.into_iter();
    let rows: Vec<(usize, u64, u64)> = slots
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
    let proposed = to_i128(sum(rows.iter().map(|r| u128::from(r.2))));
    let over = proposed.saturating_sub(time_left);
    Proposal {
        rows,
        overrun_secs: to_u64(over),
        ends_early_secs: to_u64(over.saturating_neg()),
    }
}

/// Rounds to the grid the slots whose share differs from their planned length; the others keep it.
fn round_changed(planned: &[u64], mut ideal: Vec<u64>, lo: &[u64], hi: &[u64]) -> Vec<u64> {
    let changed: Vec<usize> = (0..ideal.len()).filter(|&i| ideal[i] != planned[i]).collect();
    let rounded = grid::round(&pick(&ideal, &changed), &pick(lo, &changed), &pick(hi, &changed));
    scatter(&mut ideal, &changed, rounded);
    ideal
}

impl State {
    /// The current segment and every upcoming one (those jumped over too, as the projected end
    /// counts them) rebalanced so the session ends at its planned end, or `None` when the session
    /// has ended or no segment is left to change.
    ///
    /// The current segment is a slot like the others, whole (its new length counts the time it
    /// has run), never below what has already run. The proposal is returned even when it
    /// changes nothing (see [`Proposal::changes`]).
    pub fn propose_rebalance(&self, now: Millis) -> Option<Proposal> {
        if self.is_ended() {
            return None;
        }
        let mut slots = Vec::new();
        // Time of the current segment's length that is behind us: it is part of the total.
        let mut consumed_ms = 0;
        for (index, progress) in self.segments.iter().enumerate() {
            match progress.status {
                SegmentStatus::Current => {
                    let elapsed_ms = self.segment_elapsed(index, now).max(0);
                    let mut slot = self.slot(index, progress);
                    if slot.fixed {
                        // Its length stays; overtime in it comes out of what follows.
                        consumed_ms = elapsed_ms.min(progress.planned_ms.max(0));
                    } else {
                        consumed_ms = elapsed_ms;
                        let ran_secs = u64::try_from(elapsed_ms).unwrap_or(0).div_ceil(1000);
                        slot.min_secs = slot.min_secs.max(ran_secs);
                    }
                    slots.push(slot);
                }
                SegmentStatus::Upcoming => slots.push(self.slot(index, progress)),
                SegmentStatus::Done | SegmentStatus::Skipped => {}
            }
        }
        if slots.is_empty() {
            return None;
        }
        let left_ms = self
            .planned_end(now)
            .saturating_sub(now)
            .saturating_add(consumed_ms);
        Some(rebalance(&slots, left_ms.div_euclid(1000)))
    }

    /// A segment's bounds as the plan and the facilitator's adjustments set them.
    fn slot(&self, index: usize, progress: &SegmentProgress) -> Slot {
        let planned_secs = secs(progress.planned_ms);
        let segment = self.plan.agenda.get(index);
        let min_secs = segment
            .and_then(|seg| seg.min)
            .map_or(planned_secs.min(DEFAULT_MIN_SECS), |min| min.as_secs());
        // The growth limit is measured on the length planned before any rebalance, so that
        // accepting a proposal does not raise it.
        let base_secs = segment.map_or(planned_secs, |seg| {
            secs(
                seg.duration
                    .as_millis()
                    .saturating_add(progress.adjusted_secs.saturating_mul(1000)),
            )
        });
        let max_secs = segment
            .and_then(|seg| seg.max)
            .map_or(base_secs.saturating_mul(DEFAULT_MAX_HALVES) / 2, |max| {
                max.as_secs()
            })
            // A segment the facilitator lengthened past its limit is not cut back to it.
            .max(planned_secs);
        Slot {
            index,
            planned_secs,
            min_secs,
            max_secs,
            fixed: segment.is_some_and(|seg| seg.fixed),
        }
    }
}

/// Whole seconds of a length in milliseconds; zero when negative.
fn secs(ms: i64) -> u64 {
    u64::try_from(ms.max(0) / 1000).unwrap_or(0)
}

/// The values at `indices`, in their order.
fn pick<T: Copy>(values: &[T], indices: &[usize]) -> Vec<T> {
    indices.iter().map(|&i| values[i]).collect()
}

/// Writes `values` back at `indices`: the inverse of [`pick`].
fn scatter(out: &mut [u64], indices: &[usize], values: Vec<u64>) {
    for (&i, value) in indices.iter().zip(values) {
        out[i] = value;
    }
}

fn sum(values: impl Iterator<Item = u128>) -> u128 {
    values.fold(0, u128::saturating_add)
}

fn to_i128(value: u128) -> i128 {
    i128::try_from(value).unwrap_or(i128::MAX)
}

/// Seconds of overrun or of early end: zero when negative, saturating at `u64::MAX`.
fn to_u64(value: i128) -> u64 {
    if value <= 0 {
        0
    } else {
        u64::try_from(value).unwrap_or(u64::MAX)
    }
}

#[cfg(test)]
mod tests;
