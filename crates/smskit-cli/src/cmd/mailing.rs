//! `smskit mailing` and `smskit run-due`: mailings from creation to statistics.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::{IsTerminal as _, Write};
use std::process::ExitCode;

use indicatif::{ProgressBar, ProgressStyle};
use serde::Serialize;
use smskit::chrono::{DateTime, Utc};
use smskit::links::Shortener;
use smskit::model::{
    Audience, CampaignId, Mailing, MailingId, MailingState, NewCampaign, NewMailing,
};
use smskit::optout::OptOutLinks;
use smskit::provider::{ErrorClass, OutboundMessage, Provider, Receipt, SystemClock, TraceStatus};
use smskit::stats::Counts;
use smskit::{Engine, Prepared, Sent, Settings, Store};

use crate::cmd::blacklist::print;
use crate::cmd::lists::list_named;
use crate::db::{self, Db, DbArgs};
use crate::failure::Failure;
use crate::output;
use crate::providers::{self, ProviderName, SendOptions, usage};

/// The environment variable that holds the secret of opt-out links.
pub(crate) const OPT_OUT_SECRET: &str = "SMSKIT_OPT_OUT_SECRET";

/// The tag that keeps a mailing's link base (`--link-base`) in the database: the store has
/// no field for it, and the send, often days later in another process, needs it.
const LINK_BASE_TAG: &str = "smskit:link-base=";

const CREATE_EXAMPLES: &str = "\
Examples:
  smskit contacts import crates/smskit-cli/testdata/contacts.csv --country BE --list Newsletter
  smskit mailing create --name \"Spring sale\" --list Newsletter \\
    --body \"Hi {{ object.name ||| there }}, -20% this week!\"
  smskit mailing create --name \"Gent opening\" --domain \"[('city', '=', 'Gent')]\" \\
    --body \"Our Gent store opens Saturday: https://shop.example/gent\" \\
    --link-base https://sho.rt --campaign Spring --json
  ID=$(smskit mailing create --name Welcome --list Newsletter --body \"Welcome!\")

Prints the new mailing's id ({\"id\": N} with --json). The template ({{ object.FIELD }},
{{ object.FIELD ||| default }}) and the domain are checked against the contacts' fields
(name, phone, country, the free fields of the imported files, list_ids): an error shows its
position and nothing is created (exit 2).

--link-base turns every URL of the message into a tracked short link <base>/r/CODE/s/TRACE
(the redirects are served by the smskit HTTP server under that base). --opt-out-link appends
`STOP SMS: <base>/sms/…`, signed with the secret in $SMSKIT_OPT_OUT_SECRET, which `mailing
send` needs (the same secret the server that handles the opt-out pages checks).";

const SEND_EXAMPLES: &str = "\
Examples:
  smskit contacts import crates/smskit-cli/testdata/contacts.csv --country BE --list Newsletter
  ID=$(smskit mailing create --name Hello --list Newsletter --body \"Hello {{ object.name }}\")
  smskit mailing send $ID --provider stub
  smskit mailing send $ID --provider file --outbox ./outbox --json
  TWILIO_ACCOUNT_SID=AC… TWILIO_AUTH_TOKEN=… \\
    smskit mailing send 3 --provider twilio --from +32460200000 --rate 10

Prepares the mailing (one trace per targeted contact; blacklisted, opted-out, duplicate,
missing and invalid numbers are excluded and traced) and sends its messages in batches, each
claimed before it leaves and recorded after. A progress bar shows on a terminal. A number the
provider refuses because its owner opted out (Twilio's 21610) is blacklisted.

Run again after a crash or a kill, it resumes: the messages of the interrupted batch are
recorded as unknown (they may have been sent) and never resent automatically (see `mailing
retry --include-unknown`); the others are sent. Only one sender may work on a database at a
time.

Exit status: 0 the mailing was processed, whatever each message got (the summary says);
1 it could not be (no such mailing, the database or the provider's configuration failed);
2 invalid arguments or missing credentials.";

const STATS_EXAMPLES: &str = "\
Examples:
  smskit contacts import crates/smskit-cli/testdata/contacts.csv --country BE --list Newsletter
  ID=$(smskit mailing create --name Hello --list Newsletter --body \"Hello {{ object.name }}\")
  smskit mailing send $ID --provider stub
  smskit mailing stats $ID
  smskit mailing stats $ID --json

Counts as the spec defines them: expected (traces), canceled (excluded), scheduled (waiting),
sent (left, whatever happened next), delivered, opened, clicked, replied, bounced, failed;
ratios in percent with two decimals: received = delivered / (expected - canceled), clicks
and opened and replied over (expected - canceled - bounced - failed), bounced over
(expected - canceled - failed), failed over (expected - canceled).";

const TRACES_EXAMPLES: &str = "\
Examples:
  smskit contacts import crates/smskit-cli/testdata/contacts.csv --country BE --list Newsletter
  ID=$(smskit mailing create --name Hello --list Newsletter --body \"Hello {{ object.name }}\")
  smskit mailing send $ID --provider stub
  smskit mailing traces $ID
  smskit mailing traces $ID --json

Statuses: outgoing, process, pending (accepted by the provider), sent (delivered), open
(clicked), reply, bounce, error, cancel. Failure types: sms_blacklist, sms_optout,
sms_duplicate, sms_number_missing, sms_number_format, sms_credit, sms_server, sms_acc,
sms_country_not_supported, sms_registration_needed, sms_expired, sms_invalid_destination,
sms_not_allowed, sms_not_delivered, sms_rejected, unknown (may have been sent).";

const LIST_EXAMPLES: &str = "\
Examples:
  smskit mailing list
  smskit mailing list --json";

const SHOW_EXAMPLES: &str = "\
Examples:
  smskit contacts import crates/smskit-cli/testdata/contacts.csv --country BE --list Newsletter
  ID=$(smskit mailing create --name Hello --list Newsletter --body \"Hello {{ object.name }}\")
  smskit mailing show $ID
  smskit mailing show $ID --json";

const SCHEDULE_EXAMPLES: &str = "\
Examples:
  smskit contacts import crates/smskit-cli/testdata/contacts.csv --country BE --list Newsletter
  ID=$(smskit mailing create --name Later --list Newsletter --body \"See you soon\")
  smskit mailing schedule $ID --at 2099-05-01T09:00:00Z
  smskit mailing schedule $ID --at 2099-05-01T11:00:00+02:00 --json

`smskit run-due` sends it once the time has come (run it from cron or a systemd timer).";

const CANCEL_EXAMPLES: &str = "\
Examples:
  smskit contacts import crates/smskit-cli/testdata/contacts.csv --country BE --list Newsletter
  ID=$(smskit mailing create --name Oops --list Newsletter --body \"Wrong text\")
  smskit mailing schedule $ID --at 2099-05-01T09:00:00Z
  smskit mailing cancel $ID

The mailing returns to draft without a schedule; its messages not sent yet are canceled.";

const RETRY_EXAMPLES: &str = "\
Examples:
  smskit contacts import crates/smskit-cli/testdata/contacts.csv --country BE --list Newsletter
  ID=$(smskit mailing create --name Hello --list Newsletter --body \"Hello {{ object.name }}\")
  smskit mailing send $ID --provider stub
  smskit mailing retry $ID
  smskit mailing retry $ID --include-unknown --provider stub --json

Puts the failed messages (status error) back in the queue; those whose outcome is unknown
(they may have been delivered) only with --include-unknown. With --provider they are sent
at once, as `mailing send` would; otherwise by the next `mailing send` or `run-due`.";

const RUN_DUE_EXAMPLES: &str = "\
Examples:
  smskit run-due --provider stub
  smskit run-due --provider file --outbox ./outbox --json
  TWILIO_ACCOUNT_SID=AC… TWILIO_AUTH_TOKEN=… \\
    smskit run-due --provider twilio --from +32460200000

Sends every mailing that is due: queued without a schedule or with one that has come, and
those still sending (an interrupted send resumes). One mailing's failure does not stop the
others.

Exit status: 0 every due mailing was processed, 1 some could not be (each is reported).";

/// Mailings: create, send, follow.
#[derive(Debug, clap::Subcommand)]
pub(crate) enum MailingCommand {
    /// Create a mailing (draft) to lists or to the contacts a filter selects; prints its id.
    #[command(after_help = CREATE_EXAMPLES)]
    Create(CreateArgs),
    /// Prepare and send a mailing now, with a summary.
    #[command(after_help = SEND_EXAMPLES)]
    Send(SendArgs),
    /// A mailing's counts and ratios.
    #[command(after_help = STATS_EXAMPLES)]
    Stats(IdArgs),
    /// A mailing's traces: one per targeted contact, with its status and failure.
    #[command(after_help = TRACES_EXAMPLES)]
    Traces(IdArgs),
    /// Every mailing with its state and main counts.
    #[command(after_help = LIST_EXAMPLES)]
    List(ListArgs),
    /// One mailing: its text, audience, state, schedule and counts.
    #[command(after_help = SHOW_EXAMPLES)]
    Show(IdArgs),
    /// Queue a draft mailing to be sent at a time by `run-due`.
    #[command(after_help = SCHEDULE_EXAMPLES)]
    Schedule(ScheduleArgs),
    /// Cancel a queued or sending mailing.
    #[command(after_help = CANCEL_EXAMPLES)]
    Cancel(IdArgs),
    /// Queue a mailing's failed messages again (and send them with --provider); never those to
    /// numbers that opted out, are blacklisted, duplicates or invalid.
    #[command(after_help = RETRY_EXAMPLES)]
    Retry(RetryArgs),
}

/// Arguments of `smskit mailing create`.
#[derive(Debug, clap::Args)]
#[command(group(clap::ArgGroup::new("audience").required(true).args(["list", "domain"])))]
pub(crate) struct CreateArgs {
    /// Its internal title.
    #[arg(long, value_name = "NAME", value_parser = clap::builder::NonEmptyStringValueParser::new())]
    name: String,

    /// The message template: text with {{ object.FIELD }} placeholders.
    #[arg(long, value_name = "TEXT", value_parser = clap::builder::NonEmptyStringValueParser::new())]
    body: String,

    /// Send to the contacts of these mailing lists (repeat the option or give several names).
    #[arg(long, value_name = "NAME", num_args = 1.., action = clap::ArgAction::Append)]
    list: Vec<String>,

    /// Send to the contacts this filter domain selects, e.g. "[('city', '=', 'Gent')]".
    #[arg(long, value_name = "DOMAIN")]
    domain: Option<String>,

    /// Append the opt-out line `STOP SMS: <link-base>/sms/…` (needs --link-base, and
    /// $SMSKIT_OPT_OUT_SECRET when sending).
    #[arg(long, requires = "link_base")]
    opt_out_link: bool,

    /// Track the message's links as short links under this base URL (e.g. https://sho.rt).
    #[arg(long, value_name = "URL")]
    link_base: Option<String>,

    /// File the mailing under this campaign (created if needed).
    #[arg(long, value_name = "NAME")]
    campaign: Option<String>,

    /// Print {"id": N}.
    #[arg(long)]
    json: bool,

    #[command(flatten)]
    db: DbArgs,
}

/// Arguments of `smskit mailing send`.
#[derive(Debug, clap::Args)]
pub(crate) struct SendArgs {
    /// The mailing's id.
    id: i64,

    /// The provider: `twilio`, `vonage`, `file` (writes each message as JSON into --outbox) or
    /// `stub` (accepts without sending).
    #[arg(long, value_enum)]
    provider: ProviderName,

    #[command(flatten)]
    send: SendOptions,

    /// Print the summary as JSON.
    #[arg(long)]
    json: bool,

    #[command(flatten)]
    db: DbArgs,
}

/// Arguments of the commands that take a mailing's id alone.
#[derive(Debug, clap::Args)]
pub(crate) struct IdArgs {
    /// The mailing's id.
    id: i64,

    /// Print JSON.
    #[arg(long)]
    json: bool,

    #[command(flatten)]
    db: DbArgs,
}

/// Arguments of `smskit mailing list`.
#[derive(Debug, clap::Args)]
pub(crate) struct ListArgs {
    /// Print JSON.
    #[arg(long)]
    json: bool,

    #[command(flatten)]
    db: DbArgs,
}

/// Arguments of `smskit mailing schedule`.
#[derive(Debug, clap::Args)]
pub(crate) struct ScheduleArgs {
    /// The mailing's id.
    id: i64,

    /// When to send it (RFC 3339: 2026-05-01T09:00:00Z or 2026-05-01T11:00:00+02:00); it
    /// must be in the future.
    #[arg(long, value_name = "TIME", value_parser = db::parse_time)]
    at: DateTime<Utc>,

    /// Print JSON.
    #[arg(long)]
    json: bool,

    #[command(flatten)]
    db: DbArgs,
}

/// Arguments of `smskit mailing retry`.
#[derive(Debug, clap::Args)]
pub(crate) struct RetryArgs {
    /// The mailing's id.
    id: i64,

    /// Also resend the messages whose outcome is unknown: they may have been delivered, so
    /// their recipients may get them twice.
    #[arg(long)]
    include_unknown: bool,

    /// Send the requeued messages at once through this provider.
    #[arg(long, value_enum)]
    provider: Option<ProviderName>,

    #[command(flatten)]
    send: SendOptions,

    /// Print JSON.
    #[arg(long)]
    json: bool,

    #[command(flatten)]
    db: DbArgs,
}

/// Arguments of `smskit run-due`.
#[derive(Debug, clap::Args)]
#[command(after_help = RUN_DUE_EXAMPLES)]
pub(crate) struct RunDueArgs {
    /// The provider: `twilio`, `vonage`, `file` (writes each message as JSON into --outbox) or
    /// `stub` (accepts without sending).
    #[arg(long, value_enum)]
    provider: ProviderName,

    #[command(flatten)]
    send: SendOptions,

    /// Take this time as now (RFC 3339), to process what is due by then.
    #[arg(long, value_name = "TIME", value_parser = db::parse_time, hide = true)]
    now: Option<DateTime<Utc>>,

    /// Print JSON: an array of the summaries of the mailings processed.
    #[arg(long)]
    json: bool,

    #[command(flatten)]
    db: DbArgs,
}

/// Runs `smskit mailing ...`.
pub(crate) fn run(command: MailingCommand) -> Result<ExitCode, Failure> {
    match command {
        MailingCommand::Create(args) => create(&args),
        MailingCommand::Send(args) => send(&args),
        MailingCommand::Stats(args) => stats(&args),
        MailingCommand::Traces(args) => traces(&args),
        MailingCommand::List(args) => list(&args),
        MailingCommand::Show(args) => show(&args),
        MailingCommand::Schedule(args) => schedule(&args),
        MailingCommand::Cancel(args) => cancel(&args),
        MailingCommand::Retry(args) => retry(&args),
    }
}

// ---------------------------------------------------------------------------------------------
// Settings of a mailing

/// The link base kept in a mailing's tags.
pub(crate) fn link_base(mailing: &Mailing) -> Option<&str> {
    mailing
        .tags
        .iter()
        .find_map(|tag| tag.strip_prefix(LINK_BASE_TAG))
}

/// The secret of opt-out links, from the environment.
pub(crate) fn opt_out_secret() -> Option<String> {
    std::env::var(OPT_OUT_SECRET)
        .ok()
        .filter(|secret| !secret.is_empty())
}

/// The engine settings a mailing is sent with over `db`: [`send_settings`], with the
/// mailing's link base and opt-out links ([`link_settings`]).
fn settings_for(
    mailing: &Mailing,
    send: Option<&SendOptions>,
    db: &Db,
) -> Result<Settings, Failure> {
    link_settings(
        send_settings(send, db.sole_sender())?,
        &format!("mailing {}", mailing.id),
        link_base(mailing),
        mailing.include_opt_out_link,
    )
}

/// The engine settings of a send with the options `send`: the batch size, the sender, the
/// rate, and the claim lease: `--claim-lease`, else zero when the run is `alone` (the only
/// sender of its database, so the claims it finds are those of a run that died), else the
/// facade's default (other senders' claims are live).
pub(crate) fn send_settings(send: Option<&SendOptions>, alone: bool) -> Result<Settings, Failure> {
    let mut settings =
        Settings::new().with_batch_size(send.map_or(100, |send| usize::from(send.batch_size)));
    let lease = match send.and_then(|send| send.claim_lease) {
        Some(seconds) => Some(smskit::chrono::Duration::seconds(i64::from(seconds))),
        None => alone.then(smskit::chrono::Duration::zero),
    };
    if let Some(lease) = lease {
        settings = settings.with_claim_lease(lease);
    }
    if let Some(send) = send {
        if let Some(sender) = send.sender()? {
            settings = settings.with_sender(sender);
        }
        if let Some(rate) = send.rate {
            settings = settings
                .with_dispatch(smskit::provider::DispatchOptions::default().with_rate(rate));
        }
    }
    Ok(settings)
}

/// `settings` with tracked links under `base` and, when `opt_out_link`, opt-out links under it
/// too (their secret from `SMSKIT_OPT_OUT_SECRET`). `what` names whose settings these are in
/// an error (`mailing 7`).
pub(crate) fn link_settings(
    settings: Settings,
    what: &str,
    base: Option<&str>,
    opt_out_link: bool,
) -> Result<Settings, Failure> {
    let Some(base) = base else {
        return Ok(settings);
    };
    let mut settings = settings.with_links(
        Shortener::new(base)
            .map_err(|error| Failure::with_code(format_args!("{what}: link base: {error}"), 2))?,
    );
    if opt_out_link {
        let secret = opt_out_secret().ok_or_else(|| {
            usage(format_args!(
                "{what} appends opt-out links: set {OPT_OUT_SECRET} to the secret the opt-out pages check (at least 16 bytes)"
            ))
        })?;
        settings = settings
            .with_opt_out_links(OptOutLinks::new(base, secret.as_bytes()).map_err(db::failure)?);
    }
    Ok(settings)
}

/// The mailing with this id, or a failure (exit 1).
fn mailing_record<S: Store>(engine: &Engine<S>, id: i64) -> Result<Mailing, Failure> {
    engine
        .store()
        .mailing(MailingId(id))
        .map_err(db::store_failure)?
        .ok_or_else(|| Failure::new(format_args!("mailing {id} does not exist")))
}

// ---------------------------------------------------------------------------------------------
// create

#[derive(Debug, Serialize)]
struct Created {
    id: i64,
}

fn create(args: &CreateArgs) -> Result<ExitCode, Failure> {
    if let Some(base) = &args.link_base {
        Shortener::new(base).map_err(|error| usage(format_args!("--link-base: {error}")))?;
    }
    let mut settings = Settings::new();
    if args.opt_out_link
        && let Some(base) = &args.link_base
    {
        // Creating only checks that opt-out links will be configured; the secret signs
        // nothing yet. Without it in the environment, a stand-in lets the check pass and the
        // operator is told that sending will need it.
        let secret = opt_out_secret().unwrap_or_else(|| {
            output::warning(format_args!(
                "set {OPT_OUT_SECRET} before sending: the opt-out links are signed with it"
            ));
            "not used: creating signs nothing".to_owned()
        });
        settings = settings.with_opt_out_links(
            OptOutLinks::new(base, secret.as_bytes())
                .map_err(|error| usage(format_args!("--opt-out-link: {error}")))?,
        );
    }
    let mut engine = db::open(&args.db.db, settings)?;
    let audience = match &args.domain {
        Some(domain) => Audience::Domain(domain.clone()),
        None => Audience::Lists(
            args.list
                .iter()
                .map(|name| list_named(&engine, name))
                .collect::<Result<_, _>>()?,
        ),
    };
    let mut mailing = NewMailing::new(args.name.trim(), args.body.clone(), audience);
    if args.opt_out_link {
        mailing = mailing.with_opt_out_link();
    }
    if let Some(base) = &args.link_base {
        mailing = mailing.with_tag(format!("{LINK_BASE_TAG}{base}"));
    }
    if let Some(name) = &args.campaign {
        mailing = mailing.with_campaign(campaign_named(&mut engine, name)?);
    }
    let id = engine
        .create_mailing(mailing, db::now())
        .map_err(db::failure)?;
    print(args.json, &Created { id: id.0 }, || id.to_string())
}

/// The campaign called `name` (surrounding spaces ignored), created when there is none.
fn campaign_named<S: Store>(engine: &mut Engine<S>, name: &str) -> Result<CampaignId, Failure> {
    let name = name.trim();
    let existing = engine.store().campaigns().map_err(db::store_failure)?;
    if let Some(campaign) = existing.iter().find(|campaign| campaign.name == name) {
        return Ok(campaign.id);
    }
    engine
        .create_campaign(NewCampaign::new(name), db::now())
        .map_err(db::failure)
}

// ---------------------------------------------------------------------------------------------
// send

/// What a send did, as printed.
#[derive(Debug, Serialize)]
struct SendSummary {
    mailing: i64,
    name: String,
    state: &'static str,
    prepared: PreparedJson,
    sent: Sent,
    /// Numbers the provider said opted out (Twilio 21610), blacklisted now.
    blacklisted: usize,
    stats: StatsJson,
}

/// [`Prepared`] with the exclusions by name.
#[derive(Debug, Serialize)]
struct PreparedJson {
    traces: usize,
    outgoing: usize,
    canceled: BTreeMap<&'static str, usize>,
}

impl From<Prepared> for PreparedJson {
    fn from(prepared: Prepared) -> Self {
        PreparedJson {
            traces: prepared.traces,
            outgoing: prepared.outgoing,
            canceled: prepared
                .canceled
                .into_iter()
                .map(|(failure, n)| (failure.as_str(), n))
                .collect(),
        }
    }
}

fn send(args: &SendArgs) -> Result<ExitCode, Failure> {
    let engine = db::open(&args.db.db, Settings::new())?;
    let record = mailing_record(&engine, args.id)?;
    let provider = providers::build(args.send.provider_options(args.provider))?;
    let settings = settings_for(&record, Some(&args.send), engine.store())?;
    let mut engine = Engine::new(engine.into_store(), settings);
    let summary = prepare_and_send(&mut engine, &record, provider.as_ref(), db::now())?;
    print_summary(args.json, &summary)
}

/// Prepares (unless it was sent already: new list members do not get an old mailing) and
/// sends `record`.
fn prepare_and_send(
    engine: &mut Engine<Db>,
    record: &Mailing,
    provider: &dyn Provider,
    now: DateTime<Utc>,
) -> Result<SendSummary, Failure> {
    let id = record.id;
    if record.audience == Audience::Transactional {
        return Err(Failure::new(format_args!(
            "mailing {id} is transactional: the application sends it, one contact at a time"
        )));
    }
    let prepared = if record.state == MailingState::Sent {
        Prepared::default()
    } else {
        engine.prepare(id).map_err(db::failure)?
    };
    let mut waiting = 0u64;
    engine
        .store()
        .traces(id, &mut |trace| {
            waiting += u64::from(trace.status == TraceStatus::Outgoing);
        })
        .map_err(db::store_failure)?;
    let progress = std::io::stderr()
        .is_terminal()
        .then(|| progress_bar(waiting, &record.name));
    let sent = match &progress {
        Some(bar) => {
            let counting = Counting {
                inner: provider,
                bar: bar.clone(),
            };
            engine.send(id, &counting, &SystemClock::new(), now)
        }
        None => engine.send(id, provider, &SystemClock::new(), now),
    };
    if let Some(bar) = progress {
        bar.finish_and_clear();
    }
    let sent = sent.map_err(db::failure)?;
    // The engine blacklists the numbers the provider refused as opted out.
    let blacklisted = sent.blacklisted;
    let counts = engine.counts(id).map_err(db::failure)?;
    let state = mailing_record(engine, id.0)?.state;
    Ok(SendSummary {
        mailing: id.0,
        name: record.name.clone(),
        state: state.as_str(),
        prepared: prepared.into(),
        sent,
        blacklisted,
        stats: StatsJson::from(counts),
    })
}

fn progress_bar(total: u64, name: &str) -> ProgressBar {
    let bar = ProgressBar::new(total);
    if let Ok(style) =
        ProgressStyle::with_template("{msg} [{bar:40}] {pos}/{len} messages, {per_sec}, ETA {eta}")
    {
        bar.set_style(style.progress_chars("=> "));
    }
    bar.set_message(output::printable(name).into_owned());
    bar
}

/// A provider that moves a progress bar once per message done (accepted or failed for good;
/// a retryable failure will be tried again).
#[derive(Debug)]
struct Counting<'a> {
    inner: &'a dyn Provider,
    bar: ProgressBar,
}

impl Provider for Counting<'_> {
    fn name(&self) -> &str {
        self.inner.name()
    }

    fn submit(&self, message: &OutboundMessage) -> smskit::provider::Result<Receipt> {
        let result = self.inner.submit(message);
        if !matches!(&result, Err(error) if error.class() == ErrorClass::Retryable) {
            self.bar.inc(1);
        }
        result
    }
}

fn print_summary(json: bool, summary: &SendSummary) -> Result<ExitCode, Failure> {
    print(json, summary, || render_summary(summary))
}

fn render_summary(summary: &SendSummary) -> String {
    let sent = &summary.sent;
    let mut text = format!(
        "mailing {} \"{}\": {}\n",
        summary.mailing,
        output::printable(&summary.name),
        summary.state
    );
    if summary.prepared.traces > 0 {
        let canceled: Vec<String> = summary
            .prepared
            .canceled
            .iter()
            .map(|(failure, n)| format!("{n} {failure}"))
            .collect();
        text.push_str(&format!(
            "prepared {} traces: {} to send{}\n",
            summary.prepared.traces,
            summary.prepared.outgoing,
            if canceled.is_empty() {
                String::new()
            } else {
                format!(", excluded {}", canceled.join(", "))
            }
        ));
    }
    if sent.abandoned > 0 {
        text.push_str(&format!(
            "{} messages of an interrupted send are recorded as unknown (they may have left; see `mailing retry --include-unknown`)\n",
            sent.abandoned
        ));
    }
    text.push_str(&format!(
        "accepted {} ({} segments), failed {}, unknown {}\n",
        sent.accepted, sent.segments, sent.failed, sent.unknown
    ));
    if summary.blacklisted > 0 {
        text.push_str(&format!(
            "blacklisted {} numbers whose owners opted out at the provider\n",
            summary.blacklisted
        ));
    }
    text.push_str(&render_stats(&summary.stats));
    text
}

// ---------------------------------------------------------------------------------------------
// stats

/// A mailing's counts and ratios, as `mailing stats --json` prints them.
#[derive(Debug, Serialize)]
struct StatsJson {
    expected: u64,
    canceled: u64,
    scheduled: u64,
    sent: u64,
    delivered: u64,
    opened: u64,
    clicked: u64,
    replied: u64,
    bounced: u64,
    failed: u64,
    received_ratio: smskit::stats::Percent,
    opened_ratio: smskit::stats::Percent,
    replied_ratio: smskit::stats::Percent,
    clicks_ratio: smskit::stats::Percent,
    bounced_ratio: smskit::stats::Percent,
    failed_ratio: smskit::stats::Percent,
}

impl From<Counts> for StatsJson {
    fn from(counts: Counts) -> Self {
        let ratios = counts.ratios();
        StatsJson {
            expected: counts.expected,
            canceled: counts.canceled,
            scheduled: counts.scheduled,
            sent: counts.sent,
            delivered: counts.delivered,
            opened: counts.opened,
            clicked: counts.clicked,
            replied: counts.replied,
            bounced: counts.bounced,
            failed: counts.failed,
            received_ratio: ratios.received,
            opened_ratio: ratios.opened,
            replied_ratio: ratios.replied,
            clicks_ratio: ratios.clicks,
            bounced_ratio: ratios.bounced,
            failed_ratio: ratios.failed,
        }
    }
}

fn render_stats(stats: &StatsJson) -> String {
    format!(
        "expected {}, canceled {}, scheduled {}, sent {}, delivered {}, opened {}, clicked {}, replied {}, bounced {}, failed {}\n\
         received {}%, clicks {}%, opened {}%, replied {}%, bounced {}%, failed {}%\n",
        stats.expected,
        stats.canceled,
        stats.scheduled,
        stats.sent,
        stats.delivered,
        stats.opened,
        stats.clicked,
        stats.replied,
        stats.bounced,
        stats.failed,
        stats.received_ratio,
        stats.clicks_ratio,
        stats.opened_ratio,
        stats.replied_ratio,
        stats.bounced_ratio,
        stats.failed_ratio
    )
}

fn stats(args: &IdArgs) -> Result<ExitCode, Failure> {
    let engine = db::open(&args.db.db, Settings::new())?;
    let record = mailing_record(&engine, args.id)?;
    let stats = StatsJson::from(engine.counts(record.id).map_err(db::failure)?);
    print(args.json, &stats, || {
        render_stats(&stats).trim_end().to_owned()
    })
}

// ---------------------------------------------------------------------------------------------
// traces

/// One trace, as `mailing traces --json` prints it.
#[derive(Debug, Serialize)]
struct TraceJson {
    id: i64,
    contact: i64,
    name: Option<String>,
    number: Option<String>,
    status: &'static str,
    failure_type: Option<&'static str>,
    failure_reason: Option<String>,
    provider_message_id: Option<String>,
    sent_at: Option<DateTime<Utc>>,
    clicked_at: Option<DateTime<Utc>>,
    replied_at: Option<DateTime<Utc>>,
}

fn traces(args: &IdArgs) -> Result<ExitCode, Failure> {
    let engine = db::open(&args.db.db, Settings::new())?;
    let record = mailing_record(&engine, args.id)?;
    let rows = trace_rows(&engine, record.id)?;
    let mut out = output::stdout();
    if args.json {
        serde_json::to_writer_pretty(&mut out, &rows)?;
        writeln!(out)?;
    } else {
        writeln!(
            out,
            "{:>7}  {:<24} {:<18} {:<9} {:<24} provider id",
            "trace", "name", "number", "status", "failure"
        )?;
        for row in &rows {
            writeln!(
                out,
                "{:>7}  {:<24} {:<18} {:<9} {:<24} {}",
                row.id,
                output::printable(row.name.as_deref().unwrap_or("-")),
                output::printable(row.number.as_deref().unwrap_or("-")),
                row.status,
                row.failure_type.unwrap_or("-"),
                output::printable(row.provider_message_id.as_deref().unwrap_or("-"))
            )?;
        }
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

fn trace_rows<S: Store>(engine: &Engine<S>, mailing: MailingId) -> Result<Vec<TraceJson>, Failure> {
    let mut rows = Vec::new();
    engine
        .store()
        .traces(mailing, &mut |trace| {
            rows.push(TraceJson {
                id: trace.id.0,
                contact: trace.contact.0,
                name: None,
                number: trace
                    .number
                    .map(|number| number.to_string())
                    .or_else(|| trace.raw_number.clone()),
                status: trace.status.as_str(),
                failure_type: trace.failure_type.map(|failure| failure.as_str()),
                failure_reason: trace.failure_reason.clone(),
                provider_message_id: trace.provider_message_id.clone(),
                sent_at: trace.sent_at,
                clicked_at: trace.clicked_at,
                replied_at: trace.replied_at,
            });
        })
        .map_err(db::store_failure)?;
    // The names in one pass over the contacts, not one lookup per trace.
    let wanted: HashSet<i64> = rows.iter().map(|row| row.contact).collect();
    let mut names: HashMap<i64, String> = HashMap::with_capacity(wanted.len());
    engine
        .store()
        .contacts(&mut |contact| {
            if wanted.contains(&contact.id.0) {
                names.insert(contact.id.0, contact.name.clone());
            }
        })
        .map_err(db::store_failure)?;
    for row in &mut rows {
        row.name = names.get(&row.contact).cloned();
    }
    Ok(rows)
}

// ---------------------------------------------------------------------------------------------
// list and show

/// A mailing, as `mailing list` and `mailing show` print it.
#[derive(Debug, Serialize)]
struct MailingJson {
    id: i64,
    name: String,
    state: &'static str,
    scheduled_at: Option<DateTime<Utc>>,
    created_at: DateTime<Utc>,
    body: String,
    lists: Vec<String>,
    domain: Option<String>,
    /// The number of contacts of a mailing to chosen contacts (an application's records).
    contacts: Option<usize>,
    campaign: Option<String>,
    link_base: Option<String>,
    opt_out_link: bool,
    stats: StatsJson,
}

fn mailing_json<S: Store>(engine: &Engine<S>, mailing: Mailing) -> Result<MailingJson, Failure> {
    let stats = StatsJson::from(engine.counts(mailing.id).map_err(db::failure)?);
    let contacts = match &mailing.audience {
        Audience::Contacts(ids) => Some(ids.len()),
        _ => None,
    };
    let (lists, domain) = match &mailing.audience {
        Audience::Lists(ids) => {
            let all = engine.store().lists().map_err(db::store_failure)?;
            let names = ids
                .iter()
                .map(|id| {
                    all.iter()
                        .find(|list| list.id == *id)
                        .map_or_else(|| format!("#{id}"), |list| list.name.clone())
                })
                .collect();
            (names, None)
        }
        Audience::Domain(domain) => (Vec::new(), Some(domain.clone())),
        _ => (Vec::new(), None),
    };
    let campaign = match mailing.campaign {
        Some(id) => engine
            .store()
            .campaign(id)
            .map_err(db::store_failure)?
            .map(|campaign| campaign.name),
        None => None,
    };
    Ok(MailingJson {
        id: mailing.id.0,
        link_base: link_base(&mailing).map(str::to_owned),
        name: mailing.name,
        state: mailing.state.as_str(),
        scheduled_at: mailing.scheduled_at,
        created_at: mailing.created_at,
        body: mailing.body,
        lists,
        domain,
        contacts,
        campaign,
        opt_out_link: mailing.include_opt_out_link,
        stats,
    })
}

fn list(args: &ListArgs) -> Result<ExitCode, Failure> {
    let engine = db::open(&args.db.db, Settings::new())?;
    let mailings = engine.store().mailings().map_err(db::store_failure)?;
    let rows = mailings
        .into_iter()
        .map(|mailing| mailing_json(&engine, mailing))
        .collect::<Result<Vec<_>, _>>()?;
    let mut out = output::stdout();
    if args.json {
        serde_json::to_writer_pretty(&mut out, &rows)?;
        writeln!(out)?;
    } else {
        writeln!(
            out,
            "{:>4}  {:<28} {:<9} {:<20} {:>8} {:>6} {:>9} {:>7}",
            "id", "name", "state", "scheduled", "expected", "sent", "delivered", "failed"
        )?;
        for row in &rows {
            writeln!(
                out,
                "{:>4}  {:<28} {:<9} {:<20} {:>8} {:>6} {:>9} {:>7}",
                row.id,
                output::printable(&row.name),
                row.state,
                row.scheduled_at.map_or_else(
                    || "-".to_owned(),
                    |at| at.format("%Y-%m-%d %H:%M").to_string()
                ),
                row.stats.expected,
                row.stats.sent,
                row.stats.delivered,
                row.stats.failed
            )?;
        }
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

fn show(args: &IdArgs) -> Result<ExitCode, Failure> {
    let engine = db::open(&args.db.db, Settings::new())?;
    let record = mailing_record(&engine, args.id)?;
    let row = mailing_json(&engine, record)?;
    print(args.json, &row, || {
        let audience = match (&row.domain, row.contacts) {
            (Some(domain), _) => format!("contacts matching {}", output::printable(domain)),
            (None, Some(contacts)) => format!("{contacts} chosen contacts"),
            (None, None) => format!("lists {}", output::printable(&row.lists.join(", "))),
        };
        let mut text = format!(
            "mailing {} \"{}\": {}{}\naudience: {audience}\n",
            row.id,
            output::printable(&row.name),
            row.state,
            row.scheduled_at
                .map(|at| format!(", scheduled at {}", at.to_rfc3339()))
                .unwrap_or_default()
        );
        if let Some(campaign) = &row.campaign {
            text.push_str(&format!("campaign: {}\n", output::printable(campaign)));
        }
        if let Some(base) = &row.link_base {
            text.push_str(&format!(
                "links tracked under {}{}\n",
                output::printable(base),
                if row.opt_out_link {
                    ", with the opt-out line"
                } else {
                    ""
                }
            ));
        }
        text.push_str(&format!("body: {}\n", output::printable(&row.body)));
        text.push_str(render_stats(&row.stats).trim_end());
        text
    })
}

// ---------------------------------------------------------------------------------------------
// schedule, cancel, retry

#[derive(Debug, Serialize)]
struct Scheduled {
    id: i64,
    state: &'static str,
    scheduled_at: DateTime<Utc>,
}

fn schedule(args: &ScheduleArgs) -> Result<ExitCode, Failure> {
    let mut engine = db::open(&args.db.db, Settings::new())?;
    let record = mailing_record(&engine, args.id)?;
    engine
        .schedule(record.id, args.at, db::now())
        .map_err(db::failure)?;
    let report = Scheduled {
        id: args.id,
        state: MailingState::InQueue.as_str(),
        scheduled_at: args.at,
    };
    print(args.json, &report, || {
        format!(
            "mailing {} is scheduled at {}",
            args.id,
            args.at.to_rfc3339()
        )
    })
}

#[derive(Debug, Serialize)]
struct Canceled {
    id: i64,
    state: &'static str,
    canceled: usize,
}

fn cancel(args: &IdArgs) -> Result<ExitCode, Failure> {
    let mut engine = db::open(&args.db.db, Settings::new())?;
    let record = mailing_record(&engine, args.id)?;
    let canceled = engine.cancel(record.id).map_err(db::failure)?;
    let report = Canceled {
        id: args.id,
        state: MailingState::Draft.as_str(),
        canceled,
    };
    print(args.json, &report, || {
        format!(
            "mailing {} is back to draft; {canceled} messages not sent are canceled",
            args.id
        )
    })
}

#[derive(Debug, Serialize)]
struct Retried {
    id: i64,
    requeued: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    send: Option<SendSummary>,
}

fn retry(args: &RetryArgs) -> Result<ExitCode, Failure> {
    let engine = db::open(&args.db.db, Settings::new())?;
    let record = mailing_record(&engine, args.id)?;
    let provider = args
        .provider
        .map(|name| providers::build(args.send.provider_options(name)))
        .transpose()?;
    let settings = settings_for(
        &record,
        provider.as_ref().map(|_| &args.send),
        engine.store(),
    )?;
    let mut engine = Engine::new(engine.into_store(), settings);
    let requeued = engine
        .retry_failed(record.id, args.include_unknown)
        .map_err(db::failure)?;
    let send = match &provider {
        Some(provider) => {
            let record = mailing_record(&engine, args.id)?;
            Some(prepare_and_send(
                &mut engine,
                &record,
                provider.as_ref(),
                db::now(),
            )?)
        }
        None => None,
    };
    let report = Retried {
        id: args.id,
        requeued,
        send,
    };
    print(args.json, &report, || {
        let mut text = format!(
            "{requeued} failed messages of mailing {} queued again",
            args.id
        );
        match &report.send {
            Some(summary) => {
                text.push('\n');
                text.push_str(render_summary(summary).trim_end());
            }
            None if requeued > 0 => text.push_str(&format!(
                "; `smskit mailing send {} --provider …` or `smskit run-due` sends them",
                args.id
            )),
            None => {}
        }
        text
    })
}

// ---------------------------------------------------------------------------------------------
// run-due

/// A mailing run-due could not process.
#[derive(Debug, Serialize)]
struct DueFailure {
    mailing: i64,
    error: String,
}

/// Runs `smskit run-due`.
pub(crate) fn run_due(args: RunDueArgs) -> Result<ExitCode, Failure> {
    let now = args.now.unwrap_or_else(db::now);
    let provider = providers::build(args.send.provider_options(args.provider))?;
    let mut store = db::open_store(&args.db.db)?;
    let due: Vec<Mailing> = store
        .mailings()
        .map_err(db::store_failure)?
        .into_iter()
        .filter(|mailing| match mailing.state {
            MailingState::InQueue => mailing.scheduled_at.is_none_or(|at| at <= now),
            MailingState::Sending => true,
            _ => false,
        })
        .filter(|mailing| mailing.audience != Audience::Transactional)
        .collect();
    let mut done = Vec::new();
    let mut failed = Vec::new();
    for record in due {
        // Each mailing is sent with its own settings (its link base, its opt-out links).
        let result = match settings_for(&record, Some(&args.send), &store) {
            Ok(settings) => {
                let mut engine = Engine::new(store, settings);
                let result = prepare_and_send(&mut engine, &record, provider.as_ref(), now);
                store = engine.into_store();
                result
            }
            Err(failure) => Err(failure),
        };
        match result {
            Ok(summary) => done.push(summary),
            Err(failure) => {
                let message = failure.message().to_owned();
                output::error(format_args!("mailing {}: {message}", record.id));
                failed.push(DueFailure {
                    mailing: record.id.0,
                    error: message,
                });
            }
        }
    }
    #[derive(Debug, Serialize)]
    struct DueReport {
        sent: Vec<SendSummary>,
        failed: Vec<DueFailure>,
    }
    let report = DueReport { sent: done, failed };
    print(args.json, &report, || {
        if report.sent.is_empty() && report.failed.is_empty() {
            return "no mailing is due".to_owned();
        }
        let mut text = String::new();
        for summary in &report.sent {
            text.push_str(&render_summary(summary));
        }
        text.trim_end().to_owned()
    })?;
    Ok(if report.failed.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use smskit::phone::E164;
    use smskit::provider::{Error as ProviderError, ErrorKind, StubProvider};

    fn mailing(tags: &[&str], opt_out: bool) -> Mailing {
        let mut new = NewMailing::new("m", "Hi https://shop.example", Audience::Lists(vec![]));
        for tag in tags {
            new = new.with_tag(*tag);
        }
        if opt_out {
            new = new.with_opt_out_link();
        }
        Mailing {
            id: MailingId(7),
            name: new.name,
            body: new.body,
            audience: new.audience,
            include_opt_out_link: new.include_opt_out_link,
            campaign: None,
            responsible: None,
            tags: new.tags,
            ab_test: None,
            state: MailingState::Draft,
            scheduled_at: None,
            created_at: DateTime::UNIX_EPOCH,
        }
    }

    #[test]
    fn the_link_base_is_read_back_from_its_tag_and_other_tags_are_ignored() {
        let tagged = mailing(&["spring", "smskit:link-base=https://sho.rt"], false);
        assert_eq!(link_base(&tagged), Some("https://sho.rt"));
        assert_eq!(link_base(&mailing(&["spring"], false)), None);
    }

    #[test]
    fn a_bad_stored_link_base_is_an_input_error() {
        let broken = mailing(&["smskit:link-base=not a url"], false);
        let db = Db::Sqlite(smskit_store_sqlite::SqliteStore::open_in_memory().unwrap());
        let failure = settings_for(&broken, None, &db).unwrap_err();
        assert_eq!(failure.exit_code(), 2);
        assert!(
            failure.message().contains("mailing 7"),
            "{}",
            failure.message()
        );
    }

    /// A provider that refuses every message with an error of one class.
    #[derive(Debug)]
    struct Refusing(ErrorKind);

    impl Provider for Refusing {
        fn name(&self) -> &str {
            "refusing"
        }

        fn submit(&self, _: &OutboundMessage) -> smskit::provider::Result<Receipt> {
            Err(match self.0 {
                ErrorKind::RateLimited => ProviderError::retryable(self.0, "slow down"),
                kind => ProviderError::permanent(kind, "no"),
            })
        }
    }

    #[test]
    fn the_progress_bar_counts_messages_done_not_attempts_to_retry() {
        let message = OutboundMessage::new(E164::parse("+32470000001").unwrap(), "Hi");
        let stub = StubProvider::new();
        let throttled = Refusing(ErrorKind::RateLimited);
        let refused = Refusing(ErrorKind::InvalidDestination);
        for (provider, moved) in [
            (&stub as &dyn Provider, 1),
            (&throttled as &dyn Provider, 0),
            (&refused as &dyn Provider, 1),
        ] {
            let bar = ProgressBar::hidden();
            let counting = Counting {
                inner: provider,
                bar: bar.clone(),
            };
            let _ = counting.send(&message);
            assert_eq!(bar.position(), moved, "{provider:?}");
        }
    }
}
