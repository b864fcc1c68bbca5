//! The summary of a whole session built from events, at fixed times and a fixed offset.

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use chrono::FixedOffset;
use proptest::prelude::*;

use super::*;
use crate::plan::{BUILTIN_PLAN, BUILTIN_ROSTER, parse_plan, parse_roster};
use crate::session::{About, Attendance, Downtime, Event, Millis, Note, State, Tag};

/// 2025-03-04 18:00:00 at UTC+06:00.
const T0: Millis = 1_741_089_600_000;
const SEC: Millis = 1000;
const MIN: Millis = 60 * SEC;

fn offset() -> FixedOffset {
    FixedOffset::east_opt(6 * 3600).expect("a valid offset")
}

fn at(minutes: i64) -> Millis {
    T0 + minutes * MIN
}

fn note(minutes: i64, about: About, tags: Vec<Tag>, text: &str) -> Event {
    let at = at(minutes);
    Event::NoteAdded {
        at,
        note: Note::new(at, about, tags, text),
    }
}

fn present(minutes: i64, member: usize) -> Event {
    Event::AttendanceMarked {
        at: at(minutes),
        member,
        status: Attendance::Present,
    }
}

fn turn(from: i64, member: usize) -> Event {
    Event::TurnStarted { at: at(from), member }
}

fn turn_ended(minutes: i64) -> Event {
    Event::TurnEnded { at: at(minutes) }
}

fn entered(minutes: i64, index: usize) -> Event {
    Event::SegmentEntered {
        at: at(minutes),
        index,
    }
}

/// The built-in plan (90 minutes, seven segments) with its roster of eight: Farhana 0,
/// Rafiq 1, Joy 2, Tanvir 3, Shirin 4, Arif 5, Lipi 6, Kamal 7.
fn session_events() -> Vec<Event> {
    let plan = parse_plan(BUILTIN_PLAN, Path::new("p.ron")).expect("the built-in plan loads");
    let roster = parse_roster(BUILTIN_ROSTER, Path::new("r.ron")).expect("the built-in roster loads");
    vec![
        Event::Started {
            at: at(-2),
            plan,
            roster,
            seed: 7,
        },
        Event::ClockStarted { at: at(0) },
        // Roll call: five here at the start; Tanvir absent; Lipi and Kamal not marked yet.
        present(0, 0),
        present(0, 1),
        present(0, 2),
        present(0, 4),
        present(0, 5),
        Event::AttendanceMarked {
            at: at(1),
            member: 3,
            status: Attendance::Absent,
        },
        // Opening: 5m planned, extended by 2m, ran 7m.
        Event::SegmentAdjusted {
            at: at(4),
            index: 0,
            delta_secs: 120,
        },
        entered(7, 1),
        // Check-in round: 15m planned, ran 17m.
        turn(7, 0),
        note(
            8,
            About::Segment(1),
            vec![Tag::Insight],
            "Members link thoughts and feelings quickly",
        ),
        turn_ended(9),
        turn(9, 1),
        Event::TurnEnded {
            at: at(10) + 30 * SEC,
        },
        Event::Passed {
            at: at(10) + 30 * SEC,
            member: 2,
        },
        Event::TurnStarted {
            at: at(10) + 30 * SEC,
            member: 4,
        },
        note(
            11,
            About::Member(0),
            vec![Tag::FollowUp],
            "Mentioned sleep problems",
        ),
        turn(12, 5),
        Event::AttendanceMarked {
            at: at(12),
            member: 6,
            status: Attendance::Late { at: at(12) },
        },
        Event::Passed {
            at: at(12) + 20 * SEC,
            member: 5,
        },
        turn(13, 6),
        note(
            13,
            About::Member(4),
            vec![Tag::Risk, Tag::FollowUp],
            "Said \"I can't go on\" | check in after",
        ),
        turn_ended(14),
        note(14, About::Group, vec![], "Good energy\nin the room"),
        note(
            16,
            About::Member(1),
            vec![Tag::Risk, Tag::Custom("sleep".into())],
            "Talked about self-harm urges",
        ),
        entered(24, 2),
        // Behind by 4m: the rest is rebalanced; the break is listed but unchanged.
        Event::Rebalanced {
            at: at(24),
            planned: vec![(2, 600), (3, 1080), (4, 300), (5, 900)],
        },
        entered(34, 3),
        // Thought record: a 5m pause and 6m down after a crash, counted as paused.
        Event::ClockPaused { at: at(40) },
        Event::ClockStarted { at: at(45) },
        Event::Heartbeat { at: at(50) },
        Event::Resumed {
            at: at(56),
            down_since: at(50),
            counted: Downtime::Paused,
        },
        entered(63, 4),
        Event::SegmentSkipped { at: at(63), index: 4 },
        entered(63, 5),
        // Open discussion: 15m after the rebalance, ran 17m.
        turn(65, 1),
        turn_ended(68),
        turn(70, 0),
        turn(72, 6),
        turn_ended(75),
        Event::AttendanceMarked {
            at: at(78),
            member: 4,
            status: Attendance::LeftEarly { at: at(78) },
        },
        entered(80, 6),
        // Check-out: shortened by 2m, ran 9m; Lipi still speaks when the session ends.
        Event::SegmentAdjusted {
            at: at(80),
            index: 6,
            delta_secs: -120,
        },
        turn(80, 0),
        turn(81, 1),
        turn_ended(82),
        turn(88, 6),
        Event::Ended { at: at(89) },
    ]
}

fn session() -> State {
    State::fold(&session_events()).expect("the events begin with Started")
}

fn summary() -> Summary {
    derive(&session(), "2025-03-04T12-00-00Z-test", offset())
}

#[test]
fn header_and_times() {
    let s = summary();
    assert_eq!(s.version, SUMMARY_VERSION);
    assert_eq!(s.session_id, "2025-03-04T12-00-00Z-test");
    assert_eq!(s.title, "Managing Anxiety, session 3: thoughts and feelings");
    assert_eq!(s.kind, "CBT");
    assert_eq!(
        s.series,
        Some(SeriesInfo {
            name: "Tuesday evening anxiety group".into(),
            session: 3,
            of: 8
        })
    );
    assert_eq!(s.group, "Tuesday evening anxiety group");
    assert_eq!(s.date, "2025-03-04");
    assert_eq!(s.started.as_deref(), Some("2025-03-04T18:00:00+06:00"));
    assert_eq!(s.ended.as_deref(), Some("2025-03-04T19:29:00+06:00"));
    assert_eq!(
        s.facilitators[0],
        Facilitator {
            name: "Dr. Nadia Rahman".into(),
            role: "lead".into()
        }
    );
    assert_eq!(s.facilitators[1].role, "co-facilitator");
    assert_eq!(s.trainees, vec!["Mitu Hossain".to_owned()]);
}

#[test]
fn session_time_against_the_plan() {
    let s = summary();
    assert_eq!(s.planned_secs, 90 * 60);
    // 7 + 17 + 10 + 18 + 0 + 17 + 9 minutes on the clock.
    assert_eq!(s.actual_secs, 78 * 60);
    assert_eq!(s.over_under_secs, -12 * 60);
    // The 5m pause and the 6m downtime counted as paused.
    assert_eq!(s.paused_secs, 11 * 60);
}

#[test]
fn attendance_names_every_member_with_times() {
    let s = summary();
    let status: Vec<(&str, Presence, Option<&str>)> = s
        .attendance
        .iter()
        .map(|a| (a.name.as_str(), a.status, a.at.as_deref()))
        .collect();
    assert_eq!(
        status,
        vec![
            ("Farhana", Presence::Present, None),
            ("Rafiq", Presence::Present, None),
            ("Joy", Presence::Present, None),
            ("Tanvir", Presence::Absent, None),
            ("Shirin", Presence::LeftEarly, Some("19:18:00")),
            ("Arif", Presence::Present, None),
            ("Lipi", Presence::Late, Some("18:12:00")),
            // Never marked: not recorded, never taken for present.
            ("Kamal", Presence::NotRecorded, None),
        ]
    );
    assert_eq!(s.present_count(), 6);
    // Minutes attended, from the clock's start (18:00) to the end (19:29), to the second,
    // less the six minutes the console was down and counted as paused.
    let attended: Vec<Option<u64>> = s.attendance.iter().map(|a| a.attended_secs).collect();
    assert_eq!(
        attended,
        vec![
            Some(83 * 60),
            Some(83 * 60),
            Some(83 * 60),
            None,
            Some(72 * 60),
            Some(83 * 60),
            Some(71 * 60),
            None,
        ]
    );
    assert_eq!(s.attendance[6].arrived.as_deref(), Some("18:12:00"));
    assert_eq!(s.attendance[4].left.as_deref(), Some("19:18:00"));
}

#[test]
fn each_segment_planned_vs_actual() {
    let s = summary();
    let rows: Vec<(u64, u64, u64, Outcome, i64, bool)> = s
        .segments
        .iter()
        .map(|g| {
            (
                g.planned_secs,
                g.final_planned_secs,
                g.actual_secs,
                g.status,
                g.adjusted_secs,
                g.rebalanced,
            )
        })
        .collect();
    assert_eq!(
        rows,
        vec![
            (300, 420, 420, Outcome::Done, 120, false),
            (900, 900, 1020, Outcome::Done, 0, false),
            (900, 600, 600, Outcome::Done, 0, true),
            (1200, 1080, 1080, Outcome::Done, 0, true),
            (300, 300, 0, Outcome::Skipped, 0, false),
            (1200, 900, 1020, Outcome::Done, 0, true),
            (600, 480, 540, Outcome::Done, -120, false),
        ]
    );
    assert_eq!(s.segments[1].title, "Check-in round");
    assert_eq!(s.segments[1].kind, "Check-in");
}

#[test]
fn every_turn_with_who_when_and_how_long() {
    let s = summary();
    assert_eq!(s.turns.len(), 12);
    assert_eq!(
        s.turns[0],
        TurnSummary {
            member: "Farhana".into(),
            segment: "Check-in round".into(),
            start: "18:07:00".into(),
            length_secs: 120,
            passed: false,
        }
    );
    // Joy passed without speaking; Arif had the floor, then passed: a pass takes no airtime.
    assert_eq!(
        (
            s.turns[2].member.as_str(),
            s.turns[2].length_secs,
            s.turns[2].passed
        ),
        ("Joy", 0, true)
    );
    assert_eq!(
        (
            s.turns[4].member.as_str(),
            s.turns[4].length_secs,
            s.turns[4].passed
        ),
        ("Arif", 0, true)
    );
    // The turn still open at the end closes with it.
    let last = s.turns.last().expect("turns were taken");
    assert_eq!(
        (last.member.as_str(), last.start.as_str(), last.length_secs),
        ("Lipi", "19:28:00", 60)
    );
    assert_eq!(last.segment, "Check-out round");
}

#[test]
fn airtime_shares_and_who_never_spoke() {
    let s = summary();
    let secs: Vec<(&str, u64, u32, u32, bool)> = s
        .airtime
        .iter()
        .map(|a| (a.member.as_str(), a.secs, a.turns, a.passes, a.spoke))
        .collect();
    // Tanvir was absent and Kamal never recorded: both are left out.
    assert_eq!(
        secs,
        vec![
            ("Farhana", 300, 3, 0, true),
            ("Rafiq", 330, 3, 0, true),
            ("Joy", 0, 0, 1, false),
            ("Shirin", 90, 1, 0, true),
            ("Arif", 0, 0, 1, false),
            ("Lipi", 300, 3, 0, true),
        ]
    );
    let total: f64 = s.airtime.iter().map(|a| a.share).sum();
    assert!((total - 1.0).abs() < 1e-3, "shares sum to {total}");
    assert!((s.airtime[1].share - 330.0 / 1020.0).abs() < 1e-4);
    assert!(s.airtime.iter().all(|a| (a.equal_share - 1.0 / 6.0).abs() < 1e-4));
    assert_eq!(s.never_spoke, vec!["Joy".to_owned(), "Arif".into()]);
}

#[test]
fn notes_risk_first_then_follow_up_then_by_time() {
    let s = summary();
    let order: Vec<(&str, &str, bool, bool)> = s
        .notes
        .iter()
        .map(|n| (n.at.as_str(), n.about.as_str(), n.risk, n.follow_up))
        .collect();
    assert_eq!(
        order,
        vec![
            ("18:13:00", "Shirin", true, true),
            ("18:16:00", "Rafiq", true, false),
            ("18:11:00", "Farhana", false, true),
            ("18:08:00", "Check-in round", false, false),
            ("18:14:00", "group", false, false),
        ]
    );
    assert_eq!(s.notes[1].tags, vec!["risk".to_owned(), "sleep".into()]);
    assert_eq!(
        s.flags,
        Flags {
            risk: 2,
            follow_up: 2
        }
    );
}

#[test]
fn rebalances_and_downtime_are_recorded() {
    let s = summary();
    assert_eq!(
        s.rebalances,
        vec![RebalanceSummary {
            at: "18:24:00".into(),
            changes: vec![
                RebalanceChange {
                    segment: "The thought, feeling, behaviour cycle".into(),
                    from_secs: 900,
                    to_secs: 600
                },
                RebalanceChange {
                    segment: "Thought record".into(),
                    from_secs: 1200,
                    to_secs: 1080
                },
                RebalanceChange {
                    segment: "Open discussion".into(),
                    from_secs: 1200,
                    to_secs: 900
                },
            ],
        }]
    );
    assert_eq!(
        s.downtimes,
        vec![DowntimeSummary {
            from: "18:50:00".into(),
            to: "18:56:00".into(),
            secs: 360,
            counted: "paused".into()
        }]
    );
    assert_eq!(s.plan_reloads, 0);
}

#[test]
fn a_session_never_ended_is_summarised_up_to_its_last_event() {
    let mut events = session_events();
    events.truncate(events.len() - 1);
    events.push(Event::Heartbeat {
        at: at(88) + 30 * SEC,
    });
    let state = State::fold(&events).expect("starts with Started");
    let s = derive(&state, "open", offset());
    assert_eq!(s.ended, None);
    let last = s.turns.last().expect("turns were taken");
    assert_eq!(last.length_secs, 30);
    assert_eq!(s.segments[6].status, Outcome::Done);
    assert_eq!(s.segments[6].actual_secs, 8 * 60 + 30);
}

#[test]
fn a_session_that_never_started_is_all_not_reached() {
    let events = &session_events()[..1];
    let state = State::fold(events).expect("starts with Started");
    let s = derive(&state, "empty", offset());
    assert_eq!(s.started, None);
    assert_eq!(s.date, "2025-03-04");
    assert_eq!(s.actual_secs, 0);
    assert!(s.segments.iter().all(|g| g.status == Outcome::NotReached));
    assert!(s.airtime.is_empty(), "nobody was recorded as attending");
    assert!(s.attendance.iter().all(|a| a.status == Presence::NotRecorded));
    assert!(s.never_spoke.is_empty());
    let md = to_markdown(&s);
    assert!(md.contains("No turns were taken."));
    assert!(md.contains("Did not reach **Welcome and group agreements**"));
}

#[test]
fn derive_reads_no_clock() {
    assert_eq!(summary(), summary());
}

#[test]
fn ron_round_trip() {
    let s = summary();
    let text = to_ron(&s);
    assert!(text.starts_with("#![enable(implicit_some)]"), "{text}");
    assert!(
        text.contains("Summary(") && text.contains("version: 3,"),
        "{text}"
    );
    assert_eq!(parse_summary(&text).expect("its own output parses"), s);
}

#[test]
fn markdown_report() {
    insta::assert_snapshot!(to_markdown(&summary()));
}

#[test]
fn write_summary_never_overwrites_and_is_owner_only() -> std::io::Result<()> {
    let root = tempfile::tempdir()?;
    let dir = root.path().join("data").join("summaries");
    let s = summary();
    let (ron1, md1) = write_summary(&dir, &s)?;
    let (ron2, md2) = write_summary(&dir, &s)?;
    let name = |p: &Path| {
        p.file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default()
    };
    let stem = "2025-03-04_1800_managing-anxiety-session-3-thoughts-and-feelings";
    assert_eq!(name(&ron1), format!("{stem}.ron"));
    assert_eq!(name(&md1), format!("{stem}.md"));
    assert_eq!(name(&ron2), format!("{stem}-2.ron"));
    assert_eq!(name(&md2), format!("{stem}-2.md"));
    for file in [&ron1, &md1, &ron2, &md2] {
        assert_eq!(
            fs::metadata(file)?.permissions().mode() & 0o777,
            0o600,
            "{}",
            file.display()
        );
    }
    assert_eq!(fs::metadata(&dir)?.permissions().mode() & 0o777, 0o700);
    assert_eq!(fs::read_dir(&dir)?.count(), 4, "no temporary file is left behind");
    assert_eq!(read_summary(&ron1).map_err(std::io::Error::other)?, s);
    assert_eq!(fs::read_to_string(&md2)?, to_markdown(&s));
    Ok(())
}

fn fixture() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/summary-v1.ron")
}

#[test]
fn a_version_1_summary_still_opens() {
    let s = read_summary(&fixture()).expect("the version 1 fixture opens");
    assert_eq!(s.version, 1);
    assert_eq!(s.title, "Managing Anxiety, session 3: thoughts and feelings");
    assert_eq!(s.series.as_ref().map(|x| (x.session, x.of)), Some((3, 8)));
    assert_eq!(s.group, "Tuesday evening anxiety group");
    assert_eq!(s.date, "2025-03-04");
    assert_eq!(s.over_under_secs, -720);
    assert_eq!(s.attendance.len(), 8);
    assert_eq!(s.attendance[3].status, Presence::Absent);
    assert_eq!(s.segments[4].status, Outcome::Skipped);
    assert_eq!(s.turns.len(), 12);
    assert_eq!(
        s.never_spoke,
        vec!["Joy".to_owned(), "Arif".into(), "Kamal".into()]
    );
    assert_eq!(
        s.flags,
        Flags {
            risk: 2,
            follow_up: 2
        }
    );
    assert!(s.notes[0].risk);
    assert_eq!(s.downtimes[0].counted, "paused");
    // What this version writes for it still reads back the same.
    assert_eq!(parse_summary(&to_ron(&s)).expect("round trip"), s);
}

#[test]
fn a_newer_summary_is_refused_with_a_clear_message() {
    let text = to_ron(&summary()).replace("version: 3,", "version: 4,");
    let error = parse_summary(&text).expect_err("version 4 is newer");
    assert!(
        matches!(error, SummaryError::TooNew { found: 4, .. }),
        "{error:?}"
    );
    assert!(
        error
            .to_string()
            .contains("written by a newer holdspace (version 4)"),
        "{error}"
    );

    // A newer version may change what fields hold: still "newer", not "damaged".
    let changed = text.replace(
        "planned_secs: 5400,",
        "planned_secs: \"90m\",\n    mood: Calm(3),",
    );
    assert_ne!(changed, text);
    let error = parse_summary(&changed).expect_err("version 4 is newer");
    assert!(
        matches!(error, SummaryError::TooNew { found: 4, .. }),
        "{error:?}"
    );

    let zero = to_ron(&summary()).replace("version: 3,", "version: 0,");
    let error = parse_summary(&zero).expect_err("there is no version 0");
    assert!(matches!(error, SummaryError::NoVersion { .. }), "{error:?}");
}

#[test]
fn damaged_files_are_errors_with_a_position() -> std::io::Result<()> {
    let dir = tempfile::tempdir()?;
    let cases: [(&str, &[u8]); 5] = [
        ("empty.ron", b""),
        ("blank.ron", b"  \n\n"),
        ("garbage.ron", b"Summary(\n    version: 1,\n    title: 42,\n)"),
        ("binary.ron", b"\x00\x01\x02Summary("),
        ("latin1.ron", b"Summary(title: \"caf\xe9\")"),
    ];
    for (name, bytes) in cases {
        let path = dir.path().join(name);
        fs::write(&path, bytes)?;
        let error = read_summary(&path).expect_err(name);
        assert!(
            error.to_string().starts_with(&path.display().to_string()),
            "{error}"
        );
    }
    let error = read_summary(&dir.path().join("garbage.ron")).expect_err("garbage");
    assert!(matches!(error, SummaryError::Parse { line: 3, .. }), "{error:?}");
    assert!(error.to_string().contains("garbage.ron:3:"), "{error}");
    assert!(matches!(
        read_summary(&dir.path().join("missing.ron")),
        Err(SummaryError::Io { .. })
    ));
    assert!(matches!(read_summary(dir.path()), Err(SummaryError::Io { .. })));
    Ok(())
}

#[test]
fn oversized_input_is_refused_before_parsing() {
    let big = vec![b' '; usize::try_from(MAX_SUMMARY_BYTES).unwrap_or(usize::MAX) + 1];
    let error = parse_summary_bytes(&big, Path::new("big.ron")).expect_err("too large");
    assert!(matches!(error, SummaryError::TooLarge { .. }), "{error:?}");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn truncated_summaries_are_errors_not_panics(cut in 0.0f64..1.0) {
        let text = to_ron(&summary());
        let bytes = text.as_bytes();
        let len = ((bytes.len() as f64) * cut) as usize;
        // Only the closing newline may go and leave a whole summary.
        let result = parse_summary_bytes(&bytes[..len], Path::new("cut.ron"));
        if len + 1 < bytes.len() {
            prop_assert!(result.is_err(), "a cut at {} of {} parsed", len, bytes.len());
        }
    }
}

#[test]
fn a_corrected_note_keeps_what_it_first_said_to_the_second() {
    let mut events = session_events();
    let ended = events.pop().expect("the end");
    let first = session().notes[0].clone();
    events.push(Event::NoteAmended {
        at: at(40) + 7 * SEC,
        index: 0,
        about: About::Group,
        tags: first.tags.clone(),
        text: "corrected text".into(),
    });
    events.push(ended);
    let state = State::fold(&events).expect("the events begin with Started");
    let summary = derive(&state, "2025-03-04T12-00-00Z-test", offset());
    let note = summary
        .notes
        .iter()
        .find(|n| n.text == "corrected text")
        .expect("the corrected note");
    assert_eq!(note.amended.as_deref(), Some("18:40:07"));
    assert_eq!(note.first_text.as_deref(), Some(first.text.as_str()));
    assert!(note.first_about.is_some(), "it was about someone else first");
    let markdown = to_markdown(&summary);
    assert!(
        markdown.contains("(amended 18:40:07; first written about "),
        "{markdown}"
    );
    assert!(markdown.contains(&first.text), "{markdown}");
}
