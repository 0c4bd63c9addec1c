//! Benchmark (not a test): building the printed dossier of one commune with 57 indicators
//! and 200 phone-size photos (2000×1500 JPEG), reporting wall time, pages, file size and
//! peak memory. Photos are shrunk one at a time to print resolution, so peak memory
//! should stay near the size of one decoded photo plus the output, whatever the count.
//! Run with `cargo bench --bench dossier`.

mod common;

use common::synthetic_edition;
use ntm_dossier::app::{self, assessment, catalog, dossier, evidence, units::UnitForm};
use std::io::Cursor;
use std::time::Instant;

const PHOTOS: usize = 200;

fn peak_rss_mb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok())
        })
        .map_or(0.0, |kb| kb / 1024.0)
}

fn main() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("bench.sqlite");
    let mut ws = app::open_workspace(&db).expect("open");
    let edition = dir.path().join("edition.toml");
    std::fs::write(&edition, synthetic_edition()).expect("edition");
    catalog::import(&mut ws, &edition).expect("import");
    let p = app::units::add(
        &mut ws,
        &UnitForm {
            name: "Tỉnh Đo".into(),
            kind: "tinh".into(),
            region: "dbsh".into(),
            ..Default::default()
        },
    )
    .expect("province");
    let c = app::units::add(
        &mut ws,
        &UnitForm {
            name: "Xã Đo".into(),
            kind: "xa".into(),
            parent: p.to_string(),
            ..Default::default()
        },
    )
    .expect("commune");
    let a = assessment::create(&mut ws, c, "do-hieu-nang", "ntm", 2026).expect("assessment");
    let (_, ed) = catalog::load(&ws, "do-hieu-nang").expect("edition");
    let codes: Vec<String> = ed.indicators().map(|(_, i)| i.code.to_string()).collect();
    let mut total_bytes = 0usize;
    for n in 0..PHOTOS {
        let img = image::RgbImage::from_fn(2000, 1500, |x, y| {
            image::Rgb([
                ((x + n as u32) % 256) as u8,
                (y % 256) as u8,
                (n % 256) as u8,
            ])
        });
        let mut out = Cursor::new(Vec::new());
        image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 85)
            .encode_image(&img)
            .expect("jpeg");
        let path = dir.path().join(format!("anh-{n}.jpg"));
        total_bytes += out.get_ref().len();
        std::fs::write(&path, out.into_inner()).expect("write");
        evidence::add_files(
            &mut ws,
            a,
            &[codes[n % codes.len()].clone()],
            &[path.as_path()],
        )
        .expect("evidence");
        std::fs::remove_file(&path).ok();
    }
    println!(
        "{PHOTOS} ảnh 2000×1500, tổng {:.1} MB; bộ nhớ đỉnh khi chuẩn bị: {:.0} MB",
        total_bytes as f64 / 1e6,
        peak_rss_mb()
    );
    let t = dossier::template_for(&ws, a).expect("template");
    let out = dir.path().join("ho-so.pdf");
    let start = Instant::now();
    let built = dossier::build(&ws, a, &t, &out, false, &|_, _| {}).expect("build");
    let secs = start.elapsed().as_secs_f64();
    let size = std::fs::metadata(&out).map(|m| m.len()).unwrap_or(0);
    println!(
        "Tạo hồ sơ: {secs:.2} s, {} trang, {:.1} MB; bộ nhớ đỉnh của tiến trình: {:.0} MB",
        built.report.pages,
        size as f64 / 1e6,
        peak_rss_mb()
    );
}
