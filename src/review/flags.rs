//! The flags screen's model: every risk and follow-up note of the folder, newest session
//! first, as a list whose shape comes from the index (which sessions have how many flagged
//! notes) and whose text is read from the summaries only for the rows on screen. So the
//! screen opens at once over 100,000 summaries, and a note's text never sits in the index.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use super::index::Index;
use super::index::text::Text;
use super::series::FlagNote;
use crate::summary::NoteSummary;

/// A summary with flagged notes, as the index knows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FlaggedSession {
    pub path: PathBuf,
    pub date: Text,
    pub time: Text,
    pub group: Text,
    /// `3/8` in a series, else empty.
    pub session: String,
    /// Flagged notes the index counted.
    pub count: usize,
}

/// The flags screen.
#[derive(Clone, Debug, Default)]
pub struct FlagsScreen {
    pub sessions: Vec<FlaggedSession>,
    /// The row of each session's first note: a running sum of the counts.
    starts: Vec<usize>,
    /// The flagged notes of the summaries read so far, in the summary's order (risk first),
    /// or why one did not open.
    pub loaded: HashMap<PathBuf, Result<Vec<NoteSummary>, String>>,
    pub selected: usize,
    /// Risk and follow-up notes in all, as the index counted them.
    pub risk: usize,
    pub follow_up: usize,
}

/// One row: a session and, once read, its note.
pub struct FlagRow<'a> {
    pub session: &'a FlaggedSession,
    pub note: Option<Result<&'a NoteSummary, &'a str>>,
}

impl FlagsScreen {
    /// The flagged summaries of the index, newest first (nothing read yet).
    pub fn from_index(index: &Index) -> FlagsScreen {
        let (mut risk, mut follow_up) = (0, 0);
        // Newest first; rows are in file-name order, so ties go by name, newest last.
        let mut flagged: Vec<(usize, &super::index::Entry)> = Vec::new();
        for (i, row) in index.rows.iter().enumerate() {
            let Some(e) = row.ok() else { continue };
            if e.flagged_notes == 0 || row.conflict_of.is_some() {
                continue;
            }
            risk += e.risk as usize;
            follow_up += e.follow_up as usize;
            flagged.push((i, e));
        }
        // Ties are broken by the row's place: an unstable sort orders them all the same.
        flagged.sort_unstable_by(|(ia, a), (ib, b)| {
            (&b.date, &b.time, b.second, ib).cmp(&(&a.date, &a.time, a.second, ia))
        });
        let sessions = flagged
            .into_iter()
            .filter_map(|(i, e)| {
                Some(FlaggedSession {
                    path: index.rows.get(i)?.path(),
                    date: e.date.clone(),
                    time: e.time.clone(),
                    group: e.group.clone(),
                    session: e
                        .series
                        .as_ref()
                        .map(|s| format!("{}/{}", s.session, s.of))
                        .unwrap_or_default(),
                    count: e.flagged_notes as usize,
                })
            })
            .collect();
        FlagsScreen::with_sessions(sessions, risk, follow_up)
    }

    /// A screen with every note already read (newest first, as [`super::series::all_flags`]
    /// orders them).
    pub fn from_flags(flags: Vec<FlagNote>) -> FlagsScreen {
        let mut sessions: Vec<FlaggedSession> = Vec::new();
        let mut loaded: HashMap<PathBuf, Result<Vec<NoteSummary>, String>> = HashMap::new();
        let risk = flags.iter().filter(|f| f.note.risk).count();
        let follow_up = flags.iter().filter(|f| f.note.follow_up).count();
        for f in flags {
            match sessions.last_mut() {
                Some(last) if last.path == f.path => last.count += 1,
                _ => sessions.push(FlaggedSession {
                    path: f.path.clone(),
                    date: f.date.as_str().into(),
                    time: f.time.as_str().into(),
                    group: f.group.as_str().into(),
                    session: f.session.clone(),
                    count: 1,
                }),
            }
            if let Ok(notes) = loaded.entry(f.path.clone()).or_insert_with(|| Ok(Vec::new())) {
                notes.push(f.note);
            }
        }
        let mut screen = FlagsScreen::with_sessions(sessions, risk, follow_up);
        screen.loaded = loaded;
        screen
    }

    fn with_sessions(sessions: Vec<FlaggedSession>, risk: usize, follow_up: usize) -> FlagsScreen {
        let mut starts = Vec::with_capacity(sessions.len());
        let mut at = 0;
        for s in &sessions {
            starts.push(at);
            at += s.count;
        }
        FlagsScreen {
            sessions,
            starts,
            loaded: HashMap::new(),
            selected: 0,
            risk,
            follow_up,
        }
    }

    /// Rows in all: one per flagged note.
    pub fn len(&self) -> usize {
        self.sessions
            .last()
            .zip(self.starts.last())
            .map_or(0, |(s, at)| at + s.count)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The session of row `i`, and which of its notes the row is.
    fn locate(&self, i: usize) -> Option<(usize, usize)> {
        if i >= self.len() {
            return None;
        }
        let s = self.starts.partition_point(|&start| start <= i).checked_sub(1)?;
        Some((s, i - self.starts.get(s)?))
    }

    /// Row `i`: its session, and its note once read.
    pub fn row(&self, i: usize) -> Option<FlagRow<'_>> {
        let (s, k) = self.locate(i)?;
        let session = self.sessions.get(s)?;
        let note = self.loaded.get(&session.path).map(|loaded| match loaded {
            Ok(notes) => notes.get(k).ok_or("no longer in the summary"),
            Err(reason) => Err(reason.as_str()),
        });
        Some(FlagRow { session, note })
    }

    /// The summary of row `i`.
    pub fn path(&self, i: usize) -> Option<&Path> {
        self.row(i).map(|r| r.session.path.as_path())
    }

    /// Summaries to read so that the rows of a page `height` rows high around the selection
    /// (as the screen shows it) have their text.
    pub fn wanted(&self, height: usize) -> Vec<PathBuf> {
        let from = self.selected.saturating_sub(height.saturating_sub(1));
        let to = (self.selected + height).min(self.len());
        let mut paths: Vec<PathBuf> = Vec::new();
        for i in from..to {
            if let Some((s, _)) = self.locate(i)
                && let Some(session) = self.sessions.get(s)
                && !self.loaded.contains_key(&session.path)
                && paths.last() != Some(&session.path)
            {
                paths.push(session.path.clone());
            }
        }
        paths
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::summary::NoteSummary;

    fn flag(path: &str, at: &str) -> FlagNote {
        FlagNote {
            path: PathBuf::from(path),
            date: "2025-03-04".into(),
            time: "18:00".into(),
            group: "g".into(),
            title: "t".into(),
            session: String::new(),
            note: NoteSummary {
                at: at.into(),
                about: "group".into(),
                tags: vec!["risk".into(), "follow-up".into()],
                text: "x".into(),
                risk: true,
                follow_up: true,
                amended: None,
                withdrawn: None,
                first_text: None,
                first_about: None,
            },
        }
    }

    #[test]
    fn rows_map_to_sessions_and_only_missing_text_is_wanted() {
        let screen = FlagsScreen::from_flags(vec![flag("a", "1"), flag("a", "2"), flag("b", "3")]);
        assert_eq!(screen.len(), 3);
        assert_eq!(
            (screen.risk, screen.follow_up),
            (3, 3),
            "each note counted once per kind"
        );
        assert_eq!(screen.path(1), Some(Path::new("a")));
        assert_eq!(screen.path(2), Some(Path::new("b")));
        assert!(screen.row(3).is_none());
        assert!(screen.wanted(10).is_empty(), "everything is read");
        let mut lazy = FlagsScreen::with_sessions(screen.sessions.clone(), 3, 3);
        assert_eq!(lazy.wanted(1), vec![PathBuf::from("a")]);
        lazy.selected = 2;
        assert_eq!(lazy.wanted(2), vec![PathBuf::from("a"), PathBuf::from("b")]);
        assert!(lazy.row(0).is_some_and(|r| r.note.is_none()), "not read yet");
    }
}
