//! Handshakes that say hello, take their "proceed" and then say nothing: a trainee with
//! the right code still joins, and no place in the bound on guessing is held by them.
//! (In the crate: the attack needs a well-formed hello, which only the crate can make.)

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use tokio::io::AsyncReadExt;
use tokio::net::{TcpSocket, TcpStream};

use super::crypto::Exchange;
use super::frame::{MAX_HANDSHAKE_FRAME, read_frame, write_frame};
use super::handshake::{MAGIC, client_handshake};
use super::server::ShareServer;

const CODE: &str = "plum-river-42";

/// From `from`, again and again: a hello with a wrong code's key share, then silence
/// until the facilitator hangs up.
async fn stall_forever(from: [u8; 4], to: SocketAddr) {
    loop {
        let Ok(socket) = TcpSocket::new_v4() else { return };
        if socket.bind(SocketAddr::from((from, 0))).is_err() {
            return;
        }
        let Ok(mut stream) = socket.connect(to).await else {
            tokio::time::sleep(Duration::from_millis(20)).await;
            continue;
        };
        let exchange = Exchange::start("fig-otter-17");
        let mut hello = MAGIC.to_vec();
        hello.extend_from_slice(&exchange.message);
        if write_frame(&mut stream, &hello).await.is_err() {
            continue;
        }
        let _ = read_frame(&mut stream, MAX_HANDSHAKE_FRAME).await;
        let mut sink = [0u8; 64];
        while matches!(stream.read(&mut sink).await, Ok(n) if n > 0) {}
    }
}

/// A trainee with the right code, trying again at once when turned away.
async fn join(to: SocketAddr) {
    loop {
        if let Ok(mut stream) = TcpStream::connect(to).await
            && client_handshake(&mut stream, CODE).await.is_ok()
        {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test]
async fn handshakes_stalled_after_hello_from_fifty_addresses_lock_no_trainee_out() {
    let (server, addr) =
        ShareServer::start(SocketAddr::from(([127, 0, 0, 1], 0)), CODE).expect("sharing starts");
    let attack: Vec<_> = (0..50u8)
        .flat_map(|a| (0..2).map(move |_| a))
        .map(|a| tokio::spawn(stall_forever([127, 13, 0, a + 1], addr)))
        .collect();
    // Let the stalls fill every place first.
    tokio::time::sleep(Duration::from_millis(500)).await;
    let began = Instant::now();
    let joined = tokio::time::timeout(Duration::from_secs(5), join(addr)).await;
    let took = began.elapsed();
    for task in &attack {
        task.abort();
    }
    assert!(joined.is_ok(), "the trainee was locked out for {took:?}");
    assert_eq!(server.status().refused, 0, "no stall was counted as a wrong code");
    println!("a trainee joined in {took:?} while 100 handshakes from 50 addresses stalled after hello");
}
