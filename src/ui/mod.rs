//! The desktop face (egui/eframe). Screens read [`AppState`] and push
//! [`Command`]s; [`NtmUi::ui`] applies them at the end of each frame. Everything visible
//! is Vietnamese; an embedded font that covers Vietnamese is installed before the first
//! frame because egui's default fonts cannot draw ạ, ậ, ệ, ộ, ự…

mod dashboard;
mod theme;
mod units_panel;

use crate::app::state::{AppState, Command};
use std::path::PathBuf;

pub use theme::install_fonts;

/// The whole app, independent of eframe so that tests can drive it with egui_kittest.
pub struct NtmUi {
    /// The state the screens read.
    pub state: AppState,
    fonts_installed: bool,
    unit_draft: units_panel::Drafts,
}

impl NtmUi {
    /// Opens the workspace at `path` without touching the recent-files list (tests).
    pub fn new(path: &std::path::Path) -> Self {
        Self::with_state(AppState::open(path, false))
    }

    /// Opens the workspace at `path` as the real app does, remembering it as recent.
    pub fn for_desktop(path: &std::path::Path) -> Self {
        Self::with_state(AppState::open(path, true))
    }

    fn with_state(state: AppState) -> Self {
        Self {
            state,
            fonts_installed: false,
            unit_draft: units_panel::Drafts::default(),
        }
    }

    /// Draws one frame and applies the commands it produced.
    pub fn ui(&mut self, ui: &mut egui::Ui) {
        if !self.fonts_installed {
            install_fonts(ui.ctx());
            theme::apply_style(ui.ctx());
            self.fonts_installed = true;
        }
        self.state.poll_tasks();
        if !self.state.tasks.is_empty() {
            ui.ctx()
                .request_repaint_after(std::time::Duration::from_millis(100));
        }
        let mut commands = Vec::new();
        egui::Panel::top("thanh_tren").show(ui, |ui| top_bar(ui, &self.state, &mut commands));
        egui::Panel::left("don_vi")
            .resizable(true)
            .default_size(340.0)
            .show(ui, |ui| {
                units_panel::units_ui(ui, &self.state, &mut self.unit_draft, &mut commands);
            });
        egui::CentralPanel::default().show(ui, |ui| match &self.state.current {
            Some(loaded) => dashboard::dashboard_ui(ui, loaded, &mut commands),
            None => dashboard::empty_ui(ui, &self.state),
        });
        for command in commands {
            self.state.apply(command);
        }
    }
}

fn top_bar(ui: &mut egui::Ui, state: &AppState, commands: &mut Vec<Command>) {
    ui.horizontal(|ui| {
        ui.heading("Hồ sơ NTM");
        ui.separator();
        match state.workspace_path() {
            Some(p) => ui.label(format!("Tệp dữ liệu: {}", p.display())),
            None => ui.label("Chưa mở tệp dữ liệu"),
        };
        if ui.button("Mở tệp dữ liệu…").clicked()
            && let Some(path) = rfd::FileDialog::new()
                .add_filter("Tệp dữ liệu Hồ sơ NTM", &["sqlite"])
                .set_title("Mở tệp dữ liệu")
                .pick_file()
        {
            commands.push(Command::OpenWorkspace(path));
        }
        if ui.button("Tạo tệp dữ liệu mới…").clicked()
            && let Some(path) = rfd::FileDialog::new()
                .add_filter("Tệp dữ liệu Hồ sơ NTM", &["sqlite"])
                .set_file_name("ho-so-ntm.sqlite")
                .set_title("Tạo tệp dữ liệu mới")
                .save_file()
        {
            commands.push(Command::OpenWorkspace(path));
        }
    });
    if let Some(err) = &state.error {
        theme::message_box(ui, theme::ERROR_BG, &err.to_string(), commands);
    } else if let Some(notice) = &state.notice {
        theme::message_box(ui, theme::NOTICE_BG, notice, commands);
    }
}

struct EframeApp(NtmUi);

impl eframe::App for EframeApp {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        self.0.ui(ui);
    }
}

/// Starts the desktop app on `db` or the default workspace; returns the exit code.
pub fn run_app(db: Option<PathBuf>) -> i32 {
    let path = match db
        .map(Ok)
        .unwrap_or_else(crate::app::default_workspace_path)
    {
        Ok(p) => p,
        Err(e) => {
            eprint!("{e}");
            return crate::cli::EXIT_FAILURE;
        }
    };
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_inner_size([1366.0, 768.0])
            .with_min_inner_size([1024.0, 600.0])
            .with_title("Hồ sơ NTM"),
        ..Default::default()
    };
    let result = eframe::run_native(
        "Hồ sơ NTM",
        options,
        Box::new(move |_cc| Ok(Box::new(EframeApp(NtmUi::for_desktop(&path))))),
    );
    match result {
        Ok(()) => 0,
        Err(e) => {
            eprintln!(
                "Lỗi: không mở được cửa sổ ứng dụng.\nGợi ý: hãy dùng các lệnh dòng lệnh (ntm-dossier --help) nếu máy không có màn hình.\n  - {e}"
            );
            crate::cli::EXIT_FAILURE
        }
    }
}
