//! The workspace file: creation, reopening, migrations, refusals that leave files
//! untouched, evidence bytes, lineage, pinned editions, backups and the audit log.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::too_many_lines,
    reason = "tests and benchmarks fail loudly by design"
)]

mod common;

use common::*;
use ntm_dossier::app::{self, AppError, assessment, catalog, evidence, units::UnitForm};
use ntm_dossier::domain::vn_text::CivilDate;
use ntm_dossier::store::{StoreError, Workspace};
use rusqlite::Connection;

#[test]
fn create_then_reopen_keeps_everything() {
    let dir = tempdir();
    std::fs::create_dir(dir.path().join("sub")).unwrap();
    let path = dir.path().join("sub/ws.sqlite");
    let (commune, a) = {
        let mut ws = open(&path);
        let (_, commune, a) = commune_with_assessment(&mut ws);
        (commune, a)
    };
    let ws = open(&path);
    assert_eq!(ws.unit(commune).unwrap().unwrap().name, "Xã Đông Hòa");
    assert_eq!(
        ws.require_assessment(a).unwrap().edition_code,
        "thu-nghiem-xa"
    );
    assert_eq!(
        ws.editions().unwrap().len(),
        7,
        "6 built-in editions plus the imported one"
    );
    let conn = Connection::open(&path).unwrap();
    let mode: String = conn
        .pragma_query_value(None, "journal_mode", |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "wal");
}

#[test]
fn an_empty_file_is_refused_as_damaged_and_left_as_it_is() {
    let dir = tempdir();
    let path = dir.path().join("empty.sqlite");
    std::fs::write(&path, b"").unwrap();
    let Err(err) = ntm_dossier::app::open_workspace(&path) else {
        panic!("a 0-byte file must be refused");
    };
    assert!(err.summary.contains("tệp rỗng"), "{err}");
    assert_eq!(std::fs::metadata(&path).unwrap().len(), 0);
}

#[test]
fn older_schema_is_migrated_in_place() {
    let dir = tempdir();
    let path = dir.path().join("v0.sqlite");
    // A workspace at schema version 0: our application id, no tables yet.
    let conn = Connection::open(&path).unwrap();
    conn.pragma_update(None, "application_id", ntm_dossier::store::APPLICATION_ID)
        .unwrap();
    conn.execute_batch("PRAGMA user_version = 0;").unwrap();
    drop(conn);
    let ws = open(&path);
    drop(ws);
    let conn = Connection::open(&path).unwrap();
    let v: i64 = conn
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .unwrap();
    assert!(v >= 1);
    let n: i64 = conn
        .query_row("SELECT count(*) FROM editions", [], |r| r.get(0))
        .unwrap();
    assert_eq!(n, 6);
}

#[test]
fn a_newer_schema_is_refused_and_left_untouched() {
    let dir = tempdir();
    let path = dir.path().join("new.sqlite");
    drop(open(&path));
    Connection::open(&path)
        .unwrap()
        .execute_batch("PRAGMA user_version = 999;")
        .unwrap();
    let before = file_hash(&path);
    let err = Workspace::open(&path, "test").err().expect("refused");
    assert!(
        matches!(err, StoreError::NewerVersion { found: 999, .. }),
        "{err}"
    );
    let user: AppError = err.into();
    assert!(user.summary.contains("phiên bản"), "{}", user.summary);
    assert_eq!(file_hash(&path), before);
}

#[test]
fn a_file_that_is_not_a_workspace_is_refused_and_left_untouched() {
    let dir = tempdir();
    // Not SQLite at all.
    let text = dir.path().join("notes.sqlite");
    std::fs::write(
        &text,
        "Biên bản họp thôn — không phải cơ sở dữ liệu".repeat(50),
    )
    .unwrap();
    let before = file_hash(&text);
    assert!(matches!(
        Workspace::open(&text, "t"),
        Err(StoreError::NotWorkspace(_))
    ));
    assert_eq!(file_hash(&text), before);
    // Another program's SQLite database.
    let other = dir.path().join("other.sqlite");
    Connection::open(&other)
        .unwrap()
        .execute_batch("CREATE TABLE x(a); INSERT INTO x VALUES (1);")
        .unwrap();
    let before = file_hash(&other);
    assert!(matches!(
        Workspace::open(&other, "t"),
        Err(StoreError::NotWorkspace(_))
    ));
    assert_eq!(file_hash(&other), before);
    assert!(!dir.path().join("other.sqlite-wal").exists());
    // A damaged workspace: the header survives, the rest is garbage.
    let damaged = dir.path().join("damaged.sqlite");
    drop(open(&damaged));
    let mut bytes = std::fs::read(&damaged).unwrap();
    for b in bytes.iter_mut().skip(100) {
        *b = 0xA5;
    }
    std::fs::write(&damaged, &bytes).unwrap();
    let before = file_hash(&damaged);
    let err = Workspace::open(&damaged, "t").err().expect("refused");
    assert!(
        matches!(
            err,
            StoreError::Damaged { .. } | StoreError::NotWorkspace(_)
        ),
        "{err}"
    );
    assert_eq!(file_hash(&damaged), before);
}

#[test]
fn evidence_round_trips_byte_exact_and_is_deduplicated() {
    let dir = tempdir();
    let mut ws = open(&dir.path().join("ws.sqlite"));
    let (_, _, a) = commune_with_assessment(&mut ws);
    let bytes: Vec<u8> = (0..300_000u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    let scan = dir.path().join("Biên bản họp.pdf");
    std::fs::write(&scan, &bytes).unwrap();
    let copy = dir.path().join("ban-sao.pdf");
    std::fs::write(&copy, &bytes).unwrap();
    let first = evidence::add_files(&mut ws, a, &["1.1".into()], &[scan.as_path()]).unwrap();
    let second = evidence::add_files(&mut ws, a, &["2.1".into()], &[copy.as_path()]).unwrap();
    assert!(first[0].1.is_new);
    assert!(!second[0].1.is_new, "same bytes are stored once");
    assert_eq!(first[0].1.id, second[0].1.id);
    assert_eq!(first[0].1.code, "TC01-01");
    let list = ws.evidence(a).unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!(list[0].indicators, vec!["1.1", "2.1"]);
    assert_eq!(list[0].file_name, "Biên bản họp.pdf");
    assert_eq!(list[0].media_type, "application/pdf");
    assert_eq!(ws.evidence_bytes(list[0].id).unwrap(), bytes);
    let blobs: i64 = Connection::open(ws.path())
        .unwrap()
        .query_row("SELECT count(*) FROM blobs", [], |r| r.get(0))
        .unwrap();
    assert_eq!(blobs, 1);
    let photo = dir.path().join("anh.jpg");
    std::fs::write(&photo, b"\xff\xd8\xff\xe0 not really a photo").unwrap();
    let third = evidence::add_files(&mut ws, a, &["1.2".into()], &[photo.as_path()]).unwrap();
    assert_eq!(third[0].1.code, "TC01-02");
    assert_eq!(ws.evidence_counts(a).unwrap().get("1.1"), Some(&1));
    assert!(ws.corrupt_blobs().unwrap().is_empty());
}

#[test]
fn check_finds_evidence_whose_bytes_changed() {
    let dir = tempdir();
    let path = dir.path().join("ws.sqlite");
    let mut ws = open(&path);
    let (_, _, a) = commune_with_assessment(&mut ws);
    let f = dir.path().join("a.txt");
    std::fs::write(&f, "nội dung gốc").unwrap();
    evidence::add_files(&mut ws, a, &["1.1".into()], &[f.as_path()]).unwrap();
    drop(ws);
    Connection::open(&path)
        .unwrap()
        .execute_batch("UPDATE blobs SET data = X'00'")
        .unwrap();
    let ws = open(&path);
    assert_eq!(ws.corrupt_blobs().unwrap().len(), 1);
}

#[test]
fn unknown_indicator_or_missing_file_adds_no_evidence() {
    let dir = tempdir();
    let mut ws = open(&dir.path().join("ws.sqlite"));
    let (_, _, a) = commune_with_assessment(&mut ws);
    let f = dir.path().join("a.txt");
    std::fs::write(&f, "x").unwrap();
    assert!(evidence::add_files(&mut ws, a, &["9.9".into()], &[f.as_path()]).is_err());
    let missing = dir.path().join("khong-co.pdf");
    assert!(
        evidence::add_files(
            &mut ws,
            a,
            &["1.1".into()],
            &[f.as_path(), missing.as_path()]
        )
        .is_err()
    );
    assert!(ws.evidence(a).unwrap().is_empty());
}

#[test]
fn lineage_of_a_merged_commune() {
    let dir = tempdir();
    let mut ws = open(&dir.path().join("ws.sqlite"));
    let p = app::units::add(&mut ws, &form("Tỉnh A", "tinh", None)).unwrap();
    let old1 = app::units::add(&mut ws, &form("Xã Cũ Một", "xa", Some(p))).unwrap();
    let old2 = app::units::add(&mut ws, &form("Xã Cũ Hai", "xa", Some(p))).unwrap();
    let merged = app::units::add(
        &mut ws,
        &UnitForm {
            merged_from: vec![old1.to_string(), old2.to_string()],
            ..form("Xã Mới", "xa", Some(p))
        },
    )
    .unwrap();
    assert_eq!(
        ws.unit(merged).unwrap().unwrap().merged_from,
        vec![old1, old2]
    );
    // A village cannot be a former commune; a unit cannot merge from itself.
    let v = app::units::add(&mut ws, &form("Thôn 1", "thon", Some(merged))).unwrap();
    assert!(
        app::units::add(
            &mut ws,
            &UnitForm {
                merged_from: vec![v.to_string()],
                ..form("Xã X", "xa", Some(p))
            }
        )
        .is_err()
    );
    assert!(
        app::units::update(
            &mut ws,
            merged,
            &UnitForm {
                merged_from: vec![merged.to_string()],
                ..form("Xã Mới", "xa", Some(p))
            }
        )
        .is_err()
    );
    // Hierarchy rules.
    assert!(app::units::add(&mut ws, &form("Thôn lạc", "thon", Some(p))).is_err());
    assert!(app::units::add(&mut ws, &form("Huyện mồ côi", "huyen", None)).is_err());
}

#[test]
fn an_old_assessment_is_unchanged_after_its_edition_is_edited() {
    let dir = tempdir();
    let mut ws = open(&dir.path().join("ws.sqlite"));
    let (_, _, a) = commune_with_assessment(&mut ws);
    let values = dir.path().join("v.csv");
    std::fs::write(&values, "indicator,numerator,denominator\n1.1,78,100\n").unwrap();
    app::values_import::import(&mut ws, a, &values).unwrap();
    let today = CivilDate::new(2025, 6, 1).unwrap();
    let before = assessment::load(&ws, a, today).unwrap();
    assert_eq!(
        before.status.criteria[0].indicators[0].verdict.code(),
        "chua_dat"
    );
    // The province lowers 1.1 to 75 % and renames the criterion.
    let edited = std::fs::read_to_string(fixture_path())
        .unwrap()
        .replacen("value = 80", "value = 75", 1)
        .replace("name = \"Hạ tầng\"", "name = \"Hạ tầng (sửa)\"");
    let edited_path = dir.path().join("edited.toml");
    std::fs::write(&edited_path, edited).unwrap();
    let (_, changed) = catalog::import(&mut ws, &edited_path).unwrap();
    assert!(changed);
    let after = assessment::load(&ws, a, today).unwrap();
    assert_eq!(
        after.status, before.status,
        "the old assessment keeps its pinned edition"
    );
    // A new assessment uses the edited edition.
    let (_, commune, _) = (0, after.unit.id, 0);
    let b = assessment::create(&mut ws, commune, "thu-nghiem-xa", "ntm", 2026).unwrap();
    app::values_import::import(&mut ws, b, &values).unwrap();
    let new = assessment::load(&ws, b, today).unwrap();
    assert_eq!(new.status.criteria[0].name, "Hạ tầng (sửa)");
    assert_eq!(new.status.criteria[0].indicators[0].verdict.code(), "dat");
}

#[test]
fn opening_takes_rolling_backups_only_when_something_changed() {
    let dir = tempdir();
    let path = dir.path().join("ws.sqlite");
    drop(open(&path));
    let ws = open(&path);
    assert_eq!(ws.backups().len(), 1);
    drop(ws);
    let ws = open(&path);
    assert_eq!(
        ws.backups().len(),
        1,
        "nothing changed since the last backup"
    );
    drop(ws);
    for i in 0..7 {
        let mut ws = open(&path);
        app::units::add(&mut ws, &form(&format!("Tỉnh {i}"), "tinh", None)).unwrap();
    }
    let ws = open(&path);
    assert_eq!(ws.backups().len(), ntm_dossier::store::BACKUPS_KEPT);
    // The newest backup restores into a workspace that opens.
    let copy = dir.path().join("restored.sqlite");
    app::backup::restore(&path, 1, &copy).unwrap();
    assert_eq!(open(&copy).units().unwrap().len(), 7);
}

#[test]
fn every_change_is_in_the_audit_log() {
    let dir = tempdir();
    let mut ws = open(&dir.path().join("ws.sqlite"));
    let (_, _, a) = commune_with_assessment(&mut ws);
    let values = dir.path().join("v.csv");
    std::fs::write(
        &values,
        "indicator,numerator,denominator,verdict,reason\n1.1,78,100,co_ban_dat,Đang thi công\n",
    )
    .unwrap();
    app::values_import::import(&mut ws, a, &values).unwrap();
    let log = ws.audit_log(100).unwrap();
    let entry = |field: &str| {
        log.iter()
            .find(|e| e.entity == "chi_tieu" && e.field == field)
            .cloned()
    };
    assert_eq!(entry("tu_so").unwrap().new_value.as_deref(), Some("78"));
    assert_eq!(
        entry("ket_qua_thu_cong").unwrap().new_value.as_deref(),
        Some("co_ban_dat")
    );
    assert_eq!(
        entry("ly_do").unwrap().new_value.as_deref(),
        Some("Đang thi công")
    );
    assert!(log.iter().all(|e| e.user == ws.user()));
    assert!(log.iter().any(|e| e.entity == "don_vi"));
    std::fs::write(&values, "indicator,numerator,denominator\n1.1,81,100\n").unwrap();
    app::values_import::import(&mut ws, a, &values).unwrap();
    let log = ws.audit_log(100).unwrap();
    let change = log.iter().find(|e| e.field == "tu_so").unwrap();
    assert_eq!(
        (change.old_value.as_deref(), change.new_value.as_deref()),
        (Some("78"), Some("81"))
    );
}
