//! Plans (migration 9): a commune's target and year, a district's or province's dossier
//! deadline.

use super::types::column;
use super::{StoreResult, Workspace};
use crate::domain::ids::UnitId;
use crate::domain::units::Target;
use crate::domain::vn_text::CivilDate;
use rusqlite::{OptionalExtension, Row, params};

/// The plan of one unit; an empty plan has neither part.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct UnitPlan {
    /// «phấn đấu đạt chuẩn … năm …»: the target and its year.
    pub target: Option<(Target, i32)>,
    /// The date the dossier must be complete (a district's or province's).
    pub dossier_deadline: Option<CivilDate>,
}

fn describe(plan: &UnitPlan) -> String {
    let mut parts = Vec::new();
    if let Some((t, y)) = plan.target {
        parts.push(format!("{} {y}", t.code()));
    }
    if let Some(d) = plan.dossier_deadline {
        parts.push(format!("hạn hồ sơ {d}"));
    }
    parts.join("; ")
}

impl Workspace {
    /// The plan of a unit (empty when none was set).
    pub fn unit_plan(&self, unit: UnitId) -> StoreResult<UnitPlan> {
        Ok(self
            .conn
            .prepare_cached(
                "SELECT unit_id, target, target_year, dossier_deadline FROM unit_plans WHERE unit_id = ?1",
            )?
            .query_row([unit], plan_from_row)
            .optional()?
            .unwrap_or_default())
    }

    /// Every unit's plan, by unit.
    pub fn unit_plans(&self) -> StoreResult<Vec<(UnitId, UnitPlan)>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT unit_id, target, target_year, dossier_deadline FROM unit_plans ORDER BY unit_id",
        )?;
        let rows = stmt.query_map([], |r| Ok((UnitId(r.get(0)?), plan_from_row(r)?)))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Replaces a unit's plan (an empty plan removes the row), audited as one field.
    pub fn set_unit_plan(&mut self, unit: UnitId, plan: &UnitPlan) -> StoreResult<()> {
        let old = self.unit_plan(unit)?;
        self.write(|w| {
            if plan.target.is_none() && plan.dossier_deadline.is_none() {
                w.tx.prepare_cached("DELETE FROM unit_plans WHERE unit_id = ?1")?
                    .execute([unit])?;
            } else {
                w.tx.prepare_cached(
                    "INSERT INTO unit_plans(unit_id, target, target_year, dossier_deadline) VALUES (?1, ?2, ?3, ?4)
                     ON CONFLICT(unit_id) DO UPDATE SET target = ?2, target_year = ?3, dossier_deadline = ?4",
                )?
                .execute(params![
                    unit,
                    plan.target.map(|(t, _)| t),
                    plan.target.map(|(_, y)| y),
                    plan.dossier_deadline,
                ])?;
            }
            w.audit(
                "don_vi",
                &unit.to_string(),
                "ke_hoach",
                Some(&describe(&old)),
                Some(&describe(plan)),
            )
        })
    }
}

/// A stored row (`unit_id, target, target_year, dossier_deadline`) as a plan; a code or
/// date this program does not know is an error naming the unit's row.
fn plan_from_row(r: &Row<'_>) -> rusqlite::Result<UnitPlan> {
    let row: i64 = r.get(0)?;
    let target: Option<Target> = column(r, 1, "unit_plans", row, "target")?;
    let year: Option<i32> = column(r, 2, "unit_plans", row, "target_year")?;
    Ok(UnitPlan {
        target: target.zip(year),
        dossier_deadline: column(r, 3, "unit_plans", row, "dossier_deadline")?,
    })
}
