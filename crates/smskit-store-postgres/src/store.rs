//! [`Store`] for [`PostgresStore`]: every method one statement or one short transaction.

use std::collections::HashSet;

use chrono::{DateTime, Utc};
use postgres::Row;
use postgres::fallible_iterator::FallibleIterator;
use postgres::types::ToSql;
use smskit::audience::contact_sql_mapping;
use smskit::filter::sql::{Dialect, SqlValue};
use smskit::model::{
    AbTest, AbTestId, BlacklistEntry, Campaign, CampaignId, Contact, ContactId, ListId, Mailing,
    MailingId, MailingList, MailingState, NewCampaign, NewContact, NewMailing, Subscription, Trace,
    TraceId,
};
use smskit::phone::E164;
use smskit::provider::{FailureType, TraceStatus};
use smskit::reply::Reply;
use smskit::store::{Outcome, StatusUpdate, Store, StoreError, accepts};

use crate::codec::{
    self, Json, ab_test_columns, campaign_columns, contact_columns, mailing_columns, micros,
    opt_micros, trace_columns,
};
use crate::error::{During, Error, is_unique_violation, store_error};
use crate::{Conn, PostgresStore};

/// What [`Store::abandon_claims`] writes as the failure reason (the same words as
/// `MemoryStore`).
const ABANDONED: &str = "the sender stopped before recording the outcome: it may have been sent";

/// Rows per statement of [`Store::insert_traces`]: each is one `INSERT ... SELECT FROM
/// unnest(...)` of twelve arrays, so a batch costs a handful of round trips.
const ROWS_PER_INSERT: usize = 10_000;

/// The traces of `insert_traces` (dedup 0), from twelve arrays, skipping the pairs that have a
/// trace: ON CONFLICT also skips a pair met earlier in the same statement, or written by
/// another connection at the same time.
const INSERT_TRACES: &str = "INSERT INTO traces
         (dedup, mailing, contact, number, raw_number, status, failure_type, failure_reason,
          provider_message_id, sent_at, claimed_at, clicked_at, replied_at)
     SELECT 0, * FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::text[], $5::text[],
         $6::text[], $7::text[], $8::text[], $9::bigint[], $10::bigint[], $11::bigint[],
         $12::bigint[])
     ON CONFLICT DO NOTHING";

/// [`INSERT_TRACES`] for distinct pairs when no other writer adds traces to them meanwhile: an
/// anti-join along the unique index, then a plain insert (a conflict is an error).
const INSERT_NEW_TRACES: &str = "INSERT INTO traces
         (dedup, mailing, contact, number, raw_number, status, failure_type, failure_reason,
          provider_message_id, sent_at, claimed_at, clicked_at, replied_at)
     SELECT 0, n.* FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::text[], $5::text[],
         $6::text[], $7::text[], $8::text[], $9::bigint[], $10::bigint[], $11::bigint[],
         $12::bigint[])
         AS n (mailing, contact, number, raw_number, status, failure_type, failure_reason,
               provider_message_id, sent_at, claimed_at, clicked_at, replied_at)
     WHERE NOT EXISTS (SELECT 1 FROM traces AS t
                       WHERE t.contact = n.contact AND t.mailing = n.mailing AND t.dedup = 0)";

/// The parameters of a statement.
type Params<'a> = &'a [&'a (dyn ToSql + Sync)];

impl Conn {
    /// Runs the (cached) statement `sql`; returns how many rows it changed.
    fn execute(
        &mut self,
        during: &'static str,
        sql: &'static str,
        params: Params<'_>,
    ) -> Result<u64, StoreError> {
        let statement = self.statements.get(&mut self.client, sql).during(during)?;
        self.client.execute(&statement, params).during(during)
    }

    /// The rows of the (cached) query `sql`.
    fn query(
        &mut self,
        during: &'static str,
        sql: &'static str,
        params: Params<'_>,
    ) -> Result<Vec<Row>, StoreError> {
        let statement = self.statements.get(&mut self.client, sql).during(during)?;
        self.client.query(&statement, params).during(during)
    }

    /// The row of the (cached) query `sql`, if any.
    fn query_opt(
        &mut self,
        during: &'static str,
        sql: &'static str,
        params: Params<'_>,
    ) -> Result<Option<Row>, StoreError> {
        let statement = self.statements.get(&mut self.client, sql).during(during)?;
        self.client.query_opt(&statement, params).during(during)
    }

    /// Streams the rows of the (cached) query `sql`, read by `read`, to `visit` as they arrive.
    fn stream<T>(
        &mut self,
        during: &'static str,
        sql: &'static str,
        params: Params<'_>,
        read: impl Fn(&Row) -> Result<T, Error>,
        visit: &mut dyn FnMut(&T),
    ) -> Result<(), StoreError> {
        let statement = self.statements.get(&mut self.client, sql).during(during)?;
        let mut rows = self
            .client
            .query_raw(&statement, params.iter().copied())
            .during(during)?;
        while let Some(row) = rows.next().during(during)? {
            visit(&read(&row)?);
        }
        Ok(())
    }
}

/// Reads the one row a statement returned with `read`.
fn one<T>(row: Option<Row>, read: impl Fn(&Row) -> Result<T, Error>) -> Result<Option<T>, Error> {
    row.as_ref().map(read).transpose()
}

/// Reads every row with `read`.
fn all<T>(rows: &[Row], read: impl Fn(&Row) -> Result<T, Error>) -> Result<Vec<T>, Error> {
    rows.iter().map(read).collect()
}

/// The id in the first column of a row an `INSERT ... RETURNING id` gave.
fn returned_id(row: &Row) -> Result<i64, Error> {
    codec::get(row, 0)
}

impl PostgresStore {
    /// Creates many contacts in one transaction (an import of a large file): the same rows as
    /// one [`Store::insert_contact`] each, in statements of thousands of rows. Returns their
    /// ids, in order; nothing is stored when any fails.
    ///
    /// # Errors
    /// [`StoreError::Backend`] when the database fails.
    pub fn insert_contacts(
        &mut self,
        contacts: impl IntoIterator<Item = NewContact>,
        now: DateTime<Utc>,
    ) -> Result<Vec<ContactId>, StoreError> {
        const SQL: &str = "INSERT INTO contacts (name, phone, country, fields, created_at)
             SELECT name, phone, country, fields::jsonb, $5
             FROM unnest($1::text[], $2::text[], $3::text[], $4::text[])
                 WITH ORDINALITY AS c (name, phone, country, fields, n)
             ORDER BY n
             RETURNING id";
        let during = "insert contacts";
        let Conn { client, statements } = self.conn_mut();
        let mut tx = client.transaction().during(during)?;
        let statement = statements.get(&mut tx, SQL).during(during)?;
        let mut ids = Vec::new();
        let mut contacts = contacts.into_iter().peekable();
        while contacts.peek().is_some() {
            let chunk: Vec<NewContact> = contacts.by_ref().take(ROWS_PER_INSERT).collect();
            let names: Vec<&str> = chunk.iter().map(|c| c.name.as_str()).collect();
            let phones: Vec<&str> = chunk.iter().map(|c| c.phone.as_str()).collect();
            let countries: Vec<Option<&str>> = chunk
                .iter()
                .map(|c| c.country.as_ref().map(|country| country.as_str()))
                .collect();
            let fields: Vec<String> = chunk.iter().map(|c| c.fields.to_json()).collect();
            let rows = tx
                .query(
                    &statement,
                    &[&names, &phones, &countries, &fields, &micros(now)],
                )
                .during(during)?;
            let mut chunk_ids = all(&rows, returned_id)?;
            // RETURNING gives no order; identities are drawn in the order of the rows.
            chunk_ids.sort_unstable();
            ids.extend(chunk_ids.into_iter().map(ContactId));
        }
        tx.commit().during(during)?;
        Ok(ids)
    }

    /// Subscribes many contacts to `list` in one statement, like one [`Store::subscribe`] each
    /// (a contact subscribed already keeps its subscription).
    ///
    /// # Errors
    /// [`StoreError::NotFound`] for an unknown list or contact (nothing is stored then).
    pub fn subscribe_all(
        &mut self,
        list: ListId,
        contacts: &[ContactId],
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let ids: Vec<i64> = contacts.iter().map(|contact| contact.0).collect();
        self.conn_mut()
            .execute(
                "subscribe contacts",
                "INSERT INTO subscriptions (list, contact, opt_out, created_at)
                 SELECT $1, contact, FALSE, $3 FROM unnest($2::bigint[]) AS c (contact)
                 ON CONFLICT (list, contact) DO NOTHING",
                &[&list.0, &ids, &micros(now)],
            )
            .map_err(|error| subscription_error(error, list, None))?;
        Ok(())
    }

    /// Inserts `traces` in one transaction with `sql` (one of [`INSERT_TRACES`] and
    /// [`INSERT_NEW_TRACES`]), [`ROWS_PER_INSERT`] rows per statement; returns how many it
    /// stored.
    fn insert_traces_with(
        &mut self,
        traces: &[Trace],
        sql: &'static str,
    ) -> Result<usize, StoreError> {
        // The rows travel as twelve arrays (binary, one value each) and are unnested by the
        // server.
        let during = "insert traces";
        let Conn { client, statements } = self.conn_mut();
        let mut tx = client.transaction().during(during)?;
        let statement = statements.get(&mut tx, sql).during(during)?;
        let mut stored = 0;
        for chunk in traces.chunks(ROWS_PER_INSERT) {
            let column = |f: fn(&Trace) -> Option<&str>| chunk.iter().map(f).collect::<Vec<_>>();
            let time = |f: fn(&Trace) -> Option<DateTime<Utc>>| {
                chunk
                    .iter()
                    .map(|trace| opt_micros(f(trace)))
                    .collect::<Vec<_>>()
            };
            let mailings: Vec<i64> = chunk.iter().map(|trace| trace.mailing.0).collect();
            let contacts: Vec<i64> = chunk.iter().map(|trace| trace.contact.0).collect();
            let numbers = column(|trace| trace.number.as_ref().map(E164::as_str));
            let raw_numbers = column(|trace| trace.raw_number.as_deref());
            let statuses = column(|trace| Some(trace.status.as_str()));
            let failures = column(|trace| failure_name(trace.failure_type));
            let reasons = column(|trace| trace.failure_reason.as_deref());
            let provider_ids = column(|trace| trace.provider_message_id.as_deref());
            let sent = time(|trace| trace.sent_at);
            let claimed = time(|trace| trace.claimed_at);
            let clicked = time(|trace| trace.clicked_at);
            let replied = time(|trace| trace.replied_at);
            stored += tx
                .execute(
                    &statement,
                    &[
                        &mailings,
                        &contacts,
                        &numbers,
                        &raw_numbers,
                        &statuses,
                        &failures,
                        &reasons,
                        &provider_ids,
                        &sent,
                        &claimed,
                        &clicked,
                        &replied,
                    ],
                )
                .during(during)?;
        }
        tx.commit().during(during)?;
        Ok(usize::try_from(stored).unwrap_or(usize::MAX))
    }
}

/// A missing list or contact named as such (the foreign key of a subscription said which).
fn subscription_error(error: StoreError, list: ListId, contact: Option<ContactId>) -> StoreError {
    let StoreError::NotFound { what } = &error else {
        return error;
    };
    if what.contains("subscriptions_list_fkey") {
        StoreError::not_found(format_args!("mailing list {list}"))
    } else if let Some(contact) = contact {
        StoreError::not_found(format_args!("contact {contact}"))
    } else {
        StoreError::not_found("a contact to subscribe")
    }
}

/// The name of a failure type as stored.
fn failure_name(failure: Option<FailureType>) -> Option<&'static str> {
    failure.map(FailureType::as_str)
}

impl Store for PostgresStore {
    fn insert_contact(
        &mut self,
        contact: NewContact,
        now: DateTime<Utc>,
    ) -> Result<ContactId, StoreError> {
        let rows = self.conn_mut().query(
            "insert a contact",
            "INSERT INTO contacts (name, phone, country, fields, created_at)
             VALUES ($1, $2, $3, $4::text::jsonb, $5) RETURNING id",
            &[
                &contact.name,
                &contact.phone,
                &contact.country.as_ref().map(|country| country.as_str()),
                &contact.fields.to_json(),
                &micros(now),
            ],
        )?;
        first_id(&rows).map(ContactId)
    }

    fn update_contact(&mut self, id: ContactId, contact: NewContact) -> Result<(), StoreError> {
        let changed = self.conn_mut().execute(
            "update a contact",
            "UPDATE contacts SET name = $2, phone = $3, country = $4, fields = $5::text::jsonb
             WHERE id = $1",
            &[
                &id.0,
                &contact.name,
                &contact.phone,
                &contact.country.as_ref().map(|country| country.as_str()),
                &contact.fields.to_json(),
            ],
        )?;
        if changed == 0 {
            return Err(StoreError::not_found(format_args!("contact {id}")));
        }
        Ok(())
    }

    fn contact(&self, id: ContactId) -> Result<Option<Contact>, StoreError> {
        let during = "read a contact";
        let row = self.conn(during)?.query_opt(
            during,
            concat!(
                "SELECT ",
                contact_columns!(),
                " FROM contacts WHERE id = $1"
            ),
            &[&id.0],
        )?;
        Ok(one(row, codec::contact)?)
    }

    fn contact_field_names(&self) -> Result<std::collections::BTreeSet<String>, StoreError> {
        let during = "read the contacts' field names";
        let rows = self.conn(during)?.query(
            during,
            "SELECT DISTINCT jsonb_object_keys(fields) FROM contacts",
            &[],
        )?;
        Ok(all(&rows, |row| codec::get::<String>(row, 0))?
            .into_iter()
            .collect())
    }

    fn has_waiting_traces(&self, mailing: MailingId) -> Result<bool, StoreError> {
        let during = "look for waiting traces";
        // Two probes of the partial indexes `traces_outgoing` and `traces_process`.
        let row = self.conn(during)?.query_opt(
            during,
            "SELECT EXISTS (SELECT 1 FROM traces WHERE mailing = $1 AND status = 'outgoing')
                 OR EXISTS (SELECT 1 FROM traces WHERE mailing = $1 AND status = 'process')",
            &[&mailing.0],
        )?;
        Ok(one(row, |row| codec::get::<bool>(row, 0))?.unwrap_or(false))
    }

    fn contacts_by_id(
        &self,
        ids: &[ContactId],
        visit: &mut dyn FnMut(Contact),
    ) -> Result<(), StoreError> {
        let during = "read contacts by id";
        let ids: Vec<i64> = ids.iter().map(|id| id.0).collect();
        let rows = self.conn(during)?.query(
            during,
            concat!(
                "SELECT ",
                contact_columns!(),
                " FROM contacts WHERE id = ANY ($1)"
            ),
            &[&ids],
        )?;
        for row in &rows {
            visit(codec::contact(row)?);
        }
        Ok(())
    }

    fn contacts(&self, visit: &mut dyn FnMut(&Contact)) -> Result<(), StoreError> {
        let during = "read the contacts";
        // Odoo's `_order = 'name, create_date desc'`, ids last (later rows first), read along
        // the `contacts_order` index; names compare as bytes, as Rust's `str` does.
        self.conn(during)?.stream(
            during,
            concat!(
                "SELECT ",
                contact_columns!(),
                " FROM contacts ORDER BY name COLLATE \"C\", created_at DESC, id DESC"
            ),
            &[],
            codec::contact,
            visit,
        )
    }

    fn domain_contacts(
        &self,
        plan: &smskit::filter::Plan,
    ) -> Result<Option<Vec<ContactId>>, StoreError> {
        let during = "resolve a domain audience";
        // A plan without an exact SQL form is evaluated in memory by the engine.
        let Ok(query) = plan.to_sql(&contact_sql_mapping(), Dialect::Postgres) else {
            return Ok(None);
        };
        // Borrowed from the query: no value is copied to be sent.
        let params: Vec<&(dyn ToSql + Sync)> = query
            .params
            .iter()
            .map(|value| -> &(dyn ToSql + Sync) {
                match value {
                    SqlValue::Int(i) => i,
                    SqlValue::Float(f) => f,
                    SqlValue::Bool(b) => b,
                    SqlValue::Text(text) => text,
                    _ => &None::<String>,
                }
            })
            .collect();
        // Not cached: each domain is its own statement.
        let rows = match self.conn(during)?.client.query(&query.sql, &params) {
            Ok(rows) => rows,
            // A server built without ICU has no "und-x-icu" collation (case-insensitive
            // matching needs it to fold like Rust): the engine evaluates in memory instead.
            Err(error) if error.code() == Some(&postgres::error::SqlState::UNDEFINED_OBJECT) => {
                return Ok(None);
            }
            Err(error) => return Err(error).during(during),
        };
        let ids = rows
            .iter()
            .map(|row| codec::get::<i64>(row, 0).map(ContactId))
            .collect::<Result<Vec<_>, Error>>()?;
        Ok(Some(ids))
    }

    fn insert_list(&mut self, name: &str, is_public: bool) -> Result<ListId, StoreError> {
        let during = "insert a mailing list";
        let conn = self.conn_mut();
        let statement = conn
            .statements
            .get(
                &mut conn.client,
                "INSERT INTO lists (name, is_public) VALUES ($1, $2) RETURNING id",
            )
            .during(during)?;
        match conn.client.query_one(&statement, &[&name, &is_public]) {
            Ok(row) => Ok(ListId(returned_id(&row)?)),
            Err(error) if is_unique_violation(&error) => {
                Err(StoreError::conflict(format_args!("mailing list {name:?}")))
            }
            Err(error) => Err(store_error(during, error)),
        }
    }

    fn list_by_name(&self, name: &str) -> Result<Option<MailingList>, StoreError> {
        let during = "read a mailing list";
        let row = self.conn(during)?.query_opt(
            during,
            "SELECT id, name, is_public FROM lists WHERE name = $1",
            &[&name],
        )?;
        Ok(one(row, list)?)
    }

    fn lists(&self) -> Result<Vec<MailingList>, StoreError> {
        let during = "read the mailing lists";
        let rows = self.conn(during)?.query(
            during,
            "SELECT id, name, is_public FROM lists ORDER BY id",
            &[],
        )?;
        Ok(all(&rows, list)?)
    }

    fn subscribe(
        &mut self,
        list: ListId,
        contact: ContactId,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        // The foreign keys tell a missing list or contact apart.
        self.conn_mut()
            .execute(
                "subscribe a contact",
                "INSERT INTO subscriptions (list, contact, opt_out, created_at)
                 VALUES ($1, $2, FALSE, $3)
                 ON CONFLICT (list, contact) DO NOTHING",
                &[&list.0, &contact.0, &micros(now)],
            )
            .map_err(|error| subscription_error(error, list, Some(contact)))?;
        Ok(())
    }

    fn set_opt_out(
        &mut self,
        list: ListId,
        contact: ContactId,
        opt_out: bool,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        // Subscribes first when needed and sets the flag, in one statement.
        self.conn_mut()
            .execute(
                "set an opt-out",
                "INSERT INTO subscriptions (list, contact, opt_out, created_at, opt_out_at)
                 VALUES ($1, $2, $3, $4, $5)
                 ON CONFLICT (list, contact) DO UPDATE
                     SET opt_out = excluded.opt_out, opt_out_at = excluded.opt_out_at",
                &[
                    &list.0,
                    &contact.0,
                    &opt_out,
                    &micros(now),
                    &opt_out.then_some(micros(now)),
                ],
            )
            .map_err(|error| subscription_error(error, list, Some(contact)))?;
        Ok(())
    }

    fn subscriptions(&self, list: ListId) -> Result<Vec<Subscription>, StoreError> {
        let during = "read the subscriptions of a list";
        let rows = self.conn(during)?.query(
            during,
            "SELECT list, contact, opt_out, created_at, opt_out_at FROM subscriptions
             WHERE list = $1 ORDER BY contact",
            &[&list.0],
        )?;
        Ok(all(&rows, |row| {
            Ok(Subscription {
                list: ListId(codec::get(row, 0)?),
                contact: ContactId(codec::get(row, 1)?),
                opt_out: codec::get(row, 2)?,
                created_at: codec::time(row, 3)?,
                opt_out_at: codec::opt_time(row, 4)?,
            })
        })?)
    }

    fn blacklist_add(
        &mut self,
        number: E164,
        reason: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        // A new reason replaces the old one; none keeps it.
        self.conn_mut().execute(
            "blacklist a number",
            "INSERT INTO blacklist (number, active, reason, updated_at) VALUES ($1, TRUE, $2, $3)
             ON CONFLICT (number) DO UPDATE SET
                 active = TRUE,
                 reason = coalesce(excluded.reason, blacklist.reason),
                 updated_at = excluded.updated_at",
            &[&number.as_str(), &reason, &micros(now)],
        )?;
        Ok(())
    }

    fn blacklist_remove(&mut self, number: E164) -> Result<bool, StoreError> {
        let changed = self.conn_mut().execute(
            "remove a number from the blacklist",
            "UPDATE blacklist SET active = FALSE WHERE number = $1 AND active",
            &[&number.as_str()],
        )?;
        Ok(changed > 0)
    }

    fn blacklist_entry(&self, number: E164) -> Result<Option<BlacklistEntry>, StoreError> {
        let during = "read a blacklist entry";
        let row = self.conn(during)?.query_opt(
            during,
            "SELECT number, active, reason, updated_at FROM blacklist WHERE number = $1",
            &[&number.as_str()],
        )?;
        Ok(one(row, |row| {
            Ok(BlacklistEntry {
                number: codec::e164(row, 0)?,
                active: codec::get(row, 1)?,
                reason: codec::get(row, 2)?,
                updated_at: codec::time(row, 3)?,
            })
        })?)
    }

    fn active_blacklist(&self) -> Result<HashSet<E164>, StoreError> {
        let during = "read the blacklist";
        let rows =
            self.conn(during)?
                .query(during, "SELECT number FROM blacklist WHERE active", &[])?;
        Ok(rows
            .iter()
            .map(|row| codec::e164(row, 0))
            .collect::<Result<_, _>>()?)
    }

    fn insert_campaign(
        &mut self,
        campaign: NewCampaign,
        now: DateTime<Utc>,
    ) -> Result<CampaignId, StoreError> {
        let during = "insert a campaign";
        let conn = self.conn_mut();
        let statement = conn
            .statements
            .get(
                &mut conn.client,
                "INSERT INTO campaigns (name, stage, tags, responsible, created_at)
                 VALUES ($1, $2, $3::text::jsonb, $4, $5) RETURNING id",
            )
            .during(during)?;
        let result = conn.client.query_one(
            &statement,
            &[
                &campaign.name,
                &campaign.stage,
                &campaign.tags.to_json(),
                &campaign.responsible,
                &micros(now),
            ],
        );
        match result {
            Ok(row) => Ok(CampaignId(returned_id(&row)?)),
            Err(error) if is_unique_violation(&error) => Err(StoreError::conflict(format_args!(
                "campaign {:?}",
                campaign.name
            ))),
            Err(error) => Err(store_error(during, error)),
        }
    }

    fn campaign(&self, id: CampaignId) -> Result<Option<Campaign>, StoreError> {
        let during = "read a campaign";
        let row = self.conn(during)?.query_opt(
            during,
            concat!(
                "SELECT ",
                campaign_columns!(),
                " FROM campaigns WHERE id = $1"
            ),
            &[&id.0],
        )?;
        Ok(one(row, codec::campaign)?)
    }

    fn campaigns(&self) -> Result<Vec<Campaign>, StoreError> {
        let during = "read the campaigns";
        let rows = self.conn(during)?.query(
            during,
            concat!(
                "SELECT ",
                campaign_columns!(),
                " FROM campaigns ORDER BY id"
            ),
            &[],
        )?;
        Ok(all(&rows, codec::campaign)?)
    }

    fn set_campaign_stage(&mut self, id: CampaignId, stage: &str) -> Result<(), StoreError> {
        let changed = self.conn_mut().execute(
            "set a campaign's stage",
            "UPDATE campaigns SET stage = $2 WHERE id = $1",
            &[&id.0, &stage],
        )?;
        if changed == 0 {
            return Err(StoreError::not_found(format_args!("campaign {id}")));
        }
        Ok(())
    }

    fn insert_ab_test(&mut self, test: AbTest) -> Result<AbTestId, StoreError> {
        let rule = codec::rule_name(test.rule)?;
        let versions: Vec<i64> = test.versions.iter().map(|mailing| mailing.0).collect();
        let rows = self.conn_mut().query(
            "insert an A/B test",
            "INSERT INTO ab_tests
                 (campaign, versions, share, seed, rule, final_at, winner, final_mailing,
                  created_at)
             VALUES ($1, $2::text::jsonb, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
            &[
                &test.campaign.0,
                &versions.to_json(),
                &i64::from(test.share),
                &test.seed.cast_signed(),
                &rule,
                &micros(test.final_at),
                &test.winner.map(|mailing| mailing.0),
                &test.final_mailing.map(|mailing| mailing.0),
                &micros(test.created_at),
            ],
        )?;
        first_id(&rows).map(AbTestId)
    }

    fn ab_test(&self, id: AbTestId) -> Result<Option<AbTest>, StoreError> {
        let during = "read an A/B test";
        let row = self.conn(during)?.query_opt(
            during,
            concat!(
                "SELECT ",
                ab_test_columns!(),
                " FROM ab_tests WHERE id = $1"
            ),
            &[&id.0],
        )?;
        Ok(one(row, codec::ab_test)?)
    }

    fn ab_tests(&self) -> Result<Vec<AbTest>, StoreError> {
        let during = "read the A/B tests";
        let rows = self.conn(during)?.query(
            during,
            concat!("SELECT ", ab_test_columns!(), " FROM ab_tests ORDER BY id"),
            &[],
        )?;
        Ok(all(&rows, codec::ab_test)?)
    }

    fn update_ab_test(&mut self, test: &AbTest) -> Result<(), StoreError> {
        let rule = codec::rule_name(test.rule)?;
        let versions: Vec<i64> = test.versions.iter().map(|mailing| mailing.0).collect();
        let changed = self.conn_mut().execute(
            "update an A/B test",
            "UPDATE ab_tests SET campaign = $2, versions = $3::text::jsonb, share = $4,
                 seed = $5, rule = $6, final_at = $7, winner = $8, final_mailing = $9,
                 created_at = $10
             WHERE id = $1",
            &[
                &test.id.0,
                &test.campaign.0,
                &versions.to_json(),
                &i64::from(test.share),
                &test.seed.cast_signed(),
                &rule,
                &micros(test.final_at),
                &test.winner.map(|mailing| mailing.0),
                &test.final_mailing.map(|mailing| mailing.0),
                &micros(test.created_at),
            ],
        )?;
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
        let rows = self.conn_mut().query(
            "insert a mailing",
            "INSERT INTO mailings
                 (name, body, audience_kind, audience_ids, audience_domain,
                  include_opt_out_link, campaign, responsible, tags, ab_test, state,
                  scheduled_at, created_at)
             VALUES ($1, $2, $3, $4::text::jsonb, $5, $6, $7, $8, $9::text::jsonb, $10, $11,
                     NULL, $12)
             RETURNING id",
            &[
                &mailing.name,
                &mailing.body,
                &kind,
                &ids,
                &domain,
                &mailing.include_opt_out_link,
                &mailing.campaign.map(|campaign| campaign.0),
                &mailing.responsible,
                &mailing.tags.to_json(),
                &mailing.ab_test.map(|test| test.0),
                &MailingState::Draft.as_str(),
                &micros(now),
            ],
        )?;
        first_id(&rows).map(MailingId)
    }

    fn mailing(&self, id: MailingId) -> Result<Option<Mailing>, StoreError> {
        let during = "read a mailing";
        let row = self.conn(during)?.query_opt(
            during,
            concat!(
                "SELECT ",
                mailing_columns!(),
                " FROM mailings WHERE id = $1"
            ),
            &[&id.0],
        )?;
        Ok(one(row, codec::mailing)?)
    }

    fn mailings(&self) -> Result<Vec<Mailing>, StoreError> {
        let during = "read the mailings";
        let rows = self.conn(during)?.query(
            during,
            concat!("SELECT ", mailing_columns!(), " FROM mailings ORDER BY id"),
            &[],
        )?;
        Ok(all(&rows, codec::mailing)?)
    }

    fn set_mailing_state(
        &mut self,
        id: MailingId,
        state: MailingState,
        scheduled_at: Option<DateTime<Utc>>,
    ) -> Result<(), StoreError> {
        let changed = self.conn_mut().execute(
            "set a mailing's state",
            "UPDATE mailings SET state = $2, scheduled_at = $3 WHERE id = $1",
            &[&id.0, &state.as_str(), &opt_micros(scheduled_at)],
        )?;
        if changed == 0 {
            return Err(StoreError::not_found(format_args!("mailing {id}")));
        }
        Ok(())
    }

    fn insert_traces(&mut self, traces: &[Trace]) -> Result<usize, StoreError> {
        if traces.is_empty() {
            return Ok(0);
        }
        // The fast statement skips the pairs that have a trace with an anti-join, then inserts
        // plainly: about half the server's work of ON CONFLICT's speculative insertion (a
        // million rows: 6.3 s against 11.6 s). It cannot skip a pair twice in its own input,
        // nor a pair another writer inserts meanwhile: then the unique index refuses, the
        // transaction rolls back, and the call runs again with ON CONFLICT DO NOTHING.
        let mut pairs = HashSet::with_capacity(traces.len());
        let distinct = traces
            .iter()
            .all(|trace| pairs.insert((trace.mailing, trace.contact)));
        if distinct {
            match self.insert_traces_with(traces, INSERT_NEW_TRACES) {
                Err(StoreError::Conflict { .. }) => {}
                done => return done,
            }
        }
        self.insert_traces_with(traces, INSERT_TRACES)
    }

    fn insert_trace(&mut self, trace: &Trace) -> Result<TraceId, StoreError> {
        // dedup NULL: a transactional mailing may send a contact any number of messages.
        let rows = self.conn_mut().query(
            "insert a trace",
            "INSERT INTO traces
                 (mailing, contact, dedup, number, raw_number, status, failure_type,
                  failure_reason, provider_message_id, sent_at, claimed_at, clicked_at,
                  replied_at)
             VALUES ($1, $2, NULL, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
             RETURNING id",
            &[
                &trace.mailing.0,
                &trace.contact.0,
                &trace.number.as_ref().map(E164::as_str),
                &trace.raw_number,
                &trace.status.as_str(),
                &failure_name(trace.failure_type),
                &trace.failure_reason,
                &trace.provider_message_id,
                &opt_micros(trace.sent_at),
                &opt_micros(trace.claimed_at),
                &opt_micros(trace.clicked_at),
                &opt_micros(trace.replied_at),
            ],
        )?;
        first_id(&rows).map(TraceId)
    }

    fn claim_outgoing(
        &mut self,
        mailing: MailingId,
        limit: usize,
        now: DateTime<Utc>,
    ) -> Result<Vec<Trace>, StoreError> {
        // One statement: the inner SELECT locks the first waiting traces that no other
        // transaction holds (SKIP LOCKED: a concurrent claimer takes the next ones instead of
        // waiting), and a trace another claimer moved on since is re-checked and left out. The
        // ARRAY(...) runs that SELECT exactly once.
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let rows = self.conn_mut().query(
            "claim outgoing traces",
            concat!(
                "UPDATE traces SET status = 'process', claimed_at = $3
                 WHERE id = ANY (ARRAY (
                     SELECT id FROM traces
                     WHERE mailing = $1 AND status = 'outgoing'
                     ORDER BY id LIMIT $2
                     FOR UPDATE SKIP LOCKED))
                 RETURNING ",
                trace_columns!()
            ),
            &[&mailing.0, &limit, &micros(now)],
        )?;
        let mut claimed = all(&rows, codec::trace)?;
        // RETURNING gives no order; a claim is handed out in id order.
        claimed.sort_unstable_by_key(|trace| trace.id);
        Ok(claimed)
    }

    fn record_outcomes(&mut self, outcomes: &[Outcome]) -> Result<(), StoreError> {
        const MISSING: &str = "SELECT o.id FROM unnest($1::bigint[]) AS o (id)
             WHERE NOT EXISTS (SELECT 1 FROM traces WHERE traces.id = o.id) LIMIT 1";
        const UPDATE: &str = "UPDATE traces AS t SET status = o.status,
                 failure_type = o.failure_type, failure_reason = o.failure_reason,
                 sent_at = coalesce(t.sent_at, o.sent_at),
                 provider_message_id = coalesce(o.provider_message_id, t.provider_message_id)
             FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::bigint[],
                         $6::text[])
                 AS o (id, status, failure_type, failure_reason, sent_at, provider_message_id)
             WHERE t.id = o.id AND t.status = 'process'";
        let during = "record outcomes";
        // The first outcome of a trace wins (a later one finds it recorded already), as when
        // they are applied one by one.
        let mut seen = HashSet::new();
        let outcomes: Vec<&Outcome> = outcomes
            .iter()
            .filter(|outcome| seen.insert(outcome.trace))
            .collect();
        if outcomes.is_empty() {
            return Ok(());
        }
        let ids: Vec<i64> = outcomes.iter().map(|outcome| outcome.trace.0).collect();
        let statuses: Vec<&str> = outcomes.iter().map(|o| o.status.as_str()).collect();
        let failures: Vec<Option<&str>> = outcomes
            .iter()
            .map(|o| failure_name(o.failure_type))
            .collect();
        let reasons: Vec<Option<&str>> = outcomes
            .iter()
            .map(|o| o.failure_reason.as_deref())
            .collect();
        let sent: Vec<Option<i64>> = outcomes.iter().map(|o| opt_micros(o.sent_at)).collect();
        let provider_ids: Vec<Option<&str>> = outcomes
            .iter()
            .map(|o| o.provider_message_id.as_deref())
            .collect();
        let Conn { client, statements } = self.conn_mut();
        let mut tx = client.transaction().during(during)?;
        let missing = statements.get(&mut tx, MISSING).during(during)?;
        if let Some(row) = tx.query_opt(&missing, &[&ids]).during(during)? {
            // Nothing is recorded: the transaction rolls back when dropped.
            let id: i64 = codec::get(&row, 0)?;
            return Err(StoreError::not_found(format_args!("trace {}", TraceId(id))));
        }
        let update = statements.get(&mut tx, UPDATE).during(during)?;
        tx.execute(
            &update,
            &[&ids, &statuses, &failures, &reasons, &sent, &provider_ids],
        )
        .during(during)?;
        tx.commit().during(during)
    }

    fn abandon_claims(
        &mut self,
        mailing: MailingId,
        claimed_before: DateTime<Utc>,
    ) -> Result<usize, StoreError> {
        let abandoned = self.conn_mut().execute(
            "abandon stale claims",
            "UPDATE traces SET status = 'error', failure_type = 'unknown', failure_reason = $3,
                 sent_at = coalesce(sent_at, claimed_at)
             WHERE mailing = $1 AND status = 'process'
               AND (claimed_at IS NULL OR claimed_at < $2)",
            &[&mailing.0, &micros(claimed_before), &ABANDONED],
        )?;
        Ok(usize::try_from(abandoned).unwrap_or(usize::MAX))
    }

    fn renew_claims(
        &mut self,
        traces: &[TraceId],
        now: DateTime<Utc>,
    ) -> Result<Vec<TraceId>, StoreError> {
        let ids: Vec<i64> = traces.iter().map(|trace| trace.0).collect();
        let rows = self.conn_mut().query(
            "renew claims",
            "UPDATE traces SET claimed_at = $2
             WHERE id = ANY ($1) AND status = 'process'
             RETURNING id",
            &[&ids, &micros(now)],
        )?;
        let mut renewed = all(&rows, |row| codec::get(row, 0).map(TraceId))?;
        renewed.sort_unstable();
        Ok(renewed)
    }

    fn acquire_lease(
        &mut self,
        name: &str,
        holder: &str,
        now: DateTime<Utc>,
        until: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        // Inserted, or taken over when expired or already ours; otherwise left alone (no row
        // comes back). The row lock of ON CONFLICT makes two takers of an expired lease wait
        // for each other: the second sees the first's holder and gets nothing.
        let row = self.conn_mut().query_opt(
            "acquire a lease",
            "INSERT INTO leases AS l (name, holder, expires_at) VALUES ($1, $2, $4)
             ON CONFLICT (name) DO UPDATE SET holder = excluded.holder,
                 expires_at = excluded.expires_at
             WHERE l.holder = excluded.holder OR l.expires_at <= $3
             RETURNING holder",
            &[&name, &holder, &micros(now), &micros(until)],
        )?;
        Ok(row.is_some())
    }

    fn release_lease(&mut self, name: &str, holder: &str) -> Result<(), StoreError> {
        self.conn_mut().execute(
            "release a lease",
            "DELETE FROM leases WHERE name = $1 AND holder = $2",
            &[&name, &holder],
        )?;
        Ok(())
    }

    fn book_send_time(
        &mut self,
        sender: &str,
        cost: chrono::Duration,
        now: DateTime<Utc>,
    ) -> Result<DateTime<Utc>, StoreError> {
        // Whole microseconds (the engine rounds bookings up to them). One statement: the row
        // lock serialises bookings of one sender across every connection.
        let cost = cost.num_microseconds().unwrap_or(i64::MAX);
        let row = self.conn_mut().query_opt(
            "book send time",
            "INSERT INTO send_schedule AS s (sender, ends_at) VALUES ($1, $2::bigint + $3::bigint)
             ON CONFLICT (sender) DO UPDATE SET ends_at = GREATEST(s.ends_at, $2::bigint) + $3::bigint
             RETURNING ends_at",
            &[&sender, &micros(now), &cost],
        )?;
        let end = one(row, |row| codec::time(row, 0))?;
        Ok(end.unwrap_or(now))
    }

    fn requeue_failed(
        &mut self,
        mailing: MailingId,
        include_unknown: bool,
    ) -> Result<usize, StoreError> {
        // Failures a resend cannot fix stay as they are: their names travel as a parameter.
        let lasting: Vec<&str> = smskit::store::NOT_RESENT
            .iter()
            .map(|failure| failure.as_str())
            .collect();
        let requeued = self.conn_mut().execute(
            "requeue failed traces",
            "UPDATE traces SET status = 'outgoing', failure_type = NULL,
                 failure_reason = NULL, claimed_at = NULL
             WHERE mailing = $1 AND status = 'error'
               AND ($2 OR failure_type IS DISTINCT FROM 'unknown')
               AND (failure_type IS NULL OR failure_type <> ALL ($3::text[]))",
            &[&mailing.0, &include_unknown, &lasting],
        )?;
        Ok(usize::try_from(requeued).unwrap_or(usize::MAX))
    }

    fn cancel_outgoing(&mut self, mailing: MailingId) -> Result<usize, StoreError> {
        let canceled = self.conn_mut().execute(
            "cancel outgoing traces",
            "UPDATE traces SET status = 'cancel' WHERE mailing = $1 AND status = 'outgoing'",
            &[&mailing.0],
        )?;
        Ok(usize::try_from(canceled).unwrap_or(usize::MAX))
    }

    fn apply_status(&mut self, update: &StatusUpdate) -> Result<Option<TraceId>, StoreError> {
        const FIND: &str = "SELECT id, status, failure_type FROM traces
             WHERE provider_message_id = $1 ORDER BY id DESC LIMIT 1 FOR UPDATE";
        const FAIL: &str = "UPDATE traces SET status = $2, failure_type = $3, failure_reason = $4
             WHERE id = $1";
        const MOVE: &str = "UPDATE traces SET status = $2, failure_type = NULL,
                 failure_reason = NULL, sent_at = coalesce(sent_at, $3)
             WHERE id = $1";
        let during = "apply a status update";
        let Conn { client, statements } = self.conn_mut();
        // The row stays locked until the commit: two reports about one message are applied
        // one after the other, each to what the other left.
        let mut tx = client.transaction().during(during)?;
        let find = statements.get(&mut tx, FIND).during(during)?;
        let Some(row) = tx
            .query_opt(&find, &[&update.provider_message_id])
            .during(during)?
        else {
            return Ok(None);
        };
        let id: i64 = codec::get(&row, 0)?;
        let (status, failure) = parse_state(codec::get(&row, 1)?, codec::get(&row, 2)?)?;
        if !accepts(status, failure, update.status) {
            return Ok(None);
        }
        match update.status {
            TraceStatus::Error | TraceStatus::Bounce => {
                let fail = statements.get(&mut tx, FAIL).during(during)?;
                let failure = update
                    .failure_type
                    .unwrap_or(FailureType::NotDelivered)
                    .as_str();
                tx.execute(
                    &fail,
                    &[
                        &id,
                        &update.status.as_str(),
                        &failure,
                        &update.failure_reason,
                    ],
                )
            }
            _ => {
                let moved = statements.get(&mut tx, MOVE).during(during)?;
                tx.execute(&moved, &[&id, &update.status.as_str(), &micros(update.at)])
            }
        }
        .during(during)?;
        tx.commit().during(during)?;
        Ok(Some(TraceId(id)))
    }

    fn mark_clicked(&mut self, trace: TraceId, at: DateTime<Utc>) -> Result<bool, StoreError> {
        const UPDATE: &str = "UPDATE traces SET clicked_at = $2,
                 status = CASE WHEN $3 THEN 'open' ELSE status END,
                 failure_type = CASE WHEN $3 THEN NULL ELSE failure_type END,
                 failure_reason = CASE WHEN $3 THEN NULL ELSE failure_reason END
             WHERE id = $1";
        let during = "mark a trace clicked";
        let Conn { client, statements } = self.conn_mut();
        let mut tx = client.transaction().during(during)?;
        let Some(current) = trace_for_update(statements, &mut tx, trace)? else {
            return Ok(false);
        };
        let first = current.clicked_at.map_or(at, |first| first.min(at));
        let open = accepts(current.status, current.failure_type, TraceStatus::Open);
        let update = statements.get(&mut tx, UPDATE).during(during)?;
        tx.execute(&update, &[&trace.0, &micros(first), &open])
            .during(during)?;
        tx.commit().during(during)?;
        Ok(true)
    }

    fn trace(&self, id: TraceId) -> Result<Option<Trace>, StoreError> {
        let during = "read a trace";
        let row = self.conn(during)?.query_opt(
            during,
            concat!("SELECT ", trace_columns!(), " FROM traces WHERE id = $1"),
            &[&id.0],
        )?;
        Ok(one(row, codec::trace)?)
    }

    fn last_trace_to(&self, number: E164) -> Result<Option<Trace>, StoreError> {
        let during = "read the last trace to a number";
        let row = self.conn(during)?.query_opt(
            during,
            concat!(
                "SELECT ",
                trace_columns!(),
                " FROM traces WHERE number = $1 AND sent_at IS NOT NULL
                  ORDER BY sent_at DESC, id DESC LIMIT 1"
            ),
            &[&number.as_str()],
        )?;
        Ok(one(row, codec::trace)?)
    }

    fn contact_traces(
        &self,
        contact: ContactId,
        visit: &mut dyn FnMut(&Trace),
    ) -> Result<(), StoreError> {
        let during = "read a contact's traces";
        self.conn(during)?.stream(
            during,
            concat!(
                "SELECT ",
                trace_columns!(),
                " FROM traces WHERE contact = $1 ORDER BY id"
            ),
            &[&contact.0],
            codec::trace,
            visit,
        )
    }

    fn record_reply(&mut self, reply: &Reply) -> Result<(), StoreError> {
        const UPDATE: &str = "UPDATE traces SET replied_at = coalesce(replied_at, $2),
                 status = CASE WHEN $3 THEN 'reply' ELSE status END,
                 failure_type = CASE WHEN $3 THEN NULL ELSE failure_type END,
                 failure_reason = CASE WHEN $3 THEN NULL ELSE failure_reason END
             WHERE id = $1";
        const INSERT: &str =
            "INSERT INTO replies (number, text, at, trace, stop) VALUES ($1, $2, $3, $4, $5)";
        let during = "record a reply";
        let Conn { client, statements } = self.conn_mut();
        let mut tx = client.transaction().during(during)?;
        if let Some(id) = reply.trace {
            let current = trace_for_update(statements, &mut tx, id)?
                .ok_or_else(|| StoreError::not_found(format_args!("trace {id}")))?;
            let moved = accepts(current.status, current.failure_type, TraceStatus::Reply);
            let update = statements.get(&mut tx, UPDATE).during(during)?;
            tx.execute(&update, &[&id.0, &micros(reply.at), &moved])
                .during(during)?;
        }
        let insert = statements.get(&mut tx, INSERT).during(during)?;
        tx.execute(
            &insert,
            &[
                &reply.from.as_str(),
                &reply.text,
                &micros(reply.at),
                &reply.trace.map(|trace| trace.0),
                &reply.stop,
            ],
        )
        .during(during)?;
        tx.commit().during(during)
    }

    fn replies(&self, number: E164) -> Result<Vec<Reply>, StoreError> {
        let during = "read the replies from a number";
        let rows = self.conn(during)?.query(
            during,
            "SELECT number, text, at, trace, stop FROM replies WHERE number = $1
             ORDER BY at, id",
            &[&number.as_str()],
        )?;
        Ok(all(&rows, |row| {
            Ok(Reply {
                from: codec::e164(row, 0)?,
                text: codec::get(row, 1)?,
                at: codec::time(row, 2)?,
                trace: codec::get::<Option<i64>>(row, 3)?.map(TraceId),
                stop: codec::get(row, 4)?,
            })
        })?)
    }

    fn traces(&self, mailing: MailingId, visit: &mut dyn FnMut(&Trace)) -> Result<(), StoreError> {
        let during = "read a mailing's traces";
        self.conn(during)?.stream(
            during,
            concat!(
                "SELECT ",
                trace_columns!(),
                " FROM traces WHERE mailing = $1 ORDER BY id"
            ),
            &[&mailing.0],
            codec::trace,
            visit,
        )
    }

    fn outgoing_with_contacts(
        &self,
        mailing: MailingId,
        visit: &mut dyn FnMut(&Trace, &Contact),
    ) -> Result<(), StoreError> {
        let during = "read the outgoing traces with their contacts";
        // One join along the partial index of outgoing traces (by id); an inner join skips a
        // trace whose contact is gone.
        self.conn(during)?.stream(
            during,
            "SELECT t.id, t.mailing, t.contact, t.number, t.raw_number, t.status,
                    t.failure_type, t.failure_reason, t.provider_message_id, t.sent_at,
                    t.claimed_at, t.clicked_at, t.replied_at,
                    c.id, c.name, c.phone, c.country, c.fields::text, c.created_at
             FROM traces AS t JOIN contacts AS c ON c.id = t.contact
             WHERE t.mailing = $1 AND t.status = 'outgoing'
             ORDER BY t.id",
            &[&mailing.0],
            |row| Ok((codec::trace_at(row, 0)?, codec::contact_at(row, 13)?)),
            &mut |(trace, contact)| visit(trace, contact),
        )
    }
}

/// A mailing list from `id, name, is_public`.
fn list(row: &Row) -> Result<MailingList, Error> {
    Ok(MailingList {
        id: ListId(codec::get(row, 0)?),
        name: codec::get(row, 1)?,
        is_public: codec::get(row, 2)?,
    })
}

/// The id an `INSERT ... RETURNING id` gave.
fn first_id(rows: &[Row]) -> Result<i64, StoreError> {
    let row = rows.first().ok_or_else(|| Error::Corrupt {
        what: "an insert returned no id".to_owned(),
    })?;
    Ok(returned_id(row)?)
}

/// The trace with `id`, read in `tx` and locked until it ends (a concurrent change of the same
/// trace waits, then sees this one's).
fn trace_for_update(
    statements: &mut crate::Statements,
    tx: &mut postgres::Transaction<'_>,
    id: TraceId,
) -> Result<Option<Trace>, StoreError> {
    let during = "read a trace";
    let statement = statements
        .get(
            tx,
            concat!(
                "SELECT ",
                trace_columns!(),
                " FROM traces WHERE id = $1 FOR UPDATE"
            ),
        )
        .during(during)?;
    let row = tx.query_opt(&statement, &[&id.0]).during(during)?;
    Ok(one(row, codec::trace)?)
}

/// A stored status and failure type, read back.
fn parse_state(
    status: &str,
    failure: Option<&str>,
) -> Result<(TraceStatus, Option<FailureType>), StoreError> {
    let corrupt = |what: String| Error::Corrupt { what };
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
