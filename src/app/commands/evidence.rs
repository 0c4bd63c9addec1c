//! Evidence of an assessment: which indicators files may be attached or linked to. The
//! rules hold for the window and for the command line (`evidence link|unlink`) alike.

use crate::app::{AppError, AppResult, catalog};
use crate::domain::evidence::EvidenceRecord;
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
/// another assessment, an indicator not in its edition, or a round received from a
/// commune is refused.
pub fn link(
    ws: &mut Workspace,
    id: AssessmentId,
    evidence: EvidenceId,
    code: &str,
) -> AppResult<()> {
    crate::app::received::refuse_edit(ws, id, "minh chứng")?;
    let record = ws.require_assessment(id)?;
    let edition = catalog::parse_stored(&record.edition_code, &record.edition_toml)?;
    if !ws.evidence(id)?.iter().any(|e| e.id == evidence) || edition.indicator(code).is_none() {
        return Err(AppError::invalid(format!(
            "Không gắn được tệp vào chỉ tiêu «{code}» của đợt đánh giá số {id}."
        )));
    }
    Ok(ws.link_evidence(evidence, code)?)
}

/// Removes the link between an evidence file of the assessment and an indicator (the
/// file stays). A file of another assessment, or a round received from a commune, is
/// refused.
pub fn unlink(
    ws: &mut Workspace,
    id: AssessmentId,
    evidence: EvidenceId,
    code: &str,
) -> AppResult<()> {
    crate::app::received::refuse_edit(ws, id, "minh chứng")?;
    if !ws.evidence(id)?.iter().any(|e| e.id == evidence) {
        return Err(AppError::invalid(format!(
            "Không bỏ gắn được: tệp không thuộc đợt đánh giá số {id}."
        )));
    }
    Ok(ws.unlink_evidence(evidence, code)?)
}

/// The evidence file of the assessment with code `code` (e.g. `TC03-01`, as «evidence
/// list» prints it), or an error saying where to find the codes.
pub fn by_code(ws: &Workspace, id: AssessmentId, code: &str) -> AppResult<EvidenceRecord> {
    let code = code.trim();
    ws.evidence(id)?
        .into_iter()
        .find(|e| e.code.eq_ignore_ascii_case(code))
        .ok_or_else(|| {
            AppError::new(
                format!("Không có minh chứng «{code}» trong đợt đánh giá số {id}."),
                "Xem mã minh chứng bằng lệnh «evidence list».",
            )
        })
}
