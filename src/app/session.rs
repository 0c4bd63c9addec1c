//! What belongs to the desktop session rather than to a workspace: the lock that keeps a
//! workspace open in one window only, and the list of recently opened files.

use super::{AppError, AppResult};
use std::fs::File;
use std::path::{Path, PathBuf};

/// Held while a window has a workspace open; released when dropped or when the process
/// ends (even after a crash, since the operating system drops the lock).
#[derive(Debug)]
pub struct WindowLock {
    _file: File,
}

impl WindowLock {
    /// Locks `<workspace>.khoa` beside the workspace.
    pub fn acquire(workspace: &Path) -> AppResult<Self> {
        let name = workspace
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_default();
        let path = workspace.with_file_name(format!("{name}.khoa"));
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            let _ = std::fs::create_dir_all(dir);
        }
        let file = File::options()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(|e| {
                AppError::new(
                    "Không tạo được tệp khóa bên cạnh tệp dữ liệu.",
                    "Hãy kiểm tra quyền ghi vào thư mục chứa tệp dữ liệu.",
                )
                .with_details([format!(
                    "{}: {}",
                    path.display(),
                    super::io_words(&e)
                )])
            })?;
        match file.try_lock() {
            Ok(()) => Ok(Self { _file: file }),
            Err(_) => Err(AppError::new(
                "Tệp dữ liệu này đang được mở trong một cửa sổ Hồ sơ NTM khác.",
                "Hãy chuyển sang cửa sổ đó, hoặc đóng nó rồi mở lại tệp ở đây. Tệp không bị thay đổi.",
            )
            .with_details([workspace.display().to_string()])),
        }
    }
}

/// How many recent files are remembered.
pub const RECENT_KEPT: usize = 8;

fn recent_list_path() -> Option<PathBuf> {
    directories::ProjectDirs::from("vn", "NTM", "ho-so-ntm")
        .map(|d| d.config_dir().join("tep-gan-day.json"))
}

/// Recently opened workspaces, newest first (only those that still exist).
pub fn recent_files() -> Vec<PathBuf> {
    let Some(path) = recent_list_path() else {
        return Vec::new();
    };
    let list: Vec<PathBuf> = std::fs::read(&path)
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok())
        .unwrap_or_default();
    list.into_iter()
        .map(super::shell::plain_path)
        .filter(|p| p.exists())
        .collect()
}

/// Puts a workspace at the top of the recent list. Failing to save the list is not an
/// error worth interrupting the user for.
pub fn remember(workspace: &Path) {
    let Some(path) = recent_list_path() else {
        return;
    };
    let absolute = std::fs::canonicalize(workspace).unwrap_or_else(|_| workspace.to_path_buf());
    let mut list = recent_files();
    list.retain(|p| *p != absolute);
    list.insert(0, absolute);
    list.truncate(RECENT_KEPT);
    if let Some(dir) = path.parent() {
        let _ = std::fs::create_dir_all(dir);
    }
    if let Ok(json) = serde_json::to_vec_pretty(&list) {
        let tmp = path.with_extension("tmp");
        if std::fs::write(&tmp, json).is_ok() {
            let _ = std::fs::rename(&tmp, &path);
        }
    }
}
