//! The command-line faces of use cases the window had first: `values criterion` (a whole
//! criterion rated with a reason) and `evidence link|unlink`. They call the same
//! `app::commands` functions as the window, so the same rules hold; a refusal changes
//! nothing.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::too_many_lines,
    reason = "tests and benchmarks fail loudly by design"
)]

mod common;

use common::*;
use serde_json::Value;
use std::path::{Path, PathBuf};

/// A workspace with a commune, an assessment (its number) and, in `dir`, nothing else.
fn setup() -> (tempfile::TempDir, PathBuf, String) {
    let dir = tempdir();
    let db = dir.path().join("ws.sqlite");
    let mut ws = open(&db);
    let (_, _, a) = commune_with_assessment(&mut ws);
    drop(ws);
    (dir, db, a.to_string())
}

fn status(db: &Path, a: &str) -> Value {
    serde_json::from_str(&ok(db, &["status", a, "--json"])).unwrap()
}

fn criterion(v: &Value, number: u64) -> &Value {
    v["criteria"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["number"] == number)
        .unwrap()
}

fn evidence_count(v: &Value, code: &str) -> u64 {
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

#[test]
fn values_criterion_rates_and_clears_a_whole_criterion() {
    let (_dir, db, a) = setup();
    let out = ok(
        &db,
        &[
            "values",
            "criterion",
            &a,
            "--number",
            "2",
            "--verdict",
            "chua_dat",
            "--reason",
            "Theo biên bản kiểm tra",
        ],
    );
    assert!(
        out.contains(
            "Đã ghi kết luận tiêu chí 2 của đợt đánh giá số 1: Chưa đạt — Theo biên bản kiểm tra."
        ),
        "{out}"
    );
    let v = status(&db, &a);
    assert_eq!(criterion(&v, 2)["verdict"], "chua_dat");
    assert_eq!(criterion(&v, 2)["manual_reason"], "Theo biên bản kiểm tra");
    let out = ok(&db, &["values", "criterion", &a, "--number", "2"]);
    assert!(
        out.contains("Đã bỏ kết luận thủ công của tiêu chí 2"),
        "{out}"
    );
    assert_eq!(criterion(&status(&db, &a), 2)["manual_reason"], Value::Null);
}

#[test]
fn values_criterion_refusals_change_nothing() {
    let (_dir, db, a) = setup();
    let before = status(&db, &a);
    let cases: [(&[&str], &str); 4] = [
        (
            &["--number", "99", "--verdict", "dat", "--reason", "vì"],
            "Không có tiêu chí số 99 trong bộ tiêu chí thu-nghiem-xa",
        ),
        (
            &["--number", "1", "--verdict", "gan_dat", "--reason", "vì"],
            "Kết quả «gan_dat» không hợp lệ: dùng dat, co_ban_dat hoặc chua_dat.",
        ),
        (
            &["--number", "1", "--verdict", "dat", "--reason", "   "],
            "Đánh giá cả tiêu chí cần có lý do.",
        ),
        (&["--number", "1", "--verdict", "dat"], "thiếu --reason"),
    ];
    for (args, expect) in cases {
        let mut all = vec!["values", "criterion", a.as_str()];
        all.extend_from_slice(args);
        let err = fails(&db, &all);
        assert!(err.contains(expect), "{args:?}: {err}");
    }
    assert_eq!(status(&db, &a), before);
}

#[test]
fn evidence_link_and_unlink_by_the_code_evidence_list_prints() {
    let (dir, db, a) = setup();
    let pdf = dir.path().join("biên bản.pdf");
    std::fs::write(&pdf, b"%PDF-1.4 bien ban").unwrap();
    ok(
        &db,
        &[
            "evidence",
            "add",
            &a,
            "--indicator",
            "1.1",
            pdf.to_str().unwrap(),
        ],
    );
    let out = ok(
        &db,
        &["evidence", "link", &a, "TC01-01", "--indicator", "2.1"],
    );
    assert!(
        out.contains("Đã gắn minh chứng TC01-01 — biên bản.pdf vào chỉ tiêu 2.1."),
        "{out}"
    );
    let v = status(&db, &a);
    assert_eq!(
        (evidence_count(&v, "1.1"), evidence_count(&v, "2.1")),
        (1, 1)
    );
    let out = ok(
        &db,
        &["evidence", "unlink", &a, "TC01-01", "--indicator", "1.1"],
    );
    assert!(
        out.contains("khỏi chỉ tiêu 1.1; tệp vẫn được giữ."),
        "{out}"
    );
    let v = status(&db, &a);
    assert_eq!(
        (evidence_count(&v, "1.1"), evidence_count(&v, "2.1")),
        (0, 1)
    );
    assert!(ok(&db, &["evidence", "list", &a]).contains("TC01-01"));
}

#[test]
fn evidence_link_refusals_change_nothing() {
    let (dir, db, a) = setup();
    let pdf = dir.path().join("biên bản.pdf");
    std::fs::write(&pdf, b"%PDF-1.4 bien ban").unwrap();
    ok(
        &db,
        &[
            "evidence",
            "add",
            &a,
            "--indicator",
            "1.1",
            pdf.to_str().unwrap(),
        ],
    );
    let before = ok(&db, &["evidence", "list", &a]);
    let err = fails(
        &db,
        &["evidence", "link", &a, "TC01-01", "--indicator", "9.9"],
    );
    assert!(
        err.contains("Không gắn được tệp vào chỉ tiêu «9.9» của đợt đánh giá số 1."),
        "{err}"
    );
    let err = fails(
        &db,
        &["evidence", "link", &a, "TC07-07", "--indicator", "2.1"],
    );
    assert!(
        err.contains("Không có minh chứng «TC07-07» trong đợt đánh giá số 1.")
            && err.contains("evidence list"),
        "{err}"
    );
    assert_eq!(ok(&db, &["evidence", "list", &a]), before);
}
