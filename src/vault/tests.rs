//! The vault's promises: round trips in every mode, plain files still read, and a clear
//! error (never a panic, never a changed file) for a wrong or missing identity, a wrong
//! passphrase, a damaged header and a cut-off file.

use std::error::Error;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use super::*;
use crate::config::Encryption;

type TestResult = Result<(), Box<dyn Error>>;

/// Gives a fixed passphrase and counts how often it was asked.
struct Fixed {
    text: &'static str,
    asked: AtomicUsize,
}

impl Fixed {
    fn new(text: &'static str) -> Arc<Fixed> {
        Arc::new(Fixed {
            text,
            asked: AtomicUsize::new(0),
        })
    }
}

impl PassphraseSource for Fixed {
    fn passphrase(&self, _purpose: &str) -> Result<SecretString, VaultError> {
        self.asked.fetch_add(1, Ordering::SeqCst);
        Ok(SecretString::from(self.text.to_owned()))
    }
}

fn new_identity(dir: &Path, name: &str) -> Result<(PathBuf, String), Box<dyn Error>> {
    let path = dir.join(name);
    let made = keys::write_new_identity(&path, None, "2026-01-01T00:00:00Z")?;
    Ok((path, made.public_key))
}

fn vault_for(identity: &Path, recipients: &[&str]) -> Result<Vault, VaultError> {
    let encryption = Encryption {
        recipients: recipients.iter().map(|r| (*r).to_owned()).collect(),
        identity: Some(identity.to_owned()),
        ..Encryption::default()
    };
    Vault::from_config(Some(&encryption), Arc::new(NoPassphrase))
}

const TEXT: &[u8] = b"Summary(version: 1, notes: [\"Joy: panic in shops\"])\n";

#[test]
fn sealed_bytes_open_again_and_hold_no_plain_text() -> TestResult {
    let dir = tempfile::tempdir()?;
    let (identity, _) = new_identity(dir.path(), "me.txt")?;
    let vault = vault_for(&identity, &[])?;
    assert!(vault.is_encrypting());
    let sealed = vault.seal(TEXT)?;
    assert!(sealed.starts_with(AGE_MAGIC));
    assert!(
        !sealed.windows(3).any(|w| w == b"Joy"),
        "no plain text in the sealed bytes"
    );
    assert_eq!(vault.open(&sealed)?, TEXT);
    assert_eq!(vault.open(TEXT)?, TEXT, "a plain file still reads");
    assert_eq!(vault.path_for(Path::new("a/s.ron")), Path::new("a/s.ron.age"));
    Ok(())
}

#[test]
fn a_plain_vault_passes_bytes_through_and_refuses_age_files_clearly() -> TestResult {
    let dir = tempfile::tempdir()?;
    let (identity, _) = new_identity(dir.path(), "me.txt")?;
    let sealed = vault_for(&identity, &[])?.seal(TEXT)?;
    let plain = Vault::plain();
    assert!(!plain.is_encrypting());
    assert_eq!(plain.seal(TEXT)?, TEXT);
    assert_eq!(plain.path_for(Path::new("s.ron")), Path::new("s.ron"));
    let error = plain.open(&sealed).expect_err("no identity");
    assert!(matches!(error, VaultError::NoIdentityConfigured), "{error}");
    assert!(error.to_string().contains("names no identity"), "{error}");
    Ok(())
}

#[test]
fn a_wrong_or_missing_identity_is_a_clear_error_and_the_file_is_untouched() -> TestResult {
    let dir = tempfile::tempdir()?;
    let (mine, _) = new_identity(dir.path(), "me.txt")?;
    let (theirs, _) = new_identity(dir.path(), "other.txt")?;
    let file = vault_for(&mine, &[])?.write_new(&dir.path().join("s.ron"), TEXT)?;
    let before = std::fs::read(&file)?;

    let error = vault_for(&theirs, &[])?.read(&file).expect_err("wrong identity");
    assert!(matches!(error.kind(), VaultError::WrongIdentity), "{error}");
    assert!(error.to_string().contains("s.ron.age"), "names the file: {error}");

    let missing = dir.path().join("gone.txt");
    let encryption = Encryption {
        recipients: vec![keys::public_keys_of(&mine)?[0].to_string()],
        identity: Some(missing.clone()),
        ..Encryption::default()
    };
    let vault = Vault::from_config(Some(&encryption), Arc::new(NoPassphrase))?;
    let error = vault.read(&file).expect_err("missing identity");
    assert!(
        matches!(error.kind(), VaultError::MissingIdentity { .. }),
        "{error}"
    );
    assert!(error.to_string().contains("gone.txt"), "{error}");
    assert!(
        vault.prepare().is_err(),
        "prepare reports the missing identity up front"
    );

    std::fs::write(&missing, "AGE-SECRET-KEY-1NOTAKEY\n")?;
    let error = vault_for(
        &missing,
        &["age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p"],
    )?
    .read(&file)
    .expect_err("garbage identity");
    assert!(
        matches!(error.kind(), VaultError::BadIdentityFile { line: 1, .. }),
        "{error}"
    );
    assert!(
        !error.to_string().contains("NOTAKEY"),
        "never quotes a secret: {error}"
    );
    assert_eq!(std::fs::read(&file)?, before, "nothing was changed");
    Ok(())
}

#[test]
fn a_damaged_header_and_a_cut_off_file_are_clear_errors() -> TestResult {
    let dir = tempfile::tempdir()?;
    let (identity, _) = new_identity(dir.path(), "me.txt")?;
    let vault = vault_for(&identity, &[])?;
    let sealed = vault.seal(&TEXT.repeat(2000))?;

    let mut bad_header = sealed.clone();
    bad_header[30] ^= 0x20;
    let error = vault.open(&bad_header).expect_err("damaged header");
    assert!(
        matches!(error, VaultError::CorruptHeader | VaultError::WrongIdentity),
        "{error}"
    );

    for cut in [10, 60, sealed.len() / 2, sealed.len() - 1] {
        let error = vault.open(&sealed[..cut]).expect_err("cut off");
        assert!(
            matches!(
                error,
                VaultError::Truncated | VaultError::CorruptHeader | VaultError::Damaged
            ),
            "cut at {cut}: {error}"
        );
    }
    let error = vault
        .open(&sealed[..sealed.len() / 2])
        .expect_err("cut in the payload");
    assert!(
        matches!(error, VaultError::Truncated | VaultError::Damaged),
        "{error}"
    );

    let mut flipped = sealed.clone();
    let last = flipped.len() - 5;
    flipped[last] ^= 1;
    assert!(matches!(vault.open(&flipped), Err(VaultError::Damaged)));
    Ok(())
}

#[test]
fn bad_settings_are_refused_before_anything_is_written() -> TestResult {
    let dir = tempfile::tempdir()?;
    let (identity, _) = new_identity(dir.path(), "me.txt")?;
    let error = vault_for(&identity, &["age1typo"]).expect_err("bad recipient");
    assert!(error.to_string().contains("encryption.recipients"), "{error}");
    assert!(error.to_string().contains("age1typo"), "{error}");
    let both = Encryption {
        recipients: vec!["age1x".into()],
        passphrase: true,
        ..Encryption::default()
    };
    assert!(matches!(
        Vault::from_config(Some(&both), Arc::new(NoPassphrase)),
        Err(VaultError::PassphraseAndRecipients)
    ));
    assert!(matches!(
        Vault::from_config(Some(&Encryption::default()), Arc::new(NoPassphrase)),
        Err(VaultError::NothingToSealTo)
    ));
    assert!(!Vault::from_config(None, Arc::new(NoPassphrase))?.is_encrypting());
    Ok(())
}

#[test]
fn a_file_for_the_supervisor_alone_opens_only_with_the_supervisors_key() -> TestResult {
    let dir = tempfile::tempdir()?;
    let (mine, my_key) = new_identity(dir.path(), "me.txt")?;
    let (supervisor, supervisor_key) = new_identity(dir.path(), "supervisor.txt")?;
    let encryption = Encryption {
        recipients: vec![my_key],
        identity: Some(mine.clone()),
        named: [("supervisor".to_owned(), vec![supervisor_key.clone()])].into(),
        ..Encryption::default()
    };
    let vault = Vault::from_config(Some(&encryption), Arc::new(NoPassphrase))?;
    for target in [
        vault.sealing_to(&["supervisor"])?,
        vault.sealing_to(&[&supervisor_key])?,
    ] {
        let sealed = target.seal(TEXT)?;
        assert!(matches!(vault.open(&sealed), Err(VaultError::WrongIdentity)));
        assert_eq!(vault_for(&supervisor, &[])?.open(&sealed)?, TEXT);
    }
    assert!(matches!(
        vault.sealing_to(&["nobody"]),
        Err(VaultError::UnknownName(_))
    ));
    assert!(matches!(vault.sealing_to(&[]), Err(VaultError::NothingToSealTo)));
    Ok(())
}

#[test]
fn sealed_lines_are_one_line_each_and_plain_lines_pass() -> TestResult {
    let dir = tempfile::tempdir()?;
    let (identity, _) = new_identity(dir.path(), "me.txt")?;
    let vault = vault_for(&identity, &[])?;
    let record = "Signed(by: \"Dr. Rahman\", comment: \"Joy: ok\")";
    let line = vault.seal_line(record)?;
    assert!(line.starts_with("age:") && !line.contains('\n') && !line.contains("Joy"));
    assert_eq!(vault.open_line(&line)?, record);
    assert_eq!(vault.open_line(record)?, record);
    assert_eq!(Vault::plain().seal_line(record)?, record);
    assert!(matches!(vault.open_line("age:!!!"), Err(VaultError::Damaged)));
    Ok(())
}

/// scrypt takes about a second per file by design: one test covers the passphrase modes.
#[test]
fn passphrases_are_asked_once_and_a_wrong_one_is_refused() -> TestResult {
    let dir = tempfile::tempdir()?;
    let source = Fixed::new("correct horse battery staple");
    let encryption = Encryption {
        passphrase: true,
        ..Encryption::default()
    };
    let vault = Vault::from_config(Some(&encryption), source.clone())?;
    vault.prepare()?;
    assert_eq!(source.asked.load(Ordering::SeqCst), 2, "asked twice to confirm");
    let sealed = vault.seal(TEXT)?;
    assert_eq!(vault.open(&sealed)?, TEXT);
    assert_eq!(source.asked.load(Ordering::SeqCst), 2, "and never again this run");

    let wrong = Vault::from_config(Some(&encryption), Fixed::new("wrong"))?;
    assert!(matches!(wrong.open(&sealed), Err(VaultError::WrongPassphrase)));

    // A passphrase-protected identity file (as `age -p` makes) unlocks with it once.
    let path = dir.path().join("id.age");
    let made = keys::write_new_identity(&path, Some(SecretString::from("pw".to_owned())), "now")?;
    assert!(std::fs::read(&path)?.starts_with(AGE_MAGIC));
    let unlocking = Fixed::new("pw");
    let keyed = Encryption {
        recipients: vec![made.public_key],
        identity: Some(path),
        ..Encryption::default()
    };
    let vault = Vault::from_config(Some(&keyed), unlocking.clone())?;
    let first = vault.seal(TEXT)?;
    let second = vault.seal(b"more")?;
    assert_eq!(vault.open(&first)?, TEXT);
    assert_eq!(vault.open(&second)?, b"more");
    assert_eq!(unlocking.asked.load(Ordering::SeqCst), 1);
    Ok(())
}

#[test]
fn a_new_identity_is_owner_only_and_never_overwritten() -> TestResult {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("keys").join("identity.txt");
    let made = keys::write_new_identity(&path, None, "2026-01-01T00:00:00Z")?;
    assert!(made.public_key.starts_with("age1"));
    let text = std::fs::read_to_string(&path)?;
    assert!(text.contains(&format!("# public key: {}", made.public_key)));
    assert!(text.contains("AGE-SECRET-KEY-1"));
    assert_eq!(std::fs::metadata(&path)?.permissions().mode() & 0o777, 0o600);
    assert!(keys::write_new_identity(&path, None, "later").is_err());
    assert_eq!(std::fs::read_to_string(&path)?, text, "the first key is kept");
    Ok(())
}

/// Lets a test keep counting what an [`AskOnce`] asks of its source.
struct Shared(Arc<Fixed>);

impl PassphraseSource for Shared {
    fn passphrase(&self, purpose: &str) -> Result<SecretString, VaultError> {
        self.0.passphrase(purpose)
    }
}

#[test]
fn ask_once_asks_one_prompt_for_every_thread_and_nothing_once_closed() -> TestResult {
    let source = Fixed::new("pw");
    let ask = Arc::new(AskOnce::new(Shared(source.clone())));
    let answers: Vec<String> = std::thread::scope(|scope| {
        let askers: Vec<_> = (0..8)
            .map(|_| scope.spawn(|| ask.passphrase("to open the encrypted files")))
            .collect();
        askers
            .into_iter()
            .map(|a| match a.join() {
                Ok(Ok(secret)) => secret.expose_secret().to_owned(),
                _ => String::new(),
            })
            .collect()
    });
    assert!(answers.iter().all(|a| a == "pw"), "{answers:?}");
    assert_eq!(
        source.asked.load(Ordering::SeqCst),
        1,
        "one prompt for eight askers"
    );
    ask.passphrase("to unlock your identity file")?;
    assert_eq!(
        source.asked.load(Ordering::SeqCst),
        2,
        "another purpose is asked once too"
    );

    ask.close();
    let refused = ask.passphrase("the same again, to confirm").expect_err("closed");
    assert!(matches!(refused, VaultError::NoPassphrase(_)), "{refused}");
    assert!(refused.to_string().contains("start it again"), "{refused}");
    assert_eq!(
        ask.passphrase("to open the encrypted files")?.expose_secret(),
        "pw",
        "an answer given before is still given"
    );
    assert_eq!(source.asked.load(Ordering::SeqCst), 2);
    Ok(())
}

#[test]
fn a_vault_for_reading_opens_what_it_can_and_never_writes_in_plain() -> TestResult {
    let dir = tempfile::tempdir()?;
    let (mine, _) = new_identity(dir.path(), "me.txt")?;
    let sealed = vault_for(&mine, &[])?.seal(TEXT)?;
    // The identity the config names is gone, and there are no recipients to seal to.
    let missing = Encryption {
        identity: Some(dir.path().join("gone.txt")),
        ..Encryption::default()
    };
    let (vault, problem) = Vault::from_config_for_reading(Some(&missing), Arc::new(NoPassphrase));
    assert!(
        problem.is_some_and(|p| matches!(p.kind(), VaultError::MissingIdentity { .. })),
        "the reason is given to be told"
    );
    assert!(vault.is_encrypting(), "names what it would write .age");
    assert_eq!(vault.open(TEXT)?, TEXT, "plain files still open");
    let error = vault.open(&sealed).expect_err("no identity to open it");
    assert!(
        matches!(error.kind(), VaultError::MissingIdentity { .. }),
        "{error}"
    );
    let target = dir.path().join("record.ron");
    let refused = vault.write_new(&target, TEXT).expect_err("refused");
    assert!(matches!(refused.kind(), VaultError::CannotSeal(_)), "{refused}");
    assert!(refused.to_string().contains("gone.txt"), "says why: {refused}");
    assert!(
        !target.exists() && !sealed_path(&target).exists(),
        "nothing written"
    );

    // A config that can seal gives the same vault as `from_config`, and no problem.
    let working = Encryption {
        identity: Some(mine),
        ..Encryption::default()
    };
    let (vault, problem) = Vault::from_config_for_reading(Some(&working), Arc::new(NoPassphrase));
    assert!(problem.is_none());
    assert_eq!(vault.open(&sealed)?, TEXT);
    let (vault, problem) = Vault::from_config_for_reading(None, Arc::new(NoPassphrase));
    assert!(problem.is_none() && !vault.is_encrypting());
    Ok(())
}

#[test]
fn a_wrong_passphrase_for_the_identity_file_is_tried_once_per_run() -> TestResult {
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("id.age");
    let made = keys::write_new_identity(&path, Some(SecretString::from("pw".to_owned())), "now")?;
    let wrong = Fixed::new("not it");
    let keyed = Encryption {
        recipients: vec![made.public_key],
        identity: Some(path),
        ..Encryption::default()
    };
    let vault = Vault::from_config(Some(&keyed), wrong.clone())?;
    let sealed = vault.seal(TEXT)?;
    for _ in 0..3 {
        let error = vault.open(&sealed).expect_err("locked");
        assert!(matches!(error.kind(), VaultError::WrongPassphrase), "{error}");
    }
    assert_eq!(
        wrong.asked.load(Ordering::SeqCst),
        1,
        "not asked (nor a second of scrypt spent) again for every file"
    );
    Ok(())
}
