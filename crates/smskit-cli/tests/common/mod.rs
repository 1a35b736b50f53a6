//! The one way the CLI tests run `smskit`: arguments, optional environment and standard input,
//! and the captured output. Each test file uses the parts it needs.
#![allow(dead_code)]

use std::io::Write;
use std::process::{Command, Output, Stdio};

/// A run of the `smskit` binary under test, built up before it starts.
#[derive(Debug)]
pub struct Run {
    command: Command,
    stdin: Option<Vec<u8>>,
}

/// Starts describing a run of `smskit` with these arguments.
pub fn smskit(args: &[&str]) -> Run {
    let mut command = Command::new(env!("CARGO_BIN_EXE_smskit"));
    command.args(args);
    // Credentials of the developer's shell must not leak into a test.
    for name in [
        "TWILIO_ACCOUNT_SID",
        "TWILIO_AUTH_TOKEN",
        "TWILIO_API_KEY",
        "TWILIO_API_SECRET",
        "VONAGE_API_KEY",
        "VONAGE_API_SECRET",
        "VONAGE_SIGNATURE_SECRET",
    ] {
        command.env_remove(name);
    }
    Run {
        command,
        stdin: None,
    }
}

impl Run {
    /// Sets an environment variable for the run.
    pub fn env(mut self, name: &str, value: &str) -> Self {
        self.command.env(name, value);
        self
    }

    /// Feeds these bytes on standard input (otherwise standard input is empty).
    pub fn stdin(mut self, input: impl AsRef<[u8]>) -> Self {
        self.stdin = Some(input.as_ref().to_vec());
        self
    }

    /// Runs to completion and captures stdout and stderr.
    pub fn output(mut self) -> Output {
        let mut child = self
            .command
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the smskit binary starts");
        let input = self.stdin.take().unwrap_or_default();
        let mut pipe = child.stdin.take().expect("stdin is piped");
        // A command may exit before reading all of its input; that is its right.
        let writer = std::thread::spawn(move || {
            let _ = pipe.write_all(&input);
        });
        let output = child.wait_with_output().expect("smskit finishes");
        writer.join().expect("the stdin writer does not panic");
        output
    }

    /// Runs and returns stdout, asserting the run succeeded.
    pub fn ok(self) -> String {
        let output = self.output();
        assert!(
            output.status.success(),
            "smskit failed with {:?}: {}",
            output.status,
            stderr(&output)
        );
        stdout(&output)
    }

    /// Runs and parses stdout as one JSON document.
    pub fn json(self) -> serde_json::Value {
        let output = self.output();
        serde_json::from_slice(&output.stdout).unwrap_or_else(|error| {
            panic!(
                "stdout is not JSON ({error}): {}\nstderr: {}",
                stdout(&output),
                stderr(&output)
            )
        })
    }
}

/// Standard output as text.
pub fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).expect("stdout is UTF-8")
}

/// Standard error as text.
pub fn stderr(output: &Output) -> String {
    String::from_utf8(output.stderr.clone()).expect("stderr is UTF-8")
}

/// The exit code, asserting the process was not killed by a signal.
pub fn code(output: &Output) -> i32 {
    output
        .status
        .code()
        .unwrap_or_else(|| panic!("smskit was killed: {:?}", output.status))
}
