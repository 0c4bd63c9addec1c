//! Every file the program writes for the user — a bundle, a printed packet, a roll-up,
//! a catalogue, a review — goes through here, from the command line and from the
//! screens alike.
//!
//! [`Output::begin`] refuses a destination that is the open workspace, its `-wal`,
//! `-shm` or `-journal` companion, or one of its backups: a user who types the wrong
//! name must never lose the dossier. Paths are compared by what they point to, never by
//! how they are spelled: the same file (device and inode on Unix, file index on Windows,
//! so hard links and symlinks are caught), and the canonical parent folder plus file
//! name (so `./x/../ws.sqlite` and a `-wal` that does not exist yet are caught too).
//!
//! The bytes go to `<destination>.dang-ghi` first and are renamed onto the destination
//! only by [`Output::commit`]; an [`Output`] dropped before that (an error, a stopped
//! task) removes its partial file, so a failed write never leaves half a file.

use super::{AppError, AppResult};
use crate::store::Workspace;
use std::ffi::OsString;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Suffix of a file being written, before it is renamed onto its destination.
pub const PARTIAL_SUFFIX: &str = ".dang-ghi";

/// What a protected file is to the workspace (for the message).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Protected {
    Workspace,
    Companion,
    Backup,
}

/// The files no output may replace: the workspace, its SQLite companions (present or
/// not) and every backup the store lists.
fn protected_files(ws: &Workspace) -> Vec<(PathBuf, Protected)> {
    let db = ws.path();
    let mut files = vec![(db.to_path_buf(), Protected::Workspace)];
    for suffix in ["-wal", "-shm", "-journal"] {
        files.push((with_suffix(db, suffix), Protected::Companion));
    }
    files.extend(
        ws.backup_files()
            .into_iter()
            .map(|b| (b, Protected::Backup)),
    );
    files
}

/// True when `out` would land inside the workspace's backup folder, where every file
/// (snapshots, evidence copies, locks, files yet to come) belongs to the backups.
fn is_inside_backups(ws: &Workspace, out: &Path) -> bool {
    let Ok(dir) = std::fs::canonicalize(ws.backup_dir()) else {
        return false;
    };
    resolved(out).is_some_and(|p| p.starts_with(&dir))
}

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name: OsString = path.file_name().map(OsString::from).unwrap_or_default();
    name.push(suffix);
    path.with_file_name(name)
}

/// The path made absolute with symlinks and `..` resolved; for a file that does not
/// exist yet, its canonical folder joined with its name. `None` when even the folder
/// does not exist (nothing can be written there).
fn resolved(path: &Path) -> Option<PathBuf> {
    let mut path = std::path::absolute(path).ok()?;
    // A symlink whose target does not exist yet still leads there.
    for _ in 0..32 {
        match std::fs::symlink_metadata(&path) {
            Ok(m) if m.file_type().is_symlink() => {
                let target = std::fs::read_link(&path).ok()?;
                path = path.parent()?.join(target);
            }
            _ => break,
        }
    }
    if let Ok(c) = std::fs::canonicalize(&path) {
        return Some(c);
    }
    let name = path.file_name()?;
    let folder = std::fs::canonicalize(path.parent()?).ok()?;
    Some(folder.join(name))
}

fn same_name(a: &Path, b: &Path) -> bool {
    if cfg!(any(windows, target_os = "macos")) {
        // Their usual file systems ignore case.
        a.to_string_lossy().to_lowercase() == b.to_string_lossy().to_lowercase()
    } else {
        a == b
    }
}

fn is_same_place(out: &Path, protected: &Path) -> bool {
    if same_file::is_same_file(out, protected).unwrap_or(false) {
        return true;
    }
    match (resolved(out), resolved(protected)) {
        (Some(a), Some(b)) => same_name(&a, &b),
        _ => false,
    }
}

/// Refuses `out` when writing it would replace the open workspace, one of its
/// companions or one of its backups. Nothing is written either way.
pub fn refuse_protected(ws: &Workspace, out: &Path) -> AppResult<()> {
    let partial = partial_path(out);
    let inside_backups = is_inside_backups(ws, out).then(|| (out.to_path_buf(), Protected::Backup));
    for (file, kind) in inside_backups.into_iter().chain(protected_files(ws)) {
        if !(is_same_place(out, &file) || is_same_place(&partial, &file)) {
            continue;
        }
        let what = match kind {
            Protected::Workspace => "đó là tệp dữ liệu đang mở",
            Protected::Companion => "đó là tệp nhật ký đi kèm của tệp dữ liệu đang mở",
            Protected::Backup => "đó là một bản sao lưu của tệp dữ liệu đang mở",
        };
        return Err(AppError::new(
            format!("Không ghi ra {}: {what}.", out.display()),
            "Hãy chọn tên tệp khác hoặc thư mục khác. Không có gì bị ghi; tệp dữ liệu vẫn nguyên vẹn.",
        )
        .with_details([format!("tệp dữ liệu: {}", ws.path().display())]));
    }
    Ok(())
}

/// `<out>.dang-ghi`.
pub fn partial_path(out: &Path) -> PathBuf {
    with_suffix(out, PARTIAL_SUFFIX)
}

fn write_error(path: &Path, e: std::io::Error) -> AppError {
    AppError::new(
        format!("Không ghi được tệp {}.", path.display()),
        "Hãy kiểm tra đường dẫn, quyền ghi và chỗ trống trên đĩa, hoặc chọn thư mục khác.",
    )
    .with_details([super::io_words(&e)])
}

/// A file being written: checked against the workspace, written beside its destination
/// and renamed onto it by [`Output::commit`]; removed if dropped before.
#[derive(Debug)]
pub struct Output {
    target: PathBuf,
    partial: PathBuf,
    committed: bool,
}

impl Output {
    /// Checks `target` with [`refuse_protected`] and clears a partial file a stopped
    /// earlier run may have left. Nothing is created yet.
    pub fn begin(ws: &Workspace, target: &Path) -> AppResult<Self> {
        refuse_protected(ws, target)?;
        let partial = partial_path(target);
        match std::fs::remove_file(&partial) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(write_error(&partial, e)),
        }
        Ok(Self {
            target: target.to_path_buf(),
            partial,
            committed: false,
        })
    }

    /// The destination.
    pub fn target(&self) -> &Path {
        &self.target
    }

    /// Creates the partial file (never following a link left in its place).
    pub fn create(&self) -> AppResult<std::fs::File> {
        std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&self.partial)
            .map_err(|e| write_error(&self.target, e))
    }

    /// The error to show when writing the partial file failed.
    pub fn write_error(&self, e: std::io::Error) -> AppError {
        write_error(&self.target, e)
    }

    /// Writes all of `bytes` and renames the file onto its destination.
    pub fn write_all(self, bytes: &[u8]) -> AppResult<()> {
        let mut file = self.create()?;
        file.write_all(bytes)
            .and_then(|()| file.sync_all())
            .map_err(|e| write_error(&self.target, e))?;
        drop(file);
        self.commit()
    }

    /// Renames the finished partial file onto the destination.
    pub fn commit(mut self) -> AppResult<()> {
        std::fs::rename(&self.partial, &self.target).map_err(|e| write_error(&self.target, e))?;
        self.committed = true;
        Ok(())
    }
}

impl Drop for Output {
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_file(&self.partial);
        }
    }
}
