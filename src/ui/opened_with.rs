//! How the window starts: its icon (the Windows program icon), and the bundle it was opened
//! with (a double-click on a `.ntm` file), which it offers to import before anything else.

use super::NtmUi;
use crate::app::state::Command;
use std::path::PathBuf;

/// The window icon (the same picture as the Windows program icon).
pub(super) fn window_icon() -> Option<egui::IconData> {
    eframe::icon_data::from_png_bytes(include_bytes!("../../assets/windows/icon.png")).ok()
}

impl NtmUi {
    /// Asks the user whether to import the bundle at `path` into the open workspace: the app
    /// was started with it (a double-click on a `.ntm` file). Nothing is imported until the
    /// user agrees.
    pub fn offer_bundle(&mut self, path: PathBuf) {
        self.offered_bundle = Some(path);
    }

    /// The dialog of [`Self::offer_bundle`]: import the bundle, or leave it.
    pub(super) fn bundle_offer_ui(&mut self, ctx: &egui::Context, commands: &mut Vec<Command>) {
        let Some(path) = self.offered_bundle.clone() else {
            return;
        };
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| path.display().to_string());
        let mut answered = false;
        egui::Modal::new(egui::Id::unique("nhap_goi_khi_mo")).show(ctx, |ui| {
            ui.heading("Nhập gói hồ sơ?");
            ui.label(format!("Ứng dụng được mở bằng gói hồ sơ «{name}»."));
            match self.state.workspace.as_ref() {
                Some(ws) => {
                    ui.label(format!(
                        "Nhập gói này vào tệp dữ liệu {}?",
                        ws.path().display()
                    ));
                }
                None => {
                    ui.label("Hãy mở hoặc tạo một tệp dữ liệu trước, rồi nhập gói bằng nút «Nhận gói hồ sơ…».");
                }
            }
            ui.horizontal(|ui| {
                if self.state.workspace.is_some() && ui.button("Nhập gói").clicked() {
                    commands.push(Command::ImportBundles(vec![path.clone()]));
                    answered = true;
                }
                if ui.button("Bỏ qua").clicked() {
                    answered = true;
                }
            });
        });
        if answered {
            self.offered_bundle = None;
        }
    }
}
