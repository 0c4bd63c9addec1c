//! An edition carried in a bundle against the office's own edition of the same code:
//! the office's counts, the commune's copy is kept as its claim and its differences are
//! shown with «bộ tiêu chí trong gói khác bản của cơ quan».

use super::AppResult;
use crate::domain::ids::AssessmentId;
use crate::store::Workspace;

/// The message shown when a bundle carries an edition that differs from the office's.
pub const EDITION_DIFFERS: &str = "bộ tiêu chí trong gói khác bản của cơ quan";

/// What differs between the office's edition and the commune's copy of the same code:
/// one line per criterion or indicator that is missing, added or changed.
pub fn edition_differences(
    ours: &crate::domain::catalog::Edition,
    theirs: &crate::domain::catalog::Edition,
) -> Vec<String> {
    let mut out = Vec::new();
    if ours.title != theirs.title {
        out.push(format!(
            "Tên: «{}» / trong gói «{}»",
            ours.title, theirs.title
        ));
    }
    for (c, i) in ours.indicators() {
        match theirs.indicator(i.code.as_str()) {
            None => out.push(format!(
                "Tiêu chí {}, chỉ tiêu {}: không có trong gói",
                c.number,
                i.code.as_str()
            )),
            Some((_, t)) if t != i => out.push(format!(
                "Tiêu chí {}, chỉ tiêu {}: yêu cầu trong gói khác bản của cơ quan",
                c.number,
                i.code.as_str()
            )),
            Some(_) => {}
        }
    }
    for (c, i) in theirs.indicators() {
        if ours.indicator(i.code.as_str()).is_none() {
            out.push(format!(
                "Tiêu chí {}, chỉ tiêu {}: chỉ có trong gói",
                c.number,
                i.code.as_str()
            ));
        }
    }
    if ours.conditions != theirs.conditions {
        out.push("Điều kiện công nhận: khác bản của cơ quan".into());
    }
    if out.is_empty() {
        out.push("Nội dung tương đương, khác cách ghi".into());
    }
    out
}

/// The commune's own copy of the edition (its claim), when the bundle carried one that
/// differed from the office's: canonical TOML.
pub fn claimed_edition(ws: &Workspace, id: AssessmentId) -> AppResult<Option<String>> {
    Ok(ws.claimed_edition(id)?)
}
