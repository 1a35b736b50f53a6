//! `smskit filter`: select records with an Odoo domain, or rewrite the domain.

use std::io::{self, Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use smskit::filter::{CheckOptions, Dataset, Domain, Plan};

use crate::failure::Failure;
use crate::output;

/// Select the records of a model that match a recipient filter (an Odoo domain), or
/// print the domain normalised.
///
/// Prints the matching ids as a JSON array on one line, ascending.
#[derive(Debug, clap::Args)]
#[command(after_help = crate::help::FILTER)]
pub(crate) struct FilterArgs {
    /// The records, as JSON (not needed with --normalize or --distribute-not):
    ///
    ///   {"models": {
    ///     "res.partner": {
    ///       "fields": {"name": "char", "age": "integer",
    ///                  "country_id": {"type": "many2one", "comodel": "res.country"},
    ///                  "tag_ids": {"type": "many2many", "comodel": "res.partner.category"}},
    ///       "records": [{"id": 1, "name": "Ann", "age": 34, "country_id": 2, "tag_ids": [1, 3]}]},
    ///     "res.country": {"fields": {"code": "char"}, "records": [{"id": 2, "code": "BE"}]},
    ///     "res.partner.category": {"fields": {"name": "char"}, "records": []}}}
    ///
    /// Field types: char, text, html, selection, integer, float, monetary, boolean, date
    /// ("2024-01-31"), datetime ("2024-01-31 09:30:00", UTC). Relational fields (many2one,
    /// one2many, many2many) name their "comodel", which must be a model of the dataset: a
    /// dotted path such as country_id.code or an 'any' condition follows it. A many2one value
    /// is an id (or Odoo's [id, "name"]), an x2many value a list of ids; null or false means
    /// not set, and so does a missing key. Every record has an integer "id", unique in its
    /// model. Errors name the record and give the line and column in the file.
    #[arg(long, value_name = "DATASET.json", verbatim_doc_comment)]
    data: Option<PathBuf>,

    /// The model whose records are selected (`res.partner`).
    #[arg(long, value_name = "MODEL")]
    model: Option<String>,

    /// The domain, in Python-literal or JSON syntax; `-` reads it from stdin.
    #[arg(long, value_name = "DOMAIN", allow_hyphen_values = true)]
    domain: String,

    /// Print the normalised domain (explicit '&') instead of filtering.
    #[arg(long, conflicts_with = "distribute_not")]
    normalize: bool,

    /// Print the domain with every '!' pushed down to the conditions instead of
    /// filtering.
    #[arg(long)]
    distribute_not: bool,

    /// Print the typed plan before the ids.
    #[arg(long)]
    explain: bool,

    /// Reference time for relative dates such as 'today -1m' (RFC 3339, default: now).
    #[arg(long, value_name = "TIME")]
    now: Option<String>,
}

/// Runs `smskit filter`.
pub(crate) fn run(args: FilterArgs) -> Result<ExitCode, Failure> {
    let text = if args.domain == "-" {
        let mut text = String::new();
        io::stdin().read_to_string(&mut text)?;
        text
    } else {
        args.domain
    };
    let domain: Domain = smskit::filter::parse(&text).map_err(|e| Failure::with_code(e, 2))?;
    let mut out = output::stdout();
    if args.normalize {
        writeln!(out, "{}", domain.normalize())?;
        out.flush()?;
        return Ok(ExitCode::SUCCESS);
    }
    if args.distribute_not {
        writeln!(out, "{}", domain.distribute_not())?;
        out.flush()?;
        return Ok(ExitCode::SUCCESS);
    }
    let (Some(path), Some(model)) = (&args.data, &args.model) else {
        return Err(Failure::with_code(
            "filtering needs --data DATASET.json and --model MODEL (or use --normalize / --distribute-not)",
            2,
        ));
    };
    let now = match &args.now {
        Some(text) => smskit::filter::chrono::DateTime::parse_from_rfc3339(text)
            .map_err(|e| Failure::with_code(format_args!("invalid --now {text:?}: {e}"), 2))?
            .to_utc(),
        None => system_now(),
    };
    let data = read_dataset(path)?;
    let options = CheckOptions::new().with_now(now);
    let plan = Plan::with_options(data.schema(), model, &domain, &options)
        .map_err(|e| Failure::with_code(e, 2))?;
    if args.explain {
        write!(out, "{plan}")?;
    }
    let ids = plan.filter(&data);
    let line = serde_json::to_string(&ids)
        .map_err(|e| Failure::new(format_args!("cannot print the ids: {e}")))?;
    writeln!(out, "{line}")?;
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// Reads the dataset straight from the file: the records are converted as they are read, so
/// the file's text is never held whole (a 165 MB dataset would otherwise sit in memory
/// beside its records).
fn read_dataset(path: &std::path::Path) -> Result<Dataset, Failure> {
    let cannot_read = |e: &dyn std::fmt::Display| {
        Failure::new(format_args!(
            "cannot read {}: {e}",
            output::printable_path(path)
        ))
    };
    let file = std::fs::File::open(path).map_err(|e| cannot_read(&e))?;
    serde_json::from_reader(io::BufReader::with_capacity(1 << 16, file)).map_err(|e| {
        if e.is_io() {
            cannot_read(&e)
        } else {
            Failure::with_code(
                format_args!("{}: invalid dataset: {e}", output::printable_path(path)),
                2,
            )
        }
    })
}

/// chrono is built without its `clock` feature, so `Utc::now()` is not there.
fn system_now() -> smskit::filter::chrono::DateTime<smskit::filter::chrono::Utc> {
    std::time::SystemTime::now().into()
}
