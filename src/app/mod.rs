//! The use cases shared by the command line and the desktop screens: opening a
//! workspace, catalogues, units, assessments, values, evidence, status and roll-up.
//!
//! Raw input (text a user typed, a file) is validated here into domain types before
//! anything is written; errors become one [`AppError`] with a Vietnamese summary, a hint
//! of what to do next, and details last.

pub mod assessment;
pub mod backup;
pub mod bundle;
pub mod catalog;
pub mod conditions;
pub mod dossier;
pub mod evidence;
pub mod library;
pub mod report;
pub mod review;
pub mod session;
pub mod state;
pub mod tasks;
pub mod units;
pub mod values_import;

use crate::store::{StoreError, Workspace};
use std::fmt;
use std::path::{Path, PathBuf};

/// A user-facing error: what happened, what to do, then the details.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppError {
    /// One short Vietnamese sentence.
    pub summary: String,
    /// What the user can do next.
    pub hint: String,
    /// Details such as paths, rows and fields.
    pub details: Vec<String>,
}

impl AppError {
    /// Builds an error.
    pub fn new(summary: impl Into<String>, hint: impl Into<String>) -> Self {
        Self {
            summary: summary.into(),
            hint: hint.into(),
            details: Vec::new(),
        }
    }

    /// Adds details.
    pub fn with_details(mut self, details: impl IntoIterator<Item = String>) -> Self {
        self.details.extend(details);
        self
    }

    /// A bad input from the user.
    pub fn invalid(summary: impl Into<String>) -> Self {
        Self::new(summary, "Hãy sửa lại dữ liệu nhập rồi thử lại.")
    }
}

impl fmt::Display for AppError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "Lỗi: {}", self.summary)?;
        if !self.hint.is_empty() {
            writeln!(f, "Gợi ý: {}", self.hint)?;
        }
        for d in &self.details {
            writeln!(f, "  - {d}")?;
        }
        Ok(())
    }
}

impl std::error::Error for AppError {}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> Self {
        let (summary, hint) = match &e {
            StoreError::NotWorkspace(_) => (
                "Tệp này không phải tệp dữ liệu Hồ sơ NTM.",
                "Hãy chọn đúng tệp dữ liệu (.sqlite) của Hồ sơ NTM. Tệp đã chọn không bị thay đổi.",
            ),
            StoreError::NewerVersion { .. } => (
                "Tệp dữ liệu được tạo bởi phiên bản Hồ sơ NTM mới hơn.",
                "Hãy cập nhật chương trình lên phiên bản mới nhất. Tệp không bị thay đổi.",
            ),
            StoreError::Damaged { .. } => (
                "Tệp dữ liệu bị hỏng hoặc không đọc được.",
                "Hãy khôi phục bản sao lưu gần nhất vào một tệp mới: «Tệp dữ liệu → Khôi phục từ bản sao lưu…» hoặc lệnh «backup restore 1 --to TỆP_MỚI». Tệp không bị thay đổi.",
            ),
            StoreError::NotFound(_) => (
                "Không tìm thấy dữ liệu được yêu cầu.",
                "Hãy kiểm tra lại mã số (xem «unit list» hoặc danh sách đánh giá).",
            ),
            StoreError::Io { .. } => (
                "Không đọc/ghi được tệp.",
                "Hãy kiểm tra đường dẫn và quyền truy cập thư mục.",
            ),
            StoreError::Busy(_) => (
                "Tệp dữ liệu đang được chương trình khác ghi (một cửa sổ hoặc lệnh khác); đã chờ nhưng chưa đến lượt.",
                "Không có gì bị thay đổi. Hãy đợi chương trình kia ghi xong rồi thử lại.",
            ),
            StoreError::Invalid(m) => {
                return AppError::new(
                    format!("Dữ liệu bị từ chối: {m}."),
                    "Không có gì bị thay đổi.",
                );
            }
            StoreError::Sqlite(_) => (
                "Lỗi cơ sở dữ liệu.",
                "Thao tác chưa được ghi. Hãy thử lại; nếu lỗi lặp lại, chạy lệnh «check».",
            ),
        };
        AppError::new(summary, hint).with_details([e.to_string()])
    }
}

/// Result type of the app layer.
pub type AppResult<T> = Result<T, AppError>;

/// The default workspace file in the user's data folder.
pub fn default_workspace_path() -> AppResult<PathBuf> {
    let dirs = directories::ProjectDirs::from("vn", "NTM", "ho-so-ntm").ok_or_else(|| {
        AppError::new(
            "Không xác định được thư mục dữ liệu của người dùng.",
            "Hãy chỉ định tệp dữ liệu bằng tham số --db TỆP.",
        )
    })?;
    Ok(dirs.data_dir().join("ho-so-ntm.sqlite"))
}

/// The local user name, recorded in the audit log.
pub fn local_user() -> String {
    std::env::var("USER")
        .or_else(|_| std::env::var("USERNAME"))
        .unwrap_or_else(|_| "khong-ro".to_string())
}

/// Opens (creating if needed) a workspace and adds any built-in edition it lacks.
pub fn open_workspace(path: &Path) -> AppResult<Workspace> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| {
            AppError::new(
                "Không tạo được thư mục chứa tệp dữ liệu.",
                "Hãy kiểm tra quyền ghi vào thư mục.",
            )
            .with_details([format!("{}: {e}", dir.display())])
        })?;
    }
    let mut ws = Workspace::open(path, &local_user())?;
    catalog::seed_builtin(&mut ws)?;
    Ok(ws)
}

/// Today's date (UTC), the only clock read in the program's logic.
pub fn today() -> crate::domain::vn_text::CivilDate {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0);
    crate::domain::vn_text::CivilDate::from_days_since_epoch(secs.div_euclid(86_400))
}
