//! The office's Excel template: Vietnamese headers, prefilled with an edition; filled in
//! and imported back (headers matched without case or diacritics); round trips.
//! Indicator texts and thresholds written here are test data.
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
use ntm_dossier::domain::catalog::xlsx_rows::{Cell, Workbook};
use ntm_dossier::domain::catalog::xlsx_vn::{INDICATOR_SHEET, INFO_SHEET};
use ntm_dossier::domain::catalog::{Comparator, IndicatorKind, ThresholdValue};
use ntm_dossier::domain::units::{CommuneGroup, Segment};
use ntm_dossier::domain::vn_text::fold;
use std::path::Path;

fn write_book(book: &Workbook, path: &Path) {
    let mut xlsx = rust_xlsxwriter::Workbook::new();
    for (name, rows) in book {
        let sheet = xlsx.add_worksheet();
        sheet.set_name(name).unwrap();
        for (r, row) in rows.iter().enumerate() {
            for (c, cell) in row.iter().enumerate() {
                let (r, c) = (r as u32, c as u16);
                match cell {
                    Cell::Empty => {}
                    Cell::Text(s) => {
                        sheet.write_string(r, c, s).unwrap();
                    }
                    Cell::Number(n) => {
                        sheet.write_number(r, c, *n).unwrap();
                    }
                    Cell::Bool(b) => {
                        sheet.write_boolean(r, c, *b).unwrap();
                    }
                }
            }
        }
    }
    xlsx.save(path).unwrap();
}

fn header_texts(book: &Workbook) -> Vec<String> {
    book[INDICATOR_SHEET][0].iter().map(Cell::text).collect()
}

#[test]
fn the_template_has_the_office_headers_and_every_builtin_edition_round_trips() {
    let dir = tempdir();
    let ws = open(&dir.path().join("ws.sqlite"));
    for (name, _) in catalog::BUILTIN {
        let code = name.trim_end_matches(".toml");
        let file = dir.path().join(format!("{code}.xlsx"));
        catalog::template(&ws, code, &file).unwrap();
        let (_, original) = catalog::load(&ws, code).unwrap();
        let back = catalog::read_file(&file).unwrap_or_else(|e| panic!("{code}: {e}"));
        assert_eq!(back, original, "{code}");
    }
    let book = catalog::read_workbook(&dir.path().join("qd51-2025-xa.xlsx")).unwrap();
    let header = header_texts(&book);
    assert_eq!(
        header[..11],
        [
            "Tiêu chí",
            "Tên tiêu chí",
            "Mã chỉ tiêu",
            "Nội dung chỉ tiêu",
            "Đơn vị",
            "Loại (tỷ lệ, số tiền, số lượng, có/không, mức độ)",
            "So sánh (≥, ≤, =)",
            "Chung",
            "Nhóm 1",
            "Nhóm 2",
            "Nhóm 3",
        ]
    );
    assert_eq!(
        header[11..17],
        [
            "Năm",
            "Nguồn",
            "Đã đối chiếu",
            "Hướng dẫn",
            "Cơ quan giữ số liệu",
            "Minh chứng thường dùng"
        ]
    );
    // Prefilled: one row per criterion of QĐ 51 (no indicators yet).
    let rows = &book[INDICATOR_SHEET];
    assert_eq!(rows.len(), 11);
    assert_eq!(rows[7][1].text(), "Khoa học công nghệ và chuyển đổi số");
    let regions = catalog::read_workbook(&dir.path().join("qd318-2022-xa.xlsx")).unwrap();
    assert_eq!(
        header_texts(&regions)[7..15],
        [
            "Chung", "TDMNPB", "ĐBSH", "BTB", "DHNTB", "TN", "ĐNB", "ĐBSCL"
        ]
    );
}

#[test]
fn a_filled_template_imports_and_exports_equal() {
    let dir = tempdir();
    let mut ws = open(&dir.path().join("ws.sqlite"));
    let blank = dir.path().join("mau.xlsx");
    catalog::template(&ws, "qd51-2025-xa", &blank).unwrap();
    let mut book = catalog::read_workbook(&blank).unwrap();
    // The office renames the copy and writes its headers its own way.
    for row in book.get_mut(INFO_SHEET).unwrap().iter_mut() {
        if row[0].text() == "Mã bộ tiêu chí" {
            row[1] = Cell::Text("qd51-2025-xa-thu".into());
        }
    }
    let original_header = header_texts(&book);
    let rows = book.get_mut(INDICATOR_SHEET).unwrap();
    let header: Vec<Cell> = rows[0]
        .iter()
        .map(|c| Cell::Text(fold(&c.text()).to_uppercase()))
        .collect();
    rows[0] = header;
    let width = rows[0].len();
    let col = |name: &str| {
        rows_header_position(&original_header, name).unwrap_or_else(|| panic!("{name}"))
    };
    let line = |cells: &[(&str, Cell)]| {
        let mut row = vec![Cell::Empty; width];
        for (name, cell) in cells {
            row[col(name)] = cell.clone();
        }
        row
    };
    let t = |s: &str| Cell::Text(s.into());
    let n = Cell::Number;
    let filled = vec![
        line(&[
            ("Tiêu chí", n(2.0)),
            ("Mã chỉ tiêu", t("2.1")),
            (
                "Nội dung chỉ tiêu",
                t("Tỷ lệ đường xã được cứng hóa (dữ liệu thử)"),
            ),
            ("Đơn vị", t("%")),
            ("Loại", t("Tỷ lệ")),
            ("So sánh", t("≥")),
            ("Nhóm 1", n(100.0)),
            ("Nhóm 2", t("90")),
            ("Nhóm 3", t("85,5")),
            ("Nguồn", t("QĐ thử của tỉnh, Phụ lục (dữ liệu thử)")),
            ("Đã đối chiếu", t("x")),
            ("Hướng dẫn", t("Đo theo sổ theo dõi (dữ liệu thử)")),
            ("Cơ quan giữ số liệu", t("Phòng Kinh tế (dữ liệu thử)")),
            ("Minh chứng thường dùng", t("Báo cáo | Bản đồ")),
        ]),
        line(&[
            ("Tiêu chí", n(6.0)),
            ("Mã chỉ tiêu", t("6.1")),
            ("Nội dung chỉ tiêu", t("Thu nhập bình quân (dữ liệu thử)")),
            ("Đơn vị", t("triệu đồng/người/năm")),
            ("Loại", t("so tien")),
            ("So sánh", t(">=")),
            ("Chung", n(60.0)),
            ("Năm", n(2026.0)),
            ("Nguồn", t("dữ liệu thử")),
        ]),
        line(&[
            ("Tiêu chí", n(6.0)),
            ("Mã chỉ tiêu", t("6.1")),
            ("Chung", n(70.0)),
            ("Năm", n(2028.0)),
            ("Nguồn", t("dữ liệu thử")),
        ]),
        line(&[
            ("Tiêu chí", n(10.0)),
            ("Mã chỉ tiêu", t("10.1")),
            (
                "Nội dung chỉ tiêu",
                t("Đạt chuẩn tiếp cận pháp luật (dữ liệu thử)"),
            ),
            ("Loại", t("có/không")),
            ("Nhóm 1", t("Đạt")),
            ("Nhóm 2", t("có")),
        ]),
    ];
    let rows = book.get_mut(INDICATOR_SHEET).unwrap();
    rows.extend(filled);
    let filled_path = dir.path().join("da-dien.xlsx");
    write_book(&book, &filled_path);

    let (imported, changed) = catalog::import(&mut ws, &filled_path).unwrap();
    assert!(changed);
    assert_eq!(imported.code.as_str(), "qd51-2025-xa-thu");
    assert_eq!(imported.criteria.len(), 10);
    assert_eq!(imported.indicator_count(), 3);
    let (_, i) = imported.indicator("2.1").unwrap();
    assert_eq!(
        (i.kind, i.comparator, i.unit.as_str()),
        (IndicatorKind::Ratio, Comparator::AtLeast, "%")
    );
    let g = |n| Segment::Group(n);
    let got: Vec<(Segment, ThresholdValue, bool)> = i
        .thresholds
        .iter()
        .map(|t| (t.segment, t.value.clone(), t.verified))
        .collect();
    assert_eq!(
        got,
        vec![
            (g(CommuneGroup::One), ThresholdValue::Number(100.0), true),
            (g(CommuneGroup::Two), ThresholdValue::Number(90.0), true),
            (g(CommuneGroup::Three), ThresholdValue::Number(85.5), true),
        ]
    );
    assert_eq!(i.guidance.typical_proof, vec!["Báo cáo", "Bản đồ"]);
    assert_eq!(i.guidance.data_office, "Phòng Kinh tế (dữ liệu thử)");
    let (_, income) = imported.indicator("6.1").unwrap();
    let years: Vec<(Option<i32>, ThresholdValue)> = income
        .thresholds
        .iter()
        .map(|t| (t.year, t.value.clone()))
        .collect();
    assert_eq!(
        years,
        vec![
            (Some(2026), ThresholdValue::Number(60.0)),
            (Some(2028), ThresholdValue::Number(70.0))
        ]
    );
    let (_, law) = imported.indicator("10.1").unwrap();
    assert_eq!(law.kind, IndicatorKind::YesNo);
    assert_eq!(law.thresholds.len(), 2);

    // Export the imported copy (template and TOML): reading either back gives it again.
    let again = dir.path().join("lai.xlsx");
    catalog::template(&ws, "qd51-2025-xa-thu", &again).unwrap();
    assert_eq!(catalog::read_file(&again).unwrap(), imported);
    let toml = dir.path().join("lai.toml");
    catalog::export(&ws, "qd51-2025-xa-thu", &toml).unwrap();
    assert_eq!(catalog::read_file(&toml).unwrap(), imported);
    let (_, same) = catalog::import(&mut ws, &again).unwrap();
    assert!(!same, "importing the export again changes nothing");
}

fn rows_header_position(header: &[String], name: &str) -> Option<usize> {
    header
        .iter()
        .position(|h| h == name || h.split(" (").next() == Some(name))
}

#[test]
fn an_office_sheet_with_errors_names_sheet_row_and_field_and_changes_nothing() {
    let dir = tempdir();
    let mut ws = open(&dir.path().join("ws.sqlite"));
    let blank = dir.path().join("mau.xlsx");
    catalog::template(&ws, "qd51-2025-xa", &blank).unwrap();
    let mut book = catalog::read_workbook(&blank).unwrap();
    for row in book.get_mut(INFO_SHEET).unwrap().iter_mut() {
        if row[0].text() == "Mã bộ tiêu chí" {
            row[1] = Cell::Text("qd51-2025-xa-loi".into());
        }
    }
    let rows = book.get_mut(INDICATOR_SHEET).unwrap();
    let width = rows[0].len();
    let mut bad = vec![Cell::Empty; width];
    bad[0] = Cell::Number(2.0);
    bad[2] = Cell::Text("2.1".into());
    bad[3] = Cell::Text("Tỷ lệ (dữ liệu thử)".into());
    bad[5] = Cell::Text("phần trăm".into());
    rows.push(bad);
    let mut year = vec![Cell::Empty; width];
    year[2] = Cell::Text("3.1".into());
    year[3] = Cell::Text("Chỉ tiêu (dữ liệu thử)".into());
    year[5] = Cell::Text("tỷ lệ".into());
    year[8] = Cell::Number(80.0);
    year[11] = Cell::Text("năm sau".into());
    rows.push(year);
    let path = dir.path().join("loi.xlsx");
    write_book(&book, &path);
    let before = ws.editions().unwrap();
    let err = catalog::import(&mut ws, &path).unwrap_err();
    assert!(
        err.details
            .iter()
            .any(|d| d.starts_with("trang tính Chỉ tiêu, hàng 12") && d.contains("phần trăm")),
        "{err:?}"
    );
    assert!(
        err.details
            .iter()
            .any(|d| d.starts_with("trang tính Chỉ tiêu, hàng 13, trường «Năm»")),
        "{err:?}"
    );
    assert_eq!(ws.editions().unwrap(), before);
}

#[test]
fn a_revision_survives_both_spreadsheets() {
    let dir = tempdir();
    let mut ws = open(&dir.path().join("ws.sqlite"));
    catalog::copy_as(&mut ws, "qd318-2022-xa", "qd318-2022-xa-thu", "").unwrap();
    let today = ntm_dossier::domain::vn_text::CivilDate::new(2026, 3, 2).unwrap();
    let revised = catalog::revise(
        &mut ws,
        "qd318-2022-xa-thu",
        "Sở Nông nghiệp và Môi trường tỉnh Thử",
        Some("01/03/2026"),
        today,
    )
    .unwrap();
    let office = dir.path().join("mau.xlsx");
    catalog::template(&ws, "qd318-2022-xa-thu", &office).unwrap();
    assert_eq!(catalog::read_file(&office).unwrap(), revised);
    let technical = dir.path().join("ky-thuat.xlsx");
    catalog::export(&ws, "qd318-2022-xa-thu", &technical).unwrap();
    assert_eq!(catalog::read_file(&technical).unwrap(), revised);
    // A revision number that does not read is named with its row.
    let mut book = catalog::read_workbook(&office).unwrap();
    for row in book.get_mut(INFO_SHEET).unwrap().iter_mut() {
        if row[0].text() == "Lần ban hành" {
            row[1] = Cell::Text("lần hai".into());
        }
    }
    let bad = dir.path().join("loi.xlsx");
    write_book(&book, &bad);
    let err = catalog::read_file(&bad).unwrap_err();
    assert!(
        err.details.iter().any(
            |d| d.starts_with("trang tính Thông tin, hàng 19") && d.contains("số lần ban hành")
        ),
        "{err:?}"
    );
}
