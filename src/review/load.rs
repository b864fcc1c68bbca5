//! Reading what a screen or an export shows: a session with its trainees' observations, a
//! group's series, every flag. Called by the app layer and the command line, never by the
//! browser's state.

use std::path::{Path, PathBuf};

use super::browser::{FlagsScreen, SessionScreen};
use super::index::{self, Index};
use super::series::{self, Series};
use crate::observations;
use crate::summary::{Summary, read_summary};

/// One session, read now, with the observations that belong to it.
pub fn session(path: &Path, observation_dirs: &[PathBuf]) -> SessionScreen {
    let summary = read_summary(path).map_err(|e| index::reason(&e));
    let (observations, problems) = match &summary {
        Ok(s) => observations::matching(observation_dirs, &s.title, &s.date),
        Err(_) => (Vec::new(), Vec::new()),
    };
    SessionScreen::new(path.to_owned(), summary, observations, problems)
}

/// Reads every summary of `group` in the index and builds its series. Files that fail
/// to read now (changed since the scan) are left out.
pub fn series(index: &Index, group: &str) -> Series {
    let paths: Vec<PathBuf> = index
        .rows
        .iter()
        .filter(|r| r.ok().is_some_and(|e| e.group == group))
        .map(|r| r.path.clone())
        .collect();
    let loaded = index::load_all(paths)
        .into_iter()
        .filter_map(|(path, s)| s.ok().map(|s| (path, s)))
        .collect();
    series::build(group, loaded)
}

/// Every flag of the flagged summaries in the index.
pub fn flags(index: &Index) -> FlagsScreen {
    let paths: Vec<PathBuf> = index
        .rows
        .iter()
        .filter(|r| r.ok().is_some_and(|e| e.flagged()))
        .map(|r| r.path.clone())
        .collect();
    let loaded = index::load_all(paths);
    let unreadable = loaded.iter().filter(|(_, s)| s.is_err()).count();
    let ok: Vec<(&PathBuf, &Summary)> = loaded
        .iter()
        .filter_map(|(p, s)| s.as_ref().ok().map(|s| (p, s)))
        .collect();
    FlagsScreen {
        flags: series::all_flags(ok),
        selected: 0,
        unreadable,
    }
}
