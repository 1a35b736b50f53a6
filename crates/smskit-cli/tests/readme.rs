//! The README's command list works as written from the root of a fresh clone.

use std::path::Path;
use std::process::Command;

/// The `smskit ...` lines of the README's shell blocks in the section titled `title`.
fn readme_commands<'r>(readme: &'r str, title: &str) -> Vec<&'r str> {
    let section = readme
        .split("\n## ")
        .find(|section| section.starts_with(title))
        .unwrap_or_else(|| panic!("the README has a section {title:?}"));
    let mut in_shell = false;
    let mut commands = Vec::new();
    for line in section.lines() {
        match line {
            "```sh" => in_shell = true,
            "```" => in_shell = false,
            _ if in_shell && line.starts_with("smskit ") => commands.push(line),
            _ => {}
        }
    }
    commands
}

#[cfg(unix)]
#[test]
fn the_readme_commands_run_from_the_root_of_the_clone() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    let commands = readme_commands(&readme, "The `smskit` command");
    assert!(commands.len() >= 9, "{commands:?}");
    run_from_root(&root, &commands, &[]);
}

/// The campaign walk-through works as written, on a database of its own.
#[cfg(unix)]
#[test]
fn the_readme_campaign_runs_from_the_root_of_the_clone() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    let commands = readme_commands(&readme, "A campaign from the shell");
    assert!(commands.len() >= 7, "{commands:?}");
    let db = std::env::temp_dir().join(format!("smskit-readme-{}.db", std::process::id()));
    let _ = std::fs::remove_file(&db);
    run_from_root(&root, &commands, &[("SMSKIT_DB", db.to_str().unwrap())]);
    let _ = std::fs::remove_file(&db);
}

/// Runs each command with bash from the root of the clone, the binary first on the `PATH`.
#[cfg(unix)]
fn run_from_root(root: &Path, commands: &[&str], env: &[(&str, &str)]) {
    let binary = Path::new(env!("CARGO_BIN_EXE_smskit"));
    let path = format!(
        "{}:{}",
        binary.parent().unwrap().display(),
        std::env::var("PATH").unwrap_or_default()
    );
    for command in commands {
        let output = Command::new("bash")
            .args(["-c", command])
            .current_dir(root)
            .env("PATH", &path)
            .envs(env.iter().copied())
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "{command}\n{}",
            String::from_utf8_lossy(&output.stderr)
        );
        assert!(!output.stdout.is_empty(), "{command} printed nothing");
    }
}
