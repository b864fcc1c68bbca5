//! Loading plans and rosters: parse (through [`crate::source`]), validate, and find the
//! roster a plan names.

use std::path::{Path, PathBuf};

use super::{Plan, Roster, validate_plan, validate_roster};
use crate::source::{Diagnostic, LoadError, Locator, PathStep, parse_ron, read_source};

/// A plan that loaded, with its roster and anything odd but legal about them.
#[derive(Debug, Clone)]
pub struct Loaded {
    pub plan: Plan,
    pub roster: Roster,
    pub plan_path: Option<PathBuf>,
    pub roster_path: Option<PathBuf>,
    pub warnings: Vec<Diagnostic>,
}

pub fn parse_plan(source: &str, file: &Path) -> Result<Plan, LoadError> {
    let plan: Plan = parse_ron(source, file)?;
    let problems: Vec<_> = validate_plan(&plan, source, file)
        .into_iter()
        .filter(Diagnostic::is_error)
        .collect();
    if problems.is_empty() {
        Ok(plan)
    } else {
        Err(LoadError(problems))
    }
}

pub fn parse_roster(source: &str, file: &Path) -> Result<Roster, LoadError> {
    let mut roster: Roster = parse_ron(source, file)?;
    let problems: Vec<_> = validate_roster(&roster, source, file)
        .into_iter()
        .filter(Diagnostic::is_error)
        .collect();
    if problems.is_empty() {
        roster.normalize_names();
        Ok(roster)
    } else {
        Err(LoadError(problems))
    }
}

/// Reads and validates the plan file again: for a live reload, on a blocking thread
/// (`tokio::task::spawn_blocking`), so a huge or broken file never holds up the console's
/// clock. Reading never waits on a FIFO, and checking takes time in proportion to the file.
pub fn reload_blocking(path: &Path) -> Result<Plan, LoadError> {
    let source = read_source(path)?;
    parse_plan(&source, path)
}

/// Loads a plan file and its roster: `roster_override` wins over the plan's own `roster`.
/// All errors are returned together; warnings ride along with a successful load.
pub fn load_plan_with_roster(plan_path: &Path, roster_override: Option<&Path>) -> Result<Loaded, LoadError> {
    let source = read_source(plan_path)?;
    let plan: Plan = parse_ron(&source, plan_path)?;
    let mut diagnostics = validate_plan(&plan, &source, plan_path);
    let roster_path = roster_override.map(Path::to_owned).or_else(|| {
        plan.roster
            .as_ref()
            .map(|r| plan_path.parent().unwrap_or(Path::new(".")).join(r))
    });
    let roster = match &roster_path {
        None => Roster::default(),
        Some(path) => {
            match load_roster(path) {
                Ok((roster, warnings)) => {
                    diagnostics.extend(warnings);
                    roster
                }
                Err(LoadError(mut errors)) => {
                    if roster_override.is_none() {
                        let at = Locator::new(&source).find(&[PathStep::Field("roster")]);
                        errors.insert(
                        0,
                        Diagnostic::error(plan_path, at, format!("the roster {} did not load", path.display()))
                            .with_fix("fix the roster (below), or correct the path: it is relative to the plan file"),
                    );
                    }
                    diagnostics.extend(errors);
                    Roster::default()
                }
            }
        }
    };
    if diagnostics.iter().any(Diagnostic::is_error) {
        return Err(LoadError(
            diagnostics.into_iter().filter(Diagnostic::is_error).collect(),
        ));
    }
    Ok(Loaded {
        plan,
        roster,
        plan_path: Some(plan_path.to_owned()),
        roster_path,
        warnings: diagnostics,
    })
}

/// Loads and validates a roster file, returning its warnings.
pub fn load_roster(path: &Path) -> Result<(Roster, Vec<Diagnostic>), LoadError> {
    let source = read_source(path)?;
    let mut roster: Roster = parse_ron(&source, path)?;
    let diagnostics = validate_roster(&roster, &source, path);
    if diagnostics.iter().any(Diagnostic::is_error) {
        return Err(LoadError(
            diagnostics.into_iter().filter(Diagnostic::is_error).collect(),
        ));
    }
    roster.normalize_names();
    Ok((roster, diagnostics))
}
