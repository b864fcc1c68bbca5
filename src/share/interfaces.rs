//! Where sharing listens. `--share` without an address takes the interface that carries
//! the default route (the one the room's network is on) rather than every interface, and
//! says which; an address given explicitly (even `0.0.0.0`) is used as it is, and the
//! console lists every address it can then be reached on.

use std::net::{IpAddr, Ipv4Addr, SocketAddr, UdpSocket};

/// The port sharing listens on unless told otherwise.
pub const DEFAULT_PORT: u16 = 47474;

/// One address of a network interface of this machine.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Interface {
    pub name: String,
    pub ip: IpAddr,
}

/// The address picked for `--share` without one, and what to tell the facilitator.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BindChoice {
    pub bind: SocketAddr,
    /// One line, e.g. `sharing on wlan0 192.168.1.20:47474 (the default route); other
    /// interfaces: docker0 172.17.0.1 — pass --share ADDR:PORT to pick one`.
    pub explanation: String,
}

/// Every address of every interface that is up (loopback included).
pub fn interfaces() -> Vec<Interface> {
    if_addrs::get_if_addrs()
        .unwrap_or_default()
        .into_iter()
        .filter(if_addrs::Interface::is_oper_up)
        .map(|i| Interface {
            ip: i.ip(),
            name: i.name,
        })
        .collect()
}

/// The local address the default route leaves from, if there is a default route. A UDP
/// socket "connected" to a documentation address sends nothing; it only asks the kernel
/// for the route.
pub fn default_route_ip() -> Option<IpAddr> {
    let socket = UdpSocket::bind((Ipv4Addr::UNSPECIFIED, 0)).ok()?;
    socket.connect((Ipv4Addr::new(192, 0, 2, 1), 9)).ok()?;
    let ip = socket.local_addr().ok()?.ip();
    (!ip.is_unspecified()).then_some(ip)
}

/// `--share` without an address: this machine's interfaces, the default route's address.
pub fn choose_share_address(port: u16) -> BindChoice {
    choose(&interfaces(), default_route_ip(), port)
}

/// The interface with the default route, else the first other IPv4 one, else loopback
/// (nobody else can join then, and the explanation says so).
pub fn choose(interfaces: &[Interface], default_route: Option<IpAddr>, port: u16) -> BindChoice {
    let candidates: Vec<&Interface> = interfaces
        .iter()
        .filter(|i| i.ip.is_ipv4() && !i.ip.is_loopback())
        .collect();
    let by_route = default_route.and_then(|ip| candidates.iter().find(|i| i.ip == ip));
    let (chosen, why) = match (by_route, candidates.first()) {
        (Some(found), _) => (Some(*found), "the default route"),
        (None, Some(first)) => (Some(*first), "no default route; the first interface"),
        (None, None) => (None, ""),
    };
    let Some(chosen) = chosen else {
        return BindChoice {
            bind: SocketAddr::from((Ipv4Addr::LOCALHOST, port)),
            explanation: format!(
                "sharing on 127.0.0.1:{port} only: this machine has no network interface up, \
                 so trainees on other machines cannot join"
            ),
        };
    };
    let bind = SocketAddr::new(chosen.ip, port);
    let mut explanation = format!("sharing on {} {bind} ({why})", chosen.name);
    let others: Vec<String> = candidates
        .iter()
        .filter(|i| *i != &chosen)
        .map(|i| format!("{} {}", i.name, i.ip))
        .collect();
    if !others.is_empty() {
        explanation.push_str(&format!(
            "; other interfaces: {} — pass --share ADDR:PORT to pick one",
            others.join(", ")
        ));
    }
    BindChoice { bind, explanation }
}

/// Every address trainees can reach a server bound to `bound` on: that address, or for
/// an unspecified one (`0.0.0.0`, `[::]`) every address of this machine of that family
/// (IPv6 `[::]` also takes IPv4), loopback last.
pub fn listen_addresses(bound: SocketAddr) -> Vec<SocketAddr> {
    listen_addresses_among(bound, &interfaces())
}

fn listen_addresses_among(bound: SocketAddr, interfaces: &[Interface]) -> Vec<SocketAddr> {
    if !bound.ip().is_unspecified() {
        return vec![bound];
    }
    let mut addresses: Vec<SocketAddr> = interfaces
        .iter()
        .filter(|i| bound.is_ipv6() || i.ip.is_ipv4())
        .map(|i| SocketAddr::new(i.ip, bound.port()))
        .collect();
    addresses.sort_by_key(|a| (a.ip().is_loopback(), a.is_ipv6()));
    addresses.dedup();
    if addresses.is_empty() {
        addresses.push(bound);
    }
    addresses
}

#[cfg(test)]
mod tests {
    use std::net::Ipv6Addr;

    use super::*;

    fn iface(name: &str, ip: impl Into<IpAddr>) -> Interface {
        Interface {
            name: name.into(),
            ip: ip.into(),
        }
    }

    fn machine() -> Vec<Interface> {
        vec![
            iface("lo", Ipv4Addr::LOCALHOST),
            iface("docker0", Ipv4Addr::new(172, 17, 0, 1)),
            iface("wlan0", Ipv4Addr::new(192, 168, 1, 20)),
            iface("wlan0", Ipv6Addr::new(0xfe80, 0, 0, 0, 0, 0, 0, 7)),
        ]
    }

    #[test]
    fn the_default_route_wins_and_the_others_are_named() {
        let choice = choose(&machine(), Some(Ipv4Addr::new(192, 168, 1, 20).into()), 47474);
        assert_eq!(choice.bind, SocketAddr::from(([192, 168, 1, 20], 47474)));
        assert_eq!(
            choice.explanation,
            "sharing on wlan0 192.168.1.20:47474 (the default route); other interfaces: docker0 172.17.0.1 \
             — pass --share ADDR:PORT to pick one"
        );
    }

    #[test]
    fn without_a_default_route_the_first_interface_and_without_any_loopback() {
        let choice = choose(&machine(), None, 5000);
        assert_eq!(choice.bind, SocketAddr::from(([172, 17, 0, 1], 5000)));
        assert!(
            choice.explanation.contains("no default route"),
            "{}",
            choice.explanation
        );
        let lonely = choose(&[iface("lo", Ipv4Addr::LOCALHOST)], None, 5000);
        assert_eq!(lonely.bind, SocketAddr::from(([127, 0, 0, 1], 5000)));
        assert!(
            lonely.explanation.contains("cannot join"),
            "{}",
            lonely.explanation
        );
    }

    #[test]
    fn every_address_of_an_unspecified_bind_is_listed() {
        let specific = SocketAddr::from(([192, 168, 1, 20], 1));
        assert_eq!(listen_addresses_among(specific, &machine()), vec![specific]);
        let all_v4 = listen_addresses_among(SocketAddr::from(([0, 0, 0, 0], 1)), &machine());
        assert_eq!(
            all_v4,
            vec![
                SocketAddr::from(([172, 17, 0, 1], 1)),
                SocketAddr::from(([192, 168, 1, 20], 1)),
                SocketAddr::from(([127, 0, 0, 1], 1)),
            ]
        );
        let all = listen_addresses_among(SocketAddr::from((Ipv6Addr::UNSPECIFIED, 1)), &machine());
        assert_eq!(all.len(), 4);
        assert!(all[2].is_ipv6() && all[3].ip().is_loopback());
    }

    #[test]
    fn this_machine_has_at_least_loopback() {
        assert!(interfaces().iter().any(|i| i.ip.is_loopback()));
        let listed = listen_addresses(SocketAddr::from(([0, 0, 0, 0], 9)));
        assert!(
            listed.contains(&SocketAddr::from(([127, 0, 0, 1], 9))),
            "{listed:?}"
        );
    }
}
