//! Another origin on this machine: a minimal HTTP server on its own loopback port that
//! serves a few fixed files, for pages that frame the app (an origin is scheme, host
//! and port, so another port is another origin).
//!
//! Not `seedream-server --static`: its strict policy (`default-src 'none'`) is right
//! for the app, but would keep a portal page from framing anything.

use std::collections::HashMap;
use std::sync::Arc;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use tokio::task::JoinHandle;

/// A server of fixed files; stops when dropped.
pub struct OtherOrigin {
    /// `http://127.0.0.1:<port>`.
    pub origin: String,
    task: JoinHandle<()>,
}

impl OtherOrigin {
    /// Listens on a free loopback port and serves `files` (path, content type, body);
    /// any other path is a 404.
    pub async fn serve(files: &[(&str, &str, &str)]) -> OtherOrigin {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("a free loopback port for another origin");
        let origin = format!("http://{}", listener.local_addr().expect("its address"));
        let files: Arc<HashMap<String, (String, String)>> = Arc::new(
            files
                .iter()
                .map(|(path, kind, body)| {
                    ((*path).to_owned(), ((*kind).to_owned(), (*body).to_owned()))
                })
                .collect(),
        );
        let task = tokio::spawn(async move {
            while let Ok((mut stream, _)) = listener.accept().await {
                let files = Arc::clone(&files);
                tokio::spawn(async move {
                    // A browser's GET fits in one read; nothing here takes a body.
                    let mut buffer = vec![0u8; 16 * 1024];
                    let Ok(n) = stream.read(&mut buffer).await else {
                        return;
                    };
                    let request = String::from_utf8_lossy(&buffer[..n]);
                    let target = request.split_whitespace().nth(1).unwrap_or("/");
                    let path = target.split('?').next().unwrap_or(target);
                    let response = match files.get(path) {
                        Some((kind, body)) => format!(
                            "HTTP/1.1 200 OK\r\nContent-Type: {kind}\r\nContent-Length: {}\r\n\
                             Cache-Control: no-store\r\nConnection: close\r\n\r\n{body}",
                            body.len()
                        ),
                        None => "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                            .to_owned(),
                    };
                    let _ = stream.write_all(response.as_bytes()).await;
                    let _ = stream.shutdown().await;
                });
            }
        });
        OtherOrigin { origin, task }
    }

    /// `<origin><path>`.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.origin)
    }
}

impl Drop for OtherOrigin {
    fn drop(&mut self) {
        self.task.abort();
    }
}
