//! smskit-segment throughput.
//!
//! Ids (stable across versions): `segment/count/mixed_100k` and `segment/split/mixed_100k`
//! (messages/s over 100,000 marketing-like messages), `segment/count/gsm_1mib` and
//! `segment/count/emoji_1mib` (bytes/s over one 1 MiB text). Set `SMSKIT_BENCH_DATA` to the
//! `shared/bench` folder to use the reference workloads; otherwise equivalent ones are generated.
//! Hostile inputs that must stay linear: `segment/report/distinct_nongsm_50k` (split and
//! per-character tally of 50,000 distinct non-GSM characters) and
//! `segment/shift_all/plain_gsm_4mb` (split of 4 MiB of plain GSM-7 with all 13 national
//! languages enabled).
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used)]

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use smskit_benches::{SplitMix64, read_bench_file, read_workload_texts};

const WORDS: &[&str] = &[
    "sale",
    "offer",
    "today",
    "free",
    "members",
    "exclusive",
    "code",
    "points",
    "reminder",
    "tomorrow",
    "visit",
    "store",
    "delivery",
    "items",
    "new",
    "arrivals",
    "hello",
    "thanks",
    "order",
    "confirm",
    "limited",
    "flash",
    "ends",
    "your",
    "for",
    "with",
    "now",
    "stop",
    "opt",
    "out",
    "50%",
    "2x",
    "24h",
    "9am-5pm",
    "$10",
    "www.shop.example/x",
    "call",
    "get",
    "just",
];
const EXTENSION: &[&str] = &["€5", "[VIP]", "{code}", "~", "^", "|", "\\"];
const NON_GSM: &[&str] = &["😀", "👍🏽", "🇮🇹", "🏳️‍🌈", "❤️", "’", "“", "”", "ç", "ş", "—"];

fn words(rng: &mut SplitMix64, min_bytes: usize, extra: &[&str], every: u64) -> String {
    let mut text = String::new();
    while text.len() < min_bytes {
        if !text.is_empty() {
            text.push(' ');
        }
        if !extra.is_empty() && rng.below(every) == 0 {
            text.push_str(extra[rng.below(extra.len() as u64) as usize]);
        }
        text.push_str(WORDS[rng.below(WORDS.len() as u64) as usize]);
    }
    text
}

/// 100,000 messages: 70% plain GSM-7, 15% with extension characters, 15% with emoji,
/// non-GSM letters or smart quotes; 98 to 206 bytes each, like `workload.jsonl`.
fn generated_messages() -> Vec<String> {
    let mut rng = SplitMix64::new(0x5e67);
    (0..100_000)
        .map(|_| {
            let length = 98 + rng.below(100) as usize;
            match rng.below(100) {
                0..70 => words(&mut rng, length, &[], 1),
                70..85 => words(&mut rng, length, EXTENSION, 6),
                _ => words(&mut rng, length, NON_GSM, 5),
            }
        })
        .collect()
}

fn one_mib(extra: &[&str]) -> String {
    let mut rng = SplitMix64::new(0x1_0000);
    let mut text = words(&mut rng, 1 << 20, extra, 4);
    while text.len() > 1 << 20 {
        text.pop();
    }
    text
}

fn bench(c: &mut Criterion) {
    let messages = read_workload_texts().unwrap_or_else(generated_messages);
    let gsm = read_bench_file("workload_1mib_gsm.txt").unwrap_or_else(|| one_mib(&[]));
    let emoji = read_bench_file("workload_1mib_emoji.txt").unwrap_or_else(|| one_mib(NON_GSM));
    let total: usize = messages
        .iter()
        .map(|text| smskit_segment::count(text).parts)
        .sum();
    eprintln!(
        "segment workloads: {} messages ({} segments), gsm {} bytes ({} segments), emoji {} bytes ({} segments)",
        messages.len(),
        total,
        gsm.len(),
        smskit_segment::count(&gsm).parts,
        emoji.len(),
        smskit_segment::count(&emoji).parts,
    );

    let mut group = c.benchmark_group("segment/count");
    group.throughput(Throughput::Elements(messages.len() as u64));
    group.bench_function("mixed_100k", |b| {
        b.iter(|| {
            messages
                .iter()
                .map(|text| smskit_segment::count(black_box(text)).parts)
                .sum::<usize>()
        })
    });
    group.throughput(Throughput::Bytes(gsm.len() as u64));
    group.bench_function("gsm_1mib", |b| {
        b.iter(|| smskit_segment::count(black_box(&gsm)))
    });
    group.throughput(Throughput::Bytes(emoji.len() as u64));
    group.bench_function("emoji_1mib", |b| {
        b.iter(|| smskit_segment::count(black_box(&emoji)))
    });
    group.finish();

    let mut group = c.benchmark_group("segment/split");
    group.throughput(Throughput::Elements(messages.len() as u64));
    group.bench_function("mixed_100k", |b| {
        b.iter(|| {
            messages
                .iter()
                .map(|text| smskit_segment::split(black_box(text)).parts.len())
                .sum::<usize>()
        })
    });
    group.finish();
}

/// 50,000 distinct characters outside GSM-7 (CJK and beyond, no surrogates), each once.
fn distinct_non_gsm(count: usize) -> String {
    (0x3400u32..)
        .filter_map(char::from_u32)
        .filter(|ch| !smskit_segment::is_gsm7(*ch))
        .take(count)
        .collect()
}

/// 4 MiB of one-septet GSM-7 text (words, spaces, digits; no extension characters).
fn plain_gsm(bytes: usize) -> String {
    let mut rng = SplitMix64::new(0x4_0000);
    let mut text = words(&mut rng, bytes, &[], 1);
    text.retain(smskit_segment::is_gsm7_basic);
    text.truncate(bytes);
    text
}

/// Hostile inputs that must stay linear: the report's per-character tally of a text of many
/// distinct non-GSM characters, and the shift-table choice on plain text with every language.
fn bench_hostile(c: &mut Criterion) {
    let distinct = distinct_non_gsm(50_000);
    let mut group = c.benchmark_group("segment/report");
    group.sample_size(10);
    group.throughput(Throughput::Elements(50_000));
    group.bench_function("distinct_nongsm_50k", |b| {
        b.iter(|| {
            let split = smskit_segment::split(black_box(&distinct));
            split.non_gsm_tally().len()
        })
    });
    group.finish();

    let plain = plain_gsm(4 << 20);
    let all = smskit_segment::Segmenter::new().with_languages(smskit_segment::LanguageSet::of(
        smskit_segment::Language::ALL,
    ));
    let mut group = c.benchmark_group("segment/shift_all");
    group.sample_size(10);
    group.throughput(Throughput::Bytes(plain.len() as u64));
    group.bench_function("plain_gsm_4mb", |b| {
        b.iter(|| all.split(black_box(&plain)).map(|split| split.parts.len()))
    });
    group.finish();
}

criterion_group!(benches, bench, bench_hostile);
criterion_main!(benches);
