//! How a subcommand fails: a message for stderr and an exit code.

use std::fmt::Display;
use std::io;
use std::process::ExitCode;

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

    /// Prints the message on stderr (prefixed `smskit: `) and returns the exit code.
    pub(crate) fn report(self) -> ExitCode {
        if !self.message.is_empty() {
            eprintln!("smskit: {}", self.message);
        }
        ExitCode::from(self.exit_code)
    }
}

impl From<io::Error> for Failure {
    fn from(error: io::Error) -> Self {
        // A closed pipe (`smskit ... | head`) is not an error worth reporting.
        if error.kind() == io::ErrorKind::BrokenPipe {
            return Self::with_code("", 0);
        }
        Self::new(format_args!("I/O error: {error}"))
    }
}
