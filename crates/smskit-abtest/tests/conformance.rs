//! Conformance vectors in `testdata/`, produced by an independent implementation
//! (`testdata/generate_vectors.py`: a from-scratch Python SipHash-2-4 and the documented ranking
//! rules; mpmath at 50 digits and exact rationals for the statistics).

use serde_json::Value;
use smskit_abtest::{
    Alpha, MeanSummary, Proportion, SamplePlan, SampleSizePlan, Seed, TestShare, probability_best,
    sample_hash, two_proportion_z_test, welch_t_test, wilson_interval,
};

fn load(name: &str) -> Value {
    let path = format!("{}/testdata/{name}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    serde_json::from_str(&text).unwrap()
}

/// Checks `actual` against the number `case[key]` to relative error `rel`.
fn check(case: &Value, key: &str, actual: f64, rel: f64) {
    let expected = case[key].as_f64().unwrap();
    let scale = expected.abs().max(1e-300);
    assert!(
        actual == expected || (actual - expected).abs() / scale <= rel,
        "{key} {case}: got {actual:e}, expected {expected:e}"
    );
}

/// An id from the JSON: unsigned, signed or string.
#[derive(Debug, Clone, PartialEq)]
enum Id {
    U(u64),
    I(i64),
    S(String),
}

impl smskit_abtest::SampleId for Id {
    fn with_sample_bytes<R>(&self, f: impl FnOnce(&[u8]) -> R) -> R {
        match self {
            Id::U(v) => v.with_sample_bytes(f),
            Id::I(v) => v.with_sample_bytes(f),
            Id::S(v) => v.with_sample_bytes(f),
        }
    }
}

fn id(v: &Value) -> Id {
    if let Some(u) = v.as_u64() {
        Id::U(u)
    } else if let Some(i) = v.as_i64() {
        Id::I(i)
    } else {
        Id::S(v.as_str().unwrap().to_owned())
    }
}

fn ids(v: &Value) -> Vec<Id> {
    v.as_array().unwrap().iter().map(id).collect()
}

#[test]
fn sample_hash_golden_vectors() {
    let data = load("sampling.json");
    let hashes = data["hashes"].as_array().unwrap();
    assert!(hashes.len() >= 100);
    for case in hashes {
        let seed = Seed::new(case["seed"].as_u64().unwrap());
        let expected = u64::from_str_radix(case["hash"].as_str().unwrap(), 16).unwrap();
        let record = id(&case["id"]);
        assert_eq!(sample_hash(seed, &record), expected, "{case}");
        // The same value through the native types.
        match record {
            Id::U(u) => assert_eq!(sample_hash(seed, &u), expected),
            Id::I(i) => assert_eq!(sample_hash(seed, &i), expected),
            Id::S(s) => {
                assert_eq!(sample_hash(seed, s.as_str()), expected);
                assert_eq!(sample_hash(seed, &s), expected);
            }
        }
    }
}

#[test]
fn assignment_golden_vectors() {
    let data = load("sampling.json");
    for case in data["assignments"].as_array().unwrap() {
        let name = case["name"].as_str().unwrap();
        let plan = SamplePlan::new(
            Seed::new(case["seed"].as_u64().unwrap()),
            case["versions"].as_u64().unwrap() as usize,
        )
        .unwrap()
        .with_share(TestShare::new(case["pc"].as_u64().unwrap() as u32).unwrap());
        let audience = ids(&case["audience"]);
        let traced = ids(&case["traced"]);
        let drawn = plan.assign(&audience, &traced);
        let expected: Vec<Vec<Id>> = case["samples"]
            .as_array()
            .unwrap()
            .iter()
            .map(ids)
            .collect();
        assert_eq!(drawn.samples, expected, "{name}");
        assert_eq!(drawn.remainder, ids(&case["remainder"]), "{name}");
        // Drawing the versions one at a time, tracing as we go, gives the same samples.
        let mut traced_so_far = traced.clone();
        for (v, sample) in expected.iter().enumerate() {
            let single = SamplePlan::new(plan.seed(), 1)
                .unwrap()
                .with_share(plan.share());
            let one = single.assign(&audience, &traced_so_far);
            assert_eq!(&one.samples[0], sample, "{name}: version {v} drawn alone");
            traced_so_far.extend(sample.iter().cloned());
        }
    }
}

fn alpha(v: &Value) -> Alpha {
    Alpha::new(v.as_f64().unwrap()).unwrap()
}

fn proportion(v: &Value) -> Proportion {
    Proportion::new(v[0].as_u64().unwrap(), v[1].as_u64().unwrap()).unwrap()
}

#[test]
fn wilson_vectors() {
    for case in load("statistics.json")["wilson"].as_array().unwrap() {
        let p = Proportion::new(
            case["successes"].as_u64().unwrap(),
            case["trials"].as_u64().unwrap(),
        )
        .unwrap();
        let ci = wilson_interval(p, alpha(&case["alpha"]));
        check(case, "low", ci.low, 1e-12);
        check(case, "high", ci.high, 1e-12);
    }
}

#[test]
fn z_test_vectors() {
    for case in load("statistics.json")["z_test"].as_array().unwrap() {
        let t = two_proportion_z_test(
            proportion(&case["a"]),
            proportion(&case["b"]),
            alpha(&case["alpha"]),
        );
        check(case, "z", t.z, 1e-12);
        check(case, "p_value", t.p_value, 1e-10);
        check(case, "low", t.interval.low, 1e-10);
        check(case, "high", t.interval.high, 1e-10);
    }
}

#[test]
fn welch_vectors() {
    for case in load("statistics.json")["welch"].as_array().unwrap() {
        let summary = |v: &Value| {
            MeanSummary::new(
                v[0].as_f64().unwrap(),
                v[1].as_f64().unwrap(),
                v[2].as_u64().unwrap(),
            )
            .unwrap()
        };
        let t = welch_t_test(
            &summary(&case["a"]),
            &summary(&case["b"]),
            alpha(&case["alpha"]),
        )
        .unwrap();
        check(case, "t", t.t, 1e-12);
        check(case, "df", t.df, 1e-12);
        check(case, "p_value", t.p_value, 1e-10);
        check(case, "low", t.interval.low, 1e-10);
        check(case, "high", t.interval.high, 1e-10);
    }
}

#[test]
fn probability_best_vectors() {
    for case in load("statistics.json")["probability_best"]
        .as_array()
        .unwrap()
    {
        let versions: Vec<Proportion> = case["versions"]
            .as_array()
            .unwrap()
            .iter()
            .map(proportion)
            .collect();
        let got = probability_best(&versions).unwrap();
        let expected = case["probability_best"].as_array().unwrap();
        for (g, e) in got.iter().zip(expected) {
            let e = e.as_f64().unwrap();
            assert!((g - e).abs() < 1e-9, "{case}: {got:?}");
        }
    }
}

#[test]
fn sample_size_vectors() {
    for case in load("statistics.json")["sample_size"].as_array().unwrap() {
        let plan = SampleSizePlan::new(
            case["baseline"].as_f64().unwrap(),
            case["mde"].as_f64().unwrap(),
        )
        .with_alpha(alpha(&case["alpha"]))
        .with_power(case["power"].as_f64().unwrap());
        assert_eq!(
            plan.per_version().unwrap(),
            case["per_version"].as_u64().unwrap(),
            "{case}"
        );
    }
}
