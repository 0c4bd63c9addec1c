//! Handing a file to the system's viewer (PDF reader, image viewer, office suite), from
//! which the user can also print it. On Windows through the shell API (`ShellExecuteW`), so
//! no command interpreter ever reads the file name; elsewhere `open` (macOS) or `xdg-open`.
//! Also the Windows console: the program is a window program there, and attaches to the
//! console it was started from for the command line.

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
