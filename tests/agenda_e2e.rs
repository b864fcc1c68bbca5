//! Keeping the session on time, end to end: the facilitator gives the opening five more
//! minutes, the console says the session now runs behind, `r` offers a rebalanced rest of
//! the agenda, `Enter` accepts it, and the summary records the change.

mod e2e;

use e2e::{Sandbox, Tui};
use holdspace::summary::read_summary;

#[test]
fn running_late_then_rebalancing_ends_on_time_and_is_recorded() {
    if e2e::skip_without_tmux("agenda_e2e::running_late_then_rebalancing_ends_on_time_and_is_recorded") {
        return;
    }
    let sandbox = Sandbox::new();
    let tui = Tui::run_in(&sandbox, &[], 100, 30);
    tui.wait_saved("Welcome and group agreements");
    tui.key("Space");
    // The opening runs long: five more minutes, so the session now ends late.
    tui.key("]");
    tui.wait_for("5m behind");

    tui.key("r");
    let popup = tui.wait_for("rebalanced to end on time");
    // Old and new side by side; fixed segments keep their length.
    assert!(popup.contains("15:00 →"), "the check-in shrinks:\n{popup}");
    assert!(
        popup.contains("5:00 →   5:00") && popup.contains("fixed"),
        "the break is fixed:\n{popup}"
    );
    tui.key("Enter");
    let screen = tui.wait_for("· on time");
    assert!(!screen.contains("behind"), "{screen}");

    tui.end_session();
    let ron = e2e::poll(std::time::Duration::from_secs(10), || {
        let found = sandbox.summaries("ron");
        (!found.is_empty()).then_some(found)
    })
    .expect("a summary is written");
    assert_eq!(ron.len(), 1, "one summary: {ron:?}");
    let summary = read_summary(&ron[0]).expect("the summary reads back");
    assert_eq!(summary.rebalances.len(), 1, "{:?}", summary.rebalances);
    let changes = &summary.rebalances[0].changes;
    assert!(!changes.is_empty());
    assert!(
        changes.iter().all(|c| c.to_secs < c.from_secs),
        "every change shrinks: {changes:?}"
    );
    let shrunk: u64 = changes.iter().map(|c| c.from_secs - c.to_secs).sum();
    // The clock ran a few seconds before the proposal, so a little more than five minutes.
    assert!(
        (300..=330).contains(&shrunk),
        "the five minutes come out of the rest: {shrunk}s"
    );
    for title in ["Break", "Check-out round"] {
        assert!(
            changes.iter().all(|c| c.segment != title),
            "{title} is fixed: {changes:?}"
        );
        let segment = summary
            .segments
            .iter()
            .find(|s| s.title == title)
            .expect("segment");
        assert!(!segment.rebalanced);
    }
    let extended = summary
        .segments
        .iter()
        .find(|s| s.title == "Welcome and group agreements")
        .expect("opening");
    assert_eq!(extended.adjusted_secs, 300);
}
