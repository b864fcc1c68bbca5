//! A session's progress notes written out for filing: `group.md`, and `<member>.md` and
//! `<member>.txt` for every member, owner-only, through the vault. `holdspace notes` and the
//! review's notes key both call [`export`], so both write the same files from the same
//! wrap-up and refuse to overwrite in the same way.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use super::render::{FieldWarning, Notes, render_all};
use super::{Template, WrapUp, WrapUpError, read_wrapup_of};
use crate::summary::read_summary_with;
use crate::vault::{Vault, sealed_path};

/// What the notes were written from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Basis {
    /// A finished wrap-up with nothing missing.
    Finished,
    /// A wrap-up not finished, or with something missing: the notes say what.
    Unfinished,
    /// No wrap-up yet: what was captured live, every typed field "(not written)".
    NoWrapUp,
}

impl Basis {
    /// What to tell the user about it, if anything.
    pub fn notice(self) -> Option<&'static str> {
        match self {
            Basis::Finished => None,
            Basis::Unfinished => Some("the wrap-up is not finished: the notes say what is missing."),
            Basis::NoWrapUp => Some(
                "this session has no wrap-up yet: the notes hold what was captured live, \
                 and every assessment and plan is marked \"(not written)\".",
            ),
        }
    }
}

/// What an export wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exported {
    pub dir: PathBuf,
    /// Every file, as written (with `.age` when sealed).
    pub written: Vec<PathBuf>,
    pub notes: Notes,
    pub basis: Basis,
    pub sealed: bool,
}

impl Exported {
    /// Every word that may name a member and was left as written, with the document it is
    /// in ("group.md", "Farhana's note"): to check before filing.
    pub fn warnings(&self) -> Vec<(String, &FieldWarning)> {
        let group = self
            .notes
            .group
            .warnings
            .iter()
            .map(|w| ("group.md".to_owned(), w));
        let members = self
            .notes
            .members
            .iter()
            .flat_map(|m| m.note.warnings.iter().map(|w| (format!("{}'s note", m.name), w)));
        group.chain(members).collect()
    }
}

/// Why nothing (or not everything) was written. Each message says which.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error("{0}")]
    Summary(String),
    #[error("{0}; nothing was written")]
    WrapUp(WrapUpError),
    #[error("{} is not a folder", .0.display())]
    NotAFolder(PathBuf),
    #[error("cannot create {}: {error}", .dir.display())]
    CreateDir { dir: PathBuf, error: String },
    /// Files of an earlier export are there; `force` replaces them.
    #[error("{}", exists_message(.0))]
    Exists(Vec<PathBuf>),
    #[error("{error} ({written} of {of} files were written before this)")]
    Write {
        error: String,
        written: usize,
        of: usize,
    },
}

fn exists_message(taken: &[PathBuf]) -> String {
    let first = taken.first().map(|p| p.display().to_string()).unwrap_or_default();
    match taken.len() {
        1 => format!("{first} already exists; nothing was written (--force replaces it)"),
        n => format!(
            "{first} and {} other file(s) already exist; nothing was written (--force replaces them)",
            n - 1
        ),
    }
}

/// Writes the progress notes of the session whose summary is at `summary` into `dir`
/// (created owner-only when it is not there), in `template` (default: the wrap-up's).
/// Without `force` an existing file (plain or sealed) stops it before anything is written;
/// with `force` every file is replaced.
pub fn export(
    vault: &Vault,
    summary: &Path,
    template: Option<Template>,
    dir: &Path,
    force: bool,
) -> Result<Exported, ExportError> {
    let session = read_summary_with(summary, vault).map_err(|e| ExportError::Summary(e.to_string()))?;
    let (wrapup, basis) = match read_wrapup_of(vault, summary, &session.session_id) {
        None => (
            WrapUp::from_summary(&session, template.unwrap_or_default()),
            Basis::NoWrapUp,
        ),
        Some(Err(error)) => return Err(ExportError::WrapUp(error)),
        Some(Ok(wrapup)) if wrapup.finished && wrapup.is_complete() => (wrapup, Basis::Finished),
        Some(Ok(wrapup)) => (wrapup, Basis::Unfinished),
    };
    let notes = render_all(&wrapup, template.unwrap_or(wrapup.template));
    let targets: Vec<(PathBuf, String)> = files(&notes)
        .into_iter()
        .map(|(name, text)| (dir.join(name), text))
        .collect();
    prepare_dir(dir)?;
    if !force {
        let taken: Vec<PathBuf> = targets
            .iter()
            .filter(|(path, _)| path.exists() || sealed_path(path).exists())
            .map(|(path, _)| path.clone())
            .collect();
        if !taken.is_empty() {
            return Err(ExportError::Exists(taken));
        }
    }
    let mut written = Vec::with_capacity(targets.len());
    for (path, text) in &targets {
        let path = write(vault, path, text, force).map_err(|error| ExportError::Write {
            error,
            written: written.len(),
            of: targets.len(),
        })?;
        written.push(path);
    }
    Ok(Exported {
        dir: dir.to_owned(),
        written,
        notes,
        basis,
        sealed: vault.is_encrypting(),
    })
}

/// Creates the folder owner-only if it is not there; a folder that is there is left as it is.
fn prepare_dir(dir: &Path) -> Result<(), ExportError> {
    match std::fs::metadata(dir) {
        Ok(meta) if meta.is_dir() => Ok(()),
        Ok(_) => Err(ExportError::NotAFolder(dir.to_owned())),
        Err(_) => crate::storage::ensure_private_dir(dir).map_err(|e| ExportError::CreateDir {
            dir: dir.to_owned(),
            error: e.to_string(),
        }),
    }
}

/// Writes one file through the vault; with `force`, replaces it and removes the other form
/// (a plain copy beside a sealed one is exactly what encryption must not leave).
fn write(vault: &Vault, path: &Path, text: &str, force: bool) -> Result<PathBuf, String> {
    let written = if force {
        vault.write_atomic(path, text.as_bytes())
    } else {
        vault.write_new(path, text.as_bytes())
    }
    .map_err(|e| e.to_string())?;
    if force {
        let other = if vault.is_encrypting() {
            path.to_owned()
        } else {
            sealed_path(path)
        };
        if other != written {
            match std::fs::remove_file(&other) {
                Err(error) if error.kind() != std::io::ErrorKind::NotFound => {
                    return Err(format!("cannot remove the earlier {}: {error}", other.display()));
                }
                _ => {}
            }
        }
    }
    Ok(written)
}

/// Every file of the export: its name in the folder and its text.
fn files(notes: &Notes) -> Vec<(String, String)> {
    let mut files = vec![("group.md".to_owned(), notes.group.markdown.clone())];
    let names: Vec<&str> = notes.members.iter().map(|m| m.name.as_str()).collect();
    for (member, stem) in notes.members.iter().zip(file_stems(&names)) {
        files.push((format!("{stem}.md"), member.note.markdown.clone()));
        files.push((format!("{stem}.txt"), member.note.text.clone()));
    }
    files
}

/// A file name for each member: a slug of the name with diacritics folded, unique, never
/// `group` (taken by the group part), `member-N` when the name has no letters at all.
fn file_stems(names: &[&str]) -> Vec<String> {
    let mut used: HashSet<String> = HashSet::from(["group".to_owned()]);
    names
        .iter()
        .enumerate()
        .map(|(i, name)| {
            let folded = super::redact::fold(name);
            let base = if folded.chars().any(char::is_alphanumeric) {
                crate::storage::slug(&folded)
            } else {
                format!("member-{}", i + 1)
            };
            let stem = std::iter::once(base.clone())
                .chain((2..).map(|n| format!("{base}-{n}")))
                .find(|candidate| !used.contains(candidate))
                .unwrap_or(base);
            used.insert(stem.clone());
            stem
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_are_safe_unique_and_never_the_group_part() {
        assert_eq!(
            file_stems(&[
                "Zoë Ødegård",
                "zoe odegard",
                "Group",
                "../etc/passwd",
                "???",
                "Rafiq"
            ]),
            vec![
                "zoe-odegard",
                "zoe-odegard-2",
                "group-2",
                "etc-passwd",
                "member-5",
                "rafiq"
            ]
        );
    }

    #[test]
    fn the_refusal_counts_the_files_already_there() {
        let one = ExportError::Exists(vec![PathBuf::from("d/group.md")]);
        assert_eq!(
            one.to_string(),
            "d/group.md already exists; nothing was written (--force replaces it)"
        );
        let three = ExportError::Exists(vec![
            PathBuf::from("d/group.md"),
            PathBuf::from("d/a.md"),
            PathBuf::from("d/a.txt"),
        ]);
        assert_eq!(
            three.to_string(),
            "d/group.md and 2 other file(s) already exist; nothing was written (--force replaces them)"
        );
    }
}
