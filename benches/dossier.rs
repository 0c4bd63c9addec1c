//! Benchmark (not a test): building the printed dossier of one commune with 57 indicators
//! and 200 phone-size photos (2000×1500 JPEG), reporting wall time, pages, file size and
//! peak memory. Photos are shrunk one at a time to print resolution, so peak memory
//! should stay near the size of one decoded photo plus the output, whatever the count.
//! Run with `cargo bench --bench dossier`.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::too_many_lines,
    reason = "tests and benchmarks fail loudly by design"
)]

mod common;

use common::{bench_workspace, peak_rss_mb};
use ntm_dossier::app::{dossier, evidence};
use std::io::Cursor;
use std::time::Instant;

const PHOTOS: usize = 200;

fn main() {
    let mut bench = bench_workspace("bench.sqlite");
    let a = bench.commune("Xã Đo", 2026);
    let (dir, codes) = (bench.dir.path().to_path_buf(), bench.codes.clone());
    let ws = &mut bench.ws;
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
        let path = dir.join(format!("anh-{n}.jpg"));
        total_bytes += out.get_ref().len();
        std::fs::write(&path, out.into_inner()).expect("write");
        evidence::add_files(ws, a, &[codes[n % codes.len()].clone()], &[path.as_path()])
            .expect("evidence");
        std::fs::remove_file(&path).ok();
    }
    println!(
        "{PHOTOS} ảnh 2000×1500, tổng {:.1} MB; bộ nhớ đỉnh khi chuẩn bị: {:.0} MB",
        total_bytes as f64 / 1e6,
        peak_rss_mb()
    );
    let t = dossier::template_for(ws, a).expect("template");
    let out = dir.join("ho-so.pdf");
    let start = Instant::now();
    let built = dossier::build(ws, a, &t, &out, false, &|_, _| {}).expect("build");
    let secs = start.elapsed().as_secs_f64();
    let size = std::fs::metadata(&out).map(|m| m.len()).unwrap_or(0);
    println!(
        "Tạo hồ sơ: {secs:.2} s, {} trang, {:.1} MB; bộ nhớ đỉnh của tiến trình: {:.0} MB",
        built.report.pages,
        size as f64 / 1e6,
        peak_rss_mb()
    );
}
