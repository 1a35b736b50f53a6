//! Runs the conformance vectors of `testdata/cases.jsonl` against the datasets of
//! `testdata/datasets/`. Each line has a `reason`, a `domain` and one expectation:
//! `ids` (with `model`, optional `dataset` and `now`), `error` (the variant name, with an
//! optional byte `offset`), or the text of `print`, `normalize`, `distribute_not`,
//! `simplify`.

#![cfg(feature = "serde")]

use std::collections::HashMap;
use std::path::Path;

use chrono::{DateTime, Utc};
use serde_json::Value;
use smskit_filter::{CheckOptions, Dataset, Domain, Error, Plan};

fn datasets() -> HashMap<String, Dataset> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/datasets");
    let mut out = HashMap::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_stem().unwrap().to_string_lossy().into_owned();
        let text = std::fs::read_to_string(&path).unwrap();
        out.insert(name, text.parse::<Dataset>().unwrap());
    }
    out
}

fn variant(error: &Error) -> String {
    let debug = format!("{error:?}");
    debug
        .split(|c: char| !c.is_alphanumeric())
        .next()
        .unwrap_or_default()
        .to_owned()
}

fn default_now() -> DateTime<Utc> {
    "2024-05-01T09:30:00Z".parse().unwrap()
}

#[test]
fn conformance_vectors() {
    let datasets = datasets();
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/cases.jsonl");
    let text = std::fs::read_to_string(path).unwrap();
    let mut failures = Vec::new();
    let mut count = 0;
    for (number, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        count += 1;
        let case: Value = serde_json::from_str(line).unwrap();
        let reason = case["reason"].as_str().unwrap();
        let domain_text = case["domain"].as_str().unwrap();
        let label = format!("line {}: {reason}: {domain_text}", number + 1);
        let parsed = smskit_filter::parse(domain_text);
        let outcome: Result<String, String> = (|| {
            if let Some(expected) = case.get("error").and_then(Value::as_str) {
                let error = match parsed {
                    Err(error) => error,
                    Ok(domain) => {
                        let dataset = &datasets[case
                            .get("dataset")
                            .and_then(Value::as_str)
                            .unwrap_or("partners")];
                        let model = case
                            .get("model")
                            .and_then(Value::as_str)
                            .unwrap_or("res.partner");
                        let mut options = CheckOptions::new();
                        if case.get("now").is_none_or(|n| !n.is_null()) {
                            options = options.with_now(default_now());
                        }
                        match Plan::with_options(dataset.schema(), model, &domain, &options) {
                            Ok(_) => return Err(format!("expected error {expected}, got a plan")),
                            Err(error) => error,
                        }
                    }
                };
                if variant(&error) != expected {
                    return Err(format!("expected error {expected}, got {error}"));
                }
                if let Some(offset) = case.get("offset").and_then(Value::as_u64) {
                    let got = error.location().map(|l| l.offset());
                    if got != Some(offset as usize) {
                        return Err(format!(
                            "expected the error at byte {offset}, got {got:?}:\n{error}"
                        ));
                    }
                }
                return Ok(String::new());
            }
            let domain: Domain = parsed.map_err(|e| format!("unexpected parse error: {e}"))?;
            // Every domain of the suite also prints back to itself.
            let reparsed =
                smskit_filter::parse(&domain.to_string()).map_err(|e| format!("reprint: {e}"))?;
            if reparsed != domain {
                return Err(format!(
                    "print/parse round trip changed the domain: {domain}"
                ));
            }
            for (key, produced) in [
                ("print", domain.to_string()),
                ("normalize", domain.normalize().to_string()),
                ("distribute_not", domain.distribute_not().to_string()),
                ("simplify", domain.simplify().to_string()),
            ] {
                if let Some(expected) = case.get(key).and_then(Value::as_str)
                    && produced != expected
                {
                    return Err(format!("{key}: expected {expected}, got {produced}"));
                }
            }
            if let Some(expected) = case.get("ids") {
                let expected: Vec<i64> = serde_json::from_value(expected.clone()).unwrap();
                let dataset = &datasets[case
                    .get("dataset")
                    .and_then(Value::as_str)
                    .unwrap_or("partners")];
                let model = case["model"].as_str().unwrap();
                let now = case
                    .get("now")
                    .and_then(Value::as_str)
                    .map_or_else(default_now, |n| n.parse().unwrap());
                let options = CheckOptions::new().with_now(now);
                let plan = Plan::with_options(dataset.schema(), model, &domain, &options)
                    .map_err(|e| format!("unexpected check error: {e}"))?;
                let got = plan.filter(dataset);
                if got != expected {
                    return Err(format!("expected {expected:?}, got {got:?}\n{plan}"));
                }
                // The normalised and simplified domains select the same records.
                for rewritten in [domain.normalize(), domain.simplify()] {
                    let plan = Plan::with_options(dataset.schema(), model, &rewritten, &options)
                        .map_err(|e| format!("rewritten domain: {e}"))?;
                    if plan.filter(dataset) != expected {
                        return Err(format!("the rewrite {rewritten} selects other records"));
                    }
                }
            }
            Ok(String::new())
        })();
        if let Err(message) = outcome {
            failures.push(format!("{label}\n  {message}"));
        }
    }
    assert!(count > 200, "only {count} cases");
    assert!(
        failures.is_empty(),
        "{} of {count} cases failed:\n\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}
