//! The rows a roll-up needs of many assessments at once: one query per table for all of
//! them, rather than a dozen per assessment; the values read borrowed, row by row, with
//! only what a verdict needs ([`VerdictValue`]).

use super::assessments::assessment_from_row;
use super::types::{column, parsed, text_in};
use super::{
    AssessmentRecord, ConditionsRecord, CriterionRating, PostingRecord, Snapshot, StoreError,
    StoreResult, Workspace,
};
use crate::domain::catalog::IndicatorCode;
use crate::domain::ids::{AssessmentId, UnitId};
use crate::domain::units::{Target, Verdict};
use rusqlite::{Row, params};
use std::collections::{HashMap, HashSet};

/// What the roll-up's verdicts need of each assessment besides its values (those are
/// read by [`Workspace::verdict_values`]), by assessment. An assessment without rows in a
/// table is absent from that map.
#[derive(Debug, Default)]
pub struct RollupRows {
    /// Manual criterion ratings, by criterion number.
    pub ratings: HashMap<AssessmentId, Vec<CriterionRating>>,
    /// Recognition conditions.
    pub conditions: HashMap<AssessmentId, ConditionsRecord>,
    /// Posting-log entries, by date.
    pub postings: HashMap<AssessmentId, Vec<PostingRecord>>,
    /// The counts at the start of the year asked for (see
    /// [`Workspace::snapshot_at_year_start`]).
    pub year_start: HashMap<AssessmentId, Snapshot>,
}

/// The table of [`VerdictValue`]s, as its errors name it.
const VALUES: &str = "indicator_values";

/// One stored indicator value with only what a verdict depends on, borrowed from the row
/// being read (see [`Workspace::verdict_values`]).
#[derive(Clone, Copy)]
pub struct VerdictValue<'r> {
    /// The assessment it belongs to.
    pub assessment: AssessmentId,
    /// The row read, whose id [`VerdictValue::indicator`]'s error names.
    source: &'r Row<'r>,
    /// The indicator code as stored; [`VerdictValue::indicator`] reads it as a code.
    pub code: &'r str,
    /// Numerator (ratios).
    pub numerator: Option<f64>,
    /// Denominator (ratios).
    pub denominator: Option<f64>,
    /// Amount or count.
    pub value_number: Option<f64>,
    /// `dat`/`khong` for yes/no; the level name for levels.
    pub value_text: Option<&'r str>,
    /// A manual verdict.
    pub manual_verdict: Option<Verdict>,
}

impl VerdictValue<'_> {
    /// The stored code read as an indicator code (spaces around it dropped, as every
    /// read of a value does); one that is no code is an error naming its row.
    pub fn indicator(&self) -> StoreResult<IndicatorCode> {
        let row: i64 = self.source.get(1)?;
        Ok(parsed(self.code, VALUES, row, "indicator_code")?)
    }
}

/// The [`VerdictValue`] of a row of [`Workspace::verdict_values`]'s query. The row id is
/// read only to name a value that does not read (the values are read a second time then).
fn verdict_value<'r>(assessment: AssessmentId, r: &'r Row<'r>) -> StoreResult<VerdictValue<'r>> {
    match read_value(assessment, r, 0) {
        Ok(v) => Ok(v),
        Err(_) => Ok(read_value(assessment, r, r.get(1)?)?),
    }
}

/// [`verdict_value`], its errors naming `row`.
fn read_value<'r>(
    assessment: AssessmentId,
    r: &'r Row<'r>,
    row: i64,
) -> rusqlite::Result<VerdictValue<'r>> {
    Ok(VerdictValue {
        assessment,
        source: r,
        code: text_in(r, 2, false, (VALUES, row, "indicator_code"))?.unwrap_or_default(),
        numerator: r.get(3)?,
        denominator: r.get(4)?,
        value_number: r.get(5)?,
        value_text: text_in(r, 6, true, (VALUES, row, "value_text"))?,
        manual_verdict: column(r, 7, VALUES, row, "manual_verdict")?,
    })
}

/// The latest assessment of each of many units (see [`Workspace::latest_assessments`]).
#[derive(Debug, Default)]
pub struct LatestAssessments {
    /// By unit. Their `edition_toml` is left empty: the content is in `tomls`, once.
    pub by_unit: HashMap<UnitId, AssessmentRecord>,
    /// Each pinned edition content, by its SHA-256.
    pub tomls: HashMap<String, String>,
}

/// The assessments of the units `?1` (a JSON array) within year `?2` and target `?3`
/// (either may be NULL), newest first by unit, superseded bundle rounds left out: the
/// columns of `assessment_from_row`, the edition content left out. Read from the indexes
/// of migration 11 alone (the table's rows hold the long edition content).
const LATEST_SQL: &str =
    "SELECT id, unit_id, edition_code, '', edition_sha256, target, year, created_at
     FROM assessments a WHERE unit_id IN (SELECT value FROM json_each(?1))
       AND (?2 IS NULL OR year = ?2) AND (?3 IS NULL OR target = ?3)
       AND NOT EXISTS (SELECT 1 FROM bundle_rounds b JOIN bundle_rounds later
                       ON later.origin = b.origin AND later.round > b.round
                       WHERE b.assessment_id = a.id)
     ORDER BY unit_id, year DESC, id DESC";

impl Workspace {
    /// [`Workspace::latest_assessment_in`] of every unit in `units` in two queries, the
    /// pinned edition contents read once each rather than once per unit.
    pub fn latest_assessments(
        &self,
        units: &[UnitId],
        year: Option<i32>,
        target: Option<Target>,
    ) -> StoreResult<LatestAssessments> {
        let list = serde_json::to_string(&units.iter().map(|u| u.0).collect::<Vec<_>>())
            .unwrap_or_else(|_| "[]".into());
        let mut out = LatestAssessments::default();
        let mut stmt = self.conn.prepare(LATEST_SQL)?;
        let mut q = stmt.query(params![list, year, target])?;
        while let Some(r) = q.next()? {
            let a = assessment_from_row(r)?;
            out.by_unit.entry(a.unit).or_insert(a);
        }
        // One assessment per distinct content (the hash is already read): each content
        // is read once, not once per assessment (the contents are large).
        let mut one_each: HashMap<&str, i64> = HashMap::new();
        for a in out.by_unit.values() {
            one_each.entry(a.edition_sha256.as_str()).or_insert(a.id.0);
        }
        let mut stmt = self
            .conn
            .prepare_cached("SELECT edition_toml FROM assessments WHERE id = ?1")?;
        let mut tomls = HashMap::new();
        for (sha, id) in one_each {
            tomls.insert(sha.to_string(), stmt.query_row([id], |r| r.get(0))?);
        }
        out.tomls = tomls;
        Ok(out)
    }

    /// The rows of every assessment in `ids` that [`RollupRows`] holds, in four queries;
    /// `year` is the year whose starting counts are read.
    pub fn rollup_rows(&self, ids: &[AssessmentId], year: i32) -> StoreResult<RollupRows> {
        let list = serde_json::to_string(&ids.iter().map(|a| a.0).collect::<Vec<_>>())
            .unwrap_or_else(|_| "[]".into());
        let mut rows = RollupRows::default();
        let mut stmt = self.conn.prepare(
            "SELECT assessment_id, criterion_number, verdict, reason FROM criterion_ratings
             WHERE assessment_id IN (SELECT value FROM json_each(?1))
             ORDER BY assessment_id, criterion_number",
        )?;
        let mut q = stmt.query([&list])?;
        while let Some(r) = q.next()? {
            let number: u32 = r.get(1)?;
            let verdict = column(r, 2, "criterion_ratings", i64::from(number), "verdict")?;
            rows.ratings
                .entry(AssessmentId(r.get(0)?))
                .or_default()
                .push(CriterionRating {
                    number,
                    verdict,
                    reason: r.get(3)?,
                });
        }
        self.conditions_and_postings(&list, &mut rows)?;
        self.year_start_rows(&list, year, &mut rows)?;
        Ok(rows)
    }

    /// Calls `each` with every stored value of the assessments `ids`, borrowed from the
    /// row being read (no value kept, no text copied), with only the columns a verdict
    /// depends on; a verdict that does not read stops the reading with an error naming
    /// its row. When they are a good part of the workspace's assessments the whole table
    /// is read in its stored order and the others skipped (a third of the time of looking
    /// each one up by its key); otherwise by the key. The values of one assessment come
    /// in their stored order, the last written of a code last.
    pub fn verdict_values<E: From<StoreError>>(
        &self,
        ids: &[AssessmentId],
        mut each: impl FnMut(VerdictValue<'_>) -> Result<(), E>,
    ) -> Result<(), E> {
        const COLUMNS: &str = "assessment_id, rowid, indicator_code, numerator, denominator,
                               value_number, value_text, manual_verdict";
        let list = serde_json::to_string(&ids.iter().map(|a| a.0).collect::<Vec<_>>())
            .unwrap_or_else(|_| "[]".into());
        let all: i64 = self
            .conn
            .query_row("SELECT count(*) FROM assessments", [], |r| r.get(0))
            .map_err(StoreError::from)?;
        let wanted: HashSet<AssessmentId> = ids.iter().copied().collect();
        let scan = i64::try_from(wanted.len())
            .unwrap_or(i64::MAX)
            .saturating_mul(3)
            >= all;
        let sql = if scan {
            format!("SELECT {COLUMNS} FROM indicator_values")
        } else {
            format!(
                "SELECT {COLUMNS} FROM indicator_values
                 WHERE assessment_id IN (SELECT value FROM json_each(?1))"
            )
        };
        let mut stmt = self.conn.prepare(&sql).map_err(StoreError::from)?;
        let mut q = if scan {
            stmt.query([])
        } else {
            stmt.query([&list])
        }
        .map_err(StoreError::from)?;
        // Rows come grouped by assessment: each group is looked up once, not each row.
        let mut group: Option<(AssessmentId, bool)> = None;
        while let Some(r) = q.next().map_err(StoreError::from)? {
            let id = AssessmentId(r.get(0).map_err(StoreError::from)?);
            let wanted_here = match group {
                Some((g, w)) if g == id => w,
                _ => {
                    let w = wanted.contains(&id);
                    group = Some((id, w));
                    w
                }
            };
            if wanted_here {
                each(verdict_value(id, r)?)?;
            }
        }
        Ok(())
    }

    /// The conditions and posting logs of the assessments in `list` (a JSON array).
    fn conditions_and_postings(&self, list: &str, rows: &mut RollupRows) -> StoreResult<()> {
        let mut stmt = self.conn.prepare(
            "SELECT assessment_id, households_surveyed, households_satisfied,
                    satisfaction_threshold, debt_million_vnd, debt_status, security_status
             FROM conditions WHERE assessment_id IN (SELECT value FROM json_each(?1))",
        )?;
        let mut q = stmt.query([list])?;
        while let Some(r) = q.next()? {
            let id: i64 = r.get(0)?;
            rows.conditions.insert(
                AssessmentId(id),
                ConditionsRecord {
                    households_surveyed: r.get(1)?,
                    households_satisfied: r.get(2)?,
                    satisfaction_threshold: r.get(3)?,
                    debt_million_vnd: r.get(4)?,
                    debt_status: column(r, 5, "conditions", id, "debt_status")?,
                    security_status: column(r, 6, "conditions", id, "security_status")?,
                },
            );
        }
        let mut stmt = self.conn.prepare(
            "SELECT assessment_id, id, place, posted_on, medium FROM postings
             WHERE assessment_id IN (SELECT value FROM json_each(?1))
             ORDER BY assessment_id, posted_on, id",
        )?;
        let mut q = stmt.query([list])?;
        while let Some(r) = q.next()? {
            let row: i64 = r.get(1)?;
            let posting = PostingRecord {
                id: row,
                place: r.get(2)?,
                posted_on: column(r, 3, "postings", row, "posted_on")?,
                medium: column(r, 4, "postings", row, "medium")?,
            };
            rows.postings
                .entry(AssessmentId(r.get(0)?))
                .or_default()
                .push(posting);
        }
        Ok(())
    }

    /// For each assessment: the last snapshot before 1 January of `year`, or else the
    /// first one taken during or after it.
    fn year_start_rows(&self, list: &str, year: i32, rows: &mut RollupRows) -> StoreResult<()> {
        let jan1 = format!("{year:04}-01-01");
        let mut stmt = self.conn.prepare(
            "SELECT assessment_id, criteria_met, indicators_met, indicators_with_evidence,
                    taken_on < ?2
             FROM status_snapshots WHERE assessment_id IN (SELECT value FROM json_each(?1))
             ORDER BY assessment_id, taken_on",
        )?;
        let mut q = stmt.query(params![list, jan1])?;
        // Rows come by date: the last one before wins; the first one after counts only
        // when there is none before.
        let mut before: HashMap<AssessmentId, Snapshot> = HashMap::new();
        let mut after: HashMap<AssessmentId, Snapshot> = HashMap::new();
        while let Some(r) = q.next()? {
            let id = AssessmentId(r.get(0)?);
            let s = Snapshot {
                criteria_met: r.get(1)?,
                indicators_met: r.get(2)?,
                indicators_with_evidence: r.get(3)?,
            };
            if r.get::<_, bool>(4)? {
                before.insert(id, s);
            } else {
                after.entry(id).or_insert(s);
            }
        }
        for (id, s) in after {
            before.entry(id).or_insert(s);
        }
        rows.year_start = before;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The plan SQLite makes for `sql`, one line per step.
    fn plan(ws: &Workspace, sql: &str) -> Vec<String> {
        let mut stmt = ws
            .conn
            .prepare(&format!("EXPLAIN QUERY PLAN {sql}"))
            .unwrap();
        let rows = stmt
            .query_map(params!["[1, 2]", 2025, "ntm"], |r| r.get::<_, String>(3))
            .unwrap();
        rows.map(Result::unwrap).collect()
    }

    fn workspace() -> (tempfile::TempDir, Workspace) {
        let dir = tempfile::tempdir().unwrap();
        let ws = Workspace::open(&dir.path().join("w.sqlite"), "thử").unwrap();
        (dir, ws)
    }

    #[test]
    fn the_latest_assessments_are_read_from_the_covering_index() {
        let (_dir, ws) = workspace();
        let plan = plan(&ws, LATEST_SQL);
        assert!(
            plan.iter()
                .any(|l| l.contains("COVERING INDEX assessments_latest")),
            "{plan:?}"
        );
    }

    /// Whether an assessment's bundle round was replaced was found by scanning every
    /// round received, once per assessment: quadratic in a province whose communes all
    /// sent their assessments in bundles (0,8 s for 3,321 communes before the roll-up
    /// even began).
    #[test]
    fn r_every_bundle_round_was_scanned_for_each_assessment() {
        let (_dir, ws) = workspace();
        let plan = plan(&ws, LATEST_SQL);
        assert!(
            plan.iter()
                .any(|l| l.contains("SEARCH b USING COVERING INDEX bundle_rounds_assessment")),
            "{plan:?}"
        );
        assert!(!plan.iter().any(|l| l.starts_with("SCAN b")), "{plan:?}");
    }
}
