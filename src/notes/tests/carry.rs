//! What carries forward, found in temporary folders of summaries.

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::NaiveDate;

use crate::config::Encryption;
use crate::notes::{CarriedKind, SeriesKey, Template, WrapUp, carried_forward, write_wrapup};
use crate::summary::{Summary, parse_summary, write_summary_with};
use crate::vault::{NoPassphrase, Vault, keys};

const V1: &str = include_str!("../../../tests/fixtures/summary-v1.ron");
const GROUP: &str = "Tuesday evening anxiety group";
const SERIES: &str = "Managing anxiety";

/// A summary of session `session` of `series` for `group`, on `date`.
fn summary(group: &str, series: &str, session: u32, date: &str) -> Summary {
    let mut summary = parse_summary(V1).expect("the version-1 fixture parses");
    summary.session_id = format!("{date}T18-00-00Z-{group}-{series}-{session}");
    summary.group = group.into();
    summary.date = date.into();
    summary.started = Some(format!("{date}T18:00:00+06:00"));
    if let Some(info) = &mut summary.series {
        info.name = series.into();
        info.session = session;
    }
    summary
}

fn save(dir: &Path, summary: &Summary, vault: &Vault) -> PathBuf {
    write_summary_with(dir, summary, vault)
        .expect("the summary is written")
        .0
}

/// A finished wrap-up of `summary` with an owner and a due date on its first follow-up,
/// group homework and homework for Farhana.
fn wrap_up(dir_summary: &Path, summary: &Summary, vault: &Vault) {
    let mut wrapup = WrapUp::from_summary(summary, Template::Dap);
    wrapup.follow_ups[0].owner = "Samir Akter".into();
    wrapup.follow_ups[0].due = Some("2025-03-11".into());
    wrapup.group.homework = "Box breathing daily".into();
    wrapup.members[0].fields.homework = "Two thought records".into();
    wrapup.finished = true;
    write_wrapup(vault, dir_summary, &wrapup).expect("the wrap-up is written");
}

fn key(session: u32) -> SeriesKey<'static> {
    SeriesKey {
        group: GROUP,
        series: SERIES,
        session,
    }
}

#[test]
fn the_latest_earlier_session_of_the_same_series_and_group_is_carried() {
    let dir = tempfile::tempdir().expect("temp dir");
    let vault = Vault::plain();
    save(dir.path(), &summary(GROUP, SERIES, 1, "2025-02-25"), &vault);
    let second = summary(GROUP, SERIES, 2, "2025-03-04");
    let second_path = save(dir.path(), &second, &vault);
    wrap_up(&second_path, &second, &vault);
    // Later in the series, another series, another group running the same series: ignored.
    save(dir.path(), &summary(GROUP, SERIES, 5, "2025-04-01"), &vault);
    save(
        dir.path(),
        &summary(GROUP, "Another series", 2, "2025-03-06"),
        &vault,
    );
    save(
        dir.path(),
        &summary("Thursday group", SERIES, 2, "2025-03-06"),
        &vault,
    );
    // Damaged: one that may have been of this series is listed, one of another group not.
    let broken = format!("Summary(version: 2, group: \"{GROUP}\", series: Series(name: \"{SERIES}\", oops");
    fs::write(dir.path().join("2025-03-05_1800_broken.ron"), broken).expect("write");
    fs::write(
        dir.path().join("2025-03-05_1900_other.ron"),
        "Summary(version: 2, oops",
    )
    .expect("write");
    fs::write(
        dir.path().join("2025-03-05_2000_binary.ron"),
        b"\xff\xfe\x00garbage",
    )
    .expect("write");

    let lookup = carried_forward(dir.path(), &vault, key(3));
    assert_eq!(
        lookup.unreadable,
        vec![dir.path().join("2025-03-05_1800_broken.ron")]
    );
    let carried = lookup.carried.expect("session 2 is found");
    assert_eq!(
        (carried.from_session, carried.from_date.as_str()),
        (2, "2025-03-04")
    );
    assert_eq!(carried.from_summary, second_path);
    assert!(carried.wrapup_finished);
    let items: Vec<(CarriedKind, &str, &str, &str, Option<&str>)> = carried
        .items
        .iter()
        .map(|i| {
            (
                i.kind,
                i.about.as_str(),
                i.text.as_str(),
                i.owner.as_str(),
                i.due.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        items,
        vec![
            (
                CarriedKind::FollowUp,
                "Shirin",
                "Said \"I can't go on\" | check in after",
                "Samir Akter",
                Some("2025-03-11")
            ),
            (
                CarriedKind::FollowUp,
                "Farhana",
                "Mentioned sleep problems",
                "Dr. Nadia Rahman",
                None
            ),
            (CarriedKind::Homework, "group", "Box breathing daily", "", None),
            (CarriedKind::Homework, "Farhana", "Two thought records", "", None),
        ]
    );
    assert_eq!(carried.items[0].id, format!("{}/follow-up/0", second.session_id));
    assert_eq!(
        carried.items[3].id,
        format!("{}/homework/Farhana", second.session_id)
    );
    assert!(carried.items.iter().all(|i| i.raised_session == 2));

    // Session 2 itself carries from session 1, which has no wrap-up.
    let from_first = carried_forward(dir.path(), &vault, key(2))
        .carried
        .expect("session 1");
    assert_eq!(from_first.from_session, 1);
    assert!(!from_first.wrapup_finished);
    assert_eq!(from_first.items.len(), 2, "its two follow-up notes, no homework");
}

#[test]
fn nothing_is_carried_into_a_first_session_or_from_nowhere() {
    let dir = tempfile::tempdir().expect("temp dir");
    let vault = Vault::plain();
    save(dir.path(), &summary(GROUP, SERIES, 1, "2025-02-25"), &vault);
    assert_eq!(carried_forward(dir.path(), &vault, key(1)).carried, None);
    let missing = dir.path().join("no such folder");
    assert_eq!(carried_forward(&missing, &vault, key(4)), Default::default());
    let mut no_series = summary(GROUP, SERIES, 1, "2025-02-25");
    no_series.series = None;
    let other = tempfile::tempdir().expect("temp dir");
    save(other.path(), &no_series, &vault);
    assert_eq!(carried_forward(other.path(), &vault, key(2)).carried, None);
}

#[test]
fn a_session_run_twice_carries_from_the_later_run() {
    let dir = tempfile::tempdir().expect("temp dir");
    let vault = Vault::plain();
    save(dir.path(), &summary(GROUP, SERIES, 2, "2025-03-11"), &vault);
    save(dir.path(), &summary(GROUP, SERIES, 2, "2025-03-04"), &vault);
    let carried = carried_forward(dir.path(), &vault, key(3))
        .carried
        .expect("found");
    assert_eq!(carried.from_date, "2025-03-11");
}

#[test]
fn a_damaged_wrap_up_falls_back_to_the_summarys_notes() {
    let dir = tempfile::tempdir().expect("temp dir");
    let vault = Vault::plain();
    let first = summary(GROUP, SERIES, 1, "2025-02-25");
    let path = save(dir.path(), &first, &vault);
    fs::write(crate::notes::wrapup_path(&path), "WrapUp(").expect("write");
    let carried = carried_forward(dir.path(), &vault, key(2))
        .carried
        .expect("found");
    assert!(!carried.wrapup_finished);
    assert_eq!(carried.items.len(), 2);
}

#[test]
fn sealed_summaries_and_wrap_ups_are_carried_with_the_key_and_listed_without_it() {
    let dir = tempfile::tempdir().expect("temp dir");
    let identity = dir.path().join("identity.txt");
    keys::write_new_identity(&identity, None, "2026-01-01T00:00:00Z").expect("an identity");
    let encryption = Encryption {
        identity: Some(identity),
        ..Encryption::default()
    };
    let vault = Vault::from_config(Some(&encryption), Arc::new(NoPassphrase)).expect("a vault");
    let summaries = dir.path().join("summaries");
    let second = summary(GROUP, SERIES, 2, "2025-03-04");
    let path = save(&summaries, &second, &vault);
    assert!(path.to_string_lossy().ends_with(".ron.age"));
    wrap_up(&path, &second, &vault);

    let carried = carried_forward(&summaries, &vault, key(3))
        .carried
        .expect("found");
    assert!(carried.wrapup_finished);
    assert_eq!(carried.items.len(), 4);

    let without_key = carried_forward(&summaries, &Vault::plain(), key(3));
    assert_eq!(without_key.carried, None);
    assert_eq!(without_key.unreadable, vec![path]);
}

#[test]
fn an_item_in_words_for_the_console() {
    let dir = tempfile::tempdir().expect("temp dir");
    let vault = Vault::plain();
    let second = summary(GROUP, SERIES, 4, "2025-03-04");
    let path = save(dir.path(), &second, &vault);
    wrap_up(&path, &second, &vault);
    let carried = carried_forward(dir.path(), &vault, key(5))
        .carried
        .expect("found");
    let day = |d: &str| NaiveDate::parse_from_str(d, "%Y-%m-%d").expect("a date");
    let first = &carried.items[0];
    assert_eq!(
        first.describe(day("2025-03-11")),
        "From session 4: follow-up about Shirin: \u{201c}Said \"I can't go on\" | check in after\u{201d} \
         (Samir Akter) \u{2014} due today"
    );
    assert!(first.describe(day("2025-03-10")).ends_with("due tomorrow"));
    assert!(first.describe(day("2025-03-14")).ends_with("overdue by 3 days"));
    assert!(first.describe(day("2025-03-01")).ends_with("due 2025-03-11"));
    assert_eq!(
        carried.items[2].describe(day("2025-03-11")),
        "From session 4: homework for the group: \u{201c}Box breathing daily\u{201d}"
    );
    let mut odd = carried.items[1].clone();
    odd.due = Some("next week\u{1b}[2J".into());
    assert!(
        odd.describe(day("2025-03-11"))
            .ends_with("\u{2014} due next week[2J")
    );
}

#[test]
fn names_ron_writes_escaped_are_still_found() {
    let dir = tempfile::tempdir().expect("temp dir");
    let vault = Vault::plain();
    for (group, series) in [
        ("Men's group", "Here \"and\" now"),
        ("Grupo de duelo, Zoë", "Duelo\\1"),
    ] {
        save(dir.path(), &summary(group, series, 1, "2025-02-25"), &vault);
        let key = SeriesKey {
            group,
            series,
            session: 2,
        };
        let carried = carried_forward(dir.path(), &vault, key).carried;
        assert_eq!(carried.map(|c| c.from_session), Some(1), "{group} / {series}");
    }
}

#[test]
fn what_a_session_carried_and_did_not_close_goes_on_and_what_it_closed_stops() {
    let dir = tempfile::tempdir().expect("temp dir");
    let vault = Vault::plain();
    let mut second = summary(GROUP, SERIES, 2, "2025-03-11");
    let carried = |id: &str, closed: Option<&str>| crate::summary::CarriedSummary {
        id: id.into(),
        kind: CarriedKind::FollowUp,
        raised_session: 1,
        raised_date: "2025-03-04".into(),
        about: "Farhana".into(),
        text: format!("item {id}"),
        owner: "Samir Akter".into(),
        due: None,
        closed: closed.map(Into::into),
    };
    second.carried = vec![
        carried("s1/follow-up/0", None),
        carried("s1/follow-up/1", Some("18:05")),
    ];
    save(dir.path(), &second, &vault);

    let lookup = carried_forward(dir.path(), &vault, key(3));
    let items = lookup.carried.expect("session 2 is found").items;
    let open = items
        .iter()
        .find(|i| i.id == "s1/follow-up/0")
        .expect("the open item goes on");
    assert_eq!(
        (open.raised_session, open.raised_date.as_str()),
        (1, "2025-03-04")
    );
    assert!(
        items.iter().all(|i| i.id != "s1/follow-up/1"),
        "a closed item stops: {items:?}"
    );
    assert_eq!(items.iter().filter(|i| i.id == "s1/follow-up/0").count(), 1);
}
