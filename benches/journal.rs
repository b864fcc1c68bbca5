//! How long the "saved" mark waits: one event appended to a journal and fsynced, plain and
//! sealed (encrypted, see `holdspace::vault`).
//!
//! `cargo bench --bench journal`. The journals live in a temporary directory beside the
//! build (`CARGO_TARGET_TMPDIR`), so on the same disk as a real data dir would usually be.
//! The p99 of both is printed by
//! `cargo test --release --lib journal::tests::append_latency -- --ignored --nocapture`.

use std::hint::black_box;
use std::sync::Arc;

use criterion::{Criterion, criterion_group, criterion_main};
use holdspace::config::Encryption;
use holdspace::journal::Journal;
use holdspace::plan::{BUILTIN_PLAN, BUILTIN_ROSTER, Plan, Roster};
use holdspace::session::{About, Event, Note, Tag};
use holdspace::vault::{NoPassphrase, Vault, keys};

type Setup = Result<(tempfile::TempDir, Journal), Box<dyn std::error::Error>>;

/// A journal holding the session's start, sealed when `sealed`.
fn journal(sealed: bool) -> Setup {
    let dir = tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR"))?;
    let vault = if sealed {
        let identity = dir.path().join("identity.txt");
        keys::write_new_identity(&identity, None, "bench")?;
        let encryption = Encryption {
            identity: Some(identity),
            ..Encryption::default()
        };
        Vault::from_config(Some(&encryption), Arc::new(NoPassphrase))?
    } else {
        Vault::plain()
    };
    let mut journal = Journal::create_with(dir.path(), "bench", 0, &vault)?;
    let plan: Plan = ron::from_str(BUILTIN_PLAN)?;
    let roster: Roster = ron::from_str(BUILTIN_ROSTER)?;
    journal.append(&[Event::Started {
        at: 0,
        plan,
        roster,
        seed: 1,
    }])?;
    Ok((dir, journal))
}

fn append_and_fsync(c: &mut Criterion) {
    for (name, sealed) in [
        ("journal append+fsync of one note", false),
        ("journal append+fsync of one note, sealed", true),
    ] {
        let (_dir, mut journal) = match journal(sealed) {
            Ok(ready) => ready,
            Err(error) => {
                eprintln!("could not set up the journal benchmark: {error}");
                return;
            }
        };
        let mut at = 0;
        let mut failures = 0_u64;
        c.bench_function(name, |b| {
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
}

criterion_group!(benches, append_and_fsync);
criterion_main!(benches);
