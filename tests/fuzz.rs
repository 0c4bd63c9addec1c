//! Mutated inputs for every reader of files from outside (issue 15): catalogues (TOML and
//! .xlsx), values files (CSV and .xlsx), evidence previews (JPEG, PNG, PDF) and bundles.
//! A seeded xorshift mutator damages real files; each reader must answer with a result
//! or a refusal, never a panic, within a bounded time (about 4 s per reader). The seed
//! is fixed so that a failure is reproduced exactly; `NTM_FUZZ_SEED` picks another.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::too_many_lines,
    reason = "tests and benchmarks fail loudly by design"
)]

mod common;

use common::*;
use ntm_dossier::app::{bundle, catalog, evidence, library, values_import};
use std::path::Path;
use std::time::{Duration, Instant};

/// Time given to each reader.
const BUDGET: Duration = Duration::from_secs(4);

struct XorShift(u64);

impl XorShift {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }

    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }

    /// A damaged copy: bytes flipped or set to edge values, chunks cut, repeated or
    /// truncated.
    fn mutate(&mut self, seed: &[u8]) -> Vec<u8> {
        let mut v = seed.to_vec();
        for _ in 0..1 + self.below(4) {
            let len = v.len();
            match self.below(7) {
                0 => {
                    let i = self.below(len);
                    if let Some(b) = v.get_mut(i) {
                        *b ^= 1 << self.below(8);
                    }
                }
                1 => {
                    let i = self.below(len);
                    let edge = [0u8, 0xff, b'9', b'"', b'<', b'\n', b'-'][self.below(7)];
                    if let Some(b) = v.get_mut(i) {
                        *b = edge;
                    }
                }
                2 => {
                    let i = self.below(len);
                    let n = self.below(64).min(len - i.min(len));
                    v.drain(i..i + n);
                }
                3 => {
                    let i = self.below(len);
                    let n = self.below(64).min(len - i.min(len));
                    let chunk: Vec<u8> = v[i..i + n].to_vec();
                    let at = self.below(v.len());
                    v.splice(at..at, chunk);
                }
                4 => v.truncate(self.below(len)),
                5 => {
                    // A digit run made huge (sizes, counts, indices).
                    let i = self.below(len);
                    if let Some(p) = v[i.min(len)..].iter().position(u8::is_ascii_digit) {
                        let at = i + p;
                        v.splice(at..at, b"99999999999".iter().copied());
                    }
                }
                _ => {
                    for _ in 0..self.below(16) {
                        let i = self.below(len);
                        if let Some(b) = v.get_mut(i) {
                            *b = self.next() as u8;
                        }
                    }
                }
            }
        }
        v
    }
}

fn seed() -> u64 {
    std::env::var("NTM_FUZZ_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0x9E37_79B9_7F4A_7C15)
}

/// Runs `read` on mutations of each seed file until the budget is spent; a panic fails
/// with the reader, the round and the seed.
fn fuzz(name: &str, seeds: &[(&str, Vec<u8>)], dir: &Path, read: &mut dyn FnMut(&Path, &[u8])) {
    let mut rng = XorShift(seed() ^ name.len() as u64);
    let started = Instant::now();
    let mut round = 0usize;
    while started.elapsed() < BUDGET {
        for (ext, bytes) in seeds {
            let damaged = rng.mutate(bytes);
            let file = dir.join(format!("mau-{round}.{ext}"));
            std::fs::write(&file, &damaged).unwrap();
            let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                read(&file, &damaged);
            }));
            if outcome.is_err() {
                let kept = dir.join(format!("panic-{name}.{ext}"));
                std::fs::write(&kept, &damaged).unwrap();
                panic!(
                    "{name} panicked on round {round} (seed {}); file kept at {}",
                    seed(),
                    kept.display()
                );
            }
            let _ = std::fs::remove_file(&file);
            round += 1;
        }
    }
    eprintln!("{name}: {round} tệp hỏng đã thử");
    assert!(round > 0);
}

fn png_and_jpeg() -> (Vec<u8>, Vec<u8>) {
    let img = image::RgbImage::from_fn(24, 16, |x, y| {
        image::Rgb([(x * 9) as u8, (y * 13) as u8, 77])
    });
    let mut png = Vec::new();
    img.write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
        .unwrap();
    let mut jpeg = Vec::new();
    img.write_to(
        &mut std::io::Cursor::new(&mut jpeg),
        image::ImageFormat::Jpeg,
    )
    .unwrap();
    (png, jpeg)
}

/// A small real PDF: one page made by the program itself.
fn small_pdf() -> Vec<u8> {
    let doc = ntm_dossier::pdf::AdminDocument {
        kind: "BIÊN BẢN".into(),
        subject: "Nghiệm thu đường giao thông".into(),
        ..Default::default()
    };
    ntm_dossier::pdf::single_document(&doc, "Biên bản", "20260105", "thu")
}

#[test]
fn fuzz_readers_survive_mutated_files() {
    let dir = tempdir();
    let db = dir.path().join("ws.sqlite");
    let mut ws = open(&db);
    let (_, _, a) = commune_with_assessment(&mut ws);

    // Catalogue: the fixture TOML and its .xlsx form.
    let toml = std::fs::read(fixture_path()).unwrap();
    let xlsx_path = dir.path().join("bo-tieu-chi.xlsx");
    catalog::export(&ws, "thu-nghiem-xa", &xlsx_path).unwrap();
    let xlsx = std::fs::read(&xlsx_path).unwrap();
    fuzz(
        "catalogue",
        &[("toml", toml), ("xlsx", xlsx.clone())],
        dir.path(),
        &mut |p, _| {
            let _ = catalog::read_file(p);
        },
    );

    // Values: CSV and .xlsx.
    let csv = "indicator,numerator,denominator,value,verdict,reason,note\n1.1,90,100,,,,\n1.2,,,có,,,\n2.1,,,\"12,5\",,,ghi chú\n"
        .as_bytes()
        .to_vec();
    fuzz(
        "values",
        &[("csv", csv), ("xlsx", xlsx)],
        dir.path(),
        &mut |p, _| {
            let _ = values_import::read(p);
        },
    );

    // Evidence previews: images and PDFs (each PDF checked in a child process).
    let (png, jpeg) = png_and_jpeg();
    let pdf = small_pdf();
    fuzz(
        "evidence",
        &[("png", png), ("jpg", jpeg), ("pdf", pdf)],
        dir.path(),
        &mut |p, bytes| {
            let name = p.file_name().unwrap().to_string_lossy();
            let _ = library::make_preview(evidence::media_type(&name), bytes);
        },
    );

    // Bundles: a real bundle, received by another workspace.
    let sent = dir.path().join("xa.ntm");
    bundle::export(&mut ws, a, &sent).unwrap();
    let ntm = std::fs::read(&sent).unwrap();
    let office_path = dir.path().join("tinh.sqlite");
    let mut office = open(&office_path);
    fuzz("bundle", &[("ntm", ntm)], dir.path(), &mut |p, _| {
        let _ = bundle::receive(&mut office, p, &ntm_dossier::app::keys::Trust::none());
    });
}
