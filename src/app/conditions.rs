//! The recognition conditions screen's forms: the satisfaction survey tally, the
//! construction debt, the security situation and the public posting log.

use super::{AppError, AppResult};
use crate::domain::catalog::Edition;
use crate::domain::engine::{DebtStatus, Posting, PostingMedium, SecurityStatus};
use crate::domain::ids::AssessmentId;
use crate::domain::vn_text::{
    CivilDate, ReadNumber, Reading, for_editing, format_number, nfc, read_count, read_number,
};
use crate::store::{ConditionsRecord, Workspace};

/// The conditions as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ConditionsForm {
    /// Households asked.
    pub households_surveyed: String,
    /// Households satisfied.
    pub households_satisfied: String,
    /// Threshold in force (percent), empty to use the edition's.
    pub satisfaction_threshold: String,
    /// Why the threshold typed replaces the one the edition fixes (required then).
    pub satisfaction_threshold_reason: String,
    /// Outstanding debt, million VND.
    pub debt_million_vnd: String,
    /// Debt status code, empty when not entered.
    pub debt_status: String,
    /// Security status code, empty when not entered.
    pub security_status: String,
}

impl ConditionsForm {
    /// The form showing stored conditions, numbers written `1.250` and `1.234,5` as the
    /// number reader reads them back.
    pub fn from_record(c: &ConditionsRecord) -> Self {
        let num = |v: Option<f64>| v.map(for_editing).unwrap_or_default();
        let households = |v: Option<u32>| num(v.map(f64::from));
        Self {
            households_surveyed: households(c.households_surveyed),
            households_satisfied: households(c.households_satisfied),
            satisfaction_threshold: num(c.satisfaction_threshold),
            satisfaction_threshold_reason: String::new(),
            debt_million_vnd: num(c.debt_million_vnd),
            debt_status: c
                .debt_status
                .map(|d| d.code().to_string())
                .unwrap_or_default(),
            security_status: c
                .security_status
                .map(|s| s.code().to_string())
                .unwrap_or_default(),
        }
    }

    /// The satisfaction rate (percent) the form gives, read exactly as [`Self::validate`]
    /// reads it, so that the screen's preview and the stored value agree.
    pub fn satisfaction_preview(&self) -> Result<Option<f64>, AppError> {
        let c = self.validate()?;
        Ok(match (c.households_surveyed, c.households_satisfied) {
            (Some(n), Some(s)) if n > 0 => Some(f64::from(s) * 100.0 / f64::from(n)),
            _ => None,
        })
    }

    /// Validates the form.
    pub fn validate(&self) -> AppResult<ConditionsRecord> {
        let count = |field: &str, text: &str| -> AppResult<Option<u32>> {
            match text.trim() {
                "" => Ok(None),
                t => {
                    let n = read_count(field, "số hộ", t)
                        .map_err(|m| AppError::invalid(format!("{m}.")))?;
                    if n > f64::from(u32::MAX) {
                        return Err(AppError::invalid(format!("{field} «{t}» quá lớn.")));
                    }
                    Ok(Some(n as u32))
                }
            }
        };
        let number = |field: &str, text: &str| -> AppResult<Option<(f64, ReadNumber)>> {
            match text.trim() {
                "" => Ok(None),
                t => match read_number(t) {
                    Ok(n) if n.value >= 0.0 => Ok(Some((n.value, n))),
                    Ok(n) => Err(AppError::invalid(format!(
                        "{field} «{t}» được đọc là {} — phải là số không âm.",
                        n.shown()
                    ))),
                    Err(e) => Err(AppError::invalid(format!("{field} «{t}» {e}."))),
                },
            }
        };
        let surveyed = count("Số hộ được hỏi ý kiến", &self.households_surveyed)?;
        let satisfied = count("Số hộ hài lòng", &self.households_satisfied)?;
        if let (Some(a), Some(b)) = (surveyed, satisfied)
            && b > a
        {
            return Err(AppError::invalid(format!(
                "Số hộ hài lòng ({}) không thể lớn hơn số hộ được hỏi ý kiến ({}).",
                format_number(f64::from(b), 0),
                format_number(f64::from(a), 0)
            )));
        }
        let threshold_text = self.satisfaction_threshold.trim();
        let threshold = number("Ngưỡng tỷ lệ hài lòng", threshold_text)?;
        if let Some((t, read)) = &threshold
            && *t > 100.0
        {
            // `95.200` groups thousands; a clerk who meant 95,2 % is told how to type it.
            let decimal = (read.reading == Reading::Grouped)
                .then(|| read_number(&threshold_text.replacen('.', ",", 1)).ok())
                .flatten()
                .filter(|d| d.value <= 100.0);
            let hint = decimal
                .map(|d| format!("; nếu ý là {} %, hãy gõ {}", d.shown(), d.shown()))
                .unwrap_or_default();
            return Err(AppError::invalid(format!(
                "Ngưỡng tỷ lệ hài lòng «{threshold_text}» được đọc là {} % — ngưỡng phải từ 0 đến 100 %{hint}.",
                read.shown()
            )));
        }
        let threshold = threshold.map(|(t, _)| t);
        let debt_status =
            match self.debt_status.trim() {
                "" => None,
                c => Some(DebtStatus::from_code(c).ok_or_else(|| {
                    AppError::invalid(format!("Tình trạng nợ «{c}» không hợp lệ."))
                })?),
            };
        let security_status = match self.security_status.trim() {
            "" => None,
            c => Some(SecurityStatus::from_code(c).ok_or_else(|| {
                AppError::invalid(format!("Tình hình an ninh «{c}» không hợp lệ."))
            })?),
        };
        Ok(ConditionsRecord {
            households_surveyed: surveyed,
            households_satisfied: satisfied,
            satisfaction_threshold: threshold,
            debt_million_vnd: number("Số nợ đọng", &self.debt_million_vnd)?.map(|(v, _)| v),
            debt_status,
            security_status,
        })
    }
}

/// The longest reason kept for a replaced threshold, in characters.
pub const THRESHOLD_REASON_MAX_CHARS: usize = 500;

impl ConditionsForm {
    /// The form showing stored conditions and the stored reason for the threshold.
    pub fn from_stored(c: &ConditionsRecord, reason: Option<&str>) -> Self {
        Self {
            satisfaction_threshold_reason: reason.unwrap_or_default().to_string(),
            ..Self::from_record(c)
        }
    }

    /// Validates the form against the assessment's edition: when the edition fixes the
    /// satisfaction threshold, a different threshold needs a reason (the same value as
    /// the edition's is no replacement and is not stored); when it fixes none, the
    /// threshold typed is the one in force and no reason is asked.
    pub fn validate_for(&self, edition: &Edition) -> AppResult<(ConditionsRecord, Option<String>)> {
        let mut record = self.validate()?;
        let Some(fixed) = edition.conditions.satisfaction_percent.as_ref() else {
            return Ok((record, None));
        };
        let Some(typed) = record.satisfaction_threshold else {
            return Ok((record, None));
        };
        if (typed - fixed.value).abs() < 1e-9 {
            record.satisfaction_threshold = None;
            return Ok((record, None));
        }
        let reason = nfc(&self.satisfaction_threshold_reason);
        if reason.is_empty() {
            return Err(AppError::invalid(format!(
                "Lý do sửa ngưỡng hài lòng: bộ tiêu chí quy định {} % ({}); muốn dùng {} % thì hãy ghi lý do (ví dụ số, ngày văn bản của tỉnh), hoặc bấm «Dùng ngưỡng của bộ tiêu chí».",
                format_number(fixed.value, 2),
                fixed.source,
                format_number(typed, 2)
            )));
        }
        if reason.chars().count() > THRESHOLD_REASON_MAX_CHARS {
            return Err(AppError::invalid(format!(
                "Lý do sửa ngưỡng hài lòng dài quá {THRESHOLD_REASON_MAX_CHARS} ký tự: hãy viết gọn lại."
            )));
        }
        Ok((record, Some(reason)))
    }
}

/// Saves the conditions of an assessment as typed, with the threshold's reason, in one
/// transaction (see [`ConditionsForm::validate_for`]).
pub fn save(ws: &mut Workspace, id: AssessmentId, form: &ConditionsForm) -> AppResult<()> {
    let record = ws.require_assessment(id)?;
    let edition = super::catalog::parse_stored(&record.edition_code, &record.edition_toml)?;
    let (conditions, reason) = form.validate_for(&edition)?;
    ws.set_conditions_with_reason(id, &conditions, reason.as_deref())?;
    Ok(())
}

/// One posting-log entry as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PostingForm {
    /// Place (village name for village halls).
    pub place: String,
    /// Date, `dd/mm/yyyy`.
    pub date: String,
    /// Medium code.
    pub medium: String,
}

impl PostingForm {
    /// Validates into a posting-log entry.
    pub fn validate(&self) -> AppResult<Posting> {
        let medium = PostingMedium::from_code(&self.medium)
            .ok_or_else(|| AppError::invalid("Hãy chọn hình thức công khai."))?;
        let date = CivilDate::parse(&self.date).ok_or_else(|| {
            AppError::invalid(format!(
                "Ngày «{}» không hợp lệ (dạng ngày/tháng/năm).",
                self.date.trim()
            ))
        })?;
        let mut place = nfc(&self.place);
        if place.is_empty() {
            if medium == PostingMedium::VillageHall {
                return Err(AppError::invalid("Hãy nhập tên thôn nơi niêm yết."));
            }
            place = medium.label().to_string();
        }
        Ok(Posting {
            place,
            date,
            medium,
        })
    }
}
