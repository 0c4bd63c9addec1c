//! `unit plan UNIT [--target ntm --year 2026] [--deadline 31/05/2026] [--clear]`: writes
//! or shows a unit's plan.

use crate::app::central::plans::{self, PlanRequest};
use crate::app::{AppResult, Workspace};
use crate::domain::ids::UnitId;

/// Writes the plan asked for (or, with nothing asked, reads it) and returns the line to
/// print: «Kế hoạch của đơn vị 12: phấn đấu đạt chuẩn NTM năm 2026.»
pub(super) fn plan(
    ws: &mut Workspace,
    unit: i64,
    target: Option<String>,
    year: Option<i32>,
    deadline: Option<String>,
    clear: bool,
) -> AppResult<String> {
    let unit = UnitId(unit);
    let asked = clear || target.is_some() || year.is_some() || deadline.is_some();
    let (verb, plan) = if asked {
        let req = PlanRequest {
            target,
            year,
            deadline,
            clear,
        };
        ("Đã ghi kế hoạch", plans::set_plan(ws, unit, &req)?)
    } else {
        ("Kế hoạch", plans::plan_of(ws, unit)?)
    };
    Ok(format!(
        "{verb} của đơn vị {unit}: {}.\n",
        plans::describe(&plan)
    ))
}
