//! How fast the review is over a large archive: listing it (no index, a new process with
//! the index, a rescan in memory), and every key of the browser that touches the whole
//! list — a filter keystroke, a sort, opening the flags, a group's series and a session — reported as
//! the median and the 99th percentile over many presses.
//!
//! `cargo bench --bench review` uses 10,000 summaries; `REVIEW_SUMMARIES=100000 cargo bench
//! --bench review` the clinic-sized archive of issue 16 (scripts/bench.sh review does). The
//! archive is generated on first use by `scripts/gen-archive.py` (python3, with supervision
//! records, conflict copies and partial files) into the build's temporary directory and
//! kept there; it is never committed. Whole-process figures (cold page cache, peak memory)
//! come from scripts/bench.sh.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use holdspace::review::app::effects::{self, Files};
use holdspace::review::browser::Browser;
use holdspace::review::cache::DiskCache;
use holdspace::review::filter::{Filter, Sort};
use holdspace::review::index::Scanner;

fn summaries() -> usize {
    std::env::var("REVIEW_SUMMARIES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(10_000)
}

/// The archive, generated if it is not there yet.
fn archive(n: usize) -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("review-archive-{n}-v2"));
    let done = dir.join(".complete");
    if done.is_file() {
        return Some(dir);
    }
    let _ = std::fs::remove_dir_all(&dir);
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/gen-archive.py");
    let status = Command::new("python3")
        .arg(&script)
        .arg(&dir)
        .arg(n.to_string())
        .args(["--supervision", "--conflicts", "20", "--partial", "10"])
        .status();
    match status {
        Ok(s) if s.success() => {
            // Files younger than the index's safety margin are never trusted from it.
            std::thread::sleep(Duration::from_secs(3));
            let _ = std::fs::write(&done, "");
            Some(dir)
        }
        _ => {
            eprintln!(
                "could not generate the archive with {} (is python3 installed?)",
                script.display()
            );
            None
        }
    }
}

/// Runs `f` `times` times and prints the median and the 99th percentile.
fn measure(label: &str, times: usize, mut f: impl FnMut()) {
    let mut took: Vec<Duration> = (0..times)
        .map(|_| {
            let started = Instant::now();
            f();
            started.elapsed()
        })
        .collect();
    took.sort();
    let at = |q: f64| {
        took.get(((took.len() as f64 - 1.0) * q).round() as usize)
            .copied()
            .unwrap_or_default()
    };
    println!(
        "review {label}: median {:.1} ms, p99 {:.1} ms ({times} runs)",
        at(0.5).as_secs_f64() * 1e3,
        at(0.99).as_secs_f64() * 1e3
    );
}

fn key(code: KeyCode) -> KeyEvent {
    KeyEvent::new(code, KeyModifiers::NONE)
}

fn main() {
    let n = summaries();
    let Some(dir) = archive(n) else { return };
    let cache_root = match tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR")) {
        Ok(root) => root,
        Err(error) => {
            eprintln!("no temporary cache dir: {error}");
            return;
        }
    };
    let cache = DiskCache::in_dir(cache_root.path(), &dir);
    let runs = if n > 20_000 { 5 } else { 10 };
    measure(&format!("{n}: scan, no index (read and parse all)"), runs, || {
        let _ = Scanner::new(&dir, None).scan();
    });
    let _ = Scanner::new(&dir, Some(cache.clone())).scan();
    measure(&format!("{n}: scan with the index (a new process)"), runs, || {
        let _ = Scanner::new(&dir, Some(cache.clone())).scan();
    });
    let mut scanner = Scanner::new(&dir, None);
    let Ok(index) = scanner.scan() else { return };
    measure(
        &format!("{n}: rescan in memory (the browser after a change)"),
        runs,
        || {
            let _ = scanner.scan();
        },
    );

    let mut b = Browser::new(index, Filter::default(), Sort::default());
    b.resize((120, 40));
    let files = Files::default();
    // As the browser does when it starts: sessions then find their records without a listing.
    files.beside.list_in_background(&dir);
    let presses = 200;
    // A filter keystroke: type one letter of a query, then take it back.
    effects::key(&mut b, key(KeyCode::Char('/')), &files);
    let mut typed = false;
    measure(&format!("{n}: filter keystroke"), presses, || {
        let code = if typed {
            KeyCode::Backspace
        } else {
            KeyCode::Char('a')
        };
        typed = !typed;
        effects::key(&mut b, key(code), &files);
    });
    effects::key(&mut b, key(KeyCode::Esc), &files);
    measure(&format!("{n}: sort by the next column"), presses, || {
        effects::key(&mut b, key(KeyCode::Char('s')), &files);
    });
    measure(
        &format!("{n}: open the flags (and read the first page)"),
        50,
        || {
            effects::key(&mut b, key(KeyCode::Char('F')), &files);
            effects::key(&mut b, key(KeyCode::Esc), &files);
        },
    );
    measure(&format!("{n}: open the group's series"), 50, || {
        effects::key(&mut b, key(KeyCode::Down), &files);
        effects::key(&mut b, key(KeyCode::Char('g')), &files);
        effects::key(&mut b, key(KeyCode::Esc), &files);
    });
    measure(&format!("{n}: open a session"), 50, || {
        effects::key(&mut b, key(KeyCode::Down), &files);
        effects::key(&mut b, key(KeyCode::Enter), &files);
        effects::key(&mut b, key(KeyCode::Esc), &files);
    });
}
