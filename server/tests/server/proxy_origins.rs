//! Who can make the proxy spend the key: other websites' pages are refused before
//! anything goes upstream (a recording upstream proves it), while the server's own
//! page, the allowed portals and clients that are not browsers keep working. Also the
//! public hosts (DNS rebinding) and the per-client limits behind a load balancer.

use std::net::SocketAddr;
use std::time::Duration;

use crate::common::*;
use seedream_contract::{SUBMIT_PATH, task_path};
use seedream_server::Running;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// Sends a request with exactly these headers (no Host added) and reads the answer's
/// status line and body.
async fn send(addr: SocketAddr, method: &str, path: &str, headers: &[&str]) -> (u16, String) {
    let body = serde_json::to_string(&minimal_body()).unwrap();
    let mut request = format!("{method} {path} HTTP/1.1\r\nConnection: close\r\n");
    for header in headers {
        request.push_str(header);
        request.push_str("\r\n");
    }
    if method == "POST" {
        request.push_str(&format!("Content-Length: {}\r\n", body.len()));
    }
    request.push_str("\r\n");
    if method == "POST" {
        request.push_str(&body);
    }
    let exchange = async {
        let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
        stream.write_all(request.as_bytes()).await.unwrap();
        let mut answer = Vec::new();
        stream.read_to_end(&mut answer).await.unwrap();
        String::from_utf8_lossy(&answer).into_owned()
    };
    let answer = tokio::time::timeout(Duration::from_secs(5), exchange)
        .await
        .expect("answered within 5 s");
    let status = answer
        .get(9..12)
        .and_then(|code| code.parse().ok())
        .unwrap_or(0);
    let body = answer.split("\r\n\r\n").nth(1).unwrap_or("").to_owned();
    (status, body)
}

/// A proxy in front of a recording upstream, with `args` and no rate limits unless
/// they set one.
async fn proxy_to_recorder(args: &[&str]) -> (Running, Seen) {
    let (upstream, seen) = recorder().await;
    let mut all = vec!["--client-rate-limit", "0"];
    if !args.contains(&"--submit-rate-limit") {
        all.extend(["--submit-rate-limit", "0"]);
    }
    all.extend_from_slice(args);
    (proxy(&format!("http://{upstream}"), KEY, &all).await, seen)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn other_sites_cannot_submit_through_the_proxy() {
    let (front, seen) = proxy_to_recorder(&["--allow-origin", "https://portal.example"]).await;
    let host = format!("Host: {}", front.addr);
    let json = "Content-Type: application/json";
    let own = format!("Origin: http://{}", front.addr);
    let other_port = format!("Origin: http://127.0.0.1:{}", closed_port());
    let refused: [(&[&str], u16); 7] = [
        // A form-like cross-site POST, which browsers send without a preflight.
        (
            &[
                &host,
                "Content-Type: text/plain",
                "Origin: https://evil.example",
            ],
            415,
        ),
        (&[&host, "Content-Type: text/plain"], 415),
        (
            &[
                &host,
                "Content-Type: application/x-www-form-urlencoded",
                &own,
            ],
            415,
        ),
        (&[&host], 415),
        (&[&host, json, "Origin: https://evil.example"], 403),
        (&[&host, json, "Origin: null"], 403),
        (&[&host, json, &other_port], 403),
    ];
    for (headers, status) in refused {
        let (got, body) = send(front.addr, "POST", SUBMIT_PATH, headers).await;
        assert_eq!(got, status, "{headers:?}: {body}");
        check_envelope(got, "application/json", body.as_bytes(), status);
    }
    assert!(
        seen.lock().unwrap().is_empty(),
        "a refused submit went upstream"
    );

    // The server's own page, an allowed portal and a client without Origin reach the
    // upstream (which answers 404 here).
    let allowed: [&[&str]; 4] = [
        &[&host, json, &own],
        &[&host, "Content-Type: Application/JSON; charset=utf-8", &own],
        &[&host, json, "Origin: https://portal.example"],
        &[&host, json],
    ];
    for headers in allowed {
        let (got, body) = send(front.addr, "POST", SUBMIT_PATH, headers).await;
        assert_eq!(got, 404, "{headers:?}: {body}");
    }
    // Task queries are free reads: not checked.
    let (got, _) = send(
        front.addr,
        "GET",
        &task_path("task-1"),
        &[&host, "Origin: https://evil.example"],
    )
    .await;
    assert_eq!(got, 404);
    assert_eq!(seen.lock().unwrap().len(), 5);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn public_hosts_refuse_rebound_names() {
    let (front, seen) = proxy_to_recorder(&["--public-host", "studio.example"]).await;
    let json = "Content-Type: application/json";
    // A rebound name: the attacker's page and Host agree, and are not this server's.
    let (status, body) = send(
        front.addr,
        "POST",
        SUBMIT_PATH,
        &["Host: evil.example", json, "Origin: http://evil.example"],
    )
    .await;
    assert_eq!(status, 421, "{body}");
    check_envelope(status, "application/json", body.as_bytes(), 421);
    let (status, _) = send(front.addr, "GET", "/", &["Host: evil.example"]).await;
    assert_eq!(status, 421);
    let (status, _) = send(front.addr, "GET", "/healthz", &["Host: 10.0.0.5:8080"]).await;
    assert_eq!(status, 200, "health checks come by address");
    assert!(seen.lock().unwrap().is_empty());

    // The public host itself, from its own page behind TLS.
    let (status, body) = send(
        front.addr,
        "POST",
        SUBMIT_PATH,
        &[
            "Host: studio.example",
            json,
            "Origin: https://studio.example",
        ],
    )
    .await;
    assert_eq!(status, 404, "{body}");
    assert_eq!(seen.lock().unwrap().len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn submits_have_their_own_lower_limit_per_client() {
    let (front, seen) = proxy_to_recorder(&["--submit-rate-limit", "4"]).await;
    let host = format!("Host: {}", front.addr);
    let json = "Content-Type: application/json";
    let headers = [host.as_str(), json];
    let submit = || send(front.addr, "POST", SUBMIT_PATH, &headers);
    assert_eq!(submit().await.0, 404);
    let (status, body) = submit().await;
    assert_eq!(status, 429, "{body}");
    assert!(body.contains("Rate limit exceeded"), "{body}");
    // Task queries are counted apart.
    for _ in 0..5 {
        let (status, _) = send(front.addr, "GET", &task_path("task-1"), &[&host]).await;
        assert_eq!(status, 404);
    }
    assert_eq!(seen.lock().unwrap().len(), 6);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn behind_a_trusted_balancer_each_user_has_a_bucket() {
    let json = "Content-Type: application/json";
    let submit = |front: SocketAddr, client: &'static str| async move {
        let host = format!("Host: {front}");
        let forwarded = format!("X-Forwarded-For: {client}");
        send(front, "POST", SUBMIT_PATH, &[&host, json, &forwarded])
            .await
            .0
    };
    let args = ["--submit-rate-limit", "4", "--trusted-proxy", "127.0.0.0/8"];
    let (front, _) = proxy_to_recorder(&args).await;
    assert_eq!(submit(front.addr, "198.51.100.1").await, 404);
    assert_eq!(submit(front.addr, "198.51.100.1").await, 429);
    assert_eq!(
        submit(front.addr, "198.51.100.2").await,
        404,
        "another user"
    );

    // Without --trusted-proxy the header is the client's word: ignored.
    let (front, _) = proxy_to_recorder(&["--submit-rate-limit", "4"]).await;
    assert_eq!(submit(front.addr, "198.51.100.1").await, 404);
    assert_eq!(submit(front.addr, "198.51.100.2").await, 429);
}
