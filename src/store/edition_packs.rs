//! Editions received from the compiling office in a signed pack: the office's key is
//! checked (and, when the user confirmed its fingerprint, enrolled) in the same
//! transaction that stores the edition, so a refused pack changes nothing. A pack that
//! rides in a review bundle is stored in the review's transaction.

use super::{Review, SignerCheck, StoreResult, Workspace, Writer};
use crate::domain::ids::AssessmentId;
use rusqlite::{OptionalExtension, params};

/// An edition as stored: (code, title, canonical TOML, its SHA-256).
pub type EditionRow<'a> = (&'a str, &'a str, &'a str, &'a str);

impl Workspace {
    /// Stores an edition signed by the compiling office. Returns true when anything
    /// changed.
    /// `province` is the issuing province the pack names (`code\tname`), kept so that
    /// the edition is offered only to that province's communes.
    pub fn put_edition_from_office(
        &mut self,
        signer: &SignerCheck,
        row: EditionRow<'_>,
        province: Option<&str>,
    ) -> StoreResult<bool> {
        let (code, ..) = row;
        let old = self.edition(code)?.map(|o| o.content_sha256);
        self.with_office_signer(signer, |w| {
            let changed = w.put_office_edition(old.as_deref(), row)?;
            w.set_edition_province(code, province)?;
            Ok(changed)
        })
    }

    /// The issuing province of an edition received from an office (`code\tname`);
    /// `None` for an edition offered to every commune.
    pub fn edition_province(&self, code: &str) -> StoreResult<Option<String>> {
        Ok(self
            .conn
            .query_row(
                "SELECT value FROM workspace_meta WHERE key = ?1",
                [province_key(code)],
                |r| r.get(0),
            )
            .optional()?)
    }

    /// Stores what a review bundle brought, in one transaction under the office's key:
    /// the review (`None` when the same one is already there) and the edition pack it
    /// carried (`None` when there was none, or nothing newer). Returns true when the
    /// edition changed.
    pub fn receive_from_office(
        &mut self,
        id: AssessmentId,
        review: Option<&Review>,
        edition: Option<(EditionRow<'_>, Option<&str>)>,
        signer: &SignerCheck,
    ) -> StoreResult<bool> {
        let old_review = self.review(id)?;
        let old_edition = match edition {
            Some(((code, ..), _)) => self.edition(code)?.map(|o| o.content_sha256),
            None => None,
        };
        self.with_office_signer(signer, |w| {
            if let Some(r) = review {
                w.put_review(id, &old_review, r)?;
            }
            match edition {
                Some((row, province)) => {
                    let changed = w.put_office_edition(old_edition.as_deref(), row)?;
                    w.set_edition_province(row.0, province)?;
                    Ok(changed)
                }
                None => Ok(false),
            }
        })
    }
}

/// The `workspace_meta` key holding an edition's issuing province.
fn province_key(code: &str) -> String {
    format!("tinh_cua_bo:{code}")
}

impl Writer<'_> {
    /// Records (or, for a pack naming none, forgets) the issuing province of an edition.
    fn set_edition_province(&self, code: &str, province: Option<&str>) -> StoreResult<()> {
        match province {
            Some(p) => self
                .tx
                .prepare_cached(
                    "INSERT INTO workspace_meta(key, value) VALUES (?1, ?2)
                     ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                )?
                .execute(params![province_key(code), p])?,
            None => self
                .tx
                .prepare_cached("DELETE FROM workspace_meta WHERE key = ?1")?
                .execute([province_key(code)])?,
        };
        Ok(())
    }

    /// Writes an office's edition over `old` (its former SHA-256), audited; false when
    /// the content is the same.
    fn put_office_edition(
        &self,
        old: Option<&str>,
        (code, title, toml, sha256): EditionRow<'_>,
    ) -> StoreResult<bool> {
        if old == Some(sha256) {
            return Ok(false);
        }
        self.tx
            .prepare_cached(
                "INSERT INTO editions(code, title, content_toml, content_sha256, builtin, updated_at)
                 VALUES (?1, ?2, ?3, ?4, 0, strftime('%Y-%m-%dT%H:%M:%SZ','now'))
                 ON CONFLICT(code) DO UPDATE SET title = excluded.title, content_toml = excluded.content_toml,
                   content_sha256 = excluded.content_sha256, builtin = 0, updated_at = excluded.updated_at",
            )?
            .execute(params![code, title, toml, sha256])?;
        self.audit("bo_tieu_chi", code, "nhan_tu_co_quan", old, Some(sha256))?;
        Ok(true)
    }
}
