//! The build's precompressed copies (`x.br`, `x.gz`, written as `cargo xtask dist` writes
//! them) sent by `Accept-Encoding`, with the file's own type and headers; on-the-fly
//! compression for the files without; no URL for the copies themselves; HEAD and
//! ranges. Asked of the whole app with `oneshot`, without a socket.

use std::io::Read;

use crate::common::{TempDir, config, index_html};
use axum::Router;
use axum::body::Body;
use axum::http::{Method, Request, Response, StatusCode};
use http_body_util::BodyExt;
use tower::ServiceExt;

/// The hashed files of the test build, with their types and content.
const SCRIPT: &str = "app-0123456789abcdef.js";
const WASM: &str = "app-0123456789abcdef_bg.wasm";
const STYLES: &str = "studio-0123456789abcdef.css";
/// A stylesheet under the 1 KB below which no copy is written.
const SMALL_STYLES: &str = "page-0123456789abcdef.css";

/// A trunk-like build with the copies `cargo xtask dist` writes beside it.
fn build() -> TempDir {
    let dir = TempDir::new();
    // The page with its inline loader (for its CSP) and enough text to be compressed.
    let page = index_html().replace(
        "<body></body>",
        &format!("<body>{}</body>", "<p>Seedream Studio</p>".repeat(100)),
    );
    dir.write("index.html", &page);
    dir.write(
        SCRIPT,
        &"export function init() { return 42; }\n".repeat(60),
    );
    dir.write(STYLES, &".studio { display: grid; }\n".repeat(80));
    dir.write(SMALL_STYLES, &"body { margin: 0 }\n".repeat(20));
    dir.write(
        "embed.js",
        &"await import(new URL('app-0123456789abcdef.js', import.meta.url));\n".repeat(20),
    );
    dir.write(
        "examples/portal/portal.js",
        &"document.title = 'Portal';\n".repeat(60),
    );
    let mut wasm = b"\0asm\x01\0\0\0".to_vec();
    wasm.extend((0..40_000u32).map(|i| (i * 7 % 253) as u8));
    std::fs::write(dir.0.join(WASM), wasm).unwrap();
    let copies = seedream_first_load::precompress::precompress_dir(&dir.0).unwrap();
    assert_eq!(copies.len(), 6, "{copies:?}");
    dir
}

/// The mock's whole app serving `dir`.
fn app(dir: &TempDir) -> Router {
    let args = ["--mock", "--static", dir.arg()];
    seedream_server::app::router(&config(&args)).unwrap()
}

/// `method path` with `Accept-Encoding: encoding` (none when `None`) and `extra`
/// headers: the answer's head and its body as sent.
async fn ask(
    app: &Router,
    method: Method,
    path: &str,
    encoding: Option<&str>,
    extra: &[(&str, &str)],
) -> (Response<()>, Vec<u8>) {
    let mut request = Request::builder().method(method).uri(path);
    if let Some(encoding) = encoding {
        request = request.header("accept-encoding", encoding);
    }
    for (name, value) in extra {
        request = request.header(*name, *value);
    }
    let response = app
        .clone()
        .oneshot(request.body(Body::empty()).unwrap())
        .await
        .unwrap();
    let (parts, body) = response.into_parts();
    let body = body.collect().await.unwrap().to_bytes().to_vec();
    (Response::from_parts(parts, ()), body)
}

async fn get(app: &Router, path: &str, encoding: Option<&str>) -> (Response<()>, Vec<u8>) {
    ask(app, Method::GET, path, encoding, &[]).await
}

/// A header as text, "" when absent; fails when it is sent more than once.
fn header<'a>(response: &'a Response<()>, name: &str) -> &'a str {
    let values: Vec<_> = response.headers().get_all(name).iter().collect();
    assert!(values.len() <= 1, "{name} sent {} times", values.len());
    values.first().map_or("", |value| value.to_str().unwrap())
}

/// `body` decoded as `Content-Encoding: encoding` says.
fn decode(encoding: &str, body: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    match encoding {
        "" => out.extend_from_slice(body),
        "br" => {
            brotli::Decompressor::new(body, 4096)
                .read_to_end(&mut out)
                .unwrap();
        }
        "gzip" => {
            flate2::read::GzDecoder::new(body)
                .read_to_end(&mut out)
                .unwrap();
        }
        other => panic!("unexpected Content-Encoding {other}"),
    }
    out
}

fn read(dir: &TempDir, name: &str) -> Vec<u8> {
    std::fs::read(dir.0.join(name)).unwrap()
}

#[tokio::test]
async fn each_file_is_sent_as_the_copy_the_client_accepts() {
    let dir = build();
    let app = app(&dir);
    // (path, file, type, cached for a year)
    let files = [
        ("/", "index.html", "text/html", false),
        ("/index.html", "index.html", "text/html", false),
        ("/edit/42", "index.html", "text/html", false),
        (&format!("/{SCRIPT}"), SCRIPT, "text/javascript", true),
        (&format!("/{WASM}"), WASM, "application/wasm", true),
        (&format!("/{STYLES}"), STYLES, "text/css", true),
        ("/embed.js", "embed.js", "text/javascript", false),
        (
            "/examples/portal/portal.js",
            "examples/portal/portal.js",
            "text/javascript",
            false,
        ),
    ];
    // (Accept-Encoding, the copy sent, Content-Encoding)
    let encodings = [
        (Some("br"), ".br", "br"),
        (Some("gzip"), ".gz", "gzip"),
        (Some("gzip, deflate, br, zstd"), ".br", "br"),
        (Some("br;q=0.5, gzip"), ".gz", "gzip"),
        (None, "", ""),
        (Some("identity"), "", ""),
    ];
    for (path, file, content_type, immutable) in files {
        let original = read(&dir, file);
        for (accept, suffix, content_encoding) in encodings {
            let asked = format!("{path} with {accept:?}");
            let (response, body) = get(&app, path, accept).await;
            assert_eq!(response.status(), StatusCode::OK, "{asked}");
            assert_eq!(
                header(&response, "content-encoding"),
                content_encoding,
                "{asked}"
            );
            assert_eq!(header(&response, "vary"), "accept-encoding", "{asked}");
            assert!(
                header(&response, "content-type").starts_with(content_type),
                "{asked}: {}",
                header(&response, "content-type")
            );
            let cache = if immutable {
                "public, max-age=31536000, immutable"
            } else {
                "no-cache"
            };
            assert_eq!(header(&response, "cache-control"), cache, "{asked}");
            assert_eq!(
                header(&response, "content-length"),
                body.len().to_string(),
                "{asked}"
            );
            // Exactly the copy on disk (not compressed again), and it is the file.
            assert_eq!(body, read(&dir, &format!("{file}{suffix}")), "{asked}");
            assert_eq!(decode(content_encoding, &body), original, "{asked}");
        }
    }
}

#[tokio::test]
async fn copies_carry_the_files_cors_and_security_headers() {
    let dir = build();
    let app = app(&dir);
    for encoding in ["br", "gzip"] {
        let (page, _) = get(&app, "/", Some(encoding)).await;
        assert!(header(&page, "content-security-policy").contains("frame-ancestors 'self'"));
        assert_eq!(header(&page, "access-control-allow-origin"), "");
        for path in ["/embed.js", &format!("/{WASM}")] {
            let (code, _) = get(&app, path, Some(encoding)).await;
            assert_eq!(header(&code, "access-control-allow-origin"), "*", "{path}");
            assert_eq!(header(&code, "x-content-type-options"), "nosniff", "{path}");
            assert_eq!(header(&code, "referrer-policy"), "no-referrer", "{path}");
            assert_eq!(
                header(&code, "cross-origin-opener-policy"),
                "same-origin",
                "{path}"
            );
        }
    }
}

#[tokio::test]
async fn a_file_without_copies_is_compressed_on_the_fly() {
    let dir = build();
    let app = app(&dir);
    let path = format!("/{SMALL_STYLES}");
    let original = read(&dir, SMALL_STYLES);
    for encoding in ["br", "gzip"] {
        let (response, body) = get(&app, &path, Some(encoding)).await;
        assert_eq!(response.status(), StatusCode::OK);
        assert_eq!(header(&response, "content-encoding"), encoding);
        assert_eq!(header(&response, "vary"), "accept-encoding");
        assert!(header(&response, "content-type").starts_with("text/css"));
        assert_eq!(decode(encoding, &body), original);
    }
    let (response, body) = get(&app, &path, None).await;
    assert_eq!(header(&response, "content-encoding"), "");
    assert_eq!(body, original);
}

#[tokio::test]
async fn the_copies_have_no_url_of_their_own() {
    let dir = build();
    let app = app(&dir);
    for path in [
        "/index.html.br".to_owned(),
        "/index.html.gz".to_owned(),
        format!("/{WASM}.br"),
        format!("/{WASM}.GZ"),
        "/examples/portal/portal.js.br".to_owned(),
        "/embed.js%2Egz".to_owned(),
    ] {
        for encoding in [None, Some("br, gzip")] {
            let (response, _) = get(&app, &path, encoding).await;
            assert_eq!(response.status(), StatusCode::NOT_FOUND, "{path}");
            assert_eq!(header(&response, "cache-control"), "no-cache", "{path}");
        }
    }
}

#[tokio::test]
async fn head_describes_the_copy_a_get_would_send() {
    let dir = build();
    let app = app(&dir);
    let path = format!("/{WASM}");
    for (encoding, file, content_encoding) in [
        (Some("br"), format!("{WASM}.br"), "br"),
        (Some("gzip"), format!("{WASM}.gz"), "gzip"),
        (None, WASM.to_owned(), ""),
    ] {
        let (response, body) = ask(&app, Method::HEAD, &path, encoding, &[]).await;
        assert_eq!(response.status(), StatusCode::OK, "{encoding:?}");
        assert!(body.is_empty(), "{encoding:?}");
        assert_eq!(header(&response, "content-encoding"), content_encoding);
        assert_eq!(header(&response, "content-type"), "application/wasm");
        let length = std::fs::metadata(dir.0.join(&file)).unwrap().len();
        assert_eq!(header(&response, "content-length"), length.to_string());
    }
}

#[tokio::test]
async fn ranges_are_of_the_file_as_stored() {
    let dir = build();
    let app = app(&dir);
    let original = read(&dir, WASM);
    let path = format!("/{WASM}");
    for encoding in [Some("br"), Some("gzip"), Some("identity"), None] {
        let range = [("range", "bytes=100-1099")];
        let (response, body) = ask(&app, Method::GET, &path, encoding, &range).await;
        assert_eq!(
            response.status(),
            StatusCode::PARTIAL_CONTENT,
            "{encoding:?}"
        );
        assert_eq!(header(&response, "content-encoding"), "", "{encoding:?}");
        assert_eq!(
            header(&response, "content-range"),
            format!("bytes 100-1099/{}", original.len())
        );
        assert_eq!(header(&response, "content-type"), "application/wasm");
        assert_eq!(body, &original[100..1100], "{encoding:?}");
    }
}
