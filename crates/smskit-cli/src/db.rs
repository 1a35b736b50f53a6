//! The campaign commands' database: the `--db` option, the one place that opens the store,
//! the clock, and how the facade's errors become exit codes.
//!
//! Every campaign command goes through [`open`], so the store behind the commands is chosen
//! here and nowhere else: a SQLite file, or a PostgreSQL database named by a URL.

use std::collections::HashSet;
use std::ffi::OsString;
use std::fmt;
use std::path::PathBuf;

use smskit::chrono::{DateTime, Utc};
use smskit::links::{
    self, Click, ClickScope, ClickStats, Code, Link, LinkRequest, LinkStore, RecordedClick,
};
use smskit::model::{
    AbTest, AbTestId, BlacklistEntry, Campaign, CampaignId, Contact, ContactId, ListId, Mailing,
    MailingId, MailingList, MailingState, NewCampaign, NewContact, NewMailing, Subscription, Trace,
    TraceId,
};
use smskit::phone::E164;
use smskit::reply::Reply;
use smskit::store::{ClickRecord, Outcome, StatusUpdate, StoreError};
use smskit::{Engine, Error, Settings, Store};
use smskit_store_postgres::PostgresStore;
use smskit_store_sqlite::SqliteStore;

use crate::failure::Failure;
use crate::output;

/// `--db`, shared by every command that works on a database.
#[derive(Debug, Clone, clap::Args)]
pub(crate) struct DbArgs {
    /// The database: a SQLite file (created on first use), or a PostgreSQL database given as a
    /// URL, postgres://USER[:PASSWORD]@HOST[:PORT]/DBNAME (postgresql:// too; the tables are
    /// created on first use). A URL's parameters are libpq's: ?options=-csearch_path%3DNAME
    /// keeps the tables in the schema NAME, which must exist.
    #[arg(
        long,
        value_name = "PATH|URL",
        env = "SMSKIT_DB",
        // The URL may hold a password: --help must not print the variable's value.
        hide_env_values = true,
        default_value = "smskit.db",
        value_parser = location_parser()
    )]
    pub(crate) db: Location,
}

/// Where the campaign commands keep their state: the value of `--db`.
#[derive(Clone, PartialEq, Eq)]
pub(crate) enum Location {
    /// A SQLite database file.
    Sqlite(PathBuf),
    /// A PostgreSQL connection URL (`postgres://` or `postgresql://`), password included:
    /// shown only through [`Location`]'s `Display`, which hides it.
    Postgres(String),
}

/// Parses `--db`: any text is a valid value (a file name need not be UTF-8).
pub(crate) fn location_parser() -> impl clap::builder::TypedValueParser<Value = Location> {
    clap::builder::TypedValueParser::map(clap::builder::OsStringValueParser::new(), Location::from)
}

impl From<OsString> for Location {
    /// A URL when the text starts with the scheme libpq and rust-postgres read as a URL
    /// (exactly, as they do); any other text, one that merely mentions postgres included, is
    /// a file name.
    fn from(text: OsString) -> Self {
        match text.to_str() {
            Some(url) if url.starts_with("postgres://") || url.starts_with("postgresql://") => {
                Location::Postgres(url.to_owned())
            }
            _ => Location::Sqlite(PathBuf::from(text)),
        }
    }
}

impl fmt::Display for Location {
    /// The file name, or the URL without its password: what an error message names.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Location::Sqlite(path) => f.write_str(&output::printable_path(path)),
            Location::Postgres(url) => f.write_str(&output::printable(&redacted(url))),
        }
    }
}

impl fmt::Debug for Location {
    // Derived, it would print a URL's password.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Location::Sqlite(path) => f.debug_tuple("Sqlite").field(path).finish(),
            Location::Postgres(url) => f.debug_tuple("Postgres").field(&redacted(url)).finish(),
        }
    }
}

/// `url` with every password in it replaced by `***`: the one in the user info, and the value
/// of a `password` parameter. The user info ends at the first `@`, as rust-postgres reads it;
/// when in doubt, more is hidden, never less.
fn redacted(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    let rest = match rest.split_once('@') {
        Some((info, host)) => match info.split_once(':') {
            Some((user, _password)) => format!("{user}:***@{host}"),
            None => rest.to_owned(),
        },
        None => rest.to_owned(),
    };
    let rest = match rest.split_once('?') {
        Some((path, query)) => {
            let parameters: Vec<&str> = query
                .split('&')
                .map(|parameter| match parameter.split_once('=') {
                    Some((key, _)) if percent_decoded(key).eq_ignore_ascii_case(b"password") => {
                        "password=***"
                    }
                    _ => parameter,
                })
                .collect();
            format!("{path}?{}", parameters.join("&"))
        }
        None => rest,
    };
    format!("{scheme}://{rest}")
}

/// `text` with its `%XX` escapes decoded (a malformed escape stays as it is).
fn percent_decoded(text: &str) -> Vec<u8> {
    let bytes = text.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let escaped = bytes
            .get(i + 1..i + 3)
            .filter(|_| bytes[i] == b'%')
            .and_then(|hex| std::str::from_utf8(hex).ok())
            .and_then(|hex| u8::from_str_radix(hex, 16).ok());
        match escaped {
            Some(byte) => {
                decoded.push(byte);
                i += 3;
            }
            None => {
                decoded.push(bytes[i]);
                i += 1;
            }
        }
    }
    decoded
}

/// The store the campaign commands work on: SQLite (one file, durable across a crash of the
/// process: a send killed in the middle resumes) or PostgreSQL (the same, shared by any number
/// of processes on any number of hosts).
#[derive(Debug)]
#[allow(
    clippy::large_enum_variant,
    reason = "one store per process, moved a handful of times: a box would save nothing"
)]
pub(crate) enum Db {
    /// A SQLite file.
    Sqlite(SqliteStore),
    /// A PostgreSQL database.
    Postgres(PostgresStore),
}

impl Db {
    /// Whether the CLI takes itself for the only sender of this database, so that the claims
    /// a run finds are those of a run that died: a SQLite file, yes (the CLI is its one
    /// sender); PostgreSQL, no (workers on other hosts may share it).
    pub(crate) fn sole_sender(&self) -> bool {
        matches!(self, Db::Sqlite(_))
    }
}

/// Opens the database at `location`: creates a SQLite file on first use, connects to
/// PostgreSQL; either is migrated to the schema this version writes.
pub(crate) fn open_store(location: &Location) -> Result<Db, Failure> {
    let opened = match location {
        Location::Sqlite(path) => SqliteStore::open(path).map(Db::Sqlite),
        Location::Postgres(url) => PostgresStore::connect(url).map(Db::Postgres),
    };
    opened.map_err(|error| {
        let verb = match location {
            Location::Sqlite(_) => "open",
            Location::Postgres(_) => "connect to",
        };
        // Neither store puts the URL (or its password) in its errors; the location is ours.
        Failure::new(format_args!(
            "cannot {verb} the database {location}: {}",
            output::printable_lines(&explained(&error))
        ))
    })
}

/// An engine over the database at `location`.
pub(crate) fn open(location: &Location, settings: Settings) -> Result<Engine<Db>, Failure> {
    Ok(Engine::new(open_store(location)?, settings))
}

/// Implements `$trait` for [`Db`] by handing each method to the store inside: `reads` take
/// `&self`, `writes` `&mut self`. Every method is listed, provided ones included, so that a
/// store's own faster version (one SQL join instead of a lookup per row) is the one that runs.
macro_rules! delegate {
    (
        $trait:ident;
        reads { $(fn $read:ident($($read_arg:ident: $read_ty:ty),*) -> $read_ret:ty;)* }
        writes { $(fn $write:ident($($write_arg:ident: $write_ty:ty),*) -> $write_ret:ty;)* }
    ) => {
        impl $trait for Db {
            $(
                fn $read(&self, $($read_arg: $read_ty),*) -> $read_ret {
                    match self {
                        Db::Sqlite(store) => $trait::$read(store, $($read_arg),*),
                        Db::Postgres(store) => $trait::$read(store, $($read_arg),*),
                    }
                }
            )*
            $(
                fn $write(&mut self, $($write_arg: $write_ty),*) -> $write_ret {
                    match self {
                        Db::Sqlite(store) => $trait::$write(store, $($write_arg),*),
                        Db::Postgres(store) => $trait::$write(store, $($write_arg),*),
                    }
                }
            )*
        }
    };
}

delegate! {
    Store;
    reads {
        fn contact(id: ContactId) -> Result<Option<Contact>, StoreError>;
        fn contacts(visit: &mut dyn FnMut(&Contact)) -> Result<(), StoreError>;
        fn list_by_name(name: &str) -> Result<Option<MailingList>, StoreError>;
        fn lists() -> Result<Vec<MailingList>, StoreError>;
        fn subscriptions(list: ListId) -> Result<Vec<Subscription>, StoreError>;
        fn blacklist_entry(number: E164) -> Result<Option<BlacklistEntry>, StoreError>;
        fn active_blacklist() -> Result<HashSet<E164>, StoreError>;
        fn campaign(id: CampaignId) -> Result<Option<Campaign>, StoreError>;
        fn campaigns() -> Result<Vec<Campaign>, StoreError>;
        fn ab_test(id: AbTestId) -> Result<Option<AbTest>, StoreError>;
        fn ab_tests() -> Result<Vec<AbTest>, StoreError>;
        fn mailing(id: MailingId) -> Result<Option<Mailing>, StoreError>;
        fn mailings() -> Result<Vec<Mailing>, StoreError>;
        fn trace(id: TraceId) -> Result<Option<Trace>, StoreError>;
        fn last_trace_to(number: E164) -> Result<Option<Trace>, StoreError>;
        fn contact_traces(
            contact: ContactId,
            visit: &mut dyn FnMut(&Trace)
        ) -> Result<(), StoreError>;
        fn replies(number: E164) -> Result<Vec<Reply>, StoreError>;
        fn traces(mailing: MailingId, visit: &mut dyn FnMut(&Trace)) -> Result<(), StoreError>;
        fn outgoing_with_contacts(
            mailing: MailingId,
            visit: &mut dyn FnMut(&Trace, &Contact)
        ) -> Result<(), StoreError>;
        fn contacts_by_id(
            ids: &[ContactId],
            visit: &mut dyn FnMut(Contact)
        ) -> Result<(), StoreError>;
        fn has_waiting_traces(mailing: MailingId) -> Result<bool, StoreError>;
        fn contact_field_names() -> Result<std::collections::BTreeSet<String>, StoreError>;
        fn domain_contacts(
            plan: &smskit::filter::Plan
        ) -> Result<Option<Vec<ContactId>>, StoreError>;
    }
    writes {
        fn insert_contact(contact: NewContact, now: DateTime<Utc>) -> Result<ContactId, StoreError>;
        fn update_contact(id: ContactId, contact: NewContact) -> Result<(), StoreError>;
        fn insert_list(name: &str, is_public: bool) -> Result<ListId, StoreError>;
        fn subscribe(
            list: ListId,
            contact: ContactId,
            now: DateTime<Utc>
        ) -> Result<(), StoreError>;
        fn set_opt_out(
            list: ListId,
            contact: ContactId,
            opt_out: bool,
            now: DateTime<Utc>
        ) -> Result<(), StoreError>;
        fn blacklist_add(
            number: E164,
            reason: Option<&str>,
            now: DateTime<Utc>
        ) -> Result<(), StoreError>;
        fn blacklist_remove(number: E164) -> Result<bool, StoreError>;
        fn insert_campaign(
            campaign: NewCampaign,
            now: DateTime<Utc>
        ) -> Result<CampaignId, StoreError>;
        fn set_campaign_stage(id: CampaignId, stage: &str) -> Result<(), StoreError>;
        fn insert_ab_test(test: AbTest) -> Result<AbTestId, StoreError>;
        fn update_ab_test(test: &AbTest) -> Result<(), StoreError>;
        fn insert_mailing(mailing: NewMailing, now: DateTime<Utc>) -> Result<MailingId, StoreError>;
        fn set_mailing_state(
            id: MailingId,
            state: MailingState,
            scheduled_at: Option<DateTime<Utc>>
        ) -> Result<(), StoreError>;
        fn insert_traces(traces: &[Trace]) -> Result<usize, StoreError>;
        fn insert_trace(trace: &Trace) -> Result<TraceId, StoreError>;
        fn claim_outgoing(
            mailing: MailingId,
            limit: usize,
            now: DateTime<Utc>
        ) -> Result<Vec<Trace>, StoreError>;
        fn record_outcomes(outcomes: &[Outcome]) -> Result<(), StoreError>;
        fn abandon_claims(
            mailing: MailingId,
            claimed_before: DateTime<Utc>
        ) -> Result<usize, StoreError>;
        fn renew_claims(traces: &[TraceId], now: DateTime<Utc>) -> Result<Vec<TraceId>, StoreError>;
        fn acquire_lease(
            name: &str,
            holder: &str,
            now: DateTime<Utc>,
            until: DateTime<Utc>
        ) -> Result<bool, StoreError>;
        fn release_lease(name: &str, holder: &str) -> Result<(), StoreError>;
        fn book_send_time(
            sender: &str,
            cost: smskit::chrono::Duration,
            now: DateTime<Utc>
        ) -> Result<DateTime<Utc>, StoreError>;
        fn requeue_failed(mailing: MailingId, include_unknown: bool) -> Result<usize, StoreError>;
        fn cancel_outgoing(mailing: MailingId) -> Result<usize, StoreError>;
        fn apply_status(update: &StatusUpdate) -> Result<Option<TraceId>, StoreError>;
        fn mark_clicked(trace: TraceId, at: DateTime<Utc>) -> Result<bool, StoreError>;
        fn record_clicks(clicks: &[Click]) -> Result<Vec<ClickRecord>, StoreError>;
        fn record_reply(reply: &Reply) -> Result<(), StoreError>;
    }
}

delegate! {
    LinkStore;
    reads {
        fn link(code: &Code) -> Result<Option<Link>, links::Error>;
        fn click_stats(scope: &ClickScope) -> Result<ClickStats, links::Error>;
    }
    writes {
        fn get_or_create(request: &LinkRequest) -> Result<Link, links::Error>;
        fn record_click(click: Click) -> Result<RecordedClick, links::Error>;
    }
}

/// The time now. chrono is built without its `clock` feature, so `Utc::now()` is not there.
pub(crate) fn now() -> DateTime<Utc> {
    std::time::SystemTime::now().into()
}

/// A store failure: exit 1 (the command could not do its job), with what failed.
pub(crate) fn store_failure(error: StoreError) -> Failure {
    Failure::new(output::printable_lines(&explained(&error)))
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
    Failure::with_code(output::printable_lines(&explained(&error)), code)
}

/// `error`'s message followed by its causes' that it does not repeat: the PostgreSQL client
/// says "db error" or "error connecting to server" and leaves the server's message ("role
/// \"ana\" does not exist") and the system's ("Connection refused") to its causes.
fn explained(error: &(dyn std::error::Error + 'static)) -> String {
    let mut text = error.to_string();
    let mut next = cause(error);
    while let Some(error) = next {
        let message = error.to_string();
        if !text.contains(&message) {
            text.push_str(": ");
            text.push_str(&message);
        }
        next = cause(error);
    }
    text
}

/// What `error` wraps. A store's backend error is the inside of [`StoreError::Backend`],
/// which its `Display` shows but does not give as its source (and the facade's
/// [`Error::Store`] is transparent: its source is the store error's source).
fn cause<'a>(
    error: &'a (dyn std::error::Error + 'static),
) -> Option<&'a (dyn std::error::Error + 'static)> {
    let error = match error.downcast_ref::<Error>() {
        Some(Error::Store(store)) => store,
        _ => error,
    };
    match error.downcast_ref::<StoreError>() {
        Some(StoreError::Backend(inner)) => Some(&**inner),
        _ => error.source(),
    }
}

/// Parses an RFC 3339 time (`2026-05-01T09:00:00Z`, `2026-05-01T11:00:00+02:00`).
pub(crate) fn parse_time(text: &str) -> Result<DateTime<Utc>, String> {
    DateTime::parse_from_rfc3339(text.trim())
        .map(|time| time.to_utc())
        .map_err(|error| {
            format!("`{text}` is not an RFC 3339 time (2026-05-01T09:00:00Z): {error}")
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn location(text: &str) -> Location {
        Location::from(OsString::from(text))
    }

    #[test]
    fn only_the_url_schemes_make_a_url() {
        for url in [
            "postgres://ana@db/prod",
            "postgresql://ana@db/prod",
            "postgres://",
        ] {
            assert_eq!(location(url), Location::Postgres(url.to_owned()));
        }
        for path in [
            "smskit.db",
            "postgres",
            "postgres.db",
            "/var/lib/postgres/smskit.db",
            "postgres:/x.db",
            "./postgres://x",
            "POSTGRES://ana@db/prod",
            " postgres://ana@db/prod",
            "host=db user=ana",
        ] {
            assert_eq!(location(path), Location::Sqlite(PathBuf::from(path)));
        }
    }

    #[cfg(unix)]
    #[test]
    fn a_file_name_need_not_be_utf8() {
        use std::os::unix::ffi::OsStringExt;
        let name = OsString::from_vec(b"postgres://\xff".to_vec());
        assert_eq!(
            Location::from(name.clone()),
            Location::Sqlite(PathBuf::from(name))
        );
    }

    #[test]
    fn passwords_are_hidden() {
        for (url, shown) in [
            ("postgres://ana@db/prod", "postgres://ana@db/prod"),
            ("postgres://db:6543/prod", "postgres://db:6543/prod"),
            (
                "postgres://ana:s3cret@db/prod",
                "postgres://ana:***@db/prod",
            ),
            ("postgres://ana:@db/prod", "postgres://ana:***@db/prod"),
            // rust-postgres ends the user info at the first `@`.
            (
                "postgres://ana:s3@cret@db/prod",
                "postgres://ana:***@cret@db/prod",
            ),
            (
                "postgres://ana:s3/cr?et@db/prod",
                "postgres://ana:***@db/prod",
            ),
            (
                "postgresql://db/prod?sslmode=disable&password=s3cret&application_name=x",
                "postgresql://db/prod?sslmode=disable&password=***&application_name=x",
            ),
            (
                "postgres://db/prod?pass%77ord=s3cret",
                "postgres://db/prod?password=***",
            ),
            (
                "postgres://db/prod?PASSWORD=s3cret",
                "postgres://db/prod?password=***",
            ),
            // Over-hiding is fine: a `:` before an `@` in the query.
            ("postgres://db:1/p?password=a@b", "postgres://db:***@b"),
            (
                "postgres://ana:x@db/p?password=s3cret",
                "postgres://ana:***@db/p?password=***",
            ),
        ] {
            assert_eq!(redacted(url), shown, "{url}");
            let location = location(url);
            assert_eq!(location.to_string(), shown);
            assert!(!format!("{location:?}").contains("s3"), "{location:?}");
        }
    }

    #[test]
    fn percent_escapes_are_decoded() {
        assert_eq!(percent_decoded("pass%77ord"), b"password");
        assert_eq!(percent_decoded("%7"), b"%7");
        assert_eq!(percent_decoded("%zz%41"), b"%zzA");
        assert_eq!(percent_decoded("%%41"), b"%A");
        assert_eq!(percent_decoded("é%C3%A9"), "éé".as_bytes());
    }

    /// An error that leaves its cause's message to its cause, as the PostgreSQL client does.
    #[derive(Debug)]
    struct Connecting(std::io::Error);

    impl fmt::Display for Connecting {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("error connecting to server")
        }
    }

    impl std::error::Error for Connecting {
        fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
            Some(&self.0)
        }
    }

    #[test]
    fn the_causes_of_a_store_error_are_explained() {
        let refused = Connecting(std::io::Error::other("Connection refused"));
        let error = StoreError::Backend(Box::new(refused));
        assert_eq!(
            explained(&error),
            "store failed: error connecting to server: Connection refused"
        );
        // Through the facade's error, which has the store's as its source.
        let refused = Connecting(std::io::Error::other("Connection refused"));
        let error = Error::from(StoreError::Backend(Box::new(refused)));
        assert!(
            explained(&error).ends_with("error connecting to server: Connection refused"),
            "{}",
            explained(&error)
        );
        // A cause whose message is in the text already is not repeated.
        let error = StoreError::Backend(Box::new(std::io::Error::other("disk full")));
        assert_eq!(explained(&error), "store failed: disk full");
    }
}
