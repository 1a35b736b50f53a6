//! smskit-filter throughput.
//!
//! Ids (stable across versions):
//! - `filter/parse/typical`: parsing a 10-condition domain (bytes/s);
//! - `filter/eval/compiled`: the compiled plan of
//!   `[('country_id.code','in',['BE','FR','NL']), ('phone_sanitized_blacklisted','=',False),
//!   '|', ('name','ilike','%jo_n%'), ('tag_ids.name','=','VIP')]` over 1,000,000 in-memory
//!   contact records (records/s), binding to the data included;
//! - `filter/eval/closure`: the same predicate written by hand in Rust over the same
//!   records.
//!
//! Both evaluation benches read the same `Vec<Contact>` (with the countries and tags in
//! vectors indexed by id); the plan reaches them through the `Records` / `Record` traits.
//! The workload is generated in-process from a fixed seed.
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used)]

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use smskit_benches::SplitMix64;
use smskit_filter::{Field, FieldType, FieldValue, Plan, Record, Records, Schema};

const TYPICAL: &str = "[('country_id.code', 'in', ['BE', 'FR', 'NL']), \
('phone_sanitized_blacklisted', '=', False), ('opt_out', '=', False), \
'|', ('name', 'ilike', 'jo%n'), ('email', '=ilike', '%@example.com'), \
('tag_ids.name', 'in', ['VIP', 'Press']), ('create_date', '>=', '2024-01-01 00:00:00'), \
('mobile', '!=', False), '!', ('state', 'in', ['cancel', 'done']), ('partner_id.lang', '=', 'fr_BE')]";

const EVAL: &str = "[('country_id.code','in',['BE','FR','NL']), ('phone_sanitized_blacklisted','=',False), \
'|', ('name','ilike','%jo_n%'), ('tag_ids.name','=','VIP')]";

const CONTACTS: usize = 1_000_000;

struct Contact {
    id: i64,
    name: String,
    country_id: Option<i64>,
    phone_sanitized_blacklisted: bool,
    tag_ids: Vec<i64>,
}

struct Country {
    id: i64,
    name: String,
    code: String,
}

struct Tag {
    id: i64,
    name: String,
}

/// The application's store: records in vectors, id `n` at index `n - 1`.
struct Store {
    contacts: Vec<Contact>,
    countries: Vec<Country>,
    tags: Vec<Tag>,
}

enum Rec<'a> {
    Contact(&'a Contact),
    Country(&'a Country),
    Tag(&'a Tag),
}

// Field indexes follow the schema's declaration order.
const NAME: usize = 0;
const COUNTRY: usize = 1;
const BLACKLISTED: usize = 2;
const TAGS: usize = 3;

impl Record for Rec<'_> {
    #[inline]
    fn id(&self) -> i64 {
        match self {
            Rec::Contact(c) => c.id,
            Rec::Country(c) => c.id,
            Rec::Tag(t) => t.id,
        }
    }

    #[inline]
    fn get(&self, field: &Field) -> FieldValue<'_> {
        match self {
            Rec::Contact(c) => match field.index() {
                NAME => FieldValue::Str(&c.name),
                COUNTRY => c.country_id.map_or(FieldValue::Null, FieldValue::Id),
                BLACKLISTED => FieldValue::Bool(c.phone_sanitized_blacklisted),
                TAGS => FieldValue::Ids(&c.tag_ids),
                _ => FieldValue::Null,
            },
            Rec::Country(c) => match field.index() {
                0 => FieldValue::Str(&c.name),
                1 => FieldValue::Str(&c.code),
                _ => FieldValue::Null,
            },
            Rec::Tag(t) => match field.index() {
                0 => FieldValue::Str(&t.name),
                _ => FieldValue::Null,
            },
        }
    }
}

impl Records for Store {
    type Record<'a> = Rec<'a>;

    fn get(&self, model: &str, id: i64) -> Option<Rec<'_>> {
        let index = usize::try_from(id - 1).ok()?;
        match model {
            "res.partner" => self.contacts.get(index).map(Rec::Contact),
            "res.country" => self.countries.get(index).map(Rec::Country),
            "res.partner.category" => self.tags.get(index).map(Rec::Tag),
            _ => None,
        }
    }

    fn scan<'s, F: FnMut(Rec<'s>)>(&'s self, model: &str, mut visit: F) {
        match model {
            "res.partner" => self.contacts.iter().for_each(|c| visit(Rec::Contact(c))),
            "res.country" => self.countries.iter().for_each(|c| visit(Rec::Country(c))),
            "res.partner.category" => self.tags.iter().for_each(|t| visit(Rec::Tag(t))),
            _ => {}
        }
    }
}

fn schema() -> Schema {
    let mut schema = Schema::new();
    schema
        .model("res.partner")
        .field("name", FieldType::Char)
        .field("country_id", FieldType::many2one("res.country"))
        .field("phone_sanitized_blacklisted", FieldType::Boolean)
        .field("tag_ids", FieldType::many2many("res.partner.category"))
        .field("opt_out", FieldType::Boolean)
        .field("email", FieldType::Char)
        .field("create_date", FieldType::Datetime)
        .field("mobile", FieldType::Char)
        .field("state", FieldType::Selection)
        .field("partner_id", FieldType::many2one("res.partner"))
        .field("lang", FieldType::Char);
    schema
        .model("res.country")
        .field("name", FieldType::Char)
        .field("code", FieldType::Char);
    schema
        .model("res.partner.category")
        .field("name", FieldType::Char);
    schema
}

const FIRST: &[&str] = &[
    "John", "Joan", "Jonathan", "Mary", "Jo n", "JOHN", "Johan", "Anna", "Jörn", "Zoë", "Pierre",
    "Jean", "Sofia", "Lucas", "Emma", "Noah", "Mia", "Liam", "Joanne", "Björn",
];
const LAST: &[&str] = &[
    "Smith",
    "Dupont",
    "Janssens",
    "de Vries",
    "Müller",
    "Peeters",
    "Martin",
    "Jordan",
    "Bernard",
    "Van den Berg",
];

fn store() -> Store {
    let mut rng = SplitMix64::new(0x5EED_F11E);
    let mut countries = Vec::new();
    for (i, code) in ["BE", "FR", "NL"].iter().enumerate() {
        countries.push(Country {
            id: i as i64 + 1,
            name: format!("Country {code}"),
            code: (*code).to_owned(),
        });
    }
    for i in countries.len()..250 {
        let a = b'A' + (i / 26 % 26) as u8;
        let b = b'A' + (i % 26) as u8;
        let code = String::from_utf8(vec![a, b]).unwrap();
        let code = if ["BE", "FR", "NL"].contains(&code.as_str()) {
            format!("{code}X")
        } else {
            code
        };
        countries.push(Country {
            id: i as i64 + 1,
            name: format!("Country {code}"),
            code,
        });
    }
    let tags: Vec<Tag> = (1..=20)
        .map(|id| Tag {
            id,
            name: if id == 7 {
                "VIP".to_owned()
            } else {
                format!("Tag {id}")
            },
        })
        .collect();
    let contacts = (0..CONTACTS)
        .map(|i| {
            let first = FIRST[rng.below(FIRST.len() as u64) as usize];
            let last = LAST[rng.below(LAST.len() as u64) as usize];
            // Half of the contacts in the three countries, a few without a country.
            let country_id = match rng.below(100) {
                0..=49 => Some(rng.below(3) as i64 + 1),
                50..=94 => Some(rng.below(250) as i64 + 1),
                _ => None,
            };
            let tag_count = rng.below(4);
            let tag_ids = (0..tag_count).map(|_| rng.below(20) as i64 + 1).collect();
            Contact {
                id: i as i64 + 1,
                name: format!("{first} {last}"),
                country_id,
                phone_sanitized_blacklisted: rng.below(20) == 0,
                tag_ids,
            }
        })
        .collect();
    Store {
        contacts,
        countries,
        tags,
    }
}

/// `name ilike '%jo_n%'` by hand: Unicode lower case of the name, then "jo", any one
/// character, "n" anywhere. ASCII names are lower-cased on the fly without allocating.
#[inline]
fn ilike_jo_n(name: &str) -> bool {
    fn find<T: Copy>(hay: &[T], j: T, o: T, n: T, eq: impl Fn(T, T) -> bool) -> bool {
        hay.windows(4)
            .any(|w| eq(w[0], j) && eq(w[1], o) && eq(w[3], n))
    }
    if name.is_ascii() {
        find(name.as_bytes(), b'j', b'o', b'n', |h, p| {
            h.to_ascii_lowercase() == p
        })
    } else {
        let lower: Vec<char> = name.to_lowercase().chars().collect();
        find(&lower, 'j', 'o', 'n', |h, p| h == p)
    }
}

fn bench_parse(c: &mut Criterion) {
    let mut group = c.benchmark_group("filter");
    group.throughput(Throughput::Bytes(TYPICAL.len() as u64));
    group.bench_function("parse/typical", |b| {
        b.iter(|| smskit_filter::parse(black_box(TYPICAL)).unwrap());
    });
    group.finish();
}

fn bench_eval(c: &mut Criterion) {
    let store = store();
    let schema = schema();
    let plan = Plan::new(&schema, "res.partner", &smskit_filter::parse(EVAL).unwrap()).unwrap();

    let closure = |contact: &Contact| -> bool {
        let Some(country) = contact
            .country_id
            .and_then(|id| store.countries.get((id - 1) as usize))
        else {
            return false;
        };
        if !matches!(country.code.as_str(), "BE" | "FR" | "NL")
            || contact.phone_sanitized_blacklisted
        {
            return false;
        }
        ilike_jo_n(&contact.name)
            || contact.tag_ids.iter().any(|&id| {
                store
                    .tags
                    .get((id - 1) as usize)
                    .is_some_and(|t| t.name == "VIP")
            })
    };

    // Both variants select the same records.
    let bound = plan.bind(&store);
    let expected = store.contacts.iter().filter(|c| closure(c)).count();
    let compiled = store
        .contacts
        .iter()
        .filter(|c| bound.matches(&Rec::Contact(c)))
        .count();
    assert_eq!(compiled, expected);
    assert_eq!(plan.filter(&store).len(), expected);

    let mut group = c.benchmark_group("filter");
    group.throughput(Throughput::Elements(CONTACTS as u64));
    group.sample_size(20);
    group.bench_function("eval/compiled", |b| {
        b.iter(|| {
            let bound = plan.bind(black_box(&store));
            store
                .contacts
                .iter()
                .filter(|c| bound.matches(&Rec::Contact(c)))
                .count()
        });
    });
    group.bench_function("eval/closure", |b| {
        b.iter(|| {
            black_box(&store)
                .contacts
                .iter()
                .filter(|c| closure(c))
                .count()
        });
    });
    group.finish();
}

criterion_group!(benches, bench_parse, bench_eval);
criterion_main!(benches);
