//! The index of a folder of summaries: one [`Row`] per `*.ron` file, a summary's list
//! fields or the reason it did not open.
//!
//! Files are parsed in parallel. What was parsed before is reused only when the file is
//! provably the same: same length, modification and change time and inode, and last
//! modified more than [`RACY_SECS`] before it was read (a file changed twice within the
//! file system's timestamp granularity could otherwise keep its old times). The reuse lives
//! in memory for a browser session and, optionally, on disk in the platform's cache dir
//! (see [`super::cache`]); never beside the summaries.

use std::collections::HashMap;
use std::fs;
use std::io;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

use super::cache::DiskCache;
use crate::summary::{SeriesInfo, Summary, SummaryError, read_summary};

/// A file modified less than this long before it was read is parsed again next time.
pub const RACY_SECS: i128 = 2;

/// What the list shows of one summary.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    pub version: u32,
    pub title: String,
    pub kind: String,
    pub group: String,
    /// `YYYY-MM-DD`, as the summary has it.
    pub date: String,
    /// Local `HH:MM` of the start, empty when the summary has none.
    pub time: String,
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
    pub risk: usize,
    pub follow_up: usize,
}

impl Entry {
    pub fn from_summary(s: &Summary) -> Entry {
        Entry {
            version: s.version,
            title: s.title.clone(),
            kind: s.kind.clone(),
            group: s.group.clone(),
            date: s.date.clone(),
            time: start_time(s),
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
    s.started
        .as_deref()
        .or(s.ended.as_deref())
        .and_then(|t| chrono::DateTime::parse_from_rfc3339(t).ok())
        .map(|t| t.format("%H:%M").to_string())
        .unwrap_or_default()
}

/// One file of the folder: a summary's list fields, or why it did not open.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Row {
    pub path: PathBuf,
    /// The file's name, for display.
    pub file: String,
    pub entry: Result<Entry, String>,
}

impl Row {
    pub fn ok(&self) -> Option<&Entry> {
        self.entry.as_ref().ok()
    }
}

/// A scanned folder.
#[derive(Clone, Debug, Default)]
pub struct Index {
    pub dir: PathBuf,
    /// Sorted by file name.
    pub rows: Vec<Row>,
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
    pub files: usize,
    /// Reused from memory or the disk cache.
    pub reused: usize,
    /// Read and parsed.
    pub parsed: usize,
    pub millis: u128,
}

/// The reason a summary did not open, without the file name (the row shows it).
pub fn reason(error: &SummaryError) -> String {
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

/// What identifies a file's content without reading it.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
pub struct Stamp {
    pub len: u64,
    pub mtime_ns: i128,
    pub ctime_ns: i128,
    pub ino: u64,
}

impl Stamp {
    pub fn of(meta: &fs::Metadata) -> Stamp {
        Stamp {
            len: meta.len(),
            mtime_ns: i128::from(meta.mtime()) * 1_000_000_000 + i128::from(meta.mtime_nsec()),
            ctime_ns: i128::from(meta.ctime()) * 1_000_000_000 + i128::from(meta.ctime_nsec()),
            ino: meta.ino(),
        }
    }
}

/// A parsed file and when it was read.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct Known {
    pub stamp: Stamp,
    /// Nanoseconds since the epoch when the file was read.
    pub read_ns: i128,
    pub entry: Result<Entry, String>,
}

impl Known {
    /// Still describes a file with `stamp`: unchanged, and not modified so close to the
    /// read that a second change could hide behind the same timestamps.
    pub fn fresh_for(&self, stamp: &Stamp) -> bool {
        self.stamp == *stamp && self.stamp.mtime_ns < self.read_ns - RACY_SECS * 1_000_000_000
    }
}

pub fn now_ns() -> i128 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos() as i128)
}

/// Scans one folder again and again, reusing what has not changed.
pub struct Scanner {
    dir: PathBuf,
    known: HashMap<String, Known>,
    disk: Option<DiskCache>,
    /// Worker threads for parsing.
    threads: usize,
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
        }
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Every `*.ron` file in the folder (not its subfolders), as rows sorted by name.
    pub fn scan(&mut self) -> io::Result<Index> {
        let started = Instant::now();
        let mut names = Vec::new();
        for item in fs::read_dir(&self.dir)? {
            let item = item?;
            let name = item.file_name();
            let Some(name) = name.to_str() else {
                // A name that is not UTF-8 still gets its row, under a lossy name.
                let lossy = name.to_string_lossy().into_owned();
                if lossy.ends_with(".ron") {
                    names.push((lossy, item.path()));
                }
                continue;
            };
            if name.ends_with(".ron") && !name.starts_with('.') {
                names.push((name.to_owned(), item.path()));
            }
        }
        names.sort();

        let mut rows: Vec<Option<Row>> = Vec::with_capacity(names.len());
        let mut todo = Vec::new();
        let mut fresh = HashMap::with_capacity(names.len());
        let mut reused = 0;
        for (name, path) in names {
            let meta = match fs::metadata(&path) {
                Ok(meta) if meta.is_dir() => continue,
                Ok(meta) => meta,
                Err(error) => {
                    rows.push(Some(Row {
                        path,
                        file: name,
                        entry: Err(format!("cannot read: {error}")),
                    }));
                    continue;
                }
            };
            let stamp = Stamp::of(&meta);
            match self.known.remove(&name) {
                Some(known) if known.fresh_for(&stamp) => {
                    rows.push(Some(Row {
                        path,
                        file: name.clone(),
                        entry: known.entry.clone(),
                    }));
                    fresh.insert(name, known);
                    reused += 1;
                }
                _ => {
                    todo.push((rows.len(), name, path, stamp));
                    rows.push(None);
                }
            }
        }
        let parsed = todo.len();
        let dropped = !self.known.is_empty();
        let read_ns = now_ns();
        for (slot, name, path, stamp, entry) in parse_parallel(todo, self.threads) {
            fresh.insert(
                name.clone(),
                Known {
                    stamp,
                    read_ns,
                    entry: entry.clone(),
                },
            );
            if let Some(row) = rows.get_mut(slot) {
                *row = Some(Row {
                    path,
                    file: name,
                    entry,
                });
            }
        }
        self.known = fresh;
        if let Some(disk) = &self.disk
            && (parsed > 0 || dropped)
        {
            // A cache that cannot be written only costs speed next time.
            let _ = disk.store(&self.known);
        }
        let rows: Vec<Row> = rows.into_iter().flatten().collect();
        Ok(Index {
            dir: self.dir.clone(),
            stats: ScanStats {
                files: rows.len(),
                reused,
                parsed,
                millis: started.elapsed().as_millis(),
            },
            rows,
        })
    }
}

type Job = (usize, String, PathBuf, Stamp);
type Done = (usize, String, PathBuf, Stamp, Result<Entry, String>);

fn parse_parallel(todo: Vec<Job>, threads: usize) -> Vec<Done> {
    map_parallel(todo, threads, |(slot, name, path, stamp)| {
        let entry = read_summary(&path)
            .map(|s| Entry::from_summary(&s))
            .map_err(|e| reason(&e));
        (slot, name, path, stamp, entry)
    })
}

/// Reads whole summaries in parallel, in the order given.
pub fn load_all(paths: Vec<PathBuf>) -> Vec<(PathBuf, Result<Summary, String>)> {
    let threads = std::thread::available_parallelism().map_or(2, |n| n.get().min(8));
    map_parallel(paths, threads, |path| {
        let summary = read_summary(&path).map_err(|e| reason(&e));
        (path, summary)
    })
}

/// `f` over `items` on up to `threads` threads, results in the order of `items`.
fn map_parallel<T: Send, R: Send>(items: Vec<T>, threads: usize, f: impl Fn(T) -> R + Sync) -> Vec<R> {
    if items.len() < 16 || threads < 2 {
        return items.into_iter().map(f).collect();
    }
    let count = items.len();
    let items: Vec<Mutex<Option<T>>> = items.into_iter().map(|t| Mutex::new(Some(t))).collect();
    let next = AtomicUsize::new(0);
    let mut results: Vec<(usize, R)> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads.min(count))
            .map(|_| {
                scope.spawn(|| {
                    let mut done = Vec::new();
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some(cell) = items.get(i) else { break };
                        let item = cell.lock().ok().and_then(|mut c| c.take());
                        if let Some(item) = item {
                            done.push((i, f(item)));
                        }
                    }
                    done
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|w| w.join().unwrap_or_default())
            .collect()
    });
    results.sort_by_key(|(i, _)| *i);
    results.into_iter().map(|(_, r)| r).collect()
}
