//! `holdspace check` driven through the real binary: every shipped file passes, every
//! kind of broken input fails with exit code 1 and a `FILE:LINE:COLUMN` that points at
//! the problem, warnings exit 0, and nothing ever panics.

use std::fs;
use std::ops::RangeInclusive;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use holdspace::plan::{GroupKind, parse_plan, parse_roster};

// ---------------------------------------------------------------------------------------
// Running the binary
// ---------------------------------------------------------------------------------------

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

impl Run {
    fn all_output(&self) -> String {
        format!("{}{}", self.stdout, self.stderr)
    }

    /// Every `FILE:LINE:COL: severity: message` line of stdout and stderr.
    fn diagnostics(&self) -> Vec<Diag> {
        self.all_output().lines().filter_map(Diag::parse).collect()
    }
}

/// `holdspace check ARGS…` run in `dir`, so that paths in the output are as given.
fn check_in(dir: &Path, args: &[&str]) -> Run {
    let output = Command::new(env!("CARGO_BIN_EXE_holdspace"))
        .arg("check")
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .expect("the holdspace binary runs");
    let run = Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    };
    assert!(
        !run.stderr.contains("panicked"),
        "holdspace check {args:?} panicked:\n{}",
        run.stderr
    );
    assert!(
        output.status.code().is_some(),
        "holdspace check {args:?} was killed by a signal:\n{}",
        run.stderr
    );
    run
}

fn manifest_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The `.ron` files directly inside `dir` (relative to the crate root), sorted.
fn ron_files(dir: &str) -> Vec<String> {
    let mut files: Vec<String> = fs::read_dir(manifest_dir().join(dir))
        .unwrap_or_else(|e| panic!("{dir}: {e}"))
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|p| p.is_file() && p.extension().is_some_and(|e| e == "ron"))
        .map(|p| {
            p.strip_prefix(manifest_dir())
                .expect("inside the crate")
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    files.sort();
    files
}

/// One diagnostic line as printed by `check`.
#[derive(Debug, Clone)]
struct Diag {
    file: String,
    line: usize,
    col: usize,
    severity: String,
    /// Message and fix, everything after the severity.
    text: String,
}

impl Diag {
    fn parse(line: &str) -> Option<Diag> {
        for severity in ["error", "warning"] {
            let marker = format!(": {severity}: ");
            if let Some(at) = line.find(&marker) {
                let location = &line[..at];
                let mut parts = location.rsplitn(3, ':');
                let col = parts.next()?.parse().ok()?;
                let line_no = parts.next()?.parse().ok()?;
                let file = parts.next()?.to_owned();
                return Some(Diag {
                    file,
                    line: line_no,
                    col,
                    severity: severity.to_owned(),
                    text: line[at + marker.len()..].to_owned(),
                });
            }
        }
        None
    }
}

// ---------------------------------------------------------------------------------------
// Every shipped file passes
// ---------------------------------------------------------------------------------------

#[test]
fn every_shipped_plan_roster_and_theme_passes_check_without_warnings() {
    let mut files = ron_files("session-plans");
    let plans = files.len();
    files.extend(ron_files("session-plans/rosters"));
    let rosters = files.len() - plans;
    files.extend(ron_files("themes"));
    assert!(plans >= 7, "expected the example plans, found {plans}");
    assert!(rosters >= 7, "expected the example rosters, found {rosters}");
    assert!(
        files.len() - plans - rosters >= 3,
        "expected dark, light and high-contrast themes"
    );

    let args: Vec<&str> = files.iter().map(String::as_str).collect();
    let run = check_in(&manifest_dir(), &args);
    assert_eq!(run.code, 0, "check failed:\n{}", run.all_output());
    assert!(run.stderr.trim().is_empty(), "unexpected stderr:\n{}", run.stderr);
    for file in &files {
        assert!(
            run.stdout.lines().any(|l| l == format!("{file}: ok")),
            "{file} is not reported ok:\n{}",
            run.stdout
        );
    }
    assert!(
        !run.stdout.contains("warning"),
        "shipped files should have no warnings:\n{}",
        run.stdout
    );
}

#[test]
fn each_shipped_file_passes_on_its_own() {
    let mut files = ron_files("session-plans");
    files.extend(ron_files("session-plans/rosters"));
    files.extend(ron_files("themes"));
    for file in files {
        let run = check_in(&manifest_dir(), &[&file]);
        assert_eq!(run.code, 0, "{file}:\n{}", run.all_output());
        assert_eq!(run.stdout.trim(), format!("{file}: ok"));
    }
}

#[test]
fn example_plans_cover_every_group_kind_and_are_well_formed() {
    let mut kinds = Vec::new();
    for file in ron_files("session-plans") {
        let path = manifest_dir().join(&file);
        let source = fs::read_to_string(&path).expect("readable");
        let plan = parse_plan(&source, &path).unwrap_or_else(|e| panic!("{file}: {e}"));

        assert_eq!(
            plan.agenda_total(),
            plan.duration,
            "{file}: duration is not the agenda total"
        );
        assert!(plan.series.is_some(), "{file}: no series");
        assert!(!plan.warnings.is_empty(), "{file}: no warning thresholds");
        assert!(!plan.ground_rules.is_empty(), "{file}: no ground rules");
        assert!(plan.agenda.len() >= 5, "{file}: a real session has more segments");
        let kinds_of = |k: &str| {
            plan.agenda
                .iter()
                .filter(|s| format!("{:?}", s.kind) == k)
                .collect::<Vec<_>>()
        };
        assert!(!kinds_of("CheckIn").is_empty(), "{file}: no check-in");
        let check_outs = kinds_of("CheckOut");
        assert!(!check_outs.is_empty(), "{file}: no check-out");
        assert!(
            check_outs.iter().all(|s| s.fixed),
            "{file}: check-out is not fixed"
        );
        assert!(
            kinds_of("Break").iter().all(|s| s.fixed),
            "{file}: break is not fixed"
        );
        assert!(
            plan.agenda.iter().any(|s| s.min.is_some()),
            "{file}: no flexible segment has a `min`"
        );
        assert!(
            plan.agenda.iter().any(|s| !s.speaking.is_none()),
            "{file}: no rounds or open floor"
        );

        let roster_rel = plan.roster.clone().unwrap_or_else(|| panic!("{file}: no roster"));
        let roster_path = path.parent().expect("in a dir").join(roster_rel);
        let roster_source = fs::read_to_string(&roster_path)
            .unwrap_or_else(|e| panic!("{file}: roster {}: {e}", roster_path.display()));
        let roster = parse_roster(&roster_source, &roster_path).unwrap_or_else(|e| panic!("{e}"));
        assert!(
            (6..=12).contains(&roster.members.len()),
            "{}: {} members",
            roster_path.display(),
            roster.members.len()
        );
        assert!(
            !roster.facilitators.is_empty(),
            "{}: no facilitators",
            roster_path.display()
        );

        kinds.push(plan.kind);
    }
    for kind in [
        GroupKind::Support,
        GroupKind::Cbt,
        GroupKind::SkillsTraining,
        GroupKind::Process,
        GroupKind::Psychoeducation,
        GroupKind::Interpersonal,
    ] {
        assert!(kinds.contains(&kind), "no example plan of kind {kind:?}");
    }
}

// ---------------------------------------------------------------------------------------
// Broken inputs: a table
// ---------------------------------------------------------------------------------------

/// How the checked path is made.
enum Setup {
    /// A file with these bytes.
    File(Vec<u8>),
    /// A file of this many bytes, written sparsely (fast even when huge).
    Sized(u64),
    /// A directory.
    Dir,
    /// Nothing at all.
    Missing,
}

#[derive(Debug, Clone)]
enum Col {
    Exact(usize),
    /// The column depends on where the parser stops inside the value: between the
    /// end of `key:` and the value's first character.
    Within(RangeInclusive<usize>),
}

struct Expect {
    file: &'static str,
    severity: &'static str,
    line: usize,
    col: Col,
    /// Each of these appears in the diagnostic's message or fix.
    says: &'static [&'static str],
}

struct Case {
    name: &'static str,
    /// The path handed to `check`, relative to the temp dir.
    path: &'static str,
    setup: Setup,
    /// Other files written beside it first (e.g. a roster the plan names).
    extra: Vec<(&'static str, String)>,
    code: i32,
    expect: Vec<Expect>,
}

fn err(file: &'static str, line: usize, col: Col, says: &'static [&'static str]) -> Expect {
    Expect {
        file,
        severity: "error",
        line,
        col,
        says,
    }
}

fn warn(file: &'static str, line: usize, col: Col, says: &'static [&'static str]) -> Expect {
    Expect {
        file,
        severity: "warning",
        line,
        col,
        says,
    }
}

fn text(s: &str) -> Setup {
    Setup::File(s.as_bytes().to_vec())
}

fn case(name: &'static str, path: &'static str, setup: Setup, code: i32, expect: Vec<Expect>) -> Case {
    Case {
        name,
        path,
        setup,
        extra: Vec::new(),
        code,
        expect,
    }
}

/// A plan whose one segment is written out, field per line, from line 6.
/// `segment_fields` is inserted at line 10 (after title, kind and duration).
fn plan_with_segment(kind: &str, duration: &str, segment_fields: &str) -> String {
    format!(
        r#"Plan(
    title: "T",
    kind: Support,
    duration: "10m",
    agenda: [
        Segment(
            title: "A",
            kind: {kind},
            duration: "{duration}",
{segment_fields}        ),
    ],
)
"#
    )
}

/// A roster with `n` members named M1…Mn; the `members:` key is at 3:5.
fn roster_of(n: usize) -> String {
    let mut s = String::from("Roster(\n    group: \"G\",\n    members: [\n");
    for i in 1..=n {
        s.push_str(&format!("        Member(name: \"M{i}\"),\n"));
    }
    s.push_str("    ],\n)\n");
    s
}

const SEGMENT_KINDS: &str =
    "Opening, GroundRules, CheckIn, Psychoeducation, Exercise, Discussion, Break, CheckOut, Closing, Custom";
const GROUP_KINDS: &str = "Support, Cbt, SkillsTraining, Process, Psychoeducation, Interpersonal, Custom";

fn cases() -> Vec<Case> {
    use Col::{Exact, Within};

    let plan_naming_roster = |roster: &str| {
        format!(
            r#"Plan(
    title: "T",
    kind: Support,
    duration: "10m",
    roster: "{roster}",
    agenda: [
        Segment(title: "A", kind: Opening, duration: "10m"),
    ],
)
"#
        )
    };

    let garbage: Vec<u8> = (0..4096u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();

    vec![
        case(
            "unknown field `durration` suggests `duration`",
            "plan.ron",
            text("Plan(\n    title: \"T\",\n    kind: Support,\n    durration: \"10m\",\n    agenda: [],\n)\n"),
            1,
            vec![err(
                "plan.ron",
                4,
                Exact(5),
                &["unknown field `durration`", "expected one of:", "duration", "did you mean `duration`?"],
            )],
        ),
        case(
            "unknown field in a segment names the segment's fields",
            "plan.ron",
            text(&plan_with_segment("Opening", "10m", "            promts: [\"hi\"],\n")),
            1,
            vec![err(
                "plan.ron",
                10,
                Exact(13),
                &["unknown field `promts`", "in Segment", "did you mean `prompts`?"],
            )],
        ),
        case(
            "misspelt segment kind suggests the close one",
            "plan.ron",
            text(&plan_with_segment("Openning", "10m", "")),
            1,
            vec![err(
                "plan.ron",
                8,
                Exact(19),
                &["unknown SegmentKind variant `Openning`", SEGMENT_KINDS, "did you mean `Opening`?"],
            )],
        ),
        case(
            "unknown segment kind lists the valid kinds and Custom",
            "plan.ron",
            text(&plan_with_segment("Warmup", "10m", "")),
            1,
            vec![err(
                "plan.ron",
                8,
                Exact(19),
                &["unknown SegmentKind variant `Warmup`", SEGMENT_KINDS, "Custom(\"Warmup\")"],
            )],
        ),
        case(
            "unknown group kind lists the valid kinds",
            "plan.ron",
            text("Plan(\n    title: \"T\",\n    kind: Therapy,\n    duration: \"10m\",\n    agenda: [],\n)\n"),
            1,
            vec![err(
                "plan.ron",
                3,
                Exact(11),
                &["unknown GroupKind variant `Therapy`", GROUP_KINDS, "Custom(\"Therapy\")"],
            )],
        ),
        case(
            "group kind in the wrong case suggests the right spelling",
            "plan.ron",
            text("Plan(\n    title: \"T\",\n    kind: CBT,\n    duration: \"10m\",\n    agenda: [],\n)\n"),
            1,
            vec![err("plan.ron", 3, Exact(11), &["`CBT`", "did you mean `Cbt`?"])],
        ),
        case(
            "duration with an unknown unit",
            "plan.ron",
            text(&plan_with_segment("Opening", "5x", "")),
            1,
            vec![err(
                "plan.ron",
                9,
                Within(22..=24),
                &["duration \"5x\"", "unknown unit `x`", "use h, m or s"],
            )],
        ),
        case(
            "duration without a unit",
            "plan.ron",
            text(&plan_with_segment("Opening", "5", "")),
            1,
            vec![err(
                "plan.ron",
                9,
                Within(22..=24),
                &["duration \"5\"", "number without a unit", "\"5m\"", "\"5s\""],
            )],
        ),
        case(
            "plan duration without a unit",
            "plan.ron",
            text("Plan(\n    title: \"T\",\n    kind: Support,\n    duration: \"90\",\n    agenda: [],\n)\n"),
            1,
            vec![err("plan.ron", 4, Within(14..=16), &["duration \"90\"", "without a unit", "\"90m\""])],
        ),
        case(
            "zero duration",
            "plan.ron",
            text(&plan_with_segment("Opening", "0m", "")),
            1,
            vec![err("plan.ron", 9, Within(22..=24), &["duration \"0m\"", "is zero", "positive"])],
        ),
        case(
            "a duration that is a number, not a string",
            "plan.ron",
            text("Plan(\n    title: \"T\",\n    kind: Support,\n    duration: 10,\n    agenda: [],\n)\n"),
            1,
            vec![err("plan.ron", 4, Within(14..=15), &["string"])],
        ),
        case(
            "`min` longer than the segment",
            "plan.ron",
            text(&plan_with_segment("Opening", "10m", "            min: \"12m\",\n")),
            1,
            vec![err(
                "plan.ron",
                10,
                Exact(13),
                &["`min` 12m is longer than the segment's duration 10m", "make `min` at most 10m"],
            )],
        ),
        case(
            "`max` shorter than the segment",
            "plan.ron",
            text(&plan_with_segment("Opening", "10m", "            max: \"8m\",\n")),
            1,
            vec![err(
                "plan.ron",
                10,
                Exact(13),
                &["`max` 8m is shorter than the segment's duration 10m", "make `max` at least 10m"],
            )],
        ),
        case(
            "`max` shorter than `min`",
            "plan.ron",
            text(&plan_with_segment(
                "Opening",
                "10m",
                "            min: \"12m\",\n            max: \"11m\",\n",
            )),
            1,
            vec![
                err("plan.ron", 10, Exact(13), &["`min` 12m is longer than the segment's duration 10m"]),
                err(
                    "plan.ron",
                    11,
                    Exact(13),
                    &["`max` 11m is shorter than its `min` 12m", "make `max` at least 12m"],
                ),
            ],
        ),
        case(
            "`max` that is not a duration",
            "plan.ron",
            text(&plan_with_segment("Opening", "10m", "            max: \"lots\",\n")),
            1,
            vec![err("plan.ron", 10, Within(18..=20), &["duration \"lots\"", "use h, m or s"])],
        ),
        case(
            "undefined exercise key suggests the close one",
            "plan.ron",
            text(&format!(
                "{}{}",
                plan_with_segment("Exercise", "10m", "            exercise: \"box-breath\",\n")
                    .trim_end()
                    .trim_end_matches(')'),
                "    exercises: {\n        \"box-breathing\": Exercise(title: \"Box\", steps: [Step(text: \"in\")]),\n    },\n)\n"
            )),
            1,
            vec![err(
                "plan.ron",
                10,
                Exact(13),
                &["exercise \"box-breath\" is not defined", "did you mean \"box-breathing\"?"],
            )],
        ),
        case(
            "undefined exercise with no exercises at all",
            "plan.ron",
            text(&plan_with_segment("Exercise", "10m", "            exercise: \"grounding\",\n")),
            1,
            vec![err(
                "plan.ron",
                10,
                Exact(13),
                &["exercise \"grounding\" is not defined", "exercises: {"],
            )],
        ),
        case(
            "empty agenda",
            "plan.ron",
            text("Plan(\n    title: \"T\",\n    kind: Support,\n    duration: \"10m\",\n    agenda: [],\n)\n"),
            1,
            vec![err("plan.ron", 5, Exact(5), &["the agenda is empty", "add at least one Segment"])],
        ),
        case(
            "impossible series session",
            "plan.ron",
            text(
                "Plan(\n    title: \"T\",\n    kind: Support,\n    series: (name: \"S\", session: 9, of: 8),\n    duration: \"10m\",\n    agenda: [Segment(title: \"A\", kind: Opening, duration: \"10m\")],\n)\n",
            ),
            1,
            vec![err("plan.ron", 4, Exact(5), &["session 9 of 8 is not possible"])],
        ),
        Case {
            extra: Vec::new(),
            ..case(
                "roster path that does not exist",
                "plan.ron",
                text(&plan_naming_roster("rosters/nope.ron")),
                1,
                vec![
                    err(
                        "plan.ron",
                        5,
                        Exact(5),
                        &["the roster rosters/nope.ron did not load", "relative to the plan file"],
                    ),
                    err("rosters/nope.ron", 1, Exact(1), &["cannot read the file", "no such file"]),
                ],
            )
        },
        Case {
            extra: vec![(
                "rosters/bad.ron",
                "Roster(\n    group: \"G\",\n    members: [\n        Member(name: \"A\"),\n        Member(nam: \"B\"),\n    ],\n)\n"
                    .to_owned(),
            )],
            ..case(
                "invalid roster reports the plan and the roster's own line",
                "plan.ron",
                text(&plan_naming_roster("rosters/bad.ron")),
                1,
                vec![
                    err("plan.ron", 5, Exact(5), &["the roster rosters/bad.ron did not load"]),
                    err(
                        "rosters/bad.ron",
                        5,
                        Exact(16),
                        &["unknown field `nam`", "in Member", "did you mean `name`?"],
                    ),
                ],
            )
        },
        Case {
            extra: vec![("rosters/big.ron", roster_of(31))],
            ..case(
                "a plan whose roster is too big fails",
                "plan.ron",
                text(&plan_naming_roster("rosters/big.ron")),
                1,
                vec![
                    err("plan.ron", 5, Exact(5), &["did not load"]),
                    err("rosters/big.ron", 3, Exact(5), &["31 members", "at most 30"]),
                ],
            )
        },
        case(
            "duplicate member names, in any case",
            "roster.ron",
            text(
                "Roster(\n    group: \"G\",\n    members: [\n        Member(name: \"Sam\"),\n        Member(name: \"Alex\"),\n        Member(name: \"sam\"),\n    ],\n)\n",
            ),
            1,
            vec![err(
                "roster.ron",
                6,
                Exact(16),
                &["member \"sam\" appears twice", "also member 1", "tell them apart"],
            )],
        ),
        case(
            "an empty member name",
            "roster.ron",
            text("Roster(\n    members: [\n        Member(name: \"  \"),\n    ],\n)\n"),
            1,
            vec![err("roster.ron", 3, Exact(16), &["name is empty"])],
        ),
        case(
            "31 members is more than a group holds",
            "roster.ron",
            Setup::File(roster_of(31).into_bytes()),
            1,
            vec![err("roster.ron", 3, Exact(5), &["31 members", "a group holds at most 30", "split the group"])],
        ),
        case("30 members is fine", "roster.ron", Setup::File(roster_of(30).into_bytes()), 0, vec![]),
        case(
            "200 members is refused",
            "roster.ron",
            Setup::File(roster_of(200).into_bytes()),
            1,
            vec![err("roster.ron", 3, Exact(5), &["200 members", "at most 30"])],
        ),
        case(
            "a roster of no members is a warning, not an error",
            "roster.ron",
            Setup::File(roster_of(0).into_bytes()),
            0,
            vec![warn("roster.ron", 3, Exact(5), &["the roster has no members", "add Member(name: …)"])],
        ),
        case(
            "a number where a string goes",
            "plan.ron",
            text("Plan(\n    title: 42,\n    kind: Support,\n    duration: \"10m\",\n    agenda: [],\n)\n"),
            1,
            vec![err("plan.ron", 2, Within(11..=12), &["expected a string in double quotes", "\"double quotes\""])],
        ),
        case(
            "a number where a member's name goes",
            "roster.ron",
            text("Roster(\n    members: [\n        Member(name: 7),\n    ],\n)\n"),
            1,
            vec![err("roster.ron", 3, Within(21..=22), &["expected a string"])],
        ),
        case(
            "a missing required field",
            "plan.ron",
            text("Plan(\n    title: \"T\",\n    kind: Support,\n    agenda: [\n        Segment(title: \"A\", kind: Opening, duration: \"10m\"),\n    ],\n)\n"),
            1,
            vec![err("plan.ron", 7, Exact(1), &["missing field `duration`", "in Plan", "add `duration: …`"])],
        ),
        case(
            "a segment missing its kind",
            "plan.ron",
            text(
                "Plan(\n    title: \"T\",\n    kind: Support,\n    duration: \"10m\",\n    agenda: [\n        Segment(title: \"A\", duration: \"10m\"),\n    ],\n)\n",
            ),
            1,
            vec![err("plan.ron", 6, Exact(44), &["missing field `kind`", "in Segment"])],
        ),
        case(
            "an unclosed bracket at the end of the file",
            "plan.ron",
            text(
                "Plan(\n    title: \"T\",\n    kind: Support,\n    duration: \"10m\",\n    agenda: [\n        Segment(title: \"A\", kind: Opening, duration: \"10m\"),\n    ],\n",
            ),
            1,
            vec![err("plan.ron", 7, Exact(7), &["ends too early", "not closed", "close every ("])],
        ),
        case(
            "an unclosed string",
            "plan.ron",
            text("Plan(\n    title: \"T,\n    kind: Support,\n)\n"),
            1,
            vec![err("plan.ron", 2, Exact(12), &["string"])],
        ),
        case("an empty file", "plan.ron", text(""), 1, vec![err("plan.ron", 1, Exact(1), &["the file is empty", "Plan("])]),
        case(
            "a file of only whitespace and newlines",
            "plan.ron",
            text("  \n\t\n\n"),
            1,
            vec![err("plan.ron", 1, Exact(1), &["the file is empty"])],
        ),
        case(
            "binary garbage",
            "plan.ron",
            Setup::File(garbage),
            1,
            vec![err("plan.ron", 1, Exact(1), &["binary file, not RON text"])],
        ),
        case(
            "invalid UTF-8 names where it starts",
            "plan.ron",
            Setup::File(b"Plan(\n    title: \"caf\xe9\",\n)\n".to_vec()),
            1,
            vec![err("plan.ron", 2, Exact(16), &["invalid UTF-8", "save the file as UTF-8"])],
        ),
        case(
            "a 50 MB file",
            "huge.ron",
            Setup::Sized(50 * 1024 * 1024),
            1,
            vec![err("huge.ron", 1, Exact(1), &["MiB", "at most 1 MiB", "right file"])],
        ),
        case(
            "a file just over 1 MB",
            "big.ron",
            Setup::Sized(1024 * 1024 + 1),
            1,
            vec![err("big.ron", 1, Exact(1), &["at most 1 MiB"])],
        ),
        case(
            "a directory",
            "plans",
            Setup::Dir,
            1,
            vec![err("plans", 1, Exact(1), &["this is a directory, not a file", "name a .ron file inside it"])],
        ),
        case(
            "a missing path",
            "nowhere.ron",
            Setup::Missing,
            1,
            vec![err("nowhere.ron", 1, Exact(1), &["cannot read the file", "no such file"])],
        ),
        case(
            "JSON is not a holdspace file",
            "plan.json",
            text("{\"title\": \"T\", \"agenda\": []}\n"),
            1,
            vec![err("plan.json", 1, Exact(1), &["not a holdspace file", "Plan(, Roster(, Theme( or Config(", "`Plan(`"])],
        ),
        case(
            "other RON is not a holdspace file",
            "game.ron",
            text("GameConfig(\n    window_size: (800, 600),\n)\n"),
            1,
            vec![err("game.ron", 1, Exact(1), &["not a holdspace file"])],
        ),
        case(
            "prose is not a holdspace file",
            "notes.ron",
            text("Session notes for Tuesday.\n"),
            1,
            vec![err("notes.ron", 1, Exact(1), &["not a holdspace file"])],
        ),
        case(
            "a bad theme colour",
            "theme.ron",
            text("Theme(\n    name: \"mine\",\n    risk: \"reddish\",\n)\n"),
            1,
            vec![err(
                "theme.ron",
                3,
                Within(10..=12),
                &["\"reddish\" is not a colour", "#rrggbb", "0\"-\"255"],
            )],
        ),
        case(
            "a malformed hex colour",
            "theme.ron",
            text("Theme(\n    countdown: \"#12345\",\n)\n"),
            1,
            vec![err("theme.ron", 2, Within(15..=17), &["\"#12345\" is not a colour"])],
        ),
        case(
            "an unknown theme role suggests the close one",
            "theme.ron",
            text("Theme(\n    name: \"mine\",\n    overtim: \"Red\",\n)\n"),
            1,
            vec![err("theme.ron", 3, Exact(5), &["unknown field `overtim`", "did you mean `overtime`?"])],
        ),
        case("a partial theme is fine", "theme.ron", text("Theme(risk: \"LightRed\")\n"), 0, vec![]),
        // Warnings: exit 0, printed with "warning".
        case(
            "agenda total differs from the plan's duration",
            "plan.ron",
            text(
                "Plan(\n    title: \"T\",\n    kind: Support,\n    duration: \"15m\",\n    agenda: [\n        Segment(title: \"A\", kind: Opening, duration: \"10m\"),\n    ],\n)\n",
            ),
            0,
            vec![warn(
                "plan.ron",
                4,
                Exact(5),
                &["the agenda adds up to 10m, but the plan's duration is 15m", "set `duration: \"10m\"`"],
            )],
        ),
        case(
            "a fixed segment with a min",
            "plan.ron",
            text(&plan_with_segment("Break", "10m", "            min: \"5m\",\n            fixed: true,\n")),
            0,
            vec![warn("plan.ron", 10, Exact(13), &["fixed segment", "`min` has no effect"])],
        ),
        case(
            "a fixed segment with a max",
            "plan.ron",
            text(&plan_with_segment("Break", "10m", "            max: \"15m\",\n            fixed: true,\n")),
            0,
            vec![warn("plan.ron", 10, Exact(13), &["fixed segment", "`max` has no effect"])],
        ),
        case(
            "one speaker's time longer than the segment",
            "plan.ron",
            text(&plan_with_segment(
                "CheckIn",
                "10m",
                "            speaking: Round(per_speaker: \"12m\"),\n",
            )),
            0,
            vec![warn("plan.ron", 10, Exact(13), &["one speaker's time (12m) is longer than the segment (10m)"])],
        ),
        case(
            "an exercise nobody uses",
            "plan.ron",
            text(
                "Plan(\n    title: \"T\",\n    kind: Support,\n    duration: \"10m\",\n    agenda: [Segment(title: \"A\", kind: Opening, duration: \"10m\")],\n    exercises: {\n        \"spare\": Exercise(title: \"S\", steps: [Step(text: \"x\")]),\n    },\n)\n",
            ),
            0,
            vec![warn("plan.ron", 7, Exact(9), &["exercise \"spare\" is defined but no segment uses it"])],
        ),
        case(
            "a warning threshold as long as the segment",
            "plan.ron",
            text(&plan_with_segment("Opening", "10m", "            warnings: [\"10m\"],\n")),
            0,
            vec![warn("plan.ron", 9, Exact(13), &["warning threshold 10m is not shorter than the segment (10m)"])],
        ),
    ]
}

fn write_setup(dir: &Path, rel: &str, setup: &Setup) {
    let path = dir.join(rel);
    match setup {
        Setup::File(bytes) => fs::write(&path, bytes).expect("write the case file"),
        Setup::Sized(len) => fs::File::create(&path)
            .and_then(|f| f.set_len(*len))
            .expect("make a large file"),
        Setup::Dir => fs::create_dir_all(&path).expect("make a dir"),
        Setup::Missing => {}
    }
}

fn run_case(case: &Case) -> Result<(), String> {
    let dir = tempfile::tempdir().expect("temp dir");
    for (rel, content) in &case.extra {
        let path = dir.path().join(rel);
        fs::create_dir_all(path.parent().expect("has a parent")).expect("mkdir");
        fs::write(path, content).expect("write extra file");
    }
    write_setup(dir.path(), case.path, &case.setup);

    let started = Instant::now();
    let run = check_in(dir.path(), &[case.path]);
    let elapsed = started.elapsed();
    let output = run.all_output();
    let fail = |why: String| Err(format!("{why}\n--- output ---\n{output}"));

    if elapsed > Duration::from_secs(10) {
        return fail(format!("took {elapsed:?}"));
    }
    if run.code != case.code {
        return fail(format!("exit code {} (expected {})", run.code, case.code));
    }
    let diags = run.diagnostics();
    // Errors go to stderr, warnings to stdout; no stray unparsable lines.
    for line in run.stderr.lines() {
        if Diag::parse(line).is_none_or(|d| d.severity != "error") {
            return fail(format!(
                "stderr holds a line that is not an error diagnostic: {line:?}"
            ));
        }
    }
    if case.expect.is_empty() {
        if !diags.is_empty() {
            return fail("expected no diagnostics".into());
        }
        if run.stdout.trim() != format!("{}: ok", case.path) {
            return fail("expected `FILE: ok`".into());
        }
    }
    if case.code == 0 && diags.iter().any(|d| d.severity == "error") {
        return fail("exit 0 with an error".into());
    }
    for want in &case.expect {
        let Some(found) = diags
            .iter()
            .find(|d| d.file == want.file && d.severity == want.severity && d.line == want.line)
        else {
            return fail(format!(
                "no {} at {}:{} (diagnostics: {:?})",
                want.severity,
                want.file,
                want.line,
                diags
                    .iter()
                    .map(|d| format!("{}:{}:{}", d.file, d.line, d.col))
                    .collect::<Vec<_>>()
            ));
        };
        let col_ok = match &want.col {
            Col::Exact(c) => found.col == *c,
            Col::Within(range) => range.contains(&found.col),
        };
        if !col_ok {
            return fail(format!("column {} (expected {:?})", found.col, want.col));
        }
        for phrase in want.says {
            if !found.text.contains(phrase) {
                return fail(format!(
                    "the {} does not say {phrase:?}: {:?}",
                    want.severity, found.text
                ));
            }
        }
    }
    // Files the checker could not read at all get exactly one clear line.
    if matches!(case.setup, Setup::Sized(_) | Setup::Dir | Setup::Missing) && output.lines().count() != 1 {
        return fail("expected exactly one line of output".into());
    }
    Ok(())
}

#[test]
fn broken_inputs_fail_with_position_message_and_fix() {
    let cases = cases();
    let failures: Vec<String> = cases
        .iter()
        .filter_map(|c| run_case(c).err().map(|why| format!("[{}] {why}", c.name)))
        .collect();
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n\n")
    );
}

// ---------------------------------------------------------------------------------------
// Several files, exit codes, no panics
// ---------------------------------------------------------------------------------------

#[test]
fn one_bad_file_fails_the_run_but_every_file_is_reported() {
    let dir = tempfile::tempdir().expect("temp dir");
    fs::write(dir.path().join("good.ron"), roster_of(3)).expect("write");
    fs::write(
        dir.path().join("bad.ron"),
        "Roster(members: [Member(nme: \"A\")])",
    )
    .expect("write");
    fs::write(dir.path().join("warn.ron"), roster_of(0)).expect("write");
    let run = check_in(dir.path(), &["good.ron", "bad.ron", "warn.ron"]);
    assert_eq!(run.code, 1, "{}", run.all_output());
    assert!(run.stdout.contains("good.ron: ok"), "{}", run.stdout);
    assert!(
        run.stderr.contains("bad.ron:1:25: error: unknown field `nme`"),
        "{}",
        run.stderr
    );
    assert!(run.stdout.contains("warn.ron:3:5: warning:"), "{}", run.stdout);
}

#[test]
fn warnings_alone_exit_zero() {
    let dir = tempfile::tempdir().expect("temp dir");
    fs::write(dir.path().join("w1.ron"), roster_of(0)).expect("write");
    fs::write(
        dir.path().join("w2.ron"),
        "Plan(title: \"T\", kind: Custom(\"Peer\"), duration: \"1h\", agenda: [Segment(title: \"A\", kind: Custom(\"Walk\"), duration: \"50m\")])",
    )
    .expect("write");
    let run = check_in(dir.path(), &["w1.ron", "w2.ron"]);
    assert_eq!(run.code, 0, "{}", run.all_output());
    assert!(run.stderr.is_empty(), "{}", run.stderr);
    assert_eq!(run.stdout.matches("warning").count(), 2, "{}", run.stdout);
    assert!(
        run.stdout
            .contains("w2.ron:1:40: warning: the agenda adds up to 50m, but the plan's duration is 1h")
    );
}

#[test]
fn check_without_files_is_a_usage_error() {
    let dir = tempfile::tempdir().expect("temp dir");
    let run = check_in(dir.path(), &[]);
    assert_eq!(run.code, 2, "{}", run.all_output());
    assert!(run.stderr.contains("FILE"), "{}", run.stderr);
}

/// Truncations and byte flips of every shipped plan, checked in one run: each is
/// reported, none panics, and a damaged plan is never silently accepted with no output.
#[test]
fn damaged_copies_of_the_shipped_plans_never_panic() {
    let dir = tempfile::tempdir().expect("temp dir");
    fs::create_dir_all(dir.path().join("rosters")).expect("mkdir");
    for roster in ron_files("session-plans/rosters") {
        let name = Path::new(&roster).file_name().expect("a file name");
        fs::copy(
            manifest_dir().join(&roster),
            dir.path().join("rosters").join(name),
        )
        .expect("copy roster");
    }
    let mut names = Vec::new();
    for (p, plan) in ron_files("session-plans").iter().enumerate() {
        let bytes = fs::read(manifest_dir().join(plan)).expect("read plan");
        // Cutting only trailing whitespace would leave a valid plan.
        let body = bytes.trim_ascii_end().len();
        let step = (body / 60).max(1);
        for (k, cut) in (0..body).step_by(step).enumerate() {
            let name = format!("cut-{p}-{k}.ron");
            fs::write(dir.path().join(&name), &bytes[..cut]).expect("write");
            names.push(name);
            let mut flipped = bytes.clone();
            flipped[cut] = match flipped[cut] {
                b'(' => b'[',
                b'"' => b'\'',
                b':' => b' ',
                b => b.wrapping_add(1),
            };
            let name = format!("flip-{p}-{k}.ron");
            fs::write(dir.path().join(&name), &flipped).expect("write");
            names.push(name);
        }
    }
    let args: Vec<&str> = names.iter().map(String::as_str).collect();
    let run = check_in(dir.path(), &args);
    assert!(
        run.code == 0 || run.code == 1,
        "exit {}: {}",
        run.code,
        run.stderr
    );
    let output = run.all_output();
    for name in &names {
        assert!(output.contains(&format!("{name}:")), "{name} is not reported");
    }
    for name in names.iter().filter(|n| n.starts_with("cut-")) {
        assert!(
            !run.stdout.contains(&format!("{name}: ok")),
            "a truncated plan passed: {name}"
        );
    }
}

// ---------------------------------------------------------------------------------------
// Known bugs in src/, kept as ignored tests so they turn green when fixed.
// Run them with `cargo test --test check_cli -- --ignored`.
// ---------------------------------------------------------------------------------------

fn first_diag(dir: &Path, file: &str, content: &str) -> Diag {
    fs::write(dir.join(file), content).expect("write");
    let run = check_in(dir, &[file]);
    run.diagnostics()
        .into_iter()
        .next()
        .unwrap_or_else(|| panic!("no diagnostic: {}", run.all_output()))
}

#[test]
fn raw_string_with_a_quote_and_bracket_does_not_shift_positions() {
    let dir = tempfile::tempdir().expect("temp dir");
    let d = first_diag(
        dir.path(),
        "plan.ron",
        "Plan(\n    title: \"T\",\n    kind: Support,\n    duration: \"20m\",\n    agenda: [\n        Segment(title: r#\"He said \"(\" once\"#, kind: Opening, duration: \"10m\"),\n        Segment(\n            title: \"B\",\n            kind: Opening,\n            duration: \"10m\",\n            min: \"20m\",\n        ),\n    ],\n)\n",
    );
    assert_eq!((d.line, d.col), (11, 13), "{d:?}");
}

#[test]
fn nested_block_comment_does_not_shift_positions() {
    let dir = tempfile::tempdir().expect("temp dir");
    let d = first_diag(
        dir.path(),
        "plan.ron",
        "Plan(\n    title: \"T\",\n    kind: Support,\n    duration: \"20m\",\n    /* outer /* inner */ ( still a comment */\n    agenda: [\n        Segment(title: \"A\", kind: Opening, duration: \"10m\"),\n        Segment(\n            title: \"B\",\n            kind: Opening,\n            duration: \"10m\",\n            min: \"20m\",\n        ),\n    ],\n)\n",
    );
    assert_eq!((d.line, d.col), (12, 13), "{d:?}");
}

#[test]
fn duplicate_exercise_key_is_reported() {
    let dir = tempfile::tempdir().expect("temp dir");
    let d = first_diag(
        dir.path(),
        "plan.ron",
        "Plan(\n    title: \"T\",\n    kind: Support,\n    duration: \"10m\",\n    agenda: [Segment(title: \"A\", kind: Exercise, duration: \"10m\", exercise: \"a\")],\n    exercises: {\n        \"a\": Exercise(title: \"first\", steps: [Step(text: \"x\")]),\n        \"a\": Exercise(title: \"second\", steps: [Step(text: \"y\")]),\n    },\n)\n",
    );
    assert_eq!(d.line, 8, "{d:?}");
    assert!(d.text.contains("twice") || d.text.contains("duplicate"), "{d:?}");
}

#[test]
fn unclosed_list_says_what_is_missing() {
    let dir = tempfile::tempdir().expect("temp dir");
    let d = first_diag(
        dir.path(),
        "plan.ron",
        "Plan(\n    title: \"T\",\n    kind: Support,\n    duration: \"10m\",\n    agenda: [\n        Segment(title: \"A\", kind: Opening, duration: \"10m\"),\n\n)\n",
    );
    assert_eq!(d.line, 8, "{d:?}");
    assert!(
        d.text.contains(']'),
        "the message should name the missing `]`: {d:?}"
    );
}

// ---------------------------------------------------------------------------------------
// Careless and hostile input: FIFOs, huge plans, BOMs, odd names, escape sequences
// ---------------------------------------------------------------------------------------

/// `holdspace check ARGS…` that must end by itself within `limit` (a FIFO used to hang
/// it forever): killed and failed otherwise.
fn check_ends_within(dir: &Path, args: &[&str], limit: Duration) -> Run {
    let mut child = Command::new(env!("CARGO_BIN_EXE_holdspace"))
        .arg("check")
        .args(args)
        .current_dir(dir)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("the holdspace binary runs");
    let began = Instant::now();
    while child.try_wait().expect("waits").is_none() {
        if began.elapsed() > limit {
            let _ = child.kill();
            panic!("holdspace check {args:?} still ran after {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let output = child.wait_with_output().expect("output");
    Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

#[test]
fn a_fifo_or_a_device_is_refused_at_once_with_one_line() {
    let dir = tempfile::tempdir().expect("temp dir");
    let status = Command::new("mkfifo")
        .arg(dir.path().join("plan.ron"))
        .status()
        .expect("mkfifo runs");
    assert!(status.success());
    let run = check_ends_within(dir.path(), &["plan.ron", "/dev/zero"], Duration::from_secs(20));
    assert_eq!(run.code, 1);
    assert_eq!(
        run.stderr.lines().collect::<Vec<_>>(),
        vec![
            "plan.ron:1:1: error: this is a named pipe (FIFO), not a regular file; it was not read \
             (fix: name a plan, roster, theme or config .ron file)",
            "/dev/zero:1:1: error: this is a device, not a regular file; it was not read \
             (fix: name a plan, roster, theme or config .ron file)",
        ]
    );
    // Loading a session's plan, roster or theme goes through the same door.
    let plan = holdspace::plan::load_plan_with_roster(&dir.path().join("plan.ron"), None);
    assert!(plan.is_err());
}

/// A plan of `n` segments, each with an undefined exercise key, and `exercises` keys
/// defined (so no key is a near miss of `missing-…`).
fn plan_with_bad_references(n: usize, exercises: usize) -> String {
    let mut s =
        String::from("Plan(\n    title: \"T\",\n    kind: Support,\n    duration: \"24h\",\n    agenda: [\n");
    for i in 0..n {
        s.push_str(&format!(
            "        Segment(title: \"S{i}\", kind: Discussion, duration: \"5s\", exercise: \"missing-{i}\"),\n"
        ));
    }
    s.push_str("    ],\n    exercises: {\n");
    for i in 0..exercises {
        s.push_str(&format!(
            "        \"defined-{i}\": Exercise(title: \"E\", steps: [Step(text: \"x\")]),\n"
        ));
    }
    s.push_str("    },\n)\n");
    s
}

#[test]
fn a_plan_with_thousands_of_errors_gets_a_hundred_lines_and_a_count() {
    let dir = tempfile::tempdir().expect("temp dir");
    fs::write(dir.path().join("plan.ron"), plan_with_bad_references(3000, 3000)).expect("writes");
    let run = check_ends_within(dir.path(), &["plan.ron"], Duration::from_secs(120));
    assert_eq!(run.code, 1);
    let lines: Vec<&str> = run.stderr.lines().collect();
    assert_eq!(lines.len(), 101, "{}", &run.stderr[..run.stderr.len().min(2000)]);
    assert!(
        lines[100].ends_with(
            "error: and 2900 more errors from here on, not shown (fix: fix the ones above and check again)"
        ),
        "{}",
        lines[100]
    );
    assert!(
        lines[100].starts_with("plan.ron:106:"),
        "where the rest begin: {}",
        lines[100]
    );
    // Each fix lists the five nearest keys, not all three thousand.
    for line in &lines[..100] {
        assert!(line.contains("is not defined"), "{line}");
        assert_eq!(line.matches("\"defined-").count(), 5, "{line}");
        assert!(line.contains("(or one of 2995 more)"), "{line}");
    }
    assert!(
        run.stderr.len() < 100 * 300,
        "{} bytes of errors",
        run.stderr.len()
    );
}

#[test]
fn an_agenda_over_a_day_is_refused() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut plan =
        String::from("Plan(\n    title: \"T\",\n    kind: Support,\n    duration: \"24h\",\n    agenda: [\n");
    for i in 0..7 {
        plan.push_str(&format!(
            "        Segment(title: \"S{i}\", kind: Discussion, duration: \"23h45m\"),\n"
        ));
    }
    plan.push_str("    ],\n)\n");
    fs::write(dir.path().join("plan.ron"), plan).expect("writes");
    let run = check_in(dir.path(), &["plan.ron"]);
    assert_eq!(run.code, 1);
    assert_eq!(
        run.stderr.trim(),
        "plan.ron:5:5: error: the agenda adds up to 166h15m; a session is at most 24h (fix: shorten or remove segments)"
    );
}

#[test]
fn a_file_beginning_with_a_byte_order_mark_loads() {
    let dir = tempfile::tempdir().expect("temp dir");
    let plan =
        fs::read_to_string(manifest_dir().join("session-plans/cbt-anxiety-session-3.ron")).expect("plan");
    let roster =
        fs::read_to_string(manifest_dir().join("session-plans/rosters/tuesday-anxiety.ron")).expect("roster");
    fs::write(dir.path().join("plan.ron"), format!("\u{feff}{plan}")).expect("writes");
    fs::create_dir(dir.path().join("rosters")).expect("folder");
    fs::write(
        dir.path().join("rosters/tuesday-anxiety.ron"),
        format!("\u{feff}{roster}"),
    )
    .expect("writes");
    let run = check_in(dir.path(), &["plan.ron", "rosters/tuesday-anxiety.ron"]);
    assert_eq!(
        run.stdout, "plan.ron: ok\nrosters/tuesday-anxiety.ron: ok\n",
        "{}",
        run.stderr
    );
    assert_eq!(run.code, 0);
    // Positions count from after the mark.
    fs::write(
        dir.path().join("bad.ron"),
        "\u{feff}Roster(\n    members: [Member(nam: \"A\")],\n)\n",
    )
    .expect("writes");
    let diag = first_diag(
        dir.path(),
        "bad.ron",
        &fs::read_to_string(dir.path().join("bad.ron")).expect("reads"),
    );
    assert_eq!((diag.line, diag.col), (2, 22));
}

fn roster_named(names: &[&str]) -> String {
    let members: Vec<String> = names
        .iter()
        .map(|n| format!("        Member(name: {n:?}),\n"))
        .collect();
    format!(
        "Roster(\n    group: \"G\",\n    members: [\n{}    ],\n)\n",
        members.concat()
    )
}

#[test]
fn names_that_look_alike_or_show_nothing_are_refused() {
    let dir = tempfile::tempdir().expect("temp dir");
    let cases: [(&[&str], &str); 4] = [
        (
            &["Ann", "Ann\u{200b}"],
            "roster.ron:5:16: error: member \"Ann\\u{200b}\" looks the same as another name (invisible characters aside: member 1",
        ),
        (
            &["Zo\u{eb}", "Zoe\u{308}"],
            "roster.ron:5:16: error: member \"Zo\u{eb}\" appears twice (also member 1",
        ),
        (
            &["Ann", "\u{200b}\u{2060}"],
            "roster.ron:5:16: error: a member's name has only invisible characters",
        ),
        (&["Ann", " "], "roster.ron:5:16: error: a member's name is empty"),
    ];
    for (names, says) in cases {
        fs::write(dir.path().join("roster.ron"), roster_named(names)).expect("writes");
        let run = check_in(dir.path(), &["roster.ron"]);
        assert_eq!(run.code, 1, "{names:?}");
        assert!(run.stderr.starts_with(says), "{names:?}: {}", run.stderr);
    }
    // A name loads in one Unicode form, whichever was typed.
    fs::write(dir.path().join("roster.ron"), roster_named(&["Zoe\u{308}"])).expect("writes");
    let (roster, _) = holdspace::plan::load_roster(&dir.path().join("roster.ron")).expect("loads");
    assert_eq!(roster.members[0].name, "Zo\u{eb}");
}

#[test]
fn escape_sequences_in_files_and_names_never_reach_the_terminal() {
    let dir = tempfile::tempdir().expect("temp dir");
    let evil = "\u{1b}]0;pwned\u{7}\u{1b}[2J\u{9b}31m";
    fs::write(
        dir.path().join("roster.ron"),
        roster_named(&[&format!("Ann{evil}"), "Ann"]),
    )
    .expect("writes");
    let sneaky_name = format!("plan{evil}.ron");
    fs::write(
        dir.path().join(&sneaky_name),
        plan_with_segment(
            "Discussion",
            "5m",
            &format!("            exercise: {:?},\n", format!("x{evil}")),
        ),
    )
    .expect("writes");
    let run = check_in(dir.path(), &["roster.ron", &sneaky_name]);
    assert_eq!(run.code, 1);
    let out = run.all_output();
    assert!(out.contains("roster.ron:"), "{out}");
    assert!(out.contains("]0;pwned"), "the text is shown, harmless: {out}");
    for control in ['\u{1b}', '\u{7}', '\u{9b}'] {
        assert!(
            !out.contains(control),
            "{control:?} reached the terminal: {out:?}"
        );
    }
}

#[test]
fn a_closed_output_is_no_panic() {
    let dir = tempfile::tempdir().expect("temp dir");
    fs::write(dir.path().join("roster.ron"), roster_of(2)).expect("writes");
    fs::write(dir.path().join("bad.ron"), "Roster(oops)").expect("writes");
    for file in ["roster.ron", "bad.ron"] {
        // Nobody reads stdout or stderr any more: a closed terminal, `| true`.
        let mut child = Command::new(env!("CARGO_BIN_EXE_holdspace"))
            .args(["check", file])
            .current_dir(dir.path())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("runs");
        drop(child.stdout.take());
        drop(child.stderr.take());
        let status = child.wait().expect("waits");
        assert_eq!(
            status.code(),
            Some(if file == "bad.ron" { 1 } else { 0 }),
            "{file}: {status:?}"
        );
    }
}
