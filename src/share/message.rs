//! What travels inside the sealed frames, as RON text (the journal's format).

use serde::{Deserialize, Serialize};

use super::crypto::AEAD_OVERHEAD;
use super::frame::MAX_FRAME;
use crate::session::Event;

/// The most plaintext one sealed frame can carry.
pub(crate) const MAX_PLAINTEXT: usize = MAX_FRAME - AEAD_OVERHEAD;

/// Facilitator → trainee.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum ServerMessage {
    /// Which session this is (the facilitator's journal id): sent first on every link,
    /// and again when it changes.
    Hello { session: String },
    /// The whole shareable history: replaces whatever the trainee held.
    Snapshot { events: Vec<Event> },
    /// Events that follow the ones the trainee holds.
    Append { events: Vec<Event> },
    /// Sent when the link has been idle, so a vanished facilitator is noticed.
    Ping,
}

/// Trainee → facilitator: the trainee is read-only, so it only ever says it is there.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum ClientMessage {
    Ping,
}

/// [`ServerMessage`] by reference, so a snapshot is written without cloning the history.
/// Same variant names, so it decodes as a `ServerMessage`.
#[derive(Serialize)]
enum Outgoing<'a> {
    Snapshot { events: &'a [Event] },
    Append { events: &'a [Event] },
}

#[derive(Debug, thiserror::Error)]
pub enum MessageError {
    #[error("a message could not be written: {0}")]
    Encode(String),
    #[error("a message could not be read: {0}")]
    Decode(String),
}

pub(crate) fn encode<T: Serialize>(message: &T) -> Result<Vec<u8>, MessageError> {
    ron::to_string(message)
        .map(String::into_bytes)
        .map_err(|error| MessageError::Encode(error.to_string()))
}

pub(crate) fn decode<T: for<'de> Deserialize<'de>>(bytes: &[u8]) -> Result<T, MessageError> {
    let text = std::str::from_utf8(bytes).map_err(|error| MessageError::Decode(error.to_string()))?;
    ron::from_str(text).map_err(|error| MessageError::Decode(error.to_string()))
}

/// The messages that carry `events`: one when it fits a frame, else several, the first a
/// `Snapshot` (if `snapshot`) and the rest `Append`s, which the trainee folds into the same
/// state. An event that alone exceeds a frame cannot be sent and is counted in the result.
pub(crate) fn encode_events(snapshot: bool, events: &[Event]) -> (Vec<Vec<u8>>, usize) {
    let mut out = Vec::new();
    let mut unsendable = 0;
    encode_into(snapshot, events, &mut out, &mut unsendable);
    (out, unsendable)
}

fn encode_into(snapshot: bool, events: &[Event], out: &mut Vec<Vec<u8>>, unsendable: &mut usize) {
    let message = if snapshot {
        Outgoing::Snapshot { events }
    } else {
        Outgoing::Append { events }
    };
    match encode(&message) {
        Ok(bytes) if bytes.len() <= MAX_PLAINTEXT => out.push(bytes),
        _ if events.len() > 1 => {
            let (head, tail) = events.split_at(events.len() / 2);
            encode_into(snapshot, head, out, unsendable);
            encode_into(false, tail, out, unsendable);
        }
        _ => {
            *unsendable += events.len();
            if snapshot {
                // The trainee must still be told to drop what it held.
                if let Ok(bytes) = encode(&Outgoing::Snapshot { events: &[] }) {
                    out.push(bytes);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::{BUILTIN_PLAN, Plan};

    #[test]
    fn outgoing_decodes_as_server_message() {
        let events = vec![
            Event::ClockStarted { at: 5 },
            Event::TurnStarted { at: 6, member: 2 },
        ];
        let (bytes, unsendable) = encode_events(true, &events);
        assert_eq!(unsendable, 0);
        assert_eq!(bytes.len(), 1);
        let back: ServerMessage = decode(&bytes[0]).expect("decodes");
        assert_eq!(
            back,
            ServerMessage::Snapshot {
                events: events.clone()
            }
        );
        let (bytes, _) = encode_events(false, &events);
        assert_eq!(
            decode::<ServerMessage>(&bytes[0]).expect("decodes"),
            ServerMessage::Append { events }
        );
        let ping = encode(&ServerMessage::Ping).expect("encodes");
        assert_eq!(
            decode::<ServerMessage>(&ping).expect("decodes"),
            ServerMessage::Ping
        );
        assert!(decode::<ServerMessage>(b"Nonsense(").is_err());
        assert!(decode::<ServerMessage>(&[0xff, 0xfe]).is_err());
    }

    #[test]
    fn a_history_too_big_for_one_frame_is_split_and_still_whole() {
        let plan: Plan = ron::from_str(BUILTIN_PLAN).expect("plan");
        let reload = Event::PlanReloaded { at: 1, plan };
        let one = encode(&reload).expect("encodes").len();
        let count = MAX_PLAINTEXT / one * 3 + 7;
        let events = vec![reload; count];
        let (bytes, unsendable) = encode_events(true, &events);
        assert_eq!(unsendable, 0);
        assert!(bytes.len() >= 3, "{} messages", bytes.len());
        let mut rebuilt = Vec::new();
        for (i, message) in bytes.iter().enumerate() {
            assert!(message.len() <= MAX_PLAINTEXT);
            match decode::<ServerMessage>(message).expect("decodes") {
                ServerMessage::Snapshot { events } if i == 0 => rebuilt = events,
                ServerMessage::Append { events } if i > 0 => rebuilt.extend(events),
                other => panic!("unexpected message {i}: {other:?}"),
            }
        }
        assert_eq!(rebuilt, events);
    }

    #[test]
    fn an_event_too_big_for_any_frame_is_counted_not_sent() {
        let mut plan: Plan = ron::from_str(BUILTIN_PLAN).expect("plan");
        plan.title = "x".repeat(MAX_FRAME);
        let events = vec![Event::PlanReloaded { at: 1, plan }, Event::ClockStarted { at: 2 }];
        let (bytes, unsendable) = encode_events(true, &events);
        assert_eq!(unsendable, 1);
        assert_eq!(bytes.len(), 2);
        assert_eq!(
            decode::<ServerMessage>(&bytes[0]).expect("decodes"),
            ServerMessage::Snapshot { events: vec![] }
        );
    }
}
