//! The dashboard of an assessment: criteria as cards coloured by verdict, the counts
//! people quote, recognition conditions, revocation risk, overdue deadlines and what is
//! still missing.

use super::theme::{verdict_color, verdict_fill};
use crate::app::assessment::Loaded;
use crate::app::state::{AppState, Command};
use crate::domain::units::Verdict;
use egui::{Color32, RichText};

/// Shown when no assessment is selected.
pub fn empty_ui(ui: &mut egui::Ui, state: &AppState) {
    ui.add_space(20.0);
    ui.heading("Chào mừng đến với Hồ sơ NTM");
    ui.add_space(8.0);
    if state.workspace.is_none() {
        ui.label("Hãy mở một tệp dữ liệu hoặc tạo tệp mới ở thanh phía trên.");
    } else if state.units.is_empty() {
        ui.label("Bắt đầu bằng cách thêm tỉnh, rồi thêm xã (nút «Thêm đơn vị…» bên trái).");
    } else {
        ui.label("Chọn một xã bên trái để xem đợt đánh giá, hoặc tạo đợt đánh giá mới cho xã.");
    }
}

fn count_tile(ui: &mut egui::Ui, title: &str, value: String, good: bool) {
    egui::Frame::new()
        .fill(Color32::from_rgb(245, 247, 250))
        .inner_margin(10.0)
        .corner_radius(6.0)
        .show(ui, |ui| {
            ui.vertical(|ui| {
                ui.label(RichText::new(title).small());
                ui.label(RichText::new(value).size(22.0).color(if good {
                    verdict_color(Verdict::Met)
                } else {
                    Color32::from_rgb(40, 40, 40)
                }));
            });
        });
}

/// Draws the dashboard.
pub fn dashboard_ui(ui: &mut egui::Ui, loaded: &Loaded, _commands: &mut Vec<Command>) {
    let st = &loaded.status;
    ui.heading(format!(
        "{} {} — năm {}",
        loaded.unit.kind.label(),
        loaded.unit.name,
        loaded.record.year
    ));
    ui.label(format!(
        "{} ({}, {})",
        loaded.edition.title,
        loaded.edition.legal.decision,
        loaded.record.target.label()
    ));
    if loaded.edition.is_incomplete() {
        ui.colored_label(verdict_color(Verdict::MostlyMet), "Bộ tiêu chí này chưa đầy đủ: cần nhập bản của tỉnh (Danh mục tiêu chí) trước khi đề nghị công nhận.");
    }
    ui.add_space(6.0);
    ui.horizontal_wrapped(|ui| {
        count_tile(
            ui,
            "Tiêu chí đạt",
            format!("{}/{}", st.criteria_met, st.criteria_total),
            st.criteria_total > 0 && st.criteria_met == st.criteria_total,
        );
        count_tile(
            ui,
            "Chỉ tiêu đạt",
            format!("{}/{}", st.indicators_met, st.indicators_total),
            st.indicators_total > 0 && st.indicators_met == st.indicators_total,
        );
        count_tile(
            ui,
            "Chỉ tiêu có minh chứng",
            format!("{}/{}", st.indicators_with_evidence, st.indicators_total),
            st.indicators_total > 0 && st.indicators_with_evidence == st.indicators_total,
        );
        count_tile(
            ui,
            "Đủ điều kiện công nhận",
            if st.eligible {
                "Có".into()
            } else {
                "Chưa".into()
            },
            st.eligible,
        );
    });
    ui.add_space(6.0);
    egui::ScrollArea::vertical()
        .id_salt("bang_dieu_khien")
        .show(ui, |ui| {
            ui.strong("Tiêu chí");
            ui.horizontal_wrapped(|ui| {
                for c in &st.criteria {
                    let met = c
                        .indicators
                        .iter()
                        .filter(|i| i.verdict == Verdict::Met)
                        .count();
                    egui::Frame::new()
                        .fill(verdict_fill(c.verdict))
                        .stroke(egui::Stroke::new(1.0, verdict_color(c.verdict)))
                        .inner_margin(8.0)
                        .corner_radius(6.0)
                        .show(ui, |ui| {
                            ui.set_width(200.0);
                            ui.set_min_height(70.0);
                            ui.vertical(|ui| {
                                ui.label(
                                    RichText::new(format!("{}. {}", c.number, c.name)).strong(),
                                );
                                ui.label(
                                    RichText::new(c.verdict.label())
                                        .color(verdict_color(c.verdict)),
                                );
                                let total = c.indicators.len();
                                if total > 0 {
                                    ui.add(
                                        egui::ProgressBar::new(met as f32 / total as f32)
                                            .desired_width(180.0)
                                            .text(format!("{met}/{total} chỉ tiêu")),
                                    );
                                } else {
                                    ui.label(
                                        RichText::new("Chưa có chỉ tiêu trong bộ tiêu chí").small(),
                                    );
                                }
                            });
                        });
                }
            });
            ui.add_space(8.0);
            ui.strong("Điều kiện công nhận");
            for c in &st.conditions {
                ui.horizontal_wrapped(|ui| {
                    ui.label(RichText::new(c.verdict.label()).color(verdict_color(c.verdict)));
                    ui.label(format!("{}: {}", c.name, c.detail));
                });
            }
            ui.add_space(8.0);
            ui.strong("Nguy cơ thu hồi");
            ui.label(&st.revocation.explanation);
            let overdue: Vec<_> = st
                .criteria
                .iter()
                .flat_map(|c| c.indicators.iter())
                .filter(|i| i.overdue)
                .collect();
            if !overdue.is_empty() {
                ui.add_space(8.0);
                ui.strong("Quá hạn");
                for i in overdue {
                    ui.colored_label(
                        verdict_color(Verdict::NotMet),
                        format!("Chỉ tiêu {} — {}", i.code, i.text),
                    );
                }
            }
            ui.add_space(8.0);
            ui.strong(format!("Còn thiếu ({} mục)", st.missing.len()));
            for m in &st.missing {
                ui.label(format!("• {}", m.message));
            }
        });
}
