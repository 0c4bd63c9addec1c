//! Assessments (one unit × one edition × one target × one year, pinned to the edition
//! content of the day), the values entered per indicator, criterion ratings and the
//! recognition conditions.

use super::types::column;
use super::{StoreError, StoreResult, Workspace};
use crate::domain::catalog::{EditionCode, IndicatorCode};
use crate::domain::engine::{DebtStatus, Posting, PostingMedium, SecurityStatus};
use crate::domain::ids::{AssessmentId, UnitId};
use crate::domain::units::{Target, Verdict};
use crate::domain::vn_text::CivilDate;
use rusqlite::{OptionalExtension, Row, params};

/// A stored assessment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AssessmentRecord {
    /// Id.
    pub id: AssessmentId,
    /// The unit assessed.
    pub unit: UnitId,
    /// The edition's code.
    pub edition_code: EditionCode,
    /// The pinned edition content.
    pub edition_toml: String,
    /// Its SHA-256.
    pub edition_sha256: String,
    /// Target.
    pub target: Target,
    /// Year.
    pub year: i32,
    /// Created, UTC ISO.
    pub created_at: String,
}

pub(super) fn assessment_from_row(r: &Row<'_>) -> rusqlite::Result<AssessmentRecord> {
    let id: i64 = r.get(0)?;
    Ok(AssessmentRecord {
        id: AssessmentId(id),
        unit: column(r, 1, "assessments", id, "unit_id")?,
        edition_code: column(r, 2, "assessments", id, "edition_code")?,
        edition_toml: r.get(3)?,
        edition_sha256: r.get(4)?,
        target: column(r, 5, "assessments", id, "target")?,
        year: r.get(6)?,
        created_at: r.get(7)?,
    })
}

const ASSESSMENT_COLUMNS: &str =
    "id, unit_id, edition_code, edition_toml, edition_sha256, target, year, created_at";

/// The stored fields of one indicator of an assessment.
#[derive(Debug, Clone, PartialEq)]
pub struct ValueRecord {
    /// Indicator code.
    pub indicator: IndicatorCode,
    /// Numerator (ratios).
    pub numerator: Option<f64>,
    /// Denominator (ratios).
    pub denominator: Option<f64>,
    /// Amount or count.
    pub value_number: Option<f64>,
    /// `dat`/`khong` for yes/no; the level name for levels.
    pub value_text: Option<String>,
    /// Date of the data.
    pub data_date: Option<CivilDate>,
    /// Office the data comes from.
    pub source_office: Option<String>,
    /// The computed verdict at the time of writing.
    pub computed_verdict: Verdict,
    /// A manual verdict.
    pub manual_verdict: Option<Verdict>,
    /// Its reason.
    pub manual_reason: Option<String>,
    /// Notes.
    pub note: Option<String>,
    /// Responsible person or office.
    pub responsible: Option<String>,
    /// Deadline.
    pub deadline: Option<CivilDate>,
}

impl ValueRecord {
    /// Nothing entered yet for `indicator`: no value, not assessed.
    pub fn new(indicator: IndicatorCode) -> Self {
        Self {
            indicator,
            numerator: None,
            denominator: None,
            value_number: None,
            value_text: None,
            data_date: None,
            source_office: None,
            computed_verdict: Verdict::NotAssessed,
            manual_verdict: None,
            manual_reason: None,
            note: None,
            responsible: None,
            deadline: None,
        }
    }
}

pub(super) const VALUE_COLUMNS: &str = "rowid, indicator_code, numerator, denominator, value_number, value_text, data_date, source_office, computed_verdict, manual_verdict, manual_reason, note, responsible, deadline";

/// One row of `indicator_values` selected with [`VALUE_COLUMNS`] (the row id first, so a
/// value that does not read names its row).
pub(super) fn value_from_row(r: &Row<'_>) -> rusqlite::Result<ValueRecord> {
    let row: i64 = r.get(0)?;
    let t = "indicator_values";
    Ok(ValueRecord {
        indicator: column(r, 1, t, row, "indicator_code")?,
        numerator: r.get(2)?,
        denominator: r.get(3)?,
        value_number: r.get(4)?,
        value_text: r.get(5)?,
        data_date: column(r, 6, t, row, "data_date")?,
        source_office: r.get(7)?,
        computed_verdict: column(r, 8, t, row, "computed_verdict")?,
        manual_verdict: column(r, 9, t, row, "manual_verdict")?,
        manual_reason: r.get(10)?,
        note: r.get(11)?,
        responsible: r.get(12)?,
        deadline: column(r, 13, t, row, "deadline")?,
    })
}

/// A manual rating of a whole criterion, with its reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CriterionRating {
    /// The criterion's number.
    pub number: u32,
    /// The verdict given.
    pub verdict: Verdict,
    /// Why.
    pub reason: String,
}

fn fmt_opt_f64(v: Option<f64>) -> Option<String> {
    v.map(|x| x.to_string())
}

/// The recognition conditions as stored.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ConditionsRecord {
    /// Households asked.
    pub households_surveyed: Option<u32>,
    /// Households satisfied.
    pub households_satisfied: Option<u32>,
    /// Threshold in force set by the user.
    pub satisfaction_threshold: Option<f64>,
    /// Debt in million VND.
    pub debt_million_vnd: Option<f64>,
    /// Debt status.
    pub debt_status: Option<DebtStatus>,
    /// Security status.
    pub security_status: Option<SecurityStatus>,
}

/// One posting-log entry as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PostingRecord {
    /// Id.
    pub id: i64,
    /// Place.
    pub place: String,
    /// Date.
    pub posted_on: CivilDate,
    /// Medium.
    pub medium: PostingMedium,
}

impl Workspace {
    /// Creates an assessment pinned to the given edition content.
    pub fn create_assessment(
        &mut self,
        unit: UnitId,
        edition_code: &str,
        edition_toml: &str,
        edition_sha256: &str,
        target: Target,
        year: i32,
    ) -> StoreResult<AssessmentId> {
        self.write(|w| {
            w.tx.prepare_cached(
                "INSERT INTO assessments(unit_id, edition_code, edition_toml, edition_sha256, target, year, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, strftime('%Y-%m-%dT%H:%M:%SZ','now'))",
            )?
            .execute(params![unit, edition_code, edition_toml, edition_sha256, target, year])?;
            let id = AssessmentId(w.tx.last_insert_rowid());
            w.tx.prepare_cached("INSERT INTO conditions(assessment_id) VALUES (?1)")?.execute([id])?;
            w.audit("danh_gia", &id.to_string(), "tao_moi", None, Some(&format!("{unit}/{edition_code}/{}/{year}", target.code())))?;
            Ok(id)
        })
    }

    /// One assessment.
    pub fn assessment(&self, id: AssessmentId) -> StoreResult<Option<AssessmentRecord>> {
        let sql = format!("SELECT {ASSESSMENT_COLUMNS} FROM assessments WHERE id = ?1");
        Ok(self
            .conn
            .prepare_cached(&sql)?
            .query_row([id], assessment_from_row)
            .optional()?)
    }

    /// One assessment, or a not-found error naming it.
    pub fn require_assessment(&self, id: AssessmentId) -> StoreResult<AssessmentRecord> {
        self.assessment(id)?
            .ok_or_else(|| StoreError::NotFound(format!("đánh giá số {id}")))
    }

    /// Every assessment, newest year first.
    pub fn assessments(&self) -> StoreResult<Vec<AssessmentRecord>> {
        let sql =
            format!("SELECT {ASSESSMENT_COLUMNS} FROM assessments ORDER BY year DESC, id DESC");
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map([], assessment_from_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// The latest assessment of a unit (highest year, then newest). An imported round
    /// superseded by a later round of the same commune's assessment is history, not latest,
    /// whatever order the rounds arrived in.
    pub fn latest_assessment(&self, unit: UnitId) -> StoreResult<Option<AssessmentRecord>> {
        self.latest_assessment_in(unit, None, None)
    }

    /// The latest assessment of a unit within a year and for a target, when given (the
    /// roll-up of one year or one target); superseded rounds are history as above.
    pub fn latest_assessment_in(
        &self,
        unit: UnitId,
        year: Option<i32>,
        target: Option<Target>,
    ) -> StoreResult<Option<AssessmentRecord>> {
        let sql = format!(
            "SELECT {ASSESSMENT_COLUMNS} FROM assessments a WHERE unit_id = ?1
               AND (?2 IS NULL OR year = ?2) AND (?3 IS NULL OR target = ?3)
               AND NOT EXISTS (SELECT 1 FROM bundle_rounds b JOIN bundle_rounds later
                               ON later.origin = b.origin AND later.round > b.round
                               WHERE b.assessment_id = a.id)
             ORDER BY year DESC, id DESC LIMIT 1"
        );
        Ok(self
            .conn
            .prepare_cached(&sql)?
            .query_row(params![unit, year, target], assessment_from_row)
            .optional()?)
    }

    /// The stored values of an assessment.
    pub fn values(&self, id: AssessmentId) -> StoreResult<Vec<ValueRecord>> {
        let sql = format!(
            "SELECT {VALUE_COLUMNS} FROM indicator_values WHERE assessment_id = ?1 ORDER BY indicator_code"
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map([id], value_from_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Writes several indicator values in one transaction (all or nothing), auditing
    /// every changed field.
    pub fn put_values(&mut self, id: AssessmentId, values: &[ValueRecord]) -> StoreResult<()> {
        let old: Vec<ValueRecord> = self.values(id)?;
        self.write(|w| {
            for v in values {
                let before = old.iter().find(|o| o.indicator == v.indicator).cloned().unwrap_or_else(|| ValueRecord::new(v.indicator.clone()));
                let had = old.iter().any(|o| o.indicator == v.indicator);
                w.tx.prepare_cached(
                    "INSERT INTO indicator_values(assessment_id, indicator_code, numerator, denominator, value_number, value_text, data_date,
                       source_office, computed_verdict, manual_verdict, manual_reason, note, responsible, deadline, updated_at)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, strftime('%Y-%m-%dT%H:%M:%SZ','now'))
                     ON CONFLICT(assessment_id, indicator_code) DO UPDATE SET numerator = excluded.numerator, denominator = excluded.denominator,
                       value_number = excluded.value_number, value_text = excluded.value_text, data_date = excluded.data_date,
                       source_office = excluded.source_office, computed_verdict = excluded.computed_verdict, manual_verdict = excluded.manual_verdict,
                       manual_reason = excluded.manual_reason, note = excluded.note, responsible = excluded.responsible,
                       deadline = excluded.deadline, updated_at = excluded.updated_at",
                )?
                .execute(params![
                    id, v.indicator, v.numerator, v.denominator, v.value_number, v.value_text, v.data_date, v.source_office,
                    v.computed_verdict, v.manual_verdict, v.manual_reason, v.note, v.responsible, v.deadline
                ])?;
                let eid = format!("{id}/{}", v.indicator);
                let fields: [(&str, Option<String>, Option<String>); 13] = [
                    ("tu_so", fmt_opt_f64(before.numerator), fmt_opt_f64(v.numerator)),
                    ("mau_so", fmt_opt_f64(before.denominator), fmt_opt_f64(v.denominator)),
                    ("gia_tri", fmt_opt_f64(before.value_number), fmt_opt_f64(v.value_number)),
                    ("gia_tri_chu", before.value_text.clone(), v.value_text.clone()),
                    ("ngay_so_lieu", before.data_date.map(|d| d.iso()), v.data_date.map(|d| d.iso())),
                    ("co_quan_so_lieu", before.source_office.clone(), v.source_office.clone()),
                    ("ket_qua_tinh", had.then(|| before.computed_verdict.code().to_string()), Some(v.computed_verdict.code().to_string())),
                    ("ket_qua_thu_cong", before.manual_verdict.map(|m| m.code().to_string()), v.manual_verdict.map(|m| m.code().to_string())),
                    ("ly_do", before.manual_reason.clone(), v.manual_reason.clone()),
                    ("ghi_chu", before.note.clone(), v.note.clone()),
                    ("nguoi_phu_trach", before.responsible.clone(), v.responsible.clone()),
                    ("han", before.deadline.map(|d| d.iso()), v.deadline.map(|d| d.iso())),
                    ("", None, None),
                ];
                for (field, a, b) in fields.iter().filter(|f| !f.0.is_empty()) {
                    w.audit("chi_tieu", &eid, field, a.as_deref(), b.as_deref())?;
                }
            }
            Ok(())
        })
    }

    /// Manual ratings of whole criteria, by number. A verdict that does not read names
    /// the criterion as its row.
    pub fn criterion_ratings(&self, id: AssessmentId) -> StoreResult<Vec<CriterionRating>> {
        let mut stmt = self.conn.prepare_cached("SELECT criterion_number, verdict, reason FROM criterion_ratings WHERE assessment_id = ?1 ORDER BY criterion_number")?;
        let rows = stmt.query_map([id], |r| {
            let number: u32 = r.get(0)?;
            Ok(CriterionRating {
                number,
                verdict: column(r, 1, "criterion_ratings", i64::from(number), "verdict")?,
                reason: r.get(2)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Sets (or clears, with `None`) the manual rating of a criterion.
    pub fn set_criterion_rating(
        &mut self,
        id: AssessmentId,
        number: u32,
        rating: Option<(Verdict, &str)>,
    ) -> StoreResult<()> {
        let old = self
            .criterion_ratings(id)?
            .into_iter()
            .find(|r| r.number == number);
        self.write(|w| {
            match rating {
                Some((verdict, reason)) => w.tx.prepare_cached(
                    "INSERT INTO criterion_ratings(assessment_id, criterion_number, verdict, reason) VALUES (?1, ?2, ?3, ?4)
                     ON CONFLICT(assessment_id, criterion_number) DO UPDATE SET verdict = excluded.verdict, reason = excluded.reason",
                )?
                .execute(params![id, number, verdict, reason])?,
                None => w.tx.prepare_cached("DELETE FROM criterion_ratings WHERE assessment_id = ?1 AND criterion_number = ?2")?.execute(params![id, number])?,
            };
            let eid = format!("{id}/tc{number}");
            w.audit("tieu_chi", &eid, "ket_qua_thu_cong", old.as_ref().map(|o| o.verdict.code()), rating.map(|r| r.0.code()))?;
            w.audit("tieu_chi", &eid, "ly_do", old.as_ref().map(|o| o.reason.as_str()), rating.map(|r| r.1))
        })
    }

    /// The recognition conditions of an assessment.
    pub fn conditions(&self, id: AssessmentId) -> StoreResult<ConditionsRecord> {
        Ok(self
            .conn
            .prepare_cached("SELECT households_surveyed, households_satisfied, satisfaction_threshold, debt_million_vnd, debt_status, security_status FROM conditions WHERE assessment_id = ?1")?
            .query_row([id], |r| {
                let row = id.0;
                Ok(ConditionsRecord {
                    households_surveyed: r.get(0)?,
                    households_satisfied: r.get(1)?,
                    satisfaction_threshold: r.get(2)?,
                    debt_million_vnd: r.get(3)?,
                    debt_status: column(r, 4, "conditions", row, "debt_status")?,
                    security_status: column(r, 5, "conditions", row, "security_status")?,
                })
            })
            .optional()?
            .unwrap_or_default())
    }

    /// Replaces the recognition conditions, auditing each changed field.
    pub fn set_conditions(&mut self, id: AssessmentId, c: &ConditionsRecord) -> StoreResult<()> {
        let old = self.conditions(id)?;
        self.write(|w| write_conditions(w, id, &old, c))
    }

    /// The posting log, by date.
    pub fn postings(&self, id: AssessmentId) -> StoreResult<Vec<PostingRecord>> {
        let mut stmt = self.conn.prepare_cached("SELECT id, place, posted_on, medium FROM postings WHERE assessment_id = ?1 ORDER BY posted_on, id")?;
        let rows = stmt.query_map([id], |r| {
            let row: i64 = r.get(0)?;
            Ok(PostingRecord {
                id: row,
                place: r.get(1)?,
                posted_on: column(r, 2, "postings", row, "posted_on")?,
                medium: column(r, 3, "postings", row, "medium")?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Adds a posting-log entry.
    pub fn add_posting(&mut self, id: AssessmentId, posting: &Posting) -> StoreResult<i64> {
        let Posting {
            place,
            date: posted_on,
            medium,
        } = posting;
        self.write(|w| {
            w.tx.prepare_cached("INSERT INTO postings(assessment_id, place, posted_on, medium) VALUES (?1, ?2, ?3, ?4)")?.execute(params![id, place, posted_on, medium])?;
            let pid = w.tx.last_insert_rowid();
            w.audit("cong_khai", &format!("{id}/{pid}"), "them", None, Some(&format!("{} {place} {}", medium.code(), posted_on.iso())))?;
            Ok(pid)
        })
    }

    /// Removes a posting-log entry.
    pub fn remove_posting(&mut self, id: AssessmentId, posting: i64) -> StoreResult<()> {
        self.write(|w| {
            let n =
                w.tx.prepare_cached("DELETE FROM postings WHERE assessment_id = ?1 AND id = ?2")?
                    .execute(params![id, posting])?;
            if n == 0 {
                return Err(StoreError::NotFound(format!("mục công khai số {posting}")));
            }
            w.audit(
                "cong_khai",
                &format!("{id}/{posting}"),
                "xoa",
                Some("có"),
                None,
            )
        })
    }
}

/// The conditions upsert with its audit, inside a write (also used with the threshold's
/// reason, `store::threshold`).
pub(super) fn write_conditions(
    w: &super::Writer<'_>,
    id: AssessmentId,
    old: &ConditionsRecord,
    c: &ConditionsRecord,
) -> StoreResult<()> {
    w.tx.prepare_cached(
        "INSERT INTO conditions(assessment_id, households_surveyed, households_satisfied, satisfaction_threshold, debt_million_vnd, debt_status, security_status)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
         ON CONFLICT(assessment_id) DO UPDATE SET households_surveyed = excluded.households_surveyed, households_satisfied = excluded.households_satisfied,
           satisfaction_threshold = excluded.satisfaction_threshold, debt_million_vnd = excluded.debt_million_vnd,
           debt_status = excluded.debt_status, security_status = excluded.security_status",
    )?
    .execute(params![id, c.households_surveyed, c.households_satisfied, c.satisfaction_threshold, c.debt_million_vnd, c.debt_status, c.security_status])?;
    let eid = id.to_string();
    let s = |v: Option<u32>| v.map(|x| x.to_string());
    w.audit(
        "dieu_kien",
        &eid,
        "so_ho_khao_sat",
        s(old.households_surveyed).as_deref(),
        s(c.households_surveyed).as_deref(),
    )?;
    w.audit(
        "dieu_kien",
        &eid,
        "so_ho_hai_long",
        s(old.households_satisfied).as_deref(),
        s(c.households_satisfied).as_deref(),
    )?;
    w.audit(
        "dieu_kien",
        &eid,
        "nguong_hai_long",
        fmt_opt_f64(old.satisfaction_threshold).as_deref(),
        fmt_opt_f64(c.satisfaction_threshold).as_deref(),
    )?;
    w.audit(
        "dieu_kien",
        &eid,
        "no_dong",
        fmt_opt_f64(old.debt_million_vnd).as_deref(),
        fmt_opt_f64(c.debt_million_vnd).as_deref(),
    )?;
    w.audit(
        "dieu_kien",
        &eid,
        "tinh_trang_no",
        old.debt_status.map(DebtStatus::code),
        c.debt_status.map(DebtStatus::code),
    )?;
    w.audit(
        "dieu_kien",
        &eid,
        "an_ninh",
        old.security_status.map(SecurityStatus::code),
        c.security_status.map(SecurityStatus::code),
    )
}
