//! Recognition decisions of units (and their revocations), and survey results per unit
//! and content: the records the central-appraisal conditions are computed from.

use super::types::column;
use super::{StoreError, StoreResult, Workspace};
use crate::domain::ids::UnitId;
use crate::domain::recognition::Recognition;
use rusqlite::{Row, params};

pub use crate::domain::recognition::SurveyResult;

const RECOGNITION_COLUMNS: &str = "unit_id, target, decision, decided_on, issued_by, revoked, id";

fn recognition_from_row(r: &Row<'_>) -> rusqlite::Result<Recognition> {
    let row: i64 = r.get(6)?;
    let t = "unit_recognitions";
    Ok(Recognition {
        unit: r.get(0)?,
        target: column(r, 1, t, row, "target")?,
        decision: r.get(2)?,
        decided_on: column(r, 3, t, row, "decided_on")?,
        issued_by: r.get(4)?,
        revoked: column(r, 5, t, row, "revoked")?,
    })
}

impl Workspace {
    /// Records a recognition decision (or a revocation); the same decision twice is
    /// refused.
    pub fn add_recognition(&mut self, rec: &Recognition) -> StoreResult<()> {
        let exists: bool = self.conn.query_row(
            "SELECT EXISTS(SELECT 1 FROM unit_recognitions WHERE unit_id = ?1 AND target = ?2 AND decision = ?3 AND revoked = ?4)",
            params![rec.unit, rec.target, rec.decision, rec.revoked],
            |r| r.get(0),
        )?;
        if exists {
            return Err(StoreError::Invalid(format!(
                "quyết định số {} đã được ghi cho đơn vị này",
                rec.decision
            )));
        }
        self.write(|w| {
            w.tx.prepare_cached(
                "INSERT INTO unit_recognitions(unit_id, target, decision, decided_on, issued_by, revoked, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, strftime('%Y-%m-%dT%H:%M:%SZ','now'))",
            )?
            .execute(params![
                rec.unit,
                rec.target,
                rec.decision,
                rec.decided_on,
                rec.issued_by,
                rec.revoked,
            ])?;
            let field = if rec.revoked {
                "thu_hoi_cong_nhan"
            } else {
                "cong_nhan"
            };
            let value = format!(
                "{} {} {}",
                rec.target.code(),
                rec.decision,
                rec.decided_on.iso()
            );
            w.audit("don_vi", &rec.unit.to_string(), field, None, Some(&value))
        })
    }

    /// Every recognition decision, by unit, then date (a revocation after a decision of
    /// the same date).
    pub fn recognitions(&self) -> StoreResult<Vec<Recognition>> {
        let sql = format!(
            "SELECT {RECOGNITION_COLUMNS} FROM unit_recognitions ORDER BY unit_id, decided_on, revoked, decision"
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map([], recognition_from_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// The recognition decisions of one unit, by date.
    pub fn recognitions_of(&self, unit: UnitId) -> StoreResult<Vec<Recognition>> {
        let sql = format!(
            "SELECT {RECOGNITION_COLUMNS} FROM unit_recognitions WHERE unit_id = ?1 ORDER BY decided_on, revoked, decision"
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map([unit], recognition_from_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Records (or replaces) a unit's survey result on one content.
    pub fn set_survey_result(&mut self, s: &SurveyResult) -> StoreResult<()> {
        self.write(|w| {
            w.tx.prepare_cached(
                "INSERT INTO survey_results(unit_id, content, households_surveyed, households_satisfied)
                 VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT(unit_id, content) DO UPDATE SET
                    households_surveyed = excluded.households_surveyed,
                    households_satisfied = excluded.households_satisfied",
            )?
            .execute(params![
                s.unit,
                s.content,
                s.households_surveyed,
                s.households_satisfied
            ])?;
            w.audit(
                "don_vi",
                &s.unit.to_string(),
                "khao_sat",
                None,
                Some(&format!(
                    "{}: {}/{}",
                    s.content, s.households_satisfied, s.households_surveyed
                )),
            )
        })
    }

    /// Every survey result, by unit and content.
    pub fn survey_results(&self) -> StoreResult<Vec<SurveyResult>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT unit_id, content, households_surveyed, households_satisfied FROM survey_results ORDER BY unit_id, content",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok(SurveyResult {
                unit: r.get(0)?,
                content: r.get(1)?,
                households_surveyed: r.get(2)?,
                households_satisfied: r.get(3)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}
