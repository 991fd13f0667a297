//! The client's errors in both languages: chosen by kind and status, the API's own
//! words (data, in English) only ever after the sentence, never alone.
#![cfg(target_arch = "wasm32")]

use seedream_studio::api::{
    ApiConfig, ConfigError, ConnectionProblem, HttpAnswer, NoAnswer, ReadError, Silence,
    SubmitError, Target, Unknown, connection_outcome, read_outcome, submit_outcome,
};
use seedream_studio::i18n::Locale;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

fn error_body(status: u16, message: &str) -> String {
    format!(r#"{{"code":{status},"message":"{message}"}}"#)
}

fn submitted(answer: HttpAnswer) -> SubmitError {
    match submit_outcome(&answer) {
        Err(error) => error,
        Ok(task) => panic!("expected an error, got {task:?}"),
    }
}

fn both(error: &SubmitError) -> (String, String) {
    (error.describe(Locale::en), error.describe(Locale::zh_CN))
}

#[wasm_bindgen_test]
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
    assert_eq!(both(&odd).1, "意外的应答：服务返回了 HTTP 418。");

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
    assert!(
        error
            .describe(Locale::en)
            .ends_with("The API asks to wait 20 s.")
    );

    // An unreadable answer: the contract's account of it is a developer's detail.
    let unreadable = read_outcome(&HttpAnswer::new(200, "[1]"), 0).expect_err("malformed");
    assert_eq!(
        unreadable.describe(Locale::zh_CN),
        "应答格式有误：无法读取服务的应答。"
    );
}

#[wasm_bindgen_test]
fn an_unknown_outcome_says_to_look_before_resending() {
    let lost = submitted(HttpAnswer::new(
        504,
        error_body(504, "Gateway timeout: the API did not answer in time"),
    ));
    assert!(matches!(
        lost,
        SubmitError::OutcomeUnknown(Unknown::Gateway { status: 504, .. })
    ));
    let (en, zh) = both(&lost);
    assert!(
        en.contains("HTTP 504") && en.contains("check your tasks"),
        "{en}"
    );
    assert!(
        zh.starts_with("网关与 API 之间的调用中断了（HTTP 504；"),
        "{zh}"
    );
    assert!(zh.ends_with("再次提交前请先查看任务列表。"), "{zh}");

    let silent = SubmitError::OutcomeUnknown(Unknown::NoAnswer(NoAnswer {
        target: Target::ThisServer,
        cause: Silence::TimedOut { limit_secs: 360 },
    }));
    let (en, zh) = both(&silent);
    assert!(
        en.starts_with("No answer from this page's server within 6 min 00 s"),
        "{en}"
    );
    assert!(
        zh.starts_with("本页面所在的服务器在 6 分 00 秒内没有应答"),
        "{zh}"
    );
}

#[wasm_bindgen_test]
fn settings_and_connection_problems_are_said_in_chinese() {
    let base = ApiConfig::new("ftp://x.example", None).validate();
    let Err(error @ ConfigError::Base(_)) = base else {
        panic!("{base:?}");
    };
    assert_eq!(
        error.describe(Locale::zh_CN),
        "“API 地址”使用了 ftp: 协议，只允许 http:// 和 https://。留空即可使用本页面所在的服务器。"
    );
    assert!(
        ConfigError::Key
            .describe(Locale::zh_CN)
            .starts_with("API 密钥中含有空格")
    );

    let refused = connection_outcome(
        &HttpAnswer::new(401, error_body(401, "Authentication failed: invalid key")),
        true,
    );
    let Err(problem @ ConnectionProblem::KeyRefused { .. }) = refused else {
        panic!("{refused:?}");
    };
    assert_eq!(
        problem.describe(Locale::zh_CN),
        "API 拒绝了该密钥（API 说明：invalid key）。请检查密钥是否完整、是否已过期。"
    );
    let gone = ReadError::NoAnswer(NoAnswer {
        target: Target::Address("https://proxy.example".to_owned()),
        cause: Silence::Unreachable,
    });
    assert!(
        gone.describe(Locale::zh_CN)
            .starts_with("https://proxy.example 没有应答。"),
    );
}
