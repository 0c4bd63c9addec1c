//! Benchmark (not a test): adding many photos in one `evidence add` command against a plain
//! copy of the same bytes, in one run.
//!
//! Workload: `NTM_BENCH_PHOTOS` files (default 300) of about 2.3 MB each, as a 12-megapixel
//! phone photo weighs. Adding evidence never decodes a file, so the bytes are repeatable
//! noise behind a JPEG start marker (generated once into `target/bench-data/evidence`,
//! reused after); the packet bench's real photos are not needed.
//!
//! Prints: `cp` of the files into a new folder; the same `cp` followed by `sync` (the
//! workspace makes every file durable before it says «added», so this is the like-for-like
//! reference); `evidence add` of every file in one command (wall time and peak memory, as
//! a child process); the same files dropped on the window (in process: the batch on a
//! second connection while the window's is open, until the user is told, and until the
//! work left for after is done); the next opening of the workspace, which makes the backup copies of
//! the files just added (the batch leaves them to it); the floor of the storage itself: the same files read and inserted
//! into a bare SQLite file with the workspace's settings (WAL, `synchronous = FULL`, one
//! transaction, no hashing, no backup copy), closed; then the ratios against the goal of
//! issue 12 (at most 2× a plain copy).
//! The input files are read once first so that every column starts from a warm cache.
//! Needs `/usr/bin/time`. Run with `cargo bench --bench evidence`.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    reason = "tests and benchmarks fail loudly by design"
)]

mod common;

use common::bench_workspace;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Bytes of one photo (a 12-megapixel JPEG weighs about this much).
const PHOTO_BYTES: usize = 2_300_000;

/// xorshift: repeatable noise without a dependency.
fn noise(seed: u64, len: usize) -> Vec<u8> {
    let mut s = 0x9E37_79B9_7F4A_7C15 ^ (seed + 1);
    let mut out = Vec::with_capacity(len + 8);
    out.extend_from_slice(&[0xFF, 0xD8, 0xFF, 0xE0]);
    while out.len() < len {
        s ^= s << 13;
        s ^= s >> 7;
        s ^= s << 17;
        out.extend_from_slice(&s.to_le_bytes());
    }
    out.truncate(len);
    out
}

/// The photos, generated where missing.
fn workload(dir: &Path, photos: usize) -> Vec<PathBuf> {
    std::fs::create_dir_all(dir).expect("bench-data");
    (0..photos)
        .map(|n| {
            let path = dir.join(format!("anh-{n:04}.jpg"));
            if std::fs::metadata(&path).map_or(true, |m| m.len() != PHOTO_BYTES as u64) {
                let tmp = path.with_extension("tmp");
                std::fs::write(&tmp, noise(n as u64, PHOTO_BYTES)).expect("write");
                std::fs::rename(&tmp, &path).expect("rename");
            }
            path
        })
        .collect()
}

/// Runs a command under `/usr/bin/time`: (wall seconds, peak memory MB), or `None`.
fn timed(cmd: &mut Command) -> Option<(f64, f64)> {
    let report = std::env::temp_dir().join(format!("ntm-bench-time-{}", std::process::id()));
    let mut timed = Command::new("/usr/bin/time");
    timed
        .arg("-f")
        .arg("%e %M")
        .arg("-o")
        .arg(&report)
        .arg(cmd.get_program())
        .args(cmd.get_args());
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
    let _ = std::fs::remove_file(&report);
    let mut it = text.split_whitespace();
    let wall = it.next()?.parse::<f64>().ok()?;
    let kb = it.next()?.parse::<f64>().ok()?;
    Some((wall, kb / 1024.0))
}

/// Seconds to read every file and insert it into a new bare SQLite file in the given
/// journal mode with `synchronous = FULL`, in one transaction, then close it (which
/// checkpoints in WAL).
fn sqlite_floor(dir: &Path, paths: &[PathBuf], journal_mode: &str) -> f64 {
    let db = dir.join("san.sqlite");
    let start = std::time::Instant::now();
    let mut conn = rusqlite::Connection::open(&db).expect("open");
    conn.pragma_update(None, "journal_mode", journal_mode)
        .expect("journal");
    conn.pragma_update(None, "synchronous", "FULL")
        .expect("full");
    conn.execute("CREATE TABLE blobs(id INTEGER PRIMARY KEY, data BLOB)", [])
        .expect("table");
    let tx = conn.transaction().expect("begin");
    for p in paths {
        let bytes = std::fs::read(p).expect("read");
        tx.execute("INSERT INTO blobs(data) VALUES (?1)", [bytes])
            .expect("insert");
    }
    tx.commit().expect("commit");
    drop(conn);
    let secs = start.elapsed().as_secs_f64();
    let _ = std::fs::remove_file(&db);
    secs
}

/// The same files dropped on the window, in process as the window does it: a workspace
/// open (the window's connection), the batch on a second connection (the background
/// task's), in WAL with the checkpoint left for after. Returns the seconds until the
/// files are durable and the user is told, and until the work left behind is done too.
fn window_drop(paths: &[PathBuf]) -> (f64, f64) {
    use ntm_dossier::app::evidence::{BatchWatch, add_batch};
    let mut bench = bench_workspace("tha.sqlite");
    let a = bench.commune("Xã Thả", 2026);
    let db = bench.dir.path().join("tha.sqlite");
    let _ = Command::new("sync").status();
    let mut task = ntm_dossier::store::Workspace::open_secondary(&db, "bench").expect("task");
    let refs: Vec<&Path> = paths.iter().map(PathBuf::as_path).collect();
    let watch = BatchWatch {
        on_stored: &|_| {},
        cancelled: &|| false,
        defer_checkpoint: true,
    };
    let start = std::time::Instant::now();
    let added = add_batch(&mut task, a, &["1.1".into()], &refs, &watch)
        .expect("drop")
        .expect("not stopped");
    let told = start.elapsed().as_secs_f64();
    assert_eq!(added.len(), paths.len());
    task.settle_after_batch().expect("settle");
    let settled = start.elapsed().as_secs_f64();
    drop(task);
    drop(bench);
    (told, settled)
}

fn main() {
    let photos = std::env::var("NTM_BENCH_PHOTOS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(300);
    let exe = PathBuf::from(env!("CARGO_BIN_EXE_ntm-dossier"));
    let data = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/bench-data/evidence");
    let paths = workload(&data, photos);
    let input_bytes: usize = paths
        .iter()
        .map(|p| std::fs::read(p).map_or(0, |b| b.len()))
        .sum();
    let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    println!(
        "Khối lượng: {photos} ảnh, {:.0} MB; {} lõi; tải máy: {}",
        input_bytes as f64 / 1e6,
        std::thread::available_parallelism().map_or(1, |n| n.get()),
        load.split_whitespace()
            .take(3)
            .collect::<Vec<_>>()
            .join(" ")
    );

    let mut bench = bench_workspace("bench.sqlite");
    let a = bench.commune("Xã Đo", 2026);
    let dir = bench.dir.path().to_path_buf();
    let db = dir.join("bench.sqlite");
    // The workspace is closed (its backup taken) before the command opens it.
    drop(std::mem::replace(
        &mut bench.ws,
        ntm_dossier::app::open_workspace(&dir.join("other.sqlite")).expect("other"),
    ));
    // Flush what setting up wrote, so that no column pays for it.
    let _ = Command::new("sync").status();

    let copy_dir = dir.join("ban-sao");
    std::fs::create_dir_all(&copy_dir).expect("copy dir");
    let cp = timed(Command::new("cp").args(&paths).arg(&copy_dir));
    std::fs::remove_dir_all(&copy_dir).ok();
    let _ = Command::new("sync").status();
    std::fs::create_dir_all(&copy_dir).expect("copy dir");
    let cp_sync = timed(
        Command::new("sh")
            .arg("-c")
            .arg("cp \"$@\" && sync")
            .arg("sh")
            .args(&paths)
            .arg(&copy_dir),
    );
    std::fs::remove_dir_all(&copy_dir).ok();
    let _ = Command::new("sync").status();
    let add = timed(
        Command::new(&exe)
            .arg("--db")
            .arg(&db)
            .args(["evidence", "add", &a.0.to_string(), "--indicator", "1.1"])
            .args(&paths),
    );

    let (drop_told, drop_settled) = window_drop(&paths);
    let _ = Command::new("sync").status();
    // The backup copies of the files are made by the next opening of the workspace.
    let next_open = timed(
        Command::new(&exe)
            .arg("--db")
            .arg(&db)
            .args(["unit", "list"]),
    );
    let _ = Command::new("sync").status();
    let floor = sqlite_floor(&dir, &paths, "WAL");
    let _ = Command::new("sync").status();
    let floor_rollback = sqlite_floor(&dir, &paths, "DELETE");

    let secs = |t: Option<(f64, f64)>| t.map_or(f64::NAN, |t| t.0);
    println!("cp: {:.2} s", secs(cp));
    println!("cp rồi sync: {:.2} s", secs(cp_sync));
    match add {
        Some((wall, mb)) => println!("evidence add (1 lệnh): {wall:.2} s, bộ nhớ đỉnh {mb:.0} MB"),
        None => println!("evidence add: lỗi"),
    }
    println!(
        "thả vào cửa sổ (cửa sổ đang mở tệp: WAL, ghi sổ nhật ký vào tệp chạy sau): {drop_told:.2} s đến lúc báo đã thêm; {drop_settled:.2} s đến khi xong cả việc chạy sau (ghi vào tệp chính, bản sao lưu)"
    );
    println!(
        "lần mở sau (bản sao lưu chép các tệp vừa thêm vào kho sao lưu): {:.2} s",
        secs(next_open)
    );
    println!(
        "chỉ SQLite (trang 4 KB, bộ đệm mặc định, synchronous = FULL, một giao dịch, không băm): WAL {floor:.2} s; nhật ký rollback {floor_rollback:.2} s"
    );
    println!("Tỉ lệ:");
    println!(
        "  evidence add / (cp rồi sync): {:.2}× (mục tiêu ≤ 2: bền trên đĩa như nhau); evidence add / cp: {:.2}×",
        secs(add) / secs(cp_sync),
        secs(add) / secs(cp)
    );
    println!(
        "  thả vào cửa sổ / (cp rồi sync): {:.2}× đến lúc báo đã thêm",
        drop_told / secs(cp_sync)
    );
    println!(
        "  chỉ SQLite / (cp rồi sync): WAL {:.2}×, rollback {:.2}×; evidence add / chỉ SQLite rollback: {:.2}×",
        floor / secs(cp_sync),
        floor_rollback / secs(cp_sync),
        secs(add) / floor_rollback
    );
}
