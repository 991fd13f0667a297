//! Commands from the host page: a small JavaScript API on the host element, and the
//! same commands by `postMessage`, taken only from the allowed origins.
//!
//! ```js
//! const studio = document.querySelector("[data-seedream-studio]").seedreamStudio;
//! studio.setPrompt("Turn this into a watercolour");
//! studio.addImageUrl("https://example.com/photo.jpg");
//! studio.submit(); // true when the edit was sent, false when the form is not ready
//! studio.reset();
//! ```

use std::rc::Rc;

use leptos::prelude::window;
use leptos_use::use_event_listener;
use wasm_bindgen::prelude::*;
use web_sys::{HtmlElement, MessageEvent};

use super::events::MESSAGE_SOURCE;

/// What the page can ask for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Command {
    SetPrompt(String),
    AddImageUrl(String),
    Submit,
    Reset,
}

impl Command {
    /// A command from its name and optional text value.
    pub fn parse(name: &str, value: Option<String>) -> Option<Command> {
        match name {
            "setPrompt" => Some(Command::SetPrompt(value.unwrap_or_default())),
            "addImageUrl" => value.map(Command::AddImageUrl),
            "submit" => Some(Command::Submit),
            "reset" => Some(Command::Reset),
            _ => None,
        }
    }
}

/// Puts `seedreamStudio` on the host and listens for messages from `allowed_origins`
/// while the calling owner (the instance) lives. `run` carries a command out through
/// the form's own state and says whether it did.
pub fn install(
    host: &HtmlElement,
    allowed_origins: Vec<String>,
    run: impl Fn(Command) -> bool + 'static,
) {
    let run = Rc::new(run);
    let api = js_sys::Object::new();
    let text_command = |make: fn(String) -> Command| {
        let run = Rc::clone(&run);
        Closure::<dyn Fn(JsValue) -> bool>::new(move |value: JsValue| {
            value.as_string().is_some_and(|text| run(make(text)))
        })
        .into_js_value()
    };
    let plain_command = |command: Command| {
        let run = Rc::clone(&run);
        Closure::<dyn Fn() -> bool>::new(move || run(command.clone())).into_js_value()
    };
    let _ = js_sys::Reflect::set(&api, &"setPrompt".into(), &text_command(Command::SetPrompt));
    let _ = js_sys::Reflect::set(
        &api,
        &"addImageUrl".into(),
        &text_command(Command::AddImageUrl),
    );
    let _ = js_sys::Reflect::set(&api, &"submit".into(), &plain_command(Command::Submit));
    let _ = js_sys::Reflect::set(&api, &"reset".into(), &plain_command(Command::Reset));
    let _ = js_sys::Reflect::set(host, &"seedreamStudio".into(), &api);

    if allowed_origins.is_empty() {
        return;
    }
    // Removed with the instance's owner, so an unmounted instance takes no more
    // commands.
    let _ = use_event_listener(window(), leptos::ev::message, move |event: MessageEvent| {
        if !allowed_origins
            .iter()
            .any(|origin| *origin == event.origin())
        {
            return;
        }
        if let Some(command) = from_message(&event.data()) {
            run(command);
        }
    });
}

/// `{target: "seedream-studio", command: "setPrompt", value: "..."}`; anything else is
/// not for this app.
fn from_message(data: &JsValue) -> Option<Command> {
    let field = |name: &str| js_sys::Reflect::get(data, &name.into()).ok();
    if field("target")?.as_string()? != MESSAGE_SOURCE {
        return None;
    }
    let name = field("command")?.as_string()?;
    Command::parse(&name, field("value").and_then(|v| v.as_string()))
}
