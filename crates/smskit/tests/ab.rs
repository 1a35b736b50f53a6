//! A/B tests end to end: disjoint deterministic samples, the winner by clicks at the deadline,
//! the final mailing to everyone else, nobody messaged twice.

use std::collections::{HashMap, HashSet};

use smskit::ab::{Choice, NewAbTest};
use smskit::abtest::{Error as AbtestError, Goal, MetricValue};
use smskit::chrono::{DateTime, Duration, Utc};
use smskit::links::Shortener;
use smskit::model::{
    AbTestId, Audience, ContactId, MailingId, NewCampaign, NewContact, WinnerRule,
};
use smskit::provider::{SimulatedClock, StubProvider};
use smskit::{Engine, Error, MemoryStore, Settings, Store};

fn now() -> DateTime<Utc> {
    DateTime::from_timestamp(1_767_225_600, 0).unwrap()
}

/// An engine with `n` contacts in one list (every 50th without a number) and a two-version
/// test at 10% each.
fn setup(n: u32, seed: u64, rule: WinnerRule) -> (Engine<MemoryStore>, AbTestId) {
    let settings = Settings::new().with_links(Shortener::new("https://sho.rt").unwrap());
    let mut engine = Engine::new(MemoryStore::new(), settings);
    let campaign = engine
        .create_campaign(NewCampaign::new("Spring"), now())
        .unwrap();
    let list = engine.create_list("All", true).unwrap();
    for i in 0..n {
        let phone = if i % 50 == 0 {
            String::new()
        } else {
            format!("+3247{:07}", i)
        };
        let contact = engine
            .add_contact(NewContact::new(format!("C{i:05}"), phone), now())
            .unwrap();
        engine.subscribe(list, contact, now()).unwrap();
    }
    let test = engine
        .create_ab_test(
            NewAbTest::new(campaign, Audience::Lists(vec![list]), seed)
                .with_version("A", "Sale! https://shop.example/a")
                .with_version("B", "Big sale! https://shop.example/b")
                .with_rule(rule),
            now(),
        )
        .unwrap();
    (engine, test)
}

fn contacts_of(engine: &Engine<MemoryStore>, mailing: MailingId) -> HashSet<ContactId> {
    let mut contacts = HashSet::new();
    engine
        .store()
        .traces(mailing, &mut |trace| {
            contacts.insert(trace.contact);
        })
        .unwrap();
    contacts
}

/// Sends every version and clicks `clicks[v]` messages of version `v`.
fn send_versions(engine: &mut Engine<MemoryStore>, test: AbTestId, clicks: &[usize]) {
    let provider = StubProvider::new();
    let versions = engine.ab_test(test).unwrap().versions;
    for &version in &versions {
        engine.prepare(version).unwrap();
        engine
            .send(version, &provider, &SimulatedClock::new(), now())
            .unwrap();
    }
    for (&version, &count) in versions.iter().zip(clicks) {
        let code = engine
            .store()
            .links()
            .iter()
            .find(|link| link.mailing() == Some(version.to_string().as_str()))
            .unwrap()
            .code()
            .to_string();
        let mut traces = Vec::new();
        engine
            .store()
            .traces(version, &mut |trace| {
                if trace.sent_at.is_some() {
                    traces.push(trace.id);
                }
            })
            .unwrap();
        for trace in traces.into_iter().take(count) {
            engine
                .click(&format!("/r/{code}/s/{trace}"), now(), None, None)
                .unwrap();
        }
    }
}

#[test]
fn versions_get_disjoint_samples_and_the_winner_reaches_everyone_else_once() {
    let (mut engine, test) = setup(1000, 7, WinnerRule::ClicksRatio);
    let versions = engine.ab_test(test).unwrap().versions;
    // Preparing one version draws every sample.
    let prepared = engine.prepare(versions[0]).unwrap();
    assert_eq!(prepared.traces, 100);
    let a = contacts_of(&engine, versions[0]);
    let b = contacts_of(&engine, versions[1]);
    assert_eq!((a.len(), b.len()), (100, 100));
    assert!(a.is_disjoint(&b));
    assert_eq!(
        engine.prepare(versions[1]).unwrap().traces,
        0,
        "drawn already"
    );

    // Too early: no version finished.
    assert!(matches!(
        engine.choose_winner(test, Choice::ByRule(Vec::new()), now()),
        Err(Error::AbTest(AbtestError::NoFinishedVersion))
    ));
    send_versions(&mut engine, test, &[5, 20]);
    let results = engine.ab_results(test).unwrap();
    assert!(results.versions.iter().all(|version| version.finished));
    assert_eq!(results.versions[1].counts.clicked, 20);
    assert!(results.versions[1].probability_best > 0.99);
    let clicks = results.clicks.unwrap();
    assert_eq!(clicks.leader, 1);
    assert!(clicks.significant());

    // Nothing happens before the deadline; at it, B wins and goes to the other 800.
    let provider = StubProvider::new();
    let clock = SimulatedClock::new();
    assert!(engine.run_due(&provider, &clock, now()).unwrap().is_empty());
    let deadline = now() + Duration::days(1);
    let runs = engine.run_due(&provider, &clock, deadline).unwrap();
    let test_now = engine.ab_test(test).unwrap();
    assert_eq!(test_now.winner, Some(versions[1]));
    let final_mailing = test_now.final_mailing.unwrap();
    assert_eq!(runs.len(), 1);
    assert_eq!(runs[0].mailing, final_mailing);
    let rest = contacts_of(&engine, final_mailing);
    assert_eq!(rest.len(), 800);
    assert!(rest.is_disjoint(&a) && rest.is_disjoint(&b));
    let bodies: HashSet<String> = provider
        .messages()
        .iter()
        .map(|m| m.body.split(" https").next().unwrap().to_owned())
        .collect();
    assert_eq!(bodies, HashSet::from(["Big sale!".to_owned()]));
    // Every numbered contact got exactly one message across the campaign.
    let mut per_contact: HashMap<ContactId, usize> = HashMap::new();
    for mailing in versions.iter().chain([&final_mailing]) {
        engine
            .store()
            .traces(*mailing, &mut |trace| {
                if trace.sent_at.is_some() {
                    *per_contact.entry(trace.contact).or_default() += 1;
                }
            })
            .unwrap();
    }
    assert_eq!(per_contact.len(), 980);
    assert!(per_contact.values().all(|&n| n == 1));
    // Choosing again is refused.
    assert!(matches!(
        engine.choose_winner(test, Choice::Manual(versions[0]), deadline),
        Err(Error::WrongState { .. })
    ));
}

#[test]
fn the_same_seed_draws_the_same_samples() {
    let samples = |seed| {
        let (mut engine, test) = setup(500, seed, WinnerRule::ClicksRatio);
        let versions = engine.ab_test(test).unwrap().versions;
        engine.prepare(versions[1]).unwrap();
        (
            contacts_of(&engine, versions[0]),
            contacts_of(&engine, versions[1]),
        )
    };
    assert_eq!(samples(3), samples(3));
    assert_ne!(samples(3), samples(4));
}

#[test]
fn a_metric_or_a_hand_picks_the_winner() {
    let (mut engine, test) = setup(300, 1, WinnerRule::Metric(Goal::Maximize));
    send_versions(&mut engine, test, &[9, 1]);
    let versions = engine.ab_test(test).unwrap().versions;
    // A metric test waits for its values, even past the deadline.
    let later = now() + Duration::days(2);
    engine
        .run_due(&StubProvider::new(), &SimulatedClock::new(), later)
        .unwrap();
    assert_eq!(engine.ab_test(test).unwrap().winner, None);
    assert!(matches!(
        engine.choose_winner(test, Choice::ByRule(vec![MetricValue::Count(3)]), later),
        Err(Error::MetricValues {
            versions: 2,
            values: 1
        })
    ));
    engine
        .choose_winner(
            test,
            Choice::ByRule(vec![MetricValue::Count(3), MetricValue::Count(40)]),
            later,
        )
        .unwrap();
    assert_eq!(engine.ab_test(test).unwrap().winner, Some(versions[1]));

    let (mut engine, test) = setup(300, 1, WinnerRule::Manual);
    send_versions(&mut engine, test, &[0, 9]);
    let versions = engine.ab_test(test).unwrap().versions;
    engine
        .choose_winner(test, Choice::Manual(versions[0]), now())
        .unwrap();
    assert_eq!(engine.ab_test(test).unwrap().winner, Some(versions[0]));
}

#[test]
fn a_test_needs_two_versions_and_a_valid_share() {
    let (mut engine, _) = setup(10, 1, WinnerRule::ClicksRatio);
    let campaign = engine.store().campaigns().unwrap()[0].id;
    let list = engine.store().lists().unwrap()[0].id;
    let one = NewAbTest::new(campaign, Audience::Lists(vec![list]), 1).with_version("A", "x");
    assert!(matches!(
        engine.create_ab_test(one.clone(), now()),
        Err(Error::AbTest(AbtestError::TooFewVersions { versions: 1 }))
    ));
    let zero = one.with_version("B", "y").with_share(0);
    assert!(matches!(
        engine.create_ab_test(zero, now()),
        Err(Error::AbTest(AbtestError::InvalidShare { .. }))
    ));
}
