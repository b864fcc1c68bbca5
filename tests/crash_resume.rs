//! Crashes and signals, end to end: the real binary is `kill -9`ed between the steps of one
//! scripted session and resumed each time, and whatever the screen showed as saved before a
//! kill must be in the final summary. Signals must leave the terminal restored and the
//! session resumable; a session open in one window cannot be resumed in another.
//! The kill-and-resume session runs twice: plain, and with encryption on in the config
//! (sealed journal, `.age` summary, nothing readable on disk).

mod e2e;

use std::time::Duration;

use e2e::{REPORT_TTY, Sandbox, Tui, header};
use holdspace::summary::{Presence, Summary, read_summary, read_summary_with};
use holdspace::vault::Vault;

/// How a killed session is brought back.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Restart {
    /// `holdspace run --resume` (downtime counted as paused).
    Flag,
    /// `holdspace run --resume --downtime elapsed`.
    FlagElapsed,
    /// `holdspace run`, then `p` in the Resume popup.
    PopupPaused,
    /// `holdspace run`, then `e` in the Resume popup.
    PopupElapsed,
}

/// One session, killed and resumed again and again.
struct Crashy {
    sandbox: Sandbox,
    tui: Tui,
    kills: usize,
    restarts: Vec<Restart>,
    /// Turns seen on screen as saved before a kill: (member, passed).
    turns: Vec<(&'static str, bool)>,
    /// Notes seen on screen as saved before a kill: (about, text).
    notes: Vec<(&'static str, &'static str)>,
}

/// Turns encryption on in the sandbox's config (the one the binary reads from its
/// XDG config dir), with a new identity there, and returns the vault to read the results.
fn encrypt(sandbox: &Sandbox) -> Vault {
    let config_dir = sandbox.home().join(".config").join("holdspace");
    let identity = config_dir.join("identity.txt");
    holdspace::vault::keys::write_new_identity(&identity, None, "2026-01-01T00:00:00Z")
        .expect("a new identity");
    let encryption = holdspace::config::Encryption {
        identity: Some(identity.clone()),
        ..Default::default()
    };
    sandbox.write(
        "home/.config/holdspace/config.ron",
        &format!(
            "Config(encryption: (identity: {:?}))\n",
            identity.display().to_string()
        ),
    );
    Vault::from_config(
        Some(&encryption),
        std::sync::Arc::new(holdspace::vault::NoPassphrase),
    )
    .expect("the vault")
}

impl Crashy {
    fn start(vault: Option<fn(&Sandbox) -> Vault>) -> (Crashy, Vault) {
        let sandbox = Sandbox::new();
        let vault = vault.map_or_else(Vault::plain, |encrypt| encrypt(&sandbox));
        let tui = Tui::run_in(&sandbox, &[], 100, 30);
        tui.wait_saved("⏸ not started");
        let crashy = Crashy {
            sandbox,
            tui,
            kills: 0,
            restarts: Vec::new(),
            turns: Vec::new(),
            notes: Vec::new(),
        };
        (crashy, vault)
    }

    fn args(&self, extra: &[&str]) -> Vec<String> {
        e2e::run_args(&self.sandbox, extra).0
    }

    /// Presses `keys` (tmux names; a `"text:…"` entry is typed literally), waits until the
    /// screen shows `done` with "✓ saved", kills the process with SIGKILL, brings it back
    /// with `restart` and waits until the resumed screen shows `done` again, saved.
    fn step(&mut self, what: &str, keys: &[&str], restart: Restart, done: impl Fn(&str) -> bool) {
        for key in keys {
            match key.strip_prefix("text:") {
                Some(text) => self.tui.type_text(text),
                None => self.tui.key(key),
            }
        }
        let saved = |s: &str| done(s) && header(s).contains("✓ saved");
        self.tui
            .wait_until(&format!("step {what:?} shown as saved"), e2e::TIMEOUT, saved);
        self.tui.kill9();
        self.kills += 1;
        self.restarts.push(restart);
        let args = match restart {
            Restart::Flag => self.args(&["--resume"]),
            Restart::FlagElapsed => self.args(&["--resume", "--downtime", "elapsed"]),
            Restart::PopupPaused | Restart::PopupElapsed => self.args(&[]),
        };
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        self.tui.respawn(&args);
        if matches!(restart, Restart::PopupPaused | Restart::PopupElapsed) {
            let screen = self.tui.wait_for("An unfinished session was found");
            assert!(screen.contains("Managing Anxiety"), "{screen}");
            self.tui
                .key(if restart == Restart::PopupPaused { "p" } else { "e" });
            self.tui.wait_gone("An unfinished session was found");
        }
        self.tui.wait_until(
            &format!(
                "step {what:?} still there after kill #{} and {restart:?}",
                self.kills
            ),
            e2e::TIMEOUT,
            saved,
        );
    }
}

fn has(text: &'static str) -> impl Fn(&str) -> bool {
    move |s: &str| s.contains(text)
}

fn row_has(member: &'static str, text: &'static str) -> impl Fn(&str) -> bool {
    move |s: &str| {
        s.lines()
            .any(|l| l.contains(&format!(" {member} ")) && l.contains(text))
    }
}

fn speaking(member: &'static str) -> impl Fn(&str) -> bool {
    move |s: &str| s.contains(&format!("Speaking {member}"))
}

#[test]
fn every_saved_action_survives_kill_9_and_resume() {
    if e2e::skip_without_tmux("crash_resume::every_saved_action_survives_kill_9_and_resume") {
        return;
    }
    kill_and_resume_a_whole_session(None);
}

#[test]
fn every_saved_action_survives_kill_9_and_resume_encrypted() {
    if e2e::skip_without_tmux("crash_resume::every_saved_action_survives_kill_9_and_resume_encrypted") {
        return;
    }
    kill_and_resume_a_whole_session(Some(encrypt));
}

fn kill_and_resume_a_whole_session(encryption: Option<fn(&Sandbox) -> Vault>) {
    use Restart::{Flag, FlagElapsed, PopupElapsed, PopupPaused};
    let (mut run, vault) = Crashy::start(encryption);

    run.step("start the clock", &["Space"], Flag, has("▶ running"));
    let joy_late = row_has("Joy", "late");
    run.step("Joy is late", &["a", "3", "L", "Escape"], Flag, |s| {
        joy_late(s) && !s.contains("Attendance")
    });
    let kamal_absent = row_has("Kamal", "absent");
    run.step("Kamal is absent", &["a", "8", "X", "Escape"], PopupPaused, |s| {
        kamal_absent(s) && !s.contains("Attendance")
    });
    run.step("next segment", &["Right"], Flag, |s| {
        s.contains("2 of 7") && s.contains("Check-in round")
    });
    run.step("first turn", &["Tab"], Flag, speaking("Farhana"));
    run.turns.push(("Farhana", false));
    run.step("second turn", &["Tab"], FlagElapsed, speaking("Rafiq"));
    run.turns.push(("Rafiq", false));
    run.step("Rafiq passes", &["x"], Flag, speaking("Joy"));
    run.turns.last_mut().expect("Rafiq's turn").1 = true;
    run.turns.push(("Joy", false));
    let note1 = "crash note 1: Joy describes panic in shops";
    run.step(
        "a note about the speaker",
        &["n", &format!("text:{note1}"), "Enter"],
        PopupElapsed,
        has("Notes (1)"),
    );
    run.notes.push(("Joy", note1));
    run.step("fourth turn", &["Tab"], Flag, speaking("Tanvir"));
    run.turns.push(("Tanvir", false));
    run.step("Tanvir passes", &["x"], Flag, speaking("Shirin"));
    run.turns.last_mut().expect("Tanvir's turn").1 = true;
    run.turns.push(("Shirin", false));
    let note2 = "Arif looked withdrawn";
    run.step(
        "a follow-up note about Arif",
        &["N", "6", &format!("text:{note2}"), "M-f", "Enter"],
        Flag,
        has("Notes (2)"),
    );
    run.notes.push(("Arif", note2));
    run.step("Arif's turn", &["Tab"], Flag, speaking("Arif"));
    run.turns.push(("Arif", false));
    run.step("Lipi's turn", &["Tab"], Flag, speaking("Lipi"));
    run.turns.push(("Lipi", false));
    run.step("the round ends (Kamal is absent)", &["Tab"], Flag, |s| {
        s.contains("Nobody has the floor") && s.contains("round complete")
    });
    let note3 = "group energy low after the round #insight";
    run.step(
        "a note about the group",
        &["n", &format!("text:{note3}"), "Enter"],
        Flag,
        has("Notes (3)"),
    );
    run.notes.push(("group", note3));
    run.step("psychoeducation", &["Right"], Flag, has("3 of 7"));
    run.step("extend it", &["+"], Flag, has("planned 16:00 (+1m)"));
    run.step("the exercise", &["Right"], Flag, |s| {
        s.contains("4 of 7") && s.contains("Step 1/6")
    });
    run.step("its next step", &["Down"], Flag, has("Step 2/6"));
    let note4 = "Farhana disclosed self-harm thoughts";
    run.step(
        "a risk note about Farhana",
        &["N", "1", &format!("text:{note4}"), "M-r", "Enter"],
        Flag,
        |s| s.contains("Notes (4)") && s.contains("!RISK"),
    );
    run.notes.push(("Farhana", note4));
    run.step("give Rafiq the floor", &["g", "2"], Flag, speaking("Rafiq"));
    run.turns.push(("Rafiq", false));
    run.step("end his turn", &["e"], Flag, has("Nobody has the floor"));
    run.step(
        "Shirin raises her hand",
        &["h", "5"],
        Flag,
        row_has("Shirin", "✋1"),
    );
    run.step("the break", &["Right"], Flag, has("5 of 7"));
    run.step("open discussion", &["Right"], Flag, |s| {
        s.contains("6 of 7") && s.contains("Open discussion")
    });
    run.step(
        "Tanvir raises his hand",
        &["h", "4"],
        Flag,
        row_has("Tanvir", "✋1"),
    );
    run.step(
        "he gets the floor from the queue",
        &["Tab"],
        Flag,
        speaking("Tanvir"),
    );
    run.turns.push(("Tanvir", false));
    let note5 = "Tanvir challenged the catastrophic thought";
    run.step(
        "a note about him",
        &["n", &format!("text:{note5}"), "Enter"],
        Flag,
        has("Notes (5)"),
    );
    run.notes.push(("Tanvir", note5));
    run.step("give Lipi the floor", &["g", "7"], Flag, speaking("Lipi"));
    run.turns.push(("Lipi", false));
    run.step("pause the clock", &["Space"], Flag, |s| {
        header(s).contains("PAUSED")
    });

    assert!(run.kills >= 20, "only {} kills", run.kills);
    eprintln!(
        "killed and resumed {} times: {} turns and {} notes to find in the summary",
        run.kills,
        run.turns.len(),
        run.notes.len()
    );
    assert!(run.restarts.contains(&PopupPaused) && run.restarts.contains(&PopupElapsed));

    // End it: every turn and note made before a kill is in the summary.
    run.tui.end_session();
    assert_eq!(run.tui.wait_exit(e2e::TIMEOUT), 0, "{}", run.tui.screen());
    let rons = if vault.is_encrypting() {
        assert!(run.sandbox.summaries("ron").is_empty(), "no plain summary");
        assert!(run.sandbox.summaries("md").is_empty(), "no plain report");
        run.sandbox
            .summaries("age")
            .into_iter()
            .filter(|path| path.to_string_lossy().ends_with(".ron.age"))
            .collect()
    } else {
        run.sandbox.summaries("ron")
    };
    assert_eq!(rons.len(), 1, "one session, one summary: {rons:?}");
    assert!(run.sandbox.open_journals().is_empty());
    assert_eq!(run.sandbox.archived_journals().len(), 1);
    let summary = read_summary_with(&rons[0], &vault).expect("the summary reads back");
    check_summary(&summary, &run);
    if vault.is_encrypting() {
        let found = files_holding(run.sandbox.path(), &["Farhana", "withdrawn", "Managing Anxiety"]);
        assert!(found.is_empty(), "plain client data on disk: {found:?}");
    }
}

/// Every file below `dir` (the identity file aside) holding any of `needles`, as `grep -r` would find.
fn files_holding(dir: &std::path::Path, needles: &[&str]) -> Vec<std::path::PathBuf> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            found.extend(files_holding(&path, needles));
        } else if let Ok(bytes) = std::fs::read(&path) {
            let text = String::from_utf8_lossy(&bytes);
            if needles.iter().any(|needle| text.contains(needle)) {
                found.push(path);
            }
        }
    }
    found
}

fn check_summary(summary: &Summary, run: &Crashy) {
    let turns: Vec<(&str, bool)> = summary
        .turns
        .iter()
        .map(|t| (t.member.as_str(), t.passed))
        .collect();
    assert_eq!(turns.len(), run.turns.len(), "turns: {turns:?}");
    assert_eq!(turns, run.turns);
    let segments: Vec<&str> = summary.turns.iter().map(|t| t.segment.as_str()).collect();
    assert_eq!(
        segments,
        [
            vec!["Check-in round"; 7],
            vec!["Thought record"],
            vec!["Open discussion"; 2]
        ]
        .concat()
        .iter()
        .take(run.turns.len())
        .copied()
        .collect::<Vec<_>>()
    );

    // Notes: the exact texts, risk first, then follow-up, then by time.
    let notes: Vec<(&str, &str)> = summary
        .notes
        .iter()
        .map(|n| (n.about.as_str(), n.text.as_str()))
        .collect();
    let by_text = |text: &str| {
        *run.notes
            .iter()
            .find(|(_, t)| *t == text)
            .unwrap_or_else(|| panic!("note {text:?}"))
    };
    let expected = vec![
        by_text("Farhana disclosed self-harm thoughts"),
        by_text("Arif looked withdrawn"),
        by_text("crash note 1: Joy describes panic in shops"),
        by_text("group energy low after the round #insight"),
        by_text("Tanvir challenged the catastrophic thought"),
    ];
    assert_eq!(notes.len(), run.notes.len());
    assert_eq!(notes, expected);
    assert_eq!(summary.notes[0].tags, vec!["risk"]);
    assert_eq!(summary.notes[1].tags, vec!["follow-up"]);
    assert_eq!(summary.notes[3].tags, vec!["insight"]);
    assert_eq!((summary.flags.risk, summary.flags.follow_up), (1, 1));

    let status = |name: &str| {
        summary
            .attendance
            .iter()
            .find(|a| a.name == name)
            .map(|a| a.status)
    };
    assert_eq!(status("Joy"), Some(Presence::Late));
    assert_eq!(status("Kamal"), Some(Presence::Absent));
    assert_eq!(summary.present_count(), 7);

    let adjusted: Vec<i64> = summary.segments.iter().map(|s| s.adjusted_secs).collect();
    assert_eq!(adjusted, vec![0, 0, 60, 0, 0, 0, 0]);

    // One downtime per kill, counted as each restart chose.
    let counted: Vec<&str> = summary.downtimes.iter().map(|d| d.counted.as_str()).collect();
    let chosen: Vec<&str> = run
        .restarts
        .iter()
        .map(|r| match r {
            Restart::Flag | Restart::PopupPaused => "paused",
            Restart::FlagElapsed | Restart::PopupElapsed => "elapsed",
        })
        .collect();
    assert_eq!(counted, chosen);
}

/// Starts a session behind a shell that reports the exit status and the tty afterwards.
fn start_reporting(sandbox: &Sandbox, extra: &[&str]) -> Tui {
    let (args, env) = e2e::run_args(sandbox, extra);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    Tui::start_then(&args, &env, REPORT_TTY, 100, 30)
}

/// Sends a signal and checks the terminal is restored and the session left resumable.
fn stop_with(tui: &Tui, sandbox: &Sandbox, signal: &str, status: i32) {
    tui.signal(signal);
    let screen = tui.wait_for("[tty:");
    let output = tui.screen_joined();
    assert!(
        output.contains(&format!("[holdspace exited with {status}]")),
        "SIG{signal}:\n{output}"
    );
    assert!(output.contains(&format!("stopped by SIG{signal}")), "{output}");
    assert!(
        screen.contains("[tty: sane]"),
        "SIG{signal} left the tty raw:\n{screen}"
    );
    assert!(
        !tui.alternate_screen(),
        "SIG{signal} left the alternate screen on"
    );
    assert_eq!(sandbox.open_journals().len(), 1, "the journal stays for a resume");
    assert!(sandbox.summaries("ron").is_empty(), "a signal writes no summary");
}

#[test]
fn signals_restore_the_terminal_and_leave_the_session_resumable() {
    if e2e::skip_without_tmux("crash_resume::signals_restore_the_terminal_and_leave_the_session_resumable") {
        return;
    }
    let sandbox = Sandbox::new();
    let mut tui = start_reporting(&sandbox, &[]);
    tui.wait_saved("⏸ not started");
    tui.key("Space");
    tui.wait_for("▶ running");
    tui.key("n");
    tui.type_text("before SIGTERM");
    tui.key("Enter");
    tui.wait_saved("Notes (1)");
    stop_with(&tui, &sandbox, "TERM", 143);

    let resume = e2e::run_args(&sandbox, &["--resume"]).0;
    let resume: Vec<&str> = resume.iter().map(String::as_str).collect();
    tui.respawn(&resume);
    tui.wait_saved("Notes (1)");
    tui.key("n");
    tui.type_text("before SIGHUP");
    tui.key("Enter");
    tui.wait_saved("Notes (2)");
    stop_with(&tui, &sandbox, "HUP", 129);

    tui.respawn(&resume);
    tui.wait_saved("Notes (2)");
    tui.key("n");
    tui.type_text("before SIGINT");
    tui.key("Enter");
    tui.wait_saved("Notes (3)");
    stop_with(&tui, &sandbox, "INT", 130);

    // A SIGQUIT from Ctrl-\\ and a stray user signal end it the same orderly way.
    tui.respawn(&resume);
    tui.wait_saved("Notes (3)");
    tui.key("n");
    tui.type_text("before SIGQUIT");
    tui.key("Enter");
    tui.wait_saved("Notes (4)");
    stop_with(&tui, &sandbox, "QUIT", 131);

    tui.respawn(&resume);
    tui.wait_saved("Notes (4)");
    tui.key("n");
    tui.type_text("before SIGUSR1");
    tui.key("Enter");
    tui.wait_saved("Notes (5)");
    stop_with(&tui, &sandbox, "USR1", 138);

    tui.respawn(&resume);
    tui.wait_saved("Notes (5)");
    tui.end_session();
    let screen = tui.wait_for("[tty:");
    assert!(screen.contains("[holdspace exited with 0]"), "{screen}");
    let rons = sandbox.summaries("ron");
    assert_eq!(rons.len(), 1);
    let summary = read_summary(&rons[0]).expect("the summary reads back");
    let texts: Vec<&str> = summary.notes.iter().map(|n| n.text.as_str()).collect();
    assert_eq!(
        texts,
        [
            "before SIGTERM",
            "before SIGHUP",
            "before SIGINT",
            "before SIGQUIT",
            "before SIGUSR1"
        ]
    );
    assert_eq!(summary.downtimes.len(), 5);
}

#[test]
fn a_session_open_in_one_window_cannot_be_resumed_in_another() {
    if e2e::skip_without_tmux("crash_resume::a_session_open_in_one_window_cannot_be_resumed_in_another") {
        return;
    }
    let sandbox = Sandbox::new();
    let first = Tui::run_in(&sandbox, &[], 100, 30);
    first.wait_saved("⏸ not started");
    first.key("Space");
    first.wait_saved("▶ running");
    let journal = sandbox.open_journals();
    assert_eq!(journal.len(), 1);
    let before = std::fs::read(&journal[0]).expect("the journal reads");

    let second = start_reporting(&sandbox, &["--resume"]);
    second.wait_for_within("[tty:", Duration::from_secs(10));
    let output = second.screen_joined();
    let refused = !output.contains("[holdspace exited with 0]");
    assert!(refused, "the second --resume was not refused:\n{output}");
    assert!(output.contains("[tty: sane]"), "{output}");
    let lower = output.to_lowercase();
    assert!(
        ["in use", "locked", "another holdspace", "open in another"]
            .iter()
            .any(|w| lower.contains(w)),
        "the refusal should say the session is open (locked) elsewhere, not that there is none:\n{output}"
    );

    // The first window goes on undisturbed and ends normally.
    assert_eq!(first.exited(), None);
    let after = std::fs::read(&journal[0]).expect("the journal reads");
    assert!(after.starts_with(&before), "the journal was only appended to");
    first.end_session();
    assert_eq!(first.wait_exit(e2e::TIMEOUT), 0);
    assert_eq!(sandbox.summaries("ron").len(), 1);
}
