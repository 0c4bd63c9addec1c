//! A tour of every screen on a fixture workspace, with the date fixed (`app::clock`):
//! an office's workspace holding its own commune (a value, a deadline, an evidence photo,
//! its conditions and a manual rating) and a commune's received round with a review.
//! Every screen of both assessments, the question before sending, an indicator's change
//! history, the province's roll-up, the unit form with the group and region rules, the
//! catalogue, the backups list and the start screen are drawn without an error, and
//! every text the screens
//! show is looked up in the embedded fonts (no missing glyph). With the date fixed,
//! what depends on it is asserted too: an indicator due on a date the system clock has
//! not reached is overdue on the fixed date.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::too_many_lines,
    reason = "tests and benchmarks fail loudly by design"
)]

mod common;

use common::*;
use egui::{FontData, FontDefinitions, FontFamily, FontId};
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable, by};
use ntm_dossier::app::assessment::{ValueDetails, ValueForm};
use ntm_dossier::app::clock::{Clock, set_clock};
use ntm_dossier::app::conditions::ConditionsForm;
use ntm_dossier::app::state::Command;
use ntm_dossier::app::{self, assessment, catalog, review};
use ntm_dossier::domain::ids::AssessmentId;
use ntm_dossier::domain::units::Verdict;
use ntm_dossier::domain::vn_text::CivilDate;
use ntm_dossier::ui::{NtmUi, Screen};
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

/// The date the tour runs on.
fn fixed_day() -> CivilDate {
    CivilDate::parse("20/05/2031").unwrap()
}

/// The office's workspace: the received round of «Xã Đông Hòa» (values, a photo,
/// conditions) with a review, and its own commune «Xã Tây Hòa» with an assessment.
/// Returns (own assessment, received assessment).
fn fixture(dir: &Path, photo: &Path) -> (AssessmentId, AssessmentId) {
    let bundle = dir.join("xa.ntm");
    {
        let mut commune = open(&dir.join("xa.sqlite"));
        let (_, _, a) = commune_with_assessment(&mut commune);
        assessment::save_value(
            &mut commune,
            a,
            "1.1",
            &ValueForm {
                numerator: "900".into(),
                denominator: "1.000".into(),
                ..Default::default()
            },
        )
        .unwrap();
        app::evidence::add_files(&mut commune, a, &["1.2".to_string()], &[photo]).unwrap();
        app::conditions::save(
            &mut commune,
            a,
            &ConditionsForm {
                households_surveyed: "300".into(),
                households_satisfied: "285".into(),
                satisfaction_threshold: "90".into(),
                ..Default::default()
            },
        )
        .unwrap();
        app::bundle::export(&mut commune, a, &bundle).unwrap();
    }
    let path = dir.join("ho-so.sqlite");
    let mut ws = open(&path);
    catalog::import(&mut ws, &fixture_path()).unwrap();
    let trust = app::keys::Trust::fingerprint(app::enrolment::signer_fingerprint(&bundle).unwrap());
    let received = app::bundle::import(&mut ws, &bundle, &trust)
        .unwrap()
        .assessment;
    review::rate_criterion(&mut ws, received, 1, Some(("dat", "Đủ hồ sơ"))).unwrap();
    review::add_request(&mut ws, received, "2.1", "Bổ sung biên bản kiểm tra").unwrap();
    review::decide(
        &mut ws,
        received,
        "20/20",
        "Đề nghị công nhận",
        "Sở Nông nghiệp",
    )
    .unwrap();
    let province = app::units::list(&ws)
        .unwrap()
        .into_iter()
        .find(|u| u.name == "Tỉnh Thử")
        .unwrap()
        .id;
    let own = app::units::add(&mut ws, &form("Xã Tây Hòa", "xa", Some(province))).unwrap();
    let a = assessment::create(&mut ws, own, "thu-nghiem-xa", "ntm", 2031).unwrap();
    (a, received)
}

/// A context whose only fonts are the ones the program embeds.
fn embedded_fonts_only() -> egui::Context {
    let mut font_data = BTreeMap::new();
    let mut names = Vec::new();
    for (name, bytes) in ntm_dossier::ui::ui_fonts() {
        font_data.insert(name.to_string(), Arc::new(FontData::from_static(bytes)));
        names.push(name.to_string());
    }
    let mut families = BTreeMap::new();
    families.insert(FontFamily::Proportional, names.clone());
    families.insert(FontFamily::Monospace, names);
    let ctx = egui::Context::default();
    ctx.set_fonts(FontDefinitions {
        font_data,
        families,
    });
    let mut output = ctx.run_ui(egui::RawInput::default(), |_| {});
    output.textures_delta.clear();
    ctx
}

/// The characters of every label and value the screen shows that the embedded fonts
/// cannot draw, with the text they are in.
fn missing_glyphs(h: &Harness<'_, NtmUi>, fonts: &egui::Context) -> Vec<String> {
    let font = FontId::proportional(14.0);
    let mut out = Vec::new();
    for node in h.query_all(by().predicate(|_| true)) {
        let n = node.accesskit_node();
        for text in [n.label(), n.value()].into_iter().flatten() {
            for c in text.chars().filter(|c| !c.is_control()) {
                if !fonts.fonts_mut(|f| f.has_glyph(&font, c)) {
                    out.push(format!("«{c}» (U+{:04X}) in «{text}»", c as u32));
                }
            }
        }
    }
    out
}

/// Draws, then checks: no error (the banner shows one exactly when the state holds
/// it), no glyph the fonts lack.
fn checked(h: &mut Harness<'_, NtmUi>, fonts: &egui::Context, place: &str) {
    h.run();
    assert!(
        h.state().state.error.is_none(),
        "{place}: {:?}",
        h.state().state.error
    );
    let missing = missing_glyphs(h, fonts);
    assert!(missing.is_empty(), "{place}: {missing:?}");
}

/// Clicks every tab in turn and checks each screen; `shown` names a text each screen
/// must show (None: only drawn and checked).
fn every_tab(h: &mut Harness<'_, NtmUi>, fonts: &egui::Context, shown: &[(Screen, &str, &str)]) {
    for (screen, tab, text) in shown {
        h.get_all_by_label(tab).next().unwrap().click();
        checked(h, fonts, tab);
        assert_eq!(h.state().screen, *screen, "{tab}");
        assert!(
            h.query_all_by_label_contains(text).next().is_some(),
            "{tab}: «{text}» is shown"
        );
    }
}

#[test]
fn every_screen_draws_the_fixture_workspace_without_an_error() {
    set_clock(Clock::Fixed(fixed_day()));
    assert_eq!(app::today(), fixed_day());
    let fonts = embedded_fonts_only();
    let dir = tempdir();
    let photo = dir.path().join("nha-van-hoa.png");
    image::RgbImage::from_fn(64, 48, |x, y| image::Rgb([x as u8 * 3, y as u8 * 4, 120]))
        .save(&photo)
        .unwrap();
    let (own, received) = fixture(dir.path(), &photo);
    let path = dir.path().join("ho-so.sqlite");
    let mut h = ui_harness(&path);
    checked(&mut h, &fonts, "opened");
    {
        let state = &mut h.state_mut().state;
        state.apply(Command::SelectAssessment(own));
        state.apply(Command::SaveValue(
            "1.1".into(),
            ValueForm {
                numerator: "700".into(),
                denominator: "1.000".into(),
                details: Some(ValueDetails {
                    deadline: "30/04/2031".into(),
                    ..Default::default()
                }),
                ..Default::default()
            },
        ));
        state.apply(Command::AttachFiles(vec!["1.2".into()], vec![photo]));
        state.wait_for_tasks();
        state.apply(Command::SaveConditions(ConditionsForm {
            households_surveyed: "200".into(),
            households_satisfied: "190".into(),
            security_status: "on_dinh".into(),
            ..Default::default()
        }));
        state.apply(Command::RateCriterion(
            3,
            Some((Verdict::MostlyMet, "Kênh mương đang hoàn thiện".into())),
        ));
    }
    checked(&mut h, &fonts, "own assessment");
    // The date is the fixed one: indicator 1.1, not met, was due on 30/04/2031 (a date
    // the system clock has not reached), so it is overdue on 20/05/2031.
    let overdue: Vec<String> = h
        .state()
        .state
        .current
        .as_ref()
        .unwrap()
        .status
        .criteria
        .iter()
        .flat_map(|c| c.indicators.iter())
        .filter(|i| i.overdue)
        .map(|i| i.code.to_string())
        .collect();
    assert_eq!(overdue, ["1.1"]);
    every_tab(
        &mut h,
        &fonts,
        &[
            (Screen::Overview, "Tổng quan", "Quá hạn (1)"),
            (Screen::Walk, "Rà soát tiêu chí", "Tiêu chí 1. Hạ tầng"),
            (Screen::Library, "Thư viện minh chứng", "nha-van-hoa.png"),
            (
                Screen::Conditions,
                "Điều kiện công nhận",
                "Tỷ lệ hài lòng: 95 %",
            ),
            (Screen::Dossier, "Hồ sơ in", "Hồ sơ in (PDF)"),
            (Screen::Review, "Thẩm định", "Thẩm định"),
            (
                Screen::Catalogue,
                "Danh mục tiêu chí",
                "Bộ tiêu chí thử nghiệm",
            ),
        ],
    );
    // The question before sending a dossier with missing items, and an indicator's
    // change history.
    h.get_all_by_label("Hồ sơ in").next().unwrap().click();
    checked(&mut h, &fonts, "dossier again");
    h.get_by_label("Gửi hồ sơ…").click();
    checked(&mut h, &fonts, "send question");
    h.get_by_label_contains("Vẫn gửi hồ sơ lên cấp trên?");
    h.get_by_label("Để sau, bổ sung trước").click();
    h.get_all_by_label("Rà soát tiêu chí")
        .next()
        .unwrap()
        .click();
    checked(&mut h, &fonts, "walk again");
    h.get_by_label("Lịch sử thay đổi chỉ tiêu 1.1").click();
    checked(&mut h, &fonts, "history of 1.1");
    h.get_by_label_contains("Tử số từ (trống) thành 700");
    // The received round: every screen read-only, the review shown.
    h.state_mut()
        .state
        .apply(Command::SelectAssessment(received));
    checked(&mut h, &fonts, "received round");
    every_tab(
        &mut h,
        &fonts,
        &[
            (Screen::Overview, "Tổng quan", "Xã Đông Hòa — năm 2025"),
            (Screen::Walk, "Rà soát tiêu chí", "Tiêu chí 1. Hạ tầng"),
            (Screen::Library, "Thư viện minh chứng", "nha-van-hoa.png"),
            (
                Screen::Conditions,
                "Điều kiện công nhận",
                "Tỷ lệ hài lòng: 95 %",
            ),
            (Screen::Dossier, "Hồ sơ in", "Hồ sơ in (PDF)"),
            (Screen::Review, "Thẩm định", "Bổ sung biên bản kiểm tra"),
            (
                Screen::Catalogue,
                "Danh mục tiêu chí",
                "Bộ tiêu chí thử nghiệm",
            ),
        ],
    );
    // The province: its roll-up of both communes.
    h.get_by_label("Tỉnh Thử").click();
    checked(&mut h, &fonts, "province");
    h.get_all_by_label("Tổng hợp").next().unwrap().click();
    checked(&mut h, &fonts, "roll-up");
    h.get_by_label("Tổng hợp: Tỉnh Thử");
    h.get_by_label("3: CB");
    // The own commune again, with its unit form and the new-assessment form.
    h.get_all_by_label("Xã Tây Hòa").next().unwrap().click();
    checked(&mut h, &fonts, "commune");
    h.get_by_label("Sửa đơn vị…").click();
    checked(&mut h, &fonts, "unit form");
    h.get_by_label("Cách xác định vùng và nhóm xã").click();
    checked(&mut h, &fonts, "group and region rules");
    // The backups of the workspace.
    h.state_mut()
        .state
        .apply(Command::ShowBackups(path.clone()));
    checked(&mut h, &fonts, "backups");
    // No workspace open: the start screen.
    h.state_mut().state.workspace = None;
    h.state_mut().state.current = None;
    checked(&mut h, &fonts, "start");
    drop(h);
    set_clock(Clock::System);
}
