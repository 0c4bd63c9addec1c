//! Attaching evidence files: read each file exactly, guess its media type from the
//! extension, and link it to indicators of the assessment.

use super::{AppError, AppResult};
use crate::domain::ids::AssessmentId;
use crate::store::{AddedEvidence, Workspace};
use std::path::Path;

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
            .with_details([e.to_string()])
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
