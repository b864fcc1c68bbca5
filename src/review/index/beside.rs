//! The names of the files that lie beside the summaries of a folder (supervision records,
//! wrap-ups and their conflict copies), from one listing kept while the folder's names
//! stay the same. Opening a session must find its records, whose names no one can guess.
//! Listing a folder of 100,000 summaries takes most of a tenth of a second, so a listing
//! is reused as long as the folder's own stamp says no name was added, removed or renamed.

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};

use super::known::{Stamp, listing_holds, now_ns};
use crate::supervision::store;

/// What the names of a wrap-up and its conflict copies have between a summary's stem and
/// their own part.
const WRAPUP_MARK: &str = ".wrapup.";

/// One listing of a folder: the names of its sidecars, sorted.
#[derive(Debug)]
struct Listing {
    dir: PathBuf,
    /// The folder's stamp, taken before it was listed.
    stamp: Stamp,
    listed_ns: i64,
    names: Vec<Box<str>>,
}

impl Listing {
    fn of(dir: &Path, stamp: Stamp) -> Listing {
        let listed_ns = now_ns();
        let mut names: Vec<Box<str>> = fs::read_dir(dir)
            .map(|items| {
                items
                    .flatten()
                    .filter_map(|item| item.file_name().into_string().ok())
                    .filter(|name| is_sidecar(name))
                    .map(String::into_boxed_str)
                    .collect()
            })
            .unwrap_or_default();
        names.sort_unstable();
        Listing {
            dir: dir.to_owned(),
            stamp,
            listed_ns,
            names,
        }
    }

    /// The names that begin with `prefix`.
    fn starting_with(&self, prefix: &str) -> Vec<String> {
        let start = self.names.partition_point(|n| &**n < prefix);
        self.names[start..]
            .iter()
            .take_while(|n| n.starts_with(prefix))
            .map(|n| n.to_string())
            .collect()
    }
}

fn is_sidecar(name: &str) -> bool {
    name.contains(store::MARK) || name.contains(WRAPUP_MARK)
}

/// The last listing of a folder's sidecars, shared with the thread that makes the first
/// one in the background.
#[derive(Clone, Debug, Default)]
pub struct Beside(Arc<Mutex<Option<Listing>>>);

impl Beside {
    /// Lists `dir` on a thread of its own, so the first session opened finds the listing
    /// made (or waits only for the rest of it).
    pub fn list_in_background(&self, dir: &Path) {
        let held = Arc::clone(&self.0);
        let dir = dir.to_owned();
        std::thread::spawn(move || {
            let mut held = held.lock().unwrap_or_else(PoisonError::into_inner);
            if held.is_none()
                && let Ok(meta) = fs::metadata(&dir)
            {
                *held = Some(Listing::of(&dir, Stamp::of(&meta)));
            }
        });
    }

    /// The names of the sidecars beside the summary at `summary` (records, wrap-up and
    /// their conflict copies: every name that begins with its stem and a dot), as the folder
    /// has them now: listed again only when the folder's names may have changed.
    pub fn names_beside(&self, summary: &Path) -> Vec<String> {
        let Some(prefix) = store::beside_prefix(summary) else {
            return Vec::new();
        };
        let dir = store::folder_of(summary);
        let Ok(meta) = fs::metadata(dir) else {
            return Vec::new();
        };
        let now = Stamp::of(&meta);
        let mut held = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        let holds = held
            .as_ref()
            .is_some_and(|l| l.dir == dir && listing_holds(&l.stamp, l.listed_ns, &now));
        if !holds {
            *held = Some(Listing::of(dir, now));
        }
        held.as_ref()
            .map(|l| l.starting_with(&prefix))
            .unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn touch(dir: &Path, name: &str) {
        fs::write(dir.join(name), "x").expect("write");
    }

    fn sorted(mut names: Vec<String>) -> Vec<String> {
        names.sort();
        names
    }

    #[test]
    fn finds_the_sidecars_of_one_summary_only() {
        let dir = tempfile::tempdir().expect("tempdir");
        for name in [
            "a.ron",
            "a.review.1.ron",
            "a.review.2.ron.age",
            "a.wrapup.ron",
            "a.wrapup.sync-conflict-20250101-000000-XYZ.ron",
            "ab.review.1.ron",
            "a.b.ron",
            "b.review.1.ron",
        ] {
            touch(dir.path(), name);
        }
        let beside = Beside::default();
        assert_eq!(
            sorted(beside.names_beside(&dir.path().join("a.ron.age"))),
            [
                "a.review.1.ron",
                "a.review.2.ron.age",
                "a.wrapup.ron",
                "a.wrapup.sync-conflict-20250101-000000-XYZ.ron"
            ],
            "an encrypted summary's sidecars, by its plain stem"
        );
        assert!(beside.names_beside(&dir.path().join("c.ron")).is_empty());
    }

    #[test]
    fn a_record_added_since_the_listing_is_found() {
        let dir = tempfile::tempdir().expect("tempdir");
        touch(dir.path(), "a.ron");
        let beside = Beside::default();
        let summary = dir.path().join("a.ron");
        assert!(beside.names_beside(&summary).is_empty());
        touch(dir.path(), "a.review.1.ron");
        assert_eq!(beside.names_beside(&summary), ["a.review.1.ron"]);
        fs::remove_file(dir.path().join("a.review.1.ron")).expect("remove");
        assert!(
            beside.names_beside(&summary).is_empty(),
            "and one removed is gone"
        );
    }

    #[test]
    fn a_settled_listing_is_reused_and_one_of_another_folder_is_not() {
        let dir = tempfile::tempdir().expect("tempdir");
        let other = tempfile::tempdir().expect("tempdir");
        touch(dir.path(), "a.review.1.ron");
        touch(other.path(), "a.review.9.ron");
        let stamp = Stamp::of(&fs::metadata(dir.path()).expect("stat"));
        let mut listing = Listing::of(dir.path(), stamp);
        // Listed long after the folder last changed: to be trusted.
        listing.listed_ns = stamp.mtime_ns.max(stamp.ctime_ns) + 10_000_000_000;
        listing.names = vec!["a.review.kept.ron".into()];
        let beside = Beside(Arc::new(Mutex::new(Some(listing))));
        assert_eq!(
            beside.names_beside(&dir.path().join("a.ron")),
            ["a.review.kept.ron"],
            "not listed again"
        );
        assert_eq!(
            beside.names_beside(&other.path().join("a.ron")),
            ["a.review.9.ron"]
        );
    }
}
