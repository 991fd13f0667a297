//! Serving the built app beside the API: the page and its assets with their cache and
//! security headers, compression, the health check, and start-up errors.

use crate::common::*;
use base64::Engine as _;
use seedream_server::Running;
use sha2::{Digest, Sha256};

async fn get(server: &Running, path: &str) -> reqwest::Response {
    client().get(server.url(path)).send().await.unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_page_is_revalidated_and_hashed_assets_are_immutable() {
    let dir = dist();
    let server = site(&dir).await;
    for path in ["/", "/index.html"] {
        let response = get(&server, path).await;
        assert_eq!(response.status(), 200, "{path}");
        assert_eq!(header(&response, "cache-control"), "no-cache", "{path}");
        assert!(
            header(&response, "content-type").starts_with("text/html"),
            "{path}"
        );
        assert_eq!(response.text().await.unwrap(), index_html());
    }
    let response = get(&server, "/app-0123456789abcdef.js").await;
    assert_eq!(response.status(), 200);
    assert!(header(&response, "cache-control").contains("immutable"));
    assert!(header(&response, "content-type").contains("javascript"));
    assert_eq!(response.text().await.unwrap(), ASSET);
}

/// `embed.js`, the loader portals link, keeps its name from build to build while what it
/// loads changes: it must be revalidated, or a portal would keep loading a build whose
/// hashed files are gone. The example portal beside it is plain files too.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_embed_loader_and_examples_are_revalidated_and_code_is_shareable() {
    let dir = dist();
    dir.write(
        "embed.js",
        "const { default: init } = await import(new URL('app-0123456789abcdef.js', import.meta.url));\n",
    );
    dir.write(
        "examples/portal/index.html",
        "<!doctype html><title>Portal</title>",
    );
    let server = site(&dir).await;

    let response = get(&server, "/embed.js").await;
    assert_eq!(response.status(), 200);
    assert_eq!(header(&response, "cache-control"), "no-cache");
    assert!(header(&response, "content-type").contains("javascript"));

    // A portal on another origin imports the loader and the app's module.
    for code in ["/embed.js", "/app-0123456789abcdef.js"] {
        let response = get(&server, code).await;
        assert_eq!(
            header(&response, "access-control-allow-origin"),
            "*",
            "{code}"
        );
    }
    let response = get(&server, "/").await;
    assert!(
        response
            .headers()
            .get("access-control-allow-origin")
            .is_none(),
        "the page itself is not shared"
    );

    let response = get(&server, "/examples/portal/").await;
    assert_eq!(response.status(), 200);
    assert_eq!(header(&response, "cache-control"), "no-cache");
    assert_eq!(
        response.text().await.unwrap(),
        "<!doctype html><title>Portal</title>"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_missing_hashed_asset_is_not_cached_for_a_year() {
    let dir = dist();
    let server = site(&dir).await;
    // E.g. the previous build's bundle, asked for by a page loaded before a deploy.
    let response = get(&server, "/app-fedcba9876543210.js").await;
    assert_eq!(response.status(), 404);
    let cache = header(&response, "cache-control");
    assert!(
        !cache.contains("immutable"),
        "{} {cache}",
        response.status()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unknown_paths_get_the_page_but_unknown_api_paths_the_envelope() {
    let dir = dist();
    let server = site(&dir).await;
    for path in ["/edit/42", "/settings"] {
        let response = get(&server, path).await;
        assert_eq!(response.status(), 200, "{path}");
        assert_eq!(header(&response, "cache-control"), "no-cache", "{path}");
        assert_eq!(response.text().await.unwrap(), index_html(), "{path}");
    }
    // A missing file is a 404, not the page under the file's name.
    let response = get(&server, "/no-such-file.txt").await;
    assert_eq!(response.status(), 404);
    for path in [
        "/api/unknown",
        "/api",
        "/api/v1/tasks/a%2Fb",
        "/api/v1/x/y/z",
    ] {
        let message = expect_error(get(&server, path).await, 404).await;
        assert!(message.starts_with("Not found: "), "{path}: {message}");
    }
    // The API still works beside the page.
    let client = client();
    submit_ok(&client, &server, &minimal_body()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn api_with_a_trailing_slash_is_not_the_page() {
    let dir = dist();
    let server = site(&dir).await;
    expect_error(get(&server, "/api/").await, 404).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_page_carries_a_strict_content_security_policy() {
    let dir = dist();
    let server = site(&dir).await;
    let hash = base64::engine::general_purpose::STANDARD.encode(Sha256::digest(INLINE));
    for path in ["/", "/app-0123456789abcdef.js", "/notes.txt", "/edit/42"] {
        let response = get(&server, path).await;
        let policy = header(&response, "content-security-policy");
        let directives: Vec<&str> = policy.split(';').map(str::trim).collect();
        assert!(
            directives.contains(&"frame-ancestors 'self' https://portal.example"),
            "{path}: {policy}"
        );
        let script = directives
            .iter()
            .find(|d| d.starts_with("script-src "))
            .unwrap();
        assert!(script.contains(&format!("'sha256-{hash}'")), "{policy}");
        assert!(!policy.contains("unsafe-inline"), "{policy}");
        assert!(directives.contains(&"default-src 'none'"), "{policy}");
        assert_eq!(
            header(&response, "x-content-type-options"),
            "nosniff",
            "{path}"
        );
        assert_eq!(
            header(&response, "referrer-policy"),
            "no-referrer",
            "{path}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_default_policy_allows_framing_by_the_same_origin_only() {
    let dir = dist();
    let server = mock(&["--static", dir.arg()]).await;
    let policy = header(&get(&server, "/").await, "content-security-policy");
    assert!(
        policy.ends_with("frame-ancestors 'self'") || policy.contains("frame-ancestors 'self';"),
        "{policy}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn text_is_gzipped_when_the_client_accepts_it() {
    let dir = dist();
    let server = site(&dir).await;
    let client = client();
    let response = client
        .get(server.url("/notes.txt"))
        .header("accept-encoding", "gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(header(&response, "content-encoding"), "gzip");
    let bytes = response.bytes().await.unwrap();
    assert!(bytes.starts_with(&[0x1f, 0x8b]), "gzip magic");
    let plain_len = std::fs::metadata(dir.0.join("notes.txt")).unwrap().len();
    assert!(
        (bytes.len() as u64) < plain_len / 4,
        "{} of {plain_len}",
        bytes.len()
    );
    // Without Accept-Encoding the file comes as it is.
    let response = client.get(server.url("/notes.txt")).send().await.unwrap();
    assert!(response.headers().get("content-encoding").is_none());
    assert_eq!(response.bytes().await.unwrap().len() as u64, plain_len);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn healthz_answers_ok_with_and_without_a_site() {
    let dir = dist();
    for server in [site(&dir).await, mock(&[]).await] {
        let response = get(&server, "/healthz").await;
        assert_eq!(response.status(), 200);
        assert_eq!(response.text().await.unwrap(), "ok");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_frame_ancestors_that_could_inject_a_directive_is_refused() {
    let dir = dist();
    for bad in [
        "x; script-src *",
        "'self'; script-src *",
        "https://a.example,https://b.example",
        "*",
    ] {
        let args = [
            "--mock",
            "--listen",
            "127.0.0.1:0",
            "--static",
            dir.arg(),
            "--frame-ancestors",
            bad,
        ];
        let error = seedream_server::spawn(config(&args)).await.err();
        let error = error.unwrap_or_else(|| panic!("{bad:?} was accepted"));
        assert!(
            format!("{error:#}").contains("CSP source"),
            "{bad}: {error:#}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_folder_without_index_html_is_refused() {
    let dir = TempDir::new();
    let args = ["--mock", "--listen", "127.0.0.1:0", "--static", dir.arg()];
    let error = seedream_server::spawn(config(&args))
        .await
        .err()
        .expect("refused");
    assert!(format!("{error:#}").contains("index.html"), "{error:#}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_port_in_use_is_an_error_naming_it() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port();
    let listen = format!("127.0.0.1:{port}");
    let error = seedream_server::spawn(config(&["--mock", "--listen", &listen]))
        .await
        .err();
    let error = format!("{:#}", error.expect("the port is taken"));
    assert!(error.contains(&port.to_string()), "{error}");
    assert!(error.contains("--listen"), "{error}");
    drop(taken);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_proxy_without_a_key_does_not_start() {
    let args = [
        "--listen",
        "127.0.0.1:0",
        "--upstream",
        "http://127.0.0.1:9",
    ];
    let error = seedream_server::spawn(config(&args))
        .await
        .err()
        .expect("refused");
    assert!(
        format!("{error:#}").contains("MODELLIX_API_KEY"),
        "{error:#}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rebuilt_page_gets_a_policy_for_its_new_loader() {
    let dir = dist();
    let server = site(&dir).await;
    let hash_of =
        |script: &str| base64::engine::general_purpose::STANDARD.encode(Sha256::digest(script));
    let before = header(&get(&server, "/").await, "content-security-policy");
    assert!(before.contains(&hash_of(INLINE)), "{before}");

    // A rebuild writes a new loader naming new hashed files, while the server runs.
    let rebuilt = "import init from '/app-fedcba9876543210.js'; init();";
    dir.write(
        "index.html",
        &format!(
            "<!doctype html><html><head><script type=\"module\">{rebuilt}</script></head></html>"
        ),
    );
    let later = std::time::SystemTime::now() + std::time::Duration::from_secs(5);
    std::fs::File::options()
        .write(true)
        .open(dir.0.join("index.html"))
        .and_then(|file| file.set_modified(later))
        .unwrap();

    let after = header(&get(&server, "/").await, "content-security-policy");
    assert!(after.contains(&hash_of(rebuilt)), "{after}");
    assert!(!after.contains(&hash_of(INLINE)), "{after}");
}

/// How many times `response` carries `name`, and its first value.
fn header_count(response: &reqwest::Response, name: &str) -> (usize, String) {
    let values = response.headers().get_all(name);
    let first = values
        .iter()
        .next()
        .map(|value| value.to_str().unwrap().to_owned());
    (values.iter().count(), first.unwrap_or_default())
}

/// A path of each kind the server answers: the page, an asset, an app route, a missing
/// file, health, an unknown API route and an unknown task.
const EVERY_KIND_OF_PATH: [&str; 7] = [
    "/",
    "/app-0123456789abcdef.js",
    "/edit/42",
    "/missing.txt",
    "/healthz",
    "/api/unknown",
    "/api/v1/tasks/unknown-task",
];

/// Every answer, `/api` ones included (an error envelope must not be sniffed into a
/// page), carries `nosniff` exactly once: page, assets, app routes, 404s and health.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_answer_says_nosniff_once() {
    let dir = dist();
    let client = client();
    for server in [site(&dir).await, mock(&[]).await] {
        let submitted = submit(&client, &server, &minimal_body()).await;
        assert_eq!(submitted.status(), 200);
        let mut answers = vec![submitted];
        for path in EVERY_KIND_OF_PATH {
            answers.push(get(&server, path).await);
        }
        for response in answers {
            let (count, value) = header_count(&response, "x-content-type-options");
            assert_eq!(
                (count, value.as_str()),
                (1, "nosniff"),
                "{}",
                response.url()
            );
        }
    }
    // The proxy's answers too (here a 502: its upstream is a closed port).
    let upstream = format!("http://127.0.0.1:{}", closed_port());
    let server = proxy(&upstream, KEY, &[]).await;
    let response = submit(&client, &server, &minimal_body()).await;
    assert_eq!(response.status(), 502);
    assert_eq!(
        header_count(&response, "x-content-type-options"),
        (1, "nosniff".to_owned())
    );
}

/// `--hsts` puts Strict-Transport-Security on every answer (without includeSubDomains:
/// other hosts of the domain are not this server's to decide); without it there is none,
/// or browsers that ever saw it could not reach a plain-http deployment for a year.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn strict_transport_security_only_behind_tls() {
    let dir = dist();
    let plain = site(&dir).await;
    let behind_tls = mock(&["--static", dir.arg(), "--hsts"]).await;
    let client = client();
    for path in EVERY_KIND_OF_PATH {
        let response = get(&plain, path).await;
        assert_eq!(
            header_count(&response, "strict-transport-security").0,
            0,
            "{path}"
        );
        let response = get(&behind_tls, path).await;
        assert_eq!(
            header_count(&response, "strict-transport-security"),
            (1, "max-age=31536000".to_owned()),
            "{path}"
        );
    }
    let response = submit(&client, &behind_tls, &minimal_body()).await;
    assert_eq!(response.status(), 200);
    assert_eq!(
        header(&response, "strict-transport-security"),
        "max-age=31536000"
    );
}

/// The page learns what its own server's `/api` is from the configuration file it asks
/// for anyway, present or not: the mock says so.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_configuration_file_names_the_servers_api() {
    let dir = dist();
    let server = site(&dir).await;
    let missing = get(&server, "/config.json").await;
    assert_eq!(missing.status(), 404);
    assert_eq!(header(&missing, "seedream-api"), "mock");
    dir.write("config.json", "{}");
    let present = get(&server, "/config.json").await;
    assert_eq!(present.status(), 200);
    assert_eq!(header(&present, "seedream-api"), "mock");
    // Only there: other answers do not carry it.
    let page = get(&server, "/").await;
    assert!(page.headers().get("seedream-api").is_none());
}
