//! The size rules: strict parsing, pixel and aspect bounds, presets, nearest size.

use seedream_contract::size::{MAX_ASPECT, SIZE_STEP};
use seedream_contract::{
    DEFAULT_SIZE, MAX_PIXELS, MIN_PIXELS, RECOMMENDED, Size, SizeError, SizeParseError,
    nearest_valid_size,
};

fn size(w: u32, h: u32) -> Size {
    Size::new(w, h)
}

#[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
fn constants() {
    assert_eq!(MIN_PIXELS, 3_686_400);
    assert_eq!(MIN_PIXELS, 2560 * 1440);
    assert_eq!(MAX_PIXELS, 10_404_496);
    assert_eq!(MAX_ASPECT, 16);
    assert_eq!(DEFAULT_SIZE, size(2048, 2048));
    assert_eq!(Size::default(), DEFAULT_SIZE);
    assert_eq!(DEFAULT_SIZE.validate(), Ok(()));
}

#[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
fn parses_the_wire_form() {
    assert_eq!("2048x2048".parse(), Ok(size(2048, 2048)));
    assert_eq!("2304x1728".parse(), Ok(size(2304, 1728)));
    assert_eq!("1x1".parse(), Ok(size(1, 1)));
    assert_eq!("4294967295x1".parse(), Ok(size(u32::MAX, 1)));
}

#[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
fn refuses_garbage() {
    assert_eq!("".parse::<Size>(), Err(SizeParseError::Empty));
    for text in [
        "x",
        "2048",
        "2048x",
        "x2048",
        "-1x5",
        "5x-1",
        "+2048x2048",
        "2048x+2048",
        "2048 x 2048",
        " 2048x2048",
        "2048x2048 ",
        "2048X2048",
        "2048×2048",
        "2048*2048",
        "2048x2048x2048",
        "02048x2048",
        "2048x00",
        "2048.0x2048",
        "２０４８x2048",
        "ax b",
        "2048x2048\n",
    ] {
        let result = text.parse::<Size>();
        assert!(
            matches!(result, Err(SizeParseError::Malformed { .. })),
            "{text:?}: {result:?}"
        );
    }
}

#[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
fn refuses_zero_and_overflow() {
    for text in ["0x5000", "5000x0", "0x0"] {
        assert_eq!(
            text.parse::<Size>(),
            Err(SizeParseError::Zero {
                input: text.to_owned()
            })
        );
    }
    for text in [
        "99999999999x1",
        "4294967296x1",
        "1x4294967296",
        "1x99999999999999999999999",
    ] {
        assert_eq!(
            text.parse::<Size>(),
            Err(SizeParseError::TooLarge {
                input: text.to_owned()
            })
        );
    }
    // A shape problem wins over zero/overflow in the other side.
    assert!(matches!(
        "0x-1".parse::<Size>(),
        Err(SizeParseError::Malformed { .. })
    ));
}

#[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
fn parse_messages() {
    assert_eq!(
        "2048 x 2048"
            .parse::<Size>()
            .expect_err("spaces")
            .to_string(),
        "\"2048 x 2048\" is not a size; write it as WIDTHxHEIGHT with plain numbers, e.g. \
         2048x2048."
    );
    // Long garbage is shortened in the message.
    let long = "y".repeat(1000);
    let message = long.parse::<Size>().expect_err("garbage").to_string();
    assert!(message.len() < 200, "{message}");
}

#[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
fn lenient_parse_for_typing() {
    for text in [
        "2048x2048",
        " 2048 x 2048 ",
        "2048X2048",
        "2048×2048",
        "2048*2048",
        "2048 *2048",
    ] {
        assert_eq!(Size::parse_lenient(text), Ok(size(2048, 2048)), "{text:?}");
    }
    assert_eq!(Size::parse_lenient("  "), Err(SizeParseError::Empty));
    assert!(Size::parse_lenient("-2048x2048").is_err());
    assert!(Size::parse_lenient("2048").is_err());
}

#[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
fn display_round_trip() {
    assert_eq!(size(2848, 1600).to_string(), "2848x1600");
    for s in [size(1, 1), size(u32::MAX, u32::MAX), DEFAULT_SIZE] {
        assert_eq!(s.to_string().parse(), Ok(s));
    }
}

#[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
fn serde_as_string() {
    assert_eq!(
        serde_json::to_string(&size(2304, 1728)).expect("serialise"),
        "\"2304x1728\""
    );
    assert_eq!(
        serde_json::from_str::<Size>("\"2304x1728\"").expect("parse"),
        size(2304, 1728)
    );
    assert!(serde_json::from_str::<Size>("\"2304 x 1728\"").is_err());
    assert!(serde_json::from_str::<Size>("2048").is_err());
}

#[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
fn pixel_minimum() {
    // 1919 x 1921 = 3,686,399 = MIN_PIXELS - 1.
    assert_eq!(
        size(1919, 1921).validate(),
        Err(SizeError::TooFewPixels {
            width: 1919,
            height: 1921,
            pixels: MIN_PIXELS - 1
        })
    );
    assert_eq!(size(2560, 1440).validate(), Ok(()));
    assert_eq!(size(1440, 2560).validate(), Ok(()));
    assert_eq!(size(1920, 1920).validate(), Ok(()));
    // The pixel count is checked first: MIN-1 pixels in a 1-pixel line is "too few",
    // exactly MIN pixels in a line passes the count and fails the aspect.
    assert!(matches!(
        size(1, 3_686_399).validate(),
        Err(SizeError::TooFewPixels { .. })
    ));
    assert!(matches!(
        size(1, 3_686_400).validate(),
        Err(SizeError::AspectTooTall { .. })
    ));
}

#[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
fn pixel_maximum() {
    // 10,404,496 = 16 x 650,281 (650,281 is prime), so no in-aspect size hits it
    // exactly: a 16-pixel-wide strip shows the count itself is accepted.
    assert_eq!(16 * 650_281, MAX_PIXELS);
    assert!(matches!(
        size(16, 650_281).validate(),
        Err(SizeError::AspectTooTall { .. })
    ));
    assert!(matches!(
        size(1, 10_404_497).validate(),
        Err(SizeError::TooManyPixels { .. })
    ));
    // 2547 x 4085 = 10,404,495 = MAX_PIXELS - 1.
    assert_eq!(2547 * 4085, MAX_PIXELS - 1);
    assert_eq!(size(2547, 4085).validate(), Ok(()));
    assert_eq!(size(3225, 3226).validate(), Ok(()));
    assert_eq!(
        size(3226, 3226).validate(),
        Err(SizeError::TooManyPixels {
            width: 3226,
            height: 3226,
            pixels: 10_407_076
        })
    );
    assert!(size(u32::MAX, u32::MAX).validate().is_err());
}

#[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
fn aspect_bounds_inclusive() {
    // 7680 x 480 is exactly 16:1 and exactly MIN_PIXELS.
    assert_eq!(size(7680, 480).validate(), Ok(()));
    assert_eq!(size(480, 7680).validate(), Ok(()));
    assert_eq!(size(8192, 512).validate(), Ok(()));
    assert_eq!(size(512, 8192).validate(), Ok(()));
    assert_eq!(
        size(7681, 480).validate(),
        Err(SizeError::AspectTooWide {
            width: 7681,
            height: 480
        })
    );
    assert_eq!(
        size(480, 7681).validate(),
        Err(SizeError::AspectTooTall {
            width: 480,
            height: 7681
        })
    );
}

#[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
fn bound_messages() {
    assert_eq!(
        size(2000, 1000).validate().expect_err("small").to_string(),
        "2000x1000 has 2,000,000 pixels; the minimum is 3,686,400 (2560x1440)."
    );
    assert_eq!(
        size(4096, 4096).validate().expect_err("big").to_string(),
        "4096x4096 has 16,777,216 pixels; the maximum is 10,404,496 (about 3225x3225)."
    );
    assert_eq!(
        size(7681, 480).validate().expect_err("wide").to_string(),
        "7681x480 is more than 16 times wider than tall; the widest allowed shape is 16:1."
    );
    assert_eq!(
        size(480, 7681).validate().expect_err("tall").to_string(),
        "480x7681 is more than 16 times taller than wide; the tallest allowed shape is 1:16."
    );
}

#[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
fn recommended_table() {
    let table: Vec<(&str, String, String)> = RECOMMENDED
        .iter()
        .map(|r| (r.ratio, r.k2.to_string(), r.k3.to_string()))
        .collect();
    let expected = [
        ("1:1", "2048x2048", "3072x3072"),
        ("4:3", "2304x1728", "3456x2592"),
        ("3:4", "1728x2304", "2592x3456"),
        ("16:9", "2848x1600", "4096x2304"),
        ("9:16", "1600x2848", "2304x4096"),
        ("3:2", "2496x1664", "3744x2496"),
        ("2:3", "1664x2496", "2496x3744"),
        ("21:9", "3136x1344", "4704x2016"),
    ];
    assert_eq!(table.len(), expected.len());
    for ((ratio, k2, k3), (e_ratio, e_k2, e_k3)) in table.iter().zip(expected) {
        assert_eq!((*ratio, k2.as_str(), k3.as_str()), (e_ratio, e_k2, e_k3));
    }
    for preset in RECOMMENDED {
        assert_eq!(preset.k2.validate(), Ok(()), "{}", preset.ratio);
        assert_eq!(preset.k3.validate(), Ok(()), "{}", preset.ratio);
    }
}

#[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
fn nearest_degenerate_inputs() {
    assert_eq!(nearest_valid_size(0, 0), DEFAULT_SIZE);
    assert_eq!(nearest_valid_size(0, 500), DEFAULT_SIZE);
    assert_eq!(nearest_valid_size(500, 0), DEFAULT_SIZE);
}

#[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
fn nearest_snaps_to_presets() {
    assert_eq!(nearest_valid_size(1000, 1000), size(2048, 2048));
    assert_eq!(nearest_valid_size(1, 1), size(2048, 2048));
    assert_eq!(nearest_valid_size(4000, 3000), size(2304, 1728));
    assert_eq!(nearest_valid_size(3000, 4000), size(1728, 2304));
    assert_eq!(nearest_valid_size(1920, 1080), size(2848, 1600));
    assert_eq!(nearest_valid_size(1080, 1920), size(1600, 2848));
    assert_eq!(nearest_valid_size(6000, 4000), size(2496, 1664));
    assert_eq!(nearest_valid_size(2100, 900), size(3136, 1344));
    // 2560x1080 ("21:9" monitors) is 2.37:1, 1.6% off the preset: not snapped.
    assert_ne!(nearest_valid_size(2560, 1080), size(3136, 1344));
}

fn assert_good(w: u32, h: u32) {
    let out = nearest_valid_size(w, h);
    assert_eq!(out.validate(), Ok(()), "{w}x{h} -> {out}");
    let wanted = (f64::from(w) / f64::from(h)).clamp(1.0 / 16.0, 16.0);
    let got = out.ratio();
    assert!(
        (got / wanted - 1.0).abs() < 0.03,
        "{w}x{h} -> {out}: ratio {got} vs {wanted}"
    );
}

#[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
fn nearest_keeps_shape_and_validates() {
    for (w, h) in [
        (5000, 1000),
        (1000, 5000),
        (100_000, 1),
        (1, 100_000),
        (16, 1),
        (1, 16),
        (17, 1),
        (1599, 100),
        (1601, 100),
        (u32::MAX, 1),
        (1, u32::MAX),
        (u32::MAX, u32::MAX),
        (333, 777),
        (12345, 6789),
    ] {
        assert_good(w, h);
    }
    let out = nearest_valid_size(5000, 1000);
    assert_eq!(out.width % SIZE_STEP, 0);
    assert_eq!(out.height % SIZE_STEP, 0);
    assert_eq!(nearest_valid_size(100_000, 1), size(8192, 512));
    assert_eq!(nearest_valid_size(1, 100_000), size(512, 8192));
}

#[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
fn nearest_sweep() {
    // A deterministic sweep over many shapes (the proptest covers random ones).
    let sides = [
        1u32, 2, 3, 7, 10, 31, 64, 99, 128, 500, 999, 1024, 1500, 2047, 4096, 7777,
    ];
    for &w in &sides {
        for &h in &sides {
            assert_good(w, h);
            assert_good(w * 13, h);
            assert_good(w, h * 13);
        }
    }
}
