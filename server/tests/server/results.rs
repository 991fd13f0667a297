//! `GET /api/results` relaying a result from a result host over TLS: what is relayed
//! and how (an image, streamed, with headers that keep it one), and everything that is
//! refused on the way: other content types, failing statuses, bodies over the cap,
//! hosts too slow, redirects away from the listed hosts or too many of them.

use std::time::{Duration, Instant};

use crate::common::*;
use seedream_server::Running;
use seedream_server::result_relay::MAX_REDIRECTS;

/// A mock whose result hosts are `hosts`, with `extra` flags.
async fn mock_for(hosts: &[&ResultHost], extra: &[&str]) -> Running {
    let authorities: Vec<String> = hosts.iter().map(|host| host.authority()).collect();
    let mut args = vec!["--mock"];
    for authority in &authorities {
        args.extend(["--result-host", authority.as_str()]);
    }
    args.extend_from_slice(extra);
    relay(&args).await
}

async fn get(server: &Running, url: &str) -> reqwest::Response {
    client()
        .get(results_url(server, url))
        .send()
        .await
        .expect("answered")
}

/// The paths a result host was asked for.
fn paths(host: &ResultHost) -> Vec<String> {
    host.seen()
        .into_iter()
        .map(|seen| seen.path_and_query)
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_listed_hosts_image_is_relayed_as_an_image_that_cannot_run() {
    let host = result_host().await;
    let server = mock_for(&[&host], &[]).await;
    let response = get(
        &server,
        &host.url("/image.png?X-Sig=a%2Bb%2F&Expires=1#frag"),
    )
    .await;
    assert_eq!(response.status(), 200);
    for (name, value) in [
        ("content-type", "image/png"),
        ("x-content-type-options", "nosniff"),
        ("content-security-policy", "default-src 'none'; sandbox"),
        ("cross-origin-resource-policy", "same-origin"),
        ("cache-control", "private, max-age=86400"),
    ] {
        assert_eq!(header(&response, name), value, "{name}");
    }
    let image = png([1, 2, 3]);
    assert_eq!(header(&response, "content-length"), image.len().to_string());
    assert_eq!(response.bytes().await.unwrap(), image);
    // The link went as it was signed, without its fragment (never sent).
    assert_eq!(paths(&host), ["/image.png?X-Sig=a%2Bb%2F&Expires=1"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_jpeg_png_and_webp_are_relayed() {
    let host = result_host().await;
    let server = mock_for(&[&host], &[]).await;
    for (declared, relayed) in [
        ("image/jpeg", "image/jpeg"),
        ("image/webp", "image/webp"),
        ("Image/PNG; charset=binary", "image/png"),
    ] {
        let url = host.url(&format!("/typed?type={}", encoded(declared)));
        let response = get(&server, &url).await;
        assert_eq!(response.status(), 200, "{declared}");
        assert_eq!(header(&response, "content-type"), relayed);
    }
    for declared in [
        "text/html",
        "image/svg+xml",
        "application/octet-stream",
        "image/gif",
        "",
    ] {
        let url = host.url(&format!("/typed?type={}", encoded(declared)));
        let message = expect_error(get(&server, &url).await, 502).await;
        assert!(
            message.contains("not a JPEG, PNG or WebP"),
            "{declared}: {message}"
        );
    }
    let message = expect_error(get(&server, &host.url("/gzip")).await, 502).await;
    assert!(message.contains("encoded"), "{message}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_missing_result_is_404_and_a_failing_host_502() {
    let host = result_host().await;
    let server = mock_for(&[&host], &[]).await;
    for (upstream, status) in [(403, 404), (404, 404), (410, 404), (500, 502), (204, 502)] {
        let response = get(&server, &host.url(&format!("/status/{upstream}"))).await;
        assert_eq!(header(&response, "cache-control"), "no-store");
        let message = expect_error(response, status).await;
        assert!(message.contains(&upstream.to_string()), "{message}");
    }
    // A listed host nobody answers on.
    let closed = format!("127.0.0.1:{}", closed_port());
    let server = relay(&["--mock", "--result-host", &closed]).await;
    let message = expect_error(get(&server, &format!("https://{closed}/x.png")).await, 502).await;
    assert!(message.contains("could not be reached"), "{message}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_size_cap_holds_declared_or_streamed() {
    const CAP: usize = 1_000_000;
    let host = result_host().await;
    let server = mock_for(&[&host], &["--max-result-mb", "1"]).await;

    // Declared over the cap: refused before the body is read.
    let message = expect_error(get(&server, &host.url("/declared?len=1000001")).await, 502).await;
    assert!(message.contains("larger than 1000000 bytes"), "{message}");
    // Exactly the cap, declared or not, passes whole.
    for path in ["/declared?len=1000000", "/streamed?len=1000000"] {
        let response = get(&server, &host.url(path)).await;
        assert_eq!(response.status(), 200, "{path}");
        assert_eq!(response.bytes().await.unwrap().len(), CAP, "{path}");
    }
    // Streamed past the cap: the answer had started, so its body is cut off, which the
    // client sees as a failed download, never as a shorter image.
    let response = get(&server, &host.url("/streamed?len=1500000")).await;
    assert_eq!(response.status(), 200);
    assert_eq!(header(&response, "content-length"), "");
    let mut response = response;
    let mut read = 0;
    let ended = loop {
        match response.chunk().await {
            Ok(Some(chunk)) => read += chunk.len(),
            Ok(None) => break "the end",
            Err(_) => break "an error",
        }
    };
    assert_eq!(ended, "an error");
    assert!(read <= CAP, "{read} bytes relayed");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_fetch_over_its_time_is_cut_off() {
    let host = result_host().await;
    let server = mock_for(&[&host], &["--result-timeout", "400ms"]).await;
    let started = Instant::now();
    let message = expect_error(get(&server, &host.url("/slow")).await, 504).await;
    assert!(message.contains("in time"), "{message}");
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );

    // A body that stops coming is cut at the same deadline.
    let started = Instant::now();
    let response = get(&server, &host.url("/stall")).await;
    assert_eq!(response.status(), 200);
    assert!(response.bytes().await.is_err(), "a stalled body ended well");
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn redirects_are_followed_only_to_listed_https_hosts_and_only_a_few() {
    let (a, b, unlisted) = (
        result_host().await,
        result_host().await,
        result_host().await,
    );
    let server = mock_for(&[&a, &b], &[]).await;
    let hops = MAX_REDIRECTS;
    assert_eq!(hops, 3);

    let response = get(&server, &a.url(&format!("/hop/{hops}"))).await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.bytes().await.unwrap(), png([1, 2, 3]));
    assert_eq!(paths(&a), ["/hop/3", "/hop/2", "/hop/1", "/hop/0"]);
    let message = expect_error(get(&server, &a.url("/hop/4")).await, 502).await;
    assert!(message.contains("more than 3 times"), "{message}");
    assert_eq!(paths(&a).len(), 4 + 4, "the fifth hop was not asked for");

    let to = |target: String| a.url(&format!("/redirect?to={}", encoded(&target)));
    let response = get(&server, &to(b.url("/image.png"))).await;
    assert_eq!(response.status(), 200, "to another listed host");
    assert_eq!(paths(&b), ["/image.png"]);

    let localhost = format!("https://localhost:{}/image.png", a.addr.port());
    let plain = format!("http://{}/image.png", a.authority());
    for refused in [unlisted.url("/image.png"), plain, localhost] {
        let asked = paths(&a).len();
        let message = expect_error(get(&server, &to(refused.clone())).await, 502).await;
        assert!(
            message.contains("does not fetch from"),
            "{refused}: {message}"
        );
        assert_eq!(paths(&a).len(), asked + 1, "{refused} was followed");
    }
    assert!(unlisted.seen().is_empty(), "an unlisted host was asked");
}
