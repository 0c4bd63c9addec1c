//! Recognition decisions and survey results as the user enters them (command line or
//! screen): validated against the unit tree, then recorded. A merged commune shows its
//! former communes' decisions as history; they never count as its own.

use super::units::require;
use super::{AppError, AppResult};
use crate::domain::ids::UnitId;
use crate::domain::recognition::{Recognition, in_date_order, in_force};
use crate::domain::units::{RecognitionTarget, UnitKind, UnitRecord};
use crate::domain::vn_text::{CivilDate, nfc};
use crate::store::{SurveyResult, Workspace};

/// A recognition decision as typed, before validation.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RecognitionForm {
    /// The unit's id.
    pub unit: String,
    /// Target code: ntm, nang-cao, kieu-mau, hien-dai, do-thi-van-minh.
    pub target: String,
    /// Decision number.
    pub decision: String,
    /// Decision date, `15/12/2024`.
    pub date: String,
    /// Issuing body, may be empty.
    pub issued_by: String,
    /// True for a revocation.
    pub revoked: bool,
}

/// The decisions to show for a unit: its own, and its former units' as history.
#[derive(Debug, Clone, PartialEq)]
pub struct RecognitionHistory {
    /// The unit's own decisions, by date.
    pub own: Vec<Recognition>,
    /// Each former unit merged into it, with that unit's decisions.
    pub former: Vec<(UnitRecord, Vec<Recognition>)>,
}

impl RecognitionHistory {
    /// Text lines for the command line and the screen: the decisions, then the former
    /// units' under «Trước sáp nhập».
    pub fn lines(&self) -> Vec<String> {
        let mut lines: Vec<String> = self.own.iter().map(Recognition::describe).collect();
        for (unit, decisions) in &self.former {
            for d in decisions {
                lines.push(format!(
                    "Trước sáp nhập, {}: {}",
                    super::units::display_name(unit),
                    d.describe()
                ));
            }
        }
        lines
    }
}

fn parse_target(code: &str) -> AppResult<RecognitionTarget> {
    RecognitionTarget::from_code(code).ok_or_else(|| {
        AppError::invalid(format!(
            "Mục tiêu công nhận «{code}» không hợp lệ: dùng ntm, nang-cao, kieu-mau, hien-dai hoặc do-thi-van-minh."
        ))
    })
}

fn parse_unit(ws: &Workspace, text: &str) -> AppResult<UnitRecord> {
    let id: UnitId = text.trim().parse().map_err(|_| {
        AppError::invalid(format!("Đơn vị «{text}» không phải mã số đơn vị hợp lệ."))
    })?;
    require(ws, id)
}

/// Checks a form: the unit exists, the target suits its kind (only a town is recognised
/// «đô thị văn minh», and a town only that), the number and date read, and a revocation
/// revokes a decision in force no later than it.
pub fn validate(ws: &Workspace, form: &RecognitionForm) -> AppResult<Recognition> {
    let unit = parse_unit(ws, &form.unit)?;
    let target = parse_target(&form.target)?;
    let is_town = unit.kind == UnitKind::Town;
    if (target == RecognitionTarget::CivilisedTown) != is_town {
        return Err(AppError::invalid(if is_town {
            format!(
                "{} «{}» chỉ được công nhận đô thị văn minh (--target do-thi-van-minh).",
                unit.kind.label(),
                unit.name
            )
        } else {
            format!(
                "Chỉ thị trấn được công nhận đô thị văn minh; «{}» là {}.",
                unit.name,
                unit.kind.label().to_lowercase()
            )
        }));
    }
    let decision = nfc(&form.decision);
    if decision.is_empty() {
        return Err(AppError::invalid(
            "Chưa nhập số quyết định (--decision, ví dụ «123/QĐ-UBND»).",
        ));
    }
    let decided_on = CivilDate::parse(&form.date).ok_or_else(|| {
        AppError::invalid(format!(
            "Ngày quyết định «{}» không hợp lệ: nhập dạng 15/12/2024 (--date).",
            form.date
        ))
    })?;
    let rec = Recognition {
        unit: unit.id,
        target,
        decision,
        decided_on,
        issued_by: nfc(&form.issued_by),
        revoked: form.revoked,
    };
    if rec.revoked {
        check_revocation(ws, &unit, &rec)?;
    }
    Ok(rec)
}

fn check_revocation(ws: &Workspace, unit: &UnitRecord, rec: &Recognition) -> AppResult<()> {
    let existing = ws.recognitions_of(unit.id)?;
    match in_force(&existing, unit.id, rec.target) {
        None => Err(AppError::invalid(format!(
            "«{}» hiện không được công nhận {} nên không có gì để thu hồi.",
            unit.name,
            rec.target.label().to_lowercase()
        ))),
        Some(d) if d.decided_on > rec.decided_on => Err(AppError::invalid(format!(
            "Ngày thu hồi {} trước ngày công nhận {} (quyết định số {}).",
            rec.decided_on, d.decided_on, d.decision
        ))),
        Some(_) => Ok(()),
    }
}

/// Validates and records a decision or a revocation; returns it as recorded.
pub fn record(ws: &mut Workspace, form: &RecognitionForm) -> AppResult<Recognition> {
    let rec = validate(ws, form)?;
    ws.add_recognition(&rec)?;
    Ok(rec)
}

/// A unit's decisions and those of the former units merged into it.
pub fn history(ws: &Workspace, unit: UnitId) -> AppResult<RecognitionHistory> {
    let u = require(ws, unit)?;
    let mut own = ws.recognitions_of(unit)?;
    in_date_order(&mut own);
    let mut former = Vec::new();
    for id in &u.merged_from {
        if let Some(f) = ws.unit(*id)? {
            let mut decisions = ws.recognitions_of(f.id)?;
            in_date_order(&mut decisions);
            former.push((f, decisions));
        }
    }
    Ok(RecognitionHistory { own, former })
}

/// Every recognition decision of the workspace.
pub fn all(ws: &Workspace) -> AppResult<Vec<Recognition>> {
    Ok(ws.recognitions()?)
}

/// A survey result as typed, before validation.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SurveyForm {
    /// The unit's id.
    pub unit: String,
    /// The content asked about.
    pub content: String,
    /// Households asked.
    pub surveyed: String,
    /// Households satisfied.
    pub satisfied: String,
}

fn parse_count(text: &str, field: &str) -> AppResult<u32> {
    text.trim().replace('.', "").parse().map_err(|_| {
        AppError::invalid(format!(
            "{field} «{text}» không phải số nguyên không âm (ví dụ 1.250)."
        ))
    })
}

/// Validates and records (or replaces) a unit's survey result on one content.
pub fn record_survey(ws: &mut Workspace, form: &SurveyForm) -> AppResult<SurveyResult> {
    let unit = parse_unit(ws, &form.unit)?;
    let content = nfc(&form.content);
    if content.is_empty() {
        return Err(AppError::invalid(
            "Chưa nhập nội dung khảo sát (--content).",
        ));
    }
    let surveyed = parse_count(&form.surveyed, "Số hộ được hỏi")?;
    let satisfied = parse_count(&form.satisfied, "Số hộ hài lòng")?;
    if surveyed == 0 || satisfied > surveyed {
        return Err(AppError::invalid(format!(
            "Số hộ hài lòng ({satisfied}) phải từ 0 đến số hộ được hỏi ({surveyed}), và số hộ được hỏi phải lớn hơn 0."
        )));
    }
    let result = SurveyResult {
        unit: unit.id,
        content,
        households_surveyed: surveyed,
        households_satisfied: satisfied,
    };
    ws.set_survey_result(&result)?;
    Ok(result)
}

/// The survey results of one unit, by content.
pub fn surveys_of(ws: &Workspace, unit: UnitId) -> AppResult<Vec<SurveyResult>> {
    Ok(ws
        .survey_results()?
        .into_iter()
        .filter(|s| s.unit == unit)
        .collect())
}
