//! The mock's result images: where they are served, their URLs (written into task
//! answers, read back when a later task names one as its input), how a file name picks
//! one, and drawing each once. Both the results route and a later task that takes a
//! result as its input get them here, so an input is exactly what the route would serve.

use std::sync::Arc;
use std::time::Instant;

use bytes::Bytes;
use seedream_contract::{OutputFormat, TaskStatus};
use url::Url;

use super::MockState;
use super::render::{self, Encoding, RenderSpec};
use super::tasks::Task;

/// Where result images are served: outside `/api`, like the provider's CDN.
pub const RESULTS_ROUTE: &str = "/mock/results/{task_id}/{file}";
/// The path [`RESULTS_ROUTE`] starts with.
pub const RESULTS_PATH: &str = "/mock/results";

/// Why there is no result to give.
#[derive(Debug)]
pub enum Missing {
    /// No such task (unknown, evicted or expired), not succeeded, or no such file.
    NotFound,
    /// Drawing it failed: a mock bug.
    Failed(anyhow::Error),
}

/// The address of result `index` of `task` for a client that reached this server at
/// `origin` (`http://host[:port]`).
pub fn result_url(origin: &str, task: &Task, index: usize) -> String {
    let ext = encoding(task.format).extension();
    format!("{origin}{RESULTS_PATH}/{}/{index}.{ext}", task.id)
}

/// The (task id, file) of a result `url` names on `own_host`, the submit's Host
/// (`host[:port]`). Hosts are compared as parsed, so `LOCALHOST` and `localhost`, or
/// `127.1` and `127.0.0.1`, are one; http and https alike, since a TLS front may serve
/// the results the mock hands out as http.
pub fn own_result(url: &str, own_host: &str) -> Option<(String, String)> {
    let url = Url::parse(url).ok()?;
    let own = Url::parse(&format!("http://{own_host}/")).ok()?;
    let same_host = matches!(url.scheme(), "http" | "https")
        && url.host() == own.host()
        && url.port() == own.port();
    if !same_host {
        return None;
    }
    let (task_id, file) = url
        .path()
        .strip_prefix(RESULTS_PATH)?
        .strip_prefix('/')?
        .split_once('/')?;
    (!file.contains('/')).then(|| (task_id.to_owned(), file.to_owned()))
}

/// The task and bytes of result `file` (`<index>.<jpeg|png>`) of task `task_id`: drawn
/// on first request, then kept until the task expires or is evicted.
pub async fn result(
    mock: &MockState,
    task_id: &str,
    file: &str,
) -> Result<(Arc<Task>, Bytes), Missing> {
    let task = mock.tasks.get(task_id).ok_or(Missing::NotFound)?;
    let now = Instant::now();
    let ext = encoding(task.format).extension();
    let index = file
        .strip_suffix(ext)
        .and_then(|stem| stem.strip_suffix('.'))
        .and_then(|n| n.parse::<usize>().ok());
    let (Some(index), TaskStatus::Success, false) = (index, task.status(now), task.expired(now))
    else {
        return Err(Missing::NotFound);
    };
    let cell = task.images.get(index).ok_or(Missing::NotFound)?;
    let mut drawn_now = false;
    let bytes = cell
        .get_or_try_init(|| {
            drawn_now = true;
            draw(mock, Arc::clone(&task), index)
        })
        .await
        .map_err(Missing::Failed)?
        .clone();
    if drawn_now {
        // The store now holds more: older finished tasks may have to make room.
        mock.tasks.make_room_for(&task);
    }
    Ok((task, bytes))
}

/// Draws one result, a few at a time: each takes up to ~40 MB while it is drawn.
async fn draw(mock: &MockState, task: Arc<Task>, index: usize) -> anyhow::Result<Bytes> {
    // The inputs may still be decoding; an empty set draws from the prompt instead.
    let inputs = task.inputs().unwrap_or_default();
    let drawn = super::run_limited(&mock.draw_permits, move || {
        render::render(&RenderSpec {
            width: task.width,
            height: task.height,
            encoding: encoding(task.format),
            index,
            count: task.outputs,
            prompt: &task.prompt,
            sources: &inputs.sources,
        })
        .map(Bytes::from)
    })
    .await;
    drawn.unwrap_or_else(|| Err(anyhow::anyhow!("the drawing stopped before it finished")))
}

pub fn encoding(format: OutputFormat) -> Encoding {
    match format {
        OutputFormat::Jpeg => Encoding::Jpeg,
        OutputFormat::Png => Encoding::Png,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_route_and_its_path_agree() {
        assert!(RESULTS_ROUTE.starts_with(&format!("{RESULTS_PATH}/")));
    }

    #[test]
    fn a_result_url_is_read_back_as_its_task_and_file() {
        use super::super::tasks::{Outcome, Timing, new_task_id};
        let request = seedream_contract::EditRequest::new(
            "watercolour",
            vec!["https://example.com/a.png".into()],
        );
        let timing = Timing {
            queue: std::time::Duration::ZERO,
            processing: std::time::Duration::ZERO,
            result_ttl: std::time::Duration::ZERO,
        };
        let task = Task::new(new_task_id(), &request, Outcome::Succeed, timing);
        let url = result_url("http://127.0.0.1:8080", &task, 1);
        let file = format!("1.{}", encoding(task.format).extension());
        assert_eq!(
            own_result(&url, "127.0.0.1:8080"),
            Some((task.id.clone(), file))
        );
    }

    #[test]
    fn only_results_on_the_submits_own_host_are_its_own() {
        let id = "task-0123456789abcdef01234567";
        let own = |url: &str, host: &str| own_result(url, host);
        let expected = Some((id.to_owned(), "1.png".to_owned()));
        for (url, host) in [
            (
                format!("http://127.0.0.1:8080/mock/results/{id}/1.png"),
                "127.0.0.1:8080",
            ),
            (
                format!("https://studio.example/mock/results/{id}/1.png"),
                "studio.example",
            ),
            (
                format!("http://LOCALHOST:9/mock/results/{id}/1.png?x=1"),
                "localhost:9",
            ),
            (format!("http://[::1]:9/mock/results/{id}/1.png"), "[::1]:9"),
        ] {
            assert_eq!(own(&url, host), expected, "{url} on {host}");
        }
        for (url, host) in [
            (
                format!("http://127.0.0.1:8081/mock/results/{id}/1.png"),
                "127.0.0.1:8080",
            ),
            (
                format!("http://127.0.0.1/mock/results/{id}/1.png"),
                "127.0.0.1:8080",
            ),
            (
                format!("http://localhost:8080/mock/results/{id}/1.png"),
                "127.0.0.1:8080",
            ),
            (
                format!("http://evil.example/mock/results/{id}/1.png"),
                "studio.example",
            ),
            (
                format!("ftp://studio.example/mock/results/{id}/1.png"),
                "studio.example",
            ),
            (
                format!("http://studio.example/mock/results/{id}/a/1.png"),
                "studio.example",
            ),
            (
                format!("http://studio.example/results/{id}/1.png"),
                "studio.example",
            ),
            (
                format!("http://studio.example/mock/resultsx/{id}/1.png"),
                "studio.example",
            ),
            ("not a url".to_owned(), "studio.example"),
        ] {
            assert_eq!(own(&url, host), None, "{url} on {host}");
        }
    }
}
