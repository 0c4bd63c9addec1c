//! The workspace: one SQLite file that is the whole dossier of one or many communes.
//!
//! [`Workspace`] owns the only `Connection`. Opening is careful: a file that is not a
//! workspace, is damaged or comes from a newer program version is refused *before*
//! anything is written to it; a rolling backup is taken before migrations run; the
//! journal is WAL with `synchronous = FULL`, so a crash or power cut loses nothing that
//! was confirmed. Every change goes through a transaction that also writes the audit log.

mod assessments;
mod bundles;
mod catalog;
mod dossier;
mod evidence;
mod migrations;
mod previews;
mod reviews;
mod units;

pub use assessments::*;
pub use bundles::*;
pub use catalog::*;
pub use evidence::*;
pub use previews::*;
pub use reviews::*;
pub use units::*;

use crate::domain::ids::{AssessmentId, EvidenceId, UnitId};
use rusqlite::types::{FromSql, FromSqlResult, ToSqlOutput, ValueRef};
use rusqlite::{Connection, OpenFlags, ToSql, Transaction, params};
use std::path::{Path, PathBuf};

/// Written into the SQLite header (`PRAGMA application_id`): "NTMD".
pub const APPLICATION_ID: i32 = 0x4E54_4D44;
/// How many backups to keep beside a workspace.
pub const BACKUPS_KEPT: usize = 5;

/// What can go wrong in the store.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The file is not a workspace of this program.
    #[error("tệp không phải là tệp dữ liệu Hồ sơ NTM: {0}")]
    NotWorkspace(PathBuf),
    /// The file was written by a newer version.
    #[error(
        "tệp được tạo bởi phiên bản mới hơn (lược đồ {found}, phiên bản này hỗ trợ đến {supported}): {path}"
    )]
    NewerVersion {
        /// The file.
        path: PathBuf,
        /// Its schema version.
        found: i64,
        /// The newest this program knows.
        supported: i64,
    },
    /// The file is damaged.
    #[error("tệp bị hỏng hoặc không đọc được ({detail}): {path}")]
    Damaged {
        /// The file.
        path: PathBuf,
        /// SQLite's message.
        detail: String,
    },
    /// Something looked up does not exist.
    #[error("không tìm thấy {0}")]
    NotFound(String),
    /// A file-system error.
    #[error("lỗi đọc/ghi tệp {path}: {source}")]
    Io {
        /// The path.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// Data refused by a rule of the store (e.g. a bundle round already imported).
    #[error("{0}")]
    Invalid(String),
    /// Any other SQLite error.
    #[error("lỗi cơ sở dữ liệu: {0}")]
    Sqlite(#[from] rusqlite::Error),
}

/// Result type of the store.
pub type StoreResult<T> = Result<T, StoreError>;

/// An open workspace.
pub struct Workspace {
    conn: Connection,
    path: PathBuf,
    user: String,
}

impl Workspace {
    /// Opens (or creates) a workspace file. `user` is recorded in the audit log.
    pub fn open(path: &Path, user: &str) -> StoreResult<Self> {
        let existing = std::fs::metadata(path)
            .map(|m| m.len() > 0)
            .unwrap_or(false);
        if existing {
            inspect_existing(path)?;
        }
        let conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE,
        )
        .map_err(|e| damaged(path, e))?;
        conn.pragma_update(None, "journal_mode", "WAL")
            .map_err(|e| damaged(path, e))?;
        conn.pragma_update(None, "synchronous", "FULL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        let mut ws = Self {
            conn,
            path: path.to_path_buf(),
            user: user.to_string(),
        };
        if existing {
            ws.rolling_backup()?;
        }
        migrations::migrate(&mut ws.conn)?;
        Ok(ws)
    }

    /// Opens a second connection to a workspace that is already open (for background
    /// work): no backup, no migration; the schema must be current.
    pub fn open_secondary(path: &Path, user: &str) -> StoreResult<Self> {
        inspect_existing(path)?;
        let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_WRITE)
            .map_err(|e| damaged(path, e))?;
        conn.pragma_update(None, "synchronous", "FULL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        conn.busy_timeout(std::time::Duration::from_secs(30))?;
        let version: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
        if version != migrations::LATEST {
            return Err(StoreError::Damaged {
                path: path.to_path_buf(),
                detail: format!("lược đồ {version} chưa được nâng cấp"),
            });
        }
        Ok(Self {
            conn,
            path: path.to_path_buf(),
            user: user.to_string(),
        })
    }

    /// The workspace file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The user recorded in the audit log.
    pub fn user(&self) -> &str {
        &self.user
    }

    /// Where backups of this workspace are kept.
    pub fn backup_dir(&self) -> PathBuf {
        let name = self
            .path
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_default();
        self.path.with_file_name(format!("{name}.sao-luu"))
    }

    /// The backups present, oldest first.
    pub fn backups(&self) -> Vec<PathBuf> {
        let mut files: Vec<PathBuf> = std::fs::read_dir(self.backup_dir())
            .map(|rd| {
                rd.filter_map(|e| e.ok().map(|e| e.path()))
                    .filter(|p| p.extension().is_some_and(|x| x == "sqlite"))
                    .collect()
            })
            .unwrap_or_default();
        files.sort();
        files
    }

    /// Copies the workspace into its backup folder unless the newest backup already holds
    /// the same state (same last audit entry), and keeps only the last [`BACKUPS_KEPT`].
    fn rolling_backup(&mut self) -> StoreResult<()> {
        let has_audit: bool = self.conn.query_row(
            "SELECT count(*) FROM sqlite_master WHERE name = 'audit_log'",
            [],
            |r| r.get::<_, i64>(0),
        )? > 0;
        let last_audit: i64 = if has_audit {
            self.conn
                .query_row("SELECT coalesce(max(id), 0) FROM audit_log", [], |r| {
                    r.get(0)
                })?
        } else {
            0
        };
        let suffix = format!("-a{last_audit:012}.sqlite");
        if self
            .backups()
            .last()
            .is_some_and(|p| p.to_string_lossy().ends_with(&suffix))
        {
            return Ok(());
        }
        let dir = self.backup_dir();
        std::fs::create_dir_all(&dir).map_err(|source| StoreError::Io {
            path: dir.clone(),
            source,
        })?;
        let stamp: String =
            self.conn
                .query_row("SELECT strftime('%Y%m%d-%H%M%S', 'now')", [], |r| r.get(0))?;
        let target = dir.join(format!("{stamp}{suffix}"));
        if !target.exists() {
            self.conn
                .execute("VACUUM INTO ?1", params![target.to_string_lossy()])?;
        }
        let backups = self.backups();
        for old in backups
            .iter()
            .take(backups.len().saturating_sub(BACKUPS_KEPT))
        {
            let _ = std::fs::remove_file(old);
        }
        Ok(())
    }

    /// Runs `f` in one transaction; it commits only if `f` succeeds.
    pub(crate) fn write<T>(
        &mut self,
        f: impl FnOnce(&Writer<'_>) -> StoreResult<T>,
    ) -> StoreResult<T> {
        let tx = self.conn.transaction()?;
        let writer = Writer {
            tx,
            user: &self.user,
        };
        let out = f(&writer)?;
        writer.tx.commit()?;
        Ok(out)
    }

    /// SQLite's integrity check; an empty list means the file is sound.
    pub fn integrity_problems(&self) -> StoreResult<Vec<String>> {
        let mut stmt = self.conn.prepare("PRAGMA integrity_check")?;
        let rows: Vec<String> = stmt
            .query_map([], |r| r.get(0))?
            .collect::<Result<_, _>>()?;
        Ok(rows.into_iter().filter(|r| r != "ok").collect())
    }

    /// The audit log, newest first.
    pub fn audit_log(&self, limit: usize) -> StoreResult<Vec<AuditEntry>> {
        let mut stmt = self.conn.prepare_cached("SELECT at, user_name, entity, entity_id, field, old_value, new_value FROM audit_log ORDER BY id DESC LIMIT ?1")?;
        let rows = stmt.query_map([limit as i64], |r| {
            Ok(AuditEntry {
                at: r.get(0)?,
                user: r.get(1)?,
                entity: r.get(2)?,
                entity_id: r.get(3)?,
                field: r.get(4)?,
                old_value: r.get(5)?,
                new_value: r.get(6)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}

/// One audit-log entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEntry {
    /// When (UTC, ISO).
    pub at: String,
    /// Who.
    pub user: String,
    /// What kind of thing.
    pub entity: String,
    /// Which one.
    pub entity_id: String,
    /// Which field.
    pub field: String,
    /// Old value.
    pub old_value: Option<String>,
    /// New value.
    pub new_value: Option<String>,
}

/// A transaction plus the user, handed to write closures.
pub(crate) struct Writer<'a> {
    tx: Transaction<'a>,
    user: &'a str,
}

impl Writer<'_> {
    /// Records a change in the audit log (only when the value actually changed).
    fn audit(
        &self,
        entity: &str,
        entity_id: &str,
        field: &str,
        old: Option<&str>,
        new: Option<&str>,
    ) -> StoreResult<()> {
        if old == new {
            return Ok(());
        }
        self.tx
            .prepare_cached("INSERT INTO audit_log(at, user_name, entity, entity_id, field, old_value, new_value) VALUES (strftime('%Y-%m-%dT%H:%M:%SZ','now'), ?1, ?2, ?3, ?4, ?5, ?6)")?
            .execute(params![self.user, entity, entity_id, field, old, new])?;
        Ok(())
    }
}

fn damaged(path: &Path, e: rusqlite::Error) -> StoreError {
    StoreError::Damaged {
        path: path.to_path_buf(),
        detail: e.to_string(),
    }
}

/// Checks an existing file read-only: the SQLite magic, our application id and a schema
/// version this program understands. Nothing is written.
fn inspect_existing(path: &Path) -> StoreResult<()> {
    use std::io::Read;
    let mut header = [0u8; 16];
    let mut file = std::fs::File::open(path).map_err(|source| StoreError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    if file.read_exact(&mut header).is_err() || &header != b"SQLite format 3\0" {
        return Err(StoreError::NotWorkspace(path.to_path_buf()));
    }
    let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY)
        .map_err(|e| damaged(path, e))?;
    let app_id: i32 = conn
        .pragma_query_value(None, "application_id", |r| r.get(0))
        .map_err(|e| damaged(path, e))?;
    let version: i64 = conn
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .map_err(|e| damaged(path, e))?;
    let tables: i64 = conn
        .query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get(0))
        .map_err(|e| damaged(path, e))?;
    if app_id != APPLICATION_ID && !(app_id == 0 && tables == 0) {
        return Err(StoreError::NotWorkspace(path.to_path_buf()));
    }
    if version > migrations::LATEST {
        return Err(StoreError::NewerVersion {
            path: path.to_path_buf(),
            found: version,
            supported: migrations::LATEST,
        });
    }
    Ok(())
}

macro_rules! sql_id {
    ($($t:ty),+) => {$(
        impl ToSql for $t {
            fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
                Ok(ToSqlOutput::from(self.0))
            }
        }
        impl FromSql for $t {
            fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
                i64::column_result(value).map(Self)
            }
        }
    )+};
}
sql_id!(UnitId, AssessmentId, EvidenceId);
