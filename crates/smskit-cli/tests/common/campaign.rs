//! The campaign acceptance flows, run by the binary over one database step by step as an
//! operator runs them: `tests/campaign.rs` runs them on SQLite, `tests/postgres.rs` on
//! PostgreSQL.

use super::twilio::{Answer, FakeTwilio, SID};
use super::{Run, Scratch, code, stderr};

use std::collections::HashMap;
use std::process::Stdio;
use std::time::{Duration, Instant};

use serde_json::{Value, json};

/// Twilio credentials in the environment of a run.
fn twilio(run: Run) -> Run {
    run.env("TWILIO_ACCOUNT_SID", SID)
        .env("TWILIO_AUTH_TOKEN", "secret-token")
}

const CONTACTS: &str = "\
name,phone,country,city
Ana,+32470000001,,Gent
Bram,0470 00 00 02,,Antwerpen
Chloé,+32470000003,,Gent
Dries,+32470000004,,Gent
Emma,+32470000005,,Brussel
Fien,+32470000006,,Gent
Gust,+32 470 00 00 01,,Gent
Hanne,,,Gent
Ilias,12,,Gent
Jana,+33612345610,FR,Lille
Kobe,+32470000011,,Gent
";

/// Runs a whole campaign over the database of `scratch` (an empty one): import, blacklist,
/// opt-out, create, send through a fake Twilio answering 429, 500 and 21610, delivery reports,
/// stats, traces, a second send and a retry, checking every count.
pub(crate) fn whole_campaign(scratch: &Scratch) {
    let contacts = scratch.file("contacts.csv", CONTACTS);
    let import = scratch
        .smskit(&[
            "contacts",
            "import",
            &contacts,
            "--country",
            "BE",
            "--list",
            "Newsletter",
            "--json",
        ])
        .json();
    assert_eq!(
        import,
        json!({"created": 11, "updated": 0, "unchanged": 0, "errors": [], "list": 1})
    );

    let blacklisted = scratch
        .smskit(&[
            "blacklist",
            "add",
            "+32470000005",
            "--reason",
            "replied STOP",
            "--json",
        ])
        .json();
    assert_eq!(blacklisted["added"], json!(["+32470000005"]));
    let opted = scratch
        .smskit(&[
            "lists",
            "optout",
            "Newsletter",
            "0470 00 00 06",
            "--country",
            "BE",
            "--json",
        ])
        .json();
    assert_eq!(opted["opted_out"].as_array().unwrap().len(), 1);

    let created = scratch
        .smskit(&[
            "mailing",
            "create",
            "--name",
            "Spring sale",
            "--list",
            "Newsletter",
            "--body",
            "Hi {{ object.name }} from {{ object.city ||| us }}: -20% this week!",
            "--campaign",
            "Spring",
            "--json",
        ])
        .json();
    let id = created["id"].as_i64().unwrap().to_string();

    let server = FakeTwilio::start(
        &[
            ("+32470000002", Answer::ThrottleOnce),
            ("+32470000003", Answer::ServerError),
            ("+32470000004", Answer::Unsubscribed),
        ],
        Duration::ZERO,
    );
    let output = twilio(scratch.smskit(&[
        "mailing",
        "send",
        &id,
        "--provider",
        "twilio",
        "--api-base",
        &server.base,
        "--from",
        "+32460200000",
        "--json",
    ]))
    .output();
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    let summary: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(summary["state"], "sent");
    assert_eq!(
        summary["prepared"],
        json!({"traces": 11, "outgoing": 6, "canceled": {
            "sms_blacklist": 1, "sms_duplicate": 1, "sms_number_format": 1,
            "sms_number_missing": 1, "sms_optout": 1,
        }})
    );
    assert_eq!(
        summary["sent"],
        json!({"accepted": 4, "failed": 1, "unknown": 1, "segments": 4, "abandoned": 0, "blacklisted": 1})
    );
    // The recipient who replied STOP to the sender (21610) is blacklisted for what follows.
    assert_eq!(summary["blacklisted"], 1);
    let blacklisted = scratch
        .smskit(&["blacklist", "add", "+32470000004", "--json"])
        .json();
    assert_eq!(blacklisted["unchanged"], json!(["+32470000004"]));

    // The throttled number was tried again and went through; the 500 and the 21610 were not.
    assert_eq!(server.requests_to("+32470000002"), 2);
    assert_eq!(server.requests_to("+32470000003"), 1);
    assert_eq!(server.requests_to("+32470000004"), 1);
    assert_eq!(server.requests().len(), 7);
    assert_eq!(
        server.body_to("+32470000011").as_deref(),
        Some("Hi Kobe from Gent: -20% this week!")
    );
    let sids = server.accepted();
    assert_eq!(sids.len(), 4);

    // Delivery reports, replayed by the operator.
    let report = |number: &str, status: &str, extra: &[&str]| {
        let sid = format!("MessageSid={}", sids[number]);
        let status = format!("MessageStatus={status}");
        let mut args = vec!["report", "twilio", "--param", &sid, "--param", &status];
        args.extend_from_slice(extra);
        args.push("--json");
        scratch.smskit(&args).json()
    };
    for number in ["+32470000001", "+32470000002"] {
        assert!(report(number, "delivered", &[])["trace"].is_i64());
    }
    let bounced = report(
        "+33612345610",
        "undelivered",
        &["--param", "ErrorCode=30003"],
    );
    assert_eq!(bounced["status"], "error");
    assert_eq!(bounced["failure_type"], "sms_invalid_destination");
    // Twilio's `sent` (handed to the carrier) is what the trace says already: no news.
    assert_eq!(report("+32470000011", "sent", &[])["trace"], Value::Null);
    // A late `sent` never downgrades a delivered message.
    assert_eq!(report("+32470000001", "sent", &[])["trace"], Value::Null);

    let stats = scratch.smskit(&["mailing", "stats", &id, "--json"]).json();
    for (key, value) in [
        ("expected", json!(11)),
        ("canceled", json!(5)),
        ("scheduled", json!(0)),
        // Ana, Bram, Chloé (unknown: may have left), Jana, Kobe.
        ("sent", json!(5)),
        ("delivered", json!(2)),
        ("clicked", json!(0)),
        ("replied", json!(0)),
        ("bounced", json!(0)),
        // Chloé (unknown), Dries (21610), Jana (undelivered).
        ("failed", json!(3)),
        // 2 / (11 - 5)
        ("received_ratio", json!(33.33)),
        // 0 / (11 - 5 - 0 - 3)
        ("clicks_ratio", json!(0.0)),
        ("bounced_ratio", json!(0.0)),
        // 3 / 6
        ("failed_ratio", json!(50.0)),
    ] {
        assert_eq!(stats[key], value, "{key} in {stats}");
    }

    let traces = scratch.smskit(&["mailing", "traces", &id, "--json"]).json();
    let by_name: HashMap<&str, &Value> = traces
        .as_array()
        .unwrap()
        .iter()
        .map(|trace| (trace["name"].as_str().unwrap(), trace))
        .collect();
    let expect = |name: &str, number: Value, status: &str, failure: Value| {
        let trace = by_name[name];
        assert_eq!(trace["number"], number, "{name}: {trace}");
        assert_eq!(trace["status"], status, "{name}: {trace}");
        assert_eq!(trace["failure_type"], failure, "{name}: {trace}");
    };
    expect("Ana", json!("+32470000001"), "sent", Value::Null);
    expect("Bram", json!("+32470000002"), "sent", Value::Null);
    expect("Chloé", json!("+32470000003"), "error", json!("unknown"));
    expect("Dries", json!("+32470000004"), "error", json!("sms_optout"));
    expect(
        "Emma",
        json!("+32470000005"),
        "cancel",
        json!("sms_blacklist"),
    );
    expect("Fien", json!("+32470000006"), "cancel", json!("sms_optout"));
    expect(
        "Gust",
        json!("+32470000001"),
        "cancel",
        json!("sms_duplicate"),
    );
    expect("Hanne", Value::Null, "cancel", json!("sms_number_missing"));
    expect("Ilias", json!("12"), "cancel", json!("sms_number_format"));
    expect(
        "Jana",
        json!("+33612345610"),
        "error",
        json!("sms_invalid_destination"),
    );
    expect("Kobe", json!("+32470000011"), "pending", Value::Null);
    assert_eq!(
        by_name["Ana"]["provider_message_id"].as_str(),
        Some(sids["+32470000001"].as_str())
    );
    assert_eq!(by_name["Chloé"]["provider_message_id"], Value::Null);
    assert_eq!(traces.as_array().unwrap().len(), 11);

    // Sending again changes nothing: nothing is left to send, nothing is sent twice.
    let again = twilio(scratch.smskit(&[
        "mailing",
        "send",
        &id,
        "--provider",
        "twilio",
        "--api-base",
        &server.base,
        "--from",
        "+32460200000",
        "--json",
    ]))
    .json();
    assert_eq!(again["sent"]["accepted"], 0);
    assert_eq!(server.requests().len(), 7);

    // Retrying resends the failures a resend can fix (the undelivered one, its handset was
    // unreachable); never the 21610 (its owner replied STOP); the unknown one, which may have
    // been delivered, only when asked.
    let retried = twilio(scratch.smskit(&[
        "mailing",
        "retry",
        &id,
        "--provider",
        "twilio",
        "--api-base",
        &server.base,
        "--from",
        "+32460200000",
        "--json",
    ]))
    .json();
    assert_eq!(retried["requeued"], 1, "{retried}");
    assert_eq!(server.requests_to("+32470000003"), 1);
    assert_eq!(server.requests_to("+32470000004"), 1);
    assert_eq!(server.requests_to("+33612345610"), 2);
    assert_eq!(retried["send"]["sent"]["accepted"], 1, "{retried}");
}

/// Kills (SIGKILL) a send over the database of `scratch` (an empty one) in the middle, runs
/// it again, and checks that no number was sent twice and every trace has one outcome.
///
/// `shared`: the database may have other senders (PostgreSQL), so a plain resume leaves the
/// killed run's claims alone (they could be another worker's, live); the operator who knows
/// the run is dead resumes with `--claim-lease 0`.
#[cfg(unix)]
pub(crate) fn killed_send_resumes(scratch: &Scratch, shared: bool) {
    const CONTACTS: usize = 300;
    let mut csv = String::from("name,phone\n");
    for i in 0..CONTACTS {
        csv.push_str(&format!("Contact {i:03},+3247100{i:04}\n"));
    }
    let contacts = scratch.file("contacts.csv", &csv);
    scratch
        .smskit(&["contacts", "import", &contacts, "--list", "All"])
        .ok();
    let id = scratch
        .smskit(&[
            "mailing", "create", "--name", "Big", "--list", "All", "--body", "Hello",
        ])
        .ok();
    let id = id.trim();
    // Slow enough that the kill lands in the middle: 300 messages, 4 at a time, 15 ms each.
    let server = FakeTwilio::start(&[], Duration::from_millis(15));
    let args = [
        "mailing",
        "send",
        id,
        "--provider",
        "twilio",
        "--api-base",
        &server.base,
        "--from",
        "+32460200000",
        "--batch-size",
        "10",
        "--json",
        "--db",
        &scratch.db(),
    ];
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_smskit"))
        .args(args)
        .env("TWILIO_ACCOUNT_SID", SID)
        .env("TWILIO_AUTH_TOKEN", "secret-token")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(60);
    while server.requests().len() < 100 {
        assert!(Instant::now() < deadline, "the send never got going");
        assert!(
            child.try_wait().unwrap().is_none(),
            "the send ended before the kill"
        );
        std::thread::sleep(Duration::from_millis(5));
    }
    child.kill().unwrap(); // SIGKILL: no chance to record anything
    child.wait().unwrap();
    let before_resume = server.requests().len();
    assert!(before_resume < CONTACTS, "killed too late: {before_resume}");

    let resume = |extra: &[&str]| {
        let args = [
            "mailing",
            "send",
            id,
            "--provider",
            "twilio",
            "--api-base",
            &server.base,
            "--from",
            "+32460200000",
            "--batch-size",
            "10",
            "--json",
        ];
        twilio(scratch.smskit(&[&args[..], extra].concat())).json()
    };
    if shared {
        let resumed = resume(&[]);
        assert_eq!(resumed["sent"]["abandoned"], 0, "{resumed}");
        let traces = scratch.smskit(&["mailing", "traces", id, "--json"]).json();
        let claimed = traces
            .as_array()
            .unwrap()
            .iter()
            .filter(|trace| trace["status"] == "process")
            .count();
        assert!(claimed <= 10, "{claimed} claimed");
        if claimed > 0 {
            assert_eq!(resumed["state"], "sending", "{resumed}");
        }
    }
    let resumed = resume(&["--claim-lease", "0"]);
    assert_eq!(resumed["state"], "sent", "{resumed}");
    let abandoned = resumed["sent"]["abandoned"].as_u64().unwrap();
    // Only the batch in flight is in doubt.
    assert!(abandoned <= 10, "{resumed}");

    // No number received twice.
    let mut per_number: HashMap<String, usize> = HashMap::new();
    for to in server.requests() {
        *per_number.entry(to).or_default() += 1;
    }
    let twice: Vec<_> = per_number.iter().filter(|(_, n)| **n > 1).collect();
    assert!(twice.is_empty(), "sent twice: {twice:?}");

    // Every trace has one final outcome: accepted, or unknown for the interrupted batch.
    let traces = scratch.smskit(&["mailing", "traces", id, "--json"]).json();
    let traces = traces.as_array().unwrap();
    assert_eq!(traces.len(), CONTACTS);
    let mut unknown = 0;
    for trace in traces {
        let number = trace["number"].as_str().unwrap();
        match (
            trace["status"].as_str().unwrap(),
            trace["failure_type"].as_str(),
        ) {
            ("pending", None) => assert_eq!(per_number.get(number), Some(&1), "{trace}"),
            ("error", Some("unknown")) => unknown += 1,
            other => panic!("not a final outcome: {other:?} in {trace}"),
        }
    }
    assert_eq!(unknown, abandoned);
    let stats = scratch.smskit(&["mailing", "stats", id, "--json"]).json();
    assert_eq!(stats["scheduled"], 0);
    assert_eq!(stats["failed"].as_u64(), Some(abandoned));
    // Every accepted message reached the server once; the unknown ones may or may not have.
    let accepted = CONTACTS as u64 - abandoned;
    assert!(server.requests().len() as u64 >= accepted);
    assert!(server.requests().len() as u64 <= CONTACTS as u64);
}
