//! Date values in domains: ISO strings, and Odoo's relative dates (`today -1m`,
//! `now =1d +2H`, `=monday`) resolved against a reference time given by the caller.

use chrono::{Datelike, Months, NaiveDate, NaiveDateTime, NaiveTime, TimeDelta, Timelike, Weekday};

/// A parsed date value: a date, or a date-time (naive UTC).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum DateValue {
    Date(NaiveDate),
    DateTime(NaiveDateTime),
}

impl DateValue {
    pub(crate) fn date(self) -> NaiveDate {
        match self {
            Self::Date(d) => d,
            Self::DateTime(dt) => dt.date(),
        }
    }
}

fn digits(text: &str, len: usize) -> Option<u32> {
    (text.len() == len && text.bytes().all(|b| b.is_ascii_digit()))
        .then(|| text.parse().ok())
        .flatten()
}

fn iso_date(text: &str) -> Option<NaiveDate> {
    let bytes = text.as_bytes();
    if bytes.len() != 10 || bytes[4] != b'-' || bytes[7] != b'-' {
        return None;
    }
    let year = i32::try_from(digits(&text[..4], 4)?).ok()?;
    NaiveDate::from_ymd_opt(year, digits(&text[5..7], 2)?, digits(&text[8..], 2)?)
        .filter(|d| d.year() >= 1)
}

/// Python's `fromisoformat` as Odoo uses it: `YYYY-MM-DD` (ten characters or fewer), or
/// `YYYY-MM-DD[T ]HH:MM[:SS[.ffffff]]` without a time zone.
pub(crate) fn parse_iso(text: &str) -> Result<DateValue, String> {
    let invalid = || format!("invalid isoformat string: {text:?}");
    if text.len() <= 10 {
        return iso_date(text).map(DateValue::Date).ok_or_else(invalid);
    }
    let date = text.get(..10).and_then(iso_date).ok_or_else(invalid)?;
    let sep = text.as_bytes().get(10).copied();
    if !matches!(sep, Some(b' ' | b'T')) {
        return Err(invalid());
    }
    let time = &text[11..];
    if time.ends_with('Z') || time.contains('+') || time.get(2..).is_some_and(|t| t.contains('-')) {
        return Err(format!(
            "expecting only datetimes with no timezone: {text:?}"
        ));
    }
    let (hms, micros) = match time.split_once('.') {
        Some((hms, frac)) => {
            if frac.is_empty() || frac.len() > 6 || !frac.bytes().all(|b| b.is_ascii_digit()) {
                return Err(invalid());
            }
            let value: u32 = frac.parse().map_err(|_| invalid())?;
            (
                hms,
                value * 10u32.pow(6 - u32::try_from(frac.len()).unwrap_or(6)),
            )
        }
        None => (time, 0),
    };
    let parts: Vec<&str> = hms.split(':').collect();
    let part = |i: usize| -> Result<u32, String> {
        match parts.get(i) {
            Some(p) => digits(p, 2).ok_or_else(invalid),
            None => Ok(0),
        }
    };
    if parts.is_empty() || parts.len() > 3 || (micros != 0 && parts.len() != 3) {
        return Err(invalid());
    }
    let time =
        NaiveTime::from_hms_micro_opt(part(0)?, part(1)?, part(2)?, micros).ok_or_else(invalid)?;
    Ok(DateValue::DateTime(date.and_time(time)))
}

/// Whether Odoo would read the text as an ISO date (it starts with digits and a dash).
pub(crate) fn looks_iso(text: &str) -> bool {
    let digits = text.bytes().take_while(u8::is_ascii_digit).count();
    digits > 0 && text.as_bytes().get(digits) == Some(&b'-')
}

const WEEKDAYS: [(&str, Weekday); 7] = [
    ("monday", Weekday::Mon),
    ("tuesday", Weekday::Tue),
    ("wednesday", Weekday::Wed),
    ("thursday", Weekday::Thu),
    ("friday", Weekday::Fri),
    ("saturday", Weekday::Sat),
    ("sunday", Weekday::Sun),
];

#[derive(Clone, Copy)]
enum Unit {
    Day,
    Week,
    Month,
    Year,
    Hour,
    Minute,
    Second,
}

/// Odoo's `parse_date` for relative dates: `('today' | 'now')? term*` where a term is
/// `[=+-]N[dwmyHMS]` or `[=+-]weekday` / `[=+-]week_start`. `now` is the reference time
/// (UTC); the user time zone is UTC.
pub(crate) fn parse_relative(
    text: &str,
    now: NaiveDateTime,
    week_start: Weekday,
) -> Result<DateValue, String> {
    let invalid_term = |term: &str| format!("invalid term {term:?} in expression date: {text:?}");
    let mut terms = text.split_whitespace().peekable();
    if terms.peek().is_none() {
        return Err("empty date value".into());
    }
    let mut value = match terms.peek().copied() {
        Some("today") => {
            terms.next();
            DateValue::Date(now.date())
        }
        Some("now") => {
            terms.next();
            DateValue::DateTime(now)
        }
        _ => DateValue::DateTime(now),
    };
    for term in terms {
        let mut chars = term.chars();
        let op = chars.next().unwrap_or(' ');
        if !matches!(op, '+' | '-' | '=') || term.chars().count() < 3 {
            return Err(invalid_term(term));
        }
        let name = &term[op.len_utf8()..];
        let weekday = WEEKDAYS
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, d)| *d)
            .or_else(|| (name == "week_start").then_some(week_start));
        if let Some(weekday) = weekday {
            let start = i64::from(week_start.num_days_from_monday());
            let target = (i64::from(weekday.num_days_from_monday()) - start).rem_euclid(7);
            let current =
                (i64::from(value.date().weekday().num_days_from_monday()) - start).rem_euclid(7);
            let mut offset = target - current;
            if op == '+' && offset < 0 {
                offset += 7;
            } else if op == '-' && offset > 0 {
                offset -= 7;
            } else if op == '='
                && let DateValue::DateTime(dt) = value
            {
                value = DateValue::DateTime(dt.date().and_time(NaiveTime::MIN));
            }
            value = add_days(value, offset).ok_or_else(|| invalid_term(term))?;
            continue;
        }
        let unit = match term.chars().last() {
            Some('d') => Unit::Day,
            Some('w') => Unit::Week,
            Some('m') => Unit::Month,
            Some('y') => Unit::Year,
            Some('H') => Unit::Hour,
            Some('M') => Unit::Minute,
            Some('S') => Unit::Second,
            _ => return Err(invalid_term(term)),
        };
        let number_text = &term[..term.len() - 1];
        let result = if op == '=' {
            let number: i64 = python_int(&number_text[1..]).ok_or_else(|| invalid_term(term))?;
            set_unit(value, unit, number)
        } else {
            let number: i64 = python_int(number_text).ok_or_else(|| invalid_term(term))?;
            add_unit(value, unit, number)
        };
        value = result.ok_or_else(|| invalid_term(term))?;
    }
    Ok(value)
}

/// Python's `int()` of a term: optional sign, digits with single underscores.
fn python_int(text: &str) -> Option<i64> {
    let (negative, body) = match text.as_bytes().first() {
        Some(b'-') => (true, &text[1..]),
        Some(b'+') => (false, &text[1..]),
        _ => (false, text),
    };
    if body.is_empty() || body.starts_with('_') || body.ends_with('_') || body.contains("__") {
        return None;
    }
    let clean: String = body.chars().filter(|&c| c != '_').collect();
    if !clean.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let value: i64 = clean.parse().ok()?;
    Some(if negative { -value } else { value })
}

fn add_days(value: DateValue, days: i64) -> Option<DateValue> {
    let delta = TimeDelta::try_days(days)?;
    Some(match value {
        DateValue::Date(d) => DateValue::Date(d.checked_add_signed(delta)?),
        DateValue::DateTime(dt) => DateValue::DateTime(dt.checked_add_signed(delta)?),
    })
}

fn to_datetime(value: DateValue) -> NaiveDateTime {
    match value {
        DateValue::Date(d) => d.and_time(NaiveTime::MIN),
        DateValue::DateTime(dt) => dt,
    }
}

fn add_months(date: NaiveDate, months: i64) -> Option<NaiveDate> {
    let magnitude = u32::try_from(months.unsigned_abs()).ok()?;
    if months >= 0 {
        date.checked_add_months(Months::new(magnitude))
    } else {
        date.checked_sub_months(Months::new(magnitude))
    }
}

/// `value + relativedelta(<unit>s=number)`.
fn add_unit(value: DateValue, unit: Unit, number: i64) -> Option<DateValue> {
    let with_date = |f: &dyn Fn(NaiveDate) -> Option<NaiveDate>| -> Option<DateValue> {
        Some(match value {
            DateValue::Date(d) => DateValue::Date(f(d)?),
            DateValue::DateTime(dt) => DateValue::DateTime(f(dt.date())?.and_time(dt.time())),
        })
    };
    match unit {
        Unit::Day => add_days(value, number),
        Unit::Week => add_days(value, number.checked_mul(7)?),
        Unit::Month => with_date(&|d| add_months(d, number)),
        Unit::Year => with_date(&|d| add_months(d, number.checked_mul(12)?)),
        Unit::Hour | Unit::Minute | Unit::Second => {
            let delta = match unit {
                Unit::Hour => TimeDelta::try_hours(number)?,
                Unit::Minute => TimeDelta::try_minutes(number)?,
                _ => TimeDelta::try_seconds(number)?,
            };
            // relativedelta turns a date into a datetime when it has a time part.
            Some(DateValue::DateTime(
                to_datetime(value).checked_add_signed(delta)?,
            ))
        }
    }
}

/// `value + relativedelta(<unit>=number)` after truncating a datetime below the unit.
fn set_unit(value: DateValue, unit: Unit, number: i64) -> Option<DateValue> {
    let n = u32::try_from(number).ok()?;
    let value = match (value, unit) {
        (DateValue::DateTime(dt), Unit::Day | Unit::Month | Unit::Year) => {
            DateValue::DateTime(dt.date().and_time(NaiveTime::MIN))
        }
        (DateValue::DateTime(dt), Unit::Hour) => {
            DateValue::DateTime(dt.date().and_hms_opt(dt.hour(), 0, 0)?)
        }
        (DateValue::DateTime(dt), Unit::Minute) => {
            DateValue::DateTime(dt.date().and_hms_opt(dt.hour(), dt.minute(), 0)?)
        }
        (DateValue::DateTime(dt), Unit::Second) => {
            DateValue::DateTime(dt.date().and_hms_opt(dt.hour(), dt.minute(), dt.second())?)
        }
        (other, _) => other,
    };
    let clamp_day = |year: i32, month: u32, day: u32| -> Option<NaiveDate> {
        let last = (28..=31)
            .rev()
            .find(|&d| NaiveDate::from_ymd_opt(year, month, d).is_some())?;
        NaiveDate::from_ymd_opt(year, month, day.min(last))
    };
    let with_date = |f: &dyn Fn(NaiveDate) -> Option<NaiveDate>| -> Option<DateValue> {
        Some(match value {
            DateValue::Date(d) => DateValue::Date(f(d)?),
            DateValue::DateTime(dt) => DateValue::DateTime(f(dt.date())?.and_time(dt.time())),
        })
    };
    match unit {
        Unit::Day => {
            if n == 0 || n > 31 {
                return None;
            }
            with_date(&|d| clamp_day(d.year(), d.month(), n))
        }
        Unit::Month => {
            if n == 0 || n > 12 {
                return None;
            }
            with_date(&|d| clamp_day(d.year(), n, d.day()))
        }
        Unit::Year => {
            let year = i32::try_from(n).ok().filter(|y| (1..=9999).contains(y))?;
            with_date(&|d| clamp_day(year, d.month(), d.day()))
        }
        Unit::Week => None,
        Unit::Hour | Unit::Minute | Unit::Second => {
            let dt = to_datetime(value);
            let (h, m, s) = match unit {
                Unit::Hour => (n, dt.minute(), dt.second()),
                Unit::Minute => (dt.hour(), n, dt.second()),
                _ => (dt.hour(), dt.minute(), n),
            };
            Some(DateValue::DateTime(dt.date().and_hms_opt(h, m, s)?))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dt(text: &str) -> NaiveDateTime {
        match parse_iso(text).unwrap() {
            DateValue::DateTime(dt) => dt,
            DateValue::Date(d) => d.and_time(NaiveTime::MIN),
        }
    }

    #[test]
    fn iso_forms() {
        assert_eq!(
            parse_iso("2024-02-29").unwrap(),
            DateValue::Date(NaiveDate::from_ymd_opt(2024, 2, 29).unwrap())
        );
        assert!(parse_iso("2023-02-29").is_err());
        assert!(parse_iso("2024-1-5").is_err());
        assert!(parse_iso("20240105").is_err());
        assert_eq!(dt("2024-01-05 10:20"), dt("2024-01-05T10:20:00"));
        assert_eq!(
            parse_iso("2024-01-05 10:20:30.5").unwrap(),
            DateValue::DateTime(
                NaiveDate::from_ymd_opt(2024, 1, 5)
                    .unwrap()
                    .and_hms_micro_opt(10, 20, 30, 500_000)
                    .unwrap()
            )
        );
        assert!(parse_iso("2024-01-05 10:20:30Z").is_err());
        assert!(parse_iso("2024-01-05 10:20:30+02:00").is_err());
        assert!(parse_iso("2024-01-05 25:00").is_err());
        assert!(looks_iso("2024-1-5"));
        assert!(!looks_iso("today"));
    }

    #[test]
    fn relative_dates() {
        // A Wednesday.
        let now = dt("2024-01-31 15:45:10");
        let rel = |text: &str| parse_relative(text, now, Weekday::Sun).unwrap();
        assert_eq!(rel("today"), DateValue::Date(now.date()));
        assert_eq!(rel("now"), DateValue::DateTime(now));
        assert_eq!(
            rel("today +1m"),
            DateValue::Date(NaiveDate::from_ymd_opt(2024, 2, 29).unwrap())
        );
        assert_eq!(
            rel("today -1y"),
            DateValue::Date(NaiveDate::from_ymd_opt(2023, 1, 31).unwrap())
        );
        assert_eq!(rel("=1d"), DateValue::DateTime(dt("2024-01-01 00:00:00")));
        assert_eq!(
            rel("today =3m"),
            DateValue::Date(NaiveDate::from_ymd_opt(2024, 3, 31).unwrap())
        );
        assert_eq!(
            rel("now =3H"),
            DateValue::DateTime(dt("2024-01-31 03:00:00"))
        );
        assert_eq!(
            rel("today +2H"),
            DateValue::DateTime(dt("2024-01-31 02:00:00"))
        );
        assert_eq!(
            rel("today +monday"),
            DateValue::Date(NaiveDate::from_ymd_opt(2024, 2, 5).unwrap())
        );
        assert_eq!(
            rel("today -monday"),
            DateValue::Date(NaiveDate::from_ymd_opt(2024, 1, 29).unwrap())
        );
        assert_eq!(
            rel("today =week_start"),
            DateValue::Date(NaiveDate::from_ymd_opt(2024, 1, 28).unwrap())
        );
        assert_eq!(
            rel("today -2w"),
            DateValue::Date(NaiveDate::from_ymd_opt(2024, 1, 17).unwrap())
        );
        for bad in [
            "",
            "yesterday",
            "today +",
            "today +1x",
            "today =1w",
            "today =13m",
            "+1_d",
        ] {
            assert!(parse_relative(bad, now, Weekday::Sun).is_err(), "{bad}");
        }
    }
}
