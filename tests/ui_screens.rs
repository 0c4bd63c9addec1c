//! Every screen of the central area implements `ScreenView` (title, `leave`, view), and the
//! tab switch, the change of assessment and the closing window save through it. Here, on
//! each screen that keeps drafts, a value is typed and left in its field (no Enter, no
//! Tab): switching to another tab stores it, and coming back shows it; closing the window
//! stores it too.
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
use ntm_dossier::app;
use ntm_dossier::app::state::Command;
use ntm_dossier::domain::ids::AssessmentId;
use ntm_dossier::store::Workspace;
use ntm_dossier::ui::NtmUi;
use std::path::Path;

/// The fixture commune's assessment, selected, with a photo in its library.
fn commune_screen(dir: &Path) -> (Harness<'static, NtmUi>, AssessmentId) {
    let path = dir.join("ho-so.sqlite");
    let a = {
        let mut ws = open(&path);
        commune_with_assessment(&mut ws).2
    };
    let photo = dir.join("nha-van-hoa.png");
    image::RgbImage::from_fn(32, 24, |x, y| image::Rgb([x as u8 * 6, y as u8 * 8, 120]))
        .save(&photo)
        .unwrap();
    let mut h = ui_harness(&path);
    h.run();
    {
        let state = &mut h.state_mut().state;
        state.apply(Command::SelectAssessment(a));
        state.apply(Command::AttachFiles(vec!["1.2".into()], vec![photo]));
        state.wait_for_tasks();
    }
    h.run();
    no_error(&h);
    (h, a)
}

/// Types `text` into the first field labelled `label` and leaves it focused.
fn type_and_stay(h: &mut Harness<'_, NtmUi>, label: &str, text: &str) {
    h.get_all_by_label(label).next().unwrap().focus();
    h.run();
    h.get_all_by_label(label).next().unwrap().type_text(text);
    h.run();
}

fn tab(h: &mut Harness<'_, NtmUi>, title: &str) {
    h.get_all_by_label(title).next().unwrap().click();
    h.run();
    h.run();
    no_error(h);
}

/// One screen with drafts: its tab, how to reach the field, the field, what is typed, and
/// how to read the stored value back.
struct Case {
    tab: &'static str,
    before: fn(&mut Harness<'_, NtmUi>),
    field: &'static str,
    typed: &'static str,
    stored: fn(&Workspace, AssessmentId) -> Option<String>,
}

fn nothing(_: &mut Harness<'_, NtmUi>) {}

/// Selects the photo in the library, unless it still is (a click would close it).
fn select_photo(h: &mut Harness<'_, NtmUi>) {
    if h.query_by_label("Số văn bản").is_none() {
        h.get_by_label_contains("nha-van-hoa.png").click();
        h.run();
    }
}

fn cases() -> [Case; 4] {
    [
        Case {
            tab: "Rà soát tiêu chí",
            before: nothing,
            field: "Người phụ trách",
            typed: "Chị Hoa",
            stored: |ws, a| {
                ws.values(a)
                    .unwrap()
                    .into_iter()
                    .find_map(|v| v.responsible)
            },
        },
        Case {
            tab: "Thư viện minh chứng",
            before: select_photo,
            field: "Số văn bản",
            typed: "05/BC-UBND",
            stored: |ws, a| {
                ws.evidence(a)
                    .unwrap()
                    .into_iter()
                    .find_map(|e| e.doc_number)
            },
        },
        Case {
            tab: "Điều kiện công nhận",
            before: nothing,
            field: "Số hộ được hỏi ý kiến",
            typed: "150",
            stored: |ws, a| {
                ws.conditions(a)
                    .unwrap()
                    .households_surveyed
                    .map(|n| n.to_string())
            },
        },
        Case {
            tab: "Hồ sơ in",
            before: nothing,
            field: "Họ tên người ký",
            typed: "Trần Thị Lan",
            stored: |ws, a| ws.dossier_settings(a).unwrap().get("nguoi_ky").cloned(),
        },
    ]
}

#[test]
fn switching_tab_saves_what_each_screen_is_typing_and_shows_it_again() {
    let dir = tempdir();
    let (mut h, a) = commune_screen(dir.path());
    let path = dir.path().join("ho-so.sqlite");
    for case in cases() {
        tab(&mut h, case.tab);
        (case.before)(&mut h);
        assert_eq!(
            (case.stored)(&open(&path), a),
            None,
            "{}: nothing yet",
            case.tab
        );
        type_and_stay(&mut h, case.field, case.typed);
        assert_eq!(
            (case.stored)(&open(&path), a),
            None,
            "{}: still being typed",
            case.tab
        );
        tab(&mut h, "Tổng quan");
        assert_eq!(
            (case.stored)(&open(&path), a).as_deref(),
            Some(case.typed),
            "{}: leaving the tab saves «{}»",
            case.tab,
            case.field
        );
        tab(&mut h, case.tab);
        (case.before)(&mut h);
        assert!(
            h.query_all_by_value(case.typed).next().is_some(),
            "{}: «{}» shows the value again",
            case.tab,
            case.field
        );
    }
}

#[test]
fn closing_the_window_saves_what_each_screen_is_typing() {
    for case in cases() {
        let dir = tempdir();
        let (mut h, a) = commune_screen(dir.path());
        tab(&mut h, case.tab);
        (case.before)(&mut h);
        type_and_stay(&mut h, case.field, case.typed);
        h.state_mut().flush();
        drop(h);
        let ws = open(&dir.path().join("ho-so.sqlite"));
        assert_eq!(
            (case.stored)(&ws, a).as_deref(),
            Some(case.typed),
            "{}: closing saves «{}»",
            case.tab,
            case.field
        );
    }
}

/// The compiling office's review of a received round: a vote typed and left in its field
/// is saved by switching tab.
#[test]
fn switching_tab_saves_the_review_being_typed() {
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
    tab(&mut h, "Thẩm định");
    type_and_stay(&mut h, "Biểu quyết", "19/20");
    assert_eq!(open(&path).review(got).unwrap().vote, "");
    tab(&mut h, "Tổng quan");
    assert_eq!(open(&path).review(got).unwrap().vote, "19/20");
    tab(&mut h, "Thẩm định");
    assert!(h.query_all_by_value("19/20").next().is_some());
}
