//! The PostgreSQL store under the engine's bulk preparation.
//!
//! - `store/postgres/prepare/1m`: 1,000,000 contacts in one list already in the database (1%
//!   blacklisted, 1% opted out, 1% duplicate numbers, 1% unreadable: the SQLite bench's mix);
//!   `Engine::prepare` streams them, runs the exclusion pass and persists 1,000,000 traces.
//!
//! - `store/postgres/workers/{1,2,4}`: 100,000 prepared messages (the same mix, so 96,000 or
//!   so outgoing) sent by 1, 2 or 4 workers (`Engine::work`, threads with a connection each,
//!   default settings: batches of 500, 4 messages in flight each) to a provider that answers
//!   at once: what the database lets through. Preparing is setup; only the send is measured.
//!
//! Needs a server: `SMSKIT_TEST_POSTGRES` (default `postgres://postgres@127.0.0.1:5432/test`).
//! The audience is built once in the schema `smskit_bench_prepare` (setup, not measured);
//! every iteration starts from an empty `traces` table (`TRUNCATE`, also setup) and a new
//! connection, so each measures the same work. The schema is dropped at the end.
#![allow(missing_docs)]

use std::hint::black_box;
use std::sync::Arc;
use std::time::{Duration, Instant};

use criterion::{BatchSize, Criterion, SamplingMode, Throughput, criterion_group, criterion_main};
use smskit::model::{Audience, MailingId, NewContact, NewMailing};
use smskit::phone::{E164, Region};
use smskit::provider::{StubProvider, SystemClock};
use smskit::worker::WorkOptions;
use smskit::{Engine, Settings, Store};
use smskit_benches::SplitMix64;
use smskit_store_postgres::PostgresStore;

const RECIPIENTS: u64 = 1_000_000;
const SCHEMA: &str = "smskit_bench_prepare";

fn url() -> String {
    std::env::var("SMSKIT_TEST_POSTGRES")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".to_owned())
}

fn settings() -> Settings {
    Settings::new().with_default_region(Region::parse("BE").expect("BE is a region"))
}

fn now() -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::UNIX_EPOCH
}

fn connect() -> PostgresStore {
    PostgresStore::connect_in_schema(&url(), SCHEMA)
        .expect("a PostgreSQL server (SMSKIT_TEST_POSTGRES)")
}

fn drop_schema() {
    let mut client = postgres::Client::connect(&url(), postgres::NoTls).expect("a server");
    client
        .batch_execute(&format!("DROP SCHEMA IF EXISTS {SCHEMA} CASCADE"))
        .expect("dropped");
}

/// A fresh schema with `recipients` contacts in one list (the SQLite bench's mix) and a draft
/// mailing to it.
fn audience(recipients: u64) -> MailingId {
    drop_schema();
    let mut store = connect();
    let mut rng = SplitMix64::new(2026);
    let mut opted_out = Vec::new();
    let mut blacklisted = Vec::new();
    let contacts = (0..recipients).map(|i| {
        let phone = match rng.below(100) {
            0 => "not a number".to_owned(),
            1 => "+32470000001".to_owned(), // everyone's duplicate
            _ => format!("+3247{:07}", 1_000_000 + i),
        };
        if rng.below(100) == 0 {
            opted_out.push(i);
        }
        if rng.below(100) == 0 {
            blacklisted.push(i);
        }
        NewContact::new(format!("Contact {i}"), phone)
    });
    let ids = store.insert_contacts(contacts, now()).expect("contacts");
    let list = store.insert_list("Everyone", true).expect("a list");
    store
        .subscribe_all(list, &ids, now())
        .expect("subscriptions");
    for i in opted_out {
        let contact = ids[usize::try_from(i).expect("small")];
        store
            .set_opt_out(list, contact, true, now())
            .expect("opt out");
    }
    for i in blacklisted {
        let number = E164::parse(&format!("+3247{:07}", 1_000_000 + i)).expect("valid");
        store.blacklist_add(number, None, now()).expect("blacklist");
    }
    store
        .client()
        .batch_execute("VACUUM ANALYZE")
        .expect("vacuumed");
    let mut engine = Engine::new(store, settings());
    engine
        .create_mailing(
            NewMailing::new(
                "Spring",
                "Hi {{ object.name }}!",
                Audience::Lists(vec![list]),
            ),
            now(),
        )
        .expect("mailing")
}

/// A new connection to the audience, with no traces and the mailing back in draft.
fn fresh(mailing: MailingId) -> PostgresStore {
    let mut store = connect();
    store
        .client()
        .batch_execute("TRUNCATE traces, replies")
        .expect("truncated");
    store
        .set_mailing_state(mailing, smskit::model::MailingState::Draft, None)
        .expect("draft");
    store
}

fn prepare(c: &mut Criterion) {
    // Built when the bench runs, not when a filter skips it (a million rows take a while).
    let mut audience_of_1m = None;
    let mut group = c.benchmark_group("store/postgres/prepare");
    group.sample_size(10);
    group.sampling_mode(SamplingMode::Flat);
    group.warm_up_time(Duration::from_secs(1));
    group.measurement_time(Duration::from_secs(60));
    group.throughput(Throughput::Elements(RECIPIENTS));
    group.bench_function("1m", |b| {
        let mailing = *audience_of_1m.get_or_insert_with(|| audience(RECIPIENTS));
        b.iter_batched(
            || Engine::new(fresh(mailing), settings()),
            |mut engine| {
                let prepared = engine.prepare(mailing).expect("prepared");
                assert_eq!(prepared.traces, RECIPIENTS as usize);
                black_box(prepared);
                engine
            },
            BatchSize::PerIteration,
        );
    });
    group.finish();
    drop_schema();
}

const SENT: u64 = 100_000;

/// `workers` threads, each an engine on its own connection, working until the queue is empty;
/// returns how many messages they sent and how long that took.
fn send_with(workers: usize, mailing: MailingId) -> (usize, Duration) {
    let mut engine = Engine::new(fresh(mailing), settings());
    engine.send_now(mailing).expect("queued");
    engine.prepare(mailing).expect("prepared");
    drop(engine);
    let provider = Arc::new(StubProvider::new());
    let started = Instant::now();
    let threads: Vec<_> = (0..workers)
        .map(|index| {
            let provider = Arc::clone(&provider);
            std::thread::spawn(move || {
                let mut engine = Engine::new(connect(), settings());
                let options = WorkOptions::new(format!("bench-{index}")).until_idle();
                engine
                    .work(
                        &*provider,
                        &SystemClock::new(),
                        now(),
                        &options,
                        &mut |_| {},
                    )
                    .expect("worked")
                    .sent
                    .accepted
            })
        })
        .collect();
    let sent = threads
        .into_iter()
        .map(|t| t.join().expect("a worker"))
        .sum();
    (sent, started.elapsed())
}

fn workers(c: &mut Criterion) {
    let mailing = audience(SENT);
    let outgoing = send_with(1, mailing).0;
    let mut group = c.benchmark_group("store/postgres/workers");
    group.sample_size(10);
    group.sampling_mode(SamplingMode::Flat);
    group.warm_up_time(Duration::from_secs(1));
    group.measurement_time(Duration::from_secs(30));
    group.throughput(Throughput::Elements(outgoing as u64));
    for workers in [1, 2, 4] {
        group.bench_function(workers.to_string(), |b| {
            b.iter_custom(|iterations| {
                let mut total = Duration::ZERO;
                for _ in 0..iterations {
                    let (sent, took) = send_with(workers, mailing);
                    assert_eq!(sent, outgoing, "every outgoing message sent once");
                    total += took;
                }
                total
            });
        });
    }
    group.finish();
    drop_schema();
}

criterion_group!(benches, prepare, workers);
criterion_main!(benches);
