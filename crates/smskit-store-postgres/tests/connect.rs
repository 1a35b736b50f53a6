//! Connecting: migrations applied once, a newer schema refused, no password in `Debug`,
//! connection failures as `StoreError::Backend`.

mod common;

use smskit::Store;
use smskit::store::StoreError;
use smskit_store_postgres::{Error, PostgresStore, SCHEMA_VERSION};

#[test]
fn a_new_schema_is_migrated_once_and_reconnects() {
    let schemas = common::Schemas::new("connect");
    let name = schemas.name();
    let mut store = PostgresStore::connect_in_schema(&common::url(), &name).unwrap();
    assert_eq!(store.schema(), Some(name.as_str()));
    let list = store.insert_list("Kept", true).unwrap();
    let versions: Vec<i64> = store
        .client()
        .query(
            "SELECT version FROM smskit_schema_version ORDER BY version",
            &[],
        )
        .unwrap()
        .iter()
        .map(|row| row.get(0))
        .collect();
    assert_eq!(versions, (1..=SCHEMA_VERSION).collect::<Vec<_>>());
    drop(store);
    let again = PostgresStore::connect_in_schema(&common::url(), &name).unwrap();
    assert_eq!(again.lists().unwrap()[0].id, list);
    // Another schema of the same database sees none of it.
    let other = schemas.store();
    assert!(other.lists().unwrap().is_empty());
}

#[test]
fn stores_connecting_at_once_migrate_once() {
    let schemas = common::Schemas::new("race");
    let name = schemas.name();
    let url = common::url();
    let handles: Vec<_> = (0..4)
        .map(|_| {
            let (url, name) = (url.clone(), name.clone());
            std::thread::spawn(move || PostgresStore::connect_in_schema(&url, &name).map(drop))
        })
        .collect();
    for handle in handles {
        handle.join().unwrap().unwrap();
    }
    let mut store = PostgresStore::connect_in_schema(&url, &name).unwrap();
    let count: i64 = store
        .client()
        .query_one("SELECT count(*) FROM smskit_schema_version", &[])
        .unwrap()
        .get(0);
    assert_eq!(count, SCHEMA_VERSION);
}

#[test]
fn a_schema_of_a_newer_version_is_refused_and_left_alone() {
    let schemas = common::Schemas::new("newer");
    let name = schemas.name();
    let mut store = PostgresStore::connect_in_schema(&common::url(), &name).unwrap();
    store
        .client()
        .execute(
            "INSERT INTO smskit_schema_version (version) VALUES ($1)",
            &[&(SCHEMA_VERSION + 1)],
        )
        .unwrap();
    drop(store);
    let error = PostgresStore::connect_in_schema(&common::url(), &name).unwrap_err();
    let StoreError::Backend(inner) = &error else {
        panic!("{error:?}")
    };
    assert!(matches!(
        inner.downcast_ref::<Error>(),
        Some(Error::NewerSchema { found, supported })
            if *found == SCHEMA_VERSION + 1 && *supported == SCHEMA_VERSION
    ));
    assert!(error.to_string().contains("upgrade smskit"), "{error}");
}

#[test]
fn debug_shows_where_but_never_the_password() {
    let schemas = common::Schemas::new("debug");
    let store = schemas.store();
    let shown = format!("{store:?}");
    assert!(
        shown.starts_with("PostgresStore") && shown.contains('@'),
        "{shown}"
    );
    assert!(shown.contains("smskit_test_debug"), "{shown}");
    // A URL with a password: the connection fails (nothing listens there), and neither the
    // error nor anything else repeats the password.
    let error = PostgresStore::connect("postgres://ana:s3cret-pw@127.0.0.1:1/none").unwrap_err();
    assert!(!format!("{error:?} {error}").contains("s3cret-pw"));
}

#[test]
fn an_unreachable_server_is_a_backend_error() {
    let error = PostgresStore::connect("postgres://postgres@127.0.0.1:1/test").unwrap_err();
    let StoreError::Backend(inner) = &error else {
        panic!("{error:?}")
    };
    assert!(matches!(
        inner.downcast_ref::<Error>(),
        Some(Error::Postgres { .. })
    ));
    assert!(matches!(
        PostgresStore::connect("not a url ="),
        Err(StoreError::Backend(_))
    ));
}

#[test]
fn a_read_inside_a_visitor_is_busy_not_a_panic() {
    use smskit::model::NewContact;
    let schemas = common::Schemas::new("busy");
    let mut store = schemas.store();
    let now = chrono::DateTime::UNIX_EPOCH;
    let id = store
        .insert_contact(NewContact::new("Ana", "+32470000001"), now)
        .unwrap();
    let mut inner = None;
    store
        .contacts(&mut |_| inner = Some(store.contact(id)))
        .unwrap();
    let Some(Err(StoreError::Backend(error))) = inner else {
        panic!("{inner:?}")
    };
    assert!(matches!(
        error.downcast_ref::<Error>(),
        Some(Error::Busy { .. })
    ));
    // Outside the visitor the store works again.
    assert!(store.contact(id).unwrap().is_some());
}

#[test]
fn a_lost_connection_is_a_backend_error_and_reported_closed() {
    let schemas = common::Schemas::new("lost");
    let mut store = schemas.store();
    assert!(!store.is_closed());
    let pid: i32 = store
        .client()
        .query_one("SELECT pg_backend_pid()", &[])
        .unwrap()
        .get(0);
    let mut admin = postgres::Client::connect(&common::url(), postgres::NoTls).unwrap();
    admin
        .execute("SELECT pg_terminate_backend($1)", &[&pid])
        .unwrap();
    let error = store.lists().unwrap_err();
    assert!(matches!(error, StoreError::Backend(_)), "{error:?}");
    assert!(store.is_closed());
}
