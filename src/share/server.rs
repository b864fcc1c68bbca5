//! The facilitator's end: listens where told, shakes hands, and fans the shareable event
//! stream out to every trainee without ever waiting for one.
//!
//! ```text
//! console ─publish()─► unbounded channel ─► hub task ── bounded queue ─► trainee task ─► socket
//!                                          (log, curtain)  (full: dropped)  (seal, write, ping)
//! ```
//!
//! `publish` only pushes onto a channel. The hub keeps the shareable log, and hands each
//! trainee its messages with `try_send`: a trainee whose queue is full is cut off (it
//! reconnects and gets a fresh snapshot). Each trainee's task seals and writes on its own,
//! so one stalled socket holds up nobody else.

use std::io;
use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use tokio::net::{TcpListener, TcpSocket, TcpStream};
use tokio::sync::{mpsc, watch};
use tokio::task::{AbortHandle, JoinHandle, JoinSet};
use tokio::time::{timeout, timeout_at};

use super::budget::{GuessBudget, LastMinute};
use super::code::{new_join_code, normalize_join_code};
use super::crypto::{Opener, Sealer};
use super::door::{Door, Entry, network_of};
use super::frame::{MAX_HANDSHAKE_FRAME, encode_frame, read_frame};
use super::guard::Guard;
use super::handshake::{
    HandshakeError, busy_frame, proceed, read_hello, read_tag, refuse, turn_away, verdict,
};
use super::message::{ClientMessage, ServerMessage, decode, encode, encode_events};
use super::redact::redact_for_curtain;
use super::throttle::Throttle;
use crate::session::Event;

/// Connections the kernel holds for us before we accept them.
const LISTEN_BACKLOG: u32 = 1024;

/// Limits and timings of the facilitator's end. The defaults suit a room on a LAN.
#[derive(Debug, Clone)]
pub struct ShareConfig {
    /// Handshakes under way at once, from all addresses. When all are taken, a newcomer
    /// replaces the oldest connection that has not said hello yet, else the handshake
    /// that said hello longest ago.
    pub max_handshakes: usize,
    /// Handshakes under way at once from one address; more are told to come back.
    pub max_handshakes_per_ip: usize,
    /// A connection that has not said hello by then is dropped.
    pub hello_timeout: Duration,
    /// A handshake not done by then is dropped.
    pub handshake_timeout: Duration,
    /// The global bound: at most this many wrong join codes are checked per
    /// `guess_period`, whatever the number of addresses they come from.
    pub guesses: u32,
    pub guess_period: Duration,
    /// After this many wrong codes the join code is retired and a new one made; trainees
    /// already linked stay linked.
    pub retire_after: u32,
    /// Trainees linked at once; more are turned away after their handshake.
    pub max_trainees: usize,
    /// Messages waiting for one trainee; a trainee this far behind is cut off.
    pub queue: usize,
    /// An idle link gets a ping this often.
    pub ping_every: Duration,
    /// A trainee silent for this long (it pings every few seconds) is dropped.
    pub idle_timeout: Duration,
    /// A write to one trainee that takes this long drops that trainee.
    pub write_timeout: Duration,
    /// The wait after a first wrong code from an address; it doubles with each one.
    pub backoff_first: Duration,
    /// The longest wait.
    pub backoff_max: Duration,
}

impl Default for ShareConfig {
    fn default() -> ShareConfig {
        ShareConfig {
            max_handshakes: 64,
            max_handshakes_per_ip: 2,
            hello_timeout: Duration::from_secs(2),
            handshake_timeout: Duration::from_secs(3),
            guesses: 10,
            guess_period: Duration::from_secs(60),
            retire_after: 20,
            max_trainees: 64,
            queue: 256,
            ping_every: Duration::from_secs(5),
            idle_timeout: Duration::from_secs(20),
            write_timeout: Duration::from_secs(10),
            backoff_first: Duration::from_secs(1),
            backoff_max: Duration::from_secs(60),
        }
    }
}

/// What the console shows about sharing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShareStatus {
    /// Where the server listens (the port actually bound).
    pub address: SocketAddr,
    /// The join code, in its canonical form.
    pub code: String,
    /// Trainees linked now.
    pub trainees: usize,
    /// Their addresses, in the order they joined.
    pub linked: Vec<SocketAddr>,
    /// Handshakes refused for a wrong code, since sharing started.
    pub refused: u32,
    /// Where the last wrong code came from.
    pub last_refused: Option<SocketAddr>,
    /// Handshakes turned away unchecked: their address was waiting after wrong codes, or
    /// the global bound on wrong codes was reached.
    pub throttled: u32,
    /// Wrong codes refused and guesses turned away unchecked, in the last minute.
    pub recent_wrong: LastMinute,
    /// Join codes retired after too many wrong ones.
    pub retired: u32,
    /// When the code was last retired.
    pub retired_at: Option<Instant>,
    /// The session being shared, as sent to trainees.
    pub session: Option<String>,
    /// Events that could not be sent because one alone is larger than a frame.
    pub unsendable: usize,
}

impl ShareStatus {
    /// Sharing just started: nobody linked, nothing refused.
    fn fresh(address: SocketAddr, code: String, now: Instant) -> ShareStatus {
        ShareStatus {
            address,
            code,
            trainees: 0,
            linked: Vec::new(),
            refused: 0,
            last_refused: None,
            throttled: 0,
            recent_wrong: LastMinute::new(now),
            retired: 0,
            retired_at: None,
            session: None,
            unsendable: 0,
        }
    }

    /// The warning line while someone tries wrong join codes, e.g. `37 wrong join codes in
    /// the last minute — new code: fig-otter-17` (the code was retired) or `3 wrong join
    /// codes in the last minute (last from 192.168.1.40)`; `None` after a quiet minute.
    pub fn warning(&self, now: Instant) -> Option<String> {
        let count = self.recent_wrong.count(now);
        let mut line = match count {
            0 => return None,
            1 => "1 wrong join code in the last minute".to_owned(),
            n => format!("{n} wrong join codes in the last minute"),
        };
        let retired_lately = self
            .retired_at
            .is_some_and(|at| now.saturating_duration_since(at) < Duration::from_secs(60));
        if retired_lately {
            line.push_str(&format!(" — new code: {}", self.code));
        } else if let Some(from) = self.last_refused {
            line.push_str(&format!(" (last from {})", from.ip()));
        }
        Some(line)
    }

    /// One line for the console, e.g. `2 trainees connected · 1 wrong code refused`.
    pub fn summary(&self) -> String {
        let mut line = match self.trainees {
            1 => "1 trainee connected".to_owned(),
            n => format!("{n} trainees connected"),
        };
        match self.refused {
            0 => {}
            1 => line.push_str(" · 1 wrong code refused"),
            n => line.push_str(&format!(" · {n} wrong codes refused")),
        }
        line
    }
}

enum HubCmd {
    Publish(Vec<Event>),
    Join {
        peer: SocketAddr,
        stream: TcpStream,
        sealer: Sealer,
        opener: Opener,
    },
    Left(u64),
    Refused(SocketAddr, Instant),
    /// A hello turned away unchecked; `true` when it counts as a guess.
    Throttled(bool, Instant),
    Retired(String, Instant),
    Session(String),
    /// Sharing stops: every trainee is sent what is queued for it, then let go.
    Close,
}

/// Sharing, on: a listening socket and the tasks behind it. Dropping it (or [`stop`])
/// closes the listener and every trainee's link.
///
/// [`stop`]: ShareServer::stop
pub struct ShareServer {
    hub: mpsc::UnboundedSender<HubCmd>,
    status: watch::Receiver<ShareStatus>,
    accept_task: JoinHandle<()>,
    hub_task: JoinHandle<()>,
}

impl ShareServer {
    /// Listens on `bind` (and only there) for trainees holding `code`. Must be called
    /// inside a tokio runtime with IO and time enabled; the tasks run on it. Returns the
    /// address actually bound (useful with port 0).
    pub fn start(bind: SocketAddr, code: &str) -> io::Result<(ShareServer, SocketAddr)> {
        ShareServer::start_with(bind, code, ShareConfig::default())
    }

    pub fn start_with(
        bind: SocketAddr,
        code: &str,
        config: ShareConfig,
    ) -> io::Result<(ShareServer, SocketAddr)> {
        let runtime = tokio::runtime::Handle::try_current()
            .map_err(|_| io::Error::other("sharing needs a running tokio runtime"))?;
        let code = normalize_join_code(code);
        if code.is_empty() {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                "the join code is empty",
            ));
        }
        let listener = {
            let _entered = runtime.enter();
            let socket = if bind.is_ipv4() {
                TcpSocket::new_v4()?
            } else {
                TcpSocket::new_v6()?
            };
            // A facilitator back after a crash binds the same port while old links linger.
            socket.set_reuseaddr(true)?;
            socket.bind(bind)?;
            // A deep queue of connections not yet accepted, so a flood of them does not
            // make the kernel drop a trainee's.
            socket.listen(LISTEN_BACKLOG)?
        };
        let address = listener.local_addr()?;

        let now = Instant::now();
        let (status_tx, status) = watch::channel(ShareStatus::fresh(address, code.clone(), now));
        let (hub_tx, hub_rx) = mpsc::unbounded_channel();
        let hub = Hub::new(status_tx, hub_tx.clone(), config.clone());
        let hub_task = runtime.spawn(hub.run(hub_rx));
        let guard = Guard::new(
            code,
            config.retire_after,
            GuessBudget::new(config.guesses, config.guess_period),
            Throttle::new(config.backoff_first, config.backoff_max),
        );
        let accept_task = runtime.spawn(accept_loop(listener, guard, config, hub_tx.clone()));
        Ok((
            ShareServer {
                hub: hub_tx,
                status,
                accept_task,
                hub_task,
            },
            address,
        ))
    }

    /// Hands new events to the trainees. Never waits: it only queues them for the
    /// server's task. Notes and the plan's private cues are dropped here, so they never
    /// even reach the server's task.
    /// Pass every event once, in order, starting with `Started` (for a resumed session:
    /// the whole journal first). A new `Started` begins a new history.
    pub fn publish(&self, events: &[Event]) {
        let shareable: Vec<Event> = events
            .iter()
            .filter(|e| e.is_shareable())
            .map(super::redact::without_private_cues)
            .collect();
        if !shareable.is_empty() {
            // Fails only once the server has stopped, when there is no one to tell.
            let _ = self.hub.send(HubCmd::Publish(shareable));
        }
    }

    /// The current status: a cheap copy.
    pub fn status(&self) -> ShareStatus {
        self.status.borrow().clone()
    }

    /// A receiver that wakes when the status changes (for the console's `select!`).
    pub fn watch_status(&self) -> watch::Receiver<ShareStatus> {
        self.status.clone()
    }

    /// Tells every trainee, now and on joining, which session this is (the journal's
    /// session id), so their observations are filed against it. Call it before publishing
    /// the session's `Started`, and again for a new session.
    pub fn set_session(&self, session_id: &str) {
        let _ = self.hub.send(HubCmd::Session(session_id.to_owned()));
    }

    /// Closes the listener and every link, once each trainee has been sent what was
    /// published for it (the session's end among it).
    pub fn stop(self) {}
}

impl Drop for ShareServer {
    fn drop(&mut self) {
        self.accept_task.abort();
        // The hub lets each trainee's task send what is queued and hang up, then ends.
        if self.hub.send(HubCmd::Close).is_err() {
            self.hub_task.abort();
        }
    }
}

struct Trainee {
    id: u64,
    peer: SocketAddr,
    tx: mpsc::Sender<Arc<[u8]>>,
    task: AbortHandle,
}

/// The linked trainees; their tasks end with the hub, however it ends.
struct Trainees(Vec<Trainee>);

impl Drop for Trainees {
    fn drop(&mut self) {
        for trainee in &self.0 {
            trainee.task.abort();
        }
    }
}

struct Hub {
    /// Every shareable event since `Started`, unredacted.
    log: Vec<Event>,
    curtain: bool,
    /// The session id trainees are told.
    session: Option<String>,
    trainees: Trainees,
    next_id: u64,
    status: watch::Sender<ShareStatus>,
    to_self: mpsc::UnboundedSender<HubCmd>,
    config: ShareConfig,
}

impl Hub {
    fn new(
        status: watch::Sender<ShareStatus>,
        to_self: mpsc::UnboundedSender<HubCmd>,
        config: ShareConfig,
    ) -> Hub {
        Hub {
            log: Vec::new(),
            curtain: false,
            session: None,
            trainees: Trainees(Vec::new()),
            next_id: 0,
            status,
            to_self,
            config,
        }
    }

    async fn run(mut self, mut commands: mpsc::UnboundedReceiver<HubCmd>) {
        let mut pending = Vec::new();
        while let Some(first) = commands.recv().await {
            // Take whatever else is waiting too, so a burst of publishes goes out as one.
            let mut next = Some(first);
            let mut taken = 0;
            while let Some(command) = next {
                match command {
                    HubCmd::Publish(events) => pending.extend(events),
                    HubCmd::Close => {
                        self.flush(&mut pending);
                        self.close();
                        return;
                    }
                    other => {
                        self.flush(&mut pending);
                        self.handle(other);
                    }
                }
                taken += 1;
                next = if taken < 1024 {
                    commands.try_recv().ok()
                } else {
                    None
                };
            }
            self.flush(&mut pending);
        }
    }

    fn handle(&mut self, command: HubCmd) {
        match command {
            HubCmd::Publish(_) | HubCmd::Close => {}
            HubCmd::Join {
                peer,
                stream,
                sealer,
                opener,
            } => self.join(peer, stream, sealer, opener),
            HubCmd::Left(id) => {
                self.trainees.0.retain(|t| t.id != id);
                self.update_count();
            }
            HubCmd::Refused(peer, at) => {
                self.status.send_modify(|s| {
                    s.refused = s.refused.saturating_add(1);
                    s.last_refused = Some(peer);
                    s.recent_wrong.record(at);
                });
            }
            HubCmd::Throttled(guess, at) => {
                self.status.send_modify(|s| {
                    s.throttled = s.throttled.saturating_add(1);
                    if guess {
                        s.recent_wrong.record(at);
                    }
                });
            }
            HubCmd::Retired(code, at) => {
                self.status.send_modify(|s| {
                    s.code = code;
                    s.retired = s.retired.saturating_add(1);
                    s.retired_at = Some(at);
                });
            }
            HubCmd::Session(id) => {
                if self.session.as_deref() != Some(id.as_str()) {
                    self.session = Some(id.clone());
                    self.status.send_modify(|s| s.session = Some(id.clone()));
                    if let Ok(hello) = encode(&ServerMessage::Hello { session: id }) {
                        self.broadcast(&[Arc::from(hello)]);
                    }
                }
            }
        }
    }

    /// Lets go of every trainee without cutting it off: its task sends what is queued,
    /// finds the queue closed and hangs up.
    fn close(&mut self) {
        for trainee in std::mem::take(&mut self.trainees.0) {
            drop(trainee.tx);
        }
        self.update_count();
    }

    /// What a trainee is sent first: which session this is.
    fn hello(&self) -> Option<Arc<[u8]>> {
        let session = self.session.clone()?;
        encode(&ServerMessage::Hello { session }).ok().map(Arc::from)
    }

    /// The history as a trainee may see it now, as messages, and how many events of it
    /// cannot be sent.
    fn snapshot(&self) -> (Vec<Arc<[u8]>>, usize) {
        let (messages, unsendable) = if self.curtain {
            encode_events(true, &redact_for_curtain(&self.log))
        } else {
            encode_events(true, &self.log)
        };
        (messages.into_iter().map(Arc::from).collect(), unsendable)
    }

    /// Counts events of the log that cannot be sent (`restart`: the log is new).
    fn note_unsendable(&mut self, unsendable: usize, restart: bool) {
        self.status.send_if_modified(|s| {
            let before = s.unsendable;
            s.unsendable = if restart { unsendable } else { before + unsendable };
            s.unsendable != before
        });
    }

    fn flush(&mut self, pending: &mut Vec<Event>) {
        if pending.is_empty() {
            return;
        }
        let curtain_before = self.curtain;
        let mut from = self.log.len();
        let mut restart = false;
        for event in pending.drain(..) {
            match &event {
                Event::Started { .. } => {
                    self.log.clear();
                    self.curtain = false;
                    from = 0;
                    restart = true;
                }
                Event::CurtainSet { on, .. } => self.curtain = *on,
                _ => {}
            }
            self.log.push(event);
        }
        let messages = if restart || self.curtain != curtain_before {
            // A new session, or the curtain moved: everyone gets the history again, named
            // or not.
            let (messages, unsendable) = self.snapshot();
            if restart {
                self.note_unsendable(unsendable, true);
            }
            messages
        } else {
            let (messages, unsendable) = if self.curtain {
                encode_events(false, &redact_for_curtain(&self.log[from..]))
            } else {
                encode_events(false, &self.log[from..])
            };
            self.note_unsendable(unsendable, false);
            messages.into_iter().map(Arc::from).collect()
        };
        self.broadcast(&messages);
    }

    fn broadcast(&mut self, messages: &[Arc<[u8]>]) {
        let before = self.trainees.0.len();
        self.trainees.0.retain(|trainee| {
            let kept = messages.iter().all(|m| trainee.tx.try_send(m.clone()).is_ok());
            if !kept {
                // Too far behind (or gone): cut off; it reconnects and catches up.
                trainee.task.abort();
            }
            kept
        });
        if self.trainees.0.len() != before {
            self.update_count();
        }
    }

    fn join(&mut self, peer: SocketAddr, stream: TcpStream, sealer: Sealer, opener: Opener) {
        if self.trainees.0.len() >= self.config.max_trainees {
            return; // Dropping the stream closes it.
        }
        let (snapshot, _) = self.snapshot();
        let first = self.hello().into_iter().chain(snapshot).collect::<Vec<_>>();
        let (tx, rx) = mpsc::channel(self.config.queue.max(1) + first.len());
        for message in first {
            if tx.try_send(message).is_err() {
                return;
            }
        }
        let id = self.next_id;
        self.next_id += 1;
        let to_hub = self.to_self.clone();
        let config = self.config.clone();
        let task = tokio::spawn(async move {
            serve_trainee(stream, sealer, opener, rx, &config).await;
            let _ = to_hub.send(HubCmd::Left(id));
        });
        self.trainees.0.push(Trainee {
            id,
            peer,
            tx,
            task: task.abort_handle(),
        });
        self.update_count();
    }

    fn update_count(&mut self) {
        let linked: Vec<SocketAddr> = self.trainees.0.iter().map(|t| t.peer).collect();
        self.status.send_if_modified(|s| {
            let changed = s.linked != linked;
            s.trainees = linked.len();
            s.linked = linked;
            changed
        });
    }
}

fn lock<T>(shared: &Mutex<T>) -> MutexGuard<'_, T> {
    shared.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// A handshake's place at the door, given up however the handshake ends (aborted too).
struct Place {
    door: Arc<Mutex<Door>>,
    id: u64,
}

impl Drop for Place {
    fn drop(&mut self) {
        lock(&self.door).leave(self.id);
    }
}

/// A place in the guess budget taken for one check, settled however the check ends
/// (aborted by its deadline too).
struct Check {
    guard: Arc<Mutex<Guard>>,
    ip: IpAddr,
    settled: bool,
}

impl Drop for Check {
    fn drop(&mut self) {
        if !self.settled {
            lock(&self.guard).abandoned(self.ip, Instant::now());
        }
    }
}

async fn accept_loop(
    listener: TcpListener,
    guard: Guard,
    config: ShareConfig,
    hub: mpsc::UnboundedSender<HubCmd>,
) {
    let door = Arc::new(Mutex::new(Door::new(
        config.max_handshakes_per_ip,
        config.max_handshakes,
    )));
    let guard = Arc::new(Mutex::new(guard));
    let mut handshakes = JoinSet::new();
    let mut running: Vec<(u64, AbortHandle)> = Vec::new();
    loop {
        tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, peer)) => {
                    let entry = lock(&door).enter(network_of(peer.ip()), Instant::now());
                    let id = match entry {
                        Entry::Busy => {
                            let _ = stream.try_write(&busy_frame());
                            continue;
                        }
                        Entry::In { id } => id,
                        Entry::Replacing { id, evict, stalled } => {
                            // A connection that never said hello (or stalled after it) gives way;
                            // one that stalled waits as if its deadline had come.
                            if let Some(at) = running.iter().position(|(i, _)| *i == evict) {
                                running.swap_remove(at).1.abort();
                            }
                            if let Some(ip) = stalled {
                                lock(&guard).stalled(ip, Instant::now());
                            }
                            id
                        }
                    };
                    let place = Place { door: door.clone(), id };
                    let job = handshake(stream, peer, place, guard.clone(), config.clone(), hub.clone());
                    running.retain(|(_, task)| !task.is_finished());
                    running.push((id, handshakes.spawn(job)));
                }
                // Out of file descriptors and the like: wait, do not spin.
                Err(_) => tokio::time::sleep(Duration::from_millis(100)).await,
            },
            Some(_) = handshakes.join_next(), if !handshakes.is_empty() => {}
        }
    }
}

async fn handshake(
    mut stream: TcpStream,
    peer: SocketAddr,
    place: Place,
    guard: Arc<Mutex<Guard>>,
    config: ShareConfig,
    hub: mpsc::UnboundedSender<HubCmd>,
) {
    let _ = stream.set_nodelay(true);
    let deadline = tokio::time::Instant::now() + config.handshake_timeout;
    let hello_by = deadline.min(tokio::time::Instant::now() + config.hello_timeout);
    // Strangers, silence and dropped connections are not worth a line on screen.
    let Ok(Ok(hello)) = timeout_at(hello_by, read_hello(&mut stream)).await else {
        return;
    };
    lock(&place.door).heard(place.id, Instant::now());
    let ip = network_of(peer.ip());
    let turns = lock(&guard).throttle.gate(ip, Instant::now());
    let result = timeout_at(deadline, async {
        // Handshakes from one address take turns, so wrong codes cannot be tried in parallel.
        let _turn = turns.lock().await;
        let waiting = lock(&guard).throttle.wait(ip, Instant::now());
        if let Some(wait) = waiting {
            let _ = hub.send(HubCmd::Throttled(true, Instant::now()));
            return turn_away(&mut stream, wait).await;
        }
        let code = lock(&guard).code().to_owned();
        let agreed = proceed(&mut stream, &hello, &code).await?;
        // A place in the bound on guessing is taken only when there is a code to check:
        // a handshake that stalls after its hello never holds one.
        let tag = match timeout_at(deadline, read_tag(&mut stream)).await {
            Ok(Ok(tag)) => tag,
            answered => {
                lock(&guard).stalled(ip, Instant::now());
                return Err(match answered {
                    Ok(Err(error)) => error,
                    _ => HandshakeError::Protocol("no answer in time".into()),
                });
            }
        };
        let admitted = lock(&guard).admit(ip, Instant::now());
        let current = match admitted {
            Ok(current) => current,
            Err(refusal) => {
                let _ = hub.send(HubCmd::Throttled(refusal.is_guess(), Instant::now()));
                return turn_away(&mut stream, refusal.wait()).await;
            }
        };
        let mut check = Check {
            guard: guard.clone(),
            ip,
            settled: false,
        };
        // A code retired while this handshake was under way is no code any more.
        let outcome = if current == code {
            verdict(&mut stream, agreed, &tag).await
        } else {
            refuse(&mut stream).await
        };
        match &outcome {
            Ok(_) => {
                lock(&guard).right(ip);
                check.settled = true;
            }
            Err(HandshakeError::WrongCode) => {
                let now = Instant::now();
                let retired = lock(&guard).wrong(ip, now, || new_join_code().ok());
                check.settled = true;
                let _ = hub.send(HubCmd::Refused(peer, now));
                if let Some(code) = retired {
                    let _ = hub.send(HubCmd::Retired(code, now));
                }
            }
            Err(_) => {}
        }
        outcome
    })
    .await;
    drop(turns);
    if let Ok(Ok((sealer, opener))) = result {
        let _ = hub.send(HubCmd::Join {
            peer,
            stream,
            sealer,
            opener,
        });
    }
}

/// One trainee's link, until it fails, idles out or the hub lets go of it.
async fn serve_trainee(
    stream: TcpStream,
    mut sealer: Sealer,
    mut opener: Opener,
    mut queue: mpsc::Receiver<Arc<[u8]>>,
    config: &ShareConfig,
) {
    let (mut reader, mut writer) = stream.into_split();
    let incoming = async {
        loop {
            let frame = match timeout(config.idle_timeout, read_frame(&mut reader, MAX_HANDSHAKE_FRAME)).await
            {
                Ok(Ok(frame)) => frame,
                _ => return,
            };
            // Trainees are read-only: a ping is all they may say.
            match opener
                .open(&frame)
                .ok()
                .and_then(|plain| decode::<ClientMessage>(&plain).ok())
            {
                Some(ClientMessage::Ping) => {}
                None => return,
            }
        }
    };
    let outgoing = async {
        let Ok(ping) = encode(&ServerMessage::Ping) else {
            return;
        };
        let ping: Arc<[u8]> = Arc::from(ping);
        loop {
            let message = tokio::select! {
                biased;
                message = queue.recv() => match message {
                    Some(message) => message,
                    None => return,
                },
                () = tokio::time::sleep(config.ping_every) => ping.clone(),
            };
            let Ok(frame) = sealer
                .seal(&message)
                .map_err(drop)
                .and_then(|s| encode_frame(&s).map_err(drop))
            else {
                return;
            };
            let write = tokio::io::AsyncWriteExt::write_all(&mut writer, &frame);
            if !matches!(timeout(config.write_timeout, write).await, Ok(Ok(()))) {
                return;
            }
        }
    };
    tokio::select! {
        () = incoming => {}
        () = outgoing => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hub() -> (Hub, watch::Receiver<ShareStatus>) {
        let address = SocketAddr::from(([127, 0, 0, 1], 7000));
        let (status, rx) = watch::channel(ShareStatus::fresh(
            address,
            "plum-river-42".into(),
            Instant::now(),
        ));
        let (to_self, _) = mpsc::unbounded_channel();
        let hub = Hub::new(status, to_self, ShareConfig::default());
        (hub, rx)
    }

    fn add(hub: &mut Hub, capacity: usize) -> (mpsc::Receiver<Arc<[u8]>>, JoinHandle<()>) {
        let (tx, rx) = mpsc::channel(capacity);
        let task = tokio::spawn(std::future::pending::<()>());
        hub.trainees.0.push(Trainee {
            id: hub.next_id,
            peer: SocketAddr::from(([192, 0, 2, 1], 1000 + hub.next_id as u16)),
            tx,
            task: task.abort_handle(),
        });
        hub.next_id += 1;
        hub.update_count();
        (rx, task)
    }

    fn drain(rx: &mut mpsc::Receiver<Arc<[u8]>>) -> Vec<ServerMessage> {
        std::iter::from_fn(|| rx.try_recv().ok())
            .map(|m| decode::<ServerMessage>(&m).expect("decodes"))
            .collect()
    }

    #[tokio::test]
    async fn a_trainee_whose_queue_is_full_is_cut_off_and_the_others_are_not() {
        let (mut hub, status) = hub();
        let (_never_read, slow_task) = add(&mut hub, 3);
        let (mut fast, _fast_task) = add(&mut hub, 3);
        assert_eq!(status.borrow().trainees, 2);
        for at in 0..10 {
            hub.flush(&mut vec![Event::Heartbeat { at }]);
            assert_eq!(drain(&mut fast).len(), 1);
        }
        assert_eq!(hub.trainees.0.len(), 1);
        assert_eq!(hub.trainees.0[0].id, 1, "the one that keeps up stays");
        assert_eq!(status.borrow().trainees, 1);
        assert!(
            slow_task.await.is_err_and(|e| e.is_cancelled()),
            "the slow one's link is closed"
        );
        assert_eq!(hub.log.len(), 10, "the history is kept for its return");
    }

    #[tokio::test]
    async fn the_hub_sends_the_history_again_when_the_curtain_moves() {
        use crate::plan::{BUILTIN_PLAN, BUILTIN_ROSTER, parse_plan, parse_roster};
        let (mut hub, _status) = hub();
        let (mut rx, _task) = add(&mut hub, 64);
        let plan = parse_plan(BUILTIN_PLAN, std::path::Path::new("p")).expect("plan");
        let roster = parse_roster(BUILTIN_ROSTER, std::path::Path::new("r")).expect("roster");
        let started = Event::Started {
            at: 0,
            plan,
            roster,
            seed: 1,
        };
        let names = |messages: &[ServerMessage]| -> Vec<String> {
            messages
                .iter()
                .flat_map(|m| match m {
                    ServerMessage::Snapshot { events } | ServerMessage::Append { events } => events.clone(),
                    ServerMessage::Ping | ServerMessage::Hello { .. } => vec![],
                })
                .filter_map(|e| match e {
                    Event::Started { roster, .. } => Some(roster.members[0].name.clone()),
                    _ => None,
                })
                .collect()
        };

        hub.flush(&mut vec![started.clone(), Event::ClockStarted { at: 1 }]);
        let got = drain(&mut rx);
        assert!(matches!(&got[..], [ServerMessage::Snapshot { events }] if events.len() == 2));
        assert_eq!(names(&got), vec!["Farhana"]);

        hub.flush(&mut vec![Event::TurnStarted { at: 2, member: 0 }]);
        assert!(matches!(&drain(&mut rx)[..], [ServerMessage::Append { events }] if events.len() == 1));

        hub.flush(&mut vec![Event::CurtainSet { at: 3, on: true }]);
        let got = drain(&mut rx);
        assert!(matches!(&got[..], [ServerMessage::Snapshot { events }] if events.len() == 4));
        assert_eq!(names(&got), vec!["Member 1"]);

        // A new trainee joining behind the curtain never sees a name either.
        let (joining, unsendable) = hub.snapshot();
        assert_eq!(unsendable, 0);
        let joining: Vec<ServerMessage> = joining.iter().map(|m| decode(m).expect("decodes")).collect();
        assert_eq!(names(&joining), vec!["Member 1"]);

        hub.flush(&mut vec![Event::TurnEnded { at: 4 }]);
        assert!(matches!(&drain(&mut rx)[..], [ServerMessage::Append { events }] if events.len() == 1));

        hub.flush(&mut vec![Event::CurtainSet { at: 5, on: false }]);
        let got = drain(&mut rx);
        assert!(matches!(&got[..], [ServerMessage::Snapshot { events }] if events.len() == 6));
        assert_eq!(names(&got), vec!["Farhana"]);

        // Drawn and lifted within one burst: no names were hidden long enough to matter, and
        // none were sent while drawn; an append carries both.
        hub.flush(&mut vec![
            Event::CurtainSet { at: 6, on: true },
            Event::CurtainSet { at: 7, on: false },
        ]);
        assert!(matches!(&drain(&mut rx)[..], [ServerMessage::Append { events }] if events.len() == 2));

        // A new Started begins a new history.
        hub.flush(&mut vec![started]);
        assert!(matches!(&drain(&mut rx)[..], [ServerMessage::Snapshot { events }] if events.len() == 1));
        assert_eq!(hub.log.len(), 1);
    }

    #[test]
    fn the_summary_reads_well() {
        let address = SocketAddr::from(([127, 0, 0, 1], 7000));
        let mut status = ShareStatus::fresh(address, "plum-river-42".into(), Instant::now());
        status.trainees = 2;
        status.refused = 1;
        assert_eq!(status.summary(), "2 trainees connected · 1 wrong code refused");
        status.trainees = 1;
        status.refused = 0;
        assert_eq!(status.summary(), "1 trainee connected");
        status.trainees = 0;
        status.refused = 3;
        assert_eq!(status.summary(), "0 trainees connected · 3 wrong codes refused");
    }

    #[test]
    fn starting_outside_a_runtime_is_an_error_not_a_panic() {
        let result = ShareServer::start(SocketAddr::from(([127, 0, 0, 1], 0)), "a-b-10");
        assert!(result.is_err());
    }

    #[test]
    fn an_empty_code_is_refused() {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime");
        runtime.block_on(async {
            let result = ShareServer::start(SocketAddr::from(([127, 0, 0, 1], 0)), " - ");
            assert_eq!(result.err().map(|e| e.kind()), Some(io::ErrorKind::InvalidInput));
        });
    }
}
