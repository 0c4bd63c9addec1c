//! `dossier …`: the checklist, signing details, signed scans, the printed packet.

use super::emit;
use crate::app::{AppResult, Workspace};
use crate::cli::{DossierCommand, EXIT_INCOMPLETE};
use crate::domain::ids::AssessmentId;
use std::io::Write;

pub(super) fn dossier(
    ws: &mut Workspace,
    command: DossierCommand,
    out: &mut dyn Write,
) -> AppResult<i32> {
    use crate::app::dossier as d;
    match command {
        DossierCommand::Check {
            assessment,
            template,
        } => {
            let t = d::resolve_template(ws, AssessmentId(assessment), &template)?;
            let items = d::checklist(ws, AssessmentId(assessment), &t)?;
            if items.is_empty() {
                emit(
                    out,
                    "Hồ sơ đã đủ: có thể tạo bản chính thức (dossier build --final).\n",
                )?;
                Ok(0)
            } else {
                let mut text = format!("Còn thiếu {} mục:\n", items.len());
                for i in items {
                    text.push_str(&format!("  - {i}\n"));
                }
                emit(out, &text)?;
                Ok(EXIT_INCOMPLETE)
            }
        }
        DossierCommand::Set {
            assessment,
            signer,
            date,
            place,
        } => {
            let id = AssessmentId(assessment);
            let mut form = d::settings(ws, id)?;
            if let Some(s) = signer {
                form.signer = s;
            }
            if let Some(s) = date {
                form.date = s;
            }
            if let Some(s) = place {
                form.place = s;
            }
            d::save_settings(ws, id, &form)?;
            emit(out, "Đã lưu thông tin ký hồ sơ.\n")?;
            Ok(0)
        }
        DossierCommand::Signed {
            assessment,
            document,
            file,
            template,
        } => {
            let t = d::resolve_template(ws, AssessmentId(assessment), &template)?;
            d::attach_signed(ws, AssessmentId(assessment), &t, &document, &file)?;
            emit(
                out,
                &format!("Đã gắn bản đã ký cho tài liệu «{document}».\n"),
            )?;
            Ok(0)
        }
        DossierCommand::Build {
            assessment,
            out: path,
            final_packet,
            template,
        } => {
            let t = d::resolve_template(ws, AssessmentId(assessment), &template)?;
            // A refused destination writes nothing, not even a new key.
            crate::app::output::refuse_protected(ws, &path)?;
            // The tờ trình carries this workspace's fingerprint: make the key first.
            crate::app::keys::own_fingerprint(ws)?;
            let built = d::build(
                ws,
                AssessmentId(assessment),
                &t,
                &path,
                final_packet,
                &|_, _| {},
            )?;
            let mut text = format!(
                "Đã tạo {} ({} trang){}.\n",
                path.display(),
                built.report.pages,
                if built.draft {
                    ", BẢN DỰ THẢO"
                } else {
                    ", bản chính thức"
                }
            );
            for p in &built.report.problems {
                text.push_str(&format!("  Lỗi tệp: {p}\n"));
            }
            if built.draft {
                text.push_str(&format!(
                    "Còn thiếu {} mục (xem: dossier check {assessment}).\n",
                    built.missing.len()
                ));
            }
            emit(out, &text)?;
            Ok(0)
        }
    }
}
