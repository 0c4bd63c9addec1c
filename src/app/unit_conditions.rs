//! The computed conditions of a district's or province's assessment (`[[conditions.computed]]`
//! of its edition), from the communes and towns under it as stored: their recognition
//! decisions and survey results, and the assessment's own survey and criteria. Shown by
//! `status --json` (`unit_conditions`) and on the dashboard.

use super::AppResult;
use super::assessment::Loaded;
use super::report::StatusJson;
use crate::domain::engine::{
    MissingItem, MissingKind, UnitConditionStatus, UnitConditionsInput, assess_unit_conditions,
};
use crate::domain::units::{UnitKind, UnitRecord};
use crate::store::Workspace;
use serde::Serialize;
use std::collections::HashSet;

/// Whether a unit is assessed on computed conditions (a district or a province).
pub fn applies_to(unit: &UnitRecord) -> bool {
    matches!(unit.kind, UnitKind::District | UnitKind::Province)
}

/// The communes and towns under `unit` today: former units merged into another are left
/// out (their decisions are history).
pub fn units_below(ws: &Workspace, unit: &UnitRecord) -> AppResult<Vec<UnitRecord>> {
    let all = ws.units()?;
    let former: HashSet<_> = all
        .iter()
        .flat_map(|u| u.merged_from.iter().copied())
        .collect();
    let mut below: Vec<UnitRecord> = ws
        .subtree(unit.id)?
        .into_iter()
        .filter(|u| matches!(u.kind, UnitKind::Commune | UnitKind::Town))
        .filter(|u| !former.contains(&u.id))
        .collect();
    below.sort_by(|a, b| crate::domain::vn_text::vn_cmp(&a.name, &b.name));
    Ok(below)
}

/// The computed conditions of a loaded assessment; `None` for a unit below the district.
pub fn evaluate(ws: &Workspace, loaded: &Loaded) -> AppResult<Option<Vec<UnitConditionStatus>>> {
    if !applies_to(&loaded.unit) {
        return Ok(None);
    }
    let below = units_below(ws, &loaded.unit)?;
    let recognitions = ws.recognitions()?;
    let surveys = ws.survey_results()?;
    let own = ws.conditions(loaded.record.id)?;
    let own_survey = own.households_surveyed.zip(own.households_satisfied);
    let expected = loaded.edition.criteria_expected.map_or(0, |n| n as usize);
    let st = &loaded.status;
    let input = UnitConditionsInput {
        units_below: &below,
        recognitions: &recognitions,
        surveys: &surveys,
        own_survey,
        own_criteria: (st.criteria_met, st.criteria_total.max(expected)),
    };
    Ok(Some(assess_unit_conditions(
        &loaded.edition.conditions.computed,
        &input,
    )))
}

/// Folds a district's or province's computed conditions into its status: each one not
/// met is missing (as a condition), and the unit is eligible only when all are met.
pub fn fold_into(ws: &Workspace, loaded: &mut Loaded) -> AppResult<()> {
    let Some(all) = evaluate(ws, loaded)? else {
        return Ok(());
    };
    for c in all.iter().filter(|c| !c.met) {
        loaded.status.missing.push(MissingItem {
            kind: MissingKind::Condition,
            criterion: None,
            indicator: None,
            message: format!("{}: {} (yêu cầu {})", c.text, c.actual, c.required),
        });
    }
    loaded.status.eligible &= all.iter().all(|c| c.met);
    Ok(())
}

/// A commune or town that fails a condition.
#[derive(Debug, Serialize)]
pub struct FailingUnitJson {
    /// Unit id in this workspace.
    pub id: i64,
    /// Official code, when entered.
    pub code: Option<String>,
    /// Name as shown («Xã Cẩm Bình»).
    pub name: String,
}

/// One computed condition in `status --json`.
#[derive(Debug, Serialize)]
pub struct UnitConditionJson {
    /// The condition in the decision's words.
    pub text: String,
    /// What is required.
    pub required: String,
    /// What the data gives.
    pub actual: String,
    /// Whether it is met.
    pub met: bool,
    /// The communes or towns failing it.
    pub failing: Vec<FailingUnitJson>,
    /// Checked against the legal text.
    pub verified: bool,
    /// Legal source.
    pub source: String,
}

impl UnitConditionJson {
    /// The JSON form of an evaluated condition.
    pub fn from_status(s: &UnitConditionStatus) -> Self {
        Self {
            text: s.text.clone(),
            required: s.required.clone(),
            actual: s.actual.clone(),
            met: s.met,
            failing: s
                .failing
                .iter()
                .map(|u| FailingUnitJson {
                    id: u.id.0,
                    code: u.official_code.clone(),
                    name: super::units::display_name(u),
                })
                .collect(),
            verified: s.verified,
            source: s.source.clone(),
        }
    }
}

/// `status --json`: the status, plus `unit_conditions` for a district or province.
#[derive(Debug, Serialize)]
pub struct StatusWithUnitConditions {
    /// The status as for any assessment.
    #[serde(flatten)]
    pub status: StatusJson,
    /// The computed conditions (districts and provinces only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unit_conditions: Option<Vec<UnitConditionJson>>,
}

/// Builds `status --json` for a loaded assessment.
pub fn status_json(ws: &Workspace, loaded: &Loaded) -> AppResult<StatusWithUnitConditions> {
    Ok(StatusWithUnitConditions {
        status: super::report::status_json(loaded),
        unit_conditions: evaluate(ws, loaded)?
            .map(|all| all.iter().map(UnitConditionJson::from_status).collect()),
    })
}

/// Text lines for `status` and the screen: «Đạt/Chưa đạt — text: actual (yêu cầu …)»,
/// with the failing units.
pub fn text_lines(all: &[UnitConditionStatus]) -> Vec<String> {
    all.iter()
        .map(|c| {
            let verdict = if c.met { "Đạt" } else { "Chưa đạt" };
            let failing = if c.failing.is_empty() {
                String::new()
            } else {
                format!(
                    "; chưa đạt: {}",
                    c.failing
                        .iter()
                        .map(super::units::display_name)
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            };
            format!(
                "{verdict} — {}: {} (yêu cầu {}){failing}",
                c.text, c.actual, c.required
            )
        })
        .collect()
}
