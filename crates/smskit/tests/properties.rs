//! The invariants of the mailing spec, on random audiences and random provider faults:
//! every targeted contact has exactly one trace, no blacklisted or opted-out number ever gets
//! a message, and every message is accounted for exactly once whatever the provider does.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use proptest::prelude::*;
use smskit::chrono::{DateTime, Duration, Utc};
use smskit::credit::{Balance, BalanceError};
use smskit::model::{Audience, ContactId, MailingId, NewContact, NewMailing, Trace};
use smskit::phone::{E164, Region};
use smskit::provider::{
    Error as ProviderError, ErrorKind, FailureType, SimulatedClock, StubProvider, TraceStatus,
};
use smskit::segment::{Currency, Money, PriceTable};
use smskit::{Engine, Error, MemoryStore, Settings, Store};

fn now() -> DateTime<Utc> {
    DateTime::from_timestamp(1_767_225_600, 0).unwrap()
}

/// What the provider does with messages to one number.
#[derive(Debug, Clone, Copy)]
enum Fault {
    None,
    Retryable(u32),
    RetryableForever,
    Permanent,
    Unknown,
}

fn fault() -> impl Strategy<Value = Fault> {
    prop_oneof![
        6 => Just(Fault::None),
        1 => (1u32..3).prop_map(Fault::Retryable),
        1 => Just(Fault::RetryableForever),
        1 => Just(Fault::Permanent),
        1 => Just(Fault::Unknown),
    ]
}

/// A contact: which of 12 numbers it has (or an unreadable one), opted out or not.
fn contact() -> impl Strategy<Value = (Option<u8>, bool)> {
    (
        prop::option::weighted(0.9, 0u8..12),
        prop::bool::weighted(0.15),
    )
}

fn number(n: u8) -> E164 {
    E164::parse(&format!("+3247000{:04}", n)).unwrap()
}

struct World {
    engine: Engine<MemoryStore>,
    mailing: MailingId,
    contacts: Vec<(ContactId, Option<E164>, bool)>,
    blacklist: HashSet<E164>,
}

fn world(contacts: &[(Option<u8>, bool)], blacklisted: &[u8], batch: usize) -> World {
    let settings = Settings::new()
        .with_default_region(Region::parse("BE").unwrap())
        .with_batch_size(batch);
    let mut engine = Engine::new(MemoryStore::new(), settings);
    let list = engine.create_list("L", true).unwrap();
    let mut made = Vec::new();
    for (i, &(n, opted_out)) in contacts.iter().enumerate() {
        let phone = n.map_or("no number here".to_owned(), |n| number(n).to_string());
        let id = engine
            .add_contact(NewContact::new(format!("c{i:03}"), phone), now())
            .unwrap();
        engine.subscribe(list, id, now()).unwrap();
        if opted_out {
            engine
                .store_mut()
                .set_opt_out(list, id, true, now())
                .unwrap();
        }
        made.push((id, n.map(number), opted_out));
    }
    let blacklist: HashSet<E164> = blacklisted.iter().map(|&n| number(n)).collect();
    for &entry in &blacklist {
        engine
            .store_mut()
            .blacklist_add(entry, None, now())
            .unwrap();
    }
    let mailing = engine
        .create_mailing(
            NewMailing::new("m", "Hi {{ object.name }}", Audience::Lists(vec![list])),
            now(),
        )
        .unwrap();
    World {
        engine,
        mailing,
        contacts: made,
        blacklist,
    }
}

fn traces(engine: &Engine<MemoryStore>, mailing: MailingId) -> Vec<Trace> {
    let mut all = Vec::new();
    engine
        .store()
        .traces(mailing, &mut |trace| all.push(trace.clone()))
        .unwrap();
    all
}

fn provider_with(faults: &[Fault]) -> StubProvider {
    let mut provider = StubProvider::new();
    for (n, fault) in faults.iter().enumerate() {
        let to = number(n as u8);
        provider =
            match *fault {
                Fault::None => provider,
                Fault::Retryable(times) => provider.failing_times(
                    to,
                    times,
                    ProviderError::retryable(ErrorKind::RateLimited, "slow down"),
                ),
                Fault::RetryableForever => provider
                    .failing_for(to, ProviderError::retryable(ErrorKind::ServerError, "down")),
                Fault::Permanent => provider.failing_for(
                    to,
                    ProviderError::permanent(ErrorKind::InvalidNumber, "no such number"),
                ),
                Fault::Unknown => provider
                    .failing_for(to, ProviderError::unknown(ErrorKind::Timeout, "no answer")),
            };
    }
    provider
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn one_trace_per_contact_and_nobody_excluded_is_messaged(
        contacts in prop::collection::vec(contact(), 0..40),
        blacklisted in prop::collection::vec(0u8..12, 0..4),
        faults in prop::collection::vec(fault(), 12),
        batch in 1usize..7,
    ) {
        let mut world = world(&contacts, &blacklisted, batch);
        let mailing = world.mailing;
        world.engine.prepare(mailing).unwrap();
        // Preparing again changes nothing.
        prop_assert_eq!(world.engine.prepare(mailing).unwrap().traces, 0);
        let provider = provider_with(&faults);
        let sent = world
            .engine
            .send(mailing, &provider, &SimulatedClock::new(), now())
            .unwrap();

        let traces = traces(&world.engine, mailing);
        prop_assert_eq!(traces.len(), world.contacts.len());
        let by_contact: HashMap<ContactId, &Trace> =
            traces.iter().map(|trace| (trace.contact, trace)).collect();
        prop_assert_eq!(by_contact.len(), world.contacts.len());

        let attempted: Vec<E164> = provider.attempts().iter().map(|m| m.to).collect();
        let accepted: Vec<E164> = provider.messages().iter().map(|m| m.to).collect();
        for (contact, number, opted_out) in &world.contacts {
            let trace = by_contact[contact];
            let excluded = number.is_none()
                || number.is_some_and(|n| world.blacklist.contains(&n))
                || *opted_out;
            if excluded {
                prop_assert_eq!(trace.status, TraceStatus::Cancel);
            }
        }
        for to in &attempted {
            prop_assert!(!world.blacklist.contains(to), "{to} is blacklisted");
        }
        // A number is messaged at most once (duplicates are excluded), and accepted at most once.
        let distinct: HashSet<&E164> = accepted.iter().collect();
        prop_assert_eq!(distinct.len(), accepted.len());

        // Every message is accounted for exactly once.
        let pending = traces.iter().filter(|t| t.status == TraceStatus::Pending).count();
        let unknown = traces
            .iter()
            .filter(|t| t.failure_type == Some(FailureType::Unknown))
            .count();
        let errors = traces.iter().filter(|t| t.status == TraceStatus::Error).count();
        prop_assert_eq!(sent.accepted, pending);
        prop_assert_eq!(accepted.len(), pending);
        prop_assert_eq!(sent.unknown, unknown);
        prop_assert_eq!(sent.failed + sent.unknown, errors);
        prop_assert!(traces
            .iter()
            .all(|t| !matches!(t.status, TraceStatus::Outgoing | TraceStatus::Process)));
        // An unknown outcome was attempted once and never again.
        for trace in traces.iter().filter(|t| t.failure_type == Some(FailureType::Unknown)) {
            let to = trace.number.unwrap();
            prop_assert_eq!(attempted.iter().filter(|&&n| n == to).count(), 1);
        }

        // Sending again sends nothing: nothing is outgoing any more.
        let again = world
            .engine
            .send(mailing, &provider, &SimulatedClock::new(), now())
            .unwrap();
        prop_assert_eq!((again.accepted, again.failed, again.unknown), (0, 0, 0));
        prop_assert_eq!(provider.attempts().len(), attempted.len());
    }

    #[test]
    fn a_failing_or_panicking_balance_leaves_every_trace_unsent(
        contacts in prop::collection::vec(contact(), 1..30),
        panics in any::<bool>(),
    ) {
        #[derive(Debug)]
        struct Flaky(bool);
        impl Balance for Flaky {
            fn available(&self, _currency: Currency) -> Result<Money, BalanceError> {
                if self.0 {
                    panic!("the application's balance panicked");
                }
                Err(BalanceError::new("billing down"))
            }
        }
        let mut world = world(&contacts, &[], 3);
        let prices = PriceTable::from_csv("prefix,price,currency\n32,0.05,EUR\n").unwrap();
        let settings = Settings::new()
            .with_default_region(Region::parse("BE").unwrap())
            .with_prices(prices)
            .with_balance(Arc::new(Flaky(panics)));
        let store = std::mem::take(world.engine.store_mut());
        let mut engine = Engine::new(store, settings);
        let mailing = world.mailing;
        engine.prepare(mailing).unwrap();
        let before = traces(&engine, mailing);
        let provider = StubProvider::new();
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            engine.send(mailing, &provider, &SimulatedClock::new(), now())
        }));
        match result {
            Err(_) => prop_assert!(panics),
            Ok(Err(Error::Balance(_))) => prop_assert!(!panics),
            Ok(other) => prop_assert!(false, "unexpected {:?}", other),
        }
        prop_assert!(provider.attempts().is_empty());
        prop_assert_eq!(traces(&engine, mailing), before);
    }

    #[test]
    fn a_crash_between_claim_and_record_never_sends_twice_across_restarts(
        contacts in prop::collection::vec(contact(), 1..40),
        faults in prop::collection::vec(fault(), 12),
        batch in 1usize..7,
        left_before_crash in 0usize..7,
        retry_unknown in any::<bool>(),
    ) {
        let mut world = world(&contacts, &[], batch);
        let mailing = world.mailing;
        world.engine.prepare(mailing).unwrap();
        let provider = provider_with(&faults);
        // The process claims a batch, some of its messages leave, and it dies before recording.
        let claimed = world
            .engine
            .store_mut()
            .claim_outgoing(mailing, batch, now())
            .unwrap();
        let in_flight: Vec<&Trace> = claimed.iter().take(left_before_crash).collect();
        for trace in &in_flight {
            use smskit::provider::{OutboundMessage, Provider};
            let _ = provider.send(&OutboundMessage::new(trace.number.unwrap(), "Hi"));
        }
        let lost = provider.messages().len();
        // It restarts as the only sender of its store: every earlier claim is resolved.
        let store = std::mem::take(world.engine.store_mut());
        let mut engine = Engine::new(
            store,
            Settings::new()
                .with_default_region(Region::parse("BE").unwrap())
                .with_batch_size(batch)
                .with_claim_lease(Duration::zero()),
        );
        let later = now() + Duration::seconds(1);
        let sent = engine.send(mailing, &provider, &SimulatedClock::new(), later).unwrap();
        prop_assert_eq!(sent.abandoned, claimed.len());
        // The operator retries the failures, with or without the unknown ones.
        engine.retry_failed(mailing, retry_unknown).unwrap();
        engine
            .send(mailing, &provider, &SimulatedClock::new(), later + Duration::seconds(1))
            .unwrap();

        let traces = traces(&engine, mailing);
        prop_assert!(traces
            .iter()
            .all(|t| !matches!(t.status, TraceStatus::Outgoing | TraceStatus::Process)));
        let accepted: Vec<E164> = provider.messages().iter().map(|m| m.to).collect();
        let distinct: HashSet<&E164> = accepted.iter().collect();
        if !retry_unknown {
            // Without the operator's say-so, nothing that may have left is sent again.
            prop_assert_eq!(distinct.len(), accepted.len());
            for trace in &claimed {
                let trace = traces.iter().find(|t| t.id == trace.id).unwrap();
                prop_assert_eq!(trace.failure_type, Some(FailureType::Unknown));
                let to = trace.number.unwrap();
                let attempts = provider.attempts().iter().filter(|m| m.to == to).count();
                let left = usize::from(in_flight.iter().any(|t| t.number == Some(to)));
                prop_assert_eq!(attempts, left);
            }
        }
        // Every trace has one outcome, and each accepted message one pending trace, except
        // the crashed run's, whose outcome was lost.
        let pending = traces.iter().filter(|t| t.status == TraceStatus::Pending).count();
        prop_assert_eq!(accepted.len(), pending + lost);
    }
}
