//! [`LinkStore`] for [`PostgresStore`]: tracked links and their clicks, in the same database
//! as the traces they point to.

use postgres::Row;
use smskit::links::{
    Attribution, Click, ClickScope, ClickStats, Code, Error as LinkError, Link, LinkRequest,
    LinkStore, RecordedClick, TraceId as LinkTraceId, Tracking, allocate_code,
};

use crate::codec::{self, micros, opt_time};
use crate::error::Error;
use crate::{Conn, PostgresStore};

/// A link store's error from a PostgreSQL error met while doing `during`.
fn link_error(during: &'static str) -> impl Fn(postgres::Error) -> LinkError {
    move |source| LinkError::store(Error::Postgres { during, source })
}

/// The columns of a link, in the order [`link`] reads them.
macro_rules! link_columns {
    () => {
        "code, url, utm_campaign, utm_source, utm_medium, mailing"
    };
}

/// A link from its stored columns: the request is built again, so the redirect target always
/// matches the URL and UTM values.
fn link(row: &Row) -> Result<Link, LinkError> {
    let column = |index| codec::get::<Option<String>>(row, index).map_err(LinkError::store);
    let code: String = codec::get(row, 0).map_err(LinkError::store)?;
    let url: String = codec::get(row, 1).map_err(LinkError::store)?;
    let mut tracking = Tracking::new();
    if let Some(campaign) = column(2)? {
        tracking = tracking.with_campaign(campaign);
    }
    if let Some(source) = column(3)? {
        tracking = tracking.with_source(source);
    }
    if let Some(medium) = column(4)? {
        tracking = tracking.with_medium(medium);
    }
    if let Some(mailing) = column(5)? {
        tracking = tracking.with_mailing(mailing);
    }
    let code = Code::new(code)?;
    Ok(LinkRequest::new(&url, &tracking)?.into_link(code))
}

impl PostgresStore {
    fn link_by_code(&self, code: &str) -> Result<Option<Link>, LinkError> {
        let during = "read a link";
        let mut conn = self.conn(during).map_err(LinkError::store)?;
        let Conn { client, statements } = &mut *conn;
        let statement = statements
            .get(
                client,
                concat!("SELECT ", link_columns!(), " FROM links WHERE code = $1"),
            )
            .map_err(link_error(during))?;
        let row = client
            .query_opt(&statement, &[&code])
            .map_err(link_error(during))?;
        row.as_ref().map(link).transpose()
    }
}

impl LinkStore for PostgresStore {
    fn get_or_create(&mut self, request: &LinkRequest) -> Result<Link, LinkError> {
        let during = "create a link";
        let Conn { client, statements } = self.conn.get_mut();
        let mut tx = client.transaction().map_err(link_error(during))?;
        // Two workers rewriting the same URL at once would each create a link: they take
        // turns per target instead (a lock released at the commit).
        tx.execute(
            "SELECT pg_advisory_xact_lock(hashtextextended($1, 0))",
            &[&request.target()],
        )
        .map_err(link_error(during))?;
        let existing = statements
            .get(
                &mut tx,
                concat!("SELECT ", link_columns!(), " FROM links WHERE target = $1"),
            )
            .and_then(|statement| tx.query(&statement, &[&request.target()]))
            .map_err(link_error(during))?;
        for row in &existing {
            let candidate = link(row)?;
            if request.matches(&candidate) {
                return Ok(candidate);
            }
        }
        let taken = statements
            .get(&mut tx, "SELECT 1 FROM links WHERE code = $1")
            .map_err(link_error(during))?;
        let code = allocate_code(&mut self.rng, |code| {
            tx.query_opt(&taken, &[&code.as_str()])
                .map(|row| row.is_some())
                .map_err(link_error(during))
        })?;
        let utm = request.utm();
        let insert = statements
            .get(
                &mut tx,
                "INSERT INTO links (code, url, utm_campaign, utm_source, utm_medium, mailing,
                     target)
                 VALUES ($1, $2, $3, $4, $5, $6, $7)",
            )
            .map_err(link_error(during))?;
        tx.execute(
            &insert,
            &[
                &code.as_str(),
                &request.url(),
                &utm.campaign(),
                &utm.source(),
                &utm.medium(),
                &request.mailing(),
                &request.target(),
            ],
        )
        .map_err(link_error(during))?;
        tx.commit().map_err(link_error(during))?;
        Ok(request.clone().into_link(code))
    }

    fn link(&self, code: &Code) -> Result<Option<Link>, LinkError> {
        self.link_by_code(code.as_str())
    }

    fn record_click(&mut self, click: Click) -> Result<RecordedClick, LinkError> {
        let during = "record a click";
        let link =
            self.link_by_code(click.code().as_str())?
                .ok_or_else(|| LinkError::UnknownLink {
                    code: click.code().to_string(),
                })?;
        let Conn { client, statements } = self.conn.get_mut();
        let mut tx = client.transaction().map_err(link_error(during))?;
        let trace = click.trace().map(LinkTraceId::as_str);
        let first_click = match trace {
            None => false,
            Some(trace) => {
                // Two clicks of one trace at once: one of them is the first.
                tx.execute(
                    "SELECT pg_advisory_xact_lock(hashtextextended($1, 1))",
                    &[&trace],
                )
                .map_err(link_error(during))?;
                let clicked = statements
                    .get(&mut tx, "SELECT 1 FROM clicks WHERE trace = $1 LIMIT 1")
                    .and_then(|statement| tx.query_opt(&statement, &[&trace]))
                    .map_err(link_error(during))?;
                clicked.is_none()
            }
        };
        let insert = statements
            .get(
                &mut tx,
                "INSERT INTO clicks (code, at, trace, ip, country) VALUES ($1, $2, $3, $4, $5)",
            )
            .map_err(link_error(during))?;
        tx.execute(
            &insert,
            &[
                &click.code().as_str(),
                &micros(click.at()),
                &trace,
                &click.ip().map(|ip| ip.to_string()),
                &click.country(),
            ],
        )
        .map_err(link_error(during))?;
        tx.commit().map_err(link_error(during))?;
        let attribution = click.trace().map(|trace| Attribution {
            trace: trace.clone(),
            opened_at: click.at(),
            first_click,
            mailing: link.mailing().map(str::to_owned),
            campaign: link.campaign().map(str::to_owned),
        });
        Ok(RecordedClick { link, attribution })
    }

    fn click_stats(&self, scope: &ClickScope) -> Result<ClickStats, LinkError> {
        const COUNTS: &str = "SELECT count(*), count(DISTINCT clicks.trace), min(clicks.at), \
                              max(clicks.at) FROM clicks";
        let during = "count clicks";
        let (sql, key) = match scope {
            ClickScope::All => (COUNTS.to_owned(), None),
            ClickScope::Link(code) => (
                format!("{COUNTS} WHERE clicks.code = $1"),
                Some(code.as_str()),
            ),
            ClickScope::Mailing(mailing) => (
                format!("{COUNTS} JOIN links ON links.code = clicks.code WHERE links.mailing = $1"),
                Some(mailing.as_str()),
            ),
            ClickScope::Campaign(campaign) => (
                format!(
                    "{COUNTS} JOIN links ON links.code = clicks.code WHERE links.utm_campaign = $1"
                ),
                Some(campaign.as_str()),
            ),
            other => {
                return Err(LinkError::store(Error::Unsupported {
                    what: format!("the click scope {other:?}"),
                }));
            }
        };
        let mut conn = self.conn(during).map_err(LinkError::store)?;
        let row = match key {
            None => conn.client.query_one(&sql, &[]),
            Some(key) => conn.client.query_one(&sql, &[&key]),
        }
        .map_err(link_error(during))?;
        let read = || -> Result<ClickStats, Error> {
            Ok(ClickStats {
                clicks: codec::get::<i64>(&row, 0)?.unsigned_abs(),
                clicked_traces: codec::get::<i64>(&row, 1)?.unsigned_abs(),
                first_click: opt_time(&row, 2)?,
                last_click: opt_time(&row, 3)?,
            })
        };
        read().map_err(LinkError::store)
    }
}
