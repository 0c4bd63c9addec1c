//! The command line as a script would use it: the real binary on a real workspace file.
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
use std::path::Path;
use std::process::Command;

struct Setup {
    _dir: tempfile::TempDir,
    db: std::path::PathBuf,
    dir: std::path::PathBuf,
    province: String,
    commune: String,
    assessment: String,
}

fn setup() -> Setup {
    let dir = tempdir();
    let db = dir.path().join("ws.sqlite");
    let province = ok(
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
    )
    .trim()
    .to_string();
    let commune = ok(
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
    )
    .trim()
    .to_string();
    ok(
        &db,
        &["catalog", "import", fixture_path().to_str().unwrap()],
    );
    let assessment = ok(
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
    )
    .trim()
    .to_string();
    let path = dir.path().to_path_buf();
    Setup {
        _dir: dir,
        db,
        dir: path,
        province,
        commune,
        assessment,
    }
}

fn status(s: &Setup) -> Value {
    serde_json::from_str(&ok(&s.db, &["status", &s.assessment, "--json"])).unwrap()
}

fn indicator<'a>(v: &'a Value, code: &str) -> &'a Value {
    v["criteria"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|c| c["indicators"].as_array().unwrap())
        .find(|i| i["code"] == code)
        .unwrap()
}

#[test]
fn ids_are_printed_alone_for_scripts() {
    let s = setup();
    assert!(
        s.province.parse::<i64>().is_ok()
            && s.commune.parse::<i64>().is_ok()
            && s.assessment.parse::<i64>().is_ok()
    );
    let list = ok(&s.db, &["unit", "list"]);
    assert!(
        list.contains("] Tỉnh Thử")
            && !list.contains("Tỉnh Tỉnh")
            && list.contains("  [")
            && list.contains("Nhóm 2"),
        "{list}"
    );
    assert!(ok(&s.db, &["catalog", "list"]).contains("qd51-2025-xa"));
}

#[test]
fn csv_with_bom_semicolons_and_decimal_commas_imports() {
    let s = setup();
    let csv = s.dir.join("gia-tri.csv");
    std::fs::write(&csv, "\u{feff}indicator;numerator;denominator;value;verdict;reason;note\n1.1;1.234,5;1.500;;;;Số liệu phòng Kinh tế\n1.2;;;dat;;;\n2.1;;;70,5;;;\n3.1;;;6;;;\n3.2;;;hoan thanh tot nhiem vu;;;\n2.2;;;;co_ban_dat;Chưa có ngưỡng vùng, hội đồng xem xét;\n").unwrap();
    let out = ok(
        &s.db,
        &["values", "import", &s.assessment, csv.to_str().unwrap()],
    );
    assert!(out.contains("6 chỉ tiêu"), "{out}");
    let v = status(&s);
    let i11 = indicator(&v, "1.1");
    assert_eq!(i11["numerator"], 1234.5);
    assert_eq!(i11["denominator"], 1500.0);
    assert_eq!(i11["value"], 82.3);
    assert_eq!(i11["verdict"], "dat");
    assert_eq!(i11["threshold"]["text"], "≥ 80 %");
    assert_eq!(i11["threshold"]["verified"], false);
    assert_eq!(indicator(&v, "2.1")["value"], 70.5);
    assert_eq!(indicator(&v, "3.2")["value"], "Hoàn thành tốt nhiệm vụ");
    assert_eq!(indicator(&v, "2.2")["verdict"], "co_ban_dat");
    assert_eq!(v["criteria_met"], 2);
    assert_eq!(v["criteria"][1]["verdict"], "co_ban_dat");
    assert_eq!(v["indicators_met"], 5);
}

#[test]
fn a_broken_values_file_changes_nothing_and_names_each_row() {
    let s = setup();
    let good = s.dir.join("good.csv");
    std::fs::write(&good, "indicator,numerator,denominator\n1.1,50,100\n").unwrap();
    ok(
        &s.db,
        &["values", "import", &s.assessment, good.to_str().unwrap()],
    );
    let before = status(&s);
    let bad = s.dir.join("bad.csv");
    std::fs::write(&bad, "indicator,numerator,denominator,value,verdict,reason\n1.1,90,100,,,\n1.2,,,có lẽ,,\n9.9,,,1,,\n3.1,,,5,dat,\n2.1,10,20,,,\n1.1,1,2,,,\n").unwrap();
    let err = fails(
        &s.db,
        &["values", "import", &s.assessment, bad.to_str().unwrap()],
    );
    for needle in [
        "hàng 3",
        "có lẽ",
        "hàng 4",
        "9.9",
        "hàng 5",
        "lý do",
        "hàng 6",
        "hàng 7",
        "nhiều lần",
    ] {
        assert!(err.contains(needle), "missing «{needle}» in:\n{err}");
    }
    assert!(err.contains("chưa nhập dòng nào"), "{err}");
    assert_eq!(
        status(&s),
        before,
        "nothing of the broken file was imported"
    );
    let cols = s.dir.join("cols.csv");
    std::fs::write(&cols, "chi_tieu,gia_tri\n1.1,5\n").unwrap();
    assert!(
        fails(
            &s.db,
            &["values", "import", &s.assessment, cols.to_str().unwrap()]
        )
        .contains("không được hỗ trợ")
    );
    let latin1 = s.dir.join("latin1.csv");
    std::fs::write(&latin1, b"indicator,note\n1.1,S\xf4 li\xea\xf5u\n").unwrap();
    assert!(
        fails(
            &s.db,
            &["values", "import", &s.assessment, latin1.to_str().unwrap()]
        )
        .contains("UTF-8")
    );
}

#[test]
fn xlsx_values_import() {
    let s = setup();
    let path = s.dir.join("gia-tri.xlsx");
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    for (c, h) in ["indicator", "numerator", "denominator", "value"]
        .iter()
        .enumerate()
    {
        sheet.write_string(0, c as u16, *h).unwrap();
    }
    sheet.write_string(1, 0, "1.1").unwrap();
    sheet.write_number(1, 1, 79.995).unwrap();
    sheet.write_number(1, 2, 100).unwrap();
    sheet.write_string(2, 0, "3.1").unwrap();
    sheet.write_number(2, 3, 4).unwrap();
    book.save(&path).unwrap();
    ok(
        &s.db,
        &["values", "import", &s.assessment, path.to_str().unwrap()],
    );
    let v = status(&s);
    assert_eq!(indicator(&v, "1.1")["value"], 80.0);
    assert_eq!(indicator(&v, "1.1")["verdict"], "dat");
    assert_eq!(indicator(&v, "3.1")["verdict"], "chua_dat");
}

#[test]
fn status_json_has_the_contract_shape() {
    let s = setup();
    let photo = s.dir.join("duong-thon.jpg");
    std::fs::write(&photo, b"\xff\xd8\xff\xe0 photo bytes").unwrap();
    let out = ok(
        &s.db,
        &[
            "evidence",
            "add",
            &s.assessment,
            "--indicator",
            "1.1",
            "--indicator",
            "1.2",
            photo.to_str().unwrap(),
        ],
    );
    assert!(out.contains("TC01-01"), "{out}");
    let v = status(&s);
    for key in [
        "criteria_met",
        "criteria_total",
        "indicators_met",
        "indicators_total",
    ] {
        assert!(v[key].is_u64(), "{key}");
    }
    assert_eq!(v["criteria_total"], 3);
    assert_eq!(v["indicators_total"], 6);
    let c = &v["criteria"][0];
    for key in ["number", "name", "verdict", "indicators"] {
        assert!(!c[key].is_null(), "criterion.{key}");
    }
    let i = &c["indicators"][0];
    for key in ["code", "verdict", "value", "threshold", "evidence_count"] {
        assert!(i.get(key).is_some(), "indicator.{key}");
    }
    assert_eq!(i["evidence_count"], 1);
    assert_eq!(i["verdict"], "chua_danh_gia");
    assert!(v["conditions"].as_array().unwrap().len() == 4);
    assert!(v["revocation_risk"]["level"].is_string());
    let missing = v["missing"].as_array().unwrap();
    assert!(
        missing
            .iter()
            .any(|m| m["kind"] == "minh_chung" && m["indicator"] == "2.1")
    );
    assert!(
        !missing
            .iter()
            .any(|m| m["kind"] == "minh_chung" && m["indicator"] == "1.1")
    );
    let text = ok(&s.db, &["status", &s.assessment]);
    assert!(
        text.contains("0/3 tiêu chí") && text.contains("Còn thiếu"),
        "{text}"
    );
    let list = ok(&s.db, &["evidence", "list", &s.assessment]);
    assert!(
        list.contains("duong-thon.jpg") && list.contains("1.1, 1.2"),
        "{list}"
    );
}

#[test]
fn rollup_over_a_province() {
    let s = setup();
    let all = s.dir.join("all.csv");
    std::fs::write(&all, "indicator,numerator,denominator,value\n1.1,90,100,\n1.2,,,dat\n2.1,,,70\n2.2,10,100,\n3.1,,,6\n3.2,,,Hoàn thành tốt nhiệm vụ\n").unwrap();
    ok(
        &s.db,
        &["values", "import", &s.assessment, all.to_str().unwrap()],
    );
    let second = ok(
        &s.db,
        &[
            "unit",
            "add",
            "--name",
            "Xã Tây Sơn",
            "--kind",
            "xa",
            "--parent",
            &s.province,
        ],
    )
    .trim()
    .to_string();
    let a2 = ok(
        &s.db,
        &[
            "assessment",
            "new",
            "--unit",
            &second,
            "--edition",
            "thu-nghiem-xa",
            "--year",
            "2025",
        ],
    )
    .trim()
    .to_string();
    let half = s.dir.join("half.csv");
    std::fs::write(&half, "indicator,numerator,denominator\n1.1,90,100\n").unwrap();
    ok(&s.db, &["values", "import", &a2, half.to_str().unwrap()]);
    ok(
        &s.db,
        &[
            "unit",
            "add",
            "--name",
            "Xã Chưa Làm",
            "--kind",
            "xa",
            "--parent",
            &s.province,
        ],
    );
    let v: Value = serde_json::from_str(&ok(&s.db, &["rollup", &s.province, "--json"])).unwrap();
    assert_eq!(v["communes_total"], 3);
    // Conditions are not entered, so nobody is eligible yet; criteria: 3 + 0 + 0.
    assert_eq!(v["communes_eligible"], 0);
    assert_eq!(v["share_eligible_percent"], 0.0);
    assert_eq!(v["average_criteria_met"], 1.0);
    // Communes are listed in Vietnamese alphabetical order; find the set-up one by id.
    let first = v["communes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["unit"].as_i64().map(|u| u.to_string()).as_deref() == Some(s.commune.as_str()))
        .unwrap();
    for key in [
        "unit",
        "name",
        "criteria_met",
        "criteria_total",
        "indicators_met",
        "indicators_total",
        "eligible",
    ] {
        assert!(first.get(key).is_some(), "{key}");
    }
    assert_eq!(first["criteria_met"], 3);
    assert_eq!(first["indicators_met"], 6);
    let text = ok(&s.db, &["rollup", &s.province]);
    assert!(
        text.contains("3 xã") && text.contains("chưa có đánh giá"),
        "{text}"
    );
    // The matrix by hand: Đông Hòa meets criteria 1–3; Tây Sơn meets none of them
    // (1.1 met but 1.2 missing), so each criterion fails in exactly one assessed commune.
    let verdicts: Vec<&str> = first["criteria"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["verdict"].as_str().unwrap())
        .collect();
    assert_eq!(verdicts, ["dat", "dat", "dat"]);
    let failed = v["most_failed"].as_array().unwrap();
    assert_eq!(failed.len(), 3);
    assert!(failed.iter().all(|f| f["communes_not_met"] == 1));
    // Tây Sơn's criteria are not yet assessed (not "Chưa đạt"): no revocation risk.
    assert_eq!(v["communes_at_risk"], 0);

    // Excel: opens, holds the matrix with a row per commune.
    let xlsx = s.dir.join("tong-hop.xlsx");
    ok(
        &s.db,
        &["rollup", &s.province, "--xlsx", xlsx.to_str().unwrap()],
    );
    use calamine::{Reader, open_workbook_auto};
    let mut book = open_workbook_auto(&xlsx).unwrap();
    let sheet = book.worksheet_range("Tong hop").unwrap();
    let cell = |r: u32, c: u32| {
        sheet
            .get_value((r, c))
            .map(|v| v.to_string())
            .unwrap_or_default()
    };
    assert_eq!(cell(2, 1), "Xã");
    assert_eq!(cell(2, 3), "TC 1");
    let names: Vec<String> = (3..6).map(|r| cell(r, 1)).collect();
    assert!(names.contains(&"Xã Đông Hòa".to_string()), "{names:?}");
    let dong_hoa = (3..6).find(|r| cell(*r, 1) == "Xã Đông Hòa").unwrap();
    assert_eq!(
        (cell(dong_hoa, 3), cell(dong_hoa, 6)),
        ("Đạt".into(), "3/3".into())
    );
}

/// The office of `setup()` with three more communes: Tây on QĐ 318 (2025, criterion 3
/// met by its two indicators), Nam and Bắc on QĐ 51 (2026, nothing entered). Đông Hòa is
/// on the fixture edition (2025).
fn office_on_two_editions(s: &Setup) -> (String, String, String) {
    let commune = |name: &str| {
        ok(
            &s.db,
            &[
                "unit",
                "add",
                "--name",
                name,
                "--kind",
                "xa",
                "--parent",
                &s.province,
                "--group",
                "2",
            ],
        )
        .trim()
        .to_string()
    };
    let assess = |unit: &str, edition: &str, year: &str| {
        ok(
            &s.db,
            &[
                "assessment",
                "new",
                "--unit",
                unit,
                "--edition",
                edition,
                "--year",
                year,
            ],
        )
        .trim()
        .to_string()
    };
    let tay = commune("Xã Tây");
    let a = assess(&tay, "qd318-2022-xa", "2025");
    let csv = s.dir.join("tay.csv");
    std::fs::write(
        &csv,
        "indicator,numerator,denominator,value\n3.1,90,100,\n3.2,,,dat\n",
    )
    .unwrap();
    ok(&s.db, &["values", "import", &a, csv.to_str().unwrap()]);
    let nam = commune("Xã Nam");
    assess(&nam, "qd51-2025-xa", "2026");
    let bac = commune("Xã Bắc");
    assess(&bac, "qd51-2025-xa", "2026");
    (tay, nam, bac)
}

fn rollup_json(s: &Setup, extra: &[&str]) -> Value {
    let mut args = vec!["rollup", s.province.as_str()];
    args.extend_from_slice(extra);
    args.push("--json");
    serde_json::from_str(&ok(&s.db, &args)).unwrap()
}

fn units_of(list: &Value) -> Vec<String> {
    let mut v: Vec<String> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["unit"].to_string())
        .collect();
    v.sort();
    v
}

#[test]
fn rollup_edition_option_computes_within_the_edition() {
    let s = setup();
    let (tay, nam, bac) = office_on_two_editions(&s);
    // Default: QĐ 51, used by two communes in 2026, the latest year.
    let v = rollup_json(&s, &[]);
    assert_eq!(v["edition"], "qd51-2025-xa");
    assert_eq!(v["edition_criteria"].as_array().unwrap().len(), 10);
    assert_eq!(units_of(&v["communes"]), {
        let mut u = vec![nam.clone(), bac.clone()];
        u.sort();
        u
    });
    assert_eq!(units_of(&v["other_editions"]), {
        let mut u = vec![s.commune.clone(), tay.clone()];
        u.sort();
        u
    });
    assert_eq!(v["communes_total"], 2);
    assert_eq!(v["average_criteria_met"], 0.0);

    let v = rollup_json(&s, &["--edition", "qd318-2022-xa"]);
    assert_eq!(v["edition"], "qd318-2022-xa");
    assert!(v["edition_title"].as_str().unwrap().contains("2021–2025"));
    assert_eq!(v["communes_total"], 1);
    let only = &v["communes"][0];
    assert_eq!(only["unit"].to_string(), tay);
    assert_eq!(
        (only["criteria_met"].clone(), only["criteria_total"].clone()),
        (1.into(), 19.into())
    );
    assert_eq!(only["criteria"].as_array().unwrap().len(), 19);
    assert_eq!(v["average_criteria_met"], 1.0);
    // Every criterion but 3 fails in Tây, the only commune counted.
    let failed = v["most_failed"].as_array().unwrap();
    assert_eq!(failed.len(), 18);
    assert!(
        failed
            .iter()
            .all(|f| f["communes_not_met"] == 1 && f["number"] != 3)
    );
    let apart = v["other_editions"].as_array().unwrap();
    assert_eq!(apart.len(), 3);
    let nam_apart = apart
        .iter()
        .find(|c| c["unit"] == nam.parse::<i64>().unwrap())
        .unwrap();
    assert_eq!(
        (nam_apart["edition"].clone(), nam_apart["year"].clone()),
        ("qd51-2025-xa".into(), 2026.into())
    );
    // Fields of before are kept.
    for key in [
        "unit",
        "unit_name",
        "communes",
        "communes_eligible",
        "share_eligible_percent",
        "communes_at_risk",
    ] {
        assert!(v.get(key).is_some(), "{key}");
    }
    let text = ok(
        &s.db,
        &["rollup", &s.province, "--edition", "qd318-2022-xa"],
    );
    assert!(
        text.contains("QĐ 318/QĐ-TTg") && text.contains("1/19 tiêu chí"),
        "{text}"
    );
    assert!(
        text.contains("không tính") && text.contains("Xã Nam"),
        "{text}"
    );
}

#[test]
fn rollup_year_and_target_options() {
    let s = setup();
    let (tay, nam, bac) = office_on_two_editions(&s);
    // 2025: Đông Hòa (fixture edition) and Tây (QĐ 318) tie; the smaller code wins.
    let v = rollup_json(&s, &["--year", "2025"]);
    assert_eq!(v["edition"], "qd318-2022-xa");
    assert_eq!(v["year"], 2025);
    // Nam and Bắc have no 2025 assessment: counted as not assessed.
    assert_eq!(units_of(&v["communes"]), {
        let mut u = vec![tay.clone(), nam.clone(), bac.clone()];
        u.sort();
        u
    });
    assert_eq!(units_of(&v["other_editions"]), [s.commune.as_str()]);
    // (1 + 0 + 0) / 3
    assert_eq!(v["average_criteria_met"], 0.33);
    let v = rollup_json(
        &s,
        &[
            "--year",
            "2026",
            "--target",
            "ntm",
            "--edition",
            "qd51-2025-xa",
        ],
    );
    assert_eq!(
        (v["year"].clone(), v["target"].clone()),
        (2026.into(), "ntm".into())
    );
    assert_eq!(v["communes_total"], 4);
    assert!(v["other_editions"].as_array().unwrap().is_empty());
    // Nobody is assessed for «nâng cao»: every commune is counted as not assessed.
    let v = rollup_json(&s, &["--target", "nang-cao"]);
    assert_eq!(v["target"], "nang-cao");
    assert!(
        v["communes"]
            .as_array()
            .unwrap()
            .iter()
            .all(|c| c["assessment"].is_null())
    );
    let err = fails(
        &s.db,
        &["rollup", &s.province, "--target", "xuat-sac", "--json"],
    );
    assert!(err.contains("Mục tiêu «xuat-sac» không hợp lệ"), "{err}");
}

#[test]
fn rollup_unknown_edition_lists_the_available_ones() {
    let s = setup();
    office_on_two_editions(&s);
    let db_before = std::fs::read(&s.db).unwrap();
    let err = fails(
        &s.db,
        &["rollup", &s.province, "--edition", "qd99-2030-xa", "--json"],
    );
    assert!(err.contains("Không có bộ tiêu chí «qd99-2030-xa»"), "{err}");
    for code in ["qd51-2025-xa", "qd318-2022-xa", "thu-nghiem-xa"] {
        assert!(err.contains(code), "{code}: {err}");
    }
    assert!(err.contains("QĐ 51/2025/QĐ-TTg"), "{err}");
    // A district edition cannot roll up communes.
    assert!(!err.contains("qd320-2022-huyen"), "{err}");
    assert_eq!(std::fs::read(&s.db).unwrap(), db_before);
}

#[test]
fn check_reports_a_sound_workspace() {
    let s = setup();
    assert!(ok(&s.db, &["check"]).contains("nguyên vẹn"));
}

#[test]
fn errors_are_vietnamese_with_exit_codes() {
    let s = setup();
    assert!(fails(&s.db, &["status", "999"]).contains("Không tìm thấy"));
    assert!(fails(&s.db, &["unit", "add", "--name", "X", "--kind", "quan"]).contains("Cấp đơn vị"));
    assert!(
        fails(
            &s.db,
            &[
                "unit", "add", "--name", "X", "--kind", "xa", "--region", "mien-tay"
            ]
        )
        .contains("Vùng")
    );
    assert!(
        fails(
            &s.db,
            &[
                "assessment",
                "new",
                "--unit",
                &s.commune,
                "--edition",
                "qd320-2022-huyen",
                "--year",
                "2025"
            ]
        )
        .contains("cấp huyện")
    );
    assert!(
        fails(
            &s.db,
            &[
                "assessment",
                "new",
                "--unit",
                &s.commune,
                "--target",
                "kieu-mau",
                "--year",
                "2026"
            ]
        )
        .contains("mục tiêu")
    );
    assert!(
        fails(
            &s.db,
            &[
                "evidence",
                "add",
                &s.assessment,
                "--indicator",
                "1.1",
                "/khong/co/tep.pdf"
            ]
        )
        .contains("Không tìm thấy tệp")
    );
    let out = run(&s.db, &["lenh-la"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("Lệnh không tồn tại"));
    let not_ws = s.dir.join("van-ban.sqlite");
    std::fs::write(&not_ws, "hello").unwrap();
    let err = fails(&not_ws, &["unit", "list"]);
    assert!(err.contains("không phải tệp dữ liệu"), "{err}");
    assert_eq!(std::fs::read(&not_ws).unwrap(), b"hello");
    let help = Command::new(env!("CARGO_BIN_EXE_ntm-dossier"))
        .arg("--help")
        .output()
        .unwrap();
    assert!(help.status.success() && String::from_utf8_lossy(&help.stdout).contains("Cách dùng"));
}

#[test]
fn r_assessment_list_shows_edition_code_names() {
    let s = setup();
    ok(
        &s.db,
        &["assessment", "new", "--unit", &s.commune, "--year", "2026"],
    );
    let list = ok(&s.db, &["assessment", "list"]);
    let line = list
        .lines()
        .find(|l| l.contains("năm 2026"))
        .unwrap_or_default();
    assert!(line.contains("QĐ 51/2025/QĐ-TTg"), "{list}");
    assert!(line.contains("(mã qd51-2025-xa)"), "{list}");
}

#[test]
fn default_assessment_edition_is_qd51() {
    let s = setup();
    let a = ok(
        &s.db,
        &["assessment", "new", "--unit", &s.commune, "--year", "2026"],
    )
    .trim()
    .to_string();
    let v: Value = serde_json::from_str(&ok(&s.db, &["status", &a, "--json"])).unwrap();
    assert_eq!(v["edition"], "qd51-2025-xa");
    assert_eq!(v["criteria_total"], 10);
    assert_eq!(v["catalogue_incomplete"], true);
    assert_eq!(v["missing"][0]["kind"], "bo_tieu_chi");
}

#[test]
fn an_empty_file_is_not_accepted_as_proof_and_nothing_is_added() {
    let s = setup();
    let good = s.dir.join("bien-ban.pdf");
    std::fs::write(&good, b"%PDF-1.4 noi dung").unwrap();
    let empty = s.dir.join("rong.pdf");
    std::fs::write(&empty, b"").unwrap();
    let good = good.to_str().unwrap();
    let empty = empty.to_str().unwrap();
    let err = fails(
        &s.db,
        &[
            "evidence",
            "add",
            &s.assessment,
            "--indicator",
            "1.1",
            good,
            empty,
        ],
    );
    assert!(err.contains("rỗng"), "{err}");
    let ws = open(&s.db);
    let id = s.assessment.parse().unwrap();
    assert!(ws.evidence(id).unwrap().is_empty());
}

#[test]
fn r_unit_list_said_tinh_tinh_for_a_province_named_with_its_level() {
    let dir = tempdir();
    let db = dir.path().join("ws.sqlite");
    let p = ok(
        &db,
        &["unit", "add", "--name", "Tỉnh Hà Tĩnh", "--kind", "tinh"],
    )
    .trim()
    .to_string();
    ok(
        &db,
        &[
            "unit",
            "add",
            "--name",
            "Đông Hòa",
            "--kind",
            "xa",
            "--parent",
            &p,
        ],
    );
    let text = ok(&db, &["unit", "list"]);
    assert!(text.contains("] Tỉnh Hà Tĩnh"), "{text}");
    assert!(!text.contains("Tỉnh Tỉnh"), "{text}");
    assert!(text.contains("] Xã Đông Hòa"), "{text}");
}

#[test]
fn r_unit_tree_not_in_vietnamese_order_on_the_command_line() {
    let dir = tempdir();
    let db = dir.path().join("ws.sqlite");
    let p = ok(&db, &["unit", "add", "--name", "Thử", "--kind", "tinh"])
        .trim()
        .to_string();
    for name in ["Đông", "Dương", "Bắc", "Anh", "Ân Hòa", "An Hòa"] {
        ok(
            &db,
            &[
                "unit", "add", "--name", name, "--kind", "xa", "--parent", &p,
            ],
        );
    }
    let text = ok(&db, &["unit", "list"]);
    let order: Vec<&str> = text
        .lines()
        .skip(1)
        .filter_map(|l| l.split("] Xã ").nth(1))
        .collect();
    assert_eq!(
        order,
        ["An Hòa", "Anh", "Ân Hòa", "Bắc", "Dương", "Đông"],
        "{text}"
    );
}

#[test]
fn r_missing_file_error_says_os_error_2_on_the_command_line() {
    let dir = tempdir();
    let db = dir.path().join("ws.sqlite");
    let missing = dir.path().join("khong-co.toml");
    let out = run(&db, &["catalog", "import", missing.to_str().unwrap()]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!err.contains("os error"), "{err}");
    assert!(!err.contains("No such file"), "{err}");
    assert!(err.contains("không tìm thấy tệp hoặc thư mục"), "{err}");
}

#[test]
fn catalog_paste_previews_saves_and_refuses_a_broken_table() {
    let dir = tempdir();
    let db = dir.path().join("ws.sqlite");
    let paste = |name: &str| {
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/paste")
            .join(name)
    };
    let word = paste("word-nhom.txt");
    let word = word.to_str().unwrap();
    let preview = ok(
        &db,
        &[
            "catalog",
            "paste",
            "qd51-2025-xa",
            word,
            "--as",
            "qd51-2025-xa-thu",
        ],
    );
    assert!(
        preview.contains("Đã đọc 5 tiêu chí, 7 chỉ tiêu."),
        "{preview}"
    );
    assert!(preview.contains("  6.2 Thu nhập bình quân đầu người (dữ liệu thử)"));
    assert!(
        preview.contains("Xã nhóm 1: ≥ 45 triệu đồng/người; Xã nhóm 2: ≥ 40"),
        "{preview}"
    );
    assert!(preview.contains("dòng 4, cột 5: chỉ tiêu 1.1: một ô ngưỡng (ô gộp)"));
    assert!(preview.contains("Không có lỗi."));
    assert!(
        !ok(&db, &["catalog", "list"]).contains("qd51-2025-xa-thu"),
        "a preview saves nothing"
    );
    let saved = ok(
        &db,
        &[
            "catalog",
            "paste",
            "qd51-2025-xa",
            word,
            "--as",
            "qd51-2025-xa-thu",
            "--save",
        ],
    );
    assert!(
        saved.contains("Đã lưu bộ tiêu chí qd51-2025-xa-thu"),
        "{saved}"
    );
    assert!(ok(&db, &["catalog", "list"]).contains("qd51-2025-xa-thu"));

    let broken = paste("broken-nhom.txt");
    let broken = broken.to_str().unwrap();
    let listed = ok(&db, &["catalog", "list"]);
    let out = run(
        &db,
        &[
            "catalog",
            "paste",
            "qd51-2025-xa",
            broken,
            "--as",
            "qd51-2025-xa-hong",
        ],
    );
    assert_eq!(out.status.code(), Some(3), "problems in a preview exit 3");
    let err = fails(
        &db,
        &[
            "catalog",
            "paste",
            "qd51-2025-xa",
            broken,
            "--as",
            "qd51-2025-xa-hong",
            "--save",
        ],
    );
    assert!(err.contains("dòng 2, cột 5"), "{err}");
    assert!(err.contains("dòng 3, cột 4"), "{err}");
    assert_eq!(ok(&db, &["catalog", "list"]), listed, "nothing saved");
}

#[test]
fn catalog_template_writes_the_office_sheet_that_import_reads_back() {
    let dir = tempdir();
    let db = dir.path().join("ws.sqlite");
    let file = dir.path().join("mau.xlsx");
    let out = ok(
        &db,
        &[
            "catalog",
            "template",
            "qd318-2022-xa",
            file.to_str().unwrap(),
        ],
    );
    assert!(
        out.contains("Đã ghi mẫu Excel của bộ tiêu chí qd318-2022-xa"),
        "{out}"
    );
    let imported = ok(&db, &["catalog", "import", file.to_str().unwrap()]);
    assert!(
        imported.starts_with("Không có thay đổi: bộ tiêu chí qd318-2022-xa"),
        "{imported}"
    );
    let err = fails(
        &db,
        &[
            "catalog",
            "template",
            "qd318-2022-xa",
            dir.path().join("mau.toml").to_str().unwrap(),
        ],
    );
    assert!(err.contains(".xlsx"), "{err}");
}

#[test]
fn assessment_move_prints_the_changes_and_moves_only_with_yes() {
    let dir = tempdir();
    let db = dir.path().join("ws.sqlite");
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/paste");
    let word = fixtures.join("word-nhom.txt");
    let excel = fixtures.join("excel-nhom.txt");
    ok(
        &db,
        &[
            "catalog",
            "paste",
            "qd51-2025-xa",
            word.to_str().unwrap(),
            "--as",
            "qd51-2025-xa-a",
            "--save",
        ],
    );
    ok(
        &db,
        &[
            "catalog",
            "paste",
            "qd51-2025-xa",
            excel.to_str().unwrap(),
            "--as",
            "qd51-2025-xa-b",
            "--save",
        ],
    );
    let province = ok(&db, &["unit", "add", "--name", "Thử", "--kind", "tinh"]);
    let commune = ok(
        &db,
        &[
            "unit",
            "add",
            "--name",
            "Đông Hòa",
            "--kind",
            "xa",
            "--parent",
            province.trim(),
            "--group",
            "2",
        ],
    );
    let a = ok(
        &db,
        &[
            "assessment",
            "new",
            "--unit",
            commune.trim(),
            "--edition",
            "qd51-2025-xa-a",
            "--year",
            "2026",
        ],
    );
    let a = a.trim();
    let plan = ok(
        &db,
        &["assessment", "move", a, "--edition", "qd51-2025-xa-b"],
    );
    assert!(plan.contains("Chỉ tiêu thêm mới (3):"), "{plan}");
    assert!(
        plan.contains("  4.1 Tỷ lệ lao động qua đào tạo (dữ liệu thử)"),
        "{plan}"
    );
    assert!(
        plan.contains(
            "Chỉ tiêu bị bỏ (số liệu và liên kết minh chứng được lưu vào lịch sử thay đổi) (7):"
        ),
        "{plan}"
    );
    assert!(plan.contains("Chưa chuyển: chạy lại với --yes"), "{plan}");
    let list = ok(&db, &["assessment", "list"]);
    assert!(list.contains("qd51-2025-xa-a"), "{list}");
    let done = ok(
        &db,
        &[
            "assessment",
            "move",
            a,
            "--edition",
            "qd51-2025-xa-b",
            "--yes",
        ],
    );
    assert!(
        done.contains(&format!(
            "Đã chuyển đợt đánh giá {a} sang bộ tiêu chí qd51-2025-xa-b."
        )),
        "{done}"
    );
    assert!(ok(&db, &["assessment", "list"]).contains("qd51-2025-xa-b"));
}

#[test]
fn catalog_pack_goes_from_the_office_to_a_commune_on_the_command_line() {
    let dir = tempdir();
    let office = dir.path().join("so.sqlite");
    let commune = dir.path().join("xa.sqlite");
    let word = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/paste/word-nhom.txt");
    ok(
        &office,
        &[
            "catalog",
            "paste",
            "qd51-2025-xa",
            word.to_str().unwrap(),
            "--as",
            "qd51-2025-xa-thu",
            "--save",
        ],
    );
    let pack = dir.path().join("bo.ntm");
    let err = fails(
        &office,
        &[
            "catalog",
            "export",
            "qd51-2025-xa-thu",
            pack.to_str().unwrap(),
        ],
    );
    assert!(err.contains("chưa được ban hành"), "{err}");
    let issued = ok(
        &office,
        &[
            "catalog",
            "revise",
            "qd51-2025-xa-thu",
            "--office",
            "Sở NN&MT tỉnh Thử",
            "--date",
            "02/03/2026",
        ],
    );
    assert!(
        issued.contains(
            "Đã ban hành bộ tiêu chí qd51-2025-xa-thu lần 1 ngày 02/03/2026 (Sở NN&MT tỉnh Thử)."
        ),
        "{issued}"
    );
    ok(
        &office,
        &[
            "catalog",
            "export",
            "qd51-2025-xa-thu",
            pack.to_str().unwrap(),
        ],
    );
    let err = fails(&commune, &["catalog", "import", pack.to_str().unwrap()]);
    assert!(err.contains("chưa được xác nhận"), "{err}");
    let fp = err
        .split("--trust ")
        .nth(1)
        .and_then(|s| s.split_whitespace().next())
        .unwrap()
        .trim_end_matches('.')
        .to_string();
    let done = ok(
        &commune,
        &["catalog", "import", pack.to_str().unwrap(), "--trust", &fp],
    );
    assert!(
        done.contains("Đã nhập bộ tiêu chí qd51-2025-xa-thu"),
        "{done}"
    );
    let list = ok(&commune, &["catalog", "list"]);
    assert!(
        list.contains("ban hành lần 1 ngày 02/03/2026, Sở NN&MT tỉnh Thử"),
        "{list}"
    );
    let a = dir.path().join("a.toml");
    let b = dir.path().join("b.toml");
    ok(
        &office,
        &["catalog", "export", "qd51-2025-xa-thu", a.to_str().unwrap()],
    );
    ok(
        &commune,
        &["catalog", "export", "qd51-2025-xa-thu", b.to_str().unwrap()],
    );
    assert_eq!(std::fs::read(&a).unwrap(), std::fs::read(&b).unwrap());
}
