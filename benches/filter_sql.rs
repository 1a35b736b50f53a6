//! A domain audience resolved by PostgreSQL against the same domain evaluated in memory.
//!
//! - `filter/sql/postgres/1m`: `PostgresStore::domain_contacts` (the plan as one SQL
//!   statement, [`Plan::to_sql`]) over 1,000,000 contacts in the store's tables.
//! - `filter/memory/1m`: the same plan evaluated by [`Plan::filter`] over the same contacts
//!   held in memory (a [`Dataset`]: no database read is measured).
//!
//! The domain is a typical marketing filter: a country among a few, a free field matched
//! with `ilike`, and membership of a list through its name:
//! `[('country', 'in', ['BE', 'NL']), ('city', 'ilike', 'gen'), ('list_ids.name', '=', 'Newsletter')]`.
//!
//! Needs a server: `SMSKIT_TEST_POSTGRES` (default `postgres://postgres@127.0.0.1:5432/test`).
//! The contacts are written once to the schema `smskit_bench_filter_sql` (setup, not measured),
//! dropped at the end.
#![allow(missing_docs)]

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, SamplingMode, Throughput, criterion_group, criterion_main};
use smskit::Store;
use smskit::audience::{CONTACT_MODEL, LIST_MODEL, contact_schema};
use smskit::filter::{Dataset, Literal, Plan};
use smskit::model::{ContactId, NewContact};
use smskit::phone::Region;
use smskit_benches::SplitMix64;
use smskit_store_postgres::PostgresStore;

const CONTACTS: u64 = 1_000_000;
const SCHEMA: &str = "smskit_bench_filter_sql";
const DOMAIN: &str = "[('country', 'in', ['BE', 'NL']), ('city', 'ilike', 'gen'), ('list_ids.name', '=', 'Newsletter')]";
const COUNTRIES: [Option<&str>; 6] = [
    Some("BE"),
    Some("NL"),
    Some("FR"),
    Some("DE"),
    None,
    Some("BE"),
];
const CITIES: [Option<&str>; 10] = [
    Some("Gent"),
    Some("Genève"),
    Some("Antwerpen"),
    Some("Liège"),
    Some("GENK"),
    Some("Bruxelles"),
    Some(""),
    None,
    Some("Leuven"),
    Some("Sint-Genesius-Rode"),
];

fn url() -> String {
    std::env::var("SMSKIT_TEST_POSTGRES")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".to_owned())
}

fn now() -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::UNIX_EPOCH
}

fn drop_schema() {
    let mut client = postgres::Client::connect(&url(), postgres::NoTls).expect("a server");
    client
        .batch_execute(&format!("DROP SCHEMA IF EXISTS {SCHEMA} CASCADE"))
        .expect("dropped");
}

/// One contact of the workload: (country, city, lists: newsletter, vip, opted out of the
/// newsletter).
struct Person {
    country: Option<&'static str>,
    city: Option<&'static str>,
    newsletter: bool,
    vip: bool,
    opted_out: bool,
}

fn people() -> Vec<Person> {
    let mut rng = SplitMix64::new(2026);
    (0..CONTACTS)
        .map(|_| {
            let pick = |rng: &mut SplitMix64, n: usize| {
                usize::try_from(rng.below(n as u64)).expect("small")
            };
            Person {
                country: COUNTRIES[pick(&mut rng, COUNTRIES.len())],
                city: CITIES[pick(&mut rng, CITIES.len())],
                newsletter: rng.below(2) == 0,
                vip: rng.below(10) == 0,
                opted_out: rng.below(100) == 0,
            }
        })
        .collect()
}

/// The contacts in PostgreSQL (the store's own tables), in a fresh schema.
fn in_postgres(people: &[Person]) -> PostgresStore {
    drop_schema();
    let mut store = PostgresStore::connect_in_schema(&url(), SCHEMA).expect("a PostgreSQL server");
    let contacts = people.iter().enumerate().map(|(i, p)| {
        let mut contact = NewContact::new(format!("Contact {i}"), format!("+3247{:07}", i));
        if let Some(country) = p.country {
            contact = contact.with_country(Region::parse(country).expect("a region"));
        }
        if let Some(city) = p.city {
            contact = contact.with_field("city", city);
        }
        contact.with_field("tier", if i % 7 == 0 { "gold" } else { "silver" })
    });
    let ids = store.insert_contacts(contacts, now()).expect("contacts");
    let newsletter = store.insert_list("Newsletter", true).expect("a list");
    let vip = store.insert_list("VIP", false).expect("a list");
    let members = |pick: fn(&Person) -> bool| -> Vec<ContactId> {
        ids.iter()
            .zip(people)
            .filter(|(_, p)| pick(p))
            .map(|(id, _)| *id)
            .collect()
    };
    store
        .subscribe_all(newsletter, &members(|p| p.newsletter), now())
        .expect("subscriptions");
    store
        .subscribe_all(vip, &members(|p| p.vip), now())
        .expect("subscriptions");
    let opted: Vec<i64> = members(|p| p.newsletter && p.opted_out)
        .iter()
        .map(|id| id.0)
        .collect();
    store
        .client()
        .execute(
            "UPDATE subscriptions SET opt_out = TRUE WHERE list = $1 AND contact = ANY($2)",
            &[&newsletter.0, &opted],
        )
        .expect("opt-outs");
    store
        .client()
        .batch_execute("VACUUM ANALYZE")
        .expect("vacuumed");
    store
}

/// The same contacts in memory, ids as PostgreSQL gave them (1, 2, ... on a fresh schema).
fn in_memory(people: &[Person]) -> Dataset {
    let schema = contact_schema(["city", "tier"]);
    let mut data = Dataset::new(schema);
    data.insert(
        LIST_MODEL,
        1,
        [
            ("name", Literal::from("Newsletter")),
            ("is_public", Literal::Bool(true)),
        ],
    )
    .expect("a list");
    data.insert(
        LIST_MODEL,
        2,
        [
            ("name", Literal::from("VIP")),
            ("is_public", Literal::Bool(false)),
        ],
    )
    .expect("a list");
    for (i, p) in people.iter().enumerate() {
        let id = i64::try_from(i).expect("small") + 1;
        let mut lists = Vec::new();
        if p.newsletter && !p.opted_out {
            lists.push(Literal::Int(1));
        }
        if p.vip {
            lists.push(Literal::Int(2));
        }
        let mut values = vec![
            ("name", Literal::from(format!("Contact {i}").as_str())),
            ("phone", Literal::from(format!("+3247{:07}", i).as_str())),
            ("list_ids", Literal::List(lists)),
            (
                "tier",
                Literal::from(if i % 7 == 0 { "gold" } else { "silver" }),
            ),
        ];
        if let Some(country) = p.country {
            values.push(("country", Literal::from(country)));
        }
        if let Some(city) = p.city {
            values.push(("city", Literal::from(city)));
        }
        data.insert(CONTACT_MODEL, id, values).expect("a contact");
    }
    data
}

fn resolve(c: &mut Criterion) {
    let schema = contact_schema(["city", "tier"]);
    let plan = Plan::new(
        &schema,
        CONTACT_MODEL,
        &smskit::filter::parse(DOMAIN).expect("a domain"),
    )
    .expect("a plan");
    // Built when the bench runs, not when a filter skips it (a million rows take a while).
    let mut fixtures: Option<(PostgresStore, Dataset)> = None;
    let mut setup = || {
        let people = people();
        let store = in_postgres(&people);
        let data = in_memory(&people);
        // Both ways select the same contacts, a realistic share of them.
        let sql: Vec<i64> = store
            .domain_contacts(&plan)
            .expect("resolved")
            .expect("resolved in SQL")
            .iter()
            .map(|id| id.0)
            .collect();
        let memory = plan.filter(&data);
        assert_eq!(sql, memory);
        assert!(sql.len() > 10_000 && sql.len() < 200_000, "{}", sql.len());
        (store, data)
    };
    let mut group = c.benchmark_group("filter");
    group.sample_size(10);
    group.sampling_mode(SamplingMode::Flat);
    group.warm_up_time(Duration::from_secs(1));
    group.measurement_time(Duration::from_secs(20));
    group.throughput(Throughput::Elements(CONTACTS));
    group.bench_function("sql/postgres/1m", |b| {
        let (store, _) = fixtures.get_or_insert_with(&mut setup);
        b.iter(|| black_box(store.domain_contacts(&plan).expect("resolved")));
    });
    group.bench_function("memory/1m", |b| {
        let (_, data) = fixtures.get_or_insert_with(&mut setup);
        b.iter(|| black_box(plan.filter(data)));
    });
    group.finish();
    drop(fixtures);
    drop_schema();
}

criterion_group!(benches, resolve);
criterion_main!(benches);
