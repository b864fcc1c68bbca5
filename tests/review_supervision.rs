//! Supervision end to end through the command line and the index: submit, sign, change the
//! summary, see "changed after sign-off"; addenda after sign-off; returns; comments that
//! reach the trainee; conflict copies and partial files of a synced folder.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use holdspace::observations::{ObservationNote, Observations, to_ron as observations_ron};
use holdspace::review::app::effects::{self, Files};
use holdspace::review::browser::{Browser, Screen};
use holdspace::review::filter::{Filter, Sort};
use holdspace::review::index::Scanner;
use holdspace::summary::{parse_summary, to_ron};
use holdspace::supervision::{Request, Status, Target, note_key, store};
use holdspace::vault::Vault;

const V1: &str = include_str!("fixtures/summary-v1.ron");

fn review(dir: &Path, args: &[&str]) -> Output {
    holdspace(dir, &[&["review"], args].concat())
}

/// The binary run with `args`, its home and data under `dir`.
fn holdspace(dir: &Path, args: &[&str]) -> Output {
    let home = dir.join("home");
    Command::new(env!("CARGO_BIN_EXE_holdspace"))
        .args(args)
        .env("HOME", &home)
        .env("XDG_CONFIG_HOME", home.join(".config"))
        .env("XDG_DATA_HOME", home.join(".local/share"))
        .env("XDG_CACHE_HOME", home.join(".cache"))
        .output()
        .expect("the holdspace binary runs")
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn list_json(root: &Path, folder: &Path) -> Vec<serde_json::Value> {
    let out = review(root, &["--list", "--json", folder.to_str().expect("utf-8")]);
    assert!(out.status.success(), "{}", stderr(&out));
    let rows: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    rows.as_array().cloned().unwrap_or_default()
}

/// Submits `summary` as its lead facilitator would; the time it was done.
fn submitted(summary: &Path) -> chrono::DateTime<chrono::FixedOffset> {
    let now = chrono::DateTime::parse_from_rfc3339("2025-03-05T09:00:00+06:00").expect("time");
    store::act(
        summary,
        &Request::Submit,
        "Dr. Nadia Rahman",
        "",
        now,
        &Vault::plain(),
    )
    .expect("submitted");
    now
}

/// The session at `summary` as the browser opens it, from a scan of `folder` now.
fn open_session(folder: &Path, summary: &Path) -> holdspace::review::browser::SessionScreen {
    let index = Scanner::new(folder, None).scan().expect("lists");
    holdspace::review::load::session(
        summary,
        &[],
        &index,
        &holdspace::review::index::Beside::default(),
        &Vault::plain(),
        None,
    )
}

/// `review --export md SUMMARY -o TO`.
fn export_md_to(root: &Path, summary: &Path, to: &Path) -> Output {
    review(
        root,
        &[
            "--export",
            "md",
            summary.to_str().expect("utf-8"),
            "-o",
            to.to_str().expect("utf-8"),
        ],
    )
}

fn setup() -> (tempfile::TempDir, PathBuf, PathBuf) {
    let root = tempfile::tempdir().expect("temp dir");
    let folder = root.path().join("archive");
    fs::create_dir_all(&folder).expect("mkdir");
    let summary = folder.join("2025-03-04_1800_anxiety.ron");
    fs::write(&summary, V1).expect("write");
    (root, folder, summary)
}

#[test]
fn sign_then_edit_shows_changed_after_sign_off_and_addenda_follow() {
    let (root, folder, summary) = setup();
    let s = summary.to_str().expect("utf-8");
    let rows = list_json(root.path(), &folder);
    assert_eq!(rows[0]["status"], "draft");
    assert_eq!(
        rows[0]["session_id"],
        parse_summary(V1).expect("fixture").session_id
    );
    assert_eq!(rows[0]["timezone"], "+06:00");

    let out = review(root.path(), &["--submit", s]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stderr(&out).contains("submitted"), "{}", stderr(&out));
    // A return needs a comment; an addendum needs a sign-off first.
    let out = review(root.path(), &["--return", s, "--as", "Dr. Amal"]);
    assert!(!out.status.success());
    let out = review(root.path(), &["--addendum", s, "--as", "Nadia", "--comment", "x"]);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("addendum corrects a signed summary"),
        "{}",
        stderr(&out)
    );

    let out = review(
        root.path(),
        &["--sign", s, "--as", "Dr. Amal", "--comment", "Well held"],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let rows = list_json(root.path(), &folder);
    assert_eq!(rows.len(), 1, "records are not listed as summaries: {rows:#?}");
    assert_eq!(rows[0]["status"], "signed");
    assert_eq!(rows[0]["signed_by"], "Dr. Amal");
    assert!(rows[0]["signed_at"].as_str().is_some_and(|t| t.len() >= 20));
    assert_eq!(rows[0]["changed_after_sign_off"], false);
    let again = review(root.path(), &["--sign", s, "--as", "Dr. Amal"]);
    assert!(
        !again.status.success(),
        "signing twice an unchanged summary is refused"
    );

    // The summary is edited after sign-off (one character), then a wrap-up appears.
    fs::write(&summary, V1.replacen("Good energy", "Good energy!", 1)).expect("edit");
    let rows = list_json(root.path(), &folder);
    assert_eq!(rows[0]["changed_after_sign_off"], true);
    let table = review(root.path(), &["--list", folder.to_str().expect("utf-8")]);
    assert!(String::from_utf8_lossy(&table.stdout).contains("signed, CHANGED"));
    let md = review(root.path(), &["--export", "md", s]);
    let md = String::from_utf8_lossy(&md.stdout);
    assert!(md.contains("CHANGED AFTER SIGN-OFF"), "{md}");
    let html = review(root.path(), &["--export", "html", s]);
    assert!(String::from_utf8_lossy(&html.stdout).contains("class=\"callout changed\""));
    let filtered = review(
        root.path(),
        &[
            "--list",
            "--json",
            "--filter",
            "status:changed",
            folder.to_str().expect("utf-8"),
        ],
    );
    assert!(String::from_utf8_lossy(&filtered.stdout).contains("anxiety"));

    // Put back as signed: not changed any more; a wrap-up written later is a change.
    fs::write(&summary, V1).expect("restore");
    assert_eq!(
        list_json(root.path(), &folder)[0]["changed_after_sign_off"],
        false
    );
    fs::write(folder.join("2025-03-04_1800_anxiety.wrapup.ron"), "Wrapup()").expect("wrap-up");
    let rows = list_json(root.path(), &folder);
    assert_eq!(rows.len(), 1, "the wrap-up is not a summary row");
    assert_eq!(rows[0]["changed_after_sign_off"], true);

    // An addendum after sign-off is its own record; the summary is never edited.
    let before = fs::read(&summary).expect("read");
    let out = review(
        root.path(),
        &[
            "--addendum",
            s,
            "--as",
            "Nadia",
            "--comment",
            "Shirin left at 19:18, not 19:15",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(fs::read(&summary).expect("read"), before);
    let (review_now, problems) = store::review_of(&summary, &Vault::plain());
    assert!(problems.is_empty(), "{problems:?}");
    assert_eq!(
        review_now.status,
        Status::Signed,
        "an addendum keeps the sign-off"
    );
    assert_eq!(review_now.records.len(), 3);
    let md = review(root.path(), &["--export", "md", s]);
    assert!(String::from_utf8_lossy(&md.stdout).contains("ADDENDUM: Shirin left at 19:18"));
    // Every record is its own owner-only file beside the summary.
    let records = store::record_files(&summary);
    assert_eq!(records.len(), 3);
    for r in &records {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(fs::metadata(r).expect("stat").permissions().mode() & 0o777, 0o600);
    }
}

#[test]
fn comments_on_observations_reach_the_trainee_in_their_own_review() {
    let (_root, folder, summary) = setup();
    let session_id = parse_summary(V1).expect("fixture").session_id;
    // The trainee followed the live session: their notes carry its id and segment.
    let note = ObservationNote {
        at: "18:13:20".into(),
        about: "Shirin".into(),
        tags: vec!["risk".into()],
        text: "Looked withdrawn #risk".into(),
        segment: Some("Check-in round".into()),
    };
    let obs = Observations {
        version: 1,
        session_id: Some(session_id),
        plan_title: "anything: the id decides".into(),
        date: "2025-03-04".into(),
        trainee: "Mitu Hossain".into(),
        notes: vec![note.clone()],
    };
    // Handed in: the supervisor drops it into the archive.
    fs::write(
        folder.join("mitu.observations.ron"),
        observations_ron(&obs).expect("RON"),
    )
    .expect("write");
    let target = Target::Observation {
        trainee: "Mitu Hossain".into(),
        note: note_key(&note.at, &note.about, &note.text),
    };
    let now = chrono::DateTime::parse_from_rfc3339("2025-03-05T10:00:00+06:00").expect("time");
    store::act(
        &summary,
        &Request::Comment(target),
        "Dr. Amal",
        "Good catch: say it to the facilitator at the break",
        now,
        &Vault::plain(),
    )
    .expect("recorded");

    // The trainee opens the same (synced) folder in their own review.
    let index = Scanner::new(&folder, None).scan().expect("lists");
    assert_eq!(index.rows.len(), 1, "the hand-in is not a summary row");
    assert_eq!(index.handins.len(), 1);
    let mut b = Browser::new(index, Filter::default(), Sort::default());
    b.resize((120, 60));
    let files = Files::default();
    effects::key(&mut b, key(crossterm::event::KeyCode::Enter), &files);
    let Some(Screen::Session(screen)) = b.screen() else {
        panic!("the session opens")
    };
    assert_eq!(screen.observations.len(), 1, "attached by session id");
    let text: Vec<String> = screen.doc.lines.iter().map(|l| l.text()).collect();
    let all = text.join("\n");
    assert!(all.contains("↳ Dr. Amal, 2025-03-05 10:00: Good catch"), "{all}");
    assert!(
        all.contains("(trainee Mitu Hossain)"),
        "a trainee's #risk is among the flags: {all}"
    );
    assert!(!all.contains("#risk #risk"), "tags are not doubled: {all}");
    assert!(all.contains("followed the live session"), "{all}");
}

fn key(code: crossterm::event::KeyCode) -> crossterm::event::KeyEvent {
    crossterm::event::KeyEvent::new(code, crossterm::event::KeyModifiers::NONE)
}

#[test]
fn signing_and_returning_from_the_browser() {
    use crossterm::event::KeyCode;
    let (_root, folder, summary) = setup();
    // Submitted by its facilitator: a draft is neither signed nor returned.
    submitted(&summary);
    let index = Scanner::new(&folder, None).scan().expect("lists");
    let mut b = Browser::new(index, Filter::default(), Sort::default());
    b.resize((120, 40));
    let files = Files::default();
    let send = |b: &mut Browser, keys: &[KeyCode]| {
        for k in keys {
            effects::key(b, key(*k), &files);
        }
    };
    send(&mut b, &[KeyCode::Enter, KeyCode::Char('R')]);
    // The name is asked once, then the comment; an empty return is refused.
    for c in "Dr. Amal".chars() {
        send(&mut b, &[KeyCode::Char(c)]);
    }
    send(&mut b, &[KeyCode::Enter, KeyCode::Enter]);
    assert!(
        b.status.as_deref().is_some_and(|s| s.contains("needs a comment")),
        "{:?}",
        b.status
    );
    send(&mut b, &[KeyCode::Char('R')]);
    for c in "Add the safety plan".chars() {
        send(&mut b, &[KeyCode::Char(c)]);
    }
    send(&mut b, &[KeyCode::Enter]);
    assert_eq!(
        store::review_of(&summary, &Vault::plain()).0.status,
        Status::Returned,
        "{:?}",
        b.status
    );
    let Some(Screen::Session(screen)) = b.screen() else {
        panic!("still the session")
    };
    let all: String = screen.doc.lines.iter().map(|l| l.text() + "\n").collect();
    assert!(all.contains("Status: returned by Dr. Amal"), "{all}");
    assert!(all.contains("Add the safety plan"), "{all}");
    assert_eq!(
        b.index.rows[0].review.status,
        Status::Returned,
        "the list follows"
    );

    // A comment on one note, picked from the list.
    send(&mut b, &[KeyCode::Char('c'), KeyCode::Down, KeyCode::Enter]);
    for c in "Was a safety plan made?".chars() {
        send(&mut b, &[KeyCode::Char(c)]);
    }
    send(&mut b, &[KeyCode::Enter]);
    let (review_now, _) = store::review_of(&summary, &Vault::plain());
    assert!(
        review_now
            .records
            .iter()
            .any(|r| matches!(r.on, Target::Note(_)) && r.text.contains("safety plan made")),
        "{review_now:?}"
    );
}

#[test]
fn conflict_copies_and_partial_files_in_a_synced_folder() {
    let (root, folder, _summary) = setup();
    let mut other = parse_summary(V1).expect("fixture");
    other.title = "Edited on the other laptop".into();
    fs::write(
        folder.join("2025-03-04_1800_anxiety.sync-conflict-20250305-101500-ABCDEFG.ron"),
        to_ron(&other),
    )
    .expect("write");
    for partial in [
        ".syncthing.2025-03-11_1800_anxiety.ron.tmp",
        "~2025-03-11_1800_anxiety.ron",
        "2025-03-11_1800_anxiety.ron.part",
    ] {
        fs::write(folder.join(partial), &V1[..100]).expect("write");
    }
    let rows = list_json(root.path(), &folder);
    assert_eq!(
        rows.len(),
        2,
        "the original and its conflict copy, nothing partial: {rows:#?}"
    );
    assert_eq!(rows[0]["file"], "2025-03-04_1800_anxiety.ron");
    assert_eq!(
        rows[1]["conflict_of"], "2025-03-04_1800_anxiety.ron",
        "right beside it"
    );
    assert_eq!(rows[1]["status"], "conflict", "not a draft of its own");
    assert!(rows.iter().all(|r| r.get("error").is_none()));

    // Both open in the browser; the copy says what it is.
    let index = Scanner::new(&folder, None).scan().expect("lists");
    let mut b = Browser::new(index, Filter::default(), Sort::default());
    b.resize((100, 40));
    let files = Files::default();
    effects::key(&mut b, key(crossterm::event::KeyCode::Down), &files);
    effects::key(&mut b, key(crossterm::event::KeyCode::Enter), &files);
    let Some(Screen::Session(screen)) = b.screen() else {
        panic!("the copy opens")
    };
    let all: String = screen.doc.lines.iter().map(|l| l.text() + "\n").collect();
    assert!(
        all.contains("CONFLICT COPY of 2025-03-04_1800_anxiety.ron"),
        "{all}"
    );
    assert!(all.contains("Edited on the other laptop"));
}

#[test]
fn files_vanishing_or_changing_between_scans_are_followed() {
    let (_root, folder, summary) = setup();
    let mut scanner = Scanner::new(&folder, None);
    assert_eq!(scanner.scan().expect("lists").rows.len(), 1);
    fs::remove_file(&summary).expect("remove");
    fs::write(folder.join("new.ron"), V1).expect("write");
    let index = scanner.scan().expect("still lists");
    let files: Vec<&str> = index.rows.iter().map(|r| r.file.as_str()).collect();
    assert_eq!(files, vec!["new.ron"]);
    // A record whose summary is gone is not a row; a damaged record is only skipped.
    fs::write(
        folder.join("gone.review.20250305T101500Z-x-abcdef.ron"),
        "garbage",
    )
    .expect("write");
    assert_eq!(scanner.scan().expect("lists").rows.len(), 1);
}

#[test]
fn a_hand_in_attaches_to_its_session_in_the_archive() {
    let (root, folder, summary) = setup();
    let data = root.path().join("trainee-data");
    fs::create_dir_all(data.join("observations")).expect("mkdir");
    let s = parse_summary(V1).expect("fixture");
    // Offline notes: no session id, matched by plan, date and time.
    let obs = Observations {
        version: 1,
        session_id: None,
        plan_title: s.title.clone(),
        date: s.date.clone(),
        trainee: "Lucas Moreau".into(),
        notes: vec![ObservationNote {
            at: "18:40".into(),
            about: "group".into(),
            tags: vec![],
            text: "Energy dropped after the break".into(),
            segment: None,
        }],
    };
    fs::write(
        data.join("observations/2025-03-04_1800_x_lucas.ron"),
        observations_ron(&obs).expect("RON"),
    )
    .expect("write");
    let out = Command::new(env!("CARGO_BIN_EXE_holdspace"))
        .args(["shadow", "--hand-in", "--data-dir"])
        .arg(&data)
        .arg("-o")
        .arg(&folder)
        .env("XDG_CONFIG_HOME", root.path().join("config"))
        .output()
        .expect("runs");
    assert!(out.status.success(), "{}", stderr(&out));
    let handed: Vec<_> = fs::read_dir(&folder)
        .expect("ls")
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().ends_with(".observations.ron"))
        .collect();
    assert_eq!(handed.len(), 1);
    // Handing in again never replaces the first.
    let again = Command::new(env!("CARGO_BIN_EXE_holdspace"))
        .args(["shadow", "--hand-in", "--data-dir"])
        .arg(&data)
        .arg("-o")
        .arg(handed[0].path())
        .env("XDG_CONFIG_HOME", root.path().join("config"))
        .output()
        .expect("runs");
    assert!(!again.status.success());

    // The supervisor exports the session: the hand-in is found beside it, no --data-dir.
    let md = review(root.path(), &["--export", "md", summary.to_str().expect("utf-8")]);
    let md = String::from_utf8_lossy(&md.stdout);
    assert!(md.contains("Observations by Lucas Moreau"), "{md}");
    assert!(
        md.contains("offline notes, matched by plan, date and time"),
        "{md}"
    );
    assert_eq!(
        list_json(root.path(), &folder).len(),
        1,
        "the hand-in is no summary row"
    );
}

#[test]
fn a_hand_ins_conflict_copy_is_shown_beside_it_and_said() {
    let (root, folder, summary) = setup();
    let s = parse_summary(V1).expect("fixture");
    let observations = |text: &str| Observations {
        version: 1,
        session_id: None,
        plan_title: s.title.clone(),
        date: s.date.clone(),
        trainee: "Lucas Moreau".into(),
        notes: vec![ObservationNote {
            at: "18:40".into(),
            about: "group".into(),
            tags: vec![],
            text: text.into(),
            segment: None,
        }],
    };
    let write = |name: &str, text: &str| {
        let ron = observations_ron(&observations(text)).expect("RON");
        fs::write(folder.join(name), ron).expect("write");
    };
    // The trainee corrected the hand-in on two machines at once.
    write("lucas.observations.ron", "Energy dropped after the break");
    write(
        "lucas.observations.sync-conflict-20250305-101500-BBBBBBB.ron",
        "Energy dropped after the break; two members left early",
    );
    let index = Scanner::new(&folder, None).scan().expect("lists");
    assert_eq!(index.handins.len(), 2, "the copy is not left out");
    let screen = open_session(&folder, &summary);
    assert_eq!(screen.observations.len(), 2, "both versions are shown");
    assert!(
        !screen.observations[0].is_conflict_copy(),
        "the file first, its copy after"
    );
    assert!(screen.observations[1].is_conflict_copy());
    assert!(
        screen
            .problems
            .iter()
            .any(|p| p.contains("conflict copy of Lucas Moreau's observations")),
        "{:?}",
        screen.problems
    );
    let md = review(root.path(), &["--export", "md", summary.to_str().expect("utf-8")]);
    let md = String::from_utf8_lossy(&md.stdout);
    assert!(md.contains("## Observations by Lucas Moreau (trainee)\n"), "{md}");
    assert!(
        md.contains("## Observations by Lucas Moreau (trainee; a synced folder's conflict copy"),
        "{md}"
    );
    assert!(md.contains("two members left early"), "{md}");
    assert!(
        md.contains("> ⚠ A synced folder left a conflict copy of Lucas Moreau"),
        "said at the top: {md}"
    );
    assert!(
        screen
            .comment_targets()
            .iter()
            .all(|(label, _)| !label.contains("two members left early")),
        "a conflict copy's notes take no comments"
    );
}

#[test]
fn a_comment_whose_note_changed_is_still_shown_and_says_so() {
    let (root, _folder, summary) = setup();
    let s = summary.to_str().expect("utf-8");
    let note = parse_summary(V1).expect("fixture").notes[0].clone();
    let now = chrono::DateTime::parse_from_rfc3339("2025-03-05T10:00:00+06:00").expect("time");
    let target = Target::Note(note_key(&note.at, &note.about, &note.text));
    store::act(
        &summary,
        &Request::Comment(target),
        "Dr. Amal",
        "Document the score",
        now,
        &Vault::plain(),
    )
    .expect("recorded");
    // The note is edited by hand afterwards: the comment no longer sits beside it.
    let mut edited = parse_summary(V1).expect("fixture");
    edited.notes[0].text = "An edited note".into();
    fs::write(&summary, to_ron(&edited)).expect("edit");
    for format in ["md", "html"] {
        let out = review(root.path(), &["--export", format, s]);
        assert!(out.status.success(), "{}", stderr(&out));
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(
            text.contains("Comments on notes that have changed since"),
            "{format}:\n{text}"
        );
        assert!(text.contains("Document the score"), "{format}:\n{text}");
    }
}

#[test]
fn a_conflict_copy_of_the_wrap_up_is_said_in_the_session_view() {
    let (root, folder, summary) = setup();
    let copy = folder.join("2025-03-04_1800_anxiety.wrapup.sync-conflict-20261201-130000-BBBBBB.ron");
    fs::write(&copy, "WrapUp()").expect("write");
    let screen = open_session(&folder, &summary);
    assert!(
        screen
            .problems
            .iter()
            .any(|p| p.contains("conflict copy of the wrap-up") && p.contains("BBBBBB")),
        "{:?}",
        screen.problems
    );
    drop(root);
}

#[test]
fn a_record_that_does_not_open_makes_the_status_unknown_not_older() {
    let (root, folder, summary) = setup();
    submitted(&summary);
    let later = chrono::DateTime::parse_from_rfc3339("2025-03-05T10:00:00+06:00").expect("time");
    let signed =
        store::act(&summary, &Request::Sign, "Dr. Amal", "", later, &Vault::plain()).expect("signed");
    // The sign-off is damaged (a sync cut it short): the list must not say "submitted".
    fs::write(&signed, "Record(version: 1, summ").expect("damage");
    let rows = list_json(root.path(), &folder);
    assert_eq!(rows[0]["records_unread"], 1, "{:#?}", rows[0]);
    assert_eq!(rows[0]["status"], "unknown", "never the older status");
    let table = review(root.path(), &["--list", folder.to_str().expect("utf-8")]);
    let table = String::from_utf8_lossy(&table.stdout);
    assert!(table.contains("? (a record did not open)"), "{table}");
    // The session's view and its export say so at the top, with the record's name.
    let screen = open_session(&folder, &summary);
    let lines: Vec<String> = screen.document(80).lines.iter().map(|l| l.text()).collect();
    let status = lines
        .iter()
        .position(|l| l.contains("Status: UNKNOWN"))
        .expect("said");
    let problem = lines
        .iter()
        .position(|l| l.contains(".ron did not open"))
        .expect("named");
    assert!(problem < 16 && status < problem, "{lines:#?}");
    let md = review(root.path(), &["--export", "md", summary.to_str().expect("utf-8")]);
    let md = String::from_utf8_lossy(&md.stdout);
    assert!(md.starts_with("> **Status:** UNKNOWN"), "{md}");
    assert!(md.contains("did not open"), "{md}");
}

#[test]
fn a_groups_report_says_each_sessions_status() {
    let (root, folder, summary) = setup();
    let now = submitted(&summary);
    store::act(&summary, &Request::Sign, "Dr. Amal", "", now, &Vault::plain()).expect("signed");
    let mut edited = parse_summary(V1).expect("fixture");
    edited.notes.clear();
    fs::write(&summary, to_ron(&edited)).expect("edit");
    let group = edited.group.clone();
    for format in ["md", "html"] {
        let out = review(
            root.path(),
            &["--export", format, &group, folder.to_str().expect("utf-8")],
        );
        assert!(out.status.success(), "{}", stderr(&out));
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(
            text.contains("signed, CHANGED AFTER SIGN-OFF"),
            "{format}:\n{text}"
        );
    }
}

#[test]
fn the_list_keeps_its_place_after_a_comment_is_recorded() {
    use crossterm::event::KeyCode;
    let (_root, folder, summary) = setup();
    for n in 1..=3 {
        fs::copy(
            &summary,
            folder.join(format!("2025-03-0{}_1800_anxiety.ron", 4 + n)),
        )
        .expect("copy");
    }
    let index = Scanner::new(&folder, None).scan().expect("lists");
    let mut b = Browser::new(index, Filter::default(), Sort::default());
    b.resize((120, 40));
    let files = Files::default();
    let send = |b: &mut Browser, keys: &[KeyCode]| {
        for k in keys {
            effects::key(b, key(*k), &files);
        }
    };
    send(&mut b, &[KeyCode::Down, KeyCode::Down]);
    let chosen = b.selected_row().map(|r| r.file.clone());
    send(&mut b, &[KeyCode::Enter, KeyCode::Char('c'), KeyCode::Enter]);
    for c in "Dr. Amal".chars() {
        send(&mut b, &[KeyCode::Char(c)]);
    }
    send(&mut b, &[KeyCode::Enter]);
    for c in "Well held".chars() {
        send(&mut b, &[KeyCode::Char(c)]);
    }
    send(&mut b, &[KeyCode::Enter]);
    assert!(
        b.status.as_deref().is_some_and(|s| s.starts_with("Recorded")),
        "{:?}",
        b.status
    );
    send(&mut b, &[KeyCode::Esc]);
    assert_eq!(
        b.selected_row().map(|r| r.file.clone()),
        chosen,
        "the place is kept"
    );
}

#[test]
fn a_row_that_leaves_the_filter_leaves_the_selection_on_the_row_that_took_its_place() {
    let (_root, folder, summary) = setup();
    let mut all = vec![summary.clone()];
    for n in 1..=3 {
        let copy = folder.join(format!("2025-03-0{}_1800_anxiety.ron", 4 + n));
        fs::copy(&summary, &copy).expect("copy");
        all.push(copy);
    }
    for path in &all {
        submitted(path);
    }
    let mut scanner = Scanner::new(&folder, None);
    let mut b = Browser::new(
        scanner.scan().expect("lists"),
        Filter::parse("status:submitted"),
        Sort::default(),
    );
    b.resize((120, 40));
    let files = Files::default();
    for _ in 0..2 {
        effects::key(&mut b, key(crossterm::event::KeyCode::Down), &files);
    }
    let third = b.selected_row().map(|r| r.path()).expect("a row");
    let fourth = b.visible.get(3).map(|&i| b.index.rows[i].file.clone());
    let later = chrono::DateTime::parse_from_rfc3339("2025-03-09T10:00:00+06:00").expect("time");
    store::act(&third, &Request::Sign, "Dr. Amal", "", later, &Vault::plain()).expect("signed");
    effects::refresh(&mut b, scanner.scan().expect("lists"), &files);
    assert_eq!(b.visible.len(), 3, "the signed one left the filter");
    assert_eq!(b.selected, 2, "not back to the top");
    assert_eq!(b.selected_row().map(|r| r.file.clone()), fourth);
}

#[test]
fn an_export_of_a_conflict_copy_says_it_is_not_the_record() {
    let (root, folder, _summary) = setup();
    let copy = folder.join("2025-03-04_1800_anxiety.sync-conflict-20250305-101500-ABCDEFG.ron");
    fs::write(&copy, V1).expect("write");
    let out = review(root.path(), &["--export", "md", copy.to_str().expect("utf-8")]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains(r"CONFLICT COPY of 2025-03-04\_1800\_anxiety.ron"),
        "{text}"
    );
    assert!(!text.contains("Draft: not submitted"), "{text}");
}

#[test]
fn the_comment_picker_lists_notes_in_time_order_with_their_tags_and_refuses_a_conflict_copy() {
    use crossterm::event::KeyCode;
    use holdspace::review::browser::SessionScreen;
    use holdspace::review::index::Index;

    let mut summary = parse_summary(V1).expect("fixture");
    summary.notes.reverse();
    let first_at = summary.notes.iter().map(|n| n.at.clone()).min().expect("notes");
    let screen = SessionScreen::new(PathBuf::from("a.ron"), Ok(summary.clone()));
    let labels: Vec<String> = screen
        .comment_targets()
        .into_iter()
        .map(|(label, _)| label)
        .collect();
    assert_eq!(labels[0], "The session as a whole");
    assert!(
        labels[1].starts_with(first_at.get(..5).expect("HH:MM")),
        "{labels:#?}"
    );
    let mut times: Vec<&str> = labels[1..].iter().map(|l| &l[..5]).collect();
    let written = times.clone();
    times.sort_unstable();
    assert_eq!(written, times, "in the order written");
    assert!(
        labels.iter().any(|l| l.contains("[risk")),
        "tags shown: {labels:#?}"
    );

    // A conflict copy is not the record: `c` says so instead of offering a picker.
    let mut copy = SessionScreen::new(
        PathBuf::from("a.sync-conflict-20250101-000000-A.ron"),
        Ok(summary),
    );
    copy.conflict_of = Some("a.ron".into());
    let mut b = Browser::new(Index::default(), Filter::default(), Sort::default());
    b.push_session(copy);
    b.key(key(KeyCode::Char('c')));
    assert!(b.picker.is_none());
    assert!(
        b.status
            .as_deref()
            .is_some_and(|s| s.contains("not a damaged file or a conflict copy")),
        "{:?}",
        b.status
    );
}

#[test]
fn signing_what_changed_warns_first_and_the_history_keeps_the_change() {
    use holdspace::review::export::history_words;
    use holdspace::supervision::Action;

    let (_root, folder, summary) = setup();
    let open = || open_session(&folder, &summary);
    let edit = |from: &str, to: &str| {
        let text = fs::read_to_string(&summary).expect("read");
        assert!(text.contains(from), "{from}");
        fs::write(&summary, text.replacen(from, to, 1)).expect("write");
    };
    let sign = || {
        let now = chrono::Local::now().fixed_offset();
        store::act(
            &summary,
            &Request::Sign,
            "Dr. Amal Chowdhury",
            "",
            now,
            &Vault::plain(),
        )
        .expect("signed");
    };
    submitted(&summary);
    assert!(open().sign_warnings().iter().all(|w| !w.contains("changed")));

    // Changed on another machine after the submission.
    edit("check in after", "check in after the break");
    let screen = open();
    assert!(screen.supervised.changed_since_submitted);
    let warnings = screen.sign_warnings();
    assert!(
        warnings
            .iter()
            .any(|w| w.contains("changed since it was submitted")),
        "{warnings:?}"
    );
    sign();
    let screen = open();
    let review = &screen.supervised.review;
    let signed: Vec<_> = review
        .records
        .iter()
        .filter(|r| matches!(r.action, Action::Signed { .. }))
        .collect();
    assert!(
        history_words(review, signed[0]).contains("not what was submitted"),
        "{}",
        history_words(review, signed[0])
    );

    // Changed after the sign-off, then signed again: the warning, and the history says so.
    edit("check in after the break", "check in after the break, by phone");
    let screen = open();
    assert!(screen.supervised.changed_after_sign_off);
    assert!(
        screen
            .sign_warnings()
            .iter()
            .any(|w| w.contains("changed after its sign-off"))
    );
    sign();
    let screen = open();
    assert!(
        !screen.supervised.changed_after_sign_off,
        "this version is signed now"
    );
    let md = holdspace::review::export::session(
        holdspace::review::Format::Md,
        screen.summary.as_ref().expect("opens"),
        &screen.observations,
        &screen.supervised,
        &screen.wrapup,
        &screen.problems,
    );
    assert!(md.contains("not what was submitted"), "{md}");
    assert!(
        md.contains("signed again after the summary or its wrap-up changed"),
        "{md}"
    );
}

#[test]
fn the_wrap_up_of_a_signed_session_is_not_opened_without_being_told() {
    let (root, _folder, summary) = setup();
    submitted(&summary);
    let later = chrono::DateTime::parse_from_rfc3339("2025-03-05T10:00:00+06:00").expect("time");
    store::act(&summary, &Request::Sign, "Dr. Amal", "", later, &Vault::plain()).expect("signed");
    let out = holdspace(root.path(), &["wrapup", summary.to_str().expect("utf-8")]);
    assert!(!out.status.success());
    let said = stderr(&out);
    assert!(said.contains("is signed off by Dr. Amal"), "{said}");
    assert!(said.contains("--addendum"), "{said}");
    assert!(said.contains("--after-sign-off"), "{said}");
    assert!(!summary.with_extension("wrapup.ron").exists(), "nothing written");
}

#[test]
fn a_report_named_for_another_format_is_refused() {
    let (root, _folder, summary) = setup();
    let to = root.path().join("r.pdf");
    let out = export_md_to(root.path(), &summary, &to);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("name the .md export .md"),
        "{}",
        stderr(&out)
    );
    assert!(!to.exists());
    let to = root.path().join("r.md");
    let out = export_md_to(root.path(), &summary, &to);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(to.is_file());
}

#[test]
fn offline_observations_go_with_the_session_they_fall_closest_to_not_a_false_start() {
    let (root, folder, summary) = setup();
    let s = parse_summary(V1).expect("fixture");
    // A false start five minutes before, of the same plan and day.
    let mut false_start = s.clone();
    false_start.session_id = "false-start".into();
    false_start.started = Some(format!("{}T17:55:00+06:00", s.date));
    false_start.ended = Some(format!("{}T17:55:50+06:00", s.date));
    let early = folder.join("2025-03-04_1755_anxiety.ron");
    fs::write(&early, to_ron(&false_start)).expect("write");
    let obs = Observations {
        version: 1,
        session_id: None,
        plan_title: s.title.clone(),
        date: s.date.clone(),
        trainee: "Lucas Moreau".into(),
        notes: vec![ObservationNote {
            at: "18:05".into(),
            about: "group".into(),
            tags: vec![],
            text: "Settled quickly after the check-in".into(),
            segment: None,
        }],
    };
    fs::write(
        folder.join("lucas.observations.ron"),
        observations_ron(&obs).expect("RON"),
    )
    .expect("write");
    let export = |path: &Path| {
        let out = review(root.path(), &["--export", "md", path.to_str().expect("utf-8")]);
        assert!(out.status.success(), "{}", stderr(&out));
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    assert!(
        export(&summary).contains("Settled quickly"),
        "the session they were taken in"
    );
    assert!(!export(&early).contains("Settled quickly"), "not the false start");
}

#[test]
fn a_refused_act_is_said_before_its_prompt_opens() {
    use crossterm::event::KeyCode;
    let (_root, folder, summary) = setup();
    let mut b = Browser::new(
        Scanner::new(&folder, None).scan().expect("lists"),
        Filter::default(),
        Sort::default(),
    );
    b.resize((80, 24));
    b.author = Some("Dr. Amal".into());
    let files = Files::default();
    effects::key(&mut b, key(KeyCode::Enter), &files);
    // A draft is neither signed nor returned.
    for k in ['S', 'R'] {
        effects::key(&mut b, key(KeyCode::Char(k)), &files);
        assert!(b.input.is_none(), "{k}: no prompt");
        assert!(
            b.status
                .as_deref()
                .is_some_and(|s| s.starts_with("Not recorded: it is a draft")),
            "{k}: {:?}",
            b.status
        );
    }
    submitted(&summary);
    let later = chrono::DateTime::parse_from_rfc3339("2025-03-05T10:00:00+06:00").expect("time");
    store::act(&summary, &Request::Sign, "Dr. Amal", "", later, &Vault::plain()).expect("signed");
    effects::refresh(&mut b, Scanner::new(&folder, None).scan().expect("lists"), &files);
    // Signed: a return is refused before its reason is typed; an addendum is asked for.
    effects::key(&mut b, key(KeyCode::Char('R')), &files);
    assert!(b.input.is_none());
    assert!(
        b.status
            .as_deref()
            .is_some_and(|s| s.contains("corrections after sign-off are addenda"))
    );
    effects::key(&mut b, key(KeyCode::Char('A')), &files);
    assert!(b.input.is_some(), "the addendum's prompt opens");
    // Who facilitated it does not sign it, named however.
    effects::key(&mut b, key(KeyCode::Esc), &files);
    b.author = Some("Nadia".into());
    effects::key(&mut b, key(KeyCode::Char('S')), &files);
    assert!(b.input.is_none());
}

#[test]
fn a_conflict_copy_gets_no_wrap_up_and_an_export_to_no_folder_says_so() {
    let (root, folder, summary) = setup();
    let copy = folder.join("2025-03-04_1800_anxiety.sync-conflict-20250305-101500-ABCDEFG.ron");
    fs::copy(&summary, &copy).expect("copy");
    let out = holdspace(root.path(), &["wrapup", copy.to_str().expect("utf-8")]);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("is a conflict copy"), "{}", stderr(&out));
    let wrapups = fs::read_dir(&folder)
        .expect("ls")
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().contains(".wrapup."))
        .count();
    assert_eq!(wrapups, 0, "nothing written beside it");

    let nowhere = root.path().join("no/such/folder/r.md");
    let out = export_md_to(root.path(), &summary, &nowhere);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("there is no such folder"),
        "{}",
        stderr(&out)
    );
}
