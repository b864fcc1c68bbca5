//! Reading the files of the folder: a summary's list fields (the one place the scan reads
//! a summary's bytes), a summary whole, a wrap-up's hash. Encrypted files are opened with
//! the run's vault; their decrypted bytes are dropped here.

use std::path::{Path, PathBuf};

use super::folder::Folder;
use super::known::Sha256;
use super::text::Interner;
use super::{Entry, map_parallel, quick, reason};
use crate::summary::{MAX_SUMMARY_BYTES, Summary, SummaryError, parse_list_fields, read_summary_with};
use crate::vault::{self, Vault};

/// A summary's list fields as read from its file.
pub struct Listed {
    pub entry: Entry,
    /// With a hash asked for: the SHA-256 of what the file holds (decrypted, if sealed).
    pub sha256: Option<Sha256>,
    /// The file was encrypted.
    pub sealed: bool,
}

/// What a thread reading the folder keeps between files.
#[derive(Default)]
pub struct Reader {
    /// Hands out the texts that repeat across summaries.
    pub texts: Interner,
    /// The bytes of the file being read: one buffer for all, not one per file.
    pub buf: Vec<u8>,
}

/// Reads the list fields of the summary called `name` in `folder` (at `path`) — and,
/// with `hash`, the SHA-256 of what it holds — with the guards and errors of
/// [`read_summary_with`], opening it with `vault` when it is encrypted. `len` is the
/// file's length as last seen, to refuse a huge file before reading it.
pub fn read_list_fields(
    folder: &Folder,
    name: &str,
    path: &Path,
    len: u64,
    hash: bool,
    reader: &mut Reader,
    vault: &Vault,
) -> Result<Listed, SummaryError> {
    let io_error = |source| SummaryError::Io {
        file: path.to_owned(),
        source,
    };
    if len > MAX_SUMMARY_BYTES {
        return Err(SummaryError::TooLarge {
            file: path.to_owned(),
            bytes: len,
        });
    }
    let Reader { texts, buf } = reader;
    folder.read(name, MAX_SUMMARY_BYTES, buf).map_err(io_error)?;
    let sealed = vault::is_sealed(buf);
    let opened;
    let bytes = if sealed {
        opened = vault
            .open(buf)
            .map_err(|error| io_error(std::io::Error::new(std::io::ErrorKind::InvalidData, error)))?;
        &opened
    } else {
        &buf[..]
    };
    let entry = parse_list_entry(bytes, path, texts)?;
    Ok(Listed {
        entry,
        sha256: hash.then(|| Sha256::of(bytes)),
        sealed,
    })
}

/// A summary's list fields from its bytes (`path` names it in errors): by the hand
/// scanner, or by the full parser when the scanner is not sure.
pub fn parse_list_entry(bytes: &[u8], path: &Path, texts: &mut Interner) -> Result<Entry, SummaryError> {
    if bytes.len() as u64 <= MAX_SUMMARY_BYTES
        && let Ok(source) = std::str::from_utf8(bytes)
        && let Some(fields) = quick::list_fields(source)
    {
        return Ok(Entry::from_quick(&fields, texts));
    }
    parse_list_fields(bytes, path).map(|fields| Entry::from_list_fields(&fields, texts))
}

/// The SHA-256 of what a file holds (its decrypted bytes when it is encrypted), `None`
/// when it cannot be read or opened.
pub fn content_hash(path: &Path, vault: &Vault) -> Option<Sha256> {
    vault.read(path).ok().map(|bytes| Sha256::of(&bytes))
}

/// Reads whole summaries in parallel, in the order given, opening encrypted ones with
/// `vault`.
pub fn load_all(paths: Vec<PathBuf>, vault: &Vault) -> Vec<(PathBuf, Result<Summary, String>)> {
    let threads = std::thread::available_parallelism().map_or(2, |n| n.get().min(8));
    map_parallel(paths, threads, |path| {
        let summary = read_summary_with(&path, vault).map_err(|e| reason(&e));
        (path, summary)
    })
}
