//! Evidence of an assessment: which indicators files may be attached or linked to.

use crate::app::{AppError, AppResult, catalog};
use crate::domain::ids::{AssessmentId, EvidenceId};
use crate::store::Workspace;

/// Refuses indicator codes that are not in the assessment's edition, before any file
/// is read.
pub fn check_indicators(ws: &Workspace, id: AssessmentId, codes: &[String]) -> AppResult<()> {
    let record = ws.require_assessment(id)?;
    let edition = catalog::parse_stored(&record.edition_code, &record.edition_toml)?;
    for code in codes {
        if edition.indicator(code).is_none() {
            return Err(AppError::invalid(format!(
                "Chỉ tiêu «{code}» không có trong bộ tiêu chí của đợt đánh giá."
            )));
        }
    }
    Ok(())
}

/// Links an evidence file of the assessment to one more of its indicators. A file of
/// another assessment, or an indicator not in its edition, is refused.
pub fn link(
    ws: &mut Workspace,
    id: AssessmentId,
    evidence: EvidenceId,
    code: &str,
) -> AppResult<()> {
    let record = ws.require_assessment(id)?;
    let edition = catalog::parse_stored(&record.edition_code, &record.edition_toml)?;
    if !ws.evidence(id)?.iter().any(|e| e.id == evidence) || edition.indicator(code).is_none() {
        return Err(AppError::invalid(format!(
            "Không gắn được tệp vào chỉ tiêu «{code}» của đợt đánh giá số {id}."
        )));
    }
    Ok(ws.link_evidence(evidence, code)?)
}
