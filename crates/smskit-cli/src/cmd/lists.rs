//! `smskit lists`: mailing lists, their counts and opt-outs.

use std::collections::HashSet;
use std::io::Write;
use std::process::ExitCode;

use serde::Serialize;
use smskit::lists::ListStats;
use smskit::model::ListId;
use smskit::phone::{self, E164, Region};
use smskit::{Engine, Settings, Store};

use crate::cmd::blacklist::{parse_numbers, print};
use crate::db::{self, DbArgs};
use crate::failure::Failure;
use crate::output;

const CREATE_EXAMPLES: &str = "\
Examples:
  smskit lists create Newsletter --public
  smskit lists create VIP --json";

const SHOW_EXAMPLES: &str = "\
Examples:
  smskit lists show
  smskit lists show --json";

const OPTOUT_EXAMPLES: &str = "\
Examples:
  smskit contacts import crates/smskit-cli/testdata/contacts.csv --country BE --list Newsletter
  smskit lists optout Newsletter +32470123456
  smskit lists optout Newsletter --country BE \"0470 12 34 56\" \"0470 65 43 21\" --json

Every contact with the number opts out of the list (it stays subscribed, flagged): mailings
to the list skip it with `sms_optout` unless it is also subscribed to another targeted list.
A number no contact has is reported and changes nothing.";

/// Mailing lists: the audiences of mailings.
#[derive(Debug, clap::Subcommand)]
pub(crate) enum ListsCommand {
    /// Create a mailing list.
    #[command(after_help = CREATE_EXAMPLES)]
    Create(CreateArgs),
    /// Show every list with its counts: contacts, opted out, blacklisted, valid numbers.
    #[command(after_help = SHOW_EXAMPLES)]
    Show(ShowArgs),
    /// Opt numbers out of a list.
    #[command(after_help = OPTOUT_EXAMPLES)]
    Optout(OptoutArgs),
}

/// Arguments of `smskit lists create`.
#[derive(Debug, clap::Args)]
pub(crate) struct CreateArgs {
    /// The list's name (unique).
    name: String,

    /// Show the list on the subscription-management page.
    #[arg(long)]
    public: bool,

    /// Print JSON: {"id"}.
    #[arg(long)]
    json: bool,

    #[command(flatten)]
    db: DbArgs,
}

/// Arguments of `smskit lists show`.
#[derive(Debug, clap::Args)]
pub(crate) struct ShowArgs {
    /// Print JSON: an array of {"id", "name", "is_public", "contacts", "opted_out",
    /// "blacklisted", "valid_numbers"}.
    #[arg(long)]
    json: bool,

    #[command(flatten)]
    db: DbArgs,
}

/// Arguments of `smskit lists optout`.
#[derive(Debug, clap::Args)]
pub(crate) struct OptoutArgs {
    /// The list's name.
    #[arg(value_name = "LIST")]
    list: String,

    /// The numbers, international or national with --country.
    #[arg(value_name = "NUMBER", required = true)]
    numbers: Vec<String>,

    /// The country of national numbers, also for contacts stored without one (ISO 3166
    /// alpha-2).
    #[arg(long, short = 'c', value_name = "CC")]
    country: Option<Region>,

    /// Print JSON: {"list", "opted_out": [contact ids], "not_found": [numbers]}.
    #[arg(long)]
    json: bool,

    #[command(flatten)]
    db: DbArgs,
}

/// Runs `smskit lists ...`.
pub(crate) fn run(command: ListsCommand) -> Result<ExitCode, Failure> {
    match command {
        ListsCommand::Create(args) => create(&args),
        ListsCommand::Show(args) => show(&args),
        ListsCommand::Optout(args) => optout(&args),
    }
}

#[derive(Debug, Serialize)]
struct Created {
    id: i64,
}

fn create(args: &CreateArgs) -> Result<ExitCode, Failure> {
    if args.name.trim().is_empty() {
        return Err(Failure::with_code("the list's name is empty", 2));
    }
    let mut engine = db::open(&args.db.db, Settings::new())?;
    let id = engine
        .create_list(args.name.trim(), args.public)
        .map_err(db::failure)?;
    print(args.json, &Created { id: id.0 }, || id.to_string())
}

/// A list with its counts.
#[derive(Debug, Serialize)]
struct ListRow {
    id: i64,
    name: String,
    is_public: bool,
    #[serde(flatten)]
    stats: ListStats,
}

fn show(args: &ShowArgs) -> Result<ExitCode, Failure> {
    let engine = db::open(&args.db.db, Settings::new())?;
    let rows = list_rows(&engine)?;
    let mut out = output::stdout();
    if args.json {
        serde_json::to_writer_pretty(&mut out, &rows)?;
        writeln!(out)?;
    } else {
        writeln!(
            out,
            "{:>4}  {:<24} {:<6} {:>8} {:>9} {:>11} {:>13}",
            "id", "name", "public", "contacts", "opted out", "blacklisted", "valid numbers"
        )?;
        for row in &rows {
            writeln!(
                out,
                "{:>4}  {:<24} {:<6} {:>8} {:>9} {:>11} {:>13}",
                row.id,
                output::printable(&row.name),
                if row.is_public { "yes" } else { "no" },
                row.stats.contacts,
                row.stats.opted_out,
                row.stats.blacklisted,
                row.stats.valid_numbers
            )?;
        }
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

fn list_rows<S: Store>(engine: &Engine<S>) -> Result<Vec<ListRow>, Failure> {
    let lists = engine.store().lists().map_err(db::store_failure)?;
    lists
        .into_iter()
        .map(|list| {
            Ok(ListRow {
                id: list.id.0,
                stats: engine.list_stats(list.id).map_err(db::failure)?,
                name: list.name,
                is_public: list.is_public,
            })
        })
        .collect()
}

/// The list called `name`, or a failure (exit 1) that says which lists there are.
pub(crate) fn list_named<S: Store>(engine: &Engine<S>, name: &str) -> Result<ListId, Failure> {
    let store = engine.store();
    if let Some(list) = store.list_by_name(name).map_err(db::store_failure)? {
        return Ok(list.id);
    }
    let names: Vec<String> = store
        .lists()
        .map_err(db::store_failure)?
        .into_iter()
        .map(|list| list.name)
        .collect();
    Err(Failure::new(format_args!(
        "there is no mailing list named {:?} (lists: {})",
        name,
        if names.is_empty() {
            "none".to_owned()
        } else {
            names.join(", ")
        }
    )))
}

#[derive(Debug, Serialize)]
struct OptedOut {
    list: i64,
    opted_out: Vec<i64>,
    not_found: Vec<E164>,
}

fn optout(args: &OptoutArgs) -> Result<ExitCode, Failure> {
    let numbers = parse_numbers(&args.numbers, args.country)?;
    let mut engine = db::open(&args.db.db, Settings::new())?;
    let list = list_named(&engine, &args.list)?;
    let wanted: HashSet<E164> = numbers.iter().copied().collect();
    let mut found: HashSet<E164> = HashSet::new();
    let mut contacts = Vec::new();
    engine
        .store()
        .contacts(&mut |contact| {
            if let Ok(number) = phone::parse(&contact.phone, contact.country.or(args.country))
                && wanted.contains(&number)
            {
                found.insert(number);
                contacts.push(contact.id);
            }
        })
        .map_err(db::store_failure)?;
    let now = db::now();
    for &contact in &contacts {
        engine
            .store_mut()
            .set_opt_out(list, contact, true, now)
            .map_err(db::store_failure)?;
    }
    let mut not_found = Vec::new();
    for number in numbers {
        if !found.contains(&number) && !not_found.contains(&number) {
            not_found.push(number);
        }
    }
    for number in &not_found {
        output::warning(format_args!("no contact has the number {number}"));
    }
    let mut opted_out: Vec<i64> = contacts.iter().map(|contact| contact.0).collect();
    opted_out.sort_unstable();
    let report = OptedOut {
        list: list.0,
        opted_out,
        not_found,
    };
    print(args.json, &report, || {
        format!(
            "{} contact{} opted out of {}",
            report.opted_out.len(),
            if report.opted_out.len() == 1 { "" } else { "s" },
            output::printable(&args.list)
        )
    })
}
