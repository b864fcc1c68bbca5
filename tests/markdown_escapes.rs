//! Hostile text in a plan, a roster and notes never survives into a summary's Markdown as
//! anything but text: no escape sequence (ESC, OSC, CSI, BEL) that would drive a terminal
//! that `cat`s the report, and no link (`[x](javascript:…)`, `<javascript:…>`) a viewer
//! would make clickable.

use std::path::Path;

use chrono::FixedOffset;
use holdspace::plan::{BUILTIN_PLAN, BUILTIN_ROSTER, parse_plan, parse_roster};
use holdspace::session::{About, Event, Millis, Note, State, Tag};
use holdspace::summary::{derive, to_markdown};

const T0: Millis = 1_741_089_600_000;
const ESCAPES: &str = "\u{1b}]8;;javascript:alert(1)\u{7}click\u{1b}]8;;\u{7}\u{1b}[2J\u{9b}31m";
const LINK: &str = "[x](javascript:alert(document.cookie)) <javascript:alert(2)> ![i](http://evil/p.png)";

fn note(at: Millis, about: About, text: &str) -> Event {
    Event::NoteAdded {
        at,
        note: Note::new(
            at,
            about,
            vec![Tag::Risk, Tag::Custom(format!("tag{ESCAPES}"))],
            text,
        ),
    }
}

fn hostile_report() -> String {
    let mut plan = parse_plan(BUILTIN_PLAN, Path::new("p")).expect("the built-in plan");
    plan.title = format!("Title {ESCAPES} {LINK}");
    plan.agenda[0].title = format!("Segment {LINK}");
    let mut roster = parse_roster(BUILTIN_ROSTER, Path::new("r")).expect("the built-in roster");
    roster.members[0].name = format!("Ann {LINK}");
    roster.members[1].name = format!("Bo{ESCAPES}");
    roster.group = format!("Group {LINK}{ESCAPES}");
    let events = vec![
        Event::Started {
            at: T0,
            plan,
            roster,
            seed: 3,
        },
        Event::ClockStarted { at: T0 + 1000 },
        Event::TurnStarted {
            at: T0 + 2000,
            member: 0,
        },
        Event::TurnEnded { at: T0 + 62_000 },
        note(
            T0 + 70_000,
            About::Member(0),
            &format!("said {LINK}\nthen {ESCAPES}"),
        ),
        note(T0 + 80_000, About::Group, &format!("# heading\n- list {LINK}")),
        Event::Ended { at: T0 + 90_000 },
    ];
    let state = State::fold(&events).expect("folds");
    let offset = FixedOffset::east_opt(0).expect("UTC");
    to_markdown(&derive(&state, "s-1", offset))
}

#[test]
fn no_escape_sequence_survives_into_the_report() {
    let report = hostile_report();
    for control in ['\u{1b}', '\u{7}', '\u{9b}'] {
        assert!(!report.contains(control), "{control:?} in the report:\n{report}");
    }
    assert!(
        report.contains("]8;;javascript:alert(1)click"),
        "the text stays, harmless:\n{report}"
    );
}

/// Whether `needle` occurs in `text` without a backslash escaping its first character.
fn unescaped(text: &str, needle: &str) -> bool {
    text.match_indices(needle)
        .any(|(at, _)| !text[..at].ends_with('\\'))
}

#[test]
fn no_link_or_image_survives_into_the_report() {
    let report = hostile_report();
    assert!(!unescaped(&report, "](javascript:"), "a live link:\n{report}");
    assert!(!unescaped(&report, "[x]"), "a live link:\n{report}");
    assert!(!report.contains("<javascript:"), "an autolink:\n{report}");
    assert!(!unescaped(&report, "[i]("), "an image that would load:\n{report}");
    assert!(
        report.contains("\\[x\\](javascript:alert(document.cookie))"),
        "{report}"
    );
    assert!(report.contains("&lt;javascript:alert(2)&gt;"), "{report}");
    // The note's own line breaks cannot start a heading or a list in the report.
    assert!(!report.lines().any(|l| l.starts_with("# heading")), "{report}");
}
