//! A trainee's observation notes: the file format, its writer ([`ObservationLog`], used by
//! the trainee's console) and its reader (used by the review, beside the facilitator's
//! notes).
//!
//! # The file format (version 1)
//!
//! The shadowing feature writes one file per trainee and session into
//! `DATA_DIR/observations/`, any name ending in `.ron`, owner-only (0600), with
//! [`to_ron`] (or the same shape by hand):
//!
//! ```ron
//! Observations(
//!     version: 1,
//!     plan_title: "Managing Anxiety, session 3: thoughts and feelings",
//!     date: "2025-03-04",
//!     trainee: "Mitu Hossain",
//!     notes: [
//!         Note(
//!             at: "18:12",
//!             about: "Rafiq",
//!             tags: ["insight"],
//!             text: "Quiet until the facilitator invited him by name",
//!         ),
//!     ],
//! )
//! ```
//!
//! - `plan_title` is the plan's title exactly as the facilitator's summary has it in
//!   `title`, and `date` is the local date of the session, `YYYY-MM-DD`: the review shows
//!   the notes with the summary whose title and date are the same.
//! - `at` is local `HH:MM` (or `HH:MM:SS`); `about` is "group", a member's name or a
//!   segment's title, as in the facilitator's notes; `tags` are free words ("risk",
//!   "follow-up", "insight", "conflict" or custom).
//! - The reader is tolerant: `about`, `tags` and `notes` may be left out, unknown fields are
//!   ignored, and the struct names (`Observations(`, `Note(`) are optional. A later version
//!   must only add fields with defaults, so this reader keeps opening it.

use std::fs;
use std::path::{Path, PathBuf};

mod log;

pub use log::ObservationLog;

use ron::extensions::Extensions;
use ron::ser::PrettyConfig;
use serde::{Deserialize, Serialize};

/// The version [`to_ron`] writes.
pub const OBSERVATIONS_VERSION: u32 = 1;

/// A file larger than this is not an observations file.
const MAX_BYTES: u64 = 4 * 1024 * 1024;

/// One trainee's notes on one session. See the module docs for the file format.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[serde(rename = "Observations")]
pub struct Observations {
    pub version: u32,
    /// The plan's title, equal to the summary's `title`.
    pub plan_title: String,
    /// Local date of the session, `YYYY-MM-DD`.
    pub date: String,
    pub trainee: String,
    #[serde(default)]
    pub notes: Vec<ObservationNote>,
}

/// One observation.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[serde(rename = "Note")]
pub struct ObservationNote {
    /// Local `HH:MM` (or `HH:MM:SS`).
    pub at: String,
    /// "group", a member's name, or a segment's title.
    #[serde(default = "group")]
    pub about: String,
    #[serde(default)]
    pub tags: Vec<String>,
    pub text: String,
}

fn group() -> String {
    "group".into()
}

/// The observations as pretty RON, the way the shadowing feature should save them.
pub fn to_ron(observations: &Observations) -> Result<String, ron::Error> {
    let config = PrettyConfig::new().struct_names(true).indentor("    ");
    let mut text = ron::ser::to_string_pretty(observations, config)?;
    text.push('\n');
    Ok(text)
}

/// Parses an observations file's text; the message says why it is not one.
pub fn parse(source: &str) -> Result<Observations, String> {
    ron::Options::default()
        .with_default_extension(Extensions::IMPLICIT_SOME)
        .from_str::<Observations>(source)
        .map_err(|e| {
            format!(
                "line {}, column {}: {}",
                e.span.start.line, e.span.start.col, e.code
            )
        })
}

/// Reads one observations file.
pub fn read(path: &Path) -> Result<Observations, String> {
    let meta = fs::metadata(path).map_err(|e| e.to_string())?;
    if meta.len() > MAX_BYTES {
        return Err("too large for an observations file".into());
    }
    let bytes = fs::read(path).map_err(|e| e.to_string())?;
    let source = std::str::from_utf8(&bytes).map_err(|_| "not UTF-8 text".to_owned())?;
    parse(source)
}

/// Every observations file in `dirs` about the session with this title and date, sorted
/// by trainee; and a message for each file there that did not open.
pub fn matching(dirs: &[PathBuf], title: &str, date: &str) -> (Vec<Observations>, Vec<String>) {
    let mut found = Vec::new();
    let mut problems = Vec::new();
    for dir in dirs {
        let Ok(items) = fs::read_dir(dir) else { continue };
        let mut paths: Vec<PathBuf> = items
            .flatten()
            .map(|i| i.path())
            .filter(|p| p.extension().is_some_and(|e| e == "ron"))
            .collect();
        paths.sort();
        for path in paths {
            match read(&path) {
                Ok(obs) if obs.plan_title == title && obs.date == date => {
                    if !found.contains(&obs) {
                        found.push(obs);
                    }
                }
                Ok(_) => {}
                Err(reason) => problems.push(format!("{}: {reason}", path.display())),
            }
        }
    }
    found.sort_by(|a, b| a.trainee.cmp(&b.trainee));
    (found, problems)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Observations {
        Observations {
            version: 1,
            plan_title: "Managing Anxiety".into(),
            date: "2025-03-04".into(),
            trainee: "Mitu Hossain".into(),
            notes: vec![ObservationNote {
                at: "18:12".into(),
                about: "Rafiq".into(),
                tags: vec!["insight".into()],
                text: "Quiet until invited".into(),
            }],
        }
    }

    #[test]
    fn round_trips() -> Result<(), String> {
        let text = to_ron(&sample()).map_err(|e| e.to_string())?;
        assert!(text.starts_with("Observations("), "{text}");
        assert_eq!(parse(&text)?, sample());
        Ok(())
    }

    #[test]
    fn reads_the_documented_shape_tolerantly() -> Result<(), String> {
        let text = r#"(
            version: 1, plan_title: "Managing Anxiety", date: "2025-03-04", trainee: "Mitu Hossain",
            notes: [ (at: "18:12", text: "Quiet", mood: "calm") ],
            extra: true,
        )"#;
        let obs = parse(text)?;
        assert_eq!(obs.notes[0].about, "group");
        assert!(obs.notes[0].tags.is_empty());
        assert!(parse("Observations(version: 1)").is_err());
        Ok(())
    }

    #[test]
    fn matches_by_title_and_date() -> Result<(), Box<dyn std::error::Error>> {
        let dir = tempfile::tempdir()?;
        fs::write(dir.path().join("a.ron"), to_ron(&sample())?)?;
        let mut other = sample();
        other.date = "2025-03-11".into();
        fs::write(dir.path().join("b.ron"), to_ron(&other)?)?;
        fs::write(dir.path().join("c.ron"), "garbage")?;
        let (found, problems) = matching(&[dir.path().to_owned()], "Managing Anxiety", "2025-03-04");
        assert_eq!(found, vec![sample()]);
        assert_eq!(problems.len(), 1);
        Ok(())
    }
}
