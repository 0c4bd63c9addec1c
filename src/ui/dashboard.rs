//! The dashboard of an assessment: criteria as cards coloured by verdict, the counts
//! people quote, the change since the start of the year, a chart of progress by
//! criterion, recognition conditions, revocation risk, overdue deadlines and what is
//! still missing.

use super::design::{self, verdict_color, verdict_fill};
use crate::app::assessment::Loaded;
use crate::app::state::AppState;
use crate::domain::engine::CriterionStatus;
use crate::domain::units::Verdict;
use crate::domain::vn_text::format_number;
use egui::RichText;

/// The former communes of a merged commune and their recognition status.
pub fn former_ui(ui: &mut egui::Ui, state: &AppState) {
    if state.former.is_empty() {
        return;
    }
    egui::CollapsingHeader::new(format!("Các xã trước sáp nhập ({})", state.former.len()))
        .id_salt("xa_cu")
        .default_open(true)
        .show(ui, |ui| {
            for (name, line) in &state.former {
                ui.label(format!("• {name}: {line}"));
            }
        });
}

/// Shown when no assessment is selected.
pub fn empty_ui(ui: &mut egui::Ui, state: &AppState) {
    former_ui(ui, state);
    ui.add_space(20.0);
    ui.heading("Chào mừng đến với Hồ sơ NTM");
    ui.add_space(8.0);
    if state.units.is_empty() {
        ui.label("Bắt đầu bằng cách thêm tỉnh, rồi thêm xã (nút «Thêm đơn vị…» bên trái).");
    } else {
        ui.label("Chọn một xã bên trái để xem đợt đánh giá, hoặc tạo đợt đánh giá mới cho xã.");
    }
}

fn count_tile(ui: &mut egui::Ui, title: &str, value: String, change: Option<String>, good: bool) {
    design::tile_frame().show(ui, |ui| {
        ui.set_min_width(150.0);
        ui.vertical(|ui| {
            ui.label(RichText::new(title).small());
            let color = if good {
                verdict_color(Verdict::Met)
            } else {
                design::TILE_VALUE
            };
            ui.label(
                RichText::new(value)
                    .size(design::TILE_VALUE_SIZE)
                    .color(color),
            );
            if let Some(change) = change {
                ui.label(RichText::new(change).small());
            }
        });
    });
}

fn change_text(now: usize, before: Option<u32>) -> Option<String> {
    let before = before? as i64;
    let diff = now as i64 - before;
    Some(match diff {
        0 => "không đổi từ đầu năm".to_string(),
        d if d > 0 => format!("+{d} từ đầu năm"),
        d => format!("{d} từ đầu năm"),
    })
}

/// The narrowest a criterion card gets.
const MIN_CARD_WIDTH: f32 = 230.0;

/// Where a click on the dashboard leads: a criterion of the walk-through, maybe one
/// of its indicators.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Jump {
    /// The criterion to show.
    pub criterion: u32,
    /// The indicator to scroll to and mark as worked on.
    pub indicator: Option<String>,
}

/// Draws the dashboard; returns where a click on a criterion card or a missing item leads.
pub fn dashboard_ui(
    ui: &mut egui::Ui,
    state: &AppState,
    loaded: &Loaded,
    commands: &mut Vec<crate::app::state::Command>,
) -> Option<Jump> {
    let st = &loaded.status;
    let mut jump = None;
    header(ui, state, loaded);
    former_ui(ui, state);
    review_banner(ui, state);
    ui.add_space(6.0);
    // The tiles scroll with the cards: with the text scaled up, a fixed header left
    // room for one row of cards.
    egui::ScrollArea::vertical()
        .id_salt("bang_dieu_khien")
        .auto_shrink([false, false])
        .show(ui, |ui| {
            count_tiles(ui, state, st);
            ui.add_space(6.0);
            super::unit_conditions::unit_conditions_ui(ui, state, loaded, commands);
            design::section_heading(ui, "Tiêu chí (bấm vào thẻ để rà soát)");
            // As many cards of at least 230 points as fit, widened to fill the row.
            let spacing = ui.spacing().item_spacing.x;
            let columns = ((ui.available_width() + spacing) / (MIN_CARD_WIDTH + spacing))
                .floor()
                .max(1.0);
            let card_width = ((ui.available_width() + spacing) / columns - spacing)
                .max(MIN_CARD_WIDTH)
                .floor();
            let columns = columns as usize;
            egui::Grid::new("the_tieu_chi")
                .spacing([spacing, spacing])
                .show(ui, |ui| {
                    for (i, c) in st.criteria.iter().enumerate() {
                        if criterion_card(ui, c, card_width - 18.0) {
                            jump = Some(Jump {
                                criterion: c.number,
                                indicator: None,
                            });
                        }
                        if (i + 1) % columns == 0 {
                            ui.end_row();
                        }
                    }
                });
            ui.add_space(10.0);
            design::section_heading(ui, "Tiến độ theo tiêu chí (tỷ lệ chỉ tiêu đạt)");
            progress_chart(ui, &st.criteria);
            ui.add_space(10.0);
            design::two_columns(ui, |left, right| {
                conditions_column(left, st);
                if let Some(j) = missing_column(right, st) {
                    jump = Some(j);
                }
            });
        });
    jump
}

/// The commune, the year, the edition and the notes about the data shown.
fn header(ui: &mut egui::Ui, state: &AppState, loaded: &Loaded) {
    ui.heading(format!(
        "{} — năm {}",
        crate::app::units::display_name(&loaded.unit),
        loaded.record.year
    ));
    ui.label(format!(
        "{} — {} (mục tiêu: {})",
        loaded.edition.decision_label(),
        loaded.edition.title,
        loaded.record.target.label()
    ));
    if loaded.edition.is_incomplete() {
        ui.colored_label(
            verdict_color(Verdict::MostlyMet),
            "Bộ tiêu chí này chưa có đủ chỉ tiêu: hãy nhập bản đầy đủ của tỉnh ở màn hình «Danh mục tiêu chí», hoặc kết luận từng tiêu chí kèm lý do.",
        );
    }
    if let Some((round, changes)) = &state.received {
        // The first round has no earlier one to differ from: it read «1 thay đổi so với
        // lần trước», the one change being «Lần gửi đầu tiên».
        if *round <= 1 {
            ui.label(format!(
                "Hồ sơ nhận từ gói, lần gửi {round}: lần gửi đầu tiên, chưa có lần trước để so sánh."
            ));
            return;
        }
        egui::CollapsingHeader::new(format!(
            "Hồ sơ nhận từ gói, lần gửi {round}: {} thay đổi so với lần trước",
            changes.len()
        ))
        .id_salt("thay_doi_lan_gui")
        .show(ui, |ui| {
            for c in changes {
                ui.label(format!("• {c}"));
            }
        });
    }
}

/// What the superior asked for, until a round is received.
fn review_banner(ui: &mut egui::Ui, state: &AppState) {
    let review = &state.review;
    if state.received.is_none() && (!review.criteria.is_empty() || !review.requests.is_empty()) {
        design::warning_frame().show(ui, |ui| {
            ui.strong(format!(
                "Nhận xét của cấp trên{}: {} yêu cầu bổ sung",
                if review.reviewer.is_empty() {
                    String::new()
                } else {
                    format!(" ({})", review.reviewer)
                },
                review.requests.len()
            ));
            for q in &review.requests {
                ui.label(format!("• Chỉ tiêu {}: {}", q.indicator, q.text));
            }
            if !review.vote.is_empty() {
                ui.label(format!("Biểu quyết của hội đồng: {}", review.vote));
            }
            if !review.decision.is_empty() {
                ui.label(format!("Quyết định: {}", review.decision));
            }
        });
    }
}

/// The counts people quote, with the change since the start of the year.
fn count_tiles(ui: &mut egui::Ui, state: &AppState, st: &crate::domain::engine::AssessmentStatus) {
    let start = state.year_start.as_ref();
    ui.horizontal_wrapped(|ui| {
        count_tile(
            ui,
            "Tiêu chí đạt",
            format!("{}/{}", st.criteria_met, st.criteria_total),
            change_text(st.criteria_met, start.map(|s| s.criteria_met)),
            st.criteria_total > 0 && st.criteria_met == st.criteria_total,
        );
        count_tile(
            ui,
            "Chỉ tiêu đạt",
            format!("{}/{}", st.indicators_met, st.indicators_total),
            change_text(st.indicators_met, start.map(|s| s.indicators_met)),
            st.indicators_total > 0 && st.indicators_met == st.indicators_total,
        );
        count_tile(
            ui,
            "Minh chứng có/cần",
            format!("{}/{}", st.indicators_with_evidence, st.indicators_total),
            change_text(
                st.indicators_with_evidence,
                start.map(|s| s.indicators_with_evidence),
            ),
            st.indicators_total > 0 && st.indicators_with_evidence == st.indicators_total,
        );
        count_tile(
            ui,
            "Đủ điều kiện công nhận",
            if st.eligible { "Có" } else { "Chưa" }.into(),
            None,
            st.eligible,
        );
    });
}

/// Recognition conditions and the revocation risk.
fn conditions_column(ui: &mut egui::Ui, st: &crate::domain::engine::AssessmentStatus) {
    design::section_heading(ui, "Điều kiện công nhận");
    for c in &st.conditions {
        ui.horizontal_wrapped(|ui| {
            design::verdict_chip(ui, c.verdict);
            ui.label(format!("{}: {}", c.name, c.detail));
        });
    }
    ui.add_space(8.0);
    design::section_heading(ui, "Nguy cơ thu hồi (QĐ 18/2022/QĐ-TTg)");
    ui.label(&st.revocation.explanation);
}

/// Overdue indicators and what is still missing; a missing item is a link to its place.
fn missing_column(ui: &mut egui::Ui, st: &crate::domain::engine::AssessmentStatus) -> Option<Jump> {
    let mut jump = None;
    let overdue: Vec<_> = st
        .criteria
        .iter()
        .flat_map(|c| c.indicators.iter())
        .filter(|i| i.overdue)
        .collect();
    ui.strong(format!("Quá hạn ({})", overdue.len()));
    if overdue.is_empty() {
        ui.label("Không có chỉ tiêu nào quá hạn.");
    }
    for i in overdue {
        ui.colored_label(
            verdict_color(Verdict::NotMet),
            format!("Chỉ tiêu {} — {}", i.code, i.text),
        );
    }
    ui.add_space(8.0);
    ui.strong(format!("Còn thiếu ({} mục)", st.missing.len()));
    for m in st.missing.iter().take(40) {
        let text = format!("• {}", m.message);
        match m.criterion {
            // A missing item of a criterion opens it in the walk-through, at the indicator.
            Some(n) => {
                if ui
                    .link(text)
                    .on_hover_text("Mở mục này ở màn hình «Rà soát tiêu chí»")
                    .clicked()
                {
                    jump = Some(Jump {
                        criterion: n,
                        indicator: m.indicator.clone(),
                    });
                }
            }
            None => {
                ui.label(text);
            }
        }
    }
    if st.missing.len() > 40 {
        ui.label(format!(
            "… và {} mục khác (xem ở màn hình «Rà soát tiêu chí»).",
            st.missing.len() - 40
        ));
    }
    jump
}

/// One criterion's card; returns true when clicked.
fn criterion_card(ui: &mut egui::Ui, c: &CriterionStatus, inner_width: f32) -> bool {
    let met = c
        .indicators
        .iter()
        .filter(|i| i.verdict == Verdict::Met)
        .count();
    let response = egui::Frame::new()
        .fill(verdict_fill(c.verdict))
        .stroke(egui::Stroke::new(1.0, verdict_color(c.verdict)))
        .inner_margin(8.0)
        .corner_radius(6.0)
        .show(ui, |ui| {
            ui.set_width(inner_width);
            ui.set_min_height(78.0);
            ui.vertical(|ui| {
                ui.add(
                    egui::Label::new(RichText::new(format!("{}. {}", c.number, c.name)).strong())
                        .wrap(),
                );
                ui.label(RichText::new(c.verdict.label()).color(verdict_color(c.verdict)));
                let total = c.indicators.len();
                if total > 0 {
                    design::progress_bar(
                        ui,
                        met as f32 / total as f32,
                        inner_width,
                        verdict_color(c.verdict),
                        &format!("{met}/{total} chỉ tiêu"),
                    );
                } else if c.manual.is_some() {
                    ui.label(RichText::new("Kết luận thủ công").small());
                } else {
                    ui.label(RichText::new("Chưa có danh mục chỉ tiêu").small());
                }
            });
        })
        .response;
    ui.interact(response.rect, response.id.with("bam"), egui::Sense::click())
        .on_hover_cursor(egui::CursorIcon::PointingHand)
        .clicked()
}

/// A bar per criterion: share of its indicators met, coloured by the criterion verdict.
fn progress_chart(ui: &mut egui::Ui, criteria: &[CriterionStatus]) {
    let bar_h = 16.0;
    let label_w = 52.0;
    let width = ui.available_width().min(700.0);
    let height = criteria.len() as f32 * (bar_h + 4.0);
    let (rect, _) = ui.allocate_exact_size(egui::vec2(width, height), egui::Sense::hover());
    let painter = ui.painter_at(rect);
    for (i, c) in criteria.iter().enumerate() {
        let y = rect.top() + i as f32 * (bar_h + 4.0);
        let total = c.indicators.len();
        let fraction = if total > 0 {
            c.indicators
                .iter()
                .filter(|x| x.verdict == Verdict::Met)
                .count() as f32
                / total as f32
        } else if c.verdict == Verdict::Met {
            1.0
        } else {
            0.0
        };
        painter.text(
            egui::pos2(rect.left(), y + bar_h / 2.0),
            egui::Align2::LEFT_CENTER,
            format!("TC {}", c.number),
            egui::FontId::proportional(design::SMALL_SIZE),
            design::CHART_TEXT,
        );
        let track = egui::Rect::from_min_size(
            egui::pos2(rect.left() + label_w, y),
            egui::vec2(width - label_w - 60.0, bar_h),
        );
        painter.rect_filled(track, 3.0, design::TRACK_BG);
        let mut bar = track;
        bar.set_width(track.width() * fraction);
        painter.rect_filled(bar, 3.0, verdict_color(c.verdict));
        painter.text(
            egui::pos2(track.right() + 6.0, y + bar_h / 2.0),
            egui::Align2::LEFT_CENTER,
            format!("{} %", format_number(f64::from(fraction) * 100.0, 0)),
            egui::FontId::proportional(design::SMALL_SIZE),
            design::CHART_TEXT,
        );
    }
}
