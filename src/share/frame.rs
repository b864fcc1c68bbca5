//! Framing on the wire: a u32 big-endian length, then that many bytes.
//!
//! The length is checked against a cap before a byte of the body is read or a buffer is
//! allocated, so a peer cannot make us hold more than the cap.

use std::io;

use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};

/// The largest frame either side sends or accepts (ciphertext, tag included).
pub const MAX_FRAME: usize = 1 << 20;

/// Frames of the handshake are tiny; anything bigger before the keys exist is refused.
pub(crate) const MAX_HANDSHAKE_FRAME: usize = 256;

#[derive(Debug, thiserror::Error)]
pub enum FrameError {
    /// The peer closed the link between frames.
    #[error("the link was closed")]
    Closed,
    #[error("a frame of {len} bytes is over the limit of {max}")]
    TooLarge { len: usize, max: usize },
    #[error(transparent)]
    Io(#[from] io::Error),
}

/// Reads one frame of at most `max` bytes.
pub async fn read_frame<R: AsyncRead + Unpin>(reader: &mut R, max: usize) -> Result<Vec<u8>, FrameError> {
    let mut prefix = [0u8; 4];
    let mut got = 0;
    while got < prefix.len() {
        let n = reader.read(&mut prefix[got..]).await?;
        if n == 0 {
            return Err(if got == 0 {
                FrameError::Closed
            } else {
                FrameError::Io(io::ErrorKind::UnexpectedEof.into())
            });
        }
        got += n;
    }
    let len = u32::from_be_bytes(prefix) as usize;
    if len > max {
        return Err(FrameError::TooLarge { len, max });
    }
    let mut body = vec![0u8; len];
    reader.read_exact(&mut body).await?;
    Ok(body)
}

/// The bytes of one frame: length prefix and body, ready for a single write.
pub fn encode_frame(body: &[u8]) -> Result<Vec<u8>, FrameError> {
    if body.len() > MAX_FRAME {
        return Err(FrameError::TooLarge {
            len: body.len(),
            max: MAX_FRAME,
        });
    }
    let mut out = Vec::with_capacity(4 + body.len());
    out.extend_from_slice(&(body.len() as u32).to_be_bytes());
    out.extend_from_slice(body);
    Ok(out)
}

/// Writes one frame (one write call, so a frame is not split by Nagle or by us).
pub async fn write_frame<W: AsyncWrite + Unpin>(writer: &mut W, body: &[u8]) -> Result<(), FrameError> {
    let bytes = encode_frame(body)?;
    writer.write_all(&bytes).await?;
    writer.flush().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn block_on<F: std::future::Future>(future: F) -> F::Output {
        tokio::runtime::Builder::new_current_thread()
            .build()
            .expect("runtime")
            .block_on(future)
    }

    #[test]
    fn frames_round_trip() {
        block_on(async {
            let mut wire = Vec::new();
            write_frame(&mut wire, b"hello").await.expect("write");
            write_frame(&mut wire, b"").await.expect("write");
            assert_eq!(&wire[..4], &[0, 0, 0, 5]);
            let mut reader = wire.as_slice();
            assert_eq!(read_frame(&mut reader, 16).await.expect("frame"), b"hello");
            assert_eq!(read_frame(&mut reader, 16).await.expect("frame"), b"");
            assert!(matches!(
                read_frame(&mut reader, 16).await,
                Err(FrameError::Closed)
            ));
        });
    }

    #[test]
    fn a_frame_over_the_cap_is_refused_before_its_body_is_read() {
        block_on(async {
            // Claims 2 MiB but carries nothing: refused from the prefix alone.
            let wire = ((MAX_FRAME as u32) + 1).to_be_bytes();
            let mut reader = &wire[..];
            match read_frame(&mut reader, MAX_FRAME).await {
                Err(FrameError::TooLarge { len, max }) => {
                    assert_eq!(len, MAX_FRAME + 1);
                    assert_eq!(max, MAX_FRAME);
                }
                other => panic!("expected TooLarge, got {other:?}"),
            }
            let big = vec![0u8; MAX_FRAME + 1];
            assert!(matches!(encode_frame(&big), Err(FrameError::TooLarge { .. })));
            assert!(encode_frame(&big[..MAX_FRAME]).is_ok());
        });
    }

    #[test]
    fn a_cut_frame_is_an_error_not_a_clean_close() {
        block_on(async {
            let mut reader: &[u8] = &[0, 0, 0, 9, 1, 2];
            assert!(matches!(
                read_frame(&mut reader, 16).await,
                Err(FrameError::Io(_))
            ));
            let mut reader: &[u8] = &[0, 0];
            assert!(matches!(
                read_frame(&mut reader, 16).await,
                Err(FrameError::Io(_))
            ));
        });
    }
}
