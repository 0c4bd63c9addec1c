//! Moving an assessment to a province's newer edition: the list of changes first, then
//! values, evidence links, notes and deadlines of surviving indicators kept byte for
//! byte; what belonged to removed indicators is listed and kept in the history.
//! Indicator texts and thresholds are test data (tests/fixtures/paste).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::too_many_lines,
    reason = "tests and benchmarks fail loudly by design"
)]

mod common;

use common::*;
use ntm_dossier::app::{self, catalog, edition_move};
use ntm_dossier::domain::catalog::ThresholdValue;
use ntm_dossier::domain::units::{CommuneGroup, Segment, Verdict};
use ntm_dossier::domain::vn_text::CivilDate;
use ntm_dossier::store::{ValueRecord, Workspace};

fn paste(name: &str) -> String {
    std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/paste")
            .join(name),
    )
    .unwrap()
}

fn today() -> CivilDate {
    CivilDate::new(2026, 6, 1).unwrap()
}

/// A group-2 commune assessed on the province copy `tinh-a` (word fixture), with values
/// for 2.1 (86 %, below its 90 % for group 2) and 6.2, evidence on both.
fn setup(ws: &mut Workspace, dir: &std::path::Path) -> ntm_dossier::domain::ids::AssessmentId {
    catalog::paste_save(
        ws,
        "qd51-2025-xa",
        "qd51-2025-xa-tinh-a",
        "",
        &paste("word-nhom.txt"),
    )
    .unwrap();
    let province = app::units::add(ws, &form("Tỉnh Thử", "tinh", None)).unwrap();
    let commune = app::units::UnitForm {
        group: "2".into(),
        ..form("Xã Đông Hòa", "xa", Some(province))
    };
    let commune = app::units::add(ws, &commune).unwrap();
    let a = app::assessment::create(ws, commune, "qd51-2025-xa-tinh-a", "ntm", 2026).unwrap();
    let loaded = app::assessment::load(ws, a, today()).unwrap();
    let date = |d: &str| ntm_dossier::domain::vn_text::CivilDate::parse(d);
    let code = |c: &str| ntm_dossier::domain::catalog::IndicatorCode::parse(c).unwrap();
    let mut r21 = ValueRecord {
        numerator: Some(86.0),
        denominator: Some(100.0),
        data_date: date("2026-05-02"),
        note: Some("Số liệu của phòng kinh tế".into()),
        responsible: Some("Chị Lan".into()),
        deadline: date("2026-07-01"),
        ..ValueRecord::new(code("2.1"))
    };
    let (_, i21) = loaded.edition.indicator("2.1").unwrap();
    r21.computed_verdict =
        app::assessment::computed_verdict(&loaded.edition, &loaded.profile, 2026, i21, &r21);
    let r62 = ValueRecord {
        value_number: Some(41.5),
        note: Some("ước tính".into()),
        computed_verdict: ntm_dossier::domain::units::Verdict::Met,
        ..ValueRecord::new(code("6.2"))
    };
    ws.put_values(a, &[r21, r62]).unwrap();
    let proof = dir.join("bien-ban.pdf");
    std::fs::write(&proof, b"%PDF-1.4 test\n%%EOF\n").unwrap();
    app::evidence::add_files(ws, a, &["2.1".into(), "6.2".into()], &[&proof]).unwrap();
    a
}

/// `tinh-b`: `tinh-a` without 6.2, with 4.1, and group 2 of 2.1 lowered to 85 %.
fn newer_copy(ws: &mut Workspace) {
    let (_, mut e) = catalog::load(ws, "qd51-2025-xa-tinh-a").unwrap();
    e.code = ntm_dossier::domain::catalog::EditionCode::parse("qd51-2025-xa-tinh-b").unwrap();
    let c6 = e.criteria.iter_mut().find(|c| c.number == 6).unwrap();
    c6.indicators.retain(|i| i.code.as_str() != "6.2");
    let c2 = e.criteria.iter_mut().find(|c| c.number == 2).unwrap();
    let i21 = c2
        .indicators
        .iter_mut()
        .find(|i| i.code.as_str() == "2.1")
        .unwrap();
    let t = i21
        .thresholds
        .iter_mut()
        .find(|t| t.segment == Segment::Group(CommuneGroup::Two))
        .unwrap();
    t.value = ThresholdValue::Number(85.0);
    let mut new = i21.clone();
    let c4 = e.criteria.iter_mut().find(|c| c.number == 4).unwrap();
    new.code = ntm_dossier::domain::catalog::IndicatorCode::parse("4.1").unwrap();
    new.text = "Tỷ lệ lao động qua đào tạo (dữ liệu thử)".into();
    c4.indicators.push(new);
    catalog::save_edited(ws, &e).unwrap();
}

#[test]
fn assessment_move_lists_the_changes_then_keeps_surviving_values_byte_for_byte() {
    let dir = tempdir();
    let mut ws = open(&dir.path().join("ws.sqlite"));
    let a = setup(&mut ws, dir.path());
    newer_copy(&mut ws);
    let before_values = ws.values(a).unwrap();
    let before_record = ws.require_assessment(a).unwrap();

    let plan = edition_move::plan(&ws, a, "qd51-2025-xa-tinh-b", today()).unwrap();
    assert_eq!(
        ws.require_assessment(a).unwrap(),
        before_record,
        "a plan writes nothing"
    );
    assert_eq!(
        plan.added,
        vec![(
            "4.1".to_string(),
            "Tỷ lệ lao động qua đào tạo (dữ liệu thử)".to_string()
        )]
    );
    assert_eq!(plan.removed.len(), 1);
    assert_eq!(
        (
            plan.removed[0].code.as_str(),
            plan.removed[0].had_value,
            plan.removed[0].evidence_links
        ),
        ("6.2", true, 1)
    );
    assert_eq!(
        plan.thresholds_changed
            .iter()
            .map(|(c, _)| c.as_str())
            .collect::<Vec<_>>(),
        vec!["2.1"]
    );
    assert_eq!(
        plan.verdict_changes,
        vec![("2.1".to_string(), Verdict::NotMet, Verdict::Met)]
    );
    let text = edition_move::describe(&plan);
    assert!(
        text.contains("6.2 Thu nhập bình quân đầu người (dữ liệu thử) — có số liệu, 1 minh chứng"),
        "{text}"
    );
    assert!(text.contains("2.1: từ Chưa đạt sang Đạt"), "{text}");

    edition_move::apply(&mut ws, a, "qd51-2025-xa-tinh-b", today()).unwrap();
    let moved = ws.require_assessment(a).unwrap();
    assert_eq!(moved.edition_code, "qd51-2025-xa-tinh-b");
    let after = ws.values(a).unwrap();
    assert_eq!(after.len(), 1);
    let (old21, new21) = (
        before_values
            .iter()
            .find(|v| v.indicator.as_str() == "2.1")
            .unwrap(),
        &after[0],
    );
    assert_eq!(
        ValueRecord {
            computed_verdict: old21.computed_verdict,
            ..new21.clone()
        },
        old21.clone(),
        "every field but the computed verdict is kept"
    );
    assert_eq!(
        (old21.computed_verdict.code(), new21.computed_verdict.code()),
        ("chua_dat", "dat")
    );
    let counts = ws.evidence_counts(a).unwrap();
    assert_eq!(counts.get("2.1"), Some(&1));
    assert_eq!(counts.get("6.2"), None);
    assert_eq!(ws.evidence(a).unwrap().len(), 1, "the file itself stays");
    // The removed indicator's value and link are in the history.
    let log = ws.audit_log(50).unwrap();
    let kept = log
        .iter()
        .find(|e| e.entity == "chi_tieu" && e.field == "bo_khi_chuyen_bo_tieu_chi")
        .unwrap();
    assert!(kept.old_value.as_deref().unwrap().contains("41.5"));
    assert!(kept.old_value.as_deref().unwrap().contains("ước tính"));
    assert!(
        log.iter()
            .any(|e| e.entity == "lien_ket_minh_chung" && e.field == "bo_khi_chuyen_bo_tieu_chi")
    );
    assert!(
        log.iter()
            .any(|e| e.entity == "danh_gia" && e.field == "chuyen_bo_tieu_chi")
    );
    // Moving again to the same edition changes nothing and says so.
    let err = edition_move::plan(&ws, a, "qd51-2025-xa-tinh-b", today()).unwrap_err();
    assert!(err.summary.contains("đã dùng đúng"), "{err}");
}

#[test]
fn assessment_move_to_an_edition_of_another_level_is_refused_and_changes_nothing() {
    let dir = tempdir();
    let mut ws = open(&dir.path().join("ws.sqlite"));
    let a = setup(&mut ws, dir.path());
    let before = (ws.require_assessment(a).unwrap(), ws.values(a).unwrap());
    let err = edition_move::apply(&mut ws, a, "qd320-2022-huyen", today()).unwrap_err();
    assert!(err.summary.contains("dùng cho cấp"), "{err}");
    assert_eq!(
        (ws.require_assessment(a).unwrap(), ws.values(a).unwrap()),
        before
    );
}

#[test]
fn the_catalogue_screen_shows_the_move_list_and_moves_on_confirmation() {
    use egui_kittest::kittest::Queryable;
    let dir = tempdir();
    let path = dir.path().join("ho-so.sqlite");
    let a = {
        let mut ws = open(&path);
        let a = setup(&mut ws, dir.path());
        newer_copy(&mut ws);
        a
    };
    let mut h = egui_kittest::Harness::builder()
        .with_size(egui::vec2(1366.0, 1400.0))
        .build_ui_state(
            |ui, app: &mut ntm_dossier::ui::NtmUi| app.ui(ui),
            ntm_dossier::ui::NtmUi::new(&path),
        );
    h.run();
    h.get_by_label("Xã Đông Hòa").click();
    h.run();
    h.get_all_by_label("Danh mục tiêu chí")
        .next()
        .unwrap()
        .click();
    h.run();
    h.get_by_label_contains("(mã qd51-2025-xa-tinh-b)").click();
    h.run();
    h.get_by_label("Chuyển đợt đánh giá Xã Đông Hòa năm 2026 sang bộ tiêu chí này…")
        .click();
    h.run();
    h.get_by_label("  2.1: từ Chưa đạt sang Đạt");
    h.get_by_label_contains(
        "6.2 Thu nhập bình quân đầu người (dữ liệu thử) — có số liệu, 1 minh chứng",
    );
    h.get_by_label("Thôi, không chuyển").click();
    h.run();
    assert!(h.query_by_label("Xác nhận chuyển").is_none());
    h.get_by_label("Chuyển đợt đánh giá Xã Đông Hòa năm 2026 sang bộ tiêu chí này…")
        .click();
    h.run();
    h.get_by_label("Xác nhận chuyển").click();
    h.run();
    assert!(
        h.state().state.error.is_none(),
        "{:?}",
        h.state().state.error
    );
    h.get_by_label_contains("Đã chuyển đợt đánh giá sang bộ tiêu chí qd51-2025-xa-tinh-b");
    drop(h);
    let ws = open(&path);
    assert_eq!(
        ws.require_assessment(a).unwrap().edition_code,
        "qd51-2025-xa-tinh-b"
    );
}
