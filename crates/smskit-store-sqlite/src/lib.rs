//! The smskit [`Store`] on SQLite: durable campaigns in one file, no server to run.
//!
//! - **Crash-safe sending.** A trace is committed as claimed (`process`) before its message
//!   leaves and its outcome is committed when the provider answers; after a crash, the next
//!   [`Engine::send`](smskit::Engine::send) marks the claims without an outcome `error` /
//!   `unknown` ("may have been sent") and never resends them on its own.
//! - **Every state change is one transaction** (`BEGIN IMMEDIATE`, so a read-modify-write such
//!   as a claim never races another process on the same file).
//! - **Fast bulk preparation.** Traces are written in large transactions through cached
//!   prepared statements of 100 rows each (`INSERT ... ON CONFLICT DO NOTHING` keeps them one
//!   per mailing and contact): a million traces prepared and persisted in about 3.5 s on a
//!   2-core machine (`store/sqlite/prepare/1m`). Contacts import in bulk too
//!   ([`SqliteStore::insert_contacts`], [`SqliteStore::subscribe_all`]).
//! - **Migrations embedded** and applied on open, by `PRAGMA user_version`.
//! - **The same behaviour as [`MemoryStore`](smskit::MemoryStore)**: both pass the one shared
//!   conformance suite (`smskit-store-tests`).
//!
//! # Example: a campaign that survives restarts
//!
//! ```
//! use smskit::model::{Audience, NewContact, NewMailing};
//! use smskit::provider::{SimulatedClock, StubProvider};
//! use smskit::{Engine, Settings};
//! use smskit_store_sqlite::SqliteStore;
//!
//! let dir = std::env::temp_dir().join(format!("smskit-doc-{}", std::process::id()));
//! std::fs::create_dir_all(&dir)?;
//! let path = dir.join("campaign.db");
//! let now = chrono::DateTime::UNIX_EPOCH;
//!
//! // The only sender of its database: claims left by a crashed run are resolved at once.
//! let settings = || Settings::new().with_claim_lease(chrono::Duration::zero());
//! let mut engine = Engine::new(SqliteStore::open(&path)?, settings());
//! let list = engine.create_list("Newsletter", true)?;
//! for (name, phone) in [("Ana", "+32470000001"), ("Bo", "+32470000002"), ("Cy", "n/a")] {
//!     let contact = engine.add_contact(NewContact::new(name, phone), now)?;
//!     engine.subscribe(list, contact, now)?;
//! }
//! let mailing = engine.create_mailing(
//!     NewMailing::new("Spring", "Hi {{ object.name }}, -20% today!", Audience::Lists(vec![list])),
//!     now,
//! )?;
//! assert_eq!(engine.prepare(mailing)?.outgoing, 2); // Cy has no number
//! drop(engine); // the process could stop here: everything is on disk
//!
//! let mut engine = Engine::new(SqliteStore::open(&path)?, settings());
//! let sent = engine.send(mailing, &StubProvider::new(), &SimulatedClock::new(), now)?;
//! assert_eq!(sent.accepted, 2);
//! assert_eq!(engine.counts(mailing)?.sent, 2);
//! # drop(engine);
//! # std::fs::remove_dir_all(&dir)?;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Features
//!
//! | feature | default | enables |
//! |---|---|---|
//! | (none) | | SQLite is compiled in (`rusqlite/bundled`): nothing to install |
//!
//! # Schema and migrations
//!
//! The schema lives in `migrations/` (`0001_init.sql`, ...), compiled into the crate. Opening a
//! database applies, in one transaction each, the migrations past its `PRAGMA user_version`,
//! then sets it; a database from a newer version of this crate is refused
//! ([`Error::NewerSchema`]) and left untouched. Times are stored as integer microseconds since
//! the Unix epoch (a nanosecond part is cut), phone numbers as E.164 text, statuses, failure
//! types and mailing states by the spec's names (`outgoing`, `sms_blacklist`, `in_queue`), so
//! the file can be read with the `sqlite3` shell. Every lookup the engine makes has an index:
//! traces by mailing, the outgoing and claimed traces of a mailing (partial indexes), by
//! provider message id, by contact, by number and send time; links by code and target; clicks
//! by code and trace.
//!
//! Short-link codes are drawn from a generator seeded by the operating system (a unique index
//! guards them); [`SqliteStore::with_link_seed`] makes them reproducible.
//!
//! # Durability
//!
//! The database runs in WAL mode with `synchronous = NORMAL`: a committed transaction survives
//! the process being killed at any point (the guarantee the send pipeline needs); the last
//! transactions before a power loss or an operating-system crash may be rolled back, never
//! half-applied. A 5 s busy timeout lets several processes share the file (the CLI and a
//! worker); foreign keys are enforced (except on traces, whose bulk writes they would slow).
//!
//! A process that is the only sender of its database resumes a crashed send with
//! [`Settings::with_claim_lease`](smskit::Settings::with_claim_lease)`(Duration::zero())`:
//! every claim stamped before the resumed send's `now` is then marked unknown at once.
//!
//! [`Store`]: smskit::Store

#![forbid(unsafe_code)]
#![warn(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::print_stdout,
    clippy::print_stderr
)]

mod checkpoint;
mod codec;
mod error;
mod links;
mod store;

use std::fmt;
use std::path::{Path, PathBuf};
use std::time::Duration;

use rand::SeedableRng;
use rusqlite::functions::FunctionFlags;
use rusqlite::{Connection, TransactionBehavior};
use smskit::links::StdRng;
use smskit::store::StoreError;

use error::During;
pub use error::Error;

/// The migrations, in order: migration `n` (1-based) brings a database to `user_version` `n`.
const MIGRATIONS: [&str; 2] = [
    include_str!("../migrations/0001_init.sql"),
    include_str!("../migrations/0002_workers.sql"),
];

/// The schema version this crate writes (the number of its migrations).
#[allow(clippy::cast_possible_wrap, reason = "a handful of migrations")]
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// How long a statement waits for another process's write lock before it fails.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// A [`Store`](smskit::Store) (and [`LinkStore`](smskit::links::LinkStore)) in a SQLite
/// database: one connection, used from one thread at a time (open one store per thread or
/// process; SQLite serialises their writes).
pub struct SqliteStore {
    conn: Connection,
    path: Option<PathBuf>,
    /// Draws short-link codes (a unique index guards them; a collision draws again).
    rng: StdRng,
    /// The links read so far, by code: a link never changes once created, and a burst of taps
    /// on one short link would otherwise read and rebuild it twice per tap.
    links: links::LinkCache,
    /// The thread that checkpoints the log, when asked for
    /// ([`SqliteStore::with_background_checkpoints`]).
    checkpointer: Option<checkpoint::Checkpointer>,
}

impl SqliteStore {
    /// Opens the database at `path`, creating the file when there is none, and migrates it to
    /// [`SCHEMA_VERSION`].
    ///
    /// # Errors
    /// [`StoreError::Backend`] with [`Error::NewerSchema`] for a database of a newer version,
    /// or [`Error::Sqlite`] when the file cannot be opened or is not a database.
    pub fn open(path: impl AsRef<Path>) -> Result<SqliteStore, StoreError> {
        let path = path.as_ref();
        let conn = Connection::open(path).during("open the database")?;
        SqliteStore::setup(conn, Some(path.to_path_buf()))
    }

    /// A database in memory, lost when the store is dropped (tests, one-off runs).
    ///
    /// # Errors
    /// [`StoreError::Backend`] when SQLite cannot allocate it.
    pub fn open_in_memory() -> Result<SqliteStore, StoreError> {
        let conn = Connection::open_in_memory().during("open a database in memory")?;
        SqliteStore::setup(conn, None)
    }

    /// Draws short-link codes from a generator seeded with `seed` instead of the operating
    /// system's randomness: the same seed on the same database gives the same codes
    /// (reproducible demos and tests).
    #[must_use]
    pub fn with_link_seed(mut self, seed: u64) -> Self {
        self.rng = StdRng::seed_from_u64(seed);
        self
    }

    /// The file of the database (`None` in memory).
    #[must_use]
    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// The SQLite connection, for reading the tables with SQL (reports an application builds
    /// itself). Writing through it bypasses the store's rules.
    #[must_use]
    pub fn connection(&self) -> &Connection {
        &self.conn
    }

    fn setup(mut conn: Connection, path: Option<PathBuf>) -> Result<SqliteStore, StoreError> {
        conn.busy_timeout(BUSY_TIMEOUT)
            .during("set the busy timeout")?;
        // WAL: readers never block the writer, and a commit is one append to the log.
        // (In memory the mode stays `memory`, which is fine.)
        let _mode: String = conn
            .query_row("PRAGMA journal_mode = WAL", [], |row| row.get(0))
            .during("switch to WAL")?;
        // NORMAL: in WAL mode a commit survives the process being killed (not a power loss).
        // A 64 MiB page cache and checkpoints every 8,192 pages (32 MiB of WAL) rather than
        // 1,000: a bulk preparation rewrites the same index pages in every batch it commits,
        // and a rarer checkpoint copies each of them to the database once, not once per batch
        // (store/sqlite/prepare/1m: 5.1 s -> 3.5 s).
        conn.execute_batch(
            "PRAGMA synchronous = NORMAL;
             PRAGMA foreign_keys = ON;
             PRAGMA cache_size = -65536;
             PRAGMA wal_autocheckpoint = 8192;",
        )
        .during("configure the connection")?;
        // The Unicode lower-casing the SQL of `ilike` domains calls (SQLite's own is ASCII).
        conn.create_scalar_function(
            smskit::filter::sql::CASEFOLD_FUNCTION,
            1,
            FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_DETERMINISTIC,
            |ctx| {
                Ok(ctx
                    .get::<Option<String>>(0)?
                    .map(|text| smskit::filter::sql::casefold(&text)))
            },
        )
        .during("register the casefold function")?;
        migrate(&mut conn)?;
        Ok(SqliteStore {
            conn,
            path,
            rng: rand::make_rng(),
            links: links::LinkCache::default(),
            checkpointer: None,
        })
    }
}

/// Applies the migrations the database has not had, each in its own transaction with the
/// version it brings.
fn migrate(conn: &mut Connection) -> Result<(), StoreError> {
    let during = "migrate the schema";
    let tx = conn
        .transaction_with_behavior(TransactionBehavior::Immediate)
        .during(during)?;
    let found: i64 = tx
        .pragma_query_value(None, "user_version", |row| row.get(0))
        .during(during)?;
    if found > SCHEMA_VERSION {
        return Err(Error::NewerSchema {
            found,
            supported: SCHEMA_VERSION,
        }
        .into());
    }
    for (version, sql) in (1..)
        .zip(MIGRATIONS)
        .skip(usize::try_from(found).unwrap_or(0))
    {
        tx.execute_batch(sql).during(during)?;
        tx.pragma_update(None, "user_version", version)
            .during(during)?;
    }
    tx.commit().during(during)
}

impl fmt::Debug for SqliteStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SqliteStore")
            .field("path", &self.path)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_database_gets_the_current_schema_and_reopens() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s.db");
        let store = SqliteStore::open(&path).unwrap();
        let version: i64 = store
            .conn
            .pragma_query_value(None, "user_version", |row| row.get(0))
            .unwrap();
        assert_eq!(version, SCHEMA_VERSION);
        let mode: String = store
            .conn
            .pragma_query_value(None, "journal_mode", |row| row.get(0))
            .unwrap();
        assert_eq!(mode, "wal");
        let fk: i64 = store
            .conn
            .pragma_query_value(None, "foreign_keys", |row| row.get(0))
            .unwrap();
        assert_eq!(fk, 1);
        drop(store);
        let again = SqliteStore::open(&path).unwrap();
        assert_eq!(again.path(), Some(path.as_path()));
        assert!(format!("{again:?}").contains("s.db"));
    }

    #[test]
    fn a_database_from_a_newer_version_is_refused_and_left_alone() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("new.db");
        let conn = Connection::open(&path).unwrap();
        conn.pragma_update(None, "user_version", SCHEMA_VERSION + 1)
            .unwrap();
        drop(conn);
        let error = SqliteStore::open(&path).unwrap_err();
        let StoreError::Backend(inner) = &error else {
            panic!("{error:?}")
        };
        assert!(matches!(
            inner.downcast_ref::<Error>(),
            Some(Error::NewerSchema { found, supported })
                if *found == SCHEMA_VERSION + 1 && *supported == SCHEMA_VERSION
        ));
        assert!(error.to_string().contains("upgrade smskit"), "{error}");
        let conn = Connection::open(&path).unwrap();
        let tables: i64 = conn
            .query_row("SELECT count(*) FROM sqlite_master", [], |row| row.get(0))
            .unwrap();
        assert_eq!(tables, 0);
    }

    #[test]
    fn a_file_that_is_not_a_database_is_a_backend_error() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("text.db");
        std::fs::write(
            &path,
            "not a database, just text that is long enough to matter .....",
        )
        .unwrap();
        assert!(matches!(
            SqliteStore::open(&path),
            Err(StoreError::Backend(_))
        ));
    }
}
