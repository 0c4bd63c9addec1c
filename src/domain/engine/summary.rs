//! The assessment as a whole: criteria, counts, recognition conditions (QĐ 18/2022),
//! revocation risk and the list of what is still missing.
#![allow(
    clippy::indexing_slicing,
    clippy::too_many_lines,
    reason = "issue 9: this file is still being brought under the house lints"
)]

use super::{
    IndicatorInput, IndicatorStatus, ManualVerdict, assess_indicator, criterion_verdict,
    ratio_percent,
};
use crate::domain::catalog::Edition;
use crate::domain::units::{UnitProfile, Verdict};
use crate::domain::vn_text::{CivilDate, fold, format_number};
use std::collections::HashMap;

/// Construction-debt status (nợ đọng xây dựng cơ bản).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DebtStatus {
    /// No outstanding debt.
    None,
    /// Debt outstanding.
    Outstanding,
    /// Debt being settled under a plan; still outstanding for recognition.
    BeingSettled,
}

impl DebtStatus {
    /// Every status.
    pub const ALL: [DebtStatus; 3] = [Self::None, Self::Outstanding, Self::BeingSettled];
    /// Stable code.
    pub fn code(self) -> &'static str {
        match self {
            Self::None => "khong_no",
            Self::Outstanding => "con_no",
            Self::BeingSettled => "dang_xu_ly",
        }
    }
    /// Vietnamese label.
    pub fn label(self) -> &'static str {
        match self {
            Self::None => "Không còn nợ đọng",
            Self::Outstanding => "Còn nợ đọng",
            Self::BeingSettled => "Đang xử lý nợ đọng",
        }
    }
    /// Parses a code.
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == code.trim())
    }
}

/// Security situation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SecurityStatus {
    /// Stable.
    Stable,
    /// "Phức tạp": recognition is not possible.
    Complex,
}

impl SecurityStatus {
    /// Stable code.
    pub fn code(self) -> &'static str {
        match self {
            Self::Stable => "on_dinh",
            Self::Complex => "phuc_tap",
        }
    }
    /// Vietnamese label.
    pub fn label(self) -> &'static str {
        match self {
            Self::Stable => "Ổn định",
            Self::Complex => "Phức tạp",
        }
    }
    /// Parses a code.
    pub fn from_code(code: &str) -> Option<Self> {
        [Self::Stable, Self::Complex]
            .into_iter()
            .find(|s| s.code() == code.trim())
    }
}

/// Where a results report was posted publicly.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PostingMedium {
    /// At the commune office.
    CommuneOffice,
    /// At a village cultural house.
    VillageHall,
    /// On commune radio.
    Radio,
}

impl PostingMedium {
    /// Every medium.
    pub const ALL: [PostingMedium; 3] = [Self::CommuneOffice, Self::VillageHall, Self::Radio];
    /// Stable code.
    pub fn code(self) -> &'static str {
        match self {
            Self::CommuneOffice => "tru_so",
            Self::VillageHall => "nha_van_hoa",
            Self::Radio => "dai_truyen_thanh",
        }
    }
    /// Vietnamese label.
    pub fn label(self) -> &'static str {
        match self {
            Self::CommuneOffice => "Trụ sở UBND xã",
            Self::VillageHall => "Nhà văn hóa thôn",
            Self::Radio => "Đài truyền thanh xã",
        }
    }
    /// Parses a code.
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == code.trim())
    }
}

/// One entry of the public posting log.
#[derive(Debug, Clone, PartialEq)]
pub struct Posting {
    /// Place (e.g. the village name).
    pub place: String,
    /// Day posted or broadcast.
    pub date: CivilDate,
    /// How.
    pub medium: PostingMedium,
}

/// The recognition conditions as entered.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ConditionsInput {
    /// Households asked in the satisfaction survey.
    pub households_surveyed: Option<u32>,
    /// Households satisfied.
    pub households_satisfied: Option<u32>,
    /// The threshold in force set by the user (overrides the edition's).
    pub satisfaction_threshold: Option<f64>,
    /// Outstanding debt in million VND.
    pub debt_million_vnd: Option<f64>,
    /// Debt status.
    pub debt_status: Option<DebtStatus>,
    /// Security status.
    pub security: Option<SecurityStatus>,
    /// Posting log.
    pub postings: Vec<Posting>,
}

/// One condition's state.
#[derive(Debug, Clone, PartialEq)]
pub struct ConditionStatus {
    /// Stable key: `hai_long`, `no_dong`, `an_ninh`, `cong_khai`.
    pub key: &'static str,
    /// Vietnamese name.
    pub name: &'static str,
    /// Verdict.
    pub verdict: Verdict,
    /// Explanation in Vietnamese.
    pub detail: String,
}

/// Radio broadcasts required within any 15-day window (verified guidance).
pub const RADIO_BROADCASTS_REQUIRED: usize = 5;
/// The window for those broadcasts, in days.
pub const RADIO_WINDOW_DAYS: i64 = 15;

fn satisfaction(edition: &Edition, input: &ConditionsInput) -> ConditionStatus {
    let threshold = input
        .satisfaction_threshold
        .map(|v| (v, "do người dùng nhập".to_string()))
        .or_else(|| {
            edition.conditions.satisfaction_percent.as_ref().map(|s| {
                let mark = if s.verified { "" } else { ", chưa xác minh" };
                (s.value, format!("theo {}{mark}", s.source))
            })
        });
    let (verdict, detail) = match (input.households_surveyed, input.households_satisfied) {
        (Some(asked), Some(yes)) if asked > 0 && yes <= asked => {
            let rate = ratio_percent(f64::from(yes), f64::from(asked)).unwrap_or(0.0);
            match threshold {
                Some((t, from)) => (
                    if rate >= t {
                        Verdict::Met
                    } else {
                        Verdict::NotMet
                    },
                    format!(
                        "{}/{} hộ hài lòng ({} %), yêu cầu ≥ {} % ({from})",
                        format_number(f64::from(yes), 0),
                        format_number(f64::from(asked), 0),
                        format_number(rate, 2),
                        format_number(t, 2)
                    ),
                ),
                None => (
                    Verdict::NotAssessed,
                    format!(
                        "{}/{} hộ hài lòng ({} %); chưa có ngưỡng tỷ lệ hài lòng: hãy nhập ngưỡng đang áp dụng",
                        format_number(f64::from(yes), 0),
                        format_number(f64::from(asked), 0),
                        format_number(rate, 2)
                    ),
                ),
            }
        }
        (Some(_), Some(_)) => (
            Verdict::NotAssessed,
            "Số hộ hài lòng không hợp lệ (lớn hơn số hộ được hỏi hoặc số hộ được hỏi bằng 0)"
                .into(),
        ),
        _ => (
            Verdict::NotAssessed,
            "Chưa nhập kết quả khảo sát sự hài lòng của người dân".into(),
        ),
    };
    ConditionStatus {
        key: "hai_long",
        name: "Sự hài lòng của người dân",
        verdict,
        detail,
    }
}

fn debt(input: &ConditionsInput) -> ConditionStatus {
    let amount = input
        .debt_million_vnd
        .map(|a| format!(" ({} triệu đồng)", format_number(a, 2)))
        .unwrap_or_default();
    let (verdict, detail) = match input.debt_status {
        None => (
            Verdict::NotAssessed,
            "Chưa nhập tình hình nợ đọng xây dựng cơ bản".to_string(),
        ),
        Some(DebtStatus::None) if input.debt_million_vnd.is_some_and(|a| a > 0.0) => (
            Verdict::NotMet,
            format!("Ghi «không còn nợ» nhưng số nợ lớn hơn 0{amount}"),
        ),
        Some(DebtStatus::None) => (
            Verdict::Met,
            "Không còn nợ đọng xây dựng cơ bản".to_string(),
        ),
        Some(s) => (Verdict::NotMet, format!("{}{amount}", s.label())),
    };
    ConditionStatus {
        key: "no_dong",
        name: "Nợ đọng xây dựng cơ bản",
        verdict,
        detail,
    }
}

fn security(input: &ConditionsInput) -> ConditionStatus {
    let (verdict, detail) = match input.security {
        None => (
            Verdict::NotAssessed,
            "Chưa nhập tình hình an ninh, trật tự".to_string(),
        ),
        Some(SecurityStatus::Stable) => (Verdict::Met, "An ninh, trật tự ổn định".to_string()),
        Some(SecurityStatus::Complex) => (
            Verdict::NotMet,
            "Tình hình an ninh, trật tự phức tạp".to_string(),
        ),
    };
    ConditionStatus {
        key: "an_ninh",
        name: "An ninh, trật tự",
        verdict,
        detail,
    }
}

fn posting(input: &ConditionsInput, village_names: &[String]) -> ConditionStatus {
    let at_office = input
        .postings
        .iter()
        .any(|p| p.medium == PostingMedium::CommuneOffice);
    let mut radio: Vec<i64> = input
        .postings
        .iter()
        .filter(|p| p.medium == PostingMedium::Radio)
        .map(|p| p.date.days_since_epoch())
        .collect();
    radio.sort_unstable();
    let best_window = (0..radio.len())
        .map(|i| {
            radio[i..]
                .iter()
                .take_while(|d| **d - radio[i] < RADIO_WINDOW_DAYS)
                .count()
        })
        .max()
        .unwrap_or(0);
    let posted_villages: Vec<String> = input
        .postings
        .iter()
        .filter(|p| p.medium == PostingMedium::VillageHall)
        .map(|p| fold(&p.place))
        .collect();
    let missing_villages: Vec<&str> = village_names
        .iter()
        .filter(|v| !posted_villages.contains(&fold(v)))
        .map(String::as_str)
        .collect();
    let mut gaps = Vec::new();
    if !at_office {
        gaps.push("chưa niêm yết tại trụ sở UBND xã".to_string());
    }
    if !missing_villages.is_empty() {
        gaps.push(format!(
            "chưa niêm yết tại nhà văn hóa: {}",
            missing_villages.join(", ")
        ));
    }
    if best_window < RADIO_BROADCASTS_REQUIRED {
        gaps.push(format!("đài truyền thanh mới phát {best_window}/{RADIO_BROADCASTS_REQUIRED} lần trong {RADIO_WINDOW_DAYS} ngày"));
    }
    let (verdict, detail) = if input.postings.is_empty() {
        (
            Verdict::NotAssessed,
            "Chưa có nhật ký công khai báo cáo kết quả".to_string(),
        )
    } else if gaps.is_empty() {
        (
            Verdict::Met,
            format!("Đã công khai đủ ({} lượt)", input.postings.len()),
        )
    } else {
        (Verdict::NotMet, gaps.join("; "))
    };
    ConditionStatus {
        key: "cong_khai",
        name: "Công khai báo cáo kết quả",
        verdict,
        detail,
    }
}

/// The state of one criterion.
#[derive(Debug, Clone, PartialEq)]
pub struct CriterionStatus {
    /// Number.
    pub number: u32,
    /// Name.
    pub name: String,
    /// Verdict in force.
    pub verdict: Verdict,
    /// A person's verdict on the whole criterion, with reason.
    pub manual: Option<ManualVerdict>,
    /// Its indicators.
    pub indicators: Vec<IndicatorStatus>,
    /// Counts towards revocation.
    pub revocation_key: bool,
}

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
    let pct = if total == 0 {
        0.0
    } else {
        super::round2(failing.len() as f64 * 100.0 / total as f64)
    };
    let level = if total > 0 && pct >= 50.0 {
        RiskLevel::High
    } else if pct >= 30.0 && !key_failing.is_empty() {
        RiskLevel::AtRisk
    } else {
        RiskLevel::None
    };
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

/// What kind of gap a missing item is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MissingKind {
    /// The catalogue lacks criteria or indicators.
    Catalogue,
    /// No value entered.
    Value,
    /// A value without an applicable threshold: a person must judge.
    Judgement,
    /// The value does not meet the threshold.
    NotMet,
    /// No proof linked.
    Evidence,
    /// A criterion without indicators awaits a person's rating.
    CriterionRating,
    /// A recognition condition is not met or not entered.
    Condition,
}

impl MissingKind {
    /// Stable code.
    pub fn code(self) -> &'static str {
        match self {
            Self::Catalogue => "bo_tieu_chi",
            Self::Value => "gia_tri",
            Self::Judgement => "can_danh_gia",
            Self::NotMet => "chua_dat",
            Self::Evidence => "minh_chung",
            Self::CriterionRating => "danh_gia_tieu_chi",
            Self::Condition => "dieu_kien",
        }
    }
}

/// One thing still missing before recognition.
#[derive(Debug, Clone, PartialEq)]
pub struct MissingItem {
    /// Kind.
    pub kind: MissingKind,
    /// Criterion number, if any.
    pub criterion: Option<u32>,
    /// Indicator code, if any.
    pub indicator: Option<String>,
    /// Vietnamese message.
    pub message: String,
}

/// Everything the engine needs about one assessment.
pub struct AssessmentInput<'a> {
    /// The pinned edition.
    pub edition: &'a Edition,
    /// The unit's profile.
    pub profile: &'a UnitProfile,
    /// Assessment year.
    pub year: i32,
    /// Per indicator code.
    pub indicators: &'a HashMap<String, IndicatorInput>,
    /// Manual criterion ratings, per criterion number.
    pub criterion_ratings: &'a HashMap<u32, ManualVerdict>,
    /// Conditions.
    pub conditions: &'a ConditionsInput,
    /// Names of the villages of the commune, for the posting check.
    pub village_names: &'a [String],
    /// Today, for overdue deadlines.
    pub today: CivilDate,
}

/// The full state of an assessment.
#[derive(Debug, Clone, PartialEq)]
pub struct AssessmentStatus {
    /// Criteria.
    pub criteria: Vec<CriterionStatus>,
    /// Criteria Đạt.
    pub criteria_met: usize,
    /// Criteria in the catalogue.
    pub criteria_total: usize,
    /// Indicators Đạt.
    pub indicators_met: usize,
    /// Indicators in the catalogue.
    pub indicators_total: usize,
    /// Indicators with at least one proof file.
    pub indicators_with_evidence: usize,
    /// Conditions.
    pub conditions: Vec<ConditionStatus>,
    /// Revocation risk.
    pub revocation: RevocationRisk,
    /// What is missing, in catalogue order.
    pub missing: Vec<MissingItem>,
    /// Every criterion and condition met, and the catalogue complete.
    pub eligible: bool,
}

/// Assesses a whole assessment.
pub fn assess(input: &AssessmentInput<'_>) -> AssessmentStatus {
    let edition = input.edition;
    let segment = edition.keyed_by.segment_of(input.profile);
    let empty = IndicatorInput::default();
    let mut missing = Vec::new();
    if edition.is_incomplete() {
        missing.push(MissingItem {
            kind: MissingKind::Catalogue,
            criterion: None,
            indicator: None,
            message: format!(
                "Bộ tiêu chí {} chưa đầy đủ ({} tiêu chí, {} chỉ tiêu so với {} tiêu chí, {} chỉ tiêu của quyết định): cần nhập bản đầy đủ của tỉnh",
                edition.decision_label(),
                edition.criteria.len(),
                edition.indicator_count(),
                edition.criteria_expected.map_or("?".into(), |n| n.to_string()),
                edition.indicators_expected.map_or("?".into(), |n| n.to_string())
            ),
        });
    }
    let mut criteria = Vec::new();
    for c in &edition.criteria {
        let indicators: Vec<IndicatorStatus> = c
            .indicators
            .iter()
            .map(|i| {
                assess_indicator(
                    i,
                    segment,
                    input.year,
                    input.indicators.get(i.code.as_str()).unwrap_or(&empty),
                    input.today,
                )
            })
            .collect();
        for s in &indicators {
            let (kind, message) = match s.verdict {
                _ if s.value_display.is_none() && s.manual_reason.is_none() => (
                    Some(MissingKind::Value),
                    format!("Chỉ tiêu {}: chưa nhập giá trị", s.code),
                ),
                _ if s.needs_judgement => (
                    Some(MissingKind::Judgement),
                    format!(
                        "Chỉ tiêu {}: chưa có ngưỡng cho xã này, cần đánh giá kèm lý do",
                        s.code
                    ),
                ),
                Verdict::NotMet => (
                    Some(MissingKind::NotMet),
                    format!(
                        "Chỉ tiêu {}: chưa đạt ({} so với yêu cầu {})",
                        s.code,
                        s.value_display.clone().unwrap_or_default(),
                        s.threshold
                            .as_ref()
                            .map_or(String::new(), |t| t.display.clone())
                    ),
                ),
                _ => (None, String::new()),
            };
            if let Some(kind) = kind {
                missing.push(MissingItem {
                    kind,
                    criterion: Some(c.number),
                    indicator: Some(s.code.clone()),
                    message,
                });
            }
            if s.evidence_count == 0 {
                missing.push(MissingItem {
                    kind: MissingKind::Evidence,
                    criterion: Some(c.number),
                    indicator: Some(s.code.clone()),
                    message: format!("Chỉ tiêu {}: chưa có minh chứng", s.code),
                });
            }
        }
        let manual = input.criterion_ratings.get(&c.number).cloned();
        let computed = criterion_verdict(&indicators.iter().map(|s| s.verdict).collect::<Vec<_>>());
        if c.indicators.is_empty() && manual.is_none() {
            missing.push(MissingItem { kind: MissingKind::CriterionRating, criterion: Some(c.number), indicator: None, message: format!("Tiêu chí {} ({}): chưa có chỉ tiêu trong bộ tiêu chí, cần đánh giá cả tiêu chí kèm lý do", c.number, c.name) });
        }
        criteria.push(CriterionStatus {
            number: c.number,
            name: c.name.clone(),
            verdict: manual.as_ref().map_or(computed, |m| m.verdict),
            manual,
            indicators,
            revocation_key: c.revocation_key,
        });
    }
    let conditions = vec![
        satisfaction(edition, input.conditions),
        debt(input.conditions),
        security(input.conditions),
        posting(input.conditions, input.village_names),
    ];
    for c in &conditions {
        if c.verdict != Verdict::Met {
            missing.push(MissingItem {
                kind: MissingKind::Condition,
                criterion: None,
                indicator: None,
                message: format!("{}: {}", c.name, c.detail),
            });
        }
    }
    let all_indicators = criteria.iter().flat_map(|c| c.indicators.iter());
    let indicators_met = all_indicators
        .clone()
        .filter(|s| s.verdict == Verdict::Met)
        .count();
    let indicators_with_evidence = all_indicators
        .clone()
        .filter(|s| s.evidence_count > 0)
        .count();
    let indicators_total = all_indicators.count();
    let criteria_met = criteria
        .iter()
        .filter(|c| c.verdict == Verdict::Met)
        .count();
    let criteria_total = criteria.len();
    let eligible = !edition.is_incomplete()
        && criteria_total > 0
        && criteria_met == criteria_total
        && conditions.iter().all(|c| c.verdict == Verdict::Met);
    AssessmentStatus {
        revocation: revocation_risk(&criteria),
        criteria,
        criteria_met,
        criteria_total,
        indicators_met,
        indicators_total,
        indicators_with_evidence,
        conditions,
        missing,
        eligible,
    }
}
