//! Live shadowing end to end on loopback: a facilitator's server, trainees following it,
//! and a recording relay in between where the test needs to see (or damage) the wire.

use std::net::SocketAddr;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use holdspace::plan::{BUILTIN_PLAN, BUILTIN_ROSTER, Plan, Roster, parse_plan, parse_roster};
use holdspace::session::{About, Attendance, Command, Event, Millis, State, Tag, decide};
use holdspace::share::{
    Connection, FollowConfig, FollowError, FollowState, MAX_FRAME, ServerMessage, ShareClient, ShareConfig,
    ShareServer, ShareStatus,
};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpSocket, TcpStream};
use tokio::sync::watch;
use tokio::task::AbortHandle;

const CODE: &str = "plum-river-42";
const T0: Millis = 1_700_000_000_000;
const NOTE: &str = "Farhana mentioned the bridge on Kestrel Lane again";
const WAIT: Duration = Duration::from_secs(15);

fn loopback() -> SocketAddr {
    SocketAddr::from(([127, 0, 0, 1], 0))
}

fn quick() -> FollowConfig {
    FollowConfig {
        retry_first: Duration::from_millis(50),
        retry_max: Duration::from_millis(400),
        ..FollowConfig::default()
    }
}

fn plan_and_roster() -> (Plan, Roster) {
    (
        parse_plan(BUILTIN_PLAN, Path::new("p")).expect("the built-in plan"),
        parse_roster(BUILTIN_ROSTER, Path::new("r")).expect("the built-in roster"),
    )
}

/// The facilitator's console, minus the terminal: commands → events → state and server.
struct Facilitator {
    state: State,
    events: Vec<Event>,
    at: Millis,
}

impl Facilitator {
    fn start(server: &ShareServer) -> Facilitator {
        let (plan, roster) = plan_and_roster();
        let started = Event::Started {
            at: T0,
            plan: plan.clone(),
            roster: roster.clone(),
            seed: 7,
        };
        server.publish(std::slice::from_ref(&started));
        Facilitator {
            state: State::new(plan, roster, 7, T0),
            events: vec![started],
            at: T0,
        }
    }

    fn act(&mut self, server: &ShareServer, command: Command) -> usize {
        self.at += 7_000;
        let events = decide(&self.state, command, self.at);
        for event in &events {
            self.state.apply(event);
        }
        server.publish(&events);
        self.events.extend(events.iter().cloned());
        events.len()
    }

    /// A few minutes of a real session: clock, segments, a round, attendance, a note.
    fn run_some(&mut self, server: &ShareServer) {
        self.act(server, Command::StartPause);
        self.act(server, Command::NextSegment);
        self.act(server, Command::NextSegment);
        self.act(
            server,
            Command::MarkAttendance(3, Attendance::Late { at: self.at }),
        );
        self.act(server, Command::MarkAttendance(6, Attendance::Absent));
        self.act(server, Command::NextSpeaker);
        self.act(server, Command::NextSpeaker);
        self.act(
            server,
            Command::AddNote {
                about: About::Member(0),
                tags: vec![Tag::Risk],
                text: NOTE.to_owned(),
            },
        );
        self.act(server, Command::Pass);
        self.act(server, Command::Adjust(120));
        self.act(server, Command::NextSpeaker);
    }

    fn shareable(&self) -> Vec<Event> {
        self.events.iter().filter(|e| e.is_shareable()).cloned().collect()
    }

    /// What a trainee should hold: the facilitator's state without its notes.
    fn expected_view(&self) -> String {
        let folded = State::fold(&self.shareable()).expect("folds");
        let mut mine = self.state.clone();
        mine.notes.clear();
        let mine = format!("{mine:?}");
        assert_eq!(format!("{folded:?}"), mine, "only the notes differ");
        mine
    }
}

async fn wait_for(
    rx: &mut watch::Receiver<FollowState>,
    what: &str,
    done: impl Fn(&FollowState) -> bool,
) -> FollowState {
    let waited = tokio::time::timeout(WAIT, async {
        loop {
            {
                let now = rx.borrow_and_update();
                if done(&now) {
                    return now.clone();
                }
            }
            if rx.changed().await.is_err() {
                let last = rx.borrow().clone();
                return if done(&last) {
                    last
                } else {
                    panic!("the follower ended before {what}: {last:?}")
                };
            }
        }
    })
    .await;
    match waited {
        Ok(state) => state,
        Err(_) => {
            let last = rx.borrow();
            panic!(
                "timed out waiting for {what}: connected {}, error {:?}, {} events",
                last.connected,
                last.error,
                last.events.len()
            )
        }
    }
}

async fn wait_status(server: &ShareServer, what: &str, done: impl Fn(&ShareStatus) -> bool) -> ShareStatus {
    let mut rx = server.watch_status();
    let waited = tokio::time::timeout(WAIT, async {
        loop {
            {
                let now = rx.borrow_and_update();
                if done(&now) {
                    return now.clone();
                }
            }
            if rx.changed().await.is_err() {
                panic!("the server stopped before {what}");
            }
        }
    })
    .await;
    waited.unwrap_or_else(|_| panic!("timed out waiting for {what}: {:?}", server.status()))
}

fn has_all(expected: usize) -> impl Fn(&FollowState) -> bool {
    move |s| s.connected && s.events.len() == expected
}

fn view_of(state: &FollowState) -> String {
    format!("{:?}", state.state.as_ref().expect("a folded state"))
}

#[tokio::test]
async fn two_trainees_see_what_the_facilitator_sees_minus_notes_and_behind_the_curtain() {
    let (server, addr) = ShareServer::start(loopback(), CODE).expect("sharing starts");
    let addr = addr.to_string();
    let ana = ShareClient::follow_with(&addr, CODE, quick()).expect("follows");
    // Typed as heard: the code is the same however it is spaced or capitalised.
    let ben = ShareClient::follow_with(&addr, "Plum River 42", quick()).expect("follows");
    let (mut a, mut b) = (ana.watch(), ben.watch());
    wait_status(&server, "two trainees", |s| s.trainees == 2).await;

    let mut desk = Facilitator::start(&server);
    desk.run_some(&server);
    let expected = desk.expected_view();
    let count = desk.shareable().len();
    assert!(count < desk.events.len(), "the note was not shareable");
    for (who, rx) in [("ana", &mut a), ("ben", &mut b)] {
        let seen = wait_for(rx, who, has_all(count)).await;
        assert_eq!(seen.events, desk.shareable(), "{who} holds the same events");
        assert_eq!(view_of(&seen), expected, "{who} sees the facilitator's screen");
        let state = seen.state.as_ref().expect("state");
        assert!(state.notes.is_empty());
        assert_eq!(state.roster.members[0].name, "Farhana");
    }

    // One action: both trainees have it within a second.
    let before = Instant::now();
    let added = desk.act(&server, Command::Adjust(60));
    assert!(added > 0);
    for rx in [&mut a, &mut b] {
        wait_for(rx, "the next speaker", has_all(count + added)).await;
    }
    assert!(
        before.elapsed() < Duration::from_secs(1),
        "took {:?}",
        before.elapsed()
    );

    // The curtain: the trainees see it too, and the names are gone from what they hold.
    desk.act(&server, Command::ToggleCurtain);
    desk.act(&server, Command::ToggleHand(5));
    let count = desk.shareable().len();
    for rx in [&mut a, &mut b] {
        let seen = wait_for(rx, "the curtain", has_all(count)).await;
        let state = seen.state.as_ref().expect("state");
        assert!(state.curtain);
        assert_eq!(state.roster.members[0].name, "Member 1");
        assert_eq!(state.roster.facilitators[0].name, "Facilitator 1");
        assert_eq!(state.queue, desk.state.queue, "the queue still follows");
        assert_eq!(state.current_turn(), desk.state.current_turn());
        assert_eq!(state.attendance, desk.state.attendance);
    }

    // Lifted: the names come back, and the screens agree again.
    desk.act(&server, Command::ToggleCurtain);
    desk.act(&server, Command::NextSegment);
    let expected = desk.expected_view();
    let count = desk.shareable().len();
    for rx in [&mut a, &mut b] {
        let seen = wait_for(rx, "the curtain lifted", has_all(count)).await;
        assert_eq!(view_of(&seen), expected);
        assert_eq!(seen.links, 1, "one link all along");
    }
    assert_eq!(server.status().refused, 0);
    server.stop();
    for rx in [&mut a, &mut b] {
        wait_for(rx, "the link to drop", |s| !s.connected).await;
    }
}

#[tokio::test]
async fn a_wrong_code_is_refused_on_both_ends_and_shown_to_the_facilitator() {
    let (server, addr) = ShareServer::start(loopback(), CODE).expect("sharing starts");
    let mut desk = Facilitator::start(&server);
    desk.run_some(&server);

    let wrong = ShareClient::follow_with(&addr.to_string(), "plum-river-43", quick()).expect("follows");
    let mut rx = wrong.watch();
    let seen = wait_for(&mut rx, "the refusal", |s| s.finished).await;
    assert_eq!(seen.error, Some(FollowError::CodeRefused));
    assert_eq!(
        seen.error.as_ref().map(ToString::to_string).as_deref(),
        Some("the join code was refused")
    );
    assert!(!seen.connected);
    assert!(seen.events.is_empty(), "nothing of the session came through");
    assert_eq!(seen.links, 0);

    let status = wait_status(&server, "the refusal", |s| s.refused == 1).await;
    assert_eq!(status.trainees, 0);
    assert_eq!(status.last_refused.map(|a| a.ip()), Some(addr.ip()));
    assert_eq!(status.summary(), "0 trainees connected · 1 wrong code refused");

    // It does not keep knocking: the follower has ended.
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(wrong.is_finished());
    assert_eq!(server.status().refused, 1);
}

#[tokio::test]
async fn repeated_wrong_codes_are_throttled() {
    let (server, addr) = ShareServer::start(loopback(), CODE).expect("sharing starts");
    let addr = addr.to_string();
    let first = ShareClient::follow_with(&addr, "fig-otter-17", quick()).expect("follows");
    wait_for(&mut first.watch(), "the first refusal", |s| s.finished).await;

    // The next try from this address is held off for a second before it is heard.
    let started = Instant::now();
    let second = ShareClient::follow_with(&addr, "fig-otter-18", quick()).expect("follows");
    let mut rx = second.watch();
    let throttled = wait_for(&mut rx, "being throttled", |s| {
        matches!(s.error, Some(FollowError::Throttled(_))) || s.finished
    })
    .await;
    assert!(
        matches!(throttled.error, Some(FollowError::Throttled(_))),
        "{:?}",
        throttled.error
    );
    let seen = wait_for(&mut rx, "the second refusal", |s| s.finished).await;
    assert_eq!(seen.error, Some(FollowError::CodeRefused));
    let waited = started.elapsed();
    assert!(
        waited >= Duration::from_millis(900),
        "the second wrong code was heard after {waited:?}"
    );
    let status = wait_status(&server, "two refusals", |s| s.refused == 2).await;
    assert!(status.throttled >= 1);

    // With the right code the trainee still gets in once its wait (now 2 s) is over.
    let right = ShareClient::follow_with(&addr, CODE, quick()).expect("follows");
    let desk = Facilitator::start(&server);
    let seen = wait_for(
        &mut right.watch(),
        "the right code",
        has_all(desk.shareable().len()),
    )
    .await;
    assert_eq!(seen.links, 1);
}

#[tokio::test]
async fn six_trainees_at_once() {
    let (server, addr) = ShareServer::start(loopback(), CODE).expect("sharing starts");
    let mut desk = Facilitator::start(&server);
    desk.run_some(&server);
    let addr = addr.to_string();
    let trainees: Vec<ShareClient> = (0..6)
        .map(|_| ShareClient::follow_with(&addr, CODE, quick()).expect("follows"))
        .collect();
    wait_status(&server, "six trainees", |s| s.trainees == 6).await;
    desk.act(&server, Command::NextSegment);
    desk.act(&server, Command::StartPause);
    let expected = desk.expected_view();
    for (i, trainee) in trainees.iter().enumerate() {
        let seen = wait_for(
            &mut trainee.watch(),
            &format!("trainee {i}"),
            has_all(desk.shareable().len()),
        )
        .await;
        assert_eq!(view_of(&seen), expected);
    }
    assert_eq!(server.status().linked.len(), 6);
    drop(trainees);
    wait_status(&server, "all gone", |s| s.trainees == 0).await;
}

#[tokio::test]
async fn a_trainee_that_stops_reading_never_holds_up_the_facilitator() {
    // Loopback buffers swallow megabytes, so the stalled trainee is cut off here by its
    // silence (no pings); a full queue cutting one off is a unit test of the hub.
    let config = ShareConfig {
        queue: 64,
        write_timeout: Duration::from_secs(2),
        idle_timeout: Duration::from_secs(2),
        ..ShareConfig::default()
    };
    let (server, addr) = ShareServer::start_with(loopback(), CODE, config).expect("sharing starts");
    let pinging = FollowConfig {
        ping_every: Duration::from_millis(300),
        ..quick()
    };
    let healthy = ShareClient::follow_with(&addr.to_string(), CODE, pinging).expect("follows");
    let mut rx = healthy.watch();

    // A trainee with a tiny window that completes the handshake, then never reads again.
    let socket = TcpSocket::new_v4().expect("socket");
    socket.set_recv_buffer_size(4096).expect("small window");
    let stream = socket.connect(addr).await.expect("connects");
    let stalled = Connection::handshake(stream, CODE)
        .await
        .expect("the stalled trainee joins");
    wait_status(&server, "both trainees", |s| s.trainees == 2).await;

    let mut desk = Facilitator::start(&server);
    let mut slowest = Duration::ZERO;
    let mut total = Duration::ZERO;
    for i in 0..10_000usize {
        let event = if i % 2 == 0 {
            Event::HandToggled {
                at: T0 + i as i64,
                member: i % 8,
            }
        } else {
            Event::Heartbeat { at: T0 + i as i64 }
        };
        let began = Instant::now();
        server.publish(std::slice::from_ref(&event));
        let took = began.elapsed();
        slowest = slowest.max(took);
        total += took;
        if i % 10 == 9 {
            // The console's loop awaits between keys: the server's tasks run then.
            tokio::task::yield_now().await;
        }
    }
    assert!(
        slowest < Duration::from_millis(200),
        "one publish took {slowest:?}"
    );
    assert!(total < Duration::from_secs(1), "10,000 publishes took {total:?}");

    let expected = desk.shareable().len() + 10_000;
    let seen = wait_for(
        &mut rx,
        "the healthy trainee to get everything",
        has_all(expected),
    )
    .await;
    assert_eq!(seen.links, 1, "the healthy trainee was never cut off");
    // The stalled one has been cut off; the healthy one, pinging, has not.
    let status = wait_status(&server, "the stalled trainee to be cut off", |s| s.trainees == 1).await;
    assert_eq!(status.linked.len(), 1);
    desk.act(&server, Command::StartPause);
    wait_for(&mut rx, "one more", has_all(expected + 1)).await;
    assert_eq!(rx.borrow().links, 1);
    drop(stalled);
}

#[tokio::test]
async fn a_trainee_killed_and_restarted_catches_up() {
    let (server, addr) = ShareServer::start(loopback(), CODE).expect("sharing starts");
    let addr = addr.to_string();
    let mut desk = Facilitator::start(&server);
    let first = ShareClient::follow_with(&addr, CODE, quick()).expect("follows");
    wait_for(&mut first.watch(), "the start", has_all(1)).await;
    first.stop();
    wait_status(&server, "the trainee gone", |s| s.trainees == 0).await;

    desk.run_some(&server);
    desk.act(&server, Command::ToggleCurtain);
    desk.act(&server, Command::ToggleCurtain);
    let again = ShareClient::follow_with(&addr, CODE, quick()).expect("follows again");
    let seen = wait_for(&mut again.watch(), "catching up", has_all(desk.shareable().len())).await;
    assert_eq!(view_of(&seen), desk.expected_view());
}

/// A TCP relay that records every byte each way and can cut its links or damage the
/// first link's bytes from the facilitator.
struct Relay {
    addr: SocketAddr,
    up: Arc<Mutex<Vec<u8>>>,
    down: Arc<Mutex<Vec<u8>>>,
    links: Arc<Mutex<Vec<AbortHandle>>>,
    task: AbortHandle,
}

#[derive(Clone, Copy)]
enum Damage {
    /// Flip one bit of this byte (offset in the first link's downstream bytes).
    Flip(usize),
    /// Overwrite from this offset with these bytes.
    Overwrite(usize, [u8; 4]),
}

impl Relay {
    async fn start(target: SocketAddr, damage: Option<Damage>) -> Relay {
        let listener = TcpListener::bind(loopback()).await.expect("relay binds");
        let addr = listener.local_addr().expect("relay address");
        let up = Arc::new(Mutex::new(Vec::new()));
        let down = Arc::new(Mutex::new(Vec::new()));
        let links = Arc::new(Mutex::new(Vec::new()));
        let (up2, down2, links2) = (up.clone(), down.clone(), links.clone());
        let task = tokio::spawn(async move {
            let mut damage = damage;
            while let Ok((inbound, _)) = listener.accept().await {
                let Ok(outbound) = TcpStream::connect(target).await else {
                    continue;
                };
                let (in_read, in_write) = inbound.into_split();
                let (out_read, out_write) = outbound.into_split();
                let a = tokio::spawn(pipe(in_read, out_write, up2.clone(), None));
                let b = tokio::spawn(pipe(out_read, in_write, down2.clone(), damage.take()));
                let mut links = links2.lock().expect("links");
                links.push(a.abort_handle());
                links.push(b.abort_handle());
            }
        })
        .abort_handle();
        Relay {
            addr,
            up,
            down,
            links,
            task,
        }
    }

    fn cut(&self) {
        for link in self.links.lock().expect("links").drain(..) {
            link.abort();
        }
    }

    fn captured(&self) -> Vec<u8> {
        let mut all = self.up.lock().expect("up").clone();
        all.extend_from_slice(&self.down.lock().expect("down"));
        all
    }
}

impl Drop for Relay {
    fn drop(&mut self) {
        self.cut();
        self.task.abort();
    }
}

async fn pipe(
    mut from: tokio::net::tcp::OwnedReadHalf,
    mut to: tokio::net::tcp::OwnedWriteHalf,
    record: Arc<Mutex<Vec<u8>>>,
    damage: Option<Damage>,
) {
    let mut offset = 0usize;
    let mut buf = vec![0u8; 16 * 1024];
    loop {
        let n = match from.read(&mut buf).await {
            Ok(0) | Err(_) => return,
            Ok(n) => n,
        };
        let chunk = &mut buf[..n];
        record.lock().expect("record").extend_from_slice(chunk);
        for i in 0..n {
            match damage {
                Some(Damage::Flip(at)) if offset + i == at => chunk[i] ^= 0x40,
                Some(Damage::Overwrite(at, bytes)) if (at..at + 4).contains(&(offset + i)) => {
                    chunk[i] = bytes[offset + i - at];
                }
                _ => {}
            }
        }
        offset += n;
        if to.write_all(chunk).await.is_err() {
            return;
        }
    }
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    !needle.is_empty() && haystack.windows(needle.len()).any(|w| w == needle)
}

#[tokio::test]
async fn the_wire_carries_no_name_no_note_and_no_plan_text_in_clear() {
    let (server, addr) = ShareServer::start(loopback(), CODE).expect("sharing starts");
    let relay = Relay::start(addr, None).await;
    let trainee = ShareClient::follow_with(&relay.addr.to_string(), CODE, quick()).expect("follows");
    let mut rx = trainee.watch();
    let mut desk = Facilitator::start(&server);
    desk.run_some(&server);
    // Step by step, so each snapshot (named, blanked, named again) crosses the wire.
    wait_for(&mut rx, "the first minutes", has_all(desk.shareable().len())).await;
    desk.act(&server, Command::ToggleCurtain);
    wait_for(&mut rx, "the curtain", has_all(desk.shareable().len())).await;
    desk.act(&server, Command::NextSpeaker);
    wait_for(&mut rx, "the next speaker", has_all(desk.shareable().len())).await;
    desk.act(&server, Command::ToggleCurtain);
    desk.act(
        &server,
        Command::AddNote {
            about: About::Group,
            tags: vec![Tag::FollowUp],
            text: "second private note: call the GP".into(),
        },
    );
    desk.act(&server, Command::NextSegment);
    let seen = wait_for(&mut rx, "everything", has_all(desk.shareable().len())).await;
    // It got through, names and all, so the names did cross the wire (sealed).
    assert_eq!(
        seen.state.as_ref().expect("state").roster.members[1].name,
        "Rafiq"
    );
    let wire = relay.captured();
    assert!(wire.len() > 5_000, "captured {} bytes", wire.len());
    assert!(
        contains(&wire, b"HOLDSPACE-SHARE/1"),
        "the capture holds the handshake"
    );

    let (plan, roster) = plan_and_roster();
    let mut secrets: Vec<String> = Vec::new();
    secrets.extend(roster.members.iter().map(|m| m.name.clone()));
    secrets.extend(roster.members.iter().filter_map(|m| m.pronouns.clone()));
    secrets.extend(roster.facilitators.iter().map(|p| p.name.clone()));
    secrets.extend(roster.trainees.iter().cloned());
    secrets.push(roster.group.clone());
    secrets.push(plan.title.clone());
    secrets.extend(plan.agenda.iter().map(|s| s.title.clone()));
    secrets.extend(plan.agenda.iter().flat_map(|s| s.prompts.clone()));
    secrets.extend(plan.ground_rules.iter().cloned());
    secrets.extend(plan.exercises.values().map(|e| e.title.clone()));
    secrets.push(NOTE.to_owned());
    secrets.push("second private note".to_owned());
    secrets.push("Kestrel".to_owned());
    // What the messages would look like in clear.
    secrets.extend(["Snapshot", "Started", "TurnStarted", "NoteAdded", "CurtainSet"].map(String::from));
    let text = String::from_utf8_lossy(&wire);
    for secret in &secrets {
        // As RON would write it (quoted), so even a three-letter name cannot match random
        // ciphertext by chance; and bare too, where long enough for that not to happen.
        let quoted = format!("\"{secret}\"");
        assert!(
            !contains(&wire, quoted.as_bytes()),
            "{quoted} in clear on the wire"
        );
        if secret.len() >= 5 {
            assert!(
                !contains(&wire, secret.as_bytes()),
                "{secret:?} in clear on the wire"
            );
            assert!(
                !text.contains(secret.as_str()),
                "{secret:?} in clear on the wire (as text)"
            );
            let lower = secret.to_lowercase();
            assert!(
                !text.to_lowercase().contains(&lower),
                "{secret:?} in clear, any case"
            );
        }
    }
}

#[tokio::test]
async fn a_damaged_frame_drops_the_link_which_reconnects_and_catches_up() {
    let (server, addr) = ShareServer::start(loopback(), CODE).expect("sharing starts");
    let mut desk = Facilitator::start(&server);
    desk.run_some(&server);
    // Handshake downstream: 4+1+33 and 4+1+32 bytes; the first sealed frame starts at 75.
    let relay = Relay::start(addr, Some(Damage::Flip(75 + 4 + 20))).await;
    let trainee = ShareClient::follow_with(&relay.addr.to_string(), CODE, quick()).expect("follows");
    let mut rx = trainee.watch();
    let broken = wait_for(&mut rx, "the damaged frame", |s| s.error.is_some() || s.links > 1).await;
    assert!(
        matches!(&broken.error, Some(FollowError::Broken(why)) if why.contains("authentication")),
        "{:?}",
        broken.error
    );
    assert!(broken.events.is_empty(), "nothing damaged was applied");
    let seen = wait_for(&mut rx, "the second link", has_all(desk.shareable().len())).await;
    assert_eq!(seen.links, 2);
    assert_eq!(view_of(&seen), desk.expected_view());
}

#[tokio::test]
async fn a_dropped_link_reconnects_and_catches_up_from_the_stream() {
    let (server, addr) = ShareServer::start(loopback(), CODE).expect("sharing starts");
    let relay = Relay::start(addr, None).await;
    let trainee = ShareClient::follow_with(&relay.addr.to_string(), CODE, quick()).expect("follows");
    let mut rx = trainee.watch();
    let mut desk = Facilitator::start(&server);
    wait_for(&mut rx, "the start", has_all(1)).await;

    relay.cut();
    wait_for(&mut rx, "the drop", |s| !s.connected).await;
    desk.run_some(&server); // while the trainee is away
    let seen = wait_for(&mut rx, "catching up", |s| {
        s.links >= 2 && has_all(desk.shareable().len())(s)
    })
    .await;
    assert_eq!(view_of(&seen), desk.expected_view());
}

#[tokio::test]
async fn frames_over_the_cap_are_refused() {
    // From a trainee: the facilitator hangs up on a frame claiming 2 MiB, unread.
    let (server, addr) = ShareServer::start(loopback(), CODE).expect("sharing starts");
    let mut raw = TcpStream::connect(addr).await.expect("connects");
    raw.write_all(&(2u32 << 20).to_be_bytes()).await.expect("writes");
    let mut rest = Vec::new();
    let read = tokio::time::timeout(WAIT, raw.read_to_end(&mut rest))
        .await
        .expect("hung up in time");
    assert!(read.is_err() || rest.is_empty(), "got {rest:?}");
    assert_eq!(server.status().trainees, 0);

    // From the facilitator, after a good handshake: the trainee drops the link.
    let mut desk = Facilitator::start(&server);
    desk.act(&server, Command::StartPause);
    let too_big = ((MAX_FRAME as u32) + 1).to_be_bytes();
    let relay = Relay::start(addr, Some(Damage::Overwrite(75, too_big))).await;
    let mut link = Connection::connect(&relay.addr.to_string(), CODE, WAIT)
        .await
        .expect("handshake");
    match link.recv().await {
        Err(FollowError::Broken(why)) => assert!(why.contains("over the limit"), "{why}"),
        other => panic!("expected a refused frame, got {other:?}"),
    }
    // And a clean link reads the same history fine.
    let mut clean = Connection::connect(&addr.to_string(), CODE, WAIT)
        .await
        .expect("handshake");
    match clean.recv().await.expect("a snapshot") {
        ServerMessage::Snapshot { events } => assert_eq!(events, desk.shareable()),
        other => panic!("expected a snapshot, got {other:?}"),
    }
    clean.ping().await.expect("a trainee may ping");
}

#[tokio::test]
async fn sharing_listens_only_where_told() {
    let (server, addr) = ShareServer::start(loopback(), CODE).expect("sharing starts");
    assert_eq!(addr.ip(), loopback().ip());
    assert_eq!(server.status().address, addr);
    assert_eq!(server.status().code, CODE);
    // Another loopback address of this machine, same port: nobody listens there.
    let elsewhere = SocketAddr::from(([127, 0, 0, 2], addr.port()));
    assert!(TcpStream::connect(elsewhere).await.is_err());

    // A stranger speaking another protocol is hung up on, and is no wrong code.
    let mut raw = TcpStream::connect(addr).await.expect("connects");
    raw.write_all(b"\0\0\0\x10GET / HTTP/1.1\r\n\r\n")
        .await
        .expect("writes");
    let mut rest = Vec::new();
    let _ = tokio::time::timeout(WAIT, raw.read_to_end(&mut rest))
        .await
        .expect("hung up in time");
    assert!(rest.is_empty());
    assert_eq!(server.status().refused, 0);

    // Stopped: the port is closed.
    server.stop();
    tokio::time::sleep(Duration::from_millis(50)).await;
    assert!(TcpStream::connect(addr).await.is_err());
}

#[tokio::test]
async fn silent_connections_are_timed_out_and_cannot_hold_the_door_shut() {
    let config = ShareConfig {
        max_handshakes: 2,
        handshake_timeout: Duration::from_millis(300),
        ..ShareConfig::default()
    };
    let (server, addr) = ShareServer::start_with(loopback(), CODE, config).expect("sharing starts");
    let desk = Facilitator::start(&server);
    let began = Instant::now();
    // Two connections that never say a word hold every handshake slot.
    let mut silent = Vec::new();
    for _ in 0..2 {
        silent.push(TcpStream::connect(addr).await.expect("connects"));
    }
    tokio::time::sleep(Duration::from_millis(20)).await;
    let trainee = ShareClient::follow_with(&addr.to_string(), CODE, quick()).expect("follows");
    for mut raw in silent {
        let mut rest = Vec::new();
        let _ = tokio::time::timeout(WAIT, raw.read_to_end(&mut rest))
            .await
            .expect("hung up on");
        assert!(rest.is_empty());
    }
    assert!(
        began.elapsed() >= Duration::from_millis(250),
        "{:?}",
        began.elapsed()
    );
    let seen = wait_for(
        &mut trainee.watch(),
        "the trainee",
        has_all(desk.shareable().len()),
    )
    .await;
    assert_eq!(seen.links, 1);
    assert_eq!(server.status().refused, 0, "a timeout is no wrong code");
}

/// A TCP connection to `to` from the loopback address `from` (any of 127/8 on Linux), as
/// an attacker drawing on many source addresses would make.
async fn connect_from(from: [u8; 4], to: SocketAddr) -> std::io::Result<TcpStream> {
    let socket = TcpSocket::new_v4()?;
    socket.bind(SocketAddr::from((from, 0)))?;
    socket.connect(to).await
}

/// One wrong guess from `from`: how the facilitator answered it.
async fn guess_from(from: [u8; 4], to: SocketAddr, code: &str) -> Result<(), FollowError> {
    let stream = connect_from(from, to)
        .await
        .map_err(|e| FollowError::Network(e.to_string()))?;
    Connection::handshake(stream, code).await.map(drop)
}

#[tokio::test]
async fn guesses_from_hundreds_of_addresses_get_ten_checks_a_minute_in_all() {
    let (server, addr) = ShareServer::start(loopback(), CODE).expect("sharing starts");
    let began = Instant::now();
    let mut refused = 0;
    let mut throttled = 0;
    // 300 addresses, one wrong code each, eight at a time (far faster than a real attack
    // needs: the per-address wait never comes into play).
    let addresses: Vec<[u8; 4]> = (0..300u16)
        .map(|i| [127, 10, (i / 200) as u8, (i % 200 + 1) as u8])
        .collect();
    for chunk in addresses.chunks(8) {
        let tries = chunk.iter().map(|from| guess_from(*from, addr, "fig-otter-17"));
        for outcome in futures_util::future::join_all(tries).await {
            match outcome {
                Err(FollowError::CodeRefused) => refused += 1,
                Err(FollowError::Throttled(_) | FollowError::Busy) => throttled += 1,
                other => panic!("unexpected outcome of a wrong code: {other:?}"),
            }
        }
    }
    let took = began.elapsed();
    // Within a minute, the bound checks ten wrong codes and not one more (a machine slow
    // enough to take longer gets ten more per minute begun, never a time-based failure).
    let status = server.status();
    assert_eq!(status.refused, refused);
    let minutes_begun = took.as_secs() / 60 + 1;
    if minutes_begun == 1 {
        assert_eq!(refused, 10, "{refused} wrong codes checked in {took:?}");
    } else {
        assert!(
            refused as u64 <= 10 * minutes_begun,
            "{refused} wrong codes checked in {took:?}"
        );
    }
    assert_eq!(refused + throttled, 300);
    // Turned away while other checks were under way is not counted as a guess.
    let counted = status.recent_wrong.count(Instant::now());
    if minutes_begun == 1 {
        assert!((250..=300).contains(&counted), "{counted} counted");
    }
    let warning = status.warning(Instant::now()).expect("the facilitator is warned");
    assert!(
        warning.starts_with(&format!(
            "{counted} wrong join codes in the last minute (last from 127.10."
        )),
        "{warning}"
    );

    // Whoever knows the code is told when to try again: when the first wrong code leaves
    // the minute's window.
    let told = guess_from([127, 10, 9, 9], addr, CODE).await;
    let Err(FollowError::Throttled(wait)) = told else {
        panic!("the right code during the attack: {told:?}");
    };
    assert!(wait <= Duration::from_secs(60), "{wait:?}");
    assert!(wait + took >= Duration::from_secs(59), "{wait:?} after {took:?}");
}

#[tokio::test]
async fn a_code_that_draws_too_many_guesses_is_retired_and_linked_trainees_stay() {
    let config = ShareConfig {
        retire_after: 5,
        ..ShareConfig::default()
    };
    let (server, addr) = ShareServer::start_with(loopback(), CODE, config).expect("sharing starts");
    let mut desk = Facilitator::start(&server);
    let linked = ShareClient::follow_with(&addr.to_string(), CODE, quick()).expect("follows");
    let mut rx = linked.watch();
    wait_for(&mut rx, "the trainee linked", has_all(1)).await;

    for i in 0..5u8 {
        let outcome = guess_from([127, 11, 0, i + 1], addr, "fig-otter-17").await;
        assert_eq!(outcome, Err(FollowError::CodeRefused));
    }
    let status = wait_status(&server, "the code retired", |s| s.retired == 1).await;
    assert_ne!(status.code, CODE);
    assert_eq!(
        status.warning(Instant::now()),
        Some(format!(
            "5 wrong join codes in the last minute — new code: {}",
            status.code
        ))
    );

    // The linked trainee stays and keeps following.
    desk.act(&server, Command::StartPause);
    let seen = wait_for(&mut rx, "the next event", has_all(desk.shareable().len())).await;
    assert_eq!(seen.links, 1, "never dropped");
    // The old code no longer opens the door; the new one does.
    assert_eq!(
        guess_from([127, 11, 1, 1], addr, CODE).await,
        Err(FollowError::CodeRefused)
    );
    let late = ShareClient::follow_with(&addr.to_string(), &status.code, quick()).expect("follows");
    wait_for(&mut late.watch(), "the new code", has_all(desk.shareable().len())).await;
}

/// A connection that never speaks, from `from`, opened again as soon as it is closed:
/// what a lock-out attack keeps up. Counts the connections it made.
fn silent_reconnecting(from: [u8; 4], to: SocketAddr, made: Arc<Mutex<u32>>) -> AbortHandle {
    tokio::spawn(async move {
        loop {
            let Ok(mut stream) = connect_from(from, to).await else {
                tokio::time::sleep(Duration::from_millis(10)).await;
                continue;
            };
            *made.lock().expect("count") += 1;
            let mut sink = [0u8; 64];
            while matches!(stream.read(&mut sink).await, Ok(n) if n > 0) {}
        }
    })
    .abort_handle()
}

async fn trainee_joins_while_silent_connections_reconnect(addresses: u8, per_address: u8) -> Duration {
    let (server, addr) = ShareServer::start(loopback(), CODE).expect("sharing starts");
    let desk = Facilitator::start(&server);
    let made = Arc::new(Mutex::new(0u32));
    let mut attack = Vec::new();
    for a in 0..addresses {
        for _ in 0..per_address {
            attack.push(silent_reconnecting([127, 12, 0, a + 1], addr, made.clone()));
        }
    }
    // Let the silent connections take their places (and be turned away, and come back).
    tokio::time::sleep(Duration::from_millis(500)).await;
    let began = Instant::now();
    let trainee = ShareClient::follow_with(&addr.to_string(), CODE, quick()).expect("follows");
    let joined = tokio::time::timeout(
        Duration::from_secs(5),
        wait_for(
            &mut trainee.watch(),
            "the trainee",
            has_all(desk.shareable().len()),
        ),
    )
    .await;
    let took = began.elapsed();
    let made = *made.lock().expect("count");
    for task in attack {
        task.abort();
    }
    assert!(joined.is_ok(), "the trainee was locked out for {took:?}");
    assert!(
        made >= u32::from(addresses) * u32::from(per_address),
        "{made} connections"
    );
    took
}

#[tokio::test]
async fn sixteen_silent_connections_from_four_addresses_cannot_lock_a_trainee_out() {
    let took = trainee_joins_while_silent_connections_reconnect(4, 4).await;
    println!("a trainee joined in {took:?} while 16 silent connections from 4 addresses reconnected");
}

#[tokio::test]
async fn silent_connections_from_more_addresses_than_places_give_way_to_a_trainee() {
    let took = trainee_joins_while_silent_connections_reconnect(40, 2).await;
    println!("a trainee joined in {took:?} while 80 silent connections from 40 addresses reconnected");
}

#[tokio::test]
async fn trainees_are_told_the_session_id() {
    let (server, addr) = ShareServer::start(loopback(), CODE).expect("sharing starts");
    server.set_session("20261125-1432-3f9a");
    let _desk = Facilitator::start(&server);
    let trainee = ShareClient::follow_with(&addr.to_string(), CODE, quick()).expect("follows");
    let mut rx = trainee.watch();
    let seen = wait_for(&mut rx, "the session id", |s| s.connected && s.session.is_some()).await;
    assert_eq!(seen.session.as_deref(), Some("20261125-1432-3f9a"));
    assert_eq!(server.status().session.as_deref(), Some("20261125-1432-3f9a"));
    // A new session, told to everyone already linked.
    server.set_session("20261125-1530-0001");
    let seen = wait_for(&mut rx, "the new id", |s| {
        s.session.as_deref() == Some("20261125-1530-0001")
    })
    .await;
    assert!(seen.connected);
}

#[tokio::test]
async fn a_trainee_waits_out_a_facilitator_crash_and_follows_the_resumed_session() {
    let (server, addr) = ShareServer::start(loopback(), CODE).expect("sharing starts");
    server.set_session("s-crashed");
    let mut desk = Facilitator::start(&server);
    desk.run_some(&server);
    let trainee = ShareClient::follow_with(&addr.to_string(), CODE, quick()).expect("follows");
    let mut rx = trainee.watch();
    wait_for(&mut rx, "the session", has_all(desk.shareable().len())).await;

    // The facilitator's process is gone for a while…
    drop(server);
    wait_for(&mut rx, "the link down", |s| !s.connected).await;
    tokio::time::sleep(Duration::from_secs(2)).await;
    let down = rx.borrow().clone();
    assert!(!down.finished, "still trying: {:?}", down.error);
    assert!(!down.ended);

    // …and resumes on the same port with the same code, publishing the journal again.
    let (server, again) = ShareServer::start(addr, CODE).expect("sharing starts again");
    assert_eq!(again, addr);
    server.set_session("s-crashed");
    server.publish(&desk.events);
    desk.act(&server, Command::NextSegment);
    let seen = wait_for(
        &mut rx,
        "catching up after the resume",
        has_all(desk.shareable().len()),
    )
    .await;
    assert_eq!(seen.links, 2);
    assert_eq!(seen.session.as_deref(), Some("s-crashed"));
    assert_eq!(view_of(&seen), desk.expected_view());
}

#[tokio::test]
async fn the_end_reaches_the_trainee_who_then_stops_following() {
    let (server, addr) = ShareServer::start(loopback(), CODE).expect("sharing starts");
    let mut desk = Facilitator::start(&server);
    desk.run_some(&server);
    let trainee = ShareClient::follow_with(&addr.to_string(), CODE, quick()).expect("follows");
    let mut rx = trainee.watch();
    wait_for(&mut rx, "the session", has_all(desk.shareable().len())).await;
    assert!(!rx.borrow().ended);

    desk.act(&server, Command::End);
    let seen = wait_for(&mut rx, "the end", |s| s.ended).await;
    assert!(seen.state.as_ref().is_some_and(State::is_ended));
    // The facilitator leaves: the trainee does not knock again.
    drop(server);
    let seen = wait_for(&mut rx, "following to stop", |s| s.finished).await;
    assert!(seen.ended);
    assert_eq!(seen.error, None, "leaving after the end is no error");
    assert_eq!(seen.links, 1);
}
