//! Photos reduced to print size wait on disk, not in memory, until their page is
//! written: a temporary file (removed when the spool is dropped) takes each reduced
//! JPEG as a worker finishes it, and the packet writer reads one back per placed photo.
//! When no temporary file can be made, the spool falls back to memory.

use std::fs::File;
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

/// Where a reduced photo lies in the spool and what it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Entry {
    offset: u64,
    len: usize,
    /// Pixel size.
    pub(super) px: (u32, u32),
    /// Colour components of the JPEG (1 grey, 3 RGB, 4 CMYK).
    pub(super) components: u8,
}

#[derive(Debug)]
enum Backing {
    File(File, PathBuf),
    Memory(Vec<u8>),
}

#[derive(Debug)]
struct Inner {
    backing: Backing,
    end: u64,
    /// Per photo: not yet reduced (`None`), reduced, or why it could not be.
    entries: Vec<Option<Result<Entry, String>>>,
}

/// Reduced photos kept on disk until the packet is written.
#[derive(Debug)]
pub struct PhotoSpool {
    inner: Mutex<Inner>,
}

/// One photo of a [`PhotoSpool`], as the packet holds it.
#[derive(Debug, Clone)]
pub struct SpooledPhoto {
    spool: Arc<PhotoSpool>,
    index: usize,
}

fn temp_file() -> Option<(File, PathBuf)> {
    use std::sync::atomic::{AtomicU64, Ordering};
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let dir = std::env::temp_dir();
    for _ in 0..8 {
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        let path = dir.join(format!("ntm-anh-{}-{n}.tam", std::process::id()));
        match std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .create_new(true)
            .open(&path)
        {
            Ok(f) => return Some((f, path)),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
            Err(_) => return None,
        }
    }
    None
}

impl PhotoSpool {
    /// A new spool in the temporary folder (in memory if none can be made there).
    pub fn new() -> Arc<Self> {
        let backing = match temp_file() {
            Some((f, p)) => Backing::File(f, p),
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

    /// Stores photo `index`: its reduced JPEG with pixel size and components, or why it
    /// could not be reduced.
    pub(super) fn put(
        &self,
        index: usize,
        result: Result<(Vec<u8>, (u32, u32), u8), String>,
    ) -> Result<(), String> {
        let Ok(mut inner) = self.inner.lock() else {
            return Err("lỗi nội bộ khi lưu ảnh tạm".into());
        };
        let entry = match result {
            Ok((bytes, px, components)) => {
                let offset = inner.end;
                let written = match &mut inner.backing {
                    Backing::File(f, _) => f
                        .seek(SeekFrom::Start(offset))
                        .and_then(|_| f.write_all(&bytes))
                        .map_err(|_| "không ghi được ảnh vào tệp tạm".to_string()),
                    Backing::Memory(v) => {
                        v.extend_from_slice(&bytes);
                        Ok(())
                    }
                };
                written.map(|()| {
                    inner.end += bytes.len() as u64;
                    Entry {
                        offset,
                        len: bytes.len(),
                        px,
                        components,
                    }
                })
            }
            Err(m) => Err(m),
        };
        if inner.entries.len() <= index {
            inner.entries.resize(index + 1, None);
        }
        if let Some(slot) = inner.entries.get_mut(index) {
            *slot = Some(entry);
        }
        Ok(())
    }

    /// Photo `index` as the packet holds it.
    pub fn photo(self: &Arc<Self>, index: usize) -> SpooledPhoto {
        SpooledPhoto {
            spool: self.clone(),
            index,
        }
    }
}

impl SpooledPhoto {
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

    /// The reduced JPEG.
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

impl Drop for PhotoSpool {
    fn drop(&mut self) {
        let backing = match self.inner.get_mut() {
            Ok(inner) => std::mem::replace(&mut inner.backing, Backing::Memory(Vec::new())),
            Err(_) => return,
        };
        if let Backing::File(f, path) = backing {
            drop(f);
            let _ = std::fs::remove_file(path);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn photos_come_back_from_the_spool_and_the_file_goes_with_it() {
        let spool = PhotoSpool::new();
        spool.put(1, Ok((b"second".to_vec(), (3, 4), 3))).unwrap();
        spool.put(0, Ok((b"first!!".to_vec(), (1, 2), 1))).unwrap();
        spool.put(2, Err("hỏng".into())).unwrap();
        assert_eq!(spool.photo(0).bytes().unwrap(), b"first!!");
        assert_eq!(spool.photo(1).bytes().unwrap(), b"second");
        assert_eq!(spool.photo(1).entry().unwrap().px, (3, 4));
        assert_eq!(spool.photo(2).entry(), Err("hỏng".to_string()));
        assert!(spool.photo(3).entry().is_err());
        let path = match &spool.inner.lock().unwrap().backing {
            Backing::File(_, p) => Some(p.clone()),
            Backing::Memory(_) => None,
        };
        drop(spool);
        if let Some(p) = path {
            assert!(!p.exists());
        }
    }
}
