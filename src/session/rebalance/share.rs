//! The ideal split: flexible slots share a target in proportion to their planned length,
//! each held between its minimum and its maximum, to the whole second.

use std::cmp::Reverse;

use super::{pick, scatter, sum};

/// Which bound a slot is held at when its proportional share would cross it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Side {
    /// Shrinking: a share below the minimum is held at the minimum.
    Min,
    /// Growing: a share above the maximum is held at the maximum.
    Max,
}

/// Shares `target` seconds among slots with the bounds `lo[i] <= hi[i]`; requires
/// `sum(lo) <= target <= sum(hi)`. The result adds up to `target` exactly and keeps every slot
/// within its bounds.
///
/// Each slot weighs its planned length taken into its bounds (so a current segment that already
/// ran past its plan weighs what it ran). Below the weights' total every slot shrinks by the
/// same factor and only minimums can hold; above it every slot grows by the same factor and
/// only maximums can hold. A slot planned at zero gets time only once every other slot is at
/// its maximum (then the zero slots share what is left equally).
pub(super) fn fill(planned: &[u64], lo: &[u64], hi: &[u64], target: u128) -> Vec<u64> {
    let weights: Vec<u128> = planned
        .iter()
        .zip(lo.iter().zip(hi))
        .map(|(&p, (&l, &h))| u128::from(p.clamp(l, h)))
        .collect();
    if target <= sum(weights.iter().copied()) {
        return proportional(&weights, lo, target, Side::Min);
    }
    let weighed: Vec<usize> = (0..weights.len()).filter(|&i| weights[i] > 0).collect();
    let unweighed: Vec<usize> = (0..weights.len()).filter(|&i| weights[i] == 0).collect();
    let weighed_room = sum(weighed.iter().map(|&i| u128::from(hi[i])));
    // A zero weight means a zero minimum, so the unweighed slots start from nothing.
    let mut out = vec![0; weights.len()];
    if target <= weighed_room {
        let shares = proportional(&pick(&weights, &weighed), &pick(hi, &weighed), target, Side::Max);
        scatter(&mut out, &weighed, shares);
    } else {
        scatter(&mut out, &weighed, pick(hi, &weighed));
        let shares = proportional(
            &vec![1; unweighed.len()],
            &pick(hi, &unweighed),
            target - weighed_room,
            Side::Max,
        );
        scatter(&mut out, &unweighed, shares);
    }
    out
}

/// Splits `target` in proportion to `weights`, holding slots at `bounds` on one side.
fn proportional(weights: &[u128], bounds: &[u64], target: u128, side: Side) -> Vec<u64> {
    let held = water_fill(weights, bounds, target, side);
    let free: Vec<usize> = (0..weights.len()).filter(|&i| !held[i]).collect();
    let held_total = sum((0..weights.len())
        .filter(|&i| held[i])
        .map(|i| u128::from(bounds[i])));
    let shares = apportion(&pick(weights, &free), target.saturating_sub(held_total));
    let mut out = bounds.to_vec();
    scatter(
        &mut out,
        &free,
        shares
            .into_iter()
            .map(|v| u64::try_from(v).unwrap_or(u64::MAX))
            .collect(),
    );
    out
}

/// Which slots end held at their bound: the classic water-filling. Scale the free slots to the
/// time the held ones leave; hold every free slot whose share crosses its bound; repeat. The
/// factor only moves away from the bounds as slots are held (down when shrinking, up when
/// growing), so a held slot never needs releasing, and each round holds one more or stops.
fn water_fill(weights: &[u128], bounds: &[u64], target: u128, side: Side) -> Vec<bool> {
    let mut held = vec![false; weights.len()];
    loop {
        let free: Vec<usize> = (0..weights.len()).filter(|&i| !held[i]).collect();
        let held_total = sum((0..weights.len())
            .filter(|&i| held[i])
            .map(|i| u128::from(bounds[i])));
        let share = target.saturating_sub(held_total);
        let weight_total = sum(free.iter().map(|&i| weights[i]));
        let mut changed = false;
        for &i in &free {
            let bound = u128::from(bounds[i]);
            // weight * share / weight_total against the bound, without dividing.
            let crosses = match side {
                Side::Min => product_less(weights[i], share, bound, weight_total),
                Side::Max => product_less(bound, weight_total, weights[i], share),
            };
            if crosses {
                held[i] = true;
                changed = true;
            }
        }
        if !changed {
            return held;
        }
    }
}

/// Splits `total` whole seconds in proportion to `weights`: each gets the floor of its share,
/// and the seconds left over go one each to the largest remainders, ties to the earlier slot.
/// A share that is not whole gets at most one second more than its floor, so it never crosses
/// a whole-second bound it was under.
fn apportion(weights: &[u128], total: u128) -> Vec<u128> {
    let weight_total = sum(weights.iter().copied());
    if weight_total == 0 {
        return vec![0; weights.len()];
    }
    let mut values = Vec::with_capacity(weights.len());
    let mut remainders = Vec::with_capacity(weights.len());
    for &weight in weights {
        // A weight is at most a second count (u64) and the total at most `i64::MAX`.
        let scaled = weight.saturating_mul(total);
        values.push(scaled / weight_total);
        remainders.push(scaled % weight_total);
    }
    let left = total.saturating_sub(sum(values.iter().copied()));
    let mut order: Vec<usize> = (0..weights.len()).collect();
    order.sort_by_key(|&i| (Reverse(remainders[i]), i));
    for &i in order.iter().take(usize::try_from(left).unwrap_or(usize::MAX)) {
        values[i] += 1;
    }
    values
}

/// `a * b < c * d`, exactly, for the ranges met here: one side is always a weight (a second
/// count) times a share (at most `i64::MAX`), which never overflows, so an overflowing product
/// is simply the larger.
fn product_less(a: u128, b: u128, c: u128, d: u128) -> bool {
    match (a.checked_mul(b), c.checked_mul(d)) {
        (Some(left), Some(right)) => left < right,
        (Some(_), None) => true,
        (None, _) => false,
    }
}
