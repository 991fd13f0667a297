//! Image formats: magic numbers, MIME subtypes, labels; data URIs of each format.

use crate::common::{base64_of_len, data_uri, magic, small};
use seedream_contract::{
    ImageFormat, ImageSource, MAX_IMAGE_BYTES, MAX_IMAGES, MIN_IMAGES, validate_image_ref,
};

#[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
fn constants() {
    assert_eq!(MIN_IMAGES, 1);
    assert_eq!(MAX_IMAGES, 14);
    assert_eq!(MAX_IMAGE_BYTES, 10_485_760);
}

#[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
fn sniffs_every_magic() {
    for format in ImageFormat::ALL {
        assert_eq!(ImageFormat::sniff(&magic(format)), Some(format), "{format}");
    }
    assert_eq!(ImageFormat::sniff(b"GIF87a"), Some(ImageFormat::Gif));
    assert_eq!(ImageFormat::sniff(b"MM\0*"), Some(ImageFormat::Tiff));
    assert_eq!(ImageFormat::sniff(b"II*\0"), Some(ImageFormat::Tiff));
    assert_eq!(
        ImageFormat::sniff(&[0xFF, 0xD8, 0xFF]),
        Some(ImageFormat::Jpeg)
    );
}

#[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
fn sniff_refuses_near_misses() {
    for bytes in [
        &b""[..],
        &[0xFF, 0xD8],
        &[0xFF, 0xD8, 0x00],
        &[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A],
        b"GIF88a",
        b"GIF8",
        b"RIFF\0\0\0\0WAVE",
        b"RIFF\0\0\0\0WEB",
        b"B",
        b"II*",
        b"MM*\0",
        b"<svg xmlns",
        b"%PDF-1.7",
    ] {
        assert_eq!(ImageFormat::sniff(bytes), None, "{bytes:?}");
    }
}

#[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
fn mime_subtypes_and_labels() {
    use ImageFormat::*;
    for (name, format) in [
        ("jpeg", Jpeg),
        ("JPEG", Jpeg),
        ("jpg", Jpeg),
        ("pjpeg", Jpeg),
        ("png", Png),
        ("PnG", Png),
        ("webp", Webp),
        ("bmp", Bmp),
        ("x-ms-bmp", Bmp),
        ("x-bmp", Bmp),
        ("tiff", Tiff),
        ("tif", Tiff),
        ("gif", Gif),
    ] {
        assert_eq!(ImageFormat::from_mime_subtype(name), Some(format), "{name}");
    }
    for name in ["", "svg+xml", "heic", "avif", "jpeg2000", "png ", "x-icon"] {
        assert_eq!(ImageFormat::from_mime_subtype(name), None, "{name}");
    }
    assert_eq!(ImageFormat::from_mime_type("image/png"), Some(Png));
    assert_eq!(ImageFormat::from_mime_type("IMAGE/JPEG"), Some(Jpeg));
    assert_eq!(ImageFormat::from_mime_type("text/png"), None);
    let labels: Vec<_> = ImageFormat::ALL.iter().map(|f| f.label()).collect();
    assert_eq!(labels, ["JPEG", "PNG", "WEBP", "BMP", "TIFF", "GIF"]);
    for format in ImageFormat::ALL {
        assert_eq!(
            ImageFormat::from_mime_type(format.mime_type()),
            Some(format)
        );
    }
}

#[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
fn every_format_as_data_uri() {
    for format in ImageFormat::ALL {
        assert_eq!(
            validate_image_ref(&small(format)),
            Ok(ImageSource::DataUri {
                format,
                decoded_len: 64
            }),
            "{format}"
        );
    }
}

#[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
fn aliases_and_case_in_data_uris() {
    let payload = base64_of_len(&magic(ImageFormat::Jpeg), 30);
    for header in [
        "data:image/jpg;base64,",
        "data:image/pjpeg;base64,",
        "DATA:IMAGE/JPEG;BASE64,",
        "data:Image/Jpeg;Base64,",
    ] {
        let uri = format!("{header}{payload}");
        assert!(validate_image_ref(&uri).is_ok(), "{header}");
    }
    let bmp = data_uri("x-ms-bmp", ImageFormat::Bmp, 30);
    assert!(validate_image_ref(&bmp).is_ok());
}
