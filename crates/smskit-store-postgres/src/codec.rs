//! Values to columns and back, as the SQLite store encodes them: times as integer
//! microseconds, numbers as E.164 text, enums as the spec's names, sets and maps as JSON
//! (JSONB columns, written as `$n::text::jsonb` and read as `column::text`).
//!
//! A value that cannot be read (a wrong type, an unknown name, malformed JSON) is
//! [`Error::Corrupt`], naming its column.

use std::collections::{BTreeMap, BTreeSet};
use std::str::FromStr;

use chrono::{DateTime, Utc};
use postgres::Row;
use postgres::types::FromSql;
use smskit::abtest::Goal;
use smskit::model::{
    AbTest, AbTestId, Audience, Campaign, CampaignId, Contact, ContactId, ListId, Mailing,
    MailingId, MailingState, Trace, TraceId, WinnerRule,
};
use smskit::phone::{E164, Region};
use smskit::provider::{FailureType, TraceStatus};

use crate::error::Error;

/// A time as stored: microseconds since the Unix epoch (what a later nanosecond part is cut to).
pub(crate) fn micros(at: DateTime<Utc>) -> i64 {
    at.timestamp_micros()
}

/// A time as stored, or NULL.
pub(crate) fn opt_micros(at: Option<DateTime<Utc>>) -> Option<i64> {
    at.map(micros)
}

/// The error of column `index` whose value cannot be read.
fn bad(row: &Row, index: usize, what: impl std::fmt::Display) -> Error {
    let column = row.columns().get(index).map_or("?", |column| column.name());
    Error::Corrupt {
        what: format!("column {column}: {what}"),
    }
}

/// Column `index` as a `T`.
pub(crate) fn get<'r, T: FromSql<'r>>(row: &'r Row, index: usize) -> Result<T, Error> {
    row.try_get(index).map_err(|error| bad(row, index, error))
}

/// Column `index` as a time.
pub(crate) fn time(row: &Row, index: usize) -> Result<DateTime<Utc>, Error> {
    let value: i64 = get(row, index)?;
    DateTime::from_timestamp_micros(value)
        .ok_or_else(|| bad(row, index, format_args!("time {value} µs is out of range")))
}

/// Column `index` as a time or NULL.
pub(crate) fn opt_time(row: &Row, index: usize) -> Result<Option<DateTime<Utc>>, Error> {
    match get::<Option<i64>>(row, index)? {
        None => Ok(None),
        Some(value) => DateTime::from_timestamp_micros(value)
            .map(Some)
            .ok_or_else(|| bad(row, index, format_args!("time {value} µs is out of range"))),
    }
}

/// Column `index` parsed with `FromStr`.
fn parsed<T: FromStr>(row: &Row, index: usize, what: &str) -> Result<T, Error> {
    let value: &str = get(row, index)?;
    value
        .parse()
        .map_err(|_| bad(row, index, format_args!("{what} {value:?}")))
}

/// Column `index` parsed with `FromStr`, or NULL.
fn opt_parsed<T: FromStr>(row: &Row, index: usize, what: &str) -> Result<Option<T>, Error> {
    match get::<Option<&str>>(row, index)? {
        None => Ok(None),
        Some(value) => value
            .parse()
            .map(Some)
            .map_err(|_| bad(row, index, format_args!("{what} {value:?}"))),
    }
}

/// Column `index` as an E.164 number.
pub(crate) fn e164(row: &Row, index: usize) -> Result<E164, Error> {
    let value: &str = get(row, index)?;
    E164::parse(value).map_err(|_| bad(row, index, format_args!("phone number {value:?}")))
}

/// Column `index` as an E.164 number or NULL.
pub(crate) fn opt_e164(row: &Row, index: usize) -> Result<Option<E164>, Error> {
    get::<Option<&str>>(row, index)?
        .map(|value| {
            E164::parse(value).map_err(|_| bad(row, index, format_args!("phone number {value:?}")))
        })
        .transpose()
}

/// Column `index` (JSON read as text) as a `T`.
fn json<T: Json>(row: &Row, index: usize) -> Result<T, Error> {
    let value: &str = get(row, index)?;
    T::from_json(value).ok_or_else(|| bad(row, index, format_args!("JSON {value:?}")))
}

/// The JSON of the free fields, tags and id lists.
mod json_text {
    use serde::Serialize;
    use serde::de::DeserializeOwned;

    /// A value kept as JSON: one implementation for every serde type the store keeps so.
    pub(crate) trait Json: Sized {
        fn from_json(text: &str) -> Option<Self>;
        fn to_json(&self) -> String;
    }

    impl<T: Serialize + DeserializeOwned> Json for T {
        fn from_json(text: &str) -> Option<Self> {
            serde_json::from_str(text).ok()
        }
        fn to_json(&self) -> String {
            // Maps, sets and lists of strings and ids always serialise; the fallback only
            // satisfies the signature (and would read back as an error naming the column).
            serde_json::to_string(self).unwrap_or_else(|_| "null".to_owned())
        }
    }
}

pub(crate) use json_text::Json;

/// The columns of a trace, in the order [`trace`] reads them.
macro_rules! trace_columns {
    () => {
        "id, mailing, contact, number, raw_number, status, failure_type, failure_reason, \
         provider_message_id, sent_at, claimed_at, clicked_at, replied_at"
    };
}
pub(crate) use trace_columns;

/// A trace from the columns of [`trace_columns!`].
pub(crate) fn trace(row: &Row) -> Result<Trace, Error> {
    trace_at(row, 0)
}

/// A trace from the columns of [`trace_columns!`] starting at column `at`.
pub(crate) fn trace_at(row: &Row, at: usize) -> Result<Trace, Error> {
    Ok(Trace {
        id: TraceId(get(row, at)?),
        mailing: MailingId(get(row, at + 1)?),
        contact: ContactId(get(row, at + 2)?),
        number: opt_e164(row, at + 3)?,
        raw_number: get(row, at + 4)?,
        status: parsed::<TraceStatus>(row, at + 5, "trace status")?,
        failure_type: opt_parsed::<FailureType>(row, at + 6, "failure type")?,
        failure_reason: get(row, at + 7)?,
        provider_message_id: get(row, at + 8)?,
        sent_at: opt_time(row, at + 9)?,
        claimed_at: opt_time(row, at + 10)?,
        clicked_at: opt_time(row, at + 11)?,
        replied_at: opt_time(row, at + 12)?,
    })
}

/// The columns of a contact, in the order [`contact`] reads them.
macro_rules! contact_columns {
    () => {
        "id, name, phone, country, fields::text, created_at"
    };
}
pub(crate) use contact_columns;

/// A contact from the columns of [`contact_columns!`].
pub(crate) fn contact(row: &Row) -> Result<Contact, Error> {
    contact_at(row, 0)
}

/// A contact from the columns of [`contact_columns!`] starting at column `at`.
pub(crate) fn contact_at(row: &Row, at: usize) -> Result<Contact, Error> {
    let country = match get::<Option<&str>>(row, at + 3)? {
        None => None,
        Some(code) => Some(
            Region::parse(code).map_err(|_| bad(row, at + 3, format_args!("country {code:?}")))?,
        ),
    };
    Ok(Contact {
        id: ContactId(get(row, at)?),
        name: get(row, at + 1)?,
        phone: get(row, at + 2)?,
        country,
        fields: json::<BTreeMap<String, String>>(row, at + 4)?,
        created_at: time(row, at + 5)?,
    })
}

/// The columns of a mailing, in the order [`mailing`] reads them.
macro_rules! mailing_columns {
    () => {
        "id, name, body, audience_kind, audience_ids::text, audience_domain, \
         include_opt_out_link, campaign, responsible, tags::text, ab_test, state, scheduled_at, \
         created_at"
    };
}
pub(crate) use mailing_columns;

/// The audience columns `(kind, ids, domain)` of a mailing.
pub(crate) fn audience_columns(
    audience: &Audience,
) -> Result<(&'static str, Option<String>, Option<&str>), Error> {
    Ok(match audience {
        Audience::Lists(lists) => {
            let ids: Vec<i64> = lists.iter().map(|list| list.0).collect();
            ("lists", Some(ids.to_json()), None)
        }
        Audience::Contacts(contacts) => {
            let ids: Vec<i64> = contacts.iter().map(|contact| contact.0).collect();
            ("contacts", Some(ids.to_json()), None)
        }
        Audience::Domain(domain) => ("domain", None, Some(domain.as_str())),
        Audience::Transactional => ("transactional", None, None),
        other => {
            return Err(Error::Unsupported {
                what: format!("the audience {other:?}"),
            });
        }
    })
}

/// A mailing from the columns of [`mailing_columns!`].
pub(crate) fn mailing(row: &Row) -> Result<Mailing, Error> {
    let kind: &str = get(row, 3)?;
    let audience = match kind {
        "lists" => Audience::Lists(json::<Vec<i64>>(row, 4)?.into_iter().map(ListId).collect()),
        "contacts" => Audience::Contacts(
            json::<Vec<i64>>(row, 4)?
                .into_iter()
                .map(ContactId)
                .collect(),
        ),
        "domain" => Audience::Domain(get(row, 5)?),
        "transactional" => Audience::Transactional,
        other => return Err(bad(row, 3, format_args!("audience kind {other:?}"))),
    };
    let state: &str = get(row, 11)?;
    let state = match state {
        "draft" => MailingState::Draft,
        "in_queue" => MailingState::InQueue,
        "sending" => MailingState::Sending,
        "sent" => MailingState::Sent,
        other => return Err(bad(row, 11, format_args!("mailing state {other:?}"))),
    };
    Ok(Mailing {
        id: MailingId(get(row, 0)?),
        name: get(row, 1)?,
        body: get(row, 2)?,
        audience,
        include_opt_out_link: get(row, 6)?,
        campaign: get::<Option<i64>>(row, 7)?.map(CampaignId),
        responsible: get(row, 8)?,
        tags: json::<BTreeSet<String>>(row, 9)?,
        ab_test: get::<Option<i64>>(row, 10)?.map(AbTestId),
        state,
        scheduled_at: opt_time(row, 12)?,
        created_at: time(row, 13)?,
    })
}

/// The columns of a campaign, in the order [`campaign`] reads them.
macro_rules! campaign_columns {
    () => {
        "id, name, stage, tags::text, responsible, created_at"
    };
}
pub(crate) use campaign_columns;

/// A campaign from the columns of [`campaign_columns!`].
pub(crate) fn campaign(row: &Row) -> Result<Campaign, Error> {
    Ok(Campaign {
        id: CampaignId(get(row, 0)?),
        name: get(row, 1)?,
        stage: get(row, 2)?,
        tags: json::<BTreeSet<String>>(row, 3)?,
        responsible: get(row, 4)?,
        created_at: time(row, 5)?,
    })
}

/// The stored name of an A/B test's winner rule.
pub(crate) fn rule_name(rule: WinnerRule) -> Result<&'static str, Error> {
    Ok(match rule {
        WinnerRule::ClicksRatio => "clicks_ratio",
        WinnerRule::Manual => "manual",
        WinnerRule::Metric(Goal::Maximize) => "metric:maximize",
        WinnerRule::Metric(Goal::Minimize) => "metric:minimize",
        other => {
            return Err(Error::Unsupported {
                what: format!("the winner rule {other:?}"),
            });
        }
    })
}

/// The columns of an A/B test, in the order [`ab_test`] reads them.
macro_rules! ab_test_columns {
    () => {
        "id, campaign, versions::text, share, seed, rule, final_at, winner, final_mailing, \
         created_at"
    };
}
pub(crate) use ab_test_columns;

/// An A/B test from the columns of [`ab_test_columns!`].
pub(crate) fn ab_test(row: &Row) -> Result<AbTest, Error> {
    let rule: &str = get(row, 5)?;
    let rule = match rule {
        "clicks_ratio" => WinnerRule::ClicksRatio,
        "manual" => WinnerRule::Manual,
        "metric:maximize" => WinnerRule::Metric(Goal::Maximize),
        "metric:minimize" => WinnerRule::Metric(Goal::Minimize),
        other => return Err(bad(row, 5, format_args!("winner rule {other:?}"))),
    };
    let share: i64 = get(row, 3)?;
    Ok(AbTest {
        id: AbTestId(get(row, 0)?),
        campaign: CampaignId(get(row, 1)?),
        versions: json::<Vec<i64>>(row, 2)?
            .into_iter()
            .map(MailingId)
            .collect(),
        share: u8::try_from(share).map_err(|_| bad(row, 3, format_args!("share {share}")))?,
        // The seed's 64 bits, kept as PostgreSQL's signed BIGINT.
        seed: get::<i64>(row, 4)?.cast_unsigned(),
        rule,
        final_at: time(row, 6)?,
        winner: get::<Option<i64>>(row, 7)?.map(MailingId),
        final_mailing: get::<Option<i64>>(row, 8)?.map(MailingId),
        created_at: time(row, 9)?,
    })
}
