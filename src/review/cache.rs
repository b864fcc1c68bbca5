//! The review's index on disk: what earlier runs read of each file, so a large folder
//! lists fast. An SQLite database (bundled with holdspace, no server) with one row per
//! file: its name and what was read of it ([`Known`], packed with postcard).
//!
//! Why SQLite rather than one file rewritten whole: a change to one summary (the browser
//! rescans on every change) writes one row in a transaction instead of the whole index;
//! two `holdspace review` processes can read and write it at once; a crash mid-write
//! leaves the last good state; and loading 100,000 rows of compact blobs is a single
//! query, with no 50 MB text to parse.
//!
//! It lives in the platform's cache dir (`~/.cache/holdspace/review/` on Linux), never
//! beside the summaries, owner-only (directory 0700, files 0600). It holds what the list
//! shows — group, title, facilitator and trainee names, dates, counts, supervisors' names
//! and when they signed, file hashes — and no member names and no note or comment text.
//! One database per folder, named by a hash of the folder's path and holding that path, so
//! two folders never share one. It is emptied when holdspace's version changes (a newer
//! holdspace may read what an older one could not), and thrown away whole when damaged.
//! An entry is only trusted under the rules of
//! [`Known::fresh_for`](super::index::Known::fresh_for), so it never shows a stale row.

use std::collections::HashMap;
use std::fs;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::io;
use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};

use rusqlite::{Connection, OpenFlags, params};

use super::index::Known;
use crate::storage::{FILE_MODE, ensure_private_dir};

/// Changes whenever what a row holds changes shape.
const FORMAT: &str = "3";

/// Where one folder's index is kept.
#[derive(Clone, Debug)]
pub struct DiskCache {
    pub file: PathBuf,
    folder: PathBuf,
}

impl DiskCache {
    /// The index of `folder` in the platform's cache dir, if the platform has one.
    pub fn for_folder(folder: &Path) -> Option<DiskCache> {
        let root = directories::ProjectDirs::from("", "", "holdspace")?
            .cache_dir()
            .join("review");
        Some(DiskCache::in_dir(&root, folder))
    }

    /// The index of `folder` kept in `root`.
    pub fn in_dir(root: &Path, folder: &Path) -> DiskCache {
        let folder = fs::canonicalize(folder).unwrap_or_else(|_| folder.to_owned());
        let mut hasher = DefaultHasher::new();
        folder.hash(&mut hasher);
        DiskCache {
            file: root.join(format!("{:016x}.sqlite", hasher.finish())),
            folder,
        }
    }

    /// What the index knows; nothing when it is missing, damaged, of another version or
    /// of another folder.
    pub fn load(&self) -> HashMap<String, Known> {
        if !self.file.is_file() {
            return HashMap::new();
        }
        self.read().unwrap_or_default()
    }

    fn read(&self) -> rusqlite::Result<HashMap<String, Known>> {
        let db = Connection::open_with_flags(&self.file, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
        db.busy_timeout(std::time::Duration::from_secs(2))?;
        if !self.current(&db)? {
            return Ok(HashMap::new());
        }
        let mut query = db.prepare("SELECT name, known FROM files")?;
        let mut rows = query.query([])?;
        let mut known = HashMap::new();
        while let Some(row) = rows.next()? {
            let name: String = row.get(0)?;
            let blob = row.get_ref(1)?.as_blob()?;
            // A row that does not decode is read again from its file.
            if let Ok(k) = postcard::from_bytes::<Known>(blob) {
                known.insert(name, k);
            }
        }
        Ok(known)
    }

    /// Whether the database is of this format, this holdspace and this folder.
    fn current(&self, db: &Connection) -> rusqlite::Result<bool> {
        let mut query = db.prepare("SELECT key, value FROM meta")?;
        let meta: HashMap<String, String> = query
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        let folder = self.folder.to_string_lossy();
        Ok(meta.get("format").map(String::as_str) == Some(FORMAT)
            && meta.get("holdspace").map(String::as_str) == Some(env!("CARGO_PKG_VERSION"))
            && meta.get("folder").map(String::as_str) == Some(folder.as_ref()))
    }

    /// Writes the rows of `changed` files (and drops those no longer in `known`), in one
    /// transaction. A damaged database is replaced.
    pub fn store(&self, known: &HashMap<String, Known>, changed: &[String]) -> io::Result<()> {
        if let Some(dir) = self.file.parent() {
            ensure_private_dir(dir)?;
        }
        match self.write(known, changed) {
            Ok(()) => Ok(()),
            Err(_) => {
                // Damaged or of another shape: start again, whole.
                for suffix in ["", "-wal", "-shm", "-journal"] {
                    let _ = fs::remove_file(format!("{}{suffix}", self.file.display()));
                }
                let all: Vec<String> = known.keys().cloned().collect();
                self.write(known, &all).map_err(io::Error::other)
            }
        }
    }

    fn write(&self, known: &HashMap<String, Known>, changed: &[String]) -> rusqlite::Result<()> {
        // Created owner-only before SQLite opens it; its journal files take the same mode.
        if !self.file.exists() {
            let _ = fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .mode(FILE_MODE)
                .open(&self.file);
        }
        let _ = fs::set_permissions(&self.file, fs::Permissions::from_mode(FILE_MODE));
        let mut db = Connection::open(&self.file)?;
        db.busy_timeout(std::time::Duration::from_secs(2))?;
        db.pragma_update(None, "journal_mode", "WAL")?;
        db.pragma_update(None, "synchronous", "NORMAL")?;
        db.execute_batch(
            "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
             CREATE TABLE IF NOT EXISTS files (name TEXT PRIMARY KEY, known BLOB NOT NULL);",
        )?;
        let tx = db.transaction()?;
        let mut changed: Vec<&String> = changed.iter().collect();
        if !self.current(&tx)? {
            tx.execute("DELETE FROM files", [])?;
            tx.execute("DELETE FROM meta", [])?;
            let folder = self.folder.to_string_lossy();
            for (key, value) in [
                ("format", FORMAT),
                ("holdspace", env!("CARGO_PKG_VERSION")),
                ("folder", folder.as_ref()),
            ] {
                tx.execute(
                    "INSERT INTO meta (key, value) VALUES (?1, ?2)",
                    params![key, value],
                )?;
            }
            changed = known.keys().collect();
        }
        {
            let mut names = tx.prepare("SELECT name FROM files")?;
            let gone: Vec<String> = names
                .query_map([], |r| r.get::<_, String>(0))?
                .filter_map(Result::ok)
                .filter(|name| !known.contains_key(name))
                .collect();
            let mut delete = tx.prepare("DELETE FROM files WHERE name = ?1")?;
            for name in gone {
                delete.execute(params![name])?;
            }
            let mut upsert = tx.prepare("INSERT OR REPLACE INTO files (name, known) VALUES (?1, ?2)")?;
            for name in changed {
                if let Some(k) = known.get(name)
                    && let Ok(blob) = postcard::to_allocvec(k)
                {
                    upsert.execute(params![name, blob])?;
                }
            }
        }
        tx.commit()
    }
}
