//! What the browser allows the archive: its estimate of the origin's quota (asked once,
//! never in a loop: the budget counts the stored images' own sizes), and persistent
//! storage, asked for from a person's action.

use js_sys::Reflect;
use wasm_bindgen::JsValue;
use wasm_bindgen_futures::JsFuture;

/// The share of the origin's quota the archive uses unless the person sets another,
/// in percent.
pub const DEFAULT_SHARE_PERCENT: u8 = 50;

/// The budget when the browser gives no estimate: 1 GiB.
pub const FALLBACK_BUDGET: u64 = 1 << 30;

/// The browser's estimate for this origin, in bytes.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Estimate {
    pub usage: f64,
    pub quota: f64,
}

impl Estimate {
    /// `percent` of the quota, in bytes.
    pub fn share(self, percent: u8) -> u64 {
        (self.quota * f64::from(percent) / 100.0).max(0.0) as u64
    }
}

/// `navigator.storage.estimate()`, where the browser has it.
pub async fn estimate() -> Option<Estimate> {
    let storage = web_sys::window()?.navigator().storage();
    let answer = JsFuture::from(storage.estimate().ok()?).await.ok()?;
    let number = |name: &str| {
        Reflect::get(&answer, &JsValue::from_str(name))
            .ok()?
            .as_f64()
    };
    Some(Estimate {
        usage: number("usage").unwrap_or(0.0),
        quota: number("quota")?,
    })
}

/// Asks for persistent storage (`navigator.storage.persist()`): Chromium decides from
/// how the site is used, Firefox asks the person. Call it from a person's action.
pub async fn persist() -> bool {
    yes(web_sys::window().map(|w| w.navigator().storage().persist())).await
}

/// Whether the origin's storage is already persistent.
pub async fn persisted() -> bool {
    yes(web_sys::window().map(|w| w.navigator().storage().persisted())).await
}

/// Whether a storage manager's promise answered `true`; no for anything else.
async fn yes(asked: Option<Result<js_sys::Promise, JsValue>>) -> bool {
    let Some(Ok(promise)) = asked else {
        return false;
    };
    JsFuture::from(promise)
        .await
        .ok()
        .and_then(|answer| answer.as_bool())
        .unwrap_or(false)
}
