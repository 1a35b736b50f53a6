//! The PostgreSQL fixture of the CLI tests: a schema of its own for each test, created before
//! and dropped after, and the `--db` URL that puts a run of the binary in it.
//!
//! Included with `#[path]` by the test files that need a server (see `common/mod.rs`).

#![allow(dead_code, reason = "each test file uses a part")]

use std::sync::atomic::{AtomicUsize, Ordering};

/// The server the tests use: `SMSKIT_TEST_POSTGRES` (a `postgres://` URL), or the local test
/// database; as in smskit-store-postgres's tests.
pub(crate) fn server_url() -> String {
    std::env::var("SMSKIT_TEST_POSTGRES")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".to_owned())
}

/// Schemas made by this process, so names never repeat (tests run in parallel threads).
static MADE: AtomicUsize = AtomicUsize::new(0);

/// An empty schema in the test server, dropped (with everything in it) when this is dropped.
#[derive(Debug)]
pub(crate) struct Schema {
    name: String,
}

impl Schema {
    /// Creates the schema `smskit_cli_<what>_<pid>_<n>`. Panics (failing the test) when the
    /// server cannot be reached: these tests never skip.
    pub(crate) fn new(what: &str) -> Schema {
        let name = format!(
            "smskit_cli_{what}_{}_{}",
            std::process::id(),
            MADE.fetch_add(1, Ordering::Relaxed)
        );
        client()
            .batch_execute(&format!("CREATE SCHEMA \"{name}\""))
            .unwrap_or_else(|error| panic!("cannot create the schema {name}: {error}"));
        Schema { name }
    }

    /// The `--db` URL of a run in this schema: the server's URL with libpq's
    /// `options=-csearch_path=<schema>`, the way the CLI's help says to choose a schema.
    pub(crate) fn url(&self) -> String {
        let server = server_url();
        let separator = if server.contains('?') { '&' } else { '?' };
        format!("{server}{separator}options=-csearch_path%3D{}", self.name)
    }

    /// How many rows `table` of the schema holds (proof that a run wrote there).
    pub(crate) fn count(&self, table: &str) -> i64 {
        client()
            .query_one(
                &format!("SELECT count(*) FROM \"{}\".\"{table}\"", self.name),
                &[],
            )
            .unwrap_or_else(|error| panic!("cannot count {table} in {}: {error}", self.name))
            .get(0)
    }
}

impl Drop for Schema {
    fn drop(&mut self) {
        // Best effort: a schema left behind by a failed drop is only clutter.
        if let Ok(mut client) = postgres::Client::connect(&server_url(), postgres::NoTls) {
            let _ =
                client.batch_execute(&format!("DROP SCHEMA IF EXISTS \"{}\" CASCADE", self.name));
        }
    }
}

/// A connection to the test server; panics (failing the test) when it is down.
fn client() -> postgres::Client {
    postgres::Client::connect(&server_url(), postgres::NoTls).unwrap_or_else(|error| {
        panic!(
            "cannot connect to PostgreSQL at {} (set SMSKIT_TEST_POSTGRES): {error}",
            server_url()
        )
    })
}
