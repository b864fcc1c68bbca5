//! Wrap-ups on disk: the finished one beside its summary, the draft in the journal folder
//! while it is being written; both owner-only, atomic, sealed when encryption is on.

use std::path::{Path, PathBuf};

use ron::extensions::Extensions;
use ron::ser::PrettyConfig;

use super::{WRAPUP_VERSION, WrapUp};
use crate::storage::DataDir;
use crate::vault::{Vault, VaultError, logical_path};

/// Why a wrap-up could not be read or written. Each message names the file.
#[derive(Debug, thiserror::Error)]
pub enum WrapUpError {
    #[error(transparent)]
    Vault(#[from] VaultError),
    #[error("{}: this is not a wrap-up: {message}", .file.display())]
    Parse { file: PathBuf, message: String },
    #[error("{}: written by a newer holdspace (wrap-up version {found}); update holdspace to open it", .file.display())]
    TooNew { file: PathBuf, found: u32 },
    #[error("cannot write the wrap-up: {0}")]
    Encode(String),
    #[error("{}: this wrap-up belongs to another session ({found}, not {expected})", .file.display())]
    OtherSession {
        file: PathBuf,
        found: String,
        expected: String,
    },
}

/// Where the wrap-up of the summary at `summary` goes: `<stem>.wrapup.ron` beside it (for
/// `X.ron` or `X.ron.age`; the vault adds `.age` when it encrypts).
pub fn wrapup_path(summary: &Path) -> PathBuf {
    let plain = logical_path(summary);
    let stem = plain
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    plain.with_file_name(format!("{stem}.wrapup.ron"))
}

/// Where the draft of a session's wrap-up is kept while it is being written.
pub fn draft_path(data: &DataDir, session_id: &str) -> PathBuf {
    data.journals().join(format!("{session_id}.wrapup.ron"))
}

/// The wrap-up as pretty RON, with a trailing newline.
pub fn to_ron(wrapup: &WrapUp) -> Result<String, WrapUpError> {
    let config = PrettyConfig::new()
        .struct_names(true)
        .extensions(Extensions::IMPLICIT_SOME)
        .indentor("    ");
    let mut text =
        ron::ser::to_string_pretty(wrapup, config).map_err(|e| WrapUpError::Encode(e.to_string()))?;
    text.push('\n');
    Ok(text)
}

fn parse(bytes: &[u8], file: &Path) -> Result<WrapUp, WrapUpError> {
    let parse_error = |message: String| WrapUpError::Parse {
        file: file.to_owned(),
        message,
    };
    let text = std::str::from_utf8(bytes).map_err(|_| parse_error("not UTF-8 text".into()))?;
    let wrapup: WrapUp = ron::Options::default()
        .with_default_extension(Extensions::IMPLICIT_SOME)
        .from_str(text)
        .map_err(|e| {
            parse_error(format!(
                "line {}, column {}: {}",
                e.span.start.line, e.span.start.col, e.code
            ))
        })?;
    if wrapup.version > WRAPUP_VERSION {
        return Err(WrapUpError::TooNew {
            file: file.to_owned(),
            found: wrapup.version,
        });
    }
    Ok(wrapup)
}

/// Writes the wrap-up beside its summary, replacing an earlier one. Returns the path.
pub fn write_wrapup(vault: &Vault, summary: &Path, wrapup: &WrapUp) -> Result<PathBuf, WrapUpError> {
    Ok(vault.write_atomic(&wrapup_path(summary), to_ron(wrapup)?.as_bytes())?)
}

/// The wrap-up file of the summary at `summary` as it is on disk, `….wrapup.ron.age` or
/// `….wrapup.ron` (the encrypted one when both are there), if there is one.
pub fn wrapup_file(summary: &Path) -> Option<PathBuf> {
    let plain = wrapup_path(summary);
    [crate::vault::sealed_path(&plain), plain]
        .into_iter()
        .find(|p| p.exists())
}

/// The wrap-up of the summary at `summary`, if there is one.
pub fn read_wrapup(vault: &Vault, summary: &Path) -> Option<Result<WrapUp, WrapUpError>> {
    Some(read_at(vault, &wrapup_file(summary)?))
}

/// A wrap-up file, opened through the vault and parsed.
fn read_at(vault: &Vault, path: &Path) -> Result<WrapUp, WrapUpError> {
    vault
        .read(path)
        .map_err(WrapUpError::from)
        .and_then(|bytes| parse(&bytes, path))
}

/// The wrap-up of the session `session_id`, whose summary is at `summary`, if there is
/// one; a wrap-up of another session beside it is an error.
pub fn read_wrapup_of(
    vault: &Vault,
    summary: &Path,
    session_id: &str,
) -> Option<Result<WrapUp, WrapUpError>> {
    let path = wrapup_file(summary)?;
    Some(read_at(vault, &path).and_then(|wrapup| same_session(wrapup, &path, session_id)))
}

fn same_session(wrapup: WrapUp, file: &Path, session_id: &str) -> Result<WrapUp, WrapUpError> {
    if wrapup.session_id == session_id {
        Ok(wrapup)
    } else {
        Err(WrapUpError::OtherSession {
            file: file.to_owned(),
            found: wrapup.session_id,
            expected: session_id.to_owned(),
        })
    }
}

/// Keeps the draft of a wrap-up being written (after every change: a crash loses nothing).
pub fn write_draft(vault: &Vault, data: &DataDir, wrapup: &WrapUp) -> Result<PathBuf, WrapUpError> {
    crate::storage::ensure_private_dir(&data.journals()).map_err(|e| WrapUpError::Encode(e.to_string()))?;
    Ok(vault.write_atomic(&draft_path(data, &wrapup.session_id), to_ron(wrapup)?.as_bytes())?)
}

/// The draft of a session's wrap-up, if one was left (one holding another session's is an
/// error).
pub fn read_draft(vault: &Vault, data: &DataDir, session_id: &str) -> Option<Result<WrapUp, WrapUpError>> {
    let plain = draft_path(data, session_id);
    let path = [crate::vault::sealed_path(&plain), plain]
        .into_iter()
        .find(|p| p.exists())?;
    Some(read_at(vault, &path).and_then(|wrapup| same_session(wrapup, &path, session_id)))
}

/// Removes a session's draft once its wrap-up is written.
pub fn remove_draft(data: &DataDir, session_id: &str) {
    let plain = draft_path(data, session_id);
    let _ = std::fs::remove_file(crate::vault::sealed_path(&plain));
    let _ = std::fs::remove_file(plain);
}
