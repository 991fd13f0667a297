//! The server's side of a test: the mock's control endpoint, its API called directly
//! (not through the page), and the image files a test picks.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use super::harness::Studio;
use super::page::WAIT;

impl Studio {
    /// `DELETE /__mock/faults`: no more injected faults.
    pub async fn clear_faults(&self) {
        let answer = self
            .http
            .delete(self.url("/__mock/faults"))
            .send()
            .await
            .expect("the mock's control endpoint answers");
        assert_eq!(answer.status(), 204, "the mock should clear its faults");
    }

    /// `POST /__mock/faults`: the next answers fail as `specs` say (`["submit:402"]`).
    pub async fn add_faults(&self, specs: &[&str]) {
        let answer = self
            .http
            .post(self.url("/__mock/faults"))
            .json(&specs)
            .send()
            .await
            .expect("the mock's control endpoint answers");
        assert!(
            answer.status().is_success(),
            "the mock should take faults {specs:?}: {}",
            answer.status()
        );
    }

    /// `GET /__mock/stats`: what the mock has counted (tasks, submits, task queries).
    pub async fn mock_stats(&self) -> Value {
        self.http
            .get(self.url("/__mock/stats"))
            .send()
            .await
            .expect("the mock's control endpoint answers")
            .json()
            .await
            .expect("the stats as JSON")
    }

    /// The count `name` of the mock's stats ("submits", "task_queries").
    pub async fn mock_count(&self, name: &str) -> u64 {
        let stats = self.mock_stats().await;
        stats[name]
            .as_u64()
            .unwrap_or_else(|| panic!("the stats should count {name}: {stats}"))
    }

    /// `PATCH /__mock/settings` with `change`; returns the settings as they were before.
    pub async fn mock_settings(&self, change: Value) -> Value {
        let before = self.patch_settings(json!({})).await;
        self.patch_settings(change).await;
        before
    }

    async fn patch_settings(&self, change: Value) -> Value {
        let answer = self
            .http
            .patch(self.url("/__mock/settings"))
            .json(&change)
            .send()
            .await
            .expect("the mock's control endpoint answers");
        assert_eq!(
            answer.status(),
            200,
            "the mock should accept settings {change}"
        );
        answer.json().await.expect("the settings as JSON")
    }

    /// `GET /__mock/tasks/{task_id}/inputs`: what the mock received, each input's
    /// format, size and SHA-256.
    pub async fn task_inputs(&self, task_id: &str) -> Value {
        let answer = self
            .http
            .get(self.url(&format!("/__mock/tasks/{task_id}/inputs")))
            .send()
            .await
            .expect("the mock's control endpoint answers");
        assert_eq!(answer.status(), 200, "the mock should know task {task_id}");
        answer.json().await.expect("the inputs as JSON")
    }

    /// A result image of a task submitted straight to the mock's API (not through the
    /// page): a real image this server serves, for the address field.
    pub async fn result_url_from_api(&self) -> String {
        // This task needs no waiting: it is created with no queue or processing time,
        // then the test's own timings are put back for the tasks the page submits.
        let timings = self
            .mock_settings(json!({"queue_ms": 0, "processing_ms": 0}))
            .await;
        let png = fixture_png(64, 48);
        let body = json!({
            "prompt": "a source picture for the address field",
            "image": [seedream_contract::image::data_uri_for(&std::fs::read(&png).expect("the fixture"))
                .expect("a data URI")],
        });
        let submitted: Value = self
            .http
            .post(self.url(seedream_contract::SUBMIT_PATH))
            .json(&body)
            .send()
            .await
            .expect("the mock answers the submit")
            .json()
            .await
            .expect("a JSON answer");
        let task_id = submitted["data"]["task_id"]
            .as_str()
            .unwrap_or_else(|| panic!("the mock should accept the submit: {submitted}"))
            .to_owned();
        self.mock_settings(json!({
            "queue_ms": timings["queue_ms"],
            "processing_ms": timings["processing_ms"],
        }))
        .await;
        let deadline = Instant::now() + WAIT;
        loop {
            let answer: Value = self
                .http
                .get(self.url(&seedream_contract::task_path(&task_id)))
                .send()
                .await
                .expect("the mock answers the query")
                .json()
                .await
                .expect("a JSON answer");
            if answer["data"]["status"] == "success" {
                let url = answer["data"]["result"]["resources"][0]["url"].as_str();
                return url.expect("a result URL").to_owned();
            }
            assert!(
                Instant::now() < deadline,
                "the task submitted to the mock directly did not succeed: {answer}"
            );
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    }
}

/// A `width`x`height` PNG with a colour gradient in the test's temporary directory,
/// named after its size (so reruns reuse the name instead of piling up files);
/// returns its path.
pub fn fixture_png(width: u32, height: u32) -> PathBuf {
    let picture = image::RgbImage::from_fn(width, height, |x, y| {
        image::Rgb([
            (x * 255 / width.max(1)) as u8,
            (y * 255 / height.max(1)) as u8,
            128,
        ])
    });
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("e2e-fixtures");
    std::fs::create_dir_all(&dir).expect("the fixtures directory");
    let path = dir.join(format!("photo-{width}x{height}.png"));
    // Written aside and renamed, so a test never sees half a file from another run.
    let partial = dir.join(format!(
        "photo-{width}x{height}.{}.partial.png",
        std::process::id()
    ));
    picture.save(&partial).expect("the fixture PNG is written");
    std::fs::rename(&partial, &path).expect("the fixture PNG is put in place");
    path
}
