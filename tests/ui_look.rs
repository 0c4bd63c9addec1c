//! The last look at every screen (issue 14, «Finish every screen»): the defects seen on
//! the screenshots of the merged app at 1366×768 (and with the text scaled by 1,25), each
//! with its regression test.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::too_many_lines,
    reason = "tests and benchmarks fail loudly by design"
)]

mod common;

use common::*;
use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};
use ntm_dossier::app::state::Command;
use ntm_dossier::ui::NtmUi;
use std::path::Path;

/// The app on the workspace at `path` in a window of `width`×`height` pixels whose text
/// is scaled by `scale`, the fixture's assessment selected.
fn harness(path: &Path, width: f32, height: f32, scale: f32) -> Harness<'static, NtmUi> {
    let mut h = Harness::builder()
        .with_size(egui::vec2(width / scale, height / scale))
        .with_pixels_per_point(scale)
        .build_ui_state(|ui, app: &mut NtmUi| app.ui(ui), NtmUi::new(path));
    let a = h.state().state.assessments.first().map(|a| a.id).unwrap();
    h.state_mut().state.apply(Command::SelectAssessment(a));
    h.run();
    h.run();
    no_error(&h);
    h
}

/// The fixture commune with its assessment, and a second commune of the same province.
fn fixture(dir: &Path) -> std::path::PathBuf {
    let path = dir.join("ho-so.sqlite");
    let mut ws = open(&path);
    let (province, _, _) = commune_with_assessment(&mut ws);
    ntm_dossier::app::units::add(&mut ws, &form("Xã Tân An", "xa", Some(province))).unwrap();
    path
}

fn tab(h: &mut Harness<'_, NtmUi>, title: &str) {
    h.get_all_by_label(title).next().unwrap().click();
    h.run();
    h.run();
    no_error(h);
}

/// On the conditions screen of an edition that fixes no satisfaction threshold, the hint
/// of the threshold field («nhập theo văn bản của tỉnh») was cut off after «nhập theo
/// văn bản…»: the field was 160 points wide, narrower than its hint. A field is now at
/// least as wide as its hint.
#[test]
fn r_threshold_hint_cut_off() {
    let dir = tempdir();
    let path = fixture(dir.path());
    for scale in [1.0, 1.25] {
        let mut h = harness(&path, 1366.0, 768.0, scale);
        tab(&mut h, "Điều kiện công nhận");
        let field = h
            .get_by_role_and_label(Role::TextInput, "Ngưỡng hài lòng (%)")
            .rect();
        let body = h.ctx.global_style().text_styles[&egui::TextStyle::Body].clone();
        let hint = h.ctx.fonts_mut(|f| {
            f.layout_no_wrap(
                "nhập theo văn bản của tỉnh".into(),
                body,
                egui::Color32::WHITE,
            )
            .size()
            .x
        });
        let margin = h.ctx.global_style().spacing.button_padding.x;
        assert!(
            field.width() >= hint + 2.0 * margin,
            "×{scale}: the field is {} points wide, its hint {hint}",
            field.width()
        );
    }
}

/// The unit form («Sửa Xã Đông Hòa») stayed open, still editing Xã Đông Hòa, after
/// another unit was picked in the tree: a clerk who then typed changed the wrong unit.
/// The form now closes when nothing was typed; with unsaved changes it stays, typed text
/// kept, and says which unit it edits.
#[test]
fn r_unit_edit_form_stays_open_after_another_unit_selected() {
    let dir = tempdir();
    let path = fixture(dir.path());
    let mut h = harness(&path, 1366.0, 768.0, 1.0);
    h.get_by_label("Xã Đông Hòa").click();
    h.run();
    h.get_by_role_and_label(Role::Button, "Sửa đơn vị…").click();
    h.run();
    h.run();
    assert!(h.query_by_label("Sửa Xã Đông Hòa").is_some());
    // Nothing typed: picking another unit closes the form.
    h.get_by_label("Xã Tân An").click();
    h.run();
    h.run();
    no_error(&h);
    assert!(
        h.query_by_label("Sửa Xã Đông Hòa").is_none(),
        "the form of Xã Đông Hòa is still open beside Xã Tân An"
    );
    assert!(
        h.query_by_role_and_label(Role::Button, "Sửa đơn vị…")
            .is_some()
    );

    // Something typed: the form stays with the text, naming the unit it edits.
    h.get_by_role_and_label(Role::Button, "Sửa đơn vị…").click();
    h.run();
    h.run();
    replace_text(&mut h, "Tên đơn vị", "Xã Tân An Mới");
    h.get_by_label("Xã Đông Hòa").click();
    h.run();
    h.run();
    no_error(&h);
    assert!(h.query_by_label("Sửa Xã Tân An").is_some());
    assert!(h.query_by_label_contains("chưa lưu").is_some());
    let name = h.get_by_role_and_label(Role::TextInput, "Tên đơn vị");
    assert_eq!(name.value().as_deref(), Some("Xã Tân An Mới"));
}

/// With the text scaled by 1,25 the dossier screen's two lists («Các văn bản trong tập hồ
/// sơ» with their signed scans, «Còn thiếu») each scrolled on their own in the little
/// height left under the settings and buttons. The screen now scrolls as one: every
/// scroll bar of the screen is at least half the window high.
#[test]
fn r_dossier_lists_little_height_with_text_scaled() {
    let dir = tempdir();
    let path = fixture(dir.path());
    let mut h = harness(&path, 1366.0, 768.0, 1.25);
    tab(&mut h, "Hồ sơ in");
    let screen = h.ctx.content_rect();
    let left = h.get_by_label("Hồ sơ in (PDF)").rect().left();
    let mut bars = 0;
    for bar in h.get_all_by_role(Role::ScrollBar) {
        let r = bar.rect();
        if r.left() < left || r.height() < r.width() {
            continue;
        }
        bars += 1;
        assert!(
            r.height() >= screen.height() / 2.0,
            "a list of the dossier screen scrolls in {} of {} points",
            r.height(),
            screen.height()
        );
    }
    assert!(bars > 0, "the dossier screen scrolls");
}

/// At 1366×768 beside the unit panel the tab bar took two rows. It now takes one.
#[test]
fn r_tab_bar_two_rows_at_1366() {
    let dir = tempdir();
    let path = fixture(dir.path());
    let h = harness(&path, 1366.0, 768.0, 1.0);
    let tops: Vec<f32> = [
        "Tổng quan",
        "Rà soát tiêu chí",
        "Thư viện minh chứng",
        "Điều kiện công nhận",
        "Hồ sơ in",
        "Thẩm định",
        "Tổng hợp",
        "Danh mục tiêu chí",
    ]
    .iter()
    .map(|t| h.get_by_role_and_label(Role::Button, t).rect().top())
    .collect();
    assert!(
        tops.iter().all(|t| (t - tops[0]).abs() < 1.0),
        "the tabs are on more than one row: {tops:?}"
    );
}

/// Fails unless every text field shown is wide enough for its hint (the example shown
/// while it is empty), at the body text size and the field's inner margin.
fn hints_fit(h: &Harness<'_, NtmUi>, place: &str) -> usize {
    let fields: Vec<(String, egui::Rect)> = h
        .get_all_by_role(Role::TextInput)
        .filter_map(|n| {
            let hint = n.accesskit_node().placeholder()?.to_string();
            Some((hint, n.rect()))
        })
        .filter(|(hint, _)| !hint.is_empty())
        .collect();
    let body = h.ctx.global_style().text_styles[&egui::TextStyle::Body].clone();
    let margin = h.ctx.global_style().spacing.button_padding.x;
    for (hint, rect) in &fields {
        let needed = h.ctx.fonts_mut(|f| {
            f.layout_no_wrap(hint.clone(), body.clone(), egui::Color32::WHITE)
                .size()
                .x
        }) + 2.0 * margin;
        assert!(
            rect.width() >= needed,
            "{place}: the field hinted «{hint}» is {} points wide, its hint needs {needed}",
            rect.width()
        );
    }
    fields.len()
}

/// The hints of the unit search («tên đơn vị, gõ không dấu cũng đ…») and of the province
/// copy's code in the catalogue («vd. qd51-2025-xa-ha-…») were cut off: fields narrower
/// than their hint. Every hinted field of every screen now shows its hint whole.
#[test]
fn r_field_hints_cut_off() {
    let dir = tempdir();
    let path = fixture(dir.path());
    let mut h = Harness::builder()
        .with_size(egui::vec2(1366.0, 768.0))
        .build_ui_state(|ui, app: &mut NtmUi| app.ui(ui), NtmUi::new(&path));
    h.run();
    h.run();
    let mut seen = hints_fit(&h, "no unit selected");
    h.get_by_label("Xã Đông Hòa").click();
    h.run();
    h.run();
    for t in [
        "Tổng quan",
        "Rà soát tiêu chí",
        "Thư viện minh chứng",
        "Điều kiện công nhận",
        "Hồ sơ in",
        "Thẩm định",
        "Danh mục tiêu chí",
    ] {
        tab(&mut h, t);
        seen += hints_fit(&h, t);
    }
    h.get_all_by_label_contains("(mã qd318-2022-xa)")
        .next()
        .unwrap()
        .click();
    h.run();
    h.run();
    seen += hints_fit(&h, "a built-in edition of the catalogue");
    h.get_by_label("Tỉnh Thử").click();
    h.run();
    tab(&mut h, "Tổng hợp");
    seen += hints_fit(&h, "Tổng hợp");
    assert!(seen >= 10, "{seen} hinted fields looked at");
}

/// A district's conditions screen and dossier spoke of the commune: «xã cần đạt», «Mặt
/// trận Tổ quốc xã», «Nơi (tên thôn)», signer «Chủ tịch UBND xã». They name the district.
#[test]
fn r_district_screens_speak_of_the_commune() {
    let dir = tempdir();
    let path = dir.path().join("huyen.sqlite");
    {
        let mut ws = open(&path);
        let province =
            ntm_dossier::app::units::add(&mut ws, &form("Tỉnh Thử", "tinh", None)).unwrap();
        let district =
            ntm_dossier::app::units::add(&mut ws, &form("Huyện Thử", "huyen", Some(province)))
                .unwrap();
        ntm_dossier::app::assessment::create(&mut ws, district, "qd320-2022-huyen", "ntm", 2025)
            .unwrap();
    }
    let mut h = harness(&path, 1366.0, 768.0, 1.0);
    tab(&mut h, "Điều kiện công nhận");
    assert!(
        h.query_by_label_contains("huyện cần đạt các điều kiện")
            .is_some()
            && h.query_by_label_contains("Mặt trận Tổ quốc huyện")
                .is_some()
            && h.query_by_label("Nơi (tên xã)").is_some(),
        "the conditions screen names the district"
    );
    assert!(h.query_by_label_contains("xã cần đạt").is_none());
    assert!(h.query_by_label_contains("Mặt trận Tổ quốc xã").is_none());
    tab(&mut h, "Hồ sơ in");
    let signer = h.get_by_role_and_label(Role::TextInput, "Họ tên người ký");
    assert_eq!(
        signer.accesskit_node().placeholder(),
        Some("Chủ tịch UBND huyện")
    );
}

/// The overview of a commune's first received round said «1 thay đổi so với lần trước»:
/// the one «change» was the note that it is the first round. It now says so.
#[test]
fn r_first_round_one_change_since_previous() {
    let dir = tempdir();
    let file = dir.path().join("xa.ntm");
    {
        let mut commune = open(&dir.path().join("xa.sqlite"));
        let (_, _, a) = commune_with_assessment(&mut commune);
        ntm_dossier::app::bundle::export(&mut commune, a, &file).unwrap();
    }
    let path = dir.path().join("tinh.sqlite");
    let trust = ntm_dossier::app::keys::Trust::fingerprint(
        ntm_dossier::app::enrolment::signer_fingerprint(&file).unwrap(),
    );
    ntm_dossier::app::bundle::import(&mut open(&path), &file, &trust).unwrap();
    let h = harness(&path, 1366.0, 768.0, 1.0);
    assert!(
        h.query_by_label_contains("so với lần trước").is_none(),
        "a first round is compared with a round before it"
    );
    h.get_by_label_contains("lần gửi đầu tiên");
}

/// In the roll-up's chart of the share of communes meeting each criterion, a bar was as
/// much shorter as its label was wider: the full bar of «TC 3: 3/3 xã (100 %)» looked
/// shorter than the empty tracks beside it. Every bar is now as long as the others.
#[test]
fn r_full_chart_bar_shorter_than_empty_ones() {
    let dir = tempdir();
    let path = dir.path().join("ho-so.sqlite");
    {
        let mut ws = open(&path);
        let (_, _, a) = commune_with_assessment(&mut ws);
        use ntm_dossier::app::commands::values;
        let met = values::parse_criterion_verdict("dat").unwrap();
        values::rate_criterion(&mut ws, a, 1, Some((met, "Đã kiểm tra thực tế"))).unwrap();
    }
    let mut h = harness(&path, 1366.0, 768.0, 1.0);
    h.get_by_label("Tỉnh Thử").click();
    h.run();
    tab(&mut h, "Tổng hợp");
    let widths: Vec<(String, f32)> = h
        .get_all_by_role(Role::ProgressIndicator)
        .filter_map(|n| {
            let label = n.accesskit_node().label()?.to_string();
            label
                .starts_with("Tiến độ: TC ")
                .then(|| (label, n.rect().width()))
        })
        .collect();
    assert!(widths.len() > 1, "{widths:?}");
    assert!(
        widths.iter().any(|(l, _)| l.contains("(100 %)")),
        "{widths:?}"
    );
    assert!(
        widths.iter().all(|(_, w)| (w - widths[0].1).abs() < 0.5),
        "the bars differ in length: {widths:?}"
    );
}

/// On a received round (read-only) the walk-through's «Tiếp» and «Mục còn thiếu tiếp
/// theo» were greyed out with the rating: the officer could not move through the
/// commune's criteria. They work; the rating stays read-only.
#[test]
fn r_received_round_navigation_greyed_out() {
    let dir = tempdir();
    let file = dir.path().join("xa.ntm");
    {
        let mut commune = open(&dir.path().join("xa.sqlite"));
        let (_, _, a) = commune_with_assessment(&mut commune);
        ntm_dossier::app::bundle::export(&mut commune, a, &file).unwrap();
    }
    let path = dir.path().join("tinh.sqlite");
    let trust = ntm_dossier::app::keys::Trust::fingerprint(
        ntm_dossier::app::enrolment::signer_fingerprint(&file).unwrap(),
    );
    ntm_dossier::app::bundle::import(&mut open(&path), &file, &trust).unwrap();
    let mut h = harness(&path, 1366.0, 768.0, 1.0);
    tab(&mut h, "Rà soát tiêu chí");
    for label in ["Tiếp", "Mục còn thiếu tiếp theo"] {
        assert!(
            !h.get_by_role_and_label(Role::Button, label)
                .accesskit_node()
                .is_disabled(),
            "«{label}» is greyed out on a received round"
        );
    }
    h.get_by_label_contains("Tiêu chí 1.");
    h.get_by_role_and_label(Role::Button, "Tiếp").click();
    h.run();
    h.run();
    h.get_by_label_contains("Tiêu chí 2.");
    // Still read-only: the rating of the whole criterion cannot be changed.
    let reason = h.get_by_role_and_label(Role::TextInput, "Lý do kết luận tiêu chí");
    assert!(reason.accesskit_node().is_disabled());
}

/// Empty date fields showed «dd/mm/yyyy», English letters for day, month and year: they
/// say «ngày/tháng/năm», whole, on every screen that asks for a date.
#[test]
fn r_date_hint_in_english_letters() {
    let dir = tempdir();
    let path = fixture(dir.path());
    let mut h = harness(&path, 1366.0, 768.0, 1.0);
    let mut seen = 0;
    for t in ["Rà soát tiêu chí", "Điều kiện công nhận", "Hồ sơ in"] {
        tab(&mut h, t);
        for n in h.get_all_by_role(Role::TextInput) {
            let hint = n
                .accesskit_node()
                .placeholder()
                .unwrap_or_default()
                .to_string();
            assert!(!hint.contains("dd/mm"), "{t}: «{hint}»");
            seen += usize::from(hint == "ngày/tháng/năm");
        }
        hints_fit(&h, t);
    }
    assert!(seen >= 3, "{seen} date fields seen");
}
