//! Invariants of smskit-links on any text. Shared by the `links_rewrite` fuzz target and by
//! `crates/smskit-links/tests/fuzz_regressions.rs`.
//!
//! Input layout: byte 0 picks the base URL and the UTM values, byte 1 the random seed and the
//! trace id; the rest (lossy UTF-8) is the message body.

#![allow(
    dead_code,
    unreachable_pub,
    reason = "each includer uses part of the checks"
)]

use smskit_links::{MemoryLinkStore, Rewritten, Shortener, TraceId, Tracking, Warning, find_urls};

/// The GSM 03.38 basic alphabet, written out independently of the crate under test.
const GSM_BASIC: &str = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";

const BASES: [&str; 4] = [
    "https://sho.rt",
    "http://x.example/go",
    "https://a.example",
    "https://bücher.example/l_",
];

fn is_gsm_basic(s: &str) -> bool {
    s.chars().all(|c| GSM_BASIC.contains(c))
}

/// Puts the original URLs back in place of the short links.
fn restore(original: &str, rewritten: &Rewritten) -> String {
    let mut out = String::new();
    let mut copied = 0;
    for occurrence in rewritten.occurrences() {
        out.push_str(&rewritten.text()[copied..occurrence.rewritten.start]);
        out.push_str(&original[occurrence.original.clone()]);
        copied = occurrence.rewritten.end;
    }
    out.push_str(&rewritten.text()[copied..]);
    out
}

/// Checks every invariant on one input; panics on a violation.
pub fn check(data: &[u8]) {
    let (config, rest) = data.split_first().map_or((0, data), |(c, r)| (*c, r));
    let (seed, body) = rest.split_first().map_or((0, rest), |(s, r)| (*s, r));
    let text = String::from_utf8_lossy(body);
    check_text(config, seed, &text);
}

/// Checks every invariant on `text` with the options picked by `config` and `seed`.
pub fn check_text(config: u8, seed: u8, text: &str) {
    let base = BASES[usize::from(config & 3)];
    let shortener = Shortener::new(base).expect("valid base");
    let mut tracking = Tracking::new();
    if config & 4 != 0 {
        tracking = tracking
            .with_campaign("spring sale")
            .with_source("news&letter");
    }
    if config & 8 != 0 {
        tracking = tracking.with_medium("sms").with_mailing("m1");
    }
    let mut store = MemoryLinkStore::seeded(u64::from(seed));

    // find_urls: ordered, on char boundaries, http(s), no trailing sentence punctuation.
    let mut previous_end = 0;
    for url in find_urls(text) {
        assert!(url.start() >= previous_end && url.end() > url.start());
        assert!(text.is_char_boundary(url.start()) && text.is_char_boundary(url.end()));
        previous_end = url.end();
        let lower = url.as_str().to_ascii_lowercase();
        assert!(
            lower.starts_with("http://") || lower.starts_with("https://"),
            "{lower:?}"
        );
        let last = lower.chars().next_back().unwrap_or(' ');
        assert!(!".,:;!?*".contains(last), "{lower:?}");
        assert!(
            lower.matches(')').count() <= lower.matches('(').count(),
            "{lower:?}"
        );
    }

    let rewritten = shortener
        .rewrite(text, &tracking, &mut store)
        .expect("memory store");

    // A rewriting session (with its URL cache) gives the same result, twice.
    {
        let mut rewriter = shortener.rewriter(&tracking, &mut store);
        for _ in 0..2 {
            let again = rewriter.rewrite(text).expect("memory store");
            assert_eq!(again, rewritten);
        }
    }

    // Every byte outside the URLs is kept.
    assert_eq!(restore(text, &rewritten), text);

    // Short links: GSM-7 basic, found back whole, pointing at their link.
    let found: Vec<_> = find_urls(rewritten.text()).map(|u| u.range()).collect();
    for occurrence in rewritten.occurrences() {
        let link = &rewritten.links()[occurrence.link];
        assert_eq!(
            &rewritten.text()[occurrence.rewritten.clone()],
            link.short_url
        );
        assert!(
            found.contains(&occurrence.rewritten),
            "{:?}",
            rewritten.text()
        );
    }
    for link in rewritten.links() {
        assert!(is_gsm_basic(&link.short_url), "{}", link.short_url);
        let path = &link.short_url[shortener.base().len() - path_len(shortener.base())..];
        let resolved = shortener.resolve(&store, path).expect("own link resolves");
        assert_eq!(&resolved.link, &link.link);
        assert!(resolved.target().starts_with("http"));
    }
    for warning in rewritten.warnings() {
        if let Warning::InvalidUrl { offset, url, .. } | Warning::RunsIntoText { offset, url } =
            warning
        {
            assert!(text[*offset..].starts_with(url.as_str()));
        }
    }

    // Idempotent.
    let again = shortener
        .rewrite(rewritten.text(), &tracking, &mut store)
        .expect("memory store");
    assert_eq!(again.text(), rewritten.text());
    assert!(again.links().is_empty());

    // Personalisation: length, content, links found whole and resolving to the trace.
    let trace = TraceId::new(format!("t{seed}_-Z")).expect("valid trace");
    let personal = rewritten.personalize(&trace);
    let suffix = format!("/s/{trace}");
    assert_eq!(
        personal.len(),
        rewritten.text().len() + rewritten.occurrences().len() * suffix.len()
    );
    let found: Vec<_> = find_urls(&personal).map(|u| u.range()).collect();
    let mut shift = 0;
    for occurrence in rewritten.occurrences() {
        let start = occurrence.rewritten.start + shift;
        shift += suffix.len();
        let end = occurrence.rewritten.end + shift;
        assert!(found.contains(&(start..end)), "{personal:?}");
        let url = &personal[start..end];
        assert!(is_gsm_basic(url));
        let path = &url[shortener.base().len() - path_len(shortener.base())..];
        let resolved = shortener
            .resolve(&store, path)
            .expect("personal link resolves");
        assert_eq!(resolved.trace.as_ref(), Some(&trace));
    }

    // Any text as a request path: an error, never a panic.
    assert!(shortener.resolve(&store, text).is_err() || text.contains("/r/"));
}

/// Length of the path part of a base URL (`/go` in `http://x.example/go`).
fn path_len(base: &str) -> usize {
    let after_scheme = base.find("://").map_or(0, |i| i + 3);
    base[after_scheme..]
        .find('/')
        .map_or(0, |i| base.len() - after_scheme - i)
}
