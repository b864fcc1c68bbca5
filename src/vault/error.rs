//! What can go wrong sealing or opening a file, in words a facilitator can act on.

use std::io;
use std::path::{Path, PathBuf};

/// Why a file could not be sealed or opened. Nothing is written or removed on any of these.
#[derive(Debug, thiserror::Error)]
pub enum VaultError {
    #[error("{}: {source}", .file.display())]
    At {
        file: PathBuf,
        #[source]
        source: Box<VaultError>,
    },
    #[error("{}: {source}", .path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
    #[error(
        "the file is encrypted, and the config names no identity to open it: set \
         `encryption: (identity: \"…\")` in the config (see `holdspace keys new`)"
    )]
    NoIdentityConfigured,
    #[error(
        "the identity file {} is missing: encrypted files cannot be opened without it. \
         Restore it from your backup, or ask a second recipient (e.g. the clinic) to open them",
        .path.display()
    )]
    MissingIdentity { path: PathBuf },
    #[error("the identity file {} cannot be read: {source}", .path.display())]
    IdentityUnreadable {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
    #[error("{}, line {line}: this is not an age identity (AGE-SECRET-KEY-1…)", .path.display())]
    BadIdentityFile { path: PathBuf, line: usize },
    #[error("the identity file {} holds no key (AGE-SECRET-KEY-1…)", .path.display())]
    EmptyIdentityFile { path: PathBuf },
    #[error(
        "your identity cannot open this file: it was encrypted to other keys \
         (a different identity, or only the supervisor's)"
    )]
    WrongIdentity,
    #[error("the passphrase is wrong")]
    WrongPassphrase,
    #[error("no passphrase was given ({0})")]
    NoPassphrase(String),
    #[error("the age header is damaged or this is not an age file: it cannot be opened")]
    CorruptHeader,
    #[error("the file was written by a newer age format that this holdspace cannot read")]
    UnknownFormat,
    #[error("the encrypted file is cut short (truncated): its end is missing")]
    Truncated,
    #[error("the encrypted file is damaged: it does not decrypt")]
    Damaged,
    #[error("{value:?} is not an age public key (age1…): {reason}")]
    BadRecipient { value: String, reason: String },
    #[error("encryption.{setting}: {source}")]
    Setting {
        setting: String,
        #[source]
        source: Box<VaultError>,
    },
    #[error("encryption: use either recipients or a passphrase, not both (age cannot mix them)")]
    PassphraseAndRecipients,
    #[error("encryption: nothing to encrypt to: name recipients (age1…), an identity, or passphrase: true")]
    NothingToSealTo,
    #[error("{0:?} is neither a named recipient in the config's encryption.named nor an age1… key")]
    UnknownName(String),
    #[error("could not encrypt: {0}")]
    Encrypt(String),
    #[error("nothing is written, as encryption is on but cannot encrypt: {0}")]
    CannotSeal(String),
}

impl VaultError {
    /// The same error, naming the file it is about.
    pub fn at(self, file: &Path) -> VaultError {
        match self {
            already @ (VaultError::At { .. } | VaultError::Io { .. }) => already,
            other => VaultError::At {
                file: file.to_owned(),
                source: Box::new(other),
            },
        }
    }

    pub(super) fn in_setting(setting: &str, error: VaultError) -> VaultError {
        VaultError::Setting {
            setting: setting.to_owned(),
            source: Box::new(error),
        }
    }

    pub(super) fn identity_unreadable(path: &Path, source: io::Error) -> VaultError {
        if source.kind() == io::ErrorKind::NotFound {
            VaultError::MissingIdentity {
                path: path.to_owned(),
            }
        } else {
            VaultError::IdentityUnreadable {
                path: path.to_owned(),
                source,
            }
        }
    }

    /// The error without the file it names, to tell kinds of failure apart.
    pub fn kind(&self) -> &VaultError {
        match self {
            VaultError::At { source, .. } | VaultError::Setting { source, .. } => source.kind(),
            other => other,
        }
    }
}

/// An age header that did not parse. It began with the magic line of the version this
/// reads, so anything else about it (even "unknown format") is damage.
pub(super) fn header(error: age::DecryptError) -> VaultError {
    match error {
        age::DecryptError::Io(e) if e.kind() == io::ErrorKind::UnexpectedEof => VaultError::Truncated,
        _ => VaultError::CorruptHeader,
    }
}

/// Failing to unwrap the file key with the identity file's keys.
pub(super) fn unwrap_with_identity(error: age::DecryptError) -> VaultError {
    match error {
        age::DecryptError::NoMatchingKeys => VaultError::WrongIdentity,
        other => header(other),
    }
}

/// Failing to unwrap the file key with a passphrase.
pub(super) fn unwrap_with_passphrase(error: age::DecryptError) -> VaultError {
    match error {
        age::DecryptError::NoMatchingKeys
        | age::DecryptError::DecryptionFailed
        | age::DecryptError::KeyDecryptionFailed => VaultError::WrongPassphrase,
        age::DecryptError::ExcessiveWork { .. } => VaultError::CorruptHeader,
        other => header(other),
    }
}
