//! Reading the files of the folder: a summary's list fields (the one place the scan reads
//! a summary's bytes), a summary whole, a wrap-up's hash. Encrypted files are opened with
//! the run's vault; their decrypted bytes are dropped here.

use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};

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

/// Reads a summary file's list fields — and, with `hash`, the SHA-256 of what it holds —
/// with the guards and errors of [`read_summary_with`], opening it with `vault` when it is
/// encrypted. `len` is the file's length as last seen, to refuse a huge file before
/// reading it.
pub fn read_list_fields(
    path: &Path,
    len: u64,
    hash: bool,
    texts: &mut Interner,
    vault: &Vault,
) -> Result<Listed, SummaryError> {
    let bytes = read_guarded(path, len)?;
    let sealed = vault::is_sealed(&bytes);
    let bytes = if sealed {
        vault.open(&bytes).map_err(|error| SummaryError::Io {
            file: path.to_owned(),
            source: std::io::Error::new(std::io::ErrorKind::InvalidData, error),
        })?
    } else {
        bytes
    };
    let entry = parse_list_entry(&bytes, path, texts)?;
    Ok(Listed {
        entry,
        sha256: hash.then(|| Sha256::of(&bytes)),
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

/// A file's bytes, refused when too large to be a summary.
fn read_guarded(path: &Path, len: u64) -> Result<Vec<u8>, SummaryError> {
    if len > MAX_SUMMARY_BYTES {
        return Err(SummaryError::TooLarge {
            file: path.to_owned(),
            bytes: len,
        });
    }
    let mut bytes = Vec::with_capacity(usize::try_from(len).unwrap_or(0).saturating_add(1));
    fs::File::open(path)
        .and_then(|f| f.take(MAX_SUMMARY_BYTES + 1).read_to_end(&mut bytes))
        .map_err(|source| SummaryError::Io {
            file: path.to_owned(),
            source,
        })?;
    Ok(bytes)
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
