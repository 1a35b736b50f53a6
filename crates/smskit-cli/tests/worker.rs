//! `smskit worker` by the binary: it sends what is due through a fake Twilio server, stops on
//! SIGTERM or SIGINT after the batch in flight, shares a PostgreSQL database with other
//! workers (every number sent once), and refuses mailings it would send with other link
//! settings.

mod common;
#[path = "common/postgres.rs"]
mod pg;

use std::collections::HashMap;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::twilio::{FakeTwilio, SID};
use common::{Scratch, code, stderr};
use pg::Schema;
use serde_json::Value;

/// The mailings are scheduled for `SCHEDULED`; the workers start at `NOW`, when it is due.
const SCHEDULED: &str = "2030-01-01T00:00:00Z";
const NOW: &str = "2030-01-01T00:00:01Z";

/// Imports `n` contacts into the list All of `scratch` and queues a mailing to them; returns
/// its id.
fn queued_mailing(scratch: &Scratch, n: usize) -> String {
    let mut csv = String::from("name,phone\n");
    for i in 0..n {
        csv.push_str(&format!("Contact {i:03},+3247200{i:04}\n"));
    }
    let contacts = scratch.file("contacts.csv", &csv);
    scratch
        .smskit(&["contacts", "import", &contacts, "--list", "All"])
        .ok();
    let id = scratch
        .smskit(&[
            "mailing", "create", "--name", "Big", "--list", "All", "--body", "Hello",
        ])
        .ok();
    let id = id.trim().to_owned();
    scratch
        .smskit(&["mailing", "schedule", &id, "--at", SCHEDULED])
        .ok();
    id
}

/// Starts `smskit worker` on the database of `scratch`, sending through `server`.
fn start_worker(scratch: &Scratch, server: &FakeTwilio, extra: &[&str]) -> Child {
    Command::new(env!("CARGO_BIN_EXE_smskit"))
        .args([
            "worker",
            "--provider",
            "twilio",
            "--api-base",
            &server.base,
            "--from",
            "+32460200000",
            "--batch-size",
            "10",
            "--poll",
            "0.05",
            "--now",
            NOW,
            "--json",
            "--db",
            &scratch.db(),
        ])
        .args(extra)
        .env("TWILIO_ACCOUNT_SID", SID)
        .env("TWILIO_AUTH_TOKEN", "secret-token")
        .env_remove("SMSKIT_DB")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

/// Sends `signal` (`TERM`, `INT`) to `child`.
fn signal(child: &Child, signal: &str) {
    let status = Command::new("kill")
        .args([format!("-{signal}"), child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
}

/// Waits for `child` to exit 0 and returns its JSON summary.
fn summary(child: Child) -> Value {
    let output = child.wait_with_output().unwrap();
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    serde_json::from_slice(&output.stdout).unwrap_or_else(|error| {
        panic!(
            "not JSON ({error}): {}",
            String::from_utf8_lossy(&output.stdout)
        )
    })
}

/// Waits until `done` holds, failing the test after a minute.
fn wait_for(what: &str, mut done: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(60);
    while !done() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(5));
    }
}

/// How many traces of mailing `id` are in each status.
fn statuses(scratch: &Scratch, id: &str) -> HashMap<String, usize> {
    let traces = scratch.smskit(&["mailing", "traces", id, "--json"]).json();
    let mut statuses = HashMap::new();
    for trace in traces.as_array().unwrap() {
        *statuses
            .entry(trace["status"].as_str().unwrap().to_owned())
            .or_default() += 1;
    }
    statuses
}

/// Asserts that no number got more than one request.
fn sent_once_each(server: &FakeTwilio) {
    let mut per_number: HashMap<String, usize> = HashMap::new();
    for to in server.requests() {
        *per_number.entry(to).or_default() += 1;
    }
    let twice: Vec<_> = per_number.iter().filter(|(_, n)| **n > 1).collect();
    assert!(twice.is_empty(), "sent twice: {twice:?}");
}

/// A worker stopped by `signal_name` in the middle of a mailing finishes its batch in flight
/// (no claim is left behind, no message unknown), exits 0 with its summary, and a second
/// worker sends the rest.
fn stops_after_the_batch_in_flight(scratch: &Scratch, signal_name: &str) {
    const CONTACTS: usize = 200;
    let id = queued_mailing(scratch, CONTACTS);
    let server = FakeTwilio::start(&[], Duration::from_millis(20));
    let mut worker = start_worker(scratch, &server, &[]);
    wait_for("the worker's first batches", || {
        assert!(worker.try_wait().unwrap().is_none(), "the worker ended");
        server.requests().len() >= 40
    });
    signal(&worker, signal_name);
    let stopped = summary(worker);
    assert_eq!(stopped["stopped_by"], "signal", "{stopped}");
    let accepted = stopped["sent"]["accepted"].as_u64().unwrap();
    assert_eq!(stopped["sent"]["unknown"], 0, "{stopped}");
    assert!(accepted < CONTACTS as u64, "stopped too late: {stopped}");
    // Every message that left was recorded: the batch in flight was finished.
    assert_eq!(server.requests().len() as u64, accepted);
    let after_stop = statuses(scratch, &id);
    assert_eq!(after_stop.get("process"), None, "{after_stop:?}");
    assert_eq!(after_stop["pending"] as u64, accepted, "{after_stop:?}");

    let rest = start_worker(scratch, &server, &["--until-idle"]);
    let finished = summary(rest);
    assert_eq!(finished["stopped_by"], "idle", "{finished}");
    assert_eq!(
        finished["sent"]["accepted"].as_u64().unwrap(),
        CONTACTS as u64 - accepted,
        "{finished}"
    );
    assert_eq!(finished["sent"]["abandoned"], 0, "{finished}");
    sent_once_each(&server);
    assert_eq!(server.requests().len(), CONTACTS);
    assert_eq!(statuses(scratch, &id)["pending"], CONTACTS);
    let shown = scratch.smskit(&["mailing", "show", &id, "--json"]).json();
    assert_eq!(shown["state"], "sent", "{shown}");
}

#[cfg(unix)]
#[test]
fn sigint_stops_a_worker_on_sqlite_after_the_batch_in_flight() {
    stops_after_the_batch_in_flight(&Scratch::new("worker-int"), "INT");
}

#[cfg(unix)]
#[test]
fn sigterm_stops_a_worker_on_postgres_after_the_batch_in_flight() {
    let schema = Schema::new("worker_term");
    stops_after_the_batch_in_flight(&Scratch::new("worker-term").with_db(&schema.url()), "TERM");
}

/// Three workers started together on the database of `scratch` send one 300-message mailing
/// together, each number once.
fn three_workers_share_the_database(scratch: &Scratch) {
    const CONTACTS: usize = 300;
    let id = queued_mailing(scratch, CONTACTS);
    let server = FakeTwilio::start(&[], Duration::from_millis(20));
    let workers: Vec<Child> = (0..3)
        .map(|n| start_worker(scratch, &server, &["--name", &format!("worker-{n}")]))
        .collect();
    wait_for("every message", || server.requests().len() >= CONTACTS);
    for worker in &workers {
        signal(worker, "TERM");
    }
    let summaries: Vec<Value> = workers.into_iter().map(summary).collect();
    let accepted: Vec<u64> = summaries
        .iter()
        .map(|summary| summary["sent"]["accepted"].as_u64().unwrap())
        .collect();
    assert_eq!(
        accepted.iter().sum::<u64>(),
        CONTACTS as u64,
        "{summaries:?}"
    );
    // The workers really shared the mailing.
    assert!(
        accepted.iter().filter(|n| **n > 0).count() >= 2,
        "{summaries:?}"
    );
    sent_once_each(&server);
    assert_eq!(server.requests().len(), CONTACTS);
    assert_eq!(statuses(scratch, &id)["pending"], CONTACTS);
}

#[cfg(unix)]
#[test]
fn three_workers_share_a_postgres_database_and_send_every_number_once() {
    let schema = Schema::new("workers");
    three_workers_share_the_database(&Scratch::new("workers-pg").with_db(&schema.url()));
}

#[cfg(unix)]
#[test]
fn three_workers_share_a_sqlite_database_and_send_every_number_once() {
    three_workers_share_the_database(&Scratch::new("workers-sqlite"));
}

#[test]
fn a_worker_refuses_to_send_a_mailing_with_other_link_settings() {
    let scratch = Scratch::new("worker-links");
    let contacts = scratch.file("contacts.csv", "name,phone\nAna,+32470000001\n");
    scratch
        .smskit(&["contacts", "import", &contacts, "--list", "All"])
        .ok();
    let id = scratch
        .smskit(&[
            "mailing",
            "create",
            "--name",
            "Sale",
            "--list",
            "All",
            "--body",
            "Sale: https://shop.example/sale",
            "--link-base",
            "https://sho.rt",
        ])
        .ok();
    scratch
        .smskit(&["mailing", "schedule", id.trim(), "--at", SCHEDULED])
        .ok();
    let outbox = scratch.path("outbox");
    let outbox = outbox.to_str().unwrap();
    let work = |extra: &[&str]| {
        let args = [
            "worker",
            "--provider",
            "file",
            "--outbox",
            outbox,
            "--until-idle",
            "--now",
            NOW,
        ];
        scratch.smskit(&[&args[..], extra].concat()).output()
    };
    let refused = work(&[]);
    assert_eq!(code(&refused), 2, "{}", stderr(&refused));
    assert!(
        stderr(&refused).contains("mailing 1: its links are tracked under https://sho.rt"),
        "{}",
        stderr(&refused)
    );
    let refused = work(&["--link-base", "https://other.example"]);
    assert_eq!(code(&refused), 2, "{}", stderr(&refused));
    assert!(!std::path::Path::new(outbox).exists());

    let sent = work(&["--link-base", "https://sho.rt"]);
    assert_eq!(code(&sent), 0, "{}", stderr(&sent));
    let messages: Vec<_> = std::fs::read_dir(outbox).unwrap().collect();
    assert_eq!(messages.len(), 1);
    let message = std::fs::read_to_string(messages[0].as_ref().unwrap().path()).unwrap();
    assert!(message.contains("https://sho.rt/"), "{message}");
    assert!(
        stderr(&sent).contains("mailing 1: accepted 1"),
        "{}",
        stderr(&sent)
    );
}

#[cfg(unix)]
#[test]
fn a_second_signal_stops_a_worker_at_once() {
    let scratch = Scratch::new("worker-twice");
    let id = queued_mailing(&scratch, 20);
    // Each request takes long: the first batch is still in flight when the signals come.
    let server = FakeTwilio::start(&[], Duration::from_secs(3));
    let worker = start_worker(&scratch, &server, &[]);
    wait_for("the first request", || !server.requests().is_empty());
    signal(&worker, "INT");
    std::thread::sleep(Duration::from_millis(200));
    signal(&worker, "INT");
    let output = worker.wait_with_output().unwrap();
    assert_eq!(code(&output), 1, "{}", stderr(&output));
    // Nothing was recorded: the batch's claims are left for the lease to resolve as unknown.
    let left = statuses(&scratch, &id);
    assert_eq!(left["process"], 10, "{left:?}");
    assert_eq!(left.get("pending"), None, "{left:?}");
}
