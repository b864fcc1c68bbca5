//! Sealed journal lines: the journal stays one record a line, appended and fsynced per
//! event, but each line is encrypted on its own.
//!
//! A sealed journal (version 2) begins with a header line holding a random 32-byte session
//! key, wrapped to the recipients with age (base64 of an age file: `age -d` opens it).
//! Each time the journal is opened for writing (created, or reopened after a crash) a new
//! *run* begins with a line `run <salt>`: the run's key is HKDF-SHA256 of the session key
//! with that fresh random salt and the session id. Records are then `<n> <base64>`: the
//! event's RON line sealed with ChaCha20-Poly1305 under the run key, nonce = the counter
//! `n` (0, 1, 2… within the run).
//!
//! Why runs: a record cut off by a crash had used its counter; after a resume that counter
//! must never seal different bytes under the same key, so every run has its own key. Why
//! a counter: a line removed or moved from the middle no longer decrypts in place, and the
//! reader reports the gap. A sealed line is kept as written until it is on disk, so a
//! retried write repeats the same bytes and never reuses a nonce for other content.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use chacha20poly1305::aead::{Aead, KeyInit};
use chacha20poly1305::{ChaCha20Poly1305, Key, Nonce};
use sha2::Sha256;

/// The session key: random, never written except wrapped with age.
pub(super) struct SessionKey([u8; 32]);

impl SessionKey {
    pub(super) fn generate() -> std::io::Result<SessionKey> {
        let mut key = [0; 32];
        fill_random(&mut key)?;
        Ok(SessionKey(key))
    }

    pub(super) fn from_bytes(bytes: &[u8]) -> Option<SessionKey> {
        bytes.try_into().ok().map(SessionKey)
    }

    pub(super) fn as_bytes(&self) -> &[u8] {
        &self.0
    }

    /// The key of the run that begins with `salt`.
    fn run_cipher(&self, salt: &[u8], session: &str) -> ChaCha20Poly1305 {
        let mut key = Key::default();
        let info = format!("holdspace journal v2 records {session}");
        // 32 bytes is far below HKDF-SHA256's limit of 8160: expansion cannot fail.
        let _ = hkdf::Hkdf::<Sha256>::new(Some(salt), &self.0).expand(info.as_bytes(), &mut key);
        ChaCha20Poly1305::new(&key)
    }
}

fn fill_random(buf: &mut [u8]) -> std::io::Result<()> {
    getrandom::fill(buf).map_err(|e| std::io::Error::other(format!("no random numbers from the system: {e}")))
}

const RUN_PREFIX: &str = "run ";
const SALT_LEN: usize = 16;

fn nonce(counter: u64) -> Nonce {
    let mut nonce = Nonce::default();
    nonce[4..].copy_from_slice(&counter.to_be_bytes());
    nonce
}

/// Seals the records of one run.
pub(super) struct Sealer {
    cipher: ChaCha20Poly1305,
    next: u64,
    /// The run's first line, written with its first record.
    marker: Option<String>,
}

impl std::fmt::Debug for Sealer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Sealer")
            .field("next", &self.next)
            .finish_non_exhaustive()
    }
}

impl Sealer {
    /// A new run with a fresh salt.
    pub(super) fn new_run(key: &SessionKey, session: &str) -> std::io::Result<Sealer> {
        let mut salt = [0; SALT_LEN];
        fill_random(&mut salt)?;
        Ok(Sealer {
            cipher: key.run_cipher(&salt, session),
            next: 0,
            marker: Some(format!("{RUN_PREFIX}{}\n", BASE64.encode(salt))),
        })
    }

    /// `record` (one line, no newline) sealed as a journal line, newline included; the
    /// run's marker line goes before the first one.
    pub(super) fn seal(&mut self, record: &str) -> std::io::Result<String> {
        let sealed = self
            .cipher
            .encrypt(&nonce(self.next), record.as_bytes())
            .map_err(|_| std::io::Error::other("a journal record could not be encrypted"))?;
        let line = format!("{} {}\n", self.next, BASE64.encode(sealed));
        self.next += 1;
        Ok(match self.marker.take() {
            Some(marker) => marker + &line,
            None => line,
        })
    }
}

/// What one line of a sealed journal held.
pub(super) enum Line {
    /// A run began.
    Run,
    /// A record's text; `gap` says how many records before it are missing.
    Record { text: String, gap: u64 },
}

/// Opens the lines of a sealed journal in order.
pub(super) struct Opener {
    key: SessionKey,
    session: String,
    /// The current run's key and the counter expected next.
    run: Option<(ChaCha20Poly1305, u64)>,
}

impl Opener {
    pub(super) fn new(key: SessionKey, session: &str) -> Opener {
        Opener {
            key,
            session: session.to_owned(),
            run: None,
        }
    }

    /// One line (without its newline); an error says why it is unreadable.
    pub(super) fn open(&mut self, line: &str) -> Result<Line, String> {
        if let Some(salt) = line.strip_prefix(RUN_PREFIX) {
            let salt = BASE64
                .decode(salt.trim())
                .ok()
                .filter(|salt| salt.len() == SALT_LEN)
                .ok_or("a damaged run marker")?;
            self.run = Some((self.key.run_cipher(&salt, &self.session), 0));
            return Ok(Line::Run);
        }
        let (counter, sealed) = line.split_once(' ').ok_or("not a sealed record")?;
        let counter: u64 = counter.parse().map_err(|_| "not a sealed record")?;
        let sealed = BASE64
            .decode(sealed.trim())
            .map_err(|_| "a damaged sealed record")?;
        let (cipher, expected) = self.run.as_mut().ok_or("a sealed record before any run marker")?;
        if counter < *expected {
            return Err(format!(
                "record {counter} of this run appears twice or out of order"
            ));
        }
        let plain = cipher
            .decrypt(&nonce(counter), sealed.as_slice())
            .map_err(|_| "it does not decrypt (damaged, or not of this journal)")?;
        let text = String::from_utf8(plain).map_err(|_| "its decrypted text is not UTF-8")?;
        let gap = counter - *expected;
        *expected = counter + 1;
        Ok(Line::Record { text, gap })
    }

    pub(super) fn into_key(self) -> SessionKey {
        self.key
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn opened(opener: &mut Opener, line: &str) -> Result<(String, u64), String> {
        match opener.open(line.trim_end_matches('\n'))? {
            Line::Record { text, gap } => Ok((text, gap)),
            Line::Run => Err("a run marker".into()),
        }
    }

    #[test]
    fn records_open_in_order_and_gaps_and_replays_are_caught() -> Result<(), String> {
        let key = SessionKey::generate().map_err(|e| e.to_string())?;
        let mut sealer = Sealer::new_run(&key, "s1").map_err(|e| e.to_string())?;
        let lines: Vec<String> = ["a", "b", "c"]
            .iter()
            .map(|r| sealer.seal(r))
            .collect::<Result<_, _>>()
            .map_err(|e| e.to_string())?;
        let (marker, first) = lines[0].split_once('\n').ok_or("marker first")?;
        assert!(marker.starts_with("run "));
        let mut opener = Opener::new(SessionKey(key.0), "s1");
        assert!(matches!(opener.open(marker), Ok(Line::Run)));
        assert_eq!(opened(&mut opener, first)?, ("a".into(), 0));
        // "b" is lost: "c" still opens, and the gap is reported.
        assert_eq!(opened(&mut opener, &lines[2])?, ("c".into(), 1));
        assert!(
            opened(&mut opener, &lines[1]).is_err(),
            "an old record replayed later is refused"
        );
        Ok(())
    }

    #[test]
    fn another_session_or_run_does_not_open() -> Result<(), String> {
        let key = SessionKey::generate().map_err(|e| e.to_string())?;
        let mut sealer = Sealer::new_run(&key, "s1").map_err(|e| e.to_string())?;
        let line = sealer.seal("secret").map_err(|e| e.to_string())?;
        let (marker, record) = line.split_once('\n').ok_or("marker first")?;
        let mut other_session = Opener::new(SessionKey(key.0), "s2");
        other_session.open(marker)?;
        assert!(opened(&mut other_session, record).is_err());
        let mut without_run = Opener::new(SessionKey(key.0), "s1");
        assert!(opened(&mut without_run, record).is_err());
        let mut flipped = Opener::new(SessionKey(key.0), "s1");
        flipped.open(marker)?;
        // One base64 character changed inside the ciphertext: the tag no longer matches.
        let mut damaged: Vec<char> = record.chars().collect();
        let at = damaged.len() / 2;
        damaged[at] = if damaged[at] == 'A' { 'B' } else { 'A' };
        let damaged: String = damaged.into_iter().collect();
        assert!(opened(&mut flipped, &damaged).is_err());
        Ok(())
    }
}
