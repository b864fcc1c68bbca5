//! The handshake: both ends prove they hold the same join code, without sending it.
//!
//! ```text
//! trainee                                   facilitator
//!   hello: MAGIC ‖ spake(T)            ─►
//!                                      ◄─   PROCEED ‖ spake(F)   (or THROTTLED ‖ wait ms, BUSY)
//!   tag_T = HMAC(confirm_T, transcript) ─►
//!                                      ◄─   ACCEPTED ‖ tag_F     (or REFUSED: wrong code,
//!                                                                 THROTTLED ‖ wait ms)
//! ```
//!
//! The facilitator takes a place in its bound on guessing only once a tag has come: a
//! handshake that stops after its hello checks no code, so it holds no place.
//!
//! Every frame here is plaintext and tiny; nothing in it says anything about the session.
//! The status words (proceed, throttled with its wait, busy, refused, accepted) travel in
//! clear: an eavesdropper learns that someone tried to join and how it went, never the
//! code (SPAKE2 reveals nothing about it) nor anything of the session.
//! The trainee speaks first with its tag, so the facilitator always learns of a wrong code
//! (and counts and throttles it); the trainee then checks the facilitator's tag, so an
//! impostor without the code is refused too. Only after that do sealed frames flow.

use std::time::Duration;

use tokio::io::{AsyncRead, AsyncWrite};

use super::crypto::{Agreed, CryptoError, Exchange, Opener, SPAKE_MSG_LEN, Sealer, TAG_LEN};
use super::frame::{FrameError, MAX_HANDSHAKE_FRAME, read_frame, write_frame};

/// The first bytes a trainee sends: which protocol, which version.
pub(crate) const MAGIC: &[u8] = b"HOLDSPACE-SHARE/1";

const PROCEED: u8 = 1;
const THROTTLED: u8 = 2;
const BUSY: u8 = 3;
const REFUSED: u8 = 4;
const ACCEPTED: u8 = 5;

#[derive(Debug, thiserror::Error)]
pub enum HandshakeError {
    #[error("the join code was refused")]
    WrongCode,
    #[error("too many wrong codes from this address: the facilitator accepts the next try in {}s", .0.as_secs_f32().ceil())]
    Throttled(Duration),
    #[error("the facilitator is busy with other trainees joining")]
    Busy,
    #[error("the peer does not speak this protocol: {0}")]
    Protocol(String),
    #[error(transparent)]
    Frame(#[from] FrameError),
    #[error(transparent)]
    Crypto(#[from] CryptoError),
}

fn protocol(what: &str) -> HandshakeError {
    HandshakeError::Protocol(what.to_owned())
}

/// The trainee's half. Returns the sealer (towards the facilitator) and opener.
pub(crate) async fn client_handshake<S>(
    stream: &mut S,
    code: &str,
) -> Result<(Sealer, Opener), HandshakeError>
where
    S: AsyncRead + AsyncWrite + Unpin,
{
    let exchange = Exchange::start(code);
    let mut hello = MAGIC.to_vec();
    hello.extend_from_slice(&exchange.message);
    write_frame(stream, &hello).await?;

    let reply = read_frame(stream, MAX_HANDSHAKE_FRAME).await?;
    let server_msg = match reply.split_first() {
        Some((&PROCEED, msg)) if msg.len() == SPAKE_MSG_LEN => msg.to_vec(),
        Some((&THROTTLED, wait)) if wait.len() == 4 => {
            let ms = u32::from_be_bytes([wait[0], wait[1], wait[2], wait[3]]);
            return Err(HandshakeError::Throttled(Duration::from_millis(u64::from(ms))));
        }
        Some((&BUSY, [])) => return Err(HandshakeError::Busy),
        _ => return Err(protocol("an unexpected reply to hello")),
    };
    let client_msg = exchange.message.clone();
    let agreed = exchange.finish(&client_msg, &server_msg, &server_msg)?;
    write_frame(stream, &agreed.client_tag()?).await?;

    let verdict = read_frame(stream, MAX_HANDSHAKE_FRAME).await?;
    match verdict.split_first() {
        Some((&THROTTLED, wait)) if wait.len() == 4 => {
            let ms = u32::from_be_bytes([wait[0], wait[1], wait[2], wait[3]]);
            Err(HandshakeError::Throttled(Duration::from_millis(u64::from(ms))))
        }
        Some((&ACCEPTED, tag)) if tag.len() == TAG_LEN => {
            if agreed.server_tag_is(tag) {
                Ok(agreed.client_link())
            } else {
                // It accepted a code it cannot prove it holds: not our facilitator.
                Err(HandshakeError::WrongCode)
            }
        }
        Some((&REFUSED, [])) => Err(HandshakeError::WrongCode),
        _ => Err(protocol("an unexpected verdict")),
    }
}

/// The trainee's hello: its half of the key exchange. Anything else is no trainee.
pub(crate) async fn read_hello<S>(stream: &mut S) -> Result<Vec<u8>, HandshakeError>
where
    S: AsyncRead + Unpin,
{
    let hello = read_frame(stream, MAX_HANDSHAKE_FRAME).await?;
    match hello.strip_prefix(MAGIC) {
        Some(msg) if msg.len() == SPAKE_MSG_LEN => Ok(msg.to_vec()),
        _ => Err(protocol("not a holdspace trainee")),
    }
}

/// Tells the trainee to try again after `wait`, without checking its code (after its hello,
/// or after its tag).
pub(crate) async fn turn_away<S>(stream: &mut S, wait: Duration) -> Result<(Sealer, Opener), HandshakeError>
where
    S: AsyncWrite + Unpin,
{
    let ms = u32::try_from(wait.as_millis()).unwrap_or(u32::MAX).max(1);
    let mut reply = vec![THROTTLED];
    reply.extend_from_slice(&ms.to_be_bytes());
    write_frame(stream, &reply).await?;
    Err(HandshakeError::Throttled(wait))
}

/// The facilitator's answer to a hello: its half of the key exchange with `code`.
pub(crate) async fn proceed<S>(
    stream: &mut S,
    client_msg: &[u8],
    code: &str,
) -> Result<Agreed, HandshakeError>
where
    S: AsyncWrite + Unpin,
{
    let exchange = Exchange::start(code);
    let server_msg = exchange.message.clone();
    let mut reply = vec![PROCEED];
    reply.extend_from_slice(&server_msg);
    write_frame(stream, &reply).await?;
    Ok(exchange.finish(client_msg, &server_msg, client_msg)?)
}

/// The trainee's confirmation tag.
pub(crate) async fn read_tag<S>(stream: &mut S) -> Result<Vec<u8>, HandshakeError>
where
    S: AsyncRead + Unpin,
{
    Ok(read_frame(stream, MAX_HANDSHAKE_FRAME).await?)
}

/// The verdict on the trainee's tag: the link, or a wrong code.
pub(crate) async fn verdict<S>(
    stream: &mut S,
    agreed: Agreed,
    tag: &[u8],
) -> Result<(Sealer, Opener), HandshakeError>
where
    S: AsyncWrite + Unpin,
{
    if !agreed.client_tag_is(tag) {
        // A wrong code whatever becomes of the reply: hanging up before it cannot make a
        // guess uncounted.
        return refuse(stream).await;
    }
    let mut verdict = vec![ACCEPTED];
    verdict.extend_from_slice(&agreed.server_tag()?);
    write_frame(stream, &verdict).await?;
    Ok(agreed.server_link())
}

/// Refuses the trainee's code.
pub(crate) async fn refuse<S>(stream: &mut S) -> Result<(Sealer, Opener), HandshakeError>
where
    S: AsyncWrite + Unpin,
{
    let _ = write_frame(stream, &[REFUSED]).await;
    Err(HandshakeError::WrongCode)
}

/// Tells a trainee to come back later (too many handshakes at once), best effort.
pub(crate) fn busy_frame() -> Vec<u8> {
    let mut frame = 1u32.to_be_bytes().to_vec();
    frame.push(BUSY);
    frame
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The facilitator's half in one go, as the server runs it; `throttled` is asked once
    /// the hello is in.
    async fn server_handshake<S>(
        stream: &mut S,
        code: &str,
        throttled: impl FnOnce() -> Option<Duration>,
    ) -> Result<(Sealer, Opener), HandshakeError>
    where
        S: AsyncRead + AsyncWrite + Unpin,
    {
        let hello = read_hello(stream).await?;
        if let Some(wait) = throttled() {
            return turn_away(stream, wait).await;
        }
        let agreed = proceed(stream, &hello, code).await?;
        let tag = read_tag(stream).await?;
        verdict(stream, agreed, &tag).await
    }

    fn block_on<F: std::future::Future>(future: F) -> F::Output {
        tokio::runtime::Builder::new_current_thread()
            .build()
            .expect("runtime")
            .block_on(future)
    }

    async fn both(
        client_code: &str,
        server_code: &str,
        wait: Option<Duration>,
    ) -> (
        Result<(Sealer, Opener), HandshakeError>,
        Result<(Sealer, Opener), HandshakeError>,
    ) {
        let (mut a, mut b) = tokio::io::duplex(1024);
        tokio::join!(
            client_handshake(&mut a, client_code),
            server_handshake(&mut b, server_code, move || wait)
        )
    }

    #[test]
    fn the_right_code_links_both_ends() {
        block_on(async {
            let (client, server) = both("oak-heron-55", "oak-heron-55", None).await;
            let (mut c_seal, mut c_open) = client.expect("client linked");
            let (mut s_seal, mut s_open) = server.expect("server linked");
            assert_eq!(
                c_open.open(&s_seal.seal(b"down").expect("seal")).expect("open"),
                b"down"
            );
            assert_eq!(
                s_open.open(&c_seal.seal(b"up").expect("seal")).expect("open"),
                b"up"
            );
        });
    }

    #[test]
    fn a_wrong_code_is_refused_on_both_ends() {
        block_on(async {
            let (client, server) = both("oak-heron-55", "oak-heron-56", None).await;
            assert!(matches!(client, Err(HandshakeError::WrongCode)));
            assert!(matches!(server, Err(HandshakeError::WrongCode)));
            assert_eq!(HandshakeError::WrongCode.to_string(), "the join code was refused");
        });
    }

    #[test]
    fn a_throttled_address_is_told_how_long_to_wait() {
        block_on(async {
            let (client, server) =
                both("oak-heron-55", "oak-heron-55", Some(Duration::from_millis(1500))).await;
            match client {
                Err(HandshakeError::Throttled(wait)) => assert_eq!(wait, Duration::from_millis(1500)),
                other => panic!("expected Throttled, got {:?}", other.err()),
            }
            assert!(matches!(server, Err(HandshakeError::Throttled(_))));
        });
    }

    #[test]
    fn a_stranger_is_not_a_trainee() {
        block_on(async {
            let (mut a, mut b) = tokio::io::duplex(1024);
            let (_, server) = tokio::join!(
                write_frame(&mut a, b"GET / HTTP/1.1\r\n"),
                server_handshake(&mut b, "oak-heron-55", || None)
            );
            assert!(matches!(server, Err(HandshakeError::Protocol(_))));
        });
    }

    #[test]
    fn the_busy_frame_reads_as_busy() {
        block_on(async {
            let (mut a, mut b) = tokio::io::duplex(1024);
            let fake_server = async {
                let _hello = read_frame(&mut b, MAX_HANDSHAKE_FRAME).await;
                tokio::io::AsyncWriteExt::write_all(&mut b, &busy_frame()).await
            };
            let (client, _) = tokio::join!(client_handshake(&mut a, "x-y-10"), fake_server);
            assert!(matches!(client, Err(HandshakeError::Busy)));
        });
    }
}
