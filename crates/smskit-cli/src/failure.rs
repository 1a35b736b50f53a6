//! How a subcommand fails: a message for stderr and an exit code.

use std::fmt::Display;
use std::io;
use std::process::ExitCode;

use crate::output;

/// A failed command: what to print on stderr and which exit code to return.
#[derive(Debug)]
pub(crate) struct Failure {
    message: String,
    exit_code: u8,
}

impl Failure {
    /// A failure with exit code 1 (the command could not do its job).
    pub(crate) fn new(message: impl Display) -> Self {
        Self::with_code(message, 1)
    }

    /// A failure with a specific exit code (2 = the input was invalid, by convention).
    pub(crate) fn with_code(message: impl Display, exit_code: u8) -> Self {
        Self {
            message: message.to_string(),
            exit_code,
        }
    }

    /// The exit code (for tests).
    #[cfg(test)]
    pub(crate) fn exit_code(&self) -> u8 {
        self.exit_code
    }

    /// The message.
    pub(crate) fn message(&self) -> &str {
        &self.message
    }

    /// The same failure with `prefix: ` before its message (the file it is about).
    pub(crate) fn prefixed(self, prefix: &str) -> Self {
        if self.message.is_empty() {
            return self;
        }
        Self {
            message: format!("{prefix}: {}", self.message),
            exit_code: self.exit_code,
        }
    }

    /// Standard output was closed by its reader (`smskit ... | head`): exit 141 (128 + SIGPIPE,
    /// what a shell reports for a command killed by the signal) without a message.
    pub(crate) fn closed_stdout() -> Self {
        Self::with_code("", 141)
    }

    /// Prints the message on stderr (prefixed `smskit: `) and returns the exit code, which is
    /// kept when stderr is closed too.
    pub(crate) fn report(self) -> ExitCode {
        if !self.message.is_empty() {
            output::error(&self.message);
        }
        ExitCode::from(self.exit_code)
    }
}

impl From<serde_json::Error> for Failure {
    fn from(error: serde_json::Error) -> Self {
        // serde_json reports the writer's errors as its own: a closed stdout is still one.
        if error.is_io() {
            return io::Error::from(error).into();
        }
        Self::new(format_args!("cannot write JSON: {error}"))
    }
}

impl From<io::Error> for Failure {
    fn from(error: io::Error) -> Self {
        // Only stdout is written with `?`: stderr writes ignore their errors (see `output`).
        if error.kind() == io::ErrorKind::BrokenPipe {
            return Self::closed_stdout();
        }
        Self::new(format_args!("I/O error: {error}"))
    }
}
