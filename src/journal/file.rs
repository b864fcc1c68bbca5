//! One open, locked journal: append with fsync, and roll back a failed write so the file
//! only ever holds whole records.

use std::fs::{self, File, OpenOptions, TryLockError};
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use super::format::{self, Parsed};
use super::sealed::{Sealer, SessionKey};
use super::{JOURNAL_VERSION, JournalError, JournalHeader, Recovered, file_name};
use crate::session::{Event, Millis};
use crate::storage::{self, FILE_MODE};
use crate::vault::Vault;

/// Where a journal's bytes go. The real one is a [`LockedFile`]; tests put a sink in its
/// place that fails on purpose.
pub trait Sink {
    /// Writes the whole buffer at the end of what is there.
    fn write_all(&mut self, buf: &[u8]) -> io::Result<()>;
    /// Makes what was written durable (fsync).
    fn sync(&mut self) -> io::Result<()>;
    /// Cuts the file back to `len` bytes; later writes go after them.
    fn truncate_to(&mut self, len: u64) -> io::Result<()>;
}

/// A journal file holding its exclusive lock: the lock lives as long as the handle.
#[derive(Debug)]
pub struct LockedFile {
    file: File,
}

impl LockedFile {
    /// Takes the exclusive lock on `file` without waiting. A lock already held (by another
    /// holdspace, or another handle in this one) is [`io::ErrorKind::WouldBlock`]. A file
    /// system without locks is accepted unlocked: better a journal without a lock than none.
    pub fn lock(file: File) -> io::Result<LockedFile> {
        match file.try_lock() {
            Ok(()) => Ok(LockedFile { file }),
            Err(TryLockError::WouldBlock) => Err(io::ErrorKind::WouldBlock.into()),
            Err(TryLockError::Error(error)) if error.kind() == io::ErrorKind::Unsupported => {
                Ok(LockedFile { file })
            }
            Err(TryLockError::Error(error)) => Err(error),
        }
    }
}

impl Sink for LockedFile {
    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        self.file.write_all(buf)
    }

    fn sync(&mut self) -> io::Result<()> {
        self.file.sync_data()
    }

    fn truncate_to(&mut self, len: u64) -> io::Result<()> {
        self.file.set_len(len)?;
        self.file.seek(SeekFrom::Start(len))?;
        Ok(())
    }
}

/// An open journal. Records reach the disk in order, each exactly once: what could not be
/// written stays pending and goes first on the next append.
#[derive(Debug)]
pub struct Journal<S: Sink = LockedFile> {
    sink: S,
    path: PathBuf,
    /// Bytes on disk known whole and synced.
    good_len: u64,
    /// Encoded records waiting to be written, oldest first.
    pending: Vec<String>,
    /// A failed write may have left bytes past `good_len` that a truncation has not yet removed.
    dirty: bool,
    /// Seals each record of a sealed journal; `None` for a plain one.
    sealer: Option<Sealer>,
}

impl Journal<LockedFile> {
    /// Creates `dir` (owner-only) and a new journal `<session_id>.journal` in it (0600),
    /// locks it and writes and fsyncs its header. `now` is the time of creation.
    pub fn create(dir: &Path, session_id: &str, now: Millis) -> io::Result<Journal> {
        Journal::create_with(dir, session_id, now, &Vault::plain())
    }

    /// Like [`Journal::create`], sealed when `vault` encrypts: the header holds a new
    /// session key wrapped to the vault's recipients, and every record is encrypted.
    pub fn create_with(dir: &Path, session_id: &str, now: Millis, vault: &Vault) -> io::Result<Journal> {
        check_id(session_id)?;
        let (header_line, sealer) = if vault.is_encrypting() {
            let key = SessionKey::generate()?;
            let line = format::sealed_header_line(session_id, now, &key, vault)?;
            (line, Some(Sealer::new_run(&key, session_id)?))
        } else {
            let header = JournalHeader {
                version: JOURNAL_VERSION,
                session: session_id.to_owned(),
                created: now,
            };
            (format::header_line(&header)?, None)
        };
        storage::ensure_private_dir(dir).map_err(|e| {
            context(
                e,
                &format!("could not create the journal folder {}", dir.display()),
            )
        })?;
        let path = dir.join(file_name(session_id));
        let file = storage::create_private(&path)
            .map_err(|e| context(e, &format!("could not create the journal {}", path.display())))?;
        let written = (|| {
            let mut sink = LockedFile::lock(file)?;
            sink.file.write_all(header_line.as_bytes())?;
            sink.file.sync_all()?;
            File::open(dir)?.sync_all()?;
            Ok::<_, io::Error>((sink, header_line.len() as u64))
        })();
        match written {
            Ok((sink, len)) => Ok(Journal::from_sink(sink, path, len).sealed_by(sealer)),
            Err(error) => {
                // Leave no header-less file behind to be found as a broken session later.
                let _ = fs::remove_file(&path);
                Err(context(
                    error,
                    &format!("could not write the journal {}", path.display()),
                ))
            }
        }
    }

    /// Opens an unfinished journal to resume it: takes its lock, reads it back, and cuts off a
    /// record torn by the crash so new records start on a clean line.
    pub fn reopen(path: &Path) -> Result<(Journal, Recovered), JournalError> {
        Journal::reopen_with(path, &Vault::plain())
    }

    /// Like [`Journal::reopen`], opening a sealed journal with `vault`'s identity; new
    /// records go on being sealed (a plain journal stays plain). Nothing in the file is
    /// changed unless it opened.
    pub fn reopen_with(path: &Path, vault: &Vault) -> Result<(Journal, Recovered), JournalError> {
        let io_error = |source| JournalError::Io {
            path: path.to_owned(),
            source,
        };
        let file = OpenOptions::new()
            .read(true)
            .write(true)
            .open(path)
            .map_err(io_error)?;
        let mut sink = match LockedFile::lock(file) {
            Ok(sink) => sink,
            Err(error) if error.kind() == io::ErrorKind::WouldBlock => {
                return Err(JournalError::InUse {
                    path: path.to_owned(),
                });
            }
            Err(error) => return Err(io_error(error)),
        };
        let mut bytes = Vec::new();
        sink.file.read_to_end(&mut bytes).map_err(io_error)?;
        let Parsed {
            recovered,
            complete_len,
            key,
        } = format::parse(path, &bytes, vault)?;
        let sealer = key
            .map(|key| Sealer::new_run(&key, &recovered.header.session))
            .transpose()
            .map_err(io_error)?;
        if bytes.len() as u64 > complete_len {
            sink.truncate_to(complete_len).map_err(io_error)?;
            sink.sync().map_err(io_error)?;
        } else {
            sink.file.seek(SeekFrom::Start(complete_len)).map_err(io_error)?;
        }
        // A journal copied in from elsewhere may be readable by others; it holds client data.
        if let Ok(meta) = sink.file.metadata()
            && meta.permissions().mode() & 0o777 != FILE_MODE
        {
            let _ = sink.file.set_permissions(fs::Permissions::from_mode(FILE_MODE));
        }
        let journal = Journal::from_sink(sink, path.to_owned(), complete_len).sealed_by(sealer);
        Ok((journal, recovered))
    }
}

impl<S: Sink> Journal<S> {
    /// A journal over any sink that already holds `len` good bytes (a header at least).
    pub fn from_sink(sink: S, path: PathBuf, len: u64) -> Journal<S> {
        Journal {
            sink,
            path,
            good_len: len,
            pending: Vec::new(),
            dirty: false,
            sealer: None,
        }
    }

    fn sealed_by(mut self, sealer: Option<Sealer>) -> Journal<S> {
        self.sealer = sealer;
        self
    }

    /// Whether records are encrypted.
    pub fn is_sealed(&self) -> bool {
        self.sealer.is_some()
    }

    /// Writes `events` (after any still pending) and fsyncs. On an error nothing is lost: the
    /// file is cut back to its last whole record and the events wait for the next append or
    /// [`Journal::flush`].
    pub fn append(&mut self, events: &[Event]) -> io::Result<()> {
        let mut unencodable = None;
        for event in events {
            let line = format::event_line(event).and_then(|line| match &mut self.sealer {
                Some(sealer) => sealer.seal(line.trim_end_matches('\n')),
                None => Ok(line),
            });
            match line {
                Ok(line) => self.pending.push(line),
                Err(error) => unencodable = Some(error),
            }
        }
        self.flush()?;
        match unencodable {
            Some(error) => Err(context(
                error,
                &format!("an event was not saved to {}", self.path.display()),
            )),
            None => Ok(()),
        }
    }

    /// Writes and fsyncs whatever is pending.
    pub fn flush(&mut self) -> io::Result<()> {
        if self.pending.is_empty() && !self.dirty {
            return Ok(());
        }
        self.try_flush().map_err(|error| {
            self.dirty = true;
            // Roll back at once so a later record never follows half a line; if even that
            // fails, the next flush tries again before writing anything.
            if self.sink.truncate_to(self.good_len).is_ok() {
                self.dirty = false;
            }
            context(
                error,
                &format!("could not save to the journal {}", self.path.display()),
            )
        })
    }

    fn try_flush(&mut self) -> io::Result<()> {
        if self.dirty {
            self.sink.truncate_to(self.good_len)?;
            self.sink.sync()?;
            self.dirty = false;
        }
        if self.pending.is_empty() {
            return Ok(());
        }
        let buf = self.pending.concat();
        self.dirty = true;
        self.sink.write_all(buf.as_bytes())?;
        self.sink.sync()?;
        self.dirty = false;
        self.good_len += buf.len() as u64;
        self.pending.clear();
        Ok(())
    }

    /// How many events wait to be written.
    pub fn pending(&self) -> usize {
        self.pending.len()
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Bytes on disk known whole and synced.
    pub fn synced_len(&self) -> u64 {
        self.good_len
    }

    /// The sink, for tests that look inside it.
    pub fn sink(&self) -> &S {
        &self.sink
    }
}

/// A session id becomes a file name: refuse anything that could leave the journal folder.
fn check_id(session_id: &str) -> io::Result<()> {
    let safe = !session_id.is_empty()
        && !session_id.starts_with('.')
        && session_id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
    if safe {
        Ok(())
    } else {
        Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("{session_id:?} is not a valid session id (letters, digits, '-', '_' and '.' only)"),
        ))
    }
}

/// The same error, its message prefixed with what was being done.
fn context(error: io::Error, doing: &str) -> io::Error {
    io::Error::new(error.kind(), format!("{doing}: {error}"))
}
