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
