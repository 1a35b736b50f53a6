//! The shared store conformance suite on SQLite: every store a case needs is a new database
//! file in a temporary directory (removed after the test), so the suite runs through the
//! file, WAL and all, as an application's store does.

smskit_store_tests::conformance!(factory: {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let mut made = 0;
    move || {
        made += 1;
        smskit_store_sqlite::SqliteStore::open(dir.path().join(format!("store-{made}.db")))
            .expect("a new database")
    }
});

/// The same suite on a database in memory (what `SqliteStore::open_in_memory` gives).
mod in_memory {
    smskit_store_tests::conformance!(
        smskit_store_sqlite::SqliteStore::open_in_memory().expect("a database in memory")
    );
}
