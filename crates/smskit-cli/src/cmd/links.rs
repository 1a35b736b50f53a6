//! `smskit links` (placeholder until its issue lands).

use std::process::ExitCode;

use crate::failure::Failure;

/// Placeholder subcommands.
#[derive(Debug, clap::Subcommand)]
pub(crate) enum LinksCommand {
    /// Placeholder.
    Placeholder,
}

/// Placeholder.
pub(crate) fn run(_command: LinksCommand) -> Result<ExitCode, Failure> {
    Err(Failure::new("not available yet"))
}
