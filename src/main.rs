//! Entry point: parse the command line; run a command, or open the desktop app.

// On Windows the program is a window program: a double-click opens no console behind the
// window. Run from cmd or PowerShell, it attaches to that console (see `app::shell::attach_parent_console`).
#![cfg_attr(windows, windows_subsystem = "windows")]

fn main() {
    ntm_dossier::app::shell::attach_parent_console();
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
