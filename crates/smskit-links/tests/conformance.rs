//! Runs the conformance vectors of `testdata/rewrite.jsonl`.

use serde_json::Value;
use smskit_links::{MemoryLinkStore, Shortener, Tracking, Utm};

fn str_field<'a>(case: &'a Value, key: &str) -> Option<&'a str> {
    case.get(key).and_then(Value::as_str)
}

fn tracking(case: &Value) -> Tracking {
    let mut tracking = Tracking::new();
    if let Some(t) = case.get("tracking") {
        let utm = t.get("utm");
        let field = |k: &str| {
            utm.and_then(|u| u.get(k))
                .and_then(Value::as_str)
                .unwrap_or("")
        };
        tracking = tracking.with_utm(
            Utm::new()
                .with_campaign(field("campaign"))
                .with_source(field("source"))
                .with_medium(field("medium")),
        );
        if let Some(m) = t.get("mailing").and_then(Value::as_str) {
            tracking = tracking.with_mailing(m);
        }
    }
    tracking
}

#[test]
fn rewrite_vectors() {
    let data = include_str!("../testdata/rewrite.jsonl");
    let mut failures = Vec::new();
    let mut count = 0;
    for (line_no, line) in data
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
    {
        count += 1;
        let case: Value = serde_json::from_str(line).unwrap();
        let name = str_field(&case, "name").unwrap();
        let text = str_field(&case, "text").unwrap();
        let base = str_field(&case, "base").unwrap_or("https://sho.rt");
        let mut shortener = Shortener::new(base).unwrap();
        for prefix in case
            .get("exclude_prefix")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            shortener = shortener.exclude_prefix(prefix.as_str().unwrap());
        }
        let mut store = MemoryLinkStore::seeded(line_no as u64);
        let rewritten = shortener
            .rewrite(text, &tracking(&case), &mut store)
            .unwrap();

        let mut expected = str_field(&case, "expected").unwrap().to_owned();
        for (i, link) in rewritten.links().iter().enumerate() {
            expected = expected.replace(&format!("<<{i}>>"), &link.short_url);
        }
        if rewritten.text() != expected {
            failures.push(format!(
                "{name}: text {:?}, expected {expected:?}",
                rewritten.text()
            ));
        }
        let urls: Vec<&str> = rewritten.links().iter().map(|l| l.url.as_str()).collect();
        let want: Vec<&str> = case["urls"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap())
            .collect();
        if urls != want {
            failures.push(format!("{name}: urls {urls:?}, expected {want:?}"));
        }
        if let Some(targets) = case.get("targets").and_then(Value::as_array) {
            let got: Vec<&str> = rewritten.links().iter().map(|l| l.link.target()).collect();
            let want: Vec<&str> = targets.iter().map(|v| v.as_str().unwrap()).collect();
            if got != want {
                failures.push(format!("{name}: targets {got:?}, expected {want:?}"));
            }
        }
        let warnings = case.get("warnings").and_then(Value::as_u64).unwrap_or(0) as usize;
        if rewritten.warnings().len() != warnings {
            failures.push(format!(
                "{name}: warnings {:?}, expected {warnings}",
                rewritten.warnings()
            ));
        }
        // Idempotent on its own output.
        let again = shortener
            .rewrite(rewritten.text(), &tracking(&case), &mut store)
            .unwrap();
        if again.text() != rewritten.text() || !again.links().is_empty() {
            failures.push(format!("{name}: not idempotent: {:?}", again.text()));
        }
    }
    assert!(count >= 50, "only {count} vectors");
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
