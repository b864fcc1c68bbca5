//! The wrap-up after the room has emptied, on the real binary in tmux: a session ended
//! with its wrap-up left for later, finished with `holdspace wrapup`, a crash while typing
//! it losing nothing, and a saved one opened again to correct it.

mod e2e;

use std::time::Duration;

use e2e::{Sandbox, Tui};
use holdspace::notes::read_wrapup;
use holdspace::vault::Vault;

fn wrapup_args(sandbox: &Sandbox, extra: &[&str]) -> Vec<String> {
    let mut args = vec!["wrapup".to_owned(), "--data-dir".to_owned(), sandbox.data_arg()];
    args.extend(extra.iter().map(|s| (*s).to_owned()));
    args
}

fn respawn(tui: &mut Tui, args: &[String]) {
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    tui.respawn(&args);
}

#[test]
fn a_wrap_up_left_for_later_is_finished_afterwards_and_a_crash_while_typing_loses_nothing() {
    if e2e::skip_without_tmux(
        "wrapup_e2e::a_wrap_up_left_for_later_is_finished_afterwards_and_a_crash_while_typing_loses_nothing",
    ) {
        return;
    }
    let sandbox = Sandbox::new();
    let mut tui = Tui::run_in(&sandbox, &[], 110, 32);
    tui.wait_saved("⏸ not started");
    tui.key("Space");
    tui.wait_for("▶ running");
    tui.end_session();
    tui.wait_exit(Duration::from_secs(15));
    let rons = sandbox.summaries("ron");
    assert_eq!(rons.len(), 1, "the summary is saved before the wrap-up");
    let summary = rons[0].clone();
    assert!(read_wrapup(&Vault::plain(), &summary).is_none(), "no wrap-up yet");

    // Later: `holdspace wrapup` opens the newest session not wrapped up.
    respawn(&mut tui, &wrapup_args(&sandbox, &[]));
    tui.wait_for("Wrap-up ·");
    tui.key("Tab");
    tui.key("Tab");
    tui.type_text("Worry about work and sleep");
    // The draft is kept once a second while typing: a crash loses nothing of it.
    std::thread::sleep(Duration::from_millis(1_200));
    tui.type_text(".");
    tui.wait_for("Worry about work and sleep.");
    tui.kill9();

    respawn(&mut tui, &wrapup_args(&sandbox, &[]));
    tui.wait_for("Worry about work and sleep");
    tui.key("C-s");
    let output = tui.wait_for_output("Wrap-up saved:");
    assert!(output.contains(".wrapup.ron"), "{output}");
    let saved = read_wrapup(&Vault::plain(), &summary)
        .expect("a wrap-up beside the summary")
        .expect("it reads");
    assert!(saved.finished);
    assert!(
        saved.group.themes.starts_with("Worry about work and sleep"),
        "{:?}",
        saved.group.themes
    );

    // Nothing left to finish: it says so and how to correct one.
    respawn(&mut tui, &wrapup_args(&sandbox, &[]));
    let output = tui.wait_for_output("finished wrap-up");
    assert!(output.contains("holdspace wrapup SUMMARY"), "{output}");

    // A saved wrap-up opened again to correct it; Esc keeps the change as a draft, which
    // the next `holdspace wrapup` goes on with.
    let summary_arg = summary.display().to_string();
    respawn(&mut tui, &wrapup_args(&sandbox, &[&summary_arg]));
    tui.wait_for("Worry about work and sleep");
    tui.type_text(" Corrected.");
    tui.key("Escape");
    tui.wait_for_output("its draft is kept");
    respawn(&mut tui, &wrapup_args(&sandbox, &[]));
    tui.wait_for("Corrected.");
    // The curtain hides it all here too, and keys wait behind it.
    tui.key("C-o");
    let veiled = tui.wait_for("◼ curtain");
    assert!(!veiled.contains("Corrected."), "{veiled}");
    tui.type_text("x");
    tui.key("C-o");
    let shown = tui.wait_for("Corrected.");
    assert!(!shown.contains("Corrected.x"), "typed blind:\n{shown}");
    tui.key("C-c");
    tui.wait_for_output("its draft is kept");
}
