//! The campaign commands one by one: their JSON shapes, their errors and exit codes, over a
//! database that lives from one run to the next. Each flow takes an empty database;
//! [`every_command_test!`] makes a test of each, which `tests/commands.rs` runs on SQLite and
//! `tests/postgres.rs` on PostgreSQL.

use super::{Scratch, code, stderr, stdout};

use serde_json::{Value, json};

/// Fills the database of `scratch` with the Newsletter list of three contacts (Ana, Bo, Cy with
/// a bad number).
fn newsletter(scratch: &Scratch) {
    let file = scratch.file(
        "contacts.csv",
        "name,phone,city\nAna,+32470000001,Gent\nBo,+32470000002,Lille\nCy,n/a,Gent\n",
    );
    scratch
        .smskit(&["contacts", "import", &file, "--list", "Newsletter"])
        .ok();
}

pub(crate) fn contacts_import_reports_created_updated_and_malformed_rows(scratch: &Scratch) {
    newsletter(scratch);
    let file = scratch.file(
        "more.csv",
        "name,phone\r\nANA,+32 470 00 00 01\r\nDi\r\nEd,+32470000005\r\n",
    );
    let output = scratch
        .smskit(&["contacts", "import", &file, "--json"])
        .output();
    assert_eq!(code(&output), 1, "a malformed row exits 1");
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(report["created"], 1);
    assert_eq!(report["updated"], 1);
    assert_eq!(
        report["errors"],
        json!([{"line": 3, "reason": "1 field where the header has 2"}])
    );
    assert_eq!(report["unchanged"], 0);
    let all = scratch.smskit(&["contacts", "list", "--json"]).json();
    assert_eq!(all.as_array().unwrap().len(), 4);
    // Ana took the row's spelling and kept her field.
    assert_eq!(all[0]["name"], "ANA");
    assert_eq!(all[0]["phone"], "+32 470 00 00 01");
    assert_eq!(all[0]["fields"], json!({"city": "Gent"}));
    // The same file again changes nothing.
    let output = scratch
        .smskit(&["contacts", "import", &file, "--json"])
        .output();
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(
        (report["created"].as_u64(), report["unchanged"].as_u64()),
        (Some(0), Some(2))
    );

    let bad = scratch.file("bad.csv", "name,mobile\nAna,+32470000001\n");
    let output = scratch.smskit(&["contacts", "import", &bad]).output();
    assert_eq!(code(&output), 2);
    assert!(
        stderr(&output).contains("no `phone` column"),
        "{}",
        stderr(&output)
    );
    let output = scratch
        .smskit(&[
            "contacts",
            "import",
            &scratch.path("missing.csv").to_string_lossy(),
        ])
        .output();
    assert_eq!(code(&output), 1);
    assert!(
        stderr(&output).contains("cannot read"),
        "{}",
        stderr(&output)
    );
}

pub(crate) fn blacklist_add_remove_and_import(scratch: &Scratch) {
    let added = scratch
        .smskit(&[
            "blacklist",
            "add",
            "+32470000001",
            "0470 00 00 02",
            "--country",
            "BE",
            "--json",
        ])
        .json();
    assert_eq!(
        added,
        json!({"added": ["+32470000001", "+32470000002"], "reactivated": [], "unchanged": []})
    );
    let removed = scratch
        .smskit(&[
            "blacklist",
            "remove",
            "+32470000001",
            "+32470000009",
            "--json",
        ])
        .json();
    assert_eq!(
        removed,
        json!({"removed": ["+32470000001"], "not_blacklisted": ["+32470000009"]})
    );
    let again = scratch
        .smskit(&["blacklist", "add", "+32470000001", "+32470000002", "--json"])
        .json();
    assert_eq!(again["reactivated"], json!(["+32470000001"]));
    assert_eq!(again["unchanged"], json!(["+32470000002"]));

    let file = scratch.file("stop.csv", "phone\n+32470000003\n0470 00 00 03\nnonsense\n");
    let output = scratch
        .smskit(&["blacklist", "import", &file, "--country", "BE", "--json"])
        .output();
    assert_eq!(code(&output), 1, "a line that is not a number exits 1");
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(report["added"], 1);
    assert_eq!(report["duplicates"], 1);
    assert_eq!(report["errors"][0]["line"], 4);
    assert_eq!(report["errors"][0]["number"], "nonsense");

    // One unreadable number: nothing changes.
    let output = scratch
        .smskit(&["blacklist", "add", "+32470000008", "garbage"])
        .output();
    assert_eq!(code(&output), 2);
    assert!(stderr(&output).contains("garbage"), "{}", stderr(&output));
    let removed = scratch
        .smskit(&["blacklist", "remove", "+32470000008", "--json"])
        .json();
    assert_eq!(removed["removed"], json!([]));
}

pub(crate) fn lists_create_show_and_optout(scratch: &Scratch) {
    newsletter(scratch);
    let created = scratch
        .smskit(&["lists", "create", "VIP", "--public", "--json"])
        .json();
    assert_eq!(created, json!({"id": 2}));
    let output = scratch.smskit(&["lists", "create", "VIP"]).output();
    assert_eq!(code(&output), 1);
    assert!(
        stderr(&output).contains("already exists"),
        "{}",
        stderr(&output)
    );

    let opted = scratch
        .smskit(&[
            "lists",
            "optout",
            "Newsletter",
            "+32470000002",
            "+32470000009",
            "--json",
        ])
        .json();
    assert_eq!(opted["list"], 1);
    assert_eq!(opted["opted_out"].as_array().unwrap().len(), 1);
    assert_eq!(opted["not_found"], json!(["+32470000009"]));
    let shown = scratch.smskit(&["lists", "show", "--json"]).json();
    assert_eq!(
        shown[0],
        json!({"id": 1, "name": "Newsletter", "is_public": false, "contacts": 3,
               "opted_out": 1, "blacklisted": 0, "valid_numbers": 2})
    );
    assert_eq!(shown[1]["is_public"], true);

    let output = scratch
        .smskit(&["lists", "optout", "Newsleter", "+32470000002"])
        .output();
    assert_eq!(code(&output), 1);
    assert!(
        stderr(&output).contains("Newsletter"),
        "the lists are named: {}",
        stderr(&output)
    );
}

pub(crate) fn mailing_create_prints_the_id_and_refuses_bad_templates_and_domains_with_positions(
    scratch: &Scratch,
) {
    newsletter(scratch);
    let id = scratch
        .smskit(&[
            "mailing",
            "create",
            "--name",
            "A",
            "--list",
            "Newsletter",
            "--body",
            "Hi",
        ])
        .ok();
    assert_eq!(id, "1\n");
    let json = scratch
        .smskit(&[
            "mailing",
            "create",
            "--name",
            "B",
            "--domain",
            "[('city', '=', 'Gent')]",
            "--body",
            "Hi {{ object.name }} in {{ object.city }}",
            "--json",
        ])
        .json();
    assert_eq!(json, json!({"id": 2}));

    let output = scratch
        .smskit(&[
            "mailing",
            "create",
            "--name",
            "C",
            "--list",
            "Newsletter",
            "--body",
            "Hi {{ object.nmae }}",
        ])
        .output();
    assert_eq!(code(&output), 2);
    let message = stderr(&output);
    assert!(message.contains("no field `nmae`"), "{message}");
    assert!(message.contains("line 1, column 14"), "{message}");
    assert!(message.contains("^^^^"), "{message}");

    let output = scratch
        .smskit(&[
            "mailing",
            "create",
            "--name",
            "D",
            "--domain",
            "[('town', '=', 'Gent')]",
            "--body",
            "Hi",
        ])
        .output();
    assert_eq!(code(&output), 2);
    assert!(stderr(&output).contains("town"), "{}", stderr(&output));

    let output = scratch
        .smskit(&[
            "mailing", "create", "--name", "E", "--list", "Nope", "--body", "Hi",
        ])
        .output();
    assert_eq!(code(&output), 1);

    // An audience is required, and only one kind.
    for args in [
        &["mailing", "create", "--name", "F", "--body", "Hi"][..],
        &[
            "mailing",
            "create",
            "--name",
            "F",
            "--body",
            "Hi",
            "--list",
            "Newsletter",
            "--domain",
            "[]",
        ],
        &[
            "mailing",
            "create",
            "--name",
            "F",
            "--body",
            "Hi",
            "--list",
            "Newsletter",
            "--opt-out-link",
        ],
    ] {
        assert_eq!(code(&scratch.smskit(args).output()), 2, "{args:?}");
    }
    let listed = scratch.smskit(&["mailing", "list", "--json"]).json();
    assert_eq!(
        listed.as_array().unwrap().len(),
        2,
        "nothing created by the failures"
    );
}

pub(crate) fn mailing_send_stats_traces_show_and_list_through_the_stub(scratch: &Scratch) {
    newsletter(scratch);
    let id = scratch
        .smskit(&[
            "mailing",
            "create",
            "--name",
            "Spring",
            "--list",
            "Newsletter",
            "--campaign",
            "Q2",
            "--body",
            "Hi {{ object.name }}: https://shop.example/spring",
            "--link-base",
            "https://sho.rt",
        ])
        .ok();
    let id = id.trim();
    let summary = scratch
        .smskit(&["mailing", "send", id, "--provider", "stub", "--json"])
        .json();
    assert_eq!(summary["mailing"].as_str().map(str::to_owned), None);
    assert_eq!(summary["mailing"], id.parse::<i64>().unwrap());
    assert_eq!(summary["state"], "sent");
    assert_eq!(summary["prepared"]["outgoing"], 2);
    assert_eq!(
        summary["prepared"]["canceled"],
        json!({"sms_number_format": 1})
    );
    assert_eq!(summary["sent"]["accepted"], 2);
    assert_eq!(summary["stats"]["expected"], 3);

    let stats = scratch.smskit(&["mailing", "stats", id, "--json"]).json();
    let keys: Vec<&str> = stats
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    for key in [
        "expected",
        "canceled",
        "scheduled",
        "sent",
        "delivered",
        "clicked",
        "replied",
        "bounced",
        "failed",
        "received_ratio",
        "clicks_ratio",
        "bounced_ratio",
        "failed_ratio",
    ] {
        assert!(keys.contains(&key), "{key} in {keys:?}");
    }
    assert_eq!(
        (stats["sent"].as_u64(), stats["canceled"].as_u64()),
        (Some(2), Some(1))
    );

    let traces = scratch.smskit(&["mailing", "traces", id, "--json"]).json();
    let traces = traces.as_array().unwrap();
    assert_eq!(traces.len(), 3);
    for trace in traces {
        for key in [
            "number",
            "name",
            "status",
            "failure_type",
            "provider_message_id",
        ] {
            assert!(trace.get(key).is_some(), "{key} in {trace}");
        }
    }
    let cy = traces.iter().find(|t| t["name"] == "Cy").unwrap();
    assert_eq!(cy["number"], "n/a");
    assert_eq!(cy["status"], "cancel");
    assert_eq!(cy["failure_type"], "sms_number_format");
    let ana = traces.iter().find(|t| t["name"] == "Ana").unwrap();
    assert_eq!(ana["status"], "pending");
    assert!(ana["provider_message_id"].is_string());

    let shown = scratch.smskit(&["mailing", "show", id, "--json"]).json();
    assert_eq!(shown["name"], "Spring");
    assert_eq!(shown["lists"], json!(["Newsletter"]));
    assert_eq!(shown["campaign"], "Q2");
    assert_eq!(shown["link_base"], "https://sho.rt");
    let text = scratch.smskit(&["mailing", "list"]).ok();
    assert!(text.contains("Spring"), "{text}");
    assert!(text.contains("sent"), "{text}");

    // The table of traces, for a person.
    let table = scratch.smskit(&["mailing", "traces", id]).ok();
    assert!(table.contains("sms_number_format"), "{table}");

    for args in [
        &["mailing", "stats", "99"][..],
        &["mailing", "traces", "99"],
        &["mailing", "show", "99"],
        &["mailing", "send", "99", "--provider", "stub"],
    ] {
        let output = scratch.smskit(args).output();
        assert_eq!(code(&output), 1, "{args:?}");
        assert!(
            stderr(&output).contains("mailing 99 does not exist"),
            "{}",
            stderr(&output)
        );
    }
}

pub(crate) fn tracked_links_and_the_opt_out_line_reach_the_outbox(scratch: &Scratch) {
    newsletter(scratch);
    let id = scratch
        .smskit(&[
            "mailing",
            "create",
            "--name",
            "Links",
            "--list",
            "Newsletter",
            "--opt-out-link",
            "--body",
            "Sale: https://shop.example/sale",
            "--link-base",
            "https://sho.rt",
        ])
        .env("SMSKIT_OPT_OUT_SECRET", "a secret of sixteen bytes or more")
        .ok();
    let id = id.trim();
    let outbox = scratch.path("outbox");
    let outbox = outbox.to_str().unwrap();
    // The secret is needed to send.
    let output = scratch
        .smskit(&[
            "mailing",
            "send",
            id,
            "--provider",
            "file",
            "--outbox",
            outbox,
        ])
        .output();
    assert_eq!(code(&output), 2);
    assert!(
        stderr(&output).contains("SMSKIT_OPT_OUT_SECRET"),
        "{}",
        stderr(&output)
    );
    scratch
        .smskit(&[
            "mailing",
            "send",
            id,
            "--provider",
            "file",
            "--outbox",
            outbox,
        ])
        .env("SMSKIT_OPT_OUT_SECRET", "a secret of sixteen bytes or more")
        .ok();
    let files: Vec<_> = std::fs::read_dir(outbox).unwrap().collect();
    assert_eq!(files.len(), 2);
    let stored: Value =
        serde_json::from_str(&std::fs::read_to_string(files[0].as_ref().unwrap().path()).unwrap())
            .unwrap();
    let body = stored["message"]["body"]
        .as_str()
        .unwrap_or_else(|| stored["body"].as_str().unwrap());
    assert!(body.contains("https://sho.rt/r/"), "{body}");
    assert!(body.contains("\nSTOP SMS: https://sho.rt/sms/"), "{body}");
}

pub(crate) fn schedule_run_due_cancel_and_retry(scratch: &Scratch) {
    newsletter(scratch);
    let create = |name: &str| {
        scratch
            .smskit(&[
                "mailing",
                "create",
                "--name",
                name,
                "--list",
                "Newsletter",
                "--body",
                "Hi",
            ])
            .ok()
            .trim()
            .to_owned()
    };
    let later = create("Later");
    let output = scratch
        .smskit(&[
            "mailing",
            "schedule",
            &later,
            "--at",
            "2001-01-01T00:00:00Z",
        ])
        .output();
    assert_eq!(code(&output), 2, "a time in the past");
    let output = scratch
        .smskit(&["mailing", "schedule", &later, "--at", "tomorrow"])
        .output();
    assert_eq!(code(&output), 2);
    let scheduled = scratch
        .smskit(&[
            "mailing",
            "schedule",
            &later,
            "--at",
            "2099-05-01T11:00:00+02:00",
            "--json",
        ])
        .json();
    assert_eq!(
        scheduled,
        json!({"id": later.parse::<i64>().unwrap(), "state": "in_queue",
               "scheduled_at": "2099-05-01T09:00:00Z"})
    );

    // Not due yet.
    let due = scratch
        .smskit(&["run-due", "--provider", "stub", "--json"])
        .json();
    assert_eq!(due, json!({"sent": [], "failed": []}));
    // Due by then.
    let due = scratch
        .smskit(&[
            "run-due",
            "--provider",
            "stub",
            "--now",
            "2099-05-01T09:00:00Z",
            "--json",
        ])
        .json();
    assert_eq!(due["sent"][0]["mailing"], later.parse::<i64>().unwrap());
    assert_eq!(due["sent"][0]["sent"]["accepted"], 2);

    let canceled_one = create("Canceled");
    scratch
        .smskit(&[
            "mailing",
            "schedule",
            &canceled_one,
            "--at",
            "2099-05-01T09:00:00Z",
        ])
        .ok();
    let canceled = scratch
        .smskit(&["mailing", "cancel", &canceled_one, "--json"])
        .json();
    assert_eq!(canceled["state"], "draft");
    let shown = scratch
        .smskit(&["mailing", "show", &canceled_one, "--json"])
        .json();
    assert_eq!(shown["state"], "draft");
    assert_eq!(shown["scheduled_at"], Value::Null);
    // A sent mailing cannot be canceled.
    assert_eq!(
        code(&scratch.smskit(&["mailing", "cancel", &later]).output()),
        1
    );

    let retried = scratch
        .smskit(&["mailing", "retry", &later, "--json"])
        .json();
    assert_eq!(
        retried,
        json!({"id": later.parse::<i64>().unwrap(), "requeued": 0})
    );
}

pub(crate) fn report_applies_twilio_and_vonage_reports(scratch: &Scratch) {
    newsletter(scratch);
    let id = scratch
        .smskit(&[
            "mailing",
            "create",
            "--name",
            "R",
            "--list",
            "Newsletter",
            "--body",
            "Hi",
        ])
        .ok();
    let id = id.trim();
    scratch
        .smskit(&["mailing", "send", id, "--provider", "stub"])
        .ok();
    let traces = scratch.smskit(&["mailing", "traces", id, "--json"]).json();
    let ids: Vec<String> = traces
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|t| t["provider_message_id"].as_str().map(str::to_owned))
        .collect();
    assert_eq!(ids.len(), 2);

    let sid = format!("MessageSid={}", ids[0]);
    let applied = scratch
        .smskit(&[
            "report",
            "twilio",
            "--param",
            &sid,
            "--param",
            "MessageStatus=delivered",
            "--json",
        ])
        .json();
    assert_eq!(applied["status"], "sent");
    assert!(applied["trace"].is_i64());
    let body = format!("messageId={}&status=failed&err-code=1", ids[1]);
    let applied = scratch
        .smskit(&["report", "vonage", "--body", &body, "--json"])
        .json();
    assert_eq!(applied["status"], "error");
    assert!(applied["trace"].is_i64(), "{applied}");
    // A report about a message nobody sent changes nothing, and says so.
    let text = scratch
        .smskit(&[
            "report",
            "twilio",
            "--param",
            "MessageSid=SMnobody",
            "--param",
            "MessageStatus=delivered",
        ])
        .ok();
    assert!(text.contains("nothing changed"), "{text}");
    let stats = scratch.smskit(&["mailing", "stats", id, "--json"]).json();
    assert_eq!(
        (stats["delivered"].as_u64(), stats["failed"].as_u64()),
        (Some(1), Some(1))
    );

    for args in [
        &["report", "twilio", "--param", "MessageStatus=delivered"][..],
        &[
            "report",
            "twilio",
            "--param",
            "MessageSid=SM1",
            "--param",
            "MessageStatus=bogus",
        ],
        &["report", "twilio", "--param", "nonsense"],
        &["report", "vonage", "--param", "status=delivered"],
    ] {
        assert_eq!(code(&scratch.smskit(args).output()), 2, "{args:?}");
    }
}

pub(crate) fn the_demo_fills_a_database_the_other_commands_read(scratch: &Scratch) {
    let outbox = scratch.path("outbox");
    let report = scratch
        .smskit(&["demo", "--outbox", outbox.to_str().unwrap(), "--json"])
        .json();
    let mailings = scratch.smskit(&["mailing", "list", "--json"]).json();
    let mailings = mailings.as_array().unwrap();
    assert_eq!(mailings.len(), 4);
    for (listed, demo) in mailings.iter().zip(report["mailings"].as_array().unwrap()) {
        assert_eq!(listed["name"], demo["name"]);
        assert_eq!(listed["stats"]["sent"], demo["counts"]["sent"]);
        assert_eq!(listed["stats"]["clicked"], demo["counts"]["clicked"]);
    }
    let lists = scratch.smskit(&["lists", "show", "--json"]).json();
    assert_eq!(lists[0]["name"], "Newsletter");
    assert_eq!(lists[0]["contacts"], 500);
    // A second demo into the same database is refused.
    let output = scratch
        .smskit(&["demo", "--outbox", outbox.to_str().unwrap()])
        .output();
    assert_eq!(code(&output), 1);
    assert!(stdout(&output).is_empty());
}

/// Defines one `#[test]` per flow above, each on the database `$scratch(name)` gives (a
/// closure from the test's name to an empty [`Scratch`]).
#[allow(
    unused_macros,
    reason = "used by two of the test files that include `common`"
)]
macro_rules! every_command_test {
    ($scratch:expr) => {
        #[test]
        fn contacts_import_reports_created_updated_and_malformed_rows() {
            common::commands::contacts_import_reports_created_updated_and_malformed_rows(&$scratch("contacts_import_reports_created_updated_and_malformed_rows"));
        }
        #[test]
        fn blacklist_add_remove_and_import() {
            common::commands::blacklist_add_remove_and_import(&$scratch("blacklist_add_remove_and_import"));
        }
        #[test]
        fn lists_create_show_and_optout() {
            common::commands::lists_create_show_and_optout(&$scratch("lists_create_show_and_optout"));
        }
        #[test]
        fn mailing_create_prints_the_id_and_refuses_bad_templates_and_domains_with_positions() {
            common::commands::mailing_create_prints_the_id_and_refuses_bad_templates_and_domains_with_positions(&$scratch("mailing_create_prints_the_id_and_refuses_bad_templates_and_domains_with_positions"));
        }
        #[test]
        fn mailing_send_stats_traces_show_and_list_through_the_stub() {
            common::commands::mailing_send_stats_traces_show_and_list_through_the_stub(&$scratch("mailing_send_stats_traces_show_and_list_through_the_stub"));
        }
        #[test]
        fn tracked_links_and_the_opt_out_line_reach_the_outbox() {
            common::commands::tracked_links_and_the_opt_out_line_reach_the_outbox(&$scratch("tracked_links_and_the_opt_out_line_reach_the_outbox"));
        }
        #[test]
        fn schedule_run_due_cancel_and_retry() {
            common::commands::schedule_run_due_cancel_and_retry(&$scratch("schedule_run_due_cancel_and_retry"));
        }
        #[test]
        fn report_applies_twilio_and_vonage_reports() {
            common::commands::report_applies_twilio_and_vonage_reports(&$scratch("report_applies_twilio_and_vonage_reports"));
        }
        #[test]
        fn the_demo_fills_a_database_the_other_commands_read() {
            common::commands::the_demo_fills_a_database_the_other_commands_read(&$scratch("the_demo_fills_a_database_the_other_commands_read"));
        }
    };
}
#[allow(
    unused_imports,
    reason = "used by two of the test files that include `common`"
)]
pub(crate) use every_command_test;
