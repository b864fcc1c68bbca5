//! The journal on its own thread: the UI hands events over and goes on at once; the "saved"
//! mark follows when the fsync returns. A slow disk delays the mark, never the keys.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::thread::JoinHandle;
use std::time::Duration;
use std::{io, thread};

use tokio::sync::mpsc::UnboundedSender;

use super::file::{Journal, Sink};
use super::file_name;
use crate::session::{Event, Millis};
use crate::vault::Vault;

/// While something is unsaved, the writer tries again this often even if nothing new comes.
pub const AUTO_RETRY: Duration = Duration::from_secs(5);

/// What the writer tells the UI after each attempt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WriteReport {
    /// Every event sent up to and including `through_seq` is on disk.
    Saved { through_seq: u64 },
    /// Events sent up to `through_seq` are not all on disk yet: they are kept in memory and
    /// retried on every later send, on [`JournalWriter::retry`] and every [`AUTO_RETRY`].
    Failed { through_seq: u64, error: String },
}

enum Message {
    Events { seq: u64, events: Vec<Event> },
    Retry,
}

/// How the thread ended: events it could not save, and why.
struct Outcome {
    unsaved: usize,
    error: Option<String>,
}

/// Owns a [`Journal`] on a background thread.
pub struct JournalWriter {
    queue: Option<Sender<Message>>,
    thread: Option<JoinHandle<Outcome>>,
    reports: UnboundedSender<WriteReport>,
    last_seq: AtomicU64,
    path: PathBuf,
}

impl JournalWriter {
    /// Starts the thread over an open journal.
    pub fn spawn<S: Sink + Send + 'static>(
        journal: Journal<S>,
        reports: UnboundedSender<WriteReport>,
    ) -> io::Result<JournalWriter> {
        let path = journal.path().to_owned();
        JournalWriter::start(Target::Open(journal), path, reports, AUTO_RETRY)
    }

    /// Starts the thread and creates the journal there. If that fails (a read-only or full
    /// data dir) the session still goes on: the first report is `Failed`, events are kept in
    /// memory, and creating the journal is tried again on each send and retry.
    pub fn create(
        dir: &Path,
        session_id: &str,
        now: Millis,
        reports: UnboundedSender<WriteReport>,
    ) -> io::Result<JournalWriter> {
        JournalWriter::create_with(dir, session_id, now, reports, Vault::plain())
    }

    /// Like [`JournalWriter::create`], the journal sealed when `vault` encrypts (see
    /// [`Journal::create_with`]). Call [`Vault::prepare`] first if the vault may need a
    /// passphrase: this thread cannot ask for one.
    pub fn create_with(
        dir: &Path,
        session_id: &str,
        now: Millis,
        reports: UnboundedSender<WriteReport>,
        vault: Vault,
    ) -> io::Result<JournalWriter> {
        let path = dir.join(file_name(session_id));
        let (dir, id) = (dir.to_owned(), session_id.to_owned());
        let open = Box::new(move || Journal::create_with(&dir, &id, now, &vault));
        let writer = JournalWriter::start(
            Target::Opening {
                open,
                waiting: Vec::new(),
            },
            path,
            reports,
            AUTO_RETRY,
        )?;
        writer.retry();
        Ok(writer)
    }

    fn start<S: Sink + Send + 'static>(
        target: Target<S>,
        path: PathBuf,
        reports: UnboundedSender<WriteReport>,
        retry_every: Duration,
    ) -> io::Result<JournalWriter> {
        let (queue, inbox) = mpsc::channel();
        let thread_reports = reports.clone();
        let thread = thread::Builder::new()
            .name("journal".into())
            .spawn(move || run(target, &inbox, &thread_reports, retry_every))?;
        Ok(JournalWriter {
            queue: Some(queue),
            thread: Some(thread),
            reports,
            last_seq: AtomicU64::new(0),
            path,
        })
    }

    /// Hands `events` to the writer and returns at once with their sequence number (1, 2, …);
    /// a report naming a `through_seq` at or past it says what became of them.
    pub fn send(&self, events: Vec<Event>) -> u64 {
        let seq = self.last_seq.fetch_add(1, Ordering::SeqCst) + 1;
        let delivered = self
            .queue
            .as_ref()
            .is_some_and(|queue| queue.send(Message::Events { seq, events }).is_ok());
        if !delivered {
            // Only if the thread died: say so rather than let the events vanish quietly.
            let _ = self.reports.send(WriteReport::Failed {
                through_seq: seq,
                error: format!(
                    "the journal writer for {} has stopped; events are no longer saved",
                    self.path.display()
                ),
            });
        }
        seq
    }

    /// Tries again to write what is pending (after the facilitator freed some space, say).
    pub fn retry(&self) {
        if let Some(queue) = &self.queue {
            let _ = queue.send(Message::Retry);
        }
    }

    /// The journal's path (it may not exist yet if creating it failed).
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Writes everything queued, stops the thread and waits for it. An error says how many
    /// events could not be saved, and why.
    pub fn shutdown(mut self) -> io::Result<()> {
        self.finish()
    }

    fn finish(&mut self) -> io::Result<()> {
        // Closing the queue lets the thread drain it, try once more, and end.
        self.queue = None;
        let Some(thread) = self.thread.take() else {
            return Ok(());
        };
        match thread.join() {
            Ok(Outcome { unsaved: 0, .. }) => Ok(()),
            Ok(Outcome { unsaved, error }) => Err(io::Error::other(format!(
                "{unsaved} events could not be saved to the journal {}: {}",
                self.path.display(),
                error.unwrap_or_default()
            ))),
            Err(_) => Err(io::Error::other(format!(
                "the journal writer for {} stopped unexpectedly",
                self.path.display()
            ))),
        }
    }
}

impl Drop for JournalWriter {
    /// Nothing queued is dropped: the thread writes it before the writer goes.
    fn drop(&mut self) {
        let _ = self.finish();
    }
}

type Opener<S> = Box<dyn FnMut() -> io::Result<Journal<S>> + Send>;

/// The journal, or the means to create it and the events waiting for it.
enum Target<S: Sink> {
    Open(Journal<S>),
    Opening { open: Opener<S>, waiting: Vec<Event> },
}

impl<S: Sink> Target<S> {
    fn append(&mut self, events: Vec<Event>) -> io::Result<()> {
        match self {
            Target::Open(journal) => journal.append(&events),
            Target::Opening { open, waiting } => {
                waiting.extend(events);
                let mut journal = open()?;
                let result = journal.append(waiting);
                // The journal now holds them, written or pending.
                waiting.clear();
                *self = Target::Open(journal);
                result
            }
        }
    }

    fn unsaved(&self) -> usize {
        match self {
            Target::Open(journal) => journal.pending(),
            Target::Opening { waiting, .. } => waiting.len(),
        }
    }
}

fn run<S: Sink>(
    mut target: Target<S>,
    inbox: &Receiver<Message>,
    reports: &UnboundedSender<WriteReport>,
    retry_every: Duration,
) -> Outcome {
    let mut received = 0;
    let mut last_error = None;
    loop {
        let first = if last_error.is_some() {
            match inbox.recv_timeout(retry_every) {
                Ok(message) => Some(message),
                Err(RecvTimeoutError::Timeout) => None,
                Err(RecvTimeoutError::Disconnected) => break,
            }
        } else {
            match inbox.recv() {
                Ok(message) => Some(message),
                Err(_) => break,
            }
        };
        // Whatever queued up while the disk was busy goes in one write and one fsync.
        let mut batch = Vec::new();
        for message in first
            .into_iter()
            .chain(std::iter::from_fn(|| inbox.try_recv().ok()))
        {
            if let Message::Events { seq, events } = message {
                received = seq.max(received);
                batch.extend(events);
            }
        }
        last_error = attempt(&mut target, batch, received, reports);
    }
    if last_error.is_some() {
        last_error = attempt(&mut target, Vec::new(), received, reports);
    }
    Outcome {
        unsaved: target.unsaved(),
        error: last_error,
    }
}

/// One append, reported; returns the error, if any.
fn attempt<S: Sink>(
    target: &mut Target<S>,
    batch: Vec<Event>,
    received: u64,
    reports: &UnboundedSender<WriteReport>,
) -> Option<String> {
    let (report, error) = match target.append(batch) {
        Ok(()) => (
            WriteReport::Saved {
                through_seq: received,
            },
            None,
        ),
        Err(error) => {
            let error = error.to_string();
            (
                WriteReport::Failed {
                    through_seq: received,
                    error: error.clone(),
                },
                Some(error),
            )
        }
    };
    // The UI may have gone (shutting down); the journal matters, the report does not.
    let _ = reports.send(report);
    error
}

#[cfg(test)]
impl JournalWriter {
    /// A writer over any journal with a chosen automatic retry interval.
    pub(super) fn spawn_with_retry<S: Sink + Send + 'static>(
        journal: Journal<S>,
        reports: UnboundedSender<WriteReport>,
        retry_every: Duration,
    ) -> io::Result<JournalWriter> {
        let path = journal.path().to_owned();
        JournalWriter::start(Target::Open(journal), path, reports, retry_every)
    }
}
