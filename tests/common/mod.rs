//! Helpers shared by the app's browser tests: a host to mount into, the page's text,
//! waiting for a condition, and local images.

use std::time::Duration;

use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement};

/// How long [`until`] waits for a condition before failing the test. Generous: a
/// condition that holds returns at once, and only a failing test waits this long.
pub const WAIT: Duration = Duration::from_secs(10);

/// Waits until `condition` holds, checking it every few milliseconds (the page
/// renders and runs its timers in between). Fails the test, saying it was waiting
/// for `what`, when the condition still does not hold after [`WAIT`].
pub async fn until(what: &str, condition: impl FnMut() -> bool) {
    until_within(WAIT, what, condition).await;
}

/// As [`until`], failing after `limit`; returns how long the condition took to hold.
/// For a test whose point is that something happens within a time.
pub async fn until_within(
    limit: Duration,
    what: &str,
    condition: impl FnMut() -> bool,
) -> Duration {
    match poll(limit, condition).await {
        Some(took) => took,
        None => panic!("waited {limit:?} for {what}, in vain"),
    }
}

/// Waits until `actual()` equals `expected`, as [`until`] does; when it never does,
/// the failure says what it waited for, and what it saw last.
pub async fn until_eq<T: PartialEq + std::fmt::Debug>(
    what: &str,
    expected: T,
    mut actual: impl FnMut() -> T,
) {
    let mut last = None;
    let held = poll(WAIT, || {
        let seen = actual();
        let held = seen == expected;
        last = Some(seen);
        held
    })
    .await;
    if held.is_none() {
        panic!("waited {WAIT:?} for {what}: expected {expected:?}, last saw {last:?}");
    }
}

/// Checks `condition` every few milliseconds until it holds (how long that took) or
/// `limit` has passed (`None`).
async fn poll(limit: Duration, mut condition: impl FnMut() -> bool) -> Option<Duration> {
    let started = js_sys::Date::now();
    loop {
        let elapsed = Duration::from_secs_f64((js_sys::Date::now() - started).max(0.0) / 1000.0);
        if condition() {
            return Some(elapsed);
        }
        if elapsed >= limit {
            return None;
        }
        gloo_timers::future::TimeoutFuture::new(5).await;
    }
}

/// Lets the page run what it has already scheduled (the effects and tasks a change
/// queued: Leptos runs them as microtasks, all done before the next timer fires),
/// for a check that something did *not* happen in response. Not a wait for anything:
/// where a test waits for something, it uses [`until`].
pub async fn after_pending_work() {
    gloo_timers::future::TimeoutFuture::new(0).await;
}

fn document() -> web_sys::Document {
    web_sys::window()
        .and_then(|w| w.document())
        .expect("a browser test runs in a document")
}

/// A fresh `<div>` attached to the page's body, for a test to mount into.
pub fn host() -> HtmlElement {
    let document = document();
    let host: HtmlElement = document
        .create_element("div")
        .expect("create a host element")
        .unchecked_into();
    document
        .body()
        .expect("a body")
        .append_child(&host)
        .expect("attach the host");
    host
}

/// Empties the origin's localStorage and sessionStorage, once the history saves
/// queued so far have run. Every test of the one test binary shares the page's
/// storage, so a test that mounts the app or reads what is stored starts with this.
///
/// A task list saves under the history's Web Lock, and its owner lives until such a
/// save has run, so a save an earlier test queued can land after that test ended:
/// waiting for the lock first (it is granted in turn) keeps it out of this test.
pub async fn fresh_storage() {
    saves_done().await;
    let window = web_sys::window().expect("a window");
    for storage in [window.local_storage(), window.session_storage()] {
        storage
            .ok()
            .flatten()
            .expect("web storage in the test browser")
            .clear()
            .expect("clear storage");
    }
}

/// Resolves once every history save queued so far has run: it asks for the
/// history's Web Lock, which the browser grants in the order asked, and lets it go.
/// (Without Web Locks a save runs at once, so there is nothing to wait for.)
pub async fn saves_done() {
    let navigator = web_sys::window().expect("a window").navigator();
    let locks = js_sys::Reflect::get(&navigator, &"locks".into()).expect("navigator.locks");
    if locks.is_undefined() {
        return;
    }
    let request: js_sys::Function = js_sys::Reflect::get(&locks, &"request".into())
        .expect("locks.request")
        .unchecked_into();
    let release_at_once = js_sys::Function::new_no_args("");
    let granted = request
        .call2(
            &locks,
            &seedream_studio::history::sync::LOCK_NAME.into(),
            &release_at_once,
        )
        .expect("a lock request");
    wasm_bindgen_futures::JsFuture::from(js_sys::Promise::from(granted))
        .await
        .expect("the history's lock");
}

/// The Web Lock a test holds while the page's IndexedDB is, or must not be, taken away:
/// the tests of the one binary run side by side, so a test that hides `indexedDB`
/// holds it alone and every test that opens a database holds it shared.
const INDEXED_DB_LOCK: &str = "seedream-studio-test:indexeddb";

/// Runs `work` while IndexedDB stays as the browser gives it.
pub async fn with_indexed_db<T>(work: impl std::future::Future<Output = T>) -> T {
    holding(INDEXED_DB_LOCK, "shared", work).await
}

/// Runs `work` (which takes IndexedDB away and puts it back) alone.
pub async fn without_others_indexed_db<T>(work: impl std::future::Future<Output = T>) -> T {
    holding(INDEXED_DB_LOCK, "exclusive", work).await
}

/// Runs `work` holding the Web Lock `name` in `mode`.
async fn holding<T>(name: &str, mode: &str, work: impl std::future::Future<Output = T>) -> T {
    use std::cell::RefCell;
    use std::rc::Rc;
    use wasm_bindgen::closure::Closure;

    let navigator = web_sys::window().expect("a window").navigator();
    let locks = js_sys::Reflect::get(&navigator, &"locks".into()).expect("navigator.locks");
    let request: js_sys::Function = js_sys::Reflect::get(&locks, &"request".into())
        .expect("locks.request")
        .unchecked_into();
    let options = js_sys::Object::new();
    js_sys::Reflect::set(&options, &"mode".into(), &mode.into()).expect("lock options");
    // Granted: the callback's promise, resolved when the work is done, holds the lock.
    let release: Rc<RefCell<Option<js_sys::Function>>> = Rc::default();
    let (granted, is_granted) = futures::channel::oneshot::channel::<()>();
    let mut granted = Some(granted);
    let slot = Rc::clone(&release);
    let callback = Closure::once(move |_lock: wasm_bindgen::JsValue| {
        js_sys::Promise::new(&mut |resolve, _reject| {
            *slot.borrow_mut() = Some(resolve);
            if let Some(granted) = granted.take() {
                let _ = granted.send(());
            }
        })
    });
    let _ = request
        .call3(
            &locks,
            &name.into(),
            &options,
            callback.as_ref().unchecked_ref(),
        )
        .expect("a lock request");
    is_granted.await.expect("the lock");
    let done = work.await;
    if let Some(resolve) = release.borrow_mut().take() {
        let _ = resolve.call0(&wasm_bindgen::JsValue::NULL);
    }
    drop(callback);
    done
}

/// The first element under `root` that matches `selector`, if any.
pub fn find(root: &Element, selector: &str) -> Option<Element> {
    root.query_selector(selector).expect("a valid selector")
}

/// The first element under `root` that matches `selector`; fails the test, naming the
/// selector, when there is none.
pub fn get(root: &Element, selector: &str) -> HtmlElement {
    find(root, selector)
        .unwrap_or_else(|| panic!("no element matches {selector}"))
        .unchecked_into()
}

/// Every element under `root` that matches `selector`, in document order.
pub fn all(root: &Element, selector: &str) -> Vec<Element> {
    let list = root.query_selector_all(selector).expect("a valid selector");
    (0..list.length())
        .filter_map(|i| list.get(i))
        .map(|node| node.unchecked_into())
        .collect()
}

/// How many elements under `root` match `selector`.
pub fn count(root: &Element, selector: &str) -> usize {
    all(root, selector).len()
}

/// The text content of the first element under `root` matching `selector`; fails the
/// test when there is none (an absent element is not an empty text).
pub fn text(root: &Element, selector: &str) -> String {
    get(root, selector).text_content().unwrap_or_default()
}

/// The text content of each element under `root` matching `selector` (none: empty).
pub fn texts(root: &Element, selector: &str) -> Vec<String> {
    all(root, selector)
        .iter()
        .map(|element| element.text_content().unwrap_or_default())
        .collect()
}

/// The `value` of the form control matching `selector` under `root`.
pub fn value(root: &Element, selector: &str) -> String {
    js_sys::Reflect::get(&get(root, selector), &"value".into())
        .ok()
        .and_then(|value| value.as_string())
        .unwrap_or_else(|| panic!("{selector} has no value"))
}

/// Calls `host.seedreamStudio[method](argument)`, the studio's commands for its page.
pub fn call(host: &HtmlElement, method: &str, argument: Option<&str>) -> wasm_bindgen::JsValue {
    let api = js_sys::Reflect::get(host, &"seedreamStudio".into()).expect("the host API");
    let function: js_sys::Function = js_sys::Reflect::get(&api, &method.into())
        .expect("a method")
        .unchecked_into();
    match argument {
        Some(value) => function.call1(&api, &value.into()),
        None => function.call0(&api),
    }
    .expect("the call succeeds")
}

/// A 1x1 PNG's bytes.
pub const ONE_PIXEL_PNG: &[u8] = &[
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1f, 0x15, 0xc4,
    0x89, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x44, 0x41, 0x54, 0x78, 0xda, 0x63, 0x64, 0xf8, 0xcf, 0x50,
    0x0f, 0x00, 0x03, 0x86, 0x01, 0x80, 0x5a, 0x34, 0x7d, 0x6b, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45,
    0x4e, 0x44, 0xae, 0x42, 0x60, 0x82,
];

/// A local image as the form holds one: a browser `Blob` of `bytes` (a PNG), its
/// object URL, and what the rules need. The bytes stay in the browser.
pub fn local_png(bytes: &[u8], name: &str) -> seedream_studio::media::Source {
    local_claiming(bytes, name, bytes.len() as u64)
}

/// As [`local_png`], with the byte size the rules are told (`File.size` for a file).
pub fn local_claiming(bytes: &[u8], name: &str, claimed: u64) -> seedream_studio::media::Source {
    use seedream_studio::media::{LocalImage, ObjectUrl, Source};
    let parts: js_sys::Array = [js_sys::Uint8Array::from(bytes)].iter().collect();
    let blob = web_sys::Blob::new_with_u8_array_sequence(&parts).expect("a blob");
    let preview = ObjectUrl::for_blob(&blob).expect("an object URL");
    Source::Local(LocalImage::new(
        blob,
        preview,
        name.to_owned(),
        claimed,
        seedream_contract::ImageFormat::Png,
    ))
}
