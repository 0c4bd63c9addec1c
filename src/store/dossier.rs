//! Settings of the printed dossier and the signed originals that replace its drafts.

use super::types::parsed;
use super::{StoreResult, Workspace};
use crate::domain::ids::{AssessmentId, EvidenceId};
use crate::domain::vn_text::CivilDate;
use rusqlite::params;
use std::collections::BTreeMap;

/// The key of the documents' date among the dossier settings.
const DATE_KEY: &str = "ngay";

/// The dossier settings of an assessment as stored (key → value: `nguoi_ky` the signer,
/// `ngay` the date, `dia_danh` the place, `mau` the template, and whatever keys a bundle
/// carried), the date already read as a [`CivilDate`].
#[derive(Clone, Default, PartialEq, Eq)]
pub struct DossierSettings {
    values: BTreeMap<String, String>,
    date: Option<CivilDate>,
}

impl DossierSettings {
    /// The value stored under `key`, if any.
    pub fn get(&self, key: &str) -> Option<&String> {
        self.values.get(key)
    }

    /// The date of the documents, if set.
    pub fn date(&self) -> Option<CivilDate> {
        self.date
    }

    /// Every setting, by key, as stored (what a bundle carries).
    pub fn as_map(&self) -> &BTreeMap<String, String> {
        &self.values
    }
}

/// Shown as the map of stored values (the dossier's source hash reads it so).
impl std::fmt::Debug for DossierSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.values.fmt(f)
    }
}

impl Workspace {
    /// The dossier settings of an assessment (signer, date, place…); a stored date that
    /// is no date is an error naming the row.
    pub fn dossier_settings(&self, id: AssessmentId) -> StoreResult<DossierSettings> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT key, value, rowid FROM dossier_settings WHERE assessment_id = ?1",
        )?;
        let mut rows = stmt.query([id])?;
        let mut out = DossierSettings::default();
        while let Some(r) = rows.next()? {
            let (key, value): (String, String) = (r.get(0)?, r.get(1)?);
            // An empty value means «not set», as `set_dossier_setting` reads it.
            if key == DATE_KEY && !value.trim().is_empty() {
                out.date = Some(parsed(&value, "dossier_settings", r.get(2)?, "value")?);
            }
            out.values.insert(key, value);
        }
        Ok(out)
    }

    /// Sets (or, with an empty value, clears) one dossier setting.
    pub fn set_dossier_setting(
        &mut self,
        id: AssessmentId,
        key: &str,
        value: &str,
    ) -> StoreResult<()> {
        let old = self.dossier_settings(id)?.values.remove(key);
        self.write(|w| {
            if value.is_empty() {
                w.tx.prepare_cached(
                    "DELETE FROM dossier_settings WHERE assessment_id = ?1 AND key = ?2",
                )?
                .execute(params![id, key])?;
            } else {
                w.tx.prepare_cached(
                    "INSERT INTO dossier_settings(assessment_id, key, value) VALUES (?1, ?2, ?3)
                     ON CONFLICT(assessment_id, key) DO UPDATE SET value = excluded.value",
                )?
                .execute(params![id, key, value])?;
            }
            let new = Some(value).filter(|v| !v.is_empty());
            w.audit("ho_so_in", &id.to_string(), key, old.as_deref(), new)
        })
    }

    /// The signed originals of an assessment: document key → evidence file.
    pub fn signed_originals(&self, id: AssessmentId) -> StoreResult<BTreeMap<String, EvidenceId>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT document_key, evidence_id FROM signed_originals WHERE assessment_id = ?1",
        )?;
        let rows = stmt.query_map([id], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Records (or, with `None`, removes) the signed original of a document.
    pub fn set_signed_original(
        &mut self,
        id: AssessmentId,
        document: &str,
        evidence: Option<EvidenceId>,
    ) -> StoreResult<()> {
        let old = self.signed_originals(id)?.remove(document);
        self.write(|w| {
            match evidence {
                Some(e) => w
                    .tx
                    .prepare_cached(
                        "INSERT INTO signed_originals(assessment_id, document_key, evidence_id) VALUES (?1, ?2, ?3)
                         ON CONFLICT(assessment_id, document_key) DO UPDATE SET evidence_id = excluded.evidence_id",
                    )?
                    .execute(params![id, document, e])?,
                None => w
                    .tx
                    .prepare_cached("DELETE FROM signed_originals WHERE assessment_id = ?1 AND document_key = ?2")?
                    .execute(params![id, document])?,
            };
            w.audit(
                "ban_da_ky",
                &id.to_string(),
                document,
                old.map(|e| e.to_string()).as_deref(),
                evidence.map(|e| e.to_string()).as_deref(),
            )
        })
    }
}
