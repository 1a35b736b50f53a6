//! The campaign commands' database: the `--db` option, the one place that opens the store,
//! the clock, and how the facade's errors become exit codes.
//!
//! Every campaign command goes through [`open`], so the store behind the commands is chosen
//! here and nowhere else.

use std::path::{Path, PathBuf};

use smskit::chrono::{DateTime, Utc};
use smskit::store::StoreError;
use smskit::{Engine, Error, Settings};
use smskit_store_sqlite::SqliteStore;

use crate::failure::Failure;
use crate::output;

/// The store the campaign commands work on: SQLite, one file, durable across a crash of the
/// process (a send killed in the middle resumes).
pub(crate) type Db = SqliteStore;

/// `--db PATH`, shared by every command that works on a database.
#[derive(Debug, Clone, clap::Args)]
pub(crate) struct DbArgs {
    /// The database file (created on first use).
    #[arg(
        long,
        value_name = "PATH",
        env = "SMSKIT_DB",
        default_value = "smskit.db"
    )]
    pub(crate) db: PathBuf,
}

/// Opens (creating on first use) the database at `path`.
pub(crate) fn open_store(path: &Path) -> Result<Db, Failure> {
    SqliteStore::open(path).map_err(|error| {
        Failure::new(format_args!(
            "cannot open the database {}: {}",
            output::printable_path(path),
            output::printable_lines(&error.to_string())
        ))
    })
}

/// An engine over the database at `path`.
pub(crate) fn open(path: &Path, settings: Settings) -> Result<Engine<Db>, Failure> {
    Ok(Engine::new(open_store(path)?, settings))
}

/// The time now. chrono is built without its `clock` feature, so `Utc::now()` is not there.
pub(crate) fn now() -> DateTime<Utc> {
    std::time::SystemTime::now().into()
}

/// A store failure: exit 1 (the command could not do its job), with what failed.
pub(crate) fn store_failure(error: StoreError) -> Failure {
    Failure::new(output::printable_lines(&error.to_string()))
}

/// A facade error as a failure: invalid input (a template, a domain, a name, a time in the
/// past, a setting) exits 2; anything else (a record that does not exist, a mailing in the
/// wrong state, the store or the provider failing) exits 1.
pub(crate) fn failure(error: Error) -> Failure {
    let code = match &error {
        Error::Template(_)
        | Error::Filter(_)
        | Error::InvalidName(_)
        | Error::ScheduleInPast { .. }
        | Error::InvalidSetting(_)
        | Error::NotConfigured(_) => 2,
        _ => 1,
    };
    Failure::with_code(output::printable_lines(&error.to_string()), code)
}

/// Parses an RFC 3339 time (`2026-05-01T09:00:00Z`, `2026-05-01T11:00:00+02:00`).
pub(crate) fn parse_time(text: &str) -> Result<DateTime<Utc>, String> {
    DateTime::parse_from_rfc3339(text.trim())
        .map(|time| time.to_utc())
        .map_err(|error| {
            format!("`{text}` is not an RFC 3339 time (2026-05-01T09:00:00Z): {error}")
        })
}
