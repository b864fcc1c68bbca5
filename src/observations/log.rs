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

#[cfg(test)]
mod tests {
    use std::error::Error;
    use std::path::Path;

    use super::*;
    use crate::observations::{attach, hand_in};
    use crate::plan::{BUILTIN_PLAN, BUILTIN_ROSTER, parse_plan, parse_roster};
    use crate::session::Tag;
    use crate::summary::parse_summary;
    fn state() -> Result<State, Box<dyn Error>> {
        let plan = parse_plan(BUILTIN_PLAN, Path::new("plan"))?;
        let roster = parse_roster(BUILTIN_ROSTER, Path::new("roster"))?;
        Ok(State::new(plan, roster, 1, 0))
    }

    #[test]
    fn encrypted_notes_are_age_files_that_go_on_after_a_restart_and_attach() -> Result<(), Box<dyn Error>> {
        let dir = tempfile::tempdir()?;
        let vault = crate::vault::sealing_to_a_new_identity(dir.path())?;
        let data = DataDir {
            root: dir.path().join("data"),
        };
        let state = state()?;
        let offset = FixedOffset::east_opt(0).ok_or("offset")?;
        let summary = parse_summary(include_str!("../../tests/fixtures/summary-v1.ron"))?;
        let id = summary.session_id.as_str();
        let first = Note::new(0, About::Member(0), vec![Tag::Risk], "Farhana went quiet");
        let mut log = ObservationLog::for_session(&data, &state, "Mitu", 0, offset, Some(id), &vault);
        log.add(&first, &state)?;
        let path = log.path().clone();
        assert!(path.to_string_lossy().ends_with(".ron.age"), "{}", path.display());
        let bytes = std::fs::read(&path)?;
        assert!(!bytes.windows(7).any(|w| w == b"Farhana"), "sealed");
        assert!(!crate::vault::logical_path(&path).exists(), "no plain copy");

        // The trainee's console starts again, same session: the earlier note is kept.
        let mut again = ObservationLog::for_session(&data, &state, "Mitu", 9, offset, Some(id), &vault);
        assert_eq!(again.notes().len(), 1);
        let second = Note::new(60_000, About::Group, Vec::new(), "energy rose");
        again.add_in(&second, &state, Some("Check-in round"))?;
        assert_eq!(again.path(), &path);
        let read = crate::observations::read(&path, &vault)?;
        assert_eq!(read.notes.len(), 2);
        assert_eq!(read.session_id.as_deref(), Some(id));

        // The review finds it by its session id; without the identity it says why.
        let (found, problems) = attach(&summary, &[data.observations()], &[], &[], &vault);
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(found.len(), 1);
        assert_eq!(
            found[0].observations.notes[1].segment.as_deref(),
            Some("Check-in round")
        );
        let (found, problems) = attach(&summary, &[data.observations()], &[], &[], &Vault::plain());
        assert!(found.is_empty());
        assert!(problems.iter().any(|p| p.contains("encrypted: ")), "{problems:?}");

        // Handed in: sealed too, and never over either name of an earlier hand-in.
        let to = dir.path().join("handed.observations.ron");
        let handed = hand_in(&path, Some(&to), &vault)?;
        assert_eq!(handed, crate::vault::sealed_path(&to));
        assert_eq!(crate::observations::read(&handed, &vault)?, read);
        let twice = hand_in(&path, Some(&to), &vault).expect_err("exists");
        assert!(twice.contains("the file exists"), "{twice}");
        let plain_source = dir.path().join("plain.ron");
        std::fs::write(&plain_source, crate::observations::to_ron(&read)?)?;
        let plain_twice = hand_in(&plain_source, Some(&to), &Vault::plain()).expect_err("exists");
        assert!(
            plain_twice.contains("handed.observations.ron.age"),
            "{plain_twice}"
        );

        // Offline logs never take the name of a sealed one.
        let mut a = ObservationLog::new(&data, &state, "Mitu", 0, offset, &vault);
        a.add(&first, &state)?;
        let mut b = ObservationLog::new(&data, &state, "Mitu", 0, offset, &vault);
        b.add(&first, &state)?;
        assert_ne!(a.path(), b.path());
        Ok(())
    }
}
