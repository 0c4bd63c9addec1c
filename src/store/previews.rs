//! Derived data kept to make screens fast: evidence previews (a small thumbnail or a
//! PDF page count, made once in the background) and one status snapshot per assessment
//! and day, from which "the change since the start of the year" is read.

use super::types::column;
use super::{StoreResult, Workspace};
use crate::domain::evidence::{ContentHash, MediaType};
use crate::domain::ids::AssessmentId;
use rusqlite::{OptionalExtension, params};

/// A preview of an evidence file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Preview {
    /// Thumbnail width in pixels (0 when none).
    pub width: u32,
    /// Thumbnail height in pixels.
    pub height: u32,
    /// RGBA pixels of the thumbnail.
    pub rgba: Option<Vec<u8>>,
    /// Page count of a PDF.
    pub pages: Option<u32>,
    /// Why no preview could be made (damaged file…).
    pub problem: Option<String>,
}

/// Counts recorded on one day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Snapshot {
    /// Criteria met.
    pub criteria_met: u32,
    /// Indicators met.
    pub indicators_met: u32,
    /// Indicators with proof.
    pub indicators_with_evidence: u32,
}

/// An evidence file that has no preview yet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BlobToPreview {
    /// SHA-256 of its bytes.
    pub sha256: ContentHash,
    /// Its media type as stored (`image/jpeg`, `application/pdf`…).
    pub media_type: MediaType,
}

impl Workspace {
    /// The evidence files that have no preview yet, by hash.
    pub fn blobs_without_preview(&self) -> StoreResult<Vec<BlobToPreview>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT e.sha256, e.media_type, min(e.id) FROM evidence e WHERE NOT EXISTS (SELECT 1 FROM previews p WHERE p.sha256 = e.sha256) GROUP BY e.sha256, e.media_type ORDER BY e.sha256",
        )?;
        let rows = stmt.query_map([], |r| {
            let row: i64 = r.get(2)?;
            Ok(BlobToPreview {
                sha256: column(r, 0, "evidence", row, "sha256")?,
                media_type: column(r, 1, "evidence", row, "media_type")?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// The bytes of a stored file by hash.
    pub fn blob(&self, sha256: &str) -> StoreResult<Option<Vec<u8>>> {
        Ok(self
            .conn
            .prepare_cached("SELECT data FROM blobs WHERE sha256 = ?1")?
            .query_row([sha256], |r| r.get(0))
            .optional()?)
    }

    /// Stores a preview (derived data: not audited).
    pub fn put_preview(&mut self, sha256: &str, p: &Preview) -> StoreResult<()> {
        self.conn
            .prepare_cached("INSERT OR REPLACE INTO previews(sha256, width, height, rgba, pages, problem) VALUES (?1, ?2, ?3, ?4, ?5, ?6)")?
            .execute(params![sha256, p.width, p.height, p.rgba, p.pages, p.problem])?;
        Ok(())
    }

    /// The preview of a file, if made.
    pub fn preview(&self, sha256: &str) -> StoreResult<Option<Preview>> {
        Ok(self
            .conn
            .prepare_cached(
                "SELECT width, height, rgba, pages, problem FROM previews WHERE sha256 = ?1",
            )?
            .query_row([sha256], |r| {
                Ok(Preview {
                    width: r.get(0)?,
                    height: r.get(1)?,
                    rgba: r.get(2)?,
                    pages: r.get(3)?,
                    problem: r.get(4)?,
                })
            })
            .optional()?)
    }

    /// Records today's counts of an assessment (one row per day, the last write wins).
    pub fn put_snapshot(
        &mut self,
        id: AssessmentId,
        day_iso: &str,
        s: Snapshot,
    ) -> StoreResult<()> {
        self.conn
            .prepare_cached(
                "INSERT OR REPLACE INTO status_snapshots(assessment_id, taken_on, criteria_met, indicators_met, indicators_with_evidence) VALUES (?1, ?2, ?3, ?4, ?5)",
            )?
            .execute(params![id, day_iso, s.criteria_met, s.indicators_met, s.indicators_with_evidence])?;
        Ok(())
    }

    /// The counts recorded for an assessment on one day (ISO), if any.
    pub fn snapshot_on(&self, id: AssessmentId, day_iso: &str) -> StoreResult<Option<Snapshot>> {
        Ok(self
            .conn
            .prepare_cached("SELECT criteria_met, indicators_met, indicators_with_evidence FROM status_snapshots WHERE assessment_id = ?1 AND taken_on = ?2")?
            .query_row(params![id, day_iso], |r| {
                Ok(Snapshot {
                    criteria_met: r.get(0)?,
                    indicators_met: r.get(1)?,
                    indicators_with_evidence: r.get(2)?,
                })
            })
            .optional()?)
    }

    /// The day (ISO) of an assessment's first snapshot, if any.
    pub fn first_snapshot_day(&self, id: AssessmentId) -> StoreResult<Option<String>> {
        Ok(self
            .conn
            .prepare_cached("SELECT MIN(taken_on) FROM status_snapshots WHERE assessment_id = ?1")?
            .query_row(params![id], |r| r.get::<_, Option<String>>(0))?)
    }

    /// The counts at the start of a year: the last snapshot before 1 January, or else the
    /// first one taken during the year.
    pub fn snapshot_at_year_start(
        &self,
        id: AssessmentId,
        year: i32,
    ) -> StoreResult<Option<Snapshot>> {
        let jan1 = format!("{year:04}-01-01");
        let read = |r: &rusqlite::Row<'_>| {
            Ok(Snapshot {
                criteria_met: r.get(0)?,
                indicators_met: r.get(1)?,
                indicators_with_evidence: r.get(2)?,
            })
        };
        let before = self
            .conn
            .prepare_cached("SELECT criteria_met, indicators_met, indicators_with_evidence FROM status_snapshots WHERE assessment_id = ?1 AND taken_on < ?2 ORDER BY taken_on DESC LIMIT 1")?
            .query_row(params![id, jan1], read)
            .optional()?;
        if before.is_some() {
            return Ok(before);
        }
        Ok(self
            .conn
            .prepare_cached("SELECT criteria_met, indicators_met, indicators_with_evidence FROM status_snapshots WHERE assessment_id = ?1 AND taken_on >= ?2 ORDER BY taken_on LIMIT 1")?
            .query_row(params![id, jan1], read)
            .optional()?)
    }
}
