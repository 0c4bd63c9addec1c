//! `evidence …`: add, list, delete evidence files.

use super::emit;
use crate::app::{AppResult, Workspace, evidence};
use crate::cli::EvidenceCommand;
use crate::domain::ids::AssessmentId;
use crate::domain::vn_text::format_number;
use std::io::Write;
use std::path::PathBuf;

/// Runs `evidence …`.
pub(super) fn evidence(
    ws: &mut Workspace,
    command: EvidenceCommand,
    out: &mut dyn Write,
) -> AppResult<i32> {
    match command {
        EvidenceCommand::Add {
            assessment,
            indicator,
            files,
        } => {
            let paths: Vec<&std::path::Path> = files.iter().map(PathBuf::as_path).collect();
            let added = evidence::add_files(ws, AssessmentId(assessment), &indicator, &paths)?;
            let mut text = String::new();
            for (name, a) in added {
                let how = if a.is_new {
                    "đã thêm"
                } else {
                    "đã có sẵn (cùng nội dung), chỉ thêm liên kết"
                };
                text.push_str(&format!("{} {name}: {how}\n", a.code));
            }
            emit(out, &text)?;
        }
        EvidenceCommand::List { assessment } => {
            let mut text = String::new();
            for e in evidence::list(ws, AssessmentId(assessment))? {
                text.push_str(&format!(
                    "{}\t{}\t{} byte\tchỉ tiêu {}\t{}\n",
                    e.code,
                    e.file_name,
                    format_number(e.size as f64, 0),
                    e.indicators_with_names(),
                    e.sha256
                ));
            }
            if text.is_empty() {
                text = "Chưa có minh chứng nào.\n".into();
            }
            emit(out, &text)?;
        }
        EvidenceCommand::Delete { assessment, code } => {
            let d = evidence::delete(ws, AssessmentId(assessment), &code)?;
            let proved = if d.record.indicators.is_empty() {
                "chưa gắn chỉ tiêu nào".to_string()
            } else {
                format!(
                    "là minh chứng của chỉ tiêu {}",
                    d.record.indicators.join(", ")
                )
            };
            let bytes = if d.bytes_removed {
                "nội dung tệp đã được xóa khỏi tệp dữ liệu"
            } else {
                "nội dung tệp được giữ vì minh chứng khác còn dùng"
            };
            emit(
                out,
                &format!(
                    "Đã xóa minh chứng {} — {} ({proved}); {bytes}.\n",
                    d.record.code, d.record.file_name
                ),
            )?;
        }
    }
    Ok(0)
}
