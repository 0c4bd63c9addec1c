//! Benchmark (not a test): the roll-up of a province at country scale. 3,321 communes
//! (the whole country after the 2025 reform; `NTM_BENCH_COMMUNES` for fewer), each with
//! an assessment of the 57-indicator synthetic edition, a value for every indicator and
//! one evidence file linked to all of them, built with the app's own functions. The
//! workspace is built once into `target/bench-data/rollup-<n>.sqlite` and reused after
//! (delete it to build again). Prints the roll-up's time (goal: under 100 ms for 3,321
//! communes; `NTM_BENCH_RUNS` runs after a first one, 5 unless told), then again on a
//! copy where every assessment came in a bundle round (`rollup-<n>-goi.sqlite`, the
//! rounds written by SQL as `bundle import` records them). Run with
//! `cargo bench --bench rollup`.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::too_many_lines,
    reason = "tests and benchmarks fail loudly by design"
)]

mod common;

use common::{INDICATORS, bench_workspace};
use ntm_dossier::app::{self, report};
use std::path::{Path, PathBuf};
use std::time::Instant;

/// Builds the workspace of `communes` communes and copies it to `path`.
fn build(path: &PathBuf, communes: usize) {
    let mut bench = bench_workspace("rollup.sqlite");
    let setup = Instant::now();
    for n in 0..communes {
        bench.rollup_commune(n);
        if n % 500 == 499 {
            println!("  … {} xã ({:.0} s)", n + 1, setup.elapsed().as_secs_f64());
        }
    }
    println!(
        "Chuẩn bị {communes} xã × {INDICATORS} chỉ tiêu: {:.1} s",
        setup.elapsed().as_secs_f64()
    );
    let built = bench.dir.path().join("rollup.sqlite");
    let ws = std::mem::replace(
        &mut bench.ws,
        app::open_workspace(&bench.dir.path().join("other.sqlite")).expect("other"),
    );
    drop(ws);
    std::fs::create_dir_all(path.parent().expect("folder")).expect("bench-data");
    // One file: the WAL is folded back when the last connection closes.
    std::fs::copy(&built, path).expect("copy");
}

fn main() {
    let communes: usize = std::env::var("NTM_BENCH_COMMUNES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(3321);
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join(format!("target/bench-data/rollup-{communes}.sqlite"));
    if !path.exists() {
        println!("Tạo tệp dữ liệu đo {} …", path.display());
        build(&path, communes);
    }
    measure(&path, communes, "");
    // The same communes, each assessment received in a bundle round (as a province gets
    // them): the round rows written as `bundle import` records them, in a copy.
    let bundled = path.with_file_name(format!("rollup-{communes}-goi.sqlite"));
    if !bundled.exists() {
        std::fs::copy(&path, &bundled).expect("copy");
        let conn = rusqlite::Connection::open(&bundled).expect("open copy");
        conn.execute_batch(
            "INSERT INTO bundle_rounds(origin, round, assessment_id, bundle_sha256, imported_at)
             SELECT 'xa-' || id, 1, id, 'goi-' || id, '2026-01-01T00:00:00Z' FROM assessments;",
        )
        .expect("rounds");
    }
    measure(&bundled, communes, ", mỗi đợt nhận qua gói");
}

/// Rolls up the province of the workspace at `path` once to warm the page cache, then
/// `NTM_BENCH_RUNS` times (5 unless told), and prints the mean and the best run.
fn measure(path: &Path, communes: usize, what: &str) {
    let ws = app::open_workspace(path).expect("open");
    let province = ws
        .units()
        .expect("units")
        .into_iter()
        .find(|u| u.name == "Tỉnh Đo")
        .expect("province")
        .id;
    let today = app::today();
    let first = Instant::now();
    let r = report::rollup(&ws, province, today).expect("rollup");
    let cold = first.elapsed().as_secs_f64() * 1000.0;
    assert_eq!(r.communes_total, communes);
    let runs: usize = std::env::var("NTM_BENCH_RUNS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(5)
        .max(1);
    let mut best = f64::MAX;
    let start = Instant::now();
    for _ in 0..runs {
        let one = Instant::now();
        std::hint::black_box(report::rollup(&ws, province, today).expect("rollup"));
        best = best.min(one.elapsed().as_secs_f64() * 1000.0);
    }
    let per = start.elapsed().as_secs_f64() * 1000.0 / runs as f64;
    println!(
        "rollup ({communes} xã × {INDICATORS} chỉ tiêu{what}): {per:.1} ms/lần (trung bình {runs} lần, nhanh nhất {best:.1} ms; lần đầu {cold:.1} ms); mục tiêu < 100 ms với 3.321 xã"
    );
}
