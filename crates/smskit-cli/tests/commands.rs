//! The campaign commands one by one over a SQLite database: their JSON shapes, their errors and
//! exit codes. (The flows are in `common/commands.rs`; `tests/postgres.rs` runs them on
//! PostgreSQL.)

mod common;
use common::{Scratch, smskit};

common::commands::every_command_test!(Scratch::new);

#[test]
fn the_database_is_created_on_first_use_and_found_through_smskit_db() {
    let scratch = Scratch::new("env-db");
    let db = scratch.db();
    smskit(&["lists", "create", "VIP"])
        .env("SMSKIT_DB", &db)
        .ok();
    assert!(std::path::Path::new(&db).exists());
    let lists = scratch.smskit(&["lists", "show", "--json"]).json();
    assert_eq!(lists[0]["name"], "VIP");
}
