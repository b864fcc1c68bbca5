//! The live console end to end: the real binary in tmux, played as a facilitator would,
//! then the saved summary read back and checked.

mod e2e;

use std::fs;
use std::path::Path;
use std::time::Duration;

use e2e::{REPORT_TTY, Sandbox, Tui, header, mode_of};
use holdspace::keymap::{Action, Context, Keymap};
use holdspace::summary::{Outcome, Presence, read_summary};

/// A short plan: a round with tiny per-speaker time (so a speaker's time-up notification
/// fires), a 5-second segment (so overtime comes within seconds), and one never reached.
const SHORT_PLAN: &str = r#"#![enable(implicit_some)]
Plan(
    title: "E2E quick session",
    kind: Support,
    duration: "13m5s",
    warnings: ["3s"],
    agenda: [
        Segment(
            title: "Opening round",
            kind: CheckIn,
            duration: "10m",
            speaking: Round(per_speaker: "2s", order: Roster),
        ),
        Segment(title: "Quick breath", kind: Exercise, duration: "5s"),
        Segment(title: "Closing words", kind: Closing, duration: "3m"),
    ],
)
"#;

const MEMBERS: [&str; 8] = [
    "Farhana", "Rafiq", "Joy", "Tanvir", "Shirin", "Arif", "Lipi", "Kamal",
];

fn roster_path() -> String {
    e2e::manifest_dir()
        .join("session-plans/rosters/tuesday-anxiety.ron")
        .display()
        .to_string()
}

/// The row of the speakers panel that names `member`.
fn member_row<'a>(screen: &'a str, member: &str) -> Option<&'a str> {
    let needle = format!(" {member} ");
    screen.lines().find(|line| line.contains(&needle))
}

#[test]
fn a_short_session_played_through_is_summarised_faithfully() {
    if e2e::skip_without_tmux("console_e2e::a_short_session_played_through_is_summarised_faithfully") {
        return;
    }
    let sandbox = Sandbox::new();
    let plan = sandbox.write("plans/quick.ron", SHORT_PLAN);
    let notify_log = sandbox.path().join("notifications.log");
    let (args, mut env) = e2e::run_args(
        &sandbox,
        &[&plan.display().to_string(), "--roster", &roster_path()],
    );
    env.push(("HOLDSPACE_NOTIFY_LOG".into(), notify_log.display().to_string()));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let tui = Tui::start_then(&args, &env, REPORT_TTY, 100, 30);

    let screen = tui.wait_saved("⏸ not started");
    assert!(screen.contains("E2E quick session"), "{screen}");
    assert!(screen.contains("1 of 3"), "{screen}");
    assert!(tui.alternate_screen(), "the console uses the alternate screen");

    // Start the clock and take the round: Farhana, Rafiq (who passes), Joy.
    tui.key("Space");
    tui.wait_for("▶ running");
    tui.key("Tab");
    tui.wait_for("Speaking Farhana");
    tui.key("Tab");
    tui.wait_for("Speaking Rafiq");
    tui.key("x");
    // A pass is marked as such in the speakers list.
    tui.wait_until("Joy speaking after Rafiq's pass", e2e::TIMEOUT, |s| {
        s.contains("Speaking Joy") && member_row(s, "Rafiq").is_some_and(|r| r.contains('↷'))
    });

    // A follow-up note about a chosen member (Tanvir, label 4), typed with its tag key.
    tui.key("N");
    tui.wait_for("Note about: press a member's label");
    tui.key("4");
    tui.wait_for("About Tanvir");
    tui.type_text("Tanvir asked about sleep hygiene");
    tui.key("M-f");
    tui.wait_for("Tags #follow-up");
    tui.key("Enter");
    tui.wait_for("Notes (1)");

    // A note about the speaker with a #risk tag written in the text.
    tui.key("n");
    tui.wait_for("About Joy");
    tui.type_text("Joy said she feels unsafe at home #risk");
    tui.key("Enter");
    // A risk note stands out.
    tui.wait_for_all(&["Notes (2)", "!RISK"]);

    // Attendance: Lipi (7) absent, Shirin (5) late; marks are capitals, labels choose.
    tui.key("a");
    tui.wait_for("Attendance");
    tui.send(&["7", "X"]);
    tui.wait_until("Lipi marked absent in the popup", e2e::TIMEOUT, |s| {
        s.lines().any(|l| l.contains("Lipi") && l.contains("absent"))
    });
    tui.send(&["5", "L"]);
    tui.wait_until("Shirin marked late in the popup", e2e::TIMEOUT, |s| {
        s.lines()
            .any(|l| l.contains("Shirin") && l.contains("late, arrived"))
    });
    tui.key("Escape");
    tui.wait_until(
        "the popup closed, Lipi absent and Shirin late",
        e2e::TIMEOUT,
        |s| {
            !s.contains("Attendance")
                && member_row(s, "Lipi").is_some_and(|r| r.contains("absent"))
                && member_row(s, "Shirin").is_some_and(|r| r.contains("late"))
        },
    );

    // A general two-line note (Alt-Enter makes the new line).
    tui.key("n");
    tui.wait_for("About Joy");
    tui.type_text("first line");
    tui.key("M-Enter");
    tui.type_text("second line");
    tui.key("Enter");
    tui.wait_for("Notes (3)");

    // Joy runs over her turn's target: the speaker's line shows by how much.
    tui.wait_until("the speaker's overtime", Duration::from_secs(10), |s| {
        s.lines().any(|l| l.contains("Speaking Joy") && l.contains("(+"))
    });

    // Extend the round by a minute, then move to the 5-second segment.
    tui.key("+");
    tui.wait_for("planned 11:00 (+1m)");
    tui.key("Right");
    tui.wait_for_all(&["2 of 3", "Quick breath  Exercise"]);

    // Overtime: in words and as a signed countdown.
    let screen = tui.wait_until("OVERTIME and a +0:0x countdown", Duration::from_secs(12), |s| {
        s.contains("OVERTIME") && e2e::big_countdown(s).is_some_and(|c| c.starts_with("+0:0"))
    });
    let countdown = e2e::big_countdown(&screen).expect("a countdown");
    assert!(countdown.starts_with('+'), "overtime has a + sign: {countdown}");

    // The desktop notifications of the warnings never name a member.
    let log = e2e::wait_for_file(
        &notify_log,
        "the segment's time-up",
        Duration::from_secs(10),
        |t| t.contains("Quick breath: time is up"),
    );
    assert!(log.contains("Quick breath: 3s left"), "{log}");
    assert!(log.contains("The speaker's time is up"), "{log}");
    for name in MEMBERS {
        assert!(!log.contains(name), "a notification names {name}:\n{log}");
    }
    for secret in ["unsafe", "sleep", "Nadia", "Samir", "Mitu"] {
        assert!(!log.contains(secret), "a notification holds {secret:?}:\n{log}");
    }

    // The help overlay lists every action of the main screen with its keys.
    tui.key("?");
    let keys = Keymap::default();
    let lines: Vec<String> = Action::ALL
        .iter()
        .filter(|action| matches!(action.context(), Context::Global | Context::Main))
        .map(|action| format!("{}  {}", keys.label(*action), action.help()))
        .collect();
    tui.wait_until(
        &format!("the help overlay listing {lines:?}"),
        e2e::TIMEOUT,
        |s| lines.iter().all(|line| s.contains(line.as_str())),
    );
    tui.key("Escape");
    tui.wait_gone(Action::StartPause.help());

    // The curtain hides every name and note, and brings them back.
    tui.wait_for_all(&["Farhana", "Joy said"]);
    tui.key("c");
    let screen = tui.wait_until("the curtain drawn", e2e::TIMEOUT, |s| {
        s.contains("◼ curtain")
            && s.contains("hidden by the privacy curtain")
            && MEMBERS.iter().all(|name| !s.contains(name))
    });
    for name in MEMBERS {
        assert!(
            !screen.contains(name),
            "{name} shows behind the curtain:\n{screen}"
        );
    }
    for text in ["unsafe", "sleep", "RISK", "first line"] {
        assert!(
            !screen.contains(text),
            "{text:?} shows behind the curtain:\n{screen}"
        );
    }
    assert!(screen.contains("Member 1"), "{screen}");
    tui.key("c");
    tui.wait_until("the curtain lifted", e2e::TIMEOUT, |s| {
        !s.contains("◼ curtain") && MEMBERS.iter().all(|name| s.contains(name)) && s.contains("Joy said")
    });

    // Too small a terminal gets a message; the right size gets the console back.
    tui.resize(60, 20);
    tui.wait_for("Terminal too small");
    tui.resize(100, 30);
    tui.wait_until("the console back at 100x30", e2e::TIMEOUT, |s| {
        !s.contains("Terminal too small") && s.contains("Agenda") && s.contains("Quick breath")
    });

    // q asks; n keeps going. Ctrl-C asks too, and does not quit.
    tui.key("q");
    tui.wait_for("End the session now and save its summary?");
    tui.key("n");
    tui.wait_gone("End the session now");
    tui.key("C-c");
    tui.wait_for("End the session now and save its summary?");
    assert_eq!(tui.exited(), None, "Ctrl-C must not quit without asking");
    tui.key("Escape");
    tui.wait_until("the confirmation gone, still running", e2e::TIMEOUT, |s| {
        !s.contains("End the session now") && header(s).contains("▶ running")
    });

    // q, y: the end is journaled, then those never marked are asked about once: Tanvir
    // was here (P), the rest stay "not recorded". Then the summary is written, its paths
    // printed, and the terminal restored.
    tui.key("q");
    tui.wait_for("End the session now");
    tui.key("y");
    tui.wait_for_all(&["Who was here?", "Tanvir", "Kamal"]);
    tui.key("P");
    tui.wait_until("Tanvir answered", e2e::TIMEOUT, |s| {
        s.lines().any(|l| l.contains("Tanvir") && l.contains("was here"))
    });
    tui.key("Enter");
    // The summary is written; the wrap-up opens, and is left to finish later.
    tui.wait_for("Wrap-up · DAP");
    tui.key("Escape");
    let screen = tui.wait_for("[tty:");
    assert!(screen.contains("[holdspace exited with 0]"), "{screen}");
    assert!(
        screen.contains("[tty: sane]"),
        "the terminal was left raw:\n{screen}"
    );
    assert!(!tui.alternate_screen(), "the alternate screen was left on");
    let output = tui.screen_joined();
    assert!(output.contains("Session ended. Summary saved:"), "{output}");
    assert!(output.contains("The wrap-up is not finished"), "{output}");

    // The files.
    let rons = sandbox.summaries("ron");
    let mds = sandbox.summaries("md");
    assert_eq!(rons.len(), 1, "{rons:?}");
    assert_eq!(mds.len(), 1, "{mds:?}");
    for path in rons.iter().chain(&mds) {
        assert!(
            output.contains(&path.display().to_string()),
            "{} not printed:\n{output}",
            path.display()
        );
        assert_eq!(mode_of(path), 0o600, "{}", path.display());
    }
    let data = sandbox.data_dir();
    for dir in [
        data.clone(),
        data.join("summaries"),
        data.join("journal"),
        data.join("journal/archive"),
    ] {
        assert_eq!(mode_of(&dir), 0o700, "{}", dir.display());
    }
    assert!(
        sandbox.open_journals().is_empty(),
        "{:?}",
        sandbox.open_journals()
    );
    let archived = sandbox.archived_journals();
    assert_eq!(archived.len(), 1, "{archived:?}");
    assert_eq!(mode_of(&archived[0]), 0o600);

    let summary = read_summary(&rons[0]).expect("the summary reads back");
    assert_eq!(summary.title, "E2E quick session");
    assert_eq!(
        archived[0].file_stem().and_then(|s| s.to_str()),
        Some(summary.session_id.as_str()),
        "the archived journal is this session's"
    );
    assert!(summary.started.is_some() && summary.ended.is_some());

    // Attendance.
    let status = |name: &str| {
        summary
            .attendance
            .iter()
            .find(|a| a.name == name)
            .unwrap_or_else(|| panic!("{name} in attendance: {:?}", summary.attendance))
    };
    assert_eq!(status("Lipi").status, Presence::Absent);
    assert_eq!(status("Lipi").at, None);
    assert_eq!(status("Shirin").status, Presence::Late);
    assert!(
        status("Shirin")
            .at
            .as_deref()
            .is_some_and(|t| t.len() == 8 && t.matches(':').count() == 2),
        "{:?}",
        status("Shirin")
    );
    // Those who spoke were marked present by it; Tanvir by the closing question.
    for name in ["Farhana", "Rafiq", "Joy", "Tanvir"] {
        assert_eq!(status(name).status, Presence::Present, "{name}");
    }
    // Never marked, never taken for present.
    for name in ["Arif", "Kamal"] {
        assert_eq!(status(name).status, Presence::NotRecorded, "{name}");
    }
    assert_eq!(summary.present_count(), 5);
    assert!(status("Farhana").attended_secs.is_some_and(|s| s > 0));

    // Turns, the pass included.
    let turns: Vec<(&str, &str, bool)> = summary
        .turns
        .iter()
        .map(|t| (t.member.as_str(), t.segment.as_str(), t.passed))
        .collect();
    assert_eq!(
        turns,
        vec![
            ("Farhana", "Opening round", false),
            ("Rafiq", "Opening round", true),
            ("Joy", "Opening round", false),
        ]
    );
    assert_eq!(summary.never_spoke, vec!["Rafiq", "Tanvir", "Shirin"]);
    assert!(
        summary.airtime.iter().all(|a| a.member != "Lipi"),
        "an absent member without a turn has no airtime row"
    );

    // Notes: risk first, then follow-up, then the rest; tags and texts exact.
    let notes: Vec<(&str, Vec<&str>, &str)> = summary
        .notes
        .iter()
        .map(|n| {
            (
                n.about.as_str(),
                n.tags.iter().map(String::as_str).collect(),
                n.text.as_str(),
            )
        })
        .collect();
    assert_eq!(
        notes,
        vec![
            ("Joy", vec!["risk"], "Joy said she feels unsafe at home #risk"),
            ("Tanvir", vec!["follow-up"], "Tanvir asked about sleep hygiene"),
            ("Joy", vec![], "first line\nsecond line"),
        ]
    );
    assert!(summary.notes[0].risk && !summary.notes[0].follow_up);
    assert!(summary.notes[1].follow_up && !summary.notes[1].risk);
    assert_eq!((summary.flags.risk, summary.flags.follow_up), (1, 1));

    // Segments: planned vs actual.
    let segments = &summary.segments;
    assert_eq!(segments.len(), 3);
    assert_eq!(segments[0].title, "Opening round");
    assert_eq!(segments[0].planned_secs, 600);
    assert_eq!(segments[0].final_planned_secs, 660);
    assert_eq!(segments[0].adjusted_secs, 60);
    assert_eq!(segments[0].status, Outcome::Done);
    assert!(segments[0].actual_secs >= 1, "{:?}", segments[0]);
    assert_eq!(segments[1].title, "Quick breath");
    assert_eq!(segments[1].planned_secs, 5);
    assert_eq!(segments[1].final_planned_secs, 5);
    assert_eq!(segments[1].status, Outcome::Done);
    assert!(
        segments[1].actual_secs >= 5,
        "it ran into overtime: {:?}",
        segments[1]
    );
    assert_eq!(segments[2].status, Outcome::NotReached);
    assert_eq!(segments[2].actual_secs, 0);
    let sum: u64 = segments.iter().map(|s| s.actual_secs).sum();
    assert!(
        summary.actual_secs.abs_diff(sum) <= 1,
        "the session's time is its segments' time, give or take rounding: {} vs {sum}",
        summary.actual_secs
    );
    assert_eq!(summary.planned_secs, 785);

    // The Markdown report says the same in words.
    let markdown = fs::read_to_string(&mds[0]).expect("the report reads");
    for text in [
        "E2E quick session",
        "Joy said she feels unsafe at home",
        "Lipi",
        "Quick breath",
    ] {
        assert!(markdown.contains(text), "the report lacks {text:?}:\n{markdown}");
    }
}

#[test]
fn a_broken_plan_fails_with_its_location_and_leaves_the_terminal_sane() {
    if e2e::skip_without_tmux(
        "console_e2e::a_broken_plan_fails_with_its_location_and_leaves_the_terminal_sane",
    ) {
        return;
    }
    let sandbox = Sandbox::new();
    // Line 7 lacks the comma after the title.
    let plan = sandbox.write(
        "broken.ron",
        r#"Plan(
    title: "Broken",
    kind: Support,
    duration: "15m",
    agenda: [
        Segment(title: "One", kind: Opening, duration: "10m"),
        Segment(title: "Two" kind: Opening, duration: "5m"),
    ],
)
"#,
    );
    let plan_arg = plan.display().to_string();
    let (args, env) = e2e::run_args(&sandbox, &[&plan_arg]);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let tui = Tui::start_then(&args, &env, REPORT_TTY, 100, 30);
    tui.wait_for("[tty:");
    let output = tui.screen_joined();
    let status: i32 = output
        .split("[holdspace exited with ")
        .nth(1)
        .and_then(|rest| rest.split(']').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no exit status:\n{output}"));
    assert_ne!(status, 0, "{output}");
    assert!(
        output.contains(&format!("{plan_arg}:7:")),
        "the error names file:line:col:\n{output}"
    );
    let located = output
        .split(&format!("{plan_arg}:7:"))
        .nth(1)
        .and_then(|rest| rest.split(':').next())
        .is_some_and(|col| col.trim().parse::<u32>().is_ok());
    assert!(located, "a column follows the line:\n{output}");
    assert!(
        output.contains("[tty: sane]"),
        "the terminal was left raw:\n{output}"
    );
    assert!(!output.contains("panicked"), "{output}");
    assert!(!tui.alternate_screen(), "the alternate screen was left on");
    assert!(
        !Path::new(&sandbox.data_dir()).join("journal").exists() || sandbox.open_journals().is_empty(),
        "a plan that does not load starts no journal"
    );
}
