//! Reading plan, roster and theme files: size and encoding guards, RON parsing with
//! positions, and errors that tell the user what to change.

use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};

use ron::error::{Error as RonError, SpannedError};
use serde::de::DeserializeOwned;

use super::locate::{Locator, PathStep, Position};
use super::{Plan, Roster, validate_plan, validate_roster};
use crate::diagnostic::{Diagnostic, closest};

/// Plans, rosters and themes are small; anything larger is the wrong file.
pub const MAX_FILE_BYTES: u64 = 1024 * 1024;

/// What a RON file holds, recognised by its top-level struct name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    Plan,
    Roster,
    Theme,
    Config,
}

/// A plan that loaded, with its roster and anything odd but legal about them.
#[derive(Debug, Clone)]
pub struct Loaded {
    pub plan: Plan,
    pub roster: Roster,
    pub plan_path: Option<PathBuf>,
    pub roster_path: Option<PathBuf>,
    pub warnings: Vec<Diagnostic>,
}

/// Every problem that stopped a load.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{}", .0.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n"))]
pub struct LoadError(pub Vec<Diagnostic>);

impl From<Diagnostic> for LoadError {
    fn from(d: Diagnostic) -> Self {
        Self(vec![d])
    }
}

/// Reads a user's file as text, refusing directories, huge files, binary data and
/// invalid UTF-8 with one clear message each.
pub fn read_source(path: &Path) -> Result<String, Diagnostic> {
    let fail = |message: String| Diagnostic::error(path, Position::START, message);
    let meta = fs::metadata(path).map_err(|e| fail(format!("cannot read the file: {}", io_reason(&e))))?;
    if meta.is_dir() {
        return Err(fail("this is a directory, not a file".into()).with_fix("name a .ron file inside it"));
    }
    if meta.len() > MAX_FILE_BYTES {
        return Err(fail(format!(
            "the file is {:.1} MiB; a plan, roster or theme is at most 1 MiB",
            meta.len() as f64 / (1024.0 * 1024.0)
        ))
        .with_fix("check that this is the right file"));
    }
    let mut bytes = Vec::new();
    fs::File::open(path)
        .and_then(|f| f.take(MAX_FILE_BYTES + 1).read_to_end(&mut bytes))
        .map_err(|e| fail(format!("cannot read the file: {}", io_reason(&e))))?;
    source_from_bytes(path, bytes)
}

/// The checks of [`read_source`] on bytes already in memory.
pub fn source_from_bytes(path: &Path, bytes: Vec<u8>) -> Result<String, Diagnostic> {
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
    let roster: Roster = parse_ron(source, file)?;
    let problems: Vec<_> = validate_roster(&roster, source, file)
        .into_iter()
        .filter(Diagnostic::is_error)
        .collect();
    if problems.is_empty() {
        Ok(roster)
    } else {
        Err(LoadError(problems))
    }
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
    let roster: Roster = parse_ron(&source, path)?;
    let diagnostics = validate_roster(&roster, &source, path);
    if diagnostics.iter().any(Diagnostic::is_error) {
        return Err(LoadError(
            diagnostics.into_iter().filter(Diagnostic::is_error).collect(),
        ));
    }
    Ok((roster, diagnostics))
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
