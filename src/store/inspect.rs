//! Looking at an existing file before opening it for writing: is it a workspace, and one
//! this program understands? A workspace left with a hot rollback journal (an evidence
//! batch killed while it wrote, see `evidence::journal`) is first put back as it was.

use super::{APPLICATION_ID, StoreError, StoreResult, busy_or_damaged, migrations};
use rusqlite::{Connection, OpenFlags};
use std::path::Path;

/// How long the look waits for a program writing the file (as a write does).
const BUSY_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(5);

/// Offset of the application id in the SQLite header (big-endian `i32`).
const APPLICATION_ID_OFFSET: usize = 68;

/// Checks an existing file read-only: the SQLite magic, our application id and a schema
/// version this program understands. Nothing is written, except that a workspace (our
/// application id in its header) left with a hot rollback journal is rolled back first,
/// as SQLite would on any write: a read-only connection cannot, and would take the file
/// for damaged.
pub(super) fn inspect_existing(path: &Path) -> StoreResult<()> {
    let header = read_header(path)?;
    if header.get(..16) != Some(b"SQLite format 3\0".as_slice()) {
        return Err(StoreError::NotWorkspace(path.to_path_buf()));
    }
    match check_read_only(path) {
        Err(e) if is_hot_journal(&e) && header_application_id(&header) == Some(APPLICATION_ID) => {
            roll_back_hot_journal(path)?;
            check_read_only(path).map_err(|e| busy_or_damaged(path, e))?
        }
        other => other.map_err(|e| busy_or_damaged(path, e))?,
    }
    .judge(path)
}

/// What the read-only look found.
struct Found {
    app_id: i32,
    version: i64,
    tables: i64,
}

impl Found {
    /// Ours, or an empty SQLite file; and not of a newer schema.
    fn judge(self, path: &Path) -> StoreResult<()> {
        if self.app_id != APPLICATION_ID && !(self.app_id == 0 && self.tables == 0) {
            return Err(StoreError::NotWorkspace(path.to_path_buf()));
        }
        if self.version > migrations::LATEST {
            return Err(StoreError::NewerVersion {
                path: path.to_path_buf(),
                found: self.version,
                supported: migrations::LATEST,
            });
        }
        Ok(())
    }
}

/// The first 100 bytes of the file (fewer if it is shorter).
fn read_header(path: &Path) -> StoreResult<Vec<u8>> {
    use std::io::Read;
    let file = std::fs::File::open(path).map_err(|source| StoreError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    let mut header = Vec::with_capacity(100);
    file.take(100)
        .read_to_end(&mut header)
        .map_err(|source| StoreError::Io {
            path: path.to_path_buf(),
            source,
        })?;
    Ok(header)
}

/// The application id written in a SQLite header.
fn header_application_id(header: &[u8]) -> Option<i32> {
    let bytes = header.get(APPLICATION_ID_OFFSET..APPLICATION_ID_OFFSET + 4)?;
    Some(i32::from_be_bytes(bytes.try_into().ok()?))
}

/// Reads the application id, schema version and table count through a read-only
/// connection.
fn check_read_only(path: &Path) -> rusqlite::Result<Found> {
    let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
    // A batch of evidence writing under a rollback journal holds the file a moment.
    conn.busy_timeout(BUSY_TIMEOUT)?;
    Ok(Found {
        app_id: conn.pragma_query_value(None, "application_id", |r| r.get(0))?,
        version: conn.pragma_query_value(None, "user_version", |r| r.get(0))?,
        tables: conn.query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get(0))?,
    })
}

/// SQLite's refusal to read a file whose hot journal a read-only connection cannot
/// play back (`SQLITE_READONLY_ROLLBACK`).
fn is_hot_journal(e: &rusqlite::Error) -> bool {
    matches!(e, rusqlite::Error::SqliteFailure(f, _)
        if f.extended_code == rusqlite::ffi::SQLITE_READONLY_ROLLBACK)
}

/// Lets SQLite play back a hot journal: the first read of a read-write connection does,
/// under the lock that keeps other programs out while it does.
fn roll_back_hot_journal(path: &Path) -> StoreResult<()> {
    let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_WRITE)
        .map_err(|e| busy_or_damaged(path, e))?;
    conn.busy_timeout(BUSY_TIMEOUT)?;
    conn.query_row("SELECT count(*) FROM sqlite_master", [], |r| {
        r.get::<_, i64>(0)
    })
    .map_err(|e| busy_or_damaged(path, e))?;
    Ok(())
}
