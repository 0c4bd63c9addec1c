//! The editions held by a workspace: the built-in ones and provinces' imports, stored as
//! canonical TOML with its SHA-256.

use super::types::column;
use super::{StoreResult, Workspace};
use crate::domain::catalog::EditionCode;
use rusqlite::{OptionalExtension, Row, params};

/// An edition as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EditionRecord {
    /// Code.
    pub code: EditionCode,
    /// Title.
    pub title: String,
    /// Canonical TOML.
    pub content_toml: String,
    /// SHA-256 of the TOML, hex.
    pub content_sha256: String,
    /// Shipped with the program (not imported).
    pub builtin: bool,
    /// Last change, UTC ISO.
    pub updated_at: String,
}

const EDITION_COLUMNS: &str =
    "code, title, content_toml, content_sha256, builtin, updated_at, rowid";

/// One row selected with [`EDITION_COLUMNS`]; a code that is not an edition code is an
/// error naming the row.
fn edition_from_row(r: &Row<'_>) -> rusqlite::Result<EditionRecord> {
    let row: i64 = r.get(6)?;
    Ok(EditionRecord {
        code: column(r, 0, "editions", row, "code")?,
        title: r.get(1)?,
        content_toml: r.get(2)?,
        content_sha256: r.get(3)?,
        builtin: r.get(4)?,
        updated_at: r.get(5)?,
    })
}

impl Workspace {
    /// Every edition, by code.
    pub fn editions(&self) -> StoreResult<Vec<EditionRecord>> {
        let sql = format!("SELECT {EDITION_COLUMNS} FROM editions ORDER BY code");
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map([], edition_from_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// One edition.
    pub fn edition(&self, code: &str) -> StoreResult<Option<EditionRecord>> {
        let sql = format!("SELECT {EDITION_COLUMNS} FROM editions WHERE code = ?1");
        Ok(self
            .conn
            .prepare_cached(&sql)?
            .query_row([code], edition_from_row)
            .optional()?)
    }

    /// Inserts or replaces an edition. Returns true when it changed anything.
    /// Existing assessments keep their own pinned copy and are not affected.
    pub fn put_edition(
        &mut self,
        code: &str,
        title: &str,
        toml: &str,
        sha256: &str,
        builtin: bool,
    ) -> StoreResult<bool> {
        let old = self.edition(code)?;
        if old.as_ref().is_some_and(|o| o.content_sha256 == sha256) {
            return Ok(false);
        }
        self.write(|w| {
            w.tx.prepare_cached(
                "INSERT INTO editions(code, title, content_toml, content_sha256, builtin, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, strftime('%Y-%m-%dT%H:%M:%SZ','now'))
                 ON CONFLICT(code) DO UPDATE SET title = excluded.title, content_toml = excluded.content_toml,
                   content_sha256 = excluded.content_sha256, builtin = excluded.builtin, updated_at = excluded.updated_at",
            )?
            .execute(params![code, title, toml, sha256, builtin])?;
            w.audit("bo_tieu_chi", code, "noi_dung", old.as_ref().map(|o| o.content_sha256.as_str()), Some(sha256))
        })?;
        Ok(true)
    }

    /// Inserts an edition only if no edition has that code (used to seed built-ins
    /// without overwriting a province's edited copy).
    pub fn put_edition_if_absent(
        &mut self,
        code: &str,
        title: &str,
        toml: &str,
        sha256: &str,
    ) -> StoreResult<bool> {
        if self.edition(code)?.is_some() {
            return Ok(false);
        }
        self.put_edition(code, title, toml, sha256, true)
    }
}
