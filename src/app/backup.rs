//! Backups as a user sees them: numbered from 1 (the newest, by the workspace's change
//! sequence), and restored into a new file that is then opened like any workspace.
//!
//! None of this opens the workspace itself: it may be missing or damaged, which is when
//! a backup is needed. Backups are only read (see [`crate::store::backup`]).

use super::{AppError, AppResult};
use crate::domain::vn_text::format_number;
use crate::store::backup::{self, BackupInfo, Restored};
use crate::store::{StoreError, Workspace};
use std::path::Path;

/// The backups of the workspace at `workspace`, newest first; number `n` is at `n - 1`.
pub fn list(workspace: &Path) -> AppResult<Vec<BackupInfo>> {
    Ok(backup::list(workspace)?)
}

/// "1,2 MB", "340 KB", "12 byte".
pub fn human_size(bytes: u64) -> String {
    let b = bytes as f64;
    if b >= 1_073_741_824.0 {
        format!("{} GB", format_number(b / 1_073_741_824.0, 1))
    } else if b >= 1_048_576.0 {
        format!("{} MB", format_number(b / 1_048_576.0, 1))
    } else if b >= 1024.0 {
        format!("{} KB", format_number(b / 1024.0, 0))
    } else {
        format!("{bytes} byte")
    }
}

/// One line describing a backup: number, date and time, change sequence, sizes.
pub fn describe(number: usize, b: &BackupInfo) -> String {
    format!(
        "{number}. {} — lần thay đổi {} — số liệu {}; {} tệp minh chứng, {}",
        b.taken_at,
        b.change_seq,
        human_size(b.table_bytes),
        b.evidence_files,
        human_size(b.evidence_bytes)
    )
}

/// True when both paths exist and are the same file.
fn same_file(a: &Path, b: &Path) -> bool {
    match (std::fs::canonicalize(a), std::fs::canonicalize(b)) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

/// Restores backup number `number` (1 = newest) of `workspace` into the new file `to`.
/// Refuses a destination that exists (the open workspace included), one inside the
/// backup folder, or one whose folder does not exist; nothing is written then.
pub fn restore(workspace: &Path, number: usize, to: &Path) -> AppResult<(BackupInfo, Restored)> {
    let backups = list(workspace)?;
    let chosen = number
        .checked_sub(1)
        .and_then(|i| backups.get(i))
        .ok_or_else(|| {
            AppError::invalid(if backups.is_empty() {
                format!(
                    "Tệp dữ liệu {} chưa có bản sao lưu nào.",
                    workspace.display()
                )
            } else {
                format!(
                    "Không có bản sao lưu số {number}: chỉ có số 1 đến {}.",
                    backups.len()
                )
            })
            .with_details([format!(
                "Chạy «ntm-dossier --db {} backup list» để xem danh sách.",
                workspace.display()
            )])
        })?;
    if to.exists() || same_file(to, workspace) {
        return Err(AppError::new(
            format!("Tệp đích {} đã tồn tại.", to.display()),
            "Hãy chọn một tên tệp mới: bản khôi phục không bao giờ ghi đè tệp có sẵn hay tệp đang mở. Không có gì bị thay đổi.",
        ));
    }
    let backup_dir = backup::backup_dir_for(workspace);
    let parent = to
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    if !parent.is_dir() {
        return Err(AppError::new(
            format!("Thư mục {} không tồn tại.", parent.display()),
            "Hãy chọn tệp đích trong một thư mục có sẵn. Không có gì bị thay đổi.",
        ));
    }
    if std::fs::canonicalize(parent)
        .ok()
        .zip(std::fs::canonicalize(&backup_dir).ok())
        .is_some_and(|(p, d)| p.starts_with(d))
    {
        return Err(AppError::new(
            "Không được khôi phục vào thư mục sao lưu.",
            "Hãy chọn tệp đích ở thư mục khác. Không có gì bị thay đổi.",
        ));
    }
    let restored = backup::restore(workspace, &chosen.path, to).map_err(|e| match e {
        StoreError::Invalid(m) => AppError::new(
            format!("Không khôi phục được bản sao lưu số {number}: {m}."),
            "Hãy thử một bản sao lưu khác (xem «backup list»). Không có gì bị thay đổi.",
        ),
        other => AppError::from(other),
    })?;
    Ok((chosen.clone(), restored))
}

/// What to tell the user, once, when the backup taken while opening `ws` could not be
/// made: the workspace is open all the same, and the older backups are as they were.
/// `None` when the backup was made (or none was needed).
pub fn failure_notice(ws: &mut Workspace) -> Option<String> {
    let failure = ws.take_backup_failure()?;
    let folder = ws.backup_dir();
    let why = failure_words(&failure, &folder);
    let fix = if folder.exists() && !folder.is_dir() {
        "Hãy đổi tên hoặc dời tệp đó đi"
    } else {
        "Hãy giải phóng ổ đĩa hoặc cho phép ghi vào thư mục sao lưu"
    };
    Some(format!(
        "Chưa sao lưu được tệp dữ liệu lần này: {why} ({}). Tệp dữ liệu vẫn mở và dùng bình thường, các bản sao lưu trước vẫn giữ nguyên. {fix}; lần mở sau chương trình sẽ sao lưu lại.\n{}",
        folder.display(),
        super::technical(&failure)
    ))
}

/// Why a backup failed, in the clerk's words.
fn failure_words(failure: &StoreError, folder: &Path) -> String {
    if folder.exists() && !folder.is_dir() {
        return format!(
            "«{}» là một tệp, không phải thư mục",
            folder
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default()
        );
    }
    if failure.is_disk_full() {
        return "ổ đĩa đã đầy".into();
    }
    if failure.is_permission_denied() {
        return "không có quyền ghi vào thư mục sao lưu".into();
    }
    if failure.is_write_failure() {
        return "không ghi được (ổ đĩa đầy hoặc có lỗi)".into();
    }
    match failure {
        StoreError::Io { source, .. } => super::io_words(source),
        StoreError::Damaged { .. } => "bản sao lưu vừa ghi không đọc lại được".into(),
        StoreError::Busy(_) => "tệp dữ liệu đang được chương trình khác ghi".into(),
        _ => "lỗi khi ghi bản sao lưu".into(),
    }
}
