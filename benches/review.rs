//! How fast the review lists a folder of 10,000 summaries: cold (nothing cached, every
//! file read and parsed), warm (a new scanner that finds the disk cache, as a second
//! `holdspace review --list` does), a rescan in memory (the browser after a change), and
//! sorting and filtering the list.
//!
//! `cargo bench --bench review`. The archive is generated on first use by
//! `scripts/gen-archive.py` (python3) into the build's temporary directory and kept there;
//! it is never committed. For whole-process figures see the note in
//! `src/review/mod.rs` or run, after `cargo build --release`:
//!
//! ```text
//! python3 scripts/gen-archive.py /tmp/a10k 10000
//! time target/release/holdspace review --list --no-cache /tmp/a10k > /dev/null   # cold
//! target/release/holdspace review --list /tmp/a10k > /dev/null                   # fills the cache
//! time target/release/holdspace review --list /tmp/a10k > /dev/null              # warm
//! ```

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use holdspace::review::cache::DiskCache;
use holdspace::review::filter::{self, Column, Filter, Sort};
use holdspace::review::index::Scanner;

const SUMMARIES: usize = 10_000;

/// The archive, generated if it is not there yet.
fn archive() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("review-archive-{SUMMARIES}"));
    let complete = std::fs::read_dir(&dir).map(|d| d.count()).unwrap_or(0) >= SUMMARIES;
    if complete {
        return Some(dir);
    }
    let _ = std::fs::remove_dir_all(&dir);
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/gen-archive.py");
    let status = Command::new("python3")
        .arg(&script)
        .arg(&dir)
        .arg(SUMMARIES.to_string())
        .status();
    match status {
        Ok(s) if s.success() => {
            // Files younger than the cache's safety margin are never trusted from it.
            std::thread::sleep(Duration::from_secs(3));
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

fn listing(c: &mut Criterion) {
    let Some(dir) = archive() else { return };
    let cache_root = match tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR")) {
        Ok(root) => root,
        Err(error) => {
            eprintln!("no temporary cache dir: {error}");
            return;
        }
    };
    let cache = DiskCache::in_dir(cache_root.path(), &dir);
    let mut group = c.benchmark_group("review 10k summaries");
    group.sample_size(10);
    group.bench_function("cold scan (no cache: read and parse all)", |b| {
        b.iter(|| black_box(Scanner::new(&dir, None).scan().map(|i| i.rows.len())))
    });
    // Fill the cache once; every warm run then starts from a new scanner, as a new process.
    let _ = Scanner::new(&dir, Some(cache.clone())).scan();
    group.bench_function("warm scan (new scanner, disk cache)", |b| {
        b.iter(|| {
            black_box(
                Scanner::new(&dir, Some(cache.clone()))
                    .scan()
                    .map(|i| i.stats.reused),
            )
        })
    });
    let mut scanner = Scanner::new(&dir, None);
    let index = scanner.scan().ok();
    group.bench_function("rescan in memory (browser after a change)", |b| {
        b.iter(|| black_box(scanner.scan().map(|i| i.stats.reused)))
    });
    if let Some(index) = index {
        let query = Filter::parse("anxiety from:2021 flags");
        group.bench_function("filter and sort the list", |b| {
            b.iter(|| {
                black_box(filter::apply(
                    &index.rows,
                    &query,
                    Sort {
                        column: Column::Group,
                        descending: false,
                    },
                ))
            })
        });
    }
    group.finish();
}

criterion_group!(benches, listing);
criterion_main!(benches);
