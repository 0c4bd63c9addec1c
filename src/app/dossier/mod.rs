//! The printed dossier of an assessment: the document list and fixed wording come from
//! `templates/dossier/`, the figures from the workspace. What is still missing is listed
//! (the checklist); a draft can always be printed and carries "DỰ THẢO" on every page,
//! the final packet only once nothing is missing.
//!
//! The templates (`template`), the settings (`settings`), the checklist (`checklist`),
//! the filling of the packet (`fill`) and its tables (`tables`) live in their own files;
//! the layout is in `crate::pdf`.

mod checklist;
mod fill;
mod settings;
mod tables;
mod template;

pub use checklist::*;
pub use settings::*;
pub use template::*;

use self::fill::*;
use crate::app::{AppError, AppResult};
use crate::domain::ids::AssessmentId;
use crate::pdf::{self};
use crate::store::Workspace;
use std::path::Path;

/// The outcome of building a packet.
#[derive(Debug, Clone)]
pub struct Built {
    /// Pages, table of contents, problems with single files.
    pub report: pdf::BuildReport,
    /// Draft (watermarked) or final.
    pub draft: bool,
    /// What was missing (drafts only).
    pub missing: Vec<String>,
}

/// Builds the packet into `out`. With `final_packet`, refuses while anything is missing.
/// The file is written beside its destination and renamed, so a crash never leaves half
/// a file under the chosen name.
pub fn build(
    ws: &Workspace,
    id: AssessmentId,
    template: &Template,
    out: &Path,
    final_packet: bool,
    progress: &dyn Fn(usize, usize),
) -> AppResult<Built> {
    build_cancellable(ws, id, template, out, final_packet, progress, &|| false)
}

pub(super) fn stopped() -> AppError {
    AppError::invalid("Đã dừng tạo hồ sơ; không có tệp nào được ghi.")
}

/// [`build`] that stops early (writing nothing) once `cancelled` says so.
pub fn build_cancellable(
    ws: &Workspace,
    id: AssessmentId,
    template: &Template,
    out: &Path,
    final_packet: bool,
    progress: &dyn Fn(usize, usize),
    cancelled: &dyn Fn() -> bool,
) -> AppResult<Built> {
    let output = crate::app::output::Output::begin(ws, out)?;
    let src = read_source(ws, id)?;
    let missing = missing(&src, template);
    if final_packet && !missing.is_empty() {
        return Err(AppError::new(
            format!(
                "Chưa tạo được hồ sơ chính thức: còn {} mục thiếu.",
                missing.len()
            ),
            "Hãy bổ sung các mục dưới đây, hoặc in bản dự thảo.",
        )
        .with_details(missing));
    }
    // Two halves of the bar: reading and shrinking the files, then laying out the PDF.
    let files = src.evidence.len().max(1);
    let packet = packet(ws, &src, template, missing.is_empty(), &|done| {
        progress(done, files * 2);
        !cancelled()
    })?;
    // Written straight to the partial file beside the destination, renamed at the end.
    let file = std::io::BufWriter::with_capacity(1 << 20, output.create()?);
    let written = pdf::build_into(
        &packet,
        &|done, total| progress(files + done * files / total.max(1), files * 2),
        &crate::app::pdf_probe::check_pdf,
        file,
    );
    let (file, report) = match written {
        Ok(done) => done,
        Err(pdf::WriteError::Fonts) => {
            return Err(AppError::invalid("Không tạo được tệp PDF."));
        }
        Err(pdf::WriteError::Io(e)) => return Err(output.write_error(e)),
    };
    let file = file
        .into_inner()
        .map_err(|e| output.write_error(e.into_error()))?;
    file.sync_all().map_err(|e| output.write_error(e))?;
    drop(file);
    if cancelled() {
        return Err(stopped());
    }
    output.commit()?;
    Ok(Built {
        report,
        draft: !missing.is_empty(),
        missing,
    })
}
