//! The one way the CLI tests run `smskit`: arguments, optional environment and standard input,
//! and the captured output. Each test file uses the parts it needs.
#![allow(dead_code)]

pub(crate) mod campaign;
pub(crate) mod commands;
pub(crate) mod twilio;
// `postgres.rs` (the PostgreSQL fixture) is included with `#[path]` by the files that use it:
// declared here, it would link the PostgreSQL client into every test binary.

use std::io::Write;
use std::process::{Command, Output, Stdio};

/// A run of the `smskit` binary under test, built up before it starts.
#[derive(Debug)]
pub(crate) struct Run {
    command: Command,
    stdin: Option<Vec<u8>>,
    stdout_closed: bool,
    stderr_closed: bool,
}

/// Starts describing a run of `smskit` with these arguments.
pub(crate) fn smskit(args: &[&str]) -> Run {
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
        "SMSKIT_DB",
        "SMSKIT_OPT_OUT_SECRET",
        "SMSKIT_ADMIN_TOKEN",
    ] {
        command.env_remove(name);
    }
    Run {
        command,
        stdin: None,
        stdout_closed: false,
        stderr_closed: false,
    }
}

impl Run {
    /// Sets an environment variable for the run.
    pub(crate) fn env(mut self, name: &str, value: &str) -> Self {
        self.command.env(name, value);
        self
    }

    /// Feeds these bytes on standard input (otherwise standard input is empty).
    pub(crate) fn stdin(mut self, input: impl AsRef<[u8]>) -> Self {
        self.stdin = Some(input.as_ref().to_vec());
        self
    }

    /// Gives the run a standard output whose reader is already gone (`smskit ... | head -c0`):
    /// every write to it fails with a broken pipe. The captured stdout is then empty.
    pub(crate) fn stdout_closed(mut self) -> Self {
        self.stdout_closed = true;
        self
    }

    /// Gives the run a standard error whose reader is already gone. The captured stderr is
    /// then empty.
    pub(crate) fn stderr_closed(mut self) -> Self {
        self.stderr_closed = true;
        self
    }

    /// Runs to completion and captures stdout and stderr.
    pub(crate) fn output(mut self) -> Output {
        let stream = |closed| {
            if closed {
                closed_pipe()
            } else {
                Stdio::piped()
            }
        };
        let mut child = self
            .command
            .stdin(Stdio::piped())
            .stdout(stream(self.stdout_closed))
            .stderr(stream(self.stderr_closed))
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
    pub(crate) fn ok(self) -> String {
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
    pub(crate) fn json(self) -> serde_json::Value {
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

/// The write end of a pipe whose read end is closed before the child starts, so the closing
/// cannot race with the child's first write.
fn closed_pipe() -> Stdio {
    let (reader, writer) = std::io::pipe().expect("a pipe");
    drop(reader);
    Stdio::from(writer)
}

/// Standard output as text.
pub(crate) fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).expect("stdout is UTF-8")
}

/// Standard error as text.
pub(crate) fn stderr(output: &Output) -> String {
    String::from_utf8(output.stderr.clone()).expect("stderr is UTF-8")
}

/// The exit code, asserting the process was not killed by a signal.
pub(crate) fn code(output: &Output) -> i32 {
    output
        .status
        .code()
        .unwrap_or_else(|| panic!("smskit was killed: {:?}", output.status))
}

/// A folder of its own under the temporary directory, removed when the test is done: the
/// database and files of one test.
#[derive(Debug)]
pub(crate) struct Scratch {
    dir: std::path::PathBuf,
    /// The `--db` of the runs, when it is not the folder's SQLite file.
    db: Option<String>,
    /// What keeps that database alive (a PostgreSQL schema, dropped after the test).
    guard: Option<Box<dyn std::fmt::Debug>>,
}

impl Scratch {
    /// A new, empty folder named after the test.
    pub(crate) fn new(name: &str) -> Self {
        let dir = std::env::temp_dir().join(format!("smskit-cli-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("a scratch folder");
        Scratch {
            dir,
            db: None,
            guard: None,
        }
    }

    /// The same folder, with `db` (a PostgreSQL URL) as the database of its runs.
    pub(crate) fn with_db(mut self, db: &str) -> Self {
        self.db = Some(db.to_owned());
        self
    }

    /// The same folder, keeping `guard` (what drops its database) until the folder is dropped.
    pub(crate) fn keeping(mut self, guard: impl std::fmt::Debug + 'static) -> Self {
        self.guard = Some(Box::new(guard));
        self
    }

    /// A path in the folder.
    pub(crate) fn path(&self, name: &str) -> std::path::PathBuf {
        self.dir.join(name)
    }

    /// Writes a file in the folder and returns its path as text.
    pub(crate) fn file(&self, name: &str, contents: &str) -> String {
        let path = self.path(name);
        std::fs::write(&path, contents).expect("a scratch file");
        path.to_str().expect("a UTF-8 path").to_owned()
    }

    /// The database of the runs, as text: the folder's SQLite file, or the one given to
    /// [`Scratch::with_db`].
    pub(crate) fn db(&self) -> String {
        if let Some(db) = &self.db {
            return db.clone();
        }
        self.path("smskit.db")
            .to_str()
            .expect("a UTF-8 path")
            .to_owned()
    }

    /// `smskit ARGS --db <the folder's database>`.
    pub(crate) fn smskit(&self, args: &[&str]) -> Run {
        let db = self.db();
        smskit(&[args, &["--db", &db]].concat())
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
