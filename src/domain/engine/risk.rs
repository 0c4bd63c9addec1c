//! Revocation risk under QĐ 18/2022: the share of criteria not met and whether a key
//! criterion is among them.

use super::CriterionStatus;
use crate::domain::units::Verdict;
use crate::domain::vn_text::format_number;

/// Revocation risk level under QĐ 18/2022.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RiskLevel {
    /// No risk.
    None,
    /// 30 % to under 50 % of criteria fail, including a key criterion.
    AtRisk,
    /// 50 % or more of criteria fail.
    High,
}

impl RiskLevel {
    /// Stable code.
    pub fn code(self) -> &'static str {
        match self {
            Self::None => "khong",
            Self::AtRisk => "co_nguy_co",
            Self::High => "cao",
        }
    }

    /// Vietnamese label.
    pub fn label(self) -> &'static str {
        match self {
            Self::None => "Không",
            Self::AtRisk => "Có nguy cơ",
            Self::High => "Nguy cơ cao",
        }
    }

    /// Parses a stable code.
    pub fn from_code(code: &str) -> Option<Self> {
        [Self::None, Self::AtRisk, Self::High]
            .into_iter()
            .find(|l| l.code() == code)
    }
}

/// The revocation risk.
#[derive(Debug, Clone, PartialEq)]
pub struct RevocationRisk {
    /// Level.
    pub level: RiskLevel,
    /// Criteria not met.
    pub failing: usize,
    /// Criteria in total.
    pub total: usize,
    /// Share not met, percent.
    pub failing_percent: f64,
    /// Key criteria not met (numbers).
    pub key_failing: Vec<u32>,
    /// Explanation.
    pub explanation: String,
}

/// Computes the revocation risk: at least 50 % of criteria not met, or 30 % to under
/// 50 % with one of them a key criterion (income, environment, living environment,
/// defence and security; flagged in the catalogue).
pub fn revocation_risk(criteria: &[CriterionStatus]) -> RevocationRisk {
    let total = criteria.len();
    let failing: Vec<&CriterionStatus> = criteria
        .iter()
        .filter(|c| c.verdict == Verdict::NotMet)
        .collect();
    let key_failing: Vec<u32> = failing
        .iter()
        .filter(|c| c.revocation_key)
        .map(|c| c.number)
        .collect();
    let (level, pct) = risk_level(failing.len(), total, !key_failing.is_empty());
    let explanation = match level {
        RiskLevel::None => format!(
            "{}/{} tiêu chí chưa đạt: chưa thuộc diện bị thu hồi",
            failing.len(),
            total
        ),
        RiskLevel::AtRisk => format!(
            "{}/{} tiêu chí chưa đạt ({} %), trong đó có tiêu chí số {}: thuộc diện xem xét thu hồi",
            failing.len(),
            total,
            format_number(pct, 2),
            key_failing
                .iter()
                .map(u32::to_string)
                .collect::<Vec<_>>()
                .join(", ")
        ),
        RiskLevel::High => format!(
            "{}/{} tiêu chí chưa đạt ({} %, từ 50 % trở lên): thuộc diện xem xét thu hồi",
            failing.len(),
            total,
            format_number(pct, 2)
        ),
    };
    RevocationRisk {
        level,
        failing: failing.len(),
        total,
        failing_percent: pct,
        key_failing,
        explanation,
    }
}

/// The risk level, and the share of criteria not met (percent), of `failing` criteria of
/// `total`, `key_failing` when a key criterion is among them.
pub(super) fn risk_level(failing: usize, total: usize, key_failing: bool) -> (RiskLevel, f64) {
    let pct = if total == 0 {
        0.0
    } else {
        super::round2(failing as f64 * 100.0 / total as f64)
    };
    let level = if total > 0 && pct >= 50.0 {
        RiskLevel::High
    } else if pct >= 30.0 && key_failing {
        RiskLevel::AtRisk
    } else {
        RiskLevel::None
    };
    (level, pct)
}
