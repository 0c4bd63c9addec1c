//! Backups beside a workspace, in `<file>.sao-luu/`, at a cost that does not grow with
//! the evidence.
//!
//! Layout of the backup folder:
//! - `minh-chung/<sha256>`: every evidence file, stored once across all backups (content
//!   addressed). A file is copied there when it enters the workspace, so opening a
//!   workspace never copies evidence; a snapshot only checks that its files are there.
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

use super::{APPLICATION_ID, StoreError, StoreResult, sha256_hex};
use rusqlite::{Connection, OpenFlags, OptionalExtension, params};
use std::collections::BTreeSet;
use std::fs::File;
use std::io::{Read, Write};
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

/// Held while the backup folder is being changed; released when dropped.
struct FolderLock(File);

/// How long to wait for another program that is taking a backup of the same workspace.
const LOCK_WAIT: std::time::Duration = std::time::Duration::from_secs(10);

impl FolderLock {
    /// Takes the lock, waiting at most [`LOCK_WAIT`]; `None` if another program still
    /// holds it then (it is taking a backup itself, or hangs: either way, not a reason
    /// to refuse opening the workspace).
    fn take(dir: &Path, exclusive: bool) -> StoreResult<Option<Self>> {
        let path = dir.join(LOCK_FILE);
        let file = File::options()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(io(&path))?;
        let started = std::time::Instant::now();
        loop {
            let attempt = if exclusive {
                file.try_lock()
            } else {
                file.try_lock_shared()
            };
            match attempt {
                Ok(()) => return Ok(Some(Self(file))),
                Err(std::fs::TryLockError::WouldBlock) if started.elapsed() < LOCK_WAIT => {
                    std::thread::sleep(std::time::Duration::from_millis(10));
                }
                Err(std::fs::TryLockError::WouldBlock) => return Ok(None),
                Err(std::fs::TryLockError::Error(e)) => return Err(io(&path)(e)),
            }
        }
    }
}

impl Drop for FolderLock {
    fn drop(&mut self) {
        let _ = self.0.unlock();
    }
}

/// Removes a temporary file unless it was renamed into place.
struct TempFile(Option<PathBuf>);

impl TempFile {
    fn path(&self) -> &Path {
        self.0.as_deref().unwrap_or(Path::new(""))
    }

    /// Renames the file into place; on failure it is still removed when dropped.
    fn rename_to(mut self, target: &Path) -> StoreResult<()> {
        std::fs::rename(self.path(), target).map_err(io(target))?;
        self.0 = None;
        Ok(())
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        if let Some(p) = self.0.take() {
            let _ = std::fs::remove_file(p);
        }
    }
}

/// Flushes a file just written (and closed) to disk. Through a handle opened for writing:
/// Windows flushes only through one (`FlushFileBuffers` on a read-only handle is refused,
/// «Access denied (os error 5)»); the file is ours, so writing is allowed.
fn sync_file(path: &Path) -> StoreResult<()> {
    open_for_sync(path)
        .and_then(|f| f.sync_all())
        .map_err(io(path))
}

/// The handle [`sync_file`] flushes through: open for writing, nothing truncated or created.
fn open_for_sync(path: &Path) -> std::io::Result<File> {
    File::options().write(true).open(path)
}

/// Flushes a folder's entries (a rename) to disk; not possible on every system, and a
/// failure only weakens the crash guarantee, so it is not reported.
fn sync_dir(dir: &Path) {
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
}

/// Writes one evidence file into the store of `dir` unless it is already there.
fn put_blob(dir: &Path, sha: &str, bytes: &[u8]) -> StoreResult<()> {
    let blobs = dir.join(BLOB_DIR);
    let target = blobs.join(sha);
    if std::fs::metadata(&target).is_ok_and(|m| m.len() == bytes.len() as u64) {
        return Ok(());
    }
    let temp = TempFile(Some(
        blobs.join(format!("{TEMP_PREFIX}{}", unique_suffix())),
    ));
    let mut f = File::create(temp.path()).map_err(io(temp.path()))?;
    f.write_all(bytes)
        .and_then(|()| f.sync_all())
        .map_err(io(temp.path()))?;
    drop(f);
    temp.rename_to(&target)?;
    sync_dir(&blobs);
    Ok(())
}

/// Copies one evidence file into the backup store of `workspace` as it enters the
/// workspace, so that no backup ever has to copy it later.
pub(super) fn mirror_blob(workspace: &Path, sha: &str, bytes: &[u8]) -> StoreResult<()> {
    if !is_hex64(sha) {
        return Ok(());
    }
    let dir = backup_dir_for(workspace);
    std::fs::create_dir_all(dir.join(BLOB_DIR)).map_err(io(&dir))?;
    match FolderLock::take(&dir, false)? {
        Some(_lock) => put_blob(&dir, sha, bytes),
        // The next backup copies the file from the workspace.
        None => Ok(()),
    }
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

/// Takes a snapshot of the workspace at `workspace` unless one of the same change
/// sequence exists; then keeps the newest [`BACKUPS_KEPT`] and removes evidence files
/// no kept snapshot needs. `conn` is the caller's connection to the workspace.
pub(super) fn take(conn: &Connection, workspace: &Path) -> StoreResult<()> {
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
    for (sha, size) in &facts.blobs {
        let there =
            std::fs::metadata(dir.join(BLOB_DIR).join(sha)).is_ok_and(|m| m.len() == *size as u64);
        if !there {
            copy_blob_from_workspace(conn, &dir, sha)?;
        }
    }
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
fn verify(path: &Path, user_version: i64) -> StoreResult<()> {
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

/// Copies into the store an evidence file that is not there yet (a workspace made by an
/// older version, or a copy that failed when the file was added). Bytes that no longer
/// match their hash are not stored: the workspace itself is damaged there.
fn copy_blob_from_workspace(conn: &Connection, dir: &Path, sha: &str) -> StoreResult<()> {
    if !is_hex64(sha) {
        return Ok(());
    }
    let bytes: Option<Vec<u8>> = conn
        .query_row("SELECT data FROM blobs WHERE sha256 = ?1", [sha], |r| {
            r.get(0)
        })
        .optional()?;
    match bytes {
        Some(b) if sha256_hex(&b) == sha => put_blob(dir, sha, &b),
        _ => Ok(()),
    }
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
                "bản sao lưu thiếu hoặc hỏng {} tệp minh chứng (mã băm {})",
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

    /// Under Windows (Wine) the second command failed «Access denied (os error 5)»: a new
    /// snapshot was flushed through a read-only handle, which Windows refuses. The handle
    /// must be able to write; it must not change the file.
    #[test]
    fn r_snapshot_flushed_through_a_read_only_handle() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir
            .path()
            .join(format!("{TEMP_PREFIX}Đông Hòa{SNAPSHOT_EXT}"));
        std::fs::write(&path, b"snapshot bytes").unwrap();
        let mut handle = open_for_sync(&path).unwrap();
        // A read-only handle (File::open) refuses this write on every system.
        handle.write_all(b"S").unwrap();
        drop(handle);
        assert_eq!(std::fs::read(&path).unwrap(), b"Snapshot bytes");
        sync_file(&path).unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"Snapshot bytes");
        assert!(open_for_sync(&dir.path().join("không có")).is_err());
    }

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
