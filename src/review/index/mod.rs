//! The index of a folder of summaries: one [`Row`] per summary (or conflict copy), its list
//! fields or the reason it did not open, and its supervision status from the sidecar
//! records beside it.
//!
//! Files are parsed in parallel, and only the fields the list shows (see
//! [`crate::summary::ListFields`]). What was parsed before is reused only when the file is
//! provably the same: same length, modification and change time and inode, and last
//! modified more than [`RACY_SECS`] before it was read (a file changed twice within the
//! file system's timestamp granularity could otherwise keep its old times). The reuse lives
//! in memory for a browser session and, optionally, on disk in the platform's cache dir
//! (see [`super::cache`]); never beside the summaries.
//!
//! The folder may be synced while it is read: partial and temporary files are skipped
//! ([`names`]), a file that vanishes between the listing and the read is left out, and one
//! that changes is read again on the next scan.

pub mod names;
mod parallel;

use std::collections::{HashMap, HashSet};
use std::fs;
use std::io;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

use super::cache::DiskCache;
use crate::observations;
use crate::summary::{
    ListFields, SeriesInfo, Summary, SummaryError, content_sha256, read_list_fields_with, read_summary_with,
};
use crate::supervision::{self, Record, Status, store};
use crate::vault::Vault;
use names::Kind;
pub use parallel::map_parallel;

/// A file modified less than this long before it was read is parsed again next time.
pub const RACY_SECS: i64 = 2;

/// What the list shows of one summary.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    pub version: u32,
    pub session_id: String,
    pub title: String,
    pub kind: String,
    pub group: String,
    /// `YYYY-MM-DD`, as the summary has it.
    pub date: String,
    /// Local `HH:MM` of the start, empty when the summary has none.
    pub time: String,
    /// The offset of the local times, `+06:00`; empty when the summary has no times.
    pub timezone: String,
    pub series: Option<SeriesInfo>,
    pub facilitators: Vec<String>,
    pub trainees: Vec<String>,
    /// Members who attended at least part of the session.
    pub present: usize,
    /// Members on the roster.
    pub roster: usize,
    pub planned_secs: u64,
    pub actual_secs: u64,
    pub over_under_secs: i64,
    /// Notes tagged risk.
    pub risk: usize,
    /// Notes tagged follow-up.
    pub follow_up: usize,
    /// Notes tagged risk, follow-up or both: each counts once.
    pub flagged_notes: usize,
}

impl Entry {
    pub fn from_summary(s: &Summary) -> Entry {
        Entry {
            version: s.version,
            session_id: s.session_id.clone(),
            title: s.title.clone(),
            kind: s.kind.clone(),
            group: s.group.clone(),
            date: s.date.clone(),
            time: clock_of(s.started.as_deref(), s.ended.as_deref()),
            timezone: offset_of(s.started.as_deref(), s.ended.as_deref()),
            series: s.series.clone(),
            facilitators: s.facilitators.iter().map(|f| f.name.clone()).collect(),
            trainees: s.trainees.clone(),
            present: s.present_count(),
            roster: s.attendance.len(),
            planned_secs: s.planned_secs,
            actual_secs: s.actual_secs,
            over_under_secs: s.over_under_secs,
            risk: s.flags.risk,
            follow_up: s.flags.follow_up,
            flagged_notes: s.notes.iter().filter(|n| n.risk || n.follow_up).count(),
        }
    }

    pub fn from_list_fields(s: ListFields) -> Entry {
        Entry {
            version: s.version,
            time: clock_of(s.started.as_deref(), s.ended.as_deref()),
            timezone: offset_of(s.started.as_deref(), s.ended.as_deref()),
            session_id: s.session_id,
            title: s.title,
            kind: s.kind,
            group: s.group,
            date: s.date,
            series: s.series,
            facilitators: s.facilitators.into_iter().map(|f| f.name).collect(),
            trainees: s.trainees,
            present: s.attendance.iter().filter(|a| a.status.attended()).count(),
            roster: s.attendance.len(),
            planned_secs: s.planned_secs,
            actual_secs: s.actual_secs,
            over_under_secs: s.over_under_secs,
            risk: s.flags.risk,
            follow_up: s.flags.follow_up,
            flagged_notes: s.notes.iter().filter(|n| n.risk || n.follow_up).count(),
        }
    }

    pub fn flagged(&self) -> bool {
        self.risk + self.follow_up > 0
    }

    /// "3 of 8", or empty outside a series.
    pub fn session_label(&self) -> String {
        self.series
            .as_ref()
            .map(|s| format!("{} of {}", s.session, s.of))
            .unwrap_or_default()
    }
}

/// Local `HH:MM` of a summary's start (else its end), from its RFC 3339 text.
pub fn start_time(s: &Summary) -> String {
    clock_of(s.started.as_deref(), s.ended.as_deref())
}

fn clock_of(started: Option<&str>, ended: Option<&str>) -> String {
    started
        .or(ended)
        .and_then(|t| chrono::DateTime::parse_from_rfc3339(t).ok())
        .map(|t| t.format("%H:%M").to_string())
        .unwrap_or_default()
}

fn offset_of(started: Option<&str>, ended: Option<&str>) -> String {
    started
        .or(ended)
        .and_then(|t| chrono::DateTime::parse_from_rfc3339(t).ok())
        .map(|t| t.format("%:z").to_string())
        .unwrap_or_default()
}

/// A summary's supervision as the list shows it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ReviewInfo {
    pub status: Status,
    pub signed_by: Option<String>,
    /// RFC 3339, as recorded.
    pub signed_at: Option<String>,
    /// The summary or its wrap-up differs from what was signed.
    pub changed_after_sign_off: bool,
    /// Records beside the summary (status changes, comments, addenda).
    pub records: usize,
}

/// One summary of the folder: its list fields, or why it did not open.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Row {
    pub path: PathBuf,
    /// The file's name, for display.
    pub file: String,
    /// Shared with the scanner's memory of the file, so a rescan copies no text.
    pub entry: Result<Arc<Entry>, String>,
    pub review: ReviewInfo,
    /// This file is a Syncthing conflict copy of the summary with this file name.
    pub conflict_of: Option<String>,
}

impl Row {
    /// A row of a plain summary, with no supervision yet.
    pub fn new(path: PathBuf, file: String, entry: Result<Entry, String>) -> Row {
        Row {
            path,
            file,
            entry: entry.map(Arc::new),
            review: ReviewInfo::default(),
            conflict_of: None,
        }
    }

    pub fn ok(&self) -> Option<&Entry> {
        self.entry.as_deref().ok()
    }
}

/// A trainee's observations handed in as one file and dropped into the folder.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct Handin {
    pub session_id: Option<String>,
    pub plan_title: String,
    pub date: String,
    pub trainee: String,
}

/// A scanned folder.
#[derive(Clone, Debug, Default)]
pub struct Index {
    pub dir: PathBuf,
    /// Sorted by file name.
    pub rows: Vec<Row>,
    /// Observation files handed in to this folder.
    pub handins: Vec<PathBuf>,
    pub stats: ScanStats,
}

impl Index {
    pub fn errors(&self) -> usize {
        self.rows.iter().filter(|r| r.entry.is_err()).count()
    }
}

/// How a scan went, for the benchmark and `--list --verbose`-style reporting.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ScanStats {
    /// Summaries (and conflict copies) listed.
    pub files: usize,
    /// Files reused from memory or the disk cache (summaries and sidecars).
    pub reused: usize,
    /// Files read and parsed.
    pub parsed: usize,
    pub millis: u128,
}

/// The reason a summary did not open, without the file name (the row shows it).
pub fn reason(error: &SummaryError) -> String {
    if let Some(encrypted) = error.encrypted_reason() {
        return encrypted;
    }
    match error {
        SummaryError::Io { source, .. } => format!("cannot read: {source}"),
        SummaryError::TooLarge { bytes, .. } => {
            format!(
                "{:.1} MB: too large for a summary (at most 16 MB)",
                *bytes as f64 / 1e6
            )
        }
        SummaryError::Empty { .. } => "the file is empty".into(),
        SummaryError::NotText { .. } => "not a summary: the file is not UTF-8 text".into(),
        SummaryError::Parse {
            line, col, message, ..
        } => format!("damaged or not a summary: line {line}, column {col}: {message}"),
        SummaryError::TooNew { found, .. } => {
            format!("written by a newer holdspace (version {found}): update holdspace to open it")
        }
        SummaryError::NoVersion { .. } => "damaged or not a summary: version 0".into(),
    }
}

/// What identifies a file's content without reading it. Times are nanoseconds since the
/// epoch (an `i64` holds them until 2262).
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
pub struct Stamp {
    pub len: u64,
    pub mtime_ns: i64,
    pub ctime_ns: i64,
    pub ino: u64,
}

impl Stamp {
    pub fn of(meta: &fs::Metadata) -> Stamp {
        let ns = |secs: i64, nanos: i64| secs.saturating_mul(1_000_000_000).saturating_add(nanos);
        Stamp {
            len: meta.len(),
            mtime_ns: ns(meta.mtime(), meta.mtime_nsec()),
            ctime_ns: ns(meta.ctime(), meta.ctime_nsec()),
            ino: meta.ino(),
        }
    }
}

/// What a file was found to be when it was read. Nothing here holds a member's name or a
/// note's text: summaries keep the list fields, records lose their text.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub enum Parsed {
    /// A summary's list fields (or why it did not open), and the SHA-256 of its bytes once
    /// a sign-off needed it.
    Summary {
        entry: Result<Arc<Entry>, String>,
        sha256: Option<String>,
    },
    /// A supervision record, without its text (boxed: most files are summaries, and a
    /// record is the largest thing known of a file).
    Record(Result<Box<Record>, String>),
    /// A hand-in of observations.
    Handin(Result<Box<Handin>, String>),
    /// A wrap-up: only its SHA-256 matters here.
    Wrapup { sha256: Option<String> },
}

impl Parsed {
    /// The file did not read as what its name says.
    fn failed(&self) -> bool {
        match self {
            Parsed::Summary { entry, .. } => entry.is_err(),
            Parsed::Record(record) => record.is_err(),
            Parsed::Handin(handin) => handin.is_err(),
            Parsed::Wrapup { .. } => false,
        }
    }
}

/// A parsed file and when it was read.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct Known {
    pub stamp: Stamp,
    /// Nanoseconds since the epoch when the file was read.
    pub read_ns: i64,
    pub parsed: Parsed,
}

impl Known {
    /// Still describes a file with `stamp`: unchanged, and not modified so close to the
    /// read that a second change could hide behind the same timestamps.
    pub fn fresh_for(&self, stamp: &Stamp) -> bool {
        self.stamp == *stamp && self.stamp.mtime_ns < self.read_ns.saturating_sub(RACY_SECS * 1_000_000_000)
    }
}

pub fn now_ns() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_nanos()).unwrap_or(i64::MAX))
}

/// Scans one folder again and again, reusing what has not changed.
pub struct Scanner {
    dir: PathBuf,
    known: HashMap<String, Known>,
    disk: Option<DiskCache>,
    /// Worker threads for parsing.
    threads: usize,
    /// Opens encrypted files (`….ron.age`); what is decrypted never reaches the cache
    /// beyond the list fields.
    vault: Vault,
}

/// One file of the folder to be looked at.
struct Listed {
    name: String,
    kind: Kind,
    /// Its entry in the folder, to stat it without looking its path up again.
    item: Option<fs::DirEntry>,
}

impl Scanner {
    /// A scanner of `dir`; with `disk`, what earlier runs parsed is reused (and kept).
    pub fn new(dir: &Path, disk: Option<DiskCache>) -> Scanner {
        let known = disk.as_ref().map(DiskCache::load).unwrap_or_default();
        Scanner {
            dir: dir.to_owned(),
            known,
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
        let listed = self.list()?;

        // Reuse what is known and unchanged; read the rest in parallel.
        let mut fresh: HashMap<String, Known> = HashMap::with_capacity(listed.len());
        let mut todo = Vec::new();
        let mut present = Vec::with_capacity(listed.len());
        let mut reused = 0;
        let mut changed: Vec<String> = Vec::new();
        for mut item in listed {
            let path = self.dir.join(&item.name);
            // A record is never changed once written (a new action is a new file): one
            // known by its name is known, with no need to look at the file.
            if matches!(item.kind, Kind::Record { .. })
                && self.known.get(&item.name).is_some_and(|k| k.read_ns != 0)
                && let Some(known) = self.known.remove(&item.name)
            {
                fresh.insert(item.name.clone(), known);
                reused += 1;
                item.item = None;
                present.push(item);
                continue;
            }
            let meta = match item
                .item
                .take()
                .map_or_else(|| fs::metadata(&path), |e| e.metadata())
            {
                // A link is followed to what it points at.
                Ok(meta) if meta.file_type().is_symlink() => match fs::metadata(&path) {
                    Ok(meta) if meta.is_dir() => continue,
                    Ok(meta) => meta,
                    Err(error) => {
                        fresh.insert(item.name.clone(), unreadable(&error));
                        present.push(item);
                        continue;
                    }
                },
                Ok(meta) if meta.is_dir() => continue,
                Ok(meta) => meta,
                // Vanished since the listing (a sync removed it): simply not there.
                Err(error) if error.kind() == io::ErrorKind::NotFound && !is_symlink(&path) => continue,
                Err(error) => {
                    fresh.insert(item.name.clone(), unreadable(&error));
                    present.push(item);
                    continue;
                }
            };
            let stamp = Stamp::of(&meta);
            match self.known.remove(&item.name) {
                Some(known) if known.fresh_for(&stamp) => {
                    fresh.insert(item.name.clone(), known);
                    reused += 1;
                }
                _ => todo.push((item.name.clone(), path, item.kind.clone(), stamp)),
            }
            present.push(item);
        }
        let parsed = todo.len();
        let dropped = !self.known.is_empty();
        let read_ns = now_ns();
        for (name, stamp, parsed) in map_parallel(todo, self.threads, |file| read_one(file, &self.vault)) {
            changed.push(name.clone());
            // An encrypted file that did not open may open next time (with the identity
            // given, say): read at "0", never fresh, so it is read again.
            let read_ns = if name.ends_with(".age") && parsed.failed() {
                0
            } else {
                read_ns
            };
            fresh.insert(
                name,
                Known {
                    stamp,
                    read_ns,
                    parsed,
                },
            );
        }
        self.known = fresh;

        let index = self.assemble(present, &mut changed);
        if let Some(disk) = &self.disk
            && (!changed.is_empty() || dropped)
        {
            // A cache that cannot be written only costs speed next time.
            let _ = disk.store(&self.known, &changed);
        }
        Ok(Index {
            stats: ScanStats {
                files: index.rows.len(),
                reused,
                parsed,
                millis: started.elapsed().as_millis(),
            },
            ..index
        })
    }

    /// The folder's files the review cares about, sorted by name.
    fn list(&self) -> io::Result<Vec<Listed>> {
        let mut listed = Vec::new();
        for item in fs::read_dir(&self.dir)? {
            // An entry that vanished while the folder was read is not an error.
            let Ok(item) = item else { continue };
            let name = item.file_name();
            let name = match name.to_str() {
                Some(name) => name.to_owned(),
                // A name that is not UTF-8 still gets its row, under a lossy name.
                None => name.to_string_lossy().into_owned(),
            };
            let kind = names::classify(&name);
            if kind != Kind::Ignored {
                listed.push(Listed {
                    name,
                    kind,
                    item: Some(item),
                });
            }
        }
        listed.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(listed)
    }

    /// Rows from what is known of each file: sidecars folded into their summary's status,
    /// hashes taken where a sign-off needs them (and remembered in `changed`).
    fn assemble(&mut self, present: Vec<Listed>, changed: &mut Vec<String>) -> Index {
        let mut records: HashMap<&str, Vec<&Record>> = HashMap::new();
        let listed: HashSet<&str> = present.iter().map(|item| item.name.as_str()).collect();
        let mut wrapups: HashMap<&str, &str> = HashMap::new();
        let mut handins = Vec::new();
        for item in &present {
            match (&item.kind, self.known.get(&item.name).map(|k| &k.parsed)) {
                (Kind::Record { summary }, Some(Parsed::Record(Ok(record)))) => {
                    records.entry(summary).or_default().push(record);
                }
                (Kind::Wrapup { summary }, _) => {
                    wrapups.insert(summary, &item.name);
                }
                (_, Some(Parsed::Handin(Ok(_)))) => handins.push(self.dir.join(&item.name)),
                _ => {}
            }
        }
        let mut rows = Vec::new();
        let mut hashes: Vec<(String, Option<String>)> = Vec::new();
        for item in &present {
            let conflict_of = match &item.kind {
                // A summary both plain and encrypted (`encrypt-archive` stopped midway): one
                // row, the plain copy's, which opens without the identity too.
                Kind::Summary if item.name.strip_suffix(".age").is_some_and(|p| listed.contains(p)) => {
                    continue;
                }
                Kind::Summary => None,
                Kind::Conflict { original } => Some(original.clone()),
                _ => continue,
            };
            let Some(Parsed::Summary { entry, sha256 }) = self.known.get(&item.name).map(|k| &k.parsed)
            else {
                continue;
            };
            let mut review = ReviewInfo::default();
            // Sidecars name the summary by its plain name.
            let plain_name = store::unsealed(&item.name);
            if conflict_of.is_none()
                && let Some(mut records) = records.remove(plain_name)
            {
                review.records = records.len();
                supervision::sort(&mut records);
                let (status, signed) = supervision::status_of(records.iter().copied());
                review.status = status;
                if let Some(signed) = &signed {
                    review.signed_by = Some(signed.by.clone());
                    review.signed_at = Some(signed.at.clone());
                    let summary_sha = sha256
                        .clone()
                        .or_else(|| content_sha256(&self.dir.join(&item.name), &self.vault).ok());
                    if sha256.is_none() {
                        hashes.push((item.name.clone(), summary_sha.clone()));
                    }
                    let wrapup_sha = wrapups.get(plain_name).and_then(|w| match self.known.get(*w) {
                        Some(Known {
                            parsed: Parsed::Wrapup { sha256: Some(h) },
                            ..
                        }) => Some(h.clone()),
                        _ => {
                            let h = content_sha256(&self.dir.join(w), &self.vault).ok();
                            hashes.push(((*w).to_owned(), h.clone()));
                            h
                        }
                    });
                    review.changed_after_sign_off =
                        signed.changed(summary_sha.as_deref(), wrapup_sha.as_deref());
                }
            }
            rows.push(Row {
                path: self.dir.join(&item.name),
                file: item.name.clone(),
                entry: entry.clone(),
                review,
                conflict_of,
            });
        }
        // Remember the hashes taken, so the next scan need not read those files again.
        for (name, hash) in hashes {
            if let Some(known) = self.known.get_mut(&name) {
                match &mut known.parsed {
                    Parsed::Summary { sha256, .. } | Parsed::Wrapup { sha256 } => *sha256 = hash,
                    _ => continue,
                }
                changed.push(name);
            }
        }
        Index {
            dir: self.dir.clone(),
            rows,
            handins,
            stats: ScanStats::default(),
        }
    }
}

fn is_symlink(path: &Path) -> bool {
    fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink())
}

/// What is known of a file that cannot be looked at: a row saying why.
fn unreadable(error: &io::Error) -> Known {
    Known {
        stamp: Stamp {
            len: 0,
            mtime_ns: 0,
            ctime_ns: 0,
            ino: 0,
        },
        read_ns: 0,
        parsed: Parsed::Summary {
            entry: Err(format!("cannot read: {error}")),
            sha256: None,
        },
    }
}

/// Reads one file as what its name says it is, opening it with `vault` when encrypted.
fn read_one(
    (name, path, kind, stamp): (String, PathBuf, Kind, Stamp),
    vault: &Vault,
) -> (String, Stamp, Parsed) {
    let parsed = match kind {
        Kind::Summary | Kind::Conflict { .. } => match read_list_fields_with(&path, vault) {
            Ok(fields) => Parsed::Summary {
                entry: Ok(Arc::new(Entry::from_list_fields(fields))),
                sha256: None,
            },
            // A hand-in saved under a summary's kind of name is still a hand-in.
            Err(error) => match read_handin(&path, vault) {
                Ok(handin) if kind == Kind::Summary => Parsed::Handin(Ok(Box::new(handin))),
                _ => Parsed::Summary {
                    entry: Err(reason(&error)),
                    sha256: None,
                },
            },
        },
        Kind::Record { .. } => Parsed::Record(store::read(&path, vault).map(|mut record| {
            // The text of a comment stays in its file; the summary is known by the name.
            record.text = String::new();
            record.summary = String::new();
            record.session_id = String::new();
            Box::new(record)
        })),
        Kind::Handin => Parsed::Handin(read_handin(&path, vault).map(Box::new)),
        Kind::Wrapup { .. } | Kind::Ignored => Parsed::Wrapup { sha256: None },
    };
    (name, stamp, parsed)
}

fn read_handin(path: &Path, vault: &Vault) -> Result<Handin, String> {
    let obs = observations::read(path, vault)?;
    Ok(Handin {
        session_id: obs.session_id,
        plan_title: obs.plan_title,
        date: obs.date,
        trainee: obs.trainee,
    })
}

/// Reads whole summaries in parallel, in the order given, opening encrypted ones with `vault`.
pub fn load_all(paths: Vec<PathBuf>, vault: &Vault) -> Vec<(PathBuf, Result<Summary, String>)> {
    let threads = std::thread::available_parallelism().map_or(2, |n| n.get().min(8));
    map_parallel(paths, threads, |path| {
        let summary = read_summary_with(&path, vault).map_err(|e| reason(&e));
        (path, summary)
    })
}
