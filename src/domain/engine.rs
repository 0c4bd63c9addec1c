//! The assessment engine: from an edition, a unit's profile and the values entered, the
//! verdict of every indicator and criterion, the counts people quote, the recognition
//! conditions of QĐ 18/2022, the revocation risk and the list of what is missing.
//!
//! Rounding rule (documented for reviewers): a ratio is `numerator × 100 / denominator`;
//! ratios and amounts are rounded half away from zero to two decimal places (a relative
//! tolerance of 1e-9 absorbs binary representation error, so 79,995 % becomes 80 %) and
//! only then compared with the threshold, itself rounded the same way. Counts are compared
//! exactly.

use super::catalog::{Comparator, Indicator, IndicatorKind, ThresholdValue};
use super::units::{Segment, Verdict};
use super::vn_text::{CivilDate, fold, format_number};

/// A verdict set by a person, with the reason that must accompany it.
#[derive(Debug, Clone, PartialEq)]
pub struct ManualVerdict {
    /// The verdict.
    pub verdict: Verdict,
    /// Why (never empty).
    pub reason: String,
}

/// What was measured for an indicator.
#[derive(Debug, Clone, PartialEq)]
pub enum Measured {
    /// Numerator and denominator of a ratio.
    Ratio {
        /// Numerator.
        numerator: f64,
        /// Denominator (positive).
        denominator: f64,
    },
    /// An amount or count.
    Number(f64),
    /// Đạt (true) or Không (false).
    YesNo(bool),
    /// A level name.
    Level(String),
}

/// The inputs for one indicator.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct IndicatorInput {
    /// The measured value, if entered.
    pub measured: Option<Measured>,
    /// A person's verdict, if any.
    pub manual: Option<ManualVerdict>,
    /// Files linked as proof.
    pub evidence_count: usize,
    /// Deadline for completing it.
    pub deadline: Option<CivilDate>,
}

/// Rounds half away from zero to two decimals (see the module doc).
pub fn round2(x: f64) -> f64 {
    let scaled = x * 100.0;
    let nudged = scaled + scaled.signum() * scaled.abs().max(1.0) * 1e-9;
    nudged.round() / 100.0
}

/// The percentage of a ratio, rounded by [`round2`]; `None` if the denominator is not positive.
pub fn ratio_percent(numerator: f64, denominator: f64) -> Option<f64> {
    (denominator > 0.0).then(|| round2(numerator * 100.0 / denominator))
}

/// Describes a threshold value for display, e.g. `≥ 80 %`.
pub fn describe_threshold(indicator: &Indicator, value: &ThresholdValue) -> String {
    match value {
        ThresholdValue::Number(n) => {
            let unit = if indicator.unit.is_empty() { String::new() } else { format!(" {}", indicator.unit) };
            format!("{} {}{}", indicator.comparator.symbol(), format_number(*n, 2), unit)
        }
        ThresholdValue::Yes => "Đạt".to_string(),
        ThresholdValue::Level(l) => match indicator.comparator {
            Comparator::Equal => l.clone(),
            _ => format!("{} trở lên", l),
        },
    }
}

/// Describes a measured value for display, e.g. `850/1.000 (85 %)`.
pub fn describe_measured(indicator: &Indicator, measured: &Measured) -> String {
    let unit = if indicator.unit.is_empty() { String::new() } else { format!(" {}", indicator.unit) };
    match measured {
        Measured::Ratio { numerator, denominator } => match ratio_percent(*numerator, *denominator) {
            Some(p) => format!("{}/{} ({} %)", format_number(*numerator, 2), format_number(*denominator, 2), format_number(p, 2)),
            None => format!("{}/{}", format_number(*numerator, 2), format_number(*denominator, 2)),
        },
        Measured::Number(n) => format!("{}{}", format_number(*n, 2), unit),
        Measured::YesNo(true) => "Đạt".to_string(),
        Measured::YesNo(false) => "Không đạt".to_string(),
        Measured::Level(l) => l.clone(),
    }
}

/// The single number a measured value stands for (percent for ratios).
pub fn measured_number(measured: &Measured) -> Option<f64> {
    match measured {
        Measured::Ratio { numerator, denominator } => ratio_percent(*numerator, *denominator),
        Measured::Number(n) => Some(round2(*n)),
        _ => None,
    }
}

/// The computed verdict of a value against a threshold, or `None` when they cannot be
/// compared (a value of the wrong kind).
pub fn compare(indicator: &Indicator, measured: &Measured, threshold: &ThresholdValue) -> Option<Verdict> {
    let met = match (measured, threshold) {
        (Measured::YesNo(v), ThresholdValue::Yes) => *v,
        (Measured::Level(level), ThresholdValue::Level(required)) => {
            let index = |name: &str| indicator.levels.iter().position(|l| fold(l) == fold(name));
            let (have, need) = (index(level)?, index(required)?);
            match indicator.comparator {
                Comparator::AtLeast => have >= need,
                Comparator::AtMost => have <= need,
                Comparator::Equal => have == need,
            }
        }
        (m, ThresholdValue::Number(required)) => {
            let have = match (indicator.kind, m) {
                (IndicatorKind::Count, Measured::Number(n)) => *n,
                _ => measured_number(m)?,
            };
            let need = if indicator.kind == IndicatorKind::Count { *required } else { round2(*required) };
            match indicator.comparator {
                Comparator::AtLeast => have >= need,
                Comparator::AtMost => have <= need,
                Comparator::Equal => have == need,
            }
        }
        _ => return None,
    };
    Some(if met { Verdict::Met } else { Verdict::NotMet })
}

/// The threshold that applied, for display.
#[derive(Debug, Clone, PartialEq)]
pub struct ThresholdView {
    /// E.g. `≥ 80 %`.
    pub display: String,
    /// Whether it was verified against the legal text.
    pub verified: bool,
    /// Its legal source.
    pub source: String,
    /// True when the general value stood in for a missing segment value.
    pub general_fallback: bool,
    /// The segment code it belongs to.
    pub segment: String,
}

/// The assessed state of one indicator.
#[derive(Debug, Clone, PartialEq)]
pub struct IndicatorStatus {
    /// Code.
    pub code: String,
    /// Wording.
    pub text: String,
    /// The verdict computed from value and threshold.
    pub computed: Verdict,
    /// The verdict in force (the manual one if set).
    pub verdict: Verdict,
    /// The reason of a manual verdict.
    pub manual_reason: Option<String>,
    /// The value for display, if entered.
    pub value_display: Option<String>,
    /// The value as one number (percent for ratios).
    pub value_number: Option<f64>,
    /// The applicable threshold, if the catalogue has one.
    pub threshold: Option<ThresholdView>,
    /// True when a value exists but no threshold applies: a person must judge.
    pub needs_judgement: bool,
    /// Proof files linked.
    pub evidence_count: usize,
    /// Deadline passed while not met.
    pub overdue: bool,
}

/// Evaluates one indicator.
pub fn assess_indicator(indicator: &Indicator, segment: Option<Segment>, year: i32, input: &IndicatorInput, today: CivilDate) -> IndicatorStatus {
    let applied = indicator.threshold_for(segment, year);
    let computed = match (&input.measured, applied) {
        (Some(m), Some(a)) => compare(indicator, m, &a.threshold.value).unwrap_or(Verdict::NotAssessed),
        _ => Verdict::NotAssessed,
    };
    let verdict = input.manual.as_ref().map_or(computed, |m| m.verdict);
    IndicatorStatus {
        code: indicator.code.to_string(),
        text: indicator.text.clone(),
        computed,
        verdict,
        manual_reason: input.manual.as_ref().map(|m| m.reason.clone()),
        value_display: input.measured.as_ref().map(|m| describe_measured(indicator, m)),
        value_number: input.measured.as_ref().and_then(measured_number),
        threshold: applied.map(|a| ThresholdView {
            display: describe_threshold(indicator, &a.threshold.value),
            verified: a.threshold.verified,
            source: a.threshold.source.clone(),
            general_fallback: a.is_general_fallback,
            segment: a.threshold.segment.code(),
        }),
        needs_judgement: input.measured.is_some() && applied.is_none() && input.manual.is_none(),
        evidence_count: input.evidence_count,
        overdue: input.deadline.is_some_and(|d| d < today) && verdict != Verdict::Met,
    }
}

/// A criterion's verdict from its indicators' verdicts: any Chưa đạt gives Chưa đạt;
/// otherwise any unassessed gives Chưa đánh giá; all Đạt gives Đạt; a mix of Đạt and
/// Cơ bản đạt (which only a person can give, with a reason) gives Cơ bản đạt. A criterion
/// without indicators in the catalogue stays unassessed unless a person rates it.
pub fn criterion_verdict(indicator_verdicts: &[Verdict]) -> Verdict {
    if indicator_verdicts.is_empty() {
        Verdict::NotAssessed
    } else if indicator_verdicts.contains(&Verdict::NotMet) {
        Verdict::NotMet
    } else if indicator_verdicts.contains(&Verdict::NotAssessed) {
        Verdict::NotAssessed
    } else if indicator_verdicts.iter().all(|v| *v == Verdict::Met) {
        Verdict::Met
    } else {
        Verdict::MostlyMet
    }
}

pub use super::engine_summary::*;
