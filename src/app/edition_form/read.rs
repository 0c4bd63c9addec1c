//! Reading the form back into an edition: each criterion, indicator and threshold
//! checked as typed, every problem kept with its place in the form.

use super::{CriterionForm, FormProblem, IndicatorForm, Place, ThresholdForm, list};
use crate::domain::catalog::{
    Criterion, Edition, Guidance, Indicator, IndicatorCode, IndicatorKind, Threshold,
    ThresholdValue,
};
use crate::domain::units::Segment;
use crate::domain::vn_text::{fold, nfc, read_number};
use std::collections::HashSet;

/// Reading a form back: the problems found so far and the numbers and codes taken.
pub(super) struct Reader<'a> {
    pub(super) base: &'a Edition,
    pub(super) problems: Vec<FormProblem>,
    pub(super) numbers: HashSet<u32>,
    pub(super) codes: HashSet<String>,
}

impl Reader<'_> {
    pub(super) fn report(&mut self, place: Place, message: String) {
        self.problems.push(FormProblem { place, message });
    }

    pub(super) fn criterion(&mut self, ci: usize, c: &CriterionForm) -> Option<Criterion> {
        let number = match c.number.trim().parse::<u32>() {
            Ok(n) if (1..=99).contains(&n) => {
                if !self.numbers.insert(n) {
                    self.report(
                        Place::Criterion(ci),
                        format!("Số tiêu chí {n} bị trùng: hãy đổi số."),
                    );
                }
                n
            }
            _ => {
                self.report(
                    Place::Criterion(ci),
                    format!(
                        "Số tiêu chí «{}» không hợp lệ: hãy nhập số từ 1 đến 99.",
                        c.number.trim()
                    ),
                );
                return None;
            }
        };
        let name = nfc(&c.name);
        if name.is_empty() {
            self.report(
                Place::Criterion(ci),
                format!("Tiêu chí {number}: hãy nhập tên tiêu chí."),
            );
        }
        let indicators = c
            .indicators
            .iter()
            .enumerate()
            .filter_map(|(ii, i)| self.indicator((ci, ii), number, i))
            .collect();
        Some(Criterion {
            number,
            name,
            name_verified: c.name_verified,
            group: nfc(&c.group),
            revocation_key: c.revocation_key,
            indicators,
            note: nfc(&c.note),
        })
    }

    fn indicator(
        &mut self,
        (ci, ii): (usize, usize),
        number: u32,
        i: &IndicatorForm,
    ) -> Option<Indicator> {
        let here = Place::Indicator(ci, ii);
        let Some(code) = IndicatorCode::parse(&i.code) else {
            self.report(
                here,
                format!(
                    "Mã chỉ tiêu «{}» không hợp lệ: hãy nhập dạng {number}.1.",
                    i.code.trim()
                ),
            );
            return None;
        };
        if code.criterion_number() != Some(number) {
            self.report(
                here,
                format!(
                    "Mã chỉ tiêu {code} phải bắt đầu bằng số tiêu chí {number} (ví dụ {number}.1)."
                ),
            );
        }
        if !self.codes.insert(code.to_string()) {
            self.report(here, format!("Mã chỉ tiêu {code} bị trùng: hãy đổi mã."));
        }
        let text = nfc(&i.text);
        if text.is_empty() {
            self.report(
                here,
                format!("Chỉ tiêu {code}: hãy nhập nội dung chỉ tiêu."),
            );
        }
        let levels = list(&i.levels);
        if i.kind == IndicatorKind::Level && levels.is_empty() {
            self.report(
                here,
                format!(
                    "Chỉ tiêu {code} loại mức độ: hãy nhập các mức từ thấp đến cao, cách nhau bằng |."
                ),
            );
        }
        let mut seen = HashSet::new();
        let thresholds = i
            .thresholds
            .iter()
            .enumerate()
            .filter_map(|(ti, t)| {
                let place = Place::Threshold(ci, ii, ti);
                self.threshold(place, &code, i, &levels, t, &mut seen)
            })
            .collect();
        Some(Indicator {
            code,
            text,
            text_verified: i.text_verified,
            unit: nfc(&i.unit),
            kind: i.kind,
            comparator: i.comparator,
            levels,
            thresholds,
            guidance: Guidance {
                how_to_measure: nfc(&i.guidance),
                data_office: nfc(&i.data_office),
                typical_proof: list(&i.typical_proof),
            },
            note: nfc(&i.note),
        })
    }

    fn threshold(
        &mut self,
        place: Place,
        code: &IndicatorCode,
        i: &IndicatorForm,
        levels: &[String],
        t: &ThresholdForm,
        seen: &mut HashSet<(Segment, Option<i32>)>,
    ) -> Option<Threshold> {
        let year = match t.year.trim() {
            "" => None,
            y => match y.parse::<i32>() {
                Ok(y) if (1900..=2200).contains(&y) => Some(y),
                _ => {
                    self.report(
                        place,
                        format!(
                            "Chỉ tiêu {code}: năm «{y}» không hợp lệ; hãy nhập năm 4 chữ số (ví dụ 2027) hoặc để trống."
                        ),
                    );
                    return None;
                }
            },
        };
        if !seen.insert((t.segment, year)) {
            self.report(
                place,
                format!(
                    "Chỉ tiêu {code}: đã có ngưỡng cho {}{}; hãy xóa một ngưỡng.",
                    t.segment.label(),
                    year.map(|y| format!(" năm {y}")).unwrap_or_default()
                ),
            );
        }
        if !self.base.keyed_by.allows(t.segment) {
            self.report(
                place,
                format!(
                    "Chỉ tiêu {code}: bộ tiêu chí này không chia ngưỡng theo {}.",
                    t.segment.label()
                ),
            );
        }
        let value = self.value(place, code, i.kind, levels, t)?;
        Some(Threshold {
            segment: t.segment,
            year,
            value,
            verified: t.verified,
            source: nfc(&t.source),
        })
    }

    fn value(
        &mut self,
        place: Place,
        code: &IndicatorCode,
        kind: IndicatorKind,
        levels: &[String],
        t: &ThresholdForm,
    ) -> Option<ThresholdValue> {
        let label = format!(
            "Chỉ tiêu {code}: ngưỡng «{}» ({})",
            t.value.trim(),
            t.segment.label()
        );
        match kind {
            IndicatorKind::YesNo => {
                if matches!(fold(t.value.trim()).as_str(), "dat" | "co") {
                    Some(ThresholdValue::Yes)
                } else {
                    self.report(
                        place,
                        format!("{label}: chỉ tiêu có/không nhận ngưỡng «Đạt»."),
                    );
                    None
                }
            }
            IndicatorKind::Level => {
                let v = nfc(&t.value);
                if levels.contains(&v) {
                    Some(ThresholdValue::Level(v))
                } else {
                    self.report(
                        place,
                        format!("{label}: hãy chọn một mức trong danh sách mức."),
                    );
                    None
                }
            }
            _ => match read_number(&t.value) {
                Err(e) => {
                    self.report(place, format!("{label} {e}."));
                    None
                }
                Ok(n) if kind == IndicatorKind::Ratio && !(0.0..=100.0).contains(&n.value) => {
                    self.report(
                        place,
                        format!(
                            "{label} được đọc là {} % — ngưỡng tỷ lệ phải từ 0 đến 100 % (dấu phẩy là dấu thập phân, ví dụ 85,5).",
                            n.shown()
                        ),
                    );
                    None
                }
                Ok(n) => Some(ThresholdValue::Number(n.value)),
            },
        }
    }
}
