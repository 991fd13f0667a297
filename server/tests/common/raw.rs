//! A raw HTTP/1.1 client for requests reqwest will not send as written: a declared
//! Content-Length with only part of the body, or `..` and encoded slashes in paths.

use std::net::SocketAddr;
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};

use super::check_envelope;

/// An answer read by [`raw_request`].
#[derive(Debug)]
pub struct RawAnswer {
    pub status: u16,
    /// Header names lowercased.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl RawAnswer {
    pub fn header(&self, name: &str) -> Option<&str> {
        let name = name.to_ascii_lowercase();
        self.headers
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.as_str())
    }

    /// The envelope checks of [`check_envelope`].
    pub fn expect_error(&self, status: u16) -> String {
        let content_type = self.header("content-type").unwrap_or_default();
        check_envelope(self.status, content_type, &self.body, status)
    }
}

/// Sends `head` (request line and headers, without the final blank line; a
/// `Connection: close` is added) and then `body` exactly as given, and reads the
/// answer until the server closes the connection (at most 10 s). The body may be
/// shorter than a declared Content-Length: the server is expected to answer early.
pub async fn raw_request(addr: SocketAddr, head: &str, body: &[u8]) -> RawAnswer {
    let work = async {
        let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
        let head = format!("{head}\r\nHost: {addr}\r\nConnection: close\r\n\r\n");
        stream.write_all(head.as_bytes()).await.unwrap();
        // The server may answer and close before taking the whole body.
        let _ = stream.write_all(body).await;
        let mut answer = Vec::new();
        let mut buf = [0u8; 16 * 1024];
        loop {
            match stream.read(&mut buf).await {
                Ok(0) | Err(_) => break,
                Ok(n) => answer.extend_from_slice(&buf[..n]),
            }
            if complete(&answer) {
                break;
            }
        }
        parse_raw(&answer)
    };
    tokio::time::timeout(Duration::from_secs(10), work)
        .await
        .expect("the raw request is answered within 10 s")
}

/// True once `answer` holds a whole response with a Content-Length body.
fn complete(answer: &[u8]) -> bool {
    let Some(end) = find(answer, b"\r\n\r\n") else {
        return false;
    };
    let head = String::from_utf8_lossy(&answer[..end]).to_ascii_lowercase();
    let length = head
        .lines()
        .find_map(|line| line.strip_prefix("content-length:"))
        .and_then(|v| v.trim().parse::<usize>().ok());
    length.is_some_and(|n| answer.len() >= end + 4 + n)
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

fn parse_raw(answer: &[u8]) -> RawAnswer {
    let end = find(answer, b"\r\n\r\n")
        .unwrap_or_else(|| panic!("no complete head in {:?}", String::from_utf8_lossy(answer)));
    let head = String::from_utf8_lossy(&answer[..end]).into_owned();
    let mut lines = head.split("\r\n");
    let status_line = lines.next().unwrap_or_default();
    let status = status_line
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("bad status line {status_line:?}"));
    let headers: Vec<(String, String)> = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    let mut body = answer[end + 4..].to_vec();
    let chunked = headers
        .iter()
        .any(|(n, v)| n == "transfer-encoding" && v.eq_ignore_ascii_case("chunked"));
    if chunked {
        body = dechunk(&body);
    }
    RawAnswer {
        status,
        headers,
        body,
    }
}

/// Decodes a chunked body (as much of it as arrived).
fn dechunk(mut data: &[u8]) -> Vec<u8> {
    let mut body = Vec::new();
    for _ in 0..10_000 {
        let Some(line_end) = find(data, b"\r\n") else {
            break;
        };
        let size_text = String::from_utf8_lossy(&data[..line_end]);
        let size_text = size_text.split(';').next().unwrap_or_default().trim();
        let Ok(size) = usize::from_str_radix(size_text, 16) else {
            break;
        };
        let start = line_end + 2;
        if size == 0 || data.len() < start + size {
            break;
        }
        body.extend_from_slice(&data[start..start + size]);
        data = data.get(start + size + 2..).unwrap_or_default();
    }
    body
}
