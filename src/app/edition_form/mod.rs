//! The catalogue editor's form: a province copy as the fields a screen shows (numbers,
//! codes and years as typed), read back into an [`Edition`] with the same checks as an
//! imported file. Each problem names the criterion, indicator or threshold it belongs
//! to, so that the screen shows it beside the field; nothing is saved until the form
//! reads without a problem.

use crate::domain::catalog::toml_format::{parse_edition, to_toml};
use crate::domain::catalog::{
    Comparator, Criterion, Edition, IndicatorCode, IndicatorKind, ThresholdValue,
};
use crate::domain::units::Segment;
use crate::domain::vn_text::{for_editing, nfc};
use std::collections::HashSet;

mod read;

use read::Reader;

/// Where a problem of the form is: the edition, a criterion, an indicator or a
/// threshold, by position in the form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    /// The edition as a whole.
    Edition,
    /// Criterion at this position.
    Criterion(usize),
    /// Indicator `.1` of criterion `.0`.
    Indicator(usize, usize),
    /// Threshold `.2` of indicator `.1` of criterion `.0`.
    Threshold(usize, usize, usize),
}

/// One problem of the form, in Vietnamese, with its place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormProblem {
    /// Where it is.
    pub place: Place,
    /// What is wrong and how to fix it.
    pub message: String,
}

/// A threshold as typed.
#[derive(Debug, Clone, PartialEq)]
pub struct ThresholdForm {
    /// Its segment.
    pub segment: Segment,
    /// The year, empty when the value holds for every year.
    pub year: String,
    /// The value as typed: a number, «Đạt», or a level name.
    pub value: String,
    /// Checked against the legal text.
    pub verified: bool,
    /// Legal source.
    pub source: String,
}

/// An indicator as typed.
#[derive(Debug, Clone, PartialEq)]
pub struct IndicatorForm {
    /// Code, e.g. `2.1`.
    pub code: String,
    /// Wording.
    pub text: String,
    /// Wording checked against the legal text.
    pub text_verified: bool,
    /// Unit.
    pub unit: String,
    /// Kind.
    pub kind: IndicatorKind,
    /// Comparator.
    pub comparator: Comparator,
    /// Levels, lowest first, separated by `|`.
    pub levels: String,
    /// How to measure.
    pub guidance: String,
    /// Office holding the data.
    pub data_office: String,
    /// Typical proof, separated by `|`.
    pub typical_proof: String,
    /// Remarks.
    pub note: String,
    /// Thresholds.
    pub thresholds: Vec<ThresholdForm>,
}

/// A criterion as typed.
#[derive(Debug, Clone, PartialEq)]
pub struct CriterionForm {
    /// Number as typed.
    pub number: String,
    /// Name.
    pub name: String,
    /// Name checked against the legal text.
    pub name_verified: bool,
    /// Group heading.
    pub group: String,
    /// Counts towards revocation.
    pub revocation_key: bool,
    /// Remarks.
    pub note: String,
    /// Indicators in order.
    pub indicators: Vec<IndicatorForm>,
}

/// A whole province copy as typed; the edition's other facts are kept from `base`.
#[derive(Debug, Clone, PartialEq)]
pub struct EditionForm {
    /// The edition being edited (code, level, keying, legal basis are kept).
    pub base: Edition,
    /// Title.
    pub title: String,
    /// Criteria in order.
    pub criteria: Vec<CriterionForm>,
}

fn value_text(v: &ThresholdValue) -> String {
    match v {
        ThresholdValue::Number(n) => for_editing(*n),
        ThresholdValue::Yes => "Đạt".into(),
        ThresholdValue::Level(l) => l.clone(),
    }
}

fn list(text: &str) -> Vec<String> {
    text.split('|').map(nfc).filter(|s| !s.is_empty()).collect()
}

impl IndicatorForm {
    /// A new, empty indicator with this code (a ratio compared with ≥ until changed).
    pub fn new(code: String) -> Self {
        Self {
            code,
            text: String::new(),
            text_verified: false,
            unit: "%".into(),
            kind: IndicatorKind::Ratio,
            comparator: Comparator::AtLeast,
            levels: String::new(),
            guidance: String::new(),
            data_office: String::new(),
            typical_proof: String::new(),
            note: String::new(),
            thresholds: Vec::new(),
        }
    }

    /// A new threshold for `segment`, with an empty value (or «Đạt» for yes/no).
    pub fn add_threshold(&mut self, segment: Segment) {
        let value = match self.kind {
            IndicatorKind::YesNo => "Đạt".to_string(),
            IndicatorKind::Level => list(&self.levels).first().cloned().unwrap_or_default(),
            _ => String::new(),
        };
        self.thresholds.push(ThresholdForm {
            segment,
            year: String::new(),
            value,
            verified: false,
            source: String::new(),
        });
    }
}

impl CriterionForm {
    /// The code a new indicator of this criterion gets: the next after the last one.
    pub fn next_code(&self) -> String {
        let number = self.number.trim();
        let last = self
            .indicators
            .iter()
            .filter_map(|i| IndicatorCode::parse(&i.code))
            .filter_map(|c| c.sort_key().get(1).copied())
            .max()
            .unwrap_or(0);
        format!("{number}.{}", last + 1)
    }
}

impl EditionForm {
    /// The form of an edition.
    pub fn new(edition: &Edition) -> Self {
        let criteria = edition
            .criteria
            .iter()
            .map(|c| CriterionForm {
                number: c.number.to_string(),
                name: c.name.clone(),
                name_verified: c.name_verified,
                group: c.group.clone(),
                revocation_key: c.revocation_key,
                note: c.note.clone(),
                indicators: c
                    .indicators
                    .iter()
                    .map(|i| IndicatorForm {
                        code: i.code.to_string(),
                        text: i.text.clone(),
                        text_verified: i.text_verified,
                        unit: i.unit.clone(),
                        kind: i.kind,
                        comparator: i.comparator,
                        levels: i.levels.join(" | "),
                        guidance: i.guidance.how_to_measure.clone(),
                        data_office: i.guidance.data_office.clone(),
                        typical_proof: i.guidance.typical_proof.join(" | "),
                        note: i.note.clone(),
                        thresholds: i
                            .thresholds
                            .iter()
                            .map(|t| ThresholdForm {
                                segment: t.segment,
                                year: t.year.map(|y| y.to_string()).unwrap_or_default(),
                                value: value_text(&t.value),
                                verified: t.verified,
                                source: t.source.clone(),
                            })
                            .collect(),
                    })
                    .collect(),
            })
            .collect();
        Self {
            base: edition.clone(),
            title: edition.title.clone(),
            criteria,
        }
    }

    /// Adds a criterion numbered after the last one.
    pub fn add_criterion(&mut self) {
        let next = self
            .criteria
            .iter()
            .filter_map(|c| c.number.trim().parse::<u32>().ok())
            .max()
            .unwrap_or(0)
            + 1;
        self.criteria.push(CriterionForm {
            number: next.to_string(),
            name: String::new(),
            name_verified: false,
            group: String::new(),
            revocation_key: false,
            note: String::new(),
            indicators: Vec::new(),
        });
    }

    /// Reads the form back into an edition, or every problem with its place.
    pub fn finish(&self) -> Result<Edition, Vec<FormProblem>> {
        let mut reader = Reader {
            base: &self.base,
            problems: Vec::new(),
            numbers: HashSet::new(),
            codes: HashSet::new(),
        };
        let title = nfc(&self.title);
        if title.is_empty() {
            reader.report(Place::Edition, "Tên bộ tiêu chí: hãy nhập tên.".into());
        }
        let criteria: Vec<Criterion> = self
            .criteria
            .iter()
            .enumerate()
            .filter_map(|(ci, c)| reader.criterion(ci, c))
            .collect();
        if !reader.problems.is_empty() {
            return Err(reader.problems);
        }
        let mut edition = self.base.clone();
        edition.title = title;
        edition.criteria = criteria;
        // The same checks as an imported file, through the file form.
        parse_edition(&to_toml(&edition)).map_err(|found| {
            found
                .into_iter()
                .map(|p| FormProblem {
                    place: Place::Edition,
                    message: p.message,
                })
                .collect::<Vec<_>>()
        })?;
        Ok(edition)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::catalog::toml_format::parse_edition;
    use crate::domain::units::CommuneGroup;

    fn qd51() -> Edition {
        parse_edition(crate::app::catalog::BUILTIN[0].1).unwrap()
    }

    #[test]
    fn an_untouched_form_reads_back_to_the_same_edition() {
        for (_, text) in crate::app::catalog::BUILTIN {
            let e = parse_edition(text).unwrap();
            assert_eq!(EditionForm::new(&e).finish().unwrap(), e);
        }
    }

    #[test]
    fn a_new_indicator_with_group_thresholds_reads_and_problems_have_their_place() {
        let mut form = EditionForm::new(&qd51());
        let c = &mut form.criteria[1];
        let mut i = IndicatorForm::new(c.next_code());
        assert_eq!(i.code, "2.1");
        i.text = "Chỉ tiêu (dữ liệu thử)".into();
        for (g, v) in [
            (CommuneGroup::One, "90"),
            (CommuneGroup::Two, "85,5"),
            (CommuneGroup::Three, "1.250"),
        ] {
            i.add_threshold(Segment::Group(g));
            if let Some(t) = i.thresholds.last_mut() {
                t.value = v.into();
            }
        }
        c.indicators.push(i);
        let problems = form.finish().unwrap_err();
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].place, Place::Threshold(1, 0, 2));
        assert!(problems[0].message.contains("được đọc là 1.250 %"));
        form.criteria[1].indicators[0].thresholds[2].value = "80".into();
        let e = form.finish().unwrap();
        let (_, ind) = e.indicator("2.1").unwrap();
        assert_eq!(ind.thresholds.len(), 3);
        assert_eq!(ind.thresholds[1].value, ThresholdValue::Number(85.5));
        // Region thresholds are refused on a group edition, beside the threshold.
        form.criteria[1].indicators[0]
            .add_threshold(Segment::Region(crate::domain::units::Region::MekongDelta));
        form.criteria[1].indicators[0].thresholds[3].value = "70".into();
        let problems = form.finish().unwrap_err();
        assert_eq!(problems[0].place, Place::Threshold(1, 0, 3));
    }

    #[test]
    fn a_wrong_code_or_a_duplicate_is_named_beside_the_indicator() {
        let mut form = EditionForm::new(&qd51());
        let mut a = IndicatorForm::new("3.1".into());
        a.text = "x (dữ liệu thử)".into();
        form.criteria[1].indicators.push(a);
        let problems = form.finish().unwrap_err();
        assert_eq!(problems[0].place, Place::Indicator(1, 0));
        assert!(
            problems[0]
                .message
                .contains("phải bắt đầu bằng số tiêu chí 2")
        );
    }
}
