//! A whole campaign by the binary, step by step over one SQLite database, as an operator runs
//! it: import, blacklist, opt-out, create, send through a fake Twilio server, delivery reports,
//! statistics and traces. And a send killed in the middle, then resumed. (The flows are in
//! `common/campaign.rs`; `tests/postgres.rs` runs them on PostgreSQL.)

mod common;
use common::Scratch;
use common::campaign;

#[test]
fn a_whole_campaign_through_twilio_with_every_count_checked() {
    campaign::whole_campaign(&Scratch::new("campaign"));
}

#[cfg(unix)]
#[test]
fn a_send_killed_in_the_middle_resumes_without_sending_any_number_twice() {
    campaign::killed_send_resumes(&Scratch::new("resume"), false);
}
