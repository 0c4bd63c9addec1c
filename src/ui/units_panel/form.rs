//! The add/edit unit form of the left panel: name, level, parent and official code, then
//! the region (province) or the commune's group and flags, and the save/cancel buttons that
//! push the command. It edits only the panel's draft; the change is made where commands
//! are handled.

use super::Drafts;
use crate::app::state::{AppState, Command};
use crate::app::units::{UnitForm, display_name};
use crate::domain::ids::UnitId;
use crate::domain::units::UnitRecord;
use crate::domain::units::{CommuneGroup, Region, UnitFlag, UnitKind};

pub(super) fn unit_form(
    ui: &mut egui::Ui,
    state: &AppState,
    drafts: &mut Drafts,
    editing: Option<UnitId>,
    commands: &mut Vec<Command>,
) {
    ui.strong(match editing {
        None => "Thêm đơn vị".to_string(),
        Some(id) => format!("Sửa {}", state.unit_title(id)),
    });
    let form = &mut drafts.form;
    egui::Grid::new("them_don_vi")
        .num_columns(2)
        .show(ui, |ui| {
            identity_rows(ui, state, form, editing);
            let kind = UnitKind::from_code(&form.kind).unwrap_or(UnitKind::Commune);
            if kind != UnitKind::Village {
                region_row(ui, form);
            }
            // The commune group and the flags key a commune's thresholds only: a
            // province or district form does not ask for them.
            if kind == UnitKind::Commune {
                commune_rows(ui, form);
            }
        });
    let kind = UnitKind::from_code(&form.kind).unwrap_or(UnitKind::Commune);
    if kind == UnitKind::Commune {
        egui::CollapsingHeader::new("Cách xác định vùng và nhóm xã")
            .id_salt("giai_thich_nhom")
            .show(ui, |ui| {
                let note = |ui: &mut egui::Ui, text: &str| {
                    ui.label(
                        egui::RichText::new(text)
                            .small()
                            .color(crate::ui::design::MUTED_TEXT),
                    );
                };
                note(ui, crate::app::units::GROUP_RULE);
                note(ui, crate::app::units::REGION_RULE);
                // The differences the choice makes, for the edition of the selected
                // assessment (else the default one).
                let edition = state.current.as_ref().map(|c| &c.edition).or_else(|| {
                    state
                        .parsed_editions
                        .iter()
                        .find(|e| e.code.as_str() == crate::app::catalog::DEFAULT_EDITION)
                });
                if let Some(edition) = edition {
                    note(ui, &crate::app::units::segment_differences(edition));
                }
            });
    }
    let former: Vec<&UnitRecord> = state
        .units
        .iter()
        .filter(|u| u.kind == kind && Some(u.id) != editing)
        .collect();
    if !former.is_empty() {
        egui::CollapsingHeader::new(format!("Sáp nhập từ ({} đơn vị)", form.merged_from.len()))
            .id_salt("sap_nhap_tu")
            .show(ui, |ui| {
                egui::ScrollArea::vertical()
                    .id_salt("sap_nhap_ds")
                    .max_height(120.0)
                    .show(ui, |ui| {
                        for u in former {
                            let id = u.id.to_string();
                            let mut on = form.merged_from.contains(&id);
                            if ui.checkbox(&mut on, display_name(u)).changed() {
                                form.merged_from.retain(|m| *m != id);
                                if on {
                                    form.merged_from.push(id);
                                }
                            }
                        }
                    });
            });
    }
    ui.horizontal(|ui| {
        if ui.button("Lưu đơn vị").clicked() {
            let mut form = form.clone();
            if kind != UnitKind::Commune {
                // Hidden fields are not saved behind the clerk's back.
                form.group.clear();
                form.flags.clear();
            }
            commands.push(match editing {
                None => Command::AddUnit(form),
                Some(id) => Command::UpdateUnit(id, form),
            });
            drafts.open = None;
        }
        if ui.button("Hủy").clicked() {
            drafts.open = None;
        }
    });
}

/// Name, level, parent and official code of the unit being added or edited.
fn identity_rows(
    ui: &mut egui::Ui,
    state: &AppState,
    form: &mut UnitForm,
    editing: Option<UnitId>,
) {
    let l = ui.label("Tên đơn vị");
    ui.text_edit_singleline(&mut form.name).labelled_by(l.id);
    ui.end_row();
    let l = ui.label("Cấp");
    let kind = UnitKind::from_code(&form.kind).unwrap_or(UnitKind::Commune);
    egui::ComboBox::from_id_salt("cap_don_vi")
        .selected_text(kind.label())
        .show_ui(ui, |ui| {
            for k in UnitKind::ALL {
                ui.selectable_value(&mut form.kind, k.code().to_string(), k.label());
            }
        })
        .response
        .labelled_by(l.id);
    ui.end_row();
    let l = ui.label("Trực thuộc");
    let parent_name = form
        .parent
        .parse::<i64>()
        .ok()
        .and_then(|p| state.units.iter().find(|u| u.id.0 == p))
        .map_or("(không)".to_string(), display_name);
    egui::ComboBox::from_id_salt("truc_thuoc")
        .selected_text(parent_name)
        .show_ui(ui, |ui| {
            ui.selectable_value(&mut form.parent, String::new(), "(không)");
            for u in state
                .units
                .iter()
                .filter(|u| u.kind != UnitKind::Village && Some(u.id) != editing)
            {
                ui.selectable_value(&mut form.parent, u.id.to_string(), display_name(u));
            }
        })
        .response
        .labelled_by(l.id);
    ui.end_row();
    let l = ui.label("Mã đơn vị");
    ui.text_edit_singleline(&mut form.official_code)
        .labelled_by(l.id);
    ui.end_row();
}

/// The socio-economic region («(theo tỉnh)»: the province's).
fn region_row(ui: &mut egui::Ui, form: &mut UnitForm) {
    let l = ui.label("Vùng");
    let region = Region::from_code(&form.region).map_or("(theo tỉnh)", |r| r.label());
    egui::ComboBox::from_id_salt("vung")
        .selected_text(region)
        .show_ui(ui, |ui| {
            ui.selectable_value(&mut form.region, String::new(), "(theo tỉnh)");
            for r in Region::ALL {
                ui.selectable_value(&mut form.region, r.code().to_string(), r.label());
            }
        })
        .response
        .labelled_by(l.id);
    ui.end_row();
}

/// The commune group and the flags that change a commune's thresholds.
fn commune_rows(ui: &mut egui::Ui, form: &mut UnitForm) {
    let l = ui.label("Nhóm xã");
    let group = CommuneGroup::from_code(&form.group).map_or("(chưa xác định)", |g| g.label());
    egui::ComboBox::from_id_salt("nhom_xa")
        .selected_text(group)
        .show_ui(ui, |ui| {
            ui.selectable_value(&mut form.group, String::new(), "(chưa xác định)");
            for g in CommuneGroup::ALL {
                ui.selectable_value(&mut form.group, g.code().to_string(), g.label());
            }
        })
        .response
        .labelled_by(l.id);
    ui.end_row();
    ui.label("Diện");
    ui.vertical(|ui| {
        for flag in UnitFlag::ALL {
            let mut on = form.flags.iter().any(|f| f == flag.code());
            if ui.checkbox(&mut on, flag.label()).changed() {
                form.flags.retain(|f| f != flag.code());
                if on {
                    form.flags.push(flag.code().to_string());
                }
            }
        }
    });
    ui.end_row();
}
