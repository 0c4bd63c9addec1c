//! The catalogue: browse criteria editions, their criteria, indicators and thresholds;
//! import and export an edition; copy one as a province's version and edit its texts and
//! thresholds. Edits are validated as an imported file would be before they are stored.

mod browse;
mod editor;
mod moving;
mod paste;

use super::design::verdict_color;
use crate::app::edition_form::EditionForm;
use crate::app::state::{AppState, Command};
use crate::domain::catalog::Edition;
use crate::domain::units::{CommuneGroup, Region, Segment, Verdict};
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
                .set_title("Nhập bộ tiêu chí (tệp .toml, Excel hoặc gói .ntm của cơ quan)")
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
            .map(|c| c.record.edition_code.to_string())
            .or_else(|| Some(crate::app::catalog::DEFAULT_EDITION.to_string()));
    }
    egui::Panel::left("ds_bo_tieu_chi")
        .resizable(true)
        .default_size(260.0)
        .show(ui, |ui| {
            egui::ScrollArea::vertical()
                .id_salt("ds_bo")
                .show(ui, |ui| edition_list(ui, state, cs));
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
            if paste::paste_panel(ui, draft, edition, state.generation, commands) {
                cs.pasting = None;
            }
            return;
        }
        if let Some(draft) = cs.editing.as_mut() {
            if editor::editor(ui, draft, state.generation, commands) {
                cs.editing = None;
            }
            return;
        }
        // One scroll for the summary, the actions and the criteria: with the text
        // scaled up, the summary alone filled the screen and the actions were cut off.
        egui::ScrollArea::vertical()
            .id_salt("noi_dung_bo")
            .auto_shrink([false, false])
            .show(ui, |ui| {
                edition_summary(ui, edition);
                ui.horizontal_wrapped(|ui| {
                    edition_actions(ui, cs, record.builtin, edition, commands);
                });
                moving::move_panel(ui, state, edition, commands);
                ui.separator();
                browse::browse(ui, edition);
            });
    });
}

/// The editions of the workspace, national then province copies, to choose from.
fn edition_list(ui: &mut egui::Ui, state: &AppState, cs: &mut CatalogueState) {
    for e in &state.editions {
        // Read by its decision, as everywhere an edition is picked; the code (used on
        // the command line) comes last.
        let text = format!(
            "{}{}\n{} (mã {})",
            state.edition_label(&e.code),
            if e.builtin {
                ""
            } else {
                " (bản của tỉnh)"
            },
            e.title,
            e.code
        );
        if ui
            .add(egui::Button::selectable(cs.selected.as_deref() == Some(&e.code), text).wrap())
            .clicked()
        {
            cs.selected = Some(e.code.to_string());
            cs.editing = None;
            cs.pasting = None;
        }
    }
}

/// The edition's title, decision, revision, counts and completeness.
fn edition_summary(ui: &mut egui::Ui, edition: &Edition) {
    ui.strong(&edition.title);
    ui.label(browse::legal_line(edition));
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
            "Bộ tiêu chí chưa đầy đủ chỉ tiêu: hãy nhập bản đầy đủ của tỉnh (tệp .toml hoặc Excel).",
        );
    }
    if !edition.note.is_empty() {
        ui.label(RichText::new(&edition.note).small());
    }
}

/// Export, template, copy or edit, paste.
fn edition_actions(
    ui: &mut egui::Ui,
    cs: &mut CatalogueState,
    builtin: bool,
    edition: &Edition,
    commands: &mut Vec<Command>,
) {
    let code = edition.code.to_string();
    if ui.button("Xuất ra tệp…").clicked()
        && let Some(path) = super::dialogs::save(
            "bo-tieu-chi",
            rfd::FileDialog::new()
                .set_title("Xuất bộ tiêu chí")
                .set_file_name(format!("{code}.xlsx"))
                .add_filter("Excel", &["xlsx"])
                .add_filter("Bộ tiêu chí dạng văn bản (.toml)", &["toml"])
                .add_filter("Gói có chữ ký gửi các xã", &["ntm"]),
        )
    {
        commands.push(Command::ExportEdition(code.clone(), path));
    }
    if ui.button("Mẫu Excel tiêu đề tiếng Việt…").clicked()
        && let Some(path) = super::dialogs::save(
            "bo-tieu-chi",
            rfd::FileDialog::new()
                .set_title("Ghi mẫu Excel để điền chỉ tiêu")
                .set_file_name(format!("{code}-mau.xlsx"))
                .add_filter("Excel", &["xlsx"]),
        )
    {
        commands.push(Command::TemplateEdition(code.clone(), path));
    }
    if builtin {
        let l = ui.label("Tạo bản của tỉnh, mã");
        ui.add(
            egui::TextEdit::singleline(&mut cs.copy_code)
                .hint_text("vd. qd51-2025-xa-ha-tinh")
                .desired_width(230.0),
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
            new_code: if builtin {
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
