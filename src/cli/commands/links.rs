//! `evidence link|unlink` and `values criterion`: the command-line faces of the use cases
//! the window already had (linking a file to one more indicator, rating a whole
//! criterion with a reason). Both call the same `app::commands` functions as the window.

use super::emit;
use crate::app::commands::{evidence, values};
use crate::app::{AppResult, Workspace};
use crate::domain::ids::AssessmentId;
use std::io::Write;

/// `evidence link A CODE --indicator X`: links evidence file `code` of assessment `id`
/// to one more of its indicators.
pub(super) fn link(
    ws: &mut Workspace,
    id: AssessmentId,
    code: &str,
    indicator: &str,
    out: &mut dyn Write,
) -> AppResult<i32> {
    let file = evidence::by_code(ws, id, code)?;
    let indicator = indicator.trim();
    evidence::link(ws, id, file.id, indicator)?;
    emit(
        out,
        &format!(
            "Đã gắn minh chứng {} — {} vào chỉ tiêu {indicator}.\n",
            file.code, file.file_name
        ),
    )?;
    Ok(0)
}

/// `evidence unlink A CODE --indicator X`: removes that link; the file stays.
pub(super) fn unlink(
    ws: &mut Workspace,
    id: AssessmentId,
    code: &str,
    indicator: &str,
    out: &mut dyn Write,
) -> AppResult<i32> {
    let file = evidence::by_code(ws, id, code)?;
    let indicator = indicator.trim();
    evidence::unlink(ws, id, file.id, indicator)?;
    emit(
        out,
        &format!(
            "Đã bỏ gắn minh chứng {} — {} khỏi chỉ tiêu {indicator}; tệp vẫn được giữ.\n",
            file.code, file.file_name
        ),
    )?;
    Ok(0)
}

/// `values criterion A --number N [--verdict V --reason R]`: rates (or, without a
/// verdict, clears the rating of) a whole criterion; returns the line to print.
pub(super) fn rate_criterion(
    ws: &mut Workspace,
    assessment: i64,
    number: u32,
    verdict: Option<String>,
    reason: Option<String>,
) -> AppResult<String> {
    let id = AssessmentId(assessment);
    match verdict {
        Some(text) => {
            let verdict = values::parse_criterion_verdict(&text)?;
            let reason = reason.unwrap_or_default();
            values::rate_criterion(ws, id, number, Some((verdict, &reason)))?;
            Ok(format!(
                "Đã ghi kết luận tiêu chí {number} của đợt đánh giá số {id}: {} — {}.\n",
                verdict.label(),
                reason.trim()
            ))
        }
        None => {
            values::rate_criterion(ws, id, number, None)?;
            Ok(format!(
                "Đã bỏ kết luận thủ công của tiêu chí {number}, đợt đánh giá số {id}: kết quả theo tính toán.\n"
            ))
        }
    }
}
