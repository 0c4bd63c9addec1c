//! A round received from a commune in a bundle is read-only at the office: it is kept as
//! the commune sent it. The office's own notes go into the review («Thẩm định»); a
//! correction is asked of the commune, which sends a new round.

use super::{AppError, AppResult};
use crate::domain::ids::AssessmentId;
use crate::store::Workspace;

/// Refuses a change to `what` (e.g. «giá trị chỉ tiêu 1.1») of an assessment received
/// in a bundle, with a message that says where the office's notes go.
pub fn refuse_edit(ws: &Workspace, id: AssessmentId, what: &str) -> AppResult<()> {
    match ws.imported_from(id)? {
        Some(crate::store::ReceivedFrom { round, .. }) => Err(AppError::new(
            format!(
                "Không sửa được {what}: đợt đánh giá số {id} là hồ sơ xã gửi lên (lần gửi {round}), được giữ nguyên như khi nhận."
            ),
            "Ý kiến của cơ quan thẩm định ghi ở mục «Thẩm định»; nếu hồ sơ cần sửa, hãy yêu cầu xã bổ sung và gửi lại.",
        )),
        None => Ok(()),
    }
}

/// The short note shown on a screen whose fields are locked for a received round.
pub fn read_only_note(round: i64) -> String {
    format!(
        "Hồ sơ xã gửi lên (lần gửi {round}) chỉ để xem, không sửa được. Ý kiến của cơ quan thẩm định ghi ở mục «Thẩm định»."
    )
}
