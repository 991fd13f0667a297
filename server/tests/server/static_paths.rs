//! What static hosting refuses however a path is spelt: hidden files, whatever a symlink
//! leads to outside the folder, and redirects to another host. Sent with the raw
//! client, since reqwest would normalise these paths before sending them.

use crate::common::*;
use seedream_server::Running;

async fn raw_get(server: &Running, path: &str) -> RawAnswer {
    raw_request(server.addr, &format!("GET {path} HTTP/1.1"), b"").await
}

/// A plain 404: no redirect to follow, not the page, and nothing of the file.
fn assert_not_found(answer: &RawAnswer, path: &str, secret: &str) {
    assert_eq!(answer.status, 404, "{path}");
    assert_eq!(answer.header("location"), None, "{path}");
    let body = String::from_utf8_lossy(&answer.body);
    assert!(!body.contains(secret), "{path}: {body}");
    assert!(!body.contains("Seedream Studio"), "{path}: the page");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hidden_files_are_not_found_in_any_spelling() {
    let dir = dist();
    dir.write(".env", "MODELLIX_API_KEY=hidden-secret");
    dir.write(".git/config", "hidden-secret");
    dir.write("assets/.hidden", "hidden-secret");
    dir.write("assets/visible.txt", "visible");
    let server = site(&dir).await;
    for path in [
        "/.env",
        "/.git/config",
        "/.git",
        "/.git/",
        "/assets/.hidden",
        "/%2eenv",
        "/%2Eenv",
        "/%2egit/config",
        "/assets/%2ehidden",
        "/.git%2fconfig",
        "/assets%2f.hidden",
        "/assets/./.hidden",
        "/assets/../.env",
        "//.env",
        "/.well-known/x",
    ] {
        assert_not_found(&raw_get(&server, path).await, path, "hidden-secret");
    }
    // Dot segments are never part of a legitimate request (browsers resolve them).
    assert_not_found(&raw_get(&server, "/./index.html").await, "/./", "x");
    // What is not hidden is still served, the page and its routes too.
    let answer = raw_get(&server, "/assets/visible.txt").await;
    assert_eq!(
        (answer.status, answer.body.as_slice()),
        (200, &b"visible"[..])
    );
    assert_the_page_is_served(&server).await;
}

#[cfg(unix)]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn symlinks_leading_out_of_the_folder_are_not_found() {
    let outside = TempDir::new();
    outside.write("secret.txt", "outside-secret");
    outside.write("notes", "outside-secret");
    outside.write("index.html", "outside-secret");
    let dir = dist();
    dir.write("examples/portal.html", "<title>Portal</title>");
    dir.link("secret.txt", outside.0.join("secret.txt"));
    dir.link("elsewhere", &outside.0);
    dir.link("up", "..");
    // Links that stay in the folder keep working, relative or absolute.
    dir.link("samples", "examples");
    dir.link("latest.js", dir.0.join("app-0123456789abcdef.js"));
    let server = site(&dir).await;

    for path in [
        "/secret.txt",
        "/elsewhere",
        "/elsewhere/",
        "/elsewhere/secret.txt",
        "/elsewhere/notes",
        "/elsewhere/index.html",
        // What does not exist behind the link is not the page either: no probing.
        "/elsewhere/missing",
        "/elsewhere/missing.txt",
        "/up/",
        "/up/secret.txt",
    ] {
        assert_not_found(&raw_get(&server, path).await, path, "outside-secret");
    }
    let answer = raw_get(&server, "/samples/portal.html").await;
    assert_eq!(answer.status, 200);
    assert_eq!(answer.body, b"<title>Portal</title>");
    let answer = raw_get(&server, "/latest.js").await;
    assert_eq!(
        (answer.status, answer.body.as_slice()),
        (200, ASSET.as_bytes())
    );
    assert_the_page_is_served(&server).await;
}

/// A page served at `dist/index.html` through a symlink out of the folder is refused
/// as the page's routes too, not only under its own name.
#[cfg(unix)]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_page_linked_from_outside_is_not_served_for_app_routes() {
    let outside = TempDir::new();
    outside.write("index.html", &index_html());
    let dir = TempDir::new();
    dir.link("index.html", outside.0.join("index.html"));
    let server = site(&dir).await;
    for path in ["/", "/index.html", "/edit/42"] {
        assert_not_found(&raw_get(&server, path).await, path, "outside-secret");
    }
}

/// `ServeDir` redirects a directory to its path plus `/`; from `//evil.example` that
/// would be `Location: //evil.example/`, another host. Leading slashes collapse first.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn redirects_never_lead_to_another_host() {
    let dir = dist();
    dir.write("examples/portal/index.html", "<title>Portal</title>");
    dir.write("evil.example/index.html", "<title>A folder</title>");
    let server = site(&dir).await;
    for (path, location) in [
        ("/examples", "/examples/"),
        ("//examples", "/examples/"),
        ("///examples", "/examples/"),
        ("//examples/portal", "/examples/portal/"),
        ("//evil.example", "/evil.example/"),
        ("///evil.example?x=1", "/evil.example/?x=1"),
        ("/\\evil.example", "/evil.example/"),
        ("http://evil.example/examples", "/examples/"),
    ] {
        let answer = raw_get(&server, path).await;
        assert!((300..400).contains(&answer.status), "{path}: {answer:?}");
        assert_eq!(answer.header("location"), Some(location), "{path}");
    }
    // Collapsed, the other paths are what they would be with one slash.
    let answer = raw_get(&server, "//examples/portal/").await;
    assert_eq!(
        (answer.status, answer.body.as_slice()),
        (200, &b"<title>Portal</title>"[..])
    );
    for path in ["//", "///x", "//edit/42"] {
        let answer = raw_get(&server, path).await;
        assert_eq!(answer.status, 200, "{path}");
        assert_eq!(
            String::from_utf8_lossy(&answer.body),
            index_html(),
            "{path}"
        );
    }
}

/// The page is still served under its own name and the app's routes.
async fn assert_the_page_is_served(server: &Running) {
    for path in ["/", "/index.html", "/edit/42"] {
        let answer = raw_get(server, path).await;
        assert_eq!(answer.status, 200, "{path}");
        assert_eq!(
            String::from_utf8_lossy(&answer.body),
            index_html(),
            "{path}"
        );
    }
}
