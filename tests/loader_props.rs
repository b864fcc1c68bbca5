//! Property tests of the loaders, called as a library: whatever bytes arrive, reading,
//! recognising, parsing and validating a plan, roster or theme returns a value or a
//! diagnostic, never a panic, and every diagnostic names a position inside the file.

use std::path::Path;

use holdspace::check::detect_kind;
use holdspace::plan::{BUILTIN_PLAN, BUILTIN_ROSTER, parse_plan, parse_roster, validate_plan};
use holdspace::source::{Diagnostic, LoadError, source_from_bytes};
use holdspace::theme::{BUILTIN as BUILTIN_THEMES, parse_theme};
use proptest::prelude::*;
use proptest::test_runner::Config;

const CASES: u32 = 256;

/// A diagnostic's position lies in the source: a line that exists (or the one just
/// after a final newline) and a column at most one past that line's end.
fn assert_inside(d: &Diagnostic, source: &str) -> Result<(), TestCaseError> {
    let lines: Vec<&str> = source.split('\n').collect();
    prop_assert!(d.position.line >= 1 && d.position.col >= 1, "zero position: {d}");
    prop_assert!(
        d.position.line <= lines.len(),
        "line {} beyond the file's {} lines: {d}",
        d.position.line,
        lines.len()
    );
    let len = lines[d.position.line - 1].chars().count();
    prop_assert!(
        d.position.col <= len + 1,
        "column {} beyond the line's {len} characters: {d}",
        d.position.col
    );
    prop_assert!(!d.message.is_empty(), "empty message: {d}");
    Ok(())
}

fn assert_errors_inside(err: &LoadError, source: &str) -> Result<(), TestCaseError> {
    prop_assert!(!err.0.is_empty(), "an error with no diagnostics");
    for d in &err.0 {
        prop_assert!(d.is_error(), "a warning returned as an error: {d}");
        assert_inside(d, source)?;
    }
    Ok(())
}

/// Runs every loader over one text, checking what they return.
fn load_everything(source: &str) -> Result<(), TestCaseError> {
    let _ = detect_kind(source);
    let file = Path::new("p.ron");
    match parse_plan(source, file) {
        Ok(plan) => {
            for d in validate_plan(&plan, source, file) {
                assert_inside(&d, source)?;
            }
            let _ = plan.agenda_total();
            for segment in &plan.agenda {
                let _ = plan.warnings_for(segment);
                let _ = plan.exercise_of(segment);
            }
        }
        Err(e) => assert_errors_inside(&e, source)?,
    }
    match parse_roster(source, Path::new("r.ron")) {
        Ok(_) => {}
        Err(e) => assert_errors_inside(&e, source)?,
    }
    match parse_theme(source, Path::new("t.ron")) {
        Ok(_) => {}
        Err(e) => assert_errors_inside(&e, source)?,
    }
    Ok(())
}

/// Bytes through the same guards as a file on disk, then every loader.
fn load_bytes(bytes: Vec<u8>) -> Result<(), TestCaseError> {
    match source_from_bytes(Path::new("p.ron"), bytes.clone()) {
        Ok(text) => {
            prop_assert!(!text.trim().is_empty());
            prop_assert!(!text.contains('\0'));
            prop_assert_eq!(text.as_bytes(), &bytes[..]);
            load_everything(&text)
        }
        Err(d) => {
            prop_assert!(d.is_error());
            prop_assert!(d.position.line >= 1 && d.position.col >= 1);
            Ok(())
        }
    }
}

/// One edit of a byte string.
#[derive(Debug, Clone)]
enum Edit {
    Delete { at: usize, len: usize },
    Insert { at: usize, bytes: Vec<u8> },
    Replace { at: usize, len: usize, bytes: Vec<u8> },
}

impl Edit {
    /// Applies the edit; `at` and `len` wrap into range, so any edit fits any input.
    fn apply(&self, input: &mut Vec<u8>) {
        let n = input.len();
        let start = |at: usize| if n == 0 { 0 } else { at % (n + 1) };
        match self {
            Edit::Delete { at, len } => {
                let s = start(*at);
                let e = (s + len).min(n);
                input.drain(s..e);
            }
            Edit::Insert { at, bytes } => {
                let s = start(*at);
                input.splice(s..s, bytes.iter().copied());
            }
            Edit::Replace { at, len, bytes } => {
                let s = start(*at);
                let e = (s + len).min(n);
                input.splice(s..e, bytes.iter().copied());
            }
        }
    }
}

/// Fragments that matter to RON and to the locator, more likely than random bytes to
/// reach the deeper paths of parsing and validation.
fn ron_fragment() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        Just(b"(".to_vec()),
        Just(b")".to_vec()),
        Just(b"[".to_vec()),
        Just(b"]".to_vec()),
        Just(b"{".to_vec()),
        Just(b"}".to_vec()),
        Just(b"\"".to_vec()),
        Just(b",".to_vec()),
        Just(b":".to_vec()),
        Just(b"\n".to_vec()),
        Just(b"\r\n".to_vec()),
        Just(b"//".to_vec()),
        Just(b"/*".to_vec()),
        Just(b"*/".to_vec()),
        Just(b"#![enable(implicit_some)]".to_vec()),
        Just(b"r#\"".to_vec()),
        Just(b"\"#".to_vec()),
        Just(b"'('".to_vec()),
        Just(b"\\".to_vec()),
        Just(b"Custom(\"x\")".to_vec()),
        Just(b"Some(".to_vec()),
        Just(b"\"0m\"".to_vec()),
        Just(b"\"99999999999999999999h\"".to_vec()),
        Just(b"\"25h\"".to_vec()),
        Just(b"min: \"99h\",".to_vec()),
        Just(b"max: \"1m\",".to_vec()),
        Just(b"fixed: true,".to_vec()),
        Just(b"exercise: \"nope\",".to_vec()),
        Just(b"speaking: Round(per_speaker: \"2h\"),".to_vec()),
        Just(b"speaking: OpenFloor(),".to_vec()),
        Just(b"series: (name: \"s\", session: 0, of: 0),".to_vec()),
        Just(b"4294967296".to_vec()),
        Just(b"-1".to_vec()),
        Just("é☕\u{feff}".as_bytes().to_vec()),
        Just(vec![0xff]),
        Just(vec![0xe2, 0x98]),
        Just(vec![0]),
        proptest::collection::vec(any::<u8>(), 1..8),
        "[a-zA-Z_ ]{1,8}".prop_map(String::into_bytes),
    ]
}

fn edit(max_at: usize) -> impl Strategy<Value = Edit> {
    prop_oneof![
        (0..=max_at, 1..64usize).prop_map(|(at, len)| Edit::Delete { at, len }),
        (0..=max_at, ron_fragment()).prop_map(|(at, bytes)| Edit::Insert { at, bytes }),
        (0..=max_at, 1..16usize, ron_fragment()).prop_map(|(at, len, bytes)| Edit::Replace {
            at,
            len,
            bytes
        }),
    ]
}

fn mutated(original: &'static str) -> impl Strategy<Value = Vec<u8>> {
    proptest::collection::vec(edit(original.len()), 1..6).prop_map(move |edits| {
        let mut bytes = original.as_bytes().to_vec();
        for e in &edits {
            e.apply(&mut bytes);
        }
        bytes
    })
}

#[test]
fn the_builtin_files_load_cleanly() {
    let plan = parse_plan(BUILTIN_PLAN, Path::new("builtin.ron")).expect("the built-in plan loads");
    assert!(!plan.agenda.is_empty());
    let warnings = validate_plan(&plan, BUILTIN_PLAN, Path::new("builtin.ron"));
    assert!(warnings.is_empty(), "{warnings:?}");
    parse_roster(BUILTIN_ROSTER, Path::new("roster.ron")).expect("the built-in roster loads");
    for (name, source) in BUILTIN_THEMES {
        parse_theme(source, Path::new(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
    }
}

proptest! {
    #![proptest_config(Config::with_cases(CASES))]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
        load_bytes(bytes)?;
    }

    #[test]
    fn arbitrary_text_never_panics(text in "\\PC{0,512}") {
        load_everything(&text)?;
    }

    #[test]
    fn ron_shaped_text_never_panics(parts in proptest::collection::vec(ron_fragment(), 0..64)) {
        let bytes: Vec<u8> = parts.concat();
        load_bytes(bytes)?;
    }

    #[test]
    fn mutations_of_the_builtin_plan_never_panic(bytes in mutated(BUILTIN_PLAN)) {
        load_bytes(bytes)?;
    }

    #[test]
    fn a_deleted_range_of_the_builtin_plan_never_panics(at in 0..BUILTIN_PLAN.len(), len in 1..400usize) {
        let mut bytes = BUILTIN_PLAN.as_bytes().to_vec();
        Edit::Delete { at, len }.apply(&mut bytes);
        load_bytes(bytes)?;
    }

    #[test]
    fn random_bytes_inserted_into_the_builtin_plan_never_panic(
        at in 0..=BUILTIN_PLAN.len(),
        bytes in proptest::collection::vec(any::<u8>(), 1..32),
    ) {
        let mut plan = BUILTIN_PLAN.as_bytes().to_vec();
        Edit::Insert { at, bytes }.apply(&mut plan);
        load_bytes(plan)?;
    }

    #[test]
    fn a_replaced_range_of_the_builtin_plan_never_panics(
        at in 0..BUILTIN_PLAN.len(),
        len in 1..64usize,
        bytes in proptest::collection::vec(any::<u8>(), 0..32),
    ) {
        let mut plan = BUILTIN_PLAN.as_bytes().to_vec();
        Edit::Replace { at, len, bytes }.apply(&mut plan);
        load_bytes(plan)?;
    }

    #[test]
    fn mutations_of_the_builtin_roster_never_panic(bytes in mutated(BUILTIN_ROSTER)) {
        load_bytes(bytes)?;
    }

    #[test]
    fn mutations_of_the_dark_theme_never_panic(bytes in mutated(BUILTIN_THEMES[0].1)) {
        load_bytes(bytes)?;
    }

    /// Any prefix of the built-in plan (a save cut short) is refused, not accepted.
    #[test]
    fn a_truncated_builtin_plan_is_refused(cut in 0..BUILTIN_PLAN.trim_end().len()) {
        let bytes = BUILTIN_PLAN.as_bytes()[..cut].to_vec();
        if let Ok(text) = source_from_bytes(Path::new("p.ron"), bytes) {
            let result = parse_plan(&text, Path::new("p.ron"));
            prop_assert!(result.is_err(), "a plan cut at byte {} loaded", cut);
            if let Err(e) = result {
                assert_errors_inside(&e, &text)?;
            }
        }
    }
}

/// Text appended while tracking the 1-based line and column (in characters) of its end.
struct Writer {
    text: String,
    line: usize,
    col: usize,
}

impl Writer {
    fn new() -> Self {
        Writer {
            text: String::new(),
            line: 1,
            col: 1,
        }
    }

    fn push(&mut self, s: &str) {
        for ch in s.chars() {
            if ch == '\n' {
                self.line += 1;
                self.col = 1;
            } else {
                self.col += 1;
            }
        }
        self.text.push_str(s);
    }
}

/// Whitespace and comments that may sit between any two tokens, including brackets
/// inside comments, which must not confuse the position finder.
fn separator() -> impl Strategy<Value = &'static str> {
    prop_oneof![
        Just(" "),
        Just("\n"),
        Just("\n        "),
        Just("\t"),
        Just("\r\n"),
        Just(" /* ( [ { */ "),
        Just(" // ) ] } \" \n"),
        Just("\n// agenda: [ min: \n"),
    ]
}

/// A title whose text holds RON punctuation, escapes and non-ASCII characters.
fn tricky_title() -> impl Strategy<Value = String> {
    proptest::collection::vec(
        prop_oneof![
            Just("Check-in"),
            Just("("),
            Just(")"),
            Just("["),
            Just("}"),
            Just(":"),
            Just(","),
            Just("//"),
            Just("/*"),
            Just("\\\""),
            Just("\\\\"),
            Just("é"),
            Just("☕"),
            Just(" "),
        ],
        0..8,
    )
    .prop_map(|parts| parts.concat())
}

proptest! {
    #![proptest_config(Config::with_cases(CASES))]

    /// An error found after parsing (here `min` longer than its segment) names the
    /// exact line and column of the `min` key, whatever the layout, comments and titles.
    #[test]
    fn validation_errors_point_at_their_key_in_any_layout(
        titles in proptest::collection::vec(tricky_title(), 1..6),
        bad in any::<prop::sample::Index>(),
        seps in proptest::collection::vec(separator(), 128),
    ) {
        let bad = bad.index(titles.len());
        let mut seps = seps.into_iter().cycle();
        let mut w = Writer::new();
        let mut tok = |w: &mut Writer, s: &str| {
            w.push(s);
            w.push(seps.next().unwrap_or(" "));
        };
        let total = 10 * titles.len();
        tok(&mut w, "Plan(");
        for field in ["title:", "\"T\"", ",", "kind:", "Support", ","] {
            tok(&mut w, field);
        }
        tok(&mut w, "duration:");
        tok(&mut w, &format!("\"{total}m\""));
        tok(&mut w, ",");
        tok(&mut w, "agenda:");
        tok(&mut w, "[");
        let mut expected = (0, 0);
        for (i, title) in titles.iter().enumerate() {
            tok(&mut w, "Segment(");
            tok(&mut w, "title:");
            tok(&mut w, &format!("\"{title}\""));
            tok(&mut w, ",");
            tok(&mut w, "kind:");
            tok(&mut w, "Opening");
            tok(&mut w, ",");
            tok(&mut w, "duration:");
            tok(&mut w, "\"10m\"");
            tok(&mut w, ",");
            if i == bad {
                expected = (w.line, w.col);
            }
            tok(&mut w, "min:");
            tok(&mut w, if i == bad { "\"20m\"" } else { "\"5m\"" });
            tok(&mut w, ")");
            tok(&mut w, ",");
        }
        tok(&mut w, "]");
        tok(&mut w, ")");

        let source = w.text;
        let result = parse_plan(&source, Path::new("p.ron"));
        prop_assert!(result.is_err(), "the plan should fail:\n{}", source);
        if let Err(e) = result {
            prop_assert_eq!(e.0.len(), 1, "{}\n{}", e, source);
            let d = &e.0[0];
            prop_assert!(d.message.contains("`min` 20m"), "{}", d);
            prop_assert_eq!(
                (d.position.line, d.position.col),
                expected,
                "{}\n--- source ---\n{}",
                d,
                source
            );
        }
    }
}
