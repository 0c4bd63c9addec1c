//! The human-editable TOML form of an edition (documented in `templates/criteria/README.md`)
//! and its validation into [`Edition`].
//!
//! The raw structs keep the position of the fields that can be wrong, so every problem
//! is reported with its line. The same raw structs serve the Excel import (see
//! [`super::xlsx_rows`]), where the position is a sheet row instead of a line.
#![allow(
    clippy::too_many_lines,
    reason = "issue 9: this file is still being brought under the house lints"
)]

use super::{
    Comparator, ConditionRules, Criterion, Edition, EditionCode, Guidance, Indicator,
    IndicatorCode, IndicatorKind, KeyedBy, LegalBasis, Problem, SourcedNumber, Threshold,
    ThresholdValue,
};
use crate::domain::units::{Segment, Target, UnitKind};
use crate::domain::vn_text::nfc;
use serde::{Deserialize, Serialize};
use std::collections::HashSet;
use std::ops::Range;
use toml::Spanned;

/// The version of the file format this program reads and writes.
pub const FORMAT_VERSION: i64 = 1;

fn is_false(b: &bool) -> bool {
    !*b
}

fn sp<T>(value: T) -> Spanned<T> {
    Spanned::new(0..0, value)
}

/// A whole edition as written in the file.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawEdition {
    /// Format version, currently 1.
    pub format: Spanned<i64>,
    /// Edition code.
    pub code: Spanned<String>,
    /// Title.
    pub title: Spanned<String>,
    /// `xa`, `huyen` or `thon`.
    pub level: Spanned<String>,
    /// Target codes.
    pub targets: Spanned<Vec<String>>,
    /// `vung`, `nhom` or `khong`.
    pub keyed_by: Spanned<String>,
    /// Criteria count of the decision, if known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub criteria_expected: Option<u32>,
    /// Indicator count of the decision, if known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub indicators_expected: Option<u32>,
    /// Remarks.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub note: String,
    /// Legal basis.
    pub legal: RawLegal,
    /// Conditions.
    #[serde(default)]
    pub conditions: RawConditions,
    /// Revision of a province's copy.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revision: Option<RawRevision>,
    /// Criteria.
    #[serde(default)]
    pub criteria: Vec<RawCriterion>,
}

/// The revision given as three texts (spreadsheet cells): `None` when all are empty;
/// a number that does not read becomes 0, which validation refuses at `span`.
pub fn revision_from_texts(
    number: &str,
    date: &str,
    office: &str,
    span: Range<usize>,
) -> Option<RawRevision> {
    if number.trim().is_empty() && date.trim().is_empty() && office.trim().is_empty() {
        return None;
    }
    let n = crate::domain::vn_text::parse_number(number)
        .filter(|n| n.fract() == 0.0 && (1.0..=9999.0).contains(n))
        .map_or(0, |n| n as i64);
    Some(RawRevision {
        number: Spanned::new(span.clone(), n),
        date: Spanned::new(span.clone(), date.trim().to_string()),
        office: Spanned::new(span, office.trim().to_string()),
    })
}

/// A revision as written.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRevision {
    /// Number, 1 or more.
    pub number: Spanned<i64>,
    /// Date issued, ISO.
    pub date: Spanned<String>,
    /// Issuing office.
    pub office: Spanned<String>,
}

/// The legal basis as written.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawLegal {
    /// Decision number.
    pub decision: String,
    /// Signing date, ISO.
    #[serde(default)]
    pub signed_on: String,
    /// Annex.
    #[serde(default)]
    pub annex: String,
    /// First day in force, ISO.
    #[serde(default)]
    pub effective_from: String,
    /// Last day in force, ISO.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub effective_to: String,
}

/// A sourced number as written.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSourcedNumber {
    /// Value.
    pub value: Spanned<f64>,
    /// Verified against the legal text.
    #[serde(default)]
    pub verified: bool,
    /// Source.
    #[serde(default)]
    pub source: String,
}

/// Conditions as written.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawConditions {
    /// Required satisfaction rate.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub satisfaction_percent: Option<RawSourcedNumber>,
    /// Other conditions in words.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub other: Vec<String>,
}

/// A criterion as written.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawCriterion {
    /// Number.
    pub number: Spanned<i64>,
    /// Name.
    pub name: Spanned<String>,
    /// Name verified.
    #[serde(default, skip_serializing_if = "is_false")]
    pub name_verified: bool,
    /// Group heading.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub group: String,
    /// Counts towards revocation.
    #[serde(default, skip_serializing_if = "is_false")]
    pub revocation_key: bool,
    /// Remarks.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub note: String,
    /// Indicators.
    #[serde(default)]
    pub indicators: Vec<RawIndicator>,
}

/// An indicator as written.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawIndicator {
    /// Code.
    pub code: Spanned<String>,
    /// Wording.
    pub text: Spanned<String>,
    /// Wording verified.
    #[serde(default, skip_serializing_if = "is_false")]
    pub text_verified: bool,
    /// Unit.
    #[serde(default)]
    pub unit: String,
    /// Kind code.
    pub kind: Spanned<String>,
    /// Comparator.
    #[serde(default = "default_comparator")]
    pub comparator: Spanned<String>,
    /// Levels, lowest first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub levels: Vec<String>,
    /// How to measure.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub guidance: String,
    /// Office holding the data.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub data_office: String,
    /// Typical proof.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub typical_proof: Vec<String>,
    /// Remarks.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub note: String,
    /// Thresholds.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub thresholds: Vec<RawThreshold>,
}

fn default_comparator() -> Spanned<String> {
    sp(">=".to_string())
}

/// A threshold as written.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawThreshold {
    /// Segment code.
    pub segment: Spanned<String>,
    /// Year, for per-year values.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub year: Option<i32>,
    /// Number, `true`, or a level name.
    pub value: Spanned<toml::Value>,
    /// Verified against the legal text.
    #[serde(default)]
    pub verified: bool,
    /// Source.
    #[serde(default)]
    pub source: String,
}

/// Parses and validates an edition from TOML text. Every problem is returned, each with
/// its line, so that a user can fix a file in one pass.
pub fn parse_edition(text: &str) -> Result<Edition, Vec<Problem>> {
    // Where each line starts, so that a problem's line is found by binary search: with
    // one problem per line, counting newlines from the start each time was quadratic.
    let line_starts: Vec<usize> = std::iter::once(0)
        .chain(text.match_indices('\n').map(|(i, _)| i + 1))
        .collect();
    let line_of = |span: Range<usize>| {
        let line = line_starts.partition_point(|&start| start <= span.start);
        format!("dòng {}", line.max(1))
    };
    let raw: RawEdition = toml::from_str(text).map_err(|e| {
        vec![Problem {
            location: e.span().map(&line_of).unwrap_or_else(|| "tệp".to_string()),
            field: String::new(),
            message: syntax_in_words(e.message()),
        }]
    })?;
    validate(raw, &line_of)
}

/// A syntax error of an edition file in the clerk's words, never the reader's English
/// («missing field `code`» becomes «thiếu mục «code»»).
fn syntax_in_words(message: &str) -> String {
    let quoted = |after: &str| {
        message
            .split_once(after)
            .and_then(|(_, rest)| rest.split('`').nth(1))
            .map(str::to_string)
    };
    if let Some(field) = quoted("missing field") {
        format!("tệp bộ tiêu chí thiếu mục «{field}»")
    } else if let Some(field) = quoted("unknown field") {
        format!("tệp bộ tiêu chí có mục «{field}» không thuộc mẫu")
    } else if message.contains("invalid type") || message.contains("invalid value") {
        "tệp bộ tiêu chí có một giá trị sai kiểu (số, chữ trong dấu nháy hoặc danh sách)"
            .to_string()
    } else if message.contains("duplicate key") {
        "tệp bộ tiêu chí có một mục được ghi hai lần".to_string()
    } else {
        "tệp bộ tiêu chí viết sai cú pháp (thiếu dấu nháy, dấu ngoặc hoặc dấu bằng)".to_string()
    }
}

/// Validates a raw edition; `locate` turns a field's span into a location text.
pub fn validate(
    raw: RawEdition,
    locate: &dyn Fn(Range<usize>) -> String,
) -> Result<Edition, Vec<Problem>> {
    let mut problems = Vec::new();
    let mut report = |span: Range<usize>, field: &str, message: String| {
        problems.push(Problem {
            location: locate(span),
            field: field.to_string(),
            message,
        });
    };
    if *raw.format.get_ref() != FORMAT_VERSION {
        report(
            raw.format.span(),
            "format",
            format!(
                "phiên bản định dạng {} không được hỗ trợ (chỉ hỗ trợ {FORMAT_VERSION})",
                raw.format.get_ref()
            ),
        );
    }
    let code = EditionCode::parse(raw.code.get_ref());
    if code.is_none() {
        report(
            raw.code.span(),
            "code",
            "mã bộ tiêu chí chỉ gồm chữ thường không dấu, chữ số và dấu '-' (3–64 ký tự)".into(),
        );
    }
    let title = nfc(raw.title.get_ref());
    if title.is_empty() {
        report(raw.title.span(), "title", "thiếu tên bộ tiêu chí".into());
    }
    let level = UnitKind::from_code(raw.level.get_ref());
    if level.is_none() {
        report(
            raw.level.span(),
            "level",
            "cấp phải là tinh, huyen, xa hoặc thon".into(),
        );
    }
    let mut targets = Vec::new();
    for t in raw.targets.get_ref() {
        match Target::from_code(t) {
            Some(t) => targets.push(t),
            None => report(
                raw.targets.span(),
                "targets",
                format!("mục tiêu «{t}» không hợp lệ (ntm, nang-cao, kieu-mau, hien-dai)"),
            ),
        }
    }
    if targets.is_empty() && raw.targets.get_ref().is_empty() {
        report(
            raw.targets.span(),
            "targets",
            "cần ít nhất một mục tiêu".into(),
        );
    }
    let keyed_by = KeyedBy::from_code(raw.keyed_by.get_ref());
    if keyed_by.is_none() {
        report(
            raw.keyed_by.span(),
            "keyed_by",
            "phải là vung, nhom hoặc khong".into(),
        );
    }
    let satisfaction_percent = raw.conditions.satisfaction_percent.map(|s| {
        let value = *s.value.get_ref();
        if !(0.0..=100.0).contains(&value) {
            report(
                s.value.span(),
                "satisfaction_percent",
                "tỷ lệ phải từ 0 đến 100".into(),
            );
        }
        SourcedNumber {
            value,
            verified: s.verified,
            source: nfc(&s.source),
        }
    });

    let revision = raw.revision.as_ref().and_then(|r| {
        let number = *r.number.get_ref();
        let date = crate::domain::vn_text::CivilDate::parse(r.date.get_ref());
        let office = nfc(r.office.get_ref());
        if !(1..=9999).contains(&number) {
            report(
                r.number.span(),
                "revision.number",
                "số lần ban hành phải từ 1 trở lên".into(),
            );
        }
        if date.is_none() {
            report(
                r.date.span(),
                "revision.date",
                format!(
                    "ngày ban hành «{}» không hợp lệ (dạng 2026-03-01)",
                    r.date.get_ref()
                ),
            );
        }
        if office.is_empty() {
            report(
                r.office.span(),
                "revision.office",
                "thiếu cơ quan ban hành".into(),
            );
        }
        Some(super::Revision {
            number: u32::try_from(number).ok()?,
            date: date?.iso(),
            office,
        })
    });
    let mut criteria = Vec::new();
    let mut numbers = HashSet::new();
    let mut codes = HashSet::new();
    for rc in raw.criteria {
        let number = *rc.number.get_ref();
        if !(1..=99).contains(&number) {
            report(
                rc.number.span(),
                "number",
                "số tiêu chí phải từ 1 đến 99".into(),
            );
        } else if !numbers.insert(number) {
            report(
                rc.number.span(),
                "number",
                format!("tiêu chí số {number} bị trùng"),
            );
        }
        let name = nfc(rc.name.get_ref());
        if name.is_empty() {
            report(rc.name.span(), "name", "thiếu tên tiêu chí".into());
        }
        let mut indicators = Vec::new();
        for ri in rc.indicators {
            let span = ri.code.span();
            let Some(code) = IndicatorCode::parse(ri.code.get_ref()) else {
                report(
                    span,
                    "code",
                    format!(
                        "mã chỉ tiêu «{}» không hợp lệ (dạng 2 hoặc 2.1)",
                        ri.code.get_ref()
                    ),
                );
                continue;
            };
            if code.criterion_number() != Some(number as u32) {
                report(
                    span.clone(),
                    "code",
                    format!("chỉ tiêu {code} không thuộc tiêu chí số {number}"),
                );
            }
            if !codes.insert(code.clone()) {
                report(span.clone(), "code", format!("mã chỉ tiêu {code} bị trùng"));
            }
            let text = nfc(ri.text.get_ref());
            if text.is_empty() {
                report(
                    ri.text.span(),
                    "text",
                    format!("chỉ tiêu {code}: thiếu nội dung"),
                );
            }
            let kind = IndicatorKind::from_code(ri.kind.get_ref());
            if kind.is_none() {
                report(
                    ri.kind.span(),
                    "kind",
                    format!(
                        "loại «{}» không hợp lệ (ty_le, so_tien, so_luong, co_khong, muc_do)",
                        ri.kind.get_ref()
                    ),
                );
            }
            let comparator = Comparator::from_code(ri.comparator.get_ref());
            if comparator.is_none() {
                report(
                    ri.comparator.span(),
                    "comparator",
                    format!(
                        "phép so sánh «{}» không hợp lệ (>=, <=, =)",
                        ri.comparator.get_ref()
                    ),
                );
            }
            let levels: Vec<String> = ri.levels.iter().map(|l| nfc(l)).collect();
            if kind == Some(IndicatorKind::Level) && levels.is_empty() {
                report(
                    ri.kind.span(),
                    "levels",
                    format!("chỉ tiêu {code} loại muc_do cần danh sách mức (levels)"),
                );
            }
            let mut thresholds = Vec::new();
            let mut seen = HashSet::new();
            for rt in ri.thresholds {
                let segment = Segment::from_code(rt.segment.get_ref());
                match (segment, keyed_by) {
                    (None, _) => report(
                        rt.segment.span(),
                        "segment",
                        format!("phân đoạn «{}» không hợp lệ", rt.segment.get_ref()),
                    ),
                    (Some(s), Some(k)) if !k.allows(s) => report(
                        rt.segment.span(),
                        "segment",
                        format!(
                            "phân đoạn «{}» không dùng được khi keyed_by = {}",
                            rt.segment.get_ref(),
                            k.code()
                        ),
                    ),
                    (Some(s), _) if !seen.insert((s, rt.year)) => report(
                        rt.segment.span(),
                        "segment",
                        format!(
                            "chỉ tiêu {code}: ngưỡng cho «{}» bị trùng",
                            rt.segment.get_ref()
                        ),
                    ),
                    _ => {}
                }
                let mut value = kind.and_then(|k| threshold_value(k, &levels, rt.value.get_ref()));
                // A share cannot pass 100 %, whether typed in TOML or as `1.250` in a
                // spreadsheet cell (one thousand two hundred and fifty).
                if let (Some(IndicatorKind::Ratio), Some(ThresholdValue::Number(n))) =
                    (kind, &value)
                    && !(0.0..=100.0).contains(n)
                {
                    report(
                        rt.value.span(),
                        "value",
                        format!(
                            "chỉ tiêu {code}: ngưỡng tỷ lệ {} % phải từ 0 đến 100 %",
                            crate::domain::vn_text::format_number(*n, 2)
                        ),
                    );
                    value = None;
                } else if value.is_none() && kind.is_some() {
                    report(
                        rt.value.span(),
                        "value",
                        format!(
                            "chỉ tiêu {code}: giá trị ngưỡng «{}» không hợp với loại chỉ tiêu",
                            rt.value.get_ref()
                        ),
                    );
                }
                if let (Some(segment), Some(value)) = (segment, value) {
                    thresholds.push(Threshold {
                        segment,
                        year: rt.year,
                        value,
                        verified: rt.verified,
                        source: nfc(&rt.source),
                    });
                }
            }
            if let (Some(kind), Some(comparator)) = (kind, comparator) {
                indicators.push(Indicator {
                    code,
                    text,
                    text_verified: ri.text_verified,
                    unit: nfc(&ri.unit),
                    kind,
                    comparator,
                    levels,
                    thresholds,
                    guidance: Guidance {
                        how_to_measure: nfc(&ri.guidance),
                        data_office: nfc(&ri.data_office),
                        typical_proof: ri.typical_proof.iter().map(|p| nfc(p)).collect(),
                    },
                    note: nfc(&ri.note),
                });
            }
        }
        criteria.push(Criterion {
            number: number.clamp(0, 99) as u32,
            name,
            name_verified: rc.name_verified,
            group: nfc(&rc.group),
            revocation_key: rc.revocation_key,
            indicators,
            note: nfc(&rc.note),
        });
    }
    match (code, level, keyed_by) {
        (Some(code), Some(level), Some(keyed_by)) if problems.is_empty() => {
            criteria.sort_by_key(|c| c.number);
            Ok(Edition {
                code,
                title,
                level,
                targets,
                keyed_by,
                legal: LegalBasis {
                    decision: nfc(&raw.legal.decision),
                    signed_on: raw.legal.signed_on.trim().to_string(),
                    annex: nfc(&raw.legal.annex),
                    effective_from: raw.legal.effective_from.trim().to_string(),
                    effective_to: raw.legal.effective_to.trim().to_string(),
                },
                criteria_expected: raw.criteria_expected,
                indicators_expected: raw.indicators_expected,
                conditions: ConditionRules {
                    satisfaction_percent,
                    other: raw.conditions.other.iter().map(|o| nfc(o)).collect(),
                },
                note: nfc(&raw.note),
                revision,
                criteria,
            })
        }
        _ => Err(problems),
    }
}

fn threshold_value(
    kind: IndicatorKind,
    levels: &[String],
    value: &toml::Value,
) -> Option<ThresholdValue> {
    match (kind, value) {
        (IndicatorKind::YesNo, toml::Value::Boolean(true)) => Some(ThresholdValue::Yes),
        (IndicatorKind::Level, toml::Value::String(s)) => {
            let s = nfc(s);
            levels.contains(&s).then_some(ThresholdValue::Level(s))
        }
        (
            IndicatorKind::Ratio | IndicatorKind::Amount | IndicatorKind::Count,
            toml::Value::Integer(i),
        ) => Some(ThresholdValue::Number(*i as f64)),
        (
            IndicatorKind::Ratio | IndicatorKind::Amount | IndicatorKind::Count,
            toml::Value::Float(f),
        ) if f.is_finite() => Some(ThresholdValue::Number(*f)),
        _ => None,
    }
}

/// Converts a validated edition back to its raw form (for export).
pub fn to_raw(edition: &Edition) -> RawEdition {
    RawEdition {
        format: sp(FORMAT_VERSION),
        code: sp(edition.code.to_string()),
        title: sp(edition.title.clone()),
        level: sp(edition.level.code().to_string()),
        targets: sp(edition
            .targets
            .iter()
            .map(|t| t.code().to_string())
            .collect()),
        keyed_by: sp(edition.keyed_by.code().to_string()),
        criteria_expected: edition.criteria_expected,
        indicators_expected: edition.indicators_expected,
        note: edition.note.clone(),
        legal: RawLegal {
            decision: edition.legal.decision.clone(),
            signed_on: edition.legal.signed_on.clone(),
            annex: edition.legal.annex.clone(),
            effective_from: edition.legal.effective_from.clone(),
            effective_to: edition.legal.effective_to.clone(),
        },
        conditions: RawConditions {
            satisfaction_percent: edition.conditions.satisfaction_percent.as_ref().map(|s| {
                RawSourcedNumber {
                    value: sp(s.value),
                    verified: s.verified,
                    source: s.source.clone(),
                }
            }),
            other: edition.conditions.other.clone(),
        },
        revision: edition.revision.as_ref().map(|r| RawRevision {
            number: sp(i64::from(r.number)),
            date: sp(r.date.clone()),
            office: sp(r.office.clone()),
        }),
        criteria: edition.criteria.iter().map(raw_criterion).collect(),
    }
}

fn raw_criterion(c: &Criterion) -> RawCriterion {
    RawCriterion {
        number: sp(i64::from(c.number)),
        name: sp(c.name.clone()),
        name_verified: c.name_verified,
        group: c.group.clone(),
        revocation_key: c.revocation_key,
        note: c.note.clone(),
        indicators: c.indicators.iter().map(raw_indicator).collect(),
    }
}

fn raw_indicator(i: &Indicator) -> RawIndicator {
    RawIndicator {
        code: sp(i.code.to_string()),
        text: sp(i.text.clone()),
        text_verified: i.text_verified,
        unit: i.unit.clone(),
        kind: sp(i.kind.code().to_string()),
        comparator: sp(i.comparator.code().to_string()),
        levels: i.levels.clone(),
        guidance: i.guidance.how_to_measure.clone(),
        data_office: i.guidance.data_office.clone(),
        typical_proof: i.guidance.typical_proof.clone(),
        note: i.note.clone(),
        thresholds: i
            .thresholds
            .iter()
            .map(|t| RawThreshold {
                segment: sp(t.segment.code()),
                year: t.year,
                value: sp(match &t.value {
                    ThresholdValue::Number(n) if n.fract() == 0.0 && n.abs() < 1e15 => {
                        toml::Value::Integer(*n as i64)
                    }
                    ThresholdValue::Number(n) => toml::Value::Float(*n),
                    ThresholdValue::Yes => toml::Value::Boolean(true),
                    ThresholdValue::Level(l) => toml::Value::String(l.clone()),
                }),
                verified: t.verified,
                source: t.source.clone(),
            })
            .collect(),
    }
}

/// Writes an edition as TOML text that [`parse_edition`] reads back to the same edition.
pub fn to_toml(edition: &Edition) -> String {
    let header = "# Bộ tiêu chí do Hồ sơ NTM xuất ra. Định dạng: templates/criteria/README.md\n";
    match toml::to_string(&to_raw(edition)) {
        Ok(body) => format!("{header}{body}"),
        // Serialising plain strings and numbers cannot fail; keep a readable trace if it does.
        Err(e) => format!("{header}# lỗi khi xuất: {e}\n"),
    }
}
