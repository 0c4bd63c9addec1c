//! The dossier settings of an assessment (place, date, signer…) and the signed
//! originals attached in place of generated drafts.

use super::template::*;
use crate::app::{AppError, AppResult};
use crate::domain::ids::AssessmentId;
use crate::domain::vn_text::{CivilDate, nfc};
use crate::store::Workspace;
use std::path::Path;

/// The settings a clerk fills in for the printed dossier.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SettingsForm {
    /// Name of the signer (Chủ tịch UBND xã).
    pub signer: String,
    /// Date of the documents, `dd/mm/yyyy`.
    pub date: String,
    /// Place name in the date line (địa danh); empty: the commune's name.
    pub place: String,
    /// Template code or file; empty: chosen by year and tree ([`template_for`]).
    pub template: String,
}

impl SettingsForm {
    /// The form showing stored settings.
    pub fn from_stored(s: &crate::store::DossierSettings) -> Self {
        Self {
            signer: s.get("nguoi_ky").cloned().unwrap_or_default(),
            date: s.date().map(|d| d.to_string()).unwrap_or_default(),
            place: s.get("dia_danh").cloned().unwrap_or_default(),
            template: s.get("mau").cloned().unwrap_or_default(),
        }
    }
}

/// The signer, date and place of the commune's last dossier (another assessment of the
/// same unit, latest year first), with its year: the defaults offered for a new one.
/// `None` when no other assessment of the unit has them.
pub fn previous_settings(
    ws: &Workspace,
    id: AssessmentId,
) -> AppResult<Option<(i32, SettingsForm)>> {
    let record = ws.require_assessment(id)?;
    let mut others: Vec<_> = ws
        .assessments()?
        .into_iter()
        .filter(|a| a.unit == record.unit && a.id != id)
        .collect();
    others.sort_by_key(|a| std::cmp::Reverse((a.year, a.id)));
    for a in others {
        let form = SettingsForm::from_stored(&ws.dossier_settings(a.id)?);
        if !(form.signer.is_empty() && form.date.is_empty() && form.place.is_empty()) {
            return Ok(Some((
                a.year,
                SettingsForm {
                    template: String::new(),
                    ..form
                },
            )));
        }
    }
    Ok(None)
}

/// The settings form of an assessment as stored.
pub fn settings(ws: &Workspace, id: AssessmentId) -> AppResult<SettingsForm> {
    Ok(SettingsForm::from_stored(&ws.dossier_settings(id)?))
}

/// Saves the settings after checking the date.
pub fn save_settings(ws: &mut Workspace, id: AssessmentId, form: &SettingsForm) -> AppResult<()> {
    ws.require_assessment(id)?;
    crate::app::received::refuse_edit(ws, id, "người ký, ngày ký và địa danh của tập hồ sơ")?;
    let date = match form.date.trim() {
        "" => String::new(),
        t => CivilDate::parse(t)
            .ok_or_else(|| {
                AppError::invalid(format!("Ngày ký «{t}» không hợp lệ (dạng ngày/tháng/năm)."))
            })?
            .iso(),
    };
    ws.set_dossier_setting(id, "nguoi_ky", &nfc(&form.signer))?;
    ws.set_dossier_setting(id, "ngay", &date)?;
    let chosen = form.template.trim();
    if !chosen.is_empty() && chosen != AUTO_TEMPLATE {
        template(chosen)?;
    }
    ws.set_dossier_setting(id, "dia_danh", &nfc(&form.place))?;
    ws.set_dossier_setting(id, "mau", if chosen == AUTO_TEMPLATE { "" } else { chosen })?;
    Ok(())
}

/// Adds a signed original (PDF or photo) and records it for a document of the template.
pub fn attach_signed(
    ws: &mut Workspace,
    id: AssessmentId,
    template: &Template,
    key: &str,
    file: &Path,
) -> AppResult<()> {
    crate::app::received::refuse_edit(ws, id, "bản đã ký của tập hồ sơ")?;
    let doc = template
        .documents
        .iter()
        .find(|d| d.key == key)
        .ok_or_else(|| {
            AppError::invalid(format!(
                "Mẫu hồ sơ không có tài liệu «{key}»; các tài liệu: {}.",
                template
                    .documents
                    .iter()
                    .map(|d| d.key.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ))
        })?;
    let media = crate::app::evidence::media_type(&file.to_string_lossy());
    if !(media == "application/pdf" || media == "image/jpeg" || media == "image/png") {
        return Err(AppError::invalid(format!(
            "Bản đã ký của «{}» phải là tệp PDF hoặc ảnh JPEG/PNG.",
            doc.toc_title
        )));
    }
    let added = crate::app::evidence::add_files(ws, id, &[], &[file])?;
    let (_, ev) = added
        .into_iter()
        .next()
        .ok_or_else(|| AppError::invalid("Không thêm được tệp."))?;
    ws.set_signed_original(id, key, Some(ev.id))?;
    Ok(())
}

/// Removes the signed original of a document (the draft is printed again).
pub fn remove_signed(ws: &mut Workspace, id: AssessmentId, key: &str) -> AppResult<()> {
    crate::app::received::refuse_edit(ws, id, "bản đã ký của tập hồ sơ")?;
    ws.set_signed_original(id, key, None)?;
    Ok(())
}
