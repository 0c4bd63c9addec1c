//! The compiling office's review of an assessment: a verdict and comment per criterion,
//! requests for more proof on indicators, the council's vote and the decision.

use super::types::column;
use super::{StoreResult, Workspace};
use crate::domain::ids::AssessmentId;
use crate::domain::review::{ReviewCriterion, ReviewRequest};
use rusqlite::{OptionalExtension, params};

pub use crate::domain::review::Review;

impl Workspace {
    /// The review of an assessment (empty when none). A stored verdict or indicator code
    /// that does not parse is an error naming its row.
    pub fn review(&self, id: AssessmentId) -> StoreResult<Review> {
        let head: Option<(String, String, String, Option<String>)> = self
            .conn
            .query_row(
                "SELECT vote, decision, reviewer, received_at FROM reviews WHERE assessment_id = ?1",
                [id],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
            )
            .optional()?;
        let mut stmt = self.conn.prepare_cached(
            "SELECT criterion_number, verdict, comment FROM review_criteria WHERE assessment_id = ?1 ORDER BY criterion_number",
        )?;
        let criteria = stmt
            .query_map([id], |r| {
                let number: u32 = r.get(0)?;
                let row = i64::from(number);
                Ok(ReviewCriterion {
                    number,
                    verdict: column(r, 1, "review_criteria", row, "verdict")?,
                    comment: r.get(2)?,
                })
            })?
            .collect::<Result<_, _>>()?;
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, indicator_code, request FROM review_requests WHERE assessment_id = ?1 ORDER BY id",
        )?;
        let requests = stmt
            .query_map([id], |r| {
                let row: i64 = r.get(0)?;
                Ok(ReviewRequest {
                    indicator: column(r, 1, "review_requests", row, "indicator_code")?,
                    text: r.get(2)?,
                })
            })?
            .collect::<Result<_, _>>()?;
        let (vote, decision, reviewer, received_at) = head.unwrap_or_default();
        Ok(Review {
            criteria,
            requests,
            vote,
            decision,
            reviewer,
            received_at,
        })
    }

    /// Replaces the review of an assessment as a whole.
    pub fn set_review(&mut self, id: AssessmentId, r: &Review) -> StoreResult<()> {
        let old = self.review(id)?;
        self.write(|w| w.put_review(id, &old, r))
    }

    /// Stores a review received in a bundle, checking (and, when the user confirmed it,
    /// enrolling) the office's key in the same transaction.
    pub fn receive_review(
        &mut self,
        id: AssessmentId,
        r: &Review,
        signer: &super::SignerCheck,
    ) -> StoreResult<()> {
        let old = self.review(id)?;
        self.with_office_signer(signer, |w| w.put_review(id, &old, r))
    }
}

impl super::Writer<'_> {
    pub(super) fn put_review(&self, id: AssessmentId, old: &Review, r: &Review) -> StoreResult<()> {
        self.tx.prepare_cached(
            "INSERT INTO reviews(assessment_id, vote, decision, reviewer, received_at) VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT(assessment_id) DO UPDATE SET vote = excluded.vote, decision = excluded.decision,
               reviewer = excluded.reviewer, received_at = excluded.received_at",
        )?
        .execute(params![id, r.vote, r.decision, r.reviewer, r.received_at])?;
        self.tx
            .prepare_cached("DELETE FROM review_criteria WHERE assessment_id = ?1")?
            .execute([id])?;
        for c in &r.criteria {
            self.tx.prepare_cached("INSERT INTO review_criteria(assessment_id, criterion_number, verdict, comment) VALUES (?1, ?2, ?3, ?4)")?
                .execute(params![id, c.number, c.verdict, c.comment])?;
        }
        self.tx
            .prepare_cached("DELETE FROM review_requests WHERE assessment_id = ?1")?
            .execute([id])?;
        for q in &r.requests {
            self.tx.prepare_cached("INSERT INTO review_requests(assessment_id, indicator_code, request) VALUES (?1, ?2, ?3)")?
                .execute(params![id, q.indicator, q.text])?;
        }
        let summary = |r: &Review| {
            format!(
                "{} tiêu chí, {} yêu cầu, biểu quyết {}",
                r.criteria.len(),
                r.requests.len(),
                r.vote
            )
        };
        self.audit(
            "tham_dinh",
            &id.to_string(),
            "nhan_xet",
            Some(&summary(old)),
            Some(&summary(r)),
        )
    }
}
