//! What the screens do through `AppState` and the kittest harness, compared with what the
//! command line does on the same workspace: the dossier template, switching assessments,
//! the review screen's drafts.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::too_many_lines,
    reason = "tests and benchmarks fail loudly by design"
)]

mod common;

use common::*;
use ntm_dossier::app::dossier::SettingsForm;
use ntm_dossier::app::state::{AppState, Command};
use ntm_dossier::app::{self, assessment};
use ntm_dossier::domain::ids::{AssessmentId, UnitId};
use std::path::Path;

/// Province → district → commune, with an assessment for 2025 (the procedure through
/// the district) and one for 2026 (straight to the province).
fn commune_under_a_district(path: &Path) -> (UnitId, AssessmentId, AssessmentId) {
    let mut ws = open(path);
    let province = app::units::add(&mut ws, &form("Tỉnh Thử", "tinh", None)).unwrap();
    let district = app::units::add(&mut ws, &form("Huyện Thử", "huyen", Some(province))).unwrap();
    let commune = app::units::add(&mut ws, &form("Xã Đông Hòa", "xa", Some(district))).unwrap();
    let a2025 = assessment::create(&mut ws, commune, "qd318-2022-xa", "ntm", 2025).unwrap();
    let a2026 = assessment::create(&mut ws, commune, "qd51-2025-xa", "ntm", 2026).unwrap();
    (commune, a2025, a2026)
}

fn template_code(state: &AppState) -> String {
    assert!(state.error.is_none(), "{:?}", state.error);
    state
        .dossier_template
        .as_ref()
        .map(|t| t.code.clone())
        .unwrap_or_default()
}

fn pdf_text(path: &Path) -> String {
    let out = std::process::Command::new("pdftotext")
        .arg(path)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils, installed by scripts/install-deps.sh)");
    String::from_utf8(out.stdout)
        .unwrap()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// The dossier screen used the `xa` template whatever was chosen on it and whatever the
/// year and tree, while `dossier build` (template `tu-dong`) used the rule: a commune
/// under a district assessed for 2025 files through the district (`xa-truoc-2025`).
#[test]
fn r_dossier_screen_always_builds_with_xa_template() {
    let dir = tempdir();
    let path = dir.path().join("ws.sqlite");
    let (_, a2025, a2026) = commune_under_a_district(&path);
    let mut state = AppState::open(&path, false);
    state.apply(Command::SelectAssessment(a2025));
    assert_eq!(template_code(&state), "xa-truoc-2025");
    state.apply(Command::SelectAssessment(a2026));
    assert_eq!(template_code(&state), "xa");

    // Chosen on the screen: kept for that assessment only.
    state.apply(Command::SaveDossierSettings(SettingsForm {
        template: "xa-truoc-2025".into(),
        ..Default::default()
    }));
    assert_eq!(template_code(&state), "xa-truoc-2025");
    state.apply(Command::SelectAssessment(a2025));
    state.apply(Command::SaveDossierSettings(SettingsForm {
        template: "xa".into(),
        ..Default::default()
    }));
    assert_eq!(template_code(&state), "xa");
    // Back to the automatic rule, and the packet built from the screen follows it.
    state.apply(Command::SaveDossierSettings(SettingsForm::default()));
    assert_eq!(template_code(&state), "xa-truoc-2025");
    let out = dir.path().join("du-thao.pdf");
    state.apply(Command::BuildDossier {
        path: out.clone(),
        final_packet: false,
    });
    state.wait_for_tasks();
    assert!(state.error.is_none(), "{:?}", state.error);
    let text = pdf_text(&out);
    assert!(
        text.contains("ỦY BAN NHÂN DÂN HUYỆN THỬ") || text.contains("UỶ BAN NHÂN DÂN HUYỆN THỬ"),
        "the 2025 packet goes through the district: {text}"
    );
}

/// A commune assessed on QĐ 318 (2025) and on QĐ 51 (2026).
fn commune_on_two_editions(path: &Path) -> (AssessmentId, AssessmentId) {
    let mut ws = open(path);
    let province = app::units::add(
        &mut ws,
        &app::units::UnitForm {
            region: "dbsh".into(),
            ..form("Tỉnh Thử", "tinh", None)
        },
    )
    .unwrap();
    let commune = app::units::add(&mut ws, &form("Xã Đông Hòa", "xa", Some(province))).unwrap();
    let a318 = assessment::create(&mut ws, commune, "qd318-2022-xa", "ntm", 2025).unwrap();
    let a51 = assessment::create(&mut ws, commune, "qd51-2025-xa", "ntm", 2026).unwrap();
    (a318, a51)
}

fn no_error(h: &egui_kittest::Harness<'_, ntm_dossier::ui::NtmUi>) {
    assert!(
        h.state().state.error.is_none(),
        "{:?}",
        h.state().state.error
    );
}

/// Switching QĐ 51 → QĐ 318 → QĐ 51 → QĐ 318 in the walk-through raised «Chỉ tiêu 3.1/3.2
/// không có trong bộ tiêu chí…»: the drafts of QĐ 318's indicators stayed behind when QĐ 51
/// was shown and were saved against it on the next switch. Nothing was typed.
#[test]
fn r_switching_assessments_reports_untyped_indicator() {
    use egui_kittest::kittest::Queryable;
    let dir = tempdir();
    let path = dir.path().join("ws.sqlite");
    let (a318, a51) = commune_on_two_editions(&path);
    let mut h = ui_harness(&path);
    h.run();
    h.get_by_label("Xã Đông Hòa").click();
    h.run();
    h.get_by_label("Rà soát tiêu chí").click();
    h.run();
    let qd318 = "Năm 2025 — QĐ 318/QĐ-TTg — xã NTM 2021–2025 (Nông thôn mới)";
    let qd51 = "Năm 2026 — QĐ 51/2025/QĐ-TTg — xã NTM 2026–2030 (Nông thôn mới)";
    for label in [qd318, qd51, qd318, qd51, qd318] {
        h.get_by_label(label).click();
        h.run();
        h.run();
        no_error(&h);
    }
    assert_eq!(
        h.state().state.current.as_ref().map(|c| c.record.id),
        Some(a318)
    );
    h.state_mut().flush();
    no_error(&h);
    drop(h);
    let ws = open(&path);
    assert!(ws.values(a51).unwrap().is_empty());
    assert!(ws.values(a318).unwrap().is_empty());
}

/// The review screen rebuilt its fields from the stored review on every refresh (another
/// change, a background task ending), so a comment or vote being typed vanished, and
/// leaving the screen never saved it. Now it is kept across refreshes, like the
/// walk-through's fields, and saved when the screen is left.
#[test]
fn r_review_screen_loses_typed_comment_on_refresh() {
    use egui_kittest::kittest::Queryable;
    let dir = tempdir();
    let file = dir.path().join("xa.ntm");
    {
        let mut commune = open(&dir.path().join("xa.sqlite"));
        let (_, _, a) = commune_with_assessment(&mut commune);
        app::bundle::export(&mut commune, a, &file).unwrap();
    }
    let path = dir.path().join("tinh.sqlite");
    let trust = app::keys::Trust::fingerprint(app::enrolment::signer_fingerprint(&file).unwrap());
    let got = app::bundle::import(&mut open(&path), &file, &trust)
        .unwrap()
        .assessment;
    let mut h = ui_harness(&path);
    h.run();
    h.get_by_label("Xã Đông Hòa").click();
    h.run();
    h.get_by_label("Thẩm định").click();
    h.run();
    // A verdict on criterion 1, so its comment can be saved.
    h.state_mut().state.apply(Command::ReviewCriterion(
        1,
        Some(("chua_dat".into(), String::new())),
    ));
    h.run();
    let role = egui::accesskit::Role::TextInput;
    h.get_by_role_and_label(role, "1. Hạ tầng").focus();
    h.run();
    h.get_by_role_and_label(role, "1. Hạ tầng")
        .type_text("Thiếu biên bản nghiệm thu");
    h.run();
    h.state_mut().state.refresh().unwrap();
    h.run();
    h.run();
    assert!(
        h.query_all_by_value("Thiếu biên bản nghiệm thu")
            .next()
            .is_some(),
        "the comment being typed survives a refresh"
    );
    h.get_by_label("Biểu quyết").focus();
    h.run();
    h.get_by_label("Biểu quyết").type_text("19/20");
    h.run();
    h.state_mut().state.refresh().unwrap();
    h.run();
    h.run();
    assert!(
        h.query_all_by_value("19/20").next().is_some(),
        "the vote survives a refresh"
    );
    // Leaving the screen saves what is still being typed.
    h.get_by_label("Tổng quan").click();
    h.run();
    no_error(&h);
    drop(h);
    let review = open(&path).review(got).unwrap();
    assert_eq!(review.vote, "19/20");
    assert_eq!(
        review.criteria,
        [ntm_dossier::domain::review::ReviewCriterion {
            number: 1,
            verdict: ntm_dossier::domain::units::Verdict::NotMet,
            comment: "Thiếu biên bản nghiệm thu".to_string()
        }]
    );
}

#[test]
fn r_reopening_the_open_workspace_says_another_window_has_it() {
    let dir = tempdir();
    let path = dir.path().join("ho-so.sqlite");
    let (commune, _, a2026) = commune_under_a_district(&path);
    let mut state = AppState::default();
    state.apply(Command::OpenWorkspace(path.clone()));
    state.apply(Command::SelectUnit(commune));
    assert!(state.error.is_none(), "{:?}", state.error);
    // From the recent list, by another spelling of the same path.
    state.apply(Command::OpenWorkspace(
        dir.path().join(".").join("ho-so.sqlite"),
    ));
    assert!(state.error.is_none(), "{:?}", state.error);
    assert_eq!(
        state.notice.as_deref(),
        Some("Tệp dữ liệu này đang mở trong chính cửa sổ này.")
    );
    // Nothing was closed: the selection stays.
    assert_eq!(state.selected_unit, Some(commune));
    assert_eq!(state.current.as_ref().map(|c| c.record.id), Some(a2026));
    // Another window still gets the «another window» message.
    let mut other = AppState::default();
    other.apply(Command::OpenWorkspace(path));
    let e = other.error.expect("refused");
    assert!(e.summary.contains("cửa sổ Hồ sơ NTM khác"), "{e:?}");
}

#[test]
fn r_brand_new_assessment_says_unchanged_since_year_start() {
    let dir = tempdir();
    let path = dir.path().join("ho-so.sqlite");
    let (commune, _, _) = commune_under_a_district(&path);
    let mut state = AppState::default();
    state.apply(Command::OpenWorkspace(path));
    state.apply(Command::NewAssessment {
        unit: commune,
        edition: "qd51-2025-xa".into(),
        target: "ntm".into(),
        year: 2027,
    });
    assert!(state.error.is_none(), "{:?}", state.error);
    // Followed only since today: no «change since the start of the year» to show.
    assert!(state.year_start.is_none(), "{:?}", state.year_start);
    state.apply(Command::SelectUnit(commune));
    assert!(state.year_start.is_none(), "{:?}", state.year_start);
}

/// Editions were shown by code («qd51-2025-xa») and the new-assessment form had no
/// heading and offered QĐ 51/2026 while a QĐ 318/2025 assessment was selected.
#[test]
fn r_editions_shown_by_code_name() {
    use egui_kittest::kittest::Queryable;
    let dir = tempdir();
    let path = dir.path().join("ws.sqlite");
    let (a318, _) = commune_on_two_editions(&path);
    let mut h = ui_harness(&path);
    h.run();
    h.get_by_label("Xã Đông Hòa").click();
    h.run();
    let qd318 = "Năm 2025 — QĐ 318/QĐ-TTg — xã NTM 2021–2025 (Nông thôn mới)";
    h.get_by_label(qd318).click();
    h.run();
    h.run();
    no_error(&h);
    assert_eq!(
        h.state().state.current.as_ref().map(|c| c.record.id),
        Some(a318)
    );
    assert_eq!(
        h.state().state.edition_label("qd51-2025-xa"),
        "QĐ 51/2025/QĐ-TTg — xã NTM 2026–2030"
    );
    // The form has a heading and starts from the selected assessment.
    h.get_by_label("Tạo đợt đánh giá mới");
    assert!(h.query_by_label_contains("qd51-2025-xa").is_none());
    assert!(h.query_by_label_contains("qd318-2022-xa").is_none());
    // The dashboard reads the edition by its decision.
    h.get_by_label_contains("QĐ 318/QĐ-TTg — xã NTM 2021–2025 — Bộ tiêu chí quốc gia");
    h.get_by_label("Bộ tiêu chí").click();
    h.run();
    h.get_by_label("QĐ 51/2025/QĐ-TTg — xã NTM 2026–2030 (Bộ tiêu chí quốc gia về xã nông thôn mới giai đoạn 2026–2030)");
    // The combo shows QĐ 318 selected: pressing «Tạo đợt đánh giá» makes a QĐ 318 one.
    h.key_press(egui::Key::Escape);
    h.run();
    h.get_by_label("Tạo đợt đánh giá").click();
    h.run();
    let a = h.state().state.error.clone();
    // 2025 on QĐ 318 already exists for this commune: either refused as a duplicate
    // or created; in both cases not on QĐ 51.
    drop(h);
    let ws = open(&path);
    assert!(
        ws.assessments()
            .unwrap()
            .iter()
            .filter(|x| x.edition_code == "qd51-2025-xa")
            .count()
            == 1,
        "{a:?}"
    );
}

/// The app forgot the last workspace's selected commune and assessment: the remembered
/// selection is reopened, only for the same workspace and only while it exists.
#[test]
fn r_app_forgets_the_selected_commune_and_assessment() {
    use ntm_dossier::app::memory::Memory;
    let dir = tempdir();
    let path = dir.path().join("ws.sqlite");
    let (a318, a51) = commune_on_two_editions(&path);
    let remembered = |workspace: &Path, assessment: AssessmentId| Memory {
        workspace: Some(workspace.to_path_buf()),
        unit: Some(2),
        assessment: Some(assessment.0),
        ..Default::default()
    };
    let mut state = AppState::default();
    state.apply(Command::OpenWorkspace(path.clone()));
    assert!(state.current.is_none());
    state.restore_selection(&remembered(&path, a318));
    assert!(state.error.is_none(), "{:?}", state.error);
    assert_eq!(state.selected_unit, Some(UnitId(2)));
    // The older assessment, not the latest the commune would show by default.
    assert_eq!(state.current.as_ref().map(|c| c.record.id), Some(a318));

    // Another workspace's memory selects nothing; a deleted assessment is skipped quietly.
    drop(state);
    let mut other = AppState::default();
    other.apply(Command::OpenWorkspace(path.clone()));
    assert!(other.workspace.is_some(), "{:?}", other.error);
    std::fs::write(dir.path().join("khac.sqlite"), b"").unwrap();
    other.restore_selection(&remembered(&dir.path().join("khac.sqlite"), a318));
    assert!(other.current.is_none() && other.selected_unit.is_none());
    drop(other);
    let mut third = AppState::default();
    third.apply(Command::OpenWorkspace(path.clone()));
    third.restore_selection(&remembered(&path, AssessmentId(a51.0 + 100)));
    assert!(third.error.is_none(), "{:?}", third.error);
    assert_eq!(third.selected_unit, Some(UnitId(2)));
    assert_eq!(third.current.as_ref().map(|c| c.record.id), Some(a51));
}

/// Signer, date and place were retyped for each assessment: a new assessment of the
/// commune offers those of its last dossier.
#[test]
fn r_signer_date_and_place_retyped_for_each_assessment() {
    use egui_kittest::kittest::Queryable;
    let dir = tempdir();
    let path = dir.path().join("ws.sqlite");
    let (a318, a51) = commune_on_two_editions(&path);
    {
        let mut ws = open(&path);
        app::dossier::save_settings(
            &mut ws,
            a318,
            &SettingsForm {
                signer: "Trần Thị Lan".into(),
                date: "15/02/2025".into(),
                place: "Đông Hòa".into(),
                template: String::new(),
            },
        )
        .unwrap();
        let (year, previous) = app::dossier::previous_settings(&ws, a51).unwrap().unwrap();
        assert_eq!(year, 2025);
        assert_eq!(previous.signer, "Trần Thị Lan");
        assert_eq!(previous.place, "Đông Hòa");
        // The assessment that has them is offered nothing.
        assert!(
            app::dossier::previous_settings(&ws, a318)
                .unwrap()
                .is_none()
        );
    }
    let mut h = ui_harness(&path);
    h.run();
    h.get_by_label("Xã Đông Hòa").click();
    h.run();
    assert_eq!(
        h.state().state.current.as_ref().map(|c| c.record.id),
        Some(a51)
    );
    h.get_by_label("Hồ sơ in").click();
    h.run();
    h.get_by_label("Dùng người ký, ngày ký, địa danh của hồ sơ năm 2025 (Trần Thị Lan)")
        .click();
    h.run();
    no_error(&h);
    drop(h);
    let ws = open(&path);
    let stored = SettingsForm::from_stored(&ws.dossier_settings(a51).unwrap());
    assert_eq!(stored.signer, "Trần Thị Lan");
    assert_eq!(stored.date, "15/02/2025");
    assert_eq!(stored.place, "Đông Hòa");
}

#[test]
fn r_rollup_recomputed_after_every_change() {
    // The province's roll-up is kept while the workspace has not changed (same change
    // sequence) and recomputed as soon as a command writes.
    let dir = tempdir();
    let path = dir.path().join("a.sqlite");
    let province = {
        let mut ws = open(&path);
        let province = app::units::add(&mut ws, &form("Tỉnh Thử", "tinh", None)).unwrap();
        let commune = app::units::add(&mut ws, &form("Xã Đông", "xa", Some(province))).unwrap();
        assessment::create(&mut ws, commune, "qd51-2025-xa", "ntm", 2026).unwrap();
        province
    };
    let mut state = AppState::open(&path, false);
    state.apply(Command::SelectUnit(province));
    assert!(state.error.is_none(), "{:?}", state.error);
    let names = |s: &AppState| -> Vec<String> {
        s.rollup
            .as_ref()
            .map(|r| r.communes.iter().map(|c| c.name.clone()).collect())
            .unwrap_or_default()
    };
    assert_eq!(names(&state), vec!["Xã Đông".to_string()]);
    // Renamed behind the window's back, without a write transaction: no change in the
    // sequence, so a refresh keeps the roll-up it has instead of recomputing it.
    rusqlite::Connection::open(&path)
        .unwrap()
        .execute(
            "UPDATE units SET name = 'Xã Tây' WHERE name = 'Xã Đông'",
            [],
        )
        .unwrap();
    state.apply(Command::SelectUnit(province));
    assert_eq!(names(&state), vec!["Xã Đông".to_string()]);
    // A command that writes bumps the sequence: the roll-up is computed again.
    state.apply(Command::AddUnit(form("Xã Bắc", "xa", Some(province))));
    assert!(state.error.is_none(), "{:?}", state.error);
    state.apply(Command::SelectUnit(province));
    let mut now = names(&state);
    now.sort();
    assert_eq!(now, vec!["Xã Bắc".to_string(), "Xã Tây".to_string()]);
}
