//! Whole campaigns through the engine and `MemoryStore`: exclusions, sending with faults,
//! crashes, delivery reports and statistics.

use std::collections::HashMap;

use smskit::chrono::{DateTime, Duration, Utc};
use smskit::model::{
    Audience, ContactId, ListId, MailingId, MailingState, NewContact, NewMailing, Trace,
};
use smskit::phone::{E164, Region};
use smskit::provider::{
    DeliveryReport, Error as ProviderError, ErrorKind, FailureType, SimulatedClock, StubProvider,
    TraceStatus,
};
use smskit::{Engine, Error, MemoryStore, Settings, Store};

fn now() -> DateTime<Utc> {
    DateTime::from_timestamp(1_767_225_600, 0).unwrap() // 2026-01-01
}

fn engine() -> Engine<MemoryStore> {
    Engine::new(
        MemoryStore::new(),
        Settings::new()
            .with_default_region(Region::parse("BE").unwrap())
            .with_batch_size(3),
    )
}

fn number(text: &str) -> E164 {
    E164::parse(text).unwrap()
}

fn add(engine: &mut Engine<MemoryStore>, list: ListId, name: &str, phone: &str) -> ContactId {
    let contact = engine
        .add_contact(NewContact::new(name, phone), now())
        .unwrap();
    engine.subscribe(list, contact, now()).unwrap();
    contact
}

fn traces(engine: &Engine<MemoryStore>, mailing: MailingId) -> Vec<Trace> {
    let mut all = Vec::new();
    engine
        .store()
        .traces(mailing, &mut |trace| all.push(trace.clone()))
        .unwrap();
    all
}

fn by_name(engine: &Engine<MemoryStore>, mailing: MailingId) -> HashMap<String, Trace> {
    traces(engine, mailing)
        .into_iter()
        .map(|trace| {
            let contact = engine.store().contact(trace.contact).unwrap().unwrap();
            (contact.name, trace)
        })
        .collect()
}

/// An engine with contacts `C1..=Cn` (numbers `+3247000000i`) in one list, and a prepared
/// mailing "Hi" to it.
fn prepared_to_numbered(n: usize) -> (Engine<MemoryStore>, ListId, MailingId) {
    let mut engine = engine();
    let list = engine.create_list("A", false).unwrap();
    for i in 1..=n {
        add(
            &mut engine,
            list,
            &format!("C{i}"),
            &format!("+3247000000{i}"),
        );
    }
    let mailing = mailing_to(&mut engine, "Hi", Audience::Lists(vec![list]));
    engine.prepare(mailing).unwrap();
    (engine, list, mailing)
}

fn mailing_to(engine: &mut Engine<MemoryStore>, body: &str, audience: Audience) -> MailingId {
    engine
        .create_mailing(NewMailing::new("test", body, audience), now())
        .unwrap()
}

#[test]
fn exclusions_follow_the_spec_and_odoos_contact_order() {
    let mut engine = engine();
    let list = engine.create_list("A", false).unwrap();
    let other = engine.create_list("B", false).unwrap();
    // Same name: the most recently created contact comes first and keeps the number.
    let older = engine
        .add_contact(NewContact::new("Zoe", "0470000001"), now())
        .unwrap();
    let newer = engine
        .add_contact(
            NewContact::new("Zoe", "+32470000001"),
            now() + Duration::seconds(1),
        )
        .unwrap();
    for contact in [older, newer] {
        engine.subscribe(list, contact, now()).unwrap();
    }
    add(&mut engine, list, "Ann", "+32 470 00 00 02");
    add(&mut engine, list, "Bob", "0470000003");
    add(&mut engine, list, "Cat", "");
    add(&mut engine, list, "Dan", "0470 12");
    let opted = add(&mut engine, list, "Eve", "0470000005");
    engine
        .store_mut()
        .set_opt_out(list, opted, true, now())
        .unwrap();
    // Opted out of A but still subscribed to B: not opted out for a mailing to A and B.
    let both = add(&mut engine, list, "Fay", "0470000006");
    engine
        .store_mut()
        .set_opt_out(list, both, true, now())
        .unwrap();
    engine.subscribe(other, both, now()).unwrap();
    engine
        .store_mut()
        .blacklist_add(number("+32470000003"), Some("STOP"), now())
        .unwrap();

    let mailing = mailing_to(
        &mut engine,
        "Hi {{ object.name }}",
        Audience::Lists(vec![list, other]),
    );
    let prepared = engine.prepare(mailing).unwrap();
    assert_eq!(prepared.traces, 8);
    assert_eq!(prepared.outgoing, 3);
    let traces = traces(&engine, mailing);
    let of = |contact: ContactId| traces.iter().find(|t| t.contact == contact).unwrap();
    assert_eq!(of(newer).status, TraceStatus::Outgoing);
    assert_eq!(of(older).failure_type, Some(FailureType::Duplicate));
    let named = by_name(&engine, mailing);
    assert_eq!(named["Ann"].status, TraceStatus::Outgoing);
    assert_eq!(named["Bob"].failure_type, Some(FailureType::Blacklist));
    assert_eq!(named["Cat"].failure_type, Some(FailureType::NumberMissing));
    assert_eq!(named["Dan"].failure_type, Some(FailureType::NumberFormat));
    assert_eq!(named["Dan"].raw_number.as_deref(), Some("0470 12"));
    assert_eq!(named["Eve"].failure_type, Some(FailureType::OptOut));
    assert_eq!(named["Fay"].status, TraceStatus::Outgoing);
    assert_eq!(
        engine.store().mailing(mailing).unwrap().unwrap().state,
        MailingState::Sending
    );

    // Preparing again creates nothing.
    assert_eq!(engine.prepare(mailing).unwrap().traces, 0);
}

#[test]
fn sending_records_every_outcome_once() {
    let mut engine = engine();
    let list = engine.create_list("A", false).unwrap();
    for i in 1..=7 {
        add(
            &mut engine,
            list,
            &format!("C{i}"),
            &format!("+3247000000{i}"),
        );
    }
    let provider = StubProvider::new()
        .failing_times(
            number("+32470000001"),
            2,
            ProviderError::retryable(ErrorKind::RateLimited, "slow down"),
        )
        .failing_for(
            number("+32470000002"),
            ProviderError::permanent(ErrorKind::OptedOut, "replied STOP"),
        )
        .failing_for(
            number("+32470000003"),
            ProviderError::unknown(ErrorKind::Timeout, "no answer"),
        );
    let mailing = mailing_to(
        &mut engine,
        "Hello {{ object.name }}",
        Audience::Lists(vec![list]),
    );
    engine.prepare(mailing).unwrap();
    let sent = engine
        .send(mailing, &provider, &SimulatedClock::new(), now())
        .unwrap();
    assert_eq!((sent.accepted, sent.failed, sent.unknown), (5, 1, 1));
    assert_eq!(sent.segments, 5);

    let named = by_name(&engine, mailing);
    assert_eq!(named["C1"].status, TraceStatus::Pending);
    assert_eq!(named["C2"].failure_type, Some(FailureType::OptOut));
    assert_eq!(named["C2"].sent_at, None);
    assert_eq!(named["C3"].failure_type, Some(FailureType::Unknown));
    assert!(
        named["C3"].sent_at.is_some(),
        "an unknown outcome may have left"
    );
    // Every accepted message was accepted once, with its own rendered body.
    let accepted = provider.messages();
    assert_eq!(accepted.len(), 5);
    assert!(accepted.iter().any(|m| m.body == "Hello C7"));
    // The unknown one was attempted once and never again; the retryable one three times.
    let attempts = provider.attempts();
    let tries = |n: &str| attempts.iter().filter(|m| m.to == number(n)).count();
    assert_eq!((tries("+32470000001"), tries("+32470000003")), (3, 1));

    // Sending again sends nothing more.
    let again = engine
        .send(mailing, &provider, &SimulatedClock::new(), now())
        .unwrap();
    assert_eq!(again.accepted + again.failed + again.unknown, 0);
    assert_eq!(provider.attempts().len(), attempts.len());
    assert_eq!(
        engine.store().mailing(mailing).unwrap().unwrap().state,
        MailingState::Sent
    );
}

#[test]
fn a_crash_after_the_claim_leaves_unknown_traces_that_are_not_resent() {
    let (mut engine, _, mailing) = prepared_to_numbered(5);
    // A sender claims a batch and dies before recording anything.
    let claimed = engine
        .store_mut()
        .claim_outgoing(mailing, 2, now())
        .unwrap();
    assert_eq!(claimed.len(), 2);
    let later = now() + Duration::minutes(10);
    assert_eq!(
        engine.store_mut().abandon_claims(mailing, later).unwrap(),
        2
    );

    let provider = StubProvider::new();
    let sent = engine
        .send(mailing, &provider, &SimulatedClock::new(), later)
        .unwrap();
    assert_eq!(sent.accepted, 3);
    let sent_to: Vec<E164> = provider.messages().iter().map(|m| m.to).collect();
    for trace in &claimed {
        assert!(!sent_to.contains(&trace.number.unwrap()));
        let trace = engine.store().trace(trace.id).unwrap().unwrap();
        assert_eq!(
            (trace.status, trace.failure_type),
            (TraceStatus::Error, Some(FailureType::Unknown))
        );
    }
}

#[test]
fn send_resolves_the_claims_of_a_dead_sender_only_after_the_lease() {
    let (mut engine, list, mailing) = prepared_to_numbered(4);
    let claimed = engine
        .store_mut()
        .claim_outgoing(mailing, 2, now())
        .unwrap();
    let provider = StubProvider::new();
    let clock = SimulatedClock::new();

    // Within the default lease the claimer may still be alive: its traces are left alone and
    // the mailing keeps sending.
    let soon = now() + Duration::minutes(9);
    let sent = engine.send(mailing, &provider, &clock, soon).unwrap();
    assert_eq!((sent.accepted, sent.abandoned), (2, 0));
    assert_eq!(
        engine.store().trace(claimed[0].id).unwrap().unwrap().status,
        TraceStatus::Process
    );
    let state =
        |engine: &Engine<MemoryStore>| engine.store().mailing(mailing).unwrap().unwrap().state;
    assert_eq!(state(&engine), MailingState::Sending);

    // After it, they become unknown, are not sent, and the mailing is done.
    let late = now() + Duration::minutes(11);
    let sent = engine.send(mailing, &provider, &clock, late).unwrap();
    assert_eq!((sent.accepted, sent.abandoned), (0, 2));
    assert_eq!(provider.messages().len(), 2);
    for trace in &claimed {
        let trace = engine.store().trace(trace.id).unwrap().unwrap();
        assert_eq!(trace.failure_type, Some(FailureType::Unknown));
    }
    assert_eq!(state(&engine), MailingState::Sent);

    // A lone sender (the CLI) sets a zero lease: a restart resolves every earlier claim.
    let mut engine = Engine::new(
        engine.into_store(),
        Settings::new().with_claim_lease(Duration::zero()),
    );
    let again = mailing_to(&mut engine, "Hi again", Audience::Lists(vec![list]));
    engine.prepare(again).unwrap();
    engine.store_mut().claim_outgoing(again, 1, now()).unwrap();
    let sent = engine
        .send(again, &provider, &clock, now() + Duration::seconds(1))
        .unwrap();
    assert_eq!((sent.accepted, sent.abandoned), (3, 1));
}

#[test]
fn delivery_reports_are_monotonic_and_counted() {
    let mut engine = engine();
    let list = engine.create_list("A", false).unwrap();
    for i in 1..=4 {
        add(
            &mut engine,
            list,
            &format!("C{i}"),
            &format!("+3247000000{i}"),
        );
    }
    let mailing = mailing_to(&mut engine, "Hi", Audience::Lists(vec![list]));
    engine.prepare(mailing).unwrap();
    let provider = StubProvider::new();
    engine
        .send(mailing, &provider, &SimulatedClock::new(), now())
        .unwrap();
    let ids: Vec<String> = traces(&engine, mailing)
        .into_iter()
        .map(|trace| trace.provider_message_id.unwrap())
        .collect();
    let report = |id: &str, status| DeliveryReport::new("stub", id, status, "x", now());

    assert!(
        engine
            .apply_report(&report(&ids[0], TraceStatus::Sent))
            .unwrap()
            .is_some()
    );
    // A late "accepted" never downgrades a delivery; a repeat changes nothing.
    assert!(
        engine
            .apply_report(&report(&ids[0], TraceStatus::Pending))
            .unwrap()
            .is_none()
    );
    assert!(
        engine
            .apply_report(&report(&ids[0], TraceStatus::Sent))
            .unwrap()
            .is_none()
    );
    let mut failed = report(&ids[1], TraceStatus::Error);
    failed.failure = Some(FailureType::InvalidDestination);
    engine.apply_report(&failed).unwrap();
    engine
        .apply_report(&report(&ids[2], TraceStatus::Bounce))
        .unwrap();
    assert!(
        engine
            .apply_report(&report("unknown-id", TraceStatus::Sent))
            .unwrap()
            .is_none()
    );
    let first = traces(&engine, mailing)[0].id;
    assert!(engine.store_mut().mark_clicked(first, now()).unwrap());

    let counts = engine.counts(mailing).unwrap();
    assert_eq!(
        (
            counts.expected,
            counts.sent,
            counts.delivered,
            counts.clicked,
            counts.failed,
            counts.bounced
        ),
        (4, 4, 1, 1, 1, 1)
    );
    let ratios = counts.ratios();
    assert_eq!(ratios.received.to_string(), "25.00");
    assert_eq!(ratios.clicks.to_string(), "50.00"); // 1 / (4 - 1 - 1)
    assert_eq!(ratios.bounced.to_string(), "33.33"); // 1 / (4 - 1)
}

#[test]
fn a_domain_selects_contacts_by_fields_and_lists() {
    let mut engine = engine();
    let vip = engine.create_list("VIP", false).unwrap();
    let other = engine.create_list("Other", false).unwrap();
    let ana = engine
        .add_contact(
            NewContact::new("Ana", "+32470000001").with_field("city", "Gent"),
            now(),
        )
        .unwrap();
    let bo = engine
        .add_contact(
            NewContact::new("Bo", "+32470000002").with_field("city", "Liège"),
            now(),
        )
        .unwrap();
    engine
        .add_contact(
            NewContact::new("Cy", "+32470000003").with_field("city", "Gent"),
            now(),
        )
        .unwrap();
    engine.subscribe(vip, ana, now()).unwrap();
    engine.subscribe(other, bo, now()).unwrap();
    let mailing = mailing_to(
        &mut engine,
        "Hi {{ object.name }} in {{ object.city }}",
        Audience::Domain("['|', ('list_ids.name', '=', 'VIP'), ('city', '=', 'Liège')]".into()),
    );
    let prepared = engine.prepare(mailing).unwrap();
    assert_eq!(prepared.outgoing, 2);
    let provider = StubProvider::new();
    engine
        .send(mailing, &provider, &SimulatedClock::new(), now())
        .unwrap();
    let mut bodies: Vec<String> = provider.messages().into_iter().map(|m| m.body).collect();
    bodies.sort();
    assert_eq!(bodies, ["Hi Ana in Gent", "Hi Bo in Liège"]);
}

#[test]
fn mistakes_are_reported_when_the_mailing_is_created() {
    let mut engine = engine();
    let list = engine.create_list("A", false).unwrap();
    add(&mut engine, list, "Ana", "+32470000001");
    let create = |engine: &mut Engine<MemoryStore>, body: &str, audience| {
        engine.create_mailing(NewMailing::new("m", body, audience), now())
    };
    let error = create(
        &mut engine,
        "Hi {{ object.nmae }}",
        Audience::Lists(vec![list]),
    )
    .unwrap_err();
    assert!(matches!(error, Error::Template(_)), "{error}");
    assert!(error.to_string().contains("no field `nmae`"), "{error}");
    let error = create(&mut engine, "Hi", Audience::Lists(vec![ListId(999)])).unwrap_err();
    assert!(matches!(error, Error::UnknownList(ListId(999))), "{error}");
    let error = create(
        &mut engine,
        "Hi",
        Audience::Domain("[('nope', '=', 1)]".into()),
    )
    .unwrap_err();
    assert!(matches!(error, Error::Filter(_)), "{error}");
    assert!(
        engine.store().mailings().unwrap().is_empty(),
        "nothing stored"
    );
}

mod credit {
    use super::*;
    use smskit::credit::{Balance, BalanceError};
    use smskit::segment::{Currency, Money, PriceTable};
    use std::panic::{AssertUnwindSafe, catch_unwind};
    use std::sync::Arc;

    #[derive(Debug)]
    enum Wallet {
        Holds(&'static str),
        Broken,
        Panics,
    }

    impl Balance for Wallet {
        fn available(&self, currency: Currency) -> Result<Money, BalanceError> {
            match self {
                Wallet::Holds(amount) => Ok(Money::parse(amount, currency).unwrap()),
                Wallet::Broken => Err(BalanceError::new("billing API down")),
                Wallet::Panics => panic!("the application's balance check panicked"),
            }
        }
    }

    fn engine_with(wallet: Wallet) -> (Engine<MemoryStore>, MailingId) {
        let prices =
            PriceTable::from_csv("prefix,price,currency\n32,0.05,EUR\n33,0.07,EUR\n").unwrap();
        let mut engine = Engine::new(
            MemoryStore::new(),
            Settings::new()
                .with_prices(prices)
                .with_balance(Arc::new(wallet)),
        );
        let list = engine.create_list("A", false).unwrap();
        add(&mut engine, list, "Be", "+32470000001");
        add(&mut engine, list, "Fr", "+33612345678");
        // 161 characters: two parts each.
        let body = "x".repeat(161);
        let mailing = mailing_to(&mut engine, &body, Audience::Lists(vec![list]));
        engine.prepare(mailing).unwrap();
        (engine, mailing)
    }

    fn untouched(engine: &Engine<MemoryStore>, mailing: MailingId) -> bool {
        traces(engine, mailing)
            .iter()
            .all(|trace| trace.status == TraceStatus::Outgoing)
    }

    #[test]
    fn the_estimate_prices_every_part_by_destination() {
        let (engine, mailing) = engine_with(Wallet::Holds("1"));
        let estimate = engine.estimate(mailing).unwrap();
        assert_eq!(
            (estimate.messages, estimate.segments, estimate.unpriced),
            (2, 4, 0)
        );
        assert_eq!(estimate.cost.unwrap().to_string(), "0.24 EUR");
    }

    #[test]
    fn nothing_leaves_unless_the_balance_covers_everything() {
        let (mut engine, mailing) = engine_with(Wallet::Holds("0.239999"));
        let provider = StubProvider::new();
        let error = engine
            .send(mailing, &provider, &SimulatedClock::new(), now())
            .unwrap_err();
        assert!(matches!(error, Error::InsufficientCredit { .. }), "{error}");
        assert!(error.to_string().contains("0.24 EUR"), "{error}");
        assert!(provider.attempts().is_empty());
        assert!(untouched(&engine, mailing));

        let (mut engine, mailing) = engine_with(Wallet::Holds("0.24"));
        let sent = engine
            .send(mailing, &provider, &SimulatedClock::new(), now())
            .unwrap();
        assert_eq!(sent.accepted, 2);
    }

    #[test]
    fn a_failing_or_panicking_balance_sends_nothing() {
        let (mut engine, mailing) = engine_with(Wallet::Broken);
        let provider = StubProvider::new();
        let error = engine
            .send(mailing, &provider, &SimulatedClock::new(), now())
            .unwrap_err();
        assert!(matches!(error, Error::Balance(_)), "{error}");
        assert!(untouched(&engine, mailing));

        let (mut engine, mailing) = engine_with(Wallet::Panics);
        let result = catch_unwind(AssertUnwindSafe(|| {
            engine.send(mailing, &provider, &SimulatedClock::new(), now())
        }));
        assert!(result.is_err());
        assert!(provider.attempts().is_empty());
        assert!(untouched(&engine, mailing));
    }

    #[test]
    fn a_destination_without_a_price_fails_the_check() {
        let (mut engine, mailing) = engine_with(Wallet::Holds("100"));
        let list = engine.store().list_by_name("A").unwrap().unwrap().id;
        add(&mut engine, list, "Uk", "+447911123456");
        engine.prepare(mailing).unwrap();
        let error = engine
            .send(mailing, &StubProvider::new(), &SimulatedClock::new(), now())
            .unwrap_err();
        assert!(matches!(error, Error::Unpriced(_)), "{error}");
        assert!(untouched(&engine, mailing));
    }
}

mod lifecycle {
    use super::*;

    fn one_recipient(engine: &mut Engine<MemoryStore>, phone: &str) -> MailingId {
        let list = engine.create_list("A", false).unwrap();
        add(engine, list, "Ana", phone);
        mailing_to(engine, "Hi", Audience::Lists(vec![list]))
    }

    #[test]
    fn scheduled_mailings_leave_when_due() {
        let mut engine = engine();
        let mailing = one_recipient(&mut engine, "+32470000001");
        let error = engine.schedule(mailing, now(), now()).unwrap_err();
        assert!(matches!(error, Error::ScheduleInPast { .. }), "{error}");
        let at = now() + Duration::hours(1);
        engine.schedule(mailing, at, now()).unwrap();
        let stored = engine.store().mailing(mailing).unwrap().unwrap();
        assert_eq!(
            (stored.state, stored.scheduled_at),
            (MailingState::InQueue, Some(at))
        );

        let provider = StubProvider::new();
        let clock = SimulatedClock::new();
        assert!(engine.run_due(&provider, &clock, now()).unwrap().is_empty());
        let ran = engine.run_due(&provider, &clock, at).unwrap();
        assert_eq!(ran.len(), 1);
        assert_eq!(ran[0].result.as_ref().unwrap().accepted, 1);
        assert_eq!(
            engine.store().mailing(mailing).unwrap().unwrap().state,
            MailingState::Sent
        );
        assert!(engine.run_due(&provider, &clock, at).unwrap().is_empty());
        assert!(matches!(
            engine.send_now(mailing),
            Err(Error::WrongState { .. })
        ));
    }

    #[test]
    fn cancel_returns_to_draft_and_cancels_what_has_not_left() {
        let mut engine = engine();
        let mailing = one_recipient(&mut engine, "+32470000001");
        engine
            .schedule(mailing, now() + Duration::hours(1), now())
            .unwrap();
        engine.prepare(mailing).unwrap();
        assert_eq!(engine.cancel(mailing).unwrap(), 1);
        let stored = engine.store().mailing(mailing).unwrap().unwrap();
        assert_eq!(
            (stored.state, stored.scheduled_at),
            (MailingState::Draft, None)
        );
        assert_eq!(traces(&engine, mailing)[0].status, TraceStatus::Cancel);
        let provider = StubProvider::new();
        engine
            .send(mailing, &provider, &SimulatedClock::new(), now())
            .unwrap();
        assert!(provider.attempts().is_empty());
    }

    #[test]
    fn retry_failed_resends_failures_and_unknown_ones_only_when_asked() {
        let mut engine = engine();
        let list = engine.create_list("A", false).unwrap();
        add(&mut engine, list, "Ana", "+32470000001");
        add(&mut engine, list, "Bo", "+32470000002");
        let mailing = mailing_to(&mut engine, "Hi", Audience::Lists(vec![list]));
        let provider = StubProvider::new()
            .failing_times(
                number("+32470000001"),
                1,
                ProviderError::permanent(ErrorKind::NoCredit, "empty"),
            )
            .failing_times(
                number("+32470000002"),
                1,
                ProviderError::unknown(ErrorKind::Timeout, "lost"),
            );
        let clock = SimulatedClock::new();
        engine.prepare(mailing).unwrap();
        let sent = engine.send(mailing, &provider, &clock, now()).unwrap();
        assert_eq!((sent.accepted, sent.failed, sent.unknown), (0, 1, 1));

        assert_eq!(engine.retry_failed(mailing, false).unwrap(), 1);
        assert_eq!(
            engine
                .send(mailing, &provider, &clock, now())
                .unwrap()
                .accepted,
            1
        );
        assert_eq!(provider.messages().len(), 1);
        assert_eq!(engine.retry_failed(mailing, true).unwrap(), 1);
        assert_eq!(
            engine
                .send(mailing, &provider, &clock, now())
                .unwrap()
                .accepted,
            1
        );
        assert_eq!(provider.attempts().len(), 4);
        assert_eq!(engine.retry_failed(mailing, true).unwrap(), 0);
    }
}

mod feedback {
    use super::*;
    use smskit::optout::OptOutLinks;
    use smskit::reply::{InboundSms, StopKeywords};

    const BASE: &str = "https://sms.example.com/shop";

    fn engine_with_links() -> Engine<MemoryStore> {
        Engine::new(
            MemoryStore::new(),
            Settings::new()
                .with_default_region(Region::parse("BE").unwrap())
                .with_opt_out_links(OptOutLinks::new(BASE, b"application secret!").unwrap())
                .with_stop_keywords(StopKeywords::default().with("STOPP")),
        )
    }

    /// Sends `mailing` and returns the opt-out path at the end of each message, by number.
    fn send_and_collect_paths(
        engine: &mut Engine<MemoryStore>,
        mailing: MailingId,
    ) -> HashMap<String, String> {
        engine.prepare(mailing).unwrap();
        let provider = StubProvider::new();
        engine
            .send(mailing, &provider, &SimulatedClock::new(), now())
            .unwrap();
        provider
            .messages()
            .into_iter()
            .map(|message| {
                let last = message.body.lines().last().unwrap().to_owned();
                let url = last.strip_prefix("STOP SMS: ").expect("an opt-out line");
                let path = url
                    .strip_prefix("https://sms.example.com")
                    .unwrap()
                    .to_owned();
                (message.to.to_string(), path)
            })
            .collect()
    }

    #[test]
    fn a_mailing_with_an_opt_out_link_needs_links_in_the_settings() {
        let mut plain = engine();
        let list = plain.create_list("L", true).unwrap();
        let error = plain
            .create_mailing(
                NewMailing::new("m", "hi", Audience::Lists(vec![list])).with_opt_out_link(),
                now(),
            )
            .unwrap_err();
        assert!(matches!(error, Error::NotConfigured(_)), "{error}");
    }

    #[test]
    fn the_opt_out_link_of_a_list_mailing_opts_out_of_its_lists_only_on_post() {
        let mut engine = engine_with_links();
        let news = engine.create_list("News", true).unwrap();
        let other = engine.create_list("Other", true).unwrap();
        let ana = add(&mut engine, news, "Ana", "+32470000001");
        add(&mut engine, news, "Bo", "+32470000002");
        engine.subscribe(other, ana, now()).unwrap();
        let mailing = engine
            .create_mailing(
                NewMailing::new("m", "Hi {{ object.name }}", Audience::Lists(vec![news]))
                    .with_opt_out_link(),
                now(),
            )
            .unwrap();
        let paths = send_and_collect_paths(&mut engine, mailing);
        assert_eq!(paths.len(), 2);
        assert_ne!(paths["+32470000001"], paths["+32470000002"]);
        let path = &paths["+32470000001"];

        // The GET page says what will happen and changes nothing.
        let page = engine.opt_out_page(path).unwrap();
        assert_eq!(page.lists, vec![news]);
        assert!(
            engine
                .store()
                .subscriptions(news)
                .unwrap()
                .iter()
                .all(|s| !s.opt_out)
        );

        let done = engine.opt_out(path, now()).unwrap();
        assert_eq!(done, page);
        let opted: Vec<_> = engine
            .store()
            .subscriptions(news)
            .unwrap()
            .into_iter()
            .filter(|s| s.opt_out)
            .map(|s| s.contact)
            .collect();
        assert_eq!(opted, vec![ana]);
        // Only the mailing's lists: Ana stays on the other one, and is not blacklisted.
        assert!(
            engine
                .store()
                .subscriptions(other)
                .unwrap()
                .iter()
                .all(|s| !s.opt_out)
        );
        assert!(
            engine
                .store()
                .blacklist_entry(number("+32470000001"))
                .unwrap()
                .is_none()
        );
        // Twice is harmless.
        engine.opt_out(path, now()).unwrap();
    }

    #[test]
    fn the_opt_out_link_of_a_filter_mailing_blacklists_the_number() {
        let mut engine = engine_with_links();
        engine
            .add_contact(NewContact::new("Ana", "0470 00 00 01"), now())
            .unwrap();
        let mailing = engine
            .create_mailing(
                NewMailing::new("m", "Hi", Audience::Domain("[]".into())).with_opt_out_link(),
                now(),
            )
            .unwrap();
        let paths = send_and_collect_paths(&mut engine, mailing);
        let done = engine.opt_out(&paths["+32470000001"], now()).unwrap();
        assert_eq!(done.blacklisted, Some(number("+32470000001")));
        let entry = engine
            .store()
            .blacklist_entry(number("+32470000001"))
            .unwrap()
            .unwrap();
        assert!(entry.active);
    }

    #[test]
    fn forged_links_and_links_of_other_mailings_change_nothing() {
        let mut engine = engine_with_links();
        let news = engine.create_list("News", true).unwrap();
        add(&mut engine, news, "Ana", "+32470000001");
        let first = engine
            .create_mailing(
                NewMailing::new("a", "Hi", Audience::Lists(vec![news])).with_opt_out_link(),
                now(),
            )
            .unwrap();
        let path = send_and_collect_paths(&mut engine, first)["+32470000001"].clone();
        // Same trace id, another mailing id: the MAC does not match.
        let parts: Vec<&str> = path.split('/').collect();
        let other_mailing = format!("/shop/sms/{}/{}/{}", first.0 + 1000, parts[4], parts[5]);
        // A validly signed link whose trace belongs to another mailing.
        let stranger = OptOutLinks::new(BASE, b"application secret!").unwrap();
        let wrong_pair = stranger
            .url(
                MailingId(first.0 + 1000),
                smskit::model::TraceId(parts[4].parse().unwrap()),
            )
            .strip_prefix("https://sms.example.com")
            .unwrap()
            .to_owned();
        for bad in [
            other_mailing.as_str(),
            wrong_pair.as_str(),
            "/shop/sms/1/2/AAAAAAAAAAAAAAAA",
            "/shop/sms/",
            "/elsewhere",
        ] {
            assert!(
                matches!(
                    engine.opt_out(bad, now()),
                    Err(Error::InvalidOptOutLink { .. })
                ),
                "{bad}"
            );
        }
        assert!(
            engine
                .store()
                .subscriptions(news)
                .unwrap()
                .iter()
                .all(|s| !s.opt_out)
        );
    }

    #[test]
    fn a_stop_reply_blacklists_and_marks_the_answered_trace() {
        let mut engine = engine_with_links();
        let news = engine.create_list("News", true).unwrap();
        let ana = add(&mut engine, news, "Ana", "+32470000001");
        add(&mut engine, news, "Bo", "+32470000002");
        let mailing = mailing_to(&mut engine, "Hi", Audience::Lists(vec![news]));
        engine.prepare(mailing).unwrap();
        engine
            .send(mailing, &StubProvider::new(), &SimulatedClock::new(), now())
            .unwrap();

        let later = now() + Duration::minutes(5);
        let chat = engine
            .receive(&InboundSms {
                from: number("+32470000002"),
                text: "thanks!".into(),
                at: later,
            })
            .unwrap();
        assert!(!chat.stop && chat.trace.is_some());
        let stop = engine
            .receive(&InboundSms {
                from: number("+32470000001"),
                text: " stopp ".into(),
                at: later,
            })
            .unwrap();
        assert!(stop.stop);
        let traces = by_name(&engine, mailing);
        assert_eq!(stop.trace, Some(traces["Ana"].id));
        assert_eq!(traces["Ana"].status, TraceStatus::Reply);
        assert_eq!(traces["Bo"].status, TraceStatus::Reply);
        assert_eq!(traces["Ana"].replied_at, Some(later));
        let blacklisted = engine
            .store()
            .blacklist_entry(number("+32470000001"))
            .unwrap()
            .unwrap();
        assert!(blacklisted.active && blacklisted.reason.unwrap().contains("stopp"));
        assert!(
            engine
                .store()
                .blacklist_entry(number("+32470000002"))
                .unwrap()
                .is_none()
        );
        assert_eq!(engine.counts(mailing).unwrap().replied, 2);

        // The next mailing skips Ana; her history shows the message and the reply.
        let next = mailing_to(&mut engine, "Again", Audience::Lists(vec![news]));
        engine.prepare(next).unwrap();
        assert_eq!(
            by_name(&engine, next)["Ana"].failure_type,
            Some(FailureType::Blacklist)
        );
        let history = engine.history(ana).unwrap();
        assert_eq!(history.traces.len(), 2);
        assert_eq!(history.replies.len(), 1);
        assert_eq!(history.replies[0].text, " stopp ");
    }

    #[test]
    fn a_reply_from_a_number_never_sent_to_is_kept_without_a_trace() {
        let mut engine = engine_with_links();
        let received = engine
            .receive(&InboundSms {
                from: number("+32470000009"),
                text: "who is this?".into(),
                at: now(),
            })
            .unwrap();
        assert_eq!((received.trace, received.stop), (None, false));
        assert_eq!(
            engine
                .store()
                .replies(number("+32470000009"))
                .unwrap()
                .len(),
            1
        );
    }
}

mod campaigns {
    use super::*;
    use smskit::model::NewCampaign;
    use smskit::report::{Group, GroupBy, Scope};
    use smskit::store::StoreError;

    #[test]
    fn campaign_names_are_trimmed_unique_and_visible() {
        let mut engine = engine();
        let spring = engine
            .create_campaign(
                NewCampaign::new(" Spring ")
                    .with_tag("retail")
                    .with_responsible("ana@example.com"),
                now(),
            )
            .unwrap();
        let campaign = engine.campaign(spring).unwrap();
        assert_eq!(
            (campaign.name.as_str(), campaign.stage.as_str()),
            ("Spring", "New")
        );
        assert!(campaign.tags.contains("retail"));
        assert!(matches!(
            engine.create_campaign(NewCampaign::new("Spring"), now()),
            Err(Error::Store(StoreError::Conflict { .. }))
        ));
        assert!(matches!(
            engine.create_campaign(NewCampaign::new(" \t"), now()),
            Err(Error::InvalidName(_))
        ));
        engine
            .store_mut()
            .set_campaign_stage(spring, "Sent")
            .unwrap();
        assert_eq!(engine.campaign(spring).unwrap().stage, "Sent");
        let list = engine.create_list("L", true).unwrap();
        let unknown = smskit::model::CampaignId(999);
        assert!(matches!(
            engine.create_mailing(
                NewMailing::new("m", "x", Audience::Lists(vec![list])).with_campaign(unknown),
                now()
            ),
            Err(Error::UnknownCampaign(id)) if id == unknown
        ));
    }

    #[test]
    fn reports_group_a_campaigns_traces_by_day_country_failure_and_mailing() {
        let mut engine = engine();
        let spring = engine
            .create_campaign(NewCampaign::new("Spring"), now())
            .unwrap();
        let list = engine.create_list("All", true).unwrap();
        add(&mut engine, list, "Ana", "+32470000001");
        add(&mut engine, list, "Bo", "+33612345678");
        add(&mut engine, list, "Cy", "+33612345679");
        add(&mut engine, list, "Di", "garbage");
        let first = engine
            .create_mailing(
                NewMailing::new("a", "A", Audience::Lists(vec![list])).with_campaign(spring),
                now(),
            )
            .unwrap();
        let second = engine
            .create_mailing(
                NewMailing::new("b", "B", Audience::Lists(vec![list])).with_campaign(spring),
                now(),
            )
            .unwrap();
        let outside = mailing_to(&mut engine, "C", Audience::Lists(vec![list]));
        let next_day = now() + Duration::days(1);
        for (mailing, at) in [(first, now()), (second, next_day), (outside, now())] {
            engine.prepare(mailing).unwrap();
            let provider = StubProvider::new().failing_for(
                number("+33612345679"),
                ProviderError::permanent(ErrorKind::InvalidNumber, "no such number"),
            );
            engine
                .send(mailing, &provider, &SimulatedClock::new(), at)
                .unwrap();
        }

        let by_day = engine
            .report(Scope::Campaign(spring), GroupBy::Day)
            .unwrap();
        let days: Vec<(Group, u64, u64)> = by_day
            .iter()
            .map(|(group, counts)| (*group, counts.expected, counts.sent))
            .collect();
        assert_eq!(
            days,
            vec![
                (Group::Day(None), 4, 0),
                (Group::Day(Some(now().date_naive())), 2, 2),
                (Group::Day(Some(next_day.date_naive())), 2, 2),
            ]
        );

        let by_country = engine
            .report(Scope::Mailing(first), GroupBy::Country)
            .unwrap();
        let countries: Vec<(Group, u64)> = by_country
            .iter()
            .map(|(group, counts)| (*group, counts.expected))
            .collect();
        assert_eq!(
            countries,
            vec![
                (Group::Country(None), 1),
                (Group::Country(Some(Region::parse("BE").unwrap())), 1),
                (Group::Country(Some(Region::parse("FR").unwrap())), 2),
            ]
        );

        let by_failure = engine.report(Scope::All, GroupBy::FailureType).unwrap();
        let failures: HashMap<Group, u64> = by_failure
            .iter()
            .map(|(group, counts)| (*group, counts.expected))
            .collect();
        assert_eq!(failures[&Group::FailureType(None)], 6);
        // Di's number cannot be read (excluded); the provider refuses Cy's as invalid: both
        // are `sms_number_format`, in each of the three mailings.
        assert_eq!(
            failures[&Group::FailureType(Some(FailureType::NumberFormat))],
            6
        );
        assert_eq!(failures.values().sum::<u64>(), 12);

        let by_mailing = engine
            .report(Scope::Campaign(spring), GroupBy::Mailing)
            .unwrap();
        assert_eq!(
            by_mailing
                .iter()
                .map(|(group, _)| *group)
                .collect::<Vec<_>>(),
            vec![Group::Mailing(first), Group::Mailing(second)]
        );
        let total = engine.campaign_counts(spring).unwrap();
        assert_eq!(
            total,
            engine.counts(first).unwrap() + engine.counts(second).unwrap()
        );
        assert_eq!((total.expected, total.sent, total.failed), (8, 4, 2));
    }
}

mod one_off {
    use super::*;
    use smskit::credit::{Balance, BalanceError};
    use smskit::segment::{Currency, Money, PriceTable};
    use std::sync::Arc;

    #[derive(Debug)]
    struct Empty;

    impl Balance for Empty {
        fn available(&self, currency: Currency) -> Result<Money, BalanceError> {
            Ok(Money::zero(currency))
        }
    }

    fn transactional(engine: &mut Engine<MemoryStore>) -> MailingId {
        engine
            .create_mailing(
                NewMailing::new(
                    "Shipped",
                    "{{ object.name }}: order shipped",
                    Audience::Transactional,
                ),
                now(),
            )
            .unwrap()
    }

    #[test]
    fn transactional_messages_are_traced_each_time_and_honour_the_blacklist() {
        let mut engine = engine();
        let ana = engine
            .add_contact(NewContact::new("Ana", "0470 00 00 01"), now())
            .unwrap();
        let bo = engine
            .add_contact(NewContact::new("Bo", "+32470000002"), now())
            .unwrap();
        let cy = engine
            .add_contact(NewContact::new("Cy", "nope"), now())
            .unwrap();
        engine
            .store_mut()
            .blacklist_add(number("+32470000002"), None, now())
            .unwrap();
        let shipped = transactional(&mut engine);
        let provider = StubProvider::new();
        let clock = SimulatedClock::new();
        let first = engine
            .send_transactional(shipped, ana, &provider, &clock, now())
            .unwrap();
        let second = engine
            .send_transactional(shipped, ana, &provider, &clock, now())
            .unwrap();
        assert_ne!(first.id, second.id);
        assert_eq!(first.status, TraceStatus::Pending);
        assert!(first.provider_message_id.is_some());
        let blocked = engine
            .send_transactional(shipped, bo, &provider, &clock, now())
            .unwrap();
        assert_eq!(
            (blocked.status, blocked.failure_type),
            (TraceStatus::Cancel, Some(FailureType::Blacklist))
        );
        let unreadable = engine
            .send_transactional(shipped, cy, &provider, &clock, now())
            .unwrap();
        assert_eq!(unreadable.failure_type, Some(FailureType::NumberFormat));
        let bodies: Vec<String> = provider.messages().into_iter().map(|m| m.body).collect();
        assert_eq!(bodies, vec!["Ana: order shipped"; 2]);
        let counts = engine.counts(shipped).unwrap();
        assert_eq!((counts.expected, counts.sent, counts.canceled), (4, 2, 2));
        assert_eq!(engine.history(ana).unwrap().traces.len(), 2);
        // The store holds what the call returned.
        assert_eq!(engine.store().trace(first.id).unwrap().unwrap(), first);
    }

    #[test]
    fn transactional_and_mass_mailings_do_not_mix() {
        let mut engine = engine();
        let ana = engine
            .add_contact(NewContact::new("Ana", "+32470000001"), now())
            .unwrap();
        let list = engine.create_list("L", true).unwrap();
        let mass = mailing_to(&mut engine, "x", Audience::Lists(vec![list]));
        let shipped = transactional(&mut engine);
        let provider = StubProvider::new();
        assert!(matches!(
            engine.send_transactional(mass, ana, &provider, &SimulatedClock::new(), now()),
            Err(Error::WrongState { .. })
        ));
        assert!(matches!(
            engine.prepare(shipped),
            Err(Error::WrongState { .. })
        ));
        assert!(provider.messages().is_empty());
    }

    #[test]
    fn a_transactional_message_the_balance_cannot_cover_leaves_no_trace() {
        let prices = PriceTable::from_csv("prefix,price,currency\n32,0.05,EUR\n").unwrap();
        let mut engine = Engine::new(
            MemoryStore::new(),
            Settings::new()
                .with_prices(prices)
                .with_balance(Arc::new(Empty)),
        );
        let ana = engine
            .add_contact(NewContact::new("Ana", "+32470000001"), now())
            .unwrap();
        let shipped = transactional(&mut engine);
        let provider = StubProvider::new();
        let error = engine
            .send_transactional(shipped, ana, &provider, &SimulatedClock::new(), now())
            .unwrap_err();
        assert!(matches!(error, Error::InsufficientCredit { .. }), "{error}");
        assert!(provider.messages().is_empty());
        assert_eq!(engine.counts(shipped).unwrap().expected, 0);
    }

    #[test]
    fn a_test_send_reports_invalid_entries_and_sends_the_rest_without_traces() {
        let mut engine = engine();
        let list = engine.create_list("L", true).unwrap();
        add(&mut engine, list, "Ana", "+32470000001");
        let mailing = mailing_to(
            &mut engine,
            "Hi {{ object.name ||| you }}",
            Audience::Lists(vec![list]),
        );
        let provider = StubProvider::new();
        let test = engine
            .send_test(
                mailing,
                " +33612345678, not a number\n0470 00 00 09,, \n",
                &provider,
                &SimulatedClock::new(),
            )
            .unwrap();
        assert_eq!(test.body, "Hi Ana");
        let sent: Vec<String> = test.sent.iter().map(|(n, _)| n.to_string()).collect();
        assert_eq!(sent, vec!["+33612345678", "+32470000009"]);
        assert!(test.sent.iter().all(|(_, result)| result.is_ok()));
        assert_eq!(test.invalid.len(), 1);
        assert_eq!(test.invalid[0].0, "not a number");
        assert_eq!(provider.messages().len(), 2);
        assert_eq!(engine.counts(mailing).unwrap().expected, 0);
    }
}

mod links {
    use super::*;
    use smskit::links::Shortener;
    use smskit::model::NewCampaign;
    use smskit::optout::OptOutLinks;
    use smskit::segment::{Money, PriceTable};

    fn engine_with_links() -> Engine<MemoryStore> {
        Engine::new(
            MemoryStore::with_link_seed(7),
            Settings::new()
                .with_default_region(Region::parse("BE").unwrap())
                .with_links(Shortener::new("https://sho.rt").unwrap())
                .with_opt_out_links(
                    OptOutLinks::new("https://sho.rt", b"0123456789abcdef").unwrap(),
                )
                .with_prices(PriceTable::from_csv("prefix,price,currency\n32,0.05,EUR\n").unwrap()),
        )
    }

    #[test]
    fn links_are_tracked_per_recipient_and_clicks_open_the_trace() {
        let mut engine = engine_with_links();
        let spring = engine
            .create_campaign(NewCampaign::new("Spring"), now())
            .unwrap();
        let list = engine.create_list("L", true).unwrap();
        add(&mut engine, list, "Ana", "+32470000001");
        add(&mut engine, list, "Bo", "+32470000002");
        let mailing = engine
            .create_mailing(
                NewMailing::new(
                    "Sale",
                    "{{ object.name }}: https://shop.example/sale?ref=sms.",
                    Audience::Lists(vec![list]),
                )
                .with_campaign(spring),
                now(),
            )
            .unwrap();
        engine.prepare(mailing).unwrap();
        let provider = StubProvider::new();
        engine
            .send(mailing, &provider, &SimulatedClock::new(), now())
            .unwrap();
        assert_eq!(engine.store().links().len(), 1, "one link for both bodies");
        let code = engine.store().links()[0].code().to_string();
        let traces = by_name(&engine, mailing);
        let ana_body = &provider
            .messages()
            .into_iter()
            .find(|m| m.to == number("+32470000001"))
            .unwrap()
            .body;
        let ana_path = format!("/r/{code}/s/{}", traces["Ana"].id);
        assert_eq!(ana_body, &format!("Ana: https://sho.rt{ana_path}."));

        let later = now() + Duration::hours(1);
        let redirect = engine.click(&ana_path, later, None, Some("BE")).unwrap();
        assert_eq!(
            redirect.target,
            "https://shop.example/sale?ref=sms&utm_campaign=Spring&utm_source=Sale&utm_medium=sms"
        );
        assert_eq!(redirect.trace, Some(traces["Ana"].id));
        assert!(redirect.first_click);
        let again = engine
            .click(&ana_path, later + Duration::hours(1), None, None)
            .unwrap();
        assert!(!again.first_click);
        // A click without a recipient still redirects, and opens no trace.
        let anonymous = engine
            .click(&format!("/r/{code}"), later, None, None)
            .unwrap();
        assert_eq!(
            (anonymous.trace, anonymous.target),
            (None, redirect.target.clone())
        );

        let traces = by_name(&engine, mailing);
        assert_eq!(traces["Ana"].status, TraceStatus::Open);
        assert_eq!(traces["Ana"].clicked_at, Some(later));
        assert_eq!(traces["Bo"].status, TraceStatus::Pending);
        let counts = engine.counts(mailing).unwrap();
        assert_eq!((counts.clicked, counts.opened), (1, 1));

        for bad in ["/r/zzzzzz", "/r/", "/nope", "/r/{code}/s/"] {
            match engine.click(bad, later, None, None) {
                Err(Error::Links(error)) => assert!(error.is_not_found(), "{bad}: {error}"),
                other => panic!("{bad}: {other:?}"),
            }
        }
    }

    #[test]
    fn a_preview_shows_the_final_text_and_cost_and_changes_nothing() {
        let mut engine = engine_with_links();
        let list = engine.create_list("L", true).unwrap();
        let ana = add(&mut engine, list, "Ana", "+32470000001");
        add(&mut engine, list, "Ana again", "+32470000001");
        add(&mut engine, list, "Cy", "nope");
        let mailing = engine
            .create_mailing(
                NewMailing::new(
                    "Sale",
                    "Hi {{ object.name }} https://shop.example/x",
                    Audience::Lists(vec![list]),
                )
                .with_opt_out_link(),
                now(),
            )
            .unwrap();
        let preview = engine.preview(mailing).unwrap();
        let sample = preview.sample.unwrap();
        assert_eq!(sample.contact, ana);
        assert!(
            sample.body.starts_with(&format!(
                "Hi Ana https://sho.rt/r/xxx/s/{ana}\nSTOP SMS: https://sho.rt/sms/{mailing}/{ana}/"
            )),
            "{}",
            sample.body
        );
        assert_eq!(sample.parts, 1);
        assert_eq!(
            sample.price,
            Some(Money::parse("0.05", sample.price.unwrap().currency()).unwrap())
        );
        assert_eq!(preview.estimate.messages, 1);
        assert_eq!(
            preview.excluded,
            vec![(FailureType::Duplicate, 1), (FailureType::NumberFormat, 1)]
        );
        assert_eq!(engine.counts(mailing).unwrap().expected, 0);
        assert!(engine.store().links().is_empty());
        assert_eq!(
            engine.store().mailing(mailing).unwrap().unwrap().state,
            MailingState::Draft
        );

        // After preparing, the estimate of the traces agrees with the preview's.
        engine.prepare(mailing).unwrap();
        let estimate = engine.estimate(mailing).unwrap();
        assert_eq!(estimate.cost, preview.estimate.cost);
        assert_eq!(estimate.segments, preview.estimate.segments);
        assert!(engine.store().links().is_empty());
    }
}

mod upkeep {
    use super::*;
    use smskit::lists::ListStats;

    #[test]
    fn a_blacklist_import_reports_every_line_and_reactivates_archived_numbers() {
        let mut engine = engine();
        engine
            .store_mut()
            .blacklist_add(number("+32470000001"), Some("old"), now())
            .unwrap();
        engine
            .store_mut()
            .blacklist_add(number("+32470000002"), None, now())
            .unwrap();
        assert!(
            engine
                .store_mut()
                .blacklist_remove(number("+32470000002"))
                .unwrap()
        );
        let file = "\"number\",\"note\"\n+32470000001,x\n\"0470 00 00 02\"\n\n+33612345678\t1\n0470 00 00 02\nabc\n+32 12\n";
        let import = engine
            .import_blacklist(file, Some("import"), now())
            .unwrap();
        assert_eq!(
            (
                import.added,
                import.reactivated,
                import.unchanged,
                import.duplicates
            ),
            (1, 1, 1, 1)
        );
        let lines: Vec<usize> = import.invalid.iter().map(|(line, _, _)| *line).collect();
        assert_eq!(lines, vec![7, 8]);
        for active in ["+32470000001", "+32470000002", "+33612345678"] {
            assert!(
                engine
                    .store()
                    .blacklist_entry(number(active))
                    .unwrap()
                    .unwrap()
                    .active
            );
        }
    }

    #[test]
    fn list_stats_count_contacts_opt_outs_blacklisted_and_valid_numbers() {
        let mut engine = engine();
        let list = engine.create_list("L", true).unwrap();
        add(&mut engine, list, "Ana", "0470 00 00 01");
        let bo = add(&mut engine, list, "Bo", "+32470000002");
        add(&mut engine, list, "Cy", "nope");
        engine
            .store_mut()
            .set_opt_out(list, bo, true, now())
            .unwrap();
        engine
            .store_mut()
            .blacklist_add(number("+32470000001"), None, now())
            .unwrap();
        assert_eq!(
            engine.list_stats(list).unwrap(),
            ListStats {
                contacts: 3,
                opted_out: 1,
                blacklisted: 1,
                valid_numbers: 2
            }
        );
        assert!(matches!(
            engine.list_stats(ListId(999)),
            Err(Error::UnknownList(_))
        ));
    }
}

#[test]
fn outgoing_with_contacts_visits_exactly_the_outgoing_traces() {
    let mut engine = engine();
    let list = engine.create_list("A", false).unwrap();
    for i in 1..=6 {
        add(
            &mut engine,
            list,
            &format!("C{i}"),
            &format!("+3247000000{i}"),
        );
    }
    add(&mut engine, list, "Dup", "+32470000001");
    let mailing = mailing_to(&mut engine, "Hi", Audience::Lists(vec![list]));
    engine.prepare(mailing).unwrap();
    engine
        .store_mut()
        .claim_outgoing(mailing, 2, now())
        .unwrap();
    let mut visited = Vec::new();
    engine
        .store()
        .outgoing_with_contacts(mailing, &mut |trace, contact| {
            assert_eq!(trace.contact, contact.id);
            visited.push(trace.id);
        })
        .unwrap();
    let expected: Vec<_> = traces(&engine, mailing)
        .into_iter()
        .filter(|trace| trace.status == TraceStatus::Outgoing)
        .map(|trace| trace.id)
        .collect();
    assert_eq!(visited, expected);
    assert_eq!(visited.len(), 4); // 7 traces: one duplicate canceled, two claimed
}

#[test]
fn a_provider_opt_out_blacklists_the_number_from_a_send_or_a_report() {
    let (mut engine, _, mailing) = prepared_to_numbered(3);
    let refused = number("+32470000002");
    let provider = StubProvider::new().failing_for(
        refused,
        ProviderError::permanent(ErrorKind::OptedOut, "21610: unsubscribed recipient"),
    );
    let sent = engine
        .send(mailing, &provider, &SimulatedClock::new(), now())
        .unwrap();
    assert_eq!((sent.accepted, sent.failed, sent.blacklisted), (2, 1, 1));
    let entry = engine.store().blacklist_entry(refused).unwrap().unwrap();
    assert!(entry.active);
    assert_eq!(
        entry.reason.as_deref(),
        Some(smskit::reply::PROVIDER_OPT_OUT_REASON)
    );

    // A later report of an accepted message that its recipient opted out does the same.
    let accepted = traces(&engine, mailing)
        .into_iter()
        .find(|trace| trace.number == Some(number("+32470000003")))
        .unwrap();
    let mut report = DeliveryReport::new(
        "stub",
        accepted.provider_message_id.clone().unwrap(),
        TraceStatus::Error,
        "undelivered",
        now(),
    );
    report.failure = Some(FailureType::OptOut);
    engine.apply_report(&report).unwrap();
    assert!(
        engine
            .store()
            .blacklist_entry(number("+32470000003"))
            .unwrap()
            .is_some_and(|entry| entry.active)
    );
    // Nobody else was blacklisted.
    assert!(
        engine
            .store()
            .blacklist_entry(number("+32470000001"))
            .unwrap()
            .is_none()
    );
}
