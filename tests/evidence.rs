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
    assert!(was.contains("TC01-01 nham.txt") && was.contains(&sha) && was.contains("1.1,2.1"));
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
