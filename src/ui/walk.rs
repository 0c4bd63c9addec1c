//! The walk-through: the criteria on the left with their status, the selected
//! criterion's indicators in order on the right. Every field is saved as soon as it
//! loses focus (Tab, Enter, a click elsewhere); choices are saved when made; what is
//! still being typed is saved when the window closes.
#![allow(
    clippy::indexing_slicing,
    reason = "issue 9: this file is still being brought under the house lints"
)]

use super::theme::{verdict_color, verdict_fill};
use super::thumbs::{Thumbs, human_size};
use crate::app::assessment::{Loaded, ValueDetails, ValueForm, preview_value};
use crate::app::state::{AppState, Command};
use crate::domain::catalog::{Criterion, Indicator, IndicatorKind};
use crate::domain::engine::{CriterionStatus, IndicatorStatus};
use crate::domain::evidence::EvidenceRecord;
use crate::domain::ids::AssessmentId;
use crate::domain::units::Verdict;
use crate::domain::vn_text::format_number;
use egui::RichText;
use std::collections::HashMap;
use std::path::PathBuf;

/// What the walk-through remembers between frames.
#[derive(Default)]
pub struct WalkState {
    criterion: Option<u32>,
    /// Forms as typed, per indicator code.
    drafts: HashMap<String, ValueForm>,
    /// Forms as stored, to tell what changed.
    saved: HashMap<String, ValueForm>,
    synced: Option<(AssessmentId, u64)>,
    /// Criterion ratings as typed: verdict code and reason.
    ratings: HashMap<u32, (String, String)>,
    /// The indicator last worked on (drop target, start of "next missing").
    focused: Option<String>,
    /// The indicator card under the pointer.
    hovered: Option<String>,
    /// The indicator whose text field has focus: its draft is not replaced on refresh.
    editing: Option<String>,
    scroll_to: Option<String>,
}

impl WalkState {
    /// Shows a criterion (from the dashboard).
    pub fn select_criterion(&mut self, number: u32) {
        self.criterion = Some(number);
        self.focused = None;
        self.scroll_to = None;
    }

    /// Where dropped files go: the card under the pointer, else the one worked on.
    pub fn drop_target(&self) -> Option<String> {
        self.hovered.clone().or_else(|| self.focused.clone())
    }

    /// Saves for every form typed but not yet saved.
    pub fn pending_saves(&self, state: &AppState) -> Vec<Command> {
        if self.synced.map(|(id, _)| id) != state.current.as_ref().map(|c| c.record.id) {
            return Vec::new();
        }
        let mut codes: Vec<&String> = self
            .drafts
            .iter()
            .filter(|(code, form)| {
                // Only this assessment's indicators (`saved` holds every one of them).
                self.saved.get(*code).is_some_and(|saved| saved != *form)
            })
            .map(|(code, _)| code)
            .collect();
        codes.sort();
        codes
            .into_iter()
            .map(|code| Command::SaveValue(code.clone(), self.drafts[code].clone()))
            .collect()
    }

    /// Rebuilds the forms from the stored values after any change, keeping what the user
    /// is typing in the field that has focus.
    fn sync(&mut self, loaded: &Loaded, generation: u64) {
        let key = (loaded.record.id, generation);
        if self.synced == Some(key) {
            return;
        }
        let same_assessment = self.synced.map(|(id, _)| id) == Some(loaded.record.id);
        let criterion_known = self
            .criterion
            .is_some_and(|n| loaded.edition.criteria.iter().any(|c| c.number == n));
        // A criterion chosen on the dashboard before the first visit is kept.
        if self.synced.is_some() && !same_assessment || !criterion_known {
            self.criterion = loaded.edition.criteria.first().map(|c| c.number);
        }
        if !same_assessment {
            self.focused = None;
            self.ratings.clear();
            // Drafts belong to one assessment: another edition's indicators left here
            // would be saved against this one on the next change of screen or assessment.
            self.drafts.clear();
        }
        let mut saved = HashMap::new();
        for (_, ind) in loaded.edition.indicators() {
            let code = ind.code.to_string();
            let form = ValueForm::from_record(loaded.values.get(&code));
            let keep = same_assessment
                && self.editing.as_deref() == Some(code.as_str())
                && self.drafts.get(&code) != self.saved.get(&code);
            if !keep {
                self.drafts.insert(code.clone(), form.clone());
            }
            saved.insert(code, form);
        }
        self.saved = saved;
        for c in &loaded.status.criteria {
            let stored = c
                .manual
                .as_ref()
                .map(|m| (m.verdict.code().to_string(), m.reason.clone()))
                .unwrap_or_default();
            self.ratings.insert(c.number, stored);
        }
        self.synced = Some(key);
    }

    fn save_if_changed(&self, code: &str, commands: &mut Vec<Command>) {
        if let Some(draft) = self.drafts.get(code)
            && self.saved.get(code) != Some(draft)
        {
            commands.push(Command::SaveValue(code.to_string(), draft.clone()));
        }
    }

    /// The criterion and indicator after the current position that still lack something.
    fn next_missing(&self, loaded: &Loaded) -> Option<(u32, Option<String>)> {
        let mut order: Vec<(u32, Option<String>)> = Vec::new();
        for c in &loaded.edition.criteria {
            order.push((c.number, None));
            order.extend(
                c.indicators
                    .iter()
                    .map(|i| (c.number, Some(i.code.to_string()))),
            );
        }
        let here = order
            .iter()
            .position(|(n, code)| {
                Some(*n) == self.criterion
                    && (code.is_none() && self.focused.is_none()
                        || code.is_some() && *code == self.focused)
            })
            .unwrap_or(0);
        let positions: Vec<usize> = loaded
            .status
            .missing
            .iter()
            .filter_map(|m| {
                let n = m.criterion?;
                order.iter().position(|(on, oc)| {
                    *on == n && (m.indicator.is_none() && oc.is_none() || *oc == m.indicator)
                })
            })
            .collect();
        let next = positions
            .iter()
            .copied()
            .filter(|p| *p > here)
            .min()
            .or_else(|| positions.iter().copied().min())?;
        Some(order[next].clone())
    }
}

/// Draws the walk-through.
pub fn walk_ui(
    ui: &mut egui::Ui,
    state: &AppState,
    walk: &mut WalkState,
    thumbs: &mut Thumbs,
    commands: &mut Vec<Command>,
) {
    let Some(loaded) = state.current.as_ref() else {
        return;
    };
    walk.sync(loaded, state.generation);
    egui::Panel::left("ds_tieu_chi")
        .resizable(true)
        .default_size(250.0)
        .show(ui, |ui| criteria_list(ui, loaded, walk));
    egui::CentralPanel::default().show(ui, |ui| {
        let Some(criterion) = walk
            .criterion
            .and_then(|n| loaded.edition.criteria.iter().find(|c| c.number == n))
        else {
            ui.label("Bộ tiêu chí này chưa có tiêu chí nào.");
            return;
        };
        let status = loaded
            .status
            .criteria
            .iter()
            .find(|c| c.number == criterion.number);
        ui.label(
            RichText::new(loaded.edition.decision_label())
                .small()
                .color(egui::Color32::from_rgb(90, 90, 90)),
        );
        read_only_note(ui, state);
        ui.add_enabled_ui(state.received.is_none(), |ui| {
            criterion_header(ui, loaded, &state.review, criterion, status, walk, commands);
        });
        ui.separator();
        walk.hovered = None;
        walk.editing = None;
        egui::ScrollArea::vertical()
            .id_salt("chi_tieu")
            .auto_shrink([false, false])
            .show(ui, |ui| {
                if criterion.indicators.is_empty() {
                    ui.label(
                        "Bộ tiêu chí chưa có danh mục chỉ tiêu của tiêu chí này. Hãy nhập bản \
                         đầy đủ của tỉnh ở màn hình «Danh mục tiêu chí», hoặc kết luận cả tiêu chí \
                         ở trên kèm lý do.",
                    );
                }
                for ind in &criterion.indicators {
                    let st = status
                        .and_then(|s| s.indicators.iter().find(|i| i.code == ind.code.as_str()));
                    indicator_card(ui, state, loaded, ind, st, walk, thumbs, commands);
                    ui.add_space(8.0);
                }
            });
    });
}

/// For a round received from a commune: why the fields below cannot be changed.
pub(crate) fn read_only_note(ui: &mut egui::Ui, state: &AppState) {
    if let Some((round, _)) = &state.received {
        ui.label(
            RichText::new(crate::app::received::read_only_note(*round))
                .color(verdict_color(Verdict::MostlyMet)),
        );
    }
}

fn criteria_list(ui: &mut egui::Ui, loaded: &Loaded, walk: &mut WalkState) {
    ui.strong("Tiêu chí");
    egui::ScrollArea::vertical()
        .id_salt("ds_tieu_chi_cuon")
        .auto_shrink([false, false])
        .show(ui, |ui| {
            for c in &loaded.status.criteria {
                let selected = walk.criterion == Some(c.number);
                let met = c
                    .indicators
                    .iter()
                    .filter(|i| i.verdict == Verdict::Met)
                    .count();
                let counts = if c.indicators.is_empty() {
                    String::new()
                } else {
                    format!(" ({met}/{})", c.indicators.len())
                };
                let text = RichText::new(format!("{}. {}{counts}", c.number, c.name))
                    .color(verdict_color(c.verdict));
                let response = ui
                    .add(egui::Button::selectable(selected, text).wrap())
                    .on_hover_text(c.verdict.label());
                if response.clicked() {
                    walk.select_criterion(c.number);
                }
            }
        });
}

fn criterion_header(
    ui: &mut egui::Ui,
    loaded: &Loaded,
    review: &crate::domain::review::Review,
    criterion: &Criterion,
    status: Option<&CriterionStatus>,
    walk: &mut WalkState,
    commands: &mut Vec<Command>,
) {
    let verdict = status.map_or(Verdict::NotAssessed, |s| s.verdict);
    ui.horizontal(|ui| {
        ui.heading(format!("Tiêu chí {}. {}", criterion.number, criterion.name));
        ui.label(
            RichText::new(verdict.label())
                .strong()
                .color(verdict_color(verdict)),
        );
    });
    ui.horizontal(|ui| {
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
    if let Some((_, v, comment)) = review
        .criteria
        .iter()
        .find(|(n, _, _)| *n == criterion.number)
    {
        let v = Verdict::from_code(v).unwrap_or(Verdict::NotAssessed);
        ui.horizontal_wrapped(|ui| {
            ui.label("Cấp trên kết luận:");
            ui.label(RichText::new(v.label()).strong().color(verdict_color(v)));
            if !comment.is_empty() {
                ui.label(comment);
            }
        });
    }
    criterion_rating(ui, criterion, status, walk, commands);
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
    ui.horizontal(|ui| {
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
        let l = ui.label("Lý do kết luận tiêu chí");
        let r = ui
            .add(
                egui::TextEdit::singleline(reason)
                    .hint_text("bắt buộc khi kết luận thủ công")
                    .desired_width(ui.available_width() - 10.0),
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

fn verdict_choices(with_mostly: bool) -> Vec<(&'static str, &'static str)> {
    let mut v = vec![("", "(theo kết quả tính)"), ("dat", "Đạt")];
    if with_mostly {
        v.push(("co_ban_dat", "Cơ bản đạt"));
    }
    v.push(("chua_dat", "Chưa đạt"));
    v
}

fn verdict_text(code: &str) -> &'static str {
    Verdict::from_code(code).map_or("(theo kết quả tính)", |v| v.label())
}

#[allow(clippy::too_many_arguments)]
fn indicator_card(
    ui: &mut egui::Ui,
    state: &AppState,
    loaded: &Loaded,
    ind: &Indicator,
    st: Option<&IndicatorStatus>,
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
                    .color(egui::Color32::from_rgb(120, 120, 120)),
            );
        }
        requirement(ui, st);
        for (_, request) in state.review.requests.iter().filter(|(c, _)| *c == code) {
            egui::Frame::new()
                .fill(egui::Color32::from_rgb(255, 243, 224))
                .inner_margin(6.0)
                .corner_radius(4.0)
                .show(ui, |ui| {
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
        ui.add_enabled_ui(state.received.is_none(), |ui| {
            egui::Grid::new(("o_nhap", code.as_str()))
                .num_columns(4)
                .spacing([10.0, 6.0])
                .show(ui, |ui| {
                    let (focus, done) = value_inputs(ui, ind, form);
                    any_focus |= focus;
                    commit |= done;
                    ui.end_row();
                    let (focus, done) = override_inputs(ui, &code, form);
                    any_focus |= focus;
                    commit |= done;
                    ui.end_row();
                    let (focus, done) = detail_inputs(ui, form);
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
                egui::Stroke::new(3.0, egui::Color32::from_rgb(25, 118, 210)),
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

/// A text field saved when it loses focus; returns (has focus, should save).
fn field(
    ui: &mut egui::Ui,
    label: &str,
    text: &mut String,
    width: f32,
    hint: &str,
) -> (bool, bool) {
    let l = ui.label(label);
    let r = ui
        .add(
            egui::TextEdit::singleline(text)
                .desired_width(width)
                .hint_text(hint),
        )
        .labelled_by(l.id);
    (r.has_focus(), r.lost_focus())
}

fn value_inputs(ui: &mut egui::Ui, ind: &Indicator, form: &mut ValueForm) -> (bool, bool) {
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

fn override_inputs(ui: &mut egui::Ui, code: &str, form: &mut ValueForm) -> (bool, bool) {
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
    let (focus, lost) = field(
        ui,
        "Lý do",
        &mut form.reason,
        260.0,
        "bắt buộc: vì sao kết luận khác kết quả tính",
    );
    // A manual verdict is saved once its reason is there.
    let ready = !form.reason.trim().is_empty();
    (focus, (changed || lost) && ready)
}

fn detail_inputs(ui: &mut egui::Ui, form: &mut ValueForm) -> (bool, bool) {
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
                ui.label(RichText::new(m.label()).strong().color(verdict_color(m)));
                if form.reason.trim().is_empty() {
                    ui.label(
                        RichText::new("cần nhập lý do để lưu")
                            .color(verdict_color(Verdict::NotMet)),
                    );
                }
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

fn evidence_row(
    ui: &mut egui::Ui,
    state: &AppState,
    code: &str,
    ind: &Indicator,
    walk: &mut WalkState,
    thumbs: &mut Thumbs,
    commands: &mut Vec<Command>,
) {
    let linked: Vec<&EvidenceRecord> = state
        .evidence
        .iter()
        .filter(|e| e.indicators.iter().any(|c| c == code))
        .collect();
    ui.horizontal_wrapped(|ui| {
        ui.strong(format!("Minh chứng ({})", linked.len()));
        if linked.is_empty() {
            ui.label(RichText::new("chưa có").color(verdict_color(Verdict::NotMet)));
        }
        if !ind.guidance.typical_proof.is_empty() {
            ui.label(
                RichText::new(format!(
                    "Thường gồm: {}",
                    ind.guidance.typical_proof.join("; ")
                ))
                .small(),
            );
        }
    });
    for e in &linked {
        ui.horizontal(|ui| {
            thumbs.show(ui, state, e, 48.0);
            ui.vertical(|ui| {
                ui.label(RichText::new(format!("{} — {}", e.code, e.name_for(code))).strong());
                let caption = thumbs.caption(ui.ctx(), state, e);
                ui.label(RichText::new(format!("{} {}", human_size(e.size), caption)).small());
            });
            if ui
                .button("Mở")
                .on_hover_text("Mở bằng chương trình xem của máy")
                .clicked()
            {
                commands.push(Command::OpenEvidence(e.id));
            }
            if ui
                .add_enabled(state.received.is_none(), egui::Button::new("Bỏ gắn"))
                .on_hover_text("Tệp vẫn còn trong thư viện")
                .on_disabled_hover_text("Hồ sơ xã gửi lên chỉ để xem.")
                .clicked()
            {
                commands.push(Command::UnlinkEvidence(e.id, code.to_string()));
            }
        });
    }
    ui.horizontal(|ui| {
        // A received round is only read: no attaching or linking (see the note above).
        if state.received.is_some() {
            ui.disable();
        }
        if ui.button("Đính kèm tệp…").clicked() {
            walk.focused = Some(code.to_string());
            if let Some(files) = rfd::FileDialog::new()
                .set_title(format!("Chọn tệp minh chứng cho chỉ tiêu {code}"))
                .add_filter(
                    "Tệp minh chứng",
                    &[
                        "pdf", "jpg", "jpeg", "png", "doc", "docx", "xls", "xlsx", "odt", "ods",
                    ],
                )
                .add_filter("Mọi tệp", &["*"])
                .pick_files()
            {
                commands.push(attach(code, files));
            }
        }
        let unlinked: Vec<&EvidenceRecord> = state
            .evidence
            .iter()
            .filter(|e| !e.indicators.iter().any(|c| c == code))
            .collect();
        if !unlinked.is_empty() {
            let l = ui.label("Gắn tệp có sẵn");
            egui::ComboBox::from_id_salt(("gan_tep", code))
                .selected_text("(chọn tệp)")
                .width(220.0)
                .show_ui(ui, |ui| {
                    for e in unlinked {
                        if ui
                            .selectable_label(false, format!("{} — {}", e.code, e.file_name))
                            .clicked()
                        {
                            commands.push(Command::LinkEvidence(e.id, code.to_string()));
                        }
                    }
                })
                .response
                .labelled_by(l.id);
        }
        ui.label(RichText::new("hoặc kéo thả tệp vào khung này").small());
    });
}

fn attach(code: &str, files: Vec<PathBuf>) -> Command {
    Command::AttachFiles(vec![code.to_string()], files)
}
