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
//!     session_id: "2025-03-04T18-00-00-4f2a",
//!     plan_title: "Managing Anxiety, session 3: thoughts and feelings",
//!     date: "2025-03-04",
//!     trainee: "Mitu Hossain",
//!     notes: [
//!         Note(
//!             at: "18:12",
//!             about: "Rafiq",
//!             tags: ["insight"],
//!             text: "Quiet until the facilitator invited him by name",
//!             segment: "Check-in round",
//!         ),
//!     ],
//! )
//! ```
//!
//! - `session_id` is the facilitator's session id, sent over the live link: the review
//!   shows the notes with that session's summary only. Offline notes have none; they go
//!   with the summary whose `title` is `plan_title`, whose date is `date` (local,
//!   `YYYY-MM-DD`), and whose time overlaps the notes' times ([`attach`]).
//! - `at` is local `HH:MM` (or `HH:MM:SS`); `about` is "group", a member's name or a
//!   segment's title, as in the facilitator's notes; `tags` are free words ("risk",
//!   "follow-up", "insight", "conflict" or custom); `segment` is the title of the segment
//!   the note was written in.
//! - The reader is tolerant: `session_id`, `segment`, `about`, `tags` and `notes` may be
//!   left out (files written before `session_id` and `segment` existed still open, as
//!   version 1), unknown fields are ignored, and the struct names (`Observations(`,
//!   `Note(`) are optional. A later version must only add fields with defaults, so this
//!   reader keeps opening it.
//! - A trainee hands their notes in as one such file named `*.observations.ron`
//!   ([`hand_in`]); dropped into the folder of summaries, it attaches to its session.
//! - With encryption on, every such file is written through the vault as an age file
//!   (`….ron.age`, the same RON inside), and both forms are read.

use std::fs;
use std::path::Path;

mod attach;
mod log;

pub use attach::{Attached, How, Span, attach, hand_in, hand_in_newest, span_of};
pub use log::ObservationLog;

use ron::extensions::Extensions;
use ron::ser::PrettyConfig;
use serde::{Deserialize, Serialize};

use crate::vault::Vault;

/// The version [`to_ron`] writes.
pub const OBSERVATIONS_VERSION: u32 = 1;

/// A file larger than this is not an observations file.
const MAX_BYTES: u64 = 4 * 1024 * 1024;

/// One trainee's notes on one session. See the module docs for the file format.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[serde(rename = "Observations")]
pub struct Observations {
    pub version: u32,
    /// The facilitator's session id, when the notes were taken following the live session.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub session_id: Option<String>,
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
    /// The title of the segment the note was written in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub segment: Option<String>,
}

impl ObservationNote {
    /// The note again as the console holds it, read back from the file: whom it is about
    /// found by name in `state` (the group when no name matches), at its time of day on
    /// `date`.
    pub fn as_note(
        &self,
        state: &crate::session::State,
        date: chrono::NaiveDate,
        offset: chrono::FixedOffset,
    ) -> crate::session::Note {
        use crate::session::{About, Note, Tag};
        let about = if let Some(m) = state.roster.members.iter().position(|m| m.name == self.about) {
            About::Member(m)
        } else if let Some(s) = state.plan.agenda.iter().position(|s| s.title == self.about) {
            About::Segment(s)
        } else {
            About::Group
        };
        let time = chrono::NaiveTime::parse_from_str(&self.at, "%H:%M:%S")
            .or_else(|_| chrono::NaiveTime::parse_from_str(&self.at, "%H:%M"))
            .unwrap_or_default();
        let at = date
            .and_time(time)
            .and_local_timezone(offset)
            .single()
            .map_or(0, |t| t.timestamp_millis());
        let tags = self.tags.iter().filter_map(|t| Tag::from_word(t)).collect();
        Note::new(at, about, tags, self.text.clone())
    }

    /// The note's text with its tags, each once: a tag already written as `#tag` in the
    /// text is not added again.
    pub fn text_with_tags(&self) -> String {
        let mut out = self.text.clone();
        for tag in &self.tags {
            if !crate::text::says_tag(&self.text, tag) {
                out.push_str(&format!(" #{tag}"));
            }
        }
        out
    }
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

/// Reads one observations file, plain or encrypted (opened with `vault`).
pub fn read(path: &Path, vault: &Vault) -> Result<Observations, String> {
    let meta = fs::metadata(path).map_err(|e| e.to_string())?;
    if meta.len() > MAX_BYTES {
        return Err("too large for an observations file".into());
    }
    let bytes = fs::read(path).map_err(|e| e.to_string())?;
    let bytes = vault
        .open(&bytes)
        .map_err(|e| format!("encrypted: {}", e.kind()))?;
    let source = std::str::from_utf8(&bytes).map_err(|_| "not UTF-8 text".to_owned())?;
    parse(source)
}

/// Whether a file in an observations folder is an observations file by its name:
/// `….ron` or `….ron.age`, not hidden (temporary files of atomic writes and syncs are).
pub fn is_observations_file(path: &Path) -> bool {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default();
    !name.starts_with('.')
        && crate::vault::logical_path(path)
            .extension()
            .is_some_and(|e| e == "ron")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Observations {
        Observations {
            version: 1,
            session_id: None,
            plan_title: "Managing Anxiety".into(),
            date: "2025-03-04".into(),
            trainee: "Mitu Hossain".into(),
            notes: vec![ObservationNote {
                at: "18:12".into(),
                about: "Rafiq".into(),
                tags: vec!["insight".into()],
                text: "Quiet until invited".into(),
                segment: None,
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
    fn tags_written_in_the_text_are_not_doubled() {
        let mut note = sample().notes.remove(0);
        note.text = "Said she has a plan #risk".into();
        note.tags = vec!["risk".into(), "follow-up".into()];
        assert_eq!(note.text_with_tags(), "Said she has a plan #risk #follow-up");
        note.text = "#riskier than last week".into();
        note.tags = vec!["risk".into()];
        assert_eq!(note.text_with_tags(), "#riskier than last week #risk");
    }
}
