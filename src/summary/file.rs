//! Summaries on disk: written owner-only and atomically under names that never overwrite,
//! read back with guards on size, encoding and version.

use std::ffi::OsString;
use std::fs;
use std::io::{self, Read};
use std::path::{Path, PathBuf};

use chrono::DateTime;
use ron::extensions::Extensions;
use ron::ser::PrettyConfig;
use serde::Deserialize;

use super::{SUMMARY_VERSION, Summary, to_markdown};
use crate::storage::{ensure_private_dir, slug, unique_stem};
use crate::vault::{Vault, VaultError};

/// A summary larger than this is not one: the review refuses it rather than read it.
pub const MAX_SUMMARY_BYTES: u64 = 16 * 1024 * 1024;

/// Why a summary could not be opened. Each message names the file.
#[derive(Debug, thiserror::Error)]
pub enum SummaryError {
    #[error("{}: cannot read the summary: {source}", .file.display())]
    Io {
        file: PathBuf,
        #[source]
        source: io::Error,
    },
    #[error("{}: the file is {:.1} MB; a summary is at most 16 MB", .file.display(), *.bytes as f64 / 1e6)]
    TooLarge { file: PathBuf, bytes: u64 },
    #[error("{}: the file is empty", .file.display())]
    Empty { file: PathBuf },
    #[error("{}: this is not a summary: the file is not UTF-8 text", .file.display())]
    NotText { file: PathBuf },
    #[error("{}:{line}:{col}: this is not a valid summary: {message}", .file.display())]
    Parse {
        file: PathBuf,
        line: usize,
        col: usize,
        message: String,
    },
    #[error(
        "{}: written by a newer holdspace (version {found}); this one reads summaries up to version \
         {SUMMARY_VERSION}: update holdspace to open it",
        .file.display()
    )]
    TooNew { file: PathBuf, found: u32 },
    #[error("{}: summary version 0 does not exist; the file is damaged or not a summary", .file.display())]
    NoVersion { file: PathBuf },
}

impl SummaryError {
    /// Why an encrypted summary did not open (wrong or missing identity, damage), if that
    /// is what went wrong. It comes as an [`SummaryError::Io`] whose source is the
    /// [`VaultError`], so matches over the variants stay as they were.
    pub fn vault_error(&self) -> Option<&VaultError> {
        match self {
            SummaryError::Io { source, .. } => source.get_ref()?.downcast_ref::<VaultError>(),
            _ => None,
        }
    }

    /// What a list row says of a summary that is encrypted and did not open: short, and
    /// saying what to do; `None` when the file did not fail for that.
    pub fn encrypted_reason(&self) -> Option<String> {
        let why = match self.vault_error()?.kind() {
            VaultError::NoIdentityConfigured => {
                "needs the identity in the config (encryption: (identity: \"…\"), see `holdspace keys new`)"
                    .to_owned()
            }
            other => other.to_string(),
        };
        Some(format!("encrypted: {why}"))
    }
}

/// The summary as pretty RON, with a trailing newline.
///
/// Serialising plain strings, numbers and lists cannot fail; should it ever, the result is
/// a RON comment that [`parse_summary`] refuses, and [`write_summary`] reports the error.
pub fn to_ron(summary: &Summary) -> String {
    try_to_ron(summary).unwrap_or_else(|e| format!("// the summary could not be written as RON: {e}\n"))
}

fn try_to_ron(summary: &Summary) -> Result<String, ron::Error> {
    let config = PrettyConfig::new()
        .struct_names(true)
        .extensions(Extensions::IMPLICIT_SOME)
        .indentor("    ");
    let mut text = ron::ser::to_string_pretty(summary, config)?;
    text.push('\n');
    Ok(text)
}

/// Writes `summary` as `YYYY-MM-DD_HHMM_<title>.ron` and `.md` in `dir`, owner-only and
/// atomically. An existing summary is never overwritten: the stem gets `-2`, `-3`…
/// Returns the paths of the RON file and of the Markdown report.
pub fn write_summary(dir: &Path, summary: &Summary) -> io::Result<(PathBuf, PathBuf)> {
    write_summary_with(dir, summary, &Vault::plain())
}

/// Like [`write_summary`], through `vault`: with encryption on, the files are
/// `….ron.age` and `….md.age` (age files the standard `age -d` opens), and no plain copy
/// is ever written.
pub fn write_summary_with(dir: &Path, summary: &Summary, vault: &Vault) -> io::Result<(PathBuf, PathBuf)> {
    ensure_private_dir(dir)?;
    let ron = try_to_ron(summary).map_err(io::Error::other)?;
    let markdown = to_markdown(summary);
    // Another holdspace may save a summary with the same name at the same moment: a name
    // that was free when chosen but is taken when written is given up for the next one.
    let mut attempts = 0;
    loop {
        // A stem is free only if neither the plain nor the encrypted names are taken.
        let stem = unique_stem(dir, &file_stem(summary), &["ron", "md", "ron.age", "md.age"]);
        let ron_path = vault.path_for(&with_extension(&stem, "ron"));
        let md_path = vault.path_for(&with_extension(&stem, "md"));
        let write = |path: &Path, text: &str| {
            let bytes = vault.seal(text.as_bytes()).map_err(io::Error::other)?;
            crate::storage::write_new(path, &bytes)
        };
        let written = write(&ron_path, &ron).and_then(|()| {
            write(&md_path, &markdown).inspect_err(|_| {
                let _ = std::fs::remove_file(&ron_path);
            })
        });
        match written {
            Err(error) if error.kind() == io::ErrorKind::AlreadyExists && attempts < 16 => attempts += 1,
            Err(error) => return Err(error),
            Ok(()) => return Ok((ron_path, md_path)),
        }
    }
}

/// `YYYY-MM-DD_HHMM_<slug of title>`, from the local start (else the end) of the session.
fn file_stem(summary: &Summary) -> String {
    let hhmm = summary
        .started
        .as_deref()
        .or(summary.ended.as_deref())
        .and_then(|t| DateTime::parse_from_rfc3339(t).ok())
        .map_or_else(|| "0000".to_owned(), |t| t.format("%H%M").to_string());
    let date: String = summary
        .date
        .chars()
        .filter(|c| c.is_ascii_digit() || *c == '-')
        .collect();
    let date = if date.is_empty() {
        "undated".to_owned()
    } else {
        date
    };
    format!("{date}_{hhmm}_{}", slug(&summary.title))
}

/// `stem` + `.ext`, appended rather than replaced: a stem never holds a dot, but this
/// keeps that from mattering.
fn with_extension(stem: &Path, ext: &str) -> PathBuf {
    let mut name = OsString::from(stem.as_os_str());
    name.push(".");
    name.push(ext);
    PathBuf::from(name)
}

/// What a list of summaries shows of one, read without building the rest: the turns,
/// segments, airtime and note texts are skipped, member names never kept. A file that
/// parses as [`Summary`] always parses as this; a damaged part this skips shows when the
/// summary is opened.
#[derive(Deserialize, Clone, Debug)]
#[serde(rename = "Summary")]
pub struct ListFields {
    pub version: u32,
    pub session_id: String,
    pub title: String,
    pub kind: String,
    #[serde(default)]
    pub series: Option<super::SeriesInfo>,
    pub group: String,
    pub date: String,
    #[serde(default)]
    pub started: Option<String>,
    #[serde(default)]
    pub ended: Option<String>,
    pub planned_secs: u64,
    pub actual_secs: u64,
    pub over_under_secs: i64,
    pub facilitators: Vec<super::Facilitator>,
    pub trainees: Vec<String>,
    pub attendance: Vec<PresenceOnly>,
    pub notes: Vec<FlagsOnly>,
    pub flags: super::Flags,
    // Required in every version, so a file without them is still refused; never read.
    #[serde(rename = "segments")]
    _segments: serde::de::IgnoredAny,
    #[serde(rename = "turns")]
    _turns: serde::de::IgnoredAny,
    #[serde(rename = "airtime")]
    _airtime: serde::de::IgnoredAny,
    #[serde(rename = "never_spoke")]
    _never_spoke: serde::de::IgnoredAny,
    #[serde(rename = "rebalances")]
    _rebalances: serde::de::IgnoredAny,
    #[serde(rename = "downtimes")]
    _downtimes: serde::de::IgnoredAny,
    #[serde(rename = "paused_secs")]
    _paused_secs: serde::de::IgnoredAny,
    #[serde(rename = "plan_reloads")]
    _plan_reloads: serde::de::IgnoredAny,
}

/// Only a summary's notes: what the flags screen reads of the summaries it shows, the rest
/// skipped without being built.
#[derive(Deserialize, Clone, Debug)]
#[serde(rename = "Summary")]
pub struct NotesOnly {
    pub version: u32,
    pub notes: Vec<super::NoteSummary>,
}

/// Reads only the notes of a summary file, with the guards and errors of [`read_summary`].
pub fn read_notes(path: &Path) -> Result<Vec<super::NoteSummary>, SummaryError> {
    read_notes_with(path, &Vault::plain())
}

/// Like [`read_notes`], also opening an encrypted summary with `vault`.
pub fn read_notes_with(path: &Path, vault: &Vault) -> Result<Vec<super::NoteSummary>, SummaryError> {
    let bytes = read_guarded(path, vault)?;
    let source = checked_text(&bytes, path)?;
    parse_with(source, path, |n: &NotesOnly| n.version).map(|n| n.notes)
}

/// An attendance entry without the member's name.
#[derive(Deserialize, Clone, Copy, Debug)]
#[serde(rename = "Attendance")]
pub struct PresenceOnly {
    pub status: super::Presence,
}

/// A note without its text or subject: only whether it is flagged.
#[derive(Deserialize, Clone, Copy, Debug)]
#[serde(rename = "Note")]
pub struct FlagsOnly {
    pub risk: bool,
    pub follow_up: bool,
}

/// Reads a summary file's list fields, with the same guards and errors as [`read_summary`].
pub fn read_list_fields(path: &Path) -> Result<ListFields, SummaryError> {
    read_list_fields_with(path, &Vault::plain())
}

/// Like [`read_list_fields`], also opening an encrypted summary (`….ron.age`) with
/// `vault`. Only the list fields leave this function: the decrypted text is dropped here.
pub fn read_list_fields_with(path: &Path, vault: &Vault) -> Result<ListFields, SummaryError> {
    let bytes = read_guarded(path, vault)?;
    parse_list_fields(&bytes, path)
}

/// Parses a summary's list fields from a file's bytes; `file` names it in errors.
pub fn parse_list_fields(bytes: &[u8], file: &Path) -> Result<ListFields, SummaryError> {
    let source = checked_text(bytes, file)?;
    parse_with(source, file, |fields: &ListFields| fields.version)
}

/// The SHA-256 of a file's bytes, as lowercase hex: what a sign-off records of the summary
/// (and of its wrap-up), so a later change shows.
pub fn file_sha256(path: &Path) -> io::Result<String> {
    use sha2::{Digest, Sha256};
    let mut file = fs::File::open(path)?;
    let mut hasher = Sha256::new();
    let mut buffer = vec![0; 64 * 1024];
    loop {
        let n = file.read(&mut buffer)?;
        if n == 0 {
            break;
        }
        hasher.update(buffer.get(..n).unwrap_or_default());
    }
    Ok(hex(&hasher.finalize()))
}

/// The SHA-256 of what a file holds, opened with `vault`: its decrypted bytes when it is
/// an age file, else its bytes (the same as [`file_sha256`]). What a sign-off records, so
/// encrypting a file again (new ciphertext, same content) is no change, and changing its
/// content is, whether it is encrypted or not.
pub fn content_sha256(path: &Path, vault: &Vault) -> Result<String, VaultError> {
    vault.read(path).map(|plain| bytes_sha256(&plain))
}

/// The SHA-256 of `bytes` as lowercase hex.
pub fn bytes_sha256(bytes: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    hex(&Sha256::digest(bytes))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Reads a summary file written by this or an older holdspace.
pub fn read_summary(path: &Path) -> Result<Summary, SummaryError> {
    read_summary_with(path, &Vault::plain())
}

/// Like [`read_summary`], also opening an encrypted summary (`….ron.age`) with `vault`'s
/// identity or passphrase.
pub fn read_summary_with(path: &Path, vault: &Vault) -> Result<Summary, SummaryError> {
    let bytes = read_guarded(path, vault)?;
    parse_summary_bytes(&bytes, path)
}

/// A summary file's bytes (opened with `vault` when sealed), refused when it is a folder
/// or too large to be a summary.
fn read_guarded(path: &Path, vault: &Vault) -> Result<Vec<u8>, SummaryError> {
    let io_error = |source| SummaryError::Io {
        file: path.to_owned(),
        source,
    };
    let meta = fs::metadata(path).map_err(io_error)?;
    if meta.is_dir() {
        return Err(io_error(io::Error::new(
            io::ErrorKind::IsADirectory,
            "this is a directory",
        )));
    }
    if meta.len() > MAX_SUMMARY_BYTES {
        return Err(SummaryError::TooLarge {
            file: path.to_owned(),
            bytes: meta.len(),
        });
    }
    let mut bytes = Vec::new();
    fs::File::open(path)
        .and_then(|f| f.take(MAX_SUMMARY_BYTES + 1).read_to_end(&mut bytes))
        .map_err(io_error)?;
    vault
        .open(&bytes)
        .map_err(|error| io_error(io::Error::new(io::ErrorKind::InvalidData, error)))
}

/// Parses a summary from RON text.
pub fn parse_summary(source: &str) -> Result<Summary, SummaryError> {
    parse_source(source, Path::new("<summary>"))
}

/// Parses a summary from a file's bytes; `file` names it in errors.
pub fn parse_summary_bytes(bytes: &[u8], file: &Path) -> Result<Summary, SummaryError> {
    let source = checked_text(bytes, file)?;
    parse_source(source, file)
}

/// The bytes as summary text: not too large, UTF-8, no NUL.
fn checked_text<'a>(bytes: &'a [u8], file: &Path) -> Result<&'a str, SummaryError> {
    if bytes.len() as u64 > MAX_SUMMARY_BYTES {
        return Err(SummaryError::TooLarge {
            file: file.to_owned(),
            bytes: bytes.len() as u64,
        });
    }
    let source = std::str::from_utf8(bytes).map_err(|_| SummaryError::NotText {
        file: file.to_owned(),
    })?;
    if source.contains('\0') {
        return Err(SummaryError::NotText {
            file: file.to_owned(),
        });
    }
    Ok(source)
}

/// Only the version, to tell "newer than us" apart from "damaged" when the whole does not
/// parse: a newer version may have changed what a field holds.
#[derive(Deserialize)]
#[serde(rename = "Summary")]
struct VersionOnly {
    version: u32,
}

fn options() -> ron::Options {
    ron::Options::default().with_default_extension(Extensions::IMPLICIT_SOME)
}

fn parse_source(source: &str, file: &Path) -> Result<Summary, SummaryError> {
    parse_with(source, file, |summary: &Summary| summary.version)
}

/// Parses `source` as `T` (a whole summary or its list fields), telling a newer version
/// apart from a damaged file.
fn parse_with<T: serde::de::DeserializeOwned>(
    source: &str,
    file: &Path,
    version: impl Fn(&T) -> u32,
) -> Result<T, SummaryError> {
    if source.trim().is_empty() {
        return Err(SummaryError::Empty {
            file: file.to_owned(),
        });
    }
    let check = |version: u32| match version {
        0 => Err(SummaryError::NoVersion {
            file: file.to_owned(),
        }),
        v if v > SUMMARY_VERSION => Err(SummaryError::TooNew {
            file: file.to_owned(),
            found: v,
        }),
        _ => Ok(()),
    };
    match options().from_str::<T>(source) {
        Ok(parsed) => {
            check(version(&parsed))?;
            Ok(parsed)
        }
        Err(error) => {
            if let Ok(probe) = options().from_str::<VersionOnly>(source) {
                check(probe.version)?;
            }
            Err(SummaryError::Parse {
                file: file.to_owned(),
                line: error.span.start.line,
                col: error.span.start.col,
                message: error.code.to_string(),
            })
        }
    }
}
