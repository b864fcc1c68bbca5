//! The wrap-up in the supervisor's review, over real files: the session view shows it (or
//! why it does not open), `n` writes the progress notes byte for byte as `holdspace notes`
//! does and asks before replacing an earlier export, the Markdown and HTML reports carry
//! it in full, and an encrypted wrap-up opens with the identity and is refused clearly
//! without it.

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::Arc;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use holdspace::config::Encryption;
use holdspace::notes::{Template, WrapUp, write_draft, write_wrapup};
use holdspace::review::app::effects::{self, Files};
use holdspace::review::browser::{Browser, InputKind, Screen, SessionScreen};
use holdspace::review::filter::{Filter, Sort};
use holdspace::review::index::Scanner;
use holdspace::review::wrapup::Found;
use holdspace::storage::DataDir;
use holdspace::summary::{Summary, parse_summary, write_summary_with};
use holdspace::vault::{NoPassphrase, Vault, keys};

const V1: &str = include_str!("fixtures/summary-v1.ron");
const RISK_ACTION: &str = "Safety plan reviewed with Shirin";
const FARHANA_ASSESSMENT: &str = "Farhana linked her sleep to worry about Rafiq";

fn summary() -> Summary {
    parse_summary(V1).expect("the version-1 fixture parses")
}

/// The fixture session's wrap-up, every field written and every flag closed.
fn finished(summary: &Summary) -> WrapUp {
    let mut w = WrapUp::from_summary(summary, Template::Birp);
    for risk in &mut w.risks {
        risk.action = RISK_ACTION.into();
        risk.told = "On-call psychiatrist".into();
    }
    for follow_up in &mut w.follow_ups {
        follow_up.due = Some("2025-03-11".into());
    }
    for member in &mut w.members {
        member.fields.assessment = format!("{} engaged", member.name);
        member.fields.plan = "Continue the worry log".into();
    }
    if let Some(farhana) = w.members.iter_mut().find(|m| m.name == "Farhana") {
        farhana.fields.assessment = FARHANA_ASSESSMENT.into();
    }
    w.finished = true;
    assert!(w.is_complete(), "{:?}", w.missing());
    w
}

/// A summaries folder and a data dir in a temporary folder.
struct Sandbox {
    root: tempfile::TempDir,
}

impl Sandbox {
    fn new() -> Sandbox {
        let root = tempfile::tempdir().expect("temp dir");
        fs::create_dir_all(root.path().join("summaries")).expect("summaries");
        Sandbox { root }
    }

    fn path(&self) -> &Path {
        self.root.path()
    }

    fn summaries(&self) -> PathBuf {
        self.path().join("summaries")
    }

    fn data(&self) -> DataDir {
        DataDir {
            root: self.path().join("data"),
        }
    }

    /// The fixture summary (and, when given, its wrap-up) saved through `vault`.
    fn save(&self, vault: &Vault, wrapup: Option<&WrapUp>) -> PathBuf {
        let (ron, _) = write_summary_with(&self.summaries(), &summary(), vault).expect("saved");
        if let Some(wrapup) = wrapup {
            write_wrapup(vault, &ron, wrapup).expect("wrap-up saved");
        }
        ron
    }

    /// `holdspace ARGS` with every platform dir inside the sandbox and no config.
    fn holdspace(&self, args: &[&str]) -> Output {
        let home = self.path().join("home");
        Command::new(env!("CARGO_BIN_EXE_holdspace"))
            .args(args)
            .arg("--config")
            .arg(self.path().join("no-config.ron"))
            .current_dir(self.path())
            .env("HOME", &home)
            .env("XDG_CONFIG_HOME", home.join(".config"))
            .env("XDG_DATA_HOME", home.join(".local/share"))
            .env("XDG_CACHE_HOME", home.join(".cache"))
            .output()
            .expect("the holdspace binary runs")
    }

    /// `holdspace review --export FORMAT SUMMARY -o NAME ARGS` (the format from the name's
    /// extension): the report written.
    fn report(&self, summary: &Path, name: &str, args: &[&str]) -> String {
        let report = self.path().join(name);
        let format = name.rsplit('.').next().unwrap_or_default();
        let (summary, to) = (summary.display().to_string(), report.display().to_string());
        let mut all = vec!["review", "--export", format, &summary, "-o", &to];
        all.extend_from_slice(args);
        let out = self.holdspace(&all);
        assert!(out.status.success(), "{}", text(&out.stderr));
        fs::read_to_string(&report).expect("the report")
    }

    /// The browser over the summaries, the session at `summary` open, with `files`.
    fn open(&self, summary: &Path, files: &Files) -> Browser {
        let index = Scanner::new(&self.summaries(), None).scan().expect("lists");
        let mut b = Browser::new(index, Filter::default(), Sort::default());
        b.notes_dir = self.data().exports();
        b.resize((120, 40));
        let at = b
            .visible
            .iter()
            .position(|&i| b.index.rows[i].is_at(summary))
            .expect("the summary is listed");
        b.selected = at;
        key(&mut b, KeyCode::Enter, files);
        b
    }
}

fn key(b: &mut Browser, code: KeyCode, files: &Files) {
    effects::key(b, KeyEvent::new(code, KeyModifiers::NONE), files);
}

fn ctrl(b: &mut Browser, c: char, files: &Files) {
    effects::key(b, KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL), files);
}

fn typed(b: &mut Browser, text: &str, files: &Files) {
    for c in text.chars() {
        key(b, KeyCode::Char(c), files);
    }
}

/// Presses `n`, replaces the folder offered with `folder`, and presses Enter.
fn export_notes_to(b: &mut Browser, folder: &Path, files: &Files) {
    key(b, KeyCode::Char('n'), files);
    ctrl(b, 'u', files);
    typed(b, &folder.display().to_string(), files);
    key(b, KeyCode::Enter, files);
}

fn session(b: &Browser) -> &SessionScreen {
    match b.screen() {
        Some(Screen::Session(s)) => s,
        _ => panic!("a session is open"),
    }
}

/// Every file in `dir` by name, with its bytes.
fn contents(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = fs::read_dir(dir)
        .expect("the folder is there")
        .flatten()
        .map(|e| {
            (
                e.file_name().to_string_lossy().into_owned(),
                fs::read(e.path()).expect("readable"),
            )
        })
        .collect();
    files.sort();
    files
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn mode(path: &Path) -> u32 {
    fs::metadata(path).expect("metadata").permissions().mode() & 0o777
}

#[test]
fn the_notes_key_writes_what_holdspace_notes_writes_and_asks_before_replacing() {
    let sandbox = Sandbox::new();
    let plain = Vault::plain();
    let ron = sandbox.save(&plain, Some(&finished(&summary())));
    let by_cli = sandbox.path().join("by-cli");
    let out = sandbox.holdspace(&[
        "notes",
        &ron.display().to_string(),
        "-o",
        &by_cli.display().to_string(),
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));

    let files = Files {
        data: Some(sandbox.data()),
        ..Files::default()
    };
    let mut b = sandbox.open(&ron, &files);
    assert!(
        matches!(session(&b).wrapup, Found::Saved { .. }),
        "the wrap-up is shown"
    );

    // `n` offers the data dir's exports folder, named after the summary.
    key(&mut b, KeyCode::Char('n'), &files);
    let stem = ron
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let offered = sandbox.data().exports().join(format!("{stem}-notes"));
    let input = b.input.clone().expect("the folder is asked");
    assert_eq!(input.text, offered.display().to_string());
    assert_eq!(input.kind, InputKind::Notes { existing: None });
    key(&mut b, KeyCode::Enter, &files);
    assert_eq!(
        contents(&offered),
        contents(&by_cli),
        "the same files, byte for byte"
    );
    assert_eq!(mode(&offered), 0o700);
    for (name, _) in contents(&offered) {
        assert_eq!(mode(&offered.join(&name)), 0o600, "{name}");
    }
    assert!(
        b.status.as_deref().is_some_and(|s| s.contains("Wrote 17 files")),
        "{:?}",
        b.status
    );

    // Into a folder of the user's, then again: refused until Enter confirms it.
    let chosen = sandbox.path().join("charts");
    export_notes_to(&mut b, &chosen, &files);
    assert_eq!(contents(&chosen), contents(&by_cli));
    fs::write(chosen.join("farhana.txt"), "kept").expect("write");
    export_notes_to(&mut b, &chosen, &files);
    let input = b.input.clone().expect("asked again");
    assert_eq!(
        input.kind,
        InputKind::Notes {
            existing: Some(chosen.clone())
        }
    );
    assert_eq!(
        fs::read(chosen.join("farhana.txt")).expect("read"),
        b"kept",
        "nothing replaced yet"
    );

    // Editing the folder's name forgets the confirmation: Enter asks again.
    key(&mut b, KeyCode::Char('x'), &files);
    key(&mut b, KeyCode::Backspace, &files);
    key(&mut b, KeyCode::Enter, &files);
    assert_eq!(
        fs::read(chosen.join("farhana.txt")).expect("read"),
        b"kept",
        "still asked"
    );
    assert!(matches!(
        b.input.as_ref().map(|i| &i.kind),
        Some(InputKind::Notes { existing: Some(_) })
    ));

    // Enter on the same folder replaces them; Esc instead would have left them.
    key(&mut b, KeyCode::Enter, &files);
    assert!(b.input.is_none());
    assert_eq!(contents(&chosen), contents(&by_cli), "replaced, as --force does");

    // Esc at the question writes nothing.
    let other = sandbox.path().join("other");
    key(&mut b, KeyCode::Char('n'), &files);
    ctrl(&mut b, 'u', &files);
    typed(&mut b, &other.display().to_string(), &files);
    key(&mut b, KeyCode::Esc, &files);
    assert!(!other.exists());
    assert!(
        matches!(b.screen(), Some(Screen::Session(_))),
        "still in the session"
    );
}

#[test]
fn the_notes_key_is_refused_on_a_file_that_did_not_open() {
    let sandbox = Sandbox::new();
    let broken = sandbox.summaries().join("2025-03-04_1800_broken.ron");
    fs::write(&broken, "Summary(").expect("write");
    let files = Files {
        data: Some(sandbox.data()),
        ..Files::default()
    };
    let mut b = sandbox.open(&broken, &files);
    key(&mut b, KeyCode::Char('n'), &files);
    assert!(b.input.is_none());
    assert!(
        b.status
            .as_deref()
            .is_some_and(|s| s.contains("not a damaged file"))
    );
    assert!(!sandbox.data().exports().exists(), "nothing written");
}

#[test]
fn the_reports_carry_the_wrap_up_in_full_and_the_summarys_own_markdown_does_not() {
    let sandbox = Sandbox::new();
    let ron = sandbox.save(&Vault::plain(), Some(&finished(&summary())));
    // In Markdown a heading stands after a blank line, or it joins the list before it.
    for (format, heading) in [("md", "\n\n## Wrap-up"), ("html", "<h2>Wrap-up</h2>")] {
        let body = sandbox.report(&ron, &format!("report.{format}"), &[]);
        assert!(body.contains(heading), "{body}");
        assert!(body.contains("Finished: BIRP notes for 7 member(s)"), "{body}");
        assert!(body.contains(RISK_ACTION), "the risk's action");
        assert!(body.contains("On-call psychiatrist"), "who was told");
        assert!(body.contains("due 2025-03-11"), "the follow-up's due date");
        // Not redacted: the supervisor's record names the members as written.
        assert!(body.contains(FARHANA_ASSESSMENT), "{body}");
        assert!(body.contains("Response"), "the template's own section name");
        assert!(body.contains("Did not attend"), "{body}");
    }
    let own = fs::read_to_string(ron.with_extension("md")).expect("the summary's own Markdown");
    assert!(
        !own.contains("Wrap-up"),
        "the summary's .md stays as it was written"
    );
}

#[test]
fn a_report_says_when_there_is_no_wrap_up_or_only_an_unsaved_draft() {
    let sandbox = Sandbox::new();
    let ron = sandbox.save(&Vault::plain(), None);
    let data = sandbox.data().root.display().to_string();
    let export = |name: &str| sandbox.report(&ron, name, &["--data-dir", &data]);
    assert!(export("none.md").contains("Not written yet (holdspace wrapup SUMMARY writes it)."));

    // A draft left on this machine: shown as such, with what it lacks.
    let mut draft = finished(&summary());
    draft.finished = false;
    draft.members[0].fields.plan.clear();
    write_draft(&Vault::plain(), &sandbox.data(), &draft).expect("draft kept");
    let body = export("draft.md");
    assert!(body.contains("DRAFT, NOT SAVED"), "{body}");
    assert!(body.contains("Missing: Farhana: no plan."), "{body}");
}

/// A new identity in `dir`, and the vault a config naming it makes.
fn identity_and_vault(dir: &Path) -> (PathBuf, Vault) {
    let identity = dir.join("identity.txt");
    keys::write_new_identity(&identity, None, "2026-01-01T00:00:00Z").expect("an identity");
    let encryption = Encryption {
        identity: Some(identity.clone()),
        ..Encryption::default()
    };
    let vault = Vault::from_config(Some(&encryption), Arc::new(NoPassphrase)).expect("the vault");
    (identity, vault)
}

#[test]
fn an_encrypted_wrap_up_opens_with_the_identity_and_is_refused_clearly_without_it() {
    let sandbox = Sandbox::new();
    let (_, vault) = identity_and_vault(sandbox.path());
    // A summary written before encryption was turned on, its wrap-up after.
    let ron = sandbox.save(&Vault::plain(), None);
    let sealed = write_wrapup(&vault, &ron, &finished(&summary())).expect("sealed wrap-up");
    assert!(sealed.to_string_lossy().ends_with(".wrapup.ron.age"));
    assert!(
        !text(&fs::read(&sealed).expect("read")).contains("Farhana"),
        "sealed on disk"
    );

    // With the identity: shown, and the notes written sealed.
    let files = Files {
        vault: vault.clone(),
        data: Some(sandbox.data()),
        ..Files::default()
    };
    let mut b = sandbox.open(&ron, &files);
    let Found::Saved { wrapup, .. } = &session(&b).wrapup else {
        panic!("the wrap-up opens: {:?}", session(&b).wrapup);
    };
    assert_eq!(wrapup.members.len(), 8);
    let lines: Vec<String> = session(&b).doc.lines.iter().map(|l| l.text()).collect();
    assert!(lines.iter().any(|l| l.contains(FARHANA_ASSESSMENT)), "{lines:#?}");
    let charts = sandbox.path().join("charts");
    export_notes_to(&mut b, &charts, &files);
    assert!(
        contents(&charts).iter().all(|(name, _)| name.ends_with(".age")),
        "{:?}",
        contents(&charts)
            .iter()
            .map(|(n, _)| n.clone())
            .collect::<Vec<_>>()
    );

    // Without it: one clear line, and the notes refused with nothing written.
    let files = Files {
        data: Some(sandbox.data()),
        ..Files::default()
    };
    let mut b = sandbox.open(&ron, &files);
    let Found::Failed(why) = &session(&b).wrapup else {
        panic!("the wrap-up is refused: {:?}", session(&b).wrapup);
    };
    assert!(why.contains("the config names no identity"), "{why}");
    assert!(why.starts_with(&format!(
            "{}",
            sealed
                .file_name()
                .map(|n| n.to_string_lossy())
                .unwrap_or_default()
        )));
    let lines: Vec<String> = session(&b).doc.lines.iter().map(|l| l.text()).collect();
    assert!(
        lines.iter().any(|l| l.contains("⚠ It did not open:")),
        "{lines:#?}"
    );
    let refused = sandbox.path().join("refused");
    export_notes_to(&mut b, &refused, &files);
    let status = b.status.clone().unwrap_or_default();
    assert!(status.starts_with("Notes not written:"), "{status}");
    assert!(status.contains("nothing was written"), "{status}");
    assert!(!refused.exists(), "no folder, no file, plain or sealed");
    assert!(b.input.is_some(), "the prompt stays open with the folder typed");
    key(&mut b, KeyCode::Esc, &files);

    // The report says so too, and still exports the rest.
    let body = sandbox.report(&ron, "report.md", &[]);
    assert!(body.contains("It did not open"), "{body}");
    assert!(!body.contains(FARHANA_ASSESSMENT));
}

#[test]
fn a_damaged_wrap_up_or_another_sessions_is_one_clear_line_never_a_panic() {
    let sandbox = Sandbox::new();
    let ron = sandbox.save(&Vault::plain(), None);
    let beside = holdspace::notes::wrapup_path(&ron);
    let files = Files::default();
    for (content, says) in [
        (
            b"WrapUp(version: 1, session_id: ".to_vec(),
            "this is not a wrap-up",
        ),
        (vec![0xff, 0xfe, 0x00, 0x01], "not UTF-8 text"),
        (Vec::new(), "this is not a wrap-up"),
    ] {
        fs::write(&beside, &content).expect("write");
        let b = sandbox.open(&ron, &files);
        let Found::Failed(why) = &session(&b).wrapup else {
            panic!("refused: {:?}", session(&b).wrapup);
        };
        assert!(why.contains(says), "{why}");
    }
    let mut other = finished(&summary());
    other.session_id = "another-session".into();
    write_wrapup(&Vault::plain(), &ron, &other).expect("write");
    let b = sandbox.open(&ron, &files);
    let Found::Failed(why) = &session(&b).wrapup else {
        panic!("refused: {:?}", session(&b).wrapup);
    };
    assert!(
        why.contains("belongs to another session (another-session, not"),
        "{why}"
    );
}

#[test]
fn without_a_wrap_up_the_notes_key_writes_them_unfinished_and_says_so() {
    let sandbox = Sandbox::new();
    let ron = sandbox.save(&Vault::plain(), None);
    let files = Files {
        data: Some(sandbox.data()),
        ..Files::default()
    };
    let mut b = sandbox.open(&ron, &files);
    assert_eq!(session(&b).wrapup, Found::NotWritten);
    let charts = sandbox.path().join("charts");
    export_notes_to(&mut b, &charts, &files);
    let status = b.status.clone().unwrap_or_default();
    assert!(status.starts_with("Wrote 17 files to "), "{status}");
    assert!(status.contains("; this session has no wrap-up yet"), "{status}");
    let group = fs::read_to_string(charts.join("group.md")).expect("group.md");
    assert!(group.contains("INCOMPLETE"), "{group}");
}
