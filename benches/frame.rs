//! Benchmark (not a test): time to build one frame of the dashboard, the walk-through and
//! the evidence library for an assessment of 57 indicators with 2,000 evidence files
//! (200 of them photos with thumbnails), and of the roll-up of a province of 500
//! communes (`NTM_BENCH_ROLLUP_COMMUNES` for another count). The goals are under 4 ms per
//! frame for the assessment's screens and under 8 ms for the roll-up. Last, the roll-up's
//! filter is changed: the command returns at once and frames go on while the new roll-up
//! is computed behind the window (and, for comparison, the same command read on the
//! window's thread).
//! Run with `cargo bench --bench frame`.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::too_many_lines,
    reason = "tests and benchmarks fail loudly by design"
)]

mod common;

use common::{INDICATORS, bench_workspace};
use egui_kittest::Harness;
use ntm_dossier::app::report::RollupFilter;
use ntm_dossier::app::state::Command;
use ntm_dossier::domain::ids::UnitId;
use ntm_dossier::store::ValueRecord;
use ntm_dossier::ui::{NtmUi, Screen};
use std::io::Cursor;
use std::path::Path;
use std::time::{Duration, Instant};

const EVIDENCE: usize = 2000;
const PHOTOS: usize = 200;

fn tiny_png(n: usize) -> Vec<u8> {
    let img = image::RgbImage::from_fn(64, 48, |x, y| {
        image::Rgb([(n % 256) as u8, (n / 256) as u8, ((x + y) % 256) as u8])
    });
    let mut out = Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png)
        .expect("png");
    out.into_inner()
}

fn main() {
    let mut bench = bench_workspace("bench.sqlite");
    let db = bench.dir.path().join("bench.sqlite");
    let id = {
        let a = bench.commune("Xã Đo", 2025);
        let (ws, codes) = (&mut bench.ws, bench.codes.clone());
        let values: Vec<ValueRecord> = codes
            .iter()
            .enumerate()
            .map(|(k, code)| ValueRecord {
                numerator: Some(70.0 + (k % 20) as f64),
                denominator: Some(100.0),
                ..ValueRecord::new(
                    ntm_dossier::domain::catalog::IndicatorCode::parse(code).expect("code"),
                )
            })
            .collect();
        ws.put_values(a, &values).expect("values");
        for n in 0..EVIDENCE {
            let code = &codes[n % codes.len()];
            let (name, media, bytes) = if n < PHOTOS {
                (format!("Ảnh hiện trạng {n}.png"), "image/png", tiny_png(n))
            } else {
                (
                    format!("Văn bản minh chứng số {n}.pdf"),
                    "application/pdf",
                    format!("%PDF-1.4 minh chứng {n}").into_bytes(),
                )
            };
            let criterion = code.split('.').next().unwrap().parse().unwrap();
            ws.add_evidence(
                a,
                &name,
                media,
                &bytes,
                criterion,
                std::slice::from_ref(code),
            )
            .expect("evidence");
        }
        a
    };
    let mut ui = NtmUi::new(&db);
    ui.state.wait_for_tasks();
    ui.state.apply(Command::SelectAssessment(id));
    assert!(ui.state.error.is_none(), "{:?}", ui.state.error);
    let mut h = Harness::builder()
        .with_size(egui::vec2(1366.0, 768.0))
        .build_ui_state(|ui, app: &mut NtmUi| app.ui(ui), ui);
    println!(
        "Đợt đánh giá: {INDICATORS} chỉ tiêu, {} tệp minh chứng",
        h.state().state.evidence.len()
    );
    for (screen, name) in [
        (Screen::Overview, "Tổng quan"),
        (Screen::Walk, "Rà soát tiêu chí"),
        (Screen::Library, "Thư viện minh chứng"),
    ] {
        h.state_mut().screen = screen;
        let frames = 200;
        let per = mean_frame_ms(&mut h, frames);
        println!("{name}: {per:.2} ms/khung hình (trung bình {frames} khung, mục tiêu < 4 ms)");
    }
    drop(h);
    rollup_frames();
}

/// Mean time of `frames` frames after a few to settle.
fn mean_frame_ms(h: &mut Harness<'_, NtmUi>, frames: usize) -> f64 {
    for _ in 0..10 {
        h.step();
    }
    let start = Instant::now();
    for _ in 0..frames {
        h.step();
    }
    start.elapsed().as_secs_f64() * 1000.0 / frames as f64
}

/// Frames of the roll-up screen of a province of many communes, each assessed with a
/// value for every indicator and one evidence file.
fn rollup_frames() {
    let communes: usize = std::env::var("NTM_BENCH_ROLLUP_COMMUNES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(500);
    let mut bench = bench_workspace("rollup.sqlite");
    let db = bench.dir.path().join("rollup.sqlite");
    let province: UnitId = bench.province;
    for n in 0..communes {
        bench.rollup_commune(n);
    }
    let mut ui = NtmUi::new(&db);
    ui.state.wait_for_tasks();
    ui.state.apply(Command::SelectUnit(province));
    ui.state.wait_for_tasks();
    assert!(ui.state.error.is_none(), "{:?}", ui.state.error);
    let shown = ui.state.rollup.as_ref().map_or(0, |r| r.communes_total);
    assert_eq!(shown, communes, "the roll-up covers every commune");
    let mut h = Harness::builder()
        .with_size(egui::vec2(1366.0, 768.0))
        .build_ui_state(|ui, app: &mut NtmUi| app.ui(ui), ui);
    h.state_mut().screen = Screen::Rollup;
    let frames = 100;
    let per = mean_frame_ms(&mut h, frames);
    println!(
        "Tổng hợp {communes} xã: {per:.2} ms/khung hình (trung bình {frames} khung, mục tiêu < 8 ms)"
    );
    drop(h);
    filter_frames(&db, province, communes);
}

/// Waits, as the window does between frames, until nothing is read behind it.
fn settle(ui: &mut NtmUi) {
    while ui.state.is_reloading() || ui.state.opening_path().is_some() {
        std::thread::sleep(Duration::from_millis(5));
        ui.state.poll_tasks();
    }
    assert!(ui.state.error.is_none(), "{:?}", ui.state.error);
}

/// The roll-up's filter changed on the province of many communes: how long the command
/// holds the window, the frames drawn while the new roll-up is computed behind it (one
/// every 20 ms, as the window repaints), and when it is shown; then the same command
/// read on the window's thread, as before.
fn filter_frames(db: &Path, province: UnitId, communes: usize) {
    let filters = [
        RollupFilter {
            year: Some(2025),
            ..RollupFilter::default()
        },
        RollupFilter::default(),
    ];
    let mut ui = NtmUi::reading_behind(db);
    settle(&mut ui);
    ui.state.apply(Command::SelectUnit(province));
    settle(&mut ui);
    let mut h = Harness::builder()
        .with_size(egui::vec2(1366.0, 768.0))
        .build_ui_state(|ui, app: &mut NtmUi| app.ui(ui), ui);
    h.state_mut().screen = Screen::Rollup;
    for _ in 0..10 {
        h.step();
    }
    // The same frames, one every 20 ms, with nothing computed behind the window.
    let mut idle = Vec::new();
    for _ in 0..20 {
        std::thread::sleep(Duration::from_millis(20));
        let t = Instant::now();
        h.step();
        idle.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    let rounds = 6;
    let (mut command, mut shown, mut worst) = (0.0, 0.0, 0.0_f64);
    let (mut frames, mut installing) = (Vec::new(), Vec::new());
    for round in 0..rounds {
        let filter = filters[round % 2].clone();
        let start = Instant::now();
        h.state_mut()
            .state
            .apply(Command::SetRollupFilter(filter.clone()));
        command += start.elapsed().as_secs_f64() * 1000.0;
        while h.state().state.loading().is_some() {
            std::thread::sleep(Duration::from_millis(20));
            let t = Instant::now();
            h.step();
            let ms = t.elapsed().as_secs_f64() * 1000.0;
            if h.state().state.loading().is_some() {
                worst = worst.max(ms);
                frames.push(ms);
            } else {
                // The frame that shows the new roll-up (its view is built once).
                installing.push(ms);
            }
        }
        shown += start.elapsed().as_secs_f64() * 1000.0;
        assert!(h.state().state.error.is_none());
        assert_eq!(h.state().state.rollup_filter, filter);
    }
    let mean = |v: &[f64]| v.iter().sum::<f64>() / v.len().max(1) as f64;
    println!(
        "Đổi bộ lọc tổng hợp {communes} xã (sau cửa sổ): lệnh {:.2} ms; {} khung trong khi tổng hợp: trung bình {:.2} ms, chậm nhất {worst:.2} ms; khung hiện kết quả {:.2} ms; hiện sau {:.0} ms",
        command / rounds as f64,
        frames.len(),
        mean(&frames),
        mean(&installing),
        shown / rounds as f64
    );
    println!(
        "  (cùng màn hình, một khung mỗi 20 ms, không tổng hợp gì: trung bình {:.2} ms)",
        mean(&idle)
    );
    drop(h);
    let mut ui = NtmUi::new(db);
    ui.state.wait_for_tasks();
    ui.state.apply(Command::SelectUnit(province));
    let start = Instant::now();
    for round in 0..rounds {
        ui.state
            .apply(Command::SetRollupFilter(filters[round % 2].clone()));
    }
    println!(
        "Đổi bộ lọc tổng hợp {communes} xã (đọc ngay trên luồng cửa sổ, như trước): lệnh {:.2} ms",
        start.elapsed().as_secs_f64() * 1000.0 / rounds as f64
    );
}
