//! Reading backups: listing the snapshots for a user and restoring one into a new
//! workspace file. Backups are only read here.

use super::files::{TempFile, sync_dir, sync_file};
use super::take::verify;
use super::{
    BLOB_DIR, BackupInfo, Restored, TEMP_PREFIX, backup_dir_for, change_seq, has_table, io,
    snapshots, unique_suffix,
};
use crate::store::{StoreError, StoreResult, sha256_hex};
use rusqlite::{Connection, OpenFlags, params};
use std::path::Path;

/// The snapshots of a workspace that can be read, newest first (by change sequence).
/// Each is opened read-only; nothing is changed.
pub fn list(workspace: &Path) -> StoreResult<Vec<BackupInfo>> {
    let mut out = Vec::new();
    for (seq, path) in snapshots(&backup_dir_for(workspace)).into_iter().rev() {
        if let Ok(info) = describe(seq, &path) {
            out.push(info);
        }
    }
    Ok(out)
}

fn describe(seq: i64, path: &Path) -> rusqlite::Result<BackupInfo> {
    let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
    let (files, bytes): (i64, i64) = conn.query_row(
        "SELECT count(*), coalesce(sum(size), 0) FROM blobs",
        [],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    let meta = std::fs::metadata(path).ok();
    let mtime = meta
        .as_ref()
        .and_then(|m| m.modified().ok())
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0);
    let taken_at: String = conn.query_row(
        "SELECT strftime('%d/%m/%Y %H:%M', ?1, 'unixepoch', 'localtime')",
        [mtime],
        |r| r.get(0),
    )?;
    Ok(BackupInfo {
        path: path.to_path_buf(),
        change_seq: seq,
        taken_at,
        table_bytes: meta.map(|m| m.len()).unwrap_or(0),
        evidence_files: files.max(0) as u64,
        evidence_bytes: bytes.max(0) as u64,
    })
}

/// Rebuilds a whole workspace at `to` from a snapshot of `workspace`'s backups: the
/// tables, then every evidence file put back and checked against its hash. Refuses a
/// destination that exists; writes a temporary file beside it and renames it only when
/// whole. The backup is only read.
pub fn restore(workspace: &Path, snapshot: &Path, to: &Path) -> StoreResult<Restored> {
    if to.exists() {
        return Err(StoreError::Invalid(format!(
            "tệp đích đã tồn tại, không ghi đè: {}",
            to.display()
        )));
    }
    let blobs = backup_dir_for(workspace).join(BLOB_DIR);
    let name = to
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    let temp = TempFile(Some(
        to.with_file_name(format!(".{name}{TEMP_PREFIX}{}", unique_suffix())),
    ));
    std::fs::copy(snapshot, temp.path()).map_err(io(snapshot))?;
    let (user_version, hashes) = {
        let mut conn = Connection::open(temp.path())?;
        let user_version: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
        let tx = conn.transaction()?;
        let hashes: Vec<String> = tx
            .prepare("SELECT sha256 FROM blobs ORDER BY sha256")?
            .query_map([], |r| r.get(0))?
            .collect::<Result<_, _>>()?;
        let mut missing = Vec::new();
        for sha in &hashes {
            let bytes = std::fs::read(blobs.join(sha)).ok();
            match bytes {
                Some(b) if sha256_hex(&b) == *sha => {
                    tx.execute(
                        "UPDATE blobs SET data = ?1 WHERE sha256 = ?2",
                        params![b, sha],
                    )?;
                }
                _ => missing.push(sha.clone()),
            }
        }
        if !missing.is_empty() {
            return Err(StoreError::Invalid(format!(
                "bản sao lưu thiếu hoặc hỏng {} tệp minh chứng (mã tệp {})",
                missing.len(),
                missing.join(", ")
            )));
        }
        // Past every change sequence already backed up beside the destination, so
        // that its next backup is never taken for an older one.
        let highest = snapshots(&backup_dir_for(to))
            .last()
            .map(|(s, _)| *s)
            .unwrap_or(0);
        if has_table(&tx, "workspace_meta")? {
            let next = change_seq(&tx, "main")?.max(highest) + 1;
            tx.execute(
                "INSERT INTO workspace_meta(key, value) VALUES ('change_seq', ?1)
                 ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                [next.to_string()],
            )?;
        }
        tx.commit()?;
        (user_version, hashes)
    };
    verify(temp.path(), user_version)?;
    sync_file(temp.path())?;
    if to.exists() {
        return Err(StoreError::Invalid(format!(
            "tệp đích đã tồn tại, không ghi đè: {}",
            to.display()
        )));
    }
    temp.rename_to(to)?;
    if let Some(parent) = to.parent() {
        sync_dir(parent);
    }
    link_blobs(&blobs, &backup_dir_for(to).join(BLOB_DIR), &hashes);
    Ok(Restored {
        path: to.to_path_buf(),
        evidence_files: hashes.len() as u64,
    })
}

/// Gives a restored workspace's own backup store the evidence files it holds, as hard
/// links (stored files are never changed, only added and removed, so sharing them is
/// safe). Where links are not possible nothing is done: its first backup copies them.
fn link_blobs(from: &Path, to: &Path, hashes: &[String]) {
    if hashes.is_empty() || std::fs::create_dir_all(to).is_err() {
        return;
    }
    for sha in hashes {
        let target = to.join(sha);
        if !target.exists() && std::fs::hard_link(from.join(sha), &target).is_err() {
            return;
        }
    }
}
