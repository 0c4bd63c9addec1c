//! The window never waits for a choice (issue 12): opening a workspace, selecting a unit
//! or an assessment, adding a unit or an assessment and changing the roll-up's filter are
//! read on a background thread. The command returns at once without reading on the
//! window's thread, the frame shows «Đang tải…» (never a mix of two units), the result
//! is shown a few frames later, and a result that arrives after the user moved on is
//! dropped.
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
use ntm_dossier::app::report::RollupFilter;
use ntm_dossier::app::state::{AppState, Command};
use ntm_dossier::app::{self, units::UnitForm};
use ntm_dossier::domain::ids::{AssessmentId, UnitId};
use ntm_dossier::ui::NtmUi;
use std::path::Path;
use std::time::{Duration, Instant};

/// Polls the state as the window does each frame until nothing is being read.
fn settle(state: &mut AppState) {
    let until = Instant::now() + Duration::from_secs(20);
    while state.is_reloading() {
        assert!(Instant::now() < until, "the reading never ended");
        std::thread::sleep(Duration::from_millis(5));
        state.poll_tasks();
    }
}

/// A province with two communes, each with an assessment of 2025; the second also has
/// one of 2024.
fn two_communes(db: &Path) -> (UnitId, (UnitId, AssessmentId), (UnitId, AssessmentId)) {
    let mut ws = open(db);
    let (province, a, first) = commune_with_assessment(&mut ws);
    let b = app::units::add(&mut ws, &form("Xã Bình Minh", "xa", Some(province))).unwrap();
    app::assessment::create(&mut ws, b, "thu-nghiem-xa", "ntm", 2024).unwrap();
    let second = app::assessment::create(&mut ws, b, "thu-nghiem-xa", "ntm", 2025).unwrap();
    (province, (a, first), (b, second))
}

/// The workspace at `db` opened as the desktop window does, once read.
fn opened(db: &Path) -> AppState {
    let mut state = AppState::open_behind(db, false);
    settle(&mut state);
    assert!(state.error.is_none(), "{:?}", state.error);
    assert!(state.workspace.is_some());
    state
}

/// Another program holding the file's write lock: a reading that records today's counts
/// waits until it is released.
fn hold_write_lock(db: &Path) -> rusqlite::Connection {
    let c = rusqlite::Connection::open(db).unwrap();
    c.execute_batch("BEGIN IMMEDIATE").unwrap();
    c
}

fn release(c: rusqlite::Connection) {
    c.execute_batch("COMMIT").unwrap();
}

fn shown_unit(state: &AppState) -> Option<UnitId> {
    state.current.as_ref().map(|c| c.unit.id)
}

#[test]
fn opening_a_workspace_reads_it_behind_the_window() {
    let dir = tempdir();
    let db = dir.path().join("ws.sqlite");
    two_communes(&db);
    let mut state = AppState::open_behind(&db, false);
    // Returned before the file was read: nothing is shown yet but that it is opening.
    assert_eq!(state.opening_path(), Some(db.as_path()));
    assert!(state.workspace.is_none());
    assert_eq!(state.loading(), Some("Đang mở tệp dữ liệu…"));
    // Asked again while it is being opened (a second click): still being opened, not
    // refused as open in another window.
    state.apply(Command::OpenWorkspace(db.clone()));
    assert!(state.error.is_none(), "{:?}", state.error);
    settle(&mut state);
    assert!(state.error.is_none(), "{:?}", state.error);
    assert_eq!(state.units.len(), 3);
    assert_eq!(state.reads_here(), 0, "nothing read on the window's thread");
    assert!(state.opening_path().is_none());
}

#[test]
fn a_workspace_that_cannot_be_opened_says_why_and_the_open_one_stays() {
    let dir = tempdir();
    let db = dir.path().join("ws.sqlite");
    two_communes(&db);
    let damaged = dir.path().join("hong.sqlite");
    std::fs::write(&damaged, b"").unwrap();
    // At launch: told why, nothing open.
    let mut state = AppState::open_behind(&damaged, false);
    settle(&mut state);
    let e = state.error.clone().expect("refused");
    assert!(e.summary.contains("Tệp dữ liệu bị hỏng"), "{e:?}");
    assert!(state.workspace.is_none());
    // From an open window: told why, the workspace open stays open and shown.
    let mut state = opened(&db);
    state.apply(Command::OpenWorkspace(damaged.clone()));
    assert!(
        state.error.is_none(),
        "read behind the window: {:?}",
        state.error
    );
    settle(&mut state);
    let e = state.error.clone().expect("refused");
    assert!(e.summary.contains("Tệp dữ liệu bị hỏng"), "{e:?}");
    assert_eq!(state.workspace_path(), Some(db.as_path()));
    assert_eq!(state.units.len(), 3);
    // A file open in another window is refused at once, before anything is read.
    let other = AppState::open_behind(&db, false);
    assert!(
        other
            .error
            .as_ref()
            .is_some_and(|e| e.summary.contains("đang được mở trong một cửa sổ")),
        "{:?}",
        other.error
    );
    assert!(other.opening_path().is_none());
}

#[test]
fn selecting_a_unit_reads_it_behind_the_window() {
    let dir = tempdir();
    let db = dir.path().join("ws.sqlite");
    let (_, (a, first), _) = two_communes(&db);
    let mut state = opened(&db);
    // The reading waits for the lock to record today's counts: the window does not.
    let lock = hold_write_lock(&db);
    let started = Instant::now();
    state.apply(Command::SelectUnit(a));
    assert!(started.elapsed() < Duration::from_secs(2));
    assert!(state.error.is_none(), "{:?}", state.error);
    // Returned without reading: the unit is chosen, nothing of it is shown yet.
    assert_eq!(state.selected_unit, Some(a));
    assert!(state.current.is_none());
    assert!(state.is_loading_selection());
    assert_eq!(state.loading(), Some("Đang tải Xã Đông Hòa…"));
    for _ in 0..20 {
        std::thread::sleep(Duration::from_millis(10));
        state.poll_tasks();
    }
    assert!(state.current.is_none(), "still waiting for the lock");
    release(lock);
    settle(&mut state);
    assert_eq!(state.current.as_ref().map(|c| c.record.id), Some(first));
    assert_eq!(state.reads_here(), 0);
}

#[test]
fn a_unit_chosen_then_another_shows_the_second_only() {
    let dir = tempdir();
    let db = dir.path().join("ws.sqlite");
    let (_, (a, _), (b, second)) = two_communes(&db);
    let mut state = opened(&db);
    state.apply(Command::SelectUnit(a));
    // The first unit's reading has ended but is not collected yet when the user moves on.
    std::thread::sleep(Duration::from_millis(300));
    state.apply(Command::SelectUnit(b));
    let until = Instant::now() + Duration::from_secs(20);
    while state.is_reloading() {
        assert!(Instant::now() < until);
        assert_ne!(shown_unit(&state), Some(a), "the first unit is never shown");
        std::thread::sleep(Duration::from_millis(5));
        state.poll_tasks();
    }
    assert_eq!(state.selected_unit, Some(b));
    assert_eq!(state.current.as_ref().map(|c| c.record.id), Some(second));
    assert_eq!(state.reads_here(), 0);
}

#[test]
fn selecting_an_assessment_reads_it_behind_the_window() {
    let dir = tempdir();
    let db = dir.path().join("ws.sqlite");
    let (_, (a, _), (b, second)) = two_communes(&db);
    let older = open(&db)
        .assessments()
        .unwrap()
        .into_iter()
        .find(|x| x.unit == b && x.year == 2024)
        .unwrap()
        .id;
    let mut state = opened(&db);
    state.apply(Command::SelectUnit(a));
    settle(&mut state);
    state.apply(Command::SelectAssessment(older));
    assert!(
        state.current.is_none(),
        "nothing of the commune before is shown"
    );
    assert_eq!(state.selected_unit, Some(b));
    // Moved on to another assessment before it was read: only that one is shown.
    state.apply(Command::SelectAssessment(second));
    settle(&mut state);
    assert_eq!(state.current.as_ref().map(|c| c.record.id), Some(second));
    assert_eq!(state.selected_unit, Some(b));
    assert_eq!(state.reads_here(), 0);
}

#[test]
fn adding_a_unit_or_an_assessment_shows_it_behind_the_window() {
    let dir = tempdir();
    let db = dir.path().join("ws.sqlite");
    let (province, _, _) = two_communes(&db);
    let mut state = opened(&db);
    state.apply(Command::AddUnit(UnitForm {
        parent: province.to_string(),
        ..form("Xã Hòa Bình", "xa", None)
    }));
    assert!(state.error.is_none(), "{:?}", state.error);
    assert_eq!(state.notice.as_deref(), Some("Đã thêm «Xã Hòa Bình»."));
    settle(&mut state);
    let added = state.selected_unit.unwrap();
    assert_eq!(state.unit_title(added), "Xã Hòa Bình");
    assert!(state.current.is_none());
    state.apply(Command::NewAssessment {
        unit: added,
        edition: "thu-nghiem-xa".into(),
        target: "ntm".into(),
        year: 2026,
    });
    assert!(state.error.is_none(), "{:?}", state.error);
    settle(&mut state);
    let c = state.current.as_ref().expect("the new assessment is shown");
    assert_eq!((c.unit.id, c.record.year), (added, 2026));
    assert!(
        state
            .notice
            .as_deref()
            .unwrap()
            .starts_with("Đã tạo đợt đánh giá số")
    );
    assert_eq!(state.reads_here(), 0);
}

#[test]
fn the_rollup_filter_is_rolled_up_behind_the_window() {
    let dir = tempdir();
    let db = dir.path().join("ws.sqlite");
    let (province, _, _) = two_communes(&db);
    let mut state = opened(&db);
    state.apply(Command::SelectUnit(province));
    settle(&mut state);
    let assessed = |s: &AppState| {
        s.rollup
            .as_ref()
            .unwrap()
            .communes
            .iter()
            .filter(|c| c.assessment.is_some())
            .count()
    };
    assert_eq!(assessed(&state), 2);
    let year_2024 = RollupFilter {
        year: Some(2024),
        ..RollupFilter::default()
    };
    state.apply(Command::SetRollupFilter(year_2024.clone()));
    assert!(state.error.is_none(), "{:?}", state.error);
    // The roll-up shown stays until the new one is read; the screen offers the choice.
    assert_eq!(assessed(&state), 2);
    assert_eq!(state.rollup_filter_chosen(), &year_2024);
    assert_eq!(state.loading(), Some("Đang tổng hợp lại…"));
    settle(&mut state);
    assert_eq!(state.rollup_filter, year_2024);
    assert_eq!(assessed(&state), 1, "only one commune was assessed in 2024");
    // A refused edition is said; the roll-up shown stays.
    state.apply(Command::SetRollupFilter(RollupFilter {
        edition: Some("khong-co".into()),
        ..RollupFilter::default()
    }));
    settle(&mut state);
    assert!(state.error.is_some());
    assert_eq!(state.rollup_filter, year_2024);
    assert_eq!(state.rollup_filter_chosen(), &year_2024);
    assert_eq!(assessed(&state), 1);
    assert_eq!(state.reads_here(), 0);
}

/// Steps the window until `label` is drawn.
fn step_until_shown(h: &mut Harness<'_, NtmUi>, label: &str) {
    let until = Instant::now() + Duration::from_secs(20);
    while h.query_by_label_contains(label).is_none() {
        assert!(Instant::now() < until, "«{label}» never shown");
        h.step();
        std::thread::sleep(Duration::from_millis(10));
    }
    h.step();
}

#[test]
fn the_window_shows_what_it_is_reading_then_what_was_read() {
    let dir = tempdir();
    let db = dir.path().join("ws.sqlite");
    two_communes(&db);
    let ui = NtmUi::reading_behind(&db);
    assert!(ui.state.opening_path().is_some());
    let mut h = Harness::builder()
        .with_size(egui::vec2(1366.0, 768.0))
        .build_ui_state(|ui, app: &mut NtmUi| app.ui(ui), ui);
    step_until_shown(&mut h, "Xã Bình Minh");
    no_error(&h);
    // Click one commune then at once the other, while their reading waits for the
    // file: the window says what it reads, then shows only the other.
    let lock = hold_write_lock(&db);
    h.get_by_label("Xã Đông Hòa").click();
    h.step();
    h.step();
    assert!(h.query_by_label_contains("Đang tải Xã Đông Hòa").is_some());
    h.get_by_label("Xã Bình Minh").click();
    h.step();
    h.step();
    assert!(h.query_by_label_contains("Đang tải Xã Bình Minh").is_some());
    assert!(h.query_by_label_contains("Đang tải Xã Đông Hòa").is_none());
    release(lock);
    let until = Instant::now() + Duration::from_secs(20);
    while h.state().state.current.is_none() {
        assert!(Instant::now() < until, "the commune is never shown");
        h.step();
        std::thread::sleep(Duration::from_millis(10));
    }
    h.step();
    no_error(&h);
    // The dashboard of the commune chosen last.
    assert!(h.query_by_label_contains("Rà soát tiêu chí").is_some());
    assert_eq!(
        h.state()
            .state
            .unit_title(h.state().state.selected_unit.unwrap()),
        "Xã Bình Minh"
    );
    let c = h.state().state.current.as_ref().unwrap();
    assert_eq!(c.unit.name, "Xã Bình Minh");
    assert!(h.query_by_label_contains("Đang tải").is_none());
    assert_eq!(h.state().state.reads_here(), 0);
}

#[test]
fn the_rollup_screen_keeps_its_table_while_another_filter_is_rolled_up() {
    let dir = tempdir();
    let db = dir.path().join("ws.sqlite");
    let (province, _, _) = two_communes(&db);
    {
        // Enough communes that rolling up takes longer than a frame.
        let mut ws = open(&db);
        for n in 0..40 {
            let c = app::units::add(&mut ws, &form(&format!("Xã {n:02}"), "xa", Some(province)))
                .unwrap();
            app::assessment::create(&mut ws, c, "thu-nghiem-xa", "ntm", 2025).unwrap();
        }
    }
    let mut ui = NtmUi::reading_behind(&db);
    settle(&mut ui.state);
    ui.state.apply(Command::SelectUnit(province));
    settle(&mut ui.state);
    let mut h = Harness::builder()
        .with_size(egui::vec2(1366.0, 768.0))
        .build_ui_state(|ui, app: &mut NtmUi| app.ui(ui), ui);
    h.step();
    h.get_by_label_contains("42 xã hiển thị");
    // A frame drawn while the new roll-up is computed keeps the table shown, says it
    // is being rolled up again, and does not write it out meanwhile.
    let mut caught = 0;
    for (round, year) in ["2024", "Mới nhất"].iter().cycle().take(10).enumerate() {
        h.get_by_label("Năm:").click();
        for _ in 0..10 {
            if h.query_by_label(year).is_some() {
                break;
            }
            h.step();
        }
        h.get_by_label(year).click();
        h.step();
        h.step();
        if h.state().state.loading().is_some() {
            caught += 1;
            assert!(h.query_by_label_contains("Đang tổng hợp lại").is_some());
            h.get_by_label_contains("42 xã hiển thị");
            for button in ["Xuất Excel…", "Báo cáo PDF…"] {
                assert!(h.get_by_label(button).accesskit_node().is_disabled());
            }
        }
        let until = Instant::now() + Duration::from_secs(20);
        while h.state().state.loading().is_some() {
            assert!(Instant::now() < until, "the roll-up is never shown");
            h.step();
            std::thread::sleep(Duration::from_millis(10));
        }
        h.step();
        no_error(&h);
        assert!(h.query_by_label_contains("Đang tổng hợp lại").is_none());
        assert!(!h.get_by_label("Xuất Excel…").accesskit_node().is_disabled());
        let year_shown = h.state().state.rollup.as_ref().unwrap().year;
        assert_eq!(year_shown, (round % 2 == 0).then_some(2024));
    }
    assert!(caught > 0, "no frame was drawn while rolling up");
}

/// Opening another workspace waited, on the window's thread, for every thumbnail of the
/// one open to be made (and started them again as each task ended): now they stop.
#[test]
fn r_opening_another_workspace_waited_for_every_thumbnail() {
    let dir = tempdir();
    let db = dir.path().join("ws.sqlite");
    let other = dir.path().join("khac.sqlite");
    two_communes(&db);
    two_communes(&other);
    {
        let mut ws = open(&db);
        let a = ws.assessments().unwrap()[0].id;
        for n in 0..300 {
            let bytes = format!("%PDF-1.4 tệp {n}").into_bytes();
            let name = format!("Biên bản {n}.pdf");
            ws.add_evidence(a, &name, "application/pdf", &bytes, 1, &["1.1".to_string()])
                .unwrap();
        }
    }
    let mut state = AppState::open_behind(&db, false);
    while state.opening_path().is_some() {
        std::thread::sleep(Duration::from_millis(5));
        state.poll_tasks();
    }
    assert!(
        state.tasks.iter().any(|t| t.title == "Tạo ảnh thu nhỏ"),
        "thumbnails are being made"
    );
    state.leave_workspace();
    assert!(state.tasks.is_empty());
    let left = open(&db).blobs_without_preview().unwrap().len();
    assert!(left > 0, "the thumbnails left are not waited for");
    state.apply(Command::OpenWorkspace(other.clone()));
    settle(&mut state);
    assert!(state.error.is_none(), "{:?}", state.error);
    assert_eq!(state.workspace_path(), Some(other.as_path()));
}
