//! The workspace: one SQLite file that is the whole dossier of one or many communes.
//!
//! [`Workspace`] owns the only `Connection`. Opening is careful: a file that is not a
//! workspace, is damaged or comes from a newer program version is refused *before*
//! anything is written to it; a backup ([`backup`]) is taken before migrations run; the
//! journal is WAL with `synchronous = FULL`, so a crash or power cut loses nothing that
//! was confirmed. Every change goes through a transaction that also writes the audit log.

mod assessments;
pub mod backup;
mod bundles;
mod catalog;
mod dossier;
mod edition_packs;
mod evidence;
mod inspect;
mod keys;
mod migrations;
mod moves;
mod plans;
mod previews;
mod recognitions;
mod reviews;
mod rollup_rows;
mod threshold;
mod types;
mod units;

pub use assessments::*;
pub use backup::{BACKUPS_KEPT, BackupInfo, Restored};
pub use bundles::*;
pub use catalog::*;
pub use dossier::DossierSettings;
pub use evidence::*;
pub use keys::*;
pub use moves::*;
pub use plans::*;
pub use previews::*;
pub use recognitions::*;
pub use reviews::*;
pub use rollup_rows::{LatestAssessments, RollupRows, VerdictValue};
pub use units::*;

use rusqlite::{
    Connection, OpenFlags, OptionalExtension, Transaction, TransactionBehavior, params,
};
use std::path::{Path, PathBuf};

/// Written into the SQLite header (`PRAGMA application_id`): "NTMD".
pub const APPLICATION_ID: i32 = 0x4E54_4D44;

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
    /// Another program holds the write lock longer than the busy timeout.
    #[error("tệp dữ liệu đang được chương trình khác ghi, chờ quá lâu: {0}")]
    Busy(PathBuf),
    /// A stored value that does not read as what its column holds (a code no version
    /// of the program writes): the file was changed by another tool or damaged.
    #[error("dữ liệu không đọc được ở bảng {table}, dòng {row}, cột {field}: «{value}»")]
    Corrupt {
        /// Table.
        table: &'static str,
        /// Row id.
        row: i64,
        /// Column.
        field: &'static str,
        /// The value as stored.
        value: String,
    },
    /// Any other SQLite error.
    #[error("lỗi cơ sở dữ liệu: {0}")]
    Sqlite(rusqlite::Error),
}

impl StoreError {
    /// True when SQLite refused a write because the disk is full.
    pub fn is_disk_full(&self) -> bool {
        matches!(self, StoreError::Sqlite(e) if e.sqlite_error_code() == Some(rusqlite::ErrorCode::DiskFull))
    }

    /// True when SQLite could not open or write a file for lack of permission.
    pub fn is_permission_denied(&self) -> bool {
        use rusqlite::ErrorCode as C;
        matches!(self, StoreError::Sqlite(e) if matches!(e.sqlite_error_code(), Some(C::ReadOnly | C::CannotOpen | C::PermissionDenied)))
    }

    /// True when SQLite's write to disk failed (a full disk or a failing drive).
    pub fn is_write_failure(&self) -> bool {
        matches!(self, StoreError::Sqlite(e) if e.sqlite_error_code() == Some(rusqlite::ErrorCode::SystemIoFailure))
    }
}

/// Builds a workspace file at schema version `n` (0 ..= the newest), with no data, as
/// that version of the program left it: for the tests that open every shipped version.
#[doc(hidden)]
pub fn create_at_version(path: &Path, n: i64) -> StoreResult<()> {
    let mut conn = Connection::open(path).map_err(|e| damaged(path, e))?;
    migrations::migrate_to(&mut conn, n)
}

/// The newest schema version this program knows.
pub const SCHEMA_VERSION: i64 = migrations::LATEST;

/// Result type of the store.
pub type StoreResult<T> = Result<T, StoreError>;

/// The page size of a workspace created by this version, in bytes (SQLite's largest).
pub const NEW_PAGE_SIZE: i64 = 65_536;

/// An open workspace.
pub struct Workspace {
    conn: Connection,
    path: PathBuf,
    user: String,
    /// Why the backup taken when opening failed, until someone asks (once).
    backup_failure: Option<StoreError>,
    /// How long a write waits for another program's lock before giving up.
    busy_timeout: std::time::Duration,
}

impl Workspace {
    /// Opens (or creates) a workspace file. `user` is recorded in the audit log.
    pub fn open(path: &Path, user: &str) -> StoreResult<Self> {
        if backup::is_snapshot_path(path) {
            return Err(StoreError::Invalid(format!(
                "tệp {} là một bản sao lưu (không chứa nội dung minh chứng) nên không mở trực tiếp; hãy khôi phục nó vào một tệp mới bằng «Khôi phục từ bản sao lưu…» hoặc lệnh «backup restore»",
                path.display()
            )));
        }
        let existing = std::fs::metadata(path)
            .map(|m| m.len() > 0)
            .unwrap_or(false);
        if existing {
            inspect::inspect_existing(path)?;
        }
        // No per-call mutex (rusqlite's default): a `Connection` is never shared.
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn = Connection::open_with_flags(path, flags | OpenFlags::SQLITE_OPEN_CREATE)
            .map_err(|e| damaged(path, e))?;
        // Set before anything is read: a batch of evidence writing under a rollback
        // journal holds the file for a moment, which is a wait, not damage.
        let busy_timeout = std::time::Duration::from_secs(5);
        conn.busy_timeout(busy_timeout)?;
        if !existing {
            // A new workspace gets 64 KB pages (only possible before its first table):
            // evidence is most of its bytes, and a photo then takes 36 pages instead of
            // 575, so adding and reading evidence write and read in far fewer calls
            // (issue 12). Existing workspaces keep the pages they have.
            conn.pragma_update(None, "page_size", NEW_PAGE_SIZE)?;
        }
        conn.pragma_update(None, "journal_mode", "WAL")
            .map_err(|e| busy_or_damaged(path, e))?;
        conn.pragma_update(None, "synchronous", "FULL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        let mut ws = Self {
            conn,
            path: path.to_path_buf(),
            user: user.to_string(),
            backup_failure: None,
            busy_timeout,
        };
        // A backup that cannot be made (full disk, read-only backup folder) does not keep
        // the user from the workspace: the data is safe in the file itself, and a backup
        // is written under a temporary name, so a failure leaves the older ones as they
        // were. The reason is kept for the caller to tell (see `take_backup_failure`).
        if existing {
            ws.backup_failure = backup::take(&ws.conn, &ws.path).err();
        }
        migrations::migrate(&mut ws.conn)?;
        Ok(ws)
    }

    /// Opens a second connection to a workspace that is already open (for background
    /// work): no backup, no migration; the schema must be current.
    pub fn open_secondary(path: &Path, user: &str) -> StoreResult<Self> {
        inspect::inspect_existing(path)?;
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn = Connection::open_with_flags(path, flags).map_err(|e| damaged(path, e))?;
        conn.pragma_update(None, "synchronous", "FULL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        let busy_timeout = std::time::Duration::from_secs(30);
        conn.busy_timeout(busy_timeout)?;
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
            backup_failure: None,
            busy_timeout,
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

    /// Why the backup taken when this workspace was opened could not be made, if it
    /// failed; given once (a second call returns `None`), so the user is told once.
    pub fn take_backup_failure(&mut self) -> Option<StoreError> {
        self.backup_failure.take()
    }

    /// Where backups of this workspace are kept.
    pub fn backup_dir(&self) -> PathBuf {
        backup::backup_dir_for(&self.path)
    }

    /// The snapshots present (see [`backup`]), oldest first by change sequence.
    pub fn backups(&self) -> Vec<PathBuf> {
        backup::snapshots(&self.backup_dir())
            .into_iter()
            .map(|(_, p)| p)
            .collect()
    }

    /// Every file of this workspace's backups: snapshots, evidence files and backups of
    /// older versions. Nothing may be written over any of them.
    pub fn backup_files(&self) -> Vec<PathBuf> {
        backup::backup_files(&self.path)
    }

    /// This workspace's change sequence: bumped by every write transaction, it orders
    /// backups and tells whether a new one is needed.
    pub fn change_seq(&self) -> StoreResult<i64> {
        Ok(backup::change_seq(&self.conn, "main")?)
    }

    /// Copies an evidence file into the backup store as it enters the workspace. A
    /// failure is not an error for the user: the file is in the workspace, and the next
    /// backup copies whatever its store lacks.
    pub(crate) fn mirror_blob(&self, sha: &str, bytes: &[u8]) {
        let _ = backup::mirror_blob(&self.path, sha, bytes);
    }

    /// Runs `f` in one transaction; it commits only if `f` succeeds. The write lock is
    /// taken up front (`BEGIN IMMEDIATE`), waiting within the busy timeout, so a write
    /// never fails halfway because another program started writing; if anything changed,
    /// the change sequence is bumped in the same transaction.
    pub(crate) fn write<T>(
        &mut self,
        f: impl FnOnce(&Writer<'_>) -> StoreResult<T>,
    ) -> StoreResult<T> {
        let path = &self.path;
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(|e| lock_error(path, e))?;
        let writer = Writer {
            tx,
            user: &self.user,
        };
        let changes_before = writer.tx.total_changes();
        let out = f(&writer).map_err(|e| match e {
            StoreError::Sqlite(e) => lock_error(path, e),
            other => other,
        })?;
        if writer.tx.total_changes() != changes_before {
            writer.tx.execute(
                "INSERT INTO workspace_meta(key, value) VALUES ('change_seq', '1')
                 ON CONFLICT(key) DO UPDATE SET value = CAST(value AS INTEGER) + 1",
                [],
            )?;
        }
        writer.tx.commit().map_err(|e| lock_error(path, e))?;
        Ok(out)
    }

    /// This workspace's id if it has one already (given when it first sends a bundle);
    /// unlike `workspace_id`, never writes.
    pub fn stored_workspace_id(&self) -> StoreResult<Option<String>> {
        use rusqlite::OptionalExtension;
        Ok(self
            .conn
            .query_row(
                "SELECT value FROM workspace_meta WHERE key = 'id'",
                [],
                |r| r.get(0),
            )
            .optional()?)
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

impl Workspace {
    /// The audit-log entries of one entity (e.g. `chi_tieu`, `5/3.1`) with their ids,
    /// newest first.
    pub fn audit_of(&self, entity: &str, entity_id: &str) -> StoreResult<Vec<AuditRecord>> {
        let mut stmt = self.conn.prepare_cached("SELECT id, at, user_name, entity, entity_id, field, old_value, new_value FROM audit_log WHERE entity = ?1 AND entity_id = ?2 ORDER BY id DESC")?;
        let rows = stmt.query_map(params![entity, entity_id], |r| {
            Ok(AuditRecord {
                id: r.get(0)?,
                entry: AuditEntry {
                    at: r.get(1)?,
                    user: r.get(2)?,
                    entity: r.get(3)?,
                    entity_id: r.get(4)?,
                    field: r.get(5)?,
                    old_value: r.get(6)?,
                    new_value: r.get(7)?,
                },
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// One audit-log entry by its id.
    pub fn audit_entry(&self, id: i64) -> StoreResult<Option<AuditEntry>> {
        Ok(self
            .conn
            .prepare_cached("SELECT at, user_name, entity, entity_id, field, old_value, new_value FROM audit_log WHERE id = ?1")?
            .query_row([id], |r| {
                Ok(AuditEntry {
                    at: r.get(0)?,
                    user: r.get(1)?,
                    entity: r.get(2)?,
                    entity_id: r.get(3)?,
                    field: r.get(4)?,
                    old_value: r.get(5)?,
                    new_value: r.get(6)?,
                })
            })
            .optional()?)
    }
}

/// One audit-log entry with its id (what [`Workspace::audit_entry`] reads it back by).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditRecord {
    /// The entry's id in the log.
    pub id: i64,
    /// The entry.
    pub entry: AuditEntry,
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

/// A busy or locked database becomes [`StoreError::Busy`]; any other error stays as is.
fn lock_error(path: &Path, e: rusqlite::Error) -> StoreError {
    match e.sqlite_error_code() {
        Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked) => {
            StoreError::Busy(path.to_path_buf())
        }
        _ => StoreError::Sqlite(e),
    }
}

/// A lock held past the busy timeout is [`StoreError::Busy`]; anything else is damage.
fn busy_or_damaged(path: &Path, e: rusqlite::Error) -> StoreError {
    match lock_error(path, e) {
        StoreError::Sqlite(e) => damaged(path, e),
        busy => busy,
    }
}

fn damaged(path: &Path, e: rusqlite::Error) -> StoreError {
    StoreError::Damaged {
        path: path.to_path_buf(),
        detail: e.to_string(),
    }
}
