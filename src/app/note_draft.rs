//! The note being written, kept on disk beside the journal (through the vault, owner-only,
//! atomically) at most a second behind the typing, so `kill -9` or a power cut loses at
//! most a second of it: the resumed session brings it back as the draft. Gone once the
//! note is saved or the draft emptied.

use std::path::PathBuf;

use super::effect::Draft;
use crate::storage::DataDir;
use crate::vault::{Vault, sealed_path};

fn path(data: &DataDir, session_id: &str) -> PathBuf {
    data.journals().join(format!("{session_id}.note.ron"))
}

/// Keeps `draft` as the session's note draft; the reason when the disk refused.
pub fn write(vault: &Vault, data: &DataDir, session_id: &str, draft: &Draft) -> Result<(), String> {
    let text = ron::to_string(draft).map_err(|e| e.to_string())?;
    crate::storage::ensure_private_dir(&data.journals()).map_err(|e| e.to_string())?;
    vault
        .write_atomic(&path(data, session_id), text.as_bytes())
        .map(drop)
        .map_err(|e| e.to_string())
}

/// The session's note draft, if one was left and reads.
pub fn read(vault: &Vault, data: &DataDir, session_id: &str) -> Option<Draft> {
    let plain = path(data, session_id);
    let found = [sealed_path(&plain), plain].into_iter().find(|p| p.exists())?;
    let bytes = vault.read(&found).ok()?;
    ron::de::from_bytes(&bytes).ok()
}

/// Forgets the session's note draft.
pub fn remove(data: &DataDir, session_id: &str) {
    let plain = path(data, session_id);
    let _ = std::fs::remove_file(sealed_path(&plain));
    let _ = std::fs::remove_file(plain);
}
