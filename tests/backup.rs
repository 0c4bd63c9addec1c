//! Backups as they fail in the field and as a user restores them: snapshots without the
//! evidence bytes, each evidence file stored once, a kill during a backup, clocks set
//! ahead, two programs opening at once, and a restore after the workspace is lost.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::too_many_lines,
    reason = "tests and benchmarks fail loudly by design"
)]

mod common;

use common::*;
use ntm_dossier::app::{self, assessment, evidence};
use ntm_dossier::domain::ids::AssessmentId;
use ntm_dossier::store::{BACKUPS_KEPT, Workspace};
use rusqlite::{Connection, OpenFlags};
use std::path::{Path, PathBuf};
use std::process::Command;

/// Deterministic bytes that do not compress to nothing.
fn bytes(seed: u32, len: usize) -> Vec<u8> {
    (0..len as u32)
        .map(|i| (i.wrapping_mul(2_654_435_761).wrapping_add(seed) >> 13) as u8)
        .collect()
}

/// A workspace with one assessment, a value and two evidence files of 200 KB.
fn workspace_with_evidence(dir: &Path) -> (PathBuf, AssessmentId, Vec<PathBuf>) {
    let path = dir.join("ws.sqlite");
    let mut ws = open(&path);
    let (_, _, a) = commune_with_assessment(&mut ws);
    save_ratio(&mut ws, a, "90");
    let files: Vec<PathBuf> = (0..2)
        .map(|i| {
            let p = dir.join(format!("minh-chung-{i}.pdf"));
            std::fs::write(&p, bytes(i, 200_000)).unwrap();
            p
        })
        .collect();
    let refs: Vec<&Path> = files.iter().map(PathBuf::as_path).collect();
    evidence::add_files(&mut ws, a, &["1.1".into()], &refs).unwrap();
    (path, a, files)
}

fn save_ratio(ws: &mut Workspace, a: AssessmentId, numerator: &str) {
    assessment::save_value(
        ws,
        a,
        "1.1",
        &assessment::ValueForm {
            numerator: numerator.into(),
            denominator: "100".into(),
            ..Default::default()
        },
    )
    .unwrap();
}

fn blob_dir(path: &Path) -> PathBuf {
    ntm_dossier::store::backup::backup_dir_for(path).join("minh-chung")
}

fn names(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(|e| e.ok())
                .map(|e| e.file_name().to_string_lossy().to_string())
                .collect()
        })
        .unwrap_or_default();
    v.sort();
    v
}

/// The change sequence written in a snapshot.
fn snapshot_seq(snapshot: &Path) -> i64 {
    let conn = Connection::open_with_flags(snapshot, OpenFlags::SQLITE_OPEN_READ_ONLY).unwrap();
    conn.query_row(
        "SELECT CAST(value AS INTEGER) FROM workspace_meta WHERE key = 'change_seq'",
        [],
        |r| r.get(0),
    )
    .unwrap()
}

#[test]
fn evidence_is_stored_once_and_snapshots_hold_no_evidence_bytes() {
    let dir = tempdir();
    let (path, a, files) = workspace_with_evidence(dir.path());
    // A batch writes each byte once (issue 12): the files are copied into the backup
    // store by the first backup after it, at the next opening.
    let hashes: Vec<String> = files.iter().map(|f| file_hash(f)).collect();
    let mut expected = hashes.clone();
    expected.sort();
    assert!(names(&blob_dir(&path)).is_empty());
    drop(open(&path));
    assert_eq!(names(&blob_dir(&path)), expected);
    for i in 0..7 {
        let mut ws = open(&path);
        save_ratio(&mut ws, a, &format!("{}", 80 + i));
    }
    let ws = open(&path);
    let backups = ws.backups();
    assert_eq!(backups.len(), BACKUPS_KEPT);
    assert_eq!(
        names(&blob_dir(&path)),
        expected,
        "each evidence file once, however many backups"
    );
    for b in &backups {
        let conn = Connection::open_with_flags(b, OpenFlags::SQLITE_OPEN_READ_ONLY).unwrap();
        let (rows, stored): (i64, i64) = conn
            .query_row(
                "SELECT count(*), coalesce(sum(length(data)), 0) FROM blobs",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap();
        assert_eq!((rows, stored), (2, 0), "hashes kept, bytes left out");
        assert!(std::fs::metadata(b).unwrap().len() < 400_000);
    }
    // The newest snapshot is the current state.
    assert_eq!(
        snapshot_seq(backups.last().unwrap()),
        ws.change_seq().unwrap()
    );
    let seqs: Vec<i64> = backups.iter().map(|b| snapshot_seq(b)).collect();
    assert!(seqs.windows(2).all(|w| w[0] < w[1]), "{seqs:?}");
}

#[test]
fn an_open_that_changes_nothing_writes_nothing_to_the_backups() {
    let dir = tempdir();
    let (path, _, _) = workspace_with_evidence(dir.path());
    drop(open(&path));
    let listing = |p: &Path| -> Vec<(PathBuf, std::time::SystemTime)> {
        ntm_dossier::store::backup::backup_files(p)
            .into_iter()
            .map(|f| {
                let t = std::fs::metadata(&f).unwrap().modified().unwrap();
                (f, t)
            })
            .collect()
    };
    let before = listing(&path);
    assert!(!before.is_empty());
    ok(&path, &["check"]);
    ok(&path, &["unit", "list"]);
    assert_eq!(listing(&path), before);
}

#[test]
fn unused_evidence_files_are_collected_when_no_kept_backup_needs_them() {
    let dir = tempdir();
    let (path, a, _) = workspace_with_evidence(dir.path());
    // A file added, then the transaction that would have kept it fails: the copy in
    // the backup store belongs to no snapshot.
    let orphan = "0".repeat(64);
    std::fs::create_dir_all(blob_dir(&path)).unwrap();
    std::fs::write(blob_dir(&path).join(&orphan), b"x").unwrap();
    let mut ws = open(&path);
    save_ratio(&mut ws, a, "70");
    drop(ws);
    drop(open(&path));
    assert!(!names(&blob_dir(&path)).contains(&orphan));
    assert_eq!(names(&blob_dir(&path)).len(), 2);
}

#[test]
fn r_kill_during_backup_leaves_truncated_backup_never_retaken() {
    let dir = tempdir();
    let (path, a, _) = workspace_with_evidence(dir.path());
    drop(open(&path));
    let backup_dir = ntm_dossier::store::backup::backup_dir_for(&path);
    let good = open(&path).backups().pop().unwrap();
    let mut ws = open(&path);
    save_ratio(&mut ws, a, "60");
    let seq = ws.change_seq().unwrap();
    drop(ws);
    // What a kill -9 or a full disk leaves: a temporary snapshot, a temporary evidence
    // file, and (as the old version did) a truncated and an empty file under final
    // names, one of them with the current change sequence.
    let snapshot_bytes = std::fs::read(&good).unwrap();
    std::fs::write(
        backup_dir.join(format!("sao-luu-{seq:016}-1-dead-0.sqlite")),
        &snapshot_bytes[..snapshot_bytes.len() / 2],
    )
    .unwrap();
    std::fs::write(
        backup_dir.join(format!("sao-luu-{:016}-2-dead-0.sqlite", seq + 50)),
        b"",
    )
    .unwrap();
    std::fs::write(
        backup_dir.join(".tam-3-dead-0.sqlite"),
        &snapshot_bytes[..4096],
    )
    .unwrap();
    std::fs::write(blob_dir(&path).join(".tam-4-dead-0"), b"partial").unwrap();
    let listed = app::backup::list(&path).unwrap();
    assert!(
        listed
            .iter()
            .all(|b| b.change_seq != seq + 50 && b.change_seq != seq),
        "a damaged file is never listed as a backup"
    );
    let ws = open(&path);
    let newest = ws.backups().pop().unwrap();
    assert_eq!(snapshot_seq(&newest), seq, "the backup was taken again");
    assert!(!newest.to_string_lossy().contains("dead"));
    let left: Vec<String> = names(&backup_dir)
        .into_iter()
        .chain(names(&blob_dir(&path)))
        .filter(|n| n.contains("dead"))
        .collect();
    assert!(left.is_empty(), "leftovers cleaned: {left:?}");
}

#[test]
fn r_future_dated_backup_deletes_new_backups() {
    let dir = tempdir();
    let (path, a, _) = workspace_with_evidence(dir.path());
    drop(open(&path));
    let backup_dir = ntm_dossier::store::backup::backup_dir_for(&path);
    // A PC clock once set ahead: a backup dated 2099, under an old-style name and with
    // its modification time in the future.
    let future = std::time::SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(4_070_908_800);
    let old_style = backup_dir.join("20991231-235959-a000000999999.sqlite");
    std::fs::copy(open(&path).backups().pop().unwrap(), &old_style).unwrap();
    for f in std::fs::read_dir(&backup_dir).unwrap() {
        let f = f.unwrap().path();
        if f.is_file() {
            std::fs::File::options()
                .write(true)
                .open(&f)
                .unwrap()
                .set_modified(future)
                .unwrap();
        }
    }
    for i in 0..3 {
        let mut ws = open(&path);
        save_ratio(&mut ws, a, &format!("{}", 50 + i));
        let seq = ws.change_seq().unwrap();
        drop(ws);
        let ws = open(&path);
        let newest = ws.backups().pop().expect("the new backup is kept");
        assert_eq!(snapshot_seq(&newest), seq);
        assert_eq!(app::backup::list(&path).unwrap()[0].change_seq, seq);
    }
}

#[test]
fn r_two_opens_collide_on_backup_name() {
    let dir = tempdir();
    let (path, a, _) = workspace_with_evidence(dir.path());
    for round in 0..3 {
        let mut ws = open(&path);
        save_ratio(&mut ws, a, &format!("{}", 40 + round));
        let seq = ws.change_seq().unwrap();
        drop(ws);
        // Four programs open the changed workspace at once: a read-only `status`, a
        // `check`, and two listings of units.
        let children: Vec<_> = [
            vec!["status", "1"],
            vec!["check"],
            vec!["unit", "list"],
            vec!["unit", "list"],
        ]
        .into_iter()
        .map(|args| {
            Command::new(env!("CARGO_BIN_EXE_ntm-dossier"))
                .arg("--db")
                .arg(&path)
                .args(args)
                .output()
        })
        .collect();
        for out in children {
            let out = out.unwrap();
            assert!(
                out.status.success(),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
        let same: Vec<_> = app::backup::list(&path)
            .unwrap()
            .into_iter()
            .filter(|b| b.change_seq == seq)
            .collect();
        assert_eq!(same.len(), 1, "one backup of that state");
    }
    // And threads of one program, at the same time.
    let mut ws = open(&path);
    save_ratio(&mut ws, a, "33");
    drop(ws);
    let handles: Vec<_> = (0..4)
        .map(|_| {
            let p = path.clone();
            std::thread::spawn(move || app::open_workspace(&p).map(drop))
        })
        .collect();
    for h in handles {
        h.join().unwrap().unwrap();
    }
}

#[test]
fn restore_after_the_workspace_is_deleted_brings_everything_back() {
    let dir = tempdir();
    let (path, a, files) = workspace_with_evidence(dir.path());
    let status_before = ok(&path, &["status", &a.to_string(), "--json"]);
    let list = ok(&path, &["backup", "list"]);
    assert!(list.contains("  1. "), "{list}");
    assert!(list.contains("2 tệp minh chứng"), "{list}");
    assert!(!list.contains("  2. "), "only one state so far: {list}");
    let snapshot = open(&path).backups().pop().unwrap();
    let snapshot_hash = file_hash(&snapshot);
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
    let out = ok(
        &path,
        &["backup", "restore", "1", "--to", path.to_str().unwrap()],
    );
    assert!(out.starts_with("Đã khôi phục bản sao lưu số 1"), "{out}");
    assert!(ok(&path, &["check"]).contains("nguyên vẹn"));
    assert_eq!(
        ok(&path, &["status", &a.to_string(), "--json"]),
        status_before
    );
    let ws = open(&path);
    let stored = ws.evidence(a).unwrap();
    let mut got: Vec<String> = stored
        .iter()
        .map(|e| ntm_dossier::store::sha256_hex(&ws.evidence_bytes(e.id).unwrap()))
        .collect();
    let mut want: Vec<String> = files.iter().map(|f| file_hash(f)).collect();
    got.sort();
    want.sort();
    assert_eq!(got, want);
    assert_eq!(
        file_hash(&snapshot),
        snapshot_hash,
        "the backup is unchanged"
    );
}

#[test]
fn restore_from_a_damaged_workspace_into_a_new_file() {
    let dir = tempdir();
    let (path, a, _) = workspace_with_evidence(dir.path());
    let mut ws = open(&path);
    save_ratio(&mut ws, a, "10");
    drop(ws);
    drop(open(&path));
    let value_of_backup_1 = ok(&path, &["status", &a.to_string(), "--json"]);
    let list = ok(&path, &["backup", "list"]);
    assert!(list.contains("  2. "), "{list}");
    // Damage the workspace: garbage over its pages.
    let mut raw = std::fs::read(&path).unwrap();
    for b in raw.iter_mut().skip(4096).take(8192) {
        *b = 0xAB;
    }
    std::fs::write(&path, &raw).unwrap();
    let _ = std::fs::remove_file(format!("{}-wal", path.display()));
    let hash_damaged = file_hash(&path);
    // Over the damaged file itself: refused, nothing written.
    let err = fails(
        &path,
        &["backup", "restore", "1", "--to", path.to_str().unwrap()],
    );
    assert!(err.contains("đã tồn tại"), "{err}");
    assert_eq!(file_hash(&path), hash_damaged);
    // A number that does not exist: refused.
    let to = dir.path().join("khoi-phuc.sqlite");
    let err = fails(
        &path,
        &["backup", "restore", "9", "--to", to.to_str().unwrap()],
    );
    assert!(err.contains("số 9"), "{err}");
    assert!(!to.exists());
    // Into a missing folder: refused.
    let nowhere = dir.path().join("khong-co/ws.sqlite");
    fails(
        &path,
        &["backup", "restore", "1", "--to", nowhere.to_str().unwrap()],
    );
    assert!(!nowhere.exists());
    ok(
        &path,
        &["backup", "restore", "1", "--to", to.to_str().unwrap()],
    );
    assert!(ok(&to, &["check"]).contains("nguyên vẹn"));
    assert_eq!(
        ok(&to, &["status", &a.to_string(), "--json"]),
        value_of_backup_1
    );
    // Its own backup store already has the evidence: its first backup copies nothing.
    assert_eq!(names(&blob_dir(&to)).len(), 2);
}

#[test]
fn a_restored_workspace_backs_up_after_the_backups_it_came_from() {
    let dir = tempdir();
    let (path, a, _) = workspace_with_evidence(dir.path());
    for i in 0..3 {
        let mut ws = open(&path);
        save_ratio(&mut ws, a, &format!("{}", 20 + i));
    }
    drop(open(&path));
    let oldest = app::backup::list(&path).unwrap().len();
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
    app::backup::restore(&path, oldest, &path).unwrap();
    let mut ws = open(&path);
    save_ratio(&mut ws, a, "99");
    let seq = ws.change_seq().unwrap();
    drop(ws);
    drop(open(&path));
    let newest = &app::backup::list(&path).unwrap()[0];
    assert_eq!(
        newest.change_seq, seq,
        "the state after the restore is newest"
    );
}

#[test]
fn the_window_lists_backups_and_opens_a_restored_file() {
    use egui_kittest::kittest::Queryable;
    use ntm_dossier::app::state::Command as UiCommand;
    let dir = tempdir();
    let (path, a, _) = workspace_with_evidence(dir.path());
    let mut ws = open(&path);
    save_ratio(&mut ws, a, "55");
    drop(ws);
    let mut h = ui_harness(&path);
    h.run();
    h.get_by_label("Tệp dữ liệu").click();
    h.run();
    h.get_by_label("Khôi phục từ bản sao lưu…").click();
    h.run();
    assert!(
        h.state().state.error.is_none(),
        "{:?}",
        h.state().state.error
    );
    h.get_by_label("Khôi phục bản số 1…");
    h.get_by_label("Khôi phục bản số 2…");
    h.get_by_label_contains("2. ");
    // The save dialog hands over a path; the same command follows.
    let to = dir.path().join("khoi-phuc.sqlite");
    h.state_mut().state.apply(UiCommand::RestoreBackup {
        workspace: path.clone(),
        number: 2,
        to: to.clone(),
    });
    h.run();
    assert!(
        h.state().state.error.is_none(),
        "{:?}",
        h.state().state.error
    );
    assert_eq!(h.state().state.workspace_path(), Some(to.as_path()));
    h.get_by_label_contains("Đã khôi phục bản sao lưu số 2");
    let restored = open(&to);
    assert_eq!(restored.evidence(a).unwrap().len(), 2);
}

#[test]
fn r_failed_backup_leaves_a_file_under_the_final_name() {
    let dir = tempdir();
    let (path, a, files) = workspace_with_evidence(dir.path());
    drop(open(&path));
    let before = open(&path).backups();
    // An evidence file the store lacks, and a write that fails when the backup tries to
    // put it back (a folder stands where the file must go, as a full disk would fail).
    let sha = file_hash(&files[0]);
    let slot = blob_dir(&path).join(&sha);
    std::fs::remove_file(&slot).unwrap();
    std::fs::create_dir_all(slot.join("chan")).unwrap();
    let mut ws = open(&path);
    save_ratio(&mut ws, a, "45");
    drop(ws);
    // The workspace opens all the same, and the user is told once.
    let mut ws = app::open_workspace(&path).unwrap();
    let notice = app::backup::failure_notice(&mut ws).expect("the failure is told");
    assert!(
        notice.starts_with("Chưa sao lưu được tệp dữ liệu"),
        "{notice}"
    );
    assert_eq!(app::backup::failure_notice(&mut ws), None, "told once");
    drop(ws);
    let backup_dir = ntm_dossier::store::backup::backup_dir_for(&path);
    let after: Vec<PathBuf> = ntm_dossier::store::backup::snapshots(&backup_dir)
        .into_iter()
        .map(|(_, p)| p)
        .collect();
    assert_eq!(after, before, "no snapshot under a final name");
    let temps: Vec<String> = names(&backup_dir)
        .into_iter()
        .chain(names(&blob_dir(&path)))
        .filter(|n| n.starts_with(".tam"))
        .collect();
    assert!(temps.is_empty(), "{temps:?}");
    // Once the disk is writable again, the backup is taken and the file copied back.
    std::fs::remove_dir_all(&slot).unwrap();
    let ws = open(&path);
    assert_eq!(
        snapshot_seq(ws.backups().last().unwrap()),
        ws.change_seq().unwrap()
    );
    assert_eq!(file_hash(&slot), sha);
}

#[test]
fn a_write_that_changes_nothing_takes_no_new_backup() {
    let dir = tempdir();
    let (path, a, _) = workspace_with_evidence(dir.path());
    let mut ws = open(&path);
    let seq = ws.change_seq().unwrap();
    let count = ws.backups().len();
    let e = ws.evidence(a).unwrap()[0].id;
    ws.link_evidence(e, "1.1").unwrap();
    assert_eq!(
        ws.change_seq().unwrap(),
        seq,
        "a link that was already there"
    );
    save_ratio(&mut ws, a, "91");
    assert_eq!(ws.change_seq().unwrap(), seq + 1);
    drop(ws);
    assert_eq!(open(&path).backups().len(), count + 1);
}

#[test]
fn opening_a_backup_directly_is_refused_and_leaves_it_unchanged() {
    let dir = tempdir();
    let (path, _, _) = workspace_with_evidence(dir.path());
    let snapshot = open(&path).backups().pop().unwrap();
    let hash = file_hash(&snapshot);
    let err = fails(&snapshot, &["unit", "list"]);
    assert!(err.contains("bản sao lưu"), "{err}");
    ok(&path, &["backup", "list"]);
    assert_eq!(file_hash(&snapshot), hash);
    assert!(!Path::new(&format!("{}-wal", snapshot.display())).exists());
}

#[test]
fn an_open_waits_for_a_backup_in_progress_elsewhere() {
    let dir = tempdir();
    let (path, a, _) = workspace_with_evidence(dir.path());
    let mut ws = open(&path);
    save_ratio(&mut ws, a, "35");
    let seq = ws.change_seq().unwrap();
    drop(ws);
    // Another program holds the backup folder's lock for a moment.
    let lock_path = ntm_dossier::store::backup::backup_dir_for(&path).join(".khoa");
    let lock = std::fs::File::options()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&lock_path)
        .unwrap();
    lock.lock().unwrap();
    let release = std::thread::spawn(move || {
        std::thread::sleep(std::time::Duration::from_millis(300));
        lock.unlock().unwrap();
    });
    let started = std::time::Instant::now();
    let ws = open(&path);
    assert!(started.elapsed() >= std::time::Duration::from_millis(250));
    release.join().unwrap();
    assert_eq!(snapshot_seq(ws.backups().last().unwrap()), seq);
}

#[test]
fn backups_of_an_older_version_go_once_five_new_ones_exist() {
    let dir = tempdir();
    let (path, a, files) = workspace_with_evidence(dir.path());
    let backup_dir = ntm_dossier::store::backup::backup_dir_for(&path);
    // As the older version left it: full copies named by the clock, no evidence store.
    let _ = std::fs::remove_dir_all(&backup_dir);
    std::fs::create_dir_all(&backup_dir).unwrap();
    let legacy = backup_dir.join("20260101-120000-a000000000042.sqlite");
    std::fs::copy(&path, &legacy).unwrap();
    drop(open(&path));
    let mut want: Vec<String> = files.iter().map(|f| file_hash(f)).collect();
    want.sort();
    assert_eq!(
        names(&blob_dir(&path)),
        want,
        "filled once from the workspace"
    );
    assert!(legacy.exists(), "kept while fewer than 5 new backups exist");
    for i in 0..BACKUPS_KEPT {
        let mut ws = open(&path);
        save_ratio(&mut ws, a, &format!("{}", 11 + i));
    }
    drop(open(&path));
    assert!(!legacy.exists());
    assert_eq!(open(&path).backups().len(), BACKUPS_KEPT);
}

/// Runs the command line on `db` with the disk full past `limit_kb` KB: a file-size limit
/// on the process (`ulimit -f`), with SIGXFSZ ignored so that the write fails instead.
fn run_with_full_disk(db: &Path, limit_kb: u64, args: &[&str]) -> std::process::Output {
    let script = format!("trap '' XFSZ; ulimit -f {limit_kb}; exec \"$0\" \"$@\"");
    Command::new("bash")
        .arg("-c")
        .arg(script)
        .arg(env!("CARGO_BIN_EXE_ntm-dossier"))
        .arg("--db")
        .arg(db)
        .args(args)
        .output()
        .unwrap()
}

/// `status` worked and the backup failure was told once, in Vietnamese, with `why`.
fn assert_status_told_once(o: &std::process::Output, why: &str) {
    let out = String::from_utf8_lossy(&o.stdout);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        matches!(o.status.code(), Some(0 | 3)) && !out.trim().is_empty(),
        "status must work: {err}"
    );
    assert!(!err.contains("Lỗi:"), "{err}");
    assert_eq!(err.matches("Chưa sao lưu được").count(), 1, "{err}");
    assert!(err.contains(why), "«{why}» expected in: {err}");
    let plain: Vec<&str> = err
        .lines()
        .filter(|l| !l.contains(app::TECHNICAL_DETAIL))
        .collect();
    assert!(
        plain.iter().all(|l| !l.contains("os error")),
        "English only after the support marker: {err}"
    );
}

fn temp_names(path: &Path) -> Vec<String> {
    let backup_dir = ntm_dossier::store::backup::backup_dir_for(path);
    names(&backup_dir)
        .into_iter()
        .chain(names(&blob_dir(path)))
        .filter(|n| n.starts_with(".tam"))
        .collect()
}

/// A backup that could not be made (backup folder replaced by a file, full disk,
/// read-only folder) refused the whole workspace: now it opens, `status` works, the user
/// is told why once, and the kept backups and their rotation are untouched.
#[test]
fn r_failed_backup_blocked_opening_the_workspace() {
    let dir = tempdir();
    let (path, a, _) = workspace_with_evidence(dir.path());
    for i in 0..BACKUPS_KEPT {
        let mut ws = open(&path);
        save_ratio(&mut ws, a, &format!("{}", 20 + i));
    }
    let kept = open(&path).backups();
    assert_eq!(kept.len(), BACKUPS_KEPT);
    let mut ws = open(&path);
    save_ratio(&mut ws, a, "77");
    let seq = ws.change_seq().unwrap();
    drop(ws);
    let status = ["status", &a.to_string()].map(str::to_string);
    let status: Vec<&str> = status.iter().map(String::as_str).collect();

    // The backup folder is a file.
    let backup_dir = ntm_dossier::store::backup::backup_dir_for(&path);
    let aside = dir.path().join("de-rieng");
    std::fs::rename(&backup_dir, &aside).unwrap();
    std::fs::write(&backup_dir, b"khong phai thu muc").unwrap();
    let o = run(&path, &status);
    assert_status_told_once(&o, "là một tệp, không phải thư mục");
    std::fs::remove_file(&backup_dir).unwrap();
    std::fs::rename(&aside, &backup_dir).unwrap();
    assert_eq!(open_backups_without_backup(&path), kept);

    // The disk is full: the snapshot (the tables, some hundred KB) cannot be written.
    let limit_kb = 96;
    assert!(std::fs::metadata(&kept[0]).unwrap().len() > limit_kb * 1024);
    let o = run_with_full_disk(&path, limit_kb, &status);
    assert_status_told_once(&o, "ổ đĩa");
    assert_eq!(
        open_backups_without_backup(&path),
        kept,
        "rotation untouched"
    );
    assert!(temp_names(&path).is_empty(), "{:?}", temp_names(&path));

    // A read-only backup folder (as a user whom permissions stop).
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&backup_dir, std::fs::Permissions::from_mode(0o555)).unwrap();
        let o = run_unprivileged(dir.path(), &path, &status);
        std::fs::set_permissions(&backup_dir, std::fs::Permissions::from_mode(0o755)).unwrap();
        assert_status_told_once(&o, "quyền");
        assert_eq!(open_backups_without_backup(&path), kept);
    }

    // Once the disk has room again, the backup is taken and the oldest one goes.
    let ws = open(&path);
    let now = ws.backups();
    assert_eq!(now.len(), BACKUPS_KEPT);
    assert_eq!(now[..BACKUPS_KEPT - 1], kept[1..]);
    assert_eq!(snapshot_seq(now.last().unwrap()), seq);
}

/// The snapshots present, read without opening the workspace (which would take one).
fn open_backups_without_backup(path: &Path) -> Vec<PathBuf> {
    ntm_dossier::store::backup::snapshots(&ntm_dossier::store::backup::backup_dir_for(path))
        .into_iter()
        .map(|(_, p)| p)
        .collect()
}
