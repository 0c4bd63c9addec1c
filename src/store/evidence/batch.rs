//! Adding many evidence files at disk speed, all or none.
//!
//! Two threads share the work. A reader thread reads each file once, 256 KB at a time,
//! hashing each piece while it is still in the processor's cache; the calling thread
//! stores each file it is handed, in ONE transaction for the whole batch, while the next
//! file is being read. At most two files are in memory at once (the one being stored, the
//! one read next), and their buffers are reused.
//!
//! Every byte is written once before the batch says «added» (issue 12: at least half the
//! speed of a plain copy). When no other connection has the workspace open (the command
//! line), the batch runs under a rollback journal: pages appended past the end of the
//! file need no journal copy, so the evidence is written once, straight into the file,
//! and the workspace goes back to WAL right after. When the window has it open, the batch
//! stays in WAL and its caller may leave the copy of the log into the file (the
//! checkpoint) to a background thread ([`Workspace::settle_after_batch`]). The copies in
//! the backup store are made after the batch too: by that same thread in the window, or
//! by the next backup (at the next opening), which copies whatever the store lacks.
//!
//! Durability before success: the transaction commits (SQLite flushes its journal) only
//! after every file is stored. A file that cannot be read, a full disk or a stop asked by
//! the user rolls the transaction back: the workspace is left as it was, whatever the file.

use super::{AddedEvidence, add_one};
use crate::domain::ids::AssessmentId;
use crate::store::{StoreError, StoreResult, Workspace};
use sha2::{Digest, Sha256};
use std::cell::Cell;
use std::io::Read;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;

/// One file of a batch to add.
#[derive(Debug, Clone)]
pub struct IncomingFile<'a> {
    /// The name it is stored under.
    pub name: String,
    /// Its media type.
    pub media_type: &'a str,
    /// Where it is read from.
    pub path: &'a Path,
}

/// How a batch is watched and bounded by its caller.
pub struct BatchControl<'a> {
    /// A file longer than this is refused (it grew since it was checked).
    pub max_file_bytes: u64,
    /// Told how many files are stored so far, after each one (on the calling thread).
    pub on_stored: &'a dyn Fn(usize),
    /// Asked between files; true stops the batch and stores nothing.
    pub cancelled: &'a dyn Fn() -> bool,
    /// When the batch runs in WAL (another connection has the workspace open), leave the
    /// checkpoint to [`Workspace::settle_after_batch`] instead of making the commit wait
    /// for it. Set only by a caller that calls it (the window's background task).
    pub defer_checkpoint: bool,
}

/// Bytes read at a time: small enough to be hashed and copied while still in cache.
const PIECE_BYTES: u64 = 256 * 1024;

/// A file read whole, and its hash.
struct ReadFile {
    sha: String,
    bytes: Vec<u8>,
}

/// Lowercase hex of a digest.
pub(super) fn hex(digest: &[u8]) -> String {
    use std::fmt::Write as _;
    digest
        .iter()
        .fold(String::with_capacity(digest.len() * 2), |mut s, b| {
            let _ = write!(s, "{b:02x}");
            s
        })
}

/// Reads one file into `buf` (emptied first), hashing it in the same pass; returns its
/// hash. Refuses an empty file and one longer than `max_bytes`.
fn read_one(path: &Path, buf: &mut Vec<u8>, max_bytes: u64) -> StoreResult<String> {
    let io = |source| StoreError::Io {
        path: path.to_path_buf(),
        source,
    };
    let mut file = std::fs::File::open(path).map_err(io)?;
    let expected = file.metadata().map_or(0, |m| m.len()).min(max_bytes);
    buf.clear();
    buf.reserve(usize::try_from(expected).unwrap_or(0));
    let mut hasher = Sha256::new();
    loop {
        let start = buf.len();
        let n = (&mut file).take(PIECE_BYTES).read_to_end(buf).map_err(io)?;
        if n == 0 {
            break;
        }
        if buf.len() as u64 > max_bytes {
            return Err(StoreError::Invalid(format!(
                "tệp {} dài hơn {} MB (tệp đã thay đổi trong lúc thêm?)",
                path.display(),
                max_bytes / (1024 * 1024)
            )));
        }
        let piece = buf.get(start..).unwrap_or_default();
        hasher.update(piece);
    }
    if buf.is_empty() {
        return Err(StoreError::Invalid(format!(
            "tệp {} rỗng (0 byte)",
            path.display()
        )));
    }
    Ok(hex(&hasher.finalize()))
}

/// A file larger than this is read only once the storing thread is done with the
/// previous one, so that two large scans are never in memory together.
const READ_AHEAD_BYTES: u64 = 64 * 1024 * 1024;

/// The reader thread: reads the files in order and hands each over (the hand-over waits
/// for the storing thread, so at most one read file waits, and none when it is larger
/// than [`READ_AHEAD_BYTES`]); stops at the first failure, when asked, or when the
/// storing thread is gone.
fn read_all(
    files: &[IncomingFile<'_>],
    max_bytes: u64,
    out: &mpsc::SyncSender<StoreResult<ReadFile>>,
    spare: &mpsc::Receiver<Vec<u8>>,
    stop: &AtomicBool,
) {
    // Files handed over whose buffer has not come back yet.
    let mut outstanding = 0usize;
    for f in files {
        if stop.load(Ordering::Relaxed) {
            return;
        }
        let large = std::fs::metadata(f.path).is_ok_and(|m| m.len() > READ_AHEAD_BYTES);
        let mut bytes = Vec::new();
        while large && outstanding > 0 {
            // Ends (the storing thread is gone) only when the batch failed.
            let Ok(back) = spare.recv() else {
                return;
            };
            bytes = back;
            outstanding = outstanding.saturating_sub(1);
        }
        if let Ok(b) = spare.try_recv() {
            bytes = b;
            outstanding = outstanding.saturating_sub(1);
        }
        let read = read_one(f.path, &mut bytes, max_bytes).map(|sha| ReadFile { sha, bytes });
        let failed = read.is_err();
        if out.send(read).is_err() || failed {
            return;
        }
        outstanding += 1;
    }
}

impl Workspace {
    /// Attaches files to an assessment in one pass and one transaction: every file is
    /// stored, or none (a file that cannot be read, a full disk or a stop leaves the
    /// workspace as it was). Each file is read once and hashed while it is read, and
    /// written once (see the module's documentation for the journal). `criterion` numbers
    /// the evidence codes (`TC02-03`); 0 for general documents. `Ok(None)` when stopped
    /// through `control.cancelled`.
    pub fn add_evidence_batch(
        &mut self,
        id: AssessmentId,
        files: &[IncomingFile<'_>],
        criterion: u32,
        indicators: &[String],
        control: &BatchControl<'_>,
    ) -> StoreResult<Option<Vec<AddedEvidence>>> {
        let bytes: u64 = files
            .iter()
            .map(|f| std::fs::metadata(f.path).map_or(0, |m| m.len()))
            .sum();
        let journal = self.batch_journal(bytes, control.defer_checkpoint);
        let cache = self.batch_cache();
        let stored = self.store_batch(id, files, criterion, indicators, control);
        self.end_batch_cache(cache);
        self.end_batch_journal(journal);
        stored
    }

    /// The batch itself, in whatever journal [`Self::batch_journal`] chose.
    fn store_batch(
        &mut self,
        id: AssessmentId,
        files: &[IncomingFile<'_>],
        criterion: u32,
        indicators: &[String],
        control: &BatchControl<'_>,
    ) -> StoreResult<Option<Vec<AddedEvidence>>> {
        let stop = AtomicBool::new(false);
        let was_cancelled = Cell::new(false);
        let (out, incoming) = mpsc::sync_channel(0);
        let (give_back, spare) = mpsc::channel();
        let max_bytes = control.max_file_bytes;
        std::thread::scope(|s| {
            let reader = std::thread::Builder::new()
                .name("doc-minh-chung".into())
                .spawn_scoped(s, {
                    let stop = &stop;
                    move || read_all(files, max_bytes, &out, &spare, stop)
                })
                .map_err(|e| {
                    StoreError::Invalid(format!("không khởi động được việc đọc các tệp ({e})"))
                })?;
            let stored = self.write(|w| {
                let mut added = Vec::with_capacity(files.len());
                for f in files {
                    if (control.cancelled)() {
                        was_cancelled.set(true);
                        return Err(StoreError::Invalid("đã dừng".into()));
                    }
                    let read = incoming.recv().map_err(|_| {
                        StoreError::Invalid(format!(
                            "việc đọc tệp {} dừng bất thường",
                            f.path.display()
                        ))
                    })??;
                    added.push(add_one(
                        w,
                        id,
                        &f.name,
                        f.media_type,
                        &read.sha,
                        &read.bytes,
                        criterion,
                        indicators,
                    )?);
                    let _ = give_back.send(read.bytes);
                    (control.on_stored)(added.len());
                }
                Ok(added)
            });
            // A reader waiting to hand over a file sees the channel closed and stops.
            stop.store(stored.is_err(), Ordering::Relaxed);
            drop(incoming);
            // A reader waiting for a buffer to come back sees the channel closed too.
            drop(give_back);
            let _ = reader.join();
            match stored {
                Ok(added) => Ok(Some(added)),
                Err(_) if was_cancelled.get() => Ok(None),
                Err(e) => Err(e),
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Reading hashes what it reads.
    #[test]
    fn a_file_is_hashed_as_it_is_read() {
        let dir = tempfile::tempdir().unwrap();
        let bytes: Vec<u8> = (0..700_000u32).map(|i| (i * 7 % 251) as u8).collect();
        let path = dir.path().join("anh.jpg");
        std::fs::write(&path, &bytes).unwrap();
        let mut buf = Vec::new();
        let sha = read_one(&path, &mut buf, 1 << 20).unwrap();
        assert_eq!(sha, crate::store::sha256_hex(&bytes));
        assert_eq!(buf, bytes);
    }

    /// A file that grew past the limit since it was checked, or that is now empty, is
    /// refused by name.
    #[test]
    fn a_file_grown_past_the_limit_or_emptied_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let big = dir.path().join("quet.pdf");
        std::fs::write(&big, vec![1u8; 600_000]).unwrap();
        let empty = dir.path().join("rong.pdf");
        std::fs::write(&empty, b"").unwrap();
        let mut buf = Vec::new();
        let err = read_one(&big, &mut buf, 500_000).unwrap_err().to_string();
        assert!(err.contains("quet.pdf") && err.contains("dài hơn"), "{err}");
        let err = read_one(&empty, &mut buf, 500_000).unwrap_err().to_string();
        assert!(err.contains("rong.pdf") && err.contains("rỗng"), "{err}");
    }
}
