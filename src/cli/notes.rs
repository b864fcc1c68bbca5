//! `holdspace notes`: a session's progress notes written out for filing: `group.md`, and
//! `<member>.md` and `<member>.txt` for every member, owner-only, through the vault.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Args;

use super::{fail, open_vault};
use crate::config;
use crate::notes::render::{Notes, render_all};
use crate::notes::{Template, WrapUp, read_wrapup};
use crate::summary::read_summary_with;
use crate::vault::{Vault, sealed_path};

/// `holdspace notes`.
#[derive(Debug, Args)]
#[command(after_help = "Examples:
  holdspace notes 2025-03-04_1800_managing-anxiety.ron -o ~/charts/2025-03-04
  holdspace notes SUMMARY --template soap -o DIR --force

Writes group.md (the group part, naming no member) and, for every member, NAME.md and
NAME.txt (plain text for pasting into an EHR field). A member's note never names another
member: their names become \"another group member\". A name that is also an everyday word
(Joy, Will…) is left as written and listed here, to check before filing.
With encryption on, every file is written encrypted (.age).")]
pub struct NotesArgs {
    /// The session's summary (`….ron`, or `….ron.age` when encrypted); its wrap-up is the
    /// `….wrapup.ron` beside it.
    #[arg(value_name = "SUMMARY")]
    pub summary: PathBuf,
    /// The note format (default: the wrap-up's, else DAP).
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub template: Option<Template>,
    /// The folder to write into; created owner-only when it does not exist.
    #[arg(short = 'o', long = "output", value_name = "DIR")]
    pub output: PathBuf,
    /// Replace the files of an earlier export.
    #[arg(long)]
    pub force: bool,
    /// Use this config file instead of the one in the config dir.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
}

pub fn main(args: &NotesArgs) -> ExitCode {
    match export(args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => fail(&message),
    }
}

fn export(args: &NotesArgs) -> Result<(), String> {
    let config = config::resolve(args.config.as_deref(), false);
    let vault = open_vault(&config).map_err(|e| format!("encryption: {e}"))?;
    let summary = read_summary_with(&args.summary, &vault).map_err(|e| e.to_string())?;
    let wrapup = match read_wrapup(&vault, &args.summary) {
        None => {
            eprintln!(
                "holdspace: this session has no wrap-up yet: the notes hold what was captured live, \
                 and every assessment and plan is marked \"(not written)\"."
            );
            WrapUp::from_summary(&summary, args.template.unwrap_or_default())
        }
        Some(Err(error)) => return Err(error.to_string()),
        Some(Ok(wrapup)) if wrapup.session_id != summary.session_id => {
            return Err(format!(
                "the wrap-up beside {} belongs to another session ({}, not {}); nothing was written",
                args.summary.display(),
                wrapup.session_id,
                summary.session_id
            ));
        }
        Some(Ok(wrapup)) => {
            if !wrapup.is_complete() || !wrapup.finished {
                eprintln!("holdspace: the wrap-up is not finished: the notes say what is missing.");
            }
            wrapup
        }
    };
    let notes = render_all(&wrapup, args.template.unwrap_or(wrapup.template));
    let files = files(&notes);
    let dir = &args.output;
    prepare_dir(dir)?;
    let targets: Vec<(PathBuf, &str)> = files
        .iter()
        .map(|(name, text)| (dir.join(name), text.as_str()))
        .collect();
    if !args.force {
        let taken: Vec<String> = targets
            .iter()
            .filter(|(path, _)| path.exists() || sealed_path(path).exists())
            .map(|(path, _)| path.display().to_string())
            .collect();
        if let Some(first) = taken.first() {
            return Err(format!(
                "{first}{} already exist{}; nothing was written (--force replaces them)",
                match taken.len() {
                    1 => String::new(),
                    n => format!(" and {} other file(s)", n - 1),
                },
                if taken.len() == 1 { "s" } else { "" }
            ));
        }
    }
    for (written, (path, text)) in targets.iter().enumerate() {
        write(&vault, path, text, args.force).map_err(|error| {
            format!(
                "{error} ({written} of {} files were written before this)",
                targets.len()
            )
        })?;
    }
    report(&notes, dir, targets.len(), vault.is_encrypting());
    Ok(())
}

/// Creates the folder owner-only if it is not there; a folder that is there is left as it is.
fn prepare_dir(dir: &Path) -> Result<(), String> {
    match std::fs::metadata(dir) {
        Ok(meta) if meta.is_dir() => Ok(()),
        Ok(_) => Err(format!("{} is not a folder", dir.display())),
        Err(_) => crate::storage::ensure_private_dir(dir)
            .map_err(|e| format!("cannot create {}: {e}", dir.display())),
    }
}

/// Writes one file through the vault; with `force`, replaces it and removes the other form
/// (a plain copy beside a sealed one is exactly what encryption must not leave).
fn write(vault: &Vault, path: &Path, text: &str, force: bool) -> Result<(), String> {
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
    Ok(())
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
            let folded = crate::notes::redact::fold(name);
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

/// What was written, and every word to check before filing.
fn report(notes: &Notes, dir: &Path, count: usize, sealed: bool) {
    println!(
        "Wrote {count} files to {}{}: group.md and a note for each of {} members.",
        dir.display(),
        if sealed { " (encrypted, .age)" } else { "" },
        notes.members.len()
    );
    let mut warnings = 0;
    let documents = std::iter::once(("group.md".to_owned(), &notes.group)).chain(
        notes
            .members
            .iter()
            .map(|m| (format!("{}'s note", m.name), &m.note)),
    );
    for (document, rendered) in documents {
        for warning in &rendered.warnings {
            warnings += 1;
            eprintln!(
                "check: {}: {}",
                crate::text::terminal(&document),
                crate::text::terminal(&warning.to_string())
            );
        }
    }
    if warnings > 0 {
        eprintln!(
            "holdspace: {warnings} word(s) above may name a member and were left as written: \
             check them before filing the notes."
        );
    }
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
}
