//! `smskit filter` end to end.

mod common;
use common::{Run, code, smskit, stderr, stdout};

use std::path::PathBuf;

const DATASET: &str = r#"{"models": {
  "res.partner": {
    "fields": {
      "name": "char",
      "parent_id": {"type": "many2one", "comodel": "res.partner"},
      "category_id": {"type": "many2many", "comodel": "res.partner.category"},
      "birthday": "date"
    },
    "records": [
      {"id": 3, "name": "John", "parent_id": 1, "category_id": [1, 2], "birthday": "2006-05-02"},
      {"id": 1, "name": "Acme", "parent_id": null, "category_id": [2]},
      {"id": 2, "name": "Joan", "parent_id": 1, "birthday": "1980-01-01"},
      {"id": 4}
    ]
  },
  "res.partner.category": {
    "fields": {"name": "char"},
    "records": [{"id": 1, "name": "VIP"}, {"id": 2, "name": "Newsletter"}]
  }
}}"#;

fn dataset(name: &str, content: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("smskit-filter-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, content).unwrap();
    path
}

/// `smskit filter --data DATA --model MODEL [EXTRA...] --domain DOMAIN`.
fn filter_with(data: &str, model: &str, extra: &[&str], domain: &str) -> Run {
    let mut args = vec!["filter", "--data", data, "--model", model];
    args.extend_from_slice(extra);
    args.extend(["--domain", domain]);
    smskit(&args)
}

/// `smskit filter` of [`DATASET`]'s `res.partner` records.
fn filter(domain: &str) -> std::process::Output {
    let data = dataset("partners.json", DATASET);
    filter_with(data.to_str().unwrap(), "res.partner", &[], domain).output()
}

#[test]
fn prints_matching_ids_ascending_on_one_line() {
    let output = filter("[('name', 'ilike', 'jo')]");
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(stdout(&output), "[2,3]\n");
    let output =
        filter(r#"[["category_id.name", "=", "Newsletter"], "!", ["parent_id", "=", false]]"#);
    assert_eq!(stdout(&output), "[3]\n");
    let output = filter("[('parent_id', '=', 'Acme')]");
    assert_eq!(stdout(&output), "[2,3]\n");
    let output = filter("[('name', '=', False)]");
    assert_eq!(stdout(&output), "[4]\n");
    let output = filter("[('id', 'child_of', 1)]");
    assert_eq!(stdout(&output), "[1,2,3]\n");
    let output = filter("[(0, '=', 1)]");
    assert_eq!(stdout(&output), "[]\n");
}

#[test]
fn relative_dates_use_now() {
    let data = dataset("dates.json", DATASET);
    let output = filter_with(
        data.to_str().unwrap(),
        "res.partner",
        &["--now", "2024-05-01T12:00:00Z"],
        "[('birthday', '>', 'today -18y')]",
    )
    .output();
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(stdout(&output), "[3]\n");
    let output = filter_with("x", "m", &["--now", "yesterday"], "[]").output();
    assert_eq!(code(&output), 2);
}

#[test]
fn normalize_and_distribute_not_need_no_data() {
    let output = smskit(&[
        "filter",
        "--normalize",
        "--domain",
        "[('a', '=', 1), ('b', '=', 2)]",
    ])
    .output();
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(stdout(&output), "['&', ('a', '=', 1), ('b', '=', 2)]\n");
    let output = smskit(&["filter", "--normalize", "--domain", "[]"]).output();
    assert_eq!(stdout(&output), "[(1, '=', 1)]\n");
    let output = smskit(&[
        "filter",
        "--distribute-not",
        "--domain",
        "['!', '&', ('user_id', '=', 4), ('partner_id', 'in', [1, 2])]",
    ])
    .output();
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(
        stdout(&output),
        "['|', ('user_id', '!=', 4), ('partner_id', 'not in', [1, 2])]\n"
    );
    let output = smskit(&[
        "filter",
        "--normalize",
        "--distribute-not",
        "--domain",
        "[]",
    ])
    .output();
    assert!(!output.status.success());
}

#[test]
fn explain_prints_the_plan_then_the_ids() {
    let data = dataset("explain.json", DATASET);
    let output = filter_with(
        data.to_str().unwrap(),
        "res.partner",
        &["--explain"],
        "[('category_id.name', '=', 'VIP')]",
    )
    .output();
    assert!(output.status.success(), "{}", stderr(&output));
    let text = stdout(&output);
    assert!(text.starts_with("plan for res.partner:\n"), "{text}");
    assert!(
        text.contains("category_id (many2many res.partner.category) has a record in $0"),
        "{text}"
    );
    assert!(text.contains("name (char) in ['VIP']"), "{text}");
    assert!(text.ends_with("\n[3]\n"), "{text}");
}

#[test]
fn bad_domains_print_a_caret_and_exit_2() {
    let output = filter("[('name', 'lik', 'x')]");
    assert_eq!(code(&output), 2);
    assert!(stdout(&output).is_empty());
    assert_eq!(
        stderr(&output),
        "smskit: invalid operator 'lik'\n --> line 1, column 11 (byte 10)\n  |\n1 | [('name', 'lik', 'x')]\n  |           ^^^^^\n"
    );
    let output = filter("[('nmae', '=', 'x')]");
    assert_eq!(code(&output), 2);
    assert!(
        stderr(&output).starts_with("smskit: invalid field res.partner.nmae\n"),
        "{}",
        stderr(&output)
    );
    assert!(stderr(&output).contains("^^^^^^"), "{}", stderr(&output));
    let output = filter("['&', ('name', '=', 'x')]");
    assert_eq!(code(&output), 2);
    assert!(
        stderr(&output).contains("malformed domain"),
        "{}",
        stderr(&output)
    );
    let output = filter(&"[".repeat(100_000));
    assert_eq!(code(&output), 2);
    assert!(
        stderr(&output).contains("nesting limit of 250 exceeded"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn data_problems_are_reported() {
    let output = smskit(&["filter", "--model", "res.partner", "--domain", "[]"]).output();
    assert_eq!(code(&output), 2);
    assert!(stderr(&output).contains("--data"), "{}", stderr(&output));
    let missing = filter_with("/nonexistent/data.json", "m", &[], "[]").output();
    assert_eq!(code(&missing), 1);
    assert!(
        stderr(&missing).contains("cannot read /nonexistent/data.json"),
        "{}",
        stderr(&missing)
    );
    let bad = dataset(
        "bad.json",
        r#"{"models": {"m": {"fields": {"n": "integer"}, "records": [{"id": 1, "n": "x"}]}}}"#,
    );
    let output = filter_with(bad.to_str().unwrap(), "m", &[], "[]").output();
    assert_eq!(code(&output), 2);
    assert!(
        stderr(&output).contains("record 1 of m, field \"n\": expected an integer"),
        "{}",
        stderr(&output)
    );
    let output = filter_with(bad.to_str().unwrap(), "nope", &[], "[]").output();
    assert_eq!(code(&output), 2);
}

#[test]
fn the_domain_can_come_from_stdin() {
    let data = dataset("stdin.json", DATASET);
    let output = filter_with(data.to_str().unwrap(), "res.partner", &[], "-")
        .stdin(b"[\n  ('name', '=like', 'J%'),\n  ('id', '!=', 2),\n]\n")
        .output();
    assert!(output.status.success());
    assert_eq!(stdout(&output), "[3]\n");
}

/// The shared runner (declared once, at the top, as `common`) under the name the tests below use.
use common as shared_runner;

/// Regressions of issue 9, on the shared runner.
mod hardening {
    use super::shared_runner::{code, smskit, stderr, stdout};

    /// A dataset file under the system temporary directory, removed on drop.
    struct Scratch(std::path::PathBuf);

    impl Scratch {
        fn new(name: &str, content: &str) -> Self {
            let path = std::env::temp_dir().join(format!(
                "smskit-filter-hardening-{}-{name}",
                std::process::id()
            ));
            std::fs::write(&path, content).unwrap();
            Scratch(path)
        }

        fn path(&self) -> &str {
            self.0.to_str().unwrap()
        }
    }

    impl Drop for Scratch {
        fn drop(&mut self) {
            let _ = std::fs::remove_file(&self.0);
        }
    }

    #[test]
    fn dataset_errors_point_at_the_dataset_not_the_domain() {
        // A relational field whose comodel is missing from the dataset.
        let data = Scratch::new(
            "comodel.json",
            r#"{"models": {"res.partner": {
                "fields": {"country_id": {"type": "many2one", "comodel": "res.country"}},
                "records": [{"id": 1, "country_id": 3}]}}}"#,
        );
        let args = |domain| {
            vec![
                "filter",
                "--data",
                data.path(),
                "--model",
                "res.partner",
                "--domain",
                domain,
            ]
        };
        let output = smskit(&args("[('country_id.code', '=', 'BE')]")).output();
        assert_eq!(code(&output), 2);
        let message = stderr(&output);
        assert!(message.contains(data.path()), "{message}");
        assert!(
            message.contains("field res.partner.country_id: its comodel \"res.country\""),
            "{message}"
        );
        assert!(
            !message.contains("-->"),
            "no caret into the domain: {message}"
        );

        // A bad value: the record and its line and column in the file.
        let data = Scratch::new(
            "value.json",
            "{\"models\": {\"p\": {\"fields\": {\"n\": \"integer\"},\n\"records\": [{\"id\": 1, \"n\": \"x\"}]}}}",
        );
        let output = smskit(&[
            "filter",
            "--data",
            data.path(),
            "--model",
            "p",
            "--domain",
            "[('n', '=', 1)]",
        ])
        .output();
        assert_eq!(code(&output), 2, "{}", stdout(&output));
        let message = stderr(&output);
        assert!(message.contains(data.path()), "{message}");
        assert!(message.contains("record 1 of p, field \"n\""), "{message}");
        assert!(message.contains("line 2 column"), "{message}");
    }

    #[test]
    fn help_documents_the_dataset_format() {
        let help = smskit(&["filter", "--help"]).ok();
        for needle in [
            "\"models\"",
            "\"fields\"",
            "\"records\"",
            "comodel",
            "many2one",
            "null",
        ] {
            assert!(help.contains(needle), "{needle} missing from:\n{help}");
        }
    }
}
