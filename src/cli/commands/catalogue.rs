//! `catalog …`: list, import, paste, template, revise, export editions.

use super::emit;
use crate::app::{self, AppResult, Workspace, catalog};
use crate::cli::{CatalogCommand, EXIT_INCOMPLETE};
use crate::domain::vn_text::CivilDate;
use std::io::Write;

/// Runs `catalog …`.
pub(super) fn catalog(
    ws: &mut Workspace,
    command: CatalogCommand,
    today: CivilDate,
    out: &mut dyn Write,
) -> AppResult<i32> {
    match command {
        CatalogCommand::List => list(ws, out)?,
        CatalogCommand::Import {
            file,
            trust,
            re_enrol,
        } => {
            let (edition, changed) = if app::edition_pack::is_pack(&file) {
                let trust = app::keys::Trust {
                    fingerprint: trust,
                    re_enrol,
                };
                app::edition_pack::import(ws, &file, &trust)?
            } else {
                catalog::import(ws, &file)?
            };
            let msg = if changed {
                "Đã nhập"
            } else {
                "Không có thay đổi:"
            };
            emit(
                out,
                &format!(
                    "{msg} bộ tiêu chí {} — {} ({} tiêu chí, {} chỉ tiêu)\n",
                    edition.code,
                    edition.title,
                    edition.criteria.len(),
                    edition.indicator_count()
                ),
            )?;
        }
        CatalogCommand::Paste {
            base,
            file,
            new_code,
            title,
            save,
        } => {
            let text = catalog::read_paste_file(&file)?;
            let title = title.unwrap_or_default();
            let preview = catalog::paste_preview(ws, &base, &new_code, &title, &text)?;
            emit(out, &catalog::paste_preview_text(&preview))?;
            if save {
                let edition = catalog::paste_save(ws, &base, &new_code, &title, &text)?;
                emit(
                    out,
                    &format!(
                        "Đã lưu bộ tiêu chí {} — {} ({} tiêu chí, {} chỉ tiêu)\n",
                        edition.code,
                        edition.title,
                        edition.criteria.len(),
                        edition.indicator_count()
                    ),
                )?;
            } else if !preview.problems.is_empty() {
                return Ok(EXIT_INCOMPLETE);
            }
        }
        CatalogCommand::Template { code, file } => {
            catalog::template(ws, &code, &file)?;
            emit(
                out,
                &format!(
                    "Đã ghi mẫu Excel của bộ tiêu chí {code} ra {}: điền trang tính «Chỉ tiêu» rồi nhập lại bằng «catalog import».\n",
                    file.display()
                ),
            )?;
        }
        CatalogCommand::Revise { code, office, date } => {
            let edition = catalog::revise(ws, &code, &office, date.as_deref(), today)?;
            if let Some(r) = &edition.revision {
                let date = crate::domain::vn_text::CivilDate::parse(&r.date)
                    .map_or(r.date.clone(), |d| d.to_string());
                emit(
                    out,
                    &format!(
                        "Đã ban hành bộ tiêu chí {code} lần {} ngày {date} ({}).\n",
                        r.number, r.office
                    ),
                )?;
            }
        }
        CatalogCommand::Export { code, file } => {
            if app::edition_pack::is_pack(&file) {
                app::edition_pack::export(ws, &code, &file)?;
            } else {
                catalog::export(ws, &code, &file)?;
            }
            emit(
                out,
                &format!("Đã xuất bộ tiêu chí {code} ra {}\n", file.display()),
            )?;
        }
    }
    Ok(0)
}

/// Runs `catalog list`.
fn list(ws: &Workspace, out: &mut dyn Write) -> AppResult<()> {
    let mut text = String::new();
    for (rec, e) in catalog::list(ws)? {
        let (verified, unverified) = e.threshold_counts();
        let completeness = if e.is_incomplete() {
            "chưa đầy đủ"
        } else {
            "đầy đủ"
        };
        text.push_str(&format!(
            "{}\t{}\n\t{}; {} tiêu chí, {} chỉ tiêu ({completeness}); ngưỡng: {verified} đã xác minh, {unverified} chưa xác minh; {}\n",
            rec.code,
            e.title,
            [e.legal.decision.as_str(), e.legal.annex.as_str()].iter().filter(|s| !s.is_empty()).copied().collect::<Vec<_>>().join(", "),
            e.criteria.len(),
            e.indicator_count(),
            match (&e.revision, rec.builtin) {
                (_, true) => "có sẵn".to_string(),
                (None, false) => "đã nhập".to_string(),
                (Some(r), false) => format!(
                    "ban hành lần {} ngày {}, {}",
                    r.number,
                    crate::domain::vn_text::CivilDate::parse(&r.date)
                        .map_or(r.date.clone(), |d| d.to_string()),
                    r.office
                ),
            }
        ));
    }
    emit(out, &text)?;
    Ok(())
}
