//! File names that arrive from outside (a bundle, a copied folder): only labels, but
//! shown, exported and offered when saving, so each must be a plain name on every
//! system — no NUL or control characters, no path separators, no drive prefix such as
//! `C:`, no name Windows reserves (CON, NUL, COM1…), and not too long.

/// At most this many characters in a file name.
pub const MAX_FILE_NAME: usize = 200;

/// Names reserved by Windows, with or without an extension.
const RESERVED: &[&str] = &[
    "CON", "PRN", "AUX", "NUL", "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8",
    "COM9", "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9",
];

/// Why a file name from a bundle cannot be kept, if it cannot. Names are labels only,
/// but one is shown, exported and offered when saving, so it must be a plain name on
/// every system.
pub fn problem(name: &str) -> Option<&'static str> {
    let stem = name.split('.').next().unwrap_or_default().trim_end();
    if name.trim().is_empty() {
        Some("tên tệp trống")
    } else if name.chars().count() > MAX_FILE_NAME {
        Some("tên tệp quá dài")
    } else if name.chars().any(char::is_control) {
        Some("tên tệp có ký tự điều khiển (NUL, xuống dòng…)")
    } else if name.contains(['/', '\\']) {
        Some("tên tệp chứa dấu phân cách thư mục")
    } else if name.contains([':', '<', '>', '"', '|', '?', '*']) {
        Some("tên tệp chứa ký tự không dùng được (ổ đĩa như C:, hoặc : < > \" | ? *)")
    } else if name.starts_with('.') || name.ends_with(['.', ' ']) {
        Some("tên tệp bắt đầu bằng dấu chấm hoặc kết thúc bằng dấu chấm/khoảng trắng")
    } else if RESERVED.iter().any(|r| r.eq_ignore_ascii_case(stem)) {
        Some("tên tệp là tên dành riêng của Windows (CON, NUL, COM1…)")
    } else {
        None
    }
}

/// Extensions a received file may be opened with, by the system's default viewer.
pub const VIEWABLE: &[&str] = &[
    "pdf", "jpg", "jpeg", "png", "gif", "bmp", "tif", "tiff", "webp", "txt", "csv", "doc", "docx",
    "xls", "xlsx", "odt", "ods", "rtf",
];

/// The name of the temporary copy a stored file is opened from: its hash and its
/// extension (`3fa9…c2.pdf`), never the name it came with; `None` when the extension is
/// not one a document viewer opens (a `.bat` or `.exe` is never handed to the system).
pub fn temp_name(sha256: &str, file_name: &str) -> Option<String> {
    let ext = file_name.rsplit_once('.')?.1.to_ascii_lowercase();
    let hash: String = sha256
        .chars()
        .filter(char::is_ascii_hexdigit)
        .take(32)
        .collect();
    (VIEWABLE.contains(&ext.as_str()) && !hash.is_empty()).then(|| format!("{hash}.{ext}"))
}

#[cfg(test)]
mod tests {
    use super::problem as file_name_problem;

    #[test]
    fn hostile_file_names_are_named() {
        for bad in [
            "",
            "a\0b.pdf",
            "../x.pdf",
            "a\\b.pdf",
            "C:evil.bat",
            "CON",
            "nul.txt",
            "com1.pdf",
            ".hidden",
            "x.pdf.",
            &"a".repeat(201),
        ] {
            assert!(file_name_problem(bad).is_some(), "{bad:?} accepted");
        }
        for good in [
            "Quyết định 12.pdf",
            "bien-ban_01.jpg",
            "CONG VAN.pdf",
            "console.pdf",
        ] {
            assert_eq!(file_name_problem(good), None, "{good:?} refused");
        }
    }

    #[test]
    fn r_received_file_opened_under_its_own_name() {
        assert_eq!(
            super::temp_name("abc123", "Biên bản.PDF").as_deref(),
            Some("abc123.pdf")
        );
        for bad in [
            "C:evil.bat",
            "x.exe",
            "noextension",
            "a.pdf.cmd",
            "../../x.lnk",
        ] {
            assert_eq!(super::temp_name("abc123", bad), None, "{bad:?}");
        }
    }
}
