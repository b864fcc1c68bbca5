//! Sidecar records on disk: their names, reading them back, and appending one. A record is
//! published whole under a name no one else can choose (see the module docs of
//! [`super`]), owner-only, and never replaced. With encryption on, a record is written
//! through the vault (`….ron.age`: a comment is clinical text) and either form is read.

use std::fs;
use std::io::{self, Read};
use std::path::{Path, PathBuf};

use chrono::{DateTime, FixedOffset, Utc};
use ron::extensions::Extensions;
use ron::ser::PrettyConfig;

use super::{RECORD_VERSION, Record, Refused, Request, Review, Target, decide, fold};
use crate::notes::wrapup_file;
use crate::storage::slug;
use crate::summary::{SummaryError, content_sha256, read_summary_with};
use crate::vault::{Vault, VaultError};

/// What sits between a summary's name and the record's own part.
pub const MARK: &str = ".review.";

/// A record larger than this is not one.
pub const MAX_RECORD_BYTES: u64 = 256 * 1024;

/// The summary file name a sidecar record belongs to: `NAME.review.ID.ron` (or
/// `….ron.age`) → `NAME.ron`, the summary's name without any `.age`.
pub fn summary_of(file_name: &str) -> Option<String> {
    let rest = unsealed(file_name).strip_suffix(".ron")?;
    let (stem, id) = rest.rsplit_once(MARK)?;
    (!stem.is_empty() && !id.is_empty() && !id.contains('.')).then(|| format!("{stem}.ron"))
}

/// A file name without its `.age`: `a.ron.age` → `a.ron`.
pub fn unsealed(file_name: &str) -> &str {
    file_name.strip_suffix(".age").unwrap_or(file_name)
}

/// The file name of a new record about `summary_file` (`NAME.ron` or `NAME.ron.age`) by
/// `author` at `at`, before the vault adds `.age`.
pub fn record_name(summary_file: &str, at: DateTime<Utc>, author: &str, random: &str) -> String {
    let plain = unsealed(summary_file);
    let stem = plain.strip_suffix(".ron").unwrap_or(plain);
    format!(
        "{stem}{MARK}{}-{}-{random}.ron",
        at.format("%Y%m%dT%H%M%SZ"),
        slug(author)
    )
}

/// The record as pretty RON.
pub fn to_ron(record: &Record) -> Result<String, ron::Error> {
    let config = PrettyConfig::new()
        .struct_names(true)
        .extensions(Extensions::IMPLICIT_SOME)
        .indentor("    ");
    let mut text = ron::ser::to_string_pretty(record, config)?;
    text.push('\n');
    Ok(text)
}

/// Parses a record's text; the message says why it is not one.
pub fn parse(source: &str) -> Result<Record, String> {
    let record: Record = ron::Options::default()
        .with_default_extension(Extensions::IMPLICIT_SOME)
        .from_str(source)
        .map_err(|e| {
            format!(
                "line {}, column {}: {}",
                e.span.start.line, e.span.start.col, e.code
            )
        })?;
    if record.version == 0 || record.version > RECORD_VERSION {
        return Err(format!(
            "review record version {} (this holdspace reads up to {RECORD_VERSION})",
            record.version
        ));
    }
    Ok(record)
}

/// Reads one record file, plain or encrypted (opened with `vault`).
pub fn read(path: &Path, vault: &Vault) -> Result<Record, String> {
    let mut bytes = Vec::new();
    fs::File::open(path)
        .and_then(|f| f.take(MAX_RECORD_BYTES + 1).read_to_end(&mut bytes))
        .map_err(|e| e.to_string())?;
    from_bytes(&bytes, vault)
}

/// A record from a file's bytes (at most [`MAX_RECORD_BYTES`] of them read, and one more
/// to tell a file too large), plain or encrypted (opened with `vault`).
pub fn from_bytes(bytes: &[u8], vault: &Vault) -> Result<Record, String> {
    if bytes.len() as u64 > MAX_RECORD_BYTES {
        return Err("too large for a review record".into());
    }
    let bytes = vault
        .open(bytes)
        .map_err(|e| format!("encrypted: {}", e.kind()))?;
    let text = std::str::from_utf8(&bytes).map_err(|_| "not UTF-8 text".to_owned())?;
    parse(text)
}

/// The names of the files beside the summary at `summary` that begin with its stem (its
/// records, its wrap-up and their conflict copies among them), from one listing of the
/// folder: a folder of 100,000 summaries is listed once per session opened, not per use.
pub fn names_beside(summary: &Path) -> Vec<String> {
    let Some(stem) = beside_prefix(summary) else {
        return Vec::new();
    };
    let dir = folder_of(summary);
    let Ok(items) = fs::read_dir(dir) else {
        return Vec::new();
    };
    items
        .flatten()
        .filter_map(|item| item.file_name().to_str().map(str::to_owned))
        .filter(|n| n.starts_with(&stem))
        .collect()
}

/// What the names of the files beside the summary at `summary` begin with: its plain stem
/// and a dot (`NAME.` for `NAME.ron` and `NAME.ron.age` alike).
pub fn beside_prefix(summary: &Path) -> Option<String> {
    let name = unsealed(summary.file_name()?.to_str()?);
    Some(format!("{}.", name.strip_suffix(".ron").unwrap_or(name)))
}

/// The folder a summary is in (`.` for a bare file name).
pub fn folder_of(summary: &Path) -> &Path {
    summary
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
}

/// The review of the summary at `summary` from its records now; and a message for each
/// record that did not open (a record that vanished while read is simply gone).
pub fn review_of(summary: &Path, vault: &Vault) -> (Review, Vec<String>) {
    review_from(summary, &names_beside(summary), vault)
}

/// The paths of every record of the summary at `summary` (plain or encrypted), sorted.
pub fn record_files(summary: &Path) -> Vec<PathBuf> {
    record_files_in(summary, &names_beside(summary))
}

/// [`record_files`] among the names already listed beside the summary.
fn record_files_in(summary: &Path, beside: &[String]) -> Vec<PathBuf> {
    let Some(name) = summary.file_name().and_then(|n| n.to_str()).map(unsealed) else {
        return Vec::new();
    };
    let dir = folder_of(summary);
    let mut paths: Vec<PathBuf> = beside
        .iter()
        .filter(|n| summary_of(n).is_some_and(|of| of == name))
        .map(|n| dir.join(n))
        .collect();
    paths.sort();
    paths
}

/// [`review_of`] with the names beside the summary already listed ([`names_beside`]).
pub fn review_from(summary: &Path, beside: &[String], vault: &Vault) -> (Review, Vec<String>) {
    let paths = record_files_in(summary, beside);
    let mut records = Vec::new();
    let mut problems = Vec::new();
    for path in paths {
        match read(&path, vault) {
            Ok(record) => records.push(record),
            Err(_) if !path.exists() => {}
            Err(reason) => problems.push(format!("{} did not open: {reason}", path.display())),
        }
    }
    (fold(records), problems)
}

/// The hashes of what a summary and its wrap-up hold now, decrypted when they are
/// encrypted (see [`content_sha256`]); `None`: not there, or not to be opened here.
pub fn current_hashes(summary: &Path, vault: &Vault) -> (Option<String>, Option<String>) {
    let wrapup = wrapup_file(summary).and_then(|w| content_sha256(&w, vault).ok());
    (content_sha256(summary, vault).ok(), wrapup)
}

/// Why a supervision action was not recorded.
#[derive(Debug, thiserror::Error)]
pub enum ActError {
    #[error("{}: not recorded: {refused}", .path.display())]
    Refused { path: PathBuf, refused: Refused },
    #[error(transparent)]
    Summary(#[from] SummaryError),
    #[error("{}: cannot write the review record: {source}", .path.display())]
    Write {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
    #[error("not recorded: {0}")]
    Vault(#[from] VaultError),
}

/// Records `request` by `author` on the summary at `summary`, at `now`: checks it is
/// allowed, takes the hashes a submission or sign-off records, and publishes the record
/// beside the summary. The summary is opened, and the record sealed, with `vault`.
/// Returns the record's path.
pub fn act(
    summary: &Path,
    request: &Request,
    author: &str,
    text: &str,
    now: DateTime<FixedOffset>,
    vault: &Vault,
) -> Result<PathBuf, ActError> {
    let read = read_summary_with(summary, vault)?;
    let (review, _) = review_of(summary, vault);
    // What is signed must be what is there: a wrap-up that does not open refuses the act.
    let summary_sha256 = content_sha256(summary, vault)?;
    let wrapup_sha = wrapup_file(summary)
        .map(|w| content_sha256(&w, vault))
        .transpose()?;
    // Changed since it was submitted, while it waits; since its sign-off, once signed.
    let changed = match review.submitted_sha256() {
        Some(submitted) => submitted != summary_sha256,
        None => review.changed_after_sign_off(Some(&summary_sha256), wrapup_sha.as_deref()),
    };
    let refuse = |refused| ActError::Refused {
        path: summary.to_owned(),
        refused,
    };
    // A synced folder's conflict copy is one version of a file, not the record itself.
    if crate::storage::is_conflict_copy(summary) {
        return Err(refuse(Refused::ConflictCopy));
    }
    let facilitators: Vec<String> = read.facilitators.iter().map(|f| f.name.clone()).collect();
    decide(&review, request, author, text, changed, &facilitators).map_err(refuse)?;
    let (action, on) = match request {
        Request::Submit => (super::Action::Submitted { summary_sha256 }, Target::Session),
        Request::Sign => (
            super::Action::Signed {
                summary_sha256,
                wrapup_sha256: wrapup_sha,
            },
            Target::Session,
        ),
        Request::Return => (super::Action::Returned, Target::Session),
        Request::Comment(target) => (super::Action::Comment, target.clone()),
        Request::Addendum => (super::Action::Addendum, Target::Session),
    };
    let file_name = summary
        .file_name()
        .map(|n| unsealed(&n.to_string_lossy()).to_owned())
        .unwrap_or_default();
    let record = Record {
        version: RECORD_VERSION,
        summary: file_name.clone(),
        session_id: read.session_id,
        author: author.trim().to_owned(),
        at: now.to_rfc3339_opts(chrono::SecondsFormat::Millis, false),
        action,
        on,
        text: text.trim().to_owned(),
    };
    append(summary, &file_name, &record, now.with_timezone(&Utc), vault)
}

/// Publishes `record` beside `summary` under a fresh name, through `vault`.
fn append(
    summary: &Path,
    file_name: &str,
    record: &Record,
    at: DateTime<Utc>,
    vault: &Vault,
) -> Result<PathBuf, ActError> {
    let write_error = |path: &Path, source| ActError::Write {
        path: path.to_owned(),
        source,
    };
    let text = to_ron(record).map_err(|e| write_error(summary, io::Error::other(e)))?;
    let dir = summary
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    for _ in 0..8 {
        let mut random = [0u8; 3];
        getrandom::fill(&mut random).map_err(|e| write_error(summary, io::Error::other(e.to_string())))?;
        let random: String = random.iter().map(|b| format!("{b:02x}")).collect();
        let path = dir.join(record_name(file_name, at, &record.author, &random));
        match vault.write_new(&path, text.as_bytes()) {
            Ok(written) => return Ok(written),
            Err(VaultError::Io { source, .. }) if source.kind() == io::ErrorKind::AlreadyExists => continue,
            Err(VaultError::Io { path, source }) => return Err(write_error(&path, source)),
            Err(other) => return Err(ActError::Vault(other)),
        }
    }
    Err(write_error(
        summary,
        io::Error::new(io::ErrorKind::AlreadyExists, "no free record name"),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_pair_records_with_their_summary() {
        let at = DateTime::parse_from_rfc3339("2025-03-05T10:15:00+06:00")
            .map(|t| t.with_timezone(&Utc))
            .unwrap_or_default();
        let name = record_name("2025-03-04_1800_anxiety.ron", at, "Dr. Amal Chowdhury", "3f9a2c");
        assert_eq!(
            name,
            "2025-03-04_1800_anxiety.review.20250305T041500Z-dr-amal-chowdhury-3f9a2c.ron"
        );
        assert_eq!(summary_of(&name).as_deref(), Some("2025-03-04_1800_anxiety.ron"));
        let sealed = format!("{name}.age");
        assert_eq!(
            summary_of(&sealed).as_deref(),
            Some("2025-03-04_1800_anxiety.ron")
        );
        assert_eq!(
            record_name(
                "2025-03-04_1800_anxiety.ron.age",
                at,
                "Dr. Amal Chowdhury",
                "3f9a2c"
            ),
            name,
            "a record of an encrypted summary is named by the summary's plain name"
        );
        assert_eq!(summary_of("x.wrapup.ron.age"), None);
        assert_eq!(summary_of("x.ron.age"), None);
        assert_eq!(summary_of("2025-03-04_1800_anxiety.ron"), None);
        assert_eq!(summary_of("x.wrapup.ron"), None);
        assert_eq!(summary_of(".review.a.ron"), None);
    }

    #[test]
    fn bad_records_say_why() {
        assert!(parse("Review(version: 1)").is_err());
        assert!(parse("").is_err());
        let newer = r#"Review(version: 9, summary: "s.ron", author: "A", at: "2025-03-05T10:00:00Z", action: Comment)"#;
        assert!(parse(newer).is_err_and(|e| e.contains("version 9")));
        let minimal = r#"(version: 1, summary: "s.ron", author: "A", at: "2025-03-05T10:00:00Z", action: Comment, extra: 1)"#;
        let record = parse(minimal).expect("tolerant of unknown fields and defaults");
        assert_eq!(record.on, Target::Session);
    }
}
