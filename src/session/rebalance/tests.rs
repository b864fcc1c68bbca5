//! The rebalancer: the pure split on hand-made slots, then on real sessions of the built-in
//! plan, then the properties that hold for any input.

use std::path::Path;

use proptest::prelude::*;

use super::grid::is_on_grid;
use super::*;
use crate::plan::{BUILTIN_PLAN, Plan, Roster, parse_plan};
use crate::session::{Command, Event, decide};

/// A flexible slot with the default maximum, one and a half times its planned length.
fn flex(index: usize, planned_secs: u64, min_secs: u64) -> Slot {
    capped(index, planned_secs, min_secs, planned_secs.saturating_mul(3) / 2)
}

fn capped(index: usize, planned_secs: u64, min_secs: u64, max_secs: u64) -> Slot {
    Slot {
        index,
        planned_secs,
        min_secs,
        max_secs,
        fixed: false,
    }
}

fn fixed(index: usize, planned_secs: u64) -> Slot {
    Slot {
        fixed: true,
        ..flex(index, planned_secs, planned_secs.min(DEFAULT_MIN_SECS))
    }
}

fn proposed(p: &Proposal) -> Vec<u64> {
    p.rows.iter().map(|r| r.2).collect()
}

fn total(p: &Proposal) -> u128 {
    p.rows.iter().map(|r| u128::from(r.2)).sum()
}

/// How many of the rows that change land off the grid.
fn off_grid(p: &Proposal) -> usize {
    p.changes().iter().filter(|(_, new)| !is_on_grid(*new)).count()
}

// ---- shrinking, when behind ----

#[test]
fn shrinks_in_proportion_to_whole_minutes() {
    // Ideally 400 s and 800 s: 6 and 13 minutes, the furthest below its ideal taking the
    // last minute.
    let slots = [flex(1, 600, 60), flex(2, 1200, 60), fixed(3, 300)];
    let p = rebalance(&slots, 1500);
    assert_eq!(p.rows, vec![(1, 600, 420), (2, 1200, 780), (3, 300, 300)]);
    assert_eq!((p.overrun_secs, p.ends_early_secs), (0, 0));
}

#[test]
fn on_time_changes_nothing_even_off_the_grid() {
    let slots = [flex(1, 607, 60), fixed(2, 300), flex(3, 593, 60)];
    let p = rebalance(&slots, 1500);
    assert_eq!(proposed(&p), vec![607, 300, 593]);
    assert!(p.changes().is_empty());
}

#[test]
fn clamps_at_min_and_rescales_the_rest() {
    // Scaled by 1500/2400 the first would get 375 s, under its 500 s minimum: it is held there
    // and the others share 1000 s as 2:1 (667 s and 333 s). On the grid the first rises to the
    // next whole minute above its minimum (9:00) and the others give it up.
    let slots = [flex(0, 600, 500), flex(1, 1200, 60), flex(2, 600, 60)];
    let p = rebalance(&slots, 1500);
    assert_eq!(proposed(&p), vec![540, 660, 300]);
    assert_eq!(p.overrun_secs, 0);
}

#[test]
fn clamping_cascades() {
    // At half scale only the first is under its minimum (50 < 100); once it is held at 100
    // the scale falls to 550/1200 and the second (91.7 s) drops under its 95 s as well. The
    // first keeps its planned 100 s; the second rises to the grid (2:00) and the third, off
    // by ten seconds, carries them.
    let slots = [flex(0, 100, 100), flex(1, 200, 95), flex(2, 1000, 60)];
    let p = rebalance(&slots, 650);
    assert_eq!(proposed(&p), vec![100, 120, 430]);
}

#[test]
fn reports_the_overrun_when_every_minimum_is_too_much() {
    let p = rebalance(&[flex(0, 600, 300), fixed(1, 600)], 700);
    assert_eq!(p.rows, vec![(0, 600, 300), (1, 600, 600)]);
    assert_eq!((p.overrun_secs, p.ends_early_secs), (200, 0));
    // Exactly at the minimum: on time.
    let p = rebalance(&[flex(0, 600, 300), fixed(1, 600)], 900);
    assert_eq!(proposed(&p), vec![300, 600]);
    assert_eq!((p.overrun_secs, p.ends_early_secs), (0, 0));
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

// ---- growing, when ahead ----

#[test]
fn grows_in_proportion_up_to_one_and_a_half() {
    let p = rebalance(&[flex(4, 600, 60), flex(5, 1200, 60)], 2700);
    assert_eq!(p.rows, vec![(4, 600, 900), (5, 1200, 1800)]);
    assert_eq!((p.overrun_secs, p.ends_early_secs), (0, 0));
}

#[test]
fn a_short_segment_does_not_balloon() {
    // The issue's case: 35 minutes to fill after a 4:30 exercise and a 20-minute sharing
    // round; scaled freely the exercise became 38:34. Each stops at one and a half times
    // its length, and the proposal says the session ends early.
    let slots = [flex(3, 270, 60), flex(4, 1200, 300), fixed(5, 600)];
    let p = rebalance(&slots, 35 * 60 + 600 + 20 * 60);
    assert_eq!(p.rows, vec![(3, 270, 405), (4, 1200, 1800), (5, 600, 600)]);
    assert_eq!(p.ends_early_secs, 55 * 60 - 405 - 1800);
    assert_eq!(p.overrun_secs, 0);
}

#[test]
fn a_plan_max_replaces_one_and_a_half() {
    // The discussion may double, the exercise not grow at all; the rest goes to the round.
    let slots = [
        capped(0, 600, 60, 1200),
        capped(1, 300, 60, 300),
        flex(2, 600, 60),
    ];
    let p = rebalance(&slots, 2400);
    assert_eq!(proposed(&p), vec![1200, 300, 900]);
    assert_eq!(p.ends_early_secs, 0);
}

#[test]
fn a_segment_at_its_maximum_leaves_the_rest_to_the_others() {
    // Growing 3:2 would put the first at 12 minutes, past its 10: it is held there and the
    // other takes the rest.
    let p = rebalance(&[capped(0, 480, 60, 600), flex(1, 1200, 60)], 2400);
    assert_eq!(proposed(&p), vec![600, 1800]);
}

#[test]
fn only_fixed_slots_change_nothing() {
    let p = rebalance(&[fixed(0, 300), fixed(1, 600)], 600);
    assert_eq!(proposed(&p), vec![300, 600]);
    assert_eq!((p.overrun_secs, p.ends_early_secs), (300, 0));
    let p = rebalance(&[fixed(0, 300)], 900);
    assert_eq!(proposed(&p), vec![300]);
    assert_eq!((p.overrun_secs, p.ends_early_secs), (0, 600));
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

// ---- the grid ----

#[test]
fn rounds_to_whole_minutes_with_the_odd_seconds_on_one() {
    // Ideally 810, 810, 1080 s: the first two are half a minute off. The earlier one gets
    // the minute.
    let p = rebalance(&[flex(0, 900, 60), flex(1, 900, 60), flex(2, 1200, 60)], 2700);
    assert_eq!(proposed(&p), vec![840, 780, 1080]);
    // 2000 s does not divide into minutes: 20 odd seconds land on one, the earliest of the
    // longest.
    let p = rebalance(&[flex(0, 700, 60), flex(1, 700, 60), flex(2, 700, 60)], 2000);
    assert_eq!(proposed(&p), vec![680, 660, 660]);
    assert_eq!(off_grid(&p), 1);
}

#[test]
fn half_minutes_under_five_minutes() {
    // Ideally 150 and 250 s: 2:30 and 4:00 on the half-minute grid, the last 10 s on the
    // longer.
    let p = rebalance(&[flex(0, 180, 60), flex(1, 300, 60)], 400);
    assert_eq!(proposed(&p), vec![150, 250]);
    assert_eq!(off_grid(&p), 1);
    let p = rebalance(&[flex(0, 180, 60), flex(1, 300, 60)], 390);
    assert_eq!(proposed(&p), vec![150, 240]);
    assert_eq!(off_grid(&p), 0);
}

#[test]
fn bounds_off_the_grid_are_kept() {
    // Minimums of 61 s and 7:23 (the time a current segment has run) and a maximum of 6:45:
    // no whole minute fits the second, so it carries the odd seconds.
    let slots = [flex(0, 600, 61), capped(1, 443, 443, 450), flex(2, 600, 60)];
    let p = rebalance(&slots, 1500);
    assert_eq!(total(&p), 1500);
    assert!(proposed(&p)[1] >= 443 && proposed(&p)[1] <= 450);
    assert!(proposed(&p)[0] >= 61);
    assert_eq!(off_grid(&p), 1, "{p:?}");
}

#[test]
fn when_no_single_slot_can_carry_the_seconds_they_are_spread() {
    // Both at their 7:30 maximum would be 900 s; 890 s leaves 10 s below the caps that no
    // whole-minute split can absorb on one slot.
    let p = rebalance(&[capped(0, 300, 60, 450), capped(1, 300, 60, 450)], 890);
    assert_eq!(total(&p), 890);
    assert!(proposed(&p).iter().all(|&s| (60..=450).contains(&s)), "{p:?}");
}

// ---- degenerate input ----

#[test]
fn zero_length_slots_take_time_last_and_equally() {
    let p = rebalance(&[capped(0, 0, 0, 100), capped(1, 0, 0, 100)], 100);
    assert_eq!(total(&p), 100);
    assert!(proposed(&p).iter().all(|&s| s <= 100));
    // Next to a real one a zero-length slot stays at zero until the real one is full.
    let p = rebalance(&[capped(0, 0, 0, 600), flex(1, 600, 60)], 900);
    assert_eq!(proposed(&p), vec![0, 900]);
    let p = rebalance(&[capped(0, 0, 0, 600), flex(1, 600, 60)], 1000);
    assert_eq!(proposed(&p), vec![100, 900]);
}

#[test]
fn a_slot_below_its_minimum_is_raised() {
    let p = rebalance(&[flex(0, 120, 300), flex(1, 600, 60)], 1200);
    assert!(p.rows[0].2 >= 300);
    assert_eq!(total(&p), 1200);
}

#[test]
fn empty() {
    assert_eq!(
        rebalance(&[], 100),
        Proposal {
            rows: Vec::new(),
            overrun_secs: 0,
            ends_early_secs: 100,
        }
    );
    assert_eq!(rebalance(&[], 0).overrun_secs, 0);
    assert_eq!(rebalance(&[], -100).overrun_secs, 100);
}

#[test]
fn extremes_do_not_panic() {
    let huge = [
        capped(0, u64::MAX, u64::MAX, u64::MAX),
        fixed(1, u64::MAX),
        capped(2, u64::MAX, 0, u64::MAX),
    ];
    for left in [i64::MIN, -1, 0, 1, i64::MAX] {
        let p = rebalance(&huge, left);
        assert_eq!(p.rows.len(), 3);
        assert_eq!(p.rows[1].2, u64::MAX);
    }
    let p = rebalance(
        &[capped(0, 1, 0, u64::MAX), capped(1, u64::MAX, 0, u64::MAX)],
        i64::MAX,
    );
    assert_eq!(total(&p), i64::MAX as u128);
}

#[test]
fn changes_lists_only_what_moves() {
    let p = Proposal {
        rows: vec![(1, 600, 600), (2, 900, 840), (3, 300, 300)],
        overrun_secs: 0,
        ends_early_secs: 0,
    };
    assert_eq!(p.changes(), vec![(2, 840)]);
}

// ---- on a real session ----

const SEC: i64 = 1000;
const MIN: i64 = 60 * SEC;
const T0: Millis = 1_700_000_000_000;

fn builtin() -> Plan {
    parse_plan(BUILTIN_PLAN, Path::new("p.ron")).expect("the built-in plan loads")
}

fn started_with(plan: Plan) -> State {
    let mut state = State::new(plan, Roster::default(), 7, T0);
    state.apply(&Event::ClockStarted { at: T0 });
    state
}

fn started() -> State {
    started_with(builtin())
}

fn enter(state: &mut State, index: usize, at: Millis) {
    state.apply(&Event::SegmentEntered { at, index });
}

/// Runs through the agenda: segment `i + 1` is entered at `T0 + minutes[i]` minutes.
fn walk(state: &mut State, minutes: &[i64]) {
    for (i, &m) in minutes.iter().enumerate() {
        enter(state, i + 1, T0 + m * MIN);
    }
}

fn accept(state: &mut State, p: &Proposal, at: Millis) {
    state.apply(&Event::Rebalanced {
        at,
        planned: p.changes(),
    });
}

fn min_of(state: &State, index: usize) -> u64 {
    state.plan.agenda[index]
        .min
        .map_or(DEFAULT_MIN_SECS, |m| m.as_secs())
}

#[test]
fn ten_minutes_late_in_the_first_segment_ends_on_time() {
    let mut state = started();
    // The opening is planned at 5 minutes; it is still going at 15.
    let now = T0 + 15 * MIN;
    assert_eq!(state.behind_by(now), 10 * MIN);
    let p = state.propose_rebalance(now).expect("segments are upcoming");

    let indices: Vec<usize> = p.rows.iter().map(|r| r.0).collect();
    assert_eq!(indices, (0..state.plan.agenda.len()).collect::<Vec<_>>());
    // The opening is part of it, at what it has run.
    assert_eq!(p.rows[0], (0, 5 * 60, 15 * 60));
    assert_eq!((p.overrun_secs, p.ends_early_secs), (0, 0));
    assert_eq!(total(&p), 90 * 60);
    assert_eq!(off_grid(&p), 0, "{p:?}");
    for &(index, old, new) in &p.rows[1..] {
        let segment = &state.plan.agenda[index];
        if segment.fixed {
            assert_eq!(old, new, "{} is fixed", segment.title);
        } else {
            assert!(new < old, "{} shrinks", segment.title);
            assert!(new >= min_of(&state, index));
        }
    }

    // Accepting it puts the projected end back on the planned end.
    accept(&mut state, &p, now);
    assert_eq!(state.projected_end(now), state.planned_end(now));
    assert_eq!(state.behind_by(now), 0);
    // And proposing again changes nothing.
    let again = state.propose_rebalance(now).expect("still upcoming");
    assert!(again.changes().is_empty(), "{again:?}");
}

#[test]
fn ahead_the_current_segment_grows_with_the_rest() {
    let mut state = started();
    // The opening took 2 of its 5 minutes: 3 minutes to give out, the current check-in first
    // in line.
    enter(&mut state, 1, T0 + 2 * MIN);
    let now = T0 + 2 * MIN;
    assert_eq!(state.behind_by(now), -3 * MIN);
    let p = state.propose_rebalance(now).expect("segments are upcoming");
    assert_eq!(p.rows.first().map(|r| r.0), Some(1));
    assert!(p.rows[0].2 > p.rows[0].1, "the check-in grows: {p:?}");
    assert_eq!(total(&p), 88 * 60);
    assert_eq!((p.overrun_secs, p.ends_early_secs), (0, 0));
    assert_eq!(off_grid(&p), 0, "{p:?}");
    for &(index, old, new) in &p.rows {
        assert!(new >= old && new <= old * 3 / 2, "{index}: {old} → {new}");
    }
    accept(&mut state, &p, now);
    assert_eq!(state.behind_by(now), 0);
    assert!(
        state
            .propose_rebalance(now)
            .is_some_and(|again| again.changes().is_empty())
    );
}

#[test]
fn far_ahead_ends_early_and_says_by_how_much() {
    let mut state = started();
    // In the open discussion after ten minutes: 20 minutes of it and the fixed check-out
    // cannot fill the 80 left.
    walk(&mut state, &[2, 4, 6, 8, 10]);
    let now = T0 + 10 * MIN;
    let p = state.propose_rebalance(now).expect("segments are upcoming");
    assert_eq!(p.rows, vec![(5, 20 * 60, 30 * 60), (6, 10 * 60, 10 * 60)]);
    assert_eq!(p.ends_early_secs, 40 * 60);
    assert_eq!(p.overrun_secs, 0);
    accept(&mut state, &p, now);
    assert_eq!(state.behind_by(now), -40 * MIN);
    // Nothing further to give: proposing again changes nothing and says the same.
    let again = state.propose_rebalance(now).expect("still there");
    assert!(again.changes().is_empty());
    assert_eq!(again.ends_early_secs, 40 * 60);
}

#[test]
fn the_issue_example_through_a_plan_with_a_max() {
    let plan = parse_plan(
        r#"Plan(
            title: "Grief group", kind: Support, duration: "60m",
            agenda: [
                Segment(title: "Opening", kind: Opening, duration: "15m"),
                Segment(title: "A letter not sent", kind: Exercise, duration: "4m30s"),
                Segment(title: "Sharing", kind: Discussion, duration: "30m30s", max: "45m"),
                Segment(title: "Closing", kind: Closing, duration: "10m", fixed: true),
            ],
        )"#,
        Path::new("grief.ron"),
    )
    .expect("the plan loads");
    let mut state = started_with(plan);
    // The opening ends after one minute: 14 minutes to spare.
    enter(&mut state, 1, T0 + MIN);
    let now = T0 + MIN;
    let p = state.propose_rebalance(now).expect("segments are upcoming");
    // Scaled by 1.4 the letter would be 6:18: 6:00 on the grid (7:00 is past its 6:45), and
    // the sharing takes the rest within its own `max`.
    assert_eq!(
        p.rows,
        vec![(1, 270, 360), (2, 1830, 2580), (3, 600, 600)],
        "{p:?}"
    );
    assert_eq!(total(&p), 59 * 60);
    assert_eq!(p.ends_early_secs, 0);
    // Further ahead instead, after a one-minute opening and a one-minute letter: the sharing
    // stops at its `max`, and the session ends early.
    let mut state = started_with(state.plan.clone());
    walk(&mut state, &[1, 2]);
    let p = state
        .propose_rebalance(T0 + 2 * MIN)
        .expect("segments are upcoming");
    assert_eq!(p.rows, vec![(2, 1830, 2700), (3, 600, 600)]);
    assert_eq!(p.ends_early_secs, 58 * 60 - 2700 - 600);
}

#[test]
fn behind_the_current_segment_never_drops_below_what_it_has_run() {
    let mut state = started();
    enter(&mut state, 1, T0 + 15 * MIN);
    // Fourteen minutes into the 15-minute check-in, the session 10 minutes behind.
    let now = T0 + 29 * MIN;
    let p = state.propose_rebalance(now).expect("segments are upcoming");
    let current = p.rows[0];
    assert_eq!(current.0, 1);
    assert!(current.2 >= 14 * 60 && current.2 < 15 * 60, "{p:?}");
    assert_eq!(total(&p), (90 - 15) * 60);
    assert_eq!(p.overrun_secs, 0);
    accept(&mut state, &p, now);
    assert_eq!(state.behind_by(now), 0);
    assert!(state.segment_remaining(now) >= 0);
}

#[test]
fn segments_jumped_over_are_part_of_it() {
    let mut state = started();
    // From the opening straight to the thought record: the check-in and the psychoeducation
    // are still to come, and the projected end counts them.
    enter(&mut state, 3, T0 + 5 * MIN);
    let now = T0 + 5 * MIN;
    let p = state.propose_rebalance(now).expect("segments are upcoming");
    let indices: Vec<usize> = p.rows.iter().map(|r| r.0).collect();
    assert_eq!(indices, vec![1, 2, 3, 4, 5, 6]);
    assert!(p.changes().is_empty(), "on time: {p:?}");
    // Thirty minutes into the 20-minute thought record, ten behind: accepting ends on time.
    let later = now + 30 * MIN;
    let p = state.propose_rebalance(later).expect("segments are upcoming");
    accept(&mut state, &p, later);
    assert_eq!(state.behind_by(later), 0);
}

#[test]
fn rebalanced_applies_to_the_current_segment() {
    let mut state = started();
    enter(&mut state, 1, T0 + 5 * MIN);
    let now = T0 + 10 * MIN;
    // Five minutes into the 15-minute check-in.
    assert_eq!(state.segment_remaining(now), 10 * MIN);
    state.apply(&Event::Rebalanced {
        at: now,
        planned: vec![(1, 18 * 60), (2, 12 * 60)],
    });
    assert_eq!(state.segment_remaining(now), 13 * MIN);
    assert_eq!(state.segments[1].planned_ms, 18 * MIN);
    assert_eq!(state.segments[2].planned_ms, 12 * MIN);
    assert_eq!(
        state.rebalances.last().map(|r| r.changes.clone()),
        Some(vec![(1, 900, 1080), (2, 900, 720)])
    );
}

#[test]
fn a_fixed_current_segment_in_overtime_keeps_its_length_and_the_rest_pays() {
    let mut state = started();
    // The 5-minute break (fixed) entered at 55 minutes runs 3 minutes over.
    walk(&mut state, &[5, 20, 35, 55]);
    let now = T0 + 63 * MIN;
    let p = state.propose_rebalance(now).expect("segments are upcoming");
    assert_eq!(p.rows[0], (4, 5 * 60, 5 * 60));
    // 27 minutes remain until the planned end; the check-out is fixed at 10.
    assert_eq!(p.rows[1].2, 17 * 60);
    accept(&mut state, &p, now);
    assert_eq!(state.behind_by(now), 0);
}

#[test]
fn on_the_last_segment_only_it_is_proposed() {
    let mut state = started();
    let last = state.plan.agenda.len() - 1;
    walk(&mut state, &[1, 2, 3, 4, 5, 6]);
    let p = state
        .propose_rebalance(T0 + 7 * MIN)
        .expect("the current segment");
    assert_eq!(p.rows.len(), 1);
    assert_eq!(p.rows[0].0, last);
    // It is fixed: it stays, and the session ends early.
    assert!(p.changes().is_empty());
    assert_eq!(p.ends_early_secs, (90 - 6 - 10) * 60);
}

#[test]
fn ended_gives_none() {
    let mut state = started();
    state.apply(&Event::Ended { at: T0 + MIN });
    assert_eq!(state.propose_rebalance(T0 + 2 * MIN), None);
}

#[test]
fn far_behind_reports_the_overrun() {
    let state = started();
    let now = T0 + 80 * MIN;
    let p = state.propose_rebalance(now).expect("segments are upcoming");
    // The opening has run 80 minutes; fixed 15 minutes, minimums 8 + 1 + 1 + 1 minutes.
    assert_eq!(p.overrun_secs, (80 + 15 + 8 + 1 + 1 + 1 - 90) * 60);
    assert_eq!(p.rows[0], (0, 5 * 60, 80 * 60));
    for &(index, _, new) in &p.rows[1..] {
        let segment = &state.plan.agenda[index];
        let expected = if segment.fixed {
            segment.duration.as_secs()
        } else {
            min_of(&state, index)
        };
        assert_eq!(new, expected, "{}", segment.title);
    }
}

// ---- properties ----

fn arb_slots() -> impl Strategy<Value = Vec<Slot>> {
    prop::collection::vec(
        (
            0u64..7200,
            0u64..3600,
            prop::option::of(0u64..10_800),
            any::<bool>(),
        ),
        0..8,
    )
    .prop_map(|raw| {
        raw.into_iter()
            .enumerate()
            .map(|(i, (planned_secs, min_secs, max, fixed))| Slot {
                index: 2 * i + 1,
                planned_secs,
                min_secs,
                max_secs: max.unwrap_or(planned_secs * 3 / 2),
                fixed,
            })
            .collect()
    })
}

/// Slots whose lengths and bounds are whole minutes, as most plans write them.
fn arb_minute_slots() -> impl Strategy<Value = Vec<Slot>> {
    prop::collection::vec((1u64..90, 0u64..30, 0u64..60, any::<bool>()), 0..8).prop_map(|raw| {
        raw.into_iter()
            .enumerate()
            .map(|(i, (planned, min, extra, fixed))| Slot {
                index: i,
                planned_secs: planned * 60,
                min_secs: min.min(planned) * 60,
                max_secs: (planned + extra) * 60,
                fixed,
            })
            .collect()
    })
}

fn arb_extreme_slots() -> impl Strategy<Value = Vec<Slot>> {
    prop::collection::vec(
        (
            any::<u64>(),
            any::<u64>(),
            any::<u64>(),
            any::<bool>(),
            any::<usize>(),
        ),
        0..6,
    )
    .prop_map(|raw| {
        raw.into_iter()
            .map(|(planned_secs, min_secs, max_secs, fixed, index)| Slot {
                index,
                planned_secs,
                min_secs,
                max_secs,
                fixed,
            })
            .collect()
    })
}

/// Every invariant that holds for any input: bounds, fixed slots, and a total that is the
/// time left whenever the bounds allow it, the overrun or early end otherwise.
fn check_invariants(slots: &[Slot], left: i64, p: &Proposal) -> Result<(), TestCaseError> {
    prop_assert_eq!(p.rows.len(), slots.len());
    let (mut floor, mut ceiling) = (0u128, 0u128);
    for (slot, &(index, old, new)) in slots.iter().zip(&p.rows) {
        prop_assert_eq!(index, slot.index);
        prop_assert_eq!(old, slot.planned_secs);
        if slot.fixed {
            prop_assert_eq!(new, slot.planned_secs);
            floor += u128::from(slot.planned_secs);
            ceiling += u128::from(slot.planned_secs);
        } else {
            let (lo, hi) = (slot.min_secs, slot.max_secs.max(slot.min_secs));
            prop_assert!(new >= lo, "{} below its minimum {}", new, lo);
            prop_assert!(new <= hi, "{} above its maximum {}", new, hi);
            floor += u128::from(lo);
            ceiling += u128::from(hi);
        }
    }
    let left = i128::from(left);
    let expected = left.clamp(floor as i128, ceiling as i128);
    prop_assert_eq!(total(p) as i128, expected);
    let saturate = |v: i128| v.max(0).min(i128::from(u64::MAX));
    prop_assert_eq!(i128::from(p.overrun_secs), saturate(floor as i128 - left));
    prop_assert_eq!(i128::from(p.ends_early_secs), saturate(left - ceiling as i128));
    Ok(())
}

/// Whether some split keeps every bound and the total of `ideal` with at most one value off
/// the grid (the carrier), every other value on one of the grid points next to its ideal or
/// one step further: the neighbourhood the rounding searches.
fn one_odd_split_nearby(ideal: &[u64], lo: &[u64], hi: &[u64]) -> bool {
    let grid: Vec<u64> = (0..=4000).filter(|&v| is_on_grid(v)).collect();
    let near = |x: u64| -> Vec<u64> {
        let below = grid.iter().rposition(|&g| g <= x).unwrap_or(0);
        let above = grid.iter().position(|&g| g >= x).unwrap_or(grid.len() - 1);
        grid[below.saturating_sub(1)..=(above + 1).min(grid.len() - 1)].to_vec()
    };
    let total: i64 = ideal.iter().map(|&x| x as i64).sum();
    (0..ideal.len()).any(|carrier| {
        // Every total the others can make, then whether the carrier can take the rest.
        let mut sums = vec![0i64];
        for i in (0..ideal.len()).filter(|&i| i != carrier) {
            let options: Vec<i64> = near(ideal[i])
                .into_iter()
                .filter(|&v| (lo[i]..=hi[i]).contains(&v))
                .map(|v| v as i64)
                .collect();
            sums = sums
                .iter()
                .flat_map(|s| options.iter().map(move |v| s + v))
                .collect();
            sums.sort_unstable();
            sums.dedup();
        }
        sums.iter()
            .any(|s| (lo[carrier] as i64..=hi[carrier] as i64).contains(&(total - s)))
    })
}

fn accepted(slots: &[Slot], p: &Proposal) -> Vec<Slot> {
    slots
        .iter()
        .zip(&p.rows)
        .map(|(s, row)| Slot {
            planned_secs: row.2,
            ..*s
        })
        .collect()
}

/// Commands that move through the agenda and its time, for sessions in any state.
fn command() -> impl Strategy<Value = Command> {
    prop_oneof![
        Just(Command::StartPause),
        Just(Command::NextSegment),
        Just(Command::PreviousSegment),
        (0usize..8).prop_map(Command::JumpTo),
        Just(Command::Skip),
        (-600i64..600).prop_map(Command::Adjust),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn total_and_bounds_hold(slots in arb_slots(), left in -7200i64..40_000) {
        let p = rebalance(&slots, left);
        check_invariants(&slots, left, &p)?;
    }

    #[test]
    fn never_panics(slots in arb_extreme_slots(), left in any::<i64>()) {
        let p = rebalance(&slots, left);
        check_invariants(&slots, left, &p)?;
    }

    #[test]
    fn deterministic(slots in arb_slots(), left in -7200i64..40_000) {
        prop_assert_eq!(rebalance(&slots, left), rebalance(&slots, left));
    }

    #[test]
    fn accepting_then_proposing_again_changes_nothing(slots in arb_slots(), left in -7200i64..40_000) {
        let p = rebalance(&slots, left);
        let again = rebalance(&accepted(&slots, &p), left);
        prop_assert!(again.changes().is_empty(), "{:?} then {:?}", p, again);
        prop_assert_eq!(again.overrun_secs, p.overrun_secs);
        prop_assert_eq!(again.ends_early_secs, p.ends_early_secs);
    }

    #[test]
    fn whole_minutes_in_whole_minute_plans(slots in arb_minute_slots(), left in -600i64..30_000) {
        let p = rebalance(&slots, left);
        check_invariants(&slots, left, &p)?;
        prop_assert!(off_grid(&p) <= 1, "{:?}", p);
        if left % 60 == 0 {
            prop_assert_eq!(off_grid(&p), 0, "{:?}", p);
        }
    }

    /// The grid rounding keeps the total and every bound, and leaves at most one value off the
    /// grid whenever such a split exists near the ideal.
    #[test]
    fn rounding_is_exact_and_needs_one_odd_value_at_most(
        raw in prop::collection::vec((0u64..900, 0u64..400, 0u64..400), 1..5),
    ) {
        let lo: Vec<u64> = raw.iter().map(|r| r.0).collect();
        let hi: Vec<u64> = raw.iter().map(|r| r.0 + r.1).collect();
        let ideal: Vec<u64> = raw.iter().map(|r| r.0 + r.2.min(r.1)).collect();
        let out = grid::round(&ideal, &lo, &hi);
        prop_assert_eq!(out.iter().sum::<u64>(), ideal.iter().sum::<u64>());
        for i in 0..out.len() {
            prop_assert!(lo[i] <= out[i] && out[i] <= hi[i], "{:?} outside {:?}..{:?}", out, lo, hi);
        }
        let odd = out.iter().filter(|&&v| !is_on_grid(v)).count();
        if one_odd_split_nearby(&ideal, &lo, &hi) {
            prop_assert!(odd <= 1, "{:?} from {:?} in {:?}..{:?}", out, ideal, lo, hi);
        }
    }

    /// On a session driven by any commands: the current segment is proposed, never below what
    /// it has run; the proposal ends on time whenever the bounds allow; accepting it ends on
    /// time, and proposing again at once changes nothing.
    #[test]
    fn on_any_session(
        steps in prop::collection::vec((0i64..600_000, command()), 0..30),
        wait in 0i64..3_600_000,
    ) {
        let mut state = started();
        let mut now = T0;
        for (gap, command) in steps {
            now += gap;
            for event in decide(&state, command, now) {
                state.apply(&event);
            }
        }
        now += wait;
        let Some(p) = state.propose_rebalance(now) else {
            prop_assert!(state.is_ended() || state.segments[state.current].status != SegmentStatus::Current);
            return Ok(());
        };
        if state.segments[state.current].status == SegmentStatus::Current {
            let row = p.rows.iter().copied().find(|r| r.0 == state.current);
            prop_assert!(row.is_some(), "the current segment is proposed: {:?}", p);
            let row = row.unwrap_or_default();
            if !state.plan.agenda[state.current].fixed {
                prop_assert!(i64::try_from(row.2).unwrap_or(i64::MAX) * 1000 >= state.segment_elapsed(state.current, now));
            }
        }
        accept(&mut state, &p, now);
        let behind = state.behind_by(now);
        let off = i64::try_from(p.overrun_secs).unwrap_or(i64::MAX) * 1000
            - i64::try_from(p.ends_early_secs).unwrap_or(i64::MAX) * 1000;
        // Whole seconds of a session that runs to the millisecond: within one second.
        prop_assert!(behind <= off && behind > off - 1000, "behind {} with {:?}", behind, p);
        let again = state.propose_rebalance(now).expect("it was there a moment ago");
        prop_assert!(again.changes().is_empty(), "{:?} then {:?}", p, again);
    }
}
