//! `smskit links`: tracked short links.

use std::io::{self, Read, Write};
use std::process::ExitCode;

use rand::rngs::StdRng;
use smskit::links::{self, MemoryLinkStore, Rewritten, Shortener, Tracking, Warning};

use crate::failure::Failure;
use crate::output;

/// Tracked short links.
#[derive(Debug, clap::Subcommand)]
pub(crate) enum LinksCommand {
    /// Rewrite the http(s) URLs of a text to tracked short links `<base>/r/<code>`.
    ///
    /// Prints the rewritten text and a table of the links (code, short URL, redirect target
    /// with UTM parameters). Already-short links and the opt-out path `<base>/sms/` are left
    /// alone.
    #[command(after_help = crate::help::LINKS_REWRITE)]
    Rewrite(RewriteArgs),
}

/// Arguments of `smskit links rewrite`.
#[derive(Debug, clap::Args)]
pub(crate) struct RewriteArgs {
    /// Base URL of the short links, e.g. `https://sho.rt` (GSM-7 basic characters only).
    #[arg(long, value_name = "URL")]
    base: String,
    /// utm_campaign added to every target.
    #[arg(long, value_name = "NAME")]
    campaign: Option<String>,
    /// utm_source added to every target.
    #[arg(long, value_name = "NAME")]
    source: Option<String>,
    /// utm_medium added to every target.
    #[arg(long, value_name = "NAME")]
    medium: Option<String>,
    /// Leave URLs starting with this prefix alone (repeatable).
    #[arg(long = "exclude-prefix", value_name = "URL")]
    exclude_prefix: Vec<String>,
    /// Seed for the short codes (reproducible output); random by default.
    #[arg(long, value_name = "N")]
    seed: Option<u64>,
    /// Print JSON: {"text": ..., "links": [{"url", "code", "short_url", "target"}]}.
    #[arg(long)]
    json: bool,
    /// The message text; read from standard input when absent.
    text: Option<String>,
}

/// Runs `smskit links <command>`.
pub(crate) fn run(command: LinksCommand) -> Result<ExitCode, Failure> {
    match command {
        LinksCommand::Rewrite(args) => rewrite(args),
    }
}

fn rewrite(args: RewriteArgs) -> Result<ExitCode, Failure> {
    let mut shortener = Shortener::new(&args.base).map_err(|e| invalid(&e))?;
    for prefix in &args.exclude_prefix {
        shortener = shortener.exclude_prefix(prefix);
    }
    let mut tracking = Tracking::new();
    if let Some(campaign) = &args.campaign {
        tracking = tracking.with_campaign(campaign);
    }
    if let Some(source) = &args.source {
        tracking = tracking.with_source(source);
    }
    if let Some(medium) = &args.medium {
        tracking = tracking.with_medium(medium);
    }
    let text = match args.text {
        Some(text) => text,
        None => {
            let mut text = String::new();
            io::stdin().read_to_string(&mut text).map_err(|e| {
                Failure::with_code(format_args!("cannot read the text from stdin: {e}"), 2)
            })?;
            text
        }
    };
    // The library takes its randomness from the caller; the command line is that caller.
    let mut store = match args.seed {
        Some(seed) => MemoryLinkStore::seeded(seed),
        None => MemoryLinkStore::new(rand::make_rng::<StdRng>()),
    };
    let rewritten = shortener
        .rewrite(&text, &tracking, &mut store)
        .map_err(Failure::new)?;

    for warning in rewritten.warnings() {
        output::warning(describe(warning));
    }
    let mut out = output::stdout();
    if args.json {
        print_json(&mut out, &rewritten)?;
    } else {
        print_table(&mut out, &rewritten)?;
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

fn invalid(error: &links::Error) -> Failure {
    Failure::with_code(error, 2)
}

fn describe(warning: &Warning) -> String {
    match warning {
        Warning::Normalized { url, normalized } => {
            format!("{url} is redirected to its normalised form {normalized}")
        }
        Warning::InvalidUrl {
            url,
            offset,
            reason,
        } => {
            format!("{url} (byte {offset}) left as written: {reason}")
        }
        Warning::RunsIntoText { url, offset } => format!(
            "{url} (byte {offset}) left as written: its short link would run into the text that follows"
        ),
        other => format!("{other:?}"),
    }
}

/// One link of the `--json` output, fields in the documented order.
#[derive(serde::Serialize)]
struct JsonLink<'a> {
    url: &'a str,
    code: &'a str,
    short_url: &'a str,
    target: &'a str,
}

/// The `--json` output: `{"text", "links"}`.
#[derive(serde::Serialize)]
struct JsonRewrite<'a> {
    text: &'a str,
    links: Vec<JsonLink<'a>>,
}

fn print_json(out: &mut impl Write, rewritten: &Rewritten) -> io::Result<()> {
    let output = JsonRewrite {
        text: rewritten.text(),
        links: rewritten
            .links()
            .iter()
            .map(|link| JsonLink {
                url: &link.url,
                code: link.link.code().as_str(),
                short_url: &link.short_url,
                target: link.link.target(),
            })
            .collect(),
    };
    serde_json::to_writer(&mut *out, &output)?;
    writeln!(out)
}

fn print_table(out: &mut impl Write, rewritten: &Rewritten) -> io::Result<()> {
    let text = output::printable_lines(rewritten.text());
    if text.ends_with('\n') {
        write!(out, "{text}")?;
    } else {
        writeln!(out, "{text}")?;
    }
    if rewritten.links().is_empty() {
        return Ok(());
    }
    let rows: Vec<[&str; 3]> = rewritten
        .links()
        .iter()
        .map(|l| {
            [
                l.link.code().as_str(),
                l.short_url.as_str(),
                l.link.target(),
            ]
        })
        .collect();
    let header = ["code", "short URL", "target"];
    let width = |column: usize| {
        rows.iter()
            .map(|row| row[column].chars().count())
            .chain([header[column].len()])
            .max()
            .unwrap_or(0)
    };
    let (code_width, short_width) = (width(0), width(1));
    writeln!(out)?;
    for row in std::iter::once(header).chain(rows.iter().copied()) {
        writeln!(
            out,
            "{:<code_width$}  {:<short_width$}  {}",
            row[0], row[1], row[2]
        )?;
    }
    Ok(())
}
