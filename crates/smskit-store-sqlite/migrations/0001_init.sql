-- smskit-store-sqlite schema, version 1.
--
-- Conventions: times are INTEGER microseconds since the Unix epoch (UTC); phone numbers are
-- E.164 TEXT; statuses, failure types and mailing states are the spec's names as TEXT; sets
-- and maps (tags, free fields, version lists) are JSON TEXT. Ids are INTEGER PRIMARY KEY
-- (the rowid), so a table's rows are kept in id order.

CREATE TABLE contacts (
    id          INTEGER PRIMARY KEY,
    name        TEXT    NOT NULL,
    phone       TEXT    NOT NULL,
    country     TEXT,
    fields      TEXT    NOT NULL DEFAULT '{}',
    created_at  INTEGER NOT NULL
) STRICT;
-- Odoo's contact order (name, then the most recent first), read without a sort.
CREATE INDEX contacts_order ON contacts (name, created_at DESC, id DESC);

CREATE TABLE lists (
    id          INTEGER PRIMARY KEY,
    name        TEXT    NOT NULL UNIQUE,
    is_public   INTEGER NOT NULL
) STRICT;

CREATE TABLE subscriptions (
    list        INTEGER NOT NULL REFERENCES lists (id),
    contact     INTEGER NOT NULL REFERENCES contacts (id),
    opt_out     INTEGER NOT NULL DEFAULT 0,
    created_at  INTEGER NOT NULL,
    opt_out_at  INTEGER,
    PRIMARY KEY (list, contact)
) STRICT, WITHOUT ROWID;

CREATE TABLE blacklist (
    number      TEXT    PRIMARY KEY,
    active      INTEGER NOT NULL,
    reason      TEXT,
    updated_at  INTEGER NOT NULL
) STRICT, WITHOUT ROWID;

CREATE TABLE campaigns (
    id          INTEGER PRIMARY KEY,
    name        TEXT    NOT NULL UNIQUE,
    stage       TEXT    NOT NULL,
    tags        TEXT    NOT NULL DEFAULT '[]',
    responsible TEXT,
    created_at  INTEGER NOT NULL
) STRICT;

CREATE TABLE mailings (
    id                   INTEGER PRIMARY KEY,
    name                 TEXT    NOT NULL,
    body                 TEXT    NOT NULL,
    -- 'lists' or 'contacts' (audience_ids: JSON array of list or contact ids), 'domain'
    -- (audience_domain) or 'transactional'
    audience_kind        TEXT    NOT NULL,
    audience_ids         TEXT,
    audience_domain      TEXT,
    include_opt_out_link INTEGER NOT NULL,
    campaign             INTEGER REFERENCES campaigns (id),
    responsible          TEXT,
    tags                 TEXT    NOT NULL DEFAULT '[]',
    ab_test              INTEGER,
    state                TEXT    NOT NULL,
    scheduled_at         INTEGER,
    created_at           INTEGER NOT NULL
) STRICT;

CREATE TABLE ab_tests (
    id            INTEGER PRIMARY KEY,
    campaign      INTEGER NOT NULL REFERENCES campaigns (id),
    versions      TEXT    NOT NULL,
    share         INTEGER NOT NULL,
    seed          INTEGER NOT NULL,
    -- 'clicks_ratio', 'manual', 'metric:maximize' or 'metric:minimize'
    rule          TEXT    NOT NULL,
    final_at      INTEGER NOT NULL,
    winner        INTEGER,
    final_mailing INTEGER,
    created_at    INTEGER NOT NULL
) STRICT;

CREATE TABLE traces (
    id                  INTEGER PRIMARY KEY,
    -- No foreign keys here: they would cost two parent lookups per row of a bulk preparation
    -- (a million rows); the engine writes traces of its own mailings and contacts only.
    mailing             INTEGER NOT NULL,
    contact             INTEGER NOT NULL,
    -- 0 for the one trace of a mailing and contact (insert_traces), NULL for the traces of a
    -- transactional mailing (insert_trace): NULLs are distinct in a UNIQUE index, so a contact
    -- may have many of those.
    dedup               INTEGER,
    number              TEXT,
    raw_number          TEXT,
    status              TEXT    NOT NULL,
    failure_type        TEXT,
    failure_reason      TEXT,
    provider_message_id TEXT,
    sent_at             INTEGER,
    claimed_at          INTEGER,
    clicked_at          INTEGER,
    replied_at          INTEGER
) STRICT;
-- One trace per mailing and contact; also the contact's SMS history (contact_traces).
CREATE UNIQUE INDEX traces_contact ON traces (contact, mailing, dedup);
-- The traces of a mailing in id order (traces, counts, retry).
CREATE INDEX traces_mailing ON traces (mailing);
-- The queue and the claims: partial, so only the rows waiting or leaving are indexed.
CREATE INDEX traces_outgoing ON traces (mailing) WHERE status = 'outgoing';
CREATE INDEX traces_process ON traces (mailing, claimed_at) WHERE status = 'process';
-- Delivery reports by the provider's message id.
CREATE INDEX traces_provider_id ON traces (provider_message_id)
    WHERE provider_message_id IS NOT NULL;
-- The last message sent to a number (what a reply answers).
CREATE INDEX traces_number ON traces (number, sent_at) WHERE sent_at IS NOT NULL;

CREATE TABLE replies (
    id          INTEGER PRIMARY KEY,
    number      TEXT    NOT NULL,
    text        TEXT    NOT NULL,
    at          INTEGER NOT NULL,
    trace       INTEGER REFERENCES traces (id),
    stop        INTEGER NOT NULL
) STRICT;
CREATE INDEX replies_number ON replies (number, at);

CREATE TABLE links (
    code         TEXT PRIMARY KEY,
    url          TEXT NOT NULL,
    utm_campaign TEXT,
    utm_source   TEXT,
    utm_medium   TEXT,
    mailing      TEXT,
    target       TEXT NOT NULL
) STRICT, WITHOUT ROWID;
CREATE INDEX links_target ON links (target);
CREATE INDEX links_mailing ON links (mailing) WHERE mailing IS NOT NULL;
CREATE INDEX links_campaign ON links (utm_campaign) WHERE utm_campaign IS NOT NULL;

CREATE TABLE clicks (
    id          INTEGER PRIMARY KEY,
    code        TEXT    NOT NULL REFERENCES links (code),
    at          INTEGER NOT NULL,
    -- the links crate's trace id: text, since a link store does not own the facade's traces
    trace       TEXT,
    ip          TEXT,
    country     TEXT
) STRICT;
CREATE INDEX clicks_code ON clicks (code);
CREATE INDEX clicks_trace ON clicks (trace) WHERE trace IS NOT NULL;
