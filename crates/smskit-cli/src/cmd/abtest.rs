//! `smskit abtest` (placeholder until its issue lands).

use std::process::ExitCode;

use crate::failure::Failure;

/// Placeholder subcommands.
#[derive(Debug, clap::Subcommand)]
pub(crate) enum AbtestCommand {
    /// Placeholder.
    Placeholder,
}

/// Placeholder.
pub(crate) fn run(_command: AbtestCommand) -> Result<ExitCode, Failure> {
    Err(Failure::new("not available yet"))
}
