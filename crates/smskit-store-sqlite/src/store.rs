//! [`Store`] for [`SqliteStore`]: every method one statement or one short `IMMEDIATE`
//! transaction.

use std::collections::HashSet;
use std::sync::LazyLock;

use chrono::{DateTime, Utc};
use rusqlite::types::Value;
use rusqlite::{OptionalExtension, Transaction, TransactionBehavior, params};
use smskit::audience::contact_sql_mapping;
use smskit::filter::sql::{Dialect, SqlValue};
use smskit::links::Click;
use smskit::model::{
    AbTest, AbTestId, BlacklistEntry, Campaign, CampaignId, Contact, ContactId, ListId, Mailing,
    MailingId, MailingList, MailingState, NewCampaign, NewContact, NewMailing, Subscription, Trace,
    TraceId,
};
use smskit::phone::E164;
use smskit::provider::{FailureType, TraceStatus};
use smskit::reply::Reply;
use smskit::store::{ClickRecord, Outcome, StatusUpdate, Store, StoreError, accepts};

use crate::SqliteStore;
use crate::codec::{
    self, Json, ab_test_columns, campaign_columns, contact_columns, mailing_columns, micros,
    opt_micros, trace_columns,
};
use crate::error::{During, is_unique_violation, store_error};

/// What [`Store::abandon_claims`] writes as the failure reason (the same words as
/// `MemoryStore`).
const ABANDONED: &str = "the sender stopped before recording the outcome: it may have been sent";

impl SqliteStore {
    /// Starts a write transaction that takes the write lock at once: a read-modify-write in it
    /// never fails half-way because another process wrote first.
    fn write(&mut self, during: &'static str) -> Result<Transaction<'_>, StoreError> {
        self.conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .during(during)
    }

    /// Creates many contacts in one transaction (an import of a large file): the same rows as
    /// one [`Store::insert_contact`] each, many times faster. Returns their ids, in order;
    /// nothing is stored when any fails.
    ///
    /// # Errors
    /// [`StoreError::Backend`] when the database fails.
    pub fn insert_contacts(
        &mut self,
        contacts: impl IntoIterator<Item = NewContact>,
        now: DateTime<Utc>,
    ) -> Result<Vec<ContactId>, StoreError> {
        let during = "insert contacts";
        let tx = self.write(during)?;
        let mut ids = Vec::new();
        {
            let mut statement = tx
                .prepare_cached(
                    "INSERT INTO contacts (name, phone, country, fields, created_at)
                     VALUES (?1, ?2, ?3, ?4, ?5)",
                )
                .during(during)?;
            for contact in contacts {
                let id = statement
                    .insert(params![
                        contact.name,
                        contact.phone,
                        contact.country.map(|country| country.as_str()),
                        contact.fields.to_json(),
                        micros(now),
                    ])
                    .during(during)?;
                ids.push(ContactId(id));
            }
        }
        tx.commit().during(during)?;
        Ok(ids)
    }

    /// Subscribes many contacts to `list` in one transaction, like one [`Store::subscribe`]
    /// each (a contact subscribed already keeps its subscription).
    ///
    /// # Errors
    /// [`StoreError::NotFound`] for an unknown list or contact (nothing is stored then).
    pub fn subscribe_all(
        &mut self,
        list: ListId,
        contacts: &[ContactId],
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let during = "subscribe contacts";
        let tx = self.write(during)?;
        let known = tx
            .prepare_cached("SELECT 1 FROM lists WHERE id = ?1")
            .and_then(|mut statement| statement.exists([list.0]))
            .during(during)?;
        if !known {
            return Err(StoreError::not_found(format_args!("mailing list {list}")));
        }
        {
            // A missing contact fails the foreign key: NotFound, and the transaction rolls back.
            let mut statement = tx
                .prepare_cached(
                    "INSERT INTO subscriptions (list, contact, opt_out, created_at)
                     VALUES (?1, ?2, 0, ?3) ON CONFLICT (list, contact) DO NOTHING",
                )
                .during(during)?;
            for contact in contacts {
                statement
                    .execute(params![list.0, contact.0, micros(now)])
                    .during(during)?;
            }
        }
        tx.commit().during(during)
    }

    /// Visits the traces `sql` selects (the columns of `trace_columns!`) with `params`.
    fn visit_traces(
        &self,
        during: &'static str,
        sql: &str,
        params: impl rusqlite::Params,
        visit: &mut dyn FnMut(&Trace),
    ) -> Result<(), StoreError> {
        let mut statement = self.conn.prepare_cached(sql).during(during)?;
        let mut rows = statement.query(params).during(during)?;
        while let Some(row) = rows.next().during(during)? {
            visit(&codec::trace(row).during(during)?);
        }
        Ok(())
    }

    /// [`Store::mark_clicked`] inside `tx`.
    fn mark_clicked_in(
        tx: &Transaction<'_>,
        trace: TraceId,
        at: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let during = "mark a trace clicked";
        let Some(current) = SqliteStore::trace_in(tx, trace)? else {
            return Ok(false);
        };
        let first = current.clicked_at.map_or(at, |first| first.min(at));
        let open = accepts(current.status, current.failure_type, TraceStatus::Open);
        if !open && current.clicked_at == Some(first) {
            // A later click of an opened trace changes nothing: rewriting the row would only
            // add its page to the log (a burst of repeat taps wrote one page per tap).
            return Ok(true);
        }
        tx.prepare_cached(
            "UPDATE traces SET clicked_at = ?2,
                 status = CASE WHEN ?3 THEN 'open' ELSE status END,
                 failure_type = CASE WHEN ?3 THEN NULL ELSE failure_type END,
                 failure_reason = CASE WHEN ?3 THEN NULL ELSE failure_reason END
             WHERE id = ?1",
        )
        .and_then(|mut statement| statement.execute(params![trace.0, micros(first), open]))
        .during(during)?;
        Ok(true)
    }

    /// The trace with `id`, read in `tx`.
    fn trace_in(tx: &Transaction<'_>, id: TraceId) -> Result<Option<Trace>, StoreError> {
        tx.prepare_cached(concat!(
            "SELECT ",
            trace_columns!(),
            " FROM traces WHERE id = ?1"
        ))
        .and_then(|mut statement| statement.query_row([id.0], codec::trace).optional())
        .during("read a trace")
    }
}

/// The status and failure columns of a trace as the spec names them.
fn failure_name(failure: Option<FailureType>) -> Option<&'static str> {
    failure.map(FailureType::as_str)
}

impl Store for SqliteStore {
    fn insert_contact(
        &mut self,
        contact: NewContact,
        now: DateTime<Utc>,
    ) -> Result<ContactId, StoreError> {
        let during = "insert a contact";
        self.conn
            .prepare_cached(
                "INSERT INTO contacts (name, phone, country, fields, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
            )
            .and_then(|mut statement| {
                statement.execute(params![
                    contact.name,
                    contact.phone,
                    contact.country.map(|country| country.as_str()),
                    contact.fields.to_json(),
                    micros(now),
                ])
            })
            .during(during)?;
        Ok(ContactId(self.conn.last_insert_rowid()))
    }

    fn update_contact(&mut self, id: ContactId, contact: NewContact) -> Result<(), StoreError> {
        let changed = self
            .conn
            .prepare_cached(
                "UPDATE contacts SET name = ?2, phone = ?3, country = ?4, fields = ?5
                 WHERE id = ?1",
            )
            .and_then(|mut statement| {
                statement.execute(params![
                    id.0,
                    contact.name,
                    contact.phone,
                    contact.country.map(|country| country.as_str()),
                    contact.fields.to_json(),
                ])
            })
            .during("update a contact")?;
        if changed == 0 {
            return Err(StoreError::not_found(format_args!("contact {id}")));
        }
        Ok(())
    }

    fn contact(&self, id: ContactId) -> Result<Option<Contact>, StoreError> {
        self.conn
            .prepare_cached(concat!(
                "SELECT ",
                contact_columns!(),
                " FROM contacts WHERE id = ?1"
            ))
            .and_then(|mut statement| statement.query_row([id.0], codec::contact).optional())
            .during("read a contact")
    }

    fn contact_field_names(&self) -> Result<std::collections::BTreeSet<String>, StoreError> {
        let during = "read the contacts' field names";
        let mut statement = self
            .conn
            .prepare_cached("SELECT DISTINCT key FROM contacts, json_each(contacts.fields)")
            .during(during)?;
        let names = statement
            .query_map([], |row| row.get::<_, String>(0))
            .during(during)?
            .collect::<Result<_, _>>()
            .during(during)?;
        Ok(names)
    }

    fn has_waiting_traces(&self, mailing: MailingId) -> Result<bool, StoreError> {
        // Two probes of the partial indexes `traces_outgoing` and `traces_process`.
        self.conn
            .prepare_cached(
                "SELECT EXISTS (SELECT 1 FROM traces WHERE mailing = ?1 AND status = 'outgoing')
                     OR EXISTS (SELECT 1 FROM traces WHERE mailing = ?1 AND status = 'process')",
            )
            .and_then(|mut statement| statement.query_row([mailing.0], |row| row.get(0)))
            .during("look for waiting traces")
    }

    fn contacts(&self, visit: &mut dyn FnMut(&Contact)) -> Result<(), StoreError> {
        let during = "read the contacts";
        // Odoo's `_order = 'name, create_date desc'`, ids last (later rows first), read along
        // the `contacts_order` index. Names compare as bytes (SQLite's BINARY collation), as
        // Rust's `str` does.
        let mut statement = self
            .conn
            .prepare_cached(concat!(
                "SELECT ",
                contact_columns!(),
                " FROM contacts ORDER BY name, created_at DESC, id DESC"
            ))
            .during(during)?;
        let mut rows = statement.query([]).during(during)?;
        while let Some(row) = rows.next().during(during)? {
            visit(&codec::contact(row).during(during)?);
        }
        Ok(())
    }

    fn domain_contacts(
        &self,
        plan: &smskit::filter::Plan,
    ) -> Result<Option<Vec<ContactId>>, StoreError> {
        let during = "resolve a domain audience";
        // A plan without an exact SQL form (or deeper than SQLite takes) is evaluated in
        // memory by the engine.
        let Ok(query) = plan.to_sql(&contact_sql_mapping(), Dialect::Sqlite) else {
            return Ok(None);
        };
        let params = query.params.iter().map(|value| match value {
            SqlValue::Int(i) => Value::Integer(*i),
            SqlValue::Float(f) => Value::Real(*f),
            SqlValue::Bool(b) => Value::Integer(i64::from(*b)),
            SqlValue::Text(text) => Value::Text(text.clone()),
            _ => Value::Null,
        });
        let mut statement = self.conn.prepare(&query.sql).during(during)?;
        let ids = statement
            .query_map(rusqlite::params_from_iter(params), |row| row.get(0))
            .during(during)?
            .map(|id| id.map(ContactId))
            .collect::<rusqlite::Result<Vec<_>>>()
            .during(during)?;
        Ok(Some(ids))
    }

    fn insert_list(&mut self, name: &str, is_public: bool) -> Result<ListId, StoreError> {
        let result = self
            .conn
            .prepare_cached("INSERT INTO lists (name, is_public) VALUES (?1, ?2)")
            .and_then(|mut statement| statement.execute(params![name, is_public]));
        match result {
            Ok(_) => Ok(ListId(self.conn.last_insert_rowid())),
            Err(error) if is_unique_violation(&error) => {
                Err(StoreError::conflict(format_args!("mailing list {name:?}")))
            }
            Err(error) => Err(store_error("insert a mailing list", error)),
        }
    }

    fn list_by_name(&self, name: &str) -> Result<Option<MailingList>, StoreError> {
        self.conn
            .prepare_cached("SELECT id, name, is_public FROM lists WHERE name = ?1")
            .and_then(|mut statement| {
                statement
                    .query_row([name], |row| {
                        Ok(MailingList {
                            id: ListId(row.get(0)?),
                            name: row.get(1)?,
                            is_public: row.get(2)?,
                        })
                    })
                    .optional()
            })
            .during("read a mailing list")
    }

    fn lists(&self) -> Result<Vec<MailingList>, StoreError> {
        self.conn
            .prepare_cached("SELECT id, name, is_public FROM lists ORDER BY id")
            .and_then(|mut statement| {
                statement
                    .query_map([], |row| {
                        Ok(MailingList {
                            id: ListId(row.get(0)?),
                            name: row.get(1)?,
                            is_public: row.get(2)?,
                        })
                    })?
                    .collect()
            })
            .during("read the mailing lists")
    }

    fn subscribe(
        &mut self,
        list: ListId,
        contact: ContactId,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let during = "subscribe a contact";
        let tx = self.write(during)?;
        subscribe_in(&tx, list, contact, now)?;
        tx.commit().during(during)
    }

    fn set_opt_out(
        &mut self,
        list: ListId,
        contact: ContactId,
        opt_out: bool,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let during = "set an opt-out";
        let tx = self.write(during)?;
        subscribe_in(&tx, list, contact, now)?;
        tx.prepare_cached(
            "UPDATE subscriptions SET opt_out = ?3, opt_out_at = ?4
             WHERE list = ?1 AND contact = ?2",
        )
        .and_then(|mut statement| {
            statement.execute(params![
                list.0,
                contact.0,
                opt_out,
                opt_out.then_some(micros(now))
            ])
        })
        .during(during)?;
        tx.commit().during(during)
    }

    fn subscriptions(&self, list: ListId) -> Result<Vec<Subscription>, StoreError> {
        self.conn
            .prepare_cached(
                "SELECT list, contact, opt_out, created_at, opt_out_at FROM subscriptions
                 WHERE list = ?1 ORDER BY contact",
            )
            .and_then(|mut statement| {
                statement
                    .query_map([list.0], |row| {
                        Ok(Subscription {
                            list: ListId(row.get(0)?),
                            contact: ContactId(row.get(1)?),
                            opt_out: row.get(2)?,
                            created_at: codec::time(row, 3)?,
                            opt_out_at: codec::opt_time(row, 4)?,
                        })
                    })?
                    .collect()
            })
            .during("read the subscriptions of a list")
    }

    fn blacklist_add(
        &mut self,
        number: E164,
        reason: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        // A new reason replaces the old one; none keeps it.
        self.conn
            .prepare_cached(
                "INSERT INTO blacklist (number, active, reason, updated_at) VALUES (?1, 1, ?2, ?3)
                 ON CONFLICT (number) DO UPDATE SET
                     active = 1,
                     reason = coalesce(excluded.reason, reason),
                     updated_at = excluded.updated_at",
            )
            .and_then(|mut statement| {
                statement.execute(params![number.as_str(), reason, micros(now)])
            })
            .during("blacklist a number")?;
        Ok(())
    }

    fn blacklist_remove(&mut self, number: E164) -> Result<bool, StoreError> {
        let changed = self
            .conn
            .prepare_cached("UPDATE blacklist SET active = 0 WHERE number = ?1 AND active = 1")
            .and_then(|mut statement| statement.execute([number.as_str()]))
            .during("remove a number from the blacklist")?;
        Ok(changed > 0)
    }

    fn blacklist_entry(&self, number: E164) -> Result<Option<BlacklistEntry>, StoreError> {
        self.conn
            .prepare_cached(
                "SELECT number, active, reason, updated_at FROM blacklist WHERE number = ?1",
            )
            .and_then(|mut statement| {
                statement
                    .query_row([number.as_str()], |row| {
                        Ok(BlacklistEntry {
                            number: codec::e164(row, 0)?,
                            active: row.get(1)?,
                            reason: row.get(2)?,
                            updated_at: codec::time(row, 3)?,
                        })
                    })
                    .optional()
            })
            .during("read a blacklist entry")
    }

    fn active_blacklist(&self) -> Result<HashSet<E164>, StoreError> {
        self.conn
            .prepare_cached("SELECT number FROM blacklist WHERE active = 1")
            .and_then(|mut statement| {
                statement
                    .query_map([], |row| codec::e164(row, 0))?
                    .collect()
            })
            .during("read the blacklist")
    }

    fn insert_campaign(
        &mut self,
        campaign: NewCampaign,
        now: DateTime<Utc>,
    ) -> Result<CampaignId, StoreError> {
        let result = self
            .conn
            .prepare_cached(
                "INSERT INTO campaigns (name, stage, tags, responsible, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
            )
            .and_then(|mut statement| {
                statement.execute(params![
                    campaign.name,
                    campaign.stage,
                    campaign.tags.to_json(),
                    campaign.responsible,
                    micros(now),
                ])
            });
        match result {
            Ok(_) => Ok(CampaignId(self.conn.last_insert_rowid())),
            Err(error) if is_unique_violation(&error) => Err(StoreError::conflict(format_args!(
                "campaign {:?}",
                campaign.name
            ))),
            Err(error) => Err(store_error("insert a campaign", error)),
        }
    }

    fn campaign(&self, id: CampaignId) -> Result<Option<Campaign>, StoreError> {
        self.conn
            .prepare_cached(concat!(
                "SELECT ",
                campaign_columns!(),
                " FROM campaigns WHERE id = ?1"
            ))
            .and_then(|mut statement| statement.query_row([id.0], codec::campaign).optional())
            .during("read a campaign")
    }

    fn campaigns(&self) -> Result<Vec<Campaign>, StoreError> {
        self.conn
            .prepare_cached(concat!(
                "SELECT ",
                campaign_columns!(),
                " FROM campaigns ORDER BY id"
            ))
            .and_then(|mut statement| statement.query_map([], codec::campaign)?.collect())
            .during("read the campaigns")
    }

    fn set_campaign_stage(&mut self, id: CampaignId, stage: &str) -> Result<(), StoreError> {
        let changed = self
            .conn
            .prepare_cached("UPDATE campaigns SET stage = ?2 WHERE id = ?1")
            .and_then(|mut statement| statement.execute(params![id.0, stage]))
            .during("set a campaign's stage")?;
        if changed == 0 {
            return Err(StoreError::not_found(format_args!("campaign {id}")));
        }
        Ok(())
    }

    fn insert_ab_test(&mut self, test: AbTest) -> Result<AbTestId, StoreError> {
        let rule = codec::rule_name(test.rule)?;
        let versions: Vec<i64> = test.versions.iter().map(|mailing| mailing.0).collect();
        self.conn
            .prepare_cached(
                "INSERT INTO ab_tests
                     (campaign, versions, share, seed, rule, final_at, winner, final_mailing,
                      created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            )
            .and_then(|mut statement| {
                statement.execute(params![
                    test.campaign.0,
                    versions.to_json(),
                    test.share,
                    test.seed.cast_signed(),
                    rule,
                    micros(test.final_at),
                    test.winner.map(|mailing| mailing.0),
                    test.final_mailing.map(|mailing| mailing.0),
                    micros(test.created_at),
                ])
            })
            .during("insert an A/B test")?;
        Ok(AbTestId(self.conn.last_insert_rowid()))
    }

    fn ab_test(&self, id: AbTestId) -> Result<Option<AbTest>, StoreError> {
        self.conn
            .prepare_cached(concat!(
                "SELECT ",
                ab_test_columns!(),
                " FROM ab_tests WHERE id = ?1"
            ))
            .and_then(|mut statement| statement.query_row([id.0], codec::ab_test).optional())
            .during("read an A/B test")
    }

    fn ab_tests(&self) -> Result<Vec<AbTest>, StoreError> {
        self.conn
            .prepare_cached(concat!(
                "SELECT ",
                ab_test_columns!(),
                " FROM ab_tests ORDER BY id"
            ))
            .and_then(|mut statement| statement.query_map([], codec::ab_test)?.collect())
            .during("read the A/B tests")
    }

    fn update_ab_test(&mut self, test: &AbTest) -> Result<(), StoreError> {
        let rule = codec::rule_name(test.rule)?;
        let versions: Vec<i64> = test.versions.iter().map(|mailing| mailing.0).collect();
        let changed = self
            .conn
            .prepare_cached(
                "UPDATE ab_tests SET campaign = ?2, versions = ?3, share = ?4, seed = ?5,
                     rule = ?6, final_at = ?7, winner = ?8, final_mailing = ?9, created_at = ?10
                 WHERE id = ?1",
            )
            .and_then(|mut statement| {
                statement.execute(params![
                    test.id.0,
                    test.campaign.0,
                    versions.to_json(),
                    test.share,
                    test.seed.cast_signed(),
                    rule,
                    micros(test.final_at),
                    test.winner.map(|mailing| mailing.0),
                    test.final_mailing.map(|mailing| mailing.0),
                    micros(test.created_at),
                ])
            })
            .during("update an A/B test")?;
        if changed == 0 {
            return Err(StoreError::not_found(format_args!("A/B test {}", test.id)));
        }
        Ok(())
    }

    fn insert_mailing(
        &mut self,
        mailing: NewMailing,
        now: DateTime<Utc>,
    ) -> Result<MailingId, StoreError> {
        let (kind, ids, domain) = codec::audience_columns(&mailing.audience)?;
        self.conn
            .prepare_cached(
                "INSERT INTO mailings
                     (name, body, audience_kind, audience_ids, audience_domain,
                      include_opt_out_link, campaign, responsible, tags, ab_test, state,
                      scheduled_at, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, NULL, ?12)",
            )
            .and_then(|mut statement| {
                statement.execute(params![
                    mailing.name,
                    mailing.body,
                    kind,
                    ids,
                    domain,
                    mailing.include_opt_out_link,
                    mailing.campaign.map(|campaign| campaign.0),
                    mailing.responsible,
                    mailing.tags.to_json(),
                    mailing.ab_test.map(|test| test.0),
                    MailingState::Draft.as_str(),
                    micros(now),
                ])
            })
            .during("insert a mailing")?;
        Ok(MailingId(self.conn.last_insert_rowid()))
    }

    fn mailing(&self, id: MailingId) -> Result<Option<Mailing>, StoreError> {
        self.conn
            .prepare_cached(concat!(
                "SELECT ",
                mailing_columns!(),
                " FROM mailings WHERE id = ?1"
            ))
            .and_then(|mut statement| statement.query_row([id.0], codec::mailing).optional())
            .during("read a mailing")
    }

    fn mailings(&self) -> Result<Vec<Mailing>, StoreError> {
        self.conn
            .prepare_cached(concat!(
                "SELECT ",
                mailing_columns!(),
                " FROM mailings ORDER BY id"
            ))
            .and_then(|mut statement| statement.query_map([], codec::mailing)?.collect())
            .during("read the mailings")
    }

    fn set_mailing_state(
        &mut self,
        id: MailingId,
        state: MailingState,
        scheduled_at: Option<DateTime<Utc>>,
    ) -> Result<(), StoreError> {
        let changed = self
            .conn
            .prepare_cached("UPDATE mailings SET state = ?2, scheduled_at = ?3 WHERE id = ?1")
            .and_then(|mut statement| {
                statement.execute(params![id.0, state.as_str(), opt_micros(scheduled_at)])
            })
            .during("set a mailing's state")?;
        if changed == 0 {
            return Err(StoreError::not_found(format_args!("mailing {id}")));
        }
        Ok(())
    }

    fn insert_traces(&mut self, traces: &[Trace]) -> Result<usize, StoreError> {
        let during = "insert traces";
        let tx = self.write(during)?;
        let mut stored = 0;
        {
            // One transaction for the whole batch, and statements of many rows each (far less
            // work per row for SQLite than one statement per row); the unique index on
            // (contact, mailing, dedup = 0) skips a pair that has its trace already, also one
            // met earlier in the same statement.
            let mut chunks = traces.chunks_exact(ROWS_PER_INSERT);
            for chunk in &mut chunks {
                // A freshly prepared trace has no send history: its statement binds half the
                // columns (the others are NULL by default).
                let (sql, params) = if chunk.iter().all(is_fresh) {
                    (&*INSERT_MANY_FRESH, FRESH_PARAMS)
                } else {
                    (&*INSERT_MANY, TRACE_PARAMS)
                };
                let mut many = tx.prepare_cached(sql).during(during)?;
                for (row, trace) in chunk.iter().enumerate() {
                    bind_trace(&mut many, row * params, params, trace).during(during)?;
                }
                stored += many.raw_execute().during(during)?;
            }
            let mut one = tx.prepare_cached(&INSERT_ONE).during(during)?;
            for trace in chunks.remainder() {
                bind_trace(&mut one, 0, TRACE_PARAMS, trace).during(during)?;
                stored += one.raw_execute().during(during)?;
            }
        }
        tx.commit().during(during)?;
        Ok(stored)
    }

    fn insert_trace(&mut self, trace: &Trace) -> Result<TraceId, StoreError> {
        // dedup NULL: a transactional mailing may send a contact any number of messages.
        self.conn
            .prepare_cached(
                "INSERT INTO traces
                     (mailing, contact, dedup, number, raw_number, status, failure_type,
                      failure_reason, provider_message_id, sent_at, claimed_at, clicked_at,
                      replied_at)
                 VALUES (?1, ?2, NULL, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
            )
            .and_then(|mut statement| execute_trace(&mut statement, trace))
            .during("insert a trace")?;
        Ok(TraceId(self.conn.last_insert_rowid()))
    }

    fn claim_outgoing(
        &mut self,
        mailing: MailingId,
        limit: usize,
        now: DateTime<Utc>,
    ) -> Result<Vec<Trace>, StoreError> {
        let during = "claim outgoing traces";
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let tx = self.write(during)?;
        let mut claimed: Vec<Trace> = tx
            .prepare_cached(concat!(
                "UPDATE traces SET status = 'process', claimed_at = ?3
                 WHERE id IN (SELECT id FROM traces
                              WHERE mailing = ?1 AND status = 'outgoing'
                              ORDER BY id LIMIT ?2)
                 RETURNING ",
                trace_columns!()
            ))
            .and_then(|mut statement| {
                statement
                    .query_map(params![mailing.0, limit, micros(now)], codec::trace)?
                    .collect()
            })
            .during(during)?;
        tx.commit().during(during)?;
        // RETURNING gives no order; a claim is handed out in id order.
        claimed.sort_unstable_by_key(|trace| trace.id);
        Ok(claimed)
    }

    fn record_outcomes(&mut self, outcomes: &[Outcome]) -> Result<(), StoreError> {
        let during = "record outcomes";
        let tx = self.write(during)?;
        {
            let mut update = tx
                .prepare_cached(
                    "UPDATE traces SET status = ?2, failure_type = ?3, failure_reason = ?4,
                         sent_at = coalesce(sent_at, ?5),
                         provider_message_id = coalesce(?6, provider_message_id)
                     WHERE id = ?1 AND status = 'process'",
                )
                .during(during)?;
            let mut exists = tx
                .prepare_cached("SELECT 1 FROM traces WHERE id = ?1")
                .during(during)?;
            for outcome in outcomes {
                let changed = update
                    .execute(params![
                        outcome.trace.0,
                        outcome.status.as_str(),
                        failure_name(outcome.failure_type),
                        outcome.failure_reason,
                        opt_micros(outcome.sent_at),
                        outcome.provider_message_id,
                    ])
                    .during(during)?;
                // Not in `process` any more: recorded already, ignored. Missing: an error.
                if changed == 0 && !exists.exists([outcome.trace.0]).during(during)? {
                    return Err(StoreError::not_found(format_args!(
                        "trace {}",
                        outcome.trace
                    )));
                }
            }
        }
        tx.commit().during(during)
    }

    fn abandon_claims(
        &mut self,
        mailing: MailingId,
        claimed_before: DateTime<Utc>,
    ) -> Result<usize, StoreError> {
        let during = "abandon stale claims";
        let tx = self.write(during)?;
        let abandoned = tx
            .prepare_cached(
                "UPDATE traces SET status = 'error', failure_type = 'unknown', failure_reason = ?3,
                     sent_at = coalesce(sent_at, claimed_at)
                 WHERE mailing = ?1 AND status = 'process'
                   AND (claimed_at IS NULL OR claimed_at < ?2)",
            )
            .and_then(|mut statement| {
                statement.execute(params![mailing.0, micros(claimed_before), ABANDONED])
            })
            .during(during)?;
        tx.commit().during(during)?;
        Ok(abandoned)
    }

    fn renew_claims(
        &mut self,
        traces: &[TraceId],
        now: DateTime<Utc>,
    ) -> Result<Vec<TraceId>, StoreError> {
        let during = "renew claims";
        let tx = self.write(during)?;
        let mut renewed = Vec::with_capacity(traces.len());
        {
            let mut statement = tx
                .prepare_cached(
                    "UPDATE traces SET claimed_at = ?2 WHERE id = ?1 AND status = 'process'",
                )
                .during(during)?;
            for trace in traces {
                if statement
                    .execute(params![trace.0, micros(now)])
                    .during(during)?
                    > 0
                {
                    renewed.push(*trace);
                }
            }
        }
        tx.commit().during(during)?;
        renewed.sort_unstable();
        renewed.dedup();
        Ok(renewed)
    }

    fn acquire_lease(
        &mut self,
        name: &str,
        holder: &str,
        now: DateTime<Utc>,
        until: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let during = "acquire a lease";
        let tx = self.write(during)?;
        // Inserted, or taken over when expired or already ours; otherwise left alone (no row
        // comes back).
        let held = tx
            .prepare_cached(
                "INSERT INTO leases (name, holder, expires_at) VALUES (?1, ?2, ?4)
                 ON CONFLICT (name) DO UPDATE SET holder = excluded.holder,
                     expires_at = excluded.expires_at
                 WHERE leases.holder = excluded.holder OR leases.expires_at <= ?3
                 RETURNING holder",
            )
            .and_then(|mut statement| {
                statement
                    .query_row(
                        params![name, holder, micros(now), micros(until)],
                        |_| Ok(()),
                    )
                    .optional()
            })
            .during(during)?
            .is_some();
        tx.commit().during(during)?;
        Ok(held)
    }

    fn release_lease(&mut self, name: &str, holder: &str) -> Result<(), StoreError> {
        let during = "release a lease";
        self.conn
            .prepare_cached("DELETE FROM leases WHERE name = ?1 AND holder = ?2")
            .and_then(|mut statement| statement.execute(params![name, holder]))
            .during(during)?;
        Ok(())
    }

    fn book_send_time(
        &mut self,
        sender: &str,
        cost: chrono::Duration,
        now: DateTime<Utc>,
    ) -> Result<DateTime<Utc>, StoreError> {
        let during = "book send time";
        // Whole microseconds (the engine rounds bookings up to them).
        let cost = cost.num_microseconds().unwrap_or(i64::MAX);
        let tx = self.write(during)?;
        let end: i64 = tx
            .prepare_cached(
                "INSERT INTO send_schedule (sender, ends_at) VALUES (?1, ?2 + ?3)
                 ON CONFLICT (sender) DO UPDATE
                     SET ends_at = max(send_schedule.ends_at, ?2) + ?3
                 RETURNING ends_at",
            )
            .and_then(|mut statement| {
                statement.query_row(params![sender, micros(now), cost], |row| row.get(0))
            })
            .during(during)?;
        tx.commit().during(during)?;
        Ok(DateTime::from_timestamp_micros(end).unwrap_or(DateTime::<Utc>::MAX_UTC))
    }

    fn requeue_failed(
        &mut self,
        mailing: MailingId,
        include_unknown: bool,
    ) -> Result<usize, StoreError> {
        let during = "requeue failed traces";
        let tx = self.write(during)?;
        // The names are the spec's, fixed at compile time: nothing from the caller is spliced.
        let lasting: Vec<String> = smskit::store::NOT_RESENT
            .iter()
            .map(|failure| format!("'{}'", failure.as_str()))
            .collect();
        let sql = format!(
            "UPDATE traces SET status = 'outgoing', failure_type = NULL,
                 failure_reason = NULL, claimed_at = NULL
             WHERE mailing = ?1 AND status = 'error'
               AND (?2 OR failure_type IS NOT 'unknown')
               AND (failure_type IS NULL OR failure_type NOT IN ({}))",
            lasting.join(", ")
        );
        let requeued = tx
            .prepare_cached(&sql)
            .and_then(|mut statement| statement.execute(params![mailing.0, include_unknown]))
            .during(during)?;
        tx.commit().during(during)?;
        Ok(requeued)
    }

    fn cancel_outgoing(&mut self, mailing: MailingId) -> Result<usize, StoreError> {
        let during = "cancel outgoing traces";
        let tx = self.write(during)?;
        let canceled = tx
            .prepare_cached(
                "UPDATE traces SET status = 'cancel' WHERE mailing = ?1 AND status = 'outgoing'",
            )
            .and_then(|mut statement| statement.execute([mailing.0]))
            .during(during)?;
        tx.commit().during(during)?;
        Ok(canceled)
    }

    fn apply_status(&mut self, update: &StatusUpdate) -> Result<Option<TraceId>, StoreError> {
        let during = "apply a status update";
        let tx = self.write(during)?;
        let found = tx
            .prepare_cached(
                "SELECT id, status, failure_type FROM traces
                 WHERE provider_message_id = ?1 ORDER BY id DESC LIMIT 1",
            )
            .and_then(|mut statement| {
                statement
                    .query_row([&update.provider_message_id], |row| {
                        Ok((
                            row.get::<_, i64>(0)?,
                            row.get::<_, String>(1)?,
                            row.get::<_, Option<String>>(2)?,
                        ))
                    })
                    .optional()
            })
            .during(during)?;
        let Some((id, status, failure)) = found else {
            return Ok(None);
        };
        let (status, failure) = parse_state(&status, failure.as_deref())?;
        if !accepts(status, failure, update.status) {
            return Ok(None);
        }
        match update.status {
            TraceStatus::Error | TraceStatus::Bounce => tx
                .prepare_cached(
                    "UPDATE traces SET status = ?2, failure_type = ?3, failure_reason = ?4
                     WHERE id = ?1",
                )
                .and_then(|mut statement| {
                    statement.execute(params![
                        id,
                        update.status.as_str(),
                        update
                            .failure_type
                            .unwrap_or(FailureType::NotDelivered)
                            .as_str(),
                        update.failure_reason,
                    ])
                }),
            _ => tx
                .prepare_cached(
                    "UPDATE traces SET status = ?2, failure_type = NULL, failure_reason = NULL,
                         sent_at = coalesce(sent_at, ?3)
                     WHERE id = ?1",
                )
                .and_then(|mut statement| {
                    statement.execute(params![id, update.status.as_str(), micros(update.at)])
                }),
        }
        .during(during)?;
        tx.commit().during(during)?;
        Ok(Some(TraceId(id)))
    }

    fn mark_clicked(&mut self, trace: TraceId, at: DateTime<Utc>) -> Result<bool, StoreError> {
        let during = "mark a trace clicked";
        let tx = self.write(during)?;
        let marked = SqliteStore::mark_clicked_in(&tx, trace, at)?;
        if marked {
            tx.commit().during(during)?;
        }
        Ok(marked)
    }

    fn record_clicks(&mut self, clicks: &[Click]) -> Result<Vec<ClickRecord>, StoreError> {
        let during = "record clicks";
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .during(during)?;
        let mut records = Vec::with_capacity(clicks.len());
        for click in clicks {
            let recorded = crate::links::record_click_in(&tx, &self.links, click)?;
            let mut trace = None;
            if let Some(id) = recorded
                .attribution
                .as_ref()
                .and_then(|attribution| attribution.trace.as_str().parse::<i64>().ok())
                && SqliteStore::mark_clicked_in(&tx, TraceId(id), click.at())?
            {
                trace = Some(TraceId(id));
            }
            records.push(ClickRecord { recorded, trace });
        }
        tx.commit().during(during)?;
        Ok(records)
    }

    fn trace(&self, id: TraceId) -> Result<Option<Trace>, StoreError> {
        self.conn
            .prepare_cached(concat!(
                "SELECT ",
                trace_columns!(),
                " FROM traces WHERE id = ?1"
            ))
            .and_then(|mut statement| statement.query_row([id.0], codec::trace).optional())
            .during("read a trace")
    }

    fn last_trace_to(&self, number: E164) -> Result<Option<Trace>, StoreError> {
        self.conn
            .prepare_cached(concat!(
                "SELECT ",
                trace_columns!(),
                " FROM traces WHERE number = ?1 AND sent_at IS NOT NULL
                  ORDER BY sent_at DESC, id DESC LIMIT 1"
            ))
            .and_then(|mut statement| {
                statement
                    .query_row([number.as_str()], codec::trace)
                    .optional()
            })
            .during("read the last trace to a number")
    }

    fn contact_traces(
        &self,
        contact: ContactId,
        visit: &mut dyn FnMut(&Trace),
    ) -> Result<(), StoreError> {
        self.visit_traces(
            "read a contact's traces",
            concat!(
                "SELECT ",
                trace_columns!(),
                " FROM traces WHERE contact = ?1 ORDER BY id"
            ),
            [contact.0],
            visit,
        )
    }

    fn record_reply(&mut self, reply: &Reply) -> Result<(), StoreError> {
        let during = "record a reply";
        let tx = self.write(during)?;
        if let Some(id) = reply.trace {
            let current = SqliteStore::trace_in(&tx, id)?
                .ok_or_else(|| StoreError::not_found(format_args!("trace {id}")))?;
            let moved = accepts(current.status, current.failure_type, TraceStatus::Reply);
            tx.prepare_cached(
                "UPDATE traces SET replied_at = coalesce(replied_at, ?2),
                     status = CASE WHEN ?3 THEN 'reply' ELSE status END,
                     failure_type = CASE WHEN ?3 THEN NULL ELSE failure_type END,
                     failure_reason = CASE WHEN ?3 THEN NULL ELSE failure_reason END
                 WHERE id = ?1",
            )
            .and_then(|mut statement| statement.execute(params![id.0, micros(reply.at), moved]))
            .during(during)?;
        }
        tx.prepare_cached(
            "INSERT INTO replies (number, text, at, trace, stop) VALUES (?1, ?2, ?3, ?4, ?5)",
        )
        .and_then(|mut statement| {
            statement.execute(params![
                reply.from.as_str(),
                reply.text,
                micros(reply.at),
                reply.trace.map(|trace| trace.0),
                reply.stop,
            ])
        })
        .during(during)?;
        tx.commit().during(during)
    }

    fn replies(&self, number: E164) -> Result<Vec<Reply>, StoreError> {
        self.conn
            .prepare_cached(
                "SELECT number, text, at, trace, stop FROM replies WHERE number = ?1
                 ORDER BY at, id",
            )
            .and_then(|mut statement| {
                statement
                    .query_map([number.as_str()], |row| {
                        Ok(Reply {
                            from: codec::e164(row, 0)?,
                            text: row.get(1)?,
                            at: codec::time(row, 2)?,
                            trace: row.get::<_, Option<i64>>(3)?.map(TraceId),
                            stop: row.get(4)?,
                        })
                    })?
                    .collect()
            })
            .during("read the replies from a number")
    }

    fn outgoing_with_contacts(
        &self,
        mailing: MailingId,
        visit: &mut dyn FnMut(&Trace, &Contact),
    ) -> Result<(), StoreError> {
        let during = "read the outgoing traces with their contacts";
        // One join along the partial index of outgoing traces (by id); an inner join skips a
        // trace whose contact is gone.
        let mut statement = self
            .conn
            .prepare_cached(
                "SELECT t.id, t.mailing, t.contact, t.number, t.raw_number, t.status,
                        t.failure_type, t.failure_reason, t.provider_message_id, t.sent_at,
                        t.claimed_at, t.clicked_at, t.replied_at,
                        c.id, c.name, c.phone, c.country, c.fields, c.created_at
                 FROM traces AS t JOIN contacts AS c ON c.id = t.contact
                 WHERE t.mailing = ?1 AND t.status = 'outgoing'
                 ORDER BY t.id",
            )
            .during(during)?;
        let mut rows = statement.query([mailing.0]).during(during)?;
        while let Some(row) = rows.next().during(during)? {
            let trace = codec::trace_at(row, 0).during(during)?;
            let contact = codec::contact_at(row, 13).during(during)?;
            visit(&trace, &contact);
        }
        Ok(())
    }

    fn traces(&self, mailing: MailingId, visit: &mut dyn FnMut(&Trace)) -> Result<(), StoreError> {
        self.visit_traces(
            "read a mailing's traces",
            concat!(
                "SELECT ",
                trace_columns!(),
                " FROM traces WHERE mailing = ?1 ORDER BY id"
            ),
            [mailing.0],
            visit,
        )
    }
}

/// Subscribes `contact` to `list` in `tx` unless it is already (opted out or not).
fn subscribe_in(
    tx: &Transaction<'_>,
    list: ListId,
    contact: ContactId,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let during = "subscribe a contact";
    let exists = |sql: &str, id: i64| {
        tx.prepare_cached(sql)
            .and_then(|mut statement| statement.exists([id]))
            .during(during)
    };
    if !exists("SELECT 1 FROM lists WHERE id = ?1", list.0)? {
        return Err(StoreError::not_found(format_args!("mailing list {list}")));
    }
    if !exists("SELECT 1 FROM contacts WHERE id = ?1", contact.0)? {
        return Err(StoreError::not_found(format_args!("contact {contact}")));
    }
    tx.prepare_cached(
        "INSERT INTO subscriptions (list, contact, opt_out, created_at) VALUES (?1, ?2, 0, ?3)
         ON CONFLICT (list, contact) DO NOTHING",
    )
    .and_then(|mut statement| statement.execute(params![list.0, contact.0, micros(now)]))
    .during(during)?;
    Ok(())
}

/// A stored status and failure type, read back.
fn parse_state(
    status: &str,
    failure: Option<&str>,
) -> Result<(TraceStatus, Option<FailureType>), StoreError> {
    let corrupt = |what: String| crate::Error::Corrupt { what };
    let status = status
        .parse()
        .map_err(|_| corrupt(format!("trace status {status:?}")))?;
    let failure = failure
        .map(|failure| {
            failure
                .parse()
                .map_err(|_| corrupt(format!("failure type {failure:?}")))
        })
        .transpose()?;
    Ok((status, failure))
}

/// The columns [`bind_trace`] binds, per row.
const TRACE_PARAMS: usize = 12;

/// Rows per statement of [`Store::insert_traces`] (12 parameters each, far below SQLite's
/// limit of 32,766).
const ROWS_PER_INSERT: usize = 100;

/// The columns a fresh trace (see [`is_fresh`]) binds, per row.
const FRESH_PARAMS: usize = 6;

/// The trace columns, in the order [`bind_trace`] binds them.
const TRACE_INSERT_COLUMNS: [&str; TRACE_PARAMS] = [
    "mailing",
    "contact",
    "number",
    "raw_number",
    "status",
    "failure_type",
    "failure_reason",
    "provider_message_id",
    "sent_at",
    "claimed_at",
    "clicked_at",
    "replied_at",
];

/// Whether `trace` has nothing but the columns a preparation sets.
fn is_fresh(trace: &Trace) -> bool {
    trace.failure_reason.is_none()
        && trace.provider_message_id.is_none()
        && trace.sent_at.is_none()
        && trace.claimed_at.is_none()
        && trace.clicked_at.is_none()
        && trace.replied_at.is_none()
}

/// An insert of `rows` traces of `insert_traces` (dedup 0) binding the first `columns`
/// columns of each, skipping the pairs that have a trace.
fn insert_traces_sql(rows: usize, columns: usize) -> String {
    use std::fmt::Write as _;
    let names = TRACE_INSERT_COLUMNS[..columns].join(", ");
    let mut sql = format!("INSERT INTO traces (dedup, {names}) VALUES ");
    for row in 0..rows {
        sql.push_str(if row == 0 { "(0" } else { ", (0" });
        for column in 1..=columns {
            let _ = write!(sql, ", ?{}", row * columns + column);
        }
        sql.push(')');
    }
    sql.push_str(" ON CONFLICT DO NOTHING");
    sql
}

static INSERT_MANY: LazyLock<String> =
    LazyLock::new(|| insert_traces_sql(ROWS_PER_INSERT, TRACE_PARAMS));
static INSERT_MANY_FRESH: LazyLock<String> =
    LazyLock::new(|| insert_traces_sql(ROWS_PER_INSERT, FRESH_PARAMS));
static INSERT_ONE: LazyLock<String> = LazyLock::new(|| insert_traces_sql(1, TRACE_PARAMS));

/// Binds the first `columns` columns of `trace` (in the order of [`TRACE_INSERT_COLUMNS`]) to
/// the parameters after `offset`.
fn bind_trace(
    statement: &mut rusqlite::Statement<'_>,
    offset: usize,
    columns: usize,
    trace: &Trace,
) -> rusqlite::Result<()> {
    statement.raw_bind_parameter(offset + 1, trace.mailing.0)?;
    statement.raw_bind_parameter(offset + 2, trace.contact.0)?;
    statement.raw_bind_parameter(offset + 3, trace.number.as_ref().map(E164::as_str))?;
    statement.raw_bind_parameter(offset + 4, trace.raw_number.as_deref())?;
    statement.raw_bind_parameter(offset + 5, trace.status.as_str())?;
    statement.raw_bind_parameter(offset + 6, failure_name(trace.failure_type))?;
    if columns == FRESH_PARAMS {
        return Ok(());
    }
    statement.raw_bind_parameter(offset + 7, trace.failure_reason.as_deref())?;
    statement.raw_bind_parameter(offset + 8, trace.provider_message_id.as_deref())?;
    statement.raw_bind_parameter(offset + 9, opt_micros(trace.sent_at))?;
    statement.raw_bind_parameter(offset + 10, opt_micros(trace.claimed_at))?;
    statement.raw_bind_parameter(offset + 11, opt_micros(trace.clicked_at))?;
    statement.raw_bind_parameter(offset + 12, opt_micros(trace.replied_at))
}

/// Runs a trace insert with the trace's columns as `?1`..`?12` (id and dedup excluded).
fn execute_trace(
    statement: &mut rusqlite::Statement<'_>,
    trace: &Trace,
) -> rusqlite::Result<usize> {
    statement.execute(params![
        trace.mailing.0,
        trace.contact.0,
        trace.number.as_ref().map(E164::as_str),
        trace.raw_number,
        trace.status.as_str(),
        failure_name(trace.failure_type),
        trace.failure_reason,
        trace.provider_message_id,
        opt_micros(trace.sent_at),
        opt_micros(trace.claimed_at),
        opt_micros(trace.clicked_at),
        opt_micros(trace.replied_at),
    ])
}
