//! The journal: every event of a live session, appended and flushed to disk as it happens,
//! so that a crash, `kill -9` or a power cut loses nothing that was shown as saved.
//!
//! One file per session, `DATA_DIR/journal/<id>.journal`, owner-only, text, one record a
//! line: line 1 is a [`JournalHeader`], every later line one [`Event`] as single-line RON
//! (newlines inside notes are escaped, so a record is always exactly one line). A record
//! counts once its newline is on disk: a last line without one was cut off by a crash and is
//! ignored (and reported) on recovery.
//!
//! With encryption on, a journal is *sealed* (version 2): the same one record a line, each
//! line encrypted on its own with a per-session key that the header holds wrapped with age
//! (see `sealed`), so appending and fsyncing per event, cutting a torn last line and
//! resuming work as before. The `_with` functions take the [`crate::vault::Vault`] that seals new
//! journals and opens sealed ones; the others are plain, as before.
//!
//! - [`Journal`] owns the open, locked file; [`Journal::append`] writes and fsyncs, and on a
//!   failure rolls the file back to its last good length and keeps the events to retry.
//! - [`JournalWriter`] runs a [`Journal`] on its own thread, so a slow disk delays the
//!   "saved" mark, never the keys.
//! - [`read_journal`], [`Journal::reopen`] and [`find_unfinished`] recover after a crash;
//!   [`archive`] moves a finished journal aside once its summary is safely written.

mod file;
mod format;
mod recover;
mod seal_existing;
mod sealed;
mod times;
mod writer;

#[cfg(test)]
mod tests;

use std::io;
use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use crate::session::Millis;
use crate::vault::VaultError;

pub use file::{Journal, LockedFile, Sink};
pub use recover::{
    Recovered, Scan, Unfinished, archive, find_unfinished, read_journal, read_journal_with, scan_journals,
    scan_journals_with,
};
pub use seal_existing::{Sealing, seal_journal};
pub use writer::{JournalWriter, WriteReport};

/// The version of the journal format this holdspace writes. Older versions it can read are
/// upgraded when read; newer ones are refused with a message asking for an update.
pub const JOURNAL_VERSION: u32 = 1;

/// The version of a sealed (encrypted) journal: version 1's lines, each encrypted.
pub const SEALED_JOURNAL_VERSION: u32 = 2;

/// The extension of a journal file: `<session id>.journal`.
pub const JOURNAL_EXTENSION: &str = "journal";

/// The first line of every journal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JournalHeader {
    pub version: u32,
    /// The session id, also the file's stem.
    pub session: String,
    /// When the journal was created, in milliseconds since the Unix epoch.
    pub created: Millis,
}

/// Why a journal could not be read or opened, in words for the facilitator.
#[derive(Debug, thiserror::Error)]
pub enum JournalError {
    #[error("could not read the journal {}: {source}", .path.display())]
    Io { path: PathBuf, source: io::Error },
    #[error("the journal {} is empty: the session was never started, so there is nothing to resume", .path.display())]
    Empty { path: PathBuf },
    #[error("{} is not a holdspace journal: line 1 is not a journal header ({reason})", .path.display())]
    NotAJournal { path: PathBuf, reason: String },
    #[error(
        "the journal {} was written by a newer holdspace (journal version {version}); update holdspace to resume it",
        .path.display()
    )]
    NewerVersion { path: PathBuf, version: u32 },
    #[error(
        "the journal {} has version {version}, which no holdspace ever wrote; it cannot be resumed",
        .path.display()
    )]
    UnknownVersion { path: PathBuf, version: u32 },
    #[error(
        "the journal {} holds no events (the session was created but never started); there is nothing to resume",
        .path.display()
    )]
    NoEvents { path: PathBuf },
    #[error(
        "the journal {} does not begin with the session's start (line {line} is another event); it cannot be resumed",
        .path.display()
    )]
    NoStart { path: PathBuf, line: usize },
    #[error("the session's start in the journal {} cannot be read ({problem}); it cannot be resumed", .path.display())]
    NoReadableStart { path: PathBuf, problem: String },
    #[error("this session is open in another holdspace window ({}); close it there first", .path.display())]
    InUse { path: PathBuf },
    #[error("the journal {} is encrypted and cannot be opened: {source}", .path.display())]
    Sealed { path: PathBuf, source: VaultError },
}

impl JournalError {
    /// The journal file the error is about.
    pub fn path(&self) -> &std::path::Path {
        match self {
            JournalError::Io { path, .. }
            | JournalError::Empty { path }
            | JournalError::NotAJournal { path, .. }
            | JournalError::NewerVersion { path, .. }
            | JournalError::UnknownVersion { path, .. }
            | JournalError::NoEvents { path }
            | JournalError::NoStart { path, .. }
            | JournalError::NoReadableStart { path, .. }
            | JournalError::InUse { path }
            | JournalError::Sealed { path, .. } => path,
        }
    }
}

/// A session id such as `20261125-1432-3f9a`: the local date and time of the start, then
/// four hex digits of `entropy` so that two sessions started in the same minute differ.
pub fn new_session_id(now_millis: Millis, entropy: u64) -> String {
    use chrono::TimeZone;
    let stamp = match chrono::Local.timestamp_millis_opt(now_millis) {
        chrono::LocalResult::Single(time) | chrono::LocalResult::Ambiguous(time, _) => {
            time.format("%Y%m%d-%H%M").to_string()
        }
        chrono::LocalResult::None => "00000000-0000".to_owned(),
    };
    format!("{stamp}-{:04x}", entropy & 0xffff)
}

/// The file name of a session's journal.
pub fn file_name(session_id: &str) -> String {
    format!("{session_id}.{JOURNAL_EXTENSION}")
}
