//! Benchmark (not a test): a compiling office imports 100 commune bundles of 300 photos
//! each, then computes the roll-up. Reports the import's wall time against a plain copy
//! of the same bytes (import should be limited by disk speed), the roll-up time (goal
//! under 50 ms) and peak memory (goal: bounded by the largest single file, not by the
//! bundle). Scale with NTM_BENCH_COMMUNES and NTM_BENCH_PHOTOS.
//! Run with `cargo bench --bench bundles`.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::too_many_lines,
    reason = "tests and benchmarks fail loudly by design"
)]

mod common;

use common::{bench_workspace, peak_rss_mb};
use ntm_dossier::app::{self, bundle, report};
use std::time::Instant;

fn env(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn main() {
    let communes = env("NTM_BENCH_COMMUNES", 100);
    let photos = env("NTM_BENCH_PHOTOS", 300);
    let photo_size = 24 * 1024;
    let mut bench = bench_workspace("xa.sqlite");
    let dir = bench.dir.path().to_path_buf();
    let codes = bench.codes.clone();
    let setup = Instant::now();
    let out_dir = dir.join("usb");
    std::fs::create_dir_all(&out_dir).expect("dir");
    let mut bundles = Vec::new();
    for n in 0..communes {
        let a = bench.commune(&format!("Xã Đo {n}"), 2026);
        for k in 0..photos {
            // Distinct bytes per photo and commune: nothing is shared between bundles.
            let mut bytes = vec![0u8; photo_size];
            for (i, b) in bytes.iter_mut().enumerate() {
                *b = ((i * 31 + k * 7 + n * 13) % 251) as u8;
            }
            bytes[..16].copy_from_slice(format!("{n:08}{k:08}").as_bytes());
            bench
                .ws
                .add_evidence(
                    a,
                    &format!("anh-{k}.jpg"),
                    "image/jpeg",
                    &bytes,
                    1,
                    std::slice::from_ref(&codes[k % codes.len()]),
                )
                .expect("evidence");
        }
        let file = out_dir.join(format!("xa-{n}.ntm"));
        bundle::export(&mut bench.ws, a, &file).expect("export");
        bundles.push(file);
    }
    let total: u64 = bundles
        .iter()
        .map(|b| std::fs::metadata(b).map(|m| m.len()).unwrap_or(0))
        .sum();
    println!(
        "Chuẩn bị {communes} gói × {photos} ảnh ({:.0} MB): {:.1} s; bộ nhớ đỉnh {:.0} MB",
        total as f64 / 1e6,
        setup.elapsed().as_secs_f64(),
        peak_rss_mb()
    );

    let copy_dir = dir.join("ban-sao");
    std::fs::create_dir_all(&copy_dir).expect("dir");
    let start = Instant::now();
    for b in &bundles {
        std::fs::copy(b, copy_dir.join(b.file_name().expect("name"))).expect("copy");
    }
    let copy_secs = start.elapsed().as_secs_f64();
    std::fs::remove_dir_all(&copy_dir).ok();

    let office_path = dir.join("tinh.sqlite");
    let mut office = app::open_workspace(&office_path).expect("office");
    let rss_before = peak_rss_mb();
    let start = Instant::now();
    for b in &bundles {
        // Each commune's first bundle: the fingerprint confirmed as read off its tờ trình.
        let fingerprint = app::enrolment::signer_fingerprint(b).expect("signed");
        bundle::import(&mut office, b, &app::keys::Trust::fingerprint(fingerprint))
            .expect("import");
    }
    let import_secs = start.elapsed().as_secs_f64();
    println!(
        "Nhập {communes} gói: {import_secs:.1} s ({:.0} MB/s); sao chép thường cùng dữ liệu: {copy_secs:.1} s; tỷ lệ {:.1}×",
        total as f64 / 1e6 / import_secs,
        import_secs / copy_secs.max(1e-9)
    );
    println!(
        "Bộ nhớ đỉnh: trước khi nhập {rss_before:.0} MB, sau khi nhập {:.0} MB (tệp lớn nhất trong gói {} KB)",
        peak_rss_mb(),
        photo_size / 1024
    );
    let province = office
        .units()
        .expect("units")
        .into_iter()
        .find(|u| u.kind == ntm_dossier::domain::units::UnitKind::Province)
        .expect("province")
        .id;
    let runs = 10;
    let start = Instant::now();
    for _ in 0..runs {
        let r = report::rollup(&office, province, app::today()).expect("rollup");
        assert_eq!(r.communes_total, communes);
        std::hint::black_box(r);
    }
    println!(
        "Tổng hợp {communes} xã: {:.1} ms/lần (mục tiêu < 50 ms)",
        start.elapsed().as_secs_f64() * 1000.0 / runs as f64
    );
}
