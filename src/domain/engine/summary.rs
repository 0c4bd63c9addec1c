//! The assessment as a whole: criteria, counts, recognition conditions (QĐ 18/2022, in
//! [`super::conditions`]), revocation risk (in [`super::risk`]) and the list of what is
//! still missing.

use super::conditions::{debt, posting, satisfaction, security};
use super::{
    ConditionStatus, ConditionsInput, IndicatorInput, IndicatorStatus, ManualVerdict,
    RevocationRisk, assess_indicator, criterion_verdict, revocation_risk,
};
use crate::domain::catalog::{Criterion, Edition};
use crate::domain::units::{UnitProfile, Verdict};
use crate::domain::vn_text::CivilDate;
use std::collections::HashMap;

/// The state of one criterion.
#[derive(Debug, Clone, PartialEq)]
pub struct CriterionStatus {
    /// Number.
    pub number: u32,
    /// Name.
    pub name: String,
    /// Verdict in force.
    pub verdict: Verdict,
    /// A person's verdict on the whole criterion, with reason.
    pub manual: Option<ManualVerdict>,
    /// Its indicators.
    pub indicators: Vec<IndicatorStatus>,
    /// Counts towards revocation.
    pub revocation_key: bool,
}

/// What kind of gap a missing item is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MissingKind {
    /// The catalogue lacks criteria or indicators.
    Catalogue,
    /// No value entered.
    Value,
    /// A value without an applicable threshold: a person must judge.
    Judgement,
    /// The value does not meet the threshold.
    NotMet,
    /// No proof linked.
    Evidence,
    /// A criterion without indicators awaits a person's rating.
    CriterionRating,
    /// A recognition condition is not met or not entered.
    Condition,
}

impl MissingKind {
    /// Stable code.
    pub fn code(self) -> &'static str {
        match self {
            Self::Catalogue => "bo_tieu_chi",
            Self::Value => "gia_tri",
            Self::Judgement => "can_danh_gia",
            Self::NotMet => "chua_dat",
            Self::Evidence => "minh_chung",
            Self::CriterionRating => "danh_gia_tieu_chi",
            Self::Condition => "dieu_kien",
        }
    }
}

/// One thing still missing before recognition.
#[derive(Debug, Clone, PartialEq)]
pub struct MissingItem {
    /// Kind.
    pub kind: MissingKind,
    /// Criterion number, if any.
    pub criterion: Option<u32>,
    /// Indicator code, if any.
    pub indicator: Option<String>,
    /// Vietnamese message.
    pub message: String,
}

/// Everything the engine needs about one assessment.
pub struct AssessmentInput<'a> {
    /// The pinned edition.
    pub edition: &'a Edition,
    /// The unit's profile.
    pub profile: &'a UnitProfile,
    /// Assessment year.
    pub year: i32,
    /// Per indicator code.
    pub indicators: &'a HashMap<String, IndicatorInput>,
    /// Manual criterion ratings, per criterion number.
    pub criterion_ratings: &'a HashMap<u32, ManualVerdict>,
    /// Conditions.
    pub conditions: &'a ConditionsInput,
    /// Names of the villages of the commune, for the posting check.
    pub village_names: &'a [String],
    /// Today, for overdue deadlines.
    pub today: CivilDate,
}

/// The full state of an assessment.
#[derive(Debug, Clone, PartialEq)]
pub struct AssessmentStatus {
    /// Criteria.
    pub criteria: Vec<CriterionStatus>,
    /// Criteria Đạt.
    pub criteria_met: usize,
    /// Criteria in the catalogue.
    pub criteria_total: usize,
    /// Indicators Đạt.
    pub indicators_met: usize,
    /// Indicators in the catalogue.
    pub indicators_total: usize,
    /// Indicators with at least one proof file.
    pub indicators_with_evidence: usize,
    /// Conditions.
    pub conditions: Vec<ConditionStatus>,
    /// Revocation risk.
    pub revocation: RevocationRisk,
    /// What is missing, in catalogue order.
    pub missing: Vec<MissingItem>,
    /// Every criterion and condition met, and the catalogue complete.
    pub eligible: bool,
}

/// Assesses a whole assessment.
pub fn assess(input: &AssessmentInput<'_>) -> AssessmentStatus {
    let edition = input.edition;
    let mut missing = Vec::new();
    if edition.is_incomplete() {
        missing.push(incomplete_catalogue(edition));
    }
    let criteria: Vec<CriterionStatus> = edition
        .criteria
        .iter()
        .map(|c| criterion_status(c, input, &mut missing))
        .collect();
    let conditions = vec![
        satisfaction(edition, input.conditions),
        debt(input.conditions),
        security(input.conditions),
        posting(input.conditions, input.village_names),
    ];
    for c in &conditions {
        if c.verdict != Verdict::Met {
            missing.push(MissingItem {
                kind: MissingKind::Condition,
                criterion: None,
                indicator: None,
                message: format!("{}: {}", c.name, c.detail),
            });
        }
    }
    let all_indicators = criteria.iter().flat_map(|c| c.indicators.iter());
    let indicators_met = all_indicators
        .clone()
        .filter(|s| s.verdict == Verdict::Met)
        .count();
    let indicators_with_evidence = all_indicators
        .clone()
        .filter(|s| s.evidence_count > 0)
        .count();
    let indicators_total = all_indicators.count();
    let criteria_met = criteria
        .iter()
        .filter(|c| c.verdict == Verdict::Met)
        .count();
    let criteria_total = criteria.len();
    let eligible = !edition.is_incomplete()
        && criteria_total > 0
        && criteria_met == criteria_total
        && conditions.iter().all(|c| c.verdict == Verdict::Met);
    AssessmentStatus {
        revocation: revocation_risk(&criteria),
        criteria,
        criteria_met,
        criteria_total,
        indicators_met,
        indicators_total,
        indicators_with_evidence,
        conditions,
        missing,
        eligible,
    }
}

/// The gap of an edition that holds fewer criteria or indicators than its decision.
fn incomplete_catalogue(edition: &Edition) -> MissingItem {
    MissingItem {
        kind: MissingKind::Catalogue,
        criterion: None,
        indicator: None,
        message: format!(
            "Bộ tiêu chí {} chưa đầy đủ ({} tiêu chí, {} chỉ tiêu{}): cần nhập bản đầy đủ của tỉnh",
            edition.decision_label(),
            edition.criteria.len(),
            edition.indicator_count(),
            expected_counts(edition.criteria_expected, edition.indicators_expected)
        ),
    }
}

/// « so với … của quyết định» with the counts the decision is known to hold; a count not
/// known is left out (it read «? chỉ tiêu»).
fn expected_counts(criteria: Option<u32>, indicators: Option<u32>) -> String {
    match (criteria, indicators) {
        (Some(c), Some(i)) => format!(" so với {c} tiêu chí, {i} chỉ tiêu của quyết định"),
        (Some(c), None) => format!(" so với {c} tiêu chí của quyết định"),
        (None, Some(i)) => format!(" so với {i} chỉ tiêu của quyết định"),
        (None, None) => String::new(),
    }
}

/// One criterion assessed from its indicators (or a person's rating), its gaps added to
/// `missing` in catalogue order.
fn criterion_status(
    c: &Criterion,
    input: &AssessmentInput<'_>,
    missing: &mut Vec<MissingItem>,
) -> CriterionStatus {
    let segment = input.edition.keyed_by.segment_of(input.profile);
    let empty = IndicatorInput::default();
    let indicators: Vec<IndicatorStatus> = c
        .indicators
        .iter()
        .map(|i| {
            assess_indicator(
                i,
                segment,
                input.year,
                input.indicators.get(i.code.as_str()).unwrap_or(&empty),
                input.today,
            )
        })
        .collect();
    for s in &indicators {
        indicator_gaps(c.number, s, missing);
    }
    let manual = input.criterion_ratings.get(&c.number).cloned();
    let computed = criterion_verdict(&indicators.iter().map(|s| s.verdict).collect::<Vec<_>>());
    if c.indicators.is_empty() && manual.is_none() {
        missing.push(MissingItem {
            kind: MissingKind::CriterionRating,
            criterion: Some(c.number),
            indicator: None,
            message: format!(
                "Tiêu chí {} ({}): chưa có chỉ tiêu trong bộ tiêu chí, cần đánh giá cả tiêu chí kèm lý do",
                c.number, c.name
            ),
        });
    }
    CriterionStatus {
        number: c.number,
        name: c.name.clone(),
        verdict: manual.as_ref().map_or(computed, |m| m.verdict),
        manual,
        indicators,
        revocation_key: c.revocation_key,
    }
}

/// What one indicator still lacks: a value, a judgement, the threshold, proof.
fn indicator_gaps(criterion: u32, s: &IndicatorStatus, missing: &mut Vec<MissingItem>) {
    let (kind, message) = match s.verdict {
        _ if s.value_display.is_none() && s.manual_reason.is_none() => (
            Some(MissingKind::Value),
            format!("Chỉ tiêu {}: chưa nhập giá trị", s.code),
        ),
        _ if s.needs_judgement => (
            Some(MissingKind::Judgement),
            format!(
                "Chỉ tiêu {}: chưa có ngưỡng cho xã này, cần đánh giá kèm lý do",
                s.code
            ),
        ),
        Verdict::NotMet => (
            Some(MissingKind::NotMet),
            format!(
                "Chỉ tiêu {}: chưa đạt ({} so với yêu cầu {})",
                s.code,
                s.value_display.clone().unwrap_or_default(),
                s.threshold
                    .as_ref()
                    .map_or(String::new(), |t| t.display.clone())
            ),
        ),
        _ => (None, String::new()),
    };
    if let Some(kind) = kind {
        missing.push(MissingItem {
            kind,
            criterion: Some(criterion),
            indicator: Some(s.code.clone()),
            message,
        });
    }
    if s.evidence_count == 0 {
        missing.push(MissingItem {
            kind: MissingKind::Evidence,
            criterion: Some(criterion),
            indicator: Some(s.code.clone()),
            message: format!("Chỉ tiêu {}: chưa có minh chứng", s.code),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::expected_counts;

    /// A district edition whose decision's indicator count is not recorded said «so với 9
    /// tiêu chí, ? chỉ tiêu của quyết định» on the dossier screen.
    #[test]
    fn r_question_mark_for_unknown_indicator_count() {
        assert_eq!(
            expected_counts(Some(9), None),
            " so với 9 tiêu chí của quyết định"
        );
        assert_eq!(
            expected_counts(Some(19), Some(57)),
            " so với 19 tiêu chí, 57 chỉ tiêu của quyết định"
        );
        assert_eq!(
            expected_counts(None, Some(57)),
            " so với 57 chỉ tiêu của quyết định"
        );
        assert_eq!(expected_counts(None, None), "");
    }
}
