//! The clerk's path, continued (issue 14): the dossier screen's «Còn thiếu» items each
//! open their place — an indicator in the walk-through, the conditions screen, the
//! signer's field or the signing date, the signed scan's button, a commune without a
//! decision — instead of being plain text; and the catalogue reads editions by their
//! decision.
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
use egui_kittest::kittest::{NodeT, Queryable};
use ntm_dossier::app::dossier::GapPlace;
use ntm_dossier::app::state::Command;
use ntm_dossier::ui::{NtmUi, Screen};

fn on_the_dossier_screen(h: &mut Harness<'_, NtmUi>) {
    h.get_all_by_label("Hồ sơ in").next().unwrap().click();
    h.run();
    assert_eq!(h.state().screen, Screen::Dossier);
}

/// Scrolls the list of missing items to the item, then clicks it.
fn click_item(h: &mut Harness<'_, NtmUi>, text: &str) {
    h.get_by_label(text).scroll_to_me();
    h.run();
    h.get_by_label(text).click();
}

/// The text of the first missing item whose place matches.
fn item(h: &Harness<'_, NtmUi>, place: impl Fn(&GapPlace) -> bool) -> String {
    let g = h
        .state()
        .state
        .dossier_missing
        .iter()
        .find(|g| place(&g.place))
        .expect("such a missing item");
    format!("• {}", g.text)
}

#[test]
fn r_dossier_missing_items_cannot_be_clicked() {
    let dir = tempdir();
    let path = dir.path().join("ho-so.sqlite");
    let a = commune_with_assessment(&mut open(&path)).2;
    let mut h = ui_harness(&path);
    h.run();
    h.state_mut().state.apply(Command::SelectAssessment(a));
    h.run();
    on_the_dossier_screen(&mut h);

    // An indicator of criterion 2: the walk-through opens at criterion 2.
    let text = item(&h, |p| {
        matches!(
            p,
            GapPlace::Criterion {
                number: 2,
                indicator: Some(_)
            }
        )
    });
    click_item(&mut h, &text);
    h.run();
    no_error(&h);
    assert_eq!(h.state().screen, Screen::Walk);
    assert!(
        h.query_all_by_label_contains("Tiêu chí 2. ")
            .next()
            .is_some(),
        "criterion 2 is shown"
    );

    // A condition: the conditions screen.
    on_the_dossier_screen(&mut h);
    let text = item(&h, |p| *p == GapPlace::Conditions);
    assert!(text.starts_with("• Sự hài lòng của người dân:"), "{text}");
    click_item(&mut h, &text);
    h.run();
    assert_eq!(h.state().screen, Screen::Conditions);

    // The signing date: its field on this screen takes the focus.
    on_the_dossier_screen(&mut h);
    assert!(!h.get_by_label("Ngày ký").is_focused());
    click_item(&mut h, "• Chưa nhập ngày ký hồ sơ.");
    h.run();
    h.run();
    assert_eq!(h.state().screen, Screen::Dossier);
    assert!(h.get_by_label("Ngày ký").is_focused());
    let text = item(&h, |p| *p == GapPlace::Signer);
    click_item(&mut h, &text);
    h.run();
    h.run();
    assert!(h.get_by_label("Họ tên người ký").is_focused());

    // A signed scan: the «Gắn bản đã ký…» button of that document takes the focus.
    let text = item(&h, |p| matches!(p, GapPlace::SignedOriginal(_)));
    click_item(&mut h, &text);
    h.run();
    h.run();
    let focused: Vec<bool> = h
        .get_all_by_label("Gắn bản đã ký…")
        .map(|n| n.is_focused())
        .collect();
    assert_eq!(
        focused.iter().filter(|f| **f).count(),
        1,
        "one attach button focused: {focused:?}"
    );
    no_error(&h);
}

#[test]
fn a_commune_without_a_decision_in_a_district_dossier_opens_that_commune() {
    use ntm_dossier::app::{self, assessment};
    let dir = tempdir();
    let path = dir.path().join("huyen.sqlite");
    let (district_assessment, cat) = {
        let mut ws = open(&path);
        let province = app::units::add(&mut ws, &form("Tỉnh Thử", "tinh", None)).unwrap();
        let district =
            app::units::add(&mut ws, &form("Huyện Cẩm Thử", "huyen", Some(province))).unwrap();
        let cat = app::units::add(&mut ws, &form("Xã Cát", "xa", Some(district))).unwrap();
        app::catalog::import(&mut ws, &fixture_path()).unwrap();
        let edition = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/test-edition-huyen.toml");
        app::catalog::import(&mut ws, &edition).unwrap();
        let a = assessment::create(&mut ws, district, "thu-nghiem-huyen", "ntm", 2024).unwrap();
        (a, cat)
    };
    let mut h = ui_harness(&path);
    h.run();
    h.state_mut()
        .state
        .apply(Command::SelectAssessment(district_assessment));
    h.run();
    on_the_dossier_screen(&mut h);
    let text = item(&h, |p| *p == GapPlace::Unit(cat));
    assert!(
        text.starts_with("• Xã Cát chưa có quyết định công nhận"),
        "{text}"
    );
    click_item(&mut h, &text);
    h.run();
    no_error(&h);
    assert_eq!(h.state().state.selected_unit, Some(cat));
}

/// The catalogue listed editions by their code («qd51-2025-xa») first: they are read by
/// their decision there too, the code last.
#[test]
fn r_catalogue_lists_editions_by_code_name() {
    let dir = tempdir();
    let path = dir.path().join("ho-so.sqlite");
    commune_with_assessment(&mut open(&path));
    let mut h = ui_harness(&path);
    h.run();
    h.get_all_by_label("Danh mục tiêu chí")
        .next()
        .unwrap()
        .click();
    h.run();
    no_error(&h);
    let entry = h
        .get_by_label_contains("(mã qd51-2025-xa)")
        .accesskit_node()
        .label()
        .unwrap();
    assert!(
        entry.starts_with("QĐ 51/2025/QĐ-TTg — xã NTM 2026–2030\n"),
        "{entry}"
    );
    assert!(
        h.query_all_by_label_contains("qd").all(|n| !n
            .accesskit_node()
            .label()
            .unwrap_or_default()
            .starts_with("qd")),
        "no edition is listed by its code"
    );
}

/// After the roll-up's PDF report was written there was no «Mở tệp», as after the
/// dossier: the file just written is offered.
#[test]
fn r_no_open_file_after_the_rollup_report() {
    let dir = tempdir();
    let path = dir.path().join("ho-so.sqlite");
    commune_with_assessment(&mut open(&path));
    let mut h = ui_harness(&path);
    h.run();
    h.get_by_label("Tỉnh Thử").click();
    h.run();
    h.get_by_label("Tổng hợp: Tỉnh Thử");
    assert!(h.query_by_label("Mở tệp").is_none());
    let out = dir.path().join("bao-cao.pdf");
    h.state_mut()
        .state
        .apply(Command::ExportRollupPdf(out.clone()));
    h.run();
    no_error(&h);
    assert!(out.is_file());
    h.get_by_label("Mở tệp");
    assert_eq!(
        h.state().state.rollup_written.as_deref(),
        Some(out.as_path())
    );
}
