//! The keys of a link, and sealing frames with them. Nothing here is home-made: SPAKE2
//! (RustCrypto `spake2`, Ed25519 group) turns the join code into a shared secret, HKDF-SHA256
//! derives one key per direction and one confirmation key per direction from it, HMAC-SHA256
//! makes the confirmation tags, ChaCha20-Poly1305 seals every frame.
//!
//! Nonces are a per-direction counter that both ends keep (never sent, never reused): a
//! frame replayed, dropped or moved fails to open, and the link is dropped.

use chacha20poly1305::aead::Aead;
use chacha20poly1305::{ChaCha20Poly1305, Key, KeyInit, Nonce};
use hkdf::Hkdf;
use hmac::{Hmac, Mac};
use sha2::Sha256;
use spake2::{Ed25519Group, Identity, Password, Spake2};

use super::code::normalize_join_code;

/// Binds every key to this protocol and version.
pub(crate) const PROTOCOL_ID: &[u8] = b"holdspace-share-v1";

/// The length of a SPAKE2 message (side byte + compressed Ed25519 point).
pub(crate) const SPAKE_MSG_LEN: usize = 33;

/// The length of a confirmation tag (HMAC-SHA256).
pub(crate) const TAG_LEN: usize = 32;

/// The Poly1305 tag added to every sealed frame.
pub const AEAD_OVERHEAD: usize = 16;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CryptoError {
    #[error("the key exchange failed: {0}")]
    KeyExchange(String),
    #[error("a frame failed authentication (tampered with, replayed or out of order)")]
    Forged,
    #[error("a frame could not be sealed")]
    Seal,
    #[error("the link has sent as many frames as its nonces allow")]
    Exhausted,
}

/// Our half of a SPAKE2 exchange, started from the join code.
pub(crate) struct Exchange {
    spake: Spake2<Ed25519Group>,
    /// The message to send to the peer.
    pub(crate) message: Vec<u8>,
}

impl Exchange {
    pub(crate) fn start(code: &str) -> Exchange {
        let password = Password::new(normalize_join_code(code).as_bytes());
        let (spake, message) =
            Spake2::<Ed25519Group>::start_symmetric(&password, &Identity::new(PROTOCOL_ID));
        Exchange { spake, message }
    }

    /// Finishes with the peer's message. A wrong code still "succeeds" here: the keys just
    /// differ, which the confirmation tags reveal.
    pub(crate) fn finish(
        self,
        client_msg: &[u8],
        server_msg: &[u8],
        peer_msg: &[u8],
    ) -> Result<Agreed, CryptoError> {
        let shared = self
            .spake
            .finish(peer_msg)
            .map_err(|error| CryptoError::KeyExchange(error.to_string()))?;
        Agreed::derive(&shared, client_msg, server_msg)
    }
}

/// What both ends hold after the exchange, if they used the same code.
pub(crate) struct Agreed {
    c2s_key: [u8; 32],
    s2c_key: [u8; 32],
    c2s_confirm: [u8; 32],
    s2c_confirm: [u8; 32],
    transcript: Vec<u8>,
}

impl Agreed {
    fn derive(shared: &[u8], client_msg: &[u8], server_msg: &[u8]) -> Result<Agreed, CryptoError> {
        let hkdf = Hkdf::<Sha256>::new(Some(PROTOCOL_ID), shared);
        let expand = |label: &[u8]| -> Result<[u8; 32], CryptoError> {
            let mut out = [0u8; 32];
            hkdf.expand(label, &mut out)
                .map_err(|_| CryptoError::KeyExchange("key derivation failed".into()))?;
            Ok(out)
        };
        let mut transcript = Vec::with_capacity(2 + client_msg.len() + server_msg.len());
        for msg in [client_msg, server_msg] {
            transcript.push(msg.len() as u8);
            transcript.extend_from_slice(msg);
        }
        Ok(Agreed {
            c2s_key: expand(b"trainee to facilitator: frames")?,
            s2c_key: expand(b"facilitator to trainee: frames")?,
            c2s_confirm: expand(b"trainee to facilitator: confirm")?,
            s2c_confirm: expand(b"facilitator to trainee: confirm")?,
            transcript,
        })
    }

    fn mac(key: &[u8; 32], role: &[u8], transcript: &[u8]) -> Result<Hmac<Sha256>, CryptoError> {
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(key)
            .map_err(|_| CryptoError::KeyExchange("bad confirmation key".into()))?;
        mac.update(role);
        mac.update(transcript);
        Ok(mac)
    }

    /// The tag the trainee sends to prove it knows the code.
    pub(crate) fn client_tag(&self) -> Result<Vec<u8>, CryptoError> {
        Ok(Self::mac(&self.c2s_confirm, b"trainee", &self.transcript)?
            .finalize()
            .into_bytes()
            .to_vec())
    }

    /// The tag the facilitator sends back to prove it knows the code too.
    pub(crate) fn server_tag(&self) -> Result<Vec<u8>, CryptoError> {
        Ok(Self::mac(&self.s2c_confirm, b"facilitator", &self.transcript)?
            .finalize()
            .into_bytes()
            .to_vec())
    }

    /// Compares in constant time.
    pub(crate) fn client_tag_is(&self, tag: &[u8]) -> bool {
        Self::mac(&self.c2s_confirm, b"trainee", &self.transcript)
            .is_ok_and(|mac| mac.verify_slice(tag).is_ok())
    }

    /// Compares in constant time.
    pub(crate) fn server_tag_is(&self, tag: &[u8]) -> bool {
        Self::mac(&self.s2c_confirm, b"facilitator", &self.transcript)
            .is_ok_and(|mac| mac.verify_slice(tag).is_ok())
    }

    /// The trainee's end: seals towards the facilitator, opens what comes back.
    pub(crate) fn client_link(&self) -> (Sealer, Opener) {
        (Sealer::new(&self.c2s_key), Opener::new(&self.s2c_key))
    }

    /// The facilitator's end.
    pub(crate) fn server_link(&self) -> (Sealer, Opener) {
        (Sealer::new(&self.s2c_key), Opener::new(&self.c2s_key))
    }
}

fn nonce(counter: u64) -> Nonce {
    let mut bytes = [0u8; 12];
    bytes[4..].copy_from_slice(&counter.to_be_bytes());
    Nonce::from(bytes)
}

/// Seals the frames of one direction, each with the next nonce.
pub struct Sealer {
    cipher: ChaCha20Poly1305,
    next: u64,
}

impl Sealer {
    fn new(key: &[u8; 32]) -> Sealer {
        Sealer {
            cipher: ChaCha20Poly1305::new(Key::from_slice(key)),
            next: 0,
        }
    }

    pub fn seal(&mut self, plaintext: &[u8]) -> Result<Vec<u8>, CryptoError> {
        if self.next == u64::MAX {
            return Err(CryptoError::Exhausted);
        }
        let sealed = self
            .cipher
            .encrypt(&nonce(self.next), plaintext)
            .map_err(|_| CryptoError::Seal)?;
        self.next += 1;
        Ok(sealed)
    }
}

/// Opens the frames of one direction, in order, each exactly once.
pub struct Opener {
    cipher: ChaCha20Poly1305,
    next: u64,
}

impl Opener {
    fn new(key: &[u8; 32]) -> Opener {
        Opener {
            cipher: ChaCha20Poly1305::new(Key::from_slice(key)),
            next: 0,
        }
    }

    pub fn open(&mut self, sealed: &[u8]) -> Result<Vec<u8>, CryptoError> {
        if self.next == u64::MAX {
            return Err(CryptoError::Exhausted);
        }
        let plain = self
            .cipher
            .decrypt(&nonce(self.next), sealed)
            .map_err(|_| CryptoError::Forged)?;
        self.next += 1;
        Ok(plain)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Runs both halves of the exchange in memory.
    fn agree(client_code: &str, server_code: &str) -> (Agreed, Agreed) {
        let client = Exchange::start(client_code);
        let server = Exchange::start(server_code);
        let (c_msg, s_msg) = (client.message.clone(), server.message.clone());
        assert_eq!(c_msg.len(), SPAKE_MSG_LEN);
        let c = client.finish(&c_msg, &s_msg, &s_msg).expect("client finishes");
        let s = server.finish(&c_msg, &s_msg, &c_msg).expect("server finishes");
        (c, s)
    }

    #[test]
    fn the_same_code_agrees_and_tags_confirm_both_ways() {
        let (c, s) = agree("plum-river-42", "Plum River 42");
        let client_tag = c.client_tag().expect("tag");
        assert_eq!(client_tag.len(), TAG_LEN);
        assert!(s.client_tag_is(&client_tag));
        assert!(c.server_tag_is(&s.server_tag().expect("tag")));
        // A tag of one direction is no good in the other (no reflection).
        assert!(!c.server_tag_is(&client_tag));
        assert!(!s.client_tag_is(&s.server_tag().expect("tag")));
    }

    #[test]
    fn a_wrong_code_fails_confirmation_on_both_ends() {
        let (c, s) = agree("plum-river-42", "plum-river-43");
        assert!(!s.client_tag_is(&c.client_tag().expect("tag")));
        assert!(!c.server_tag_is(&s.server_tag().expect("tag")));
    }

    #[test]
    fn frames_open_in_order_once_and_untampered() {
        let (c, s) = agree("fig-otter-17", "fig-otter-17");
        let (mut c_seal, mut c_open) = c.client_link();
        let (mut s_seal, mut s_open) = s.server_link();

        let one = s_seal.seal(b"one").expect("seal");
        let two = s_seal.seal(b"two").expect("seal");
        assert_eq!(one.len(), 3 + AEAD_OVERHEAD);
        assert_ne!(one, two, "a fresh nonce per frame");
        assert_eq!(c_open.open(&one).expect("opens"), b"one");
        assert_eq!(c_open.open(&one), Err(CryptoError::Forged), "a replay is refused");

        let (c2, s2) = agree("fig-otter-17", "fig-otter-17");
        let (_, mut fresh_open) = c2.client_link();
        let (mut fresh_seal, _) = s2.server_link();
        let first = fresh_seal.seal(b"first").expect("seal");
        let second = fresh_seal.seal(b"second").expect("seal");
        assert_eq!(
            fresh_open.open(&second),
            Err(CryptoError::Forged),
            "out of order is refused"
        );
        assert_eq!(fresh_open.open(&first).expect("in order opens"), b"first");

        assert_eq!(c_open.open(&two).expect("opens"), b"two");
        let mut tampered = s_seal.seal(b"three").expect("seal");
        tampered[1] ^= 0x01;
        assert_eq!(
            c_open.open(&tampered),
            Err(CryptoError::Forged),
            "a flipped bit is refused"
        );

        // The other direction has its own key: a trainee's frame is no server frame.
        let up = c_seal.seal(b"ping").expect("seal");
        assert_eq!(s_open.open(&up).expect("opens"), b"ping");
        let mut s_open_wrong_dir = c.client_link().1;
        assert_eq!(
            s_open_wrong_dir.open(&c_seal.seal(b"x").expect("seal")),
            Err(CryptoError::Forged)
        );
    }

    #[test]
    fn a_wrong_code_cannot_open_frames() {
        let (c, s) = agree("fig-otter-17", "fig-otter-18");
        let (mut s_seal, _) = s.server_link();
        let (_, mut c_open) = c.client_link();
        assert_eq!(
            c_open.open(&s_seal.seal(b"secret").expect("seal")),
            Err(CryptoError::Forged)
        );
    }

    #[test]
    fn a_corrupt_spake_message_is_an_error() {
        let server = Exchange::start("a-b-10");
        let msg = server.message.clone();
        assert!(matches!(
            server.finish(&[1, 2], &msg, &[1, 2]),
            Err(CryptoError::KeyExchange(_))
        ));
    }
}
