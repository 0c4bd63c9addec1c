//! The screens, clicked through as a clerk would with egui_kittest; the workspace file on
//! disk is checked afterwards. The harness panics on any glyph the fonts cannot draw, so
//! these tests also guard the embedded Vietnamese font.
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
use ntm_dossier::ui::NtmUi;
use std::path::Path;

fn harness(path: &Path) -> Harness<'static, NtmUi> {
    ui_harness(path)
}

fn add_unit(h: &mut Harness<'_, NtmUi>, name: &str) {
    h.get_by_label("Thêm đơn vị…").click();
    h.run();
    h.get_by_label("Tên đơn vị").focus();
    h.get_by_label("Tên đơn vị").type_text(name);
    h.run();
    h.get_by_label("Lưu đơn vị").click();
    h.run();
}

#[test]
fn create_province_commune_and_assessment_by_clicking() {
    let dir = tempdir();
    let path = dir.path().join("ws.sqlite");
    let mut h = harness(&path);
    h.run();
    h.get_by_label_contains("Bắt đầu bằng cách thêm tỉnh");
    add_unit(&mut h, "Tỉnh Thử");
    assert!(
        h.state().state.error.is_none(),
        "{:?}",
        h.state().state.error
    );
    h.get_by_label("Tỉnh Thử").click();
    h.run();
    // With the province selected, the next unit defaults to a commune under it.
    add_unit(&mut h, "Xã Đông Hòa");
    assert!(
        h.state().state.error.is_none(),
        "{:?}",
        h.state().state.error
    );
    h.get_by_label("Xã Đông Hòa").click();
    h.run();
    h.get_by_label("Tạo đợt đánh giá").click();
    h.run();
    assert!(
        h.state().state.error.is_none(),
        "{:?}",
        h.state().state.error
    );
    h.get_by_label("0/10");
    h.get_by_label("7. Khoa học công nghệ và chuyển đổi số");
    drop(h);

    let ws = open(&path);
    let units = ws.units().unwrap();
    assert_eq!(units.len(), 2);
    assert_eq!(units[1].parent, Some(units[0].id));
    let a = ws.assessments().unwrap();
    assert_eq!(a.len(), 1);
    assert_eq!(a[0].edition_code, "qd51-2025-xa");
}

#[test]
fn search_ignores_diacritics_in_the_unit_tree() {
    let dir = tempdir();
    let path = dir.path().join("ws.sqlite");
    {
        let mut ws = open(&path);
        let p = ntm_dossier::app::units::add(&mut ws, &form("Tỉnh Thử", "tinh", None)).unwrap();
        ntm_dossier::app::units::add(&mut ws, &form("Xã Nước Sạch", "xa", Some(p))).unwrap();
        ntm_dossier::app::units::add(&mut ws, &form("Xã Bình Minh", "xa", Some(p))).unwrap();
    }
    let mut h = harness(&path);
    h.run();
    h.get_by_label("Xã Bình Minh");
    h.get_by_label("Tìm:").focus();
    h.get_by_label("Tìm:").type_text("nuoc sach");
    h.run();
    h.get_by_label("Xã Nước Sạch");
    assert!(h.query_by_label("Xã Bình Minh").is_none());
}

#[test]
fn a_bad_file_shows_a_vietnamese_message_and_is_untouched() {
    let dir = tempdir();
    let path = dir.path().join("khong-phai.sqlite");
    std::fs::write(&path, "văn bản thường").unwrap();
    let mut h = harness(&path);
    h.run();
    h.get_by_label_contains("không phải tệp dữ liệu Hồ sơ NTM");
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "văn bản thường");
}

#[test]
fn selecting_a_province_shows_the_communes_matrix_with_filters() {
    let dir = tempdir();
    let path = dir.path().join("ws.sqlite");
    {
        let mut ws = open(&path);
        let (_, commune, a) = commune_with_assessment(&mut ws);
        let _ = commune;
        ntm_dossier::app::assessment::save_value(
            &mut ws,
            a,
            "1.1",
            &ntm_dossier::app::assessment::ValueForm {
                numerator: "90".into(),
                denominator: "100".into(),
                ..Default::default()
            },
        )
        .unwrap();
        let p = ws.units().unwrap()[0].id;
        ntm_dossier::app::units::add(&mut ws, &form("Xã Nước Sạch", "xa", Some(p))).unwrap();
    }
    let mut h = harness(&path);
    h.run();
    h.get_by_label("Tỉnh Thử").click();
    h.run();
    h.get_by_label("Tổng hợp: Tỉnh Thử");
    // Each commune appears in the tree and in the matrix.
    assert_eq!(h.get_all_by_label("Xã Đông Hòa").count(), 2);
    assert_eq!(h.get_all_by_label("Xã Nước Sạch").count(), 2);
    h.get_by_label("2 xã hiển thị");
    h.get_by_label("Tìm xã:").focus();
    h.run();
    h.get_by_label("Tìm xã:").type_text("nuoc");
    h.run();
    h.get_by_label("1 xã hiển thị");
    assert_eq!(
        h.get_all_by_label("Xã Đông Hòa").count(),
        1,
        "filtered out of the matrix"
    );
}

#[test]
fn rollup_screen_picks_the_edition_by_its_decision_and_lists_communes_apart() {
    let dir = tempdir();
    let path = dir.path().join("ws.sqlite");
    {
        let mut ws = open(&path);
        let p = ntm_dossier::app::units::add(&mut ws, &form("Tỉnh Thử", "tinh", None)).unwrap();
        for (name, edition, year) in [
            ("Xã Cũ", "qd318-2022-xa", 2025),
            ("Xã Mới", "qd51-2025-xa", 2026),
            ("Xã Mới Hai", "qd51-2025-xa", 2026),
        ] {
            let c = ntm_dossier::app::units::add(&mut ws, &form(name, "xa", Some(p))).unwrap();
            ntm_dossier::app::assessment::create(&mut ws, c, edition, "ntm", year).unwrap();
        }
    }
    let mut h = harness(&path);
    h.run();
    h.get_by_label("Tỉnh Thử").click();
    h.run();
    // QĐ 51 by default (two communes in 2026); Xã Cũ is named apart, not in the matrix.
    h.get_by_label("2 xã hiển thị");
    h.get_by_label("Xã đánh giá theo bộ tiêu chí khác, không tính vào tổng hợp (1 xã)");
    assert_eq!(
        h.state().state.rollup.as_ref().unwrap().edition,
        "qd51-2025-xa"
    );
    h.get_by_label("Bộ tiêu chí:").click();
    h.run();
    h.get_by_label(
        "QĐ 318/QĐ-TTg — Bộ tiêu chí quốc gia về xã nông thôn mới giai đoạn 2021–2025 (1 xã)",
    )
    .click();
    h.run();
    h.run();
    let r = h.state().state.rollup.as_ref().unwrap();
    assert_eq!(r.edition, "qd318-2022-xa");
    assert_eq!(r.edition_criteria.len(), 19);
    h.get_by_label("1 xã hiển thị");
    h.get_by_label("Xã đánh giá theo bộ tiêu chí khác, không tính vào tổng hợp (2 xã)");
    // The year filter: 2026 on QĐ 318 counts Xã Cũ as not assessed that year.
    h.get_by_label("Năm:").click();
    h.run();
    h.get_by_label("2026").click();
    h.run();
    h.run();
    let r = h.state().state.rollup.as_ref().unwrap();
    assert_eq!((r.edition.as_str(), r.year), ("qd318-2022-xa", Some(2026)));
    assert!(r.communes.iter().all(|c| c.assessment.is_none()));
}
