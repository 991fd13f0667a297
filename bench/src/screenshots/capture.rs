//! Shooting the page as it is in every configuration: switching its language (with the
//! studio's own picker), its viewport (the window, through WebDriver; a phone's size
//! also emulated as a phone through ChromeDriver's DevTools endpoint, for its overlay
//! scrollbars) and its colour scheme (emulated there too) in place, bringing the
//! state's subject into view, and saving WebDriver's screenshot of the viewport.

use std::io::Cursor;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use serde_json::{Value, json};

use super::{ACTING, CONFIGURATIONS, Configuration, State, Viewport, file_name};
use crate::browser::Session;

/// Longest the images in view are awaited before a shot is taken anyway (with a
/// warning naming them: a broken image is worth a look, not a failed run).
const IMAGES_WAIT: Duration = Duration::from_secs(10);

/// The session, where the shots go, and the configuration the page is in.
pub struct Camera<'a> {
    pub session: &'a Session,
    out: PathBuf,
    current: Option<Configuration>,
    written: Vec<PathBuf>,
}

impl<'a> Camera<'a> {
    pub fn new(session: &'a Session, out: &Path) -> Camera<'a> {
        Camera {
            session,
            out: out.to_owned(),
            current: None,
            written: Vec::new(),
        }
    }

    /// The files saved so far.
    pub fn written(&self) -> Vec<PathBuf> {
        self.written.clone()
    }

    /// Forgets the configuration the page was in (after a reload): the next switch
    /// sets all of it again.
    pub fn forget(&mut self) {
        self.current = None;
    }

    /// Shoots the page as it is now in every configuration, then puts it back in the
    /// one the run acts in.
    pub async fn state(&mut self, state: State) -> Result<()> {
        let started = Instant::now();
        for configuration in CONFIGURATIONS {
            self.switch_to(configuration).await?;
            self.shoot(state, configuration).await?;
        }
        self.switch_to(ACTING).await?;
        eprintln!(
            "screenshots: {}: {} shots in {:.1} s",
            state.name(),
            CONFIGURATIONS.len(),
            started.elapsed().as_secs_f64()
        );
        Ok(())
    }

    /// Puts the page in `to`: its language, its viewport and its colour scheme, each
    /// only when it differs; returns once the layout has settled.
    pub async fn switch_to(&mut self, to: Configuration) -> Result<()> {
        let from = self.current;
        let session = self.session;
        if from.map(|c| c.language) != Some(to.language) {
            let tag = json!(to.language.tag());
            session
                .js(&format!(
                    "const s = document.querySelector('.language-picker select'); \
                     if (s.value !== {tag}) {{ s.value = {tag}; \
                       s.dispatchEvent(new Event('change', {{bubbles: true}})); }} \
                     return true;"
                ))
                .await?;
            session
                .wait_for(
                    &format!("the studio to be in {tag}"),
                    &format!(
                        "return document.querySelector('.studio')?.getAttribute('lang') === {tag};"
                    ),
                    Duration::from_secs(10),
                    Duration::from_millis(20),
                )
                .await?;
        }
        if from.map(|c| c.viewport) != Some(to.viewport) {
            session
                .cdp("Emulation.clearDeviceMetricsOverride", json!({}))
                .await?;
            set_viewport(session, to.viewport).await?;
            if to.viewport.mobile {
                session
                    .cdp(
                        "Emulation.setDeviceMetricsOverride",
                        json!({
                            "width": to.viewport.width,
                            "height": to.viewport.height,
                            "deviceScaleFactor": 1,
                            "mobile": true,
                        }),
                    )
                    .await?;
            }
        }
        if from.map(|c| c.scheme) != Some(to.scheme) {
            let scheme = to.scheme.name();
            session
                .cdp(
                    "Emulation.setEmulatedMedia",
                    json!({"features": [{"name": "prefers-color-scheme", "value": scheme}]}),
                )
                .await?;
            let matches = session
                .js(&format!(
                    "return matchMedia('(prefers-color-scheme: {scheme})').matches;"
                ))
                .await?;
            if matches != json!(true) {
                bail!("the page does not see the {scheme} scheme after emulating it");
            }
        }
        self.current = Some(to);
        session.js(seedream_harness::SETTLE_SCRIPT).await?;
        Ok(())
    }

    /// Brings `state`'s subject into view, waits for the images in view and two frames,
    /// and saves the viewport as `state`'s file for `configuration`.
    async fn shoot(&mut self, state: State, configuration: Configuration) -> Result<()> {
        let session = self.session;
        session.js(&position(state)).await?;
        session.js(seedream_harness::SETTLE_SCRIPT).await?;
        let deadline = Instant::now() + IMAGES_WAIT;
        loop {
            let pending = session.js(IMAGES_PENDING).await?;
            let pending = pending.as_array().map_or(&[][..], Vec::as_slice);
            if pending.is_empty() {
                break;
            }
            if Instant::now() >= deadline {
                eprintln!(
                    "screenshots: {}: taken with images in view not loaded after {IMAGES_WAIT:?}: {}",
                    file_name(state, configuration),
                    Value::from(pending.to_vec())
                );
                break;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        session.js(TWO_FRAMES).await?;
        let png = session
            .client
            .screenshot()
            .await
            .context("taking WebDriver's screenshot")?;
        let name = file_name(state, configuration);
        let (width, height) = image::ImageReader::new(Cursor::new(&png))
            .with_guessed_format()?
            .into_dimensions()
            .with_context(|| format!("the screenshot for {name} is not an image"))?;
        let Viewport {
            width: expected_width,
            height: expected_height,
            ..
        } = configuration.viewport;
        if (width, height) != (expected_width, expected_height) {
            bail!(
                "the screenshot for {name} is {width}x{height}, not the viewport's \
                 {expected_width}x{expected_height}"
            );
        }
        let path = self.out.join(&name);
        std::fs::write(&path, &png).with_context(|| format!("writing {}", path.display()))?;
        self.written.push(path);
        Ok(())
    }
}

/// Sets the window so the page's viewport is `viewport` (the window's frame, if any,
/// added), and waits until it is.
async fn set_viewport(session: &Session, viewport: Viewport) -> Result<()> {
    let Viewport { width, height, .. } = viewport;
    let inner = || async {
        let size = session.js("return [innerWidth, innerHeight];").await?;
        serde_json::from_value::<(u32, u32)>(size).context("the viewport's size")
    };
    session
        .client
        .set_window_size(width, height)
        .await
        .with_context(|| format!("setting the window to {width}x{height}"))?;
    let (inner_width, inner_height) = inner().await?;
    if (inner_width, inner_height) != (width, height) {
        let frame_width = (2 * width).saturating_sub(inner_width);
        let frame_height = (2 * height).saturating_sub(inner_height);
        session
            .client
            .set_window_size(frame_width, frame_height)
            .await
            .with_context(|| format!("setting the window to {frame_width}x{frame_height}"))?;
    }
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        let now = inner().await?;
        if now == (width, height) {
            return Ok(());
        }
        if Instant::now() >= deadline {
            bail!(
                "the viewport should be {width}x{height}, and is {}x{}",
                now.0,
                now.1
            );
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// What a state's shots show, when it is not the top of the page: the element, and
/// where in the viewport it goes (`start` or `center`) when it starts in the lower
/// half and runs out of view (a phone shows the task list below the form).
fn subject(state: State) -> Option<(&'static str, &'static str)> {
    match state {
        State::Empty | State::Lightbox | State::Settings => None,
        State::ImagesAdded => Some(("form.edit-form li.image-card", "center")),
        State::Running | State::Done | State::Kept => {
            Some(("ol.task-list > li.task-card:first-child", "start"))
        }
        State::Batch => Some(("section.batch-panel", "start")),
    }
}

/// A script scrolling the page to its top, then bringing `state`'s [`subject`] into
/// view when it needs to be.
fn position(state: State) -> String {
    let (selector, block) = subject(state).unwrap_or(("", "start"));
    format!(
        "window.scrollTo({{top: 0, left: 0, behavior: 'instant'}});
         const selector = {selector};
         const el = selector ? document.querySelector(selector) : null;
         if (el) {{
           const box = el.getBoundingClientRect();
           if (box.top > innerHeight / 2 && box.bottom > innerHeight) {{
             const top = {block} === 'center'
               ? box.top + box.height / 2 - innerHeight / 2
               : box.top - 12;
             window.scrollTo({{top: scrollY + top, left: 0, behavior: 'instant'}});
           }}
         }}
         const active = document.activeElement;
         if (active && active.matches('input, textarea')) active.blur();
         return true;",
        selector = json!(selector),
        block = json!(block),
    )
}

/// The `src` of every image in view that has not loaded (or is broken), and
/// `fonts` while the page's fonts are still loading.
const IMAGES_PENDING: &str = "
    const inView = img => {
        const r = img.getBoundingClientRect();
        return r.width > 0 && r.height > 0 && r.bottom > 0 && r.right > 0
            && r.top < innerHeight && r.left < innerWidth && img.checkVisibility();
    };
    const pending = Array.from(document.images)
        .filter(img => inView(img) && !(img.complete && img.naturalWidth > 0))
        .map(img => img.currentSrc || img.src);
    if (document.fonts.status !== 'loaded') pending.push('fonts');
    return pending;
";

/// Resolves after two more animation frames.
const TWO_FRAMES: &str = "
    return new Promise(resolve => requestAnimationFrame(() => requestAnimationFrame(() => resolve(true))));
";
