//! Validation of a raw edition into an [`Edition`]: every field that can be wrong is
//! checked, and every problem is collected with its location (a line of the TOML file or a
//! row of a spreadsheet), so that a user can fix a file in one pass. Nothing is returned
//! unless the whole edition is valid.

use super::{FORMAT_VERSION, RawCriterion, RawEdition, RawIndicator, RawThreshold};
use crate::domain::catalog::{
    Comparator, ConditionRules, Criterion, Edition, EditionCode, Guidance, Indicator,
    IndicatorCode, IndicatorKind, KeyedBy, LegalBasis, Problem, Revision, SourcedNumber, Threshold,
    ThresholdValue,
};
use crate::domain::units::{Segment, Target, UnitKind};
use crate::domain::vn_text::{CivilDate, format_number, nfc};
use std::collections::HashSet;
use std::ops::Range;

use super::problems::Problems;

/// The edition-wide fields, validated; `None` where a field was refused.
struct Header {
    code: Option<EditionCode>,
    title: String,
    level: Option<UnitKind>,
    targets: Vec<Target>,
    keyed_by: Option<KeyedBy>,
}

/// Validates a raw edition; `locate` turns a field's span into a location text.
pub fn validate(
    raw: RawEdition,
    locate: &dyn Fn(Range<usize>) -> String,
) -> Result<Edition, Vec<Problem>> {
    let mut p = Problems {
        locate,
        found: Vec::new(),
    };
    let header = header(&raw, &mut p);
    let satisfaction_percent = satisfaction(&raw, &mut p);
    let revision = revision(&raw, &mut p);
    let computed = raw
        .conditions
        .computed
        .iter()
        .filter_map(|c| super::computed::computed(c, &mut p))
        .collect();
    let mut criteria = Vec::new();
    let mut numbers = HashSet::new();
    let mut codes = HashSet::new();
    for rc in raw.criteria {
        criteria.push(criterion(
            rc,
            header.keyed_by,
            &mut numbers,
            &mut codes,
            &mut p,
        ));
    }
    match (header.code, header.level, header.keyed_by) {
        (Some(code), Some(level), Some(keyed_by)) if p.found.is_empty() => {
            criteria.sort_by_key(|c| c.number);
            Ok(Edition {
                code,
                title: header.title,
                level,
                targets: header.targets,
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
                    computed,
                },
                note: nfc(&raw.note),
                revision,
                criteria,
            })
        }
        _ => Err(p.found),
    }
}

/// The format version, code, title, level, targets and segmentation.
fn header(raw: &RawEdition, p: &mut Problems<'_>) -> Header {
    if *raw.format.get_ref() != FORMAT_VERSION {
        p.report(
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
        p.report(
            raw.code.span(),
            "code",
            "mã bộ tiêu chí chỉ gồm chữ thường không dấu, chữ số và dấu '-' (3–64 ký tự)".into(),
        );
    }
    let title = nfc(raw.title.get_ref());
    if title.is_empty() {
        p.report(raw.title.span(), "title", "thiếu tên bộ tiêu chí".into());
    }
    let level = UnitKind::from_code(raw.level.get_ref());
    if level.is_none() {
        p.report(
            raw.level.span(),
            "level",
            "cấp phải là tinh, huyen, xa hoặc thon".into(),
        );
    }
    let mut targets = Vec::new();
    for t in raw.targets.get_ref() {
        match Target::from_code(t) {
            Some(t) => targets.push(t),
            None => p.report(
                raw.targets.span(),
                "targets",
                format!("mục tiêu «{t}» không hợp lệ (ntm, nang-cao, kieu-mau, hien-dai)"),
            ),
        }
    }
    if targets.is_empty() && raw.targets.get_ref().is_empty() {
        p.report(
            raw.targets.span(),
            "targets",
            "cần ít nhất một mục tiêu".into(),
        );
    }
    let keyed_by = KeyedBy::from_code(raw.keyed_by.get_ref());
    if keyed_by.is_none() {
        p.report(
            raw.keyed_by.span(),
            "keyed_by",
            "phải là vung, nhom hoặc khong".into(),
        );
    }
    Header {
        code,
        title,
        level,
        targets,
        keyed_by,
    }
}

/// The required satisfaction rate, a share from 0 to 100.
fn satisfaction(raw: &RawEdition, p: &mut Problems<'_>) -> Option<SourcedNumber> {
    raw.conditions.satisfaction_percent.as_ref().map(|s| {
        let value = *s.value.get_ref();
        if !(0.0..=100.0).contains(&value) {
            p.report(
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
    })
}

/// The revision of a province's copy: number, date and office.
fn revision(raw: &RawEdition, p: &mut Problems<'_>) -> Option<Revision> {
    let r = raw.revision.as_ref()?;
    let number = *r.number.get_ref();
    let date = CivilDate::parse(r.date.get_ref());
    let office = nfc(r.office.get_ref());
    if !(1..=9999).contains(&number) {
        p.report(
            r.number.span(),
            "revision.number",
            "số lần ban hành phải từ 1 trở lên".into(),
        );
    }
    if date.is_none() {
        p.report(
            r.date.span(),
            "revision.date",
            format!(
                "ngày ban hành «{}» không hợp lệ (dạng 2026-03-01)",
                r.date.get_ref()
            ),
        );
    }
    if office.is_empty() {
        p.report(
            r.office.span(),
            "revision.office",
            "thiếu cơ quan ban hành".into(),
        );
    }
    Some(Revision {
        number: u32::try_from(number).ok()?,
        date: date?.iso(),
        office,
    })
}

/// One criterion with its indicators; `numbers` and `codes` catch duplicates across the
/// edition.
fn criterion(
    rc: RawCriterion,
    keyed_by: Option<KeyedBy>,
    numbers: &mut HashSet<i64>,
    codes: &mut HashSet<IndicatorCode>,
    p: &mut Problems<'_>,
) -> Criterion {
    let number = *rc.number.get_ref();
    if !(1..=99).contains(&number) {
        p.report(
            rc.number.span(),
            "number",
            "số tiêu chí phải từ 1 đến 99".into(),
        );
    } else if !numbers.insert(number) {
        p.report(
            rc.number.span(),
            "number",
            format!("tiêu chí số {number} bị trùng"),
        );
    }
    let name = nfc(rc.name.get_ref());
    if name.is_empty() {
        p.report(rc.name.span(), "name", "thiếu tên tiêu chí".into());
    }
    let indicators = rc
        .indicators
        .into_iter()
        .filter_map(|ri| indicator(ri, number, keyed_by, codes, p))
        .collect();
    Criterion {
        number: number.clamp(0, 99) as u32,
        name,
        name_verified: rc.name_verified,
        group: nfc(&rc.group),
        revocation_key: rc.revocation_key,
        indicators,
        note: nfc(&rc.note),
    }
}

/// One indicator of criterion `number`; `None` when its code, kind or comparator is
/// refused (the problem is reported).
fn indicator(
    ri: RawIndicator,
    number: i64,
    keyed_by: Option<KeyedBy>,
    codes: &mut HashSet<IndicatorCode>,
    p: &mut Problems<'_>,
) -> Option<Indicator> {
    let span = ri.code.span();
    let Some(code) = IndicatorCode::parse(ri.code.get_ref()) else {
        p.report(
            span,
            "code",
            format!(
                "mã chỉ tiêu «{}» không hợp lệ (dạng 2 hoặc 2.1)",
                ri.code.get_ref()
            ),
        );
        return None;
    };
    if code.criterion_number() != Some(number as u32) {
        p.report(
            span.clone(),
            "code",
            format!("chỉ tiêu {code} không thuộc tiêu chí số {number}"),
        );
    }
    if !codes.insert(code.clone()) {
        p.report(span.clone(), "code", format!("mã chỉ tiêu {code} bị trùng"));
    }
    let text = nfc(ri.text.get_ref());
    if text.is_empty() {
        p.report(
            ri.text.span(),
            "text",
            format!("chỉ tiêu {code}: thiếu nội dung"),
        );
    }
    let (kind, comparator, levels) = kind_and_levels(&ri, &code, p);
    let thresholds = thresholds(&ri.thresholds, &code, kind, &levels, keyed_by, p);
    Some(Indicator {
        code,
        text,
        text_verified: ri.text_verified,
        unit: nfc(&ri.unit),
        kind: kind?,
        comparator: comparator?,
        levels,
        thresholds,
        guidance: Guidance {
            how_to_measure: nfc(&ri.guidance),
            data_office: nfc(&ri.data_office),
            typical_proof: ri.typical_proof.iter().map(|p| nfc(p)).collect(),
        },
        note: nfc(&ri.note),
    })
}

/// What an indicator measures, how it compares and its levels (required for `muc_do`).
fn kind_and_levels(
    ri: &RawIndicator,
    code: &IndicatorCode,
    p: &mut Problems<'_>,
) -> (Option<IndicatorKind>, Option<Comparator>, Vec<String>) {
    let kind = IndicatorKind::from_code(ri.kind.get_ref());
    if kind.is_none() {
        p.report(
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
        p.report(
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
        p.report(
            ri.kind.span(),
            "levels",
            format!("chỉ tiêu {code} loại muc_do cần danh sách mức (levels)"),
        );
    }
    (kind, comparator, levels)
}

/// The thresholds of one indicator: segments allowed by the edition's keying, one value
/// per segment and year, values that fit the indicator's kind.
fn thresholds(
    raw: &[RawThreshold],
    code: &IndicatorCode,
    kind: Option<IndicatorKind>,
    levels: &[String],
    keyed_by: Option<KeyedBy>,
    p: &mut Problems<'_>,
) -> Vec<Threshold> {
    let mut thresholds = Vec::new();
    let mut seen = HashSet::new();
    for rt in raw {
        let segment = Segment::from_code(rt.segment.get_ref());
        match (segment, keyed_by) {
            (None, _) => p.report(
                rt.segment.span(),
                "segment",
                format!("phân đoạn «{}» không hợp lệ", rt.segment.get_ref()),
            ),
            (Some(s), Some(k)) if !k.allows(s) => p.report(
                rt.segment.span(),
                "segment",
                format!(
                    "phân đoạn «{}» không dùng được khi keyed_by = {}",
                    rt.segment.get_ref(),
                    k.code()
                ),
            ),
            (Some(s), _) if !seen.insert((s, rt.year)) => p.report(
                rt.segment.span(),
                "segment",
                format!(
                    "chỉ tiêu {code}: ngưỡng cho «{}» bị trùng",
                    rt.segment.get_ref()
                ),
            ),
            _ => {}
        }
        let value = checked_value(rt, code, kind, levels, p);
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
    thresholds
}

/// A threshold's value read for the indicator's kind; a share must lie within 0–100 %.
fn checked_value(
    rt: &RawThreshold,
    code: &IndicatorCode,
    kind: Option<IndicatorKind>,
    levels: &[String],
    p: &mut Problems<'_>,
) -> Option<ThresholdValue> {
    let value = kind.and_then(|k| threshold_value(k, levels, rt.value.get_ref()));
    // A share cannot pass 100 %, whether typed in TOML or as `1.250` in a
    // spreadsheet cell (one thousand two hundred and fifty).
    if let (Some(IndicatorKind::Ratio), Some(ThresholdValue::Number(n))) = (kind, &value)
        && !(0.0..=100.0).contains(n)
    {
        p.report(
            rt.value.span(),
            "value",
            format!(
                "chỉ tiêu {code}: ngưỡng tỷ lệ {} % phải từ 0 đến 100 %",
                format_number(*n, 2)
            ),
        );
        return None;
    }
    if value.is_none() && kind.is_some() {
        p.report(
            rt.value.span(),
            "value",
            format!(
                "chỉ tiêu {code}: giá trị ngưỡng «{}» không hợp với loại chỉ tiêu",
                rt.value.get_ref()
            ),
        );
    }
    value
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
