//! The mock's result images: where they are served, how a file name picks one, and
//! drawing each once. Both the results route and a later task that takes a result as
//! its input get them here, so an input is exactly what the route would serve.

use std::sync::Arc;
use std::time::Instant;

use bytes::Bytes;
use seedream_contract::{OutputFormat, TaskStatus};

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
}
