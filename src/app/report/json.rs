//! The report's JSON contract: the serialisable view structs of `status --json` and
//! `rollup --json`, and the roll-up's filter and edition choices.

use crate::app::AppResult;
use crate::domain::units::Target;
use serde::Serialize;

/// A threshold in the JSON output.
#[derive(Debug, Serialize)]
pub struct ThresholdJson {
    /// E.g. `≥ 80 %`.
    pub text: String,
    /// Verified against the legal text.
    pub verified: bool,
    /// Source.
    pub source: String,
    /// Segment code.
    pub segment: String,
    /// The general value stood in for the segment.
    pub general_fallback: bool,
}

/// An indicator in the JSON output.
#[derive(Debug, Serialize)]
pub struct IndicatorJson {
    /// Code.
    pub code: String,
    /// Wording.
    pub text: String,
    /// Verdict in force.
    pub verdict: &'static str,
    /// Verdict computed from the value.
    pub computed_verdict: &'static str,
    /// Number (percent for ratios), `dat`/`khong`, a level, or null.
    pub value: serde_json::Value,
    /// The value as displayed.
    pub value_display: Option<String>,
    /// Numerator (ratios).
    pub numerator: Option<f64>,
    /// Denominator (ratios).
    pub denominator: Option<f64>,
    /// Applicable threshold.
    pub threshold: Option<ThresholdJson>,
    /// Needs a person's judgement.
    pub needs_judgement: bool,
    /// Reason of a manual verdict.
    pub manual_reason: Option<String>,
    /// Proof files.
    pub evidence_count: usize,
    /// Deadline passed.
    pub overdue: bool,
}

/// A criterion in the JSON output.
#[derive(Debug, Serialize)]
pub struct CriterionJson {
    /// Number.
    pub number: u32,
    /// Name.
    pub name: String,
    /// Verdict.
    pub verdict: &'static str,
    /// Reason of a manual rating.
    pub manual_reason: Option<String>,
    /// Indicators.
    pub indicators: Vec<IndicatorJson>,
}

/// A condition in the JSON output.
#[derive(Debug, Serialize)]
pub struct ConditionJson {
    /// Key.
    pub key: &'static str,
    /// Name.
    pub name: &'static str,
    /// Verdict.
    pub verdict: &'static str,
    /// Explanation.
    pub detail: String,
}

/// The revocation risk in the JSON output.
#[derive(Debug, Serialize)]
pub struct RiskJson {
    /// `khong`, `co_nguy_co`, `cao`.
    pub level: &'static str,
    /// Criteria not met.
    pub failing: usize,
    /// Criteria in total.
    pub total: usize,
    /// Share not met.
    pub failing_percent: f64,
    /// Key criteria not met.
    pub key_failing: Vec<u32>,
    /// Explanation.
    pub explanation: String,
}

/// A missing item in the JSON output.
#[derive(Debug, Serialize)]
pub struct MissingJson {
    /// Kind code.
    pub kind: &'static str,
    /// Criterion.
    pub criterion: Option<u32>,
    /// Indicator.
    pub indicator: Option<String>,
    /// Message.
    pub message: String,
}

/// `status --json`.
#[derive(Debug, Serialize)]
pub struct StatusJson {
    /// Assessment id.
    pub assessment: i64,
    /// Unit id.
    pub unit: i64,
    /// Unit name.
    pub unit_name: String,
    /// Edition code.
    pub edition: String,
    /// Target code.
    pub target: &'static str,
    /// Year.
    pub year: i32,
    /// The catalogue lacks criteria or indicators.
    pub catalogue_incomplete: bool,
    /// Criteria met.
    pub criteria_met: usize,
    /// Criteria total.
    pub criteria_total: usize,
    /// Indicators met.
    pub indicators_met: usize,
    /// Indicators total.
    pub indicators_total: usize,
    /// Indicators with proof.
    pub indicators_with_evidence: usize,
    /// Eligible for recognition.
    pub eligible: bool,
    /// Criteria.
    pub criteria: Vec<CriterionJson>,
    /// Conditions.
    pub conditions: Vec<ConditionJson>,
    /// Revocation risk.
    pub revocation_risk: RiskJson,
    /// Missing items.
    pub missing: Vec<MissingJson>,
}

/// One commune in the roll-up.
#[derive(Debug, Clone, Serialize)]
pub struct RollupCommune {
    /// Unit id.
    pub unit: i64,
    /// Name.
    pub name: String,
    /// The assessment used (latest), if any.
    pub assessment: Option<i64>,
    /// Its edition.
    pub edition: Option<String>,
    /// Its year.
    pub year: Option<i32>,
    /// Criteria met.
    pub criteria_met: usize,
    /// Criteria total.
    pub criteria_total: usize,
    /// Indicators met.
    pub indicators_met: usize,
    /// Indicators total.
    pub indicators_total: usize,
    /// Eligible for recognition.
    pub eligible: bool,
    /// Revocation risk level.
    pub revocation_risk: &'static str,
    /// Each criterion's verdict.
    pub criteria: Vec<RollupCriterion>,
    /// Criteria met at the start of the year, when known.
    pub criteria_met_year_start: Option<u32>,
}

/// One cell of the communes × criteria matrix.
#[derive(Debug, Clone, Serialize)]
pub struct RollupCriterion {
    /// Criterion number.
    pub number: u32,
    /// Verdict code.
    pub verdict: &'static str,
}

/// How many communes fail a criterion.
#[derive(Debug, Clone, Serialize)]
pub struct RollupFailure {
    /// Criterion number.
    pub number: u32,
    /// Its name.
    pub name: String,
    /// Communes where it is not met.
    pub communes_not_met: usize,
}

/// A column of the matrix: a criterion of the roll-up's edition.
#[derive(Debug, Clone, Serialize)]
pub struct RollupColumn {
    /// Criterion number.
    pub number: u32,
    /// Its name.
    pub name: String,
}

/// A commune whose latest assessment is on another edition: listed, never counted.
#[derive(Debug, Clone, Serialize)]
pub struct RollupElsewhere {
    /// Unit id.
    pub unit: i64,
    /// Name.
    pub name: String,
    /// The assessment (latest within the year and target asked for).
    pub assessment: i64,
    /// Its edition code.
    pub edition: String,
    /// That edition's title.
    pub edition_title: String,
    /// Its year.
    pub year: i32,
    /// Its target code.
    pub target: &'static str,
}

/// An edition the office can roll up on.
#[derive(Debug, Clone, Serialize)]
pub struct RollupEditionChoice {
    /// Code.
    pub code: String,
    /// Title.
    pub title: String,
    /// The decision, e.g. `51/2025/QĐ-TTg` (empty when unknown).
    pub decision: String,
    /// Communes under the unit whose latest assessment is on it.
    pub communes: usize,
}

impl RollupEditionChoice {
    /// What a person reads: the decision, then the title.
    pub fn label(&self) -> String {
        edition_label(&self.decision, &self.title, &self.code)
    }
}

/// «QĐ 51/2025/QĐ-TTg — Bộ tiêu chí …»: the decision first, the code when there is none.
pub fn edition_label(decision: &str, title: &str, code: &str) -> String {
    if decision.trim().is_empty() {
        format!("{title} ({code})")
    } else {
        format!("QĐ {decision} — {title}")
    }
}

/// What a roll-up covers: one edition, and optionally one year and one target.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RollupFilter {
    /// The edition's code; `None` takes the edition most communes use (see [`rollup_with`]).
    pub edition: Option<String>,
    /// Only assessments of this year.
    pub year: Option<i32>,
    /// Only assessments for this target.
    pub target: Option<Target>,
}

impl RollupFilter {
    /// Validates what a user typed (command line): the target code.
    pub fn parse(
        edition: Option<&str>,
        year: Option<i32>,
        target: Option<&str>,
    ) -> AppResult<Self> {
        let target = match target {
            Some(t) => Some(Target::from_code(t).ok_or_else(|| {
                crate::app::AppError::invalid(format!(
                    "Mục tiêu «{t}» không hợp lệ: dùng ntm, nang-cao, kieu-mau hoặc hien-dai."
                ))
            })?),
            None => None,
        };
        if let Some(y) = year
            && !(1990..=2100).contains(&y)
        {
            return Err(crate::app::AppError::invalid(format!(
                "Năm tổng hợp {y} không hợp lệ: hãy ghi năm bốn chữ số, ví dụ 2026."
            )));
        }
        Ok(Self {
            edition: edition
                .map(|e| e.trim().to_string())
                .filter(|e| !e.is_empty()),
            year,
            target,
        })
    }
}

/// `rollup --json`.
#[derive(Debug, Clone, Serialize)]
pub struct RollupJson {
    /// The unit rolled up.
    pub unit: i64,
    /// Its name.
    pub unit_name: String,
    /// The edition every figure is computed within.
    pub edition: String,
    /// Its title.
    pub edition_title: String,
    /// Its decision, e.g. `51/2025/QĐ-TTg`.
    pub edition_decision: String,
    /// The year asked for, if any.
    pub year: Option<i32>,
    /// The target asked for, if any.
    pub target: Option<&'static str>,
    /// The matrix columns: the edition's criteria.
    pub edition_criteria: Vec<RollupColumn>,
    /// Communes (current ones; former communes merged into others are left out) whose
    /// latest assessment is on the edition, or who have none.
    pub communes: Vec<RollupCommune>,
    /// Number of communes.
    pub communes_total: usize,
    /// Number eligible.
    pub communes_eligible: usize,
    /// Share eligible, percent, two decimals.
    pub share_eligible_percent: f64,
    /// Average criteria met per commune, two decimals.
    pub average_criteria_met: f64,
    /// Criteria by how many communes fail them, most first.
    pub most_failed: Vec<RollupFailure>,
    /// Communes at risk of revocation (QĐ 18/2022).
    pub communes_at_risk: usize,
    /// Communes whose latest assessment is on another edition: not counted anywhere above.
    pub other_editions: Vec<RollupElsewhere>,
    /// The editions the roll-up can be made on, with how many communes use each.
    pub editions_available: Vec<RollupEditionChoice>,
    /// Plans: the unit's dossier deadline, days left, communes behind their target.
    pub plans: crate::app::central::plans::PlanSummary,
}
