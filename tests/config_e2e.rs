//! What users expect of a good terminal tool, end to end: keys rebound in the config file
//! take effect in the real console, and editing the plan under a running session reloads
//! it — or, when the edit is broken, shows the error and keeps the last good plan.

mod e2e;

use std::fs;

use e2e::{Sandbox, Tui};

#[test]
fn rebound_keys_work_and_the_old_ones_do_not() {
    if e2e::skip_without_tmux("config_e2e::rebound_keys_work_and_the_old_ones_do_not") {
        return;
    }
    let sandbox = Sandbox::new();
    let config = sandbox.write(
        "config.ron",
        r#"Config(keys: { "next_segment": ["F5"], "note": ["Ctrl-n"], "start_pause": ["p"] })"#,
    );
    let config = config.display().to_string();
    let tui = Tui::run_in(&sandbox, &["--config", &config], 100, 30);
    tui.wait_saved("▶  1 Welcome");
    // The default keys of rebound actions do nothing now.
    tui.key("Right");
    tui.key("Space");
    tui.key("n");
    tui.key("?");
    let help = tui.wait_for("Keys");
    assert!(
        help.contains("F5") && help.contains("Ctrl-n"),
        "help shows the new keys:\n{help}"
    );
    tui.key("Escape");
    let screen = tui.wait_gone("Keys");
    assert!(
        screen.contains("▶  1 Welcome") && screen.contains("not started"),
        "{screen}"
    );
    // The new keys do.
    tui.key("F5");
    tui.wait_for("▶  2 Check-in round");
    tui.key("p");
    tui.wait_for("▶ running");
    tui.key("C-n");
    tui.wait_for("Alt-Enter");
    tui.type_text("rebound note");
    tui.key("Enter");
    tui.wait_for("rebound note");
}

#[test]
fn a_bad_binding_is_reported_by_check_with_its_line() {
    let sandbox = Sandbox::new();
    let config = sandbox.write(
        "config.ron",
        "Config(\n  keys: {\n    \"pass\": [\"Tab\"],\n  },\n)\n",
    );
    let out = std::process::Command::new(e2e::holdspace_bin())
        .arg("check")
        .arg(&config)
        .output()
        .expect("run check");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("config.ron:3:") && stderr.contains("next_speaker"),
        "{stderr}"
    );
}

#[test]
fn editing_the_plan_under_a_running_session_reloads_it() {
    if e2e::skip_without_tmux("config_e2e::editing_the_plan_under_a_running_session_reloads_it") {
        return;
    }
    let sandbox = Sandbox::new();
    let original = fs::read_to_string(e2e::manifest_dir().join("session-plans/cbt-anxiety-session-3.ron"))
        .expect("the built-in plan's file");
    let roster = e2e::manifest_dir().join("session-plans/rosters/tuesday-anxiety.ron");
    let plan = sandbox.write("plans/tuesday.ron", &original);
    let (plan_arg, roster_arg) = (plan.display().to_string(), roster.display().to_string());
    let tui = Tui::run_in(&sandbox, &[&plan_arg, "--roster", &roster_arg], 100, 30);
    tui.wait_saved("▶  1 Welcome");
    tui.key("Space");
    tui.key("Tab");
    tui.key("n");
    tui.type_text("kept across the reload");
    tui.key("Enter");
    tui.wait_saved("kept across the reload");

    // A good edit: the new title shows, and what happened is kept.
    fs::write(
        &plan,
        original.replace("Welcome and group agreements", "Welcome back"),
    )
    .expect("edit");
    let screen = tui.wait_for("Plan reloaded");
    tui.wait_for("Welcome back");
    assert!(tui.screen().contains("kept across the reload"), "{screen}");
    assert!(tui.screen().contains("▶ running"), "the clock kept running");

    // A broken edit: the error is shown, the last good plan stays.
    fs::write(&plan, original.replace("duration: \"5m\"", "duration: \"5x\"")).expect("edit");
    let screen = tui.wait_for("last good plan stays");
    assert!(
        screen.contains("tuesday.ron:"),
        "the error names the file and line:\n{screen}"
    );
    assert!(screen.contains("Welcome back"), "{screen}");

    tui.end_session();
    let ron = e2e::poll(std::time::Duration::from_secs(10), || {
        let found = sandbox.summaries("ron");
        (!found.is_empty()).then_some(found)
    })
    .expect("a summary");
    let summary = holdspace::summary::read_summary(&ron[0]).expect("summary");
    assert_eq!(summary.plan_reloads, 1);
    assert_eq!(summary.segments[0].title, "Welcome back");
    assert!(summary.notes.iter().any(|n| n.text == "kept across the reload"));
}

/// A left click at a 0-based cell, as the terminal reports it (SGR mouse encoding).
fn click(tui: &Tui, column: usize, row: usize) {
    tui.type_text(&format!(
        "\x1b[<0;{};{}M\x1b[<0;{};{}m",
        column + 1,
        row + 1,
        column + 1,
        row + 1
    ));
}

/// Where `text` starts on screen: (column, row), 0-based, in cells.
fn cell_of(screen: &str, text: &str) -> (usize, usize) {
    screen
        .lines()
        .enumerate()
        .find_map(|(row, line)| line.find(text).map(|byte| (line[..byte].chars().count(), row)))
        .unwrap_or_else(|| panic!("{text:?} is not on screen:\n{screen}"))
}

#[test]
fn the_mouse_jumps_to_a_segment_and_selects_a_member() {
    if e2e::skip_without_tmux("config_e2e::the_mouse_jumps_to_a_segment_and_selects_a_member") {
        return;
    }
    let sandbox = Sandbox::new();
    let tui = Tui::run_in(&sandbox, &[], 100, 30);
    let screen = tui.wait_saved("▶  1 Welcome");
    let (column, row) = cell_of(&screen, "Thought record");
    click(&tui, column, row);
    tui.wait_for("▶  4 Thought record");

    // Clicking a member selects them: the next note is about them.
    let screen = tui.screen();
    let (column, row) = cell_of(&screen, "Shirin");
    click(&tui, column, row);
    tui.key("n");
    tui.wait_for("About Shirin");
}
