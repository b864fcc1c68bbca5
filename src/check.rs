//! `holdspace check FILE...`: validate plans, rosters and themes, recognised by content.

use std::path::Path;

use crate::plan::{load_plan_with_roster, load_roster};
use crate::source::{Diagnostic, LoadError, Locator, Position, read_source};
use crate::theme::parse_theme;

/// What a RON file holds, recognised by its top-level struct name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    Plan,
    Roster,
    Theme,
    Config,
}

/// Recognises a file by the name of its top-level struct.
pub fn detect_kind(source: &str) -> Option<FileKind> {
    match Locator::new(source).root_name()? {
        "Plan" => Some(FileKind::Plan),
        "Roster" => Some(FileKind::Roster),
        "Theme" => Some(FileKind::Theme),
        "Config" => Some(FileKind::Config),
        _ => None,
    }
}

/// The outcome of checking one file: every diagnostic, errors and warnings.
pub fn check_file(path: &Path) -> Vec<Diagnostic> {
    let source = match read_source(path) {
        Ok(source) => source,
        Err(diag) => return vec![diag],
    };
    let errors = |result: Result<Vec<Diagnostic>, LoadError>| match result {
        Ok(warnings) => warnings,
        Err(LoadError(errors)) => errors,
    };
    match detect_kind(&source) {
        Some(FileKind::Plan) => errors(load_plan_with_roster(path, None).map(|loaded| loaded.warnings)),
        Some(FileKind::Roster) => errors(load_roster(path).map(|(_, warnings)| warnings)),
        Some(FileKind::Theme) => errors(parse_theme(&source, path).map(|_| Vec::new())),
        Some(FileKind::Config) => errors(crate::config::parse_config(&source, path).map(|c| c.warnings)),
        None => vec![
            Diagnostic::error(
                path,
                Position::START,
                "not a holdspace file: found no Plan(, Roster(, Theme( or Config(",
            )
            .with_fix("start the file with the struct name, e.g. `Plan(`"),
        ],
    }
}
