//! Entry point: parse the command line; run a command, or open the desktop app.

// On Windows the program is a window program: a double-click opens no console behind the
// window. Run from cmd or PowerShell, it attaches to that console (see `attach_console`).
#![cfg_attr(windows, windows_subsystem = "windows")]

fn main() {
    #[cfg(windows)]
    attach_console();
    // Read the local offset while the process has a single thread (see `app::today`).
    ntm_dossier::app::local_offset_seconds();
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    // A double-click on a bundle: open the window and offer to import it.
    if let Some(bundle) = ntm_dossier::cli::bundle_argument(&args) {
        std::process::exit(ntm_dossier::ui::run_app_offering_bundle(None, Some(bundle)));
    }
    let cli = match ntm_dossier::cli::parse(args) {
        Ok(cli) => cli,
        Err((text, code)) => {
            if code == 0 {
                print!("{text}");
            } else {
                eprint!("{text}");
            }
            std::process::exit(code);
        }
    };
    if cli.command.is_none() {
        std::process::exit(ntm_dossier::ui::run_app(cli.db));
    }
    let code = ntm_dossier::cli::run(cli, &mut std::io::stdout(), &mut std::io::stderr());
    std::process::exit(code);
}

/// A window program started from cmd or PowerShell has no standard output of its own: attach
/// to the console of the parent so that commands print there. Output redirected to a file or
/// a pipe (`> ket-qua.txt`, `| more`) already has its handles; those are kept as they are.
/// Started by a double-click there is no parent console and nothing changes.
#[cfg(windows)]
fn attach_console() {
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
