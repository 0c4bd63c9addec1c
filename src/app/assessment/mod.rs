//! Assessments: creating one (pinned to the edition content of the day), validating the
//! values a user enters for an indicator, and computing the full status with the engine.

mod values;

pub use values::{
    Preview, ValueDetails, ValueForm, computed_verdict, parse_verdict, preview_value, save_value,
    validate_value,
};

use super::{AppError, AppResult, catalog, units};
use crate::domain::catalog::{Edition, Indicator, IndicatorKind};
use crate::domain::engine::{
    AssessmentInput, AssessmentStatus, ConditionsInput, IndicatorInput, ManualVerdict, Measured,
    Posting, assess,
};
use crate::domain::ids::{AssessmentId, UnitId};
use crate::domain::units::Target;
use crate::domain::vn_text::CivilDate;
use crate::store::{AssessmentRecord, UnitRecord, ValueRecord, Workspace};
use std::collections::HashMap;

/// Creates an assessment after checking that the edition fits the unit and target.
pub fn create(
    ws: &mut Workspace,
    unit: UnitId,
    edition_code: &str,
    target: &str,
    year: i32,
) -> AppResult<AssessmentId> {
    let unit = units::require(ws, unit)?;
    let (record, edition) = catalog::load(ws, edition_code)?;
    let target = Target::from_code(target).ok_or_else(|| {
        AppError::invalid(format!(
            "Mục tiêu «{target}» không hợp lệ: dùng ntm, nang-cao, kieu-mau hoặc hien-dai."
        ))
    })?;
    if edition.level != unit.kind {
        return Err(AppError::invalid(format!(
            "Bộ tiêu chí {} dùng cho cấp {}, còn «{}» là {}.",
            edition.code,
            edition.level.label().to_lowercase(),
            unit.name,
            unit.kind.label().to_lowercase()
        )));
    }
    if let Some(why) = super::edition_scope::refusal(ws, &unit, &record.code)? {
        return Err(AppError::invalid(why));
    }
    if !edition.targets.contains(&target) {
        let allowed: Vec<&str> = edition.targets.iter().map(|t| t.code()).collect();
        return Err(AppError::invalid(format!(
            "Bộ tiêu chí {} không dùng cho mục tiêu «{}» (chỉ dùng cho: {}).",
            edition.code,
            target.label(),
            allowed.join(", ")
        )));
    }
    if !(1990..=2100).contains(&year) {
        return Err(AppError::invalid(format!(
            "Năm đánh giá {year} không hợp lệ."
        )));
    }
    Ok(ws.create_assessment(
        unit.id,
        &record.code,
        &record.content_toml,
        &record.content_sha256,
        target,
        year,
    )?)
}

/// An assessment with everything needed to show or print it.
pub struct Loaded {
    /// The stored record.
    pub record: AssessmentRecord,
    /// The pinned edition.
    pub edition: Edition,
    /// The unit.
    pub unit: UnitRecord,
    /// Region and group used to pick thresholds.
    pub profile: crate::domain::units::UnitProfile,
    /// Stored values per indicator code.
    pub values: HashMap<String, ValueRecord>,
    /// The computed status.
    pub status: AssessmentStatus,
    /// Why the satisfaction threshold typed replaces the edition's, when a reason is
    /// stored.
    pub threshold_reason: Option<String>,
}

/// Every assessment, newest year first, each with the name of its unit (empty when the
/// unit is gone).
pub fn list(ws: &Workspace) -> AppResult<Vec<(AssessmentRecord, String)>> {
    let mut out = Vec::new();
    for a in ws.assessments()? {
        let name = ws.unit(a.unit)?.map(|u| u.name).unwrap_or_default();
        out.push((a, name));
    }
    Ok(out)
}

/// Loads an assessment and computes its status as of `today`.
pub fn load(ws: &Workspace, id: AssessmentId, today: CivilDate) -> AppResult<Loaded> {
    let record = ws.require_assessment(id)?;
    let edition = catalog::parse_stored(&record.edition_code, &record.edition_toml)?;
    load_with_edition(ws, record, edition, today)
}

/// Same as [`load`] with an already parsed edition (the roll-up parses each once).
pub fn load_with_edition(
    ws: &Workspace,
    record: AssessmentRecord,
    edition: Edition,
    today: CivilDate,
) -> AppResult<Loaded> {
    let unit = units::require(ws, record.unit)?;
    let profile = units::profile(ws, &unit)?;
    let values: HashMap<String, ValueRecord> = ws
        .values(record.id)?
        .into_iter()
        .map(|v| (v.indicator.to_string(), v))
        .collect();
    let counts = ws.evidence_counts(record.id)?;
    let mut inputs = HashMap::new();
    for (_, ind) in edition.indicators() {
        let v = values.get(ind.code.as_str());
        inputs.insert(
            ind.code.to_string(),
            IndicatorInput {
                measured: v.and_then(|v| measured(ind, v)),
                manual: v.and_then(manual),
                evidence_count: counts.get(ind.code.as_str()).copied().unwrap_or(0),
                deadline: v.and_then(|v| v.deadline),
            },
        );
    }
    let mut ratings: HashMap<u32, ManualVerdict> = HashMap::new();
    for r in ws.criterion_ratings(record.id)? {
        ratings.insert(
            r.number,
            ManualVerdict {
                verdict: r.verdict,
                reason: r.reason,
            },
        );
    }
    let conditions = conditions_input(ws, record.id)?;
    let villages = units::village_names(ws, unit.id)?;
    let mut status = assess(&AssessmentInput {
        edition: &edition,
        profile: &profile,
        year: record.year,
        indicators: &inputs,
        criterion_ratings: &ratings,
        conditions: &conditions,
        village_names: &villages,
        today,
    });
    super::unit_conditions::fold_into(ws, &unit, record.id, &edition, &mut status)?;
    Ok(Loaded {
        record,
        edition,
        unit,
        profile,
        values,
        status,
        threshold_reason: conditions.satisfaction_threshold_reason,
    })
}

fn conditions_input(ws: &Workspace, id: AssessmentId) -> AppResult<ConditionsInput> {
    let c = ws.conditions(id)?;
    let mut postings = Vec::new();
    for p in ws.postings(id)? {
        postings.push(Posting {
            date: p.posted_on,
            medium: p.medium,
            place: p.place,
        });
    }
    Ok(ConditionsInput {
        households_surveyed: c.households_surveyed,
        households_satisfied: c.households_satisfied,
        satisfaction_threshold: c.satisfaction_threshold,
        satisfaction_threshold_reason: ws.satisfaction_threshold_reason(id)?,
        debt_million_vnd: c.debt_million_vnd,
        debt_status: c.debt_status,
        security: c.security_status,
        postings,
    })
}

/// The measured value of a stored record, read according to the indicator's kind.
pub fn measured(ind: &Indicator, v: &ValueRecord) -> Option<Measured> {
    measured_of(
        ind,
        (v.numerator, v.denominator),
        v.value_number,
        v.value_text.as_deref(),
    )
}

/// [`measured`] of the stored fields themselves: (numerator, denominator), the number
/// and the text (the roll-up reads them borrowed from the row, without a record).
pub fn measured_of(
    ind: &Indicator,
    ratio: (Option<f64>, Option<f64>),
    value_number: Option<f64>,
    value_text: Option<&str>,
) -> Option<Measured> {
    match ind.kind {
        IndicatorKind::Ratio => match ratio {
            (Some(numerator), Some(denominator)) if denominator > 0.0 => Some(Measured::Ratio {
                numerator,
                denominator,
            }),
            _ => None,
        },
        IndicatorKind::Amount | IndicatorKind::Count => value_number.map(Measured::Number),
        IndicatorKind::YesNo => match value_text {
            Some("dat") => Some(Measured::YesNo(true)),
            Some("khong") => Some(Measured::YesNo(false)),
            _ => None,
        },
        IndicatorKind::Level => value_text.map(|t| Measured::Level(t.to_string())),
    }
}

fn manual(v: &ValueRecord) -> Option<ManualVerdict> {
    let verdict = v.manual_verdict?;
    Some(ManualVerdict {
        verdict,
        reason: v.manual_reason.clone().unwrap_or_default(),
    })
}
