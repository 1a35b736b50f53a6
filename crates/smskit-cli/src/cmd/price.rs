//! `smskit price`: parts and price of a text to one or more destinations.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use serde::Serialize;
use smskit::segment::{Encoding, Money, PriceTable};

use crate::cmd::segment::{SegmentOptions, text_or_stdin};
use crate::failure::Failure;
use crate::output;

const PRICE_EXAMPLES: &str = "\
Examples:
  smskit price --prices prices.csv --to +32470123456 \"Your text\"
  smskit price --prices prices.csv --to +32470123456 --to +33612345678 --smart < message.txt

prices.csv: one row per E.164 prefix (the longest matching prefix wins), prices per SMS part
in the major unit, one currency per file; a header naming the columns is optional:
  prefix,price,currency
  1,0.0079,USD
  1242,0.1510,USD";

/// Price a text: its SMS parts times the price per part to each destination.
#[derive(Debug, clap::Args)]
#[command(after_help = PRICE_EXAMPLES)]
pub(crate) struct PriceArgs {
    /// CSV price table: `prefix,price,currency` rows (see below).
    #[arg(long, value_name = "FILE.csv")]
    prices: PathBuf,

    /// Destination number in E.164 (`+32470123456`); repeat for several destinations.
    #[arg(long, value_name = "+NUMBER", required = true)]
    to: Vec<String>,

    /// The text; read from stdin when absent (one trailing newline is dropped).
    text: Option<String>,

    #[command(flatten)]
    options: SegmentOptions,

    /// Print the estimate as JSON.
    #[arg(long)]
    json: bool,
}

#[derive(Serialize)]
struct Destination<'a> {
    to: &'a str,
    prefix: &'a str,
    price_per_part: Money,
    total: Money,
}

#[derive(Serialize)]
struct Report<'a> {
    encoding: Encoding,
    segments: usize,
    units: usize,
    destinations: Vec<Destination<'a>>,
    total: Money,
}

pub(crate) fn run(args: PriceArgs) -> Result<ExitCode, Failure> {
    let csv = std::fs::read_to_string(&args.prices).map_err(|error| {
        Failure::new(format_args!(
            "cannot read {}: {error}",
            output::printable_path(&args.prices)
        ))
    })?;
    let table = PriceTable::from_csv(&csv).map_err(|error| {
        Failure::with_code(
            format_args!("{}: {error}", output::printable_path(&args.prices)),
            2,
        )
    })?;
    let text = text_or_stdin(args.text)?;
    let count = args
        .options
        .segmenter()
        .count(&text)
        .map_err(|error| Failure::with_code(error, 2))?;
    let mut destinations = Vec::with_capacity(args.to.len());
    for to in &args.to {
        let (prefix, price_per_part) = table
            .longest_prefix(to)
            .map_err(|error| Failure::with_code(error, 2))?;
        // An overflow comes from the price table or the text: bad input, not a failure.
        let total = price_per_part
            .checked_mul(count.parts)
            .map_err(|error| Failure::with_code(format_args!("{to}: {error}"), 2))?;
        destinations.push(Destination {
            to,
            prefix,
            price_per_part,
            total,
        });
    }
    let total = Money::checked_sum(
        table.currency(),
        destinations.iter().map(|destination| destination.total),
    )
    .map_err(|error| Failure::with_code(error, 2))?;
    let report = Report {
        encoding: count.encoding,
        segments: count.parts,
        units: count.units,
        destinations,
        total,
    };

    let mut out = output::stdout();
    if args.json {
        serde_json::to_writer(&mut out, &report)?;
        writeln!(out)?;
    } else {
        let parts = if count.parts == 1 { "part" } else { "parts" };
        writeln!(
            out,
            "{} {parts} ({}, {} {})",
            count.parts,
            count.encoding,
            count.units,
            count.encoding.unit_name()
        )?;
        for destination in &report.destinations {
            writeln!(
                out,
                "{}: {} x {} (prefix +{}) = {}",
                destination.to,
                count.parts,
                destination.price_per_part,
                destination.prefix,
                destination.total
            )?;
        }
        if report.destinations.len() > 1 {
            writeln!(out, "Total: {}", report.total)?;
        }
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}
