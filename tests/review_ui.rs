//! Snapshots of every review screen, drawn with ratatui's TestBackend at 80×24 and 120×40.
//! The screens are built from summaries in memory, so nothing depends on the disk.

use std::path::PathBuf;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use holdspace::notes::{Template, WrapUp, WrapUpError};
use holdspace::observations::{Attached, How, ObservationNote, Observations};
use holdspace::review::browser::{Browser, FlagsScreen, Screen, SeriesScreen, SessionScreen};
use holdspace::review::filter::{Filter, Sort};
use holdspace::review::index::{Entry, Index, Row};
use holdspace::review::wrapup::Found;
use holdspace::review::{series, ui};
use holdspace::summary::{NoteSummary, Presence, SeriesInfo, Summary, parse_summary};
use holdspace::theme::Theme;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

const V1: &str = include_str!("fixtures/summary-v1.ron");
const DIR: &str = "/home/supervisor/holdspace/summaries";

fn base() -> Summary {
    parse_summary(V1).expect("the version-1 fixture parses")
}

/// Session `n` of the Tuesday group, a week apart, with attendance and flags varying.
fn tuesday(n: u32) -> Summary {
    let mut s = base();
    s.date = format!("2025-03-{:02}", 4 + 7 * (n - 3));
    s.started = Some(format!("{}T18:00:00+06:00", s.date));
    s.ended = Some(format!("{}T19:29:00+06:00", s.date));
    s.title = format!("Managing Anxiety, session {n}");
    s.series = Some(SeriesInfo {
        name: s.group.clone(),
        session: n,
        of: 8,
    });
    if n != 3 {
        s.notes.retain(|note| !note.risk);
        s.flags.risk = 0;
        s.flags.follow_up = s.notes.iter().filter(|note| note.follow_up).count();
        for a in &mut s.attendance {
            if a.name == "Tanvir" {
                a.status = Presence::Present;
            }
            if a.name == "Joy" && n == 5 {
                a.status = Presence::Absent;
            }
        }
        s.over_under_secs = 60 * i64::from(n) - 240;
    }
    if n == 5 {
        s.attendance.push(holdspace::summary::AttendanceEntry {
            name: "Nadia".into(),
            status: Presence::Late,
            at: Some("18:20".into()),
            arrived: Some("18:20:00".into()),
            left: None,
            attended_secs: Some(4200),
            stepped_out: None,
            away_secs: None,
        });
    }
    s
}

fn bereavement() -> Summary {
    let mut s = base();
    s.title = "Living with loss".into();
    s.kind = "Support".into();
    s.group = "Thursday bereavement circle".into();
    s.series = None;
    s.date = "2025-03-06".into();
    s.started = Some("2025-03-06T10:00:00+06:00".into());
    s.facilitators.truncate(1);
    s.facilitators[0].name = "Leila Haddad".into();
    s.over_under_secs = 420;
    s.notes = vec![NoteSummary {
        at: "10:40:00".into(),
        about: "group".into(),
        tags: vec!["follow-up".into()],
        text: "Ask about the anniversary <next week>".into(),
        risk: false,
        follow_up: true,
        amended: None,
        withdrawn: None,
        first_text: None,
        first_about: None,
    }];
    s.flags.risk = 0;
    s.flags.follow_up = 1;
    s
}

fn summaries() -> Vec<(PathBuf, Summary)> {
    let mut out: Vec<(PathBuf, Summary)> = (3..=5)
        .map(|n| {
            let s = tuesday(n);
            (
                PathBuf::from(format!("{DIR}/{}_1800_managing-anxiety-{n}.ron", s.date)),
                s,
            )
        })
        .collect();
    out.push((
        PathBuf::from(format!("{DIR}/2025-03-06_1000_living-with-loss.ron")),
        bereavement(),
    ));
    out
}

fn index() -> Index {
    let mut rows: Vec<Row> = summaries()
        .into_iter()
        .map(|(path, s)| {
            let file = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            Row::new(&path, file, Ok(Entry::from_summary(&s)))
        })
        .collect();
    for (file, reason) in [
        (
            "notes.ron",
            "damaged or not a summary: line 1, column 1: Expected struct `Summary` but found `Plan`",
        ),
        (
            "truncated.ron",
            "damaged or not a summary: line 88, column 12: Unexpected end of RON",
        ),
    ] {
        rows.push(Row::new(
            &PathBuf::from(format!("{DIR}/{file}")),
            file.into(),
            Err(reason.into()),
        ));
    }
    rows.sort_by(|a, b| a.file.cmp(&b.file));
    Index {
        dir: PathBuf::from(DIR),
        rows,
        ..Index::default()
    }
}

fn browser() -> Browser {
    Browser::new(index(), Filter::default(), Sort::default())
}

fn observations() -> Vec<Attached> {
    let observations = Observations {
        version: 1,
        session_id: None,
        plan_title: "Managing Anxiety, session 3".into(),
        date: "2025-03-04".into(),
        trainee: "Mitu Hossain".into(),
        notes: vec![
            ObservationNote {
                at: "18:09".into(),
                about: "Rafiq".into(),
                tags: vec!["insight".into()],
                text: "Opened up after Farhana's check-in".into(),
                segment: Some("Check-in round".into()),
            },
            ObservationNote {
                at: "18:13".into(),
                about: "Shirin".into(),
                tags: vec!["risk".into()],
                text: "Looked withdrawn; the facilitator noticed and checked in".into(),
                segment: None,
            },
        ],
    };
    vec![Attached {
        observations,
        how: How::TimeOverlap,
        path: PathBuf::from("/home/trainee/observations/mitu.ron"),
    }]
}

fn session_screen(with_observations: bool) -> SessionScreen {
    let (path, summary) = summaries().swap_remove(0);
    let observations = if with_observations {
        observations()
    } else {
        Vec::new()
    };
    let mut screen = SessionScreen::new(path, Ok(summary));
    screen.observations = observations;
    screen
}

fn series_screen() -> SeriesScreen {
    let tuesdays: Vec<_> = summaries().into_iter().take(3).collect();
    SeriesScreen::new(series::build("Tuesday evening anxiety group", tuesdays))
}

fn flags_screen() -> FlagsScreen {
    let all = summaries();
    let mut screen = FlagsScreen::from_flags(series::all_flags(all.iter().map(|(p, s)| (p, s))));
    screen.selected = 1;
    screen
}

fn render(b: &Browser, width: u16, height: u16) -> String {
    let theme = Theme::dark();
    let mut terminal = Terminal::new(TestBackend::new(width, height)).expect("a test terminal");
    terminal
        .draw(|frame| ui::draw(frame, b, &theme))
        .expect("drawing never fails");
    let buffer = terminal.backend().buffer();
    let mut out = String::new();
    for y in 0..height {
        let mut line = String::new();
        for x in 0..width {
            line.push_str(buffer[(x, y)].symbol());
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

fn key(code: KeyCode) -> KeyEvent {
    KeyEvent::new(code, KeyModifiers::NONE)
}

/// Snapshots of `b` at both sizes.
fn both(name: &str, b: &mut Browser) {
    for (w, h) in [(80, 24), (120, 40)] {
        b.resize((w, h));
        insta::assert_snapshot!(format!("{name}_{w}x{h}"), render(b, w, h));
    }
}

#[test]
fn list() {
    both("list", &mut browser());
}

#[test]
fn list_filtered_and_sorted() {
    let mut b = browser();
    for c in "/anxiety fac:rahman".chars() {
        b.key(key(KeyCode::Char(c)));
    }
    b.key(key(KeyCode::Enter));
    b.key(key(KeyCode::Char('s')));
    b.key(key(KeyCode::Char('s')));
    b.key(key(KeyCode::Char('S')));
    assert_eq!(b.visible.len(), 3, "the three Tuesday sessions, no errors");
    b.status = None;
    both("list_filtered", &mut b);
}

#[test]
fn list_while_typing_a_filter() {
    let mut b = browser();
    for c in "/flags".chars() {
        b.key(key(KeyCode::Char(c)));
    }
    both("list_typing_filter", &mut b);
}

#[test]
fn list_empty_after_filter() {
    let mut b = browser();
    b.filter = Filter::parse("nobody");
    b.refresh(index());
    both("list_nothing_matches", &mut b);
}

#[test]
fn session() {
    let mut b = browser();
    b.screens.push(Screen::Session(Box::new(session_screen(false))));
    both("session", &mut b);
}

#[test]
fn a_narrow_session_view_never_cuts_off_its_flags() {
    let mut b = browser();
    b.screens.push(Screen::Session(Box::new(session_screen(false))));
    for width in [50, 60, 66, 71, 80] {
        b.resize((width, 24));
        let screen = render(&b, width, 24);
        assert!(screen.contains("Flags R2 F2"), "at {width}: {screen}");
        assert!(screen.contains("Present 7/8"), "at {width}: {screen}");
    }
}

#[test]
fn session_scrolled_to_notes() {
    let mut b = browser();
    let mut screen = session_screen(false);
    screen.scroll = 40;
    b.screens.push(Screen::Session(Box::new(screen)));
    both("session_notes", &mut b);
}

#[test]
fn session_with_trainee_observations() {
    let mut b = browser();
    let mut screen = session_screen(true);
    screen.scroll = 44;
    b.screens.push(Screen::Session(Box::new(screen)));
    both("session_observations", &mut b);
}

#[test]
fn session_that_did_not_open() {
    let mut b = browser();
    b.screens.push(Screen::Session(Box::new(SessionScreen::new(
        PathBuf::from(format!("{DIR}/truncated.ron")),
        Err("damaged or not a summary: line 88, column 12: Unexpected end of RON".into()),
    ))));
    both("session_error", &mut b);
}

/// The wrap-up of the first Tuesday session, every field written and every flag closed.
fn finished_wrapup() -> WrapUp {
    let (_, summary) = summaries().swap_remove(0);
    let mut w = WrapUp::from_summary(&summary, Template::Dap);
    w.group.themes = "Sleep and worry; noticing avoidance".into();
    for risk in &mut w.risks {
        risk.action = "Safety plan reviewed".into();
        risk.told = "On-call psychiatrist".into();
    }
    for follow_up in &mut w.follow_ups {
        follow_up.due = Some("2025-03-11".into());
    }
    for member in &mut w.members {
        member.fields.assessment = format!("{} engaged with the exercise", member.name);
        member.fields.plan = "Continue the worry log".into();
    }
    w.finished = true;
    w
}

/// The same, saved with a risk flag nobody was told of and a member without a plan.
fn incomplete_wrapup() -> WrapUp {
    let mut w = finished_wrapup();
    if let Some(risk) = w.risks.iter_mut().find(|r| r.about == "Rafiq") {
        risk.told.clear();
    }
    if let Some(member) = w.members.iter_mut().find(|m| m.name == "Farhana") {
        member.fields.plan.clear();
    }
    w
}

/// Snapshots at both sizes of the session view scrolled to its wrap-up.
fn at_wrapup(name: &str, wrapup: Found) {
    for (w, h) in [(80u16, 24u16), (120, 40)] {
        let mut screen = session_screen(false);
        screen.wrapup = wrapup.clone();
        let lines = screen.document(usize::from(w)).lines.clone();
        screen.scroll = lines
            .iter()
            .position(|l| l.text() == " Wrap-up")
            .expect("the session view has a wrap-up section");
        let mut b = browser();
        b.screens.push(Screen::Session(Box::new(screen)));
        b.resize((w, h));
        insta::assert_snapshot!(format!("{name}_{w}x{h}"), render(&b, w, h));
    }
}

#[test]
fn session_with_a_finished_wrapup() {
    at_wrapup(
        "wrapup_finished",
        Found::Saved {
            wrapup: Box::new(finished_wrapup()),
            draft: false,
        },
    );
}

#[test]
fn session_with_an_incomplete_wrapup() {
    at_wrapup(
        "wrapup_incomplete",
        Found::Saved {
            wrapup: Box::new(incomplete_wrapup()),
            draft: false,
        },
    );
}

#[test]
fn session_without_a_wrapup() {
    at_wrapup("wrapup_none", Found::NotWritten);
}

#[test]
fn session_whose_wrapup_did_not_open() {
    let error = WrapUpError::OtherSession {
        file: PathBuf::from(format!("{DIR}/2025-03-04_1800_managing-anxiety-3.wrapup.ron")),
        found: "2025-02-25T18:00:00+06:00-x1".into(),
        expected: "2025-03-04T18:00:00+06:00-a7".into(),
    };
    let summary = PathBuf::from(format!("{DIR}/2025-03-04_1800_managing-anxiety-3.ron"));
    at_wrapup("wrapup_failed", Found::failed(&error, &summary));
}

#[test]
fn an_open_risk_flag_reads_without_colour() {
    let mut screen = session_screen(false);
    screen.wrapup = Found::Saved {
        wrapup: Box::new(incomplete_wrapup()),
        draft: false,
    };
    let lines = screen.document(120).lines.clone();
    let open = lines
        .iter()
        .find(|l| l.text().contains("INCOMPLETE: who was told is not recorded"))
        .expect("the open risk flag is shown");
    assert!(
        open.pieces
            .iter()
            .any(|p| p.bold && p.text.contains("INCOMPLETE")),
        "said in bold, not by colour alone: {open:?}"
    );
    let missing = lines
        .iter()
        .find(|l| l.text().contains("Missing:"))
        .expect("what is missing is listed");
    assert!(missing.text().contains("about Rafiq"), "{}", missing.text());
}

#[test]
fn series_view() {
    let mut b = browser();
    b.screens.push(Screen::Series(Box::new(series_screen())));
    both("series", &mut b);
}

#[test]
fn series_scrolled_to_flags() {
    let mut b = browser();
    let mut screen = series_screen();
    screen.scroll = 30;
    b.screens.push(Screen::Series(Box::new(screen)));
    both("series_flags", &mut b);
}

#[test]
fn flags_view() {
    let mut b = browser();
    b.screens.push(Screen::Flags(flags_screen()));
    both("flags", &mut b);
}

#[test]
fn help_overlay() {
    let mut b = browser();
    b.key(key(KeyCode::Char('?')));
    assert!(b.help);
    both("help", &mut b);
}

#[test]
fn a_refused_export_keeps_its_prompt_and_says_why_whole() {
    let mut b = browser();
    b.key(key(KeyCode::Char('e')));
    let long =
        "/home/supervisor/Documents/clinic/supervision/2025/march/tuesday-evening-anxiety-group/report.md";
    b.export_refused(
        std::path::Path::new(long),
        "cannot write the export: No such file or directory (os error 2)",
    );
    let screen = render(&b, 80, 24);
    assert!(screen.contains("No such file or directory"), "{screen}");
    assert!(
        screen.contains("tuesday-evening-anxiety-group/report.md▏"),
        "the end of what is typed shows: {screen}"
    );
    both("export_refused", &mut b);
}

#[test]
fn export_prompt() {
    let mut b = browser();
    b.key(key(KeyCode::Char('e')));
    both("export_prompt", &mut b);
}

#[test]
fn too_small() {
    let b = browser();
    insta::assert_snapshot!("too_small_40x10", render(&b, 40, 10));
}

#[test]
fn the_smallest_browser_still_shows_every_session_and_its_time() {
    let mut b = browser();
    for width in [50, 60, 64, 72, 80, 99, 100, 119, 120] {
        b.resize((width, 12));
        let screen = render(&b, width, 12);
        let rows: Vec<&str> = screen.lines().filter(|l| l.contains("2025-03-18")).collect();
        assert_eq!(rows.len(), 1, "{screen}");
        assert!(rows[0].contains("Tuesday"), "the group at {width}: {screen}");
        assert_eq!(
            rows[0].contains("18:00"),
            width >= 72,
            "the time at {width}: {screen}"
        );
        assert!(
            screen.lines().all(|l| l.chars().count() <= usize::from(width)),
            "{screen}"
        );
        // Every column's header sits over its cells: the status's, last, lines up.
        let header = screen.lines().find(|l| l.contains("Date")).unwrap_or_default();
        assert_eq!(
            header.find("Status").map(|at| header[..at].chars().count()),
            rows[0].find("draft").map(|at| rows[0][..at].chars().count()),
            "at {width}: {screen}"
        );
    }
}

#[test]
fn no_information_by_colour_alone() {
    // With every colour off, flags still read R/F, the selected row still has its marker.
    let b = browser();
    let theme = Theme::dark().monochrome();
    let mut terminal = Terminal::new(TestBackend::new(120, 40)).expect("a test terminal");
    terminal.draw(|f| ui::draw(f, &b, &theme)).expect("draws");
    let text = render(&b, 120, 40);
    assert!(text.contains("▶ 2025-03-18"), "{text}");
    assert!(text.contains("R2 F2"), "{text}");
}

#[test]
fn a_withdrawn_or_corrected_note_says_so_in_the_session_view() {
    let (path, mut summary) = summaries().swap_remove(0);
    summary.notes[0].withdrawn = Some("18:21:10".into());
    if let Some(second) = summary.notes.get_mut(1) {
        second.amended = Some("18:30:05".into());
        second.first_text = Some("what it first said".into());
    }
    let mut b = browser();
    let mut screen = SessionScreen::new(path, Ok(summary));
    screen.scroll = 40;
    b.screens.push(Screen::Session(Box::new(screen)));
    b.resize((120, 80));
    let shown = render(&b, 120, 80);
    assert!(shown.contains("(WITHDRAWN 18:21:10)"), "{shown}");
}
