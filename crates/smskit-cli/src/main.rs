//! The `smskit` command: SMS marketing tools on the command line.
//!
//! Every subcommand is a thin layer over the library crates: it parses arguments, calls the
//! library, and prints a human-readable report or JSON. Errors go to stderr with a non-zero exit.
//! The campaign commands (contacts, blacklist, lists, mailing, run-due, worker, serve, report) work
//! on the database of `--db`, a SQLite file or a PostgreSQL URL (see `db`), each run picking
//! up where the last one left off.

// Every byte printed goes through `output`, whose writes report a closed pipe.
#![deny(clippy::print_stdout, clippy::print_stderr)]

mod cmd;
mod db;
mod failure;
mod help;
mod output;
mod providers;

use std::borrow::Cow;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// SMS marketing tools: segments and prices, recipient filters, tracked links, A/B statistics,
/// phone numbers and sending; whole campaigns over a database.
#[derive(Debug, Parser)]
#[command(name = "smskit", version, propagate_version = true, after_help = help::SMSKIT)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    Demo(cmd::demo::DemoArgs),
    Segment(cmd::segment::SegmentArgs),
    Price(cmd::price::PriceArgs),
    Filter(cmd::filter::FilterArgs),
    #[command(subcommand, after_help = help::LINKS)]
    Links(cmd::links::LinksCommand),
    #[command(subcommand, after_help = help::ABTEST)]
    Abtest(cmd::abtest::AbtestCommand),
    #[command(subcommand, after_help = help::PHONE)]
    Phone(cmd::phone::PhoneCommand),
    Send(cmd::send::SendArgs),
    #[command(subcommand, after_help = help::WEBHOOK)]
    Webhook(cmd::webhook::WebhookCommand),
    #[command(subcommand, after_help = help::CONTACTS)]
    Contacts(cmd::contacts::ContactsCommand),
    #[command(subcommand, after_help = help::BLACKLIST)]
    Blacklist(cmd::blacklist::BlacklistCommand),
    #[command(subcommand, after_help = help::LISTS)]
    Lists(cmd::lists::ListsCommand),
    #[command(subcommand, after_help = help::MAILING)]
    Mailing(cmd::mailing::MailingCommand),
    #[command(subcommand, after_help = help::REPORT)]
    Report(cmd::report::ReportCommand),
    /// Send every mailing that is due (scheduled ones whose time has come, interrupted sends).
    RunDue(cmd::mailing::RunDueArgs),
    /// Send whatever is due, pass after pass, alongside any other workers on the same database,
    /// until SIGTERM / SIGINT (or, with --until-idle, until nothing is left to do).
    Worker(cmd::worker::WorkerArgs),
    /// Serve the HTTP side over the database: short-link redirects (clicks recorded), opt-out
    /// pages, provider webhooks, the dashboard, health and metrics, until SIGTERM / SIGINT.
    Serve(cmd::serve::ServeArgs),
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) => return parse_error(error),
    };
    let outcome = match cli.command {
        Command::Demo(args) => cmd::demo::run(args),
        Command::Segment(args) => cmd::segment::run(args),
        Command::Price(args) => cmd::price::run(args),
        Command::Filter(args) => cmd::filter::run(args),
        Command::Links(command) => cmd::links::run(command),
        Command::Abtest(command) => cmd::abtest::run(command),
        Command::Phone(command) => cmd::phone::run(command),
        Command::Send(args) => cmd::send::run(args),
        Command::Webhook(command) => cmd::webhook::run(command),
        Command::Contacts(command) => cmd::contacts::run(command),
        Command::Blacklist(command) => cmd::blacklist::run(command),
        Command::Lists(command) => cmd::lists::run(command),
        Command::Mailing(command) => cmd::mailing::run(command),
        Command::RunDue(args) => cmd::mailing::run_due(args),
        Command::Worker(args) => cmd::worker::run(&args),
        Command::Serve(args) => cmd::serve::run(&args),
        Command::Report(command) => cmd::report::run(command),
    };
    match outcome {
        Ok(code) => code,
        Err(failure) => failure.report(),
    }
}

/// clap quotes a rejected argument as given, raw even on a terminal: one that carries control
/// characters is printed escaped instead (without clap's colours). Everything else, help and
/// version included, is clap's own output.
fn parse_error(error: clap::Error) -> ExitCode {
    let text = error.render().to_string();
    let escaped = output::printable_lines(&text);
    if !error.use_stderr() || matches!(escaped, Cow::Borrowed(_)) {
        error.exit();
    }
    output::stderr_text(&escaped);
    ExitCode::from(u8::try_from(error.exit_code()).unwrap_or(2))
}
