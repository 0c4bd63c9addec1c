//! Criteria editions: the validated, in-memory form of a legal decision's criteria and
//! indicators, with thresholds per segment (region or commune group) and year.
//!
//! Editions are data (`templates/criteria/*.toml`, or a province's import); this module
//! only knows their shape. An unknown threshold is simply absent, and every threshold
//! says whether it was verified against the legal text and where it comes from, so that
//! nothing unverified can pass for a fact.

use super::units::{Segment, Target, UnitKind};
use std::fmt;

pub mod paste;
pub mod toml_format;
pub mod xlsx_rows;
pub mod xlsx_vn;

mod codes;
pub mod computed;
pub use codes::{Comparator, EditionCode, IndicatorCode, IndicatorKind, KeyedBy, ThresholdValue};
pub use computed::{ComputedCondition, ComputedKind};

/// One threshold of an indicator for one segment and, optionally, one year.
#[derive(Debug, Clone, PartialEq)]
pub struct Threshold {
    /// The segment it applies to.
    pub segment: Segment,
    /// The year it applies to, for indicators with a value per year (income).
    pub year: Option<i32>,
    /// The required value.
    pub value: ThresholdValue,
    /// Whether the value was checked against the legal text.
    pub verified: bool,
    /// Where the value comes from (decision, annex, article).
    pub source: String,
}

/// Guidance for the clerk collecting an indicator.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Guidance {
    /// What to measure and how.
    pub how_to_measure: String,
    /// The office that holds the data.
    pub data_office: String,
    /// Typical proof documents.
    pub typical_proof: Vec<String>,
}

/// One indicator (chỉ tiêu).
#[derive(Debug, Clone, PartialEq)]
pub struct Indicator {
    /// Its code, e.g. `3.1`.
    pub code: IndicatorCode,
    /// Its wording.
    pub text: String,
    /// Whether the wording was checked against the legal text.
    pub text_verified: bool,
    /// The unit shown after values (`%`, `triệu đồng/người/năm`).
    pub unit: String,
    /// What it measures.
    pub kind: IndicatorKind,
    /// How values compare with thresholds.
    pub comparator: Comparator,
    /// Ordered levels, lowest first, for qualitative indicators.
    pub levels: Vec<String>,
    /// Thresholds per segment and year; empty when unknown.
    pub thresholds: Vec<Threshold>,
    /// Guidance for the clerk.
    pub guidance: Guidance,
    /// Remarks (e.g. what is not yet known).
    pub note: String,
}

/// What a lookup found for a unit's segment and year.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct AppliedThreshold<'a> {
    /// The threshold.
    pub threshold: &'a Threshold,
    /// True when the general value was used because no segment-specific one exists.
    pub is_general_fallback: bool,
}

impl Indicator {
    /// The threshold for a segment and year: the segment's own value if it has one,
    /// otherwise the general value; among those, a value without a year, or the one for
    /// exactly this year, or else the latest earlier year. `None` when the catalogue
    /// holds nothing that applies: the verdict then needs the user's judgement.
    pub fn threshold_for(
        &self,
        segment: Option<Segment>,
        year: i32,
    ) -> Option<AppliedThreshold<'_>> {
        let pick = |wanted: Segment| {
            let candidates = self.thresholds.iter().filter(|t| t.segment == wanted);
            let mut best: Option<&Threshold> = None;
            for t in candidates {
                let better = match (t.year, best.and_then(|b| b.year)) {
                    (Some(y), _) if y > year => false,
                    (None, _) => best.is_none(),
                    (Some(_), None) => true,
                    (Some(y), Some(b)) => y > b,
                };
                if better {
                    best = Some(t);
                }
            }
            best
        };
        if let Some(seg) = segment.filter(|s| *s != Segment::General)
            && let Some(t) = pick(seg)
        {
            return Some(AppliedThreshold {
                threshold: t,
                is_general_fallback: false,
            });
        }
        pick(Segment::General).map(|t| AppliedThreshold {
            threshold: t,
            is_general_fallback: segment.is_some_and(|s| s != Segment::General),
        })
    }

    /// What the indicator's numbers count when they can only be whole (`số hộ`,
    /// `số người`), or `None` when fractions make sense (hectares, kilometres, money).
    ///
    /// A count is always whole. A ratio counts whole things when its wording is about
    /// households, people, children, pupils, workers or works (`Tỷ lệ hộ…`, `Tỷ lệ dân
    /// số…`); an amount when its unit is one of those. The catalogue format has no field
    /// for it, so the wording decides; a ratio of areas or lengths is never refused.
    pub fn counted_things(&self) -> Option<&'static str> {
        const NOUNS: [(&str, &str); 9] = [
            ("hộ", "số hộ"),
            ("người", "số người"),
            ("dân số", "số người"),
            ("trẻ", "số trẻ"),
            ("học sinh", "số học sinh"),
            ("lao động", "số lao động"),
            ("công trình", "số công trình"),
            ("cái", "số lượng"),
            ("chiếc", "số lượng"),
        ];
        let words = |text: &str| -> String {
            let lower = super::vn_text::nfc(text).to_lowercase();
            let spaced: String = lower
                .chars()
                .map(|c| if c.is_alphanumeric() { c } else { ' ' })
                .collect();
            format!(
                " {} ",
                spaced.split_whitespace().collect::<Vec<_>>().join(" ")
            )
        };
        let find = |text: &str| {
            let text = words(text);
            NOUNS
                .iter()
                .find(|(noun, _)| text.contains(&format!(" {noun} ")))
                .map(|(_, counted)| *counted)
        };
        match self.kind {
            IndicatorKind::Count => Some(find(&self.unit).unwrap_or("số lượng")),
            IndicatorKind::Ratio => find(&self.text),
            IndicatorKind::Amount if !self.unit.contains('/') => find(&self.unit),
            _ => None,
        }
    }
}

/// One criterion (tiêu chí).
#[derive(Debug, Clone, PartialEq)]
pub struct Criterion {
    /// Its number, 1-based.
    pub number: u32,
    /// Its name.
    pub name: String,
    /// Whether the name was checked against the legal text.
    pub name_verified: bool,
    /// The group heading it belongs to, e.g. "II. Hạ tầng kinh tế - xã hội".
    pub group: String,
    /// Whether failing it counts towards revocation under QĐ 18/2022 (income,
    /// environment, living environment, defence and security).
    pub revocation_key: bool,
    /// Its indicators in order.
    pub indicators: Vec<Indicator>,
    /// Remarks.
    pub note: String,
}

/// The legal basis of an edition.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LegalBasis {
    /// The decision number, e.g. `318/QĐ-TTg`.
    pub decision: String,
    /// The signing date (ISO).
    pub signed_on: String,
    /// The annex, e.g. `Phụ lục I`.
    pub annex: String,
    /// The first day it applies (ISO).
    pub effective_from: String,
    /// The last day it applies (ISO), if known.
    pub effective_to: String,
}

/// A number with its verification status and source.
#[derive(Debug, Clone, PartialEq)]
pub struct SourcedNumber {
    /// The value.
    pub value: f64,
    /// Whether it was checked against the legal text.
    pub verified: bool,
    /// Where it comes from.
    pub source: String,
}

/// Recognition conditions outside the criteria.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ConditionRules {
    /// Required share of satisfied households, when known.
    pub satisfaction_percent: Option<SourcedNumber>,
    /// Further conditions stated in words (e.g. for districts).
    pub other: Vec<String>,
    /// Conditions computed from the units below and the unit's own data.
    pub computed: Vec<ComputedCondition>,
}

/// A revision of a province's copy: its number, date and issuing office, so that a
/// commune sees which version of the office's edition it holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Revision {
    /// 1, 2, 3… in the order the office issued them.
    pub number: u32,
    /// The date it was issued (ISO).
    pub date: String,
    /// The office that issued it.
    pub office: String,
}

/// A criteria edition (bộ tiêu chí), as validated.
#[derive(Debug, Clone, PartialEq)]
pub struct Edition {
    /// Stable code.
    pub code: EditionCode,
    /// Full title.
    pub title: String,
    /// The level of unit it assesses.
    pub level: UnitKind,
    /// The targets it serves.
    pub targets: Vec<Target>,
    /// How thresholds are keyed.
    pub keyed_by: KeyedBy,
    /// Legal basis.
    pub legal: LegalBasis,
    /// How many criteria the decision has, when known.
    pub criteria_expected: Option<u32>,
    /// How many indicators the decision has, when known.
    pub indicators_expected: Option<u32>,
    /// Recognition conditions.
    pub conditions: ConditionRules,
    /// Remarks shown with the edition.
    pub note: String,
    /// The revision of a province's copy, if it has been issued.
    pub revision: Option<Revision>,
    /// Criteria in order.
    pub criteria: Vec<Criterion>,
}

impl Edition {
    /// How a user reads the edition: by its decision, level, target and period
    /// («QĐ 51/2025/QĐ-TTg — xã NTM 2026–2030»), not by its code. An edition without a
    /// decision (a province's own copy) reads by its title.
    pub fn decision_label(&self) -> String {
        let decision = self.legal.decision.trim();
        if decision.is_empty() {
            return if self.title.trim().is_empty() {
                self.code.to_string()
            } else {
                self.title.clone()
            };
        }
        let year = |iso: &str| {
            iso.get(..4)
                .filter(|y| y.bytes().all(|b| b.is_ascii_digit()))
                .map(str::to_string)
        };
        // The programme period the decision names («giai đoạn 2021–2025») is what offices
        // say; the dates in force (QĐ 318 took effect in 2022) only when the title has none.
        let named_period = period_in(&self.title).map(|(from, to)| format!(" {from}–{to}"));
        let period = match (
            year(&self.legal.effective_from),
            year(&self.legal.effective_to),
        ) {
            _ if named_period.is_some() => named_period.unwrap_or_default(),
            (Some(from), Some(to)) if from != to => format!(" {from}–{to}"),
            (Some(from), _) => format!(" từ {from}"),
            _ => String::new(),
        };
        let target =
            if self.targets.iter().all(|t| *t == Target::Advanced) && !self.targets.is_empty() {
                "NTM nâng cao"
            } else {
                "NTM"
            };
        format!(
            "QĐ {decision} — {} {target}{period}",
            self.level.label().to_lowercase()
        )
    }

    /// Every indicator in order.
    pub fn indicators(&self) -> impl Iterator<Item = (&Criterion, &Indicator)> {
        self.criteria
            .iter()
            .flat_map(|c| c.indicators.iter().map(move |i| (c, i)))
    }

    /// Finds an indicator by code.
    pub fn indicator(&self, code: &str) -> Option<(&Criterion, &Indicator)> {
        self.indicators()
            .find(|(_, i)| i.code.as_str() == code.trim())
    }

    /// Number of indicators present.
    pub fn indicator_count(&self) -> usize {
        self.criteria.iter().map(|c| c.indicators.len()).sum()
    }

    /// True when the catalogue holds fewer criteria or indicators than the decision has,
    /// i.e. a province still has to complete it.
    pub fn is_incomplete(&self) -> bool {
        let criteria_short = self
            .criteria_expected
            .is_some_and(|n| (self.criteria.len() as u32) < n);
        let indicators_short = self
            .indicators_expected
            .is_some_and(|n| (self.indicator_count() as u32) < n);
        criteria_short || indicators_short
    }

    /// For each specific segment of the edition's keying (groups 1–3 or the 7 regions),
    /// how many indicators have no threshold that applies to it (neither its own nor a
    /// general one), e.g. «thiếu ngưỡng nhóm 3 ở 5 chỉ tiêu». Yes/no indicators count
    /// too: without a threshold nobody knows they must be «Đạt». Segments with none
    /// missing are left out.
    pub fn missing_thresholds(&self) -> Vec<(Segment, usize)> {
        let segments: Vec<Segment> = match self.keyed_by {
            KeyedBy::Group => super::units::CommuneGroup::ALL
                .iter()
                .map(|g| Segment::Group(*g))
                .collect(),
            KeyedBy::Region => super::units::Region::ALL
                .iter()
                .map(|r| Segment::Region(*r))
                .collect(),
            KeyedBy::Nothing => vec![Segment::General],
        };
        segments
            .into_iter()
            .map(|s| {
                let missing = self
                    .indicators()
                    .filter(|(_, i)| {
                        !i.thresholds
                            .iter()
                            .any(|t| t.segment == s || t.segment == Segment::General)
                    })
                    .count();
                (s, missing)
            })
            .filter(|(_, n)| *n > 0)
            .collect()
    }

    /// Counts of thresholds: (verified, unverified).
    pub fn threshold_counts(&self) -> (usize, usize) {
        let all = self.indicators().flat_map(|(_, i)| i.thresholds.iter());
        all.fold(
            (0, 0),
            |(v, u), t| if t.verified { (v + 1, u) } else { (v, u + 1) },
        )
    }
}

/// A problem found while reading a catalogue, with where it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// Where: "dòng 12" or "trang tính chi_tieu, hàng 5".
    pub location: String,
    /// The field concerned.
    pub field: String,
    /// What is wrong, in Vietnamese.
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.field.is_empty() {
            write!(f, "{}: {}", self.location, self.message)
        } else {
            write!(
                f,
                "{}, trường «{}»: {}",
                self.location, self.field, self.message
            )
        }
    }
}

/// The first «YYYY–YYYY» (en dash or hyphen) in a title, e.g. the programme period of
/// «… giai đoạn 2021–2025».
fn period_in(title: &str) -> Option<(&str, &str)> {
    let chars: Vec<(usize, char)> = title.char_indices().collect();
    chars.windows(9).find_map(|w| {
        let digits = |r: &[(usize, char)]| r.iter().all(|(_, c)| c.is_ascii_digit());
        let (first, dash, second) = (w.get(..4)?, w.get(4)?, w.get(5..)?);
        if digits(first) && matches!(dash.1, '–' | '-') && digits(second) {
            let start = first.first()?.0;
            let last = second.last()?;
            let end = last.0 + last.1.len_utf8();
            Some((
                title.get(start..start + 4)?,
                title.get(dash.0 + dash.1.len_utf8()..end)?,
            ))
        } else {
            None
        }
    })
}

#[cfg(test)]
mod period_tests {
    use super::period_in;

    #[test]
    fn r_decision_label_names_the_year_in_force_instead_of_the_programme_period() {
        assert_eq!(
            period_in("Bộ tiêu chí quốc gia về xã nông thôn mới giai đoạn 2021–2025"),
            Some(("2021", "2025"))
        );
        assert_eq!(period_in("giai đoạn 2026-2030"), Some(("2026", "2030")));
        assert_eq!(period_in("Bộ tiêu chí thử nghiệm"), None);
    }
}
