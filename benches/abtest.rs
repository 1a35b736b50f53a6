//! smskit-abtest hot paths.
//!
//! - `abtest/significance/500_versions`: compare the click rates of 500 versions (Wilson
//!   intervals, probability to be best, z-test of the two best), as `smskit abtest significance`
//!   does; the rates are close (3% to 6%, 1,000 to 5,000 messages each), so every posterior
//!   overlaps every other one.
#![allow(missing_docs)]

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use smskit_abtest::{Alpha, Proportion, compare_rates};
use smskit_benches::SplitMix64;

const VERSIONS: usize = 500;

fn versions() -> Vec<Proportion> {
    let mut rng = SplitMix64::new(0xAB7E57);
    (0..VERSIONS)
        .map(|_| {
            let trials = 1_000 + rng.below(4_001);
            let low = trials * 3 / 100;
            let clicks = low + rng.below(trials * 6 / 100 - low + 1);
            Proportion::new(clicks, trials).expect("clicks <= trials")
        })
        .collect()
}

fn significance(c: &mut Criterion) {
    let versions = versions();
    let mut group = c.benchmark_group("abtest/significance");
    group.sample_size(10);
    group.throughput(Throughput::Elements(VERSIONS as u64));
    group.bench_function("500_versions", |b| {
        b.iter(|| {
            let comparison =
                compare_rates(black_box(&versions), Alpha::FIVE_PERCENT).expect("500 versions");
            comparison.leader
        });
    });
    group.finish();
}

criterion_group!(benches, significance);
criterion_main!(benches);
