//! The evidence row of an indicator card: linked files, attaching, linking from the library.

use super::WalkState;
use crate::app::state::{AppState, Command};
use crate::domain::catalog::Indicator;
use crate::domain::evidence::EvidenceRecord;
use crate::domain::units::Verdict;
use crate::ui::design::verdict_color;
use crate::ui::thumbs::{Thumbs, human_size};
use egui::RichText;
use std::path::PathBuf;

/// The files linked to one indicator and the ways to add more.
pub(super) fn evidence_row(
    ui: &mut egui::Ui,
    state: &AppState,
    code: &str,
    ind: &Indicator,
    walk: &mut WalkState,
    thumbs: &mut Thumbs,
    commands: &mut Vec<Command>,
) {
    let linked: Vec<&EvidenceRecord> = walk
        .linked(state)
        .get(code)
        .into_iter()
        .flatten()
        .filter_map(|k| state.evidence.get(*k))
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
        // A row scrolled out of sight keeps its place and is not drawn: with thousands
        // of files the frame stays short (issue 12). Its height is that of a row drawn.
        if let Some(height) = walk.evidence_row_height {
            let size = egui::vec2(ui.available_width(), height);
            if !ui.is_rect_visible(egui::Rect::from_min_size(ui.cursor().min, size)) {
                ui.allocate_space(size);
                continue;
            }
        }
        let row = file_row(ui, state, code, e, thumbs, commands);
        walk.evidence_row_height = Some(row.rect.height());
    }
    // Wrapped: beside the criteria list the last words were cut off at the card's edge.
    ui.horizontal_wrapped(|ui| {
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
        // Listed only when the list is opened, not at every frame.
        if linked.len() < state.evidence.len() {
            let unlinked = || {
                state
                    .evidence
                    .iter()
                    .filter(|e| !e.indicators.iter().any(|c| c == code))
            };
            let l = ui.label("Gắn tệp có sẵn");
            egui::ComboBox::from_id_salt(("gan_tep", code))
                .selected_text("(chọn tệp)")
                .width(220.0)
                .show_ui(ui, |ui| {
                    for e in unlinked() {
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

/// One linked file: its thumbnail, code and name, size or pages, «Mở» and «Bỏ gắn».
fn file_row(
    ui: &mut egui::Ui,
    state: &AppState,
    code: &str,
    e: &EvidenceRecord,
    thumbs: &mut Thumbs,
    commands: &mut Vec<Command>,
) -> egui::Response {
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
    })
    .response
}

fn attach(code: &str, files: Vec<PathBuf>) -> Command {
    Command::AttachFiles(vec![code.to_string()], files)
}
