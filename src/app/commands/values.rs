//! Values of an assessment: rating a whole criterion. The rules hold for the window and
//! for the command line (`values criterion`) alike.

use crate::app::{AppError, AppResult, catalog};
use crate::domain::ids::AssessmentId;
use crate::domain::units::Verdict;
use crate::domain::vn_text::nfc;
use crate::store::Workspace;

/// Reads a criterion verdict as typed (`dat`, `Đạt`, `co_ban_dat`, `chua_dat` …).
pub fn parse_criterion_verdict(text: &str) -> AppResult<Verdict> {
    crate::app::assessment::parse_verdict(text).ok_or_else(|| {
        AppError::invalid(format!(
            "Kết quả «{}» không hợp lệ: dùng dat, co_ban_dat hoặc chua_dat.",
            text.trim()
        ))
    })
}

/// Rates a whole criterion of an assessment, or clears its rating (`None`). The
/// criterion must be one of the assessment's edition, a rating needs a reason, and a
/// round received from a commune is kept as it came.
pub fn rate_criterion(
    ws: &mut Workspace,
    id: AssessmentId,
    number: u32,
    rating: Option<(Verdict, &str)>,
) -> AppResult<()> {
    crate::app::received::refuse_edit(ws, id, "đánh giá cả tiêu chí")?;
    let record = ws.require_assessment(id)?;
    let edition = catalog::parse_stored(&record.edition_code, &record.edition_toml)?;
    if !edition.criteria.iter().any(|c| c.number == number) {
        return Err(AppError::invalid(format!(
            "Không có tiêu chí số {number} trong bộ tiêu chí {} của đợt đánh giá.",
            record.edition_code
        )));
    }
    let rating = match rating {
        Some((Verdict::NotAssessed, _)) => {
            return Err(AppError::invalid(
                "Đánh giá cả tiêu chí phải là Đạt, Cơ bản đạt hoặc Chưa đạt; để bỏ đánh giá, hãy xóa nó.",
            ));
        }
        Some((verdict, reason)) => {
            let reason = nfc(reason);
            if reason.is_empty() {
                return Err(AppError::invalid("Đánh giá cả tiêu chí cần có lý do."));
            }
            Some((verdict, reason))
        }
        None => None,
    };
    Ok(ws.set_criterion_rating(id, number, rating.as_ref().map(|(v, r)| (*v, r.as_str())))?)
}
