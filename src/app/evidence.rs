//! Attaching evidence files: read each file exactly, guess its media type from the
//! extension, and link it to indicators of the assessment; deleting a wrongly added one.

use super::{AppError, AppResult};
use crate::domain::ids::{AssessmentId, EvidenceId};
use crate::store::{AddedEvidence, DeletedEvidence, EvidenceRecord, Workspace};
use std::path::Path;

/// The evidence files of an assessment (an error when the assessment does not exist).
pub fn list(ws: &Workspace, id: AssessmentId) -> AppResult<Vec<EvidenceRecord>> {
    ws.require_assessment(id)?;
    Ok(ws.evidence(id)?)
}

/// The media type for a file name, from its extension.
pub fn media_type(file_name: &str) -> &'static str {
    let ext = Path::new(file_name)
        .extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "pdf" => "application/pdf",
        "jpg" | "jpeg" => "image/jpeg",
        "png" => "image/png",
        "tif" | "tiff" => "image/tiff",
        "doc" => "application/msword",
        "docx" => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "xls" => "application/vnd.ms-excel",
        "xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "odt" => "application/vnd.oasis.opendocument.text",
        "txt" => "text/plain",
        _ => "application/octet-stream",
    }
}

/// Attaches files to an assessment, linked to the given indicators (which must exist
/// in its edition). Missing files are reported before anything is stored.
pub fn add_files(
    ws: &mut Workspace,
    id: AssessmentId,
    indicators: &[String],
    files: &[&Path],
) -> AppResult<Vec<(String, AddedEvidence)>> {
    let record = ws.require_assessment(id)?;
    super::received::refuse_edit(ws, id, "minh chứng")?;
    let edition = super::catalog::parse_stored(&record.edition_code, &record.edition_toml)?;
    let mut codes = Vec::new();
    for code in indicators {
        let (_, ind) = edition.indicator(code).ok_or_else(|| {
            AppError::invalid(format!(
                "Chỉ tiêu «{code}» không có trong bộ tiêu chí {} của đánh giá này.",
                edition.code
            ))
        })?;
        codes.push(ind.code.to_string());
    }
    let criterion = codes
        .first()
        .and_then(|c| c.split('.').next()?.parse().ok())
        .unwrap_or(0);
    for path in files {
        if !path.is_file() {
            return Err(AppError::new(
                format!("Không tìm thấy tệp {}.", path.display()),
                "Hãy kiểm tra đường dẫn tệp; chưa tệp nào được thêm.",
            ));
        }
        if std::fs::metadata(path).is_ok_and(|m| m.len() == 0) {
            return Err(AppError::new(
                format!("Tệp {} rỗng (0 byte).", path.display()),
                "Một tệp rỗng không thể làm minh chứng; chưa tệp nào được thêm.",
            ));
        }
    }
    // One file in memory at a time: memory stays bounded by the largest file.
    let mut added = Vec::new();
    for path in files {
        let bytes = std::fs::read(path).map_err(|e| {
            AppError::new(
                format!("Không đọc được tệp {}.", path.display()),
                "Hãy kiểm tra quyền đọc tệp.",
            )
            .with_details([super::io_words(&e)])
        })?;
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_else(|| "tep".to_string());
        let result = ws.add_evidence(id, &name, media_type(&name), &bytes, criterion, &codes)?;
        added.push((name, result));
    }
    Ok(added)
}

/// Deletes a wrongly added file of an assessment, named by its evidence code (`TC03-01`;
/// case and surrounding spaces ignored). See [`delete_by_id`] for what goes with it.
pub fn delete(ws: &mut Workspace, id: AssessmentId, code: &str) -> AppResult<DeletedEvidence> {
    ws.require_assessment(id)?;
    let wanted = code.trim().to_uppercase();
    let record = ws
        .evidence(id)?
        .into_iter()
        .find(|e| e.code.to_uppercase() == wanted)
        .ok_or_else(|| {
            AppError::new(
                format!(
                    "Đợt đánh giá số {id} không có minh chứng mã «{}».",
                    code.trim()
                ),
                format!("Xem các mã bằng lệnh «evidence list {id}»."),
            )
        })?;
    delete_by_id(ws, id, record.id)
}

/// Deletes an evidence file of an assessment: its links go with it, so the indicators
/// it proved lose this proof; its bytes and preview are removed from the workspace
/// unless another evidence file holds the same bytes; the audit log keeps its code,
/// name, hash and indicators. Refused for an assessment received in a bundle (kept as
/// the commune sent it) and for a file that is a signed original of the dossier.
pub fn delete_by_id(
    ws: &mut Workspace,
    id: AssessmentId,
    evidence: EvidenceId,
) -> AppResult<DeletedEvidence> {
    if let Some((_, round)) = ws.imported_from(id)? {
        return Err(AppError::new(
            format!(
                "Không xóa được minh chứng: đợt đánh giá số {id} là hồ sơ nhận từ xã (lần gửi {round}), được giữ nguyên như khi nhận."
            ),
            "Nếu tệp không đúng, hãy yêu cầu xã bổ sung hoặc gửi lại hồ sơ.",
        ));
    }
    if !ws.evidence(id)?.iter().any(|e| e.id == evidence) {
        return Err(AppError::invalid(format!(
            "Không tìm thấy tệp minh chứng này trong đợt đánh giá số {id}."
        )));
    }
    Ok(ws.delete_evidence(evidence)?)
}

/// The question asked before deleting a file: which file, and which indicators lose it.
pub fn delete_question(e: &EvidenceRecord) -> String {
    let proves = if e.indicators.is_empty() {
        "Tệp chưa gắn chỉ tiêu nào.".to_string()
    } else {
        format!(
            "Tệp đang là minh chứng của chỉ tiêu {}; các chỉ tiêu này sẽ không còn tệp này.",
            e.indicators.join(", ")
        )
    };
    format!(
        "Xóa tệp {} — {} khỏi hồ sơ? {proves} Không thể hoàn tác.",
        e.code, e.file_name
    )
}
