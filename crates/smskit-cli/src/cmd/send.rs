//! `smskit send` (placeholder until its issue lands).

use std::process::ExitCode;

use crate::failure::Failure;

/// Placeholder arguments.
#[derive(Debug, clap::Args)]
pub(crate) struct SendArgs {}

/// Placeholder.
pub(crate) fn run(_args: SendArgs) -> Result<ExitCode, Failure> {
    Err(Failure::new("not available yet"))
}
