//! Keys: age public keys (recipients) from the config, identity files (secret keys) to
//! open what was encrypted, and making a new identity (`holdspace keys new`).

use std::io::{self, Write};
use std::path::{Path, PathBuf};

use age::secrecy::{ExposeSecret, SecretString};

use super::VaultError;

/// `~/…` made absolute with the home directory; any other path is kept as it is.
pub fn expand_home(path: &Path) -> PathBuf {
    match (path.strip_prefix("~"), directories::BaseDirs::new()) {
        (Ok(rest), Some(dirs)) => dirs.home_dir().join(rest),
        _ => path.to_owned(),
    }
}

/// Parses `age1…` public keys; the first bad one is the error.
pub fn parse_recipients(keys: &[String]) -> Result<Vec<age::x25519::Recipient>, VaultError> {
    keys.iter()
        .map(|key| {
            key.trim()
                .parse()
                .map_err(|reason: &str| VaultError::BadRecipient {
                    value: key.clone(),
                    reason: reason.to_owned(),
                })
        })
        .collect()
}

/// The identities of an identity file's text: one `AGE-SECRET-KEY-1…` a line, blank
/// lines and `#` comments allowed (the `age-keygen` format). Errors give the line, never
/// its content.
pub fn parse_identities(
    lines: impl Iterator<Item = io::Result<String>>,
    path: &Path,
) -> Result<Vec<age::x25519::Identity>, VaultError> {
    let mut identities = Vec::new();
    for (index, line) in lines.enumerate() {
        let line = line.map_err(|source| VaultError::identity_unreadable(path, source))?;
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let identity = line.parse().map_err(|_| VaultError::BadIdentityFile {
            path: path.to_owned(),
            line: index + 1,
        })?;
        identities.push(identity);
    }
    if identities.is_empty() {
        return Err(VaultError::EmptyIdentityFile {
            path: path.to_owned(),
        });
    }
    Ok(identities)
}

/// The public keys of a plain identity file, to encrypt to when the config names no
/// recipients. A passphrase-protected identity file cannot say its public key without
/// the passphrase, so its public key must be named in `recipients`.
pub fn public_keys_of(path: &Path) -> Result<Vec<age::x25519::Recipient>, VaultError> {
    let bytes = std::fs::read(path).map_err(|source| VaultError::identity_unreadable(path, source))?;
    if bytes.starts_with(super::AGE_MAGIC) {
        return Err(VaultError::in_setting(
            "recipients",
            VaultError::NoPassphrase(format!(
                "{} is passphrase-protected: name its public key (age1…) in recipients",
                path.display()
            )),
        ));
    }
    use io::BufRead as _;
    Ok(parse_identities(bytes.as_slice().lines(), path)?
        .iter()
        .map(age::x25519::Identity::to_public)
        .collect())
}

/// A new identity, as written by [`write_new_identity`].
pub struct NewIdentity {
    pub path: PathBuf,
    /// Its public key (`age1…`), the one to put in `recipients` and to give to others.
    pub public_key: String,
}

/// Makes a new identity and writes it to `path` (owner-only, in an owner-only folder),
/// in the `age-keygen` format the standard tools read. With `passphrase`, the file is
/// itself encrypted with it (age's scrypt), as `age -p` would. An existing file is never
/// overwritten: a lost identity is a lost archive. `created` is an RFC 3339 time.
pub fn write_new_identity(
    path: &Path,
    passphrase: Option<SecretString>,
    created: &str,
) -> Result<NewIdentity, VaultError> {
    let io_error = |source| VaultError::Io {
        path: path.to_owned(),
        source,
    };
    let identity = age::x25519::Identity::generate();
    let public_key = identity.to_public().to_string();
    let text = SecretString::from(format!(
        "# created: {created}\n# public key: {public_key}\n{}\n",
        identity.to_string().expose_secret()
    ));
    let bytes = match passphrase {
        None => text.expose_secret().as_bytes().to_vec(),
        Some(passphrase) => {
            let mut out = Vec::new();
            let mut writer = age::Encryptor::with_user_passphrase(passphrase)
                .wrap_output(&mut out)
                .map_err(io_error)?;
            writer
                .write_all(text.expose_secret().as_bytes())
                .map_err(io_error)?;
            writer.finish().map_err(io_error)?;
            out
        }
    };
    if let Some(dir) = path.parent().filter(|dir| !dir.as_os_str().is_empty()) {
        crate::storage::ensure_private_dir(dir).map_err(io_error)?;
    }
    crate::storage::write_new(path, &bytes).map_err(io_error)?;
    Ok(NewIdentity {
        path: path.to_owned(),
        public_key,
    })
}

/// Where `holdspace keys new` writes the identity unless told: the config dir's
/// `identity.txt`.
pub fn default_identity_path() -> Option<PathBuf> {
    crate::storage::config_dir().map(|dir| dir.join("identity.txt"))
}
