//! Every command documents its options and examples in `--help`: walk the whole command tree
//! as `smskit help` lists it and look for an `Examples:` section in each.

mod common;
use common::smskit;

use std::path::Path;
use std::process::Command;

/// The subcommands a help text lists under `Commands:`, without clap's own `help`.
fn subcommands(help: &str) -> Vec<String> {
    help.lines()
        .skip_while(|line| *line != "Commands:")
        .skip(1)
        .take_while(|line| !line.trim().is_empty())
        // A long description may wrap onto lines indented deeper than the names.
        .filter(|line| line.starts_with("  ") && !line.starts_with("   "))
        .filter_map(|line| line.split_whitespace().next())
        .filter(|name| *name != "help")
        .map(str::to_owned)
        .collect()
}

/// The help of `smskit help <path>`, and of every command below it, depth first.
fn walk(path: &mut Vec<String>, visited: &mut Vec<(String, String)>) {
    let mut args = vec!["help"];
    args.extend(path.iter().map(String::as_str));
    let help = smskit(&args).ok();
    visited.push((path.join(" "), help.clone()));
    for name in subcommands(&help) {
        path.push(name);
        walk(path, visited);
        path.pop();
    }
}

#[test]
fn every_command_has_examples_in_its_help() {
    let mut visited = Vec::new();
    walk(&mut Vec::new(), &mut visited);
    let names: Vec<&str> = visited.iter().map(|(name, _)| name.as_str()).collect();
    // The walk really reaches the leaves.
    for expected in [
        "",
        "filter",
        "links rewrite",
        "abtest significance",
        "abtest sample-size",
        "phone normalize",
        "webhook verify twilio",
        "contacts import",
        "blacklist import",
        "lists optout",
        "mailing send",
        "mailing retry",
        "run-due",
        "worker",
        "serve",
        "report vonage",
    ] {
        assert!(names.contains(&expected), "{expected:?} not in {names:?}");
    }
    let missing: Vec<&str> = visited
        .iter()
        .filter(|(_, help)| !help.lines().any(|line| line == "Examples:"))
        .map(|(name, _)| name.as_str())
        .collect();
    assert!(
        missing.is_empty(),
        "no Examples: in the help of {missing:?}"
    );
}

#[test]
fn long_help_shows_the_examples_too() {
    for args in [
        &["filter", "--help"][..],
        &["abtest", "significance", "--help"],
        &["phone", "normalize", "-h"],
    ] {
        let help = smskit(args).ok();
        assert!(help.contains("\nExamples:\n  smskit "), "{args:?}: {help}");
    }
}

/// The example commands of a help text, continuation lines joined.
fn examples(help: &str) -> Vec<String> {
    let mut commands = Vec::new();
    let mut current = String::new();
    for line in help
        .lines()
        .skip_while(|line| *line != "Examples:")
        .skip(1)
        .take_while(|line| !line.trim().is_empty())
    {
        let line = line.trim();
        match line.strip_suffix('\\') {
            Some(start) => current.push_str(start),
            None => {
                current.push_str(line);
                commands.push(std::mem::take(&mut current));
            }
        }
    }
    commands
}

/// Examples that need what a test does not have: credentials, a provider, the user's files.
/// (An example using a shell variable that no example before it sets is skipped too.)
const NEEDS_THE_USER: [&str; 6] = [
    "TWILIO_",
    "VONAGE_",
    "prices.csv",
    "message.txt",
    "messages.jsonl",
    "--outbox",
];

/// The names of the `$NAME` shell variables an example uses.
fn shell_variables(example: &str) -> impl Iterator<Item = &str> {
    example.split('$').skip(1).filter_map(|rest| {
        let end = rest
            .find(|c: char| !(c.is_ascii_uppercase() || c == '_'))
            .unwrap_or(rest.len());
        (end > 0).then(|| &rest[..end])
    })
}

#[cfg(unix)]
#[test]
fn the_examples_run_as_written() {
    let mut visited = Vec::new();
    walk(&mut Vec::new(), &mut visited);
    let binary = Path::new(env!("CARGO_BIN_EXE_smskit"));
    let path = format!(
        "{}:{}",
        binary.parent().unwrap().display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    // The campaign commands' examples work on a database of their own, never one in the
    // clone: each command's examples get a fresh one.
    let scratch = std::env::temp_dir().join(format!("smskit-help-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&scratch);
    std::fs::create_dir_all(&scratch).unwrap();
    let mut ran = 0;
    for (index, (name, help)) in visited.iter().enumerate() {
        // Shell variables set by one example line hold for the lines after it.
        let mut script = String::from("set -e\n");
        let mut assigned: Vec<String> = Vec::new();
        for example in examples(help) {
            if NEEDS_THE_USER.iter().any(|needle| example.contains(needle))
                || shell_variables(&example).any(|name| !assigned.iter().any(|a| *a == name))
            {
                continue;
            }
            if let Some((name, _)) = example.split_once('=')
                && !name.is_empty()
                && name.bytes().all(|b| b.is_ascii_uppercase() || b == b'_')
            {
                assigned.push(name.to_owned());
            }
            script.push_str(&example);
            script.push('\n');
            ran += 1;
        }
        let output = Command::new("bash")
            .args(["-c", &script])
            .current_dir(&root)
            .env("PATH", &path)
            .env("SMSKIT_DB", scratch.join(format!("{index}.db")))
            .env_remove("SMSKIT_OPT_OUT_SECRET")
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "the examples of `smskit {name}` fail: {}\n{script}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    assert!(ran >= 25, "only {ran} examples ran");
    std::fs::remove_dir_all(&scratch).unwrap();
}
