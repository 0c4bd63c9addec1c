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
use std::collections::HashMap;

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
    // Grouped once: a province has thousands of communes and of decisions.
    let mut by_unit: HashMap<UnitId, Vec<Recognition>> = HashMap::new();
    for r in input.recognitions.iter().filter(|r| r.target == target) {
        by_unit.entry(r.unit).or_default().push(r.clone());
    }
    let failing: Vec<UnitRecord> = units
        .iter()
        .filter(|u| {
            by_unit
                .get(&u.id)
                .and_then(|own| in_force(own, u.id, target))
                .is_none()
        })
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
    let mut by_unit: HashMap<UnitId, Vec<&SurveyResult>> = HashMap::new();
    for s in input.surveys {
        by_unit.entry(s.unit).or_default().push(s);
    }
    let commune_fails = |id: UnitId| {
        let mine = by_unit.get(&id).map_or(&[][..], Vec::as_slice);
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::vn_text::CivilDate;

    fn unit(id: i64, kind: UnitKind) -> UnitRecord {
        UnitRecord {
            id: UnitId(id),
            name: format!("{id}"),
            kind,
            parent: None,
            official_code: None,
            region: None,
            group: None,
            flags: Vec::new(),
            merged_from: Vec::new(),
        }
    }

    fn recognised(id: i64, target: RecognitionTarget) -> Recognition {
        Recognition {
            unit: UnitId(id),
            target,
            decision: format!("{id}/QĐ"),
            decided_on: CivilDate::new(2024, 1, 1).unwrap(),
            issued_by: String::new(),
            revoked: false,
        }
    }

    fn share_condition(units: UnitKind, target: RecognitionTarget, min: f64) -> ComputedCondition {
        ComputedCondition {
            kind: ComputedKind::RecognisedShare { units, target },
            min_percent: Some(min),
            text: "điều kiện".into(),
            verified: true,
            source: "thử".into(),
        }
    }

    fn input<'a>(
        units: &'a [UnitRecord],
        recognitions: &'a [Recognition],
        surveys: &'a [SurveyResult],
    ) -> UnitConditionsInput<'a> {
        UnitConditionsInput {
            units_below: units,
            recognitions,
            surveys,
            own_survey: None,
            own_criteria: (0, 0),
        }
    }

    #[test]
    fn exactly_the_minimum_share_is_met() {
        let units: Vec<UnitRecord> = (1..=10).map(|i| unit(i, UnitKind::Commune)).collect();
        let recs = [recognised(1, RecognitionTarget::Advanced)];
        let c = share_condition(UnitKind::Commune, RecognitionTarget::Advanced, 10.0);
        let s = assess_unit_conditions(&[c], &input(&units, &recs, &[]));
        assert_eq!(s[0].actual, "1/10 xã (10 %)");
        assert!(s[0].met);
        assert!(s[0].failing.is_empty());
    }

    #[test]
    fn no_town_asks_nothing_but_no_commune_cannot_be_met() {
        let towns = share_condition(UnitKind::Town, RecognitionTarget::CivilisedTown, 100.0);
        let communes = share_condition(UnitKind::Commune, RecognitionTarget::Ntm, 100.0);
        let s = assess_unit_conditions(&[towns, communes], &input(&[], &[], &[]));
        assert!(s[0].met);
        assert_eq!(s[0].actual, "chưa có thị trấn nào");
        assert!(!s[1].met);
    }

    #[test]
    fn a_commune_without_survey_or_below_on_one_content_fails() {
        let units = [
            unit(1, UnitKind::Commune),
            unit(2, UnitKind::Commune),
            unit(3, UnitKind::Commune),
        ];
        let s = |unit: i64, content: &str, asked: u32, yes: u32| SurveyResult {
            unit: UnitId(unit),
            content: content.into(),
            households_surveyed: asked,
            households_satisfied: yes,
        };
        let surveys = [
            s(1, "a", 10, 8),
            s(1, "b", 3, 3),
            s(2, "a", 10, 9),
            s(2, "b", 100, 79),
        ];
        let c = ComputedCondition {
            kind: ComputedKind::SatisfactionPerContent,
            min_percent: Some(80.0),
            text: "từng nội dung".into(),
            verified: true,
            source: String::new(),
        };
        let r = assess_unit_conditions(&[c], &input(&units, &[], &surveys));
        let failing: Vec<i64> = r[0].failing.iter().map(|u| u.id.0).collect();
        assert_eq!(failing, [2, 3]);
        assert_eq!(r[0].actual, "1/3 xã đạt mọi nội dung (33,33 %)");
    }
}
