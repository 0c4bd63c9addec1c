//! The catalogue: browse criteria editions, their criteria, indicators and thresholds;
//! import and export an edition; copy one as a province's version and edit its texts and
//! thresholds. Edits are validated as an imported file would be before they are stored.
#![allow(
    clippy::too_many_lines,
    reason = "issue 9: this file is still being brought under the house lints"
)]

use super::theme::verdict_color;
use crate::app::edition_form::{EditionForm, FormProblem, IndicatorForm, Place};
use crate::app::state::{AppState, Command};
use crate::domain::catalog::{Comparator, Edition, IndicatorKind, ThresholdValue};
use crate::domain::units::{CommuneGroup, Region, Segment, Verdict};
use crate::domain::vn_text::format_number;
use egui::RichText;

/// What the screen remembers between frames.
#[derive(Default)]
pub struct CatalogueState {
    selected: Option<String>,
    copy_code: String,
    copy_title: String,
    /// The edition being edited, with numbers as typed per threshold.
    editing: Option<Draft>,
    /// The «Dán bảng phụ lục…» panel, when open.
    pasting: Option<PasteDraft>,
}

/// A pasted annex table being checked before it is saved as a province copy.
struct PasteDraft {
    /// The edition it completes.
    base: String,
    new_code: String,
    title: String,
    text: String,
    /// The preview of `text` as last read, with the inputs it was read from.
    preview: Option<(String, String, crate::app::catalog::PastePreview)>,
    /// The data generation when "Lưu" was pressed (see [`Draft::submitted_at`]).
    submitted_at: Option<u64>,
}

struct Draft {
    form: EditionForm,
    /// The data generation when "Lưu" was pressed: the editor closes once the data
    /// changed (saved) and stays open with the error otherwise.
    submitted_at: Option<u64>,
}

impl Draft {
    fn new(edition: Edition) -> Self {
        Self {
            form: EditionForm::new(&edition),
            submitted_at: None,
        }
    }
}

/// Draws the screen.
pub fn catalogue_ui(
    ui: &mut egui::Ui,
    state: &AppState,
    cs: &mut CatalogueState,
    commands: &mut Vec<Command>,
) {
    ui.horizontal(|ui| {
        ui.heading("Danh mục tiêu chí");
        if ui.button("Nhập bộ tiêu chí từ tệp…").clicked()
            && let Some(path) = rfd::FileDialog::new()
                .set_title("Nhập bộ tiêu chí (TOML, Excel hoặc gói .ntm của cơ quan)")
                .add_filter("Bộ tiêu chí", &["toml", "xlsx", "ntm"])
                .pick_file()
        {
            commands.push(Command::ImportEdition(path));
        }
    });
    if cs.selected.is_none() {
        // The edition of the assessment shown, else the default one.
        cs.selected = state
            .current
            .as_ref()
            .map(|c| c.record.edition_code.clone())
            .or_else(|| Some(crate::app::catalog::DEFAULT_EDITION.to_string()));
    }
    egui::Panel::left("ds_bo_tieu_chi")
        .resizable(true)
        .default_size(260.0)
        .show(ui, |ui| {
            egui::ScrollArea::vertical()
                .id_salt("ds_bo")
                .show(ui, |ui| {
                    for e in &state.editions {
                        let text = format!(
                            "{}{}\n{}",
                            e.code,
                            if e.builtin {
                                ""
                            } else {
                                " (bản của tỉnh)"
                            },
                            e.title
                        );
                        if ui
                            .add(
                                egui::Button::selectable(
                                    cs.selected.as_deref() == Some(&e.code),
                                    text,
                                )
                                .wrap(),
                            )
                            .clicked()
                        {
                            cs.selected = Some(e.code.clone());
                            cs.editing = None;
                            cs.pasting = None;
                        }
                    }
                });
        });
    let Some(code) = cs.selected.clone() else {
        return;
    };
    let Some(record) = state.editions.iter().find(|e| e.code == code) else {
        cs.selected = None;
        return;
    };
    if let Some(g) = cs.editing.as_ref().and_then(|d| d.submitted_at) {
        if state.generation != g {
            cs.editing = None;
        } else if state.error.is_some()
            && let Some(d) = cs.editing.as_mut()
        {
            d.submitted_at = None;
        }
    }
    let Some(edition) = state
        .parsed_editions
        .iter()
        .find(|e| e.code.as_str() == code)
    else {
        ui.label("Không đọc được bộ tiêu chí này.");
        return;
    };
    if let Some(g) = cs.pasting.as_ref().and_then(|d| d.submitted_at) {
        if state.generation != g && state.error.is_none() {
            if let Some(p) = cs.pasting.take() {
                cs.selected = Some(p.new_code.trim().to_string());
            }
            return;
        } else if state.error.is_some()
            && let Some(p) = cs.pasting.as_mut()
        {
            p.submitted_at = None;
        }
    }
    egui::CentralPanel::default().show(ui, |ui| {
        if let Some(draft) = cs.pasting.as_mut() {
            if paste_panel(ui, draft, edition, state.generation, commands) {
                cs.pasting = None;
            }
            return;
        }
        if let Some(draft) = cs.editing.as_mut() {
            if editor(ui, draft, state.generation, commands) {
                cs.editing = None;
            }
            return;
        }
        ui.strong(&edition.title);
        ui.label(legal_line(edition));
        if let Some(r) = &edition.revision {
            let date = crate::domain::vn_text::CivilDate::parse(&r.date)
                .map_or(r.date.clone(), |d| d.to_string());
            ui.label(format!(
                "Ban hành lần {} ngày {date}, {}",
                r.number, r.office
            ));
        }
        let (verified, unverified) = edition.threshold_counts();
        ui.label(format!(
            "{} tiêu chí, {} chỉ tiêu; {verified}/{} ngưỡng đã đối chiếu văn bản.",
            edition.criteria.len(),
            edition.indicator_count(),
            verified + unverified
        ));
        ui.label(format!("Đầy đủ: {}.", completeness(edition).join("; ")));
        if edition.is_incomplete() {
            ui.colored_label(
                verdict_color(Verdict::MostlyMet),
                "Bộ tiêu chí chưa đầy đủ chỉ tiêu: hãy nhập bản đầy đủ của tỉnh (TOML hoặc Excel).",
            );
        }
        if !edition.note.is_empty() {
            ui.label(RichText::new(&edition.note).small());
        }
        ui.horizontal_wrapped(|ui| {
            if ui.button("Xuất ra tệp…").clicked()
                && let Some(path) = rfd::FileDialog::new()
                    .set_title("Xuất bộ tiêu chí")
                    .set_file_name(format!("{code}.xlsx"))
                    .add_filter("Excel", &["xlsx"])
                    .add_filter("TOML", &["toml"])
                    .add_filter("Gói có chữ ký gửi các xã", &["ntm"])
                    .save_file()
            {
                commands.push(Command::ExportEdition(code.clone(), path));
            }
            if ui.button("Mẫu Excel tiêu đề tiếng Việt…").clicked()
                && let Some(path) = rfd::FileDialog::new()
                    .set_title("Ghi mẫu Excel để điền chỉ tiêu")
                    .set_file_name(format!("{code}-mau.xlsx"))
                    .add_filter("Excel", &["xlsx"])
                    .save_file()
            {
                commands.push(Command::TemplateEdition(code.clone(), path));
            }
            if record.builtin {
                let l = ui.label("Tạo bản của tỉnh, mã");
                ui.add(
                    egui::TextEdit::singleline(&mut cs.copy_code)
                        .hint_text("vd. qd51-2025-xa-ha-tinh")
                        .desired_width(180.0),
                )
                .labelled_by(l.id);
                let l = ui.label("tên");
                ui.add(egui::TextEdit::singleline(&mut cs.copy_title).desired_width(200.0))
                    .labelled_by(l.id);
                if ui.button("Sao chép").clicked() {
                    commands.push(Command::CopyEdition(
                        code.clone(),
                        cs.copy_code.clone(),
                        cs.copy_title.clone(),
                    ));
                    cs.selected = Some(cs.copy_code.trim().to_string());
                }
            } else if ui.button("Sửa bộ tiêu chí").clicked() {
                cs.editing = Some(Draft::new(edition.clone()));
            }
            if ui.button("Dán bảng phụ lục…").clicked() {
                cs.pasting = Some(PasteDraft {
                    base: code.clone(),
                    new_code: if record.builtin {
                        cs.copy_code.trim().to_string()
                    } else {
                        code.clone()
                    },
                    title: cs.copy_title.clone(),
                    text: String::new(),
                    preview: None,
                    submitted_at: None,
                });
            }
        });
        move_panel(ui, state, edition, commands);
        ui.separator();
        egui::ScrollArea::vertical()
            .id_salt("noi_dung_bo")
            .auto_shrink([false, false])
            .show(ui, |ui| browse(ui, edition));
    });
}

fn browse(ui: &mut egui::Ui, edition: &Edition) {
    for c in &edition.criteria {
        egui::CollapsingHeader::new(format!(
            "{}. {} ({} chỉ tiêu)",
            c.number,
            c.name,
            c.indicators.len()
        ))
        .id_salt(("tc", c.number))
        .show(ui, |ui| {
            if c.indicators.is_empty() {
                ui.label("Chưa có danh mục chỉ tiêu.");
            }
            for ind in &c.indicators {
                ui.label(RichText::new(format!("{} {}", ind.code, ind.text)).strong());
                ui.label(
                    RichText::new(format!(
                        "{} {}{}",
                        ind.kind.label(),
                        ind.comparator.symbol(),
                        if ind.unit.is_empty() {
                            String::new()
                        } else {
                            format!(" ({})", ind.unit)
                        }
                    ))
                    .small(),
                );
                if ind.thresholds.is_empty() {
                    ui.colored_label(
                        verdict_color(Verdict::MostlyMet),
                        "Chưa có ngưỡng: người đánh giá phải kết luận.",
                    );
                }
                for t in &ind.thresholds {
                    ui.horizontal_wrapped(|ui| {
                        ui.label(format!(
                            "{}{}: {} {}",
                            t.segment.label(),
                            t.year.map(|y| format!(" năm {y}")).unwrap_or_default(),
                            ind.comparator.symbol(),
                            value_text(&t.value)
                        ));
                        if t.verified {
                            ui.label(
                                RichText::new("đã đối chiếu")
                                    .small()
                                    .color(verdict_color(Verdict::Met)),
                            );
                        } else {
                            ui.label(
                                RichText::new("chưa kiểm chứng")
                                    .small()
                                    .color(verdict_color(Verdict::MostlyMet)),
                            );
                        }
                        if !t.source.is_empty() {
                            ui.label(RichText::new(&t.source).small());
                        }
                    });
                }
                ui.add_space(4.0);
            }
        });
    }
}

/// "QĐ 318/QĐ-TTg ngày 08/03/2022, Phụ lục I; hiệu lực từ 08/03/2022 đến 31/12/2025",
/// leaving out what the edition does not say.
fn legal_line(edition: &Edition) -> String {
    let date = |iso: &str| {
        crate::domain::vn_text::CivilDate::parse(iso).map_or(iso.to_string(), |d| d.to_string())
    };
    let l = &edition.legal;
    let mut text = l.decision.clone();
    if !l.signed_on.is_empty() {
        text.push_str(&format!(" ngày {}", date(&l.signed_on)));
    }
    if !l.annex.is_empty() {
        text.push_str(&format!(", {}", l.annex));
    }
    if !l.effective_from.is_empty() {
        text.push_str(&format!("; hiệu lực từ {}", date(&l.effective_from)));
        if !l.effective_to.is_empty() {
            text.push_str(&format!(" đến {}", date(&l.effective_to)));
        }
    }
    text
}

fn value_text(v: &ThresholdValue) -> String {
    match v {
        ThresholdValue::Number(n) => format_number(*n, 2),
        ThresholdValue::Yes => "Đạt".into(),
        ThresholdValue::Level(l) => l.clone(),
    }
}

fn segments(edition: &Edition) -> Vec<Segment> {
    let mut all = vec![Segment::General];
    all.extend(Region::ALL.iter().map(|r| Segment::Region(*r)));
    all.extend(CommuneGroup::ALL.iter().map(|g| Segment::Group(*g)));
    all.into_iter()
        .filter(|s| edition.keyed_by.allows(*s))
        .collect()
}

/// The completeness of an edition against its decision: «7/47 chỉ tiêu» and
/// «thiếu ngưỡng nhóm 3 ở 5 chỉ tiêu».
fn completeness(edition: &Edition) -> Vec<String> {
    let mut lines = vec![match edition.indicators_expected {
        Some(n) => format!("{}/{n} chỉ tiêu", edition.indicator_count()),
        None => format!("{} chỉ tiêu", edition.indicator_count()),
    }];
    for (segment, n) in edition.missing_thresholds() {
        let name = match segment {
            Segment::Group(g) => format!("nhóm {}", g.code()),
            Segment::Region(r) => format!("vùng {}", r.label()),
            Segment::General => "chung".to_string(),
        };
        lines.push(format!("thiếu ngưỡng {name} ở {n} chỉ tiêu"));
    }
    lines
}

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

/// The editor; returns true when the user gives up editing.
fn editor(
    ui: &mut egui::Ui,
    draft: &mut Draft,
    generation: u64,
    commands: &mut Vec<Command>,
) -> bool {
    let mut cancel = false;
    let checked = draft.form.finish();
    let problems: Vec<FormProblem> = checked.as_ref().err().cloned().unwrap_or_default();
    ui.horizontal_wrapped(|ui| {
        ui.strong(format!("Đang sửa {}", draft.form.base.code));
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
    let mut move_criterion = None;
    let mut remove_criterion = None;
    egui::ScrollArea::vertical()
        .id_salt("sua_bo")
        .auto_shrink([false, false])
        .show(ui, |ui| {
            let count = draft.form.criteria.len();
            for (ci, c) in draft.form.criteria.iter_mut().enumerate() {
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
                            if ci > 0 && ui.small_button("Lên").clicked() {
                                move_criterion = Some((ci, true));
                            }
                            if ci + 1 < count && ui.small_button("Xuống").clicked() {
                                move_criterion = Some((ci, false));
                            }
                            if ui
                                .small_button(format!("Xóa tiêu chí {}", c.number.trim()))
                                .clicked()
                            {
                                remove_criterion = Some(ci);
                            }
                        });
                        show_problems(ui, &problems, Place::Criterion(ci));
                        let mut move_indicator = None;
                        let mut remove_indicator = None;
                        let n = c.indicators.len();
                        for (ii, ind) in c.indicators.iter_mut().enumerate() {
                            match indicator_editor(ui, ind, &segments, &problems, (ci, ii), n) {
                                IndicatorAction::Up => move_indicator = Some((ii, true)),
                                IndicatorAction::Down => move_indicator = Some((ii, false)),
                                IndicatorAction::Remove => remove_indicator = Some(ii),
                                IndicatorAction::None => {}
                            }
                        }
                        if let Some((ii, up)) = move_indicator {
                            shift(&mut c.indicators, ii, up);
                        }
                        if let Some(ii) = remove_indicator
                            && ii < c.indicators.len()
                        {
                            c.indicators.remove(ii);
                        }
                        ui.separator();
                        if ui
                            .button(format!("Thêm chỉ tiêu vào tiêu chí {}", c.number.trim()))
                            .clicked()
                        {
                            let code = c.next_code();
                            c.indicators.push(IndicatorForm::new(code));
                        }
                    });
            }
            ui.separator();
            if ui.button("Thêm tiêu chí").clicked() {
                draft.form.add_criterion();
            }
        });
    if let Some((ci, up)) = move_criterion {
        shift(&mut draft.form.criteria, ci, up);
    }
    if let Some(ci) = remove_criterion
        && ci < draft.form.criteria.len()
    {
        draft.form.criteria.remove(ci);
    }
    cancel
}

enum IndicatorAction {
    None,
    Up,
    Down,
    Remove,
}

fn indicator_editor(
    ui: &mut egui::Ui,
    ind: &mut IndicatorForm,
    segments: &[Segment],
    problems: &[FormProblem],
    (ci, ii): (usize, usize),
    count: usize,
) -> IndicatorAction {
    let mut action = IndicatorAction::None;
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
        .show(ui, |ui| {
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
        });
    ui.horizontal(|ui| {
        if ii > 0 && ui.small_button("Lên").clicked() {
            action = IndicatorAction::Up;
        }
        if ii + 1 < count && ui.small_button("Xuống").clicked() {
            action = IndicatorAction::Down;
        }
        if ui.small_button(format!("Xóa chỉ tiêu {code}")).clicked() {
            action = IndicatorAction::Remove;
        }
    });
    show_problems(ui, problems, Place::Indicator(ci, ii));
    let mut remove = None;
    let levels: Vec<String> = ind
        .levels
        .split('|')
        .map(|l| l.trim().to_string())
        .filter(|l| !l.is_empty())
        .collect();
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
                match ind.kind {
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
    // Beside the thresholds, outside the grid so that its columns keep their width.
    for ti in 0..ind.thresholds.len() {
        show_problems(ui, problems, Place::Threshold(ci, ii, ti));
    }
    if let Some(ti) = remove
        && ti < ind.thresholds.len()
    {
        ind.thresholds.remove(ti);
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

/// The «Dán bảng phụ lục…» panel: the code and title of the province copy, a paste area,
/// the preview table with every problem and notice, and «Lưu» only once nothing blocks.
/// Returns true when the user closes it.
fn paste_panel(
    ui: &mut egui::Ui,
    draft: &mut PasteDraft,
    base: &Edition,
    generation: u64,
    commands: &mut Vec<Command>,
) -> bool {
    let mut close = false;
    ui.horizontal(|ui| {
        ui.strong(format!(
            "Dán bảng phụ lục vào bản của tỉnh (bộ gốc {})",
            draft.base
        ));
        close = ui.button("Đóng, không lưu").clicked();
    });
    ui.label(
        "Sao chép bảng chỉ tiêu trong phụ lục của quyết định (Word, PDF hoặc Excel), kể cả hàng tiêu đề, rồi dán vào ô dưới đây (Ctrl+V).",
    );
    ui.horizontal_wrapped(|ui| {
        let l = ui.label("Mã bản của tỉnh");
        ui.add(
            egui::TextEdit::singleline(&mut draft.new_code)
                .hint_text("vd. qd51-2025-xa-ha-tinh")
                .desired_width(200.0),
        )
        .labelled_by(l.id);
        let l = ui.label("Tên bản của tỉnh");
        ui.add(
            egui::TextEdit::singleline(&mut draft.title)
                .hint_text("để trống: giữ tên bộ gốc")
                .desired_width(260.0),
        )
        .labelled_by(l.id);
    });
    let l = ui.label("Bảng đã dán");
    egui::ScrollArea::vertical()
        .id_salt("o_dan")
        .max_height(140.0)
        .show(ui, |ui| {
            ui.add(
                egui::TextEdit::multiline(&mut draft.text)
                    .code_editor()
                    .lock_focus(true)
                    .desired_rows(6)
                    .desired_width(f32::INFINITY),
            )
            .labelled_by(l.id);
        });
    // Reading is cheap; read again whenever the text or the code changed.
    let stale = draft
        .preview
        .as_ref()
        .is_none_or(|(text, code, _)| *text != draft.text || *code != draft.new_code);
    if stale && !draft.text.trim().is_empty() {
        let preview =
            crate::app::catalog::paste_preview_of(base, &draft.new_code, &draft.title, &draft.text);
        draft.preview = Some((draft.text.clone(), draft.new_code.clone(), preview));
    }
    if draft.text.trim().is_empty() {
        draft.preview = None;
    }
    let Some((_, _, preview)) = draft.preview.as_ref() else {
        return close;
    };
    let table = &preview.table;
    ui.separator();
    ui.label(format!(
        "Đã đọc {} tiêu chí, {} chỉ tiêu; {} lỗi, {} chỗ cần kiểm tra.",
        table.criteria.len(),
        table.indicator_count(),
        preview.problems.len(),
        table.notices.len()
    ));
    ui.horizontal(|ui| {
        let can_save = preview.problems.is_empty() && preview.edition.is_some();
        let save = ui.add_enabled(can_save, egui::Button::new("Lưu bản của tỉnh"));
        if save.clicked() {
            commands.push(Command::DismissMessage);
            commands.push(Command::PasteEdition(
                draft.base.clone(),
                draft.new_code.trim().to_string(),
                draft.title.clone(),
                draft.text.clone(),
            ));
            draft.submitted_at = Some(generation);
        }
        if !can_save {
            ui.colored_label(
                verdict_color(Verdict::NotMet),
                "Chưa lưu được: hãy sửa các ô bị báo lỗi trong bảng đã dán.",
            );
        }
    });
    egui::ScrollArea::vertical()
        .id_salt("xem_truoc_dan")
        .auto_shrink([false, false])
        .show(ui, |ui| {
            for p in &preview.problems {
                ui.colored_label(verdict_color(Verdict::NotMet), format!("Lỗi: {p}"));
            }
            for n in &table.notices {
                ui.colored_label(
                    verdict_color(Verdict::MostlyMet),
                    format!("Cần kiểm tra: {n}"),
                );
            }
            let segments: Vec<Segment> = segments(base);
            egui::Grid::new("bang_xem_truoc")
                .striped(true)
                .num_columns(4 + segments.len())
                .show(ui, |ui| {
                    ui.strong("Mã");
                    ui.strong("Nội dung");
                    ui.strong("Loại");
                    ui.strong("Đơn vị");
                    for s in &segments {
                        ui.strong(s.label());
                    }
                    ui.end_row();
                    for c in &table.criteria {
                        ui.strong(c.number.to_string());
                        ui.strong(&c.name);
                        ui.end_row();
                        for i in &c.indicators {
                            ui.label(i.code.as_str());
                            ui.add(egui::Label::new(&i.text).wrap());
                            ui.label(i.kind.map_or("?", |k| k.label()));
                            ui.label(&i.unit);
                            let comparator = i.comparator.map_or("?", |c| c.symbol());
                            for s in &segments {
                                match i.thresholds.iter().find(|t| t.segment == *s) {
                                    Some(t) => {
                                        let text = match &t.value {
                                            ThresholdValue::Yes => "Đạt".to_string(),
                                            v => format!("{comparator} {}", value_text(v)),
                                        };
                                        if t.from_merged_cell {
                                            ui.colored_label(
                                                verdict_color(Verdict::MostlyMet),
                                                format!("{text} (ô gộp)"),
                                            );
                                        } else {
                                            ui.label(text);
                                        }
                                    }
                                    None => {
                                        ui.label("—");
                                    }
                                }
                            }
                            ui.end_row();
                        }
                    }
                });
        });
    close
}

/// Moving the open assessment to the edition shown: the button, then the list of what
/// changes and a confirmation.
fn move_panel(ui: &mut egui::Ui, state: &AppState, edition: &Edition, commands: &mut Vec<Command>) {
    let Some(current) = state.current.as_ref() else {
        return;
    };
    if current.record.edition_code == edition.code.as_str() || edition.level != current.unit.kind {
        return;
    }
    let name = crate::app::units::display_name(&current.unit);
    let plan = state
        .move_plan
        .as_ref()
        .filter(|p| p.to == edition.code.as_str() && p.assessment == current.record.id);
    let Some(plan) = plan else {
        if ui
            .button(format!(
                "Chuyển đợt đánh giá {name} năm {} sang bộ tiêu chí này…",
                current.record.year
            ))
            .clicked()
        {
            commands.push(Command::DismissMessage);
            commands.push(Command::PlanMove(edition.code.to_string()));
        }
        return;
    };
    egui::Frame::new()
        .fill(egui::Color32::from_rgb(255, 243, 224))
        .inner_margin(8.0)
        .corner_radius(6.0)
        .show(ui, |ui| {
            egui::ScrollArea::vertical()
                .id_salt("ke_hoach_chuyen")
                .max_height(260.0)
                .show(ui, |ui| {
                    for line in crate::app::edition_move::describe(plan).lines() {
                        ui.label(line);
                    }
                });
            ui.label("Số liệu, minh chứng, ghi chú và thời hạn của các chỉ tiêu còn giữ nguyên; các lần đã gửi giữ bộ tiêu chí lúc gửi.");
            ui.horizontal(|ui| {
                if ui.button("Xác nhận chuyển").clicked() {
                    commands.push(Command::DismissMessage);
                    commands.push(Command::ApplyMove(edition.code.to_string()));
                }
                if ui.button("Thôi, không chuyển").clicked() {
                    commands.push(Command::CancelMove);
                }
            });
        });
}
