//! Attaching evidence files: read each file exactly, guess its media type from the
//! extension, and link it to indicators of the assessment; deleting a wrongly added one.

use super::{AppError, AppResult};
use crate::domain::ids::{AssessmentId, EvidenceId};
use crate::store::{
    AddedEvidence, BatchControl, DeletedEvidence, EvidenceRecord, IncomingFile, StoreError,
    Workspace,
};
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
/// in its edition): all of them, or none. See [`add_batch`].
pub fn add_files(
    ws: &mut Workspace,
    id: AssessmentId,
    indicators: &[String],
    files: &[&Path],
) -> AppResult<Vec<(String, AddedEvidence)>> {
    let control = BatchWatch {
        on_stored: &|_| {},
        cancelled: &|| false,
        defer_checkpoint: false,
    };
    add_batch(ws, id, indicators, files, &control)?.ok_or_else(|| {
        AppError::new(
            "Đã dừng việc thêm tệp.",
            "Chưa tệp nào được thêm; tệp dữ liệu giữ nguyên như trước.",
        )
    })
}

/// How the caller of [`add_batch`] follows and bounds it.
pub struct BatchWatch<'a> {
    /// Told how many files are stored so far.
    pub on_stored: &'a dyn Fn(usize),
    /// Asked between files; true stops the batch with nothing stored (`Ok(None)`).
    pub cancelled: &'a dyn Fn() -> bool,
    /// Leave the copy of WAL's log into the file to the caller, who then calls
    /// [`Workspace::settle_after_batch`] on a background thread (the window).
    pub defer_checkpoint: bool,
}

/// Attaches files to an assessment, linked to the given indicators (which must exist in
/// its edition), as one batch: the command line and a drop of files on the window both
/// come here. Missing, empty or too large files and a disk without room are refused
/// before anything is stored; then each file is read once (and hashed in the same pass)
/// and all are stored in one transaction, writing each byte once, so either every file
/// is added or none is, and the error names the file that stopped the batch. The copies
/// in the backup store are made after the batch (see [`Workspace::settle_after_batch`]).
pub fn add_batch(
    ws: &mut Workspace,
    id: AssessmentId,
    indicators: &[String],
    files: &[&Path],
    watch: &BatchWatch<'_>,
) -> AppResult<Option<Vec<(String, AddedEvidence)>>> {
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
    check_files(ws.path(), files)?;
    let incoming: Vec<IncomingFile<'_>> = files
        .iter()
        .map(|path| {
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().to_string())
                .unwrap_or_else(|| "tep".to_string());
            let media_type = media_type(&name);
            IncomingFile {
                name,
                media_type,
                path,
            }
        })
        .collect();
    let control = BatchControl {
        max_file_bytes: MAX_EVIDENCE_FILE_BYTES,
        on_stored: watch.on_stored,
        cancelled: watch.cancelled,
        defer_checkpoint: watch.defer_checkpoint,
    };
    let added = ws
        .add_evidence_batch(id, &incoming, criterion, &codes, &control)
        .map_err(|e| batch_error(e, files))?;
    Ok(added.map(|added| incoming.into_iter().map(|f| f.name).zip(added).collect()))
}

/// One Vietnamese sentence on what a batch added: how many files, and how many of them
/// were already attached (same bytes) and only gained links.
pub fn added_sentence(added: &[(String, AddedEvidence)]) -> String {
    let known = added.iter().filter(|(_, a)| !a.is_new).count();
    let n = added.len();
    if known == 0 {
        format!("Đã đính kèm {n} tệp.")
    } else {
        format!("Đã đính kèm {n} tệp ({known} tệp đã có sẵn cùng nội dung, chỉ thêm liên kết).")
    }
}

/// Refuses the whole batch, before anything is read, when a file is missing, empty or
/// too large, or when the disk has not room for them all.
fn check_files(workspace: &Path, files: &[&Path]) -> AppResult<()> {
    let mut total: u64 = 0;
    for path in files {
        if !path.is_file() {
            return Err(AppError::new(
                format!("Không tìm thấy tệp {}.", path.display()),
                "Hãy kiểm tra đường dẫn tệp; chưa tệp nào được thêm.",
            ));
        }
        let size = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
        if size == 0 {
            return Err(AppError::new(
                format!("Tệp {} rỗng (0 byte).", path.display()),
                "Một tệp rỗng không thể làm minh chứng; chưa tệp nào được thêm.",
            ));
        }
        check_size(path, size).map_err(nothing_added)?;
        total = total.saturating_add(size);
    }
    check_free_space(workspace, total).map_err(nothing_added)
}

/// What the clerk is told when a batch stopped: which file stopped it (and its place in
/// the batch), that no file was added, and what to do.
fn batch_error(e: StoreError, files: &[&Path]) -> AppError {
    let none = if files.len() > 1 {
        format!(
            "Chưa tệp nào trong {} tệp được thêm; tệp dữ liệu giữ nguyên như trước.",
            files.len()
        )
    } else {
        "Tệp chưa được thêm; tệp dữ liệu giữ nguyên như trước.".to_string()
    };
    let place = |path: &Path| match files.iter().position(|f| *f == path) {
        Some(i) if files.len() > 1 => format!(" (tệp thứ {} trong {})", i + 1, files.len()),
        _ => String::new(),
    };
    match e {
        StoreError::Io { path, source } => AppError::new(
            format!(
                "Không đọc được tệp {}{}. {none}",
                path.display(),
                place(&path)
            ),
            "Hãy kiểm tra quyền đọc tệp (hoặc chép tệp vào máy), hoặc bỏ tệp này ra, rồi thêm lại.",
        )
        .with_details([super::technical(source)]),
        ref full if full.is_disk_full() => AppError::new(
            format!("Ổ đĩa đã đầy khi lưu tệp minh chứng. {none}"),
            "Hãy giải phóng chỗ trống trên ổ đĩa chứa tệp dữ liệu rồi thêm lại.",
        )
        .with_details([super::technical(e)]),
        StoreError::Invalid(why) => AppError::new(
            format!("Không thêm được: {why}. {none}"),
            "Hãy kiểm tra tệp này (hoặc bỏ nó ra) rồi thêm lại.",
        ),
        other => {
            let mut err = AppError::from(other);
            err.summary = format!("{} {none}", err.summary);
            err
        }
    }
}

fn nothing_added(mut e: AppError) -> AppError {
    e.summary
        .push_str(" Chưa tệp nào được thêm; tệp dữ liệu giữ nguyên như trước.");
    e
}

/// The largest evidence file accepted (a scanned dossier of a few hundred pages fits;
/// a video or a disk image does not).
pub const MAX_EVIDENCE_FILE_BYTES: u64 = 300 * 1024 * 1024;

/// Refuses a file above [`MAX_EVIDENCE_FILE_BYTES`], before anything is read.
pub fn check_size(path: &Path, size: u64) -> AppResult<()> {
    if size > MAX_EVIDENCE_FILE_BYTES {
        return Err(AppError::new(
            format!(
                "Tệp {} quá lớn ({} MB; mỗi tệp minh chứng tối đa {} MB).",
                path.display(),
                crate::domain::vn_text::format_number(size as f64 / (1024.0 * 1024.0), 0),
                MAX_EVIDENCE_FILE_BYTES / (1024 * 1024)
            ),
            "Hãy quét lại với độ phân giải thấp hơn (150–200 dpi) hoặc tách thành nhiều tệp nhỏ.",
        ));
    }
    Ok(())
}

/// Refuses to store `bytes` of evidence when the disk holding the workspace has not room
/// for them three times over (the workspace, its journal and the backup store) plus
/// 16 MB. Where free space cannot be read, the write itself tells.
pub fn check_free_space(workspace: &Path, bytes: u64) -> AppResult<()> {
    let needed = bytes.saturating_mul(3).saturating_add(16 * 1024 * 1024);
    let Some(free) = free_space(workspace) else {
        return Ok(());
    };
    if free < needed {
        let mb = |b: u64| crate::domain::vn_text::format_number(b as f64 / (1024.0 * 1024.0), 0);
        return Err(AppError::new(
            format!(
                "Ổ đĩa chứa tệp dữ liệu chỉ còn {} MB trống, cần khoảng {} MB để lưu các tệp này.",
                mb(free),
                mb(needed)
            ),
            "Hãy giải phóng chỗ trống trên ổ đĩa rồi thêm lại.",
        ));
    }
    Ok(())
}

/// Free bytes for this user on the disk holding `workspace`.
#[cfg(unix)]
#[allow(clippy::unnecessary_cast)] // the field types differ between Unix systems
fn free_space(workspace: &Path) -> Option<u64> {
    use std::os::unix::ffi::OsStrExt;
    let folder = match workspace.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let c = std::ffi::CString::new(folder.as_os_str().as_bytes()).ok()?;
    let mut st = std::mem::MaybeUninit::<libc::statvfs>::zeroed();
    // SAFETY: `c` is a valid NUL-terminated path and `st` points to a statvfs buffer.
    let rc = unsafe { libc::statvfs(c.as_ptr(), st.as_mut_ptr()) };
    if rc != 0 {
        return None;
    }
    // SAFETY: statvfs returned 0, so it filled the buffer.
    let st = unsafe { st.assume_init() };
    Some((st.f_bavail as u64).saturating_mul(st.f_frsize as u64))
}

#[cfg(not(unix))]
fn free_space(_workspace: &Path) -> Option<u64> {
    None
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
    if let Some(crate::store::ReceivedFrom { round, .. }) = ws.imported_from(id)? {
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
