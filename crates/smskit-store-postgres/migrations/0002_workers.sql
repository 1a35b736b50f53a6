-- smskit-store-postgres schema, version 2: what workers sharing the database coordinate
-- through (the same tables as the SQLite store's 0002_workers.sql).

-- Named leases (preparing a mailing, choosing A/B winners): one holder until expires_at.
CREATE TABLE leases (
    name        TEXT    PRIMARY KEY,
    holder      TEXT    NOT NULL,
    expires_at  BIGINT  NOT NULL
);

-- The end of each sender's booked send time (microseconds), the shared schedule of its rate:
-- one row per sender, updated in place by every booking (row lock = the schedule's lock).
CREATE TABLE send_schedule (
    sender      TEXT    PRIMARY KEY,
    ends_at     BIGINT  NOT NULL
);
