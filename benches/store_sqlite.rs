//! The SQLite store under the engine's bulk paths.
//!
//! - `store/sqlite/prepare/1m`: 1,000,000 contacts in one list already in the database (1%
//!   blacklisted, 1% opted out, 1% duplicate numbers, 1% unreadable); `Engine::prepare` runs
//!   the exclusion pass and persists 1,000,000 traces. Target: at least 200,000 traces/s.
//! - `store/sqlite/apply_reports/100k`: 100,000 delivery reports (`sent`) applied one by one by
//!   provider message id to the traces of a sent mailing, each its own transaction, as
//!   webhooks arrive.
//!
//! Every iteration starts from a copy of a database built once (setup, not measured), so each
//! measures the same work on the same file.
#![allow(missing_docs)]

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::Duration;

use criterion::{BatchSize, Criterion, SamplingMode, Throughput, criterion_group, criterion_main};
use smskit::model::{Audience, MailingId, NewContact, NewMailing};
use smskit::phone::{E164, Region};
use smskit::provider::{SimulatedClock, StubProvider, TraceStatus};
use smskit::store::StatusUpdate;
use smskit::{Engine, Settings, Store};
use smskit_benches::SplitMix64;
use smskit_store_sqlite::SqliteStore;

const RECIPIENTS: u64 = 1_000_000;
const REPORTS: u64 = 100_000;

fn settings() -> Settings {
    Settings::new().with_default_region(Region::parse("BE").expect("BE is a region"))
}

fn now() -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::UNIX_EPOCH
}

/// A database at `path` with `recipients` contacts in one list (the facade bench's mix) and a
/// draft mailing to it.
fn audience(path: &Path, recipients: u64) -> MailingId {
    let mut store = SqliteStore::open(path).expect("a new database");
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

/// A fresh copy of the database `template` (and its WAL, checkpointed away on close) at `copy`.
fn fresh(template: &Path, copy: &Path) -> SqliteStore {
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(with_suffix(copy, suffix));
    }
    std::fs::copy(template, copy).expect("copied");
    SqliteStore::open(copy).expect("the copy opens")
}

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

fn prepare(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let template = dir.path().join("audience.db");
    let mailing = audience(&template, RECIPIENTS);
    let copy = dir.path().join("run.db");
    let mut group = c.benchmark_group("store/sqlite/prepare");
    group.sample_size(10);
    group.sampling_mode(SamplingMode::Flat);
    group.warm_up_time(Duration::from_secs(1));
    group.measurement_time(Duration::from_secs(40));
    group.throughput(Throughput::Elements(RECIPIENTS));
    group.bench_function("1m", |b| {
        b.iter_batched(
            || Engine::new(fresh(&template, &copy), settings()),
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
}

fn apply_reports(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let template = dir.path().join("sent.db");
    let mailing = audience(&template, REPORTS + REPORTS / 20);
    let mut engine = Engine::new(SqliteStore::open(&template).expect("opens"), settings());
    engine.prepare(mailing).expect("prepared");
    engine
        .send(mailing, &StubProvider::new(), &SimulatedClock::new(), now())
        .expect("sent");
    let mut reports = Vec::new();
    engine
        .store()
        .traces(mailing, &mut |trace| {
            if let Some(id) = &trace.provider_message_id {
                reports.push(StatusUpdate {
                    provider_message_id: id.clone(),
                    status: TraceStatus::Sent,
                    failure_type: None,
                    failure_reason: None,
                    at: now(),
                });
            }
        })
        .expect("traces");
    drop(engine);
    reports.truncate(REPORTS as usize);
    assert_eq!(reports.len(), REPORTS as usize);
    let copy = dir.path().join("run.db");
    let mut group = c.benchmark_group("store/sqlite/apply_reports");
    group.sample_size(10);
    group.sampling_mode(SamplingMode::Flat);
    group.warm_up_time(Duration::from_secs(1));
    group.measurement_time(Duration::from_secs(30));
    group.throughput(Throughput::Elements(REPORTS));
    group.bench_function("100k", |b| {
        b.iter_batched(
            || fresh(&template, &copy),
            |mut store| {
                for report in &reports {
                    black_box(store.apply_status(report).expect("applied"));
                }
                store
            },
            BatchSize::PerIteration,
        );
    });
    group.finish();
}

criterion_group!(benches, prepare, apply_reports);
criterion_main!(benches);
