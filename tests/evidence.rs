//! Evidence as a clerk handles it from the command line: listing in natural code order,
//! deleting a wrongly added file, and files added twice under two names.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::too_many_lines,
    reason = "tests and benchmarks fail loudly by design"
)]

mod common;

use common::*;
use egui_kittest::kittest::Queryable;
use ntm_dossier::app::{assessment, evidence};
use ntm_dossier::domain::ids::AssessmentId;
use std::path::{Path, PathBuf};

struct Setup {
    _dir: tempfile::TempDir,
    dir: PathBuf,
    db: PathBuf,
    assessment: String,
}

fn setup() -> Setup {
    let dir = tempdir();
    let root = dir.path().to_path_buf();
    let db = root.join("ws.sqlite");
    let mut ws = open(&db);
    let (_, _, a) = commune_with_assessment(&mut ws);
    drop(ws);
    Setup {
        _dir: dir,
        dir: root,
        db,
        assessment: a.to_string(),
    }
}

/// Writes a small file with distinct bytes and returns its path.
fn file(dir: &Path, name: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, format!("nội dung của {name}")).unwrap();
    path
}

fn codes(listing: &str) -> Vec<String> {
    listing
        .lines()
        .filter_map(|l| l.split('\t').next())
        .map(str::to_string)
        .collect()
}

#[test]
fn r_evidence_list_sorts_codes_as_text() {
    let s = setup();
    let files: Vec<PathBuf> = (1..=101)
        .map(|i| file(&s.dir, &format!("anh-{i}.txt")))
        .collect();
    let mut args = vec!["evidence", "add", &s.assessment, "--indicator", "3.1"];
    args.extend(files.iter().map(|f| f.to_str().unwrap()));
    ok(&s.db, &args);
    let listed = codes(&ok(&s.db, &["evidence", "list", &s.assessment]));
    let expected: Vec<String> = (1..=101).map(|i| format!("TC03-{i:02}")).collect();
    assert_eq!(listed, expected);
}

fn evidence_count(s: &Setup, code: &str) -> u64 {
    let v: serde_json::Value =
        serde_json::from_str(&ok(&s.db, &["status", &s.assessment, "--json"])).unwrap();
    v["criteria"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|c| c["indicators"].as_array().unwrap())
        .find(|i| i["code"] == code)
        .unwrap()["evidence_count"]
        .as_u64()
        .unwrap()
}

fn add(s: &Setup, indicators: &[&str], files: &[&Path]) -> String {
    let mut args = vec!["evidence", "add", &s.assessment];
    for i in indicators {
        args.extend(["--indicator", i]);
    }
    args.extend(files.iter().map(|f| f.to_str().unwrap()));
    ok(&s.db, &args)
}

#[test]
fn evidence_delete_removes_the_file_its_links_its_bytes_and_is_audited() {
    let s = setup();
    let wrong = file(&s.dir, "nham.txt");
    let right = file(&s.dir, "dung.txt");
    add(&s, &["1.1", "2.1"], &[&wrong]);
    add(&s, &["1.1"], &[&right]);
    assert_eq!(evidence_count(&s, "1.1"), 2);
    let id = AssessmentId(s.assessment.parse().unwrap());
    let sha = open(&s.db).evidence(id).unwrap()[0].sha256.clone();
    // As the screens leave it: a preview made of the stored bytes.
    open(&s.db)
        .put_preview(
            &sha,
            &ntm_dossier::app::library::make_preview("text/plain", b"x"),
        )
        .unwrap();
    let text = ok(&s.db, &["evidence", "delete", &s.assessment, "tc01-01"]);
    assert!(
        text.contains("Đã xóa minh chứng TC01-01 — nham.txt"),
        "{text}"
    );
    assert!(text.contains("chỉ tiêu 1.1, 2.1"), "{text}");
    assert!(text.contains("đã được xóa khỏi tệp dữ liệu"), "{text}");
    let listed = ok(&s.db, &["evidence", "list", &s.assessment]);
    assert!(
        !listed.contains("nham.txt") && listed.contains("dung.txt"),
        "{listed}"
    );
    assert_eq!(evidence_count(&s, "1.1"), 1);
    assert_eq!(evidence_count(&s, "2.1"), 0);
    let ws = open(&s.db);
    assert_eq!(ws.blob(&sha).unwrap(), None, "the bytes left the workspace");
    assert_eq!(ws.preview(&sha).unwrap(), None, "and so did the preview");
    let audit = ws.audit_log(10).unwrap();
    let entry = audit.iter().find(|e| e.field == "xoa").expect("audited");
    assert_eq!(entry.entity, "minh_chung");
    let was = entry.old_value.as_deref().unwrap();
    assert!(
        was.contains("TC01-01 nham.txt") && was.contains(sha.as_str()) && was.contains("1.1,2.1")
    );
    drop(ws);
    assert!(ok(&s.db, &["check"]).contains("nguyên vẹn"));
}

#[test]
fn deleting_a_file_keeps_bytes_another_assessment_still_uses() {
    let s = setup();
    let shared = file(&s.dir, "chung.txt");
    add(&s, &["1.1"], &[&shared]);
    let mut ws = open(&s.db);
    let other = ws.assessments().unwrap()[0].unit;
    let second = assessment::create(&mut ws, other, "thu-nghiem-xa", "ntm", 2026).unwrap();
    evidence::add_files(&mut ws, second, &["1.1".into()], &[shared.as_path()]).unwrap();
    drop(ws);
    let text = ok(&s.db, &["evidence", "delete", &s.assessment, "TC01-01"]);
    assert!(text.contains("được giữ"), "{text}");
    let ws = open(&s.db);
    let kept = &ws.evidence(second).unwrap()[0];
    assert_eq!(
        ws.evidence_bytes(kept.id).unwrap(),
        std::fs::read(&shared).unwrap()
    );
}

#[test]
fn evidence_delete_of_an_unknown_code_changes_nothing() {
    let s = setup();
    add(&s, &["1.1"], &[&file(&s.dir, "a.txt")]);
    let before = file_hash(&s.db);
    let err = fails(&s.db, &["evidence", "delete", &s.assessment, "TC09-01"]);
    assert!(err.contains("không có minh chứng mã «TC09-01»"), "{err}");
    assert!(err.contains("evidence list"), "{err}");
    fails(&s.db, &["evidence", "delete", "999", "TC01-01"]);
    assert_eq!(file_hash(&s.db), before);
}

#[test]
fn a_received_round_keeps_its_evidence() {
    let s = setup();
    add(&s, &["1.1"], &[&file(&s.dir, "a.txt")]);
    let bundle = s.dir.join("xa.ntm");
    let exported = ok(
        &s.db,
        &[
            "bundle",
            "export",
            &s.assessment,
            "--out",
            bundle.to_str().unwrap(),
        ],
    );
    let office = s.dir.join("tinh.sqlite");
    let trust = printed_fingerprint(&exported);
    ok(
        &office,
        &[
            "bundle",
            "import",
            bundle.to_str().unwrap(),
            "--trust",
            &trust,
        ],
    );
    let before = file_hash(&office);
    let err = fails(&office, &["evidence", "delete", "1", "TC01-01"]);
    assert!(err.contains("hồ sơ nhận từ xã"), "{err}");
    assert_eq!(file_hash(&office), before);
    assert!(ok(&office, &["evidence", "list", "1"]).contains("a.txt"));
}

#[test]
fn a_signed_original_is_removed_as_such_before_it_can_be_deleted() {
    let s = setup();
    let scan = s.dir.join("bien-ban-da-ky.pdf");
    std::fs::write(&scan, b"%PDF-1.4 ban da ky").unwrap();
    ok(
        &s.db,
        &[
            "dossier",
            "signed",
            &s.assessment,
            "--document",
            "bien_ban",
            scan.to_str().unwrap(),
        ],
    );
    let code = codes(&ok(&s.db, &["evidence", "list", &s.assessment]))[0].clone();
    let before = file_hash(&s.db);
    let err = fails(&s.db, &["evidence", "delete", &s.assessment, &code]);
    assert!(err.contains("bản đã ký"), "{err}");
    assert_eq!(file_hash(&s.db), before);
}

#[test]
fn the_library_deletes_a_file_after_a_confirmation_naming_its_indicators() {
    use egui_kittest::kittest::Queryable;
    let s = setup();
    add(&s, &["1.1", "2.1"], &[&file(&s.dir, "nham.txt")]);
    add(&s, &["1.1"], &[&file(&s.dir, "dung.txt")]);
    let mut h = ui_harness(&s.db);
    h.run();
    h.get_by_label("Xã Đông Hòa").click();
    h.run();
    h.get_by_label("Thư viện minh chứng").click();
    h.run();
    // Cancelling keeps the file.
    h.get_all_by_label("Xóa…").next().unwrap().click();
    h.run();
    h.get_by_label_contains("Xóa tệp TC01-01 — nham.txt khỏi hồ sơ?");
    h.get_by_label_contains("minh chứng của chỉ tiêu 1.1, 2.1");
    h.get_by_label("Hủy").click();
    h.run();
    assert!(h.query_by_label("Xóa tệp").is_none());
    assert_eq!(h.state().state.evidence.len(), 2);
    // Confirming deletes it.
    h.get_all_by_label("Xóa…").next().unwrap().click();
    h.run();
    h.get_by_label("Xóa tệp").click();
    h.run();
    assert!(
        h.state().state.error.is_none(),
        "{:?}",
        h.state().state.error
    );
    h.get_by_label_contains("Đã xóa minh chứng TC01-01 — nham.txt.");
    h.get_by_label_contains("Thư viện minh chứng (1 tệp)");
    drop(h);
    let ws = open(&s.db);
    let left = ws
        .evidence(AssessmentId(s.assessment.parse().unwrap()))
        .unwrap();
    assert_eq!(left.len(), 1);
    assert_eq!(left[0].file_name, "dung.txt");
    assert!(ws.audit_log(20).unwrap().iter().any(|e| e.field == "xoa"));
}

#[test]
fn r_a_file_added_twice_under_two_names_keeps_only_the_first_name() {
    let s = setup();
    let first = s.dir.join("bien-ban-nghiem-thu.pdf");
    let second = s.dir.join("bao-cao-duong.pdf");
    std::fs::write(&first, b"%PDF-1.4 cung noi dung").unwrap();
    std::fs::copy(&first, &second).unwrap();
    add(&s, &["1.1"], &[&first]);
    let text = add(&s, &["2.1"], &[&second]);
    assert!(
        text.contains("TC01-01 bao-cao-duong.pdf: đã có sẵn"),
        "{text}"
    );
    let listed = ok(&s.db, &["evidence", "list", &s.assessment]);
    assert_eq!(
        listed.lines().count(),
        1,
        "the bytes are kept once: {listed}"
    );
    assert!(
        listed.contains("bien-ban-nghiem-thu.pdf")
            && listed.contains("chỉ tiêu 1.1, 2.1 («bao-cao-duong.pdf»)"),
        "{listed}"
    );
    let ws = open(&s.db);
    let e = &ws
        .evidence(AssessmentId(s.assessment.parse().unwrap()))
        .unwrap()[0];
    assert_eq!(e.name_for("1.1"), "bien-ban-nghiem-thu.pdf");
    assert_eq!(e.name_for("2.1"), "bao-cao-duong.pdf");
    drop(ws);

    // The names travel in the bundle to the office.
    let bundle = s.dir.join("xa.ntm");
    let exported = ok(
        &s.db,
        &[
            "bundle",
            "export",
            &s.assessment,
            "--out",
            bundle.to_str().unwrap(),
        ],
    );
    let office = s.dir.join("tinh.sqlite");
    let trust = printed_fingerprint(&exported);
    ok(
        &office,
        &[
            "bundle",
            "import",
            bundle.to_str().unwrap(),
            "--trust",
            &trust,
        ],
    );
    let ws = open(&office);
    let e = &ws.evidence(AssessmentId(1)).unwrap()[0];
    assert_eq!(e.name_for("1.1"), "bien-ban-nghiem-thu.pdf");
    assert_eq!(e.name_for("2.1"), "bao-cao-duong.pdf");
}

#[test]
fn an_old_workspace_keeps_its_links_and_gains_link_names() {
    let s = setup();
    let first = file(&s.dir, "to-trinh.pdf");
    add(&s, &["1.1", "1.2"], &[&first]);
    // The same file as schema 5 left it: links without names, and nothing of the
    // migrations after it.
    let conn = rusqlite::Connection::open(&s.db).unwrap();
    let latest: i64 = conn
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .unwrap();
    conn.execute_batch(
        "ALTER TABLE evidence_links DROP COLUMN file_name;
         DROP TABLE signing_key; DROP TABLE trusted_keys;
         ALTER TABLE bundle_rounds DROP COLUMN claimed_edition_toml;
         DROP TABLE unit_plans;
         DROP TABLE unit_recognitions; DROP TABLE survey_results;
         ALTER TABLE conditions DROP COLUMN satisfaction_threshold_reason;
         PRAGMA user_version = 5;",
    )
    .unwrap();
    drop(conn);
    let renamed = s.dir.join("to-trinh-ban-2.pdf");
    std::fs::copy(&first, &renamed).unwrap();
    add(&s, &["2.1"], &[&renamed]);
    let conn = rusqlite::Connection::open(&s.db).unwrap();
    let version: i64 = conn
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .unwrap();
    assert_eq!(version, latest);
    drop(conn);
    let ws = open(&s.db);
    let e = &ws
        .evidence(AssessmentId(s.assessment.parse().unwrap()))
        .unwrap()[0];
    assert_eq!(e.indicators, ["1.1", "1.2", "2.1"]);
    assert_eq!(e.name_for("1.1"), "to-trinh.pdf");
    assert_eq!(e.name_for("1.2"), "to-trinh.pdf");
    assert_eq!(e.name_for("2.1"), "to-trinh-ban-2.pdf");
    assert!(ws.integrity_problems().unwrap().is_empty());
}

/// The evidence files of the backup store beside the workspace (and any temporary file
/// left there), by name.
fn backup_store(db: &Path) -> Vec<String> {
    let dir = ntm_dossier::store::backup::backup_dir_for(db).join("minh-chung");
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(|e| e.ok())
                .map(|e| e.file_name().to_string_lossy().to_string())
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

/// A file that passes every check made before reading (it exists, is small, is not
/// empty) but cannot be read: without read permission, or for root, whom permissions do
/// not stop, a link to a write-only kernel attribute.
#[cfg(target_os = "linux")]
fn unreadable(dir: &Path, name: &str) -> PathBuf {
    use std::os::unix::fs::PermissionsExt;
    let path = dir.join(name);
    // SAFETY: geteuid has no preconditions.
    if unsafe { libc::geteuid() } == 0 {
        std::os::unix::fs::symlink("/sys/bus/pci/rescan", &path).unwrap();
    } else {
        std::fs::write(&path, "ảnh không đọc được").unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o000)).unwrap();
    }
    assert!(path.is_file() && std::fs::read(&path).is_err());
    path
}

/// Five photos in one `evidence add`, the third unreadable: the clerk is told which file
/// stopped the batch and its place in it, and that none of the five was added; the
/// workspace and its backup store are as before. Without that file the four others go
/// in together, each copied whole into the backup store by the next opening.
#[cfg(target_os = "linux")]
#[test]
fn a_batch_stopped_by_its_third_file_adds_none_and_names_it() {
    let s = setup();
    let files: Vec<PathBuf> = (1..=5)
        .map(|i| {
            let name = format!("anh-{i}.jpg");
            if i == 3 {
                unreadable(&s.dir, &name)
            } else {
                file(&s.dir, &name)
            }
        })
        .collect();
    let (seq, audit) = {
        let ws = open(&s.db);
        (
            ws.change_seq().unwrap(),
            ws.audit_log(100_000).unwrap().len(),
        )
    };
    let store_before = backup_store(&s.db);
    let mut args = vec!["evidence", "add", &s.assessment, "--indicator", "3.1"];
    args.extend(files.iter().map(|f| f.to_str().unwrap()));
    let err = fails(&s.db, &args);
    assert!(
        err.contains("Không đọc được tệp")
            && err.contains("anh-3.jpg (tệp thứ 3 trong 5)")
            && err
                .contains("Chưa tệp nào trong 5 tệp được thêm; tệp dữ liệu giữ nguyên như trước."),
        "{err}"
    );
    let ws = open(&s.db);
    let a = AssessmentId(s.assessment.parse().unwrap());
    assert!(ws.evidence(a).unwrap().is_empty());
    assert_eq!(ws.change_seq().unwrap(), seq);
    assert_eq!(ws.audit_log(100_000).unwrap().len(), audit);
    drop(ws);
    assert_eq!(backup_store(&s.db), store_before);

    let readable: Vec<&Path> = files
        .iter()
        .filter(|f| !f.ends_with("anh-3.jpg"))
        .map(PathBuf::as_path)
        .collect();
    let printed = add(&s, &["3.1"], &readable);
    assert_eq!(printed.matches(": đã thêm").count(), 4, "{printed}");
    // The batch wrote each byte once; the next opening's backup copies the files.
    drop(open(&s.db));
    let store = backup_store(&s.db);
    assert!(store.iter().all(|n| !n.starts_with('.')), "{store:?}");
    for f in &readable {
        let bytes = std::fs::read(f).unwrap();
        let sha = ntm_dossier::store::sha256_hex(&bytes);
        let copy = ntm_dossier::store::backup::backup_dir_for(&s.db)
            .join("minh-chung")
            .join(&sha);
        assert_eq!(std::fs::read(copy).unwrap(), bytes);
    }
}

/// Progress counts every file stored; a stop asked after the second file stores none of
/// them and leaves nothing in the backup store.
#[test]
fn stopping_a_batch_after_two_files_keeps_none_of_them() {
    let s = setup();
    let files: Vec<PathBuf> = (1..=5)
        .map(|i| file(&s.dir, &format!("bien-ban-{i}.pdf")))
        .collect();
    let refs: Vec<&Path> = files.iter().map(PathBuf::as_path).collect();
    let a = AssessmentId(s.assessment.parse().unwrap());
    let mut ws = open(&s.db);
    let store_before = backup_store(&s.db);
    let seq = ws.change_seq().unwrap();
    let stored = std::cell::Cell::new(0);
    let watch = evidence::BatchWatch {
        on_stored: &|n| stored.set(n),
        cancelled: &|| stored.get() >= 2,
        defer_checkpoint: false,
    };
    let out = evidence::add_batch(&mut ws, a, &["3.1".into()], &refs, &watch).unwrap();
    assert!(out.is_none());
    assert_eq!(stored.get(), 2);
    assert!(ws.evidence(a).unwrap().is_empty());
    assert_eq!(ws.change_seq().unwrap(), seq);
    assert_eq!(ws.journal_mode().unwrap(), "wal");
    assert_eq!(backup_store(&s.db), store_before);

    let seen = std::cell::RefCell::new(Vec::new());
    let watch = evidence::BatchWatch {
        on_stored: &|n| seen.borrow_mut().push(n),
        cancelled: &|| false,
        defer_checkpoint: false,
    };
    let added = evidence::add_batch(&mut ws, a, &["3.1".into()], &refs, &watch)
        .unwrap()
        .unwrap();
    assert_eq!(*seen.borrow(), vec![1, 2, 3, 4, 5]);
    let codes: Vec<&str> = added.iter().map(|(_, e)| e.code.as_str()).collect();
    assert_eq!(
        codes,
        ["TC03-01", "TC03-02", "TC03-03", "TC03-04", "TC03-05"]
    );
    assert_eq!(ws.evidence(a).unwrap().len(), 5);
}

/// Files dropped on the window go in as one batch in the background: with one of them
/// unreadable, the window says which and that none was added (not that «the other files
/// were handled normally»), and nothing was added.
#[cfg(target_os = "linux")]
#[test]
fn a_drop_with_an_unreadable_file_is_refused_whole_and_names_it() {
    use ntm_dossier::app::state::{AppState, Command};
    let s = setup();
    let a = AssessmentId(s.assessment.parse().unwrap());
    let files = vec![
        file(&s.dir, "anh-1.jpg"),
        unreadable(&s.dir, "anh-2.jpg"),
        file(&s.dir, "anh-3.jpg"),
    ];
    let mut state = AppState::open(&s.db, false);
    state.apply(Command::SelectAssessment(a));
    state.apply(Command::AttachFiles(vec!["3.1".into()], files.clone()));
    state.wait_for_tasks();
    let error = state.error.clone().expect("the refusal is shown");
    assert!(
        error.summary.contains("anh-2.jpg (tệp thứ 2 trong 3)")
            && error.summary.contains("Chưa tệp nào trong 3 tệp được thêm"),
        "{error:?}"
    );
    assert!(!error.hint.contains("Các tệp khác"), "{error:?}");
    assert!(open(&s.db).evidence(a).unwrap().is_empty());

    // The readable ones, dropped again, go in together and the window says so.
    state.error = None;
    let readable = vec![files[0].clone(), files[2].clone()];
    state.apply(Command::AttachFiles(vec!["3.1".into()], readable));
    state.wait_for_tasks();
    assert!(state.error.is_none(), "{:?}", state.error);
    assert_eq!(state.notice.as_deref(), Some("Đã đính kèm 2 tệp."));
    assert_eq!(open(&s.db).evidence(a).unwrap().len(), 2);
}

/// 300 photos dropped on the window: the batch runs in the background with a progress
/// bar and a stop button, and the window keeps drawing frames while it runs (a frame
/// that waited for the batch would be the only one drawn in that time); at the end all
/// 300 are attached and the window says so; their copies in the backup store follow.
#[test]
fn a_drop_of_300_photos_shows_progress_while_the_window_keeps_drawing() {
    let s = setup();
    let a = AssessmentId(s.assessment.parse().unwrap());
    let photos: Vec<PathBuf> = (0..300)
        .map(|i| {
            let path = s.dir.join(format!("anh-{i:03}.jpg"));
            let mut bytes = vec![(i % 251) as u8; 200 * 1024];
            bytes[..8].copy_from_slice(&(i as u64).to_le_bytes());
            std::fs::write(&path, bytes).unwrap();
            path
        })
        .collect();
    let mut h = ui_harness(&s.db);
    h.run();
    h.state_mut()
        .state
        .apply(ntm_dossier::app::state::Command::SelectAssessment(a));
    h.run();
    for p in &photos {
        drop_file(&mut h, p);
    }
    // The frame that takes the drop starts the task; the next one shows it.
    h.step();
    h.step();
    let mut frames = 0;
    while h.query_by_label("Đính kèm 300 tệp").is_some() {
        assert!(h.query_by_label("Dừng").is_some());
        frames += 1;
        h.step();
    }
    assert!(frames >= 2, "{frames} frame(s) drawn while the batch ran");
    let state = &mut h.state_mut().state;
    state.wait_for_tasks();
    assert!(state.error.is_none(), "{:?}", state.error);
    assert_eq!(state.notice.as_deref(), Some("Đã đính kèm 300 tệp."));
    assert_eq!(open(&s.db).evidence(a).unwrap().len(), 300);
    // Behind the window, once the user was told: the copies in the backup store.
    let started = std::time::Instant::now();
    while backup_store(&s.db).iter().filter(|n| n.len() == 64).count() < 300 {
        assert!(
            started.elapsed().as_secs() < 60,
            "{:?}",
            backup_store(&s.db).len()
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}

/// `evidence add` of 200 files killed while it writes them (under its rollback journal):
/// the next open rolls the journal back, so the workspace holds none of them, checks
/// whole and is in WAL again, and the backup store holds nothing of the batch.
#[cfg(unix)]
#[test]
fn a_batch_killed_midway_keeps_no_file_and_no_backup_copy() {
    let s = setup();
    let a = AssessmentId(s.assessment.parse().unwrap());
    let files: Vec<PathBuf> = (0..200)
        .map(|i| {
            let path = s.dir.join(format!("anh-{i:03}.jpg"));
            let mut bytes = vec![(i % 251) as u8; 1024 * 1024];
            bytes[..8].copy_from_slice(&(i as u64).to_le_bytes());
            std::fs::write(&path, bytes).unwrap();
            path
        })
        .collect();
    let store_before = backup_store(&s.db);
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_ntm-dossier"))
        .arg("--db")
        .arg(&s.db)
        .args(["evidence", "add", &s.assessment, "--indicator", "3.1"])
        .args(&files)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let started = std::time::Instant::now();
    let journal = s.db.with_file_name("ws.sqlite-journal");
    let size = |p: &Path| std::fs::metadata(p).map_or(0, |m| m.len());
    let size_before = size(&s.db);
    // Pages written into the file itself: the journal holding the old ones is on disk.
    while size(&s.db) < size_before + 20 * 1024 * 1024 {
        assert!(
            child.try_wait().unwrap().is_none(),
            "the batch ended before it could be killed"
        );
        assert!(started.elapsed().as_secs() < 60);
        std::thread::sleep(std::time::Duration::from_millis(1));
    }
    child.kill().unwrap();
    let status = child.wait().unwrap();
    assert!(!status.success());

    let ws = open(&s.db);
    assert!(ws.evidence(a).unwrap().is_empty());
    assert!(ws.corrupt_blobs().unwrap().is_empty());
    assert_eq!(ws.journal_mode().unwrap(), "wal");
    assert!(!journal.exists(), "the rollback journal was played back");
    assert!(
        size(&s.db) <= size_before,
        "the file is back to its old length"
    );
    drop(ws);
    ok(&s.db, &["check"]);
    assert_eq!(backup_store(&s.db), store_before);
}

/// Three scans of 65 MB in one batch: each large file is read only after the previous one
/// is stored (two are never in memory together), and all three go in, distinct.
#[cfg(unix)]
#[test]
fn three_large_scans_go_in_one_after_the_other() {
    let s = setup();
    let a = AssessmentId(s.assessment.parse().unwrap());
    let scans: Vec<PathBuf> = (0..3u8)
        .map(|i| {
            let path = s.dir.join(format!("ho-so-quet-{i}.pdf"));
            let f = std::fs::File::create(&path).unwrap();
            f.set_len(65 * 1024 * 1024).unwrap();
            std::os::unix::fs::FileExt::write_all_at(&f, &[b'%', b'P', b'D', b'F', i], 0).unwrap();
            path
        })
        .collect();
    let refs: Vec<&Path> = scans.iter().map(PathBuf::as_path).collect();
    let mut ws = open(&s.db);
    let added = evidence::add_files(&mut ws, a, &["3.1".into()], &refs).unwrap();
    assert_eq!(added.len(), 3);
    assert!(added.iter().all(|(_, e)| e.is_new));
    let stored = ws.evidence(a).unwrap();
    assert_eq!(stored.len(), 3);
    assert!(stored.iter().all(|e| e.size == 65 * 1024 * 1024));
}

/// A workspace left with a hot rollback journal (a batch killed while it wrote; here a
/// copy of the file and its journal taken in the middle of a write) was taken for a
/// damaged file: the read-only look before opening cannot play the journal back. Now it
/// opens as it was before the write, and the journal is gone.
#[test]
fn r_workspace_with_a_hot_journal_taken_for_damaged() {
    let s = setup();
    let a = AssessmentId(s.assessment.parse().unwrap());
    let copy = s.dir.join("ban-sao.sqlite");
    {
        let conn = rusqlite::Connection::open(&s.db).unwrap();
        conn.pragma_update(None, "journal_mode", "DELETE").unwrap();
        conn.pragma_update(None, "synchronous", "FULL").unwrap();
        conn.pragma_update(None, "cache_size", 16).unwrap();
        conn.execute_batch(
            "BEGIN IMMEDIATE;
             CREATE TABLE rac(x BLOB);
             INSERT INTO rac SELECT zeroblob(100000) FROM (WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 50) SELECT i FROM n);
             DELETE FROM workspace_meta;",
        )
        .unwrap();
        let journal = s.db.with_file_name("ws.sqlite-journal");
        assert!(std::fs::metadata(&journal).unwrap().len() > 0);
        std::fs::copy(&s.db, &copy).unwrap();
        std::fs::copy(&journal, copy.with_file_name("ban-sao.sqlite-journal")).unwrap();
        conn.execute_batch("ROLLBACK").unwrap();
    }
    let ws = open(&copy);
    assert!(ws.evidence(a).unwrap().is_empty());
    assert!(
        ws.change_seq().unwrap() > 0,
        "workspace_meta as before the write"
    );
    assert_eq!(ws.journal_mode().unwrap(), "wal");
    assert!(!copy.with_file_name("ban-sao.sqlite-journal").exists());
    assert!(ws.integrity_problems().unwrap().is_empty());
}

/// Twenty photos of 1 MB.
fn photos(dir: &Path, n: usize) -> Vec<PathBuf> {
    (0..n)
        .map(|i| {
            let path = dir.join(format!("anh-lon-{i:02}.jpg"));
            let mut bytes = vec![(i % 251) as u8; 1024 * 1024];
            bytes[..8].copy_from_slice(&(i as u64).to_le_bytes());
            std::fs::write(&path, bytes).unwrap();
            path
        })
        .collect()
}

/// Issue 12: a batch on the command line (no other connection) writes each byte once,
/// under a rollback journal, not twice through WAL's log: the log stays small while the
/// workspace is still open, the workspace is back in WAL, no journal is left, and the
/// files are whole.
#[test]
fn a_batch_alone_writes_its_files_once_and_returns_to_wal() {
    let s = setup();
    let a = AssessmentId(s.assessment.parse().unwrap());
    let files = photos(&s.dir, 20);
    let refs: Vec<&Path> = files.iter().map(PathBuf::as_path).collect();
    let mut ws = open(&s.db);
    let added = evidence::add_files(&mut ws, a, &["3.1".into()], &refs).unwrap();
    assert_eq!(added.len(), 20);
    let wal = std::fs::metadata(s.db.with_file_name("ws.sqlite-wal")).map_or(0, |m| m.len());
    assert!(wal < 1024 * 1024, "the log holds {wal} bytes");
    assert_eq!(ws.journal_mode().unwrap(), "wal");
    assert!(!s.db.with_file_name("ws.sqlite-journal").exists());
    assert!(ws.corrupt_blobs().unwrap().is_empty());
    assert_eq!(ws.evidence(a).unwrap().len(), 20);
}

/// With the window's connection open, a batch cannot switch journals: it runs in WAL at
/// once (without waiting for the other connection), leaves the checkpoint to
/// `settle_after_batch`, which then copies the log into the file and every file into
/// the backup store; the other connection sees the files throughout.
#[test]
fn a_batch_beside_the_window_stays_in_wal_and_settles_after() {
    let s = setup();
    let a = AssessmentId(s.assessment.parse().unwrap());
    let files = photos(&s.dir, 20);
    let refs: Vec<&Path> = files.iter().map(PathBuf::as_path).collect();
    let window = open(&s.db);
    let mut task = ntm_dossier::store::Workspace::open_secondary(&s.db, "thu").unwrap();
    let started = std::time::Instant::now();
    let watch = evidence::BatchWatch {
        on_stored: &|_| {},
        cancelled: &|| false,
        defer_checkpoint: true,
    };
    let added = evidence::add_batch(&mut task, a, &["3.1".into()], &refs, &watch)
        .unwrap()
        .unwrap();
    assert_eq!(added.len(), 20);
    assert!(
        started.elapsed() < std::time::Duration::from_secs(10),
        "the batch waited for the other connection"
    );
    assert_eq!(task.journal_mode().unwrap(), "wal");
    assert_eq!(window.evidence(a).unwrap().len(), 20);
    let file_size = |p: &Path| std::fs::metadata(p).map_or(0, |m| m.len());
    assert!(file_size(&s.db) < 20 * 1024 * 1024, "not checkpointed yet");
    assert!(backup_store(&s.db).is_empty());

    assert_eq!(task.settle_after_batch().unwrap(), 20);
    assert!(
        file_size(&s.db) > 20 * 1024 * 1024,
        "the log is in the file"
    );
    let store = backup_store(&s.db);
    for f in &files {
        assert!(store.contains(&file_hash(f)));
    }
    assert_eq!(
        task.settle_after_batch().unwrap(),
        0,
        "nothing left to copy"
    );
    assert_eq!(window.evidence(a).unwrap().len(), 20);
}

/// A small batch (a signed copy added from the window's own connection, two scans on the
/// command line) stays in WAL: only a batch of at least
/// `ROLLBACK_JOURNAL_FROM_BYTES` is worth switching journals for, and the window's
/// connection must never leave WAL while its background readers come and go.
#[test]
fn a_small_batch_stays_in_wal() {
    let s = setup();
    let a = AssessmentId(s.assessment.parse().unwrap());
    let files = [file(&s.dir, "to-trinh.pdf"), file(&s.dir, "bien-ban.pdf")];
    let refs: Vec<&Path> = files.iter().map(PathBuf::as_path).collect();
    const { assert!(2 * 1024 * 1024 < ntm_dossier::store::ROLLBACK_JOURNAL_FROM_BYTES) };
    let mut ws = open(&s.db);
    evidence::add_files(&mut ws, a, &["3.1".into()], &refs).unwrap();
    let wal = std::fs::metadata(s.db.with_file_name("ws.sqlite-wal")).map_or(0, |m| m.len());
    assert!(wal > 0, "the batch went through the log");
    assert_eq!(ws.journal_mode().unwrap(), "wal");
    assert_eq!(ws.evidence(a).unwrap().len(), 2);
}

/// A batch on the command line writes under a rollback journal and holds the file for a
/// moment: opening the workspace meanwhile (the window, another command) waits within
/// the busy timeout and opens, in WAL.
#[test]
fn a_workspace_opened_during_a_batch_waits_for_it() {
    let s = setup();
    let writer = rusqlite::Connection::open(&s.db).unwrap();
    writer
        .pragma_update(None, "journal_mode", "DELETE")
        .unwrap();
    writer.execute_batch("BEGIN EXCLUSIVE").unwrap();
    let release = std::thread::spawn(move || {
        std::thread::sleep(std::time::Duration::from_millis(800));
        writer.execute_batch("COMMIT").unwrap();
    });
    let opened = ntm_dossier::app::open_workspace(&s.db);
    release.join().unwrap();
    let ws = opened.expect("opened once the batch let go");
    assert_eq!(ws.journal_mode().unwrap(), "wal");
    let a = AssessmentId(s.assessment.parse().unwrap());
    assert!(ws.evidence(a).unwrap().is_empty());
}

/// A file held by a writer past the busy timeout was called damaged («Tệp dữ liệu bị
/// hỏng», with advice to restore a backup) when it is only busy; now the user is told
/// another program is writing it, and the file is unchanged.
#[test]
fn r_workspace_held_by_a_writer_called_damaged() {
    let s = setup();
    let writer = rusqlite::Connection::open(&s.db).unwrap();
    writer
        .pragma_update(None, "journal_mode", "DELETE")
        .unwrap();
    let before = ntm_dossier::store::sha256_hex(&std::fs::read(&s.db).unwrap());
    writer.execute_batch("BEGIN EXCLUSIVE").unwrap();
    let err = ntm_dossier::app::open_workspace(&s.db)
        .err()
        .expect("refused while held");
    writer.execute_batch("ROLLBACK").unwrap();
    assert!(
        err.summary.contains("đang được chương trình khác ghi") && !err.summary.contains("hỏng"),
        "{err:?}"
    );
    drop(writer);
    let after = ntm_dossier::store::sha256_hex(&std::fs::read(&s.db).unwrap());
    assert_eq!(after, before, "the file is unchanged");
}

/// Issue 12: a workspace made by this version has 64 KB pages (a photo takes 36 pages, not
/// 575, so a batch writes it in far fewer calls); one made before keeps its 4 KB pages and
/// still takes batches.
#[test]
fn a_new_workspace_has_large_pages_and_an_old_one_keeps_its_own() {
    let page_size = |db: &Path| -> i64 {
        rusqlite::Connection::open(db)
            .unwrap()
            .pragma_query_value(None, "page_size", |r| r.get(0))
            .unwrap()
    };
    let s = setup();
    assert_eq!(page_size(&s.db), ntm_dossier::store::NEW_PAGE_SIZE);

    let old = s.dir.join("cu.sqlite");
    {
        let conn = rusqlite::Connection::open(&old).unwrap();
        conn.pragma_update(None, "page_size", 4096).unwrap();
        conn.execute_batch("CREATE TABLE tam(x); DROP TABLE tam;")
            .unwrap();
    }
    let mut ws = open(&old);
    let (_, _, a) = commune_with_assessment(&mut ws);
    let files = photos(&s.dir, 20);
    let refs: Vec<&Path> = files.iter().map(PathBuf::as_path).collect();
    evidence::add_files(&mut ws, a, &["3.1".into()], &refs).unwrap();
    assert_eq!(ws.evidence(a).unwrap().len(), 20);
    assert!(ws.corrupt_blobs().unwrap().is_empty());
    drop(ws);
    assert_eq!(page_size(&old), 4096);
}
