//! Command-line interface: parse arguments, pick the command, report errors.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::check::check_file;

#[derive(Debug, Parser)]
#[command(
    name = "holdspace",
    version,
    about = "A terminal console for facilitating group sessions live"
)]
#[command(
    long_about = "A terminal console for facilitating group sessions live: agenda and timers, \
speaking order and airtime, attendance and quick notes, and a saved summary. \
With no command it runs the built-in plan."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Validate plans, rosters, themes and config files (recognised by content).
    Check {
        /// Files to check.
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
    },
}

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Some(Command::Check { files }) => run_check(&files),
        None => ExitCode::SUCCESS,
    }
}

fn run_check(files: &[PathBuf]) -> ExitCode {
    let mut failed = false;
    for file in files {
        let diagnostics = check_file(file);
        failed |= diagnostics.iter().any(|d| d.is_error());
        if diagnostics.is_empty() {
            println!("{}: ok", file.display());
        }
        for diagnostic in diagnostics {
            if diagnostic.is_error() {
                eprintln!("{diagnostic}");
            } else {
                println!("{diagnostic}");
            }
        }
    }
    if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}
