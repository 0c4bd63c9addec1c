//! A stored code that no version of the program writes (a file changed by another tool,
//! or damaged) is an error naming the table, row and column, never read as a default.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::too_many_lines,
    reason = "tests and benchmarks fail loudly by design"
)]

mod common;

use common::*;
use ntm_dossier::app::{self, assessment};
use std::path::Path;

/// Builds a workspace with a province, a commune and an assessment, then changes it with
/// raw SQL (check constraints off, as another tool could) and reopens it.
fn corrupted(dir: &Path, sql: &str) -> (ntm_dossier::app::Workspace, i64) {
    let db = dir.join("ws.sqlite");
    let mut ws = open(&db);
    let (_, _, a) = commune_with_assessment(&mut ws);
    drop(ws);
    let conn = rusqlite::Connection::open(&db).unwrap();
    conn.execute_batch(&format!("PRAGMA ignore_check_constraints = ON; {sql}"))
        .unwrap();
    drop(conn);
    (open(&db), a.0)
}

/// The value a column still holds, read with raw SQL: the failed read changed nothing.
fn stored(ws: &ntm_dossier::app::Workspace, sql: &str) -> String {
    let conn = rusqlite::Connection::open(ws.path()).unwrap();
    conn.query_row(sql, [], |r| r.get::<_, String>(0)).unwrap()
}

fn load_error(ws: &ntm_dossier::app::Workspace, id: i64) -> String {
    match assessment::load(ws, ntm_dossier::domain::ids::AssessmentId(id), app::today()) {
        Ok(_) => panic!("a corrupt value was read as a default"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn r_unknown_target_in_db_became_ntm() {
    let dir = tempdir();
    let (ws, a) = corrupted(dir.path(), "UPDATE assessments SET target = 'ntm-xyz';");
    let e = load_error(&ws, a);
    assert!(
        e.contains(&format!(
            "bảng assessments, dòng {a}, cột target: «ntm-xyz»"
        )),
        "{e}"
    );
}

#[test]
fn r_unknown_verdict_in_db_dropped_the_criterion_rating() {
    let dir = tempdir();
    let (ws, a) = corrupted(
        dir.path(),
        "INSERT INTO criterion_ratings(assessment_id, criterion_number, verdict, reason) \
         VALUES (1, 2, 'gan_dat', 'lý do');",
    );
    let e = load_error(&ws, a);
    assert!(
        e.contains("bảng criterion_ratings, dòng 2, cột verdict: «gan_dat»"),
        "{e}"
    );
}

#[test]
fn r_unreadable_posting_in_db_was_dropped_from_the_conditions() {
    let dir = tempdir();
    let (ws, a) = corrupted(
        dir.path(),
        "INSERT INTO postings(id, assessment_id, place, posted_on, medium) \
         VALUES (7, 1, 'Nhà văn hóa', 'hôm qua', 'nha_van_hoa');",
    );
    let e = load_error(&ws, a);
    assert!(
        e.contains("bảng postings, dòng 7, cột posted_on: «hôm qua»"),
        "{e}"
    );
}

#[test]
fn r_unknown_region_in_db_was_read_as_no_region() {
    let dir = tempdir();
    let (ws, a) = corrupted(
        dir.path(),
        "UPDATE units SET region = 'mien-xyz' WHERE id = 1;",
    );
    let e = load_error(&ws, a);
    assert!(
        e.contains("bảng units, dòng 1, cột region: «mien-xyz»"),
        "{e}"
    );
    assert_eq!(
        stored(&ws, "SELECT region FROM units WHERE id = 1"),
        "mien-xyz"
    );
}

#[test]
fn r_unknown_commune_group_in_db_was_read_as_no_group() {
    let dir = tempdir();
    let (ws, a) = corrupted(
        dir.path(),
        "UPDATE units SET commune_group = 'nhom-9' WHERE id = 2;",
    );
    let e = load_error(&ws, a);
    assert!(
        e.contains("bảng units, dòng 2, cột commune_group: «nhom-9»"),
        "{e}"
    );
    assert_eq!(
        stored(&ws, "SELECT commune_group FROM units WHERE id = 2"),
        "nhom-9"
    );
}

#[test]
fn unknown_unit_kind_in_db_names_the_row() {
    let dir = tempdir();
    let (ws, _) = corrupted(dir.path(), "UPDATE units SET kind = 'lang' WHERE id = 2;");
    let e = match app::units::list(&ws) {
        Ok(_) => panic!("a unit of unknown level was read"),
        Err(e) => e.to_string(),
    };
    assert!(e.contains("bảng units, dòng 2, cột kind: «lang»"), "{e}");
    assert_eq!(stored(&ws, "SELECT kind FROM units WHERE id = 2"), "lang");
}
