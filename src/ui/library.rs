//! The evidence library: every file of the assessment with its code, metadata, size and
//! thumbnail; filters and a search that ignores Vietnamese diacritics. Only the rows on
//! screen are drawn, so thousands of files stay smooth.

use super::design::verdict_color;
use super::thumbs::{Thumbs, file_kind, human_size};
use crate::app::evidence::delete_question;
use crate::app::library::{EvidenceFilter, MetaForm, filter_indices};
use crate::app::state::{AppState, Command};
use crate::domain::evidence::EvidenceRecord;
use crate::domain::ids::EvidenceId;
use crate::domain::units::Verdict;
use egui::RichText;

const ROW_HEIGHT: f32 = 56.0;

/// What the library remembers between frames.
#[derive(Default)]
pub struct LibraryState {
    which: EvidenceFilter,
    query: String,
    selected: Option<EvidenceId>,
    meta: MetaForm,
    meta_saved: MetaForm,
    meta_for: Option<(EvidenceId, u64)>,
    /// Indexes into `state.evidence` matching the filter, with what they were built for.
    shown: Vec<usize>,
    shown_for: Option<(u64, EvidenceFilter, String)>,
    /// The file whose deletion waits for the clerk's confirmation.
    confirm_delete: Option<EvidenceId>,
}

impl LibraryState {
    /// The save of document details still being typed, if the file is still shown.
    pub fn pending_save(&self, state: &AppState) -> Option<Command> {
        let (id, _) = self.meta_for?;
        (self.meta != self.meta_saved && state.evidence.iter().any(|e| e.id == id))
            .then(|| Command::SaveEvidenceMeta(id, self.meta.clone()))
    }

    fn refilter(&mut self, state: &AppState) {
        let key = (state.generation, self.which, self.query.clone());
        if self.shown_for.as_ref() == Some(&key) {
            return;
        }
        self.shown = filter_indices(&state.evidence, self.which, &self.query);
        self.shown_for = Some(key);
    }
}

/// Draws the library.
pub fn library_ui(
    ui: &mut egui::Ui,
    state: &AppState,
    lib: &mut LibraryState,
    thumbs: &mut Thumbs,
    commands: &mut Vec<Command>,
) {
    ui.horizontal(|ui| {
        ui.heading(format!(
            "Thư viện minh chứng ({} tệp)",
            state.evidence.len()
        ));
        if ui
            .add_enabled(state.received.is_none(), egui::Button::new("Thêm tệp…"))
            .on_disabled_hover_text("Hồ sơ xã gửi lên chỉ để xem, không thêm tệp được.")
            .clicked()
            && let Some(files) = rfd::FileDialog::new()
                .set_title("Thêm tệp minh chứng (chưa gắn chỉ tiêu)")
                .pick_files()
        {
            commands.push(Command::AttachFiles(Vec::new(), files));
        }
        ui.label(RichText::new("Kéo thả tệp vào cửa sổ để thêm.").small());
    });
    ui.horizontal_wrapped(|ui| {
        ui.label("Lọc:");
        for f in EvidenceFilter::ALL {
            if ui
                .add(egui::Button::selectable(lib.which == f, f.label()))
                .clicked()
            {
                lib.which = f;
            }
        }
    });
    ui.horizontal(|ui| {
        let l = ui.label("Tìm minh chứng:");
        ui.add(
            egui::TextEdit::singleline(&mut lib.query)
                .hint_text("mã, tên tệp, số văn bản, cơ quan, trích yếu — gõ không dấu cũng được")
                .desired_width(ui.available_width()),
        )
        .labelled_by(l.id);
    });
    lib.refilter(state);
    ui.label(RichText::new(format!("{} tệp khớp", lib.shown.len())).small());
    ui.separator();
    let editor_height = if lib.selected.is_some() { 150.0 } else { 0.0 };
    let list_height = (ui.available_height() - editor_height).max(120.0);
    let shown = lib.shown.clone();
    egui::ScrollArea::vertical()
        .id_salt("thu_vien")
        .max_height(list_height)
        .auto_shrink([false, false])
        .show_rows(ui, ROW_HEIGHT, shown.len(), |ui, range| {
            for &index in shown.get(range).unwrap_or_default() {
                let Some(e) = state.evidence.get(index) else {
                    continue;
                };
                row(ui, state, e, lib, thumbs, commands);
            }
        });
    if let Some(id) = lib.selected
        && let Some(e) = state.evidence.iter().find(|e| e.id == id)
    {
        ui.separator();
        meta_editor(ui, state, e, lib, commands);
    }
    confirm_delete(ui, state, lib, commands);
}

/// Asks before deleting a file, naming the indicators that lose it.
fn confirm_delete(
    ui: &mut egui::Ui,
    state: &AppState,
    lib: &mut LibraryState,
    commands: &mut Vec<Command>,
) {
    let Some(id) = lib.confirm_delete else {
        return;
    };
    let Some(e) = state.evidence.iter().find(|e| e.id == id) else {
        lib.confirm_delete = None;
        return;
    };
    let mut close = false;
    let modal = egui::Modal::new(egui::Id::unique("xoa_minh_chung")).show(ui.ctx(), |ui| {
        ui.set_max_width(460.0);
        ui.heading("Xóa tệp minh chứng");
        ui.label(delete_question(e));
        ui.horizontal(|ui| {
            if ui.button("Xóa tệp").clicked() {
                commands.push(Command::DeleteEvidence(id));
                close = true;
            }
            if ui.button("Hủy").clicked() {
                close = true;
            }
        });
    });
    if close || modal.should_close() {
        lib.confirm_delete = None;
    }
}

fn row(
    ui: &mut egui::Ui,
    state: &AppState,
    e: &EvidenceRecord,
    lib: &mut LibraryState,
    thumbs: &mut Thumbs,
    commands: &mut Vec<Command>,
) {
    ui.horizontal(|ui| {
        ui.set_height(ROW_HEIGHT - ui.spacing().item_spacing.y);
        thumbs.show(ui, state, e, 48.0);
        // The name and document columns share the row with the indicators and buttons,
        // which keep their room at 1280 px or with the text scaled up.
        let room = ui.available_width();
        ui.vertical(|ui| {
            ui.set_width((room * 0.38).clamp(180.0, 330.0));
            let selected = lib.selected == Some(e.id);
            if ui
                .selectable_label(
                    selected,
                    RichText::new(format!("{} — {}", e.code, e.file_name)).strong(),
                )
                .clicked()
            {
                lib.selected = if selected { None } else { Some(e.id) };
            }
            let caption = thumbs.caption(ui.ctx(), state, e);
            ui.label(
                RichText::new(format!(
                    "{} · {} {}",
                    file_kind(e),
                    human_size(e.size),
                    caption
                ))
                .small(),
            );
        });
        ui.vertical(|ui| {
            ui.set_width((room * 0.28).clamp(150.0, 260.0));
            let number = e.doc_number.as_deref().unwrap_or("chưa có số");
            let date = e
                .doc_date
                .map_or("chưa có ngày".to_string(), |d| d.to_string());
            ui.label(RichText::new(format!("{number} · {date}")).small());
            let issuer = e.issuer.as_deref().unwrap_or("chưa có cơ quan ban hành");
            ui.label(RichText::new(issuer).small());
        });
        ui.vertical(|ui| {
            if e.indicators.is_empty() {
                ui.label(RichText::new("Chưa gắn chỉ tiêu").color(verdict_color(Verdict::NotMet)));
            } else {
                ui.label(format!("Chỉ tiêu: {}", e.indicators_with_names()));
            }
            ui.horizontal(|ui| {
                if ui.small_button("Mở").clicked() {
                    commands.push(Command::OpenEvidence(e.id));
                }
                if ui.small_button("Xóa…").clicked() {
                    lib.confirm_delete = Some(e.id);
                }
            });
        });
    });
}

fn meta_editor(
    ui: &mut egui::Ui,
    state: &AppState,
    e: &EvidenceRecord,
    lib: &mut LibraryState,
    commands: &mut Vec<Command>,
) {
    if lib.meta_for != Some((e.id, state.generation)) {
        let stored = MetaForm::from_record(e);
        if lib.meta_for.map(|(id, _)| id) != Some(e.id) || lib.meta == lib.meta_saved {
            lib.meta = stored.clone();
        }
        lib.meta_saved = stored;
        lib.meta_for = Some((e.id, state.generation));
    }
    ui.strong(format!(
        "Thông tin văn bản của {} — {}",
        e.code, e.file_name
    ));
    let mut commit = false;
    egui::Grid::new("thong_tin_van_ban")
        .num_columns(4)
        .show(ui, |ui| {
            let mut field = |ui: &mut egui::Ui, label: &str, text: &mut String, hint: &str| {
                commit |= super::design::FieldRow::new(label)
                    .hint(hint)
                    .show(ui, text)
                    .lost_focus();
            };
            field(ui, "Số văn bản", &mut lib.meta.doc_number, "05/BC-UBND");
            field(
                ui,
                "Ngày ban hành",
                &mut lib.meta.doc_date,
                super::design::DATE_HINT,
            );
            ui.end_row();
            field(ui, "Cơ quan ban hành", &mut lib.meta.issuer, "UBND xã …");
            field(ui, "Trích yếu", &mut lib.meta.summary, "");
            ui.end_row();
        });
    if commit && lib.meta != lib.meta_saved {
        commands.push(Command::SaveEvidenceMeta(e.id, lib.meta.clone()));
    }
}
