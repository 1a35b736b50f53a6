//! The crate's one error type, and how it maps onto the facade's [`StoreError`].

use postgres::error::SqlState;
use smskit::store::StoreError;

/// What went wrong in the PostgreSQL store. It reaches callers inside
/// [`StoreError::Backend`] (downcast it to act on it), except unique-key violations
/// ([`StoreError::Conflict`]) and references to missing records ([`StoreError::NotFound`]).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// PostgreSQL (or the connection to it) failed while the store was doing `during`.
    #[error("{during}: {source}")]
    Postgres {
        /// What the store was doing (`claim outgoing traces`).
        during: &'static str,
        /// The client's error (the server's message, SQLSTATE and position are in it).
        #[source]
        source: postgres::Error,
    },
    /// The schema was written by a newer version of this crate: it cannot be read (or
    /// migrated down), so it is left untouched.
    #[error(
        "the database has schema version {found}, newer than the {supported} this version of \
         smskit-store-postgres knows: upgrade smskit to open it"
    )]
    NewerSchema {
        /// The version recorded in `smskit_schema_version`.
        found: i64,
        /// The newest version this crate migrates to.
        supported: i64,
    },
    /// A stored value cannot be read back (edited by hand, or written by a newer version).
    #[error("the database holds a value smskit cannot read: {what}")]
    Corrupt {
        /// Which value, and why.
        what: String,
    },
    /// A value of the facade this version cannot store (a variant added after it).
    #[error("cannot store {what}: this version of smskit-store-postgres does not know it")]
    Unsupported {
        /// What.
        what: String,
    },
    /// A read method was called from inside the visitor of another read of the same store
    /// (the one connection is busy streaming that read's rows).
    #[error("the store is busy streaming rows to a visitor: {during} cannot run inside it")]
    Busy {
        /// What the inner call was to do.
        during: &'static str,
    },
}

impl From<Error> for StoreError {
    fn from(error: Error) -> Self {
        StoreError::Backend(Box::new(error))
    }
}

/// Maps a PostgreSQL error met while doing `during`: a unique violation is a conflict, a
/// foreign key violation a missing record, anything else (a lost connection included) the
/// backend's failure.
pub(crate) fn store_error(during: &'static str, source: postgres::Error) -> StoreError {
    match source.code() {
        Some(code) if *code == SqlState::UNIQUE_VIOLATION => {
            StoreError::conflict(format_args!("the record ({during})"))
        }
        Some(code) if *code == SqlState::FOREIGN_KEY_VIOLATION => {
            // The constraint says which reference (`subscriptions_list_fkey`).
            let constraint = source
                .as_db_error()
                .and_then(|error| error.constraint())
                .unwrap_or("a foreign key");
            StoreError::not_found(format_args!(
                "a record referred to by {constraint} ({during})"
            ))
        }
        _ => Error::Postgres { during, source }.into(),
    }
}

/// `.during("what")` on client results: the error names what the store was doing.
pub(crate) trait During<T> {
    fn during(self, what: &'static str) -> Result<T, StoreError>;
}

impl<T> During<T> for Result<T, postgres::Error> {
    fn during(self, what: &'static str) -> Result<T, StoreError> {
        self.map_err(|error| store_error(what, error))
    }
}

/// Whether `error` is a violation of a unique key.
pub(crate) fn is_unique_violation(error: &postgres::Error) -> bool {
    error.code() == Some(&SqlState::UNIQUE_VIOLATION)
}
