//! The JSON of `status --json` and `rollup --json` is a contract with scripts: snapshots
//! (tests/snapshots/) of both on a workspace built through the command line with fixed
//! years and values. A change to either output shows up here as a snapshot diff.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::too_many_lines,
    reason = "tests and benchmarks fail loudly by design"
)]

mod common;

use common::*;

/// Province, a commune of it with an official code, the fixture edition, an assessment
/// for 2025 and values for six indicators; returns the database, province and
/// assessment ids.
fn built(dir: &std::path::Path) -> (std::path::PathBuf, String, String) {
    let db = dir.join("ws.sqlite");
    let id = |out: String| out.trim().to_string();
    let province = id(ok(
        &db,
        &[
            "unit",
            "add",
            "--name",
            "Tỉnh Thử",
            "--kind",
            "tinh",
            "--region",
            "dbsh",
        ],
    ));
    let commune = id(ok(
        &db,
        &[
            "unit",
            "add",
            "--name",
            "Xã Đông Hòa",
            "--kind",
            "xa",
            "--parent",
            &province,
            "--group",
            "2",
            "--code",
            "12345",
        ],
    ));
    ok(
        &db,
        &["catalog", "import", fixture_path().to_str().unwrap()],
    );
    let assessment = id(ok(
        &db,
        &[
            "assessment",
            "new",
            "--unit",
            &commune,
            "--edition",
            "thu-nghiem-xa",
            "--target",
            "ntm",
            "--year",
            "2025",
        ],
    ));
    let csv = dir.join("gia-tri.csv");
    std::fs::write(
        &csv,
        "indicator;numerator;denominator;value;verdict;reason;note\n\
         1.1;1.234,5;1.500;;;;Số liệu phòng Kinh tế\n1.2;;;dat;;;\n2.1;;;70,5;;;\n\
         3.1;;;6;;;\n3.2;;;hoan thanh tot nhiem vu;;;\n\
         2.2;;;;co_ban_dat;Chưa có ngưỡng vùng, hội đồng xem xét;\n",
    )
    .unwrap();
    ok(
        &db,
        &["values", "import", &assessment, csv.to_str().unwrap()],
    );
    (db, province, assessment)
}

/// Parsed, so that a snapshot compares the JSON values, not the spacing.
fn json(text: &str) -> serde_json::Value {
    serde_json::from_str(text).unwrap()
}

#[test]
fn status_json_is_a_contract() {
    let dir = tempdir();
    let (db, _, assessment) = built(dir.path());
    let v = json(&ok(&db, &["status", &assessment, "--json"]));
    insta::assert_json_snapshot!("status_json", v);
}

#[test]
fn rollup_json_is_a_contract() {
    let dir = tempdir();
    let (db, province, _) = built(dir.path());
    let v = json(&ok(&db, &["rollup", &province, "--json"]));
    insta::assert_json_snapshot!("rollup_json", v);
}

#[test]
fn rollup_pdf_from_the_command_line_reads_back() {
    let dir = tempdir();
    let (db, province, _) = built(dir.path());
    let pdf = dir.path().join("bao-cao.pdf");
    ok(&db, &["rollup", &province, "--pdf", pdf.to_str().unwrap()]);
    let out = std::process::Command::new("pdftotext")
        .arg(&pdf)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils, installed by scripts/install-deps.sh)");
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout)
        .unwrap()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    assert!(text.contains("Xã Đông Hòa"), "{text}");
    assert!(text.contains("ỦY BAN NHÂN DÂN TỈNH THỬ"), "{text}");
}
