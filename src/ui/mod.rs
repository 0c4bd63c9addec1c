//! The desktop face (egui/eframe). Screens read [`AppState`] and push
//! [`Command`]s; [`NtmUi::ui`] applies them at the end of each frame. Everything visible
//! is Vietnamese; an embedded font that covers Vietnamese is installed before the first
//! frame because egui's default fonts cannot draw ạ, ậ, ệ, ộ, ự…

mod backups;
mod catalogue;
mod conditions;
mod dashboard;
mod design;
mod dialogs;
mod dossier;
mod enrol;
mod launch;
mod library;
mod opened_with;
mod review;
mod rollup;
mod rollup_view;
mod screens;
mod start;
mod theme;
mod thumbs;
mod unit_conditions;
mod units_panel;
mod walk;

use crate::app::state::{AppState, Command};
use std::path::PathBuf;

pub use launch::{run_app, run_app_offering_bundle};
pub use theme::{install_fonts, ui_fonts};

/// The screens reachable from the navigation bar.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Screen {
    /// The dashboard of the selected assessment.
    #[default]
    Overview,
    /// The criterion-by-criterion walk-through.
    Walk,
    /// Every evidence file of the assessment.
    Library,
    /// The recognition conditions.
    Conditions,
    /// The printed dossier.
    Dossier,
    /// The compiling office's review of a received assessment.
    Review,
    /// The roll-up of a province or district.
    Rollup,
    /// Criteria editions.
    Catalogue,
}

impl Screen {
    const ALL: [Screen; 8] = [
        Self::Overview,
        Self::Walk,
        Self::Library,
        Self::Conditions,
        Self::Dossier,
        Self::Review,
        Self::Rollup,
        Self::Catalogue,
    ];

    fn needs_assessment(self) -> bool {
        !matches!(self, Self::Catalogue | Self::Rollup)
    }
}

/// The whole app, independent of eframe so that tests can drive it with egui_kittest.
pub struct NtmUi {
    /// The state the screens read.
    pub state: AppState,
    /// The screen shown in the central area.
    pub screen: Screen,
    fonts_installed: bool,
    units: units_panel::Drafts,
    screens: screens::Screens,
    thumbs: thumbs::Thumbs,
    enrol: enrol::EnrolState,
    banner: design::Banner,
    /// A bundle the app was started with (double-click on a `.ntm` file), waiting for the
    /// user to say whether to import it.
    offered_bundle: Option<PathBuf>,
}

impl NtmUi {
    /// Opens the workspace at `path` without touching the recent-files list (tests).
    pub fn new(path: &std::path::Path) -> Self {
        Self::with_state(AppState::open(path, false))
    }

    /// Opens the workspace at `path` as the real app does, remembering it as recent.
    pub fn for_desktop(path: &std::path::Path) -> Self {
        // Opened, chosen and changed behind the window, never during a frame.
        Self::with_state(AppState::open_behind(path, true))
    }

    /// Opens the workspace at `path` as the desktop window does (behind the window, every
    /// choice read on a background thread) without touching the recent-files list (tests,
    /// benchmarks).
    pub fn reading_behind(path: &std::path::Path) -> Self {
        Self::with_state(AppState::open_behind(path, false))
    }

    fn with_state(state: AppState) -> Self {
        Self {
            state,
            screen: Screen::default(),
            fonts_installed: false,
            units: units_panel::Drafts::default(),
            screens: screens::Screens::default(),
            thumbs: thumbs::Thumbs::default(),
            enrol: enrol::EnrolState::default(),
            banner: design::Banner::default(),
            offered_bundle: None,
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
        if self.state.loading().is_some() {
            // A choice of the user is shown as soon as it is read.
            ui.ctx()
                .request_repaint_after(std::time::Duration::from_millis(20));
        } else if !self.state.tasks.is_empty() || self.state.is_reloading() {
            ui.ctx()
                .request_repaint_after(std::time::Duration::from_millis(100));
        } else if self.state.workspace.is_some() {
            // A frame a second, so that a change made by another program is noticed.
            ui.ctx()
                .request_repaint_after(std::time::Duration::from_secs(1));
        }
        let mut commands = Vec::new();
        let screen_before = self.screen;
        egui::Panel::top("thanh_tren").show(ui, |ui| {
            top_bar(ui, &self.state, &mut commands);
            tasks_bar(ui, &self.state, &mut commands);
        });
        self.bundle_offer_ui(&ui.ctx().clone(), &mut commands);
        if let Some(path) = self.state.opening_path() {
            let words = format!("Đang mở tệp dữ liệu {}…", path.display());
            egui::CentralPanel::default().show(ui, |ui| design::loading(ui, &words));
            self.banner.show(ui.ctx(), &self.state, &mut commands);
            self.finish_frame(commands, screen_before);
            return;
        }
        if self.state.workspace.is_none() {
            egui::CentralPanel::default().show(ui, |ui| {
                start::start_ui(ui, &mut commands);
            });
            self.banner.show(ui.ctx(), &self.state, &mut commands);
            self.finish_frame(commands, screen_before);
            return;
        }
        egui::Panel::left("don_vi")
            .resizable(true)
            .default_size(320.0)
            .show(ui, |ui| {
                units_panel::units_ui(ui, &self.state, &mut self.units, &mut commands);
            });
        egui::CentralPanel::default().show(ui, |ui| {
            self.navigation(ui);
            ui.separator();
            self.central(ui, &mut commands);
        });
        enrol::enrol_ui(ui, &self.state, &mut self.enrol, &mut commands);
        self.banner.show(ui.ctx(), &self.state, &mut commands);
        self.handle_dropped_files(ui, &mut commands);
        self.finish_frame(commands, screen_before);
    }

    /// The screen the central area shows: the selected tab, except that a province or
    /// district without an assessment shows its roll-up.
    fn shown(&self) -> Screen {
        if self.state.current.is_none()
            && self.state.rollup.is_some()
            && self.screen != Screen::Catalogue
        {
            Screen::Rollup
        } else {
            self.screen
        }
    }

    fn navigation(&mut self, ui: &mut egui::Ui) {
        let shown = self.shown();
        // Wrapped: at 1280 px beside the unit panel the last tabs would be cut off. The
        // spacing is tighter than elsewhere so that at 1366 px they stand on one row.
        ui.horizontal_wrapped(|ui| {
            ui.spacing_mut().item_spacing.x = 3.0;
            ui.spacing_mut().button_padding.x = 5.0;
            for screen in Screen::ALL {
                let enabled = !screen.needs_assessment() || self.state.current.is_some();
                let title = self.screens.get(screen).title();
                let response =
                    ui.add_enabled(enabled, egui::Button::selectable(shown == screen, title));
                if response.clicked() {
                    self.screen = screen;
                }
            }
        });
    }

    /// Draws the screen shown; a click that leads to the walk-through opens it there.
    fn central(&mut self, ui: &mut egui::Ui, commands: &mut Vec<Command>) {
        if self.state.is_loading_selection() {
            design::loading(ui, self.state.loading().unwrap_or("Đang tải…"));
            return;
        }
        let shown = self.shown();
        if shown.needs_assessment() && self.state.current.is_none() {
            dashboard::empty_ui(ui, &self.state);
            return;
        }
        let mut view = screens::View {
            state: &self.state,
            thumbs: &mut self.thumbs,
            commands,
            jump: None,
            goto: None,
        };
        self.screens.get_mut(shown).view(ui, &mut view);
        if let Some(jump) = view.jump {
            self.screens.walk.open(jump.criterion, jump.indicator);
            self.screen = Screen::Walk;
        } else if let Some(screen) = view.goto {
            self.screen = screen;
        }
    }

    /// Files dropped on the window: onto an indicator of the walk-through they become its
    /// proof; elsewhere they enter the library unlinked.
    fn handle_dropped_files(&mut self, ui: &egui::Ui, commands: &mut Vec<Command>) {
        let dropped: Vec<PathBuf> = ui.ctx().input(|i| {
            i.raw
                .dropped_files
                .iter()
                .map(|f| f.path().to_path_buf())
                .collect()
        });
        if dropped.is_empty() {
            return;
        }
        // Bundles received from communes are imported; anything else is evidence.
        let (bundles, dropped): (Vec<PathBuf>, Vec<PathBuf>) = dropped.into_iter().partition(|p| {
            p.extension()
                .is_some_and(|e| e.to_string_lossy().eq_ignore_ascii_case("ntm"))
        });
        if !bundles.is_empty() {
            commands.push(Command::ImportBundles(bundles));
        }
        if dropped.is_empty() {
            return;
        }
        if self.state.current.is_none() {
            commands.push(Command::ShowError(
                "Hãy chọn một đợt đánh giá trước khi thả tệp minh chứng vào.".into(),
            ));
            return;
        }
        let target = match self.screen {
            Screen::Walk => self.screens.walk.drop_target(),
            _ => None,
        };
        commands.push(Command::AttachFiles(target.into_iter().collect(), dropped));
    }

    fn finish_frame(&mut self, commands: Vec<Command>, screen_before: Screen) {
        // What a frame edits belongs to the assessment it showed: edits are applied
        // before any change of assessment or workspace made in the same frame.
        let (moves, edits): (Vec<Command>, Vec<Command>) = commands.into_iter().partition(|c| {
            matches!(
                c,
                Command::SelectUnit(_)
                    | Command::SelectAssessment(_)
                    | Command::NewAssessment { .. }
                    | Command::OpenWorkspace(_)
            )
        });
        // Leaving a screen or the assessment saves what is still being typed there first:
        // its field may never get the chance to lose focus.
        if self.screen != screen_before || !moves.is_empty() {
            self.save_drafts();
        }
        for command in edits.into_iter().chain(moves) {
            if let Command::OpenWorkspace(_) = command {
                self.state.leave_workspace();
                self.screens.walk = walk::WalkState::default();
                self.thumbs = thumbs::Thumbs::default();
            }
            self.state.apply(command);
        }
    }

    /// Leaving a screen, the assessment or the window: every screen saves what is still
    /// being typed on it (see [`screens::ScreenView::leave`]).
    fn save_drafts(&mut self) {
        for command in self.screens.leave_all(&self.state) {
            self.state.apply(command);
        }
    }

    /// Saves whatever is still being typed (the window is closing).
    pub fn flush(&mut self) {
        self.save_drafts();
        self.state.wait_for_tasks();
    }
}

fn top_bar(ui: &mut egui::Ui, state: &AppState, commands: &mut Vec<Command>) {
    ui.horizontal(|ui| {
        ui.heading("Hồ sơ NTM");
        ui.separator();
        ui.menu_button("Tệp dữ liệu", |ui| {
            file_menu(ui, commands);
            ui.separator();
            backups::restore_entry(ui, state.workspace_path(), commands);
        });
        match state.workspace_path() {
            Some(p) => ui.label(p.display().to_string()),
            None => ui.label("Chưa mở tệp dữ liệu"),
        };
    });
    backups::backups_ui(ui, state, commands);
}

/// Open, create and recent files: the same entries on the start screen and in the menu.
fn file_menu(ui: &mut egui::Ui, commands: &mut Vec<Command>) {
    if ui.button("Mở tệp dữ liệu…").clicked()
        && let Some(path) = rfd::FileDialog::new()
            .add_filter("Tệp dữ liệu Hồ sơ NTM", &["sqlite"])
            .set_title("Mở tệp dữ liệu")
            .pick_file()
    {
        commands.push(Command::OpenWorkspace(path));
    }
    if ui.button("Tạo tệp dữ liệu mới…").clicked()
        && let Some(path) = dialogs::save(
            "tep-du-lieu",
            rfd::FileDialog::new()
                .add_filter("Tệp dữ liệu Hồ sơ NTM", &["sqlite"])
                .set_file_name("ho-so-ntm.sqlite")
                .set_title("Tạo tệp dữ liệu mới"),
        )
    {
        commands.push(Command::OpenWorkspace(path));
    }
    if ui
        .button("Nhận gói hồ sơ…")
        .on_hover_text("Nhập các tệp .ntm các xã gửi lên (hoặc kéo thả chúng vào cửa sổ).")
        .clicked()
        && let Some(files) = rfd::FileDialog::new()
            .add_filter("Gói hồ sơ NTM", &["ntm"])
            .set_title("Nhận gói hồ sơ")
            .pick_files()
    {
        commands.push(Command::ImportBundles(files));
    }
    if let Ok(path) = crate::app::default_workspace_path()
        && ui.button("Mở tệp dữ liệu mặc định").clicked()
    {
        commands.push(Command::OpenWorkspace(path));
    }
    let recent = crate::app::session::recent_files();
    if !recent.is_empty() {
        ui.separator();
        ui.label(egui::RichText::new("Tệp gần đây").small());
        for path in recent {
            if ui.button(path.display().to_string()).clicked() {
                commands.push(Command::OpenWorkspace(path));
            }
        }
    }
}

/// Background work: a progress bar and a cancel button per task.
fn tasks_bar(ui: &mut egui::Ui, state: &AppState, commands: &mut Vec<Command>) {
    for (index, task) in state.tasks.iter().enumerate() {
        ui.horizontal(|ui| {
            let (done, total) = task.counts();
            ui.label(&task.title);
            design::progress_bar(
                ui,
                task.fraction(),
                300.0,
                design::ACCENT,
                &format!("{done}/{total}"),
            );
            if task.is_cancelled() {
                ui.label("Đang dừng…");
            } else if ui.button("Dừng").clicked() {
                commands.push(Command::CancelTask(index));
            }
        });
    }
}
