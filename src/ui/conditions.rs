//! The recognition conditions outside the criteria: the satisfaction survey tally, the
//! construction debt, the security situation and the public posting log. Fields are
//! saved when they lose focus; choices when made.

use super::design::verdict_color;
use crate::app::assessment::Loaded;
use crate::app::conditions::{ConditionsForm, PostingForm};
use crate::app::state::{AppState, Command};
use crate::domain::engine::{DebtStatus, PostingMedium, SecurityStatus};
use crate::domain::ids::AssessmentId;
use crate::domain::units::{UnitKind, Verdict};
use crate::domain::vn_text::{for_editing, format_number};
use egui::RichText;

/// What the screen remembers between frames.
#[derive(Default)]
pub struct ConditionsState {
    form: ConditionsForm,
    saved: ConditionsForm,
    synced: Option<(AssessmentId, u64)>,
    posting: PostingForm,
    /// «Sửa (cần lý do)» was pressed: the edition's threshold is open for replacing.
    threshold_editing: bool,
}

impl ConditionsState {
    /// The save of a form still being typed, if it belongs to the assessment shown.
    pub fn pending_save(&self, state: &AppState) -> Option<Command> {
        let current = state.current.as_ref()?.record.id;
        (self.synced.map(|(id, _)| id) == Some(current) && self.form != self.saved)
            .then(|| Command::SaveConditions(self.form.clone()))
    }
}

/// Draws the screen.
pub fn conditions_ui(
    ui: &mut egui::Ui,
    state: &AppState,
    loaded: &Loaded,
    cs: &mut ConditionsState,
    commands: &mut Vec<Command>,
) {
    let key = (loaded.record.id, state.generation);
    if cs.synced != Some(key) {
        let stored =
            ConditionsForm::from_stored(&state.conditions, loaded.threshold_reason.as_deref());
        if cs.synced.map(|(id, _)| id) != Some(loaded.record.id) || cs.form == cs.saved {
            cs.form = stored.clone();
            cs.threshold_editing = false;
        }
        cs.saved = stored;
        cs.synced = Some(key);
    }
    ui.heading("Điều kiện công nhận");
    let (level, _) = level_words(loaded.unit.kind);
    ui.label(format!(
        "Ngoài các tiêu chí, {level} cần đạt các điều kiện sau để được đề nghị công nhận."
    ));
    for c in &loaded.status.conditions {
        ui.horizontal_wrapped(|ui| {
            super::design::verdict_chip(ui, c.verdict);
            ui.label(format!("{}: {}", c.name, c.detail));
        });
    }
    ui.separator();
    super::walk::read_only_note(ui, state);
    if state.received.is_some() {
        // Everything below is the commune's: shown, not changed.
        ui.disable();
    }
    egui::ScrollArea::vertical()
        .id_salt("dieu_kien")
        .auto_shrink([false, false])
        .show(ui, |ui| {
            let mut commit = false;
            commit |= satisfaction(ui, loaded, cs);
            ui.add_space(8.0);
            commit |= debt(ui, cs);
            ui.add_space(8.0);
            commit |= security(ui, cs);
            // Saved only once it reads, like the walk-through: until then the problem
            // shows beside the fields (once) and the draft is kept.
            if commit && cs.form != cs.saved && cs.form.validate_for(&loaded.edition).is_ok() {
                commands.push(Command::SaveConditions(cs.form.clone()));
            }
            ui.add_space(10.0);
            posting_log(ui, state, loaded, cs, commands);
        });
}

/// The words for the assessed unit's level and for the units under it where results are
/// posted: («xã», «thôn») for a commune, («huyện», «xã») for a district. A district's
/// conditions screen and dossier spoke of «xã» and «thôn».
pub(super) fn level_words(kind: UnitKind) -> (&'static str, &'static str) {
    match kind {
        UnitKind::Province => ("tỉnh", "huyện"),
        UnitKind::District => ("huyện", "xã"),
        UnitKind::Town => ("thị trấn", "tổ dân phố"),
        UnitKind::Commune | UnitKind::Village => ("xã", "thôn"),
    }
}

/// The residents' satisfaction survey; true when a field asks to be saved.
fn satisfaction(ui: &mut egui::Ui, loaded: &Loaded, cs: &mut ConditionsState) -> bool {
    let mut commit = false;
    let (level, _) = level_words(loaded.unit.kind);
    super::design::section_heading(
        ui,
        &format!("Khảo sát mức độ hài lòng của người dân (do Mặt trận Tổ quốc {level} thực hiện)"),
    );
    egui::Grid::new("hai_long")
        .num_columns(4)
        .min_col_width(120.0)
        .show(ui, |ui| {
            commit |= field(
                ui,
                "Số hộ được hỏi ý kiến",
                &mut cs.form.households_surveyed,
                "",
            );
            commit |= field(ui, "Số hộ hài lòng", &mut cs.form.households_satisfied, "");
            ui.end_row();
        });
    commit |= threshold(ui, loaded, cs);
    // The very validation that saves the form, so the preview and the stored value
    // cannot disagree; a problem shows here, beside the fields.
    match cs
        .form
        .validate_for(&loaded.edition)
        .and_then(|_| cs.form.satisfaction_preview())
    {
        Ok(Some(rate)) => {
            ui.label(
                RichText::new(format!("Tỷ lệ hài lòng: {} %", format_number(rate, 2))).strong(),
            );
        }
        Ok(None) => {}
        Err(e) => {
            ui.label(
                RichText::new(format!("Chưa lưu: {}", e.summary))
                    .color(verdict_color(Verdict::NotMet)),
            );
        }
    }
    commit
}

/// The satisfaction threshold in force: the edition's, shown read-only with «Sửa (cần lý
/// do)»; a replacement with its reason; or typed when the edition fixes none. True when
/// a field asks to be saved.
fn threshold(ui: &mut egui::Ui, loaded: &Loaded, cs: &mut ConditionsState) -> bool {
    let mut commit = false;
    let Some(fixed) = loaded.edition.conditions.satisfaction_percent.as_ref() else {
        ui.horizontal_wrapped(|ui| {
            commit |= field(
                ui,
                "Ngưỡng hài lòng (%)",
                &mut cs.form.satisfaction_threshold,
                "nhập theo văn bản của tỉnh",
            );
            ui.label(
                RichText::new(
                    "Bộ tiêu chí này không quy định ngưỡng hài lòng: nhập ngưỡng theo văn bản đang áp dụng.",
                )
                .small(),
            );
        });
        return commit;
    };
    let fixed_text = format!(
        "{} % (theo {})",
        format_number(fixed.value, 2),
        fixed.source
    );
    let replaced = !cs.form.satisfaction_threshold.trim().is_empty();
    if !replaced && !cs.threshold_editing {
        ui.horizontal_wrapped(|ui| {
            ui.label("Ngưỡng hài lòng:");
            ui.label(RichText::new(&fixed_text).strong());
            if ui
                .button("Sửa (cần lý do)")
                .on_hover_text("Chỉ sửa khi có văn bản cho phép dùng ngưỡng khác; lý do được lưu và in vào hồ sơ.")
                .clicked()
            {
                cs.threshold_editing = true;
                cs.form.satisfaction_threshold = for_editing(fixed.value);
            }
        });
        return commit;
    }
    ui.label(format!("Bộ tiêu chí quy định: {fixed_text}."));
    egui::Grid::new("nguong_hai_long")
        .num_columns(2)
        .min_col_width(120.0)
        .show(ui, |ui| {
            commit |= field(
                ui,
                "Ngưỡng hài lòng (%)",
                &mut cs.form.satisfaction_threshold,
                "",
            );
            ui.end_row();
            let l = ui.label("Lý do sửa ngưỡng");
            commit |= ui
                .add(
                    egui::TextEdit::singleline(&mut cs.form.satisfaction_threshold_reason)
                        .hint_text("ví dụ: theo Văn bản số …/UBND ngày … của UBND tỉnh")
                        .desired_width(420.0),
                )
                .labelled_by(l.id)
                .lost_focus();
            ui.end_row();
        });
    if ui.button("Dùng ngưỡng của bộ tiêu chí").clicked() {
        cs.form.satisfaction_threshold.clear();
        cs.form.satisfaction_threshold_reason.clear();
        cs.threshold_editing = false;
        commit = true;
    }
    commit
}

/// Outstanding construction debt; true when a field asks to be saved.
fn debt(ui: &mut egui::Ui, cs: &mut ConditionsState) -> bool {
    let mut commit = false;
    super::design::section_heading(ui, "Nợ đọng xây dựng cơ bản");
    egui::Grid::new("no_dong")
        .num_columns(4)
        .min_col_width(120.0)
        .show(ui, |ui| {
            commit |= field(ui, "Số nợ (triệu đồng)", &mut cs.form.debt_million_vnd, "0");
            let l = ui.label("Tình trạng");
            let shown =
                DebtStatus::from_code(&cs.form.debt_status).map_or("(chưa nhập)", |d| d.label());
            egui::ComboBox::from_id_salt("tinh_trang_no")
                .selected_text(shown)
                .show_ui(ui, |ui| {
                    commit |= ui
                        .selectable_value(&mut cs.form.debt_status, String::new(), "(chưa nhập)")
                        .changed();
                    for d in DebtStatus::ALL {
                        commit |= ui
                            .selectable_value(
                                &mut cs.form.debt_status,
                                d.code().to_string(),
                                d.label(),
                            )
                            .changed();
                    }
                })
                .response
                .labelled_by(l.id);
            ui.end_row();
        });
    commit
}

/// Security and public order; true when the choice changed.
fn security(ui: &mut egui::Ui, cs: &mut ConditionsState) -> bool {
    let mut commit = false;
    super::design::section_heading(ui, "Tình hình an ninh, trật tự");
    ui.horizontal(|ui| {
        let l = ui.label("An ninh, trật tự");
        let shown = SecurityStatus::from_code(&cs.form.security_status)
            .map_or("(chưa nhập)", |d| d.label());
        egui::ComboBox::from_id_salt("an_ninh")
            .selected_text(shown)
            .show_ui(ui, |ui| {
                commit |= ui
                    .selectable_value(&mut cs.form.security_status, String::new(), "(chưa nhập)")
                    .changed();
                for s in [SecurityStatus::Stable, SecurityStatus::Complex] {
                    commit |= ui
                        .selectable_value(
                            &mut cs.form.security_status,
                            s.code().to_string(),
                            s.label(),
                        )
                        .changed();
                }
            })
            .response
            .labelled_by(l.id);
    });
    commit
}

fn field(ui: &mut egui::Ui, label: &str, text: &mut String, hint: &str) -> bool {
    super::design::FieldRow::new(label)
        .hint(hint)
        .width(super::design::SHORT_FIELD_WIDTH)
        .show(ui, text)
        .lost_focus()
}

fn posting_log(
    ui: &mut egui::Ui,
    state: &AppState,
    loaded: &Loaded,
    cs: &mut ConditionsState,
    commands: &mut Vec<Command>,
) {
    super::design::section_heading(ui, "Nhật ký công khai báo cáo kết quả");
    let (level, below) = level_words(loaded.unit.kind);
    ui.label(
        RichText::new(if below == "thôn" {
            "Niêm yết tại trụ sở UBND xã và nhà văn hóa các thôn; thông báo trên đài truyền thanh xã.".to_string()
        } else {
            format!(
                "Niêm yết tại trụ sở UBND {level} và UBND các {below}; thông báo trên đài truyền thanh {level}."
            )
        })
        .small(),
    );
    if state.postings.is_empty() {
        ui.label("Chưa có lượt công khai nào.");
    }
    egui::Grid::new("nhat_ky")
        .striped(true)
        .num_columns(4)
        .show(ui, |ui| {
            for p in &state.postings {
                ui.label(p.posted_on.to_string());
                ui.label(p.medium.label());
                ui.label(&p.place);
                if ui.small_button("Xóa").clicked() {
                    commands.push(Command::RemovePosting(p.id));
                }
                ui.end_row();
            }
        });
    ui.add_space(4.0);
    ui.horizontal_wrapped(|ui| {
        let l = ui.label("Hình thức");
        let shown = PostingMedium::from_code(&cs.posting.medium).map_or("(chọn)", |m| m.label());
        egui::ComboBox::from_id_salt("hinh_thuc")
            .selected_text(shown)
            .show_ui(ui, |ui| {
                for m in PostingMedium::ALL {
                    ui.selectable_value(&mut cs.posting.medium, m.code().to_string(), m.label());
                }
            })
            .response
            .labelled_by(l.id);
        let l = ui.label(format!("Nơi (tên {below})"));
        ui.add(egui::TextEdit::singleline(&mut cs.posting.place).desired_width(160.0))
            .labelled_by(l.id);
        let l = ui.label("Ngày");
        let date = ui
            .add(
                egui::TextEdit::singleline(&mut cs.posting.date)
                    .hint_text(super::design::DATE_HINT)
                    .desired_width(super::design::DATE_FIELD_WIDTH),
            )
            .labelled_by(l.id);
        let enter = date.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
        if ui.button("Thêm lượt công khai").clicked() || enter {
            commands.push(Command::AddPosting(cs.posting.clone()));
            cs.posting.place.clear();
        }
    });
}
