//! The live console: terminal set-up, the tokio event loop, and the glue between keys,
//! the session core, the journal, notifications and the screen.
//!
//! The loop sleeps until a key, a journal report, a signal or the next visible change (the
//! next second of a running clock): a still screen costs nothing.

mod clock;
mod console;
mod input;
mod notify;
mod reload;

use std::net::SocketAddr;
use std::path::PathBuf;

use crossterm::event::{Event as TermEvent, EventStream, KeyCode, KeyEventKind, KeyModifiers};
use futures_util::StreamExt;
use tokio::signal::unix::{SignalKind, signal};
use tokio::sync::mpsc;

pub use clock::{Clock, local_offset};
pub use console::{Console, Exit, Mode};
pub use notify::{Desktop, Notifier, Recorder};

use crate::config::Config;
use crate::journal::{self, Journal, JournalWriter, Unfinished, WriteReport};
use crate::keymap::Keymap;
use crate::plan::{Plan, Roster};
use crate::session::{Downtime, Event, State};
use crate::storage::{self, DataDir};
use crate::terminal;
use crate::theme::Theme;

/// Everything `holdspace run` needs, resolved by the CLI.
pub struct RunSetup {
    pub plan: Plan,
    /// The plan's file, watched for edits; `None` for the built-in plan.
    pub plan_path: Option<PathBuf>,
    pub roster: Roster,
    pub theme: Theme,
    pub keys: Keymap,
    pub config: Config,
    pub data: DataDir,
    pub role: Role,
    pub warnings: Vec<String>,
}

/// Who runs the console.
pub enum Role {
    /// Runs the session; `resume` (from `--resume`) resumes the newest unfinished one;
    /// `share` turns sharing with trainees on at that address.
    Facilitator {
        resume: Option<Downtime>,
        share: Option<SocketAddr>,
    },
    /// Takes private observation notes; steps along on their own, or follows a live
    /// session when `join` is given.
    Trainee { name: String, join: Option<Join> },
}

/// Where a trainee's console follows a live session, and the code that lets it in.
pub struct Join {
    pub address: String,
    pub code: String,
}

/// How `run` ended, for the CLI to report after the terminal is restored.
pub enum Outcome {
    Saved {
        ron: PathBuf,
        markdown: PathBuf,
    },
    Unfinished {
        journal: Option<PathBuf>,
    },
    Signal {
        name: &'static str,
        journal: Option<PathBuf>,
    },
    /// A trainee left; their observation notes are in this file, if they wrote any.
    Observed {
        notes: Option<PathBuf>,
    },
}

/// Runs the console until the session ends or a signal stops it.
pub fn run(setup: RunSetup) -> Result<Outcome, String> {
    storage::ensure_private_dir(&setup.data.root)
        .map_err(|e| format!("cannot use the data dir {}: {e}", setup.data.root.display()))?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the event loop: {e}"))?;
    terminal::install_panic_hook(Some(setup.data.crash_log()));
    let mut term = terminal::init(true).map_err(|e| format!("cannot set up the terminal: {e}"))?;
    let result = runtime.block_on(event_loop(&mut term, setup));
    terminal::restore();
    result
}

async fn event_loop(term: &mut terminal::Term, setup: RunSetup) -> Result<Outcome, String> {
    let clock = Clock::start();
    let offset = local_offset();
    let (report_tx, mut reports) = mpsc::unbounded_channel::<WriteReport>();
    let now = clock.now();
    let seed = now as u64 ^ u64::from(std::process::id()).rotate_left(32);
    let mut console = new_console(&setup, seed, now);

    let mut pending_resume = None;
    let mut follow = None;
    match &setup.role {
        Role::Facilitator { resume: flag, share } => {
            let scan = journal::scan_journals(&setup.data.journals());
            let locked = scan
                .unfinished
                .iter()
                .find(|u| u.in_use)
                .map(|u| u.plan_title.clone());
            match (scan.unfinished.into_iter().find(|u| !u.in_use), flag) {
                (Some(found), Some(downtime)) => resume(&mut console, &found, *downtime, &report_tx, now)?,
                (Some(found), None) => {
                    console.mode = Mode::Resume {
                        title: found.plan_title.clone(),
                        down_ms: now - found.last_event_at,
                    };
                    pending_resume = Some(found);
                }
                (None, Some(_)) => return Err(no_resume_message(locked)),
                (None, None) => start_new(&mut console, &setup, seed, &report_tx, now),
            }
            if let Some(bind) = share {
                console.share_bind = *bind;
                console.start_share(*bind)?;
            }
        }
        Role::Trainee { join: Some(join), .. } => {
            let client = crate::share::ShareClient::follow(&join.address, &join.code)
                .map_err(|e| format!("cannot follow {}: {e}", join.address))?;
            console.following = true;
            console.banner = Some(format!("Connecting to {}…", join.address));
            follow = Some(client);
        }
        Role::Trainee { join: None, .. } => {}
    }
    let mut follow_rx = follow.as_ref().map(crate::share::ShareClient::watch);
    let mut share_rx = console.share.as_ref().map(|s| s.server.watch_status());

    let mut watcher = match setup.plan_path.as_deref().filter(|_| !console.following) {
        Some(path) => match reload::PlanWatcher::start(path) {
            Ok(watcher) => Some(watcher),
            Err(error) => {
                console.banner = Some(format!("Edits to the plan file will not be picked up: {error}"));
                None
            }
        },
        None => None,
    };
    // Editors write in several steps: reload once the file has been quiet for a moment.
    let mut reload_due: Option<tokio::time::Instant> = None;
    let mut keys = EventStream::new();
    let mut sigterm = signal(SignalKind::terminate()).map_err(|e| e.to_string())?;
    let mut sighup = signal(SignalKind::hangup()).map_err(|e| e.to_string())?;
    let mut sigint = signal(SignalKind::interrupt()).map_err(|e| e.to_string())?;
    loop {
        let now = clock.now();
        if console.session.is_ended() && console.exit.is_none() && console.journal.is_some() {
            // A resumed session that had already ended only needs its summary.
            console.finish();
        }
        if let Some(exit) = console.exit.take() {
            return Ok(match exit {
                Exit::Saved(ron, markdown) => Outcome::Saved { ron, markdown },
                Exit::Unfinished => Outcome::Unfinished {
                    journal: journal_path(&console),
                },
                Exit::Observed(notes) => Outcome::Observed { notes },
            });
        }
        // Every wake-up is a key, a report or a visible change: draw once per wake-up.
        if console.bell_pending {
            console.bell_pending = false;
            terminal::bell();
        }
        term.draw(|frame| {
            console.screen = frame.area();
            crate::ui::draw(frame, &console.view(now, offset), &setup.theme)
        })
        .map_err(|e| format!("cannot draw: {e}"))?;
        let wake = console
            .next_change(now)
            .map(|at| tokio::time::Instant::from_std(clock.instant_of(at)));
        tokio::select! {
            event = keys.next() => {
                let now = clock.now();
                match event {
                    Some(Ok(TermEvent::Key(key))) if key.kind != KeyEventKind::Release => {
                        match pending_resume.take() {
                            Some(found) => match key.code {
                                KeyCode::Char('p') => resume(&mut console, &found, Downtime::Paused, &report_tx, now)?,
                                KeyCode::Char('e') => resume(&mut console, &found, Downtime::Elapsed, &report_tx, now)?,
                                KeyCode::Char('n') => start_new(&mut console, &setup, seed, &report_tx, now),
                                // Leaving changes nothing: the unfinished session stays for later.
                                KeyCode::Char('q') | KeyCode::Esc => console.exit = Some(Exit::Unfinished),
                                KeyCode::Char('c') if key.modifiers.contains(KeyModifiers::CONTROL) => {
                                    console.exit = Some(Exit::Unfinished);
                                }
                                _ => pending_resume = Some(found),
                            },
                            None => console.on_key(key, now),
                        }
                        if pending_resume.is_none() && matches!(console.mode, Mode::Resume { .. }) {
                            console.mode = Mode::Normal;
                        }
                        // Sharing may have been turned on or off by the key.
                        share_rx = console.share.as_ref().map(|s| s.server.watch_status());
                    }
                    Some(Ok(TermEvent::Mouse(mouse))) => console.on_mouse(mouse, now),
                    Some(Ok(_)) => {}
                    Some(Err(error)) => return Err(format!("cannot read the terminal: {error}")),
                    None => return Ok(Outcome::Unfinished { journal: journal_path(&console) }),
                }
                console.tick(now);
            }
            Some(report) = reports.recv() => console.on_report(report),
            () = when(wake.map(tokio::time::sleep_until)) => console.tick(clock.now()),
            Some(()) = when(watcher.as_mut().map(|w| w.changes.recv())) => {
                reload_due = Some(tokio::time::Instant::now() + std::time::Duration::from_millis(250));
            }
            () = when(reload_due.map(tokio::time::sleep_until)) => {
                reload_due = None;
                if let Some(path) = watcher.as_ref().map(|w| w.path.clone()) {
                    apply_reload(&mut console, &path, clock.now(), offset);
                }
            }
            changed = when(share_rx.as_mut().map(|rx| rx.changed())) => {
                // A trainee joined or left, or a wrong code was refused: redraw.
                if changed.is_err() {
                    share_rx = None;
                }
            }
            changed = when(follow_rx.as_mut().map(|rx| rx.changed())) => match (changed, follow_rx.as_ref()) {
                (Ok(()), Some(rx)) => console.follow(&rx.borrow()),
                _ => follow_rx = None,
            },
            _ = sigterm.recv() => return Ok(stop(console, "SIGTERM")),
            _ = sighup.recv() => return Ok(stop(console, "SIGHUP")),
            _ = sigint.recv() => return Ok(stop(console, "SIGINT")),
        }
    }
}

/// Waits on `future` when there is one, forever when not: a `select!` branch switched off.
async fn when<F: std::future::Future>(future: Option<F>) -> F::Output {
    match future {
        Some(future) => future.await,
        None => std::future::pending().await,
    }
}

/// The console before its session starts or resumes.
fn new_console(setup: &RunSetup, seed: u64, now: i64) -> Console {
    let notifier: Box<dyn Notifier> = match Recorder::from_env() {
        Some(recorder) => Box::new(recorder),
        None => Box::new(Desktop::default()),
    };
    let fresh = State::new(setup.plan.clone(), setup.roster.clone(), seed, now);
    let session_id = journal::new_session_id(now, seed);
    let mut console = Console::new(
        fresh,
        session_id,
        setup.keys.clone(),
        setup.data.clone(),
        notifier,
    );
    console.alert_styles = setup.config.alerts.clone();
    if !setup.warnings.is_empty() {
        console.banner = Some(format!(
            "{} warning(s) about the plan: run `holdspace check` for details",
            setup.warnings.len()
        ));
    }
    if let Role::Trainee { name, .. } = &setup.role {
        // A trainee's console is not journaled: only their notes are theirs to keep.
        console.seat = crate::ui::Seat::Observer;
        console.trainee = name.clone();
    }
    console
}

fn no_resume_message(locked: Option<String>) -> String {
    match locked {
        Some(title) => {
            format!(
                "the unfinished session \"{title}\" is open in another holdspace window (its journal is locked)"
            )
        }
        None => "there is no unfinished session to resume".into(),
    }
}

fn apply_reload(console: &mut Console, path: &std::path::Path, now: i64, offset: chrono::FixedOffset) {
    match reload::reload(path) {
        Ok(plan) if plan != console.session.plan => {
            console.command(crate::session::Command::ReloadPlan(Box::new(plan)), now);
            console.banner = Some(format!(
                "Plan reloaded from {} at {}",
                path.display(),
                crate::ui::format::wall(now, offset)
            ));
        }
        Ok(_) => {}
        Err(crate::source::LoadError(errors)) => {
            let first = errors.first().map(ToString::to_string).unwrap_or_default();
            console.banner = Some(format!(
                "The edited plan has an error; the last good plan stays. {first}"
            ));
        }
    }
}

/// A signal: everything is already in the journal; flush it and leave the session
/// resumable.
fn stop(mut console: Console, name: &'static str) -> Outcome {
    let journal = journal_path(&console);
    if let Some(writer) = console.journal.take() {
        let _ = writer.shutdown();
    }
    Outcome::Signal { name, journal }
}

fn journal_path(console: &Console) -> Option<PathBuf> {
    let path = console
        .data
        .journals()
        .join(journal::file_name(&console.session_id));
    path.exists().then_some(path)
}

fn start_new(
    console: &mut Console,
    setup: &RunSetup,
    seed: u64,
    reports: &mpsc::UnboundedSender<WriteReport>,
    now: i64,
) {
    console.session = State::new(setup.plan.clone(), setup.roster.clone(), seed, now);
    console.last_alert_check = now;
    match JournalWriter::create(&setup.data.journals(), &console.session_id, now, reports.clone()) {
        Ok(writer) => console.journal = Some(writer),
        Err(error) => {
            console.save_error = Some(format!("NOT SAVED TO DISK: cannot start the journal: {error}"));
        }
    }
    let started = Event::Started {
        at: now,
        plan: setup.plan.clone(),
        roster: setup.roster.clone(),
        seed,
    };
    console.record(vec![started], now);
}

/// Picks up an unfinished session: its journal folded back into the state, and the time
/// it was down recorded as the facilitator chose.
fn resume(
    console: &mut Console,
    found: &Unfinished,
    downtime: Downtime,
    reports: &mpsc::UnboundedSender<WriteReport>,
    now: i64,
) -> Result<(), String> {
    let (journal, recovered) = Journal::reopen(&found.path).map_err(|e| e.to_string())?;
    console.session = State::fold(&recovered.events).map_err(|e| format!("{}: {e}", found.path.display()))?;
    console.session_id = recovered.header.session.clone();
    console.journal = Some(JournalWriter::spawn(journal, reports.clone()).map_err(|e| e.to_string())?);
    console.history = recovered.events;
    // Sharing may have started before the facilitator chose to resume: trainees get the
    // recovered history first, then everything after it.
    if let Some(sharing) = &console.share {
        sharing.server.publish(&console.history);
    }
    console.last_heartbeat = now;
    if !console.session.is_ended() {
        let down_since = console.session.last_seen;
        console.record(
            vec![Event::Resumed {
                at: now,
                down_since,
                counted: downtime,
            }],
            now,
        );
        let counted = match downtime {
            Downtime::Paused => "as paused",
            Downtime::Elapsed => "as elapsed",
        };
        console.banner = Some(format!(
            "Resumed: the session was down for {}, counted {counted}.",
            crate::ui::format::clock(now - down_since)
        ));
    }
    if !recovered.problems.is_empty() {
        console.banner = Some(format!(
            "Resumed; the journal had damage: {}",
            recovered.problems.join("; ")
        ));
    }
    Ok(())
}
