//! A trainee's observation notes: saved to their own file in the data dir after every
//! note, in the format the review reads beside the facilitator's summary, through the
//! vault (an age file, `….ron.age`, when encryption is on).

use std::path::PathBuf;

use chrono::{DateTime, FixedOffset};

use super::{OBSERVATIONS_VERSION, ObservationNote, Observations, read, to_ron};
use crate::session::{About, Note, State};
use crate::storage::{self, DataDir};
use crate::vault::{Vault, sealed_path};

pub struct ObservationLog {
    /// Where the notes are written, as the vault writes it (`.age` added when sealing).
    path: PathBuf,
    document: Observations,
    offset: FixedOffset,
    vault: Vault,
}

impl ObservationLog {
    /// A new observations file for this plan, today, by this trainee, offline (no session
    /// id: the review matches it by plan, date and time). Nothing is written until the
    /// first note. Same as [`ObservationLog::for_session`] with `None`.
    pub fn new(
        data: &DataDir,
        state: &State,
        trainee: &str,
        now: i64,
        offset: FixedOffset,
        vault: &Vault,
    ) -> ObservationLog {
        ObservationLog::for_session(data, state, trainee, now, offset, None, vault)
    }

    /// The observations file of this trainee for the session `session_id` (the id the
    /// live link sends): named by the session and the trainee, so two trainees or two
    /// sessions never share a file, and continued, earlier notes kept, when the trainee
    /// comes back to the same session (in either form, plain or encrypted). With `None`,
    /// a new offline file named by date, time, plan and trainee. Written through `vault`.
    pub fn for_session(
        data: &DataDir,
        state: &State,
        trainee: &str,
        now: i64,
        offset: FixedOffset,
        session_id: Option<&str>,
        vault: &Vault,
    ) -> ObservationLog {
        let local = |fmt: &str| {
            DateTime::from_timestamp_millis(now)
                .map_or_else(String::new, |t| t.with_timezone(&offset).format(fmt).to_string())
        };
        let fresh = Observations {
            version: OBSERVATIONS_VERSION,
            session_id: session_id.map(str::to_owned),
            plan_title: state.plan.title.clone(),
            date: local("%Y-%m-%d"),
            trainee: trainee.to_owned(),
            notes: Vec::new(),
        };
        let (path, document) = match session_id {
            Some(id) => {
                let path =
                    data.observations()
                        .join(format!("{}_{}.ron", storage::slug(id), storage::slug(trainee)));
                // The same session and trainee again: go on with the notes already there.
                let document = [sealed_path(&path), path.clone()]
                    .iter()
                    .find(|p| p.exists())
                    .and_then(|p| read(p, vault).ok())
                    .filter(|d| d.session_id.as_deref() == Some(id) && d.trainee == trainee)
                    .unwrap_or(fresh);
                (path, document)
            }
            None => {
                let stem = format!(
                    "{}_{}_{}",
                    local("%Y-%m-%d_%H%M"),
                    storage::slug(&state.plan.title),
                    storage::slug(trainee)
                );
                let path = storage::unique_stem(&data.observations(), &stem, &["ron", "ron.age"])
                    .with_extension("ron");
                (path, fresh)
            }
        };
        ObservationLog {
            path: vault.path_for(&path),
            document,
            offset,
            vault: vault.clone(),
        }
    }

    /// Where the notes are (or will be) saved.
    pub fn path(&self) -> &PathBuf {
        &self.path
    }

    /// The notes in the file, earlier ones (from before a restart) first.
    pub fn notes(&self) -> &[ObservationNote] {
        &self.document.notes
    }

    /// Adds a note written in the segment `state` is on, and rewrites the file atomically,
    /// owner-only. Same as [`ObservationLog::add_in`] with that segment's title.
    pub fn add(&mut self, note: &Note, state: &State) -> Result<(), String> {
        let segment = state.plan.agenda.get(state.current).map(|s| s.title.clone());
        self.add_in(note, state, segment.as_deref())
    }

    /// Adds a note written in the segment titled `segment` (`None`: not known), and
    /// rewrites the file atomically, owner-only, through the vault.
    pub fn add_in(&mut self, note: &Note, state: &State, segment: Option<&str>) -> Result<(), String> {
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
            segment: segment.map(str::to_owned),
        });
        let text = to_ron(&self.document).map_err(|e| e.to_string())?;
        let failed = |e: &dyn std::fmt::Display| {
            format!(
                "could not save the observation notes to {}: {e}",
                self.path.display()
            )
        };
        let dir = self.path.parent().map(PathBuf::from).unwrap_or_default();
        storage::ensure_private_dir(&dir).map_err(|e| failed(&e))?;
        // `path` is already as the vault writes it; sealing again adds nothing.
        self.vault
            .write_atomic(&self.path, text.as_bytes())
            .map(|_| ())
            .map_err(|e| match e {
                crate::vault::VaultError::Io { source, .. } => failed(&source),
                other => failed(&other),
            })
    }
}
