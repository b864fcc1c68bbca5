//! Encryption at rest, end to end: the standard `age` tool reads what holdspace encrypts
//! (and the other way round), and the real binary's `keys new`, `encrypt-archive` (killed
//! with SIGKILL midway and run again) and `purge` do what they say.
//!
//! The tests that need Debian's `age` package skip with a message where it is missing;
//! CI installs it.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use holdspace::config::Encryption;
use holdspace::summary::{read_summary, read_summary_with, to_markdown, to_ron, write_summary_with};
use holdspace::vault::{NoPassphrase, Vault, keys, sealed_path};

fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_holdspace")
}

fn age_available() -> bool {
    Command::new("age")
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|status| status.success())
}

fn skip_without_age(test: &str) -> bool {
    if age_available() {
        return false;
    }
    eprintln!("SKIPPED {test}: the `age` tool is not installed (apt-get install age)");
    true
}

/// A new identity in `dir` and a vault encrypting to it.
fn identity_and_vault(dir: &Path) -> (PathBuf, String, Vault) {
    let path = dir.join("identity.txt");
    let made = keys::write_new_identity(&path, None, "2026-01-01T00:00:00Z").expect("a new identity");
    let encryption = Encryption {
        identity: Some(path.clone()),
        ..Encryption::default()
    };
    let vault = Vault::from_config(Some(&encryption), Arc::new(NoPassphrase)).expect("a vault");
    (path, made.public_key, vault)
}

fn fixture() -> holdspace::summary::Summary {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/summary-v1.ron");
    read_summary(&path).expect("the version 1 fixture reads")
}

#[test]
fn the_standard_age_tool_decrypts_a_summary_to_its_exact_ron() {
    if skip_without_age("vault_e2e::the_standard_age_tool_decrypts_a_summary_to_its_exact_ron") {
        return;
    }
    let dir = tempfile::tempdir().expect("a temp dir");
    let (identity, _, vault) = identity_and_vault(dir.path());
    let summary = fixture();
    let (ron_path, md_path) =
        write_summary_with(&dir.path().join("summaries"), &summary, &vault).expect("written");
    assert!(
        ron_path.to_string_lossy().ends_with(".ron.age"),
        "{}",
        ron_path.display()
    );
    assert!(
        md_path.to_string_lossy().ends_with(".md.age"),
        "{}",
        md_path.display()
    );
    let member = summary
        .attendance
        .first()
        .map(|a| a.name.clone())
        .unwrap_or_default();
    assert!(!member.is_empty());
    for path in [&ron_path, &md_path] {
        let bytes = fs::read(path).expect("reads");
        assert!(
            !bytes.windows(member.len()).any(|w| w == member.as_bytes()),
            "{member} in {}",
            path.display()
        );
    }

    for (path, expected) in [(&ron_path, to_ron(&summary)), (&md_path, to_markdown(&summary))] {
        let output = Command::new("age")
            .arg("-d")
            .arg("-i")
            .arg(&identity)
            .arg(path)
            .output()
            .expect("age runs");
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        assert_eq!(
            String::from_utf8_lossy(&output.stdout),
            expected,
            "{}",
            path.display()
        );
    }
    assert_eq!(
        read_summary_with(&ron_path, &vault).expect("holdspace reads it back"),
        summary
    );
    let refused = read_summary(&ron_path).expect_err("without the identity");
    assert!(refused.vault_error().is_some(), "{refused}");
    assert!(refused.to_string().contains("names no identity"), "{refused}");
}

#[test]
fn a_summary_encrypted_by_the_age_tool_opens_in_holdspace() {
    if skip_without_age("vault_e2e::a_summary_encrypted_by_the_age_tool_opens_in_holdspace") {
        return;
    }
    let dir = tempfile::tempdir().expect("a temp dir");
    let (_, public_key, vault) = identity_and_vault(dir.path());
    let plain = dir.path().join("s.ron");
    fs::write(&plain, to_ron(&fixture())).expect("writes");
    let sealed = sealed_path(&plain);
    let status = Command::new("age")
        .args(["-r", &public_key, "-o"])
        .arg(&sealed)
        .arg(&plain)
        .status()
        .expect("age runs");
    assert!(status.success());
    assert_eq!(read_summary_with(&sealed, &vault).expect("opens"), fixture());
}

fn config_with_encryption(dir: &Path, identity: &Path, retention: &str) -> PathBuf {
    let path = dir.join("config.ron");
    fs::write(
        &path,
        format!(
            "Config(encryption: (identity: {:?}), retention: ({retention}))\n",
            identity.display().to_string()
        ),
    )
    .expect("writes the config");
    path
}

fn run(args: &[&str]) -> std::process::Output {
    Command::new(bin()).args(args).output().expect("holdspace runs")
}

#[test]
fn keys_new_makes_an_owner_only_identity_and_warns_about_losing_it() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().expect("a temp dir");
    let path = dir.path().join("keys/identity.txt");
    let path_arg = path.display().to_string();
    let output = run(&["keys", "new", "-o", &path_arg]);
    assert!(output.status.success());
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stdout.trim().starts_with("age1") && stdout.lines().count() == 1,
        "{stdout}"
    );
    assert!(
        stderr.contains("If it is lost, everything encrypted to it is lost"),
        "{stderr}"
    );
    assert!(
        stderr.contains("clinic"),
        "says how to add a second recipient: {stderr}"
    );
    assert!(!stderr.contains("AGE-SECRET-KEY"), "never prints the secret");
    assert_eq!(
        fs::metadata(&path).expect("written").permissions().mode() & 0o777,
        0o600
    );
    let again = run(&["keys", "new", "-o", &path_arg]);
    assert!(!again.status.success(), "an identity is never overwritten");
}

/// An archive of plain files: summaries, observations, exports and journals.
fn plain_archive(data: &Path, files: usize) -> Vec<(PathBuf, String)> {
    let mut written = Vec::new();
    for i in 0..files {
        let dir = match i % 3 {
            0 => data.join("summaries"),
            1 => data.join("observations"),
            _ => data.join("exports").join(format!("notes-{i}")),
        };
        fs::create_dir_all(&dir).expect("a folder");
        let path = dir.join(format!("file-{i}.md"));
        let text = format!("Farhana disclosed something, file {i}\n");
        fs::write(&path, &text).expect("writes");
        written.push((path, text));
    }
    written
}

#[test]
fn encrypt_archive_killed_midway_and_run_again_loses_nothing() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let (identity, _, vault) = identity_and_vault(dir.path());
    let config = config_with_encryption(dir.path(), &identity, "");
    let config_arg = config.display().to_string();
    // How long a whole run takes here, so the kills land inside it.
    let whole = {
        let data = dir.path().join("data-calibration");
        plain_archive(&data, 150);
        let started = std::time::Instant::now();
        let output = run(&[
            "encrypt-archive",
            "--config",
            &config_arg,
            "--data-dir",
            &data.display().to_string(),
        ]);
        assert!(output.status.success());
        started.elapsed()
    };
    let mut interrupted = 0;
    for (round, share) in [0.3_f64, 0.5, 0.7, 0.9].into_iter().enumerate() {
        let delay = whole.mul_f64(share);
        let data = dir.path().join(format!("data-{round}"));
        let files = plain_archive(&data, 150);
        let data_arg = data.display().to_string();
        let args = [
            "encrypt-archive",
            "--config",
            &config_arg,
            "--data-dir",
            &data_arg,
        ];

        let dry = run(&[args.as_slice(), &["--dry-run"]].concat());
        assert!(dry.status.success());
        assert!(String::from_utf8_lossy(&dry.stdout).contains("150 file(s) to encrypt"));
        assert!(
            files.iter().all(|(path, _)| path.exists()),
            "a dry run changes nothing"
        );

        let mut child = Command::new(bin())
            .args(args)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("holdspace starts");
        std::thread::sleep(delay);
        let _ = child.kill();
        let _ = child.wait();

        let again = run(&args);
        assert!(
            again.status.success(),
            "{}",
            String::from_utf8_lossy(&again.stderr)
        );
        let report = String::from_utf8_lossy(&again.stdout);
        let last_line = report.lines().last().unwrap_or_default();
        eprintln!("killed after {delay:?} of {whole:?}; then: {last_line}");
        if !last_line.contains("Encrypted 150 of 150") && !last_line.contains("encrypted already") {
            interrupted += 1;
        }
        for (path, text) in &files {
            assert!(!path.exists(), "round {round}: {} is still plain", path.display());
            let opened = vault.read(&sealed_path(path)).expect("the encrypted copy opens");
            assert_eq!(String::from_utf8_lossy(&opened), *text, "round {round}");
        }
        let last = run(&args);
        assert!(String::from_utf8_lossy(&last.stdout).contains("encrypted already"));
    }
    eprintln!("{interrupted} of 4 runs were killed partway through");
}

#[test]
fn encrypt_archive_refuses_while_encryption_is_off() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let config = dir.path().join("config.ron");
    fs::write(&config, "Config()\n").expect("writes");
    let data = dir.path().join("data");
    let files = plain_archive(&data, 3);
    let output = run(&[
        "encrypt-archive",
        "--config",
        &config.display().to_string(),
        "--data-dir",
        &data.display().to_string(),
    ]);
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("encryption is off"));
    assert!(files.iter().all(|(path, _)| path.exists()));
}

#[test]
fn purge_removes_what_is_past_retention_and_keeps_summaries() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let (identity, _, _) = identity_and_vault(dir.path());
    let config = config_with_encryption(dir.path(), &identity, "journals: \"90d\", exports: \"30d\"");
    let data = dir.path().join("data");
    let old = SystemTime::now() - Duration::from_secs(100 * 24 * 3600);
    let archived = data.join("journal/archive/a.journal");
    let export = data.join("exports/r.html.age");
    let summary = data.join("summaries/s.ron.age");
    let fresh = data.join("exports/new.md");
    for path in [&archived, &export, &summary, &fresh] {
        fs::create_dir_all(path.parent().expect("a folder")).expect("folder");
        fs::write(path, "x").expect("writes");
    }
    for path in [&archived, &export, &summary] {
        fs::File::options()
            .write(true)
            .open(path)
            .and_then(|file| file.set_modified(old))
            .expect("set the time");
    }
    let (config_arg, data_arg) = (config.display().to_string(), data.display().to_string());
    let args = ["purge", "--config", &config_arg, "--data-dir", &data_arg];
    let dry = run(&[args.as_slice(), &["--dry-run"]].concat());
    let listed = String::from_utf8_lossy(&dry.stdout);
    assert!(listed.contains("2 file(s) are due"), "{listed}");
    assert!(archived.exists() && export.exists());

    let purged = run(&args);
    assert!(purged.status.success());
    assert!(String::from_utf8_lossy(&purged.stdout).contains("Removed 2 file(s)."));
    assert!(!archived.exists() && !export.exists());
    assert!(
        summary.exists() && fresh.exists(),
        "summaries and young exports are kept"
    );
}
