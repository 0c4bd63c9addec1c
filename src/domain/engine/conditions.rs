//! The conditions of recognition besides the criteria (QĐ 18/2022): residents'
//! satisfaction, construction debt, security and the public posting of the results report.
//! Each is assessed from what the clerk entered; nothing entered means «not assessed».

use super::ratio_percent;
use crate::domain::catalog::Edition;
use crate::domain::units::Verdict;
use crate::domain::vn_text::{CivilDate, fold, format_number};

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
    /// Why the user's threshold replaces the edition's (stored since schema 10).
    pub satisfaction_threshold_reason: Option<String>,
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

pub(super) fn satisfaction(edition: &Edition, input: &ConditionsInput) -> ConditionStatus {
    let threshold = satisfaction_threshold(edition, input);
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

/// The satisfaction threshold in force and where it comes from, in words: the edition's
/// (with its source), or the one the user typed, saying which edition value it replaces
/// and why, or that the edition fixes none.
pub fn satisfaction_threshold(edition: &Edition, input: &ConditionsInput) -> Option<(f64, String)> {
    let fixed = edition.conditions.satisfaction_percent.as_ref();
    match (input.satisfaction_threshold, fixed) {
        (Some(v), Some(s)) => {
            let why = input
                .satisfaction_threshold_reason
                .as_deref()
                .filter(|r| !r.trim().is_empty())
                .map_or_else(|| "chưa ghi lý do".to_string(), |r| format!("lý do: {r}"));
            Some((
                v,
                format!(
                    "do người dùng sửa, thay ngưỡng {} % theo {}; {why}",
                    format_number(s.value, 2),
                    s.source
                ),
            ))
        }
        (Some(v), None) => Some((
            v,
            "do người dùng nhập; bộ tiêu chí không quy định ngưỡng này".to_string(),
        )),
        (None, Some(s)) => {
            let mark = if s.verified { "" } else { ", chưa xác minh" };
            Some((s.value, format!("theo {}{mark}", s.source)))
        }
        (None, None) => None,
    }
}

pub(super) fn debt(input: &ConditionsInput) -> ConditionStatus {
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

pub(super) fn security(input: &ConditionsInput) -> ConditionStatus {
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

pub(super) fn posting(input: &ConditionsInput, village_names: &[String]) -> ConditionStatus {
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
    let best_window = radio
        .iter()
        .enumerate()
        .map(|(i, start)| {
            radio
                .iter()
                .skip(i)
                .take_while(|d| **d - start < RADIO_WINDOW_DAYS)
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
