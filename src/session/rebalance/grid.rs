//! Rounding proposed lengths to what a facilitator reads at a glance: whole minutes, and half
//! minutes under five minutes. The total stays exact: the odd seconds land on one slot.

use std::cmp::Reverse;

/// Under this length a slot may sit on half minutes.
const FINE_BELOW_SECS: u64 = 300;
const FINE_STEP_SECS: u64 = 30;
const STEP_SECS: u64 = 60;

/// Whether a length is a whole minute, or a half minute under five minutes.
pub(super) fn is_on_grid(secs: u64) -> bool {
    secs.is_multiple_of(step_above(secs))
}

/// Moves `ideal` (within `lo[i]..=hi[i]`, adding up to the total to keep) onto the grid.
///
/// Each slot starts at the grid point just below its ideal (or the lowest one its bounds
/// allow). The seconds this leaves over are handed out a grid step at a time, to the slot
/// furthest below its ideal; should the start overshoot, steps are taken back from the slot
/// furthest above. What is left, less than a step, goes to one slot (see [`settle`]). Only
/// when no slot can carry it is it spread over several, so bounds and total always hold.
pub(super) fn round(ideal: &[u64], lo: &[u64], hi: &[u64]) -> Vec<u64> {
    let ranges: Vec<Option<(u64, u64)>> = lo
        .iter()
        .zip(hi)
        .map(|(&l, &h)| ceil(l).filter(|&low| low <= floor(h)).map(|low| (low, floor(h))))
        .collect();
    let mut out: Vec<u64> = ideal
        .iter()
        .zip(&ranges)
        .map(|(&x, range)| range.map_or(x, |(low, high)| floor(x).clamp(low, high)))
        .collect();
    let offset = |out: &[u64], i: usize| i128::from(ideal[i]) - i128::from(out[i]);
    let mut left: i128 = (0..out.len()).map(|i| offset(&out, i)).sum();

    while left < 0 {
        let down = (0..out.len())
            .filter_map(|i| {
                let (low, _) = ranges[i]?;
                step_down(out[i]).filter(|&d| d >= low).map(|d| (i, d))
            })
            .min_by_key(|&(i, _)| (offset(&out, i), i));
        let Some((i, d)) = down else { break };
        left += i128::from(out[i] - d);
        out[i] = d;
    }
    loop {
        let up = (0..out.len())
            .filter_map(|i| {
                let (_, high) = ranges[i]?;
                step_up(out[i])
                    .filter(|&u| u <= high && i128::from(u - out[i]) <= left)
                    .map(|u| (i, u))
            })
            .min_by_key(|&(i, _)| (Reverse(offset(&out, i)), i));
        let Some((i, u)) = up else { break };
        left -= i128::from(u - out[i]);
        out[i] = u;
    }
    if left != 0 {
        let settled = out.len() <= SEARCH_MAX_SLOTS && settle(ideal, lo, hi, &ranges, &mut out, left);
        if !settled {
            spread(&mut out, lo, hi, left);
        }
    }
    out
}

/// How far the search for a carrier moves other slots: grid steps each, seconds in all.
const SEARCH_STEPS: usize = 3;
const SEARCH_SHIFT_UNITS: i128 = 12;
/// The search takes time as the square of the slots; an agenda longer than any real one
/// (this many changing segments) has its odd seconds spread instead.
const SEARCH_MAX_SLOTS: usize = 64;
const UNIT_SECS: i128 = 30;
const SHIFTS: usize = 2 * SEARCH_SHIFT_UNITS as usize + 1;

/// What a split costs: values off the grid, then seconds away from the ideal.
type Cost = (usize, u128);

/// Puts the `left` seconds on one slot, the carrier, moving the others up to
/// [`SEARCH_STEPS`] grid steps when that lets it take them. Of all such splits it takes the
/// cheapest, then the one whose carrier is the longest, then the earliest. Returns false,
/// changing nothing, when there is none.
fn settle(
    ideal: &[u64],
    lo: &[u64],
    hi: &[u64],
    ranges: &[Option<(u64, u64)>],
    out: &mut [u64],
    left: i128,
) -> bool {
    let search = Search {
        ideal,
        lo,
        hi,
        nearby: out
            .iter()
            .zip(ranges)
            .map(|(&v, &range)| nearby(v, range))
            .collect(),
        start: out,
        left,
    };
    let best = (0..out.len())
        .filter_map(|carrier| {
            search
                .carried_by(carrier)
                .map(|(cost, split)| ((cost, Reverse(out[carrier]), carrier), split))
        })
        .min_by(|a, b| a.0.cmp(&b.0));
    match best {
        Some((_, split)) => {
            out.copy_from_slice(&split);
            true
        }
        None => false,
    }
}

/// A choice in the search: its cost so far, the shift it came from, the value it chose.
type Choice = (Cost, usize, u64);

/// The search for a carrier from where the grid steps left the slots.
struct Search<'a> {
    ideal: &'a [u64],
    lo: &'a [u64],
    hi: &'a [u64],
    /// Each slot's candidate values (see [`nearby`]).
    nearby: Vec<Vec<u64>>,
    start: &'a [u64],
    left: i128,
}

impl Search<'_> {
    fn cost_of(&self, i: usize, value: u64) -> Cost {
        (
            usize::from(!is_on_grid(value)),
            u128::from(self.ideal[i].abs_diff(value)),
        )
    }

    /// The cheapest split in which `carrier` takes what the others, moved a little, leave.
    fn carried_by(&self, carrier: usize) -> Option<(Cost, Vec<u64>)> {
        let others: Vec<usize> = (0..self.start.len()).filter(|&i| i != carrier).collect();
        // layers[j][shift]: the cheapest values for the first j others that move them by
        // `shift` units in all (offset by SEARCH_SHIFT_UNITS).
        let mut layers: Vec<[Option<Choice>; SHIFTS]> = Vec::with_capacity(others.len());
        let mut reach: [Option<Cost>; SHIFTS] = [None; SHIFTS];
        reach[SEARCH_SHIFT_UNITS as usize] = Some((0, 0));
        for &i in &others {
            let mut layer: [Option<Choice>; SHIFTS] = [None; SHIFTS];
            for (from, cost) in reach.iter().enumerate() {
                let Some(cost) = cost else { continue };
                for &value in &self.nearby[i] {
                    let moved = (i128::from(value) - i128::from(self.start[i])) / UNIT_SECS;
                    let Some(to) = shift_index(from as i128 - SEARCH_SHIFT_UNITS + moved) else {
                        continue;
                    };
                    let total = add(*cost, self.cost_of(i, value));
                    if layer[to].is_none_or(|(known, _, _)| total < known) {
                        layer[to] = Some((total, from, value));
                    }
                }
            }
            reach = layer.map(|choice| choice.map(|(cost, _, _)| cost));
            layers.push(layer);
        }
        let (end, cost, carried) = reach
            .iter()
            .enumerate()
            .filter_map(|(end, cost)| {
                let shift = (end as i128 - SEARCH_SHIFT_UNITS) * UNIT_SECS;
                let carried = i128::from(self.start[carrier]) + self.left - shift;
                let fits = i128::from(self.lo[carrier]) <= carried && carried <= i128::from(self.hi[carrier]);
                let carried = u64::try_from(carried).ok().filter(|_| fits)?;
                Some((end, add((*cost)?, self.cost_of(carrier, carried)), carried))
            })
            .min_by_key(|&(end, cost, _)| (cost, end))?;
        let mut split = self.start.to_vec();
        split[carrier] = carried;
        let mut at = end;
        for (&i, layer) in others.iter().zip(&layers).rev() {
            let (_, from, value) = layer[at]?;
            split[i] = value;
            at = from;
        }
        Some((cost, split))
    }
}

fn add(a: Cost, b: Cost) -> Cost {
    (a.0 + b.0, a.1.saturating_add(b.1))
}

/// A slot's value and the grid points up to [`SEARCH_STEPS`] away within its range; just its
/// value when its range holds no grid point.
fn nearby(value: u64, range: Option<(u64, u64)>) -> Vec<u64> {
    let mut values = vec![value];
    let Some((low, high)) = range else {
        return values;
    };
    let (mut up, mut down) = (value, value);
    for _ in 0..SEARCH_STEPS {
        up = step_up(up).filter(|&u| u <= high).unwrap_or(up);
        down = step_down(down).filter(|&d| d >= low).unwrap_or(down);
        for v in [up, down] {
            if !values.contains(&v) {
                values.push(v);
            }
        }
    }
    values
}

fn shift_index(units: i128) -> Option<usize> {
    (units.abs() <= SEARCH_SHIFT_UNITS).then(|| usize::try_from(units + SEARCH_SHIFT_UNITS).unwrap_or(0))
}

/// The last resort when no single slot can carry the `left` seconds: each slot, longest
/// first, takes what its bounds allow, so bounds and total still hold.
fn spread(out: &mut [u64], lo: &[u64], hi: &[u64], mut left: i128) {
    let mut order: Vec<usize> = (0..out.len()).collect();
    order.sort_by_key(|&i| (Reverse(out[i]), i));
    for i in order {
        let taken = if left > 0 {
            left.min(i128::from(hi[i]) - i128::from(out[i]))
        } else {
            left.max(i128::from(lo[i]) - i128::from(out[i]))
        };
        out[i] = to_u64(i128::from(out[i]) + taken);
        left -= taken;
    }
}

/// The grid step that starts at `secs`.
fn step_above(secs: u64) -> u64 {
    if secs < FINE_BELOW_SECS {
        FINE_STEP_SECS
    } else {
        STEP_SECS
    }
}

/// The grid point at or below `secs`.
fn floor(secs: u64) -> u64 {
    secs - secs % step_above(secs)
}

/// The grid point at or above `secs`, if one fits in a `u64`.
fn ceil(secs: u64) -> Option<u64> {
    let below = floor(secs);
    if below == secs { Some(secs) } else { step_up(below) }
}

/// The next grid point above the grid point `secs`.
fn step_up(secs: u64) -> Option<u64> {
    secs.checked_add(step_above(secs))
}

/// The grid point before the grid point `secs`.
fn step_down(secs: u64) -> Option<u64> {
    match secs {
        0 => None,
        s if s <= FINE_BELOW_SECS => Some(s - FINE_STEP_SECS),
        s => Some(s - STEP_SECS),
    }
}

fn to_u64(value: i128) -> u64 {
    u64::try_from(value.max(0)).unwrap_or(u64::MAX)
}
