//! The supervisor's review with encryption at rest, end to end with the real binary: a
//! whole encrypted session is reviewed, signed, changed, re-encrypted, exported and sent to
//! the supervisor alone; trainees' encrypted observations line up in the browser; without
//! the identity the review refuses clearly and never panics; damaged files are one error
//! row each; and after all of it no member's name or note is readable on disk.
//!
//! The tests that need tmux (the session and the browser) or Debian's `age` tool skip with
//! a message where they are missing; CI installs both.

mod e2e;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::Arc;

use e2e::{Sandbox, Tui};
use holdspace::config::Encryption;
use holdspace::notes::{Template, WrapUp, write_wrapup};
use holdspace::observations::ObservationLog;
use holdspace::plan::{BUILTIN_PLAN, BUILTIN_ROSTER, parse_plan, parse_roster};
use holdspace::review::cache::DiskCache;
use holdspace::review::index::Scanner;
use holdspace::session::{About, Note, State, Tag};
use holdspace::storage::DataDir;
use holdspace::summary::{Summary, read_summary, read_summary_with, to_ron, write_summary_with};
use holdspace::supervision::{Request, store};
use holdspace::vault::{NoPassphrase, Vault, keys, sealed_path};

const V1: &str = include_str!("fixtures/summary-v1.ron");

/// Names and words that must never be readable on disk once encryption is on (names of
/// five letters and more: a three-letter one turns up in random ciphertext now and then).
const RISK_NOTE: &str = "Farhana disclosed self-harm thoughts";
const GROUP_NOTE: &str = "energy low after Tanvir spoke";
const OBSERVED: &str = "Rafiq stayed quiet until invited by name";
const COMMENT: &str = "Good containment of Shirin's worry";

fn age_available() -> bool {
    Command::new("age")
        .arg("--version")
        .output()
        .is_ok_and(|out| out.status.success())
}

fn skip_without_age(test: &str) -> bool {
    if age_available() {
        return false;
    }
    eprintln!("SKIPPED {test}: the `age` tool is not installed (apt-get install age)");
    true
}

/// The sandbox's environment, with the cache dir inside it too.
fn env_of(sandbox: &Sandbox) -> Vec<(String, String)> {
    let mut env = sandbox.env();
    env.push((
        "XDG_CACHE_HOME".into(),
        sandbox.home().join(".cache").display().to_string(),
    ));
    env
}

/// Runs `holdspace ARGS` in the sandbox's environment, without a terminal.
fn holdspace(sandbox: &Sandbox, args: &[&str]) -> Output {
    Command::new(e2e::holdspace_bin())
        .args(args)
        .envs(env_of(sandbox))
        .env_remove("HOLDSPACE_PASSPHRASE")
        .output()
        .expect("holdspace runs")
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Exits with 0, and never a panic whatever the exit.
fn succeeded(out: &Output, what: &str) -> String {
    assert!(!stderr(out).contains("panicked"), "{what}: {}", stderr(out));
    assert!(out.status.success(), "{what} failed: {}", stderr(out));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Refused with a non-zero exit and a message holding `says`, never a panic.
fn refused(out: &Output, what: &str, says: &str) {
    let err = stderr(out);
    assert!(!err.contains("panicked"), "{what}: {err}");
    assert!(!out.status.success(), "{what} should be refused");
    assert!(err.contains(says), "{what}: {err:?} does not say {says:?}");
}

fn list_json(sandbox: &Sandbox, folder: &Path) -> Vec<serde_json::Value> {
    let folder = folder.display().to_string();
    let out = holdspace(sandbox, &["review", "--list", "--json", &folder]);
    let stdout = succeeded(&out, "review --list --json");
    serde_json::from_str::<serde_json::Value>(&stdout)
        .expect("JSON")
        .as_array()
        .cloned()
        .unwrap_or_default()
}

/// `keys new -o` with the real binary, into the sandbox's config dir; the public key.
fn keys_new(sandbox: &Sandbox, name: &str) -> (PathBuf, String) {
    let path = sandbox.home().join(".config/holdspace").join(name);
    let out = holdspace(sandbox, &["keys", "new", "-o", &path.display().to_string()]);
    let public = succeeded(&out, "keys new").trim().to_owned();
    assert!(public.starts_with("age1"), "{public}");
    (path, public)
}

/// Writes the sandbox's config: encryption with `identity` (and `named` recipients).
fn configure(sandbox: &Sandbox, identity: &Path, named: &str) {
    sandbox.write(
        "home/.config/holdspace/config.ron",
        &format!(
            "Config(encryption: (identity: {:?}, named: {{{named}}}))\n",
            identity.display().to_string()
        ),
    );
}

/// The vault the config makes, for the test to read and write as holdspace does.
fn vault_of(identity: &Path) -> Vault {
    let encryption = Encryption {
        identity: Some(identity.to_owned()),
        ..Encryption::default()
    };
    Vault::from_config(Some(&encryption), Arc::new(NoPassphrase)).expect("the vault")
}

/// `age -d -i IDENTITY FILE`: its output, or why it failed.
fn age_decrypt(identity: &Path, file: &Path) -> Result<Vec<u8>, String> {
    let out = Command::new("age")
        .arg("-d")
        .arg("-i")
        .arg(identity)
        .arg(file)
        .output()
        .map_err(|e| e.to_string())?;
    if out.status.success() {
        Ok(out.stdout)
    } else {
        Err(String::from_utf8_lossy(&out.stderr).into_owned())
    }
}

/// Every file below `dir` holding any of `needles` in its plain bytes, as `grep -r` finds.
fn files_holding(dir: &Path, needles: &[&str]) -> Vec<(PathBuf, String)> {
    let mut found = Vec::new();
    for entry in fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            found.extend(files_holding(&path, needles));
        } else if let Ok(bytes) = fs::read(&path) {
            for needle in needles {
                if bytes.windows(needle.len()).any(|w| w == needle.as_bytes()) {
                    found.push((path.clone(), (*needle).to_owned()));
                }
            }
        }
    }
    found
}

/// The age files directly in `dir` whose name holds `part`.
fn sealed_files(dir: &Path, part: &str) -> Vec<PathBuf> {
    e2e::files_with_ext(dir, "age")
        .into_iter()
        .filter(|p| p.to_string_lossy().contains(part))
        .collect()
}

/// The one encrypted summary in the data dir.
fn the_summary(sandbox: &Sandbox) -> PathBuf {
    assert!(sandbox.summaries("ron").is_empty(), "no plain summary");
    let sealed: Vec<PathBuf> = sealed_files(&sandbox.data_dir().join("summaries"), ".ron.age")
        .into_iter()
        .filter(|p| !p.to_string_lossy().contains(".wrapup."))
        .collect();
    assert_eq!(sealed.len(), 1, "{sealed:?}");
    sealed[0].clone()
}

/// Runs a short session with the real console: start, a risk note about Farhana, a note
/// about the group, end. Its summary is encrypted.
fn run_a_session(sandbox: &Sandbox) -> PathBuf {
    let tui = Tui::run_in(sandbox, &[], 100, 30);
    tui.wait_saved("⏸ not started");
    tui.key("Space");
    tui.wait_saved("▶ running");
    for key in ["N", "1"] {
        tui.key(key);
    }
    tui.type_text(RISK_NOTE);
    tui.key("M-r");
    tui.key("Enter");
    tui.wait_saved("Notes (1)");
    tui.key("n");
    tui.type_text(GROUP_NOTE);
    tui.key("Enter");
    tui.wait_saved("Notes (2)");
    tui.end_session();
    assert_eq!(tui.wait_exit(e2e::TIMEOUT), 0, "{}", tui.screen());
    the_summary(sandbox)
}

/// A trainee's observations of `summary`'s session, taken as the console takes them
/// (filed under the live session's id), through `vault`; returns the file.
fn observe(data: &DataDir, summary: &Summary, vault: &Vault) -> PathBuf {
    let plan = parse_plan(BUILTIN_PLAN, Path::new("plan")).expect("the built-in plan");
    let roster = parse_roster(BUILTIN_ROSTER, Path::new("roster")).expect("the built-in roster");
    let state = State::new(plan, roster, 7, 0);
    let offset = chrono::FixedOffset::east_opt(6 * 3600).expect("an offset");
    let mut log = ObservationLog::for_session(
        data,
        &state,
        "Mitu Hossain",
        0,
        offset,
        Some(&summary.session_id),
        vault,
    );
    let note = Note::new(0, About::Member(1), vec![Tag::Insight], OBSERVED);
    log.add_in(&note, &state, Some("Check-in round")).expect("saved");
    log.path().clone()
}

/// The list's one row.
fn row(sandbox: &Sandbox, folder: &Path) -> serde_json::Value {
    let rows = list_json(sandbox, folder);
    assert_eq!(rows.len(), 1, "one session, one row: {rows:#?}");
    rows[0].clone()
}

#[test]
fn an_encrypted_session_is_reviewed_signed_exported_and_nothing_is_readable_on_disk() {
    if e2e::skip_without_tmux("vault_review_e2e::an_encrypted_session_is_reviewed") {
        return;
    }
    if skip_without_age("vault_review_e2e::an_encrypted_session_is_reviewed") {
        return;
    }
    let sandbox = Sandbox::new();
    let (identity, _) = keys_new(&sandbox, "identity.txt");
    let supervisor = sandbox.path().join("supervisor/identity.txt");
    let out = holdspace(
        &sandbox,
        &["keys", "new", "-o", &supervisor.display().to_string()],
    );
    let supervisor_key = succeeded(&out, "the supervisor's keys new").trim().to_owned();
    configure(
        &sandbox,
        &identity,
        &format!("\"supervisor\": [\"{supervisor_key}\"]"),
    );
    let vault = vault_of(&identity);
    let data = DataDir::resolve(Some(&sandbox.data_dir()), None);
    let folder = data.summaries();

    // The session, its wrap-up (as the console's wrap-up writes it), a trainee's notes.
    let summary_path = run_a_session(&sandbox);
    let summary = read_summary_with(&summary_path, &vault).expect("the summary opens");
    assert!(summary.notes.iter().any(|n| n.text == RISK_NOTE));
    let wrapup = write_wrapup(
        &vault,
        &summary_path,
        &WrapUp::from_summary(&summary, Template::default()),
    )
    .expect("the wrap-up is written");
    assert!(wrapup.to_string_lossy().ends_with(".wrapup.ron.age"));
    let observations = observe(&data, &summary, &vault);
    assert!(
        observations.to_string_lossy().ends_with(".ron.age"),
        "{}",
        observations.display()
    );
    // The trainee hands them in; the supervisor drops the file into the folder.
    let out = holdspace(
        &sandbox,
        &[
            "shadow",
            "--hand-in",
            &observations.display().to_string(),
            "-o",
            &folder.display().to_string(),
        ],
    );
    succeeded(&out, "shadow --hand-in");
    let handed_in = sealed_files(&folder, ".observations.ron.age");
    assert_eq!(handed_in.len(), 1, "handed in encrypted");

    // The list: one row (not the wrap-up, not the hand-in), a draft, with its session id.
    let listed = row(&sandbox, &folder);
    assert_eq!(listed["status"], "draft", "{listed:#}");
    assert_eq!(listed["session_id"], summary.session_id.as_str());
    assert_eq!(listed["group"], "Tuesday evening anxiety group");
    assert!(listed.get("error").is_none(), "{listed:#}");
    let s = summary_path.display().to_string();

    // Submitted, then signed with a comment naming a member: the records are encrypted too.
    succeeded(&holdspace(&sandbox, &["review", "--submit", &s]), "--submit");
    let out = holdspace(
        &sandbox,
        &["review", "--sign", &s, "--as", "Dr. Amal", "--comment", COMMENT],
    );
    succeeded(&out, "--sign");
    let records = sealed_files(&folder, ".review.");
    assert_eq!(records.len(), 2, "the submission and the sign-off: {records:?}");
    assert!(
        e2e::files_with_ext(&folder, "ron").is_empty(),
        "nothing plain beside it"
    );
    let signed = row(&sandbox, &folder);
    assert_eq!(signed["status"], "signed");
    assert_eq!(signed["signed_by"], "Dr. Amal");
    assert_eq!(signed["changed_after_sign_off"], false);

    // Encrypted again with the same content (new ciphertext): no change.
    let plain = vault.read(&summary_path).expect("opens");
    let before = fs::read(&summary_path).expect("reads");
    fs::write(&summary_path, vault.seal(&plain).expect("seals")).expect("writes");
    assert_ne!(fs::read(&summary_path).expect("reads"), before, "new ciphertext");
    assert_eq!(row(&sandbox, &folder)["changed_after_sign_off"], false);
    // Its content changed (one character), encrypted: changed after sign-off.
    let edited = String::from_utf8_lossy(&plain).replacen(RISK_NOTE, &format!("{RISK_NOTE}."), 1);
    fs::write(&summary_path, vault.seal(edited.as_bytes()).expect("seals")).expect("writes");
    assert_eq!(row(&sandbox, &folder)["changed_after_sign_off"], true);
    let md = holdspace(&sandbox, &["review", "--export", "md", &s, "--plain"]);
    assert!(succeeded(&md, "--export md --plain to stdout").contains("CHANGED AFTER SIGN-OFF"));
    // Put back as signed, in new ciphertext: not changed; then the wrap-up changes.
    fs::write(&summary_path, vault.seal(&plain).expect("seals")).expect("writes");
    assert_eq!(row(&sandbox, &folder)["changed_after_sign_off"], false);
    let wrapup_plain = vault.read(&wrapup).expect("the wrap-up opens");
    let wrapup_edited =
        String::from_utf8_lossy(&wrapup_plain).replacen("finished: false", "finished: true", 1);
    assert_ne!(wrapup_edited.as_bytes(), wrapup_plain.as_slice());
    fs::write(&wrapup, vault.seal(wrapup_edited.as_bytes()).expect("seals")).expect("writes");
    assert_eq!(row(&sandbox, &folder)["changed_after_sign_off"], true);
    fs::write(&wrapup, vault.seal(&wrapup_plain).expect("seals")).expect("writes");
    assert_eq!(row(&sandbox, &folder)["changed_after_sign_off"], false);

    // Exports are encrypted; the standard tool opens them; never replaced without --force.
    let out_dir = sandbox.path().join("out");
    fs::create_dir_all(&out_dir).expect("a folder");
    let report = out_dir.join("report.md");
    let report_arg = report.display().to_string();
    succeeded(
        &holdspace(&sandbox, &["review", "--export", "md", &s, "-o", &report_arg]),
        "--export md",
    );
    assert!(!report.exists(), "no plain report");
    let opened = age_decrypt(&identity, &sealed_path(&report)).expect("age opens the report");
    let text = String::from_utf8_lossy(&opened);
    assert!(text.contains(RISK_NOTE) && text.contains("Dr. Amal"), "{text}");
    refused(
        &holdspace(&sandbox, &["review", "--export", "md", &s, "-o", &report_arg]),
        "a second export",
        "report.md.age: the file exists",
    );
    refused(
        &holdspace(
            &sandbox,
            &["review", "--export", "md", &s, "-o", &report_arg, "--plain"],
        ),
        "a plain export over the encrypted one",
        "report.md.age: the file exists",
    );
    succeeded(
        &holdspace(
            &sandbox,
            &["review", "--export", "md", &s, "-o", &report_arg, "--force"],
        ),
        "--force",
    );
    let html = out_dir.join("group.html");
    succeeded(
        &holdspace(
            &sandbox,
            &[
                "review",
                "--export",
                "html",
                "Tuesday evening anxiety group",
                &folder.display().to_string(),
                "-o",
                &html.display().to_string(),
            ],
        ),
        "a series export",
    );
    assert!(!html.exists() && sealed_path(&html).exists());
    let series = age_decrypt(&identity, &sealed_path(&html)).expect("age opens the series");
    assert!(String::from_utf8_lossy(&series).contains("<svg"));
    // To standard output (a pipe here): the age file itself, never the plain text.
    let piped = holdspace(&sandbox, &["review", "--export", "md", &s]);
    let bytes = piped.stdout.clone();
    succeeded(&piped, "--export md into a pipe");
    assert!(bytes.starts_with(b"age-encryption.org/v1\n"));
    assert!(String::from_utf8_lossy(&vault.open(&bytes).expect("opens")).contains(RISK_NOTE));

    // For the supervisor alone: summary and wrap-up, byte for byte, only their key opens them.
    let copy = out_dir.join("for-supervisor.ron");
    succeeded(
        &holdspace(
            &sandbox,
            &[
                "review",
                "--export",
                "ron",
                &s,
                "--recipient",
                "supervisor",
                "-o",
                &copy.display().to_string(),
            ],
        ),
        "--export ron --recipient",
    );
    let from_age = age_decrypt(&supervisor, &sealed_path(&copy)).expect("the supervisor's key opens it");
    assert_eq!(from_age, plain, "exactly the summary's RON");
    let wrapup_copy = out_dir.join("for-supervisor.wrapup.ron.age");
    assert_eq!(
        age_decrypt(&supervisor, &wrapup_copy).expect("and its wrap-up"),
        wrapup_plain
    );
    assert!(
        age_decrypt(&identity, &sealed_path(&copy)).is_err(),
        "the facilitator's own key does not open the supervisor's copy"
    );

    // The browser: the row opens; the trainee's notes line up with the session.
    let args = ["review", "--data-dir", &sandbox.data_arg()];
    let env = env_of(&sandbox);
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let tui = Tui::start(&args, &env, 140, 60);
    tui.wait_for_all(&["Tuesday evening anxie", "signed"]);
    tui.key("Enter");
    let screen = tui.wait_for_all(&["Facilitator and trainees, segment by segment", "Mitu Hossain"]);
    assert!(!screen.contains("ERROR"), "{screen}");
    let screen = tui.wait_for(OBSERVED);
    assert!(screen.contains("Check-in round"), "{screen}");
    tui.key("Escape");
    tui.wait_for("Sessions");
    tui.key("q");
    assert_eq!(tui.wait_exit(e2e::TIMEOUT), 0);

    // Issue 17's acceptance: nothing readable in the data, config and cache dirs (nor in the
    // exports made, nor anywhere else in the sandbox).
    let needles = [
        "Farhana", "Rafiq", "Tanvir", "Shirin", RISK_NOTE, GROUP_NOTE, OBSERVED, COMMENT,
    ];
    let cache = sandbox.home().join(".cache");
    assert!(
        !e2e::files_with_ext(&cache.join("holdspace/review"), "sqlite").is_empty(),
        "the index is there to be searched"
    );
    assert!(
        files_holding(&cache, &["Tuesday evening anxiety group"]).is_empty(),
        "it holds nothing that came out of an encrypted summary, not even its list fields"
    );
    for dir in [sandbox.data_dir(), sandbox.home().join(".config"), cache, out_dir] {
        let found = files_holding(&dir, &needles);
        assert!(
            found.is_empty(),
            "readable on disk in {}: {found:?}",
            dir.display()
        );
    }
    let found = files_holding(sandbox.path(), &needles);
    assert!(found.is_empty(), "readable on disk: {found:?}");
}

/// A temp dir with a new identity, its vault, where the archive folder will be, and the
/// fixture summary.
fn encrypting_folder() -> (tempfile::TempDir, Vault, PathBuf, Summary) {
    let dir = tempfile::tempdir().expect("a temp dir");
    let identity = dir.path().join("identity.txt");
    keys::write_new_identity(&identity, None, "2026-01-01T00:00:00Z").expect("an identity");
    let vault = vault_of(&identity);
    let folder = dir.path().join("archive");
    let fixture = read_summary(&fixture_path()).expect("the fixture");
    (dir, vault, folder, fixture)
}

/// A folder with an encrypted summary (and its wrap-up) of one group and a plain summary of
/// another; returns the folder, the encrypted file and the plain file.
fn mixed_folder(sandbox: &Sandbox, vault: &Vault) -> (PathBuf, PathBuf, PathBuf) {
    let folder = sandbox.path().join("archive");
    let fixture = read_summary(&fixture_path()).expect("the fixture");
    let (sealed, _) = write_summary_with(&folder, &fixture, vault).expect("written encrypted");
    write_wrapup(
        vault,
        &sealed,
        &WrapUp::from_summary(&fixture, Template::default()),
    )
    .expect("its wrap-up");
    let mut other = fixture.clone();
    other.group = "Thursday bereavement circle".into();
    other.title = "Living with loss".into();
    let (plain, _) = write_summary_with(&folder, &other, &Vault::plain()).expect("written plain");
    (folder, sealed, plain)
}

fn fixture_path() -> PathBuf {
    e2e::manifest_dir().join("tests/fixtures/summary-v1.ron")
}

#[test]
fn without_the_identity_encrypted_rows_refuse_clearly_and_plain_ones_work() {
    let sandbox = Sandbox::new();
    let identity = sandbox.home().join(".config/holdspace/identity.txt");
    keys::write_new_identity(&identity, None, "2026-01-01T00:00:00Z").expect("an identity");
    let vault = vault_of(&identity);
    let (folder, sealed, plain) = mixed_folder(&sandbox, &vault);
    let (s, p) = (sealed.display().to_string(), plain.display().to_string());
    let out_md = sandbox.path().join("out.md");
    let out_arg = out_md.display().to_string();

    // 1. No encryption in the config (a machine without the key).
    let rows = list_json(&sandbox, &folder);
    assert_eq!(rows.len(), 2, "{rows:#?}");
    let locked = rows
        .iter()
        .find(|r| r["file"].as_str().is_some_and(|f| f.ends_with(".ron.age")))
        .expect("the encrypted row");
    assert_eq!(
        locked["error"]
            .as_str()
            .map(|e| e.starts_with("encrypted: needs the identity in the config")),
        Some(true),
        "{locked:#}"
    );
    assert!(
        rows.iter()
            .any(|r| r["group"] == "Thursday bereavement circle" && r["status"] == "draft")
    );
    let table = holdspace(&sandbox, &["review", "--list", &folder.display().to_string()]);
    let text = succeeded(&table, "--list");
    assert!(text.contains("Thursday bereavement circle"), "{text}");
    assert!(
        text.contains("encrypted: needs the identity in the config"),
        "{text}"
    );
    assert!(
        stderr(&table).contains("1 encrypted summaries did not open"),
        "{}",
        stderr(&table)
    );
    refused(
        &holdspace(&sandbox, &["review", "--sign", &s, "--as", "Dr. Amal"]),
        "signing without the identity",
        "names no identity",
    );
    refused(
        &holdspace(&sandbox, &["review", "--export", "md", &s, "-o", &out_arg]),
        "exporting without the identity",
        "names no identity",
    );
    refused(
        &holdspace(&sandbox, &["review", "--export", "ron", &s, "-o", &out_arg]),
        "copying without the identity",
        "names no identity",
    );
    assert!(
        !out_md.exists() && !sealed_path(&out_md).exists(),
        "nothing written"
    );
    assert_eq!(
        fs::read_dir(&folder).map(|d| d.count()).unwrap_or(0),
        5,
        "no record written beside the summaries"
    );
    succeeded(
        &holdspace(&sandbox, &["review", "--export", "md", &p, "-o", &out_arg]),
        "a plain summary still exports",
    );
    assert!(fs::read_to_string(&out_md).is_ok_and(|t| t.contains("Thursday bereavement circle")));

    // 2. The config names the identity, but it is gone: said once, nothing written in plain.
    let moved = sandbox.path().join("identity-elsewhere.txt");
    fs::rename(&identity, &moved).expect("moves");
    configure(&sandbox, &identity, "");
    let listed = holdspace(
        &sandbox,
        &["review", "--list", "--json", &folder.display().to_string()],
    );
    let json = succeeded(&listed, "--list with the identity gone");
    assert!(
        stderr(&listed).contains("is missing"),
        "said once: {}",
        stderr(&listed)
    );
    assert!(json.contains("encrypted: the identity file"), "{json}");
    assert!(json.contains("Thursday bereavement circle"), "{json}");
    refused(
        &holdspace(&sandbox, &["review", "--submit", &p, "--as", "Nadia"]),
        "a record that cannot be encrypted",
        "nothing is written",
    );
    assert!(store::record_files(&plain).is_empty(), "no plain record");

    // 3. Another key than the one it was encrypted to.
    let (other, _) = keys_new(&sandbox, "other.txt");
    configure(&sandbox, &other, "");
    let json = succeeded(
        &holdspace(
            &sandbox,
            &["review", "--list", "--json", &folder.display().to_string()],
        ),
        "--list with another key",
    );
    assert!(
        json.contains("encrypted: your identity cannot open this file"),
        "{json}"
    );

    // 4. The identity back: the same index (never trusting an old refusal) opens it.
    fs::rename(&moved, &identity).expect("moves back");
    configure(&sandbox, &identity, "");
    let rows = list_json(&sandbox, &folder);
    assert!(rows.iter().all(|r| r.get("error").is_none()), "{rows:#?}");
    assert!(rows.iter().any(|r| r["group"] == "Tuesday evening anxiety group"));
}

#[test]
fn damaged_encrypted_summaries_are_one_error_row_each_and_the_rest_open() {
    let sandbox = Sandbox::new();
    let (identity, _) = keys_new(&sandbox, "identity.txt");
    configure(&sandbox, &identity, "");
    let vault = vault_of(&identity);
    let folder = sandbox.path().join("archive");
    fs::create_dir_all(&folder).expect("a folder");
    let sealed = vault.seal(V1.as_bytes()).expect("seals");
    let mut corrupt = sealed.clone();
    corrupt[30] ^= 0x20;
    let stranger = Sandbox::new();
    let (stranger_identity, _) = keys_new(&stranger, "identity.txt");
    let files: [(&str, Vec<u8>); 5] = [
        ("a-good.ron.age", sealed.clone()),
        ("b-plain.ron", V1.as_bytes().to_vec()),
        ("c-corrupt-header.ron.age", corrupt),
        ("d-truncated.ron.age", sealed[..sealed.len() / 2].to_vec()),
        (
            "e-another-key.ron.age",
            vault_of(&stranger_identity).seal(V1.as_bytes()).expect("seals"),
        ),
    ];
    for (name, bytes) in &files {
        fs::write(folder.join(name), bytes).expect("writes");
    }
    let rows = list_json(&sandbox, &folder);
    assert_eq!(rows.len(), 5, "{rows:#?}");
    let error_of = |file: &str| {
        rows.iter()
            .find(|r| r["file"] == file)
            .map(|r| r["error"].as_str().unwrap_or_default().to_owned())
            .unwrap_or_else(|| panic!("no row for {file}"))
    };
    assert_eq!(error_of("a-good.ron.age"), "");
    assert_eq!(error_of("b-plain.ron"), "");
    let corrupt = error_of("c-corrupt-header.ron.age");
    assert!(
        corrupt.starts_with("encrypted: ") && (corrupt.contains("damaged") || corrupt.contains("other keys")),
        "{corrupt}"
    );
    let truncated = error_of("d-truncated.ron.age");
    assert!(
        truncated.starts_with("encrypted: ")
            && (truncated.contains("cut short") || truncated.contains("damaged")),
        "{truncated}"
    );
    assert!(error_of("e-another-key.ron.age").contains("other keys"));
    // Opening one of them is a clear refusal too.
    let truncated_path = folder.join("d-truncated.ron.age").display().to_string();
    refused(
        &holdspace(
            &sandbox,
            &["review", "--export", "md", &truncated_path, "--plain"],
        ),
        "exporting a truncated file",
        "d-truncated.ron.age",
    );
}

#[test]
fn the_index_never_holds_a_members_name_or_a_note_and_lists_one_row_per_session() {
    let (dir, vault, folder, fixture) = encrypting_folder();
    let (sealed, _) = write_summary_with(&folder, &fixture, &vault).expect("written");
    let wrapup = write_wrapup(
        &vault,
        &sealed,
        &WrapUp::from_summary(&fixture, Template::default()),
    )
    .expect("its wrap-up");
    let now = chrono::DateTime::parse_from_rfc3339("2025-03-05T10:00:00+06:00").expect("a time");
    let comment = "Well held when Farhana cried";
    store::act(&sealed, &Request::Submit, "Dr. Nadia Rahman", "", now, &vault).expect("submitted");
    store::act(&sealed, &Request::Sign, "Dr. Amal", comment, now, &vault).expect("signed");
    // A second summary both plain and encrypted (as `encrypt-archive` stopped midway
    // leaves it), and a plain wrap-up beside an encrypted summary: one row, no error rows.
    let mut second = fixture.clone();
    second.title = "Session four".into();
    second.started = Some("2025-03-11T18:00:00+06:00".into());
    let (second_plain, _) = write_summary_with(&folder, &second, &Vault::plain()).expect("written");
    fs::write(
        sealed_path(&second_plain),
        vault.seal(to_ron(&second).as_bytes()).expect("seals"),
    )
    .expect("writes");
    let plain_wrapup = holdspace::notes::wrapup_path(&second_plain);
    fs::write(&plain_wrapup, "WrapUp(version: 1)").expect("writes");

    let cache_root = dir.path().join("cache");
    let cache = DiskCache::in_dir(&cache_root, &folder);
    let index = Scanner::new(&folder, Some(cache.clone()))
        .with_vault(vault.clone())
        .scan()
        .expect("lists");
    assert_eq!(index.rows.len(), 2, "{:#?}", index.rows);
    assert_eq!(index.errors(), 0, "no wrap-up, record or copy as an error row");
    let first = index
        .rows
        .iter()
        .find(|r| r.is_at(&sealed))
        .expect("the encrypted row");
    assert_eq!(first.review.signed_by.as_deref(), Some("Dr. Amal"));
    assert!(!first.review.changed_after_sign_off);
    assert!(
        index.rows.iter().any(|r| r.is_at(&second_plain)),
        "the plain copy stands for both"
    );
    assert!(wrapup.exists());

    // What the cache holds: the list fields (the group), never a member or a note.
    let members: Vec<String> = fixture
        .attendance
        .iter()
        .map(|a| a.name.clone())
        .filter(|n| n.len() >= 5)
        .collect();
    let notes: Vec<String> = fixture.notes.iter().map(|n| n.text.clone()).collect();
    assert!(!members.is_empty() && !notes.is_empty());
    let mut needles: Vec<&str> = members.iter().chain(&notes).map(String::as_str).collect();
    needles.push(comment);
    assert_eq!(
        files_holding(&cache_root, &[fixture.group.as_str()]).len(),
        1,
        "the cache was written"
    );
    let found = files_holding(&cache_root, &needles);
    assert!(found.is_empty(), "in the index: {found:?}");
    // And the warm index, from the cache alone, tells the same.
    let warm = Scanner::new(&folder, Some(cache))
        .with_vault(vault)
        .scan()
        .expect("lists");
    assert_eq!(warm.rows, index.rows);
}

/// The index on disk holds only the name and stamp of an encrypted summary (and nothing of
/// its encrypted sign-off): the list fields of the plain summary beside it are there, none
/// of the encrypted one's; a warm run opens it again (and, without the identity, says so
/// rather than showing what an earlier run read).
#[test]
fn the_index_keeps_only_names_and_stamps_of_encrypted_summaries() {
    let (dir, vault, folder, fixture) = encrypting_folder();
    let mut secret = fixture.clone();
    secret.group = "Sealed circle of Thursdays".into();
    secret.title = "Sealed title of a session".into();
    let (sealed, _) = write_summary_with(&folder, &secret, &vault).expect("written");
    assert!(sealed.to_string_lossy().ends_with(".ron.age"));
    let now = chrono::DateTime::parse_from_rfc3339("2025-03-05T10:00:00+06:00").expect("a time");
    store::act(&sealed, &Request::Submit, "Dr. Nadia Rahman", "", now, &vault).expect("submitted");
    store::act(&sealed, &Request::Sign, "Dr. Sealedsigner", "", now, &vault).expect("signed");
    let mut open = fixture.clone();
    open.group = "Plain group of Mondays".into();
    open.started = Some("2025-03-11T18:00:00+06:00".into());
    let (plain, _) = write_summary_with(&folder, &open, &Vault::plain()).expect("written");
    // Saved an hour ago: settled, so what was read of it may be trusted on the next run.
    for path in [&sealed, &plain] {
        let old = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
        fs::File::options()
            .write(true)
            .open(path)
            .and_then(|f| f.set_modified(old))
            .expect("times can be set");
    }

    let cache_root = dir.path().join("cache");
    let cache = DiskCache::in_dir(&cache_root, &folder);
    let scan = |vault: &Vault| {
        Scanner::new(&folder, Some(cache.clone()))
            .with_vault(vault.clone())
            .scan()
            .expect("lists")
    };
    let cold = scan(&vault);
    assert_eq!(cold.rows.len(), 2, "{:#?}", cold.rows);
    assert_eq!(cold.errors(), 0);
    let row = cold
        .rows
        .iter()
        .find(|r| r.is_at(&sealed))
        .expect("the encrypted row");
    assert_eq!(row.ok().map(|e| e.group.to_string()), Some(secret.group.clone()));
    assert_eq!(row.review.signed_by.as_deref(), Some("Dr. Sealedsigner"));
    assert!(cold.rows.iter().any(|r| r.is_at(&plain)));

    assert_eq!(
        files_holding(&cache_root, &[open.group.as_str()]).len(),
        1,
        "the plain summary's list fields are in the index"
    );
    let found = files_holding(
        &cache_root,
        &[secret.group.as_str(), secret.title.as_str(), "Dr. Sealedsigner"],
    );
    assert!(found.is_empty(), "in the index: {found:?}");

    // Warm: the same rows, the encrypted summary and its record opened again.
    let warm = scan(&vault);
    assert_eq!(warm.rows, cold.rows);
    assert!(warm.stats.parsed >= 2, "{:?}", warm.stats);
    assert!(
        warm.stats.reused >= 1,
        "the plain one is reused: {:?}",
        warm.stats
    );
    // Without the identity the index gives nothing away: the row says it is locked.
    let locked = scan(&Vault::plain());
    let row = locked
        .rows
        .iter()
        .find(|r| r.is_at(&sealed))
        .expect("the encrypted row");
    let why = row.entry.as_ref().err().cloned().unwrap_or_default();
    assert!(why.starts_with("encrypted:"), "{why}");
    assert_eq!(row.review.signed_by, None);
    // And with it again, all is back.
    assert_eq!(scan(&vault).rows, cold.rows);
}
