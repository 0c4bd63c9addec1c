//! The human-editable TOML form of an edition (documented in `templates/criteria/README.md`)
//! and its validation into [`Edition`].
//!
//! The raw structs keep the position of the fields that can be wrong, so every problem
//! is reported with its line. The same raw structs serve the Excel import (see
//! [`super::xlsx_rows`]), where the position is a sheet row instead of a line.

use super::{Criterion, Edition, Indicator, Problem, ThresholdValue};
use serde::{Deserialize, Serialize};
use std::ops::Range;
use toml::Spanned;

mod computed;
mod problems;
mod validate;
pub use computed::{computed_from_cell, computed_to_cell};
pub use validate::validate;

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
    /// Conditions computed from data (higher levels).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub computed: Vec<RawComputed>,
}

/// A computed condition as written (`[[conditions.computed]]`).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawComputed {
    /// `ty_le_cong_nhan`, `hai_long`, `hai_long_tung_noi_dung` or `dat_tieu_chi`.
    pub kind: Spanned<String>,
    /// For `ty_le_cong_nhan`: `xa` or `thitran`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub units: String,
    /// For `ty_le_cong_nhan`: the recognition counted.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub target: String,
    /// The minimum share in percent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_percent: Option<Spanned<f64>>,
    /// The condition in the decision's words.
    pub text: Spanned<String>,
    /// Checked against the legal text.
    #[serde(default)]
    pub verified: bool,
    /// Source.
    #[serde(default)]
    pub source: String,
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
            computed: edition
                .conditions
                .computed
                .iter()
                .map(computed::raw_computed)
                .collect(),
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
