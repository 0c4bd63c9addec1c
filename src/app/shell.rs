//! Handing a file to the system's viewer (PDF reader, image viewer, office suite), from
//! which the user can also print it. On Windows through the shell API (`ShellExecuteW`), so
//! no command interpreter ever reads the file name; elsewhere `open` (macOS) or `xdg-open`.
//! Also the Windows console: the program is a window program there, and attaches to the
//! console it was started from for the command line; and paths as Windows users write them.

use std::path::Path;

/// Opens `path` with the program the system associates with its type. Callers hand it only
/// documents and pictures (see `domain::file_name::temp_name`).
#[cfg(windows)]
pub fn open_with_system_viewer(path: &Path) -> Result<(), String> {
    use std::os::windows::ffi::OsStrExt;
    use windows_sys::Win32::UI::Shell::ShellExecuteW;
    use windows_sys::Win32::UI::WindowsAndMessaging::SW_SHOWNORMAL;
    let wide = |s: &std::ffi::OsStr| s.encode_wide().chain([0]).collect::<Vec<u16>>();
    let verb = wide(std::ffi::OsStr::new("open"));
    let file = wide(path.as_os_str());
    // SAFETY: both strings are NUL-terminated UTF-16 buffers that outlive the call; the
    // other pointers may be null.
    let code = unsafe {
        ShellExecuteW(
            std::ptr::null_mut(),
            verb.as_ptr(),
            file.as_ptr(),
            std::ptr::null(),
            std::ptr::null(),
            SW_SHOWNORMAL,
        )
    } as isize;
    // ShellExecuteW reports success with a value above 32.
    if code > 32 {
        Ok(())
    } else {
        Err(format!("ShellExecuteW: mã lỗi {code}"))
    }
}

/// Opens `path` with the program the system associates with its type. Callers hand it only
/// documents and pictures (see `domain::file_name::temp_name`).
#[cfg(not(windows))]
pub fn open_with_system_viewer(path: &Path) -> Result<(), String> {
    let opener = if cfg!(target_os = "macos") {
        "open"
    } else {
        "xdg-open"
    };
    std::process::Command::new(opener)
        .arg(path)
        .spawn()
        .map(drop)
        .map_err(|e| e.to_string())
}

/// A window program started from cmd or PowerShell has no standard output of its own: attach
/// to the console of the parent so that commands print there. Output redirected to a file or
/// a pipe (`> ket-qua.txt`, `| more`) already has its handles; those are kept as they are.
/// Started by a double-click there is no parent console and nothing changes.
#[cfg(windows)]
pub fn attach_parent_console() {
    use windows_sys::Win32::System::Console::{
        ATTACH_PARENT_PROCESS, AttachConsole, GetStdHandle, STD_ERROR_HANDLE, STD_INPUT_HANDLE,
        STD_OUTPUT_HANDLE, SetStdHandle,
    };
    let ids = [STD_INPUT_HANDLE, STD_OUTPUT_HANDLE, STD_ERROR_HANDLE];
    // SAFETY: GetStdHandle and SetStdHandle take no pointers; AttachConsole takes a process id.
    unsafe {
        let before = ids.map(|id| GetStdHandle(id));
        if before.iter().all(|h| !h.is_null() && *h as isize != -1) {
            return;
        }
        if AttachConsole(ATTACH_PARENT_PROCESS) == 0 {
            return;
        }
        for (id, handle) in ids.into_iter().zip(before) {
            if !handle.is_null() && handle as isize != -1 {
                SetStdHandle(id, handle);
            }
        }
    }
}

/// Nothing to do outside Windows: a program there always has its standard streams.
#[cfg(not(windows))]
pub fn attach_parent_console() {}

/// A remembered path as the user knows it. On Windows `std::fs::canonicalize` gives the
/// verbatim form (`\\?\C:\Hồ sơ\Xã.sqlite`, `\\?\UNC\máy\chia-sẻ\…`), which the
/// window would show as such; the plain form names the same file. Elsewhere: unchanged.
pub fn plain_path(path: std::path::PathBuf) -> std::path::PathBuf {
    if !cfg!(windows) {
        return path;
    }
    match path.to_str().and_then(without_verbatim_prefix) {
        Some(plain) => std::path::PathBuf::from(plain),
        None => path,
    }
}

/// The plain form of a verbatim Windows path on a drive (`\\?\C:\…` → `C:\…`) or a share
/// (`\\?\UNC\máy\…` → `\\máy\…`); `None` for anything else (left as it is).
fn without_verbatim_prefix(text: &str) -> Option<String> {
    let rest = text.strip_prefix(r"\\?\")?;
    if let Some(share) = rest.strip_prefix(r"UNC\") {
        return Some(format!(r"\\{share}"));
    }
    let mut chars = rest.chars();
    let drive = chars.next()?;
    let on_a_drive = drive.is_ascii_alphabetic() && chars.next() == Some(':');
    on_a_drive.then(|| rest.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Under Wine the window showed the remembered workspace as
    /// `\\?\Z:\work\…\Dữ liệu xã Đông Hòa.sqlite` (the verbatim form canonicalize gives).
    #[test]
    fn r_remembered_workspace_shown_with_verbatim_prefix() {
        assert_eq!(
            without_verbatim_prefix(r"\\?\C:\Hồ sơ\Dữ liệu xã Đông Hòa.sqlite").as_deref(),
            Some(r"C:\Hồ sơ\Dữ liệu xã Đông Hòa.sqlite")
        );
        assert_eq!(
            without_verbatim_prefix(r"\\?\UNC\may-huyen\Chia sẻ\Xã.sqlite").as_deref(),
            Some(r"\\may-huyen\Chia sẻ\Xã.sqlite")
        );
        // Other verbatim forms and plain paths are left alone.
        assert_eq!(without_verbatim_prefix(r"\\?\Volume{1234}\Xã.sqlite"), None);
        assert_eq!(without_verbatim_prefix(r"C:\Xã.sqlite"), None);
        assert_eq!(without_verbatim_prefix(r"\\?\"), None);
        // Not Windows: nothing changes.
        if !cfg!(windows) {
            let p = std::path::PathBuf::from(r"\\?\C:\Xã.sqlite");
            assert_eq!(plain_path(p.clone()), p);
        }
    }
}
