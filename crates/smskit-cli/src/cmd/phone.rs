//! `smskit phone`: phone numbers in E.164.

use std::io::{self, BufRead, Write};
use std::process::ExitCode;

use smskit::phone::{self, E164, PhoneError, Region};

use crate::failure::Failure;
use crate::output;

/// Phone number tools.
#[derive(Debug, clap::Subcommand)]
pub(crate) enum PhoneCommand {
    /// Normalise numbers to E.164 (`+32470123456`), or say why a number is not valid.
    ///
    /// Prints one line per number, in order: the E.164 form, or `error: <reason>`. Exits 1
    /// when some number is not valid.
    #[command(after_help = crate::help::PHONE_NORMALIZE)]
    Normalize(NormalizeArgs),
}

/// Arguments of `smskit phone normalize`.
#[derive(Debug, clap::Args)]
pub(crate) struct NormalizeArgs {
    /// Country (ISO 3166-1 alpha-2, e.g. BE) in which national numbers such as `0470 12 34 56`
    /// are read.
    #[arg(long, short = 'c', value_name = "CC")]
    country: Option<Region>,
    /// Print one JSON object per number: `input`, and `e164` and `region`, or `error` and
    /// `kind` (missing, unparsable, impossible, invalid, region).
    #[arg(long)]
    json: bool,
    /// The numbers; read one per line from standard input when none is given.
    #[arg(value_name = "NUMBER")]
    numbers: Vec<String>,
}

/// Runs a `smskit phone` subcommand.
pub(crate) fn run(command: PhoneCommand) -> Result<ExitCode, Failure> {
    match command {
        PhoneCommand::Normalize(args) => normalize(&args),
    }
}

fn normalize(args: &NormalizeArgs) -> Result<ExitCode, Failure> {
    let mut out = output::stdout();
    let mut all_valid = true;
    let mut emit = |raw: &str| -> io::Result<()> {
        let result = phone::parse(raw, args.country);
        all_valid &= result.is_ok();
        if args.json {
            writeln!(out, "{}", json_line(raw, &result))
        } else {
            match &result {
                Ok(number) => writeln!(out, "{number}"),
                Err(error) => writeln!(out, "error: {error}"),
            }
        }
    };
    if args.numbers.is_empty() {
        for line in io::stdin().lock().lines() {
            let line = line?;
            emit(line.strip_suffix('\r').unwrap_or(&line))?;
        }
    } else {
        for raw in &args.numbers {
            emit(raw)?;
        }
    }
    out.flush()?;
    Ok(if all_valid {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

fn json_line(raw: &str, result: &Result<E164, PhoneError>) -> serde_json::Value {
    match result {
        Ok(number) => serde_json::json!({
            "input": raw,
            "e164": number.as_str(),
            "region": number.region().map(Region::as_str),
        }),
        Err(error) => serde_json::json!({
            "input": raw,
            "error": error.to_string(),
            "kind": kind(error),
        }),
    }
}

/// The kind of a rejection, as a mailing records it: `missing` is a missing number, any other
/// kind a number in the wrong format.
fn kind(error: &PhoneError) -> &'static str {
    match error {
        PhoneError::Missing => "missing",
        PhoneError::Unparsable { .. } => "unparsable",
        PhoneError::Impossible { .. } => "impossible",
        PhoneError::Invalid { .. } => "invalid",
        _ => "region",
    }
}
