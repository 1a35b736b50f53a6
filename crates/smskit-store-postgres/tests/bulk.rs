//! The bulk imports of `PostgresStore` store what one call per record would, all or nothing.

mod common;

use smskit::Store;
use smskit::chrono::DateTime;
use smskit::model::{ContactId, ListId, NewContact};
use smskit::phone::Region;
use smskit::store::StoreError;
use smskit_store_postgres::PostgresStore;

fn contacts() -> Vec<NewContact> {
    vec![
        NewContact::new("Ana", "+32470000001").with_field("city", "Gent"),
        NewContact::new("Bo", "0470 00 00 02").with_country(Region::parse("BE").unwrap()),
        NewContact::new("Ana", "n/a"),
    ]
}

fn read(store: &PostgresStore) -> Vec<smskit::model::Contact> {
    let mut all = Vec::new();
    store.contacts(&mut |c| all.push(c.clone())).unwrap();
    all
}

#[test]
fn insert_contacts_stores_what_insert_contact_does() {
    let schemas = common::Schemas::new("bulk");
    let now = DateTime::from_timestamp(1_767_225_600, 0).unwrap();
    let mut bulk = schemas.store();
    let mut single = schemas.store();
    let ids = bulk.insert_contacts(contacts(), now).unwrap();
    let singles: Vec<ContactId> = contacts()
        .into_iter()
        .map(|c| single.insert_contact(c, now).unwrap())
        .collect();
    assert_eq!(ids, singles);
    assert_eq!(read(&bulk), read(&single));
    assert_eq!(read(&bulk).len(), 3);
    assert!(bulk.insert_contacts(Vec::new(), now).unwrap().is_empty());
}

#[test]
fn insert_contacts_returns_ids_in_input_order_across_statements() {
    let schemas = common::Schemas::new("bulk_order");
    let now = DateTime::from_timestamp(1_767_225_600, 0).unwrap();
    let mut store = schemas.store();
    // More than one statement's worth (10,000 rows each).
    let ids = store
        .insert_contacts(
            (0..25_000).map(|i| NewContact::new(format!("c{i}"), format!("+3247{i:07}"))),
            now,
        )
        .unwrap();
    assert_eq!(ids.len(), 25_000);
    for (i, id) in ids.iter().enumerate().step_by(997) {
        let contact = store.contact(*id).unwrap().unwrap();
        assert_eq!(contact.name, format!("c{i}"));
    }
}

#[test]
fn subscribe_all_subscribes_once_and_refuses_unknown_records_whole() {
    let schemas = common::Schemas::new("bulk_subscribe");
    let now = DateTime::from_timestamp(1_767_225_600, 0).unwrap();
    let mut store = schemas.store();
    let ids = store.insert_contacts(contacts(), now).unwrap();
    let list = store.insert_list("L", true).unwrap();
    store.set_opt_out(list, ids[0], true, now).unwrap();
    store.subscribe_all(list, &ids, now).unwrap();
    store.subscribe_all(list, &ids, now).unwrap();
    let subscriptions = store.subscriptions(list).unwrap();
    assert_eq!(subscriptions.len(), 3);
    assert!(subscriptions[0].opt_out, "an existing subscription is kept");
    assert!(matches!(
        store.subscribe_all(ListId(999), &ids, now),
        Err(StoreError::NotFound { what }) if what.contains("mailing list 999")
    ));
    let other = store.insert_list("O", true).unwrap();
    assert!(matches!(
        store.subscribe_all(other, &[ids[1], ContactId(999)], now),
        Err(StoreError::NotFound { .. })
    ));
    assert!(
        store.subscriptions(other).unwrap().is_empty(),
        "all or nothing"
    );
}
