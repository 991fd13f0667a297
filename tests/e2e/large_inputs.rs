//! Large inputs: an edit of fourteen images of about 10 MB each (the contract's most,
//! near its size limit) from the file input to its results, and a file changed on
//! disk after it was added, which must be reported on its card before anything is
//! sent.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use image::ImageEncoder as _;
use image::codecs::png::{CompressionType, FilterType, PngEncoder};
use serde_json::Value;

use crate::harness::{self, Studio};
use crate::mock::fixture_png;
use crate::page::{EDIT_BUTTON, FILE_INPUT, IMAGE_CARDS, TASK_CARDS, js_str};

/// The contract's most images in one edit.
const LARGE_IMAGES: usize = 14;
/// 1,800² RGB pixels stored uncompressed: about 9.7 MB a file, under the 10 MiB limit.
const SIDE: u32 = 1_800;
/// How long the big edit's slow steps may take: reading, encoding and sending ~182 MB,
/// and the mock decoding it, on a loaded 2-core machine. Longer than `page::WAIT`.
const BIG_WAIT: Duration = Duration::from_secs(90);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn big_edit_of_fourteen_large_images_reaches_results() {
    let files = large_noise_pngs();
    let flags = ["--queue-time", "1s", "--processing-time", "1s"];
    harness::run("big_edit", &flags, |studio| async move {
        studio.open().await;
        let paths: Vec<&str> = files
            .iter()
            .map(|p| p.to_str().expect("a UTF-8 path"))
            .collect();
        let input = studio.find(FILE_INPUT).await;
        input
            .send_keys(&paths.join("\n"))
            .await
            .expect("the file input takes fourteen paths");
        wait_up_to(
            &studio,
            BIG_WAIT,
            &format!("{LARGE_IMAGES} image cards, each with its format, pixel size and thumbnail"),
            &cards_ready_check(LARGE_IMAGES, &format!("{SIDE} × {SIDE}")),
        )
        .await;

        studio
            .set_prompt("Put the objects of all fourteen pictures side by side on one shelf")
            .await;
        studio.click(EDIT_BUTTON).await;
        wait_up_to(
            &studio,
            BIG_WAIT,
            "a task card for the big edit",
            &format!(
                "return document.querySelectorAll({}).length === 1;",
                js_str(TASK_CARDS)
            ),
        )
        .await;
        wait_up_to(
            &studio,
            BIG_WAIT,
            "the big edit's result, loaded",
            &format!(
                "const imgs = Array.from(document.querySelectorAll('{TASK_CARDS}:first-child ul.gallery li.result img')); \
                 imgs.forEach(i => i.scrollIntoView({{block: 'nearest'}})); \
                 return imgs.length === 1 && imgs.every(i => i.complete && i.naturalWidth > 0);"
            ),
        )
        .await;
        studio.wait_for_status("Done").await;
        assert_eq!(
            studio.mock_count("submits").await,
            1,
            "the big edit should have been one submit"
        );
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn changed_file_is_reported_before_anything_is_sent() {
    // A copy of its own, since the test rewrites it.
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("e2e-fixtures");
    let path = dir.join("changed-after-adding.png");
    std::fs::copy(fixture_png(320, 240), &path).expect("a copy of the fixture PNG");
    harness::run("changed_file", &[], |studio| async move {
        studio.open().await;
        studio.upload(&path).await;
        // The app has read the file's first bytes once its card shows them; only then
        // is the change one the browser must notice when the file is read in full.
        studio
            .wait_for(
                "the card to give the PNG's format and pixel size",
                &cards_ready_check(1, "320 × 240"),
            )
            .await;
        studio.set_prompt("Turn this into a watercolour").await;
        change_on_disk(&path);

        studio.click(EDIT_BUTTON).await;
        let problem = format!("{IMAGE_CARDS} .image-problem[role=alert]");
        studio
            .wait_for(
                "the image's card to report a problem",
                &format!(
                    "const e = document.querySelector({}); return e !== null && e.textContent.trim() !== '';",
                    js_str(&problem)
                ),
            )
            .await;
        // A submit sent anyway would show within moments: watch for a while.
        let watch_until = Instant::now() + Duration::from_secs(2);
        while Instant::now() < watch_until {
            assert_eq!(
                studio.count(TASK_CARDS).await,
                0,
                "no task card should appear for a file that cannot be read"
            );
            assert_eq!(
                studio.mock_count("submits").await,
                0,
                "nothing should have been sent to the mock"
            );
            tokio::time::sleep(Duration::from_millis(250)).await;
        }
    })
    .await;
}

/// A check (a script for `wait_for`) that `n` image cards each give the format PNG and
/// `pixels` ("W × H") and show a decoded thumbnail. Thumbnails load lazily, as they
/// come near the viewport, so it scrolls to the first one still loading, as a person
/// looking at each would.
fn cards_ready_check(n: usize, pixels: &str) -> String {
    format!(
        "const cards = Array.from(document.querySelectorAll({cards})); \
         const shown = (card) => {{ \
             const img = card.querySelector('img'); \
             return img !== null && img.complete && img.naturalWidth > 0; \
         }}; \
         cards.find(card => !shown(card))?.scrollIntoView({{block: 'center'}}); \
         return cards.length === {n} && cards.every(card => {{ \
             const details = card.querySelector('.image-details')?.textContent ?? ''; \
             return details.includes('PNG') && details.includes({pixels}) && shown(card); \
         }});",
        cards = js_str(IMAGE_CARDS),
        pixels = js_str(pixels),
    )
}

/// Polls `script` in the page until it returns `true`, for at most `limit`.
async fn wait_up_to(studio: &Studio, limit: Duration, what: &str, script: &str) {
    let deadline = Instant::now() + limit;
    loop {
        let last = studio.js(script, vec![]).await;
        if last == Value::Bool(true) {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "expected {what} within {limit:?}; the check last gave {last}"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// Makes `path` a different file than the one chosen: more bytes and a later
/// modification time, which is what the browser compares.
fn change_on_disk(path: &Path) {
    let before = std::fs::metadata(path)
        .and_then(|m| m.modified())
        .expect("the file's modification time");
    let mut file = std::fs::OpenOptions::new()
        .append(true)
        .open(path)
        .expect("the file opens for appending");
    file.write_all(b"changed after it was added")
        .expect("the file takes more bytes");
    file.set_modified(before + Duration::from_secs(10))
        .expect("the file takes a later modification time");
}

/// Fourteen distinct noise PNGs of about 9.7 MB each in the tests' temporary
/// directory, written once (the same bytes every time) and kept for later runs.
///
/// One noise picture, each file differing in its first pixels (distinct files, never
/// taken for one another), stored without compression: writing all fourteen takes
/// about as long as copying them.
fn large_noise_pngs() -> Vec<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("e2e-inputs");
    std::fs::create_dir_all(&dir).expect("the large inputs' directory");
    let paths: Vec<PathBuf> = (0..LARGE_IMAGES)
        .map(|i| dir.join(format!("noise-{SIDE}-{i:02}.png")))
        .collect();
    if paths.iter().all(|p| p.is_file()) {
        return paths;
    }
    // A xorshift generator: noise that no compressor shrinks, the same every run.
    let mut state: u64 = 0x2545_F491_4F6C_DD1D;
    let mut pixels: Vec<u8> = (0..SIDE as usize * SIDE as usize * 3)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state >> 56) as u8
        })
        .collect();
    for (i, path) in paths.iter().enumerate() {
        pixels[..8].copy_from_slice(&(i as u64).to_le_bytes());
        // Written aside and renamed, so no run sees half a file from another.
        let partial = path.with_extension(format!("{}.partial", std::process::id()));
        let file = std::fs::File::create(&partial).expect("a large input file");
        let encoder = PngEncoder::new_with_quality(
            std::io::BufWriter::new(file),
            CompressionType::Uncompressed,
            FilterType::NoFilter,
        );
        encoder
            .write_image(&pixels, SIDE, SIDE, image::ExtendedColorType::Rgb8)
            .expect("the large input is encoded");
        std::fs::rename(&partial, path).expect("the large input is put in place");
    }
    paths
}
