//! The smskit [`Store`] on PostgreSQL: the database your application already runs is the
//! queue and the lock, for any number of sending workers on any number of hosts.
//!
//! - **Many workers, each message claimed once.** [`Store::claim_outgoing`] is one
//!   `UPDATE ... WHERE id IN (SELECT ... FOR UPDATE SKIP LOCKED LIMIT n) RETURNING ...`:
//!   workers claiming at the same moment take disjoint batches and never wait for each other.
//! - **Crash-safe sending.** A trace is committed as claimed (`process`) before its message
//!   leaves and its outcome is committed when the provider answers; claims a dead worker left
//!   behind become `error` / `unknown` ("may have been sent") once their lease runs out, and
//!   are never resent on their own.
//! - **Workers on many hosts** run [`Engine::work`](smskit::Engine::work) (or `smskit
//!   worker`): leases in the `leases` table make one worker prepare a due mailing and one
//!   choose an A/B test's winner; a sender's rate limit is booked on its row of
//!   `send_schedule` (one `INSERT ... ON CONFLICT DO UPDATE ... RETURNING` per batch), so it
//!   holds across all workers together. `tests/workers.rs` runs four worker processes, kills
//!   one with SIGKILL mid-batch and restarts it: every message is sent once, the killed batch
//!   ends `unknown`.
//! - **Every state change is one statement or one short transaction**; outcomes of a batch
//!   are recorded by one `UPDATE ... FROM unnest(...)`, and traces are prepared in statements
//!   of 10,000 rows (`INSERT ... SELECT FROM unnest(...)`, still one trace per mailing and
//!   contact when several processes prepare at once): a million traces prepared and persisted
//!   in about 12 s on a 2-core machine shared with the server (`store/postgres/prepare/1m`),
//!   most of it PostgreSQL's own inserts.
//! - **Migrations embedded** and applied on connect, in one transaction, recorded in
//!   `smskit_schema_version`; a newer schema is refused.
//! - **The same behaviour as [`MemoryStore`](smskit::MemoryStore) and the SQLite store**: all
//!   pass the one shared conformance suite (`smskit-store-tests`), and the tables, columns and
//!   encodings are the SQLite store's.
//!
//! # Example: a campaign in PostgreSQL
//!
//! The example needs a running server (the URL below is the test setup's: trust
//! authentication on 127.0.0.1), so it is compiled but not run here; `tests/end_to_end.rs`
//! runs the same steps for real.
//!
//! ```no_run
//! use smskit::model::{Audience, NewContact, NewMailing};
//! use smskit::provider::{SimulatedClock, StubProvider};
//! use smskit::{Engine, Settings};
//! use smskit_store_postgres::PostgresStore;
//!
//! let url = "postgres://postgres@127.0.0.1:5432/test";
//! let now = chrono::DateTime::UNIX_EPOCH;
//!
//! // Each application (or test) may keep its tables in a schema of its own.
//! let store = PostgresStore::connect_in_schema(url, "smskit_example")?;
//! let mut engine = Engine::new(store, Settings::new());
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
//!
//! // Any process connected to the same database can send it (or a part of it).
//! let worker = PostgresStore::connect_in_schema(url, "smskit_example")?;
//! let mut engine = Engine::new(worker, Settings::new());
//! let sent = engine.send(mailing, &StubProvider::new(), &SimulatedClock::new(), now)?;
//! assert_eq!(sent.accepted, 2);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Example: a worker
//!
//! Each worker process connects on its own and loops until told to stop (a signal handler
//! sets the flag); the claim lease says how long a silent worker's batch is taken for alive.
//!
//! ```no_run
//! use std::sync::Arc;
//! use std::sync::atomic::AtomicBool;
//! use smskit::provider::{StubProvider, SystemClock};
//! use smskit::worker::WorkOptions;
//! use smskit::{Engine, Settings};
//! use smskit_store_postgres::PostgresStore;
//!
//! let store = PostgresStore::connect("postgres://postgres@127.0.0.1:5432/test")?;
//! let settings = Settings::new().with_claim_lease(chrono::TimeDelta::minutes(5));
//! let mut engine = Engine::new(store, settings);
//! let stop = Arc::new(AtomicBool::new(false));
//! let options = WorkOptions::new("mail-1:4242").with_stop(Arc::clone(&stop));
//! let now = std::time::SystemTime::now().into();
//! let worked = engine.work(&StubProvider::new(), &SystemClock::new(), now, &options, &mut |run| {
//!     eprintln!("mailing {}: {:?}", run.mailing, run.result);
//! })?;
//! eprintln!("{} messages sent", worked.sent.accepted);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Features
//!
//! | feature | default | enables |
//! |---|---|---|
//! | (none) | | the synchronous `postgres` client, plain TCP or a Unix socket (no TLS yet) |
//!
//! # Schema and migrations
//!
//! The schema lives in `migrations/` (`0001_init.sql`, ...), compiled into the crate. Connecting
//! applies, in one transaction under an advisory lock (so workers starting together migrate
//! once), the migrations past the greatest version in `smskit_schema_version`, recording each;
//! a schema from a newer version of this crate is refused ([`Error::NewerSchema`]) and left
//! untouched. [`PostgresStore::connect_in_schema`] keeps every table in a schema of its own
//! (created when missing, then first on the connection's `search_path`).
//!
//! Tables, columns and encodings are the SQLite store's: times are integer microseconds since
//! the Unix epoch, phone numbers E.164 text, statuses, failure types and mailing states the
//! spec's names (`outgoing`, `sms_blacklist`, `in_queue`); tags, free fields and id lists are
//! `jsonb`. Contact names sort as bytes (`COLLATE "C"`), whatever the database's locale.
//!
//! # One connection per store
//!
//! A store is one connection, used from one thread at a time; give each worker thread or
//! process its own store. Reads that visit many rows stream them from the server while the
//! visitor runs: calling another read of the same store from inside a visitor is
//! [`Error::Busy`] (read what you need first, or use a second store).
//!
//! Short-link codes are drawn from a generator seeded by the operating system (a unique index
//! guards them); [`PostgresStore::with_link_seed`] makes them reproducible.
//!
//! [`Store`]: smskit::Store
//! [`Store::claim_outgoing`]: smskit::Store::claim_outgoing

#![forbid(unsafe_code)]
#![warn(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::print_stdout,
    clippy::print_stderr
)]

mod codec;
mod error;
mod links;
mod store;

use std::cell::{RefCell, RefMut};
use std::collections::HashMap;
use std::fmt;

use postgres::config::Host;
use postgres::{Client, Config, GenericClient, NoTls, Statement};
use rand::SeedableRng;
use smskit::links::StdRng;
use smskit::store::StoreError;

use error::During;
pub use error::Error;

/// The migrations, in order: migration `n` (1-based) brings a schema to version `n`.
const MIGRATIONS: [&str; 2] = [
    include_str!("../migrations/0001_init.sql"),
    include_str!("../migrations/0002_workers.sql"),
];

/// The schema version this crate writes (the number of its migrations).
#[allow(clippy::cast_possible_wrap, reason = "a handful of migrations")]
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// The advisory lock held while migrating ("smskit" in ASCII): processes connecting to a new
/// database at once migrate it one after the other.
const MIGRATION_LOCK: i64 = 0x736d_736b_6974;

/// A [`Store`](smskit::Store) (and [`LinkStore`](smskit::links::LinkStore)) in a PostgreSQL
/// database: one connection, used from one thread at a time (connect one store per worker
/// thread or process; PostgreSQL keeps their claims apart).
pub struct PostgresStore {
    conn: RefCell<Conn>,
    /// `user@host:port/dbname`, never the password (what `Debug` shows).
    target: String,
    /// The schema given to [`PostgresStore::connect_in_schema`].
    schema: Option<String>,
    /// Draws short-link codes (a unique index guards them; a collision draws again).
    rng: StdRng,
}

/// The connection and its prepared statements.
pub(crate) struct Conn {
    pub(crate) client: Client,
    pub(crate) statements: Statements,
}

/// The statements prepared on a connection, by their SQL: a hot statement is parsed and
/// planned once, and each later call is one round trip.
#[derive(Default)]
pub(crate) struct Statements(HashMap<&'static str, Statement>);

impl Statements {
    /// The statement of `sql`, prepared on `client` the first time.
    pub(crate) fn get(
        &mut self,
        client: &mut impl GenericClient,
        sql: &'static str,
    ) -> Result<Statement, postgres::Error> {
        if let Some(statement) = self.0.get(sql) {
            return Ok(statement.clone());
        }
        let statement = client.prepare(sql)?;
        self.0.insert(sql, statement.clone());
        Ok(statement)
    }
}

impl PostgresStore {
    /// Connects to the database at `url` (`postgres://user[:password]@host[:port]/dbname`, or
    /// the `key=value` form) and migrates it to [`SCHEMA_VERSION`]; the tables live in the
    /// first schema of the connection's `search_path` (usually `public`).
    ///
    /// # Errors
    /// [`StoreError::Backend`] with [`Error::Postgres`] when the URL is malformed or the server
    /// cannot be reached, and with [`Error::NewerSchema`] for a schema of a newer version.
    pub fn connect(url: &str) -> Result<PostgresStore, StoreError> {
        PostgresStore::open(url, None)
    }

    /// Like [`PostgresStore::connect`], with every table in the schema `schema` (created when
    /// missing, and put first on the connection's `search_path`): several applications, or
    /// tests, share one database without seeing each other's rows.
    ///
    /// # Errors
    /// As [`PostgresStore::connect`].
    pub fn connect_in_schema(url: &str, schema: &str) -> Result<PostgresStore, StoreError> {
        PostgresStore::open(url, Some(schema))
    }

    fn open(url: &str, schema: Option<&str>) -> Result<PostgresStore, StoreError> {
        let config: Config = url.parse().during("read the connection URL")?;
        let target = describe(&config);
        let mut client = config.connect(NoTls).during("connect to the database")?;
        if let Some(schema) = schema {
            // Session-wide, before the migration: its tables are created in that schema.
            client
                .batch_execute(&format!("SET search_path TO {}", quote(schema)))
                .during("set the search path")?;
        }
        migrate(&mut client, schema)?;
        Ok(PostgresStore {
            conn: RefCell::new(Conn {
                client,
                statements: Statements::default(),
            }),
            target,
            schema: schema.map(str::to_owned),
            rng: rand::make_rng(),
        })
    }

    /// Draws short-link codes from a generator seeded with `seed` instead of the operating
    /// system's randomness: the same seed on the same database gives the same codes
    /// (reproducible demos and tests).
    #[must_use]
    pub fn with_link_seed(mut self, seed: u64) -> Self {
        self.rng = StdRng::seed_from_u64(seed);
        self
    }

    /// The schema given to [`PostgresStore::connect_in_schema`] (`None` after
    /// [`PostgresStore::connect`]).
    #[must_use]
    pub fn schema(&self) -> Option<&str> {
        self.schema.as_deref()
    }

    /// Whether the connection is lost (the server restarted or ended the session): every
    /// call then fails with [`StoreError::Backend`], and a worker connects again.
    #[must_use]
    pub fn is_closed(&self) -> bool {
        // Inside a visitor the connection is busy streaming, hence open.
        self.conn
            .try_borrow()
            .is_ok_and(|conn| conn.client.is_closed())
    }

    /// The client, for reading the tables with SQL (reports an application builds itself).
    /// Writing through it bypasses the store's rules.
    pub fn client(&mut self) -> &mut Client {
        &mut self.conn.get_mut().client
    }

    /// The connection, for a method of `&mut self`.
    pub(crate) fn conn_mut(&mut self) -> &mut Conn {
        self.conn.get_mut()
    }

    /// The connection, for a read of `&self`; [`Error::Busy`] inside another read's visitor.
    pub(crate) fn conn(&self, during: &'static str) -> Result<RefMut<'_, Conn>, Error> {
        self.conn
            .try_borrow_mut()
            .map_err(|_| Error::Busy { during })
    }
}

/// `name` as a quoted SQL identifier (any text is a valid schema name that way).
fn quote(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// `user@host:port/dbname` of `config`, without its password.
fn describe(config: &Config) -> String {
    let hosts: Vec<String> = config
        .get_hosts()
        .iter()
        .zip(config.get_ports().iter().chain(std::iter::repeat(&5432)))
        .map(|(host, port)| match host {
            Host::Tcp(name) => format!("{name}:{port}"),
            #[cfg(unix)]
            Host::Unix(path) => format!("{}:{port}", path.display()),
        })
        .collect();
    format!(
        "{}@{}/{}",
        config.get_user().unwrap_or(""),
        hosts.join(","),
        config.get_dbname().unwrap_or("")
    )
}

/// Applies the migrations the schema has not had, in one transaction under an advisory lock
/// (creating the schema first when one is named).
fn migrate(client: &mut Client, schema: Option<&str>) -> Result<(), StoreError> {
    let during = "migrate the schema";
    let mut tx = client.transaction().during(during)?;
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK])
        .during(during)?;
    if let Some(schema) = schema {
        tx.batch_execute(&format!("CREATE SCHEMA IF NOT EXISTS {}", quote(schema)))
            .during("create the schema")?;
    }
    tx.batch_execute(
        "CREATE TABLE IF NOT EXISTS smskit_schema_version (
             version    BIGINT      PRIMARY KEY,
             applied_at TIMESTAMPTZ NOT NULL DEFAULT now()
         )",
    )
    .during(during)?;
    let found: i64 = tx
        .query_one(
            "SELECT coalesce(max(version), 0)::BIGINT FROM smskit_schema_version",
            &[],
        )
        .and_then(|row| row.try_get(0))
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
        let version: i64 = version;
        tx.batch_execute(sql).during(during)?;
        tx.execute(
            "INSERT INTO smskit_schema_version (version) VALUES ($1)",
            &[&version],
        )
        .during(during)?;
    }
    tx.commit().during(during)
}

impl fmt::Debug for PostgresStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PostgresStore")
            .field("target", &self.target)
            .field("schema", &self.schema)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiers_are_quoted() {
        assert_eq!(quote("plain"), "\"plain\"");
        assert_eq!(quote("a\"b"), "\"a\"\"b\"");
    }

    #[test]
    fn the_description_has_no_password() {
        let config: Config = "postgres://ana:s3cret@db.example:6543/prod"
            .parse()
            .unwrap();
        let described = describe(&config);
        assert_eq!(described, "ana@db.example:6543/prod");
        let config: Config = "host=h user=u password=hunter2 dbname=d".parse().unwrap();
        assert_eq!(describe(&config), "u@h:5432/d");
    }
}
