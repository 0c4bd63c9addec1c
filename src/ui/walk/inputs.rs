//! The fields of an indicator card: the value by kind, the manual verdict, the details.

use super::criterion::{verdict_choices, verdict_text};
use crate::app::assessment::{ValueDetails, ValueForm};
use crate::domain::catalog::{Indicator, IndicatorKind};

/// A text field saved when it loses focus; returns (has focus, should save).
fn field(
    ui: &mut egui::Ui,
    label: &str,
    text: &mut String,
    width: f32,
    hint: &str,
) -> (bool, bool) {
    let r = crate::ui::design::FieldRow::new(label)
        .hint(hint)
        .width(width)
        .show(ui, text);
    (r.has_focus(), r.lost_focus())
}

pub(super) fn value_inputs(
    ui: &mut egui::Ui,
    ind: &Indicator,
    form: &mut ValueForm,
) -> (bool, bool) {
    let unit = if ind.unit.is_empty() {
        String::new()
    } else {
        format!(" ({})", ind.unit)
    };
    match ind.kind {
        IndicatorKind::Ratio => {
            let a = field(ui, "Tử số", &mut form.numerator, 120.0, "");
            let b = field(ui, "Mẫu số", &mut form.denominator, 120.0, "");
            (a.0 || b.0, a.1 || b.1)
        }
        IndicatorKind::Amount | IndicatorKind::Count => {
            let r = field(
                ui,
                &format!("Giá trị{unit}"),
                &mut form.value,
                140.0,
                "1.234,5",
            );
            ui.label("");
            ui.label("");
            r
        }
        IndicatorKind::YesNo => {
            let l = ui.label("Kết quả thực hiện");
            let shown = match form.value.as_str() {
                "dat" => "Đạt",
                "khong" => "Không đạt",
                _ => "(chưa nhập)",
            };
            let mut changed = false;
            egui::ComboBox::from_id_salt(("co_khong", ind.code.as_str()))
                .selected_text(shown)
                .show_ui(ui, |ui| {
                    for (v, label) in [("", "(chưa nhập)"), ("dat", "Đạt"), ("khong", "Không đạt")]
                    {
                        changed |= ui
                            .selectable_value(&mut form.value, v.to_string(), label)
                            .changed();
                    }
                })
                .response
                .labelled_by(l.id);
            ui.label("");
            ui.label("");
            (false, changed)
        }
        IndicatorKind::Level => {
            let l = ui.label("Mức đạt được");
            let mut changed = false;
            let shown = if form.value.is_empty() {
                "(chưa nhập)".to_string()
            } else {
                form.value.clone()
            };
            egui::ComboBox::from_id_salt(("muc_do", ind.code.as_str()))
                .selected_text(shown)
                .show_ui(ui, |ui| {
                    changed |= ui
                        .selectable_value(&mut form.value, String::new(), "(chưa nhập)")
                        .changed();
                    for level in &ind.levels {
                        changed |= ui
                            .selectable_value(&mut form.value, level.clone(), level)
                            .changed();
                    }
                })
                .response
                .labelled_by(l.id);
            ui.label("");
            ui.label("");
            (false, changed)
        }
    }
}

pub(super) fn override_inputs(ui: &mut egui::Ui, code: &str, form: &mut ValueForm) -> (bool, bool) {
    let l = ui.label("Kết luận thủ công");
    let mut changed = false;
    egui::ComboBox::from_id_salt(("ket_luan", code))
        .selected_text(verdict_text(&form.verdict))
        .show_ui(ui, |ui| {
            for (v, label) in verdict_choices(false) {
                changed |= ui
                    .selectable_value(&mut form.verdict, v.to_string(), label)
                    .changed();
            }
        })
        .response
        .labelled_by(l.id);
    if form.verdict.is_empty() {
        if changed {
            form.reason.clear();
        }
        ui.label("");
        ui.label("");
        return (false, changed);
    }
    // A manual verdict is saved once its reason is there; until then the field says so.
    let ready = !form.reason.trim().is_empty();
    let r = crate::ui::design::FieldRow::new("Lý do")
        .hint("bắt buộc: vì sao kết luận khác kết quả tính")
        .width(260.0)
        .error((!ready).then_some("cần nhập lý do để lưu"))
        .show(ui, &mut form.reason);
    let ready = !form.reason.trim().is_empty();
    (r.has_focus(), (changed || r.lost_focus()) && ready)
}

pub(super) fn detail_inputs(ui: &mut egui::Ui, form: &mut ValueForm) -> (bool, bool) {
    let details = form.details.get_or_insert_with(ValueDetails::default);
    let a = field(
        ui,
        "Ngày số liệu",
        &mut details.data_date,
        120.0,
        "dd/mm/yyyy",
    );
    let b = field(
        ui,
        "Nguồn số liệu",
        &mut details.source_office,
        260.0,
        "cơ quan, bộ phận cung cấp",
    );
    ui.end_row();
    let c = field(ui, "Người phụ trách", &mut details.responsible, 120.0, "");
    let d = field(
        ui,
        "Hạn hoàn thành",
        &mut details.deadline,
        120.0,
        "dd/mm/yyyy",
    );
    ui.end_row();
    let e = field(ui, "Ghi chú", &mut form.note, 120.0, "");
    ui.end_row();
    (
        a.0 || b.0 || c.0 || d.0 || e.0,
        a.1 || b.1 || c.1 || d.1 || e.1,
    )
}
