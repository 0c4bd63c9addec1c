//! The journal a large evidence batch is written under, and what is left to do after it.
//!
//! In WAL mode (the workspace's mode) every byte is written twice: into the log, then
//! into the file by the checkpoint. For a batch of photos that doubles the time the user
//! waits. When no other connection has the workspace open (the command line), the batch
//! switches the connection to a rollback journal: the new pages are appended past the
//! old end of the file, which SQLite never copies into the journal, so the evidence is
//! written once; the workspace goes back to WAL right after. When another connection has
//! it open (the window), switching is impossible without waiting for it, so the batch
//! stays in WAL and, if its caller asks, leaves the checkpoint to
//! [`Workspace::settle_after_batch`], run on a background thread after the user is told.

use crate::store::{StoreResult, Workspace, backup};
use std::time::Duration;

/// How a batch is journaled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum BatchJournal {
    /// A rollback journal (the connection was alone); back to WAL after the batch.
    Rollback,
    /// WAL with the automatic checkpoint left off; the caller settles afterwards.
    WalDeferred,
    /// WAL as usual: the commit checkpoints when the log is long.
    Wal,
}

/// Below this many bytes a batch stays in WAL: writing it twice costs little, and the
/// window's own connection (a signed copy added from its thread) never changes journal.
pub const ROLLBACK_JOURNAL_FROM_BYTES: u64 = 16 * 1024 * 1024;

/// The page cache of a connection during a batch, in KiB (SQLite's default is 2 MB): a
/// batch's pages then reach the disk in runs of 64 MB (measured here: 690 MB of photos
/// written in 1.2 s instead of 1.5–1.8 s with 4 KB pages, 0.8–0.95 s with 64 KB pages).
pub const BATCH_CACHE_KIB: i64 = 65_536;

/// The automatic checkpoint's threshold in pages (SQLite's default), restored after a
/// batch that deferred it.
const AUTOCHECKPOINT_PAGES: i64 = 1000;

impl Workspace {
    /// Chooses the journal for a batch of `bytes` and sets it up (see the module's
    /// documentation). Switching to a rollback journal is tried only for a batch of at
    /// least [`ROLLBACK_JOURNAL_FROM_BYTES`], and without waiting: another connection to
    /// the workspace makes it fail at once, and the batch then runs in WAL.
    pub(super) fn batch_journal(&self, bytes: u64, defer_checkpoint: bool) -> BatchJournal {
        let busy = self.busy_timeout;
        let alone = bytes >= ROLLBACK_JOURNAL_FROM_BYTES
            && self.conn.busy_timeout(Duration::ZERO).is_ok()
            && self
                .conn
                .query_row("PRAGMA journal_mode = DELETE", [], |r| {
                    r.get::<_, String>(0)
                })
                .is_ok_and(|mode| mode.eq_ignore_ascii_case("delete"));
        let _ = self.conn.busy_timeout(busy);
        if alone {
            return BatchJournal::Rollback;
        }
        if defer_checkpoint
            && self
                .conn
                .pragma_update(None, "wal_autocheckpoint", 0)
                .is_ok()
        {
            return BatchJournal::WalDeferred;
        }
        BatchJournal::Wal
    }

    /// Undoes what [`Self::batch_journal`] set up. Going back to WAL waits within the
    /// busy timeout for a program that opened the workspace meanwhile; if it still
    /// cannot, the next opening sets WAL again (the data is whole either way).
    pub(super) fn end_batch_journal(&self, journal: BatchJournal) {
        match journal {
            BatchJournal::Rollback => {
                let _ = self.conn.pragma_update(None, "journal_mode", "WAL");
            }
            BatchJournal::WalDeferred => {
                let _ = self
                    .conn
                    .pragma_update(None, "wal_autocheckpoint", AUTOCHECKPOINT_PAGES);
            }
            BatchJournal::Wal => {}
        }
    }

    /// Gives this connection a page cache of [`BATCH_CACHE_KIB`] for a batch, so that
    /// its pages are written in few large runs rather than spilled a few at a time;
    /// returns the setting to put back.
    pub(super) fn batch_cache(&self) -> Option<i64> {
        let before: i64 = self
            .conn
            .pragma_query_value(None, "cache_size", |r| r.get(0))
            .ok()?;
        self.conn
            .pragma_update(None, "cache_size", -BATCH_CACHE_KIB)
            .ok()?;
        Some(before)
    }

    /// Puts back the cache setting [`Self::batch_cache`] replaced (the memory is given
    /// back as the cache shrinks).
    pub(super) fn end_batch_cache(&self, before: Option<i64>) {
        if let Some(before) = before {
            let _ = self.conn.pragma_update(None, "cache_size", before);
        }
    }

    /// The work a batch left, for a background thread once the user has been told:
    /// copies the log into the file without holding up readers or writers (a passive
    /// checkpoint), then copies into the backup store every evidence file it lacks.
    /// Returns how many evidence files were copied. Stopping midway (the program closes)
    /// loses nothing: the log is replayed at the next opening, and the next backup
    /// copies what is still missing.
    pub fn settle_after_batch(&self) -> StoreResult<usize> {
        self.conn
            .query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(()))?;
        backup::fill_store(&self.conn, &self.path)
    }

    /// The journal mode of this connection, in lower case (`wal`, `delete`, …).
    pub fn journal_mode(&self) -> StoreResult<String> {
        let mode: String = self
            .conn
            .pragma_query_value(None, "journal_mode", |r| r.get(0))?;
        Ok(mode.to_lowercase())
    }
}
