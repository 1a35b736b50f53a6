//! `smskit abtest`: is an A/B test's lead real, and how large must a test be?

use std::collections::BTreeSet;
use std::io::{self, Write};
use std::process::ExitCode;

use smskit::abtest::{Alpha, Proportion, SampleSizePlan, compare_rates, wilson_interval};

use crate::failure::Failure;
use crate::output;

/// A/B test statistics.
#[derive(Debug, clap::Subcommand)]
pub(crate) enum AbtestCommand {
    /// Compare the click rates of two or more versions.
    ///
    /// Prints each version's rate with its Wilson 95% interval and its probability to be best
    /// (uniform Beta(1, 1) priors), the two-sided p-value of the pooled two-proportion z-test
    /// between the two best versions, and the verdict at `--alpha`.
    // `--version` names a version here, so this subcommand has no version flag of its own.
    #[command(disable_version_flag = true, after_help = crate::help::ABTEST_SIGNIFICANCE)]
    Significance(SignificanceArgs),
    /// The number of recipients each version needs to detect a change of the click rate.
    ///
    /// N = ceil((z(1-alpha/2)·sqrt(2·pbar·(1-pbar)) + z(power)·sqrt(p1·(1-p1) + p2·(1-p2)))² /
    /// (p2-p1)²) with p1 = baseline, p2 = baseline + mde, pbar = (p1 + p2) / 2.
    #[command(after_help = crate::help::ABTEST_SAMPLE_SIZE)]
    SampleSize(SampleSizeArgs),
}

/// One `--version NAME:CLICKS/SENT` argument.
#[derive(Debug, Clone)]
pub(crate) struct VersionArg {
    name: String,
    proportion: Proportion,
}

fn parse_version(raw: &str) -> Result<VersionArg, String> {
    let (name, counts) = raw
        .rsplit_once(':')
        .ok_or_else(|| format!("`{raw}` is not NAME:CLICKS/SENT"))?;
    if name.is_empty() {
        return Err(format!("`{raw}` has an empty version name"));
    }
    let (clicks, sent) = counts
        .split_once('/')
        .ok_or_else(|| format!("`{counts}` is not CLICKS/SENT"))?;
    let number = |s: &str, what: &str| {
        s.trim()
            .parse::<u64>()
            .map_err(|_| format!("{what} `{s}` of version `{name}` is not a non-negative integer"))
    };
    let proportion = Proportion::new(number(clicks, "CLICKS")?, number(sent, "SENT")?)
        .map_err(|e| format!("version `{name}`: {e}"))?;
    Ok(VersionArg {
        name: name.to_owned(),
        proportion,
    })
}

fn parse_alpha(raw: &str) -> Result<Alpha, String> {
    let value: f64 = raw
        .parse()
        .map_err(|_| format!("`{raw}` is not a number"))?;
    Alpha::new(value).map_err(|e| e.to_string())
}

/// Arguments of `smskit abtest significance`.
#[derive(Debug, clap::Args)]
pub(crate) struct SignificanceArgs {
    /// A version and its counts, e.g. `A:120/2000` (120 clicks out of 2000 messages); give it
    /// once per version, at least twice.
    #[arg(long = "version", value_name = "NAME:CLICKS/SENT", value_parser = parse_version, required = true)]
    versions: Vec<VersionArg>,
    /// Significance level of the verdict (two-sided).
    #[arg(long, default_value = "0.05", value_parser = parse_alpha)]
    alpha: Alpha,
    /// Print `{"versions": [{"name", "successes", "trials", "rate", "ci_low", "ci_high",
    /// "probability_best"}], "p_value", "winner", "significant"}`.
    #[arg(long)]
    json: bool,
}

/// Arguments of `smskit abtest sample-size`.
#[derive(Debug, clap::Args)]
pub(crate) struct SampleSizeArgs {
    /// The current click rate, e.g. 0.05.
    #[arg(long)]
    baseline: f64,
    /// The smallest absolute change worth detecting, e.g. 0.01 (5% -> 6%); negative for a drop.
    #[arg(long, allow_negative_numbers = true)]
    mde: f64,
    /// Significance level (two-sided).
    #[arg(long, default_value = "0.05", value_parser = parse_alpha)]
    alpha: Alpha,
    /// Probability of detecting a real change of `--mde`, strictly between 0.5 and 1.
    #[arg(long, default_value_t = 0.8)]
    power: f64,
    /// Print `{"per_version": N}`.
    #[arg(long)]
    json: bool,
}

/// Runs a `smskit abtest` subcommand.
pub(crate) fn run(command: AbtestCommand) -> Result<ExitCode, Failure> {
    match command {
        AbtestCommand::Significance(args) => significance(&args),
        AbtestCommand::SampleSize(args) => sample_size(&args),
    }
}

fn significance(args: &SignificanceArgs) -> Result<ExitCode, Failure> {
    if args.versions.len() < 2 {
        return Err(Failure::with_code(
            "give at least two --version NAME:CLICKS/SENT to compare",
            2,
        ));
    }
    let mut names = BTreeSet::new();
    for v in &args.versions {
        if !names.insert(v.name.as_str()) {
            return Err(Failure::with_code(
                format_args!("version `{}` is given twice", v.name),
                2,
            ));
        }
    }
    let proportions: Vec<Proportion> = args.versions.iter().map(|v| v.proportion).collect();
    let comparison =
        compare_rates(&proportions, args.alpha).map_err(|e| Failure::with_code(e, 2))?;
    // The intervals shown are always Wilson 95% ones, whatever the alpha of the verdict.
    let intervals: Vec<_> = proportions
        .iter()
        .map(|&p| wilson_interval(p, Alpha::FIVE_PERCENT))
        .collect();
    let leader = &args.versions[comparison.leader];
    let runner_up = &args.versions[comparison.runner_up];
    let p_value = comparison.test.p_value;
    let significant = comparison.significant();

    let mut out = output::stdout();
    if args.json {
        let versions = args
            .versions
            .iter()
            .zip(&comparison.versions)
            .zip(&intervals)
            .map(|((v, summary), ci)| JsonVersion {
                name: &v.name,
                successes: v.proportion.successes(),
                trials: v.proportion.trials(),
                rate: summary.rate,
                ci_low: ci.low,
                ci_high: ci.high,
                probability_best: summary.probability_best,
            })
            .collect();
        let report = JsonSignificance {
            versions,
            p_value,
            winner: &leader.name,
            significant,
        };
        let line = serde_json::to_string(&report).map_err(Failure::new)?;
        writeln!(out, "{line}")?;
    } else {
        let width = args
            .versions
            .iter()
            .map(|v| v.name.chars().count())
            .max()
            .unwrap_or(0)
            .max("version".len());
        table_row(
            &mut out,
            width,
            ["version", "clicks/sent", "rate", "95% CI", "P(best)"],
        )?;
        for ((v, summary), ci) in args
            .versions
            .iter()
            .zip(&comparison.versions)
            .zip(&intervals)
        {
            let counts = format!("{}/{}", v.proportion.successes(), v.proportion.trials());
            let interval = format!("[{}, {}]", percent(ci.low), percent(ci.high));
            table_row(
                &mut out,
                width,
                [
                    &v.name,
                    &counts,
                    &percent(summary.rate),
                    &interval,
                    &percent(summary.probability_best),
                ],
            )?;
        }
        writeln!(out)?;
        writeln!(
            out,
            "{} vs {}: difference {} points, z = {:.3}, p = {}",
            leader.name,
            runner_up.name,
            signed_points(comparison.test.difference),
            comparison.test.z,
            p_text(p_value)
        )?;
        let alpha = args.alpha.get();
        if significant {
            writeln!(
                out,
                "verdict: {} wins; its lead over {} is significant at alpha = {alpha} (p < {alpha})",
                leader.name, runner_up.name
            )?;
        } else {
            writeln!(
                out,
                "verdict: not significant at alpha = {alpha}; {} leads, but the difference may be \
                 noise: keep testing (see `smskit abtest sample-size`)",
                leader.name
            )?;
        }
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// One line of the significance table (header and rows share the column layout): the version
/// name left-aligned in `width` columns, the other cells right-aligned.
fn table_row(
    out: &mut impl Write,
    width: usize,
    [name, counts, rate, interval, best]: [&str; 5],
) -> io::Result<()> {
    writeln!(
        out,
        "{name:<width$}  {counts:>17}  {rate:>8}  {interval:>19}  {best:>7}"
    )
}

/// The `--json` report of `smskit abtest significance` (field order as documented).
#[derive(serde::Serialize)]
struct JsonSignificance<'a> {
    versions: Vec<JsonVersion<'a>>,
    p_value: f64,
    winner: &'a str,
    significant: bool,
}

/// One version in [`JsonSignificance`].
#[derive(serde::Serialize)]
struct JsonVersion<'a> {
    name: &'a str,
    successes: u64,
    trials: u64,
    rate: f64,
    ci_low: f64,
    ci_high: f64,
    probability_best: f64,
}

fn sample_size(args: &SampleSizeArgs) -> Result<ExitCode, Failure> {
    let plan = SampleSizePlan::new(args.baseline, args.mde)
        .with_alpha(args.alpha)
        .with_power(args.power);
    let per_version = plan.per_version().map_err(|e| Failure::with_code(e, 2))?;
    let mut out = output::stdout();
    if args.json {
        writeln!(out, "{}", serde_json::json!({ "per_version": per_version }))?;
    } else {
        writeln!(out, "{per_version} recipients per version")?;
        writeln!(
            out,
            "to detect {} -> {} (alpha = {}, two-sided; power = {})",
            percent(args.baseline),
            percent(args.baseline + args.mde),
            args.alpha.get(),
            args.power
        )?;
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// A fraction as a percentage with two decimals.
fn percent(value: f64) -> String {
    format!("{:.2}%", value * 100.0)
}

/// A difference of rates in percentage points, with its sign.
fn signed_points(value: f64) -> String {
    format!("{:+.2}", value * 100.0)
}

/// A p-value with enough digits to be read, scientific when tiny.
fn p_text(p: f64) -> String {
    if p == 0.0 {
        "0".to_owned()
    } else if p < 1e-4 {
        format!("{p:.2e}")
    } else {
        format!("{p:.4}")
    }
}
