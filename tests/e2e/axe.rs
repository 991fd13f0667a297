//! Accessibility, audited by axe-core in the real page, and the layout at a phone's
//! narrowest width: no state of the studio a person meets may break a WCAG 2.1 A/AA
//! rule (or one of axe's best practices), in either language, narrow or wide, light or
//! dark; and at 320 px no text may run out of its box.
//!
//! One server and one browser session visit every state once, in order: the empty
//! studio; one image added; an edit running; an edit done with a set of results; the
//! instruction's saved and recent ones listed, with its name form; the lightbox open; the connection settings open; a result kept after its link expired
//! (the page reloaded); and a batch running. In each state the page is audited in every
//! configuration of [`CONFIGURATIONS`] (the language switched with the studio's own
//! picker, the viewport set through WebDriver, the colour scheme emulated through
//! ChromeDriver's DevTools endpoint), then measured at 320 px in each language. The
//! test fails at the end, with every finding of every state, so one run shows them
//! all.
//!
//! axe-core is the npm package `cargo xtask bootstrap` (and `cargo xtask test`)
//! installs, at the version pinned in `xtask/src/bootstrap.rs`; `cargo xtask test`
//! names its `axe.min.js` in `SEEDREAM_AXE_CORE`, and without that variable the test
//! reads it from `.tools/axe-core/`. The page's Content-Security-Policy refuses inline
//! scripts, so the file's source is run as a WebDriver script, as every other check
//! here is.
//!
//! The Chinese layout is measured with a Chinese font (Debian's fonts-wqy-zenhei,
//! which `cargo xtask bootstrap` installs with Chromium): without one, Chinese text is
//! drawn as narrow missing-glyph boxes, and the test says so rather than measure them.
//!
//! Chromium only (`cargo xtask test` does not run it in Firefox): the dark scheme is
//! emulated through ChromeDriver's `goog/cdp/execute` endpoint.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::time::{Duration, Instant};

use fantoccini::wd::WebDriverCompatibleCommand;
use serde::Deserialize;
use serde_json::{Value, json};

use crate::harness::{self, Studio};
use crate::mock::fixture_png;
use crate::page::{IMAGE_CARDS, TASK_CARDS, js_str};

/// The variable `cargo xtask test` names axe-core's script in (`AXE_CORE_ENV` in
/// `xtask/src/bootstrap.rs`).
const AXE_CORE_ENV: &str = "SEEDREAM_AXE_CORE";

/// The rule sets audited: WCAG 2.0 and 2.1, levels A and AA, and axe's best practices.
const TAGS: [&str; 5] = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"];

/// A rule turned on by name as well, and checked to have run in every audit: a
/// control's visible text must be part of its accessible name (WCAG 2.5.3, Label in
/// Name), so a speech user can say what they see. (axe 4.14 tags it `wcag21a` and no
/// longer `experimental`, so the tags alone would run it; naming it keeps it on if a
/// later version moves it again.)
const LABEL_IN_NAME: &str = "label-content-name-mismatch";

/// Quick tasks, but for the one that stays running (its own processing time is set
/// through the mock's settings before it is sent).
const MOCK_FLAGS: [&str; 4] = ["--queue-time", "300ms", "--processing-time", "1s"];

/// How long the running edit would take: far longer than the test.
const RUNNING_MS: u64 = 600_000;

/// How long the set's result links live after it is done: long enough for the
/// audits of the done, lightbox and settings states, short enough not to wait long
/// for them to expire.
const RESULT_TTL_MS: u64 = 4_000;

/// The width the layout is measured at (the narrowest phone in common use).
const NARROWEST: (u32, u32) = (320, 640);

/// One way the page is audited.
#[derive(Clone, Copy, Debug)]
struct Configuration {
    /// The language's tag, as the picker's options and `.studio[lang]` give it.
    language: &'static str,
    /// The viewport, in CSS pixels.
    width: u32,
    height: u32,
    dark: bool,
}

impl Configuration {
    fn name(&self) -> String {
        format!(
            "{} {}x{}{}",
            self.language,
            self.width,
            self.height,
            if self.dark { " dark" } else { "" }
        )
    }
}

/// Every configuration each state is audited in, in an order that switches the
/// language once: English and Chinese, each at a phone's and a desktop's size, and
/// the dark scheme once (English, desktop).
const CONFIGURATIONS: [Configuration; 5] = [
    Configuration {
        language: "en",
        width: 390,
        height: 844,
        dark: false,
    },
    Configuration {
        language: "en",
        width: 1440,
        height: 900,
        dark: false,
    },
    Configuration {
        language: "en",
        width: 1440,
        height: 900,
        dark: true,
    },
    Configuration {
        language: "zh-CN",
        width: 390,
        height: 844,
        dark: false,
    },
    Configuration {
        language: "zh-CN",
        width: 1440,
        height: 900,
        dark: false,
    },
];

/// The configuration the test acts in between audits (the waits read English).
const ACTING: Configuration = CONFIGURATIONS[1];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_state_passes_axe_and_fits_320_px() {
    if std::env::var("E2E_BROWSER").is_ok_and(|browser| browser == "firefox") {
        eprintln!("axe: Chromium only (the dark scheme is emulated through ChromeDriver); skipped");
        return;
    }
    let axe_core = axe_core_source();
    harness::run("axe", &MOCK_FLAGS, move |studio| async move {
        let started = Instant::now();
        let mut audit = Audit::new(studio.clone(), axe_core);
        studio.open().await;
        audit.switch_to(ACTING).await;

        audit.state("empty").await;

        studio.upload(&fixture_png(640, 480)).await;
        audit.state("one image added").await;

        // An edit that stays running: its processing time is the mock's setting when
        // it is sent.
        studio.mock_settings(json!({"processing_ms": RUNNING_MS})).await;
        studio.set_prompt("Make the sky a deep evening blue").await;
        studio.submit().await;
        studio.wait_for_status("Generating").await;
        audit.state("an edit running").await;

        // A quick set of three, its links expiring soon after it is done.
        studio
            .mock_settings(json!({"processing_ms": 1000, "result_ttl_ms": RESULT_TTL_MS}))
            .await;
        if studio.count(IMAGE_CARDS).await == 0 {
            studio.upload(&fixture_png(640, 480)).await;
        }
        studio.set_prompt("Three moods of this photo").await;
        studio.ask_for_set(3).await;
        studio.submit().await;
        studio.wait_for_status("Done").await;
        let links = studio.wait_for_loaded_results(3).await;
        studio
            .wait_for(
                "the set's results to be kept in the browser",
                &format!(
                    "return document.querySelector('{TASK_CARDS}:first-child .results > p.hint')\
                     ?.textContent.trim() === 'Kept in this browser.';"
                ),
            )
            .await;
        audit.state("done with a set of 3").await;

        // The instruction's name form and its list of saved and recent ones, open.
        studio.click("[data-action=save-instruction]").await;
        studio.click("[data-action=suggest-instructions]").await;
        studio
            .wait_for(
                "the recent instructions listed",
                "return document.querySelectorAll('.suggest:not([hidden]) [role=option]').length >= 1;",
            )
            .await;
        audit.state("the instructions listed").await;
        studio.click("[data-action=suggest-instructions]").await;
        studio.click(".save-instruction-form button.quiet").await;

        studio
            .click(&format!("{TASK_CARDS}:first-child li.result:nth-child(1) button.result-view"))
            .await;
        studio
            .wait_for(
                "the lightbox to show the first result",
                "const img = document.querySelector('dialog.lightbox[open] img.lightbox-image'); \
                 return img !== null && img.complete && img.naturalWidth > 0;",
            )
            .await;
        audit.state("the lightbox open").await;
        studio.click("dialog.lightbox[open] [data-action=\"close\"]").await;
        studio
            .wait_for("the lightbox to close", "return document.querySelector('dialog[open]') === null;")
            .await;

        studio.click("details.settings > summary").await;
        studio
            .wait_for("the settings to open", "return document.querySelector('details.settings[open]') !== null;")
            .await;
        audit.state("the settings open").await;
        studio.click("details.settings > summary").await;

        // The set's links expire; after a reload its results show from this browser.
        studio
            .wait_for(
                "the set's links to expire",
                &format!("return fetch({}, {{cache: 'no-store'}}).then(r => r.status === 404);", js_str(&links[0])),
            )
            .await;
        studio.reload().await;
        studio
            .wait_for(
                "the kept results to show after the reload",
                &format!(
                    "const imgs = Array.from(document.querySelectorAll('{TASK_CARDS} li.result img')); \
                     return imgs.length === 3 && imgs.every(i => i.src.startsWith('blob:') && i.complete && i.naturalWidth > 0);"
                ),
            )
            .await;
        audit.state("kept after its links expired (reloaded)").await;

        // A batch: the form in batch mode with two images to edit, and the batch
        // running above the edits (its tasks stay running).
        studio.mock_settings(json!({"processing_ms": RUNNING_MS})).await;
        studio
            .click("form.edit-form .batch-mode .mode-option:nth-child(2) input")
            .await;
        let paths = [fixture_png(320, 240), fixture_png(330, 240)]
            .map(|path| path.display().to_string());
        studio
            .find("form.edit-form .batch-mode input[type=file]")
            .await
            .send_keys(&paths.join("\n"))
            .await
            .expect("the batch's file input takes paths");
        studio
            .wait_for(
                "two images to edit",
                "return document.querySelectorAll('form.edit-form .batch-list > li').length === 2;",
            )
            .await;
        studio.set_prompt("Put this product on a white marble table").await;
        studio.click("form.edit-form button[type=submit].primary").await;
        studio
            .wait_for(
                "the batch to be sending",
                "return document.querySelector('section.batch-panel .batch-progress')?.textContent.includes('running');",
            )
            .await;
        audit.state("a batch running").await;

        eprint!("{}", audit.notes());
        eprintln!("axe: {} audits in {:.1} s", audit.audits, started.elapsed().as_secs_f64());
        let report = audit.report();
        assert!(report.is_empty(), "{report}");
    })
    .await;
}

/// axe-core's script, from `SEEDREAM_AXE_CORE` or where `cargo xtask bootstrap` puts it.
fn axe_core_source() -> String {
    let path = std::env::var_os(AXE_CORE_ENV).map_or_else(
        || {
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join(".tools/axe-core/node_modules/axe-core/axe.min.js")
        },
        PathBuf::from,
    );
    std::fs::read_to_string(&path).unwrap_or_else(|err| {
        panic!(
            "axe-core's script {} cannot be read ({err}): `cargo xtask bootstrap` (or \
             `cargo xtask test`) installs it; or name another axe.min.js in {AXE_CORE_ENV}",
            path.display()
        )
    })
}

/// The audits run so far and what they found.
struct Audit {
    studio: Studio,
    axe_core: String,
    /// The configuration the page is in now.
    current: Option<Configuration>,
    audits: usize,
    /// Rule id -> (its impact and help, and per failing node (target, html, summary)
    /// the states and configurations it failed in).
    violations: BTreeMap<String, RuleFindings>,
    /// Rules axe could not decide on somewhere ("needs review"; not failures) -> the
    /// states they were undecided in.
    incomplete: BTreeMap<String, BTreeSet<String>>,
    /// Per state and language, what overflows or is clipped at 320 px.
    layout: Vec<String>,
    /// Text truncated on purpose at 320 px (exempt; shown, not failed).
    exempt: BTreeSet<String>,
}

#[derive(Default)]
struct RuleFindings {
    impact: String,
    help: String,
    help_url: String,
    /// (target, html, failure summary) -> the (state, configuration) pairs it failed in.
    nodes: BTreeMap<(String, String, String), Vec<(String, String)>>,
}

/// What the audit script returns.
#[derive(Deserialize)]
struct AxeAnswer {
    violations: Vec<Violation>,
    /// Every rule that ran (passed, failed, inapplicable or incomplete).
    ran: Vec<String>,
    /// The rules axe could not decide on.
    incomplete: Vec<String>,
}

#[derive(Deserialize)]
struct Violation {
    id: String,
    impact: Option<String>,
    help: String,
    #[serde(rename = "helpUrl")]
    help_url: String,
    nodes: Vec<FailedNode>,
}

#[derive(Deserialize)]
struct FailedNode {
    target: Value,
    html: String,
    summary: Option<String>,
}

/// What the layout script returns.
#[derive(Deserialize)]
struct Layout {
    #[serde(rename = "innerWidth")]
    inner_width: u32,
    #[serde(rename = "scrollWidth")]
    scroll_width: u32,
    /// The widest elements sticking out of the viewport, when the page overflows.
    wide: Vec<String>,
    clipped: Vec<String>,
    /// What truncates on purpose (see [`LAYOUT`]).
    exempt: Vec<String>,
    /// How wide "中文" is at 100 px in the studio's font: about 200 px with a Chinese
    /// font, far less when it is drawn as missing-glyph boxes.
    #[serde(rename = "cjkWidth")]
    cjk_width: f64,
}

impl Audit {
    fn new(studio: Studio, axe_core: String) -> Audit {
        Audit {
            studio,
            axe_core,
            current: None,
            audits: 0,
            violations: BTreeMap::new(),
            incomplete: BTreeMap::new(),
            layout: Vec::new(),
            exempt: BTreeSet::new(),
        }
    }

    /// Audits the page as it is in every configuration, measures it at 320 px in
    /// each language, and puts it back in the configuration the test acts in.
    async fn state(&mut self, state: &str) {
        let started = Instant::now();
        for (at, configuration) in CONFIGURATIONS.into_iter().enumerate() {
            self.switch_to(configuration).await;
            self.axe(state, configuration).await;
            // At 320 px once per language, after its last configuration.
            let later = &CONFIGURATIONS[at + 1..];
            if later.iter().all(|c| c.language != configuration.language) {
                let narrow = Configuration {
                    width: NARROWEST.0,
                    height: NARROWEST.1,
                    dark: false,
                    ..configuration
                };
                self.switch_to(narrow).await;
                self.layout(state, narrow).await;
            }
        }
        self.switch_to(ACTING).await;
        eprintln!("axe: {state}: {:.1} s", started.elapsed().as_secs_f64());
    }

    /// Puts the page in `to`: its language (through the studio's picker), its
    /// viewport and its colour scheme; returns once the layout has settled.
    async fn switch_to(&mut self, to: Configuration) {
        let from = self.current;
        if from.map(|c| c.language) != Some(to.language) {
            self.studio
                .js(
                    "const s = document.querySelector('.language-picker select'); \
                     if (s.value !== arguments[0]) { s.value = arguments[0]; \
                       s.dispatchEvent(new Event('change', {bubbles: true})); } \
                     return true;",
                    vec![json!(to.language)],
                )
                .await;
            self.studio
                .wait_for(
                    &format!("the studio to be in {}", to.language),
                    &format!(
                        "return document.querySelector('.studio')?.getAttribute('lang') === {};",
                        js_str(to.language)
                    ),
                )
                .await;
        }
        if from.map(|c| (c.width, c.height)) != Some((to.width, to.height)) {
            set_viewport(&self.studio, to.width, to.height).await;
        }
        if from.map(|c| c.dark) != Some(to.dark) {
            let scheme = if to.dark { "dark" } else { "light" };
            cdp(
                &self.studio,
                "Emulation.setEmulatedMedia",
                json!({"features": [{"name": "prefers-color-scheme", "value": scheme}]}),
            )
            .await;
            let matches = self
                .studio
                .js(
                    &format!("return matchMedia('(prefers-color-scheme: {scheme})').matches;"),
                    vec![],
                )
                .await;
            assert_eq!(
                matches,
                json!(true),
                "the page should see the {scheme} scheme"
            );
        }
        self.current = Some(to);
        self.studio
            .js(seedream_harness::SETTLE_SCRIPT, vec![])
            .await;
    }

    /// Runs axe-core on the whole page (injecting it first when this page has not got
    /// it) and records its violations.
    async fn axe(&mut self, state: &str, configuration: Configuration) {
        self.inject().await;
        let script = format!(
            "return axe.run(document, {{ \
               runOnly: {{type: 'tag', values: {tags}}}, \
               rules: {{{rule}: {{enabled: true}}}}, \
               resultTypes: ['violations'], \
             }}).then(r => ({{ \
               violations: r.violations.map(v => ({{id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl, \
                 nodes: v.nodes.map(n => ({{target: n.target, html: n.html, summary: n.failureSummary}}))}})), \
               ran: [...r.passes, ...r.violations, ...r.inapplicable, ...r.incomplete].map(x => x.id), \
               incomplete: r.incomplete.map(x => x.id), \
             }}));",
            tags = json!(TAGS),
            rule = js_str(LABEL_IN_NAME),
        );
        let answer = self.studio.js(&script, vec![]).await;
        let answer: AxeAnswer = serde_json::from_value(answer.clone())
            .unwrap_or_else(|err| panic!("axe's results could not be read ({err}): {answer}"));
        self.audits += 1;
        let at = format!("{state} [{}]", configuration.name());
        assert!(
            answer.ran.iter().any(|id| id == LABEL_IN_NAME),
            "{LABEL_IN_NAME} should run in every audit; in {at} axe ran only {:?}",
            answer.ran
        );
        for violation in answer.violations {
            let findings = self.violations.entry(violation.id).or_default();
            findings.impact = violation.impact.unwrap_or_default();
            findings.help = violation.help;
            findings.help_url = violation.help_url;
            for node in violation.nodes {
                let target = match &node.target {
                    Value::Array(parts) => parts
                        .iter()
                        .map(|part| {
                            part.as_str()
                                .map_or_else(|| part.to_string(), str::to_owned)
                        })
                        .collect::<Vec<_>>()
                        .join(" >>> "),
                    other => other.to_string(),
                };
                let summary = node.summary.unwrap_or_default().replace('\n', " ");
                findings
                    .nodes
                    .entry((target, node.html, summary))
                    .or_default()
                    .push((state.to_owned(), configuration.name()));
            }
        }
        for id in answer.incomplete {
            self.incomplete
                .entry(id)
                .or_default()
                .insert(state.to_owned());
        }
    }

    /// Runs axe-core's script in the page unless this page has it already.
    async fn inject(&self) {
        let present = self
            .studio
            .js("return typeof window.axe === 'object';", vec![])
            .await;
        if present == json!(true) {
            return;
        }
        let script = format!("{}\n;return typeof window.axe === 'object';", self.axe_core);
        let injected = self
            .studio
            .browser
            .execute(&script, vec![])
            .await
            .unwrap_or_else(|err| panic!("axe-core's script could not run in the page: {err}"));
        assert_eq!(
            injected,
            json!(true),
            "axe-core's script should define window.axe"
        );
    }

    /// Records what overflows the viewport, and what text is clipped, in `state`.
    async fn layout(&mut self, state: &str, configuration: Configuration) {
        self.inject().await;
        let answer = self.studio.js(LAYOUT, vec![]).await;
        let layout: Layout = serde_json::from_value(answer.clone()).unwrap_or_else(|err| {
            panic!("the layout check's answer could not be read ({err}): {answer}")
        });
        let at = format!("{state} [{}]", configuration.name());
        if configuration.language.starts_with("zh") {
            assert!(
                layout.cjk_width > 180.0,
                "Chinese text is drawn without a Chinese font (\"中文\" at 100 px is {} px wide), \
                 so its layout cannot be checked: `cargo xtask bootstrap` installs Debian's \
                 fonts-wqy-zenhei",
                layout.cjk_width
            );
        }
        self.exempt.extend(layout.exempt);
        if layout.scroll_width > layout.inner_width {
            self.layout.push(format!(
                "{at}: the page is {} px wide in a {} px viewport (scrolls sideways); widest: {}",
                layout.scroll_width,
                layout.inner_width,
                layout.wide.join("; ")
            ));
        }
        for clipped in layout.clipped {
            self.layout.push(format!("{at}: clipped text: {clipped}"));
        }
    }

    /// Every finding, grouped by rule, or "" when there is none.
    fn report(&self) -> String {
        let mut out = String::new();
        if !self.violations.is_empty() {
            let total: usize = self.violations.values().map(|f| f.nodes.len()).sum();
            let _ = writeln!(
                out,
                "axe-core found {} rule(s) broken, on {total} element(s), over {} audits:",
                self.violations.len(),
                self.audits
            );
            for (id, findings) in &self.violations {
                let _ = writeln!(
                    out,
                    "\n== {id} ({}): {}\n   {}",
                    findings.impact, findings.help, findings.help_url
                );
                for ((target, html, summary), seen) in &findings.nodes {
                    let _ = writeln!(out, "  - {target}\n    {html}");
                    if !summary.is_empty() {
                        let _ = writeln!(out, "    {summary}");
                    }
                    for (configurations, states) in by_configurations(seen) {
                        let _ = writeln!(out, "    [{configurations}] in: {states}");
                    }
                }
            }
        }
        if !self.layout.is_empty() {
            let _ = writeln!(
                out,
                "\nAt {} px, {} layout finding(s):",
                NARROWEST.0,
                self.layout.len()
            );
            for finding in &self.layout {
                let _ = writeln!(out, "  - {finding}");
            }
        }
        out
    }

    /// What was not a failure but is worth a look: the rules axe left for review, and
    /// the text that truncates on purpose at 320 px.
    fn notes(&self) -> String {
        let mut out = String::new();
        for (id, states) in &self.incomplete {
            let states: Vec<&str> = states.iter().map(String::as_str).collect();
            let _ = writeln!(
                out,
                "axe: needs review (not failed): {id} in: {}",
                states.join(", ")
            );
        }
        for exempt in &self.exempt {
            let _ = writeln!(out, "axe: truncated on purpose (exempt): {exempt}");
        }
        out
    }
}

/// The (state, configuration) pairs a node failed in, as lines: each set of
/// configurations with the states it failed in with exactly that set.
fn by_configurations(seen: &[(String, String)]) -> Vec<(String, String)> {
    let mut states: Vec<&str> = Vec::new();
    let mut configurations_of: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for (state, configuration) in seen {
        if !states.contains(&state.as_str()) {
            states.push(state);
        }
        configurations_of
            .entry(state)
            .or_default()
            .push(configuration);
    }
    let mut lines: Vec<(String, Vec<&str>)> = Vec::new();
    for state in states {
        let configurations = configurations_of[state].join(", ");
        match lines.iter_mut().find(|(c, _)| *c == configurations) {
            Some((_, with)) => with.push(state),
            None => lines.push((configurations, vec![state])),
        }
    }
    lines
        .into_iter()
        .map(|(configurations, states)| (configurations, states.join("; ")))
        .collect()
}

/// Sets the window so the page's viewport is `width` x `height` CSS pixels (the
/// window's frame, if any, added), and checks that it is.
async fn set_viewport(studio: &Studio, width: u32, height: u32) {
    let inner = |studio: &Studio| {
        let studio = studio.clone();
        async move {
            let size = studio.js("return [innerWidth, innerHeight];", vec![]).await;
            let size: (u32, u32) = serde_json::from_value(size).expect("the viewport's size");
            size
        }
    };
    studio
        .browser
        .set_window_size(width, height)
        .await
        .unwrap_or_else(|err| panic!("the window should take {width}x{height}: {err}"));
    let (inner_width, inner_height) = inner(studio).await;
    if (inner_width, inner_height) != (width, height) {
        let frame_width = (width + width).saturating_sub(inner_width);
        let frame_height = (height + height).saturating_sub(inner_height);
        studio
            .browser
            .set_window_size(frame_width, frame_height)
            .await
            .unwrap_or_else(|err| {
                panic!("the window should take {frame_width}x{frame_height}: {err}")
            });
    }
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        let now = inner(studio).await;
        if now == (width, height) {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "the viewport should be {width}x{height}, and is {}x{}",
            now.0,
            now.1
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// A DevTools command sent through ChromeDriver (`goog/cdp/execute`).
#[derive(Debug)]
struct Cdp {
    method: &'static str,
    params: Value,
}

impl WebDriverCompatibleCommand for Cdp {
    fn endpoint(
        &self,
        base_url: &reqwest::Url,
        session_id: Option<&str>,
    ) -> Result<reqwest::Url, <reqwest::Url as FromStr>::Err> {
        let session = session_id.unwrap_or_default();
        base_url.join(&format!("session/{session}/goog/cdp/execute"))
    }

    fn method_and_body(&self, _: &reqwest::Url) -> (reqwest::Method, Option<String>) {
        let body = json!({"cmd": self.method, "params": self.params});
        (reqwest::Method::POST, Some(body.to_string()))
    }
}

async fn cdp(studio: &Studio, method: &'static str, params: Value) -> Value {
    studio
        .browser
        .issue_cmd(Cdp { method, params })
        .await
        .unwrap_or_else(|err| {
            panic!("ChromeDriver should run the DevTools command {method}: {err}")
        })
}

/// The layout check: the page's width against the viewport's, and every element with
/// text of its own whose box is narrower than its content.
///
/// Checked: every rendered HTML element with a non-blank text node of its own, and
/// for an inline one (which has no box width of its own) the nearest block around
/// it: clipped when `scrollWidth > clientWidth + 1` (1 px for sub-pixel rounding).
///
/// Exempt, because hiding text is their purpose:
/// - text that truncates on purpose: `text-overflow: ellipsis` computed on the checked
///   box, and the whole text (whitespace collapsed) within a `title` (shown on hover)
///   or within an accessible name given apart from the text (`aria-label`,
///   `aria-labelledby`, as axe computes the name), on the element, the box, or the
///   nearest button, link, labelled or titled element around them. (A name computed
///   from the text itself always holds the whole text, so it proves nothing.) Each
///   exempt text is printed, not failed;
/// - visually hidden text for screen readers only (at most 1 px wide, or clipped
///   with `clip` / `clip-path`, itself or an ancestor), and `<option>`s (drawn by the
///   browser's own list).
const LAYOUT: &str = r#"
    const norm = s => (s || '').replace(/\s+/g, ' ').trim();
    const describe = el => {
        const parts = [];
        for (let e = el; e && e !== document.body && parts.length < 4; e = e.parentElement) {
            let part = e.localName;
            if (e.id) { part += '#' + e.id; parts.unshift(part); break; }
            const classes = Array.from(e.classList).slice(0, 2);
            if (classes.length) part += '.' + classes.join('.');
            parts.unshift(part);
        }
        return parts.join(' > ');
    };
    const hiddenForScreenReaders = el => {
        for (let e = el; e; e = e.parentElement) {
            const s = getComputedStyle(e);
            if (e.getBoundingClientRect().width <= 1) return true;
            if (s.clip && s.clip !== 'auto') return true;
            if (s.clipPath && s.clipPath !== 'none') return true;
        }
        return false;
    };
    let tree = false;
    try { axe.setup(document); tree = true; } catch (e) { /* names fall back to attributes */ }
    const nameOf = el => {
        if (!el) return '';
        if (tree) { try { return norm(axe.commons.text.accessibleText(el)); } catch (e) { /* below */ } }
        return norm(el.getAttribute('aria-label'));
    };
    const truncatesOnPurpose = (el, box) => {
        if (getComputedStyle(box).textOverflow !== 'ellipsis') return false;
        const whole = norm(box.textContent);
        const around = box.closest('button, a, [aria-label], [aria-labelledby], [title]');
        const named = e => e.hasAttribute('aria-label') || e.hasAttribute('aria-labelledby');
        return [el, box, around].some(e => e && (
            norm(e.getAttribute('title')).includes(whole) || (named(e) && nameOf(e).includes(whole))));
    };
    const clipped = [];
    const exempt = [];
    const seen = new Set();
    for (const el of document.body.querySelectorAll('*')) {
        if (!(el instanceof HTMLElement) || el.localName === 'option' || el.localName === 'script') continue;
        const own = Array.from(el.childNodes).some(n => n.nodeType === Node.TEXT_NODE && n.textContent.trim());
        if (!own || !el.checkVisibility({ visibilityProperty: true })) continue;
        let box = el;
        while (box.parentElement && getComputedStyle(box).display.startsWith('inline') && box.clientWidth === 0) {
            box = box.parentElement;
        }
        if (seen.has(box)) continue;
        seen.add(box);
        if (box.scrollWidth <= box.clientWidth + 1) continue;
        if (hiddenForScreenReaders(box)) continue;
        if (truncatesOnPurpose(el, box)) {
            exempt.push(`${describe(box)}: "${norm(box.textContent).slice(0, 80)}"`);
            continue;
        }
        const scrolls = ['auto', 'scroll'].includes(getComputedStyle(box).overflowX) ? ' (scrolls sideways)' : '';
        clipped.push(`${describe(box)}${scrolls}: ${box.scrollWidth} px of content in ${box.clientWidth} px: "${norm(box.textContent).slice(0, 80)}"`);
    }
    if (tree) axe.teardown();
    const width = innerWidth;
    const wide = Array.from(document.body.querySelectorAll('*'))
        .filter(e => e.checkVisibility() && e.getBoundingClientRect().right > width + 1)
        .map(e => [e, e.getBoundingClientRect().right])
        .sort((a, b) => b[1] - a[1])
        .slice(0, 5)
        .map(([e, right]) => `${describe(e)} (to ${Math.round(right)} px)`);
    const context = document.createElement('canvas').getContext('2d');
    context.font = `100px ${getComputedStyle(document.querySelector('.studio') || document.body).fontFamily}`;
    const cjkWidth = context.measureText('中文').width;
    return { innerWidth: width, scrollWidth: document.documentElement.scrollWidth, wide, clipped, exempt, cjkWidth };
"#;
