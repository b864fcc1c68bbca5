//! Retention: archived journals and exports are removed once older than the config says
//! (`holdspace purge`); summaries are kept unless their own period is named. Only the
//! files' ages decide, and the time is passed in.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use crate::config::{KeepFor, Retention};
use crate::storage::DataDir;

const DAY: Duration = Duration::from_secs(24 * 60 * 60);

/// What kind of file a due one is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// An archived journal (the session is finished; its summary holds everything).
    Journal,
    /// A file in the data dir's `exports/`.
    Export,
    /// A summary, or a file beside it (wrap-up, sign-off sidecar, report).
    Summary,
}

impl Kind {
    pub fn label(self) -> &'static str {
        match self {
            Kind::Journal => "archived journal",
            Kind::Export => "export",
            Kind::Summary => "summary",
        }
    }
}

/// A file older than its retention period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Due {
    pub path: PathBuf,
    pub kind: Kind,
    /// How old it is, in whole days.
    pub age_days: u64,
}

/// Whether a file last modified at `modified` is past `keep` at `now`; its age in days if so.
pub fn past(modified: SystemTime, keep: KeepFor, now: SystemTime) -> Option<u64> {
    let age = now.duration_since(modified).ok()?;
    let days = age.as_secs() / DAY.as_secs();
    (age > DAY * keep.days).then_some(days)
}

/// Every file due for removal under `retention` at `now`, oldest first. Unfinished
/// journals are never due: only those in the archive.
pub fn due_files(data: &DataDir, retention: &Retention, now: SystemTime) -> Vec<Due> {
    let mut due = Vec::new();
    let kinds = [
        (retention.journals, data.archive(), Kind::Journal, false),
        (retention.exports, data.exports(), Kind::Export, true),
        (retention.summaries, data.summaries(), Kind::Summary, false),
    ];
    for (keep, dir, kind, deep) in kinds {
        let Some(keep) = keep else { continue };
        for (path, modified) in files_in(&dir, deep) {
            if let Some(age_days) = past(modified, keep, now) {
                due.push(Due { path, kind, age_days });
            }
        }
    }
    due.sort_by(|a, b| b.age_days.cmp(&a.age_days).then_with(|| a.path.cmp(&b.path)));
    due
}

/// How many files are due: for the console to say at start ("3 old files are due for
/// removal: holdspace purge").
pub fn count_due(data: &DataDir, retention: &Retention, now: SystemTime) -> usize {
    due_files(data, retention, now).len()
}

/// What `purge` did.
#[derive(Debug, Default)]
pub struct Purged {
    pub removed: Vec<PathBuf>,
    pub failed: Vec<(PathBuf, io::Error)>,
}

/// Removes the due files, and then any export folder left empty. A file that cannot be
/// removed is reported and the rest go on.
pub fn purge(data: &DataDir, due: &[Due]) -> Purged {
    let mut purged = Purged::default();
    for file in due {
        match fs::remove_file(&file.path) {
            Ok(()) => purged.removed.push(file.path.clone()),
            Err(error) if error.kind() == io::ErrorKind::NotFound => {}
            Err(error) => purged.failed.push((file.path.clone(), error)),
        }
    }
    let exports = data.exports();
    for file in due.iter().filter(|file| file.kind == Kind::Export) {
        // Empty folders an export left (`notes -o exports/…`) go too, up to exports/ itself.
        let mut dir = file.path.parent();
        while let Some(current) = dir.filter(|d| d.starts_with(&exports) && *d != exports) {
            if fs::remove_dir(current).is_err() {
                break;
            }
            dir = current.parent();
        }
    }
    let mut dirs: Vec<&Path> = due.iter().filter_map(|file| file.path.parent()).collect();
    dirs.dedup();
    for dir in dirs {
        if let Ok(handle) = fs::File::open(dir) {
            let _ = handle.sync_all();
        }
    }
    purged
}

/// The visible files in `dir` (and below it, if `deep`) with their modification times.
fn files_in(dir: &Path, deep: bool) -> Vec<(PathBuf, SystemTime)> {
    super::files::visible_files(dir, deep)
        .into_iter()
        .filter_map(|path| {
            let modified = fs::metadata(&path).and_then(|meta| meta.modified()).ok()?;
            Some((path, modified))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keep(days: u32) -> KeepFor {
        KeepFor { days }
    }

    #[test]
    fn a_file_is_due_only_once_past_its_period() {
        let now = SystemTime::UNIX_EPOCH + DAY * 1000;
        assert_eq!(
            past(now - DAY * 90, keep(90), now),
            None,
            "exactly 90 days is kept"
        );
        assert_eq!(
            past(now - DAY * 90 - Duration::from_secs(1), keep(90), now),
            Some(90)
        );
        assert_eq!(past(now - DAY * 400, keep(90), now), Some(400));
        assert_eq!(
            past(now + DAY, keep(1), now),
            None,
            "a file from the future is kept"
        );
    }

    fn touch(path: &Path, modified: SystemTime) -> io::Result<()> {
        if let Some(dir) = path.parent() {
            fs::create_dir_all(dir)?;
        }
        fs::write(path, "x")?;
        fs::File::options().write(true).open(path)?.set_modified(modified)
    }

    #[test]
    fn purge_removes_old_archived_journals_and_exports_and_keeps_summaries() -> io::Result<()> {
        let root = tempfile::tempdir()?;
        let data = DataDir {
            root: root.path().to_owned(),
        };
        let now = SystemTime::now();
        let old = now - DAY * 200;
        let young = now - DAY * 2;
        let archived_old = data.archive().join("a.journal");
        let archived_young = data.archive().join("b.journal");
        let unfinished_old = data.journals().join("c.journal");
        let export_old = data.exports().join("notes").join("group.md");
        let export_young = data.exports().join("r.html.age");
        let summary_old = data.summaries().join("s.ron.age");
        let temp_old = data.archive().join(".x.journal.1.tmp");
        for (path, when) in [
            (&archived_old, old),
            (&archived_young, young),
            (&unfinished_old, old),
            (&export_old, old),
            (&export_young, young),
            (&summary_old, old),
            (&temp_old, old),
        ] {
            touch(path, when)?;
        }
        let retention = Retention {
            journals: Some(keep(90)),
            exports: Some(keep(30)),
            summaries: None,
        };
        let due = due_files(&data, &retention, now);
        let paths: Vec<&Path> = due.iter().map(|d| d.path.as_path()).collect();
        assert_eq!(paths.len(), 2, "{paths:?}");
        assert!(paths.contains(&archived_old.as_path()) && paths.contains(&export_old.as_path()));
        assert_eq!(
            count_due(&data, &Retention::default(), now),
            0,
            "nothing is due by default"
        );

        let purged = purge(&data, &due);
        assert_eq!(purged.removed.len(), 2);
        assert!(purged.failed.is_empty());
        assert!(!archived_old.exists() && !export_old.exists());
        assert!(
            !data.exports().join("notes").exists(),
            "the emptied export folder goes"
        );
        assert!(data.exports().exists(), "exports/ itself stays");
        for kept in [
            &archived_young,
            &unfinished_old,
            &export_young,
            &summary_old,
            &temp_old,
        ] {
            assert!(kept.exists(), "{} was kept", kept.display());
        }
        assert_eq!(
            count_due(&data, &retention, now),
            0,
            "a second purge finds nothing"
        );

        let with_summaries = Retention {
            summaries: Some(keep(100)),
            ..retention
        };
        let due = due_files(&data, &with_summaries, now);
        assert_eq!(due.len(), 1);
        assert_eq!(due[0].kind, Kind::Summary);
        Ok(())
    }
}
