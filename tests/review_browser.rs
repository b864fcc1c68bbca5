//! What each key does in the review browser, over real files in a temporary folder.

use std::fs;
use std::path::Path;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use holdspace::review::app::effects::{self, Files, Flow};
use holdspace::review::browser::{Browser, Screen};
use holdspace::review::filter::{Column, Filter, Sort};
use holdspace::review::index::Scanner;
use holdspace::summary::{SeriesInfo, parse_summary, to_ron};

const V1: &str = include_str!("fixtures/summary-v1.ron");

fn populate(dir: &Path) {
    for n in 3..=5u32 {
        let mut s = parse_summary(V1).expect("fixture");
        s.date = format!("2025-03-{:02}", 4 + 7 * (n - 3));
        s.title = format!("Managing Anxiety, session {n}");
        s.series = Some(SeriesInfo {
            name: s.group.clone(),
            session: n,
            of: 8,
        });
        if n > 3 {
            s.notes.clear();
            s.flags.risk = 0;
            s.flags.follow_up = 0;
        }
        fs::write(dir.join(format!("{}_anxiety.ron", s.date)), to_ron(&s)).expect("write");
    }
    let mut s = parse_summary(V1).expect("fixture");
    s.group = "Thursday bereavement circle".into();
    s.date = "2025-02-27".into();
    s.notes.clear();
    s.flags.risk = 0;
    s.flags.follow_up = 0;
    s.over_under_secs = 900;
    fs::write(dir.join("2025-02-27_loss.ron"), to_ron(&s)).expect("write");
    fs::write(dir.join("zz-broken.ron"), "Summary(").expect("write");
}

fn browser(dir: &Path) -> Browser {
    let index = Scanner::new(dir, None).scan().expect("lists");
    let mut b = Browser::new(index, Filter::default(), Sort::default());
    b.resize((120, 40));
    b
}

/// Each key as the event loop handles it: the browser's answer, then its effect.
fn send(b: &mut Browser, key: KeyEvent) -> Flow {
    effects::key(b, key, &Files::default())
}

fn press(b: &mut Browser, keys: &str) -> Flow {
    let mut flow = Flow::Continue;
    for c in keys.chars() {
        flow = send(b, KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE));
    }
    flow
}

fn code(b: &mut Browser, code: KeyCode) {
    send(b, KeyEvent::new(code, KeyModifiers::NONE));
}

fn selected_file(b: &Browser) -> String {
    b.selected_row().map(|r| r.file.to_string()).unwrap_or_default()
}

#[test]
fn moving_sorting_and_filtering() {
    let dir = tempfile::tempdir().expect("temp dir");
    populate(dir.path());
    let mut b = browser(dir.path());
    assert_eq!(selected_file(&b), "2025-03-18_anxiety.ron", "newest first");
    press(&mut b, "jj");
    assert_eq!(selected_file(&b), "2025-03-04_anxiety.ron");
    code(&mut b, KeyCode::End);
    assert_eq!(selected_file(&b), "zz-broken.ron", "errors last");
    code(&mut b, KeyCode::Home);
    press(&mut b, "k");
    assert_eq!(b.selected, 0);

    press(&mut b, "s");
    assert_eq!(b.sort.column, Column::Group);
    assert!(!b.sort.descending);
    press(&mut b, "S");
    assert!(b.sort.descending);
    press(&mut b, "ssss");
    assert_eq!(b.sort.column, Column::Time);
    press(&mut b, "S");
    assert_eq!(b.sort.column, Column::Time);
    // The selection follows its file through re-sorting; by time descending, the
    // bereavement session (15 minutes over) leads.
    code(&mut b, KeyCode::Home);
    assert_eq!(selected_file(&b), "2025-02-27_loss.ron");

    press(&mut b, "f");
    assert!(b.filter.flagged);
    assert_eq!(b.visible.len(), 1);
    press(&mut b, "f");
    assert_eq!(b.visible.len(), 5);

    // Typing filters as you go; Esc puts back the filter from before.
    press(&mut b, "/bereave");
    assert_eq!(b.visible.len(), 1);
    code(&mut b, KeyCode::Esc);
    assert_eq!(b.visible.len(), 5);
    assert!(b.input.is_none());
    press(&mut b, "/group:thursday");
    code(&mut b, KeyCode::Enter);
    assert_eq!(b.visible.len(), 1);
    assert_eq!(b.status.as_deref(), Some("1 shown"));
    code(&mut b, KeyCode::Esc);
    assert!(b.filter.is_empty(), "Esc on the list clears the filter");
}

#[test]
fn opening_a_session_the_series_and_the_flags() {
    let dir = tempfile::tempdir().expect("temp dir");
    populate(dir.path());
    let mut b = browser(dir.path());
    code(&mut b, KeyCode::Enter);
    let Some(Screen::Session(s)) = b.screen() else {
        panic!("a session opens")
    };
    assert_eq!(
        s.summary.as_ref().map(|s| s.title.clone()).ok().as_deref(),
        Some("Managing Anxiety, session 5")
    );
    code(&mut b, KeyCode::Down);
    code(&mut b, KeyCode::End);
    let Some(Screen::Session(s)) = b.screen() else {
        panic!("still the session")
    };
    let end = s.scroll;
    assert!(end > 0);
    code(&mut b, KeyCode::Down);
    let Some(Screen::Session(s)) = b.screen() else {
        panic!("still the session")
    };
    assert_eq!(s.scroll, end, "scrolling stops at the end");

    press(&mut b, "g");
    let Some(Screen::Series(series)) = b.screen() else {
        panic!("the series opens")
    };
    assert_eq!(series.series.sessions.len(), 3);
    assert_eq!(series.series.group, "Tuesday evening anxiety group");
    code(&mut b, KeyCode::Backspace);
    code(&mut b, KeyCode::Esc);
    assert!(b.screen().is_none(), "back at the list");

    press(&mut b, "F");
    let Some(Screen::Flags(flags)) = b.screen() else {
        panic!("the flags open")
    };
    assert_eq!(flags.len(), 3, "the three flagged notes of session 3");
    let first = flags.row(0).and_then(|r| r.note).and_then(Result::ok);
    assert!(
        first.is_some_and(|n| n.risk),
        "risk first within a session, read for the screen"
    );
    code(&mut b, KeyCode::Enter);
    let Some(Screen::Session(s)) = b.screen() else {
        panic!("a flag opens its session")
    };
    assert!(s.path.ends_with("2025-03-04_anxiety.ron"));
    assert_eq!(b.screens.len(), 2);

    // An unreadable row opens to its reason.
    code(&mut b, KeyCode::Esc);
    code(&mut b, KeyCode::Esc);
    code(&mut b, KeyCode::End);
    code(&mut b, KeyCode::Enter);
    let Some(Screen::Session(s)) = b.screen() else {
        panic!("the error opens")
    };
    assert!(s.summary.is_err());
    code(&mut b, KeyCode::Esc);
    press(&mut b, "g");
    assert!(b.screen().is_none());
    assert!(b.status.as_deref().is_some_and(|m| m.contains("did not open")));
}

#[test]
fn exporting_from_the_browser() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = tempfile::tempdir().expect("exports");
    populate(dir.path());
    let mut b = browser(dir.path());
    b.export_dir = out.path().to_owned();
    press(&mut b, "e");
    let default = b.input.as_ref().map(|i| i.text.clone()).unwrap_or_default();
    assert_eq!(
        default,
        out.path().join("2025-03-18_anxiety.html").to_string_lossy()
    );
    code(&mut b, KeyCode::Enter);
    let exported = out.path().join("2025-03-18_anxiety.html");
    assert!(exported.is_file(), "{:?}", b.status);

    // The same name again: the browser asks, and only a second Enter replaces the file.
    fs::write(&exported, "kept").expect("write");
    press(&mut b, "e");
    code(&mut b, KeyCode::Enter);
    assert!(
        b.status.as_deref().is_some_and(|s| s.contains("exists")),
        "{:?}",
        b.status
    );
    assert!(b.input.is_some(), "the prompt stays open");
    assert_eq!(fs::read_to_string(&exported).expect("read"), "kept");
    code(&mut b, KeyCode::Enter);
    assert!(
        fs::read_to_string(&exported)
            .expect("read")
            .starts_with("<!DOCTYPE html>")
    );

    // Never into the folder of summaries.
    press(&mut b, "e");
    send(&mut b, KeyEvent::new(KeyCode::Char('u'), KeyModifiers::CONTROL));
    press(&mut b, &dir.path().join("x.md").to_string_lossy());
    code(&mut b, KeyCode::Enter);
    assert!(
        b.status
            .as_deref()
            .is_some_and(|s| s.contains("never written into the folder")),
        "{:?}",
        b.status
    );
    code(&mut b, KeyCode::Esc);

    press(&mut b, "g");
    press(&mut b, "e");
    send(&mut b, KeyEvent::new(KeyCode::Char('u'), KeyModifiers::CONTROL));
    press(&mut b, &out.path().join("group.md").to_string_lossy());
    code(&mut b, KeyCode::Enter);
    let md = fs::read_to_string(out.path().join("group.md")).expect("the group export");
    assert!(md.starts_with("# Tuesday evening anxiety group"));

    press(&mut b, "e");
    send(&mut b, KeyEvent::new(KeyCode::Char('u'), KeyModifiers::CONTROL));
    press(&mut b, "report.pdf");
    code(&mut b, KeyCode::Enter);
    assert_eq!(
        b.status.as_deref(),
        Some("Export refused: name the file .html or .md. Change the name, or Esc")
    );
    assert_eq!(
        b.input.as_ref().map(|i| i.text.as_str()),
        Some("report.pdf"),
        "the prompt stays open with the name typed, to correct it"
    );
    for _ in 0..3 {
        code(&mut b, KeyCode::Backspace);
    }
    press(&mut b, "html");
    assert_eq!(b.input.as_ref().map(|i| i.text.as_str()), Some("report.html"));
    code(&mut b, KeyCode::Esc);
    assert!(b.input.is_none(), "Esc gives up the export");

    code(&mut b, KeyCode::Esc);
    code(&mut b, KeyCode::End);
    press(&mut b, "e");
    assert_eq!(
        b.status.as_deref(),
        Some("Nothing to export here"),
        "an unreadable row"
    );
    let beside: Vec<_> = fs::read_dir(dir.path()).expect("ls").flatten().collect();
    assert_eq!(beside.len(), 5, "nothing written beside the summaries");
}

#[test]
fn a_refresh_follows_the_files() {
    let dir = tempfile::tempdir().expect("temp dir");
    populate(dir.path());
    let mut b = browser(dir.path());
    press(&mut b, "j");
    let chosen = selected_file(&b);
    code(&mut b, KeyCode::Enter);
    // The open session's file is rewritten; the next scan shows the new content.
    let path = dir.path().join(&chosen);
    let mut s = parse_summary(&fs::read_to_string(&path).expect("read")).expect("parse");
    s.title = "Renamed while open".into();
    fs::write(&path, to_ron(&s)).expect("write");
    fs::write(dir.path().join("2025-01-01_new.ron"), V1).expect("write");
    let mut scanner = Scanner::new(dir.path(), None);
    effects::refresh(&mut b, scanner.scan().expect("lists"), &Files::default());
    let Some(Screen::Session(open)) = b.screen() else {
        panic!("still open")
    };
    assert_eq!(
        open.summary.as_ref().map(|s| s.title.as_str()).ok(),
        Some("Renamed while open")
    );
    assert_eq!(b.visible.len(), 6);
    code(&mut b, KeyCode::Esc);
    assert_eq!(selected_file(&b), chosen, "the selection stays on its file");
    assert_eq!(
        b.selected_row().and_then(|r| r.ok()).map(|e| e.title.as_str()),
        Some("Renamed while open")
    );
}

#[test]
fn help_and_quit() {
    let dir = tempfile::tempdir().expect("temp dir");
    populate(dir.path());
    let mut b = browser(dir.path());
    press(&mut b, "?");
    assert!(b.help);
    press(&mut b, "j");
    assert!(!b.help, "any key closes the help");
    assert_eq!(b.selected, 0, "and does nothing else");
    assert_eq!(press(&mut b, "q"), Flow::Quit);
    let mut b = browser(dir.path());
    assert_eq!(
        send(&mut b, KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL)),
        Flow::Quit
    );
}
