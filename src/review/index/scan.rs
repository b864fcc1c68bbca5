//! One scan of the folder, in three steps:
//!
//! 1. **List** the folder — or, when its own stamp shows no name was added, removed or
//!    renamed since it was last listed, take the names from memory.
//! 2. **Look** at each file in parallel: its stamp (a `stat`), and only if that changed,
//!    its content. A summary's records are read only when their names changed.
//! 3. **Assemble** the rows, and remember what was read (in memory and, when asked, in
//!    the index on disk).
//!
//! What is known of the files is one vector sorted by name, worked on in place, so a scan
//! of 100,000 files copies none of it.

use std::collections::{HashMap, HashSet};
use std::fs;
use std::io;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use super::folder::{Folder, Look, look_at_entry};
use super::known::{Fold, Known, Memory, Stamp, What, fingerprint, now_ns};
use super::names::{self, Kind};
use super::parallel::for_each_pair;
use super::read::{Listed as Read, Reader, content_hash, read_list_fields};
use super::records::RecordNames;
use super::text::Text;
use super::{Index, ReviewInfo, Row, ScanStats, reason};
use crate::review::cache::{Changes, DiskCache};
use crate::supervision::store;
use crate::vault::Vault;

/// Scans one folder again and again, reusing what has not changed.
pub struct Scanner {
    dir: PathBuf,
    /// What the last scan found; `None` before the first (then the disk's index is read).
    memory: Option<Memory>,
    disk: Option<DiskCache>,
    /// Worker threads for looking at files.
    threads: usize,
    /// Opens encrypted files (`….ron.age`).
    vault: Vault,
}

/// What a scan needs beside what is known of a file, and what it found.
struct Side {
    kind: Kind,
    /// Its entry in the folder, for a name that is not UTF-8 (which cannot be looked up
    /// by its lossy name).
    entry: Option<Box<fs::DirEntry>>,
    /// For a summary of a folder listed now: its records, in [`RecordNames`]. `None`
    /// when the folder was not listed again (its records' names are as before).
    records: Option<Range<u32>>,
    /// The file's [`Known`] is what was known before (not a placeholder for a new name).
    known_before: bool,
    /// Still there, as a file.
    there: bool,
    /// Read now (or hashed, or its records' status changed): to be written to the index.
    changed: bool,
    /// Files read now, and files known unchanged.
    read: u32,
    reused: u32,
}

impl Side {
    fn new(kind: Kind) -> Side {
        Side {
            kind,
            entry: None,
            records: None,
            known_before: true,
            there: false,
            changed: false,
            read: 0,
            reused: 0,
        }
    }
}

impl Scanner {
    /// A scanner of `dir`; with `disk`, what earlier runs read is reused (and kept).
    pub fn new(dir: &Path, disk: Option<DiskCache>) -> Scanner {
        Scanner {
            dir: dir.to_owned(),
            memory: None,
            disk,
            threads: std::thread::available_parallelism().map_or(2, |n| n.get().min(8)),
            vault: Vault::plain(),
        }
    }

    /// The same scanner, opening encrypted files with `vault`.
    pub fn with_vault(self, vault: Vault) -> Scanner {
        Scanner { vault, ..self }
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Every summary in the folder (not its subfolders), as rows sorted by name, with the
    /// supervision its sidecars record.
    pub fn scan(&mut self) -> io::Result<Index> {
        let started = Instant::now();
        let dir_stamp = Stamp::of(&fs::metadata(&self.dir)?);
        let before = match self.memory.take() {
            Some(memory) => memory,
            None => self.disk.as_ref().map(DiskCache::load).unwrap_or_default(),
        };
        let listing_reused = before.listing_holds(&dir_stamp);
        let listing_before = (before.dir, before.listed_ns);
        let mut records = RecordNames::default();
        let (listed_ns, mut files, mut sides, mut gone) = if listing_reused {
            let listed_ns = before.listed_ns;
            let (files, sides) = self.as_listed_before(before);
            (listed_ns, files, sides, Vec::new())
        } else {
            let listed_ns = now_ns();
            let (files, sides, gone) = self.list(before, &mut records)?;
            (listed_ns, files, sides, gone)
        };

        let read_ns = now_ns();
        let folder = Folder::open(&self.dir);
        let vault = &self.vault;
        for_each_pair(
            &mut files,
            &mut sides,
            self.threads,
            Reader::default,
            |reader, known, side| {
                look(&folder, &records, known, side, read_ns, reader, vault);
            },
        );
        // Not needed any more, and a large folder's are megabytes.
        drop(records);

        let mut stats = ScanStats {
            listing_reused,
            ..ScanStats::default()
        };
        let mut changed = Vec::new();
        let mut kept = 0;
        for i in 0..files.len() {
            let side = &sides[i];
            stats.parsed += side.read as usize;
            stats.reused += side.reused as usize;
            if !side.there {
                gone.push(files[i].name.clone());
                continue;
            }
            if side.changed {
                changed.push(kept);
            }
            files.swap(kept, i);
            sides.swap(kept, i);
            kept += 1;
        }
        files.truncate(kept);
        sides.truncate(kept);
        stats.parsed += hash_wrapups(&self.dir, &mut files, &sides, &mut changed, &self.vault);
        let memory = Memory {
            dir: dir_stamp,
            listed_ns,
            files,
        };
        if let Some(disk) = &self.disk
            && (!changed.is_empty() || !gone.is_empty() || listing_before != (memory.dir, memory.listed_ns))
        {
            // An index that cannot be written only costs speed next time.
            let _ = disk.store(&memory, &Changes { rows: changed, gone });
        }
        let index = assemble(&self.dir, &memory.files, sides);
        self.memory = Some(memory);
        stats.files = index.rows.len();
        stats.millis = started.elapsed().as_millis();
        Ok(Index { stats, ..index })
    }

    /// The files of a folder whose names are as remembered.
    fn as_listed_before(&self, before: Memory) -> (Vec<Known>, Vec<Side>) {
        let sides = before
            .files
            .iter()
            .map(|known| Side::new(kind_of(known)))
            .collect();
        (before.files, sides)
    }

    /// The folder's files the review cares about, sorted by name, each with what was
    /// known of it; and the names known before that are gone.
    /// The names of records go to `records`.
    fn list(
        &self,
        before: Memory,
        records: &mut RecordNames,
    ) -> io::Result<(Vec<Known>, Vec<Side>, Vec<Text>)> {
        let mut listed = Vec::new();
        for entry in fs::read_dir(&self.dir)? {
            // An entry that vanished while the folder was read is not an error.
            let Ok(entry) = entry else { continue };
            let (name, entry) = match entry.file_name().into_string() {
                Ok(name) => (name, None),
                // A name that is not UTF-8 still gets its row, under a lossy name.
                Err(name) => (name.to_string_lossy().into_owned(), Some(entry)),
            };
            match names::classify(&name) {
                Kind::Ignored => {}
                Kind::Record { summary } => records.push(&summary, &name),
                kind => listed.push((name, kind, entry)),
            }
        }
        listed.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        records.sort();
        let mut before = before.files.into_iter().peekable();
        let mut gone = Vec::new();
        let mut files = Vec::with_capacity(listed.len());
        let mut sides = Vec::with_capacity(listed.len());
        for (name, kind, entry) in listed {
            // Both are sorted by name: what was known of this name is at the head.
            while let Some(old) = before.next_if(|k| *k.name < *name) {
                gone.push(old.name);
            }
            let mut side = Side::new(kind);
            side.entry = entry.map(Box::new);
            // Records name their summary by its plain name, encrypted or not.
            side.records = (side.kind == Kind::Summary).then(|| records.of(store::unsealed(&name)));
            let known = match before.next_if(|k| *k.name == *name) {
                Some(known) => known,
                None => {
                    side.known_before = false;
                    Known::unknown(Text::from(name))
                }
            };
            files.push(known);
            sides.push(side);
        }
        gone.extend(before.map(|k| k.name));
        Ok((files, sides, gone))
    }
}

/// Looks at one file: its stamp, its records' status, and its content if it changed.
fn look(
    folder: &Folder,
    record_names: &RecordNames,
    known: &mut Known,
    side: &mut Side,
    read_ns: i64,
    reader: &mut Reader,
    vault: &Vault,
) {
    let looked = match side.entry.take() {
        Some(entry) => look_at_entry(&entry),
        None => folder.look(&known.name),
    };
    let path = || folder.path(&known.name);
    let stamp = match looked {
        Look::Folder | Look::Gone => return,
        Look::File(stamp) => Ok(stamp),
        Look::Unreadable(why) => Err(why),
    };
    side.there = true;

    // A summary's records: their status as before while their names are the same.
    if side.kind == Kind::Summary
        && let Some(records) = side.records.take()
        && !(side.known_before && known.fold.fingerprint == fingerprint(record_names.names(records.clone())))
    {
        let names: Vec<&str> = record_names.names(records).collect();
        let fold = read_records(folder, &names, vault, &mut reader.buf);
        side.read += fold.records;
        side.changed |= fold != known.fold;
        known.fold = fold;
    } else if side.kind == Kind::Summary {
        side.reused += known.fold.records;
    }

    let stamp = match stamp {
        Ok(stamp) => stamp,
        Err(why) => {
            known.stamp = Stamp::default();
            known.read_ns = 0;
            known.what = What::Summary {
                entry: Err(Text::from(why)),
                sha256: None,
            };
            side.changed = true;
            return;
        }
    };
    let signed = known.fold.signed.is_some();
    if side.known_before && known.fresh_for(&stamp) && fits(&known.what, &side.kind) {
        side.reused += 1;
        // A sign-off needs the summary's hash: taken once, then remembered.
        if let What::Summary {
            sha256: sha @ None, ..
        } = &mut known.what
            && signed
        {
            *sha = content_hash(&path(), vault);
            side.read += 1;
            side.changed = true;
        }
        return;
    }
    side.read += 1;
    side.changed = true;
    known.stamp = stamp;
    (known.what, known.sealed) = read_file(folder, &known.name, &side.kind, stamp.len, signed, reader, vault);
    // An encrypted file that did not open may open next time (with the identity given,
    // say): known as never read, so it is read again.
    let failed = matches!(
        known.what,
        What::Summary { entry: Err(_), .. } | What::Handin(false)
    );
    known.read_ns = if failed && known.name.ends_with(".age") {
        0
    } else {
        read_ns
    };
}

/// The kind of a file known by name: a summary stays one (unless its name makes it a
/// conflict copy); the few others are classified again.
fn kind_of(known: &Known) -> Kind {
    match known.what {
        What::Summary { .. } if !known.name.contains(names::CONFLICT) => Kind::Summary,
        _ => names::classify(&known.name),
    }
}

/// Whether what was known of a name is of the kind its name says (always, unless the
/// rules for names changed).
fn fits(what: &What, kind: &Kind) -> bool {
    matches!(
        (what, kind),
        (What::Summary { .. } | What::Handin(_), Kind::Summary)
            | (What::Summary { .. }, Kind::Conflict { .. })
            | (What::Wrapup { .. }, Kind::Wrapup { .. })
            | (What::Handin(_), Kind::Handin)
    )
}

/// The status of a summary's records (named `names` in `folder`), read now.
fn read_records(folder: &Folder, names: &[&str], vault: &Vault, buf: &mut Vec<u8>) -> Fold {
    let mut records: Vec<_> = names
        .iter()
        .filter_map(|name| {
            folder.read(name, store::MAX_RECORD_BYTES, buf).ok()?;
            store::from_bytes(buf, vault).ok()
        })
        .collect();
    Fold::of(names, &mut records)
}

/// Reads one file as what its name says it is, opening it with `vault` when encrypted;
/// and whether what it gives came out of an encrypted file (by its name or its bytes).
fn read_file(
    folder: &Folder,
    name: &str,
    kind: &Kind,
    len: u64,
    hash: bool,
    reader: &mut Reader,
    vault: &Vault,
) -> (What, bool) {
    let path = folder.path(name);
    let path = path.as_path();
    let named_sealed = crate::vault::is_age(path);
    let what = match kind {
        Kind::Summary | Kind::Conflict { .. } => {
            match read_list_fields(folder, name, path, len, hash, reader, vault) {
                Ok(Read {
                    entry,
                    sha256,
                    sealed,
                }) => {
                    let what = What::Summary {
                        entry: Ok(Arc::new(entry)),
                        sha256,
                    };
                    return (what, sealed || named_sealed);
                }
                // A hand-in saved under a summary's kind of name is still a hand-in.
                Err(error) => match crate::observations::read(path, vault) {
                    Ok(_) if *kind == Kind::Summary => What::Handin(true),
                    _ => What::Summary {
                        entry: Err(Text::from(reason(&error))),
                        sha256: None,
                    },
                },
            }
        }
        Kind::Handin => What::Handin(crate::observations::read(path, vault).is_ok()),
        Kind::Wrapup { .. } | Kind::Record { .. } | Kind::Ignored => What::Wrapup { sha256: None },
    };
    (what, named_sealed)
}

/// Takes the hashes of the wrap-ups of signed summaries not hashed yet; returns how many.
fn hash_wrapups(
    dir: &Path,
    files: &mut [Known],
    sides: &[Side],
    changed: &mut Vec<usize>,
    vault: &Vault,
) -> usize {
    // Wrap-ups name their summary by its plain name.
    let signed: HashSet<&str> = files
        .iter()
        .zip(sides)
        .filter(|(k, side)| side.kind == Kind::Summary && k.fold.signed.is_some())
        .map(|(k, _)| store::unsealed(&k.name))
        .collect();
    let wanted: Vec<usize> = files
        .iter()
        .zip(sides)
        .enumerate()
        .filter_map(|(i, (known, side))| match (&side.kind, &known.what) {
            (Kind::Wrapup { summary }, What::Wrapup { sha256: None })
                if signed.contains(summary.as_str()) =>
            {
                Some(i)
            }
            _ => None,
        })
        .collect();
    for &i in &wanted {
        if let Some(known) = files.get_mut(i) {
            known.what = What::Wrapup {
                sha256: content_hash(&dir.join(known.name.as_str()), vault),
            };
            changed.push(i);
        }
    }
    changed.sort_unstable();
    changed.dedup();
    wanted.len()
}

/// Rows from what is known of each file, with the supervision of each summary.
fn assemble(dir: &Path, files: &[Known], sides: Vec<Side>) -> Index {
    // Few summaries have a wrap-up: their names are copied.
    let wrapups: HashMap<String, &Known> = files
        .iter()
        .zip(&sides)
        .filter_map(|(k, side)| match &side.kind {
            Kind::Wrapup { summary } => Some((summary.clone(), k)),
            _ => None,
        })
        .collect();
    let mut rows = Vec::with_capacity(files.len());
    let shared_dir: Arc<Path> = Arc::from(dir);
    let mut handins = Vec::new();
    for (known, side) in files.iter().zip(sides) {
        let (entry, sha256) = match &known.what {
            What::Summary { entry, sha256 } => (entry, sha256),
            What::Handin(true) => {
                handins.push(dir.join(known.name.as_str()));
                continue;
            }
            What::Handin(false) | What::Wrapup { .. } => continue,
        };
        let conflict_of = match &side.kind {
            // A summary both plain and encrypted (`encrypt-archive` stopped midway): one
            // row, the plain copy's, which opens without the identity too.
            Kind::Summary if plain_copy_listed(files, &known.name) => continue,
            Kind::Summary => None,
            Kind::Conflict { original } => Some(original.clone()),
            _ => continue,
        };
        let mut review = ReviewInfo::default();
        let fold = &known.fold;
        if conflict_of.is_none() && (fold.records > 0 || fold.unread > 0) {
            review.records = fold.records as usize;
            review.unread_records = fold.unread as usize;
            review.status = fold.status;
            if let Some(signed) = &fold.signed {
                review.signed_by = Some(signed.by.clone());
                review.signed_at = Some(signed.at.clone());
                // A wrap-up that cannot be read counts as none, as in the session view.
                let wrapup = wrapups
                    .get(store::unsealed(&known.name))
                    .and_then(|w| match &w.what {
                        What::Wrapup { sha256 } => sha256.as_ref(),
                        _ => None,
                    });
                review.changed_after_sign_off = fold.changed(sha256.as_ref(), wrapup);
            }
        }
        rows.push(Row {
            dir: Arc::clone(&shared_dir),
            file: known.name.clone(),
            entry: entry.clone().map_err(|why| why.to_string()),
            review,
            conflict_of,
        });
    }
    Index {
        dir: dir.to_owned(),
        rows,
        handins,
        stats: ScanStats::default(),
    }
}

/// Whether `name` is encrypted (`….ron.age`) and its plain copy is in `files` (sorted by
/// name) too.
fn plain_copy_listed(files: &[Known], name: &str) -> bool {
    name.strip_suffix(".age")
        .is_some_and(|plain| files.binary_search_by(|k| k.name.as_str().cmp(plain)).is_ok())
}
