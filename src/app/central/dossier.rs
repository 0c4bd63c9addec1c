//! What the dossier of a district or a province adds to the commune's: the table of its
//! communes (each with its recognition decision and criteria met), the quoted figures as
//! template fields (`{don_vi}`, `{so_lieu}`, `{so_sanh_tinh}`, `{so_xa}`,
//! `{so_xa_dat_chuan}`, `{ty_le_xa_dat_chuan}`, `{binh_quan_tieu_chi}`) and the missing
//! recognition decisions for the checklist.

use super::figures;
use super::quoted::{self, Communes};
use crate::app::assessment::Loaded;
use crate::app::report::RollupJson;
use crate::app::{AppResult, Workspace, units};
use crate::domain::ids::UnitId;
use crate::domain::recognition::{self, Recognition};
use crate::domain::units::RecognitionTarget;
use crate::domain::vn_text::{CivilDate, format_number};
use crate::pdf::Table;

/// The central-appraisal part of a district's or province's dossier.
#[derive(Debug, Clone)]
pub struct Central {
    /// Template fields and their values.
    pub vars: Vec<(&'static str, String)>,
    /// The communes table (`{bang_xa}`).
    pub communes_table: Table,
    /// What the checklist adds: communes without a recognition decision in force.
    pub missing: Vec<String>,
}

/// «123/QĐ-UBND ngày 15/12/2024», or why there is none.
fn decision_cell(recognitions: &[Recognition], unit: UnitId) -> String {
    if let Some(r) = recognition::in_force(recognitions, unit, RecognitionTarget::Ntm) {
        return format!("{} ngày {}", r.decision, r.decided_on);
    }
    let revoked = recognitions
        .iter()
        .filter(|r| r.unit == unit && r.target == RecognitionTarget::Ntm && r.revoked)
        .max_by_key(|r| r.decided_on);
    match revoked {
        Some(r) => format!("Đã thu hồi ({} ngày {})", r.decision, r.decided_on),
        None => "Chưa có quyết định".to_string(),
    }
}

/// The table of the communes: name, recognition decision, criteria met.
fn communes_table(r: &RollupJson, recognitions: &[Recognition]) -> Table {
    let mut rows = Vec::new();
    for c in &r.communes {
        let criteria = if c.assessment.is_some() {
            format!("{}/{}", c.criteria_met, c.criteria_total)
        } else {
            "Chưa có đánh giá".to_string()
        };
        rows.push(vec![
            (rows.len() + 1).to_string(),
            c.name.clone(),
            decision_cell(recognitions, UnitId(c.unit)),
            criteria,
        ]);
    }
    for c in &r.other_editions {
        rows.push(vec![
            (rows.len() + 1).to_string(),
            c.name.clone(),
            decision_cell(recognitions, UnitId(c.unit)),
            format!("Đánh giá theo {}", c.edition_title),
        ]);
    }
    Table {
        shares: vec![0.08, 0.32, 0.40, 0.20],
        header: [
            "TT",
            "Xã",
            "Quyết định công nhận đạt chuẩn NTM (số, ngày)",
            "Tiêu chí đạt",
        ]
        .map(String::from)
        .to_vec(),
        rows,
        bold_rows: Vec::new(),
    }
}

/// Communes without a recognition decision in force, as checklist items.
fn missing_decisions(r: &RollupJson, recognitions: &[Recognition]) -> Vec<String> {
    missing_decisions_by_unit(r, recognitions)
        .into_iter()
        .map(|(_, text)| text)
        .collect()
}

/// The communes without a recognition decision in force, each with its unit.
fn missing_decisions_by_unit(
    r: &RollupJson,
    recognitions: &[Recognition],
) -> Vec<(UnitId, String)> {
    r.communes
        .iter()
        .map(|c| (c.unit, &c.name))
        .chain(r.other_editions.iter().map(|c| (c.unit, &c.name)))
        .filter(|(unit, _)| {
            recognition::in_force(recognitions, UnitId(*unit), RecognitionTarget::Ntm).is_none()
        })
        .map(|(unit, name)| {
            (UnitId(unit), format!(
                "{name} chưa có quyết định công nhận đạt chuẩn nông thôn mới còn hiệu lực: ghi bằng «unit recognize {unit} --target ntm --decision … --date …» hoặc trên màn hình đơn vị."
            ))
        })
        .collect()
}

/// The template fields of a district's or province's dossier.
fn vars(
    ws: &Workspace,
    loaded: &Loaded,
    c: &Communes,
    today: CivilDate,
) -> AppResult<Vec<(&'static str, String)>> {
    let unit = &loaded.unit;
    let don_vi = format!(
        "{} {}",
        unit.kind.label().to_lowercase(),
        units::strip_kind(&unit.name, unit.kind)
    );
    let comparison = c
        .province
        .as_ref()
        .map(|p| figures::comparison_sentence(&c.standing, p))
        .unwrap_or_default();
    Ok(vec![
        ("DON_VI", don_vi.to_uppercase()),
        ("don_vi", don_vi),
        ("so_lieu", quoted::progress(ws, loaded, today)?),
        ("so_sanh_tinh", comparison),
        ("so_xa", c.standing.communes.to_string()),
        ("so_xa_dat_chuan", c.standing.recognised.to_string()),
        (
            "ty_le_xa_dat_chuan",
            format!("{}%", format_number(c.standing.share_percent, 2)),
        ),
        (
            "binh_quan_tieu_chi",
            format_number(c.standing.average_criteria, 2),
        ),
    ])
}

/// The part a district's or a province's dossier adds; `None` for other units.
pub fn read(ws: &Workspace, loaded: &Loaded, today: CivilDate) -> AppResult<Option<Central>> {
    let Some(c) = quoted::communes(ws, &loaded.unit, today)? else {
        return Ok(None);
    };
    Ok(Some(Central {
        vars: vars(ws, loaded, &c, today)?,
        communes_table: communes_table(&c.rollup, &c.recognitions),
        missing: missing_decisions(&c.rollup, &c.recognitions),
    }))
}

/// The checklist items only (the screens refresh them with the rest of the checklist).
pub fn missing(
    ws: &Workspace,
    loaded: &Loaded,
    today: CivilDate,
) -> AppResult<Vec<(UnitId, String)>> {
    Ok(quoted::communes(ws, &loaded.unit, today)?
        .map(|c| missing_decisions_by_unit(&c.rollup, &c.recognitions))
        .unwrap_or_default())
}
