//! Values of an assessment: rating a whole criterion.

use crate::app::{AppError, AppResult};
use crate::domain::ids::AssessmentId;
use crate::domain::units::Verdict;
use crate::domain::vn_text::nfc;
use crate::store::Workspace;

/// Rates a whole criterion of an assessment, or clears its rating (`None`). A rating
/// needs a reason.
pub fn rate_criterion(
    ws: &mut Workspace,
    id: AssessmentId,
    number: u32,
    rating: Option<(Verdict, &str)>,
) -> AppResult<()> {
    let rating = match rating {
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
