//! The handlers of each command: open the workspace, call the app layer, print. One
//! file per concern (`catalogue`, `units`, `plans`, `recognize`, `evidence`, `dossier`,
//! `bundle`, `backup`); `status`, `rollup` and `check` are here.

mod backup;
mod bundle;
mod catalogue;
mod dossier;
mod evidence;
mod links;
mod plans;
pub(super) mod recognize;
mod units;

use super::{Command, EvidenceSubcommand};
use crate::app::{self, AppError, AppResult, Workspace, report};
use crate::domain::ids::{AssessmentId, UnitId};
use std::io::Write;
use std::path::PathBuf;

fn workspace_path(db: Option<PathBuf>) -> AppResult<PathBuf> {
    match db {
        Some(p) => Ok(p),
        None => app::default_workspace_path(),
    }
}

/// Opens the workspace; a file created by this command is announced first (on the error
/// stream, so that scripts reading the output are not disturbed), so that a mistyped
/// name shows at once, and so is a backup that could not be made.
fn open(db: Option<PathBuf>, notice: &mut dyn Write) -> AppResult<Workspace> {
    let (mut ws, created) = app::open_or_create_workspace(&workspace_path(db)?)?;
    if created {
        let _ = writeln!(notice, "Đã tạo tệp dữ liệu mới: {}", ws.path().display());
    }
    if let Some(text) = app::backup::failure_notice(&mut ws) {
        let _ = writeln!(notice, "{text}");
    }
    Ok(ws)
}

pub(super) fn emit(out: &mut dyn Write, text: &str) -> AppResult<()> {
    out.write_all(text.as_bytes()).map_err(|e| {
        AppError::new("Không ghi được kết quả ra màn hình.", "").with_details([e.to_string()])
    })
}

pub(super) fn json(value: &impl serde::Serialize) -> AppResult<String> {
    serde_json::to_string_pretty(value)
        .map(|s| s + "\n")
        .map_err(|e| AppError::new("Không tạo được JSON.", "").with_details([e.to_string()]))
}

/// Runs one command; returns the exit code for a command that completed.
pub(super) fn execute(
    db: Option<PathBuf>,
    command: Command,
    out: &mut dyn Write,
    notice: &mut dyn Write,
) -> AppResult<i32> {
    let command = match command {
        Command::Backup(b) => return backup::backup(db, b, out),
        Command::ProbePdf { file } => return Ok(app::pdf_probe::child_main(&file)),
        other => other,
    };
    let mut ws = open(db, notice)?;
    let today = app::today();
    match command {
        Command::Catalog(c) => return catalogue::catalog(&mut ws, c, today, out),
        Command::Unit(c) => return units::unit(&mut ws, c, out),
        Command::Assessment(c) => return units::assessment(&mut ws, c, today, out),
        Command::Values(c) => return units::values(&mut ws, c, out),
        Command::Evidence(EvidenceSubcommand::Files(c)) => {
            return evidence::evidence(&mut ws, c, out);
        }
        Command::Evidence(EvidenceSubcommand::Link {
            assessment,
            code,
            indicator,
        }) => return links::link(&mut ws, AssessmentId(assessment), &code, &indicator, out),
        Command::Evidence(EvidenceSubcommand::Unlink {
            assessment,
            code,
            indicator,
        }) => return links::unlink(&mut ws, AssessmentId(assessment), &code, &indicator, out),
        Command::Status {
            assessment,
            json: as_json,
        } => {
            let loaded = report::status(&ws, AssessmentId(assessment), today)?;
            let text = if as_json {
                json(&app::central_status::status_json(&ws, &loaded)?)?
            } else {
                let quoted = app::central::quoted::quoted(&ws, &loaded, today)?;
                let lines = app::central::quoted::quoted_lines(&quoted);
                recognize::status_text(&ws, &loaded)? + &lines.join("\n") + "\n"
            };
            emit(out, &text)?;
        }
        Command::Rollup {
            unit,
            edition,
            year,
            target,
            json: as_json,
            xlsx,
            pdf,
        } => {
            // Both destinations are checked before either is written.
            for path in xlsx.iter().chain(pdf.iter()) {
                app::output::refuse_protected(&ws, path)?;
            }
            let filter = report::RollupFilter::parse(edition.as_deref(), year, target.as_deref())?;
            let r = report::rollup_with(&ws, UnitId(unit), &filter, today)?;
            if let Some(path) = &xlsx {
                report::rollup_xlsx(&ws, &r, path)?;
            }
            if let Some(path) = &pdf {
                report::rollup_pdf(&ws, &r, path)?;
            }
            let text = if as_json {
                json(&r)?
            } else {
                report::rollup_text(&r)
            };
            emit(out, &text)?;
        }
        Command::Dossier(d) => return dossier::dossier(&mut ws, d, out),
        Command::Bundle(b) => return bundle::bundle(&mut ws, b, out),
        Command::Review(r) => return bundle::review(&mut ws, r, out),
        Command::Key(k) => return bundle::key(&mut ws, k, out),
        Command::Backup(b) => return backup::backup(Some(ws.path().to_path_buf()), b, out),
        Command::ProbePdf { file } => return Ok(app::pdf_probe::child_main(&file)),
        Command::Check => {
            app::check_integrity(&ws)?;
            emit(
                out,
                &format!(
                    "Tệp dữ liệu {} nguyên vẹn; mọi tệp minh chứng còn nguyên như khi thêm.\n",
                    ws.path().display()
                ),
            )?;
        }
    }
    Ok(0)
}
