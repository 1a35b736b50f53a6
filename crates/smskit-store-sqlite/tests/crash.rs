//! Kill and resume: a sender process is SIGKILLed in the middle of a send through the Twilio
//! provider (a fake Twilio on 127.0.0.1), the send is resumed from the database, and no number
//! receives two messages while every trace ends with exactly one outcome.
//!
//! The test re-executes its own binary (this test alone, with `SMSKIT_CRASH_CHILD` set) as the
//! sender, so the process that dies is a real one with its SQLite connection open mid-batch.

use std::collections::{BTreeSet, HashMap};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

use smskit::chrono::{DateTime, TimeDelta, Utc};
use smskit::model::{Audience, MailingId, MailingState, NewContact, NewMailing};
use smskit::provider::twilio::{Twilio, TwilioConfig};
use smskit::provider::{
    DispatchOptions, FailureType, RetryPolicy, SimulatedClock, TraceStatus, UreqTransport,
};
use smskit::{Engine, Settings, Store};
use smskit_store_sqlite::SqliteStore;

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

fn twilio(base: &str) -> Twilio {
    let config = TwilioConfig::new("AC5ef8732a3c49700934481addd5ce1659", "token")
        .unwrap()
        .with_api_base(base)
        .unwrap();
    let transport = UreqTransport::with_timeouts(Duration::from_secs(5), Duration::from_secs(10));
    Twilio::new(config, Arc::new(transport))
}

fn settings() -> Settings {
    Settings::new()
        .with_sender(smskit::provider::Sender::parse("+32460200000").unwrap())
        .with_batch_size(BATCH)
        .with_dispatch(DispatchOptions::default().with_retry(RetryPolicy::never()))
}

/// The fake Twilio: answers 201 with a fresh SID, counts the requests per `To` number, and
/// holds request number [`KILL_AT`] until told the sender is dead (then drops it unanswered).
struct FakeTwilio {
    base: String,
    received: Arc<Mutex<HashMap<String, usize>>>,
    /// Receives once the held request arrived.
    holding: mpsc::Receiver<()>,
    /// Tells the server the sender is dead.
    release: mpsc::Sender<()>,
}

impl FakeTwilio {
    fn start() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let received = Arc::new(Mutex::new(HashMap::new()));
        let counts = received.clone();
        let (held, holding) = mpsc::channel();
        let (release, released) = mpsc::channel::<()>();
        thread::spawn(move || {
            let mut requests = 0;
            for stream in listener.incoming() {
                let Ok(stream) = stream else { return };
                let Some(to) = read_to(&stream) else { continue };
                requests += 1;
                *counts.lock().unwrap().entry(to).or_insert(0) += 1;
                if requests == KILL_AT {
                    let _ = held.send(());
                    // Bounded: the parent releases at once after the kill.
                    let _ = released.recv_timeout(Duration::from_secs(120));
                    continue; // dropped unanswered: the sender is gone
                }
                answer(stream, requests);
            }
        });
        FakeTwilio {
            base,
            received,
            holding,
            release,
        }
    }

    fn received(&self) -> HashMap<String, usize> {
        self.received.lock().unwrap().clone()
    }
}

/// Answers Twilio's 201 with the SID of request `n`.
fn answer(mut stream: TcpStream, n: usize) {
    let body = format!(r#"{{"sid": "SM{n:032}", "status": "queued", "num_segments": "1"}}"#);
    let head = format!(
        "HTTP/1.1 201 Created\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\
         Connection: close\r\n\r\n",
        body.len()
    );
    let _ = stream.write_all(head.as_bytes());
    let _ = stream.write_all(body.as_bytes());
}

/// The `To` of a form POST.
fn read_to(stream: &TcpStream) -> Option<String> {
    let mut reader = BufReader::new(stream);
    let mut line = String::new();
    reader.read_line(&mut line).ok()?;
    let mut length = 0;
    loop {
        let mut header = String::new();
        reader.read_line(&mut header).ok()?;
        let header = header.trim_end();
        if header.is_empty() {
            break;
        }
        if let Some((name, value)) = header.split_once(':')
            && name.eq_ignore_ascii_case("content-length")
        {
            length = value.trim().parse().ok()?;
        }
    }
    let mut body = vec![0; length];
    reader.read_exact(&mut body).ok()?;
    smskit::provider::parse_form(&body)
        .into_iter()
        .find(|(name, _)| name == "To")
        .map(|(_, value)| value)
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
    let server = FakeTwilio::start();
    let mut child = Command::new(std::env::current_exe().unwrap())
        .args([TEST_NAME, "--exact", "--nocapture", "--test-threads=1"])
        .env(
            CHILD,
            format!("{}|{}|{}", path.display(), server.base, mailing.0),
        )
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    let held = server.holding.recv_timeout(Duration::from_secs(120));
    child.kill().unwrap(); // SIGKILL: no destructor, no rollback, no flush
    let status = child.wait().unwrap();
    let _ = server.release.send(());
    assert!(held.is_ok(), "the sender never reached request {KILL_AT}");
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
            &twilio(&server.base),
            &SimulatedClock::new(),
            later,
        )
        .unwrap();
    assert_eq!(sent.abandoned, in_flight.len());
    assert_eq!(sent.unknown + sent.failed, 0);

    let received = server.received();
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
