//! Image references: data URI sizes and base64, URLs, counts and positions.

use crate::common::{base64_of_len, data_uri, magic, small, subtype};
use seedream_contract::image::{data_uri_for, image_errors};
use seedream_contract::{
    ImageCountError, ImageError, ImageFormat, ImageSource, ImagesError, MAX_IMAGE_BYTES, UrlError,
    validate_image_count, validate_image_ref, validate_images,
};

#[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
fn size_boundary_exact_and_one_over() {
    let exact = data_uri("png", ImageFormat::Png, MAX_IMAGE_BYTES);
    assert_eq!(
        validate_image_ref(&exact),
        Ok(ImageSource::DataUri {
            format: ImageFormat::Png,
            decoded_len: MAX_IMAGE_BYTES
        })
    );
    let over = data_uri("png", ImageFormat::Png, MAX_IMAGE_BYTES + 1);
    assert_eq!(
        validate_image_ref(&over),
        Err(ImageError::TooLarge {
            bytes: MAX_IMAGE_BYTES as u64 + 1
        })
    );
    // Every padding shape computes the decoded length right.
    for len in [MAX_IMAGE_BYTES - 2, MAX_IMAGE_BYTES - 1] {
        assert!(validate_image_ref(&data_uri("png", ImageFormat::Png, len)).is_ok());
    }
    assert!(validate_image_ref(&data_uri("png", ImageFormat::Png, MAX_IMAGE_BYTES + 2)).is_err());
}

#[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
fn too_large_is_reported_before_scanning() {
    // Oversized and also garbage: the size is what the user can act on.
    let payload = "!".repeat((MAX_IMAGE_BYTES / 3 + 1) * 4);
    let uri = format!("data:image/png;base64,{payload}");
    assert!(matches!(
        validate_image_ref(&uri),
        Err(ImageError::TooLarge { .. })
    ));
}

#[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
fn too_large_message() {
    let bytes = 11_744_051; // just under 11.2 MiB
    assert_eq!(
        ImageError::TooLarge { bytes }.describe_at(2),
        "Image 3 is 11.2 MB; each image may be at most 10 MB (10,485,760 bytes)."
    );
    assert!(
        ImageError::TooLarge {
            bytes: MAX_IMAGE_BYTES as u64 + 1
        }
        .to_string()
        .starts_with("The image is 10.1 MB;")
    );
}

#[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
fn declared_type_must_match_bytes() {
    let uri = data_uri("png", ImageFormat::Jpeg, 100);
    let error = validate_image_ref(&uri).expect_err("mismatch");
    assert_eq!(
        error,
        ImageError::TypeMismatch {
            declared: ImageFormat::Png,
            actual: ImageFormat::Jpeg
        }
    );
    assert_eq!(
        error.describe_at(1),
        "Image 2 says it is PNG but its bytes are JPEG."
    );
    for declared in ImageFormat::ALL {
        for actual in ImageFormat::ALL {
            let result = validate_image_ref(&data_uri(subtype(declared), actual, 48));
            if declared == actual {
                assert!(result.is_ok());
            } else {
                assert_eq!(result, Err(ImageError::TypeMismatch { declared, actual }));
            }
        }
    }
}

#[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
fn unrecognised_content() {
    assert_eq!(
        validate_image_ref("data:image/png;base64,AAAAAAAAAAAAAAAA"),
        Err(ImageError::UnrecognisedContent)
    );
    // "<svg" declared as PNG.
    assert_eq!(
        validate_image_ref("data:image/png;base64,PHN2Zz4="),
        Err(ImageError::UnrecognisedContent)
    );
    // Shorter than any signature.
    assert_eq!(
        validate_image_ref("data:image/jpeg;base64,/9g="),
        Err(ImageError::UnrecognisedContent)
    );
}

#[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
fn invalid_base64() {
    let good = base64_of_len(&magic(ImageFormat::Png), 32);
    for payload in [
        "@@@@".to_owned(),
        format!("{good}A"),         // length not a multiple of 4
        format!("{good}AA"),        // ditto
        format!("{good}AAA"),       // ditto
        good.replacen('A', "-", 1), // URL-safe alphabet
        good.replacen('A', "_", 1), // URL-safe alphabet
        good.replacen('A', " ", 1), // whitespace
        format!("{} ", &good[..good.len() - 1]),
        format!("{}\n", &good[..good.len() - 1]),
        "iVBO=w0K".to_owned(),         // padding in the middle
        "iVBORw0K====".to_owned(),     // a whole group of padding
        "iVBORw0KG===".to_owned(),     // three padding characters
        "iVBORw0KGB==".to_owned(),     // non-zero trailing bits ("B" = 000001)
        "iVBORw0KGgB=".to_owned(),     // non-zero trailing bits
        "iVBORw0KGgo=AAAA".to_owned(), // data after padding
        "ｉVBORw0KGgo=".to_owned(),    // non-ASCII
    ] {
        let uri = format!("data:image/png;base64,{payload}");
        assert_eq!(
            validate_image_ref(&uri),
            Err(ImageError::InvalidBase64),
            "{payload:?}"
        );
    }
}

#[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
fn padding_variants_that_are_valid() {
    // Lengths ending in each padding shape: none, "AA==", "AAA=".
    for len in [9, 10, 11, 12, 13] {
        let uri = data_uri("png", ImageFormat::Png, len);
        assert!(validate_image_ref(&uri).is_ok(), "{len}");
    }
    assert_eq!(
        validate_image_ref("data:image/png;base64,iVBORw0KGgo="),
        Ok(ImageSource::DataUri {
            format: ImageFormat::Png,
            decoded_len: 8
        })
    );
}

#[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
fn not_base64_data_uris() {
    for uri in [
        "data:image/png,rawbytes",
        "data:image/png;base64",
        "data:image/png;charset=utf-8;base64,iVBORw0KGgo=",
        "data:image/png;base32,iVBORw0KGgo=",
        "data:,hello",
        "data:;base64,iVBORw0KGgo=",
    ] {
        assert_eq!(
            validate_image_ref(uri),
            Err(ImageError::NotBase64DataUri),
            "{uri}"
        );
    }
}

#[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
fn unsupported_declared_types() {
    for (uri, declared) in [
        ("data:image/svg+xml;base64,PHN2Zz4=", "image/svg+xml"),
        ("data:text/plain;base64,SGVsbG8=", "text/plain"),
        ("data:text/html,<script>", "text/html"),
        ("data:image/heic;base64,AAAA", "image/heic"),
        (
            "data:application/octet-stream;base64,AAAA",
            "application/octet-stream",
        ),
    ] {
        assert_eq!(
            validate_image_ref(uri),
            Err(ImageError::UnsupportedDeclaredType {
                declared: declared.to_owned()
            }),
            "{uri}"
        );
    }
    assert_eq!(
        ImageError::UnsupportedDeclaredType {
            declared: "image/svg+xml".into()
        }
        .describe_at(0),
        "Image 1 is declared as image/svg+xml; supported formats are JPEG, PNG, WEBP, BMP, TIFF \
         and GIF."
    );
}

#[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
fn empty_references() {
    assert_eq!(validate_image_ref(""), Err(ImageError::Empty));
    assert_eq!(
        validate_image_ref("data:image/png;base64,"),
        Err(ImageError::Empty)
    );
}

#[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
fn urls() {
    for url in [
        "http://example.com/a.jpg",
        "https://example.com/a.png?sig=1",
        "HTTPS://EXAMPLE.COM/A.PNG",
    ] {
        assert_eq!(
            validate_image_ref(url),
            Ok(ImageSource::Url(url.to_owned()))
        );
    }
    assert_eq!(
        validate_image_ref("ftp://example.com/a.jpg"),
        Err(ImageError::UnsupportedScheme {
            scheme: "ftp".into()
        })
    );
    assert_eq!(
        validate_image_ref("javascript:alert(1)"),
        Err(ImageError::UnsupportedScheme {
            scheme: "javascript".into()
        })
    );
    assert_eq!(
        validate_image_ref("example.com/a.jpg"),
        Err(ImageError::NotUrlOrDataUri)
    );
    assert_eq!(
        validate_image_ref("just some words"),
        Err(ImageError::NotUrlOrDataUri)
    );
    assert_eq!(
        validate_image_ref("https://u:p@example.com/a.jpg"),
        Err(ImageError::BadUrl(UrlError::UserInfo))
    );
    assert_eq!(
        validate_image_ref("https://u:p@example.com/a.jpg")
            .expect_err("userinfo")
            .describe_at(4),
        "Image 5's address contains a user name or password before '@'; remove that part."
    );
    assert_eq!(
        validate_image_ref("https://"),
        Err(ImageError::BadUrl(UrlError::MissingHost))
    );
}

#[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
fn counts() {
    assert_eq!(validate_image_count(0), Err(ImageCountError::None));
    assert_eq!(validate_image_count(1), Ok(()));
    assert_eq!(validate_image_count(14), Ok(()));
    assert_eq!(
        validate_image_count(15),
        Err(ImageCountError::TooMany { count: 15 })
    );
    assert_eq!(
        ImageCountError::TooMany { count: 15 }.to_string(),
        "There are 15 images; at most 14 are allowed."
    );
    assert_eq!(
        ImageCountError::None.to_string(),
        "Add at least 1 image; an edit needs 1 to 14 images."
    );
}

#[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
fn list_validation_reports_position() {
    let good = small(ImageFormat::Png);
    assert_eq!(
        validate_images::<String>(&[]),
        Err(ImagesError::Count(ImageCountError::None))
    );
    assert_eq!(
        validate_images(&vec![good.clone(); 14]).map(|v| v.len()),
        Ok(14)
    );
    assert_eq!(
        validate_images(&vec![good.clone(); 15]),
        Err(ImagesError::Count(ImageCountError::TooMany { count: 15 }))
    );
    let list = vec![
        good.clone(),
        "https://example.com/b.jpg".to_owned(),
        data_uri("png", ImageFormat::Gif, 30),
        "ftp://x/y".to_owned(),
    ];
    let error = validate_images(&list).expect_err("image 3 is bad");
    assert_eq!(
        error,
        ImagesError::Invalid {
            index: 2,
            error: ImageError::TypeMismatch {
                declared: ImageFormat::Png,
                actual: ImageFormat::Gif
            }
        }
    );
    assert_eq!(
        error.to_string(),
        "Image 3 says it is PNG but its bytes are GIF."
    );
    let all = image_errors(&list);
    assert_eq!(all.len(), 2);
    assert_eq!(all[0].0, 2);
    assert_eq!(all[1].0, 3);
}

#[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
fn data_uri_for_bytes() {
    let mut bytes = magic(ImageFormat::Webp);
    bytes.extend_from_slice(&[7; 50]);
    let uri = data_uri_for(&bytes).expect("webp");
    assert!(uri.starts_with("data:image/webp;base64,"));
    assert_eq!(
        validate_image_ref(&uri),
        Ok(ImageSource::DataUri {
            format: ImageFormat::Webp,
            decoded_len: bytes.len()
        })
    );
    assert_eq!(data_uri_for(b"hello"), None);
}
