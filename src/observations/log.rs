//! A trainee's observation notes: saved to their own file in the data dir after every
//! note, in the format the review reads beside the facilitator's summary.

use std::path::PathBuf;

use chrono::{DateTime, FixedOffset};

use super::{OBSERVATIONS_VERSION, ObservationNote, Observations, to_ron};
use crate::session::{About, Note, State};
use crate::storage::{self, DataDir};

pub struct ObservationLog {
    path: PathBuf,
    document: Observations,
    offset: FixedOffset,
}

impl ObservationLog {
    /// A new observations file for this plan, today, by this trainee. Nothing is written
    /// until the first note.
    pub fn new(
        data: &DataDir,
        state: &State,
        trainee: &str,
        now: i64,
        offset: FixedOffset,
    ) -> ObservationLog {
        let local = |fmt: &str| {
            DateTime::from_timestamp_millis(now)
                .map_or_else(String::new, |t| t.with_timezone(&offset).format(fmt).to_string())
        };
        let date = local("%Y-%m-%d");
        let stem = format!(
            "{}_{}_{}",
            local("%Y-%m-%d_%H%M"),
            storage::slug(&state.plan.title),
            storage::slug(trainee)
        );
        let path = storage::unique_stem(&data.observations(), &stem, &["ron"]).with_extension("ron");
        let document = Observations {
            version: OBSERVATIONS_VERSION,
            plan_title: state.plan.title.clone(),
            date,
            trainee: trainee.to_owned(),
            notes: Vec::new(),
        };
        ObservationLog {
            path,
            document,
            offset,
        }
    }

    pub fn path(&self) -> &PathBuf {
        &self.path
    }

    /// Adds a note and rewrites the file atomically, owner-only.
    pub fn add(&mut self, note: &Note, state: &State) -> Result<(), String> {
        let about = match note.about {
            About::Group => "group".to_owned(),
            About::Member(m) => state
                .roster
                .members
                .get(m)
                .map_or_else(|| format!("member {}", m + 1), |x| x.name.clone()),
            About::Segment(s) => state
                .plan
                .agenda
                .get(s)
                .map_or_else(|| "segment".into(), |x| x.title.clone()),
        };
        let at = DateTime::from_timestamp_millis(note.at).map_or_else(String::new, |t| {
            t.with_timezone(&self.offset).format("%H:%M:%S").to_string()
        });
        self.document.notes.push(ObservationNote {
            at,
            about,
            tags: note.tags.iter().map(|t| t.label().to_owned()).collect(),
            text: note.text.clone(),
        });
        let text = to_ron(&self.document).map_err(|e| e.to_string())?;
        let dir = self.path.parent().map(PathBuf::from).unwrap_or_default();
        storage::ensure_private_dir(&dir)
            .and_then(|()| storage::write_atomic(&self.path, text.as_bytes()))
            .map_err(|e| {
                format!(
                    "could not save the observation notes to {}: {e}",
                    self.path.display()
                )
            })
    }
}
