//! One indicator's card: its requirement, the fields, the live result, evidence and history.

use super::WalkState;
use super::evidence::evidence_row;
use super::inputs::{Pairs, detail_inputs, override_inputs, value_inputs};
use crate::app::assessment::{Loaded, ValueForm, preview_value};
use crate::app::state::{AppState, Command};
use crate::domain::catalog::{Indicator, IndicatorKind};
use crate::domain::engine::IndicatorStatus;
use crate::domain::units::Verdict;
use crate::domain::vn_text::format_number;
use crate::ui::design::{self, verdict_color, verdict_fill};
use crate::ui::thumbs::Thumbs;
use egui::RichText;

/// One indicator with its status: a card the clerk fills in.
pub(super) fn indicator_card(
    ui: &mut egui::Ui,
    state: &AppState,
    loaded: &Loaded,
    (ind, st): (&Indicator, Option<&IndicatorStatus>),
    walk: &mut WalkState,
    thumbs: &mut Thumbs,
    commands: &mut Vec<Command>,
) {
    let code = ind.code.to_string();
    let verdict = st.map_or(Verdict::NotAssessed, |s| s.verdict);
    let dropping = ui.ctx().input(|i| !i.raw.hovered_files.is_empty());
    let highlighted = walk.focused.as_deref() == Some(code.as_str());
    let frame = egui::Frame::new()
        .fill(verdict_fill(verdict))
        .stroke(egui::Stroke::new(
            if highlighted { 2.0 } else { 1.0 },
            verdict_color(verdict),
        ))
        .inner_margin(10.0)
        .corner_radius(6.0);
    let response = frame.show(ui, |ui| {
        ui.set_width(ui.available_width());
        ui.horizontal_wrapped(|ui| {
            ui.label(RichText::new(format!("Chỉ tiêu {code}")).strong());
            ui.label(&ind.text);
        });
        if !ind.text_verified {
            ui.label(
                RichText::new("Câu chữ chỉ tiêu chưa đối chiếu nguyên văn quyết định")
                    .small()
                    .color(design::FAINT_TEXT),
            );
        }
        requirement(ui, st);
        for request in state
            .review
            .requests
            .iter()
            .filter(|q| q.indicator.as_str() == code)
            .map(|q| &q.text)
        {
            design::warning_frame().show(ui, |ui| {
                ui.label(
                    RichText::new(format!("Cấp trên yêu cầu bổ sung: {request}"))
                        .strong()
                        .color(verdict_color(Verdict::NotMet)),
                );
            });
        }
        let mut any_focus = false;
        let mut commit = false;
        let form = walk.drafts.entry(code.clone()).or_default();
        let mut pairs = Pairs::new(ui.available_width());
        ui.add_enabled_ui(state.received.is_none(), |ui| {
            egui::Grid::new(("o_nhap", code.as_str()))
                .num_columns(pairs.columns())
                .spacing([10.0, 6.0])
                .show(ui, |ui| {
                    let (focus, done) = value_inputs(ui, &mut pairs, ind, form);
                    any_focus |= focus;
                    commit |= done;
                    pairs.end_row(ui);
                    let (focus, done) = override_inputs(ui, &mut pairs, &code, form);
                    any_focus |= focus;
                    commit |= done;
                    pairs.end_row(ui);
                    let (focus, done) = detail_inputs(ui, &mut pairs, form);
                    any_focus |= focus;
                    commit |= done;
                });
        });
        live_result(ui, loaded, &code, form, st);
        let commit = commit && preview_value(loaded, &code, form).is_ok();
        if any_focus {
            walk.editing = Some(code.clone());
            walk.focused = Some(code.clone());
        }
        // Saved only once it reads (a ratio waits for both numbers); until then the
        // problem shows under the fields and the draft is kept.
        if commit {
            walk.focused = Some(code.clone());
            walk.save_if_changed(&code, commands);
        }
        evidence_row(ui, state, &code, ind, walk, thumbs, commands);
        history(ui, state, &code, commands);
    });
    let rect = response.response.rect;
    if ui.rect_contains_pointer(rect) {
        walk.hovered = Some(code.clone());
        if dropping {
            ui.painter().rect_stroke(
                rect,
                6.0,
                egui::Stroke::new(3.0, design::DROP_TARGET),
                egui::StrokeKind::Inside,
            );
        }
    }
    if walk.scroll_to.as_deref() == Some(code.as_str()) {
        response.response.scroll_to_me(Some(egui::Align::TOP));
        walk.scroll_to = None;
    }
}

/// The indicator's changes from the audit log (read only while open), each earlier value
/// with «Khôi phục».
fn history(ui: &mut egui::Ui, state: &AppState, code: &str, commands: &mut Vec<Command>) {
    egui::CollapsingHeader::new(format!("Lịch sử thay đổi chỉ tiêu {code}"))
        .id_salt(("lich_su", code))
        .default_open(false)
        .show(ui, |ui| {
            let changes = state.value_history(code);
            if changes.is_empty() {
                ui.label("Chưa có thay đổi nào.");
            }
            for ch in changes.iter().take(30) {
                ui.horizontal_wrapped(|ui| {
                    ui.label(
                        RichText::new(format!(
                            "{} — {} từ {} thành {} ({})",
                            ch.at, ch.field, ch.old, ch.new, ch.user
                        ))
                        .small(),
                    );
                    if ch.restorable
                        && state.received.is_none()
                        && ui
                            .small_button(format!("Khôi phục «{}»", ch.new))
                            .on_hover_text(
                                "Đặt lại giá trị này; việc khôi phục cũng được ghi vào nhật ký.",
                            )
                            .clicked()
                    {
                        commands.push(Command::RestoreValue(ch.audit_id));
                    }
                });
            }
        });
}

fn requirement(ui: &mut egui::Ui, st: Option<&IndicatorStatus>) {
    ui.horizontal_wrapped(|ui| {
        ui.label("Yêu cầu:");
        match st.and_then(|s| s.threshold.as_ref()) {
            Some(t) => {
                ui.label(RichText::new(&t.display).strong());
                if t.general_fallback {
                    ui.label(RichText::new("(mức chung)").small());
                }
                if t.verified {
                    ui.label(
                        RichText::new("đã đối chiếu")
                            .small()
                            .color(verdict_color(Verdict::Met)),
                    );
                } else {
                    ui.label(
                        RichText::new("CHƯA KIỂM CHỨNG — kiểm tra với văn bản của tỉnh")
                            .small()
                            .color(verdict_color(Verdict::MostlyMet)),
                    );
                }
                if !t.source.is_empty() {
                    ui.label(RichText::new(format!("Nguồn: {}", t.source)).small());
                }
            }
            None => {
                ui.label(
                    RichText::new("chưa có ngưỡng cho xã này trong bộ tiêu chí — cần kết luận thủ công kèm lý do")
                        .color(verdict_color(Verdict::MostlyMet)),
                );
            }
        }
    });
}

fn live_result(
    ui: &mut egui::Ui,
    loaded: &Loaded,
    code: &str,
    form: &ValueForm,
    st: Option<&IndicatorStatus>,
) {
    // The manual verdict is shown apart: its missing reason is not a problem of the value.
    let value_only = ValueForm {
        verdict: String::new(),
        reason: String::new(),
        ..form.clone()
    };
    ui.horizontal_wrapped(|ui| match preview_value(loaded, code, &value_only) {
        Ok(preview) => {
            let computed = preview.computed;
            if let Some(v) = preview.value {
                let kind = loaded.edition.indicator(code).map(|(_, i)| i.kind);
                let shown = match kind {
                    Some(IndicatorKind::Ratio) => format!("Tỷ lệ: {} %", format_number(v, 2)),
                    _ => format!("Giá trị: {}", format_number(v, 2)),
                };
                ui.label(RichText::new(shown).strong());
                // For a ratio, the numbers as read (`1.250/1.500`), so a grouped
                // thousand is never mistaken for a decimal unseen.
                if let (Some(IndicatorKind::Ratio), Some(read)) = (kind, &preview.read_as) {
                    ui.label(RichText::new(format!("đọc là {read}")).small());
                }
            }
            ui.label("Kết quả tính:");
            ui.label(
                RichText::new(computed.label())
                    .strong()
                    .color(verdict_color(computed)),
            );
            let manual = crate::app::assessment::parse_verdict(&form.verdict);
            if let Some(m) = manual {
                ui.label("Kết luận thủ công:");
                design::verdict_chip(ui, m);
            }
            if st.is_some_and(|s| s.overdue) {
                ui.label(
                    RichText::new("Quá hạn hoàn thành")
                        .strong()
                        .color(verdict_color(Verdict::NotMet)),
                );
            }
        }
        Err(message) => {
            ui.label(
                RichText::new(format!("Chưa lưu: {message}."))
                    .color(verdict_color(Verdict::NotMet)),
            );
        }
    });
}
