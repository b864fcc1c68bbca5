//! Which trainees' observations belong to a summary, and handing observations in.
//!
//! Observations taken following the live session carry its id and go with that session
//! only. Offline ones (no id) go with the summary of the same plan title and date whose
//! time overlaps theirs, and say so: two sessions of one plan on one day (a session begun
//! again after a false start) are told apart by their times, the notes going with the one
//! they fall closest to.

use std::fs;
use std::path::{Path, PathBuf};

use super::{Observations, is_observations_file, read, to_ron};
use crate::storage;
use crate::summary::Summary;
use crate::vault::{Vault, VaultError, sealed_path};

/// How observations were matched to a summary.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum How {
    /// By the session id sent over the live link.
    SessionId,
    /// Offline notes: by plan title, date and time overlap.
    TimeOverlap,
}

/// One trainee's observations that belong to a summary.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Attached {
    pub observations: Observations,
    pub how: How,
    pub path: PathBuf,
}

impl Attached {
    /// Whether this is a synced folder's conflict copy of the trainee's file (the file
    /// changed on two machines at once): shown beside the other version, to compare.
    pub fn is_conflict_copy(&self) -> bool {
        storage::is_conflict_copy(&self.path)
    }

    /// Who wrote these observations, as a heading says it: `Mitu (trainee)`, and whether
    /// they are a conflict copy.
    pub fn author_label(&self) -> String {
        let trainee = &self.observations.trainee;
        if self.is_conflict_copy() {
            format!(
                "{trainee} (trainee; a synced folder's conflict copy: compare it with the other and keep one)"
            )
        } else {
            format!("{trainee} (trainee)")
        }
    }
}

/// How far before the start or after the end an offline note may be and still count.
const SLACK_SECS: u64 = 15 * 60;

/// When another summary of the same plan and day ran: seconds since local midnight.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Span {
    pub start: u64,
    pub end: u64,
}

impl Span {
    /// How far the notes at `times` fall outside this span, in all.
    fn distance(self, times: &[u64]) -> u64 {
        times
            .iter()
            .map(|&t| self.start.saturating_sub(t) + t.saturating_sub(self.end))
            .sum()
    }
}

/// Every observations file (plain or encrypted, opened with `vault`) among `files` and in
/// `dirs` that belongs to `summary`, one per trainee and content (a hand-in and its
/// original count once), sorted by trainee; and a message for each file that did not open.
/// `rivals` are when the other summaries of its plan and day ran: offline notes closer to
/// one of them go with that one.
pub fn attach(
    summary: &Summary,
    dirs: &[PathBuf],
    files: &[PathBuf],
    rivals: &[Span],
    vault: &Vault,
) -> (Vec<Attached>, Vec<String>) {
    let mut paths: Vec<PathBuf> = files.to_vec();
    for dir in dirs {
        let Ok(items) = fs::read_dir(dir) else { continue };
        let mut found: Vec<PathBuf> = items
            .flatten()
            .map(|i| i.path())
            .filter(|p| is_observations_file(p))
            .collect();
        found.sort();
        paths.extend(found);
    }
    let mut attached: Vec<Attached> = Vec::new();
    let mut problems = Vec::new();
    for path in paths {
        match read(&path, vault) {
            Ok(obs) => {
                let Some(how) = belongs(summary, &obs) else {
                    continue;
                };
                if how == How::TimeOverlap && !closest(summary, &obs, rivals) {
                    continue;
                }
                if !attached.iter().any(|a| a.observations == obs) {
                    attached.push(Attached {
                        observations: obs,
                        how,
                        path,
                    });
                }
            }
            // A file that vanished while it was read (a sync) is simply gone.
            Err(_) if !path.exists() => {}
            Err(reason) => problems.push(format!("{} did not open: {reason}", path.display())),
        }
    }
    // A trainee's conflict copy follows their file.
    attached.sort_by(|a, b| {
        (&a.observations.trainee, a.is_conflict_copy()).cmp(&(&b.observations.trainee, b.is_conflict_copy()))
    });
    (attached, problems)
}

/// Whether `obs` belongs to `summary`, and how.
pub fn belongs(summary: &Summary, obs: &Observations) -> Option<How> {
    match &obs.session_id {
        Some(id) => (*id == summary.session_id).then_some(How::SessionId),
        None => {
            let same_plan = obs.plan_title == summary.title && obs.date == summary.date;
            (same_plan && overlaps(summary, obs)).then_some(How::TimeOverlap)
        }
    }
}

/// When `summary` ran, if it says.
pub fn span_of(summary: &Summary) -> Option<Span> {
    let clock = |t: &Option<String>| {
        t.as_deref()
            .and_then(|t| chrono::DateTime::parse_from_rfc3339(t).ok())
            .map(|t| u64::from(chrono::Timelike::num_seconds_from_midnight(&t)))
    };
    Some(Span {
        start: clock(&summary.started)?,
        end: clock(&summary.ended)?,
    })
}

/// Whether the offline notes `obs` fall no further from `summary`'s time than from any of
/// the `rivals`' (two summaries of the very same times both keep them: nothing tells them
/// apart).
fn closest(summary: &Summary, obs: &Observations, rivals: &[Span]) -> bool {
    let times: Vec<u64> = obs.notes.iter().filter_map(|n| time_of_day(&n.at)).collect();
    let Some(own) = span_of(summary).filter(|_| !times.is_empty()) else {
        return true;
    };
    let own = own.distance(&times);
    rivals.iter().all(|rival| rival.distance(&times) >= own)
}

/// Whether any note falls within the session's time (with some slack); a summary or
/// notes without times match on plan and date alone.
fn overlaps(summary: &Summary, obs: &Observations) -> bool {
    let clock = |t: &Option<String>| {
        t.as_deref()
            .and_then(|t| chrono::DateTime::parse_from_rfc3339(t).ok())
            .map(|t| u64::from(chrono::Timelike::num_seconds_from_midnight(&t)))
    };
    let (Some(start), Some(end)) = (clock(&summary.started), clock(&summary.ended)) else {
        return true;
    };
    let times: Vec<u64> = obs.notes.iter().filter_map(|n| time_of_day(&n.at)).collect();
    if times.is_empty() {
        return true;
    }
    let (from, to) = (start.saturating_sub(SLACK_SECS), end + SLACK_SECS);
    times.iter().any(|t| {
        if from <= to {
            (from..=to).contains(t)
        } else {
            *t >= from || *t <= to
        }
    })
}

/// Seconds of a local `HH:MM[:SS]` time of day.
fn time_of_day(text: &str) -> Option<u64> {
    let mut parts = text.split(':').map(|p| p.parse::<u64>().ok());
    let (h, m) = (parts.next()??, parts.next()??);
    let s = parts.next().unwrap_or(Some(0))?;
    (h < 24 && m < 60 && s < 61).then_some(h * 3600 + m * 60 + s)
}

/// `holdspace shadow --hand-in [SOURCE] [-o TO]`: hands in `source`, or (when it is
/// `newest` and no such file exists) the newest observations file in the data dir.
pub fn hand_in_newest(
    source: &Path,
    data: &crate::storage::DataDir,
    to: Option<&Path>,
    vault: &Vault,
) -> Result<PathBuf, String> {
    if source != Path::new("newest") || source.exists() {
        return hand_in(source, to, vault);
    }
    let dir = data.observations();
    let newest = fs::read_dir(&dir)
        .map_err(|e| format!("{}: no observations to hand in: {e}", dir.display()))?
        .flatten()
        .filter(|i| is_observations_file(&i.path()))
        .filter_map(|i| Some((i.metadata().ok()?.modified().ok()?, i.path())))
        .max()
        .map(|(_, path)| path)
        .ok_or_else(|| format!("{}: no observations to hand in yet", dir.display()))?;
    hand_in(&newest, to, vault)
}

/// Writes the observations at `source` as one file to hand in, at `to` or, when `to` is a
/// folder or missing, as `DATE_TIME_PLAN_TRAINEE.observations.ron` there (or here),
/// through `vault` (`.age` added when it encrypts). Never replaces a file, in either
/// form. Returns where it went.
pub fn hand_in(source: &Path, to: Option<&Path>, vault: &Vault) -> Result<PathBuf, String> {
    let obs = read(source, vault).map_err(|e| format!("{}: {e}", source.display()))?;
    let name = format!(
        "{}_{}_{}.observations.ron",
        obs.date,
        storage::slug(&obs.plan_title),
        storage::slug(&obs.trainee)
    );
    let target = match to {
        Some(dir) if dir.is_dir() => dir.join(name),
        Some(file) => file.to_owned(),
        None => PathBuf::from(name),
    };
    let text = to_ron(&obs).map_err(|e| e.to_string())?;
    let exists = |path: &Path| format!("{}: the file exists; choose another name", path.display());
    if let Some(taken) = [target.clone(), sealed_path(&target)].iter().find(|p| p.exists()) {
        return Err(exists(taken));
    }
    vault.write_new(&target, text.as_bytes()).map_err(|e| match e {
        VaultError::Io { path, source } if source.kind() == std::io::ErrorKind::AlreadyExists => {
            exists(&path)
        }
        VaultError::Io { path, source } => format!("{}: cannot write: {source}", path.display()),
        other => format!("{}: cannot write: {other}", target.display()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::observations::ObservationNote;
    use crate::summary::parse_summary;

    const V1: &str = include_str!("../../tests/fixtures/summary-v1.ron");

    fn obs(session_id: Option<&str>, at: &str) -> Observations {
        Observations {
            version: 1,
            session_id: session_id.map(str::to_owned),
            plan_title: "Managing Anxiety, session 3: thoughts and feelings".into(),
            date: "2025-03-04".into(),
            trainee: "Mitu".into(),
            notes: vec![ObservationNote {
                at: at.into(),
                about: "group".into(),
                tags: Vec::new(),
                text: "x".into(),
                segment: None,
            }],
        }
    }

    #[test]
    fn by_session_id_only_else_by_plan_date_and_time() -> Result<(), Box<dyn std::error::Error>> {
        let summary = parse_summary(V1)?;
        let id = summary.session_id.clone();
        assert_eq!(belongs(&summary, &obs(Some(&id), "23:00")), Some(How::SessionId));
        assert_eq!(belongs(&summary, &obs(Some("another"), "18:10")), None);
        let start = summary.started.clone().unwrap_or_default();
        let hhmm = start.get(11..16).unwrap_or("18:00").to_owned();
        assert_eq!(belongs(&summary, &obs(None, &hhmm)), Some(How::TimeOverlap));
        assert_eq!(
            belongs(&summary, &obs(None, "03:00")),
            None,
            "another session that day"
        );
        let mut other_day = obs(None, &hhmm);
        other_day.date = "2025-03-11".into();
        assert_eq!(belongs(&summary, &other_day), None);
        Ok(())
    }

    #[test]
    fn offline_notes_go_with_the_session_of_that_plan_and_day_they_fall_closest_to()
    -> Result<(), Box<dyn std::error::Error>> {
        let summary = parse_summary(V1)?;
        let own = span_of(&summary).ok_or("the fixture has times")?;
        // Notes five minutes into this session.
        let early = own.start + 300;
        let at = format!("{:02}:{:02}:{:02}", early / 3600, early / 60 % 60, early % 60);
        let notes = obs(None, &at);
        // A false start just before it, whose slack the notes also fall within.
        let false_start = Span {
            start: own.start.saturating_sub(300),
            end: own.start.saturating_sub(250),
        };
        assert!(closest(&summary, &notes, &[false_start]), "this one keeps them");
        let mut restarted = summary.clone();
        restarted.started = Some(format!("{}T{}", summary.date, "17:55:00+06:00"));
        restarted.ended = Some(format!("{}T{}", summary.date, "17:55:50+06:00"));
        assert_eq!(
            belongs(&restarted, &notes),
            Some(How::TimeOverlap),
            "within its slack"
        );
        assert!(
            !closest(&restarted, &notes, &[own]),
            "the false start does not take them"
        );
        assert!(
            closest(&summary, &notes, &[own]),
            "an identical time: both keep them"
        );
        Ok(())
    }
}
