//! The small conversions callers lean on: a code and a trace id read back as the text they were
//! made from (display, `AsRef`, and `Borrow` for map lookups by `&str`), which errors mean 404,
//! and what the in-memory store reports about itself.

use std::borrow::Borrow;
use std::collections::HashSet;

use smskit_links::{
    Click, ClickScope, Code, LinkRequest, LinkStore, MemoryLinkStore, Shortener, TraceId, Tracking,
};

#[test]
fn a_code_reads_back_as_its_text() {
    let code = Code::new("abc123").unwrap();
    assert_eq!(code.to_string(), "abc123");
    assert_eq!(AsRef::<str>::as_ref(&code), "abc123");
    assert_eq!(Borrow::<str>::borrow(&code), "abc123");
    let codes: HashSet<Code> = [code].into();
    assert!(codes.contains("abc123"));
    assert!(!codes.contains("abc124"));
}

#[test]
fn a_trace_id_reads_back_as_its_text() {
    let trace = TraceId::new("t-42").unwrap();
    assert_eq!(AsRef::<str>::as_ref(&trace), "t-42");
    assert_eq!(Borrow::<str>::borrow(&trace), "t-42");
    let traces: HashSet<TraceId> = [trace].into();
    assert!(traces.contains("t-42"));
    assert!(!traces.contains("t-43"));
}

#[test]
fn only_an_unknown_link_means_not_found() {
    let store = MemoryLinkStore::seeded(1);
    let shortener = Shortener::new("https://sho.rt").unwrap();
    let unknown = shortener.resolve(&store, "/r/nope").unwrap_err();
    assert!(unknown.is_not_found(), "{unknown}");
    let malformed = Code::new("not a code!").unwrap_err();
    assert!(!malformed.is_not_found(), "{malformed}");
}

#[test]
fn the_memory_store_reports_its_links() {
    let mut store = MemoryLinkStore::seeded(1);
    assert!(store.is_empty());
    assert!(store.links().is_empty());
    assert_eq!(
        format!("{store:?}"),
        "MemoryLinkStore { links: 0, clicks: 0, .. }"
    );
    let request = LinkRequest::new("https://shop.example/a", &Tracking::new()).unwrap();
    let link = store.get_or_create(&request).unwrap();
    assert!(!store.is_empty());
    assert_eq!(store.len(), 1);
    assert_eq!(store.links(), [link]);
    assert_eq!(
        format!("{store:?}"),
        "MemoryLinkStore { links: 1, clicks: 0, .. }"
    );
}

#[test]
fn a_link_request_and_its_link_keep_what_they_were_made_of() {
    let tracking = Tracking::new()
        .with_campaign("spring")
        .with_source("sms")
        .with_medium("text")
        .with_mailing("7");
    let request = LinkRequest::new("https://shop.example/a?x=1", &tracking).unwrap();
    assert_eq!(request.url(), "https://shop.example/a?x=1");
    assert_eq!(request.utm().campaign(), Some("spring"));
    assert_eq!(request.utm().source(), Some("sms"));
    assert_eq!(request.utm().medium(), Some("text"));
    assert_eq!(request.mailing(), Some("7"));
    assert!(
        request
            .target()
            .starts_with("https://shop.example/a?x=1&utm_"),
        "{}",
        request.target()
    );
    assert!(request.target().contains("utm_campaign=spring"));
    let link = MemoryLinkStore::seeded(1).get_or_create(&request).unwrap();
    assert_eq!(link.utm(), request.utm());
    assert_eq!(link.target(), request.target());
}

#[test]
fn a_click_keeps_its_address_and_a_borrowed_store_counts_it() {
    let ip: std::net::IpAddr = "192.0.2.7".parse().unwrap();
    let mut store = MemoryLinkStore::seeded(1);
    let request = LinkRequest::new("https://shop.example/a", &Tracking::new()).unwrap();
    let link = store.get_or_create(&request).unwrap();
    let click = Click::new(link.code().clone(), chrono::DateTime::UNIX_EPOCH).with_ip(ip);
    assert_eq!(click.ip(), Some(ip));
    let mut borrowed = &mut store;
    LinkStore::record_click(&mut borrowed, click).unwrap();
    let stats = LinkStore::click_stats(&borrowed, &ClickScope::All).unwrap();
    assert_eq!(stats.clicks, 1);
    assert_eq!(store.clicks()[0].ip(), Some(ip));
}

#[test]
fn the_shortener_and_a_rewriter_show_their_base() {
    let shortener = Shortener::new("https://sho.rt").unwrap();
    assert_eq!(shortener.opt_out_prefix(), "https://sho.rt/sms/");
    assert!(format!("{shortener:?}").contains("https://sho.rt"));
    let tracking = Tracking::new();
    let mut store = MemoryLinkStore::seeded(1);
    let rewriter = shortener.rewriter(&tracking, &mut store);
    let shown = format!("{rewriter:?}");
    assert!(
        shown.starts_with("Rewriter {") && shown.contains("https://sho.rt"),
        "{shown}"
    );
}

#[test]
fn a_url_normalised_beyond_its_root_slash_is_reported() {
    let shortener = Shortener::new("https://sho.rt").unwrap();
    let mut store = MemoryLinkStore::seeded(1);
    let normalized = |text: &str, store: &mut MemoryLinkStore<smskit_links::StdRng>| {
        shortener
            .rewrite(text, &Tracking::new(), store)
            .unwrap()
            .warnings()
            .iter()
            .find_map(|warning| match warning {
                smskit_links::Warning::Normalized { normalized, .. } => Some(normalized.clone()),
                _ => None,
            })
    };
    // Only the root slash added: nothing to say.
    assert_eq!(normalized("see https://a.example now", &mut store), None);
    assert_eq!(
        normalized("see https://a.example#top now", &mut store),
        None
    );
    // A fragment right after the host that normalisation also percent-encodes.
    assert_eq!(
        normalized("see https://a.example#é now", &mut store).as_deref(),
        Some("https://a.example/#%C3%A9")
    );
}
