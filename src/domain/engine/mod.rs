//! The assessment engine: from an edition, a unit's profile and the values entered, the
//! verdict of every indicator and criterion, the counts people quote, the recognition
//! conditions of QĐ 18/2022, the revocation risk and the list of what is missing.
//!
//! Rounding rule (documented for reviewers): a ratio is `numerator × 100 / denominator`;
//! ratios and amounts are rounded half away from zero to two decimal places (a relative
//! tolerance of 1e-9 absorbs binary representation error, so 79,995 % becomes 80 %) and
//! only then compared with the threshold, itself rounded the same way. Counts are compared
//! exactly.

use super::catalog::{Comparator, Indicator, ThresholdValue};
use super::units::{Segment, Verdict};
use super::vn_text::{CivilDate, format_number};

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
            let unit = if indicator.unit.is_empty() {
                String::new()
            } else {
                format!(" {}", indicator.unit)
            };
            format!(
                "{} {}{}",
                indicator.comparator.symbol(),
                format_number(*n, 2),
                unit
            )
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
    let unit = if indicator.unit.is_empty() {
        String::new()
    } else {
        format!(" {}", indicator.unit)
    };
    match measured {
        Measured::Ratio {
            numerator,
            denominator,
        } => match ratio_percent(*numerator, *denominator) {
            Some(p) => format!(
                "{}/{} ({} %)",
                format_number(*numerator, 2),
                format_number(*denominator, 2),
                format_number(p, 2)
            ),
            None => format!(
                "{}/{}",
                format_number(*numerator, 2),
                format_number(*denominator, 2)
            ),
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
        Measured::Ratio {
            numerator,
            denominator,
        } => ratio_percent(*numerator, *denominator),
        Measured::Number(n) => Some(round2(*n)),
        _ => None,
    }
}

/// The computed verdict of a value against a threshold, or `None` when they cannot be
/// compared (a value of the wrong kind).
pub fn compare(
    indicator: &Indicator,
    measured: &Measured,
    threshold: &ThresholdValue,
) -> Option<Verdict> {
    verdicts::Rule::new(indicator, threshold).verdict(measured)
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
pub fn assess_indicator(
    indicator: &Indicator,
    segment: Option<Segment>,
    year: i32,
    input: &IndicatorInput,
    today: CivilDate,
) -> IndicatorStatus {
    let applied = indicator.threshold_for(segment, year);
    let computed = match (&input.measured, applied) {
        (Some(m), Some(a)) => {
            compare(indicator, m, &a.threshold.value).unwrap_or(Verdict::NotAssessed)
        }
        _ => Verdict::NotAssessed,
    };
    let verdict = input.manual.as_ref().map_or(computed, |m| m.verdict);
    IndicatorStatus {
        code: indicator.code.to_string(),
        text: indicator.text.clone(),
        computed,
        verdict,
        manual_reason: input.manual.as_ref().map(|m| m.reason.clone()),
        value_display: input
            .measured
            .as_ref()
            .map(|m| describe_measured(indicator, m)),
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

mod conditions;
mod risk;
mod summary;
mod unit_conditions;
mod verdicts;
pub use conditions::*;
pub use risk::*;
pub use summary::*;
pub use unit_conditions::*;
pub use verdicts::{PreparedEdition, QuickAssessment, QuickInput, VerdictCounts};

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::catalog::Edition;
    use crate::domain::catalog::toml_format::parse_edition;
    use crate::domain::units::{CommuneGroup, Region, UnitFlag, UnitProfile};
    use std::collections::HashMap;

    fn fixture() -> Edition {
        parse_edition(include_str!("../../../tests/fixtures/test-edition.toml"))
            .expect("fixture parses")
    }

    fn today() -> CivilDate {
        CivilDate::new(2025, 6, 1).unwrap()
    }

    fn status_of(
        edition: &Edition,
        profile: &UnitProfile,
        year: i32,
        code: &str,
        input: IndicatorInput,
    ) -> IndicatorStatus {
        let (_, ind) = edition.indicator(code).unwrap();
        assess_indicator(
            ind,
            edition.keyed_by.segment_of(profile),
            year,
            &input,
            today(),
        )
    }

    fn ratio(n: f64, d: f64) -> IndicatorInput {
        IndicatorInput {
            measured: Some(Measured::Ratio {
                numerator: n,
                denominator: d,
            }),
            ..Default::default()
        }
    }

    fn region(r: Region) -> UnitProfile {
        UnitProfile {
            region: Some(r),
            ..Default::default()
        }
    }

    #[test]
    fn region_threshold_beats_the_general_one() {
        let e = fixture();
        // 75 % fails the general 80 % but meets the northern-mountain 70 %.
        assert_eq!(
            status_of(
                &e,
                &region(Region::RedRiverDelta),
                2025,
                "1.1",
                ratio(75.0, 100.0)
            )
            .verdict,
            Verdict::NotMet
        );
        let s = status_of(
            &e,
            &region(Region::NorthernMountains),
            2025,
            "1.1",
            ratio(75.0, 100.0),
        );
        assert_eq!(s.verdict, Verdict::Met);
        assert_eq!(s.threshold.as_ref().unwrap().segment, "tdmnpb");
        assert!(!s.threshold.unwrap().general_fallback);
    }

    #[test]
    fn disadvantaged_commune_in_the_delta_uses_mountain_threshold() {
        let e = fixture();
        let profile = UnitProfile {
            region: Some(Region::MekongDelta),
            group: None,
            flags: vec![UnitFlag::EspeciallyDisadvantaged],
        };
        assert_eq!(
            status_of(&e, &profile, 2025, "1.1", ratio(75.0, 100.0)).verdict,
            Verdict::Met
        );
    }

    #[test]
    fn threshold_per_year_picks_the_year_or_the_latest_earlier() {
        let e = fixture();
        let p = region(Region::Southeast);
        let amount = |v| IndicatorInput {
            measured: Some(Measured::Number(v)),
            ..Default::default()
        };
        assert_eq!(
            status_of(&e, &p, 2024, "2.1", amount(62.0)).verdict,
            Verdict::Met
        );
        assert_eq!(
            status_of(&e, &p, 2025, "2.1", amount(62.0)).verdict,
            Verdict::NotMet
        );
        // 2026 has no own value: the 2025 one applies.
        assert_eq!(
            status_of(&e, &p, 2026, "2.1", amount(64.0)).verdict,
            Verdict::NotMet
        );
        // 2023 is before every year in the table: no threshold, a person must judge.
        let s = status_of(&e, &p, 2023, "2.1", amount(64.0));
        assert_eq!(s.verdict, Verdict::NotAssessed);
        assert!(s.needs_judgement);
    }

    #[test]
    fn ceiling_comparator_and_missing_segment_threshold() {
        let e = fixture();
        let delta = region(Region::RedRiverDelta);
        assert_eq!(
            status_of(&e, &delta, 2025, "2.2", ratio(15.0, 100.0)).verdict,
            Verdict::Met
        );
        assert_eq!(
            status_of(&e, &delta, 2025, "2.2", ratio(16.0, 100.0)).verdict,
            Verdict::NotMet
        );
        // 2.2 has only a Red River delta value: elsewhere nothing applies.
        let s = status_of(
            &e,
            &region(Region::CentralHighlands),
            2025,
            "2.2",
            ratio(10.0, 100.0),
        );
        assert_eq!(s.verdict, Verdict::NotAssessed);
        assert!(s.needs_judgement && s.threshold.is_none());
    }

    #[test]
    fn rounding_at_the_boundary_is_half_up_to_two_decimals() {
        let e = fixture();
        let p = region(Region::RedRiverDelta);
        // 7999.5 / 10000 = 79.995 % -> 80.00 % -> meets >= 80.
        assert_eq!(
            status_of(&e, &p, 2025, "1.1", ratio(7999.5, 10000.0)).verdict,
            Verdict::Met
        );
        // 7999.4 / 10000 = 79.994 % -> 79.99 % -> fails.
        assert_eq!(
            status_of(&e, &p, 2025, "1.1", ratio(7999.4, 10000.0)).verdict,
            Verdict::NotMet
        );
        // 2 of 3 = 66.666… shown as 66,67 %.
        assert_eq!(ratio_percent(2.0, 3.0), Some(66.67));
        assert_eq!(round2(0.125), 0.13);
        assert_eq!(round2(-0.125), -0.13);
        assert_eq!(ratio_percent(1.0, 0.0), None);
    }

    #[test]
    fn count_yes_no_and_level_kinds() {
        let e = fixture();
        let p = region(Region::NorthCentral);
        let n = |v| IndicatorInput {
            measured: Some(Measured::Number(v)),
            ..Default::default()
        };
        assert_eq!(status_of(&e, &p, 2025, "3.1", n(5.0)).verdict, Verdict::Met);
        assert_eq!(
            status_of(&e, &p, 2025, "3.1", n(4.0)).verdict,
            Verdict::NotMet
        );
        let yes = |b| IndicatorInput {
            measured: Some(Measured::YesNo(b)),
            ..Default::default()
        };
        assert_eq!(
            status_of(&e, &p, 2025, "1.2", yes(true)).verdict,
            Verdict::Met
        );
        assert_eq!(
            status_of(&e, &p, 2025, "1.2", yes(false)).verdict,
            Verdict::NotMet
        );
        let level = |l: &str| IndicatorInput {
            measured: Some(Measured::Level(l.into())),
            ..Default::default()
        };
        assert_eq!(
            status_of(&e, &p, 2025, "3.2", level("Hoàn thành xuất sắc nhiệm vụ")).verdict,
            Verdict::Met
        );
        assert_eq!(
            status_of(&e, &p, 2025, "3.2", level("hoan thanh tot nhiem vu")).verdict,
            Verdict::Met
        );
        assert_eq!(
            status_of(&e, &p, 2025, "3.2", level("Hoàn thành nhiệm vụ")).verdict,
            Verdict::NotMet
        );
    }

    #[test]
    fn manual_verdict_overrides_and_keeps_its_reason() {
        let e = fixture();
        let p = region(Region::RedRiverDelta);
        let mut input = ratio(50.0, 100.0);
        input.manual = Some(ManualVerdict {
            verdict: Verdict::MostlyMet,
            reason: "Đang hoàn thiện 2 tuyến đường".into(),
        });
        let s = status_of(&e, &p, 2025, "1.1", input);
        assert_eq!(s.computed, Verdict::NotMet);
        assert_eq!(s.verdict, Verdict::MostlyMet);
        assert_eq!(
            s.manual_reason.as_deref(),
            Some("Đang hoàn thiện 2 tuyến đường")
        );
    }

    #[test]
    fn criterion_verdict_rules() {
        use Verdict::*;
        assert_eq!(criterion_verdict(&[Met, Met]), Met);
        assert_eq!(criterion_verdict(&[Met, MostlyMet]), MostlyMet);
        assert_eq!(criterion_verdict(&[Met, NotAssessed]), NotAssessed);
        assert_eq!(criterion_verdict(&[MostlyMet, NotMet, NotAssessed]), NotMet);
        assert_eq!(criterion_verdict(&[]), NotAssessed);
    }

    fn full_inputs(e: &Edition) -> HashMap<String, IndicatorInput> {
        let mut m = HashMap::new();
        let with_proof = |mut i: IndicatorInput| {
            i.evidence_count = 1;
            i
        };
        m.insert("1.1".into(), with_proof(ratio(90.0, 100.0)));
        m.insert(
            "1.2".into(),
            with_proof(IndicatorInput {
                measured: Some(Measured::YesNo(true)),
                ..Default::default()
            }),
        );
        m.insert(
            "2.1".into(),
            with_proof(IndicatorInput {
                measured: Some(Measured::Number(70.0)),
                ..Default::default()
            }),
        );
        m.insert("2.2".into(), with_proof(ratio(10.0, 100.0)));
        m.insert(
            "3.1".into(),
            with_proof(IndicatorInput {
                measured: Some(Measured::Number(6.0)),
                ..Default::default()
            }),
        );
        m.insert(
            "3.2".into(),
            with_proof(IndicatorInput {
                measured: Some(Measured::Level("Hoàn thành tốt nhiệm vụ".into())),
                ..Default::default()
            }),
        );
        assert_eq!(m.len(), e.indicator_count());
        m
    }

    fn good_conditions() -> ConditionsInput {
        let d = |day| CivilDate::new(2025, 3, day).unwrap();
        let mut postings = vec![
            Posting {
                place: "UBND xã".into(),
                date: d(1),
                medium: PostingMedium::CommuneOffice,
            },
            Posting {
                place: "Thôn Đông".into(),
                date: d(1),
                medium: PostingMedium::VillageHall,
            },
        ];
        postings.extend((0..5).map(|i| Posting {
            place: "Đài xã".into(),
            date: d(2 + i * 3),
            medium: PostingMedium::Radio,
        }));
        ConditionsInput {
            households_surveyed: Some(400),
            households_satisfied: Some(380),
            satisfaction_threshold: Some(90.0),
            satisfaction_threshold_reason: None,
            debt_million_vnd: Some(0.0),
            debt_status: Some(DebtStatus::None),
            security: Some(SecurityStatus::Stable),
            postings,
        }
    }

    #[test]
    fn a_complete_commune_is_eligible_and_gaps_are_listed_otherwise() {
        let e = fixture();
        let p = region(Region::RedRiverDelta);
        let inputs = full_inputs(&e);
        let ratings = HashMap::new();
        let conditions = good_conditions();
        let villages = vec!["Thôn Đông".to_string()];
        let input = AssessmentInput {
            edition: &e,
            profile: &p,
            year: 2025,
            indicators: &inputs,
            criterion_ratings: &ratings,
            conditions: &conditions,
            village_names: &villages,
            today: today(),
        };
        let st = assess(&input);
        assert_eq!(
            (
                st.criteria_met,
                st.criteria_total,
                st.indicators_met,
                st.indicators_total
            ),
            (3, 3, 6, 6)
        );
        assert!(st.eligible, "{:?}", st.missing);
        assert!(st.missing.is_empty());

        // A second village without a posting, 4 broadcasts only, and debt: not eligible.
        let mut bad = good_conditions();
        bad.postings.pop();
        bad.debt_status = Some(DebtStatus::Outstanding);
        bad.debt_million_vnd = Some(120.5);
        let villages = vec!["Thôn Đông".to_string(), "Thôn Tây".to_string()];
        let st = assess(&AssessmentInput {
            conditions: &bad,
            village_names: &villages,
            ..input
        });
        assert!(!st.eligible);
        let posting = st.conditions.iter().find(|c| c.key == "cong_khai").unwrap();
        assert_eq!(posting.verdict, Verdict::NotMet);
        assert!(
            posting.detail.contains("Thôn Tây") && posting.detail.contains("4/5"),
            "{}",
            posting.detail
        );
        assert!(st.conditions.iter().any(|c| c.key == "no_dong"
            && c.verdict == Verdict::NotMet
            && c.detail.contains("120,5")));
    }

    #[test]
    fn satisfaction_without_any_threshold_needs_one() {
        let e = fixture();
        let mut c = good_conditions();
        c.satisfaction_threshold = None;
        let p = region(Region::RedRiverDelta);
        let inputs = full_inputs(&e);
        let ratings = HashMap::new();
        let st = assess(&AssessmentInput {
            edition: &e,
            profile: &p,
            year: 2025,
            indicators: &inputs,
            criterion_ratings: &ratings,
            conditions: &c,
            village_names: &[],
            today: today(),
        });
        let s = st.conditions.iter().find(|c| c.key == "hai_long").unwrap();
        assert_eq!(s.verdict, Verdict::NotAssessed);
        assert!(s.detail.contains("chưa có ngưỡng"));
    }

    fn crit(number: u32, verdict: Verdict, key: bool) -> CriterionStatus {
        CriterionStatus {
            number,
            name: String::new(),
            verdict,
            manual: None,
            indicators: vec![],
            revocation_key: key,
        }
    }

    #[test]
    fn revocation_risk_follows_qd18() {
        use Verdict::*;
        let mut cs: Vec<CriterionStatus> = (1..=10).map(|n| crit(n, Met, n == 10)).collect();
        assert_eq!(revocation_risk(&cs).level, RiskLevel::None);
        // 3 of 10 fail (30 %) but no key criterion: no risk.
        for c in cs.iter_mut().take(3) {
            c.verdict = NotMet;
        }
        assert_eq!(revocation_risk(&cs).level, RiskLevel::None);
        // 3 of 10 including the key criterion 10: at risk.
        cs[2].verdict = Met;
        cs[9].verdict = NotMet;
        let r = revocation_risk(&cs);
        assert_eq!(
            (r.level, r.key_failing.clone()),
            (RiskLevel::AtRisk, vec![10])
        );
        // 5 of 10 fail: high whatever they are.
        let cs: Vec<CriterionStatus> = (1..=10)
            .map(|n| crit(n, if n <= 5 { NotMet } else { Met }, false))
            .collect();
        assert_eq!(revocation_risk(&cs).level, RiskLevel::High);
    }

    #[test]
    fn incomplete_catalogue_is_never_eligible() {
        let e = parse_edition(include_str!(
            "../../../templates/criteria/qd51-2025-xa.toml"
        ))
        .unwrap();
        let p = UnitProfile {
            group: Some(CommuneGroup::Two),
            ..Default::default()
        };
        let ratings: HashMap<u32, ManualVerdict> = (1..=10)
            .map(|n| {
                (
                    n,
                    ManualVerdict {
                        verdict: Verdict::Met,
                        reason: "Hội đồng đánh giá".into(),
                    },
                )
            })
            .collect();
        let inputs = HashMap::new();
        let c = good_conditions();
        let st = assess(&AssessmentInput {
            edition: &e,
            profile: &p,
            year: 2026,
            indicators: &inputs,
            criterion_ratings: &ratings,
            conditions: &c,
            village_names: &[],
            today: today(),
        });
        assert_eq!(st.criteria_met, 10);
        assert!(!st.eligible);
        assert_eq!(
            st.missing.first().map(|m| m.kind),
            Some(MissingKind::Catalogue)
        );
    }
}
