//! Values to columns and back: times as integer microseconds, numbers as E.164 text, enums as
//! the spec's names, sets and maps as JSON text.
//!
//! Reading goes through `rusqlite::Result`, so a value that cannot be read is an error that
//! names its column, like any other SQLite error.

use std::collections::{BTreeMap, BTreeSet};
use std::str::FromStr;

use chrono::{DateTime, Utc};
use rusqlite::Row;
use rusqlite::types::{Type, ValueRef};
use smskit::abtest::Goal;
use smskit::model::{
    AbTest, AbTestId, Audience, CampaignId, Contact, ContactId, ListId, Mailing, MailingId,
    MailingState, Trace, TraceId, WinnerRule,
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

/// The error of a column whose value cannot be read.
fn bad(index: usize, ty: Type, what: impl Into<String>) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(
        index,
        ty,
        Box::new(Error::Corrupt { what: what.into() }),
    )
}

/// Column `index` as text (borrowed from the row).
fn text<'r>(row: &'r Row<'_>, index: usize) -> rusqlite::Result<&'r str> {
    row.get_ref(index)?
        .as_str()
        .map_err(|_| bad(index, Type::Text, "not text"))
}

/// Column `index` as text or NULL.
fn opt_text<'r>(row: &'r Row<'_>, index: usize) -> rusqlite::Result<Option<&'r str>> {
    match row.get_ref(index)? {
        ValueRef::Null => Ok(None),
        value => value
            .as_str()
            .map(Some)
            .map_err(|_| bad(index, Type::Text, "not text")),
    }
}

/// Column `index` as a time.
pub(crate) fn time(row: &Row<'_>, index: usize) -> rusqlite::Result<DateTime<Utc>> {
    let value: i64 = row.get(index)?;
    DateTime::from_timestamp_micros(value).ok_or_else(|| {
        bad(
            index,
            Type::Integer,
            format!("time {value} µs is out of range"),
        )
    })
}

/// Column `index` as a time or NULL.
pub(crate) fn opt_time(row: &Row<'_>, index: usize) -> rusqlite::Result<Option<DateTime<Utc>>> {
    match row.get::<_, Option<i64>>(index)? {
        None => Ok(None),
        Some(value) => DateTime::from_timestamp_micros(value)
            .map(Some)
            .ok_or_else(|| {
                bad(
                    index,
                    Type::Integer,
                    format!("time {value} µs is out of range"),
                )
            }),
    }
}

/// Column `index` parsed with `FromStr`.
fn parsed<T: FromStr>(row: &Row<'_>, index: usize, what: &str) -> rusqlite::Result<T> {
    let value = text(row, index)?;
    value
        .parse()
        .map_err(|_| bad(index, Type::Text, format!("{what} {value:?}")))
}

/// Column `index` parsed with `FromStr`, or NULL.
fn opt_parsed<T: FromStr>(row: &Row<'_>, index: usize, what: &str) -> rusqlite::Result<Option<T>> {
    match opt_text(row, index)? {
        None => Ok(None),
        Some(value) => value
            .parse()
            .map(Some)
            .map_err(|_| bad(index, Type::Text, format!("{what} {value:?}"))),
    }
}

/// Column `index` as an E.164 number.
pub(crate) fn e164(row: &Row<'_>, index: usize) -> rusqlite::Result<E164> {
    let value = text(row, index)?;
    E164::parse(value).map_err(|_| bad(index, Type::Text, format!("phone number {value:?}")))
}

/// Column `index` as an E.164 number or NULL.
pub(crate) fn opt_e164(row: &Row<'_>, index: usize) -> rusqlite::Result<Option<E164>> {
    opt_text(row, index)?
        .map(|value| {
            E164::parse(value)
                .map_err(|_| bad(index, Type::Text, format!("phone number {value:?}")))
        })
        .transpose()
}

/// Column `index` as JSON.
fn json<T: Json>(row: &Row<'_>, index: usize) -> rusqlite::Result<T> {
    let value = text(row, index)?;
    T::from_json(value).ok_or_else(|| bad(index, Type::Text, format!("JSON {value:?}")))
}

/// The JSON text of the free fields, tags and id lists.
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
pub(crate) fn trace(row: &Row<'_>) -> rusqlite::Result<Trace> {
    trace_at(row, 0)
}

/// A trace from the columns of [`trace_columns!`] starting at column `at`.
pub(crate) fn trace_at(row: &Row<'_>, at: usize) -> rusqlite::Result<Trace> {
    Ok(Trace {
        id: TraceId(row.get(at)?),
        mailing: MailingId(row.get(at + 1)?),
        contact: ContactId(row.get(at + 2)?),
        number: opt_e164(row, at + 3)?,
        raw_number: row.get(at + 4)?,
        status: parsed::<TraceStatus>(row, at + 5, "trace status")?,
        failure_type: opt_parsed::<FailureType>(row, at + 6, "failure type")?,
        failure_reason: row.get(at + 7)?,
        provider_message_id: row.get(at + 8)?,
        sent_at: opt_time(row, at + 9)?,
        claimed_at: opt_time(row, at + 10)?,
        clicked_at: opt_time(row, at + 11)?,
        replied_at: opt_time(row, at + 12)?,
    })
}

/// The columns of a contact, in the order [`contact`] reads them.
macro_rules! contact_columns {
    () => {
        "id, name, phone, country, fields, created_at"
    };
}
pub(crate) use contact_columns;

/// A contact from the columns of [`contact_columns!`].
pub(crate) fn contact(row: &Row<'_>) -> rusqlite::Result<Contact> {
    contact_at(row, 0)
}

/// A contact from the columns of [`contact_columns!`] starting at column `at`.
pub(crate) fn contact_at(row: &Row<'_>, at: usize) -> rusqlite::Result<Contact> {
    let country = match opt_text(row, at + 3)? {
        None => None,
        Some(code) => {
            Some(Region::parse(code).map_err(|_| bad(3, Type::Text, format!("country {code:?}")))?)
        }
    };
    Ok(Contact {
        id: ContactId(row.get(at)?),
        name: row.get(at + 1)?,
        phone: row.get(at + 2)?,
        country,
        fields: json::<BTreeMap<String, String>>(row, at + 4)?,
        created_at: time(row, at + 5)?,
    })
}

/// The columns of a mailing, in the order [`mailing`] reads them.
macro_rules! mailing_columns {
    () => {
        "id, name, body, audience_kind, audience_ids, audience_domain, include_opt_out_link, \
         campaign, responsible, tags, ab_test, state, scheduled_at, created_at"
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
pub(crate) fn mailing(row: &Row<'_>) -> rusqlite::Result<Mailing> {
    let audience = match text(row, 3)? {
        "lists" => Audience::Lists(json::<Vec<i64>>(row, 4)?.into_iter().map(ListId).collect()),
        "contacts" => Audience::Contacts(
            json::<Vec<i64>>(row, 4)?
                .into_iter()
                .map(ContactId)
                .collect(),
        ),
        "domain" => Audience::Domain(row.get(5)?),
        "transactional" => Audience::Transactional,
        other => return Err(bad(3, Type::Text, format!("audience kind {other:?}"))),
    };
    let state = match text(row, 11)? {
        "draft" => MailingState::Draft,
        "in_queue" => MailingState::InQueue,
        "sending" => MailingState::Sending,
        "sent" => MailingState::Sent,
        other => return Err(bad(11, Type::Text, format!("mailing state {other:?}"))),
    };
    Ok(Mailing {
        id: MailingId(row.get(0)?),
        name: row.get(1)?,
        body: row.get(2)?,
        audience,
        include_opt_out_link: row.get(6)?,
        campaign: row.get::<_, Option<i64>>(7)?.map(CampaignId),
        responsible: row.get(8)?,
        tags: json::<BTreeSet<String>>(row, 9)?,
        ab_test: row.get::<_, Option<i64>>(10)?.map(AbTestId),
        state,
        scheduled_at: opt_time(row, 12)?,
        created_at: time(row, 13)?,
    })
}

/// The columns of a campaign, in the order [`campaign`] reads them.
macro_rules! campaign_columns {
    () => {
        "id, name, stage, tags, responsible, created_at"
    };
}
pub(crate) use campaign_columns;

/// A campaign from the columns of [`campaign_columns!`].
pub(crate) fn campaign(row: &Row<'_>) -> rusqlite::Result<smskit::model::Campaign> {
    Ok(smskit::model::Campaign {
        id: CampaignId(row.get(0)?),
        name: row.get(1)?,
        stage: row.get(2)?,
        tags: json::<BTreeSet<String>>(row, 3)?,
        responsible: row.get(4)?,
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
        "id, campaign, versions, share, seed, rule, final_at, winner, final_mailing, created_at"
    };
}
pub(crate) use ab_test_columns;

/// An A/B test from the columns of [`ab_test_columns!`].
pub(crate) fn ab_test(row: &Row<'_>) -> rusqlite::Result<AbTest> {
    let rule = match text(row, 5)? {
        "clicks_ratio" => WinnerRule::ClicksRatio,
        "manual" => WinnerRule::Manual,
        "metric:maximize" => WinnerRule::Metric(Goal::Maximize),
        "metric:minimize" => WinnerRule::Metric(Goal::Minimize),
        other => return Err(bad(5, Type::Text, format!("winner rule {other:?}"))),
    };
    let share: i64 = row.get(3)?;
    Ok(AbTest {
        id: AbTestId(row.get(0)?),
        campaign: CampaignId(row.get(1)?),
        versions: json::<Vec<i64>>(row, 2)?
            .into_iter()
            .map(MailingId)
            .collect(),
        share: u8::try_from(share).map_err(|_| bad(3, Type::Integer, format!("share {share}")))?,
        // The seed's 64 bits, kept as SQLite's signed integer.
        seed: row.get::<_, i64>(4)?.cast_unsigned(),
        rule,
        final_at: time(row, 6)?,
        winner: row.get::<_, Option<i64>>(7)?.map(MailingId),
        final_mailing: row.get::<_, Option<i64>>(8)?.map(MailingId),
        created_at: time(row, 9)?,
    })
}
