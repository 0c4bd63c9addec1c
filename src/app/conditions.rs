//! The recognition conditions screen's forms: the satisfaction survey tally, the
//! construction debt, the security situation and the public posting log.

use super::{AppError, AppResult};
use crate::domain::engine::{DebtStatus, PostingMedium, SecurityStatus};
use crate::domain::vn_text::{CivilDate, nfc, parse_number};
use crate::store::ConditionsRecord;

/// The conditions as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ConditionsForm {
    /// Households asked.
    pub households_surveyed: String,
    /// Households satisfied.
    pub households_satisfied: String,
    /// Threshold in force (percent), empty to use the edition's.
    pub satisfaction_threshold: String,
    /// Outstanding debt, million VND.
    pub debt_million_vnd: String,
    /// Debt status code, empty when not entered.
    pub debt_status: String,
    /// Security status code, empty when not entered.
    pub security_status: String,
}

impl ConditionsForm {
    /// The form showing stored conditions.
    pub fn from_record(c: &ConditionsRecord) -> Self {
        let num = |v: Option<f64>| {
            v.map(|x| crate::domain::vn_text::format_number(x, 2))
                .unwrap_or_default()
        };
        Self {
            households_surveyed: c
                .households_surveyed
                .map(|v| v.to_string())
                .unwrap_or_default(),
            households_satisfied: c
                .households_satisfied
                .map(|v| v.to_string())
                .unwrap_or_default(),
            satisfaction_threshold: num(c.satisfaction_threshold),
            debt_million_vnd: num(c.debt_million_vnd),
            debt_status: c.debt_status.clone().unwrap_or_default(),
            security_status: c.security_status.clone().unwrap_or_default(),
        }
    }

    /// Validates the form.
    pub fn validate(&self) -> AppResult<ConditionsRecord> {
        let count = |field: &str, text: &str| -> AppResult<Option<u32>> {
            match text.trim() {
                "" => Ok(None),
                t => parse_number(t)
                    .filter(|n| n.fract() == 0.0 && *n >= 0.0 && *n <= f64::from(u32::MAX))
                    .map(|n| Some(n as u32))
                    .ok_or_else(|| {
                        AppError::invalid(format!("{field} «{t}» phải là số nguyên không âm."))
                    }),
            }
        };
        let number = |field: &str, text: &str| -> AppResult<Option<f64>> {
            match text.trim() {
                "" => Ok(None),
                t => parse_number(t)
                    .filter(|n| *n >= 0.0)
                    .map(Some)
                    .ok_or_else(|| {
                        AppError::invalid(format!("{field} «{t}» phải là số không âm."))
                    }),
            }
        };
        let surveyed = count("Số hộ được khảo sát", &self.households_surveyed)?;
        let satisfied = count("Số hộ hài lòng", &self.households_satisfied)?;
        if let (Some(a), Some(b)) = (surveyed, satisfied)
            && b > a
        {
            return Err(AppError::invalid(format!(
                "Số hộ hài lòng ({b}) không thể lớn hơn số hộ được khảo sát ({a})."
            )));
        }
        let threshold = number("Ngưỡng tỷ lệ hài lòng", &self.satisfaction_threshold)?;
        if threshold.is_some_and(|t| t > 100.0) {
            return Err(AppError::invalid(
                "Ngưỡng tỷ lệ hài lòng phải từ 0 đến 100 %.",
            ));
        }
        let debt_status = match self.debt_status.trim() {
            "" => None,
            c => Some(
                DebtStatus::from_code(c)
                    .ok_or_else(|| AppError::invalid(format!("Tình trạng nợ «{c}» không hợp lệ.")))?
                    .code()
                    .to_string(),
            ),
        };
        let security_status = match self.security_status.trim() {
            "" => None,
            c => Some(
                SecurityStatus::from_code(c)
                    .ok_or_else(|| {
                        AppError::invalid(format!("Tình hình an ninh «{c}» không hợp lệ."))
                    })?
                    .code()
                    .to_string(),
            ),
        };
        Ok(ConditionsRecord {
            households_surveyed: surveyed,
            households_satisfied: satisfied,
            satisfaction_threshold: threshold,
            debt_million_vnd: number("Số nợ đọng", &self.debt_million_vnd)?,
            debt_status,
            security_status,
        })
    }
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
    /// Validates into (place, ISO date, medium code).
    pub fn validate(&self) -> AppResult<(String, String, String)> {
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
        Ok((place, date.iso(), medium.code().to_string()))
    }
}
