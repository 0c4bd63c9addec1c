//! The files of the backup folder: its lock, temporary files renamed into place, and the
//! content-addressed evidence store (`minh-chung/<sha256>`).

use super::{BLOB_DIR, LOCK_FILE, TEMP_PREFIX, backup_dir_for, io, is_hex64, unique_suffix};
use crate::store::StoreResult;
use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Held while the backup folder is being changed; released when dropped.
pub(super) struct FolderLock(File);

/// How long to wait for another program that is taking a backup of the same workspace.
const LOCK_WAIT: std::time::Duration = std::time::Duration::from_secs(10);

impl FolderLock {
    /// Takes the lock, waiting at most [`LOCK_WAIT`]; `None` if another program still
    /// holds it then (it is taking a backup itself, or hangs: either way, not a reason
    /// to refuse opening the workspace).
    pub(super) fn take(dir: &Path, exclusive: bool) -> StoreResult<Option<Self>> {
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
pub(super) struct TempFile(pub(super) Option<PathBuf>);

impl TempFile {
    pub(super) fn path(&self) -> &Path {
        self.0.as_deref().unwrap_or(Path::new(""))
    }

    /// Renames the file into place; on failure it is still removed when dropped.
    pub(super) fn rename_to(mut self, target: &Path) -> StoreResult<()> {
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

/// Flushes a closed file to disk; the handle is closed again before this returns, so the
/// file can be renamed afterwards.
pub(super) fn sync_file(path: &Path) -> StoreResult<()> {
    let file = open_to_flush(path).map_err(io(path))?;
    file.sync_all().map_err(io(path))?;
    drop(file);
    Ok(())
}

/// Opens an existing file for flushing. Windows flushes (`FlushFileBuffers`) only through a
/// handle opened for writing: through a read-only one it answers «Access denied (os error
/// 5)», which failed every backup, hence every second open of a workspace, on Windows.
fn open_to_flush(path: &Path) -> std::io::Result<File> {
    File::options().write(true).open(path)
}

/// Flushes a folder's entries (a rename) to disk; not possible on every system, and a
/// failure only weakens the crash guarantee, so it is not reported.
pub(super) fn sync_dir(dir: &Path) {
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
}

/// Writes one evidence file into the store of `dir` unless it is already there.
pub(super) fn put_blob(dir: &Path, sha: &str, bytes: &[u8]) -> StoreResult<()> {
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
pub(in crate::store) fn mirror_blob(workspace: &Path, sha: &str, bytes: &[u8]) -> StoreResult<()> {
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

/// Evidence files copied into the backup store as a batch enters the workspace: each is
/// written under a temporary name while it is read ([`MirrorBatch::begin`]), all are
/// flushed in one pass once every file is read ([`MirrorBatch::flush`]), and renamed to
/// their final names only after the workspace has committed them ([`MirrorBatch::publish`]).
/// Dropped before that, it removes its temporary files: a batch that fails leaves the
/// backup store as it was. Copying is best effort: a file that cannot be written is left
/// to the next backup, which copies it from the workspace.
pub(in crate::store) struct MirrorBatch {
    blobs: PathBuf,
    /// Shared for the whole batch: a backup taken meanwhile would remove the temporary
    /// files as leftovers.
    _lock: FolderLock,
    /// (temporary file, final name) of each file to publish.
    pending: Vec<(TempFile, PathBuf)>,
    /// Set after a write failed (a full disk): the rest of the batch is not copied.
    broken: bool,
}

/// One evidence file being written into the backup store.
pub(in crate::store) struct MirrorFile {
    // Fields drop in order: the handle is closed before the temporary file is removed
    // (Windows refuses to remove a file that is still open).
    file: File,
    temp: TempFile,
}

impl MirrorFile {
    /// Appends bytes; false once a write failed (the file is then given up).
    pub(in crate::store) fn write(&mut self, bytes: &[u8]) -> bool {
        self.file.write_all(bytes).is_ok()
    }
}

impl MirrorBatch {
    /// Starts copying into the backup store of `workspace`; `None` when it cannot be
    /// used now (no folder, or a backup holds it past the wait): the next backup copies
    /// the files from the workspace instead.
    pub(in crate::store) fn open(workspace: &Path) -> Option<Self> {
        let dir = backup_dir_for(workspace);
        let blobs = dir.join(BLOB_DIR);
        std::fs::create_dir_all(&blobs).ok()?;
        let lock = FolderLock::take(&dir, false).ok()??;
        Some(Self {
            blobs,
            _lock: lock,
            pending: Vec::new(),
            broken: false,
        })
    }

    /// A new temporary file for the next evidence file; `None` once copying gave up.
    pub(in crate::store) fn begin(&mut self) -> Option<MirrorFile> {
        if self.broken {
            return None;
        }
        let temp = TempFile(Some(
            self.blobs.join(format!("{TEMP_PREFIX}{}", unique_suffix())),
        ));
        match File::create(temp.path()) {
            Ok(file) => Some(MirrorFile { file, temp }),
            Err(_) => {
                self.broken = true;
                None
            }
        }
    }

    /// Ends the file begun with [`Self::begin`], now known to hold `len` bytes hashing to
    /// `sha`. `written` is false when a write failed: the file is dropped and copying
    /// stops. A file the store already holds (or the batch already wrote) is dropped too.
    pub(in crate::store) fn end(&mut self, file: MirrorFile, sha: &str, len: u64, written: bool) {
        let MirrorFile { file, temp } = file;
        let target = self.blobs.join(sha);
        let known = self.pending.iter().any(|(_, t)| *t == target)
            || std::fs::metadata(&target).is_ok_and(|m| m.len() == len);
        let keep = written && is_hex64(sha) && !known;
        if keep {
            start_writeback(&file);
        }
        // Closed before the temporary file is kept or removed.
        drop(file);
        if keep {
            self.pending.push((temp, target));
        }
        self.broken |= !written;
    }

    /// Flushes every file written to disk, in one pass at the end of the batch (their
    /// write-back was started as each was written). A file that cannot be flushed is
    /// dropped: the next backup copies it from the workspace.
    pub(in crate::store) fn flush(&mut self) {
        self.pending
            .retain(|(temp, _)| sync_file(temp.path()).is_ok());
    }

    /// Renames the flushed files to their final names, then flushes the folder once.
    /// Call only after the workspace committed the batch.
    pub(in crate::store) fn publish(self) {
        for (temp, target) in self.pending {
            let _ = temp.rename_to(&target);
        }
        sync_dir(&self.blobs);
    }
}

/// Asks the system to start writing a file to disk now, without waiting, so that the
/// flush at the end of a batch finds little left to write (Linux; elsewhere the flush
/// does all the work).
#[cfg(target_os = "linux")]
fn start_writeback(file: &File) {
    use std::os::fd::AsRawFd;
    // SAFETY: the descriptor is open for as long as `file` lives; the call only starts
    // write-back of the file's dirty pages and touches no memory of ours.
    let _ = unsafe { libc::sync_file_range(file.as_raw_fd(), 0, 0, libc::SYNC_FILE_RANGE_WRITE) };
}

#[cfg(not(target_os = "linux"))]
fn start_writeback(_file: &File) {}

#[cfg(test)]
mod tests {
    use super::*;

    /// Windows refuses to flush through a read-only handle; Linux does not, so the test
    /// checks what both refuse through one: changing the file (`set_len`).
    #[test]
    fn r_backup_temp_file_flushed_through_a_read_only_handle() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(".tam-x.sqlite");
        std::fs::write(&path, b"abc").unwrap();
        let file = open_to_flush(&path).unwrap();
        file.set_len(3).unwrap();
        file.sync_all().unwrap();
        drop(file);
        sync_file(&path).unwrap();
        std::fs::rename(&path, dir.path().join("sao-luu.sqlite")).unwrap();
        assert_eq!(
            std::fs::read(dir.path().join("sao-luu.sqlite")).unwrap(),
            b"abc"
        );
    }
}
