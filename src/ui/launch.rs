//! Starting the desktop window: where the workspace comes from (`--db`, the last session,
//! the default path), the native window options, and the eframe adapter that hands each
//! frame to [`NtmUi`] and flushes the session on exit.

use super::{NtmUi, opened_with};
use std::path::PathBuf;

struct EframeApp(NtmUi);

impl eframe::App for EframeApp {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        self.0.ui(ui);
    }

    fn on_exit(&mut self, _gl: Option<&eframe::glow::Context>) {
        self.0.flush();
    }
}

/// Starts the desktop app on `db` or the default workspace; returns the exit code.
pub fn run_app(db: Option<PathBuf>) -> i32 {
    run_app_offering_bundle(db, None)
}

/// Opens the desktop app; when `bundle` is given (the app was started by a double-click on a
/// `.ntm` file), the window first asks whether to import it.
pub fn run_app_offering_bundle(db: Option<PathBuf>, bundle: Option<PathBuf>) -> i32 {
    // Without --db: the workspace of the last session, if it is still there.
    let memory = crate::app::memory::default_path()
        .map(|p| crate::app::memory::load(&p).0)
        .unwrap_or_default();
    let path = match crate::app::memory::workspace_to_open(db, &memory)
        .map(Ok)
        .unwrap_or_else(crate::app::default_workspace_path)
    {
        Ok(p) => p,
        Err(e) => {
            eprint!("{e}");
            return crate::app::EXIT_FAILURE;
        }
    };
    let mut viewport = egui::ViewportBuilder::default()
        .with_inner_size([1366.0, 768.0])
        .with_min_inner_size([1024.0, 600.0])
        .with_drag_and_drop(true)
        .with_title("Hồ sơ NTM");
    if let Some(icon) = opened_with::window_icon() {
        viewport = viewport.with_icon(icon);
    }
    let options = eframe::NativeOptions {
        viewport,
        ..Default::default()
    };
    let result = eframe::run_native(
        "Hồ sơ NTM",
        options,
        Box::new(move |_cc| {
            let mut app = NtmUi::for_desktop(&path);
            if let Some(bundle) = bundle {
                app.offer_bundle(bundle);
            }
            Ok(Box::new(EframeApp(app)))
        }),
    );
    match result {
        Ok(()) => 0,
        Err(e) => {
            eprintln!(
                "Lỗi: không mở được cửa sổ ứng dụng.\nGợi ý: hãy dùng các lệnh dòng lệnh (ntm-dossier --help) nếu máy không có màn hình.\n  - {e}"
            );
            crate::app::EXIT_FAILURE
        }
    }
}
