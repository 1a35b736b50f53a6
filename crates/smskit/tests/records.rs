//! The application's own records as an audience, end to end: one schema for the filter, the
//! template and the phone field; exclusions and traces as for contacts.

use serde::Serialize;
use smskit::chrono::{DateTime, Utc};
use smskit::model::{Audience, NewMailing};
use smskit::phone::E164;
use smskit::provider::{FailureType, SimulatedClock, StubProvider, TraceStatus};
use smskit::records::RecordSet;
use smskit::{Engine, Error, MemoryStore, Settings, Store};

#[derive(Serialize)]
struct Partner {
    name: String,
}

#[derive(Serialize)]
struct Order {
    id: i64,
    mobile: String,
    country: String,
    total: f64,
    paid: bool,
    partner_id: Option<Partner>,
}

fn now() -> DateTime<Utc> {
    DateTime::from_timestamp(1_767_225_600, 0).unwrap()
}

fn order(id: i64, mobile: &str, total: f64, partner: Option<&str>) -> Order {
    Order {
        id,
        mobile: mobile.into(),
        country: "BE".into(),
        total,
        paid: id % 2 == 0,
        partner_id: partner.map(|name| Partner { name: name.into() }),
    }
}

fn body(
    engine: &Engine<MemoryStore>,
    mailing: smskit::model::MailingId,
) -> Vec<(String, TraceStatus)> {
    let mut out = Vec::new();
    engine
        .store()
        .traces(mailing, &mut |trace| {
            let contact = engine.store().contact(trace.contact).unwrap().unwrap();
            out.push((contact.phone, trace.status));
        })
        .unwrap();
    out.sort();
    out
}

#[test]
fn records_are_filtered_templated_excluded_and_mirrored_once() {
    let orders = vec![
        order(10, "0470000001", 120.0, Some("Ann")),
        order(11, "+32470000002", 80.0, None),
        order(12, "0470000001", 200.0, Some("Ann")), // duplicate number
        order(13, "+32470000003", 300.0, Some("Blacklisted")),
        order(14, "not a number", 500.0, Some("Nobody")),
    ];
    let mut engine = Engine::new(MemoryStore::new(), Settings::new());
    engine
        .store_mut()
        .blacklist_add(E164::parse("+32470000003").unwrap(), None, now())
        .unwrap();
    let records = RecordSet::from_serialize("sale.order", &orders, "mobile").unwrap();
    let mailing = engine
        .create_record_mailing(
            NewMailing::new(
                "Big orders",
                "{{ object.partner_id.name ||| Hello }}: your order of {{ object.total }} EUR",
                Audience::Transactional,
            ),
            &records,
            "[('total', '>=', 100)]",
            now(),
        )
        .unwrap();
    engine.prepare(mailing).unwrap();
    let provider = StubProvider::new();
    let sent = engine
        .send(mailing, &provider, &SimulatedClock::new(), now())
        .unwrap();
    assert_eq!(sent.accepted, 1);
    let bodies: Vec<_> = provider.messages().iter().map(|m| m.body.clone()).collect();
    // Contacts come in name order, the most recent first: order 12 keeps the number.
    assert_eq!(bodies, ["Ann: your order of 200.0 EUR"]);
    let mut failures = Vec::new();
    engine
        .store()
        .traces(mailing, &mut |trace| failures.push(trace.failure_type))
        .unwrap();
    failures.sort_by_key(|f| format!("{f:?}"));
    assert_eq!(
        failures,
        [
            None,
            Some(FailureType::Blacklist),
            Some(FailureType::Duplicate),
            Some(FailureType::NumberFormat)
        ]
    );

    // A second mailing over changed records updates their contacts instead of adding more.
    let mut contacts_before = 0;
    engine
        .store()
        .contacts(&mut |_| contacts_before += 1)
        .unwrap();
    let changed = vec![order(10, "+32470000009", 150.0, Some("Ann B."))];
    let records = RecordSet::from_serialize("sale.order", &changed, "mobile").unwrap();
    let again = engine
        .create_record_mailing(
            NewMailing::new(
                "Again",
                "Hi {{ object.partner_id.name }}",
                Audience::Transactional,
            ),
            &records,
            "[]",
            now(),
        )
        .unwrap();
    let mut contacts_after = 0;
    engine
        .store()
        .contacts(&mut |_| contacts_after += 1)
        .unwrap();
    assert_eq!(contacts_after, contacts_before);
    engine.prepare(again).unwrap();
    engine
        .send(again, &provider, &SimulatedClock::new(), now())
        .unwrap();
    assert_eq!(provider.messages().last().unwrap().body, "Hi Ann B.");
    assert_eq!(
        body(&engine, again),
        [("+32470000009".to_owned(), TraceStatus::Pending)]
    );
}

#[test]
fn mistakes_against_the_record_schema_are_refused_before_anything_is_stored() {
    let orders = vec![order(1, "+32470000001", 10.0, Some("Ann"))];
    let records = RecordSet::from_serialize("sale.order", &orders, "mobile").unwrap();
    let mut engine = Engine::new(MemoryStore::new(), Settings::new());
    let attempt = |engine: &mut Engine<MemoryStore>, body: &str, domain: &str| {
        engine.create_record_mailing(
            NewMailing::new("x", body, Audience::Transactional),
            &records,
            domain,
            now(),
        )
    };
    let error = attempt(&mut engine, "Hi {{ object.partner_id.nmae }}", "[]").unwrap_err();
    assert!(matches!(error, Error::Template(_)), "{error}");
    assert!(error.to_string().contains("nmae"), "{error}");
    let error = attempt(&mut engine, "Hi", "[('totl', '>', 1)]").unwrap_err();
    assert!(matches!(error, Error::Filter(_)), "{error}");
    assert!(error.to_string().contains("line 1, column 3"), "{error}");
    let error = attempt(&mut engine, "Hi", "[('paid', '=', ").unwrap_err();
    assert!(matches!(error, Error::Filter(_)), "{error}");
    let mut contacts = 0;
    engine.store().contacts(&mut |_| contacts += 1).unwrap();
    assert_eq!(contacts, 0);
    assert!(engine.store().mailings().unwrap().is_empty());
}
