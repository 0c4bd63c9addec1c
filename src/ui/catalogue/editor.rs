//! The province copy's editor: criteria and indicators added, removed and reordered,
//! every field of an indicator, thresholds per segment and year; each problem shown
//! beside its field, «Lưu» only once the form validates.

use super::{Draft, completeness, segments};
use crate::app::edition_form::{CriterionForm, FormProblem, IndicatorForm, Place};
use crate::app::state::Command;
use crate::domain::catalog::{Comparator, IndicatorKind};
use crate::domain::units::{Segment, Verdict};
use crate::ui::design::verdict_color;

fn show_problems(ui: &mut egui::Ui, problems: &[FormProblem], place: Place) {
    for p in problems.iter().filter(|p| p.place == place) {
        ui.colored_label(verdict_color(Verdict::NotMet), &p.message);
    }
}

/// Moves item `i` of `items` one place up (`-1`) or down (`1`).
fn shift<T>(items: &mut [T], i: usize, up: bool) {
    if up && i > 0 {
        items.swap(i, i - 1);
    } else if !up && i + 1 < items.len() {
        items.swap(i, i + 1);
    }
}

/// What the user asked of a criterion or an indicator in this frame.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Action {
    None,
    Up,
    Down,
    Remove,
}

/// Applies `action` to item `i` of `items`.
fn apply<T>(items: &mut Vec<T>, i: usize, action: Action) {
    match action {
        Action::Up => shift(items, i, true),
        Action::Down => shift(items, i, false),
        Action::Remove if i < items.len() => {
            items.remove(i);
        }
        Action::Remove | Action::None => {}
    }
}

/// The editor; returns true when the user gives up editing.
pub(super) fn editor(
    ui: &mut egui::Ui,
    draft: &mut Draft,
    generation: u64,
    commands: &mut Vec<Command>,
) -> bool {
    let mut cancel = false;
    let checked = draft.form.finish();
    let problems: Vec<FormProblem> = checked.as_ref().err().cloned().unwrap_or_default();
    ui.horizontal_wrapped(|ui| {
        ui.strong(format!("Đang sửa {}", draft.form.base.decision_label()));
        let save = ui.add_enabled(checked.is_ok(), egui::Button::new("Lưu bộ tiêu chí"));
        if save.clicked()
            && let Ok(edition) = &checked
        {
            commands.push(Command::DismissMessage);
            commands.push(Command::SaveEdition(Box::new(edition.clone())));
            draft.submitted_at = Some(generation);
        }
        cancel = ui.button("Thôi, không lưu").clicked();
        match &checked {
            Ok(edition) => {
                ui.label(format!("Đầy đủ: {}.", completeness(edition).join("; ")));
            }
            Err(p) => {
                ui.colored_label(
                    verdict_color(Verdict::NotMet),
                    format!("{} lỗi cần sửa trước khi lưu (ghi cạnh từng ô).", p.len()),
                );
            }
        }
    });
    let l = ui.label("Tên bộ tiêu chí");
    ui.add(egui::TextEdit::singleline(&mut draft.form.title).desired_width(f32::INFINITY))
        .labelled_by(l.id);
    show_problems(ui, &problems, Place::Edition);
    let segments = segments(&draft.form.base);
    let mut criterion_action = (0, Action::None);
    egui::ScrollArea::vertical()
        .id_salt("sua_bo")
        .auto_shrink([false, false])
        .show(ui, |ui| {
            let count = draft.form.criteria.len();
            for (ci, c) in draft.form.criteria.iter_mut().enumerate() {
                let action = criterion_editor(ui, c, (ci, count), &segments, &problems);
                if action != Action::None {
                    criterion_action = (ci, action);
                }
            }
            ui.separator();
            if ui.button("Thêm tiêu chí").clicked() {
                draft.form.add_criterion();
            }
        });
    let (ci, action) = criterion_action;
    apply(&mut draft.form.criteria, ci, action);
    cancel
}

/// One criterion, folded under its number and name: its fields, its indicators and
/// «Thêm chỉ tiêu».
fn criterion_editor(
    ui: &mut egui::Ui,
    c: &mut CriterionForm,
    (ci, count): (usize, usize),
    segments: &[Segment],
    problems: &[FormProblem],
) -> Action {
    let mut action = Action::None;
    let has_problem = problems.iter().any(|p| {
        matches!(p.place, Place::Criterion(x) | Place::Indicator(x, _) | Place::Threshold(x, _, _) if x == ci)
    });
    let title = format!(
        "{}. {}{}",
        c.number.trim(),
        c.name,
        if has_problem { " (có lỗi)" } else { "" }
    );
    egui::CollapsingHeader::new(title)
        .id_salt(("sua_tc", ci))
        .show(ui, |ui| {
            ui.horizontal_wrapped(|ui| {
                let l = ui.label("Số tiêu chí");
                ui.add(egui::TextEdit::singleline(&mut c.number).desired_width(40.0))
                    .labelled_by(l.id);
                let l = ui.label("Tên tiêu chí");
                ui.add(egui::TextEdit::singleline(&mut c.name).desired_width(360.0))
                    .labelled_by(l.id);
                ui.checkbox(&mut c.name_verified, "tên đã đối chiếu");
                ui.checkbox(&mut c.revocation_key, "then chốt khi xét thu hồi");
            });
            ui.horizontal_wrapped(|ui| {
                let l = ui.label("Nhóm tiêu chí");
                ui.add(egui::TextEdit::singleline(&mut c.group).desired_width(260.0))
                    .labelled_by(l.id);
                let l = ui.label("Ghi chú tiêu chí");
                ui.add(egui::TextEdit::singleline(&mut c.note).desired_width(260.0))
                    .labelled_by(l.id);
                action = move_buttons(ui, ci, count, &format!("Xóa tiêu chí {}", c.number.trim()));
            });
            show_problems(ui, problems, Place::Criterion(ci));
            let mut indicator_action = (0, Action::None);
            let n = c.indicators.len();
            for (ii, ind) in c.indicators.iter_mut().enumerate() {
                let a = indicator_editor(ui, ind, segments, problems, (ci, ii), n);
                if a != Action::None {
                    indicator_action = (ii, a);
                }
            }
            let (ii, a) = indicator_action;
            apply(&mut c.indicators, ii, a);
            ui.separator();
            if ui
                .button(format!("Thêm chỉ tiêu vào tiêu chí {}", c.number.trim()))
                .clicked()
            {
                let code = c.next_code();
                c.indicators.push(IndicatorForm::new(code));
            }
        });
    action
}

/// «Lên», «Xuống» and the remove button of item `i` of `count`.
fn move_buttons(ui: &mut egui::Ui, i: usize, count: usize, remove: &str) -> Action {
    let mut action = Action::None;
    if i > 0 && ui.small_button("Lên").clicked() {
        action = Action::Up;
    }
    if i + 1 < count && ui.small_button("Xuống").clicked() {
        action = Action::Down;
    }
    if ui.small_button(remove).clicked() {
        action = Action::Remove;
    }
    action
}

fn indicator_editor(
    ui: &mut egui::Ui,
    ind: &mut IndicatorForm,
    segments: &[Segment],
    problems: &[FormProblem],
    (ci, ii): (usize, usize),
    count: usize,
) -> Action {
    let code = ind.code.trim().to_string();
    ui.separator();
    ui.horizontal(|ui| {
        let l = ui.strong(format!("Chỉ tiêu {code}"));
        ui.add(
            egui::TextEdit::multiline(&mut ind.text)
                .desired_rows(1)
                .desired_width(f32::INFINITY),
        )
        .labelled_by(l.id);
    });
    egui::Grid::new(("chi_tieu", ci, ii))
        .num_columns(4)
        .show(ui, |ui| indicator_fields(ui, ind, (ci, ii)));
    let action = ui
        .horizontal(|ui| move_buttons(ui, ii, count, &format!("Xóa chỉ tiêu {code}")))
        .inner;
    show_problems(ui, problems, Place::Indicator(ci, ii));
    threshold_grid(ui, ind, &code, (ci, ii));
    // Beside the thresholds, outside the grid so that its columns keep their width.
    for ti in 0..ind.thresholds.len() {
        show_problems(ui, problems, Place::Threshold(ci, ii, ti));
    }
    ui.horizontal(|ui| {
        let l = ui.label(format!("Thêm ngưỡng {code} cho"));
        egui::ComboBox::from_id_salt(("them_nguong", ci, ii))
            .selected_text("(chọn vùng hoặc nhóm)")
            .show_ui(ui, |ui| {
                for s in segments {
                    if ui.selectable_label(false, s.label()).clicked() {
                        ind.add_threshold(*s);
                    }
                }
            })
            .response
            .labelled_by(l.id);
    });
    action
}

/// The fields of an indicator other than its text and thresholds, in a grid.
fn indicator_fields(ui: &mut egui::Ui, ind: &mut IndicatorForm, (ci, ii): (usize, usize)) {
    let l = ui.label("Mã chỉ tiêu");
    ui.add(egui::TextEdit::singleline(&mut ind.code).desired_width(60.0))
        .labelled_by(l.id);
    let l = ui.label("Đơn vị");
    ui.add(egui::TextEdit::singleline(&mut ind.unit).desired_width(160.0))
        .labelled_by(l.id);
    ui.end_row();
    let l = ui.label("Loại");
    egui::ComboBox::from_id_salt(("loai", ci, ii))
        .selected_text(ind.kind.label())
        .show_ui(ui, |ui| {
            for k in IndicatorKind::ALL {
                ui.selectable_value(&mut ind.kind, k, k.label());
            }
        })
        .response
        .labelled_by(l.id);
    let l = ui.label("So sánh");
    egui::ComboBox::from_id_salt(("so_sanh", ci, ii))
        .selected_text(ind.comparator.symbol())
        .show_ui(ui, |ui| {
            for c in [Comparator::AtLeast, Comparator::AtMost, Comparator::Equal] {
                ui.selectable_value(&mut ind.comparator, c, c.symbol());
            }
        })
        .response
        .labelled_by(l.id);
    ui.end_row();
    let l = ui.label("Các mức (thấp đến cao, cách nhau bằng |)");
    ui.add(egui::TextEdit::singleline(&mut ind.levels).desired_width(260.0))
        .labelled_by(l.id);
    let l = ui.label("Hướng dẫn");
    ui.add(egui::TextEdit::singleline(&mut ind.guidance).desired_width(260.0))
        .labelled_by(l.id);
    ui.end_row();
    let l = ui.label("Cơ quan giữ số liệu");
    ui.add(egui::TextEdit::singleline(&mut ind.data_office).desired_width(260.0))
        .labelled_by(l.id);
    let l = ui.label("Minh chứng thường dùng (cách nhau bằng |)");
    ui.add(egui::TextEdit::singleline(&mut ind.typical_proof).desired_width(260.0))
        .labelled_by(l.id);
    ui.end_row();
    let l = ui.label("Ghi chú");
    ui.add(egui::TextEdit::singleline(&mut ind.note).desired_width(260.0))
        .labelled_by(l.id);
    ui.checkbox(&mut ind.text_verified, "nội dung đã đối chiếu");
    ui.end_row();
}

/// The thresholds of an indicator, a row each: «Xóa», value, year, verified, source.
fn threshold_grid(
    ui: &mut egui::Ui,
    ind: &mut IndicatorForm,
    code: &str,
    (ci, ii): (usize, usize),
) {
    let mut remove = None;
    let levels: Vec<String> = ind
        .levels
        .split('|')
        .map(|l| l.trim().to_string())
        .filter(|l| !l.is_empty())
        .collect();
    let kind = ind.kind;
    egui::Grid::new(("nguong", ci, ii))
        .num_columns(8)
        .show(ui, |ui| {
            for (ti, t) in ind.thresholds.iter_mut().enumerate() {
                // First in the row, so that it stays on screen in a narrow window.
                if ui.small_button("Xóa").clicked() {
                    remove = Some(ti);
                }
                let l = ui.label(format!(
                    "Ngưỡng {code} — {}{}",
                    t.segment.label(),
                    if t.year.trim().is_empty() {
                        String::new()
                    } else {
                        format!(" năm {}", t.year.trim())
                    }
                ));
                match kind {
                    IndicatorKind::YesNo => {
                        ui.label("Đạt");
                        t.value = "Đạt".into();
                    }
                    IndicatorKind::Level => {
                        egui::ComboBox::from_id_salt(("muc", ci, ii, ti))
                            .selected_text(t.value.clone())
                            .show_ui(ui, |ui| {
                                for name in &levels {
                                    ui.selectable_value(&mut t.value, name.clone(), name);
                                }
                            })
                            .response
                            .labelled_by(l.id);
                    }
                    _ => {
                        ui.add(egui::TextEdit::singleline(&mut t.value).desired_width(90.0))
                            .labelled_by(l.id);
                    }
                }
                let l = ui.label("năm");
                ui.add(
                    egui::TextEdit::singleline(&mut t.year)
                        .hint_text("mọi năm")
                        .desired_width(60.0),
                )
                .labelled_by(l.id);
                ui.checkbox(&mut t.verified, "đã đối chiếu");
                let l = ui.label("nguồn");
                ui.add(
                    egui::TextEdit::singleline(&mut t.source)
                        .hint_text("nguồn: số, ngày văn bản, mục")
                        .desired_width(200.0),
                )
                .labelled_by(l.id);
                ui.end_row();
            }
        });
    if let Some(ti) = remove
        && ti < ind.thresholds.len()
    {
        ind.thresholds.remove(ti);
    }
}
