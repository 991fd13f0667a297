//! The table's rows from what the browser part measured (the proxy's are in
//! [`super::proxy`]), each with its target where the issue sets one.

use std::collections::BTreeSet;

use seedream_first_load::{FIRST_LOAD_GZIP_TARGET, Sizes};

use super::bytes;
use super::report::{Row, Summary, count, kb, ratio, secs, target, whole};
use super::{carry, gallery, inputs, keep, polling, ready, slow};

/// The app may take this many times the baseline page's time to get ready.
const READY_RATIO_TARGET: f64 = 1.5;
/// On a slow phone connection, a first visit may take this many times the floor's
/// (a plain page fetching the same files)...
const SLOW_FIRST_RATIO_TARGET: f64 = 1.15;
/// ...and a repeat visit this many times the floor's repeat visit.
const SLOW_REPEAT_RATIO_TARGET: f64 = 2.0;
/// For a 30 s task: at most this many task queries...
const QUERIES_30S_TARGET: f64 = 12.0;
/// ...and results shown on average at most this late.
const DELAY_30S_TARGET_MS: f64 = 2_000.0;
/// Keeping a finished task's results may take this many times a plain page's fetching
/// and storing them.
const KEEP_RATIO_TARGET: f64 = 1.2;
/// The app's intake may take this share of `FileReader` reading the same images...
const INTAKE_RATIO_TARGET: f64 = 0.5;
/// ...its submit this many times a plain page reading, encoding and sending them...
const SUBMIT_RATIO_TARGET: f64 = 1.2;
/// ...and its wasm memory grow by at most this many bytes over both.
const WASM_GROWTH_TARGET: f64 = 16.0e6;
/// Exporting a history of large results may take this many times a plain page's
/// joining the same stored blobs; importing it this many times a plain page's storing
/// the same slices of the file...
const CARRY_RATIO_TARGET: f64 = 1.3;
/// ...and the wasm memory grow by at most this many bytes over each.
const CARRY_WASM_GROWTH_TARGET: f64 = 16.0e6;
/// A long history (see `gallery`) is on the page within this many ms...
const GALLERY_RENDER_TARGET_MS: f64 = 100.0;
/// ...and a result opens in the lightbox within this many.
const LIGHTBOX_TARGET_MS: f64 = 50.0;

/// Every file of the first load and their total, against the target.
pub fn first_load(files: &[Sizes]) -> Vec<Row> {
    let (mut rows, total) = bytes::rows(files);
    if let Some(last) = rows.pop() {
        rows.push(last.target(target(
            &format!("total gzip <= {}", kb(FIRST_LOAD_GZIP_TARGET)),
            total.gzip <= FIRST_LOAD_GZIP_TARGET,
        )));
    }
    rows
}

/// What the loads transferred and how soon the app was ready, against the baseline.
pub fn ready(app: &[ready::Load], baseline: &[ready::Load]) -> Vec<Row> {
    let mut rows = Vec::new();
    let kb_number = |bytes: f64| format!("{:.1}", bytes / 1000.0);
    let transferred = |loads: &[ready::Load]| {
        let values: Vec<f64> = loads.iter().map(|l| l.transferred).collect();
        Summary::of(&values).map_or_else(|| "—".to_owned(), |s| s.show(kb_number, "KB"))
    };
    rows.push(
        Row::new(
            "first load on the wire (server's compression, with headers)",
            transferred(app),
        )
        .baseline(transferred(baseline), "—"),
    );

    let times =
        |loads: &[ready::Load]| Summary::of(&loads.iter().map(|l| l.ready_ms).collect::<Vec<_>>());
    match (times(app), times(baseline)) {
        (Some(app), Some(base)) => {
            let r = app.median / base.median;
            rows.push(
                Row::new(
                    format!("time to ready ({} fresh loads, no cache)", app.count),
                    app.show(whole, "ms"),
                )
                .baseline(base.show(whole, "ms"), ratio(app.median, base.median))
                .target(target(
                    &format!("ratio <= {READY_RATIO_TARGET}"),
                    r <= READY_RATIO_TARGET,
                )),
            );
        }
        _ => rows.push(Row::new("time to ready", "no loads measured")),
    }
    rows.push(Row::new(
        "start-up steps (median ms after navigation start)",
        start_up_steps(app),
    ));
    rows
}

/// Time to ready on a slow phone connection, first and repeat visits, against the
/// floor; and how the wasm travelled.
pub fn slow(run: Option<&slow::SlowRun>) -> Vec<Row> {
    let Some(run) = run else {
        return vec![Row::new("slow phone connection", "not measured")];
    };
    let mut rows = Vec::new();
    let visits = [
        (
            "first visit",
            &run.app_first,
            &run.floor_first,
            SLOW_FIRST_RATIO_TARGET,
        ),
        (
            "repeat visit",
            &run.app_repeat,
            &run.floor_repeat,
            SLOW_REPEAT_RATIO_TARGET,
        ),
    ];
    for (visit, app, floor, most) in visits {
        let name = format!(
            "slow phone connection: time to ready, {visit} ({} loads)",
            app.len()
        );
        match (Summary::of(app), Summary::of(floor)) {
            (Some(app), Some(floor)) => rows.push(
                Row::new(name, app.show(whole, "ms"))
                    .baseline(floor.show(whole, "ms"), ratio(app.median, floor.median))
                    .target(target(
                        &format!("ratio <= {most}"),
                        app.median / floor.median <= most,
                    )),
            ),
            _ => rows.push(Row::new(name, "no loads measured")),
        }
    }
    for (visit, loads) in [
        ("first visit", &run.app_first_loads),
        ("repeat visit", &run.app_repeat_loads),
    ] {
        rows.push(Row::new(
            format!("slow phone connection: start-up steps, {visit} (median ms)"),
            start_up_steps(loads),
        ));
    }
    rows.push(
        Row::new(
            "slow phone connection: the wasm on the wire",
            format!(
                "{} · {:.1} KB",
                run.wasm_encoding,
                run.wasm_transferred / 1000.0
            ),
        )
        .target(target("Brotli (br)", run.wasm_encoding == "br")),
    );
    rows
}

/// Each start-up step's median time over the loads, in the order of the medians:
/// `first paint 41 · wasm downloaded 120 · ... · ready 232`.
fn start_up_steps(loads: &[ready::Load]) -> String {
    let mut names: Vec<&str> = Vec::new();
    for (name, _) in loads.iter().flat_map(|load| &load.steps) {
        if !names.contains(&name.as_str()) {
            names.push(name);
        }
    }
    let mut medians: Vec<(&str, f64)> = names
        .into_iter()
        .filter_map(|name| {
            let times: Vec<f64> = loads
                .iter()
                .flat_map(|load| &load.steps)
                .filter(|(step, _)| step == name)
                .map(|(_, ms)| *ms)
                .collect();
            Some((name, Summary::of(&times)?.median))
        })
        .collect();
    medians.sort_by(|a, b| a.1.total_cmp(&b.1));
    if medians.is_empty() {
        return "none recorded".to_owned();
    }
    medians
        .iter()
        .map(|(name, ms)| format!("{name} {}", whole(*ms)))
        .collect::<Vec<_>>()
        .join(" · ")
}

/// Two rows per nominal task length: its queries and its mean result delay, over
/// the tasks spread around it.
pub fn polling(tasks: &[polling::TaskRun]) -> Vec<Row> {
    let mut rows = Vec::new();
    let nominals: BTreeSet<u64> = tasks.iter().map(|t| t.nominal_ms).collect();
    for nominal in nominals {
        let runs: Vec<&polling::TaskRun> =
            tasks.iter().filter(|t| t.nominal_ms == nominal).collect();
        let of = |pick: fn(&polling::TaskRun) -> f64| {
            Summary::of(&runs.iter().map(|t| pick(t)).collect::<Vec<_>>())
        };
        let (Some(queries), Some(delays), Some(after), Some(lengths)) = (
            of(|t| t.queries as f64),
            of(|t| t.delay_ms),
            of(|t| t.after_answer_ms),
            of(|t| t.length_ms as f64),
        ) else {
            continue;
        };
        let seconds = nominal / 1000;
        let spread = if lengths.count == 1 {
            format!("1 task of {} s", secs(lengths.min))
        } else {
            format!(
                "{} tasks of {}–{} s",
                lengths.count,
                secs(lengths.min),
                secs(lengths.max)
            )
        };
        let mut query_row = Row::new(
            format!("task queries, {seconds} s task ({spread})"),
            queries.show(count, "queries"),
        );
        let mut delay_row = Row::new(
            format!("result delay, {seconds} s task (task end to gallery, mean)"),
            format!(
                "mean {} s ({}–{}); {} of it after the last answer",
                secs(delays.mean),
                secs(delays.min),
                secs(delays.max),
                after.show(whole, "ms")
            ),
        );
        if nominal == 30_000 {
            query_row = query_row.target(target(
                &format!("<= {QUERIES_30S_TARGET} queries (max)"),
                queries.max <= QUERIES_30S_TARGET,
            ));
            delay_row = delay_row.target(target(
                &format!("mean <= {} s", secs(DELAY_30S_TARGET_MS)),
                delays.mean <= DELAY_30S_TARGET_MS,
            ));
        }
        rows.push(query_row);
        rows.push(delay_row);
    }
    rows
}

/// The app keeping a finished task's results against the plain page keeping the same,
/// and against the plain page doing all that keeping requires (its floor).
pub fn keep(runs: &[keep::KeepRun]) -> Vec<Row> {
    let of =
        |pick: fn(&keep::KeepRun) -> f64| Summary::of(&runs.iter().map(pick).collect::<Vec<_>>());
    let (Some(app), Some(base), Some(floor)) =
        (of(|r| r.app_ms), of(|r| r.baseline_ms), of(|r| r.floor_ms))
    else {
        return vec![Row::new("keep", "no runs measured")];
    };
    let side = keep::SIDE;
    vec![
        Row::new(
            format!(
                "keep: {} results of {side}x{side}, task end to kept ({} runs)",
                keep::RESULTS,
                app.count
            ),
            app.show(whole, "ms"),
        )
        .baseline(
            format!("{} (fetch, IndexedDB)", base.show(whole, "ms")),
            ratio(app.median, base.median),
        )
        .target(target(
            &format!("ratio <= {KEEP_RATIO_TARGET}"),
            app.median / base.median <= KEEP_RATIO_TARGET,
        )),
        Row::new("keep: the same, against its floor", app.show(whole, "ms")).baseline(
            format!(
                "{} (plain page: lock, check, fetch, CRC-32, IndexedDB with records)",
                floor.show(whole, "ms")
            ),
            ratio(app.median, floor.median),
        ),
    ]
}

/// The intake and the submit of the large images against their baselines, and the
/// wasm memory's growth over both.
pub fn inputs(runs: &[inputs::InputRun]) -> Vec<Row> {
    let of = |pick: fn(&inputs::InputRun) -> f64| {
        Summary::of(&runs.iter().map(pick).collect::<Vec<_>>())
    };
    let (Some(intake), Some(read), Some(thumbs), Some(submit), Some(send), Some(growth)) = (
        of(|r| r.intake_ms),
        of(|r| r.read_ms),
        of(|r| r.thumbs_ms),
        of(|r| r.submit_ms),
        of(|r| r.send_ms),
        of(|r| r.wasm_growth),
    ) else {
        return vec![Row::new("intake and submit", "no runs measured")];
    };
    let images = format!("{} images of ~10 MB", inputs::IMAGES);
    let run_count = intake.count;
    let mb = |bytes: f64| format!("{:.1}", bytes / 1e6);
    vec![
        Row::new(
            format!("intake: {images}, change to cards ready ({run_count} runs)"),
            intake.show(whole, "ms"),
        )
        .baseline(
            format!("{} (FileReader)", read.show(whole, "ms")),
            format!(
                "{}; {} the floor",
                ratio(intake.median, read.median),
                ratio(intake.median, thumbs.median)
            ),
        )
        .target(target(
            &format!("ratio <= {INTAKE_RATIO_TARGET}"),
            intake.median / read.median <= INTAKE_RATIO_TARGET,
        )),
        Row::new(
            "intake floor: object-URL thumbnails alone (plain page)",
            thumbs.show(whole, "ms"),
        )
        .baseline(
            format!("{} (FileReader)", read.show(whole, "ms")),
            ratio(thumbs.median, read.median),
        ),
        Row::new(
            format!("submit: {images}, Edit to the mock's answer ({run_count} runs)"),
            submit.show(whole, "ms"),
        )
        .baseline(
            format!("{} (FileReader, JSON, fetch)", send.show(whole, "ms")),
            ratio(submit.median, send.median),
        )
        .target(target(
            &format!("ratio <= {SUBMIT_RATIO_TARGET}"),
            submit.median / send.median <= SUBMIT_RATIO_TARGET,
        )),
        Row::new(
            "intake and submit: wasm memory growth",
            growth.show(mb, "MB"),
        )
        .target(target(
            &format!("<= {} MB (max)", mb(WASM_GROWTH_TARGET)),
            growth.max <= WASM_GROWTH_TARGET,
        )),
    ]
}

/// The export and the import of a history of large results against their plain
/// pages, and the wasm memory's growth over each.
pub fn carry(runs: &[carry::CarryRun]) -> Vec<Row> {
    let of =
        |pick: fn(&carry::CarryRun) -> f64| Summary::of(&runs.iter().map(pick).collect::<Vec<_>>());
    let (
        Some(export),
        Some(export_base),
        Some(import),
        Some(import_base),
        Some(export_growth),
        Some(import_growth),
    ) = (
        of(|r| r.export_ms),
        of(|r| r.export_baseline_ms),
        of(|r| r.import_ms),
        of(|r| r.import_baseline_ms),
        of(|r| r.export_growth),
        of(|r| r.import_growth),
    )
    else {
        return vec![Row::new("export and import", "no runs measured")];
    };
    let mb = |bytes: f64| format!("{:.1}", bytes / 1e6);
    let ratio_target = |value: &Summary, base: &Summary| {
        target(
            &format!("ratio <= {CARRY_RATIO_TARGET}"),
            value.median / base.median <= CARRY_RATIO_TARGET,
        )
    };
    vec![
        Row::new(
            format!(
                "export: {} results of {}, press to file ({} runs)",
                carry::TASKS,
                carry::RESULT_SIZE,
                export.count
            ),
            export.show(whole, "ms"),
        )
        .baseline(
            format!("{} (IndexedDB, new Blob)", export_base.show(whole, "ms")),
            ratio(export.median, export_base.median),
        )
        .target(ratio_target(&export, &export_base)),
        Row::new(
            format!(
                "import: the same file, chosen to stored ({} runs)",
                import.count
            ),
            import.show(whole, "ms"),
        )
        .baseline(
            format!("{} (file.slice, IndexedDB)", import_base.show(whole, "ms")),
            ratio(import.median, import_base.median),
        )
        .target(ratio_target(&import, &import_base)),
        Row::new(
            "wasm memory growth: export / import",
            format!(
                "{} / {}",
                export_growth.show(mb, "MB"),
                import_growth.show(mb, "MB")
            ),
        )
        .target(target(
            &format!("<= {} MB each (max)", mb(CARRY_WASM_GROWTH_TARGET)),
            export_growth.max <= CARRY_WASM_GROWTH_TARGET
                && import_growth.max <= CARRY_WASM_GROWTH_TARGET,
        )),
    ]
}

pub fn gallery(loads: &[gallery::GalleryLoad]) -> Vec<Row> {
    let of = |pick: fn(&gallery::GalleryLoad) -> f64| {
        Summary::of(&loads.iter().map(pick).collect::<Vec<_>>())
    };
    let (Some(rendered), Some(nodes), Some(lightbox)) = (
        of(|l| l.rendered_ms),
        of(|l| l.nodes),
        of(|l| l.lightbox_ms),
    ) else {
        return vec![Row::new("gallery scale", "no loads measured")];
    };
    let history = format!(
        "{} tasks, {} results",
        gallery::TASKS,
        gallery::TASKS * gallery::RESULTS_PER_TASK
    );
    vec![
        Row::new(
            format!(
                "gallery scale: first render ({history}, {} loads)",
                rendered.count
            ),
            rendered.show(whole, "ms"),
        )
        .target(target(
            &format!("<= {GALLERY_RENDER_TARGET_MS} ms"),
            rendered.median <= GALLERY_RENDER_TARGET_MS,
        )),
        Row::new("gallery scale: DOM elements", nodes.show(whole, "elements")),
        Row::new(
            "gallery scale: lightbox open (two frames)",
            lightbox.show(whole, "ms"),
        )
        .target(target(
            &format!("<= {LIGHTBOX_TARGET_MS} ms"),
            lightbox.median <= LIGHTBOX_TARGET_MS,
        )),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(nominal_ms: u64, length_ms: u64, queries: u64, delay_ms: f64) -> polling::TaskRun {
        polling::TaskRun {
            nominal_ms,
            length_ms,
            queries,
            delay_ms,
            after_answer_ms: 2.0,
        }
    }

    #[test]
    fn input_rows_compare_intake_and_submit_with_their_baselines() {
        let run = |intake_ms, submit_ms, wasm_growth| inputs::InputRun {
            intake_ms,
            read_ms: 800.0,
            thumbs_ms: 300.0,
            submit_ms,
            send_ms: 2_000.0,
            wasm_growth,
        };
        let rows = inputs(&[
            run(300.0, 2_600.0, 3.2e6),
            run(420.0, 2_200.0, 3.2e6),
            run(380.0, 2_300.0, 17.0e6),
        ]);
        assert_eq!(rows.len(), 4);
        assert_eq!(
            rows[0].figure,
            "intake: 14 images of ~10 MB, change to cards ready (3 runs)"
        );
        assert_eq!(rows[0].value, "380 ms (300–420)");
        assert_eq!(rows[0].baseline, "800 ms (800–800) (FileReader)");
        assert_eq!(rows[0].ratio, "0.47×; 1.27× the floor");
        assert_eq!(rows[0].target, "ratio <= 0.5: met");
        assert_eq!(
            rows[1].figure,
            "intake floor: object-URL thumbnails alone (plain page)"
        );
        assert_eq!(rows[1].value, "300 ms (300–300)");
        assert_eq!(rows[1].baseline, "800 ms (800–800) (FileReader)");
        assert_eq!(rows[1].ratio, "0.38×");
        assert_eq!(rows[1].target, "—");
        assert_eq!(rows[2].ratio, "1.15×");
        assert_eq!(rows[2].target, "ratio <= 1.2: met");
        assert_eq!(rows[3].value, "3.2 MB (3.2–17.0)");
        assert_eq!(rows[3].target, "<= 16.0 MB (max): NOT met");
        assert_eq!(inputs(&[])[0].value, "no runs measured");
    }

    #[test]
    fn carry_rows_compare_export_and_import_with_their_plain_pages() {
        let run = |export_ms, import_ms, export_growth, import_growth| carry::CarryRun {
            export_ms,
            export_baseline_ms: 40.0,
            import_ms,
            import_baseline_ms: 1_000.0,
            export_growth,
            import_growth,
        };
        let rows = carry(&[
            run(50.0, 1_400.0, 0.1e6, 1.1e6),
            run(45.2, 1_250.0, 0.0, 1.2e6),
            run(70.0, 1_200.0, 0.2e6, 17.0e6),
        ]);
        assert_eq!(rows.len(), 3);
        assert_eq!(
            rows[0].figure,
            "export: 30 results of about 5 MB, press to file (3 runs)"
        );
        assert_eq!(rows[0].value, "50 ms (45–70)");
        assert_eq!(rows[0].baseline, "40 ms (40–40) (IndexedDB, new Blob)");
        assert_eq!(rows[0].ratio, "1.25×");
        assert_eq!(rows[0].target, "ratio <= 1.3: met");
        assert_eq!(
            rows[1].figure,
            "import: the same file, chosen to stored (3 runs)"
        );
        assert_eq!(rows[1].value, "1250 ms (1200–1400)");
        assert_eq!(
            rows[1].baseline,
            "1000 ms (1000–1000) (file.slice, IndexedDB)"
        );
        assert_eq!(rows[1].ratio, "1.25×");
        assert_eq!(rows[1].target, "ratio <= 1.3: met");
        assert_eq!(rows[2].figure, "wasm memory growth: export / import");
        assert_eq!(rows[2].value, "0.1 MB (0.0–0.2) / 1.2 MB (1.1–17.0)");
        assert_eq!(rows[2].baseline, "—");
        assert_eq!(rows[2].target, "<= 16.0 MB each (max): NOT met");

        let slow = carry(&[run(60.0, 1_400.0, 0.0, 2.0e6)]);
        assert_eq!(slow[0].value, "60 ms");
        assert_eq!(slow[0].target, "ratio <= 1.3: NOT met");
        assert_eq!(slow[1].ratio, "1.40×");
        assert_eq!(slow[1].target, "ratio <= 1.3: NOT met");
        assert_eq!(slow[2].value, "0.0 MB / 2.0 MB");
        assert_eq!(slow[2].target, "<= 16.0 MB each (max): met");
        assert_eq!(carry(&[])[0].value, "no runs measured");
    }

    #[test]
    fn the_keep_row_compares_the_app_with_the_plain_page() {
        let run = |app_ms, baseline_ms| keep::KeepRun {
            app_ms,
            baseline_ms,
            floor_ms: baseline_ms + 20.0,
        };
        let rows = keep(&[run(90.0, 70.0), run(120.4, 80.0), run(100.0, 60.0)]);
        assert_eq!(rows.len(), 2);
        assert_eq!(
            rows[0].figure,
            "keep: 4 results of 2048x2048, task end to kept (3 runs)"
        );
        assert_eq!(rows[0].value, "100 ms (90–120)");
        assert_eq!(rows[0].baseline, "70 ms (60–80) (fetch, IndexedDB)");
        assert_eq!(rows[0].ratio, "1.43×");
        assert_eq!(rows[0].target, "ratio <= 1.2: NOT met");
        assert_eq!(rows[1].value, "100 ms (90–120)");
        assert_eq!(
            rows[1].baseline,
            "90 ms (80–100) (plain page: lock, check, fetch, CRC-32, IndexedDB with records)"
        );
        assert_eq!(rows[1].ratio, "1.11×");
        let met = keep(&[run(80.0, 70.0)]);
        assert_eq!(met[0].value, "80 ms");
        assert_eq!(met[0].target, "ratio <= 1.2: met");
        assert_eq!(keep(&[])[0].value, "no runs measured");
    }

    #[test]
    fn polling_rows_are_means_over_the_spread_lengths() {
        let tasks = [
            run(30_000, 28_500, 11, 3_520.0),
            run(30_000, 29_500, 11, 2_520.0),
            run(30_000, 30_500, 11, 1_520.0),
            run(30_000, 31_500, 11, 520.0),
            run(5_000, 5_000, 4, 1_000.0),
        ];
        let rows = polling(&tasks);
        assert_eq!(rows.len(), 4);
        assert_eq!(rows[0].figure, "task queries, 5 s task (1 task of 5.00 s)");
        assert_eq!(
            rows[2].figure,
            "task queries, 30 s task (4 tasks of 28.50–31.50 s)"
        );
        assert_eq!(rows[2].target, "<= 12 queries (max): met");
        assert!(
            rows[3].value.starts_with("mean 2.02 s (0.52–3.52)"),
            "{}",
            rows[3].value
        );
        assert_eq!(rows[3].target, "mean <= 2.00 s: NOT met");
        assert_eq!(rows[1].target, "—");
    }
}
