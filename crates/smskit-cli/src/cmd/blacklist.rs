//! `smskit blacklist`: numbers that are never sent to.

use std::io::{self, Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use serde::Serialize;
use smskit::phone::{self, E164, Region};
use smskit::{Settings, Store};

use crate::db::{self, DbArgs};
use crate::failure::Failure;
use crate::output;

const ADD_EXAMPLES: &str = "\
Examples:
  smskit blacklist add +32470123456 \"+33 6 12 34 56 78\" --reason \"replied STOP\"
  smskit blacklist add --country BE \"0470 12 34 56\" --json

Every number is checked before any is added: one that cannot be read is an error (exit 2)
and nothing changes.";

const REMOVE_EXAMPLES: &str = "\
Examples:
  smskit blacklist remove +32470123456
  smskit blacklist remove --country BE \"0470 12 34 56\" --json

The entry is archived, not deleted: adding the number again re-activates it.";

const IMPORT_EXAMPLES: &str = "\
Examples:
  smskit blacklist import crates/smskit-cli/testdata/blacklist.csv --country BE --reason imported
  smskit blacklist import crates/smskit-cli/testdata/blacklist.csv --country BE --json

One number per line, or a CSV whose first column is the number (`,` `;` or tab separated,
optionally quoted, an optional header named number, phone, mobile...). Repeated numbers are
collapsed; a line that is not a number is reported with its line number.

Exit status: 0 every line read, 1 some lines are not numbers (the others are blacklisted).";

/// Numbers that are never sent to (a mailing's trace says `sms_blacklist`).
#[derive(Debug, clap::Subcommand)]
pub(crate) enum BlacklistCommand {
    /// Blacklist numbers (re-activating archived entries).
    #[command(after_help = ADD_EXAMPLES)]
    Add(AddArgs),
    /// Take numbers off the blacklist (their entries are archived).
    #[command(after_help = REMOVE_EXAMPLES)]
    Remove(RemoveArgs),
    /// Blacklist the numbers of a file, with a report per line.
    #[command(after_help = IMPORT_EXAMPLES)]
    Import(ImportArgs),
}

/// Arguments of `smskit blacklist add`.
#[derive(Debug, clap::Args)]
pub(crate) struct AddArgs {
    /// The numbers, international (`+32470123456`) or national with --country.
    #[arg(value_name = "NUMBER", required = true)]
    numbers: Vec<String>,

    /// The country of national numbers (ISO 3166 alpha-2).
    #[arg(long, short = 'c', value_name = "CC")]
    country: Option<Region>,

    /// Why (kept with the entry).
    #[arg(long, value_name = "TEXT")]
    reason: Option<String>,

    /// Print JSON: {"added", "reactivated", "unchanged"}, each a list of numbers.
    #[arg(long)]
    json: bool,

    #[command(flatten)]
    db: DbArgs,
}

/// Arguments of `smskit blacklist remove`.
#[derive(Debug, clap::Args)]
pub(crate) struct RemoveArgs {
    /// The numbers, international or national with --country.
    #[arg(value_name = "NUMBER", required = true)]
    numbers: Vec<String>,

    /// The country of national numbers (ISO 3166 alpha-2).
    #[arg(long, short = 'c', value_name = "CC")]
    country: Option<Region>,

    /// Print JSON: {"removed", "not_blacklisted"}, each a list of numbers.
    #[arg(long)]
    json: bool,

    #[command(flatten)]
    db: DbArgs,
}

/// Arguments of `smskit blacklist import`.
#[derive(Debug, clap::Args)]
pub(crate) struct ImportArgs {
    /// The file (`-` for standard input).
    #[arg(value_name = "FILE.csv")]
    file: PathBuf,

    /// The country of national numbers (ISO 3166 alpha-2).
    #[arg(long, short = 'c', value_name = "CC")]
    country: Option<Region>,

    /// Why (kept with every new entry).
    #[arg(long, value_name = "TEXT", default_value = "imported")]
    reason: String,

    /// Print JSON: {"added", "reactivated", "unchanged", "duplicates", "errors": [{"line",
    /// "number", "reason"}]}.
    #[arg(long)]
    json: bool,

    #[command(flatten)]
    db: DbArgs,
}

/// Runs `smskit blacklist ...`.
pub(crate) fn run(command: BlacklistCommand) -> Result<ExitCode, Failure> {
    match command {
        BlacklistCommand::Add(args) => add(&args),
        BlacklistCommand::Remove(args) => remove(&args),
        BlacklistCommand::Import(args) => import(&args),
    }
}

/// Reads every number, or fails (exit 2) naming the first that cannot be read.
pub(crate) fn parse_numbers(
    texts: &[String],
    country: Option<Region>,
) -> Result<Vec<E164>, Failure> {
    texts
        .iter()
        .map(|text| {
            phone::parse(text, country).map_err(|error| {
                Failure::with_code(format_args!("`{}`: {error}", output::printable(text)), 2)
            })
        })
        .collect()
}

/// What `blacklist add` did, number by number.
#[derive(Debug, Default, Serialize)]
struct Added {
    added: Vec<E164>,
    reactivated: Vec<E164>,
    unchanged: Vec<E164>,
}

fn add(args: &AddArgs) -> Result<ExitCode, Failure> {
    let numbers = parse_numbers(&args.numbers, args.country)?;
    let mut engine = db::open(&args.db.db, Settings::new())?;
    let store = engine.store_mut();
    let now = db::now();
    let mut report = Added::default();
    for number in numbers {
        let seen = [&report.added, &report.reactivated, &report.unchanged];
        if seen.iter().any(|numbers| numbers.contains(&number)) {
            continue;
        }
        match store.blacklist_entry(number).map_err(db::store_failure)? {
            Some(entry) if entry.active => {
                report.unchanged.push(number);
                continue;
            }
            Some(_) => report.reactivated.push(number),
            None => report.added.push(number),
        }
        store
            .blacklist_add(number, args.reason.as_deref(), now)
            .map_err(db::store_failure)?;
    }
    print(args.json, &report, || {
        format!(
            "added {}, re-activated {}, already blacklisted {}",
            report.added.len(),
            report.reactivated.len(),
            report.unchanged.len()
        )
    })
}

/// What `blacklist remove` did.
#[derive(Debug, Default, Serialize)]
struct Removed {
    removed: Vec<E164>,
    not_blacklisted: Vec<E164>,
}

fn remove(args: &RemoveArgs) -> Result<ExitCode, Failure> {
    let numbers = parse_numbers(&args.numbers, args.country)?;
    let mut engine = db::open(&args.db.db, Settings::new())?;
    let mut report = Removed::default();
    for number in numbers {
        if report.removed.contains(&number) || report.not_blacklisted.contains(&number) {
            continue;
        }
        if engine
            .store_mut()
            .blacklist_remove(number)
            .map_err(db::store_failure)?
        {
            report.removed.push(number);
        } else {
            report.not_blacklisted.push(number);
        }
    }
    print(args.json, &report, || {
        format!(
            "removed {}, not blacklisted {}",
            report.removed.len(),
            report.not_blacklisted.len()
        )
    })
}

/// A line of the file that is not a number.
#[derive(Debug, Serialize)]
struct ImportError {
    line: usize,
    number: String,
    reason: String,
}

/// What `blacklist import` did.
#[derive(Debug, Serialize)]
struct Imported {
    added: usize,
    reactivated: usize,
    unchanged: usize,
    duplicates: usize,
    errors: Vec<ImportError>,
}

fn import(args: &ImportArgs) -> Result<ExitCode, Failure> {
    let path = output::printable_path(&args.file);
    let mut text = String::new();
    let read = if args.file.as_os_str() == "-" {
        io::stdin().read_to_string(&mut text)
    } else {
        std::fs::File::open(&args.file).and_then(|mut file| file.read_to_string(&mut text))
    };
    read.map_err(|error| Failure::new(format_args!("cannot read {path}: {error}")))?;
    let mut settings = Settings::new();
    if let Some(country) = args.country {
        settings = settings.with_default_region(country);
    }
    let mut engine = db::open(&args.db.db, settings)?;
    let import = engine
        .import_blacklist(&text, Some(&args.reason), db::now())
        .map_err(db::failure)?;
    let report = Imported {
        added: import.added,
        reactivated: import.reactivated,
        unchanged: import.unchanged,
        duplicates: import.duplicates,
        errors: import
            .invalid
            .into_iter()
            .map(|(line, number, reason)| ImportError {
                line,
                number,
                reason,
            })
            .collect(),
    };
    print(args.json, &report, || {
        let mut text = format!(
            "added {}, re-activated {}, already blacklisted {}, repeated {}, not numbers {}",
            report.added,
            report.reactivated,
            report.unchanged,
            report.duplicates,
            report.errors.len()
        );
        for error in &report.errors {
            text.push_str(&format!(
                "\n  line {}: `{}`: {}",
                error.line,
                output::printable(&error.number),
                output::printable(&error.reason)
            ));
        }
        text
    })?;
    Ok(if report.errors.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// Prints `report` as JSON, or the text `human` makes.
pub(crate) fn print<T: Serialize>(
    json: bool,
    report: &T,
    human: impl FnOnce() -> String,
) -> Result<ExitCode, Failure> {
    let mut out = output::stdout();
    if json {
        serde_json::to_writer(&mut out, report)?;
        writeln!(out)?;
    } else {
        writeln!(out, "{}", human())?;
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}
