//! `holdspace check FILE...`: validate plans, rosters and themes, recognised by content.

use std::path::Path;

use crate::diagnostic::Diagnostic;
use crate::plan::{
    FileKind, LoadError, Position, detect_kind, load::load_roster, load_plan_with_roster, read_source,
};
use crate::theme::parse_theme;

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
