//! End-to-end use of the public API: rewrite, personalise, resolve, click, statistics.

use chrono::{TimeZone, Utc};
use smskit_links::{
    ClickScope, Error, LinkStore, MemoryLinkStore, NotFoundReason, Shortener, StdRng, TraceId,
    Tracking, Warning,
};

#[test]
fn types_cross_threads() {
    fn send_sync<T: Send + Sync>() {}
    send_sync::<Shortener>();
    send_sync::<MemoryLinkStore<StdRng>>();
    send_sync::<smskit_links::Rewritten>();
    send_sync::<smskit_links::Link>();
    send_sync::<smskit_links::Click>();
    send_sync::<Error>();
}

#[test]
fn mailing_flow_from_body_to_statistics() {
    let shortener = Shortener::new("https://sho.rt").unwrap();
    let mut store = MemoryLinkStore::seeded(7);
    let tracking = Tracking::new()
        .with_campaign("spring")
        .with_source("newsletter")
        .with_medium("sms")
        .with_mailing("m1");
    let body = "Hi! Spring sale: https://shop.example/spring?x=1. Shoes: https://shop.example/shoes \
                STOP SMS: https://sho.rt/sms/m1/Ab3";
    let rewritten = shortener.rewrite(body, &tracking, &mut store).unwrap();
    assert_eq!(rewritten.links().len(), 2);
    assert!(
        rewritten
            .text()
            .ends_with("STOP SMS: https://sho.rt/sms/m1/Ab3")
    );
    assert!(rewritten.text().len() < body.len());

    // Personalise for three recipients; the opt-out link is not personalised.
    let mut out = String::new();
    let mut bodies = Vec::new();
    for trace in ["t1", "t2", "t3"] {
        rewritten.personalize_into(&TraceId::new(trace).unwrap(), &mut out);
        bodies.push(out.clone());
    }
    assert!(bodies[1].contains(&format!("{}/s/t2.", rewritten.links()[0].short_url)));
    assert!(bodies[1].ends_with("STOP SMS: https://sho.rt/sms/m1/Ab3"));

    // Clicks: t1 twice on the first link, t2 on the second, one anonymous click.
    let at = |h| Utc.with_ymd_and_hms(2025, 4, 1, h, 0, 0).unwrap();
    let path = |i: usize, trace: Option<&str>| {
        let short = &rewritten.links()[i].short_url["https://sho.rt".len()..];
        match trace {
            Some(t) => format!("{short}/s/{t}"),
            None => short.to_owned(),
        }
    };
    let mut first_clicks = 0;
    for (i, trace, hour) in [
        (0, Some("t1"), 9),
        (0, Some("t1"), 10),
        (1, Some("t2"), 11),
        (0, None, 12),
    ] {
        let resolved = shortener.resolve(&store, &path(i, trace)).unwrap();
        assert!(
            resolved
                .target()
                .contains("utm_campaign=spring&utm_source=newsletter&utm_medium=sms")
        );
        let click = resolved
            .click(at(hour))
            .with_ip("198.51.100.7".parse().unwrap())
            .with_country("be");
        let recorded = store.record_click(click).unwrap();
        if let Some(attribution) = recorded.attribution {
            assert_eq!(attribution.mailing.as_deref(), Some("m1"));
            first_clicks += usize::from(attribution.first_click);
        }
    }
    assert_eq!(first_clicks, 2);
    assert_eq!(store.clicks()[0].country(), Some("BE"));

    let first = rewritten.links()[0].link.code().clone();
    let stats = store.click_stats(&ClickScope::Link(first)).unwrap();
    assert_eq!((stats.clicks, stats.clicked_traces), (3, 1));
    assert_eq!(stats.first_click, Some(at(9)));
    assert_eq!(stats.last_click, Some(at(12)));
    let stats = store
        .click_stats(&ClickScope::Mailing("m1".into()))
        .unwrap();
    assert_eq!((stats.clicks, stats.clicked_traces), (4, 2));
    let stats = store
        .click_stats(&ClickScope::Campaign("spring".into()))
        .unwrap();
    assert_eq!((stats.clicks, stats.clicked_traces), (4, 2));
}

#[test]
fn second_mailing_reuses_nothing_across_mailings_but_everything_within() {
    let shortener = Shortener::new("https://sho.rt").unwrap();
    let mut store = MemoryLinkStore::seeded(1);
    let a = Tracking::new().with_campaign("c").with_mailing("a");
    let b = Tracking::new().with_campaign("c").with_mailing("b");
    let first = shortener
        .rewrite("https://x.example/", &a, &mut store)
        .unwrap();
    let again = shortener
        .rewrite("https://x.example/", &a, &mut store)
        .unwrap();
    let other = shortener
        .rewrite("https://x.example/", &b, &mut store)
        .unwrap();
    assert_eq!(first.text(), again.text());
    assert_ne!(first.text(), other.text());
    assert_eq!(store.len(), 2);
}

#[test]
fn same_seed_same_codes() {
    let shortener = Shortener::new("https://sho.rt").unwrap();
    let text = "https://a.example/1 https://a.example/2 https://a.example/3";
    let run = |seed| {
        let mut store = MemoryLinkStore::seeded(seed);
        shortener
            .rewrite(text, &Tracking::new(), &mut store)
            .unwrap()
            .text()
            .to_owned()
    };
    assert_eq!(run(5), run(5));
    assert_ne!(run(5), run(6));
}

#[test]
fn works_through_a_trait_object() {
    let shortener = Shortener::new("https://sho.rt").unwrap();
    let mut memory = MemoryLinkStore::seeded(2);
    let store: &mut dyn LinkStore = &mut memory;
    let rewritten = shortener
        .rewrite("https://a.example/x", &Tracking::new(), store)
        .unwrap();
    let resolved = shortener
        .resolve(store, &rewritten.text()["https://sho.rt".len()..])
        .unwrap();
    assert_eq!(resolved.target(), "https://a.example/x");
}

#[test]
fn not_found_is_typed() {
    let shortener = Shortener::new("https://sho.rt").unwrap();
    let store = MemoryLinkStore::seeded(2);
    let err = shortener.resolve(&store, "/r/abc").unwrap_err();
    assert!(matches!(
        err,
        Error::NotFound {
            reason: NotFoundReason::UnknownCode,
            ..
        }
    ));
    assert_eq!(err.to_string(), "no link for \"/r/abc\": unknown code");
    let err = shortener.resolve(&store, "/favicon.ico").unwrap_err();
    assert!(matches!(
        err,
        Error::NotFound {
            reason: NotFoundReason::MalformedPath,
            ..
        }
    ));
    assert!(err.is_not_found());
}

#[test]
fn warnings_name_the_url() {
    let shortener = Shortener::new("https://sho.rt").unwrap();
    let mut store = MemoryLinkStore::seeded(2);
    let text = "a http://300.1.1.1/x b https://a.examplehttps://b.example c HTTPS://A.EXAMPLE";
    let rewritten = shortener
        .rewrite(text, &Tracking::new(), &mut store)
        .unwrap();
    match rewritten.warnings() {
        [
            Warning::InvalidUrl {
                url: invalid,
                offset: 2,
                ..
            },
            Warning::RunsIntoText {
                url: runs,
                offset: 23,
            },
            Warning::Normalized { url, normalized },
        ] => {
            assert_eq!(invalid, "http://300.1.1.1/x");
            assert_eq!(runs, "https://a.examplehttps");
            assert_eq!(
                (url.as_str(), normalized.as_str()),
                ("HTTPS://A.EXAMPLE", "https://a.example/")
            );
        }
        other => panic!("{other:?}"),
    }
}

#[cfg(feature = "serde")]
#[test]
fn serde_round_trips() {
    let shortener = Shortener::new("https://sho.rt").unwrap();
    let mut store = MemoryLinkStore::seeded(2);
    let tracking = Tracking::new().with_campaign("c").with_mailing("m");
    let rewritten = shortener
        .rewrite("x https://a.example/y z", &tracking, &mut store)
        .unwrap();
    let json = serde_json::to_string(&rewritten).unwrap();
    let back: smskit_links::Rewritten = serde_json::from_str(&json).unwrap();
    assert_eq!(back, rewritten);

    let link = &rewritten.links()[0].link;
    let value = serde_json::to_value(link).unwrap();
    assert_eq!(value["code"], link.code().as_str());
    assert_eq!(value["utm"]["campaign"], "c");
    assert_eq!(value["mailing"], "m");

    let at = Utc.with_ymd_and_hms(2025, 1, 2, 3, 4, 5).unwrap();
    let click = smskit_links::Click::new(link.code().clone(), at)
        .with_trace(TraceId::from(9u64))
        .with_ip("2001:db8::1".parse().unwrap());
    let json = serde_json::to_string(&click).unwrap();
    assert!(json.contains("\"2025-01-02T03:04:05Z\""), "{json}");
    assert_eq!(
        serde_json::from_str::<smskit_links::Click>(&json).unwrap(),
        click
    );

    assert!(serde_json::from_str::<smskit_links::Code>("\"a-b\"").is_err());
    assert!(serde_json::from_str::<TraceId>("\"a b\"").is_err());
    let tracking_back: Tracking =
        serde_json::from_str(&serde_json::to_string(&tracking).unwrap()).unwrap();
    assert_eq!(tracking_back, tracking);
}
