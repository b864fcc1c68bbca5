//! Wrong codes, by address: after each one the address waits twice as long (1 s, 2 s,
//! 4 s … up to a minute) before its next handshake is heard, and handshakes from one
//! address go one at a time, so many connections at once buy no extra guesses.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Strikes older than this are forgotten.
const FORGET_AFTER: Duration = Duration::from_secs(600);

#[derive(Debug)]
struct Record {
    strikes: u32,
    until: Instant,
    last: Instant,
    /// Held for the whole of a handshake from this address.
    gate: Arc<tokio::sync::Mutex<()>>,
}

#[derive(Debug)]
pub(crate) struct Throttle {
    first: Duration,
    max: Duration,
    by_ip: HashMap<IpAddr, Record>,
}

impl Throttle {
    pub(crate) fn new(first: Duration, max: Duration) -> Throttle {
        Throttle {
            first,
            max,
            by_ip: HashMap::new(),
        }
    }

    /// The lock that makes handshakes from one address take turns.
    pub(crate) fn gate(&mut self, ip: IpAddr, now: Instant) -> Arc<tokio::sync::Mutex<()>> {
        self.prune(now);
        let record = self.by_ip.entry(ip).or_insert_with(|| Record {
            strikes: 0,
            until: now,
            last: now,
            gate: Arc::new(tokio::sync::Mutex::new(())),
        });
        record.gate.clone()
    }

    /// How long this address must still wait, if at all.
    pub(crate) fn wait(&self, ip: IpAddr, now: Instant) -> Option<Duration> {
        let record = self.by_ip.get(&ip)?;
        (record.strikes > 0 && record.until > now).then(|| record.until - now)
    }

    /// A wrong code from this address: it waits longer before the next try.
    pub(crate) fn strike(&mut self, ip: IpAddr, now: Instant) -> Duration {
        let (first, max) = (self.first, self.max);
        let record = self.by_ip.entry(ip).or_insert_with(|| Record {
            strikes: 0,
            until: now,
            last: now,
            gate: Arc::new(tokio::sync::Mutex::new(())),
        });
        if now.duration_since(record.last) > FORGET_AFTER {
            record.strikes = 0;
        }
        record.strikes = record.strikes.saturating_add(1);
        let doubling = 2u32.saturating_pow(record.strikes.saturating_sub(1).min(30));
        let wait = first.saturating_mul(doubling).min(max);
        record.until = now + wait;
        record.last = now;
        wait
    }

    /// The right code from this address: its slate is clean.
    pub(crate) fn forgive(&mut self, ip: IpAddr) {
        if let Some(record) = self.by_ip.get_mut(&ip) {
            record.strikes = 0;
        }
    }

    /// Drops records of addresses with no recent strike and no handshake under way.
    fn prune(&mut self, now: Instant) {
        if self.by_ip.len() < 64 {
            return;
        }
        self.by_ip.retain(|_, record| {
            let fresh = record.strikes > 0 && now.duration_since(record.last) <= FORGET_AFTER;
            fresh || Arc::strong_count(&record.gate) > 1
        });
    }
}

#[cfg(test)]
mod tests {
    use std::net::Ipv4Addr;

    use super::*;

    #[test]
    fn waits_double_up_to_the_cap_and_the_right_code_forgives() {
        let mut throttle = Throttle::new(Duration::from_secs(1), Duration::from_secs(60));
        let ip = IpAddr::V4(Ipv4Addr::new(192, 0, 2, 7));
        let other = IpAddr::V4(Ipv4Addr::new(192, 0, 2, 8));
        let t0 = Instant::now();
        assert_eq!(throttle.wait(ip, t0), None);
        let waits: Vec<u64> = (0..9).map(|_| throttle.strike(ip, t0).as_secs()).collect();
        assert_eq!(waits, vec![1, 2, 4, 8, 16, 32, 60, 60, 60]);
        assert_eq!(throttle.wait(ip, t0), Some(Duration::from_secs(60)));
        assert_eq!(
            throttle.wait(ip, t0 + Duration::from_secs(59)),
            Some(Duration::from_secs(1))
        );
        assert_eq!(throttle.wait(ip, t0 + Duration::from_secs(60)), None);
        assert_eq!(throttle.wait(other, t0), None, "another address is not punished");
        throttle.forgive(ip);
        assert_eq!(throttle.wait(ip, t0), None);
        assert_eq!(throttle.strike(ip, t0).as_secs(), 1, "starts over");
    }

    #[test]
    fn old_strikes_are_forgotten() {
        let mut throttle = Throttle::new(Duration::from_secs(1), Duration::from_secs(60));
        let ip = IpAddr::V4(Ipv4Addr::new(192, 0, 2, 7));
        let t0 = Instant::now();
        for _ in 0..5 {
            throttle.strike(ip, t0);
        }
        let later = t0 + FORGET_AFTER + Duration::from_secs(1);
        assert_eq!(throttle.strike(ip, later).as_secs(), 1);
    }

    #[test]
    fn records_are_pruned_but_gates_in_use_are_kept() {
        let mut throttle = Throttle::new(Duration::from_secs(1), Duration::from_secs(60));
        let t0 = Instant::now();
        let busy = IpAddr::V4(Ipv4Addr::new(10, 0, 0, 1));
        let held = throttle.gate(busy, t0);
        for i in 0..200u8 {
            let _ = throttle.gate(IpAddr::V4(Ipv4Addr::new(10, 1, 0, i)), t0);
        }
        assert!(throttle.by_ip.len() < 70, "{} records", throttle.by_ip.len());
        assert!(
            Arc::ptr_eq(&held, &throttle.gate(busy, t0)),
            "the gate in use survives"
        );
    }
}
