//! Benchmark (not a test): the printed dossier at province scale, side by side in one run.
//!
//! Workload (generated once into `target/bench-data`, reused after): 300 photos of 12
//! megapixels (4000×3000 JPEG, about 2 MB each with noisy content so their size is
//! realistic) and 30 scanned PDFs of 5 pages at 200 dpi, attached to a 57-indicator
//! assessment. Counts can be lowered with `NTM_BENCH_PHOTOS` and `NTM_BENCH_SCANS`.
//!
//! Prints: `evidence add` of every file (photos, then scans: the second command's opening
//! makes the backup copies of the first's photos) against `cp` of the same files (the
//! goal for one batch is measured by the `evidence` bench);
//! the app's `dossier build` (wall time and peak memory, as a child process); typst on the
//! same content (the PyPI `typst` package, if installed: same table, photos at the same
//! placed width, scans as PDF images); the decoding limit (every photo decoded at the
//! smallest scale inside the JPEG decoder that still gives 150 dpi at the placed size, as
//! the app does, shrunk only when above 200 dpi, and re-encoded, on all cores:
//! Pillow's libjpeg-turbo when installed, else the `jpeg-decoder` crate); the time to read
//! every input; then the ratios. Needs `/usr/bin/time`; `python3` with `typst` and
//! `pillow` for those two columns (`NTM_BENCH_TYPST=0` leaves typst out, for workloads
//! too large for its memory). Run with `cargo bench --bench packet`.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::too_many_lines,
    reason = "tests and benchmarks fail loudly by design"
)]

mod common;

use common::bench_workspace;
use std::io::Cursor;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

/// Placed photo box in points and pixels at 200 dpi (the packet's photo pages): a photo
/// above it is shrunk to it.
const BOX_PT: (f32, f32) = (227.86, 165.0);
const BOX_PX: (u32, u32) = (633, 459);
/// The same box at 150 dpi: the app decodes at the smallest DCT scale that still covers
/// it (1/8 of a 4000×3000 photo: 500×375), and so does the decoding limit.
const MIN_PX: (u32, u32) = (475, 345);

fn count(var: &str, default: usize) -> usize {
    std::env::var(var)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// xorshift: repeatable noise without a dependency.
struct Noise(u64);
impl Noise {
    fn next(&mut self) -> u8 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 >> 24) as u8
    }
}

/// A 12-megapixel "photo": smooth gradients, blotches and grain, like foliage and walls.
fn photo(n: usize) -> Vec<u8> {
    let (w, h) = (4000u32, 3000u32);
    let mut noise = Noise(0x9E37_79B9_7F4A_7C15 ^ (n as u64 + 1));
    let mut img = image::RgbImage::new(w, h);
    // Blotches of 8×8 pixels (hashed from their position) and a fine grain.
    let blotch = |bx: u32, by: u32, c: u32| -> u8 {
        let mut v = (u64::from(bx) << 32 | u64::from(by)) ^ (u64::from(c) << 20) ^ n as u64;
        v = v.wrapping_mul(0x9E37_79B9_7F4A_7C15);
        v ^= v >> 29;
        (v % 42) as u8
    };
    for y in 0..h {
        for x in 0..w {
            let g = noise.next() / 20;
            let base = [
                ((x / 16 + n as u32 * 7) % 160) as u8,
                ((y / 12 + x / 40) % 150) as u8,
                ((x / 30 + y / 30) % 120) as u8,
            ];
            img.put_pixel(
                x,
                y,
                image::Rgb([
                    base[0] + blotch(x / 8, y / 8, 0) + g,
                    base[1] + blotch(x / 8, y / 8, 1) + g,
                    base[2] + blotch(x / 8, y / 8, 2) + g,
                ]),
            );
        }
    }
    let mut out = Cursor::new(Vec::new());
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 88)
        .encode_image(&img)
        .expect("jpeg");
    out.into_inner()
}

/// A scanned A4 page at 200 dpi: grey paper with lines of "text".
fn scan_page(n: usize) -> (Vec<u8>, u32, u32) {
    let (w, h) = (1654u32, 2339u32);
    let mut noise = Noise(0xD1B5_4A32_D192_ED03 ^ (n as u64 + 1));
    let img = image::GrayImage::from_fn(w, h, |x, y| {
        let line = (y / 40) % 2 == 0 && x > 200 && x < 1450 && y > 250 && y < 2100;
        let ink = line && (y % 40) > 12 && (x / 9 + y / 40) % 7 != 0;
        let v = if ink { 40 } else { 235 };
        image::Luma([v - noise.next() / 16])
    });
    let mut out = Cursor::new(Vec::new());
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 75)
        .encode_image(&img)
        .expect("jpeg");
    (out.into_inner(), w, h)
}

/// A PDF of `pages` scanned pages, each a full-page DCT image.
fn scan_pdf(n: usize, pages: usize) -> Vec<u8> {
    use lopdf::{Document, Object, Stream, dictionary};
    let mut doc = Document::with_version("1.5");
    let pages_id = doc.new_object_id();
    let mut kids = Vec::new();
    for p in 0..pages {
        let (jpeg, w, h) = scan_page(n * 10 + p);
        let img = doc.add_object(Stream::new(
            dictionary! {
                "Type" => "XObject", "Subtype" => "Image", "Width" => w as i64,
                "Height" => h as i64, "ColorSpace" => "DeviceGray", "BitsPerComponent" => 8,
                "Filter" => "DCTDecode",
            },
            jpeg,
        ));
        let content = doc.add_object(Stream::new(
            dictionary! {},
            b"q 595.28 0 0 841.89 0 0 cm /Im0 Do Q".to_vec(),
        ));
        let page = doc.add_object(dictionary! {
            "Type" => "Page", "Parent" => pages_id,
            "MediaBox" => vec![0.into(), 0.into(), Object::Real(595.28), Object::Real(841.89)],
            "Contents" => content,
            "Resources" => dictionary! { "XObject" => dictionary! { "Im0" => img } },
        });
        kids.push(page.into());
    }
    doc.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! {
            "Type" => "Pages", "Count" => pages as i64, "Kids" => kids,
        }),
    );
    let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    doc.trailer.set("Root", catalog);
    let mut out = Vec::new();
    doc.save_to(&mut out).expect("pdf");
    out
}

/// Generates what is missing of the workload (in parallel) and returns the file paths.
fn workload(dir: &Path, photos: usize, scans: usize) -> (Vec<PathBuf>, Vec<PathBuf>) {
    std::fs::create_dir_all(dir).expect("bench-data");
    let photo_paths: Vec<PathBuf> = (0..photos)
        .map(|n| dir.join(format!("anh-{n:04}.jpg")))
        .collect();
    let scan_paths: Vec<PathBuf> = (0..scans)
        .map(|n| dir.join(format!("quet-{n:03}.pdf")))
        .collect();
    let jobs: Vec<(usize, PathBuf, bool)> = photo_paths
        .iter()
        .enumerate()
        .map(|(n, p)| (n, p.clone(), true))
        .chain(
            scan_paths
                .iter()
                .enumerate()
                .map(|(n, p)| (n, p.clone(), false)),
        )
        .filter(|(_, p, _)| !p.exists())
        .collect();
    if !jobs.is_empty() {
        println!("Tạo {} tệp dữ liệu đo vào {} …", jobs.len(), dir.display());
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
        let next = std::sync::atomic::AtomicUsize::new(0);
        std::thread::scope(|s| {
            for _ in 0..threads {
                s.spawn(|| {
                    loop {
                        let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        let Some((n, path, is_photo)) = jobs.get(i) else {
                            return;
                        };
                        let bytes = if *is_photo {
                            photo(*n)
                        } else {
                            scan_pdf(*n, 5)
                        };
                        let tmp = path.with_extension("tmp");
                        std::fs::write(&tmp, bytes).expect("write");
                        std::fs::rename(&tmp, path).expect("rename");
                    }
                });
            }
        });
    }
    (photo_paths, scan_paths)
}

/// Runs a command under `/usr/bin/time`: (wall seconds, peak memory MB), or `None`.
fn timed(cmd: &mut Command) -> Option<(f64, f64)> {
    let report = std::env::temp_dir().join(format!("ntm-bench-time-{}", std::process::id()));
    let program = cmd.get_program().to_owned();
    let args: Vec<_> = cmd.get_args().map(|a| a.to_owned()).collect();
    let mut timed = Command::new("/usr/bin/time");
    timed
        .arg("-f")
        .arg("%e %M")
        .arg("-o")
        .arg(&report)
        .arg(program)
        .args(args);
    if let Some(d) = cmd.get_current_dir() {
        timed.current_dir(d);
    }
    let out = timed.output().ok()?;
    if !out.status.success() {
        println!(
            "  (lệnh lỗi: {}{})",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        return None;
    }
    let text = std::fs::read_to_string(&report).ok()?;
    let mut it = text.split_whitespace();
    let wall = it.next()?.parse::<f64>().ok()?;
    let kb = it.next()?.parse::<f64>().ok()?;
    Some((wall, kb / 1024.0))
}

fn typst_source(photos: &[PathBuf], scans: &[PathBuf], indicators: u32) -> String {
    let mut t = String::from(
        "#set page(paper: \"a4\", margin: (left: 30mm, right: 15mm, top: 20mm, bottom: 20mm))\n#set text(font: \"Liberation Serif\", size: 13pt, lang: \"vi\")\n= Kết quả thực hiện các tiêu chí\n#table(columns: (auto, 1fr, auto, auto, auto), [*Mã*], [*Chỉ tiêu*], [*Chỉ tiêu đạt*], [*Kết quả*], [*Minh chứng*],\n",
    );
    for i in 1..=indicators {
        t.push_str(&format!(
            "[{}.{}], [Chỉ tiêu số {i} về hạ tầng, kinh tế và đời sống], [≥ 80%], [85,5%], [TC{:02}-01],\n",
            i.div_ceil(3),
            (i - 1) % 3 + 1,
            i.div_ceil(3)
        ));
    }
    t.push_str(")\n#pagebreak()\n= Ảnh minh họa\n#grid(columns: 2, gutter: 12pt,\n");
    for (n, p) in photos.iter().enumerate() {
        t.push_str(&format!(
            "[#image(\"{}\", width: {}pt, height: {}pt, fit: \"contain\") \\ _Ảnh {n}: chỉ tiêu 1.1; ngày 05/01/2026_],\n",
            p.display(),
            BOX_PT.0,
            BOX_PT.1
        ));
    }
    t.push_str(")\n");
    for s in scans {
        for page in 1..=5 {
            t.push_str(&format!(
                "#page(margin: 0pt)[#image(\"{}\", page: {page}, width: 100%)]\n",
                s.display()
            ));
        }
    }
    t
}

/// The decoding limit with Pillow (libjpeg-turbo): draft mode decodes in the DCT at
/// reduced scale; one process per core.
const PILLOW_LIMIT: &str = r#"
import sys, io, os
from multiprocessing import Pool
from PIL import Image
W, H, MW, MH = (int(a) for a in sys.argv[1:5])
def one(path):
    im = Image.open(path)
    im.draft("RGB", (MW, MH))
    im = im.convert("RGB")
    im.thumbnail((W, H), Image.BILINEAR)
    out = io.BytesIO()
    im.save(out, "JPEG", quality=85)
    return len(out.getvalue())
if __name__ == "__main__":
    with Pool(os.cpu_count()) as p:
        p.map(one, sys.argv[5:], chunksize=4)
"#;

/// The decoding limit in process with `jpeg-decoder` at reduced scale, on all cores.
fn rust_limit(photos: &[PathBuf]) -> f64 {
    let start = Instant::now();
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let next = std::sync::atomic::AtomicUsize::new(0);
    std::thread::scope(|s| {
        for _ in 0..threads {
            s.spawn(|| {
                loop {
                    let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    let Some(p) = photos.get(i) else { return };
                    let bytes = std::fs::read(p).expect("read");
                    let mut d = jpeg_decoder::Decoder::new(bytes.as_slice());
                    d.scale(MIN_PX.0 as u16, MIN_PX.1 as u16).expect("scale");
                    let px = d.decode().expect("decode");
                    let info = d.info().expect("info");
                    let img = image::RgbImage::from_raw(
                        u32::from(info.width),
                        u32::from(info.height),
                        px,
                    )
                    .expect("rgb");
                    let mut img = image::DynamicImage::ImageRgb8(img);
                    if img.width() > BOX_PX.0 || img.height() > BOX_PX.1 {
                        img = img.resize(BOX_PX.0, BOX_PX.1, image::imageops::FilterType::Triangle);
                    }
                    let mut out = Cursor::new(Vec::new());
                    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 85)
                        .encode_image(&img.to_rgb8())
                        .expect("encode");
                }
            });
        }
    });
    start.elapsed().as_secs_f64()
}

fn main() {
    let photos = count("NTM_BENCH_PHOTOS", 300);
    let scans = count("NTM_BENCH_SCANS", 30);
    let exe = PathBuf::from(env!("CARGO_BIN_EXE_ntm-dossier"));
    let data = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/bench-data");
    let (photo_paths, scan_paths) = workload(&data, photos, scans);
    let inputs: Vec<&PathBuf> = photo_paths.iter().chain(&scan_paths).collect();
    let input_bytes: u64 = inputs
        .iter()
        .filter_map(|p| std::fs::metadata(p).ok())
        .map(|m| m.len())
        .sum();
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    println!(
        "Khối lượng: {photos} ảnh 4000×3000, {scans} PDF quét 5 trang 200 dpi, {} chỉ tiêu; {:.0} MB đầu vào; {cores} lõi; tải máy: {}",
        common::INDICATORS,
        input_bytes as f64 / 1e6,
        load.split_whitespace()
            .take(3)
            .collect::<Vec<_>>()
            .join(" ")
    );

    // Reading every input (warm cache, as for every column below).
    let start = Instant::now();
    let mut read = 0usize;
    for p in &inputs {
        read += std::fs::read(p).map(|b| b.len()).unwrap_or(0);
    }
    let read_secs = start.elapsed().as_secs_f64();
    println!(
        "Đọc mọi tệp đầu vào: {read_secs:.2} s ({:.0} MB)",
        read as f64 / 1e6
    );

    // The workspace: one commune, photos and scans attached in one command each.
    let mut bench = bench_workspace("bench.sqlite");
    let a = bench.commune("Xã Đo", 2026);
    let db = bench.dir.path().join("bench.sqlite");
    let dir = bench.dir.path().to_path_buf();
    drop(std::mem::replace(
        &mut bench.ws,
        ntm_dossier::app::open_workspace(&dir.join("other.sqlite")).expect("other"),
    ));
    let add = |indicator: &str, files: &[PathBuf]| {
        if files.is_empty() {
            return Some((0.0, 0.0));
        }
        timed(
            Command::new(&exe)
                .arg("--db")
                .arg(&db)
                .args([
                    "evidence",
                    "add",
                    &a.0.to_string(),
                    "--indicator",
                    indicator,
                ])
                .args(files),
        )
    };
    let copy_dir = dir.join("ban-sao");
    std::fs::create_dir_all(&copy_dir).expect("copy dir");
    let cp = timed(
        Command::new("cp")
            .args(&photo_paths)
            .args(&scan_paths)
            .arg(&copy_dir),
    );
    std::fs::remove_dir_all(&copy_dir).ok();
    std::fs::create_dir_all(&copy_dir).expect("copy dir");
    // The workspace makes every file durable (fsync) before it says «added»: the same
    // copy followed by `sync` is the like-for-like reference.
    let mut cp_sync_cmd = Command::new("sh");
    cp_sync_cmd
        .arg("-c")
        .arg("cp \"$@\" && sync")
        .arg("sh")
        .args(&photo_paths)
        .args(&scan_paths)
        .arg(&copy_dir);
    let cp_sync = timed(&mut cp_sync_cmd);
    std::fs::remove_dir_all(&copy_dir).ok();
    let added_photos = add("1.1", &photo_paths);
    let added_scans = add("2.1", &scan_paths);
    let add_secs = added_photos.map_or(f64::NAN, |t| t.0) + added_scans.map_or(f64::NAN, |t| t.0);
    let cp_secs = cp.map_or(f64::NAN, |t| t.0);
    let cp_sync_secs = cp_sync.map_or(f64::NAN, |t| t.0);
    println!(
        "evidence add (2 lệnh: ảnh, rồi bản quét; lệnh thứ hai mở tệp nên chép 300 ảnh vào kho sao lưu): {add_secs:.2} s, bộ nhớ đỉnh {:.0} MB; cp cùng các tệp: {cp_secs:.2} s; cp rồi sync: {cp_sync_secs:.2} s",
        added_photos.map_or(0.0, |t| t.1),
    );

    // The app's packet.
    let out = dir.join("ho-so.pdf");
    let app = timed(
        Command::new(&exe)
            .arg("--db")
            .arg(&db)
            .args(["dossier", "build", &a.0.to_string()])
            .arg(&out),
    );
    let size = std::fs::metadata(&out).map_or(0, |m| m.len());
    if let Some((wall, mb)) = app {
        println!(
            "dossier build: {wall:.2} s, bộ nhớ đỉnh {mb:.0} MB, tệp {:.1} MB",
            size as f64 / 1e6
        );
    }
    if let Ok(keep) = std::env::var("NTM_BENCH_KEEP") {
        std::fs::copy(&out, &keep).ok();
    }

    // typst on the same content.
    let typ = dir.join("ho-so.typ");
    std::fs::write(
        &typ,
        typst_source(&photo_paths, &scan_paths, common::INDICATORS),
    )
    .expect("typ");
    let typst_out = dir.join("ho-so-typst.pdf");
    // typst needs about 40 MB per photo: `NTM_BENCH_TYPST=0` leaves it out (large runs).
    let with_typst = std::env::var("NTM_BENCH_TYPST").map_or(true, |v| v != "0");
    let typst = if with_typst {
        timed(
            Command::new("python3")
                .arg("-c")
                .arg("import sys, typst; typst.compile(sys.argv[1], output=sys.argv[2], root='/')")
                .arg(&typ)
                .arg(&typst_out),
        )
    } else {
        None
    };
    match typst {
        Some((wall, mb)) => println!(
            "typst (PyPI) cùng nội dung: {wall:.2} s, bộ nhớ đỉnh {mb:.0} MB, tệp {:.1} MB",
            std::fs::metadata(&typst_out).map_or(0, |m| m.len()) as f64 / 1e6
        ),
        None if !with_typst => println!("typst: bỏ qua (NTM_BENCH_TYPST=0)"),
        None => println!("typst: không chạy được (pip install typst)"),
    }

    // The decoding limit.
    let script = dir.join("limit.py");
    std::fs::write(&script, PILLOW_LIMIT).expect("script");
    let pillow = timed(
        Command::new("python3")
            .arg(&script)
            .arg(BOX_PX.0.to_string())
            .arg(BOX_PX.1.to_string())
            .arg(MIN_PX.0.to_string())
            .arg(MIN_PX.1.to_string())
            .args(&photo_paths),
    );
    let rust = rust_limit(&photo_paths);
    let limit = match pillow {
        Some((wall, _)) => {
            println!(
                "Giới hạn giải mã (libjpeg-turbo qua Pillow, giảm tỉ lệ trong DCT, {cores} tiến trình): {wall:.2} s; jpeg-decoder cùng việc, {cores} luồng: {rust:.2} s"
            );
            wall
        }
        None => {
            println!(
                "Giới hạn giải mã (jpeg-decoder, giảm tỉ lệ trong DCT, {cores} luồng): {rust:.2} s (không có Pillow)"
            );
            rust
        }
    };

    if let Some((wall, mb)) = app {
        println!("Tỉ lệ:");
        println!(
            "  dossier build / giới hạn giải mã: {:.2}× (mục tiêu ≤ 2)",
            wall / limit
        );
        if let Some((t, tmb)) = typst {
            println!(
                "  typst / dossier build: {:.2}× (mục tiêu ≥ 4); bộ nhớ {:.1}×",
                t / wall,
                tmb / mb
            );
        }
        println!("  bộ nhớ đỉnh: {mb:.0} MB (mục tiêu < 250 MB)");
        println!(
            "  evidence add (2 lệnh, kể cả bản sao lưu) / cp: {:.2}×; / (cp rồi sync): {:.2}× (mục tiêu của một lệnh thêm: xem bench evidence)",
            add_secs / cp_secs,
            add_secs / cp_sync_secs
        );
        println!("  đọc đầu vào / dossier build: {:.2}", read_secs / wall);
    }
}
