//! Turning a request's images into pictures the mock can draw from. Data URIs are
//! decoded. The mock never fetches anything: a URL naming one of its own results (on
//! the host the submit was sent to) is read from its task store, exactly the bytes the
//! results route serves, so "use a result as an input" works; any other URL, like an
//! image that does not decode, leaves the results to be drawn from the prompt. Each
//! input also leaves a small summary ([`InputSummary`]), so tests can check what
//! arrived without the mock keeping the bytes.

use super::decode::{self, DecodedInputs, InputSummary, SourceImage};
use super::results;
use super::{MockState, run_limited};

/// Decodes every image that can be decoded (the mock then draws from what it has, or
/// from the prompt) and summarises every one. `own_host` is the submit's Host: URLs on
/// it name this server's results. The heavy work (base64, digest, pixels) runs off the
/// async runtime, one image of this task at a time and a few across all tasks, to bound
/// memory; each data URI's text is dropped once it is decoded.
pub async fn decode_all(
    mock: &MockState,
    images: Vec<String>,
    own_host: Option<&str>,
) -> DecodedInputs {
    let mut decoded = DecodedInputs::default();
    for image in images {
        let (summary, source) = if is_data_uri(&image) {
            run_limited(&mock.decode_permits, move || {
                decode::decode_data_input(&image)
            })
            .await
            .unwrap_or((InputSummary::Undecodable, None))
        } else {
            let source = match own_host.and_then(|host| results::own_result(&image, host)) {
                Some((task_id, file)) => decode_own_result(mock, &task_id, &file).await,
                None => None,
            };
            let decoded = source.is_some();
            (InputSummary::Url { decoded }, source)
        };
        decoded.summaries.push(summary);
        decoded.sources.extend(source);
    }
    decoded
}

/// `data:`, in any case (RFC 2397 allows it, and so does the contract).
fn is_data_uri(image: &str) -> bool {
    image
        .get(..5)
        .is_some_and(|scheme| scheme.eq_ignore_ascii_case("data:"))
}

/// One of this server's results as an input: its bytes from the store (drawn if no
/// one has asked for them yet), decoded like any input. None when the task is gone.
async fn decode_own_result(mock: &MockState, task_id: &str, file: &str) -> Option<SourceImage> {
    let (_, bytes) = results::result(mock, task_id, file).await.ok()?;
    run_limited(&mock.decode_permits, move || decode::decode_source(&bytes))
        .await
        .flatten()
}
