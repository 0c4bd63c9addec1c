//! The printed dossier: who signs and when, what the final packet still lacks, the
//! signed scans that replace drafts, and building the PDF in the background.

use super::design::verdict_color;
use crate::app::dossier::{GapPlace, SettingsForm};
use crate::app::state::{AppState, Command};
use crate::domain::ids::AssessmentId;
use crate::domain::units::Verdict;
use egui::RichText;

/// What the screen remembers between frames.
#[derive(Default)]
pub struct DossierState {
    form: SettingsForm,
    saved: SettingsForm,
    synced: Option<(AssessmentId, u64)>,
    templates: Vec<(String, String)>,
    /// «Gửi hồ sơ…» was pressed with items missing: the question is shown.
    confirm_send: Option<crate::app::dossier::SendPreflight>,
    /// A missing item of this screen was clicked: its field or button takes the focus.
    focus: Option<GapPlace>,
}

/// Where a click on a missing item leads, outside the dossier screen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DossierJump {
    /// A criterion of the walk-through, maybe at one of its indicators.
    Walk(super::dashboard::Jump),
    /// Another screen of the assessment.
    Screen(super::Screen),
}

impl DossierState {
    /// The save of settings still being typed, if they belong to the assessment shown.
    pub fn pending_save(&self, state: &AppState) -> Option<Command> {
        let current = state.current.as_ref()?.record.id;
        (self.synced.map(|(id, _)| id) == Some(current) && self.form != self.saved)
            .then(|| Command::SaveDossierSettings(self.form.clone()))
    }
}

/// Draws the screen; returns where a click on a missing item leads, when it leaves the
/// screen.
pub fn dossier_ui(
    ui: &mut egui::Ui,
    state: &AppState,
    ds: &mut DossierState,
    commands: &mut Vec<Command>,
) -> Option<DossierJump> {
    let loaded = state.current.as_ref()?;
    let key = (loaded.record.id, state.generation);
    if ds.synced != Some(key) {
        if ds.synced.map(|(id, _)| id) != Some(loaded.record.id) || ds.form == ds.saved {
            ds.form = state.dossier_settings.clone();
        }
        ds.saved = state.dossier_settings.clone();
        ds.synced = Some(key);
    }
    ui.heading("Hồ sơ in (PDF)");
    // Everything under the heading scrolls as one: with the text scaled up, the two lists
    // at the bottom, each scrolled on its own, were left a few lines of height.
    egui::ScrollArea::vertical()
        .id_salt("ho_so_in")
        .auto_shrink([false, false])
        .show(ui, |ui| body(ui, state, ds, commands))
        .inner
}

/// The screen under its heading: the settings, the build and send rows, the documents
/// and what is missing.
fn body(
    ui: &mut egui::Ui,
    state: &AppState,
    ds: &mut DossierState,
    commands: &mut Vec<Command>,
) -> Option<DossierJump> {
    ui.label("Tập hồ sơ theo thể thức Nghị định 30/2020/NĐ-CP: bìa, mục lục, các văn bản, ảnh minh họa, danh mục minh chứng và các tệp minh chứng.");
    ui.add_space(6.0);
    super::walk::read_only_note(ui, state);
    previous_signer(ui, state, ds, commands);
    settings_grid(ui, state, ds, commands);
    ui.add_space(6.0);
    build_row(ui, state, commands);
    send_row(ui, state, ds, commands);
    ui.separator();
    let mut jump = None;
    let focus = ds.focus.take();
    super::design::two_columns(ui, |left, right| {
        signed_documents(left, state, focus.as_ref(), commands);
        jump = missing_items(right, state, ds, commands);
    });
    jump
}

/// Offers last year's signer, date and place while this year's are empty.
fn previous_signer(
    ui: &mut egui::Ui,
    state: &AppState,
    ds: &mut DossierState,
    commands: &mut Vec<Command>,
) {
    if let Some((year, previous)) = &state.previous_dossier
        && state.received.is_none()
        && ds.form.signer.is_empty()
        && ds.form.date.is_empty()
        && ds.form.place.is_empty()
        && ui
            .button(format!(
                "Dùng người ký, ngày ký, địa danh của hồ sơ năm {year} ({})",
                previous.signer
            ))
            .clicked()
    {
        let form = SettingsForm {
            template: ds.form.template.clone(),
            ..previous.clone()
        };
        ds.form = form.clone();
        commands.push(Command::SaveDossierSettings(form));
    }
}

/// Who signs, when, where, and the dossier template; saved when a field loses focus.
fn settings_grid(
    ui: &mut egui::Ui,
    state: &AppState,
    ds: &mut DossierState,
    commands: &mut Vec<Command>,
) {
    let mut commit = false;
    let focus = match ds.focus {
        Some(GapPlace::Signer | GapPlace::SigningDate | GapPlace::Template) => ds.focus.take(),
        _ => None,
    };
    let (level, _) = super::conditions::level_words(
        state
            .current
            .as_ref()
            .map_or(crate::domain::units::UnitKind::Commune, |c| c.unit.kind),
    );
    ui.scope(|ui| {
        if state.received.is_some() {
            ui.disable();
        }
        egui::Grid::new("thong_tin_ky")
            .num_columns(2)
            .min_col_width(140.0)
            .show(ui, |ui| {
                let mut field = |ui: &mut egui::Ui,
                                 label: &str,
                                 text: &mut String,
                                 hint: &str,
                                 wanted: bool| {
                    let r = super::design::FieldRow::new(label)
                        .hint(hint)
                        .width(260.0)
                        .show(ui, text);
                    if wanted {
                        r.request_focus();
                        r.scroll_to_me(Some(egui::Align::Center));
                    }
                    commit |= r.lost_focus();
                    ui.end_row();
                };
                field(
                    ui,
                    "Họ tên người ký",
                    &mut ds.form.signer,
                    &format!("Chủ tịch UBND {level}"),
                    focus == Some(GapPlace::Signer),
                );
                field(
                    ui,
                    "Ngày ký",
                    &mut ds.form.date,
                    super::design::DATE_HINT,
                    focus == Some(GapPlace::SigningDate),
                );
                field(
                    ui,
                    "Địa danh",
                    &mut ds.form.place,
                    &format!("mặc định: tên {level}"),
                    false,
                );
                if ds.templates.is_empty() {
                    ds.templates = crate::app::dossier::builtin_templates();
                }
                let l = ui.label("Mẫu hồ sơ");
                let auto = "Tự chọn theo năm và cấp hành chính".to_string();
                let shown = match ds.templates.iter().find(|(c, _)| *c == ds.form.template) {
                    Some((_, d)) => d.clone(),
                    None if ds.form.template.is_empty() => auto.clone(),
                    None => ds.form.template.clone(),
                };
                let combo = egui::ComboBox::from_id_salt("mau_ho_so")
                    .selected_text(shown)
                    .width(420.0)
                    .show_ui(ui, |ui| {
                        commit |= ui
                            .selectable_value(&mut ds.form.template, String::new(), auto)
                            .changed();
                        for (code, description) in &ds.templates {
                            commit |= ui
                                .selectable_value(&mut ds.form.template, code.clone(), description)
                                .changed();
                        }
                    })
                    .response
                    .labelled_by(l.id);
                if focus == Some(GapPlace::Template) {
                    combo.request_focus();
                    combo.scroll_to_me(Some(egui::Align::Center));
                }
                ui.end_row();
            });
    });
    if commit && ds.form != ds.saved {
        commands.push(Command::SaveDossierSettings(ds.form.clone()));
    }
}

/// «Tạo bản dự thảo…», «Tạo hồ sơ chính thức…» and the file last built.
fn build_row(ui: &mut egui::Ui, state: &AppState, commands: &mut Vec<Command>) {
    ui.horizontal(|ui| {
        if ui.button("Tạo bản dự thảo…").clicked()
            && let Some(path) = save_dialog(state, "du-thao")
        {
            commands.push(Command::BuildDossier {
                path,
                final_packet: false,
            });
        }
        let ready = state.dossier_missing.is_empty();
        if ui
            .add_enabled(ready, egui::Button::new("Tạo hồ sơ chính thức…"))
            .on_disabled_hover_text("Còn mục thiếu: xem danh sách bên dưới.")
            .clicked()
            && let Some(path) = save_dialog(state, "chinh-thuc")
        {
            commands.push(Command::BuildDossier {
                path,
                final_packet: true,
            });
        }
        if let Some(built) = &state.built {
            if ui
                .button("Mở tệp")
                .on_hover_text(built.display().to_string())
                .clicked()
            {
                commands.push(Command::OpenFile(built.clone()));
            }
            ui.label(format!(
                "Đã tạo {}",
                built
                    .file_name()
                    .map(|n| n.to_string_lossy().to_string())
                    .unwrap_or_default()
            ));
        }
    });
}

/// «Gửi hồ sơ…» with the rounds sent, and the question when items are missing.
fn send_row(
    ui: &mut egui::Ui,
    state: &AppState,
    ds: &mut DossierState,
    commands: &mut Vec<Command>,
) {
    ui.horizontal_wrapped(|ui| {
        if ui
            .button("Gửi hồ sơ…")
            .on_hover_text("Đóng gói đợt đánh giá (số liệu, minh chứng, thông tin hồ sơ) thành một tệp .ntm để gửi lên cấp trên, ví dụ lưu vào thẻ nhớ USB.")
            .clicked()
        {
            let preflight = crate::app::dossier::SendPreflight {
                missing: crate::app::dossier::gap_texts(&state.dossier_missing),
            };
            if preflight.is_complete() {
                if let Some(path) = bundle_dialog(state) {
                    commands.push(Command::ExportBundle(path));
                }
            } else {
                ds.confirm_send = Some(preflight);
            }
        }
        match state.submissions.last() {
            Some((round, at)) => ui.label(format!(
                "Đã gửi {} lần; lần {round} lúc {}. Sửa tiếp sẽ thành lần gửi {}.",
                state.submissions.len(),
                at.replace('T', " ").trim_end_matches('Z'),
                round + 1
            )),
            None => ui.label("Chưa gửi lần nào."),
        };
    });
    if let Some(preflight) = &ds.confirm_send {
        let mut close = false;
        super::design::warning_frame().show(ui, |ui| {
            ui.label(RichText::new(preflight.question()).color(verdict_color(Verdict::NotMet)));
            ui.horizontal(|ui| {
                if ui.button("Vẫn gửi…").clicked() {
                    close = true;
                    if let Some(path) = bundle_dialog(state) {
                        commands.push(Command::ExportBundle(path));
                    }
                }
                if ui.button("Để sau, bổ sung trước").clicked() {
                    close = true;
                }
            });
        });
        if close {
            ds.confirm_send = None;
        }
    }
}

/// The documents of the packet, each with its signed scan or the button to attach one.
fn signed_documents(
    ui: &mut egui::Ui,
    state: &AppState,
    focus: Option<&GapPlace>,
    commands: &mut Vec<Command>,
) {
    super::design::section_heading(ui, "Các văn bản trong tập hồ sơ");
    document_list(ui, state, focus, commands);
}

/// Each document of the packet with its signed scan or the button to attach one.
fn document_list(
    ui: &mut egui::Ui,
    state: &AppState,
    focus: Option<&GapPlace>,
    commands: &mut Vec<Command>,
) {
    if let Some(t) = &state.dossier_template {
        for d in &t.documents {
            ui.horizontal_wrapped(|ui| {
                ui.label(RichText::new(&d.toc_title).strong());
            });
            ui.horizontal_wrapped(|ui| {
                match state
                    .signed
                    .get(&d.key)
                    .and_then(|id| state.evidence.iter().find(|e| e.id == *id))
                {
                    Some(e) => {
                        ui.label(
                            RichText::new(format!("Bản đã ký: {} — {}", e.code, e.file_name))
                                .color(verdict_color(Verdict::Met)),
                        );
                        if ui.small_button("Bỏ bản đã ký").clicked() {
                            commands.push(Command::RemoveSigned(d.key.clone()));
                        }
                    }
                    None => {
                        let text = if d.needs_signed_original {
                            RichText::new("Bản dự thảo; cần bản đã ký để nộp chính thức")
                                .color(verdict_color(Verdict::MostlyMet))
                        } else {
                            RichText::new("Bản tạo từ dữ liệu")
                        };
                        ui.label(text);
                    }
                }
                let attach = ui.small_button("Gắn bản đã ký…");
                if focus == Some(&GapPlace::SignedOriginal(d.key.clone())) {
                    attach.request_focus();
                    attach.scroll_to_me(Some(egui::Align::Center));
                }
                if attach.clicked()
                    && let Some(path) = rfd::FileDialog::new()
                        .set_title(format!("Bản đã ký của «{}»", d.toc_title))
                        .add_filter("PDF hoặc ảnh", &["pdf", "jpg", "jpeg", "png"])
                        .pick_file()
                {
                    commands.push(Command::AttachSigned(d.key.clone(), path));
                }
            });
            ui.add_space(4.0);
        }
    }
}

/// What the final packet still lacks; each item is a link to its place: a criterion of
/// the walk-through, another screen, a field or a document of this screen, a unit.
fn missing_items(
    ui: &mut egui::Ui,
    state: &AppState,
    ds: &mut DossierState,
    commands: &mut Vec<Command>,
) -> Option<DossierJump> {
    if state.dossier_missing.is_empty() {
        ui.label(
            RichText::new("Đã đủ: có thể tạo hồ sơ chính thức.")
                .strong()
                .color(verdict_color(Verdict::Met)),
        );
        return None;
    }
    ui.label(
        RichText::new(format!(
            "Còn thiếu {} mục (bản in sẽ mang chữ «DỰ THẢO»)",
            state.dossier_missing.len()
        ))
        .strong()
        .color(verdict_color(Verdict::NotMet)),
    );
    let mut jump = None;
    for m in &state.dossier_missing {
        if !ui
            .link(format!("• {}", m.text))
            .on_hover_text("Mở chỗ bổ sung mục này")
            .clicked()
        {
            continue;
        }
        jump = match &m.place {
            GapPlace::Criterion { number, indicator } => {
                Some(DossierJump::Walk(super::dashboard::Jump {
                    criterion: *number,
                    indicator: indicator.clone(),
                }))
            }
            GapPlace::Conditions => Some(DossierJump::Screen(super::Screen::Conditions)),
            GapPlace::Overview => Some(DossierJump::Screen(super::Screen::Overview)),
            GapPlace::Catalogue => Some(DossierJump::Screen(super::Screen::Catalogue)),
            GapPlace::Unit(unit) => {
                commands.push(Command::SelectUnit(*unit));
                None
            }
            here => {
                ds.focus = Some(here.clone());
                None
            }
        };
    }
    jump
}

fn save_dialog(state: &AppState, suffix: &str) -> Option<std::path::PathBuf> {
    let name = state
        .current
        .as_ref()
        .map(|c| {
            format!(
                "ho-so-{}-{}-{suffix}.pdf",
                crate::domain::vn_text::fold(&c.unit.name).replace(' ', "-"),
                c.record.year
            )
        })
        .unwrap_or_else(|| format!("ho-so-{suffix}.pdf"));
    super::dialogs::save(
        "ho-so-pdf",
        rfd::FileDialog::new()
            .set_title("Lưu tập hồ sơ PDF")
            .set_file_name(name)
            .add_filter("PDF", &["pdf"]),
    )
}

fn bundle_dialog(state: &AppState) -> Option<std::path::PathBuf> {
    let name = state
        .current
        .as_ref()
        .map(|c| {
            format!(
                "goi-ho-so-{}-{}.ntm",
                crate::domain::vn_text::fold(&c.unit.name).replace(' ', "-"),
                c.record.year
            )
        })
        .unwrap_or_else(|| "goi-ho-so.ntm".into());
    super::dialogs::save(
        "goi-ho-so",
        rfd::FileDialog::new()
            .set_title("Lưu gói hồ sơ để gửi")
            .set_file_name(name)
            .add_filter("Gói hồ sơ NTM", &["ntm"]),
    )
}
