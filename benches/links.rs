//! smskit-links hot paths.
//!
//! - `links/rewrite/100k`: rewrite 100,000 SMS bodies (`workload.jsonl` when `SMSKIT_BENCH_DATA`
//!   is set, else a generated equivalent) with one rewriting session (as a mailing does for its
//!   rendered bodies) into a fresh in-memory store.
//! - `links/rewrite/distinct_40k`: rewrite one text holding 40,000 distinct URLs (what
//!   `smskit links rewrite` gets from a catalogue export) into a fresh in-memory store; linear in
//!   the number of distinct URLs.
//! - `links/personalize/1m`: personalise one rewritten body for 1,000,000 trace ids into a
//!   reusable buffer.
//! - `links/personalize/format_baseline`: only format the same output strings with `write!`
//!   from pre-split pieces, for the same trace ids — the floor personalising is compared with.
#![allow(missing_docs)]

use std::fmt::Write as _;
use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use smskit_benches::{SplitMix64, read_workload_texts};
use smskit_links::{MemoryLinkStore, Shortener, TraceId, Tracking};

const BODIES: usize = 100_000;
const RECIPIENTS: usize = 1_000_000;
const DISTINCT_URLS: usize = 40_000;

/// The 100,000 bodies. `workload.jsonl` writes its links without a scheme
/// (`www.shop.example/x`, in about 27% of the bodies); tracked links are http(s) URLs
/// (spec/links.md), so the scheme is added to make those bodies carry a link as real ones do.
fn bodies() -> Vec<String> {
    if let Some(texts) = read_workload_texts() {
        return texts
            .into_iter()
            .take(BODIES)
            .map(|t| t.replace(" www.", " https://www."))
            .collect();
    }
    generated_bodies()
}

/// A generated equivalent: marketing-like words, ~27% of bodies with a link (some with two,
/// some with query strings and trailing punctuation), a few emoji.
fn generated_bodies() -> Vec<String> {
    const WORDS: &[&str] = &[
        "sale",
        "today",
        "only",
        "exclusive",
        "offer",
        "members",
        "reply",
        "STOP",
        "to",
        "get",
        "50%",
        "off",
        "new",
        "arrivals",
        "your",
        "code",
        "points",
        "flash",
        "ends",
        "tonight",
        "free",
        "delivery",
        "thanks",
        "for",
        "shopping",
        "with",
        "us",
        "visit",
        "hi",
        "deal",
    ];
    const LINKS: &[&str] = &[
        "https://www.shop.example/x",
        "https://shop.example/sale?ref=sms",
        "https://shop.example/p/12345?color=red&size=m",
        "http://promo.example/spring#top",
        "https://www.shop.example/account/points",
        "https://shop.example/stores/paris-(centre)",
    ];
    const EMOJI: &[&str] = &["🎉", "👍🏽", "🛍️", "😀"];
    let mut rng = SplitMix64::new(0x5EED);
    (0..BODIES)
        .map(|_| {
            let words = 12 + rng.below(14) as usize;
            let link_at = if rng.below(100) < 27 {
                Some(rng.below(words as u64) as usize)
            } else {
                None
            };
            let mut body = String::with_capacity(160);
            for i in 0..words {
                if i > 0 {
                    body.push(' ');
                }
                if Some(i) == link_at {
                    body.push_str(LINKS[rng.below(LINKS.len() as u64) as usize]);
                    if rng.below(4) == 0 {
                        body.push_str(". ");
                        body.push_str(LINKS[rng.below(LINKS.len() as u64) as usize]);
                    }
                    continue;
                }
                body.push_str(WORDS[rng.below(WORDS.len() as u64) as usize]);
                if rng.below(40) == 0 {
                    body.push_str(EMOJI[rng.below(EMOJI.len() as u64) as usize]);
                }
            }
            body.push('.');
            body
        })
        .collect()
}

fn tracking() -> Tracking {
    Tracking::new()
        .with_campaign("spring")
        .with_source("newsletter")
        .with_medium("sms")
        .with_mailing("m-2025-03")
}

fn rewrite(c: &mut Criterion) {
    let bodies = bodies();
    let shortener = Shortener::new("https://sho.rt").expect("valid base");
    let tracking = tracking();
    let mut group = c.benchmark_group("links/rewrite");
    group.sample_size(10);
    group.throughput(Throughput::Elements(bodies.len() as u64));
    group.bench_function("100k", |b| {
        b.iter(|| {
            let mut store = MemoryLinkStore::seeded(7);
            let mut rewriter = shortener.rewriter(&tracking, &mut store);
            let mut replaced = 0;
            for body in &bodies {
                let rewritten = rewriter.rewrite(body).expect("memory store");
                replaced += rewritten.occurrences().len();
                black_box(rewritten);
            }
            replaced
        });
    });
    let catalogue = (0..DISTINCT_URLS)
        .map(|i| format!("https://ex.com/p{i}"))
        .collect::<Vec<_>>()
        .join(" ");
    group.throughput(Throughput::Elements(DISTINCT_URLS as u64));
    group.bench_function("distinct_40k", |b| {
        b.iter(|| {
            let mut store = MemoryLinkStore::seeded(7);
            let rewritten = shortener
                .rewrite(&catalogue, &tracking, &mut store)
                .expect("memory store");
            black_box(rewritten).links().len()
        });
    });
    group.finish();
}

fn personalize(c: &mut Criterion) {
    let shortener = Shortener::new("https://sho.rt").expect("valid base");
    let mut store = MemoryLinkStore::seeded(7);
    let rewritten = shortener
        .rewrite(
            "Spring sale: 30% off everything until Sunday! Shop now https://shop.example/spring?ref=sms. Reply STOP to opt out",
            &tracking(),
            &mut store,
        )
        .expect("memory store");
    // Realistic trace ids: database ids of a large mailing.
    let traces: Vec<TraceId> = (0..RECIPIENTS as u64)
        .map(|i| TraceId::from(10_000_000 + i))
        .collect();
    // The baseline formats the same strings from pieces split in advance.
    let split = rewritten.occurrences()[0].rewritten.end;
    let (head, tail) = rewritten.text().split_at(split);

    let mut group = c.benchmark_group("links/personalize");
    group.sample_size(10);
    group.throughput(Throughput::Elements(RECIPIENTS as u64));
    group.bench_function("1m", |b| {
        let mut buffer = String::new();
        b.iter(|| {
            let mut bytes = 0;
            for trace in &traces {
                rewritten.personalize_into(trace, &mut buffer);
                bytes += black_box(&buffer).len();
            }
            bytes
        });
    });
    group.bench_function("format_baseline", |b| {
        let mut buffer = String::new();
        b.iter(|| {
            let mut bytes = 0;
            for trace in &traces {
                buffer.clear();
                let _ = write!(buffer, "{head}/s/{trace}{tail}");
                bytes += black_box(&buffer).len();
            }
            bytes
        });
    });
    group.finish();
}

criterion_group!(benches, rewrite, personalize);
criterion_main!(benches);
