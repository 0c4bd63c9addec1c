//! The satisfaction threshold in force (issue 14): taken from the edition when it fixes
//! one (read-only, «Sửa (cần lý do)», a replacement needs a reason that is stored,
//! audited, shown in the status and printed in the dossier); typed by the clerk, with a
//! note, when the edition fixes none. A file of schema 9 keeps its typed threshold and
//! gets no invented reason.
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
use ntm_dossier::app::state::Command;
use ntm_dossier::app::{self, assessment, catalog, conditions::ConditionsForm, dossier};
use ntm_dossier::domain::ids::AssessmentId;
use ntm_dossier::store::{Workspace, create_at_version};
use ntm_dossier::ui::Screen;
use std::path::Path;

/// The fixture edition with a satisfaction threshold of 90 % fixed, under its own code.
fn edition_with_threshold(dir: &Path) -> std::path::PathBuf {
    let text = std::fs::read_to_string(fixture_path()).unwrap();
    let text = text
        .replacen(
            "code = \"thu-nghiem-xa\"",
            "code = \"thu-nghiem-xa-hl\"",
            1,
        )
        .replacen(
            "[[criteria]]",
            "[conditions]\nsatisfaction_percent = { value = 90, verified = true, source = \"văn bản kiểm thử\" }\n\n[[criteria]]",
            1,
        );
    let path = dir.join("thu-nghiem-xa-hl.toml");
    std::fs::write(&path, text).unwrap();
    path
}

/// A commune assessed on the edition that fixes 90 %, with its survey tallied.
fn assessed_on_fixed_threshold(dir: &Path) -> (std::path::PathBuf, AssessmentId) {
    let path = dir.join("ho-so.sqlite");
    let mut ws = open(&path);
    let (_, commune, _) = commune_with_assessment(&mut ws);
    catalog::import(&mut ws, &edition_with_threshold(dir)).unwrap();
    let a = assessment::create(&mut ws, commune, "thu-nghiem-xa-hl", "ntm", 2026).unwrap();
    app::conditions::save(
        &mut ws,
        a,
        &ConditionsForm {
            households_surveyed: "200".into(),
            households_satisfied: "174".into(),
            ..Default::default()
        },
    )
    .unwrap();
    (path, a)
}

fn satisfaction_detail(ws: &Workspace, a: AssessmentId) -> (String, String) {
    let l = assessment::load(ws, a, app::today()).unwrap();
    let c = l
        .status
        .conditions
        .iter()
        .find(|c| c.key == "hai_long")
        .unwrap();
    (c.verdict.label().to_string(), c.detail.clone())
}

#[test]
fn r_satisfaction_threshold_typed_by_the_clerk_though_the_edition_fixes_it() {
    let dir = tempdir();
    let (path, a) = assessed_on_fixed_threshold(dir.path());
    let mut h = ui_harness(&path);
    h.run();
    h.state_mut().state.apply(Command::SelectAssessment(a));
    h.run();
    h.get_all_by_label("Điều kiện công nhận")
        .next()
        .unwrap()
        .click();
    h.run();
    assert_eq!(h.state().screen, Screen::Conditions);
    // The edition's threshold is shown, not typed: no field for it until «Sửa».
    h.get_by_label("90 % (theo văn bản kiểm thử)");
    assert!(h.query_by_label("Ngưỡng hài lòng (%)").is_none());
    h.get_by_label("Sửa (cần lý do)").click();
    h.run();
    replace_text(&mut h, "Ngưỡng hài lòng (%)", "85");
    h.key_press(egui::Key::Enter);
    h.run();
    // Without a reason nothing is saved, and the field says why.
    assert!(
        h.query_all_by_label_contains("Chưa lưu: Lý do sửa ngưỡng hài lòng")
            .next()
            .is_some()
    );
    {
        let ws = open(&path);
        assert_eq!(ws.conditions(a).unwrap().satisfaction_threshold, None);
        let (verdict, detail) = satisfaction_detail(&ws, a);
        assert_eq!(verdict, "Chưa đạt", "174/200 = 87 % < 90 %: {detail}");
    }
    type_into(
        &mut h,
        "Lý do sửa ngưỡng",
        "Văn bản số 12/UBND ngày 05/01/2026 của UBND tỉnh",
    );
    h.key_press(egui::Key::Enter);
    h.run();
    no_error(&h);
    let ws = open(&path);
    assert_eq!(ws.conditions(a).unwrap().satisfaction_threshold, Some(85.0));
    assert_eq!(
        ws.satisfaction_threshold_reason(a).unwrap().as_deref(),
        Some("Văn bản số 12/UBND ngày 05/01/2026 của UBND tỉnh")
    );
    let (verdict, detail) = satisfaction_detail(&ws, a);
    assert_eq!(verdict, "Đạt", "{detail}");
    assert!(
        detail.contains("thay ngưỡng 90 % theo văn bản kiểm thử")
            && detail.contains("lý do: Văn bản số 12/UBND"),
        "{detail}"
    );
    // The screen now shows the replacement with its reason, and the way back.
    h.run();
    h.get_by_label("Dùng ngưỡng của bộ tiêu chí").click();
    h.run();
    no_error(&h);
    let ws = open(&path);
    assert_eq!(ws.conditions(a).unwrap().satisfaction_threshold, None);
    assert_eq!(ws.satisfaction_threshold_reason(a).unwrap(), None);
    h.get_by_label("Sửa (cần lý do)");
}

#[test]
fn the_threshold_is_typed_with_a_note_when_the_edition_fixes_none() {
    let dir = tempdir();
    let path = dir.path().join("ho-so.sqlite");
    let a = commune_with_assessment(&mut open(&path)).2;
    let mut h = ui_harness(&path);
    h.run();
    h.state_mut().state.apply(Command::SelectAssessment(a));
    h.run();
    h.get_all_by_label("Điều kiện công nhận")
        .next()
        .unwrap()
        .click();
    h.run();
    h.get_by_label_contains("Bộ tiêu chí này không quy định ngưỡng hài lòng");
    assert!(h.query_by_label("Sửa (cần lý do)").is_none());
    replace_text(&mut h, "Số hộ được hỏi ý kiến", "200");
    h.key_press(egui::Key::Enter);
    h.run();
    replace_text(&mut h, "Số hộ hài lòng", "174");
    h.key_press(egui::Key::Enter);
    h.run();
    replace_text(&mut h, "Ngưỡng hài lòng (%)", "85");
    h.key_press(egui::Key::Enter);
    h.run();
    no_error(&h);
    let ws = open(&path);
    assert_eq!(ws.conditions(a).unwrap().satisfaction_threshold, Some(85.0));
    assert_eq!(ws.satisfaction_threshold_reason(a).unwrap(), None);
    let (verdict, detail) = satisfaction_detail(&ws, a);
    assert_eq!(verdict, "Đạt", "{detail}");
    assert!(
        detail.contains("bộ tiêu chí không quy định ngưỡng này"),
        "{detail}"
    );
}

#[test]
fn a_replaced_threshold_without_a_reason_leaves_the_workspace_unchanged() {
    let dir = tempdir();
    let (path, a) = assessed_on_fixed_threshold(dir.path());
    let mut ws = open(&path);
    let before = (
        ws.conditions(a).unwrap(),
        ws.satisfaction_threshold_reason(a).unwrap(),
        ws.audit_log(1000).unwrap().len(),
    );
    let form = ConditionsForm {
        households_surveyed: "300".into(),
        households_satisfied: "290".into(),
        satisfaction_threshold: "80".into(),
        satisfaction_threshold_reason: "   ".into(),
        ..Default::default()
    };
    let e = app::conditions::save(&mut ws, a, &form).unwrap_err();
    assert!(
        e.summary.contains("bộ tiêu chí quy định 90 %") && e.summary.contains("hãy ghi lý do"),
        "{}",
        e.summary
    );
    let after = (
        ws.conditions(a).unwrap(),
        ws.satisfaction_threshold_reason(a).unwrap(),
        ws.audit_log(1000).unwrap().len(),
    );
    assert_eq!(before, after);
    // The edition's own value typed again is no replacement: nothing to explain.
    let same = ConditionsForm {
        satisfaction_threshold: "90".into(),
        ..form.clone()
    };
    app::conditions::save(&mut ws, a, &same).unwrap();
    assert_eq!(ws.conditions(a).unwrap().satisfaction_threshold, None);
}

#[test]
fn the_threshold_reason_is_audited_and_printed_in_the_dossier() {
    let dir = tempdir();
    let (path, a) = assessed_on_fixed_threshold(dir.path());
    let mut ws = open(&path);
    let form = ConditionsForm {
        households_surveyed: "200".into(),
        households_satisfied: "174".into(),
        satisfaction_threshold: "85".into(),
        satisfaction_threshold_reason: "Công văn 7/SNN của tỉnh".into(),
        ..Default::default()
    };
    app::conditions::save(&mut ws, a, &form).unwrap();
    let trail = ws.audit_of("dieu_kien", &a.to_string()).unwrap();
    assert!(
        trail
            .iter()
            .map(|r| &r.entry)
            .any(|e| e.field == "ly_do_nguong_hai_long"
                && e.new_value.as_deref() == Some("Công văn 7/SNN của tỉnh")),
        "{trail:?}"
    );
    assert!(
        trail
            .iter()
            .any(|r| r.entry.field == "nguong_hai_long"
                && r.entry.new_value.as_deref() == Some("85"))
    );
    let out = dir.path().join("ho-so.pdf");
    let t = dossier::template("xa").unwrap();
    dossier::build(&ws, a, &t, &out, false, &|_, _| {}).unwrap();
    let text = std::process::Command::new("pdftotext")
        .arg(&out)
        .arg("-")
        .output()
        .unwrap()
        .stdout;
    let text = String::from_utf8(text)
        .unwrap()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    assert!(
        text.contains(
            "từ 85 % trở lên, thay ngưỡng 90 % của bộ tiêu chí; lý do: Công văn 7/SNN của tỉnh"
        ),
        "{text}"
    );
}

#[test]
fn a_schema_9_file_keeps_its_typed_threshold_and_gets_no_invented_reason() {
    let dir = tempdir();
    let db = dir.path().join("v9.sqlite");
    create_at_version(&db, 9).unwrap();
    {
        let conn = rusqlite::Connection::open(&db).unwrap();
        conn.execute_batch(
            "INSERT INTO units(id, name, kind, parent_id, region, created_at) \
                VALUES (1, 'Tỉnh Thử', 'tinh', NULL, 'dbsh', '2025-01-02T03:04:05Z');
             INSERT INTO units(id, name, kind, parent_id, created_at) \
                VALUES (2, 'Xã Đông Hòa', 'xa', 1, '2025-01-02T03:04:05Z');
             INSERT INTO assessments(id, unit_id, edition_code, edition_toml, edition_sha256, \
                target, year, created_at) \
                VALUES (1, 2, 'thu-nghiem-xa', '', '', 'ntm', 2025, '2025-01-02T03:04:05Z');
             INSERT INTO conditions(assessment_id, households_surveyed, households_satisfied, \
                satisfaction_threshold, debt_status) VALUES (1, 200, 190, 85.5, 'khong_no');",
        )
        .unwrap();
    }
    let mut ws = open(&db);
    let a = AssessmentId(1);
    let c = ws.conditions(a).unwrap();
    assert_eq!(
        (
            c.households_surveyed,
            c.households_satisfied,
            c.satisfaction_threshold,
            c.debt_status.map(|d| d.code())
        ),
        (Some(200), Some(190), Some(85.5), Some("khong_no"))
    );
    assert_eq!(ws.satisfaction_threshold_reason(a).unwrap(), None);
    ws.set_conditions_with_reason(a, &c, Some("theo văn bản của tỉnh"))
        .unwrap();
    assert_eq!(
        ws.satisfaction_threshold_reason(a).unwrap().as_deref(),
        Some("theo văn bản của tỉnh")
    );
    assert_eq!(ws.conditions(a).unwrap(), c);
}
