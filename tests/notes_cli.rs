//! `holdspace notes` end to end: a session run through the real session core (commands in,
//! events folded), its summary and a completed wrap-up saved, then the real binary exports
//! the notes. It proves what the issue asks: each member's file holds their own notes and
//! minutes, no member's file names another member, `group.md` names no member at all, risk
//! notes have their action, the files are owner-only, and a second run refuses to overwrite.

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::Arc;

use chrono::FixedOffset;
use holdspace::config::Encryption;
use holdspace::notes::{Template, WrapUp, write_wrapup};
use holdspace::plan::{BUILTIN_PLAN, parse_plan, parse_roster};
use holdspace::session::{About, Attendance, Command as Cmd, Millis, State, Tag, decide};
use holdspace::summary::{Summary, derive, write_summary_with};
use holdspace::vault::{NoPassphrase, Vault, keys};
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

const ROSTER: &str = r#"Roster(
    group: "Tuesday evening anxiety group",
    facilitators: [Person(name: "Dr. Nadia Rahman", role: Lead)],
    members: [
        Member(name: "Farhana Akter"),
        Member(name: "Rafiq Islam"),
        Member(name: "Zoë Brennan"),
        Member(name: "Tanvir"),
    ],
)"#;

/// 2025-03-04 18:00:00 at UTC+06:00.
const T0: Millis = 1_741_089_600_000;
const MIN: Millis = 60_000;

const FARHANA_NOTE: &str = "Said Rafiq's story about work helped her; ZOE nodded";
const RAFIQ_RISK: &str = "Spoke of self-harm urges after talking with farhana akter";
const RAFIQ_FOLLOW_UP: &str = "Check in with Rafiq and Zoe about sleep";
const RISK_ACTION: &str = "Safety plan reviewed; on-call psychiatrist informed";

/// A 60-minute session: Farhana and Zoë present, Rafiq late by 2 minutes, Tanvir absent;
/// turns for three; a note about Farhana that names Rafiq and Zoë, a risk note and a
/// follow-up about Rafiq that name the others.
fn session() -> Summary {
    let plan = parse_plan(BUILTIN_PLAN, Path::new("plan.ron")).expect("the built-in plan");
    let roster = parse_roster(ROSTER, Path::new("roster.ron")).expect("the roster");
    let mut state = State::new(plan, roster, 7, T0 - MIN);
    let mut run = |command: Cmd, minute: Millis| {
        for event in decide(&state, command, T0 + minute * MIN) {
            state.apply(&event);
        }
    };
    run(Cmd::StartPause, 0);
    run(Cmd::MarkAttendance(0, Attendance::Present), 0);
    run(Cmd::MarkAttendance(2, Attendance::Present), 0);
    run(Cmd::MarkAttendance(3, Attendance::Absent), 0);
    run(Cmd::MarkAttendance(1, Attendance::Late { at: T0 + 2 * MIN }), 2);
    run(Cmd::GiveFloor(0), 3);
    run(Cmd::EndTurn, 6);
    run(Cmd::GiveFloor(1), 6);
    run(Cmd::EndTurn, 8);
    run(Cmd::GiveFloor(2), 8);
    run(Cmd::EndTurn, 9);
    let note = |about, tags: Vec<Tag>, text: &str| Cmd::AddNote {
        about,
        tags,
        text: text.to_owned(),
    };
    run(note(About::Member(0), vec![Tag::Insight], FARHANA_NOTE), 10);
    run(note(About::Member(1), vec![Tag::Risk], RAFIQ_RISK), 12);
    run(note(About::Member(1), vec![Tag::FollowUp], RAFIQ_FOLLOW_UP), 13);
    run(Cmd::End, 60);
    let offset = FixedOffset::east_opt(6 * 3600).expect("an offset");
    derive(&state, "2025-03-04T12-00-00Z-notes", offset)
}

/// The wrap-up, completed: the risk closed, the follow-up owned and due, an assessment
/// and a plan for each member present, the assessment of Zoë naming Farhana.
fn completed(summary: &Summary) -> WrapUp {
    let mut wrapup = WrapUp::from_summary(summary, Template::Dap);
    wrapup.risks[0].action = RISK_ACTION.into();
    wrapup.risks[0].told = "Clinical lead".into();
    wrapup.follow_ups[0].owner = "Dr. Nadia Rahman".into();
    wrapup.follow_ups[0].due = Some("2025-03-11".into());
    wrapup.group.themes = "Sleep; Farhana and Rafiq compared coping plans".into();
    for (i, member) in wrapup.members.iter_mut().enumerate().take(3) {
        member.fields.assessment = format!("Assessment {i}: engaged, supported Farhana Akter");
        member.fields.plan = format!("Plan {i}: continue thought records");
    }
    wrapup.finished = true;
    assert!(wrapup.is_complete(), "{:?}", wrapup.missing());
    wrapup
}

struct Sandbox {
    root: tempfile::TempDir,
}

impl Sandbox {
    fn new() -> Sandbox {
        Sandbox {
            root: tempfile::tempdir().expect("temp dir"),
        }
    }

    fn path(&self) -> &Path {
        self.root.path()
    }

    fn config(&self) -> PathBuf {
        self.path().join("config.ron")
    }

    /// Runs `holdspace notes ARGS --config CONFIG` with every platform dir in the sandbox.
    fn notes(&self, args: &[&str]) -> Output {
        let home = self.path().join("home");
        Command::new(env!("CARGO_BIN_EXE_holdspace"))
            .arg("notes")
            .args(args)
            .arg("--config")
            .arg(self.config())
            .current_dir(self.path())
            .env("HOME", &home)
            .env("XDG_CONFIG_HOME", home.join(".config"))
            .env("XDG_DATA_HOME", home.join(".local/share"))
            .output()
            .expect("the holdspace binary runs")
    }

    /// The session's summary and its completed wrap-up, saved through `vault`.
    fn saved_session(&self, vault: &Vault) -> PathBuf {
        let summary = session();
        let (ron, _) = write_summary_with(&self.path().join("summaries"), &summary, vault).expect("saved");
        write_wrapup(vault, &ron, &completed(&summary)).expect("wrap-up saved");
        ron
    }
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn arg(path: &Path) -> &str {
    path.to_str().expect("a UTF-8 path")
}

/// Lowercase, diacritics removed: the test's own folding, independent of the redaction's.
fn folded(text: &str) -> String {
    text.nfkd()
        .filter(|c| !is_combining_mark(*c))
        .collect::<String>()
        .to_lowercase()
}

/// Whether `text` has any word of `name` as a whole word, case and diacritics folded.
fn names(text: &str, name: &str) -> bool {
    let words: Vec<String> = folded(text)
        .split(|c: char| !c.is_alphanumeric())
        .map(str::to_owned)
        .collect();
    folded(name)
        .split_whitespace()
        .any(|part| words.iter().any(|w| w == part))
}

const MEMBERS: [(&str, &str); 4] = [
    ("farhana-akter", "Farhana Akter"),
    ("rafiq-islam", "Rafiq Islam"),
    ("zoe-brennan", "Zoë Brennan"),
    ("tanvir", "Tanvir"),
];

fn mode(path: &Path) -> u32 {
    fs::metadata(path).expect("stat").permissions().mode() & 0o777
}

/// Every file an export writes, as the plain text it holds.
fn exported(dir: &Path, open: impl Fn(&Path) -> String, ext: &str) -> Vec<(String, String)> {
    let mut files = vec![("group.md".to_owned(), open(&dir.join(format!("group.md{ext}"))))];
    for (stem, _) in MEMBERS {
        for kind in ["md", "txt"] {
            let name = format!("{stem}.{kind}");
            files.push((name.clone(), open(&dir.join(format!("{name}{ext}")))));
        }
    }
    files
}

/// What the issue's end-to-end test must prove, over the texts of one export.
fn assert_confidential_and_complete(files: &[(String, String)]) {
    for (file, body) in files {
        if file == "group.md" {
            for (_, name) in MEMBERS {
                assert!(!names(body, name), "group.md names {name}:\n{body}");
            }
            assert!(
                body.contains(RISK_ACTION),
                "group.md lacks the risk's action:\n{body}"
            );
            assert!(body.contains("Told: Clinical lead."));
            assert!(body.contains("Sleep; a group member and a group member compared coping plans"));
            assert!(body.contains("Attended:** 3 of 4 (present 2, late 1, left early 0)"));
            continue;
        }
        let (stem, own) = MEMBERS
            .iter()
            .find(|(stem, _)| file.starts_with(&format!("{stem}.")))
            .expect("a member's file");
        for (_, other) in MEMBERS.iter().filter(|(s, _)| s != stem) {
            assert!(!names(body, other), "{file} names {other}:\n{body}");
        }
        assert!(body.contains(own), "{file} is not headed with {own}");
        match *stem {
            "farhana-akter" => {
                assert!(body.contains(
                    "Said another group member's story about work helped her; another group member nodded"
                ));
                assert!(body.contains("Time attended:** 60 min") || body.contains("Time attended: 60 min"));
                assert!(
                    body.contains("Assessment 0: engaged, supported Farhana Akter"),
                    "own name kept"
                );
            }
            "rafiq-islam" => {
                assert!(body.contains("Spoke of self-harm urges after talking with another group member"));
                assert!(body.contains(RISK_ACTION), "{file} lacks the risk's action");
                assert!(body.contains("Check in with Rafiq and another group member about sleep"));
                assert!(body.contains("Time attended:** 58 min") || body.contains("Time attended: 58 min"));
                assert!(body.contains("arrived 18:02:00"));
            }
            "zoe-brennan" => {
                assert!(body.contains("Assessment 2: engaged, supported another group member"));
                assert!(body.contains("1 turn, 1 min"));
            }
            _ => assert!(body.contains("did not attend (marked absent)"), "{file}: {body}"),
        }
        if file.ends_with(".txt") {
            assert!(!body.contains("**") && !body.contains("## ") && !body.contains("<br>"));
        }
        assert!(!body.contains("INCOMPLETE"), "{file}: {body}");
    }
}

#[test]
fn notes_name_no_other_member_are_owner_only_and_never_overwritten() {
    let sandbox = Sandbox::new();
    let summary = sandbox.saved_session(&Vault::plain());
    let out_dir = sandbox.path().join("charts/2025-03-04");

    let first = sandbox.notes(&[arg(&summary), "-o", arg(&out_dir)]);
    assert!(first.status.success(), "{}", text(&first.stderr));
    assert!(
        text(&first.stdout).contains("Wrote 9 files"),
        "{}",
        text(&first.stdout)
    );
    assert!(
        text(&first.stderr).is_empty(),
        "nothing to warn about: {}",
        text(&first.stderr)
    );
    let files = exported(&out_dir, |p| fs::read_to_string(p).expect("an exported file"), "");
    assert_confidential_and_complete(&files);
    assert!(files[1].1.starts_with("# Progress note (DAP): Farhana Akter\n"));
    assert_eq!(
        fs::read_dir(&out_dir).expect("ls").count(),
        9,
        "nothing else was written"
    );
    assert_eq!(mode(&out_dir), 0o700);
    for entry in fs::read_dir(&out_dir).expect("ls").flatten() {
        assert_eq!(mode(&entry.path()), 0o600, "{}", entry.path().display());
    }

    // A second run refuses and changes nothing.
    let before = fs::read(out_dir.join("group.md")).expect("read");
    fs::write(out_dir.join("rafiq-islam.txt"), "kept").expect("write");
    let again = sandbox.notes(&[arg(&summary), "-o", arg(&out_dir), "--template", "soap"]);
    assert!(!again.status.success());
    let error = text(&again.stderr);
    assert!(
        error.contains("group.md and 8 other file(s) already exist; nothing was written (--force"),
        "{error}"
    );
    assert_eq!(fs::read(out_dir.join("group.md")).expect("read"), before);
    assert_eq!(
        fs::read_to_string(out_dir.join("rafiq-islam.txt")).expect("read"),
        "kept"
    );

    // With --force, in another template, every file is replaced and stays owner-only.
    let forced = sandbox.notes(&[
        arg(&summary),
        "-o",
        arg(&out_dir),
        "--template",
        "soap",
        "--force",
    ]);
    assert!(forced.status.success(), "{}", text(&forced.stderr));
    let files = exported(&out_dir, |p| fs::read_to_string(p).expect("an exported file"), "");
    assert_confidential_and_complete(&files);
    assert!(files[1].1.starts_with("# Progress note (SOAP): Farhana Akter\n"));
    assert!(files.iter().all(|(name, _)| mode(&out_dir.join(name)) == 0o600));
}

#[test]
fn an_existing_folder_keeps_its_mode_and_an_everyday_word_name_is_listed() {
    let sandbox = Sandbox::new();
    let summary = session();
    let (ron, _) = write_summary_with(&sandbox.path().join("s"), &summary, &Vault::plain()).expect("saved");
    let mut wrapup = completed(&summary);
    wrapup.members[0].fields.plan = "Bring joy to the next session".into();
    write_wrapup(&Vault::plain(), &ron, &wrapup).expect("saved");
    let out_dir = sandbox.path().join("shared");
    fs::create_dir(&out_dir).expect("mkdir");
    fs::set_permissions(&out_dir, fs::Permissions::from_mode(0o750)).expect("chmod");

    // "joy" is no member here; with a member called Joy it would be warned about.
    let out = sandbox.notes(&[arg(&ron), "-o", arg(&out_dir)]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(
        mode(&out_dir),
        0o750,
        "a folder holdspace did not create is left as it is"
    );

    let mut with_joy = summary.clone();
    with_joy.attendance[3].name = "Joy".into();
    let (ron, _) = write_summary_with(&sandbox.path().join("s2"), &with_joy, &Vault::plain()).expect("saved");
    let mut wrapup = WrapUp::from_summary(&with_joy, Template::Birp);
    wrapup.members[0].fields.plan = "Bring joy to the next session".into();
    write_wrapup(&Vault::plain(), &ron, &wrapup).expect("saved");
    let out = sandbox.notes(&[arg(&ron), "-o", arg(&sandbox.path().join("joy"))]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let warnings = text(&out.stderr);
    assert!(
        warnings.contains(
            "check: Farhana Akter's note: Plan, line 1, column 7: \u{201c}joy\u{201d} is a member's name and an everyday word"
        ),
        "{warnings}"
    );
    assert!(warnings.contains("the wrap-up is not finished"), "{warnings}");
    let plan = fs::read_to_string(sandbox.path().join("joy/farhana-akter.txt")).expect("read");
    assert!(
        plan.contains("Bring joy to the next session"),
        "warned about, not replaced"
    );
    assert!(
        plan.contains("Progress note (BIRP)"),
        "the wrap-up's template by default"
    );
}

#[test]
fn without_a_wrap_up_the_notes_are_exported_unfinished() {
    let sandbox = Sandbox::new();
    let (ron, _) = write_summary_with(&sandbox.path().join("s"), &session(), &Vault::plain()).expect("saved");
    let out_dir = sandbox.path().join("out");
    let out = sandbox.notes(&[arg(&ron), "-o", arg(&out_dir), "--template", "girp"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("this session has no wrap-up yet"));
    let group = fs::read_to_string(out_dir.join("group.md")).expect("read");
    assert!(group.contains("**INCOMPLETE: this wrap-up is not finished: 1 risk flag(s) without an action"));
    let farhana = fs::read_to_string(out_dir.join("farhana-akter.txt")).expect("read");
    assert!(farhana.starts_with("Progress note (GIRP): Farhana Akter\nINCOMPLETE: assessment not written"));
    assert!(farhana.contains("Response: (not written)"));
    for (_, other) in &MEMBERS[1..] {
        assert!(!names(&farhana, other), "names {other}");
    }
}

#[test]
fn with_encryption_on_every_file_is_sealed_and_readable_with_the_key() {
    let sandbox = Sandbox::new();
    let identity = sandbox.path().join("identity.txt");
    keys::write_new_identity(&identity, None, "2026-01-01T00:00:00Z").expect("an identity");
    fs::write(
        sandbox.config(),
        format!(
            "Config(encryption: (identity: {:?}))\n",
            identity.display().to_string()
        ),
    )
    .expect("config");
    let encryption = Encryption {
        identity: Some(identity),
        ..Encryption::default()
    };
    let vault = Vault::from_config(Some(&encryption), Arc::new(NoPassphrase)).expect("a vault");
    let summary = sandbox.saved_session(&vault);
    assert!(arg(&summary).ends_with(".ron.age"));
    let out_dir = sandbox.path().join("sealed");

    let out = sandbox.notes(&[arg(&summary), "-o", arg(&out_dir)]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("(encrypted, .age)"));
    for entry in fs::read_dir(&out_dir).expect("ls").flatten() {
        let path = entry.path();
        assert!(arg(&path).ends_with(".age"), "{}", path.display());
        assert_eq!(mode(&path), 0o600);
        let bytes = fs::read(&path).expect("read");
        assert!(
            !text(&bytes).contains("Farhana"),
            "{} holds a name in the clear",
            path.display()
        );
    }
    let open = |path: &Path| text(&vault.read(path).expect("opens with the key"));
    assert_confidential_and_complete(&exported(&out_dir, open, ".age"));

    // A plain copy left from before encryption counts as taken, and --force removes it.
    fs::write(out_dir.join("tanvir.md"), "an old plain export").expect("write");
    let refused = sandbox.notes(&[arg(&summary), "-o", arg(&out_dir)]);
    assert!(!refused.status.success());
    let forced = sandbox.notes(&[arg(&summary), "-o", arg(&out_dir), "--force"]);
    assert!(forced.status.success(), "{}", text(&forced.stderr));
    assert!(
        !out_dir.join("tanvir.md").exists(),
        "no plain copy beside the sealed one"
    );
}

#[test]
fn bad_input_is_a_clear_error_and_writes_nothing() {
    let sandbox = Sandbox::new();
    let out_dir = sandbox.path().join("out");
    let missing = sandbox.notes(&["no-such-summary.ron", "-o", arg(&out_dir)]);
    assert!(!missing.status.success());
    assert!(text(&missing.stderr).contains("no-such-summary.ron: cannot read the summary"));

    let damaged = sandbox.path().join("damaged.ron");
    fs::write(&damaged, b"Summary(version: 2, \xff\xfe").expect("write");
    let out = sandbox.notes(&[arg(&damaged), "-o", arg(&out_dir)]);
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains("this is not a summary"),
        "{}",
        text(&out.stderr)
    );
    assert!(!text(&out.stderr).contains("panicked"));

    let summary = sandbox.saved_session(&Vault::plain());
    let file = sandbox.path().join("a-file");
    fs::write(&file, "").expect("write");
    let out = sandbox.notes(&[arg(&summary), "-o", arg(&file)]);
    assert!(!out.status.success());
    assert!(text(&out.stderr).contains("is not a folder"));

    let unwritable = sandbox.notes(&[arg(&summary), "-o", "/proc/holdspace-notes"]);
    assert!(!unwritable.status.success());
    assert!(
        text(&unwritable.stderr).contains("cannot create /proc/holdspace-notes"),
        "{}",
        text(&unwritable.stderr)
    );

    // A wrap-up of another session beside the summary is refused.
    let mut other = completed(&session());
    other.session_id = "another-session".into();
    write_wrapup(&Vault::plain(), &summary, &other).expect("saved");
    let out = sandbox.notes(&[arg(&summary), "-o", arg(&out_dir)]);
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains("belongs to another session"),
        "{}",
        text(&out.stderr)
    );

    fs::write(holdspace::notes::wrapup_path(&summary), "WrapUp(version: 1,").expect("write");
    let out = sandbox.notes(&[arg(&summary), "-o", arg(&out_dir)]);
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains("this is not a wrap-up"),
        "{}",
        text(&out.stderr)
    );
    assert!(!out_dir.exists(), "nothing was written for any of these");

    let no_output = sandbox.notes(&[arg(&summary)]);
    assert!(!no_output.status.success());
    assert!(text(&no_output.stderr).contains("--output <DIR>"));
}

#[test]
fn help_shows_an_example() {
    let sandbox = Sandbox::new();
    let out = sandbox.notes(&["--help"]);
    assert!(out.status.success());
    let help = text(&out.stdout);
    assert!(
        help.contains("Usage: holdspace notes [OPTIONS] --output <DIR> <SUMMARY>"),
        "{help}"
    );
    assert!(help.contains("holdspace notes 2025-03-04_1800_managing-anxiety.ron -o ~/charts/2025-03-04"));
    assert!(help.contains("soap") && help.contains("girp"));
}

#[test]
fn a_failure_midway_says_how_many_files_were_written() {
    let sandbox = Sandbox::new();
    let summary = sandbox.saved_session(&Vault::plain());
    let out_dir = sandbox.path().join("out");
    let first = sandbox.notes(&[arg(&summary), "-o", arg(&out_dir)]);
    assert!(first.status.success(), "{}", text(&first.stderr));
    // A folder where a note goes cannot be replaced, not even with --force.
    fs::remove_file(out_dir.join("zoe-brennan.md")).expect("rm");
    fs::create_dir(out_dir.join("zoe-brennan.md")).expect("mkdir");
    let out = sandbox.notes(&[arg(&summary), "-o", arg(&out_dir), "--force"]);
    assert!(!out.status.success());
    let error = text(&out.stderr);
    assert!(error.contains("zoe-brennan.md"), "{error}");
    assert!(
        error.contains("(5 of 9 files were written before this)"),
        "{error}"
    );
    assert!(!error.contains("panicked"));
}
