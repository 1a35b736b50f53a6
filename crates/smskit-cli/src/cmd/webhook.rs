//! `smskit webhook` (placeholder until its issue lands).

use std::process::ExitCode;

use crate::failure::Failure;

/// Placeholder subcommands.
#[derive(Debug, clap::Subcommand)]
pub(crate) enum WebhookCommand {
    /// Placeholder.
    Placeholder,
}

/// Placeholder.
pub(crate) fn run(_command: WebhookCommand) -> Result<ExitCode, Failure> {
    Err(Failure::new("not available yet"))
}
