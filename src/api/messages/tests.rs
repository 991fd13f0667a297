//! The client's errors in both languages, natively: chosen by kind and status, the
//! API's own words (data, in English) only ever after the sentence, never alone.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use super::*;
use crate::api::{
    ApiConfig, ConfigError, HttpAnswer, connection_outcome, read_outcome, submit_outcome,
};

fn error_body(status: u16, message: &str) -> String {
    format!(r#"{{"code":{status},"message":"{message}"}}"#)
}

fn submitted(answer: HttpAnswer) -> SubmitError {
    match submit_outcome(&answer, 0) {
        Err(error) => error,
        Ok(task) => panic!("expected an error, got {task:?}"),
    }
}

fn both(error: &SubmitError) -> (String, String) {
    (error.describe(Locale::en), error.describe(Locale::zh_CN))
}

/// What every unknown outcome ends with, in English.
const MAY_EXIST_EN: &str = "It is not known whether the edit was received: it may have been, \
                            and charged, so check your tasks before submitting again.";
/// The same in Chinese.
const MAY_EXIST_ZH: &str =
    "无法确定服务是否已收到这次编辑：它可能已被接收并计费，再次提交前请先查看任务列表。";

#[test]
fn api_errors_are_said_by_kind_with_the_apis_words_after() {
    let body = error_body(400, "Invalid parameters: invalid prompt");
    let refused = submitted(HttpAnswer::new(400, body));
    assert_eq!(
        both(&refused),
        (
            "Invalid parameters: invalid prompt.".to_owned(),
            "参数无效（API 说明：invalid prompt）。".to_owned()
        )
    );
    // Without a message of its own, the kind's sentence alone: no English in Chinese.
    let broke = submitted(HttpAnswer::new(402, "<html>Payment required</html>"));
    assert_eq!(
        both(&broke),
        (
            "Insufficient balance: top up the account to run more edits.".to_owned(),
            "余额不足：请为账户充值后再继续编辑。".to_owned()
        )
    );
    let odd = submitted(HttpAnswer::new(418, ""));
    assert_eq!(
        both(&odd),
        (
            "Unexpected answer: the service answered with HTTP 418.".to_owned(),
            "意外的应答：服务返回了 HTTP 418。".to_owned()
        )
    );

    // A wait the API asked for is said, as the language writes a duration.
    let limited = HttpAnswer {
        rate_limit_reset: Some("20".to_owned()),
        ..HttpAnswer::new(429, error_body(429, "Rate limited: slow down"))
    };
    let error = read_outcome(&limited, 0).expect_err("rate limited");
    assert_eq!(
        error.describe(Locale::zh_CN),
        "请求过于频繁（API 说明：slow down）。API 要求等待 20 秒。"
    );
    assert_eq!(
        error.describe(Locale::en),
        "Rate limited: slow down. The API asks to wait 20 s."
    );

    // An unreadable answer: the contract's account of it is a developer's detail.
    let unreadable = read_outcome(&HttpAnswer::new(200, "[1]"), 0).expect_err("malformed");
    assert_eq!(
        unreadable.describe(Locale::zh_CN),
        "应答格式有误：无法读取服务的应答。"
    );
}

#[test]
fn an_unknown_outcome_says_to_look_before_resending() {
    let lost = submitted(HttpAnswer::new(
        504,
        error_body(504, "Gateway timeout: the API did not answer in time"),
    ));
    assert!(matches!(
        lost,
        SubmitError::OutcomeUnknown(Unknown::Gateway { status: 504, .. })
    ));
    assert_eq!(
        both(&lost),
        (
            format!(
                "The gateway lost the call to the API (HTTP 504: the API did not answer in \
                 time). {MAY_EXIST_EN}"
            ),
            format!(
                "网关与 API 之间的调用中断了（HTTP 504；网关说明：the API did not answer in \
                 time）。{MAY_EXIST_ZH}"
            )
        )
    );

    let unreadable = submitted(HttpAnswer::new(200, "<html>gateway</html>"));
    assert_eq!(
        both(&unreadable),
        (
            format!("The service answered, but its answer could not be read. {MAY_EXIST_EN}"),
            format!("服务已应答，但无法读取其内容。{MAY_EXIST_ZH}")
        )
    );

    let silent = SubmitError::OutcomeUnknown(Unknown::NoAnswer(NoAnswer {
        target: Target::ThisServer,
        cause: Silence::TimedOut { limit_secs: 360 },
    }));
    assert_eq!(
        both(&silent),
        (
            format!(
                "No answer from this page's server within 6 min 00 s; it may be overloaded or \
                 the connection too slow. {MAY_EXIST_EN}"
            ),
            format!(
                "本页面所在的服务器在 6 分 00 秒内没有应答；服务器可能负载过高，或网络连接太慢。\
                 {MAY_EXIST_ZH}"
            )
        )
    );
}

#[test]
fn no_answer_from_another_address_names_it_and_the_proxy() {
    // What a fetch to an address that refuses connections gives (the browser tests
    // check that such a fetch gives exactly this).
    let gone = NoAnswer {
        target: Target::Address("http://127.0.0.1:9".to_owned()),
        cause: Silence::Unreachable,
    };
    let unreachable_en = "No answer from http://127.0.0.1:9. The network may be down, the \
                          address wrong, or the browser blocked the call: a browser blocks calls \
                          to the Modellix API from another origin, so the app must go through a \
                          proxy (seedream-server) that holds the key.";
    assert_eq!(
        ReadError::NoAnswer(gone.clone()).describe(Locale::en),
        unreachable_en
    );
    assert_eq!(
        SubmitError::OutcomeUnknown(Unknown::NoAnswer(gone.clone())).describe(Locale::en),
        format!("{unreachable_en} {MAY_EXIST_EN}")
    );
    assert_eq!(
        ConnectionProblem::Unreachable(gone).describe(Locale::en),
        unreachable_en
    );
    let here = NoAnswer {
        target: Target::ThisServer,
        cause: Silence::CutOff { status: 200 },
    };
    assert_eq!(
        here.describe(Locale::en),
        "This page's server began to answer (HTTP 200), but the connection dropped before the \
         answer was complete."
    );
}

#[test]
fn settings_and_connection_problems_are_said_in_both_languages() {
    let base = ApiConfig::new("ftp://x.example", None).validate();
    let Err(error @ ConfigError::Base(_)) = base else {
        panic!("{base:?}");
    };
    assert_eq!(
        error.describe(Locale::zh_CN),
        "“API 地址”使用了 ftp: 协议，只允许 http:// 和 https://。留空即可使用本页面所在的服务器。"
    );
    assert_eq!(
        ConfigError::Key.describe(Locale::zh_CN),
        "API 密钥中含有空格、换行或密钥不会包含的其他字符；请去掉多余的文字后重新粘贴。"
    );
    assert_eq!(
        ConfigError::BaseQueryOrFragment.describe(Locale::en),
        "The API address must not contain '?' or '#': give only the origin, e.g. \
         https://api.modellix.ai, or leave it empty."
    );

    let refused = connection_outcome(
        &HttpAnswer::new(401, error_body(401, "Authentication failed: invalid key")),
        true,
    );
    let Err(problem @ ConnectionProblem::KeyRefused { .. }) = refused else {
        panic!("{refused:?}");
    };
    assert_eq!(
        problem.describe(Locale::en),
        "The API refused the key (invalid key). Check that it is complete and not expired."
    );
    assert_eq!(
        problem.describe(Locale::zh_CN),
        "API 拒绝了该密钥（API 说明：invalid key）。请检查密钥是否完整、是否已过期。"
    );
    let missing = connection_outcome(
        &HttpAnswer::new(401, error_body(401, "Authentication failed: missing key")),
        false,
    );
    assert_eq!(
        missing.map_err(|problem| problem.describe(Locale::en)),
        Err(
            "The API needs a key (missing key). Enter your Modellix API key, or use a proxy \
             that holds it."
                .to_owned()
        )
    );
    assert_eq!(
        ConnectionProblem::NotTheApi { status: 404 }.describe(Locale::en),
        "Something answered (HTTP 404), but not like the Modellix API. Check the API address."
    );
    let gone = ReadError::NoAnswer(NoAnswer {
        target: Target::Address("https://proxy.example".to_owned()),
        cause: Silence::Unreachable,
    });
    assert_eq!(
        gone.describe(Locale::zh_CN),
        "https://proxy.example 没有应答。可能是网络已断开、地址有误，或浏览器拦截了这次调用：\
         浏览器会拦截从其他来源（origin）直接调用 Modellix API 的请求，因此应用必须通过持有密钥的\
         代理（seedream-server）访问。"
    );
}
