//! Criteria editions: the shipped ones load and say what is verified; TOML and Excel
//! import validate and report each error with its place; a rejected file changes nothing;
//! export round-trips.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::too_many_lines,
    reason = "tests and benchmarks fail loudly by design"
)]

mod common;

use common::*;
use ntm_dossier::app::catalog;
use ntm_dossier::domain::catalog::ThresholdValue;
use ntm_dossier::domain::catalog::toml_format::{parse_edition, to_toml};
use ntm_dossier::domain::units::{Region, Segment};
use rust_xlsxwriter::Workbook;

#[test]
fn every_builtin_edition_loads_with_honest_markings() {
    for (name, text) in catalog::BUILTIN {
        let e = parse_edition(text).unwrap_or_else(|p| panic!("{name}: {p:?}"));
        assert_eq!(format!("{}.toml", e.code), *name);
        for (_, i) in e.indicators() {
            for t in &i.thresholds {
                assert!(
                    !t.source.is_empty(),
                    "{name} {}: every threshold names its source",
                    i.code
                );
            }
        }
    }
    let qd51 = parse_edition(catalog::BUILTIN[0].1).unwrap();
    assert_eq!(
        (
            qd51.criteria.len(),
            qd51.criteria_expected,
            qd51.indicators_expected
        ),
        (10, Some(10), Some(47))
    );
    assert!(
        qd51.is_incomplete(),
        "the 47 indicators were not retrieved and must be imported"
    );
    assert_eq!(qd51.criteria[6].name, "Khoa học công nghệ và chuyển đổi số");
    let qd318 = parse_edition(catalog::BUILTIN[1].1).unwrap();
    assert_eq!(qd318.criteria.len(), 19);
    let (_, i31) = qd318.indicator("3.1").unwrap();
    assert_eq!(i31.thresholds[0].value, ThresholdValue::Number(80.0));
    assert!(i31.thresholds[0].verified);
    let (_, stunting) = qd318.indicator("15.3").unwrap();
    assert!(
        stunting.thresholds.iter().all(|t| !t.verified),
        "partial numbers are shipped unverified"
    );
    let qd1980 = parse_edition(catalog::BUILTIN[4].1).unwrap();
    let (_, income) = qd1980.indicator("10.1").unwrap();
    let se = income
        .threshold_for(Some(Segment::Region(Region::Southeast)), 2020)
        .unwrap();
    assert_eq!(se.threshold.value, ThresholdValue::Number(59.0));
    assert!(se.threshold.verified);
    let huyen = parse_edition(catalog::BUILTIN[3].1).unwrap();
    assert_eq!(
        huyen
            .conditions
            .satisfaction_percent
            .as_ref()
            .map(|s| s.value),
        Some(90.0)
    );
}

#[test]
fn toml_round_trips_through_export() {
    let text = std::fs::read_to_string(fixture_path()).unwrap();
    let e = parse_edition(&text).unwrap();
    let again = parse_edition(&to_toml(&e)).unwrap();
    assert_eq!(again, e);
}

#[test]
fn broken_toml_reports_each_problem_with_its_line() {
    let text = std::fs::read_to_string(fixture_path()).unwrap();
    let broken = text
        .replacen("code = \"1.2\"", "code = \"1.1\"", 1) // duplicate code
        .replacen("segment = \"tdmnpb\"", "segment = \"mien-trung\"", 1) // unknown segment
        .replacen("code = \"3.1\"", "code = \"4.1\"", 1) // under the wrong criterion
        .replacen("value = 5\n", "value = \"năm\"\n", 1); // not a number
    let problems = parse_edition(&broken).unwrap_err();
    let text: Vec<String> = problems.iter().map(|p| p.to_string()).collect();
    assert!(
        text.iter()
            .any(|p| p.contains("1.1 bị trùng") && p.starts_with("dòng ")),
        "{text:?}"
    );
    assert!(
        text.iter()
            .any(|p| p.contains("mien-trung") && p.contains("segment")),
        "{text:?}"
    );
    assert!(
        text.iter()
            .any(|p| p.contains("4.1 không thuộc tiêu chí số 3")),
        "{text:?}"
    );
    assert!(
        text.iter()
            .any(|p| p.contains("«value»") && p.contains("năm")),
        "{text:?}"
    );
    let line_of_dup = broken.lines().position(|l| l == "code = \"1.1\"").unwrap();
    let second_dup = broken
        .lines()
        .skip(line_of_dup + 1)
        .position(|l| l == "code = \"1.1\"")
        .unwrap()
        + line_of_dup
        + 2;
    assert!(
        text.iter()
            .any(|p| p.starts_with(&format!("dòng {second_dup},"))),
        "{text:?} line {second_dup}"
    );
    let syntax = parse_edition("format = 1\ncode = \"x\n").unwrap_err();
    assert!(syntax[0].message.contains("viết sai cú pháp"), "{syntax:?}");
    assert_eq!(syntax[0].location, "dòng 2");
}

#[test]
fn r_edition_file_errors_say_toml_and_english() {
    let syntax = parse_edition("format = 1\ncode = \"x\n").unwrap_err();
    assert!(!syntax[0].message.contains("TOML"), "{syntax:?}");
    assert!(syntax[0].message.contains("viết sai cú pháp"), "{syntax:?}");
    let missing = parse_edition("format = 1\n").unwrap_err();
    assert!(
        missing[0]
            .message
            .starts_with("tệp bộ tiêu chí thiếu mục «"),
        "{missing:?}"
    );
    assert!(!missing[0].message.contains("missing field"), "{missing:?}");
}

#[test]
fn a_rejected_import_changes_nothing() {
    let dir = tempdir();
    let mut ws = open(&dir.path().join("ws.sqlite"));
    let before = ws.editions().unwrap();
    let bad = dir.path().join("tinh.toml");
    let text = std::fs::read_to_string(fixture_path())
        .unwrap()
        .replace("thu-nghiem-xa", "qd51-2025-xa")
        .replacen("kind = \"ty_le\"", "kind = \"phan_tram\"", 1);
    std::fs::write(&bad, text).unwrap();
    let err = catalog::import(&mut ws, &bad).unwrap_err();
    assert!(err.details.iter().any(|d| d.contains("phan_tram")), "{err}");
    assert_eq!(ws.editions().unwrap(), before);
}

#[test]
fn excel_export_and_import_round_trip() {
    let dir = tempdir();
    let mut ws = open(&dir.path().join("ws.sqlite"));
    catalog::import(&mut ws, &fixture_path()).unwrap();
    let xlsx = dir.path().join("bo-tieu-chi.xlsx");
    catalog::export(&ws, "thu-nghiem-xa", &xlsx).unwrap();
    let from_excel = catalog::read_file(&xlsx).unwrap();
    let original = catalog::load(&ws, "thu-nghiem-xa").unwrap().1;
    assert_eq!(from_excel, original);
    let toml = dir.path().join("bo-tieu-chi.toml");
    catalog::export(&ws, "qd318-2022-xa", &toml).unwrap();
    assert_eq!(
        catalog::read_file(&toml).unwrap(),
        catalog::load(&ws, "qd318-2022-xa").unwrap().1
    );
    assert!(catalog::export(&ws, "khong-ton-tai", &toml).is_err());
}

fn write_sheet(book: &mut Workbook, name: &str, rows: &[&[&str]]) {
    let sheet = book.add_worksheet();
    sheet.set_name(name).unwrap();
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            if let Ok(n) = v.parse::<f64>() {
                sheet.write_number(r as u32, c as u16, n).unwrap();
            } else {
                sheet.write_string(r as u32, c as u16, *v).unwrap();
            }
        }
    }
}

#[test]
fn a_province_excel_sheet_imports_and_its_errors_name_the_row() {
    let dir = tempdir();
    let meta: &[&[&str]] = &[
        &["khoa", "gia_tri"],
        &["code", "qd51-2025-xa-ha-noi"],
        &["title", "Bộ tiêu chí xã NTM tỉnh Thử 2026–2030"],
        &["level", "xa"],
        &["targets", "ntm"],
        &["keyed_by", "nhom"],
        &["decision", "01/2026/QĐ-UBND"],
    ];
    let criteria: &[&[&str]] = &[
        &["so", "ten", "nhom"],
        &["1", "Quy hoạch", ""],
        &["2", "Hạ tầng kinh tế - xã hội", ""],
    ];
    let good_rows: &[&[&str]] = &[
        &[
            "ma",
            "noi_dung",
            "loai",
            "so_sanh",
            "don_vi",
            "nguong:nhom1",
            "xac_minh:nhom1",
            "nguon:nhom1",
            "nguong:nhom3",
            "nguon:nhom3",
        ],
        &[
            "1.1",
            "Có quy hoạch chung xã được duyệt",
            "co_khong",
            "=",
            "",
            "có",
            "có",
            "QĐ tỉnh",
            "có",
            "QĐ tỉnh",
        ],
        &[
            "2.1",
            "Tỷ lệ đường xã được cứng hóa",
            "ty_le",
            ">=",
            "%",
            "100",
            "",
            "QĐ tỉnh",
            "70",
            "QĐ tỉnh",
        ],
    ];
    let good = dir.path().join("tinh.xlsx");
    let mut book = Workbook::new();
    write_sheet(&mut book, "an_ban", meta);
    write_sheet(&mut book, "tieu_chi", criteria);
    write_sheet(&mut book, "chi_tieu", good_rows);
    book.save(&good).unwrap();
    let mut ws = open(&dir.path().join("ws.sqlite"));
    let (e, _) = catalog::import(&mut ws, &good).unwrap();
    assert_eq!(e.indicator_count(), 2);
    let (_, i21) = e.indicator("2.1").unwrap();
    assert_eq!(i21.thresholds.len(), 2);
    assert!(i21.thresholds.iter().all(|t| !t.verified));
    assert!(e.indicator("1.1").unwrap().1.thresholds[0].verified);

    let bad_rows: &[&[&str]] = &[
        &[
            "ma",
            "noi_dung",
            "loai",
            "so_sanh",
            "nguong:nhom1",
            "nguong:vung9",
        ],
        &["1.1", "Có quy hoạch", "co_khong", "=", "có", ""],
        &["2.1", "Tỷ lệ đường", "ty_le", ">=", "một trăm", ""],
        &["5.1", "Chỉ tiêu lạc", "ty_le", ">=", "50", ""],
        &["2.2", "Chỉ tiêu có vùng lạ", "ty_le", ">=", "", "40"],
    ];
    let bad = dir.path().join("tinh-loi.xlsx");
    let mut book = Workbook::new();
    write_sheet(&mut book, "an_ban", meta);
    write_sheet(&mut book, "tieu_chi", criteria);
    write_sheet(&mut book, "chi_tieu", bad_rows);
    book.save(&bad).unwrap();
    let before = ws.editions().unwrap();
    let err = catalog::import(&mut ws, &bad).unwrap_err();
    let d = err.details.join("\n");
    assert!(
        d.contains("trang tính chi_tieu, hàng 3") && d.contains("một trăm"),
        "{d}"
    );
    assert!(d.contains("hàng 4") && d.contains("5.1"), "{d}");
    assert!(d.contains("hàng 5") && d.contains("vung9"), "{d}");
    assert_eq!(ws.editions().unwrap(), before);

    let missing_sheet = dir.path().join("thieu.xlsx");
    let mut book = Workbook::new();
    write_sheet(&mut book, "an_ban", meta);
    book.save(&missing_sheet).unwrap();
    let err = catalog::import(&mut ws, &missing_sheet).unwrap_err();
    assert!(
        err.details
            .iter()
            .any(|d| d.contains("tieu_chi") && d.contains("thiếu trang tính")),
        "{err}"
    );
    let not_excel = dir.path().join("gia.xlsx");
    std::fs::write(&not_excel, "không phải excel").unwrap();
    assert!(
        catalog::import(&mut ws, &not_excel)
            .unwrap_err()
            .summary
            .contains("Excel")
    );
}
