//! The confirmation asked before a bundle from an unknown sender is imported: the
//! commune (or office) and the fingerprint of the key that signed it, to compare with
//! the fingerprint printed on its stamped tờ trình. A sender whose enrolled key differs
//! is shown with both fingerprints and can only be re-enrolled on purpose.

use crate::app::enrolment::KeyStatus;
use crate::app::state::{AppState, Command};

/// What the user typed for the sender shown.
#[derive(Debug, Default)]
pub struct EnrolState {
    typed: String,
}

/// Draws the confirmation for the first sender waiting, if any.
pub fn enrol_ui(
    ui: &mut egui::Ui,
    state: &AppState,
    enrol: &mut EnrolState,
    commands: &mut Vec<Command>,
) {
    let Some(sender) = state.senders.first() else {
        return;
    };
    egui::Modal::new(egui::Id::unique("xac_nhan_khoa_ky")).show(ui.ctx(), |ui| {
        ui.set_max_width(520.0);
        let (heading, action) = match &sender.status {
            KeyStatus::Other(_) => ("Bên gửi đã đổi khóa ký", "Ghi danh lại và nhận gói"),
            _ => ("Xác nhận khóa ký của bên gửi", "Xác nhận và nhận gói"),
        };
        ui.heading(heading);
        ui.label(format!("Gói: {}", sender.file.display()));
        ui.label(format!("Bên gửi: {}", sender.who));
        ui.label(
            egui::RichText::new(format!(
                "Dấu vân tay khóa ký trong gói: {}",
                sender.fingerprint
            ))
            .strong(),
        );
        if let KeyStatus::Other(old) = &sender.status {
            ui.colored_label(
                ui.visuals().warn_fg_color,
                format!(
                    "Đơn vị này đã ghi danh khóa {old}. Chỉ ghi danh lại khi bên gửi đã đổi máy \
                     hoặc mất tệp dữ liệu và tờ trình mới có đóng dấu ghi dấu vân tay {}; \
                     việc ghi danh lại được ghi vào nhật ký.",
                    sender.fingerprint
                ),
            );
        }
        ui.label(
            "Hãy nhập dấu vân tay in trên tờ trình có đóng dấu (hoặc bên gửi đọc qua điện \
             thoại) để đối chiếu:",
        );
        ui.add(egui::TextEdit::singleline(&mut enrol.typed).hint_text("ví dụ 7KQ2-M9XD-4F0A-RT3W"))
            .labelled_by(ui.label("Dấu vân tay trên tờ trình").id);
        ui.horizontal(|ui| {
            if ui.button(action).clicked() {
                commands.push(Command::ConfirmSender(std::mem::take(&mut enrol.typed)));
            }
            if ui.button("Không nhận gói này").clicked() {
                enrol.typed.clear();
                commands.push(Command::RejectSender);
            }
        });
    });
}
