//! Problems found in a user's file, each naming `FILE:LINE:COLUMN`, what was found,
//! what was expected and the likely fix.

use std::fmt;
use std::path::{Path, PathBuf};

use super::Position;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Error,
    Warning,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub file: PathBuf,
    pub position: Position,
    pub severity: Severity,
    pub message: String,
    pub fix: Option<String>,
}

impl Diagnostic {
    pub fn error(file: &Path, position: Position, message: impl Into<String>) -> Self {
        Self {
            file: file.to_owned(),
            position,
            severity: Severity::Error,
            message: message.into(),
            fix: None,
        }
    }

    pub fn warning(file: &Path, position: Position, message: impl Into<String>) -> Self {
        Self {
            severity: Severity::Warning,
            ..Self::error(file, position, message)
        }
    }

    pub fn with_fix(mut self, fix: impl Into<String>) -> Self {
        self.fix = Some(fix.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let severity = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(
            f,
            "{}:{}:{}: {severity}: {}",
            self.file.display(),
            self.position.line,
            self.position.col,
            self.message
        )?;
        if let Some(fix) = &self.fix {
            write!(f, " (fix: {fix})")?;
        }
        Ok(())
    }
}

/// The candidate closest to `found` by edit distance, when it is close enough to be a typo.
pub fn closest<'a>(found: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let limit = (found.chars().count() / 3).max(1) + 1;
    candidates
        .into_iter()
        .map(|c| (edit_distance(&found.to_lowercase(), &c.to_lowercase()), c))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

/// The `n` candidates nearest to `found` by edit distance, nearest first (ties in the
/// candidates' order): what to list after "use one of" when the list could be long.
pub fn nearest<'a>(found: &str, candidates: impl IntoIterator<Item = &'a str>, n: usize) -> Vec<&'a str> {
    let found = found.to_lowercase();
    let mut ranked: Vec<(usize, usize, &str)> = candidates
        .into_iter()
        .enumerate()
        .map(|(i, c)| (edit_distance(&found, &c.to_lowercase()), i, c))
        .collect();
    ranked.sort_unstable();
    ranked.into_iter().take(n).map(|(_, _, c)| c).collect()
}

/// At most this many errors (and as many warnings) are reported for one file; the rest
/// are counted in one last line.
pub const MAX_REPORTED: usize = 100;

/// Collects a file's diagnostics, keeping the first [`MAX_REPORTED`] errors and warnings
/// and only counting the rest, so a file with ten thousand mistakes is reported in a
/// screenful and checked in time proportional to its size. A diagnostic is built only if
/// it will be shown.
pub struct Diagnostics {
    file: PathBuf,
    shown: Vec<Diagnostic>,
    errors: usize,
    warnings: usize,
    /// (how many, where the first was) of the errors not shown.
    more_errors: (usize, Option<Position>),
    more_warnings: (usize, Option<Position>),
}

impl Diagnostics {
    pub fn new(file: &Path) -> Diagnostics {
        Diagnostics {
            file: file.to_owned(),
            shown: Vec::new(),
            errors: 0,
            warnings: 0,
            more_errors: (0, None),
            more_warnings: (0, None),
        }
    }

    /// Adds the diagnostic `make` builds, if it is among the first of its severity; else
    /// only counts it (`at` gives its position, asked once for the first one hidden).
    pub fn add(
        &mut self,
        severity: Severity,
        at: impl FnOnce() -> Position,
        make: impl FnOnce(Position) -> Diagnostic,
    ) {
        let (count, more) = match severity {
            Severity::Error => (&mut self.errors, &mut self.more_errors),
            Severity::Warning => (&mut self.warnings, &mut self.more_warnings),
        };
        *count += 1;
        if *count <= MAX_REPORTED {
            self.shown.push(make(at()));
        } else {
            more.0 += 1;
            more.1.get_or_insert_with(at);
        }
    }

    /// Adds a diagnostic already built (cheap ones).
    pub fn push(&mut self, diagnostic: Diagnostic) {
        let position = diagnostic.position;
        self.add(diagnostic.severity, || position, |_| diagnostic);
    }

    /// Every diagnostic shown, then one line for each severity with more.
    pub fn finish(mut self) -> Vec<Diagnostic> {
        for (severity, (count, at)) in [
            (Severity::Error, self.more_errors),
            (Severity::Warning, self.more_warnings),
        ] {
            if count == 0 {
                continue;
            }
            let what = match (severity, count) {
                (Severity::Error, 1) => "error",
                (Severity::Error, _) => "errors",
                (Severity::Warning, 1) => "warning",
                (Severity::Warning, _) => "warnings",
            };
            let at = at.unwrap_or(Position::START);
            let mut more = Diagnostic::error(
                &self.file,
                at,
                format!("and {count} more {what} from here on, not shown"),
            )
            .with_fix("fix the ones above and check again");
            more.severity = severity;
            self.shown.push(more);
        }
        self.shown
    }
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = (above + 1).min(row[j] + 1).min(diagonal + usize::from(ca != *cb));
            diagonal = above;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_near_misses_only() {
        let fields = ["title", "duration", "min", "kind"];
        assert_eq!(closest("durration", fields), Some("duration"));
        assert_eq!(closest("titel", fields), Some("title"));
        assert_eq!(closest("colour", fields), None);
    }

    #[test]
    fn the_nearest_few_are_listed_nearest_first() {
        let keys = [
            "breathing",
            "grounding",
            "thought-record",
            "role-play",
            "body-scan",
            "journal",
            "breath",
        ];
        assert_eq!(
            nearest("breth", keys, 5),
            vec!["breath", "breathing", "journal", "grounding", "role-play"]
        );
        assert_eq!(nearest("x", ["a"], 5), vec!["a"]);
    }

    #[test]
    fn a_hundred_of_each_are_shown_and_the_rest_counted_without_being_built() {
        let file = Path::new("p.ron");
        let mut found = Diagnostics::new(file);
        let mut built = 0;
        for line in 1..=10_000usize {
            found.add(
                Severity::Error,
                || Position { line, col: 1 },
                |at| {
                    built += 1;
                    Diagnostic::error(file, at, "bad")
                },
            );
        }
        found.push(Diagnostic::warning(file, Position::START, "odd"));
        let shown = found.finish();
        assert_eq!(built, MAX_REPORTED);
        assert_eq!(shown.len(), MAX_REPORTED + 2);
        assert_eq!(
            shown[MAX_REPORTED + 1].to_string(),
            "p.ron:101:1: error: and 9900 more errors from here on, not shown (fix: fix the ones above and check again)"
        );
    }
}
