//! The crate front page's example, run for real: a campaign prepared through one connection
//! and sent by another (as a separate worker would), in a schema of its own.

mod common;

use smskit::model::{Audience, NewContact, NewMailing};
use smskit::provider::{SimulatedClock, StubProvider, TraceStatus};
use smskit::{Engine, Settings, Store};
use smskit_store_postgres::PostgresStore;

#[test]
fn a_campaign_prepared_by_one_connection_is_sent_by_another() {
    let schemas = common::Schemas::new("e2e");
    let schema = schemas.name();
    let url = common::url();
    let now = chrono::DateTime::UNIX_EPOCH;

    let store = PostgresStore::connect_in_schema(&url, &schema).unwrap();
    let mut engine = Engine::new(store, Settings::new());
    let list = engine.create_list("Newsletter", true).unwrap();
    for (name, phone) in [
        ("Ana", "+32470000001"),
        ("Bo", "+32470000002"),
        ("Cy", "n/a"),
    ] {
        let contact = engine
            .add_contact(NewContact::new(name, phone), now)
            .unwrap();
        engine.subscribe(list, contact, now).unwrap();
    }
    let mailing = engine
        .create_mailing(
            NewMailing::new(
                "Spring",
                "Hi {{ object.name }}, -20% today!",
                Audience::Lists(vec![list]),
            ),
            now,
        )
        .unwrap();
    assert_eq!(engine.prepare(mailing).unwrap().outgoing, 2); // Cy has no number
    drop(engine);

    let worker = PostgresStore::connect_in_schema(&url, &schema).unwrap();
    let mut engine = Engine::new(worker, Settings::new());
    let sent = engine
        .send(mailing, &StubProvider::new(), &SimulatedClock::new(), now)
        .unwrap();
    assert_eq!(sent.accepted, 2);
    assert_eq!(engine.counts(mailing).unwrap().sent, 2);

    // A third connection sees what the worker committed.
    let reader = PostgresStore::connect_in_schema(&url, &schema).unwrap();
    let mut statuses = Vec::new();
    reader
        .traces(mailing, &mut |trace| statuses.push(trace.status))
        .unwrap();
    statuses.sort_by_key(|status| status.as_str());
    assert_eq!(statuses.len(), 3);
    assert_eq!(
        statuses
            .iter()
            .filter(|status| **status == TraceStatus::Pending)
            .count(),
        2
    );
}
