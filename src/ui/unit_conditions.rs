//! Recognition decisions on the unit panel (the selected unit's decisions, its former
//! units' as history, and a form to record one), and a district's or province's computed
//! conditions on the dashboard, each failing commune a link that selects it.
//!
//! Both read the workspace through the app layer once per data generation (cached in
//! egui's memory), never every frame.

use super::design::verdict_color;
use crate::app::assessment::Loaded;
use crate::app::recognitions::{self, RecognitionForm};
use crate::app::state::{AppState, Command};
use crate::app::unit_conditions;
use crate::domain::engine::UnitConditionStatus;
use crate::domain::ids::UnitId;
use crate::domain::units::{RecognitionTarget, UnitKind, Verdict};
use egui::RichText;

/// What a cached value was computed for: the thing shown and the data generation.
type Key = (i64, u64);

fn cached<T: Clone + Send + Sync + 'static>(
    ui: &egui::Ui,
    salt: &str,
    key: Key,
    compute: impl FnOnce() -> T,
) -> T {
    let id = egui::Id::unique(salt);
    if let Some((k, v)) = ui.data(|d| d.get_temp::<(Key, T)>(id))
        && k == key
    {
        return v;
    }
    let v = compute();
    ui.data_mut(|d| d.insert_temp(id, (key, v.clone())));
    v
}

/// The selected unit's recognition decisions and the form to record one.
pub fn recognitions_ui(
    ui: &mut egui::Ui,
    state: &AppState,
    unit: UnitId,
    kind: UnitKind,
    commands: &mut Vec<Command>,
) {
    let lines = cached(ui, "cong_nhan_don_vi", (unit.0, state.generation), || {
        state
            .workspace
            .as_ref()
            .and_then(|ws| recognitions::history(ws, unit).ok())
            .map(|h| h.lines())
            .unwrap_or_default()
    });
    egui::CollapsingHeader::new(format!("Quyết định công nhận ({})", lines.len()))
        .id_salt("quyet_dinh_cong_nhan")
        .show(ui, |ui| {
            if lines.is_empty() {
                ui.label("Chưa có quyết định công nhận nào.");
            }
            for l in &lines {
                ui.label(format!("• {l}"));
            }
            ui.add_space(4.0);
            recognition_form(ui, unit, kind, commands);
        });
}

fn recognition_form(ui: &mut egui::Ui, unit: UnitId, kind: UnitKind, commands: &mut Vec<Command>) {
    let id = egui::Id::unique(("mau_cong_nhan", unit.0));
    let mut form = ui
        .data(|d| d.get_temp::<RecognitionForm>(id))
        .unwrap_or_else(|| RecognitionForm {
            unit: unit.to_string(),
            target: if kind == UnitKind::Town {
                RecognitionTarget::CivilisedTown.code().to_string()
            } else {
                RecognitionTarget::Ntm.code().to_string()
            },
            ..RecognitionForm::default()
        });
    egui::Grid::new("luoi_cong_nhan")
        .num_columns(2)
        .show(ui, |ui| {
            let l = ui.label("Công nhận:");
            let current = RecognitionTarget::from_code(&form.target).map_or("", |t| t.label());
            egui::ComboBox::from_id_salt("muc_tieu_cong_nhan")
                .selected_text(current)
                .show_ui(ui, |ui| {
                    for t in RecognitionTarget::ALL {
                        ui.selectable_value(&mut form.target, t.code().to_string(), t.label());
                    }
                })
                .response
                .labelled_by(l.id);
            ui.end_row();
            for (label, value, hint) in [
                ("Số quyết định:", &mut form.decision, "123/QĐ-UBND"),
                ("Ngày:", &mut form.date, "15/12/2024"),
                ("Cơ quan ban hành:", &mut form.issued_by, "UBND tỉnh …"),
            ] {
                super::design::FieldRow::new(label)
                    .hint(hint)
                    .show(ui, value);
                ui.end_row();
            }
        });
    ui.checkbox(&mut form.revoked, "Quyết định thu hồi công nhận");
    let record = ui.button("Ghi quyết định").clicked();
    if record {
        commands.push(Command::RecordRecognition(form.clone()));
        form.decision.clear();
        form.date.clear();
        form.revoked = false;
    }
    ui.data_mut(|d| d.insert_temp(id, form));
}

/// A district's or province's computed conditions, failing communes clickable.
pub fn unit_conditions_ui(
    ui: &mut egui::Ui,
    state: &AppState,
    loaded: &Loaded,
    commands: &mut Vec<Command>,
) {
    if !unit_conditions::applies_to(&loaded.unit) {
        return;
    }
    let all: Vec<UnitConditionStatus> = cached(
        ui,
        "dieu_kien_don_vi",
        (loaded.record.id.0, state.generation),
        || {
            state
                .workspace
                .as_ref()
                .and_then(|ws| {
                    crate::app::central_status::evaluate(ws, loaded)
                        .ok()
                        .flatten()
                })
                .unwrap_or_default()
        },
    );
    super::design::section_heading(ui, "Điều kiện tính từ dữ liệu các xã, thị trấn");
    if all.is_empty() {
        ui.label("Bộ tiêu chí của đợt đánh giá này chưa có điều kiện tính từ dữ liệu.");
    }
    for c in &all {
        let verdict = if c.met { Verdict::Met } else { Verdict::NotMet };
        ui.horizontal_wrapped(|ui| {
            ui.label(
                RichText::new(verdict.label())
                    .strong()
                    .color(verdict_color(verdict)),
            );
            ui.label(format!("{}: {} (yêu cầu {})", c.text, c.actual, c.required));
        });
        if !c.failing.is_empty() {
            ui.horizontal_wrapped(|ui| {
                ui.label("Chưa đạt:");
                for u in &c.failing {
                    if ui.link(crate::app::units::display_name(u)).clicked() {
                        commands.push(Command::SelectUnit(u.id));
                    }
                }
            });
        }
    }
    ui.add_space(10.0);
}
