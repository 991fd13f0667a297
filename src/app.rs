//! One instance of the studio: the header with its settings, the edit form and the
//! edits it produced, wired to its host page.

use leptos::prelude::*;
use web_sys::HtmlElement;

use crate::api::ApiConfig;
use crate::batch::{BatchPanel, Batches};
use crate::embed::commands::{self, Command};
use crate::embed::{HostLink, OptionProblem, Options};
use crate::form::cost::{Price, PriceSetting};
use crate::form::{EditForm, FormState, Outgoing};
use crate::history::HistoryStore;
use crate::i18n::t;
use crate::ids::IdPrefix;
use crate::instructions::InstructionBook;
use crate::locale::{self, LanguagePicker, LocaleStore};
use crate::notify::{self, Notifier, NotifyOption, Standalone};
use crate::settings::{SettingsPanel, SettingsStore};
use crate::tasks::{ArchivePanel, Press, PressedIn, TaskList, Tasks};

/// An instance as its host page configured it.
#[derive(Clone)]
pub struct Instance {
    /// Its position among the page's instances (0 for the first).
    pub index: usize,
    /// The element it is mounted in, which receives its events and commands.
    pub host: HtmlElement,
    pub options: Options,
    /// Options that could not be used, shown at the top.
    pub problems: Vec<OptionProblem>,
}

#[component]
pub fn App(instance: Instance) -> impl IntoView {
    let Instance {
        index,
        host,
        options,
        problems,
    } = instance;
    provide_context(IdPrefix::for_instance(index));
    provide_context(PriceSetting(Price::of(
        options.price_per_image,
        options.currency.clone(),
    )));
    let locale_store = LocaleStore::named(options.storage_name("language"));
    let starting = locale::initial(
        locale_store.load(),
        options.language,
        &locale::browser_languages(),
    );
    let i18n = locale::provide(starting);
    let link = HostLink {
        host: host.clone(),
        allowed_origins: options.allowed_origins.clone(),
    };

    let settings = SettingsStore::named(
        options.storage_name("api-base"),
        options.storage_name("api-key"),
    );
    let (saved, remembered) = settings.load();
    // The page's address wins when it set one; a portal hiding the key sends none.
    let config = ApiConfig {
        base: options.api_base.clone().unwrap_or(saved.base),
        key: saved.key.filter(|_| options.show_key),
    };
    let config = RwSignal::new(config);
    let remember = RwSignal::new(remembered);
    let history = HistoryStore::with_key(options.storage_name("history.v2"))
        .migrating_from(options.storage_name("history.v1"));
    let tasks = Tasks::with_store(config.into(), history, Some(link.clone()));
    let instructions = InstructionBook::new(
        options.storage_name("instructions"),
        tasks.recent_instructions().into(),
    );
    provide_context(instructions);
    tasks.carry_instructions(instructions);
    let form = FormState::with_defaults(&options.form);
    let batches = Batches::new(tasks, options.storage_name("batch"));
    let notifier = Notifier::new(
        options.storage_name("notify"),
        options.storage_name("notified"),
    );
    notify::watch(tasks, batches, notifier, Standalone::of(&host));
    // A person's presses of Edit and "Submit again", one at a time.
    let presses = crate::tasks::presses(tasks);
    let press_edit = move |outgoing: Outgoing| {
        presses.dispatch_local(Press {
            request: outgoing.request,
            origins: outgoing.origins,
            from: PressedIn::Form {
                image_ids: outgoing.image_ids,
            },
        });
    };

    let (form_host, again_host, example_host) = (host.clone(), host.clone(), host.clone());
    let prompt_selector = format!("#{}", crate::ids::dom_id("prompt"));
    let example_prompt = prompt_selector.clone();
    let defaults = options.form.clone();
    commands::install(
        &host,
        options.allowed_origins.clone(),
        move |command| match command {
            Command::SetPrompt(text) => {
                form.prompt.set(text);
                true
            }
            Command::AddImageUrl(url) => {
                form.intake.add_url(url);
                true
            }
            // The same path as the Edit button: its checks and double-submit guard.
            Command::Submit => form.press_edit(),
            Command::Reset => {
                form.reset(&defaults);
                true
            }
        },
    );
    // Interactive from here on: the page (and the benchmark) can rely on it.
    Effect::new(move |_| {
        let _ = host.set_attribute("data-ready", "true");
        link.emit_named("seedream:ready");
    });

    view! {
        <div class="studio" lang=move || locale::tag(i18n.get_locale())>
            <ConfigProblems problems />
            <header class="studio-header">
                <h1 class="studio-title">{t!(i18n, app.title)}</h1>
                <p class="studio-tagline">{t!(i18n, app.tagline)}</p>
                <LanguagePicker store=locale_store />
                <SettingsPanel config remember store=settings base_locked=options.api_base_locked show_key=options.show_key served_by=options.served_by>
                    <NotifyOption notifier />
                    <ArchivePanel tasks />
                </SettingsPanel>
            </header>
            <main class="studio-main">
                <EditForm
                    state=form
                    on_press=press_edit
                    pending=presses.pending()
                    refusal=crate::tasks::form_refusal(presses)
                    on_batch=move |plan| batches.start(plan)
                    batch_busy=Signal::derive(move || batches.busy())
                />
                <TaskList
                    tasks
                    presses
                    on_use_as_input=move |(source, from)| {
                        form.use_as_input(source, from);
                        bring_into_view(&form_host, ".edit-form .images");
                    }
                    on_edit_again=move |edit| {
                        form.restore(edit);
                        bring_into_view(&again_host, &prompt_selector);
                    }
                    on_example=move |text: String| {
                        form.prompt.set(text);
                        bring_into_view(&example_host, &example_prompt);
                    }
                    group_of=move |id: String| batches.item_of(&id)
                >
                    <BatchPanel batches tasks />
                </TaskList>
            </main>
        </div>
    }
}

/// The page's options that could not be used, each naming the option.
#[component]
fn ConfigProblems(problems: Vec<OptionProblem>) -> impl IntoView {
    let i18n = crate::i18n::use_i18n();
    (!problems.is_empty()).then(|| {
        view! {
            <div class="config-problems" role="alert">
                <p>{t!(i18n, embed.heading)}</p>
                <ul>
                    {problems
                        .into_iter()
                        .map(|p| view! { <li>{move || p.describe(i18n.get_locale())}</li> })
                        .collect_view()}
                </ul>
            </div>
        }
    })
}

/// Scrolls the form part that just changed into view and focuses it, so a user
/// acting in the task list (below the form on a phone) sees what happened.
fn bring_into_view(host: &HtmlElement, selector: &str) {
    let Some(element) = host.query_selector(selector).ok().flatten() else {
        return;
    };
    element.scroll_into_view();
    if let Some(element) = wasm_bindgen::JsCast::dyn_ref::<web_sys::HtmlElement>(&element) {
        let _ = element.focus();
    }
}
