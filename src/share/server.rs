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
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{Semaphore, mpsc, watch};
use tokio::task::{AbortHandle, JoinHandle, JoinSet};
use tokio::time::timeout;

use super::code::normalize_join_code;
use super::crypto::{Opener, Sealer};
use super::frame::{MAX_HANDSHAKE_FRAME, encode_frame, read_frame};
use super::handshake::{HandshakeError, busy_frame, server_handshake};
use super::message::{ClientMessage, ServerMessage, decode, encode, encode_events};
use super::redact::redact_for_curtain;
use super::throttle::Throttle;
use crate::session::Event;

/// Handshakes from one address waiting or under way at once; more are told to come back.
const MAX_HANDSHAKES_PER_IP: usize = 4;

/// Limits and timings of the facilitator's end. The defaults suit a room on a LAN.
#[derive(Debug, Clone)]
pub struct ShareConfig {
    /// Handshakes under way at once, from all addresses; more are told to come back.
    pub max_handshakes: usize,
    /// A handshake not done by then is dropped.
    pub handshake_timeout: Duration,
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
            max_handshakes: 16,
            handshake_timeout: Duration::from_secs(5),
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
    /// Handshakes turned away because their address was waiting after wrong codes.
    pub throttled: u32,
    /// Events that could not be sent because one alone is larger than a frame.
    pub unsendable: usize,
}

impl ShareStatus {
    /// Sharing just started: nobody linked, nothing refused.
    fn fresh(address: SocketAddr, code: String) -> ShareStatus {
        ShareStatus {
            address,
            code,
            trainees: 0,
            linked: Vec::new(),
            refused: 0,
            last_refused: None,
            throttled: 0,
            unsendable: 0,
        }
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
    Refused(SocketAddr),
    Throttled,
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
        let listener = std::net::TcpListener::bind(bind)?;
        listener.set_nonblocking(true)?;
        let listener = {
            let _entered = runtime.enter();
            TcpListener::from_std(listener)?
        };
        let address = listener.local_addr()?;

        let (status_tx, status) = watch::channel(ShareStatus::fresh(address, code.clone()));
        let (hub_tx, hub_rx) = mpsc::unbounded_channel();
        let hub = Hub::new(status_tx, hub_tx.clone(), config.clone());
        let hub_task = runtime.spawn(hub.run(hub_rx));
        let accept_task = runtime.spawn(accept_loop(
            listener,
            Arc::from(code.as_str()),
            config,
            hub_tx.clone(),
        ));
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
    /// server's task. Notes are dropped here, so they never even reach the server's task.
    /// Pass every event once, in order, starting with `Started` (for a resumed session:
    /// the whole journal first). A new `Started` begins a new history.
    pub fn publish(&self, events: &[Event]) {
        let shareable: Vec<Event> = events.iter().filter(|e| e.is_shareable()).cloned().collect();
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

    /// Closes the listener and every link.
    pub fn stop(self) {}
}

impl Drop for ShareServer {
    fn drop(&mut self) {
        self.accept_task.abort();
        self.hub_task.abort();
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
            HubCmd::Publish(_) => {}
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
            HubCmd::Refused(peer) => {
                self.status.send_modify(|s| {
                    s.refused = s.refused.saturating_add(1);
                    s.last_refused = Some(peer);
                });
            }
            HubCmd::Throttled => {
                self.status
                    .send_modify(|s| s.throttled = s.throttled.saturating_add(1));
            }
        }
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
        let (tx, rx) = mpsc::channel(self.config.queue.max(1) + snapshot.len());
        for message in snapshot {
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

fn lock(throttle: &Mutex<Throttle>) -> MutexGuard<'_, Throttle> {
    throttle.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

async fn accept_loop(
    listener: TcpListener,
    code: Arc<str>,
    config: ShareConfig,
    hub: mpsc::UnboundedSender<HubCmd>,
) {
    let permits = Arc::new(Semaphore::new(config.max_handshakes.max(1)));
    let throttle = Arc::new(Mutex::new(Throttle::new(
        config.backoff_first,
        config.backoff_max,
    )));
    let mut handshakes = JoinSet::new();
    loop {
        tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, peer)) => {
                    let Ok(permit) = permits.clone().try_acquire_owned() else {
                        let _ = stream.try_write(&busy_frame());
                        continue;
                    };
                    let job = handshake(stream, peer, code.clone(), config.clone(), hub.clone(), throttle.clone());
                    handshakes.spawn(async move {
                        job.await;
                        drop(permit);
                    });
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
    code: Arc<str>,
    config: ShareConfig,
    hub: mpsc::UnboundedSender<HubCmd>,
    throttle: Arc<Mutex<Throttle>>,
) {
    let _ = stream.set_nodelay(true);
    let ip = peer.ip();
    let gate = lock(&throttle).gate(ip, Instant::now());
    // The throttle's record holds one reference, each handshake under way from `ip` one.
    if Arc::strong_count(&gate) > 1 + MAX_HANDSHAKES_PER_IP {
        let _ = stream.try_write(&busy_frame());
        return;
    }
    let result = timeout(config.handshake_timeout, async {
        // Handshakes from one address take turns, so wrong codes cannot be tried in parallel.
        let _turn = gate.lock().await;
        let outcome = server_handshake(&mut stream, &code, || lock(&throttle).wait(ip, Instant::now())).await;
        match &outcome {
            Ok(_) => lock(&throttle).forgive(ip),
            Err(HandshakeError::WrongCode) => {
                lock(&throttle).strike(ip, Instant::now());
            }
            Err(_) => {}
        }
        outcome
    })
    .await;
    drop(gate);
    let command = match result {
        Ok(Ok((sealer, opener))) => HubCmd::Join {
            peer,
            stream,
            sealer,
            opener,
        },
        Ok(Err(HandshakeError::WrongCode)) => HubCmd::Refused(peer),
        Ok(Err(HandshakeError::Throttled(_))) => HubCmd::Throttled,
        // Strangers, timeouts and dropped connections are not worth a line on screen.
        _ => return,
    };
    let _ = hub.send(command);
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
        let (status, rx) = watch::channel(ShareStatus::fresh(address, "plum-river-42".into()));
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
                    ServerMessage::Ping => vec![],
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
        let mut status = ShareStatus {
            address: SocketAddr::from(([127, 0, 0, 1], 7000)),
            code: "plum-river-42".into(),
            trainees: 2,
            linked: Vec::new(),
            refused: 1,
            last_refused: None,
            throttled: 0,
            unsendable: 0,
        };
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
