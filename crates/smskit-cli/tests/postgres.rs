//! The campaign commands on PostgreSQL (`--db postgres://...`): every flow of
//! `tests/campaign.rs` and `tests/commands.rs` again, through the binary, each test in a schema
//! of its own (created before, dropped after, chosen by the URL's `options=-csearch_path=...`);
//! and URLs that cannot be connected to, which fail naming the URL without its password.
//!
//! The server is `SMSKIT_TEST_POSTGRES` (default `postgres://postgres@127.0.0.1:5432/test`);
//! these tests fail, never skip, when it is down.

mod common;
#[path = "common/postgres.rs"]
mod pg;

use common::{Scratch, campaign, code, smskit, stderr, stdout};
use pg::Schema;

/// An empty scratch folder whose runs work in a new schema of the test server.
fn on_postgres(name: &str) -> Scratch {
    let schema = Schema::new("cmd");
    Scratch::new(&format!("pg-{name}"))
        .with_db(&schema.url())
        .keeping(schema)
}

common::commands::every_command_test!(on_postgres);

#[test]
fn a_whole_campaign_through_twilio_with_every_count_checked() {
    let schema = Schema::new("campaign");
    let scratch = Scratch::new("pg-campaign").with_db(&schema.url());
    campaign::whole_campaign(&scratch);
    // Everything went to the test's schema.
    assert_eq!(schema.count("contacts"), 11);
    assert_eq!(schema.count("traces"), 11);
}

#[cfg(unix)]
#[test]
fn a_send_killed_in_the_middle_resumes_without_sending_any_number_twice() {
    campaign::killed_send_resumes(&on_postgres("resume"), true);
}

#[test]
fn the_url_is_found_through_smskit_db() {
    let schema = Schema::new("env");
    let url = schema.url();
    smskit(&["lists", "create", "VIP"])
        .env("SMSKIT_DB", &url)
        .ok();
    assert_eq!(schema.count("lists"), 1);
    let lists = smskit(&["lists", "show", "--json"])
        .env("SMSKIT_DB", &url)
        .json();
    assert_eq!(lists[0]["name"], "VIP");
}

/// Runs `args` against `db` (given by --db, or by SMSKIT_DB when `by_env`), expecting exit 1
/// with `expected` in the message and the password nowhere.
fn refused(args: &[&str], db: &str, by_env: bool, expected: &str) {
    let output = if by_env {
        smskit(args).env("SMSKIT_DB", db).output()
    } else {
        smskit(&[args, &["--db", db]].concat()).output()
    };
    let (out, err) = (stdout(&output), stderr(&output));
    assert_eq!(code(&output), 1, "{args:?}: {err}");
    assert!(err.contains(expected), "{args:?}: {err}");
    for secret in ["s3cret", "hunter2"] {
        assert!(
            !err.contains(secret) && !out.contains(secret),
            "{args:?}: {err}"
        );
    }
}

#[test]
fn a_url_that_cannot_be_connected_to_is_named_without_its_password() {
    // Nothing listens on port 1.
    let url = "postgres://ana:s3cret@127.0.0.1:1/test?password=hunter2&application_name=smskit";
    let named = "cannot connect to the database \
                 postgres://ana:***@127.0.0.1:1/test?password=***&application_name=smskit: ";
    // Every command that opens the database goes through the same door.
    for args in [
        &["contacts", "list"][..],
        &["blacklist", "add", "+32470000001"],
        &["lists", "show"],
        &["mailing", "list"],
        &["mailing", "send", "1", "--provider", "stub"],
        &["mailing", "stats", "1", "--json"],
        &["run-due", "--provider", "stub"],
        &["worker", "--provider", "stub", "--until-idle"],
        &[
            "report",
            "vonage",
            "--param",
            "messageId=X",
            "--param",
            "status=delivered",
        ],
    ] {
        refused(args, url, false, named);
        refused(args, url, true, named);
    }
    let output = smskit(&["demo", "--outbox", "/nonexistent/smskit", "--db", url]).output();
    assert_eq!(code(&output), 1);
    assert!(stderr(&output).contains(named), "{}", stderr(&output));
    assert!(!stderr(&output).contains("s3cret"));

    // A malformed URL, and a percent-encoded password parameter.
    refused(
        &["contacts", "list"],
        "postgresql://ana:s3cret@127.0.0.1:notaport/test",
        false,
        "cannot connect to the database postgresql://ana:***@127.0.0.1:notaport/test: ",
    );
    refused(
        &["contacts", "list"],
        "postgres://127.0.0.1:1/test?pass%77ord=hunter2",
        false,
        "postgres://127.0.0.1:1/test?password=***: ",
    );
}

#[test]
fn a_schema_that_does_not_exist_is_reported() {
    let schema = Schema::new("gone");
    let url = schema.url();
    drop(schema);
    let output = smskit(&["contacts", "list", "--db", &url]).output();
    assert_eq!(code(&output), 1);
    assert!(
        stderr(&output).contains("no schema has been selected to create in"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn the_help_does_not_print_a_password_from_smskit_db() {
    let help = smskit(&["contacts", "list", "--help"])
        .env("SMSKIT_DB", "postgres://ana:s3cret@db.example/prod")
        .ok();
    assert!(help.contains("postgres://"), "{help}");
    assert!(!help.contains("s3cret"), "{help}");
}

#[test]
fn a_path_that_mentions_postgres_is_a_sqlite_file() {
    let scratch = Scratch::new("pg-path");
    for name in ["postgres", "postgres.db", "postgres:x.db", "POSTGRES:"] {
        let path = scratch.path(name);
        let db = path.to_str().unwrap();
        let created = smskit(&["lists", "create", "VIP", "--json", "--db", db]).json();
        assert_eq!(created["id"], 1, "{name}");
        assert!(path.is_file(), "{name}");
    }
    // Relative, from the folder.
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_smskit"))
        .args(["lists", "create", "VIP", "--db", "postgres:"])
        .env_remove("SMSKIT_DB")
        .current_dir(scratch.path(""))
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(scratch.path("postgres:").is_file());
}
