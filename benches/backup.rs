//! Benchmark (not a test): what backups cost on a workspace holding a lot of evidence.
//! Prints the time to open the workspace and run `status` (after a change, when a
//! snapshot is taken, and when nothing changed), and the disk used by the backups after
//! 20 changes compared with the evidence. Goals (issue 15): open under 50 ms whatever
//! the evidence volume; backups under 1,1 × the evidence plus the small tables.
//!
//! `cargo bench --bench backup` (10 GB of evidence in files of 4 MB). Sizes are set by
//! `NTM_BENCH_EVIDENCE_MB` and `NTM_BENCH_FILE_MB`, e.g. 64 MB in the dev profile:
//! `NTM_BENCH_EVIDENCE_MB=64 cargo bench --profile dev --bench backup`.
//!
//! The workspace with its evidence is generated once per size and kept under
//! `target/bench-backup/` (about twice the evidence size on disk: the workspace and its
//! evidence store), so a rerun only measures; delete that folder to start afresh.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::too_many_lines,
    reason = "tests and benchmarks fail loudly by design"
)]

use ntm_dossier::app::{self, assessment, catalog, report, units, units::UnitForm};
use ntm_dossier::domain::ids::AssessmentId;
use ntm_dossier::store::ValueRecord;
use std::path::Path;
use std::time::{Duration, Instant};

mod common;

use common::{peak_rss_mb, synthetic_edition};

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

/// The folder that keeps generated workspaces between runs.
fn cache_root() -> std::path::PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("target"))
        .join("bench-backup")
}

/// The workspace of `files` evidence files of `file_mb` MB, made once and kept (a
/// `.xong` mark says it was finished; a folder without it is made again). Returns the
/// workspace, its assessment and the edition's indicator codes.
fn cached_workspace(files: u64, file_mb: u64) -> (std::path::PathBuf, AssessmentId, Vec<String>) {
    let dir = cache_root().join(format!("{files}x{file_mb}MB"));
    let path = dir.join("backup.sqlite");
    let done = dir.join(".xong");
    let codes = |ws: &ntm_dossier::store::Workspace| -> Vec<String> {
        let (_, ed) = catalog::load(ws, "do-hieu-nang").expect("edition");
        ed.indicators().map(|(_, i)| i.code.to_string()).collect()
    };
    if let Ok(a) = std::fs::read_to_string(&done) {
        let a = AssessmentId(a.trim().parse().expect("the mark holds the assessment"));
        let ws = app::open_workspace(&path).expect("open");
        println!("Dùng lại tệp đã tạo: {}", path.display());
        return (path, a, codes(&ws));
    }
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("cache folder");
    let mut ws = app::open_workspace(&path).expect("open");
    let edition = dir.join("edition.toml");
    std::fs::write(&edition, synthetic_edition()).expect("write edition");
    catalog::import(&mut ws, &edition).expect("import edition");
    let province = units::add(
        &mut ws,
        &UnitForm {
            name: "Tỉnh Đo".into(),
            kind: "tinh".into(),
            region: "dbsh".into(),
            ..Default::default()
        },
    )
    .expect("province");
    let commune = units::add(
        &mut ws,
        &UnitForm {
            name: "Xã Minh Chứng".into(),
            kind: "xa".into(),
            parent: province.to_string(),
            ..Default::default()
        },
    )
    .expect("commune");
    let a = assessment::create(&mut ws, commune, "do-hieu-nang", "ntm", 2026).expect("assessment");
    let codes = codes(&ws);
    let setup = Instant::now();
    for n in 0..files {
        let bytes = file_bytes(n, (file_mb * 1_048_576) as usize);
        let code = codes
            .get(n as usize % codes.len().max(1))
            .cloned()
            .unwrap_or_default();
        ws.add_evidence(
            a,
            &format!("mc-{n}.pdf"),
            "application/pdf",
            &bytes,
            1,
            &[code],
        )
        .expect("evidence");
    }
    drop(ws);
    std::fs::write(&done, a.0.to_string()).expect("mark");
    println!(
        "Chuẩn bị: {files} tệp minh chứng × {file_mb} MB, {:.1} s (mỗi tệp được chép một lần vào kho sao lưu khi thêm); giữ lại ở {}",
        setup.elapsed().as_secs_f64(),
        dir.display()
    );
    (path, a, codes)
}

fn main() {
    let evidence_mb = env_mb("NTM_BENCH_EVIDENCE_MB", 10_240);
    let file_mb = env_mb("NTM_BENCH_FILE_MB", 4).min(evidence_mb);
    let files = evidence_mb.div_ceil(file_mb);
    let (path, a, codes) = cached_workspace(files, file_mb);
    let evidence_bytes = files * file_mb * 1_048_576;

    let mut after_change = Vec::new();
    let mut after_change_status = Vec::new();
    for i in 0..CHANGES {
        let mut ws = app::open_workspace(&path).expect("open");
        ws.put_values(
            a,
            &[ValueRecord {
                numerator: Some(50.0 + i as f64),
                denominator: Some(100.0),
                ..ValueRecord::new(
                    ntm_dossier::domain::catalog::IndicatorCode::parse(
                        codes.first().map_or("", String::as_str),
                    )
                    .expect("code"),
                )
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
        median(unchanged_status.clone())
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
    let goal = |ok: bool| if ok { "đạt" } else { "CHƯA ĐẠT" };
    let ratio = backup_bytes.saturating_sub(snapshot_bytes) as f64 / evidence_bytes as f64;
    println!(
        "Mục tiêu: mở + status dưới 50 ms ({}: {:.1} ms khi không có thay đổi, {:.1} ms sau một thay đổi); minh chứng trong sao lưu dưới 1,1 × minh chứng ({}: {:.3} ×, cộng các bảng {:.2} MB)",
        goal(median(unchanged_status.clone()) < 50.0 && median(after_change_status.clone()) < 50.0),
        median(unchanged_status.clone()),
        median(after_change_status.clone()),
        goal(ratio < 1.1),
        ratio,
        mb(snapshot_bytes)
    );
    println!("Bộ nhớ đỉnh: {:.0} MB", peak_rss_mb());
}
