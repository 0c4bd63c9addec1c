//! The use cases shared by the command line and the desktop screens: opening a
//! workspace, catalogues, units, assessments, values, evidence, status and roll-up.
//!
//! Raw input (text a user typed, a file) is validated here into domain types before
//! anything is written; errors become one [`AppError`] with a Vietnamese summary, a hint
//! of what to do next, and details last.

pub mod assessment;
pub mod backup;
pub mod bundle;
pub mod bundle_checks;
pub mod bundle_edition;
pub mod bundle_format;
pub(crate) mod bundle_manifest;
pub mod catalog;
pub mod central;
pub mod central_status;
pub mod clock;
pub mod commands;
pub mod conditions;
pub mod dossier;
pub mod edition_form;
pub mod edition_move;
pub mod edition_pack;
pub mod edition_scope;
pub mod enrolment;
pub mod evidence;
pub mod history;
pub mod keys;
pub mod library;
pub mod memory;
pub mod output;
pub mod pdf_probe;
pub mod received;
pub mod recognitions;
pub mod reload;
pub mod report;
pub mod review;
pub mod session;
pub mod shell;
pub mod state;
pub mod tasks;
pub mod unit_conditions;
pub mod units;
pub mod untrusted;
pub mod values_import;

use crate::store::StoreError;
use std::fmt;
use std::path::{Path, PathBuf};

/// The most problems listed in one error; the rest are counted.
pub const MAX_LISTED_PROBLEMS: usize = 20;

/// The open workspace, as the faces (command line and window) hold it: they pass it to the
/// use cases of this layer and call none of its methods themselves.
pub use crate::store::Workspace;

/// The process exit code of a failure, shared by the command line and the window.
pub const EXIT_FAILURE: i32 = 1;

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

    /// Adds at most [`MAX_LISTED_PROBLEMS`] details, then a line counting the rest
    /// («… và 39.990 lỗi khác»), so that a file with thousands of problems prints a
    /// screenful, not all of them.
    pub fn with_first_details(self, details: impl IntoIterator<Item = String>) -> Self {
        let mut details = details.into_iter();
        let first: Vec<String> = details.by_ref().take(MAX_LISTED_PROBLEMS).collect();
        let rest = details.count();
        let mut out = self.with_details(first);
        if rest > 0 {
            out.details.push(format!(
                "… và {} lỗi khác",
                crate::domain::vn_text::format_number(rest as f64, 0)
            ));
        }
        out
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
                "Hãy khôi phục bản sao lưu gần nhất vào một tệp mới: mục «Khôi phục từ bản sao lưu…» của trình đơn «Tệp dữ liệu» hoặc lệnh «backup restore 1 --to TỆP_MỚI». Tệp không bị thay đổi.",
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
            StoreError::Corrupt { .. } => (
                "Tệp dữ liệu có giá trị không đọc được (tệp đã bị sửa bằng công cụ khác hoặc bị hỏng).",
                "Hãy khôi phục bản sao lưu gần nhất vào một tệp mới: «Tệp dữ liệu → Khôi phục từ bản sao lưu…» hoặc lệnh «backup restore 1 --to TỆP_MỚI». Tệp không bị thay đổi.",
            ),
            StoreError::Sqlite(_) => (
                "Lỗi cơ sở dữ liệu.",
                "Thao tác chưa được ghi. Hãy thử lại; nếu lỗi lặp lại, chạy lệnh «check».",
            ),
        };
        let details = match e {
            StoreError::Damaged { path, detail } => {
                vec![path.display().to_string(), technical(detail)]
            }
            // Said in the clerk's words; the system's own text adds nothing a user can act on.
            StoreError::Io { path, source } => {
                vec![format!("{}: {}", path.display(), io_words(&source))]
            }
            StoreError::Sqlite(e) => vec![technical(e)],
            other => vec![other.to_string()],
        };
        AppError::new(summary, hint).with_details(details)
    }
}

/// A file-system error in the clerk's words («không tìm thấy tệp hoặc thư mục»), never
/// the system's English text with its code («os error 2»).
pub fn io_words(e: &std::io::Error) -> String {
    use std::io::ErrorKind as K;
    match e.kind() {
        K::NotFound => "không tìm thấy tệp hoặc thư mục",
        K::PermissionDenied => "không có quyền đọc/ghi ở đây",
        K::AlreadyExists => "đã có tệp cùng tên",
        K::StorageFull => "ổ đĩa đã đầy",
        K::ReadOnlyFilesystem => "ổ đĩa chỉ cho đọc, không ghi được",
        K::IsADirectory => "đây là một thư mục, không phải tệp",
        K::NotADirectory => "một phần của đường dẫn không phải thư mục",
        K::InvalidData | K::UnexpectedEof => "tệp bị hỏng hoặc không đọc hết được",
        K::WouldBlock | K::ResourceBusy => "tệp đang được chương trình khác dùng",
        K::Interrupted | K::TimedOut => "thao tác bị gián đoạn, hãy thử lại",
        K::FileTooLarge => "tệp quá lớn",
        _ => "lỗi đọc/ghi tệp của hệ điều hành",
    }
    .to_string()
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

/// Opens (creating if needed) a workspace and adds any built-in edition it lacks. See
/// [`open_or_create_workspace`] for what is refused.
pub fn open_workspace(path: &Path) -> AppResult<Workspace> {
    open_or_create_workspace(path).map(|(ws, _)| ws)
}

/// The marker put before details meant for support staff (library and system messages,
/// which may be in English).
pub const TECHNICAL_DETAIL: &str = "Chi tiết kỹ thuật (cho bộ phận hỗ trợ)";

/// A detail line for support staff: `TECHNICAL_DETAIL: detail`.
pub fn technical(detail: impl fmt::Display) -> String {
    format!("{TECHNICAL_DETAIL}: {detail}")
}

/// Opens a workspace and adds any built-in edition it lacks; the flag tells whether
/// the file was created by this call. Nothing is created or written when the path is
/// refused:
/// - an existing file of 0 bytes is damaged (a failed copy looks like that), not a new
///   workspace;
/// - a file that does not exist is created only in a folder that exists (the default
///   workspace's folder is created on first run);
/// - a read-only file or folder is reported as such.
pub fn open_or_create_workspace(path: &Path) -> AppResult<(Workspace, bool)> {
    let shown = path.display().to_string();
    let folder = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let created = match std::fs::metadata(path) {
        Ok(m) if m.is_dir() => {
            return Err(AppError::new(
                "Đường dẫn tệp dữ liệu là một thư mục, không phải tệp.",
                "Hãy chỉ định một tệp .sqlite, ví dụ --db THƯ_MỤC/ho-so.sqlite.",
            )
            .with_details([shown]));
        }
        Ok(m) if m.len() == 0 => {
            return Err(AppError::new(
                "Tệp dữ liệu bị hỏng: tệp rỗng (0 byte).",
                "Một lần sao chép bị lỗi hoặc một bản sao lưu hỏng có thể để lại tệp rỗng. Hãy khôi phục bản sao lưu gần nhất vào một tệp mới (lệnh «backup restore 1 --to TỆP_MỚI») hoặc chọn đúng tệp. Tệp không bị thay đổi.",
            )
            .with_details([shown]));
        }
        Ok(m) => {
            if m.permissions().readonly() {
                return Err(read_only("Tệp dữ liệu chỉ cho phép đọc", path));
            }
            false
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let is_default = default_workspace_path().is_ok_and(|d| d == path);
            if is_default {
                std::fs::create_dir_all(&folder).map_err(|e| {
                    AppError::new(
                        "Không tạo được thư mục chứa tệp dữ liệu.",
                        "Hãy kiểm tra quyền ghi vào thư mục.",
                    )
                    .with_details([folder.display().to_string(), technical(e)])
                })?;
            } else if !folder.is_dir() {
                return Err(AppError::new(
                    format!("Thư mục {} không tồn tại.", folder.display()),
                    "Hãy kiểm tra lại đường dẫn (có thể gõ nhầm tên thư mục). Chương trình không tự tạo thư mục cho tệp dữ liệu; không có gì được tạo.",
                )
                .with_details([shown]));
            }
            true
        }
        Err(e) => {
            return Err(AppError::new(
                "Không đọc được tệp dữ liệu.",
                "Hãy kiểm tra đường dẫn và quyền truy cập thư mục.",
            )
            .with_details([shown, technical(e)]));
        }
    };
    if !folder_writable(&folder) {
        return Err(read_only(
            "Thư mục chứa tệp dữ liệu chỉ cho phép đọc",
            &folder,
        ));
    }
    let mut ws = Workspace::open(path, &local_user())?;
    catalog::seed_builtin(&mut ws)?;
    Ok((ws, created))
}

fn read_only(what: &str, path: &Path) -> AppError {
    AppError::new(
        format!("{what}, chương trình không ghi được: {}.", path.display()),
        "Tệp dữ liệu cần được ghi (kể cả khi chỉ xem, để ghi nhật ký và sao lưu). Hãy chép tệp sang một thư mục có quyền ghi (ví dụ Tài liệu) rồi mở bản chép, hoặc bỏ thuộc tính chỉ đọc. Tệp không bị thay đổi.",
    )
}

/// Whether this user may create files in `folder` (write and search permission). On
/// systems other than Unix, the open itself tells.
#[cfg(unix)]
fn folder_writable(folder: &Path) -> bool {
    use std::os::unix::ffi::OsStrExt;
    let Ok(c) = std::ffi::CString::new(folder.as_os_str().as_bytes()) else {
        return true;
    };
    // SAFETY: `c` is a valid NUL-terminated path for the duration of the call.
    unsafe { libc::access(c.as_ptr(), libc::W_OK | libc::X_OK) == 0 }
}

#[cfg(not(unix))]
fn folder_writable(_folder: &Path) -> bool {
    true
}

/// Checks the workspace file (SQLite integrity) and every evidence file against its
/// SHA-256; an error lists each problem and says how to recover.
pub fn check_integrity(ws: &Workspace) -> AppResult<()> {
    let integrity = ws.integrity_problems()?;
    let corrupt = ws.corrupt_blobs()?;
    if integrity.is_empty() && corrupt.is_empty() {
        return Ok(());
    }
    let details = integrity.into_iter().chain(
        corrupt
            .into_iter()
            .map(|s| format!("một tệp minh chứng (mã tệp {s}) đã bị thay đổi sau khi nhập")),
    );
    Err(AppError::new(
        "Tệp dữ liệu có lỗi toàn vẹn.",
        "Hãy khôi phục bản sao lưu gần nhất vào một tệp mới: mục «Khôi phục từ bản sao lưu…» của trình đơn «Tệp dữ liệu» hoặc lệnh «backup restore 1 --to TỆP_MỚI».",
    )
    .with_details(details))
}

/// The offset used when the system's cannot be read: Vietnam (UTC+07:00), where the
/// program is used.
pub const VIETNAM_OFFSET_SECONDS: i32 = 7 * 3600;

/// The civil date at `utc_seconds` (seconds since 1970-01-01T00:00Z) for a local offset:
/// the pure part of [`today`], so a test can pin the clock.
pub fn today_at(utc_seconds: i64, offset_seconds: i32) -> crate::domain::vn_text::CivilDate {
    let local = utc_seconds.saturating_add(i64::from(offset_seconds));
    crate::domain::vn_text::CivilDate::from_days_since_epoch(local.div_euclid(86_400))
}

/// The system's offset from UTC, read once and kept: on Unix it can only be read safely
/// while the process has one thread, so `main` calls this before any thread starts.
/// When the system does not tell, Vietnam's offset is used.
pub fn local_offset_seconds() -> i32 {
    static OFFSET: std::sync::OnceLock<i32> = std::sync::OnceLock::new();
    *OFFSET.get_or_init(|| {
        time::UtcOffset::current_local_offset()
            .map(|o| o.whole_seconds())
            .unwrap_or(VIETNAM_OFFSET_SECONDS)
    })
}

/// Today's date where the user is (deadlines, «quá hạn», the year's start, default
/// dates), the only clock read in the program's logic. Before 07:00 in Vietnam the UTC
/// date is still yesterday's, hence the local offset. A test may fix it ([`clock::set_clock`]).
pub fn today() -> crate::domain::vn_text::CivilDate {
    if let clock::Clock::Fixed(d) = clock::clock() {
        return d;
    }
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0);
    today_at(secs, local_offset_seconds())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::vn_text::CivilDate;

    /// 2026-01-01T00:30+07:00 is 2025-12-31T17:30Z: the clerk's «today» is 01/01/2026,
    /// while the old UTC clock said 31/12/2025 (a new year's deadlines not yet due, the
    /// year's start taken from the previous year).
    #[test]
    fn r_missing_file_error_says_os_error_2() {
        let source = std::fs::read("/khong/co/tep/nay.sqlite").unwrap_err();
        assert!(source.to_string().contains("os error"));
        let e = AppError::from(StoreError::Io {
            path: PathBuf::from("/khong/co/tep/nay.sqlite"),
            source,
        });
        let shown = e.to_string();
        assert!(!shown.contains("os error"), "{shown}");
        assert!(!shown.contains("No such file"), "{shown}");
        assert!(shown.contains("không tìm thấy tệp hoặc thư mục"), "{shown}");
    }

    #[test]
    fn r_today_is_utc_a_day_behind_before_7am() {
        let utc_seconds =
            CivilDate::new(2025, 12, 31).unwrap().days_since_epoch() * 86_400 + 17 * 3600 + 30 * 60;
        assert_eq!(
            today_at(utc_seconds, VIETNAM_OFFSET_SECONDS),
            CivilDate::new(2026, 1, 1).unwrap()
        );
        assert_eq!(
            today_at(utc_seconds, 0),
            CivilDate::new(2025, 12, 31).unwrap()
        );
        // West of Greenwich the date is still the day before.
        assert_eq!(
            today_at(utc_seconds - 18 * 3600, -5 * 3600),
            CivilDate::new(2025, 12, 30).unwrap()
        );
    }
}
