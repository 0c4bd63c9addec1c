//! The compiling office's review of a received assessment: a verdict and comment per
//! criterion, requests for more proof on indicators, the council's vote and decision,
//! and the review bundle sent back to the commune.

use super::design::verdict_color;
use crate::app::assessment::Loaded;
use crate::app::state::{AppState, Command};
use crate::domain::ids::AssessmentId;
use crate::domain::units::Verdict;
use egui::RichText;
use std::collections::BTreeMap;

/// What is typed on the screen, or stored: comments by criterion and the council's
/// fields.
#[derive(Debug, Default, Clone, PartialEq)]
struct Typed {
    comments: BTreeMap<u32, String>,
    vote: String,
    decision: String,
    reviewer: String,
}

impl Typed {
    fn stored(state: &AppState) -> Self {
        let review = &state.review;
        Self {
            comments: review
                .criteria
                .iter()
                .map(|c| (c.number, c.comment.clone()))
                .collect(),
            vote: review.vote.clone(),
            decision: review.decision.clone(),
            reviewer: review.reviewer.clone(),
        }
    }

    fn comment(&self, number: u32) -> &str {
        self.comments.get(&number).map_or("", String::as_str)
    }
}

/// What the screen remembers between frames. Like the walk-through, what is being typed
/// survives a refresh (any change elsewhere, a background task ending) and is saved when
/// the screen or the assessment is left.
#[derive(Default)]
pub struct ReviewState {
    /// As typed.
    typed: Typed,
    /// As stored at the last refresh, to tell what is being typed.
    saved: Typed,
    request_indicator: String,
    request_text: String,
    synced: Option<(AssessmentId, u64)>,
}

impl ReviewState {
    /// Rebuilds the fields from the stored review after any change, keeping every field
    /// typed but not yet saved when the assessment is the same.
    fn sync(&mut self, state: &AppState, id: AssessmentId) {
        let key = (id, state.generation);
        if self.synced == Some(key) {
            return;
        }
        let stored = Typed::stored(state);
        if self.synced.map(|(i, _)| i) == Some(id) {
            let numbers: Vec<u32> = self
                .typed
                .comments
                .keys()
                .chain(stored.comments.keys())
                .copied()
                .collect();
            for n in numbers {
                if self.typed.comment(n) == self.saved.comment(n) {
                    self.typed.comments.insert(n, stored.comment(n).to_string());
                }
            }
            for (typed, saved, new) in [
                (&mut self.typed.vote, &self.saved.vote, &stored.vote),
                (
                    &mut self.typed.decision,
                    &self.saved.decision,
                    &stored.decision,
                ),
                (
                    &mut self.typed.reviewer,
                    &self.saved.reviewer,
                    &stored.reviewer,
                ),
            ] {
                if typed == saved {
                    typed.clone_from(new);
                }
            }
        } else {
            self.typed = stored.clone();
            self.request_indicator.clear();
            self.request_text.clear();
        }
        self.saved = stored;
        self.synced = Some(key);
    }

    /// Saves for what is typed but not yet saved, if it belongs to the assessment shown.
    /// A comment on a criterion without a verdict cannot be saved yet: it stays typed.
    pub fn pending_saves(&self, state: &AppState) -> Vec<Command> {
        let Some(current) = state.current.as_ref().map(|c| c.record.id) else {
            return Vec::new();
        };
        if self.synced.map(|(id, _)| id) != Some(current) || state.received.is_none() {
            return Vec::new();
        }
        let mut out = Vec::new();
        for (n, comment) in &self.typed.comments {
            if comment.as_str() == self.saved.comment(*n) {
                continue;
            }
            if let Some(c) = state.review.criteria.iter().find(|c| c.number == *n) {
                out.push(Command::ReviewCriterion(
                    *n,
                    Some((c.verdict.code().to_string(), comment.clone())),
                ));
            }
        }
        let (t, s) = (&self.typed, &self.saved);
        if t.vote != s.vote || t.decision != s.decision || t.reviewer != s.reviewer {
            out.push(Command::Decide(
                t.vote.clone(),
                t.decision.clone(),
                t.reviewer.clone(),
            ));
        }
        out
    }
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
    rs.sync(state, loaded.record.id);
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
            && let Some(path) = super::dialogs::save(
                "goi-nhan-xet",
                rfd::FileDialog::new()
                    .set_title("Lưu gói nhận xét")
                    .set_file_name(format!(
                        "nhan-xet-{}.ntm",
                        crate::domain::vn_text::fold(&loaded.unit.name).replace(' ', "-")
                    ))
                    .add_filter("Gói hồ sơ NTM", &["ntm"]),
            )
        {
            commands.push(Command::ExportReview(path));
        }
    });
    egui::ScrollArea::vertical()
        .id_salt("tham_dinh")
        .auto_shrink([false, false])
        .show(ui, |ui| {
            criteria_grid(ui, state, loaded, rs, commands);
            ui.add_space(8.0);
            requests(ui, state, loaded, rs, commands);
            ui.add_space(8.0);
            council(ui, state, rs, commands);
        });
}

/// The office's verdict and comment on each criterion, beside the commune's.
fn criteria_grid(
    ui: &mut egui::Ui,
    state: &AppState,
    loaded: &Loaded,
    rs: &mut ReviewState,
    commands: &mut Vec<Command>,
) {
    let review = &state.review;
    super::design::section_heading(ui, "Kết luận từng tiêu chí");
    // The names wrap, so that the comment field keeps its width in a narrow window (it
    // was squeezed to a few letters with the text scaled up).
    let name_width = (ui.available_width() - REVIEW_FIELDS_WIDTH).clamp(150.0, 420.0);
    egui::Grid::new("ket_luan_tham_dinh")
        .num_columns(4)
        .striped(true)
        .show(ui, |ui| {
            for c in &loaded.status.criteria {
                let name = ui
                    .scope(|ui| {
                        ui.set_max_width(name_width);
                        ui.add(egui::Label::new(format!("{}. {}", c.number, c.name)).wrap())
                    })
                    .inner;
                ui.label(
                    RichText::new(format!("Xã: {}", c.verdict.label()))
                        .color(verdict_color(c.verdict)),
                );
                let current = review.criteria.iter().find(|r| r.number == c.number);
                let mut code = current
                    .map(|r| r.verdict.code().to_string())
                    .unwrap_or_default();
                let shown = Verdict::from_code(&code).map_or("(chưa kết luận)", |v| v.label());
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
                let comment = rs.typed.comments.entry(c.number).or_default();
                let r = ui
                    .add(
                        egui::TextEdit::singleline(comment)
                            .hint_text("nhận xét")
                            .desired_width(super::design::FIELD_WIDTH),
                    )
                    .labelled_by(name.id);
                let stored_comment = current.map_or("", |r| r.comment.as_str());
                if changed || (r.lost_focus() && comment != stored_comment && !code.is_empty()) {
                    commands.push(Command::ReviewCriterion(
                        c.number,
                        (!code.is_empty()).then(|| (code.clone(), comment.clone())),
                    ));
                }
                ui.end_row();
            }
        });
}

/// The room the commune's verdict, the office's verdict and the comment take on a row
/// of the review grid.
const REVIEW_FIELDS_WIDTH: f32 = 560.0;

/// Requests for more proof on indicators: the list and the form to add one.
fn requests(
    ui: &mut egui::Ui,
    state: &AppState,
    loaded: &Loaded,
    rs: &mut ReviewState,
    commands: &mut Vec<Command>,
) {
    let review = &state.review;
    super::design::section_heading(ui, "Yêu cầu bổ sung minh chứng");
    for (i, q) in review.requests.iter().enumerate() {
        ui.horizontal(|ui| {
            ui.label(format!("Chỉ tiêu {}: {}", q.indicator, q.text));
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
}

/// The council's vote, the decision and the reviewing office.
fn council(ui: &mut egui::Ui, state: &AppState, rs: &mut ReviewState, commands: &mut Vec<Command>) {
    let review = &state.review;
    super::design::section_heading(ui, "Hội đồng thẩm định");
    let mut commit = false;
    egui::Grid::new("hoi_dong").num_columns(2).show(ui, |ui| {
        for (label, text, hint) in [
            ("Biểu quyết", &mut rs.typed.vote, "ví dụ 20/20"),
            ("Quyết định", &mut rs.typed.decision, "số, ngày, nội dung"),
            (
                "Cơ quan thẩm định",
                &mut rs.typed.reviewer,
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
    let t = &rs.typed;
    if commit
        && (t.vote != review.vote || t.decision != review.decision || t.reviewer != review.reviewer)
    {
        commands.push(Command::Decide(
            t.vote.clone(),
            t.decision.clone(),
            t.reviewer.clone(),
        ));
    }
}
