//! Reading a user's file safely and parsing it as RON: size and encoding guards, positions
//! in the text, and diagnostics that name `FILE:LINE:COLUMN` and the likely fix. Plans,
//! rosters, themes and the config all load through here.

pub mod diagnostic;
pub mod locate;

use std::fs;
use std::io::Read;
use std::os::unix::fs::{FileTypeExt, OpenOptionsExt};
use std::path::Path;

use ron::error::{Error as RonError, SpannedError};
use serde::de::DeserializeOwned;

pub use diagnostic::{Diagnostic, Diagnostics, MAX_REPORTED, Severity, closest, nearest};
pub use locate::{Locator, PathStep, Position};

/// Plans, rosters and themes are small; anything larger is the wrong file.
pub const MAX_FILE_BYTES: u64 = 1024 * 1024;

const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// Every problem that stopped a load.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{}", .0.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n"))]
pub struct LoadError(pub Vec<Diagnostic>);

impl From<Diagnostic> for LoadError {
    fn from(d: Diagnostic) -> Self {
        Self(vec![d])
    }
}

/// Reads a user's file as text, refusing directories, FIFOs, devices, huge files, binary
/// data and invalid UTF-8 with one clear message each. A UTF-8 byte order mark is skipped.
///
/// The file is opened without blocking and its type checked on the open handle, so a FIFO
/// (even one renamed over a plan while a session runs) never makes us wait for a writer.
pub fn read_source(path: &Path) -> Result<String, Diagnostic> {
    let fail = |message: String| Diagnostic::error(path, Position::START, message);
    let file = fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK)
        .open(path)
        .map_err(|e| fail(format!("cannot read the file: {}", io_reason(&e))))?;
    let meta = file
        .metadata()
        .map_err(|e| fail(format!("cannot read the file: {}", io_reason(&e))))?;
    if meta.is_dir() {
        return Err(fail("this is a directory, not a file".into()).with_fix("name a .ron file inside it"));
    }
    if !meta.is_file() {
        let kind = meta.file_type();
        let what = if kind.is_fifo() {
            "a named pipe (FIFO)"
        } else if kind.is_socket() {
            "a socket"
        } else if kind.is_char_device() || kind.is_block_device() {
            "a device"
        } else {
            "not a regular file"
        };
        return Err(
            fail(format!("this is {what}, not a regular file; it was not read"))
                .with_fix("name a plan, roster, theme or config .ron file"),
        );
    }
    if meta.len() > MAX_FILE_BYTES {
        return Err(fail(format!(
            "the file is {:.1} MiB; a plan, roster or theme is at most 1 MiB",
            meta.len() as f64 / (1024.0 * 1024.0)
        ))
        .with_fix("check that this is the right file"));
    }
    let mut bytes = Vec::new();
    file.take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| fail(format!("cannot read the file: {}", io_reason(&e))))?;
    source_from_bytes(path, bytes)
}

/// The checks of [`read_source`] on bytes already in memory.
pub fn source_from_bytes(path: &Path, mut bytes: Vec<u8>) -> Result<String, Diagnostic> {
    // Some editors begin a UTF-8 file with a byte order mark; it is no part of the text.
    if bytes.starts_with(UTF8_BOM) {
        bytes.drain(..UTF8_BOM.len());
    }
    if bytes.contains(&0) {
        return Err(
            Diagnostic::error(path, Position::START, "this is a binary file, not RON text")
                .with_fix("name a plan, roster or theme .ron file"),
        );
    }
    let text = String::from_utf8(bytes).map_err(|e| {
        let valid = &e.as_bytes()[..e.utf8_error().valid_up_to()];
        let valid = String::from_utf8_lossy(valid);
        Diagnostic::error(path, end_position(&valid), "invalid UTF-8 text").with_fix("save the file as UTF-8")
    })?;
    if text.trim().is_empty() {
        return Err(Diagnostic::error(path, Position::START, "the file is empty")
            .with_fix("a plan starts with Plan(, a roster with Roster(, a theme with Theme("));
    }
    Ok(text)
}

fn end_position(text: &str) -> Position {
    let line = text.matches('\n').count() + 1;
    let col = text.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    Position { line, col }
}

fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ => e.to_string(),
    }
}

/// Parses RON into `T`, turning ron's error into a diagnostic with a fix.
pub fn parse_ron<T: DeserializeOwned>(source: &str, file: &Path) -> Result<T, Diagnostic> {
    ron::Options::default()
        .with_default_extension(ron::extensions::Extensions::IMPLICIT_SOME)
        .from_str(source)
        .map_err(|e| {
            let at_end = matches!(e.code, RonError::Eof | RonError::ExpectedStringEnd);
            match Locator::new(source).unbalanced() {
                // A bracket closed by the wrong one confuses the parser's own message; say
                // what is missing instead. At the end of the file, ron's own message is clear.
                Some((at, message)) if !at_end => {
                    Diagnostic::error(file, at, message).with_fix("close each bracket where its item ends")
                }
                _ => ron_diagnostic(&e, file),
            }
        })
}

fn ron_diagnostic(error: &SpannedError, file: &Path) -> Diagnostic {
    let at = Position {
        line: error.span.start.line.max(1),
        col: error.span.start.col.max(1),
    };
    let plain = |msg: String| Diagnostic::error(file, at, msg);
    match &error.code {
        RonError::NoSuchStructField {
            expected,
            found,
            outer,
        } => {
            let diag = plain(format!(
                "unknown field `{found}`{}; expected one of: {}",
                in_outer(outer),
                expected.join(", ")
            ));
            match closest(found, expected.iter().copied()) {
                Some(name) => diag.with_fix(format!("did you mean `{name}`?")),
                None => diag.with_fix("remove it, or rename it to one of the fields listed"),
            }
        }
        RonError::NoSuchEnumVariant {
            expected,
            found,
            outer,
        } => {
            let diag = plain(format!(
                "unknown {} `{found}`; expected one of: {}",
                outer
                    .as_deref()
                    .map_or("variant".into(), |o| format!("{o} variant")),
                expected.join(", ")
            ));
            match closest(found, expected.iter().copied()) {
                Some(name) => diag.with_fix(format!("did you mean `{name}`?")),
                None if expected.contains(&"Custom") => {
                    diag.with_fix(format!("use one of those, or Custom(\"{found}\")"))
                }
                None => diag.with_fix("use one of the values listed"),
            }
        }
        RonError::MissingStructField { field, outer } => {
            plain(format!("missing field `{field}`{}", in_outer(outer))).with_fix(format!("add `{field}: …`"))
        }
        RonError::DuplicateStructField { field, outer } => {
            plain(format!("field `{field}` appears twice{}", in_outer(outer)))
                .with_fix("keep only one of them")
        }
        RonError::Message(message) => plain(message.clone()),
        RonError::InvalidValueForType { expected, found } => {
            plain(format!("found {found}, expected {expected}")).with_fix(format!("write {expected} here"))
        }
        RonError::ExpectedString => {
            plain("expected a string in double quotes".into()).with_fix("put the value in \"double quotes\"")
        }
        RonError::Eof => plain("the file ends too early: a bracket or quote is not closed".into())
            .with_fix("close every (, [, { and \" that you open"),
        RonError::ExpectedComma => {
            plain("expected a comma between items".into()).with_fix("add `,` after the previous item")
        }
        RonError::TrailingCharacters => {
            plain("unexpected text after the end of the file's value".into()).with_fix("remove it")
        }
        RonError::ExceededRecursionLimit => plain("the file is nested too deeply".into()),
        RonError::ExpectedDifferentStructName { expected, found } => {
            plain(format!("found `{found}(`, expected `{expected}(`"))
                .with_fix(format!("write `{expected}(`"))
        }
        other => plain(lowercase_first(&other.to_string())),
    }
}

fn in_outer(outer: &Option<String>) -> String {
    outer.as_deref().map(|o| format!(" in {o}")).unwrap_or_default()
}

fn lowercase_first(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|c| c.to_lowercase().chain(chars).collect())
        .unwrap_or_default()
}
