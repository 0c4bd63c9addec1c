//! The computed conditions of a higher level (a district or a province): each edition
//! condition of `[[conditions.computed]]` evaluated against the communes and towns under
//! the unit, their recognition decisions and survey results, and the unit's own survey
//! and criteria. Former communes (merged into another) are history and never counted.

use super::ratio_percent;
use crate::domain::catalog::{ComputedCondition, ComputedKind};
use crate::domain::ids::UnitId;
use crate::domain::recognition::{Recognition, SurveyResult, in_force};
use crate::domain::units::{RecognitionTarget, UnitKind, UnitRecord};
use crate::domain::vn_text::format_number;

/// What the computed conditions are evaluated from.
pub struct UnitConditionsInput<'a> {
    /// The communes and towns under the unit that exist today (former ones left out).
    pub units_below: &'a [UnitRecord],
    /// Every recognition decision of those units (others are ignored).
    pub recognitions: &'a [Recognition],
    /// Every survey result of those units (others are ignored).
    pub surveys: &'a [SurveyResult],
    /// The unit's own survey: households asked and satisfied, when entered.
    pub own_survey: Option<(u32, u32)>,
    /// The unit's own criteria met and the number its decision has (the larger of the
    /// catalogue's criteria and the decision's stated count).
    pub own_criteria: (usize, usize),
}

/// One computed condition evaluated.
#[derive(Debug, Clone, PartialEq)]
pub struct UnitConditionStatus {
    /// The condition in the decision's words.
    pub text: String,
    /// What is required, e.g. «≥ 100 %».
    pub required: String,
    /// What the data gives, e.g. «14/15 xã (93,33 %)».
    pub actual: String,
    /// Whether it is met.
    pub met: bool,
    /// The communes or towns that fail it (for per-unit conditions), in input order.
    pub failing: Vec<UnitRecord>,
    /// Whether the condition was checked against the legal text.
    pub verified: bool,
    /// Where it comes from.
    pub source: String,
}

/// Evaluates every computed condition, in catalogue order.
pub fn assess_unit_conditions(
    conditions: &[ComputedCondition],
    input: &UnitConditionsInput<'_>,
) -> Vec<UnitConditionStatus> {
    conditions.iter().map(|c| evaluate(c, input)).collect()
}

fn at_least(min: f64) -> String {
    format!("≥ {} %", format_number(min, 2))
}

fn share(part: usize, whole: usize, noun: &str) -> String {
    match ratio_percent(part as f64, whole as f64) {
        Some(p) => format!(
            "{}/{} {noun} ({} %)",
            format_number(part as f64, 0),
            format_number(whole as f64, 0),
            format_number(p, 2)
        ),
        None => format!("chưa có {noun} nào"),
    }
}

/// `part / whole ≥ min %`, without rounding.
fn reaches(part: u64, whole: u64, min: f64) -> bool {
    whole > 0 && part as f64 * 100.0 >= min * whole as f64
}

fn evaluate(c: &ComputedCondition, input: &UnitConditionsInput<'_>) -> UnitConditionStatus {
    let min = c.min_percent.unwrap_or(100.0);
    let (required, actual, met, failing) = match c.kind {
        ComputedKind::RecognisedShare { units, target } => {
            recognised_share(input, units, target, min)
        }
        ComputedKind::OwnSatisfaction => {
            let (actual, met) = match input.own_survey {
                Some((asked, yes)) if asked > 0 && yes <= asked => (
                    share(yes as usize, asked as usize, "hộ hài lòng"),
                    reaches(u64::from(yes), u64::from(asked), min),
                ),
                _ => ("chưa nhập kết quả khảo sát của đơn vị".to_string(), false),
            };
            (at_least(min), actual, met, Vec::new())
        }
        ComputedKind::SatisfactionPerContent => per_content(input, min),
        ComputedKind::OwnCriteriaMet => {
            let (met_n, total) = input.own_criteria;
            (
                format!("đạt {total}/{total} tiêu chí"),
                format!("đạt {met_n}/{total} tiêu chí"),
                total > 0 && met_n >= total,
                Vec::new(),
            )
        }
    };
    UnitConditionStatus {
        text: c.text.clone(),
        required,
        actual,
        met,
        failing,
        verified: c.verified,
        source: c.source.clone(),
    }
}

type Evaluated = (String, String, bool, Vec<UnitRecord>);

fn recognised_share(
    input: &UnitConditionsInput<'_>,
    kind: UnitKind,
    target: RecognitionTarget,
    min: f64,
) -> Evaluated {
    let units: Vec<&UnitRecord> = input
        .units_below
        .iter()
        .filter(|u| u.kind == kind)
        .collect();
    let failing: Vec<UnitRecord> = units
        .iter()
        .filter(|u| in_force(input.recognitions, u.id, target).is_none())
        .map(|u| (*u).clone())
        .collect();
    let recognised = units.len() - failing.len();
    let noun = kind.label().to_lowercase();
    // With no town under the unit, «100 % of towns» asks nothing; with no commune, the
    // share of communes cannot be shown.
    let met = if units.is_empty() {
        kind == UnitKind::Town
    } else {
        reaches(recognised as u64, units.len() as u64, min)
    };
    // Units without the recognition fail the condition only while it is not met (above
    // a 10 % minimum, the other 90 % fail nothing).
    (
        at_least(min),
        share(recognised, units.len(), &noun),
        met,
        if met { Vec::new() } else { failing },
    )
}

fn per_content(input: &UnitConditionsInput<'_>, min: f64) -> Evaluated {
    let communes: Vec<&UnitRecord> = input
        .units_below
        .iter()
        .filter(|u| u.kind == UnitKind::Commune)
        .collect();
    let commune_fails = |id: UnitId| {
        let mine: Vec<&SurveyResult> = input.surveys.iter().filter(|s| s.unit == id).collect();
        mine.is_empty()
            || mine.iter().any(|s| {
                !reaches(
                    u64::from(s.households_satisfied),
                    u64::from(s.households_surveyed),
                    min,
                )
            })
    };
    let failing: Vec<UnitRecord> = communes
        .iter()
        .filter(|u| commune_fails(u.id))
        .map(|u| (*u).clone())
        .collect();
    let passing = communes.len() - failing.len();
    (
        format!("{} ở mọi nội dung, mọi xã", at_least(min)),
        share(passing, communes.len(), "xã đạt mọi nội dung"),
        !communes.is_empty() && failing.is_empty(),
        failing,
    )
}
