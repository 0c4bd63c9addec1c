//! Taking a snapshot: the tables without the evidence bytes, verified, renamed into
//! place; then rotation by change sequence and removal of evidence files no snapshot needs.

use super::files::{FolderLock, TempFile, sync_dir, sync_file};
use super::{
    BACKUPS_KEPT, BLOB_DIR, SNAPSHOT_EXT, SNAPSHOT_PREFIX, TEMP_PREFIX, backup_dir_for, change_seq,
    io, is_hex64, is_legacy_backup, looks_complete, snapshot_seq, snapshots, unique_suffix,
};
use crate::store::{APPLICATION_ID, StoreError, StoreResult, sha256_hex};
use rusqlite::{Connection, OpenFlags, OptionalExtension};
use std::collections::BTreeSet;
use std::path::Path;

/// Takes a snapshot of the workspace at `workspace` unless one of the same change
/// sequence exists; then keeps the newest [`BACKUPS_KEPT`] and removes evidence files
/// no kept snapshot needs. `conn` is the caller's connection to the workspace.
pub(in crate::store) fn take(conn: &Connection, workspace: &Path) -> StoreResult<()> {
    let tables: i64 = conn.query_row(
        "SELECT count(*) FROM sqlite_master WHERE type = 'table'",
        [],
        |r| r.get(0),
    )?;
    if tables == 0 {
        return Ok(());
    }
    let seq = change_seq(conn, "main")?;
    let dir = backup_dir_for(workspace);
    std::fs::create_dir_all(dir.join(BLOB_DIR)).map_err(io(&dir))?;
    let Some(_lock) = FolderLock::take(&dir, true)? else {
        return Ok(());
    };
    clean_leftovers(&dir);
    if snapshots(&dir).iter().any(|(s, _)| *s == seq) {
        return Ok(());
    }
    let temp = TempFile(Some(
        dir.join(format!("{TEMP_PREFIX}{}{SNAPSHOT_EXT}", unique_suffix())),
    ));
    let facts = write_snapshot(workspace, temp.path())?;
    verify(temp.path(), facts.user_version)?;
    copy_missing(conn, &dir, &facts.blobs)?;
    sync_file(temp.path())?;
    let target = dir.join(format!(
        "{SNAPSHOT_PREFIX}{:016}-{}{SNAPSHOT_EXT}",
        facts.seq.max(0),
        unique_suffix()
    ));
    temp.rename_to(&target)?;
    sync_dir(&dir);
    rotate(&dir, &target);
    collect_blobs(&dir);
    Ok(())
}

/// Removes what an interrupted backup left: temporary files, and files under a
/// snapshot's name that are not whole (written by an older version that copied in place).
fn clean_leftovers(dir: &Path) {
    for d in [dir.to_path_buf(), dir.join(BLOB_DIR)] {
        let Ok(rd) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in rd.filter_map(|e| e.ok()) {
            let name = e.file_name().to_string_lossy().to_string();
            let stale = name.starts_with(TEMP_PREFIX)
                || (snapshot_seq(&name).is_some() && !looks_complete(&e.path()));
            if stale {
                let _ = std::fs::remove_file(e.path());
            }
        }
    }
}

struct SnapshotFacts {
    seq: i64,
    user_version: i64,
    blobs: Vec<(String, i64)>,
}

/// Copies every table of the workspace into a new file, in one read transaction, without
/// the evidence bytes (only the hash and size of each file are read, so the cost does not
/// depend on the evidence) and without the previews.
fn write_snapshot(workspace: &Path, temp: &Path) -> StoreResult<SnapshotFacts> {
    let conn = Connection::open(temp)?;
    conn.busy_timeout(std::time::Duration::from_secs(5))?;
    conn.execute_batch("PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;")?;
    conn.execute(
        "ATTACH DATABASE ?1 AS src",
        [workspace.to_string_lossy().as_ref()],
    )?;
    conn.execute_batch("BEGIN")?;
    let user_version: i64 = conn.query_row("PRAGMA src.user_version", [], |r| r.get(0))?;
    let seq = change_seq(&conn, "src")?;
    let objects: Vec<(String, String, String)> = conn
        .prepare(
            "SELECT type, name, sql FROM src.sqlite_master WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%' ORDER BY type <> 'table', rowid",
        )?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<Result<_, _>>()?;
    for (_, _, sql) in &objects {
        conn.execute_batch(sql)?;
    }
    for (kind, name, _) in &objects {
        if kind != "table" {
            continue;
        }
        let quoted = format!("\"{}\"", name.replace('"', "\"\""));
        let sql = match name.as_str() {
            "blobs" => {
                "INSERT INTO main.blobs(sha256, size, data) SELECT sha256, size, X'' FROM src.blobs"
                    .to_string()
            }
            "previews" => continue,
            _ => format!("INSERT INTO main.{quoted} SELECT * FROM src.{quoted}"),
        };
        conn.execute_batch(&sql)?;
    }
    let blobs: Vec<(String, i64)> = if objects.iter().any(|(_, n, _)| n == "blobs") {
        conn.prepare("SELECT sha256, size FROM main.blobs")?
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<Result<_, _>>()?
    } else {
        Vec::new()
    };
    conn.execute_batch("COMMIT")?;
    conn.execute_batch("DETACH DATABASE src")?;
    conn.pragma_update(None, "application_id", APPLICATION_ID)?;
    conn.pragma_update(None, "user_version", user_version)?;
    drop(conn);
    Ok(SnapshotFacts {
        seq,
        user_version,
        blobs,
    })
}

/// Checks a written snapshot or restored file: SQLite's integrity check, our
/// application id and the expected schema version.
pub(super) fn verify(path: &Path, user_version: i64) -> StoreResult<()> {
    let damaged = |detail: String| StoreError::Damaged {
        path: path.to_path_buf(),
        detail,
    };
    let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY)
        .map_err(|e| damaged(e.to_string()))?;
    let rows: Vec<String> = conn
        .prepare("PRAGMA integrity_check")?
        .query_map([], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    if rows != ["ok"] {
        return Err(damaged(rows.join("; ")));
    }
    let app_id: i32 = conn.pragma_query_value(None, "application_id", |r| r.get(0))?;
    let version: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    if app_id != APPLICATION_ID || version != user_version {
        return Err(damaged(format!(
            "mã ứng dụng {app_id}, lược đồ {version} (cần {user_version})"
        )));
    }
    Ok(())
}

/// Copies into the backup store of `workspace` every evidence file it lacks (the files
/// of a batch, copied after the batch was stored); returns how many were copied. Holds
/// the folder's lock shared, as adding one file does; when a snapshot holds it past the
/// wait, nothing is copied here: that snapshot copies what it needs.
pub(in crate::store) fn fill_store(conn: &Connection, workspace: &Path) -> StoreResult<usize> {
    let dir = backup_dir_for(workspace);
    std::fs::create_dir_all(dir.join(BLOB_DIR)).map_err(io(&dir))?;
    let blobs: Vec<(String, i64)> = conn
        .prepare("SELECT sha256, size FROM blobs")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<Result<_, _>>()?;
    let Some(_lock) = FolderLock::take(&dir, false)? else {
        return Ok(0);
    };
    copy_missing(conn, &dir, &blobs)
}

/// Copies into the store of `dir` the evidence files of `blobs` (hash, size) it lacks
/// (files of a batch, or of a workspace made by an older version), reading each from the
/// workspace: each is written under a temporary name, then all are flushed in one pass,
/// renamed into place, and the folder flushed once. Bytes that no longer match their hash
/// are not stored: the workspace itself is damaged there. Returns how many were copied.
fn copy_missing(conn: &Connection, dir: &Path, blobs: &[(String, i64)]) -> StoreResult<usize> {
    let store = dir.join(BLOB_DIR);
    let mut written: Vec<(TempFile, std::path::PathBuf)> = Vec::new();
    let mut read = conn.prepare("SELECT data FROM blobs WHERE sha256 = ?1")?;
    for (sha, size) in blobs {
        let target = store.join(sha);
        let there = std::fs::metadata(&target).is_ok_and(|m| m.len() == *size as u64);
        if there || !is_hex64(sha) || written.iter().any(|(_, t)| *t == target) {
            continue;
        }
        let bytes: Option<Vec<u8>> = read.query_row([sha], |r| r.get(0)).optional()?;
        let Some(bytes) = bytes.filter(|b| sha256_hex(b) == *sha) else {
            continue;
        };
        let temp = TempFile(Some(
            store.join(format!("{TEMP_PREFIX}{}", unique_suffix())),
        ));
        std::fs::write(temp.path(), &bytes).map_err(io(temp.path()))?;
        written.push((temp, target));
    }
    for (temp, _) in &written {
        sync_file(temp.path())?;
    }
    let copied = written.len();
    for (temp, target) in written {
        temp.rename_to(&target)?;
    }
    if copied > 0 {
        sync_dir(&store);
    }
    Ok(copied)
}

/// Keeps the [`BACKUPS_KEPT`] snapshots of highest change sequence, and always the one
/// just taken; backups of older versions go once enough new ones exist.
fn rotate(dir: &Path, just_taken: &Path) {
    let all = snapshots(dir);
    let excess = all.len().saturating_sub(BACKUPS_KEPT);
    for (_, path) in all.iter().take(excess) {
        if path != just_taken {
            let _ = std::fs::remove_file(path);
        }
    }
    if all.len() >= BACKUPS_KEPT
        && let Ok(rd) = std::fs::read_dir(dir)
    {
        for e in rd.filter_map(|e| e.ok()) {
            if is_legacy_backup(&e.file_name().to_string_lossy()) {
                let _ = std::fs::remove_file(e.path());
            }
        }
    }
}

fn snapshot_blob_hashes(path: &Path) -> rusqlite::Result<Vec<String>> {
    let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
    let has_blobs: bool = conn.query_row(
        "SELECT count(*) > 0 FROM sqlite_master WHERE name = 'blobs'",
        [],
        |r| r.get(0),
    )?;
    if !has_blobs {
        return Ok(Vec::new());
    }
    conn.prepare("SELECT sha256 FROM blobs")?
        .query_map([], |r| r.get(0))?
        .collect()
}

/// Removes the evidence files no kept snapshot refers to. If a snapshot cannot be read,
/// nothing is removed.
fn collect_blobs(dir: &Path) {
    let mut needed = BTreeSet::new();
    for (_, path) in snapshots(dir) {
        match snapshot_blob_hashes(&path) {
            Ok(hashes) => needed.extend(hashes),
            Err(_) => return,
        }
    }
    let Ok(rd) = std::fs::read_dir(dir.join(BLOB_DIR)) else {
        return;
    };
    for e in rd.filter_map(|e| e.ok()) {
        let name = e.file_name().to_string_lossy().to_string();
        if is_hex64(&name) && !needed.contains(&name) {
            let _ = std::fs::remove_file(e.path());
        }
    }
}
