//! Editions received from the compiling office in a signed pack: the office's key is
//! checked (and, when the user confirmed its fingerprint, enrolled) in the same
//! transaction that stores the edition, so a refused pack changes nothing.

use super::{SignerCheck, StoreResult, Workspace};
use rusqlite::params;

impl Workspace {
    /// Stores an edition signed by the compiling office. Returns true when anything
    /// changed.
    pub fn put_edition_from_office(
        &mut self,
        signer: &SignerCheck,
        (code, title, toml, sha256): (&str, &str, &str, &str),
    ) -> StoreResult<bool> {
        let old = self.edition(code)?;
        let same = old.as_ref().is_some_and(|o| o.content_sha256 == sha256);
        self.with_office_signer(signer, |w| {
            if same {
                return Ok(false);
            }
            w.tx.prepare_cached(
                "INSERT INTO editions(code, title, content_toml, content_sha256, builtin, updated_at)
                 VALUES (?1, ?2, ?3, ?4, 0, strftime('%Y-%m-%dT%H:%M:%SZ','now'))
                 ON CONFLICT(code) DO UPDATE SET title = excluded.title, content_toml = excluded.content_toml,
                   content_sha256 = excluded.content_sha256, builtin = 0, updated_at = excluded.updated_at",
            )?
            .execute(params![code, title, toml, sha256])?;
            w.audit(
                "bo_tieu_chi",
                code,
                "nhan_tu_co_quan",
                old.as_ref().map(|o| o.content_sha256.as_str()),
                Some(sha256),
            )?;
            Ok(true)
        })
    }
}
