//! Moving an assessment to another edition (a province's newer copy): one transaction
//! that re-pins the edition, keeps every value of the indicators that survive as it is
//! (only their computed verdict follows the new thresholds), and moves what belonged to
//! removed indicators into the audit log, field by field, before removing it.

use super::{EditionRecord, StoreResult, Workspace};
use crate::domain::catalog::IndicatorCode;
use crate::domain::ids::AssessmentId;
use crate::domain::units::Verdict;
use rusqlite::params;

/// The computed verdict of an indicator that survives a move, under the new edition's
/// thresholds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recomputed {
    /// The indicator.
    pub indicator: IndicatorCode,
    /// Its computed verdict under the new edition.
    pub verdict: Verdict,
}

/// What a move stored in the history for one removed indicator.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RemovedData {
    /// The indicator's code.
    pub code: String,
    /// The stored value row as JSON, if the indicator had one.
    pub value_json: Option<String>,
    /// The evidence numbers (ids) that were linked to it.
    pub evidence: Vec<i64>,
}

impl Workspace {
    /// Re-pins assessment `id` to `edition` (its code, content and hash); for each code in
    /// `removed`, writes its value row and evidence links into the audit log and removes
    /// them; sets the computed verdict of surviving indicators from `verdicts`. All or
    /// nothing. Returns what was moved to the history.
    pub fn move_to_edition(
        &mut self,
        id: AssessmentId,
        edition: &EditionRecord,
        removed: &[String],
        verdicts: &[Recomputed],
    ) -> StoreResult<Vec<RemovedData>> {
        let old = self.require_assessment(id)?;
        let values = self.values(id)?;
        let mut moved = Vec::new();
        for r in removed {
            let value_json = values.iter().find(|v| v.indicator.as_str() == r).map(|v| {
                serde_json::json!({
                    "indicator": v.indicator,
                    "numerator": v.numerator,
                    "denominator": v.denominator,
                    "value_number": v.value_number,
                    "value_text": v.value_text,
                    "data_date": v.data_date.map(|d| d.iso()),
                    "source_office": v.source_office,
                    "computed_verdict": v.computed_verdict,
                    "manual_verdict": v.manual_verdict,
                    "manual_reason": v.manual_reason,
                    "note": v.note,
                    "responsible": v.responsible,
                    "deadline": v.deadline.map(|d| d.iso()),
                })
                .to_string()
            });
            let mut stmt = self.conn.prepare_cached(
                "SELECT l.evidence_id FROM evidence_links l JOIN evidence e ON e.id = l.evidence_id
                 WHERE e.assessment_id = ?1 AND l.indicator_code = ?2 ORDER BY l.evidence_id",
            )?;
            let evidence = stmt
                .query_map(params![id, r], |row| row.get(0))?
                .collect::<Result<Vec<i64>, _>>()?;
            moved.push(RemovedData {
                code: r.clone(),
                value_json,
                evidence,
            });
        }
        let from = format!("{}@{}", old.edition_code, old.edition_sha256);
        let to = format!("{}@{}", edition.code, edition.content_sha256);
        self.write(|w| {
            for m in &moved {
                let eid = format!("{id}/{}", m.code);
                if let Some(json) = &m.value_json {
                    w.audit("chi_tieu", &eid, "bo_khi_chuyen_bo_tieu_chi", Some(json), None)?;
                    w.tx.prepare_cached(
                        "DELETE FROM indicator_values WHERE assessment_id = ?1 AND indicator_code = ?2",
                    )?
                    .execute(params![id, m.code])?;
                }
                for e in &m.evidence {
                    w.audit(
                        "lien_ket_minh_chung",
                        &format!("{e}/{}", m.code),
                        "bo_khi_chuyen_bo_tieu_chi",
                        Some(&m.code),
                        None,
                    )?;
                    w.tx.prepare_cached(
                        "DELETE FROM evidence_links WHERE evidence_id = ?1 AND indicator_code = ?2",
                    )?
                    .execute(params![e, m.code])?;
                }
            }
            for Recomputed {
                indicator: c,
                verdict,
            } in verdicts
            {
                let before = values.iter().find(|v| v.indicator == *c);
                if let Some(before) = before
                    && before.computed_verdict != *verdict
                {
                    w.tx.prepare_cached(
                        "UPDATE indicator_values SET computed_verdict = ?3 WHERE assessment_id = ?1 AND indicator_code = ?2",
                    )?
                    .execute(params![id, c, verdict])?;
                    w.audit(
                        "chi_tieu",
                        &format!("{id}/{c}"),
                        "ket_qua_tinh",
                        Some(before.computed_verdict.code()),
                        Some(verdict.code()),
                    )?;
                }
            }
            w.tx.prepare_cached(
                "UPDATE assessments SET edition_code = ?2, edition_toml = ?3, edition_sha256 = ?4 WHERE id = ?1",
            )?
            .execute(params![id, edition.code, edition.content_toml, edition.content_sha256])?;
            w.audit("danh_gia", &id.to_string(), "chuyen_bo_tieu_chi", Some(&from), Some(&to))
        })?;
        Ok(moved)
    }
}
