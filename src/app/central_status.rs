//! `status --json` of a district or province: the status as for any assessment plus
//! `unit_conditions`, each computed condition with what it requires, what the data gives,
//! whether it is met and the communes or towns failing it.

use super::AppResult;
use super::assessment::Loaded;
use super::report::StatusJson;
use super::unit_conditions::evaluate_for;
use crate::domain::engine::UnitConditionStatus;
use crate::store::Workspace;
use serde::Serialize;

/// The computed conditions of a loaded assessment; `None` for a unit below the district.
pub fn evaluate(ws: &Workspace, loaded: &Loaded) -> AppResult<Option<Vec<UnitConditionStatus>>> {
    evaluate_for(
        ws,
        &loaded.unit,
        loaded.record.id,
        &loaded.edition,
        &loaded.status,
    )
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
