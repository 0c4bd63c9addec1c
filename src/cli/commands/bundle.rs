//! `bundle …`, `key …` and `review …`: what communes and offices exchange.

use super::emit;
use crate::app::{self, AppError, AppResult, Workspace};
use crate::cli::{BundleCommand, KeyCommand, ReviewCommand};
use crate::domain::ids::{AssessmentId, UnitId};
use crate::domain::vn_text::format_number;
use std::io::Write;
use std::path::PathBuf;

/// Runs `bundle import`: each file on its own, one refused bundle does not stop the others.
fn import(
    ws: &mut Workspace,
    files: &[PathBuf],
    former_of: Option<i64>,
    trust: &crate::app::keys::Trust,
    out: &mut dyn Write,
) -> AppResult<i32> {
    use crate::app::bundle as b;
    // The arguments are checked before any bundle is read: a unit that does not
    // exist refuses the whole command with nothing imported.
    if let Some(merged) = former_of {
        app::units::require(ws, UnitId(merged)).map_err(|e| {
            AppError::new(
                format!("{} Không có gói nào được nhập.", e.summary),
                "Hãy xem mã số đơn vị bằng lệnh «unit list» rồi chạy lại lệnh với --former-of đúng.",
            )
        })?;
    }
    // Each file on its own: one refused bundle does not stop the others.
    let mut failed = Vec::new();
    let mut text = String::new();
    for f in files {
        let received = b::receive(ws, f, trust).and_then(|r| {
            if let (Some(merged), b::Received::Assessment(i)) = (former_of, &r) {
                b::attach_as_former(ws, UnitId(merged), i.assessment)?;
            }
            Ok(r)
        });
        match received {
            Ok(b::Received::Assessment(i)) if i.is_new => {
                text.push_str(&format!(
                    "{}: đã nhập lần gửi {} của {} (đợt đánh giá số {}), khóa ký {}.\n",
                    f.display(),
                    i.round,
                    i.unit_name,
                    i.assessment,
                    i.fingerprint
                ));
                if !i.edition_differs.is_empty() {
                    text.push_str(&format!(
                        "Cảnh báo: {}; đánh giá theo bản của cơ quan, bản trong gói giữ làm bản xã kê khai:\n",
                        b::EDITION_DIFFERS
                    ));
                    for d in &i.edition_differs {
                        text.push_str(&format!("  - {d}\n"));
                    }
                }
            }
            Ok(b::Received::Assessment(i)) => text.push_str(&format!(
                "{}: lần gửi {} của {} đã có, không thay đổi gì.\n",
                f.display(),
                i.round,
                i.unit_name
            )),
            Ok(b::Received::Review(r)) => {
                text.push_str(&format!(
                    "{}: {} nhận xét của cấp trên cho đợt đánh giá số {} ({} yêu cầu bổ sung).\n",
                    f.display(),
                    if r.is_new { "đã nhận" } else { "đã có" },
                    r.assessment,
                    r.requests
                ));
                if let Some(note) = &r.edition {
                    text.push_str(&format!("  Bộ tiêu chí kèm theo: {note}.\n"));
                }
            }
            Err(e) => failed.push(e.to_string()),
        }
    }
    emit(out, &text)?;
    if failed.is_empty() {
        Ok(0)
    } else {
        Err(AppError::new(
            format!("{}/{} gói bị từ chối.", failed.len(), files.len()),
            if failed.len() == files.len() {
                "Không có gói nào được nhập."
            } else {
                "Các gói khác đã được nhập bình thường."
            },
        )
        .with_details(failed))
    }
}

pub(super) fn bundle(
    ws: &mut Workspace,
    command: BundleCommand,
    out: &mut dyn Write,
) -> AppResult<i32> {
    use crate::app::bundle as b;
    match command {
        BundleCommand::Export {
            assessment,
            out: path,
        } => {
            let preflight = crate::app::dossier::send_preflight(ws, AssessmentId(assessment))?;
            if !preflight.is_complete() {
                emit(out, &format!("Cảnh báo: {}\n", preflight.summary()))?;
            }
            let e = b::export(ws, AssessmentId(assessment), &path)?;
            emit(
                out,
                &format!(
                    "Đã đóng gói lần gửi {} vào {} ({} tệp minh chứng, {} byte).\nMã kiểm tra của gói (để nơi nhận đối chiếu): {}\nDấu vân tay khóa ký: {}\n",
                    e.round,
                    path.display(),
                    e.files,
                    format_number(e.size as f64, 0),
                    e.sha256,
                    e.fingerprint
                ),
            )?;
            Ok(0)
        }
        BundleCommand::Import {
            files,
            former_of,
            trust,
            re_enrol,
        } => {
            let trust = crate::app::keys::Trust {
                fingerprint: trust,
                re_enrol,
            };
            import(ws, &files, former_of, &trust, out)
        }
        BundleCommand::Changes { assessment } => {
            let mut text = String::new();
            for c in b::changes_since_previous_round(ws, AssessmentId(assessment))? {
                text.push_str(&format!("{c}\n"));
            }
            if text.is_empty() {
                text = "Đợt đánh giá này không phải bản nhận từ gói hồ sơ.\n".into();
            }
            emit(out, &text)?;
            Ok(0)
        }
    }
}
pub(super) fn key(ws: &mut Workspace, command: KeyCommand, out: &mut dyn Write) -> AppResult<i32> {
    use crate::app::keys as k;
    match command {
        KeyCommand::Show => {
            let fingerprint = k::own_fingerprint(ws)?;
            emit(
                out,
                &format!(
                    "Dấu vân tay khóa ký của tệp dữ liệu này: {fingerprint}\n\
                     In dấu vân tay này trên tờ trình (có đóng dấu) để bên nhận đối chiếu.\n"
                ),
            )?;
        }
        KeyCommand::List => {
            let mut text = String::new();
            for e in k::enrolled(ws)? {
                text.push_str(&format!(
                    "{}\t{}\t{}\n",
                    e.who, e.fingerprint, e.enrolled_at
                ));
            }
            if text.is_empty() {
                text = "Chưa ghi danh khóa nào.\n".into();
            }
            emit(out, &text)?;
        }
    }
    Ok(0)
}
pub(super) fn review(
    ws: &mut Workspace,
    command: ReviewCommand,
    out: &mut dyn Write,
) -> AppResult<i32> {
    use crate::app::review as r;
    match command {
        ReviewCommand::Criterion {
            assessment,
            number,
            verdict,
            comment,
        } => {
            let id = AssessmentId(assessment);
            match verdict.as_deref() {
                Some(v) => {
                    r::rate_criterion(ws, id, number, Some((v, comment.as_deref().unwrap_or(""))))?
                }
                None => r::rate_criterion(ws, id, number, None)?,
            }
            emit(out, &format!("Đã ghi kết luận tiêu chí {number}.\n"))?;
        }
        ReviewCommand::Request {
            assessment,
            indicator,
            text,
        } => {
            r::add_request(ws, AssessmentId(assessment), &indicator, &text)?;
            emit(
                out,
                &format!("Đã ghi yêu cầu bổ sung cho chỉ tiêu {indicator}.\n"),
            )?;
        }
        ReviewCommand::Decide {
            assessment,
            vote,
            decision,
            reviewer,
        } => {
            r::decide(ws, AssessmentId(assessment), &vote, &decision, &reviewer)?;
            emit(out, "Đã ghi kết quả biểu quyết và quyết định.\n")?;
        }
        ReviewCommand::Export {
            assessment,
            out: path,
        } => {
            let fingerprint = r::export(ws, AssessmentId(assessment), &path)?;
            emit(
                out,
                &format!(
                    "Đã ghi gói nhận xét vào {}.\nDấu vân tay khóa ký: {fingerprint}\n",
                    path.display()
                ),
            )?;
        }
        ReviewCommand::Show { assessment } => {
            let rv = r::get(ws, AssessmentId(assessment))?;
            let mut text = String::new();
            for c in &rv.criteria {
                text.push_str(&format!(
                    "Tiêu chí {}: {}{}\n",
                    c.number,
                    c.verdict.label(),
                    if c.comment.is_empty() {
                        String::new()
                    } else {
                        format!(" — {}", c.comment)
                    }
                ));
            }
            for q in &rv.requests {
                text.push_str(&format!(
                    "Yêu cầu bổ sung, chỉ tiêu {}: {}\n",
                    q.indicator, q.text
                ));
            }
            if !rv.vote.is_empty() {
                text.push_str(&format!("Biểu quyết: {}\n", rv.vote));
            }
            if !rv.decision.is_empty() {
                text.push_str(&format!("Quyết định: {}\n", rv.decision));
            }
            if text.is_empty() {
                text = "Chưa có nhận xét.\n".into();
            }
            emit(out, &text)?;
        }
    }
    Ok(0)
}
