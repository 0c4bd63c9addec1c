//! Files wait on disk, not in memory, until the packet writer needs them: a temporary
//! file (removed when the spool is dropped) takes each reduced photo as a worker
//! finishes it, and each attached PDF as it is read from the workspace; the writer
//! reads one back at a time. When no temporary file can be made, the spool falls back
//! to memory.

use std::fs::File;
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

/// A file to store: its bytes, and a reduced photo's pixel size and colour components.
pub(super) type Stored<'a> = (&'a [u8], (u32, u32), u8);

/// Where a file lies in the spool and, for a reduced photo, what it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Entry {
    offset: u64,
    len: usize,
    /// Pixel size (photos).
    pub(super) px: (u32, u32),
    /// Colour components of the JPEG (1 grey, 3 RGB, 4 CMYK; 0 for other files).
    pub(super) components: u8,
}

#[derive(Debug)]
enum Backing {
    /// The file, and its name while it has one (on Unix it is unlinked at once, so a
    /// program stopped by force leaves no copy of the evidence behind).
    File(File, Option<PathBuf>),
    Memory(Vec<u8>),
}

#[derive(Debug)]
struct Inner {
    backing: Backing,
    end: u64,
    /// Per file: not yet there (`None`), there, or why it could not be made.
    entries: Vec<Option<Result<Entry, String>>>,
}

/// Reduced photos and attached files kept on disk until the packet is written.
#[derive(Debug)]
pub struct Spool {
    inner: Mutex<Inner>,
}

/// One file of a [`Spool`], as the packet holds it.
#[derive(Debug, Clone)]
pub struct Spooled {
    spool: Arc<Spool>,
    index: usize,
}

fn temp_file() -> Option<(File, PathBuf)> {
    use std::sync::atomic::{AtomicU64, Ordering};
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let dir = std::env::temp_dir();
    for _ in 0..8 {
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        let path = dir.join(format!("ntm-anh-{}-{n}.tam", std::process::id()));
        let mut options = std::fs::OpenOptions::new();
        options.read(true).write(true).create_new(true);
        // Evidence is private: only this user may read the temporary copy.
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        match options.open(&path) {
            Ok(f) => return Some((f, path)),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
            Err(_) => return None,
        }
    }
    None
}

impl Spool {
    /// A new spool in the temporary folder (in memory if none can be made there).
    pub fn new() -> Arc<Self> {
        let backing = match temp_file() {
            Some((f, p)) => {
                #[cfg(unix)]
                let p = std::fs::remove_file(&p).is_err().then_some(p);
                #[cfg(not(unix))]
                let p = Some(p);
                Backing::File(f, p)
            }
            None => Backing::Memory(Vec::new()),
        };
        Arc::new(Self {
            inner: Mutex::new(Inner {
                backing,
                end: 0,
                entries: Vec::new(),
            }),
        })
    }

    /// Stores file `index`: a reduced photo's JPEG with its pixel size and components
    /// (or why it could not be reduced), or any file's bytes. `Err` when the bytes could
    /// not be written (the file then reads back as that error).
    pub(super) fn put(
        &self,
        index: usize,
        result: Result<Stored<'_>, String>,
    ) -> Result<(), String> {
        let Ok(mut inner) = self.inner.lock() else {
            return Err("lỗi nội bộ khi lưu tệp tạm".into());
        };
        let mut failed = None;
        let entry = match result {
            Ok((bytes, px, components)) => {
                let offset = inner.end;
                let written = match &mut inner.backing {
                    Backing::File(f, _) => f
                        .seek(SeekFrom::Start(offset))
                        .and_then(|_| f.write_all(bytes)),
                    Backing::Memory(v) => {
                        v.extend_from_slice(bytes);
                        Ok(())
                    }
                };
                match written {
                    Ok(()) => {
                        inner.end += bytes.len() as u64;
                        Ok(Entry {
                            offset,
                            len: bytes.len(),
                            px,
                            components,
                        })
                    }
                    Err(_) => {
                        let m = "không ghi được vào tệp tạm (đĩa đầy?)".to_string();
                        failed = Some(m.clone());
                        Err(m)
                    }
                }
            }
            Err(m) => Err(m),
        };
        if inner.entries.len() <= index {
            inner.entries.resize(index + 1, None);
        }
        if let Some(slot) = inner.entries.get_mut(index) {
            *slot = Some(entry);
        }
        failed.map_or(Ok(()), Err)
    }

    /// Keeps `bytes` as the next file of the spool; gives them back if they could not
    /// be written.
    pub fn keep(self: &Arc<Self>, bytes: Vec<u8>) -> Result<Spooled, Vec<u8>> {
        let index = match self.inner.lock() {
            Ok(inner) => inner.entries.len(),
            Err(_) => return Err(bytes),
        };
        match self.put(index, Ok((&bytes, (0, 0), 0))) {
            Ok(()) => Ok(self.photo(index)),
            Err(_) => Err(bytes),
        }
    }

    /// File `index` as the packet holds it.
    pub fn photo(self: &Arc<Self>, index: usize) -> Spooled {
        Spooled {
            spool: self.clone(),
            index,
        }
    }
}

impl Spooled {
    /// Its pixel size and components, or why it could not be reduced.
    pub(super) fn entry(&self) -> Result<Entry, String> {
        let inner = self
            .spool
            .inner
            .lock()
            .map_err(|_| "lỗi nội bộ khi đọc ảnh tạm".to_string())?;
        match inner.entries.get(self.index) {
            Some(Some(e)) => e.clone(),
            _ => Err("ảnh bị hỏng, không giải mã được".into()),
        }
    }

    /// The file's bytes (a reduced photo's JPEG).
    pub(super) fn bytes(&self) -> std::io::Result<Vec<u8>> {
        let entry = self.entry().map_err(std::io::Error::other)?;
        let mut inner = self
            .spool
            .inner
            .lock()
            .map_err(|_| std::io::Error::other("spool"))?;
        let mut out = vec![0; entry.len];
        match &mut inner.backing {
            Backing::File(f, _) => {
                f.seek(SeekFrom::Start(entry.offset))?;
                f.read_exact(&mut out)?;
            }
            Backing::Memory(v) => {
                let start = usize::try_from(entry.offset).unwrap_or(usize::MAX);
                let part = v
                    .get(start..start.saturating_add(entry.len))
                    .ok_or_else(|| std::io::Error::other("spool"))?;
                out.copy_from_slice(part);
            }
        }
        Ok(out)
    }
}

impl Drop for Spool {
    fn drop(&mut self) {
        let backing = match self.inner.get_mut() {
            Ok(inner) => std::mem::replace(&mut inner.backing, Backing::Memory(Vec::new())),
            Err(_) => return,
        };
        if let Backing::File(f, Some(path)) = backing {
            drop(f);
            let _ = std::fs::remove_file(path);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_come_back_from_the_spool_and_the_file_goes_with_it() {
        let spool = Spool::new();
        spool.put(1, Ok((b"second", (3, 4), 3))).unwrap();
        spool.put(0, Ok((b"first!!", (1, 2), 1))).unwrap();
        spool.put(2, Err("hỏng".into())).unwrap();
        let kept = spool.keep(b"%PDF-1.7 ...".to_vec()).unwrap();
        assert_eq!(kept.bytes().unwrap(), b"%PDF-1.7 ...");
        assert_eq!(spool.photo(0).bytes().unwrap(), b"first!!");
        assert_eq!(spool.photo(1).bytes().unwrap(), b"second");
        assert_eq!(spool.photo(1).entry().unwrap().px, (3, 4));
        assert_eq!(spool.photo(2).entry(), Err("hỏng".to_string()));
        assert!(spool.photo(4).entry().is_err());
        let path = match &spool.inner.lock().unwrap().backing {
            Backing::File(_, p) => p.clone(),
            Backing::Memory(_) => None,
        };
        // On Unix the file has no name while it is used: nothing is left behind even
        // when the program is stopped by force.
        #[cfg(unix)]
        {
            assert!(path.is_none());
            let prefix = format!("ntm-anh-{}-", std::process::id());
            let left = std::fs::read_dir(std::env::temp_dir())
                .unwrap()
                .flatten()
                .filter(|e| e.file_name().to_string_lossy().starts_with(&prefix))
                .count();
            assert_eq!(left, 0);
        }
        drop(spool);
        // The file goes with the last photo or file that holds the spool.
        if let Some(p) = &path {
            assert!(p.exists());
        }
        drop(kept);
        if let Some(p) = path {
            assert!(!p.exists());
        }
    }
}
