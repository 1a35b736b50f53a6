//! smskit-phone throughput.
//!
//! Id (stable across versions): `phone/parse/10k`, parsing and validating (`phonenumber`
//! feature: possible and valid) 10,000 varied raw numbers, each with a default country, as a
//! contact list holds them: national and international forms, `00` prefixes, separators, and
//! one in ten wrong (mistyped, too short, too long). The metadata is loaded before measuring;
//! its one-time cost is not part of the figure. Set `SMSKIT_BENCH_DATA` to a folder holding
//! `phone_numbers.tsv` (`CC<TAB>raw number` per line) to use another workload.
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used)]

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use smskit_benches::{SplitMix64, read_bench_file};
use smskit_phone::{Region, parse};

/// Default country, national prefix, then a valid national significant number pattern
/// (`#` = any digit) of a common mobile or fixed range.
const PLANS: &[(&str, u16, &str, &str)] = &[
    ("BE", 32, "0", "47#######"),
    ("BE", 32, "0", "2#######"),
    ("FR", 33, "0", "6########"),
    ("FR", 33, "0", "1########"),
    ("DE", 49, "0", "151########"),
    ("DE", 49, "0", "30########"),
    ("NL", 31, "0", "6########"),
    ("GB", 44, "0", "7400######"),
    ("GB", 44, "0", "20########"),
    ("US", 1, "1", "650253####"),
    ("US", 1, "1", "212555####"),
    ("CA", 1, "1", "613555####"),
    ("IT", 39, "", "333#######"),
    ("IT", 39, "", "06########"),
    ("ES", 34, "", "6########"),
    ("BR", 55, "0", "119########"),
    ("IN", 91, "0", "98########"),
    ("RU", 7, "8", "912#######"),
    ("MX", 52, "", "55########"),
    ("AU", 61, "0", "4########"),
    ("JP", 81, "0", "90########"),
    ("ZA", 27, "0", "82#######"),
];

fn fill(rng: &mut SplitMix64, pattern: &str) -> String {
    pattern
        .chars()
        .map(|c| {
            if c == '#' {
                char::from(b'0' + rng.below(10) as u8)
            } else {
                c
            }
        })
        .collect()
}

fn group(digits: &str, rng: &mut SplitMix64) -> String {
    let separator = [" ", ".", "-", "/", " "][rng.below(5) as usize];
    let mut out = String::new();
    for (index, c) in digits.chars().enumerate() {
        if index > 0 && index % 3 == 0 {
            out.push_str(separator);
        }
        out.push(c);
    }
    out
}

fn generated() -> Vec<(Option<Region>, String)> {
    let mut rng = SplitMix64::new(0xE164);
    (0..10_000)
        .map(|_| {
            let (country, code, trunk, pattern) = PLANS[rng.below(PLANS.len() as u64) as usize];
            let mut national = fill(&mut rng, pattern);
            if rng.below(10) == 0 {
                // Mistyped: a digit dropped or added.
                if rng.below(2) == 0 {
                    national.pop();
                } else {
                    national.push('5');
                }
            }
            let raw = match rng.below(6) {
                0 => format!("+{code}{national}"),
                1 => format!("+{code} {}", group(&national, &mut rng)),
                2 => format!("00{code} {}", group(&national, &mut rng)),
                3 => format!(
                    "({trunk}{}) {}",
                    &national[..2],
                    group(&national[2..], &mut rng)
                ),
                _ => format!("{trunk}{}", group(&national, &mut rng)),
            };
            (Region::parse(country).ok(), raw)
        })
        .collect()
}

fn workload() -> Vec<(Option<Region>, String)> {
    match read_bench_file("phone_numbers.tsv") {
        Some(text) => text
            .lines()
            .filter_map(|line| line.split_once('\t'))
            .map(|(country, raw)| (Region::parse(country).ok(), raw.to_owned()))
            .collect(),
        None => generated(),
    }
}

fn bench(c: &mut Criterion) {
    let numbers = workload();
    // Load the metadata and compile the patterns of every country of the workload.
    let valid = numbers
        .iter()
        .filter(|(region, raw)| parse(raw, *region).is_ok())
        .count();
    assert!(valid > numbers.len() / 2, "only {valid} valid numbers");
    let mut group = c.benchmark_group("phone");
    group.throughput(Throughput::Elements(numbers.len() as u64));
    group.bench_function("parse/10k", |b| {
        b.iter(|| {
            let mut valid = 0usize;
            for (region, raw) in &numbers {
                valid += usize::from(parse(black_box(raw), *region).is_ok());
            }
            black_box(valid)
        });
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
