//! The reason a clerk gives for replacing the satisfaction threshold the edition fixes
//! (migration 10: `conditions.satisfaction_threshold_reason`), written with the
//! conditions in one transaction and audited like them.

use super::assessments::write_conditions;
use super::{ConditionsRecord, StoreResult, Workspace};
use crate::domain::ids::AssessmentId;
use rusqlite::{OptionalExtension, params};

impl Workspace {
    /// The reason stored for the satisfaction threshold in force, if any.
    pub fn satisfaction_threshold_reason(&self, id: AssessmentId) -> StoreResult<Option<String>> {
        Ok(self
            .conn
            .prepare_cached(
                "SELECT satisfaction_threshold_reason FROM conditions WHERE assessment_id = ?1",
            )?
            .query_row([id], |r| r.get::<_, Option<String>>(0))
            .optional()?
            .flatten())
    }

    /// Replaces the recognition conditions and the threshold's reason (`None` clears it)
    /// in one transaction, auditing each changed field.
    pub fn set_conditions_with_reason(
        &mut self,
        id: AssessmentId,
        c: &ConditionsRecord,
        reason: Option<&str>,
    ) -> StoreResult<()> {
        let old = self.conditions(id)?;
        let old_reason = self.satisfaction_threshold_reason(id)?;
        self.write(|w| {
            write_conditions(w, id, &old, c)?;
            w.tx.prepare_cached(
                "UPDATE conditions SET satisfaction_threshold_reason = ?2 WHERE assessment_id = ?1",
            )?
            .execute(params![id, reason])?;
            w.audit(
                "dieu_kien",
                &id.to_string(),
                "ly_do_nguong_hai_long",
                old_reason.as_deref(),
                reason,
            )
        })
    }
}
