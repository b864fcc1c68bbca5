//! Live shadowing: the facilitator serves the session's event stream, trainees follow it
//! read-only over an encrypted link that the join code authenticates.
//!
//! - Facilitator: [`new_join_code`], then [`ShareServer::start`] on the address asked for
//!   (sharing is off unless asked; it binds only there: [`choose_share_address`] picks the
//!   default route's interface when none is given, [`listen_addresses`] lists where it can
//!   be reached), [`ShareServer::set_session`], [`ShareServer::publish`] every event as it
//!   happens (never blocks; notes are dropped), [`ShareServer::status`] for the console
//!   ("2 trainees connected · 1 wrong code refused", and [`ShareStatus::warning`] while
//!   someone tries wrong codes).
//! - Trainee: [`ShareClient::follow`], then draw from its `watch` of [`FollowState`]
//!   (`state` is the folded [`State`](crate::session::State)).
//!
//! What never leaves the facilitator's machine: notes (`Event::is_shareable`), and while
//! the privacy curtain is drawn every name in the roster ([`redact_for_curtain`]); drawing
//! or lifting the curtain sends the whole history again, blanked or not.
//!
//! The link: SPAKE2 on the join code → HKDF-SHA256 → per-direction ChaCha20-Poly1305 keys
//! and HMAC confirmation tags (the exchange is drawn in `handshake.rs`); frames are a
//! u32 big-endian length and the sealed message, at most [`MAX_FRAME`] bytes; messages are
//! RON. Wrong codes are refused, counted and throttled per address, and at most ten a
//! minute are checked in all (`budget.rs`); after twenty the code is retired. Handshakes
//! have short deadlines and two places per address (`door.rs`), so silent connections
//! cannot lock trainees out. The handshake's status words travel in clear (`handshake.rs`).

mod budget;
mod client;
mod code;
mod crypto;
mod door;
mod frame;
mod guard;
mod handshake;
mod interfaces;
mod message;
mod redact;
mod server;
#[cfg(test)]
mod stall_tests;
mod throttle;
mod words;

pub use budget::LastMinute;
pub use client::{Connection, FollowConfig, FollowError, FollowState, ShareClient};
pub use code::{join_code_from_entropy, new_join_code, normalize_join_code};
pub use crypto::{AEAD_OVERHEAD, CryptoError};
pub use frame::{FrameError, MAX_FRAME};
pub use handshake::HandshakeError;
pub use interfaces::{
    BindChoice, DEFAULT_PORT, Interface, choose_share_address, default_route_ip, interfaces, listen_addresses,
};
pub use message::{ClientMessage, MessageError, ServerMessage};
pub use redact::{redact_event, redact_for_curtain, redact_roster};
pub use server::{ShareConfig, ShareServer, ShareStatus};
