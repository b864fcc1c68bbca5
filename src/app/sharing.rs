//! Sharing the session with trainees, from the facilitator's side: the server, the address
//! to tell them, and the line the console shows about it.

use std::net::SocketAddr;
use std::time::Instant;

use tokio::sync::watch;

use crate::session::{Event, ShareLink};
use crate::share::{ShareServer, ShareStatus, listen_addresses, new_join_code};

/// How many of this machine's addresses the banner names; the rest are counted.
const ADDRESSES_SHOWN: usize = 2;

pub struct Sharing {
    server: ShareServer,
    /// The addresses trainees can type, most likely first.
    addresses: Vec<SocketAddr>,
    /// Where it listens and the code, as the journal keeps them.
    link: ShareLink,
}

impl Sharing {
    /// Starts sharing session `session_id` on `bind` with a fresh join code; trainees who
    /// join get `history` first, then every event after it.
    pub fn start(bind: SocketAddr, session_id: &str, history: &[Event]) -> Result<Sharing, String> {
        let code = new_join_code().map_err(|e| format!("cannot make a join code: {e}"))?;
        Sharing::resume(&ShareLink { code, bind }, session_id, history)
    }

    /// Starts sharing again as it was: the same address and code, so trainees who were
    /// following reconnect by themselves.
    pub fn resume(link: &ShareLink, session_id: &str, history: &[Event]) -> Result<Sharing, String> {
        let bind = link.bind;
        let (server, bound) =
            ShareServer::start(bind, &link.code).map_err(|e| format!("cannot share on {bind}: {e}"))?;
        // Before the history, so trainees file their observations against this session.
        server.set_session(session_id);
        server.publish(history);
        Ok(Sharing {
            server,
            addresses: listen_addresses(bound),
            link: link.clone(),
        })
    }

    /// Another session is shared from here on (the facilitator resumed one, or started a
    /// new one after the resume offer): trainees are told before its history reaches them.
    pub fn set_session(&self, session_id: &str) {
        self.server.set_session(session_id);
    }

    /// The address and code, as the journal keeps them.
    pub fn link(&self) -> &ShareLink {
        &self.link
    }

    /// Follows the server's status: after too many wrong codes it retires the join code
    /// for a new one. Returns the link as it now is when the code changed, for the journal
    /// (a resume must share with the code trainees were last given).
    pub fn follow_code(&mut self) -> Option<&ShareLink> {
        let code = self.server.status().code;
        (code != self.link.code).then(|| {
            self.link.code = code;
            &self.link
        })
    }

    /// Hands events to the trainees: notes never leave, nor the facilitator's private cues
    /// in the plan (the server drops both).
    pub fn publish(&self, events: &[Event]) {
        self.server.publish(events);
    }

    /// A receiver that wakes when a trainee joins or leaves or a wrong code is refused.
    pub fn watch(&self) -> watch::Receiver<ShareStatus> {
        self.server.watch_status()
    }

    /// The banner: where, with which code, who is linked, and any wrong codes of the
    /// last minute.
    pub fn status_line(&self, now: Instant) -> String {
        let status = self.server.status();
        let line = format!(
            "Sharing on {} · code {} · {}",
            addresses_text(&self.addresses, status.address),
            status.code,
            status.summary()
        );
        // An attack comes first, with the new code when there is one: the line is cut at
        // the terminal's width, and 80 columns must still show it.
        match status.warning(now) {
            Some(warning) => format!("⚠ {warning} · {line}"),
            None => line,
        }
    }
}

/// `192.168.1.20:47474`, or `192.168.1.20:47474 or 10.0.0.5:47474 (+1 more)`.
fn addresses_text(addresses: &[SocketAddr], bound: SocketAddr) -> String {
    if addresses.is_empty() {
        return bound.to_string();
    }
    let mut text = addresses
        .iter()
        .take(ADDRESSES_SHOWN)
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(" or ");
    if addresses.len() > ADDRESSES_SHOWN {
        text.push_str(&format!(" (+{} more)", addresses.len() - ADDRESSES_SHOWN));
    }
    text
}
