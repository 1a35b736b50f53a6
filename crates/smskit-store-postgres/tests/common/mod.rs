//! Test fixtures: the server's URL, and fresh schemas dropped when the fixture is.

#![allow(dead_code, reason = "each test file uses a part")]

use std::sync::atomic::{AtomicUsize, Ordering};

use smskit_store_postgres::PostgresStore;

/// The server the tests use: `SMSKIT_TEST_POSTGRES`, or the local test database.
pub(crate) fn url() -> String {
    std::env::var("SMSKIT_TEST_POSTGRES")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".to_owned())
}

/// Hands out stores in fresh schemas and drops those schemas when it is dropped.
#[derive(Debug)]
pub(crate) struct Schemas {
    prefix: String,
    made: std::cell::RefCell<Vec<String>>,
}

/// Schemas made by this process, so names never repeat (tests run in parallel threads).
static MADE: AtomicUsize = AtomicUsize::new(0);

impl Schemas {
    /// Schemas named `smskit_test_<what>_<pid>_<n>`.
    pub(crate) fn new(what: &str) -> Schemas {
        Schemas {
            prefix: format!("smskit_test_{what}_{}", std::process::id()),
            made: std::cell::RefCell::new(Vec::new()),
        }
    }

    /// A new schema's name (not yet created).
    pub(crate) fn name(&self) -> String {
        let name = format!("{}_{}", self.prefix, MADE.fetch_add(1, Ordering::Relaxed));
        self.made.borrow_mut().push(name.clone());
        name
    }

    /// A store in a new, empty schema. Panics (failing the test) when the server cannot be
    /// reached: these tests never skip.
    pub(crate) fn store(&self) -> PostgresStore {
        let name = self.name();
        PostgresStore::connect_in_schema(&url(), &name).unwrap_or_else(|error| {
            panic!(
                "cannot connect to PostgreSQL at {} (set SMSKIT_TEST_POSTGRES): {error}",
                url()
            )
        })
    }
}

impl Drop for Schemas {
    fn drop(&mut self) {
        let names = self.made.borrow();
        if names.is_empty() {
            return;
        }
        // Best effort: a schema left behind by a failed drop is only clutter.
        if let Ok(mut client) = postgres::Client::connect(&url(), postgres::NoTls) {
            for name in names.iter() {
                let _ = client.batch_execute(&format!("DROP SCHEMA IF EXISTS \"{name}\" CASCADE"));
            }
        }
    }
}
