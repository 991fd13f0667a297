//! Who can make `GET /api/results` fetch, and what it sends: nothing without listed
//! result hosts; only https URLs on a listed host (a recording result host proves
//! nothing was asked for otherwise); only for the server's own page, allowed portals
//! and non-browser clients, never another site's page; never the key nor any header of
//! the client's; within the per-client rate and the cap on fetches in flight. In both
//! modes.

use std::time::{Duration, Instant};

use crate::common::*;
use seedream_server::Running;

/// A server in `mode` ("mock" or "proxy") with `args`.
async fn start(mode: &str, args: &[&str]) -> Running {
    let upstream = format!("http://127.0.0.1:{}", closed_port());
    let mut all = match mode {
        "mock" => vec!["--mock"],
        _ => vec!["--upstream", upstream.as_str()],
    };
    all.extend_from_slice(args);
    relay(&all).await
}

/// `GET /api/results` with exactly `query` and `headers`, through the raw client.
async fn raw_get(server: &Running, query: &str, headers: &[&str]) -> RawAnswer {
    let mut head = format!("GET /api/results{query} HTTP/1.1");
    for header in headers {
        head.push_str("\r\n");
        head.push_str(header);
    }
    raw_request(server.addr, &head, b"").await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_result_hosts_nothing_is_fetched_in_either_mode() {
    let host = result_host().await;
    for mode in ["mock", "proxy"] {
        let server = start(mode, &[]).await;
        let response = client()
            .get(results_url(&server, &host.url("/image.png")))
            .send()
            .await
            .unwrap();
        let message = expect_error(response, 403).await;
        assert!(
            message.contains("no result hosts are configured"),
            "{message}"
        );
    }
    assert!(host.seen().is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_https_urls_on_a_listed_host_and_port() {
    let host = result_host().await;
    let listed = host.authority();
    for (fetched_before, mode) in ["mock", "proxy"].into_iter().enumerate() {
        let server = start(mode, &["--result-host", &listed]).await;
        let port = host.addr.port();
        let refused = [
            (format!("http://{listed}/image.png"), 403, "https only"),
            // The certificate is good for localhost: only the host rule refuses it.
            (
                format!("https://localhost:{port}/image.png"),
                403,
                "not one of",
            ),
            (
                format!("https://127.0.0.1:{}/image.png", closed_port()),
                403,
                "not one of",
            ),
            ("https://127.0.0.1/image.png".to_owned(), 403, "not one of"),
            (
                format!("https://user:pw@{listed}/image.png"),
                403,
                "user name",
            ),
            ("/image.png".to_owned(), 400, "absolute https URL"),
        ];
        for (url, status, reason) in refused {
            let answer = raw_get(&server, &format!("?url={}", encoded(&url)), &[]).await;
            let message = answer.expect_error(status);
            assert!(message.contains(reason), "{mode} {url}: {message}");
        }
        for query in ["", "?url=", "?uri=x", "?url=a&url=b"] {
            let answer = raw_get(&server, query, &[]).await;
            assert!(answer.status == 400, "{mode} {query:?}: {}", answer.status);
        }
        assert_eq!(
            host.seen().len(),
            fetched_before,
            "{mode}: a refused URL was fetched"
        );

        let answer = raw_get(
            &server,
            &format!("?url={}", encoded(&host.url("/image.png"))),
            &[],
        )
        .await;
        assert_eq!((mode, answer.status), (mode, 200));
        assert_eq!(answer.body, png([1, 2, 3]));
    }
    assert_eq!(host.seen().len(), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn neither_the_key_nor_the_clients_headers_go_upstream() {
    let host = result_host().await;
    let server = start("proxy", &["--result-host", &host.authority()]).await;
    let response = client()
        .get(results_url(&server, &host.url("/image.png")))
        .bearer_auth("client-token-5a1f")
        .header("cookie", "session=cookie-9c2e")
        .header("x-forwarded-for", "198.51.100.7")
        .header("referer", "https://studio.example/history")
        .header("x-api-key", "client-key-3d7b")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let seen = host.seen();
    assert_eq!(seen.len(), 1);
    let mut names: Vec<&str> = seen[0].headers.keys().map(|name| name.as_str()).collect();
    names.sort_unstable();
    assert_eq!(names, ["accept", "accept-encoding", "host", "user-agent"]);
    let values = format!("{:?}", seen[0].headers);
    for secret in [
        KEY,
        "client-token-5a1f",
        "cookie-9c2e",
        "198.51.100.7",
        "client-key-3d7b",
    ] {
        assert!(!values.contains(secret), "{secret} went upstream: {values}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn other_sites_pages_are_refused() {
    let host = result_host().await;
    let listed = host.authority();
    let args = [
        "--result-host",
        &listed,
        "--allow-origin",
        "https://portal.example",
    ];
    let server = start("mock", &args).await;
    let query = format!("?url={}", encoded(&host.url("/image.png")));
    let refused: [&[&str]; 5] = [
        &["Origin: https://evil.example", "Sec-Fetch-Site: cross-site"],
        &["Origin: https://evil.example"],
        &["Origin: null"],
        // Another site's <img>, which sends no Origin.
        &["Sec-Fetch-Site: cross-site"],
        &["Sec-Fetch-Site: same-site"],
    ];
    for headers in refused {
        let message = raw_get(&server, &query, headers).await.expect_error(403);
        assert!(message.contains("its own page"), "{headers:?}: {message}");
    }
    assert!(host.seen().is_empty(), "a refused page's fetch went out");

    let own = format!("Origin: http://{}", server.addr);
    let allowed: [&[&str]; 5] = [
        &["Sec-Fetch-Site: same-origin"],
        &[&own, "Sec-Fetch-Site: same-origin"],
        &[
            "Origin: https://portal.example",
            "Sec-Fetch-Site: cross-site",
        ],
        &["Sec-Fetch-Site: none"],
        &[],
    ];
    for headers in allowed {
        let answer = raw_get(&server, &query, headers).await;
        assert_eq!(answer.status, 200, "{headers:?}");
    }
    let portal = raw_get(&server, &query, &["Origin: https://portal.example"]).await;
    assert_eq!(
        portal.header("access-control-allow-origin"),
        Some("https://portal.example")
    );
    assert_eq!(host.seen().len(), 6);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fetches_are_limited_per_client_and_in_flight() {
    let host = result_host().await;
    let listed = host.authority();
    let image = host.url("/image.png");

    // A burst of two for one request a second.
    let server = start(
        "mock",
        &["--result-host", &listed, "--client-rate-limit", "1"],
    )
    .await;
    let statuses = [
        client()
            .get(results_url(&server, &image))
            .send()
            .await
            .unwrap()
            .status(),
        client()
            .get(results_url(&server, &image))
            .send()
            .await
            .unwrap()
            .status(),
    ];
    assert_eq!(statuses, [200, 200]);
    let response = client()
        .get(results_url(&server, &image))
        .send()
        .await
        .unwrap();
    expect_error(response, 429).await;

    // One fetch in flight at most: a stalled one holds its place until its deadline.
    let args = [
        "--result-host",
        &listed,
        "--max-result-fetches",
        "1",
        "--result-timeout",
        "1s",
    ];
    let server = start("mock", &args).await;
    let stalled = client()
        .get(results_url(&server, &host.url("/stall")))
        .send()
        .await
        .unwrap();
    assert_eq!(stalled.status(), 200);
    let response = client()
        .get(results_url(&server, &image))
        .send()
        .await
        .unwrap();
    assert_eq!(header(&response, "retry-after"), "1");
    expect_error(response, 503).await;
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        let response = client()
            .get(results_url(&server, &image))
            .send()
            .await
            .unwrap();
        if response.status() == 200 {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the stalled fetch kept its place"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    drop(stalled);
}
