//! The verdicts and counts of many assessments on one edition, without any display text:
//! the roll-up's path (issue 12). An edition is prepared once (its indicators in order,
//! each one's threshold rule found once per segment and year, level names folded once);
//! then each assessment only compares its numbers. [`super::assess`] stays the full path
//! (values and thresholds for display, what is missing); both compare through the same
//! [`Rule`], and the test `the_quick_path_gives_the_full_paths_verdicts` keeps them equal.

use super::{ConditionStatus, ConditionsInput, conditions};
use super::{Measured, RiskLevel, criterion_verdict, measured_number, risk_level, round2};
use crate::domain::catalog::{Comparator, Edition, Indicator, IndicatorKind, ThresholdValue};
use crate::domain::units::{Segment, UnitProfile, Verdict};
use crate::domain::vn_text::fold;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// FNV-1a for indicator codes (a few bytes, looked up once per value of every commune):
/// the standard hasher costs more than the lookup itself.
#[derive(Default)]
struct CodeHasher(u64);

impl Hasher for CodeHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        let mut h = if self.0 == 0 {
            0xcbf2_9ce4_8422_2325
        } else {
            self.0
        };
        for b in bytes {
            h ^= u64::from(*b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        self.0 = h;
    }
}

/// How a value is compared with the threshold that applies to it, found once.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Rule {
    /// Đạt / Không against «Đạt».
    Yes,
    /// A level against the required one (`need`: its place in `levels`, folded).
    Level {
        /// The indicator's levels, folded, lowest first.
        levels: Vec<String>,
        /// The place of the required level, `None` when it is not among them.
        need: Option<usize>,
        /// How the places compare.
        comparator: Comparator,
    },
    /// A number against the required one (rounded as the module doc says, except counts).
    Number {
        /// The number required.
        need: f64,
        /// Whether the indicator counts (its numbers are compared unrounded).
        count: bool,
        /// How the numbers compare.
        comparator: Comparator,
    },
}

impl Rule {
    /// The rule of `threshold` for `indicator`.
    pub(super) fn new(indicator: &Indicator, threshold: &ThresholdValue) -> Self {
        match threshold {
            ThresholdValue::Yes => Self::Yes,
            ThresholdValue::Level(required) => {
                let levels: Vec<String> = indicator.levels.iter().map(|l| fold(l)).collect();
                let wanted = fold(required);
                Self::Level {
                    need: levels.iter().position(|l| *l == wanted),
                    levels,
                    comparator: indicator.comparator,
                }
            }
            ThresholdValue::Number(required) => {
                let count = indicator.kind == IndicatorKind::Count;
                Self::Number {
                    need: if count { *required } else { round2(*required) },
                    count,
                    comparator: indicator.comparator,
                }
            }
        }
    }

    /// The computed verdict of `measured`, or `None` when it cannot be compared (a value
    /// of the wrong kind, a level not in the list).
    pub(super) fn verdict(&self, measured: &Measured) -> Option<Verdict> {
        let met = match (measured, self) {
            (Measured::YesNo(v), Self::Yes) => *v,
            (
                Measured::Level(level),
                Self::Level {
                    levels,
                    need,
                    comparator,
                },
            ) => {
                let wanted = fold(level);
                let have = levels.iter().position(|l| *l == wanted)?;
                holds(*comparator, have, (*need)?)
            }
            (
                m,
                Self::Number {
                    need,
                    count,
                    comparator,
                },
            ) => {
                let have = match (count, m) {
                    (true, Measured::Number(n)) => *n,
                    _ => measured_number(m)?,
                };
                holds(*comparator, have, *need)
            }
            _ => return None,
        };
        Some(if met { Verdict::Met } else { Verdict::NotMet })
    }
}

/// Whether `have` stands to `need` as the comparator asks.
fn holds<T: PartialOrd>(comparator: Comparator, have: T, need: T) -> bool {
    match comparator {
        Comparator::AtLeast => have >= need,
        Comparator::AtMost => have <= need,
        Comparator::Equal => have == need,
    }
}

/// What the quick path needs of one indicator of one assessment.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct QuickInput {
    /// The measured value, if entered.
    pub measured: Option<Measured>,
    /// A person's verdict, if any (its reason does not change any count).
    pub manual: Option<Verdict>,
}

/// The verdicts and counts of one assessment, as the roll-up shows them; each field equals
/// the field of the same name of [`super::AssessmentStatus`].
#[derive(Debug, Clone, PartialEq)]
pub struct VerdictCounts {
    /// Each criterion's verdict in force, in the edition's order.
    pub criteria: Vec<(u32, Verdict)>,
    /// Criteria Đạt.
    pub criteria_met: usize,
    /// Criteria in the catalogue.
    pub criteria_total: usize,
    /// Indicators Đạt.
    pub indicators_met: usize,
    /// Indicators in the catalogue.
    pub indicators_total: usize,
    /// Every criterion and condition met, and the catalogue complete.
    pub eligible: bool,
    /// The revocation risk level.
    pub revocation: RiskLevel,
}

/// What one assessment holds besides its indicators, for [`PreparedEdition::verdicts`].
pub struct QuickAssessment<'a, F> {
    /// The unit's profile (for the segment of the thresholds).
    pub profile: &'a UnitProfile,
    /// The assessment's year.
    pub year: i32,
    /// One input per indicator, in the order of [`PreparedEdition::indicators`].
    pub inputs: &'a [QuickInput],
    /// Manual criterion ratings: (criterion number, verdict); the last of a number wins.
    pub criterion_ratings: &'a [(u32, Verdict)],
    /// The recognition conditions and the commune's village names, asked for only when
    /// every criterion is met (only then can they change a figure).
    pub conditions: F,
}

/// An edition prepared once for the verdicts of many assessments.
pub struct PreparedEdition<'e> {
    edition: &'e Edition,
    /// Every indicator, in the edition's order.
    indicators: Vec<&'e Indicator>,
    /// Each criterion: (number, revocation key, how many indicators it has).
    criteria: Vec<(u32, bool, usize)>,
    /// The positions of each indicator code in `indicators`.
    positions: HashMap<&'e str, Vec<usize>, BuildHasherDefault<CodeHasher>>,
    /// The rule of each indicator (`None`: no threshold applies), per segment and year.
    rules: HashMap<(Option<Segment>, i32), Vec<Option<Rule>>>,
    incomplete: bool,
}

impl<'e> PreparedEdition<'e> {
    /// Prepares `edition`: its indicator order, criteria and codes.
    pub fn new(edition: &'e Edition) -> Self {
        let indicators: Vec<&Indicator> = edition.indicators().map(|(_, i)| i).collect();
        let mut positions: HashMap<&str, Vec<usize>, BuildHasherDefault<CodeHasher>> =
            HashMap::default();
        for (k, i) in indicators.iter().enumerate() {
            positions.entry(i.code.as_str()).or_default().push(k);
        }
        Self {
            edition,
            criteria: edition
                .criteria
                .iter()
                .map(|c| (c.number, c.revocation_key, c.indicators.len()))
                .collect(),
            indicators,
            positions,
            rules: HashMap::new(),
            incomplete: edition.is_incomplete(),
        }
    }

    /// The edition prepared.
    pub fn edition(&self) -> &'e Edition {
        self.edition
    }

    /// Every indicator, in the order [`QuickAssessment::inputs`] follows.
    pub fn indicators(&self) -> &[&'e Indicator] {
        &self.indicators
    }

    /// Where the indicator of `code` stands in [`Self::indicators`] (none if the edition
    /// has no such code).
    pub fn positions(&self, code: &str) -> &[usize] {
        self.positions.get(code).map_or(&[], Vec::as_slice)
    }

    /// The verdicts and counts of one assessment; inputs missing at the end count as
    /// nothing entered.
    pub fn verdicts<F>(&mut self, a: QuickAssessment<'_, F>) -> VerdictCounts
    where
        F: FnOnce() -> (ConditionsInput, Vec<String>),
    {
        let key = (self.edition.keyed_by.segment_of(a.profile), a.year);
        let indicators = &self.indicators;
        let rules = self.rules.entry(key).or_insert_with(|| {
            indicators
                .iter()
                .map(|i| {
                    i.threshold_for(key.0, key.1)
                        .map(|t| Rule::new(i, &t.threshold.value))
                })
                .collect()
        });
        let mut criteria = Vec::with_capacity(self.criteria.len());
        let (mut indicators_met, mut start) = (0, 0);
        let (mut failing, mut key_failing) = (0, false);
        let mut buffer: Vec<Verdict> = Vec::new();
        for &(number, revocation_key, count) in &self.criteria {
            let verdicts = (start..start + count).map(|k| {
                let input = a.inputs.get(k);
                let computed = match (input.and_then(|i| i.measured.as_ref()), rules.get(k)) {
                    (Some(m), Some(Some(rule))) => rule.verdict(m).unwrap_or(Verdict::NotAssessed),
                    _ => Verdict::NotAssessed,
                };
                input.and_then(|i| i.manual).unwrap_or(computed)
            });
            buffer.clear();
            buffer.extend(verdicts);
            indicators_met += buffer.iter().filter(|v| **v == Verdict::Met).count();
            start += count;
            let computed = criterion_verdict(&buffer);
            let verdict = a
                .criterion_ratings
                .iter()
                .rev()
                .find(|(n, _)| *n == number)
                .map_or(computed, |(_, v)| *v);
            if verdict == Verdict::NotMet {
                failing += 1;
                key_failing |= revocation_key;
            }
            criteria.push((number, verdict));
        }
        let criteria_total = criteria.len();
        let criteria_met = criteria.iter().filter(|(_, v)| *v == Verdict::Met).count();
        let eligible = !self.incomplete
            && criteria_total > 0
            && criteria_met == criteria_total
            && conditions_met(self.edition, a.conditions);
        VerdictCounts {
            criteria,
            criteria_met,
            criteria_total,
            indicators_met,
            indicators_total: self.indicators.len(),
            eligible,
            revocation: risk_level(failing, criteria_total, key_failing).0,
        }
    }
}

/// Whether every recognition condition is met, by the full path's own functions.
fn conditions_met<F>(edition: &Edition, conditions: F) -> bool
where
    F: FnOnce() -> (ConditionsInput, Vec<String>),
{
    let (input, villages) = conditions();
    let met = |c: ConditionStatus| c.verdict == Verdict::Met;
    met(conditions::satisfaction(edition, &input))
        && met(conditions::debt(&input))
        && met(conditions::security(&input))
        && met(conditions::posting(&input, &villages))
}

#[cfg(test)]
mod tests {
    use super::super::{
        AssessmentInput, DebtStatus, IndicatorInput, ManualVerdict, Posting, PostingMedium,
        SecurityStatus, assess,
    };
    use super::*;
    use crate::domain::catalog::toml_format::parse_edition;
    use crate::domain::units::{CommuneGroup, Region, UnitFlag};
    use crate::domain::vn_text::CivilDate;
    use std::collections::{BTreeSet, HashMap};

    /// A small deterministic generator (no crate needed for a test's variety).
    struct Dice(u64);

    impl Dice {
        fn roll(&mut self, n: usize) -> usize {
            self.0 = self
                .0
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            ((self.0 >> 33) % n as u64) as usize
        }
    }

    const VERDICTS: [Verdict; 4] = [
        Verdict::Met,
        Verdict::MostlyMet,
        Verdict::NotMet,
        Verdict::NotAssessed,
    ];

    /// A value of any kind (the wrong kind too), on both sides of the thresholds.
    fn measured(dice: &mut Dice, indicator: &Indicator) -> Option<Measured> {
        let n = [
            0.0, 4.0, 5.0, 14.99, 15.0, 59.995, 62.0, 65.0, 69.995, 79.995, 80.0, 100.0,
        ];
        Some(match dice.roll(8) {
            0 => return None,
            1 | 2 => Measured::Ratio {
                numerator: n[dice.roll(n.len())] * 10.0 + dice.roll(3) as f64 - 1.0,
                denominator: [1000.0, 0.0, 999.0][dice.roll(3)],
            },
            3 | 4 => Measured::Number(n[dice.roll(n.len())] + [0.0, 0.004, 0.5][dice.roll(3)]),
            5 => Measured::YesNo(dice.roll(2) == 0),
            _ => {
                let mut names = indicator.levels.clone();
                names.push("hoan thanh tot nhiem vu".into());
                names.push("Mức không có trong danh sách".into());
                Measured::Level(names[dice.roll(names.len())].clone())
            }
        })
    }

    fn conditions(dice: &mut Dice, villages: &[String], lean: bool) -> ConditionsInput {
        let day = |d: usize| CivilDate::new(2025, 3, 1 + (d % 28) as u32).unwrap();
        let mut postings = Vec::new();
        if dice.roll(4) != 0 {
            postings.push(Posting {
                place: "UBND xã".into(),
                date: day(0),
                medium: PostingMedium::CommuneOffice,
            });
            for v in villages.iter().filter(|_| dice.roll(6) != 0) {
                postings.push(Posting {
                    place: v.clone(),
                    date: day(1),
                    medium: PostingMedium::VillageHall,
                });
            }
            for k in 0..4 + dice.roll(3) {
                postings.push(Posting {
                    place: "Đài xã".into(),
                    date: day(k * (1 + dice.roll(4))),
                    medium: PostingMedium::Radio,
                });
            }
        }
        let asked = [None, Some(0), Some(400)][dice.roll(3)];
        if lean && dice.roll(3) != 0 {
            // All met: the radio five times in a fortnight, every village posted.
            postings.retain(|p| p.medium != PostingMedium::VillageHall);
            postings.extend(villages.iter().map(|v| Posting {
                place: v.clone(),
                date: day(2),
                medium: PostingMedium::VillageHall,
            }));
            postings.extend((0..5).map(|k| Posting {
                place: "Đài xã".into(),
                date: day(3 + k),
                medium: PostingMedium::Radio,
            }));
            return ConditionsInput {
                households_surveyed: Some(400),
                households_satisfied: Some(380),
                satisfaction_threshold: Some(90.0),
                satisfaction_threshold_reason: Some("Theo nghị quyết của tỉnh".into()),
                debt_million_vnd: Some(0.0),
                debt_status: Some(DebtStatus::None),
                security: Some(SecurityStatus::Stable),
                postings,
            };
        }
        ConditionsInput {
            households_surveyed: asked,
            households_satisfied: [None, Some(300), Some(380), Some(401)][dice.roll(4)],
            satisfaction_threshold: [None, Some(90.0), Some(95.0)][dice.roll(3)],
            satisfaction_threshold_reason: (dice.roll(2) == 0)
                .then(|| "Theo nghị quyết của tỉnh".into()),
            debt_million_vnd: [None, Some(0.0), Some(12.5)][dice.roll(3)],
            debt_status: [None, Some(DebtStatus::None), Some(DebtStatus::Outstanding)]
                [dice.roll(3)],
            security: [
                None,
                Some(SecurityStatus::Stable),
                Some(SecurityStatus::Complex),
            ][dice.roll(3)],
            postings,
        }
    }

    fn profile(dice: &mut Dice) -> UnitProfile {
        UnitProfile {
            region: [
                None,
                Some(Region::RedRiverDelta),
                Some(Region::NorthernMountains),
                Some(Region::MekongDelta),
            ][dice.roll(4)],
            group: [None, Some(CommuneGroup::One), Some(CommuneGroup::Two)][dice.roll(3)],
            flags: if dice.roll(5) == 0 {
                vec![UnitFlag::EspeciallyDisadvantaged]
            } else {
                vec![]
            },
        }
    }

    /// The figures of the full path, as [`VerdictCounts`].
    fn full(e: &Edition, input: &AssessmentInput<'_>) -> VerdictCounts {
        let st = assess(input);
        assert_eq!(e.criteria.len(), st.criteria.len());
        VerdictCounts {
            criteria: st.criteria.iter().map(|c| (c.number, c.verdict)).collect(),
            criteria_met: st.criteria_met,
            criteria_total: st.criteria_total,
            indicators_met: st.indicators_met,
            indicators_total: st.indicators_total,
            eligible: st.eligible,
            revocation: st.revocation.level,
        }
    }

    /// The same indicator inputs for both paths: values of every kind, manual verdicts.
    fn indicator_inputs(
        dice: &mut Dice,
        prepared: &PreparedEdition<'_>,
        lean: bool,
    ) -> (HashMap<String, IndicatorInput>, Vec<QuickInput>) {
        let mut inputs = HashMap::new();
        let mut quick = vec![QuickInput::default(); prepared.indicators().len()];
        for (k, i) in prepared.indicators().iter().enumerate() {
            let manual = if lean || dice.roll(5) == 0 {
                Some(if lean && dice.roll(8) != 0 {
                    Verdict::Met
                } else {
                    VERDICTS[dice.roll(4)]
                })
            } else {
                None
            };
            let m = measured(dice, i);
            quick[k] = QuickInput {
                measured: m.clone(),
                manual,
            };
            inputs.insert(
                i.code.to_string(),
                IndicatorInput {
                    measured: m,
                    manual: manual.map(|verdict| ManualVerdict {
                        verdict,
                        reason: "Theo biên bản".into(),
                    }),
                    evidence_count: dice.roll(2),
                    deadline: None,
                },
            );
        }
        (inputs, quick)
    }

    #[test]
    fn the_quick_path_gives_the_full_paths_verdicts() {
        let editions = [
            include_str!("../../../tests/fixtures/test-edition.toml"),
            include_str!("../../../templates/criteria/qd318-2022-xa.toml"),
            include_str!("../../../templates/criteria/qd51-2025-xa.toml"),
        ];
        let today = CivilDate::new(2025, 6, 1).unwrap();
        let mut dice = Dice(12);
        let mut seen_verdicts = BTreeSet::new();
        let mut seen = (BTreeSet::new(), BTreeSet::new(), BTreeSet::new());
        for text in editions {
            let e = parse_edition(text).unwrap();
            let mut prepared = PreparedEdition::new(&e);
            for case in 0..600 {
                // Every fourth case leans towards Đạt so that eligible communes occur.
                let lean = case % 4 == 0;
                let (inputs, quick) = indicator_inputs(&mut dice, &prepared, lean);
                let mut ratings: Vec<(u32, Verdict)> = Vec::new();
                for c in &e.criteria {
                    let odds = if c.indicators.is_empty() || lean {
                        2
                    } else {
                        9
                    };
                    if dice.roll(odds) == 0 {
                        let v = if lean {
                            Verdict::Met
                        } else {
                            VERDICTS[dice.roll(4)]
                        };
                        ratings.push((c.number, v));
                    }
                }
                let by_number: HashMap<u32, ManualVerdict> = ratings
                    .iter()
                    .map(|(n, verdict)| {
                        (
                            *n,
                            ManualVerdict {
                                verdict: *verdict,
                                reason: "Hội đồng".into(),
                            },
                        )
                    })
                    .collect();
                let villages: Vec<String> =
                    (0..dice.roll(3)).map(|v| format!("Thôn {v}")).collect();
                let c = conditions(&mut dice, &villages, lean);
                let p = profile(&mut dice);
                let year = 2023 + dice.roll(4) as i32;
                let want = full(
                    &e,
                    &AssessmentInput {
                        edition: &e,
                        profile: &p,
                        year,
                        indicators: &inputs,
                        criterion_ratings: &by_number,
                        conditions: &c,
                        village_names: &villages,
                        today,
                    },
                );
                let got = prepared.verdicts(QuickAssessment {
                    profile: &p,
                    year,
                    inputs: &quick,
                    criterion_ratings: &ratings,
                    conditions: || (c.clone(), villages.clone()),
                });
                assert_eq!(got, want, "{} case {case}", e.code);
                seen_verdicts.extend(got.criteria.iter().map(|(_, v)| v.code()));
                seen.0.insert(got.eligible);
                seen.1.insert(got.revocation.code());
                seen.2.insert(got.indicators_met);
            }
        }
        // The data covered what it must: every verdict, both eligibilities, every risk.
        assert_eq!(seen_verdicts.len(), 4, "{seen_verdicts:?}");
        assert_eq!(seen.0.len(), 2);
        assert_eq!(seen.1.len(), 3, "{:?}", seen.1);
        assert!(seen.2.len() >= 6, "{:?}", seen.2);
    }

    #[test]
    fn missing_inputs_count_as_nothing_entered() {
        let e = parse_edition(include_str!("../../../tests/fixtures/test-edition.toml")).unwrap();
        let mut prepared = PreparedEdition::new(&e);
        assert_eq!(prepared.positions("2.1"), &[2]);
        assert!(prepared.positions("9.9").is_empty());
        let got = prepared.verdicts(QuickAssessment {
            profile: &UnitProfile::default(),
            year: 2025,
            inputs: &[QuickInput {
                measured: Some(Measured::Ratio {
                    numerator: 90.0,
                    denominator: 100.0,
                }),
                manual: None,
            }],
            criterion_ratings: &[],
            conditions: || unreachable!("conditions asked although a criterion fails"),
        });
        assert_eq!(got.indicators_met, 1);
        assert_eq!(got.indicators_total, 6);
        assert!(got.criteria.iter().all(|(_, v)| *v == Verdict::NotAssessed));
    }
}
