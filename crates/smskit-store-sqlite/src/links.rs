//! [`LinkStore`] for [`SqliteStore`]: tracked links and their clicks, in the same database as
//! the traces they point to.

use rusqlite::{OptionalExtension, Row, params};
use smskit::links::{
    Attribution, Click, ClickScope, ClickStats, Code, Error as LinkError, Link, LinkRequest,
    LinkStore, RecordedClick, TraceId as LinkTraceId, Tracking, allocate_code,
};

use crate::SqliteStore;
use crate::codec::{micros, opt_time};
use crate::error::Error;

/// A link store's error from a SQLite error met while doing `during`.
fn link_error(during: &'static str) -> impl Fn(rusqlite::Error) -> LinkError {
    move |source| LinkError::store(Error::Sqlite { during, source })
}

/// The columns of a link, in the order [`link`] reads them.
const LINK_COLUMNS: &str = "code, url, utm_campaign, utm_source, utm_medium, mailing";

/// A link from its stored columns: the request is built again, so the redirect target always
/// matches the URL and UTM values.
fn link(row: &Row<'_>) -> rusqlite::Result<Result<Link, LinkError>> {
    let code: String = row.get(0)?;
    let url: String = row.get(1)?;
    let mut tracking = Tracking::new();
    if let Some(campaign) = row.get::<_, Option<String>>(2)? {
        tracking = tracking.with_campaign(campaign);
    }
    if let Some(source) = row.get::<_, Option<String>>(3)? {
        tracking = tracking.with_source(source);
    }
    if let Some(medium) = row.get::<_, Option<String>>(4)? {
        tracking = tracking.with_medium(medium);
    }
    if let Some(mailing) = row.get::<_, Option<String>>(5)? {
        tracking = tracking.with_mailing(mailing);
    }
    Ok(Code::new(code).and_then(|code| Ok(LinkRequest::new(&url, &tracking)?.into_link(code))))
}

/// Records `click` in the transaction `tx` (the caller commits): what
/// [`LinkStore::record_click`] does, and what [`smskit::Store::record_clicks`] does for each
/// click of a burst in one transaction.
fn record_click_with(
    tx: &rusqlite::Transaction<'_>,
    click: &Click,
) -> Result<RecordedClick, LinkError> {
    let during = "record a click";
    let link = tx
        .prepare_cached(&format!("SELECT {LINK_COLUMNS} FROM links WHERE code = ?1"))
        .and_then(|mut statement| {
            statement
                .query_row([click.code().as_str()], link)
                .optional()
        })
        .map_err(link_error(during))?
        .transpose()?
        .ok_or_else(|| LinkError::UnknownLink {
            code: click.code().to_string(),
        })?;
    let trace = click.trace().map(LinkTraceId::as_str);
    let first_click = match trace {
        None => false,
        Some(trace) => !tx
            .prepare_cached("SELECT 1 FROM clicks WHERE trace = ?1")
            .and_then(|mut statement| statement.exists([trace]))
            .map_err(link_error(during))?,
    };
    tx.prepare_cached(
        "INSERT INTO clicks (code, at, trace, ip, country) VALUES (?1, ?2, ?3, ?4, ?5)",
    )
    .and_then(|mut statement| {
        statement.execute(params![
            click.code().as_str(),
            micros(click.at()),
            trace,
            click.ip().map(|ip| ip.to_string()),
            click.country(),
        ])
    })
    .map_err(link_error(during))?;
    let attribution = click.trace().map(|trace| Attribution {
        trace: trace.clone(),
        opened_at: click.at(),
        first_click,
        mailing: link.mailing().map(str::to_owned),
        campaign: link.campaign().map(str::to_owned),
    });
    Ok(RecordedClick { link, attribution })
}

/// [`record_click_with`] for [`smskit::Store::record_clicks`]: a failure is a store error
/// (the whole burst is rolled back).
pub(crate) fn record_click_in(
    tx: &rusqlite::Transaction<'_>,
    click: &Click,
) -> Result<RecordedClick, smskit::store::StoreError> {
    record_click_with(tx, click).map_err(|error| match error {
        LinkError::UnknownLink { code } => {
            smskit::store::StoreError::not_found(format_args!("link {code}"))
        }
        other => smskit::store::StoreError::Backend(Box::new(other)),
    })
}

impl SqliteStore {
    fn link_by_code(&self, code: &str) -> Result<Option<Link>, LinkError> {
        let during = "read a link";
        self.conn
            .prepare_cached(&format!("SELECT {LINK_COLUMNS} FROM links WHERE code = ?1"))
            .and_then(|mut statement| statement.query_row([code], link).optional())
            .map_err(link_error(during))?
            .transpose()
    }
}

impl LinkStore for SqliteStore {
    fn get_or_create(&mut self, request: &LinkRequest) -> Result<Link, LinkError> {
        let during = "create a link";
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .map_err(link_error(during))?;
        let existing: Vec<Result<Link, LinkError>> = tx
            .prepare_cached(&format!(
                "SELECT {LINK_COLUMNS} FROM links WHERE target = ?1"
            ))
            .and_then(|mut statement| statement.query_map([request.target()], link)?.collect())
            .map_err(link_error(during))?;
        for candidate in existing {
            let candidate = candidate?;
            if request.matches(&candidate) {
                return Ok(candidate);
            }
        }
        let code = {
            let mut taken = tx
                .prepare_cached("SELECT 1 FROM links WHERE code = ?1")
                .map_err(link_error(during))?;
            allocate_code(&mut self.rng, |code| {
                taken.exists([code.as_str()]).map_err(link_error(during))
            })?
        };
        let utm = request.utm();
        tx.prepare_cached(
            "INSERT INTO links (code, url, utm_campaign, utm_source, utm_medium, mailing, target)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        )
        .and_then(|mut statement| {
            statement.execute(params![
                code.as_str(),
                request.url(),
                utm.campaign(),
                utm.source(),
                utm.medium(),
                request.mailing(),
                request.target(),
            ])
        })
        .map_err(link_error(during))?;
        tx.commit().map_err(link_error(during))?;
        Ok(request.clone().into_link(code))
    }

    fn link(&self, code: &Code) -> Result<Option<Link>, LinkError> {
        self.link_by_code(code.as_str())
    }

    fn record_click(&mut self, click: Click) -> Result<RecordedClick, LinkError> {
        let during = "record a click";
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .map_err(link_error(during))?;
        let recorded = record_click_with(&tx, &click)?;
        tx.commit().map_err(link_error(during))?;
        Ok(recorded)
    }

    fn click_stats(&self, scope: &ClickScope) -> Result<ClickStats, LinkError> {
        let during = "count clicks";
        const COUNTS: &str = "SELECT count(*), count(DISTINCT clicks.trace), min(clicks.at), \
                              max(clicks.at) FROM clicks";
        let (sql, key) = match scope {
            ClickScope::All => (COUNTS.to_owned(), None),
            ClickScope::Link(code) => (
                format!("{COUNTS} WHERE clicks.code = ?1"),
                Some(code.as_str()),
            ),
            ClickScope::Mailing(mailing) => (
                format!("{COUNTS} JOIN links ON links.code = clicks.code WHERE links.mailing = ?1"),
                Some(mailing.as_str()),
            ),
            ClickScope::Campaign(campaign) => (
                format!(
                    "{COUNTS} JOIN links ON links.code = clicks.code WHERE links.utm_campaign = ?1"
                ),
                Some(campaign.as_str()),
            ),
            other => {
                return Err(LinkError::store(Error::Unsupported {
                    what: format!("the click scope {other:?}"),
                }));
            }
        };
        let read = |row: &Row<'_>| {
            Ok(ClickStats {
                clicks: row.get::<_, i64>(0)?.unsigned_abs(),
                clicked_traces: row.get::<_, i64>(1)?.unsigned_abs(),
                first_click: opt_time(row, 2)?,
                last_click: opt_time(row, 3)?,
            })
        };
        self.conn
            .prepare_cached(&sql)
            .and_then(|mut statement| match key {
                None => statement.query_row([], read),
                Some(key) => statement.query_row([key], read),
            })
            .map_err(link_error(during))
    }
}
