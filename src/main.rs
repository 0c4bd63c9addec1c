//! Entry point: parse the command line; run a command, or open the desktop app.

fn main() {
    // Read the local offset while the process has a single thread (see `app::today`).
    ntm_dossier::app::local_offset_seconds();
    let cli = match ntm_dossier::cli::parse(std::env::args_os()) {
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
