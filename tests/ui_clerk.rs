//! The clerk's everyday path (issue 14), clicked through with egui_kittest: messages
//! float over the screen without moving it, a notice fades and an error stays, missing
//! items lead to their place, «Mục còn thiếu tiếp theo» goes forward and wraps, a
//! province is not asked for a commune's group, and a new assessment does not claim
//! «không đổi từ đầu năm».
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
use ntm_dossier::app::state::Command;
use ntm_dossier::ui::{NtmUi, Screen};
use std::path::Path;

/// The fixture commune with an assessment, opened on the dashboard.
fn opened(path: &Path) -> Harness<'static, NtmUi> {
    let a = {
        let mut ws = open(path);
        commune_with_assessment(&mut ws).2
    };
    let mut h = ui_harness(path);
    h.run();
    h.state_mut().state.apply(Command::SelectAssessment(a));
    h.run();
    no_error(&h);
    h
}

/// The criterion number in the walk-through's heading («Tiêu chí 2. Thu nhập»).
fn shown_criterion(h: &Harness<'_, NtmUi>) -> u32 {
    (1..=3)
        .find(|n| {
            h.query_all_by_label_contains(&format!("Tiêu chí {n}. "))
                .next()
                .is_some()
        })
        .expect("a criterion heading")
}

#[test]
fn r_message_banner_pushes_the_screen_down() {
    let dir = tempdir();
    let path = dir.path().join("ho-so.sqlite");
    let mut h = opened(&path);
    let tab = |h: &Harness<'_, NtmUi>| h.get_by_label("Rà soát tiêu chí").rect();
    let before = tab(&h);
    h.state_mut().state.notice = Some("Đã lưu bản sao lưu.".into());
    h.run();
    h.get_by_label("Đã lưu bản sao lưu.");
    assert_eq!(tab(&h), before, "a notice does not move the tabs");
    h.state_mut().state.apply(Command::ShowError(
        "Tiêu chí 2: kết luận cần có lý do.".into(),
    ));
    h.run();
    h.get_by_label_contains("Tiêu chí 2: kết luận cần có lý do.");
    assert_eq!(tab(&h), before, "an error does not move the tabs");
    // The banner hides no tab: the tab is still pressed, not the banner.
    h.get_by_label("Rà soát tiêu chí").click();
    h.run();
    assert_eq!(h.state().screen, Screen::Walk);
}

#[test]
fn a_notice_fades_and_an_error_stays_until_closed() {
    let dir = tempdir();
    let path = dir.path().join("ho-so.sqlite");
    let mut h = opened(&path);
    h.state_mut().state.notice = Some("Đã nhập 3 tệp minh chứng.".into());
    h.run();
    h.get_by_label("Đã nhập 3 tệp minh chứng.");
    // Each step is a quarter of a second: 10 seconds.
    for _ in 0..40 {
        h.step();
    }
    assert!(h.state().state.notice.is_none(), "the notice faded");
    assert!(h.query_by_label("Đã nhập 3 tệp minh chứng.").is_none());

    h.state_mut()
        .state
        .apply(Command::ShowError("Ngày «31/02/2026» không hợp lệ.".into()));
    for _ in 0..40 {
        h.step();
    }
    h.get_by_label_contains("Ngày «31/02/2026» không hợp lệ.");
    assert!(h.state().state.error.is_some(), "an error stays");
    h.get_by_label("Đóng").click();
    h.run();
    no_error(&h);
}

#[test]
fn r_missing_items_on_the_dashboard_lead_nowhere() {
    let dir = tempdir();
    let path = dir.path().join("ho-so.sqlite");
    let mut h = opened(&path);
    assert_eq!(h.state().screen, Screen::Overview);
    let message = h
        .state()
        .state
        .current
        .as_ref()
        .unwrap()
        .status
        .missing
        .iter()
        .find(|m| m.criterion == Some(2) && m.indicator.is_some())
        .expect("an indicator of criterion 2 is missing")
        .message
        .clone();
    h.get_by_label(&format!("• {message}")).click();
    h.run();
    no_error(&h);
    assert_eq!(h.state().screen, Screen::Walk);
    assert_eq!(shown_criterion(&h), 2);
}

#[test]
fn next_missing_goes_forward_in_order_and_wraps_to_the_first() {
    let dir = tempdir();
    let path = dir.path().join("ho-so.sqlite");
    let mut h = opened(&path);
    h.get_by_label("Rà soát tiêu chí").click();
    h.run();
    assert_eq!(shown_criterion(&h), 1);
    let mut seen = Vec::new();
    for _ in 0..30 {
        h.get_by_label("Mục còn thiếu tiếp theo").click();
        h.run();
        no_error(&h);
        let n = shown_criterion(&h);
        let wrapped = seen.last().is_some_and(|last| n < *last);
        seen.push(n);
        if wrapped {
            break;
        }
    }
    let (last, before) = seen.split_last().unwrap();
    assert!(
        before.windows(2).all(|w| w[0] <= w[1]),
        "forward in criterion order: {seen:?}"
    );
    assert!(before.contains(&2) && before.contains(&3), "{seen:?}");
    assert_eq!(*last, 1, "after the last gap it starts again: {seen:?}");
}

#[test]
fn r_province_form_asks_for_commune_group_and_flags() {
    let dir = tempdir();
    let path = dir.path().join("ho-so.sqlite");
    let mut h = opened(&path);
    h.get_by_label("Tỉnh Thử").click();
    h.run();
    h.get_by_label("Sửa đơn vị…").click();
    h.run();
    no_error(&h);
    h.get_by_label("Vùng");
    assert!(h.query_by_label("Nhóm xã").is_none(), "no commune group");
    assert!(h.query_by_label("Xã đặc biệt khó khăn").is_none());
    assert!(h.query_by_label("Xã an toàn khu").is_none());
    h.get_by_label("Hủy").click();
    h.run();
    h.get_all_by_label("Xã Đông Hòa").next().unwrap().click();
    h.run();
    h.get_by_label("Sửa đơn vị…").click();
    h.run();
    h.get_by_label("Nhóm xã");
    h.get_by_label("Xã đặc biệt khó khăn");
}

#[test]
fn a_new_assessment_does_not_claim_no_change_since_the_start_of_the_year() {
    let dir = tempdir();
    let path = dir.path().join("ho-so.sqlite");
    let h = opened(&path);
    h.get_by_label_contains("Tiêu chí đạt");
    assert!(
        h.query_by_label_contains("không đổi từ đầu năm").is_none(),
        "nothing to compare with on the first day"
    );
}

#[test]
fn r_rollup_cells_told_apart_by_colour_only() {
    let dir = tempdir();
    let path = dir.path().join("ho-so.sqlite");
    let mut h = opened(&path);
    h.state_mut().state.apply(Command::RateCriterion(
        2,
        Some((
            ntm_dossier::domain::units::Verdict::Met,
            "Biên bản kiểm tra ngày 05/01/2026".into(),
        )),
    ));
    h.state_mut().state.apply(Command::RateCriterion(
        3,
        Some((
            ntm_dossier::domain::units::Verdict::NotMet,
            "Chưa có số liệu".into(),
        )),
    ));
    no_error(&h);
    h.get_by_label("Tỉnh Thử").click();
    h.run();
    no_error(&h);
    h.get_by_label("Tổng hợp: Tỉnh Thử");
    // Each cell carries its mark besides its colour: Đ, CB, C, or nothing when not assessed.
    h.get_by_label("1: ");
    h.get_by_label("2: Đ");
    h.get_by_label("3: C");
    // The commune's name sits left of the criteria, in its own column.
    let name = h.get_all_by_label("Xã Đông Hòa").last().unwrap().rect();
    assert!(name.right() <= h.get_by_label("1: ").rect().left());
}

#[test]
fn the_rollup_charts_the_share_of_communes_meeting_each_criterion() {
    let dir = tempdir();
    let path = dir.path().join("ho-so.sqlite");
    let mut h = opened(&path);
    h.state_mut().state.apply(Command::RateCriterion(
        2,
        Some((
            ntm_dossier::domain::units::Verdict::Met,
            "Biên bản kiểm tra ngày 05/01/2026".into(),
        )),
    ));
    let province = h
        .state()
        .state
        .units
        .iter()
        .find(|u| u.name == "Tỉnh Thử")
        .unwrap()
        .id;
    h.state_mut()
        .state
        .apply(Command::AddUnit(form("Xã Nước Sạch", "xa", Some(province))));
    h.get_by_label("Tỉnh Thử").click();
    h.run();
    no_error(&h);
    h.get_by_label("Tỷ lệ xã đạt từng tiêu chí (các xã đang hiển thị)");
    h.get_by_label("2 xã hiển thị");
    h.get_by_label("TC 1: 0/2 xã (0 %)");
    h.get_by_label("TC 2: 1/2 xã (50 %)");
    h.get_by_label("TC 3: 0/2 xã (0 %)");
}
