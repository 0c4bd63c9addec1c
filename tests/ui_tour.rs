//! A tour of every screen on a fixture workspace: a commune with a value, an evidence
//! photo, its conditions and a manual rating, then the province's roll-up and the
//! catalogue. Each screen is drawn without an error; the kittest harness panics on any
//! character the fonts cannot draw, so the tour also guards the glyphs of every screen.
//! (The app reads today's date from the clock: the tour asserts nothing date-dependent.)
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
use ntm_dossier::app::assessment::ValueForm;
use ntm_dossier::app::conditions::ConditionsForm;
use ntm_dossier::app::state::Command;
use ntm_dossier::domain::units::Verdict;
use ntm_dossier::ui::Screen;

#[test]
fn every_screen_draws_the_fixture_workspace_without_an_error() {
    let dir = tempdir();
    let path = dir.path().join("ho-so.sqlite");
    let a = {
        let mut ws = open(&path);
        commune_with_assessment(&mut ws).2
    };
    let photo = dir.path().join("nha-van-hoa.png");
    image::RgbImage::from_fn(64, 48, |x, y| image::Rgb([x as u8 * 3, y as u8 * 4, 120]))
        .save(&photo)
        .unwrap();
    let mut h = ui_harness(&path);
    h.run();
    {
        let state = &mut h.state_mut().state;
        state.apply(Command::SelectAssessment(a));
        state.apply(Command::SaveValue(
            "1.1".into(),
            ValueForm {
                numerator: "1.250".into(),
                denominator: "1.500".into(),
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
    h.run();
    no_error(&h);
    let tabs = [
        ("Tổng quan", Screen::Overview, "Xã Đông Hòa — năm 2025"),
        ("Rà soát tiêu chí", Screen::Walk, "Tiêu chí 1. Hạ tầng"),
        ("Thư viện minh chứng", Screen::Library, "nha-van-hoa.png"),
        (
            "Điều kiện công nhận",
            Screen::Conditions,
            "Tỷ lệ hài lòng: 95 %",
        ),
        ("Hồ sơ in", Screen::Dossier, "Hồ sơ in (PDF)"),
        ("Thẩm định", Screen::Review, "Thẩm định hồ sơ"),
        (
            "Danh mục tiêu chí",
            Screen::Catalogue,
            "Bộ tiêu chí thử nghiệm",
        ),
    ];
    for (tab, screen, shown) in tabs {
        h.get_all_by_label(tab).next().unwrap().click();
        h.run();
        no_error(&h);
        assert_eq!(h.state().screen, screen, "{tab}");
        assert!(
            h.query_all_by_label_contains(shown).next().is_some(),
            "{tab}: «{shown}» is shown"
        );
    }
    h.get_by_label("Tỉnh Thử").click();
    h.run();
    h.get_all_by_label("Tổng hợp").next().unwrap().click();
    h.run();
    no_error(&h);
    h.get_by_label("Tổng hợp: Tỉnh Thử");
    h.get_by_label("3: CB");
}
