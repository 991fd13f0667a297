//! Element ids unique per instance, used by every part of the interface.
//!
//! Labels, `aria-describedby` and tests refer to elements by id, and ids must be
//! unique on a page. The first instance keeps the plain names (`prompt`, `size`);
//! each later one prefixes them (`studio-2-prompt`).

use leptos::prelude::*;

/// The prefix of this instance's ids, provided by the app's root.
#[derive(Clone, Debug, Default)]
pub struct IdPrefix(pub String);

impl IdPrefix {
    /// The prefix for the instance at `index` on its page.
    pub fn for_instance(index: usize) -> IdPrefix {
        IdPrefix(if index == 0 {
            String::new()
        } else {
            format!("studio-{}-", index + 1)
        })
    }
}

/// The page-unique id for `name` in the current instance.
pub fn dom_id(name: &str) -> String {
    let prefix = use_context::<IdPrefix>().unwrap_or_default();
    format!("{}{name}", prefix.0)
}
