//! [`LinkStore`] for [`SqliteStore`]: tracked links and their clicks, in the same database as
//! the traces they point to.

use std::cell::RefCell;
use std::collections::HashMap;

use rusqlite::{Connection, OptionalExtension, Row, params};
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

/// The links a store has read, by code. Links are never updated nor deleted and their codes are
/// unique, so a link once read stays right whatever another connection does; links are only
/// cached once committed (read, never written, through the cache).
#[derive(Debug, Default)]
pub(crate) struct LinkCache(RefCell<HashMap<Box<str>, Link>>);

impl LinkCache {
    /// Enough for the links of every running mailing; past it the cache starts over, which
    /// keeps its memory bounded whatever codes are requested.
    const CAPACITY: usize = 4096;

    /// The link `code`, from the cache or else read from `conn` (and kept when it exists).
    fn get(&self, conn: &Connection, code: &str) -> Result<Option<Link>, LinkError> {
        if let Some(link) = self.0.borrow().get(code) {
            return Ok(Some(link.clone()));
        }
        let during = "read a link";
        let found = conn
            .prepare_cached(&format!("SELECT {LINK_COLUMNS} FROM links WHERE code = ?1"))
            .and_then(|mut statement| statement.query_row([code], link).optional())
            .map_err(link_error(during))?
            .transpose()?;
        if let Some(found) = &found {
            let mut cache = self.0.borrow_mut();
            if cache.len() >= Self::CAPACITY {
                cache.clear();
            }
            cache.insert(code.into(), found.clone());
        }
        Ok(found)
    }
}

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
    links: &LinkCache,
    click: &Click,
) -> Result<RecordedClick, LinkError> {
    let during = "record a click";
    let link = links
        .get(tx, click.code().as_str())?
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
    links: &LinkCache,
    click: &Click,
) -> Result<RecordedClick, smskit::store::StoreError> {
    record_click_with(tx, links, click).map_err(|error| match error {
        LinkError::UnknownLink { code } => {
            smskit::store::StoreError::not_found(format_args!("link {code}"))
        }
        other => smskit::store::StoreError::Backend(Box::new(other)),
    })
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
        self.links.get(&self.conn, code.as_str())
    }

    fn record_click(&mut self, click: Click) -> Result<RecordedClick, LinkError> {
        let during = "record a click";
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .map_err(link_error(during))?;
        let recorded = record_click_with(&tx, &self.links, &click)?;
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

#[cfg(test)]
mod tests {
    use smskit::links::{LinkRequest, LinkStore, Tracking};

    use super::LinkCache;
    use crate::SqliteStore;

    fn request(n: usize) -> LinkRequest {
        LinkRequest::new(
            &format!("https://shop.example/{n}"),
            &Tracking::new().with_campaign("spring"),
        )
        .unwrap()
    }

    #[test]
    fn a_link_read_once_is_served_from_the_cache_with_its_target() {
        let mut store = SqliteStore::open_in_memory().unwrap();
        let created = store.get_or_create(&request(1)).unwrap();
        assert_eq!(store.link(created.code()).unwrap().as_ref(), Some(&created));
        // Proof the second read does not reach the database: the row is gone, the link stays.
        store.connection().execute("DELETE FROM links", []).unwrap();
        assert_eq!(store.link(created.code()).unwrap(), Some(created));
    }

    #[test]
    fn an_unknown_code_is_not_cached_and_a_later_link_is_found() {
        let mut store = SqliteStore::open_in_memory().unwrap();
        let created = store.get_or_create(&request(1)).unwrap();
        store.connection().execute("DELETE FROM links", []).unwrap();
        assert_eq!(store.link(created.code()).unwrap(), None);
        let again = store.get_or_create(&request(1)).unwrap();
        assert_eq!(store.link(again.code()).unwrap(), Some(again));
    }

    #[test]
    fn the_cache_never_holds_more_than_its_capacity() {
        let mut store = SqliteStore::open_in_memory().unwrap();
        let links: Vec<_> = (0..=LinkCache::CAPACITY)
            .map(|n| store.get_or_create(&request(n)).unwrap())
            .collect();
        for link in &links {
            assert_eq!(store.link(link.code()).unwrap().as_ref(), Some(link));
            assert!(store.links.0.borrow().len() <= LinkCache::CAPACITY);
        }
        assert_eq!(store.links.0.borrow().len(), 1, "full: it started over");
    }
}
