//! The walk-through as a clerk uses it, by label: create a commune, start an assessment
//! on QĐ 318, enter a ratio and watch the verdict change, override it with a reason,
//! drop a photo onto the indicator, find it in the library with an unaccented search,
//! then read the workspace file on disk.
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
use ntm_dossier::domain::units::Verdict;
use ntm_dossier::ui::NtmUi;
use std::path::Path;

fn harness(path: &Path) -> Harness<'static, NtmUi> {
    ui_harness(path)
}

/// Clicks a criterion in the walk-through's list (the heading may repeat its name).
fn open_criterion(h: &mut Harness<'_, NtmUi>, name: &str) {
    h.get_all_by_label_contains(name).next().unwrap().click();
    h.run();
}

fn verdict_of(h: &Harness<'_, NtmUi>, code: &str) -> Verdict {
    let loaded = h
        .state()
        .state
        .current
        .as_ref()
        .expect("an assessment is open");
    loaded
        .status
        .criteria
        .iter()
        .flat_map(|c| &c.indicators)
        .find(|i| i.code == code)
        .map(|i| i.verdict)
        .expect("indicator")
}

fn photo(path: &Path) {
    let img = image::RgbImage::from_fn(320, 240, |x, y| {
        image::Rgb([(x % 256) as u8, (y % 256) as u8, 90])
    });
    img.save(path).unwrap();
}

fn start_qd318_assessment(h: &mut Harness<'_, NtmUi>) {
    h.run();
    h.get_by_label("Thêm đơn vị…").click();
    h.run();
    type_into(h, "Tên đơn vị", "Hà Tĩnh");
    h.get_by_label("Lưu đơn vị").click();
    h.run();
    no_error(h);
    h.get_by_label("Tỉnh Hà Tĩnh").click();
    h.run();
    h.get_by_label("Thêm đơn vị…").click();
    h.run();
    type_into(h, "Tên đơn vị", "Cẩm Bình");
    h.get_by_label("Lưu đơn vị").click();
    h.run();
    no_error(h);
    h.get_by_label("Xã Cẩm Bình").click();
    h.run();
    choose(
        h,
        "Bộ tiêu chí",
        "QĐ 318/QĐ-TTg — xã NTM 2021–2025 (Bộ tiêu chí quốc gia về xã nông thôn mới giai đoạn 2021–2025)",
    );
    h.get_by_label("Tạo đợt đánh giá").click();
    h.run();
    no_error(h);
}

#[test]
fn a_clerk_walks_through_a_criterion_attaches_proof_and_finds_it() {
    let dir = tempdir();
    let path = dir.path().join("ho-so.sqlite");
    let mut h = harness(&path);
    start_qd318_assessment(&mut h);
    h.get_by_label("Rà soát tiêu chí").click();
    h.run();
    open_criterion(&mut h, "3. Thủy lợi");
    h.run();
    h.get_by_label_contains("≥ 80");

    // 70 of 100 ha: below the verified 80 % threshold.
    enter_first(&mut h, "Tử số", "70");
    enter_first(&mut h, "Mẫu số", "100");
    no_error(&h);
    h.get_by_label("Tỷ lệ: 70 %");
    assert_eq!(verdict_of(&h, "3.1"), Verdict::NotMet);

    // 85 of 100 ha: the verdict changes at once.
    replace_text(&mut h, "Tử số", "85");
    h.key_press(egui::Key::Enter);
    h.run();
    no_error(&h);
    h.get_by_label("Tỷ lệ: 85 %");
    assert_eq!(verdict_of(&h, "3.1"), Verdict::Met);

    // Override with a reason (typed decomposed, stored composed).
    choose(&mut h, "Kết luận thủ công", "Chưa đạt");
    assert_eq!(
        verdict_of(&h, "3.1"),
        Verdict::Met,
        "no reason yet: nothing saved"
    );
    h.get_by_label_contains("cần nhập lý do để lưu");
    enter_first(&mut h, "Lý do", "Số lie\u{323}\u{302}u chưa được xác nhận");
    no_error(&h);
    assert_eq!(verdict_of(&h, "3.1"), Verdict::NotMet);

    // Drop a photo onto indicator 3.1 (the one being worked on).
    let file = dir.path().join("Ảnh kênh tưới tiêu.png");
    photo(&file);
    drop_file(&mut h, &file);
    // One frame takes the drop and starts the background attach; while it runs the
    // window repaints for its progress, so wait for it before settling the frames.
    h.step();
    h.state_mut().state.wait_for_tasks();
    h.run();
    no_error(&h);
    h.get_by_label_contains("Minh chứng (1)");

    // The library finds it without diacritics, and not with a wrong word.
    h.get_by_label("Thư viện minh chứng").click();
    h.run();
    type_into(&mut h, "Tìm minh chứng:", "kenh tuoi");
    h.get_by_label_contains("1 tệp khớp");
    h.get_by_label_contains("Ảnh kênh tưới tiêu.png");
    replace_text(&mut h, "Tìm minh chứng:", "nuoc sach");
    h.get_by_label_contains("0 tệp khớp");
    drop(h);

    let ws = open(&path);
    let a = &ws.assessments().unwrap()[0];
    assert_eq!(a.edition_code, "qd318-2022-xa");
    let v = ws
        .values(a.id)
        .unwrap()
        .into_iter()
        .find(|v| v.indicator.as_str() == "3.1")
        .unwrap();
    assert_eq!((v.numerator, v.denominator), (Some(85.0), Some(100.0)));
    assert_eq!(v.computed_verdict.code(), "dat");
    assert_eq!(v.manual_verdict.map(|m| m.code()), Some("chua_dat"));
    assert_eq!(
        v.manual_reason.as_deref(),
        Some("Số liệu chưa được xác nhận")
    );
    let ev = ws.evidence(a.id).unwrap();
    assert_eq!(ev.len(), 1);
    assert_eq!(ev[0].file_name, "Ảnh kênh tưới tiêu.png");
    assert_eq!(ev[0].indicators, vec!["3.1".to_string()]);
    assert_eq!(
        ws.evidence_bytes(ev[0].id).unwrap(),
        std::fs::read(&file).unwrap()
    );
}

#[test]
fn what_is_typed_is_saved_when_the_window_closes() {
    let dir = tempdir();
    let path = dir.path().join("ho-so.sqlite");
    let mut h = harness(&path);
    start_qd318_assessment(&mut h);
    h.get_by_label("Rà soát tiêu chí").click();
    h.run();
    open_criterion(&mut h, "3. Thủy lợi");
    h.run();
    // Typed but never left: the field still has focus when the window closes.
    h.get_all_by_label("Người phụ trách")
        .next()
        .unwrap()
        .focus();
    h.run();
    h.get_all_by_label("Người phụ trách")
        .next()
        .unwrap()
        .type_text("Công chức địa chính");
    h.run();
    h.state_mut().flush();
    drop(h);
    let ws = open(&path);
    let a = &ws.assessments().unwrap()[0];
    let v = ws.values(a.id).unwrap();
    assert_eq!(v.len(), 1);
    assert_eq!(v[0].indicator.as_str(), "3.1");
    assert_eq!(v[0].responsible.as_deref(), Some("Công chức địa chính"));
}

#[test]
fn next_missing_jumps_to_the_first_gap_and_a_bad_number_is_not_saved() {
    let dir = tempdir();
    let path = dir.path().join("ho-so.sqlite");
    let mut h = harness(&path);
    start_qd318_assessment(&mut h);
    h.get_by_label("Rà soát tiêu chí").click();
    h.run();
    h.get_by_label("Mục còn thiếu tiếp theo").click();
    h.run();
    // From criterion 1, the next gap is criterion 2 (no indicator list in this edition:
    // the gap is its own rating).
    h.get_by_label_contains("Tiêu chí 2.");
    h.get_by_label("Tiếp").click();
    h.run();
    h.get_by_label_contains("Tiêu chí 3.");

    open_criterion(&mut h, "3. Thủy lợi");
    h.run();
    enter_first(&mut h, "Tử số", "tám mươi");
    h.get_by_label_contains("tử số «tám mươi» không phải là số");
    let ws = open(&path);
    let a = &ws.assessments().unwrap()[0];
    assert!(
        ws.values(a.id).unwrap().is_empty(),
        "a bad number changes nothing"
    );
}

#[test]
fn a_file_open_in_another_window_is_refused_and_untouched() {
    let dir = tempdir();
    let path = dir.path().join("ho-so.sqlite");
    let mut first = harness(&path);
    first.run();
    let before = file_hash(&path);
    let mut second = harness(&path);
    second.run();
    second.get_by_label_contains("đang được mở trong một cửa sổ Hồ sơ NTM khác");
    second.get_by_label("Mở tệp dữ liệu…");
    assert_eq!(file_hash(&path), before);
    drop(first);
    drop(second);
    let mut third = harness(&path);
    third.run();
    assert!(third.state().state.workspace.is_some());
}

#[test]
fn editing_a_commune_sets_flags_and_former_communes() {
    let dir = tempdir();
    let path = dir.path().join("ho-so.sqlite");
    {
        let mut ws = open(&path);
        let p = ntm_dossier::app::units::add(&mut ws, &form("Hà Tĩnh", "tinh", None)).unwrap();
        ntm_dossier::app::units::add(&mut ws, &form("Cẩm Bình", "xa", Some(p))).unwrap();
        ntm_dossier::app::units::add(&mut ws, &form("Cẩm Vịnh", "xa", Some(p))).unwrap();
        ntm_dossier::app::units::add(&mut ws, &form("Phường Thạch Linh", "xa", Some(p))).unwrap();
    }
    let mut h = harness(&path);
    h.run();
    h.get_by_label("Phường Thạch Linh");
    h.get_by_label("Xã Cẩm Bình").click();
    h.run();
    h.get_by_label("Sửa đơn vị…").click();
    h.run();
    h.get_by_label("Xã đặc biệt khó khăn").click();
    h.run();
    h.get_by_label_contains("Sáp nhập từ").click();
    h.run();
    h.get_all_by_label("Xã Cẩm Vịnh").last().unwrap().click();
    h.run();
    h.get_by_label("Lưu đơn vị").click();
    h.run();
    no_error(&h);
    drop(h);
    let ws = open(&path);
    let units = ws.units().unwrap();
    let binh = units.iter().find(|u| u.name == "Cẩm Bình").unwrap();
    let vinh = units.iter().find(|u| u.name == "Cẩm Vịnh").unwrap();
    assert_eq!(
        binh.flags,
        vec![ntm_dossier::domain::units::UnitFlag::EspeciallyDisadvantaged]
    );
    assert_eq!(binh.merged_from, vec![vinh.id]);
}

#[test]
fn conditions_are_entered_on_their_screen_and_saved() {
    let dir = tempdir();
    let path = dir.path().join("ho-so.sqlite");
    let mut h = harness(&path);
    start_qd318_assessment(&mut h);
    h.get_all_by_label("Điều kiện công nhận")
        .next()
        .unwrap()
        .click();
    h.run();
    type_into(&mut h, "Số hộ được hỏi ý kiến", "200");
    h.key_press(egui::Key::Enter);
    h.run();
    type_into(&mut h, "Số hộ hài lòng", "190");
    h.key_press(egui::Key::Enter);
    h.run();
    no_error(&h);
    h.get_by_label("Tỷ lệ hài lòng: 95 %");
    choose(&mut h, "An ninh, trật tự", "Ổn định");
    choose(&mut h, "Hình thức", "Trụ sở UBND xã");
    type_into(&mut h, "Ngày", "05/01/2026");
    h.get_by_label("Thêm lượt công khai").click();
    h.run();
    no_error(&h);
    h.get_by_label("05/01/2026");
    // A bad date is refused with a message, and nothing is added.
    choose(&mut h, "Hình thức", "Đài truyền thanh xã");
    replace_text(&mut h, "Ngày", "31/02/2026");
    h.get_by_label("Thêm lượt công khai").click();
    h.run();
    h.get_by_label_contains("Ngày «31/02/2026» không hợp lệ");
    drop(h);
    let ws = open(&path);
    let a = &ws.assessments().unwrap()[0];
    let c = ws.conditions(a.id).unwrap();
    assert_eq!(
        (c.households_surveyed, c.households_satisfied),
        (Some(200), Some(190))
    );
    assert_eq!(c.security_status.map(|s| s.code()), Some("on_dinh"));
    let postings = ws.postings(a.id).unwrap();
    assert_eq!(postings.len(), 1);
    assert_eq!(postings[0].posted_on.iso(), "2026-01-05");
}

#[test]
fn a_province_copies_an_edition_and_edits_a_threshold() {
    let dir = tempdir();
    let path = dir.path().join("ho-so.sqlite");
    let mut h = harness(&path);
    h.run();
    h.get_all_by_label("Danh mục tiêu chí")
        .next()
        .unwrap()
        .click();
    h.run();
    h.get_by_label_contains("(mã qd318-2022-xa)").click();
    h.run();
    type_into(&mut h, "Tạo bản của tỉnh, mã", "qd318-2022-xa-ha-tinh");
    type_into(&mut h, "tên", "Bộ tiêu chí xã NTM tỉnh Hà Tĩnh");
    h.get_by_label("Sao chép").click();
    h.run();
    no_error(&h);
    h.get_by_label("Sửa bộ tiêu chí").click();
    h.run();
    h.get_by_label_contains("3. Thủy lợi").click();
    h.run();
    // A threshold that is not a number is refused and the editor stays open.
    replace_text(&mut h, "Ngưỡng 3.1 — Chung", "tám lăm");
    h.get_by_label("Lưu bộ tiêu chí").click();
    h.run();
    h.get_by_label_contains("không phải là số");
    replace_text(&mut h, "Ngưỡng 3.1 — Chung", "85");
    h.get_by_label("Lưu bộ tiêu chí").click();
    h.run();
    no_error(&h);
    h.get_by_label("Sửa bộ tiêu chí");
    drop(h);
    let ws = open(&path);
    let (_, edited) = ntm_dossier::app::catalog::load(&ws, "qd318-2022-xa-ha-tinh").unwrap();
    let (_, ind) = edited.indicator("3.1").unwrap();
    assert_eq!(
        ind.thresholds[0].value,
        ntm_dossier::domain::catalog::ThresholdValue::Number(85.0)
    );
    assert_eq!(edited.title, "Bộ tiêu chí xã NTM tỉnh Hà Tĩnh");
    let (_, original) = ntm_dossier::app::catalog::load(&ws, "qd318-2022-xa").unwrap();
    let (_, ind) = original.indicator("3.1").unwrap();
    assert_eq!(
        ind.thresholds[0].value,
        ntm_dossier::domain::catalog::ThresholdValue::Number(80.0)
    );
}

#[test]
fn the_dossier_screen_saves_signing_details_and_builds_a_draft_in_the_background() {
    let dir = tempdir();
    let path = dir.path().join("ho-so.sqlite");
    let mut h = harness(&path);
    start_qd318_assessment(&mut h);
    h.get_by_label("Hồ sơ in").click();
    h.run();
    h.get_by_label_contains("Còn thiếu");
    type_into(&mut h, "Họ tên người ký", "Trần Thị Lan");
    h.key_press(egui::Key::Enter);
    h.run();
    type_into(&mut h, "Ngày ký", "15/02/2026");
    h.key_press(egui::Key::Enter);
    h.run();
    no_error(&h);
    assert!(
        h.query_by_label_contains("Chưa nhập họ tên người ký")
            .is_none()
    );
    // The final packet is refused while anything is missing; a draft is built.
    let out = dir.path().join("ho-so.pdf");
    h.state_mut()
        .state
        .apply(ntm_dossier::app::state::Command::BuildDossier {
            path: out.clone(),
            final_packet: true,
        });
    assert!(
        h.state()
            .state
            .error
            .as_ref()
            .unwrap()
            .summary
            .contains("Chưa tạo được hồ sơ chính thức")
    );
    h.state_mut()
        .state
        .apply(ntm_dossier::app::state::Command::DismissMessage);
    h.state_mut()
        .state
        .apply(ntm_dossier::app::state::Command::BuildDossier {
            path: out.clone(),
            final_packet: false,
        });
    h.state_mut().state.wait_for_tasks();
    h.run();
    no_error(&h);
    h.get_by_label_contains("Đã tạo bản dự thảo");
    assert!(std::fs::read(&out).unwrap().starts_with(b"%PDF"));
    // After building, the file is offered with «Mở tệp» (the evidence's opener).
    h.get_by_label("Mở tệp");
    assert_eq!(h.state().state.built.as_deref(), Some(out.as_path()));
    drop(h);
    let ws = open(&path);
    let a = &ws.assessments().unwrap()[0];
    let s = ws.dossier_settings(a.id).unwrap();
    assert_eq!(s.get("nguoi_ky").map(String::as_str), Some("Trần Thị Lan"));
    assert_eq!(s.get("ngay").map(String::as_str), Some("2026-02-15"));
}

#[test]
fn leaving_a_screen_saves_what_is_still_being_typed() {
    let dir = tempdir();
    let path = dir.path().join("ho-so.sqlite");
    let mut h = harness(&path);
    start_qd318_assessment(&mut h);
    h.get_by_label("Rà soát tiêu chí").click();
    h.run();
    open_criterion(&mut h, "3. Thủy lợi");
    h.get_all_by_label("Người phụ trách")
        .next()
        .unwrap()
        .focus();
    h.run();
    h.get_all_by_label("Người phụ trách")
        .next()
        .unwrap()
        .type_text("Chị Hoa");
    h.run();
    // Straight to another screen, without Tab or Enter.
    h.get_all_by_label("Điều kiện công nhận")
        .next()
        .unwrap()
        .click();
    h.run();
    h.get_by_label("Số hộ được hỏi ý kiến").focus();
    h.run();
    h.get_by_label("Số hộ được hỏi ý kiến").type_text("150");
    h.run();
    // And to another unit.
    h.get_by_label("Tỉnh Hà Tĩnh").click();
    h.run();
    no_error(&h);
    drop(h);
    let ws = open(&path);
    let a = &ws.assessments().unwrap()[0];
    let v = ws.values(a.id).unwrap();
    assert_eq!(v[0].responsible.as_deref(), Some("Chị Hoa"));
    assert_eq!(ws.conditions(a.id).unwrap().households_surveyed, Some(150));
}

#[test]
fn r_leaving_a_field_has_no_undo_and_no_visible_history() {
    let dir = tempdir();
    let path = dir.path().join("ho-so.sqlite");
    let mut h = harness(&path);
    start_qd318_assessment(&mut h);
    h.get_by_label("Rà soát tiêu chí").click();
    h.run();
    open_criterion(&mut h, "3. Thủy lợi");
    enter_first(&mut h, "Mẫu số", "100");
    enter_first(&mut h, "Tử số", "70");
    no_error(&h);
    replace_text(&mut h, "Tử số", "85");
    h.key_press(egui::Key::Enter);
    h.run();
    no_error(&h);
    assert_eq!(verdict_of(&h, "3.1"), Verdict::Met);

    // The indicator's history: both changes, the first with «Khôi phục».
    h.get_by_label("Lịch sử thay đổi chỉ tiêu 3.1").click();
    h.run();
    h.get_by_label_contains("Tử số từ 70 thành 85");
    h.get_by_label_contains("Tử số từ (trống) thành 70");
    assert!(
        h.query_by_label("Khôi phục «85»").is_none(),
        "the current value"
    );
    h.get_by_label("Khôi phục «70»").scroll_to_me();
    h.run();
    h.get_by_label("Khôi phục «70»").click();
    h.run();
    no_error(&h);
    h.get_by_label("Tỷ lệ: 70 %");
    assert_eq!(verdict_of(&h, "3.1"), Verdict::NotMet);
    // The restore is itself in the history (and the audit log).
    h.get_by_label_contains("Tử số từ 85 thành 70");
    drop(h);
    let ws = open(&path);
    let log = ws.audit_log(1000).unwrap();
    assert_eq!(
        log.iter()
            .find(|e| e.field == "tu_so")
            .map(|e| (e.old_value.clone(), e.new_value.clone())),
        Some((Some("85".into()), Some("70".into())))
    );
}

#[test]
fn r_criterion_verdict_without_reason_dropped_silently() {
    let dir = tempdir();
    let path = dir.path().join("ho-so.sqlite");
    let mut h = harness(&path);
    start_qd318_assessment(&mut h);
    h.get_by_label("Rà soát tiêu chí").click();
    h.run();
    open_criterion(&mut h, "3. Thủy lợi");
    h.get_all_by_label("Kết luận thủ công cả tiêu chí")
        .next()
        .unwrap()
        .click();
    h.run();
    // The popup's entry (a button), not a verdict label on the page.
    h.get_all_by_label("Đạt").next().unwrap().click();
    h.run();
    no_error(&h);
    // Not saved, and the screen says why where the reason goes.
    h.get_by_label_contains("Tiêu chí 3: kết luận «Đạt» chưa được lưu vì chưa có lý do");
    let id = h.state().state.current.as_ref().unwrap().record.id;
    let loaded_manual = |h: &Harness<'_, NtmUi>| {
        h.state()
            .state
            .current
            .as_ref()
            .unwrap()
            .status
            .criteria
            .iter()
            .find(|c| c.number == 3)
            .and_then(|c| c.manual.clone())
    };
    assert!(loaded_manual(&h).is_none());
    enter_first(
        &mut h,
        "Lý do kết luận tiêu chí",
        "Đã nghiệm thu toàn bộ kênh",
    );
    no_error(&h);
    assert!(
        h.query_by_label_contains("chưa được lưu vì chưa có lý do")
            .is_none()
    );
    assert!(loaded_manual(&h).is_some(), "assessment {id}");
}

#[test]
fn r_commune_groups_and_regions_not_explained_where_chosen() {
    let dir = tempdir();
    let path = dir.path().join("ho-so.sqlite");
    {
        let mut ws = open(&path);
        let p = ntm_dossier::app::units::add(&mut ws, &form("Hà Tĩnh", "tinh", None)).unwrap();
        let c = ntm_dossier::app::units::add(&mut ws, &form("Cẩm Bình", "xa", Some(p))).unwrap();
        ntm_dossier::app::assessment::create(&mut ws, c, "qd318-2022-xa", "ntm", 2025).unwrap();
    }
    let mut h = harness(&path);
    h.run();
    h.get_by_label("Xã Cẩm Bình").click();
    h.run();
    h.get_by_label("Sửa đơn vị…").click();
    h.run();
    h.get_by_label("Cách xác định vùng và nhóm xã").click();
    h.run();
    no_error(&h);
    h.get_by_label(ntm_dossier::app::units::GROUP_RULE);
    h.get_by_label(ntm_dossier::app::units::REGION_RULE);
    // The differences for the selected assessment's edition, named by its decision.
    h.get_by_label_contains("QĐ 318/QĐ-TTg — xã NTM 2021–2025: ");
}
