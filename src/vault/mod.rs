//! Encryption at rest with age: every writer of client data seals its bytes through a
//! [`Vault`], and every reader opens them through one, so turning encryption on in the
//! config changes what reaches the disk without each writer knowing how.
//!
//! - A **plain** vault (encryption off, the default) passes bytes through unchanged.
//! - An **encrypting** vault seals whole files in the standard age format (`age -d` and
//!   `rage -d` read them) to the configured recipients (x25519 public keys), or to a
//!   passphrase (scrypt). Files it writes are named `<name>.age`.
//! - Either kind reads both plain and age files, so an archive that is half encrypted
//!   (turned on midway, or by `holdspace encrypt-archive` interrupted) still opens.
//!
//! Decrypting needs the identity file named in the config, or the passphrase. Both are
//! loaded at the first file that needs them and kept for the rest of the run, so a
//! passphrase is asked at most once; how it is asked is the caller's
//! [`PassphraseSource`] (a terminal prompt for the CLI, a popup for a console).
//!
//! The journal cannot be one age stream (it is appended and fsynced per event): it seals
//! each line itself with a session key that is wrapped with [`Vault::seal`] (see
//! `crate::journal`).

mod error;
mod files;
pub mod keys;
pub mod migrate;
mod passphrase;
pub mod retention;

#[cfg(test)]
mod tests;

use std::collections::BTreeMap;
use std::io::{BufRead, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};

pub use age::secrecy::{ExposeSecret, SecretString};
pub use error::VaultError;
pub use files::{AGE_EXTENSION, is_age, logical_path, sealed_path};
pub use passphrase::{AskOnce, NoPassphrase, PassphraseSource, TerminalPrompt};

use crate::config::Encryption;

/// The first bytes of every binary age file of the version this reads.
const AGE_MAGIC: &[u8] = b"age-encryption.org/v1\n";
/// The first bytes of an age file of any version.
const AGE_ANY_VERSION: &[u8] = b"age-encryption.org/";

/// Whether a file's bytes are sealed (an age file), whatever its name: what
/// [`Vault::open`] decrypts rather than returns as it is.
pub fn is_sealed(bytes: &[u8]) -> bool {
    bytes.starts_with(AGE_ANY_VERSION)
}

/// What a vault seals to. Reading does not depend on it.
enum Seal {
    /// Encryption is off: bytes are written as they are.
    Plain,
    /// The age recipients every file is encrypted to.
    Recipients(Vec<age::x25519::Recipient>),
    /// A passphrase (age's scrypt recipient), asked once per run.
    Passphrase,
    /// Encryption is on but the config cannot seal: every write is refused with this.
    Refused(String),
}

/// How encrypted files are opened: the identity file and the passphrase, each obtained at
/// most once per run and shared by every vault cloned or derived from the first.
struct Unlock {
    identity: Option<PathBuf>,
    ask: Arc<dyn PassphraseSource>,
    /// The identities from the identity file, once loaded (or why they cannot be).
    identities: Mutex<Identities>,
    /// A passphrase that has opened something (or was given for sealing) this run.
    passphrase: Mutex<Option<SecretString>>,
    /// Named sets of recipients from the config, e.g. `"supervisor"`.
    named: BTreeMap<String, Vec<String>>,
}

/// The identity file's keys as far as this run knows them.
enum Identities {
    NotYet,
    Loaded(Arc<Vec<age::x25519::Identity>>),
    /// Its passphrase was wrong or not given: asking again this run would not help, and
    /// trying it again on every file would cost a second of scrypt each time.
    Locked {
        wrong: bool,
        why: String,
    },
}

/// Seals and opens client data. Cheap to clone; every clone shares the unlocked keys.
#[derive(Clone)]
pub struct Vault {
    seal: Arc<Seal>,
    unlock: Arc<Unlock>,
}

impl std::fmt::Debug for Vault {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let seal = match &*self.seal {
            Seal::Plain => "plain".to_owned(),
            Seal::Recipients(list) => format!("{} recipient(s)", list.len()),
            Seal::Passphrase => "passphrase".to_owned(),
            Seal::Refused(_) => "refused".to_owned(),
        };
        f.debug_struct("Vault")
            .field("seal", &seal)
            .field("identity", &self.unlock.identity)
            .finish_non_exhaustive()
    }
}

impl Default for Vault {
    fn default() -> Self {
        Vault::plain()
    }
}

impl Vault {
    /// Encryption off: writes plain files. It still reads age files if it is given a
    /// way to open them, which a plain vault is not: they are refused with a clear error.
    pub fn plain() -> Vault {
        Vault {
            seal: Arc::new(Seal::Plain),
            unlock: Arc::new(Unlock {
                identity: None,
                ask: Arc::new(NoPassphrase),
                identities: Mutex::new(Identities::NotYet),
                passphrase: Mutex::new(None),
                named: BTreeMap::new(),
            }),
        }
    }

    /// The vault the config asks for: plain without an `encryption` setting. `ask` is how
    /// a passphrase is obtained when one is needed (at most once per run).
    ///
    /// Recipients are checked here, so a typo is reported before anything is written.
    /// With an identity file but no recipients, files are encrypted to that identity.
    pub fn from_config(
        encryption: Option<&Encryption>,
        ask: Arc<dyn PassphraseSource>,
    ) -> Result<Vault, VaultError> {
        let Some(encryption) = encryption else {
            return Ok(Vault::plain());
        };
        let identity = encryption.identity.as_deref().map(keys::expand_home);
        let unlock = Arc::new(Unlock {
            identity: identity.clone(),
            ask,
            identities: Mutex::new(Identities::NotYet),
            passphrase: Mutex::new(None),
            named: encryption.named.clone(),
        });
        for (name, list) in &encryption.named {
            keys::parse_recipients(list).map_err(|e| VaultError::in_setting(&format!("named.{name}"), e))?;
        }
        let seal = match (encryption.passphrase, encryption.recipients.is_empty()) {
            (true, false) => return Err(VaultError::PassphraseAndRecipients),
            (true, true) => Seal::Passphrase,
            (false, false) => Seal::Recipients(
                keys::parse_recipients(&encryption.recipients)
                    .map_err(|e| VaultError::in_setting("recipients", e))?,
            ),
            (false, true) => match &identity {
                Some(path) => Seal::Recipients(keys::public_keys_of(path)?),
                None => return Err(VaultError::NothingToSealTo),
            },
        };
        Ok(Vault {
            seal: Arc::new(seal),
            unlock,
        })
    }

    /// Like [`Vault::from_config`], for a program that mostly reads (the review): when
    /// the config cannot seal (the identity file to take the public key from is missing,
    /// say) it still opens whatever it can, and every write through it is refused with
    /// that reason, never made in plain. The reason is returned beside it to be told once.
    pub fn from_config_for_reading(
        encryption: Option<&Encryption>,
        ask: Arc<dyn PassphraseSource>,
    ) -> (Vault, Option<VaultError>) {
        match Vault::from_config(encryption, Arc::clone(&ask)) {
            Ok(vault) => (vault, None),
            Err(error) => {
                let encryption = encryption.cloned().unwrap_or_default();
                let vault = Vault {
                    seal: Arc::new(Seal::Refused(error.to_string())),
                    unlock: Arc::new(Unlock {
                        identity: encryption.identity.as_deref().map(keys::expand_home),
                        ask,
                        identities: Mutex::new(Identities::NotYet),
                        passphrase: Mutex::new(None),
                        named: encryption.named,
                    }),
                };
                (vault, Some(error))
            }
        }
    }

    /// Obtains now whatever sealing and opening will need (the identity file, a
    /// passphrase), so that nothing asks later, e.g. while a full-screen console owns the
    /// terminal. Call it before the console starts; a plain vault needs nothing.
    pub fn prepare(&self) -> Result<(), VaultError> {
        if matches!(*self.seal, Seal::Passphrase) {
            self.unlock.passphrase_for_sealing()?;
        }
        if self.unlock.identity.is_some() {
            self.unlock.identities()?;
        }
        Ok(())
    }

    /// Whether files written through this vault are encrypted.
    pub fn is_encrypting(&self) -> bool {
        !matches!(*self.seal, Seal::Plain)
    }

    /// A vault that seals to `names_or_keys` alone (each a name from the config's
    /// `named` recipients, e.g. `"supervisor"`, or an `age1…` public key) and opens with
    /// the same identity as this one. For a file meant for one reader only, such as a
    /// summary for the supervisor.
    pub fn sealing_to(&self, names_or_keys: &[&str]) -> Result<Vault, VaultError> {
        let mut keys = Vec::new();
        for item in names_or_keys {
            let list = match self.unlock.named.get(*item) {
                Some(list) => keys::parse_recipients(list)?,
                None if item.starts_with("age1") => keys::parse_recipients(&[(*item).to_owned()])?,
                None => return Err(VaultError::UnknownName((*item).to_owned())),
            };
            keys.extend(list);
        }
        if keys.is_empty() {
            return Err(VaultError::NothingToSealTo);
        }
        Ok(Vault {
            seal: Arc::new(Seal::Recipients(keys)),
            unlock: Arc::clone(&self.unlock),
        })
    }

    /// `path` as this vault writes it: with `.age` added when encrypting.
    pub fn path_for(&self, path: &Path) -> PathBuf {
        if self.is_encrypting() {
            sealed_path(path)
        } else {
            path.to_owned()
        }
    }

    /// The bytes to write: `plain` itself when encryption is off, else an age file.
    pub fn seal(&self, plain: &[u8]) -> Result<Vec<u8>, VaultError> {
        let encryptor = match &*self.seal {
            Seal::Plain => return Ok(plain.to_vec()),
            Seal::Recipients(list) => {
                age::Encryptor::with_recipients(list.iter().map(|r| r as &dyn age::Recipient))
                    .map_err(|e| VaultError::Encrypt(e.to_string()))?
            }
            Seal::Passphrase => age::Encryptor::with_user_passphrase(self.unlock.passphrase_for_sealing()?),
            Seal::Refused(why) => return Err(VaultError::CannotSeal(why.clone())),
        };
        let mut out = Vec::with_capacity(plain.len() + 256);
        let encrypt = |out: &mut Vec<u8>| -> std::io::Result<()> {
            let mut writer = encryptor.wrap_output(out)?;
            writer.write_all(plain)?;
            writer.finish()?;
            Ok(())
        };
        encrypt(&mut out).map_err(|e| VaultError::Encrypt(e.to_string()))?;
        Ok(out)
    }

    /// The plain bytes of what a file holds: an age file is decrypted, anything else is
    /// returned as it is (so plain files written before encryption was on still open).
    pub fn open(&self, bytes: &[u8]) -> Result<Vec<u8>, VaultError> {
        if !bytes.starts_with(AGE_ANY_VERSION) {
            // The beginning of the magic line alone: an age file cut off in its first line.
            if bytes.len() >= 4 && AGE_ANY_VERSION.starts_with(bytes) {
                return Err(VaultError::Truncated);
            }
            return Ok(bytes.to_vec());
        }
        if !bytes.starts_with(AGE_MAGIC) {
            return Err(VaultError::UnknownFormat);
        }
        let decryptor = age::Decryptor::new_buffered(bytes).map_err(error::header)?;
        let scrypt;
        let identities;
        let reader = if decryptor.is_scrypt() {
            let passphrase = self.unlock.passphrase("to open the encrypted files")?;
            scrypt = age::scrypt::Identity::new(passphrase.clone());
            let reader = decryptor
                .decrypt(std::iter::once(&scrypt as &dyn age::Identity))
                .map_err(error::unwrap_with_passphrase)?;
            self.unlock.remember(passphrase);
            reader
        } else {
            identities = self.unlock.identities()?;
            decryptor
                .decrypt(identities.iter().map(|i| i as &dyn age::Identity))
                .map_err(error::unwrap_with_identity)?
        };
        read_payload(reader)
    }

    /// Reads `path`, plain or age, and opens it. Errors name the file.
    pub fn read(&self, path: &Path) -> Result<Vec<u8>, VaultError> {
        let bytes = std::fs::read(path).map_err(|source| VaultError::Io {
            path: path.to_owned(),
            source,
        })?;
        self.open(&bytes).map_err(|e| e.at(path))
    }

    /// Writes `plain` as a new file at [`Vault::path_for`]`(path)`, owner-only and
    /// atomically, never replacing an existing file. Returns the path written.
    pub fn write_new(&self, path: &Path, plain: &[u8]) -> Result<PathBuf, VaultError> {
        self.write_with(path, plain, crate::storage::write_new)
    }

    /// Writes `plain` at [`Vault::path_for`]`(path)`, owner-only and atomically, replacing
    /// what was there. Returns the path written.
    pub fn write_atomic(&self, path: &Path, plain: &[u8]) -> Result<PathBuf, VaultError> {
        self.write_with(path, plain, crate::storage::write_atomic)
    }

    fn write_with(
        &self,
        path: &Path,
        plain: &[u8],
        write: impl FnOnce(&Path, &[u8]) -> std::io::Result<()>,
    ) -> Result<PathBuf, VaultError> {
        let target = self.path_for(path);
        let bytes = self.seal(plain).map_err(|e| e.at(&target))?;
        write(&target, &bytes).map_err(|source| VaultError::Io {
            path: target.clone(),
            source,
        })?;
        Ok(target)
    }

    /// One record of an append-only text file (a sign-off sidecar, say) as one line
    /// without its newline: `record` itself when encryption is off, else `age:` and the
    /// age file in base64 (`… | cut -c5- | base64 -d | age -d` reads it).
    pub fn seal_line(&self, record: &str) -> Result<String, VaultError> {
        if !self.is_encrypting() {
            return Ok(record.to_owned());
        }
        use base64::Engine as _;
        let sealed = self.seal(record.as_bytes())?;
        Ok(format!(
            "{LINE_PREFIX}{}",
            base64::engine::general_purpose::STANDARD.encode(sealed)
        ))
    }

    /// The record of a line written by [`Vault::seal_line`], sealed or not.
    pub fn open_line(&self, line: &str) -> Result<String, VaultError> {
        let Some(encoded) = line.strip_prefix(LINE_PREFIX) else {
            return Ok(line.to_owned());
        };
        use base64::Engine as _;
        let sealed = base64::engine::general_purpose::STANDARD
            .decode(encoded.trim_end())
            .map_err(|_| VaultError::Damaged)?;
        String::from_utf8(self.open(&sealed)?).map_err(|_| VaultError::Damaged)
    }
}

/// A vault sealing to a new identity made in `dir`: for the tests of what writes through
/// one.
#[cfg(test)]
pub(crate) fn sealing_to_a_new_identity(dir: &Path) -> Result<Vault, VaultError> {
    let identity = dir.join("identity.txt");
    keys::write_new_identity(&identity, None, "2026-01-01T00:00:00Z")?;
    let encryption = Encryption {
        identity: Some(identity),
        ..Encryption::default()
    };
    Vault::from_config(Some(&encryption), Arc::new(NoPassphrase))
}

/// How a line sealed by [`Vault::seal_line`] begins.
const LINE_PREFIX: &str = "age:";

fn read_payload(mut reader: impl Read) -> Result<Vec<u8>, VaultError> {
    let mut plain = Vec::new();
    reader.read_to_end(&mut plain).map_err(|e| match e.kind() {
        std::io::ErrorKind::UnexpectedEof => VaultError::Truncated,
        _ => VaultError::Damaged,
    })?;
    Ok(plain)
}

impl Unlock {
    /// The passphrase: the one already given this run, else asked now.
    fn passphrase(&self, purpose: &str) -> Result<SecretString, VaultError> {
        let cached = self
            .passphrase
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone();
        match cached {
            Some(passphrase) => Ok(passphrase),
            None => self.ask.passphrase(purpose),
        }
    }

    /// The passphrase to seal with. One not yet known to work is asked twice, so a typo
    /// never seals files to a passphrase nobody knows.
    fn passphrase_for_sealing(&self) -> Result<SecretString, VaultError> {
        if let Some(known) = self
            .passphrase
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
        {
            return Ok(known);
        }
        let first = self.ask.passphrase("to encrypt what holdspace saves")?;
        let again = self.ask.passphrase("the same again, to confirm")?;
        if first.expose_secret() != again.expose_secret() {
            return Err(VaultError::NoPassphrase("the two passphrases differ".into()));
        }
        self.remember(first.clone());
        Ok(first)
    }

    /// Keeps a passphrase that worked, so it is not asked again this run.
    fn remember(&self, passphrase: SecretString) {
        *self.passphrase.lock().unwrap_or_else(PoisonError::into_inner) = Some(passphrase);
    }

    /// The identities of the identity file, loaded on first use (asking for its
    /// passphrase if the file is itself age-encrypted).
    fn identities(&self) -> Result<Arc<Vec<age::x25519::Identity>>, VaultError> {
        let mut slot = self.identities.lock().unwrap_or_else(PoisonError::into_inner);
        let path = self.identity.as_deref().ok_or(VaultError::NoIdentityConfigured)?;
        match &*slot {
            Identities::NotYet => {}
            Identities::Loaded(loaded) => return Ok(Arc::clone(loaded)),
            Identities::Locked { wrong: true, .. } => return Err(VaultError::WrongPassphrase.at(path)),
            Identities::Locked { why, .. } => return Err(VaultError::NoPassphrase(why.clone()).at(path)),
        }
        let loaded = self.load_identities(path);
        match &loaded {
            Ok(identities) => *slot = Identities::Loaded(Arc::clone(identities)),
            Err(error) => match error.kind() {
                VaultError::WrongPassphrase => {
                    *slot = Identities::Locked {
                        wrong: true,
                        why: String::new(),
                    }
                }
                VaultError::NoPassphrase(why) => {
                    *slot = Identities::Locked {
                        wrong: false,
                        why: why.clone(),
                    }
                }
                _ => {}
            },
        }
        loaded
    }

    fn load_identities(&self, path: &Path) -> Result<Arc<Vec<age::x25519::Identity>>, VaultError> {
        let bytes = std::fs::read(path).map_err(|source| VaultError::identity_unreadable(path, source))?;
        let text = if bytes.starts_with(AGE_MAGIC) {
            let passphrase = self.passphrase("to unlock your identity file")?;
            let decryptor =
                age::Decryptor::new_buffered(&bytes[..]).map_err(|e| error::header(e).at(path))?;
            let scrypt = age::scrypt::Identity::new(passphrase.clone());
            let reader = decryptor
                .decrypt(std::iter::once(&scrypt as &dyn age::Identity))
                .map_err(|e| error::unwrap_with_passphrase(e).at(path))?;
            let text = read_payload(reader).map_err(|e| e.at(path))?;
            self.remember(passphrase);
            text
        } else {
            bytes
        };
        Ok(Arc::new(keys::parse_identities(text.as_slice().lines(), path)?))
    }
}
