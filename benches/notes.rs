//! How long the wrap-up's documents take: every note of a 15-member session with 300 notes
//! (each name looked up and rewritten), and finding what carries forward in a folder of
//! 10,000 summaries (the console does it when a session starts).
//!
//! `cargo bench --bench notes`. The folder is generated on first use into the build's
//! temporary directory and kept there; it is never committed.

use std::hint::black_box;
use std::path::{Path, PathBuf};

use criterion::{Criterion, criterion_group, criterion_main};
use holdspace::notes::render::render_all;
use holdspace::notes::{MemberNote, QuotedNote, SeriesKey, Template, WrapUp, carried_forward};
use holdspace::summary::{Presence, parse_summary, to_ron};
use holdspace::vault::Vault;

const V1: &str = include_str!("../tests/fixtures/summary-v1.ron");
const NAMES: [&str; 15] = [
    "Farhana Akter",
    "Rafiq Islam",
    "Joy Das",
    "Tanvir",
    "Shirin",
    "Arif Hossain",
    "Lipi",
    "Kamal",
    "Zoë Brennan",
    "Mary-Jane O'Neil",
    "Dev Patel",
    "Sam Lee",
    "Ngozi Okafor",
    "Søren",
    "Will Turner",
];
const SUMMARIES: usize = 10_000;

/// 15 members present, 20 notes each, every note naming two other members.
fn wrapup() -> WrapUp {
    let summary = parse_summary(V1).expect("the fixture parses");
    let mut wrapup = WrapUp::from_summary(&summary, Template::Dap);
    wrapup.members = NAMES
        .iter()
        .enumerate()
        .map(|(i, name)| MemberNote {
            name: (*name).to_owned(),
            attendance: Presence::Present,
            notes: (0..20)
                .map(|n| QuotedNote {
                    at: format!("18:{n:02}:00"),
                    tags: vec!["insight".into()],
                    text: format!(
                        "Said {}'s story helped; later spoke with {} about development at work",
                        NAMES[(i + 1) % 15],
                        NAMES[(i + n + 2) % 15]
                    ),
                })
                .collect(),
            ..MemberNote::default()
        })
        .collect();
    wrapup
}

/// A folder of summaries of 50 groups' series, generated once.
fn archive() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("notes-archive-{SUMMARIES}"));
    if std::fs::read_dir(&dir).map(|d| d.count()).unwrap_or(0) >= SUMMARIES {
        return Some(dir);
    }
    std::fs::create_dir_all(&dir).ok()?;
    let template = parse_summary(V1).ok()?;
    for n in 0..SUMMARIES {
        let mut summary = template.clone();
        summary.session_id = format!("gen-{n}");
        summary.group = format!("Group {}", n % 50);
        if let Some(series) = &mut summary.series {
            series.name = summary.group.clone();
            series.session = (n / 50) as u32 + 1;
        }
        std::fs::write(dir.join(format!("{n:05}.ron")), to_ron(&summary)).ok()?;
    }
    Some(dir)
}

fn notes(c: &mut Criterion) {
    let wrapup = wrapup();
    let mut group = c.benchmark_group("notes");
    group.bench_function("render all: 15 members, 300 notes", |b| {
        b.iter(|| black_box(render_all(&wrapup, Template::Soap)))
    });
    if let Some(dir) = archive() {
        group.sample_size(10);
        let key = SeriesKey {
            group: "Group 7",
            series: "Group 7",
            session: 150,
        };
        group.bench_function("carried forward: 10k summaries", |b| {
            b.iter(|| {
                black_box(
                    carried_forward(&dir, &Vault::plain(), key)
                        .carried
                        .map(|c| c.from_session),
                )
            })
        });
    }
    group.finish();
}

criterion_group!(benches, notes);
criterion_main!(benches);
