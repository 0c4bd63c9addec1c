//! The quoted figures of one assessment, read from the workspace: its counts, its
//! start-of-year snapshot, and (for a district or a province) its communes beside the
//! whole province's. The sentences are made by [`super::figures`].

use super::figures::{self, Count};
use crate::app::assessment::Loaded;
use crate::app::{AppResult, Workspace};
use crate::domain::vn_text::CivilDate;
use serde::Serialize;

/// What a report of the assessment quotes.
#[derive(Debug, Clone, Serialize)]
pub struct Quoted {
    /// «đạt 3/9 tiêu chí (33,3%) và 27/38 chỉ tiêu (71,1%), tăng 02 chỉ tiêu so với đầu năm».
    pub progress: String,
}

/// The indicators met at the start of `today`'s year, when a snapshot from before today
/// says so (an assessment followed only since today has nothing to compare with).
fn indicators_at_year_start(
    ws: &Workspace,
    loaded: &Loaded,
    today: CivilDate,
) -> AppResult<Option<u32>> {
    let id = loaded.record.id;
    if ws.first_snapshot_day(id)?.as_deref() == Some(today.iso().as_str()) {
        return Ok(None);
    }
    Ok(ws
        .snapshot_at_year_start(id, today.year)?
        .map(|s| s.indicators_met))
}

/// The figures of one loaded assessment on `today`.
pub fn quoted(ws: &Workspace, loaded: &Loaded, today: CivilDate) -> AppResult<Quoted> {
    let st = &loaded.status;
    let progress = figures::progress_sentence(
        Count {
            met: st.criteria_met,
            total: st.criteria_total,
        },
        Count {
            met: st.indicators_met,
            total: st.indicators_total,
        },
        indicators_at_year_start(ws, loaded, today)?,
    );
    Ok(Quoted { progress })
}

/// The lines of the status text: «Số liệu báo cáo: đạt …».
pub fn quoted_lines(q: &Quoted) -> Vec<String> {
    vec![format!("Số liệu báo cáo: {}.", q.progress)]
}
