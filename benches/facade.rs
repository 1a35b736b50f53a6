//! The facade's pipeline on a million recipients.
//!
//! - `facade/prepare/1m`: 1,000,000 contacts in one list (1% blacklisted, 1% opted out, 1%
//!   duplicate numbers, 1% unreadable) through the exclusion pass into one trace each in a
//!   `MemoryStore`, then every outgoing message rendered, its link rewritten and personalised,
//!   the opt-out line appended, segmented and priced (`Engine::estimate`).
//! - `facade/prepare/1m_exclusions`: the first stage alone (`Engine::prepare`).
//! - `facade/prepare/1m_compose`: the second stage alone, on a prepared mailing.
//!
//! Building the store (a million contacts and subscriptions) is setup, not measured.
#![allow(missing_docs)]

use std::hint::black_box;
use std::time::Duration;

use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use smskit::links::Shortener;
use smskit::model::{Audience, MailingId, NewContact, NewMailing};
use smskit::optout::OptOutLinks;
use smskit::phone::{E164, Region};
use smskit::segment::PriceTable;
use smskit::{Engine, MemoryStore, Settings, Store};
use smskit_benches::SplitMix64;

const RECIPIENTS: u64 = 1_000_000;

fn settings() -> Settings {
    Settings::new()
        .with_default_region(Region::parse("BE").expect("BE is a region"))
        .with_links(Shortener::new("https://sho.rt").expect("a valid base"))
        .with_opt_out_links(
            OptOutLinks::new("https://sho.rt", b"bench secret, 32 bytes long....").expect("ok"),
        )
        .with_prices(
            PriceTable::from_csv(
                "prefix,price,currency\n32,0.0650,EUR\n324,0.0700,EUR\n33,0.0800,EUR\n",
            )
            .expect("a valid price table"),
        )
}

/// An engine with `RECIPIENTS` contacts in one list and a draft mailing to it.
fn campaign() -> (Engine<MemoryStore>, MailingId) {
    let now = chrono::DateTime::UNIX_EPOCH;
    let mut engine = Engine::new(MemoryStore::new(), settings());
    let list = engine.create_list("Everyone", true).expect("new list");
    let mut rng = SplitMix64::new(2026);
    for i in 0..RECIPIENTS {
        let phone = match rng.below(100) {
            0 => "not a number".to_owned(),
            1 => "+32470000001".to_owned(), // everyone's duplicate
            _ => format!("+3247{:07}", 1_000_000 + i),
        };
        let contact = engine
            .add_contact(NewContact::new(format!("Contact {i}"), phone), now)
            .expect("contact");
        engine.subscribe(list, contact, now).expect("subscribe");
        if rng.below(100) == 0 {
            engine
                .store_mut()
                .set_opt_out(list, contact, true, now)
                .expect("opt out");
        }
        if rng.below(100) == 0 {
            let number = E164::parse(&format!("+3247{:07}", 1_000_000 + i)).expect("valid");
            engine
                .store_mut()
                .blacklist_add(number, None, now)
                .expect("blacklist");
        }
    }
    let mailing = engine
        .create_mailing(
            NewMailing::new(
                "Spring",
                "Hi {{ object.name }}, spring sale: -20% on everything at https://shop.example/spring until Sunday!",
                Audience::Lists(vec![list]),
            )
            .with_opt_out_link(),
            now,
        )
        .expect("mailing");
    (engine, mailing)
}

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("facade/prepare");
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(30));
    group.throughput(Throughput::Elements(RECIPIENTS));
    group.bench_function("1m", |b| {
        b.iter_batched(
            campaign,
            // The engine is returned, so that freeing a million contacts is not timed.
            |(mut engine, mailing)| {
                engine.prepare(mailing).expect("prepared");
                let estimate = engine.estimate(mailing).expect("estimated");
                (engine, black_box(estimate))
            },
            BatchSize::PerIteration,
        );
    });
    group.bench_function("1m_exclusions", |b| {
        b.iter_batched(
            campaign,
            |(mut engine, mailing)| {
                let prepared = engine.prepare(mailing).expect("prepared");
                (engine, black_box(prepared))
            },
            BatchSize::PerIteration,
        );
    });
    let (mut engine, mailing) = campaign();
    engine.prepare(mailing).expect("prepared");
    group.bench_function("1m_compose", |b| {
        b.iter(|| black_box(engine.estimate(mailing).expect("estimated")));
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
