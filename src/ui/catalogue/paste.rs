//! The «Dán bảng phụ lục…» panel: the code and title of the province copy, a paste area,
//! the preview table with every problem and notice, and «Lưu» only once nothing blocks.

use super::browse::value_text;
use super::{PasteDraft, segments};
use crate::app::catalog::PastePreview;
use crate::app::state::Command;
use crate::domain::catalog::paste::PastedTable;
use crate::domain::catalog::{Edition, ThresholdValue};
use crate::domain::units::{Segment, Verdict};
use crate::ui::design::verdict_color;

/// The panel; returns true when the user closes it.
pub(super) fn paste_panel(
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
    paste_inputs(ui, draft);
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
        .show(ui, |ui| preview_list(ui, preview, base));
    close
}

/// The code and title of the province copy and the paste area.
fn paste_inputs(ui: &mut egui::Ui, draft: &mut PasteDraft) {
    ui.label(
        "Sao chép bảng chỉ tiêu trong phụ lục của quyết định (Word, PDF hoặc Excel), kể cả hàng tiêu đề, rồi dán vào ô dưới đây (Ctrl+V).",
    );
    ui.horizontal_wrapped(|ui| {
        let l = ui.label("Mã bản của tỉnh");
        ui.add(
            egui::TextEdit::singleline(&mut draft.new_code)
                .hint_text("vd. qd51-2025-xa-ha-tinh")
                .desired_width(230.0),
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
}

/// The problems, the notices and the table as read.
fn preview_list(ui: &mut egui::Ui, preview: &PastePreview, base: &Edition) {
    let table = &preview.table;
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
        .show(ui, |ui| preview_grid(ui, table, &segments));
}

/// The rows of the preview grid: a criterion, then its indicators with a threshold per
/// segment (a merged cell marked).
fn preview_grid(ui: &mut egui::Ui, table: &PastedTable, segments: &[Segment]) {
    ui.strong("Mã");
    ui.strong("Nội dung");
    ui.strong("Loại");
    ui.strong("Đơn vị");
    for s in segments {
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
            for s in segments {
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
}
