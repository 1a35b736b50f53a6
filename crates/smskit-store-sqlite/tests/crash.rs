//! Kill and resume: a sender process is SIGKILLed in the middle of a send through the Twilio
//! provider (a fake Twilio on 127.0.0.1), the send is resumed from the database, and no number
//! receives two messages while every trace ends with exactly one outcome.
//!
//! The test re-executes its own binary (this test alone, with `SMSKIT_CRASH_CHILD` set) as the
//! sender, so the process that dies is a real one with its SQLite connection open mid-batch.

use std::collections::BTreeSet;
use std::process::{Command, Stdio};
use std::time::Duration;

use smskit::chrono::{DateTime, TimeDelta, Utc};
use smskit::model::{Audience, MailingId, MailingState, NewContact, NewMailing};
use smskit::provider::{DispatchOptions, FailureType, RetryPolicy, SimulatedClock, TraceStatus};
use smskit::{Engine, Settings, Store};
use smskit_store_sqlite::SqliteStore;
use smskit_store_tests::fake_twilio::{FakeTwilio, twilio};

/// Set in the child: `<database path>|<api base>|<mailing id>`.
const CHILD: &str = "SMSKIT_CRASH_CHILD";
/// This test's name, which the child runs alone.
const TEST_NAME: &str = "a_killed_sender_resumes_without_sending_anything_twice";
const CONTACTS: usize = 2_000;
const BATCH: usize = 50;
/// The request the fake Twilio holds unanswered until the sender is dead.
const KILL_AT: usize = 600;

fn now() -> DateTime<Utc> {
    DateTime::from_timestamp(1_767_225_600, 0).unwrap()
}

/// The sender every message goes out from.
const SENDER: &str = "+32460200000";

fn settings() -> Settings {
    Settings::new()
        .with_sender(smskit::provider::Sender::parse(SENDER).unwrap())
        .with_batch_size(BATCH)
        .with_dispatch(DispatchOptions::default().with_retry(RetryPolicy::never()))
}

/// The child: opens the database and sends the mailing until it is killed.
fn sender(spec: &str) {
    let mut parts = spec.splitn(3, '|');
    let (path, base, mailing) = (
        parts.next().unwrap(),
        parts.next().unwrap(),
        parts.next().unwrap(),
    );
    let mailing = MailingId(mailing.parse().unwrap());
    let mut engine = Engine::new(SqliteStore::open(path).unwrap(), settings());
    engine
        .send(mailing, &twilio(base), &SimulatedClock::new(), now())
        .unwrap();
    // Reaching this line means the kill came too late: the parent's assertions say so.
}

#[test]
fn a_killed_sender_resumes_without_sending_anything_twice() {
    if let Ok(spec) = std::env::var(CHILD) {
        sender(&spec);
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("crash.db");

    // A prepared mailing of 2,000 contacts, committed.
    let mut engine = Engine::new(SqliteStore::open(&path).unwrap(), settings());
    let list = engine.create_list("Everyone", true).unwrap();
    for i in 0..CONTACTS {
        let contact = engine
            .add_contact(
                NewContact::new(format!("c{i:05}"), format!("+32470{i:06}")),
                now(),
            )
            .unwrap();
        engine.subscribe(list, contact, now()).unwrap();
    }
    let mailing = engine
        .create_mailing(
            NewMailing::new("m", "Hi {{ object.name }}", Audience::Lists(vec![list])),
            now(),
        )
        .unwrap();
    assert_eq!(engine.prepare(mailing).unwrap().outgoing, CONTACTS);
    drop(engine);

    // The sender, killed while request KILL_AT is in flight.
    let server = FakeTwilio::holding_first_from(SENDER, KILL_AT - 1);
    let mut child = Command::new(std::env::current_exe().unwrap())
        .args([TEST_NAME, "--exact", "--nocapture", "--test-threads=1"])
        .env(
            CHILD,
            format!("{}|{}|{}", path.display(), server.base(), mailing.0),
        )
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    let held = server.wait_for_hold(Duration::from_secs(120));
    child.kill().unwrap(); // SIGKILL: no destructor, no rollback, no flush
    let status = child.wait().unwrap();
    server.release();
    assert!(held, "the sender never reached request {KILL_AT}");
    assert!(
        !status.success(),
        "the sender finished before it was killed"
    );

    // What the dead sender left: at most one batch claimed, the rest recorded or waiting.
    let store = SqliteStore::open(&path).unwrap();
    let mut in_flight = BTreeSet::new();
    let mut accepted_before = 0;
    store
        .traces(mailing, &mut |trace| match trace.status {
            TraceStatus::Process => {
                in_flight.insert(trace.id);
            }
            TraceStatus::Pending => accepted_before += 1,
            _ => {}
        })
        .unwrap();
    assert!(
        !in_flight.is_empty() && in_flight.len() <= BATCH,
        "{} traces in flight",
        in_flight.len()
    );
    assert!((KILL_AT - BATCH..KILL_AT).contains(&accepted_before));

    // Resume in this process: the only sender, so the dead one's claims are resolved at once.
    let mut engine = Engine::new(store, settings().with_claim_lease(TimeDelta::zero()));
    // (A second later: a claim is stale once it is older than the lease.)
    let later = now() + TimeDelta::seconds(1);
    let sent = engine
        .send(
            mailing,
            &twilio(server.base()),
            &SimulatedClock::new(),
            later,
        )
        .unwrap();
    assert_eq!(sent.abandoned, in_flight.len());
    assert_eq!(sent.unknown + sent.failed, 0);

    let received = server.per_number();
    let twice: Vec<_> = received.iter().filter(|entry| *entry.1 > 1).collect();
    assert!(twice.is_empty(), "numbers sent twice: {twice:?}");

    let mut accepted = 0;
    let mut unknown = BTreeSet::new();
    let mut traces = 0;
    engine
        .store()
        .traces(mailing, &mut |trace| {
            traces += 1;
            let number = trace.number.unwrap().to_string();
            match (trace.status, trace.failure_type) {
                (TraceStatus::Pending, None) => {
                    accepted += 1;
                    assert!(trace.provider_message_id.is_some());
                    assert_eq!(
                        received.get(&number),
                        Some(&1),
                        "{number} accepted, never received"
                    );
                }
                (TraceStatus::Error, Some(FailureType::Unknown)) => {
                    unknown.insert(trace.id);
                    assert!(trace.sent_at.is_some(), "an unknown outcome may have left");
                }
                other => panic!("trace {} ended {other:?}", trace.id),
            }
        })
        .unwrap();
    assert_eq!(traces, CONTACTS);
    assert_eq!(
        unknown, in_flight,
        "the unknown traces are exactly the batch in flight"
    );
    assert_eq!(accepted, CONTACTS - in_flight.len());
    assert_eq!(accepted, accepted_before + sent.accepted);
    // The server saw every accepted message once, and some of the batch in flight (at least
    // the held request), never more than that batch.
    let total: usize = received.values().sum();
    assert!(total >= accepted);
    assert!((1..=in_flight.len()).contains(&(total - accepted)));
    assert_eq!(
        engine.store().mailing(mailing).unwrap().unwrap().state,
        MailingState::Sent
    );
}
