//! `smskit demo`: a whole campaign on the built-in data, end to end on the binary.

mod common;
use common::{code, smskit, stderr, stdout};

fn scratch(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("smskit-demo-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

#[test]
fn the_demo_runs_a_campaign_and_writes_every_message_to_the_outbox() {
    let dir = scratch("json");
    let report = smskit(&["demo", "--outbox", dir.to_str().unwrap(), "--json"]).json();
    let mailings = report["mailings"].as_array().unwrap();
    let roles: Vec<&str> = mailings
        .iter()
        .map(|m| m["role"].as_str().unwrap())
        .collect();
    assert_eq!(
        roles,
        [
            "A/B version",
            "A/B version",
            "winner to the rest",
            "filter: city = Gent"
        ]
    );
    let sent: u64 = mailings
        .iter()
        .map(|m| m["counts"]["sent"].as_u64().unwrap())
        .sum();
    let files = std::fs::read_dir(&dir).unwrap().count() as u64;
    assert_eq!(report["messages_written"].as_u64(), Some(files));
    assert_eq!(sent, files, "one file per message that left");
    // The versions split 20% + 20% of 500; the winner goes to the other 300.
    let expected: Vec<u64> = mailings
        .iter()
        .map(|m| m["counts"]["expected"].as_u64().unwrap())
        .collect();
    assert_eq!(&expected[..3], &[100, 100, 300]);
    // Every kind of exclusion the sample data holds shows up.
    let excluded: Vec<&str> = report["excluded"]
        .as_array()
        .unwrap()
        .iter()
        .map(|pair| pair[0].as_str().unwrap())
        .collect();
    for failure in [
        "sms_blacklist",
        "sms_duplicate",
        "sms_number_format",
        "sms_number_missing",
        "sms_optout",
    ] {
        assert!(excluded.contains(&failure), "{failure} in {excluded:?}");
    }
    assert_eq!(report["winner"], "B: free gift");
    // Each message carries a personal short link and the opt-out line.
    let any = std::fs::read_dir(&dir).unwrap().next().unwrap().unwrap();
    let stored: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(any.path()).unwrap()).unwrap();
    let body = stored["body"].as_str().unwrap();
    assert!(body.contains("https://sho.rt/r/"), "{body}");
    assert!(body.contains("\nSTOP SMS: https://sho.rt/sms/"), "{body}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn the_same_seed_gives_the_same_figures() {
    let run = |name: &str, seed: &str| {
        let dir = scratch(name);
        let mut report = smskit(&[
            "demo",
            "--outbox",
            dir.to_str().unwrap(),
            "--seed",
            seed,
            "--json",
        ])
        .json();
        report["outbox"] = serde_json::Value::Null;
        std::fs::remove_dir_all(&dir).unwrap();
        report
    };
    assert_eq!(run("a", "7"), run("b", "7"));
    assert_ne!(run("c", "7"), run("d", "8"));
}

#[test]
fn the_table_names_the_winner_and_the_outbox() {
    let dir = scratch("table");
    let output = smskit(&["demo", "--outbox", dir.to_str().unwrap()]).output();
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    let text = stdout(&output);
    assert!(text.contains("Winner by clicks: B: free gift"), "{text}");
    assert!(text.contains("Excluded before sending:"), "{text}");
    assert!(text.contains(dir.to_str().unwrap()), "{text}");
    std::fs::remove_dir_all(&dir).unwrap();
}
