//! The quoted figures of one assessment, read from the workspace: its counts, its
//! start-of-year snapshot, and (for a district or a province) its communes beside the
//! whole province's. The sentences are made by [`super::figures`].

use super::figures::{self, CommuneFigure, Count, Standing};
use crate::app::assessment::Loaded;
use crate::app::report::{self, RollupFilter, RollupJson};
use crate::app::{AppResult, Workspace, units};
use crate::domain::ids::UnitId;
use crate::domain::recognition::{self, Recognition};
use crate::domain::units::{RecognitionTarget, UnitKind, UnitRecord};
use crate::domain::vn_text::{CivilDate, format_number};
use serde::Serialize;

/// What a report of the assessment quotes.
#[derive(Debug, Clone, Serialize)]
pub struct Quoted {
    /// «đạt 3/9 tiêu chí (33,3%) và 27/38 chỉ tiêu (71,1%), tăng 02 chỉ tiêu so với đầu năm».
    pub progress: String,
    /// A district's or province's communes: «14/15 xã đạt chuẩn nông thôn mới (93,33%),
    /// bình quân 18,87 tiêu chí/xã».
    pub communes: Option<String>,
    /// A district beside its province: «tỷ lệ xã đạt chuẩn NTM, tỷ lệ tiêu chí NTM đã
    /// đạt/xã đều cao hơn bình quân chung của cả tỉnh (…)».
    pub against_province: Option<String>,
}

/// The communes under a district or a province, and the province's beside them.
#[derive(Debug, Clone)]
pub struct Communes {
    /// The roll-up of the unit's communes (their latest assessments).
    pub rollup: RollupJson,
    /// Every recognition decision of the workspace.
    pub recognitions: Vec<Recognition>,
    /// The unit's communes summed up.
    pub standing: Standing,
    /// The whole province's (a district only).
    pub province: Option<Standing>,
}

/// The indicators met at the start of `today`'s year, when a snapshot from before today
/// says so (an assessment followed only since today has nothing to compare with).
pub(crate) fn indicators_at_year_start(
    ws: &Workspace,
    loaded: &Loaded,
    today: CivilDate,
) -> AppResult<Option<u32>> {
    let id = loaded.record.id;
    if ws.first_snapshot_day(id)?.as_deref() == Some(today.iso().as_str()) {
        return Ok(None);
    }
    Ok(ws
        .snapshot_at_year_start(id, today.year)?
        .map(|s| s.indicators_met))
}

/// The province above a unit (none for a province itself or a unit without one).
fn province_above(all: &[UnitRecord], unit: &UnitRecord) -> Option<UnitId> {
    let mut at = unit.parent;
    for _ in 0..=units::MAX_TREE_DEPTH {
        let u = at.and_then(|i| all.iter().find(|u| u.id == i))?;
        if u.kind == UnitKind::Province {
            return Some(u.id);
        }
        at = u.parent;
    }
    None
}

/// The communes of a roll-up as the shares count them: recognised NTM by a decision in
/// force; criteria met in their latest assessment on the roll-up's edition.
fn figures_of(r: &RollupJson, recognitions: &[Recognition]) -> Vec<CommuneFigure> {
    r.communes
        .iter()
        .map(|c| CommuneFigure {
            recognised: recognition::in_force(recognitions, UnitId(c.unit), RecognitionTarget::Ntm)
                .is_some(),
            criteria_met: c.criteria_met,
        })
        .collect()
}

/// The communes of a district or a province (`None` for other units).
pub fn communes(
    ws: &Workspace,
    unit: &UnitRecord,
    today: CivilDate,
) -> AppResult<Option<Communes>> {
    if !matches!(unit.kind, UnitKind::District | UnitKind::Province) {
        return Ok(None);
    }
    let recognitions = ws.recognitions()?;
    let rollup = report::rollup_with(ws, unit.id, &RollupFilter::default(), today)?;
    let standing = figures::standing(&figures_of(&rollup, &recognitions));
    let province = match province_above(&ws.units()?, unit) {
        Some(p) => {
            let r = report::rollup_with(ws, p, &RollupFilter::default(), today)?;
            Some(figures::standing(&figures_of(&r, &recognitions)))
        }
        None => None,
    };
    Ok(Some(Communes {
        rollup,
        recognitions,
        standing,
        province,
    }))
}

/// «14/15 xã đạt chuẩn nông thôn mới (93,33%), bình quân 18,87 tiêu chí/xã».
pub fn communes_sentence(s: &Standing) -> String {
    format!(
        "{}/{} xã đạt chuẩn nông thôn mới ({}%), bình quân {} tiêu chí/xã",
        s.recognised,
        s.communes,
        format_number(s.share_percent, 2),
        format_number(s.average_criteria, 2)
    )
}

/// The progress sentence of a loaded assessment.
pub fn progress(ws: &Workspace, loaded: &Loaded, today: CivilDate) -> AppResult<String> {
    let st = &loaded.status;
    Ok(figures::progress_sentence(
        Count {
            met: st.criteria_met,
            total: st.criteria_total,
        },
        Count {
            met: st.indicators_met,
            total: st.indicators_total,
        },
        indicators_at_year_start(ws, loaded, today)?,
    ))
}

/// The figures of one loaded assessment on `today`.
pub fn quoted(ws: &Workspace, loaded: &Loaded, today: CivilDate) -> AppResult<Quoted> {
    let c = communes(ws, &loaded.unit, today)?;
    Ok(Quoted {
        progress: progress(ws, loaded, today)?,
        communes: c.as_ref().map(|c| communes_sentence(&c.standing)),
        against_province: c.as_ref().and_then(|c| {
            c.province
                .as_ref()
                .map(|p| figures::comparison_sentence(&c.standing, p))
        }),
    })
}

/// The lines of the status text: «Số liệu báo cáo: đạt …», then the communes and the
/// comparison with the province when there are.
pub fn quoted_lines(q: &Quoted) -> Vec<String> {
    let mut out = vec![format!("Số liệu báo cáo: {}.", q.progress)];
    if let Some(c) = &q.communes {
        out.push(format!("Các xã trên địa bàn: {c}."));
    }
    if let Some(p) = &q.against_province {
        out.push(format!("So với cả tỉnh: {p}."));
    }
    out
}
