//! Sidecar records on disk: their names, reading them back, and appending one. A record is
//! published whole under a name no one else can choose (see the module docs of
//! [`super`]), owner-only, and never replaced.

use std::fs;
use std::io::{self, Read};
use std::path::{Path, PathBuf};

use chrono::{DateTime, FixedOffset, Utc};
use ron::extensions::Extensions;
use ron::ser::PrettyConfig;

use super::{RECORD_VERSION, Record, Refused, Request, Review, Target, decide, fold};
use crate::notes::wrapup_path;
use crate::storage::{slug, write_new};
use crate::summary::{SummaryError, file_sha256, read_summary};

/// What sits between a summary's name and the record's own part.
pub const MARK: &str = ".review.";

/// A record larger than this is not one.
const MAX_RECORD_BYTES: u64 = 256 * 1024;

/// The summary file name a sidecar record belongs to: `NAME.review.ID.ron` → `NAME.ron`.
pub fn summary_of(file_name: &str) -> Option<String> {
    let rest = file_name.strip_suffix(".ron")?;
    let (stem, id) = rest.rsplit_once(MARK)?;
    (!stem.is_empty() && !id.is_empty() && !id.contains('.')).then(|| format!("{stem}.ron"))
}

/// The file name of a new record about `summary_file` by `author` at `at`.
pub fn record_name(summary_file: &str, at: DateTime<Utc>, author: &str, random: &str) -> String {
    let stem = summary_file.strip_suffix(".ron").unwrap_or(summary_file);
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

/// Reads one record file.
pub fn read(path: &Path) -> Result<Record, String> {
    let mut bytes = Vec::new();
    fs::File::open(path)
        .and_then(|f| f.take(MAX_RECORD_BYTES + 1).read_to_end(&mut bytes))
        .map_err(|e| e.to_string())?;
    if bytes.len() as u64 > MAX_RECORD_BYTES {
        return Err("too large for a review record".into());
    }
    let text = std::str::from_utf8(&bytes).map_err(|_| "not UTF-8 text".to_owned())?;
    parse(text)
}

/// The names of every record of the summary at `summary`, sorted.
pub fn record_files(summary: &Path) -> Vec<PathBuf> {
    let Some(name) = summary.file_name().and_then(|n| n.to_str()) else {
        return Vec::new();
    };
    let dir = summary
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let Ok(items) = fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = items
        .flatten()
        .filter(|item| {
            item.file_name()
                .to_str()
                .and_then(summary_of)
                .is_some_and(|of| of == name)
        })
        .map(|item| item.path())
        .collect();
    files.sort();
    files
}

/// The review of the summary at `summary` from its records now; and a message for each
/// record that did not open (a record that vanished while read is simply gone).
pub fn review_of(summary: &Path) -> (Review, Vec<String>) {
    let mut records = Vec::new();
    let mut problems = Vec::new();
    for path in record_files(summary) {
        match read(&path) {
            Ok(record) => records.push(record),
            Err(_) if !path.exists() => {}
            Err(reason) => problems.push(format!("{}: {reason}", path.display())),
        }
    }
    (fold(records), problems)
}

/// The hashes of a summary and of its wrap-up as they are now (`None`: not there).
pub fn current_hashes(summary: &Path) -> (Option<String>, Option<String>) {
    let wrapup = wrapup_path(summary);
    (file_sha256(summary).ok(), file_sha256(&wrapup).ok())
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
}

/// Records `request` by `author` on the summary at `summary`, at `now`: checks it is
/// allowed, takes the hashes a submission or sign-off records, and publishes the record
/// beside the summary. Returns the record's path.
pub fn act(
    summary: &Path,
    request: &Request,
    author: &str,
    text: &str,
    now: DateTime<FixedOffset>,
) -> Result<PathBuf, ActError> {
    let read = read_summary(summary)?;
    let (review, _) = review_of(summary);
    let (summary_sha, wrapup_sha) = current_hashes(summary);
    let changed = review.changed_after_sign_off(summary_sha.as_deref(), wrapup_sha.as_deref());
    decide(&review, request, author, text, changed).map_err(|refused| ActError::Refused {
        path: summary.to_owned(),
        refused,
    })?;
    let summary_sha256 = summary_sha.unwrap_or_default();
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
        .map(|n| n.to_string_lossy().into_owned())
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
    append(summary, &file_name, &record, now.with_timezone(&Utc))
}

/// Publishes `record` beside `summary` under a fresh name.
fn append(summary: &Path, file_name: &str, record: &Record, at: DateTime<Utc>) -> Result<PathBuf, ActError> {
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
        match write_new(&path, text.as_bytes()) {
            Ok(()) => return Ok(path),
            Err(error) if error.kind() == io::ErrorKind::AlreadyExists => continue,
            Err(error) => return Err(write_error(&path, error)),
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
