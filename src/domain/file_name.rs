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
        for good in ["Quyết định 12.pdf", "bien-ban_01.jpg", "CONG VAN.pdf", "console.pdf"] {
            assert_eq!(file_name_problem(good), None, "{good:?} refused");
        }
    }
}
