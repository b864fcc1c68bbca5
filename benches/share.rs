//! Facilitator action → trainee screen state, on loopback: how long from `publish` on the
//! facilitator's side until the trainee's `FollowState` holds the event (sealed, framed,
//! sent, opened, parsed and folded).
//!
//! `cargo bench --bench share`. The facilitator and the trainees each run a current-thread
//! runtime on their own OS thread, as two processes would. Samples are taken one at a
//! time (the next action only once every trainee has the last), 1000 per scenario after a
//! warm-up, and the median, p99 and worst are printed.

use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use holdspace::plan::{BUILTIN_PLAN, BUILTIN_ROSTER, parse_plan, parse_roster};
use holdspace::session::Event;
use holdspace::share::{FollowState, ShareClient, ShareServer};
use tokio::sync::{mpsc, watch};

const CODE: &str = "plum-river-42";
const SAMPLES: usize = 1000;
const WARM_UP: usize = 50;

type Failure = Box<dyn std::error::Error>;

fn runtime() -> std::io::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_current_thread().enable_all().build()
}

/// The facilitator's thread: publishes event `i` when told, noting the instant just before.
fn facilitator(
    ready: std::sync::mpsc::Sender<Result<std::net::SocketAddr, String>>,
    mut orders: mpsc::UnboundedReceiver<i64>,
    sent: Arc<Mutex<Vec<Instant>>>,
) {
    let result = (|| -> Result<(), Failure> {
        let rt = runtime()?;
        rt.block_on(async {
            let (server, addr) = ShareServer::start(([127, 0, 0, 1], 0).into(), CODE)?;
            server.publish(&[Event::Started {
                at: 0,
                plan: parse_plan(BUILTIN_PLAN, Path::new("p"))?,
                roster: parse_roster(BUILTIN_ROSTER, Path::new("r"))?,
                seed: 1,
            }]);
            let _ = ready.send(Ok(addr));
            while let Some(i) = orders.recv().await {
                let at = Instant::now();
                if let Ok(mut sent) = sent.lock() {
                    sent.push(at);
                }
                server.publish(&[Event::Heartbeat { at: i }]);
            }
            Ok::<(), Failure>(())
        })
    })();
    if let Err(error) = result {
        let _ = ready.send(Err(error.to_string()));
    }
}

fn holds(state: &FollowState, i: i64) -> bool {
    state.connected && state.events.last().is_some_and(|e| e.at() == i)
}

async fn until_held(rx: &mut watch::Receiver<FollowState>, i: i64) -> Result<(), Failure> {
    loop {
        if holds(&rx.borrow_and_update(), i) {
            return Ok(());
        }
        tokio::time::timeout(Duration::from_secs(10), rx.changed()).await??;
    }
}

fn scenario(trainees: usize) -> Result<Vec<Duration>, Failure> {
    let (ready_tx, ready_rx) = std::sync::mpsc::channel();
    let (orders, orders_rx) = mpsc::unbounded_channel();
    let sent = Arc::new(Mutex::new(Vec::new()));
    let sent_by_facilitator = sent.clone();
    let thread = std::thread::spawn(move || facilitator(ready_tx, orders_rx, sent_by_facilitator));
    let addr = ready_rx.recv()??.to_string();

    let rt = runtime()?;
    let latencies = rt.block_on(async {
        let clients = (0..trainees)
            .map(|_| ShareClient::follow(&addr, CODE))
            .collect::<Result<Vec<_>, _>>()?;
        let mut watches: Vec<_> = clients.iter().map(ShareClient::watch).collect();
        for rx in &mut watches {
            tokio::time::timeout(Duration::from_secs(10), async {
                while !rx.borrow_and_update().connected {
                    rx.changed().await?;
                }
                Ok::<(), Failure>(())
            })
            .await??;
        }
        let mut latencies = Vec::with_capacity(SAMPLES);
        for i in 1..=(WARM_UP + SAMPLES) as i64 {
            orders.send(i)?;
            for rx in &mut watches {
                until_held(rx, i).await?;
            }
            let received = Instant::now();
            let sent_at = sent
                .lock()
                .map_err(|_| "poisoned")?
                .last()
                .copied()
                .ok_or("no send time")?;
            if i > WARM_UP as i64 {
                latencies.push(received.duration_since(sent_at));
            }
        }
        Ok::<_, Failure>(latencies)
    })?;
    drop(orders);
    thread.join().map_err(|_| "the facilitator's thread panicked")?;
    Ok(latencies)
}

fn report(label: &str, mut samples: Vec<Duration>) {
    samples.sort();
    let at = |q: f64| samples[((samples.len() - 1) as f64 * q).round() as usize];
    let mean = samples.iter().sum::<Duration>() / samples.len() as u32;
    println!(
        "{label:<32} n={}  median {:>8.1?}  p99 {:>8.1?}  max {:>8.1?}  mean {:>8.1?}",
        samples.len(),
        at(0.5),
        at(0.99),
        at(1.0),
        mean
    );
}

fn main() {
    println!("share: facilitator publish → trainee state, loopback, {SAMPLES} samples each");
    for trainees in [1, 5] {
        let label = format!("publish → {trainees} trainee(s) hold it");
        match scenario(trainees) {
            Ok(samples) if !samples.is_empty() => report(&label, samples),
            Ok(_) => eprintln!("{label}: no samples"),
            Err(error) => {
                eprintln!("{label}: failed: {error}");
                std::process::exit(1);
            }
        }
    }
}
