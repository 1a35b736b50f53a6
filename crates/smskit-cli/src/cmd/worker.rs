//! `smskit worker`: the facade's sending worker ([`Engine::work`]) over the database of
//! `--db`, until SIGTERM / SIGINT or, with `--until-idle`, until nothing is left to do.

use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;
use std::time::Duration;

use serde::Serialize;
use smskit::chrono::{DateTime, Utc};
use smskit::model::{Mailing, MailingState};
use smskit::provider::SystemClock;
use smskit::worker::WorkOptions;
use smskit::{DueRun, Engine, Sent, Store};

use crate::cmd::blacklist::print;
use crate::cmd::mailing::{
    OPT_OUT_SECRET, link_base, link_settings, opt_out_secret, send_settings,
};
use crate::db::{self, DbArgs};
use crate::failure::Failure;
use crate::output;
use crate::providers::{self, ProviderName, SendOptions, usage};

const WORKER_EXAMPLES: &str = "\
Examples:
  smskit worker --provider stub --until-idle
  TWILIO_ACCOUNT_SID=AC… TWILIO_AUTH_TOKEN=… smskit worker --provider twilio \\
    --from +32460200000 --rate 10 --db postgres://smskit@db.example/crm

Each pass chooses the winners of A/B tests whose deadline has come, prepares the mailings that
are due (scheduled ones whose time has come) and sends every mailing that is sending, batch by
batch. Any number of workers, on any number of hosts, share one PostgreSQL database: each
message is claimed by one of them, sent once, and --rate holds for all of them together.
SIGTERM or SIGINT stops a worker after the batch in flight (a second one stops it at once: its
claimed messages then end unknown, never resent). Progress goes to stderr, the summary to
stdout.

A worker sends every mailing with one set of link settings: --link-base (and
$SMSKIT_OPT_OUT_SECRET for opt-out lines). It refuses to start while a queued or sending
mailing was created with another link base.

Exit status: 0 stopped by a signal, or idle (--until-idle) with every mailing processed; 1 the
database failed, or (--until-idle) some mailing could not be processed; 2 invalid arguments.";

/// Arguments of `smskit worker`.
#[derive(Debug, clap::Args)]
#[command(after_help = WORKER_EXAMPLES)]
pub(crate) struct WorkerArgs {
    /// The provider: `twilio`, `vonage`, `file` (writes each message as JSON into --outbox) or
    /// `stub` (accepts without sending).
    #[arg(long, value_enum)]
    provider: ProviderName,

    #[command(flatten)]
    send: SendOptions,

    /// Return once a pass finds nothing to do, instead of waiting for more work.
    #[arg(long)]
    until_idle: bool,

    /// How long to wait after a pass that found nothing to do.
    #[arg(long, value_name = "SECONDS", default_value = "1", value_parser = parse_seconds)]
    poll: Duration,

    /// How long the worker's own tasks (preparing a mailing, choosing A/B winners) stay
    /// reserved to it before another worker may take them over.
    #[arg(long, value_name = "SECONDS", default_value = "300", value_parser = parse_seconds)]
    lease: Duration,

    /// The worker's name, unique among the workers of the database (it holds leases in it).
    /// Default: HOST:PID.
    #[arg(long, value_name = "NAME", value_parser = clap::builder::NonEmptyStringValueParser::new())]
    name: Option<String>,

    /// Track links as short links under this base URL (the --link-base the mailings were
    /// created with).
    #[arg(long, value_name = "URL")]
    link_base: Option<String>,

    /// Take this time as now (RFC 3339) when the worker starts.
    #[arg(long, value_name = "TIME", value_parser = db::parse_time, hide = true)]
    now: Option<DateTime<Utc>>,

    /// Print the summary as JSON.
    #[arg(long)]
    json: bool,

    #[command(flatten)]
    db: DbArgs,
}

/// `--poll` and `--lease`: seconds, fractions allowed, at most a day.
fn parse_seconds(text: &str) -> Result<Duration, String> {
    let seconds: f64 = text
        .trim()
        .parse()
        .map_err(|_| format!("`{text}` is not a number of seconds"))?;
    if !(0.0..=86_400.0).contains(&seconds) {
        return Err(format!("`{text}`: give between 0 and 86400 seconds"));
    }
    Ok(Duration::from_secs_f64(seconds))
}

/// What `smskit worker` prints when it returns.
#[derive(Debug, Serialize)]
struct Summary {
    worker: String,
    /// `signal` or `idle`.
    stopped_by: &'static str,
    passes: u64,
    sent: Sent,
    failures: u64,
    ab_winners: u64,
}

/// Runs `smskit worker`.
pub(crate) fn run(args: &WorkerArgs) -> Result<ExitCode, Failure> {
    let start = args.now.unwrap_or_else(db::now);
    let store = db::open_store(&args.db.db)?;
    let opt_out = args.link_base.is_some() && opt_out_secret().is_some();
    let settings = link_settings(
        // Workers may be many, even on SQLite: claims keep the facade's lease unless told.
        send_settings(Some(&args.send), false)?,
        "--link-base",
        args.link_base.as_deref(),
        opt_out,
    )?;
    let pending = store.mailings().map_err(db::store_failure)?;
    let refused = unsendable(&pending, args.link_base.as_deref(), opt_out);
    if !refused.is_empty() {
        return Err(usage(format_args!(
            "this worker cannot send {}",
            refused.join("; ")
        )));
    }
    let provider = providers::build(args.send.provider_options(args.provider))?;

    let stop = Arc::new(AtomicBool::new(false));
    for signal in [signal_hook::consts::SIGTERM, signal_hook::consts::SIGINT] {
        // The first signal asks for a stop after the batch in flight; a second one, while the
        // flag is set, exits at once.
        signal_hook::flag::register_conditional_shutdown(signal, 1, Arc::clone(&stop))
            .and_then(|_| signal_hook::flag::register(signal, Arc::clone(&stop)))
            .map_err(|error| Failure::new(format_args!("cannot handle signals: {error}")))?;
    }
    let name = args.name.clone().unwrap_or_else(default_name);
    let mut options = WorkOptions::new(name.clone())
        .with_poll(args.poll)
        .with_lease(args.lease)
        .with_stop(Arc::clone(&stop));
    if args.until_idle {
        options = options.until_idle();
    }
    progress(&name, format_args!("working on {}", args.db.db));
    let mut engine = Engine::new(store, settings);
    let worked = engine
        .work(
            provider.as_ref(),
            &SystemClock::new(),
            start,
            &options,
            &mut |run| progress(&name, describe(run)),
        )
        .map_err(db::failure)?;
    let stopped_by = if stop.load(std::sync::atomic::Ordering::Relaxed) {
        "signal"
    } else {
        "idle"
    };
    progress(&name, format_args!("stopped ({stopped_by})"));
    let summary = Summary {
        worker: name,
        stopped_by,
        passes: worked.passes,
        sent: worked.sent,
        failures: worked.failures,
        ab_winners: worked.ab_winners,
    };
    print(args.json, &summary, || render(&summary))?;
    Ok(if args.until_idle && summary.failures > 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

/// The queued and sending mailings a worker with link base `base` (and opt-out links when
/// `opt_out`) would send differently from how they were created, each with the reason.
fn unsendable(mailings: &[Mailing], base: Option<&str>, opt_out: bool) -> Vec<String> {
    mailings
        .iter()
        .filter(|mailing| matches!(mailing.state, MailingState::InQueue | MailingState::Sending))
        .filter_map(|mailing| {
            let id = mailing.id;
            match (link_base(mailing), base) {
                (Some(own), Some(base)) if own != base => Some(format!(
                    "mailing {id}: its links are tracked under {own}, not --link-base {base}"
                )),
                (Some(own), None) => Some(format!(
                    "mailing {id}: its links are tracked under {own}: give --link-base {own}"
                )),
                (None, Some(base)) => Some(format!(
                    "mailing {id}: its links are not tracked, and --link-base {base} would track them"
                )),
                _ if mailing.include_opt_out_link && !opt_out => Some(format!(
                    "mailing {id}: it appends opt-out links: set {OPT_OUT_SECRET}"
                )),
                _ => None,
            }
            .map(|reason| output::printable(&reason).into_owned())
        })
        .collect()
}

/// HOST:PID: unique among the workers of a database as long as host names are.
fn default_name() -> String {
    let host = ["/proc/sys/kernel/hostname", "/etc/hostname"]
        .iter()
        .find_map(|path| std::fs::read_to_string(path).ok())
        .or_else(|| std::env::var("COMPUTERNAME").ok())
        .map(|name| name.trim().to_owned())
        .filter(|name| !name.is_empty())
        .unwrap_or_else(|| "localhost".to_owned());
    format!("{host}:{}", std::process::id())
}

/// One progress line on stderr: `smskit worker NAME: ...`.
fn progress(name: &str, what: impl std::fmt::Display) {
    output::stderr_text(&format!(
        "smskit worker {}: {}\n",
        output::printable(name),
        output::printable(&what.to_string())
    ));
}

/// A send of the worker, as a progress line.
fn describe(run: &DueRun) -> String {
    match &run.result {
        Ok(sent) => format!("mailing {}: {}", run.mailing, sent_text(sent)),
        Err(error) => format!("mailing {}: {error}", run.mailing),
    }
}

fn sent_text(sent: &Sent) -> String {
    let mut text = format!(
        "accepted {} ({} segments), failed {}, unknown {}",
        sent.accepted, sent.segments, sent.failed, sent.unknown
    );
    if sent.abandoned > 0 {
        text.push_str(&format!(
            ", {} claims of a dead sender recorded unknown",
            sent.abandoned
        ));
    }
    if sent.blacklisted > 0 {
        text.push_str(&format!(", {} numbers blacklisted", sent.blacklisted));
    }
    text
}

fn render(summary: &Summary) -> String {
    let mut text = format!(
        "worker {} stopped ({}) after {} passes: {}",
        output::printable(&summary.worker),
        summary.stopped_by,
        summary.passes,
        sent_text(&summary.sent)
    );
    if summary.failures > 0 {
        text.push_str(&format!(
            "\n{} failed sends (reported above)",
            summary.failures
        ));
    }
    if summary.ab_winners > 0 {
        text.push_str(&format!(
            "\n{} A/B test winners sent to the rest of their audience",
            summary.ab_winners
        ));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use smskit::model::{Audience, MailingId};

    fn mailing(id: i64, state: MailingState, tags: &[&str], opt_out: bool) -> Mailing {
        Mailing {
            id: MailingId(id),
            name: "m".to_owned(),
            body: "Hi https://shop.example".to_owned(),
            audience: Audience::Lists(Vec::new()),
            include_opt_out_link: opt_out,
            campaign: None,
            responsible: None,
            tags: tags.iter().map(|tag| (*tag).to_owned()).collect(),
            ab_test: None,
            state,
            scheduled_at: None,
            created_at: DateTime::UNIX_EPOCH,
        }
    }

    const SHO_RT: &str = "smskit:link-base=https://sho.rt";

    #[test]
    fn a_worker_refuses_mailings_it_would_send_with_other_link_settings() {
        let mailings = [
            mailing(1, MailingState::InQueue, &[SHO_RT], false),
            mailing(2, MailingState::Sending, &[], false),
            mailing(3, MailingState::InQueue, &[SHO_RT], true),
            // Not the worker's business.
            mailing(
                4,
                MailingState::Draft,
                &["smskit:link-base=https://other"],
                true,
            ),
            mailing(5, MailingState::Sent, &[], true),
        ];
        let ids = |refused: Vec<String>| -> Vec<String> {
            refused
                .iter()
                .map(|reason| reason.split(':').next().unwrap().to_owned())
                .collect()
        };
        assert_eq!(
            ids(unsendable(&mailings, Some("https://sho.rt"), true)),
            ["mailing 2"]
        );
        assert_eq!(
            ids(unsendable(&mailings, Some("https://sho.rt"), false)),
            ["mailing 2", "mailing 3"]
        );
        assert_eq!(
            ids(unsendable(&mailings, None, false)),
            ["mailing 1", "mailing 3"]
        );
        assert_eq!(
            ids(unsendable(&mailings, Some("https://other"), true)),
            ["mailing 1", "mailing 2", "mailing 3"]
        );
        let reasons = unsendable(&mailings[..1], None, false);
        assert_eq!(
            reasons,
            [
                "mailing 1: its links are tracked under https://sho.rt: give --link-base https://sho.rt"
            ]
        );
        assert!(unsendable(&mailings[1..2], None, false).is_empty());
    }

    #[test]
    fn seconds_are_bounded() {
        assert_eq!(parse_seconds("0.5"), Ok(Duration::from_millis(500)));
        assert_eq!(parse_seconds("300"), Ok(Duration::from_secs(300)));
        assert!(parse_seconds("-1").is_err());
        assert!(parse_seconds("1e9").is_err());
        assert!(parse_seconds("NaN").is_err());
        assert!(parse_seconds("soon").is_err());
    }

    #[test]
    fn the_default_name_is_host_and_pid() {
        let name = default_name();
        let (host, pid) = name.rsplit_once(':').unwrap();
        assert!(!host.is_empty());
        assert_eq!(pid, std::process::id().to_string());
    }
}
