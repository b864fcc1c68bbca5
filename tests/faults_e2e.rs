//! When the disk fails: the facilitator is warned on screen at once, the session goes on in
//! memory, and the summary is saved to another folder from inside the console.

mod e2e;

use std::fs;

use e2e::{Sandbox, Tui};

#[test]
fn an_unwritable_data_dir_is_shown_and_the_summary_saved_elsewhere() {
    if e2e::skip_without_tmux("faults_e2e::an_unwritable_data_dir_is_shown_and_the_summary_saved_elsewhere") {
        return;
    }
    let sandbox = Sandbox::new();
    // A file where the journal folder should be: no journal can be written, even as root.
    fs::create_dir_all(sandbox.data_dir()).expect("data dir");
    fs::write(sandbox.data_dir().join("journal"), "in the way").expect("block the journal folder");
    let tui = Tui::run_in(&sandbox, &[], 110, 30);
    let screen = tui.wait_for("NOT SAVED");
    assert!(screen.contains("session goes on in memory"), "{screen}");

    // The session goes on.
    tui.key("Space");
    tui.key("Right");
    tui.key("Tab");
    tui.wait_for("Speaking Farhana");
    tui.key("n");
    tui.type_text("a note that must not be lost");
    tui.key("Enter");
    tui.wait_for("a note that must not");

    // Save the summary to a folder that works.
    let elsewhere = sandbox.path().join("usb-stick");
    tui.key("S");
    tui.wait_for("Save the summary to");
    tui.type_text(&elsewhere.display().to_string());
    tui.key("Enter");
    tui.wait_for("Summary so far saved");
    let saved = e2e::files_with_ext(&elsewhere, "ron");
    assert_eq!(saved.len(), 1, "{saved:?}");
    let summary = holdspace::summary::read_summary(&saved[0]).expect("summary");
    assert!(
        summary
            .notes
            .iter()
            .any(|n| n.text == "a note that must not be lost")
    );
    assert_eq!(e2e::mode_of(&saved[0]), 0o600);
}
