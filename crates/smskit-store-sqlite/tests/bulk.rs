//! The bulk imports of `SqliteStore` store what one call per record would, all or nothing.

use smskit::Store;
use smskit::chrono::DateTime;
use smskit::model::{ContactId, ListId, NewContact};
use smskit::phone::Region;
use smskit::store::StoreError;
use smskit_store_sqlite::SqliteStore;

fn contacts() -> Vec<NewContact> {
    vec![
        NewContact::new("Ana", "+32470000001").with_field("city", "Gent"),
        NewContact::new("Bo", "0470 00 00 02").with_country(Region::parse("BE").unwrap()),
        NewContact::new("Ana", "n/a"),
    ]
}

#[test]
fn insert_contacts_stores_what_insert_contact_does() {
    let now = DateTime::from_timestamp(1_767_225_600, 0).unwrap();
    let mut bulk = SqliteStore::open_in_memory().unwrap();
    let mut single = SqliteStore::open_in_memory().unwrap();
    let ids = bulk.insert_contacts(contacts(), now).unwrap();
    let singles: Vec<ContactId> = contacts()
        .into_iter()
        .map(|c| single.insert_contact(c, now).unwrap())
        .collect();
    assert_eq!(ids, singles);
    let read = |store: &SqliteStore| {
        let mut all = Vec::new();
        store.contacts(&mut |c| all.push(c.clone())).unwrap();
        all
    };
    assert_eq!(read(&bulk), read(&single));
    assert_eq!(read(&bulk).len(), 3);
    assert!(bulk.insert_contacts(Vec::new(), now).unwrap().is_empty());
}

#[test]
fn subscribe_all_subscribes_once_and_refuses_unknown_records_whole() {
    let now = DateTime::from_timestamp(1_767_225_600, 0).unwrap();
    let mut store = SqliteStore::open_in_memory().unwrap();
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
        Err(StoreError::NotFound { .. })
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
