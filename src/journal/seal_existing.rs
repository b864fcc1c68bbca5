//! Turning a plain journal into a sealed one in place (for `holdspace encrypt-archive`):
//! the sealed copy is written whole beside it and renamed over it, so an interruption
//! leaves the plain journal or the sealed one, never a mix.

use std::fs::{self, File};
use std::io;
use std::path::Path;

use super::JournalError;
use super::file::LockedFile;
use super::format::{self, Parsed};
use super::sealed::{Sealer, SessionKey};
use crate::vault::Vault;

/// What [`seal_journal`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sealing {
    /// It was plain and is now sealed; `dropped` damaged lines were left out.
    Sealed { dropped: usize },
    /// It was sealed already.
    AlreadySealed,
}

/// Seals the plain journal at `path` to `vault`'s recipients, keeping its name. A journal
/// open in a running holdspace is refused ([`JournalError::InUse`]); one that cannot be
/// read is left as it is.
pub fn seal_journal(path: &Path, vault: &Vault) -> Result<Sealing, JournalError> {
    let io_error = |source| JournalError::Io {
        path: path.to_owned(),
        source,
    };
    let file = File::open(path).map_err(io_error)?;
    // Held until the sealed copy is in place: no holdspace resumes it meanwhile.
    let _lock = match LockedFile::lock(file) {
        Ok(lock) => lock,
        Err(error) if error.kind() == io::ErrorKind::WouldBlock => {
            return Err(JournalError::InUse {
                path: path.to_owned(),
            });
        }
        Err(error) => return Err(io_error(error)),
    };
    let bytes = fs::read(path).map_err(io_error)?;
    if format::is_sealed(&bytes) {
        return Ok(Sealing::AlreadySealed);
    }
    let Parsed { recovered, .. } = format::parse(path, &bytes, &Vault::plain())?;
    let session = &recovered.header.session;
    let sealed = (|| {
        let key = SessionKey::generate()?;
        let mut text = format::sealed_header_line(session, recovered.header.created, &key, vault)?;
        let mut sealer = Sealer::new_run(&key, session)?;
        for event in &recovered.events {
            let line = format::event_line(event)?;
            text.push_str(&sealer.seal(line.trim_end_matches('\n'))?);
        }
        Ok::<_, io::Error>(text)
    })()
    .map_err(io_error)?;
    crate::storage::write_atomic(path, sealed.as_bytes()).map_err(io_error)?;
    Ok(Sealing::Sealed {
        dropped: recovered.problems.len(),
    })
}
