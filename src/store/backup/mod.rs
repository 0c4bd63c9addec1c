//! Backups beside a workspace, in `<file>.sao-luu/`, at a cost that does not grow with
//! the evidence.
//!
//! Layout of the backup folder:
//! - `minh-chung/<sha256>`: every evidence file, stored once across all backups (content
//!   addressed). A file added alone is copied there as it enters the workspace; a batch
//!   of files is copied after it is stored (by the window's background thread, or by the
//!   next snapshot, which copies whatever the store lacks), so a batch writes each byte
//!   only once before the user is told. A snapshot copies only files not there yet.
//! - `sao-luu-<change sequence>-<pid>-<nanos>.sqlite`: a snapshot of every table, with
//!   the evidence bytes left out (`blobs.data` is empty) and the previews (a cache that is
//!   rebuilt) left out. The change sequence is the workspace's own counter
//!   (`workspace_meta.change_seq`, bumped by every write transaction): it decides whether
//!   a new snapshot is needed and which snapshots are newest. Names carry the process id
//!   and a clock reading only to be unique; the clock orders nothing.
//! - `.tam-…`: files being written. A snapshot or an evidence file is written under a
//!   temporary name, flushed to disk, verified and only then renamed to its final name,
//!   so a crash or a full disk leaves only a temporary file, removed at the next backup.
//! - `.khoa`: a lock file. Taking a snapshot, rotating and collecting unused evidence
//!   files hold it exclusively; copying one evidence file in holds it shared.
//!
//! Restoring copies a snapshot to a temporary file beside the destination, puts every
//! evidence file back (each checked against its hash), checks the result and renames it.
//! Backups are only ever read: listing and restoring never modify them.

mod files;
mod restore;
mod take;

pub(in crate::store) use files::mirror_blob;
pub use restore::{list, restore};
pub(in crate::store) use take::{fill_store, take};

use super::StoreError;
use rusqlite::{Connection, OptionalExtension};
use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

/// How many snapshots to keep beside a workspace.
pub const BACKUPS_KEPT: usize = 5;

const SNAPSHOT_PREFIX: &str = "sao-luu-";
const SNAPSHOT_EXT: &str = ".sqlite";
const TEMP_PREFIX: &str = ".tam-";
const BLOB_DIR: &str = "minh-chung";
const LOCK_FILE: &str = ".khoa";

/// One snapshot in the backup folder, as listed for a user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BackupInfo {
    /// The snapshot file.
    pub path: PathBuf,
    /// The workspace's change sequence when it was taken.
    pub change_seq: i64,
    /// When the file was written, local time `dd/mm/yyyy HH:MM` (shown only; never used
    /// to order backups).
    pub taken_at: String,
    /// Size of the snapshot file (the tables), in bytes.
    pub table_bytes: u64,
    /// How many evidence files it holds.
    pub evidence_files: u64,
    /// Their total size, in bytes.
    pub evidence_bytes: u64,
}

/// What a restore produced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Restored {
    /// The new workspace file.
    pub path: PathBuf,
    /// The evidence files put back.
    pub evidence_files: u64,
}

/// The backup folder of a workspace: `<file>.sao-luu` beside it.
pub fn backup_dir_for(workspace: &Path) -> PathBuf {
    let name = workspace
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    workspace.with_file_name(format!("{name}.sao-luu"))
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> StoreError + '_ {
    move |source| StoreError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// A name nobody else uses: process id, clock reading and a counter of this process.
fn unique_suffix() -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    format!("{}-{nanos:x}-{n}", std::process::id())
}

/// The change sequence in a snapshot's file name, if the name is one of ours.
fn snapshot_seq(name: &str) -> Option<i64> {
    let rest = name
        .strip_prefix(SNAPSHOT_PREFIX)?
        .strip_suffix(SNAPSHOT_EXT)?;
    let (seq, _) = rest.split_once('-')?;
    if seq.len() != 16 || !seq.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    seq.parse().ok()
}

/// True for a file name written by the backup of an older version of the program
/// (`YYYYMMDD-HHMMSS-aNNNNNNNNNNNN.sqlite`, a full copy of the workspace).
fn is_legacy_backup(name: &str) -> bool {
    let b = name.as_bytes();
    name.len() == 36
        && name.ends_with(SNAPSHOT_EXT)
        && b.iter().take(8).all(u8::is_ascii_digit)
        && b.get(8) == Some(&b'-')
        && b.iter().skip(9).take(6).all(u8::is_ascii_digit)
        && name.get(15..17) == Some("-a")
}

fn is_hex64(s: &str) -> bool {
    s.len() == 64
        && s.bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// A cheap check that a file is a whole SQLite database: the magic, and a length equal
/// to the page count times the page size written in its header. A 0-byte or truncated
/// file fails it.
fn looks_complete(path: &Path) -> bool {
    let Ok(mut f) = File::open(path) else {
        return false;
    };
    let mut header = [0u8; 100];
    if f.read_exact(&mut header).is_err() || !header.starts_with(b"SQLite format 3\0") {
        return false;
    }
    let page_size = match u16::from_be_bytes([header[16], header[17]]) {
        1 => 65_536u64,
        n => u64::from(n),
    };
    let pages = u64::from(u32::from_be_bytes([
        header[28], header[29], header[30], header[31],
    ]));
    let len = f.metadata().map(|m| m.len()).unwrap_or(0);
    page_size >= 512 && pages > 0 && len == pages * page_size
}

/// The snapshots present that look whole, ordered by change sequence (oldest first).
pub fn snapshots(dir: &Path) -> Vec<(i64, PathBuf)> {
    let mut out: Vec<(i64, PathBuf)> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(|e| e.ok())
                .filter_map(|e| {
                    let name = e.file_name().to_string_lossy().to_string();
                    snapshot_seq(&name).map(|seq| (seq, e.path()))
                })
                .filter(|(_, p)| looks_complete(p))
                .collect()
        })
        .unwrap_or_default();
    out.sort();
    out
}

/// True for a snapshot inside a backup folder: it lacks the evidence bytes and must not
/// be opened as a workspace (opening would change it); it is restored instead.
pub fn is_snapshot_path(path: &Path) -> bool {
    let in_backup_dir = path
        .parent()
        .and_then(Path::file_name)
        .is_some_and(|d| d.to_string_lossy().ends_with(".sao-luu"));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    in_backup_dir && (snapshot_seq(&name).is_some() || name.starts_with(TEMP_PREFIX))
}

/// Every file that belongs to the backups of a workspace (snapshots, evidence files,
/// backups of older versions), so that nothing is ever written over one of them.
pub fn backup_files(workspace: &Path) -> Vec<PathBuf> {
    let dir = backup_dir_for(workspace);
    let list = |d: &Path| -> Vec<PathBuf> {
        std::fs::read_dir(d)
            .map(|rd| {
                rd.filter_map(|e| e.ok().map(|e| e.path()))
                    .filter(|p| p.is_file())
                    .collect()
            })
            .unwrap_or_default()
    };
    let mut files = list(&dir);
    files.extend(list(&dir.join(BLOB_DIR)));
    files.sort();
    files
}

/// The workspace's change sequence (0 before the counter exists).
pub(super) fn change_seq(conn: &Connection, schema: &str) -> rusqlite::Result<i64> {
    let has_meta: bool = conn.query_row(
        &format!("SELECT count(*) > 0 FROM {schema}.sqlite_master WHERE name = 'workspace_meta'"),
        [],
        |r| r.get(0),
    )?;
    if !has_meta {
        return Ok(0);
    }
    Ok(conn
        .query_row(
            &format!(
                "SELECT CAST(value AS INTEGER) FROM {schema}.workspace_meta WHERE key = 'change_seq'"
            ),
            [],
            |r| r.get::<_, i64>(0),
        )
        .optional()?
        .unwrap_or(0))
}

fn has_table(conn: &Connection, name: &str) -> rusqlite::Result<bool> {
    conn.query_row(
        "SELECT count(*) > 0 FROM sqlite_master WHERE type = 'table' AND name = ?1",
        [name],
        |r| r.get(0),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snapshot_names_carry_the_change_sequence() {
        assert_eq!(
            snapshot_seq("sao-luu-0000000000000042-12-abc-0.sqlite"),
            Some(42)
        );
        assert_eq!(snapshot_seq("sao-luu-42-12-abc-0.sqlite"), None);
        assert_eq!(snapshot_seq(".tam-12-abc-0.sqlite"), None);
        assert_eq!(snapshot_seq("20260101-120000-a000000000042.sqlite"), None);
        assert!(is_legacy_backup("20260101-120000-a000000000042.sqlite"));
        assert!(!is_legacy_backup(
            "sao-luu-0000000000000042-12-abc-0.sqlite"
        ));
    }
}
