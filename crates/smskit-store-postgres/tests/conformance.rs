//! The shared store conformance suite on PostgreSQL: every store a case needs lives in a
//! schema of its own (a unique name), dropped when the test ends.
//!
//! The server comes from `SMSKIT_TEST_POSTGRES` (default
//! `postgres://postgres@127.0.0.1:5432/test`); an unreachable server fails the tests.

mod common;

smskit_store_tests::conformance!(factory: {
    let schemas = common::Schemas::new("conformance");
    move || schemas.store()
});
