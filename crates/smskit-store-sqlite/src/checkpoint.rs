//! WAL checkpoints on a thread of their own ([`SqliteStore::with_background_checkpoints`]).
//!
//! A checkpoint copies the log's pages into the database file and syncs both; on the
//! connection that writes, SQLite runs it inside the commit that filled the log, which then
//! takes tens of milliseconds instead of tens of microseconds. A server answering each
//! request after its commit (a click before its redirect) sees that as its latency tail. A
//! `PASSIVE` checkpoint from a second connection never blocks the writer. But the log only
//! starts over when a writer finds every frame of it copied, which under a steady stream of
//! commits never happens by itself: the writer's own checkpoint still comes due. It is then
//! made to come often (every [`WRITER_CHECKPOINT_PAGES`]) and finds most of the log copied
//! already, so it is short, and the log starts over behind it.
//!
//! Measured with `loadtest/redirects.sh` (wrk, 32 connections, 40 s of clicks, 2 cores):
//! SQLite's own checkpoints every 8,192 pages gave p99 35 ms; this thread alone, 16 ms (the
//! log still grew to 32 MiB); this thread with the writer's every 512 pages, 24,800 clicks/s at
//! p99 7 ms (every 256 pages: p99 4 ms at fewer clicks per second; every 1,000: p99 9 ms).

use std::path::Path;
use std::sync::mpsc::{self, RecvTimeoutError};
use std::thread;
use std::time::Duration;

use rusqlite::Connection;
use smskit::store::StoreError;

use crate::error::During;
use crate::{BUSY_TIMEOUT, SqliteStore};

/// The log size, in pages, at which the writer checkpoints itself when a thread also does.
const WRITER_CHECKPOINT_PAGES: i64 = 512;

/// The checkpointing thread of a store; stopped and joined when the store is dropped.
#[derive(Debug)]
pub(crate) struct Checkpointer {
    /// Dropping it wakes the thread, which then stops.
    stop: Option<mpsc::Sender<()>>,
    thread: Option<thread::JoinHandle<()>>,
}

impl Checkpointer {
    /// Starts checkpointing the database at `path` every `every`.
    fn start(path: &Path, every: Duration) -> Result<Checkpointer, StoreError> {
        let conn = Connection::open(path).during("open the checkpoint connection")?;
        conn.busy_timeout(BUSY_TIMEOUT)
            .during("set the busy timeout")?;
        let (stop, stopped) = mpsc::channel::<()>();
        let thread = thread::Builder::new()
            .name("smskit-sqlite-checkpoint".to_owned())
            .spawn(move || {
                while let Err(RecvTimeoutError::Timeout) = stopped.recv_timeout(every) {
                    // A failed checkpoint is left to the next one, or to the writer's own.
                    let _ = checkpoint(&conn);
                }
            })
            .map_err(|error| StoreError::Backend(Box::new(error)))?;
        Ok(Checkpointer {
            stop: Some(stop),
            thread: Some(thread),
        })
    }
}

impl Drop for Checkpointer {
    fn drop(&mut self) {
        drop(self.stop.take());
        if let Some(thread) = self.thread.take() {
            // The thread only sleeps and checkpoints: it ends at once; a panic there is moot.
            let _ = thread.join();
        }
    }
}

/// One passive checkpoint. Its counts (log frames, frames copied) are not needed: whatever it
/// could not copy, the next one or the writer's own copies.
fn checkpoint(conn: &Connection) -> rusqlite::Result<()> {
    conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(()))
}

impl SqliteStore {
    /// Runs the write-ahead log's checkpoints on a thread of their own, every `every`, instead
    /// of inside the commit that fills the log: a server that answers after each commit (a
    /// short-link click before its redirect) keeps a flat latency. The thread has its own
    /// connection, never blocks this one and stops when the store is dropped; this connection
    /// then checkpoints itself every 512 pages of log (2 MiB), which finds the log mostly
    /// copied and starts it over. A store in memory has no log: it is returned unchanged.
    ///
    /// ```
    /// use std::time::Duration;
    /// use smskit_store_sqlite::SqliteStore;
    ///
    /// let dir = tempfile::tempdir()?;
    /// let store = SqliteStore::open(dir.path().join("campaigns.db"))?
    ///     .with_background_checkpoints(Duration::from_millis(250))?;
    /// # drop(store);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    /// [`StoreError::Backend`] when the second connection cannot be opened or the thread not
    /// started.
    pub fn with_background_checkpoints(mut self, every: Duration) -> Result<Self, StoreError> {
        if let Some(path) = &self.path {
            self.checkpointer = Some(Checkpointer::start(path, every)?);
            self.conn
                .pragma_update(None, "wal_autocheckpoint", WRITER_CHECKPOINT_PAGES)
                .during("configure the writer's checkpoints")?;
        }
        Ok(self)
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;
    use std::time::{Duration, Instant};

    use smskit::Store as _;
    use smskit::chrono::DateTime;
    use smskit::model::NewContact;

    use crate::SqliteStore;

    /// The database file proper: only a checkpoint writes to it (commits go to the log).
    fn file_len(path: &Path) -> u64 {
        std::fs::metadata(path).unwrap().len()
    }

    /// Writes a few hundred contacts, one commit each.
    fn write(store: &mut SqliteStore) {
        for n in 0..300 {
            let contact = NewContact::new(format!("Contact {n}"), format!("+3247{n:07}"));
            store.insert_contact(contact, DateTime::UNIX_EPOCH).unwrap();
        }
    }

    #[test]
    fn the_thread_copies_the_log_into_the_database_while_the_store_writes() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("c.db");
        let mut store = SqliteStore::open(&path)
            .unwrap()
            .with_background_checkpoints(Duration::from_millis(10))
            .unwrap();
        let before = file_len(&path);
        write(&mut store);
        let deadline = Instant::now() + Duration::from_secs(30);
        while file_len(&path) <= before {
            assert!(Instant::now() < deadline, "the log was never checkpointed");
            std::thread::sleep(Duration::from_millis(5));
        }

        // Without the thread the pages stay in the log: the writer's own checkpoint is
        // thousands of pages away.
        let path = dir.path().join("d.db");
        let mut store = SqliteStore::open(&path).unwrap();
        let before = file_len(&path);
        write(&mut store);
        std::thread::sleep(Duration::from_millis(100));
        assert_eq!(file_len(&path), before);
    }

    #[test]
    fn dropping_the_store_stops_the_thread_and_a_store_in_memory_has_none() {
        let dir = tempfile::tempdir().unwrap();
        let store = SqliteStore::open(dir.path().join("c.db"))
            .unwrap()
            .with_background_checkpoints(Duration::from_secs(600))
            .unwrap();
        assert!(store.checkpointer.is_some());
        let writer_pages: i64 = store
            .conn
            .pragma_query_value(None, "wal_autocheckpoint", |row| row.get(0))
            .unwrap();
        assert_eq!(writer_pages, super::WRITER_CHECKPOINT_PAGES);
        let started = Instant::now();
        drop(store);
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "dropping the store waited for the thread's period"
        );
        let memory = SqliteStore::open_in_memory()
            .unwrap()
            .with_background_checkpoints(Duration::from_millis(1))
            .unwrap();
        assert!(memory.checkpointer.is_none());
    }
}
