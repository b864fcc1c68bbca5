//! The review's disk cache: what earlier runs parsed, so a large folder lists fast.
//!
//! It lives in the platform's cache dir (`~/.cache/holdspace/review/` on Linux), never
//! beside the summaries, owner-only (directory 0700, file 0600): it holds group, title and
//! facilitator names, though no member names and no notes. One file per folder, named by
//! a hash of the folder's path and holding that path, so two folders never share one. It is
//! thrown away whole when holdspace's version changes (a newer holdspace may read what an
//! older one could not). An entry is only trusted under the rules of
//! [`Known::fresh_for`](super::index::Known::fresh_for), so it never shows a stale row.

use std::collections::HashMap;
use std::fs;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::io;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::index::Known;
use crate::storage::{ensure_private_dir, write_atomic};

const FORMAT: u32 = 1;

/// Where one folder's cache is kept.
#[derive(Clone, Debug)]
pub struct DiskCache {
    pub file: PathBuf,
    folder: PathBuf,
}

#[derive(Deserialize)]
struct CacheFile {
    format: u32,
    holdspace: String,
    folder: PathBuf,
    files: HashMap<String, Known>,
}

#[derive(Serialize)]
struct CacheFileRef<'a> {
    format: u32,
    holdspace: &'a str,
    folder: &'a Path,
    files: &'a HashMap<String, Known>,
}

impl DiskCache {
    /// The cache of `folder` in the platform's cache dir, if the platform has one.
    pub fn for_folder(folder: &Path) -> Option<DiskCache> {
        let root = directories::ProjectDirs::from("", "", "holdspace")?
            .cache_dir()
            .join("review");
        Some(DiskCache::in_dir(&root, folder))
    }

    /// The cache of `folder` kept in `root`.
    pub fn in_dir(root: &Path, folder: &Path) -> DiskCache {
        let folder = fs::canonicalize(folder).unwrap_or_else(|_| folder.to_owned());
        let mut hasher = DefaultHasher::new();
        folder.hash(&mut hasher);
        DiskCache {
            file: root.join(format!("{:016x}.json", hasher.finish())),
            folder,
        }
    }

    /// What the cache knows; nothing when it is missing, damaged, of another version or
    /// of another folder.
    pub fn load(&self) -> HashMap<String, Known> {
        let Ok(bytes) = fs::read(&self.file) else {
            return HashMap::new();
        };
        match serde_json::from_slice::<CacheFile>(&bytes) {
            Ok(cache)
                if cache.format == FORMAT
                    && cache.holdspace == env!("CARGO_PKG_VERSION")
                    && cache.folder == self.folder =>
            {
                cache.files
            }
            _ => HashMap::new(),
        }
    }

    /// Replaces the cache, atomically and owner-only.
    pub fn store(&self, known: &HashMap<String, Known>) -> io::Result<()> {
        if let Some(dir) = self.file.parent() {
            ensure_private_dir(dir)?;
        }
        let cache = CacheFileRef {
            format: FORMAT,
            holdspace: env!("CARGO_PKG_VERSION"),
            folder: &self.folder,
            files: known,
        };
        let bytes = serde_json::to_vec(&cache).map_err(io::Error::other)?;
        write_atomic(&self.file, &bytes)
    }
}
