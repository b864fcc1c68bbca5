//! How long the "saved" mark waits: one event appended to a journal and fsynced.
//!
//! `cargo bench --bench journal`. The journal lives in a temporary directory beside the
//! build (`CARGO_TARGET_TMPDIR`), so on the same disk as a real data dir would usually be.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use holdspace::journal::Journal;
use holdspace::plan::{BUILTIN_PLAN, BUILTIN_ROSTER, Plan, Roster};
use holdspace::session::{About, Event, Note, Tag};

fn append_and_fsync(c: &mut Criterion) {
    let setup = || -> Result<(tempfile::TempDir, Journal), Box<dyn std::error::Error>> {
        let dir = tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR"))?;
        let mut journal = Journal::create(dir.path(), "bench", 0)?;
        let plan: Plan = ron::from_str(BUILTIN_PLAN)?;
        let roster: Roster = ron::from_str(BUILTIN_ROSTER)?;
        journal.append(&[Event::Started {
            at: 0,
            plan,
            roster,
            seed: 1,
        }])?;
        Ok((dir, journal))
    };
    let (_dir, mut journal) = match setup() {
        Ok(ready) => ready,
        Err(error) => {
            eprintln!("could not set up the journal benchmark: {error}");
            return;
        }
    };
    let mut at = 0;
    let mut failures = 0_u64;
    c.bench_function("journal append+fsync of one note", |b| {
        b.iter(|| {
            at += 1;
            let note = Note::new(at, About::Member(2), vec![Tag::FollowUp], "slept badly");
            if journal
                .append(black_box(&[Event::NoteAdded { at, note }]))
                .is_err()
            {
                failures += 1;
            }
        });
    });
    if failures > 0 {
        eprintln!("{failures} appends failed during the benchmark");
    }
}

criterion_group!(benches, append_and_fsync);
criterion_main!(benches);
