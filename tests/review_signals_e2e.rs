//! The review browser and signals, end to end in a real terminal (tmux): Ctrl-Z and
//! SIGTSTP stop it with the terminal given back and `fg` (SIGCONT) redraws it; every
//! terminating signal restores the terminal and exits with 128 plus its number.

mod e2e;

use std::fs;
use std::process::Command;
use std::time::Duration;

use e2e::{REPORT_TTY, Sandbox, Tui};

const V1: &str = include_str!("fixtures/summary-v1.ron");

/// The process state letter from `/proc/PID/stat` (`T` when stopped).
fn process_state(pid: u32) -> Option<char> {
    let stat = fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    stat.rsplit_once(')')?.1.trim_start().chars().next()
}

fn kill(signal: &str, pid: u32) {
    let status = Command::new("kill")
        .args(["-s", signal, &pid.to_string()])
        .status()
        .expect("kill runs");
    assert!(status.success(), "kill -s {signal} {pid}");
}

/// The review over a folder with one summary, behind a shell that reports how it ended.
fn review(sandbox: &Sandbox) -> Tui {
    let folder = sandbox.path().join("summaries");
    fs::create_dir_all(&folder).expect("a folder");
    fs::write(folder.join("2025-03-04_1800_anxiety.ron"), V1).expect("writes");
    let folder = folder.display().to_string();
    let mut env = sandbox.env();
    env.push((
        "XDG_CACHE_HOME".into(),
        sandbox.home().join(".cache").display().to_string(),
    ));
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let tui = Tui::start_then(&["review", &folder], &env, REPORT_TTY, 120, 30);
    tui.wait_for("holdspace review › Sessions");
    tui
}

/// Waits until `pid` is stopped, and checks the terminal was given back first.
fn stopped(tui: &Tui, pid: u32, how: &str) {
    let stopped = e2e::poll(Duration::from_secs(10), || {
        (process_state(pid) == Some('T')).then_some(())
    });
    assert!(stopped.is_some(), "{how} did not stop the review {pid}");
    assert!(
        !tui.alternate_screen(),
        "{how}: a stopped review left the alternate screen on"
    );
}

/// `fg`: the review takes the terminal again and draws the whole list.
fn continued(tui: &Tui, pid: u32) {
    kill("CONT", pid);
    e2e::poll(Duration::from_secs(10), || tui.alternate_screen().then_some(()))
        .expect("the review took the screen back");
    let screen = tui.wait_for("Tuesday evening");
    assert!(screen.contains("holdspace review › Sessions"), "{screen}");
    assert_ne!(process_state(pid), Some('T'));
}

#[test]
fn ctrl_z_and_sigtstp_suspend_the_review_and_fg_redraws_it_then_sigint_ends_it() {
    if e2e::skip_without_tmux("review_signals_e2e::ctrl_z_and_sigtstp_suspend_the_review") {
        return;
    }
    let sandbox = Sandbox::new();
    let tui = review(&sandbox);
    let pid = tui.pid();

    tui.key("C-z");
    stopped(&tui, pid, "Ctrl-Z");
    continued(&tui, pid);

    kill("TSTP", pid);
    stopped(&tui, pid, "SIGTSTP");
    continued(&tui, pid);

    // Keys still work after the second resume.
    tui.key("?");
    tui.wait_for("Review keys");
    tui.key("Escape");
    tui.wait_gone("Review keys");

    tui.signal("INT");
    let screen = tui.wait_for("[tty:");
    let output = tui.screen_joined();
    assert!(output.contains("[holdspace exited with 130]"), "{output}");
    assert!(output.contains("review stopped by SIGINT"), "{output}");
    assert!(screen.contains("[tty: sane]"), "{screen}");
    assert!(!tui.alternate_screen());
}

#[test]
fn every_terminating_signal_gives_the_terminal_back_with_its_exit_status() {
    if e2e::skip_without_tmux("review_signals_e2e::every_terminating_signal_gives_the_terminal_back") {
        return;
    }
    for (signal, status) in [("HUP", 129), ("QUIT", 131), ("USR1", 138), ("TERM", 143)] {
        let sandbox = Sandbox::new();
        let tui = review(&sandbox);
        tui.signal(signal);
        let screen = tui.wait_for("[tty:");
        let output = tui.screen_joined();
        assert!(
            output.contains(&format!("[holdspace exited with {status}]")),
            "SIG{signal}:\n{output}"
        );
        assert!(
            screen.contains("[tty: sane]"),
            "SIG{signal} left the tty raw:\n{screen}"
        );
        assert!(
            !tui.alternate_screen(),
            "SIG{signal} left the alternate screen on"
        );
    }
}
