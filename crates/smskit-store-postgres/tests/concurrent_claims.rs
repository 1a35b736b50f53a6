//! Several connections claim from one queue at the same time: every trace is claimed exactly
//! once (`FOR UPDATE SKIP LOCKED`), and every claimer gets a share. Several connections
//! prepare the same traces at the same time: each is stored once.

mod common;

use std::collections::HashMap;
use std::sync::{Arc, Barrier};

use chrono::{DateTime, Utc};
use smskit::Store;
use smskit::model::{Audience, ContactId, MailingId, NewContact, NewMailing, Trace, TraceId};
use smskit::phone::E164;
use smskit::provider::TraceStatus;
use smskit::store::Outcome;
use smskit_store_postgres::PostgresStore;

const TRACES: usize = 4_000;
const BATCH: usize = 7;
const WORKERS: usize = 4;

fn now(seconds: i64) -> DateTime<Utc> {
    DateTime::from_timestamp(1_767_225_600 + seconds, 0).unwrap()
}

/// One outgoing trace of `mailing` per contact, in order.
fn outgoing(mailing: MailingId, contacts: &[ContactId]) -> Vec<Trace> {
    contacts
        .iter()
        .enumerate()
        .map(|(i, &contact)| Trace {
            id: TraceId(0),
            mailing,
            contact,
            number: Some(E164::parse(&format!("+3247{i:07}")).unwrap()),
            raw_number: None,
            status: TraceStatus::Outgoing,
            failure_type: None,
            failure_reason: None,
            provider_message_id: None,
            sent_at: None,
            claimed_at: None,
            clicked_at: None,
            replied_at: None,
        })
        .collect()
}

#[test]
fn concurrent_claimers_take_every_trace_exactly_once() {
    let schemas = common::Schemas::new("claims");
    let schema = schemas.name();
    let mut store = PostgresStore::connect_in_schema(&common::url(), &schema).unwrap();
    let contacts = store
        .insert_contacts(
            (0..TRACES).map(|i| NewContact::new(format!("c{i}"), format!("+3247{i:07}"))),
            now(0),
        )
        .unwrap();
    let mailing = store
        .insert_mailing(
            NewMailing::new("m", "Hello", Audience::Contacts(contacts.clone())),
            now(0),
        )
        .unwrap();
    let traces = outgoing(mailing, &contacts);
    assert_eq!(store.insert_traces(&traces).unwrap(), TRACES);

    // Each worker: its own connection, started together, claiming small batches and recording
    // them accepted until the queue is empty.
    let start = Arc::new(Barrier::new(WORKERS));
    let workers: Vec<_> = (0..WORKERS)
        .map(|worker| {
            let start = Arc::clone(&start);
            let schema = schema.clone();
            std::thread::spawn(move || {
                let mut store = PostgresStore::connect_in_schema(&common::url(), &schema).unwrap();
                let mut claimed = Vec::new();
                start.wait();
                loop {
                    let batch = store.claim_outgoing(mailing, BATCH, now(1)).unwrap();
                    if batch.is_empty() {
                        break;
                    }
                    assert!(batch.len() <= BATCH);
                    assert!(batch.iter().all(|t| t.status == TraceStatus::Process));
                    let outcomes: Vec<Outcome> = batch
                        .iter()
                        .map(|trace| Outcome {
                            trace: trace.id,
                            status: TraceStatus::Pending,
                            failure_type: None,
                            failure_reason: None,
                            provider_message_id: Some(format!("w{worker}-{}", trace.id)),
                            sent_at: Some(now(2)),
                        })
                        .collect();
                    store.record_outcomes(&outcomes).unwrap();
                    claimed.extend(batch.iter().map(|trace| trace.id));
                }
                claimed
            })
        })
        .collect();
    let claimed: Vec<Vec<TraceId>> = workers.into_iter().map(|w| w.join().unwrap()).collect();

    // Every trace claimed by exactly one worker...
    let mut times: HashMap<TraceId, usize> = HashMap::new();
    for id in claimed.iter().flatten() {
        *times.entry(*id).or_default() += 1;
    }
    let twice: Vec<_> = times.iter().filter(|(_, n)| **n > 1).collect();
    assert!(
        twice.is_empty(),
        "{} traces claimed more than once, e.g. {:?}",
        twice.len(),
        &twice[..twice.len().min(5)]
    );
    assert_eq!(times.len(), TRACES);
    // ...every worker did its share (they ran at the same time, not one after the other)...
    for (worker, ids) in claimed.iter().enumerate() {
        assert!(!ids.is_empty(), "worker {worker} claimed nothing");
    }
    // ...and the store agrees: all accepted, each with the id of the worker that claimed it.
    let owner: HashMap<TraceId, usize> = claimed
        .iter()
        .enumerate()
        .flat_map(|(worker, ids)| ids.iter().map(move |id| (*id, worker)))
        .collect();
    let mut seen = 0;
    store
        .traces(mailing, &mut |trace| {
            seen += 1;
            assert_eq!(trace.status, TraceStatus::Pending);
            assert_eq!(
                trace.provider_message_id.as_deref(),
                Some(format!("w{}-{}", owner[&trace.id], trace.id).as_str())
            );
        })
        .unwrap();
    assert_eq!(seen, TRACES);
}

#[test]
fn concurrent_preparations_store_each_trace_once() {
    let schemas = common::Schemas::new("prepare");
    let schema = schemas.name();
    let mut store = PostgresStore::connect_in_schema(&common::url(), &schema).unwrap();
    // More than one statement's worth, so the writers overlap inside their transactions.
    let contacts = store
        .insert_contacts(
            (0..25_000).map(|i| NewContact::new(format!("c{i}"), format!("+3247{i:07}"))),
            now(0),
        )
        .unwrap();
    let mailing = store
        .insert_mailing(
            NewMailing::new("m", "Hello", Audience::Contacts(contacts.clone())),
            now(0),
        )
        .unwrap();
    let traces = Arc::new(outgoing(mailing, &contacts));
    let start = Arc::new(Barrier::new(WORKERS));
    let writers: Vec<_> = (0..WORKERS)
        .map(|_| {
            let (start, traces, schema) = (Arc::clone(&start), Arc::clone(&traces), schema.clone());
            std::thread::spawn(move || {
                let mut store = PostgresStore::connect_in_schema(&common::url(), &schema).unwrap();
                start.wait();
                store.insert_traces(&traces).unwrap()
            })
        })
        .collect();
    let stored: usize = writers.into_iter().map(|w| w.join().unwrap()).sum();
    assert_eq!(
        stored,
        traces.len(),
        "the calls together stored each trace once"
    );
    let mut seen = std::collections::HashSet::new();
    store
        .traces(mailing, &mut |trace| assert!(seen.insert(trace.contact)))
        .unwrap();
    assert_eq!(seen.len(), traces.len());
}
