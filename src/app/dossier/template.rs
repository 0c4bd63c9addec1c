//! The dossier templates: the list of documents and their official wording, read from
//! `templates/dossier/` (built in) or a file, and which one an assessment uses.

use crate::app::{AppError, AppResult};
use crate::domain::ids::AssessmentId;
use crate::domain::units::UnitKind;
use crate::store::Workspace;
use serde::Deserialize;

pub(super) const BUILTIN: &[(&str, &str)] = &[
    ("xa", include_str!("../../../templates/dossier/xa.toml")),
    (
        "xa-truoc-2025",
        include_str!("../../../templates/dossier/xa-truoc-2025.toml"),
    ),
    (
        "huyen",
        include_str!("../../../templates/dossier/huyen.toml"),
    ),
    ("tinh", include_str!("../../../templates/dossier/tinh.toml")),
];

/// The template used when none is chosen: see [`template_for`].
pub const DEFAULT_TEMPLATE: &str = "xa";

/// "Choose for me": the built-in template that fits the assessment.
pub const AUTO_TEMPLATE: &str = "tu-dong";

/// The built-in templates: code and title.
pub fn builtin_templates() -> Vec<(String, String)> {
    BUILTIN
        .iter()
        .filter_map(|(code, text)| {
            toml::from_str::<Template>(text)
                .ok()
                .map(|t| (code.to_string(), t.description))
        })
        .collect()
}

/// The template an assessment uses: the one chosen on the dossier screen, else the one of
/// its unit's level (a district's or a province's dossier for central appraisal), else
/// the procedure in force for its year and tree (a commune under a district, assessed for
/// 2025 or earlier, files through the district; otherwise straight to the province).
pub fn template_for(ws: &Workspace, id: AssessmentId) -> AppResult<Template> {
    if let Some(chosen) = ws
        .dossier_settings(id)?
        .get("mau")
        .filter(|c| !c.is_empty())
    {
        return template(chosen);
    }
    let record = ws.require_assessment(id)?;
    let units = ws.units()?;
    match units.iter().find(|u| u.id == record.unit).map(|u| u.kind) {
        Some(UnitKind::District) => return template("huyen"),
        Some(UnitKind::Province) => return template("tinh"),
        _ => {}
    }
    let mut under_district = false;
    let mut at = units
        .iter()
        .find(|u| u.id == record.unit)
        .and_then(|u| u.parent);
    while let Some(u) = at.and_then(|i| units.iter().find(|u| u.id == i)) {
        under_district |= u.kind == UnitKind::District;
        at = u.parent;
    }
    template(if under_district && record.year <= 2025 {
        "xa-truoc-2025"
    } else {
        DEFAULT_TEMPLATE
    })
}

/// A template by code or file, or the one fitting the assessment for [`AUTO_TEMPLATE`].
pub fn resolve_template(
    ws: &Workspace,
    id: AssessmentId,
    code_or_path: &str,
) -> AppResult<Template> {
    if code_or_path == AUTO_TEMPLATE {
        template_for(ws, id)
    } else {
        template(code_or_path)
    }
}

/// A dossier template: the documents of a packet and their fixed wording.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Template {
    /// Code.
    pub code: String,
    /// Level of the units it is for (`xa`).
    pub level: String,
    /// What it is for, shown when choosing.
    pub description: String,
    /// Cover title.
    pub title: String,
    /// Governing body in the header.
    #[serde(default)]
    pub parent_body: String,
    /// Issuing body.
    pub issuer: String,
    /// Signature lines.
    pub signature: Vec<String>,
    /// Documents in order.
    pub documents: Vec<DocTemplate>,
}

/// One document of a template.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DocTemplate {
    /// Stable key (used for signed originals).
    pub key: String,
    /// Name in the table of contents.
    pub toc_title: String,
    /// TỜ TRÌNH, BÁO CÁO, BIÊN BẢN.
    pub kind: String,
    /// Abbreviation in the number, e.g. `TTr-UBND`.
    pub abbreviation: String,
    /// Subject.
    pub subject: String,
    /// Addressees.
    #[serde(default)]
    pub addressees: Vec<String>,
    /// Paragraphs; `## ` starts a heading; `{bang_ket_qua}`, `{bang_xa}` and
    /// `{dieu_kien}` alone insert the results table, the communes table (a district or a
    /// province) and the conditions.
    pub body: Vec<String>,
    /// Recipients.
    #[serde(default)]
    pub recipients: Vec<String>,
    /// The final packet needs the signed original scanned back in.
    #[serde(default)]
    pub needs_signed_original: bool,
    /// Overrides of the template's header and signature.
    #[serde(default)]
    pub parent_body: Option<String>,
    /// Issuer override.
    #[serde(default)]
    pub issuer: Option<String>,
    /// Signature override.
    #[serde(default)]
    pub signature: Option<Vec<String>>,
    /// A second signature beside the first, e.g. `["THƯ KÝ"]` on minutes.
    #[serde(default)]
    pub second_signature: Option<Vec<String>>,
    /// `false`: the signer's name is left blank (another body signs it, e.g. the
    /// province's tờ trình in a district's dossier). Absent: printed.
    #[serde(default)]
    pub signer_name: Option<bool>,
}

/// Reads a template by built-in code or from a TOML file.
pub fn template(code_or_path: &str) -> AppResult<Template> {
    let text = match BUILTIN.iter().find(|(c, _)| *c == code_or_path) {
        Some((_, t)) => (*t).to_string(),
        None => std::fs::read_to_string(code_or_path).map_err(|e| {
            AppError::new(
                format!("Không có mẫu hồ sơ «{code_or_path}»."),
                format!(
                    "Dùng mẫu có sẵn ({}) hoặc đường dẫn một tệp .toml.",
                    BUILTIN
                        .iter()
                        .map(|(c, _)| *c)
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            )
            .with_details([crate::app::io_words(&e)])
        })?,
    };
    let t: Template = toml::from_str(&text).map_err(|e| {
        AppError::new(
            format!("Mẫu hồ sơ «{code_or_path}» có lỗi."),
            "Hãy sửa tệp mẫu theo templates/dossier/README.md.",
        )
        .with_details([e.to_string()])
    })?;
    if t.documents.is_empty() {
        return Err(AppError::invalid(format!(
            "Mẫu hồ sơ «{code_or_path}» không có tài liệu nào."
        )));
    }
    Ok(t)
}
