//! `smskit phone`: phone numbers in E.164.

use std::io::{self, BufRead, Write};
use std::process::ExitCode;

use smskit::phone::{self, E164, Error as PhoneError, Region};

use crate::failure::Failure;
use crate::output;

/// Phone number tools.
#[derive(Debug, clap::Subcommand)]
pub(crate) enum PhoneCommand {
    /// Normalise numbers to E.164 (`+32470123456`), or say why a number is not valid.
    ///
    /// Prints one line per number, in order: the E.164 form, or `error: <reason>` (a line
    /// of standard input that is not UTF-8 is one such error; the next lines are still read).
    /// Exits 1 when some number is not valid.
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
    let emit = |out: &mut io::BufWriter<io::StdoutLock<'_>>, raw: &str| -> io::Result<bool> {
        let result = phone::parse(raw, args.country);
        if args.json {
            writeln!(out, "{}", json_line(raw, &result))?;
        } else {
            match &result {
                Ok(number) => writeln!(out, "{number}")?,
                Err(error) => writeln!(out, "error: {error}")?,
            }
        }
        Ok(result.is_ok())
    };
    if args.numbers.is_empty() {
        // Bytes, not `lines()`: a line that is not UTF-8 is one failed number, not the end of
        // the input.
        for (index, line) in io::stdin().lock().split(b'\n').enumerate() {
            let line = line?;
            let line = line.strip_suffix(b"\r").unwrap_or(&line);
            match std::str::from_utf8(line) {
                Ok(raw) => all_valid &= emit(&mut out, raw)?,
                Err(utf8) => {
                    all_valid = false;
                    not_utf8(&mut out, args.json, index + 1, line, &utf8)?;
                }
            }
        }
    } else {
        for raw in &args.numbers {
            all_valid &= emit(&mut out, raw)?;
        }
    }
    out.flush()?;
    Ok(if all_valid {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// The error line of input line `number`, which is not UTF-8.
fn not_utf8(
    out: &mut impl Write,
    json: bool,
    number: usize,
    line: &[u8],
    utf8: &std::str::Utf8Error,
) -> io::Result<()> {
    let error = format!("line {number} is not valid UTF-8 ({utf8})");
    if json {
        let value = serde_json::json!({
            "input": String::from_utf8_lossy(line),
            "line": number,
            "error": error,
            "kind": "unparsable",
        });
        writeln!(out, "{value}")
    } else {
        writeln!(out, "error: {error}")
    }
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
