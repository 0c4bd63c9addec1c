//! `backup …`: list and restore backups of a workspace.

use super::{emit, workspace_path};
use crate::app::{self, AppResult};
use crate::cli::BackupCommand;
use std::io::Write;
use std::path::PathBuf;

/// `backup …` works without opening the workspace, which may be missing or damaged.
pub(super) fn backup(
    db: Option<PathBuf>,
    command: BackupCommand,
    out: &mut dyn Write,
) -> AppResult<i32> {
    let workspace = workspace_path(db)?;
    match command {
        BackupCommand::List => {
            let backups = app::backup::list(&workspace)?;
            let mut text = if backups.is_empty() {
                format!("Chưa có bản sao lưu nào của {}.\n", workspace.display())
            } else {
                format!(
                    "Bản sao lưu của {} (mới nhất trước):\n",
                    workspace.display()
                )
            };
            for (i, b) in backups.iter().enumerate() {
                text.push_str(&format!("  {}\n", app::backup::describe(i + 1, b)));
            }
            emit(out, &text)?;
        }
        BackupCommand::Restore { number, to } => {
            let (info, restored) = app::backup::restore(&workspace, number, &to)?;
            emit(
                out,
                &format!(
                    "Đã khôi phục bản sao lưu số {number} ({}, lần thay đổi {}) vào tệp mới {}: {} tệp minh chứng, mỗi tệp đã được kiểm tra còn nguyên vẹn.\nMở tệp: ntm-dossier --db {}\n",
                    info.taken_at,
                    info.change_seq,
                    restored.path.display(),
                    restored.evidence_files,
                    restored.path.display()
                ),
            )?;
        }
    }
    Ok(0)
}
