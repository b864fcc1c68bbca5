//! The review's index of a folder: damaged files, older formats, and a cache that is fast
//! and never stale.

use std::fs::{self, File, FileTimes};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use holdspace::review::cache::DiskCache;
use holdspace::review::index::{Index, Row, Scanner};
use holdspace::summary::{Summary, parse_summary, to_ron};

const V1: &str = include_str!("fixtures/summary-v1.ron");

/// A version-1 summary with only the fields version 1 required: no series, no start or
/// end, no `at` on attendance.
const V1_MINIMAL: &str = r#"Summary(
    version: 1,
    session_id: "s",
    title: "Minimal",
    kind: "Support",
    group: "Minimal group",
    date: "2024-11-02",
    planned_secs: 3600,
    actual_secs: 3000,
    over_under_secs: -600,
    paused_secs: 0,
    facilitators: [],
    trainees: [],
    attendance: [(name: "A", status: Present), (name: "B", status: Absent)],
    segments: [],
    turns: [],
    airtime: [],
    never_spoke: [],
    notes: [],
    rebalances: [],
    downtimes: [],
    plan_reloads: 0,
    flags: (risk: 0, follow_up: 0),
)
"#;

fn base() -> Summary {
    parse_summary(V1).expect("the fixture parses")
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.join(name);
    fs::write(&path, bytes).expect("writable temp dir");
    path
}

/// Sets a file's modification time an hour back, as for a summary saved long ago.
fn age(path: &Path) {
    let old = SystemTime::now() - Duration::from_secs(3600);
    File::options()
        .write(true)
        .open(path)
        .and_then(|f| f.set_times(FileTimes::new().set_modified(old)))
        .expect("times can be set");
}

fn row<'a>(index: &'a Index, file: &str) -> &'a Row {
    index
        .rows
        .iter()
        .find(|r| r.file == file)
        .unwrap_or_else(|| panic!("no row for {file}: {:?}", index.rows))
}

fn reason<'a>(index: &'a Index, file: &str) -> &'a str {
    match &row(index, file).entry {
        Err(reason) => reason,
        Ok(_) => panic!("{file} opened but should not have"),
    }
}

fn scan(dir: &Path) -> Index {
    Scanner::new(dir, None).scan().expect("the folder lists")
}

#[test]
fn every_damaged_file_is_one_error_row_with_its_reason_and_the_rest_open() {
    let dir = tempfile::tempdir().expect("temp dir");
    let d = dir.path();
    write(d, "good.ron", V1.as_bytes());
    write(d, "also-good.ron", V1_MINIMAL.as_bytes());
    write(d, "truncated.ron", &V1.as_bytes()[..V1.len() / 2]);
    write(d, "empty.ron", b"");
    write(d, "blank.ron", b"  \n\t\n");
    write(d, "binary.ron", &[0x89, b'P', b'N', b'G', 0, 0, 0xff, 0xfe]);
    write(
        d,
        "latin1.ron",
        &V1.replace("Farhana", "Fernández")
            .replace('á', "\u{0}")
            .into_bytes(),
    );
    write(d, "nul.ron", b"Summary(\0)");
    write(d, "plan.ron", b"Plan(title: \"Not a summary\", agenda: [])\n");
    write(d, "json.ron", b"{\"version\": 1}\n");
    write(
        d,
        "newer.ron",
        V1.replace("version: 1,", "version: 7,")
            .replace("kind:", "kinds:")
            .as_bytes(),
    );
    write(
        d,
        "version0.ron",
        V1.replace("version: 1,", "version: 0,").as_bytes(),
    );
    let huge = File::create(d.join("huge.ron")).expect("create");
    huge.set_len(17 * 1024 * 1024).expect("a sparse file");
    std::os::unix::fs::symlink(d.join("nowhere"), d.join("dangling.ron")).expect("symlink");
    fs::create_dir(d.join("folder.ron")).expect("a folder named like a summary");
    write(d, "report.md", b"# not listed");
    write(d, ".hidden.ron", b"garbage");

    let index = scan(d);
    assert_eq!(index.rows.len(), 14, "{:#?}", index.rows);
    assert!(row(&index, "good.ron").entry.is_ok());
    assert!(row(&index, "also-good.ron").entry.is_ok());
    assert_eq!(index.errors(), 12);
    for (file, expected) in [
        ("truncated.ron", "damaged or not a summary: line"),
        ("empty.ron", "empty"),
        ("blank.ron", "empty"),
        ("binary.ron", "not UTF-8"),
        ("latin1.ron", "not UTF-8"),
        ("nul.ron", "not UTF-8"),
        ("plan.ron", "Expected struct `Summary` but found `Plan`"),
        ("json.ron", "damaged or not a summary"),
        ("newer.ron", "newer holdspace (version 7)"),
        ("version0.ron", "version 0"),
        ("huge.ron", "too large"),
        ("dangling.ron", "cannot read"),
    ] {
        let why = reason(&index, file);
        assert!(why.contains(expected), "{file}: {why}");
        assert!(!why.contains('\n'), "{file}: one line: {why}");
    }
}

#[test]
fn summaries_of_every_older_format_version_open() {
    // Version 1 is the only format before this one; both its full and minimal shapes open.
    let dir = tempfile::tempdir().expect("temp dir");
    write(dir.path(), "v1.ron", V1.as_bytes());
    write(dir.path(), "v1-minimal.ron", V1_MINIMAL.as_bytes());
    let index = scan(dir.path());
    let full = row(&index, "v1.ron").entry.as_ref().expect("v1 opens");
    assert_eq!(full.group, "Tuesday evening anxiety group");
    assert_eq!(full.session_label(), "3 of 8");
    assert_eq!((full.present, full.roster), (7, 8));
    assert_eq!((full.risk, full.follow_up), (2, 2));
    assert_eq!(full.time, "18:00");
    let minimal = row(&index, "v1-minimal.ron")
        .entry
        .as_ref()
        .expect("minimal v1 opens");
    assert_eq!(minimal.series, None);
    assert_eq!(minimal.time, "");
    assert_eq!((minimal.present, minimal.roster), (1, 2));
}

#[test]
fn an_empty_or_missing_folder() {
    let dir = tempfile::tempdir().expect("temp dir");
    assert!(scan(dir.path()).rows.is_empty());
    assert!(Scanner::new(&dir.path().join("missing"), None).scan().is_err());
}

fn summary_titled(title: &str) -> String {
    let mut s = base();
    s.title = title.into();
    to_ron(&s)
}

#[test]
fn the_disk_cache_is_reused_and_never_stale() {
    let dir = tempfile::tempdir().expect("temp dir");
    let cache_root = tempfile::tempdir().expect("cache dir");
    let d = dir.path();
    let a = write(d, "a.ron", summary_titled("Title AAAA").as_bytes());
    let b = write(d, "b.ron", summary_titled("Title BBBB").as_bytes());
    write(d, "bad.ron", b"");
    for p in [&a, &b, &d.join("bad.ron")] {
        age(p);
    }
    let cache = || Some(DiskCache::in_dir(cache_root.path(), d));

    let first = Scanner::new(d, cache()).scan().expect("lists");
    assert_eq!((first.stats.parsed, first.stats.reused), (3, 0));

    // A new process: everything comes from the cache.
    let warm = Scanner::new(d, cache()).scan().expect("lists");
    assert_eq!((warm.stats.parsed, warm.stats.reused), (0, 3));
    assert_eq!(warm.rows, first.rows);

    // Same length, same modification time, new content: still seen (the change time moves).
    let old_mtime = fs::metadata(&a).and_then(|m| m.modified()).expect("mtime");
    fs::write(&a, summary_titled("Title ZZZZ")).expect("rewrite");
    File::options()
        .write(true)
        .open(&a)
        .and_then(|f| f.set_times(FileTimes::new().set_modified(old_mtime)))
        .expect("times");
    // A file removed, one added, one damaged after the fact.
    fs::remove_file(&b).expect("remove");
    write(d, "c.ron", summary_titled("Title CCCC").as_bytes());
    write(d, "bad.ron", V1.as_bytes());

    let after = Scanner::new(d, cache()).scan().expect("lists");
    let titles: Vec<String> = after
        .rows
        .iter()
        .map(|r| {
            r.entry
                .as_ref()
                .map_or_else(|e| e.clone(), |e| e.title.to_string())
        })
        .collect();
    assert_eq!(
        titles,
        vec![
            "Title ZZZZ".to_owned(),
            "Managing Anxiety, session 3: thoughts and feelings".to_owned(),
            "Title CCCC".to_owned()
        ]
    );
    assert_eq!(after.stats.reused, 0, "every file changed");
}

#[test]
fn a_file_modified_just_before_it_was_read_is_read_again() {
    let dir = tempfile::tempdir().expect("temp dir");
    let d = dir.path();
    write(d, "fresh.ron", V1.as_bytes());
    let mut scanner = Scanner::new(d, None);
    assert_eq!(scanner.scan().expect("lists").stats.parsed, 1);
    // Its timestamps cannot yet prove a later change would show, so it is parsed again.
    assert_eq!(scanner.scan().expect("lists").stats.parsed, 1);
    age(&d.join("fresh.ron"));
    assert_eq!(
        scanner.scan().expect("lists").stats.parsed,
        1,
        "changed times: read"
    );
    assert_eq!(
        scanner.scan().expect("lists").stats.reused,
        1,
        "old and unchanged: reused"
    );
}

#[test]
fn the_cache_is_owner_only_outside_the_folder_and_survives_damage() {
    let dir = tempfile::tempdir().expect("temp dir");
    let cache_root = tempfile::tempdir().expect("cache dir");
    let d = dir.path();
    age(&write(d, "a.ron", V1.as_bytes()));
    let cache = DiskCache::in_dir(&cache_root.path().join("review"), d);
    let before: Vec<_> = fs::read_dir(d)
        .expect("ls")
        .flatten()
        .map(|e| e.file_name())
        .collect();
    Scanner::new(d, Some(cache.clone())).scan().expect("lists");
    let after: Vec<_> = fs::read_dir(d)
        .expect("ls")
        .flatten()
        .map(|e| e.file_name())
        .collect();
    assert_eq!(before, after, "nothing written beside the summaries");
    assert!(cache.file.starts_with(cache_root.path()));
    let mode = |p: &Path| fs::metadata(p).expect("exists").permissions().mode() & 0o777;
    assert_eq!(mode(&cache.file), 0o600);
    assert_eq!(mode(cache.file.parent().expect("a parent")), 0o700);
    let text = String::from_utf8_lossy(&fs::read(&cache.file).expect("cache")).into_owned();
    let wal = fs::read(format!("{}-wal", cache.file.display())).unwrap_or_default();
    let text = text + &String::from_utf8_lossy(&wal);
    assert!(
        text.contains("Tuesday evening anxiety group"),
        "the list fields are there"
    );
    assert!(!text.contains("Shirin"), "no member names in the cache");
    assert!(!text.contains("self-harm"), "no notes in the cache");

    fs::write(&cache.file, b"{ damaged").expect("damage the cache");
    let index = Scanner::new(d, Some(cache.clone())).scan().expect("lists");
    assert_eq!((index.stats.parsed, index.errors()), (1, 0));
}
