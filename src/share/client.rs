//! The trainee's end: follows the facilitator, read-only, and reconnects by itself.
//!
//! [`ShareClient::follow`] keeps a [`FollowState`] in a `watch` channel: the events received
//! so far and the state folded from them, whether the link is up, and the last error. A
//! dropped link is retried with a growing pause; the facilitator then sends the whole
//! history again, which replaces what was held (the trainee catches up). The facilitator's
//! process may vanish and come back (a crash, then resume with the same code): the
//! trainee keeps trying until it does. A refused join code ends the following (retrying
//! the same code cannot succeed), and so does the link closing after the session ended.

use std::io;
use std::time::Duration;

use tokio::net::TcpStream;
use tokio::net::tcp::{OwnedReadHalf, OwnedWriteHalf};
use tokio::sync::watch;
use tokio::task::JoinHandle;
use tokio::time::timeout;

use super::crypto::{Opener, Sealer};
use super::frame::{FrameError, MAX_FRAME, read_frame, write_frame};
use super::handshake::{HandshakeError, client_handshake};
use super::message::{ClientMessage, ServerMessage, decode, encode};
use crate::session::{Event, State};

/// Timings of the trainee's end.
#[derive(Debug, Clone)]
pub struct FollowConfig {
    /// Connecting and the handshake together.
    pub handshake_timeout: Duration,
    /// The trainee says it is there this often.
    pub ping_every: Duration,
    /// Nothing from the facilitator for this long (it pings when idle): reconnect.
    pub idle_timeout: Duration,
    /// The first pause before reconnecting; it doubles up to `retry_max`.
    pub retry_first: Duration,
    pub retry_max: Duration,
}

impl Default for FollowConfig {
    fn default() -> FollowConfig {
        FollowConfig {
            handshake_timeout: Duration::from_secs(5),
            ping_every: Duration::from_secs(5),
            idle_timeout: Duration::from_secs(20),
            retry_first: Duration::from_millis(250),
            retry_max: Duration::from_secs(5),
        }
    }
}

/// Why the link is down (or did not come up).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FollowError {
    /// Final: the facilitator holds another code (or is not the facilitator).
    #[error("the join code was refused")]
    CodeRefused,
    #[error("too many wrong codes from this computer: trying again in {}s", .0.as_secs_f32().ceil())]
    Throttled(Duration),
    #[error("the facilitator is busy: trying again")]
    Busy,
    #[error("cannot reach the facilitator: {0}")]
    Network(String),
    #[error("the facilitator closed the link")]
    Closed,
    #[error("no word from the facilitator: reconnecting")]
    Silent,
    /// Something arrived that should not have: a forged or damaged frame, an oversized
    /// frame, a message that does not parse. The link is dropped.
    #[error("the link was broken: {0}")]
    Broken(String),
}

impl FollowError {
    /// Whether following stops here rather than retrying.
    pub fn is_final(&self) -> bool {
        matches!(self, FollowError::CodeRefused)
    }
}

impl From<FrameError> for FollowError {
    fn from(error: FrameError) -> FollowError {
        match error {
            FrameError::Closed => FollowError::Closed,
            FrameError::Io(error) => FollowError::Network(error.to_string()),
            too_large @ FrameError::TooLarge { .. } => FollowError::Broken(too_large.to_string()),
        }
    }
}

impl From<HandshakeError> for FollowError {
    fn from(error: HandshakeError) -> FollowError {
        match error {
            HandshakeError::WrongCode => FollowError::CodeRefused,
            HandshakeError::Throttled(wait) => FollowError::Throttled(wait),
            HandshakeError::Busy => FollowError::Busy,
            HandshakeError::Frame(error) => error.into(),
            HandshakeError::Protocol(what) => FollowError::Broken(what),
            HandshakeError::Crypto(error) => FollowError::Broken(error.to_string()),
        }
    }
}

/// What a trainee's screen is drawn from.
#[derive(Debug, Clone, Default)]
pub struct FollowState {
    /// The link is up and the history is current.
    pub connected: bool,
    /// Why the link is down, while it is; `None` once it is up again.
    pub error: Option<FollowError>,
    /// Following has stopped for good (a refused code, or the session ended and the
    /// facilitator hung up).
    pub finished: bool,
    /// The session is over: the facilitator ended it. The trainee's clock stops here.
    pub ended: bool,
    /// The facilitator's session id, to file observations against.
    pub session: Option<String>,
    /// The shareable events received, in order (names blanked while the curtain is drawn).
    pub events: Vec<Event>,
    /// `State::fold(&events)`, kept up to date; `None` until a `Started` has arrived.
    pub state: Option<State>,
    /// How many times the link has come up (1 on the first join).
    pub links: u32,
    /// How many messages with events have been applied.
    pub updates: u64,
}

impl FollowState {
    fn apply(&mut self, message: ServerMessage) -> bool {
        let is_end = |event: &Event| matches!(event, Event::Ended { .. });
        match message {
            ServerMessage::Ping => return false,
            ServerMessage::Hello { session } => {
                let changed = self.session.as_deref() != Some(session.as_str());
                self.session = Some(session);
                return changed;
            }
            ServerMessage::Snapshot { events } => {
                self.state = State::fold(&events).ok();
                self.ended = events.iter().any(is_end);
                self.events = events;
            }
            ServerMessage::Append { events } => {
                match &mut self.state {
                    Some(state) => events.iter().for_each(|event| state.apply(event)),
                    None => self.state = State::fold(self.events.iter().chain(&events)).ok(),
                }
                self.ended |= events.iter().any(is_end);
                self.events.extend(events);
            }
        }
        self.updates += 1;
        true
    }
}

/// One authenticated, encrypted link to the facilitator (the low level under
/// [`ShareClient`]; a test or a tool can drive it by hand).
pub struct Connection {
    reader: OwnedReadHalf,
    writer: OwnedWriteHalf,
    sealer: Sealer,
    opener: Opener,
}

impl Connection {
    /// Connects to `addr` (`host:port`) and shakes hands with `code`, within `limit`.
    pub async fn connect(addr: &str, code: &str, limit: Duration) -> Result<Connection, FollowError> {
        let attempt = async {
            let stream = TcpStream::connect(addr)
                .await
                .map_err(|error| FollowError::Network(error.to_string()))?;
            Connection::handshake(stream, code).await
        };
        timeout(limit, attempt)
            .await
            .unwrap_or_else(|_| Err(FollowError::Network("timed out".into())))
    }

    /// Shakes hands over a stream already connected.
    pub async fn handshake(mut stream: TcpStream, code: &str) -> Result<Connection, FollowError> {
        let _ = stream.set_nodelay(true);
        let (sealer, opener) = client_handshake(&mut stream, code).await?;
        let (reader, writer) = stream.into_split();
        Ok(Connection {
            reader,
            writer,
            sealer,
            opener,
        })
    }

    /// The next message from the facilitator.
    pub async fn recv(&mut self) -> Result<ServerMessage, FollowError> {
        recv(&mut self.reader, &mut self.opener).await
    }

    /// Tells the facilitator this trainee is still there.
    pub async fn ping(&mut self) -> Result<(), FollowError> {
        ping(&mut self.writer, &mut self.sealer).await
    }
}

async fn recv(reader: &mut OwnedReadHalf, opener: &mut Opener) -> Result<ServerMessage, FollowError> {
    let sealed = read_frame(reader, MAX_FRAME).await?;
    let plain = opener
        .open(&sealed)
        .map_err(|error| FollowError::Broken(error.to_string()))?;
    decode(&plain).map_err(|error| FollowError::Broken(error.to_string()))
}

async fn ping(writer: &mut OwnedWriteHalf, sealer: &mut Sealer) -> Result<(), FollowError> {
    let plain = encode(&ClientMessage::Ping).map_err(|error| FollowError::Broken(error.to_string()))?;
    let sealed = sealer
        .seal(&plain)
        .map_err(|error| FollowError::Broken(error.to_string()))?;
    Ok(write_frame(writer, &sealed).await?)
}

/// Following a facilitator: a task that keeps a [`FollowState`] current. Dropping it (or
/// [`stop`]) ends the following and closes the link.
///
/// [`stop`]: ShareClient::stop
pub struct ShareClient {
    state: watch::Receiver<FollowState>,
    task: JoinHandle<()>,
}

impl ShareClient {
    /// Starts following the facilitator at `addr` (`host:port`) with the join code as the
    /// facilitator's screen shows it. Must be called inside a tokio runtime.
    pub fn follow(addr: &str, code: &str) -> io::Result<ShareClient> {
        ShareClient::follow_with(addr, code, FollowConfig::default())
    }

    pub fn follow_with(addr: &str, code: &str, config: FollowConfig) -> io::Result<ShareClient> {
        let runtime = tokio::runtime::Handle::try_current()
            .map_err(|_| io::Error::other("following needs a running tokio runtime"))?;
        let (tx, state) = watch::channel(FollowState::default());
        let task = runtime.spawn(follow_loop(addr.to_owned(), code.to_owned(), config, tx));
        Ok(ShareClient { state, task })
    }

    /// A receiver of the state; `changed()` wakes on every update.
    pub fn watch(&self) -> watch::Receiver<FollowState> {
        self.state.clone()
    }

    /// Whether following has ended (a refused code).
    pub fn is_finished(&self) -> bool {
        self.task.is_finished()
    }

    pub fn stop(self) {}
}

impl Drop for ShareClient {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn follow_loop(addr: String, code: String, config: FollowConfig, tx: watch::Sender<FollowState>) {
    let mut pause = config.retry_first;
    loop {
        let wait = match Connection::connect(&addr, &code, config.handshake_timeout).await {
            Ok(connection) => {
                pause = config.retry_first;
                tx.send_modify(|s| {
                    s.links += 1;
                    s.error = None;
                });
                let error = run_link(connection, &tx, &config).await;
                let mut over = false;
                tx.send_modify(|s| {
                    s.connected = false;
                    // After the end, a closed link is the facilitator leaving: nothing to retry.
                    over = s.ended;
                    s.finished = over;
                    s.error = (!over).then_some(error);
                });
                if over {
                    return;
                }
                pause
            }
            Err(error) => {
                let wait = match &error {
                    FollowError::Throttled(wait) => *wait,
                    _ => pause,
                };
                let last = error.is_final();
                tx.send_modify(|s| {
                    s.connected = false;
                    s.finished = last;
                    s.error = Some(error);
                });
                if last {
                    return;
                }
                wait
            }
        };
        tokio::time::sleep(wait).await;
        pause = (pause * 2).min(config.retry_max);
    }
}

/// Receives until the link fails, pinging alongside; returns why it ended.
async fn run_link(
    connection: Connection,
    tx: &watch::Sender<FollowState>,
    config: &FollowConfig,
) -> FollowError {
    let Connection {
        mut reader,
        mut writer,
        mut sealer,
        mut opener,
    } = connection;
    let incoming = async {
        loop {
            let message = match timeout(config.idle_timeout, recv(&mut reader, &mut opener)).await {
                Ok(Ok(message)) => message,
                Ok(Err(error)) => return error,
                Err(_) => return FollowError::Silent,
            };
            tx.send_if_modified(|s| {
                let mut changed = s.apply(message);
                if !s.connected {
                    s.connected = true;
                    changed = true;
                }
                changed
            });
        }
    };
    let pinging = async {
        loop {
            tokio::time::sleep(config.ping_every).await;
            if let Err(error) = ping(&mut writer, &mut sealer).await {
                return error;
            }
        }
    };
    tokio::select! {
        error = incoming => error,
        error = pinging => error,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn appends_fold_into_the_state_and_a_snapshot_replaces_it() {
        let mut follow = FollowState::default();
        assert!(!follow.apply(ServerMessage::Ping));
        follow.apply(ServerMessage::Append {
            events: vec![Event::ClockStarted { at: 1 }],
        });
        assert!(follow.state.is_none(), "no Started yet");
        assert_eq!(follow.updates, 1);
        assert!(!follow.ended);
        assert!(follow.apply(ServerMessage::Hello {
            session: "s-1".into()
        }));
        assert!(
            !follow.apply(ServerMessage::Hello {
                session: "s-1".into()
            }),
            "no news"
        );
        assert_eq!(follow.session.as_deref(), Some("s-1"));
        follow.apply(ServerMessage::Append {
            events: vec![Event::Ended { at: 9 }],
        });
        assert!(follow.ended, "the end arrived");
        follow.apply(ServerMessage::Snapshot {
            events: vec![Event::ClockStarted { at: 1 }],
        });
        assert!(!follow.ended, "a new history without an end");
        assert_eq!(FollowError::CodeRefused.to_string(), "the join code was refused");
        assert!(FollowError::CodeRefused.is_final());
        assert!(!FollowError::Closed.is_final());
    }
}
