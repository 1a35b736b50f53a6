//! The crate's one error type, and how it maps onto the facade's [`StoreError`].

use rusqlite::ErrorCode;
use smskit::store::StoreError;

/// What went wrong in the SQLite store. It reaches callers inside
/// [`StoreError::Backend`] (downcast it to act on it), except unique-key violations
/// ([`StoreError::Conflict`]) and references to missing records ([`StoreError::NotFound`]).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// SQLite failed while the store was doing `during`.
    #[error("{during}: {source}")]
    Sqlite {
        /// What the store was doing (`claim outgoing traces`).
        during: &'static str,
        /// SQLite's error.
        #[source]
        source: rusqlite::Error,
    },
    /// The database was written by a newer version of this crate: its schema cannot be read
    /// (or migrated down), so it is left untouched.
    #[error(
        "the database has schema version {found}, newer than the {supported} this version of \
         smskit-store-sqlite knows: upgrade smskit to open it"
    )]
    NewerSchema {
        /// The database's `PRAGMA user_version`.
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
    #[error("cannot store {what}: this version of smskit-store-sqlite does not know it")]
    Unsupported {
        /// What.
        what: String,
    },
}

impl From<Error> for StoreError {
    fn from(error: Error) -> Self {
        StoreError::Backend(Box::new(error))
    }
}

/// Maps a SQLite error met while doing `during`: a unique violation is a conflict, a foreign
/// key violation a missing record, anything else the backend's failure.
pub(crate) fn store_error(during: &'static str, source: rusqlite::Error) -> StoreError {
    if let rusqlite::Error::SqliteFailure(failure, _) = &source
        && failure.code == ErrorCode::ConstraintViolation
    {
        match failure.extended_code {
            rusqlite::ffi::SQLITE_CONSTRAINT_UNIQUE
            | rusqlite::ffi::SQLITE_CONSTRAINT_PRIMARYKEY => {
                return StoreError::conflict(format_args!("the record ({during})"));
            }
            rusqlite::ffi::SQLITE_CONSTRAINT_FOREIGNKEY => {
                return StoreError::not_found(format_args!("a record referred to ({during})"));
            }
            _ => {}
        }
    }
    Error::Sqlite { during, source }.into()
}

/// `.during("what")` on SQLite results: the error names what the store was doing.
pub(crate) trait During<T> {
    fn during(self, what: &'static str) -> Result<T, StoreError>;
}

impl<T> During<T> for rusqlite::Result<T> {
    fn during(self, what: &'static str) -> Result<T, StoreError> {
        self.map_err(|error| store_error(what, error))
    }
}

/// Whether `error` is a violation of a unique key.
pub(crate) fn is_unique_violation(error: &rusqlite::Error) -> bool {
    matches!(
        error,
        rusqlite::Error::SqliteFailure(failure, _)
            if failure.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_UNIQUE
                || failure.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_PRIMARYKEY
    )
}
