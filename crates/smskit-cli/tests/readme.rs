//! The README's command list works as written from the root of a fresh clone.

use std::path::Path;
use std::process::Command;

/// The `smskit ...` lines of the README's shell blocks in the section about the command.
fn readme_commands(readme: &str) -> Vec<&str> {
    let section = readme
        .split("\n## ")
        .find(|section| section.starts_with("The `smskit` command"))
        .expect("the README has a section about the command");
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
    let commands = readme_commands(&readme);
    assert!(commands.len() >= 9, "{commands:?}");
    let binary = Path::new(env!("CARGO_BIN_EXE_smskit"));
    let path = format!(
        "{}:{}",
        binary.parent().unwrap().display(),
        std::env::var("PATH").unwrap_or_default()
    );
    for command in commands {
        let output = Command::new("bash")
            .args(["-c", command])
            .current_dir(&root)
            .env("PATH", &path)
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
