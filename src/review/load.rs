//! Reading what a screen or an export shows: a session with its trainees' observations and
//! its wrap-up, a group's series, every flag. Called by the app layer and the command line,
//! never by the browser's state. Encrypted files (`….age`) are opened with the run's vault.

use std::path::{Path, PathBuf};

use super::browser::{FlagsScreen, SessionScreen, Supervised};
use super::index::{self, Beside, Index};
use super::series::{self, Series};
use super::wrapup;
use crate::observations;
use crate::storage::DataDir;
use crate::summary::{Summary, read_summary_with};
use crate::supervision::store;
use crate::vault::Vault;

/// One session, read now, with the trainees' observations that belong to it (from
/// `observation_dirs` and the hand-ins of `index`), its supervision records, and its
/// wrap-up (or a draft of it among the journals of `drafts`, this machine's data dir).
/// What lies beside the summary is found through `beside`.
pub fn session(
    path: &Path,
    observation_dirs: &[PathBuf],
    index: &Index,
    beside: &Beside,
    vault: &Vault,
    drafts: Option<&DataDir>,
) -> SessionScreen {
    let summary = read_summary_with(path, vault).map_err(|e| index::reason(&e));
    let mut screen = SessionScreen::new(path.to_owned(), summary);
    // A conflict copy is one by its name, listed or not (an export names a file directly).
    let by_name = || match path
        .file_name()
        .map(|n| index::names::classify(&n.to_string_lossy()))
    {
        Some(index::names::Kind::Conflict { original }) => Some(original),
        _ => None,
    };
    screen.conflict_of = index
        .row_at(path)
        .and_then(|r| r.conflict_of.clone())
        .or_else(by_name);
    if let Ok(s) = &screen.summary {
        let rivals = rivals(index, path, s);
        let (observations, problems) =
            observations::attach(s, observation_dirs, &index.handins, &rivals, vault);
        screen.problems = problems;
        screen
            .problems
            .extend(observations.iter().filter(|a| a.is_conflict_copy()).map(|a| {
                format!(
                    "A synced folder left a conflict copy of {}'s observations: {}. Both versions \
                 are shown; compare them and keep one.",
                    a.observations.trainee,
                    a.path.display()
                )
            }));
        screen.observations = observations;
        screen.wrapup = wrapup::find(path, &s.session_id, vault, drafts);
    }
    let beside = beside.names_beside(path);
    if screen.summary.is_ok() {
        screen.problems.extend(wrapup_conflicts(path, &beside));
    }
    if screen.conflict_of.is_none() {
        let (supervised, problems) = supervised_from(path, &beside, vault);
        screen.supervised = supervised;
        screen.problems.extend(problems);
    } else {
        screen.supervised.conflict_of.clone_from(&screen.conflict_of);
    }
    screen
}

/// When the other summaries of `summary`'s plan and day in `index` ran (not `path` itself,
/// nor conflict copies): offline observations go with the closest of them.
fn rivals(index: &Index, path: &Path, summary: &Summary) -> Vec<observations::Span> {
    index
        .rows
        .iter()
        // The cheap test first: a folder holds a few sessions of one plan and day, and
        // 100,000 of others.
        .filter(|r| {
            r.ok()
                .is_some_and(|e| *e.date == *summary.date && *e.title == *summary.title)
        })
        .filter(|r| r.conflict_of.is_none() && !r.is_at(path))
        .filter_map(|r| r.ok())
        .filter_map(|e| {
            let (h, m) = e.time.split_once(':')?;
            let start = h.parse::<u64>().ok()? * 3600 + m.parse::<u64>().ok()? * 60 + u64::from(e.second);
            Some(observations::Span {
                start,
                end: start + e.actual_secs,
            })
        })
        .collect()
}

/// Conflict copies a synced folder left of the summary's wrap-up (two machines corrected
/// it at once), among the names `beside` it: said, so the supervisor compares them and
/// keeps one.
fn wrapup_conflicts(summary: &Path, beside: &[String]) -> Vec<String> {
    let Some(beside_it) = store::beside_prefix(summary) else {
        return Vec::new();
    };
    let prefix = format!("{beside_it}wrapup{}", crate::storage::SYNC_CONFLICT);
    let mut found: Vec<String> = beside
        .iter()
        .filter(|n| n.starts_with(&prefix))
        .map(|n| {
            format!(
                "A synced folder left a conflict copy of the wrap-up beside this summary: {n}. \
                 Compare it with the wrap-up and keep one."
            )
        })
        .collect();
    found.sort();
    found
}

/// A summary's supervision now, from the names `beside` it: its records, and whether what
/// it (or its wrap-up) holds changed since sign-off.
fn supervised_from(path: &Path, beside: &[String], vault: &Vault) -> (Supervised, Vec<String>) {
    let (review, problems) = store::review_from(path, beside, vault);
    let submitted = review.submitted_sha256();
    let (summary, wrapup) = if review.signed.is_some() || submitted.is_some() {
        store::current_hashes(path, vault)
    } else {
        (None, None)
    };
    let changed_after_sign_off = review.changed_after_sign_off(summary.as_deref(), wrapup.as_deref());
    // A summary that cannot be read now (gone while a sync replaces it) is said as such by
    // the view, not as a change.
    let changed_since_submitted = submitted
        .zip(summary.as_deref())
        .is_some_and(|(then, now)| then != now);
    (
        Supervised {
            review,
            changed_after_sign_off,
            changed_since_submitted,
            unread_records: problems.len(),
            conflict_of: None,
        },
        problems,
    )
}

/// Reads every summary of `group` in the index and builds its series. Files that fail
/// to read now (changed since the scan) are left out.
pub fn series(index: &Index, group: &str, vault: &Vault) -> Series {
    // A synced folder's conflict copy is another version of a session, not another one.
    let rows: Vec<&index::Row> = index
        .rows
        .iter()
        .filter(|r| r.conflict_of.is_none() && r.ok().is_some_and(|e| e.group == group))
        .collect();
    let paths: Vec<PathBuf> = rows.iter().map(|r| r.path()).collect();
    let reviews: std::collections::HashMap<PathBuf, &index::ReviewInfo> = paths
        .iter()
        .cloned()
        .zip(rows.iter().map(|r| &r.review))
        .collect();
    let loaded = index::load_all(paths, vault)
        .into_iter()
        .filter_map(|(path, s)| s.ok().map(|s| (path, s)))
        .collect();
    let mut built = series::build(group, loaded);
    // The status as the scan found it: a group of hundreds of sessions must not list the
    // folder once per session.
    for session in &mut built.sessions {
        if let Some(review) = reviews.get(&session.path) {
            session.status = status_in_words(review);
        }
    }
    built
}

/// A summary's supervision in a few words, for a group's table: unknown when a record
/// beside it did not open, loud when it changed after sign-off.
fn status_in_words(review: &index::ReviewInfo) -> String {
    let status = review.status.label();
    if review.unread_records > 0 {
        format!("{status}? (a record did not open)")
    } else if review.changed_after_sign_off {
        format!("{status}, CHANGED AFTER SIGN-OFF")
    } else {
        status.to_owned()
    }
}

/// Reads the summaries whose flagged notes the flags screen is about to show.
pub fn fill_flags(screen: &mut FlagsScreen, around: usize, vault: &Vault) {
    let wanted = screen.wanted(around);
    let threads = std::thread::available_parallelism().map_or(2, |n| n.get().min(8));
    let read = index::map_parallel(wanted, threads, |path| {
        let notes = crate::summary::read_notes_with(&path, vault)
            .map(|notes| {
                let mut flagged: Vec<_> = notes.into_iter().filter(|n| n.risk || n.follow_up).collect();
                // Newest first, as the whole list is.
                flagged.sort_by(|a, b| b.at.cmp(&a.at).then_with(|| b.risk.cmp(&a.risk)));
                flagged
            })
            .map_err(|e| index::reason(&e));
        (path, notes)
    });
    screen.loaded.extend(read);
}

/// The observation files handed in to `folder` (named `*.observations.ron`, or `.ron.age`).
pub fn handins_in(folder: &Path) -> Vec<PathBuf> {
    let Ok(items) = std::fs::read_dir(folder) else {
        return Vec::new();
    };
    let mut found: Vec<PathBuf> = items
        .flatten()
        .filter(|i| {
            i.file_name()
                .to_str()
                .is_some_and(|n| super::index::names::classify(n) == super::index::names::Kind::Handin)
        })
        .map(|i| i.path())
        .collect();
    found.sort();
    found
}
