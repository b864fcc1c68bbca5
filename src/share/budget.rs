//! The global bound on guessing: however many addresses an attacker draws on, the
//! facilitator checks at most `capacity` join codes per `period` that turn out wrong.
//!
//! A token bucket sits in front of the key exchange: a handshake takes a token before the
//! facilitator computes anything for it, and gets it back if its code was right (so
//! trainees who know the code cost nothing). Without a token, the hello is answered
//! "throttled" and the code is never checked: briefly when checks under way may still give
//! theirs back (a class joining at once), until the next token when the bound is reached.
//! Time is passed in.

use std::time::{Duration, Instant};

/// Tokens for checking join codes, shared by every address.
#[derive(Debug, Clone)]
pub(crate) struct GuessBudget {
    capacity: u32,
    /// One token comes back this often.
    every: Duration,
    tokens: u32,
    /// When the next token comes back (while below capacity).
    next: Instant,
    /// Tokens taken by checks not yet settled.
    in_flight: u32,
}

/// Why no code can be checked now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum NoToken {
    /// Checks under way hold the tokens; one may come back in a moment.
    Soon,
    /// The bound is reached: the next token comes back after this long.
    Until(Duration),
}

impl GuessBudget {
    /// `capacity` checks per `period`, all available at first.
    pub(crate) fn new(capacity: u32, period: Duration, now: Instant) -> GuessBudget {
        let capacity = capacity.max(1);
        GuessBudget {
            capacity,
            every: period / capacity,
            tokens: capacity,
            next: now,
            in_flight: 0,
        }
    }

    fn refill(&mut self, now: Instant) {
        if self.tokens >= self.capacity {
            self.next = now;
            return;
        }
        while self.tokens < self.capacity && self.next + self.every <= now {
            self.tokens += 1;
            self.next += self.every;
        }
        if self.tokens >= self.capacity {
            self.next = now;
        }
    }

    /// Takes a token to check one code; settle it with [`give_back`] or [`spend`].
    ///
    /// [`give_back`]: GuessBudget::give_back
    /// [`spend`]: GuessBudget::spend
    pub(crate) fn take(&mut self, now: Instant) -> Result<(), NoToken> {
        self.refill(now);
        if self.tokens == 0 {
            return Err(if self.in_flight > 0 {
                NoToken::Soon
            } else {
                NoToken::Until(
                    (self.next + self.every)
                        .saturating_duration_since(now)
                        .max(Duration::from_millis(1)),
                )
            });
        }
        if self.tokens == self.capacity {
            // The refill clock starts with the first token spent.
            self.next = now;
        }
        self.tokens -= 1;
        self.in_flight += 1;
        Ok(())
    }

    /// The code was right: the check is not counted against the bound.
    pub(crate) fn give_back(&mut self) {
        self.in_flight = self.in_flight.saturating_sub(1);
        self.tokens = (self.tokens + 1).min(self.capacity);
    }

    /// The code was wrong (or the check never finished): the token is gone.
    pub(crate) fn spend(&mut self) {
        self.in_flight = self.in_flight.saturating_sub(1);
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
    fn ten_checks_a_minute_whatever_the_demand() {
        let t0 = Instant::now();
        let mut budget = GuessBudget::new(10, MIN, t0);
        let mut granted = 0;
        // Ten thousand tries a second for ten minutes.
        for ms in 0..600_000u64 {
            if budget.take(t0 + Duration::from_millis(ms)).is_ok() {
                budget.spend();
                granted += 1;
            }
        }
        // The first ten at once, then one every 6 s: 10 + 100 - 1.
        assert!((108..=110).contains(&granted), "{granted} checks in ten minutes");
    }

    #[test]
    fn an_empty_budget_says_when_the_next_check_comes() {
        let t0 = Instant::now();
        let mut budget = GuessBudget::new(10, MIN, t0);
        for _ in 0..10 {
            assert!(budget.take(t0).is_ok());
        }
        assert_eq!(
            budget.take(t0),
            Err(NoToken::Soon),
            "the ten checks may still give theirs back"
        );
        for _ in 0..9 {
            budget.spend();
        }
        budget.give_back();
        assert!(budget.take(t0).is_ok(), "a right code gave its token back");
        budget.spend();
        assert_eq!(budget.take(t0), Err(NoToken::Until(Duration::from_secs(6))));
        assert_eq!(
            budget.take(t0 + Duration::from_secs(4)),
            Err(NoToken::Until(Duration::from_secs(2)))
        );
        assert!(budget.take(t0 + Duration::from_secs(6)).is_ok());
        budget.spend();
        assert!(budget.take(t0 + Duration::from_secs(7)).is_err());
    }

    #[test]
    fn right_codes_are_given_back_and_cost_nothing() {
        let t0 = Instant::now();
        let mut budget = GuessBudget::new(10, MIN, t0);
        for _ in 0..100 {
            assert!(budget.take(t0).is_ok());
            budget.give_back();
        }
        for _ in 0..10 {
            assert!(budget.take(t0).is_ok());
            budget.spend();
        }
        assert!(budget.take(t0).is_err());
    }

    #[test]
    fn a_full_budget_refills_no_further_after_a_quiet_spell() {
        let t0 = Instant::now();
        let mut budget = GuessBudget::new(10, MIN, t0);
        let later = t0 + Duration::from_secs(3600);
        for _ in 0..10 {
            assert!(budget.take(later).is_ok());
            budget.spend();
        }
        assert!(
            budget.take(later).is_err(),
            "an hour of quiet saves up no more than ten"
        );
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
