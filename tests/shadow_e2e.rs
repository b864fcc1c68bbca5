//! Shadowing end to end, with real processes: a facilitator sharing on loopback and two
//! trainees following; a wrong code refused; a trainee killed and restarted catching up;
//! and a trainee on their own whose observation notes are saved.

mod e2e;

use std::net::TcpListener;
use std::time::Duration;

use e2e::{Sandbox, Tui};

/// A free loopback port for the facilitator to share on.
fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

/// The join code shown on the facilitator's screen, e.g. `plum-river-42`.
fn join_code(screen: &str) -> String {
    let after = screen.split("code ").nth(1).expect("a join code on screen");
    after.split_whitespace().next().expect("the code").to_owned()
}

fn trainee(sandbox: &Sandbox, address: &str, code: &str) -> Tui {
    let data = sandbox.data_dir().display().to_string();
    let env = sandbox.env();
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    Tui::start(
        &["shadow", "--data-dir", &data, "--join", address, "--code", code],
        &env,
        100,
        30,
    )
}

#[test]
fn two_trainees_follow_the_facilitator_and_a_wrong_code_is_refused() {
    if e2e::skip_without_tmux("shadow_e2e::two_trainees_follow_the_facilitator_and_a_wrong_code_is_refused") {
        return;
    }
    let address = format!("127.0.0.1:{}", free_port());
    let facilitator_home = Sandbox::new();
    let facilitator = Tui::run_in(&facilitator_home, &["--share", &address], 110, 30);
    let screen = facilitator.wait_for("Sharing on 127.0.0.1");
    let code = join_code(&screen);

    let (first_home, second_home) = (Sandbox::new(), Sandbox::new());
    let first = trainee(&first_home, &address, &code);
    let mut second = trainee(&second_home, &address, &code);
    for tui in [&first, &second] {
        tui.wait_for("Welcome and group agreements");
        tui.wait_for("observer");
    }
    facilitator.wait_for("2 trainees connected");

    // The facilitator's actions appear on both trainees' screens.
    facilitator.key("Space");
    facilitator.key("Right");
    facilitator.key("Tab");
    facilitator.wait_for("Speaking Farhana");
    for tui in [&first, &second] {
        tui.wait_for("Speaking Farhana");
        tui.wait_for("▶  2 Check-in round");
    }
    // A trainee cannot change the session: Tab does nothing on their screen.
    first.key("Tab");
    facilitator.key("n");
    facilitator.type_text("private facilitator note");
    facilitator.key("Enter");
    facilitator.wait_for("private facilitator note");

    // A wrong code is refused on both ends.
    let stranger_home = Sandbox::new();
    let stranger = trainee(&stranger_home, &address, "wrong-code-11");
    stranger.wait_for_output("cannot follow the session: the join code was refused");
    facilitator.wait_for("⚠ 1 wrong join code in the last minute");

    // A trainee killed and restarted catches up with what happened meanwhile.
    second.kill9();
    facilitator.key("Tab");
    facilitator.wait_for("Speaking Rafiq");
    facilitator.key("c");
    let data = second_home.data_dir().display().to_string();
    second.respawn(&["shadow", "--data-dir", &data, "--join", &address, "--code", &code]);
    // The same computer gave a wrong code just now, so this reconnect may wait a second.
    let caught_up = second.wait_for("◼ curtain");
    assert!(
        !caught_up.contains("Farhana"),
        "names are hidden under the curtain:\n{caught_up}"
    );
    facilitator.key("c");
    second.wait_for("Speaking Rafiq");

    // The facilitator's notes never reach a trainee.
    for tui in [&first, &second] {
        assert!(
            !tui.screen().contains("private facilitator note"),
            "{}",
            tui.screen()
        );
    }
}

#[test]
fn a_trainee_on_their_own_keeps_observation_notes_in_a_file() {
    if e2e::skip_without_tmux("shadow_e2e::a_trainee_on_their_own_keeps_observation_notes_in_a_file") {
        return;
    }
    let sandbox = Sandbox::new();
    let data = sandbox.data_dir().display().to_string();
    let env = sandbox.env();
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let tui = Tui::start(
        &["shadow", "--data-dir", &data, "--trainee", "Mitu Hossain"],
        &env,
        100,
        30,
    );
    tui.wait_for("Observation notes (0)");
    // Stepping along works; recording turns does not.
    tui.key("Right");
    tui.wait_for("▶  2 Check-in round");
    tui.key("Tab");
    tui.key("n");
    tui.type_text("quiet members were not invited #follow-up");
    tui.key("Enter");
    tui.wait_for("Observation notes (1)");
    assert!(tui.screen().contains("Nobody has the floor"), "{}", tui.screen());
    tui.key("q");
    tui.wait_for("Stop following?");
    tui.key("y");
    let status = e2e::poll(std::time::Duration::from_secs(10), || tui.exited());
    assert_eq!(status, Some(0), "{}", tui.screen());

    let files = e2e::files_with_ext(&sandbox.data_dir().join("observations"), "ron");
    assert_eq!(files.len(), 1, "{files:?}");
    assert_eq!(e2e::mode_of(&files[0]), 0o600);
    let text = std::fs::read_to_string(&files[0]).expect("observations file");
    assert!(
        text.contains("Mitu Hossain") && text.contains("quiet members were not invited"),
        "{text}"
    );
    assert!(text.contains("follow-up"), "{text}");
}

/// The format contract's example plan: its third segment has a private cue.
fn example_plan() -> String {
    e2e::manifest_dir()
        .join("tests/fixtures/formats/plan.example.ron")
        .display()
        .to_string()
}

#[test]
fn a_trainee_rides_out_a_facilitator_crash_and_is_told_when_the_session_ends() {
    if e2e::skip_without_tmux(
        "shadow_e2e::a_trainee_rides_out_a_facilitator_crash_and_is_told_when_the_session_ends",
    ) {
        return;
    }
    let address = format!("127.0.0.1:{}", free_port());
    let plan = example_plan();
    let facilitator_home = Sandbox::new();
    let mut facilitator = Tui::run_in(&facilitator_home, &[&plan, "--share", &address], 110, 30);
    let code = join_code(&facilitator.wait_for("Sharing on 127.0.0.1"));
    let trainee_home = Sandbox::new();
    let trainee = trainee(&trainee_home, &address, &code);
    trainee.wait_for("Welcome and group agreements");
    facilitator.wait_for("1 trainee connected");

    // The facilitator's private cue is on their screen only.
    facilitator.key("Space");
    facilitator.key("Right");
    facilitator.key("Right");
    facilitator.wait_for("Draw the triangle");
    trainee.wait_for("The thought, feeling, behaviour cycle");
    facilitator.wait_saved("The thought, feeling, behaviour cycle");

    // The facilitator's laptop crashes: the trainee is told, and keeps their screen.
    facilitator.kill9();
    trainee.wait_for("Not following");
    assert!(trainee.screen().contains("The thought, feeling, behaviour cycle"));

    // Back with --resume (and --share as before): the same code, so the trainee comes
    // back by themselves and sees what happens next.
    let (args, _) = e2e::run_args(&facilitator_home, &[&plan, "--resume", "--share", &address]);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    facilitator.respawn(&args);
    let screen = facilitator.wait_for("Sharing on 127.0.0.1");
    assert_eq!(join_code(&screen), code, "a resumed session keeps its join code");
    facilitator.wait_for("1 trainee connected");
    trainee.wait_gone("Not following");
    facilitator.key("Right");
    facilitator.wait_for("▶  4 Thought record");
    trainee.wait_for("▶  4 Thought record");

    facilitator.key("q");
    facilitator.wait_for("End the session now");
    facilitator.key("y");
    let asked = facilitator.wait_until(
        "the closing question or the wrap-up",
        Duration::from_secs(10),
        |s| s.contains("Who was here?") || s.contains("Wrap-up ·"),
    );
    if asked.contains("Who was here?") {
        facilitator.key("Enter");
    }
    let ended = trainee.wait_for("The session has ended");
    assert!(!ended.contains("Connecting"), "{ended}");
    for screen in [trainee.screen(), ended] {
        assert!(
            !screen.contains("triangle"),
            "a private cue reached the trainee:\n{screen}"
        );
    }

    // The curtain drawn over the wrap-up, after the end, reaches the trainee too.
    facilitator.wait_for("Wrap-up ·");
    facilitator.key("C-o");
    facilitator.wait_for("the wrap-up is hidden");
    let veiled = trainee.wait_for("◼ curtain");
    assert!(!veiled.contains("Farhana"), "{veiled}");
    facilitator.key("C-o");
    trainee.wait_gone("◼ curtain");
}
