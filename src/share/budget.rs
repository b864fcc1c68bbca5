//! The global bound on guessing: however many addresses an attacker draws on, the
//! facilitator checks at most `capacity` join codes that turn out wrong in any `period`.
//!
//! A sliding window sits in front of the key exchange: a handshake takes a place before the
//! facilitator computes anything for it, and gives it back if its code was right (so
//! trainees who know the code cost nothing); a wrong code keeps its place for a whole
//! period. Without a place, the hello is answered "throttled" and the code is never
//! checked: briefly when checks under way may still give theirs back (a class joining at
//! once), until the oldest wrong code leaves the window when the bound is reached. Time is
//! passed in.

use std::collections::VecDeque;
use std::time::{Duration, Instant};

/// Places for checking join codes, shared by every address.
#[derive(Debug, Clone)]
pub(crate) struct GuessBudget {
    capacity: usize,
    period: Duration,
    /// When each wrong code of the last period was settled, oldest first.
    wrong: VecDeque<Instant>,
    /// Checks under way: each may still turn out wrong.
    in_flight: usize,
}

/// Why no code can be checked now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum NoToken {
    /// Checks under way hold the places; one may come back in a moment.
    Soon,
    /// The bound is reached: a place comes free after this long.
    Until(Duration),
}

impl GuessBudget {
    /// At most `capacity` wrong codes checked in any `period`.
    pub(crate) fn new(capacity: u32, period: Duration) -> GuessBudget {
        let capacity = usize::try_from(capacity.max(1)).unwrap_or(usize::MAX);
        GuessBudget {
            capacity,
            period,
            wrong: VecDeque::with_capacity(capacity.min(64)),
            in_flight: 0,
        }
    }

    /// Takes a place to check one code; settle it with [`give_back`] or [`spend`].
    ///
    /// [`give_back`]: GuessBudget::give_back
    /// [`spend`]: GuessBudget::spend
    pub(crate) fn take(&mut self, now: Instant) -> Result<(), NoToken> {
        while self
            .wrong
            .front()
            .is_some_and(|at| now.saturating_duration_since(*at) >= self.period)
        {
            self.wrong.pop_front();
        }
        if self.wrong.len() + self.in_flight < self.capacity {
            self.in_flight += 1;
            return Ok(());
        }
        match self.wrong.front() {
            Some(oldest) if self.in_flight == 0 => Err(NoToken::Until(
                (*oldest + self.period)
                    .saturating_duration_since(now)
                    .max(Duration::from_millis(1)),
            )),
            _ => Err(NoToken::Soon),
        }
    }

    /// The code was right: the check is not counted against the bound.
    pub(crate) fn give_back(&mut self) {
        self.in_flight = self.in_flight.saturating_sub(1);
    }

    /// The code was wrong (or the check never finished): it counts for a whole period.
    pub(crate) fn spend(&mut self, now: Instant) {
        self.in_flight = self.in_flight.saturating_sub(1);
        self.wrong.push_back(now);
    }
}

/// How many things happened in the last minute, by the second: a fixed-size record
/// whatever the rate, so an attack cannot make it grow.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LastMinute {
    start: Instant,
    /// The second (since `start`) of the newest count.
    newest: u64,
    counts: [u32; 60],
}

impl LastMinute {
    pub(crate) fn new(start: Instant) -> LastMinute {
        LastMinute {
            start,
            newest: 0,
            counts: [0; 60],
        }
    }

    fn second(&self, at: Instant) -> u64 {
        at.saturating_duration_since(self.start).as_secs()
    }

    /// Forgets the seconds that are over a minute old at `second`.
    fn advance(&mut self, second: u64) {
        if second <= self.newest {
            return;
        }
        let gap = (second - self.newest).min(60);
        for step in 1..=gap {
            self.counts[((self.newest + step) % 60) as usize] = 0;
        }
        self.newest = second;
    }

    pub(crate) fn record(&mut self, at: Instant) {
        let second = self.second(at).max(self.newest);
        self.advance(second);
        let slot = &mut self.counts[(second % 60) as usize];
        *slot = slot.saturating_add(1);
    }

    /// How many in the minute up to `now`.
    pub fn count(&self, now: Instant) -> u32 {
        let second = self.second(now);
        if second >= self.newest + 60 {
            return 0;
        }
        // Seconds before `second - 59` no longer count.
        let from = second.saturating_sub(59).max(self.newest.saturating_sub(59));
        (from..=self.newest)
            .map(|s| self.counts[(s % 60) as usize])
            .fold(0u32, u32::saturating_add)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MIN: Duration = Duration::from_secs(60);

    #[test]
    fn ten_checks_in_any_minute_whatever_the_demand() {
        let t0 = Instant::now();
        let mut budget = GuessBudget::new(10, MIN);
        let mut checked: Vec<u64> = Vec::new();
        // A try every millisecond for ten minutes, each a wrong code.
        for ms in 0..600_000u64 {
            let now = t0 + Duration::from_millis(ms);
            if budget.take(now).is_ok() {
                budget.spend(now);
                checked.push(ms);
            }
        }
        assert_eq!(checked.len(), 100);
        for (i, at) in checked.iter().enumerate() {
            let in_window = checked[i..]
                .iter()
                .take_while(|later| **later < at + 60_000)
                .count();
            assert!(in_window <= 10, "{in_window} checks in the minute from {at} ms");
        }
    }

    #[test]
    fn an_exhausted_budget_says_when_the_next_check_comes() {
        let t0 = Instant::now();
        let mut budget = GuessBudget::new(10, MIN);
        for _ in 0..10 {
            assert!(budget.take(t0).is_ok());
        }
        assert_eq!(
            budget.take(t0),
            Err(NoToken::Soon),
            "the ten checks may still give theirs back"
        );
        for s in 0..9 {
            budget.spend(t0 + Duration::from_secs(s));
        }
        budget.give_back();
        assert!(budget.take(t0).is_ok(), "a right code gave its place back");
        budget.spend(t0 + Duration::from_secs(9));
        assert_eq!(
            budget.take(t0 + Duration::from_secs(20)),
            Err(NoToken::Until(Duration::from_secs(40)))
        );
        assert!(
            budget.take(t0 + Duration::from_secs(60)).is_ok(),
            "the first wrong code left the window"
        );
        assert_eq!(budget.take(t0 + Duration::from_secs(60)), Err(NoToken::Soon));
    }

    #[test]
    fn right_codes_are_given_back_and_cost_nothing() {
        let t0 = Instant::now();
        let mut budget = GuessBudget::new(10, MIN);
        for _ in 0..100 {
            assert!(budget.take(t0).is_ok());
            budget.give_back();
        }
        for _ in 0..10 {
            assert!(budget.take(t0).is_ok());
            budget.spend(t0);
        }
        assert!(budget.take(t0).is_err());
    }

    #[test]
    fn the_last_minute_forgets_older_seconds() {
        let t0 = Instant::now();
        let mut recent = LastMinute::new(t0);
        assert_eq!(recent.count(t0), 0);
        for s in 0..30 {
            recent.record(t0 + Duration::from_secs(s));
            recent.record(t0 + Duration::from_secs(s));
        }
        assert_eq!(recent.count(t0 + Duration::from_secs(30)), 60);
        assert_eq!(recent.count(t0 + Duration::from_secs(59)), 60);
        assert_eq!(recent.count(t0 + Duration::from_secs(60)), 58, "second 0 is gone");
        assert_eq!(recent.count(t0 + Duration::from_secs(88)), 2);
        assert_eq!(recent.count(t0 + Duration::from_secs(89)), 0);
        recent.record(t0 + Duration::from_secs(500));
        assert_eq!(recent.count(t0 + Duration::from_secs(500)), 1);
        assert_eq!(recent.count(t0 + Duration::from_secs(10_000)), 0);
    }
}
