//! How a passphrase is obtained: the caller decides (a prompt on the terminal before the
//! console starts, a popup inside it, a test's fixed value); the vault asks at most once
//! per run and keeps one that worked.

use std::io::Write;

use age::secrecy::SecretString;
use crossterm::event::{self, Event, KeyCode, KeyEventKind, KeyModifiers};

use super::VaultError;

/// Where a passphrase comes from.
pub trait PassphraseSource: Send + Sync {
    /// Asks for the passphrase; `purpose` says what for ("to open the encrypted files").
    /// A refusal (no terminal, cancelled) is [`VaultError::NoPassphrase`].
    fn passphrase(&self, purpose: &str) -> Result<SecretString, VaultError>;
}

/// Never gives one: for vaults that must not ask (a plain vault, a script).
#[derive(Debug, Default)]
pub struct NoPassphrase;

impl PassphraseSource for NoPassphrase {
    fn passphrase(&self, _purpose: &str) -> Result<SecretString, VaultError> {
        Err(VaultError::NoPassphrase("nothing here can ask for one".into()))
    }
}

/// Asks on the terminal without echoing, before a full-screen console takes it over.
/// With `HOLDSPACE_PASSPHRASE` set (for scripts and tests) that is used instead.
#[derive(Debug, Default)]
pub struct TerminalPrompt;

/// The environment variable a script can set instead of typing the passphrase.
pub const PASSPHRASE_ENV: &str = "HOLDSPACE_PASSPHRASE";

impl PassphraseSource for TerminalPrompt {
    fn passphrase(&self, purpose: &str) -> Result<SecretString, VaultError> {
        if let Ok(given) = std::env::var(PASSPHRASE_ENV) {
            return Ok(SecretString::from(given));
        }
        read_hidden(&format!("holdspace passphrase ({purpose}): "))
    }
}

/// Reads one line from the terminal in raw mode, so it is not echoed; Esc or Ctrl-C
/// cancels.
fn read_hidden(prompt: &str) -> Result<SecretString, VaultError> {
    let no_terminal = |e: std::io::Error| VaultError::NoPassphrase(format!("no terminal to ask on: {e}"));
    let mut err = std::io::stderr();
    let _ = write!(err, "{prompt}");
    let _ = err.flush();
    crossterm::terminal::enable_raw_mode().map_err(no_terminal)?;
    let typed = (|| {
        let mut typed = String::new();
        loop {
            let Event::Key(key) = event::read()? else { continue };
            if key.kind == KeyEventKind::Release {
                continue;
            }
            match key.code {
                KeyCode::Enter => return Ok(Some(typed)),
                KeyCode::Esc => return Ok(None),
                KeyCode::Char('c') if key.modifiers.contains(KeyModifiers::CONTROL) => return Ok(None),
                KeyCode::Backspace => {
                    typed.pop();
                }
                KeyCode::Char(c) => typed.push(c),
                _ => {}
            }
        }
    })();
    let _ = crossterm::terminal::disable_raw_mode();
    let _ = writeln!(err);
    match typed.map_err(no_terminal)? {
        Some(text) if !text.is_empty() => Ok(SecretString::from(text)),
        _ => Err(VaultError::NoPassphrase("cancelled".into())),
    }
}
