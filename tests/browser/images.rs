//! The input images in a real browser: local images' sizes, reading real `File`s,
//! and the mounted picker and list driven the way a user's browser drives them. (The
//! list's rules, and how images are named, are native unit tests:
//! `src/form/images/model/tests.rs`, `src/locale/image_label.rs`.)

mod support;

use crate::common::{all, texts, until};
use leptos::prelude::{GetUntracked, Set, WithUntracked};
use seedream_contract::image::{ImageFormat, MAX_IMAGES};
use seedream_contract::url::UrlError;
use seedream_studio::form::images::Problem;
use seedream_studio::form::images::model::{self, InputImage};
use seedream_studio::form::images::read::{self, Name, from_url, read_file};
use seedream_studio::i18n::Locale;
use seedream_studio::media::{LocalImage, ObjectUrl, Source};
use support::*;
use wasm_bindgen_test::wasm_bindgen_test;

fn image(id: u32) -> InputImage {
    InputImage {
        id,
        source: Source::Url(format!("https://example.com/{id}.png")),
        name: format!("{id}.png"),
        format: Some(ImageFormat::Png),
        width: None,
        height: None,
        unreadable: false,
        from: None,
    }
}

/// A local image claiming `bytes` bytes (only the rules read the number).
fn local(bytes: u64) -> Source {
    let blob = web_sys::Blob::new().expect("a blob");
    let preview = ObjectUrl::for_blob(&blob).expect("an object URL");
    Source::Local(LocalImage::new(
        blob,
        preview,
        "local.png".into(),
        bytes,
        ImageFormat::Png,
    ))
}

#[wasm_bindgen_test]
fn describes_sizes_and_sources() {
    let mut url = image(1);
    let size_of = |bytes: u64| {
        let file = InputImage {
            source: local(bytes),
            ..image(2)
        };
        file.size_label(Locale::en)
    };
    assert_eq!(size_of(0), "0 bytes");
    assert_eq!(size_of(812), "812 bytes");
    assert_eq!(size_of(39_424), "38.5 KB");
    assert_eq!(size_of(2_516_582), "2.4 MB");
    assert!(!url.is_local());
    assert_eq!(url.size_label(Locale::en), "URL");
    assert_eq!(url.pixel_size(), None);
    url.source = local(77);
    (url.width, url.height) = (Some(2), Some(3));
    assert!(url.is_local());
    assert!(url.preview().starts_with("blob:"), "{}", url.preview());
    assert_eq!(
        (url.pixel_size().as_deref(), url.size_label(Locale::en)),
        (Some("2 × 3"), "77 bytes".into())
    );
    assert_ne!(model::next_id(), model::next_id());
}

#[wasm_bindgen_test]
async fn reads_a_png_with_its_pixel_size() {
    let file = file_of(PNG_2X3, "photo.png", "image/png");
    let image = read_file(file, 7).await.expect("a valid PNG is accepted");
    assert_eq!(image.id, 7);
    assert_eq!(image.name, "photo.png");
    assert_eq!(image.format, Some(ImageFormat::Png));
    assert_eq!((image.width, image.height), (Some(2), Some(3)));
    assert_eq!(image.bytes(), Some(PNG_2X3.len() as u64));
    assert_eq!(
        sent_as(&image).await,
        format!("\"data:image/png;base64,{}\"", base64_of(PNG_2X3))
    );
    let preview = image.preview().to_owned();
    assert!(preview.starts_with("blob:"), "{preview}");
    assert!(load_size(&preview).await.is_some(), "the preview shows");
    let copy = image.clone();
    drop(image);
    assert!(
        is_served(&preview).await,
        "a copy (a task card's) keeps the preview"
    );
    drop(copy);
    assert!(
        !is_served(&preview).await,
        "the last holder's drop revokes the object URL"
    );
}

#[wasm_bindgen_test]
async fn declares_the_sniffed_type_whatever_the_file_claims() {
    for claimed in ["image/jpeg", "", "application/octet-stream", "text/plain"] {
        let file = file_of(PNG_2X3, "mislabelled.jpg", claimed);
        let image = read_file(file, 1).await.expect("the bytes are a PNG");
        assert_eq!(image.format, Some(ImageFormat::Png), "claimed {claimed:?}");
        assert_eq!(
            sent_as(&image).await,
            format!("\"data:image/png;base64,{}\"", base64_of(PNG_2X3))
        );
    }
    let gif = read_file(file_of(GIF_1X1, "dot", ""), 2)
        .await
        .expect("a GIF");
    let sent = sent_as(&gif).await;
    assert!(sent.starts_with("\"data:image/gif;base64,R0lGOD"), "{sent}");
    assert_eq!((gif.width, gif.height), (Some(1), Some(1)));
}

#[wasm_bindgen_test]
async fn accepts_a_recognised_format_the_browser_cannot_decode() {
    // JPEG magic then junk: what the contract checks passes; Chromium's decoder fails,
    // as it does for TIFF. Accepted, without a pixel size.
    let bytes = [&[0xFF, 0xD8, 0xFF, 0xE0][..], &[7_u8; 60]].concat();
    let image = read_file(file_of(&bytes, "scan.jpg", "image/jpeg"), 3)
        .await
        .expect("kept");
    assert_eq!(image.format, Some(ImageFormat::Jpeg));
    assert_eq!(
        (image.width, image.height, image.bytes()),
        (None, None, Some(64))
    );
}

#[wasm_bindgen_test]
async fn pixel_size_comes_from_the_header_with_exif_orientation_applied() {
    use seedream_studio::media::probe::probe;
    // A phone photo stored landscape with "rotate 90°": shown (and matched) portrait.
    let turned = file_of(&jpeg_header(4032, 3024, Some(6), 0), "phone.jpg", "");
    let probed = probe(&turned).await.expect("a JPEG header");
    assert_eq!(
        (probed.format, probed.size),
        (ImageFormat::Jpeg, Some((3024, 4032)))
    );
    // Orientations 1 to 4 keep the stored width and height.
    let upright = file_of(&jpeg_header(4032, 3024, Some(3), 0), "upside.jpg", "");
    assert_eq!(
        probe(&upright).await.expect("a header").size,
        Some((4032, 3024))
    );
    // The frame header after 600 KB of metadata, found by reading in steps.
    let deep = file_of(&jpeg_header(640, 480, Some(8), 600 * 1024), "deep.jpg", "");
    assert_eq!(probe(&deep).await.expect("a header").size, Some((480, 640)));
    // Through the form, the card shows the size as the browser shows the picture.
    let image = read_file(turned, 11).await.expect("accepted");
    assert_eq!((image.width, image.height), (Some(3024), Some(4032)));
    let png = probe(&file_of(PNG_2X3, "p.png", "")).await.expect("a PNG");
    assert_eq!((png.format, png.size), (ImageFormat::Png, Some((2, 3))));
}

#[wasm_bindgen_test]
async fn refuses_what_is_not_an_image_with_a_message_naming_the_file() {
    let pdf = read_file(
        file_of(
            b"%PDF-1.7\n%\xE2\xE3\xCF\xD3\n1 0 obj",
            "notes.pdf",
            "application/pdf",
        ),
        4,
    )
    .await
    .expect_err("a PDF is refused");
    assert_eq!((pdf.id, &pdf.name), (4, &Name::Given("notes.pdf".into())));
    assert_eq!(
        pdf.describe(Locale::en),
        "notes.pdf is not a JPEG, PNG, WEBP, BMP, TIFF or GIF image."
    );

    let empty = read_file(file_of(b"", "empty.png", "image/png"), 5)
        .await
        .expect_err("empty");
    assert_eq!(empty.describe(Locale::en), "empty.png is empty.");
}

#[wasm_bindgen_test]
async fn refuses_an_oversize_file_without_reading_it() {
    let file = trapped(oversize_file("huge.png", 11), "huge.png");
    let started = now();
    let problem = read_file(file, 6).await.expect_err("over 10 MB is refused");
    assert!(!was_read(), "the file was never sliced or read");
    assert!(now() - started < 500.0, "refused at once");
    assert_eq!(
        problem.describe(Locale::en),
        "huge.png is 11.0 MB; each image may be at most 10 MB (10,485,760 bytes)."
    );
}

#[wasm_bindgen_test]
async fn reports_an_unreadable_file() {
    let file = trapped(file_of(PNG_2X3, "locked.png", "image/png"), "locked.png");
    let problem = read_file(file, 8).await.expect_err("reading fails");
    assert_eq!(
        problem.describe(Locale::en),
        "locked.png could not be read."
    );
}

#[wasm_bindgen_test]
async fn refuses_bad_addresses_and_data_uris_given_as_addresses() {
    let ftp = from_url("ftp://example.com/a.png", 1)
        .await
        .expect_err("ftp");
    assert_eq!(
        ftp.describe(Locale::en),
        "The address ftp://example.com/a.png uses the ftp: scheme; only http:// and https:// \
         are allowed."
    );
    let data = format!("data:image/png;base64,{}", base64_of(PNG_2X3));
    let problem = from_url(&data, 2)
        .await
        .expect_err("a data URI is not an address");
    assert_eq!(
        problem.problem,
        Problem::BadAddress(UrlError::UnsupportedScheme {
            scheme: "data".to_owned()
        })
    );
    assert_eq!(
        from_url("  ", 3)
            .await
            .expect_err("empty")
            .describe(Locale::en),
        "The address is empty."
    );
    assert_eq!(
        from_url("photo.png", 4)
            .await
            .expect_err("no scheme")
            .describe(Locale::en),
        "The address photo.png does not start with http:// or https://."
    );
}

#[wasm_bindgen_test]
async fn keeps_an_address_that_cannot_be_loaded_here_with_a_warning() {
    let url = "http://127.0.0.1:9/shots/cat.PNG?size=large";
    let image = from_url(&format!(" {url} "), 9)
        .await
        .expect("kept: the service fetches it");
    assert_eq!((image.source.url(), image.preview()), (Some(url), url));
    assert_eq!(
        (image.name.as_str(), image.format),
        ("cat.PNG", Some(ImageFormat::Png))
    );
    assert_eq!((image.width, image.bytes()), (None, None));
    let warning = read::url_load_warning(&image)
        .expect("a warning")
        .describe(Locale::en);
    assert_eq!(
        warning,
        format!(
            "{url} could not be loaded here, so its size is unknown; it was added anyway, and \
             the service will fetch it itself."
        )
    );
    let host_only = from_url("https://127.0.0.1:9", 10).await.expect("kept");
    assert_eq!(
        (host_only.name.as_str(), host_only.format),
        ("127.0.0.1", None)
    );
}

#[wasm_bindgen_test]
async fn picker_and_list_add_show_reorder_and_remove() {
    let studio = Studio::mount();
    let files = [
        file_of(PNG_2X3, "photo.png", "image/png"),
        file_of(GIF_1X1, "dot.gif", "image/gif"),
    ];
    studio.choose(&files);
    studio.wait_for_images(2).await;
    assert_eq!(studio.names(), ["photo.png", "dot.gif"]);
    assert_eq!(studio.all(".image-label"), ["Image 1", "Image 2"]);
    let details: Vec<Vec<String>> = all(studio.root(), ".image-card")
        .iter()
        .map(|card| texts(card, ".image-details span"))
        .collect();
    assert_eq!(
        details,
        [["PNG", "2 × 3", "77 bytes"], ["GIF", "1 × 1", "43 bytes"]]
    );
    assert_eq!(
        studio.attr("img.image-thumb", "alt").as_deref(),
        Some("Image 1: photo.png")
    );
    assert!(
        studio
            .button("Move earlier: Image 1")
            .has_attribute("disabled")
    );
    assert!(
        studio
            .button("Move later: Image 2")
            .has_attribute("disabled")
    );
    let file_input = studio.query("input[type=file]");
    assert_eq!(
        studio.text(&format!("label[for='{}']", file_input.id())),
        "Add images"
    );

    studio.button("Move earlier: Image 2").click();
    assert_eq!(studio.names(), ["dot.gif", "photo.png"]);
    until("focus to stay on the moved card", || {
        focused_label().as_deref() == Some("Move later: Image 1")
    })
    .await;
    until("the move to be announced", || {
        studio.text("[role=status]") == "Image 2 is now Image 1."
    })
    .await;
    assert_eq!(
        studio.attr("img.image-thumb", "alt").as_deref(),
        Some("Image 1: dot.gif")
    );

    studio.button("Move later: Image 1").click();
    assert_eq!(studio.names(), ["photo.png", "dot.gif"]);
    until("focus to follow the card back", || {
        focused_label().as_deref() == Some("Move earlier: Image 2")
    })
    .await;

    let removed = studio.images.get_untracked()[0].preview().to_owned();
    studio.button("Remove: Image 1").click();
    assert_eq!(studio.names(), ["dot.gif"]);
    until("focus to move to the next card's Remove", || {
        focused_label().as_deref() == Some("Remove: Image 1")
    })
    .await;
    until("the removal to be announced", || {
        studio.text("[role=status]")
            == "Removed Image 1 (photo.png); the images after it moved up one place."
    })
    .await;
    assert!(
        !is_served(&removed).await,
        "a removed file's object URL is revoked"
    );

    let kept = studio.images.get_untracked()[0].preview().to_owned();
    assert!(is_served(&kept).await);
    studio.images.set(Vec::new());
    until("the empty state to show", || {
        !studio.query(".empty").has_attribute("hidden")
    })
    .await;
    assert!(
        !is_served(&kept).await,
        "clearing the list frees object URLs too"
    );
}

#[wasm_bindgen_test]
async fn picker_keeps_the_given_order_and_reports_each_refused_file() {
    let studio = Studio::mount();
    // The first file's size sits behind 2 MB of metadata, so its header takes many
    // reads and it finishes last; it still comes first.
    let deep = jpeg_header(640, 480, None, 2 << 20);
    let files = [
        file_of(&deep, "deep.jpg", "image/jpeg"),
        file_of(b"%PDF-1.4", "notes.pdf", "application/pdf"),
        file_of(GIF_1X1, "small.gif", ""),
        oversize_file("huge.png", 12),
    ];
    studio.choose(&files);
    // Each file waits its turn, named, from the moment it is given.
    let reading: Vec<String> = studio
        .intake
        .pending
        .with_untracked(|queue| queue.iter().map(|p| p.describe(Locale::en)).collect());
    assert_eq!(reading[0], "Reading deep.jpg…", "{reading:?}");
    studio.wait_for_images(2).await;
    assert_eq!(studio.names(), ["deep.jpg", "small.gif"]);
    assert_eq!(
        studio.all(".image-pending li"),
        Vec::<String>::new(),
        "nothing left reading"
    );
    assert_eq!(
        studio.all(".image-problem-text"),
        [
            "notes.pdf is not a JPEG, PNG, WEBP, BMP, TIFF or GIF image.",
            "huge.png is 12.0 MB; each image may be at most 10 MB (10,485,760 bytes)."
        ]
    );
    studio
        .button("Dismiss: the message about notes.pdf")
        .click();
    until("the dismissed message to go", || {
        studio.all(".image-problem-text").len() == 1
    })
    .await;
    assert!(studio.all(".image-problem-text")[0].starts_with("huge.png"));
}

#[wasm_bindgen_test]
async fn picker_refuses_files_beyond_the_limit() {
    let studio = Studio::mount();
    let files: Vec<_> = (1..=MAX_IMAGES + 1)
        .map(|i| file_of(GIF_1X1, &format!("{i}.gif"), "image/gif"))
        .collect();
    studio.choose(&files);
    studio.wait_for_images(MAX_IMAGES).await;
    assert_eq!(
        studio.all(".image-problem-text"),
        ["15.gif was not added: an edit takes at most 14 images."]
    );
    assert_eq!(
        studio.all(".image-label").last().map(String::as_str),
        Some("Image 14")
    );
}

#[wasm_bindgen_test]
async fn drop_paste_and_address_field_add_images() {
    let studio = Studio::mount();
    studio.dispatch(
        ".image-drop",
        drag_event("drop", &[file_of(PNG_2X3, "dropped.png", "")]),
    );
    studio.wait_for_images(1).await;
    paste(&[file_of(GIF_1X1, "pasted.gif", "image/gif")]);
    studio.wait_for_images(2).await;
    studio.type_url("ftp://example.com/x.png");
    let ftp = "The address ftp://example.com/x.png uses the ftp: scheme; only http:// and \
               https:// are allowed.";
    until("the address to be refused", || {
        studio.all(".image-problem-text") == [ftp]
    })
    .await;
    studio.type_url("http://127.0.0.1:9/remote.webp");
    studio.wait_for_images(3).await;
    assert_eq!(studio.names(), ["dropped.png", "pasted.gif", "remote.webp"]);
    let address = all(studio.root(), ".image-card")[2].clone();
    assert_eq!(texts(&address, ".image-details span"), ["WEBP", "URL"]);
    until("the unloadable address to be a warning", || {
        studio.all(".image-problem-text")
            == [
                ftp.to_owned(),
                "http://127.0.0.1:9/remote.webp could not be loaded here, so its size is \
                 unknown; it was added anyway, and the service will fetch it itself."
                    .to_owned(),
            ]
    })
    .await;
}

#[wasm_bindgen_test]
async fn cards_reorder_by_dragging_a_handle() {
    let studio = Studio::mount();
    studio.choose(&[
        file_of(PNG_2X3, "a.png", ""),
        file_of(GIF_1X1, "b.gif", ""),
        file_of(GIF_1X1, "c.gif", ""),
    ]);
    studio.wait_for_images(3).await;
    let card = |i: usize| format!("[data-image-id='{}']", studio.images.get_untracked()[i].id);
    let (first, third) = (card(0), card(2));
    let handle = format!("{third} .image-handle");
    let start = centre(&studio.query(&handle));
    let over_first = centre(&studio.query(&first));
    studio.dispatch(&handle, pointer_event("pointerdown", start));
    studio.dispatch(&handle, pointer_event("pointermove", over_first));
    until("the card under the pointer to be marked", || {
        studio.query(&first).class_list().contains("drop-target")
    })
    .await;
    until("the dragged card to follow the pointer", || {
        studio
            .attr(&third, "style")
            .is_some_and(|s| s.contains("translate("))
    })
    .await;
    assert_eq!(
        studio.names(),
        ["a.png", "b.gif", "c.gif"],
        "nothing moves before the release"
    );
    studio.dispatch(&handle, pointer_event("pointerup", over_first));
    assert_eq!(studio.names(), ["c.gif", "a.png", "b.gif"]);
    until("the move to be announced", || {
        studio.text("[role=status]") == "Image 3 is now Image 1."
    })
    .await;
    assert_eq!(
        studio.all(".image-label"),
        ["Image 1", "Image 2", "Image 3"]
    );
    assert_eq!(
        studio.attr("img.image-thumb", "alt").as_deref(),
        Some("Image 1: c.gif"),
        "the DOM follows the new order"
    );
    until("the drag's marks to be gone", || {
        studio.all(".image-card.drop-target").is_empty()
            && studio.all(".image-card.dragging").is_empty()
    })
    .await;
    until("the handle to keep the focus", || {
        focused_label().as_deref() == Some("Drag to reorder: Image 1")
    })
    .await;

    // A cancelled drag (the browser took the pointer for a scroll) moves nothing.
    let handle = format!("{} .image-handle", card(1));
    studio.dispatch(
        &handle,
        pointer_event("pointerdown", centre(&studio.query(&handle))),
    );
    studio.dispatch(
        &handle,
        pointer_event("pointermove", centre(&studio.query(&card(2)))),
    );
    studio.dispatch(&handle, pointer_event("pointercancel", (0.0, 0.0)));
    assert_eq!(studio.names(), ["c.gif", "a.png", "b.gif"]);
}

#[wasm_bindgen_test]
async fn the_handle_moves_its_image_by_keyboard() {
    let studio = Studio::mount();
    studio.choose(&[
        file_of(PNG_2X3, "a.png", ""),
        file_of(GIF_1X1, "b.gif", ""),
        file_of(GIF_1X1, "c.gif", ""),
    ]);
    studio.wait_for_images(3).await;
    let handle_of = |name: &str| {
        let index = studio
            .names()
            .iter()
            .position(|n| n == name)
            .expect("listed");
        let id = studio.images.get_untracked()[index].id;
        format!("[data-image-id='{id}'] .image-handle")
    };
    assert_eq!(
        studio.attr(&handle_of("a.png"), "aria-label").as_deref(),
        Some("Drag to reorder: Image 1"),
        "the name starts with the tooltip's text"
    );
    let hint = studio
        .attr(&handle_of("a.png"), "aria-describedby")
        .expect("described");
    assert_eq!(
        studio.text(&format!("#{hint}")),
        "Or press the arrow keys to move it one place, Home or End to move it first or last."
    );
    studio.dispatch(&handle_of("a.png"), key_event("ArrowRight"));
    assert_eq!(studio.names(), ["b.gif", "a.png", "c.gif"]);
    until("the handle to keep the focus", || {
        focused_label().as_deref() == Some("Drag to reorder: Image 2")
    })
    .await;
    studio.dispatch(&handle_of("a.png"), key_event("End"));
    assert_eq!(studio.names(), ["b.gif", "c.gif", "a.png"]);
    studio.dispatch(&handle_of("a.png"), key_event("ArrowDown"));
    assert_eq!(
        studio.names(),
        ["b.gif", "c.gif", "a.png"],
        "the end stays the end"
    );
    studio.dispatch(&handle_of("c.gif"), key_event("Home"));
    assert_eq!(studio.names(), ["c.gif", "b.gif", "a.png"]);
    studio.dispatch(&handle_of("a.png"), key_event("ArrowUp"));
    assert_eq!(studio.names(), ["c.gif", "a.png", "b.gif"]);
    until("the last move to be announced", || {
        studio.text("[role=status]") == "Image 3 is now Image 2."
    })
    .await;
    let tab = key_event("Tab");
    studio
        .query(&handle_of("a.png"))
        .dispatch_event(&tab)
        .expect("dispatch");
    assert!(
        !tab.default_prevented(),
        "other keys are left to the browser"
    );
}
