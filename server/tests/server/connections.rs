//! Connections from clients that are slow on purpose: half-sent headers, idle
//! keep-alive connections, hundreds of them at once, and uploads that stop. Every
//! server here is started with short timeouts by flag, so each test takes seconds.

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use crate::common::*;
use seedream_contract::SUBMIT_PATH;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// A connection that sent `bytes` and then nothing more.
async fn half_open(addr: SocketAddr, bytes: &[u8]) -> TcpStream {
    let mut stream = TcpStream::connect(addr).await.unwrap();
    stream.write_all(bytes).await.unwrap();
    stream
}

/// Reads until the server closes `stream`; how long that took, or None when it was
/// still open after `limit`.
async fn closed_within(stream: &mut TcpStream, limit: Duration) -> Option<Duration> {
    let start = Instant::now();
    let mut buf = [0u8; 4096];
    let read_to_end = async {
        loop {
            match stream.read(&mut buf).await {
                Ok(0) | Err(_) => break,
                Ok(_) => {}
            }
        }
    };
    tokio::time::timeout(limit, read_to_end)
        .await
        .ok()
        .map(|()| start.elapsed())
}

/// `GET /healthz` on a fresh connection; its status line, or None after `limit`.
async fn healthz(addr: SocketAddr, limit: Duration) -> Option<String> {
    let ask = async {
        let mut stream = TcpStream::connect(addr).await.ok()?;
        let request = format!("GET /healthz HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n");
        stream.write_all(request.as_bytes()).await.ok()?;
        let mut answer = Vec::new();
        stream.read_to_end(&mut answer).await.ok()?;
        let text = String::from_utf8_lossy(&answer).into_owned();
        text.lines().next().map(str::to_owned)
    };
    tokio::time::timeout(limit, ask).await.ok().flatten()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn half_sent_headers_are_closed_in_time() {
    let server = mock(&["--header-timeout", "300ms"]).await;
    let mut slow = half_open(server.addr, b"GET /healthz HTTP/1.1\r\nHost: x\r\n").await;
    let took = closed_within(&mut slow, Duration::from_secs(5)).await;
    let took = took.expect("a client that never finishes its headers is disconnected");
    assert!(took >= Duration::from_millis(250), "closed early: {took:?}");

    // A keep-alive connection left idle after its answer is closed the same way.
    let mut idle = half_open(server.addr, b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n").await;
    let took = closed_within(&mut idle, Duration::from_secs(5)).await;
    assert!(took.is_some(), "an idle keep-alive connection stays open");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn four_hundred_slow_clients_do_not_lock_anyone_out() {
    // The default header timeout (10 s) and connection cap: the slow clients are all
    // still connected when the health check comes.
    let server = mock(&[]).await;
    let mut slow = Vec::new();
    for _ in 0..400 {
        slow.push(half_open(server.addr, b"GET /healthz HTTP/1.1\r\nHo").await);
    }
    let status = healthz(server.addr, Duration::from_secs(2)).await;
    assert_eq!(status.as_deref(), Some("HTTP/1.1 200 OK"));
    drop(slow);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_connection_cap_makes_clients_wait_not_fail() {
    let server = mock(&["--max-connections", "5", "--header-timeout", "10s"]).await;
    let mut held = Vec::new();
    for _ in 0..5 {
        held.push(half_open(server.addr, b"GET / HTTP/1.1\r\n").await);
    }
    // Give the accept loop time to take all five.
    tokio::time::sleep(Duration::from_millis(200)).await;
    let waiting = tokio::spawn(healthz(server.addr, Duration::from_secs(5)));
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert!(
        !waiting.is_finished(),
        "a sixth client was served over the cap"
    );
    held.pop();
    let status = waiting.await.unwrap();
    assert_eq!(
        status.as_deref(),
        Some("HTTP/1.1 200 OK"),
        "served once one closed"
    );
}

/// A submit's head declaring `length` bytes, for `addr`.
fn submit_head(addr: SocketAddr, length: usize) -> String {
    format!(
        "POST {SUBMIT_PATH} HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\n\
         Content-Length: {length}\r\nConnection: close\r\n\r\n"
    )
}

/// Sends `body` in `pieces` pieces `pause` apart after `head`, then reads the answer.
async fn upload(addr: SocketAddr, body: &[u8], pieces: usize, pause: Duration) -> String {
    let mut stream = TcpStream::connect(addr).await.unwrap();
    stream
        .write_all(submit_head(addr, body.len()).as_bytes())
        .await
        .unwrap();
    for piece in body.chunks(body.len().div_ceil(pieces)) {
        tokio::time::sleep(pause).await;
        stream.write_all(piece).await.unwrap();
    }
    let mut answer = Vec::new();
    let read = tokio::time::timeout(Duration::from_secs(10), stream.read_to_end(&mut answer));
    read.await.expect("answered").unwrap();
    String::from_utf8_lossy(&answer).into_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stalled_upload_is_cut_and_a_slow_one_is_not() {
    let (upstream, front) = pair(&["--body-timeout", "400ms"]).await;
    let body = serde_json::to_vec(&minimal_body()).unwrap();

    // Ten pieces 150 ms apart: 1.5 s in all, never 400 ms without a byte.
    let answer = upload(front.addr, &body, 10, Duration::from_millis(150)).await;
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");

    // Half the body, then silence: the proxy answers 408 in the envelope, in time,
    // and nothing reaches the upstream.
    let before = stats(&client(), &upstream).await["submits"].clone();
    let start = Instant::now();
    let mut stream = half_open(front.addr, submit_head(front.addr, body.len()).as_bytes()).await;
    stream.write_all(&body[..body.len() / 2]).await.unwrap();
    let mut answer = Vec::new();
    let read = tokio::time::timeout(Duration::from_secs(5), stream.read_to_end(&mut answer));
    read.await.expect("the stalled upload is answered").unwrap();
    let answer = String::from_utf8_lossy(&answer);
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    assert!(answer.contains(r#""code":408"#), "{answer}");
    assert!(
        start.elapsed() < Duration::from_secs(3),
        "{:?}",
        start.elapsed()
    );
    assert_eq!(stats(&client(), &upstream).await["submits"], before);
}
