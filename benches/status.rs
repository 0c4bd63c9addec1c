//! Benchmark (not a test): time of `status` for one assessment and of `rollup` over 100
//! communes, each assessed against a synthetic edition of 57 indicators with values and
//! evidence for every indicator. Run with `cargo bench --bench status`;
//! `NTM_BENCH_COMMUNES=3321` rolls up the whole country after the 2025 reform.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::too_many_lines,
    reason = "tests and benchmarks fail loudly by design"
)]

use ntm_dossier::app::{self, report};
use ntm_dossier::domain::ids::AssessmentId;
use ntm_dossier::store::ValueRecord;
use std::time::Instant;

mod common;

use common::{INDICATORS, bench_workspace};

fn main() {
    let communes: usize = std::env::var("NTM_BENCH_COMMUNES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100);
    let mut bench = bench_workspace("bench.sqlite");
    let province = bench.province;
    let setup = Instant::now();
    let mut first: Option<AssessmentId> = None;
    for n in 0..communes {
        let a = bench.commune(&format!("Xã {n}"), 2025);
        first.get_or_insert(a);
        let values: Vec<ValueRecord> = bench
            .codes
            .iter()
            .map(|code| ValueRecord {
                numerator: Some(80.0 + (n % 10) as f64),
                denominator: Some(100.0),
                ..ValueRecord::new(
                    ntm_dossier::domain::catalog::IndicatorCode::parse(code).expect("code"),
                )
            })
            .collect();
        bench.ws.put_values(a, &values).expect("values");
        for (k, code) in bench.codes.clone().into_iter().enumerate() {
            let bytes = format!("minh chứng {n}-{k}").into_bytes();
            let criterion = code
                .split('.')
                .next()
                .and_then(|c| c.parse().ok())
                .unwrap_or(0);
            bench
                .ws
                .add_evidence(
                    a,
                    &format!("mc-{k}.pdf"),
                    "application/pdf",
                    &bytes,
                    criterion,
                    &[code],
                )
                .expect("evidence");
        }
    }
    println!(
        "Chuẩn bị {communes} xã × {INDICATORS} chỉ tiêu: {:.1} s",
        setup.elapsed().as_secs_f64()
    );
    let ws = &bench.ws;
    let today = app::today();
    let id = first.expect("one assessment");
    let runs = 200;
    let start = Instant::now();
    for _ in 0..runs {
        let loaded = report::status(ws, id, today).expect("status");
        std::hint::black_box(report::status_json(&loaded));
    }
    let per_status = start.elapsed().as_secs_f64() * 1000.0 / runs as f64;
    println!(
        "status (1 đánh giá, {INDICATORS} chỉ tiêu): {per_status:.2} ms/lần (trung bình {runs} lần)"
    );
    let runs = 10;
    let start = Instant::now();
    for _ in 0..runs {
        let r = report::rollup(ws, province, today).expect("rollup");
        assert_eq!(r.communes_total, communes);
        std::hint::black_box(r);
    }
    let per_rollup = start.elapsed().as_secs_f64() * 1000.0 / runs as f64;
    println!(
        "rollup ({communes} xã × {INDICATORS} chỉ tiêu): {per_rollup:.1} ms/lần (trung bình {runs} lần)"
    );
}
