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

/// A value row of indicator 2.1 with `column` set to `value` by raw SQL.
fn value_row(column: &str, value: &str) -> String {
    format!(
        "INSERT INTO indicator_values(assessment_id, indicator_code, manual_reason, updated_at, {column}) \
         VALUES (1, '2.1', 'lý do', '2026-01-01T00:00:00Z', '{value}');"
    )
}

#[test]
fn r_unknown_manual_verdict_in_db_was_dropped() {
    let dir = tempdir();
    let (ws, a) = corrupted(dir.path(), &value_row("manual_verdict", "gan_dat"));
    let e = load_error(&ws, a);
    assert!(
        e.contains("bảng indicator_values, dòng 1, cột manual_verdict: «gan_dat»"),
        "{e}"
    );
    assert_eq!(
        stored(&ws, "SELECT manual_verdict FROM indicator_values"),
        "gan_dat"
    );
}

#[test]
fn r_unreadable_deadline_in_db_was_read_as_no_deadline() {
    let dir = tempdir();
    let (ws, a) = corrupted(dir.path(), &value_row("deadline", "cuối tháng"));
    let e = load_error(&ws, a);
    assert!(
        e.contains("bảng indicator_values, dòng 1, cột deadline: «cuối tháng»"),
        "{e}"
    );
    assert_eq!(
        stored(&ws, "SELECT deadline FROM indicator_values"),
        "cuối tháng"
    );
}

#[test]
fn unreadable_data_date_in_db_names_the_row() {
    let dir = tempdir();
    let (ws, a) = corrupted(dir.path(), &value_row("data_date", "31/02/2026"));
    let e = load_error(&ws, a);
    assert!(
        e.contains("bảng indicator_values, dòng 1, cột data_date: «31/02/2026»"),
        "{e}"
    );
}

#[test]
fn unknown_computed_verdict_in_db_names_the_row() {
    let dir = tempdir();
    let (ws, a) = corrupted(dir.path(), &value_row("computed_verdict", "DAT!"));
    let e = load_error(&ws, a);
    assert!(
        e.contains("bảng indicator_values, dòng 1, cột computed_verdict: «DAT!»"),
        "{e}"
    );
}

#[test]
fn r_malformed_indicator_code_in_db_was_ignored() {
    let dir = tempdir();
    let (ws, a) = corrupted(
        dir.path(),
        "INSERT INTO indicator_values(assessment_id, indicator_code, updated_at) \
         VALUES (1, '2.x', '2026-01-01T00:00:00Z');",
    );
    let e = load_error(&ws, a);
    assert!(
        e.contains("bảng indicator_values, dòng 1, cột indicator_code: «2.x»"),
        "{e}"
    );
}

#[test]
fn r_unknown_debt_status_in_db_was_read_as_not_entered() {
    let dir = tempdir();
    let (ws, a) = corrupted(
        dir.path(),
        "UPDATE conditions SET debt_status = 'no_xau' WHERE assessment_id = 1;",
    );
    let e = load_error(&ws, a);
    assert!(
        e.contains(&format!(
            "bảng conditions, dòng {a}, cột debt_status: «no_xau»"
        )),
        "{e}"
    );
    assert_eq!(
        stored(
            &ws,
            "SELECT debt_status FROM conditions WHERE assessment_id = 1"
        ),
        "no_xau"
    );
}

#[test]
fn r_unknown_security_status_in_db_was_read_as_not_entered() {
    let dir = tempdir();
    let (ws, a) = corrupted(
        dir.path(),
        "UPDATE conditions SET security_status = 'bat_on' WHERE assessment_id = 1;",
    );
    let e = load_error(&ws, a);
    assert!(
        e.contains(&format!(
            "bảng conditions, dòng {a}, cột security_status: «bat_on»"
        )),
        "{e}"
    );
}

#[test]
fn unknown_posting_medium_in_db_names_the_row() {
    let dir = tempdir();
    let (ws, a) = corrupted(
        dir.path(),
        "INSERT INTO postings(id, assessment_id, place, posted_on, medium) \
         VALUES (8, 1, 'Nhà văn hóa', '2026-01-05', 'loa_keo');",
    );
    let e = load_error(&ws, a);
    assert!(
        e.contains("bảng postings, dòng 8, cột medium: «loa_keo»"),
        "{e}"
    );
}

#[test]
fn r_unknown_rating_verdict_was_dropped_from_the_roll_up() {
    let dir = tempdir();
    let (ws, _) = corrupted(
        dir.path(),
        "INSERT INTO criterion_ratings(assessment_id, criterion_number, verdict, reason) \
         VALUES (1, 2, 'gan_dat', 'lý do');",
    );
    let province = ntm_dossier::domain::ids::UnitId(1);
    let e = match ntm_dossier::app::report::rollup(&ws, province, app::today()) {
        Ok(_) => panic!("the roll-up read a corrupt rating as no rating"),
        Err(e) => e.to_string(),
    };
    assert!(
        e.contains("bảng criterion_ratings, dòng 2, cột verdict: «gan_dat»"),
        "{e}"
    );
}

#[test]
fn r_unknown_plan_target_in_db_was_read_as_no_plan() {
    let dir = tempdir();
    let (ws, _) = corrupted(
        dir.path(),
        "INSERT INTO unit_plans(unit_id, target, target_year, dossier_deadline) \
         VALUES (2, 'ntm-xyz', 2026, '2026-05-31');",
    );
    let e = ws
        .unit_plan(ntm_dossier::domain::ids::UnitId(2))
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("bảng unit_plans, dòng 2, cột target: «ntm-xyz»"),
        "{e}"
    );
    assert_eq!(
        stored(&ws, "SELECT target FROM unit_plans WHERE unit_id = 2"),
        "ntm-xyz"
    );
}

#[test]
fn r_unreadable_plan_deadline_in_db_was_read_as_no_deadline() {
    let dir = tempdir();
    let (ws, _) = corrupted(
        dir.path(),
        "INSERT INTO unit_plans(unit_id, dossier_deadline) VALUES (1, 'tháng 5');",
    );
    let e = ws.unit_plans().unwrap_err().to_string();
    assert!(
        e.contains("bảng unit_plans, dòng 1, cột dossier_deadline: «tháng 5»"),
        "{e}"
    );
}

#[test]
fn unreadable_recognition_date_names_the_row() {
    let dir = tempdir();
    let (ws, _) = corrupted(
        dir.path(),
        "INSERT INTO unit_recognitions(id, unit_id, target, decision, decided_on, created_at) \
         VALUES (5, 2, 'ntm', '12/QĐ-UBND', 'năm ngoái', '2026-01-01T00:00:00Z');",
    );
    let e = ws.recognitions().unwrap_err().to_string();
    assert!(
        e.contains("bảng unit_recognitions, dòng 5, cột decided_on: «năm ngoái»"),
        "{e}"
    );
}

#[test]
fn unknown_recognition_target_names_the_row() {
    let dir = tempdir();
    let (ws, _) = corrupted(
        dir.path(),
        "INSERT INTO unit_recognitions(id, unit_id, target, decision, decided_on, created_at) \
         VALUES (6, 2, 'sieu-ntm', '13/QĐ-UBND', '2025-12-15', '2026-01-01T00:00:00Z');",
    );
    let e = ws
        .recognitions_of(ntm_dossier::domain::ids::UnitId(2))
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("bảng unit_recognitions, dòng 6, cột target: «sieu-ntm»"),
        "{e}"
    );
}

#[test]
fn r_unknown_review_verdict_in_db_was_handed_on() {
    let dir = tempdir();
    let (ws, a) = corrupted(
        dir.path(),
        "INSERT INTO review_criteria(assessment_id, criterion_number, verdict, comment) \
         VALUES (1, 3, 'gan_dat', '');",
    );
    let e = ws
        .review(ntm_dossier::domain::ids::AssessmentId(a))
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("bảng review_criteria, dòng 3, cột verdict: «gan_dat»"),
        "{e}"
    );
}

#[test]
fn r_malformed_review_request_code_in_db_was_handed_on() {
    let dir = tempdir();
    let (ws, a) = corrupted(
        dir.path(),
        "INSERT INTO review_requests(id, assessment_id, indicator_code, request) \
         VALUES (4, 1, 'x.1', 'Bổ sung biên bản');",
    );
    let e = ws
        .review(ntm_dossier::domain::ids::AssessmentId(a))
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("bảng review_requests, dòng 4, cột indicator_code: «x.1»"),
        "{e}"
    );
}

#[test]
fn malformed_edition_code_in_db_names_the_row() {
    let dir = tempdir();
    let (ws, _) = corrupted(
        dir.path(),
        "UPDATE editions SET code = 'Bộ Mới!' WHERE code = 'thu-nghiem-xa';",
    );
    let e = ws.editions().unwrap_err().to_string();
    assert!(e.contains("cột code: «Bộ Mới!»"), "{e}");
    assert!(e.contains("bảng editions, dòng "), "{e}");
}

#[test]
fn unknown_trusted_key_role_names_the_row() {
    let dir = tempdir();
    let (ws, _) = corrupted(
        dir.path(),
        "INSERT INTO trusted_keys(rowid, role, subject, public_key, enrolled_at) \
         VALUES (3, 'tinh', '', 'abcd', '2026-01-01T00:00:00Z');",
    );
    let e = match ntm_dossier::app::keys::enrolled(&ws) {
        Ok(_) => panic!("a key of unknown role was listed"),
        Err(e) => e.to_string(),
    };
    assert!(
        e.contains("bảng trusted_keys, dòng 3, cột role: «tinh»"),
        "{e}"
    );
}

#[test]
fn r_malformed_assessment_edition_code_in_db_was_handed_on_as_text() {
    let dir = tempdir();
    let (ws, a) = corrupted(
        dir.path(),
        "UPDATE assessments SET edition_code = 'Bộ Mới!' WHERE id = 1;",
    );
    let e = load_error(&ws, a);
    assert!(
        e.contains(&format!(
            "bảng assessments, dòng {a}, cột edition_code: «Bộ Mới!»"
        )),
        "{e}"
    );
    let e = ws.assessments().unwrap_err().to_string();
    assert!(e.contains("cột edition_code: «Bộ Mới!»"), "{e}");
    assert_eq!(
        stored(&ws, "SELECT edition_code FROM assessments WHERE id = 1"),
        "Bộ Mới!"
    );
}

/// An evidence file of assessment 1 with `column` set to `value` by raw SQL (row 9).
fn evidence_row(column: &str, value: &str) -> String {
    let sha = "ab".repeat(32);
    format!(
        "INSERT INTO blobs(sha256, size, data) VALUES ('{sha}', 3, x'010203'); \
         INSERT INTO evidence(id, assessment_id, sha256, file_name, media_type, evidence_code, added_at) \
         VALUES (9, 1, '{sha}', 'bien-ban.pdf', 'application/pdf', 'TC01-01', '2026-01-01T00:00:00Z'); \
         INSERT INTO evidence_links(evidence_id, indicator_code) VALUES (9, '1.1'); \
         UPDATE evidence SET {column} = '{value}' WHERE id = 9;"
    )
}

fn evidence_error(ws: &ntm_dossier::app::Workspace, a: i64) -> String {
    match ws.evidence(ntm_dossier::domain::ids::AssessmentId(a)) {
        Ok(_) => panic!("a corrupt evidence row was read"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn r_unreadable_evidence_document_date_was_shown_as_no_date() {
    let dir = tempdir();
    let (ws, a) = corrupted(dir.path(), &evidence_row("doc_date", "tháng 3"));
    let e = evidence_error(&ws, a);
    assert!(
        e.contains("bảng evidence, dòng 9, cột doc_date: «tháng 3»"),
        "{e}"
    );
    assert_eq!(
        stored(&ws, "SELECT doc_date FROM evidence WHERE id = 9"),
        "tháng 3"
    );
}

#[test]
fn malformed_evidence_hash_in_db_names_the_row() {
    let dir = tempdir();
    let bad = "AB".repeat(32);
    let (ws, a) = corrupted(
        dir.path(),
        &format!(
            "PRAGMA foreign_keys = OFF; {} \
             INSERT INTO blobs(sha256, size, data) VALUES ('{bad}', 3, x'010203');",
            evidence_row("sha256", &bad)
        ),
    );
    let e = evidence_error(&ws, a);
    assert!(
        e.contains(&format!("bảng evidence, dòng 9, cột sha256: «{bad}»")),
        "{e}"
    );
    let e = ws.blobs_without_preview().unwrap_err().to_string();
    assert!(
        e.contains(&format!("bảng evidence, dòng 9, cột sha256: «{bad}»")),
        "{e}"
    );
}

#[test]
fn r_malformed_evidence_link_code_in_db_was_handed_on_as_text() {
    let dir = tempdir();
    let (ws, a) = corrupted(
        dir.path(),
        &format!(
            "{} INSERT INTO evidence_links(rowid, evidence_id, indicator_code) VALUES (12, 9, '1.x');",
            evidence_row("doc_number", "12/BC")
        ),
    );
    let e = evidence_error(&ws, a);
    assert!(
        e.contains("bảng evidence_links, dòng 12, cột indicator_code: «1.x»"),
        "{e}"
    );
    assert_eq!(
        stored(
            &ws,
            "SELECT indicator_code FROM evidence_links WHERE rowid = 12"
        ),
        "1.x"
    );
}

#[test]
fn malformed_evidence_code_in_db_names_the_row() {
    let dir = tempdir();
    let (ws, a) = corrupted(dir.path(), &evidence_row("evidence_code", "  "));
    let e = evidence_error(&ws, a);
    assert!(
        e.contains("bảng evidence, dòng 9, cột evidence_code: «  »"),
        "{e}"
    );
}

#[test]
fn malformed_evidence_media_type_in_db_names_the_row() {
    let dir = tempdir();
    let (ws, a) = corrupted(dir.path(), &evidence_row("media_type", "ảnh/jpeg"));
    let e = evidence_error(&ws, a);
    assert!(
        e.contains("bảng evidence, dòng 9, cột media_type: «ảnh/jpeg»"),
        "{e}"
    );
}

#[test]
fn r_unreadable_dossier_date_in_db_was_shown_as_no_date() {
    let dir = tempdir();
    let (ws, a) = corrupted(
        dir.path(),
        "INSERT INTO dossier_settings(rowid, assessment_id, key, value) VALUES (4, 1, 'ngay', 'mai');",
    );
    let e = match app::dossier::settings(&ws, ntm_dossier::domain::ids::AssessmentId(a)) {
        Ok(_) => panic!("an unreadable dossier date was read as no date"),
        Err(e) => e.to_string(),
    };
    assert!(
        e.contains("bảng dossier_settings, dòng 4, cột value: «mai»"),
        "{e}"
    );
    assert_eq!(
        stored(&ws, "SELECT value FROM dossier_settings WHERE rowid = 4"),
        "mai"
    );
}

/// The roll-up reads each value borrowed from its row (issue 12) rather than through the
/// one-assessment path: a value that does not read stops it too, naming its row.
#[test]
fn a_value_that_does_not_read_stops_the_roll_up_naming_its_row() {
    let cases = [
        (
            value_row("manual_verdict", "gan_dat"),
            "cột manual_verdict: «gan_dat»",
        ),
        (
            "INSERT INTO indicator_values(assessment_id, indicator_code, updated_at) \
             VALUES (1, '2.x', '2026-01-01T00:00:00Z');"
                .to_string(),
            "cột indicator_code: «2.x»",
        ),
        (
            "INSERT INTO indicator_values(assessment_id, indicator_code, updated_at) \
             VALUES (1, X'FF', '2026-01-01T00:00:00Z');"
                .to_string(),
            "cột indicator_code: «(1 byte dữ liệu nhị phân)»",
        ),
        (
            "INSERT INTO indicator_values(assessment_id, indicator_code, value_text, updated_at) \
             VALUES (1, '1.2', X'00', '2026-01-01T00:00:00Z');"
                .to_string(),
            "cột value_text: «(1 byte dữ liệu nhị phân)»",
        ),
    ];
    for (sql, shown) in cases {
        let dir = tempdir();
        let (ws, _) = corrupted(dir.path(), &sql);
        let province = ntm_dossier::domain::ids::UnitId(1);
        let e = match ntm_dossier::app::report::rollup(&ws, province, app::today()) {
            Ok(_) => panic!("the roll-up read a corrupt value: {sql}"),
            Err(e) => e.to_string(),
        };
        assert!(
            e.contains(&format!("bảng indicator_values, dòng 1, {shown}")),
            "{e}"
        );
    }
}

/// A code stored with spaces around it (another tool wrote it) is read as that code by
/// every read of a value; the roll-up, which finds codes as stored, counts it the same.
#[test]
fn a_code_stored_with_spaces_counts_in_the_roll_up_as_in_the_status() {
    let dir = tempdir();
    let (ws, a) = corrupted(
        dir.path(),
        "INSERT INTO indicator_values(assessment_id, indicator_code, value_number, updated_at) \
            VALUES (1, ' 2.1 ', 70, '2026-01-01T00:00:00Z');
         INSERT INTO indicator_values(assessment_id, indicator_code, value_text, updated_at) \
            VALUES (1, '1.2', 'dat', '2026-01-01T00:00:00Z');",
    );
    let today = app::today();
    let one =
        ntm_dossier::app::report::status(&ws, ntm_dossier::domain::ids::AssessmentId(a), today)
            .unwrap();
    let r =
        ntm_dossier::app::report::rollup(&ws, ntm_dossier::domain::ids::UnitId(1), today).unwrap();
    assert_eq!(one.status.indicators_met, 2);
    assert_eq!(r.communes[0].indicators_met, 2);
    assert_eq!(r.communes[0].criteria_met, one.status.criteria_met);
}
