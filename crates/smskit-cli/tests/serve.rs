//! `smskit serve`: the HTTP side over a SQLite database, stopped by SIGTERM while clicks are in
//! flight (every click answered is written, none more), and refused without an admin token.

mod common;

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Duration;

use common::{Scratch, code, smskit, stderr};
use smskit::links::{ClickScope, LinkStore, Shortener};
use smskit::model::{Audience, NewContact, NewMailing};
use smskit::provider::{SimulatedClock, StubProvider};
use smskit::{Engine, Settings};
use smskit_store_sqlite::SqliteStore;

const BASE: &str = "https://sho.rt";

/// A mailing with a tracked link sent to `contacts` contacts; their short-link paths.
fn campaign(db: &Path, contacts: usize) -> Vec<String> {
    let settings = Settings::new().with_links(Shortener::new(BASE).unwrap());
    let mut engine = Engine::new(SqliteStore::open(db).unwrap(), settings);
    let now = smskit::chrono::DateTime::UNIX_EPOCH;
    let list = engine.create_list("All", true).unwrap();
    for n in 0..contacts {
        let contact = engine
            .add_contact(
                NewContact::new(format!("C{n}"), format!("+3247000{n:04}")),
                now,
            )
            .unwrap();
        engine.subscribe(list, contact, now).unwrap();
    }
    let mailing = engine
        .create_mailing(
            NewMailing::new(
                "M",
                "See https://shop.example/",
                Audience::Lists(vec![list]),
            ),
            now,
        )
        .unwrap();
    engine.prepare(mailing).unwrap();
    let provider = StubProvider::new();
    engine
        .send(mailing, &provider, &SimulatedClock::new(), now)
        .unwrap();
    provider
        .messages()
        .iter()
        .map(|message| {
            let start = message.body.find(BASE).unwrap() + BASE.len();
            message.body[start..].to_owned()
        })
        .collect()
}

#[test]
fn sigterm_with_clicks_in_flight_loses_none() {
    let scratch = Scratch::new("serve-sigterm");
    let db = scratch.path("smskit.db");
    let paths = campaign(&db, 20);
    let mut child = Command::new(env!("CARGO_BIN_EXE_smskit"))
        .args([
            "serve",
            "--listen",
            "127.0.0.1:0",
            "--public-url",
            BASE,
            "--json",
            "--db",
        ])
        .arg(&db)
        .env("SMSKIT_ADMIN_TOKEN", "secret-admin-token")
        .env_remove("SMSKIT_OPT_OUT_SECRET")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let first = lines.next().unwrap().unwrap();
    let listening: serde_json::Value = serde_json::from_str(&first).unwrap();
    let address = listening["listening"].as_str().unwrap().to_owned();
    assert_eq!(listening["public_url"], BASE);

    let answered = AtomicU64::new(0);
    let stop = AtomicBool::new(false);
    std::thread::scope(|scope| {
        for worker in 0..6 {
            let (answered, stop, paths, address) = (&answered, &stop, &paths, &address);
            scope.spawn(move || {
                let agent: ureq::Agent = ureq::Agent::config_builder()
                    .max_redirects(0)
                    .http_status_as_error(false)
                    .timeout_global(Some(Duration::from_secs(10)))
                    .build()
                    .into();
                let mut n = worker;
                // Until the server is gone: a refused or reset request was not answered.
                while !stop.load(Ordering::Relaxed) {
                    let url = format!("http://{address}{}", paths[n % paths.len()]);
                    n += 1;
                    match agent.get(&url).call() {
                        Ok(response) => {
                            assert_eq!(response.status(), 302);
                            answered.fetch_add(1, Ordering::SeqCst);
                        }
                        Err(_) => break,
                    }
                }
            });
        }
        // Let the clicks flow, then stop the server in the middle of them.
        while answered.load(Ordering::SeqCst) < 300 {
            std::thread::sleep(Duration::from_millis(5));
        }
        let status = Command::new("kill")
            .args(["-TERM", &child.id().to_string()])
            .status()
            .unwrap();
        assert!(status.success());
        let exit = child.wait().unwrap();
        stop.store(true, Ordering::Relaxed);
        assert!(exit.success(), "{exit:?}");
    });
    let answered = answered.load(Ordering::SeqCst);
    let store = SqliteStore::open(&db).unwrap();
    let recorded = store.click_stats(&ClickScope::All).unwrap().clicks;
    assert!(answered >= 300, "{answered}");
    assert_eq!(
        recorded, answered,
        "clicks in the store vs redirects answered"
    );
}

#[test]
fn serve_refuses_to_start_without_an_admin_token() {
    let scratch = Scratch::new("serve-no-token");
    let db = scratch.path("smskit.db");
    let output = smskit(&["serve", "--listen", "127.0.0.1:0", "--public-url", BASE])
        .env("SMSKIT_DB", db.to_str().unwrap())
        .output();
    assert_eq!(code(&output), 2, "{}", stderr(&output));
    assert!(
        stderr(&output).contains("SMSKIT_ADMIN_TOKEN"),
        "{}",
        stderr(&output)
    );
    assert!(!db.exists(), "the database was opened");
}
