//! The computed conditions of a district's or province's assessment (`[[conditions.computed]]`
//! of its edition), from the communes and towns under it as stored: their recognition
//! decisions and survey results, and the assessment's own survey and criteria. Folded
//! into the assessment's status when it loads; their JSON is in [`super::central_status`].

use super::AppResult;
use crate::domain::catalog::Edition;
use crate::domain::engine::{
    AssessmentStatus, MissingItem, MissingKind, UnitConditionStatus, UnitConditionsInput,
    assess_unit_conditions,
};
use crate::domain::ids::AssessmentId;
use crate::domain::units::{UnitKind, UnitRecord};
use crate::store::Workspace;
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

/// The computed conditions of an assessment of `unit` (its edition and status already
/// computed); `None` for a unit below the district.
pub fn evaluate_for(
    ws: &Workspace,
    unit: &UnitRecord,
    assessment: AssessmentId,
    edition: &Edition,
    status: &AssessmentStatus,
) -> AppResult<Option<Vec<UnitConditionStatus>>> {
    if !applies_to(unit) {
        return Ok(None);
    }
    let below = units_below(ws, unit)?;
    let recognitions = ws.recognitions()?;
    let surveys = ws.survey_results()?;
    let own = ws.conditions(assessment)?;
    let own_survey = own.households_surveyed.zip(own.households_satisfied);
    let expected = edition.criteria_expected.map_or(0, |n| n as usize);
    let input = UnitConditionsInput {
        units_below: &below,
        recognitions: &recognitions,
        surveys: &surveys,
        own_survey,
        own_criteria: (status.criteria_met, status.criteria_total.max(expected)),
    };
    Ok(Some(assess_unit_conditions(
        &edition.conditions.computed,
        &input,
    )))
}

/// Folds a district's or province's computed conditions into its status: each one not
/// met is missing (as a condition), and the unit is eligible only when all are met.
pub fn fold_into(
    ws: &Workspace,
    unit: &UnitRecord,
    assessment: AssessmentId,
    edition: &Edition,
    status: &mut AssessmentStatus,
) -> AppResult<()> {
    let Some(all) = evaluate_for(ws, unit, assessment, edition, status)? else {
        return Ok(());
    };
    for c in all.iter().filter(|c| !c.met) {
        status.missing.push(MissingItem {
            kind: MissingKind::Condition,
            criterion: None,
            indicator: None,
            message: format!("{}: {} (yêu cầu {})", c.text, c.actual, c.required),
        });
    }
    status.eligible &= all.iter().all(|c| c.met);
    Ok(())
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
