//! Short links, opt-out pages and /metrics over real HTTP on 127.0.0.1, on SQLite.

mod common;

use common::Served;
use smskit::Store;
use smskit::links::{ClickScope, LinkStore};
use smskit::provider::TraceStatus;

fn clicks(served: &Served) -> smskit::links::ClickStats {
    served
        .store()
        .click_stats(&ClickScope::Mailing(served.mailing.to_string()))
        .unwrap()
}

#[test]
fn a_tap_redirects_with_utm_and_is_counted_once_per_trace() {
    let served = Served::start(|config| config);
    let path = served.short_path(0);
    assert!(path.contains("/s/"), "{path}");
    for _ in 0..3 {
        let response = served.agent.get(served.url(&path)).call().unwrap();
        assert_eq!(response.status(), 302);
        let location = response.headers()["location"].to_str().unwrap();
        assert_eq!(
            location,
            "https://shop.example/sale?utm_source=Spring&utm_medium=sms"
        );
        assert_eq!(response.headers()["cache-control"], "no-store");
    }
    let stats = clicks(&served);
    assert_eq!((stats.clicks, stats.clicked_traces), (3, 1));
    let trace_id = path.rsplit('/').next().unwrap().parse::<i64>().unwrap();
    let trace = served
        .store()
        .trace(smskit::model::TraceId(trace_id))
        .unwrap()
        .unwrap();
    assert_eq!(trace.status, TraceStatus::Open);
    assert!(trace.clicked_at.is_some());
    // The engine's own counts: clicked once.
    assert_eq!(served.metric("smskit_redirects_total"), 3.0);
    assert_eq!(served.metric("smskit_clicks_counted_total"), 1.0);
}

#[test]
fn the_bare_link_redirects_and_counts_a_click_without_a_trace() {
    let served = Served::start(|config| config);
    let personal = served.short_path(1);
    let bare = personal.split("/s/").next().unwrap();
    let response = served.agent.get(served.url(bare)).call().unwrap();
    assert_eq!(response.status(), 302);
    // A query (a messenger's tracking parameter) does not change the link.
    let response = served
        .agent
        .get(served.url(&format!("{bare}?fbclid=x")))
        .call()
        .unwrap();
    assert_eq!(response.status(), 302);
    let stats = clicks(&served);
    assert_eq!((stats.clicks, stats.clicked_traces), (2, 0));
}

#[test]
fn preview_bots_and_head_are_redirected_but_not_counted() {
    let served = Served::start(|config| config);
    let path = served.short_path(0);
    let head = served.agent.head(served.url(&path)).call().unwrap();
    assert_eq!(head.status(), 302);
    for agent in [
        "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
        "WhatsApp/2.23.20.0",
        "Mozilla/5.0 (compatible; Discordbot/2.0; +https://discordapp.com)",
    ] {
        let response = served
            .agent
            .get(served.url(&path))
            .header("User-Agent", agent)
            .call()
            .unwrap();
        assert_eq!(response.status(), 302, "{agent}");
        assert!(response.headers().contains_key("location"));
    }
    let stats = clicks(&served);
    assert_eq!((stats.clicks, stats.clicked_traces), (0, 0));
    let trace = served
        .traces
        .iter()
        .find(|t| path.ends_with(&format!("/s/{}", t.id.0)))
        .unwrap();
    let stored = served.store().trace(trace.id).unwrap().unwrap();
    assert_ne!(stored.status, TraceStatus::Open);
    assert_eq!(served.metric("smskit_bot_redirects_total"), 4.0);
    assert_eq!(served.metric("smskit_redirects_total"), 0.0);
}

#[test]
fn unknown_codes_get_a_404_page() {
    let served = Served::start(|config| config);
    for path in ["/r/zzzzzzz", "/r/zzzzzzz/s/1", "/r/a!b"] {
        let mut response = served.agent.get(served.url(path)).call().unwrap();
        assert_eq!(response.status(), 404, "{path}");
        let content_type = response.headers()["content-type"]
            .to_str()
            .unwrap()
            .to_owned();
        assert!(content_type.starts_with("text/html"), "{content_type}");
        let body = response.body_mut().read_to_string().unwrap();
        assert!(
            body.contains("<!DOCTYPE html>") && body.contains("not found"),
            "{body}"
        );
    }
    assert_eq!(clicks(&served).clicks, 0);
}

#[test]
fn a_burst_of_taps_is_recorded_whole() {
    let served = Served::start(|config| config);
    let paths: Vec<String> = (0..3).map(|n| served.short_path(n)).collect();
    std::thread::scope(|scope| {
        for worker in 0..8 {
            let served = &served;
            let path = paths[worker % 3].clone();
            scope.spawn(move || {
                for _ in 0..40 {
                    let response = served.agent.get(served.url(&path)).call().unwrap();
                    assert_eq!(response.status(), 302);
                }
            });
        }
    });
    let stats = clicks(&served);
    assert_eq!((stats.clicks, stats.clicked_traces), (320, 3));
    assert_eq!(served.metric("smskit_clicks_counted_total"), 3.0);
}

#[test]
fn the_opt_out_page_asks_and_only_the_post_unsubscribes() {
    let served = Served::start(|config| config);
    let path = served.opt_out_path(0);
    let opted_out = |served: &Served| {
        served
            .store()
            .subscriptions(served.list)
            .unwrap()
            .iter()
            .filter(|s| s.opt_out)
            .count()
    };
    for _ in 0..2 {
        let mut page = served.agent.get(served.url(&path)).call().unwrap();
        assert_eq!(page.status(), 200);
        let html = page.body_mut().read_to_string().unwrap();
        assert!(html.contains("name=\"viewport\""), "{html}");
        assert!(html.contains("<form method=\"post\""), "{html}");
        assert!(html.contains("Spring news"), "{html}");
        assert_eq!(opted_out(&served), 0, "a GET unsubscribed");
    }
    let head = served.agent.head(served.url(&path)).call().unwrap();
    assert_eq!(head.status(), 200);
    assert_eq!(opted_out(&served), 0, "a HEAD unsubscribed");

    let mut done = served.agent.post(served.url(&path)).send_empty().unwrap();
    assert_eq!(done.status(), 200);
    let html = done.body_mut().read_to_string().unwrap();
    assert!(html.contains("Spring news"), "{html}");
    assert_eq!(opted_out(&served), 1);
    // Twice changes nothing more.
    let again = served.agent.post(served.url(&path)).send_empty().unwrap();
    assert_eq!(again.status(), 200);
    assert_eq!(opted_out(&served), 1);
    assert_eq!(served.metric("smskit_opt_outs_total"), 2.0);
}

#[test]
fn forged_or_altered_opt_out_links_are_404() {
    let served = Served::start(|config| config);
    let path = served.opt_out_path(0);
    let (head, token) = path.rsplit_once('/').unwrap();
    let mut flipped = token.to_owned().into_bytes();
    flipped[0] = if flipped[0] == b'A' { b'B' } else { b'A' };
    let flipped = String::from_utf8(flipped).unwrap();
    let other_trace = served.traces.iter().map(|t| t.id.0).max().unwrap() + 1;
    let mut parts: Vec<&str> = head.split('/').collect();
    let other = other_trace.to_string();
    let last = parts.len() - 1;
    parts[last] = &other;
    for forged in [
        format!("{head}/{flipped}"),
        format!("{}/{token}", parts.join("/")),
        format!("{head}/AAAAAAAAAAAAAAAA"),
        "/sms/1/1/x".to_owned(),
    ] {
        let get = served.agent.get(served.url(&forged)).call().unwrap();
        assert_eq!(get.status(), 404, "{forged}");
        let post = served.agent.post(served.url(&forged)).send_empty().unwrap();
        assert_eq!(post.status(), 404, "{forged}");
    }
    let subscriptions = served.store().subscriptions(served.list).unwrap();
    assert!(subscriptions.iter().all(|s| !s.opt_out));
}

#[test]
fn metrics_parse_and_count_requests_by_route_and_status() {
    let served = Served::start(|config| config);
    let before = served.metric("smskit_http_requests_total{route=\"redirect\",status=\"302\"}");
    assert_eq!(before, 0.0);
    let path = served.short_path(2);
    for _ in 0..2 {
        served.agent.get(served.url(&path)).call().unwrap();
    }
    served.agent.get(served.url("/r/zzzzzzz")).call().unwrap();
    served.agent.get(served.url("/healthz")).call().unwrap();
    let samples = served.metrics();
    let value = |series: &str| {
        samples
            .iter()
            .find(|(name, _)| name == series)
            .map_or(0.0, |(_, value)| *value)
    };
    assert_eq!(
        value("smskit_http_requests_total{route=\"redirect\",status=\"302\"}"),
        2.0
    );
    assert_eq!(
        value("smskit_http_requests_total{route=\"redirect\",status=\"404\"}"),
        1.0
    );
    assert_eq!(
        value("smskit_http_requests_total{route=\"healthz\",status=\"200\"}"),
        1.0
    );
    assert_eq!(value("smskit_unknown_links_total"), 1.0);
    // The metrics request before this one was counted too.
    assert!(value("smskit_http_requests_total{route=\"metrics\",status=\"200\"}") >= 1.0);
}

#[test]
fn stopping_waits_for_the_clicks_queued() {
    let served = Served::start(|config| config);
    let path = served.short_path(0);
    let response = served.agent.get(served.url(&path)).call().unwrap();
    assert_eq!(response.status(), 302);
    let mailing = served.mailing;
    let store = served.stop();
    let stats = store
        .click_stats(&ClickScope::Mailing(mailing.to_string()))
        .unwrap();
    assert_eq!(stats.clicks, 1);
}
