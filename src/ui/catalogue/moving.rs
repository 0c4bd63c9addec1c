//! Moving the open assessment to the edition shown on the catalogue screen.

use crate::app::state::{AppState, Command};
use crate::domain::catalog::Edition;

/// Moving the open assessment to the edition shown: the button, then the list of what
/// changes and a confirmation.
pub(super) fn move_panel(
    ui: &mut egui::Ui,
    state: &AppState,
    edition: &Edition,
    commands: &mut Vec<Command>,
) {
    let Some(current) = state.current.as_ref() else {
        return;
    };
    if current.record.edition_code == edition.code.as_str() || edition.level != current.unit.kind {
        return;
    }
    let name = crate::app::units::display_name(&current.unit);
    let plan = state
        .move_plan
        .as_ref()
        .filter(|p| p.to == edition.code.as_str() && p.assessment == current.record.id);
    let Some(plan) = plan else {
        if ui
            .button(format!(
                "Chuyển đợt đánh giá {name} năm {} sang bộ tiêu chí này…",
                current.record.year
            ))
            .clicked()
        {
            commands.push(Command::DismissMessage);
            commands.push(Command::PlanMove(edition.code.to_string()));
        }
        return;
    };
    crate::ui::design::warning_frame().show(ui, |ui| {
            egui::ScrollArea::vertical()
                .id_salt("ke_hoach_chuyen")
                .max_height(260.0)
                .show(ui, |ui| {
                    for line in crate::app::edition_move::describe(plan).lines() {
                        ui.label(line);
                    }
                });
            ui.label("Số liệu, minh chứng, ghi chú và thời hạn của các chỉ tiêu còn giữ nguyên; các lần đã gửi giữ bộ tiêu chí lúc gửi.");
            ui.horizontal(|ui| {
                if ui.button("Xác nhận chuyển").clicked() {
                    commands.push(Command::DismissMessage);
                    commands.push(Command::ApplyMove(edition.code.to_string()));
                }
                if ui.button("Thôi, không chuyển").clicked() {
                    commands.push(Command::CancelMove);
                }
            });
        });
}
