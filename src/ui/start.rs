//! The start screen, shown while no workspace is open: at the first start when the
//! default file could not be opened, or after a file was refused (damaged, of a newer
//! version, already open in another window). The refused file is never touched.

use crate::app::state::Command;
use egui::RichText;

/// Draws the start screen.
pub fn start_ui(ui: &mut egui::Ui, commands: &mut Vec<Command>) {
    ui.add_space(24.0);
    ui.vertical_centered(|ui| {
        ui.heading("Hồ sơ NTM — hồ sơ xét công nhận xã nông thôn mới");
        ui.add_space(6.0);
        ui.label("Mỗi tệp dữ liệu chứa toàn bộ hồ sơ: số liệu, minh chứng và kết quả rà soát.");
    });
    ui.add_space(16.0);
    super::design::two_columns(ui, |left, right| {
        let ui = left;
        ui.strong("Mở hoặc tạo tệp dữ liệu");
        ui.add_space(4.0);
        super::file_menu(ui, commands);
        super::backups::restore_entry(ui, None, commands);
        let ui = right;
        ui.strong("Lưu ý");
        ui.label(
            RichText::new(
                "• Một tệp chỉ mở được trong một cửa sổ tại một thời điểm.\n\
                 • Mỗi lần mở sau khi dữ liệu thay đổi, ứng dụng tự sao lưu vào thư mục «.sao-luu» bên cạnh; minh chứng chỉ lưu một lần.\n\
                 • Tệp của phiên bản mới hơn hoặc bị hỏng sẽ không bị sửa đổi.",
            )
            .small(),
        );
    });
}
