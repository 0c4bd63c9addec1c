//! The compiling office's review of a received assessment: a verdict and comment per
//! criterion, requests for more proof on indicators, the council's vote and decision,
//! and the review bundle sent back to the commune.

use super::theme::verdict_color;
use crate::app::state::{AppState, Command};
use crate::domain::ids::AssessmentId;
use crate::domain::units::Verdict;
use egui::RichText;
use std::collections::HashMap;

/// What the screen remembers between frames.
#[derive(Default)]
pub struct ReviewState {
    comments: HashMap<u32, String>,
    request_indicator: String,
    request_text: String,
    vote: String,
    decision: String,
    reviewer: String,
    synced: Option<(AssessmentId, u64)>,
}

/// Draws the screen.
pub fn review_ui(
    ui: &mut egui::Ui,
    state: &AppState,
    rs: &mut ReviewState,
    commands: &mut Vec<Command>,
) {
    let Some(loaded) = state.current.as_ref() else {
        return;
    };
    let review = &state.review;
    let key = (loaded.record.id, state.generation);
    if rs.synced != Some(key) {
        rs.comments = review
            .criteria
            .iter()
            .map(|(n, _, c)| (*n, c.clone()))
            .collect();
        rs.vote = review.vote.clone();
        rs.decision = review.decision.clone();
        rs.reviewer = review.reviewer.clone();
        rs.synced = Some(key);
    }
    ui.heading("Thẩm định hồ sơ");
    if state.received.is_none() {
        ui.label("Đợt đánh giá này do tệp dữ liệu này lập, không phải hồ sơ nhận từ xã: không thẩm định ở đây.");
        if !review.criteria.is_empty() || !review.requests.is_empty() {
            ui.label("Nhận xét của cấp trên đã nhận: xem ở «Tổng quan» và «Rà soát tiêu chí».");
        }
        return;
    }
    ui.horizontal(|ui| {
        if ui.button("Gửi nhận xét cho xã…").clicked()
            && let Some(path) = rfd::FileDialog::new()
                .set_title("Lưu gói nhận xét")
                .set_file_name(format!(
                    "nhan-xet-{}.ntm",
                    crate::domain::vn_text::fold(&loaded.unit.name).replace(' ', "-")
                ))
                .add_filter("Gói hồ sơ NTM", &["ntm"])
                .save_file()
        {
            commands.push(Command::ExportReview(path));
        }
    });
    egui::ScrollArea::vertical()
        .id_salt("tham_dinh")
        .auto_shrink([false, false])
        .show(ui, |ui| {
            ui.strong("Kết luận từng tiêu chí");
            egui::Grid::new("ket_luan_tham_dinh")
                .num_columns(4)
                .striped(true)
                .show(ui, |ui| {
                    for c in &loaded.status.criteria {
                        let name = ui.label(format!("{}. {}", c.number, c.name));
                        ui.label(
                            RichText::new(format!("Xã: {}", c.verdict.label()))
                                .color(verdict_color(c.verdict)),
                        );
                        let current = review.criteria.iter().find(|(n, _, _)| *n == c.number);
                        let mut code = current.map(|(_, v, _)| v.clone()).unwrap_or_default();
                        let shown =
                            Verdict::from_code(&code).map_or("(chưa kết luận)", |v| v.label());
                        let mut changed = false;
                        let combo = egui::ComboBox::from_id_salt(("tham_dinh_tc", c.number))
                            .selected_text(shown)
                            .show_ui(ui, |ui| {
                                for (v, label) in [
                                    ("", "(chưa kết luận)"),
                                    ("dat", "Đạt"),
                                    ("co_ban_dat", "Cơ bản đạt"),
                                    ("chua_dat", "Chưa đạt"),
                                ] {
                                    changed |= ui
                                        .selectable_value(&mut code, v.to_string(), label)
                                        .changed();
                                }
                            })
                            .response;
                        combo
                            .labelled_by(name.id)
                            .on_hover_text(format!("Kết luận tiêu chí {}", c.number));
                        let comment = rs.comments.entry(c.number).or_default();
                        let r = ui
                            .add(
                                egui::TextEdit::singleline(comment)
                                    .hint_text("nhận xét")
                                    .desired_width(260.0),
                            )
                            .labelled_by(name.id);
                        let stored_comment = current.map(|(_, _, c)| c.as_str()).unwrap_or("");
                        if changed
                            || (r.lost_focus() && comment != stored_comment && !code.is_empty())
                        {
                            commands.push(Command::ReviewCriterion(
                                c.number,
                                (!code.is_empty()).then(|| (code.clone(), comment.clone())),
                            ));
                        }
                        ui.end_row();
                    }
                });
            ui.add_space(8.0);
            ui.strong("Yêu cầu bổ sung minh chứng");
            for (i, (code, text)) in review.requests.iter().enumerate() {
                ui.horizontal(|ui| {
                    ui.label(format!("Chỉ tiêu {code}: {text}"));
                    if ui.small_button("Xóa").clicked() {
                        commands.push(Command::RemoveRequest(i));
                    }
                });
            }
            ui.horizontal(|ui| {
                let l = ui.label("Chỉ tiêu");
                egui::ComboBox::from_id_salt("yc_chi_tieu")
                    .selected_text(if rs.request_indicator.is_empty() {
                        "(chọn)".to_string()
                    } else {
                        rs.request_indicator.clone()
                    })
                    .show_ui(ui, |ui| {
                        for (_, ind) in loaded.edition.indicators() {
                            ui.selectable_value(
                                &mut rs.request_indicator,
                                ind.code.to_string(),
                                format!("{} {}", ind.code, ind.text),
                            );
                        }
                    })
                    .response
                    .labelled_by(l.id);
                let l = ui.label("Nội dung yêu cầu");
                ui.add(egui::TextEdit::singleline(&mut rs.request_text).desired_width(320.0))
                    .labelled_by(l.id);
                if ui.button("Thêm yêu cầu").clicked() {
                    commands.push(Command::AddRequest(
                        rs.request_indicator.clone(),
                        rs.request_text.clone(),
                    ));
                    rs.request_text.clear();
                }
            });
            ui.add_space(8.0);
            ui.strong("Hội đồng thẩm định");
            let mut commit = false;
            egui::Grid::new("hoi_dong").num_columns(2).show(ui, |ui| {
                for (label, text, hint) in [
                    ("Biểu quyết", &mut rs.vote, "ví dụ 20/20"),
                    ("Quyết định", &mut rs.decision, "số, ngày, nội dung"),
                    (
                        "Cơ quan thẩm định",
                        &mut rs.reviewer,
                        "ví dụ Văn phòng Điều phối NTM tỉnh",
                    ),
                ] {
                    let l = ui.label(label);
                    commit |= ui
                        .add(
                            egui::TextEdit::singleline(text)
                                .hint_text(hint)
                                .desired_width(360.0),
                        )
                        .labelled_by(l.id)
                        .lost_focus();
                    ui.end_row();
                }
            });
            if commit
                && (rs.vote != review.vote
                    || rs.decision != review.decision
                    || rs.reviewer != review.reviewer)
            {
                commands.push(Command::Decide(
                    rs.vote.clone(),
                    rs.decision.clone(),
                    rs.reviewer.clone(),
                ));
            }
        });
}
