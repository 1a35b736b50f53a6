//! The cases of the suite, each generic over the store: `make` gives a fresh, empty store.
//!
//! Every case panics (with the store's `Debug` in the message where it helps) when the store
//! breaks a promise; [`conformance!`](crate::conformance) turns each into a `#[test]`.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test code: a failed expectation is a failed test"
)]

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use chrono::{DateTime, TimeDelta, Utc};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use smskit::links::{
    Click, ClickScope, ClickStats, Code, Error as LinkError, LinkRequest, TraceId as LinkTraceId,
    Tracking,
};
use smskit::model::{
    AbTest, AbTestId, Audience, CampaignId, ContactId, MailingId, MailingState, NewCampaign,
    NewContact, NewMailing, Trace, TraceId, WinnerRule,
};
use smskit::phone::{E164, Region};
use smskit::provider::{
    Error as ProviderError, ErrorKind, FailureType, SimulatedClock, StubProvider, TraceStatus,
};
use smskit::reply::Reply;
use smskit::store::{Outcome, StatusUpdate, StoreError, accepts};
use smskit::{Engine, Settings, Store};

/// A fresh store.
pub type Make<'a, S> = &'a mut dyn FnMut() -> S;

/// The suite's clock: `t(n)` is `n` whole seconds after 2026-01-01.
fn t(seconds: i64) -> DateTime<Utc> {
    DateTime::from_timestamp(1_767_225_600 + seconds, 0).unwrap()
}

/// The `n`-th test number, `+3247000nnnn`.
fn number(n: usize) -> E164 {
    E164::parse(&format!("+3247000{n:04}")).unwrap()
}

/// A mailing to a list with `contacts` contacts (numbers 0, 1, ...), and their ids.
fn mailing_with_contacts<S: Store>(store: &mut S, contacts: usize) -> (MailingId, Vec<ContactId>) {
    let ids = (0..contacts)
        .map(|i| {
            store
                .insert_contact(
                    NewContact::new(format!("c{i:04}"), number(i).as_str()),
                    t(0),
                )
                .unwrap()
        })
        .collect();
    let mailing = store
        .insert_mailing(
            NewMailing::new("m", "Hello", Audience::Domain("[]".into())),
            t(0),
        )
        .unwrap();
    (mailing, ids)
}

/// An outgoing trace of `mailing` to `contact` at number `n`.
fn outgoing(mailing: MailingId, contact: ContactId, n: usize) -> Trace {
    Trace {
        id: TraceId(0),
        mailing,
        contact,
        number: Some(number(n)),
        raw_number: None,
        status: TraceStatus::Outgoing,
        failure_type: None,
        failure_reason: None,
        provider_message_id: None,
        sent_at: None,
        claimed_at: None,
        clicked_at: None,
        replied_at: None,
    }
}

/// A mailing with one outgoing trace per contact (`contacts` of them), and the trace ids.
fn prepared<S: Store>(store: &mut S, contacts: usize) -> (MailingId, Vec<TraceId>) {
    let (mailing, ids) = mailing_with_contacts(store, contacts);
    let traces: Vec<Trace> = ids
        .iter()
        .enumerate()
        .map(|(n, &contact)| outgoing(mailing, contact, n))
        .collect();
    assert_eq!(store.insert_traces(&traces).unwrap(), contacts);
    (
        mailing,
        all_traces(store, mailing).iter().map(|t| t.id).collect(),
    )
}

/// Every trace of `mailing`, in the store's order.
fn all_traces<S: Store>(store: &S, mailing: MailingId) -> Vec<Trace> {
    let mut traces = Vec::new();
    store
        .traces(mailing, &mut |trace| traces.push(trace.clone()))
        .unwrap();
    traces
}

fn trace<S: Store>(store: &S, id: TraceId) -> Trace {
    store.trace(id).unwrap().expect("the trace exists")
}

/// The outcome of an accepted message with provider id `sid`, sent at `at`.
fn accepted(trace: TraceId, sid: &str, at: DateTime<Utc>) -> Outcome {
    Outcome {
        trace,
        status: TraceStatus::Pending,
        failure_type: None,
        failure_reason: None,
        provider_message_id: Some(sid.to_owned()),
        sent_at: Some(at),
    }
}

/// The outcome of a message the provider refused.
fn refused(trace: TraceId, failure: FailureType) -> Outcome {
    Outcome {
        trace,
        status: TraceStatus::Error,
        failure_type: Some(failure),
        failure_reason: Some("refused".to_owned()),
        provider_message_id: None,
        sent_at: None,
    }
}

fn update(sid: &str, status: TraceStatus, failure: Option<FailureType>, at: i64) -> StatusUpdate {
    StatusUpdate {
        provider_message_id: sid.to_owned(),
        status,
        failure_type: failure,
        failure_reason: failure.map(|f| format!("because {f}")),
        at: t(at),
    }
}

fn is_not_found<T: std::fmt::Debug>(result: Result<T, StoreError>) -> bool {
    matches!(result, Err(StoreError::NotFound { .. }))
}

fn is_conflict<T: std::fmt::Debug>(result: Result<T, StoreError>) -> bool {
    matches!(result, Err(StoreError::Conflict { .. }))
}

/// A property-test runner without failure files (the suite runs inside other crates).
fn runner(cases: u32) -> TestRunner {
    TestRunner::new(Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    })
}

/// Contacts keep every field, and an unknown id is `None`.
pub fn contacts_round_trip<S: Store>(make: Make<'_, S>) {
    let mut store = make();
    let be = Region::parse("BE").unwrap();
    let new = NewContact::new("Zoë \"Z\" O'Neil", "0470 12 34 56")
        .with_country(be)
        .with_field("city", "Gent")
        .with_field("tier", "gold")
        .with_field("empty", "");
    let id = store.insert_contact(new.clone(), t(5)).unwrap();
    let plain = store
        .insert_contact(NewContact::new("", "not a number"), t(6))
        .unwrap();
    assert_ne!(id, plain);
    let contact = store.contact(id).unwrap().unwrap();
    assert_eq!(
        (contact.id, &contact.name, &contact.phone, contact.country),
        (id, &new.name, &new.phone, Some(be))
    );
    assert_eq!(contact.fields, new.fields);
    assert_eq!(contact.created_at, t(5));
    let plain = store.contact(plain).unwrap().unwrap();
    assert_eq!((plain.name.as_str(), plain.country), ("", None));
    assert!(plain.fields.is_empty());
    assert_eq!(store.contact(ContactId(987_654)).unwrap(), None);
    // By id in one call: the ones that exist, each as `contact` reads it.
    let mut found = Vec::new();
    store
        .contacts_by_id(&[plain.id, ContactId(987_654), id], &mut |c| found.push(c))
        .unwrap();
    found.sort_by_key(|c| c.id);
    assert_eq!(found, vec![contact, plain]);
    store
        .contacts_by_id(&[], &mut |_| panic!("none asked"))
        .unwrap();
    // The free field names of all contacts, once each, sorted ("" is a value, not a gap).
    let names: Vec<String> = store.contact_field_names().unwrap().into_iter().collect();
    assert_eq!(names, ["city", "empty", "tier"]);
}

/// Contacts are visited by name, then the most recently created first, then the greatest id
/// first; also after more contacts were added since the last visit.
pub fn contacts_order<S: Store>(make: Make<'_, S>) {
    let mut store = make();
    let mut expected: Vec<(String, DateTime<Utc>, ContactId)> = Vec::new();
    let mut add = |store: &mut S, name: &str, at: i64| {
        let id = store
            .insert_contact(NewContact::new(name, "+32470000001"), t(at))
            .unwrap();
        expected.push((name.to_owned(), t(at), id));
        id
    };
    let bo_old = add(&mut store, "Bo", 1);
    let ana = add(&mut store, "Ana", 5);
    let bo_new = add(&mut store, "Bo", 9);
    let lower = add(&mut store, "ana", 0);
    let ana_twin = add(&mut store, "Ana", 5);
    let visit = |store: &S| {
        let mut seen = Vec::new();
        store.contacts(&mut |c| seen.push(c.id)).unwrap();
        seen
    };
    // Bytes order: upper case before lower case; same name and time: later id first.
    assert_eq!(visit(&store), vec![ana_twin, ana, bo_new, bo_old, lower]);
    let accent = add(&mut store, "Ánne", 2);
    let bo_mid = add(&mut store, "Bo", 4);
    let seen = visit(&store);
    assert_eq!(
        seen,
        vec![ana_twin, ana, bo_new, bo_mid, bo_old, lower, accent]
    );
    expected.sort_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)).then(b.2.cmp(&a.2)));
    assert_eq!(seen, expected.iter().map(|e| e.2).collect::<Vec<_>>());
}

/// An update replaces a contact's name, phone, country and fields, keeps its id and creation
/// time, and moves it in the contact order; an unknown id is an error.
pub fn update_contact_replaces_fields<S: Store>(make: Make<'_, S>) {
    let mut store = make();
    let ana = store
        .insert_contact(
            NewContact::new("Ana", "+32470000001")
                .with_country(Region::parse("BE").unwrap())
                .with_field("city", "Gent"),
            t(1),
        )
        .unwrap();
    let bo = store
        .insert_contact(NewContact::new("Bo", "+32470000002"), t(2))
        .unwrap();
    let new = NewContact::new("Zed", "0470 00 00 03").with_field("tier", "gold");
    store.update_contact(ana, new.clone()).unwrap();
    let updated = store.contact(ana).unwrap().unwrap();
    assert_eq!(
        (updated.id, &updated.name, &updated.phone, updated.country),
        (ana, &new.name, &new.phone, None)
    );
    assert_eq!((&updated.fields, updated.created_at), (&new.fields, t(1)));
    let mut order = Vec::new();
    store.contacts(&mut |c| order.push(c.id)).unwrap();
    assert_eq!(order, vec![bo, ana]);
    assert!(is_not_found(
        store.update_contact(ContactId(987_654), NewContact::new("x", "y"))
    ));
    assert_eq!(store.contact(bo).unwrap().unwrap().name, "Bo");
}

/// List names are unique; lists are listed by id and found by exact name.
pub fn lists_and_name_conflict<S: Store>(make: Make<'_, S>) {
    let mut store = make();
    let vip = store.insert_list("VIP", true).unwrap();
    let news = store.insert_list("News", false).unwrap();
    assert!(is_conflict(store.insert_list("VIP", false)));
    let lower = store.insert_list("vip", false).unwrap();
    let lists = store.lists().unwrap();
    assert_eq!(
        lists
            .iter()
            .map(|l| (l.id, l.name.as_str(), l.is_public))
            .collect::<Vec<_>>(),
        vec![
            (vip, "VIP", true),
            (news, "News", false),
            (lower, "vip", false)
        ]
    );
    assert_eq!(store.list_by_name("News").unwrap().unwrap().id, news);
    assert_eq!(store.list_by_name("news").unwrap(), None);
    assert_eq!(store.list_by_name("VIP ").unwrap(), None);
}

/// Subscribing twice changes nothing; an opt-out subscribes first; unknown ids are errors.
pub fn subscriptions_and_opt_out<S: Store>(make: Make<'_, S>) {
    let mut store = make();
    let list = store.insert_list("L", true).unwrap();
    let other = store.insert_list("O", true).unwrap();
    let a = store
        .insert_contact(NewContact::new("a", "1"), t(0))
        .unwrap();
    let b = store
        .insert_contact(NewContact::new("b", "2"), t(0))
        .unwrap();
    let c = store
        .insert_contact(NewContact::new("c", "3"), t(0))
        .unwrap();
    store.subscribe(list, b, t(1)).unwrap();
    store.subscribe(list, a, t(2)).unwrap();
    store.set_opt_out(list, a, true, t(3)).unwrap();
    // Subscribing again keeps the opt-out and the first subscription time.
    store.subscribe(list, a, t(4)).unwrap();
    // An opt-out from a list one never joined holds.
    store.set_opt_out(list, c, true, t(5)).unwrap();
    let subscriptions = store.subscriptions(list).unwrap();
    let rows: Vec<_> = subscriptions
        .iter()
        .map(|s| (s.list, s.contact, s.opt_out, s.created_at, s.opt_out_at))
        .collect();
    assert_eq!(
        rows,
        vec![
            (list, a, true, t(2), Some(t(3))),
            (list, b, false, t(1), None),
            (list, c, true, t(5), Some(t(5))),
        ]
    );
    store.set_opt_out(list, a, false, t(6)).unwrap();
    let a_row = store.subscriptions(list).unwrap()[0];
    assert_eq!((a_row.opt_out, a_row.opt_out_at), (false, None));
    assert!(store.subscriptions(other).unwrap().is_empty());
    assert!(is_not_found(store.subscribe(crate_unknown_list(), a, t(0))));
    assert!(is_not_found(store.subscribe(
        list,
        ContactId(987_654),
        t(0)
    )));
    assert!(is_not_found(store.set_opt_out(
        crate_unknown_list(),
        a,
        true,
        t(0)
    )));
}

fn crate_unknown_list() -> smskit::model::ListId {
    smskit::model::ListId(987_654)
}

/// Removing archives an entry; adding again re-activates it, keeping its reason unless a new
/// one is given.
pub fn blacklist_reactivation<S: Store>(make: Make<'_, S>) {
    let mut store = make();
    let (one, two) = (number(1), number(2));
    assert_eq!(store.blacklist_entry(one).unwrap(), None);
    assert!(!store.blacklist_remove(one).unwrap());
    store
        .blacklist_add(one, Some("replied STOP"), t(1))
        .unwrap();
    store.blacklist_add(two, None, t(2)).unwrap();
    assert_eq!(store.active_blacklist().unwrap(), HashSet::from([one, two]));
    assert!(store.blacklist_remove(one).unwrap());
    assert!(!store.blacklist_remove(one).unwrap());
    let archived = store.blacklist_entry(one).unwrap().unwrap();
    assert_eq!(
        (
            archived.number,
            archived.active,
            archived.reason.as_deref(),
            archived.updated_at
        ),
        (one, false, Some("replied STOP"), t(1))
    );
    assert_eq!(store.active_blacklist().unwrap(), HashSet::from([two]));
    store.blacklist_add(one, None, t(3)).unwrap();
    let again = store.blacklist_entry(one).unwrap().unwrap();
    assert_eq!(
        (again.active, again.reason.as_deref(), again.updated_at),
        (true, Some("replied STOP"), t(3))
    );
    store.blacklist_add(one, Some("imported"), t(4)).unwrap();
    assert_eq!(
        store
            .blacklist_entry(one)
            .unwrap()
            .unwrap()
            .reason
            .as_deref(),
        Some("imported")
    );
    assert_eq!(store.active_blacklist().unwrap(), HashSet::from([one, two]));
}

/// Campaign names are unique; every field round-trips; stages change; unknown ids are errors.
pub fn campaigns_round_trip_and_name_conflict<S: Store>(make: Make<'_, S>) {
    let mut store = make();
    let spring = store
        .insert_campaign(
            NewCampaign::new("Spring")
                .with_stage("Design")
                .with_tag("b")
                .with_tag("a")
                .with_responsible("Ana"),
            t(1),
        )
        .unwrap();
    let plain = store
        .insert_campaign(NewCampaign::new("Plain"), t(2))
        .unwrap();
    assert!(is_conflict(
        store.insert_campaign(NewCampaign::new("Spring"), t(3))
    ));
    let stored = store.campaign(spring).unwrap().unwrap();
    assert_eq!(
        (stored.id, stored.name.as_str(), stored.stage.as_str()),
        (spring, "Spring", "Design")
    );
    assert_eq!(
        stored.tags,
        BTreeSet::from(["a".to_owned(), "b".to_owned()])
    );
    assert_eq!(
        (stored.responsible.as_deref(), stored.created_at),
        (Some("Ana"), t(1))
    );
    let plain_stored = store.campaign(plain).unwrap().unwrap();
    assert_eq!(
        (plain_stored.stage.as_str(), plain_stored.responsible),
        ("New", None)
    );
    store.set_campaign_stage(plain, "Sent").unwrap();
    assert_eq!(store.campaign(plain).unwrap().unwrap().stage, "Sent");
    assert_eq!(
        store
            .campaigns()
            .unwrap()
            .iter()
            .map(|c| c.id)
            .collect::<Vec<_>>(),
        vec![spring, plain]
    );
    assert_eq!(store.campaign(CampaignId(987_654)).unwrap(), None);
    assert!(is_not_found(
        store.set_campaign_stage(CampaignId(987_654), "x")
    ));
}

/// A/B tests round-trip with every rule and field, and are replaced whole by an update.
pub fn ab_tests_round_trip<S: Store>(make: Make<'_, S>) {
    let mut store = make();
    let campaign = store.insert_campaign(NewCampaign::new("C"), t(0)).unwrap();
    let (m1, _) = mailing_with_contacts(&mut store, 0);
    let (m2, _) = mailing_with_contacts(&mut store, 0);
    let mut ids = Vec::new();
    for (i, rule) in [
        WinnerRule::ClicksRatio,
        WinnerRule::Manual,
        WinnerRule::Metric(smskit::abtest::Goal::Maximize),
        WinnerRule::Metric(smskit::abtest::Goal::Minimize),
    ]
    .into_iter()
    .enumerate()
    {
        let test = AbTest {
            id: AbTestId(0),
            campaign,
            versions: vec![m1, m2],
            share: 10 + u8::try_from(i).unwrap(),
            seed: u64::MAX - i as u64,
            rule,
            final_at: t(100),
            winner: None,
            final_mailing: None,
            created_at: t(1),
        };
        let id = store.insert_ab_test(test.clone()).unwrap();
        assert_eq!(store.ab_test(id).unwrap(), Some(AbTest { id, ..test }));
        ids.push(id);
    }
    assert_eq!(
        store
            .ab_tests()
            .unwrap()
            .iter()
            .map(|t| t.id)
            .collect::<Vec<_>>(),
        ids
    );
    let mut changed = store.ab_test(ids[0]).unwrap().unwrap();
    changed.winner = Some(m2);
    changed.final_mailing = Some(m1);
    changed.versions = vec![m2, m1];
    store.update_ab_test(&changed).unwrap();
    assert_eq!(store.ab_test(ids[0]).unwrap(), Some(changed.clone()));
    assert_eq!(store.ab_test(AbTestId(987_654)).unwrap(), None);
    assert!(is_not_found(store.update_ab_test(&AbTest {
        id: AbTestId(987_654),
        ..changed
    })));
}

/// Mailings round-trip every audience and field, start in `draft`, and change state.
pub fn mailings_round_trip_and_state<S: Store>(make: Make<'_, S>) {
    let mut store = make();
    let campaign = store.insert_campaign(NewCampaign::new("C"), t(0)).unwrap();
    let l1 = store.insert_list("L1", true).unwrap();
    let l2 = store.insert_list("L2", true).unwrap();
    let full = NewMailing::new(
        "Spring",
        "Hi {{ object.name }} 🌸",
        Audience::Lists(vec![l2, l1]),
    )
    .with_campaign(campaign)
    .with_responsible("Bo")
    .with_tag("promo")
    .with_tag("april")
    .with_opt_out_link();
    let mut mailings = vec![full];
    mailings.push(NewMailing::new(
        "By filter",
        "x",
        Audience::Domain("[('city', '=', 'Gent')]".into()),
    ));
    mailings.push(NewMailing::new("Receipts", "y", Audience::Transactional));
    mailings.push(NewMailing::new(
        "Chosen",
        "w",
        Audience::Contacts(vec![ContactId(7), ContactId(3), ContactId(7)]),
    ));
    mailings.push(NewMailing::new("Nobody", "z", Audience::Lists(Vec::new())));
    let mut ids = Vec::new();
    for (i, new) in mailings.iter().enumerate() {
        let at = t(10 + i64::try_from(i).unwrap());
        let id = store.insert_mailing(new.clone(), at).unwrap();
        let stored = store.mailing(id).unwrap().unwrap();
        assert_eq!(stored.id, id);
        assert_eq!(
            (&stored.name, &stored.body, &stored.audience),
            (&new.name, &new.body, &new.audience)
        );
        assert_eq!(
            (
                stored.include_opt_out_link,
                stored.campaign,
                &stored.responsible
            ),
            (new.include_opt_out_link, new.campaign, &new.responsible)
        );
        assert_eq!((&stored.tags, stored.ab_test), (&new.tags, new.ab_test));
        assert_eq!(
            (stored.state, stored.scheduled_at, stored.created_at),
            (MailingState::Draft, None, at)
        );
        ids.push(id);
    }
    store
        .set_mailing_state(ids[0], MailingState::InQueue, Some(t(99)))
        .unwrap();
    let queued = store.mailing(ids[0]).unwrap().unwrap();
    assert_eq!(
        (queued.state, queued.scheduled_at),
        (MailingState::InQueue, Some(t(99)))
    );
    store
        .set_mailing_state(ids[0], MailingState::Sent, None)
        .unwrap();
    let sent = store.mailing(ids[0]).unwrap().unwrap();
    assert_eq!((sent.state, sent.scheduled_at), (MailingState::Sent, None));
    assert_eq!(
        store
            .mailings()
            .unwrap()
            .iter()
            .map(|m| m.id)
            .collect::<Vec<_>>(),
        ids
    );
    assert_eq!(store.mailing(MailingId(987_654)).unwrap(), None);
    assert!(is_not_found(store.set_mailing_state(
        MailingId(987_654),
        MailingState::Sent,
        None
    )));
}

/// `insert_traces` stores one trace per mailing and contact, whatever it is given twice (in
/// one batch or across calls), and keeps every field.
pub fn insert_traces_is_idempotent<S: Store>(make: Make<'_, S>) {
    let mut store = make();
    let (mailing, contacts) = mailing_with_contacts(&mut store, 4);
    let (other, _) = mailing_with_contacts(&mut store, 0);
    let canceled = Trace {
        number: None,
        raw_number: Some("not a number".to_owned()),
        status: TraceStatus::Cancel,
        failure_type: Some(FailureType::NumberFormat),
        ..outgoing(mailing, contacts[1], 1)
    };
    let batch = vec![
        outgoing(mailing, contacts[0], 0),
        canceled.clone(),
        outgoing(mailing, contacts[0], 9), // the same pair again, in the same batch
    ];
    assert_eq!(store.insert_traces(&batch).unwrap(), 2);
    assert_eq!(store.insert_traces(&batch).unwrap(), 0);
    assert_eq!(store.insert_traces(&[]).unwrap(), 0);
    let more = vec![
        outgoing(mailing, contacts[1], 1),
        outgoing(mailing, contacts[2], 2),
        outgoing(other, contacts[0], 0), // another mailing: its own trace
    ];
    assert_eq!(store.insert_traces(&more).unwrap(), 2);
    let traces = all_traces(&store, mailing);
    assert_eq!(traces.len(), 3);
    assert_eq!(traces[0].number, Some(number(0)));
    let stored = &traces[1];
    assert_eq!(
        Trace {
            id: TraceId(0),
            ..stored.clone()
        },
        canceled
    );
    assert_eq!(trace(&store, stored.id), *stored);
    let ids: BTreeSet<_> = traces.iter().map(|t| t.id).collect();
    assert_eq!(ids.len(), 3);
    assert_eq!(all_traces(&store, other).len(), 1);
}

/// Large batches (hundreds of traces, repeats spread through them) store each pair once and
/// keep every trace's own fields.
pub fn insert_traces_in_large_batches<S: Store>(make: Make<'_, S>) {
    let mut store = make();
    let (mailing, contacts) = mailing_with_contacts(&mut store, 301);
    // Every third trace repeats an earlier contact: 301 distinct pairs in 451 traces. Some
    // carry a send history (imported traces), so batches mix both kinds of rows.
    let batch: Vec<Trace> = (0..451)
        .map(|i| {
            let c = if i % 3 == 2 { i / 3 } else { i - i / 3 };
            let mut trace = outgoing(mailing, contacts[c], c);
            if i % 50 == 7 {
                trace.status = TraceStatus::Pending;
                trace.provider_message_id = Some(format!("SM{i}"));
                trace.sent_at = Some(t(i64::try_from(i).unwrap()));
                trace.claimed_at = trace.sent_at;
            }
            trace
        })
        .collect();
    let distinct: HashSet<ContactId> = batch.iter().map(|t| t.contact).collect();
    assert_eq!(distinct.len(), 301);
    assert_eq!(store.insert_traces(&batch).unwrap(), 301);
    assert_eq!(store.insert_traces(&batch).unwrap(), 0);
    // The first trace of each contact in the batch is the one stored, in batch order.
    let mut first: Vec<Trace> = Vec::new();
    for trace in &batch {
        if !first.iter().any(|f| f.contact == trace.contact) {
            first.push(trace.clone());
        }
    }
    let stored: Vec<Trace> = all_traces(&store, mailing)
        .into_iter()
        .map(|trace| Trace {
            id: TraceId(0),
            ..trace
        })
        .collect();
    assert_eq!(stored, first);
}

/// On random batches with repeats, `insert_traces` stores exactly the distinct pairs, and its
/// counts add up to them.
pub fn insert_traces_is_idempotent_on_random_batches<S: Store>(make: Make<'_, S>) {
    // The runner takes an `Fn`; each case borrows the factory for a fresh store.
    let make = std::cell::RefCell::new(make);
    let batches = prop::collection::vec(prop::collection::vec((0usize..2, 0usize..6), 0..8), 1..5);
    runner(24)
        .run(&batches, |batches| {
            let mut store = (*make.borrow_mut())();
            let (m0, contacts) = mailing_with_contacts(&mut store, 6);
            let (m1, _) = mailing_with_contacts(&mut store, 0);
            let mailings = [m0, m1];
            let mut distinct = HashSet::new();
            let mut stored = 0;
            for batch in &batches {
                let traces: Vec<Trace> = batch
                    .iter()
                    .map(|&(m, c)| outgoing(mailings[m], contacts[c], c))
                    .collect();
                stored += store.insert_traces(&traces).unwrap();
                distinct.extend(batch.iter().copied());
            }
            prop_assert_eq!(stored, distinct.len());
            let mut found = HashSet::new();
            for (m, mailing) in mailings.iter().enumerate() {
                for trace in all_traces(&store, *mailing) {
                    let c = contacts.iter().position(|&id| id == trace.contact).unwrap();
                    prop_assert!(found.insert((m, c)), "two traces for one pair");
                }
            }
            prop_assert_eq!(found, distinct);
            Ok(())
        })
        .unwrap();
}

/// `insert_trace` (transactional mailings) gives a contact any number of traces of a mailing.
pub fn insert_trace_allows_many_per_contact<S: Store>(make: Make<'_, S>) {
    let mut store = make();
    let (mailing, contacts) = mailing_with_contacts(&mut store, 1);
    let first = store
        .insert_trace(&outgoing(mailing, contacts[0], 0))
        .unwrap();
    let sent = Trace {
        status: TraceStatus::Pending,
        provider_message_id: Some("SM-direct".to_owned()),
        sent_at: Some(t(3)),
        ..outgoing(mailing, contacts[0], 0)
    };
    let second = store.insert_trace(&sent).unwrap();
    assert_ne!(first, second);
    assert_eq!(trace(&store, second), Trace { id: second, ..sent });
    assert_eq!(all_traces(&store, mailing).len(), 2);
    // A provider id given at insertion is found by delivery reports.
    assert_eq!(
        store
            .apply_status(&update("SM-direct", TraceStatus::Sent, None, 4))
            .unwrap(),
        Some(second)
    );
}

/// Claims move outgoing traces to `process` in id order, stamped, up to the limit; the next
/// claim gets the rest; a claimed trace is never handed out again.
pub fn claim_hands_out_each_trace_once<S: Store>(make: Make<'_, S>) {
    let mut store = make();
    let (mailing, ids) = prepared(&mut store, 7);
    let (other, other_ids) = prepared(&mut store, 2);
    assert!(store.claim_outgoing(mailing, 0, t(1)).unwrap().is_empty());
    let first = store.claim_outgoing(mailing, 3, t(1)).unwrap();
    assert_eq!(first.iter().map(|t| t.id).collect::<Vec<_>>(), ids[..3]);
    for claimed in &first {
        assert_eq!(
            (claimed.status, claimed.claimed_at),
            (TraceStatus::Process, Some(t(1)))
        );
        assert_eq!(trace(&store, claimed.id), *claimed);
    }
    let second = store.claim_outgoing(mailing, 10, t(2)).unwrap();
    assert_eq!(second.iter().map(|t| t.id).collect::<Vec<_>>(), ids[3..]);
    assert!(store.claim_outgoing(mailing, 10, t(3)).unwrap().is_empty());
    // The other mailing's traces were not touched.
    assert!(
        all_traces(&store, other)
            .iter()
            .all(|t| t.status == TraceStatus::Outgoing)
    );
    assert_eq!(
        store.claim_outgoing(other, 10, t(3)).unwrap().len(),
        other_ids.len()
    );
    assert!(
        store
            .claim_outgoing(MailingId(987_654), 10, t(3))
            .unwrap()
            .is_empty()
    );
}

/// On random schedules of claims, returned claims (outcome `outgoing`) and requeues, no trace
/// is ever in two unresolved claims, and every claimed trace was outgoing.
pub fn claims_never_overlap_on_random_schedules<S: Store>(make: Make<'_, S>) {
    // The runner takes an `Fn`; each case borrows the factory for a fresh store.
    let make = std::cell::RefCell::new(make);
    #[derive(Debug, Clone)]
    enum Step {
        Claim(usize),
        /// Resolve the oldest open claim: accepted, refused, or put back to `outgoing`.
        Resolve(u8),
        Requeue(bool),
        Abandon,
    }
    let step = prop_oneof![
        3 => (0usize..5).prop_map(Step::Claim),
        3 => (0u8..3).prop_map(Step::Resolve),
        1 => any::<bool>().prop_map(Step::Requeue),
        1 => Just(Step::Abandon),
    ];
    runner(32)
        .run(&prop::collection::vec(step, 1..30), |steps| {
            let mut store = (*make.borrow_mut())();
            let (mailing, ids) = prepared(&mut store, 8);
            let mut open: Vec<Vec<TraceId>> = Vec::new();
            let mut sid = 0;
            for (i, step) in steps.into_iter().enumerate() {
                let now = t(i64::try_from(i).unwrap());
                match step {
                    Step::Claim(limit) => {
                        let waiting: BTreeSet<TraceId> = all_traces(&store, mailing)
                            .iter()
                            .filter(|t| t.status == TraceStatus::Outgoing)
                            .map(|t| t.id)
                            .collect();
                        let claimed: Vec<TraceId> = store
                            .claim_outgoing(mailing, limit, now)
                            .unwrap()
                            .iter()
                            .map(|t| t.id)
                            .collect();
                        let expected: Vec<TraceId> = waiting.iter().take(limit).copied().collect();
                        prop_assert_eq!(&claimed, &expected);
                        for held in open.iter().flatten() {
                            prop_assert!(!claimed.contains(held), "{:?} claimed twice", held);
                        }
                        open.push(claimed);
                    }
                    Step::Resolve(how) => {
                        if open.is_empty() {
                            continue;
                        }
                        let claim = open.remove(0);
                        let outcomes: Vec<Outcome> = claim
                            .iter()
                            .map(|&id| match how {
                                0 => {
                                    sid += 1;
                                    accepted(id, &format!("SM{sid}"), now)
                                }
                                1 => refused(id, FailureType::Server),
                                _ => Outcome {
                                    status: TraceStatus::Outgoing,
                                    ..refused(id, FailureType::Server)
                                },
                            })
                            .collect();
                        store.record_outcomes(&outcomes).unwrap();
                        // Recording again changes nothing.
                        let before = all_traces(&store, mailing);
                        store.record_outcomes(&outcomes).unwrap();
                        prop_assert_eq!(all_traces(&store, mailing), before);
                    }
                    Step::Requeue(unknown) => {
                        store.requeue_failed(mailing, unknown).unwrap();
                    }
                    Step::Abandon => {
                        // Every open claim is stale: the claims are gone.
                        let held: usize = open.iter().map(Vec::len).sum();
                        prop_assert_eq!(store.abandon_claims(mailing, t(1000)).unwrap(), held);
                        open.clear();
                    }
                }
                let processing: BTreeSet<TraceId> = all_traces(&store, mailing)
                    .iter()
                    .filter(|t| t.status == TraceStatus::Process)
                    .map(|t| t.id)
                    .collect();
                let held: BTreeSet<TraceId> = open.iter().flatten().copied().collect();
                prop_assert_eq!(processing, held);
            }
            prop_assert_eq!(all_traces(&store, mailing).len(), ids.len());
            Ok(())
        })
        .unwrap();
}

/// Outcomes change claimed traces only; a repeated or late outcome is ignored; a trace put
/// back to `outgoing` can be claimed again; an unknown trace is an error.
pub fn record_outcomes_touches_only_claimed_traces<S: Store>(make: Make<'_, S>) {
    let mut store = make();
    let (mailing, ids) = prepared(&mut store, 4);
    store.claim_outgoing(mailing, 3, t(1)).unwrap();
    store
        .record_outcomes(&[
            accepted(ids[0], "SM0", t(2)),
            refused(ids[1], FailureType::InvalidDestination),
            Outcome {
                status: TraceStatus::Outgoing,
                ..refused(ids[2], FailureType::Server)
            },
            accepted(ids[3], "SM3", t(2)), // never claimed: ignored
        ])
        .unwrap();
    let a = trace(&store, ids[0]);
    assert_eq!(
        (
            a.status,
            a.provider_message_id.as_deref(),
            a.sent_at,
            a.failure_type
        ),
        (TraceStatus::Pending, Some("SM0"), Some(t(2)), None)
    );
    let b = trace(&store, ids[1]);
    assert_eq!(
        (
            b.status,
            b.failure_type,
            b.failure_reason.as_deref(),
            b.sent_at
        ),
        (
            TraceStatus::Error,
            Some(FailureType::InvalidDestination),
            Some("refused"),
            None
        )
    );
    assert_eq!(trace(&store, ids[2]).status, TraceStatus::Outgoing);
    assert_eq!(trace(&store, ids[3]), {
        let mut untouched = outgoing(mailing, trace(&store, ids[3]).contact, 3);
        untouched.id = ids[3];
        untouched
    });
    // A second outcome for a recorded trace is ignored.
    store
        .record_outcomes(&[refused(ids[0], FailureType::Server)])
        .unwrap();
    assert_eq!(trace(&store, ids[0]), a);
    // The trace put back is claimed again, with the one never claimed.
    let again = store.claim_outgoing(mailing, 10, t(5)).unwrap();
    assert_eq!(
        again.iter().map(|t| t.id).collect::<Vec<_>>(),
        vec![ids[2], ids[3]]
    );
    // An outcome keeps the first send time and the provider id when it has none.
    store
        .record_outcomes(&[accepted(ids[2], "SM2", t(6))])
        .unwrap();
    assert_eq!(
        store
            .apply_status(&update("SM2", TraceStatus::Sent, None, 7))
            .unwrap(),
        Some(ids[2])
    );
    assert!(is_not_found(store.record_outcomes(&[accepted(
        TraceId(987_654),
        "SMx",
        t(6)
    )])));
}

/// Claims older than the lease become `error` / `unknown`, stamped as sent when claimed;
/// newer claims and other mailings stay.
pub fn abandon_claims_by_claim_time<S: Store>(make: Make<'_, S>) {
    let mut store = make();
    let (mailing, ids) = prepared(&mut store, 5);
    let (other, other_ids) = prepared(&mut store, 1);
    store.claim_outgoing(mailing, 2, t(10)).unwrap();
    store.claim_outgoing(mailing, 2, t(20)).unwrap();
    store.claim_outgoing(other, 1, t(10)).unwrap();
    assert_eq!(store.abandon_claims(mailing, t(10)).unwrap(), 0); // strictly before
    assert_eq!(store.abandon_claims(mailing, t(15)).unwrap(), 2);
    for &id in &ids[..2] {
        let lost = trace(&store, id);
        assert_eq!(
            (lost.status, lost.failure_type, lost.sent_at),
            (TraceStatus::Error, Some(FailureType::Unknown), Some(t(10)))
        );
        assert!(lost.failure_reason.is_some());
    }
    assert!(
        ids[2..4]
            .iter()
            .all(|&id| trace(&store, id).status == TraceStatus::Process)
    );
    assert_eq!(trace(&store, ids[4]).status, TraceStatus::Outgoing);
    assert_eq!(trace(&store, other_ids[0]).status, TraceStatus::Process);
    // An outcome arriving after its claim was abandoned is ignored.
    store
        .record_outcomes(&[accepted(ids[0], "late", t(30))])
        .unwrap();
    assert_eq!(trace(&store, ids[0]).status, TraceStatus::Error);
    assert_eq!(store.abandon_claims(mailing, t(21)).unwrap(), 2);
    assert_eq!(store.abandon_claims(mailing, t(99)).unwrap(), 0);
}

/// `renew_claims` restamps the claims still held and leaves out those abandoned, recorded or
/// never claimed.
pub fn renew_claims_keeps_only_live_claims<S: Store>(make: Make<'_, S>) {
    let mut store = make();
    let (mailing, ids) = prepared(&mut store, 5);
    store.claim_outgoing(mailing, 2, t(10)).unwrap();
    store.claim_outgoing(mailing, 2, t(20)).unwrap();
    store
        .record_outcomes(&[accepted(ids[3], "sm-3", t(21))])
        .unwrap();
    assert_eq!(store.abandon_claims(mailing, t(15)).unwrap(), 2);
    // ids[0..2] abandoned, ids[2] held, ids[3] recorded, ids[4] never claimed.
    let mut asked = vec![ids[4], ids[2], ids[0], ids[3], ids[1], ids[2]];
    let renewed = store.renew_claims(&asked, t(30)).unwrap();
    assert_eq!(renewed, vec![ids[2]]);
    assert_eq!(trace(&store, ids[2]).claimed_at, Some(t(30)));
    assert_eq!(trace(&store, ids[2]).status, TraceStatus::Process);
    // Renewed, the claim survives a lease check that would have taken it for dead.
    assert_eq!(store.abandon_claims(mailing, t(25)).unwrap(), 0);
    assert_eq!(trace(&store, ids[0]).status, TraceStatus::Error);
    assert_eq!(trace(&store, ids[4]).status, TraceStatus::Outgoing);
    asked.clear();
    assert!(store.renew_claims(&asked, t(31)).unwrap().is_empty());
}

/// A mailing has waiting traces while one is `outgoing` or claimed, and none once every
/// trace has an outcome; another mailing's traces do not count.
pub fn has_waiting_traces_until_every_outcome_is_in<S: Store>(make: Make<'_, S>) {
    let mut store = make();
    let (mailing, ids) = prepared(&mut store, 3);
    let (other, _) = prepared(&mut store, 1);
    let (empty, _) = mailing_with_contacts(&mut store, 0);
    assert!(!store.has_waiting_traces(empty).unwrap());
    assert!(store.has_waiting_traces(mailing).unwrap());
    store.claim_outgoing(mailing, 3, t(1)).unwrap();
    assert!(
        store.has_waiting_traces(mailing).unwrap(),
        "claimed is waiting"
    );
    store
        .record_outcomes(&[
            accepted(ids[0], "a", t(2)),
            refused(ids[1], FailureType::Server),
        ])
        .unwrap();
    assert!(store.has_waiting_traces(mailing).unwrap());
    store.abandon_claims(mailing, t(9)).unwrap();
    assert!(!store.has_waiting_traces(mailing).unwrap());
    assert!(store.has_waiting_traces(other).unwrap());
    store.requeue_failed(mailing, false).unwrap();
    assert!(
        store.has_waiting_traces(mailing).unwrap(),
        "requeued is waiting"
    );
}

/// A lease has one holder at a time: taken when free or expired, extended by its holder,
/// refused to others until it expires or is released.
pub fn leases_have_one_holder<S: Store>(make: Make<'_, S>) {
    let mut store = make();
    assert!(
        store
            .acquire_lease("ab-winners", "w1", t(0), t(60))
            .unwrap()
    );
    assert!(
        !store
            .acquire_lease("ab-winners", "w2", t(10), t(70))
            .unwrap()
    );
    assert!(
        store
            .acquire_lease("prepare:7", "w2", t(10), t(70))
            .unwrap()
    );
    // The holder extends it; the other still waits.
    assert!(
        store
            .acquire_lease("ab-winners", "w1", t(50), t(120))
            .unwrap()
    );
    assert!(
        !store
            .acquire_lease("ab-winners", "w2", t(100), t(160))
            .unwrap()
    );
    // Expired: anyone takes it over, and the old holder lost it.
    assert!(
        store
            .acquire_lease("ab-winners", "w2", t(120), t(180))
            .unwrap()
    );
    assert!(
        !store
            .acquire_lease("ab-winners", "w1", t(130), t(190))
            .unwrap()
    );
    // Only the holder releases it.
    store.release_lease("ab-winners", "w1").unwrap();
    assert!(
        !store
            .acquire_lease("ab-winners", "w3", t(140), t(200))
            .unwrap()
    );
    store.release_lease("ab-winners", "w2").unwrap();
    assert!(
        store
            .acquire_lease("ab-winners", "w3", t(140), t(200))
            .unwrap()
    );
    store.release_lease("no such lease", "w3").unwrap();
}

/// `book_send_time` keeps one schedule per sender: a booking starts where the last one ended,
/// or now when the sender was idle, and never overlaps another.
pub fn send_time_bookings_never_overlap<S: Store>(make: Make<'_, S>) {
    let mut store = make();
    let ms = TimeDelta::milliseconds;
    assert_eq!(
        store.book_send_time("", ms(500), t(10)).unwrap(),
        t(10) + ms(500)
    );
    assert_eq!(store.book_send_time("", ms(500), t(10)).unwrap(), t(11));
    assert_eq!(
        store
            .book_send_time("12345", TimeDelta::seconds(2), t(10))
            .unwrap(),
        t(12)
    );
    assert_eq!(
        store.book_send_time("", ms(250), t(10)).unwrap(),
        t(11) + ms(250)
    );
    // Idle since: the next booking starts now, not in the past.
    assert_eq!(
        store.book_send_time("", ms(1), t(20)).unwrap(),
        t(20) + ms(1)
    );
    assert_eq!(
        store
            .book_send_time("12345", TimeDelta::microseconds(333_334), t(11))
            .unwrap(),
        t(12) + TimeDelta::microseconds(333_334)
    );
    // Random bookings: each ends exactly its cost after max(previous end, now). One store,
    // a sender of its own per case.
    let store = std::cell::RefCell::new(store);
    let case = std::cell::Cell::new(0);
    runner(32)
        .run(
            &prop::collection::vec((0i64..5_000_000, 0i64..3_000_000), 1..40),
            |bookings| {
                case.set(case.get() + 1);
                let sender = format!("random-{}", case.get());
                let mut store = store.borrow_mut();
                let mut end = t(0);
                let mut now = t(0);
                for (advance, cost) in bookings {
                    now += TimeDelta::microseconds(advance);
                    let booked = store
                        .book_send_time(&sender, TimeDelta::microseconds(cost), now)
                        .unwrap();
                    end = end.max(now) + TimeDelta::microseconds(cost);
                    prop_assert_eq!(booked, end);
                }
                Ok(())
            },
        )
        .unwrap();
}

/// Workers sharing the store: a worker stopped between batches leaves the rest to the next,
/// each message is sent once across them, and the rate limit holds across both (the second
/// worker's bookings follow the first's on the store's schedule, though its own dispatcher
/// starts afresh).
pub fn workers_share_the_queue_and_the_rate<S: Store>(make: Make<'_, S>) {
    use smskit::provider::{Clock, DispatchOptions, OutboundMessage, Provider, Rate, Receipt};
    use smskit::worker::WorkOptions;
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::sync::{Arc, Mutex};
    use std::time::Duration;

    /// Accepts every message, notes when it left, and asks the worker to stop after `stop_after`.
    #[derive(Debug)]
    struct Timed<'c> {
        clock: &'c SimulatedClock,
        inner: StubProvider,
        sent_at: Mutex<Vec<Duration>>,
        stop: Arc<AtomicBool>,
        stop_after: usize,
    }
    impl Provider for Timed<'_> {
        fn name(&self) -> &str {
            "timed"
        }
        fn submit(&self, message: &OutboundMessage) -> Result<Receipt, ProviderError> {
            let mut sent_at = self.sent_at.lock().unwrap();
            sent_at.push(self.clock.now());
            if sent_at.len() >= self.stop_after {
                self.stop.store(true, Ordering::Relaxed);
            }
            self.inner.submit(message)
        }
    }

    let (mut engine, mailing, _) = campaign(make(), 40, 0);
    engine.send_now(mailing).unwrap();
    let settings = Settings::new().with_batch_size(4).with_dispatch(
        DispatchOptions::default()
            .with_concurrency(1)
            .with_rate(Rate::per_second(10).unwrap()),
    );
    let clock = SimulatedClock::new();
    let stop = Arc::new(AtomicBool::new(false));
    let provider = Timed {
        clock: &clock,
        inner: StubProvider::new(),
        sent_at: Mutex::new(Vec::new()),
        stop: Arc::clone(&stop),
        stop_after: 10,
    };
    let start = t(100);
    let mut first = Engine::new(engine.into_store(), settings.clone());
    let options = WorkOptions::new("w1")
        .until_idle()
        .with_stop(Arc::clone(&stop));
    let worked = first
        .work(&provider, &clock, start, &options, &mut |_| {})
        .unwrap();
    // Stopped after the batch in flight: 10 asked, the batch of 4 finished (12).
    assert_eq!(worked.sent.accepted, 12);
    let mut second = Engine::new(first.into_store(), settings);
    let options = WorkOptions::new("w2").until_idle();
    let now = start + TimeDelta::from_std(clock.now()).unwrap();
    let worked = second
        .work(&provider, &clock, now, &options, &mut |_| {})
        .unwrap();
    assert_eq!(worked.sent.accepted, 28);
    let numbers: Vec<E164> = provider.inner.messages().iter().map(|m| m.to).collect();
    let distinct: HashSet<E164> = numbers.iter().copied().collect();
    assert_eq!((numbers.len(), distinct.len()), (40, 40));
    // 10 one-part messages a second across both workers: every 10 consecutive sends span at
    // least 0.9 s (the second worker did not start a fresh burst).
    let sent_at = provider.sent_at.lock().unwrap();
    for window in sent_at.windows(11) {
        assert!(
            window[10] - window[0] >= Duration::from_millis(1000),
            "{sent_at:?}: the rate was broken"
        );
    }
    assert_eq!(second.counts(mailing).unwrap().sent, 40);
    assert_eq!(
        second.store().mailing(mailing).unwrap().unwrap().state,
        MailingState::Sent
    );
}

/// `requeue_failed` puts refused traces back, and unknown ones only when asked.
pub fn requeue_failed_with_and_without_unknown<S: Store>(make: Make<'_, S>) {
    let mut store = make();
    let (mailing, ids) = prepared(&mut store, 5);
    store.claim_outgoing(mailing, 4, t(1)).unwrap();
    store
        .record_outcomes(&[
            accepted(ids[0], "SM0", t(2)),
            refused(ids[1], FailureType::Server),
            refused(ids[2], FailureType::Rejected),
        ])
        .unwrap();
    store.abandon_claims(mailing, t(5)).unwrap(); // ids[3]: unknown
    assert_eq!(store.requeue_failed(mailing, false).unwrap(), 2);
    for &id in &ids[1..3] {
        let back = trace(&store, id);
        assert_eq!(
            (
                back.status,
                back.failure_type,
                back.failure_reason,
                back.claimed_at
            ),
            (TraceStatus::Outgoing, None, None, None)
        );
    }
    assert_eq!(
        trace(&store, ids[3]).failure_type,
        Some(FailureType::Unknown)
    );
    assert_eq!(trace(&store, ids[0]).status, TraceStatus::Pending);
    assert_eq!(store.requeue_failed(mailing, false).unwrap(), 0);
    assert_eq!(store.requeue_failed(mailing, true).unwrap(), 1);
    assert_eq!(trace(&store, ids[3]).status, TraceStatus::Outgoing);
    let claimed: Vec<TraceId> = store
        .claim_outgoing(mailing, 10, t(6))
        .unwrap()
        .iter()
        .map(|t| t.id)
        .collect();
    assert_eq!(claimed, vec![ids[1], ids[2], ids[3], ids[4]]);
}

/// Failures a resend cannot fix (`NOT_RESENT`: the recipient opted out, the number is
/// invalid...) stay failed through `requeue_failed`, with or without the unknown ones.
pub fn requeue_failed_leaves_lasting_failures<S: Store>(make: Make<'_, S>) {
    let mut store = make();
    let kinds = smskit::store::NOT_RESENT;
    let (mailing, ids) = prepared(&mut store, kinds.len() + 1);
    store.claim_outgoing(mailing, ids.len(), t(1)).unwrap();
    let mut outcomes: Vec<Outcome> = kinds
        .iter()
        .zip(&ids)
        .map(|(&failure, &id)| refused(id, failure))
        .collect();
    outcomes.push(refused(ids[kinds.len()], FailureType::Credit));
    store.record_outcomes(&outcomes).unwrap();
    assert_eq!(store.requeue_failed(mailing, true).unwrap(), 1);
    for (&failure, &id) in kinds.iter().zip(&ids) {
        let kept = trace(&store, id);
        assert_eq!(
            (kept.status, kept.failure_type),
            (TraceStatus::Error, Some(failure))
        );
    }
    assert_eq!(
        trace(&store, ids[kinds.len()]).status,
        TraceStatus::Outgoing
    );
}

/// `cancel_outgoing` cancels the traces waiting, nothing claimed or sent.
pub fn cancel_outgoing_cancels_only_waiting_traces<S: Store>(make: Make<'_, S>) {
    let mut store = make();
    let (mailing, ids) = prepared(&mut store, 4);
    let (other, _) = prepared(&mut store, 1);
    store.claim_outgoing(mailing, 2, t(1)).unwrap();
    store
        .record_outcomes(&[accepted(ids[0], "SM0", t(2))])
        .unwrap();
    assert_eq!(store.cancel_outgoing(mailing).unwrap(), 2);
    let statuses: Vec<_> = ids.iter().map(|&id| trace(&store, id).status).collect();
    assert_eq!(
        statuses,
        vec![
            TraceStatus::Pending,
            TraceStatus::Process,
            TraceStatus::Cancel,
            TraceStatus::Cancel
        ]
    );
    assert_eq!(store.cancel_outgoing(mailing).unwrap(), 0);
    assert!(store.claim_outgoing(mailing, 10, t(3)).unwrap().is_empty());
    assert_eq!(all_traces(&store, other)[0].status, TraceStatus::Outgoing);
}

/// Delivery reports: unknown ids change nothing; news moves forward only; failures carry a
/// failure type; a lost outcome takes any news.
pub fn apply_status_examples<S: Store>(make: Make<'_, S>) {
    let mut store = make();
    let (mailing, ids) = prepared(&mut store, 3);
    store.claim_outgoing(mailing, 3, t(1)).unwrap();
    store
        .record_outcomes(&[accepted(ids[0], "SM0", t(2)), accepted(ids[1], "SM1", t(2))])
        .unwrap();
    store.abandon_claims(mailing, t(3)).unwrap(); // ids[2]: unknown, no provider id
    assert_eq!(
        store
            .apply_status(&update("nobody", TraceStatus::Sent, None, 4))
            .unwrap(),
        None
    );
    assert_eq!(
        store
            .apply_status(&update("SM0", TraceStatus::Sent, None, 4))
            .unwrap(),
        Some(ids[0])
    );
    // A late `pending` does not downgrade `sent`.
    assert_eq!(
        store
            .apply_status(&update("SM0", TraceStatus::Pending, None, 5))
            .unwrap(),
        None
    );
    let delivered = trace(&store, ids[0]);
    assert_eq!(
        (delivered.status, delivered.sent_at),
        (TraceStatus::Sent, Some(t(2)))
    );
    // A failure without a type is `sms_not_delivered`; then it is final.
    assert_eq!(
        store
            .apply_status(&update("SM1", TraceStatus::Bounce, None, 6))
            .unwrap(),
        Some(ids[1])
    );
    let bounced = trace(&store, ids[1]);
    assert_eq!(
        (bounced.status, bounced.failure_type),
        (TraceStatus::Bounce, Some(FailureType::NotDelivered))
    );
    assert_eq!(
        store
            .apply_status(&update("SM1", TraceStatus::Sent, None, 7))
            .unwrap(),
        None
    );
    // A lost outcome whose message turns out delivered (a provider id given at insertion).
    let (contact, _) = (trace(&store, ids[2]).contact, ());
    let lost = store
        .insert_trace(&Trace {
            status: TraceStatus::Error,
            failure_type: Some(FailureType::Unknown),
            provider_message_id: Some("SM-lost".to_owned()),
            ..outgoing(mailing, contact, 2)
        })
        .unwrap();
    assert_eq!(
        store
            .apply_status(&update("SM-lost", TraceStatus::Sent, None, 8))
            .unwrap(),
        Some(lost)
    );
    let found = trace(&store, lost);
    assert_eq!(
        (
            found.status,
            found.failure_type,
            found.failure_reason,
            found.sent_at
        ),
        (TraceStatus::Sent, None, None, Some(t(8)))
    );
}

/// On random sequences of reports, the store ends where folding [`accepts`] over them ends,
/// and says which reports it applied.
pub fn apply_status_folds_accepts<S: Store>(make: Make<'_, S>) {
    // The runner takes an `Fn`; each case borrows the factory for a fresh store.
    let make = std::cell::RefCell::new(make);
    let status = prop::sample::select(TraceStatus::ALL.to_vec());
    let failure = prop::option::of(prop::sample::select(FailureType::ALL.to_vec()));
    let updates = prop::collection::vec((status, failure), 0..12);
    // The trace starts accepted (pending) or lost (error / unknown, with its provider id).
    runner(48)
        .run(&(any::<bool>(), updates), |(lost, updates)| {
            let mut store = (*make.borrow_mut())();
            let (mailing, contacts) = mailing_with_contacts(&mut store, 1);
            let (status, failure) = if lost {
                (TraceStatus::Error, Some(FailureType::Unknown))
            } else {
                (TraceStatus::Pending, None)
            };
            let id = store
                .insert_trace(&Trace {
                    status,
                    failure_type: failure,
                    provider_message_id: Some("SM".to_owned()),
                    sent_at: Some(t(0)),
                    ..outgoing(mailing, contacts[0], 0)
                })
                .unwrap();
            let (mut model_status, mut model_failure) = (status, failure);
            for (i, (next, next_failure)) in updates.into_iter().enumerate() {
                let applied = store
                    .apply_status(&update(
                        "SM",
                        next,
                        next_failure,
                        i64::try_from(i).unwrap() + 1,
                    ))
                    .unwrap();
                let expected = accepts(model_status, model_failure, next);
                prop_assert_eq!(applied, expected.then_some(id));
                if expected {
                    model_status = next;
                    model_failure = match next {
                        TraceStatus::Error | TraceStatus::Bounce => {
                            Some(next_failure.unwrap_or(FailureType::NotDelivered))
                        }
                        _ => None,
                    };
                }
                let stored = trace(&store, id);
                prop_assert_eq!(
                    (stored.status, stored.failure_type),
                    (model_status, model_failure)
                );
                prop_assert_eq!(stored.sent_at, Some(t(0)));
            }
            Ok(())
        })
        .unwrap();
}

/// A click keeps the earliest click time and opens the trace when [`accepts`] allows it.
pub fn mark_clicked_keeps_the_first_click<S: Store>(make: Make<'_, S>) {
    let mut store = make();
    let (mailing, ids) = prepared(&mut store, 2);
    store.claim_outgoing(mailing, 2, t(1)).unwrap();
    store
        .record_outcomes(&[accepted(ids[0], "SM0", t(2)), accepted(ids[1], "SM1", t(2))])
        .unwrap();
    assert!(store.mark_clicked(ids[0], t(20)).unwrap());
    assert!(store.mark_clicked(ids[0], t(10)).unwrap());
    assert!(store.mark_clicked(ids[0], t(30)).unwrap());
    let clicked = trace(&store, ids[0]);
    assert_eq!(
        (clicked.status, clicked.clicked_at),
        (TraceStatus::Open, Some(t(10)))
    );
    // A bounced message clicked stays bounced (the click is still dated).
    store
        .apply_status(&update("SM1", TraceStatus::Bounce, None, 3))
        .unwrap();
    assert!(store.mark_clicked(ids[1], t(40)).unwrap());
    let bounced = trace(&store, ids[1]);
    assert_eq!(
        (bounced.status, bounced.clicked_at),
        (TraceStatus::Bounce, Some(t(40)))
    );
    assert!(!store.mark_clicked(TraceId(987_654), t(1)).unwrap());
}

/// [`Store::record_clicks`] does what one `record_click` and one `mark_clicked` per click do:
/// the first click of a trace is told apart, a trace that does not exist is not marked, an
/// anonymous click has no attribution.
pub fn record_clicks_as_one_by_one<S: Store>(make: Make<'_, S>) {
    let mut store = make();
    let (mailing, ids) = prepared(&mut store, 2);
    store.claim_outgoing(mailing, 2, t(1)).unwrap();
    store
        .record_outcomes(&[accepted(ids[0], "SM0", t(2)), accepted(ids[1], "SM1", t(2))])
        .unwrap();
    let link = store
        .get_or_create(
            &LinkRequest::new("https://x.example/c", &Tracking::new().with_mailing("m1")).unwrap(),
        )
        .unwrap();
    assert!(store.record_clicks(&[]).unwrap().is_empty());
    let on = |trace: &str, at: i64| {
        Click::new(link.code().clone(), t(at)).with_trace(LinkTraceId::new(trace).unwrap())
    };
    let first = ids[0].0.to_string();
    let records = store
        .record_clicks(&[
            on(&first, 20),
            on(&first, 10),
            on("987654", 30),
            Click::new(link.code().clone(), t(40)),
        ])
        .unwrap();
    let summary: Vec<(Option<TraceId>, Option<bool>)> = records
        .iter()
        .map(|record| {
            (
                record.trace,
                record.recorded.attribution.as_ref().map(|a| a.first_click),
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            (Some(ids[0]), Some(true)),
            (Some(ids[0]), Some(false)),
            (None, Some(true)),
            (None, None),
        ]
    );
    assert!(records.iter().all(|record| record.recorded.link == link));
    let clicked = trace(&store, ids[0]);
    assert_eq!(
        (clicked.status, clicked.clicked_at),
        (TraceStatus::Open, Some(t(10)))
    );
    assert_eq!(trace(&store, ids[1]).clicked_at, None);
    let stats = store.click_stats(&ClickScope::All).unwrap();
    assert_eq!((stats.clicks, stats.clicked_traces), (4, 2));
}

/// Replies are kept oldest first per number; one that answers a trace dates its first reply
/// and moves it to `reply` when [`accepts`] allows it.
pub fn replies_and_reply_status<S: Store>(make: Make<'_, S>) {
    let mut store = make();
    let (mailing, ids) = prepared(&mut store, 2);
    store.claim_outgoing(mailing, 2, t(1)).unwrap();
    store
        .record_outcomes(&[
            accepted(ids[0], "SM0", t(2)),
            refused(ids[1], FailureType::Server),
        ])
        .unwrap();
    let reply = |text: &str, at: i64, trace: Option<TraceId>| Reply {
        from: number(0),
        text: text.to_owned(),
        at: t(at),
        trace,
        stop: text == "STOP",
    };
    store
        .record_reply(&reply("later", 20, Some(ids[0])))
        .unwrap();
    store
        .record_reply(&reply("first", 10, Some(ids[0])))
        .unwrap();
    store.record_reply(&reply("STOP", 20, None)).unwrap();
    let answered = trace(&store, ids[0]);
    assert_eq!(
        (answered.status, answered.replied_at),
        (TraceStatus::Reply, Some(t(20)))
    );
    let texts: Vec<String> = store
        .replies(number(0))
        .unwrap()
        .into_iter()
        .map(|r| r.text)
        .collect();
    assert_eq!(texts, vec!["first", "later", "STOP"]);
    let stop = &store.replies(number(0)).unwrap()[2];
    assert!(stop.stop && stop.trace.is_none());
    assert!(store.replies(number(1)).unwrap().is_empty());
    // A reply to a refused message: dated, status kept (error is final).
    store.record_reply(&reply("?", 30, Some(ids[1]))).unwrap();
    let refused = trace(&store, ids[1]);
    assert_eq!(
        (refused.status, refused.replied_at),
        (TraceStatus::Error, Some(t(30)))
    );
    assert!(is_not_found(store.record_reply(&reply(
        "x",
        1,
        Some(TraceId(987_654))
    ))));
}

/// The last message sent to a number: the greatest send time, then the greatest id; traces
/// never sent do not count.
pub fn last_trace_to_picks_the_latest_send<S: Store>(make: Make<'_, S>) {
    let mut store = make();
    let (mailing, contacts) = mailing_with_contacts(&mut store, 2);
    let sent = |at: Option<i64>, n: usize| Trace {
        status: if at.is_some() {
            TraceStatus::Pending
        } else {
            TraceStatus::Outgoing
        },
        sent_at: at.map(t),
        ..outgoing(mailing, contacts[0], n)
    };
    assert_eq!(store.last_trace_to(number(0)).unwrap(), None);
    let early = store.insert_trace(&sent(Some(5), 0)).unwrap();
    let late = store.insert_trace(&sent(Some(9), 0)).unwrap();
    let tie = store.insert_trace(&sent(Some(9), 0)).unwrap();
    let _never = store.insert_trace(&sent(None, 0)).unwrap();
    let _older = store.insert_trace(&sent(Some(7), 0)).unwrap();
    let _elsewhere = store.insert_trace(&sent(Some(99), 1)).unwrap();
    assert_ne!(early, late);
    assert_eq!(
        store.last_trace_to(number(0)).unwrap().map(|t| t.id),
        Some(tie)
    );
    assert_eq!(store.last_trace_to(number(3)).unwrap(), None);
}

/// A contact's traces across mailings and a mailing's traces, both by id.
pub fn contact_traces_and_traces_by_id<S: Store>(make: Make<'_, S>) {
    let mut store = make();
    let (m1, contacts) = mailing_with_contacts(&mut store, 3);
    let (m2, _) = mailing_with_contacts(&mut store, 0);
    // Inserted in an order that is not the contacts' order.
    store
        .insert_traces(&[
            outgoing(m1, contacts[2], 2),
            outgoing(m2, contacts[0], 0),
            outgoing(m1, contacts[0], 0),
            outgoing(m1, contacts[1], 1),
        ])
        .unwrap();
    let extra = store.insert_trace(&outgoing(m2, contacts[0], 0)).unwrap();
    let in_m1 = all_traces(&store, m1);
    assert_eq!(
        in_m1.iter().map(|t| t.contact).collect::<Vec<_>>(),
        vec![contacts[2], contacts[0], contacts[1]]
    );
    assert!(in_m1.windows(2).all(|w| w[0].id < w[1].id));
    let mut history = Vec::new();
    store
        .contact_traces(contacts[0], &mut |t| history.push((t.mailing, t.id)))
        .unwrap();
    assert_eq!(history.len(), 3);
    assert_eq!(
        history.iter().map(|h| h.0).collect::<Vec<_>>(),
        vec![m2, m1, m2]
    );
    assert!(history.windows(2).all(|w| w[0].1 < w[1].1));
    assert_eq!(history[2].1, extra);
    let mut none = 0;
    store
        .contact_traces(ContactId(987_654), &mut |_| none += 1)
        .unwrap();
    store
        .traces(MailingId(987_654), &mut |_| none += 1)
        .unwrap();
    assert_eq!(none, 0);
}

/// The outgoing traces of a mailing with their contacts, by trace id: nothing claimed, sent
/// or canceled, nothing of another mailing; a contact with two traces is visited twice.
pub fn outgoing_with_contacts_visits_waiting_traces<S: Store>(make: Make<'_, S>) {
    let mut store = make();
    let (mailing, contacts) = mailing_with_contacts(&mut store, 5);
    let (other, _) = mailing_with_contacts(&mut store, 0);
    store
        .insert_traces(&[
            outgoing(mailing, contacts[3], 3),
            outgoing(mailing, contacts[0], 0),
            Trace {
                status: TraceStatus::Cancel,
                failure_type: Some(FailureType::Blacklist),
                ..outgoing(mailing, contacts[1], 1)
            },
            outgoing(mailing, contacts[2], 2),
            outgoing(other, contacts[4], 4),
        ])
        .unwrap();
    let again = store
        .insert_trace(&outgoing(mailing, contacts[3], 3))
        .unwrap();
    let claimed = store.claim_outgoing(mailing, 1, t(1)).unwrap();
    assert_eq!(claimed[0].contact, contacts[3]);
    let mut seen = Vec::new();
    store
        .outgoing_with_contacts(mailing, &mut |trace, contact| {
            assert_eq!(trace.contact, contact.id);
            assert_eq!(trace.status, TraceStatus::Outgoing);
            assert_eq!(
                Some(contact.phone.as_str()),
                trace.number.as_ref().map(E164::as_str)
            );
            seen.push((trace.id, contact.name.clone()));
        })
        .unwrap();
    let names: Vec<&str> = seen.iter().map(|s| s.1.as_str()).collect();
    assert_eq!(names, vec!["c0000", "c0002", "c0003"]);
    assert!(seen.windows(2).all(|w| w[0].0 < w[1].0));
    assert_eq!(seen[2].0, again);
    let mut none = 0;
    store
        .outgoing_with_contacts(MailingId(987_654), &mut |_, _| none += 1)
        .unwrap();
    assert_eq!(none, 0);
}

/// The same URL, UTM values and mailing give the same link; any difference a new code; a link
/// is found by its code.
pub fn links_get_or_create_and_lookup<S: Store>(make: Make<'_, S>) {
    let mut store = make();
    let spring = Tracking::new()
        .with_campaign("spring")
        .with_source("m")
        .with_medium("sms");
    let request = |url: &str, tracking: &Tracking| LinkRequest::new(url, tracking).unwrap();
    let a = store
        .get_or_create(&request("https://shop.example/a?x=1", &spring))
        .unwrap();
    let same = store
        .get_or_create(&request("HTTPS://SHOP.example/a?x=1", &spring))
        .unwrap();
    assert_eq!(a, same);
    assert_eq!(
        a.target(),
        "https://shop.example/a?x=1&utm_campaign=spring&utm_source=m&utm_medium=sms"
    );
    let other_campaign = store
        .get_or_create(&request(
            "https://shop.example/a?x=1",
            &Tracking::new().with_campaign("fall"),
        ))
        .unwrap();
    let other_mailing = store
        .get_or_create(&request(
            "https://shop.example/a?x=1",
            &spring.clone().with_mailing("7"),
        ))
        .unwrap();
    // The same target reached another way is another link.
    let utm_in_url = store
        .get_or_create(&request(
            "https://shop.example/a?x=1&utm_campaign=spring&utm_source=m&utm_medium=sms",
            &Tracking::new(),
        ))
        .unwrap();
    assert_eq!(utm_in_url.target(), a.target());
    let codes: HashSet<Code> = [&a, &other_campaign, &other_mailing, &utm_in_url]
        .iter()
        .map(|l| l.code().clone())
        .collect();
    assert_eq!(codes.len(), 4);
    assert!(
        codes
            .iter()
            .all(|c| c.as_str().len() >= smskit::links::MIN_CODE_LEN)
    );
    for link in [&a, &other_campaign, &other_mailing, &utm_in_url] {
        assert_eq!(store.link(link.code()).unwrap().as_ref(), Some(link));
    }
    assert_eq!(other_mailing.mailing(), Some("7"));
    assert_eq!(other_campaign.campaign(), Some("fall"));
    assert_eq!(store.link(&Code::new("zzzzzzzz").unwrap()).unwrap(), None);
}

/// Clicks: attribution (first click of a trace on any link), unknown codes refused, counts by
/// link, mailing, campaign and overall.
pub fn clicks_attribution_and_stats<S: Store>(make: Make<'_, S>) {
    let mut store = make();
    let spring = Tracking::new().with_campaign("spring");
    let a = store
        .get_or_create(
            &LinkRequest::new("https://x.example/a", &spring.clone().with_mailing("m1")).unwrap(),
        )
        .unwrap();
    let b = store
        .get_or_create(
            &LinkRequest::new("https://x.example/b", &spring.clone().with_mailing("m2")).unwrap(),
        )
        .unwrap();
    let trace = |s: &str| LinkTraceId::new(s).unwrap();
    let recorded = store
        .record_click(
            Click::new(a.code().clone(), t(20))
                .with_trace(trace("1"))
                .with_ip("203.0.113.9".parse().unwrap())
                .with_country("fr"),
        )
        .unwrap();
    assert_eq!(recorded.link, a);
    let attribution = recorded.attribution.unwrap();
    assert!(attribution.first_click);
    assert_eq!(
        (attribution.trace, attribution.opened_at),
        (trace("1"), t(20))
    );
    assert_eq!(
        (
            attribution.mailing.as_deref(),
            attribution.campaign.as_deref()
        ),
        (Some("m1"), Some("spring"))
    );
    let again = store
        .record_click(Click::new(b.code().clone(), t(10)).with_trace(trace("1")))
        .unwrap();
    assert!(!again.attribution.unwrap().first_click);
    store
        .record_click(Click::new(a.code().clone(), t(10)).with_trace(trace("2")))
        .unwrap();
    let anonymous = store
        .record_click(Click::new(a.code().clone(), t(30)))
        .unwrap();
    assert!(anonymous.attribution.is_none());
    let unknown = Code::new("zzzzzzzz").unwrap();
    assert!(matches!(
        store.record_click(Click::new(unknown.clone(), t(1))),
        Err(LinkError::UnknownLink { .. })
    ));
    let stats = |store: &S, scope: ClickScope| {
        let s = store.click_stats(&scope).unwrap();
        (s.clicks, s.clicked_traces, s.first_click, s.last_click)
    };
    assert_eq!(
        stats(&store, ClickScope::Link(a.code().clone())),
        (3, 2, Some(t(10)), Some(t(30)))
    );
    assert_eq!(
        stats(&store, ClickScope::Mailing("m2".into())),
        (1, 1, Some(t(10)), Some(t(10)))
    );
    assert_eq!(
        stats(&store, ClickScope::Campaign("spring".into())),
        (4, 2, Some(t(10)), Some(t(30)))
    );
    assert_eq!(
        stats(&store, ClickScope::All),
        (4, 2, Some(t(10)), Some(t(30)))
    );
    assert_eq!(
        store
            .click_stats(&ClickScope::Campaign("x".into()))
            .unwrap(),
        ClickStats::default()
    );
    assert_eq!(
        store.click_stats(&ClickScope::Link(unknown)).unwrap(),
        ClickStats::default()
    );
}

/// An engine over the store whose audience has a blacklisted number, a duplicate, an opted-out
/// contact, an unreadable number and `clean` more contacts; the mailing and the contacts.
fn campaign<S: Store>(
    store: S,
    clean: usize,
    batch: usize,
) -> (Engine<S>, MailingId, Vec<ContactId>) {
    let settings = Settings::new()
        .with_default_region(Region::parse("BE").unwrap())
        .with_batch_size(batch)
        .with_claim_lease(TimeDelta::zero());
    let mut engine = Engine::new(store, settings);
    let list = engine.create_list("L", true).unwrap();
    let mut contacts = Vec::new();
    let mut add = |engine: &mut Engine<S>, name: String, phone: String| {
        let id = engine
            .add_contact(NewContact::new(name, phone), t(0))
            .unwrap();
        engine.subscribe(list, id, t(0)).unwrap();
        contacts.push(id);
        id
    };
    for i in 0..clean {
        add(&mut engine, format!("c{i:04}"), number(100 + i).to_string());
    }
    add(&mut engine, "x-blacklisted".into(), number(1).to_string());
    add(&mut engine, "x-duplicate".into(), number(100).to_string());
    let opted = add(&mut engine, "x-opted-out".into(), number(2).to_string());
    add(&mut engine, "x-unreadable".into(), "call me".into());
    engine
        .store_mut()
        .set_opt_out(list, opted, true, t(0))
        .unwrap();
    engine
        .store_mut()
        .blacklist_add(number(1), None, t(0))
        .unwrap();
    let mailing = engine
        .create_mailing(
            NewMailing::new("m", "Hi {{ object.name }}", Audience::Lists(vec![list])),
            t(0),
        )
        .unwrap();
    (engine, mailing, contacts)
}

/// Over the store, the engine prepares one trace per targeted contact (again: none more) and
/// sends each outgoing trace once; the mailing ends `sent`.
pub fn engine_sends_once_per_targeted_contact<S: Store>(make: Make<'_, S>) {
    let (mut engine, mailing, contacts) = campaign(make(), 10, 3);
    let prepared = engine.prepare(mailing).unwrap();
    assert_eq!((prepared.traces, prepared.outgoing), (14, 10));
    let canceled: BTreeMap<FailureType, usize> = prepared.canceled.into_iter().collect();
    assert_eq!(
        canceled,
        BTreeMap::from([
            (FailureType::Blacklist, 1),
            (FailureType::OptOut, 1),
            (FailureType::Duplicate, 1),
            (FailureType::NumberFormat, 1),
        ])
    );
    assert_eq!(engine.prepare(mailing).unwrap().traces, 0);
    let mut per_contact: HashMap<ContactId, usize> = HashMap::new();
    engine
        .store()
        .traces(mailing, &mut |t| {
            *per_contact.entry(t.contact).or_default() += 1
        })
        .unwrap();
    assert_eq!(per_contact.len(), contacts.len());
    assert!(per_contact.values().all(|&n| n == 1));
    let provider = StubProvider::new();
    let sent = engine
        .send(mailing, &provider, &SimulatedClock::new(), t(1))
        .unwrap();
    assert_eq!(
        (sent.accepted, sent.failed, sent.unknown, sent.abandoned),
        (10, 0, 0, 0)
    );
    let numbers: Vec<E164> = provider.messages().iter().map(|m| m.to).collect();
    let distinct: HashSet<E164> = numbers.iter().copied().collect();
    assert_eq!((numbers.len(), distinct.len()), (10, 10));
    assert_eq!(
        engine.store().mailing(mailing).unwrap().unwrap().state,
        MailingState::Sent
    );
    let again = engine
        .send(mailing, &provider, &SimulatedClock::new(), t(2))
        .unwrap();
    assert_eq!(again.accepted, 0);
    assert_eq!(provider.messages().len(), 10);
    let counts = engine.counts(mailing).unwrap();
    assert_eq!((counts.expected, counts.canceled, counts.sent), (14, 4, 10));
}

/// A sender that died after claiming a batch: the next send marks that batch unknown (never
/// resent), sends everything else once, and a retry resends the unknown ones only when asked.
pub fn engine_resumes_after_a_crash_without_resending<S: Store>(make: Make<'_, S>) {
    let (mut engine, mailing, _) = campaign(make(), 9, 2);
    engine.prepare(mailing).unwrap();
    // The crashed sender: claimed a batch of 2 and died before recording anything; it had
    // also sent one batch whose outcomes it recorded.
    let provider = StubProvider::failing_for(
        StubProvider::new(),
        number(104),
        ProviderError::permanent(ErrorKind::NoCredit, "top up your account"),
    );
    let early = engine.store_mut().claim_outgoing(mailing, 2, t(1)).unwrap();
    let early_outcomes: Vec<Outcome> = early
        .iter()
        .map(|trace| accepted(trace.id, &format!("SM-early-{}", trace.id), t(1)))
        .collect();
    engine.store_mut().record_outcomes(&early_outcomes).unwrap();
    let lost = engine.store_mut().claim_outgoing(mailing, 2, t(2)).unwrap();
    let lost_numbers: HashSet<E164> = lost.iter().filter_map(|t| t.number).collect();
    assert_eq!(lost_numbers.len(), 2);
    let sent = engine
        .send(mailing, &provider, &SimulatedClock::new(), t(3))
        .unwrap();
    assert_eq!(sent.abandoned, 2);
    assert_eq!((sent.accepted, sent.failed), (4, 1));
    let numbers: Vec<E164> = provider.messages().iter().map(|m| m.to).collect();
    assert!(numbers.iter().all(|n| !lost_numbers.contains(n)));
    let early_numbers: HashSet<E164> = early.iter().filter_map(|t| t.number).collect();
    assert!(numbers.iter().all(|n| !early_numbers.contains(n)));
    for trace in &lost {
        let now = engine.store().trace(trace.id).unwrap().unwrap();
        assert_eq!(
            (now.status, now.failure_type, now.sent_at),
            (TraceStatus::Error, Some(FailureType::Unknown), Some(t(2)))
        );
    }
    assert_eq!(
        engine.store().mailing(mailing).unwrap().unwrap().state,
        MailingState::Sent
    );
    // Every trace has one final state: nothing left waiting or claimed.
    let mut waiting = 0;
    engine
        .store()
        .traces(mailing, &mut |t| {
            waiting += usize::from(matches!(
                t.status,
                TraceStatus::Outgoing | TraceStatus::Process
            ));
        })
        .unwrap();
    assert_eq!(waiting, 0);
    // A retry resends the refused message; the unknown ones only when asked.
    assert_eq!(engine.retry_failed(mailing, false).unwrap(), 1);
    let provider = StubProvider::new();
    let sent = engine
        .send(mailing, &provider, &SimulatedClock::new(), t(4))
        .unwrap();
    assert_eq!(sent.accepted, 1);
    assert_eq!(provider.messages()[0].to, number(104));
    assert_eq!(engine.retry_failed(mailing, true).unwrap(), 2);
    provider.clear();
    let sent = engine
        .send(mailing, &provider, &SimulatedClock::new(), t(5))
        .unwrap();
    assert_eq!(sent.accepted, 2);
    let resent: HashSet<E164> = provider.messages().iter().map(|m| m.to).collect();
    assert_eq!(resent, lost_numbers);
}

/// A mailing to contacts chosen by the application (`Audience::Contacts`) round-trips and is
/// prepared for exactly those contacts.
pub fn contact_audiences_round_trip<S: Store>(make: Make<'_, S>) {
    let mut store = make();
    let (_, contacts) = mailing_with_contacts(&mut store, 5);
    let chosen = vec![contacts[3], contacts[1]];
    let mut engine = Engine::new(store, Settings::new());
    let mailing = engine
        .create_mailing(
            NewMailing::new("chosen", "Hi", Audience::Contacts(chosen.clone())),
            t(1),
        )
        .unwrap();
    assert_eq!(
        engine.store().mailing(mailing).unwrap().unwrap().audience,
        Audience::Contacts(chosen.clone())
    );
    let prepared = engine.prepare(mailing).unwrap();
    assert_eq!((prepared.traces, prepared.outgoing), (2, 2));
    let mut targeted = BTreeSet::new();
    engine
        .store()
        .traces(mailing, &mut |trace| {
            targeted.insert(trace.contact);
        })
        .unwrap();
    assert_eq!(targeted, chosen.into_iter().collect());
}

/// Mailings to domain audiences (free fields, `list_ids.name`, negations, `ilike` with
/// Unicode, empty values) prepare the same traces over the store as over the
/// [`MemoryStore`](smskit::MemoryStore), whose engine evaluates domains in memory; a store that
/// resolves a domain itself ([`Store::domain_contacts`]) selects exactly those contacts.
pub fn domain_audiences_match_the_memory_store<S: Store>(make: Make<'_, S>) {
    fn fill<T: Store>(engine: &mut Engine<T>) {
        let vip = engine.create_list("VIP", false).unwrap();
        let news = engine.create_list("Newsletter", true).unwrap();
        let unicode = engine.create_list("Ünïcode ΣΑ", true).unwrap();
        // (name, city, country, lists)
        let people: [Person<'_>; 12] = [
            ("Élodie", Some("Gent"), Some("BE"), &[L::Vip]),
            ("ÉLODIE DUPRÉ", Some(""), Some("FR"), &[L::News]),
            ("straße", None, None, &[L::Vip, L::News]),
            ("ΟΔΥΣΣΕΥΣ", Some("Αθήνα"), Some("GR"), &[L::Unicode]),
            ("odysseus", Some("gent"), Some("BE"), &[]),
            ("50% off", Some("Gent"), None, &[L::NewsOptedOut]),
            (
                "a_b\\c",
                Some("Brugge"),
                Some("BE"),
                &[L::Vip, L::NewsOptedOut],
            ),
            ("İstanbul", Some("İzmir"), Some("TR"), &[L::Unicode]),
            ("", None, Some("BE"), &[L::News]),
            ("Zoë", Some("Gent"), Some("NL"), &[L::VipOptedOut]),
            ("\u{212a}elvin", Some("Kortrijk"), None, &[L::Vip]),
            ("kelvin", Some("GENT"), Some("BE"), &[L::Unicode, L::News]),
        ];
        for (i, (name, city, country, lists)) in people.iter().enumerate() {
            let mut contact = NewContact::new(*name, number(300 + i).to_string());
            if let Some(city) = city {
                contact = contact.with_field("city", *city);
            }
            if i % 3 == 0 {
                contact = contact.with_field("tier", "gold");
            }
            if let Some(country) = country {
                contact = contact.with_country(Region::parse(country).unwrap());
            }
            let id = engine.add_contact(contact, t(0)).unwrap();
            for list in *lists {
                let (list, opted_out) = match list {
                    L::Vip => (vip, false),
                    L::VipOptedOut => (vip, true),
                    L::News => (news, false),
                    L::NewsOptedOut => (news, true),
                    L::Unicode => (unicode, false),
                };
                engine.subscribe(list, id, t(0)).unwrap();
                if opted_out {
                    engine
                        .store_mut()
                        .set_opt_out(list, id, true, t(0))
                        .unwrap();
                }
            }
        }
    }
    type Person<'a> = (&'a str, Option<&'a str>, Option<&'a str>, &'a [L]);
    #[derive(Clone, Copy)]
    enum L {
        Vip,
        VipOptedOut,
        News,
        NewsOptedOut,
        Unicode,
    }

    /// Each mailing's traces as (contact name, status, failure), sorted.
    fn traces_by_name<T: Store>(
        engine: &mut Engine<T>,
        domains: &[&str],
    ) -> Vec<Vec<(String, TraceStatus, Option<FailureType>)>> {
        let mut names = HashMap::new();
        engine
            .store()
            .contacts(&mut |c| {
                names.insert(c.id, c.name.clone());
            })
            .unwrap();
        let mut out = Vec::new();
        for (i, domain) in domains.iter().enumerate() {
            let mailing = engine
                .create_mailing(
                    NewMailing::new(format!("d{i}"), "Hi", Audience::Domain((*domain).into())),
                    t(1),
                )
                .unwrap();
            engine.prepare(mailing).unwrap();
            let mut traces = Vec::new();
            engine
                .store()
                .traces(mailing, &mut |trace| {
                    traces.push((
                        names[&trace.contact].clone(),
                        trace.status,
                        trace.failure_type,
                    ));
                })
                .unwrap();
            traces.sort();
            out.push(traces);
        }
        out
    }

    let domains = [
        "[('city', '=', 'Gent')]",
        "[('city', 'ilike', 'gent')]",
        "[('list_ids.name', '=', 'VIP')]",
        "['!', ('list_ids.name', 'ilike', 'news')]",
        "[('list_ids.name', 'ilike', 'ünïcode σα')]",
        "[('name', 'ilike', 'élo')]",
        "[('name', '=ilike', 'οδυσσευς')]",
        "[('name', 'ilike', 'İ')]",
        "[('name', 'ilike', 'k')]",
        "[('name', 'like', '50\\\\%')]",
        "[('name', '=like', 'a\\\\_b%')]",
        "[('city', '=', False)]",
        "[('city', '!=', False), ('tier', '!=', 'gold')]",
        "['|', ('list_ids', '=', False), ('country', 'in', ['BE', 'NL'])]",
        "['!', '|', ('country', '=', False), ('list_ids.is_public', '=', False)]",
        "[('name', '=', ''), ('country', '=', 'BE')]",
        "[('list_ids', 'not in', [1, 2]), ('name', '!=', False)]",
        "[('city', 'in', ['Gent', '', False])]",
        "[]",
    ];
    let settings = || Settings::new().with_default_region(Region::parse("BE").unwrap());
    let mut engine = Engine::new(make(), settings());
    fill(&mut engine);
    let mut memory = Engine::new(smskit::MemoryStore::new(), settings());
    fill(&mut memory);
    let got = traces_by_name(&mut engine, &domains);
    let expected = traces_by_name(&mut memory, &domains);
    for ((domain, got), expected) in domains.iter().zip(&got).zip(&expected) {
        assert_eq!(got, expected, "{domain} over {:?}", engine.store());
    }
    // A store that resolves domains itself selects exactly the contacts the in-memory
    // evaluation targets (every member gets a trace, canceled or not).
    let schema = engine.contact_schema().unwrap();
    for (domain, expected) in domains.iter().zip(&expected) {
        let plan = smskit::filter::Plan::new(
            &schema,
            smskit::audience::CONTACT_MODEL,
            &smskit::filter::parse(domain).unwrap(),
        )
        .unwrap();
        assert!(memory.store().domain_contacts(&plan).unwrap().is_none());
        if let Some(ids) = engine.store().domain_contacts(&plan).unwrap() {
            assert!(ids.is_sorted(), "{domain}: {ids:?}");
            let mut names: Vec<String> = ids
                .iter()
                .map(|&id| engine.store().contact(id).unwrap().unwrap().name)
                .collect();
            names.sort();
            let targeted: Vec<String> = expected.iter().map(|(name, _, _)| name.clone()).collect();
            assert_eq!(names, targeted, "{domain}");
        }
    }
    // The domains select different audiences (the case would not notice a constant).
    let sizes: BTreeSet<usize> = expected.iter().map(Vec::len).collect();
    assert!(sizes.len() >= 6, "{sizes:?}");
}
