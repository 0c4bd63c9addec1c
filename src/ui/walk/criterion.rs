//! The selected criterion's header: its verdict, «Tiếp», «Mục còn thiếu tiếp theo», the
//! superior's conclusion and the manual rating of the whole criterion.

use super::WalkState;
use crate::app::assessment::Loaded;
use crate::app::state::Command;
use crate::domain::catalog::Criterion;
use crate::domain::engine::CriterionStatus;
use crate::domain::units::Verdict;
use crate::ui::design::verdict_color;
use egui::RichText;

/// The heading, the moves and the rating of the criterion shown.
pub(super) fn criterion_header(
    ui: &mut egui::Ui,
    state: &crate::app::state::AppState,
    loaded: &Loaded,
    criterion: &Criterion,
    status: Option<&CriterionStatus>,
    walk: &mut WalkState,
    commands: &mut Vec<Command>,
) {
    let verdict = status.map_or(Verdict::NotAssessed, |s| s.verdict);
    // Wrapped rows: a narrow window (1280 px, text scaled up) cut their ends off.
    ui.horizontal_wrapped(|ui| {
        ui.heading(format!("Tiêu chí {}. {}", criterion.number, criterion.name));
        crate::ui::design::verdict_chip(ui, verdict);
    });
    ui.horizontal_wrapped(|ui| {
        let last = loaded.edition.criteria.last().map(|c| c.number);
        if ui
            .add_enabled(last != Some(criterion.number), egui::Button::new("Tiếp"))
            .on_hover_text("Sang tiêu chí sau")
            .clicked()
            && let Some(pos) = loaded
                .edition
                .criteria
                .iter()
                .position(|c| c.number == criterion.number)
            && let Some(next) = loaded.edition.criteria.get(pos + 1)
        {
            walk.select_criterion(next.number);
        }
        if ui.button("Mục còn thiếu tiếp theo").clicked() {
            match walk.next_missing(loaded) {
                Some((n, code)) => {
                    walk.criterion = Some(n);
                    walk.scroll_to = code.clone();
                    walk.focused = code;
                }
                None => commands.push(Command::ShowError(
                    "Các tiêu chí không còn mục nào thiếu.".into(),
                )),
            }
        }
        if !criterion.name_verified {
            ui.label(
                RichText::new("Tên tiêu chí chưa đối chiếu nguyên văn")
                    .small()
                    .color(verdict_color(Verdict::MostlyMet)),
            );
        }
    });
    if let Some(r) = state
        .review
        .criteria
        .iter()
        .find(|r| r.number == criterion.number)
    {
        ui.horizontal_wrapped(|ui| {
            ui.label("Cấp trên kết luận:");
            crate::ui::design::verdict_chip(ui, r.verdict);
            if !r.comment.is_empty() {
                ui.label(&r.comment);
            }
        });
    }
    // A received round is read-only, but «Tiếp» and «Mục còn thiếu tiếp theo» above
    // still move through it (they were greyed out with the rest).
    ui.add_enabled_ui(state.received.is_none(), |ui| {
        criterion_rating(ui, criterion, status, walk, commands);
    });
}

/// A verdict for the whole criterion with its required reason: the only way to conclude
/// a criterion whose indicators the edition does not list, and an override otherwise.
fn criterion_rating(
    ui: &mut egui::Ui,
    criterion: &Criterion,
    status: Option<&CriterionStatus>,
    walk: &mut WalkState,
    commands: &mut Vec<Command>,
) {
    let (verdict, reason) = walk.ratings.entry(criterion.number).or_default();
    let stored = status.and_then(|s| s.manual.as_ref());
    let title = if criterion.indicators.is_empty() {
        "Kết luận tiêu chí"
    } else {
        "Kết luận thủ công cả tiêu chí"
    };
    ui.horizontal_wrapped(|ui| {
        let l = ui.label(title);
        let mut changed = false;
        egui::ComboBox::from_id_salt(("ket_luan_tc", criterion.number))
            .selected_text(verdict_text(verdict))
            .show_ui(ui, |ui| {
                for (code, label) in verdict_choices(true) {
                    changed |= ui
                        .selectable_value(verdict, code.to_string(), label)
                        .changed();
                }
            })
            .response
            .labelled_by(l.id);
        let l = ui.add(egui::Label::new("Lý do kết luận tiêu chí").extend());
        let r = ui
            .add(
                egui::TextEdit::singleline(reason)
                    .hint_text("bắt buộc khi kết luận thủ công")
                    .desired_width(
                        (ui.available_width() - 10.0).max(crate::ui::design::FIELD_WIDTH),
                    ),
            )
            .labelled_by(l.id);
        let stored_pair = stored
            .map(|m| (m.verdict.code().to_string(), m.reason.clone()))
            .unwrap_or_default();
        if (changed || r.lost_focus()) && (verdict.clone(), reason.clone()) != stored_pair {
            if verdict.is_empty() {
                commands.push(Command::RateCriterion(criterion.number, None));
            } else if let Some(v) = Verdict::from_code(verdict) {
                if reason.trim().is_empty() {
                    if r.lost_focus() {
                        commands.push(Command::ShowError(format!(
                            "Tiêu chí {}: kết luận thủ công cần có lý do.",
                            criterion.number
                        )));
                    }
                } else {
                    commands.push(Command::RateCriterion(
                        criterion.number,
                        Some((v, reason.clone())),
                    ));
                }
            }
        }
    });
    // A verdict chosen without its reason is not saved: say so at the field, not only
    // when the reason field loses focus.
    if !verdict.is_empty() && reason.trim().is_empty() {
        ui.label(
            RichText::new(format!(
                "Tiêu chí {}: kết luận «{}» chưa được lưu vì chưa có lý do — hãy nhập lý do bên cạnh.",
                criterion.number,
                verdict_text(verdict)
            ))
            .color(verdict_color(Verdict::NotMet)),
        );
    }
}

pub(super) fn verdict_choices(with_mostly: bool) -> Vec<(&'static str, &'static str)> {
    let mut v = vec![("", "(theo kết quả tính)"), ("dat", "Đạt")];
    if with_mostly {
        v.push(("co_ban_dat", "Cơ bản đạt"));
    }
    v.push(("chua_dat", "Chưa đạt"));
    v
}

pub(super) fn verdict_text(code: &str) -> &'static str {
    Verdict::from_code(code).map_or("(theo kết quả tính)", |v| v.label())
}
