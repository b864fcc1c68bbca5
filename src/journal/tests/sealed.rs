//! Sealed (encrypted) journals keep every promise of plain ones: round trips, a torn last
//! line cut and reported, a cut at every byte read as a prefix, resume, the background
//! writer; and they hold no plain text, refuse a wrong or missing identity without
//! changing the file, and report records removed from the middle.

use std::sync::Arc;

use super::*;
use crate::config::Encryption;
use crate::journal::sealed::{Line, Opener, SessionKey};
use crate::vault::{NoPassphrase, Vault, keys};

/// A vault encrypting to a new identity in `dir`.
pub(super) fn vault_in(dir: &Path, name: &str) -> Result<Vault, Box<dyn Error>> {
    let identity = dir.join(name);
    keys::write_new_identity(&identity, None, "2026-01-01T00:00:00Z")?;
    let encryption = Encryption {
        identity: Some(identity),
        ..Encryption::default()
    };
    Ok(Vault::from_config(Some(&encryption), Arc::new(NoPassphrase))?)
}

fn write_sealed(dir: &Path, id: &str, events: &[Event], vault: &Vault) -> Result<PathBuf, Box<dyn Error>> {
    let mut journal = Journal::create_with(dir, id, T0, vault)?;
    assert!(journal.is_sealed());
    journal.append(events)?;
    Ok(journal.path().to_owned())
}

#[test]
fn a_sealed_journal_round_trips_and_holds_no_plain_text() -> TestResult {
    let root = tempfile::tempdir()?;
    let vault = vault_in(root.path(), "id.txt")?;
    let events = session_events()?;
    let path = write_sealed(&journal_dir(root.path()), "s", &events, &vault)?;
    assert_eq!(mode(&path)?, FILE_MODE);
    let text = fs::read_to_string(&path)?;
    for secret in ["sleep", "Farhana", "Managing Anxiety", "Ünïcödé", "NoteAdded"] {
        assert!(!text.contains(secret), "{secret:?} is in the sealed journal");
    }
    assert!(text.lines().next().is_some_and(|l| l.contains("version:2")));
    assert_eq!(
        text.lines().count(),
        events.len() + 2,
        "header, run marker, one line per event"
    );

    let recovered = read_journal_with(&path, &vault)?;
    assert_eq!(recovered.events, events);
    assert!(recovered.problems.is_empty(), "{:?}", recovered.problems);
    assert_eq!(recovered.header.version, SEALED_JOURNAL_VERSION);
    assert_eq!(recovered.header.session, "s");
    assert_eq!(fold_debug(&recovered.events)?, fold_debug(&events)?);
    Ok(())
}

#[test]
fn plain_journals_still_read_with_an_encrypting_vault() -> TestResult {
    let root = tempfile::tempdir()?;
    let vault = vault_in(root.path(), "id.txt")?;
    let events = session_events()?;
    let path = write_journal(root.path(), "plain", &events)?;
    assert_eq!(read_journal_with(&path, &vault)?.events, events);
    let (mut journal, _) = Journal::reopen_with(&path, &vault)?;
    assert!(!journal.is_sealed(), "a plain journal stays plain to its end");
    journal.append(&[Event::Heartbeat { at: T0 + 400_000 }])?;
    drop(journal);
    assert_eq!(read_journal(&path)?.events.len(), events.len() + 1);
    Ok(())
}

#[test]
fn a_wrong_or_missing_identity_refuses_and_changes_nothing() -> TestResult {
    let root = tempfile::tempdir()?;
    let vault = vault_in(root.path(), "id.txt")?;
    let other = vault_in(root.path(), "other.txt")?;
    let events = session_events()?;
    let path = write_sealed(root.path(), "locked", &events, &vault)?;
    append_raw(&path, b"12 torn-record-witho")?;
    let before = fs::read(&path)?;

    for (who, reader) in [("wrong identity", &other), ("no identity", &Vault::plain())] {
        let error = Journal::reopen_with(&path, reader).err().ok_or(who)?;
        assert!(matches!(error, JournalError::Sealed { .. }), "{who}: {error}");
        assert!(error.to_string().contains("locked.journal"), "{who}: {error}");
        assert!(read_journal_with(&path, reader).is_err());
        let scan = scan_journals_with(root.path(), reader);
        assert!(scan.unfinished.is_empty() && scan.unreadable.len() == 1, "{who}");
    }
    assert_eq!(
        fs::read(&path)?,
        before,
        "the torn tail was not cut by a failed open"
    );
    Ok(())
}

#[test]
fn a_torn_sealed_line_is_cut_and_the_resumed_run_reads_back() -> TestResult {
    let root = tempfile::tempdir()?;
    let vault = vault_in(root.path(), "id.txt")?;
    let events = session_events()?;
    let path = write_sealed(root.path(), "torn", &events[..5], &vault)?;
    let whole = fs::read(&path)?;
    append_raw(&path, b"5 AAAAbbbbCCCC")?;

    let recovered = read_journal_with(&path, &vault)?;
    assert_eq!(recovered.events, events[..5]);
    assert_eq!(
        recovered.problems,
        vec!["line 8: the last record was cut off (a crash while writing); it was ignored".to_owned()]
    );
    let (mut journal, again) = Journal::reopen_with(&path, &vault)?;
    assert!(journal.is_sealed());
    assert_eq!(again.events, events[..5]);
    assert_eq!(fs::read(&path)?, whole, "the torn tail is cut");
    journal.append(&events[5..])?;
    drop(journal);

    // Resumed twice more: each run has its own key and counter.
    for at in [1, 2] {
        let (mut journal, _) = Journal::reopen_with(&path, &vault)?;
        journal.append(&[Event::Heartbeat {
            at: T0 + 900_000 + at,
        }])?;
    }
    let resumed = read_journal_with(&path, &vault)?;
    assert!(resumed.problems.is_empty(), "{:?}", resumed.problems);
    assert_eq!(resumed.events[..events.len()], events[..]);
    assert_eq!(resumed.events.len(), events.len() + 2);
    let runs = fs::read_to_string(&path)?
        .lines()
        .filter(|l| l.starts_with("run "))
        .count();
    assert_eq!(runs, 4, "one run per open for writing");
    Ok(())
}

#[test]
fn a_sealed_journal_cut_at_every_byte_gives_a_prefix_never_a_panic() -> TestResult {
    let root = tempfile::tempdir()?;
    let vault = vault_in(root.path(), "id.txt")?;
    let events = vec![
        started(T0)?,
        note(T0 + 1, "ünï\ncödé 🙂"),
        Event::Ended { at: T0 + 2 },
    ];
    let path = write_sealed(root.path(), "cut", &events, &vault)?;
    let bytes = fs::read(&path)?;
    let lines: Vec<usize> = bytes
        .iter()
        .enumerate()
        .filter(|(_, b)| **b == b'\n')
        .map(|(i, _)| i + 1)
        .collect();
    // Header, run marker, then the start: a journal holding its start is readable.
    let start_len = lines[2];
    let cut_path = root.path().join("cut-copy.journal");
    for cut in 0..=bytes.len() {
        fs::write(&cut_path, &bytes[..cut])?;
        match read_journal_with(&cut_path, &vault) {
            Ok(recovered) => {
                let n = recovered.events.len();
                assert!(n >= 1 && cut >= start_len, "cut {cut}");
                assert_eq!(recovered.events, events[..n], "cut {cut}: not a prefix");
                let on_boundary = bytes[..cut].ends_with(b"\n");
                assert_eq!(recovered.problems.len(), usize::from(!on_boundary), "cut {cut}");
            }
            Err(error) => {
                assert!(cut < start_len, "cut {cut}: {error}");
                assert!(!error.to_string().is_empty());
            }
        }
    }
    Ok(())
}

#[test]
fn a_record_removed_from_the_middle_is_reported() -> TestResult {
    let root = tempfile::tempdir()?;
    let vault = vault_in(root.path(), "id.txt")?;
    let events = vec![
        started(T0)?,
        note(T0 + 1, "one"),
        note(T0 + 2, "two"),
        note(T0 + 3, "three"),
    ];
    let path = write_sealed(root.path(), "gap", &events, &vault)?;
    let text = fs::read_to_string(&path)?;
    let mut lines: Vec<&str> = text.lines().collect();
    lines.remove(4); // the note "two"
    let moved = lines.remove(3); // "one", put after "three"
    lines.push(moved);
    fs::write(&path, lines.join("\n") + "\n")?;
    let recovered = read_journal_with(&path, &vault)?;
    assert_eq!(recovered.events, [events[0].clone(), events[3].clone()]);
    assert_eq!(recovered.problems.len(), 2, "{:?}", recovered.problems);
    assert!(recovered.problems[0].contains("2 record(s) before this one are missing"));
    assert!(recovered.problems[1].contains("out of order"));
    Ok(())
}

#[test]
fn garbage_in_a_sealed_journal_is_skipped_and_reported() -> TestResult {
    let root = tempfile::tempdir()?;
    let vault = vault_in(root.path(), "id.txt")?;
    let events = vec![started(T0)?, note(T0 + 1, "kept")];
    let path = write_sealed(root.path(), "junk", &events, &vault)?;
    append_raw(&path, b"not sealed at all\n\xff\xfe binary\n7 !!!!\nrun short\n")?;
    let recovered = read_journal_with(&path, &vault)?;
    assert_eq!(recovered.events, events);
    assert_eq!(recovered.problems.len(), 4, "{:?}", recovered.problems);
    // A sealed header whose key is damaged is no journal, said plainly.
    let text = String::from_utf8_lossy(&fs::read(&path)?).into_owned();
    fs::write(&path, text.replacen("key:\"", "key:\"!", 1))?;
    let error = read_journal_with(&path, &vault).err().ok_or("damaged key")?;
    assert!(matches!(error, JournalError::NotAJournal { .. }), "{error}");
    Ok(())
}

#[test]
fn the_writer_creates_a_sealed_journal_in_the_background() -> TestResult {
    let root = tempfile::tempdir()?;
    let vault = vault_in(root.path(), "id.txt")?;
    let dir = journal_dir(root.path());
    let events = session_events()?;
    let (tx, mut reports) = unbounded_channel();
    let writer = JournalWriter::create_with(&dir, "bg", T0, tx, vault.clone())?;
    let seq = writer.send(events.clone());
    wait_saved(&mut reports, seq)?;
    writer.shutdown()?;
    assert_eq!(read_journal_with(&dir.join("bg.journal"), &vault)?.events, events);
    Ok(())
}

#[test]
fn sealing_a_plain_journal_keeps_its_events_and_is_idempotent() -> TestResult {
    let root = tempfile::tempdir()?;
    let vault = vault_in(root.path(), "id.txt")?;
    let events = session_events()?;
    let path = write_journal(root.path(), "old", &events)?;
    append_raw(&path, b"torn")?;
    assert_eq!(seal_journal(&path, &vault)?, Sealing::Sealed { dropped: 1 });
    assert_eq!(mode(&path)?, FILE_MODE);
    assert!(!fs::read_to_string(&path)?.contains("sleep"));
    assert_eq!(read_journal_with(&path, &vault)?.events, events);
    assert_eq!(seal_journal(&path, &vault)?, Sealing::AlreadySealed);
    assert_eq!(
        fs::read_dir(root.path())?.count(),
        2,
        "the journal and the identity, no temporary file"
    );

    // A journal open in a running holdspace is left alone.
    let open = write_journal(root.path(), "open", &events[..3])?;
    let (_held, _) = Journal::reopen(&open)?;
    assert!(matches!(
        seal_journal(&open, &vault),
        Err(JournalError::InUse { .. })
    ));
    assert_eq!(read_journal(&open)?.events, events[..3]);
    Ok(())
}

#[test]
fn run_keys_differ_so_a_counter_is_never_reused_across_runs() -> TestResult {
    let key = SessionKey::generate()?;
    let mut first = crate::journal::sealed::Sealer::new_run(&key, "s")?;
    let mut second = crate::journal::sealed::Sealer::new_run(&key, "s")?;
    let a = first.seal("same record")?;
    let b = second.seal("same record")?;
    let record = |line: &str| line.lines().nth(1).map(str::to_owned);
    assert_ne!(
        record(&a),
        record(&b),
        "the same counter and text seal differently per run"
    );
    let mut opener = Opener::new(SessionKey::from_bytes(key.as_bytes()).ok_or("key")?, "s");
    for line in b.lines() {
        if let Ok(Line::Record { text, gap }) = opener.open(line) {
            assert_eq!((text.as_str(), gap), ("same record", 0));
        }
    }
    Ok(())
}
