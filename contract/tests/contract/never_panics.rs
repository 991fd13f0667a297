//! Property tests: no input can panic the parsers, and the main round trips hold.
#![cfg(not(target_arch = "wasm32"))]

use proptest::prelude::*;
use seedream_contract::{
    EditRequest, OutputFormat, RECOMMENDED, SequentialMode, Size, is_http_url, max_images_limit,
    nearest_valid_size, parse_http_url, parse_rate_limit_reset, parse_submit_answer,
    parse_submit_body, parse_task_answer, read_task_answer, validate_image_ref,
};
use serde_json::{Value, json};

/// Arbitrary JSON, a few levels deep, biased towards the contract's keys.
fn json_value() -> impl Strategy<Value = Value> {
    let key = prop_oneof![
        Just("code".to_owned()),
        Just("message".to_owned()),
        Just("data".to_owned()),
        Just("status".to_owned()),
        Just("task_id".to_owned()),
        Just("result".to_owned()),
        Just("resources".to_owned()),
        Just("url".to_owned()),
        Just("error".to_owned()),
        Just("width".to_owned()),
        Just("prompt".to_owned()),
        Just("image".to_owned()),
        Just("size".to_owned()),
        Just("sequential_image_generation_max_images".to_owned()),
        "[a-z_]{0,8}",
    ];
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>().prop_map(|f| json!(f)),
        prop_oneof![
            Just("success".to_owned()),
            Just("failed".to_owned()),
            Just("pending".to_owned()),
            Just("https://example.com/a.png".to_owned()),
            Just("javascript:alert(1)".to_owned()),
            Just("2048x2048".to_owned()),
            Just("auto".to_owned()),
            ".{0,20}",
        ]
        .prop_map(Value::from),
    ];
    leaf.prop_recursive(4, 48, 6, move |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::from),
            prop::collection::vec((key.clone(), inner), 0..6)
                .prop_map(|pairs| Value::Object(pairs.into_iter().collect())),
        ]
    })
}

proptest! {
    #[test]
    fn answers_never_panic(status in any::<u16>(), body in prop::collection::vec(any::<u8>(), 0..512)) {
        let _ = parse_submit_answer(status, &body);
        let _ = parse_task_answer(status, &body);
        let _ = read_task_answer(status, &body);
        let _ = parse_submit_body(&body);
    }

    #[test]
    fn structured_answers_never_panic(status in prop_oneof![Just(200u16), any::<u16>()], data in json_value(), code in prop_oneof![Just(0i64), any::<i64>()]) {
        let body = serde_json::to_vec(&json!({"code": code, "message": "m", "data": data})).unwrap_or_default();
        let _ = parse_submit_answer(status, &body);
        if let Ok(seedream_contract::TaskState::Succeeded(resources)) =
            read_task_answer(status, &body).map(|report| report.state)
        {
            for resource in resources {
                prop_assert!(is_http_url(&resource.url));
            }
        }
        let raw = serde_json::to_vec(&data).unwrap_or_default();
        let _ = parse_submit_answer(status, &raw);
        let _ = parse_task_answer(status, &raw);
        let _ = parse_submit_body(&raw);
    }

    #[test]
    fn submit_bodies_never_panic(value in json_value()) {
        let body = serde_json::to_vec(&value).unwrap_or_default();
        let _ = parse_submit_body(&body);
    }

    #[test]
    fn sizes_never_panic(text in ".{0,40}", near in "[0-9+\\- xX×*]{0,24}") {
        let _ = text.parse::<Size>();
        let _ = near.parse::<Size>();
        let _ = Size::parse_lenient(&text);
        let _ = Size::parse_lenient(&near);
        if let Ok(size) = near.parse::<Size>() {
            let _ = size.validate();
            prop_assert_eq!(size.to_string(), near);
        }
    }

    #[test]
    fn image_refs_never_panic(
        text in ".{0,80}",
        data in "(data|DATA):(image|text)/(png|jpeg|gif|webp|x)(;base64)?,[A-Za-z0-9+/=_ -]{0,48}",
    ) {
        let _ = validate_image_ref(&text);
        let _ = validate_image_ref(&data);
    }

    #[test]
    fn urls_never_panic_and_accepted_ones_are_clean(text in ".{0,60}", near in "(https?|HTTP|ftp|javascript)?:?/{0,3}[a-z@:.\\[\\]0-9 \\\\/?#]{0,30}") {
        for candidate in [&text, &near] {
            if let Ok(url) = parse_http_url(candidate) {
                let lower = candidate.to_ascii_lowercase();
                prop_assert!(lower.starts_with("http://") || lower.starts_with("https://"));
                prop_assert!(!candidate.chars().any(|c| c.is_whitespace() || c.is_control()));
                prop_assert!(!url.host().is_empty());
                prop_assert!(!url.host().contains('@'));
            }
        }
    }

    #[test]
    fn rate_limit_reset_never_panics(text in ".{0,30}", digits in "[0-9.]{0,30}", now in any::<u64>()) {
        for candidate in [&text, &digits] {
            if let Some(wait) = parse_rate_limit_reset(candidate, now) {
                prop_assert!(wait <= 3600);
            }
        }
    }

    #[test]
    fn size_display_round_trip(w in 1u32.., h in 1u32..) {
        let size = Size::new(w, h);
        prop_assert_eq!(size.to_string().parse::<Size>(), Ok(size));
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(4096))]

    #[test]
    fn nearest_valid_size_validates_and_keeps_shape(w in 1u32..=100_000, h in 1u32..=100_000) {
        let out = nearest_valid_size(w, h);
        prop_assert_eq!(out.validate(), Ok(()), "{}x{} -> {}", w, h, out);
        let wanted = (f64::from(w) / f64::from(h)).clamp(1.0 / 16.0, 16.0);
        let got = f64::from(out.width) / f64::from(out.height);
        prop_assert!((got / wanted - 1.0).abs() < 0.03, "{}x{} -> {}: {} vs {}", w, h, out, got, wanted);
    }

    #[test]
    fn nearest_valid_size_any_u32(w in any::<u32>(), h in any::<u32>()) {
        prop_assert_eq!(nearest_valid_size(w, h).validate(), Ok(()));
    }
}

/// Valid requests: the app's builder output must be what the mock accepts.
fn valid_request() -> impl Strategy<Value = EditRequest> {
    let prompt = "[a-zA-Z0-9水画日落 ,.!?\"\\\\\n🎨]{0,599}[a-z水]";
    let image = prop_oneof![
        Just("https://example.com/a.jpg".to_owned()),
        "[a-z]{1,10}".prop_map(|s| format!("http://{s}.example.com/{s}.png")),
        Just("data:image/png;base64,iVBORw0KGgo=".to_owned()),
        Just("data:image/gif;base64,R0lGODlhAAAA".to_owned()),
    ];
    let images = prop::collection::vec(image, 1..=14);
    let size = prop_oneof![
        (0..RECOMMENDED.len(), any::<bool>()).prop_map(|(i, k3)| {
            RECOMMENDED
                .get(i)
                .map_or(Size::new(2048, 2048), |p| if k3 { p.k3 } else { p.k2 })
        }),
        (1u32..20_000, 1u32..20_000).prop_map(|(w, h)| nearest_valid_size(w, h)),
    ];
    let format = prop_oneof![Just(OutputFormat::Jpeg), Just(OutputFormat::Png)];
    (prompt, images, size, any::<bool>(), any::<u8>(), format).prop_map(
        |(prompt, images, size, auto, max_seed, format)| {
            let inputs = images.len();
            let request = EditRequest::new(prompt, images)
                .with_size(size)
                .with_output_format(format);
            if auto {
                let limit = max_images_limit(inputs).max(1);
                let max = 1 + max_seed % limit;
                request.with_sequential(SequentialMode::Auto, Some(max))
            } else {
                request
            }
        },
    )
}

proptest! {
    #[test]
    fn request_round_trip(request in valid_request()) {
        prop_assert_eq!(request.validate(), Ok(()));
        let body = serde_json::to_vec(&request).unwrap_or_default();
        prop_assert_eq!(parse_submit_body(&body), Ok(request.clone()));
        let pretty = serde_json::to_vec_pretty(&request).unwrap_or_default();
        prop_assert_eq!(parse_submit_body(&pretty), Ok(request));
    }
}
