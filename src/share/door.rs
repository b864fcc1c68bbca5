//! Who may start a handshake: at most `per_ip` handshakes under way from one address and
//! `total` from all. When every place is taken, a newcomer takes the place of the oldest
//! connection that has not said hello yet; failing that, of the handshake that said hello
//! longest ago (a trainee answers within a round trip; one that stalls there only holds a
//! place). So connections that never speak, or stop after their hello, cannot keep a
//! trainee out however many addresses they come from: to evict a trainee's handshake they
//! must open `total` connections within its round trip.

use std::net::{IpAddr, Ipv6Addr};
use std::time::Instant;

/// Whom limits per address apply to: an IPv4 address, or an IPv6 address's /64 (one host
/// has a whole /64 to draw on, so its addresses count as one).
pub(crate) fn network_of(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V4(_) => ip,
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => IpAddr::V6(Ipv6Addr::from(u128::from(v6) & !u128::from(u64::MAX))),
        },
    }
}

#[derive(Debug)]
struct Pending {
    id: u64,
    ip: IpAddr,
    since: Instant,
    /// When its hello arrived: from then on it is a handshake, not a silent connection.
    heard: Option<Instant>,
}

/// What to do with a new connection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Entry {
    /// Go ahead, as handshake `id`.
    In { id: u64 },
    /// Go ahead, as handshake `id`, once handshake `evict` has been hung up on. `stalled`:
    /// the address of the evicted one when it had said hello and gone quiet, to wait as
    /// after a wrong code (as if its deadline had come).
    Replacing {
        id: u64,
        evict: u64,
        stalled: Option<IpAddr>,
    },
    /// No place: tell it to come back.
    Busy,
}

#[derive(Debug)]
pub(crate) struct Door {
    per_ip: usize,
    total: usize,
    pending: Vec<Pending>,
    next_id: u64,
}

impl Door {
    pub(crate) fn new(per_ip: usize, total: usize) -> Door {
        Door {
            per_ip: per_ip.max(1),
            total: total.max(1),
            pending: Vec::new(),
            next_id: 0,
        }
    }

    pub(crate) fn enter(&mut self, ip: IpAddr, now: Instant) -> Entry {
        if self.pending.iter().filter(|p| p.ip == ip).count() >= self.per_ip {
            return Entry::Busy;
        }
        let evict = if self.pending.len() >= self.total {
            let oldest_silent = (self.pending.iter().filter(|p| p.heard.is_none()))
                .min_by_key(|p| p.since)
                .map(|p| p.id);
            let stalled_longest = || {
                (self.pending.iter())
                    .filter_map(|p| p.heard.map(|at| (p.id, at)))
                    .min_by_key(|(_, at)| *at)
                    .map(|(id, _)| id)
            };
            let Some(id) = oldest_silent.or_else(stalled_longest) else {
                return Entry::Busy;
            };
            let stalled = (self.pending.iter())
                .find(|p| p.id == id && p.heard.is_some())
                .map(|p| p.ip);
            self.leave(id);
            Some((id, stalled))
        } else {
            None
        };
        let id = self.next_id;
        self.next_id += 1;
        self.pending.push(Pending {
            id,
            ip,
            since: now,
            heard: None,
        });
        match evict {
            Some((evict, stalled)) => Entry::Replacing { id, evict, stalled },
            None => Entry::In { id },
        }
    }

    /// Handshake `id` said hello at `now`.
    pub(crate) fn heard(&mut self, id: u64, now: Instant) {
        if let Some(pending) = self.pending.iter_mut().find(|p| p.id == id) {
            pending.heard = Some(now);
        }
    }

    /// Handshake `id` ended (or was hung up on).
    pub(crate) fn leave(&mut self, id: u64) {
        self.pending.retain(|p| p.id != id);
    }

    #[cfg(test)]
    fn len(&self) -> usize {
        self.pending.len()
    }
}

#[cfg(test)]
mod tests {
    use std::net::Ipv4Addr;
    use std::time::Duration;

    use super::*;

    fn ip(n: u8) -> IpAddr {
        IpAddr::V4(Ipv4Addr::new(127, 0, 1, n))
    }

    #[test]
    fn an_ipv6_host_is_its_slash_64() {
        let a: IpAddr = "2001:db8:1:2:aaaa::1".parse().expect("v6");
        let b: IpAddr = "2001:db8:1:2:bbbb::9".parse().expect("v6");
        let other: IpAddr = "2001:db8:1:3::1".parse().expect("v6");
        assert_eq!(network_of(a), network_of(b));
        assert_ne!(network_of(a), network_of(other));
        let mapped: IpAddr = "::ffff:192.0.2.7".parse().expect("mapped");
        assert_eq!(network_of(mapped), IpAddr::V4(Ipv4Addr::new(192, 0, 2, 7)));
        assert_eq!(network_of(ip(3)), ip(3));
    }

    #[test]
    fn two_places_per_address() {
        let t0 = Instant::now();
        let mut door = Door::new(2, 16);
        assert_eq!(door.enter(ip(1), t0), Entry::In { id: 0 });
        assert_eq!(door.enter(ip(1), t0), Entry::In { id: 1 });
        assert_eq!(door.enter(ip(1), t0), Entry::Busy);
        assert_eq!(
            door.enter(ip(2), t0),
            Entry::In { id: 2 },
            "another address is not held up"
        );
        door.leave(0);
        assert_eq!(door.enter(ip(1), t0), Entry::In { id: 3 });
    }

    #[test]
    fn silent_connections_from_many_addresses_give_way_oldest_first() {
        let t0 = Instant::now();
        let mut door = Door::new(2, 4);
        for n in 0..4u8 {
            assert!(matches!(
                door.enter(ip(n), t0 + Duration::from_millis(u64::from(n))),
                Entry::In { .. }
            ));
        }
        door.heard(0, t0);
        // Full: the newcomer replaces the oldest that has not said hello (1, not 0).
        assert_eq!(
            door.enter(ip(9), t0 + Duration::from_secs(1)),
            Entry::Replacing {
                id: 4,
                evict: 1,
                stalled: None
            }
        );
        assert_eq!(door.len(), 4);
        let at = t0 + Duration::from_millis(1500);
        door.heard(2, at);
        door.heard(3, at);
        door.heard(4, at);
        assert_eq!(
            door.enter(ip(10), at + Duration::from_millis(500)),
            Entry::Replacing {
                id: 5,
                evict: 0,
                stalled: Some(ip(0))
            },
            "0 said hello longest ago and never answered: it gives way, and its address waits"
        );
        door.heard(5, at + Duration::from_millis(500));
        assert_eq!(
            door.enter(ip(11), at + Duration::from_millis(600)),
            Entry::Replacing {
                id: 6,
                evict: 2,
                stalled: Some(ip(2))
            },
        );
    }

    #[test]
    fn handshakes_that_stall_after_hello_cannot_keep_a_trainee_out() {
        let t0 = Instant::now();
        let mut door = Door::new(2, 16);
        // 50 addresses, two stalling handshakes each, renewed as soon as they are let go.
        let mut now = t0;
        for round in 0..200u32 {
            let from = ip((round % 50) as u8 + 1);
            if let Entry::In { id } | Entry::Replacing { id, .. } = door.enter(from, now) {
                door.heard(id, now);
            }
            now += Duration::from_millis(30);
        }
        // A trainee arriving now gets a place, and keeps it for the next 15 arrivals: far
        // longer than its round trip.
        let Entry::Replacing { id: trainee, .. } = door.enter(ip(250), now) else {
            panic!("the trainee gets no place");
        };
        door.heard(trainee, now);
        for n in 0..15u8 {
            now += Duration::from_millis(30);
            let _ = door.enter(ip(n + 100), now);
        }
        assert!(door.pending.iter().any(|p| p.id == trainee));
    }
}
