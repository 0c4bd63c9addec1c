//! Benchmark (not a test): time of `status` for one assessment and of `rollup` over 100
//! communes, each assessed against a synthetic edition of 57 indicators with values and
//! evidence for every indicator. Run with `cargo bench --bench status`.

use ntm_dossier::app::{self, assessment, catalog, report, units::UnitForm};
use ntm_dossier::domain::ids::AssessmentId;
use ntm_dossier::store::ValueRecord;
use std::time::Instant;

mod common;

use common::{INDICATORS, synthetic_edition};

const COMMUNES: usize = 100;

fn main() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("bench.sqlite");
    let mut ws = app::open_workspace(&db).expect("open");
    let edition_path = dir.path().join("edition.toml");
    std::fs::write(&edition_path, synthetic_edition()).expect("write edition");
    catalog::import(&mut ws, &edition_path).expect("import edition");
    let province = app::units::add(
        &mut ws,
        &UnitForm {
            name: "Tỉnh Đo".into(),
            kind: "tinh".into(),
            region: "dbsh".into(),
            ..Default::default()
        },
    )
    .expect("province");
    let setup = Instant::now();
    let mut first: Option<AssessmentId> = None;
    for n in 0..COMMUNES {
        let commune = app::units::add(
            &mut ws,
            &UnitForm {
                name: format!("Xã {n}"),
                kind: "xa".into(),
                parent: province.to_string(),
                ..Default::default()
            },
        )
        .expect("commune");
        let a =
            assessment::create(&mut ws, commune, "do-hieu-nang", "ntm", 2025).expect("assessment");
        first.get_or_insert(a);
        let (_, edition) = catalog::load(&ws, "do-hieu-nang").expect("edition");
        let values: Vec<ValueRecord> = edition
            .indicators()
            .map(|(_, i)| ValueRecord {
                indicator: i.code.to_string(),
                numerator: Some(80.0 + (n % 10) as f64),
                denominator: Some(100.0),
                computed_verdict: "chua_danh_gia".into(),
                ..Default::default()
            })
            .collect();
        ws.put_values(a, &values).expect("values");
        for (k, (_, i)) in edition.indicators().enumerate() {
            let bytes = format!("minh chứng {n}-{k}").into_bytes();
            ws.add_evidence(
                a,
                &format!("mc-{k}.pdf"),
                "application/pdf",
                &bytes,
                i.code.criterion_number().unwrap_or(0),
                &[i.code.to_string()],
            )
            .expect("evidence");
        }
    }
    println!(
        "Chuẩn bị {COMMUNES} xã × {INDICATORS} chỉ tiêu: {:.1} s",
        setup.elapsed().as_secs_f64()
    );
    let today = app::today();
    let id = first.expect("one assessment");
    let runs = 200;
    let start = Instant::now();
    for _ in 0..runs {
        let loaded = report::status(&ws, id, today).expect("status");
        std::hint::black_box(report::status_json(&loaded));
    }
    let per_status = start.elapsed().as_secs_f64() * 1000.0 / runs as f64;
    println!(
        "status (1 đánh giá, {INDICATORS} chỉ tiêu): {per_status:.2} ms/lần (trung bình {runs} lần)"
    );
    let runs = 10;
    let start = Instant::now();
    for _ in 0..runs {
        let r = report::rollup(&ws, province, today).expect("rollup");
        assert_eq!(r.communes_total, COMMUNES);
        std::hint::black_box(r);
    }
    let per_rollup = start.elapsed().as_secs_f64() * 1000.0 / runs as f64;
    println!(
        "rollup ({COMMUNES} xã × {INDICATORS} chỉ tiêu): {per_rollup:.1} ms/lần (trung bình {runs} lần)"
    );
}
