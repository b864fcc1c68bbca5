//! The live console: terminal set-up and the tokio event loop around [`Console`].
//!
//! The loop sleeps until a key, a journal report, a signal, a plan edit, news from sharing
//! or the next visible change (the next second of a running clock): a still screen costs
//! nothing. Each wake-up is handed to the console, and what the console asks of the loop
//! (exit, the bell, watching sharing) is done here.

mod alerts;
mod banner;
mod clock;
mod console;
mod earlier;
mod effect;
mod filing;
mod modes;
mod note_draft;
mod notify;
pub(crate) mod record;
mod reload;
mod role;
mod sharing;
mod wrapup_run;

#[cfg(test)]
mod tests;

use std::net::SocketAddr;
use std::path::PathBuf;

use crossterm::event::{Event as TermEvent, EventStream, KeyEventKind};
use futures_util::StreamExt;
use ratatui::layout::Rect;
use tokio::sync::mpsc;

pub use alerts::Alerts;
pub use banner::Slot;
pub use clock::{Clock, local_offset};
pub use console::{Console, Fresh, Parts};
pub use earlier::Earlier;
pub use effect::{Exit, LoopEffect};
pub use filing::{SavedWrapUp, submitter};
pub use notify::{Desktop, Notifier, Recorder};
pub use role::Role;
pub use wrapup_run::{WrapUpOutcome, WrapUpSetup, run_wrapup};

use crate::config::Config;
use crate::journal::{self, WriteReport};
use crate::keymap::Keymap;
use crate::plan::{Plan, Roster};
use crate::session::{Downtime, Millis};
use crate::storage::{self, DataDir};
use crate::terminal;
use crate::theme::Theme;
use crate::vault::Vault;

/// Everything `holdspace run` and `holdspace shadow` need, resolved by the CLI.
pub struct RunSetup {
    pub plan: Plan,
    /// The plan's file, watched for edits; `None` for the built-in plan.
    pub plan_path: Option<PathBuf>,
    pub roster: Roster,
    pub theme: Theme,
    pub keys: Keymap,
    pub config: Config,
    pub data: DataDir,
    /// Encryption at rest: journals and summaries are sealed when it encrypts.
    pub vault: Vault,
    pub launch: Launch,
    pub warnings: Vec<String>,
}

/// How the console starts.
pub enum Launch {
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
    /// The summary was written; the wrap-up too, when it was saved (else it is a draft).
    Saved {
        ron: PathBuf,
        markdown: PathBuf,
        wrapup: Option<SavedWrapUp>,
        /// Submitted for supervision: `None` when not asked.
        submitted: Option<Result<(), String>>,
    },
    /// The session is in its journal: not ended, or ended without its summary.
    InJournal { journal: Option<PathBuf>, ended: bool },
    /// The facilitator left the resume offer: the unfinished session stays as it was.
    Postponed,
    /// The session never started; no summary was written.
    NeverStarted,
    /// Left without saving, after typing `discard`.
    Discarded,
    /// Stopped by a signal; `saved` says whether the journal holds everything.
    Signal {
        name: &'static str,
        journal: Option<PathBuf>,
        saved: bool,
    },
    /// A trainee left; their observation notes are in this file, if they wrote any.
    Observed { notes: Option<PathBuf> },
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

/// The console a launch asks for, started (or offering to resume), and the trainee's link
/// to the facilitator when following.
fn start(
    setup: &RunSetup,
    clock: &Clock,
    reports: mpsc::UnboundedSender<WriteReport>,
) -> Result<(Console, Option<crate::share::ShareClient>, Vec<LoopEffect>), String> {
    let now = clock.now();
    let seed = now as u64 ^ u64::from(std::process::id()).rotate_left(32);
    let notifier: Box<dyn Notifier> = match Recorder::from_env() {
        Some(recorder) => Box::new(recorder),
        None => Box::new(Desktop::default()),
    };
    let parts = Parts {
        fresh: Fresh {
            plan: setup.plan.clone(),
            roster: setup.roster.clone(),
            seed,
        },
        keys: setup.keys.clone(),
        data: setup.data.clone(),
        vault: setup.vault.clone(),
        alerts: Alerts::new(setup.config.alerts.clone(), notifier, now),
        offset: local_offset(),
        note_template: setup
            .plan
            .note_template
            .or(setup.config.note_template)
            .unwrap_or_default(),
        // Looked up after the first frame (see `event_loop`): a year of summaries must not
        // hold up the console.
        earlier: Earlier::default(),
    };
    let mut effects = Vec::new();
    let (mut console, follow) = match &setup.launch {
        Launch::Facilitator { resume, share } => {
            let mut console = Console::facilitator(parts, reports, now);
            let scan = journal::scan_journals_with(&setup.data.journals(), &setup.vault);
            let locked = scan
                .unfinished
                .iter()
                .find(|u| u.in_use)
                .map(|u| u.plan_title.clone());
            match (scan.unfinished.into_iter().find(|u| !u.in_use), resume) {
                (Some(found), Some(downtime)) => effects = console.resume(&found, *downtime, now)?,
                (found, None) => console.begin(found, now),
                (None, Some(_)) => return Err(no_resume_message(locked)),
            }
            if let Some(bind) = share {
                console.start_sharing(*bind, now)?;
            }
            (console, None)
        }
        Launch::Trainee { name, join } => {
            let mut console = Console::trainee(parts, name.clone(), join.is_some(), now);
            let follow = match join {
                Some(join) => {
                    let client = crate::share::ShareClient::follow(&join.address, &join.code)
                        .map_err(|e| format!("cannot follow {}: {e}", join.address))?;
                    console.show(Slot::Following, format!("Connecting to {}…", join.address));
                    Some(client)
                }
                None => None,
            };
            (console, follow)
        }
    };
    let due = crate::vault::retention::count_due(
        &setup.data,
        &setup.config.retention,
        std::time::SystemTime::now(),
    );
    if due > 0 {
        console.announce(
            Slot::News,
            format!("{due} old journal(s) or export(s) are past their retention: run `holdspace purge`"),
            now,
        );
    }
    if !setup.warnings.is_empty() {
        console.announce(
            Slot::News,
            format!(
                "{} warning(s) about the plan: run `holdspace check` for details",
                setup.warnings.len()
            ),
            now,
        );
    }
    Ok((console, follow, effects))
}

async fn event_loop(term: &mut terminal::Term, setup: RunSetup) -> Result<Outcome, String> {
    let clock = Clock::start();
    let (report_tx, mut reports) = mpsc::unbounded_channel::<WriteReport>();
    let (mut console, follow, mut pending) = start(&setup, &clock, report_tx)?;
    let mut follow_rx = follow.as_ref().map(crate::share::ShareClient::watch);
    let mut share_rx = console.sharing_status();

    let mut watcher = match setup
        .plan_path
        .as_deref()
        .filter(|_| console.role() != Role::Following)
    {
        Some(path) => match reload::PlanWatcher::start(path) {
            Ok(watcher) => Some(watcher),
            Err(error) => {
                console.show(
                    Slot::Plan,
                    format!("Edits to the plan file will not be picked up: {error}"),
                );
                None
            }
        },
        None => None,
    };
    // What the last session of the series left, read on a blocking thread.
    let mut looking_up = matches!(setup.launch, Launch::Facilitator { .. }).then(|| {
        let (plan, roster, data, vault) = (
            setup.plan.clone(),
            setup.roster.clone(),
            setup.data.clone(),
            setup.vault.clone(),
        );
        tokio::task::spawn_blocking(move || Earlier::look_up(&plan, &roster, &data, &vault))
    });
    // Editors write in several steps: reload once the file has been quiet for a moment.
    let mut reload_due: Option<tokio::time::Instant> = None;
    // A reload parses on a blocking thread, so a huge or broken plan never stops the clock.
    let mut reloading: Option<tokio::task::JoinHandle<Result<Plan, String>>> = None;
    let mut keys = EventStream::new();
    let mut signals = terminal::Signals::install().map_err(|e| format!("cannot watch for signals: {e}"))?;
    loop {
        for effect in std::mem::take(&mut pending) {
            match effect {
                LoopEffect::Exit(exit) => return outcome(exit, &console),
                LoopEffect::Bell => terminal::bell(),
                LoopEffect::SharingChanged => share_rx = console.sharing_status(),
            }
        }
        let now = clock.now();
        // Every wake-up is a key, a report or a visible change: draw once per wake-up.
        term.draw(|frame| console.draw(frame, now, &setup.theme))
            .map_err(|e| format!("cannot draw: {e}"))?;
        let wake = console
            .next_change(now)
            .map(|at| tokio::time::Instant::from_std(clock.instant_of(at)));
        tokio::select! {
            event = keys.next() => {
                let now = clock.now();
                match event {
                    // Raw mode turns Ctrl-Z into a key: stop as a shell user expects, whatever
                    // is open (a note being typed stays as it was).
                    Some(Ok(TermEvent::Key(key))) if terminal::is_suspend_key(&key) => {
                        terminal::suspend(term).map_err(|e| format!("cannot suspend: {e}"))?;
                    }
                    Some(Ok(TermEvent::Key(key))) if key.kind != KeyEventKind::Release => {
                        pending = console.on_key(key, now);
                    }
                    Some(Ok(TermEvent::Mouse(mouse))) => {
                        let size = term.size().map_err(|e| format!("cannot read the terminal's size: {e}"))?;
                        pending = console.on_mouse(mouse, Rect::new(0, 0, size.width, size.height), now);
                    }
                    Some(Ok(_)) => {}
                    Some(Err(error)) => return Err(format!("cannot read the terminal: {error}")),
                    None => return Ok(stop(&mut console, "SIGHUP", clock.now())),
                }
                pending.extend(console.tick(now));
            }
            Some(report) = reports.recv() => console.on_report(report),
            () = when(wake.map(tokio::time::sleep_until)) => pending = console.tick(clock.now()),
            Some(()) = when(watcher.as_mut().map(|w| w.changes.recv())) => {
                reload_due = Some(tokio::time::Instant::now() + std::time::Duration::from_millis(250));
            }
            () = when(reload_due.map(tokio::time::sleep_until)) => {
                reload_due = None;
                if let (Some(path), None) = (watcher.as_ref().map(|w| w.path.clone()), &reloading) {
                    reloading = Some(tokio::task::spawn_blocking(move || {
                        crate::plan::reload_blocking(&path).map_err(|e| e.0.first().map(ToString::to_string).unwrap_or_default())
                    }));
                }
            }
            found = when(looking_up.as_mut()) => {
                looking_up = None;
                // A lookup that failed to run leaves nothing carried; the session goes on.
                if let Ok(earlier) = found {
                    console.found_earlier(earlier, clock.now());
                }
            }
            joined = when(reloading.as_mut()) => {
                reloading = None;
                if let Some(path) = watcher.as_ref().map(|w| w.path.clone()) {
                    let result = joined.unwrap_or_else(|e| Err(format!("the reload stopped: {e}")));
                    console.reload(result, &path, clock.now());
                }
            }
            changed = when(share_rx.as_mut().map(|rx| rx.changed())) => {
                // A trainee joined or left, or a wrong code was refused: redraw.
                match changed {
                    Ok(()) => console.sharing_changed(clock.now()),
                    Err(_) => share_rx = None,
                }
            }
            changed = when(follow_rx.as_mut().map(|rx| rx.changed())) => match (changed, follow_rx.as_ref()) {
                (Ok(()), Some(rx)) => pending = console.follow(&rx.borrow(), clock.now()),
                _ => follow_rx = None,
            },
            signal = signals.next() => match signal {
                terminal::SignalEvent::Terminate(name) => return Ok(stop(&mut console, name, clock.now())),
                terminal::SignalEvent::Suspend => {
                    terminal::suspend(term).map_err(|e| format!("cannot suspend: {e}"))?;
                }
            },
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

fn outcome(exit: Exit, console: &Console) -> Result<Outcome, String> {
    Ok(match exit {
        Exit::Saved {
            ron,
            markdown,
            wrapup,
            submitted,
        } => Outcome::Saved {
            ron,
            markdown,
            wrapup,
            submitted,
        },
        Exit::InJournal { ended } => Outcome::InJournal {
            journal: console.journal(),
            ended,
        },
        Exit::Postponed => Outcome::Postponed,
        Exit::NeverStarted => Outcome::NeverStarted,
        Exit::Discarded => Outcome::Discarded,
        Exit::Observed(notes) => Outcome::Observed { notes },
        Exit::Failed(error) => return Err(error),
    })
}

/// A signal (or the terminal gone): everything is already in the journal (a note being
/// typed is filed first); flush it and leave the session resumable.
fn stop(console: &mut Console, name: &'static str, now: Millis) -> Outcome {
    let (journal, saved) = console.stop(now);
    Outcome::Signal { name, journal, saved }
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
