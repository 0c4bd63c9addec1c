//! Evidence files, stored inside the workspace and addressed by their SHA-256: the same
//! bytes are kept once however many times they are attached, and are given back exactly.

use super::types::{column, parsed};
use super::{StoreError, StoreResult, Workspace, Writer};
use crate::domain::catalog::IndicatorCode;
use crate::domain::ids::{AssessmentId, EvidenceId};
use crate::domain::natural_order::natural_cmp;
use rusqlite::types::Type;
use rusqlite::{OptionalExtension, Row, params};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;

mod batch;
mod journal;

pub use batch::{BatchControl, IncomingFile};
pub use journal::ROLLBACK_JOURNAL_FROM_BYTES;

/// Hex SHA-256 of some bytes.
pub fn sha256_hex(bytes: &[u8]) -> String {
    batch::hex(&Sha256::digest(bytes))
}

pub use crate::domain::evidence::EvidenceRecord;

/// What adding a file did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AddedEvidence {
    /// The evidence id (existing if the same bytes were already attached).
    pub id: EvidenceId,
    /// Its code.
    pub code: String,
    /// False when the same bytes were already attached to this assessment.
    pub is_new: bool,
}

/// What deleting an evidence file did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeletedEvidence {
    /// The file as it was.
    pub record: EvidenceRecord,
    /// False when other evidence holds the same bytes, which were therefore kept.
    pub bytes_removed: bool,
}

/// The document metadata of an evidence file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EvidenceMeta {
    /// Document number.
    pub doc_number: Option<String>,
    /// Document date (ISO).
    pub doc_date: Option<String>,
    /// Issuing body.
    pub issuer: Option<String>,
    /// Summary.
    pub summary: Option<String>,
}

/// One row selected with [`EVIDENCE_SELECT`]; a date that is no date is an error naming
/// the row.
fn evidence_from_row(r: &Row<'_>) -> rusqlite::Result<EvidenceRecord> {
    let id: EvidenceId = r.get(0)?;
    let file_name: String = r.get(2)?;
    // [[indicator, name or null, link row], …] as SQLite's JSON functions write it.
    let links: Option<String> = r.get(10)?;
    let links: Vec<(String, Option<String>, i64)> = links
        .as_deref()
        .map(serde_json::from_str)
        .transpose()
        .map_err(|e| rusqlite::Error::FromSqlConversionFailure(10, Type::Text, Box::new(e)))?
        .unwrap_or_default();
    let mut link_names = BTreeMap::new();
    let mut indicators = Vec::with_capacity(links.len());
    for (code, name, row) in links {
        let code: IndicatorCode = parsed(&code, "evidence_links", row, "indicator_code")?;
        if let Some(name) = name.filter(|n| *n != file_name) {
            link_names.insert(code.clone(), name);
        }
        indicators.push(code);
    }
    indicators.sort_by_key(|c| {
        c.split('.')
            .map(|p| p.parse::<u32>().unwrap_or(0))
            .collect::<Vec<_>>()
    });
    Ok(EvidenceRecord {
        id,
        sha256: column(r, 1, "evidence", id.0, "sha256")?,
        file_name,
        media_type: column(r, 3, "evidence", id.0, "media_type")?,
        size: r.get(4)?,
        code: column(r, 5, "evidence", id.0, "evidence_code")?,
        doc_number: r.get(6)?,
        doc_date: column(r, 7, "evidence", id.0, "doc_date")?,
        issuer: r.get(8)?,
        summary: r.get(9)?,
        indicators,
        link_names,
    })
}

const EVIDENCE_SELECT: &str = "SELECT e.id, e.sha256, e.file_name, e.media_type, b.size, e.evidence_code, e.doc_number, e.doc_date, e.issuer, e.summary,
    (SELECT json_group_array(json_array(indicator_code, file_name, rowid)) FROM evidence_links l WHERE l.evidence_id = e.id)
    FROM evidence e JOIN blobs b ON b.sha256 = e.sha256";

/// Stores one file's bytes (once per workspace) and its evidence row and links, inside
/// the caller's transaction.
#[allow(clippy::too_many_arguments)]
fn add_one(
    w: &Writer<'_>,
    id: AssessmentId,
    file_name: &str,
    media_type: &str,
    sha: &str,
    bytes: &[u8],
    criterion: u32,
    indicators: &[String],
) -> StoreResult<AddedEvidence> {
    w.tx.prepare_cached("INSERT OR IGNORE INTO blobs(sha256, size, data) VALUES (?1, ?2, ?3)")?
        .execute(params![sha, bytes.len() as i64, bytes])?;
    let existing: Option<(EvidenceId, String)> =
        w.tx.prepare_cached(
            "SELECT id, evidence_code FROM evidence WHERE assessment_id = ?1 AND sha256 = ?2",
        )?
        .query_row(params![id, sha], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    let (eid, code, is_new) = match existing {
        Some((eid, code)) => (eid, code, false),
        None => {
            let prefix = format!("TC{criterion:02}-");
            let used: i64 = w
                        .tx
                        .prepare_cached("SELECT coalesce(max(CAST(substr(evidence_code, ?2) AS INTEGER)), 0) FROM evidence WHERE assessment_id = ?1 AND evidence_code LIKE ?3")?
                        .query_row(params![id, prefix.len() as i64 + 1, format!("{prefix}%")], |r| r.get(0))?;
            let code = format!("{prefix}{:02}", used + 1);
            w.tx.prepare_cached(
                        "INSERT INTO evidence(assessment_id, sha256, file_name, media_type, evidence_code, added_at)
                         VALUES (?1, ?2, ?3, ?4, ?5, strftime('%Y-%m-%dT%H:%M:%SZ','now'))",
                    )?
                    .execute(params![id, sha, file_name, media_type, code])?;
            let eid = EvidenceId(w.tx.last_insert_rowid());
            w.audit(
                "minh_chung",
                &eid.to_string(),
                "them",
                None,
                Some(&format!("{code} {file_name} {sha}")),
            )?;
            (eid, code, true)
        }
    };
    // Each link keeps the name this file was given for it.
    for ind in indicators {
        let n = w.tx.prepare_cached("INSERT OR IGNORE INTO evidence_links(evidence_id, indicator_code, file_name) VALUES (?1, ?2, ?3)")?.execute(params![eid, ind, file_name])?;
        if n > 0 {
            w.audit("minh_chung", &eid.to_string(), "lien_ket", None, Some(ind))?;
        }
    }
    Ok(AddedEvidence {
        id: eid,
        code,
        is_new,
    })
}

impl Workspace {
    /// Attaches a file to an assessment and links it to indicators. The bytes are
    /// stored once per workspace; attaching the same bytes again only adds links.
    /// `criterion` numbers the evidence code (`TC02-03`); 0 for general documents.
    pub fn add_evidence(
        &mut self,
        id: AssessmentId,
        file_name: &str,
        media_type: &str,
        bytes: &[u8],
        criterion: u32,
        indicators: &[String],
    ) -> StoreResult<AddedEvidence> {
        let sha = sha256_hex(bytes);
        self.mirror_blob(&sha, bytes);
        self.write(|w| {
            add_one(
                w, id, file_name, media_type, &sha, bytes, criterion, indicators,
            )
        })
    }

    /// Every evidence file of an assessment, by code in natural order (TC03-9 before
    /// TC03-10), as the command line, the library and the packet list them.
    pub fn evidence(&self, id: AssessmentId) -> StoreResult<Vec<EvidenceRecord>> {
        let sql = format!("{EVIDENCE_SELECT} WHERE e.assessment_id = ?1");
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map([id], evidence_from_row)?;
        let mut all: Vec<EvidenceRecord> = rows.collect::<Result<_, _>>()?;
        all.sort_by(|a, b| natural_cmp(&a.code, &b.code));
        Ok(all)
    }

    /// How many files prove each indicator of an assessment.
    pub fn evidence_counts(
        &self,
        id: AssessmentId,
    ) -> StoreResult<std::collections::HashMap<String, usize>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT l.indicator_code, count(*) FROM evidence_links l JOIN evidence e ON e.id = l.evidence_id WHERE e.assessment_id = ?1 GROUP BY l.indicator_code",
        )?;
        let rows = stmt.query_map([id], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)? as usize))
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// The exact bytes of an evidence file.
    pub fn evidence_bytes(&self, evidence: EvidenceId) -> StoreResult<Vec<u8>> {
        self.conn
            .prepare_cached(
                "SELECT b.data FROM evidence e JOIN blobs b ON b.sha256 = e.sha256 WHERE e.id = ?1",
            )?
            .query_row([evidence], |r| r.get(0))
            .optional()?
            .ok_or_else(|| StoreError::NotFound(format!("minh chứng số {evidence}")))
    }

    /// Sets the document metadata of an evidence file.
    pub fn set_evidence_meta(
        &mut self,
        evidence: EvidenceId,
        meta: &EvidenceMeta,
    ) -> StoreResult<()> {
        self.write(|w| {
            let n = w
                .tx
                .prepare_cached("UPDATE evidence SET doc_number = ?2, doc_date = ?3, issuer = ?4, summary = ?5 WHERE id = ?1")?
                .execute(params![evidence, meta.doc_number, meta.doc_date, meta.issuer, meta.summary])?;
            if n == 0 {
                return Err(StoreError::NotFound(format!("minh chứng số {evidence}")));
            }
            w.audit("minh_chung", &evidence.to_string(), "thong_tin_van_ban", None, Some(&format!("{:?}", meta)))
        })
    }

    /// Links an existing evidence file to an indicator.
    pub fn link_evidence(&mut self, evidence: EvidenceId, indicator: &str) -> StoreResult<()> {
        self.write(|w| {
            let n = w.tx.prepare_cached("INSERT OR IGNORE INTO evidence_links(evidence_id, indicator_code) VALUES (?1, ?2)")?.execute(params![evidence, indicator])?;
            if n > 0 {
                w.audit("minh_chung", &evidence.to_string(), "lien_ket", None, Some(indicator))?;
            }
            Ok(())
        })
    }

    /// Removes the link between an evidence file and an indicator (the file stays).
    pub fn unlink_evidence(&mut self, evidence: EvidenceId, indicator: &str) -> StoreResult<()> {
        self.write(|w| {
            let n =
                w.tx.prepare_cached(
                    "DELETE FROM evidence_links WHERE evidence_id = ?1 AND indicator_code = ?2",
                )?
                .execute(params![evidence, indicator])?;
            if n > 0 {
                w.audit(
                    "minh_chung",
                    &evidence.to_string(),
                    "lien_ket",
                    Some(indicator),
                    None,
                )?;
            }
            Ok(())
        })
    }

    /// Deletes an evidence file of an assessment, in one transaction with its audit
    /// entry: its links to indicators go with it; its stored bytes and preview go too
    /// unless another evidence file (of any assessment) holds the same bytes. A file
    /// that is the signed original of a dossier document is refused (remove that first).
    pub fn delete_evidence(&mut self, evidence: EvidenceId) -> StoreResult<DeletedEvidence> {
        let sql = format!("{EVIDENCE_SELECT} WHERE e.id = ?1");
        let record = self
            .conn
            .prepare_cached(&sql)?
            .query_row([evidence], evidence_from_row)
            .optional()?
            .ok_or_else(|| StoreError::NotFound(format!("minh chứng số {evidence}")))?;
        let signed: Option<String> = self
            .conn
            .prepare_cached("SELECT document_key FROM signed_originals WHERE evidence_id = ?1")?
            .query_row([evidence], |r| r.get(0))
            .optional()?;
        if let Some(document) = signed {
            return Err(StoreError::Invalid(format!(
                "tệp {} là bản đã ký của tài liệu «{document}»; hãy bỏ bản đã ký trước",
                record.code
            )));
        }
        self.write(|w| {
            w.tx.prepare_cached("DELETE FROM evidence_links WHERE evidence_id = ?1")?
                .execute([evidence])?;
            w.tx.prepare_cached("DELETE FROM evidence WHERE id = ?1")?
                .execute([evidence])?;
            let still_used: bool =
                w.tx.prepare_cached("SELECT EXISTS(SELECT 1 FROM evidence WHERE sha256 = ?1)")?
                    .query_row([&record.sha256], |r| r.get(0))?;
            if !still_used {
                w.tx.prepare_cached("DELETE FROM previews WHERE sha256 = ?1")?
                    .execute([&record.sha256])?;
                w.tx.prepare_cached("DELETE FROM blobs WHERE sha256 = ?1")?
                    .execute([&record.sha256])?;
            }
            let was = format!(
                "{} {} {}; chỉ tiêu {}",
                record.code,
                record.file_name,
                record.sha256,
                record.indicators.join(",")
            );
            w.audit("minh_chung", &evidence.to_string(), "xoa", Some(&was), None)?;
            Ok(DeletedEvidence {
                bytes_removed: !still_used,
                record: record.clone(),
            })
        })
    }

    /// Recomputes the hash of every stored file; returns the hashes whose bytes no
    /// longer match.
    pub fn corrupt_blobs(&self) -> StoreResult<Vec<String>> {
        let mut stmt = self
            .conn
            .prepare("SELECT sha256, data FROM blobs ORDER BY sha256")?;
        let mut rows = stmt.query([])?;
        let mut bad = Vec::new();
        while let Some(row) = rows.next()? {
            let sha: String = row.get(0)?;
            let data = row.get_ref(1)?.as_blob().map_err(rusqlite::Error::from)?;
            if sha256_hex(data) != sha {
                bad.push(sha);
            }
        }
        Ok(bad)
    }
}
