//! Request headers bounded as nginx's defaults bound them, over a real socket: one line
//! over 8 KB or a head over 32 KB is answered 431 on every route, a request just within
//! both is served, and a client sending a huge head is answered and cut off at once.

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use crate::common::*;
use seedream_server::Running;
use seedream_server::header_limits::{HEAD_MAX_BYTES, LINE_MAX_BYTES};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// `GET path` with `headers` (name, value length) of `x`s.
fn head(path: &str, headers: &[(&str, usize)]) -> String {
    let mut head = format!("GET {path} HTTP/1.1");
    for (name, len) in headers {
        head += &format!("\r\n{name}: {}", "x".repeat(*len));
    }
    head
}

/// A mock serving a site, and a proxy whose upstream is a closed port (so a request
/// that reached the proxy's routes would be answered 502).
async fn servers(dir: &TempDir) -> [(Running, &'static str); 3] {
    let upstream = format!("http://127.0.0.1:{}", closed_port());
    [
        (site(dir).await, "/"),
        (mock(&[]).await, "/api/v1/tasks/unknown-task"),
        (proxy(&upstream, KEY, &[]).await, "/api/v1/tasks/task-1"),
    ]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_header_line_over_8_kb_is_refused_on_every_route() {
    let dir = dist();
    for (server, path) in servers(&dir).await {
        // "x-long: " is 8 bytes: a line of 9 KB, within the 32 KB of the head.
        let answer = raw_request(server.addr, &head(path, &[("x-long", 9 * 1024 - 8)]), b"").await;
        assert_eq!(answer.status, 431, "{path}");
        if path.starts_with("/api") {
            let message = answer.expect_error(431);
            assert!(message.contains("over 8 KB"), "{message}");
        } else {
            assert_eq!(answer.body, b"A request header line is over 8 KB.\n");
        }
        // The answer carries the headers every answer carries.
        assert_eq!(answer.header("x-content-type-options"), Some("nosniff"));
        assert!(answer.header("x-request-id").is_some(), "{path}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_head_over_32_kb_is_refused_on_every_route() {
    let dir = dist();
    for (server, path) in servers(&dir).await {
        // Ten lines of 4 KB: each well within 8 KB, 40 KB in all.
        let names: Vec<String> = (0..10).map(|n| format!("x-part-{n}")).collect();
        let headers: Vec<(&str, usize)> = names.iter().map(|name| (name.as_str(), 4096)).collect();
        let answer = raw_request(server.addr, &head(path, &headers), b"").await;
        assert_eq!(answer.status, 431, "{path}");
        // hyper's own answer, before any route: no body, and the connection closed.
        assert_eq!(answer.header("content-length"), Some("0"), "{path}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_request_just_within_both_limits_is_served() {
    let dir = dist();
    for (server, path) in servers(&dir).await {
        // Three lines of exactly 8 KB and one of 6 KB: 30 KB of headers, and the
        // request line, Host and Connection (added by `raw_request`) within the rest.
        let line = |name: &str| LINE_MAX_BYTES - name.len() - 2;
        let headers = [
            ("x-a", line("x-a")),
            ("x-b", line("x-b")),
            ("x-c", line("x-c")),
            ("x-d", 6 * 1024),
        ];
        let request = head(path, &headers);
        assert!(request.len() > HEAD_MAX_BYTES - 2048, "{}", request.len());
        let answer = raw_request(server.addr, &request, b"").await;
        let expected = match path {
            "/" => 200,
            "/api/v1/tasks/unknown-task" => 404,
            // The proxy's upstream is a closed port.
            _ => 502,
        };
        assert_eq!(answer.status, expected, "{path}");
        if path == "/" {
            assert_eq!(answer.body, index_html().as_bytes());
        }
    }
}

/// Sends a head of `size` bytes (one header line) and reads the answer until the
/// server closes the connection; the answer and how long it took.
async fn send_huge_head(addr: SocketAddr, size: usize) -> (String, Duration) {
    let start = Instant::now();
    let stream = TcpStream::connect(addr).await.unwrap();
    let (mut reader, mut writer) = stream.into_split();
    let request = format!(
        "GET / HTTP/1.1\r\nHost: {addr}\r\nx-huge: {}\r\n\r\n",
        "x".repeat(size)
    );
    // The server stops reading long before the end: the write may fail, the read
    // must still see the answer.
    let sending = tokio::spawn(async move {
        let _ = writer.write_all(request.as_bytes()).await;
        writer
    });
    let mut answer = Vec::new();
    let mut buf = [0u8; 4096];
    let read = async {
        loop {
            match reader.read(&mut buf).await {
                Ok(0) | Err(_) => break,
                Ok(n) => answer.extend_from_slice(&buf[..n]),
            }
        }
    };
    tokio::time::timeout(Duration::from_secs(5), read)
        .await
        .expect("the server closes the connection");
    let took = start.elapsed();
    drop(sending.await);
    (String::from_utf8_lossy(&answer).into_owned(), took)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_200_kb_header_is_answered_at_once_and_the_connection_closed() {
    let dir = dist();
    let server = site(&dir).await;
    let (answer, took) = send_huge_head(server.addr, 200 * 1024).await;
    assert!(
        answer.starts_with("HTTP/1.1 431 Request Header Fields Too Large\r\n"),
        "{answer}"
    );
    assert!(took < Duration::from_secs(1), "{took:?}");
    // The server goes on serving.
    let answer = raw_request(server.addr, "GET /healthz HTTP/1.1", b"").await;
    assert_eq!(
        (answer.status, answer.body.as_slice()),
        (200, b"ok".as_slice())
    );
}
