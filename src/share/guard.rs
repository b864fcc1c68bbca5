//! What stands between a hello and the code check: the address's wait after wrong codes
//! ([`Throttle`]), the global bound on checks ([`GuessBudget`]), and the code in force,
//! which is retired after `retire_after` wrong codes (trainees already linked stay).

use std::net::IpAddr;
use std::time::{Duration, Instant};

use super::budget::{GuessBudget, NoToken};
use super::throttle::Throttle;

/// How long a trainee turned away only because checks are under way waits to try again.
pub(crate) const SOON: Duration = Duration::from_millis(250);

/// Why a hello is not checked now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Refusal {
    /// The address is waiting after wrong codes.
    Address(Duration),
    /// The global bound on wrong codes is reached.
    Bound(Duration),
    /// Other checks hold the places for a moment.
    Soon,
}

impl Refusal {
    pub(crate) fn wait(self) -> Duration {
        match self {
            Refusal::Address(wait) | Refusal::Bound(wait) => wait,
            Refusal::Soon => SOON,
        }
    }

    /// Whether this counts as a guess turned away (for the facilitator's warning).
    pub(crate) fn is_guess(self) -> bool {
        !matches!(self, Refusal::Soon)
    }
}

#[derive(Debug)]
pub(crate) struct Guard {
    code: String,
    wrong_on_code: u32,
    retire_after: u32,
    budget: GuessBudget,
    pub(crate) throttle: Throttle,
}

impl Guard {
    pub(crate) fn new(code: String, retire_after: u32, budget: GuessBudget, throttle: Throttle) -> Guard {
        Guard {
            code,
            wrong_on_code: 0,
            retire_after: retire_after.max(1),
            budget,
            throttle,
        }
    }

    /// The join code in force.
    pub(crate) fn code(&self) -> &str {
        &self.code
    }

    /// May the code from `ip` be checked now? Yes: the code in force, and a place in the
    /// budget that must be settled.
    pub(crate) fn admit(&mut self, ip: IpAddr, now: Instant) -> Result<String, Refusal> {
        if let Some(wait) = self.throttle.wait(ip, now) {
            return Err(Refusal::Address(wait));
        }
        match self.budget.take(now) {
            Ok(()) => Ok(self.code.clone()),
            Err(NoToken::Soon) => Err(Refusal::Soon),
            Err(NoToken::Until(wait)) => Err(Refusal::Bound(wait)),
        }
    }

    /// The right code: its place comes back and the address's slate is clean.
    pub(crate) fn right(&mut self, ip: IpAddr) {
        self.budget.give_back();
        self.throttle.forgive(ip);
    }

    /// A wrong code from `ip`. Returns the new code when this one is retired; `fresh` makes
    /// it (`None`: no random source, the code stays).
    pub(crate) fn wrong(
        &mut self,
        ip: IpAddr,
        now: Instant,
        fresh: impl FnOnce() -> Option<String>,
    ) -> Option<String> {
        self.budget.spend(now);
        self.throttle.strike(ip, now);
        self.wrong_on_code += 1;
        if self.wrong_on_code < self.retire_after {
            return None;
        }
        let code = fresh()?;
        self.code = code.clone();
        self.wrong_on_code = 0;
        Some(code)
    }

    /// The check never finished (the peer left or timed out before the verdict): it
    /// learned nothing (the facilitator proves the code only after the trainee has), so
    /// its place comes back; but it cost a key exchange, so its address waits as after a
    /// wrong code.
    pub(crate) fn abandoned(&mut self, ip: IpAddr, now: Instant) {
        self.budget.give_back();
        self.throttle.strike(ip, now);
    }

    /// A handshake stopped after its hello, sending no code to check: it held no place,
    /// but it cost a key exchange, so its address waits as after a wrong code.
    pub(crate) fn stalled(&mut self, ip: IpAddr, now: Instant) {
        self.throttle.strike(ip, now);
    }
}

#[cfg(test)]
mod tests {
    use std::net::Ipv4Addr;

    use super::*;

    fn guard() -> Guard {
        Guard::new(
            "plum-river-42".into(),
            3,
            GuessBudget::new(10, Duration::from_secs(60)),
            Throttle::new(Duration::from_secs(1), Duration::from_secs(60)),
        )
    }

    #[test]
    fn the_code_is_retired_after_enough_wrong_ones() {
        let t0 = Instant::now();
        let mut guard = guard();
        let mut fresh = ["fig-otter-17", "oak-heron-55"].into_iter().map(String::from);
        for n in 0..3u8 {
            let ip = IpAddr::V4(Ipv4Addr::new(127, 0, 0, 10 + n));
            assert_eq!(guard.admit(ip, t0).as_deref(), Ok("plum-river-42"));
            let retired = guard.wrong(ip, t0, || fresh.next());
            assert_eq!(retired.is_some(), n == 2, "retired after the third");
        }
        let ip = IpAddr::V4(Ipv4Addr::new(127, 0, 0, 99));
        assert_eq!(guard.admit(ip, t0).as_deref(), Ok("fig-otter-17"));
        guard.right(ip);
    }

    #[test]
    fn an_address_that_guessed_waits_and_others_share_the_bound() {
        let t0 = Instant::now();
        let mut guard = guard();
        let bad = IpAddr::V4(Ipv4Addr::new(127, 0, 0, 2));
        assert!(guard.admit(bad, t0).is_ok());
        guard.wrong(bad, t0, || None);
        assert_eq!(
            guard.admit(bad, t0),
            Err(Refusal::Address(Duration::from_secs(1)))
        );
        assert!(Refusal::Address(Duration::ZERO).is_guess());
        assert!(!Refusal::Soon.is_guess());
        assert_eq!(Refusal::Soon.wait(), SOON);
        // Nine more wrong codes from nine addresses, and the bound is reached for everyone.
        for n in 0..9u8 {
            let ip = IpAddr::V4(Ipv4Addr::new(127, 1, 0, n));
            assert!(guard.admit(ip, t0).is_ok());
            guard.wrong(ip, t0, || None);
        }
        let fresh = IpAddr::V4(Ipv4Addr::new(127, 2, 0, 1));
        assert_eq!(
            guard.admit(fresh, t0),
            Err(Refusal::Bound(Duration::from_secs(60)))
        );
        let later = t0 + Duration::from_secs(60);
        assert!(guard.admit(fresh, later).is_ok());
        guard.abandoned(fresh, later);
        assert!(
            matches!(guard.admit(fresh, later), Err(Refusal::Address(_))),
            "an address that leaves mid-check waits"
        );
        for n in 0..10u8 {
            let ip = IpAddr::V4(Ipv4Addr::new(127, 3, 0, n));
            assert!(guard.admit(ip, later).is_ok(), "the place came back: {n}");
            guard.wrong(ip, later, || None);
        }
    }
}
