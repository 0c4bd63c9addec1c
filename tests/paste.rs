//! Pasting an annex table: realistic clipboard text from Word, a PDF viewer and Excel
//! (tests/fixtures/paste/, test data only) read field by field; a broken paste saves
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
use egui_kittest::kittest::Queryable;
use ntm_dossier::app::catalog;
use ntm_dossier::domain::catalog::paste::{ColumnRole, PastedTable, parse_paste};
use ntm_dossier::domain::catalog::{Comparator, Edition, IndicatorKind, KeyedBy, ThresholdValue};
use ntm_dossier::domain::units::{CommuneGroup, Region, Segment};
use std::path::PathBuf;

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/paste")
        .join(name)
}

fn read(name: &str) -> String {
    std::fs::read_to_string(fixture(name)).unwrap()
}

fn g(n: u8) -> Segment {
    Segment::Group(match n {
        1 => CommuneGroup::One,
        2 => CommuneGroup::Two,
        _ => CommuneGroup::Three,
    })
}

/// (segment, value) of an indicator's thresholds.
fn thresholds(e: &Edition, code: &str) -> Vec<(Segment, ThresholdValue)> {
    let (_, i) = e
        .indicator(code)
        .unwrap_or_else(|| panic!("{code} missing"));
    i.thresholds
        .iter()
        .map(|t| (t.segment, t.value.clone()))
        .collect()
}

fn num(n: f64) -> ThresholdValue {
    ThresholdValue::Number(n)
}

fn save(name: &str, base: &str, code: &str) -> (tempfile::TempDir, Edition, PastedTable) {
    let dir = tempdir();
    let mut ws = open(&dir.path().join("ws.sqlite"));
    let text = read(name);
    let preview = catalog::paste_preview(&ws, base, code, "", &text).unwrap();
    assert!(preview.problems.is_empty(), "{:?}", preview.problems);
    let saved = catalog::paste_save(&mut ws, base, code, "", &text).unwrap();
    let (record, stored) = catalog::load(&ws, code).unwrap();
    assert!(!record.builtin);
    assert_eq!(stored, saved);
    (dir, stored, preview.table)
}

#[test]
fn a_word_table_with_two_header_rows_merged_and_split_cells_reads_field_by_field() {
    let (_dir, e, table) = save("word-nhom.txt", "qd51-2025-xa", "qd51-2025-xa-thu");
    assert_eq!(
        table.columns,
        vec![
            ColumnRole::Code,
            ColumnRole::CriterionName,
            ColumnRole::Text,
            ColumnRole::Unit,
            ColumnRole::Threshold(g(1)),
            ColumnRole::Threshold(g(2)),
            ColumnRole::Threshold(g(3)),
        ]
    );
    // The national criteria not in the paste stay, names untouched and verified.
    assert_eq!(e.criteria.len(), 10);
    assert_eq!(e.indicator_count(), 7);
    let c2 = &e.criteria[1];
    assert_eq!(
        (c2.number, c2.name.as_str(), c2.name_verified),
        (2, "Hạ tầng kinh tế - xã hội", true)
    );

    // 1.1: «Đạt» in a merged cell across the three groups, flagged.
    let (_, i) = e.indicator("1.1").unwrap();
    assert_eq!(i.text, "Có quy hoạch chung xã được phê duyệt (dữ liệu thử)");
    assert_eq!(i.kind, IndicatorKind::YesNo);
    assert_eq!(
        thresholds(&e, "1.1"),
        vec![
            (g(1), ThresholdValue::Yes),
            (g(2), ThresholdValue::Yes),
            (g(3), ThresholdValue::Yes)
        ]
    );
    assert!(
        table
            .notices
            .iter()
            .any(|n| n.line == 4 && n.column == 5 && n.message.contains("ô gộp")),
        "{:?}",
        table.notices
    );
    // 2.1: a cell on two lines, «100%» beside «≥ 90%».
    let (_, i) = e.indicator("2.1").unwrap();
    assert_eq!(
        i.text,
        "Tỷ lệ km đường trục xã được nhựa hóa hoặc bê tông hóa (dữ liệu thử)"
    );
    assert_eq!(
        (i.kind, i.comparator, i.unit.as_str()),
        (IndicatorKind::Ratio, Comparator::AtLeast, "%")
    );
    assert_eq!(
        thresholds(&e, "2.1"),
        vec![(g(1), num(100.0)), (g(2), num(90.0)), (g(3), num(80.0))]
    );
    // 2.2): NBSP, «Tối thiểu», «≥80 %».
    assert_eq!(
        thresholds(&e, "2.2"),
        vec![(g(1), num(80.0)), (g(2), num(80.0)), (g(3), num(80.0))]
    );
    // a) and b) under criterion 6 (typed decomposed) become 6.1 and 6.2.
    let c6 = e.criteria.iter().find(|c| c.number == 6).unwrap();
    assert_eq!(c6.name, "Giảm nghèo và an sinh xã hội");
    let (_, i) = e.indicator("6.1").unwrap();
    assert_eq!(i.text, "Tỷ lệ hộ nghèo đa chiều (dữ liệu thử)");
    assert_eq!(i.comparator, Comparator::AtMost);
    assert_eq!(
        thresholds(&e, "6.1"),
        vec![(g(1), num(2.0)), (g(2), num(4.0)), (g(3), num(24.0))]
    );
    let (_, i) = e.indicator("6.2").unwrap();
    assert_eq!(
        (i.kind, i.comparator, i.unit.as_str()),
        (
            IndicatorKind::Amount,
            Comparator::AtLeast,
            "triệu đồng/người"
        )
    );
    assert_eq!(
        thresholds(&e, "6.2"),
        vec![(g(1), num(45.0)), (g(2), num(40.0)), (g(3), num(35.0))]
    );
    // 9.1: a level «trở lên», merged across the groups; its level list must be completed.
    let (_, i) = e.indicator("9.1").unwrap();
    assert_eq!(
        (i.kind, i.comparator, i.levels.clone()),
        (
            IndicatorKind::Level,
            Comparator::AtLeast,
            vec!["Hoàn thành tốt nhiệm vụ".to_string()]
        )
    );
    assert!(
        table
            .notices
            .iter()
            .any(|n| n.message.contains("9.1") && n.message.contains("bổ sung các mức"))
    );
    // 10.1: «Đạt» and «Có».
    assert_eq!(
        thresholds(&e, "10.1"),
        vec![
            (g(1), ThresholdValue::Yes),
            (g(2), ThresholdValue::Yes),
            (g(3), ThresholdValue::Yes)
        ]
    );
    // Group headings, unverified thresholds with the decision as source.
    assert_eq!(e.criteria[0].group, "I. QUY HOẠCH");
    assert_eq!(e.criteria[1].group, "II. HẠ TẦNG KINH TẾ - XÃ HỘI");
    assert_eq!(e.criteria[2].group, "", "criteria not pasted keep theirs");
    for (_, i) in e.indicators() {
        assert!(!i.text_verified);
        for t in &i.thresholds {
            assert!(!t.verified);
            assert!(t.source.contains("51/2025"), "{}", t.source);
        }
    }
}

#[test]
fn a_pdf_viewer_table_by_region_with_a_wrapped_line_reads_field_by_field() {
    let (_dir, e, table) = save("pdf-vung.txt", "qd318-2022-xa", "qd318-2022-xa-thu");
    assert!(table.notices.is_empty(), "{:?}", table.notices);
    let (_, i) = e.indicator("3.1").unwrap();
    assert_eq!(
        i.text,
        "Tỷ lệ diện tích đất sản xuất nông nghiệp được tưới và tiêu nước chủ động (dữ liệu thử)"
    );
    assert_eq!(thresholds(&e, "3.1"), vec![(Segment::General, num(80.0))]);
    let (_, i) = e.indicator("3.2").unwrap();
    assert_eq!(i.kind, IndicatorKind::YesNo);
    let stunting = thresholds(&e, "15.3");
    let expected = [24.0, 16.5, 25.0, 22.0, 26.5, 14.5, 19.0];
    assert_eq!(stunting.len(), 7);
    for ((seg, value), (region, want)) in stunting.iter().zip(Region::ALL.iter().zip(expected)) {
        assert_eq!((*seg, value), (Segment::Region(*region), &num(want)));
    }
    let (_, i) = e.indicator("15.3").unwrap();
    assert_eq!(i.comparator, Comparator::AtMost);
    // Criterion 15's other indicators are replaced by the pasted one only.
    assert_eq!(
        e.criteria
            .iter()
            .find(|c| c.number == 15)
            .unwrap()
            .indicators
            .len(),
        1
    );
    assert_eq!(e.criteria.len(), 19);
}

#[test]
fn an_excel_table_with_quoted_multi_line_cells_and_merged_blanks_reads_field_by_field() {
    let (_dir, e, table) = save("excel-nhom.txt", "qd51-2025-xa", "qd51-2025-xa-excel");
    let c4 = e.criteria.iter().find(|c| c.number == 4).unwrap();
    assert_eq!(c4.name, "Đào tạo nguồn nhân lực nông thôn");
    let (_, i) = e.indicator("4.1").unwrap();
    assert_eq!(i.text, "Tỷ lệ lao động qua đào tạo (dữ liệu thử)");
    assert_eq!(
        thresholds(&e, "4.1"),
        vec![(g(1), num(75.0)), (g(2), num(70.0)), (g(3), num(65.0))]
    );
    assert_eq!(
        thresholds(&e, "4.2"),
        vec![(g(1), num(35.0)), (g(2), num(30.0)), (g(3), num(25.0))]
    );
    assert_eq!(
        thresholds(&e, "7.1"),
        vec![
            (g(1), ThresholdValue::Yes),
            (g(2), ThresholdValue::Yes),
            (g(3), ThresholdValue::Yes)
        ]
    );
    assert!(table.notices.iter().any(|n| n.message.contains("7.1")));
}

#[test]
fn a_broken_paste_names_each_cell_and_saves_nothing() {
    let dir = tempdir();
    let mut ws = open(&dir.path().join("ws.sqlite"));
    let before = ws.editions().unwrap();
    let text = read("broken-nhom.txt");
    let table = parse_paste(&text, KeyedBy::Group);
    let places: Vec<(usize, usize)> = table.problems.iter().map(|p| (p.line, p.column)).collect();
    assert_eq!(places, vec![(2, 5), (3, 4)], "{:?}", table.problems);
    assert!(table.problems[0].message.contains("Khoảng 80%"));
    let err =
        catalog::paste_save(&mut ws, "qd51-2025-xa", "qd51-2025-xa-hong", "", &text).unwrap_err();
    assert!(
        err.details.iter().any(|d| d.starts_with("dòng 2, cột 5")),
        "{err}"
    );
    assert!(err.details.iter().any(|d| d.starts_with("dòng 3, cột 4")));
    assert_eq!(ws.editions().unwrap(), before);
}

#[test]
fn region_columns_on_a_group_edition_are_refused() {
    let table = parse_paste(&read("pdf-vung.txt"), KeyedBy::Group);
    assert_eq!(
        table
            .problems
            .iter()
            .filter(|p| p.line == 1 && p.message.contains("không dùng được"))
            .count(),
        7
    );
}

#[test]
fn a_paste_without_a_header_is_refused_with_what_was_not_recognised() {
    let table = parse_paste("2\tHạ tầng\t≥ 80%\n", KeyedBy::Group);
    assert_eq!(table.problems.len(), 1);
    assert!(table.problems[0].message.contains("tiêu đề"));
    assert!(table.criteria.is_empty());
}

#[test]
fn a_paste_cannot_overwrite_a_builtin_edition() {
    let dir = tempdir();
    let mut ws = open(&dir.path().join("ws.sqlite"));
    let before = ws.editions().unwrap();
    let err = catalog::paste_save(
        &mut ws,
        "qd51-2025-xa",
        "qd318-2022-xa",
        "",
        &read("word-nhom.txt"),
    )
    .unwrap_err();
    assert!(err.summary.contains("có sẵn"), "{err}");
    assert_eq!(ws.editions().unwrap(), before);
}

fn paste_into(h: &mut egui_kittest::Harness<'_, ntm_dossier::ui::NtmUi>, label: &str, text: &str) {
    h.get_by_label(label).focus();
    h.run();
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    h.run();
    h.input_mut()
        .events
        .push(egui::Event::Paste(text.to_string()));
    h.run();
    h.run();
}

#[test]
fn the_catalogue_screen_pastes_an_annex_table_refuses_a_broken_one_and_saves() {
    let dir = tempdir();
    let path = dir.path().join("ho-so.sqlite");
    let mut h = ui_harness(&path);
    h.run();
    h.get_all_by_label("Danh mục tiêu chí")
        .next()
        .unwrap()
        .click();
    h.run();
    h.get_by_label_contains("(mã qd51-2025-xa)").click();
    h.run();
    h.get_by_label("Tạo bản của tỉnh, mã").focus();
    h.run();
    h.get_by_label("Tạo bản của tỉnh, mã")
        .type_text("qd51-2025-xa-thu");
    h.run();
    h.get_by_label("Dán bảng phụ lục…").click();
    h.run();
    paste_into(&mut h, "Bảng đã dán", &read("broken-nhom.txt"));
    h.get_by_label_contains("Lỗi: dòng 2, cột 5: chỉ tiêu 2.1: không đọc được ngưỡng «Khoảng 80%»");
    h.get_by_label_contains("Lỗi: dòng 3, cột 4");
    h.get_by_label_contains("Chưa lưu được");
    h.get_by_label("Lưu bản của tỉnh").click();
    h.run();
    assert!(
        h.state()
            .state
            .editions
            .iter()
            .all(|e| e.code != "qd51-2025-xa-thu"),
        "a broken paste saves nothing"
    );

    paste_into(&mut h, "Bảng đã dán", &read("word-nhom.txt"));
    h.get_by_label("Đã đọc 5 tiêu chí, 7 chỉ tiêu; 0 lỗi, 3 chỗ cần kiểm tra.");
    h.get_by_label_contains("Cần kiểm tra: dòng 4, cột 5: chỉ tiêu 1.1: một ô ngưỡng (ô gộp)");
    h.get_by_label("≥ 45");
    h.get_by_label("Lưu bản của tỉnh").click();
    h.run();
    h.run();
    assert!(
        h.state().state.error.is_none(),
        "{:?}",
        h.state().state.error
    );
    h.get_by_label_contains(
        "Đã lưu bộ tiêu chí qd51-2025-xa-thu từ bảng dán (10 tiêu chí, 7 chỉ tiêu).",
    );
    drop(h);
    let ws = open(&path);
    let (_, e) = catalog::load(&ws, "qd51-2025-xa-thu").unwrap();
    assert_eq!(
        thresholds(&e, "6.2"),
        vec![(g(1), num(45.0)), (g(2), num(40.0)), (g(3), num(35.0))]
    );
}

fn type_into(h: &mut egui_kittest::Harness<'_, ntm_dossier::ui::NtmUi>, label: &str, text: &str) {
    h.get_all_by_label(label).next().unwrap().focus();
    h.run();
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    h.run();
    h.get_all_by_label(label).next().unwrap().type_text(text);
    h.run();
}

#[test]
fn a_province_copy_completed_in_the_window_gives_verdicts_per_group() {
    let dir = tempdir();
    let path = dir.path().join("ho-so.sqlite");
    {
        let mut ws = open(&path);
        let province =
            ntm_dossier::app::units::add(&mut ws, &form("Tỉnh Thử", "tinh", None)).unwrap();
        let commune = ntm_dossier::app::units::UnitForm {
            group: "2".into(),
            ..form("Xã Đông Hòa", "xa", Some(province))
        };
        ntm_dossier::app::units::add(&mut ws, &commune).unwrap();
    }
    // A tall window, so that every drop-down of the editor fits on screen.
    let mut h = egui_kittest::Harness::builder()
        .with_size(egui::vec2(1366.0, 2000.0))
        .build_ui_state(
            |ui, app: &mut ntm_dossier::ui::NtmUi| app.ui(ui),
            ntm_dossier::ui::NtmUi::new(&path),
        );
    h.run();
    h.get_all_by_label("Danh mục tiêu chí")
        .next()
        .unwrap()
        .click();
    h.run();
    h.get_by_label_contains("(mã qd51-2025-xa)").click();
    h.run();
    type_into(&mut h, "Tạo bản của tỉnh, mã", "qd51-2025-xa-thu");
    type_into(&mut h, "tên", "Bộ tiêu chí xã NTM tỉnh Thử");
    h.get_by_label("Sao chép").click();
    h.run();
    no_error(&h);
    h.get_by_label("Sửa bộ tiêu chí").click();
    h.run();
    h.get_by_label("Đầy đủ: 0/47 chỉ tiêu.");
    h.get_by_label_contains("2. Hạ tầng kinh tế - xã hội")
        .click();
    h.run();
    h.get_by_label("Thêm chỉ tiêu vào tiêu chí 2").click();
    h.run();
    // An empty indicator is refused beside it; nothing can be saved yet.
    h.get_by_label("Chỉ tiêu 2.1: hãy nhập nội dung chỉ tiêu.");
    type_into(
        &mut h,
        "Chỉ tiêu 2.1",
        "Tỷ lệ đường xã được cứng hóa (dữ liệu thử)",
    );
    for (group, value) in [
        ("Xã nhóm 1", "90"),
        ("Xã nhóm 2", "85"),
        ("Xã nhóm 3", "70"),
    ] {
        choose(&mut h, "Thêm ngưỡng 2.1 cho", group);
        type_into(&mut h, &format!("Ngưỡng 2.1 — {group}"), value);
    }
    h.get_by_label("Đầy đủ: 1/47 chỉ tiêu.");
    choose(&mut h, "Thêm ngưỡng 2.1 cho", "Xã nhóm 1");
    h.get_by_label("Chỉ tiêu 2.1: đã có ngưỡng cho Xã nhóm 1; hãy xóa một ngưỡng.");
    h.key_press(egui::Key::Escape);
    h.run();
    h.get_all_by_label("Xóa").last().unwrap().click();
    h.run();
    assert_eq!(h.get_all_by_label("Xóa").count(), 3);
    h.get_by_label("Thêm chỉ tiêu vào tiêu chí 2").click();
    h.run();
    type_into(&mut h, "Chỉ tiêu 2.2", "Có nhà văn hóa xã (dữ liệu thử)");
    h.get_all_by_label("Loại").last().unwrap().click();
    h.run();
    h.get_by_label("Đạt/Không").click();
    h.run();
    choose(&mut h, "Thêm ngưỡng 2.2 cho", "Xã nhóm 1");
    for n in h
        .query_all_by_label_contains("lỗi")
        .chain(h.query_all_by_label_contains("Đầy đủ"))
        .chain(h.query_all_by_label_contains("Chỉ tiêu 2"))
        .chain(h.query_all_by_label_contains("hãy"))
    {
        eprintln!("DBG {:?}", n);
    }
    h.get_by_label("Đầy đủ: 2/47 chỉ tiêu; thiếu ngưỡng nhóm 2 ở 1 chỉ tiêu; thiếu ngưỡng nhóm 3 ở 1 chỉ tiêu.");
    // 2.2 moves above 2.1.
    h.get_all_by_label("Lên").last().unwrap().click();
    h.run();
    h.get_by_label("Lưu bộ tiêu chí").click();
    h.run();
    no_error(&h);
    h.get_by_label("Sửa bộ tiêu chí");
    h.get_by_label(
        "Đầy đủ: 2/47 chỉ tiêu; thiếu ngưỡng nhóm 2 ở 1 chỉ tiêu; thiếu ngưỡng nhóm 3 ở 1 chỉ tiêu.",
    );

    // Start an assessment of the group-2 commune on the province copy.
    h.get_by_label("Xã Đông Hòa").click();
    h.run();
    // The edition list names editions by decision, then title.
    h.get_all_by_label("Bộ tiêu chí").next().unwrap().click();
    h.run();
    h.get_by_label_contains("(Bộ tiêu chí xã NTM tỉnh Thử)")
        .click();
    h.run();
    h.get_by_label("Tạo đợt đánh giá").click();
    h.run();
    no_error(&h);
    h.get_by_label("Rà soát tiêu chí").click();
    h.run();
    h.get_all_by_label_contains("2. Hạ tầng kinh tế - xã hội")
        .next()
        .unwrap()
        .click();
    h.run();
    type_into(&mut h, "Tử số", "86");
    h.key_press(egui::Key::Enter);
    h.run();
    type_into(&mut h, "Mẫu số", "100");
    h.key_press(egui::Key::Enter);
    h.run();
    no_error(&h);
    // 86 % meets group 2's 85 % (group 1 would need 90 %).
    h.get_by_label("2. Hạ tầng kinh tế - xã hội (1/2)");
    drop(h);
    let ws = open(&path);
    let a = &ws.assessments().unwrap()[0];
    assert_eq!(a.edition_code, "qd51-2025-xa-thu");
    let v = ws
        .values(a.id)
        .unwrap()
        .into_iter()
        .find(|v| v.indicator.as_str() == "2.1")
        .unwrap();
    assert_eq!(v.computed_verdict.code(), "dat");
    let (_, copy) = catalog::load(&ws, "qd51-2025-xa-thu").unwrap();
    let order: Vec<&str> = copy.criteria[1]
        .indicators
        .iter()
        .map(|i| i.code.as_str())
        .collect();
    assert_eq!(order, ["2.2", "2.1"]);
    let (_, national) = catalog::load(&ws, "qd51-2025-xa").unwrap();
    assert_eq!(
        national.indicator_count(),
        0,
        "the national edition is untouched"
    );
}

#[test]
fn a_hostile_paste_file_is_refused_and_the_workspace_is_unchanged() {
    let dir = tempdir();
    let mut ws = open(&dir.path().join("ws.sqlite"));
    let before = ws.editions().unwrap();
    // Not UTF-8 (a Windows-1258 export), then text with no table under its header.
    let bad = dir.path().join("bang.txt");
    std::fs::write(&bad, b"TT\tN\xf4i dung\r\n\xff\xfe\x00\x01").unwrap();
    let err = catalog::read_paste_file(&bad).unwrap_err();
    assert!(err.summary.contains("không phải văn bản UTF-8"), "{err}");
    for text in [
        "",
        "TT\tNội dung\tNhóm 1\n",
        "\"\"\"\t\"\n\t\t\t\t\t\t\t\t\t\t\t\t\t\n",
        "TT\tNội dung\tNhóm 1\n2\tx\t≥ 1e308%\n",
        "TT\tNội dung\tNhóm 1\n99999999999\tx\t≥ 80%\n",
    ] {
        let err =
            catalog::paste_save(&mut ws, "qd51-2025-xa", "qd51-2025-xa-x", "", text).unwrap_err();
        assert!(!err.details.is_empty(), "{text:?}: {err}");
    }
    assert_eq!(ws.editions().unwrap(), before);
}
