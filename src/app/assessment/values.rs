//! The values a user enters for an indicator: the form as typed, its validation into the
//! record to store (numbers, counts, ratios, levels, manual verdicts), the preview of the
//! verdict while typing, and saving.

use super::{Loaded, load, measured};
use crate::app::{AppError, AppResult, units};
use crate::domain::catalog::{Edition, Indicator, IndicatorKind};
use crate::domain::engine::{Measured, compare};
use crate::domain::ids::AssessmentId;
use crate::domain::units::Verdict;
use crate::domain::vn_text::{
    CivilDate, fold, for_editing, format_number, nfc, read_count, read_number,
};
use crate::store::{ValueRecord, Workspace};

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
        let date = |d: Option<CivilDate>| d.map(|d| d.to_string()).unwrap_or_default();
        Self {
            numerator: number(rec.numerator),
            denominator: number(rec.denominator),
            value: match (&rec.value_text, rec.value_number) {
                (Some(t), _) => t.clone(),
                (None, v) => number(v),
            },
            verdict: rec
                .manual_verdict
                .map(|v| v.code().to_string())
                .unwrap_or_default(),
            reason: rec.manual_reason.clone().unwrap_or_default(),
            note: rec.note.clone().unwrap_or_default(),
            details: Some(ValueDetails {
                data_date: date(rec.data_date),
                source_office: rec.source_office.clone().unwrap_or_default(),
                responsible: rec.responsible.clone().unwrap_or_default(),
                deadline: date(rec.deadline),
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

fn optional_date(field: &str, text: &str) -> Result<Option<CivilDate>, String> {
    match text.trim() {
        "" => Ok(None),
        t => CivilDate::parse(t).map(Some).ok_or_else(|| {
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
    let mut rec = existing
        .cloned()
        .unwrap_or_else(|| ValueRecord::new(ind.code.clone()));
    rec.indicator = ind.code.clone();
    rec.numerator = None;
    rec.denominator = None;
    rec.value_number = None;
    rec.value_text = None;
    match ind.kind {
        IndicatorKind::Ratio => {
            (rec.numerator, rec.denominator) = read_ratio(code, form, num)?;
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
    read_verdict_and_details(&mut rec, form)?;
    rec.computed_verdict = computed_verdict(edition, segment_profile, year, ind, &rec);
    Ok(rec)
}

/// Reads the numerator and denominator of a ratio (both or neither; the numerator not
/// above the denominator).
fn read_ratio(
    code: &str,
    form: &ValueForm,
    num: impl Fn(&str, &str) -> Result<Option<f64>, String>,
) -> Result<(Option<f64>, Option<f64>), String> {
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
            return Ok((Some(n), Some(d)));
        }
        (None, None) if form.value.trim().is_empty() => {}
        (None, None) => {
            return Err(format!(
                "chỉ tiêu {code} là tỷ lệ: hãy nhập tử số và mẫu số thay cho «value»"
            ));
        }
        _ => return Err("cần nhập cả tử số và mẫu số".into()),
    }
    Ok((None, None))
}

/// Reads the manual verdict with its reason, and the fields only the screens edit.
fn read_verdict_and_details(rec: &mut ValueRecord, form: &ValueForm) -> Result<(), String> {
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
            rec.manual_verdict = Some(v);
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
        None => rec.note = optional_text(&form.note).or(rec.note.take()),
    }
    Ok(())
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
    crate::app::received::refuse_edit(ws, id, &format!("giá trị chỉ tiêu {code}"))?;
    let loaded = load(ws, id, crate::app::today())?;
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
