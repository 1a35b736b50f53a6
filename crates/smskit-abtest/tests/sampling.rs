//! Sampling invariants from the spec: sizes, disjoint samples, traced recipients skipped,
//! determinism, stability when the audience grows, and uniformity over seeds.

use std::collections::{BTreeMap, BTreeSet};

use proptest::prelude::*;
use smskit_abtest::{
    Assignment, SamplePlan, Seed, TestShare, remaining_recipients, sample_hash, sample_size,
};

fn plan(seed: u64, versions: usize, pc: u32) -> SamplePlan {
    SamplePlan::new(Seed::new(seed), versions)
        .unwrap()
        .with_share(TestShare::new(pc).unwrap())
}

/// Version of each id (`versions` for the remainder).
fn labels(a: &Assignment<u64>, versions: usize) -> BTreeMap<u64, usize> {
    let mut out = BTreeMap::new();
    for (v, sample) in a.samples.iter().enumerate() {
        for &id in sample {
            out.insert(id, v);
        }
    }
    for &id in &a.remainder {
        out.insert(id, versions);
    }
    out
}

fn audience_strategy() -> impl Strategy<Value = Vec<u64>> {
    prop::collection::vec(0u64..400, 0..300)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn sizes_follow_the_spec(
        audience in audience_strategy(),
        traced in prop::collection::vec(0u64..400, 0..100),
        versions in 1usize..6,
        pc in 1u32..=100,
        seed in any::<u64>(),
    ) {
        let a = plan(seed, versions, pc).assign(&audience, &traced);
        let distinct: BTreeSet<u64> = audience.iter().copied().collect();
        let traced_set: BTreeSet<u64> = traced.iter().copied().collect();
        let n = distinct.len();
        prop_assert_eq!(a.audience_size, n);
        let size = std::cmp::max(n * pc as usize / 100, 1);
        prop_assert_eq!(a.sample_size, size);
        prop_assert_eq!(a.duplicates, audience.len() - n);
        let mut left = distinct.difference(&traced_set).count();
        prop_assert_eq!(a.already_traced, n - left);
        for sample in &a.samples {
            let expected = size.min(left);
            prop_assert_eq!(sample.len(), expected);
            left -= expected;
        }
        prop_assert_eq!(a.remainder.len(), left);
    }

    #[test]
    fn samples_are_disjoint_untraced_and_cover_the_eligible(
        audience in audience_strategy(),
        traced in prop::collection::vec(0u64..400, 0..100),
        versions in 1usize..6,
        pc in 1u32..=100,
        seed in any::<u64>(),
    ) {
        let a = plan(seed, versions, pc).assign(&audience, &traced);
        let traced_set: BTreeSet<u64> = traced.iter().copied().collect();
        let mut seen = BTreeSet::new();
        for id in a.samples.iter().flatten().chain(&a.remainder) {
            prop_assert!(seen.insert(*id), "{} appears twice", id);
            prop_assert!(!traced_set.contains(id));
        }
        let eligible: BTreeSet<u64> =
            audience.iter().copied().filter(|id| !traced_set.contains(id)).collect();
        prop_assert_eq!(seen, eligible);
        // Remainder in audience order = remaining_recipients minus the samples.
        let drawn: BTreeSet<u64> = a.samples.iter().flatten().copied().collect();
        let expected: Vec<u64> = remaining_recipients(&audience, &traced)
            .into_iter()
            .filter(|id| !drawn.contains(id))
            .collect();
        prop_assert_eq!(&a.remainder, &expected);
    }

    #[test]
    fn the_audience_order_does_not_matter(
        audience in audience_strategy(),
        versions in 1usize..5,
        pc in 1u32..=60,
        seed in any::<u64>(),
        rotate in 0usize..300,
    ) {
        let a = plan(seed, versions, pc).assign(&audience, [0u64; 0]);
        let mut shuffled = audience.clone();
        shuffled.reverse();
        if !shuffled.is_empty() {
            let k = rotate % shuffled.len();
            shuffled.rotate_left(k);
        }
        let b = plan(seed, versions, pc).assign(&shuffled, [0u64; 0]);
        prop_assert_eq!(labels(&a, versions), labels(&b, versions));
    }

    #[test]
    fn drawing_one_version_at_a_time_gives_the_same_samples(
        audience in audience_strategy(),
        traced in prop::collection::vec(0u64..400, 0..50),
        versions in 1usize..5,
        pc in 1u32..=60,
        seed in any::<u64>(),
    ) {
        let all = plan(seed, versions, pc).assign(&audience, &traced);
        let mut traced_now = traced.clone();
        for sample in &all.samples {
            let one = plan(seed, 1, pc).assign(&audience, &traced_now);
            prop_assert_eq!(&one.samples[0], sample);
            traced_now.extend(sample);
        }
    }

    #[test]
    fn growing_the_audience_does_not_reshuffle(
        audience in prop::collection::vec(0u64..100_000, 1..300),
        extra in prop::collection::vec(0u64..100_000, 0..40),
        versions in 1usize..5,
        pc in 1u32..=40,
        seed in any::<u64>(),
    ) {
        let before = plan(seed, versions, pc).assign(&audience, [0u64; 0]);
        let mut grown = audience.clone();
        grown.extend(&extra);
        let after = plan(seed, versions, pc).assign(&grown, [0u64; 0]);
        let old = labels(&before, versions);
        let new = labels(&after, versions);
        if after.sample_size == before.sample_size {
            // Newcomers can only push a recipient to a later version or to the remainder; nobody
            // who was not drawn gets drawn.
            for (id, &was) in &old {
                prop_assert!(new[id] >= was, "{} moved from {} to {}", id, was, new[id]);
            }
            // With no newcomer ranked ahead of them, recipients keep their version.
            let drawn_before: BTreeSet<u64> = before.samples.iter().flatten().copied().collect();
            let max_drawn = drawn_before.iter().map(|id| sample_hash(Seed::new(seed), id)).max();
            let newcomers_ahead = extra
                .iter()
                .filter(|id| !old.contains_key(id))
                .any(|id| Some(sample_hash(Seed::new(seed), id)) <= max_drawn);
            if !newcomers_ahead {
                // A newcomer ranked behind them may still fill a sample the old audience left
                // short, so compare each sample's old recipients only.
                for v in 0..versions {
                    let kept: Vec<u64> = after.samples[v]
                        .iter()
                        .copied()
                        .filter(|id| old.contains_key(id))
                        .collect();
                    prop_assert_eq!(&before.samples[v], &kept);
                }
            }
        }
        // Whatever the sizes: among the old recipients, those drawn now are exactly the first
        // ones of the old ranking (nobody is skipped over, nobody jumps the queue).
        let mut old_ranked: Vec<u64> = old.keys().copied().collect();
        old_ranked.sort_by_key(|id| sample_hash(Seed::new(seed), id));
        let drawn_now: Vec<bool> = old_ranked.iter().map(|id| new[id] < versions).collect();
        let first_undrawn = drawn_now.iter().position(|d| !d).unwrap_or(drawn_now.len());
        prop_assert!(drawn_now[first_undrawn..].iter().all(|d| !d));
    }

    #[test]
    fn string_and_integer_ids_work_alike(seed in any::<u64>(), n in 1usize..200, pc in 1u32..=50) {
        let numbers: Vec<u64> = (0..n as u64).collect();
        let names: Vec<String> = numbers.iter().map(|i| format!("contact-{i}")).collect();
        let a = plan(seed, 2, pc).assign(&names, [""; 0]);
        prop_assert_eq!(a.samples[0].len(), sample_size(n, TestShare::new(pc).unwrap()).min(n));
        let again = plan(seed, 2, pc).assign(&names, [""; 0]);
        prop_assert_eq!(a, again);
    }
}

#[test]
fn the_same_seed_gives_the_same_samples_and_another_seed_others() {
    let audience: Vec<u64> = (1..=10_000).collect();
    let a = plan(11, 3, 10).assign(&audience, [0u64; 0]);
    let b = plan(11, 3, 10).assign(&audience, [0u64; 0]);
    let c = plan(12, 3, 10).assign(&audience, [0u64; 0]);
    assert_eq!(a, b);
    assert_ne!(a.samples, c.samples);
    // Different seeds overlap about as much as independent 10% samples do (~10%).
    let a0: BTreeSet<_> = a.samples[0].iter().collect();
    let overlap = c.samples[0].iter().filter(|id| a0.contains(id)).count();
    assert!((50..=160).contains(&overlap), "{overlap}");
}

/// Chi-square statistic of observed counts against a uniform expectation.
fn chi_square(counts: &[u64]) -> f64 {
    let total: u64 = counts.iter().sum();
    let expected = total as f64 / counts.len() as f64;
    counts
        .iter()
        .map(|&c| (c as f64 - expected).powi(2) / expected)
        .sum()
}

#[test]
fn every_recipient_is_equally_likely_to_be_drawn() {
    // 20 recipients, 25% share -> 5 drawn per seed; 4,000 seeds -> 1,000 draws expected each.
    let audience: Vec<u64> = (500..520).collect();
    let mut counts = vec![0u64; audience.len()];
    for seed in 0..4_000u64 {
        let a = plan(seed, 1, 25).assign(&audience, [0u64; 0]);
        assert_eq!(a.samples[0].len(), 5);
        for id in &a.samples[0] {
            counts[(id - 500) as usize] += 1;
        }
    }
    // 19 degrees of freedom: P(chi2 > 43.8) = 0.001.
    let chi2 = chi_square(&counts);
    assert!(chi2 < 43.8, "chi2 = {chi2}, counts = {counts:?}");
}

#[test]
fn versions_are_equally_likely_for_each_recipient() {
    // Each of 12 recipients lands in version 0, 1, 2 or the remainder; with 3 versions of 25%
    // (3 recipients each) every outcome has probability 1/4.
    let audience: Vec<String> = (0..12).map(|i| format!("+3361234{i:04}")).collect();
    let mut counts = vec![[0u64; 4]; audience.len()];
    for seed in 0..3_000u64 {
        let a = plan(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15), 3, 25).assign(&audience, [""; 0]);
        for (v, sample) in a
            .samples
            .iter()
            .chain(std::iter::once(&a.remainder))
            .enumerate()
        {
            for id in sample {
                let pos = audience.iter().position(|x| x == id).unwrap();
                counts[pos][v] += 1;
            }
        }
    }
    for (pos, c) in counts.iter().enumerate() {
        // 3 degrees of freedom: P(chi2 > 16.27) = 0.001.
        let chi2 = chi_square(c);
        assert!(
            chi2 < 16.27,
            "recipient {pos}: chi2 = {chi2}, counts = {c:?}"
        );
    }
}

#[test]
fn pairs_are_drawn_together_as_often_as_chance_says() {
    // Uniform sampling without replacement: each pair of recipients is drawn together with
    // probability k(k-1) / (n(n-1)). 10 recipients, 3 drawn -> 1/15.
    let audience: Vec<u64> = (0..10).collect();
    let mut pair_counts = vec![0u64; 45];
    let seeds = 9_000u64;
    for seed in 0..seeds {
        let a = plan(seed, 1, 30).assign(&audience, [0u64; 0]);
        let s = &a.samples[0];
        assert_eq!(s.len(), 3);
        let mut idx = 0;
        for i in 0..10u64 {
            for j in (i + 1)..10 {
                if s.contains(&i) && s.contains(&j) {
                    pair_counts[idx] += 1;
                }
                idx += 1;
            }
        }
    }
    // 44 degrees of freedom: P(chi2 > 78.75) = 0.001.
    let chi2 = chi_square(&pair_counts);
    assert!(chi2 < 78.75, "chi2 = {chi2}");
}

#[test]
fn a_large_audience_is_drawn_quickly_and_exactly() {
    let audience: Vec<u64> = (0..200_000).collect();
    let traced: Vec<u64> = (0..200_000).step_by(7).collect();
    let a = plan(99, 2, 10).assign(&audience, &traced);
    assert_eq!(a.samples[0].len(), 20_000);
    assert_eq!(a.samples[1].len(), 20_000);
    assert_eq!(a.remainder.len(), 200_000 - traced.len() - 40_000);
}

#[test]
fn a_plan_has_a_bounded_number_of_versions() {
    use smskit_abtest::{Error, MAX_VERSIONS};
    // usize::MAX versions used to be accepted, and drawing them aborted on a capacity overflow.
    for versions in [MAX_VERSIONS + 1, usize::MAX - 1, usize::MAX] {
        assert_eq!(
            SamplePlan::new(Seed::new(1), versions),
            Err(Error::TooManyVersions {
                versions,
                max: MAX_VERSIONS
            })
        );
    }
    let plan = SamplePlan::new(Seed::new(1), MAX_VERSIONS).unwrap();
    assert_eq!(plan.versions(), MAX_VERSIONS);
    let drawn = plan.assign(&[1u64, 2, 3], [0u64; 0]);
    assert_eq!(drawn.samples.len(), MAX_VERSIONS);
    assert_eq!(drawn.samples.iter().flatten().count(), 3);
}

#[test]
fn sample_sizes_are_exact_up_to_the_largest_audience() {
    let share = |p| TestShare::new(p).unwrap();
    assert_eq!(sample_size(usize::MAX, share(100)), usize::MAX);
    assert_eq!(sample_size(usize::MAX, share(50)), usize::MAX / 2);
    assert_eq!(sample_size(usize::MAX, share(1)), usize::MAX / 100);
    assert_eq!(sample_size(199, share(1)), 1);
    assert_eq!(sample_size(250, share(33)), 82);
}
