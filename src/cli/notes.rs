//! `holdspace notes`: a session's progress notes written out for filing (see
//! [`crate::notes::export`], which the review's notes key calls too), and what was written.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use super::{fail, open_vault};
use crate::config;
use crate::notes::Template;
use crate::notes::export::{Exported, export};

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
    let config = config::resolve(args.config.as_deref(), false);
    let exported = open_vault(&config)
        .map_err(|e| format!("encryption: {e}"))
        .and_then(|vault| {
            export(&vault, &args.summary, args.template, &args.output, args.force).map_err(|e| e.to_string())
        });
    match exported {
        Ok(exported) => {
            report(&exported);
            ExitCode::SUCCESS
        }
        Err(message) => fail(&message),
    }
}

/// What was written, what it was written from, and every word to check before filing.
fn report(exported: &Exported) {
    if let Some(notice) = exported.basis.notice() {
        eprintln!("holdspace: {notice}");
    }
    println!(
        "Wrote {} files to {}{}: group.md and a note for each of {} members.",
        exported.written.len(),
        exported.dir.display(),
        if exported.sealed { " (encrypted, .age)" } else { "" },
        exported.notes.members.len()
    );
    let warnings = exported.warnings();
    for (document, warning) in &warnings {
        eprintln!(
            "check: {}: {}",
            crate::text::terminal(document),
            crate::text::terminal(&warning.to_string())
        );
    }
    if !warnings.is_empty() {
        eprintln!(
            "holdspace: {} word(s) above may name a member and were left as written: \
             check them before filing the notes.",
            warnings.len()
        );
    }
}
