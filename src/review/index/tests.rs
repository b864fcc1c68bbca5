//! The hand scanner against the full parser: on every summary holdspace writes it gives
//! exactly what the parser gives, and on any other text it either does too or declines.

use std::path::Path;

use proptest::prelude::*;

use super::text::Interner;
use super::{Entry, quick};
use crate::summary::{
    AttendanceEntry, CarriedSummary, Facilitator, NoteSummary, Presence, SeriesInfo, Summary,
    parse_list_fields, parse_summary, to_ron,
};

const V1: &str = include_str!("../../../tests/fixtures/summary-v1.ron");

/// What the scanner and the full parser make of `text`: `Ok(true)` when the scanner read
/// it (and agreed), `Ok(false)` when it declined; an error when it read it differently.
fn agree(text: &str) -> Result<bool, TestCaseError> {
    let mut texts = Interner::default();
    let quick = quick::list_fields(text).map(|f| Entry::from_quick(&f, &mut texts));
    let full = parse_list_fields(text.as_bytes(), Path::new("s.ron"))
        .map(|f| Entry::from_list_fields(&f, &mut texts));
    match (quick, full) {
        (Some(quick), Ok(full)) => {
            prop_assert_eq!(quick, full);
            Ok(true)
        }
        (Some(quick), Err(error)) => Err(TestCaseError::fail(format!(
            "the scanner read {quick:?} where the parser refuses: {error}\n{text}"
        ))),
        (None, _) => Ok(false),
    }
}

fn base() -> Summary {
    parse_summary(V1).unwrap_or_else(|e| panic!("the fixture parses: {e}"))
}

/// Any text: plain words, quotes and backslashes, control characters, combining marks,
/// any Unicode.
fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-zA-Z0-9 ,.:'-]{0,16}",
        prop::collection::vec(any::<char>(), 0..10).prop_map(|c| c.into_iter().collect()),
        Just("say \"no\" \\ \t tab\nnew line é\u{301} \u{1b}[31m \u{0}".to_owned()),
    ]
}

fn time() -> impl Strategy<Value = Option<String>> {
    prop_oneof![
        Just(None),
        Just(Some("2025-03-04T18:00:00+06:00".to_owned())),
        Just(Some("2025-03-04T18:00:00.123-04:30".to_owned())),
        Just(Some("2025-03-04T23:59:60Z".to_owned())),
        text().prop_map(Some),
    ]
}

fn presence() -> impl Strategy<Value = Presence> {
    prop_oneof![
        Just(Presence::Present),
        Just(Presence::Late),
        Just(Presence::LeftEarly),
        Just(Presence::Absent),
        Just(Presence::NotRecorded),
    ]
}

/// Mostly counts the scanner reads; now and then one too long for it.
fn count() -> impl Strategy<Value = u64> {
    prop_oneof![
        20 => 0..100_000u64,
        1 => Just(u64::MAX),
        1 => Just(999_999_999_999_999_999),
    ]
}

prop_compose! {
    fn summary()(
        version in 1..=2u32,
        (session_id, title, kind, group, date) in (text(), text(), text(), text(), text()),
        series in proptest::option::of((text(), any::<u32>(), any::<u32>())),
        (started, ended) in (time(), time()),
        (planned, actual, over) in (count(), count(), prop_oneof![9 => -100_000..100_000i64, 1 => any::<i64>()]),
        facilitators in prop::collection::vec((text(), text()), 0..4),
        trainees in prop::collection::vec(text(), 0..3),
        attendance in prop::collection::vec((text(), presence(), proptest::option::of(text()), proptest::option::of(count())), 0..6),
        notes in prop::collection::vec((text(), any::<bool>(), any::<bool>(), proptest::option::of(text())), 0..5),
        (risk, follow_up) in (0..50usize, 0..50usize),
        share in prop_oneof![9 => 0.0..1.0f64, 1 => any::<f64>()],
    ) -> Summary {
        let mut s = base();
        s.version = version;
        (s.session_id, s.title, s.kind, s.group, s.date) = (session_id, title, kind, group, date);
        s.series = series.map(|(name, session, of)| SeriesInfo { name, session, of });
        (s.started, s.ended) = (started, ended);
        (s.planned_secs, s.actual_secs, s.over_under_secs) = (planned, actual, over);
        s.facilitators = facilitators.into_iter().map(|(name, role)| Facilitator { name, role }).collect();
        s.trainees = trainees;
        s.attendance = attendance
            .into_iter()
            .map(|(name, status, at, secs)| AttendanceEntry {
                name,
                status,
                at: at.clone(),
                // Fields of later versions the list does not show, skipped by the scanner.
                stepped_out: at.clone(),
                away_secs: secs,
                arrived: at,
                left: None,
                attended_secs: secs,
            })
            .collect();
        let template = s.notes.first().cloned();
        s.notes = notes
            .into_iter()
            .filter_map(|(text, risk, follow_up, amended)| {
                template.clone().map(|n| NoteSummary { text, risk, follow_up, amended, ..n })
            })
            .collect();
        (s.flags.risk, s.flags.follow_up) = (risk, follow_up);
        if let Some(a) = s.airtime.first_mut() {
            a.share = share;
        }
        s
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Whatever holdspace writes, the scanner reads, exactly as the parser does (bar
    /// numbers too long for it, which it leaves to the parser).
    #[test]
    fn summaries_holdspace_writes_read_the_same(s in summary()) {
        let text = to_ron(&s);
        let read = agree(&text)?;
        // Numbers the scanner leaves to the parser: more than 18 digits, more than 40
        // after the point, or an infinity below zero.
        let long_number = |n: String| {
            let (whole, fraction) = n.trim_start_matches('-').split_once('.').unwrap_or((&n, ""));
            whole.len() > 18 || fraction.len() > 40 || n == "-inf"
        };
        let long = [s.planned_secs, s.actual_secs].iter().any(|n| long_number(n.to_string()))
            || s.attendance.iter().any(|a| a.attended_secs.is_some_and(|n| long_number(n.to_string())))
            || s.airtime.first().is_some_and(|a| long_number(a.share.to_string()))
            || long_number(s.over_under_secs.to_string());
        prop_assert!(read || long, "declined a summary holdspace wrote:\n{}", text);
    }

    /// Damaged text — cut short, a byte lost, a stray token — is read the same or left
    /// to the parser, never read differently.
    #[test]
    fn damaged_summaries_are_never_read_differently(
        s in summary(),
        cuts in prop::collection::vec((0.0f64..1.0, 0usize..5, 0usize..20), 1..3),
    ) {
        let mut text = to_ron(&s);
        for (at, how, what) in cuts {
            let places: Vec<usize> = text.char_indices().map(|(i, _)| i).chain([text.len()]).collect();
            let at = places[((places.len() - 1) as f64 * at) as usize];
            const TOKENS: [&str; 20] = [
                ",", ")", "(", "]", "[", "\"", "\\", ":", " ", "x", "0", "-", "#", "/", "'",
                "\n", "Some(", "None", "r#\"", ".5",
            ];
            let token = TOKENS[what % TOKENS.len()];
            let next = text[at..].chars().next().map_or(0, char::len_utf8);
            match how {
                0 => text.truncate(at),
                1 => text.replace_range(at..at + next, ""),
                2 => text.insert_str(at, token),
                3 => text.replace_range(at..at + next, token),
                _ => text.push_str(token),
            }
        }
        agree(&text)?;
    }

    /// Escapes, known and unknown, in a string kept and in one skipped.
    #[test]
    fn escapes_are_read_as_the_parser_reads_them(escape in "\\\\[xu{}0-9a-fA-FD/'\"nrt\\\\ab]{1,8}", skipped in any::<bool>()) {
        let text = to_ron(&base());
        let at = if skipped { "member: \"Farhana" } else { "kind: \"CBT" };
        let changed = text.replacen(at, &format!("{at}{escape}"), 1);
        prop_assert_ne!(&changed, &text);
        agree(&changed)?;
    }

    /// A field given twice, or missing — of the summary or of anything in it — is read
    /// the same or left to the parser.
    #[test]
    fn a_field_twice_or_missing_is_never_read_differently(s in summary(), pick in any::<usize>(), twice in any::<bool>()) {
        let mut text = to_ron(&s);
        let fields: Vec<(usize, usize)> = line_spans(&text)
            .filter(|&(from, to)| {
                let line = text[from..to].trim_start();
                line.split_once(':').is_some_and(|(key, _)| key.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_'))
            })
            .collect();
        // Fields of the summary itself half the time: they are the ones the scanner keeps.
        let top: Vec<(usize, usize)> = fields.iter().copied().filter(|&(from, _)| !text[from..].starts_with("     ")).collect();
        let from_top = pick % 2 == 0 && !top.is_empty();
        let list = if from_top { &top } else { &fields };
        if let Some(&(from, to)) = list.get(pick / 2 % list.len().max(1)) {
            let line = text[from..to].to_owned();
            if twice {
                text.insert_str(to, &line);
            } else {
                text.replace_range(from..to, "");
            }
        }
        agree(&text)?;
    }

    /// Any layout: all the whitespace gone, or more of it.
    #[test]
    fn the_layout_does_not_matter(s in summary(), wide in any::<bool>()) {
        let text = to_ron(&s);
        let mut out = String::new();
        let mut in_string = false;
        let mut escaped = false;
        for c in text.chars() {
            if in_string {
                out.push(c);
                in_string = c != '"' || escaped;
                escaped = c == '\\' && !escaped;
                continue;
            }
            match c {
                '"' => {
                    in_string = true;
                    out.push(c);
                }
                ' ' | '\n' if !wide => {}
                ',' | '(' | ':' | '[' if wide => {
                    out.push(c);
                    out.push_str(" \t\r\n ");
                }
                c => out.push(c),
            }
        }
        // Without whitespace the attribute and the first name run together: keep a line.
        let out = out.replacen(")]Summary", ")]\nSummary", 1);
        agree(&out)?;
    }
}

/// Where each line starts and ends (with its newline).
fn line_spans(text: &str) -> impl Iterator<Item = (usize, usize)> + '_ {
    let mut from = 0;
    text.split_inclusive('\n').map(move |line| {
        let span = (from, from + line.len());
        from += line.len();
        span
    })
}

#[test]
fn what_the_scanner_leaves_to_the_parser() -> Result<(), TestCaseError> {
    let text = to_ron(&base());
    assert!(agree(&text)?, "holdspace's own layout is read");
    assert!(!agree(&format!("{text}x"))?, "something after the summary");
    assert!(!agree(V1)?, "comments are left to the parser");
    for (from, to) in [
        ("Summary(", "Sumary("),
        ("Summary(", "("),
        ("    version: 1,", "    version: 1,\n    version: 1,"),
        ("    version: 1,", "    version: 99,"),
        ("    version: 1,", "    version: 0,"),
        ("    version: 1,", "    version: 01,"),
        ("    version: 1,", "    version: +1,"),
        ("    version: 1,", "    version: 1u32,"),
        ("    version: 1,", ""),
        ("    plan_reloads: 0,", ""),
        (
            "    plan_reloads: 0,",
            "    plan_reloads: 0,\n    plan_reloads: 0,",
        ),
        ("    kind: \"CBT\",", "    kind: r\"CBT\","),
        ("    kind: \"CBT\",", "    kind: \"CBT\", // a comment"),
        ("    kind: \"CBT\",", "    kind: \"\\x{e9}\","),
        ("    kind: \"CBT\",", "    kind: 'C',"),
        ("    paused_secs: 660,", "    paused_secs: 6.6e2,"),
        ("    paused_secs: 660,", "    paused_secs: 0x10,"),
        ("    paused_secs: 660,", "    paused_secs: 1_000,"),
        ("    paused_secs: 660,", "    paused_secs: {\"a\": 1},"),
        ("    kind: \"CBT\",", "    kind: \"C\\/\","),
        ("    kind: \"CBT\",", "    kind: \"C\\x80\","),
        ("    kind: \"CBT\",", "    kind: \"C\\u{D800}\","),
        ("    kind: \"CBT\",", "    kind: \"C\\u{}\","),
        ("    kind: \"CBT\",", "    kind: \"C\\u{1234567}\","),
        ("#![enable(implicit_some)]", "#![enable(unwrap_newtypes)]"),
        ("status: Present", "status: Present()"),
        ("status: Present", "status: Here"),
        ("risk: true", "risk: True"),
        ("name: \"Dr. Nadia Rahman\",", ""),
        ("role: \"lead\",", ""),
        ("series: Series(", "series: Some(Series"),
    ] {
        let changed = text.replacen(from, to, 1);
        assert_ne!(changed, text, "{from} is in the text");
        assert!(!agree(&changed)?, "{to} should be left to the parser");
    }
    for (from, to) in [
        (
            "    kind: \"CBT\",",
            "    kind: \"CBT\",\n    unknown: Some((1, [2.5, -3], \"x\", Thing(a: None))),",
        ),
        ("    kind: \"CBT\",", "    kind: \"C\\u{301}\\t\\\"\\\\\\x41\","),
        (
            "    kind: \"CBT\",",
            "    kind: \"CBT\",\n    undone: [Undone(at: \"18:00:00\", what: \"skip\")],",
        ),
        ("series: Series(", "series: Some(Series("),
        ("    flags: Flags(", "    flags: Flags (extra: inf,"),
        ("    paused_secs: 660,", "    paused_secs: NaN,"),
        ("    paused_secs: 660,", "    paused_secs: -0.5,"),
        ("    paused_secs: 660,", "    paused_secs: Unit,"),
        ("    paused_secs: 660,", "    paused_secs: (),"),
    ] {
        let changed = text.replacen(from, to, 1);
        assert_ne!(changed, text, "{from} is in the text");
        let changed = if from.starts_with("series") {
            changed.replacen("        of: 8,\n    ),", "        of: 8,\n    )),", 1)
        } else {
            changed
        };
        assert!(agree(&changed)?, "{to} is read by the scanner too:\n{changed}");
    }
    Ok(())
}

/// A summary of version 3, with what the last session left carried forward (a field the
/// list does not show), is read as the parser reads it.
#[test]
fn a_summary_carrying_items_forward_is_read_the_same() -> Result<(), TestCaseError> {
    let mut s = base();
    s.version = crate::summary::SUMMARY_VERSION;
    s.carried = vec![CarriedSummary {
        id: "c1".into(),
        kind: crate::session::CarriedKind::FollowUp,
        raised_session: 2,
        raised_date: "2025-02-25".into(),
        about: "group".into(),
        text: "Check in on \"the plan\"".into(),
        owner: String::new(),
        due: Some("2025-03-11".into()),
        closed: None,
    }];
    let text = to_ron(&s);
    assert!(text.contains("carried:"), "{text}");
    assert!(agree(&text)?, "read by the scanner:\n{text}");
    Ok(())
}

#[test]
fn the_scanner_reads_an_archive_summary_as_the_parser_does() -> Result<(), TestCaseError> {
    // As scripts/gen-archive.py writes them: `\'` escapes, no optional fields.
    let text = to_ron(&base()).replace("Managing Anxiety", "Managing Anxiety \\'today\\'");
    assert!(agree(&text)?);
    Ok(())
}

/// The skipper keeps what is open on a stack of its own: values nested past its limit are
/// left to the parser (whatever their depth, without recursion), those within it read.
#[test]
fn deeply_nested_values_are_skipped_within_a_limit() -> Result<(), TestCaseError> {
    let text = to_ron(&base());
    let nested = |depth: usize, open: &str, close: &str| {
        let value = format!("{}1{}", open.repeat(depth), close.repeat(depth));
        text.replacen(
            "    kind: \"CBT\",",
            &format!("    kind: \"CBT\",\n    unknown: {value},"),
            1,
        )
    };
    for (open, close) in [("[", "]"), ("(", ")"), ("Some(", ")"), ("(a: ", ")")] {
        assert!(agree(&nested(20, open, close))?, "20 levels of {open} are read");
        assert!(
            !agree(&nested(40, open, close))?,
            "40 levels of {open} are left to the parser"
        );
        assert!(
            !agree(&nested(100_000, open, close))?,
            "100,000 levels of {open} are left to the parser"
        );
    }
    Ok(())
}
