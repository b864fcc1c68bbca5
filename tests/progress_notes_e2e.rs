//! From the room to the chart, on the real binary: a session in tmux with a note about
//! Farhana that names Rafiq, a risk note about Rafiq and a follow-up; the wrap-up filled in
//! the console; `holdspace notes` exports the progress notes; the next session of the series
//! opens with the follow-up still open.

mod e2e;

use std::fs;
use std::path::Path;
use std::process::Command;

use e2e::{Sandbox, Tui, mode_of};

const FOLLOW_UP: &str = "Ask about the new job";

fn roster() -> String {
    e2e::manifest_dir()
        .join("session-plans/rosters/tuesday-anxiety.ron")
        .display()
        .to_string()
}

fn read(dir: &Path, name: &str) -> String {
    fs::read_to_string(dir.join(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

#[test]
fn a_session_becomes_one_progress_note_per_member_naming_no_other_and_its_follow_up_carries_on() {
    if e2e::skip_without_tmux(
        "progress_notes_e2e::a_session_becomes_one_progress_note_per_member_naming_no_other_and_its_follow_up_carries_on",
    ) {
        return;
    }
    let sandbox = Sandbox::new();
    let mut tui = Tui::run_in(&sandbox, &[], 120, 36);
    tui.wait_saved("⏸ not started");
    // Farhana and Rafiq (the roster's first two) are here: each mark moves to the next.
    for key in ["a", "P", "P", "Enter", "Space"] {
        tui.key(key);
    }
    tui.wait_for("▶ running");
    for (label, text) in [
        ("1", "Rafiq's story about work helped her"),
        ("2", "Spoke of self-harm urges #risk"),
    ] {
        tui.key("N");
        tui.wait_for("Note about");
        tui.key(label);
        tui.wait_for("Enter save");
        tui.type_text(text);
        tui.key("Enter");
        tui.wait_gone("Enter save");
    }
    tui.key("n");
    tui.wait_for("Enter save");
    tui.type_text(&format!("{FOLLOW_UP} #follow-up"));
    tui.key("Enter");
    tui.wait_saved("Notes (3)");

    // The end: the summary first, then the wrap-up, page by page.
    tui.key("q");
    tui.wait_for("End the session now");
    tui.key("y");
    tui.wait_for("Who was here?");
    tui.key("Enter");
    tui.wait_for("Wrap-up ·");
    let fill = |tui: &Tui, keys: &[&str], text: &str| {
        for key in keys {
            tui.key(key);
        }
        tui.type_text(text);
        tui.wait_for(text);
    };
    fill(&tui, &["Tab", "Tab"], "Worry about work");
    fill(&tui, &["C-n"], "Safety plan reviewed");
    fill(&tui, &["Tab"], "Dr. Nadia Rahman");
    fill(&tui, &["C-n"], "Samir Akter");
    fill(&tui, &["C-n"], "Engaged; Rafiq helped her");
    fill(&tui, &["Tab"], "Keep the sleep diary");
    fill(&tui, &["C-n"], "At risk; safety plan in place");
    fill(&tui, &["Tab"], "Call on Thursday");
    tui.key("C-s");
    let output = tui.wait_for_output("Wrap-up saved:");
    assert!(output.contains(".wrapup.ron"), "{output}");
    let summary = sandbox.summaries("ron").into_iter().next().expect("a summary");

    // The progress notes, for filing.
    let out_dir = sandbox.path().join("charts");
    let export = Command::new(e2e::holdspace_bin())
        .args([
            "notes",
            &summary.display().to_string(),
            "-o",
            &out_dir.display().to_string(),
        ])
        .envs(sandbox.env())
        .output()
        .expect("holdspace notes runs");
    assert!(
        export.status.success(),
        "{}",
        String::from_utf8_lossy(&export.stderr)
    );
    let farhana = read(&out_dir, "farhana.md");
    assert!(farhana.contains("story about work helped her"), "{farhana}");
    assert!(farhana.contains("another group member"), "{farhana}");
    assert!(farhana.contains("Keep the sleep diary"), "{farhana}");
    let rafiq = read(&out_dir, "rafiq.md");
    assert!(rafiq.contains("self-harm"), "{rafiq}");
    assert!(
        rafiq.contains("Safety plan reviewed"),
        "the risk note's action:\n{rafiq}"
    );
    let group = read(&out_dir, "group.md");
    for (file, text, others) in [
        ("farhana.md", &farhana, &["Rafiq"][..]),
        ("rafiq.md", &rafiq, &["Farhana"][..]),
        ("group.md", &group, &["Farhana", "Rafiq"][..]),
    ] {
        for name in others {
            assert!(!text.contains(name), "{file} names {name}:\n{text}");
        }
    }
    for entry in fs::read_dir(&out_dir).expect("the export folder") {
        let path = entry.expect("an entry").path();
        assert_eq!(mode_of(&path), 0o600, "{} is not owner-only", path.display());
    }

    // The next session of the series starts with the follow-up still open.
    let next = sandbox.write(
        "plans/session-4.ron",
        &holdspace::plan::BUILTIN_PLAN.replace("session: 3, of: 8", "session: 4, of: 8"),
    );
    let (args, _) = e2e::run_args(&sandbox, &[&next.display().to_string(), "--roster", &roster()]);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    tui.respawn(&args);
    let screen = tui.wait_for("Carried forward");
    assert!(screen.contains(FOLLOW_UP), "{screen}");
    assert!(screen.contains("From session 3"), "{screen}");
}
