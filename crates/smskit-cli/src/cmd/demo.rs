//! `smskit demo`: a whole campaign on built-in sample data, through the file provider.
//!
//! The audience has what real ones have: invalid, duplicate, blacklisted and opted-out
//! numbers, two lists, a filter. An A/B test of two versions with a link goes to 20% of the
//! lists each; delivery reports and clicks are simulated (deterministically, from `--seed`);
//! the winner by clicks goes to everyone else; the statistics are printed.

use std::fmt::Write as _;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};
use serde::Serialize;
use smskit::ab::NewAbTest;
use smskit::chrono::{DateTime, TimeDelta, Utc};
use smskit::links::Shortener;
use smskit::model::{Audience, ListId, MailingId, NewCampaign, NewContact, NewMailing, WinnerRule};
use smskit::optout::OptOutLinks;
use smskit::phone::Region;
use smskit::provider::{DeliveryReport, FailureType, FileProvider, SimulatedClock, TraceStatus};
use smskit::segment::PriceTable;
use smskit::stats::Counts;
use smskit::{Engine, MemoryStore, Settings, Store};

use crate::failure::Failure;
use crate::output;

const DEMO_EXAMPLES: &str = "\
Examples:
  smskit demo --outbox ./demo-outbox
  smskit demo --outbox ./demo-outbox --json
  smskit demo --outbox ./demo-outbox --seed 7
  smskit demo --outbox ./demo-outbox --db demo.db && smskit mailing list --db demo.db

The messages are written as JSON files into the outbox (a new folder ./smskit-demo-outbox-N
unless --outbox names one); nothing is sent to a phone.";

/// Run a complete SMS campaign on built-in sample data and print its statistics.
///
/// 500 contacts (some with invalid, duplicate, blacklisted or opted-out numbers) in two lists;
/// an A/B test of two versions with a tracked link, each sent to 20% of the lists; delivery
/// reports and clicks simulated; the winner by clicks sent to everyone else; and a mailing to
/// the contacts a filter selects.
#[derive(Debug, clap::Args)]
#[command(after_help = DEMO_EXAMPLES)]
pub(crate) struct DemoArgs {
    /// Where the file provider writes the messages (created if needed; default: a new folder
    /// `smskit-demo-outbox-N` in the current directory).
    #[arg(long, value_name = "DIR")]
    outbox: Option<PathBuf>,

    /// The seed of the sample data, the A/B samples and the simulated reports and clicks.
    #[arg(long, default_value_t = 2026)]
    seed: u64,

    /// Print the figures as JSON instead of tables.
    #[arg(long)]
    json: bool,

    /// Keep everything in this database (a new one: a SQLite file, or a postgres:// URL as
    /// for the campaign commands), for the campaign commands to inspect
    /// (`smskit mailing list --db PATH`); by default the demo keeps nothing.
    #[arg(long, value_name = "PATH|URL", value_parser = crate::db::location_parser())]
    db: Option<crate::db::Location>,
}

/// The figures of one mailing, as printed.
#[derive(Debug, Serialize)]
struct MailingReport {
    id: i64,
    name: String,
    role: &'static str,
    counts: Counts,
    received_ratio: String,
    clicks_ratio: String,
    bounced_ratio: String,
}

/// Everything the demo prints.
#[derive(Debug, Serialize)]
struct Report {
    outbox: String,
    messages_written: usize,
    contacts: usize,
    mailings: Vec<MailingReport>,
    winner: Option<String>,
    p_value: Option<f64>,
    significant: Option<bool>,
    probability_best: Vec<f64>,
    excluded: Vec<(String, u64)>,
}

pub(crate) fn run(args: DemoArgs) -> Result<ExitCode, Failure> {
    let outbox = match args.outbox {
        Some(dir) => dir,
        None => fresh_outbox(Path::new("."))?,
    };
    let report = match &args.db {
        Some(location) => {
            let store = crate::db::open_store(location)?;
            let used = !store.lists().map_err(demo_failure)?.is_empty()
                || !store.mailings().map_err(demo_failure)?.is_empty();
            if used {
                return Err(Failure::new(format_args!(
                    "demo: {location} already holds lists or mailings: give the demo a new database"
                )));
            }
            campaign(store, &outbox, args.seed)?
        }
        None => campaign(MemoryStore::with_link_seed(args.seed), &outbox, args.seed)?,
    };
    let mut out = output::stdout();
    if args.json {
        serde_json::to_writer_pretty(&mut out, &report)
            .map_err(|error| Failure::new(format_args!("cannot print JSON: {error}")))?;
        writeln!(out)?;
    } else {
        out.write_all(render(&report).as_bytes())?;
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// `smskit-demo-outbox-N` under `parent`, with the first N not taken.
fn fresh_outbox(parent: &Path) -> Result<PathBuf, Failure> {
    for n in 1..10_000 {
        let dir = parent.join(format!("smskit-demo-outbox-{n}"));
        if !dir.exists() {
            return Ok(dir);
        }
    }
    Err(Failure::new(
        "no free smskit-demo-outbox-N folder name here: pass --outbox",
    ))
}

const FIRST: [&str; 20] = [
    "Ana", "Bram", "Chloé", "Dries", "Emma", "Fien", "Gust", "Hanne", "Ilias", "Jana", "Kobe",
    "Lotte", "Mats", "Nina", "Omar", "Pia", "Quinten", "Rania", "Senne", "Tess",
];
const LAST: [&str; 25] = [
    "Peeters", "Janssens", "Maes", "Jacobs", "Mertens", "Willems", "Claes", "Goossens", "Wouters",
    "De Smet", "Dubois", "Lambert", "Dupont", "Martin", "Simon", "Laurent", "Lefebvre", "Leroy",
    "Moreau", "Girard", "De Vries", "Bakker", "Visser", "Smit", "Meijer",
];
const CITIES: [&str; 5] = ["Gent", "Antwerpen", "Brussel", "Lille", "Utrecht"];

fn demo_failure(error: impl std::fmt::Display) -> Failure {
    Failure::new(format_args!("demo: {error}"))
}

/// Runs the campaign on `store` and gathers its figures.
fn campaign<S: Store>(store: S, outbox: &Path, seed: u64) -> Result<Report, Failure> {
    let start: DateTime<Utc> = DateTime::from_timestamp(1_767_258_000, 0).unwrap_or_default();
    let mut rng = StdRng::seed_from_u64(seed);
    let settings = Settings::new()
        .with_default_region(Region::parse("BE").map_err(demo_failure)?)
        .with_links(Shortener::new(SHORT_BASE).map_err(demo_failure)?)
        .with_opt_out_links(
            OptOutLinks::new(SHORT_BASE, b"demo secret, never use it for real")
                .map_err(demo_failure)?,
        )
        .with_prices(
            PriceTable::from_csv(
                "prefix,price,currency\n32,0.0750,EUR\n33,0.0690,EUR\n31,0.0850,EUR\n",
            )
            .map_err(demo_failure)?,
        );
    let mut engine = Engine::new(store, settings);
    let newsletter = engine
        .create_list("Newsletter", true)
        .map_err(demo_failure)?;
    let vip = engine.create_list("VIP", false).map_err(demo_failure)?;
    let contacts = add_contacts(&mut engine, &mut rng, newsletter, vip, start)?;

    let campaign = engine
        .create_campaign(
            NewCampaign::new("Spring sale")
                .with_tag("demo")
                .with_responsible("marketing@example.com"),
            start,
        )
        .map_err(demo_failure)?;
    let test = engine
        .create_ab_test(
            NewAbTest::new(campaign, Audience::Lists(vec![newsletter, vip]), seed)
                .with_version(
                    "A: -20%",
                    "Hi {{ object.name }}, spring sale: -20% on everything at https://shop.example/spring",
                )
                .with_version(
                    "B: free gift",
                    "{{ object.name }}, a free gift with every order this week: https://shop.example/gift",
                )
                .with_share(20)
                .with_rule(WinnerRule::ClicksRatio)
                .with_final_at(start + TimeDelta::days(1))
                .with_opt_out_link(),
            start,
        )
        .map_err(demo_failure)?;
    let versions = engine.ab_test(test).map_err(demo_failure)?.versions;
    let provider = FileProvider::new(outbox).map_err(demo_failure)?;
    let clock = SimulatedClock::new();
    for &version in &versions {
        engine.send_now(version).map_err(demo_failure)?;
    }
    engine
        .run_due(&provider, &clock, start)
        .map_err(demo_failure)?;
    // Version B's gift tempts more people than A's discount.
    for (&version, click_rate) in versions.iter().zip([6, 18]) {
        simulate_feedback(&mut engine, &provider, version, click_rate, &mut rng, start)?;
    }

    // The next day the winner goes to everyone the versions did not reach.
    let next_day = start + TimeDelta::days(1);
    engine
        .run_due(&provider, &clock, next_day)
        .map_err(demo_failure)?;
    let test_state = engine.ab_test(test).map_err(demo_failure)?;
    let mut mailings: Vec<(MailingId, &'static str)> =
        versions.iter().map(|&id| (id, "A/B version")).collect();
    if let Some(final_mailing) = test_state.final_mailing {
        simulate_feedback(
            &mut engine,
            &provider,
            final_mailing,
            18,
            &mut rng,
            next_day,
        )?;
        mailings.push((final_mailing, "winner to the rest"));
    }

    // And a mailing by filter: the Gent contacts, about the new store.
    let gent = engine
        .create_mailing(
            NewMailing::new(
                "Gent store opening",
                "{{ object.name }}, our new Gent store opens Saturday! https://shop.example/gent",
                Audience::Domain("[('city', '=', 'Gent')]".to_owned()),
            )
            .with_campaign(campaign)
            .with_opt_out_link(),
            next_day,
        )
        .map_err(demo_failure)?;
    engine.send_now(gent).map_err(demo_failure)?;
    engine
        .run_due(&provider, &clock, next_day)
        .map_err(demo_failure)?;
    simulate_feedback(&mut engine, &provider, gent, 10, &mut rng, next_day)?;
    mailings.push((gent, "filter: city = Gent"));

    let results = engine.ab_results(test).map_err(demo_failure)?;
    let mut report = Report {
        outbox: outbox.display().to_string(),
        messages_written: provider.read_all().map_err(demo_failure)?.len(),
        contacts,
        mailings: Vec::new(),
        winner: None,
        p_value: results.clicks.as_ref().map(|c| c.test.p_value),
        significant: results.clicks.as_ref().map(|c| c.significant()),
        probability_best: results
            .versions
            .iter()
            .map(|v| v.probability_best)
            .collect(),
        excluded: Vec::new(),
    };
    let mut excluded: std::collections::BTreeMap<String, u64> = std::collections::BTreeMap::new();
    for (id, role) in mailings {
        let mailing = engine
            .store()
            .mailing(id)
            .map_err(demo_failure)?
            .ok_or_else(|| demo_failure(format_args!("mailing {id} vanished")))?;
        let counts = engine.counts(id).map_err(demo_failure)?;
        let ratios = counts.ratios();
        if Some(id) == test_state.winner {
            report.winner = Some(mailing.name.clone());
        }
        engine
            .store()
            .traces(id, &mut |trace| {
                if trace.status == TraceStatus::Cancel
                    && let Some(failure) = trace.failure_type
                {
                    *excluded.entry(failure.as_str().to_owned()).or_default() += 1;
                }
            })
            .map_err(demo_failure)?;
        report.mailings.push(MailingReport {
            id: id.0,
            name: mailing.name,
            role,
            counts,
            received_ratio: ratios.received.to_string(),
            clicks_ratio: ratios.clicks.to_string(),
            bounced_ratio: ratios.bounced.to_string(),
        });
    }
    report.excluded = excluded.into_iter().collect();
    Ok(report)
}

/// Adds 500 contacts: 1 in 25 without a valid number, some sharing a number, a few
/// blacklisted or opted out; everyone in the newsletter, 1 in 5 also VIP.
fn add_contacts<S: Store>(
    engine: &mut Engine<S>,
    rng: &mut StdRng,
    newsletter: ListId,
    vip: ListId,
    now: DateTime<Utc>,
) -> Result<usize, Failure> {
    let mut numbers: Vec<String> = Vec::new();
    for i in 0..500usize {
        let name = format!(
            "{} {}",
            FIRST[rng.random_range(0..FIRST.len())],
            LAST[rng.random_range(0..LAST.len())]
        );
        let city = CITIES[rng.random_range(0..CITIES.len())];
        let phone = match i % 25 {
            0 => ["", "n/a", "0470 12", "+32 12"][i / 25 % 4].to_owned(),
            1 if !numbers.is_empty() => numbers[rng.random_range(0..numbers.len())].clone(),
            _ => match city {
                "Lille" => format!(
                    "+33 6 {:02} {:02} {:02} {:02}",
                    i % 100,
                    10 + i / 100,
                    42,
                    7
                ),
                "Utrecht" => format!("+31 6 {:08}", 12_000_000 + i),
                _ => format!("0470 {:02} {:02} {:02}", i / 100, i % 100, 55),
            },
        };
        if i % 25 > 1 {
            numbers.push(phone.clone());
        }
        let contact = engine
            .add_contact(NewContact::new(name, phone).with_field("city", city), now)
            .map_err(demo_failure)?;
        engine
            .subscribe(newsletter, contact, now)
            .map_err(demo_failure)?;
        if i % 5 == 0 {
            engine.subscribe(vip, contact, now).map_err(demo_failure)?;
        }
        if i % 40 == 7 {
            engine
                .store_mut()
                .set_opt_out(newsletter, contact, true, now)
                .map_err(demo_failure)?;
        }
    }
    for number in numbers.iter().step_by(60) {
        if let Ok(number) = smskit::phone::parse(number, Region::parse("BE").ok()) {
            engine
                .store_mut()
                .blacklist_add(number, Some("replied STOP"), now)
                .map_err(demo_failure)?;
        }
    }
    Ok(500)
}

/// Delivery reports for every message of `mailing` (92% delivered, 5% bounced, the rest still
/// pending) and clicks from `click_rate` percent of the delivered ones, on the short link of
/// the message in the outbox.
fn simulate_feedback<S: Store>(
    engine: &mut Engine<S>,
    outbox: &FileProvider,
    mailing: MailingId,
    click_rate: u32,
    rng: &mut StdRng,
    at: DateTime<Utc>,
) -> Result<(), Failure> {
    let mut sent = Vec::new();
    engine
        .store()
        .traces(mailing, &mut |trace| {
            if let Some(id) = &trace.provider_message_id {
                sent.push((trace.id, id.clone()));
            }
        })
        .map_err(demo_failure)?;
    for (trace, message_id) in sent {
        let roll = rng.random_range(0..100u32);
        let later = at + TimeDelta::minutes(i64::from(roll));
        let report = match roll {
            0..92 => DeliveryReport::new(
                "file",
                message_id.clone(),
                TraceStatus::Sent,
                "delivered",
                later,
            ),
            92..97 => {
                let mut report = DeliveryReport::new(
                    "file",
                    message_id.clone(),
                    TraceStatus::Bounce,
                    "undelivered",
                    later,
                );
                report.failure = Some(FailureType::InvalidDestination);
                report
            }
            _ => continue,
        };
        engine.apply_report(&report).map_err(demo_failure)?;
        if roll < 92
            && rng.random_range(0..100u32) < click_rate
            && let Some(path) = short_link_path(outbox, &message_id, trace)?
        {
            engine
                .click(&path, later + TimeDelta::minutes(3), None, None)
                .map_err(demo_failure)?;
        }
    }
    Ok(())
}

/// The path of the tracked link (`/r/CODE/s/TRACE`) in the message the outbox holds under
/// `message_id`, if it has one.
fn short_link_path(
    outbox: &FileProvider,
    message_id: &str,
    trace: smskit::model::TraceId,
) -> Result<Option<String>, Failure> {
    let stored = outbox.read(message_id).map_err(demo_failure)?;
    let suffix = format!("/s/{trace}");
    Ok(stored
        .message
        .body
        .split_whitespace()
        .filter_map(|word| word.strip_prefix(SHORT_BASE))
        .find(|path| path.starts_with("/r/") && path.ends_with(&suffix))
        .map(str::to_owned))
}

/// The base of the demo's short links (and opt-out links).
const SHORT_BASE: &str = "https://sho.rt";

/// The tables and the verdict, for a person.
fn render(report: &Report) -> String {
    let mut text = String::new();
    let _ = writeln!(
        text,
        "Campaign \"Spring sale\": {} contacts, an A/B test of 2 versions at 20% each, then the winner to the rest\n",
        report.contacts
    );
    let _ = writeln!(
        text,
        "{:<26} {:>8} {:>8} {:>6} {:>9} {:>7} {:>7}  {:>8}  {:>7}  clicks",
        "mailing",
        "targeted",
        "excluded",
        "sent",
        "delivered",
        "clicked",
        "bounced",
        "received",
        "clicked"
    );
    for mailing in &report.mailings {
        let counts = &mailing.counts;
        let _ = writeln!(
            text,
            "{:<26} {:>8} {:>8} {:>6} {:>9} {:>7} {:>7}  {:>7}%  {:>6}%  {}",
            output::printable(&mailing.name),
            counts.expected,
            counts.canceled,
            counts.sent,
            counts.delivered,
            counts.clicked,
            counts.bounced,
            mailing.received_ratio,
            mailing.clicks_ratio,
            bar(&mailing.clicks_ratio)
        );
    }
    let _ = writeln!(text);
    if let Some(winner) = &report.winner {
        let verdict = match (report.p_value, report.significant) {
            (Some(p), Some(true)) => format!("its lead is significant at 5% (p = {p:.4})"),
            (Some(p), Some(false)) => format!("its lead is not significant at 5% (p = {p:.4})"),
            _ => "no significance test (nothing was sent)".to_owned(),
        };
        let best: Vec<String> = report
            .probability_best
            .iter()
            .map(|p| format!("{:.1}%", p * 100.0))
            .collect();
        let _ = writeln!(
            text,
            "Winner by clicks: {}; {verdict}; probability to be best: {}",
            output::printable(winner),
            best.join(" / ")
        );
    }
    let excluded: Vec<String> = report
        .excluded
        .iter()
        .map(|(failure, n)| format!("{n} {failure}"))
        .collect();
    let _ = writeln!(text, "Excluded before sending: {}", excluded.join(", "));
    let _ = writeln!(
        text,
        "Outbox: {} ({} messages written as JSON files)",
        output::printable(&report.outbox),
        report.messages_written
    );
    text
}

/// A bar of `ratio` percent (two decimals), one block per 2%.
fn bar(ratio: &str) -> String {
    let percent: f64 = ratio.parse().unwrap_or(0.0);
    let blocks = (percent / 2.0).round().clamp(0.0, 50.0) as usize;
    "█".repeat(blocks)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_grow_with_the_ratio_and_stay_bounded() {
        assert_eq!(bar("0.00"), "");
        assert_eq!(bar("10.00").chars().count(), 5);
        assert_eq!(bar("100.00").chars().count(), 50);
        assert_eq!(bar("garbage"), "");
    }

    #[test]
    fn a_fresh_outbox_is_never_an_existing_folder() {
        let parent = std::env::temp_dir().join(format!("smskit-demo-test-{}", std::process::id()));
        std::fs::create_dir_all(parent.join("smskit-demo-outbox-1")).unwrap();
        let dir = fresh_outbox(&parent).unwrap();
        assert_eq!(dir, parent.join("smskit-demo-outbox-2"));
        std::fs::remove_dir_all(&parent).unwrap();
    }
}
