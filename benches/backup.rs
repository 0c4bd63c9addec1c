//! Benchmark (not a test): what backups cost on a workspace holding a lot of evidence.
//! Prints the time to open the workspace and run `status` (after a change, when a
//! snapshot is taken, and when nothing changed), and the disk used by the backups after
//! 20 changes compared with the evidence. Goals (issue 15): open under 50 ms whatever
//! the evidence volume; backups under 1,1 × the evidence plus the small tables.
//!
//! `cargo bench --bench backup` (1 GB of evidence in files of 4 MB). Sizes are set by
//! `NTM_BENCH_EVIDENCE_MB` and `NTM_BENCH_FILE_MB`, e.g. 10 GB:
//! `NTM_BENCH_EVIDENCE_MB=10240 cargo bench --bench backup`.
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
use std::path::Path;
use std::time::{Duration, Instant};

mod common;

use common::{bench_workspace, peak_rss_mb};

const CHANGES: usize = 20;

fn env_mb(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .filter(|v| *v > 0)
        .unwrap_or(default)
}

/// Bytes that differ for every file (no two files share a hash).
fn file_bytes(seed: u64, len: usize) -> Vec<u8> {
    let mut x = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    let mut out = Vec::with_capacity(len);
    while out.len() < len {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        out.extend_from_slice(&x.to_le_bytes());
    }
    out.truncate(len);
    out
}

fn dir_bytes(files: &[std::path::PathBuf]) -> u64 {
    files
        .iter()
        .filter_map(|f| std::fs::metadata(f).ok())
        .map(|m| m.len())
        .sum()
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v.get(v.len() / 2).copied().unwrap_or(0.0)
}

/// Opens the workspace and prints nothing: the time of open + `status`.
fn open_and_status(path: &Path, a: AssessmentId) -> (Duration, Duration) {
    let t = Instant::now();
    let ws = app::open_workspace(path).expect("open");
    let opened = t.elapsed();
    let loaded = report::status(&ws, a, app::today()).expect("status");
    let _ = report::status_text(&loaded);
    (opened, t.elapsed())
}

fn main() {
    let evidence_mb = env_mb("NTM_BENCH_EVIDENCE_MB", 1024);
    let file_mb = env_mb("NTM_BENCH_FILE_MB", 4).min(evidence_mb);
    let files = evidence_mb.div_ceil(file_mb);
    let mut bench = bench_workspace("backup.sqlite");
    let a = bench.commune("Xã Minh Chứng", 2026);
    let codes = bench.codes.clone();
    let setup = Instant::now();
    for n in 0..files {
        let bytes = file_bytes(n, (file_mb * 1_048_576) as usize);
        let code = codes
            .get(n as usize % codes.len().max(1))
            .cloned()
            .unwrap_or_default();
        bench
            .ws
            .add_evidence(
                a,
                &format!("mc-{n}.pdf"),
                "application/pdf",
                &bytes,
                1,
                &[code],
            )
            .expect("evidence");
    }
    let path = bench.ws.path().to_path_buf();
    let evidence_bytes = files * file_mb * 1_048_576;
    println!(
        "Chuẩn bị: {files} tệp minh chứng × {file_mb} MB = {evidence_mb} MB, {:.1} s (mỗi tệp được chép một lần vào kho sao lưu khi thêm)",
        setup.elapsed().as_secs_f64()
    );
    drop(bench.ws);

    let mut after_change = Vec::new();
    let mut after_change_status = Vec::new();
    for i in 0..CHANGES {
        let mut ws = app::open_workspace(&path).expect("open");
        ws.put_values(
            a,
            &[ValueRecord {
                indicator: codes.first().cloned().unwrap_or_default(),
                numerator: Some(50.0 + i as f64),
                denominator: Some(100.0),
                computed_verdict: "chua_danh_gia".into(),
                ..Default::default()
            }],
        )
        .expect("value");
        drop(ws);
        let (open, total) = open_and_status(&path, a);
        after_change.push(ms(open));
        after_change_status.push(ms(total));
    }
    let mut unchanged = Vec::new();
    let mut unchanged_status = Vec::new();
    for _ in 0..5 {
        let (open, total) = open_and_status(&path, a);
        unchanged.push(ms(open));
        unchanged_status.push(ms(total));
    }
    println!(
        "Mở sau một thay đổi (có tạo bản sao lưu), trung vị của {CHANGES} lần: {:.1} ms; mở + status: {:.1} ms (tối đa {:.1} ms)",
        median(after_change.clone()),
        median(after_change_status.clone()),
        after_change_status.iter().copied().fold(0.0, f64::max)
    );
    println!(
        "Mở khi không có thay đổi: {:.1} ms; mở + status: {:.1} ms",
        median(unchanged),
        median(unchanged_status)
    );

    let ws = app::open_workspace(&path).expect("open");
    let all = ws.backup_files();
    let snapshots = ws.backups();
    let snapshot_bytes = dir_bytes(&snapshots);
    let backup_bytes = dir_bytes(&all);
    let workspace_bytes = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
    let mb = |b: u64| b as f64 / 1_048_576.0;
    println!(
        "Sau {CHANGES} thay đổi: {} bản sao lưu; sao lưu chiếm {:.1} MB = {:.3} × minh chứng ({:.1} MB); trong đó các bảng {:.2} MB; tệp dữ liệu {:.1} MB",
        snapshots.len(),
        mb(backup_bytes),
        backup_bytes as f64 / evidence_bytes as f64,
        mb(evidence_bytes),
        mb(snapshot_bytes),
        mb(workspace_bytes)
    );
    println!("Bộ nhớ đỉnh: {:.0} MB", peak_rss_mb());
}
