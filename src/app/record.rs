//! The facilitator's record of the session: every event, in order, handed to the journal
//! writer as it happens, and what the journal has confirmed on disk.

use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};

use tokio::sync::mpsc::UnboundedSender;

use crate::journal::{Journal, JournalWriter, Unfinished, WriteReport};
use crate::session::{Event, Millis, State};
use crate::ui::SaveMark;
use crate::vault::Vault;

/// How often a running session records that it is alive, so a crash's time is known.
const HEARTBEAT_MS: Millis = 15_000;

/// How often the clock mark beside the journal is renewed while the clock runs: a resume
/// counts the session's time up to a crash to within this.
const MARK_MS: Millis = 1_000;

pub struct Record {
    writer: Option<JournalWriter>,
    /// The journal's file, once there is one (it may not exist yet if creating it failed).
    path: Option<PathBuf>,
    reports: UnboundedSender<WriteReport>,
    /// Seals the journal's records when encryption is on.
    vault: Vault,
    sent_seq: u64,
    saved_seq: u64,
    /// Why the last write failed, until a later one succeeds.
    failure: Option<String>,
    /// Why closing the journal lost events, if it did: the journal is not whole.
    lost: Option<String>,
    last_heartbeat: Millis,
    /// The clock mark file, open while the clock runs, and when it was last written.
    mark: Option<(std::fs::File, Millis)>,
    /// Every event of this session, in order: what a trainee who joins receives.
    history: Vec<Event>,
}

/// A journal picked up after a crash.
pub struct Reopened {
    pub state: State,
    pub session_id: String,
    /// Damage found in the journal (a cut-off last line, unreadable lines).
    pub problems: Vec<String>,
}

impl Record {
    pub fn new(reports: UnboundedSender<WriteReport>, vault: Vault, now: Millis) -> Record {
        Record {
            writer: None,
            path: None,
            reports,
            vault,
            sent_seq: 0,
            saved_seq: 0,
            failure: None,
            lost: None,
            last_heartbeat: now,
            mark: None,
            history: Vec::new(),
        }
    }

    /// Starts a new journal for `session_id` in `dir`. If the disk refuses, the session
    /// still goes on in memory and the failure is reported.
    pub fn create(&mut self, dir: &Path, session_id: &str, now: Millis) {
        match JournalWriter::create_with(dir, session_id, now, self.reports.clone(), self.vault.clone()) {
            Ok(writer) => {
                self.path = Some(writer.path().to_owned());
                self.writer = Some(writer);
            }
            Err(error) => self.failure = Some(format!("cannot start the journal: {error}")),
        }
        self.last_heartbeat = now;
    }

    /// Reopens an unfinished session's journal and folds it back into a state.
    pub fn reopen(&mut self, found: &Unfinished, now: Millis) -> Result<Reopened, String> {
        let (journal, recovered) =
            Journal::reopen_with(&found.path, &self.vault).map_err(|e| e.to_string())?;
        let state = State::fold(&recovered.events).map_err(|e| format!("{}: {e}", found.path.display()))?;
        let writer = JournalWriter::spawn(journal, self.reports.clone()).map_err(|e| e.to_string())?;
        self.path = Some(writer.path().to_owned());
        self.writer = Some(writer);
        self.history = recovered.events;
        self.last_heartbeat = now;
        Ok(Reopened {
            state,
            session_id: recovered.header.session,
            problems: recovered.problems,
        })
    }

    /// Hands events to the journal (and keeps them for trainees who join later).
    pub fn append(&mut self, events: &[Event]) {
        self.history.extend(events.iter().cloned());
        if let Some(writer) = &self.writer {
            self.sent_seq = writer.send(events.to_vec());
        }
    }

    pub fn history(&self) -> &[Event] {
        &self.history
    }

    /// A running session's heartbeat, when one is due.
    pub fn heartbeat(&mut self, state: &State, now: Millis) -> Option<Event> {
        (state.is_running() && now - self.last_heartbeat >= HEARTBEAT_MS).then(|| {
            self.last_heartbeat = now;
            Event::Heartbeat { at: now }
        })
    }

    /// Renews the clock mark beside the journal (once a second at most): the time, written
    /// over itself without an fsync, so it costs next to nothing. A crash leaves it saying
    /// when the session was last alive, closer than the last event or heartbeat.
    pub fn mark_alive(&mut self, now: Millis) {
        use std::os::unix::fs::FileExt;
        if self.mark.as_ref().is_some_and(|(_, at)| now - at < MARK_MS) {
            return;
        }
        let Some(path) = self.path.as_deref().map(mark_path) else {
            return;
        };
        if self.mark.is_none() {
            let opened = std::fs::OpenOptions::new()
                .write(true)
                .create(true)
                .truncate(false)
                .mode(crate::storage::FILE_MODE)
                .open(&path);
            match opened {
                Ok(file) => self.mark = Some((file, now)),
                // No mark: a resume then counts from the last event, as before.
                Err(_) => return,
            }
        }
        if let Some((file, at)) = &mut self.mark {
            let _ = file.write_at(format!("{now:>20}\n").as_bytes(), 0);
            *at = now;
        }
    }

    /// Moves the finished journal into `archive` (its clock mark is no longer needed).
    pub fn archive(&mut self, journal: &Path, archive: &Path) {
        self.mark = None;
        let _ = std::fs::remove_file(mark_path(journal));
        let _ = crate::journal::archive(journal, archive);
    }

    /// What the journal writer reports.
    pub fn on_report(&mut self, report: WriteReport) {
        match report {
            WriteReport::Saved { through_seq } => {
                self.saved_seq = self.saved_seq.max(through_seq);
                if self.saved_seq >= self.sent_seq {
                    self.failure = None;
                }
            }
            WriteReport::Failed { error, .. } => self.failure = Some(error),
        }
    }

    /// Why the last write failed, while it has not been made good.
    pub fn failure(&self) -> Option<&str> {
        self.failure.as_deref()
    }

    /// The header's mark: saved, saving or failed.
    pub fn mark(&self) -> SaveMark {
        match &self.failure {
            Some(error) => SaveMark::Failed(error.clone()),
            None if self.saved_seq >= self.sent_seq => SaveMark::Saved,
            None => SaveMark::Saving,
        }
    }

    /// Writes what is queued and closes the journal; its path if all of it is on disk.
    pub fn close(&mut self) -> Result<Option<PathBuf>, String> {
        match self.writer.take() {
            Some(writer) => writer.shutdown().map(|()| self.path.clone()).map_err(|e| {
                let error = e.to_string();
                self.lost = Some(error.clone());
                error
            }),
            None => match &self.lost {
                Some(error) => Err(error.clone()),
                None => Ok(self.path.clone()),
            },
        }
    }

    /// Whether everything recorded is on disk in the journal.
    pub fn is_whole(&self) -> bool {
        self.failure.is_none() && self.lost.is_none() && self.on_disk().is_some()
    }

    /// The journal's file, if it exists on disk.
    pub fn on_disk(&self) -> Option<PathBuf> {
        self.path.clone().filter(|path| path.exists())
    }
}

/// The clock mark beside a journal: `<session>.alive`.
fn mark_path(journal: &Path) -> PathBuf {
    journal.with_extension("alive")
}

/// When the session of `journal` was last known alive: its clock mark, if there is one.
pub fn last_alive(journal: &Path) -> Option<Millis> {
    std::fs::read_to_string(mark_path(journal))
        .ok()?
        .trim()
        .parse()
        .ok()
}
