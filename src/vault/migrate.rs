//! Turning encryption on for an archive that exists (`holdspace encrypt-archive`): every
//! plain file of client data in the data dir is encrypted in place, one at a time, so an
//! interruption at any moment loses nothing and a second run finishes the job.
//!
//! A file `X` becomes `X.age`: the age file is written whole beside it (temporary file,
//! fsync, hard link to its name, fsync of the folder), and only then is `X` removed. If a
//! run stops between the two, the next finds both, checks that `X.age` opens to exactly
//! `X`, and removes `X`. Journals keep their name and become sealed journals (written whole
//! beside, then renamed over), so a resume still finds them.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use super::files::visible_files;
use super::{Vault, VaultError, is_age, sealed_path};
use crate::journal::{self, JOURNAL_EXTENSION, JournalError, Sealing};
use crate::storage::DataDir;

/// What will be (or was) done with one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// `X` → `X.age`.
    Encrypt,
    /// `X.age` is there already (an interrupted run): check it, then remove `X`.
    Finish,
    /// A plain journal becomes a sealed one under the same name.
    SealJournal,
}

/// One file to encrypt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    pub path: PathBuf,
    pub action: Action,
}

/// The plain files of client data in the data dir, and what to do with each. Files that
/// are already encrypted, hidden (temporary files of a write in progress) or not client
/// data (the crash log) are not listed; journals are, since reading them needs no key.
pub fn plan(data: &DataDir) -> Vec<Step> {
    let mut steps = Vec::new();
    for dir in [data.summaries(), data.observations(), data.exports()] {
        for path in visible_files(&dir, true) {
            if is_age(&path) {
                continue;
            }
            let action = if sealed_path(&path).exists() {
                Action::Finish
            } else {
                Action::Encrypt
            };
            steps.push(Step { path, action });
        }
    }
    for dir in [data.journals(), data.archive()] {
        let Ok(entries) = fs::read_dir(&dir) else { continue };
        for entry in entries.flatten() {
            let path = entry.path();
            let is_journal = path.extension().is_some_and(|ext| ext == JOURNAL_EXTENSION)
                && entry.file_type().is_ok_and(|kind| kind.is_file());
            if is_journal && journal_is_plain(&path) {
                steps.push(Step {
                    path,
                    action: Action::SealJournal,
                });
            }
        }
    }
    steps.sort_by(|a, b| a.path.cmp(&b.path));
    steps
}

fn journal_is_plain(path: &Path) -> bool {
    matches!(
        journal::read_journal(path),
        Ok(recovered) if recovered.header.version == journal::JOURNAL_VERSION
    )
}

/// Why one file was not encrypted; the others go on.
#[derive(Debug, thiserror::Error)]
pub enum StepError {
    #[error(transparent)]
    Vault(#[from] VaultError),
    #[error(transparent)]
    Journal(#[from] JournalError),
    #[error("{}: {source}", .path.display())]
    Io { path: PathBuf, source: io::Error },
    #[error(
        "{}: both it and its encrypted copy exist and they differ; both were kept: \
         compare them and remove the one you do not want",
        .path.display()
    )]
    Differs { path: PathBuf },
}

/// Carries out one step with `vault` (which must encrypt).
pub fn run_step(step: &Step, vault: &Vault) -> Result<(), StepError> {
    let path = &step.path;
    let io_error = |source| StepError::Io {
        path: path.clone(),
        source,
    };
    match step.action {
        Action::SealJournal => match journal::seal_journal(path, vault)? {
            Sealing::Sealed { .. } | Sealing::AlreadySealed => Ok(()),
        },
        Action::Encrypt => {
            let plain = fs::read(path).map_err(io_error)?;
            let sealed = vault.seal(&plain).map_err(|e| e.at(path))?;
            let target = sealed_path(path);
            crate::storage::write_new(&target, &sealed).map_err(|source| StepError::Io {
                path: target.clone(),
                source,
            })?;
            remove_plain(path)
        }
        Action::Finish => {
            let target = sealed_path(path);
            let plain = fs::read(path).map_err(io_error)?;
            // The encrypted copy was published whole (by a hard link), but check that it
            // is this file's before removing the only plain copy.
            if vault.read(&target)? != plain {
                return Err(StepError::Differs { path: path.clone() });
            }
            remove_plain(path)
        }
    }
}

fn remove_plain(path: &Path) -> Result<(), StepError> {
    let io_error = |source| StepError::Io {
        path: path.to_owned(),
        source,
    };
    fs::remove_file(path).map_err(io_error)?;
    if let Some(dir) = path.parent() {
        fs::File::open(dir)
            .and_then(|dir| dir.sync_all())
            .map_err(io_error)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::error::Error;
    use std::sync::Arc;

    use super::*;
    use crate::config::Encryption;
    use crate::vault::{NoPassphrase, keys};

    fn setup() -> Result<(tempfile::TempDir, DataDir, Vault), Box<dyn Error>> {
        let root = tempfile::tempdir()?;
        let identity = root.path().join("identity.txt");
        keys::write_new_identity(&identity, None, "now")?;
        let encryption = Encryption {
            identity: Some(identity),
            ..Encryption::default()
        };
        let vault = Vault::from_config(Some(&encryption), Arc::new(NoPassphrase))?;
        let data = DataDir {
            root: root.path().join("data"),
        };
        Ok((root, data, vault))
    }

    fn put(path: &Path, text: &str) -> io::Result<()> {
        if let Some(dir) = path.parent() {
            fs::create_dir_all(dir)?;
        }
        fs::write(path, text)
    }

    #[test]
    fn an_interrupted_run_is_finished_by_the_next_and_nothing_is_lost() -> Result<(), Box<dyn Error>> {
        let (_root, data, vault) = setup()?;
        let done = data.summaries().join("a.ron");
        let half = data.summaries().join("b.ron");
        let todo = data.observations().join("c.ron");
        let export = data.exports().join("notes").join("Joy.md");
        for (path, text) in [
            (&done, "A Joy"),
            (&half, "B Joy"),
            (&todo, "C Joy"),
            (&export, "D Joy"),
        ] {
            put(path, text)?;
        }
        // The first run encrypted a.ron whole, b.ron up to its .age (then stopped before
        // removing the plain one), and left a temporary file of c.ron's half-written copy.
        run_step(
            &Step {
                path: done.clone(),
                action: Action::Encrypt,
            },
            &vault,
        )?;
        fs::write(sealed_path(&half), vault.seal(b"B Joy")?)?;
        put(
            &data.observations().join(".c.ron.age.123.tmp"),
            "age-encryption.org/v1\n-> X25519 cut",
        )?;

        let steps = plan(&data);
        let actions: Vec<(&Path, &Action)> = steps.iter().map(|s| (s.path.as_path(), &s.action)).collect();
        assert_eq!(
            actions,
            [
                (export.as_path(), &Action::Encrypt),
                (todo.as_path(), &Action::Encrypt),
                (half.as_path(), &Action::Finish),
            ]
        );
        for step in &steps {
            run_step(step, &vault)?;
        }
        for (path, text) in [
            (&done, "A Joy"),
            (&half, "B Joy"),
            (&todo, "C Joy"),
            (&export, "D Joy"),
        ] {
            assert!(!path.exists(), "{} is gone", path.display());
            assert_eq!(vault.read(&sealed_path(path))?, text.as_bytes());
        }
        assert!(plan(&data).is_empty(), "a third run has nothing to do");
        Ok(())
    }

    #[test]
    fn a_different_encrypted_copy_keeps_both_files() -> Result<(), Box<dyn Error>> {
        let (_root, data, vault) = setup()?;
        let path = data.summaries().join("a.ron");
        put(&path, "mine")?;
        fs::write(sealed_path(&path), vault.seal(b"something else")?)?;
        let step = Step {
            path: path.clone(),
            action: Action::Finish,
        };
        assert!(matches!(run_step(&step, &vault), Err(StepError::Differs { .. })));
        assert_eq!(fs::read_to_string(&path)?, "mine");
        assert!(sealed_path(&path).exists());
        Ok(())
    }

    #[test]
    fn journals_are_sealed_in_place_and_unreadable_ones_are_left() -> Result<(), Box<dyn Error>> {
        let (_root, data, vault) = setup()?;
        let plan_text = crate::plan::BUILTIN_PLAN;
        let started = crate::session::Event::Started {
            at: 1,
            plan: ron::from_str(plan_text)?,
            roster: ron::from_str(crate::plan::BUILTIN_ROSTER)?,
            seed: 1,
        };
        let mut open = journal::Journal::create(&data.journals(), "open", 1)?;
        open.append(std::slice::from_ref(&started))?;
        drop(open);
        let mut old = journal::Journal::create(&data.archive(), "old", 1)?;
        old.append(std::slice::from_ref(&started))?;
        drop(old);
        put(&data.journals().join("broken.journal"), "garbage")?;
        let steps = plan(&data);
        assert_eq!(steps.len(), 2, "{steps:?}");
        assert!(steps.iter().all(|s| s.action == Action::SealJournal));
        for step in &steps {
            run_step(step, &vault)?;
        }
        for path in [
            data.journals().join("open.journal"),
            data.archive().join("old.journal"),
        ] {
            let recovered = journal::read_journal_with(&path, &vault)?;
            assert_eq!(recovered.header.version, journal::SEALED_JOURNAL_VERSION);
            assert_eq!(recovered.events, std::slice::from_ref(&started));
        }
        assert_eq!(
            fs::read_to_string(data.journals().join("broken.journal"))?,
            "garbage"
        );
        assert!(plan(&data).is_empty());
        Ok(())
    }
}
