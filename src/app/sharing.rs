//! Sharing the session with trainees, from the facilitator's side: the server, the address
//! to tell them, and the line the console shows about it.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};

use tokio::sync::watch;

use crate::session::{Event, ShareLink};
use crate::share::{ShareServer, ShareStatus, new_join_code};

/// Where sharing listens unless told otherwise: every interface, on one fixed port.
pub const DEFAULT_SHARE_BIND: SocketAddr = SocketAddr::new(IpAddr::V4(Ipv4Addr::UNSPECIFIED), 47474);

pub struct Sharing {
    server: ShareServer,
    /// The address trainees type.
    address: String,
    /// Where it listens and the code, as the journal keeps them.
    link: ShareLink,
}

impl Sharing {
    /// Starts sharing on `bind` with a fresh join code; trainees who join get `history`
    /// first, then every event after it.
    pub fn start(bind: SocketAddr, history: &[Event]) -> Result<Sharing, String> {
        let code = new_join_code().map_err(|e| format!("cannot make a join code: {e}"))?;
        Sharing::resume(&ShareLink { code, bind }, history)
    }

    /// Starts sharing again as it was: the same address and code, so trainees who were
    /// following reconnect by themselves.
    pub fn resume(link: &ShareLink, history: &[Event]) -> Result<Sharing, String> {
        let bind = link.bind;
        let (server, bound) =
            ShareServer::start(bind, &link.code).map_err(|e| format!("cannot share on {bind}: {e}"))?;
        server.publish(&for_trainees(history));
        Ok(Sharing {
            server,
            address: reachable_address(bound),
            link: link.clone(),
        })
    }

    /// The address and code, as the journal keeps them.
    pub fn link(&self) -> &ShareLink {
        &self.link
    }

    /// Hands events to the trainees: notes never leave (the server drops them), nor the
    /// facilitator's private cues in the plan.
    pub fn publish(&self, events: &[Event]) {
        self.server.publish(&for_trainees(events));
    }

    /// A receiver that wakes when a trainee joins or leaves or a wrong code is refused.
    pub fn watch(&self) -> watch::Receiver<ShareStatus> {
        self.server.watch_status()
    }

    /// The banner: where, with which code, and who is linked.
    pub fn status_line(&self) -> String {
        let status = self.server.status();
        let mut line = format!(
            "Sharing on {} · code {} · {}",
            self.address,
            status.code,
            status.summary()
        );
        if let Some(from) = status.last_refused {
            line.push_str(&format!(" (last from {})", from.ip()));
        }
        line
    }
}

/// The events with every plan stripped of the facilitator's private cues.
fn for_trainees(events: &[Event]) -> Vec<Event> {
    events
        .iter()
        .map(|event| match event {
            Event::Started {
                at,
                plan,
                roster,
                seed,
            } => Event::Started {
                at: *at,
                plan: plan.without_private_cues(),
                roster: roster.clone(),
                seed: *seed,
            },
            Event::PlanReloaded { at, plan } => Event::PlanReloaded {
                at: *at,
                plan: plan.without_private_cues(),
            },
            other => other.clone(),
        })
        .collect()
}

/// An address trainees can type: the bound one, or for "every interface" this machine's
/// address on its default route (found without sending anything), else the bound one.
fn reachable_address(bound: SocketAddr) -> String {
    if !bound.ip().is_unspecified() {
        return bound.to_string();
    }
    let local = std::net::UdpSocket::bind("0.0.0.0:0")
        .and_then(|socket| socket.connect("192.0.2.1:9").map(|()| socket))
        .and_then(|socket| socket.local_addr());
    match local {
        Ok(addr) if !addr.ip().is_unspecified() => format!("{}:{}", addr.ip(), bound.port()),
        _ => bound.to_string(),
    }
}
