//! After a crash: read a journal back, list the sessions left unfinished, and move finished
//! journals into the archive.

use std::fs::{self, File};
use std::io;
use std::path::{Path, PathBuf};

use super::format::{self, Parsed};
use super::{JOURNAL_EXTENSION, JournalError, JournalHeader};
use crate::session::{Event, Millis};
use crate::storage;
use crate::vault::Vault;

/// A journal read back: its header, every readable event in order, and what was wrong.
#[derive(Debug, Clone)]
pub struct Recovered {
    pub header: JournalHeader,
    pub events: Vec<Event>,
    /// Messages for the facilitator, e.g. "line 57: the last record was cut off (a crash
    /// while writing); it was ignored". Empty when the journal was whole.
    pub problems: Vec<String>,
}

/// Reads a journal. A cut-off last line and unreadable lines in the middle are skipped and
/// reported in `problems`; a file that is no journal, is from a newer holdspace, or does not
/// begin with the session's start is an error.
pub fn read_journal(path: &Path) -> Result<Recovered, JournalError> {
    read_journal_with(path, &Vault::plain())
}

/// Like [`read_journal`], opening a sealed journal with `vault`'s identity.
pub fn read_journal_with(path: &Path, vault: &Vault) -> Result<Recovered, JournalError> {
    let bytes = fs::read(path).map_err(|source| JournalError::Io {
        path: path.to_owned(),
        source,
    })?;
    let Parsed { recovered, .. } = format::parse(path, &bytes, vault)?;
    Ok(recovered)
}

/// A session whose journal is still in the journal folder: it was not closed properly.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unfinished {
    pub path: PathBuf,
    pub session_id: String,
    pub plan_title: String,
    /// When the session was started.
    pub started_at: Millis,
    /// The time of its latest event: the crash came after it.
    pub last_event_at: Millis,
    pub events: usize,
    /// It holds the session's end: only the summary still needs writing.
    pub ended: bool,
    /// Another holdspace has it open now; resuming it here would be refused.
    pub in_use: bool,
    /// How many damaged lines were skipped (see [`read_journal`] for the messages).
    pub problems: usize,
}

/// Everything found in a journal folder.
#[derive(Debug, Default)]
pub struct Scan {
    /// Newest first.
    pub unfinished: Vec<Unfinished>,
    /// Journals that cannot be resumed, with the reason; they are left where they are.
    pub unreadable: Vec<JournalError>,
}

/// The unfinished sessions in `journal_dir` (not in its archive), newest first. Journals that
/// cannot be read are left out; [`scan_journals`] reports them too.
pub fn find_unfinished(journal_dir: &Path) -> Vec<Unfinished> {
    scan_journals(journal_dir).unfinished
}

/// Reads every `*.journal` directly in `journal_dir`. A missing folder holds nothing.
pub fn scan_journals(journal_dir: &Path) -> Scan {
    scan_journals_with(journal_dir, &Vault::plain())
}

/// Like [`scan_journals`], opening sealed journals with `vault`'s identity; one it cannot
/// open is in `unreadable` with the reason (wrong or missing identity), never changed.
pub fn scan_journals_with(journal_dir: &Path, vault: &Vault) -> Scan {
    let mut scan = Scan::default();
    let Ok(entries) = fs::read_dir(journal_dir) else {
        return scan;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let is_journal = path.extension().is_some_and(|ext| ext == JOURNAL_EXTENSION)
            && entry.file_type().is_ok_and(|kind| kind.is_file());
        if !is_journal {
            continue;
        }
        match read_journal_with(&path, vault) {
            Ok(recovered) => scan.unfinished.push(summarise(path, recovered)),
            Err(error) => scan.unreadable.push(error),
        }
    }
    scan.unfinished.sort_by(|a, b| {
        b.last_event_at
            .cmp(&a.last_event_at)
            .then_with(|| b.session_id.cmp(&a.session_id))
    });
    scan
}

fn summarise(path: PathBuf, recovered: super::Recovered) -> Unfinished {
    let (plan_title, started_at) = match recovered.events.first() {
        Some(Event::Started { plan, at, .. }) => (plan.title.clone(), *at),
        _ => (String::new(), recovered.header.created),
    };
    let in_use = is_locked(&path);
    Unfinished {
        session_id: recovered.header.session,
        plan_title,
        started_at,
        last_event_at: recovered.events.iter().map(Event::at).max().unwrap_or(started_at),
        events: recovered.events.len(),
        ended: recovered
            .events
            .iter()
            .any(|event| matches!(event, Event::Ended { .. })),
        in_use,
        problems: recovered.problems.len(),
        path,
    }
}

/// Whether another handle holds the journal's lock. A shared lock, dropped at once, tests it
/// without keeping anyone out.
fn is_locked(path: &Path) -> bool {
    File::open(path).is_ok_and(|file| matches!(file.try_lock_shared(), Err(fs::TryLockError::WouldBlock)))
}

/// Moves a journal into `archive_dir` (created owner-only) once its summary is safely
/// written. An archived journal of the same name is never overwritten: this one becomes
/// `<id>-2.journal`, and so on. Returns the new path.
pub fn archive(path: &Path, archive_dir: &Path) -> io::Result<PathBuf> {
    storage::ensure_private_dir(archive_dir)?;
    let invalid = || {
        io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("{} is not a file", path.display()),
        )
    };
    let stem = path
        .file_stem()
        .ok_or_else(invalid)?
        .to_string_lossy()
        .into_owned();
    let ext = path
        .extension()
        .map(|ext| format!(".{}", ext.to_string_lossy()))
        .unwrap_or_default();
    for n in 1..=10_000 {
        let name = if n == 1 {
            format!("{stem}{ext}")
        } else {
            format!("{stem}-{n}{ext}")
        };
        let target = archive_dir.join(name);
        // A hard link fails if the name is taken, so no check-then-rename race can overwrite.
        match fs::hard_link(path, &target) {
            Ok(()) => fs::remove_file(path)?,
            Err(error) if error.kind() == io::ErrorKind::AlreadyExists => continue,
            Err(_) if target.exists() => continue,
            // No hard links here (some file systems): rename, having just seen the name free.
            Err(_) => fs::rename(path, &target)?,
        }
        File::open(archive_dir)?.sync_all()?;
        if let Some(parent) = path.parent().filter(|parent| !parent.as_os_str().is_empty()) {
            File::open(parent)?.sync_all()?;
        }
        return Ok(target);
    }
    Err(io::Error::new(
        io::ErrorKind::AlreadyExists,
        format!(
            "the archive {} has no free name for {}",
            archive_dir.display(),
            path.display()
        ),
    ))
}
