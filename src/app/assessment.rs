//! Assessments: creating one (pinned to the edition content of the day), validating the
//! values a user enters for an indicator, and computing the full status with the engine.
#![allow(
    clippy::too_many_lines,
    reason = "issue 9: this file is still being brought under the house lints"
)]

use super::{AppError, AppResult, catalog, units};
use crate::domain::catalog::{Edition, Indicator, IndicatorKind};
use crate::domain::engine::{
    AssessmentInput, AssessmentStatus, ConditionsInput, DebtStatus, IndicatorInput, ManualVerdict,
    Measured, Posting, PostingMedium, SecurityStatus, assess, compare,
};
use crate::domain::ids::{AssessmentId, UnitId};
use crate::domain::units::{Target, Verdict};
use crate::domain::vn_text::{
    CivilDate, fold, for_editing, format_number, nfc, read_count, read_number,
};
use crate::store::{AssessmentRecord, UnitRecord, ValueRecord, Workspace};
use std::collections::HashMap;

/// Creates an assessment after checking that the edition fits the unit and target.
pub fn create(
    ws: &mut Workspace,
    unit: UnitId,
    edition_code: &str,
    target: &str,
    year: i32,
) -> AppResult<AssessmentId> {
    let unit = units::require(ws, unit)?;
    let (record, edition) = catalog::load(ws, edition_code)?;
    let target = Target::from_code(target).ok_or_else(|| {
        AppError::invalid(format!(
            "Mục tiêu «{target}» không hợp lệ: dùng ntm, nang-cao, kieu-mau hoặc hien-dai."
        ))
    })?;
    if edition.level != unit.kind {
        return Err(AppError::invalid(format!(
            "Bộ tiêu chí {} dùng cho cấp {}, còn «{}» là {}.",
            edition.code,
            edition.level.label().to_lowercase(),
            unit.name,
            unit.kind.label().to_lowercase()
        )));
    }
    if let Some(why) = super::edition_scope::refusal(ws, &unit, &record.code)? {
        return Err(AppError::invalid(why));
    }
    if !edition.targets.contains(&target) {
        let allowed: Vec<&str> = edition.targets.iter().map(|t| t.code()).collect();
        return Err(AppError::invalid(format!(
            "Bộ tiêu chí {} không dùng cho mục tiêu «{}» (chỉ dùng cho: {}).",
            edition.code,
            target.label(),
            allowed.join(", ")
        )));
    }
    if !(1990..=2100).contains(&year) {
        return Err(AppError::invalid(format!(
            "Năm đánh giá {year} không hợp lệ."
        )));
    }
    Ok(ws.create_assessment(
        unit.id,
        &record.code,
        &record.content_toml,
        &record.content_sha256,
        target,
        year,
    )?)
}

/// An assessment with everything needed to show or print it.
pub struct Loaded {
    /// The stored record.
    pub record: AssessmentRecord,
    /// The pinned edition.
    pub edition: Edition,
    /// The unit.
    pub unit: UnitRecord,
    /// Region and group used to pick thresholds.
    pub profile: crate::domain::units::UnitProfile,
    /// Stored values per indicator code.
    pub values: HashMap<String, ValueRecord>,
    /// The computed status.
    pub status: AssessmentStatus,
}

/// Every assessment, newest year first, each with the name of its unit (empty when the
/// unit is gone).
pub fn list(ws: &Workspace) -> AppResult<Vec<(AssessmentRecord, String)>> {
    let mut out = Vec::new();
    for a in ws.assessments()? {
        let name = ws.unit(a.unit)?.map(|u| u.name).unwrap_or_default();
        out.push((a, name));
    }
    Ok(out)
}

/// Loads an assessment and computes its status as of `today`.
pub fn load(ws: &Workspace, id: AssessmentId, today: CivilDate) -> AppResult<Loaded> {
    let record = ws.require_assessment(id)?;
    let edition = catalog::parse_stored(&record.edition_code, &record.edition_toml)?;
    load_with_edition(ws, record, edition, today)
}

/// Same as [`load`] with an already parsed edition (the roll-up parses each once).
pub fn load_with_edition(
    ws: &Workspace,
    record: AssessmentRecord,
    edition: Edition,
    today: CivilDate,
) -> AppResult<Loaded> {
    let unit = units::require(ws, record.unit)?;
    let profile = units::profile(ws, &unit)?;
    let values: HashMap<String, ValueRecord> = ws
        .values(record.id)?
        .into_iter()
        .map(|v| (v.indicator.clone(), v))
        .collect();
    let counts = ws.evidence_counts(record.id)?;
    let mut inputs = HashMap::new();
    for (_, ind) in edition.indicators() {
        let v = values.get(ind.code.as_str());
        inputs.insert(
            ind.code.to_string(),
            IndicatorInput {
                measured: v.and_then(|v| measured(ind, v)),
                manual: v.and_then(manual),
                evidence_count: counts.get(ind.code.as_str()).copied().unwrap_or(0),
                deadline: v
                    .and_then(|v| v.deadline.as_deref())
                    .and_then(CivilDate::parse),
            },
        );
    }
    let ratings: HashMap<u32, ManualVerdict> = ws
        .criterion_ratings(record.id)?
        .into_iter()
        .filter_map(|(n, v, reason)| {
            Verdict::from_code(&v).map(|verdict| (n, ManualVerdict { verdict, reason }))
        })
        .collect();
    let conditions = conditions_input(ws, record.id)?;
    let villages = units::village_names(ws, unit.id)?;
    let mut status = assess(&AssessmentInput {
        edition: &edition,
        profile: &profile,
        year: record.year,
        indicators: &inputs,
        criterion_ratings: &ratings,
        conditions: &conditions,
        village_names: &villages,
        today,
    });
    super::unit_conditions::fold_into(ws, &unit, record.id, &edition, &mut status)?;
    Ok(Loaded {
        record,
        edition,
        unit,
        profile,
        values,
        status,
    })
}

fn conditions_input(ws: &Workspace, id: AssessmentId) -> AppResult<ConditionsInput> {
    let c = ws.conditions(id)?;
    let postings = ws
        .postings(id)?
        .into_iter()
        .filter_map(|p| {
            Some(Posting {
                place: p.place,
                date: CivilDate::parse(&p.posted_on)?,
                medium: PostingMedium::from_code(&p.medium)?,
            })
        })
        .collect();
    Ok(ConditionsInput {
        households_surveyed: c.households_surveyed,
        households_satisfied: c.households_satisfied,
        satisfaction_threshold: c.satisfaction_threshold,
        debt_million_vnd: c.debt_million_vnd,
        debt_status: c.debt_status.as_deref().and_then(DebtStatus::from_code),
        security: c
            .security_status
            .as_deref()
            .and_then(SecurityStatus::from_code),
        postings,
    })
}

/// The measured value of a stored record, read according to the indicator's kind.
pub fn measured(ind: &Indicator, v: &ValueRecord) -> Option<Measured> {
    match ind.kind {
        IndicatorKind::Ratio => match (v.numerator, v.denominator) {
            (Some(numerator), Some(denominator)) if denominator > 0.0 => Some(Measured::Ratio {
                numerator,
                denominator,
            }),
            _ => None,
        },
        IndicatorKind::Amount | IndicatorKind::Count => v.value_number.map(Measured::Number),
        IndicatorKind::YesNo => match v.value_text.as_deref() {
            Some("dat") => Some(Measured::YesNo(true)),
            Some("khong") => Some(Measured::YesNo(false)),
            _ => None,
        },
        IndicatorKind::Level => v.value_text.clone().map(Measured::Level),
    }
}

fn manual(v: &ValueRecord) -> Option<ManualVerdict> {
    let verdict = Verdict::from_code(v.manual_verdict.as_deref()?)?;
    Some(ManualVerdict {
        verdict,
        reason: v.manual_reason.clone().unwrap_or_default(),
    })
}

/// The values of one indicator as typed, before validation. Empty text means "none".
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ValueForm {
    /// Numerator (ratios).
    pub numerator: String,
    /// Denominator (ratios).
    pub denominator: String,
    /// Amount, count, `dat`/`khong`, or a level name.
    pub value: String,
    /// Manual verdict: `dat`, `co_ban_dat`, `chua_dat` (diacritics accepted), or empty.
    pub verdict: String,
    /// Reason for the manual verdict.
    pub reason: String,
    /// Notes.
    pub note: String,
    /// The fields only the screens edit; `None` (file import) keeps the stored ones and
    /// keeps a stored note when the form's note is empty.
    pub details: Option<ValueDetails>,
}

impl ValueForm {
    /// The form showing a stored record as the walk-through edits it (numbers as
    /// `1.234,5`, which the number reader reads back to the same value; dates as
    /// `dd/mm/yyyy`).
    pub fn from_record(rec: Option<&ValueRecord>) -> Self {
        let Some(rec) = rec else {
            return Self {
                details: Some(ValueDetails::default()),
                ..Self::default()
            };
        };
        let number = |v: Option<f64>| v.map(for_editing).unwrap_or_default();
        let date = |d: &Option<String>| {
            d.as_deref()
                .and_then(CivilDate::parse)
                .map(|d| d.to_string())
                .unwrap_or_default()
        };
        Self {
            numerator: number(rec.numerator),
            denominator: number(rec.denominator),
            value: match (&rec.value_text, rec.value_number) {
                (Some(t), _) => t.clone(),
                (None, v) => number(v),
            },
            verdict: rec.manual_verdict.clone().unwrap_or_default(),
            reason: rec.manual_reason.clone().unwrap_or_default(),
            note: rec.note.clone().unwrap_or_default(),
            details: Some(ValueDetails {
                data_date: date(&rec.data_date),
                source_office: rec.source_office.clone().unwrap_or_default(),
                responsible: rec.responsible.clone().unwrap_or_default(),
                deadline: date(&rec.deadline),
            }),
        }
    }
}

/// What the walk-through shows while a value is typed, before it is saved.
#[derive(Debug, Clone, PartialEq)]
pub struct Preview {
    /// The value as read: percent for ratios, the number otherwise.
    pub value: Option<f64>,
    /// How the typed numbers were read, as stored: `tử số 1.250, mẫu số 1.500`, `1.250`.
    pub read_as: Option<String>,
    /// The verdict the engine would compute.
    pub computed: Verdict,
}

/// The preview of a form, from the very validation that saves it, so that what the
/// screen shows and what is stored cannot disagree.
pub fn preview_value(loaded: &Loaded, code: &str, form: &ValueForm) -> Result<Preview, String> {
    let rec = validate_value(
        &loaded.edition,
        &loaded.profile,
        loaded.record.year,
        code,
        form,
        loaded.values.get(code),
    )?;
    let (_, ind) = loaded
        .edition
        .indicator(code)
        .ok_or_else(|| format!("chỉ tiêu «{code}» không có trong bộ tiêu chí"))?;
    let measured = measured(ind, &rec);
    let value = match &measured {
        Some(Measured::Ratio {
            numerator,
            denominator,
        }) => crate::domain::engine::ratio_percent(*numerator, *denominator),
        Some(Measured::Number(v)) => Some(*v),
        _ => None,
    };
    let read_as = match &measured {
        Some(Measured::Ratio {
            numerator,
            denominator,
        }) => Some(format!(
            "tử số {}, mẫu số {}",
            format_number(*numerator, 2),
            format_number(*denominator, 2)
        )),
        Some(m @ Measured::Number(_)) => Some(crate::domain::engine::describe_measured(ind, m)),
        _ => None,
    };
    let computed = computed_verdict(
        &loaded.edition,
        &loaded.profile,
        loaded.record.year,
        ind,
        &rec,
    );
    Ok(Preview {
        value,
        read_as,
        computed,
    })
}

/// The per-indicator fields edited on the walk-through screen.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ValueDetails {
    /// Date of the data, `dd/mm/yyyy`.
    pub data_date: String,
    /// Office the data comes from.
    pub source_office: String,
    /// Responsible person or office.
    pub responsible: String,
    /// Deadline, `dd/mm/yyyy`.
    pub deadline: String,
}

fn optional_date(field: &str, text: &str) -> Result<Option<String>, String> {
    match text.trim() {
        "" => Ok(None),
        t => CivilDate::parse(t).map(|d| Some(d.iso())).ok_or_else(|| {
            format!("{field} «{t}» không hợp lệ (dạng ngày/tháng/năm, ví dụ 05/01/2026)")
        }),
    }
}

fn optional_text(text: &str) -> Option<String> {
    Some(nfc(text)).filter(|t| !t.is_empty())
}

/// Parses a manual verdict as typed: `dat`, `Đạt`, `co_ban_dat`, `Cơ bản đạt`, `chua_dat`…
pub fn parse_verdict(text: &str) -> Option<Verdict> {
    let key = fold(text).trim().replace([' ', '-'], "_");
    match key.as_str() {
        "dat" => Some(Verdict::Met),
        "co_ban_dat" => Some(Verdict::MostlyMet),
        "chua_dat" | "khong_dat" => Some(Verdict::NotMet),
        _ => None,
    }
}

fn parse_yes_no(text: &str) -> Option<bool> {
    match fold(text).trim() {
        "dat" | "co" | "x" | "1" | "yes" | "true" => Some(true),
        "khong" | "khong dat" | "chua dat" | "0" | "no" | "false" => Some(false),
        _ => None,
    }
}

/// Validates a form for one indicator into the record to store, keeping the fields the
/// form does not cover (data date, office, responsible, deadline) from `existing`.
/// Errors are Vietnamese sentences naming the field.
pub fn validate_value(
    edition: &Edition,
    segment_profile: &crate::domain::units::UnitProfile,
    year: i32,
    code: &str,
    form: &ValueForm,
    existing: Option<&ValueRecord>,
) -> Result<ValueRecord, String> {
    let (_, ind) = edition.indicator(code).ok_or_else(|| {
        format!(
            "chỉ tiêu «{code}» không có trong bộ tiêu chí {}",
            edition.code
        )
    })?;
    // Fields that count households, people or works take whole numbers only, so that
    // `1,250` hộ (read as 1,25) is refused instead of stored.
    let counted = ind.counted_things();
    let num = |field: &str, text: &str| -> Result<Option<f64>, String> {
        if text.trim().is_empty() {
            return Ok(None);
        }
        match counted {
            Some(counted) => read_count(field, counted, text).map(Some),
            None => read_number(text)
                .map(|n| Some(n.value))
                .map_err(|e| format!("{field} «{}» {e}", text.trim())),
        }
    };
    let mut rec = existing.cloned().unwrap_or_default();
    rec.indicator = ind.code.to_string();
    rec.numerator = None;
    rec.denominator = None;
    rec.value_number = None;
    rec.value_text = None;
    match ind.kind {
        IndicatorKind::Ratio => {
            let (n, d) = (
                num("tử số", &form.numerator)?,
                num("mẫu số", &form.denominator)?,
            );
            match (n, d) {
                (Some(_), Some(_)) if !form.value.trim().is_empty() => {
                    return Err(format!(
                        "chỉ tiêu {code} là tỷ lệ: chỉ nhập tử số và mẫu số, để trống «value» (đang có «{}»)",
                        form.value.trim()
                    ));
                }
                (Some(n), Some(d)) => {
                    if d <= 0.0 {
                        return Err("mẫu số phải lớn hơn 0".into());
                    }
                    if n < 0.0 {
                        return Err("tử số không được âm".into());
                    }
                    if n > d {
                        return Err(format!(
                            "tử số ({}) không thể lớn hơn mẫu số ({}): tỷ lệ không vượt quá 100 %",
                            format_number(n, 2),
                            format_number(d, 2)
                        ));
                    }
                    rec.numerator = Some(n);
                    rec.denominator = Some(d);
                }
                (None, None) if form.value.trim().is_empty() => {}
                (None, None) => {
                    return Err(format!(
                        "chỉ tiêu {code} là tỷ lệ: hãy nhập tử số và mẫu số thay cho «value»"
                    ));
                }
                _ => return Err("cần nhập cả tử số và mẫu số".into()),
            }
        }
        IndicatorKind::Amount | IndicatorKind::Count => {
            if !form.numerator.trim().is_empty() || !form.denominator.trim().is_empty() {
                return Err(format!(
                    "chỉ tiêu {code} không phải tỷ lệ: hãy nhập giá trị vào cột «value»"
                ));
            }
            // A count is read by `read_count` (whole, not negative): see `num` above.
            rec.value_number = num("giá trị", &form.value)?;
        }
        IndicatorKind::YesNo => {
            if !form.value.trim().is_empty() {
                let yes = parse_yes_no(&form.value).ok_or_else(|| {
                    format!(
                        "giá trị «{}» không hợp lệ: dùng «dat» hoặc «khong»",
                        form.value.trim()
                    )
                })?;
                rec.value_text = Some(if yes { "dat" } else { "khong" }.to_string());
            }
        }
        IndicatorKind::Level => {
            if !form.value.trim().is_empty() {
                let level = ind
                    .levels
                    .iter()
                    .find(|l| fold(l) == fold(form.value.trim()))
                    .ok_or_else(|| {
                        format!(
                            "mức «{}» không hợp lệ: dùng một trong {}",
                            form.value.trim(),
                            ind.levels.join("; ")
                        )
                    })?;
                rec.value_text = Some(level.clone());
            }
        }
    }
    match form.verdict.trim() {
        "" => {
            rec.manual_verdict = None;
            rec.manual_reason = None;
        }
        text => {
            let v = parse_verdict(text).ok_or_else(|| {
                format!("kết quả «{text}» không hợp lệ: dùng dat, co_ban_dat hoặc chua_dat")
            })?;
            let reason = nfc(&form.reason);
            if reason.is_empty() {
                return Err("đánh giá thủ công cần có lý do (cột «reason»)".into());
            }
            rec.manual_verdict = Some(v.code().to_string());
            rec.manual_reason = Some(reason);
        }
    }
    match &form.details {
        Some(d) => {
            rec.note = optional_text(&form.note);
            rec.data_date = optional_date("ngày số liệu", &d.data_date)?;
            rec.deadline = optional_date("thời hạn", &d.deadline)?;
            rec.source_office = optional_text(&d.source_office);
            rec.responsible = optional_text(&d.responsible);
        }
        None => rec.note = optional_text(&form.note).or(rec.note),
    }
    rec.computed_verdict = computed_verdict(edition, segment_profile, year, ind, &rec)
        .code()
        .to_string();
    Ok(rec)
}

/// The verdict the engine computes for a stored record.
pub fn computed_verdict(
    edition: &Edition,
    profile: &crate::domain::units::UnitProfile,
    year: i32,
    ind: &Indicator,
    rec: &ValueRecord,
) -> Verdict {
    let segment = edition.keyed_by.segment_of(profile);
    match (measured(ind, rec), ind.threshold_for(segment, year)) {
        (Some(m), Some(t)) => compare(ind, &m, &t.threshold.value).unwrap_or(Verdict::NotAssessed),
        _ => Verdict::NotAssessed,
    }
}

/// Saves one indicator's values from a form (used by the screens).
pub fn save_value(
    ws: &mut Workspace,
    id: AssessmentId,
    code: &str,
    form: &ValueForm,
) -> AppResult<()> {
    super::received::refuse_edit(ws, id, &format!("giá trị chỉ tiêu {code}"))?;
    let loaded = load(ws, id, super::today())?;
    let profile = units::profile(ws, &loaded.unit)?;
    let rec = validate_value(
        &loaded.edition,
        &profile,
        loaded.record.year,
        code,
        form,
        loaded.values.get(code),
    )
    .map_err(|m| AppError::invalid(format!("Chỉ tiêu {code}: {m}.")))?;
    Ok(ws.put_values(id, &[rec])?)
}
