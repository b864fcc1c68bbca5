//! The terminal going away under a running console, on the real binary in tmux.

mod e2e;

use std::path::Path;
use std::process::Command;
use std::time::Duration;

use e2e::{Sandbox, Tui};

fn alive(pid: u32) -> bool {
    Command::new("kill")
        .args(["-0", &pid.to_string()])
        .stderr(std::process::Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

#[test]
fn closing_the_terminal_is_no_crash_and_leaves_the_session_resumable() {
    if e2e::skip_without_tmux(
        "terminal_e2e::closing_the_terminal_is_no_crash_and_leaves_the_session_resumable",
    ) {
        return;
    }
    let sandbox = Sandbox::new();
    let tui = Tui::run_in(&sandbox, &[], 100, 30);
    tui.wait_saved("⏸ not started");
    tui.key("Space");
    tui.wait_for("▶ running");
    let pid = tui.close_terminal();
    let gone = e2e::poll(Duration::from_secs(15), || (!alive(pid)).then_some(()));
    assert!(
        gone.is_some(),
        "holdspace {pid} still runs after its terminal closed"
    );
    let crash_log = sandbox.data_dir().join("crash.log");
    assert!(
        !Path::new(&crash_log).exists(),
        "the exit message panicked on the closed terminal:\n{}",
        std::fs::read_to_string(&crash_log).unwrap_or_default()
    );
    assert_eq!(sandbox.open_journals().len(), 1, "the journal stays for a resume");
}

/// The process state letter from `/proc/PID/stat` (`T` when stopped).
fn process_state(pid: u32) -> Option<char> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The name in parentheses may hold spaces: the state follows the last `)`.
    stat.rsplit_once(')')?.1.trim_start().chars().next()
}

#[test]
fn ctrl_z_while_typing_a_note_stops_and_fg_brings_back_the_note_and_the_clock() {
    if e2e::skip_without_tmux(
        "terminal_e2e::ctrl_z_while_typing_a_note_stops_and_fg_brings_back_the_note_and_the_clock",
    ) {
        return;
    }
    let sandbox = Sandbox::new();
    let tui = Tui::run_in(&sandbox, &[], 100, 30);
    tui.wait_saved("⏸ not started");
    tui.key("Space");
    tui.wait_for("▶ running");
    tui.key("n");
    tui.type_text("half a thought");
    tui.wait_for("half a thought");
    let pid = tui.pid();
    tui.key("C-z");
    let stopped = e2e::poll(Duration::from_secs(10), || {
        (process_state(pid) == Some('T')).then_some(())
    });
    assert!(stopped.is_some(), "Ctrl-Z did not stop holdspace {pid}");
    assert!(
        !tui.alternate_screen(),
        "a stopped holdspace left the alternate screen on"
    );

    // `fg` is SIGCONT: the console takes the terminal again, the note as it was.
    let status = Command::new("kill")
        .args(["-s", "CONT", &pid.to_string()])
        .status()
        .expect("kill runs");
    assert!(status.success());
    let screen = tui.wait_for("half a thought");
    assert!(tui.alternate_screen(), "the console did not take the screen back");
    assert!(screen.contains("▶ running"), "{screen}");
    tui.key("Enter");
    tui.wait_saved("Notes (1)");
    assert_ne!(process_state(pid), Some('T'), "holdspace is still stopped");
}
