//! The review's index on disk: what earlier runs read of each file, so a large folder
//! lists fast. An SQLite database (bundled with holdspace, no server) with one row per
//! file of the folder (summaries, conflict copies, wrap-ups, hand-ins): its name, and
//! packed with postcard its stamp, list fields and its records' folded status. Texts the
//! rows share (groups, titles, names, dates) are kept once in a table of their own and
//! referred to by number, so 100,000 summaries take about 15 MB and load in one query.
//!
//! Why SQLite rather than one file rewritten whole: a change to one summary (the browser
//! rescans on every change) writes one row in a transaction instead of the whole index;
//! two `holdspace review` processes can read and write it at once; a crash mid-write
//! leaves the last good state (a rollback journal; no write-ahead log, which would write
//! every page twice when the index is first made).
//!
//! It lives in the platform's cache dir (`~/.cache/holdspace/review/` on Linux), never
//! beside the summaries, owner-only (directory 0700, files 0600). It holds what the list
//! shows — group, title, facilitator and trainee names, dates, counts, supervisors' names
//! and when they signed, file hashes — and no member names and no note or comment text.
//! Of an encrypted file (`….ron.age`, or any file whose bytes are an age file) and of a
//! summary whose records are encrypted, it holds nothing that came out of them: the file's
//! name and stamp (size, times, inode) only, marked never read, so every run opens them
//! again with the identity (what they hold stays in memory).
//! One database per folder, named by a hash of the folder's path and holding that path, so
//! two folders never share one. It is emptied when holdspace's version changes (a newer
//! holdspace may read what an older one could not), and thrown away whole when damaged.
//! A row is only trusted under the rules of [`Stamp::still`], so it never shows a stale
//! row.

use std::collections::HashMap;
use std::fs;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::io;
use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rusqlite::{Connection, OpenFlags, params};
use serde::{Deserialize, Serialize};

use super::index::known::{Fold, Known, Memory, Sha256, Signed, Stamp, What};
use super::index::text::{Names, Text};
use super::index::{Entry, InSeries};
use crate::storage::{FILE_MODE, ensure_private_dir};
use crate::supervision::Status;

/// Changes whenever what a row holds changes shape.
const FORMAT: &str = "7";

/// Where one folder's index is kept.
#[derive(Clone, Debug)]
pub struct DiskCache {
    pub file: PathBuf,
    folder: PathBuf,
}

/// What a scan changed, for [`DiskCache::store`].
#[derive(Clone, Debug, Default)]
pub struct Changes {
    /// Indices into the memory's files of those read (or hashed) now.
    pub rows: Vec<usize>,
    /// Names no longer in the folder.
    pub gone: Vec<Text>,
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
    /// of another folder. Rows that do not decode are left out (their files are read).
    pub fn load(&self) -> Memory {
        if !self.file.is_file() {
            return Memory::default();
        }
        self.read().unwrap_or_default()
    }

    fn read(&self) -> rusqlite::Result<Memory> {
        let db = Connection::open_with_flags(
            &self.file,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        db.busy_timeout(std::time::Duration::from_secs(2))?;
        let Some(meta) = self.current(&db)? else {
            return Ok(Memory::default());
        };
        let texts = by_id(&db, "SELECT id, text FROM texts", |text| {
            Ok(Some(Text::from(text.as_str()?)))
        })?;
        let lists = by_id(&db, "SELECT id, ids FROM lists", |ids| {
            Ok(postcard::from_bytes::<Vec<u32>>(ids.as_blob()?)
                .ok()
                .and_then(|ids| {
                    ids.iter()
                        .map(|&t| texts.get(t as usize).cloned().flatten())
                        .collect::<Option<Vec<Text>>>()
                })
                .map(Names::from))
        })?;
        let decoder = Decoder { texts, lists };
        // Made to its size at once: grown by doubling, 100,000 rows would pass through
        // twice their size.
        // (A damaged count only costs that.)
        let mut files = Vec::with_capacity(meta.files.min(1 << 22));
        let mut query = db.prepare("SELECT name, known FROM files")?;
        let mut rows = query.query([])?;
        while let Some(row) = rows.next()? {
            let name = row.get_ref(0)?.as_str()?;
            let blob = row.get_ref(1)?.as_blob()?;
            // A row that does not decode is read again from its file.
            if let Some(known) = postcard::from_bytes::<Stored>(blob)
                .ok()
                .and_then(|stored| decoder.known(name, stored))
            {
                files.push(known);
            }
        }
        if !files.is_sorted_by(|a, b| a.name < b.name) {
            files.sort_by(|a, b| a.name.cmp(&b.name));
            files.dedup_by(|a, b| a.name == b.name);
        }
        Ok(Memory {
            dir: meta.dir,
            listed_ns: meta.listed_ns,
            files,
        })
    }

    /// The folder's stamp and when it was listed, if the database is of this format,
    /// this holdspace and this folder.
    fn current(&self, db: &Connection) -> rusqlite::Result<Option<Listing>> {
        let mut query = db.prepare("SELECT key, value FROM meta")?;
        let meta: HashMap<String, String> = query
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        let folder = self.folder.to_string_lossy();
        let ours = meta.get("format").map(String::as_str) == Some(FORMAT)
            && meta.get("holdspace").map(String::as_str) == Some(env!("CARGO_PKG_VERSION"))
            && meta.get("folder").map(String::as_str) == Some(folder.as_ref());
        if !ours {
            return Ok(None);
        }
        Ok(Some(
            meta.get("listing")
                .and_then(|text| Listing::parse(text))
                .unwrap_or_default(),
        ))
    }

    /// Writes the rows of `changes` (and drops those gone) in one transaction, with the
    /// memory's listing. A damaged database is replaced.
    pub fn store(&self, memory: &Memory, changes: &Changes) -> io::Result<()> {
        if let Some(dir) = self.file.parent() {
            ensure_private_dir(dir)?;
        }
        match self.write(memory, changes) {
            Ok(()) => Ok(()),
            Err(_) => {
                // Damaged or of another shape: start again, whole.
                for suffix in ["", "-wal", "-shm", "-journal"] {
                    let _ = fs::remove_file(format!("{}{suffix}", self.file.display()));
                }
                let all = Changes {
                    rows: (0..memory.files.len()).collect(),
                    gone: Vec::new(),
                };
                self.write(memory, &all).map_err(io::Error::other)
            }
        }
    }

    fn write(&self, memory: &Memory, changes: &Changes) -> rusqlite::Result<()> {
        // Created owner-only before SQLite opens it; its journal takes the same mode.
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
        // A write-ahead log (the format before this one used it) would write every page
        // twice; a cache needs only to stay whole.
        let _: String = db.query_row("PRAGMA journal_mode = DELETE", [], |r| r.get(0))?;
        db.pragma_update(None, "synchronous", "NORMAL")?;
        db.execute_batch(
            "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
             CREATE TABLE IF NOT EXISTS texts (id INTEGER PRIMARY KEY, text TEXT NOT NULL UNIQUE);
             CREATE TABLE IF NOT EXISTS lists (id INTEGER PRIMARY KEY, ids BLOB NOT NULL UNIQUE);
             CREATE TABLE IF NOT EXISTS files (name TEXT PRIMARY KEY, known BLOB NOT NULL) WITHOUT ROWID;",
        )?;
        let tx = db.transaction()?;
        let everything: Vec<usize>;
        let mut rows = &changes.rows;
        if self.current(&tx)?.is_none() {
            tx.execute_batch("DELETE FROM files; DELETE FROM texts; DELETE FROM lists; DELETE FROM meta;")?;
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
            everything = (0..memory.files.len()).collect();
            rows = &everything;
        }
        {
            let mut encoder = Encoder::load(&tx)?;
            let mut delete = tx.prepare("DELETE FROM files WHERE name = ?1")?;
            for name in &changes.gone {
                delete.execute(params![name.as_str()])?;
            }
            let mut upsert = tx.prepare("INSERT OR REPLACE INTO files (name, known) VALUES (?1, ?2)")?;
            for known in rows.iter().filter_map(|&i| memory.files.get(i)) {
                let stored = encoder.stored(&tx, known)?;
                if let Ok(blob) = postcard::to_allocvec(&stored) {
                    upsert.execute(params![known.name.as_str(), blob])?;
                }
            }
            // Rows kept without what came out of encrypted files hold no records' status,
            // and the records' names are not kept: such a folder is listed again next time
            // (never listed, for the index), so its records are read again.
            let stripped = memory.files.iter().any(|k| k.sealed || k.fold.sealed);
            let listing = Listing {
                dir: memory.dir,
                listed_ns: if stripped { 0 } else { memory.listed_ns },
                files: memory.files.len(),
            };
            tx.execute(
                "INSERT OR REPLACE INTO meta (key, value) VALUES ('listing', ?1)",
                params![listing.to_string()],
            )?;
        }
        tx.commit()
    }
}

/// The rows of a table of `(id, value)` as a vector indexed by id (`None` where no row
/// or a value `value` could not make sense of).
fn by_id<T: Clone>(
    db: &Connection,
    sql: &str,
    value: impl Fn(rusqlite::types::ValueRef<'_>) -> rusqlite::Result<Option<T>>,
) -> rusqlite::Result<Vec<Option<T>>> {
    let mut out = Vec::new();
    let mut query = db.prepare(sql)?;
    let mut rows = query.query([])?;
    while let Some(row) = rows.next()? {
        let Ok(id) = usize::try_from(row.get::<_, i64>(0)?) else {
            continue;
        };
        if id >= out.len() {
            out.resize(id + 1, None);
        }
        if let Some(slot) = out.get_mut(id) {
            *slot = value(row.get_ref(1)?)?;
        }
    }
    Ok(out)
}

/// When the folder was listed, its stamp then, and how many files it had.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Listing {
    dir: Stamp,
    listed_ns: i64,
    files: usize,
}

impl Listing {
    fn parse(text: &str) -> Option<Listing> {
        let mut n = text.split(' ');
        let mut next = || n.next()?.parse::<i64>().ok();
        Some(Listing {
            dir: Stamp {
                len: u64::try_from(next()?).ok()?,
                mtime_ns: next()?,
                ctime_ns: next()?,
                ino: u64::try_from(next()?).ok()?,
            },
            listed_ns: next()?,
            files: usize::try_from(next()?).ok()?,
        })
    }
}

impl std::fmt::Display for Listing {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let d = &self.dir;
        // Lengths and inodes fit an i64 on every file system holdspace runs on.
        write!(
            f,
            "{} {} {} {} {} {}",
            d.len as i64, d.mtime_ns, d.ctime_ns, d.ino as i64, self.listed_ns, self.files
        )
    }
}

/// One row as stored: texts by their number in the `texts` table.
#[derive(Serialize, Deserialize)]
struct Stored<'a> {
    stamp: Stamp,
    read_ns: i64,
    #[serde(borrow)]
    what: StoredWhat<'a>,
    #[serde(borrow)]
    fold: StoredFold<'a>,
}

#[derive(Serialize, Deserialize)]
enum StoredWhat<'a> {
    Summary {
        #[serde(borrow)]
        entry: Result<StoredEntry<'a>, &'a str>,
        sha256: Option<[u8; 32]>,
    },
    Handin(bool),
    Wrapup {
        sha256: Option<[u8; 32]>,
    },
}

#[derive(Serialize, Deserialize)]
struct StoredEntry<'a> {
    version: u32,
    session_id: &'a str,
    title: u32,
    kind: u32,
    group: u32,
    date: u32,
    time: u32,
    second: u8,
    timezone: u32,
    series: Option<(u32, u32, u32)>,
    /// Lists of names, by their number in the `lists` table.
    facilitators: u32,
    trainees: u32,
    present: u32,
    roster: u32,
    planned_secs: u64,
    actual_secs: u64,
    over_under_secs: i64,
    risk: u32,
    follow_up: u32,
    flagged_notes: u32,
}

#[derive(Serialize, Deserialize, Default)]
struct StoredFold<'a> {
    records: u32,
    fingerprint: u64,
    status: Status,
    /// By (a text's number), at, the summary's and the wrap-up's hash as signed.
    #[serde(borrow)]
    signed: Option<(u32, &'a str, &'a str, Option<&'a str>)>,
}

/// Rows back into what the scanner knows.
struct Decoder {
    texts: Vec<Option<Text>>,
    lists: Vec<Option<Names>>,
}

impl Decoder {
    fn text(&self, id: u32) -> Option<Text> {
        self.texts.get(usize::try_from(id).ok()?)?.clone()
    }

    fn names(&self, id: u32) -> Option<Names> {
        self.lists.get(usize::try_from(id).ok()?)?.clone()
    }

    fn known(&self, name: &str, stored: Stored<'_>) -> Option<Known> {
        let what = match stored.what {
            StoredWhat::Summary { entry, sha256 } => What::Summary {
                entry: match entry {
                    Ok(e) => Ok(Arc::new(self.entry(e)?)),
                    Err(why) => Err(Text::from(why)),
                },
                sha256: sha256.map(Sha256),
            },
            StoredWhat::Handin(ok) => What::Handin(ok),
            StoredWhat::Wrapup { sha256 } => What::Wrapup {
                sha256: sha256.map(Sha256),
            },
        };
        let f = stored.fold;
        let signed = match f.signed {
            Some((by, at, summary, wrapup)) => Some(Box::new(Signed {
                by: self.text(by)?,
                at: Text::from(at),
                summary_sha256: Text::from(summary),
                wrapup_sha256: wrapup.map(Text::from),
            })),
            None => None,
        };
        Some(Known {
            name: name.into(),
            stamp: stored.stamp,
            read_ns: stored.read_ns,
            what,
            fold: Fold {
                records: f.records,
                fingerprint: f.fingerprint,
                status: f.status,
                signed,
                sealed: false,
                unread: 0,
            },
            sealed: false,
        })
    }

    fn entry(&self, e: StoredEntry<'_>) -> Option<Entry> {
        Some(Entry {
            version: e.version,
            session_id: Text::from(e.session_id),
            title: self.text(e.title)?,
            kind: self.text(e.kind)?,
            group: self.text(e.group)?,
            date: self.text(e.date)?,
            time: self.text(e.time)?,
            second: e.second,
            timezone: self.text(e.timezone)?,
            series: match e.series {
                Some((name, session, of)) => Some(InSeries {
                    name: self.text(name)?,
                    session,
                    of,
                }),
                None => None,
            },
            facilitators: self.names(e.facilitators)?,
            trainees: self.names(e.trainees)?,
            present: e.present,
            roster: e.roster,
            planned_secs: e.planned_secs,
            actual_secs: e.actual_secs,
            over_under_secs: e.over_under_secs,
            risk: e.risk,
            follow_up: e.follow_up,
            flagged_notes: e.flagged_notes,
        })
    }
}

/// The row of a file read encrypted: its stamp alone, never read (so read again), its
/// kind kept (the scan tells a summary from a wrap-up by it).
fn sealed(known: &Known) -> Stored<'static> {
    let what = match known.what {
        What::Summary { .. } => StoredWhat::Summary {
            entry: Err(""),
            sha256: None,
        },
        What::Handin(_) => StoredWhat::Handin(false),
        What::Wrapup { .. } => StoredWhat::Wrapup { sha256: None },
    };
    Stored {
        stamp: known.stamp,
        read_ns: 0,
        what,
        fold: StoredFold::default(),
    }
}

/// What the scanner knows, into rows: each text and list given its number (new ones added
/// to the `texts` and `lists` tables).
struct Encoder {
    ids: HashMap<Text, u32>,
    lists: HashMap<Vec<u32>, u32>,
}

impl Encoder {
    fn load(db: &Connection) -> rusqlite::Result<Encoder> {
        let mut query = db.prepare("SELECT id, text FROM texts")?;
        let ids = query
            .query_map([], |r| {
                Ok((Text::from(r.get_ref(1)?.as_str()?), r.get::<_, u32>(0)?))
            })?
            .collect::<rusqlite::Result<_>>()?;
        let mut query = db.prepare("SELECT id, ids FROM lists")?;
        let lists = query
            .query_map([], |r| {
                let ids = postcard::from_bytes::<Vec<u32>>(r.get_ref(1)?.as_blob()?).unwrap_or_default();
                Ok((ids, r.get::<_, u32>(0)?))
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(Encoder { ids, lists })
    }

    fn list(&mut self, db: &Connection, names: &Names) -> rusqlite::Result<u32> {
        let ids = names
            .iter()
            .map(|n| self.id(db, n))
            .collect::<rusqlite::Result<Vec<_>>>()?;
        if let Some(&id) = self.lists.get(&ids) {
            return Ok(id);
        }
        let blob =
            postcard::to_allocvec(&ids).map_err(|e| rusqlite::Error::ToSqlConversionFailure(Box::new(e)))?;
        db.execute("INSERT INTO lists (ids) VALUES (?1)", params![blob])?;
        let id = u32::try_from(db.last_insert_rowid())
            .map_err(|e| rusqlite::Error::ToSqlConversionFailure(Box::new(e)))?;
        self.lists.insert(ids, id);
        Ok(id)
    }

    fn id(&mut self, db: &Connection, text: &Text) -> rusqlite::Result<u32> {
        if let Some(&id) = self.ids.get(text.as_str()) {
            return Ok(id);
        }
        db.execute("INSERT INTO texts (text) VALUES (?1)", params![text.as_str()])?;
        let id = u32::try_from(db.last_insert_rowid())
            .map_err(|e| rusqlite::Error::ToSqlConversionFailure(Box::new(e)))?;
        self.ids.insert(text.clone(), id);
        Ok(id)
    }

    fn stored<'a>(&mut self, db: &Connection, known: &'a Known) -> rusqlite::Result<Stored<'a>> {
        if known.sealed {
            return Ok(sealed(known));
        }
        let what = match &known.what {
            What::Summary { entry, sha256 } => StoredWhat::Summary {
                entry: match entry {
                    Ok(e) => Ok(self.entry(db, e)?),
                    Err(why) => Err(why.as_str()),
                },
                sha256: sha256.map(|s| s.0),
            },
            What::Handin(ok) => StoredWhat::Handin(*ok),
            What::Wrapup { sha256 } => StoredWhat::Wrapup {
                sha256: sha256.map(|s| s.0),
            },
        };
        let f = &known.fold;
        // Folded from encrypted records: none kept, so they are read again each run (no
        // records' names give a fingerprint of 0 with records there).
        let signed = match f.signed.as_ref().filter(|_| !f.sealed) {
            Some(s) => Some((
                self.id(db, &s.by)?,
                s.at.as_str(),
                s.summary_sha256.as_str(),
                s.wrapup_sha256.as_deref(),
            )),
            None => None,
        };
        Ok(Stored {
            stamp: known.stamp,
            read_ns: known.read_ns,
            what,
            fold: if f.sealed {
                StoredFold::default()
            } else {
                StoredFold {
                    records: f.records,
                    fingerprint: f.fingerprint,
                    status: f.status,
                    signed,
                }
            },
        })
    }

    fn entry<'a>(&mut self, db: &Connection, e: &'a Entry) -> rusqlite::Result<StoredEntry<'a>> {
        let facilitators = self.list(db, &e.facilitators)?;
        let trainees = self.list(db, &e.trainees)?;
        Ok(StoredEntry {
            version: e.version,
            session_id: e.session_id.as_str(),
            title: self.id(db, &e.title)?,
            kind: self.id(db, &e.kind)?,
            group: self.id(db, &e.group)?,
            date: self.id(db, &e.date)?,
            time: self.id(db, &e.time)?,
            second: e.second,
            timezone: self.id(db, &e.timezone)?,
            series: match &e.series {
                Some(s) => Some((self.id(db, &s.name)?, s.session, s.of)),
                None => None,
            },
            facilitators,
            trainees,
            present: e.present,
            roster: e.roster,
            planned_secs: e.planned_secs,
            actual_secs: e.actual_secs,
            over_under_secs: e.over_under_secs,
            risk: e.risk,
            follow_up: e.follow_up,
            flagged_notes: e.flagged_notes,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::summary::parse_summary;

    fn known(name: &str, group: &str, sealed: bool) -> Known {
        let mut summary = parse_summary(include_str!("../../tests/fixtures/summary-v1.ron"))
            .unwrap_or_else(|e| panic!("the fixture parses: {e}"));
        summary.group = group.into();
        Known {
            name: name.into(),
            stamp: Stamp {
                len: 10,
                mtime_ns: 1,
                ctime_ns: 1,
                ino: 7,
            },
            read_ns: 5_000_000_000,
            what: What::Summary {
                entry: Ok(Arc::new(Entry::from_summary(&summary))),
                sha256: Some(Sha256::of(b"x")),
            },
            fold: Fold {
                records: 1,
                fingerprint: 42,
                status: Status::Signed,
                signed: Some(Box::new(Signed {
                    by: "Dr. Signer of Sealed".into(),
                    at: "2025-03-05T10:00:00+06:00".into(),
                    summary_sha256: "ab".into(),
                    wrapup_sha256: None,
                })),
                sealed: false,
                unread: 0,
            },
            sealed,
        }
    }

    /// What came out of an encrypted file (or its encrypted records) is never on disk:
    /// its row keeps the name and stamp, is read again, and the folder is listed again so
    /// its records are too. A plain summary's row is kept whole.
    #[test]
    fn rows_of_encrypted_files_keep_only_their_names_and_stamps() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("a temp dir: {e}"));
        let cache = DiskCache::in_dir(dir.path(), Path::new("/archive"));
        let mut plain = known("a.ron", "Plain group of Mondays", false);
        if let Some(signed) = &mut plain.fold.signed {
            signed.by = "Dr. Plain Signer".into();
        }
        let sealed = known("b.ron.age", "Sealed circle of Thursdays", true);
        let mut sealed_records = known("c.ron", "Group with sealed records", false);
        sealed_records.fold.sealed = true;
        let memory = Memory {
            dir: Stamp::default(),
            listed_ns: 9_000_000_000,
            files: vec![plain.clone(), sealed.clone(), sealed_records.clone()],
        };
        let all = Changes {
            rows: vec![0, 1, 2],
            gone: Vec::new(),
        };
        cache
            .store(&memory, &all)
            .unwrap_or_else(|e| panic!("stored: {e}"));
        let bytes = fs::read(&cache.file).unwrap_or_else(|e| panic!("written: {e}"));
        let holds = |text: &str| bytes.windows(text.len()).any(|w| w == text.as_bytes());
        assert!(holds("Plain group of Mondays"));
        assert!(holds("Group with sealed records"), "its summary is plain");
        assert!(!holds("Sealed circle of Thursdays"));
        assert!(holds("Dr. Plain Signer"));
        assert!(!holds("Dr. Signer of Sealed"), "nor who signed what is encrypted");

        let loaded = cache.load();
        assert_eq!(loaded.listed_ns, 0, "listed again next time");
        assert_eq!(loaded.files.first(), Some(&plain));
        let b = loaded.files.get(1).unwrap_or_else(|| panic!("b's row"));
        assert_eq!(
            (b.name.as_str(), b.stamp, b.read_ns),
            ("b.ron.age", sealed.stamp, 0)
        );
        assert!(matches!(
            &b.what,
            What::Summary {
                entry: Err(_),
                sha256: None
            }
        ));
        assert_eq!(b.fold, Fold::default());
        let c = loaded.files.get(2).unwrap_or_else(|| panic!("c's row"));
        assert_eq!(c.what, sealed_records.what, "the plain summary's fields are kept");
        assert_eq!(c.fold, Fold::default(), "its status is read again");

        // Without encrypted files the listing is kept.
        let memory = Memory {
            files: vec![plain],
            ..memory
        };
        let _ = fs::remove_file(&cache.file);
        cache
            .store(
                &memory,
                &Changes {
                    rows: vec![0],
                    gone: Vec::new(),
                },
            )
            .unwrap_or_else(|e| panic!("stored: {e}"));
        assert_eq!(cache.load().listed_ns, 9_000_000_000);
    }
}
