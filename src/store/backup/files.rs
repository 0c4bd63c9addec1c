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
