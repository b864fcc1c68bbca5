//! How a passphrase is obtained: the caller decides (a prompt on the terminal before the
//! console starts, a popup inside it, a test's fixed value); the vault asks at most once
//! per run and keeps one that worked.

use std::collections::HashMap;
use std::io::Write;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, PoisonError};

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

/// Asks `inner` at most once per run for each purpose, whatever the answer: a wrong
/// passphrase is not asked again (the files it does not open say so), and askers on other
/// threads wait for the one prompt. After [`AskOnce::close`] nothing more is asked: for a
/// program whose full-screen view owns the terminal from then on.
pub struct AskOnce {
    inner: Box<dyn PassphraseSource>,
    answers: Mutex<HashMap<String, Result<SecretString, String>>>,
    closed: AtomicBool,
}

impl AskOnce {
    pub fn new(inner: impl PassphraseSource + 'static) -> AskOnce {
        AskOnce {
            inner: Box::new(inner),
            answers: Mutex::new(HashMap::new()),
            closed: AtomicBool::new(false),
        }
    }

    /// Asks nothing from now on; answers already given are still given.
    pub fn close(&self) {
        self.closed.store(true, Ordering::SeqCst);
    }
}

impl PassphraseSource for AskOnce {
    fn passphrase(&self, purpose: &str) -> Result<SecretString, VaultError> {
        // Held while asking, so a second asker waits for this answer instead of a prompt.
        let mut answers = self.answers.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(answer) = answers.get(purpose) {
            return answer.clone().map_err(VaultError::NoPassphrase);
        }
        if self.closed.load(Ordering::SeqCst) {
            return Err(VaultError::NoPassphrase(
                "it is asked only when holdspace starts; start it again to give it".into(),
            ));
        }
        let answer = self.inner.passphrase(purpose).map_err(|error| match error {
            VaultError::NoPassphrase(why) => why,
            other => other.to_string(),
        });
        answers.insert(purpose.to_owned(), answer.clone());
        answer.map_err(VaultError::NoPassphrase)
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
