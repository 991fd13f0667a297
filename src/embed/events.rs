//! Telling the host page what happens: DOM events on the host element and, inside an
//! iframe, the same by `postMessage` to each allowed parent origin (never `*`).

use serde::Serialize;
use wasm_bindgen::JsValue;
use web_sys::{CustomEvent, CustomEventInit, HtmlElement};

use crate::history::ResultRecord;

/// What `type` postMessage data carries for a message from the app.
pub const MESSAGE_SOURCE: &str = "seedream-studio";

/// A change a host page may react to.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(untagged)]
pub enum HostEvent {
    /// An edit was sent.
    Submitted {
        id: String,
        prompt: String,
        images: usize,
    },
    /// A sent edit moved on ("queued", "generating").
    #[serde(rename_all = "camelCase")]
    Progress {
        id: String,
        task_id: Option<String>,
        status: &'static str,
    },
    /// An edit finished with results.
    #[serde(rename_all = "camelCase")]
    Completed {
        id: String,
        task_id: Option<String>,
        results: Vec<ResultRecord>,
    },
    /// An edit failed, was refused, or could not be followed.
    #[serde(rename_all = "camelCase")]
    Failed {
        id: String,
        task_id: Option<String>,
        reason: String,
    },
}

impl HostEvent {
    /// The DOM event's type.
    pub fn name(&self) -> &'static str {
        match self {
            HostEvent::Submitted { .. } => "seedream:submitted",
            HostEvent::Progress { .. } => "seedream:progress",
            HostEvent::Completed { .. } => "seedream:completed",
            HostEvent::Failed { .. } => "seedream:failed",
        }
    }
}

/// Where an instance's events go.
#[derive(Clone, Debug)]
pub struct HostLink {
    pub host: HtmlElement,
    pub allowed_origins: Vec<String>,
}

impl HostLink {
    /// Dispatches `event` on the host and posts it to the parent page when framed.
    pub fn emit(&self, event: &HostEvent) {
        let detail = to_js(event);
        dispatch(&self.host, event.name(), &detail);
        self.post_to_parent(event.name(), &detail);
    }

    /// A bare event with no detail, such as `seedream:ready`.
    pub fn emit_named(&self, name: &str) {
        dispatch(&self.host, name, &JsValue::NULL);
        self.post_to_parent(name, &JsValue::NULL);
    }

    fn post_to_parent(&self, name: &str, detail: &JsValue) {
        let Some(window) = web_sys::window() else {
            return;
        };
        let parent = match window.parent() {
            Ok(Some(parent)) if !js_sys::Object::is(&parent, &window) => parent,
            _ => return,
        };
        let message = js_sys::Object::new();
        let _ = js_sys::Reflect::set(&message, &"source".into(), &MESSAGE_SOURCE.into());
        let _ = js_sys::Reflect::set(&message, &"type".into(), &name.into());
        let _ = js_sys::Reflect::set(&message, &"detail".into(), detail);
        // One message per allowed origin: the browser delivers it only if the parent
        // really is that origin, so nothing reaches a page that was not named.
        for origin in &self.allowed_origins {
            let _ = parent.post_message(&message, origin);
        }
    }
}

fn dispatch(host: &HtmlElement, name: &str, detail: &JsValue) {
    let init = CustomEventInit::new();
    init.set_bubbles(true);
    init.set_composed(true);
    init.set_detail(detail);
    if let Ok(event) = CustomEvent::new_with_event_init_dict(name, &init) {
        let _ = host.dispatch_event(&event);
    }
}

/// A plain JavaScript object for the event's detail.
fn to_js(event: &HostEvent) -> JsValue {
    serde_json::to_string(event)
        .ok()
        .and_then(|json| js_sys::JSON::parse(&json).ok())
        .unwrap_or(JsValue::NULL)
}
