//! Numbers as Vietnamese offices write them, on every face: the walk-through, the
//! conditions screen, the catalogue editor, CSV files with either separator and `.xlsx`
//! files; the refusals of values import (each naming its row and field, nothing written);
//! and figures printed with thousands separators. Tests named `r_…` pin a bug of the
//! earlier code.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::too_many_lines,
    reason = "tests and benchmarks fail loudly by design"
)]

mod common;

use common::*;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use ntm_dossier::app::assessment::{self, ValueForm};
use ntm_dossier::app::conditions::ConditionsForm;
use ntm_dossier::app::{dossier, values_import};
use ntm_dossier::domain::catalog::toml_format::parse_edition;
use ntm_dossier::domain::ids::AssessmentId;
use ntm_dossier::store::{ValueRecord, Workspace};
use ntm_dossier::ui::NtmUi;
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
use std::path::Path;

fn ratio(n: &str, d: &str) -> ValueForm {
    ValueForm {
        numerator: n.into(),
        denominator: d.into(),
        ..Default::default()
    }
}

fn value(v: &str) -> ValueForm {
    ValueForm {
        value: v.into(),
        ..Default::default()
    }
}

fn stored(ws: &Workspace, a: AssessmentId, code: &str) -> Option<ValueRecord> {
    ws.values(a)
        .unwrap()
        .into_iter()
        .find(|v| v.indicator.as_str() == code)
}

/// One stored value: indicator, numerator, denominator, number.
type Stored = (String, Option<f64>, Option<f64>, Option<f64>);

/// Every stored value of the assessment, to show a refused file changed nothing.
fn snapshot(ws: &Workspace, a: AssessmentId) -> Vec<Stored> {
    let mut v: Vec<Stored> = ws
        .values(a)
        .unwrap()
        .into_iter()
        .map(|v| {
            (
                v.indicator.to_string(),
                v.numerator,
                v.denominator,
                v.value_number,
            )
        })
        .collect();
    v.sort_by(|a, b| a.0.cmp(&b.0));
    v
}

fn import_err(ws: &mut Workspace, a: AssessmentId, path: &Path) -> String {
    let e = values_import::import(ws, a, path).expect_err("the file must be refused");
    format!("{}\n{}", e.summary, e.details.join("\n"))
}

#[test]
fn r_dotted_thousands_read_as_decimal_in_walk_through() {
    let dir = tempdir();
    let mut ws = open(&dir.path().join("ws.sqlite"));
    let (_, _, a) = commune_with_assessment(&mut ws);
    // 1.250 km of 1.500 km: 83,33 %, above the 80 % threshold (read as 1,25 km it was
    // 0,08 % and «Chưa đạt»).
    assessment::save_value(&mut ws, a, "1.1", &ratio("1.250", "1500")).unwrap();
    let v = stored(&ws, a, "1.1").unwrap();
    assert_eq!((v.numerator, v.denominator), (Some(1250.0), Some(1500.0)));
    assert_eq!(v.computed_verdict.code(), "dat");
    assessment::save_value(&mut ws, a, "3.1", &value("1.250")).unwrap();
    assert_eq!(stored(&ws, a, "3.1").unwrap().value_number, Some(1250.0));
    assessment::save_value(&mut ws, a, "2.1", &value("1.234,5")).unwrap();
    assert_eq!(stored(&ws, a, "2.1").unwrap().value_number, Some(1234.5));
    assessment::save_value(&mut ws, a, "2.1", &value("70 500,25")).unwrap();
    assert_eq!(stored(&ws, a, "2.1").unwrap().value_number, Some(70500.25));
    // What the walk-through shows for a stored value reads back to the same value.
    let form = ValueForm::from_record(stored(&ws, a, "1.1").as_ref());
    assert_eq!(
        (form.numerator.as_str(), form.denominator.as_str()),
        ("1.250", "1.500")
    );
    assessment::save_value(&mut ws, a, "1.1", &form).unwrap();
    let again = stored(&ws, a, "1.1").unwrap();
    assert_eq!(
        (again.numerator, again.denominator),
        (Some(1250.0), Some(1500.0))
    );
}

#[test]
fn r_comma_thousands_in_a_count_stored_as_a_fraction() {
    let dir = tempdir();
    let mut ws = open(&dir.path().join("ws.sqlite"));
    let (_, _, a) = commune_with_assessment(&mut ws);
    // 2.2 counts children: «1,250» reads 1,25 children, which cannot be.
    let e = assessment::save_value(&mut ws, a, "2.2", &ratio("1,250", "1.500")).unwrap_err();
    assert!(
        e.summary
            .contains("tử số «1,250» được đọc là 1,25 — số trẻ phải là số nguyên")
            && e.summary.contains("hãy gõ 1.250 hoặc 1250"),
        "{}",
        e.summary
    );
    let e = assessment::save_value(&mut ws, a, "3.1", &value("4,5")).unwrap_err();
    assert!(e.summary.contains("được đọc là 4,5"), "{}", e.summary);
    assert!(assessment::save_value(&mut ws, a, "3.1", &value("-2")).is_err());
    // A ratio of kilometres takes fractions: «12,5» km is twelve and a half.
    assessment::save_value(&mut ws, a, "1.1", &ratio("12,5", "15")).unwrap();
    assert_eq!(stored(&ws, a, "1.1").unwrap().numerator, Some(12.5));
    // An amount takes the decimal comma: 1,25 million đồng.
    assessment::save_value(&mut ws, a, "2.1", &value("1,250")).unwrap();
    assert_eq!(stored(&ws, a, "2.1").unwrap().value_number, Some(1.25));
    assert!(
        stored(&ws, a, "2.2").is_none(),
        "nothing stored for the refused count"
    );
}

#[test]
fn r_ambiguous_number_forms_guessed_silently() {
    let dir = tempdir();
    let mut ws = open(&dir.path().join("ws.sqlite"));
    let (_, _, a) = commune_with_assessment(&mut ws);
    for text in ["1,234.5", "1.23.456", "1,2,3", "1.2345.678", "NaN", "inf"] {
        let e = assessment::save_value(&mut ws, a, "2.1", &value(text)).unwrap_err();
        assert!(
            e.summary.contains(&format!("giá trị «{text}»")),
            "{}",
            e.summary
        );
    }
    assert!(ws.values(a).unwrap().is_empty());
}

#[test]
fn which_ratios_count_whole_things_follows_their_wording() {
    let builtin = ntm_dossier::app::catalog::BUILTIN;
    let qd318 = builtin
        .iter()
        .find(|(n, _)| *n == "qd318-2022-xa.toml")
        .unwrap();
    let e = parse_edition(qd318.1).unwrap();
    let counted = |code: &str| e.indicator(code).unwrap().1.counted_things();
    assert_eq!(counted("3.1"), None, "hectares take fractions");
    assert_eq!(counted("15.3"), Some("số trẻ"));
    assert_eq!(counted("15.4"), Some("số người"));
    let qd1980 = builtin
        .iter()
        .find(|(n, _)| *n == "qd1980-2016-xa.toml")
        .unwrap();
    let e = parse_edition(qd1980.1).unwrap();
    let counted = |code: &str| e.indicator(code).unwrap().1.counted_things();
    assert_eq!(counted("10.1"), None, "million đồng per person per year");
    assert_eq!(counted("15.1"), Some("số người"));
}

#[test]
fn r_numerator_above_denominator_imported() {
    let dir = tempdir();
    let mut ws = open(&dir.path().join("ws.sqlite"));
    let (_, _, a) = commune_with_assessment(&mut ws);
    let good = dir.path().join("good.csv");
    std::fs::write(&good, "indicator,numerator,denominator\n1.1,50,100\n").unwrap();
    values_import::import(&mut ws, a, &good).unwrap();
    let before = snapshot(&ws, a);
    let bad = dir.path().join("bad.csv");
    std::fs::write(
        &bad,
        "indicator,numerator,denominator,value\n3.1,,,6\n1.1,150,100,\n",
    )
    .unwrap();
    let err = import_err(&mut ws, a, &bad);
    assert!(
        err.contains("hàng 3: tử số (150) không thể lớn hơn mẫu số (100)"),
        "{err}"
    );
    assert_eq!(snapshot(&ws, a), before, "nothing of the file was imported");
    // The walk-through refuses it too.
    assert!(assessment::save_value(&mut ws, a, "1.1", &ratio("150", "100")).is_err());
}

#[test]
fn a_hostile_values_file_is_refused_row_by_row_and_changes_nothing() {
    let dir = tempdir();
    let mut ws = open(&dir.path().join("ws.sqlite"));
    let (_, _, a) = commune_with_assessment(&mut ws);
    let good = dir.path().join("good.csv");
    std::fs::write(
        &good,
        "indicator,numerator,denominator,value\n1.1,50,100,\n3.1,,,4\n",
    )
    .unwrap();
    values_import::import(&mut ws, a, &good).unwrap();
    let before = snapshot(&ws, a);
    let bad = dir.path().join("bad.csv");
    std::fs::write(
        &bad,
        "indicator;numerator;denominator;value\n\
         1.1;5;0;\n\
         2.2;5;-10;\n\
         2.1;;;inf\n\
         3.1;;;-3\n",
    )
    .unwrap();
    let err = import_err(&mut ws, a, &bad);
    for needle in [
        "hàng 2: mẫu số phải lớn hơn 0",
        "hàng 3: mẫu số «-10» là số âm",
        "hàng 4: giá trị «inf» không phải là số",
        "hàng 5: giá trị «-3» là số âm",
    ] {
        assert!(err.contains(needle), "missing «{needle}» in:\n{err}");
    }
    assert!(err.contains("chưa nhập dòng nào"), "{err}");
    assert_eq!(snapshot(&ws, a), before);
    std::fs::write(
        &bad,
        "indicator,numerator,denominator,value\n2.1,,,NaN\n1.1,\"1,234.5\",2000,\n",
    )
    .unwrap();
    let err = import_err(&mut ws, a, &bad);
    for needle in [
        "hàng 2: giá trị «NaN» không phải là số",
        "hàng 3: tử số «1,234.5» không rõ cách đọc",
    ] {
        assert!(err.contains(needle), "missing «{needle}» in:\n{err}");
    }
    assert_eq!(snapshot(&ws, a), before);
}

#[test]
fn r_dotted_thousands_read_as_decimal_in_comma_csv() {
    let dir = tempdir();
    let mut ws = open(&dir.path().join("ws.sqlite"));
    let (_, _, a) = commune_with_assessment(&mut ws);
    let csv = dir.path().join("v.csv");
    std::fs::write(
        &csv,
        "indicator,numerator,denominator,value\n1.1,\"1.234,5\",1.500,\n3.1,,,1.250\n2.1,,,\"45.000,5\"\n",
    )
    .unwrap();
    values_import::import(&mut ws, a, &csv).unwrap();
    let v = stored(&ws, a, "1.1").unwrap();
    assert_eq!((v.numerator, v.denominator), (Some(1234.5), Some(1500.0)));
    assert_eq!(stored(&ws, a, "3.1").unwrap().value_number, Some(1250.0));
    assert_eq!(stored(&ws, a, "2.1").unwrap().value_number, Some(45000.5));
}

#[test]
fn r_semicolon_csv_read_decimal_point_as_thousands() {
    let dir = tempdir();
    let mut ws = open(&dir.path().join("ws.sqlite"));
    let (_, _, a) = commune_with_assessment(&mut ws);
    let csv = dir.path().join("v.csv");
    // A spreadsheet's 12.5 is twelve and a half in a `;` file too (it was read 125).
    std::fs::write(
        &csv,
        "indicator;numerator;denominator;value\n1.1;12.5;100;\n3.1;;;1 250\n2.1;;;1.234,5\n",
    )
    .unwrap();
    values_import::import(&mut ws, a, &csv).unwrap();
    assert_eq!(stored(&ws, a, "1.1").unwrap().numerator, Some(12.5));
    assert_eq!(stored(&ws, a, "3.1").unwrap().value_number, Some(1250.0));
    assert_eq!(stored(&ws, a, "2.1").unwrap().value_number, Some(1234.5));
}

#[test]
fn r_values_csv_unterminated_quote_swallows_next_row() {
    let dir = tempdir();
    let mut ws = open(&dir.path().join("ws.sqlite"));
    let (_, _, a) = commune_with_assessment(&mut ws);
    let csv = dir.path().join("v.csv");
    std::fs::write(
        &csv,
        "indicator,numerator,denominator,value,note\n1.1,90,100,,\"Số liệu phòng Kinh tế\n3.1,,,6,\n",
    )
    .unwrap();
    let err = import_err(&mut ws, a, &csv);
    assert!(
        err.contains("hàng 2") && err.contains("dòng 2") && err.contains("dấu ngoặc kép"),
        "{err}"
    );
    assert!(ws.values(a).unwrap().is_empty(), "nothing imported");
    // Well-formed quotes still work: a note over two lines, and doubled quotes.
    std::fs::write(
        &csv,
        "indicator,numerator,denominator,value,note\n1.1,90,100,,\"dòng một\ndòng hai\"\n3.1,,,6,\"gọi là \"\"tổ\"\"\"\n",
    )
    .unwrap();
    values_import::import(&mut ws, a, &csv).unwrap();
    assert_eq!(
        stored(&ws, a, "1.1").unwrap().note.as_deref(),
        Some("dòng một\ndòng hai")
    );
    assert_eq!(
        stored(&ws, a, "3.1").unwrap().note.as_deref(),
        Some("gọi là \"tổ\"")
    );
}

fn header(sheet: &mut rust_xlsxwriter::Worksheet) {
    for (c, h) in ["indicator", "numerator", "denominator", "value"]
        .iter()
        .enumerate()
    {
        sheet.write_string(0, c as u16, *h).unwrap();
    }
}

#[test]
fn r_values_xlsx_date_cell_read_as_serial() {
    let dir = tempdir();
    let mut ws = open(&dir.path().join("ws.sqlite"));
    let (_, _, a) = commune_with_assessment(&mut ws);
    let path = dir.path().join("v.xlsx");
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    header(sheet);
    sheet.write_string(1, 0, "1.1").unwrap();
    sheet.write_number(1, 1, 90).unwrap();
    sheet.write_number(1, 2, 100).unwrap();
    sheet.write_string(2, 0, "2.1").unwrap();
    let date = ExcelDateTime::from_ymd(2024, 5, 1).unwrap();
    sheet
        .write_datetime_with_format(2, 3, &date, &Format::new().set_num_format("dd/mm/yyyy"))
        .unwrap();
    book.save(&path).unwrap();
    let err = import_err(&mut ws, a, &path);
    assert!(
        err.contains("hàng 3, cột «value»: ô là ngày tháng (01/05/2024)"),
        "{err}"
    );
    assert!(!err.contains("45413"), "{err}");
    assert!(ws.values(a).unwrap().is_empty(), "nothing imported");
}

#[test]
fn xlsx_number_cells_keep_their_value_and_text_cells_read_like_typing() {
    let dir = tempdir();
    let mut ws = open(&dir.path().join("ws.sqlite"));
    let (_, _, a) = commune_with_assessment(&mut ws);
    let path = dir.path().join("v.xlsx");
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    header(sheet);
    // A number cell 79.995 is seventy-nine and a bit, whatever its digits look like.
    sheet.write_string(1, 0, "1.1").unwrap();
    sheet.write_number(1, 1, 79.995).unwrap();
    sheet.write_number(1, 2, 100).unwrap();
    // A text cell «1.250» is typed the Vietnamese way.
    sheet.write_string(2, 0, "3.1").unwrap();
    sheet.write_string(2, 3, "1.250").unwrap();
    // An indicator code Excel took for a number is still the code 2.1.
    sheet.write_number(3, 0, 2.1).unwrap();
    sheet.write_string(3, 3, "1\u{a0}234,5").unwrap();
    book.save(&path).unwrap();
    values_import::import(&mut ws, a, &path).unwrap();
    assert_eq!(stored(&ws, a, "1.1").unwrap().numerator, Some(79.995));
    assert_eq!(stored(&ws, a, "3.1").unwrap().value_number, Some(1250.0));
    assert_eq!(stored(&ws, a, "2.1").unwrap().value_number, Some(1234.5));
}

#[test]
fn r_values_xlsx_reads_alphabetically_first_sheet() {
    let dir = tempdir();
    let mut ws = open(&dir.path().join("ws.sqlite"));
    let (_, _, a) = commune_with_assessment(&mut ws);
    let path = dir.path().join("v.xlsx");
    let mut book = Workbook::new();
    // The first sheet in the workbook is «Số liệu»; «Hướng dẫn» comes first by name.
    let data = book.add_worksheet().set_name("Số liệu").unwrap();
    header(data);
    data.write_string(1, 0, "3.1").unwrap();
    data.write_number(1, 3, 6).unwrap();
    let help = book.add_worksheet().set_name("Hướng dẫn").unwrap();
    help.write_string(0, 0, "Cách điền").unwrap();
    help.write_string(1, 0, "Mỗi hàng một chỉ tiêu").unwrap();
    book.save(&path).unwrap();
    assert_eq!(values_import::import(&mut ws, a, &path).unwrap(), 1);
    assert_eq!(stored(&ws, a, "3.1").unwrap().value_number, Some(6.0));
}

#[test]
fn r_conditions_rejects_dotted_thousands() {
    let form = ConditionsForm {
        households_surveyed: "1.250".into(),
        households_satisfied: "1.200".into(),
        satisfaction_threshold: "95".into(),
        ..Default::default()
    };
    let c = form.validate().unwrap();
    assert_eq!(
        (c.households_surveyed, c.households_satisfied),
        (Some(1250), Some(1200))
    );
    assert_eq!(form.satisfaction_preview().unwrap(), Some(96.0));
    // Shown back with its separator, and read back the same.
    let shown = ConditionsForm::from_record(&c);
    assert_eq!(shown.households_surveyed, "1.250");
    assert_eq!(shown.validate().unwrap(), c);
    // «95.200» groups thousands: above 100 %, refused with how it was read.
    let e = ConditionsForm {
        satisfaction_threshold: "95.200".into(),
        ..form.clone()
    }
    .validate()
    .unwrap_err();
    assert!(
        e.summary.contains("«95.200» được đọc là 95.200 %")
            && e.summary.contains("từ 0 đến 100 %")
            && e.summary.contains("hãy gõ 95,2"),
        "{}",
        e.summary
    );
    assert_eq!(
        ConditionsForm {
            satisfaction_threshold: "95,2".into(),
            ..form.clone()
        }
        .validate()
        .unwrap()
        .satisfaction_threshold,
        Some(95.2)
    );
    // «1,250» households cannot be; the preview shows the same refusal as the save.
    let fractional = ConditionsForm {
        households_surveyed: "1,250".into(),
        ..form
    };
    let e = fractional.validate().unwrap_err();
    assert!(
        e.summary
            .contains("«1,250» được đọc là 1,25 — số hộ phải là số nguyên"),
        "{}",
        e.summary
    );
    assert_eq!(
        fractional.satisfaction_preview().unwrap_err().summary,
        e.summary
    );
}

fn pdftotext(path: &Path) -> String {
    let out = std::process::Command::new("pdftotext")
        .arg(path)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils)");
    assert!(out.status.success());
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn r_packet_prints_household_counts_without_thousands_separators() {
    let dir = tempdir();
    let path = dir.path().join("ws.sqlite");
    let mut ws = open(&path);
    let (_, _, a) = commune_with_assessment(&mut ws);
    assessment::save_value(&mut ws, a, "1.1", &ratio("1.250", "1.500")).unwrap();
    assessment::save_value(&mut ws, a, "2.1", &value("1.234,5")).unwrap();
    let c = ConditionsForm {
        households_surveyed: "1.250".into(),
        households_satisfied: "1.200".into(),
        satisfaction_threshold: "90".into(),
        ..Default::default()
    };
    ws.set_conditions(a, &c.validate().unwrap()).unwrap();
    let loaded = assessment::load(&ws, a, ntm_dossier::app::today()).unwrap();
    let survey = loaded
        .status
        .conditions
        .iter()
        .find(|c| c.key == "hai_long")
        .unwrap();
    assert!(
        survey.detail.starts_with("1.200/1.250 hộ hài lòng (96 %)"),
        "{}",
        survey.detail
    );
    let t = dossier::template("xa").unwrap();
    let out = dir.path().join("ho-so.pdf");
    dossier::build(&ws, a, &t, &out, false, &|_, _| {}).unwrap();
    let text = pdftotext(&out)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    for expected in [
        "số hộ được lấy ý kiến 1.250 hộ",
        "số hộ hài lòng 1.200 hộ",
        "1.200/1.250 hộ hài lòng (96 %)",
        // The table of results wraps its cells: each figure is checked alone.
        "1.250/1.500",
        "(83,33 %)",
        "1.234,5 triệu",
    ] {
        assert!(text.contains(expected), "missing «{expected}» in:\n{text}");
    }
}

/// A province, a commune and a QĐ 318 assessment, created by clicking.
fn start_qd318_assessment(h: &mut Harness<'_, NtmUi>) {
    h.run();
    h.get_by_label("Thêm đơn vị…").click();
    h.run();
    type_into(h, "Tên đơn vị", "Hà Tĩnh");
    h.get_by_label("Lưu đơn vị").click();
    h.run();
    h.get_by_label("Tỉnh Hà Tĩnh").click();
    h.run();
    h.get_by_label("Thêm đơn vị…").click();
    h.run();
    type_into(h, "Tên đơn vị", "Cẩm Bình");
    h.get_by_label("Lưu đơn vị").click();
    h.run();
    h.get_by_label("Xã Cẩm Bình").click();
    h.run();
    choose(
        h,
        "Bộ tiêu chí",
        "QĐ 318/QĐ-TTg — xã NTM 2021–2025 (Bộ tiêu chí quốc gia về xã nông thôn mới giai đoạn 2021–2025)",
    );
    h.get_by_label("Tạo đợt đánh giá").click();
    h.run();
    no_error(h);
}

#[test]
fn typing_dotted_thousands_in_the_walk_through_previews_and_stores_the_same_number() {
    let dir = tempdir();
    let path = dir.path().join("ho-so.sqlite");
    let mut h = ui_harness(&path);
    start_qd318_assessment(&mut h);
    h.get_by_label("Rà soát tiêu chí").click();
    h.run();
    // 3.1 measures hectares: 1.250 ha of 1.500 ha is 83,33 %, above 80 %.
    h.get_all_by_label_contains("3. Thủy lợi")
        .next()
        .unwrap()
        .click();
    h.run();
    enter_first(&mut h, "Tử số", "1.250");
    enter_first(&mut h, "Mẫu số", "1.500");
    no_error(&h);
    h.get_by_label("Tỷ lệ: 83,33 %");
    h.get_by_label("đọc là tử số 1.250, mẫu số 1.500");
    drop(h);
    let ws = open(&path);
    let a = ws.assessments().unwrap()[0].id;
    let v = stored(&ws, a, "3.1").unwrap();
    assert_eq!((v.numerator, v.denominator), (Some(1250.0), Some(1500.0)));
    assert_eq!(v.computed_verdict.code(), "dat");
}

#[test]
fn r_conditions_screen_rejects_dotted_thousands_it_previews() {
    let dir = tempdir();
    let path = dir.path().join("ho-so.sqlite");
    let mut h = ui_harness(&path);
    start_qd318_assessment(&mut h);
    h.get_all_by_label("Điều kiện công nhận")
        .next()
        .unwrap()
        .click();
    h.run();
    enter_first(&mut h, "Số hộ được hỏi ý kiến", "1.250");
    enter_first(&mut h, "Số hộ hài lòng", "1.200");
    no_error(&h);
    h.get_by_label("Tỷ lệ hài lòng: 96 %");
    // A threshold of «95.200» is 95 200 %: the preview says so and nothing is saved.
    enter_first(&mut h, "Ngưỡng hài lòng (%)", "95.200");
    h.get_by_label_contains("Chưa lưu: Ngưỡng tỷ lệ hài lòng «95.200» được đọc là 95.200 %");
    no_error(&h);
    replace_text(&mut h, "Ngưỡng hài lòng (%)", "95,2");
    h.key_press(egui::Key::Enter);
    h.run();
    h.get_by_label("Tỷ lệ hài lòng: 96 %");
    drop(h);
    let ws = open(&path);
    let a = ws.assessments().unwrap()[0].id;
    let c = ws.conditions(a).unwrap();
    assert_eq!(
        (c.households_surveyed, c.households_satisfied),
        (Some(1250), Some(1200))
    );
    assert_eq!(c.satisfaction_threshold, Some(95.2));
}

#[test]
fn r_catalogue_editor_reads_dotted_thousands_as_decimal() {
    let dir = tempdir();
    let path = dir.path().join("ho-so.sqlite");
    let mut h = ui_harness(&path);
    h.run();
    h.get_all_by_label("Danh mục tiêu chí")
        .next()
        .unwrap()
        .click();
    h.run();
    h.get_by_label_contains("(mã qd318-2022-xa)").click();
    h.run();
    type_into(&mut h, "Tạo bản của tỉnh, mã", "qd318-2022-xa-ha-tinh");
    type_into(&mut h, "tên", "Bộ tiêu chí xã NTM tỉnh Hà Tĩnh");
    h.get_by_label("Sao chép").click();
    h.run();
    no_error(&h);
    h.get_by_label("Sửa bộ tiêu chí").click();
    h.run();
    h.get_by_label_contains("3. Thủy lợi").click();
    h.run();
    // «1.250» is one thousand two hundred and fifty per cent: refused, not read 1,25.
    replace_text(&mut h, "Ngưỡng 3.1 — Chung", "1.250");
    h.get_by_label("Lưu bộ tiêu chí").click();
    h.run();
    h.get_by_label_contains("được đọc là 1.250 % — ngưỡng tỷ lệ phải từ 0 đến 100 %");
    replace_text(&mut h, "Ngưỡng 3.1 — Chung", "85,5");
    h.get_by_label("Lưu bộ tiêu chí").click();
    h.run();
    no_error(&h);
    drop(h);
    let ws = open(&path);
    let (_, edited) = ntm_dossier::app::catalog::load(&ws, "qd318-2022-xa-ha-tinh").unwrap();
    let (_, ind) = edited.indicator("3.1").unwrap();
    assert_eq!(
        ind.thresholds[0].value,
        ntm_dossier::domain::catalog::ThresholdValue::Number(85.5)
    );
}

/// A province's catalogue workbook whose cells are all text, with `threshold` as the
/// only threshold of ratio 1.1.
fn catalogue_workbook(path: &Path, threshold: &str) {
    let sheets: [(&str, Vec<Vec<&str>>); 3] = [
        (
            "an_ban",
            vec![
                vec!["khoa", "gia_tri"],
                vec!["code", "thu-so-xa"],
                vec!["title", "Bộ tiêu chí thử số"],
                vec!["level", "xa"],
                vec!["targets", "ntm"],
                vec!["keyed_by", "khong"],
            ],
        ),
        ("tieu_chi", vec![vec!["so", "ten"], vec!["1", "Hạ tầng"]]),
        (
            "chi_tieu",
            vec![
                vec![
                    "ma",
                    "noi_dung",
                    "loai",
                    "so_sanh",
                    "don_vi",
                    "nguong:chung",
                    "nguon:chung",
                ],
                vec![
                    "1.1",
                    "Tỷ lệ đường được cứng hóa",
                    "ty_le",
                    ">=",
                    "%",
                    threshold,
                    "QĐ tỉnh",
                ],
            ],
        ),
    ];
    let mut book = Workbook::new();
    for (name, rows) in sheets {
        let sheet = book.add_worksheet().set_name(name).unwrap();
        for (r, row) in rows.iter().enumerate() {
            for (c, v) in row.iter().enumerate() {
                sheet.write_string(r as u32, c as u16, *v).unwrap();
            }
        }
    }
    book.save(path).unwrap();
}

#[test]
fn r_catalogue_xlsx_text_threshold_read_as_decimal() {
    let dir = tempdir();
    let mut ws = open(&dir.path().join("ws.sqlite"));
    let path = dir.path().join("tinh.xlsx");
    catalogue_workbook(&path, "1.250");
    let e = ntm_dossier::app::catalog::import(&mut ws, &path).unwrap_err();
    let text = format!("{}\n{}", e.summary, e.details.join("\n"));
    assert!(
        text.contains("trang tính chi_tieu, hàng 2")
            && text.contains("ngưỡng tỷ lệ 1.250 % phải từ 0 đến 100 %"),
        "{text}"
    );
    catalogue_workbook(&path, "85,5");
    let (edition, _) = ntm_dossier::app::catalog::import(&mut ws, &path).unwrap();
    assert_eq!(
        edition.indicator("1.1").unwrap().1.thresholds[0].value,
        ntm_dossier::domain::catalog::ThresholdValue::Number(85.5)
    );
}

#[test]
fn r_editing_a_stored_value_rounds_it_to_two_decimals() {
    let dir = tempdir();
    let mut ws = open(&dir.path().join("ws.sqlite"));
    let (_, _, a) = commune_with_assessment(&mut ws);
    assessment::save_value(&mut ws, a, "1.1", &ratio("79,995", "100")).unwrap();
    let form = ValueForm::from_record(stored(&ws, a, "1.1").as_ref());
    assert_eq!(form.numerator, "79,995", "the field shows what was stored");
    assessment::save_value(&mut ws, a, "1.1", &form).unwrap();
    assert_eq!(stored(&ws, a, "1.1").unwrap().numerator, Some(79.995));
}

#[test]
fn r_values_csv_decimal_comma_splits_a_number_across_columns() {
    let dir = tempdir();
    let mut ws = open(&dir.path().join("ws.sqlite"));
    let (_, _, a) = commune_with_assessment(&mut ws);
    let csv = dir.path().join("v.csv");
    // «2,5» unquoted in a comma file: read as 2 and 5 with 100 left over (it was
    // imported as 2 of 5, a wrong 40 %).
    std::fs::write(&csv, "indicator,numerator,denominator\n1.1,2,5,100\n").unwrap();
    let err = import_err(&mut ws, a, &csv);
    assert!(
        err.contains("hàng 2, có nhiều ô hơn dòng tiêu đề (ô thừa «100»)")
            && err.contains("\"12,5\""),
        "{err}"
    );
    assert!(ws.values(a).unwrap().is_empty());
    // Trailing empty cells, as spreadsheets export them, are fine.
    std::fs::write(&csv, "indicator,numerator,denominator\n1.1,\"2,5\",5,,\n").unwrap();
    values_import::import(&mut ws, a, &csv).unwrap();
    assert_eq!(stored(&ws, a, "1.1").unwrap().numerator, Some(2.5));
}

#[test]
fn r_ratio_value_column_ignored() {
    let dir = tempdir();
    let mut ws = open(&dir.path().join("ws.sqlite"));
    let (_, _, a) = commune_with_assessment(&mut ws);
    let csv = dir.path().join("v.csv");
    std::fs::write(
        &csv,
        "indicator,numerator,denominator,value\n1.1,90,100,85\n",
    )
    .unwrap();
    let err = import_err(&mut ws, a, &csv);
    assert!(
        err.contains("hàng 2: chỉ tiêu 1.1 là tỷ lệ: chỉ nhập tử số và mẫu số, để trống «value» (đang có «85»)"),
        "{err}"
    );
    assert!(ws.values(a).unwrap().is_empty());
}
